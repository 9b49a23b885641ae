/*
 * The headers nginx's configure looks for (auto/headers), as musl has
 * them, and the operating system: NGX_LINUX selects ngx_linux_config.h
 * (unikit's system calls are Linux's, numbers and semantics, and musl is a
 * Linux libc). See ngx_auto_config.h.
 */
#define NGX_HAVE_UNISTD_H 1
#define NGX_HAVE_INTTYPES_H 1
#define NGX_HAVE_LIMITS_H 1
#define NGX_HAVE_SYS_PARAM_H 1
#define NGX_HAVE_SYS_MOUNT_H 1
#define NGX_HAVE_SYS_STATVFS_H 1
#define NGX_LINUX 1
#define NGX_HAVE_SYS_PRCTL_H 1
#define NGX_HAVE_SYS_VFS_H 1
