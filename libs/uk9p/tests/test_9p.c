/* SPDX-License-Identifier: BSD-3-Clause */
/* uk9p against the test server serving a temporary host directory:
 * negotiation, every call, large transfers in msize pieces, server errors
 * and malformed replies. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <uk/plat_doubles.h>
#include <uk/9p.h>
#include <uk/9p_testing.h>

static char dir[PATH_MAX];
static struct p9_test *S;
static struct uk_9p_client C;

static void hostpath(char *out, const char *rel)
{
	snprintf(out, PATH_MAX, "%.2000s/%.1000s", dir, rel);
}

static void host_write(const char *rel, const void *data, size_t n)
{
	char p[PATH_MAX];
	hostpath(p, rel);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static int setup(void **state)
{
	static int n;
	static char tags[64][16];
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/uk9p-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	S = calloc(1, sizeof(*S));
	snprintf(tags[n], sizeof(tags[n]), "t%d", n);
	assert_int_equal(p9_test_init(S, tags[n++], dir, 65536), 0);
	assert_int_equal(uk_9p_trans_register(&S->trans), 0);
	plat_out_reset();
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];
	(void)state;
	uk_9p_disconnect(&C);
	p9_test_fini(S);
	/* S stays registered (the registry keeps transports): leak it */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void test_registry(void **state)
{
	struct uk_9p_trans bad = {0};
	char list[256];

	(void)state;
	assert_int_equal(uk_9p_trans_register(&bad), -EINVAL);
	assert_int_equal(uk_9p_trans_register(NULL), -EINVAL);
	bad.ops = S->trans.ops;
	bad.tag = S->trans.tag;
	assert_int_equal(uk_9p_trans_register(&bad), -EEXIST);
	assert_ptr_equal(uk_9p_trans_find(S->trans.tag), &S->trans);
	assert_null(uk_9p_trans_find("nope"));
	assert_null(uk_9p_trans_find(NULL));
	uk_9p_trans_list(list, sizeof(list));
	assert_non_null(strstr(list, S->trans.tag));
}

static void test_negotiate(void **state)
{
	(void)state;
	/* the server lowers msize */
	S->msize_max = 16384;
	assert_int_equal(uk_9p_connect(&C, &S->trans, 1 << 20, "", 0), 0);
	assert_int_equal(C.msize, 16384);
	/* one client per transport */
	struct uk_9p_client c2;
	assert_int_equal(uk_9p_connect(&c2, &S->trans, 8192, "", 0), -ENODEV);
	uk_9p_disconnect(&C);
	assert_int_equal(S->open_fids, 0);
	/* the transport's own limit */
	S->msize_max = 65536;
	S->trans.max_msize = 32768;
	assert_int_equal(uk_9p_connect(&C, &S->trans, 1 << 20, "", 0), 0);
	assert_int_equal(C.msize, 32768);
	uk_9p_disconnect(&C);
	/* a server below 4096 */
	S->msize_max = 2048;
	S->trans.max_msize = 0;
	assert_int_equal(uk_9p_connect(&C, &S->trans, 65536, "", 0), -EIO);
	assert_non_null(plat_out_find("the server chose msize 2048"));
	/* a server of another dialect */
	S->msize_max = 65536;
	S->version = "9P2000.u";
	assert_int_equal(uk_9p_connect(&C, &S->trans, 65536, "", 0),
			 -EPROTONOSUPPORT);
	assert_non_null(plat_out_find("speaks '9P2000.u', not 9P2000.L"));
	S->version = "9P2000.L";
	/* attach refused */
	S->fail_type = UK_9P_TATTACH;
	S->fail_errno = 13;
	assert_int_equal(uk_9p_connect(&C, &S->trans, 65536, "", 0), -EACCES);
	assert_int_equal(uk_9p_connect(&C, &S->trans, 65536, "", 0), 0);
}

static uint32_t walk1(const char *name, int expect)
{
	uint32_t fid = UK_9P_NOFID;
	uint16_t len = (uint16_t)strlen(name);
	struct uk_9p_qid q;
	assert_int_equal(uk_9p_walk(&C, C.root, &name, &len, 1, &fid, &q),
			 expect);
	return fid;
}

