/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ext2fs: mount (every superblock and group descriptor field checked
 * before use), the metadata block cache, block and inode allocation,
 * inodes, and the commit that ends every change: all dirty metadata blocks
 * written in one burst of requests.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/ext2fs.h>
#include <uk/init.h>
#include <uk/print.h>
#include "ext2_impl.h"

/* ---- device ---- */

int e2_dev_io(struct e2fs *fs, uint8_t op, uint64_t blk, uint32_t nblk,
	      void *buf)
{
	int rc = uk_blkdev_sync_io(fs->dev, 0, op, blk * fs->spb,
				   (uint64_t)nblk * fs->spb, buf, 0);
	if (rc < 0)
		uk_pr_err("ext2 %s: %s of block %llu (+%u) failed: %d",
			  fs->dev->name,
			  op == UK_BLKREQ_READ ? "read" : "write",
			  (unsigned long long)blk, nblk, rc);
	return rc;
}

int e2_corrupt(struct e2fs *fs, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uk_pr_err("ext2 %s: corrupt filesystem: %s (run e2fsck)", fs->dev->name,
		  msg);
	if (!fs->ro && !(le16(fs->sb + SB_STATE) & E2_STATE_ERRORS)) {
		put16(fs->sb + SB_STATE,
		      (uint16_t)(le16(fs->sb + SB_STATE) | E2_STATE_ERRORS));
		fs->sb_dirty = 1;
	}
	return -EIO;
}

int e2_check_blk(struct e2fs *fs, uint32_t blk, uint32_t ino)
{
	if (blk < fs->first_data || blk >= fs->nblocks)
		return e2_corrupt(fs,
				  "inode %u points to block %u (the "
				  "filesystem has %u)",
				  ino, blk, fs->nblocks);
	return 0;
}

/* ---- the metadata block cache ---- */

static struct e2buf **hslot(struct e2fs *fs, uint64_t blk)
{
	return &fs->hash[blk % E2_HASH];
}

static void unhash_buf(struct e2fs *fs, struct e2buf *b)
{
	struct e2buf **p = hslot(fs, b->blk);

	while (*p && *p != b)
		p = &(*p)->hnext;
	if (*p)
		*p = b->hnext;
	b->valid = 0;
}

/* A buffer to reuse: the least recently used clean unpinned one; when
 * every buffer is dirty, commit first. */
static struct e2buf *victim(struct e2fs *fs, int *err)
{
	for (int round = 0; round < 2; round++) {
		struct e2buf *best = NULL;

		for (unsigned i = 0; i < fs->nbufs; i++) {
			struct e2buf *b = &fs->bufs[i];
			if (b->pins || b->dirty)
				continue;
			if (!b->valid)
				return b;
			if (!best || (int32_t)(b->lru - best->lru) < 0)
				best = b;
		}
		if (best) {
			unhash_buf(fs, best);
			return best;
		}
		*err = e2_commit(fs);
		if (*err)
			return NULL;
	}
	uk_pr_err("ext2 %s: every cache buffer is pinned", fs->dev->name);
	*err = -ENOMEM;
	return NULL;
}

int e2_bread(struct e2fs *fs, uint64_t blk, int noread, struct e2buf **out)
{
	struct e2buf *b;
	int err = 0;

	if (blk >= fs->nblocks)
		return e2_corrupt(fs, "block %llu beyond the end (%u)",
				  (unsigned long long)blk, fs->nblocks);
	for (b = *hslot(fs, blk); b; b = b->hnext) {
		if (b->blk == blk) {
			b->pins++;
			b->lru = ++fs->tick;
			if (noread)
				memset(b->data, 0, fs->bs);
			*out = b;
			return 0;
		}
	}
	b = victim(fs, &err);
	if (!b)
		return err;
	b->blk = blk;
	if (noread) {
		memset(b->data, 0, fs->bs);
	} else {
		err = e2_dev_io(fs, UK_BLKREQ_READ, blk, 1, b->data);
		if (err)
			return err;
	}
	b->valid = 1;
	b->dirty = 0;
	b->kind = E2K_OTHER;
	b->pins = 1;
	b->lru = ++fs->tick;
	b->hnext = *hslot(fs, blk);
	*hslot(fs, blk) = b;
	*out = b;
	return 0;
}

void e2_brelse(struct e2buf *b)
{
	if (b && b->pins)
		b->pins--;
}

void e2_bdirty(struct e2buf *b)
{
	b->dirty = 1;
}

/* A freed block: its cached copy (dirty or not) must never be written or
 * read again (it may become file data, written around the cache). */
void e2_bforget(struct e2fs *fs, uint64_t blk)
{
	for (struct e2buf *b = *hslot(fs, blk); b; b = b->hnext) {
		if (b->blk == blk) {
			b->dirty = 0;
			if (!b->pins)
				unhash_buf(fs, b);
			return;
		}
	}
}

/* ---- commit: every dirty metadata block in one burst ---- */

static int write_burst(struct e2fs *fs, struct uk_blkreq *reqs,
		       struct uk_blkreq **rp, unsigned n)
{
	unsigned off = 0;
	int rc;

	while (off < n) {
		uint16_t cnt = (uint16_t)(n - off > 0xffff ? 0xffff : n - off);
		rc = uk_blkdev_submit(fs->dev, 0, rp + off, &cnt);
		if (rc < 0)
			return rc;
		if (cnt == 0) {
			rc = uk_blkdev_wait(fs->dev, 0, rp, off);
			if (rc < 0)
				return rc;
			if (!off)
				return -EIO;
			continue;
		}
		off += cnt;
		if (off < n) { /* ring full: let these finish first */
			rc = uk_blkdev_wait(fs->dev, 0, rp, off);
			if (rc < 0)
				return rc;
		}
	}
	rc = uk_blkdev_wait(fs->dev, 0, rp, n);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < n; i++)
		if (reqs[i].result < 0) {
			uk_pr_err("ext2 %s: metadata write of sector %llu "
				  "failed: %d",
				  fs->dev->name,
				  (unsigned long long)reqs[i].sector,
				  reqs[i].result);
			return reqs[i].result;
		}
	return 0;
}

