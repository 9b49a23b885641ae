/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ext2 directories: linear lists of entries in blocks (htree indexes are
 * read as the linear directories they also are; a directory this driver
 * changes loses its index flag, as older Linux drivers did). Every entry
 * is checked before use; a bad one is -EIO, never followed.
 */
#include <errno.h>
#include <string.h>
#include <uk/print.h>
#include "ext2_impl.h"

uint8_t e2_ftype(uint32_t mode)
{
	switch (mode & UK_S_IFMT) {
	case UK_S_IFREG:
		return E2_FT_REG;
	case UK_S_IFDIR:
		return E2_FT_DIR;
	case UK_S_IFCHR:
		return E2_FT_CHR;
	case UK_S_IFBLK:
		return E2_FT_BLK;
	case UK_S_IFIFO:
		return E2_FT_FIFO;
	case UK_S_IFSOCK:
		return E2_FT_SOCK;
	case UK_S_IFLNK:
		return E2_FT_SYMLINK;
	default:
		return E2_FT_UNKNOWN;
	}
}

static unsigned dtype(uint8_t ft)
{
	static const unsigned dt[] = {0, 8, 4, 2, 6, 1, 12, 10};
	return ft < 8 ? dt[ft] : 0;
}

static int has_filetype(struct e2fs *fs)
{
	return le32(fs->sb + SB_REV_LEVEL) &&
	       (le32(fs->sb + SB_FEATURE_INCOMPAT) & E2_INCOMPAT_FILETYPE);
}

/* The entry at `o` of directory block `d`: checked. 0 or -EIO. */
static int entry(struct e2fs *fs, struct e2node *dir, const uint8_t *d,
		 uint32_t o, uint64_t lblk, uint32_t *ino, uint32_t *rec,
		 uint32_t *nlen)
{
	*ino = le32(d + o);
	*rec = le16(d + o + 4);
	*nlen = d[o + 6];
	if (fs->bs == 65536 && *rec == 0)
		*rec = 65536; /* the encoding of a whole 64 KiB block */
	if (*rec < DE_HDR || (*rec & 3) || o + *rec > fs->bs ||
	    (*ino && DE_LEN(*nlen) > *rec) || *ino > fs->ninodes)
		return e2_corrupt(fs,
				  "directory inode %u, block %llu, offset "
				  "%u: entry of %u bytes, name %u, inode "
				  "%u",
				  dir->ino, (unsigned long long)lblk, o, *rec,
				  *nlen, *ino);
	return 0;
}

static uint64_t nblocks_of(struct e2fs *fs, struct e2node *dir)
{
	return e2_size(dir) / fs->bs;
}

/* Block `lblk` of a directory, pinned. */
static int dir_block(struct e2fs *fs, struct e2node *dir, uint64_t lblk,
		     struct e2buf **out)
{
	uint32_t p;
	int rc = e2_bmap(fs, dir, lblk, 0, &p, NULL);

	if (rc)
		return rc;
	if (!p)
		return e2_corrupt(fs,
				  "directory inode %u has a hole at block "
				  "%llu",
				  dir->ino, (unsigned long long)lblk);
	return e2_bread(fs, p, 0, out);
}

/* Find `name`: its block, offset and the previous entry's offset in that
 * block (UINT32_MAX: first). 0, -ENOENT or -EIO. */
static int find(struct e2fs *fs, struct e2node *dir, const char *name,
		size_t len, uint64_t *lblk_out, uint32_t *off, uint32_t *prev)
{
	uint64_t nb = nblocks_of(fs, dir);

	for (uint64_t l = 0; l < nb; l++) {
		struct e2buf *b;
		uint32_t o = 0, pv = UINT32_MAX, ino, rec, nlen;
		int rc = dir_block(fs, dir, l, &b);

		if (rc)
			return rc;
		while (o < fs->bs) {
			rc = entry(fs, dir, b->data, o, l, &ino, &rec, &nlen);
			if (rc) {
				e2_brelse(b);
				return rc;
			}
			if (ino && nlen == len &&
			    !memcmp(b->data + o + DE_HDR, name, len)) {
				e2_brelse(b);
				*lblk_out = l;
				*off = o;
				*prev = pv;
				return 0;
			}
			pv = o;
			o += rec;
		}
		e2_brelse(b);
	}
	return -ENOENT;
}

