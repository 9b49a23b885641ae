/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of the /etc files a libc parses, after the initrd may have
 * replaced them: every line the libc (musl's parsers are the reference)
 * would skip or misread is named with its file, line number and what is
 * wrong. Nothing is changed: the good lines keep working, the user fixes
 * the file. Bounded: files up to 1 MiB, ten messages per file.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/arch/linux.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/rootfs.h>
#include <uk/syscall.h>

#define AT_FDCWD_   (-100)
#define O_RDONLY_   0
#define O_CLOEXEC_  02000000
#define FILE_MAX    (1024 * 1024)
#define MAX_REPORTS 10
#define HOSTS_LINE  511 /* musl reads /etc/hosts with fgets(512) */

struct ck {
	const char *path;
	unsigned line, bad; /* bad: lines with a problem */
	unsigned last;	    /* the last line counted in bad */
};

/* "PATH line N: A[B[C]]", for the first MAX_REPORTS bad lines */
static void bad(struct ck *c, const char *a, const char *b, const char *cc)
{
	if (c->last != c->line) {
		c->bad++;
		c->last = c->line;
	}
	if (c->bad <= MAX_REPORTS)
		uk_pr_warn("%s line %u: %s%s%s\n", c->path, c->line, a,
			   b ? b : "", cc ? cc : "");
}

/* A numeric id field [s, e): digits only, at most 4294967295. Returns
 * NULL when fine, else what is wrong. */
static const char *id_problem(const char *s, const char *e)
{
	unsigned long long v = 0;

	if (s == e)
		return "is empty: read as 0 (root)";
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return "is not a number: the line is skipped";
		v = v * 10 + (unsigned)(*s - '0');
		if (v > 4294967295ULL)
			return "is larger than 4294967295: read wrapped";
	}
	return NULL;
}

/* Split [s, e) at ':' into at most `n` fields (the last takes the rest).
 * Returns the count. */
static unsigned fields(const char *s, const char *e, const char **f,
		       const char **fe, unsigned n)
{
	unsigned k = 0;

	f[k] = s;
	while (s < e && k + 1 < n) { /* bounded: the line */
		if (*s == ':') {
			fe[k++] = s;
			f[k] = s + 1;
		}
		s++;
	}
	fe[k] = e;
	return k + 1;
}

static void copy_field(char *out, size_t size, const char *s, const char *e)
{
	size_t n = (size_t)(e - s) < size - 1 ? (size_t)(e - s) : size - 1;

	memcpy(out, s, n);
	out[n] = 0;
}
/* passwd (7 fields, uid 3rd, gid 4th) and group (4 fields, gid 3rd) */
static void check_ids_line(struct ck *c, const char *s, const char *e,
			   int passwd)
{
	const char *f[7], *fe[7], *p;
	unsigned want = passwd ? 7 : 4, n = fields(s, e, f, fe, want);
	char count[2] = {(char)('0' + n), 0};

	if (s == e || *s == '#')
		return; /* blank or a comment: no entry, nothing lost */
	if (n < want) {
		bad(c, "skipped: ", count,
		    passwd ? " fields, a passwd entry has 7 "
			     "(name:password:uid:gid:gecos:home:shell)"
			   : " fields, a group entry has 4 "
			     "(name:password:gid:members)");
		return;
	}
	if (f[0] == fe[0]) {
		bad(c, "has an empty name", NULL, NULL);
		return;
	}
	if (passwd && (p = id_problem(f[2], fe[2])) != NULL)
		bad(c, "uid ", p, NULL);
	else if ((p = id_problem(f[passwd ? 3 : 2], fe[passwd ? 3 : 2])))
		bad(c, "gid ", p, NULL);
}

/* musl's inet_aton: 1 to 4 parts, each decimal, 0x hex or 0 octal; parts
 * before the last at most 255, the last fills the remaining bytes. */
