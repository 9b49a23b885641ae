/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ipctest: the POSIX breadth of issue 14 in an image, as a plain musl
 * program: pipes (sizes, a full non-blocking pipe, a closed one), FIFOs,
 * eventfd, timerfd, epoll over them, AF_UNIX (stream, datagram, seqpacket,
 * paths, the abstract namespace, autobind, SCM_RIGHTS with good and bad
 * descriptors, SCM_CREDENTIALS), record locks and flock between threads,
 * hard and symbolic links, the standard root (/tmp, /etc lookups through
 * musl, /dev/stdout and /proc/self), uname, prctl, affinity and umask.
 * Every result is checked; the last line is "ipctest: N checks, 0 failed".
 *
 *   ipctest [NODENAME]          the default root (NODENAME: what uname
 *                               should say, when uname.nodename= is set)
 *   ipctest initrd              the initrd of tests/boot/ipc/rootfs merged
 *                               over the default root
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int checks, failed;

#define CHECK(c)                                                         \
	do {                                                             \
		checks++;                                                \
		if (!(c)) {                                              \
			failed++;                                        \
			printf("ipctest: FAIL line %d: %s (errno %d)\n", \
			       __LINE__, #c, errno);                     \
		}                                                        \
	} while (0)

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return (int)n;
}

/* ---- pipes ---- */

struct xfer {
	int fd;
	size_t bytes;
	uint32_t sum;
};

static void *pipe_writer(void *arg)
{
	struct xfer *x = arg;
	unsigned char buf[3000];
	size_t done = 0;

	while (done < x->bytes) {
		size_t n = x->bytes - done < sizeof(buf) ? x->bytes - done
							 : sizeof(buf);
		ssize_t w;

		for (size_t i = 0; i < n; i++) {
			buf[i] = (unsigned char)((done + i) * 7);
			x->sum += buf[i];
		}
		w = write(x->fd, buf, n);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(x->fd);
	return NULL;
}

static void test_pipes(void)
{
	int p[2];
	char buf[8192], big[4096];
	struct xfer x = {0};
	pthread_t t;
	uint32_t sum = 0;
	size_t got = 0;
	ssize_t n;
	struct pollfd pf;

	CHECK(pipe2(p, O_CLOEXEC) == 0);
	CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC);
	CHECK(write(p[1], "hello", 5) == 5);
	pf.fd = p[0];
	pf.events = POLLIN;
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN));
	CHECK(read(p[0], buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5));
	/* size: 64 KiB, then one page; a full non-blocking pipe loses
	 * nothing */
	CHECK(fcntl(p[0], F_GETPIPE_SZ) == 65536);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 4096) == 4096);
	CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0);
	for (int i = 0; i < 4096; i++)
		big[i] = (char)i;
	CHECK(write(p[1], big, 4096) == 4096);
	CHECK(write(p[1], "x", 1) == -1 && errno == EAGAIN);
	/* grow it, fill it further: it cannot shrink below its data */
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 8192) == 8192);
	CHECK(write(p[1], big, 4000) == 4000);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 4096) == -1 && errno == EBUSY);
	CHECK(read(p[0], buf, sizeof(buf)) == 8096 && !memcmp(buf, big, 4096) &&
	      !memcmp(buf + 4096, big, 4000));
	/* the reader gone: EPIPE (SIGPIPE ignored) */
	signal(SIGPIPE, SIG_IGN);
	close(p[0]);
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE);
	close(p[1]);
	/* the writer gone: the data, then EOF */
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "tail", 4) == 4);
	close(p[1]);
	CHECK(read(p[0], buf, sizeof(buf)) == 4);
	CHECK(read(p[0], buf, sizeof(buf)) == 0);
	close(p[0]);
	/* 200,000 bytes from a writer thread, blocking both ways */
	CHECK(pipe(p) == 0);
	x.fd = p[1];
	x.bytes = 200000;
	CHECK(pthread_create(&t, NULL, pipe_writer, &x) == 0);
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum += (unsigned char)buf[i];
		got += (size_t)n;
	}
	pthread_join(t, NULL);
	CHECK(got == 200000 && sum == x.sum);
	close(p[0]);
}

/* ---- FIFOs ---- */

static void *fifo_writer(void *arg)
{
	int fd = open(arg, O_WRONLY); /* waits for the reader */

	if (fd >= 0) {
		if (write(fd, "through the fifo", 16) != 16)
			fd = -fd;
		close(fd);
	}
	return NULL;
}