int e2_dir_lookup(struct e2fs *fs, struct e2node *dir, const char *name,
		  size_t len, uint32_t *ino, uint8_t *type)
{
	uint64_t l;
	uint32_t o, pv;
	struct e2buf *b;
	int rc = find(fs, dir, name, len, &l, &o, &pv);

	if (rc)
		return rc;
	rc = dir_block(fs, dir, l, &b);
	if (rc)
		return rc;
	*ino = le32(b->data + o);
	if (type)
		*type = b->data[o + 7];
	e2_brelse(b);
	if (*ino < 1)
		return -ENOENT;
	return 0;
}

static void changed(struct e2fs *fs, struct e2node *dir)
{
	uint32_t fl = le32(dir->raw + I_FLAGS);

	(void)fs;
	if (fl & E2_INDEX_FL) /* the htree index no longer matches */
		put32(dir->raw + I_FLAGS, fl & ~(uint32_t)E2_INDEX_FL);
	e2_touch(dir, 1, 1);
}

static void put_entry(struct e2fs *fs, uint8_t *p, uint32_t ino, uint32_t rec,
		      const char *name, size_t len, uint8_t type)
{
	put32(p, ino);
	put16(p + 4, (uint16_t)(rec == 65536 ? 0 : rec));
	p[6] = (uint8_t)len;
	p[7] = has_filetype(fs) ? type : 0;
	memcpy(p + DE_HDR, name, len);
}

int e2_dir_add(struct e2fs *fs, struct e2node *dir, const char *name,
	       size_t len, uint32_t ino, uint8_t type)
{
	uint32_t need = DE_LEN(len), slot_off = 0;
	uint64_t nb = nblocks_of(fs, dir), slot_l = UINT64_MAX;
	struct e2buf *b;
	int rc;

	if (len > 255)
		return -ENAMETOOLONG;
	/* one pass: the name must be new; the first gap that fits */
	for (uint64_t l = 0; l < nb; l++) {
		uint32_t o = 0, ei, rec, nlen;
		rc = dir_block(fs, dir, l, &b);
		if (rc)
			return rc;
		while (o < fs->bs) {
			rc = entry(fs, dir, b->data, o, l, &ei, &rec, &nlen);
			if (rc) {
				e2_brelse(b);
				return rc;
			}
			if (ei && nlen == len &&
			    !memcmp(b->data + o + DE_HDR, name, len)) {
				e2_brelse(b);
				return -EEXIST;
			}
			if (slot_l == UINT64_MAX &&
			    (ei ? rec - DE_LEN(nlen) : rec) >= need) {
				slot_l = l;
				slot_off = o;
			}
			o += rec;
		}
		e2_brelse(b);
	}
	if (slot_l != UINT64_MAX) {
		uint32_t ei, rec, nlen;
		rc = dir_block(fs, dir, slot_l, &b);
		if (rc)
			return rc;
		uint8_t *p = b->data + slot_off;
		rc = entry(fs, dir, b->data, slot_off, slot_l, &ei, &rec,
			   &nlen);
		if (rc) {
			e2_brelse(b);
			return rc;
		}
		if (ei) {
			uint32_t used = DE_LEN(nlen);
			put16(p + 4, (uint16_t)used);
			p += used;
			rec -= used;
		}
		put_entry(fs, p, ino, rec, name, len, type);
		e2_bdirty(b);
		e2_brelse(b);
	} else {
		/* a new block at the end */
		uint32_t pblk;
		int fresh = 0;
		rc = e2_bmap(fs, dir, nb, 1, &pblk, &fresh);
		if (rc)
			return rc;
		rc = e2_bread(fs, pblk, 1, &b);
		if (rc)
			return rc;
		put_entry(fs, b->data, ino, fs->bs, name, len, type);
		e2_bdirty(b);
		e2_brelse(b);
		e2_set_size(dir, (nb + 1) * fs->bs);
	}
	changed(fs, dir);
	return 0;
}

