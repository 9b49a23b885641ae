/* SPDX-License-Identifier: BSD-3-Clause */
/* `virtio_mmio.device=SIZE[KMG]@BASE:IRQ[:ID]` values. */
#include <errno.h>
#include <stdint.h>
#include <uk/virtio.h>

/* A number in C notation (0x hex, 0 octal, decimal). Returns the character
 * after it, or NULL (no digits, overflow). */
static const char *num(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	int digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (;; s++, digits++) {
		unsigned c = (unsigned char)*s, d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return NULL;
		v = v * base + d;
	}
	if (!digits)
		return NULL;
	*out = v;
	return s;
}

int uk_virtio_mmio_parse(const char *s, uint64_t *base, uint64_t *size,
			 unsigned *irq, const char **why)
{
	const char *dummy;
	uint64_t sz, b, i;

	if (!why)
		why = &dummy;
	if (!s || !*s) {
		*why = "empty value";
		return -EINVAL;
	}
	const char *p = num(s, &sz);
	if (!p) {
		*why = "size is not a number (or too large)";
		return -EINVAL;
	}
	unsigned shift = 0;
	switch (*p) {
	case 'k':
	case 'K':
		shift = 10;
		p++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		p++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		p++;
		break;
	}
	if (shift && sz > (UINT64_MAX >> shift)) {
		*why = "size too large";
		return -EINVAL;
	}
	sz <<= shift;
	if (*p != '@') {
		*why = "expected '@' after the size (SIZE@BASE:IRQ)";
		return -EINVAL;
	}
	p = num(p + 1, &b);
	if (!p) {
		*why = "base address is not a number (or too large)";
		return -EINVAL;
	}
	if (*p != ':') {
		*why = "expected ':' after the base address (SIZE@BASE:IRQ)";
		return -EINVAL;
	}
	p = num(p + 1, &i);
	if (!p) {
		*why = "IRQ is not a number";
		return -EINVAL;
	}
	if (*p == ':') { /* optional platform device ID: checked, ignored */
		uint64_t id;
		p = num(p + 1, &id);
		if (!p) {
			*why = "device ID after the IRQ is not a number";
			return -EINVAL;
		}
	}
	if (*p) {
		*why = "unexpected characters after the IRQ";
		return -EINVAL;
	}
	if (sz < 0x100) {
		*why = "size below the 0x100-byte register block";
		return -EINVAL;
	}
	if (b + sz < b) {
		*why = "base + size wraps around";
		return -EINVAL;
	}
	if (i > 255) {
		*why = "IRQ above 255";
		return -EINVAL;
	}
	*base = b;
	*size = sz;
	*irq = (unsigned)i;
	return 0;
}
