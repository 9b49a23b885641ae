/* SPDX-License-Identifier: BSD-3-Clause */
/* ext2fs internals shared by super.c, dir.c and file.c. */
#ifndef EXT2_IMPL_H
#define EXT2_IMPL_H

#include <stdint.h>
#include <string.h>
#include <uk/blkdev.h>
#include <uk/vfs.h>

/* ---- on-disk layout (little-endian; offsets in bytes) ---- */
#define E2_MAGIC     0xEF53
#define E2_SB_OFFSET 1024
#define E2_SB_SIZE   1024

/* superblock fields */
#define SB_INODES_COUNT	     0
#define SB_BLOCKS_COUNT	     4
#define SB_R_BLOCKS_COUNT    8
#define SB_FREE_BLOCKS	     12
#define SB_FREE_INODES	     16
#define SB_FIRST_DATA	     20
#define SB_LOG_BLOCK_SIZE    24
#define SB_BLOCKS_PER_GRP    32
#define SB_INODES_PER_GRP    40
#define SB_MTIME	     44
#define SB_WTIME	     48
#define SB_MNT_COUNT	     52
#define SB_MAGIC	     56
#define SB_STATE	     58
#define SB_REV_LEVEL	     76
#define SB_FIRST_INO	     84
#define SB_INODE_SIZE	     88
#define SB_FEATURE_COMPAT    92
#define SB_FEATURE_INCOMPAT  96
#define SB_FEATURE_RO_COMPAT 100
#define SB_LAST_ORPHAN	     232

#define E2_STATE_VALID	1
#define E2_STATE_ERRORS 2

#define E2_COMPAT_HAS_JOURNAL 0x0004
#define E2_INCOMPAT_FILETYPE  0x0002
#define E2_INCOMPAT_RECOVER   0x0004
#define E2_RO_COMPAT_SPARSE   0x0001
#define E2_RO_COMPAT_LARGE    0x0002
#define E2_RO_COMPAT_BTREE    0x0004

/* group descriptor (32 bytes) */
#define GD_SIZE		32
#define GD_BLOCK_BITMAP 0
#define GD_INODE_BITMAP 4
#define GD_INODE_TABLE	8
#define GD_FREE_BLOCKS	12
#define GD_FREE_INODES	14
#define GD_USED_DIRS	16

/* inode fields */
#define I_MODE	       0
#define I_UID	       2
#define I_SIZE	       4
#define I_ATIME	       8
#define I_CTIME	       12
#define I_MTIME	       16
#define I_DTIME	       20
#define I_GID	       24
#define I_LINKS	       26
#define I_BLOCKS       28
#define I_FLAGS	       32
#define I_BLOCK	       40 /* 15 x u32 */
#define I_GENERATION   100
#define I_FILE_ACL     104
#define I_SIZE_HIGH    108
#define I_UID_HIGH     120
#define I_GID_HIGH     122
#define I_EXTRA_ISIZE  128
#define I_CTIME_EXTRA  132
#define I_MTIME_EXTRA  136
#define I_ATIME_EXTRA  140
#define I_CRTIME       144
#define I_CRTIME_EXTRA 148

#define E2_NDIR_BLOCKS 12
#define E2_IND_BLOCK   12
#define E2_DIND_BLOCK  13
#define E2_TIND_BLOCK  14
#define E2_N_BLOCKS    15

#define E2_INDEX_FL 0x00001000 /* htree directory */
#define E2_ROOT_INO 2

/* directory entry: inode u32, rec_len u16, name_len u8, file_type u8 */
#define DE_HDR		8
#define DE_LEN(namelen) (((unsigned)(namelen) + DE_HDR + 3) & ~3u)

/* file types in directory entries */
#define E2_FT_UNKNOWN 0
#define E2_FT_REG     1
#define E2_FT_DIR     2
#define E2_FT_CHR     3
#define E2_FT_BLK     4
#define E2_FT_FIFO    5
#define E2_FT_SOCK    6
#define E2_FT_SYMLINK 7

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- in memory ---- */

struct e2buf {
	uint64_t blk;
	uint8_t *data;
	uint32_t lru;
	uint16_t pins;
	uint8_t valid, dirty;
	uint8_t kind; /* E2K_*: the commit phase that writes it */
	struct e2buf *hnext;
};

#define E2K_OTHER  0 /* directories, indirect and symlink blocks */
#define E2K_BITMAP 1 /* block and inode bitmaps */
#define E2K_ITABLE 2 /* inode table blocks */

/* a block or inode given back, applied to the bitmaps after the blocks
 * that stopped pointing at it are written */
struct e2free {
	uint32_t num;
	uint8_t inode, isdir;
};