int e2_dir_remove(struct e2fs *fs, struct e2node *dir, const char *name,
		  size_t len, uint32_t *ino)
{
	uint64_t l;
	uint32_t o, pv;
	struct e2buf *b;
	int rc = find(fs, dir, name, len, &l, &o, &pv);

	if (rc)
		return rc;
	rc = dir_block(fs, dir, l, &b);
	if (rc)
		return rc;
	if (ino)
		*ino = le32(b->data + o);
	if (pv == UINT32_MAX) {
		put32(b->data + o, 0); /* first of its block: keep the space */
	} else {
		uint32_t rec = le16(b->data + pv + 4) + le16(b->data + o + 4);
		put16(b->data + pv + 4, (uint16_t)rec);
	}
	e2_bdirty(b);
	e2_brelse(b);
	changed(fs, dir);
	return 0;
}

int e2_dir_set(struct e2fs *fs, struct e2node *dir, const char *name,
	       size_t len, uint32_t ino, uint8_t type)
{
	uint64_t l;
	uint32_t o, pv;
	struct e2buf *b;
	int rc = find(fs, dir, name, len, &l, &o, &pv);

	if (rc)
		return rc;
	rc = dir_block(fs, dir, l, &b);
	if (rc)
		return rc;
	put32(b->data + o, ino);
	b->data[o + 7] = has_filetype(fs) ? type : 0;
	e2_bdirty(b);
	e2_brelse(b);
	changed(fs, dir);
	return 0;
}

int e2_dir_empty(struct e2fs *fs, struct e2node *dir)
{
	uint64_t nb = nblocks_of(fs, dir);

	for (uint64_t l = 0; l < nb; l++) {
		struct e2buf *b;
		uint32_t o = 0, ino, rec, nlen;
		int rc = dir_block(fs, dir, l, &b);

		if (rc)
			return rc;
		while (o < fs->bs) {
			rc = entry(fs, dir, b->data, o, l, &ino, &rec, &nlen);
			if (rc) {
				e2_brelse(b);
				return rc;
			}
			const char *nm = (const char *)b->data + o + DE_HDR;
			if (ino && !(nlen == 1 && nm[0] == '.') &&
			    !(nlen == 2 && nm[0] == '.' && nm[1] == '.')) {
				e2_brelse(b);
				return 0;
			}
			o += rec;
		}
		e2_brelse(b);
	}
	return 1;
}

int e2_dir_init(struct e2fs *fs, struct e2node *dir, uint32_t parent)
{
	uint32_t pblk;
	struct e2buf *b;
	int fresh, rc = e2_bmap(fs, dir, 0, 1, &pblk, &fresh);

	if (rc)
		return rc;
	rc = e2_bread(fs, pblk, 1, &b);
	if (rc)
		return rc;
	put_entry(fs, b->data, dir->ino, 12, ".", 1, E2_FT_DIR);
	put_entry(fs, b->data + 12, parent, fs->bs - 12, "..", 2, E2_FT_DIR);
	e2_bdirty(b);
	e2_brelse(b);
	e2_set_size(dir, fs->bs);
	return 0;
}

int e2_readdir(struct uk_vnode *vn, uint64_t cookie, uk_vfs_filldir_t fill,
	       void *ctx)
{
	struct e2fs *fs = EFS(vn);
	struct e2node *dir = EN(vn);
	uint64_t nb = nblocks_of(fs, dir);

	for (uint64_t l = cookie / fs->bs; l < nb; l++) {
		uint32_t from = l == cookie / fs->bs ? cookie % fs->bs : 0;
		uint32_t o = 0, ino, rec, nlen;
		struct e2buf *b;
		int rc = dir_block(fs, dir, l, &b);

		if (rc)
			return rc;
		/* a cookie may point into an entry merged since: restart
		 * at the first entry at or after it */
		while (o < fs->bs) {
			rc = entry(fs, dir, b->data, o, l, &ino, &rec, &nlen);
			if (rc) {
				e2_brelse(b);
				return rc;
			}
			if (o >= from && ino &&
			    fill(ctx, (const char *)b->data + o + DE_HDR, nlen,
				 ino,
				 has_filetype(fs) ? dtype(b->data[o + 7]) : 0,
				 l * fs->bs + o + rec)) {
				e2_brelse(b);
				return 1;
			}
			o += rec;
		}
		e2_brelse(b);
	}
	return 0;
}
