/* main()'s stack: a deep but legal recursion, and getrlimit(RLIMIT_STACK).
 * Usage: mainstack [KIB]: recurse through KIB frames of at least 1 KiB each
 * (default 512), then print how deep the stack went. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static uintptr_t deepest;

/* A 1 KiB array per frame, written at both ends so that it stays; the add
 * after the call keeps the recursion from becoming a loop. */
__attribute__((noinline)) static unsigned dive(unsigned n)
{
	volatile char buf[1024];

	buf[0] = (char)n;
	buf[sizeof(buf) - 1] = 1;
	if ((uintptr_t)buf < deepest || !deepest)
		deepest = (uintptr_t)buf;
	if (!n)
		return buf[sizeof(buf) - 1];
	return dive(n - 1) + buf[sizeof(buf) - 1];
}

int main(int argc, char *argv[])
{
	unsigned kib = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 512;
	struct rlimit rl;
	char top;

	if (getrlimit(RLIMIT_STACK, &rl)) {
		perror("mainstack: getrlimit");
		return 1;
	}
	printf("mainstack: RLIMIT_STACK %llu %llu\n",
	       (unsigned long long)rl.rlim_cur,
	       (unsigned long long)rl.rlim_max);
	fflush(stdout);
	unsigned got = dive(kib);
	printf("mainstack: %u frames, %lu KiB of stack used\n", got,
	       (unsigned long)(((uintptr_t)&top - deepest) >> 10));
	return got == kib + 1 ? 0 : 1;
}
