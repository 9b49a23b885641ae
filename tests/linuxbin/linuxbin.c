/*
 * A Linux program, compiled unmodified with musl-gcc as a static PIE, that
 * the elfrun boot test runs inside an image: file, time and thread calls,
 * each result printed and checked. Exits 0 only if every check passed.
 *
 * Expects the initrd to hold /data/hello.txt containing "hello from the
 * initrd\n" and a directory /data with at least that file.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int failures;
static const char *root = ""; /* argv[1]: a prefix, for runs on a host */
static char pbuf[4][256];
static int pnext;

static const char *P(const char *path)
{
	char *b = pbuf[pnext++ % 4];

	snprintf(b, sizeof(pbuf[0]), "%s%s", root, path);
	return b;
}

/* Print one result line; cond is evaluated once. */
#define CHECK(cond, ...)                                            \
	do {                                                        \
		int ok_ = !!(cond);                                 \
		int err_ = errno;                                   \
		printf(ok_ ? "ok   " : "FAIL ");                    \
		printf(__VA_ARGS__);                                \
		printf("%s\n", ok_ || !err_ ? "" : strerror(err_)); \
		failures += !ok_;                                   \
	} while (0)

static void files(void)
{
	char buf[128];
	struct stat st;
	int fd;
	ssize_t n;

	errno = 0;
	fd = open(P("/data/hello.txt"), O_RDONLY);
	CHECK(fd >= 0, "open /data/hello.txt: fd %d ", fd);
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(n == 22 && !strcmp(buf, "hello from the initrd\n"),
	      "read initrd file: %zd bytes ", n);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 22 && S_ISREG(st.st_mode),
	      "fstat: size %lld ", (long long)st.st_size);
	CHECK(lseek(fd, 6, SEEK_SET) == 6 && read(fd, buf, 4) == 4 &&
		      !memcmp(buf, "from", 4),
	      "lseek 6 + read 4: '%.4s' ", buf);
	close(fd);

	errno = 0;
	fd = open(P("/data/new.txt"), O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0, "create /data/new.txt: fd %d ", fd);
	for (int i = 0; i < 100; i++) {
		char line[32];
		int len = snprintf(line, sizeof(line), "line %03d\n", i);
		if (write(fd, line, (size_t)len) != len) {
			CHECK(0, "write line %d ", i);
			break;
		}
	}
	CHECK(lseek(fd, 0, SEEK_END) == 900, "900 bytes written ");
	CHECK(lseek(fd, 9 * 42, SEEK_SET) == 378 && read(fd, buf, 9) == 9 &&
		      !memcmp(buf, "line 042\n", 9),
	      "read back line 42 ");
	close(fd);
	CHECK(stat(P("/data/new.txt"), &st) == 0 && st.st_size == 900,
	      "stat new file: size %lld ", (long long)st.st_size);
	CHECK(stat(P("/data/missing"), &st) == -1 && errno == ENOENT,
	      "stat missing file: ENOENT ");
	errno = 0;

	DIR *d = opendir(P("/data"));
	int seen_hello = 0, seen_new = 0, entries = 0;
	CHECK(d != NULL, "opendir /data ");
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL && entries < 1000) {
		entries++;
		if (!strcmp(e->d_name, "hello.txt"))
			seen_hello = 1;
		if (!strcmp(e->d_name, "new.txt"))
			seen_new = 1;
	}
	if (d)
		closedir(d);
	CHECK(seen_hello && seen_new,
	      "readdir: %d entries, hello.txt %s, "
	      "new.txt %s ",
	      entries, seen_hello ? "yes" : "no", seen_new ? "yes" : "no");
	CHECK(unlink(P("/data/new.txt")) == 0 &&
		      stat(P("/data/new.txt"), &st) == -1,
	      "unlink new file ");
	errno = 0;
}

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000ll + t->tv_nsec;
}

static void times(void)
{
	struct timespec a, b, r, d = {0, 10 * 1000 * 1000};
	long long prev = 0;
	int mono = 1;

	for (int i = 0; i < 1000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (ns(&a) < prev)
			mono = 0;
		prev = ns(&a);
	}
	CHECK(mono && prev > 0,
	      "CLOCK_MONOTONIC never goes back (1000 reads) ");
	CHECK(clock_getres(CLOCK_MONOTONIC, &r) == 0 && ns(&r) > 0 &&
		      ns(&r) <= 1000000,
	      "clock_getres: %lld ns ", ns(&r));
	clock_gettime(CLOCK_MONOTONIC, &a);
	int rc = nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long us = (ns(&b) - ns(&a)) / 1000;
	CHECK(rc == 0 && us >= 10000 && us < 200000,
	      "nanosleep 10 ms: slept %lld us ", us);
	clock_gettime(CLOCK_REALTIME, &a);
	time_t now = time(NULL);
	CHECK(a.tv_sec > 1600000000 && now >= a.tv_sec && now - a.tv_sec < 5,
	      "CLOCK_REALTIME %lld, time() %lld ", (long long)a.tv_sec,
	      (long long)now);
}

#define NTHREADS 4
#define ROUNDS	 1000
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;

/* Threads take turns (condvar), each adding to the counter ROUNDS times. */
static void *worker(void *arg)
{
	int me = (int)(long)arg;

	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mtx);
		while (turn != me)
			pthread_cond_wait(&cv, &mtx);
		counter++;
		turn = (turn + 1) % NTHREADS;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mtx);
	}
	return (void *)(long)(me + 100);
}

static void threads(void)
{
	pthread_t t[NTHREADS];
	int created = 0, joined = 0;

	for (int i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(long)i) == 0)
			created++;
	CHECK(created == NTHREADS, "pthread_create: %d threads ", created);
	for (int i = 0; i < created; i++) {
		void *ret;
		if (pthread_join(t[i], &ret) == 0 && (long)ret == i + 100)
			joined++;
	}
	CHECK(joined == NTHREADS, "pthread_join: %d returned their values ",
	      joined);
	CHECK(counter == NTHREADS * ROUNDS,
	      "mutex + condvar counter: %ld (want %d) ", counter,
	      NTHREADS * ROUNDS);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		root = argv[1];
	printf("linuxbin: %s, %d arguments, pid %d\n", argv[0], argc - 1,
	       (int)getpid());
	files();
	times();
	threads();
	printf("linuxbin: %s (%d failures)\n", failures ? "FAILED" : "all OK",
	       failures);
	return failures ? 1 : 0;
}
