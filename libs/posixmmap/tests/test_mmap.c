/* Native tests of posixmmap: Linux's error cases, file mappings, brk, and
 * random sequences of calls against a shadow model of the pages. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <uk/alloc.h>
#include <uk/mmap.h>
#include <uk/syscall.h>

#define PG	      4096UL
#define R	      1
#define W	      2
#define X	      4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANON      0x20
#define MAP_NOREPLACE 0x100000
#define PA	      (MAP_PRIVATE | MAP_ANON)

/* ---- doubles ---- */
void uk_printk(int level, const char *lib, const char *fmt, ...)
{
	(void)level, (void)lib, (void)fmt;
}

struct alloc_rec {
	uintptr_t base;
	size_t n;
	uint8_t *perm; /* each page's real permission (double of the MMU) */
};
static struct alloc_rec allocs[4096];
static int nallocs;
static size_t palloc_limit = 1 << 20; /* pages per request */
static struct uk_alloc fake;

struct uk_alloc *uk_alloc_get_default(void)
{
	return &fake;
}

/* ukplat_page_protect fails with -ENOMEM on call number protect_fail_at
 * (counting from 1) after it is set, once; protect_failed says it did */
static int protect_fail_at, protect_calls, protect_failed;

static void arm_fail(int at)
{
	protect_fail_at = at;
	protect_calls = 0;
	protect_failed = 0;
}

void *uk_palloc(struct uk_alloc *a, size_t n)
{
	void *p;
	assert_ptr_equal(a, &fake);
	if (n > palloc_limit || nallocs == 4096)
		return NULL;
	p = aligned_alloc(PG, n * PG);
	memset(p, 0xee, n * PG); /* dirty: mmap must zero */
	allocs[nallocs].base = (uintptr_t)p;
	allocs[nallocs].perm = malloc(n);
	assert_non_null(allocs[nallocs].perm);
	memset(allocs[nallocs].perm, R | W, n);
	allocs[nallocs++].n = n;
	return p;
}

void uk_pfree(struct uk_alloc *a, void *p, size_t n)
{
	assert_ptr_equal(a, &fake);
	for (int i = 0; i < nallocs; i++) {
		if (allocs[i].base != (uintptr_t)p)
			continue;
		assert_int_equal(allocs[i].n, n);
		for (size_t k = 0; k < n; k++) /* back read/write only */
			assert_int_equal(allocs[i].perm[k], R | W);
		free(allocs[i].perm);
		allocs[i] = allocs[--nallocs];
		free(p);
		return;
	}
	fail_msg("pfree of %p: not allocated", p);
}

static int owned(uintptr_t p)
{
	for (int i = 0; i < nallocs; i++)
		if (p >= allocs[i].base &&
		    p < allocs[i].base + allocs[i].n * PG)
			return i;
	return -1;
}

static int perm_of(uintptr_t a)
{
	int i = owned(a);

	assert_true(i >= 0);
	return allocs[i].perm[(a - allocs[i].base) / PG];
}

/* memory the allocator gave out; anything else is "the image": -EINVAL */
int ukplat_page_protect(void *addr, unsigned long len, int prot)
{
	uintptr_t p = (uintptr_t)addr;
	int i = owned(p);

	assert_int_equal(p % PG, 0);
	assert_int_equal(len % PG, 0);
	assert_true(len > 0);
	assert_int_equal(prot & ~(R | W | X), 0);
	/* posixmmap refuses W^X itself */
	assert_false((prot & W) && (prot & X));
	if (i < 0 || len > allocs[i].base + allocs[i].n * PG - p)
		return -EINVAL;
	if (protect_fail_at && ++protect_calls == protect_fail_at) {
		protect_fail_at = 0;
		protect_failed = 1;
		return -ENOMEM; /* nothing changed */
	}
	memset(allocs[i].perm + (p - allocs[i].base) / PG, prot, len / PG);
	return 0;
}

/* a 10000-byte file at fd 5 (short reads), a directory at fd 6 */
static uint8_t file[10000];
UK_SYSCALL_R_DEFINE(ssize_t, pread64, int, fd, void *, buf, size_t, len, long,
		    off)
{
	if (fd == 6)
		return -EISDIR;
	if (fd != 5)
		return -EBADF;
	if (off < 0)
		return -EINVAL;
	if ((size_t)off >= sizeof(file))
		return 0;
	if (len > sizeof(file) - (size_t)off)
		len = sizeof(file) - (size_t)off;
	if (len > 3000)
		len = 3000;
	memcpy(buf, file + off, len);
	return (ssize_t)len;
}

static long mm(uintptr_t a, size_t l, int p, int f, int fd, long off)
{
	return uk_syscall_call(mmap, a, l, p, f, fd, off);
}

