/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uk9p: a 9P2000.L client - message encoding and decoding, fids, version
 * (msize) negotiation, attach - over any transport (virtio-9p in
 * libs/virtio9p, an in-memory server in tests) found by its mount tag.
 *
 * Calls are synchronous: one request, one reply (UP, nothing else runs
 * meanwhile). Large reads and writes are split into msize-sized requests,
 * their data moved straight between the caller's buffer and the
 * transport (no copy through the client). Replies are untrusted: every
 * length and count is checked against the message; a malformed reply is
 * -EIO with a message, never followed.
 *
 * Errors: negative errno values; a server's Rlerror carries a Linux errno
 * number, mapped to the libc's own numbers (unknown ones: -EIO, logged).
 */
#ifndef UK_9P_H
#define UK_9P_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_9P_NOFID	0xffffffffu
#define UK_9P_IOHDRSZ	24 /* Tread/Twrite/Rread header bytes */
#define UK_9P_MSIZE_MIN 4096
#define UK_9P_MAXWELEM	16 /* names in one Twalk */

/* qid types */
#define UK_9P_QTDIR	0x80
#define UK_9P_QTSYMLINK 0x02

/* Tgetattr request mask / Rgetattr valid bits */
#define UK_9P_GETATTR_BASIC 0x7ffull

/* Tsetattr valid bits */
#define UK_9P_SETATTR_MODE	0x001
#define UK_9P_SETATTR_UID	0x002
#define UK_9P_SETATTR_GID	0x004
#define UK_9P_SETATTR_SIZE	0x008
#define UK_9P_SETATTR_ATIME	0x010
#define UK_9P_SETATTR_MTIME	0x020
#define UK_9P_SETATTR_CTIME	0x040
#define UK_9P_SETATTR_ATIME_SET 0x080
#define UK_9P_SETATTR_MTIME_SET 0x100

#define UK_9P_AT_REMOVEDIR 0x200

/* message types (9P2000.L and the 9P2000 ones it keeps) */
enum {
	UK_9P_TLERROR = 6,
	UK_9P_RLERROR,
	UK_9P_TSTATFS = 8,
	UK_9P_RSTATFS,
	UK_9P_TLOPEN = 12,
	UK_9P_RLOPEN,
	UK_9P_TLCREATE = 14,
	UK_9P_RLCREATE,
	UK_9P_TSYMLINK = 16,
	UK_9P_RSYMLINK,
	UK_9P_TRENAME = 20,
	UK_9P_RRENAME,
	UK_9P_TREADLINK = 22,
	UK_9P_RREADLINK,
	UK_9P_TGETATTR = 24,
	UK_9P_RGETATTR,
	UK_9P_TSETATTR = 26,
	UK_9P_RSETATTR,
	UK_9P_TREADDIR = 40,
	UK_9P_RREADDIR,
	UK_9P_TFSYNC = 50,
	UK_9P_RFSYNC,
	UK_9P_TLINK = 70,
	UK_9P_RLINK,
	UK_9P_TMKDIR = 72,
	UK_9P_RMKDIR,
	UK_9P_TRENAMEAT = 74,
	UK_9P_RRENAMEAT,
	UK_9P_TUNLINKAT = 76,
	UK_9P_RUNLINKAT,
	UK_9P_TVERSION = 100,
	UK_9P_RVERSION,
	UK_9P_TATTACH = 104,
	UK_9P_RATTACH,
	UK_9P_TFLUSH = 108,
	UK_9P_RFLUSH,
	UK_9P_TWALK = 110,
	UK_9P_RWALK,
	UK_9P_TREAD = 116,
	UK_9P_RREAD,
	UK_9P_TWRITE = 118,
	UK_9P_RWRITE,
	UK_9P_TCLUNK = 120,
	UK_9P_RCLUNK,
	UK_9P_TREMOVE = 122,
	UK_9P_RREMOVE,
};

