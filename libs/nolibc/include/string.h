/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc <string.h>: memory and NUL-terminated string functions. */
#ifndef __NOLIBC_STRING_H
#define __NOLIBC_STRING_H

#define __need_size_t
#define __need_NULL
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *memcpy(void *__restrict dst, const void *__restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
void *memrchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *__restrict dst, const char *__restrict src);
char *strncpy(char *__restrict dst, const char *__restrict src, size_t n);
char *stpcpy(char *__restrict dst, const char *__restrict src);
char *strcat(char *__restrict dst, const char *__restrict src);
char *strncat(char *__restrict dst, const char *__restrict src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
char *strtok_r(char *__restrict s, const char *__restrict delim,
	       char **__restrict saveptr);
/* Copies on the heap (malloc: an image with the heap feature). */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);

/* Text for a Linux errno value; "Unknown error N" for others. */
char *strerror(int errnum);

#ifdef __cplusplus
}
#endif
#endif /* __NOLIBC_STRING_H */