#define E2_HASH 1024

struct e2node;

struct e2fs {
	struct uk_mount *m;
	struct uk_blkdev *dev;
	uint32_t bs;  /* block size */
	uint32_t spb; /* device sectors per block */
	uint32_t ss;  /* device sector size */
	uint32_t nblocks, ninodes, first_data, bpg, ipg, ngroups;
	uint32_t inode_size, first_ino, apb; /* addresses per block */
	uint32_t gdt_blocks;
	int ro;
	uint8_t *sbarea; /* the device sectors holding the superblock */
	uint32_t sbarea_len;
	uint64_t sbarea_sector;
	uint8_t *sb;  /* points into sbarea */
	uint8_t *gdt; /* gdt_blocks whole blocks */
	uint8_t *gdt_dirty;
	int sb_dirty;
	/* metadata block cache */
	struct e2buf *bufs;
	unsigned nbufs;
	uint32_t tick;
	struct e2buf *hash[E2_HASH];
	uint8_t *bounce; /* one block for partial data blocks */
	/* vnodes by inode number */
	struct e2node *nodes[E2_HASH];
	uint32_t last_group;
	uint64_t commits, flushes;
	int intr;
	int barrier; /* FLUSH between the ordered phases of a commit */
	struct e2free *pend;
	unsigned npend, cappend;
};

struct e2node {
	struct uk_vnode vn;
	uint32_t ino;
	uint8_t raw[256];   /* the on-disk inode (first 256 bytes at most) */
	uint32_t last_pblk; /* allocation goal: after the last one given */
	struct e2node *hnext;
};

#define EN(v)  ((struct e2node *)(v)->priv)
#define EFS(v) ((struct e2fs *)(v)->mnt->priv)

/* super.c: cache, allocation, inodes, commit */
int e2_bread(struct e2fs *fs, uint64_t blk, int noread, struct e2buf **out);
void e2_brelse(struct e2buf *b);
void e2_bdirty(struct e2buf *b);
void e2_bforget(struct e2fs *fs, uint64_t blk);
int e2_dev_io(struct e2fs *fs, uint8_t op, uint64_t blk, uint32_t nblk,
	      void *buf);
int e2_commit(struct e2fs *fs);
int e2_alloc_block(struct e2fs *fs, uint32_t goal, uint32_t *out);
int e2_free_block(struct e2fs *fs, uint32_t blk);
int e2_alloc_inode(struct e2fs *fs, uint32_t dir_ino, int isdir, uint32_t *out);
int e2_free_inode(struct e2fs *fs, uint32_t ino, int isdir);
int e2_iget(struct e2fs *fs, uint32_t ino, struct uk_vnode **out);
int e2_iput_raw(struct e2node *n); /* raw inode into its cached block */
void e2_node_to_raw(struct e2node *n);
int e2_check_blk(struct e2fs *fs, uint32_t blk, uint32_t ino);
uint8_t *e2_gd(struct e2fs *fs, uint32_t g);
void e2_gd_dirty(struct e2fs *fs, uint32_t g);
int e2_corrupt(struct e2fs *fs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* file.c: block map, data, truncate, the vnode ops */
extern const struct uk_vnode_ops e2_ops;
int e2_bmap(struct e2fs *fs, struct e2node *n, uint64_t lblk, int alloc,
	    uint32_t *pblk, int *fresh);
int e2_trunc_blocks(struct e2fs *fs, struct e2node *n, uint64_t first);
uint64_t e2_size(const struct e2node *n);
void e2_set_size(struct e2node *n, uint64_t size);
void e2_add_blocks(struct e2node *n, int64_t fsblocks);
void e2_touch(struct e2node *n, int m, int c);

/* dir.c */
int e2_dir_lookup(struct e2fs *fs, struct e2node *dir, const char *name,
		  size_t len, uint32_t *ino, uint8_t *type);
int e2_dir_add(struct e2fs *fs, struct e2node *dir, const char *name,
	       size_t len, uint32_t ino, uint8_t type);
int e2_dir_remove(struct e2fs *fs, struct e2node *dir, const char *name,
		  size_t len, uint32_t *ino);
int e2_dir_set(struct e2fs *fs, struct e2node *dir, const char *name,
	       size_t len, uint32_t ino, uint8_t type);
int e2_dir_empty(struct e2fs *fs, struct e2node *dir);
int e2_dir_init(struct e2fs *fs, struct e2node *dir, uint32_t parent);
int e2_readdir(struct uk_vnode *dir, uint64_t cookie, uk_vfs_filldir_t fill,
	       void *ctx);
uint8_t e2_ftype(uint32_t mode);

#endif /* EXT2_IMPL_H */
