/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc <stdlib.h>: number parsing, integer helpers, sorting, searching, a
 * small PRNG and image termination. No allocator here: malloc() and friends
 * come with the allocator library.
 */
#ifndef __NOLIBC_STDLIB_H
#define __NOLIBC_STDLIB_H

#define __need_size_t
#define __need_wchar_t
#define __need_NULL
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

#define RAND_MAX 0x7fffffff

typedef struct {
	int quot;
	int rem;
} div_t;

typedef struct {
	long quot;
	long rem;
} ldiv_t;

typedef struct {
	long long quot;
	long long rem;
} lldiv_t;

long strtol(const char *__restrict nptr, char **__restrict endptr, int base);
unsigned long strtoul(const char *__restrict nptr, char **__restrict endptr,
		      int base);
long long strtoll(const char *__restrict nptr, char **__restrict endptr,
		  int base);
unsigned long long strtoull(const char *__restrict nptr,
			    char **__restrict endptr, int base);
int atoi(const char *nptr);
long atol(const char *nptr);
long long atoll(const char *nptr);

int abs(int x);
long labs(long x);
long long llabs(long long x);
div_t div(int num, int den);
ldiv_t ldiv(long num, long den);
lldiv_t lldiv(long long num, long long den);

/* Heapsort: O(n log n) comparisons, constant stack, not stable. */
void qsort(void *base, size_t nmemb, size_t size,
	   int (*compar)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      int (*compar)(const void *, const void *));

int rand(void);
void srand(unsigned int seed);

/*
 * Allocation. nolibc only declares these: the ukalloc library defines them on
 * top of the default allocator (Meson: an app lists 'ukalloc' among its
 * libraries). An image without ukalloc that calls them fails to link.
 */
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
int posix_memalign(void **memptr, size_t alignment, size_t size);
void *aligned_alloc(size_t alignment, size_t size);

/* Ends the image through ukplat_exit(status). There is no atexit(). */
void exit(int status) __attribute__((__noreturn__));
/* Prints "abort() called" and ends with UKPLAT_EXIT_PANIC. */
void abort(void) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif
#endif /* __NOLIBC_STDLIB_H */
