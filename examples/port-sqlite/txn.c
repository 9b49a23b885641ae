/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sqlite-txn: SQLite under the durability harness (tests/storage/durability.py,
 * docs/storage.md), the protocol txnlog speaks with a real database:
 *
 *   sqlite-txn loop FILE   opens (or creates) FILE and commits transactions
 *                          forever, each one row of `txn` (a body derived from
 *                          its number, and a checksum) and the `head` row
 *                          naming it, then prints "committed N": SQLite's
 *                          COMMIT returns only after its journal and database
 *                          writes were fsync'ed (synchronous=FULL)
 *   sqlite-txn check FILE  opens FILE (rolling back a hot journal the kill
 *                          left, as any later open does), runs PRAGMA
 *                          integrity_check, checks that rows 1..N are all
 *                          there with their bodies intact and that `head`
 *                          says N, and prints "check: ok last=N" or
 *                          "check: FAIL why"
 *
 * The journal is SQLite's default rollback journal (DELETE), over its unix
 * VFS: POSIX record locks, fsync, unlink; all of it through unikit's file
 * calls on an ext2 disk or a 9P share.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#define BODY_MAX 400

static size_t body(long n, unsigned char *b)
{
	size_t len = 100 + (size_t)(n % 300);
	uint32_t x = (uint32_t)n * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (unsigned char)x;
	}
	return len;
}

static int64_t checksum(const unsigned char *b, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static int fail(sqlite3 *db, const char *what)
{
	printf("check: FAIL %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	return 1;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
		return 0;
	printf("sqlite-txn: %s: %s\n", sql, err ? err : "?");
	sqlite3_free(err);
	return -1;
}

/* One integer from a query of one row and column; -1 on error. */
static long long one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int loop(sqlite3 *db)
{
	unsigned char b[BODY_MAX];
	sqlite3_stmt *ins, *head;
	long long n;

	if (exec(db, "PRAGMA synchronous=FULL") ||
	    exec(db, "CREATE TABLE IF NOT EXISTS txn(n INTEGER PRIMARY KEY, "
		     "body BLOB NOT NULL, sum INTEGER NOT NULL)") ||
	    exec(db, "CREATE TABLE IF NOT EXISTS head(id INTEGER PRIMARY KEY "
		     "CHECK (id = 1), last INTEGER NOT NULL)"))
		return 1;
	n = one(db, "SELECT coalesce(max(n), 0) FROM txn");
	if (n < 0)
		return fail(db, "reading the last transaction");
	if (sqlite3_prepare_v2(db, "INSERT INTO txn VALUES (?1, ?2, ?3)", -1,
			       &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO head VALUES (1, ?1)",
			       -1, &head, NULL) != SQLITE_OK)
		return fail(db, "preparing");
	printf("sqlite-txn: database holds %lld transactions\n", n);
	for (;;) {
		size_t len = body(++n, b);

		if (exec(db, "BEGIN IMMEDIATE"))
			return 1;
		sqlite3_bind_int64(ins, 1, n);
		sqlite3_bind_blob(ins, 2, b, (int)len, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 3, checksum(b, len));
		sqlite3_bind_int64(head, 1, n);
		if (sqlite3_step(ins) != SQLITE_DONE ||
		    sqlite3_step(head) != SQLITE_DONE)
			return fail(db, "inserting");
		sqlite3_reset(ins);
		sqlite3_reset(head);
		if (exec(db, "COMMIT"))
			return 1;
		printf("committed %lld\n", n);
		fflush(stdout);
	}
}

static int check(sqlite3 *db)
{
	unsigned char b[BODY_MAX];
	sqlite3_stmt *st;
	long long want = 1, head;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK)
		return fail(db, "integrity_check");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		if (!r || strcmp(r, "ok")) {
			printf("check: FAIL integrity_check: %s\n",
			       r ? r : "(null)");
			return 1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(db, "integrity_check");
	/* a database the loop never got to create its tables in is empty */
	if (one(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'txn'") ==
	    0) {
		printf("check: ok last=0\n");
		return 0;
	}
	if (sqlite3_prepare_v2(db, "SELECT n, body, sum FROM txn ORDER BY n",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(db, "reading txn");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(st, 0);
		const void *got = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);

		if (n != want) {
			printf("check: FAIL transaction %lld missing (found "
			       "%lld)\n",
			       want, n);
			return 1;
		}
		if (len != body(n, b) || !got || memcmp(got, b, len) ||
		    sqlite3_column_int64(st, 2) != checksum(b, len)) {
			printf("check: FAIL transaction %lld: body or sum "
			       "differs\n",
			       n);
			return 1;
		}
		want++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(db, "reading txn");
	head = one(db, "SELECT coalesce((SELECT last FROM head), 0)");
	if (head != want - 1) {
		printf("check: FAIL head says %lld, the table ends at %lld\n",
		       head, want - 1);
		return 1;
	}
	printf("check: ok last=%lld\n", want - 1);
	return 0;
}

int main(int argc, char *argv[])
{
	sqlite3 *db = NULL;
	int rc;

	if (argc != 3 ||
	    (strcmp(argv[1], "loop") && strcmp(argv[1], "check"))) {
		printf("usage: sqlite-txn loop|check FILE\n");
		return 2;
	}
	/* check never creates: a database that vanished is a failure */
	rc = sqlite3_open_v2(
		argv[2], &db,
		SQLITE_OPEN_READWRITE |
			(argv[1][0] == 'l' ? SQLITE_OPEN_CREATE : 0),
		NULL);
	if (rc != SQLITE_OK) {
		printf("check: FAIL opening %s: %s\n", argv[2],
		       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		return 1;
	}
	rc = argv[1][0] == 'l' ? loop(db) : check(db);
	sqlite3_close(db);
	return rc;
}
