/* Faults on purpose, so tests can check the crash report.
 * Usage: fault [null|ud|div0|panic|assert|wx|nx|stack|smash] (default: null)
 *   wx:    write to the image's own code (W^X: text is read-only)
 *   nx:    jump into data (W^X: data is not executable)
 *   stack: endless recursion into the stack's guard page
 *   smash: write past a stack array over the stack protector's canary */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uk/assert.h>

/* Read through volatile globals so that the compiler cannot see the NULL or
 * the zero and turn the fault into something else (undefined behaviour is
 * fair game for an optimiser). noinline keeps one frame per function, so the
 * backtrace shows the chain. */
static int *volatile null_target;
static volatile int zero;

__attribute__((noinline)) void fault_null_write(int value)
{
	*null_target = value;
}

__attribute__((noinline)) void fault_invalid_opcode(void)
{
#if defined(__aarch64__)
	__asm__ __volatile__("udf #0");
#else
	__asm__ __volatile__("ud2");
#endif
}

__attribute__((noinline)) int fault_divide(int n)
{
	return n / zero;
}

__attribute__((noinline)) void fault_write_text(void)
{
	/* the first byte of this very function */
	*(volatile unsigned char *)(uintptr_t)fault_write_text = 0xc3;
}

/* "ret", in a data page */
#if defined(__aarch64__)
static uint32_t data_code[4] = {0xd65f03c0};
#else
static unsigned char data_code[16] = {0xc3};
#endif

__attribute__((noinline)) void fault_exec_data(void)
{
	void (*volatile fn)(void) = (void (*)(void))(uintptr_t)data_code;
	fn();
}

/* Recursion without end, but through a volatile pointer so that the
 * compiler neither warns nor turns it into a loop. */
static volatile int keep_going = 1;
__attribute__((noinline)) unsigned long fault_recurse(unsigned long n);
static unsigned long (*volatile recurse_fn)(unsigned long) = fault_recurse;

__attribute__((noinline)) unsigned long fault_recurse(unsigned long n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	if (!keep_going)
		return n;
	return recurse_fn(n + 1) + pad[0];
}

/* Overwrite the canary and nothing the backtrace needs. Where the canary
 * sits depends on the compiler: gcc puts it right above the array, clang
 * leaves padding and puts the saved registers above it. On x86_64 the frame
 * record (saved frame pointer, return address) is above all of them, so
 * writing from the array up to the frame pointer hits the canary with either
 * layout; elsewhere 8 bytes past the array. The length goes through a
 * volatile so that the compiler cannot see the overflow. */
static volatile size_t smash_len = 16 + 8;
__attribute__((noinline)) int fault_smash(const char *what)
{
	char buf[16];

#if defined(__x86_64__)
	smash_len = (size_t)((char *)__builtin_frame_address(0) - buf);
#endif
	memset(buf, 'A', smash_len);
	__asm__ __volatile__("" ::"r"(buf) : "memory");
	return buf[0] + what[0];
}

__attribute__((noinline)) void fault_dispatch(const char *what)
{
	if (!strcmp(what, "null"))
		fault_null_write(42);
	else if (!strcmp(what, "ud"))
		fault_invalid_opcode();
	else if (!strcmp(what, "div0"))
		printf("%d\n", fault_divide(100));
	else if (!strcmp(what, "panic"))
		UK_CRASH("fault example asked for a panic");
	else if (!strcmp(what, "assert"))
		UK_ASSERT(what[0] == 'x');
	else if (!strcmp(what, "wx"))
		fault_write_text();
	else if (!strcmp(what, "nx"))
		fault_exec_data();
	else if (!strcmp(what, "stack"))
		printf("%lu\n", fault_recurse(0));
	else if (!strcmp(what, "smash"))
		printf("%d\n", fault_smash(what));
	printf("fault: unknown fault '%s' (use null, ud, div0, panic, "
	       "assert, wx, nx, stack or smash)\n",
	       what);
}

int main(int argc, char *argv[])
{
	const char *what = argc > 1 ? argv[1] : "null";

	printf("fault: about to trigger '%s'\n", what);
	fault_dispatch(what);
	return 1; /* only reached for an unknown fault name */
}
