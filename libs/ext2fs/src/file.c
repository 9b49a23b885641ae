/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ext2 files: the block map (12 direct, single/double/triple indirect
 * blocks), data read and written straight between the caller's buffer and
 * the device in runs of contiguous blocks (one burst per 32 runs), holes,
 * truncation; and the vnode ops. Every change ends with e2_commit(): data
 * first (already on the device when the write returns), then the metadata
 * in one burst, so a file never points at blocks that were not written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/print.h>
#include "ext2_impl.h"

void e2_node_forget(struct e2fs *fs, struct e2node *n);

#define RUNS 32 /* requests per data burst */

uint64_t e2_size(const struct e2node *n)
{
	uint64_t s = le32(n->raw + I_SIZE);

	if (UK_S_ISTYPE(le16(n->raw + I_MODE), UK_S_IFREG))
		s |= (uint64_t)le32(n->raw + I_SIZE_HIGH) << 32;
	return s;
}

void e2_set_size(struct e2node *n, uint64_t size)
{
	struct e2fs *fs = EFS(&n->vn);

	put32(n->raw + I_SIZE, (uint32_t)size);
	if (UK_S_ISTYPE(le16(n->raw + I_MODE), UK_S_IFREG)) {
		put32(n->raw + I_SIZE_HIGH, (uint32_t)(size >> 32));
		if (size > 0x7fffffffull &&
		    !(le32(fs->sb + SB_FEATURE_RO_COMPAT) &
		      E2_RO_COMPAT_LARGE)) {
			put32(fs->sb + SB_FEATURE_RO_COMPAT,
			      le32(fs->sb + SB_FEATURE_RO_COMPAT) |
				      E2_RO_COMPAT_LARGE);
			fs->sb_dirty = 1;
		}
	}
	n->vn.size = (off_t)size;
}

void e2_add_blocks(struct e2node *n, int64_t fsblocks)
{
	struct e2fs *fs = EFS(&n->vn);
	uint32_t b = le32(n->raw + I_BLOCKS);

	b = (uint32_t)((int64_t)b + fsblocks * (int64_t)(fs->bs / 512));
	put32(n->raw + I_BLOCKS, b);
	n->vn.blocks = b;
}

void e2_touch(struct e2node *n, int m, int c)
{
	struct uk_vfs_time now = uk_vfs_now();

	if (m)
		n->vn.mtime = now;
	if (c)
		n->vn.ctime = now;
}

static int fast_symlink(struct e2fs *fs, struct e2node *n)
{
	uint32_t acl = le32(n->raw + I_FILE_ACL) ? fs->bs / 512 : 0;

	return UK_S_ISTYPE(le16(n->raw + I_MODE), UK_S_IFLNK) &&
	       le32(n->raw + I_BLOCKS) == acl;
}

/* ---- the block map ---- */

int e2_bmap(struct e2fs *fs, struct e2node *n, uint64_t lblk, int alloc,
	    uint32_t *pblk, int *fresh)
{
	const uint64_t apb = fs->apb;
	uint32_t offs[4], goal;
	struct e2buf *parent = NULL;
	uint8_t *slot;
	int depth, rc;

	if (fresh)
		*fresh = 0;
	if (lblk < E2_NDIR_BLOCKS) {
		depth = 0;
		offs[0] = (uint32_t)lblk;
	} else if ((lblk -= E2_NDIR_BLOCKS) < apb) {
		depth = 1;
		offs[0] = E2_IND_BLOCK;
		offs[1] = (uint32_t)lblk;
	} else if ((lblk -= apb) < apb * apb) {
		depth = 2;
		offs[0] = E2_DIND_BLOCK;
		offs[1] = (uint32_t)(lblk / apb);
		offs[2] = (uint32_t)(lblk % apb);
	} else if ((lblk -= apb * apb) < apb * apb * apb) {
		depth = 3;
		offs[0] = E2_TIND_BLOCK;
		offs[1] = (uint32_t)(lblk / (apb * apb));
		offs[2] = (uint32_t)(lblk / apb % apb);
		offs[3] = (uint32_t)(lblk % apb);
	} else {
		return -EFBIG;
	}
	goal = n->last_pblk ? n->last_pblk + 1
			    : fs->first_data + (n->ino - 1) / fs->ipg * fs->bpg;
	slot = n->raw + I_BLOCK + 4 * offs[0];
	for (int level = 0;; level++) {
		uint32_t p = le32(slot);

		if (p && (rc = e2_check_blk(fs, p, n->ino))) {
			e2_brelse(parent);
			return rc;
		}
		if (!p) {
			if (!alloc) {
				e2_brelse(parent);
				*pblk = 0;
				return 0;
			}
			rc = e2_alloc_block(fs, goal, &p);
			if (rc) {
				e2_brelse(parent);
				return rc;
			}
			put32(slot, p);
			if (parent)
				e2_bdirty(parent);
			e2_add_blocks(n, 1);
			n->last_pblk = p;
			goal = p + 1;
			if (level == depth) {
				if (fresh)
					*fresh = 1;
			} else {
				struct e2buf *b;
				/* a new indirect block: zeros, in the cache */
				rc = e2_bread(fs, p, 1, &b);
				if (rc) {
					e2_brelse(parent);
					return rc;
				}
				e2_bdirty(b);
				e2_brelse(parent);
				parent = b;
				slot = b->data + 4 * offs[level + 1];
				continue;
			}
		}
		if (level == depth) {
			e2_brelse(parent);
			*pblk = p;
			return 0;
		}
		struct e2buf *b;
		rc = e2_bread(fs, p, 0, &b);
		e2_brelse(parent);
		if (rc)
			return rc;
		parent = b;
		slot = b->data + 4 * offs[level + 1];
	}
}

