/*
 * sqlite-inserts: N INSERT statements in one transaction (60,000 by
 * default), each its own SQL text compiled and run as a script's line
 * would be, into a fresh table of each database named on the command line
 * (":memory:" or a file); prints the time each took. The benchmark of
 * `unikit bench sqlite`: the same source runs in the unikit image and,
 * built static with musl, in the Linux baseline VM.
 *   sqlite-inserts [--rows N] DB...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sqlite3.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "sqlite-inserts: %s: %s\n", sql,
			err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int one(const char *path, long rows)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char sql[128];
	double t0, t1;
	long n = -1;

	if (strcmp(path, ":memory:"))
		unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "sqlite-inserts: %s: %s\n", path,
			sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	if (exec(db, "CREATE TABLE t(a INTEGER, b TEXT, c REAL)"))
		goto fail;
	t0 = now();
	if (exec(db, "BEGIN"))
		goto fail;
	for (long i = 0; i < rows; i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO t VALUES(%ld, 'row number %ld', %ld.25);",
			 i, i * 7919 % 100003, i % 1000);
		if (exec(db, sql))
			goto fail;
	}
	if (exec(db, "COMMIT"))
		goto fail;
	t1 = now();
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (n != rows) {
		fprintf(stderr,
			"sqlite-inserts: %s: %ld rows after the commit, "
			"expected %ld\n",
			path, n, rows);
		return -1;
	}
	printf("inserts: %s: %ld rows in %.6f s\n", path, rows, t1 - t0);
	return 0;
fail:
	sqlite3_close(db);
	return -1;
}

int main(int argc, char **argv)
{
	long rows = 60000;
	int i = 1, rc = 0;

	if (argc > 2 && !strcmp(argv[1], "--rows")) {
		rows = strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (i >= argc || rows <= 0) {
		fprintf(stderr, "usage: sqlite-inserts [--rows N] DB...\n");
		return 2;
	}
	printf("inserts: SQLite %s\n", sqlite3_libversion());
	for (; i < argc; i++)
		rc |= one(argv[i], rows) != 0;
	return rc;
}
