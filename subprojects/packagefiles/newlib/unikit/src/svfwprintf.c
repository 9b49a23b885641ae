/* unikit: newlib's vfwprintf.c built as svfwprintf (newlib's Makefile: -DSTRING_ONLY). */
#define STRING_ONLY 1
#include "stdio/vfwprintf.c"