/* Files: create, write and read in msize pieces, attributes. */
static void test_files(void **state)
{
	static uint8_t big[300000], back[300000];
	struct uk_9p_attr a;
	struct uk_9p_qid q;
	uint32_t fid, f2;
	char p[PATH_MAX];
	struct stat st;

	(void)state;
	S->msize_max = 8192; /* many requests per transfer */
	assert_int_equal(uk_9p_connect(&C, &S->trans, 65536, "", 0), 0);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + i / 1000);
	/* lcreate on a clone of the root */
	assert_int_equal(uk_9p_walk(&C, C.root, NULL, NULL, 0, &fid, NULL), 0);
	assert_int_equal(
		uk_9p_lcreate(&C, fid, "f", 1, 02 /* O_RDWR */, 0640, 0, &q),
		0);
	unsigned before = S->nreq[UK_9P_TWRITE];
	assert_int_equal(uk_9p_write(&C, fid, 0, big, sizeof(big)),
			 sizeof(big));
	assert_int_equal(S->nreq[UK_9P_TWRITE] - before,
			 (sizeof(big) + 8192 - 24 - 1) / (8192 - 24));
	assert_int_equal(uk_9p_fsync(&C, fid, 0), 0);
	assert_int_equal(uk_9p_clunk(&C, fid), 0);
	hostpath(p, "f");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, sizeof(big));
	assert_int_equal(st.st_mode & 0777, 0640);
	/* read it back, and past the end */
	fid = walk1("f", 0);
	assert_int_equal(uk_9p_lopen(&C, fid, 0, &q, NULL), 0);
	assert_int_equal(uk_9p_read(&C, fid, 0, back, sizeof(back)),
			 sizeof(big));
	assert_memory_equal(big, back, sizeof(big));
	assert_int_equal(uk_9p_read(&C, fid, sizeof(big) - 10, back, 100), 10);
	assert_int_equal(uk_9p_read(&C, fid, sizeof(big) + 5, back, 100), 0);
	assert_int_equal(uk_9p_getattr(&C, fid, UK_9P_GETATTR_BASIC, &a), 0);
	assert_int_equal(a.size, sizeof(big));
	assert_int_equal(a.mode & 0777, 0640);
	assert_int_equal(a.qid.path, st.st_ino);
	assert_int_equal(a.nlink, 1);
	/* setattr: mode, size, mtime */
	memset(&a, 0, sizeof(a));
	a.mode = 0600;
	a.size = 1000;
	a.mtime_sec = 1234567890;
	assert_int_equal(uk_9p_setattr(&C, fid,
				       UK_9P_SETATTR_MODE | UK_9P_SETATTR_SIZE |
					       UK_9P_SETATTR_MTIME |
					       UK_9P_SETATTR_MTIME_SET,
				       &a),
			 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, 1000);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_mtime, 1234567890);
	assert_int_equal(uk_9p_clunk(&C, fid), 0);
	/* a clone of an open fid: clunking one leaves the other */
	f2 = walk1("f", 0);
	assert_int_equal(uk_9p_walk(&C, f2, NULL, NULL, 0, &fid, NULL), 0);
	assert_int_equal(uk_9p_clunk(&C, f2), 0);
	assert_int_equal(uk_9p_getattr(&C, fid, UK_9P_GETATTR_BASIC, &a), 0);
	assert_int_equal(uk_9p_clunk(&C, fid), 0);
	/* missing names */
	walk1("nope", -ENOENT);
	const char *two[2] = {"f", "x"};
	uint16_t lens[2] = {1, 1};
	/* a partial walk (9P: no new fid) */
	assert_int_equal(uk_9p_walk(&C, C.root, two, lens, 2, &fid, &q),
			 -ENOENT);
	assert_int_equal(S->open_fids, 1); /* just the root */
	struct uk_9p_statfs sf;
	assert_int_equal(uk_9p_statfs(&C, C.root, &sf), 0);
	assert_true(sf.bsize > 0);
}

