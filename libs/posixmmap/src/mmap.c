/* SPDX-License-Identifier: BSD-3-Clause */
/* Memory mappings on the page allocator. See <uk/mmap.h>. UP: no locks. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <uk/alloc.h>
#include <uk/mmap.h>
#include <uk/plat/memory.h>
#include <uk/print.h>
#include <uk/syscall.h>

#ifndef UK_MMAP_BRK_SIZE
#define UK_MMAP_BRK_SIZE (8UL << 20)
#endif

/* Linux x86_64 values */
#define PROT_READ_	     0x1
#define PROT_WRITE_	     0x2
#define PROT_EXEC_	     0x4
#define PROT_GROWSDOWN_	     0x01000000
#define PROT_GROWSUP_	     0x02000000
#define MAP_SHARED_	     0x01
#define MAP_PRIVATE_	     0x02
#define MAP_SHARED_VALIDATE_ 0x03
#define MAP_TYPE_	     0x0f
#define MAP_FIXED_	     0x10
#define MAP_ANONYMOUS_	     0x20
#define MAP_FIXED_NOREPLACE_ 0x100000
/* every flag Linux knows besides the type (MAP_SHARED_VALIDATE checks) */
#define MAP_KNOWN_                                                          \
	(MAP_FIXED_ | MAP_ANONYMOUS_ | 0x100 /* GROWSDOWN */ |              \
	 0x800 /* DENYWRITE */ | 0x1000 /* EXECUTABLE */ |                  \
	 0x2000 /* LOCKED */ | 0x4000 /* NORESERVE */ |                     \
	 0x8000 /* POPULATE */ | 0x10000 /* NONBLOCK */ |                   \
	 0x20000 /* STACK */ | 0x40000 /* HUGETLB */ | 0x80000 /* SYNC */ | \
	 MAP_FIXED_NOREPLACE_ | 0x4000000 /* UNINITIALIZED */ |             \
	 (0x3fU << 26) /* HUGE_SHIFT bits */)
#define MREMAP_MAYMOVE_	  1
#define MREMAP_FIXED_	  2
#define MREMAP_DONTUNMAP_ 4
#define MADV_DONTNEED_	  4
#define MS_ASYNC_	  1
#define MS_INVALIDATE_	  2
#define MS_SYNC_	  4

#define PAGE	   4096UL
#define PAGE_MASK_ (PAGE - 1)

struct block { /* one uk_palloc allocation */
	uintptr_t base;
	size_t npages;
	size_t mapped; /* pages of regions in it */
	int leak;      /* a page could not be made read/write again: the block
			* never goes back to the allocator */
	struct block *next;
};

struct region {
	uintptr_t start, end;
	int prot, flags; /* the pages' real permissions are `prot` */
	struct block *blk;
	struct region *next; /* sorted by start */
};

/* What one process mapped (posixprocess switches `space` when another
 * process's thread runs); the image's first process has `boot_space`. The
 * code names the current one's fields through the macros. */
struct uk_mmap_space {
	struct region *r;
	struct block *b;
	uintptr_t brkb, brkc; /* brk area and current break */
};

static struct uk_mmap_space boot_space;
static struct uk_mmap_space *space = &boot_space;

#define regions	 (space->r)
#define blocks	 (space->b)
#define brk_base (space->brkb)
#define brk_cur	 (space->brkc)

static size_t npages(uintptr_t s, uintptr_t e)
{
	return (e - s) / PAGE;
}

/* ---- blocks ---- */

static struct block *block_of(uintptr_t s, uintptr_t e)
{
	for (struct block *b = blocks; b; b = b->next)
		if (s >= b->base && e <= b->base + b->npages * PAGE && s < e)
			return b;
	return NULL;
}

static struct block *block_new(size_t n)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct block *b;
	void *p;

	if (!a)
		return NULL;
	b = malloc(sizeof(*b));
	if (!b)
		return NULL;
	p = uk_palloc(a, n);
	if (!p) {
		free(b);
		return NULL;
	}
	b->base = (uintptr_t)p;
	b->npages = n;
	b->mapped = 0;
	b->leak = 0;
	b->next = blocks;
	blocks = b;
	return b;
}

