/* SPDX-License-Identifier: BSD-3-Clause */
/* Checking and loading an ELF executable (from memory or from a file). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/arch/cpu.h>
#include <uk/arch/linux.h>
#include <uk/alloc.h>
#include <uk/elfloader.h>
#include <uk/print.h>
#include <uk/syscall.h>
#include "elf.h"

__attribute__((format(printf, 2, 3))) static int fail(struct uk_elf_prog *p,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/* Fixed addresses below this are refused (Linux's mmap_min_addr). */
#define UKELF_MIN_FIXED (64ul << 10)

static const char *machine_name(unsigned m)
{
	switch (m) {
	case UKELF_EM_386:
		return "i386";
	case UKELF_EM_ARM:
		return "arm";
	case UKELF_EM_AARCH64:
		return "aarch64";
	case UKELF_EM_X86_64:
		return "x86_64";
	case UKELF_EM_RISCV:
		return "riscv";
	default:
		return "unknown";
	}
}

/* The ELF header, before any program header is looked at. */
static int check_ehdr(struct uk_elf_prog *p, const struct ukelf_ehdr *e,
		      size_t len)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};

	if (len < 4 || memcmp(e->ident, magic, 4))
		return fail(p, "not an ELF file (bad magic)");
	if (len < sizeof(*e))
		return fail(p,
			    "truncated file: %zu bytes, less than the 64-byte "
			    "ELF header",
			    len);
	if (e->ident[4] != UKELF_CLASS64)
		return fail(p, "wrong ELF class %u (%s), need 64-bit",
			    e->ident[4],
			    e->ident[4] == 1 ? "32-bit" : "invalid");
	if (e->ident[5] != UKELF_DATA2LSB)
		return fail(p, "wrong byte order %u (%s), need little-endian",
			    e->ident[5],
			    e->ident[5] == 2 ? "big-endian" : "invalid");
	if (e->ident[6] != UKELF_EV_CURRENT || e->version != UKELF_EV_CURRENT)
		return fail(p, "unknown ELF version %u", e->version);
	if (e->machine != UKARCH_ELF_MACHINE)
		return fail(p,
			    "wrong machine %u (%s), need " UKARCH_LINUX_MACHINE
			    " (%u)",
			    e->machine, machine_name(e->machine),
			    UKARCH_ELF_MACHINE);
	switch (e->type) {
	case UKELF_ET_EXEC:
	case UKELF_ET_DYN:
		break;
	case UKELF_ET_REL:
		return fail(p, "wrong type: a relocatable object (ET_REL), "
			       "not an executable");
	case UKELF_ET_CORE:
		return fail(p, "wrong type: a core dump (ET_CORE), not an "
			       "executable");
	default:
		return fail(p, "wrong type %u, need an executable", e->type);
	}
	if (e->phentsize != sizeof(struct ukelf_phdr))
		return fail(p, "bad program header size %u, need 56",
			    e->phentsize);
	if (e->phnum == 0)
		return fail(p, "no program headers");
	if (e->phnum > UK_ELF_MAX_PHNUM)
		return fail(p, "%u program headers, more than the limit of %d",
			    e->phnum, UK_ELF_MAX_PHNUM);
	if (e->phoff > len ||
	    (uint64_t)e->phnum * sizeof(struct ukelf_phdr) > len - e->phoff)
		return fail(p,
			    "program headers out of the file (offset %llu, "
			    "%u x 56 bytes, file is %zu bytes)",
			    (unsigned long long)e->phoff, e->phnum, len);
	if (e->phoff % 8)
		return fail(p, "program headers at a misaligned offset %llu",
			    (unsigned long long)e->phoff);
	return 0;
}

/* Every PT_LOAD in ascending, non-overlapping order, inside the file; the
 * range they cover in *lo, *hi (link addresses, page-rounded). */
