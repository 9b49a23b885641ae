/* SPDX-License-Identifier: BSD-3-Clause */
/* vfscore internals shared by vfs.c and syscalls.c. */
#ifndef VFS_IMPL_H
#define VFS_IMPL_H

#include <uk/vfs.h>

#define VFS_AT_FDCWD (-100)

/* a parent directory (referenced) and the last component of a path */
struct vfs_nd {
	struct uk_vnode *dir;
	const char *name;
	size_t len;
	int slash; /* the path ended in '/' */
};

struct uk_vnode *vfs_root(void);
struct uk_vnode *vfs_cwd(void);
void vfs_set_cwd(struct uk_vnode *vn); /* takes over a reference */
int vfs_is_dot(const char *name, size_t len);
int vfs_check_path(const char *path);
int vfs_step(struct uk_vnode *dir, const char *name, size_t len,
	     struct uk_vnode **out);
int vfs_follow(struct uk_vnode *dir, struct uk_vnode *link, int *links,
	       struct uk_vnode **out);
int vfs_walk(struct uk_vnode *start, const char *p, size_t plen, int follow,
	     int *links, struct uk_vnode **out);
int vfs_walk_parent(struct uk_vnode *start, const char *path,
		    struct vfs_nd *nd);
int vfs_fd_vnode(int fd, struct uk_vnode **out);
int vfs_start(int dirfd, const char *path, struct uk_vnode **out);
int vfs_resolve(int dirfd, const char *path, int follow, struct uk_vnode **out);
int vfs_resolve_parent(int dirfd, const char *path, struct vfs_nd *nd);
void vfs_fill_stat(struct uk_vnode *vn, struct uk_stat *st);
int vfs_statfs(struct uk_vnode *vn, struct uk_statfs *st);
struct uk_file *vfs_file_create(struct uk_vnode *vn, unsigned flags);
/* the registered type called `name`, NULL if none (or name NULL) */
struct uk_fstype *vfs_find_type(const char *name);
struct uk_fstype *vfs_types(void);
/* mount the vfs.mount= parameter for "/": 1 done, 0 none, or -errno */
int vfs_mount_root_param(void);

#endif /* VFS_IMPL_H */
