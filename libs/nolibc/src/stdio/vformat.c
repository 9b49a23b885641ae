/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The printf engine (C11 7.21.6.1), minus the floating-point conversions
 * (fmt_double.c). Output goes to a sink in pieces; nothing is allocated.
 *
 * Beyond C11: %p prints like glibc ("0x..." or "(nil)"); %s of NULL prints
 * "(null)" (nothing if a precision below 6 is given, like glibc); unknown
 * conversions, and a '%' spec cut short by the end of the format, are
 * printed literally.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include "stdio_impl.h"

typedef __WCHAR_TYPE__ wchar;

enum length {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_J,
	LEN_T,
	LEN_BIGL,
};

void __nolibc_out_write(struct __nolibc_out *o, const char *p, size_t n)
{
	if (!n)
		return;
	if (!o->sink->full)
		o->sink->write(o->sink, p, n);
	o->count += n;
}

void __nolibc_out_repeat(struct __nolibc_out *o, char c, size_t n)
{
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(buf) && i < n; i++)
		buf[i] = c;
	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		if (o->sink->full) {
			o->count += n; /* nobody looks: just count */
			return;
		}
		__nolibc_out_write(o, buf, k);
		n -= k;
	}
}

void __nolibc_out_pad_left(struct __nolibc_out *o,
			   const struct __nolibc_spec *sp, size_t len)
{
	if (!(sp->flags & __NOLIBC_F_MINUS) && (size_t)sp->width > len)
		__nolibc_out_repeat(o, ' ', (size_t)sp->width - len);
}

void __nolibc_out_pad_right(struct __nolibc_out *o,
			    const struct __nolibc_spec *sp, size_t len)
{
	if ((sp->flags & __NOLIBC_F_MINUS) && (size_t)sp->width > len)
		__nolibc_out_repeat(o, ' ', (size_t)sp->width - len);
}

static void format_chars(struct __nolibc_out *o, const struct __nolibc_spec *sp,
			 const char *s, size_t len)
{
	__nolibc_out_pad_left(o, sp, len);
	__nolibc_out_write(o, s, len);
	__nolibc_out_pad_right(o, sp, len);
}

/*
 * d i u o x X p. v is the magnitude, neg its sign; is_signed allows the '+'
 * and ' ' flags.
 */
static void format_int(struct __nolibc_out *o, const struct __nolibc_spec *sp,
		       uintmax_t v, int neg, unsigned int base, int is_signed)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	const char *xd = sp->conv == 'X' ? upper : lower;
	char buf[3 * sizeof(uintmax_t)];
	char pre[3];
	size_t npre = 0, nd = 0, zeros, len, prec;
	int nonzero = v != 0;

	while (v) {
		buf[sizeof(buf) - ++nd] = xd[v % base];
		v /= base;
	}
	prec = sp->prec < 0 ? 1 : (size_t)sp->prec;
	zeros = prec > nd ? prec - nd : 0;
	/* '#' with o: the first digit must be a 0. */
	if (base == 8 && (sp->flags & __NOLIBC_F_ALT) && !zeros)
		zeros = 1;

	if (neg)
		pre[npre++] = '-';
	else if (is_signed && (sp->flags & __NOLIBC_F_PLUS))
		pre[npre++] = '+';
	else if (is_signed && (sp->flags & __NOLIBC_F_SPACE))
		pre[npre++] = ' ';
	if (base == 16 && (sp->flags & __NOLIBC_F_ALT) && nonzero) {
		pre[npre++] = '0';
		pre[npre++] = sp->conv == 'X' ? 'X' : 'x';
	}

	len = npre + zeros + nd;
	/* '0' pads with zeros, unless '-' or a precision is given. */
	if ((sp->flags & (__NOLIBC_F_ZERO | __NOLIBC_F_MINUS)) ==
		    __NOLIBC_F_ZERO &&
	    sp->prec < 0 && (size_t)sp->width > len) {
		zeros += (size_t)sp->width - len;
		len = (size_t)sp->width;
	}

	__nolibc_out_pad_left(o, sp, len);
	__nolibc_out_write(o, pre, npre);
	__nolibc_out_repeat(o, '0', zeros);
	__nolibc_out_write(o, buf + sizeof(buf) - nd, nd);
	__nolibc_out_pad_right(o, sp, len);
}