struct uk_9p_qid {
	uint8_t type; /* UK_9P_QT* */
	uint32_t version;
	uint64_t path; /* unique per file on the server: our inode number */
};

/* Rgetattr (and what Tsetattr sets, by its valid bits) */
struct uk_9p_attr {
	uint64_t valid;
	struct uk_9p_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
	uint64_t ctime_sec, ctime_nsec;
};

struct uk_9p_statfs {
	uint32_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
	uint32_t namelen;
};

/* One Rreaddir entry (name points into the reply buffer). */
struct uk_9p_dirent {
	struct uk_9p_qid qid;
	uint64_t offset; /* cookie of the next entry */
	uint8_t type;	 /* DT_* */
	const char *name;
	uint16_t namelen;
};

/* ---- transports ---- */

/*
 * One exchange on a transport: the request is t[0..tlen) followed by
 * tdata[0..tdatalen) (Twrite's payload, may be empty); the reply goes to
 * r[0..rlen) then rdata[0..rdatalen) (Rread's or Rreaddir's payload after
 * an 11-byte header in r). The transport stores the reply's length as the
 * device reported it in *rgot (unchecked; the client checks).
 */
struct uk_9p_io {
	const void *t;
	uint32_t tlen;
	const void *tdata;
	uint32_t tdatalen;
	void *r;
	uint32_t rlen;
	void *rdata;
	uint32_t rdatalen;
	uint32_t rgot;
};

struct uk_9p_trans;
struct uk_9p_trans_ops {
	/* Send one request and wait for its reply (bounded: a transport
	 * that gives up returns -ETIMEDOUT and refuses further requests).
	 * 0 or a negative errno. */
	int (*request)(struct uk_9p_trans *t, struct uk_9p_io *io);
};

struct uk_9p_trans {
	const struct uk_9p_trans_ops *ops;
	const char *tag;    /* the mount tag, what mounts name */
	const char *desc;   /* e.g. "virtio-9p@pci0:4.0" */
	uint32_t max_msize; /* the largest message the transport moves */
	int in_use;	    /* a client is attached */
	void *priv;
	struct uk_9p_trans *next;
};

/* Add a transport (tag unique: -EEXIST; no ops or tag: -EINVAL). */
int uk_9p_trans_register(struct uk_9p_trans *t);
/* The transport with mount tag `tag`, or NULL. */
struct uk_9p_trans *uk_9p_trans_find(const char *tag);
/* Space-separated tags of all transports into buf ("" if none). */
void uk_9p_trans_list(char *buf, size_t len);

/* ---- the client ---- */

struct uk_9p_client {
	struct uk_9p_trans *trans;
	uint32_t msize; /* negotiated */
	uint32_t root;	/* the attached fid */
	uint16_t tag;
	uint8_t *tbuf, *rbuf; /* small messages, UK_9P_SMALL bytes each */
	uint32_t *fidmap;     /* bitmap of fids in use */
	uint64_t requests;    /* statistics */
};

#define UK_9P_SMALL 8192 /* buffers for messages other than data */

/*
 * Connect: Tversion "9P2000.L" with min(msize, transport's max) (the
 * server may lower it; below UK_9P_MSIZE_MIN is refused), then Tattach
 * as `uid` to `aname` (MAY be ""). -ENODEV when the transport is taken,
 * -EPROTONOSUPPORT when the server does not speak 9P2000.L, -ENOMEM,
 * -EIO for a malformed reply, or the server's error.
 */
int uk_9p_connect(struct uk_9p_client *c, struct uk_9p_trans *t, uint32_t msize,
		  const char *aname, uint32_t uid);
/* Clunk the root, free the buffers, release the transport. */
void uk_9p_disconnect(struct uk_9p_client *c);

/* A free fid number / give one back (after Tclunk or when a walk that
 * would have used it failed). -EMFILE when all 65536 are in use. */