/* Directories, symlinks, rename, unlink, readdir with cookies. */
static void test_dirs(void **state)
{
	struct uk_9p_qid q;
	uint32_t fid, d;
	char p[PATH_MAX], buf[PATH_MAX];
	static uint8_t dbuf[4096];
	struct uk_9p_dirent e;
	int seen[300] = {0}, dots = 0;

	(void)state;
	assert_int_equal(uk_9p_connect(&C, &S->trans, 4096, "", 0), 0);
	assert_int_equal(uk_9p_mkdir(&C, C.root, "d", 1, 0750, 0, &q), 0);
	assert_true(q.type & UK_9P_QTDIR);
	assert_int_equal(uk_9p_mkdir(&C, C.root, "d", 1, 0750, 0, &q), -EEXIST);
	d = walk1("d", 0);
	for (int i = 0; i < 300; i++) {
		char nm[16];
		snprintf(nm, sizeof(nm), "file%d", i);
		hostpath(p, "d");
		strcat(p, "/");
		strcat(p, nm);
		FILE *f = fopen(p, "w");
		fclose(f);
	}
	assert_int_equal(uk_9p_symlink(&C, d, "ln", 2, "file7", 0, &q), 0);
	assert_int_equal(uk_9p_walk(&C, d, NULL, NULL, 0, &fid, NULL), 0);
	assert_int_equal(
		uk_9p_lopen(&C, fid, 0200000 /* O_DIRECTORY */, &q, NULL), 0);
	/* readdir in 4 KiB replies: every entry once */
	uint64_t off = 0;
	long n;
	int rounds = 0;
	while ((n = uk_9p_readdir(&C, fid, off, dbuf, sizeof(dbuf))) > 0) {
		uint32_t pos = 0;
		rounds++;
		while (uk_9p_dirent_next(dbuf, (uint32_t)n, &pos, &e) == 1) {
			int k;
			off = e.offset;
			if (e.namelen <= 2 && e.name[0] == '.')
				dots++;
			else if (sscanf(e.name, "file%d", &k) == 1 &&
				 e.namelen < 10)
				seen[k]++;
		}
	}
	assert_int_equal(n, 0);
	assert_true(rounds > 1);
	assert_int_equal(dots, 2);
	for (int i = 0; i < 300; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(uk_9p_clunk(&C, fid), 0);
	/* readlink */
	const char *ln = "ln";
	uint16_t l2 = 2;
	assert_int_equal(uk_9p_walk(&C, d, &ln, &l2, 1, &fid, &q), 0);
	assert_true(q.type & UK_9P_QTSYMLINK);
	assert_int_equal(uk_9p_readlink(&C, fid, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "file7", 5);
	assert_int_equal(uk_9p_readlink(&C, fid, buf, 3), 3);
	assert_int_equal(uk_9p_clunk(&C, fid), 0);
	/* rename across directories, unlink, rmdir */
	assert_int_equal(uk_9p_renameat(&C, d, "file1", 5, C.root, "moved", 5),
			 0);
	hostpath(p, "moved");
	assert_int_equal(access(p, F_OK), 0);
	assert_int_equal(uk_9p_unlinkat(&C, C.root, "moved", 5, 0), 0);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(uk_9p_unlinkat(&C, C.root, "d", 1, UK_9P_AT_REMOVEDIR),
			 -ENOTEMPTY);
	assert_int_equal(uk_9p_unlinkat(&C, C.root, "d", 1, 0), -EISDIR);
	assert_int_equal(uk_9p_clunk(&C, d), 0);
}

/* Server errors become errno; malformed replies are refused. */
static void test_errors(void **state)
{
	uint32_t fid;
	char buf[64];

	(void)state;
	assert_int_equal(uk_9p_connect(&C, &S->trans, 65536, "", 0), 0);
	host_write("x", "hello", 5);
	fid = walk1("x", 0);
	assert_int_equal(uk_9p_lopen(&C, fid, 0, NULL, NULL), 0);
	S->fail_type = UK_9P_TREAD;
	S->fail_errno = 5;
	assert_int_equal(uk_9p_read(&C, fid, 0, buf, 5), -EIO);
	S->fail_type = UK_9P_TWRITE;
	S->fail_errno = 28;
	assert_int_equal(uk_9p_write(&C, fid, 0, "x", 1), -ENOSPC);
	S->fail_type = UK_9P_TWRITE;
	S->fail_errno = 30;
	assert_int_equal(uk_9p_write(&C, fid, 0, "x", 1), -EROFS);
	S->fail_type = UK_9P_TFSYNC;
	S->fail_errno = 200; /* no such errno */
	assert_int_equal(uk_9p_fsync(&C, fid, 1), -EIO);
	assert_non_null(plat_out_find("server error 200 has no local"));
	/* a reply whose size lies */
	S->garble_type = UK_9P_TREAD;
	assert_int_equal(uk_9p_read(&C, fid, 0, buf, 5), -EIO);
	assert_non_null(plat_out_find("malformed reply"));
	S->garble_type = UK_9P_TGETATTR;
	struct uk_9p_attr a;
	assert_int_equal(uk_9p_getattr(&C, fid, UK_9P_GETATTR_BASIC, &a), -EIO);
	/* and the client still works */
	assert_int_equal(uk_9p_read(&C, fid, 0, buf, 5), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(uk_9p_clunk(&C, fid), 0);
	/* names too long for one message */
	static char huge[9000];
	memset(huge, 'a', sizeof(huge) - 1);
	assert_int_equal(uk_9p_mkdir(&C, C.root, huge, 9000 - 1, 0755, 0, NULL),
			 -ENAMETOOLONG);
	/* errno numbers */
	assert_int_equal(uk_9p_errno(2), -ENOENT);
	assert_int_equal(uk_9p_errno(39), -ENOTEMPTY);
	assert_int_equal(uk_9p_errno(95), -ENOTSUP);
	/* malformed readdir buffers */
	uint8_t bad[30] = {0};
	uint32_t pos = 0;
	struct uk_9p_dirent e;
	assert_int_equal(uk_9p_dirent_next(bad, 10, &pos, &e), -EIO);
	pos = 0;
	bad[22] = 200; /* name length past the end */
	assert_int_equal(uk_9p_dirent_next(bad, 30, &pos, &e), -EIO);
	pos = 30;
	assert_int_equal(uk_9p_dirent_next(bad, 30, &pos, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negotiate, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