static int check_segments(struct uk_elf_prog *p, const uint8_t *buf, size_t len,
			  const struct ukelf_phdr *ph, unsigned int n,
			  uint64_t *lo, uint64_t *hi)
{
	uint64_t prev_end = 0;
	int loads = 0;

	for (unsigned int i = 0; i < n; i++) {
		const struct ukelf_phdr *s = &ph[i];

		if (s->type == UKELF_PT_INTERP) {
			char interp[64] = "?";

			if (s->offset < len && s->filesz <= len - s->offset) {
				size_t k = s->filesz < sizeof(interp) - 1
						   ? s->filesz
						   : sizeof(interp) - 1;
				memcpy(interp, buf + s->offset, k);
				interp[k] = 0;
				for (size_t j = 0; j < k; j++)
					if (interp[j] && (interp[j] < 0x20 ||
							  interp[j] > 0x7e))
						interp[j] = '?';
			}
			return fail(p,
				    "dynamically linked (PT_INTERP %s): "
				    "unsupported, link it with -static-pie "
				    "or -static",
				    interp);
		}
		if (s->type != UKELF_PT_LOAD)
			continue;
		if (s->filesz > s->memsz)
			return fail(p,
				    "segment %u: file size %llu above its "
				    "memory size %llu",
				    i, (unsigned long long)s->filesz,
				    (unsigned long long)s->memsz);
		if (s->offset > len || s->filesz > len - s->offset)
			return fail(p,
				    "segment %u: data out of the file (offset "
				    "%llu + %llu bytes, file is %zu bytes): "
				    "truncated?",
				    i, (unsigned long long)s->offset,
				    (unsigned long long)s->filesz, len);
		if (s->memsz > UK_ELF_MAX_SPAN ||
		    s->vaddr > UINT64_MAX - s->memsz - UKELF_PAGE)
			return fail(p,
				    "segment %u: huge (%llu bytes at 0x%llx), "
				    "the limit is %lu MiB",
				    i, (unsigned long long)s->memsz,
				    (unsigned long long)s->vaddr,
				    UK_ELF_MAX_SPAN >> 20);
		if (s->align > 1 && (s->align & (s->align - 1)))
			return fail(p,
				    "segment %u: alignment %llu is not a "
				    "power of two",
				    i, (unsigned long long)s->align);
		if ((s->vaddr - s->offset) % UKELF_PAGE)
			return fail(p,
				    "segment %u: address 0x%llx and file "
				    "offset 0x%llx differ modulo the page size",
				    i, (unsigned long long)s->vaddr,
				    (unsigned long long)s->offset);
		if (loads && s->vaddr < prev_end)
			return fail(p,
				    "segment %u: overlaps or precedes the "
				    "previous one (0x%llx < 0x%llx)",
				    i, (unsigned long long)s->vaddr,
				    (unsigned long long)prev_end);
		if (!loads)
			*lo = s->vaddr & ~(UKELF_PAGE - 1);
		prev_end = s->vaddr + s->memsz;
		loads++;
	}
	if (!loads)
		return fail(p, "no loadable segment (PT_LOAD)");
	*hi = (prev_end + UKELF_PAGE - 1) & ~(UKELF_PAGE - 1);
	if (*hi - *lo > UK_ELF_MAX_SPAN) {
		fail(p,
		     "segments span %llu MiB (0x%llx-0x%llx), the limit is "
		     "%lu MiB",
		     (unsigned long long)((*hi - *lo) >> 20),
		     (unsigned long long)*lo, (unsigned long long)*hi,
		     UK_ELF_MAX_SPAN >> 20);
		return -EFBIG;
	}
	return 0;
}

static int (*protect_fn)(void *addr, size_t len, int prot);
static const struct uk_elf_fixed_ops *fixed_ops;

void uk_elf_set_fixed_ops(const struct uk_elf_fixed_ops *ops)
{
	fixed_ops = ops;
}

void uk_elf_set_protect(int (*fn)(void *addr, size_t len, int prot))
{
	protect_fn = fn;
}

static long protect(void *addr, size_t len, int prot)
{
	/* no architecture here has executable-only or write-only pages */
	prot |= UKELF_PROT_READ;
	if (protect_fn)
		return protect_fn(addr, len, prot);
	return uk_syscall_call(mprotect, addr, len, prot);
}

static int seg_prot(uint32_t f)
{
	return (f & UKELF_PF_R ? UKELF_PROT_READ : 0) |
	       (f & UKELF_PF_W ? UKELF_PROT_WRITE : 0) |
	       (f & UKELF_PF_X ? UKELF_PROT_EXEC : 0);
}

/* mprotect every page with the union of the segments on it; pages of the
 * range no segment covers (none, in practice) become inaccessible. */
static void apply_prot(struct uk_elf_prog *p, const struct ukelf_phdr *ph,
		       unsigned int n, uint64_t lo)
{
	size_t npages = p->len / UKELF_PAGE;
	uint8_t *prot = calloc(npages, 1);
	long r = 0;

	if (!prot) {
		uk_pr_warn("elfloader: no memory for the page list: segment "
			   "permissions not applied\n");
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (ph[i].type != UKELF_PT_LOAD || !ph[i].memsz)
			continue;
		uint64_t a = (ph[i].vaddr & ~(UKELF_PAGE - 1)) - lo;
		uint64_t b = ph[i].vaddr + ph[i].memsz - lo;

		for (uint64_t pg = a / UKELF_PAGE;
		     pg < npages && pg * UKELF_PAGE < b; pg++)
			prot[pg] |= seg_prot(ph[i].flags);
	}
	for (size_t i = 0; i < npages && r == 0;) {
		size_t j = i + 1;

		while (j < npages && prot[j] == prot[i])
			j++;
		r = protect((uint8_t *)p->mem + i * UKELF_PAGE,
			    (j - i) * UKELF_PAGE, prot[i]);
		i = j;
	}
	free(prot);
	if (r == 0) {
		p->prot_applied = 1;
		return;
	}
	/* the pages done before the failure become read/write again */
	protect(p->mem, p->len, UKELF_PROT_READ | UKELF_PROT_WRITE);
	uk_pr_warn("elfloader: segment permissions not applied (error %ld): "
		   "the pages stay as the allocator mapped them\n",
		   r);
}

