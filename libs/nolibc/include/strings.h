/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc <strings.h>: ASCII case-insensitive comparison. */
#ifndef __NOLIBC_STRINGS_H
#define __NOLIBC_STRINGS_H

#define __need_size_t
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* __NOLIBC_STRINGS_H */
