/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ramfs: an in-memory filesystem for vfscore (type name "ramfs").
 * Mount data: "size=N[k|m|g]" (the limit of file data, default
 * UK_RAMFS_DEFAULT_SIZE; -ENOSPC past it, and no file grows past it:
 * -EFBIG), "mode=OCTAL" (the root directory's permissions), comma-separated.
 * Out of memory is -ENOMEM, never a crash. See docs/vfs.md.
 */
#ifndef UK_RAMFS_H
#define UK_RAMFS_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef UK_RAMFS_DEFAULT_SIZE
#define UK_RAMFS_DEFAULT_SIZE (64ULL << 20)
#endif

/* Registers the type; the init table runs it (UK_INIT_LIB, 5). Exposed for
 * native tests. Returns 0. */
int uk_ramfs_init(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_RAMFS_H */