static void test_fifos(void)
{
	struct stat st;
	pthread_t t;
	char buf[32];
	int r, w;

	CHECK(mkfifo("/tmp/fifo", 0600) == 0);
	CHECK(stat("/tmp/fifo", &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK(open("/tmp/fifo", O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO);
	CHECK(pthread_create(&t, NULL, fifo_writer, "/tmp/fifo") == 0);
	r = open("/tmp/fifo", O_RDONLY); /* meets the writer */
	CHECK(r >= 0);
	CHECK(read(r, buf, sizeof(buf)) == 16 && !memcmp(buf, "through", 7));
	pthread_join(t, NULL);
	CHECK(read(r, buf, sizeof(buf)) == 0);
	close(r);
	r = open("/tmp/fifo", O_RDONLY | O_NONBLOCK);
	w = open("/tmp/fifo", O_WRONLY | O_NONBLOCK);
	CHECK(r >= 0 && w >= 0);
	CHECK(write(w, "nb", 2) == 2 && read(r, buf, 4) == 2);
	close(w);
	close(r);
	CHECK(unlink("/tmp/fifo") == 0);
}

/* ---- eventfd, timerfd, epoll ---- */

static void *event_later(void *arg)
{
	uint64_t one = 1;

	usleep(10000);
	if (write(*(int *)arg, &one, 8) != 8)
		*(int *)arg = -1;
	return NULL;
}

static void test_events(void)
{
	uint64_t v = 0, t0;
	int e, s, tf, ep;
	pthread_t t;
	struct itimerspec its = {{0, 0}, {0, 20000000}};
	struct epoll_event ev, out[4];

	e = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	CHECK(e >= 0);
	CHECK(read(e, &v, 8) == -1 && errno == EAGAIN);
	v = 3;
	CHECK(write(e, &v, 8) == 8);
	v = 4;
	CHECK(write(e, &v, 8) == 8);
	CHECK(read(e, &v, 8) == 8 && v == 7);
	CHECK(write(e, &v, 4) == -1 && errno == EINVAL);
	close(e);
	s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	CHECK(read(s, &v, 8) == 8 && v == 1);
	CHECK(read(s, &v, 8) == 8 && v == 1);
	CHECK(read(s, &v, 8) == -1 && errno == EAGAIN);
	close(s);
	/* a blocking read woken by another thread */
	e = eventfd(0, 0);
	s = e;
	CHECK(pthread_create(&t, NULL, event_later, &s) == 0);
	CHECK(read(e, &v, 8) == 8 && v == 1);
	pthread_join(t, NULL);
	/* a one-shot timer: the read blocks until it expires */
	tf = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	CHECK(tf >= 0);
	t0 = now_ms();
	CHECK(timerfd_settime(tf, 0, &its, NULL) == 0);
	CHECK(read(tf, &v, 8) == 8 && v == 1);
	CHECK(now_ms() - t0 >= 19);
	/* periodic: expirations are counted */
	its.it_interval.tv_nsec = 5000000;
	its.it_value.tv_nsec = 5000000;
	CHECK(timerfd_settime(tf, 0, &its, NULL) == 0);
	usleep(30000);
	CHECK(read(tf, &v, 8) == 8 && v >= 5);
	/* epoll over both */
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev.events = EPOLLIN;
	ev.data.u32 = 1;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev) == 0);
	ev.data.u32 = 2;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, tf, &ev) == 0);
	CHECK(epoll_wait(ep, out, 4, 1000) == 1 && out[0].data.u32 == 2);
	CHECK(read(tf, &v, 8) == 8);
	its = (struct itimerspec){{0, 0}, {0, 0}};
	timerfd_settime(tf, 0, &its, NULL); /* disarmed */
	v = 5;
	CHECK(write(e, &v, 8) == 8);
	CHECK(epoll_wait(ep, out, 4, 1000) == 1 && out[0].data.u32 == 1);
	close(ep);
	close(tf);
	close(e);
}

/* ---- AF_UNIX ---- */

