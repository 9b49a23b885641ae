/* An image test of the file layers (not wired into tests/boot yet): link
 * it as an app with devfs ramfs vfscore fdtab uksyscall and an allocator;
 * it prints "vfsboot: ok" and returns 0, or names the failing check and
 * returns 1. Passed on kvm (microvm, TCG) and linuxu, composed by hand. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/file.h>
#include <uk/syscall.h>

#define SC(name, ...) uk_syscall_call(name, __VA_ARGS__)

static void say(const char *s)
{
	SC(write, 1, s, strlen(s));
}

static int check(const char *what, long got, long want)
{
	char buf[128];

	if (got == want)
		return 0;
	snprintf(buf, sizeof(buf), "vfsboot: FAIL %s: %ld, not %ld\n", what,
		 got, want);
	say(buf);
	return 1;
}

int main(void)
{
	char buf[128], ws[8];
	struct uk_stat st;
	int fd, bad = 0;

	say("vfsboot: console through fd 1\n");
	bad |= check("isatty(1)", SC(ioctl, 1, 0x5413 /* TIOCGWINSZ */, ws), 0);
	bad |= check("read(0)", SC(read, 0, buf, 1), 0);
	bad |= check("mkdir /tmp", SC(mkdir, "/tmp", 0755), 0);
	fd = (int)SC(open, "/tmp/f", UK_O_CREAT | UK_O_RDWR, 0644);
	bad |= check("open /tmp/f", fd, 3);
	bad |= check("write", SC(write, fd, "file data", 9), 9);
	bad |= check("pread", SC(pread64, fd, buf, sizeof(buf), 0), 9);
	bad |= check("close", SC(close, fd), 0);
	bad |= check("stat /dev/console", SC(stat, "/dev/console", &st), 0);
	bad |= check("console mode", st.st_mode, UK_S_IFCHR | 0600);
	fd = (int)SC(open, "/dev/zero", UK_O_RDONLY);
	bad |= check("read /dev/zero", SC(read, fd, buf, 16), 16);
	SC(close, fd);
	bad |= check("chdir", SC(chdir, "/tmp"), 0);
	bad |= check("getcwd", SC(getcwd, buf, sizeof(buf)), 5);
	bad |= check("ENOENT", SC(open, "nope", UK_O_RDONLY), -ENOENT);
	say(bad ? "vfsboot: FAILED\n" : "vfsboot: ok\n");
	return bad;
}