static void block_put(struct block *b)
{
	struct block **pp;

	if (b->mapped)
		return;
	for (pp = &blocks; *pp != b; pp = &(*pp)->next)
		;
	*pp = b->next;
	if (b->leak)
		uk_pr_err(
			"mmap: %lu pages at %p kept from the allocator: their "
			"permissions could not be restored",
			(unsigned long)b->npages, (void *)b->base);
	else
		uk_pfree(uk_alloc_get_default(), (void *)b->base, b->npages);
	free(b);
}

/* ---- protection ---- */

/*
 * Every page of a region has the real permissions of its `prot` (W^X:
 * never writable and executable at once); every other page of a block, and
 * every page the allocator hands out or takes back, is read/write. Pages
 * posixmmap itself fills are made read/write for the time of the copy.
 */
static int plain(int prot)
{
	return prot == (PROT_READ_ | PROT_WRITE_);
}

static int set_prot(uintptr_t s, uintptr_t e, int prot)
{
	if (s >= e)
		return 0;
	return ukplat_page_protect((void *)s, e - s, prot);
}

/* Read/write again before the pages leave a region (unmapped, back to the
 * allocator); if the platform cannot, the block is never freed. */
static void release(uintptr_t s, uintptr_t e, int prot, struct block *b)
{
	int rc;

	if (plain(prot))
		return;
	rc = set_prot(s, e, PROT_READ_ | PROT_WRITE_);
	if (rc < 0) {
		uk_pr_err("mmap: %p-%p stay protected (error %d)", (void *)s,
			  (void *)e, rc);
		b->leak = 1;
	}
}

/* Make [s, e) of a region with `prot` writable for posixmmap's own copy
 * (0 or the platform's error, nothing changed), and give it `prot` again. */
static int open_rw(uintptr_t s, uintptr_t e, int prot)
{
	int rc;

	if (plain(prot))
		return 0;
	rc = set_prot(s, e, PROT_READ_ | PROT_WRITE_);
	if (rc < 0)
		set_prot(s, e, prot); /* undo a partial change */
	return rc;
}

static void close_rw(uintptr_t s, uintptr_t e, int prot)
{
	int rc;

	if (plain(prot))
		return;
	rc = set_prot(s, e, prot);
	if (rc < 0) /* the pages stay read/write: more than asked */
		uk_pr_warn("mmap: %p-%p: protection %d not restored (error "
			   "%d)",
			   (void *)s, (void *)e, prot, rc);
}

/* ---- regions ---- */

/* Split the region containing `at` (strictly inside it) in two. */
static int split_at(uintptr_t at)
{
	for (struct region *r = regions; r; r = r->next) {
		if (at <= r->start || at >= r->end)
			continue;
		struct region *n = malloc(sizeof(*n));
		if (!n)
			return -ENOMEM;
		*n = *r;
		n->start = at;
		r->end = at;
		r->next = n;
		return 0;
	}
	return 0;
}

/* Merge neighbours that agree on everything. */
static void merge(void)
{
	struct region *r = regions;

	while (r && r->next) {
		struct region *n = r->next;
		if (r->end == n->start && r->prot == n->prot &&
		    r->flags == n->flags && r->blk == n->blk) {
			r->end = n->end;
			r->next = n->next;
			free(n);
		} else {
			r = n;
		}
	}
}

/* Remove [s, e) from the regions; blocks whose last page goes are freed
 * unless `pin` (a block about to be reused). */
static int unmap_range(uintptr_t s, uintptr_t e, struct block *pin)
{
	struct region **pp = &regions;
	struct block *freed[64];
	int nfreed = 0;
	int rc;

	if ((rc = split_at(s)) < 0 || (rc = split_at(e)) < 0)
		return rc;
	if (pin)
		pin->mapped++;
	while (*pp) {
		struct region *r = *pp;
		if (r->start >= s && r->end <= e) {
			release(r->start, r->end, r->prot, r->blk);
			r->blk->mapped -= npages(r->start, r->end);
			if (!r->blk->mapped && nfreed < 64)
				freed[nfreed++] = r->blk;
			*pp = r->next;
			free(r);
		} else {
			pp = &r->next;
		}
	}
	if (pin)
		pin->mapped--;
	for (int i = 0; i < nfreed; i++)
		block_put(freed[i]);
	/* (more than 64 blocks freed at once: the rest are found when the
	 * next unmap or the final check runs; see below) */
	if (nfreed == 64)
		for (struct block *b = blocks, *n; b; b = n) {
			n = b->next;
			if (!b->mapped && b != pin)
				block_put(b);
		}
	merge();
	return 0;
}