static int send_fd(int s, int fd)
{
	char c = 'F';
	struct iovec iov = {&c, 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {0};
	struct cmsghdr *cm;

	memset(&u, 0, sizeof(u));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return (int)sendmsg(s, &mh, 0);
}

static int recv_fd(int s, struct ucred *cr)
{
	char c;
	struct iovec iov = {&c, 1};
	union {
		char buf[CMSG_SPACE(sizeof(int)) +
			 CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {0};
	int fd = -1;

	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	if (recvmsg(s, &mh, 0) != 1)
		return -2;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
	/* (musl's CMSG_NXTHDR compares a size_t with a pointer difference:
	 * clang's -Wsign-compare sees it at the expansion, in our code) */
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm;
	     cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
		if (cm->cmsg_type == SCM_CREDENTIALS && cr)
			memcpy(cr, CMSG_DATA(cm), sizeof(*cr));
	}
#pragma GCC diagnostic pop
	return fd;
}

static struct sockaddr_un un_addr(const char *path, int abstract,
				  socklen_t *len)
{
	struct sockaddr_un a;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	strcpy(a.sun_path + (abstract ? 1 : 0), path);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			   strlen(path) + 1);
	return a;
}

static void *unix_server(void *arg)
{
	int l = *(int *)arg, c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	char buf[16];
	ssize_t n;

	if (c < 0)
		return NULL;
	while ((n = read(c, buf, sizeof(buf))) > 0)
		if (write(c, buf, (size_t)n) != n)
			break;
	close(c);
	return NULL;
}

static void test_unix(void)
{
	int sv[2], p[2], fd, bad[1] = {999}, l, c, d1, d2, on = 1;
	char buf[64];
	pthread_t t;
	socklen_t len, al;
	struct sockaddr_un a, from;
	struct ucred cr = {0};

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(write(sv[0], "ping", 4) == 4 && read(sv[1], buf, 8) == 4);
	/* SCM_RIGHTS: a pipe's read end, then data through it */
	CHECK(pipe(p) == 0);
	CHECK(send_fd(sv[0], p[0]) == 1);
	close(p[0]);
	fd = recv_fd(sv[1], NULL);
	CHECK(fd >= 0);
	CHECK(write(p[1], "passed", 6) == 6 && read(fd, buf, 8) == 6 &&
	      !memcmp(buf, "passed", 6));
	close(fd);
	close(p[1]);
	/* a bad descriptor: EBADF, nothing sent */
	CHECK(send_fd(sv[0], bad[0]) == -1 && errno == EBADF);
	CHECK(recv(sv[1], buf, 1, MSG_DONTWAIT) == -1 && errno == EAGAIN);
	/* credentials */
	CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) == 0);
	CHECK(write(sv[0], "c", 1) == 1);
	CHECK(recv_fd(sv[1], &cr) == -1 && cr.pid == getpid() && cr.uid == 0);
	close(sv[0]);
	close(sv[1]);
	/* a path: listen, connect, an echo thread */
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	a = un_addr("/tmp/echo.sock", 0, &len);
	CHECK(bind(l, (struct sockaddr *)&a, len) == 0);
	CHECK(listen(l, 4) == 0);
	CHECK(pthread_create(&t, NULL, unix_server, &l) == 0);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(connect(c, (struct sockaddr *)&a, len) == 0);
	CHECK(write(c, "echo", 4) == 4 && read(c, buf, 8) == 4 &&
	      !memcmp(buf, "echo", 4));
	close(c);
	pthread_join(t, NULL);
	close(l);
	CHECK(unlink("/tmp/echo.sock") == 0);
	/* the abstract namespace, datagrams, autobind */
	d1 = socket(AF_UNIX, SOCK_DGRAM, 0);
	d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	a = un_addr("ipctest", 1, &len);
	len--; /* abstract names are not NUL-terminated */
	CHECK(bind(d1, (struct sockaddr *)&a, len) == 0);
	{
		sa_family_t fam = AF_UNIX;

		CHECK(bind(d2, (struct sockaddr *)&fam, sizeof(fam)) == 0);
	}
	CHECK(sendto(d2, "dgram", 5, 0, (struct sockaddr *)&a, len) == 5);
	al = sizeof(from);
	CHECK(recvfrom(d1, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		       &al) == 5);
	CHECK(al == offsetof(struct sockaddr_un, sun_path) + 6 &&
	      from.sun_path[0] == 0);
	close(d1);
	close(d2);
	/* seqpacket keeps records */
	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	CHECK(write(sv[0], "one", 3) == 3 && write(sv[0], "two", 3) == 3);
	CHECK(read(sv[1], buf, sizeof(buf)) == 3 && read(sv[1], buf, 2) == 2);
	close(sv[0]);
	CHECK(read(sv[1], buf, sizeof(buf)) == 0);
	close(sv[1]);
}

