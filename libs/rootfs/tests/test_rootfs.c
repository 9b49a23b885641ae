/* Native tests of rootfs: the standard directories and default /etc files
 * on the real vfscore + ramfs, and the checks of malformed /etc files
 * (each message, the counts, the limits). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <cmocka.h>
#include <uk/fdtab.h>
#include <uk/ramfs.h>
#include <uk/rootfs.h>
#include <uk/syscall.h>
#include <uk/vfs.h>

#define SC(name, ...) uk_syscall_call(name, __VA_ARGS__)

#include <uk/plat_doubles.h>

/* uname: absent (the shim's -ENOSYS) until `node` is set */
static const char *node;
UK_SYSCALL_R_DEFINE(int, uname, char *, u)
{
	if (!node)
		return -ENOSYS;
	memset(u, 0, 65 * 6);
	strcpy(u, "Linux");
	strcpy(u + 65, node);
	return 0;
}

static void put_file(const char *path, const char *text, size_t len)
{
	int fd = (int)SC(openat, AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC,
			 0644);

	assert_true(fd >= 0);
	assert_int_equal(SC(write, fd, text, len), (long)len);
	SC(close, fd);
}

static size_t get_file(const char *path, char *buf, size_t size)
{
	int fd = (int)SC(openat, AT_FDCWD, path, O_RDONLY, 0);
	long n;

	assert_true(fd >= 0);
	n = SC(read, fd, buf, size - 1);
	assert_true(n >= 0);
	buf[n] = 0;
	SC(close, fd);
	return (size_t)n;
}

/* Before any root is mounted: a warning, no failure (boot goes on). */
static void test_no_root(void **state)
{
	(void)state;
	assert_int_equal(uk_fdtab_init(), 0);
	plat_out_reset();
	assert_int_equal(uk_rootfs_init(), 0);
	assert_non_null(plat_out_find("rootfs: no root filesystem"));
	assert_int_equal(uk_rootfs_check(), 0); /* nothing to check */
}

static void test_defaults(void **state)
{
	struct stat st;
	char buf[1024];

	(void)state;
	assert_int_equal(uk_ramfs_init(), 0);
	assert_int_equal(uk_vfs_init(), 0);
	SC(umask, 077); /* the modes must not depend on it */
	plat_out_reset();
	assert_int_equal(uk_rootfs_init(), 0);
	assert_int_equal(plat_outlen, 0);
	assert_int_equal(SC(stat, "/tmp", &st), 0);
	assert_int_equal(st.st_mode, S_IFDIR | 01777);
	assert_int_equal(SC(stat, "/root", &st), 0);
	assert_int_equal(st.st_mode, S_IFDIR | 0700);
	assert_int_equal(SC(stat, "/etc", &st), 0);
	assert_int_equal(st.st_mode, S_IFDIR | 0755);
	get_file("/etc/passwd", buf, sizeof(buf));
	assert_non_null(strstr(buf, "root:x:0:0:root:/root:/bin/sh\n"));
	assert_non_null(strstr(buf, "\nnobody:x:65534:65534:"));
	get_file("/etc/group", buf, sizeof(buf));
	assert_non_null(strstr(buf, "root:x:0:\n"));
	assert_non_null(strstr(buf, "\nnogroup:x:65534:\n"));
	get_file("/etc/hosts", buf, sizeof(buf));
	assert_non_null(strstr(buf, "127.0.0.1\tlocalhost\n"));
	assert_non_null(strstr(buf, "::1\tlocalhost"));
	assert_non_null(strstr(buf, "127.0.1.1\tunikit\n")); /* uname: none */
	get_file("/etc/hostname", buf, sizeof(buf));
	assert_string_equal(buf, "unikit\n");
	get_file("/etc/resolv.conf", buf, sizeof(buf));
	assert_memory_equal(buf, UK_ROOTFS_DEFAULT_MARK,
			    strlen(UK_ROOTFS_DEFAULT_MARK));
	assert_null(strstr(buf, "nameserver"));
	/* the defaults pass their own checks */
	assert_int_equal(uk_rootfs_check_file("/etc/passwd", UK_ROOTFS_PASSWD),
			 0);
	assert_int_equal(uk_rootfs_check_file("/etc/group", UK_ROOTFS_GROUP),
			 0);
	assert_int_equal(uk_rootfs_check_file("/etc/hosts", UK_ROOTFS_HOSTS),
			 0);
	assert_int_equal(plat_outlen, 0);
	SC(umask, 022);
}

