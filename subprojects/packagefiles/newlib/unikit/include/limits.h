/*
 * unikit: newlib's <limits.h> plus the POSIX limit it lacks (SSIZE_MAX;
 * ssize_t is long on x86_64).
 */
#include_next <limits.h>

#ifndef SSIZE_MAX
#define SSIZE_MAX __LONG_MAX__
#endif
