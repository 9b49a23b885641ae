/* Native tests of ukcpio: extraction into an in-memory fake of the file
 * system calls, every malformation's message, and random mutations. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/cpio.h>
#include <uk/plat/bootinfo.h>
#include <uk/syscall.h>

/* ---- doubles: printk and boot info ---- */
static char logbuf[16384];
void uk_printk(int level, const char *lib, const char *fmt, ...)
{
	size_t n = strlen(logbuf);
	va_list ap;

	(void)level;
	if (n > sizeof(logbuf) - 600)
		n = 0;
	n += (size_t)snprintf(logbuf + n, sizeof(logbuf) - n, "[%s] ", lib);
	va_start(ap, fmt);
	n += (size_t)vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
	va_end(ap);
	snprintf(logbuf + n, sizeof(logbuf) - n, "\n");
}

static struct ukplat_bootinfo bi;
const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bi;
}

/* ---- the fake file system ---- */
#define MAXN   512
#define AT_CWD (-100)
enum { T_DIR = 1, T_REG, T_LNK };
struct node {
	char *path;
	int type;
	unsigned mode;
	long mtime;
	char *data;
	size_t size;
};
static struct node nodes[MAXN];
static int nnodes;
static int fds[16];
static int ncalls;
static const char *fail_call; /* inject: this call returns fail_rc */
static long fail_rc;
static size_t max_write = 7; /* short writes */

static void fs_reset(void)
{
	for (int i = 0; i < nnodes; i++) {
		free(nodes[i].path);
		free(nodes[i].data);
	}
	memset(nodes, 0, sizeof(nodes));
	nnodes = 0;
	memset(fds, 0xff, sizeof(fds));
	ncalls = 0;
	fail_call = NULL;
	logbuf[0] = 0;
	nodes[nnodes].path = strdup("/");
	nodes[nnodes++].type = T_DIR;
	nodes[nnodes].path = strdup("/d");
	nodes[nnodes++].type = T_DIR;
}

static struct node *lookup(const char *p)
{
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].path && !strcmp(nodes[i].path, p))
			return &nodes[i];
	return NULL;
}

static int parent_ok(const char *p)
{
	char buf[4200];
	char *s;

	snprintf(buf, sizeof(buf), "%s", p);
	s = strrchr(buf, '/');
	if (!s)
		return 0;
	if (s == buf)
		return 1;
	*s = 0;
	struct node *n = lookup(buf);
	return n && n->type == T_DIR;
}

static long inject(const char *call)
{
	ncalls++;
	if (fail_call && !strcmp(fail_call, call))
		return fail_rc;
	return 0;
}

static struct node *mknode(const char *p, int type, unsigned mode)
{
	char parent[4200], *sl;
	assert_true(nnodes < MAXN);
	/* as a file system does: the parent directory changes */
	snprintf(parent, sizeof(parent), "%s", p);
	sl = strrchr(parent, '/');
	if (sl && sl != parent) {
		*sl = 0;
		struct node *d = lookup(parent);
		if (d)
			d->mtime = 777777;
	}
	nodes[nnodes].path = strdup(p);
	nodes[nnodes].type = type;
	nodes[nnodes].mode = mode;
	return &nodes[nnodes++];
}

UK_SYSCALL_R_DEFINE(int, mkdirat, int, dirfd, const char *, path, unsigned,
		    mode)
{
	long rc = inject("mkdirat");
	assert_int_equal(dirfd, AT_CWD);
	if (rc)
		return (int)rc;
	if (lookup(path))
		return -EEXIST;
	if (!parent_ok(path))
		return -ENOENT;
	mknode(path, T_DIR, mode);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, openat, int, dirfd, const char *, path, int, flags,
		    unsigned, mode)
{
	long rc = inject("openat");
	struct node *n;
	assert_int_equal(dirfd, AT_CWD);
	assert_int_equal(flags & 03, 1); /* O_WRONLY */
	assert_true(flags & 0400000);	 /* O_NOFOLLOW */
	if (rc)
		return (int)rc;
	n = lookup(path);
	if (n && n->type == T_LNK)
		return -ELOOP;
	if (n && n->type == T_DIR)
		return -EISDIR;
	if (!n) {
		if (!parent_ok(path))
			return -ENOENT;
		n = mknode(path, T_REG, mode);
	}
	free(n->data);
	n->data = NULL;
	n->size = 0;
	for (int i = 0; i < 16; i++)
		if (fds[i] < 0) {
			fds[i] = (int)(n - nodes);
			return 3 + i;
		}
	return -EMFILE;
}

