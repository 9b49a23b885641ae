/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * blktest: the first block device through ukblkdev, no filesystem. Reads
 * what the host put in sectors 0-7 and prints its hash (the host compares),
 * writes a pattern in bursts (polling), flushes, reads it back; then the
 * same through the synchronous helper in interrupt mode (the CPU halts
 * until the completion interrupt) with a FUA write. The host then checks
 * the pattern in the image file (tests/storage/boottest.py).
 *
 * Arguments: "ro" = the disk is read-only: a write must fail with EROFS
 * and change nothing; "none" = no disk must be found (a refused device).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/blkdev.h>
#include <uk/virtioblk.h>

#define BURST	32
#define NREQ	64
#define PER_REQ 4096 /* bytes per request */
#define PAT_SEC 2048 /* first 512-byte sector of the polled pattern */
#define INT_SEC 8192 /* first 512-byte sector of the interrupt pattern */
#define INT_LEN (1u << 20)

/* The byte at offset `i` of 512-byte sector `s` (boottest.py knows it). */
static uint8_t pat(uint64_t s, unsigned i)
{
	return (uint8_t)((s * 131u + i * 7u + 0x5a) & 0xff);
}

static void fill(uint8_t *p, uint64_t sec512, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = pat(sec512 + i / 512, (unsigned)(i % 512));
}

static int check(const uint8_t *p, uint64_t sec512, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != pat(sec512 + i / 512, (unsigned)(i % 512)))
			return -1;
	return 0;
}

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static uint8_t bufs[NREQ][PER_REQ] __attribute__((aligned(4096)));
static uint8_t big[INT_LEN] __attribute__((aligned(4096)));

static int fail(const char *what, int rc)
{
	printf("blktest: FAIL: %s: %d\n", what, rc);
	return 1;
}

/* NREQ requests of PER_REQ bytes in bursts of BURST, polled. */
static int burst(struct uk_blkdev *d, uint8_t op)
{
	const uint32_t ss = d->info.sector_size, per = PER_REQ / ss;
	static struct uk_blkreq r[NREQ];
	struct uk_blkreq *rp[NREQ];

	for (int i = 0; i < NREQ; i++) {
		uint64_t s = (PAT_SEC * 512ull) / ss + (uint64_t)i * per;
		if (op == UK_BLKREQ_WRITE)
			fill(bufs[i], s * (ss / 512), PER_REQ);
		else
			memset(bufs[i], 0, PER_REQ);
		uk_blkreq_init(&r[i], op, s, per, bufs[i], NULL, NULL);
		rp[i] = &r[i];
	}
	for (int i = 0; i < NREQ; i += BURST) {
		uint16_t cnt = BURST;
		int rc = uk_blkdev_submit(d, 0, rp + i, &cnt);
		if (rc < 0 || cnt != BURST)
			return fail("submit", rc < 0 ? rc : cnt);
		rc = uk_blkdev_wait(d, 0, rp + i, BURST);
		if (rc < 0)
			return fail("wait", rc);
	}
	for (int i = 0; i < NREQ; i++) {
		if (r[i].result < 0)
			return fail(op == UK_BLKREQ_WRITE ? "burst write"
							  : "burst read",
				    r[i].result);
		if (op == UK_BLKREQ_READ &&
		    check(bufs[i], r[i].sector * (ss / 512), PER_REQ))
			return fail("burst read: data differs", i);
	}
	return 0;
}

int main(int argc, char *argv[])
{
	int ro = argc > 1 && !strcmp(argv[1], "ro");
	struct uk_blkdev *d = uk_blkdev_find("vda");
	struct uk_blkdev_stats st;
	char desc[512];
	int rc;

	if (argc > 1 && !strcmp(argv[1], "none")) {
		printf("blktest: %u block devices\n", uk_blkdev_count());
		return uk_blkdev_count() ? 1 : 0;
	}
	if (!d) {
		printf("blktest: FAIL: no block device vda\n");
		return 1;
	}
	uk_virtioblk_describe(d, desc, sizeof(desc));
	printf("blktest: %s (%s): %llu sectors of %u bytes, %s\n", d->name,
	       d->desc, (unsigned long long)d->info.sectors,
	       d->info.sector_size, desc);
	rc = uk_blkdev_open(d);
	if (rc < 0)
		return fail("open", rc);
	/* what the host wrote into the first 4 KiB */
	rc = uk_blkdev_sync_io(d, 0, UK_BLKREQ_READ, 0,
			       4096 / d->info.sector_size, big, 0);
	if (rc < 0)
		return fail("read of the host's data", rc);
	printf("blktest: host data fnv32 %08x\n", fnv(big, 4096));

	if (ro) {
		memset(big, 0xee, 4096);
		rc = uk_blkdev_sync_io(d, 0, UK_BLKREQ_WRITE, 0,
				       4096 / d->info.sector_size, big, 0);
		printf("blktest: write to the read-only disk: %s\n",
		       rc == -EROFS ? "EROFS" : "not refused");
		if (rc != -EROFS)
			return 1;
		printf("blktest: OK\n");
		return 0;
	}

	if (burst(d, UK_BLKREQ_WRITE) || burst(d, UK_BLKREQ_READ))
		return 1;
	rc = uk_blkdev_sync_io(d, 0, UK_BLKREQ_FLUSH, 0, 0, NULL, 0);
	if (rc < 0)
		return fail("flush", rc);
	uk_blkdev_stats_get(d, &st);
	printf("blktest: polling: %d requests of %d bytes in bursts of %d, "
	       "%llu requests, %llu notifications\n",
	       2 * NREQ, PER_REQ, BURST, (unsigned long long)st.requests,
	       (unsigned long long)st.notifies);

	rc = uk_blkdev_intr_enable(d, 0);
	if (rc < 0) {
		printf("blktest: interrupts unavailable (%d): polling only\n",
		       rc);
	}
	uint64_t s = (INT_SEC * 512ull) / d->info.sector_size;
	uint64_t n = INT_LEN / d->info.sector_size;
	fill(big, INT_SEC, INT_LEN);
	rc = uk_blkdev_sync_io(d, 0, UK_BLKREQ_WRITE, s, n, big,
			       UK_BLKREQ_F_FUA);
	if (rc < 0)
		return fail("FUA write", rc);
	memset(big, 0, INT_LEN);
	rc = uk_blkdev_sync_io(d, 0, UK_BLKREQ_READ, s, n, big, 0);
	if (rc < 0)
		return fail("read", rc);
	if (check(big, INT_SEC, INT_LEN))
		return fail("read back after the FUA write: data differs", 0);
	/* past the end: refused before the device */
	rc = uk_blkdev_sync_io(d, 0, UK_BLKREQ_READ, d->info.sectors, 1, big,
			       0);
	printf("blktest: read past the end: %s\n",
	       rc == -ENOSPC ? "ENOSPC" : "not refused");
	if (rc != -ENOSPC)
		return 1;
	uk_blkdev_stats_get(d, &st);
	printf("blktest: interrupt mode: 1 MiB FUA write and read, %llu "
	       "interrupts, %llu flushes\n",
	       (unsigned long long)st.interrupts,
	       (unsigned long long)st.flushes);
	printf("blktest: requests %llu, notifications %llu, errors %llu\n",
	       (unsigned long long)st.requests, (unsigned long long)st.notifies,
	       (unsigned long long)st.errors);
	printf("blktest: OK\n");
	return 0;
}
