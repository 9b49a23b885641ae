/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * printf's floating-point conversions: %f %F %e %E %g %G %a %A.
 *
 * Integer arithmetic only (no FPU use beyond receiving the argument). A
 * double is m * 2^e; it is expanded to its exact decimal digits with a small
 * bignum in base 10^9 (m * 2^e for e > 0, m * 5^-e * 10^e for e < 0), then
 * rounded half-to-even at the requested digit. So output is correctly
 * rounded at any precision and matches glibc in the default rounding mode.
 * Cost: about 1.3 KiB of stack and, for the smallest numbers, a few thousand
 * 64-bit multiplications.
 *
 * long double arguments (%Lf) are converted to double first; where long
 * double is IEEE binary128 (aarch64), by __nolibc_f128_to_f64() below rather
 * than libgcc's soft-float __trunctfdf2 (a kilobyte with its exception
 * handling).
 */
#include <stdint.h>
#include "stdio_impl.h"

#define LIMB_BASE 1000000000u
/* 2^53 * 5^1074 (the longest expansion) has 767 digits: 86 limbs. */
#define MAX_LIMBS  88
#define MAX_DIGITS (MAX_LIMBS * 9)

struct decimal {
	/* ASCII digits d[0..nd), no leading or trailing zeros; nd == 0 is 0 */
	char d[MAX_DIGITS];
	int nd;
	/* value = 0.d[0]d[1]... * 10^pt */
	int pt;
};

static int mul_small(uint32_t *l, int n, uint32_t f)
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < n; i++) {
		uint64_t t = (uint64_t)l[i] * f + carry;

		l[i] = (uint32_t)(t % LIMB_BASE);
		carry = t / LIMB_BASE;
	}
	while (carry) {
		l[n++] = (uint32_t)(carry % LIMB_BASE);
		carry /= LIMB_BASE;
	}
	return n;
}

static void strip_zeros(struct decimal *dec)
{
	while (dec->nd > 0 && dec->d[dec->nd - 1] == '0')
		dec->nd--;
}

/* Exact decimal expansion of m * 2^e, m != 0. */
static void to_decimal(uint64_t m, int e, struct decimal *dec)
{
	uint32_t limbs[MAX_LIMBS];
	int n = 0, dexp = 0, i, k;
	uint32_t top;
	char tmp[9];

	while (!(m & 1)) {
		m >>= 1;
		e++;
	}
	while (m) {
		limbs[n++] = (uint32_t)(m % LIMB_BASE);
		m /= LIMB_BASE;
	}
	if (e > 0) {
		for (; e >= 29; e -= 29)
			n = mul_small(limbs, n, (uint32_t)1 << 29);
		if (e)
			n = mul_small(limbs, n, (uint32_t)1 << e);
	} else if (e < 0) {
		uint32_t f = 1;

		/* m * 2^e == m * 5^-e * 10^e */
		dexp = e;
		for (e = -e; e >= 13; e -= 13)
			n = mul_small(limbs, n, 1220703125u); /* 5^13 */
		while (e--)
			f *= 5;
		n = mul_small(limbs, n, f);
	}

	/* Most significant limb without leading zeros, then 9 digits each. */
	dec->nd = 0;
	top = limbs[n - 1];
	for (k = 0; top; top /= 10)
		tmp[k++] = (char)('0' + top % 10);
	while (k)
		dec->d[dec->nd++] = tmp[--k];
	for (i = n - 2; i >= 0; i--) {
		uint32_t v = limbs[i];

		for (k = 8; k >= 0; k--) {
			dec->d[dec->nd + k] = (char)('0' + v % 10);
			v /= 10;
		}
		dec->nd += 9;
	}
	dec->pt = dec->nd + dexp;
	strip_zeros(dec);
}

