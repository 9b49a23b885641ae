/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * procfs (see <uk/procfs.h>). Vnodes are made on lookup and freed when
 * their last reference goes (nothing is cached: every lookup sees the
 * descriptor table as it is now). /proc/PID/fd/N is a symlink whose
 * `follow` op hands vfscore the open file's own vnode, or for a file
 * without one (a pipe, a socket, the console) a stand-in vnode that opens
 * the same object again. UP, cooperative: no locks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdtab.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/procfs.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#define PROC_MAGIC  0x9fa0 /* Linux's PROC_SUPER_MAGIC */
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PATH_MAX_   4096

/* Optional libraries (weak: NULL when the image lacks them). */
int uk_pipe_reopen(struct uk_file *f, unsigned flags, struct uk_file **out)
	__attribute__((weak));
int uk_devfs_open_rdev(uint64_t rdev, unsigned flags, struct uk_file **out)
	__attribute__((weak));
const char *uk_devfs_rdev_name(uint64_t rdev) __attribute__((weak));
int uk_boot_argv(char ***argv) __attribute__((weak));
extern const char uk_app_name[] __attribute__((weak));

enum kind { ROOT, SELF, PID, EXE, FDDIR, FDLINK, TARGET, COMM, CMDLINE };

struct pvn {
	struct uk_vnode vn;
	enum kind kind;
	int fd;		   /* FDLINK */
	struct uk_file *f; /* TARGET: the file, referenced */
	struct uk_stat st; /* TARGET: its fstat */
};

static const struct {
	const char *name;
	enum kind kind;
} pid_entries[] = {
	{"exe", EXE},
	{"fd", FDDIR},
	{"comm", COMM},
	{"cmdline", CMDLINE},
};
#define NPID (sizeof(pid_entries) / sizeof(pid_entries[0]))

static char *exe_path; /* uk_procfs_set_exe(); NULL: default */
static char *cmd_buf;  /* uk_procfs_set_cmdline(): NUL-separated */
static size_t cmd_len;

static const struct uk_vnode_ops root_ops, self_ops, pid_ops, exe_ops,
	fddir_ops, fdlink_ops, target_ops, comm_ops, cmdline_ops;

static int my_pid(void)
{
	long p = uk_syscall_call(getpid);

	return p > 0 ? (int)p : 1;
}

/* decimal text of v into buf (at least 21 bytes); returns the length */
static size_t fmt_u(unsigned long long v, char *buf)
{
	char t[21];
	size_t n = 0, i;

	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < sizeof(t));
	for (i = 0; i < n; i++)
		buf[i] = t[n - 1 - i];
	buf[n] = 0;
	return n;
}

