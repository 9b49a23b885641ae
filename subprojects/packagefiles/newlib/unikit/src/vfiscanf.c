/* unikit: newlib's vfscanf.c built as vfiscanf (newlib's Makefile: -DINTEGER_ONLY). */
#define INTEGER_ONLY 1
#include "stdio/vfscanf.c"