/* Keep the first `keep` digits (keep may be <= 0), rounding half to even. */
static void round_digits(struct decimal *dec, long long keep)
{
	int up, i;
	char c;

	if (keep >= dec->nd)
		return;
	if (keep < 0) {
		dec->nd = 0;
		return;
	}
	c = dec->d[keep];
	if (c != '5')
		up = c > '5';
	else if (keep + 1 < dec->nd)
		up = 1; /* more nonzero digits follow: above the half */
	else
		up = keep > 0 && ((dec->d[keep - 1] - '0') & 1);

	dec->nd = (int)keep;
	if (!up) {
		strip_zeros(dec);
		return;
	}
	for (i = (int)keep - 1; i >= 0; i--) {
		if (dec->d[i] != '9') {
			dec->d[i]++;
			dec->nd = i + 1;
			return;
		}
	}
	/* All nines (or nothing kept): the carry makes a new leading 1. */
	dec->d[0] = '1';
	dec->nd = 1;
	dec->pt++;
}

/* Digits at positions [from, to), zeros outside d[0..nd). */
static void put_digits(struct __nolibc_out *o, const struct decimal *dec,
		       long long from, long long to)
{
	long long end;

	if (from >= to)
		return;
	if (from < 0) {
		end = to < 0 ? to : 0;
		__nolibc_out_repeat(o, '0', (size_t)(end - from));
		from = end;
	}
	if (from < dec->nd && from < to) {
		end = to < dec->nd ? to : dec->nd;
		__nolibc_out_write(o, dec->d + from, (size_t)(end - from));
		from = end;
	}
	if (from < to)
		__nolibc_out_repeat(o, '0', (size_t)(to - from));
}

/*
 * Padding and sign around a numeric body of body_len characters (prefix
 * included). zero_ok: the '0' flag applies (not for inf and nan).
 */
static size_t begin_field(struct __nolibc_out *o,
			  const struct __nolibc_spec *sp, char sign,
			  const char *prefix, size_t body_len, int zero_ok)
{
	size_t plen = 0, len;

	while (prefix[plen])
		plen++;
	len = (sign ? 1 : 0) + body_len;
	if (zero_ok && (sp->flags & (__NOLIBC_F_ZERO | __NOLIBC_F_MINUS)) ==
			       __NOLIBC_F_ZERO) {
		if (sign)
			__nolibc_out_write(o, &sign, 1);
		__nolibc_out_write(o, prefix, plen);
		if ((size_t)sp->width > len) {
			__nolibc_out_repeat(o, '0', (size_t)sp->width - len);
			len = (size_t)sp->width;
		}
		return len;
	}
	__nolibc_out_pad_left(o, sp, len);
	if (sign)
		__nolibc_out_write(o, &sign, 1);
	__nolibc_out_write(o, prefix, plen);
	return len;
}

/* The exponent part ("e+05", "p-1022") into buf (>= 13 bytes); returns its
 * length. */
static size_t exp_text(char *buf, char letter, int x)
{
	char tmp[12];
	size_t n = 0, k = 0;
	unsigned int v = x < 0 ? (unsigned int)-x : (unsigned int)x;

	buf[n++] = letter;
	buf[n++] = x < 0 ? '-' : '+';
	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (letter != 'p' && letter != 'P' && k < 2)
		tmp[k++] = '0';
	while (k)
		buf[n++] = tmp[--k];
	return n;
}

/* [-]ddd.ddd with nfrac digits after the point. */
static void put_fixed(struct __nolibc_out *o, const struct __nolibc_spec *sp,
		      char sign, const struct decimal *dec, size_t nfrac)
{
	size_t ilen = dec->pt > 0 ? (size_t)dec->pt : 1;
	int dot = nfrac || (sp->flags & __NOLIBC_F_ALT);
	size_t len =
		begin_field(o, sp, sign, "", ilen + (size_t)dot + nfrac, 1);

	if (dec->pt > 0)
		put_digits(o, dec, 0, dec->pt);
	else
		__nolibc_out_write(o, "0", 1);
	if (dot)
		__nolibc_out_write(o, ".", 1);
	put_digits(o, dec, dec->pt, (long long)dec->pt + (long long)nfrac);
	__nolibc_out_pad_right(o, sp, len);
}