static int insert(uintptr_t s, uintptr_t e, int prot, int flags,
		  struct block *b)
{
	struct region *n = malloc(sizeof(*n)), **pp;
	int rc;

	if (!n)
		return -ENOMEM;
	/* the pages are read/write: give them their protection */
	if (!plain(prot) && (rc = set_prot(s, e, prot)) < 0) {
		set_prot(s, e, PROT_READ_ | PROT_WRITE_); /* undo a part */
		free(n);
		return rc;
	}
	n->start = s;
	n->end = e;
	n->prot = prot;
	n->flags = flags;
	n->blk = b;
	b->mapped += npages(s, e);
	for (pp = &regions; *pp && (*pp)->start < s; pp = &(*pp)->next)
		;
	n->next = *pp;
	*pp = n;
	merge();
	return 0;
}

static int overlaps(uintptr_t s, uintptr_t e)
{
	for (struct region *r = regions; r; r = r->next)
		if (r->start < e && s < r->end)
			return 1;
	return 0;
}

/*
 * Is every page of [s, e) mapped? Pages of our blocks count when a region
 * covers them; memory outside every block - the image itself, ELF segments
 * ukelfloader loaded, thread stacks - is the image's and counts as mapped
 * (mprotect gives heap pages there their permissions, see foreign_protect;
 * other calls change nothing and succeed).
 */
static int fully_mapped(uintptr_t s, uintptr_t e)
{
	for (struct block *b = blocks; b; b = b->next) {
		uintptr_t bs = b->base, be = b->base + b->npages * PAGE;
		uintptr_t at = s > bs ? s : bs, end = e < be ? e : be;
		if (at >= end)
			continue;
		for (struct region *r = regions; r && at < end; r = r->next) {
			if (r->end <= at)
				continue;
			if (r->start > at)
				return 0;
			at = r->end;
		}
		if (at < end)
			return 0;
	}
	return 1;
}

size_t uk_mmap_iter(void (*fn)(uintptr_t, uintptr_t, int, int, void *),
		    void *arg)
{
	size_t n = 0;

	for (struct region *r = regions; r; r = r->next, n++)
		if (fn)
			fn(r->start, r->end, r->prot, r->flags, arg);
	return n;
}

/* ---- the calls ---- */

static int check_prot(long prot)
{
	return (prot &
		~(long)(PROT_READ_ | PROT_WRITE_ | PROT_EXEC_ |
			0x8 /* PROT_SEM */ | PROT_GROWSDOWN_ | PROT_GROWSUP_))
		       ? -EINVAL
		       : 0;
}

