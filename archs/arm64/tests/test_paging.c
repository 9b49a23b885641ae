/* Native tests of the arm64 page-table editor on a simulated physical
 * memory (the x86_64 editor's tests, with AArch64 descriptors). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/arch/paging.h>

#define K4 0x1000ULL
#define M2 0x200000ULL
#define G1 0x40000000ULL

#define R   UKARCH_PROT_READ
#define RW  (UKARCH_PROT_READ | UKARCH_PROT_WRITE)
#define RX  (UKARCH_PROT_READ | UKARCH_PROT_EXEC)
#define RWX (UKARCH_PROT_READ | UKARCH_PROT_WRITE | UKARCH_PROT_EXEC)

/* Descriptors the editor writes: D4K for pages, D2M for blocks. */
#define LEAF_BASE                                                 \
	(UKARCH_PTE_VALID | UKARCH_PTE_AF | UKARCH_PTE_SH_INNER | \
	 UKARCH_PTE_UXN)
#define PROT_BITS(p)                                     \
	((((p)&UKARCH_PROT_WRITE) ? 0 : UKARCH_PTE_RO) | \
	 (((p)&UKARCH_PROT_EXEC) ? 0 : UKARCH_PTE_PXN))
#define D4K(p) (LEAF_BASE | UKARCH_PTE_TABLE | PROT_BITS(p))
#define D2M(p) (LEAF_BASE | PROT_BITS(p))
#define ADDR   UKARCH_PTE_ADDR

/* ---- simulated physical memory: NPAGES table pages at SIM_BASE ---- */

#define NPAGES	 512
#define SIM_BASE 0x7ff000000ULL /* deliberately not 0 */
#define POISON	 0xa5a5a5a5a5a5a5a5ULL

struct sim {
	_Alignas(4096) uint64_t mem[NPAGES][512];
	bool used[NPAGES];
	int fail_after; /* allocations that still succeed; -1: unlimited */
	unsigned live;	/* pages handed out and not freed */
	/* flushed addresses (the first 4096 of them) */
	uint64_t flushes[4096];
	unsigned nflush;
};

static struct sim *sim;

static unsigned sim_index(uint64_t pa)
{
	if (pa < SIM_BASE || pa >= SIM_BASE + NPAGES * K4 || (pa & (K4 - 1)))
		fail_msg("access to non-table paddr %#llx",
			 (unsigned long long)pa);
	unsigned i = (unsigned)((pa - SIM_BASE) / K4);
	if (!sim->used[i])
		fail_msg("access to free page %#llx", (unsigned long long)pa);
	return i;
}

static void *sim_p2v(void *ctx, uint64_t pa)
{
	assert_ptr_equal(ctx, sim);
	return sim->mem[sim_index(pa)];
}

static int sim_alloc(void *ctx, uint64_t *pa)
{
	assert_ptr_equal(ctx, sim);
	if (sim->fail_after == 0)
		return -ENOMEM;
	for (unsigned i = 0; i < NPAGES; i++) {
		if (sim->used[i])
			continue;
		if (sim->fail_after > 0)
			sim->fail_after--;
		sim->used[i] = true;
		sim->live++;
		memset(sim->mem[i], 0, K4);
		*pa = SIM_BASE + i * K4;
		return 0;
	}
	return -ENOMEM;
}

static void sim_free(void *ctx, uint64_t pa)
{
	assert_ptr_equal(ctx, sim);
	unsigned i = sim_index(pa); /* also catches double frees */
	sim->used[i] = false;
	sim->live--;
	for (unsigned k = 0; k < 512; k++)
		sim->mem[i][k] = POISON;
}

static void sim_flush(void *ctx, uint64_t va)
{
	assert_ptr_equal(ctx, sim);
	if (sim->nflush < 4096)
		sim->flushes[sim->nflush] = va;
	sim->nflush++;
}

static bool flushed(uint64_t lo, uint64_t size)
{
	unsigned n = sim->nflush < 4096 ? sim->nflush : 4096;

	for (unsigned i = 0; i < n; i++)
		if (sim->flushes[i] - lo < size)
			return true;
	return false;
}

static const struct ukarch_pt_ops sim_ops = {
	.phys_to_virt = sim_p2v,
	.alloc_table = sim_alloc,
	.free_table = sim_free,
	.flush = sim_flush,
};

static struct ukarch_pt pt;

