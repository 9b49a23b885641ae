/* Native allocator benchmark for `./unikit bench alloc`: the same mixed
 * workload against each unikit backend and against the host's glibc malloc,
 * in one process, one after the other.
 *
 * Workload: 8192 slots; each step picks a slot at random; an empty slot gets
 * a new block, a full one is freed (long-lived slots, 1 in 8, are replaced
 * only one time in 16). Sizes: 70% 16-128 B, 20% 128 B-1 KiB, 8% 1-8 KiB,
 * 2% 8-64 KiB. Each new block is written to (first and last byte).
 *
 * Overhead, the same for every backend and for glibc: the memory the
 * allocator holds - the resident pages (mincore) between the lowest block
 * start and the highest block end it has handed out, i.e. what of the heap
 * (or, for glibc, of the memory it got from the system) it has touched and
 * kept - at the peak of live bytes, minus the live bytes, over the live
 * bytes. In these measuring runs every page of every block is written, so
 * live data is resident; headers, rounding and freed holes that stay
 * resident count; untouched memory (glibc's top, the rest of a unikit heap)
 * does not. The peak is sampled whenever live bytes grow by 1% past the
 * last sample. Each measuring run comes first, on fresh memory.
 * Fragmentation, separately: at the end of the workload (steady state, not
 * the peak), the share of the resident memory which is not live data.
 * Output: `bench: alloc.<name>.<metric> VALUE UNIT` lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <uk/alloc.h>
#include <uk/allocbuddy.h>
#include <uk/allocregion.h>
#include <uk/alloctlsf.h>

#define SLOTS 8192
#define HEAP  (1ul << 30)

struct slot {
	void *p;
	size_t size;
};

static uint64_t rng;
static uint32_t rnd(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng >> 33);
}

static size_t pick_size(void)
{
	uint32_t r = rnd() % 100;
	if (r < 70)
		return 16 + rnd() % 113;
	if (r < 90)
		return 128 + rnd() % 897;
	if (r < 98)
		return 1024 + rnd() % 7169;
	return 8192 + rnd() % 57345;
}

struct ops {
	const char *name;
	void *(*alloc)(size_t);
	void (*free)(void *);
};

static struct uk_alloc *cur;
static void *u_alloc(size_t n)
{
	return uk_malloc(cur, n);
}
static void u_free(void *p)
{
	uk_free(cur, p);
}

struct figures {
	double overhead_pct;	  /* (held - live) / live at the peak */
	double fragmentation_pct; /* (held - live) / held at the end */
};

/* Bytes of resident pages in [lo, hi); pages no longer mapped (glibc
 * trims its heap's top) hold nothing. */
static size_t resident(uintptr_t lo, uintptr_t hi)
{
	static unsigned char vec[256];
	uintptr_t a = lo & ~(uintptr_t)4095;
	size_t n = 0;

	for (; a < hi; a += sizeof(vec) << 12) {
		size_t pages = (hi - a + 4095) >> 12;
		if (pages > sizeof(vec))
			pages = sizeof(vec);
		if (!mincore((void *)a, pages << 12, vec)) {
			for (size_t i = 0; i < pages; i++)
				n += vec[i] & 1;
			continue;
		}
		if (errno != ENOMEM) {
			fprintf(stderr, "mincore: %s\n", strerror(errno));
			exit(1);
		}
		for (size_t i = 0; i < pages; i++) /* some page unmapped */
			if (!mincore((void *)(a + (i << 12)), 4096, vec))
				n += vec[0] & 1;
	}
	return n << 12;
}

/* Returns ops/s; with `measure` (slower: it tracks the span), also the
 * overhead and fragmentation. */
static double run(const struct ops *o, long steps, int measure,
		  struct figures *f)
{
	static struct slot s[SLOTS];
	size_t live = 0, peak_live = 0, peak_held = 0, sampled = 0;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	struct timespec t0, t1;