/* Write the dirty blocks `pick` selects (plus the group descriptors and
 * superblock when `meta`) in one burst. */
static int write_dirty(struct e2fs *fs, int kind, int meta, unsigned *count)
{
	unsigned n = 0, max = fs->nbufs + fs->gdt_blocks + 1;
	struct uk_blkreq *reqs;
	struct uk_blkreq **rp;
	int rc;

	reqs = malloc(max * (sizeof(*reqs) + sizeof(*rp)));
	if (!reqs)
		return -ENOMEM;
	rp = (struct uk_blkreq **)(reqs + max);
	for (unsigned i = 0; i < fs->nbufs; i++) {
		struct e2buf *b = &fs->bufs[i];
		if (!b->valid || !b->dirty || b->kind != kind)
			continue;
		uk_blkreq_init(&reqs[n], UK_BLKREQ_WRITE, b->blk * fs->spb,
			       fs->spb, b->data, NULL, NULL);
		rp[n] = &reqs[n];
		n++;
	}
	for (uint32_t i = 0; meta && i < fs->gdt_blocks; i++) {
		if (!fs->gdt_dirty[i])
			continue;
		uk_blkreq_init(&reqs[n], UK_BLKREQ_WRITE,
			       (uint64_t)(fs->first_data + 1 + i) * fs->spb,
			       fs->spb, fs->gdt + (size_t)i * fs->bs, NULL,
			       NULL);
		rp[n] = &reqs[n];
		n++;
	}
	if (meta && fs->sb_dirty) {
		uk_blkreq_init(&reqs[n], UK_BLKREQ_WRITE, fs->sbarea_sector,
			       fs->sbarea_len / fs->ss, fs->sbarea, NULL, NULL);
		rp[n] = &reqs[n];
		n++;
	}
	rc = n ? write_burst(fs, reqs, rp, n) : 0;
	free(reqs);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < fs->nbufs; i++)
		if (fs->bufs[i].kind == kind)
			fs->bufs[i].dirty = 0;
	if (meta) {
		memset(fs->gdt_dirty, 0, fs->gdt_blocks);
		fs->sb_dirty = 0;
	}
	*count += n;
	return 0;
}

static int any_dirty(struct e2fs *fs, int kind)
{
	for (unsigned i = 0; i < fs->nbufs; i++)
		if (fs->bufs[i].valid && fs->bufs[i].dirty &&
		    fs->bufs[i].kind == kind)
			return 1;
	return 0;
}

static int barrier(struct e2fs *fs)
{
	if (!fs->barrier)
		return 0;
	fs->flushes++;
	return uk_blkdev_sync_io(fs->dev, 0, UK_BLKREQ_FLUSH, 0, 0, NULL, 0);
}

static int apply_frees(struct e2fs *fs);

/*
 * Everything changed goes out in ordered phases, each waited for before
 * the next (and with the `barrier` option made durable by a FLUSH first,
 * for write caches that lose completed writes in a power cut), so that an
 * interrupted commit leaves nothing pointing at what is not written:
 *   1. bitmaps (holding only new allocations: frees wait), descriptors,
 *      superblock - nothing points at a block before it is marked used;
 *   2. directory, indirect and symlink blocks - what inodes point at;
 *   3. inode table blocks;
 *   4. the frees, once nothing on disk points at the freed blocks.
 * The operations themselves commit in steps where one block would
 * otherwise have to go before another of the same phase (a new inode
 * before the directory entry naming it, an entry's removal before the
 * inode loses the link). An inode losing its last link gets its deletion
 * time in that same inode write (e2_node_to_raw): e2fsck then sees a
 * deleted inode whose blocks and number, marked used until the frees
 * land, are leaks (no links and no dtime is an error, not a leak). What an
 * interruption can leave is a leak: blocks or inodes marked used that
 * nothing uses, a link count one too high.
 */
int e2_commit(struct e2fs *fs)
{
	static const int later[] = {E2K_OTHER, E2K_ITABLE};
	unsigned n = 0;
	int rc, wrote;

	if (fs->ro)
		return 0;
	rc = write_dirty(fs, E2K_BITMAP, 1, &n);
	wrote = n != 0;
	for (unsigned k = 0; !rc && k < 2; k++) {
		unsigned m = 0;
		if (!any_dirty(fs, later[k]))
			continue;
		if (wrote)
			rc = barrier(fs);
		if (!rc)
			rc = write_dirty(fs, later[k], 0, &m);
		wrote = m != 0;
		n += m;
	}
	if (!rc && fs->npend) {
		if (wrote)
			rc = barrier(fs);
		if (!rc)
			rc = apply_frees(fs);
		if (!rc)
			rc = write_dirty(fs, E2K_BITMAP, 1, &n);
	}
	if (!rc && n)
		fs->commits++;
	return rc;
}

/* ---- group descriptors and counters ---- */

uint8_t *e2_gd(struct e2fs *fs, uint32_t g)
{
	return fs->gdt + (size_t)g * GD_SIZE;
}

void e2_gd_dirty(struct e2fs *fs, uint32_t g)
{
	fs->gdt_dirty[(size_t)g * GD_SIZE / fs->bs] = 1;
}