static int setup(void **state)
{
	(void)state;
	sim = aligned_alloc(4096, sizeof(*sim));
	assert_non_null(sim);
	for (unsigned i = 0; i < NPAGES; i++) {
		sim->used[i] = false;
		for (unsigned k = 0; k < 512; k++)
			sim->mem[i][k] = POISON;
	}
	sim->fail_after = -1;
	sim->live = 0;
	sim->nflush = 0;
	struct ukarch_pt_ops ops = sim_ops;
	ops.ctx = sim;
	assert_int_equal(ukarch_pt_init(&pt, &ops), 0);
	assert_int_equal(sim->live, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(sim);
	sim = NULL;
	return 0;
}

/* A copy of every table page in use and of the allocation state. */
struct snap {
	uint64_t mem[NPAGES][512];
	bool used[NPAGES];
};

static struct snap *snap_take(void)
{
	struct snap *s = malloc(sizeof(*s));

	assert_non_null(s);
	memcpy(s->used, sim->used, sizeof(s->used));
	for (unsigned i = 0; i < NPAGES; i++)
		if (sim->used[i])
			memcpy(s->mem[i], sim->mem[i], K4);
	return s;
}

/* Fails if any table page, or which pages are in use, changed; frees s.
 * (Pages not in use are all POISON: sim_free() refills them.) */
static void snap_check(struct snap *s)
{
	for (unsigned i = 0; i < NPAGES; i++) {
		if (s->used[i] != sim->used[i])
			fail_msg("page %u allocation state changed", i);
		if (s->used[i] && memcmp(s->mem[i], sim->mem[i], K4))
			fail_msg("table page %u changed", i);
		if (!s->used[i] && sim->mem[i][0] != POISON)
			fail_msg("free page %u written", i);
	}
	free(s);
}

/* ---- an independent walker over the raw entries ---- */

static uint64_t *raw_table(uint64_t e)
{
	return sim->mem[sim_index(e & ADDR)];
}

/* The entry at `level` (4 = level 0 .. 1 = level 3) for va, or 0 if the
 * walk ends earlier (invalid, or a block above that level). */
static uint64_t raw_entry(uint64_t va, int level)
{
	uint64_t e = pt.root | 3; /* the "entry" above the level 0 table */

	for (int l = 4; l >= level; l--) {
		if (!(e & 1))
			return 0;
		if (l <= 2 && !(e & 2))
			return 0; /* e is a 1 GiB or 2 MiB block */
		e = raw_table(e)[(va >> (12 + 9 * (l - 1))) & 511];
	}
	return e;
}

static void expect_lookup(uint64_t va, uint64_t pa, int prot, uint64_t size)
{
	uint64_t gpa = 0, gsize = 0;
	int gprot = 0;

	int rc = ukarch_pt_lookup(&pt, va, &gpa, &gprot, &gsize);
	if (rc != 0 || gpa != pa || gprot != prot || gsize != size)
		fail_msg("lookup %#llx: rc %d pa %#llx prot %d size %#llx; "
			 "want pa %#llx prot %d size %#llx",
			 (unsigned long long)va, rc, (unsigned long long)gpa,
			 gprot, (unsigned long long)gsize,
			 (unsigned long long)pa, prot,
			 (unsigned long long)size);
}

static void expect_unmapped(uint64_t va)
{
	assert_int_equal(ukarch_pt_lookup(&pt, va, NULL, NULL, NULL), -ENOENT);
}

/* ---- directed tests ---- */

static void test_map_4k(void **state)
{
	(void)state;
	const uint64_t va = 0x400000, pa = 0x12345000;

	assert_int_equal(ukarch_pt_map(&pt, va, pa, 3 * K4, RW, UKARCH_PAGE_4K),
			 0);
	assert_int_equal(sim->live, 4); /* levels 0, 1, 2, 3 */
	for (int i = 0; i < 3; i++) {
		expect_lookup(va + i * K4, pa + i * K4, RW, K4);
		expect_lookup(va + i * K4 + 0x123, pa + i * K4 + 0x123, RW, K4);
		/* raw page: valid, page, AF, inner shareable, PXN, UXN */
		assert_true(raw_entry(va + i * K4, 1) ==
			    ((pa + i * K4) | D4K(RW)));
		assert_true(flushed(va + i * K4, K4));
	}
	expect_unmapped(va - K4);
	expect_unmapped(va + 3 * K4);
	/* intermediate entries: valid | table only */
	for (int l = 4; l >= 2; l--)
		assert_int_equal(raw_entry(va, l) & ~ADDR, 0x3);

	/* exec and read-only variants */
	assert_int_equal(ukarch_pt_map(&pt, va + 8 * K4, pa, K4, RX, 0), 0);
	assert_true(raw_entry(va + 8 * K4, 1) == (pa | D4K(RX)));
	expect_lookup(va + 8 * K4, pa, RX, K4);
	assert_int_equal(ukarch_pt_map(&pt, va + 9 * K4, pa, K4, RWX, 0), 0);
	assert_true(raw_entry(va + 9 * K4, 1) == (pa | D4K(RWX)));
	assert_int_equal(ukarch_pt_map(&pt, va + 10 * K4, pa, K4, R, 0), 0);
	assert_true(raw_entry(va + 10 * K4, 1) == (pa | D4K(R)));
	expect_lookup(va + 10 * K4, pa, R, K4);
	assert_int_equal(sim->live, 4);

	/* NULL outputs are allowed */
	assert_int_equal(ukarch_pt_lookup(&pt, va, NULL, NULL, NULL), 0);
	/* beyond the TTBR0 space */
	assert_int_equal(
		ukarch_pt_lookup(&pt, 0x0001000000000000ULL, NULL, NULL, NULL),
		-EINVAL);
}

static void test_map_2m(void **state)
{
	(void)state;
	const uint64_t va = 0x40000000ULL + 4 * M2, pa = 0x80000000ULL + M2;

	assert_int_equal(ukarch_pt_map(&pt, va, pa, 2 * M2, RW, UKARCH_PAGE_2M),
			 0);
	assert_int_equal(sim->live, 3); /* levels 0, 1, 2 */
	for (int i = 0; i < 2; i++) {
		uint64_t e = raw_entry(va + i * M2, 2);
		assert_true(e == ((pa + i * M2) | D2M(RW)));
		expect_lookup(va + i * M2, pa + i * M2, RW, M2);
		expect_lookup(va + i * M2 + 0x1234f, pa + i * M2 + 0x1234f, RW,
			      M2);
		assert_true(flushed(va + i * M2, M2));
	}
	expect_unmapped(va - K4);
	expect_unmapped(va + 2 * M2);
	/* unmap them whole: no split, tables freed */
	unsigned before = sim->live;
	assert_int_equal(ukarch_pt_unmap(&pt, va, 2 * M2), 0);
	assert_int_equal(before - sim->live, 2);
	assert_int_equal(sim->live, 1);
	expect_unmapped(va);
}

static void test_unmap(void **state)
{
	(void)state;
	const uint64_t va = 0x7f0000000000ULL, pa = 0x200000000ULL;

	assert_int_equal(ukarch_pt_map(&pt, va, pa, 16 * K4, RW, 0), 0);
	sim->nflush = 0;
	assert_int_equal(ukarch_pt_unmap(&pt, va + 4 * K4, 4 * K4), 0);
	for (int i = 0; i < 16; i++) {
		if (i >= 4 && i < 8) {
			expect_unmapped(va + i * K4);
			assert_true(raw_entry(va + i * K4, 1) == 0);
			assert_true(flushed(va + i * K4, K4));
		} else {
			expect_lookup(va + i * K4, pa + i * K4, RW, K4);
		}
	}
	/* again: not mapped any more, nothing changed */
	struct snap *s = snap_take();
	assert_int_equal(ukarch_pt_unmap(&pt, va + 4 * K4, K4), -ENOENT);
	/* partly mapped range: refused as a whole */
	assert_int_equal(ukarch_pt_unmap(&pt, va, 6 * K4), -ENOENT);
	assert_int_equal(ukarch_pt_unmap(&pt, va + 7 * K4, 6 * K4), -ENOENT);
	assert_int_equal(ukarch_pt_unmap(&pt, va + 15 * K4, 2 * K4), -ENOENT);
	assert_int_equal(ukarch_pt_protect(&pt, va, 16 * K4, R), -ENOENT);
	snap_check(s);
	expect_lookup(va, pa, RW, K4);
	/* the rest: every table but level 0 is freed */
	assert_int_equal(ukarch_pt_unmap(&pt, va, 4 * K4), 0);
	assert_int_equal(ukarch_pt_unmap(&pt, va + 8 * K4, 8 * K4), 0);
	assert_int_equal(sim->live, 1);
	for (unsigned i = 0; i < 512; i++)
		assert_true(raw_table(pt.root | 3)[i] == 0);
}

static void test_protect(void **state)
{
	(void)state;
	const uint64_t va = 0x10000000, pa = 0x30000000;

	assert_int_equal(ukarch_pt_map(&pt, va, pa, 8 * K4, RWX, 0), 0);
	sim->nflush = 0;
	assert_int_equal(ukarch_pt_protect(&pt, va + K4, 2 * K4, R), 0);
	assert_int_equal(ukarch_pt_protect(&pt, va + 3 * K4, K4, RW), 0);
	assert_int_equal(ukarch_pt_protect(&pt, va + 4 * K4, K4, RX), 0);
	expect_lookup(va, pa, RWX, K4);
	expect_lookup(va + K4, pa + K4, R, K4);
	expect_lookup(va + 2 * K4, pa + 2 * K4, R, K4);
	expect_lookup(va + 3 * K4, pa + 3 * K4, RW, K4);
	expect_lookup(va + 4 * K4, pa + 4 * K4, RX, K4);
	expect_lookup(va + 5 * K4, pa + 5 * K4, RWX, K4);
	assert_true(raw_entry(va + K4, 1) == ((pa + K4) | D4K(R)));
	assert_true(raw_entry(va + 3 * K4, 1) == ((pa + 3 * K4) | D4K(RW)));
	assert_true(raw_entry(va + 4 * K4, 1) == ((pa + 4 * K4) | D4K(RX)));
	for (int i = 1; i <= 4; i++)
		assert_true(flushed(va + i * K4, K4));
	assert_false(flushed(va, K4));
	assert_false(flushed(va + 5 * K4, K4));
	/* unchanged protection: no flush */
	sim->nflush = 0;
	assert_int_equal(ukarch_pt_protect(&pt, va + K4, K4, R), 0);
	assert_int_equal(sim->nflush, 0);

	struct snap *s = snap_take();
	assert_int_equal(ukarch_pt_protect(&pt, va, 8 * K4, 0), -EINVAL);
	assert_int_equal(ukarch_pt_protect(&pt, va, 8 * K4, UKARCH_PROT_WRITE),
			 -EINVAL);
	assert_int_equal(ukarch_pt_protect(&pt, va, 8 * K4, R | 8), -EINVAL);
	assert_int_equal(ukarch_pt_protect(&pt, va, 9 * K4, R), -ENOENT);
	assert_int_equal(ukarch_pt_protect(&pt, va - K4, 2 * K4, R), -ENOENT);
	assert_int_equal(ukarch_pt_protect(&pt, va + 1, K4, R), -EINVAL);
	snap_check(s);
}

/* Checks the 512 entries that a split of the 2 MiB page at va made. */
static void check_split(uint64_t va, uint64_t pa, int lo, int hi, bool gone,
			uint64_t in_bits, uint64_t out_bits)
{
	uint64_t pde = raw_entry(va, 2);

	assert_true(pde & 1);
	assert_true(pde & 2); /* a table now */
	assert_int_equal(pde & ~ADDR, 0x3);
	uint64_t *t = raw_table(pde);
	for (int i = 0; i < 512; i++) {
		uint64_t want;
		if (i >= lo && i < hi)
			want = gone ? 0 : (pa + i * K4) | in_bits;
		else
			want = (pa + i * K4) | out_bits;
		if (t[i] != want)
			fail_msg("entry %d: %#llx, want %#llx", i,
				 (unsigned long long)t[i],
				 (unsigned long long)want);
	}
}

static void test_split_protect(void **state)
{
	(void)state;
	const uint64_t va = 0xff8000000000ULL + 7 * M2;
	const uint64_t pa = 0x5600000000ULL;

	assert_int_equal(ukarch_pt_map(&pt, va, pa, M2, RW, UKARCH_PAGE_2M), 0);
	unsigned before = sim->live;
	sim->nflush = 0;
	assert_int_equal(ukarch_pt_protect(&pt, va + 5 * K4, 3 * K4, RX), 0);
	assert_int_equal(sim->live, before + 1);
	check_split(va, pa, 5, 8, false, D4K(RX), D4K(RW));
	for (int i = 0; i < 512; i++)
		expect_lookup(va + i * K4, pa + i * K4,
			      (i >= 5 && i < 8) ? RX : RW, K4);
	assert_true(flushed(va + 5 * K4, 3 * K4));

	/* ENOMEM on a split: nothing changed */
	const uint64_t va2 = va + M2;
	assert_int_equal(ukarch_pt_map(&pt, va2, pa + M2, M2, RW, 1), 0);
	struct snap *s = snap_take();
	sim->fail_after = 0;
	assert_int_equal(ukarch_pt_protect(&pt, va2, K4, R), -ENOMEM);
	assert_int_equal(ukarch_pt_unmap(&pt, va2 + M2 - K4, K4), -ENOMEM);
	sim->fail_after = -1;
	snap_check(s);
	expect_lookup(va2, pa + M2, RW, M2);

	/* protecting a whole 2 MiB page keeps it whole */
	assert_int_equal(ukarch_pt_protect(&pt, va2, M2, R), 0);
	expect_lookup(va2 + K4, pa + M2 + K4, R, M2);
	assert_true(raw_entry(va2, 2) == ((pa + M2) | D2M(R)));
	/* a range over the split page and the whole one */
	assert_int_equal(ukarch_pt_protect(&pt, va + 100 * K4, M2, RWX), 0);
	expect_lookup(va + 99 * K4, pa + 99 * K4, RW, K4);
	expect_lookup(va + 100 * K4, pa + 100 * K4, RWX, K4);
	expect_lookup(va + M2 + 99 * K4, pa + M2 + 99 * K4, RWX, K4);
	expect_lookup(va + M2 + 100 * K4, pa + M2 + 100 * K4, R, K4);
	check_split(va2, pa + M2, 0, 100, false, D4K(RWX), D4K(R));
}

static void test_split_unmap(void **state)
{
	(void)state;
	const uint64_t va = 0x3fe00000ULL, pa = 0x7fe00000ULL;

	assert_int_equal(ukarch_pt_map(&pt, va, pa, M2, RX, UKARCH_PAGE_2M), 0);
	sim->nflush = 0;
	assert_int_equal(ukarch_pt_unmap(&pt, va + 200 * K4, 112 * K4), 0);
	check_split(va, pa, 200, 312, true, 0, D4K(RX));
	for (int i = 0; i < 512; i++) {
		if (i >= 200 && i < 312)
			expect_unmapped(va + i * K4);
		else
			expect_lookup(va + i * K4, pa + i * K4, RX, K4);
	}
	assert_true(flushed(va, M2));
	/* the first and last page */
	assert_int_equal(ukarch_pt_unmap(&pt, va, K4), 0);
	assert_int_equal(ukarch_pt_unmap(&pt, va + M2 - K4, K4), 0);
	uint64_t *t = raw_table(raw_entry(va, 2));
	for (int i = 0; i < 512; i++) {
		bool gone = i == 0 || i == 511 || (i >= 200 && i < 312);
		assert_true(t[i] == (gone ? 0 : (pa + i * K4) | D4K(RX)));
	}
	expect_unmapped(va + M2 - K4);
	expect_lookup(va + M2 - 2 * K4, pa + M2 - 2 * K4, RX, K4);
	/* everything else: all tables go */
	assert_int_equal(ukarch_pt_unmap(&pt, va + K4, 199 * K4), 0);
	assert_int_equal(ukarch_pt_unmap(&pt, va + 312 * K4, 199 * K4), 0);
	assert_int_equal(sim->live, 1);
}

static void test_invalid(void **state)
{
	(void)state;
	struct snap *s = snap_take();
	const uint64_t top = 0x0001000000000000ULL; /* 2^48 */

	/* alignment, for each page size */
	assert_int_equal(ukarch_pt_map(&pt, 0x1001000, 0x1000, K4 + 1, RW, 0),
			 -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0x1000800, 0x1000, K4, RW, 0),
			 -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0x1000000, 0x1008, K4, RW, 0),
			 -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0x1000000, 0x1000, 0, RW, 0),
			 -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0x1001000, 0, M2, RW, 1), -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0x1000000, K4, M2, RW, 1), -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0x1000000, 0, M2 + K4, RW, 1),
			 -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0x1000000, 0, 0, RW, 1), -EINVAL);
	/* flags and prot */
	assert_int_equal(ukarch_pt_map(&pt, 0x1000000, 0, K4, RW, 2), -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0x1000000, 0, K4, 0, 0), -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0x1000000, 0, K4, -1, 0), -EINVAL);
	/* at or beyond 2^48 (no TTBR1 half), wrapping */
	assert_int_equal(ukarch_pt_map(&pt, top, 0, K4, RW, 0), -EINVAL);
	assert_int_equal(
		ukarch_pt_map(&pt, 0xffff800000000000ULL, 0, K4, RW, 0),
		-EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, top - K4, 0, 2 * K4, RW, 0),
			 -EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, top - M2, 0, 2 * M2, RW, 1),
			 -EINVAL);
	assert_int_equal(
		ukarch_pt_map(&pt, 0xfffffffffffff000ULL, 0, 2 * K4, RW, 0),
		-EINVAL);
	assert_int_equal(
		ukarch_pt_map(&pt, top - K4, 0, 0x1000000000000000, RW, 0),
		-EINVAL);
	assert_int_equal(ukarch_pt_unmap(&pt, top - K4, 0xffff000000002000ULL),
			 -EINVAL);
	assert_int_equal(ukarch_pt_unmap(&pt, 0, 0), -EINVAL);
	/* physical range beyond 2^48 */
	assert_int_equal(ukarch_pt_map(&pt, 0, 1ULL << 48, K4, RW, 0), -EINVAL);
	assert_int_equal(
		ukarch_pt_map(&pt, 0, (1ULL << 48) - K4, 2 * K4, RW, 0),
		-EINVAL);
	assert_int_equal(
		ukarch_pt_map(&pt, 0, (1ULL << 48) - M2, 2 * M2, RW, 1),
		-EINVAL);
	assert_int_equal(ukarch_pt_map(&pt, 0, ~0xfffULL, K4, RW, 0), -EINVAL);
	/* unmap / protect */
	assert_int_equal(ukarch_pt_unmap(&pt, 0x1000, 0), -EINVAL);
	assert_int_equal(ukarch_pt_unmap(&pt, 0x1001, K4), -EINVAL);
	assert_int_equal(ukarch_pt_unmap(&pt, 0x1000, 0x800), -EINVAL);
	assert_int_equal(ukarch_pt_unmap(&pt, top, K4), -EINVAL);
	assert_int_equal(ukarch_pt_unmap(&pt, 0xfffffffffffff000ULL, 2 * K4),
			 -EINVAL);
	assert_int_equal(ukarch_pt_protect(&pt, top - K4, 2 * K4, R), -EINVAL);
	assert_int_equal(ukarch_pt_protect(&pt, 0x1000, 0, R), -EINVAL);
	/* nothing allocated, nothing written, nothing flushed */
	assert_int_equal(sim->nflush, 0);
	snap_check(s);

	/* the edges that are valid */
	assert_int_equal(
		ukarch_pt_map(&pt, top - K4, (1ULL << 48) - K4, K4, RW, 0), 0);
	expect_lookup(top - K4 + 5, (1ULL << 48) - K4 + 5, RW, K4);
	assert_int_equal(ukarch_pt_map(&pt, top - 2 * M2, M2, M2, RW, 1), 0);
	expect_lookup(top - 2 * M2, M2, RW, M2);
	assert_int_equal(ukarch_pt_unmap(&pt, top - K4, K4), 0);
	assert_int_equal(ukarch_pt_unmap(&pt, top - 2 * M2, M2), 0);
	assert_int_equal(sim->live, 1);
}