int uk_elf_load_mem(struct uk_elf_prog *p, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	struct ukelf_ehdr e;
	struct ukelf_phdr *ph;
	uint64_t lo = 0, hi = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!buf)
		len = 0;
	/* copies: buf need not be aligned */
	memset(&e, 0, sizeof(e));
	if (len)
		memcpy(&e, b, len < sizeof(e) ? len : sizeof(e));
	rc = check_ehdr(p, &e, len);
	if (rc)
		return rc;
	ph = malloc((size_t)e.phnum * sizeof(*ph));
	if (!ph) {
		snprintf(p->err, sizeof(p->err),
			 "no memory for %u program headers", e.phnum);
		return -ENOMEM;
	}
	memcpy(ph, b + e.phoff, (size_t)e.phnum * sizeof(*ph));
	rc = check_segments(p, b, len, ph, e.phnum, &lo, &hi);
	if (rc)
		goto out;

	p->len = hi - lo;
	if (e.type == UKELF_ET_DYN) {
		p->mem = uk_palloc(uk_alloc_get_default(), p->len / UKELF_PAGE);
		if (!p->mem) {
			snprintf(p->err, sizeof(p->err),
				 "not enough memory: %zu KiB for the segments",
				 p->len >> 10);
			rc = -ENOMEM;
			goto out;
		}
		p->bias = (uintptr_t)p->mem - lo;
	} else if (lo < UKELF_MIN_FIXED) {
		rc = fail(p,
			  "non-PIE executable at 0x%llx, in the first %lu KiB "
			  "(kept unmapped to catch NULL pointers)",
			  (unsigned long long)lo, UKELF_MIN_FIXED >> 10);
		goto out;
	} else if (fixed_ops) {
		rc = fixed_ops->map((uintptr_t)lo, p->len, p->err,
				    sizeof(p->err));
		if (rc < 0)
			goto out;
		p->mem = (void *)(uintptr_t)lo;
		p->fixed = 1;
		p->bias = 0;
	} else {
		long r = uk_syscall_call(
			mmap, lo, p->len, UKELF_PROT_READ | UKELF_PROT_WRITE,
			UKELF_MAP_PRIVATE | UKELF_MAP_ANONYMOUS |
				UKELF_MAP_FIXED_NOREPLACE,
			-1, 0);
		if (r < 0 && r > -4096) {
			snprintf(p->err, sizeof(p->err),
				 "non-PIE executable needs the fixed addresses "
				 "0x%llx-0x%llx, which are not free here "
				 "(mmap: error %ld); link it with -static-pie",
				 (unsigned long long)lo, (unsigned long long)hi,
				 -r);
			rc = -EADDRINUSE;
			goto out;
		}
		if ((uint64_t)r != lo) {
			uk_syscall_call(munmap, r, p->len);
			snprintf(p->err, sizeof(p->err),
				 "non-PIE executable needs the fixed addresses "
				 "0x%llx-0x%llx; mmap offered 0x%lx instead; "
				 "link it with -static-pie",
				 (unsigned long long)lo, (unsigned long long)hi,
				 r);
			rc = -EADDRINUSE;
			goto out;
		}
		p->mem = (void *)(uintptr_t)lo;
		p->fixed = 1;
		p->bias = 0;
	}
	memset(p->mem, 0, p->len);
	for (unsigned int i = 0; i < e.phnum; i++) {
		if (ph[i].type != UKELF_PT_LOAD || !ph[i].filesz)
			continue;
		memcpy((uint8_t *)p->mem + (ph[i].vaddr - lo), b + ph[i].offset,
		       ph[i].filesz);
	}

	/* The entry must be in an executable segment. */
	int ok = 0;
	for (unsigned int i = 0; i < e.phnum; i++)
		if (ph[i].type == UKELF_PT_LOAD && (ph[i].flags & UKELF_PF_X) &&
		    e.entry >= ph[i].vaddr &&
		    e.entry - ph[i].vaddr < ph[i].memsz)
			ok = 1;
	if (!ok) {
		rc = fail(p,
			  "entry point 0x%llx is not in an executable "
			  "segment",
			  (unsigned long long)e.entry);
		goto unload;
	}
	p->entry = (uintptr_t)e.entry + p->bias;

	/* AT_PHDR: PT_PHDR if there is one, else the loaded bytes holding
	 * the headers (Linux does the same). */
	p->phnum = e.phnum;
	for (unsigned int i = 0; i < e.phnum && !p->phdr; i++)
		if (ph[i].type == UKELF_PT_PHDR)
			p->phdr = ph[i].vaddr + p->bias;
	for (unsigned int i = 0; i < e.phnum && !p->phdr; i++)
		if (ph[i].type == UKELF_PT_LOAD && e.phoff >= ph[i].offset &&
		    e.phoff - ph[i].offset < ph[i].filesz)
			p->phdr = ph[i].vaddr + (e.phoff - ph[i].offset) +
				  p->bias;
	if (!p->phdr || p->phdr < (uintptr_t)p->mem ||
	    p->phdr + (uint64_t)e.phnum * sizeof(*ph) >
		    (uintptr_t)p->mem + p->len) {
		rc = fail(p, "program headers are not in a loaded segment "
			     "(needed for AT_PHDR)");
		goto unload;
	}
	apply_prot(p, ph, e.phnum, lo);
	rc = 0;
	goto out;
