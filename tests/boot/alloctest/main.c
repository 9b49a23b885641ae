/* Boot test app for the allocators: allocate until the heap is exhausted,
 * free everything, allocate again; both rounds must reach the same total
 * (allocators that never reclaim, like region, must say so and get nothing).
 * Usage: alloctest [SIZE]   (default: a mix of sizes) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>

struct blk {
	struct blk *next;
	size_t size;
};

static size_t pick(unsigned long *seed, size_t fixed)
{
	if (fixed)
		return fixed;
	*seed = *seed * 6364136223846793005ul + 1442695040888963407ul;
	/* mostly small, sometimes up to 64 KiB */
	unsigned r = (unsigned)(*seed >> 33);
	return (r & 7) ? 16 + r % 1024 : 4096 + r % 61440;
}

/* Allocate until NULL; returns the number of blocks, adds their bytes. */
static size_t round_trip(struct blk **head, size_t fixed, size_t *bytes)
{
	unsigned long seed = 42;
	size_t n = 0;

	*bytes = 0;
	for (;;) {
		size_t sz = pick(&seed, fixed);
		struct blk *b = malloc(sz);
		if (!b)
			break;
		b->next = *head;
		b->size = sz;
		memset(b + 1, (int)(n & 0xff), sz - sizeof(*b));
		*head = b;
		*bytes += sz;
		n++;
	}
	return n;
}

static int free_all(struct blk *head)
{
	size_t n = 0;

	while (head) {
		struct blk *next = head->next;
		const unsigned char *p = (const unsigned char *)(head + 1);
		for (size_t i = 0; i < head->size - sizeof(*head); i += 61)
			if (p[i] != p[0]) {
				printf("alloctest: block %p corrupted\n",
				       (void *)head);
				return -1;
			}
		free(head);
		head = next;
		n++;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t fixed = argc > 1 ? (size_t)strtoul(argv[1], NULL, 0) : 0;
	struct uk_alloc_stats st, st0;
	struct blk *head = NULL;
	size_t b1, b2;

	if (!a) {
		printf("alloctest: no default allocator\n");
		return 1;
	}
	if (fixed && fixed < sizeof(struct blk))
		fixed = sizeof(struct blk);
	printf("alloctest: allocator %s, %zu bytes available\n", a->name,
	       uk_alloc_availmem(a));
	/* what the libc and its libraries keep for good (musl images:
	 * fdtab's table) is not ours to balance */
	uk_alloc_stats_get(a, &st0);
	size_t n1 = round_trip(&head, fixed, &b1);
	uk_alloc_stats_get(a, &st);
	printf("alloctest: round 1: %zu blocks, %zu bytes, %lu failures\n", n1,
	       b1, (unsigned long)st.nb_failures);
	size_t left1 = uk_alloc_availmem(a);
	if (n1 == 0 || free_all(head) < 0)
		return 1;
	size_t left1_freed = uk_alloc_availmem(a);
	head = NULL;
	size_t n2 = round_trip(&head, fixed, &b2);
	printf("alloctest: round 2: %zu blocks, %zu bytes\n", n2, b2);
	if (free_all(head) < 0)
		return 1;
	uk_alloc_stats_get(a, &st);
	printf("alloctest: stats: allocs %lu frees %lu failures %lu cur %zu "
	       "peak %zu\n",
	       (unsigned long)st.nb_allocs, (unsigned long)st.nb_frees,
	       (unsigned long)st.nb_failures, st.cur_bytes, st.peak_bytes);
	if (!strcmp(a->name, "region")) {
		/* free() gives nothing back: round 2 only gets what round 1
		 * left over (blocks smaller than the one that failed) */
		int ok = left1_freed == left1 && b2 <= left1;
		printf("alloctest: region never reclaims: %zu bytes free "
		       "before "
		       "and after freeing everything, round 2 got %zu: %s\n",
		       left1, b2, ok ? "as expected" : "FAIL");
		return ok ? 0 : 1;
	}
	if (n1 != n2 || b1 != b2) {
		printf("alloctest: FAIL: rounds differ\n");
		return 1;
	}
	if (st.cur_bytes != st0.cur_bytes ||
	    st.nb_allocs - st0.nb_allocs != st.nb_frees - st0.nb_frees) {
		printf("alloctest: FAIL: statistics do not balance\n");
		return 1;
	}
	printf("alloctest: OK, same total in both rounds\n");
	return 0;
}
