/* unikit: newlib's vfwprintf.c built as vfiwprintf (newlib's Makefile: -DINTEGER_ONLY). */
#define INTEGER_ONLY 1
#include "stdio/vfwprintf.c"