/* ---- truncation ---- */

/* Free what `blk` (an indirect block of `level`, covering logical blocks
 * from `base`) maps at or after `first`. *empty: nothing left in it. */
static int free_branch(struct e2fs *fs, struct e2node *n, uint32_t blk,
		       int level, uint64_t base, uint64_t first, int *empty)
{
	uint64_t span = 1;
	struct e2buf *b;
	int rc, left = 0;

	for (int i = 1; i < level; i++)
		span *= fs->apb;
	rc = e2_bread(fs, blk, 0, &b);
	if (rc)
		return rc;
	for (uint32_t j = 0; j < fs->apb; j++) {
		uint32_t c = le32(b->data + 4 * j);
		uint64_t cb = base + j * span;

		if (!c)
			continue;
		if (cb + span <= first) {
			left = 1;
			continue;
		}
		if ((rc = e2_check_blk(fs, c, n->ino)))
			break;
		if (level == 1) {
			rc = e2_free_block(fs, c);
			if (rc)
				break;
			e2_add_blocks(n, -1);
			put32(b->data + 4 * j, 0);
			e2_bdirty(b);
			continue;
		}
		int sub_empty;
		rc = free_branch(fs, n, c, level - 1, cb, first, &sub_empty);
		if (rc)
			break;
		if (sub_empty) {
			put32(b->data + 4 * j, 0);
			e2_bdirty(b);
		} else {
			left = 1;
		}
	}
	e2_brelse(b);
	if (rc)
		return rc;
	*empty = !left;
	if (!left) {
		rc = e2_free_block(fs, blk);
		if (!rc)
			e2_add_blocks(n, -1);
	}
	return rc;
}

int e2_trunc_blocks(struct e2fs *fs, struct e2node *n, uint64_t first)
{
	uint64_t base = E2_NDIR_BLOCKS, span = fs->apb;
	int rc;

	for (uint32_t i = 0; i < E2_NDIR_BLOCKS; i++) {
		uint32_t p = le32(n->raw + I_BLOCK + 4 * i);
		if (i < first || !p)
			continue;
		if ((rc = e2_check_blk(fs, p, n->ino)) ||
		    (rc = e2_free_block(fs, p)))
			return rc;
		e2_add_blocks(n, -1);
		put32(n->raw + I_BLOCK + 4 * i, 0);
	}
	for (int level = 1; level <= 3; level++) {
		uint8_t *slot =
			n->raw + I_BLOCK + 4 * (E2_IND_BLOCK + level - 1);
		uint32_t p = le32(slot);
		int empty;

		if (p && base + span > first) {
			if ((rc = e2_check_blk(fs, p, n->ino)))
				return rc;
			rc = free_branch(fs, n, p, level, base, first, &empty);
			if (rc)
				return rc;
			if (empty)
				put32(slot, 0);
		}
		base += span;
		span *= fs->apb;
	}
	n->last_pblk = 0;
	return 0;
}

/* ---- data ---- */

struct run {
	uint32_t pblk, nblk;
	uint8_t *buf;
};

