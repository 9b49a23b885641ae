/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cpio "newc" parser and extractor. Two passes over the archive with the same
 * walker: the first only validates (headers, names, sizes, checksums,
 * trailer, paths), the second writes through the system call functions. So a
 * malformed archive never leaves anything behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/cpio.h>
#include <uk/init.h>
#include <uk/plat/bootinfo.h>
#include <uk/print.h>
#include <uk/syscall.h>

/* Linux x86_64 values (the libc headers may lack them). */
#define CPIO_AT_FDCWD		 (-100)
#define CPIO_AT_SYMLINK_NOFOLLOW 0x100
#define CPIO_O_WRONLY		 01
#define CPIO_O_CREAT		 0100
#define CPIO_O_TRUNC		 01000
#define CPIO_O_NOFOLLOW		 0400000
#define CPIO_O_CLOEXEC		 02000000
#define CPIO_S_IFMT		 0170000
#define CPIO_S_IFDIR		 0040000
#define CPIO_S_IFREG		 0100000
#define CPIO_S_IFLNK		 0120000

#define HDR_LEN 110
#define TRAILER "TRAILER!!!"

struct cpio_timespec { /* struct timespec, Linux x86_64 layout */
	long tv_sec;
	long tv_nsec;
};

enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	F_NR
};
static const char *const field_names[F_NR] = {
	"ino",	     "mode",	 "uid",	     "gid",	 "nlink",
	"mtime",     "filesize", "devmajor", "devminor", "rdevmajor",
	"rdevminor", "namesize", "check",
};

struct entry {
	size_t off;	  /* header offset */
	size_t idx;	  /* 0-based entry number */
	const char *name; /* NUL-terminated inside the archive, or NULL */
	uint32_t f[F_NR];
	int crc; /* 070702 */
	const uint8_t *data;
	size_t size;
	size_t next; /* offset after the padded data */
};

struct dirtime {
	char *path;
	long mtime;
};

/* The data of a hard-link group (same archive, inode and device). */
struct hlink {
	unsigned arch;
	uint32_t ino, maj, min;
	const uint8_t *data;
	size_t size;
};

struct walk {
	const uint8_t *buf;
	size_t len;
	const char *dest;
	size_t destlen;
	int extract;
	struct uk_cpio_error *err;
	char **links; /* symbolic links created so far (normalised) */
	size_t nlinks, caplinks;
	struct dirtime *dirs; /* directories extracted, for their mtimes */
	size_t ndirs, capdirs;
	struct hlink *hl; /* hard-link groups' data (validation pass) */
	size_t nhl, caphl;
	int warned_nosys;
	char rel[UK_CPIO_PATH_MAX];
	char path[UK_CPIO_PATH_MAX];
	char target[UK_CPIO_PATH_MAX];
};