/* A decimal name: no sign, no leading zero (but "0"), < 2^31. -1 else. */
static int parse_num(const char *name, size_t len)
{
	long v = 0;

	if (!len || len > 10 || (len > 1 && name[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v > 0x7fffffffL ? -1 : (int)v;
}

static uint64_t ino_of(enum kind k, int fd)
{
	/* fixed numbers for the fixed entries, above them one per fd */
	return k == FDLINK   ? 0x10000 + (uint64_t)fd
	       : k == TARGET ? 0x100000000ULL + (uint64_t)fd
			     : (uint64_t)k + 1;
}

static struct pvn *pvn_new(struct uk_mount *m, enum kind k, int fd)
{
	static const uint32_t modes[] = {
		[ROOT] = UK_S_IFDIR | 0555,
		[SELF] = UK_S_IFLNK | 0777,
		[PID] = UK_S_IFDIR | 0555,
		[EXE] = UK_S_IFLNK | 0777,
		[FDDIR] = UK_S_IFDIR | 0500,
		[FDLINK] = UK_S_IFLNK | 0700,
		[TARGET] = 0,
		[COMM] = UK_S_IFREG | 0644,
		[CMDLINE] = UK_S_IFREG | 0444,
	};
	static const struct uk_vnode_ops *const ops[] = {
		[ROOT] = &root_ops,	  [SELF] = &self_ops,
		[PID] = &pid_ops,	  [EXE] = &exe_ops,
		[FDDIR] = &fddir_ops,	  [FDLINK] = &fdlink_ops,
		[TARGET] = &target_ops,	  [COMM] = &comm_ops,
		[CMDLINE] = &cmdline_ops,
	};
	struct pvn *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->kind = k;
	p->fd = fd;
	p->vn.ops = ops[k];
	p->vn.mnt = m;
	p->vn.mode = modes[k];
	p->vn.nlink = (k == ROOT || k == PID || k == FDDIR) ? 2 : 1;
	p->vn.ino = ino_of(k, fd);
	p->vn.priv = p;
	p->vn.atime = p->vn.mtime = p->vn.ctime = uk_vfs_now();
	return p;
}

/* A new vnode of kind k, referenced, in *out. */
static int make(struct uk_vnode *dir, enum kind k, int fd,
		struct uk_vnode **out)
{
	struct pvn *p = pvn_new(dir->mnt, k, fd);

	if (!p)
		return -ENOMEM;
	uk_vnode_ref(&p->vn);
	*out = &p->vn;
	return 0;
}

static void p_inactive(struct uk_vnode *vn)
{
	struct pvn *p = vn->priv;

	if (p->kind == ROOT)
		return; /* the mount's; freed at unmount */
	if (p->f)
		uk_file_put(p->f);
	free(p);
}

static int name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(name, s, len);
}

/* ---- /proc ---- */

static int root_lookup(struct uk_vnode *dir, const char *name, size_t len,
		       struct uk_vnode **out)
{
	if (name_is(name, len, "self"))
		return make(dir, SELF, 0, out);
	if (parse_num(name, len) == my_pid())
		return make(dir, PID, 0, out);
	return -ENOENT;
}

static int root_readdir(struct uk_vnode *dir, uint64_t cookie,
			uk_vfs_filldir_t fill, void *ctx)
{
	char pid[21];

	for (uint64_t c = cookie; c < 4; c++) {
		const char *n = c == 0 ? "." : c == 1 ? ".." : "self";
		uint64_t ino = c < 2 ? dir->ino : ino_of(SELF, 0);
		unsigned type = c < 2 ? 4 : 10;

		if (c == 3) {
			fmt_u((unsigned)my_pid(), pid);
			n = pid;
			ino = ino_of(PID, 0);
			type = 4;
		}
		if (fill(ctx, n, strlen(n), ino, type, c + 1))
			return 1;
	}
	return 0;
}

static ssize_t self_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	char pid[21];
	size_t n = fmt_u((unsigned)my_pid(), pid);

	(void)vn;
	n = n < len ? n : len;
	memcpy(buf, pid, n);
	return (ssize_t)n;
}

/* ---- /proc/PID ---- */

static int pid_lookup(struct uk_vnode *dir, const char *name, size_t len,
		      struct uk_vnode **out)
{
	if (len == 2 && !memcmp(name, "..", 2)) {
		uk_vnode_ref(*out = dir->mnt->root);
		return 0;
	}
	for (size_t i = 0; i < NPID; i++)
		if (name_is(name, len, pid_entries[i].name))
			return make(dir, pid_entries[i].kind, 0, out);
	return -ENOENT;
}

static int pid_readdir(struct uk_vnode *dir, uint64_t cookie,
		       uk_vfs_filldir_t fill, void *ctx)
{
	for (uint64_t c = cookie; c < NPID + 2; c++) {
		const char *n = c == 0 ? "." : c == 1 ? ".." : NULL;
		uint64_t ino = c == 0 ? dir->ino : dir->mnt->root->ino;
		unsigned type = 4;

		if (c >= 2) {
			enum kind k = pid_entries[c - 2].kind;

			n = pid_entries[c - 2].name;
			ino = ino_of(k, 0);
			type = k == FDDIR ? 4 : (k == EXE ? 10 : 8);
		}
		if (fill(ctx, n, strlen(n), ino, type, c + 1))
			return 1;
	}
	return 0;
}

static ssize_t copy_out(const char *s, size_t n, char *buf, size_t len)
{
	n = n < len ? n : len;
	memcpy(buf, s, n);
	return (ssize_t)n;
}

static ssize_t exe_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	const char *app = uk_app_name ? uk_app_name : "app";
	char def[PATH_MAX_];
	size_t n;

	(void)vn;
	if (exe_path)
		return copy_out(exe_path, strlen(exe_path), buf, len);
	n = strnlen(app, sizeof(def) - 2);
	def[0] = '/';
	memcpy(def + 1, app, n);
	return copy_out(def, n + 1, buf, len);
}