int uk_9p_fid_alloc(struct uk_9p_client *c, uint32_t *fid);
void uk_9p_fid_free(struct uk_9p_client *c, uint32_t fid);

/* Twalk `fid` through names[0..n) (n <= UK_9P_MAXWELEM; 0 clones) to a
 * new fid stored in *newfid; the last qid in *qid (NULL allowed).
 * -ENOENT when a name is missing. */
int uk_9p_walk(struct uk_9p_client *c, uint32_t fid, const char *const *names,
	       const uint16_t *lens, unsigned n, uint32_t *newfid,
	       struct uk_9p_qid *qid);
int uk_9p_clunk(struct uk_9p_client *c, uint32_t fid); /* frees the fid */
int uk_9p_lopen(struct uk_9p_client *c, uint32_t fid, uint32_t flags,
		struct uk_9p_qid *qid, uint32_t *iounit);
/* Create and open `name` in directory `fid`; `fid` becomes the new file's
 * open fid. */
int uk_9p_lcreate(struct uk_9p_client *c, uint32_t fid, const char *name,
		  uint16_t len, uint32_t flags, uint32_t mode, uint32_t gid,
		  struct uk_9p_qid *qid);
int uk_9p_mkdir(struct uk_9p_client *c, uint32_t dfid, const char *name,
		uint16_t len, uint32_t mode, uint32_t gid,
		struct uk_9p_qid *qid);
int uk_9p_symlink(struct uk_9p_client *c, uint32_t dfid, const char *name,
		  uint16_t len, const char *target, uint32_t gid,
		  struct uk_9p_qid *qid);
int uk_9p_unlinkat(struct uk_9p_client *c, uint32_t dfid, const char *name,
		   uint16_t len, uint32_t flags);
int uk_9p_renameat(struct uk_9p_client *c, uint32_t odfid, const char *oname,
		   uint16_t olen, uint32_t ndfid, const char *nname,
		   uint16_t nlen);
/* readlink: copies at most len bytes (no NUL), returns the count. */
int uk_9p_readlink(struct uk_9p_client *c, uint32_t fid, char *buf, size_t len);
int uk_9p_getattr(struct uk_9p_client *c, uint32_t fid, uint64_t mask,
		  struct uk_9p_attr *a);
/* Tsetattr with `valid` (UK_9P_SETATTR_*) fields of *a. */
int uk_9p_setattr(struct uk_9p_client *c, uint32_t fid, uint32_t valid,
		  const struct uk_9p_attr *a);
int uk_9p_fsync(struct uk_9p_client *c, uint32_t fid, int datasync);
int uk_9p_statfs(struct uk_9p_client *c, uint32_t fid, struct uk_9p_statfs *s);

/* Read/write up to len bytes at off on an open fid, in msize-sized
 * requests; returns the bytes moved (short at end of file, or when a
 * request fails after some went: the error then comes next time). */
long uk_9p_read(struct uk_9p_client *c, uint32_t fid, uint64_t off, void *buf,
		size_t len);
long uk_9p_write(struct uk_9p_client *c, uint32_t fid, uint64_t off,
		 const void *buf, size_t len);

/* Treaddir: entries from cookie `off` into buf (at most len bytes, at
 * most msize - 11); returns the bytes of entries (0 at the end). */
long uk_9p_readdir(struct uk_9p_client *c, uint32_t fid, uint64_t off,
		   void *buf, uint32_t len);
/* The entry at *pos of a readdir buffer of `len` bytes; advances *pos.
 * 1 entry found, 0 end, -EIO malformed. */
int uk_9p_dirent_next(const void *buf, uint32_t len, uint32_t *pos,
		      struct uk_9p_dirent *e);

/* A server's Linux errno number as the libc's errno (negative). */
int uk_9p_errno(uint32_t linux_errno);

#ifdef __cplusplus
}
#endif
#endif /* UK_9P_H */