unload : {
	char keep[UK_ELF_ERRLEN];

	memcpy(keep, p->err, sizeof(keep));
	uk_elf_unload(p);
	memcpy(p->err, keep, sizeof(keep));
}
out:
	free(ph);
	return rc;
}

void uk_elf_unload(struct uk_elf_prog *p)
{
	if (p->mem) {
		/* (a placement of the caller's pages goes back as it is) */
		if (p->prot_applied && !(p->fixed && fixed_ops))
			protect(p->mem, p->len,
				UKELF_PROT_READ | UKELF_PROT_WRITE);
		if (p->fixed && fixed_ops)
			fixed_ops->unmap((uintptr_t)p->mem, p->len);
		else if (p->fixed)
			uk_syscall_call(munmap, p->mem, p->len);
		else
			uk_pfree(uk_alloc_get_default(), p->mem,
				 p->len / UKELF_PAGE);
	}
	memset(p, 0, sizeof(*p));
}

/* ---- from a file ---- */

/* Linux struct stat, in the architecture's layout */
struct ukelf_kstat {
	UKARCH_STAT_FIELDS
};
_Static_assert(sizeof(struct ukelf_kstat) == UKARCH_STAT_SIZE,
	       "Linux struct stat");

int uk_elf_load_file(struct uk_elf_prog *p, const char *path)
{
	struct ukelf_kstat st;
	uint8_t *buf = NULL;
	size_t got = 0, size;
	long fd, r;
	int rc;

	memset(p, 0, sizeof(*p));
	fd = uk_syscall_call(openat, UKELF_AT_FDCWD, path,
			     UKELF_O_RDONLY | UKELF_O_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(p->err, sizeof(p->err), "cannot open: %s",
			 strerror((int)-fd));
		return (int)fd;
	}
	memset(&st, 0, sizeof(st));
	r = uk_syscall_call(fstat, fd, &st);
	if (r < 0) {
		snprintf(p->err, sizeof(p->err), "cannot stat: %s",
			 strerror((int)-r));
		rc = (int)r;
		goto out;
	}
	if ((st.st_mode & UKELF_S_IFMT) == UKELF_S_IFDIR) {
		snprintf(p->err, sizeof(p->err), "is a directory");
		rc = -EISDIR;
		goto out;
	}
	if ((st.st_mode & UKELF_S_IFMT) != UKELF_S_IFREG) {
		snprintf(p->err, sizeof(p->err),
			 "not a regular file (mode 0%o)", st.st_mode);
		rc = -EACCES;
		goto out;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > UK_ELF_MAX_FILE) {
		snprintf(p->err, sizeof(p->err),
			 "file of %lld bytes, more than the limit of %lu MiB",
			 (long long)st.st_size, UK_ELF_MAX_FILE >> 20);
		rc = -EFBIG;
		goto out;
	}
	size = (size_t)st.st_size;
	buf = malloc(size ? size : 1);
	if (!buf) {
		snprintf(p->err, sizeof(p->err),
			 "not enough memory to read its %zu bytes", size);
		rc = -ENOMEM;
		goto out;
	}
	/* bounded: every round reads at least one byte or stops */
	while (got < size) {
		r = uk_syscall_call(read, fd, buf + got, size - got);
		if (r == -EINTR)
			continue;
		if (r < 0) {
			snprintf(p->err, sizeof(p->err),
				 "read error at byte %zu: %s", got,
				 strerror((int)-r));
			rc = (int)r;
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got < size) {
		snprintf(p->err, sizeof(p->err),
			 "short read: %zu of %zu bytes (file changed?)", got,
			 size);
		rc = -EIO;
		goto out;
	}
	rc = uk_elf_load_mem(p, buf, size);
out:
	free(buf);
	uk_syscall_call(close, fd);
	return rc;
}