/* ---- /proc/PID/fd ---- */

static int fddir_lookup(struct uk_vnode *dir, const char *name, size_t len,
			struct uk_vnode **out)
{
	struct uk_file *f;
	int fd;

	if (len == 2 && !memcmp(name, "..", 2))
		return make(dir, PID, 0, out);
	fd = parse_num(name, len);
	f = fd < 0 ? NULL : uk_fdtab_get(fd);
	if (!f)
		return -ENOENT;
	uk_file_put(f);
	return make(dir, FDLINK, fd, out);
}

static int fddir_readdir(struct uk_vnode *dir, uint64_t cookie,
			 uk_vfs_filldir_t fill, void *ctx)
{
	char num[21];

	for (uint64_t c = cookie; c < 2; c++) {
		uint64_t ino = c == 0 ? dir->ino : ino_of(PID, 0);

		if (fill(ctx, c ? ".." : ".", c + 1, ino, 4, c + 1))
			return 1;
	}
	if (cookie < 2)
		cookie = 2;
	/* cookies above 1: descriptor + 2; each pass moves to a higher one */
	for (int fd = uk_fdtab_next((int)(cookie - 2)); fd >= 0;
	     fd = uk_fdtab_next(fd + 1)) {
		size_t n = fmt_u((unsigned)fd, num);

		if (fill(ctx, num, n, ino_of(FDLINK, fd), 10, (uint64_t)fd + 3))
			return 1;
	}
	return 0;
}

/* The text of /proc/PID/fd/N for file f. */
static size_t describe(struct uk_file *f, char *buf, size_t size)
{
	struct uk_vnode *vn = uk_vfs_file_vnode(f);
	struct uk_stat st;
	const char *pre, *dev;
	size_t n;
	int r;

	if (vn) {
		r = uk_vfs_path(vn, buf, size);
		if (r > 0)
			return (size_t)r;
		/* unlinked, or out of reach of the search */
		memcpy(buf, "(deleted)", 10);
		return 9;
	}
	memset(&st, 0, sizeof(st));
	if (f->ops->fstat)
		f->ops->fstat(f, &st);
	if (UK_S_ISTYPE(st.st_mode, UK_S_IFCHR) && uk_devfs_rdev_name &&
	    (dev = uk_devfs_rdev_name(st.st_rdev)) != NULL) {
		n = strlen(dev);
		memcpy(buf, "/dev/", 5);
		memcpy(buf + 5, dev, n + 1);
		return n + 5;
	}
	pre = UK_S_ISTYPE(st.st_mode, UK_S_IFIFO)    ? "pipe:["
	      : UK_S_ISTYPE(st.st_mode, UK_S_IFSOCK) ? "socket:["
						     : "anon_inode:[";
	n = strlen(pre);
	memcpy(buf, pre, n);
	n += fmt_u(st.st_ino, buf + n);
	buf[n++] = ']';
	buf[n] = 0;
	return n;
}

static ssize_t fdlink_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	struct pvn *p = vn->priv;
	struct uk_file *f = uk_fdtab_get(p->fd);
	char *tmp;
	ssize_t r;

	if (!f)
		return -ENOENT; /* closed since the lookup */
	tmp = malloc(PATH_MAX_);
	if (!tmp) {
		uk_file_put(f);
		return -ENOMEM;
	}
	r = copy_out(tmp, describe(f, tmp, PATH_MAX_), buf, len);
	free(tmp);
	uk_file_put(f);
	return r;
}

