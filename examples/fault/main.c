/* Faults on purpose, so tests can check the crash report.
 * Usage: fault [null|ud|div0|panic|assert]   (default: null) */
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
	__asm__ __volatile__("ud2");
}

__attribute__((noinline)) int fault_divide(int n)
{
	return n / zero;
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
	printf("fault: unknown fault '%s' (use null, ud, div0, panic or "
	       "assert)\n",
	       what);
}

int main(int argc, char *argv[])
{
	const char *what = argc > 1 ? argv[1] : "null";

	printf("fault: about to trigger '%s'\n", what);
	fault_dispatch(what);
	return 1; /* only reached for an unknown fault name */
}
