/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sigtest: asynchronous signals in an image, as a plain musl program (the
 * native path: handlers run on the way out of system calls and when a
 * blocking call is interrupted). sigaction with SA_SIGINFO, raise, kill,
 * pthread_kill to one thread, sigprocmask and sigpending, queued real-time
 * signals with values, alarm and setitimer ending blocking calls (pipe,
 * eventfd, poll, nanosleep, epoll_wait, AF_UNIX recv and accept, flock
 * and F_OFD_SETLKW) with EINTR, SA_RESTART making a pipe read
 * again, sigsuspend, sigtimedwait (a timer's signal, a timeout), POSIX
 * timers with SIGEV_SIGNAL and SIGEV_THREAD, siglongjmp out of a handler,
 * SIG_IGN, SIGPIPE. Every result is checked; the last line is
 * "sigtest: N checks, 0 failed". Time bounds are lower bounds only (a
 * loaded host may run late, never early).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int checks, failed;

#define CHECK(c)                                                         \
	do {                                                             \
		checks++;                                                \
		if (!(c)) {                                              \
			failed++;                                        \
			printf("sigtest: FAIL line %d: %s (errno %d)\n", \
			       __LINE__, #c, errno);                     \
		}                                                        \
	} while (0)

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static volatile int hits, last_sig, last_code, last_val, last_pid;
static volatile pthread_t hit_thread;
static volatile int rt_vals[8], rt_n;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_val = si->si_value.sival_int;
	hit_thread = pthread_self();
	if (sig >= SIGRTMIN && rt_n < 8)
		rt_vals[rt_n++] = si->si_value.sival_int;
}

static void set(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void mask(int how, int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

static void test_basics(void)
{
	sigset_t p;

	set(SIGUSR1, 0);
	hits = 0;
	CHECK(raise(SIGUSR1) == 0);
	CHECK(hits == 1 && last_sig == SIGUSR1 && last_code == SI_TKILL);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(hits == 2 && last_code == SI_USER && last_pid == getpid());
	/* blocked: pending, delivered when unblocked */
	mask(SIG_BLOCK, SIGUSR1);
	CHECK(raise(SIGUSR1) == 0 && hits == 2);
	CHECK(sigpending(&p) == 0 && sigismember(&p, SIGUSR1));
	mask(SIG_UNBLOCK, SIGUSR1);
	CHECK(hits == 3);
	CHECK(sigpending(&p) == 0 && !sigismember(&p, SIGUSR1));
	/* real-time signals queue, in order, with their values */
	set(SIGRTMIN + 1, 0);
	mask(SIG_BLOCK, SIGRTMIN + 1);
	rt_n = 0;
	for (int i = 0; i < 3; i++)
		CHECK(sigqueue(getpid(), SIGRTMIN + 1,
			       (union sigval){.sival_int = 10 + i}) == 0);
	CHECK(rt_n == 0);
	mask(SIG_UNBLOCK, SIGRTMIN + 1);
	CHECK(rt_n == 3 && rt_vals[0] == 10 && rt_vals[1] == 11 &&
	      rt_vals[2] == 12);
	/* ignored: dropped, never pending */
	signal(SIGUSR2, SIG_IGN);
	hits = 0;
	CHECK(raise(SIGUSR2) == 0 && hits == 0);
	CHECK(sigpending(&p) == 0 && !sigismember(&p, SIGUSR2));
	CHECK(kill(getpid(), 0) == 0);
	CHECK(kill(getpid(), 99) == -1 && errno == EINVAL);
}

/* alarm and setitimer end blocking calls: EINTR without SA_RESTART */
static void test_eintr(void)
{
	int pfd[2], efd;
	char c;
	uint64_t t0, v;
	struct pollfd pf;
	struct timespec ts = {5, 0}, left;

	set(SIGALRM, 0);
	CHECK(pipe(pfd) == 0);
	hits = 0;
	t0 = now_ms();
	CHECK(alarm(1) == 0);
	CHECK(read(pfd[0], &c, 1) == -1 && errno == EINTR);
	CHECK(hits == 1 && last_sig == SIGALRM && now_ms() - t0 >= 900);
	efd = eventfd(0, 0);
	struct itimerval it = {{0, 0}, {0, 200000}};
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK(read(efd, &v, 8) == -1 && errno == EINTR && hits == 2);
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	pf = (struct pollfd){.fd = pfd[0], .events = POLLIN};
	CHECK(poll(&pf, 1, 10000) == -1 && errno == EINTR && hits == 3);
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	t0 = now_ms();
	CHECK(nanosleep(&ts, &left) == -1 && errno == EINTR && hits == 4);
	CHECK(left.tv_sec >= 1 && left.tv_sec <= 5); /* time left */
	/* periodic */
	struct itimerval per = {{0, 50000}, {0, 50000}}, got;
	hits = 0;
	CHECK(setitimer(ITIMER_REAL, &per, NULL) == 0);
	for (int i = 0; i < 200 && hits < 5; i++) /* bounded: 20 s */
		usleep(100000);
	CHECK(hits >= 5);
	per = (struct itimerval){{0, 0}, {0, 0}};
	CHECK(setitimer(ITIMER_REAL, &per, &got) == 0);
	CHECK(got.it_interval.tv_usec == 50000);
	CHECK(getitimer(ITIMER_REAL, &got) == 0 && got.it_value.tv_sec == 0 &&
	      got.it_value.tv_usec == 0);
	close(efd);
	close(pfd[0]);
	close(pfd[1]);
}

/* the other blocking calls: each ended by a 200 ms timer, EINTR */
static int arm(void)
{
	struct itimerval it = {{0, 0}, {0, 200000}};

	return setitimer(ITIMER_REAL, &it, NULL);
}

static void test_eintr_more(void)
{
	int sv[2], ep, ls, a, b, h0 = hits;
	char c;
	struct epoll_event ev = {.events = EPOLLIN};
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

	set(SIGALRM, 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(arm() == 0);
	CHECK(recv(sv[0], &c, 1, 0) == -1 && errno == EINTR);
	ep = epoll_create1(0);
	ev.data.fd = sv[0];
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev) == 0);
	CHECK(arm() == 0);
	CHECK(epoll_wait(ep, &ev, 1, 10000) == -1 && errno == EINTR);
	/* accept on a listener nobody connects to (the abstract namespace) */
	memcpy(sa.sun_path, "\0sigtest", 8);
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(ls, (struct sockaddr *)&sa,
		   offsetof(struct sockaddr_un, sun_path) + 8) == 0);
	CHECK(listen(ls, 1) == 0);
	CHECK(arm() == 0);
	CHECK(accept(ls, NULL, NULL) == -1 && errno == EINTR);
	/* locks held through another open file description */
	a = open("/tmp/sigtest.lock", O_RDWR | O_CREAT, 0600);
	b = open("/tmp/sigtest.lock", O_RDWR);
	CHECK(a >= 0 && b >= 0);
	CHECK(flock(a, LOCK_EX) == 0);
	CHECK(arm() == 0);
	CHECK(flock(b, LOCK_EX) == -1 && errno == EINTR);
	CHECK(flock(a, LOCK_UN) == 0);
	CHECK(fcntl(a, F_OFD_SETLK, &fl) == 0);
	CHECK(arm() == 0);
	CHECK(fcntl(b, F_OFD_SETLKW, &fl) == -1 && errno == EINTR);
	CHECK(hits == h0 + 5);
	close(a);
	close(b);
	close(ls);
	close(ep);
	close(sv[0]);
	close(sv[1]);
}

static int rpipe[2];

static void *late_writer(void *arg)
{
	(void)arg;
	usleep(600000);
	write(rpipe[1], "x", 1);
	return NULL;
}

/* SA_RESTART: the interrupted read is made again and gets the byte */
static void test_restart(void)
{
	pthread_t t;
	char c = 0;
	struct itimerval it = {{0, 0}, {0, 200000}};

	set(SIGALRM, SA_RESTART);
	CHECK(pipe(rpipe) == 0);
	hits = 0;
	CHECK(pthread_create(&t, NULL, late_writer, NULL) == 0);
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK(read(rpipe[0], &c, 1) == 1 && c == 'x');
	CHECK(hits == 1);
	pthread_join(t, NULL);
	close(rpipe[0]);
	close(rpipe[1]);
	set(SIGALRM, 0);
}

/* sigsuspend and sigtimedwait */
static void test_waits(void)
{
	sigset_t none, set2;
	siginfo_t si;
	struct timespec ts = {0, 100000000};
	timer_t tm;
	struct sigevent ev;
	struct itimerspec its = {{0, 0}, {0, 100000000}};
	uint64_t t0;

	mask(SIG_BLOCK, SIGALRM);
	sigemptyset(&none);
	hits = 0;
	struct itimerval it = {{0, 0}, {0, 100000}};
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK(sigsuspend(&none) == -1 && errno == EINTR && hits == 1);
	sigprocmask(SIG_BLOCK, NULL, &set2);
	CHECK(sigismember(&set2, SIGALRM)); /* the old mask is back */
	mask(SIG_UNBLOCK, SIGALRM);
	/* nothing comes: EAGAIN after the timeout */
	sigemptyset(&set2);
	sigaddset(&set2, SIGUSR2);
	mask(SIG_BLOCK, SIGUSR2);
	t0 = now_ms();
	CHECK(sigtimedwait(&set2, &si, &ts) == -1 && errno == EAGAIN);
	CHECK(now_ms() - t0 >= 90);
	/* a POSIX timer's signal, taken by sigtimedwait */
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR2;
	ev.sigev_value.sival_int = 4242;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0);
	CHECK(timer_settime(tm, 0, &its, NULL) == 0);
	ts.tv_sec = 10;
	CHECK(sigtimedwait(&set2, &si, &ts) == SIGUSR2);
	CHECK(si.si_code == SI_TIMER && si.si_value.sival_int == 4242);
	CHECK(timer_delete(tm) == 0);
	mask(SIG_UNBLOCK, SIGUSR2);
}