/* Fill [p, p + len) from the file: pread64 until len or end of file. */
static long read_file(int fd, uint8_t *p, size_t len, long off)
{
	size_t got = 0;

	while (got < len) {
		long r = uk_syscall_call(pread64, fd, p + got, len - got,
					 off + (long)got);
		if (r == -EINTR)
			continue;
		if (r < 0)
			return r == -EISDIR || r == -ESPIPE ? -ENODEV : r;
		if (r == 0)
			break; /* end of file: the rest stays zero */
		got += (size_t)r;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(long, mmap, uintptr_t, addr, size_t, len, long, prot, long,
		    flags, long, fd, long, off)
{
	int type = (int)(flags & MAP_TYPE_);
	int anon = !!(flags & MAP_ANONYMOUS_);
	int fixed = !!(flags & (MAP_FIXED_ | MAP_FIXED_NOREPLACE_));
	struct block *b = NULL;
	uintptr_t s, e;
	long rc;

	/* the checks in Linux's order: offset, descriptor, length, type */
	if (off & (long)PAGE_MASK_)
		return -EINVAL;
	if (!anon && (int)fd < 0)
		return -EBADF;
	if (len == 0)
		return -EINVAL;
	if (len > SIZE_MAX - PAGE_MASK_ || len > (1UL << 47))
		return -ENOMEM;
	len = (len + PAGE_MASK_) & ~PAGE_MASK_;
	if (!anon && off < 0)
		return -EOVERFLOW;
	if (type != MAP_SHARED_ && type != MAP_PRIVATE_ &&
	    type != MAP_SHARED_VALIDATE_)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE_ &&
	    (flags & ~(long)MAP_TYPE_ & ~(long)MAP_KNOWN_))
		return -EOPNOTSUPP;
	if (fixed && (addr & PAGE_MASK_))
		return -EINVAL;
	prot &= PROT_READ_ | PROT_WRITE_ | PROT_EXEC_; /* others ignored */
	if (!anon && type != MAP_PRIVATE_ && (prot & PROT_WRITE_))
		return -ENODEV; /* shared writable file mapping: unsupported */
	if ((prot & PROT_WRITE_) && (prot & PROT_EXEC_))
		return -EACCES; /* W^X (Linux with SELinux execmem denied) */

	if (fixed) {
		s = addr;
		if (s > UINTPTR_MAX - len)
			return -ENOMEM;
		e = s + len;
		if ((flags & MAP_FIXED_NOREPLACE_) && overlaps(s, e))
			return -EEXIST;
		b = block_of(s, e);
		if (!b)
			return -ENOMEM; /* not memory this image owns */
		rc = unmap_range(s, e, b);
		if (rc < 0)
			return rc;
	} else {
		b = block_new(len / PAGE);
		if (!b)
			return -ENOMEM;
		s = b->base;
		e = s + len;
	}
	memset((void *)s, 0, len);
	if (!anon) {
		rc = read_file((int)fd, (uint8_t *)s, len, off);
		if (rc < 0) {
			block_put(b); /* a fixed one stays: still mapped */
			return rc;
		}
	}
	rc = insert(s, e, (int)prot, (int)flags & (MAP_TYPE_ | MAP_ANONYMOUS_),
		    b);
	if (rc < 0) {
		block_put(b);
		return rc;
	}
	return (long)s;
}

UK_SYSCALL_R_DEFINE(int, munmap, uintptr_t, addr, size_t, len)
{
	if ((addr & PAGE_MASK_) || len == 0 || len > SIZE_MAX - PAGE_MASK_)
		return -EINVAL;
	len = (len + PAGE_MASK_) & ~PAGE_MASK_;
	if (addr > UINTPTR_MAX - len)
		return -EINVAL;
	return unmap_range(addr, addr + len, NULL);
}

/*
 * Give the pages of [s, e) outside every block (memory posixmmap did not
 * map: ELF segments from the allocator, stacks, the image) the permissions
 * `prot`. The platform refuses the image itself (-EINVAL): nothing to
 * record there, so that is success as before.
 */
static int foreign_protect(uintptr_t s, uintptr_t e, int prot)
{
	uintptr_t at = s;

	while (at < e) { /* each turn passes a block or a gap: bounded */
		uintptr_t next = e;
		int inside = 0;

		for (struct block *b = blocks; b; b = b->next) {
			uintptr_t be = b->base + b->npages * PAGE;
			if (at >= b->base && at < be) {
				next = be < e ? be : e;
				inside = 1;
				break;
			}
			if (b->base > at && b->base < next)
				next = b->base;
		}
		if (!inside) {
			int rc = set_prot(at, next, prot);
			if (rc < 0 && rc != -EINVAL)
				return rc;
		}
		at = next;
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, mprotect, uintptr_t, addr, size_t, len, long, prot)
{
	struct region *r, *failed = NULL;
	uintptr_t e;
	int rc = 0;

	if (addr & PAGE_MASK_)
		return -EINVAL;
	if (check_prot(prot) < 0 ||
	    ((prot & PROT_GROWSDOWN_) && (prot & PROT_GROWSUP_)))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (len > SIZE_MAX - PAGE_MASK_)
		return -ENOMEM;
	len = (len + PAGE_MASK_) & ~PAGE_MASK_;
	if (addr > UINTPTR_MAX - len)
		return -ENOMEM;
	e = addr + len;
	if (!fully_mapped(addr, e))
		return -ENOMEM;
	prot &= PROT_READ_ | PROT_WRITE_ | PROT_EXEC_;
	if ((prot & PROT_WRITE_) && (prot & PROT_EXEC_))
		return -EACCES; /* W^X (Linux with SELinux execmem denied) */
	if ((rc = split_at(addr)) < 0 || (rc = split_at(e)) < 0) {
		merge();
		return rc;
	}
	/* the real permissions first; all or nothing */
	for (r = regions; r; r = r->next) {
		if (r->start < addr || r->end > e || r->prot == prot)
			continue;
		rc = set_prot(r->start, r->end, (int)prot);
		if (rc < 0) {
			failed = r;
			break;
		}
	}
	if (!rc)
		rc = foreign_protect(addr, e, (int)prot);
	if (rc < 0) {
		/* back to what each region had (the failed one may be half
		 * changed); memory outside the blocks had unknown permissions
		 * and stays as the platform left it */
		for (r = regions; r; r = r->next) {
			if (r->start < addr || r->end > e || r->prot == prot)
				continue;
			set_prot(r->start, r->end, r->prot);
			if (r == failed)
				break;
		}
		merge();
		return rc;
	}
	for (r = regions; r; r = r->next)
		if (r->start >= addr && r->end <= e)
			r->prot = (int)prot;
	merge();
	return 0;
}

static struct region *region_at(uintptr_t a)
{
	for (struct region *r = regions; r; r = r->next)
		if (a >= r->start && a < r->end)
			return r;
	return NULL;
}

/* Move the old range (inside region r) to a new place: `dst` with
 * MREMAP_FIXED (inside a block of ours), else a new block. */
static long remap_move(struct region *r, uintptr_t old, size_t oldlen,
		       size_t newlen, long flags, uintptr_t dst)
{
	int prot = r->prot, rflags = r->flags;
	size_t keep = oldlen < newlen ? oldlen : newlen;
	uintptr_t olde = old + oldlen;
	struct block *b;
	long rc;

	if (flags & MREMAP_FIXED_) {
		if (dst & PAGE_MASK_)
			return -EINVAL;
		if (dst > UINTPTR_MAX - newlen)
			return -EINVAL;
		if (dst < olde && old < dst + newlen)
			return -EINVAL; /* overlapping ranges */
		b = block_of(dst, dst + newlen);
		if (!b)
			return -ENOMEM; /* not memory this image owns */
		if ((rc = open_rw(old, olde, prot)) < 0) /* for the copy */
			return rc;
		rc = unmap_range(dst, dst + newlen, b);
		if (rc < 0) {
			close_rw(old, olde, prot);
			return rc;
		}
	} else {
		b = block_new(newlen / PAGE);
		if (!b)
			return -ENOMEM;
		dst = b->base;
		if ((rc = open_rw(old, olde, prot)) < 0) {
			block_put(b);
			return rc;
		}
	}
	/* r may be gone (merged) from here on */
	memcpy((void *)dst, (void *)old, keep);
	memset((void *)(dst + keep), 0, newlen - keep);
	rc = insert(dst, dst + newlen, prot, rflags, b);
	if (rc < 0) {
		block_put(b);
		close_rw(old, olde, prot);
		return rc;
	}
	if (flags & MREMAP_DONTUNMAP_) {
		/* the old range stays mapped, its pages moved away: a
		 * private one reads as zeros */
		if ((rflags & MAP_TYPE_) == MAP_PRIVATE_)
			memset((void *)old, 0, oldlen);
		close_rw(old, olde, prot);
	} else {
		rc = unmap_range(old, olde, NULL);
		if (rc < 0) {
			close_rw(old, olde, prot);
			return rc;
		}
	}
	return (long)dst;
}

UK_SYSCALL_R_DEFINE(long, mremap, uintptr_t, old, size_t, oldlen, size_t,
		    newlen, long, flags, uintptr_t, new_addr)
{
	struct region *r;
	uintptr_t olde, newe;
	int prot, rflags, rc;

	if (flags &
	    ~(long)(MREMAP_MAYMOVE_ | MREMAP_FIXED_ | MREMAP_DONTUNMAP_))
		return -EINVAL;
	if ((flags & (MREMAP_FIXED_ | MREMAP_DONTUNMAP_)) &&
	    !(flags & MREMAP_MAYMOVE_))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP_) && oldlen != newlen)
		return -EINVAL;
	if (old & PAGE_MASK_)
		return -EINVAL;
	if (oldlen > SIZE_MAX - PAGE_MASK_ || newlen > SIZE_MAX - PAGE_MASK_)
		return -EINVAL;
	oldlen = (oldlen + PAGE_MASK_) & ~PAGE_MASK_;
	newlen = (newlen + PAGE_MASK_) & ~PAGE_MASK_;
	if (newlen == 0)
		return -EINVAL;
	if (oldlen == 0)
		return -EINVAL; /* duplicating shared mappings: unsupported */
	if (old > UINTPTR_MAX - oldlen || newlen > (1UL << 47))
		return -ENOMEM;
	olde = old + oldlen;
	/* the old range lies in one region (Linux: one vma) */
	r = region_at(old);
	if (!r || olde > r->end) {
		/* adjacent regions that differ only by split history are
		 * merged, so this is a true boundary */
		return -EFAULT;
	}
	if (flags & (MREMAP_FIXED_ | MREMAP_DONTUNMAP_))
		return remap_move(r, old, oldlen, newlen, flags, new_addr);
	if (newlen == oldlen)
		return (long)old;
	if (newlen < oldlen) {
		rc = unmap_range(old + newlen, olde, NULL);
		return rc < 0 ? rc : (long)old;
	}
	prot = r->prot;
	rflags = r->flags;
	/* grow in place: the pages after it are ours and free */
	if (old <= UINTPTR_MAX - newlen) {
		newe = old + newlen;
		if (block_of(olde, newe) == r->blk && !overlaps(olde, newe)) {
			memset((void *)olde, 0, newe - olde);
			rc = insert(olde, newe, prot, rflags, r->blk);
			return rc < 0 ? rc : (long)old;
		}
	}
	if (!(flags & MREMAP_MAYMOVE_))
		return -ENOMEM;
	return remap_move(r, old, oldlen, newlen, flags, 0);
}