UK_SYSCALL_R_DEFINE(ssize_t, write, int, fd, const void *, buf, size_t, len)
{
	long rc = inject("write");
	struct node *n;
	if (rc)
		return rc;
	assert_true(fd >= 3 && fd < 19 && fds[fd - 3] >= 0);
	n = &nodes[fds[fd - 3]];
	if (len > max_write)
		len = max_write;
	n->data = realloc(n->data, n->size + len + 1);
	memcpy(n->data + n->size, buf, len);
	n->size += len;
	return (ssize_t)len;
}

UK_SYSCALL_R_DEFINE(int, close, int, fd)
{
	long rc = inject("close");
	assert_true(fd >= 3 && fd < 19 && fds[fd - 3] >= 0);
	fds[fd - 3] = -1;
	return (int)rc;
}

UK_SYSCALL_R_DEFINE(int, symlinkat, const char *, target, int, dirfd,
		    const char *, path)
{
	long rc = inject("symlinkat");
	struct node *n;
	assert_int_equal(dirfd, AT_CWD);
	if (rc)
		return (int)rc;
	if (lookup(path))
		return -EEXIST;
	if (!parent_ok(path))
		return -ENOENT;
	n = mknode(path, T_LNK, 0777);
	n->data = strdup(target);
	n->size = strlen(target);
	return 0;
}

UK_SYSCALL_R_DEFINE(int, unlinkat, int, dirfd, const char *, path, int, flags)
{
	long rc = inject("unlinkat");
	struct node *n;
	(void)dirfd, (void)flags;
	if (rc)
		return (int)rc;
	n = lookup(path);
	if (!n)
		return -ENOENT;
	free(n->path);
	n->path = NULL;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, fchmodat, int, dirfd, const char *, path, unsigned,
		    mode, int, flags)
{
	long rc = inject("fchmodat");
	struct node *n;
	(void)dirfd;
	assert_int_equal(flags, 0);
	if (rc)
		return (int)rc;
	n = lookup(path);
	if (!n)
		return -ENOENT;
	n->mode = mode;
	return 0;
}

struct ts {
	long s, ns;
};
UK_SYSCALL_R_DEFINE(int, utimensat, int, dirfd, const char *, path,
		    const struct ts *, t, int, flags)
{
	long rc = inject("utimensat");
	struct node *n;
	(void)dirfd;
	assert_int_equal(flags, 0x100);
	if (rc)
		return (int)rc;
	n = lookup(path);
	if (!n)
		return -ENOENT;
	n->mtime = t[1].s;
	return 0;
}

/* ---- archive builder ---- */
struct ar {
	unsigned char *b;
	size_t len, cap;
};

static void put(struct ar *a, const void *p, size_t n)
{
	if (a->len + n + 4 > a->cap) {
		a->cap = (a->len + n + 4) * 2;
		a->b = realloc(a->b, a->cap);
	}
	if (n)
		memcpy(a->b + a->len, p, n);
	a->len += n;
}

static void pad4(struct ar *a)
{
	while (a->len & 3)
		put(a, "", 1);
}

