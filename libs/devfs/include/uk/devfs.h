/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * devfs: the device nodes under /dev (type name "devfs", mounted there by
 * vfscore's init entry): null, zero, full (writes: -ENOSPC), random and
 * urandom (reads: getrandom() through the syscall shim; its error, e.g.
 * -ENOSYS, is the read's error), console (the console of <uk/file.h>).
 */
#ifndef UK_DEVFS_H
#define UK_DEVFS_H

#include <stdint.h>
#include <uk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Registers the type; the init table runs it (UK_INIT_LIB, 5). Exposed for
 * native tests. Returns 0. */
int uk_devfs_init(void);

/* Open the device numbered `rdev` (major << 8 | minor, as in stat's
 * st_rdev) as open() with `flags` would: what a device node made by mknod
 * elsewhere opens. 0 with *out referenced, -ENXIO (no such device) or
 * -ENOMEM. */
int uk_devfs_open_rdev(uint64_t rdev, unsigned flags, struct uk_file **out);

/* The name under /dev of device `rdev` ("console"), or NULL. */
const char *uk_devfs_rdev_name(uint64_t rdev);

#ifdef __cplusplus
}
#endif
#endif /* UK_DEVFS_H */
