/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Boot test of the binary system call path.
 *
 * Checks the binary path: results, errors, six arguments, every register
 * (general and SSE) preserved but rax, the caller's red zone untouched,
 * unknown numbers -ENOSYS. (The benchmark is tests/bench/sysbench.c.)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uk/arch/x86_64.h>
#include <uk/syscall.h>

/* ---- the implementations this test calls ---- */
UK_SYSCALL_R_DEFINE(int, getppid)
{
	return 0;
}

/* (calls no library of the pool implements, so that the test links with
 * any libc's set of libraries) */
UK_SYSCALL_R_DEFINE(long, mbind, long, a, long, b, long, c, long, d, long, e,
		    long, f)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

UK_SYSCALL_R_DEFINE(int, acct, int, fd)
{
	return fd == 3 ? 0 : -EBADF;
}

static inline long bin6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10),
			       "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
}

static int failures;
#define CHECK(cond, ...)                                       \
	do {                                                   \
		if (!(cond)) {                                 \
			printf("syscall: FAIL: " __VA_ARGS__); \
			printf("\n");                          \
			failures++;                            \
		}                                              \
	} while (0)

/* Every register gets a pattern; after the call all but rax (and rcx/r11,
 * which `syscall` defines) must hold it still. The SSE registers too. */
static void check_registers(void)
{
	uint64_t out[16];
	uint64_t xin[32], xout[32];

	for (int i = 0; i < 32; i++)
		xin[i] = 0x5a5a000000000000ull + (uint64_t)i * 0x1111;
	memset(xout, 0, sizeof(xout));
	__asm__ __volatile__("pushq %%rbp\n\t"
			     "pushq %%rbx\n\t"
			     "pushq %%r12\n\t"
			     "pushq %%r13\n\t"
			     "pushq %%r14\n\t"
			     "pushq %%r15\n\t"
			     "pushq %[out]\n\t"
			     "pushq %[xout]\n\t"
			     "movdqu 0(%[xin]), %%xmm0\n\t"
			     "movdqu 16(%[xin]), %%xmm1\n\t"
			     "movdqu 32(%[xin]), %%xmm2\n\t"
			     "movdqu 48(%[xin]), %%xmm3\n\t"
			     "movdqu 64(%[xin]), %%xmm4\n\t"
			     "movdqu 80(%[xin]), %%xmm5\n\t"
			     "movdqu 96(%[xin]), %%xmm6\n\t"
			     "movdqu 112(%[xin]), %%xmm7\n\t"
			     "movdqu 128(%[xin]), %%xmm8\n\t"
			     "movdqu 144(%[xin]), %%xmm9\n\t"
			     "movdqu 160(%[xin]), %%xmm10\n\t"
			     "movdqu 176(%[xin]), %%xmm11\n\t"
			     "movdqu 192(%[xin]), %%xmm12\n\t"
			     "movdqu 208(%[xin]), %%xmm13\n\t"
			     "movdqu 224(%[xin]), %%xmm14\n\t"
			     "movdqu 240(%[xin]), %%xmm15\n\t"
			     "movq $0x1111111111111111, %%rbx\n\t"
			     "movq $0x2222222222222222, %%rbp\n\t"
			     "movq $0x3333333333333333, %%r12\n\t"
			     "movq $0x4444444444444444, %%r13\n\t"
			     "movq $0x5555555555555555, %%r14\n\t"
			     "movq $0x6666666666666666, %%r15\n\t"
			     "movq $3, %%rdi\n\t" /* acct(3) -> 0 */
			     "movq $0x7777777777777777, %%rsi\n\t"
			     "movq $0x8888888888888888, %%rdx\n\t"
			     "movq $0x9999999999999999, %%r10\n\t"
			     "movq $0xaaaaaaaaaaaaaaaa, %%r8\n\t"
			     "movq $0xbbbbbbbbbbbbbbbb, %%r9\n\t"
			     "movq $163, %%rax\n\t" /* acct */
			     "syscall\n\t"
			     "movq 8(%%rsp), %%r11\n\t" /* out */
			     "movq %%rbx, 0(%%r11)\n\t"
			     "movq %%rbp, 8(%%r11)\n\t"
			     "movq %%r12, 16(%%r11)\n\t"
			     "movq %%r13, 24(%%r11)\n\t"
			     "movq %%r14, 32(%%r11)\n\t"
			     "movq %%r15, 40(%%r11)\n\t"
			     "movq %%rdi, 48(%%r11)\n\t"
			     "movq %%rsi, 56(%%r11)\n\t"
			     "movq %%rdx, 64(%%r11)\n\t"
			     "movq %%r10, 72(%%r11)\n\t"
			     "movq %%r8, 80(%%r11)\n\t"
			     "movq %%r9, 88(%%r11)\n\t"
			     "movq %%rax, 96(%%r11)\n\t"
			     "movq %%rcx, 104(%%r11)\n\t"
			     "popq %%r11\n\t" /* xout */
			     "movdqu %%xmm0, 0(%%r11)\n\t"
			     "movdqu %%xmm1, 16(%%r11)\n\t"
			     "movdqu %%xmm2, 32(%%r11)\n\t"
			     "movdqu %%xmm3, 48(%%r11)\n\t"
			     "movdqu %%xmm4, 64(%%r11)\n\t"
			     "movdqu %%xmm5, 80(%%r11)\n\t"
			     "movdqu %%xmm6, 96(%%r11)\n\t"
			     "movdqu %%xmm7, 112(%%r11)\n\t"
			     "movdqu %%xmm8, 128(%%r11)\n\t"
			     "movdqu %%xmm9, 144(%%r11)\n\t"
			     "movdqu %%xmm10, 160(%%r11)\n\t"
			     "movdqu %%xmm11, 176(%%r11)\n\t"
			     "movdqu %%xmm12, 192(%%r11)\n\t"
			     "movdqu %%xmm13, 208(%%r11)\n\t"
			     "movdqu %%xmm14, 224(%%r11)\n\t"
			     "movdqu %%xmm15, 240(%%r11)\n\t"
			     "popq %%r11\n\t" /* out (again) */
			     "popq %%r15\n\t"
			     "popq %%r14\n\t"
			     "popq %%r13\n\t"
			     "popq %%r12\n\t"
			     "popq %%rbx\n\t"
			     "popq %%rbp\n\t"
			     :
			     : [out] "r"(out), [xout] "r"(xout), [xin] "r"(xin)
			     : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
			       "r10", "r11", "xmm0", "xmm1", "xmm2", "xmm3",
			       "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
			       "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
			       "xmm15", "memory");
	static const uint64_t want[12] = {
		0x1111111111111111,
		0x2222222222222222,
		0x3333333333333333,
		0x4444444444444444,
		0x5555555555555555,
		0x6666666666666666,
		3,
		0x7777777777777777,
		0x8888888888888888,
		0x9999999999999999,
		0xaaaaaaaaaaaaaaaa,
		0xbbbbbbbbbbbbbbbb,
	};
	static const char *const names[12] = {"rbx", "rbp", "r12", "r13",
					      "r14", "r15", "rdi", "rsi",
					      "rdx", "r10", "r8",  "r9"};
	for (int i = 0; i < 12; i++)
		CHECK(out[i] == want[i], "%s is %#lx after syscall, was %#lx",
		      names[i], (unsigned long)out[i], (unsigned long)want[i]);
	CHECK(out[12] == 0, "acct(3) returned %ld", (long)out[12]);
	CHECK(out[13] != 0, "rcx is 0 (should be the return address)");
	for (int i = 0; i < 32; i++)
		CHECK(xout[i] == xin[i], "xmm%d changed across syscall", i / 2);
}