static void test_eexist(void **state)
{
	(void)state;
	const uint64_t va = 0x600000, pa = 0x1000000;

	assert_int_equal(ukarch_pt_map(&pt, va + 10 * K4, pa, K4, RW, 0), 0);
	assert_int_equal(ukarch_pt_map(&pt, 0x40000000, pa, M2, RW, 1), 0);
	struct snap *s = snap_take();
	unsigned nflush = sim->nflush;
	/* the mapped page is the last, the first, the only one */
	assert_int_equal(ukarch_pt_map(&pt, va, 0, 11 * K4, RW, 0), -EEXIST);
	assert_int_equal(ukarch_pt_map(&pt, va + 10 * K4, 0, 5 * K4, RW, 0),
			 -EEXIST);
	assert_int_equal(ukarch_pt_map(&pt, va + 10 * K4, 0, K4, RW, 0),
			 -EEXIST);
	/* a range that would also need new tables elsewhere */
	assert_int_equal(ukarch_pt_map(&pt, 0x200000, 0, 0x40000000, RW, 0),
			 -EEXIST);
	/* 2 MiB over 4 KiB, 4 KiB inside 2 MiB */
	assert_int_equal(ukarch_pt_map(&pt, 0x600000, 0, M2, RW, 1), -EEXIST);
	assert_int_equal(ukarch_pt_map(&pt, 0x40000000 + 3 * K4, 0, K4, RW, 0),
			 -EEXIST);
	assert_int_equal(ukarch_pt_map(&pt, 0x40000000 - K4, 0, 2 * K4, RW, 0),
			 -EEXIST);
	assert_int_equal(ukarch_pt_map(&pt, 0x40000000, 0, M2, RW, 1), -EEXIST);
	assert_int_equal(ukarch_pt_map(&pt, 0x40000000 - M2, 0, 2 * M2, RW, 1),
			 -EEXIST);
	assert_int_equal(sim->nflush, nflush);
	snap_check(s);
	expect_lookup(va + 10 * K4, pa, RW, K4);
	/* next to it is fine */
	assert_int_equal(ukarch_pt_map(&pt, va, 0, 10 * K4, RW, 0), 0);
	assert_int_equal(ukarch_pt_map(&pt, va + 11 * K4, 0, K4, RW, 0), 0);
}