static void unmap_all(void);
static void get_regs(void);
struct reg {
	uintptr_t s, e;
	int prot, flags;
};
static struct reg regs[4096];
static int nregs;

static void test_errors(void **state)
{
	(void)state;
	long a;

	assert_int_equal(mm(0, 0, R, PA, -1, 0), -EINVAL);
	assert_int_equal(mm(0, PG, R, PA, -1, 1), -EINVAL);
	assert_int_equal(mm(0, PG, R, MAP_ANON, -1, 0), -EINVAL); /* no type */
	assert_int_equal(mm(0, PG, R, MAP_PRIVATE, -1, 0), -EBADF);
	assert_int_equal(mm(0, PG, R, MAP_PRIVATE, 9, 0), -EBADF);
	assert_int_equal(mm(0, 0, R, MAP_PRIVATE, -1, 0), -EBADF);
	assert_int_equal(mm(0, PG, R, 0x03 | MAP_ANON | 0x200, -1, 0),
			 -EOPNOTSUPP);
	assert_true(mm(0, PG, R, 0x03 | MAP_ANON, -1, 0) > 0);
	assert_int_equal(mm(0, (size_t)-1, R, PA, -1, 0), -ENOMEM);
	assert_int_equal(mm(0x1001, PG, R, PA | MAP_FIXED, -1, 0), -EINVAL);
	assert_int_equal(mm(0x10000, PG, R, PA | MAP_FIXED, -1, 0), -ENOMEM);
	palloc_limit = 4;
	assert_int_equal(mm(0, 5 * PG, R, PA, -1, 0), -ENOMEM);
	palloc_limit = 1 << 20;
	assert_int_equal(mm(0, PG, R | W, MAP_SHARED, 5, 0), -ENODEV);
	assert_int_equal(mm(0, PG, R, MAP_PRIVATE, 6, 0), -ENODEV);

	a = mm(0, 3 * PG, R | W, PA, -1, 0);
	assert_true(a > 0 && a % PG == 0);
	assert_int_equal(uk_syscall_call(munmap, a + 1, PG), -EINVAL);
	assert_int_equal(uk_syscall_call(munmap, a, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(munmap, 0x5000, PG), 0); /* unmapped */
	assert_int_equal(uk_syscall_call(mprotect, a + 1, PG, R), -EINVAL);
	assert_int_equal(uk_syscall_call(mprotect, a, PG, 0x10), -EINVAL);
	assert_int_equal(uk_syscall_call(mprotect, a, 0, R), 0);
	/* memory outside every mapping is the image's: accepted */
	assert_int_equal(uk_syscall_call(mprotect, a, 4 * PG, R), 0);
	assert_int_equal(uk_syscall_call(mprotect, a, 3 * PG - 5, R), 0);
	assert_int_equal(
		uk_syscall_call(mprotect, a, PG, R | 0x01000000 | 0x02000000),
		-EINVAL);
	assert_int_equal(uk_syscall_call(madvise, a + 1, PG, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(madvise, a, PG, 77), -EINVAL);
	assert_int_equal(uk_syscall_call(madvise, a, PG, 0), 0);
	assert_int_equal(uk_syscall_call(madvise, a, 9 * PG, 0), 0);
	assert_int_equal(uk_syscall_call(madvise, a, 0, 0), 0);
	assert_int_equal(uk_syscall_call(msync, a, PG, 4), 0);
	assert_int_equal(uk_syscall_call(msync, a, PG, 5), -EINVAL);
	assert_int_equal(uk_syscall_call(msync, a, PG, 8), -EINVAL);
	assert_int_equal(uk_syscall_call(msync, a + 8, PG, 4), -EINVAL);
	assert_int_equal(uk_syscall_call(msync, a, 5 * PG, 4), 0);
	/* residency: locks succeed on mapped memory, mincore says resident */
	{
		unsigned char vec[4] = {9, 9, 9, 9};

		assert_int_equal(uk_syscall_call(mlock, a + 5, PG), 0);
		assert_int_equal(uk_syscall_call(munlock, a, 3 * PG), 0);
		assert_int_equal(uk_syscall_call(mlock2, a, PG, 1), 0);
		assert_int_equal(uk_syscall_call(mlock2, a, PG, 2), -EINVAL);
		assert_int_equal(uk_syscall_call(mlock, a, ~(size_t)0),
				 -ENOMEM);
		assert_int_equal(uk_syscall_call(mlockall, 3), 0);
		assert_int_equal(uk_syscall_call(mlockall, 0), -EINVAL);
		assert_int_equal(uk_syscall_call(mlockall, 4), -EINVAL);
		assert_int_equal(uk_syscall_call(mlockall, 9), -EINVAL);
		assert_int_equal(uk_syscall_call(munlockall), 0);
		assert_int_equal(uk_syscall_call(mincore, a, 3 * PG - 1, vec),
				 0);
		assert_memory_equal(vec, "\1\1\1\x09", 4); /* 3 pages */
		assert_int_equal(uk_syscall_call(mincore, a + 1, PG, vec),
				 -EINVAL);
		assert_int_equal(uk_syscall_call(mincore, a, PG, NULL),
				 -EFAULT);
	}
	/* a hole in a block is unmapped */
	assert_int_equal(uk_syscall_call(munmap, a + PG, PG), 0);
	assert_int_equal(uk_syscall_call(mprotect, a, 3 * PG, R), -ENOMEM);
	assert_int_equal(uk_syscall_call(madvise, a, 2 * PG, 0), -ENOMEM);
	assert_int_equal(uk_syscall_call(msync, a + PG, PG, 4), -ENOMEM);
	assert_int_equal(uk_syscall_call(mlock, a, 2 * PG), -ENOMEM);
	assert_int_equal(uk_syscall_call(munlock, a + PG, 1), -ENOMEM);
	{
		unsigned char v[3];

		assert_int_equal(uk_syscall_call(mincore, a, 3 * PG, v),
				 -ENOMEM);
	}
	assert_int_equal(uk_syscall_call(mprotect, a + 2 * PG, PG, R), 0);
	static char image_mem[3 * 4096];
	assert_int_equal(
		uk_syscall_call(mprotect,
				((uintptr_t)image_mem + PG - 1) & ~(PG - 1), PG,
				R),
		0);
	assert_int_equal(uk_syscall_call(mremap, a, PG, 0, 1, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(mremap, a + 1, PG, PG, 1, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(mremap, a, PG, PG, 8, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(mremap, a, PG, PG, 2, 0), -EINVAL);
	assert_int_equal(uk_syscall_call(mremap, a, PG, 2 * PG, 5, 0),
			 -EINVAL); /* DONTUNMAP needs equal sizes */
	assert_int_equal(uk_syscall_call(mremap, 0x5000, PG, PG, 1, 0),
			 -EFAULT);
	assert_int_equal(uk_syscall_call(mremap, a, 4 * PG, 5 * PG, 1, 0),
			 -EFAULT);
	/* MAP_FIXED_NOREPLACE over a mapping */
	assert_int_equal(mm(a, PG, R, PA | MAP_NOREPLACE, -1, 0), -EEXIST);
	unmap_all();
}

static void test_anon_fixed(void **state)
{
	(void)state;
	/* reserve 8 pages PROT_NONE, commit the middle, as musl's
	 * pthread_create and many runtimes do */
	long a = mm(0, 8 * PG, 0, PA, -1, 0), b;
	uint8_t *p = (uint8_t *)a;

	assert_true(a > 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(perm_of(a + i * PG), 0);
	assert_int_equal(uk_syscall_call(mprotect, a + PG, 6 * PG, R | W), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(perm_of(a + i * PG), i && i < 7 ? R | W : 0);
	for (size_t i = PG; i < 7 * PG; i++)
		assert_int_equal(p[i], 0);
	memset(p + PG, 0x11, 6 * PG);
	/* MAP_FIXED over part of it: zeroed again */
	b = mm(a + 2 * PG, 2 * PG, R | W, PA | MAP_FIXED, -1, 0);
	assert_int_equal(b, a + 2 * PG);
	assert_int_equal(p[2 * PG], 0);
	assert_int_equal(p[PG], 0x11);
	/* partial unmap splits; the block survives until the last page */
	assert_int_equal(uk_syscall_call(munmap, a + 3 * PG, 2 * PG), 0);
	assert_int_equal(nallocs, 1);
	/* NOREPLACE into the hole works, over a mapping does not */
	assert_int_equal(mm(a + 3 * PG, PG, R, PA | MAP_NOREPLACE, -1, 0),
			 a + 3 * PG);
	assert_int_equal(mm(a + 3 * PG, 2 * PG, R, PA | MAP_NOREPLACE, -1, 0),
			 -EEXIST);
	/* beyond the block: not ours */
	assert_int_equal(mm(a + 7 * PG, 2 * PG, R, PA | MAP_FIXED, -1, 0),
			 -ENOMEM);
	assert_int_equal(uk_syscall_call(munmap, a, 8 * PG), 0);
	assert_int_equal(nallocs, 0);
	assert_int_equal(uk_mmap_iter(NULL, NULL), 0);

	/* platform out of page tables: -ENOMEM, nothing mapped */
	arm_fail(1);
	assert_int_equal(mm(0, 2 * PG, 0, PA, -1, 0), -ENOMEM);
	assert_true(protect_failed);
	assert_int_equal(nallocs, 0);
	/* large PROT_NONE: inaccessible too, no size limit */
	a = mm(0, 64 * PG, 0, PA, -1, 0);
	for (int i = 0; i < 64; i++)
		assert_int_equal(perm_of(a + i * PG), 0);
	assert_int_equal(uk_syscall_call(munmap, a, 1 << 30), 0);
	assert_int_equal(nallocs, 0);
}

static void test_protect(void **state)
{
	(void)state;
	long a = mm(0, 4 * PG, R | W, PA, -1, 0);

	/* W^X: refused by mmap and mprotect */
	assert_int_equal(mm(0, PG, R | W | X, PA, -1, 0), -EACCES);
	assert_int_equal(mm(0, PG, W | X, PA, -1, 0), -EACCES);
	assert_int_equal(uk_syscall_call(mprotect, a, PG, W | X), -EACCES);
	assert_int_equal(perm_of(a), R | W);
	/* read-only, exec, none: real */
	assert_int_equal(uk_syscall_call(mprotect, a, PG, R), 0);
	assert_int_equal(uk_syscall_call(mprotect, a + PG, PG, R | X), 0);
	assert_int_equal(uk_syscall_call(mprotect, a + 2 * PG, PG, 0), 0);
	assert_int_equal(perm_of(a), R);
	assert_int_equal(perm_of(a + PG), R | X);
	assert_int_equal(perm_of(a + 2 * PG), 0);
	assert_int_equal(perm_of(a + 3 * PG), R | W);
	/* a failure at any step: -ENOMEM, every page as before */
	for (int at = 1; at <= 3; at++) { /* 3 regions change */
		arm_fail(at);
		assert_int_equal(uk_syscall_call(mprotect, a, 4 * PG, R),
				 -ENOMEM);
		assert_true(protect_failed);
		assert_int_equal(perm_of(a), R);
		assert_int_equal(perm_of(a + PG), R | X);
		assert_int_equal(perm_of(a + 2 * PG), 0);
		assert_int_equal(perm_of(a + 3 * PG), R | W);
		get_regs();
		assert_int_equal(nregs, 4);
	}
	arm_fail(0);
	/* MADV_DONTNEED zeroes protected private pages too */
	assert_int_equal(uk_syscall_call(mprotect, a + 3 * PG, PG, R), 0);
	assert_int_equal(uk_syscall_call(madvise, a, 4 * PG, 4), 0);
	assert_int_equal(perm_of(a + 2 * PG), 0);
	assert_int_equal(perm_of(a + 3 * PG), R);
	/* mremap of a protected region copies it and keeps its protection */
	long b = uk_syscall_call(mremap, a + 2 * PG, PG, 3 * PG, 1, 0);
	assert_true(b > 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(perm_of(b + i * PG), 0);
	/* a file mapped read-only */
	a = mm(0, PG, R, MAP_PRIVATE, 5, 0);
	assert_int_equal(perm_of(a), R);
	unmap_all();
	assert_int_equal(nallocs, 0);

	/* memory posixmmap did not map: an ELF segment the loader took
	 * from the allocator gets real permissions; the image (not from the
	 * allocator) is accepted and left alone */
	uint8_t *seg = uk_palloc(uk_alloc_get_default(), 3);
	assert_int_equal(uk_syscall_call(mprotect, seg, 2 * PG, R | X), 0);
	assert_int_equal(perm_of((uintptr_t)seg), R | X);
	assert_int_equal(perm_of((uintptr_t)seg + PG), R | X);
	assert_int_equal(perm_of((uintptr_t)seg + 2 * PG), R | W);
	assert_int_equal(uk_syscall_call(mprotect, seg, 2 * PG, R | W | X),
			 -EACCES);
	arm_fail(1);
	assert_int_equal(uk_syscall_call(mprotect, seg, 2 * PG, R), -ENOMEM);
	assert_int_equal(perm_of((uintptr_t)seg), R | X);
	assert_int_equal(uk_syscall_call(mprotect, seg, 3 * PG, R | W), 0);
	uk_pfree(uk_alloc_get_default(), seg, 3);
	static char image[2 * 4096];
	assert_int_equal(
		uk_syscall_call(mprotect,
				((uintptr_t)image + PG - 1) & ~(PG - 1), PG,
				R | X),
		0);

	/* a page that cannot be made read/write again: its block is kept
	 * from the allocator */
	a = mm(0, 2 * PG, R, PA, -1, 0);
	arm_fail(1);
	assert_int_equal(uk_syscall_call(munmap, a, 2 * PG), 0);
	assert_true(protect_failed);
	assert_int_equal(uk_mmap_iter(NULL, NULL), 0);
	assert_int_equal(nallocs, 1); /* leaked, on purpose */
	memset(allocs[0].perm, R | W, allocs[0].n);
	uk_pfree(uk_alloc_get_default(), (void *)allocs[0].base, allocs[0].n);
}

static void test_file(void **state)
{
	(void)state;
	long a;
	uint8_t *p;

	for (size_t i = 0; i < sizeof(file); i++)
		file[i] = (uint8_t)(i * 7 + 3);
	a = mm(0, 3 * PG, R, MAP_PRIVATE, 5, 0);
	assert_true(a > 0);
	p = (uint8_t *)a;
	assert_memory_equal(p, file, sizeof(file));
	for (size_t i = sizeof(file); i < 3 * PG; i++)
		assert_int_equal(p[i], 0);
	uk_syscall_call(munmap, a, 3 * PG);
	/* offset, past the end, shared read-only */
	a = mm(0, PG, R, MAP_SHARED, 5, 2 * PG);
	p = (uint8_t *)a;
	assert_memory_equal(p, file + 2 * PG, sizeof(file) - 2 * PG);
	assert_int_equal(p[sizeof(file) - 2 * PG], 0);
	uk_syscall_call(munmap, a, PG);
	a = mm(0, PG, R, MAP_PRIVATE, 5, 4 * PG);
	assert_int_equal(((uint8_t *)a)[0], 0);
	uk_syscall_call(munmap, a, PG);
	assert_int_equal(mm(0, PG, R, MAP_PRIVATE, 5, -PG), -EOVERFLOW);
	assert_int_equal(nallocs, 0);
}

static void test_mremap(void **state)
{
	(void)state;
	long a = mm(0, 2 * PG, R | W, PA, -1, 0), b;
	uint8_t *p = (uint8_t *)a;

	memset(p, 0x5a, 2 * PG);
	/* without MAYMOVE the neighbour is not ours: -ENOMEM */
	assert_int_equal(uk_syscall_call(mremap, a, 2 * PG, 3 * PG, 0, 0),
			 -ENOMEM);
	b = uk_syscall_call(mremap, a, 2 * PG, 5 * PG, 1, 0);
	assert_true(b > 0 && b != a);
	p = (uint8_t *)b;
	assert_int_equal(p[2 * PG - 1], 0x5a);
	assert_int_equal(p[2 * PG], 0);
	assert_int_equal(p[5 * PG - 1], 0);
	/* shrink in place, then grow in place into the freed tail */
	assert_int_equal(uk_syscall_call(mremap, b, 5 * PG, PG, 0, 0), b);
	p[PG - 1] = 1;
	assert_int_equal(uk_syscall_call(mremap, b, PG, 3 * PG, 0, 0), b);
	assert_int_equal(p[PG - 1], 1);
	assert_int_equal(p[PG], 0); /* zeroed again */
	assert_int_equal(uk_syscall_call(mremap, b, 3 * PG, 3 * PG, 0, 0), b);
	assert_int_equal(uk_mmap_iter(NULL, NULL), 1);
	/* MREMAP_FIXED into a reservation, DONTUNMAP */
	long res = mm(0, 16 * PG, 0, PA, -1, 0), c;
	p[0] = 42;
	assert_int_equal(uk_syscall_call(mremap, b, 3 * PG, 3 * PG, 3, res + 1),
			 -EINVAL);
	assert_int_equal(uk_syscall_call(mremap, b, 3 * PG, 3 * PG, 3, b + PG),
			 -EINVAL); /* overlaps */
	assert_int_equal(
		uk_syscall_call(mremap, b, 3 * PG, 3 * PG, 3, res + 15 * PG),
		-ENOMEM); /* past the reservation */
	c = uk_syscall_call(mremap, b, 3 * PG, 4 * PG, 3, res + 4 * PG);
	assert_int_equal(c, res + 4 * PG);
	assert_int_equal(((uint8_t *)c)[0], 42);
	assert_int_equal(((uint8_t *)c)[PG - 1], 1);
	assert_int_equal(((uint8_t *)c)[3 * PG], 0);
	get_regs();
	assert_int_equal(nregs, 3); /* none, rw, none */
	assert_int_equal(regs[1].prot, R | W);
	b = c;
	p = (uint8_t *)b;
	c = uk_syscall_call(mremap, b, 4 * PG, 4 * PG, 5, 0);
	assert_true(c > 0 && c != b);
	assert_int_equal(((uint8_t *)c)[0], 42);
	assert_int_equal(p[0], 0); /* the old range stays, empty */
	get_regs();
	assert_int_equal(nregs, 4);
	unmap_all();
	b = mm(0, 3 * PG, R | W, PA, -1, 0);
	p = (uint8_t *)b;
	/* DONTNEED zeroes private pages */
	p[5] = 9;
	assert_int_equal(uk_syscall_call(madvise, b, PG, 4), 0);
	assert_int_equal(p[5], 0);
	unmap_all();
	assert_int_equal(nallocs, 0);
}

static void test_brk(void **state)
{
	(void)state;
	long base = uk_syscall_call(brk, 0);
	uint8_t *p = (uint8_t *)base;

	assert_true(base > 0);
	assert_int_equal(uk_syscall_call(brk, 0), base);
	assert_int_equal(uk_syscall_call(brk, base + 100), base + 100);
	p[99] = 7;
	assert_int_equal(uk_syscall_call(brk, base + 65536), base + 65536);
	assert_int_equal(p[100], 0);
	assert_int_equal(p[65535], 0);
	/* past the area: the old break comes back */
	assert_int_equal(uk_syscall_call(brk, base + 65537), base + 65536);
	assert_int_equal(uk_syscall_call(brk, base - 1), base + 65536);
	/* shrink, grow again: zeros */
	p[50] = 3;
	assert_int_equal(uk_syscall_call(brk, base + 10), base + 10);
	assert_int_equal(uk_syscall_call(brk, base + 60), base + 60);
	assert_int_equal(p[50], 0);
	assert_int_equal(uk_syscall_call(brk, base), base);
}

/* spaces per process: what each maps is its own, a release gives back all
 * of it (blocks and the brk area) */
static void test_spaces(void **state)
{
	(void)state;
	struct uk_mmap_space *s = uk_mmap_space_new();
	int before = nallocs;
	long a, b, base;

	assert_non_null(s);
	a = mm(0, 3 * PG, 3, 0x22, -1, 0);
	assert_true(a > 0);
	size_t mine = uk_mmap_iter(NULL, NULL);
	uk_mmap_space_switch(s);
	assert_int_equal(uk_mmap_iter(NULL, NULL), 0);
	b = mm(0, 2 * PG, 3, 0x22, -1, 0);
	assert_true(b > 0);
	base = uk_syscall_call(brk, 0);
	assert_true(base > 0);
	assert_int_equal(uk_syscall_call(brk, base + PG), base + PG);
	assert_int_equal(uk_mmap_iter(NULL, NULL), 1);
	uk_mmap_space_switch(NULL);
	assert_int_equal(uk_mmap_iter(NULL, NULL), mine);
	assert_true(uk_syscall_call(brk, 0) != base);
	uk_mmap_space_release(s);
	assert_int_equal(uk_mmap_iter(NULL, NULL), mine);
	assert_int_equal(uk_syscall_call(munmap, a, 3 * PG), 0);
	/* the boot space's brk area stays; the other space's went back */
	assert_int_equal(nallocs, before + (before == 0));
}

/* ---- random sequences against a shadow model ---- */
struct spage {
	uintptr_t a; /* 0: empty slot */
	int prot, type;
	uint8_t tag;
};
#define HSZ 16384 /* open addressing, linear probing */
static struct spage sh[HSZ];
static int nsh;

static size_t slot(uintptr_t a)
{
	return (size_t)((a / PG) * 0x9e3779b97f4a7c15ULL >> 50) & (HSZ - 1);
}
static int sfind(uintptr_t a)
{
	for (size_t i = slot(a);; i = (i + 1) & (HSZ - 1)) {
		if (sh[i].a == a)
			return (int)i;
		if (!sh[i].a)
			return -1;
	}
}
static void sdel1(uintptr_t a)
{
	int k = sfind(a);
	size_t i, j;
	if (k < 0)
		return;
	nsh--;
	i = (size_t)k;
	sh[i].a = 0;
	/* backward-shift deletion */
	for (j = (i + 1) & (HSZ - 1); sh[j].a; j = (j + 1) & (HSZ - 1)) {
		size_t h = slot(sh[j].a);
		if ((j > i && (h <= i || h > j)) ||
		    (j < i && h <= i && h > j)) {
			sh[i] = sh[j];
			sh[j].a = 0;
			i = j;
		}
	}
}
static void sdel(uintptr_t s, uintptr_t e)
{
	for (uintptr_t a = s; a < e; a += PG)
		sdel1(a);
}
static void sadd(uintptr_t a, int prot, int type, uint8_t tag)
{
	size_t i;
	assert_int_equal(sfind(a), -1);
	assert_true(nsh < HSZ / 2);
	for (i = slot(a); sh[i].a; i = (i + 1) & (HSZ - 1))
		;
	sh[i] = (struct spage){a, prot, type, tag};
	nsh++;
}
static uintptr_t srandom_page(uint64_t r)
{
	for (size_t i = 0; i < HSZ; i++) {
		size_t k = (r + i) & (HSZ - 1);
		if (sh[k].a)
			return sh[k].a;
	}
	return 0;
}

static void collect(uintptr_t s, uintptr_t e, int prot, int flags, void *arg)
{
	(void)arg;
	assert_true(nregs < 4096);
	regs[nregs++] = (struct reg){s, e, prot, flags};
}
static void get_regs(void)
{
	nregs = 0;
	assert_int_equal(uk_mmap_iter(collect, NULL), uk_mmap_iter(NULL, NULL));
}

static void unmap_all(void)
{
	get_regs();
	for (int i = 0; i < nregs; i++)
		assert_int_equal(uk_syscall_call(munmap, regs[i].s,
						 regs[i].e - regs[i].s),
				 0);
	memset(sh, 0, sizeof(sh));
	nsh = 0;
}

static void check_full(int full)
{
	size_t pages = 0;

	get_regs();
	for (int i = 0; i < nregs; i++) {
		struct reg *r = &regs[i];
		assert_true(r->s < r->e && r->s % PG == 0 && r->e % PG == 0);
		if (i)
			assert_true(regs[i - 1].e <= r->s);
		for (uintptr_t a = r->s; a < r->e; a += PG, pages++) {
			int k = sfind(a);
			assert_true(k >= 0);
			assert_int_equal(sh[k].prot, r->prot);
			assert_int_equal(sh[k].type, r->flags & 3);
			assert_int_equal(*(uint8_t *)a, sh[k].tag);
			assert_int_equal(*(uint8_t *)(a + PG - 1), sh[k].tag);
			if (full)
				assert_true(owned(a) >= 0);
		}
	}
	assert_int_equal(pages, nsh);
	/* every page's real permission is the model's; pages of blocks no
	 * region covers are read/write */
	for (int i = 0; i < nallocs; i++)
		for (size_t k = 0; k < allocs[i].n; k++) {
			int j = sfind(allocs[i].base + k * PG);
			assert_int_equal(allocs[i].perm[k],
					 j >= 0 ? sh[j].prot : R | W);
		}
	/* no block without a mapped page */
	if (!full)
		return;
	static char used[4096];
	memset(used, 0, sizeof(used));
	for (int k = 0; k < HSZ; k++)
		if (sh[k].a)
			used[owned(sh[k].a)] = 1;
	for (int i = 0; i < nallocs; i++)
		assert_true(used[i]);
}

static void check(void)
{
	check_full(1);
}

static uint64_t rs;
static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static void random_run(uint64_t seed, int ops)
{
	static const int prots[] = {0, R, R | W, R | X, X, R | W | X};
	rs = seed;
	memset(sh, 0, sizeof(sh));
	nsh = 0;
	for (int it = 0; it < ops; it++) {
		arm_fail(0);
		int op = (int)(rnd() % 9);
		uintptr_t base = srandom_page(rnd());
		if (nsh > 3000)
			op = 8;
		if (op <= 1 || !nsh) { /* mmap */
			size_t n = 1 + rnd() % 20;
			int prot = prots[rnd() % 6];
			int type = rnd() % 2 ? MAP_PRIVATE : MAP_SHARED;
			arm_fail(rnd() % 4 == 0 ? 1 : 0);
			long a = mm(rnd() % 2 ? 0 : base, n * PG, prot,
				    type | MAP_ANON, -1, 0);
			if (prot == (R | W | X)) {
				assert_int_equal(a, -EACCES);
				continue;
			}
			if (protect_failed) {
				assert_int_equal(a, -ENOMEM);
				continue;
			}
			assert_true(a > 0);
			for (size_t k = 0; k < n; k++)
				sadd((uintptr_t)a + k * PG, prot, type, 0);
		} else if (op == 2) { /* munmap, partial */
			uintptr_t s = base + ((int)(rnd() % 7) - 3) * (long)PG;
			size_t n = 1 + rnd() % 8;
			assert_int_equal(uk_syscall_call(munmap, s, n * PG), 0);
			sdel(s, s + n * PG);
		} else if (op == 3) { /* mprotect */
			size_t n = 1 + rnd() % 6, k;
			int prot = prots[rnd() % 6];
			int hole = 0;
			/* unmapped: a page of a block no region covers
			 * (outside every block: the image's, accepted) */
			for (k = 0; k < n; k++)
				hole |= sfind(base + k * PG) < 0 &&
					owned(base + k * PG) >= 0;
			arm_fail(rnd() % 3 == 0 ? 1 + (int)(rnd() % 3) : 0);
			long rc = uk_syscall_call(mprotect, base, n * PG, prot);
			if (hole) {
				assert_int_equal(rc, -ENOMEM);
			} else if (prot == (R | W | X)) {
				assert_int_equal(rc, -EACCES);
			} else if (protect_failed) {
				assert_int_equal(rc, -ENOMEM);
			} else {
				assert_int_equal(rc, 0);
				for (k = 0; k < n; k++)
					if (sfind(base + k * PG) >= 0)
						sh[sfind(base + k * PG)].prot =
							prot;
			}
		} else if (op == 4) { /* write tags */
			int k = sfind(base);
			uint8_t t = (uint8_t)rnd();
			*(uint8_t *)sh[k].a = t;
			*(uint8_t *)(sh[k].a + PG - 1) = t;
			sh[k].tag = t;
		} else if (op == 5) { /* MAP_FIXED inside a block */
			int bi = owned(base);
			uintptr_t bs = allocs[bi].base;
			size_t bn = allocs[bi].n, off = rnd() % bn;
			size_t n = 1 + rnd() % (bn - off);
			int prot = prots[rnd() % 6];
			int nore = (int)(rnd() % 3 == 0);
			uintptr_t s = bs + off * PG;
			int busy = 0;
			for (size_t k = 0; k < n; k++)
				busy |= sfind(s + k * PG) >= 0;
			/* the one failing call may be restoring read/write
			 * to an old mapping (then its block is leaked):
			 * only the new mapping's own call fails here */
			long a = mm(s, n * PG, prot,
				    MAP_PRIVATE | MAP_ANON |
					    (nore ? MAP_NOREPLACE : MAP_FIXED),
				    -1, 0);
			if (prot == (R | W | X)) {
				assert_int_equal(a, -EACCES);
			} else if (nore && busy) {
				assert_int_equal(a, -EEXIST);
			} else {
				assert_int_equal(a, (long)s);
				sdel(s, s + n * PG);
				for (size_t k = 0; k < n; k++)
					sadd(s + k * PG, prot, MAP_PRIVATE, 0);
			}
		} else if (op == 6) { /* mremap a whole region */
			get_regs();
			struct reg r = regs[rnd() % nregs];
			size_t on = (r.e - r.s) / PG, nn = 1 + rnd() % 24;
			long a;
			int bi = owned(base);
			uintptr_t dst =
				allocs[bi].base + (rnd() % allocs[bi].n) * PG;
			if (rnd() % 3 == 0 &&
			    dst + nn * PG <=
				    allocs[bi].base + allocs[bi].n * PG &&
			    (dst >= r.e || dst + nn * PG <= r.s)) {
				a = uk_syscall_call(mremap, r.s, on * PG,
						    nn * PG, 3, dst);
				assert_int_equal(a, (long)dst);
			} else {
				a = uk_syscall_call(mremap, r.s, on * PG,
						    nn * PG, 1, 0);
			}
			assert_true(a > 0);
			uint8_t tags[64];
			for (size_t k = 0; k < on && k < 64; k++)
				tags[k] = sh[sfind(r.s + k * PG)].tag;
			sdel(r.s, r.e);
			sdel((uintptr_t)a, (uintptr_t)a + nn * PG);
			for (size_t k = 0; k < nn; k++)
				sadd((uintptr_t)a + k * PG, r.prot, r.flags & 3,
				     k < on ? tags[k] : 0);
		} else if (op == 7) { /* madvise DONTNEED on a region */
			get_regs();
			struct reg r = regs[rnd() % nregs];
			assert_int_equal(
				uk_syscall_call(madvise, r.s, r.e - r.s, 4), 0);
			for (uintptr_t a = r.s; a < r.e; a += PG)
				if ((r.flags & 3) == MAP_PRIVATE)
					sh[sfind(a)].tag = 0;
		} else { /* munmap a whole region */
			get_regs();
			struct reg r = regs[rnd() % nregs];
			assert_int_equal(
				uk_syscall_call(munmap, r.s, r.e - r.s), 0);
			sdel(r.s, r.e);
		}
		check_full(it % 25 == 0);
	}
	unmap_all();
	check();
	assert_int_equal(nallocs, 0);
}

static void test_random(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 6; seed++)
		random_run(seed * 0x9e3779b97f4a7c15ULL, 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_anon_fixed),
		cmocka_unit_test(test_protect),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_mremap),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_brk),
		cmocka_unit_test(test_spaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