/* %lc and %ls in the "C" locale: only ASCII converts. */
static int format_wide(struct __nolibc_out *o, const struct __nolibc_spec *sp,
		       const wchar *ws, size_t max)
{
	char buf[32];
	size_t len = 0, i, k;

	while (len < max && ws[len]) {
		if ((unsigned int)ws[len] > 0x7f) {
			errno = EILSEQ;
			return -1;
		}
		len++;
	}
	__nolibc_out_pad_left(o, sp, len);
	for (i = 0; i < len; i += k) {
		for (k = 0; k < sizeof(buf) && i + k < len; k++)
			buf[k] = (char)ws[i + k];
		__nolibc_out_write(o, buf, k);
	}
	__nolibc_out_pad_right(o, sp, len);
	return 0;
}

static intmax_t get_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
	case LEN_BIGL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return va_arg(*ap, ssize_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t get_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
	case LEN_BIGL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	case LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void store_count(va_list *ap, enum length len, size_t count)
{
	void *p = va_arg(*ap, void *);

	switch (len) {
	case LEN_HH:
		*(signed char *)p = (signed char)count;
		break;
	case LEN_H:
		*(short *)p = (short)count;
		break;
	case LEN_L:
		*(long *)p = (long)count;
		break;
	case LEN_LL:
	case LEN_BIGL:
		*(long long *)p = (long long)count;
		break;
	case LEN_Z:
		*(ssize_t *)p = (ssize_t)count;
		break;
	case LEN_J:
		*(intmax_t *)p = (intmax_t)count;
		break;
	case LEN_T:
		*(ptrdiff_t *)p = (ptrdiff_t)count;
		break;
	default:
		*(int *)p = (int)count;
		break;
	}
}

/* Decimal digits at *fmt; -1 if the number exceeds INT_MAX. */
static int parse_uint(const char **fmt)
{
	const char *p = *fmt;
	int v = 0, ovf = 0;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT_MAX - (*p - '0')) / 10)
			ovf = 1;
		else
			v = v * 10 + (*p - '0');
	}
	*fmt = p;
	return ovf ? -1 : v;
}