static void add_ex(struct ar *a, const char *magic, const char *name,
		   unsigned mode, unsigned nlink, unsigned mtime,
		   const void *data, size_t size)
{
	char h[160];
	unsigned sum = 0;
	for (size_t i = 0; i < size; i++)
		sum += ((const unsigned char *)data)[i];
	if (strcmp(magic, "070702"))
		sum = 0;
	snprintf(h, sizeof(h),
		 "%s%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		 magic, 1u, mode, 0u, 0u, nlink, mtime, size, 0u, 0u, 0u, 0u,
		 strlen(name) + 1, sum);
	put(a, h, 110);
	put(a, name, strlen(name) + 1);
	pad4(a);
	put(a, data, size);
	pad4(a);
}

static void add(struct ar *a, const char *name, unsigned mode, const char *data)
{
	add_ex(a, "070701", name, mode, 1, 1000, data, data ? strlen(data) : 0);
}

static void trailer(struct ar *a)
{
	add(a, "TRAILER!!!", 0, NULL);
}

static struct ar sample(void)
{
	struct ar a = {0};
	add(&a, ".", 040755, NULL);
	add(&a, "etc", 040755, NULL);
	add(&a, "etc/passwd", 0100644, "root:x:0:0::/:/bin/sh\n");
	add(&a, "./bin", 040711, NULL);
	add(&a, "bin/sh", 0100755, "#!binary");
	add(&a, "bin/ash", 0120777, "sh");
	add(&a, "usr/lib/deep/file", 0100600, "deep"); /* no parents */
	add(&a, "empty", 0100444, "");
	add(&a, "dev/null", 020666, NULL); /* skipped */
	trailer(&a);
	return a;
}

static struct uk_cpio_error err;

static void test_extract(void **state)
{
	(void)state;
	struct ar a = sample();
	struct node *n;

	fs_reset();
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), 9);
	assert_string_equal(err.msg, "");
	assert_int_equal(err.entries, 7);
	assert_int_equal(err.bytes, 22 + 8 + 4);
	n = lookup("/d/etc/passwd");
	assert_non_null(n);
	assert_int_equal(n->type, T_REG);
	assert_int_equal(n->mode, 0644);
	assert_int_equal(n->mtime, 1000);
	assert_memory_equal(n->data, "root:x:0:0::/:/bin/sh\n", 22);
	n = lookup("/d/bin");
	assert_int_equal(n->type, T_DIR);
	assert_int_equal(n->mtime, 1000); /* set again after its entries */
	assert_int_equal(lookup("/d/etc")->mtime, 1000);
	assert_int_equal(n->mode, 0711);
	n = lookup("/d/bin/ash");
	assert_int_equal(n->type, T_LNK);
	assert_string_equal(n->data, "sh");
	n = lookup("/d/usr/lib/deep/file");
	assert_non_null(n);
	assert_int_equal(n->mode, 0600);
	assert_int_equal(lookup("/d/usr/lib")->mode, 0755);
	assert_int_equal(lookup("/d/empty")->size, 0);
	assert_null(lookup("/d/dev/null"));
	assert_non_null(strstr(logbuf, "type 020000 not supported"));
	for (int i = 0; i < 16; i++)
		assert_int_equal(fds[i], -1);

	/* again on top: files truncated and rewritten, links replaced */
	logbuf[0] = 0;
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), 9);
	assert_int_equal(lookup("/d/etc/passwd")->size, 22);
	assert_string_equal(lookup("/d/bin/ash")->data, "sh");

	/* into the root: "/" + name, no double slash */
	fs_reset();
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/", &err), 9);
	assert_non_null(lookup("/etc/passwd"));
	free(a.b);
}

static void test_normalise(void **state)
{
	(void)state;
	struct ar a = {0};
	fs_reset();
	add(&a, "../../x", 0100644, "1");
	add(&a, "/abs/y", 0100644, "2");
	add(&a, "a/./b/../c", 0100644, "3");
	add(&a, "//a///d//", 040700, NULL);
	add(&a, "..", 040755, NULL);
	trailer(&a);
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), 5);
	assert_non_null(lookup("/d/x"));
	assert_non_null(lookup("/d/abs/y"));
	assert_non_null(lookup("/d/a/c"));
	assert_int_equal(lookup("/d/a/d")->mode, 0700);
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].path && strcmp(nodes[i].path, "/"))
			assert_memory_equal(nodes[i].path, "/d", 2);
	free(a.b);
}