static void test_enomem_rollback(void **state)
{
	(void)state;
	/* 16 MiB of 4 KiB pages across the 512 GiB boundary (PML4 entries 0
	 * and 1). With the page just below already mapped, it needs 4 PTs
	 * below the boundary and a PDPT, a PD and 4 PTs above: 10 tables. */
	const uint64_t va = 0x8000000000ULL - 4 * M2, pa = 0x100000000ULL;
	const uint64_t len = 8 * M2;
	int n;

	assert_int_equal(ukarch_pt_map(&pt, va - K4, 0, K4, RW, 0), 0);
	unsigned base_live = sim->live;

	/* fail at every allocation in turn */
	for (n = 0;; n++) {
		struct snap *s = snap_take();
		sim->fail_after = n;
		sim->nflush = 0;
		int rc = ukarch_pt_map(&pt, va, pa, len, RW, 0);
		sim->fail_after = -1;
		if (rc == 0) {
			free(s);
			break;
		}
		assert_int_equal(rc, -ENOMEM);
		assert_int_equal(sim->live, base_live);
		assert_int_equal(sim->nflush, 0);
		snap_check(s);
		expect_unmapped(va);
		expect_unmapped(va + len - K4);
	}
	assert_int_equal(n, 10);
	assert_int_equal(sim->live, base_live + 10);
	for (uint64_t off = 0; off < len; off += K4) {
		expect_lookup(va + off, pa + off, RW, K4);
		assert_true(flushed(va + off, K4));
	}
	expect_lookup(va - K4, 0, RW, K4);

	/* 2 MiB pages: ENOMEM for the new PDPT/PD above 1 TiB */
	struct snap *s = snap_take();
	sim->fail_after = 1;
	assert_int_equal(ukarch_pt_map(&pt, 0x10000000000ULL, 0, 4 * M2, RW, 1),
			 -ENOMEM);
	sim->fail_after = -1;
	snap_check(s);
	assert_int_equal(ukarch_pt_map(&pt, 0x10000000000ULL, 0, 4 * M2, RW, 1),
			 0);

	/* allocator running dry for real */
	s = snap_take();
	assert_int_equal(
		ukarch_pt_map(&pt, 0x20000000000ULL, 0, 1000 * M2, RW, 0),
		-ENOMEM);
	snap_check(s);
}

