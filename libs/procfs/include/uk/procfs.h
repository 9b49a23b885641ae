/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * procfs: the parts of Linux's /proc that programs look at, as a vfscore
 * filesystem type ("proc") mounted at /proc during boot:
 *
 *   /proc/self         symlink to the process's pid directory
 *   /proc/PID/exe      symlink: the program (see uk_procfs_set_exe())
 *   /proc/PID/fd/      one symlink per open descriptor; readlink gives the
 *                      path ("/tmp/x", "pipe:[3]", "socket:[..]",
 *                      "anon_inode:[..]"), open/stat go to the file itself
 *                      (Linux's "magic links")
 *   /proc/PID/comm     the calling thread's name (prctl PR_GET/SET_NAME)
 *   /proc/PID/cmdline  the program's arguments, NUL-separated
 *
 * PID is the caller's getpid(); other pids do not exist here.
 */
#ifndef UK_PROCFS_H
#define UK_PROCFS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Init-table entry (UK_INIT_LIB): registers the type "proc". 0. */
int uk_procfs_init(void);

/* Init-table entry (UK_INIT_ROOTFS, priority 3): mkdir /proc and mount
 * "proc" there, if "/" is mounted. 0, or the negative errno of the mount
 * (boot stops). Exposed for tests. */
int uk_procfs_mount(void);

/* What /proc/self/exe points to (copied, at most 4095 bytes; longer or
 * NULL: back to the default "/<application name>"). A program loader
 * calls this with the file it runs. */
void uk_procfs_set_exe(const char *path);

/* What /proc/self/cmdline reads: `argc` arguments (copied). -ENOMEM, or
 * 0. ukboot's argv is used until this is called. */
int uk_procfs_set_cmdline(int argc, char *const argv[]);

#ifdef __cplusplus
}
#endif
#endif /* UK_PROCFS_H */
