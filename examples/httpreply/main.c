/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * httpreply: a small HTTP/1.1 server on plain POSIX sockets and epoll. Every
 * GET gets the same 612-byte page (HEAD its head); keep-alive (the HTTP/1.1
 * default; Connection: close honoured; HTTP/1.0 only on request), pipelined
 * requests, 400/405/413/431/501/505 for what it does not serve. One thread,
 * non-blocking sockets, level-triggered epoll: hundreds of connections.
 *
 * The same file builds as a unikit app (lwIP + posixsocket + posixpoll) and
 * as a static Linux program (README.md), so the two can be compared.
 *
 * Usage: httpreply [PORT]   (default 80)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_parse.h"
#include "page.h"

#define LIMIT	     8192 /* bytes of one request: head and body */
#define OUT_SIZE     8192 /* responses queued per connection before sending */
#define RESP_MAX     1024 /* the largest response we build */
#define MAX_CONNS    1024
#define MAX_EVENTS   64
#define ACCEPT_BURST 64

struct conn {
	int fd;
	unsigned mask; /* epoll events we asked for */
	int closing;   /* close once the output is sent */
	int eof;       /* the peer will send nothing more */
	size_t in_len, out_off, out_len;
	char in[LIMIT];
	char out[OUT_SIZE];
};

static int ep;
static unsigned nconns;

/* The 200 responses, rebuilt when the second (the Date field) changes:
 * [0] HTTP/1.1 keep-alive, [1] HTTP/1.0 keep-alive, [2] Connection: close */
static char ok_resp[3][RESP_MAX];
static size_t ok_len[3];
static char date[40];
static time_t date_at = -1;

static void refresh_date(void)
{
	static const char *const conn_hdr[3] = {
		"", "Connection: keep-alive\r\n", "Connection: close\r\n"};
	time_t now = time(NULL);
	struct tm tm;
	int i, n;

	if (now == date_at)
		return;
	date_at = now;
	if (!gmtime_r(&now, &tm) ||
	    !strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm))
		strcpy(date, "Thu, 01 Jan 1970 00:00:00 GMT");
	for (i = 0; i < 3; i++) {
		n = snprintf(
			ok_resp[i], RESP_MAX - sizeof(page),
			"HTTP/1.1 200 OK\r\nServer: httpreply\r\nDate: %s\r\n"
			"Content-Type: text/html\r\nContent-Length: "
			"%zu\r\n%s\r\n",
			date, sizeof(page) - 1, conn_hdr[i]);
		memcpy(ok_resp[i] + n, page, sizeof(page) - 1);
		ok_len[i] = (size_t)n + sizeof(page) - 1;
	}
}

static void append(struct conn *c, const char *p, size_t n)
{
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
}

static void append_ok(struct conn *c, const struct http_request *req)
{
	int v = !req->keep_alive ? 2 : req->version_minor == 0 ? 1 : 0;
	size_t n = ok_len[v];

	if (req->method == HTTP_METHOD_HEAD)
		n -= sizeof(page) - 1;
	append(c, ok_resp[v], n);
}

static void append_status(struct conn *c, int status, int keep_alive)
{
	const char *reason = "Bad Request", *extra = "";
	int n;

	switch (status) {
	case 405:
		reason = "Method Not Allowed";
		extra = "Allow: GET, HEAD\r\n";
		break;
	case 413:
		reason = "Content Too Large";
		break;
	case 431:
		reason = "Request Header Fields Too Large";
		break;
	case 501:
		reason = "Not Implemented";
		break;
	case 505:
		reason = "HTTP Version Not Supported";
		break;
	default:
		status = 400;
		break;
	}
	n = snprintf(
		c->out + c->out_len, OUT_SIZE - c->out_len,
		"HTTP/1.1 %d %s\r\nServer: httpreply\r\nDate: %s\r\n%s"
		"Content-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n%s\n",
		status, reason, date, extra, strlen(reason) + 1,
		keep_alive ? "" : "Connection: close\r\n", reason);
	if (n > 0 && (size_t)n < OUT_SIZE - c->out_len)
		c->out_len += (size_t)n;
}

static void conn_close(struct conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c);
	nconns--;
}

static int set_mask(struct conn *c, unsigned mask)
{
	struct epoll_event ev = {.events = mask, .data.ptr = c};

	if (c->mask == mask)
		return 0;
	c->mask = mask;
	return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* 0: all sent; 1: the socket is full; -1: the connection is gone */
static int flush(struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t r = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off, MSG_NOSIGNAL);

		if (r > 0)
			c->out_off += (size_t)r;
		else if (r < 0 && errno == EINTR)
			continue;
		else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		else
			return -1; /* EPIPE, ECONNRESET, ...: the client
				      vanished */
	}
	c->out_off = c->out_len = 0;
	return 0;
}

