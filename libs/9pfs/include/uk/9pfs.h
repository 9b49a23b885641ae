/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 9pfs: host directories shared through 9P2000.L (uk9p), as a vfscore
 * filesystem type "9pfs". The mount source is the share's mount tag
 * (QEMU: -virtfs local,path=DIR,mount_tag=TAG,security_model=...):
 *
 *   vfs.mount=9pfs:TAG:/data[:OPTIONS]     (library parameter)
 *   mount("TAG", "/data", "9pfs", 0, "msize=262144")
 *
 * Options: msize=BYTES (default UK_9PFS_DEFAULT_MSIZE, lowered to what
 * the transport and server take), uid=N and gid=N (attach as / create
 * as; default 0), ro, rw. An unknown tag is -ENODEV and names the tags
 * there are; unknown options are -EINVAL.
 *
 * Semantics: files, directories, symlinks, rename, unlink (an open file
 * stays usable), truncate, chmod/chown/utimes, fsync (Tfsync: the host
 * fsyncs its file), statfs. stat asks the server, so changes made on the
 * host show; other cached state (a file's size for O_APPEND and lseek)
 * is what this image last saw. Hard links are not offered by vfscore.
 */
#ifndef UK_9PFS_H
#define UK_9PFS_H

#define UK_9PFS_DEFAULT_MSIZE (512u << 10)

/* Registers the "9pfs" type (init table, UK_INIT_LIB); 0 or -errno.
 * Exposed for native tests. */
int uk_9pfs_init(void);

#endif /* UK_9PFS_H */
