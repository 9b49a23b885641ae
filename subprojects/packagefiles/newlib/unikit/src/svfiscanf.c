/* unikit: newlib's vfscanf.c built as svfiscanf (newlib's Makefile: -DINTEGER_ONLY -DSTRING_ONLY). */
#define INTEGER_ONLY 1
#define STRING_ONLY 1
#include "stdio/vfscanf.c"
