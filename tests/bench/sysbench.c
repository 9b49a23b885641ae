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
 *
 * (argv[1] "calls": only those.) Then (or with argv[1] "roundtrip" only)
 * round trips between two threads through the libc (the native path in
 * the image): the main thread writes one byte (an eventfd: a count) and
 * reads the answer, an echo thread reads it and writes back a different
 * one, which the main thread checks - through two pipes, two eventfds and
 * one AF_UNIX stream socketpair (both directions on one pair). On one CPU
 * (the image; the VM has one too) each round trip is two writes, two reads
 * and two switches between the threads. Loops of NRT round trips, REPS of
 * them, the thread started and one round trip made before the first:
 *   sysbench: roundtrip KIND MEDIAN MIN MAX
 * (ticks per round trip). Then "sysbench: done". Any failing call, a short
 * transfer or a wrong answer ends the program with status 1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define N    2000
#define REPS 7
#define NRT  500

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

/* Round trips. to[]: the main thread writes to[1], the echo thread reads
 * to[0]; back[]: the echo thread writes back[1], the main thread reads
 * back[0]. (The socketpair: both are the pair's two ends.) */
enum { RT_PIPE, RT_EVENTFD, RT_UNIX, RT_KINDS };
static const char *const rt_names[] = {"pipe", "eventfd", "unix"};

struct rt {
	int kind;
	int to[2], back[2];
};

/* eventfd: the stop value (a count the main thread never sends otherwise) */
#define RT_STOP ((uint64_t)1 << 40)

static void *echo(void *arg)
{
	struct rt *rt = arg;

	for (;;) {
		if (rt->kind == RT_EVENTFD) {
			uint64_t v;

			if (read(rt->to[0], &v, 8) != 8)
				fail("eventfd echo read");
			if (v == RT_STOP)
				return NULL;
			v += 1;
			if (write(rt->back[1], &v, 8) != 8)
				fail("eventfd echo write");
		} else {
			unsigned char c;
			ssize_t n = read(rt->to[0], &c, 1);

			if (n == 0)
				return NULL; /* the main thread closed its end
					      */
			if (n != 1)
				fail(rt->kind == RT_PIPE ? "pipe echo read"
							 : "unix echo read");
			c ^= 0xa5;
			if (write(rt->back[1], &c, 1) != 1)
				fail(rt->kind == RT_PIPE ? "pipe echo write"
							 : "unix echo write");
		}
	}
}

/* one round trip, value i; non-zero when something failed or the answer
 * is not the echo thread's */
static int roundtrip(const struct rt *rt, uint32_t i)
{
	if (rt->kind == RT_EVENTFD) {
		uint64_t v = (uint64_t)i + 1, r;

		if (write(rt->to[1], &v, 8) != 8 ||
		    read(rt->back[0], &r, 8) != 8)
			return 1;
		return r != v + 1;
	}
	unsigned char c = (unsigned char)i, r;

	if (write(rt->to[1], &c, 1) != 1 || read(rt->back[0], &r, 1) != 1)
		return 1;
	return r != (unsigned char)(c ^ 0xa5);
}

static void bench_roundtrip(int kind)
{
	struct rt rt = {.kind = kind};
	pthread_t th;
	uint64_t t[REPS];

	switch (kind) {
	case RT_PIPE:
		if (pipe(rt.to) || pipe(rt.back))
			fail("pipe");
		break;
	case RT_EVENTFD:
		rt.to[0] = rt.to[1] = eventfd(0, 0);
		rt.back[0] = rt.back[1] = eventfd(0, 0);
		if (rt.to[0] < 0 || rt.back[0] < 0)
			fail("eventfd");
		break;
	default: {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			fail("socketpair");
		rt.to[1] = rt.back[0] = sv[0];
		rt.to[0] = rt.back[1] = sv[1];
	}
	}
	if (pthread_create(&th, NULL, echo, &rt))
		fail("pthread_create");
	if (roundtrip(&rt, 0))
		fail(rt_names[kind]);
	for (int r = 0; r < REPS; r++) {
		uint64_t t0 = tsc();
		for (uint32_t i = 0; i < NRT; i++)
			if (roundtrip(&rt, i))
				fail(rt_names[kind]);
		t[r] = tsc() - t0;
	}
	/* stop the echo thread: EOF on its end, or the stop count */
	if (kind == RT_EVENTFD) {
		uint64_t v = RT_STOP;

		if (write(rt.to[1], &v, 8) != 8)
			fail("eventfd stop");
	} else if (close(rt.to[1])) {
		fail("close");
	}
	if (pthread_join(th, NULL))
		fail("pthread_join");
	qsort(t, REPS, sizeof(*t), cmp);
	printf("sysbench: roundtrip %s %.1f %.1f %.1f\n", rt_names[kind],
	       (double)t[REPS / 2] / NRT, (double)t[0] / NRT,
	       (double)t[REPS - 1] / NRT);
	/* close what is left (the socketpair's echo end is to[0]) */
	close(rt.to[0]);
	if (kind != RT_UNIX) {
		close(rt.back[0]);
		if (kind == RT_PIPE)
			close(rt.back[1]);
	}
}

static void bench_calls(void)
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
}

/* argv[1]: "calls" or "roundtrip" for one half (the image for the calls
 * links no threads, which would change what musl's calls cost), nothing
 * for both */
int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";

	if (strcmp(what, "all") && strcmp(what, "calls") &&
	    strcmp(what, "roundtrip"))
		fail("unknown argument (calls, roundtrip or none)");
	if (strcmp(what, "roundtrip"))
		bench_calls();
	if (strcmp(what, "calls"))
		for (int kind = 0; kind < RT_KINDS; kind++)
			bench_roundtrip(kind);
	printf("sysbench: done\n");
	return 0;
}