/* What is there already stays (the initrd comes later and replaces the
 * defaults; a second run must not clobber anything); the node name. */
static void test_keeps_existing(void **state)
{
	char buf[1024];

	(void)state;
	put_file("/etc/passwd", "me:x:5:5::/:/bin/sh\n", 20);
	assert_int_equal(SC(unlink, "/etc/hosts"), 0);
	assert_int_equal(SC(unlink, "/etc/hostname"), 0);
	node = "web-1.example";
	assert_int_equal(uk_rootfs_init(), 0);
	get_file("/etc/passwd", buf, sizeof(buf));
	assert_string_equal(buf, "me:x:5:5::/:/bin/sh\n");
	get_file("/etc/hosts", buf, sizeof(buf));
	assert_non_null(strstr(buf, "127.0.1.1\tweb-1.example\n"));
	get_file("/etc/hostname", buf, sizeof(buf));
	assert_string_equal(buf, "web-1.example\n");
	/* a node name that is no host name stays out of /etc/hosts */
	assert_int_equal(SC(unlink, "/etc/hosts"), 0);
	node = "bad name!";
	assert_int_equal(uk_rootfs_init(), 0);
	get_file("/etc/hosts", buf, sizeof(buf));
	assert_null(strstr(buf, "bad"));
	assert_non_null(strstr(buf, "127.0.1.1\tunikit\n"));
	node = NULL;
}

static const char bad_passwd[] =
	"root:x:0:0:root:/root:/bin/sh\n"      /* 1 fine */
	"\n"				       /* 2 blank: fine */
	"# a comment\n"			       /* 3 fine */
	"short:x:1:1:gecos\n"		       /* 4 */
	":x:2:2::/:/bin/sh\n"		       /* 5 */
	"alpha:x:1a:2::/:/bin/sh\n"	       /* 6 */
	"beta:x:3::g:/:/bin/sh\n"	       /* 7 */
	"gamma:x:99999999999:4::/:/bin/sh\n"   /* 8 */
	"colons:x:5:5:a:/home:/bin/sh:extra\n" /* 9 fine: shell takes it */
	"nul:x:6:6::/\0:/bin/sh\n"	       /* 10 */
	"last:x:7:7::/:/bin/sh";	       /* 11: no newline */

static void test_check_passwd(void **state)
{
	(void)state;
	put_file("/etc/passwd", bad_passwd, sizeof(bad_passwd) - 1);
	plat_out_reset();
	assert_int_equal(uk_rootfs_check_file("/etc/passwd", UK_ROOTFS_PASSWD),
			 7);
	assert_non_null(plat_out_find(
		"/etc/passwd line 4: skipped: 5 fields, a passwd entry has 7 "
		"(name:password:uid:gid:gecos:home:shell)"));
	assert_non_null(plat_out_find("/etc/passwd line 5: has an empty name"));
	assert_non_null(plat_out_find("/etc/passwd line 6: uid is not a "
				      "number: the line is skipped"));
	assert_non_null(
		plat_out_find("/etc/passwd line 7: gid is empty: read as 0"));
	assert_non_null(plat_out_find(
		"/etc/passwd line 8: uid is larger than 4294967295"));
	assert_non_null(plat_out_find("/etc/passwd line 10: has a NUL byte"));
	assert_non_null(plat_out_find("/etc/passwd line 11: does not end with "
				      "a newline: musl drops its last"));
	assert_null(plat_out_find("line 1:"));
	assert_null(plat_out_find("line 2:"));
	assert_null(plat_out_find("line 3:"));
	assert_null(plat_out_find("line 9:"));
	/* the file is as it was: nothing lost */
	{
		char buf[512];

		assert_int_equal(get_file("/etc/passwd", buf, sizeof(buf)),
				 sizeof(bad_passwd) - 1);
		assert_memory_equal(buf, bad_passwd, sizeof(bad_passwd) - 1);
	}
}

static void test_check_group(void **state)
{
	static const char g[] = "root:x:0:\n"
				"wheel:x:10:root,me\n"
				"nogid:x\n"
				"text:x:ten:\n"
				"empty:x::\n";

	(void)state;
	put_file("/etc/group", g, sizeof(g) - 1);
	plat_out_reset();
	assert_int_equal(uk_rootfs_check_file("/etc/group", UK_ROOTFS_GROUP),
			 3);
	assert_non_null(plat_out_find(
		"/etc/group line 3: skipped: 2 fields, a group entry has 4"));
	assert_non_null(plat_out_find(
		"/etc/group line 4: gid is not a number: the line is skipped"));
	assert_non_null(
		plat_out_find("/etc/group line 5: gid is empty: read as 0"));
}