static void test_symlink_escape(void **state)
{
	(void)state;
	struct ar a = {0};
	fs_reset();
	add(&a, "ok", 0100644, "fine");
	add(&a, "lnk", 0120777, "/");
	add(&a, "lnk/../lnk/evil", 0100644, "x");
	trailer(&a);
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), -EINVAL);
	assert_string_equal(err.msg,
			    "entry 'lnk/../lnk/evil' at offset 0xf0: path "
			    "goes through the symbolic link 'lnk' created by "
			    "an earlier entry");
	assert_int_equal(ncalls, 0); /* validated before anything is written */
	assert_null(lookup("/d/ok"));
	free(a.b);

	memset(&a, 0, sizeof(a));
	add(&a, "lnk", 0120777, "/");
	add(&a, "lnk", 040755, NULL);
	trailer(&a);
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "would replace the symbolic link"));
	free(a.b);
}

/* Build sample(), let `mut` damage it, and expect exactly `msg`. */
static void expect(struct ar *a, const char *msg)
{
	fs_reset();
	assert_int_equal(uk_cpio_extract(a->b, a->len, "/d", &err), -EINVAL);
	assert_string_equal(err.msg, msg);
	assert_int_equal(ncalls, 0);
	free(a->b);
	memset(a, 0, sizeof(*a));
}

static void test_malformed(void **state)
{
	(void)state;
	struct ar a = {0};
	static char big[5000];

	memset(big, 'x', sizeof(big));
	/* file data past the end (the example of the brief) */
	add(&a, "etc", 040755, NULL);
	add_ex(&a, "070701", "etc/passwd", 0100644, 1, 0, big, sizeof(big));
	a.len = 240 + 120;
	expect(&a, "entry 'etc/passwd' at offset 0x74: file data runs past the "
		   "end of the archive (needs 5000 bytes, 120 left)");

	add(&a, "a", 0100644, "1");
	memcpy(a.b, "070707", 6);
	trailer(&a);
	expect(&a, "entry #1 at offset 0x0: bad magic '070707' (expected "
		   "070701 or 070702)");

	add(&a, "a", 0100644, "1");
	add(&a, "b", 0100644, "1");
	a.b[0x74 + 6 + 8 * 6 + 3] = 'g'; /* filesize of b */
	trailer(&a);
	expect(&a, "entry #2 at offset 0x74: header field 'filesize' has a "
		   "non-hex digit (byte 0x67 at offset 0xad)");

	add(&a, "a", 0100644, "1");
	memcpy(a.b + 6 + 8 * 11, "00000000", 8);
	trailer(&a);
	expect(&a, "entry #1 at offset 0x0: name size is 0");

	add(&a, "a", 0100644, "1");
	memcpy(a.b + 6 + 8 * 11, "00001001", 8);
	trailer(&a);
	expect(&a, "entry #1 at offset 0x0: name size 4097 is larger than "
		   "PATH_MAX (4096)");

	add(&a, "abc", 0100644, "1");
	a.b[110 + 3] = 'X'; /* the NUL */
	trailer(&a);
	expect(&a, "entry #1 at offset 0x0: name (4 bytes) is not "
		   "NUL-terminated");

	add(&a, "abc", 0100644, "1");
	a.b[110 + 1] = 0;
	trailer(&a);
	expect(&a, "entry #1 at offset 0x0: name has a NUL byte at position 1 "
		   "of 3");

	add(&a, "a", 0100644, "1");
	memcpy(a.b + 6 + 8 * 11, "00000100", 8);
	expect(&a, "entry #1 at offset 0x0: name runs past the end of the "
		   "archive (needs 256 bytes, 6 left)");

	add(&a, "a", 0100644, "1");
	expect(&a, "entry #2 at offset 0x74: the archive ends without a "
		   "TRAILER!!! entry");

	add(&a, "a", 0100644, "1");
	trailer(&a);
	a.len -= 50;
	expect(&a, "entry #2 at offset 0x74: header runs past the end of the "
		   "archive (needs 110 bytes, 74 left)");

	add_ex(&a, "070702", "sum", 0100644, 1, 0, "abc", 3);
	a.b[a.len - 2] = 'd'; /* "abd" */
	trailer(&a);
	expect(&a, "entry 'sum' at offset 0x0: checksum mismatch (header says "
		   "0x00000126, the data sum to 0x00000127)");

	add(&a, "s", 0120777, "");
	trailer(&a);
	expect(&a,
	       "entry 's' at offset 0x0: symbolic link has an empty target");

	add(&a, ".", 0100644, "x");
	trailer(&a);
	expect(&a, "entry '.' at offset 0x0: names the destination itself but "
		   "is not a directory");

	/* a good checksum passes */
	add_ex(&a, "070702", "sum", 0100644, 1, 0, "abc", 3);
	trailer(&a);
	fs_reset();
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), 1);
	free(a.b);

	fs_reset();
	assert_int_equal(uk_cpio_extract(NULL, 0, "/d", &err), -EINVAL);
	assert_int_equal(uk_cpio_extract("", 0, "/d", NULL), -EINVAL);
}