static void count(struct e2fs *fs, uint32_t g, unsigned field, int delta)
{
	uint8_t *gd = e2_gd(fs, g);
	unsigned sbf = field == GD_FREE_BLOCKS	 ? SB_FREE_BLOCKS
		       : field == GD_FREE_INODES ? SB_FREE_INODES
						 : 0;

	put16(gd + field, (uint16_t)(le16(gd + field) + delta));
	e2_gd_dirty(fs, g);
	if (sbf) {
		put32(fs->sb + sbf, le32(fs->sb + sbf) + (uint32_t)delta);
		fs->sb_dirty = 1;
	}
}

static uint32_t group_blocks(struct e2fs *fs, uint32_t g)
{
	uint32_t start = fs->first_data + g * fs->bpg;
	uint32_t n = fs->nblocks - start;
	return n < fs->bpg ? n : fs->bpg;
}

/* First zero bit in [from, nbits) of a bitmap block, or -1. */
static long find_zero(const uint8_t *map, uint32_t from, uint32_t nbits)
{
	for (uint32_t i = from; i < nbits;) {
		if ((i & 63) == 0 && i + 64 <= nbits) {
			uint64_t w;
			memcpy(&w, map + i / 8, 8);
			if (w == ~0ull) {
				i += 64;
				continue;
			}
		}
		if (!(map[i / 8] & (1u << (i % 8))))
			return (long)i;
		i++;
	}
	return -1;
}

int e2_alloc_block(struct e2fs *fs, uint32_t goal, uint32_t *out)
{
	uint32_t g0, from;

	if (goal < fs->first_data || goal >= fs->nblocks)
		goal = fs->first_data + fs->last_group * fs->bpg;
	g0 = (goal - fs->first_data) / fs->bpg;
	from = (goal - fs->first_data) % fs->bpg;
	for (uint32_t k = 0; k <= fs->ngroups; k++) {
		uint32_t g = (g0 + k) % fs->ngroups;
		uint8_t *gd = e2_gd(fs, g);
		struct e2buf *b;
		long bit;
		int rc;

		if (!le16(gd + GD_FREE_BLOCKS)) {
			from = 0;
			continue;
		}
		rc = e2_bread(fs, le32(gd + GD_BLOCK_BITMAP), 0, &b);
		if (rc)
			return rc;
		bit = find_zero(b->data, k ? 0 : from, group_blocks(fs, g));
		if (bit < 0 && !k && from)
			bit = find_zero(b->data, 0, from);
		if (bit < 0) {
			e2_brelse(b);
			return e2_corrupt(fs,
					  "group %u claims %u free blocks, "
					  "its bitmap has none",
					  g, le16(gd + GD_FREE_BLOCKS));
		}
		b->data[bit / 8] |= (uint8_t)(1u << (bit % 8));
		b->kind = E2K_BITMAP;
		e2_bdirty(b);
		e2_brelse(b);
		count(fs, g, GD_FREE_BLOCKS, -1);
		fs->last_group = g;
		*out = fs->first_data + g * fs->bpg + (uint32_t)bit;
		return 0;
	}
	return -ENOSPC;
}