static void test_check_hosts(void **state)
{
	char long_line[700];
	const char *good[] = {
		"127.0.0.1 localhost",
		"127.1\tlh",
		"0x7f.0.0.1 hex",
		"0177.0.0.1 octal",
		"1.2.65535 two-byte",
		"2130706433 one-part",
		"::1 ip6",
		"fe80::1%eth0 scoped",
		"::ffff:1.2.3.4 v4m",
		"2001:db8:: net",
		"1:2:3:4:5:6:7:8 full",
		"  # only a comment",
		"",
		"10.0.0.1 a b c # and a comment",
	};
	const char *badl[] = {
		"300.1.1.1 big",
		"1.2.3.4. dot",
		"1.2.3.4.5 five",
		"1.300.1.1 mid",
		"1.2.65536 wide",
		"08.1.1.1 octal",
		"0x.1.1.1 nohex",
		"12345:: group",
		"1:2:3:4:5:6:7:8:9 nine",
		"::1::2 two-gaps",
		"1::2:3:4:5:6:7:8 gap8",
		":1::2 lead",
		"fe80::1% scope",
		"localhost 127.0.0.1",
		"10.0.0.2",
		"10.0.0.3   # name only in a comment",
	};
	char text[4096];
	size_t n = 0;
	int r;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		n += (size_t)sprintf(text + n, "%s\n", good[i]);
	put_file("/etc/hosts", text, n);
	plat_out_reset();
	assert_int_equal(uk_rootfs_check_file("/etc/hosts", UK_ROOTFS_HOSTS),
			 0);
	assert_int_equal(plat_outlen, 0);
	for (size_t i = 0; i < sizeof(badl) / sizeof(*badl); i++) {
		char want[64];

		n = (size_t)sprintf(text, "%s\n", badl[i]);
		put_file("/etc/hosts", text, n);
		plat_out_reset();
		r = uk_rootfs_check_file("/etc/hosts", UK_ROOTFS_HOSTS);
		if (r != 1)
			fail_msg("'%s': %d problems", badl[i], r);
		sprintf(want, "/etc/hosts line 1: ");
		assert_non_null(plat_out_find(want));
	}
	assert_non_null(plat_out_find("has an address but no host name"));
	/* a line musl would read in pieces */
	memset(long_line, 'a', sizeof(long_line));
	memcpy(long_line, "10.0.0.1 ", 9);
	long_line[sizeof(long_line) - 1] = '\n';
	put_file("/etc/hosts", long_line, sizeof(long_line));
	plat_out_reset();
	assert_int_equal(uk_rootfs_check_file("/etc/hosts", UK_ROOTFS_HOSTS),
			 1);
	assert_non_null(plat_out_find("longer than 510 bytes"));
}

static void test_check_limits(void **state)
{
	char *big;
	int fd;

	(void)state;
	/* 25 bad lines: ten named, then a count of the rest */
	big = malloc(25 * 8);
	assert_non_null(big);
	for (int i = 0; i < 25; i++)
		memcpy(big + i * 8, "x:y:z:w\n", 8);
	put_file("/etc/passwd", big, 25 * 8);
	plat_out_reset();
	assert_int_equal(uk_rootfs_check_file("/etc/passwd", UK_ROOTFS_PASSWD),
			 25);
	assert_non_null(plat_out_find("line 10: skipped"));
	assert_null(plat_out_find("line 11:"));
	assert_non_null(plat_out_find("/etc/passwd: 15 more malformed lines"));
	free(big);
	assert_int_equal(uk_rootfs_check_file("/etc/nosuch", UK_ROOTFS_HOSTS),
			 -ENOENT);
	/* more than 1 MiB: not read, said so */
	fd = (int)SC(openat, AT_FDCWD, "/etc/group",
		     O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_int_equal(SC(ftruncate, fd, 1024 * 1024 + 1), 0);
	SC(close, fd);
	plat_out_reset();
	assert_int_equal(uk_rootfs_check_file("/etc/group", UK_ROOTFS_GROUP),
			 -EFBIG);
	assert_non_null(plat_out_find("/etc/group: larger than 1 MiB"));
	/* the init entry checks all three and never fails the boot */
	assert_int_equal(uk_rootfs_check(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_root),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_keeps_existing),
		cmocka_unit_test(test_check_passwd),
		cmocka_unit_test(test_check_group),
		cmocka_unit_test(test_check_hosts),
		cmocka_unit_test(test_check_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