/* Linux's magic link: the open file itself, not a path. */
static int fdlink_follow(struct uk_vnode *vn, struct uk_vnode **out)
{
	struct pvn *p = vn->priv, *t;
	struct uk_file *f = uk_fdtab_get(p->fd);
	struct uk_vnode *fvn;

	if (!f)
		return -ENOENT;
	fvn = uk_vfs_file_vnode(f);
	if (fvn) {
		uk_vnode_ref(fvn);
		uk_file_put(f);
		*out = fvn;
		return 0;
	}
	t = pvn_new(vn->mnt, TARGET, p->fd);
	if (!t) {
		uk_file_put(f);
		return -ENOMEM;
	}
	t->f = f; /* the reference is the stand-in's */
	if (f->ops->fstat)
		f->ops->fstat(f, &t->st);
	t->vn.mode = t->st.st_mode;
	t->vn.rdev = t->st.st_rdev;
	t->vn.size = t->st.st_size;
	uk_vnode_ref(&t->vn);
	*out = &t->vn;
	return 0;
}

/* A file without a vnode opened through its /proc link: a new end of the
 * same pipe, the same device again; sockets and anonymous files, as on
 * Linux, cannot be opened by name (ENXIO). */
static int target_open(struct uk_vnode *vn, unsigned flags,
		       struct uk_file **out)
{
	struct pvn *t = vn->priv;

	if (UK_S_ISTYPE(t->st.st_mode, UK_S_IFIFO) && uk_pipe_reopen)
		return uk_pipe_reopen(t->f, flags, out);
	if (UK_S_ISTYPE(t->st.st_mode, UK_S_IFCHR) && uk_devfs_open_rdev)
		return uk_devfs_open_rdev(t->st.st_rdev, flags, out);
	return -ENXIO;
}

static int target_getattr(struct uk_vnode *vn, struct uk_stat *st)
{
	struct pvn *t = vn->priv;
	uint64_t dev = st->st_dev;

	*st = t->st;
	if (!st->st_dev)
		st->st_dev = dev;
	return 0;
}

/* ---- comm and cmdline ---- */

static ssize_t comm_read(struct uk_vnode *vn, void *buf, size_t len, off_t off)
{
	char name[18];
	size_t n;

	(void)vn;
	memset(name, 0, sizeof(name));
	if (uk_syscall_call(prctl, PR_GET_NAME, name, 0, 0, 0) < 0)
		strcpy(name, "main");
	n = strlen(name);
	name[n++] = '\n';
	if (off < 0 || (size_t)off >= n)
		return 0;
	return copy_out(name + off, n - (size_t)off, buf, len);
}

static ssize_t comm_write(struct uk_vnode *vn, const void *buf, size_t len,
			  off_t off)
{
	char name[16];
	size_t n = len;

	(void)vn, (void)off;
	if (n && ((const char *)buf)[n - 1] == '\n')
		n--;
	if (n > 15)
		n = 15; /* Linux truncates too */
	memcpy(name, buf, n);
	name[n] = 0;
	if (uk_syscall_call(prctl, PR_SET_NAME, name, 0, 0, 0) < 0)
		return -EINVAL;
	return (ssize_t)len;
}

static ssize_t cmdline_read(struct uk_vnode *vn, void *buf, size_t len,
			    off_t off)
{
	char **argv;
	size_t pos = 0, done = 0;
	int argc;

	(void)vn;
	if (off < 0)
		return -EINVAL;
	if (cmd_buf) {
		if ((size_t)off >= cmd_len)
			return 0;
		return copy_out(cmd_buf + off, cmd_len - (size_t)off, buf, len);
	}
	argc = uk_boot_argv ? uk_boot_argv(&argv) : 0;
	for (int i = 0; i < argc && done < len; i++) { /* bounded: argc */
		size_t n = strlen(argv[i]) + 1;

		if ((size_t)off < pos + n) {
			size_t from = (size_t)off > pos ? (size_t)off - pos : 0;
			size_t k =
				n - from < len - done ? n - from : len - done;

			memcpy((char *)buf + done, argv[i] + from, k);
			done += k;
			off += (off_t)k;
		}
		pos += n;
	}
	return (ssize_t)done;
}