/* Answer the complete requests in c->in while the output has room. */
static void produce(struct conn *c)
{
	size_t pos = 0;

	while (!c->closing && OUT_SIZE - c->out_len >= RESP_MAX) {
		struct http_request req;
		int rc = http_parse_request(c->in + pos, c->in_len - pos, LIMIT,
					    &req);

		if (rc == HTTP_PARSE_NEED_MORE)
			break;
		if (rc != HTTP_PARSE_OK) {
			append_status(c, -rc, 0);
			c->closing = 1;
			break;
		}
		pos += req.total_len;
		if (req.method == HTTP_METHOD_GET ||
		    req.method == HTTP_METHOD_HEAD)
			append_ok(c, &req);
		else
			append_status(
				c, req.method == HTTP_METHOD_OTHER ? 405 : 501,
				req.keep_alive);
		if (!req.keep_alive)
			c->closing = 1;
	}
	if (c->closing)
		pos = c->in_len; /* nothing after the last answer is read */
	memmove(c->in, c->in + pos, c->in_len - pos);
	c->in_len -= pos;
}

/* Read what is there: -1 when the connection failed. */
static int fill(struct conn *c)
{
	while (!c->eof && c->in_len < sizeof(c->in)) {
		ssize_t r = recv(c->fd, c->in + c->in_len,
				 sizeof(c->in) - c->in_len, 0);

		if (r > 0)
			c->in_len += (size_t)r;
		else if (r == 0)
			c->eof = 1;
		else if (errno == EINTR)
			continue;
		else if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		else
			return -1; /* ECONNRESET & co.: the client vanished */
	}
	return 0;
}

static void serve(struct conn *c, unsigned events)
{
	int r, round;

#ifdef HTTPREPLY_TRACE
	fprintf(stderr, "ev fd=%d events=%x in=%zu out=%zu/%zu\n", c->fd,
		events, c->in_len, c->out_off, c->out_len);
#endif
	if (events & EPOLLERR) {
		conn_close(c);
		return;
	}
	/* Each round answers requests or stops; a client that keeps sending
	 * gets at most 16 rounds, then the others get their turn. */
	for (round = 0; round < 16; round++) {
		r = flush(c);
		if (r < 0) {
			conn_close(c);
			return;
		}
		if (r > 0) {
			if (set_mask(c, EPOLLOUT) < 0)
				conn_close(c);
			return;
		}
		if (c->closing || (c->eof && c->in_len == 0)) {
			shutdown(c->fd, SHUT_WR);
			conn_close(c);
			return;
		}
		if (fill(c) < 0) {
			conn_close(c);
			return;
		}
		size_t before = c->in_len;
		produce(c);
#ifdef HTTPREPLY_TRACE
		fprintf(stderr, " round %d: in %zu -> %zu out %zu eof %d\n",
			round, before, c->in_len, c->out_len, c->eof);
#endif
		if (c->out_len == 0) {
			if (c->eof && !c->closing) {
				/* a partial request and then the end: nothing
				 * to answer */
				conn_close(c);
				return;
			}
			if (c->in_len == before || c->in_len == sizeof(c->in)) {
				/* a partial request: wait for more bytes */
				if (set_mask(c, EPOLLIN) < 0)
					conn_close(c);
				return;
			}
		}
	}
	/* Out of rounds: the others get their turn. What is buffered (output,
	 * or requests already read) is finished when EPOLLOUT reports room,
	 * which is at once unless the socket is full. */
	if (set_mask(c, EPOLLOUT) < 0)
		conn_close(c);
}

static void accept_some(int lfd)
{
	static int warned;
	int k;

	for (k = 0; k < ACCEPT_BURST; k++) {
		int one = 1,
		    fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev;
		struct conn *c;

		if (fd < 0) {
			/* a connection that died in the queue: the next one */
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EPROTO || errno == ECONNRESET ||
			    errno == ENOTCONN)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    !warned++)
				perror("httpreply: accept4");
			return;
		}
		c = nconns < MAX_CONNS ? malloc(sizeof(*c)) : NULL;
		if (!c) {
			close(fd); /* over the limit or out of memory: refuse */
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		c->mask = EPOLLIN;
		c->closing = c->eof = 0;
		c->in_len = c->out_off = c->out_len = 0;
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			free(c);
			continue;
		}
		nconns++;
	}
}

int main(int argc, char *argv[])
{
	struct epoll_event evs[MAX_EVENTS],
		ev = {.events = EPOLLIN, .data.ptr = NULL};
	struct sockaddr_in sa;
	long port = 80;
	char *end;
	int lfd, one = 1, n, i;

	if (argc > 2) {
		fprintf(stderr, "usage: httpreply [PORT]\n");
		return 2;
	}
	if (argc == 2) {
		errno = 0;
		port = strtol(argv[1], &end, 10);
		if (errno || *end || end == argv[1] || port < 1 ||
		    port > 65535) {
			fprintf(stderr, "httpreply: bad port '%s' (1..65535)\n",
				argv[1]);
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	refresh_date();

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("httpreply: socket");
		return 1;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("httpreply: bind");
		return 1;
	}
	if (listen(lfd, 128) < 0) {
		perror("httpreply: listen");
		return 1;
	}
	if (fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK) < 0) {
		perror("httpreply: fcntl");
		return 1;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
		perror("httpreply: epoll");
		return 1;
	}
	printf("httpreply: listening on port %ld\n", port);
	fflush(stdout);

	for (;;) {
		n = epoll_wait(ep, evs, MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("httpreply: epoll_wait");
			return 1;
		}
		refresh_date();
		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL)
				accept_some(lfd);
			else
				serve(evs[i].data.ptr, evs[i].events);
		}
	}
}
