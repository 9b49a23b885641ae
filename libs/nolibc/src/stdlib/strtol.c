/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strtol, strtoul, strtoll, strtoull, strtoimax, strtoumax (C11 7.22.1.4).
 *
 * One parser produces the magnitude and sign; each function clamps to its own
 * range. Rules: leading isspace() is skipped; an optional sign; for base 16
 * (and base 0) an optional "0x"/"0X" that only counts when a hex digit
 * follows it (else the subject is just "0" and *endptr points at the 'x');
 * base 0 picks 16, 8 (leading '0') or 10. With no digits at all the result is
 * 0 and *endptr = nptr. Bases other than 0 and 2..36 give 0, *endptr = nptr
 * and errno = EINVAL. Out of range: errno = ERANGE and the type's limit.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

struct parsed {
	uintmax_t mag; /* magnitude, valid when !overflow */
	int neg;
	int overflow; /* magnitude does not fit uintmax_t */
};

static int digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Returns 0, or -1 for an invalid base (errno set, *endptr = nptr). */
static int parse(const char *nptr, char **endptr, int base, struct parsed *r)
{
	const unsigned char *s = (const unsigned char *)nptr;
	const unsigned char *digits;
	uintmax_t limit;
	int lastdig;

	r->mag = 0;
	r->neg = 0;
	r->overflow = 0;

	if (base < 0 || base == 1 || base > 36) {
		if (endptr)
			*endptr = (char *)nptr;
		errno = EINVAL;
		return -1;
	}

	while (isspace(*s))
		s++;
	if (*s == '+' || *s == '-')
		r->neg = *s++ == '-';

	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}

	limit = UINTMAX_MAX / (unsigned int)base;
	lastdig = (int)(UINTMAX_MAX % (unsigned int)base);
	digits = s;
	for (;; s++) {
		int d = digit_value(*s);

		if (d >= base)
			break;
		if (r->mag > limit || (r->mag == limit && d > lastdig))
			r->overflow = 1;
		else
			r->mag = r->mag * (unsigned int)base + (unsigned int)d;
	}

	if (s == digits) {
		/* No subject sequence. */
		r->mag = 0;
		r->neg = 0;
		s = (const unsigned char *)nptr;
	}
	if (endptr)
		*endptr = (char *)s;
	return 0;
}

/* Clamp for an unsigned result type whose maximum is max. */
static uintmax_t to_unsigned(const struct parsed *r, uintmax_t max)
{
	if (r->overflow || r->mag > max) {
		errno = ERANGE;
		return max;
	}
	/* "-N" is the negation of N in the result type. */
	return r->neg ? (0 - r->mag) & max : r->mag;
}

/* Clamp for a signed result type [-max - 1, max]; returns the value. */
static intmax_t to_signed(const struct parsed *r, intmax_t max)
{
	uintmax_t umax = (uintmax_t)max;

	if (r->neg) {
		if (r->overflow || r->mag > umax + 1) {
			errno = ERANGE;
			return -max - 1;
		}
		if (r->mag == umax + 1)
			return -max - 1;
		return -(intmax_t)r->mag;
	}
	if (r->overflow || r->mag > umax) {
		errno = ERANGE;
		return max;
	}
	return (intmax_t)r->mag;
}

long strtol(const char *__restrict nptr, char **__restrict endptr, int base)
{
	struct parsed r;

	if (parse(nptr, endptr, base, &r))
		return 0;
	return (long)to_signed(&r, LONG_MAX);
}

long long strtoll(const char *__restrict nptr, char **__restrict endptr,
		  int base)
{
	struct parsed r;

	if (parse(nptr, endptr, base, &r))
		return 0;
	return (long long)to_signed(&r, LLONG_MAX);
}

intmax_t strtoimax(const char *__restrict nptr, char **__restrict endptr,
		   int base)
{
	struct parsed r;

	if (parse(nptr, endptr, base, &r))
		return 0;
	return to_signed(&r, INTMAX_MAX);
}

unsigned long strtoul(const char *__restrict nptr, char **__restrict endptr,
		      int base)
{
	struct parsed r;

	if (parse(nptr, endptr, base, &r))
		return 0;
	return (unsigned long)to_unsigned(&r, ULONG_MAX);
}

unsigned long long strtoull(const char *__restrict nptr,
			    char **__restrict endptr, int base)
{
	struct parsed r;

	if (parse(nptr, endptr, base, &r))
		return 0;
	return (unsigned long long)to_unsigned(&r, ULLONG_MAX);
}

uintmax_t strtoumax(const char *__restrict nptr, char **__restrict endptr,
		    int base)
{
	struct parsed r;

	if (parse(nptr, endptr, base, &r))
		return 0;
	return to_unsigned(&r, UINTMAX_MAX);
}
