/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Image test of the binary clone path (not wired into tests/boot yet; see
 * README.md): a raw `syscall` clone whose child resumes on its own stack
 * with the parent's rbx and the given FS, blocks in a futex wait while
 * the parent blocks in another (each on its own aux stack), exits, and
 * clears + wakes ctid as musl's pthread_join expects. Prints
 * "clonetest: woke 1, ctid 0, fs 1, rbx 1, done 1" and exits 0.
 * Libraries: posixfutex ukschedcoop uksched uksyscall uksyscallbin ukalloc.
 */
#include <stdint.h>
#include <stdio.h>

static long sc6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10),
			       "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
}

static char stack[65536] __attribute__((aligned(16)));
static volatile int ctid, go, child_fs_ok, child_done, child_rbx_ok;
static int ptid;
static void *tcb[8];

void clonetest_child(long rbx);
__attribute__((used, noinline)) void clonetest_child(long rbx)
{
	unsigned long fs = 0;
	child_rbx_ok = rbx == 0x1234567;
	sc6(158, 0x1003, (long)&fs, 0, 0, 0, 0);
	child_fs_ok = fs == (unsigned long)tcb;
	while (!go)
		sc6(202, (long)&go, 0 | 128, 0, 0, 0, 0); /* FUTEX_WAIT */
	child_done = 1;
	sc6(60, 0, 0, 0, 0, 0, 0);
	for (;;)
		;
}

int main(int argc, char *argv[])
{
	long ret;
	(void)argc, (void)argv;
	tcb[0] = tcb;
	ctid = -1;
	register long r10 __asm__("r10") = (long)&ctid;
	register long r8 __asm__("r8") = (long)tcb;
	__asm__ __volatile__("pushq %%rbx\n\t"
			     "movq $0x1234567, %%rbx\n\t"
			     "syscall\n\t"
			     "testq %%rax, %%rax\n\t"
			     "jnz 1f\n\t"
			     "xorl %%ebp, %%ebp\n\t"
			     "movq %%rbx, %%rdi\n\t"
			     "call clonetest_child\n\t"
			     "ud2\n"
			     "1: popq %%rbx"
			     : "=a"(ret)
			     : "a"(56L), "D"(0x7d0f00L),
			       "S"(stack + sizeof(stack)), "d"(&ptid), "r"(r10),
			       "r"(r8)
			     : "rcx", "r11", "memory");
	printf("clonetest: clone -> %ld, ptid %d\n", ret, ptid);
	if (ret <= 1)
		return 1;
	ctid = (int)ret;
	/* let the child block in its futex wait first */
	static int dummy;
	static long ts[2] = {0, 1000000};
	long to = sc6(202, (long)&dummy, 0, 0, (long)ts, 0, 0);
	printf("clonetest: 1 ms wait -> %ld\n", to);
	go = 1;
	long w = sc6(202, (long)&go, 1 | 128, 1, 0, 0, 0);
	int v, n = 0;
	while ((v = ctid) != 0 && n++ < 100)
		sc6(202, (long)&ctid, 0, v, 0, 0, 0);
	printf("clonetest: woke %ld, ctid %d, fs %d, rbx %d, done %d\n", w,
	       ctid, child_fs_ok, child_rbx_ok, child_done);
	return !(ctid == 0 && child_fs_ok && child_rbx_ok && child_done);
}
