/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixsmoke: an ordinary POSIX program (nothing unikit-specific) that
 * checks files on the initrd and new ones, directories, stdio, errors,
 * threads (mutex, condition variable, semaphore, thread-specific data),
 * clocks and sleeping. Builds with musl or newlib, and on Linux:
 *   cc -O2 -pthread main.c -o posixsmoke && ./posixsmoke ROOT
 * (ROOT: the directory holding rootfs/'s content; "/" in an image.)
 * Prints one line per failed check and a summary; exits 0 when all pass.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int checks, failed;
static char root[256] = "/";

#define CHECK(cond, ...)                                               \
	do {                                                           \
		checks++;                                              \
		if (!(cond)) {                                         \
			failed++;                                      \
			printf("posixsmoke: FAIL (%s:%d): ", __func__, \
			       __LINE__);                              \
			printf(__VA_ARGS__);                           \
			printf("\n");                                  \
		}                                                      \
	} while (0)

static const char *path(const char *rel)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", root, rel);
	return buf[i];
}

static void initrd_files(void)
{
	char buf[128];
	int fd = open(path("etc/motd"), O_RDONLY);

	CHECK(fd >= 0, "open etc/motd: %s", strerror(errno));
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n == 52, "read etc/motd: %zd bytes", n);
	buf[n > 0 ? n : 0] = 0;
	CHECK(!strncmp(buf, "Welcome to unikit.\n", 19), "motd content '%s'",
	      buf);
	CHECK(read(fd, buf, sizeof(buf)) == 0, "read at EOF is not 0");
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 52 && S_ISREG(st.st_mode),
	      "fstat etc/motd");
	CHECK(close(fd) == 0, "close");

	/* a directory from the initrd, listed */
	DIR *d = opendir(path("data"));
	CHECK(d != NULL, "opendir data: %s", strerror(errno));
	if (!d)
		return;
	int files = 0, dirs = 0, dots = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			dots++;
		else if (!strcmp(e->d_name, "sub"))
			dirs++;
		else if (!strcmp(e->d_name, "a.txt") ||
			 !strcmp(e->d_name, "b.txt"))
			files++;
		else
			CHECK(0, "unexpected entry '%s' in data", e->d_name);
	}
	closedir(d);
	CHECK(files == 2 && dirs == 1 && dots == 2,
	      "data lists %d files, %d dirs, %d dots", files, dirs, dots);

	FILE *f = fopen(path("data/sub/c.txt"), "r");
	CHECK(f != NULL, "fopen data/sub/c.txt: %s", strerror(errno));
	if (f) {
		CHECK(fgets(buf, sizeof(buf), f) && !strcmp(buf, "gamma\n"),
		      "c.txt content");
		fclose(f);
	}
}

static void new_files(void)
{
	char buf[64];
	const char *p = path("tmp-smoke");

	mkdir(p, 0755);
	CHECK(chdir(p) == 0, "chdir %s: %s", p, strerror(errno));
	int fd = open("file", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0, "create: %s", strerror(errno));
	if (fd < 0)
		return;
	CHECK(write(fd, "hello, file", 11) == 11, "write");
	CHECK(lseek(fd, 7, SEEK_SET) == 7, "lseek");
	CHECK(read(fd, buf, 4) == 4 && !memcmp(buf, "file", 4), "read back");
	CHECK(pwrite(fd, "FILE", 4, 7) == 4, "pwrite");
	CHECK(pread(fd, buf, 11, 0) == 11 && !memcmp(buf, "hello, FILE", 11),
	      "pread");
	CHECK(ftruncate(fd, 5) == 0, "ftruncate");
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 5, "size after truncate");
	int fd2 = dup(fd);
	CHECK(fd2 > fd, "dup gave %d", fd2);
	CHECK(lseek(fd2, 0, SEEK_CUR) == lseek(fd, 0, SEEK_CUR),
	      "dup shares the offset");
	close(fd2);
	CHECK(fsync(fd) == 0, "fsync");
	close(fd);

	CHECK(rename("file", "renamed") == 0, "rename: %s", strerror(errno));
	CHECK(stat("file", &st) < 0 && errno == ENOENT, "old name still there");
	CHECK(stat("renamed", &st) == 0 && st.st_size == 5, "new name");

	FILE *f = fopen("log.txt", "w");
	CHECK(f != NULL, "fopen w: %s", strerror(errno));
	if (f) {
		for (int i = 0; i < 100; i++)
			fprintf(f, "line %d\n", i);
		fclose(f);
	}
	f = fopen("log.txt", "r");
	int lines = 0;
	if (f) {
		while (fgets(buf, sizeof(buf), f))
			lines++;
		fclose(f);
	}
	CHECK(lines == 100, "read %d lines back", lines);

	CHECK(getcwd(buf, sizeof(buf)) && strstr(buf, "tmp-smoke"), "getcwd");
	CHECK(unlink("renamed") == 0 && unlink("log.txt") == 0, "unlink");
	CHECK(chdir(root) == 0, "chdir back");
	CHECK(rmdir(p) == 0, "rmdir: %s", strerror(errno));
}