	memset(s, 0, sizeof(s));
	rng = 12345;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < steps; i++) {
		uint32_t k = rnd() % SLOTS;
		if (s[k].p) {
			if ((k & 7) == 0 && rnd() % 16)
				continue; /* long-lived */
			o->free(s[k].p);
			live -= s[k].size;
			s[k].p = NULL;
		} else {
			size_t n = pick_size();
			char *p = o->alloc(n);
			if (!p) {
				fprintf(stderr, "%s: out of memory\n", o->name);
				exit(1);
			}
			p[0] = 1;
			p[n - 1] = 2;
			s[k].p = p;
			s[k].size = n;
			live += n;
			if (measure) {
				/* live data resident: every page written */
				for (size_t off = 4096; off < n; off += 4096)
					p[off] = 3;
				if ((uintptr_t)p < lo)
					lo = (uintptr_t)p;
				if ((uintptr_t)p + n > hi)
					hi = (uintptr_t)p + n;
				if (live > sampled + sampled / 100) {
					sampled = live;
					peak_live = live;
					peak_held = resident(lo, hi);
				}
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	size_t held = measure ? resident(lo, hi) : 0; /* before the frees */
	for (int k = 0; k < SLOTS; k++)
		if (s[k].p)
			o->free(s[k].p);
	if (measure) {
		f->overhead_pct = 100.0 *
				  ((double)peak_held - (double)peak_live) /
				  (double)peak_live;
		f->fragmentation_pct =
			100.0 * ((double)held - (double)live) / (double)held;
	}
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return (double)steps / secs;
}

int main(int argc, char **argv)
{
	long steps = argc > 1 ? atol(argv[1]) : 20000000;
	int reps = 3;
	struct {
		const char *name;
		struct uk_alloc *(*init)(void *, size_t);
	} backends[] = {{"tlsf", uk_alloctlsf_init},
			{"buddy", uk_allocbuddy_init},
			{"region", uk_allocregion_init}};
	void *heap = mmap(NULL, HEAP, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (heap == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	struct ops glibc = {"glibc", malloc, free};
	struct ops uk = {NULL, u_alloc, u_free};
	double g_best = 0, best[3] = {0};
	struct figures g_fig, fig[3];

	/* the measuring runs first, each on fresh memory (glibc's arena is
	 * still unused: nothing before allocated much) */
	run(&glibc, steps / 4, 1, &g_fig);
	for (int b = 0; b < 3; b++) {
		long n = strcmp(backends[b].name, "region") ? steps / 4
							    : steps / 20;
		cur = backends[b].init(heap, HEAP);
		uk.name = backends[b].name;
		run(&uk, n, 1, &fig[b]);
		madvise(heap, HEAP, MADV_DONTNEED);
	}
	/* throughput: interleave glibc, each backend, glibc, ... best of
	 * `reps` */
	for (int r = 0; r < reps; r++) {
		double v = run(&glibc, steps, 0, NULL);
		if (v > g_best)
			g_best = v;
		for (int b = 0; b < 3; b++) {
			/* a fresh heap each time; region never reclaims, so it
			 * gets fewer steps (its heap would run out) */
			long n = strcmp(backends[b].name, "region")
					 ? steps
					 : steps / 20;
			cur = backends[b].init(heap, HEAP);
			uk.name = backends[b].name;
			v = run(&uk, n, 0, NULL);
			if (v > best[b])
				best[b] = v;
			madvise(heap, HEAP, MADV_DONTNEED);
		}
	}
	printf("bench: alloc.glibc.ops_per_s %.0f ops/s\n", g_best);
	printf("bench: alloc.glibc.overhead_pct %.1f %%\n", g_fig.overhead_pct);
	printf("bench: alloc.glibc.fragmentation_pct %.1f %%\n",
	       g_fig.fragmentation_pct);
	for (int b = 0; b < 3; b++) {
		printf("bench: alloc.%s.ops_per_s %.0f ops/s\n",
		       backends[b].name, best[b]);
		printf("bench: alloc.%s.vs_glibc %.3f x\n", backends[b].name,
		       best[b] / g_best);
		printf("bench: alloc.%s.overhead_pct %.1f %%\n",
		       backends[b].name, fig[b].overhead_pct);
		printf("bench: alloc.%s.fragmentation_pct %.1f %%\n",
		       backends[b].name, fig[b].fragmentation_pct);
	}
	return 0;
}
