/* unikit: newlib's vfwscanf.c built as svfiwscanf (newlib's Makefile: -DINTEGER_ONLY -DSTRING_ONLY). */
#define INTEGER_ONLY 1
#define STRING_ONLY 1
#include "stdio/vfwscanf.c"