static void errors(void)
{
	struct stat st;
	char buf[8];

	errno = 0;
	CHECK(open(path("no/such/file"), O_RDONLY) < 0 && errno == ENOENT,
	      "open missing: errno %d", errno);
	CHECK(read(12345, buf, 1) < 0 && errno == EBADF, "bad fd: errno %d",
	      errno);
	CHECK(mkdir(path("etc"), 0755) < 0 && errno == EEXIST,
	      "mkdir existing: errno %d", errno);
	CHECK(rmdir(path("data")) < 0 && errno == ENOTEMPTY,
	      "rmdir non-empty: errno %d", errno);
	CHECK(open(path("etc/motd/x"), O_RDONLY) < 0 && errno == ENOTDIR,
	      "file as directory: errno %d", errno);
	CHECK(stat(path("etc/motd"), &st) == 0, "stat");
	CHECK(strlen(strerror(ENOENT)) > 5, "strerror");
	char *long_path = malloc(5000);
	if (long_path) {
		memset(long_path, 'a', 4999);
		long_path[0] = '/';
		long_path[4999] = 0;
		CHECK(open(long_path, O_RDONLY) < 0 && errno == ENAMETOOLONG,
		      "long path: errno %d", errno);
		free(long_path);
	}
}

/* 10,000 descriptors open at once (after raising the limit), then the
 * specific error past the limit; reads past the end of a file. */
static void many_files(void)
{
	struct rlimit rl;
	static int fds[10000];
	char c;
	int n = 0;

	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0, "getrlimit");
	if (rl.rlim_max < 10100) { /* (a host that allows fewer: skip) */
		printf("posixsmoke: only %ld descriptors allowed: skipping the "
		       "10,000 files\n",
		       (long)rl.rlim_max);
		return;
	}
	rl.rlim_cur = rl.rlim_max;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit: %s",
	      strerror(errno));
	for (; n < 10000; n++) {
		fds[n] = open(path("etc/motd"), O_RDONLY);
		if (fds[n] < 0)
			break;
	}
	CHECK(n == 10000, "opened %d of 10000 files: %s", n, strerror(errno));
	CHECK(n < 2 || (pread(fds[n - 1], &c, 1, 0) == 1 && c == 'W'),
	      "read through the last descriptor");
	CHECK(n < 1 || pread(fds[0], &c, 1, 1000000) == 0,
	      "pread far past the end is not 0");
	for (int i = 0; i < n; i++)
		close(fds[i]);
	rl.rlim_cur = 16;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "setrlimit 16");
	n = 0;
	for (int i = 0; i < 32; i++) {
		fds[i] = open(path("etc/motd"), O_RDONLY);
		if (fds[i] < 0)
			break;
		n++;
	}
	CHECK(n < 16 && errno == EMFILE, "past the limit: %d opened, errno %d",
	      n, errno);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	rl.rlim_cur = 1024;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* ---- threads ---- */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static sem_t sem;
static pthread_key_t key;

static void *worker(void *arg)
{
	long id = (long)arg;

	pthread_setspecific(key, (void *)(id + 100));
	for (int i = 0; i < 10000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 1000 == 0)
			sched_yield();
	}
	pthread_mutex_lock(&lock);
	ready++;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	sem_post(&sem);
	return (void *)((long)pthread_getspecific(key) * 2);
}

static void threads(void)
{
	pthread_t t[4];

	CHECK(pthread_key_create(&key, NULL) == 0, "key");
	CHECK(sem_init(&sem, 0, 0) == 0, "sem_init");
	for (long i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0,
		      "pthread_create %ld", i);
	pthread_mutex_lock(&lock);
	while (ready < 4)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < 4; i++)
		CHECK(sem_wait(&sem) == 0, "sem_wait");
	for (long i = 0; i < 4; i++) {
		void *ret = NULL;
		CHECK(pthread_join(t[i], &ret) == 0, "join");
		CHECK((long)ret == (i + 100) * 2, "thread %ld returned %ld", i,
		      (long)ret);
	}
	CHECK(counter == 40000, "counter %ld", counter);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	CHECK(sem_timedwait(&sem, &ts) < 0 && errno == ETIMEDOUT,
	      "sem_timedwait: errno %d", errno);
	sem_destroy(&sem);
}

static void clocks(void)
{
	struct timespec a, b, req = {0, 20 * 1000000};
	struct timeval tv;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "monotonic");
	CHECK(nanosleep(&req, NULL) == 0, "nanosleep");
	CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0, "monotonic");
	long long ns =
		(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	CHECK(ns >= 20000000 && ns < 2000000000LL, "slept %lld ns for 20 ms",
	      ns);
	CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec > 1600000000,
	      "gettimeofday %ld", (long)tv.tv_sec);
	CHECK(time(NULL) >= tv.tv_sec, "time()");
	CHECK(clock_getres(CLOCK_MONOTONIC, &a) == 0 && a.tv_sec == 0 &&
		      a.tv_nsec > 0,
	      "clock_getres");
	errno = 0;
	CHECK(clock_gettime((clockid_t)1234, &a) < 0 && errno == EINVAL,
	      "bad clock: errno %d", errno);
}

int main(int argc, char *argv[])
{
	if (argc > 1)
		snprintf(root, sizeof(root), "%s", argv[1]);
	initrd_files();
	new_files();
	errors();
	many_files();
	threads();
	clocks();
	printf("posixsmoke: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