/* Read or write runs of whole blocks in bursts. */
static int do_runs(struct e2fs *fs, uint8_t op, struct run *r, unsigned n)
{
	struct uk_blkreq req[RUNS], *rp[RUNS];
	uint32_t per = fs->dev->info.max_sectors / fs->spb;
	unsigned k = 0;
	int rc;

	if (!per)
		per = 1;
	for (unsigned i = 0; i < n; i++) {
		for (uint32_t done = 0; done < r[i].nblk;) {
			uint32_t c =
				r[i].nblk - done < per ? r[i].nblk - done : per;
			uk_blkreq_init(&req[k], op,
				       (uint64_t)(r[i].pblk + done) * fs->spb,
				       c * fs->spb,
				       r[i].buf + (size_t)done * fs->bs, NULL,
				       NULL);
			rp[k] = &req[k];
			k++;
			done += c;
			if (k == RUNS || (i == n - 1 && done == r[i].nblk)) {
				uint16_t cnt = (uint16_t)k;
				unsigned off = 0;
				while (off < k) {
					cnt = (uint16_t)(k - off);
					rc = uk_blkdev_submit(fs->dev, 0,
							      rp + off, &cnt);
					if (rc < 0)
						return rc;
					off += cnt;
					if (off < k) {
						rc = uk_blkdev_wait(fs->dev, 0,
								    rp, off);
						if (rc < 0)
							return rc;
					}
				}
				rc = uk_blkdev_wait(fs->dev, 0, rp, k);
				if (rc < 0)
					return rc;
				for (unsigned j = 0; j < k; j++)
					if (req[j].result < 0) {
						uk_pr_err(
							"ext2 %s: data %s at "
							"sector %llu: %d",
							fs->dev->name,
							op == UK_BLKREQ_READ
								? "read"
								: "write",
							(unsigned long long)
								req[j]
									.sector,
							req[j].result);
						return req[j].result;
					}
				k = 0;
			}
		}
	}
	return 0;
}

static ssize_t e2_read(struct uk_vnode *vn, void *buf, size_t len, off_t off)
{
	struct e2fs *fs = EFS(vn);
	struct e2node *n = EN(vn);
	uint64_t size = e2_size(n), pos = (uint64_t)off, end;
	uint8_t *out = buf;
	struct run runs[RUNS];
	unsigned nr = 0;
	int rc;

	if (off < 0)
		return -EINVAL;
	if (UK_S_ISTYPE(vn->mode, UK_S_IFDIR))
		return -EISDIR;
	if (pos >= size || !len)
		return 0;
	end = pos + len < size ? pos + len : size;
	while (pos < end) {
		uint64_t lblk = pos / fs->bs;
		uint32_t boff = (uint32_t)(pos % fs->bs), p;
		uint32_t k = fs->bs - boff;

		if (k > end - pos)
			k = (uint32_t)(end - pos);
		rc = e2_bmap(fs, n, lblk, 0, &p, NULL);
		if (rc)
			return rc;
		if (!p) {
			memset(out, 0, k); /* a hole */
		} else if (boff || k < fs->bs) {
			/* part of a block: through the bounce buffer (the
			 * runs so far first: they may end right here) */
			if (nr && (rc = do_runs(fs, UK_BLKREQ_READ, runs, nr)))
				return rc;
			nr = 0;
			rc = e2_dev_io(fs, UK_BLKREQ_READ, p, 1, fs->bounce);
			if (rc)
				return rc;
			memcpy(out, fs->bounce + boff, k);
		} else if (nr && runs[nr - 1].pblk + runs[nr - 1].nblk == p &&
			   runs[nr - 1].buf +
					   (size_t)runs[nr - 1].nblk * fs->bs ==
				   out) {
			runs[nr - 1].nblk++;
		} else {
			if (nr == RUNS) {
				rc = do_runs(fs, UK_BLKREQ_READ, runs, nr);
				if (rc)
					return rc;
				nr = 0;
			}
			runs[nr++] = (struct run){p, 1, out};
		}
		pos += k;
		out += k;
	}
	if (nr && (rc = do_runs(fs, UK_BLKREQ_READ, runs, nr)))
		return rc;
	return (ssize_t)(end - (uint64_t)off);
}

/* The largest file: the block map's reach and i_blocks' 32 bits of 512
 * bytes. */
static uint64_t max_size(struct e2fs *fs)
{
	uint64_t apb = fs->apb;
	uint64_t blocks = E2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;
	uint64_t bytes = blocks * fs->bs,
		 lim = (0xffffffffull << 9) - (uint64_t)fs->bs * (apb + 2);

	return bytes < lim ? bytes : lim;
}

static int write_partial(struct e2fs *fs, struct e2node *n, uint64_t lblk,
			 uint32_t boff, const uint8_t *src, uint32_t k)
{
	uint32_t p;
	int fresh, rc = e2_bmap(fs, n, lblk, 1, &p, &fresh);

	if (rc)
		return rc;
	if (fresh)
		memset(fs->bounce, 0, fs->bs);
	else if ((rc = e2_dev_io(fs, UK_BLKREQ_READ, p, 1, fs->bounce)))
		return rc;
	memcpy(fs->bounce + boff, src, k);
	return e2_dev_io(fs, UK_BLKREQ_WRITE, p, 1, fs->bounce);
}