/* The 128 bytes below the caller's rsp belong to the caller. */
static void check_red_zone(void)
{
	uint64_t bad;

	__asm__ __volatile__(
		"subq $256, %%rsp\n\t" /* a private area, then its red zone */
		"movabsq $0x0101010101010101, %%r8\n\t"
		"movq $16, %%rcx\n\t"
		"1: movq %%rcx, %%rax\n\t"
		"imulq %%r8, %%rax\n\t"
		"movq %%rax, -136(%%rsp,%%rcx,8)\n\t"
		"decq %%rcx\n\t"
		"jnz 1b\n\t"
		"movq $110, %%rax\n\t" /* getppid */
		"syscall\n\t"
		"xorq %%rdx, %%rdx\n\t"
		"movq $16, %%rcx\n\t"
		"2: movq %%rcx, %%rax\n\t"
		"imulq %%r8, %%rax\n\t"
		"cmpq %%rax, -136(%%rsp,%%rcx,8)\n\t"
		"je 3f\n\t"
		"incq %%rdx\n\t"
		"3: decq %%rcx\n\t"
		"jnz 2b\n\t"
		"addq $256, %%rsp\n\t"
		: "=d"(bad)
		:
		: "rax", "rcx", "r8", "r11", "memory");
	CHECK(bad == 0, "%lu red-zone words changed by a syscall",
	      (unsigned long)bad);
}

static void check(void)
{
	CHECK(bin6(UK_SYSCALL_NR_getppid, 0, 0, 0, 0, 0, 0) == 0, "getppid");
	CHECK(bin6(UK_SYSCALL_NR_mbind, 1, 2, 3, 4, 5, 6) == 91,
	      "six arguments: got %ld",
	      bin6(UK_SYSCALL_NR_mbind, 1, 2, 3, 4, 5, 6));
	CHECK(bin6(UK_SYSCALL_NR_acct, 7, 0, 0, 0, 0, 0) == -EBADF,
	      "an error comes back as -errno");
	CHECK(bin6(400, 0, 0, 0, 0, 0, 0) == -ENOSYS, "hole in the table");
	CHECK(bin6(9999, 0, 0, 0, 0, 0, 0) == -ENOSYS, "out of range");
	CHECK(bin6(-1, 0, 0, 0, 0, 0, 0) == -ENOSYS, "negative number");
	CHECK(bin6(UK_SYSCALL_NR_kexec_load, 0, 0, 0, 0, 0, 0) == -ENOSYS,
	      "an unimplemented call");
	/* the native path reaches the same implementations */
	CHECK(uk_syscall6(UK_SYSCALL_NR_mbind, 1, 2, 3, 4, 5, 6) == 91,
	      "native six arguments");
	check_registers();
	check_red_zone();
	if (failures)
		printf("syscall: %d checks failed\n", failures);
	else
		printf("syscall: binary path ok\n");
}

int main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	check();
	return failures ? 1 : 0;
}