static void test_1g_leaf(void **state)
{
	(void)state;
	/* A 1 GiB page as boot code might have made it: 3 GiB -> 1 GiB */
	const uint64_t va = 3 * G1, pa = G1;
	uint64_t pdpt;

	assert_int_equal(sim_alloc(sim, &pdpt), 0);
	raw_table(pt.root | 3)[0] = pdpt | 0x3;
	raw_table(pdpt)[3] = pa | D2M(RWX); /* a 1 GiB block */
	expect_lookup(va + 0x12345678, pa + 0x12345678, RWX, G1);
	assert_int_equal(ukarch_pt_map(&pt, va + M2, 0, K4, RW, 0), -EEXIST);
	assert_int_equal(ukarch_pt_map(&pt, va + M2, 0, M2, RW, 1), -EEXIST);

	/* protect one page in the middle: 1 GiB -> 2 MiB -> 4 KiB */
	unsigned before = sim->live;
	assert_int_equal(ukarch_pt_protect(&pt, va + 300 * M2 + 7 * K4, K4, R),
			 0);
	assert_int_equal(sim->live, before + 2);
	expect_lookup(va + 300 * M2 + 7 * K4, pa + 300 * M2 + 7 * K4, R, K4);
	expect_lookup(va + 300 * M2 + 8 * K4, pa + 300 * M2 + 8 * K4, RWX, K4);
	expect_lookup(va + 299 * M2, pa + 299 * M2, RWX, M2);
	expect_lookup(va + 301 * M2 + 5, pa + 301 * M2 + 5, RWX, M2);
	expect_lookup(va, pa, RWX, M2);
	assert_true(raw_entry(va + 5 * M2, 2) == ((pa + 5 * M2) | D2M(RWX)));

	/* split a 1 GiB page twice at once, at both ends of the range */
	uint64_t pdpt_e = raw_table(pt.root | 3)[0];
	raw_table(pdpt_e)[4] = (pa + G1) | D2M(RW);
	before = sim->live;
	assert_int_equal(ukarch_pt_unmap(&pt, va + G1 + M2 - K4, 3 * M2), 0);
	assert_int_equal(sim->live, before + 3); /* a PD and two PTs */
	expect_lookup(va + G1 + M2 - 2 * K4, pa + G1 + M2 - 2 * K4, RW, K4);
	expect_unmapped(va + G1 + M2 - K4);
	expect_unmapped(va + G1 + 3 * M2);
	expect_unmapped(va + G1 + 4 * M2 - 2 * K4);
	expect_lookup(va + G1 + 4 * M2 - K4, pa + G1 + 4 * M2 - K4, RW, K4);
	expect_lookup(va + G1 + 4 * M2, pa + G1 + 4 * M2, RW, M2);

	/* unmap everything */
	assert_int_equal(ukarch_pt_unmap(&pt, va, G1 + M2 - K4), 0);
	assert_int_equal(
		ukarch_pt_unmap(&pt, va + G1 + 4 * M2 - K4, G1 - 4 * M2 + K4),
		0);
	assert_int_equal(sim->live, 1);
}

