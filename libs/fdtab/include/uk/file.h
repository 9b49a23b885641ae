/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Open file descriptions: struct uk_file, a refcounted object with an ops
 * table, status flags and a file offset. Descriptors (<uk/fdtab.h>) point at
 * them; dup() shares one. Single CPU, cooperative threads (UP): no locks.
 *
 * The Linux ABI structures and flag values the POSIX layer uses are
 * defined here with UK_ names, so that the code builds against any libc
 * (nolibc has no <fcntl.h>/<sys/stat.h>) and never clashes with one; those
 * that differ between architectures come from <uk/arch/linux.h>.
 */
#ifndef UK_FILE_H
#define UK_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uk/arch/linux.h>

#ifdef __cplusplus
extern "C" {
#endif

/* open() flags (Linux values; four of them differ per architecture) */
#define UK_O_ACCMODE   03
#define UK_O_RDONLY    00
#define UK_O_WRONLY    01
#define UK_O_RDWR      02
#define UK_O_CREAT     0100
#define UK_O_EXCL      0200
#define UK_O_NOCTTY    0400
#define UK_O_TRUNC     01000
#define UK_O_APPEND    02000
#define UK_O_NONBLOCK  04000
#define UK_O_DSYNC     010000
#define UK_O_ASYNC     020000
#define UK_O_DIRECT    UKARCH_O_DIRECT
#define UK_O_LARGEFILE UKARCH_O_LARGEFILE
#define UK_O_DIRECTORY UKARCH_O_DIRECTORY
#define UK_O_NOFOLLOW  UKARCH_O_NOFOLLOW
#define UK_O_NOATIME   01000000
#define UK_O_CLOEXEC   02000000
#define UK_O_PATH      010000000

/* st_mode */
#define UK_S_IFMT	  0170000
#define UK_S_IFSOCK	  0140000
#define UK_S_IFLNK	  0120000
#define UK_S_IFREG	  0100000
#define UK_S_IFBLK	  0060000
#define UK_S_IFDIR	  0040000
#define UK_S_IFCHR	  0020000
#define UK_S_IFIFO	  0010000
#define UK_S_ISTYPE(m, t) (((m)&UK_S_IFMT) == (t))

/* poll events (Linux values) */
#define UK_POLLIN     0x001
#define UK_POLLPRI    0x002
#define UK_POLLOUT    0x004
#define UK_POLLERR    0x008
#define UK_POLLHUP    0x010
#define UK_POLLNVAL   0x020
#define UK_POLLRDNORM 0x040
#define UK_POLLRDBAND 0x080
#define UK_POLLWRNORM 0x100
#define UK_POLLWRBAND 0x200
#define UK_POLLRDHUP  0x2000
/* Given to watchers (below) when the file is released; no poll bit. */
#define UK_POLL_RELEASE 0x80000000u

/* struct stat of Linux, in the architecture's layout (glibc's and musl's
 * are the same) */
struct uk_stat {
	UKARCH_STAT_FIELDS
};
_Static_assert(sizeof(struct uk_stat) == UKARCH_STAT_SIZE,
	       "struct stat of the architecture");

struct uk_iovec {
	void *iov_base;
	size_t iov_len;
};

/* getdents64 record; d_reclen is a multiple of 8 */
struct uk_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

struct uk_file;
struct uk_waitq; /* <uk/sched.h>; only pointed at here */

/*
 * Readiness watchers (what poll/select/epoll - lib posixpoll - hang on a
 * file, so that one thread can wait for many files): a file whose poll()
 * answer can change MUST call uk_file_notify(f, events) whenever it may have
 * (data arrived, space freed, error, hangup), with the events that may have
 * become ready (~0u if unknown), besides waking its own wait queue. The
 * watchers' fn runs synchronously in the notifier's thread; it must not
 * block, and must not add or remove watches of `f` (except that on
 * UK_POLL_RELEASE the watch is already removed). When the last reference to
 * a file goes, every watcher still on it is removed and called once with
 * UK_POLL_RELEASE before ops->release; it must not use `f` afterwards.
 */
struct uk_file_watch {
	struct uk_file_watch *next, *prev;
	void (*fn)(struct uk_file_watch *w, struct uk_file *f, unsigned events);
};

/*
 * What a kind of file does. Every entry MAY be NULL; fdtab then answers as
 * Linux does for a file that cannot do it (read/write -EINVAL, lseek and
 * pread/pwrite -ESPIPE, getdents64 -ENOTDIR, ioctl -ENOTTY, fsync 0,
 * ftruncate -EINVAL, fstat: a zeroed stat, poll: always ready).
 * read/write serve read(), pread(), readv()... alike: they get the offset to
 * use in *off and advance it by what they transferred (a stream ignores it).
 * write with O_APPEND in f->flags writes at the end of the file.
 * lseek returns the new offset (it may use uk_file_lseek_size()).
 * poll returns the ready events among `events` (UK_POLL*) and, if `wq` is
 * not NULL, the file's own wait queue woken when that changes (or NULL).
 * Changes MUST also be announced with uk_file_notify() (see the watchers
 * above): that is what poll/select/epoll wait for.
 */
struct uk_file_ops {
	ssize_t (*read)(struct uk_file *f, void *buf, size_t len, off_t *off);
	ssize_t (*write)(struct uk_file *f, const void *buf, size_t len,
			 off_t *off);
	off_t (*lseek)(struct uk_file *f, off_t off, int whence);
	int (*fstat)(struct uk_file *f, struct uk_stat *st);
	int (*ioctl)(struct uk_file *f, unsigned long cmd, void *arg);
	int (*fsync)(struct uk_file *f);
	int (*ftruncate)(struct uk_file *f, off_t len);
	ssize_t (*getdents)(struct uk_file *f, void *buf, size_t len);
	unsigned (*poll)(struct uk_file *f, unsigned events,
			 struct uk_waitq **wq);
	void (*release)(struct uk_file *f); /* last reference dropped */
	/* Optional whole-vector transfers (sockets: one datagram, one send
	 * per call): readv/writev/preadv/pwritev with more than one buffer
	 * go here when set (buffers already checked); else buffer by buffer.
	 */
	ssize_t (*readv)(struct uk_file *f, const struct uk_iovec *iov, int cnt,
			 off_t *off);
	ssize_t (*writev)(struct uk_file *f, const struct uk_iovec *iov,
			  int cnt, off_t *off);
	/* Optional: a descriptor of `f` is being closed (close, dup2/dup3 or
	 * close_range over it); the caller still holds that descriptor's
	 * reference, which it drops right after. Linux's ->flush. */
	void (*flush)(struct uk_file *f);
	/* Optional: fcntl commands of this kind of file (F_GETPIPE_SZ,
	 * F_SETPIPE_SZ); -EINVAL for commands it does not know. Without it,
	 * the pipe commands answer -EBADF (Linux: not a pipe), others
	 * -EINVAL. */
	int (*fcntl)(struct uk_file *f, int cmd, unsigned long arg);
};

struct uk_file {
	const struct uk_file_ops *ops;
	void *priv;	/* the creator's */
	unsigned refs;	/* descriptors + uk_fdtab_get() users */
	unsigned flags; /* O_ACCMODE bits and status flags (O_APPEND...) */
	off_t off;	/* the file offset, shared by dup()ed descriptors */
	struct uk_file_watch *watch; /* readiness watchers (see above) */
};

/*
 * A new file with one reference, `flags` as open() got them (creation flags
 * and O_CLOEXEC are dropped). NULL when out of memory.
 */
struct uk_file *uk_file_create(const struct uk_file_ops *ops, void *priv,
			       unsigned flags);

static inline struct uk_file *uk_file_ref(struct uk_file *f)
{
	f->refs++;
	return f;
}

/* Drop a reference; the last one calls ops->release and frees the file. */
void uk_file_put(struct uk_file *f);

/* Add / remove a readiness watcher (w->fn set by the caller). O(1). */
void uk_file_watch_add(struct uk_file *f, struct uk_file_watch *w);
void uk_file_watch_del(struct uk_file *f, struct uk_file_watch *w);

void uk_file_notify_watchers(struct uk_file *f, unsigned events);
/* Readiness of `f` may have changed: call its watchers (cheap when none). */
static inline void uk_file_notify(struct uk_file *f, unsigned events)
{
	if (f->watch)
		uk_file_notify_watchers(f, events);
}

/*
 * Record and whole-file locks (lib posixlock registers these at init;
 * without it fcntl's lock commands answer -EINVAL). fcntl gets F_GETLK,
 * F_SETLK(W) and F_OFD_* with the caller's struct flock; close is told
 * that a descriptor of `f` was closed (POSIX locks of the process on that
 * file go), release that `f` is being freed (its OFD and flock locks go).
 */
struct uk_file_lock_ops {
	int (*fcntl)(struct uk_file *f, int cmd, void *arg);
	void (*close)(struct uk_file *f);
	void (*release)(struct uk_file *f);
};
void uk_file_set_lock_ops(const struct uk_file_lock_ops *ops);

/* lseek for files whose end is `size`: SEEK_SET/CUR/END, -EINVAL else. */
off_t uk_file_lseek_size(struct uk_file *f, off_t off, int whence, off_t size);

/* The console file (fds 0, 1 and 2 at boot), with a new reference. */
struct uk_file *uk_console_file(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_FILE_H */