UK_SYSCALL_R_DEFINE(int, madvise, uintptr_t, addr, size_t, len, int, advice)
{
	uintptr_t e;

	if (addr & PAGE_MASK_)
		return -EINVAL;
	if (len > SIZE_MAX - PAGE_MASK_)
		return -EINVAL;
	len = (len + PAGE_MASK_) & ~PAGE_MASK_;
	if (addr > UINTPTR_MAX - len)
		return -EINVAL;
	e = addr + len;
	if (!((advice >= 0 && advice <= 4) || (advice >= 8 && advice <= 25) ||
	      advice == 100 || advice == 101))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!fully_mapped(addr, e))
		return -ENOMEM;
	if (advice != MADV_DONTNEED_)
		return 0; /* hints: nothing to do */
	/* private pages read back as zeros after MADV_DONTNEED (protected
	 * ones too, once made accessible again) */
	for (struct region *r = regions; r; r = r->next) {
		uintptr_t s0 = r->start > addr ? r->start : addr;
		uintptr_t e0 = r->end < e ? r->end : e;
		int rc;
		if (s0 >= e0 || (r->flags & MAP_TYPE_) != MAP_PRIVATE_)
			continue;
		if ((rc = open_rw(s0, e0, r->prot)) < 0)
			return rc;
		memset((void *)s0, 0, e0 - s0);
		close_rw(s0, e0, r->prot);
	}
	return 0;
}