static int is_ipv4(const char *s, const char *e)
{
	static const unsigned long long last_max[5] = {
		0, 0xffffffffULL, 0xffffffULL, 0xffffULL, 0xffULL};
	unsigned long long v = 0;
	int parts = 0;

	while (s < e) { /* bounded: each pass consumes a part */
		int base = 10, digits = 0;

		if (*s < '0' || *s > '9' || ++parts > 4)
			return 0;
		if (*s == '0' && e - s > 1 && (s[1] == 'x' || s[1] == 'X'))
			base = 16, s += 2;
		else if (*s == '0')
			base = 8;
		for (v = 0; s < e && *s != '.'; s++, digits++) {
			int d = (*s >= '0' && *s <= '9')   ? *s - '0'
				: (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10
				: (*s >= 'A' && *s <= 'F') ? *s - 'A' + 10
							   : 99;
			if (d >= base)
				return 0;
			v = v * (unsigned)base + (unsigned)d;
			if (v > 0xffffffffULL)
				return 0;
		}
		if (!digits)
			return 0;
		if (s < e) { /* a '.': not the last part */
			if (v > 255 || ++s == e)
				return 0;
		}
	}
	return parts > 0 && v <= last_max[parts];
}

/* RFC 4291 text forms: hex groups, one "::", an IPv4 tail, a %scope. */
static int is_ipv6(const char *s, const char *e)
{
	const char *pct = memchr(s, '%', (size_t)(e - s));
	int groups = 0, gap = 0;

	if (pct) {
		if (pct + 1 == e)
			return 0;
		e = pct;
	}
	if (e - s >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 1;
		s += 2;
	} else if (s < e && *s == ':') {
		return 0;
	}
	while (s < e) { /* bounded: each pass consumes a group */
		const char *g = s;
		int n = 0;

		while (s < e && n < 5 &&
		       ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
			(*s >= 'A' && *s <= 'F')))
			s++, n++;
		if (s < e && *s == '.') { /* the last 32 bits as IPv4 */
			const char *q = g;
			int dots = 0;

			for (; q < e; q++)
				dots += *q == '.';
			if (dots != 3 || !is_ipv4(g, e))
				return 0;
			groups += 2;
			s = e;
			break;
		}
		if (n == 0 || n > 4)
			return 0;
		groups++;
		if (s == e)
			break;
		if (*s != ':')
			return 0;
		s++;
		if (s < e && *s == ':') {
			if (gap)
				return 0;
			gap = 1;
			s++;
		} else if (s == e) {
			return 0; /* a trailing single ':' */
		}
	}
	return gap ? groups < 8 : groups == 8;
}

static int space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void check_hosts_line(struct ck *c, const char *s, const char *e)
{
	const char *a, *ae, *hash = memchr(s, '#', (size_t)(e - s));
	char val[48];

	if (e - s > HOSTS_LINE - 1)
		bad(c,
		    "is longer than 510 bytes: musl reads it as several "
		    "lines",
		    NULL, NULL);
	if (hash)
		e = hash;
	while (s < e && space(*s))
		s++;
	if (s == e)
		return; /* blank or a comment */
	for (a = s; s < e && !space(*s);)
		s++;
	ae = s;
	if (!is_ipv4(a, ae) && !is_ipv6(a, ae)) {
		copy_field(val, sizeof(val), a, ae);
		bad(c, "is ignored: not an IPv4 or IPv6 address: '", val, "'");
		return;
	}
	while (s < e && space(*s))
		s++;
	if (s == e)
		bad(c, "has an address but no host name", NULL, NULL);
}

static void check_text(struct ck *c, const char *buf, size_t len,
		       enum uk_rootfs_kind kind)
{
	const char *s = buf, *end = buf + len;

	while (s < end) { /* bounded: len */
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		const char *nul = memchr(s, 0, (size_t)(e - s));

		c->line++;
		if (nul)
			bad(c,
			    "has a NUL byte: the libc sees the line end there",
			    NULL, NULL);
		else if (kind == UK_ROOTFS_HOSTS)
			check_hosts_line(c, s, e);
		else
			check_ids_line(c, s, e, kind == UK_ROOTFS_PASSWD);
		if (!nl && kind != UK_ROOTFS_HOSTS && e > s)
			bad(c,
			    "does not end with a newline: musl drops its "
			    "last character",
			    NULL, NULL);
		s = nl ? nl + 1 : end;
	}
}

struct stat_ { /* Linux's struct stat, in the architecture's layout */
	UKARCH_STAT_FIELDS
};

int uk_rootfs_check_file(const char *path, enum uk_rootfs_kind kind)
{
	struct ck c = {path, 0, 0, 0};
	struct stat_ st;
	size_t len = 0, size;
	char *buf;
	long fd, r;

	fd = uk_syscall_call(openat, AT_FDCWD_, path, O_RDONLY_ | O_CLOEXEC_,
			     0);
	if (fd < 0)
		return (int)fd;
	r = uk_syscall_call(fstat, fd, &st);
	if (!r && st.st_size > FILE_MAX) {
		uk_pr_warn("%s: larger than 1 MiB, not checked\n", path);
		r = -EFBIG;
	}
	size = r ? 0 : (size_t)st.st_size;
	buf = r ? NULL : malloc(size + 1);
	if (!r && !buf)
		r = -ENOMEM;
	while (!r && len < size) { /* bounded: size */
		long n = uk_syscall_call(read, fd, buf + len, size - len);

		if (n <= 0) {
			r = n; /* it shrank (0) or failed */
			break;
		}
		len += (size_t)n;
	}
	uk_syscall_call(close, fd);
	if (r >= 0) {
		check_text(&c, buf, len, kind);
		if (c.bad > MAX_REPORTS)
			uk_pr_warn("%s: %u more malformed lines\n", path,
				   c.bad - MAX_REPORTS);
		r = (long)c.bad;
	}
	free(buf);
	return (int)r;
}

int uk_rootfs_check(void)
{
	uk_rootfs_check_file("/etc/passwd", UK_ROOTFS_PASSWD);
	uk_rootfs_check_file("/etc/group", UK_ROOTFS_GROUP);
	uk_rootfs_check_file("/etc/hosts", UK_ROOTFS_HOSTS);
	return 0;
}
UK_INIT_CLASS(uk_rootfs_check, UK_INIT_SYS, 1);
