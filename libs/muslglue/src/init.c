/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * musl's libc init for the boot thread, early in the init table (after the
 * boot heap and the scheduler, before anything prints through stdio): musl
 * reads the start vector like a static Linux program's, sets up its thread
 * descriptor and the image's TLS (the PT_TLS header below describes the
 * linker script's .tdata/.tbss), and the thread pointer (__set_thread_area,
 * thread.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <uk/arch/cpu.h>
#include <uk/boot.h>
#include <uk/init.h>
#include <uk/muslglue.h>
#include <uk/print.h>

/* musl's (hidden: same link, so reachable) */
void __init_libc(char **envp, char *pn);

extern const char uk_app_name[];
extern const char __uk_tdata_start[] __attribute__((weak));
extern const char __uk_tdata_end[] __attribute__((weak));
extern const char __uk_tls_size[] __attribute__((weak));
extern const char __uk_tls_align[] __attribute__((weak));

static size_t startvec[32];
static struct uk_muslglue_phdr tls_phdr;
static unsigned char at_random[16];

/* 64-bit mixer (the splitmix64 finaliser) */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* AT_RANDOM: what a Linux program finds there, for code that reads it
 * through getauxval (musl's own stack-protector set-up, which used it, is
 * left out: the canary is unikit's, set by the platform); the CPU's random
 * number instruction when it has one (RDRAND, RNDR), else cycle counter
 * readings run through a mixer. */
static void fill_random(unsigned char *out, size_t len)
{
	int rng = ukarch_rng_present();

	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = 0;
		int ok = 0;

		for (int tries = 0; rng && !ok && tries < 10; tries++)
			ok = ukarch_rng_u64(&v);
		v ^= mix(ukarch_cycles() + i);
		for (size_t k = 0; k < 8 && i + k < len; k++)
			out[i + k] = (unsigned char)(v >> (8 * k));
	}
}

int uk_muslglue_init(void)
{
	struct uk_muslglue_startinfo si = {.pagesz = 4096, .random = at_random};
	int n;

	si.hwcap = ukarch_linux_hwcap(); /* as Linux reports it */
	fill_random(at_random, sizeof(at_random));
	if (__uk_tdata_start && (uintptr_t)__uk_tls_size) {
		si.tls.image = (uintptr_t)__uk_tdata_start;
		si.tls.filesz = (size_t)(__uk_tdata_end - __uk_tdata_start);
		si.tls.memsz = (size_t)(uintptr_t)__uk_tls_size;
		si.tls.align = (size_t)(uintptr_t)__uk_tls_align;
		if (!si.tls.align)
			si.tls.align = 1;
	}
	n = uk_muslglue_startvec(startvec, sizeof(startvec) / sizeof(*startvec),
				 &tls_phdr, &si);
	if (n < 0) {
		uk_pr_crit("musl: bad TLS template (%zu bytes, align %zu)",
			   si.tls.memsz, si.tls.align);
		return n;
	}
	__init_libc((char **)startvec, (char *)uk_app_name);
	/*
	 * Unbuffered, each printf() is still one write (musl formats into a
	 * stack buffer first) and app output stays in order with kernel
	 * messages. An app may buffer it again (setvbuf, freopen):
	 * ukboot_libc_exit() flushes it when main() returns.
	 */
	setvbuf(stdout, NULL, _IONBF, 0);
	return 0;
}

/* musl's own exit() steps before _Exit, in its order (fini arrays are not
 * run: ukboot runs no constructors' counterparts either). Hidden in musl,
 * which a static link resolves all the same. */
void __funcs_on_exit(void);
void __stdio_exit(void);

void ukboot_libc_exit(int status)
{
	(void)status;
	__funcs_on_exit();
	__stdio_exit();
}
/* lib class, right after the default scheduler (ukschedcoop, LIB 0) made
 * the boot context its main thread with a TLS block of its own: musl's
 * thread pointer must be the one that thread keeps (through arch_prctl) */
UK_INIT_CLASS(uk_muslglue_init, UK_INIT_LIB, 1);