__attribute__((format(printf, 3, 4))) static int
fail(struct walk *w, const struct entry *e, const char *fmt, ...)
{
	struct uk_cpio_error *err = w->err;
	va_list ap;
	int n;

	if (!err)
		return -EINVAL;
	err->offset = e->off;
	if (e->name)
		n = snprintf(err->msg, sizeof(err->msg),
			     "entry '%.200s' at offset 0x%zx: ", e->name,
			     e->off);
	else
		n = snprintf(err->msg, sizeof(err->msg),
			     "entry #%zu at offset 0x%zx: ", e->idx + 1,
			     e->off);
	if (n < 0 || (size_t)n >= sizeof(err->msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/* Parse the header at e->off; 0 or -EINVAL (message set). */
static int parse_header(struct walk *w, struct entry *e)
{
	const char *h = (const char *)w->buf + e->off;
	size_t left = w->len - e->off, nlen, p;

	if (left < HDR_LEN)
		return fail(w, e,
			    "header runs past the end of the archive (needs "
			    "%d bytes, %zu left)",
			    HDR_LEN, left);
	if (memcmp(h, "07070", 5) || (h[5] != '1' && h[5] != '2')) {
		char m[7];
		for (int i = 0; i < 6; i++)
			m[i] = (h[i] >= 0x20 && h[i] < 0x7f) ? h[i] : '?';
		m[6] = '\0';
		return fail(w, e, "bad magic '%s' (expected 070701 or 070702)",
			    m);
	}
	e->crc = h[5] == '2';
	for (int i = 0; i < F_NR; i++) {
		uint32_t v = 0;
		for (int j = 0; j < 8; j++) {
			char c = h[6 + 8 * i + j];
			int d = hexval(c);
			if (d < 0)
				return fail(w, e,
					    "header field '%s' has a non-hex "
					    "digit (byte 0x%02x at offset "
					    "0x%zx)",
					    field_names[i], (unsigned char)c,
					    e->off + 6 + 8 * i + j);
			v = (v << 4) | (uint32_t)d;
		}
		e->f[i] = v;
	}
	nlen = e->f[F_NAMESIZE];
	if (nlen == 0)
		return fail(w, e, "name size is 0");
	if (nlen > UK_CPIO_PATH_MAX)
		return fail(w, e, "name size %zu is larger than PATH_MAX (%d)",
			    nlen, UK_CPIO_PATH_MAX);
	if (nlen > left - HDR_LEN)
		return fail(w, e,
			    "name runs past the end of the archive (needs "
			    "%zu bytes, %zu left)",
			    nlen, left - HDR_LEN);
	if (h[HDR_LEN + nlen - 1] != '\0')
		return fail(w, e, "name (%zu bytes) is not NUL-terminated",
			    nlen);
	if (strlen(h + HDR_LEN) != nlen - 1)
		return fail(w, e, "name has a NUL byte at position %zu of %zu",
			    strlen(h + HDR_LEN), nlen - 1);
	e->name = h + HDR_LEN;
	p = align4(e->off + HDR_LEN + nlen);
	e->size = e->f[F_FILESIZE];
	if (p > w->len || e->size > w->len - p)
		return fail(w, e,
			    "file data runs past the end of the archive "
			    "(needs %zu bytes, %zu left)",
			    e->size, p > w->len ? 0 : w->len - p);
	e->data = w->buf + p;
	e->next = align4(p + e->size);
	return 0;
}

/* Normalise e->name into w->rel ("" for the destination itself). */
static int normalise(struct walk *w, const struct entry *e)
{
	const char *s = e->name;
	size_t n = 0;

	while (*s) {
		const char *c = s;
		size_t clen;

		while (*s && *s != '/')
			s++;
		clen = (size_t)(s - c);
		while (*s == '/')
			s++;
		if (clen == 0 || (clen == 1 && c[0] == '.'))
			continue;
		if (clen == 2 && c[0] == '.' && c[1] == '.') {
			while (n > 0 && w->rel[n - 1] != '/')
				n--;
			if (n > 0)
				n--; /* the slash */
			continue;
		}
		if (n + (n ? 1 : 0) + clen + 1 > sizeof(w->rel))
			return fail(w, e, "path is too long");
		if (n)
			w->rel[n++] = '/';
		memcpy(w->rel + n, c, clen);
		n += clen;
	}
	w->rel[n] = '\0';
	if (n && w->destlen + 1 + n + 1 > sizeof(w->path))
		return fail(w, e, "path is too long below '%s'", w->dest);
	memcpy(w->path, w->dest, w->destlen);
	n = w->destlen;
	if (w->rel[0]) {
		if (n == 0 || w->path[n - 1] != '/')
			w->path[n++] = '/';
		strcpy(w->path + n, w->rel);
	} else {
		w->path[n] = '\0';
	}
	return 0;
}

/* Refuse paths that run through a symbolic link the archive created. */
static int check_links(struct walk *w, const struct entry *e, int is_link)
{
	size_t rl = strlen(w->rel);

	for (size_t i = 0; i < w->nlinks; i++) {
		size_t ll = strlen(w->links[i]);
		if (ll > rl || memcmp(w->links[i], w->rel, ll))
			continue;
		if (ll < rl && w->rel[ll] == '/')
			return fail(w, e,
				    "path goes through the symbolic link "
				    "'%.200s' created by an earlier entry",
				    w->links[i]);
		if (ll == rl && !is_link)
			return fail(w, e,
				    "would replace the symbolic link created "
				    "by an earlier entry");
	}
	return 0;
}

static int add_link(struct walk *w)
{
	char *s;

	if (w->nlinks == w->caplinks) {
		size_t cap = w->caplinks ? 2 * w->caplinks : 16;
		char **n = realloc(w->links, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		w->links = n;
		w->caplinks = cap;
	}
	s = malloc(strlen(w->rel) + 1);
	if (!s)
		return -ENOMEM;
	strcpy(s, w->rel);
	w->links[w->nlinks++] = s;
	return 0;
}

/* Remember w->path as a directory with `mtime` (best effort: without
 * memory, that directory keeps the time of its last change). */
static void add_dir(struct walk *w, long mtime)
{
	char *p;

	if (w->ndirs == w->capdirs) {
		size_t cap = w->capdirs ? 2 * w->capdirs : 16;
		struct dirtime *n = realloc(w->dirs, cap * sizeof(*n));
		if (!n)
			return;
		w->dirs = n;
		w->capdirs = cap;
	}
	p = malloc(strlen(w->path) + 1);
	if (!p)
		return;
	strcpy(p, w->path);
	w->dirs[w->ndirs].path = p;
	w->dirs[w->ndirs++].mtime = mtime;
}

static int sysfail(struct walk *w, const struct entry *e, const char *call,
		   long rc)
{
	fail(w, e, "%s('%.200s') failed: error %ld", call, w->path, -rc);
	return (int)rc;
}

/* mkdir -p of w->path's parents below dest. */
static long make_parents(struct walk *w)
{
	size_t start = w->destlen;

	for (size_t i = start + 1; w->path[i]; i++) {
		long rc;
		if (w->path[i] != '/')
			continue;
		w->path[i] = '\0';
		rc = uk_syscall_call(mkdirat, CPIO_AT_FDCWD, w->path, 0755);
		w->path[i] = '/';
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return 0;
}

/* Optional attribute calls: a VFS without them only costs a warning. */
static int attr_rc(struct walk *w, const struct entry *e, const char *call,
		   long rc)
{
	if (rc >= 0)
		return 0;
	if (rc == -ENOSYS || rc == -EOPNOTSUPP) {
		if (!w->warned_nosys)
			uk_pr_warn("%s not supported by the file system: "
				   "permissions/times not applied",
				   call);
		w->warned_nosys = 1;
		return 0;
	}
	return sysfail(w, e, call, rc);
}

static int write_file(struct walk *w, const struct entry *e, unsigned mode)
{
	long fd, rc;
	const uint8_t *p = e->data;
	size_t left = e->size;
	const long flags = CPIO_O_WRONLY | CPIO_O_CREAT | CPIO_O_TRUNC |
			   CPIO_O_NOFOLLOW | CPIO_O_CLOEXEC;

	fd = uk_syscall_call(openat, CPIO_AT_FDCWD, w->path, flags, mode);
	if (fd == -ENOENT && make_parents(w) == 0)
		fd = uk_syscall_call(openat, CPIO_AT_FDCWD, w->path, flags,
				     mode);
	if (fd < 0)
		return sysfail(w, e, "openat", fd);
	while (left) {
		size_t chunk = left > (1UL << 30) ? (1UL << 30) : left;
		rc = uk_syscall_call(write, fd, p, chunk);
		if (rc == 0)
			rc = -EIO;
		if (rc < 0) {
			uk_syscall_call(close, fd);
			return sysfail(w, e, "write", rc);
		}
		p += rc;
		left -= (size_t)rc;
	}
	rc = uk_syscall_call(close, fd);
	if (rc < 0)
		return sysfail(w, e, "close", rc);
	w->err->bytes += e->size;
	return 0;
}

static int extract_entry(struct walk *w, const struct entry *e)
{
	unsigned type = e->f[F_MODE] & CPIO_S_IFMT;
	unsigned mode = e->f[F_MODE] & 07777;
	struct cpio_timespec ts[2] = {{(long)e->f[F_MTIME], 0},
				      {(long)e->f[F_MTIME], 0}};
	long rc;

	if (type == CPIO_S_IFDIR) {
		rc = uk_syscall_call(mkdirat, CPIO_AT_FDCWD, w->path, mode);
		if (rc == -ENOENT && make_parents(w) == 0)
			rc = uk_syscall_call(mkdirat, CPIO_AT_FDCWD, w->path,
					     mode);
		if (rc < 0 && rc != -EEXIST)
			return sysfail(w, e, "mkdirat", rc);
	} else if (type == CPIO_S_IFREG) {
		rc = write_file(w, e, mode);
		if (rc < 0)
			return (int)rc;
	} else {
		memcpy(w->target, e->data, e->size);
		w->target[e->size] = '\0';
		rc = uk_syscall_call(symlinkat, w->target, CPIO_AT_FDCWD,
				     w->path);
		if (rc == -ENOENT && make_parents(w) == 0)
			rc = uk_syscall_call(symlinkat, w->target,
					     CPIO_AT_FDCWD, w->path);
		if (rc == -EEXIST) {
			/* replace, as cpio -u and Linux's initramfs do */
			uk_syscall_call(unlinkat, CPIO_AT_FDCWD, w->path, 0);
			rc = uk_syscall_call(symlinkat, w->target,
					     CPIO_AT_FDCWD, w->path);
		}
		if (rc < 0)
			return sysfail(w, e, "symlinkat", rc);
	}
	if (type != CPIO_S_IFLNK) {
		rc = uk_syscall_call(fchmodat, CPIO_AT_FDCWD, w->path, mode, 0);
		if (attr_rc(w, e, "fchmodat", rc) < 0)
			return (int)rc;
	}
	rc = uk_syscall_call(utimensat, CPIO_AT_FDCWD, w->path, ts,
			     CPIO_AT_SYMLINK_NOFOLLOW);
	if (attr_rc(w, e, "utimensat", rc) < 0)
		return (int)rc;
	if (type == CPIO_S_IFDIR && rc == 0)
		add_dir(w, (long)e->f[F_MTIME]);
	return 0;
}

/* Entries created inside a directory change its mtime: set the
 * directories' mtimes again once everything is written, deepest last
 * created first. */
static int fix_dir_times(struct walk *w)
{
	for (size_t i = w->ndirs; i-- > 0;) {
		struct cpio_timespec ts[2] = {{w->dirs[i].mtime, 0},
					      {w->dirs[i].mtime, 0}};
		long rc = uk_syscall_call(utimensat, CPIO_AT_FDCWD,
					  w->dirs[i].path, ts,
					  CPIO_AT_SYMLINK_NOFOLLOW);
		if (rc < 0) {
			snprintf(w->err->msg, sizeof(w->err->msg),
				 "utimensat('%.200s') failed: error %ld",
				 w->dirs[i].path, -rc);
			return (int)rc;
		}
	}
	return 0;
}

/* Validation pass: remember the data of hard-link groups. Extraction
 * pass: an empty member of a group gets the group's data. */
static int hard_link(struct walk *w, struct entry *e, unsigned arch)
{
	for (size_t i = 0; i < w->nhl; i++) {
		struct hlink *h = &w->hl[i];
		if (h->arch != arch || h->ino != e->f[F_INO] ||
		    h->maj != e->f[F_DEVMAJOR] || h->min != e->f[F_DEVMINOR])
			continue;
		if (w->extract && e->size == 0) {
			e->data = h->data;
			e->size = h->size;
		} else if (!w->extract && e->size) {
			h->data = e->data; /* the last one with data wins */
			h->size = e->size;
		}
		return 0;
	}
	if (w->extract || !e->size)
		return 0; /* a group without data: empty files */
	if (w->nhl == w->caphl) {
		size_t cap = w->caphl ? 2 * w->caphl : 16;
		struct hlink *n = realloc(w->hl, cap * sizeof(*n));
		if (!n)
			return fail(w, e, "out of memory"), -ENOMEM;
		w->hl = n;
		w->caphl = cap;
	}
	w->hl[w->nhl++] = (struct hlink){
		arch,	 e->f[F_INO], e->f[F_DEVMAJOR], e->f[F_DEVMINOR],
		e->data, e->size};
	return 0;
}

/* One pass over the whole archive. Returns the entry count or an error. */
static int walk(struct walk *w)
{
	size_t off = 0, idx = 0;
	int seen_trailer = 0;
	unsigned arch = 0; /* concatenated archives have their own inodes */

	while (off < w->len) {
		struct entry e = {.off = off, .idx = idx};
		unsigned type;
		int rc;

		if (seen_trailer) {
			/* zero padding, or another archive */
			if (w->buf[off] == 0) {
				off++;
				continue;
			}
			seen_trailer = 0;
		}
		rc = parse_header(w, &e);
		if (rc < 0)
			return rc;
		off = e.next;
		if (!strcmp(e.name, TRAILER)) {
			seen_trailer = 1;
			arch++;
			continue;
		}
		idx++;
		type = e.f[F_MODE] & CPIO_S_IFMT;
		if (e.crc && type == CPIO_S_IFREG) {
			uint32_t sum = 0;
			for (size_t i = 0; i < e.size; i++)
				sum += e.data[i];
			if (sum != e.f[F_CHECK])
				return fail(w, &e,
					    "checksum mismatch (header says "
					    "0x%08x, the data sum to 0x%08x)",
					    e.f[F_CHECK], sum);
		}
		rc = normalise(w, &e);
		if (rc < 0)
			return rc;
		if (type != CPIO_S_IFDIR && type != CPIO_S_IFREG &&
		    type != CPIO_S_IFLNK) {
			if (w->extract)
				uk_pr_warn(
					"entry '%s': type 0%o not supported, "
					"skipped",
					e.name, type);
			continue;
		}
		if (type == CPIO_S_IFREG && e.f[F_NLINK] > 1) {
			/* newc stores a hard-link group's data once, with
			 * its last name; the others get a copy of it */
			rc = hard_link(w, &e, arch);
			if (rc < 0)
				return rc;
		}
		if (type == CPIO_S_IFLNK && e.size >= UK_CPIO_PATH_MAX)
			return fail(w, &e,
				    "symbolic link target is %zu bytes, longer "
				    "than PATH_MAX",
				    e.size);
		if (type == CPIO_S_IFLNK && e.size == 0)
			return fail(w, &e, "symbolic link has an empty target");
		if (!w->rel[0]) {
			if (type != CPIO_S_IFDIR)
				return fail(w, &e,
					    "names the destination itself but "
					    "is not a directory");
			continue; /* "." : the destination exists */
		}
		rc = check_links(w, &e, type == CPIO_S_IFLNK);
		if (rc < 0)
			return rc;
		if (type == CPIO_S_IFLNK) {
			rc = add_link(w);
			if (rc < 0)
				return fail(w, &e, "out of memory"), -ENOMEM;
		}
		if (w->extract) {
			rc = extract_entry(w, &e);
			if (rc < 0)
				return rc;
			w->err->entries++;
		}
	}
	if (!seen_trailer) {
		struct entry e = {.off = w->len, .idx = idx};
		return fail(w, &e,
			    "the archive ends without a TRAILER!!! entry");
	}
	return (int)idx;
}

static void free_links(struct walk *w)
{
	for (size_t i = 0; i < w->nlinks; i++)
		free(w->links[i]);
	free(w->links);
	w->links = NULL;
	w->nlinks = w->caplinks = 0;
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	w->dirs = NULL;
	w->ndirs = w->capdirs = 0;
}

int uk_cpio_extract(const void *buf, size_t len, const char *dest,
		    struct uk_cpio_error *err)
{
	struct uk_cpio_error dummy;
	struct walk *w;
	int rc;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if (!buf || !dest || !dest[0]) {
		snprintf(err->msg, sizeof(err->msg),
			 "no archive or no destination");
		return -EINVAL;
	}
	if (strlen(dest) >= UK_CPIO_PATH_MAX - 2) {
		snprintf(err->msg, sizeof(err->msg),
			 "destination path is too long");
		return -EINVAL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	w->buf = buf;
	w->len = len;
	w->dest = dest;
	w->destlen = strlen(dest);
	w->err = err;
	rc = walk(w); /* validate */
	free_links(w);
	if (rc >= 0) {
		w->extract = 1;
		rc = walk(w);
		if (rc >= 0) {
			int r2 = fix_dir_times(w);
			if (r2 < 0)
				rc = r2;
		}
		free_links(w);
	}
	free(w->hl);
	free(w);
	if (rc >= 0)
		err->msg[0] = '\0';
	return rc;
}

int uk_cpio_initrd_init(void)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo();
	struct uk_cpio_error err;
	int rc;

	if (!bi->initrd || !bi->initrd_len) {
		uk_pr_debug("no initrd");
		return 0;
	}
	rc = uk_cpio_extract(bi->initrd, bi->initrd_len, "/", &err);
	if (rc < 0) {
		uk_pr_crit("initrd: %s", err.msg);
		return rc;
	}
	uk_pr_info("initrd: %d entries, %zu bytes", rc, err.bytes);
	return 0;
}

/* Last ROOTFS priority: vfscore mounts the root at the first one. */
UK_INIT_CLASS(uk_cpio_initrd_init, UK_INIT_ROOTFS, 9);