static void test_split_keeps_bits(void **state)
{
	(void)state;
	/* foreign blocks with another memory type, not-global, the dirty
	 * bit modifier and software bits: a 1 GiB block at 1 GiB and a 2 MiB
	 * one at 2 GiB */
	const uint64_t other = UKARCH_PTE_ATTR(2) | UKARCH_PTE_NG |
			       (1ULL << 51) | (1ULL << 55) | (1ULL << 58);
	const uint64_t pat_large = 0, pat_4k = UKARCH_PTE_TABLE;
	uint64_t pdpt, pd;

	assert_int_equal(sim_alloc(sim, &pdpt), 0);
	assert_int_equal(sim_alloc(sim, &pd), 0);
	raw_table(pt.root | 3)[0] = pdpt | 3;
	raw_table(pdpt)[1] = 0x40000000 | D2M(RW) | other | pat_large;
	raw_table(pdpt)[2] = pd | 3;
	raw_table(pd)[0] = 0x80000000ULL | D2M(RW) | other | pat_large;

	/* 2 MiB -> 4 KiB: the same attributes, bit 1 set (page) */
	assert_int_equal(ukarch_pt_protect(&pt, 0x80000000ULL + K4, K4, R), 0);
	uint64_t *t = raw_table(raw_entry(0x80000000ULL, 2));
	for (int i = 0; i < 512; i++) {
		uint64_t want = (0x80000000ULL + i * K4) | other | pat_4k |
				(i == 1 ? D4K(R) : D4K(RW));
		assert_true(t[i] == want);
	}
	/* 1 GiB -> 2 MiB -> 4 KiB */
	assert_int_equal(ukarch_pt_unmap(&pt, 0x40000000 + 3 * M2, K4), 0);
	t = raw_table(raw_entry(0x40000000, 3)); /* the new PD */
	for (int i = 0; i < 512; i++)
		if (i != 3)
			assert_true(t[i] == ((0x40000000 + i * M2) | D2M(RW) |
					     other | pat_large));
	t = raw_table(raw_entry(0x40000000 + 3 * M2, 2)); /* new PT */
	for (int i = 0; i < 512; i++)
		assert_true(t[i] ==
			    (i == 0 ? 0
				    : (0x40000000 + 3 * M2 + i * K4) | D4K(RW) |
					      other | pat_4k));
}

