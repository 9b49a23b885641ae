/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mounts from the command line: vfs.mount=TYPE:SOURCE:TARGET[:OPTIONS]
 * library parameters (several allowed). The one whose target is "/"
 * becomes the root (uk_vfs_init); the others are mounted after the initrd
 * (uk_vfs_mount_params, UK_INIT_SYS 0), target directories created.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/syscall.h>
#include <uk/vfs.h>
#include "vfs_impl.h"

#define PARAM	   "vfs.mount"
#define MAX_MOUNTS 64 /* parameters looked at (bounded) */

/* ukboot's lookup; weak so that native tests of the libraries above
 * vfscore (which link no ukboot) see no parameters. */
extern const char *uk_boot_param_nth(const char *name, unsigned nth)
	__attribute__((weak));

static const char *errname(int e)
{
	switch (-e) {
	case ENOENT:
		return "ENOENT";
	case ENODEV:
		return "ENODEV";
	case ENOTDIR:
		return "ENOTDIR";
	case EINVAL:
		return "EINVAL";
	case EIO:
		return "EIO";
	case EROFS:
		return "EROFS";
	case EBUSY:
		return "EBUSY";
	case ENOMEM:
		return "ENOMEM";
	case ENOTSUP:
		return "ENOTSUP";
	case EEXIST:
		return "EEXIST";
	case EACCES:
		return "EACCES";
	case ENAMETOOLONG:
		return "ENAMETOOLONG";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case ENOSPC:
		return "ENOSPC";
	default:
		return "error";
	}
}

struct spec {
	char buf[UK_VFS_PATH_MAX + 128];
	const char *type, *source, *target, *opts;
};

/* Split "TYPE:SOURCE:TARGET[:OPTIONS]" (OPTIONS may hold ':'). */
static int parse(const char *s, struct spec *sp)
{
	char *f[3], *p;

	if (strlen(s) >= sizeof(sp->buf)) {
		uk_pr_err("%s=%.40s...: longer than %zu bytes", PARAM, s,
			  sizeof(sp->buf) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(sp->buf, s);
	p = sp->buf;
	for (int i = 0; i < 3; i++) {
		f[i] = p;
		p = strchr(p, ':');
		if (!p && i < 2) {
			uk_pr_err(
				"%s=%s: expected TYPE:SOURCE:TARGET[:OPTIONS] "
				"(e.g. ext2:vda:/data or 9pfs:share0:/)",
				PARAM, s);
			return -EINVAL;
		}
		if (p)
			*p++ = 0;
	}
	sp->type = f[0];
	sp->source = f[1];
	sp->target = f[2];
	sp->opts = p && *p ? p : NULL;
	if (!*sp->type) {
		uk_pr_err("%s=%s: no filesystem type", PARAM, s);
		return -EINVAL;
	}
	if (sp->target[0] != '/') {
		uk_pr_err("%s=%s: the target '%s' is not an absolute path",
			  PARAM, s, sp->target);
		return -EINVAL;
	}
	return 0;
}

static int known_type(const struct spec *sp, const char *s)
{
	char list[256];
	size_t n = 0;

	if (vfs_find_type(sp->type))
		return 0;
	list[0] = 0;
	for (struct uk_fstype *t = vfs_types(); t && n < sizeof(list);
	     t = t->next) {
		int w = snprintf(list + n, sizeof(list) - n, "%s%s",
				 n ? ", " : "", t->name);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	uk_pr_err("%s=%s: unknown filesystem type '%s' (this image has: %s)",
		  PARAM, s, sp->type, n ? list : "none");
	return -ENODEV;
}

/* mkdir -p of `path` (absolute); 0 or the first real error. */
static int make_dirs(const char *path)
{
	char buf[UK_VFS_PATH_MAX];
	size_t n = strlen(path);
	int r;

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		if (buf[i - 1] == '/')
			continue;
		char c = buf[i];
		buf[i] = 0;
		r = uk_syscall_call(mkdir, buf, 0755);
		buf[i] = c;
		if (r && r != -EEXIST)
			return r;
	}
	return 0;
}

/* Is `want` one of the comma-separated words of `opts`? */
static int has_opt(const char *opts, const char *want)
{
	size_t n = strlen(want);

	for (const char *p = opts; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, want, n))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static int do_mount(const struct spec *sp, const char *s)
{
	unsigned long flags = 0;
	int r;

	if (has_opt(sp->opts, "ro"))
		flags |= UK_MS_RDONLY;
	if (strcmp(sp->target, "/")) {
		r = make_dirs(sp->target);
		if (r) {
			uk_pr_err("%s=%s: cannot create the mount point %s: %s",
				  PARAM, s, sp->target, errname(r));
			return r;
		}
	}
	r = uk_syscall_call(mount, sp->source, sp->target, sp->type, flags,
			    sp->opts);
	if (r) {
		uk_pr_err("%s=%s: mounting %s '%s' at %s failed: %s (%d)",
			  PARAM, s, sp->type, sp->source, sp->target,
			  errname(r), r);
		return r;
	}
	uk_pr_info("mounted %s '%s' at %s%s%s", sp->type, sp->source,
		   sp->target, sp->opts ? " with " : "",
		   sp->opts ? sp->opts : "");
	return 0;
}

int uk_vfs_mount_spec(const char *s)
{
	static struct spec sp; /* PATH_MAX: not on the stack */
	int r = parse(s, &sp);

	if (!r)
		r = known_type(&sp, s);
	return r ? r : do_mount(&sp, s);
}

static const char *nth(unsigned i)
{
	return uk_boot_param_nth ? uk_boot_param_nth(PARAM, i) : NULL;
}

int vfs_mount_root_param(void)
{
	static struct spec sp;
	const char *root = NULL, *s;
	int r;

	for (unsigned i = 0; i < MAX_MOUNTS && (s = nth(i)); i++) {
		r = parse(s, &sp);
		if (r)
			return r;
		if (strcmp(sp.target, "/"))
			continue;
		if (root) {
			uk_pr_err("%s: two root filesystems: %s and %s", PARAM,
				  root, s);
			return -EINVAL;
		}
		root = s;
	}
	if (!root)
		return 0;
	r = uk_vfs_mount_spec(root);
	return r ? r : 1;
}

int uk_vfs_mount_params(void)
{
	static struct spec sp;
	const char *s;
	unsigned i;
	int r;

	for (i = 0; i < MAX_MOUNTS && (s = nth(i)); i++) {
		r = parse(s, &sp);
		if (r)
			return r;
		if (!strcmp(sp.target, "/"))
			continue; /* the root, mounted at UK_INIT_ROOTFS */
		r = uk_vfs_mount_spec(s);
		if (r)
			return r;
	}
	if (i == MAX_MOUNTS && nth(i))
		uk_pr_warn("%s: more than %d parameters: the rest ignored",
			   PARAM, MAX_MOUNTS);
	return 0;
}
UK_INIT_CLASS(uk_vfs_mount_params, UK_INIT_SYS, 0);
