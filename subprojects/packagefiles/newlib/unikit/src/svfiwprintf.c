/* unikit: newlib's vfwprintf.c built as svfiwprintf (newlib's Makefile: -DINTEGER_ONLY -DSTRING_ONLY). */
#define INTEGER_ONLY 1
#define STRING_ONLY 1
#include "stdio/vfwprintf.c"
