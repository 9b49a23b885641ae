/* unikit: newlib's vfprintf.c built as svfprintf (newlib's Makefile: -DSTRING_ONLY). */
#define STRING_ONLY 1
#include "stdio/vfprintf.c"