UK_SYSCALL_R_DEFINE(int, msync, uintptr_t, addr, size_t, len, int, flags)
{
	if (addr & PAGE_MASK_)
		return -EINVAL;
	if (flags & ~(MS_ASYNC_ | MS_INVALIDATE_ | MS_SYNC_))
		return -EINVAL;
	if ((flags & MS_ASYNC_) && (flags & MS_SYNC_))
		return -EINVAL;
	if (len > SIZE_MAX - PAGE_MASK_)
		return -ENOMEM;
	len = (len + PAGE_MASK_) & ~PAGE_MASK_;
	if (addr > UINTPTR_MAX - len || !fully_mapped(addr, addr + len))
		return -ENOMEM;
	return 0; /* file mappings are private copies: nothing to write */
}

/* ---- residency: nothing is ever paged out ---- */

#define MLOCK_ONFAULT_ 1
#define MCL_CURRENT_   1
#define MCL_FUTURE_    2
#define MCL_ONFAULT_   4

/* The page range mlock/munlock/mincore look at: [*s, *e), or -EINVAL
 * (overflow) / -ENOMEM (not fully mapped). mlock rounds the start down,
 * mincore requires it aligned (its caller checks). */
static int lock_range(uintptr_t addr, size_t len, uintptr_t *s, uintptr_t *e)
{
	*s = addr & ~(uintptr_t)PAGE_MASK_;
	len += addr - *s;
	if (len < addr - *s || len > SIZE_MAX - PAGE_MASK_)
		return -ENOMEM;
	len = (len + PAGE_MASK_) & ~PAGE_MASK_;
	if (*s > UINTPTR_MAX - len)
		return -ENOMEM;
	*e = *s + len;
	return fully_mapped(*s, *e) ? 0 : -ENOMEM;
}

