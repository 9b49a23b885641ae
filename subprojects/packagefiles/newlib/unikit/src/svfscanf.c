/* unikit: newlib's vfscanf.c built as svfscanf (newlib's Makefile: -DSTRING_ONLY). */
#define STRING_ONLY 1
#include "stdio/vfscanf.c"