/* Queue a block or inode to free at the end of the commit. */
static int defer(struct e2fs *fs, uint32_t num, int inode, int isdir)
{
	if (fs->npend == fs->cappend) {
		unsigned cap = fs->cappend ? 2 * fs->cappend : 64;
		struct e2free *p = realloc(fs->pend, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		fs->pend = p;
		fs->cappend = cap;
	}
	fs->pend[fs->npend++] =
		(struct e2free){num, (uint8_t)inode, (uint8_t)isdir};
	return 0;
}

static int clear_bit(struct e2fs *fs, uint32_t bitmap_blk, uint32_t bit,
		     const char *what, uint32_t num)
{
	struct e2buf *b;
	int rc = e2_bread(fs, bitmap_blk, 0, &b);

	if (rc)
		return rc;
	if (!(b->data[bit / 8] & (1u << (bit % 8)))) {
		e2_brelse(b);
		return e2_corrupt(fs, "freeing %s %u, which is free", what,
				  num);
	}
	b->data[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
	b->kind = E2K_BITMAP;
	e2_bdirty(b);
	e2_brelse(b);
	return 0;
}

static int apply_frees(struct e2fs *fs)
{
	int rc = 0;

	for (unsigned i = 0; i < fs->npend && !rc; i++) {
		struct e2free *f = &fs->pend[i];
		if (f->inode) {
			uint32_t g = (f->num - 1) / fs->ipg;
			rc = clear_bit(fs, le32(e2_gd(fs, g) + GD_INODE_BITMAP),
				       (f->num - 1) % fs->ipg, "inode", f->num);
			if (!rc) {
				count(fs, g, GD_FREE_INODES, 1);
				if (f->isdir)
					count(fs, g, GD_USED_DIRS, -1);
			}
		} else {
			uint32_t g = (f->num - fs->first_data) / fs->bpg;
			rc = clear_bit(fs, le32(e2_gd(fs, g) + GD_BLOCK_BITMAP),
				       (f->num - fs->first_data) % fs->bpg,
				       "block", f->num);
			if (!rc)
				count(fs, g, GD_FREE_BLOCKS, 1);
		}
	}
	fs->npend = 0;
	return rc;
}

int e2_free_block(struct e2fs *fs, uint32_t blk)
{
	if (blk < fs->first_data || blk >= fs->nblocks)
		return e2_corrupt(fs,
				  "freeing block %u, outside the "
				  "filesystem",
				  blk);
	/* its cached copy must never be written or read again (it may
	 * become file data, written around the cache) */
	e2_bforget(fs, blk);
	return defer(fs, blk, 0, 0);
}

int e2_alloc_inode(struct e2fs *fs, uint32_t dir_ino, int isdir, uint32_t *out)
{
	uint32_t g0 = (dir_ino - 1) / fs->ipg, avg, best = UINT32_MAX;

	if (isdir) {
		/* spread directories: a group with at least the average of
		 * free inodes and the most free blocks */
		avg = le32(fs->sb + SB_FREE_INODES) / fs->ngroups;
		for (uint32_t g = 0; g < fs->ngroups; g++) {
			uint8_t *gd = e2_gd(fs, g);
			if (le16(gd + GD_FREE_INODES) < avg ||
			    !le16(gd + GD_FREE_INODES))
				continue;
			if (best == UINT32_MAX ||
			    le16(gd + GD_FREE_BLOCKS) >
				    le16(e2_gd(fs, best) + GD_FREE_BLOCKS))
				best = g;
		}
		if (best != UINT32_MAX)
			g0 = best;
	}
	for (uint32_t k = 0; k < fs->ngroups; k++) {
		uint32_t g = (g0 + k) % fs->ngroups;
		uint8_t *gd = e2_gd(fs, g);
		struct e2buf *b;
		uint32_t first = g == 0 ? fs->first_ino - 1 : 0;
		long bit;
		int rc;

		if (!le16(gd + GD_FREE_INODES))
			continue;
		rc = e2_bread(fs, le32(gd + GD_INODE_BITMAP), 0, &b);
		if (rc)
			return rc;
		bit = find_zero(b->data, first, fs->ipg);
		if (bit < 0) {
			e2_brelse(b);
			return e2_corrupt(fs,
					  "group %u claims %u free inodes, "
					  "its bitmap has none",
					  g, le16(gd + GD_FREE_INODES));
		}
		b->data[bit / 8] |= (uint8_t)(1u << (bit % 8));
		b->kind = E2K_BITMAP;
		e2_bdirty(b);
		e2_brelse(b);
		count(fs, g, GD_FREE_INODES, -1);
		if (isdir)
			count(fs, g, GD_USED_DIRS, 1);
		*out = g * fs->ipg + (uint32_t)bit + 1;
		return 0;
	}
	return -ENOSPC;
}

int e2_free_inode(struct e2fs *fs, uint32_t ino, int isdir)
{
	if (ino < 1 || ino > fs->ninodes)
		return e2_corrupt(fs,
				  "freeing inode %u (the filesystem has "
				  "%u)",
				  ino, fs->ninodes);
	return defer(fs, ino, 1, isdir);
}

/* ---- inodes ---- */

static int inode_loc(struct e2fs *fs, uint32_t ino, uint32_t *blk,
		     uint32_t *off)
{
	uint32_t g, idx, itab;
	uint64_t byte;

	if (ino < 1 || ino > fs->ninodes)
		return e2_corrupt(fs,
				  "inode number %u (the filesystem has "
				  "%u)",
				  ino, fs->ninodes);
	g = (ino - 1) / fs->ipg;
	idx = (ino - 1) % fs->ipg;
	itab = le32(e2_gd(fs, g) + GD_INODE_TABLE);
	byte = (uint64_t)idx * fs->inode_size;
	*blk = itab + (uint32_t)(byte / fs->bs);
	*off = (uint32_t)(byte % fs->bs);
	return 0;
}

static struct uk_vfs_time rawtime(const struct e2node *n, unsigned at,
				  unsigned extra)
{
	struct uk_vfs_time t = {(int64_t)(int32_t)le32(n->raw + at), 0};
	uint16_t xs = le16(n->raw + I_EXTRA_ISIZE);

	if (EFS(&n->vn)->inode_size > 128 && 128u + xs >= extra + 4) {
		uint32_t x = le32(n->raw + extra);
		t.nsec = x >> 2;
		t.sec += (int64_t)(x & 3) << 32;
		if (t.nsec > 999999999)
			t.nsec = 0;
	}
	return t;
}

static void raw_to_node(struct e2node *n)
{
	struct uk_vnode *vn = &n->vn;
	const uint8_t *r = n->raw;

	vn->mode = le16(r + I_MODE);
	vn->uid = le16(r + I_UID) | (uint32_t)le16(r + I_UID_HIGH) << 16;
	vn->gid = le16(r + I_GID) | (uint32_t)le16(r + I_GID_HIGH) << 16;
	vn->nlink = le16(r + I_LINKS);
	vn->size = (off_t)e2_size(n);
	vn->blocks = le32(r + I_BLOCKS);
	vn->atime = rawtime(n, I_ATIME, I_ATIME_EXTRA);
	vn->mtime = rawtime(n, I_MTIME, I_MTIME_EXTRA);
	vn->ctime = rawtime(n, I_CTIME, I_CTIME_EXTRA);
}

static void puttime(struct e2node *n, unsigned at, unsigned extra,
		    struct uk_vfs_time t)
{
	uint16_t xs = le16(n->raw + I_EXTRA_ISIZE);

	put32(n->raw + at, (uint32_t)t.sec);
	if (EFS(&n->vn)->inode_size > 128 && 128u + xs >= extra + 4)
		put32(n->raw + extra,
		      (uint32_t)(t.nsec << 2) | (uint32_t)((t.sec >> 32) & 3));
}

/* A deletion time for an inode losing its last link: e2fsck tells a
 * deleted inode by its nonzero dtime, and takes one below the inode count
 * for an orphan list link, so an image without a clock (time 0) uses the
 * superblock's last write time, or just past the inode count. */
static uint32_t dtime_now(struct e2fs *fs)
{
	uint32_t now = (uint32_t)uk_vfs_now().sec;

	if (now <= fs->ninodes)
		now = le32(fs->sb + SB_WTIME);
	if (now <= fs->ninodes)
		now = fs->ninodes + 1;
	return now;
}

void e2_node_to_raw(struct e2node *n)
{
	struct uk_vnode *vn = &n->vn;
	uint8_t *r = n->raw;

	/* No inode reaches the disk with no links and no dtime, which e2fsck
	 * reports ("deleted inode has zero dtime") rather than takes for a
	 * leak: the write that drops the last link is the one that marks the
	 * inode deleted, before anything of it is freed in the bitmaps. */
	if (!vn->nlink && !le32(r + I_DTIME))
		put32(r + I_DTIME, dtime_now(EFS(vn)));

	put16(r + I_MODE, (uint16_t)vn->mode);
	put16(r + I_UID, (uint16_t)vn->uid);
	put16(r + I_UID_HIGH, (uint16_t)(vn->uid >> 16));
	put16(r + I_GID, (uint16_t)vn->gid);
	put16(r + I_GID_HIGH, (uint16_t)(vn->gid >> 16));
	put16(r + I_LINKS, (uint16_t)vn->nlink);
	puttime(n, I_ATIME, I_ATIME_EXTRA, vn->atime);
	puttime(n, I_MTIME, I_MTIME_EXTRA, vn->mtime);
	puttime(n, I_CTIME, I_CTIME_EXTRA, vn->ctime);
}

int e2_iput_raw(struct e2node *n)
{
	struct e2fs *fs = EFS(&n->vn);
	uint32_t blk, off, len = fs->inode_size < 256 ? fs->inode_size : 256;
	struct e2buf *b;
	int rc = inode_loc(fs, n->ino, &blk, &off);

	if (rc)
		return rc;
	e2_node_to_raw(n);
	rc = e2_bread(fs, blk, 0, &b);
	if (rc)
		return rc;
	memcpy(b->data + off, n->raw, len);
	b->kind = E2K_ITABLE;
	e2_bdirty(b);
	e2_brelse(b);
	return 0;
}

static struct e2node **nslot(struct e2fs *fs, uint32_t ino)
{
	return &fs->nodes[ino % E2_HASH];
}

int e2_iget(struct e2fs *fs, uint32_t ino, struct uk_vnode **out)
{
	struct e2node *n;
	struct e2buf *b;
	uint32_t blk, off;
	int rc;

	for (n = *nslot(fs, ino); n; n = n->hnext) {
		if (n->ino == ino) {
			uk_vnode_ref(&n->vn);
			*out = &n->vn;
			return 0;
		}
	}
	rc = inode_loc(fs, ino, &blk, &off);
	if (rc)
		return rc;
	rc = e2_bread(fs, blk, 0, &b);
	if (rc)
		return rc;
	n = calloc(1, sizeof(*n));
	if (!n) {
		e2_brelse(b);
		return -ENOMEM;
	}
	memcpy(n->raw, b->data + off,
	       fs->inode_size < 256 ? fs->inode_size : 256);
	e2_brelse(b);
	n->ino = ino;
	n->vn.ops = &e2_ops;
	n->vn.mnt = fs->m;
	n->vn.priv = n;
	n->vn.ino = ino;
	raw_to_node(n);
	if (!le16(n->raw + I_MODE) || !le16(n->raw + I_LINKS)) {
		unsigned mode = le16(n->raw + I_MODE);
		unsigned links = le16(n->raw + I_LINKS);
		free(n);
		return e2_corrupt(fs,
				  "inode %u is in use but has mode %#o, "
				  "%u links",
				  ino, mode, links);
	}
	n->hnext = *nslot(fs, ino);
	*nslot(fs, ino) = n;
	uk_vnode_ref(&n->vn);
	*out = &n->vn;
	return 0;
}

/* Called by the vnode's inactive: drop it from the table, free it. */
void e2_node_forget(struct e2fs *fs, struct e2node *n);
void e2_node_forget(struct e2fs *fs, struct e2node *n)
{
	struct e2node **p = nslot(fs, n->ino);

	while (*p && *p != n)
		p = &(*p)->hnext;
	if (*p)
		*p = n->hnext;
	free(n);
}

/* ---- mounting ---- */

static const char *const incompat_names[] = {"compression",
					     "filetype",
					     "needs_recovery",
					     "journal_dev",
					     "meta_bg",
					     "bit5",
					     "extent",
					     "64bit",
					     "mmp",
					     "flex_bg",
					     "ea_inode",
					     "bit11",
					     "dirdata",
					     "metadata_csum_seed",
					     "large_dir",
					     "inline_data",
					     "encrypt",
					     "casefold"};
static const char *const ro_compat_names[] = {
	"sparse_super", "large_file", "btree_dir",     "huge_file",
	"gdt_csum",	"dir_nlink",  "extra_isize",   "bit7",
	"quota",	"bigalloc",   "metadata_csum", "replica",
	"read-only",	"project",    "shared_blocks", "verity"};

static const char *fname(const char *const *t, size_t n, unsigned bit)
{
	return bit < n ? t[bit] : "unknown";
}

#define NAMES(t) (sizeof(t) / sizeof(*(t)))

static int bad_sb(struct e2fs *fs, const char *what, unsigned long long v)
{
	uk_pr_err("ext2 %s: not a usable ext2 superblock: %s (%llu)",
		  fs->dev->name, what, v);
	return -EINVAL;
}

/* Every field the code relies on, checked before anything uses it. */
static int check_sb(struct e2fs *fs, uint64_t dev_bytes)
{
	const uint8_t *sb = fs->sb;
	uint32_t log = le32(sb + SB_LOG_BLOCK_SIZE), rev;
	uint64_t bytes;

	if (le16(sb + SB_MAGIC) != E2_MAGIC) {
		uk_pr_err("ext2 %s: no ext2 superblock (magic %#x at byte "
			  "1080, not 0xef53)",
			  fs->dev->name, le16(sb + SB_MAGIC));
		return -EINVAL;
	}
	if (log > 6)
		return bad_sb(fs, "block size 1024 << log", log);
	fs->bs = 1024u << log;
	if (fs->bs < fs->ss)
		return bad_sb(fs, "block size below the sector size", fs->bs);
	fs->spb = fs->bs / fs->ss;
	fs->nblocks = le32(sb + SB_BLOCKS_COUNT);
	fs->ninodes = le32(sb + SB_INODES_COUNT);
	fs->first_data = le32(sb + SB_FIRST_DATA);
	fs->bpg = le32(sb + SB_BLOCKS_PER_GRP);
	fs->ipg = le32(sb + SB_INODES_PER_GRP);
	rev = le32(sb + SB_REV_LEVEL);
	if (fs->first_data != (fs->bs == 1024 ? 1u : 0u))
		return bad_sb(fs, "first data block", fs->first_data);
	if (!fs->bpg || fs->bpg > 8 * fs->bs)
		return bad_sb(fs, "blocks per group", fs->bpg);
	if (!fs->ipg || fs->ipg > 8 * fs->bs)
		return bad_sb(fs, "inodes per group", fs->ipg);
	if (fs->nblocks <= fs->first_data + 1)
		return bad_sb(fs, "blocks count", fs->nblocks);
	fs->ngroups = (fs->nblocks - fs->first_data + fs->bpg - 1) / fs->bpg;
	if ((uint64_t)fs->ngroups * fs->ipg != fs->ninodes)
		return bad_sb(fs, "inodes count != groups x inodes per group",
			      fs->ninodes);
	if (rev == 0) {
		fs->inode_size = 128;
		fs->first_ino = 11;
	} else if (rev == 1) {
		fs->inode_size = le16(sb + SB_INODE_SIZE);
		fs->first_ino = le32(sb + SB_FIRST_INO);
	} else {
		return bad_sb(fs, "revision", rev);
	}
	if (fs->inode_size < 128 || fs->inode_size > fs->bs ||
	    (fs->inode_size & (fs->inode_size - 1)))
		return bad_sb(fs, "inode size", fs->inode_size);
	if (fs->first_ino < 11 || fs->first_ino > fs->ninodes)
		return bad_sb(fs, "first inode", fs->first_ino);
	if (le32(sb + SB_FREE_BLOCKS) > fs->nblocks)
		return bad_sb(fs, "free blocks count",
			      le32(sb + SB_FREE_BLOCKS));
	if (le32(sb + SB_FREE_INODES) > fs->ninodes)
		return bad_sb(fs, "free inodes count",
			      le32(sb + SB_FREE_INODES));
	bytes = (uint64_t)fs->nblocks * fs->bs;
	if (bytes > dev_bytes) {
		uk_pr_err("ext2 %s: truncated disk: the superblock says %u "
			  "blocks of %u bytes (%llu KiB), the device has %llu "
			  "KiB",
			  fs->dev->name, fs->nblocks, fs->bs,
			  (unsigned long long)(bytes >> 10),
			  (unsigned long long)(dev_bytes >> 10));
		return -EINVAL;
	}
	fs->apb = fs->bs / 4;
	fs->gdt_blocks = (fs->ngroups * GD_SIZE + fs->bs - 1) / fs->bs;
	return 0;
}

static int check_features(struct e2fs *fs)
{
	uint32_t compat = le32(fs->sb + SB_FEATURE_COMPAT);
	uint32_t incompat = le32(fs->sb + SB_FEATURE_INCOMPAT);
	uint32_t rocompat = le32(fs->sb + SB_FEATURE_RO_COMPAT);
	uint32_t bad;

	if (le32(fs->sb + SB_REV_LEVEL) == 0)
		return 0; /* revision 0 has no feature fields */
	bad = incompat & ~(uint32_t)E2_INCOMPAT_FILETYPE;
	if (bad) {
		unsigned b = (unsigned)__builtin_ctz(bad);
		uk_pr_err("ext2 %s: the filesystem needs feature '%s' "
			  "(incompat %#x), which this driver does not have",
			  fs->dev->name,
			  fname(incompat_names, NAMES(incompat_names), b), bad);
		return -EINVAL;
	}
	bad = rocompat & ~(uint32_t)(E2_RO_COMPAT_SPARSE | E2_RO_COMPAT_LARGE |
				     E2_RO_COMPAT_BTREE);
	if (bad && !fs->ro) {
		unsigned b = (unsigned)__builtin_ctz(bad);
		uk_pr_warn("ext2 %s: feature '%s' (ro_compat %#x) is not "
			   "supported for writing: mounted read-only",
			   fs->dev->name,
			   fname(ro_compat_names, NAMES(ro_compat_names), b),
			   bad);
		fs->ro = 1;
	}
	if ((compat & E2_COMPAT_HAS_JOURNAL) && !fs->ro) {
		uk_pr_warn("ext2 %s: ext3 journal present, which this driver "
			   "does not keep: mounted read-only",
			   fs->dev->name);
		fs->ro = 1;
	}
	return 0;
}

static int check_gdt(struct e2fs *fs)
{
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		const uint8_t *gd = e2_gd(fs, g);
		uint32_t bb = le32(gd + GD_BLOCK_BITMAP);
		uint32_t ib = le32(gd + GD_INODE_BITMAP);
		uint32_t it = le32(gd + GD_INODE_TABLE);
		uint32_t itb = (fs->ipg * fs->inode_size + fs->bs - 1) / fs->bs;

		if (bb < fs->first_data || bb >= fs->nblocks ||
		    ib < fs->first_data || ib >= fs->nblocks ||
		    it < fs->first_data || it + itb > fs->nblocks ||
		    le16(gd + GD_FREE_BLOCKS) > group_blocks(fs, g) ||
		    le16(gd + GD_FREE_INODES) > fs->ipg) {
			uk_pr_err("ext2 %s: group descriptor %u is corrupt "
				  "(bitmaps at %u/%u, inode table at %u, "
				  "%u free blocks, %u free inodes)",
				  fs->dev->name, g, bb, ib, it,
				  le16(gd + GD_FREE_BLOCKS),
				  le16(gd + GD_FREE_INODES));
			return -EINVAL;
		}
	}
	return 0;
}

static int opt_num(const char *o, size_t n, const char *key, uint32_t *v)
{
	size_t k = strlen(key);
	uint64_t x = 0;

	if (n <= k + 1 || strncmp(o, key, k) || o[k] != '=')
		return 0;
	for (size_t i = k + 1; i < n; i++) {
		if (o[i] < '0' || o[i] > '9' || x > 0xffffffffull / 10)
			return -1;
		x = x * 10 + (uint64_t)(o[i] - '0');
	}
	*v = (uint32_t)x;
	return 1;
}

static int parse_opts(struct e2fs *fs, const char *data, uint32_t *cache_kib,
		      int *poll)
{
	for (const char *o = data; o && *o;) {
		const char *e = strchr(o, ',');
		size_t n = e ? (size_t)(e - o) : strlen(o);
		int r;

		if (n == 2 && !strncmp(o, "ro", 2))
			fs->ro = 1;
		else if (n == 2 && !strncmp(o, "rw", 2))
			fs->ro = 0;
		else if (n == 4 && !strncmp(o, "poll", 4))
			*poll = 1;
		else if (n == 9 && !strncmp(o, "nobarrier", 9))
			fs->barrier = 0;
		else if (n == 7 && !strncmp(o, "barrier", 7))
			fs->barrier = 1;
		else if ((r = opt_num(o, n, "cache", cache_kib)) != 0) {
			if (r < 0 || *cache_kib < 64) {
				uk_pr_err("ext2: option '%.*s': a number of "
					  "KiB, at least 64",
					  (int)n, o);
				return -EINVAL;
			}
		} else {
			uk_pr_err("ext2: unknown option '%.*s' (known: ro, rw, "
				  "cache=KiB, poll, barrier, nobarrier)",
				  (int)n, o);
			return -EINVAL;
		}
		o = e ? e + 1 : NULL;
	}
	return 0;
}

static void fs_free(struct e2fs *fs)
{
	if (!fs)
		return;
	if (fs->bufs) {
		for (unsigned i = 0; i < fs->nbufs; i++)
			free(fs->bufs[i].data);
		free(fs->bufs);
	}
	free(fs->sbarea);
	free(fs->gdt);
	free(fs->gdt_dirty);
	free(fs->bounce);
	free(fs->pend);
	free(fs);
}

static int e2_mount(struct uk_mount *m, const char *data)
{
	struct uk_blkdev *dev = uk_blkdev_find(m->source);
	uint32_t cache_kib = UK_EXT2FS_DEFAULT_CACHE_KIB;
	struct uk_blkdev_info info;
	struct e2fs *fs;
	int poll = 0, rc;

	if (!dev) {
		char list[128];
		size_t n = 0;
		list[0] = 0;
		for (unsigned i = 0; i < uk_blkdev_count() && n < 100; i++) {
			struct uk_blkdev *d = uk_blkdev_get(i);
			n += (size_t)snprintf(list + n, sizeof(list) - n,
					      "%s%s", n ? " " : "", d->name);
		}
		uk_pr_err("ext2: no block device '%s' (devices: %s)",
			  m->source ? m->source : "(none)", n ? list : "none");
		return -ENODEV;
	}
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->m = m;
	fs->dev = dev;
	fs->ro = !!(m->flags & UK_MS_RDONLY);
	rc = parse_opts(fs, data, &cache_kib, &poll);
	if (rc)
		goto fail;
	rc = uk_blkdev_open(dev);
	if (rc) {
		uk_pr_err("ext2 %s: the device cannot be started: %d",
			  dev->name, rc);
		goto fail;
	}
	uk_blkdev_info_get(dev, &info);
	if (info.features & UK_BLKDEV_F_RO)
		fs->ro = 1;
	/* barriers matter only where completed writes can still be lost */
	if (!(info.features & UK_BLKDEV_F_FLUSH))
		fs->barrier = 0;
	if (!poll && (info.features & UK_BLKDEV_F_INTR) &&
	    uk_blkdev_intr_enable(dev, 0) >= 0)
		fs->intr = 1;
	fs->ss = info.sector_size;
	if (fs->ss > 65536 || (uint64_t)info.sectors * fs->ss < 2048) {
		uk_pr_err("ext2 %s: %llu sectors of %u bytes: too small for "
			  "an ext2 superblock",
			  dev->name, (unsigned long long)info.sectors, fs->ss);
		rc = -EINVAL;
		goto fail;
	}
	/* the sectors holding bytes 1024..2047 */
	fs->sbarea_sector = E2_SB_OFFSET / fs->ss;
	fs->sbarea_len = ((E2_SB_OFFSET + E2_SB_SIZE + fs->ss - 1) / fs->ss -
			  fs->sbarea_sector) *
			 fs->ss;
	fs->sbarea = malloc(fs->sbarea_len);
	if (!fs->sbarea) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = uk_blkdev_sync_io(dev, 0, UK_BLKREQ_READ, fs->sbarea_sector,
			       fs->sbarea_len / fs->ss, fs->sbarea, 0);
	if (rc) {
		uk_pr_err("ext2 %s: reading the superblock failed: %d",
			  dev->name, rc);
		goto fail;
	}
	fs->sb = fs->sbarea + (E2_SB_OFFSET - fs->sbarea_sector * fs->ss);
	rc = check_sb(fs, (uint64_t)info.sectors * fs->ss);
	if (rc)
		goto fail;
	rc = check_features(fs);
	if (rc)
		goto fail;
	if (le32(fs->sb + SB_FEATURE_INCOMPAT) & E2_INCOMPAT_RECOVER) {
		uk_pr_err("ext2 %s: the journal needs recovery: run e2fsck",
			  dev->name);
		rc = -EINVAL;
		goto fail;
	}
	fs->gdt = malloc((size_t)fs->gdt_blocks * fs->bs);
	fs->gdt_dirty = calloc(fs->gdt_blocks, 1);
	fs->bounce = malloc(fs->bs);
	fs->nbufs = (cache_kib << 10) / fs->bs;
	if (fs->nbufs < 16)
		fs->nbufs = 16;
	fs->bufs = calloc(fs->nbufs, sizeof(*fs->bufs));
	if (!fs->gdt || !fs->gdt_dirty || !fs->bounce || !fs->bufs) {
		rc = -ENOMEM;
		goto fail;
	}
	for (unsigned i = 0; i < fs->nbufs; i++) {
		fs->bufs[i].data = malloc(fs->bs);
		if (!fs->bufs[i].data) {
			rc = -ENOMEM;
			goto fail;
		}
	}
	rc = e2_dev_io(fs, UK_BLKREQ_READ, fs->first_data + 1, fs->gdt_blocks,
		       fs->gdt);
	if (rc)
		goto fail;
	rc = check_gdt(fs);
	if (rc)
		goto fail;
	m->priv = fs;
	rc = e2_iget(fs, E2_ROOT_INO, &m->root);
	if (rc)
		goto fail;
	if (!UK_S_ISTYPE(m->root->mode, UK_S_IFDIR)) {
		uk_pr_err("ext2 %s: the root inode is not a directory",
			  dev->name);
		uk_vnode_put(m->root);
		rc = -EINVAL;
		goto fail;
	}
	if (le16(fs->sb + SB_STATE) & E2_STATE_ERRORS)
		uk_pr_warn("ext2 %s: the filesystem is marked as having "
			   "errors: run e2fsck",
			   dev->name);
	if (!fs->ro) {
		struct uk_vfs_time now = uk_vfs_now();
		/* not clean until unmounted */
		put16(fs->sb + SB_STATE,
		      (uint16_t)(le16(fs->sb + SB_STATE) & ~E2_STATE_VALID));
		put16(fs->sb + SB_MNT_COUNT,
		      (uint16_t)(le16(fs->sb + SB_MNT_COUNT) + 1));
		put32(fs->sb + SB_MTIME, (uint32_t)now.sec);
		put32(fs->sb + SB_WTIME, (uint32_t)now.sec);
		fs->sb_dirty = 1;
		rc = e2_commit(fs);
		if (rc) {
			uk_vnode_put(m->root);
			goto fail;
		}
	}
	uk_pr_info("ext2 %s: %u blocks of %u bytes, %u inodes, %u groups, "
		   "%u KiB cache, %s, %s",
		   dev->name, fs->nblocks, fs->bs, fs->ninodes, fs->ngroups,
		   cache_kib, fs->intr ? "interrupts" : "polling",
		   fs->ro ? "read-only" : "read-write");
	return 0;
fail:
	m->priv = NULL;
	fs_free(fs);
	return rc;
}

static int e2_sync(struct uk_mount *m)
{
	struct e2fs *fs = m->priv;
	int rc;

	if (fs->ro)
		return 0;
	rc = e2_commit(fs);
	if (!rc)
		rc = uk_blkdev_sync_io(fs->dev, 0, UK_BLKREQ_FLUSH, 0, 0, NULL,
				       0);
	fs->flushes++;
	return rc;
}

static void e2_unmount(struct uk_mount *m)
{
	struct e2fs *fs = m->priv;

	if (!fs->ro) {
		if (!(le16(fs->sb + SB_STATE) & E2_STATE_ERRORS))
			put16(fs->sb + SB_STATE,
			      (uint16_t)(le16(fs->sb + SB_STATE) |
					 E2_STATE_VALID));
		put32(fs->sb + SB_WTIME, (uint32_t)uk_vfs_now().sec);
		fs->sb_dirty = 1;
		if (e2_sync(m))
			uk_pr_err("ext2 %s: writing back at unmount failed",
				  fs->dev->name);
	}
	fs_free(fs);
}

static int e2_statfs(struct uk_mount *m, struct uk_statfs *st)
{
	struct e2fs *fs = m->priv;
	uint32_t fb = le32(fs->sb + SB_FREE_BLOCKS);
	uint32_t rb = le32(fs->sb + SB_R_BLOCKS_COUNT);

	st->f_bsize = st->f_frsize = fs->bs;
	st->f_blocks = fs->nblocks - fs->first_data;
	st->f_bfree = fb;
	st->f_bavail = fb > rb ? fb - rb : 0;
	st->f_files = fs->ninodes;
	st->f_ffree = le32(fs->sb + SB_FREE_INODES);
	st->f_namelen = 255;
	if (fs->ro)
		st->f_flags |= UK_MS_RDONLY;
	return 0;
}

static struct uk_fstype e2_type = {
	.name = "ext2",
	.magic = 0xEF53,
	.mount = e2_mount,
	.unmount = e2_unmount,
	.statfs = e2_statfs,
	.sync = e2_sync,
};

int uk_ext2fs_stats(struct uk_mount *m, struct uk_ext2fs_stats *s)
{
	struct e2fs *fs;

	if (!m || m->type != &e2_type)
		return -EINVAL;
	fs = m->priv;
	s->commits = fs->commits;
	s->flushes = fs->flushes;
	s->block_size = fs->bs;
	s->cache_blocks = fs->nbufs;
	return 0;
}

int uk_ext2fs_init(void)
{
	int rc = uk_vfs_register(&e2_type);

	return rc == -EEXIST ? 0 : rc;
}
uk_lib_initcall(uk_ext2fs_init);