/* Formats one conversion (fmt points after the '%'); returns 0 or -1. */
static int format_spec(struct __nolibc_out *o, const char **fmtp, va_list *ap)
{
	const char *start = *fmtp - 1; /* the '%' */
	const char *fmt = *fmtp;
	struct __nolibc_spec sp = {0, 0, -1, 0};
	enum length len = LEN_NONE;
	intmax_t sv;
	const char *s;
	char c;

	for (;; fmt++) {
		if (*fmt == '-')
			sp.flags |= __NOLIBC_F_MINUS;
		else if (*fmt == '+')
			sp.flags |= __NOLIBC_F_PLUS;
		else if (*fmt == ' ')
			sp.flags |= __NOLIBC_F_SPACE;
		else if (*fmt == '#')
			sp.flags |= __NOLIBC_F_ALT;
		else if (*fmt == '0')
			sp.flags |= __NOLIBC_F_ZERO;
		else
			break;
	}

	if (*fmt == '*') {
		int w = va_arg(*ap, int);

		fmt++;
		if (w < 0) {
			sp.flags |= __NOLIBC_F_MINUS;
			if (w == INT_MIN)
				goto overflow;
			w = -w;
		}
		sp.width = w;
	} else if ((sp.width = parse_uint(&fmt)) < 0) {
		goto overflow;
	}

	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			int p = va_arg(*ap, int);

			fmt++;
			sp.prec = p < 0 ? -1 : p;
		} else if ((sp.prec = parse_uint(&fmt)) < 0) {
			goto overflow;
		}
	}

	switch (*fmt) {
	case 'h':
		len = LEN_H;
		if (*++fmt == 'h') {
			len = LEN_HH;
			fmt++;
		}
		break;
	case 'l':
		len = LEN_L;
		if (*++fmt == 'l') {
			len = LEN_LL;
			fmt++;
		}
		break;
	case 'z':
		len = LEN_Z;
		fmt++;
		break;
	case 'j':
		len = LEN_J;
		fmt++;
		break;
	case 't':
		len = LEN_T;
		fmt++;
		break;
	case 'L':
		len = LEN_BIGL;
		fmt++;
		break;
	}

	sp.conv = *fmt;
	if (!sp.conv) {
		/* Cut short by the end of the format: print it as it is. */
		__nolibc_out_write(o, start, (size_t)(fmt - start));
		*fmtp = fmt;
		return 0;
	}
	*fmtp = fmt + 1;

	switch (sp.conv) {
	case 'd':
	case 'i':
		sv = get_signed(ap, len);
		format_int(o, &sp, sv < 0 ? 0 - (uintmax_t)sv : (uintmax_t)sv,
			   sv < 0, 10, 1);
		break;
	case 'u':
		format_int(o, &sp, get_unsigned(ap, len), 0, 10, 0);
		break;
	case 'o':
		format_int(o, &sp, get_unsigned(ap, len), 0, 8, 0);
		break;
	case 'x':
	case 'X':
		format_int(o, &sp, get_unsigned(ap, len), 0, 16, 0);
		break;
	case 'p': {
		void *p = va_arg(*ap, void *);

		if (!p) {
			format_chars(o, &sp, "(nil)", 5);
		} else {
			/* glibc: like %#lx, and '+' / ' ' are honoured. */
			sp.flags |= __NOLIBC_F_ALT;
			format_int(o, &sp, (uintptr_t)p, 0, 16, 1);
		}
		break;
	}
	case 'c':
		if (len == LEN_L) {
			wchar wc[1];

			wc[0] = (wchar)va_arg(*ap, __WINT_TYPE__);
			if (!wc[0]) {
				format_chars(o, &sp, "", 1);
				break;
			}
			return format_wide(o, &sp, wc, 1);
		}
		c = (char)va_arg(*ap, int);
		format_chars(o, &sp, &c, 1);
		break;
	case 's':
		if (len == LEN_L) {
			const wchar *ws = va_arg(*ap, const wchar *);
			size_t max = sp.prec < 0 ? SIZE_MAX : (size_t)sp.prec;

			if (ws)
				return format_wide(o, &sp, ws, max);
			s = NULL;
		} else {
			s = va_arg(*ap, const char *);
		}
		if (!s) {
			s = (sp.prec < 0 || sp.prec >= 6) ? "(null)" : "";
			format_chars(o, &sp, s, strlen(s));
		} else if (sp.prec < 0) {
			format_chars(o, &sp, s, strlen(s));
		} else {
			format_chars(o, &sp, s, strnlen(s, (size_t)sp.prec));
		}
		break;
	case 'n':
		store_count(ap, len, o->count);
		break;
	case '%':
		__nolibc_out_write(o, "%", 1);
		break;
	case 'f':
	case 'F':
	case 'e':
	case 'E':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		if (len == LEN_BIGL) {
			long double ld = va_arg(*ap, long double);
			double d;
#if __LDBL_MANT_DIG__ == 113 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			uint64_t w[2], bits;

			__builtin_memcpy(w, &ld, sizeof(w));
			bits = __nolibc_f128_to_f64(w[1], w[0]);
			__builtin_memcpy(&d, &bits, sizeof(d));
#else
			d = (double)ld;
#endif
			__nolibc_format_double(o, &sp, d);
		} else
			__nolibc_format_double(o, &sp, va_arg(*ap, double));
		break;
	default:
		/* Unknown conversion: print the whole spec literally. */
		__nolibc_out_write(o, start, (size_t)(fmt + 1 - start));
		break;
	}
	return 0;

overflow:
	errno = EOVERFLOW;
	return -1;
}

int __nolibc_vformat(struct __nolibc_sink *sink, const char *fmt, va_list ap)
{
	struct __nolibc_out o = {sink, 0};
	va_list args;
	int ret = 0;

	/* A local copy, so that helpers can take its address portably. */
	va_copy(args, ap);
	while (*fmt) {
		const char *lit = fmt;

		while (*fmt && *fmt != '%')
			fmt++;
		__nolibc_out_write(&o, lit, (size_t)(fmt - lit));
		if (!*fmt)
			break;
		fmt++;
		if (format_spec(&o, &fmt, &args)) {
			ret = -1;
			break;
		}
	}
	va_end(args);

	if (ret)
		return ret;
	if (o.count > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o.count;
}
