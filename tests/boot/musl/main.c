/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * musl in an image (-Dlibc=musl): stdio with floating point, the string and
 * stdlib conversions, malloc through ukalloc, thread-local storage, errno,
 * and with posixfutex pthreads (create, join, mutex, condition variable,
 * per-thread TLS). `musltest exit N` ends through exit(N) instead (atexit
 * handlers, stdio flushed, exit_group); `musltest return N` returns N from
 * main with stdout fully buffered (the same steps, without exit_group).
 * `musltest stdin` reads the console to its end and prints the byte count
 * and a 64-bit FNV-1a hash of what came (tests/boot/stdin_check.py).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTHREADS 4
#define ROUNDS	 1000

static __thread int tls_counter = 7;
static __thread char tls_buf[64];
static int failures;

#define CHECK(c, ...)                                      \
	do {                                               \
		if (!(c)) {                                \
			printf("musltest: FAIL %s: ", #c); \
			printf(__VA_ARGS__);               \
			printf("\n");                      \
			failures++;                        \
		}                                          \
	} while (0)

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long shared_sum;
static int started;

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void *worker(void *arg)
{
	long id = (long)arg;

	CHECK(tls_counter == 7, "thread %ld sees tls %d", id, tls_counter);
	tls_counter = 100 + (int)id;
	snprintf(tls_buf, sizeof(tls_buf), "thread %ld", id);
	errno = (int)id + 1;
	pthread_mutex_lock(&mtx);
	started++;
	pthread_cond_broadcast(&cond);
	while (started < NTHREADS)
		pthread_cond_wait(&cond, &mtx);
	pthread_mutex_unlock(&mtx);
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mtx);
		shared_sum += id;
		pthread_mutex_unlock(&mtx);
		if (i % 100 == 0)
			sched_yield();
	}
	CHECK(tls_counter == 100 + (int)id, "thread %ld tls %d", id,
	      tls_counter);
	CHECK(errno == (int)id + 1, "thread %ld errno %d", id, errno);
	char want[64];
	snprintf(want, sizeof(want), "thread %ld", id);
	CHECK(!strcmp(tls_buf, want), "thread %ld tls_buf '%s'", id, tls_buf);
	return (void *)(id * 10);
}

static void test_threads(void)
{
	pthread_t t[NTHREADS];
	int r;

	for (long i = 0; i < NTHREADS; i++) {
		r = pthread_create(&t[i], NULL, worker, (void *)i);
		if (r == EAGAIN) {
			printf("musltest: threads: not available (EAGAIN)\n");
			return;
		}
		CHECK(r == 0, "pthread_create: %d", r);
	}
	for (long i = 0; i < NTHREADS; i++) {
		void *ret = NULL;

		r = pthread_join(t[i], &ret);
		CHECK(r == 0 && ret == (void *)(i * 10), "join %ld: %d %p", i,
		      r, ret);
	}
	CHECK(shared_sum == ROUNDS * (0 + 1 + 2 + 3), "sum %ld", shared_sum);
	CHECK(tls_counter == 8, "main tls %d",
	      tls_counter); /* test_libc: 7 + 1 */
	printf("musltest: threads: %d joined, sum %ld\n", NTHREADS, shared_sum);
}

/* Detached threads unmap their own stack as they exit (musl's
 * __unmapself): 200 of them, in waves, must leave the heap consistent. */
static volatile int detached_done;

static void *detached(void *arg)
{
	char buf[2048]; /* use some of the stack that goes away */

	memset(buf, (int)(long)arg, sizeof(buf));
	__atomic_add_fetch(&detached_done, buf[100] == (char)(long)arg, 0);
	return NULL;
}

static void test_detached(void)
{
	pthread_attr_t a;

	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	for (int wave = 0; wave < 10; wave++) {
		for (long i = 0; i < 20; i++) {
			pthread_t t;
			int r = pthread_create(&t, &a, detached, (void *)i);

			if (r == EAGAIN) {
				printf("musltest: detached: not available\n");
				return;
			}
			CHECK(r == 0, "pthread_create detached: %d", r);
		}
		while (detached_done < (wave + 1) * 20)
			sched_yield();
	}
	for (int i = 0; i < 50; i++) /* let the last ones finish exiting */
		sched_yield();
	void *p = malloc(1 << 20);
	CHECK(p != NULL, "malloc after detached threads");
	free(p);
	printf("musltest: detached: %d threads exited\n", detached_done);
}

static void test_libc(void)
{
	char buf[128];
	char *end;

	snprintf(buf, sizeof(buf), "%.3f %e %g %x %5s|%-3d|", 3.14159,
		 12345.678, 0.0001, 0xbeef, "ab", 7);
	CHECK(!strcmp(buf, "3.142 1.234568e+04 0.0001 beef    ab|7  |"), "'%s'",
	      buf);
	double d = strtod("2.5e3xyz", &end);
	CHECK(d == 2500.0 && !strcmp(end, "xyz"), "%g '%s'", d, end);
	CHECK(strtol("-0x1f", NULL, 16) == -31, "strtol");
	errno = 0;
	CHECK(strtoul("99999999999999999999999", NULL, 10) ==
			      (unsigned long)-1 &&
		      errno == ERANGE,
	      "strtoul overflow errno %d", errno);

	int v[] = {5, 3, 9, 1, 7};
	qsort(v, 5, sizeof(int), cmp_int);
	CHECK(v[0] == 1 && v[4] == 9, "qsort");

	char *p = malloc(100);
	CHECK(p != NULL, "malloc");
	memset(p, 'x', 100);
	p = realloc(p, 10000);
	CHECK(p && p[99] == 'x', "realloc");
	free(p);
	CHECK(strerror(ENOENT) && strstr(strerror(ENOENT), "No such file"),
	      "strerror '%s'", strerror(ENOENT));
	tls_counter++;
	CHECK(tls_counter == 8, "tls %d", tls_counter);
	printf("musltest: libc: ok (%s)\n", buf);
}

static void bye(void)
{
	printf("musltest: atexit handler ran\n");
}

/* FNV-1a: any lost, doubled or reordered byte changes it */
static int read_stdin(void)
{
	unsigned long long h = 0xcbf29ce484222325ull;
	unsigned long n = 0;
	int c;

	while ((c = getchar()) != EOF) {
		h = (h ^ (unsigned char)c) * 0x100000001b3ull;
		n++;
	}
	if (ferror(stdin)) {
		printf("musltest: stdin: read error after %lu bytes\n", n);
		return 1;
	}
	printf("musltest: stdin: %lu bytes, fnv1a %016llx\n", n, h);
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc > 1 && !strcmp(argv[1], "stdin"))
		return read_stdin();
	if (argc > 2 && !strcmp(argv[1], "exit")) {
		atexit(bye);
		/* no newline: only exit()'s flush gets it out if buffered */
		printf("musltest: exit(%s)", argv[2]);
		printf("\n");
		exit(atoi(argv[2]));
	}
	if (argc > 2 && !strcmp(argv[1], "return")) {
		/* buffered again, as freopen() leaves a stream: returning from
		 * main is exit(), so the handler runs and the line gets out */
		static char buf[BUFSIZ];

		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
		atexit(bye);
		printf("musltest: return %s\n", argv[2]);
		return atoi(argv[2]);
	}
	test_libc();
	test_threads();
	test_detached();
	printf("musltest: %s\n", failures ? "FAILED" : "all passed");
	return failures ? 1 : 0;
}