static void test_no_free_no_flush(void **state)
{
	(void)state;
	/* free_table and flush may be NULL: tables stay, a 2 MiB page can
	 * then replace an empty page table */
	pt.ops.free_table = NULL;
	pt.ops.flush = NULL;
	assert_int_equal(ukarch_pt_map(&pt, 0x600000, 0, 3 * K4, RW, 0), 0);
	assert_int_equal(ukarch_pt_unmap(&pt, 0x600000, 3 * K4), 0);
	assert_int_equal(sim->live, 4);
	uint64_t pde = raw_entry(0x600000, 2);
	assert_true((pde & 0x3) == 0x3); /* empty table still linked */
	assert_int_equal(ukarch_pt_map(&pt, 0x600000, 8 * M2, M2, RX, 1), 0);
	expect_lookup(0x600000 + K4, 8 * M2 + K4, RX, M2);
	/* the replaced PT was only leaked, never touched again */
	assert_int_equal(ukarch_pt_protect(&pt, 0x600000, K4, R), 0);
	expect_lookup(0x600000 + K4, 8 * M2 + K4, RX, K4);
	expect_lookup(0x600000, 8 * M2, R, K4);
	/* a non-empty PT is not replaced */
	assert_int_equal(ukarch_pt_map(&pt, 0x800000, 0, K4, RW, 0), 0);
	assert_int_equal(ukarch_pt_map(&pt, 0x800000, 0, M2, RW, 1), -EEXIST);
}

static void test_replace_empty_table_freed(void **state)
{
	(void)state;
	/* with free_table, the same replacement frees the empty PT: build
	 * one by hand */
	uint64_t pdpt, pd, ptab;
	assert_int_equal(sim_alloc(sim, &pdpt), 0);
	assert_int_equal(sim_alloc(sim, &pd), 0);
	assert_int_equal(sim_alloc(sim, &ptab), 0);
	raw_table(pt.root | 3)[0] = pdpt | 3;
	raw_table(pdpt)[0] = pd | 3;
	raw_table(pd)[1] = ptab | 3;
	assert_int_equal(sim->live, 4);
	assert_int_equal(ukarch_pt_map(&pt, M2, 0, M2, RW, 1), 0);
	assert_int_equal(sim->live, 3);
	expect_lookup(M2, 0, RW, M2);
}

/* ---- randomized sequence against a shadow model ---- */

/* 8 MiB window across the 512 GiB boundary (PML4 entries 0 and 1) */
#define W_BASE	(0x8000000000ULL - 4 * M2)
#define W_PAGES 2048

struct shadow {
	bool mapped;
	bool big; /* part of a 2 MiB leaf */
	int prot;
	uint64_t pa;
};

static struct shadow shadow[W_PAGES];
static uint64_t rng = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545f4914f6cdd1dULL) >> 16;
}

static const int prots[] = {R, RW, RX, RWX};

static void check_page(unsigned i)
{
	uint64_t va = W_BASE + i * K4;

	if (!shadow[i].mapped)
		expect_unmapped(va);
	else
		expect_lookup(va, shadow[i].pa, shadow[i].prot,
			      shadow[i].big ? M2 : K4);
}

/* 2 MiB groups that [first, first + n) covers only partly become 4 KiB. */
static void shadow_split(unsigned first, unsigned n)
{
	unsigned g0 = first / 512, g1 = (first + n - 1) / 512;

	for (unsigned g = g0; g <= g1; g++) {
		bool whole = first <= g * 512 && first + n >= (g + 1) * 512;
		if (!whole)
			for (unsigned k = 0; k < 512; k++)
				shadow[g * 512 + k].big = false;
	}
}

/* Every page whose translation changed was flushed (within its old leaf). */
static void check_flushed(const struct shadow *old, unsigned first, unsigned n)
{
	for (unsigned i = first; i < first + n; i++) {
		const struct shadow *o = &old[i - first], *s = &shadow[i];
		if (o->mapped == s->mapped && o->prot == s->prot &&
		    (!o->mapped || o->pa == s->pa))
			continue;
		uint64_t va = W_BASE + i * K4;
		bool big = o->mapped ? o->big : s->big;
		uint64_t size = big ? M2 : K4;
		if (!flushed(va & ~(size - 1), size))
			fail_msg("page %#llx changed without a flush",
				 (unsigned long long)va);
	}
}

/* Pages from `first` on with shadow mapped == m. */
static unsigned run_len(unsigned first, bool m)
{
	unsigned n = 0;

	while (first + n < W_PAGES && shadow[first + n].mapped == m)
		n++;
	return n;
}

