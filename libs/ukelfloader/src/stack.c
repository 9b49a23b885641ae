/* SPDX-License-Identifier: BSD-3-Clause */
/* The initial process stack (Linux layout, the same on x86_64 and arm64),
 * the jump into the program (the arch's ukarch_linux_enter), and
 * uk_elf_exec(). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/arch/cpu.h>
#include <uk/arch/syscall.h>
#include <uk/elfloader.h>
#include <uk/plat/memory.h>
#include <uk/print.h>
#include <uk/syscall.h>
#include "elf.h"

#define NAUX 19 /* auxv pairs, AT_NULL included */

static void random_bytes(uint8_t out[16])
{
	long r = uk_syscall_call(getrandom, out, 16, 0);

	if (r == 16)
		return;
	/* no getrandom in this image: mix the cycle counter */
	uint64_t x = ukarch_cycles() ^ 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 16; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		x += ukarch_cycles();
		out[i] = (uint8_t)(x >> 24);
	}
}

long uk_elf_stack_init(struct uk_elf_prog *p, void *stack, size_t size,
		       int argc, char *const argv[], char *const envp[],
		       const char *execfn, const uint8_t *random)
{
	static const char platform[] = UKARCH_LINUX_MACHINE;
	uintptr_t base = (uintptr_t)stack, top = base + size;
	size_t strbytes = 0, envc = 0;
	uint8_t rnd[16];

	if (argc < 0 || (argc > 0 && !argv))
		return -EINVAL;
	if (!execfn)
		execfn = argc > 0 && argv[0] ? argv[0] : "";
	/* bounded by the quarter-stack limit checked as we go */
	for (int i = 0; i < argc; i++) {
		strbytes += strlen(argv[i] ? argv[i] : "") + 1;
		if (strbytes > size / 4)
			goto too_big;
	}
	for (; envp && envp[envc]; envc++) {
		strbytes += strlen(envp[envc]) + 1;
		if (strbytes > size / 4)
			goto too_big;
	}
	strbytes += strlen(execfn) + 1;
	size_t words = 1 + (size_t)argc + 1 + envc + 1 + 2 * NAUX;
	if (strbytes + sizeof(platform) + 16 + 16 + words * 8 + 16 > size / 4)
		goto too_big;

	/* strings at the top: argv's, envp's, then the file name (Linux
	 * order); below them the platform string and the random bytes */
	char *s = (char *)(top - strbytes);
	char *sp_str = s;
	uintptr_t *vec_argv = NULL;
	uintptr_t cursor = (uintptr_t)s - sizeof(platform);
	uintptr_t plat = cursor;
	memcpy((void *)plat, platform, sizeof(platform));
	cursor -= 16;
	uintptr_t rnd_at = cursor;
	if (!random) {
		random_bytes(rnd);
		random = rnd;
	}
	memcpy((void *)rnd_at, random, 16);

	uintptr_t sp = ((cursor & ~(uintptr_t)15) - words * 8) & ~(uintptr_t)15;
	uint64_t *w = (uint64_t *)sp;
	size_t k = 0;

	w[k++] = (uint64_t)argc;
	vec_argv = (uintptr_t *)&w[k];
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i] ? argv[i] : "";
		size_t n = strlen(a) + 1;

		memcpy(sp_str, a, n);
		vec_argv[i] = (uintptr_t)sp_str;
		sp_str += n;
	}
	k += (size_t)argc;
	w[k++] = 0;
	for (size_t i = 0; i < envc; i++) {
		size_t n = strlen(envp[i]) + 1;

		memcpy(sp_str, envp[i], n);
		w[k++] = (uintptr_t)sp_str;
		sp_str += n;
	}
	w[k++] = 0;
	uintptr_t fn = (uintptr_t)sp_str;
	memcpy(sp_str, execfn, strlen(execfn) + 1);

#define AUX(t, v)                       \
	do {                            \
		w[k++] = (t);           \
		w[k++] = (uint64_t)(v); \
	} while (0)
	AUX(UKELF_AT_PHDR, p->phdr);
	AUX(UKELF_AT_PHENT, sizeof(struct ukelf_phdr));
	AUX(UKELF_AT_PHNUM, p->phnum);
	AUX(UKELF_AT_PAGESZ, UKELF_PAGE);
	AUX(UKELF_AT_BASE, 0); /* no interpreter */
	AUX(UKELF_AT_FLAGS, 0);
	AUX(UKELF_AT_ENTRY, p->entry);
	AUX(UKELF_AT_UID, 0);
	AUX(UKELF_AT_EUID, 0);
	AUX(UKELF_AT_GID, 0);
	AUX(UKELF_AT_EGID, 0);
	AUX(UKELF_AT_SECURE, 0);
	AUX(UKELF_AT_RANDOM, rnd_at);
	AUX(UKELF_AT_HWCAP, ukarch_linux_hwcap());
	AUX(UKELF_AT_HWCAP2, 0);
	AUX(UKELF_AT_CLKTCK, 100);
	AUX(UKELF_AT_EXECFN, fn);
	AUX(UKELF_AT_PLATFORM, plat);
	AUX(UKELF_AT_NULL, 0);
#undef AUX
	if (k != words)
		uk_pr_crit("elfloader: stack words %zu != %zu\n", k, words);
	return (long)sp;

too_big:
	snprintf(p->err, sizeof(p->err),
		 "arguments and environment take more than a quarter of the "
		 "%zu KiB stack",
		 size >> 10);
	return -E2BIG;
}

int uk_elf_exec(struct uk_elf_prog *p, int argc, char *const argv[],
		char *const envp[], const char *execfn)
{
	size_t npages = UK_ELF_STACK_SIZE / UKELF_PAGE + 1;
	uint8_t *mem = uk_palloc(uk_alloc_get_default(), npages);
	long sp;

	if (!mem) {
		snprintf(p->err, sizeof(p->err),
			 "not enough memory for a %lu KiB stack",
			 UK_ELF_STACK_SIZE >> 10);
		return -ENOMEM;
	}
	/* a guard page below the stack, where the platform can make one */
	if (ukplat_page_guard(mem, 1))
		uk_pr_debug("elfloader: stack without a guard page\n");
	sp = uk_elf_stack_init(p, mem + UKELF_PAGE, UK_ELF_STACK_SIZE, argc,
			       argv, envp, execfn, NULL);
	if (sp < 0) {
		ukplat_page_guard(mem, 0);
		uk_pfree(uk_alloc_get_default(), mem, npages);
		return (int)sp;
	}
	uk_pr_info("elfloader: entering %s at 0x%lx, stack 0x%lx\n",
		   execfn ? execfn : (argc ? argv[0] : "?"),
		   (unsigned long)p->entry, (unsigned long)sp);
	ukarch_linux_enter(p->entry, (uintptr_t)sp);
}