static const struct uk_vnode_ops root_ops = {
	.lookup = root_lookup,
	.readdir = root_readdir,
	.inactive = p_inactive,
};
static const struct uk_vnode_ops self_ops = {
	.readlink = self_readlink,
	.inactive = p_inactive,
};
static const struct uk_vnode_ops pid_ops = {
	.lookup = pid_lookup,
	.readdir = pid_readdir,
	.inactive = p_inactive,
};
static const struct uk_vnode_ops exe_ops = {
	.readlink = exe_readlink,
	.inactive = p_inactive,
};
static const struct uk_vnode_ops fddir_ops = {
	.lookup = fddir_lookup,
	.readdir = fddir_readdir,
	.inactive = p_inactive,
};
static const struct uk_vnode_ops fdlink_ops = {
	.readlink = fdlink_readlink,
	.follow = fdlink_follow,
	.inactive = p_inactive,
};
static const struct uk_vnode_ops target_ops = {
	.open = target_open,
	.getattr = target_getattr,
	.inactive = p_inactive,
};
static const struct uk_vnode_ops comm_ops = {
	.read = comm_read,
	.write = comm_write,
	.inactive = p_inactive,
};
static const struct uk_vnode_ops cmdline_ops = {
	.read = cmdline_read,
	.inactive = p_inactive,
};

/* ---- the type ---- */

static int p_mount(struct uk_mount *m, const char *data)
{
	struct pvn *root = pvn_new(m, ROOT, 0);

	(void)data;
	if (!root)
		return -ENOMEM;
	m->root = &root->vn;
	uk_vnode_ref(m->root);
	return 0;
}

static void p_unmount(struct uk_mount *m)
{
	free(m->root->priv);
}

static struct uk_fstype procfs = {
	.name = "proc",
	.magic = PROC_MAGIC,
	.mount = p_mount,
	.unmount = p_unmount,
};

int uk_procfs_init(void)
{
	int r = uk_vfs_register(&procfs);

	return r == -EEXIST ? 0 : r;
}
UK_INIT_CLASS(uk_procfs_init, UK_INIT_LIB, 5);

int uk_procfs_mount(void)
{
	long r = uk_syscall_call(mkdir, "/proc", 0555);

	if (r == -ENOENT || r == -ENOSYS)
		return 0; /* no root filesystem: nothing to mount on */
	if (r && r != -EEXIST)
		return (int)r;
	r = uk_syscall_call(mount, "proc", "/proc", "proc", 0, 0);
	if (r == -EBUSY)
		return 0; /* mounted already */
	if (r)
		uk_pr_err("procfs: mounting /proc failed: %ld\n", r);
	return (int)r;
}
UK_INIT_CLASS(uk_procfs_mount, UK_INIT_ROOTFS, 3);

void uk_procfs_set_exe(const char *path)
{
	size_t n = path ? strnlen(path, PATH_MAX_) : PATH_MAX_;

	free(exe_path);
	exe_path = NULL;
	if (n < PATH_MAX_ && n > 0 && (exe_path = malloc(n + 1)) != NULL)
		memcpy(exe_path, path, n + 1);
}

int uk_procfs_set_cmdline(int argc, char *const argv[])
{
	size_t len = 0;
	char *b;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	b = malloc(len ? len : 1);
	if (!b)
		return -ENOMEM;
	len = 0;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		memcpy(b + len, argv[i], n);
		len += n;
	}
	free(cmd_buf);
	cmd_buf = b;
	cmd_len = len;
	return 0;
}