static volatile int thread_notified;

static void notify(union sigval v)
{
	thread_notified = v.sival_int;
}

static void test_sigev_thread(void)
{
	timer_t tm;
	struct sigevent ev;
	struct itimerspec its = {{0, 0}, {0, 50000000}};

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = notify;
	ev.sigev_value.sival_int = 77;
	CHECK(timer_create(CLOCK_REALTIME, &ev, &tm) == 0);
	CHECK(timer_settime(tm, 0, &its, NULL) == 0);
	for (int i = 0; i < 200 && !thread_notified; i++) /* bounded */
		usleep(50000);
	CHECK(thread_notified == 77);
	CHECK(timer_delete(tm) == 0);
}

static sigjmp_buf jb;

static void on_jump(int sig)
{
	siglongjmp(jb, sig);
}

static volatile int target_ready;

static void *poller(void *arg)
{
	int *pfd = arg;
	struct pollfd pf = {.fd = pfd[0], .events = POLLIN};

	target_ready = 1;
	return (void *)(intptr_t)(poll(&pf, 1, 20000) == -1 && errno == EINTR);
}

static void test_jump_and_threads(void)
{
	sigset_t cur;
	pthread_t t;
	void *ok;
	int pfd[2], r;

	signal(SIGUSR1, on_jump);
	r = sigsetjmp(jb, 1);
	if (r == 0) {
		raise(SIGUSR1);
		CHECK(0); /* not reached */
	}
	CHECK(r == SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGUSR1)); /* the saved mask is back */
	/* pthread_kill: the handler runs in the target, whose poll ends */
	set(SIGUSR1, 0);
	CHECK(pipe(pfd) == 0);
	hits = 0;
	CHECK(pthread_create(&t, NULL, poller, pfd) == 0);
	for (int i = 0; i < 100 && !target_ready; i++)
		usleep(10000);
	usleep(100000); /* into its poll */
	CHECK(pthread_kill(t, SIGUSR1) == 0);
	pthread_join(t, &ok);
	CHECK(ok == (void *)1);
	CHECK(hits == 1 && pthread_equal(hit_thread, t));
	/* SIGPIPE with a handler: EPIPE, and the handler ran */
	set(SIGPIPE, 0);
	close(pfd[0]);
	hits = 0;
	CHECK(write(pfd[1], "x", 1) == -1 && errno == EPIPE);
	CHECK(hits == 1 && last_sig == SIGPIPE);
	close(pfd[1]);
}

int main(void)
{
	test_basics();
	test_eintr();
	test_eintr_more();
	test_restart();
	test_waits();
	test_sigev_thread();
	test_jump_and_threads();
	printf("sigtest: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