/* [-]d.ddde±dd with nfrac digits after the point. */
static void put_exp(struct __nolibc_out *o, const struct __nolibc_spec *sp,
		    char sign, const struct decimal *dec, size_t nfrac,
		    int upper)
{
	char ebuf[16];
	int dot = nfrac || (sp->flags & __NOLIBC_F_ALT);
	int x = dec->nd ? dec->pt - 1 : 0;
	size_t elen = exp_text(ebuf, upper ? 'E' : 'e', x);
	size_t len =
		begin_field(o, sp, sign, "", 1 + (size_t)dot + nfrac + elen, 1);

	__nolibc_out_write(o, dec->nd ? dec->d : "0", 1);
	if (dot)
		__nolibc_out_write(o, ".", 1);
	put_digits(o, dec, 1, 1 + (long long)nfrac);
	__nolibc_out_write(o, ebuf, elen);
	__nolibc_out_pad_right(o, sp, len);
}

/* %a: [-]0xh.hhhp±d, subnormals as 0x0.hhhp-1022 (like glibc). */
static void put_hex(struct __nolibc_out *o, const struct __nolibc_spec *sp,
		    char sign, uint64_t bits, int upper)
{
	const char *xd = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int bexp = (int)((bits >> 52) & 0x7ff);
	uint64_t mant = bits & (((uint64_t)1 << 52) - 1);
	int x = 0, nfrac, i, dot;
	size_t extra = 0, elen, len;
	char ebuf[16], digits[14];

	if (bexp) {
		mant |= (uint64_t)1 << 52;
		x = bexp - 1023;
	} else if (mant) {
		x = -1022;
	}

	/* mant holds the leading digit above bit 52 and 13 hex digits. */
	if (sp->prec >= 0 && sp->prec < 13) {
		int shift = (13 - sp->prec) * 4;
		uint64_t rem = mant & (((uint64_t)1 << shift) - 1);
		uint64_t half = (uint64_t)1 << (shift - 1);

		mant >>= shift;
		if (rem > half || (rem == half && (mant & 1)))
			mant++; /* may carry into the leading digit: 0x2p+0 */
		mant <<= shift;
		nfrac = sp->prec;
	} else {
		nfrac = 13;
		if (sp->prec < 0) {
			while (nfrac && !((mant >> ((13 - nfrac) * 4)) & 0xf))
				nfrac--;
		} else {
			extra = (size_t)sp->prec - 13;
		}
	}

	digits[0] = xd[mant >> 52];
	for (i = 0; i < nfrac; i++)
		digits[1 + i] = xd[(mant >> (48 - 4 * i)) & 0xf];
	dot = nfrac || extra || (sp->flags & __NOLIBC_F_ALT);
	elen = exp_text(ebuf, upper ? 'P' : 'p', x);

	len = begin_field(o, sp, sign, upper ? "0X" : "0x",
			  2 + 1 + (size_t)dot + (size_t)nfrac + extra + elen,
			  1);
	__nolibc_out_write(o, digits, 1);
	if (dot)
		__nolibc_out_write(o, ".", 1);
	__nolibc_out_write(o, digits + 1, (size_t)nfrac);
	__nolibc_out_repeat(o, '0', extra);
	__nolibc_out_write(o, ebuf, elen);
	__nolibc_out_pad_right(o, sp, len);
}

