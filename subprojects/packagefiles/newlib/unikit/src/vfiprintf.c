/* unikit: newlib's vfprintf.c built as vfiprintf (newlib's Makefile: -DINTEGER_ONLY). */
#define INTEGER_ONLY 1
#include "stdio/vfprintf.c"