/* Memory is always resident (no swap): locking succeeds on a mapped range
 * and changes nothing; root has CAP_IPC_LOCK, so RLIMIT_MEMLOCK does not
 * apply. */
UK_SYSCALL_R_DEFINE(int, mlock, uintptr_t, addr, size_t, len)
{
	uintptr_t s, e;

	return lock_range(addr, len, &s, &e);
}

UK_SYSCALL_R_DEFINE(int, mlock2, uintptr_t, addr, size_t, len, unsigned, flags)
{
	uintptr_t s, e;

	if (flags & ~MLOCK_ONFAULT_)
		return -EINVAL;
	return lock_range(addr, len, &s, &e);
}

UK_SYSCALL_R_DEFINE(int, munlock, uintptr_t, addr, size_t, len)
{
	uintptr_t s, e;

	return lock_range(addr, len, &s, &e);
}

UK_SYSCALL_R_DEFINE(int, mlockall, int, flags)
{
	if (!flags || (flags & ~(MCL_CURRENT_ | MCL_FUTURE_ | MCL_ONFAULT_)) ||
	    flags == MCL_ONFAULT_)
		return -EINVAL;
	return 0;
}

UK_SYSCALL_R_DEFINE(int, munlockall)
{
	return 0;
}

/* Every mapped page is in memory: 1 per page in vec. */
UK_SYSCALL_R_DEFINE(int, mincore, uintptr_t, addr, size_t, len, unsigned char *,
		    vec)
{
	uintptr_t s, e;
	int r;

	if (addr & PAGE_MASK_)
		return -EINVAL;
	r = lock_range(addr, len, &s, &e);
	if (r)
		return r;
	if (e > s && !vec)
		return -EFAULT;
	memset(vec, 1, (e - s) / PAGE);
	return 0;
}

/* ---- brk ---- */

UK_SYSCALL_R_DEFINE(long, brk, uintptr_t, addr)
{
	if (!brk_base) {
		struct uk_alloc *a = uk_alloc_get_default();
		void *p = a ? uk_palloc(a, UK_MMAP_BRK_SIZE / PAGE) : NULL;
		if (!p) {
			uk_pr_warn("brk: no memory for the %lu-byte area",
				   (unsigned long)UK_MMAP_BRK_SIZE);
			return 0;
		}
		brk_base = brk_cur = (uintptr_t)p;
	}
	/* out of the area: fail by returning the current break */
	if (addr < brk_base || addr - brk_base > UK_MMAP_BRK_SIZE)
		return (long)brk_cur;
	if (addr > brk_cur) /* new memory reads as zeros */
		memset((void *)brk_cur, 0, addr - brk_cur);
	brk_cur = addr;
	return (long)brk_cur;
}

/* ---- spaces per process ---- */

struct uk_mmap_space *uk_mmap_space_new(void)
{
	return calloc(1, sizeof(struct uk_mmap_space));
}

void uk_mmap_space_switch(struct uk_mmap_space *s)
{
	space = s ? s : &boot_space;
}

void uk_mmap_space_release(struct uk_mmap_space *s)
{
	struct uk_mmap_space *was = space;

	if (!s)
		return;
	space = s;
	/* bounded: each round unmaps one region */
	while (regions)
		unmap_range(regions->start, regions->end, NULL);
	if (brk_base)
		uk_pfree(uk_alloc_get_default(), (void *)brk_base,
			 UK_MMAP_BRK_SIZE / PAGE);
	space = was == s ? &boot_space : was;
	if (s != &boot_space)
		free(s);
	else
		memset(s, 0, sizeof(*s));
}
