/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ext2fs: ext2 filesystems on ukblkdev devices, as the vfscore type
 * "ext2". The mount source is a block device name (virtio-blk: vda, vdb):
 *
 *   vfs.mount=ext2:vda:/data[:OPTIONS]      (library parameter)
 *   mount("vda", "/data", "ext2", MS_RDONLY, "cache=4096")
 *
 * Options: ro, rw, cache=KiB (metadata block cache, default
 * UK_EXT2FS_DEFAULT_CACHE_KIB), poll (no completion interrupts).
 *
 * Images made by mke2fs (-t ext2, with -d to fill them) are read and
 * written: revision 0 and 1, any block size 1-64 KiB, inode sizes 128+,
 * sparse_super, large_file, filetype, resize_inode, dir_index (htree
 * directories read as linear; changed ones drop the index), ext_attr
 * (blocks kept, released with their inode). A feature this driver lacks
 * is refused by name (incompat: extent, 64bit, flex_bg... -EINVAL) or
 * makes the mount read-only (ro_compat ones, an ext3 journal).
 *
 * Consistency: every change writes its metadata before the call returns
 * (one burst of block writes, data before metadata), so the filesystem
 * is consistent for e2fsck whenever no call is running, with or without
 * an unmount. (The times of a file overwritten in place wait for the next
 * commit or fsync; access times are not kept: noatime.) fsync, fdatasync, sync
 * and syncfs then send FLUSH. The superblock is marked not clean while mounted
 * read-write (unmount marks it clean), so Linux checks it after a power cut, as
 * it should.
 */
#ifndef UK_EXT2FS_H
#define UK_EXT2FS_H

#include <stdint.h>
#include <uk/vfs.h>

#define UK_EXT2FS_DEFAULT_CACHE_KIB 2048

/* Registers the "ext2" type (init table, UK_INIT_LIB); 0 or -errno.
 * Exposed for native tests. */
int uk_ext2fs_init(void);

struct uk_ext2fs_stats {
	uint64_t commits; /* bursts of metadata writes */
	uint64_t flushes; /* FLUSH requests from fsync/sync */
	uint32_t block_size;
	uint32_t cache_blocks;
};

/* Counters of an ext2 mount; -EINVAL for another type. */
int uk_ext2fs_stats(struct uk_mount *m, struct uk_ext2fs_stats *s);

#endif /* UK_EXT2FS_H */
