/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `./unikit bench syscall`: what four real system calls cost, each through
 * the libc (getpid(), clock_gettime(), write() and read()) and through the
 * raw `syscall` instruction. One source, built twice:
 *
 *   - as a unikit image (musl): the libc's calls are plain function calls
 *     into the pool (the native path), the instruction enters uksyscallbin
 *     (the binary path);
 *   - as a static Linux program (musl-gcc) in the Debian-kernel VM: both are
 *     Linux's own system calls (clock_gettime through the libc takes the
 *     vDSO, no kernel entry).
 *
 * The calls: getpid; clock_gettime(CLOCK_MONOTONIC); a 1-byte write to
 * /dev/null; a 1-byte read from a file in the root filesystem (ramfs in the
 * image, the initramfs's in the VM), which holds one byte per iteration so
 * that no read reaches the end. Run under QEMU's -icount shift=0 the TSC
 * counts guest instructions: each figure is TSC ticks of a loop of N calls
 * divided by N, the loop's own few instructions included (no empty loop is
 * taken away), the median of REPS loops. Output, one line per call and path:
 *   sysbench: CALL PATH TICKS_PER_CALL
 * then "sysbench: done". Any failing call ends the program with status 1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define N    2000
#define REPS 7

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline long raw3(long n, long a, long b, long c)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(n), "D"(a), "S"(b), "d"(c)
			     : "rcx", "r11", "memory");
	return ret;
}

static int fd_null, fd_file;
static char byte = 'x';

static void fail(const char *what)
{
	printf("sysbench: FAILED: %s\n", what);
	exit(1);
}

/* one call through the path; non-zero when it did not do its job */
static int call(int which, int raw)
{
	struct timespec ts;
	char b;

	switch (which) {
	case 0:
		return (raw ? raw3(SYS_getpid, 0, 0, 0) : getpid()) <= 0;
	case 1:
		return (raw ? raw3(SYS_clock_gettime, CLOCK_MONOTONIC,
				   (long)&ts, 0)
			    : clock_gettime(CLOCK_MONOTONIC, &ts)) != 0;
	case 2:
		return (raw ? raw3(SYS_write, fd_null, (long)&byte, 1)
			    : write(fd_null, &byte, 1)) != 1;
	default:
		return (raw ? raw3(SYS_read, fd_file, (long)&b, 1)
			    : read(fd_file, &b, 1)) != 1;
	}
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	static const char *const names[] = {"getpid", "clock_gettime", "write",
					    "read"};
	static char block[N];

	fd_null = open("/dev/null", O_WRONLY);
	if (fd_null < 0)
		fail("open /dev/null");
	memset(block, 'b', sizeof(block));
	fd_file = open("/sysbench.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd_file < 0 || write(fd_file, block, N) != N)
		fail("create /sysbench.dat");
	for (int which = 0; which < 4; which++) {
		for (int raw = 0; raw < 2; raw++) {
			uint64_t t[REPS];
			for (int r = 0; r < REPS; r++) {
				if (which == 3 &&
				    lseek(fd_file, 0, SEEK_SET) != 0)
					fail("lseek");
				uint64_t t0 = tsc();
				for (int i = 0; i < N; i++)
					if (call(which, raw))
						fail(names[which]);
				t[r] = tsc() - t0;
			}
			qsort(t, REPS, sizeof(*t), cmp);
			printf("sysbench: %s %s %.1f\n", names[which],
			       raw ? "syscall" : "libc",
			       (double)t[REPS / 2] / N);
		}
	}
	printf("sysbench: done\n");
	return 0;
}