static void test_concat(void **state)
{
	(void)state;
	struct ar a = {0};
	add(&a, "one", 0100644, "1");
	trailer(&a);
	put(&a, "\0\0\0\0\0\0\0\0", 8);
	add(&a, "two", 0100644, "2");
	trailer(&a);
	put(&a, "\0\0\0\0", 4);
	fs_reset();
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), 2);
	assert_non_null(lookup("/d/one"));
	assert_non_null(lookup("/d/two"));
	put(&a, "junk", 4);
	for (int i = 0; i < 106; i++)
		put(&a, "z", 1);
	expect(&a, "entry #3 at offset 0x1f4: bad magic 'junkzz' (expected "
		   "070701 or 070702)");
}

static void add_ino(struct ar *a, const char *name, unsigned ino,
		    unsigned nlink, const char *data)
{
	size_t l = a->len;
	char h[9];
	add_ex(a, "070701", name, 0100640, nlink, 5, data, strlen(data));
	snprintf(h, sizeof(h), "%08x", ino);
	memcpy(a->b + l + 6, h, 8);
}

static void test_hard_links(void **state)
{
	(void)state;
	struct ar a = {0};

	/* as GNU cpio writes them: the data with the last name */
	add_ino(&a, "h1", 7, 3, "");
	add_ino(&a, "h2", 7, 3, "");
	add_ino(&a, "h3", 7, 3, "shared");
	add_ino(&a, "e1", 8, 2, ""); /* a group without data: empty */
	add_ino(&a, "e2", 8, 2, "");
	trailer(&a);
	add_ino(&a, "x", 7, 2, ""); /* another archive: its own inode 7 */
	add_ino(&a, "y", 7, 2, "other");
	trailer(&a);
	fs_reset();
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), 7);
	for (int i = 1; i <= 3; i++) {
		char p[8];
		snprintf(p, sizeof(p), "/d/h%d", i);
		struct node *n = lookup(p);
		assert_non_null(n);
		assert_int_equal(n->size, 6);
		assert_memory_equal(n->data, "shared", 6);
		assert_int_equal(n->mode, 0640);
	}
	assert_int_equal(lookup("/d/e1")->size, 0);
	assert_int_equal(lookup("/d/e2")->size, 0);
	assert_memory_equal(lookup("/d/x")->data, "other", 5);
	assert_int_equal(err.bytes, 6 * 3 + 5 * 2);
	free(a.b);
}

