/* unikit: newlib's vfwscanf.c built as vfiwscanf (newlib's Makefile: -DINTEGER_ONLY). */
#define INTEGER_ONLY 1
#include "stdio/vfwscanf.c"
