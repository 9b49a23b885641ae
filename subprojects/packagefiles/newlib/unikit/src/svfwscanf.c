/* unikit: newlib's vfwscanf.c built as svfwscanf (newlib's Makefile: -DSTRING_ONLY). */
#define STRING_ONLY 1
#include "stdio/vfwscanf.c"
