/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * socktest: sockets, poll and the resolver in an image, over lwIP's
 * loopback interface (no network device needed): a TCP echo between two
 * threads, numeric getaddrinfo, and getaddrinfo through DNS (musl's
 * resolver: UDP sockets + poll) against a tiny responder thread on
 * 127.0.0.1:53 named by /etc/resolv.conf. Prints
 * "socktest: N checks, 0 failed".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int checks, failed;

#define CHECK(c)                                                          \
	do {                                                              \
		checks++;                                                 \
		if (!(c)) {                                               \
			failed++;                                         \
			printf("socktest: FAIL line %d: %s (errno %d)\n", \
			       __LINE__, #c, errno);                      \
		}                                                         \
	} while (0)

static struct sockaddr_in lo(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* ---- TCP echo ---- */

static int echo_listen;

static void *echo_server(void *arg)
{
	char buf[256];
	int c = accept(echo_listen, NULL, NULL);
	ssize_t n;

	(void)arg;
	while ((n = read(c, buf, sizeof(buf))) > 0)
		if (write(c, buf, (size_t)n) != n)
			break;
	close(c);
	return NULL;
}

static void tcp_echo(void)
{
	struct sockaddr_in a = lo(7777);
	struct epoll_event ev = {.events = EPOLLIN}, out;
	pthread_t t;
	char buf[64];
	int c, ep;

	echo_listen = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(echo_listen >= 0);
	CHECK(bind(echo_listen, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(listen(echo_listen, 4) == 0);
	CHECK(pthread_create(&t, NULL, echo_server, NULL) == 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) == 0);
	CHECK(write(c, "ping", 4) == 4);
	CHECK(epoll_wait(ep, &out, 1, 5000) == 1);
	CHECK(read(c, buf, sizeof(buf)) == 4 && !memcmp(buf, "ping", 4));
	CHECK(shutdown(c, SHUT_WR) == 0);
	CHECK(read(c, buf, sizeof(buf)) == 0); /* the server closed */
	CHECK(pthread_join(t, NULL) == 0);
	close(ep);
	close(c);
	close(echo_listen);
}

/* ---- numeric getaddrinfo ---- */

static void numeric(void)
{
	struct addrinfo hints = {.ai_family = AF_INET,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICHOST};
	struct addrinfo *res = NULL;
	int r = getaddrinfo("10.0.2.15", "8080", &hints, &res);

	CHECK(r == 0 && res);
	if (r == 0 && res) {
		struct sockaddr_in *s = (struct sockaddr_in *)res->ai_addr;

		CHECK(s->sin_addr.s_addr == inet_addr("10.0.2.15"));
		CHECK(ntohs(s->sin_port) == 8080);
		freeaddrinfo(res);
	}
	CHECK(getaddrinfo("not-numeric", NULL, &hints, &res) == EAI_NONAME);
	/* /etc/hosts, written by posixsocket at boot */
	hints.ai_flags = 0;
	r = getaddrinfo("localhost", NULL, &hints, &res);
	CHECK(r == 0 && res);
	if (r == 0 && res) {
		struct sockaddr_in *s = (struct sockaddr_in *)res->ai_addr;

		CHECK(s->sin_addr.s_addr == htonl(INADDR_LOOPBACK));
		freeaddrinfo(res);
	}
}

/* ---- DNS through a responder on 127.0.0.1:53 ---- */

static volatile int dns_answered;

/* One reply to a query in q (n bytes) into r; its length or 0. */
static size_t dns_reply(const unsigned char *q, size_t n, unsigned char *r)
{
	static const unsigned char name[] = "\6unikit\4test";
	size_t p = 12, qend;
	int a_rec;

	if (n < 12 + 5 || n > 512)
		return 0;
	while (p < n && q[p]) /* bounded by n */
		p += (size_t)q[p] + 1;
	if (p + 5 > n)
		return 0;
	qend = p + 5;
	a_rec = q[p + 1] == 0 && q[p + 2] == 1 && /* type A */
		qend - 12 == sizeof(name) + 4 &&
		!memcmp(q + 12, name, sizeof(name));
	memcpy(r, q, qend);
	r[2] = 0x81; /* response, recursion desired */
	r[3] = 0x80; /* recursion available, NOERROR */
	r[6] = 0;
	r[7] = (unsigned char)a_rec; /* answers */
	r[8] = r[9] = r[10] = r[11] = 0;
	if (!a_rec)
		return qend;
	{
		static const unsigned char ans[] = {
			0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 9, 8, 7};

		memcpy(r + qend, ans, sizeof(ans));
		return qend + sizeof(ans);
	}
}

static void *dns_server(void *arg)
{
	int s = *(int *)arg;
	unsigned char q[512], r[600];

	for (;;) { /* until the image exits */
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s, q, sizeof(q), 0,
				     (struct sockaddr *)&from, &fl);
		size_t m;

		if (n <= 0)
			continue;
		m = dns_reply(q, (size_t)n, r);
		if (m && sendto(s, r, m, 0, (struct sockaddr *)&from, fl) ==
				 (ssize_t)m)
			dns_answered++;
	}
	return NULL;
}

static void dns(void)
{
	static int s;
	struct sockaddr_in a = lo(53);
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	pthread_t t;
	FILE *f;
	int r;

	s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(pthread_create(&t, NULL, dns_server, &s) == 0);
	pthread_detach(t);
	mkdir("/etc", 0755);
	f = fopen("/etc/resolv.conf", "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("nameserver 127.0.0.1\noptions timeout:2 attempts:1\n", f);
	fclose(f);
	r = getaddrinfo("unikit.test", "80", &hints, &res);
	CHECK(r == 0 && res);
	if (r == 0 && res) {
		struct sockaddr_in *sa = (struct sockaddr_in *)res->ai_addr;

		CHECK(res->ai_family == AF_INET);
		CHECK(sa->sin_addr.s_addr == inet_addr("10.9.8.7"));
		printf("socktest: unikit.test is %s\n",
		       inet_ntoa(sa->sin_addr));
		freeaddrinfo(res);
	} else {
		printf("socktest: getaddrinfo: %s\n", gai_strerror(r));
	}
	CHECK(dns_answered >= 1);
	/* a name the responder does not know: no address */
	r = getaddrinfo("other.test", NULL, &hints, &res);
	CHECK(r == EAI_NONAME || r == EAI_NODATA);
}

int main(void)
{
	tcp_echo();
	numeric();
	dns();
	printf("socktest: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