static void test_syscall_errors(void **state)
{
	(void)state;
	struct ar a = sample();

	fs_reset();
	fail_call = "write";
	fail_rc = -ENOSPC;
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), -ENOSPC);
	assert_string_equal(err.msg, "entry 'etc/passwd' at offset 0xe4: "
				     "write('/d/etc/passwd') failed: error 28");
	for (int i = 0; i < 16; i++)
		assert_int_equal(fds[i], -1); /* closed */

	fs_reset();
	fail_call = "fchmodat";
	fail_rc = -ENOSYS; /* tolerated, once warned */
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), 9);
	assert_non_null(strstr(logbuf, "fchmodat not supported"));

	fs_reset();
	fail_call = "utimensat";
	fail_rc = -EIO;
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), -EIO);
	assert_non_null(strstr(err.msg, "utimensat('/d/etc') failed: error 5"));

	fs_reset();
	fail_call = "mkdirat";
	fail_rc = -EROFS;
	assert_int_equal(uk_cpio_extract(a.b, a.len, "/d", &err), -EROFS);
	free(a.b);
}

static void test_initrd_init(void **state)
{
	(void)state;
	struct ar a = sample();

	fs_reset();
	bi.initrd = NULL;
	bi.initrd_len = 0;
	assert_int_equal(uk_cpio_initrd_init(), 0);
	assert_int_equal(ncalls, 0);

	bi.initrd = a.b;
	bi.initrd_len = a.len;
	assert_int_equal(uk_cpio_initrd_init(), 0);
	assert_non_null(lookup("/etc/passwd"));
	assert_non_null(strstr(logbuf, "[ukcpio] initrd: 9 entries, 34 bytes"));

	fs_reset();
	bi.initrd_len = a.len - 20;
	assert_int_equal(uk_cpio_initrd_init(), -EINVAL);
	assert_non_null(strstr(logbuf,
			       "[ukcpio] initrd: entry #10 at offset 0x458: "
			       "header runs past the end of the archive"));
	assert_int_equal(ncalls, 0);
	free(a.b);
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_fuzz(void **state)
{
	(void)state;
	struct ar a = sample();
	unsigned char *m = malloc(a.len);
	int ok = 0, bad = 0;

	max_write = 4096;
	for (int it = 0; it < 20000; it++) {
		size_t len = a.len;
		memcpy(m, a.b, a.len);
		int nmut = 1 + (int)(rnd() % 4);
		for (int k = 0; k < nmut; k++) {
			size_t pos = rnd() % a.len;
			switch (rnd() % 5) {
			case 0: /* bit flip */
				m[pos] ^= (unsigned char)(1u << (rnd() % 8));
				break;
			case 1: /* random byte */
				m[pos] = (unsigned char)rnd();
				break;
			case 2: /* hex digit change */
				m[pos] = "0123456789abcdef"[rnd() % 16];
				break;
			case 3: /* truncate */
				len = rnd() % (len + 1);
				break;
			default: /* big size field */
				memcpy(m + (pos / 4) * 4, "ffff", 4);
				break;
			}
		}
		/* copy to an exact-size block so ASan sees overreads */
		unsigned char *c = malloc(len ? len : 1);
		memcpy(c, m, len);
		fs_reset();
		int rc = uk_cpio_extract(c, len, "/d", &err);
		if (rc >= 0) {
			ok++;
			assert_string_equal(err.msg, "");
		} else {
			bad++;
			assert_memory_equal(err.msg, "entry ", 6);
			if (rc == -EINVAL)
				assert_int_equal(ncalls, 0);
			else /* e.g. a file where a directory should be */
				assert_non_null(strstr(err.msg, "failed"));
		}
		for (int i = 0; i < nnodes; i++)
			if (nodes[i].path && strcmp(nodes[i].path, "/"))
				assert_memory_equal(nodes[i].path, "/d", 2);
		free(c);
	}
	printf("fuzz: %d extracted, %d refused\n", ok, bad);
	assert_true(bad > 1000);
	max_write = 7;
	free(m);
	free(a.b);
	fs_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_symlink_escape),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_concat),
		cmocka_unit_test(test_hard_links),
		cmocka_unit_test(test_syscall_errors),
		cmocka_unit_test(test_initrd_init),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
