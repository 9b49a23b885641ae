/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukcpio: the initial ramdisk. A parser and extractor of cpio archives in the
 * "newc" format (magic 070701, and 070702 whose file data carry a checksum),
 * as the Linux kernel reads its initramfs.
 *
 * Extraction goes through the system call implementations of <uk/syscall.h>
 * (mkdirat, openat, write, close, symlinkat, fchmodat, utimensat, unlinkat),
 * so it writes into whatever the VFS has mounted.
 *
 * The archive is validated completely before anything is written: a
 * malformed or truncated archive is refused with a message naming the entry
 * and its byte offset, and the tree stays untouched. A failing system call
 * during extraction (disk full, ...) may leave a partial tree behind; the
 * boot then fails anyway.
 */
#ifndef UK_CPIO_H
#define UK_CPIO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest path (with its NUL) an entry may have, like Linux's PATH_MAX. */
#define UK_CPIO_PATH_MAX 4096

/* What went wrong (filled when uk_cpio_extract() fails), and how far it got. */
struct uk_cpio_error {
	/* "entry 'etc/passwd' at offset 0x1f4: file data runs past the end of
	 * the archive (needs 5000 bytes, 120 left)"; "" on success. */
	char msg[384];
	size_t offset;	/* byte offset of the entry's header */
	size_t entries; /* entries extracted (also on success) */
	size_t bytes;	/* file data bytes written (also on success) */
};

/*
 * Extract the archive `buf` (`len` bytes) below directory `dest` (which must
 * exist; "/" for the root). Entry names are normalised: "." and empty
 * components are dropped, ".." never climbs above `dest`, a leading "/" is
 * relative to `dest`; an entry below a symbolic link the archive created is
 * refused. Directories, regular files and symbolic links are created with
 * the archive's permission bits and modification times; missing parent
 * directories are created (0755). Device nodes, FIFOs and sockets are skipped
 * with a warning; hard links (regular files with nlink > 1 sharing an
 * inode) become independent copies of the group's data (newc stores it once).
 * After "TRAILER!!!", zero padding and further concatenated archives are
 * accepted, as Linux does.
 *
 * Returns the number of entries extracted, -EINVAL for a malformed archive
 * or bad arguments (err->msg says why), or the negative errno of a failing
 * system call (err->msg says which entry). `err` MAY be NULL.
 */
int uk_cpio_extract(const void *buf, size_t len, const char *dest,
		    struct uk_cpio_error *err);

/*
 * The init-table entry (class UK_INIT_ROOTFS, last priority: after the root
 * mount): extracts ukplat_bootinfo()->initrd into "/" and logs
 * "initrd: N entries, M bytes"; a malformed initrd fails the boot. Exposed
 * for tests.
 */
int uk_cpio_initrd_init(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_CPIO_H */