static void test_random(void **state)
{
	(void)state;
	static struct shadow old[W_PAGES];
	int counts[4][3] = {{0}};

	memset(shadow, 0, sizeof(shadow));
	for (int op = 0; op < 6000; op++) {
		/* alternate phases of filling (map 4K 40%, map 2M 20%,
		 * unmap 15%, protect 25%) and draining (10%, 10%, 55%, 25%)
		 * the window, so that tables come and go */
		bool drain = (op / 400) % 2;
		unsigned r = (unsigned)(rnd() % 20), first, n;
		unsigned kind = drain ? (r < 2	  ? 0
					 : r < 4  ? 1
					 : r < 15 ? 2
						  : 3)
				      : (r < 8	  ? 0
					 : r < 12 ? 1
					 : r < 15 ? 2
						  : 3);
		int forced = -1;
		if (op % 150 == 0) {
			/* empty a whole 2 MiB group now and then, so that
			 * page tables are freed and needed again */
			unsigned g = (unsigned)(op / 150) % 4 * 512;
			for (unsigned i = g; i < g + 512;) {
				unsigned run = run_len(i, true);
				if (i + run > g + 512)
					run = g + 512 - i;
				if (run) {
					assert_int_equal(
						ukarch_pt_unmap(&pt,
								W_BASE + i * K4,
								run * K4),
						0);
					shadow_split(i, run);
					for (unsigned k = i; k < i + run; k++)
						shadow[k].mapped = false;
				}
				i += run ? run : 1;
			}
			for (unsigned i = g; i < g + 512; i++)
				check_page(i);
			if (op % 300 == 0) {
				kind = 1; /* and try a 2 MiB page there */
				forced = (int)g;
			}
		}
		int prot = prots[rnd() % 4], want = 0, rc;
		/* make the first table allocation fail now and then (only
		 * operations that need a table notice) */
		bool inject = rnd() % 3 == 0;
		uint64_t pa;

		if (kind == 1) { /* 2 MiB map */
			first = (unsigned)(rnd() % 4) * 512;
			n = (unsigned)(1 + rnd() % 2) * 512;
			pa = (rnd() % (1ULL << 26)) * M2; /* < 2^47 */
			if (forced >= 0) {
				first = (unsigned)forced;
				n = 512;
			} else if (rnd() % 4) /* mostly aim at an empty group */
				for (unsigned g = 0; g < 4; g++) {
					unsigned c =
						(first / 512 + g) % 4 * 512;
					if (run_len(c, false) >= 512) {
						first = c;
						break;
					}
				}
		} else {
			first = (unsigned)(rnd() % W_PAGES);
			n = (unsigned)(1 + rnd() % (kind == 0 ? 64 : 700));
			pa = (rnd() % (1ULL << 35)) * K4;
			if (rnd() % 4) {
				/* mostly aim: start on a page in the state the
				 * operation needs, stay inside its run */
				bool need = kind != 0;
				for (int k = 0; k < 30; k++) {
					if (shadow[first].mapped == need)
						break;
					first = (unsigned)(rnd() % W_PAGES);
				}
				unsigned run = run_len(first, need);
				if (run && n > run)
					n = 1 + (unsigned)(rnd() % run);
				if (run && drain && kind == 2 && rnd() % 2)
					n = run;
			}
		}
		if (first + n > W_PAGES)
			n = W_PAGES - first;

		for (unsigned i = first; i < first + n; i++) {
			if (kind <= 1 && shadow[i].mapped)
				want = -EEXIST;
			if (kind >= 2 && !shadow[i].mapped)
				want = -ENOENT;
		}
		memcpy(old, &shadow[first], n * sizeof(shadow[0]));
		struct snap *s = snap_take();
		unsigned live = sim->live;
		if (inject)
			sim->fail_after = 0;
		sim->nflush = 0;

		uint64_t va = W_BASE + first * K4;
		switch (kind) {
		case 0:
			rc = ukarch_pt_map(&pt, va, pa, n * K4, prot, 0);
			break;
		case 1:
			rc = ukarch_pt_map(&pt, va, pa, n * K4, prot, 1);
			break;
		case 2:
			rc = ukarch_pt_unmap(&pt, va, n * K4);
			break;
		default:
			rc = ukarch_pt_protect(&pt, va, n * K4, prot);
			break;
		}
		sim->fail_after = -1;

		if (rc == -ENOMEM && inject && want == 0) {
			counts[kind][2]++;
			assert_int_equal(sim->live, live);
			snap_check(s);
		} else if (rc != want) {
			fail_msg("op %d kind %u [%u, +%u): rc %d want %d", op,
				 kind, first, n, rc, want);
		} else if (rc != 0) {
			counts[kind][1]++;
			snap_check(s);
		} else {
			counts[kind][0]++;
			free(s);
			for (unsigned i = first; i < first + n; i++) {
				struct shadow *p = &shadow[i];
				switch (kind) {
				case 0:
				case 1:
					p->mapped = true;
					p->big = kind == 1;
					p->prot = prot;
					p->pa = pa + (i - first) * K4;
					break;
				case 2:
					p->mapped = false;
					break;
				default:
					p->prot = prot;
					break;
				}
			}
			if (kind >= 2)
				shadow_split(first, n);
			check_flushed(old, first, n);
		}
		for (unsigned i = first; i < first + n; i++)
			check_page(i);
		if (op % 50 == 0)
			for (unsigned i = 0; i < W_PAGES; i++)
				check_page(i);
	}
	for (unsigned i = 0; i < W_PAGES; i++)
		check_page(i);
	/* every outcome happened often enough to mean something */
	for (int k = 0; k < 4; k++)
		print_message("kind %d: ok %d, refused %d, enomem %d\n", k,
			      counts[k][0], counts[k][1], counts[k][2]);
	for (int k = 0; k < 4; k++) {
		assert_true(counts[k][0] >= 20);
		assert_true(counts[k][1] >= 100);
	}
	assert_true(counts[0][2] + counts[1][2] >= 5); /* map */
	assert_true(counts[2][2] + counts[3][2] >= 5); /* split */

	/* unmap what is left, run by run: only the PML4 remains */
	for (unsigned i = 0; i < W_PAGES;) {
		unsigned j = i;
		while (j < W_PAGES && shadow[j].mapped)
			j++;
		if (j > i)
			assert_int_equal(ukarch_pt_unmap(&pt, W_BASE + i * K4,
							 (j - i) * K4),
					 0);
		i = j + 1;
	}
	for (unsigned i = 0; i < W_PAGES; i++)
		expect_unmapped(W_BASE + i * K4);
	assert_int_equal(sim->live, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_4k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_protect, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_split_unmap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eexist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enomem_rollback, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_1g_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_keeps_bits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_free_no_flush, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_replace_empty_table_freed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_random, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
