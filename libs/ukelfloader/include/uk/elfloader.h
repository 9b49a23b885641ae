/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukelfloader: load an unmodified Linux x86_64 static executable (static-PIE
 * ET_DYN, or ET_EXEC when its fixed addresses can be had) and enter it the
 * way Linux's execve() does.
 *
 *   struct uk_elf_prog p;
 *   if (uk_elf_load_file(&p, "/bin/prog") < 0)
 *           printf("elfrun: /bin/prog: %s\n", p.err);
 *   ...
 *   uk_elf_exec(&p, argc, argv, envp);     (returns only on error)
 *
 * Everything read from the file is checked before use: every error returns
 * a negative errno and leaves a specific sentence in p->err ("not an ELF
 * file (bad magic)", "segment 2: data out of the file ...").
 *
 * Memory: a static-PIE program gets pages from the default allocator
 * (uk_palloc); a fixed-address one asks mmap(MAP_FIXED_NOREPLACE) for its
 * range. Segment permissions are applied with mprotect() (when the image has
 * an implementation). Files are read through the system call functions
 * (openat, fstat, read, close), so any file system behind them works.
 */
#ifndef UK_ELFLOADER_H
#define UK_ELFLOADER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits on what a file may ask for (bigger: a specific error). */
#define UK_ELF_MAX_FILE	 (512ul << 20) /* bytes of file read */
#define UK_ELF_MAX_SPAN	 (1ul << 30)   /* bytes from first to last segment */
#define UK_ELF_MAX_PHNUM 128	       /* program headers */
#define UK_ELF_ERRLEN	 160

struct uk_elf_prog {
	/* Filled by a successful load. */
	void *mem;	    /* the loaded range's first page */
	size_t len;	    /* its bytes (a multiple of 4096) */
	int fixed;	    /* 1: ET_EXEC at its own addresses (mmap) */
	uintptr_t bias;	    /* run address - link address (0 if fixed) */
	uintptr_t entry;    /* entry point, run address */
	uintptr_t phdr;	    /* program headers in memory (AT_PHDR) */
	unsigned int phnum; /* AT_PHNUM */
	int prot_applied;   /* segment permissions were set with mprotect */
	/* Why the last call on this struct failed (NUL-terminated). */
	char err[UK_ELF_ERRLEN];
};

/*
 * Check the ELF file in buf[0..len) and load it. Returns 0, or a negative
 * errno with p->err saying what is wrong: -ENOEXEC (not a loadable x86_64
 * static executable: bad magic, class, byte order, machine, type, program
 * headers, segments, PT_INTERP), -ENOMEM (no memory for it), -EFBIG
 * (segments beyond UK_ELF_MAX_SPAN), -EADDRINUSE (fixed addresses taken).
 * buf is no longer needed afterwards.
 */
int uk_elf_load_mem(struct uk_elf_prog *p, const void *buf, size_t len);

/*
 * Read the file at `path` with openat/fstat/read/close and uk_elf_load_mem()
 * it. Additional errors: the call's negative errno (-ENOENT, -EACCES...),
 * -EISDIR, -EFBIG (file above UK_ELF_MAX_FILE), -EIO (short read).
 */
int uk_elf_load_file(struct uk_elf_prog *p, const char *path);

/*
 * How segment permissions are applied: fn(addr, len, prot) with page-aligned
 * addr/len and Linux PROT_READ/WRITE/EXEC bits (prot always has READ),
 * returning 0 or a negative errno. NULL (the default): the mprotect()
 * system call (posixmmap applies it to the page tables through
 * ukplat_page_protect; W^X: a writable+executable segment makes it fail,
 * and the pages stay read/write). For loaders that manage permissions
 * themselves.
 */
void uk_elf_set_protect(int (*fn)(void *addr, size_t len, int prot));

/*
 * Where a fixed-address program (ET_EXEC) goes: map(lo, len, err, errlen)
 * makes [lo, lo + len) (page-aligned link addresses) present and writable
 * at those addresses and returns 0, or a negative errno with a sentence in
 * err; unmap(lo, len) undoes it when the program is unloaded. NULL (the
 * default): mmap(MAP_FIXED_NOREPLACE), which only works where the image
 * made such memory (posixexec's window is what makes non-PIE programs
 * run).
 */
struct uk_elf_fixed_ops {
	int (*map)(uintptr_t lo, size_t len, char *err, size_t errlen);
	void (*unmap)(uintptr_t lo, size_t len);
};
void uk_elf_set_fixed_ops(const struct uk_elf_fixed_ops *ops);

/* Give the program's memory back (only while it has not been entered). */
void uk_elf_unload(struct uk_elf_prog *p);

/*
 * Build the initial process stack at the top of stack[0..size), as Linux
 * lays it out: argc, argv[], NULL, envp[], NULL, auxv pairs (AT_PHDR,
 * AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID,
 * AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM, AT_HWCAP, AT_HWCAP2,
 * AT_CLKTCK, AT_EXECFN, AT_PLATFORM, AT_NULL), then the 16 random bytes,
 * the platform string and the strings, with the stack pointer 16-byte
 * aligned at argc. envp may be NULL (no environment); execfn NULL means
 * argv[0]. random: 16 bytes for AT_RANDOM, or NULL to draw them with
 * getrandom() (falling back to the time stamp counter).
 * Returns the stack pointer (> 0), or -E2BIG (with p->err) when the
 * strings take more than a quarter of the stack, -EINVAL for argc < 0.
 */
long uk_elf_stack_init(struct uk_elf_prog *p, void *stack, size_t size,
		       int argc, char *const argv[], char *const envp[],
		       const char *execfn, const uint8_t *random);

/* (The jump into a loaded program is the architecture's:
 * ukarch_linux_enter() of <uk/arch/syscall.h>: every register cleared and
 * interrupts enabled, as a Linux program runs - a timer or device
 * interrupt may stop it, and its signals arrive then.) */

/* Default stack for uk_elf_exec(), with a guard page below it. */
#define UK_ELF_STACK_SIZE (2ul << 20)

/*
 * Allocate a UK_ELF_STACK_SIZE stack, build the initial stack on it and
 * enter the loaded program. Returns only on failure (negative errno, p->err).
 */
int uk_elf_exec(struct uk_elf_prog *p, int argc, char *const argv[],
		char *const envp[], const char *execfn);

#ifdef __cplusplus
}
#endif
#endif /* UK_ELFLOADER_H */
