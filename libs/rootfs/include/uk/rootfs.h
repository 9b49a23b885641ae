/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rootfs: the standard root of a unikit image. At boot (after vfscore has
 * mounted "/", before the initrd is extracted over it) it makes /tmp,
 * /root and /etc with default passwd, group, hosts, hostname and
 * resolv.conf files, so that a libc's getpwnam("nobody"), getgrnam() and
 * gethostbyname("localhost") work without any file from the user. After
 * the initrd it checks the /etc files the libc parses and names every line
 * the libc would skip or misread (a warning; the file is left as it is).
 */
#ifndef UK_ROOTFS_H
#define UK_ROOTFS_H

#ifdef __cplusplus
extern "C" {
#endif

/* The default /etc/resolv.conf starts with this: a library that writes
 * its own (posixsocket, from the network's settings) may replace a file
 * that starts with it, never another (an initrd's, the user's). */
#define UK_ROOTFS_DEFAULT_MARK "# unikit default"

/* Init-table entry (UK_INIT_ROOTFS, priority 2): the directories and the
 * default /etc files; an existing file is kept. 0, or 0 with a warning
 * when there is no root filesystem or a file cannot be written. Exposed
 * for tests. */
int uk_rootfs_init(void);

/* Kinds of /etc file uk_rootfs_check_file() knows. */
enum uk_rootfs_kind {
	UK_ROOTFS_PASSWD, /* name:password:uid:gid:gecos:home:shell */
	UK_ROOTFS_GROUP,  /* name:password:gid:member,member... */
	UK_ROOTFS_HOSTS,  /* address name [alias...] [# comment] */
};

/* Check the /etc file `path` as a `kind` file and warn (uk_pr_warn) about
 * each line the libc would skip or misread, at most 10 by name. Returns
 * the number of such lines, -ENOENT if the file does not exist, -EFBIG
 * when it is larger than 1 MiB (not checked), or another negative errno
 * from reading it. */
int uk_rootfs_check_file(const char *path, enum uk_rootfs_kind kind);

/* Init-table entry (UK_INIT_SYS, priority 1, after the initrd): checks
 * /etc/passwd, /etc/group and /etc/hosts. Always 0. Exposed for tests. */
int uk_rootfs_check(void);

#ifdef __cplusplus
}
#endif
#endif /* UK_ROOTFS_H */
