/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the tests call: nolibc's functions under their nolibc_ names (see
 * nolibc_prefix.h), declared with the host's types, which have the same
 * layout on x86_64 Linux. Include after the host headers.
 */
#ifndef NOLIBC_API_H
#define NOLIBC_API_H

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define NOLIBC_PRINTF(f, a) __attribute__((format(printf, f, a)))

typedef struct __nolibc_file NOLIBC_FILE;

extern int nolibc_errno;
extern NOLIBC_FILE *nolibc_stdout;
extern NOLIBC_FILE *nolibc_stderr;

/* string.h, strings.h */
void *nolibc_memcpy(void *dst, const void *src, size_t n);
void *nolibc_memmove(void *dst, const void *src, size_t n);
void *nolibc_memset(void *dst, int c, size_t n);
int nolibc_memcmp(const void *a, const void *b, size_t n);
void *nolibc_memchr(const void *s, int c, size_t n);
void *nolibc_memrchr(const void *s, int c, size_t n);
size_t nolibc_strlen(const char *s);
size_t nolibc_strnlen(const char *s, size_t maxlen);
int nolibc_strcmp(const char *a, const char *b);
int nolibc_strncmp(const char *a, const char *b, size_t n);
char *nolibc_strcpy(char *dst, const char *src);
char *nolibc_strdup(const char *s);
char *nolibc_strndup(const char *s, size_t n);
char *nolibc_strncpy(char *dst, const char *src, size_t n);
char *nolibc_stpcpy(char *dst, const char *src);
char *nolibc_strcat(char *dst, const char *src);
char *nolibc_strncat(char *dst, const char *src, size_t n);
char *nolibc_strchr(const char *s, int c);
char *nolibc_strrchr(const char *s, int c);
char *nolibc_strstr(const char *haystack, const char *needle);
size_t nolibc_strspn(const char *s, const char *accept);
size_t nolibc_strcspn(const char *s, const char *reject);
char *nolibc_strpbrk(const char *s, const char *accept);
char *nolibc_strtok_r(char *s, const char *delim, char **saveptr);
char *nolibc_strerror(int errnum);
int nolibc_strcasecmp(const char *a, const char *b);
int nolibc_strncasecmp(const char *a, const char *b, size_t n);

/* ctype.h */
int nolibc_isalnum(int c);
int nolibc_isalpha(int c);
int nolibc_isblank(int c);
int nolibc_iscntrl(int c);
int nolibc_isdigit(int c);
int nolibc_isgraph(int c);
int nolibc_islower(int c);
int nolibc_isprint(int c);
int nolibc_ispunct(int c);
int nolibc_isspace(int c);
int nolibc_isupper(int c);
int nolibc_isxdigit(int c);
int nolibc_tolower(int c);
int nolibc_toupper(int c);

/* stdlib.h, inttypes.h */
long nolibc_strtol(const char *nptr, char **endptr, int base);
unsigned long nolibc_strtoul(const char *nptr, char **endptr, int base);
long long nolibc_strtoll(const char *nptr, char **endptr, int base);
unsigned long long nolibc_strtoull(const char *nptr, char **endptr, int base);
intmax_t nolibc_strtoimax(const char *nptr, char **endptr, int base);
uintmax_t nolibc_strtoumax(const char *nptr, char **endptr, int base);
int nolibc_atoi(const char *nptr);
long nolibc_atol(const char *nptr);
long long nolibc_atoll(const char *nptr);
int nolibc_abs(int x);
long nolibc_labs(long x);
long long nolibc_llabs(long long x);
intmax_t nolibc_imaxabs(intmax_t x);
div_t nolibc_div(int num, int den);
ldiv_t nolibc_ldiv(long num, long den);
lldiv_t nolibc_lldiv(long long num, long long den);
imaxdiv_t nolibc_imaxdiv(intmax_t num, intmax_t den);
void nolibc_qsort(void *base, size_t nmemb, size_t size,
		  int (*compar)(const void *, const void *));
void *nolibc_bsearch(const void *key, const void *base, size_t nmemb,
		     size_t size, int (*compar)(const void *, const void *));
int nolibc_rand(void);
void nolibc_srand(unsigned int seed);
void nolibc_exit(int status) __attribute__((noreturn));
void nolibc_abort(void) __attribute__((noreturn));

/* stdio.h */
int nolibc_printf(const char *fmt, ...) NOLIBC_PRINTF(1, 2);
int nolibc_vprintf(const char *fmt, va_list ap) NOLIBC_PRINTF(1, 0);
int nolibc_fprintf(NOLIBC_FILE *f, const char *fmt, ...) NOLIBC_PRINTF(2, 3);
int nolibc_vfprintf(NOLIBC_FILE *f, const char *fmt, va_list ap)
	NOLIBC_PRINTF(2, 0);
int nolibc_sprintf(char *buf, const char *fmt, ...) NOLIBC_PRINTF(2, 3);
int nolibc_vsprintf(char *buf, const char *fmt, va_list ap) NOLIBC_PRINTF(2, 0);
int nolibc_snprintf(char *buf, size_t n, const char *fmt, ...)
	NOLIBC_PRINTF(3, 4);
int nolibc_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
	NOLIBC_PRINTF(3, 0);
int nolibc_puts(const char *s);
int nolibc_putchar(int c);
int nolibc_fputs(const char *s, NOLIBC_FILE *f);
int nolibc_fputc(int c, NOLIBC_FILE *f);
int nolibc_putc(int c, NOLIBC_FILE *f);
int nolibc_fflush(NOLIBC_FILE *f);

/* tests/nolibc_side.c: facts gathered under nolibc's own headers */
struct side_const {
	const char *name;
	unsigned long long value;
	size_t size;
	int is_signed;
};
extern const struct side_const side_errnos[]; /* ends with name NULL */
extern const struct side_const side_limits[];
extern const struct side_const side_types[]; /* sizeof in value */
struct side_pri {
	const char *name;
	const char *fmt;
	size_t type_size;
};
extern const struct side_pri side_pris[];
extern const char side_file[];
extern const int side_assert_line;
void side_assert(int v);
int side_assert_ndebug(int *counter);
int side_assert_again(int v);

#endif /* NOLIBC_API_H */
