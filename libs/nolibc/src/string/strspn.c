/* SPDX-License-Identifier: BSD-3-Clause */
/* strspn, strcspn, strpbrk: byte sets kept as a 256-bit map. */
#include <stdint.h>
#include <string.h>

struct byteset {
	uint64_t w[4];
};

static void set_init(struct byteset *set, const char *chars)
{
	const unsigned char *p = (const unsigned char *)chars;

	set->w[0] = set->w[1] = set->w[2] = set->w[3] = 0;
	for (; *p; p++)
		set->w[*p >> 6] |= (uint64_t)1 << (*p & 63);
}

static int set_has(const struct byteset *set, unsigned char c)
{
	return (set->w[c >> 6] >> (c & 63)) & 1;
}

size_t strspn(const char *s, const char *accept)
{
	struct byteset set;
	size_t n = 0;

	set_init(&set, accept);
	while (s[n] && set_has(&set, (unsigned char)s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	struct byteset set;
	size_t n = 0;

	set_init(&set, reject);
	while (s[n] && !set_has(&set, (unsigned char)s[n]))
		n++;
	return n;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}