/* ---- locks between threads ---- */

static int lock_fd2;
static volatile int lock_order;

static int ofd(int fd, int cmd, short type)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET};

	return fcntl(fd, cmd, &fl);
}

static void *lock_waiter(void *arg)
{
	(void)arg;
	if (ofd(lock_fd2, F_OFD_SETLKW, F_WRLCK) == 0)
		lock_order = lock_order * 10 + 2;
	ofd(lock_fd2, F_OFD_SETLK, F_UNLCK);
	return NULL;
}

static void test_locks(void)
{
	int a = open("/tmp/lockfile", O_CREAT | O_RDWR, 0600);
	int b = open("/tmp/lockfile", O_RDWR);
	pthread_t t;
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

	CHECK(a >= 0 && b >= 0);
	/* POSIX locks are the process's: no conflict between its fds */
	CHECK(fcntl(a, F_SETLK, &fl) == 0 && fcntl(b, F_SETLK, &fl) == 0);
	fl.l_type = F_UNLCK;
	fcntl(a, F_SETLK, &fl);
	/* OFD locks conflict between descriptions: a thread waits */
	CHECK(ofd(a, F_OFD_SETLK, F_WRLCK) == 0);
	CHECK(ofd(b, F_OFD_SETLK, F_RDLCK) == -1 && errno == EAGAIN);
	lock_fd2 = b;
	lock_order = 0;
	CHECK(pthread_create(&t, NULL, lock_waiter, NULL) == 0);
	usleep(5000);
	lock_order = 1; /* the waiter has not got it yet */
	CHECK(ofd(a, F_OFD_SETLK, F_UNLCK) == 0);
	pthread_join(t, NULL);
	CHECK(lock_order == 12);
	/* flock */
	CHECK(flock(a, LOCK_EX) == 0);
	CHECK(flock(b, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK);
	CHECK(flock(a, LOCK_UN) == 0 && flock(b, LOCK_SH | LOCK_NB) == 0);
	close(a);
	close(b);
	unlink("/tmp/lockfile");
}

/* ---- links ---- */

static void test_links(void)
{
	struct stat st, st2;
	char buf[64];
	int fd = open("/tmp/orig", O_CREAT | O_WRONLY, 0644);

	CHECK(write(fd, "linked", 6) == 6);
	close(fd);
	CHECK(link("/tmp/orig", "/tmp/hard") == 0);
	CHECK(stat("/tmp/orig", &st) == 0 && stat("/tmp/hard", &st2) == 0);
	CHECK(st.st_ino == st2.st_ino && st2.st_nlink == 2);
	CHECK(unlink("/tmp/orig") == 0);
	CHECK(read_file("/tmp/hard", buf, sizeof(buf)) == 6);
	CHECK(symlink("/tmp/hard", "/tmp/sym") == 0);
	CHECK(readlink("/tmp/sym", buf, sizeof(buf)) == 9);
	CHECK(lstat("/tmp/sym", &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(read_file("/tmp/sym", buf, sizeof(buf)) == 6);
	CHECK(symlink("/tmp/loop2", "/tmp/loop1") == 0 &&
	      symlink("/tmp/loop1", "/tmp/loop2") == 0);
	CHECK(open("/tmp/loop1", O_RDONLY) == -1 && errno == ELOOP);
	unlink("/tmp/loop1");
	unlink("/tmp/loop2");
	unlink("/tmp/sym");
	unlink("/tmp/hard");
}

/* ---- the standard root ---- */

static void test_root(const char *node, int initrd)
{
	struct passwd *pw;
	struct group *gr;
	struct hostent *h;
	struct stat st;
	char buf[256], path[64];
	int fd, found = 0;
	DIR *d;
	struct dirent *de;

	CHECK(stat("/tmp", &st) == 0 && (st.st_mode & 07777) == 01777);
	pw = getpwnam("root");
	CHECK(pw && pw->pw_uid == 0 && !strcmp(pw->pw_dir, "/root"));
	pw = getpwnam("nobody");
	CHECK(pw && pw->pw_uid == 65534);
	CHECK(getpwnam("nosuchuser") == NULL);
	gr = getgrnam("root");
	CHECK(gr && gr->gr_gid == 0);
	gr = getgrgid(65534);
	CHECK(gr && !strcmp(gr->gr_name, "nogroup"));
	h = gethostbyname("localhost");
	CHECK(h && h->h_addrtype == AF_INET &&
	      !memcmp(h->h_addr_list[0], "\x7f\0\0\x01", 4));
	if (initrd) {
		/* the initrd's files replace the defaults, the rest stays */
		pw = getpwnam("app");
		CHECK(pw && pw->pw_uid == 1000 &&
		      !strcmp(pw->pw_shell, "/bin/sh"));
		CHECK(getpwnam("broken") == NULL); /* a malformed line */
		h = gethostbyname("db.internal");
		CHECK(h && !memcmp(h->h_addr_list[0], "\x0a\x01\x02\x03", 4));
		CHECK(read_file("/etc/resolv.conf", buf, sizeof(buf)) > 0 &&
		      !strcmp(buf, "nameserver 10.0.0.53\n"));
		CHECK(read_file("/etc/motd", buf, sizeof(buf)) > 0);
	} else {
		h = gethostbyname(node);
		CHECK(h && !memcmp(h->h_addr_list[0], "\x7f\0\x01\x01", 4));
		CHECK(read_file("/etc/resolv.conf", buf, sizeof(buf)) > 0 &&
		      !strncmp(buf, "# unikit default", 16));
	}
	CHECK(read_file("/etc/hostname", buf, sizeof(buf)) > 0 &&
	      !strncmp(buf, node, strlen(node)) && buf[strlen(node)] == '\n');
	/* /dev and /proc */
	fd = open("/dev/stdout", O_WRONLY);
	CHECK(fd >= 0 && write(fd, "ipctest: via /dev/stdout\n", 25) == 25);
	close(fd);
	CHECK(readlink("/proc/self/fd/1", buf, sizeof(buf)) == 12 &&
	      !memcmp(buf, "/dev/console", 12));
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK(readlink(path, buf, sizeof(buf)) == 4 && !memcmp(buf, "/tmp", 4));
	d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	while (d && (de = readdir(d)) != NULL)
		found += atoi(de->d_name) == fd;
	if (d)
		closedir(d);
	CHECK(found == 1);
	close(fd);
	CHECK(readlink("/proc/self/exe", buf, sizeof(buf)) == 8 &&
	      !memcmp(buf, "/ipctest", 8));
	CHECK(read_file("/proc/self/cmdline", buf, sizeof(buf)) >= 8 &&
	      !strcmp(buf, "ipctest"));
	fd = open("/dev/urandom", O_RDONLY);
	memset(buf, 0, 32);
	CHECK(fd >= 0 && read(fd, buf, 32) == 32 &&
	      memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
	close(fd);
}

/* ---- uname, prctl, affinity, umask ---- */

static void test_system(const char *node)
{
	struct utsname u;
	char name[16], buf[32];
	cpu_set_t set;
	mode_t old;
	struct stat st;
	int fd;

	CHECK(uname(&u) == 0 && !strcmp(u.nodename, node) &&
	      !strcmp(u.sysname, "Linux"));
	CHECK(prctl(PR_SET_NAME, "ipc-main", 0, 0, 0) == 0);
	CHECK(prctl(PR_GET_NAME, name, 0, 0, 0) == 0 &&
	      !strcmp(name, "ipc-main"));
	CHECK(read_file("/proc/self/comm", buf, sizeof(buf)) == 9 &&
	      !strcmp(buf, "ipc-main\n"));
	CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1);
	CHECK(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 &&
	      prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 &&
	      CPU_COUNT(&set) == 1 && CPU_ISSET(0, &set));
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set) == -1 && errno == EINVAL);
	CHECK(sched_getcpu() == 0);
	CHECK(sysconf(_SC_NPROCESSORS_ONLN) == 1);
	old = umask(027);
	CHECK(old == 022);
	fd = open("/tmp/masked", O_CREAT | O_WRONLY, 0666);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640);
	close(fd);
	umask(old);
	unlink("/tmp/masked");
}

int main(int argc, char *argv[])
{
	int initrd = argc > 1 && !strcmp(argv[1], "initrd");
	const char *node = argc > 1 && !initrd ? argv[1] : "unikit";

	test_pipes();
	test_fifos();
	test_events();
	test_unix();
	test_locks();
	test_links();
	test_root(node, initrd);
	test_system(node);
	printf("ipctest: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
