/* SPDX-License-Identifier: BSD-3-Clause */
/* The standard directories and the default /etc files (see <uk/rootfs.h>).
 * Everything goes through the system call shim, so it lands in whatever
 * filesystem is mounted at "/" (ramfs at boot). */
#include <errno.h>
#include <string.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/rootfs.h>
#include <uk/syscall.h>

#define AT_FDCWD_  (-100)
#define O_WRONLY_  01
#define O_CREAT_   0100
#define O_EXCL_	   0200
#define O_CLOEXEC_ 02000000
#define UTS_LEN	   65

struct utsname_ { /* Linux's struct new_utsname */
	char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN],
		version[UTS_LEN], machine[UTS_LEN], domainname[UTS_LEN];
};

static const struct {
	const char *path;
	unsigned mode;
} dirs[] = {
	{"/etc", 0755},
	{"/tmp", 01777}, /* sticky, writable by all: what programs expect */
	{"/root", 0700}, /* root's home in the default passwd */
};

static const char passwd[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";

static const char group[] = "root:x:0:\n"
			    "nogroup:x:65534:\n";

/* musl reads no name server from it and asks 127.0.0.1, as with no file */
static const char resolv_conf[] = UK_ROOTFS_DEFAULT_MARK
	": no name server configured (posixsocket replaces this file when the "
	"network gives one)\n";

/* Write `len` bytes of `text` to the new file `path`; an existing file is
 * the user's (or an earlier boot step's) and stays. */
static int write_new(const char *path, const char *text, size_t len)
{
	long fd = uk_syscall_call(openat, AT_FDCWD_, path,
				  O_WRONLY_ | O_CREAT_ | O_EXCL_ | O_CLOEXEC_,
				  0644);
	long r = 0;

	if (fd == -EEXIST)
		return 0;
	if (fd < 0)
		return (int)fd;
	while (len && r >= 0) { /* bounded: each pass writes or fails */
		r = uk_syscall_call(write, fd, text, len);
		if (r == 0)
			r = -EIO;
		if (r > 0) {
			text += r;
			len -= (size_t)r;
		}
	}
	uk_syscall_call(close, fd);
	return r < 0 ? (int)r : 0;
}

/* "NAME" -> text with NAME in it: /etc/hosts and /etc/hostname. */
static size_t hosts_text(char *buf, size_t size, const char *node)
{
	static const char head[] =
		"127.0.0.1\tlocalhost\n"
		"::1\tlocalhost ip6-localhost ip6-loopback\n";
	size_t n = sizeof(head) - 1, k = strlen(node);

	if (n + 10 + k + 2 > size)
		return 0;
	memcpy(buf, head, n);
	if (k && strcmp(node, "localhost")) {
		memcpy(buf + n, "127.0.1.1\t", 10);
		memcpy(buf + n + 10, node, k);
		buf[n + 10 + k] = '\n';
		n += 10 + k + 1;
	}
	buf[n] = 0;
	return n;
}

/* The node name: uname's, else "unikit". Only a valid host name goes into
 * /etc/hosts (letters, digits, '-', '.'), so the file parses. */
static void node_name(char *out, size_t size)
{
	struct utsname_ u;
	size_t i;

	strcpy(out, "unikit");
	if (uk_syscall_call(uname, &u) < 0)
		return;
	u.nodename[UTS_LEN - 1] = 0;
	for (i = 0; u.nodename[i]; i++) {
		char c = u.nodename[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.'))
			return;
	}
	if (i && i < size)
		memcpy(out, u.nodename, i + 1);
}

int uk_rootfs_init(void)
{
	char node[UTS_LEN], hosts[256], hostname[UTS_LEN + 1];
	const char *what = NULL;
	size_t n;
	long r;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		r = uk_syscall_call(mkdir, dirs[i].path, dirs[i].mode);
		if (r == -ENOENT || r == -ENOSYS) {
			uk_pr_warn("rootfs: no root filesystem: no %s, no "
				   "default /etc\n",
				   dirs[i].path);
			return 0;
		}
		if (r == 0) /* mkdir applied the umask: the mode as meant */
			r = uk_syscall_call(fchmodat, AT_FDCWD_, dirs[i].path,
					    dirs[i].mode, 0);
		if (r < 0 && r != -EEXIST)
			uk_pr_warn("rootfs: %s: error %ld\n", dirs[i].path, -r);
	}
	node_name(node, sizeof(node));
	n = hosts_text(hosts, sizeof(hosts), node);
	strcpy(hostname, node);
	strcat(hostname, "\n");
	if ((r = write_new("/etc/passwd", passwd, sizeof(passwd) - 1)))
		what = "/etc/passwd";
	else if ((r = write_new("/etc/group", group, sizeof(group) - 1)))
		what = "/etc/group";
	else if ((r = write_new("/etc/hosts", hosts, n)))
		what = "/etc/hosts";
	else if ((r = write_new("/etc/hostname", hostname, strlen(hostname))))
		what = "/etc/hostname";
	else if ((r = write_new("/etc/resolv.conf", resolv_conf,
				sizeof(resolv_conf) - 1)))
		what = "/etc/resolv.conf";
	if (what)
		uk_pr_warn("rootfs: writing the default %s: error %ld\n", what,
			   -r);
	return 0;
}
UK_INIT_CLASS(uk_rootfs_init, UK_INIT_ROOTFS, 2);
