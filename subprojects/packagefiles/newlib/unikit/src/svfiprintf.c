/* unikit: newlib's vfprintf.c built as svfiprintf (newlib's Makefile: -DINTEGER_ONLY -DSTRING_ONLY). */
#define INTEGER_ONLY 1
#define STRING_ONLY 1
#include "stdio/vfprintf.c"