uint64_t __nolibc_f128_to_f64(uint64_t hi, uint64_t lo)
{
	uint64_t sign = hi & ((uint64_t)1 << 63);
	int e = (int)((hi >> 48) & 0x7fff);
	uint64_t mhi = hi & (((uint64_t)1 << 48) - 1);

	if (e == 0x7fff) /* infinity, NaN (kept quiet and non-zero) */
		return sign | ((uint64_t)0x7ff << 52) |
		       (mhi || lo
				? ((uint64_t)1 << 51) | (mhi << 4) | (lo >> 60)
				: 0);
	if (e == 0) /* zero, or far below the smallest double */
		return sign;
	/* the 113-bit significand is h:lo (h: 49 bits); the double's biased
	 * exponent */
	uint64_t h = mhi | ((uint64_t)1 << 48), q, round, sticky;
	int de = e - 16383 + 1023;
	if (de >= 0x7ff)
		return sign | ((uint64_t)0x7ff << 52);
	/* keep 53 bits (fewer for a subnormal result), round half to even:
	 * 64-bit shifts only (no libgcc calls) */
	int sh = 60 + (de > 0 ? 0 : 1 - de);
	if (sh > 114)
		return sign;
	if (sh <= 64) {
		q = sh == 64 ? h : (h << (64 - sh)) | (lo >> sh);
		round = (lo >> (sh - 1)) & 1;
		sticky = lo & (((uint64_t)1 << (sh - 1)) - 1);
	} else {
		q = h >> (sh - 64);
		round = (h >> (sh - 65)) & 1;
		sticky = (h & (((uint64_t)1 << (sh - 65)) - 1)) | lo;
	}
	q += round && (sticky || (q & 1));
	/* a carry out of the significand moves into the exponent, up to
	 * infinity */
	return sign | (de > 0 ? ((uint64_t)(de - 1) << 52) + q : q);
}

void __nolibc_format_double(struct __nolibc_out *o,
			    const struct __nolibc_spec *sp, double v)
{
	union {
		double d;
		uint64_t u;
	} pun = {.d = v};
	uint64_t bits = pun.u;
	int bexp = (int)((bits >> 52) & 0x7ff);
	uint64_t frac = bits & (((uint64_t)1 << 52) - 1);
	char conv = sp->conv;
	int upper = conv == 'F' || conv == 'E' || conv == 'G' || conv == 'A';
	char sign = 0;
	struct decimal dec;
	size_t prec = sp->prec < 0 ? 6 : (size_t)sp->prec;

	if (bits >> 63)
		sign = '-';
	else if (sp->flags & __NOLIBC_F_PLUS)
		sign = '+';
	else if (sp->flags & __NOLIBC_F_SPACE)
		sign = ' ';

	if (bexp == 0x7ff) {
		const char *s = frac ? (upper ? "NAN" : "nan")
				     : (upper ? "INF" : "inf");
		size_t len = begin_field(o, sp, sign, "", 3, 0);

		__nolibc_out_write(o, s, 3);
		__nolibc_out_pad_right(o, sp, len);
		return;
	}
	if (conv == 'a' || conv == 'A') {
		put_hex(o, sp, sign, bits, upper);
		return;
	}

	dec.nd = 0;
	dec.pt = 0;
	if (bexp || frac) {
		if (bexp)
			to_decimal(frac | (uint64_t)1 << 52, bexp - 1075, &dec);
		else
			to_decimal(frac, -1074, &dec);
	}

	switch (conv) {
	case 'f':
	case 'F':
		round_digits(&dec, (long long)dec.pt + (long long)prec);
		put_fixed(o, sp, sign, &dec, prec);
		return;
	case 'e':
	case 'E':
		round_digits(&dec, 1 + (long long)prec);
		put_exp(o, sp, sign, &dec, prec, upper);
		return;
	default: { /* g G */
		long long p = prec ? (long long)prec : 1;
		long long x, nfrac;
		int alt = sp->flags & __NOLIBC_F_ALT;

		round_digits(&dec, p);
		x = dec.nd ? dec.pt - 1 : 0;
		if (x < p && x >= -4) {
			nfrac = p - 1 - x;
			if (!alt && nfrac > dec.nd - dec.pt)
				nfrac = dec.nd - dec.pt > 0 ? dec.nd - dec.pt
							    : 0;
			put_fixed(o, sp, sign, &dec, (size_t)nfrac);
		} else {
			nfrac = p - 1;
			if (!alt && nfrac > dec.nd - 1)
				nfrac = dec.nd > 1 ? dec.nd - 1 : 0;
			put_exp(o, sp, sign, &dec, (size_t)nfrac, upper);
		}
		return;
	}
	}
}
