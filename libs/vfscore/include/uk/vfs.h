/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfscore: vnodes, mounts, path lookup and the path system calls.
 *
 * A filesystem type (struct uk_fstype) is registered by name; mounting it
 * gives a struct uk_mount with a root vnode. A vnode carries its attributes
 * (mode, size, times...) in fields the filesystem keeps current (that is the
 * getattr/setattr of this design; optional hooks below may refine them), and
 * an ops table for names and data. Files opened through vfscore are
 * struct uk_file (<uk/file.h>) whose priv is the vnode, unless the vnode's
 * `open` hook returns a file of its own (devices).
 *
 * Lifetimes: a vnode lives while it is referenced (refs: open files, the
 * cwd, a lookup in progress, a mount on it, the mount's root) or linked into
 * the filesystem (nlink, the filesystem's business); when refs drops to 0
 * vfscore calls ops->inactive, which frees it if it is unlinked.
 * UP, cooperative: no locks, nothing blocks. See docs/vfs.md.
 */
#ifndef UK_VFS_H
#define UK_VFS_H

#include <uk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_VFS_PATH_MAX 4096 /* with the NUL */
#define UK_VFS_NAME_MAX 255
#define UK_VFS_MAXLINKS 40 /* symlinks followed in one lookup */

/* struct statfs of Linux x86_64 */
struct uk_statfs {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};

struct uk_vfs_time {
	int64_t sec, nsec;
};

struct uk_vnode;
struct uk_mount;

/* readdir's callback: one entry; `next` is the cookie after it. Returns
 * nonzero to stop (no room). `type` is the DT_* value (mode >> 12). */
typedef int (*uk_vfs_filldir_t)(void *ctx, const char *name, size_t len,
				uint64_t ino, unsigned type, uint64_t next);

/*
 * Names are (pointer, length), not NUL-terminated, never "." or "..":
 * vfscore handles those, except lookup(dir, "..") which the filesystem
 * answers for directories other than its root. Results are vnodes with a
 * reference. Every entry MAY be NULL (-EPERM / -EINVAL / -ENOTDIR).
 */
struct uk_vnode_ops {
	int (*lookup)(struct uk_vnode *dir, const char *name, size_t len,
		      struct uk_vnode **out);
	/* new regular file, mode with UK_S_IFREG; -EEXIST if the name is in use
	 */
	int (*create)(struct uk_vnode *dir, const char *name, size_t len,
		      uint32_t mode, struct uk_vnode **out);
	int (*mkdir)(struct uk_vnode *dir, const char *name, size_t len,
		     uint32_t mode);
	int (*symlink)(struct uk_vnode *dir, const char *name, size_t len,
		       const char *target);
	/* a new name for `vn` (not a directory, same mount: vfscore checks) */
	int (*link)(struct uk_vnode *dir, const char *name, size_t len,
		    struct uk_vnode *vn);
	/* a FIFO, socket or device node: mode has its type, rdev the
	 * device number; -EEXIST if the name is in use */
	int (*mknod)(struct uk_vnode *dir, const char *name, size_t len,
		     uint32_t mode, uint64_t rdev);
	int (*unlink)(struct uk_vnode *dir, const char *name, size_t len);
	int (*rmdir)(struct uk_vnode *dir, const char *name, size_t len);
	/* same filesystem (vfscore checks); Linux rules: replaces the target,
	 * -ENOTDIR/-EISDIR on a type mismatch, -ENOTEMPTY, -EINVAL when a
	 * directory would move below itself */
	int (*rename)(struct uk_vnode *odir, const char *oname, size_t olen,
		      struct uk_vnode *ndir, const char *nname, size_t nlen);
	/* copies at most len bytes, no NUL; returns the count */
	ssize_t (*readlink)(struct uk_vnode *vn, char *buf, size_t len);
	/* optional, symlinks: resolve to a vnode without a path (procfs's
	 * /proc/self/fd/N, Linux's "magic links"); 0 with *out referenced,
	 * or a negative errno. Lookups use it instead of readlink. */
	int (*follow)(struct uk_vnode *link, struct uk_vnode **out);
	/* optional: refine a stat vfscore filled from the vnode */
	int (*getattr)(struct uk_vnode *vn, struct uk_stat *st);
	/* optional: told after vfscore changed mode or times */
	int (*setattr)(struct uk_vnode *vn);
	/* optional: a file of the vnode's own (a device) */
	int (*open)(struct uk_vnode *vn, unsigned flags, struct uk_file **out);
	ssize_t (*read)(struct uk_vnode *vn, void *buf, size_t len, off_t off);
	ssize_t (*write)(struct uk_vnode *vn, const void *buf, size_t len,
			 off_t off);
	int (*truncate)(struct uk_vnode *vn, off_t len);
	/* entries from `cookie` on, "." and ".." included; 0 at the end */
	int (*readdir)(struct uk_vnode *dir, uint64_t cookie,
		       uk_vfs_filldir_t fill, void *ctx);
	void (*inactive)(struct uk_vnode *vn); /* refs dropped to 0 */
	/* optional: make the file's data durable (and, unless `datasync`,
	 * its metadata) before returning: fsync/fdatasync. NULL: nothing
	 * to do (memory filesystems) */
	int (*fsync)(struct uk_vnode *vn, int datasync);
};

struct uk_vnode {
	const struct uk_vnode_ops *ops;
	struct uk_mount *mnt;
	struct uk_mount *mounted; /* the mount covering this directory */
	unsigned refs;
	uint32_t mode, uid, gid, nlink;
	uint64_t ino, rdev, blocks; /* blocks of 512 bytes */
	off_t size;
	struct uk_vfs_time atime, mtime, ctime;
	void *priv; /* the filesystem's */
	void *fifo; /* a FIFO's pipe while open (posixpipe's), else NULL */
};

/* mount(2) flags vfscore passes on (m->flags) */
#define UK_MS_RDONLY 1

struct uk_fstype {
	const char *name;
	int64_t magic; /* statfs f_type */
	/* set m->root (with a reference) and m->priv; `data` (the options)
	 * MAY be NULL; m->source (MAY be NULL) and m->flags are set. Errors
	 * SHOULD be explained on the console (a missing device, a bad
	 * superblock): the caller only sees the number */
	int (*mount)(struct uk_mount *m, const char *data);
	/* write everything back, free everything; cannot fail */
	void (*unmount)(struct uk_mount *m);
	int (*statfs)(struct uk_mount *m, struct uk_statfs *st);
	/* optional: make everything written durable (sync, syncfs) */
	int (*sync)(struct uk_mount *m);
	struct uk_fstype *next;
};

struct uk_mount {
	const struct uk_fstype *type;
	struct uk_vnode *root;
	struct uk_vnode *covered; /* NULL for "/" */
	struct uk_mount *next;
	void *priv;
	uint64_t dev;
	unsigned active;     /* vnodes of this mount with refs > 0 */
	const char *source;  /* mount(2)'s source (a copy), MAY be NULL */
	unsigned long flags; /* UK_MS_* */
};

/* Register a filesystem type (its name is what mount(2) takes). 0 or
 * -EEXIST. */
int uk_vfs_register(struct uk_fstype *t);

void uk_vnode_ref(struct uk_vnode *vn);
void uk_vnode_put(struct uk_vnode *vn);

/* The time for timestamps: clock_gettime(CLOCK_REALTIME) through the
 * syscall shim, 0 if that is not implemented. */
struct uk_vfs_time uk_vfs_now(void);

/* The vnode of a file opened through vfscore, NULL for another file. */
struct uk_vnode *uk_vfs_file_vnode(struct uk_file *f);

/* The absolute path of `vn` into buf (NUL-terminated): a directory's by
 * walking "..", another file's by a bounded search of its filesystem
 * (10,000 entries, 32 levels; with several names, one of them). Returns
 * the length, -ENOENT (unlinked, or not found), -ENAMETOOLONG (buf too
 * small) or -ENOMEM. */
int uk_vfs_path(struct uk_vnode *vn, char *buf, size_t size);

/*
 * Init-table entry (UK_INIT_ROOTFS, priority 1): mounts the root - the
 * `vfs.mount=` parameter whose target is "/", else "ramfs" - and "devfs"
 * at "/dev" (creating it) when those types are registered (they register
 * at UK_INIT_LIB). Exposed for native tests.
 */
int uk_vfs_init(void);

/*
 * Init-table entry (UK_INIT_SYS, priority 0, after the initrd): every
 * other `vfs.mount=TYPE:SOURCE:TARGET[:OPTIONS]` library parameter, in
 * order; missing target directories are created. A malformed parameter,
 * an unknown type or a failed mount is explained on the console and stops
 * the boot (-EINVAL, -ENODEV, the filesystem's error).
 */
int uk_vfs_mount_params(void);

/* Mount one `TYPE:SOURCE:TARGET[:OPTIONS]` spec now (what the parameter
 * does). 0 or a negative errno, explained on the console. */
int uk_vfs_mount_spec(const char *spec);

#ifdef __cplusplus
}
#endif
#endif /* UK_VFS_H */