static ssize_t e2_write(struct uk_vnode *vn, const void *buf, size_t len,
			off_t off)
{
	struct e2fs *fs = EFS(vn);
	struct e2node *n = EN(vn);
	uint64_t pos = (uint64_t)off, end, done = 0;
	const uint8_t *in = buf;
	struct run runs[RUNS];
	unsigned nr = 0;
	uint32_t blocks0;
	uint64_t size0;
	int rc = 0, rc2;

	if (fs->ro)
		return -EROFS;
	if (off < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (pos >= max_size(fs))
		return -EFBIG;
	blocks0 = le32(n->raw + I_BLOCKS);
	size0 = e2_size(n);
	end = pos + len;
	if (end > max_size(fs) || end < pos)
		end = max_size(fs);
	while (pos < end) {
		uint64_t lblk = pos / fs->bs;
		uint32_t boff = (uint32_t)(pos % fs->bs), p;
		uint32_t k = fs->bs - boff;

		if (k > end - pos)
			k = (uint32_t)(end - pos);
		if (boff || k < fs->bs) {
			if (nr && (rc = do_runs(fs, UK_BLKREQ_WRITE, runs, nr)))
				break;
			nr = 0;
			rc = write_partial(fs, n, lblk, boff, in, k);
			if (rc)
				break;
		} else {
			rc = e2_bmap(fs, n, lblk, 1, &p, NULL);
			if (rc)
				break;
			if (nr && runs[nr - 1].pblk + runs[nr - 1].nblk == p &&
			    runs[nr - 1].buf + (size_t)runs[nr - 1].nblk *
						       fs->bs ==
				    in) {
				runs[nr - 1].nblk++;
			} else {
				if (nr == RUNS) {
					rc = do_runs(fs, UK_BLKREQ_WRITE, runs,
						     nr);
					if (rc)
						break;
					nr = 0;
				}
				runs[nr++] = (struct run){p, 1, (uint8_t *)in};
			}
		}
		pos += k;
		in += k;
		done += k;
	}
	if (nr) {
		/* blocks mapped but not yet written: write them (they are
		 * inside what we count as written) */
		rc2 = do_runs(fs, UK_BLKREQ_WRITE, runs, nr);
		if (rc2) {
			rc = rc2;
			/* their data did not land: the size stays short of
			 * them, and they are freed below */
			done = (uint64_t)(runs[0].buf - (const uint8_t *)buf);
		}
	}
	if (done) {
		uint64_t nend = (uint64_t)off + done;
		if (nend > e2_size(n))
			e2_set_size(n, nend);
		e2_touch(n, 1, 1);
	}
	/* no block may stay mapped past the end of the file */
	uint64_t keep = (e2_size(n) + fs->bs - 1) / fs->bs;
	if (rc && (rc2 = e2_trunc_blocks(fs, n, keep)))
		rc = rc2;
	rc2 = e2_iput_raw(n);
	/* an overwrite in place changed only the times: they go out with
	 * the next commit (or fsync), not with a write of their own, as
	 * Linux writes them back later too */
	if (!rc2 &&
	    (rc || le32(n->raw + I_BLOCKS) != blocks0 || e2_size(n) != size0))
		rc2 = e2_commit(fs);
	if (rc2 && !rc)
		rc = rc2;
	if (done && (rc == -ENOSPC || rc == -EFBIG || rc == 0))
		return (ssize_t)done; /* the error comes with the next call */
	return rc ? rc : (ssize_t)done;
}

static int truncate_to(struct e2fs *fs, struct e2node *n, uint64_t len)
{
	uint64_t size = e2_size(n);
	int rc;

	if (len < size) {
		uint32_t tail = (uint32_t)(len % fs->bs), p;
		/* the rest of the last block reads as zeros if the file
		 * grows again */
		if (tail) {
			rc = e2_bmap(fs, n, len / fs->bs, 0, &p, NULL);
			if (rc)
				return rc;
			if (p) {
				rc = e2_dev_io(fs, UK_BLKREQ_READ, p, 1,
					       fs->bounce);
				if (rc)
					return rc;
				memset(fs->bounce + tail, 0, fs->bs - tail);
				rc = e2_dev_io(fs, UK_BLKREQ_WRITE, p, 1,
					       fs->bounce);
				if (rc)
					return rc;
			}
		}
		rc = e2_trunc_blocks(fs, n, (len + fs->bs - 1) / fs->bs);
		if (rc)
			return rc;
	}
	e2_set_size(n, len);
	return 0;
}

static int e2_truncate(struct uk_vnode *vn, off_t len)
{
	struct e2fs *fs = EFS(vn);
	struct e2node *n = EN(vn);
	int rc;

	if (fs->ro)
		return -EROFS;
	if (len < 0)
		return -EINVAL;
	if ((uint64_t)len > max_size(fs))
		return -EFBIG;
	rc = truncate_to(fs, n, (uint64_t)len);
	e2_touch(n, 1, 1);
	if (!rc)
		rc = e2_iput_raw(n);
	return rc ? rc : e2_commit(fs);
}

static int e2_fsync(struct uk_vnode *vn, int datasync)
{
	struct e2fs *fs = EFS(vn);
	int rc;

	(void)datasync; /* metadata is committed with every change anyway */
	if (fs->ro)
		return 0;
	rc = e2_commit(fs);
	if (!rc)
		rc = uk_blkdev_sync_io(fs->dev, 0, UK_BLKREQ_FLUSH, 0, 0, NULL,
				       0);
	fs->flushes++;
	return rc;
}

/* ---- names ---- */

static int e2_lookup(struct uk_vnode *dir, const char *name, size_t len,
		     struct uk_vnode **out)
{
	struct e2fs *fs = EFS(dir);
	uint32_t ino;
	int rc = e2_dir_lookup(fs, EN(dir), name, len, &ino, NULL);

	return rc ? rc : e2_iget(fs, ino, out);
}

/* A new inode of `mode` (its vnode, referenced): bitmap, counters, and a
 * zeroed on-disk inode with the fields a new one has. */
static int new_inode(struct e2fs *fs, struct e2node *dir, uint32_t mode,
		     struct e2node **out)
{
	int isdir = UK_S_ISTYPE(mode, UK_S_IFDIR);
	struct uk_vnode *vn;
	struct e2node *n;
	struct e2buf *b;
	uint32_t ino, blk, off;
	uint64_t byte;
	int rc = e2_alloc_inode(fs, dir->ino, isdir, &ino);

	if (rc)
		return rc;
	/* the on-disk inode first, so that e2_iget reads a live one */
	byte = (uint64_t)((ino - 1) % fs->ipg) * fs->inode_size;
	blk = le32(e2_gd(fs, (ino - 1) / fs->ipg) + GD_INODE_TABLE) +
	      (uint32_t)(byte / fs->bs);
	off = (uint32_t)(byte % fs->bs);
	rc = e2_bread(fs, blk, 0, &b);
	if (rc)
		goto undo;
	uint8_t *r = b->data + off;
	uint32_t gen = le32(r + I_GENERATION);
	memset(r, 0, fs->inode_size);
	put16(r + I_MODE, (uint16_t)mode);
	put16(r + I_LINKS, 1);
	put32(r + I_GENERATION, gen + 1);
	if (fs->inode_size > 128)
		put16(r + I_EXTRA_ISIZE, 32);
	b->kind = E2K_ITABLE;
	e2_bdirty(b);
	e2_brelse(b);
	rc = e2_iget(fs, ino, &vn);
	if (rc)
		goto undo;
	n = EN(vn);
	vn->atime = vn->mtime = vn->ctime = uk_vfs_now();
	if (fs->inode_size > 128) {
		struct uk_vfs_time t = vn->ctime;
		put32(n->raw + I_CRTIME, (uint32_t)t.sec);
		put32(n->raw + I_CRTIME_EXTRA,
		      (uint32_t)(t.nsec << 2) | (uint32_t)((t.sec >> 32) & 3));
	}
	*out = n;
	return 0;
undo:
	e2_free_inode(fs, ino, isdir);
	return rc;
}

/* The inode's last link and reference are gone: give everything back. */
static int release_inode(struct e2fs *fs, struct e2node *n)
{
	uint32_t acl = le32(n->raw + I_FILE_ACL);
	int isdir = UK_S_ISTYPE(le16(n->raw + I_MODE), UK_S_IFDIR), rc = 0;

	if (!fast_symlink(fs, n))
		rc = e2_trunc_blocks(fs, n, 0);
	if (!rc && acl && !(rc = e2_check_blk(fs, acl, n->ino))) {
		/* an extended attribute block: shared, counted */
		struct e2buf *b;
		rc = e2_bread(fs, acl, 0, &b);
		if (!rc) {
			uint32_t refs = le32(b->data + 4);
			if (le32(b->data) == 0xEA020000 && refs > 1) {
				put32(b->data + 4, refs - 1);
				e2_bdirty(b);
				e2_brelse(b);
			} else {
				e2_brelse(b);
				rc = e2_free_block(fs, acl);
			}
			if (!rc) {
				e2_add_blocks(n, -1);
				put32(n->raw + I_FILE_ACL, 0);
			}
		}
	}
	if (rc)
		return rc;
	/* with no links the inode is written with its dtime (and it already
	 * was when the last link went: e2_node_to_raw); its number and blocks
	 * are freed in the bitmaps only after that write (e2_commit's last
	 * phase), so an interruption in between leaves leaks */
	n->vn.nlink = 0;
	rc = e2_iput_raw(n);
	if (!rc)
		rc = e2_free_inode(fs, n->ino, isdir);
	return rc ? rc : e2_commit(fs);
}

/* Name the new inode `n` in `dir`, in two commits: the inode (and what
 * it points at) first, then the entry naming it - an interruption between
 * leaves an unnamed inode (a leak), never a name for an unwritten one. */
static int link_new(struct e2fs *fs, struct e2node *dir, const char *name,
		    size_t len, struct e2node *n)
{
	int rc = e2_iput_raw(n);

	if (!rc)
		rc = e2_commit(fs);
	if (!rc)
		rc = e2_dir_add(fs, dir, name, len, n->ino,
				e2_ftype(n->vn.mode));
	if (rc) {
		/* undo: the inode was never reachable */
		n->vn.nlink = 0;
		return rc;
	}
	rc = e2_iput_raw(dir);
	if (!rc)
		rc = e2_commit(fs);
	return rc;
}

static int e2_create(struct uk_vnode *dv, const char *name, size_t len,
		     uint32_t mode, struct uk_vnode **out)
{
	struct e2fs *fs = EFS(dv);
	struct e2node *n;
	int rc;

	if (fs->ro)
		return -EROFS;
	/* no lookup first: the directory scan that adds the name finds a
	 * taken one (-EEXIST; rare, the inode is given back then) */
	rc = new_inode(fs, EN(dv), mode, &n);
	if (rc)
		return rc;
	rc = link_new(fs, EN(dv), name, len, n);
	if (rc) {
		uk_vnode_put(&n->vn); /* nlink 0: released there */
		return rc;
	}
	*out = &n->vn;
	return 0;
}

static int e2_mkdir(struct uk_vnode *dv, const char *name, size_t len,
		    uint32_t mode)
{
	struct e2fs *fs = EFS(dv);
	struct e2node *dir = EN(dv), *n;
	uint32_t ino;
	int rc;

	if (fs->ro)
		return -EROFS;
	if (dv->nlink >= 65000)
		return -EMLINK;
	if (!e2_dir_lookup(fs, dir, name, len, &ino, NULL))
		return -EEXIST;
	rc = new_inode(fs, dir, mode, &n);
	if (rc)
		return rc;
	rc = e2_dir_init(fs, n, dir->ino);
	if (!rc) {
		n->vn.nlink = 2;
		/* the parent's link for the new ".." before the name: an
		 * interruption leaves the count one too high, not too low */
		dv->nlink++;
		rc = e2_iput_raw(dir);
		if (rc)
			dv->nlink--;
	}
	if (!rc) {
		rc = link_new(fs, dir, name, len, n);
		if (rc) {
			dv->nlink--;
			e2_iput_raw(dir);
		}
	}
	if (rc)
		n->vn.nlink = 0;
	uk_vnode_put(&n->vn);
	return rc;
}

static int e2_symlink(struct uk_vnode *dv, const char *name, size_t len,
		      const char *target)
{
	struct e2fs *fs = EFS(dv);
	size_t tlen = strlen(target);
	struct e2node *n;
	int rc;

	if (fs->ro)
		return -EROFS;
	if (tlen >= fs->bs)
		return -ENAMETOOLONG;
	rc = new_inode(fs, EN(dv), UK_S_IFLNK | 0777, &n);
	if (rc)
		return rc;
	if (tlen < E2_N_BLOCKS * 4) {
		memcpy(n->raw + I_BLOCK, target, tlen); /* a fast symlink */
	} else {
		uint32_t p;
		struct e2buf *b;
		rc = e2_bmap(fs, n, 0, 1, &p, NULL);
		if (!rc)
			rc = e2_bread(fs, p, 1, &b);
		if (!rc) {
			memcpy(b->data, target, tlen);
			e2_bdirty(b);
			e2_brelse(b);
		}
	}
	if (!rc) {
		e2_set_size(n, tlen);
		rc = link_new(fs, EN(dv), name, len, n);
	}
	if (rc)
		n->vn.nlink = 0;
	uk_vnode_put(&n->vn);
	return rc;
}

static ssize_t e2_readlink(struct uk_vnode *vn, char *buf, size_t len)
{
	struct e2fs *fs = EFS(vn);
	struct e2node *n = EN(vn);
	uint64_t size = e2_size(n);
	struct e2buf *b;
	uint32_t p;
	int rc;

	if (size >= fs->bs)
		return e2_corrupt(fs, "symlink inode %u of %llu bytes", n->ino,
				  (unsigned long long)size);
	if (len > size)
		len = (size_t)size;
	if (fast_symlink(fs, n)) {
		if (size > E2_N_BLOCKS * 4)
			return e2_corrupt(fs,
					  "fast symlink inode %u of %llu "
					  "bytes",
					  n->ino, (unsigned long long)size);
		memcpy(buf, n->raw + I_BLOCK, len);
		return (ssize_t)len;
	}
	rc = e2_bmap(fs, n, 0, 0, &p, NULL);
	if (rc)
		return rc;
	if (!p)
		return e2_corrupt(fs, "symlink inode %u has no block", n->ino);
	rc = e2_bread(fs, p, 0, &b);
	if (rc)
		return rc;
	memcpy(buf, b->data, len);
	e2_brelse(b);
	return (ssize_t)len;
}

/* Drop a link of `vn` (already removed from its directory). When it is
 * the last, this inode write also sets the deletion time (e2_node_to_raw):
 * a kill after it leaves an inode e2fsck takes for deleted, whose blocks
 * and number are leaks until inactive frees them, after this write. */
static int unlinked(struct uk_vnode *vn, int isdir)
{
	if (isdir)
		vn->nlink = 0;
	else if (vn->nlink)
		vn->nlink--;
	e2_touch(EN(vn), 0, 1);
	return e2_iput_raw(EN(vn)); /* freed by inactive once unused */
}

static int e2_unlink(struct uk_vnode *dv, const char *name, size_t len)
{
	struct e2fs *fs = EFS(dv);
	struct uk_vnode *vn;
	uint32_t ino;
	int rc;

	if (fs->ro)
		return -EROFS;
	rc = e2_dir_lookup(fs, EN(dv), name, len, &ino, NULL);
	if (rc)
		return rc;
	rc = e2_iget(fs, ino, &vn);
	if (rc)
		return rc;
	if (UK_S_ISTYPE(vn->mode, UK_S_IFDIR)) {
		uk_vnode_put(vn);
		return -EISDIR;
	}
	/* the name first, then the link count: an interruption leaves a
	 * count one too high (a leak), never a name for a freed inode */
	rc = e2_dir_remove(fs, EN(dv), name, len, NULL);
	if (!rc)
		rc = e2_iput_raw(EN(dv));
	if (!rc)
		rc = e2_commit(fs);
	if (!rc)
		rc = unlinked(vn, 0);
	if (!rc)
		rc = e2_commit(fs);
	uk_vnode_put(vn);
	return rc;
}

static int e2_rmdir(struct uk_vnode *dv, const char *name, size_t len)
{
	struct e2fs *fs = EFS(dv);
	struct uk_vnode *vn;
	uint32_t ino;
	int rc;

	if (fs->ro)
		return -EROFS;
	rc = e2_dir_lookup(fs, EN(dv), name, len, &ino, NULL);
	if (rc)
		return rc;
	rc = e2_iget(fs, ino, &vn);
	if (rc)
		return rc;
	if (!UK_S_ISTYPE(vn->mode, UK_S_IFDIR))
		rc = -ENOTDIR;
	else if ((rc = e2_dir_empty(fs, EN(vn))) >= 0)
		rc = rc ? 0 : -ENOTEMPTY;
	if (!rc)
		rc = e2_dir_remove(fs, EN(dv), name, len, NULL);
	if (!rc)
		rc = e2_iput_raw(EN(dv));
	if (!rc)
		rc = e2_commit(fs);
	if (!rc) {
		rc = unlinked(vn, 1);
		if (dv->nlink > 2)
			dv->nlink--;
	}
	if (!rc)
		rc = e2_iput_raw(EN(dv));
	if (!rc)
		rc = e2_commit(fs);
	uk_vnode_put(vn);
	return rc;
}

/* Is directory `ino` `dir` itself or one of its ancestors? */
static int is_ancestor(struct e2fs *fs, uint32_t ino, struct e2node *dir)
{
	uint32_t cur = dir->ino;

	for (int depth = 0; depth < 4096; depth++) {
		struct uk_vnode *vn;
		uint32_t parent;
		int rc;

		if (cur == ino)
			return 1;
		if (cur == E2_ROOT_INO)
			return 0;
		rc = e2_iget(fs, cur, &vn);
		if (rc)
			return rc;
		rc = e2_dir_lookup(fs, EN(vn), "..", 2, &parent, NULL);
		uk_vnode_put(vn);
		if (rc)
			return rc;
		cur = parent;
	}
	return e2_corrupt(fs, "directory inode %u: '..' chain too deep",
			  dir->ino);
}

static int e2_rename(struct uk_vnode *odv, const char *oname, size_t olen,
		     struct uk_vnode *ndv, const char *nname, size_t nlen)
{
	struct e2fs *fs = EFS(odv);
	struct e2node *od = EN(odv), *nd = EN(ndv);
	struct uk_vnode *src = NULL, *dst = NULL, *up = NULL;
	uint32_t sino, dino;
	int sdir, rc;

	if (fs->ro)
		return -EROFS;
	rc = e2_dir_lookup(fs, od, oname, olen, &sino, NULL);
	if (rc)
		return rc;
	rc = e2_iget(fs, sino, &src);
	if (rc)
		return rc;
	sdir = UK_S_ISTYPE(src->mode, UK_S_IFDIR);
	rc = e2_dir_lookup(fs, nd, nname, nlen, &dino, NULL);
	if (rc == -ENOENT) {
		rc = 0;
	} else if (!rc) {
		if (dino == sino)
			goto out; /* the same file: nothing to do */
		rc = e2_iget(fs, dino, &dst);
		if (!rc) {
			int ddir = UK_S_ISTYPE(dst->mode, UK_S_IFDIR);
			if (sdir && !ddir)
				rc = -ENOTDIR;
			else if (!sdir && ddir)
				rc = -EISDIR;
			else if (ddir && (rc = e2_dir_empty(fs, EN(dst))) >= 0)
				rc = rc ? 0 : -ENOTEMPTY;
		}
	}
	if (!rc && sdir && odv != ndv) {
		rc = is_ancestor(fs, sino, nd);
		if (rc > 0)
			rc = -EINVAL; /* into itself */
		else if (!rc && ndv->nlink >= 65000 && !dst)
			rc = -EMLINK;
	}
	if (rc)
		goto out;
	/* in steps, each committed, so that an interruption leaves link
	 * counts too high, never too low nor a name without its inode: a
	 * file's own count goes up (it has both names for a moment; a count
	 * below its names would let a later unlink free it under the other
	 * one), or a moved directory's new parent gains its link; the new
	 * name appears (or replaces the target), the old one goes, ".."
	 * follows, the counts that went up come down, the old parent and the
	 * replaced file lose their links */
	if (!sdir)
		up = src;
	else if (odv != ndv)
		up = ndv;
	if (up) {
		up->nlink++;
		rc = e2_iput_raw(EN(up));
		if (!rc)
			rc = e2_commit(fs);
		if (rc) {
			up->nlink--;
			e2_iput_raw(EN(up));
			goto out;
		}
	}
	if (dst)
		rc = e2_dir_set(fs, nd, nname, nlen, sino, e2_ftype(src->mode));
	else
		rc = e2_dir_add(fs, nd, nname, nlen, sino, e2_ftype(src->mode));
	if (rc && up) {
		/* no new name (a full disk): the count back down */
		up->nlink--;
		if (!e2_iput_raw(EN(up)))
			e2_commit(fs);
		goto out;
	}
	if (!rc)
		rc = e2_iput_raw(nd);
	if (!rc)
		rc = e2_commit(fs);
	if (!rc)
		rc = e2_dir_remove(fs, od, oname, olen, NULL);
	if (!rc)
		rc = e2_iput_raw(od);
	if (!rc)
		rc = e2_commit(fs);
	if (!rc && sdir && odv != ndv) {
		rc = e2_dir_set(fs, EN(src), "..", 2, nd->ino, E2_FT_DIR);
		if (!rc)
			rc = e2_commit(fs);
		if (!rc) {
			odv->nlink--;
			rc = e2_iput_raw(od);
		}
	}
	if (!rc && dst) {
		rc = unlinked(dst, UK_S_ISTYPE(dst->mode, UK_S_IFDIR));
		if (!rc && sdir && ndv->nlink > 2) {
			ndv->nlink--; /* the replaced directory's ".." */
			rc = e2_iput_raw(nd);
		}
	}
	if (!rc && !sdir)
		src->nlink--; /* the old name is gone */
	e2_touch(EN(src), 0, 1);
	if (!rc)
		rc = e2_iput_raw(EN(src));
	if (!rc)
		rc = e2_commit(fs);
out:
	if (dst)
		uk_vnode_put(dst);
	uk_vnode_put(src);
	return rc;
}

static int e2_setattr(struct uk_vnode *vn)
{
	struct e2fs *fs = EFS(vn);
	int rc;

	if (fs->ro)
		return -EROFS;
	rc = e2_iput_raw(EN(vn));
	return rc ? rc : e2_commit(fs);
}

static void e2_inactive(struct uk_vnode *vn)
{
	struct e2fs *fs = EFS(vn);
	struct e2node *n = EN(vn);

	if (!vn->nlink && !fs->ro && release_inode(fs, n))
		uk_pr_err("ext2 %s: inode %u could not be freed: its blocks "
			  "stay allocated (e2fsck reclaims them)",
			  fs->dev->name, n->ino);
	e2_node_forget(fs, n);
}

const struct uk_vnode_ops e2_ops = {
	.lookup = e2_lookup,
	.create = e2_create,
	.mkdir = e2_mkdir,
	.symlink = e2_symlink,
	.unlink = e2_unlink,
	.rmdir = e2_rmdir,
	.rename = e2_rename,
	.readlink = e2_readlink,
	.setattr = e2_setattr,
	.read = e2_read,
	.write = e2_write,
	.truncate = e2_truncate,
	.readdir = e2_readdir,
	.inactive = e2_inactive,
	.fsync = e2_fsync,
};
