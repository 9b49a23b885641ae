/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * txnlog: the durability test's small database, next to SQLite itself
 * (examples/port-sqlite's sqlite-txn) - the same protocol, a log whose every
 * byte the check can account for. tests/storage/durability.py drives both.
 *
 *   txnlog loop FILE   recovers FILE (the last valid record), then commits
 *                      transactions forever: each appends a 512-byte record
 *                      (sequence number, payload, checksum), fdatasync()s
 *                      (every 16th then rewrites the header block and
 *                      fdatasync()s again), and only then prints
 *                      "committed N"
 *   txnlog check FILE  verifies every record from 1 on (checksums, the
 *                      sequence unbroken, the header not ahead of the data)
 *                      and prints "check: ok last=N", or "check: FAIL why"
 *
 * The protocol the harness relies on: a "committed N" line means that
 * transaction N is durable; "check: ok last=N" means the database is
 * intact and holds transactions 1..N.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REC   512
#define MAGIC 0x54584e4cu /* "TXNL" */

struct rec {
	uint32_t magic;
	uint32_t seq;
	uint32_t len;
	uint32_t sum;
	uint8_t payload[REC - 16];
};

static uint32_t checksum(const struct rec *r)
{
	uint32_t h = 2166136261u ^ r->seq;
	for (uint32_t i = 0; i < r->len && i < sizeof(r->payload); i++)
		h = (h ^ r->payload[i]) * 16777619u;
	return h;
}

static void fill(struct rec *r, uint32_t seq)
{
	memset(r, 0, sizeof(*r));
	r->magic = MAGIC;
	r->seq = seq;
	r->len = 64 + seq % 400;
	for (uint32_t i = 0; i < r->len; i++)
		r->payload[i] = (uint8_t)(seq * 31 + i);
	r->sum = checksum(r);
}

/* Block 0 is the header (a record whose seq is the last one it saw),
 * record N lives at N * REC. Returns the last N of an unbroken run of
 * valid records, or -1 when something is wrong (printed). */
static long scan(int fd, int strict)
{
	struct rec r, hdr;
	uint32_t n = 0;
	ssize_t got;

	got = pread(fd, &hdr, REC, 0);
	if (got == 0)
		return 0; /* a new database */
	if (got != REC || hdr.magic != MAGIC || hdr.sum != checksum(&hdr)) {
		printf("check: FAIL header unreadable or corrupt (%zd bytes)\n",
		       got);
		return -1;
	}
	for (;;) {
		got = pread(fd, &r, REC, (off_t)(n + 1) * REC);
		if (got != REC || r.magic != MAGIC)
			break; /* the end (a torn last append is fine) */
		if (r.seq != n + 1 || r.sum != checksum(&r)) {
			if (strict) {
				printf("check: FAIL record %u corrupt (seq "
				       "%u)\n",
				       n + 1, r.seq);
				return -1;
			}
			break;
		}
		n++;
	}
	if (hdr.seq > n) {
		printf("check: FAIL the header says %u transactions, %u "
		       "are there\n",
		       hdr.seq, n);
		return -1;
	}
	return n;
}

int main(int argc, char *argv[])
{
	struct rec r;
	long n;
	int fd;

	if (argc != 3 ||
	    (strcmp(argv[1], "loop") && strcmp(argv[1], "check"))) {
		printf("usage: txnlog loop|check FILE\n");
		return 2;
	}
	fd = open(argv[2], O_RDWR | O_CREAT, 0644);
	if (fd < 0) {
		printf("check: FAIL open %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	n = scan(fd, !strcmp(argv[1], "check"));
	if (!strcmp(argv[1], "check")) {
		if (n < 0)
			return 1;
		printf("check: ok last=%ld\n", n);
		return 0;
	}
	if (n < 0)
		return 1;
	printf("txnlog: recovered %ld transactions\n", n);
	fflush(stdout);
	for (uint32_t seq = (uint32_t)n + 1;; seq++) {
		fill(&r, seq);
		if (pwrite(fd, &r, REC, (off_t)seq * REC) != REC) {
			printf("txnlog: FAIL write: %s\n", strerror(errno));
			return 1;
		}
		if (fdatasync(fd)) {
			printf("txnlog: FAIL fdatasync: %s\n", strerror(errno));
			return 1;
		}
		/* the header never runs ahead of durable records */
		if (seq % 16 == 0 || seq == 1) {
			struct rec h;
			fill(&h, seq);
			if (pwrite(fd, &h, REC, 0) != REC || fdatasync(fd)) {
				printf("txnlog: FAIL header: %s\n",
				       strerror(errno));
				return 1;
			}
		}
		printf("committed %u\n", seq);
		fflush(stdout);
	}
}
