/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of http_parse: complete requests, every split point,
 * pipelining, limits, malformed request lines and fields, versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http_parse.h"

#define LIM 8192

static int parse(const char *s, struct http_request *r)
{
	return http_parse_request(s, strlen(s), LIM, r);
}

static int status_of(const char *s)
{
	struct http_request r;

	return parse(s, &r);
}

static void test_simple_get(void **state)
{
	const char *s =
		"GET /index.html HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n";
	struct http_request r;

	(void)state;
	assert_int_equal(parse(s, &r), HTTP_PARSE_OK);
	assert_int_equal(r.method, HTTP_METHOD_GET);
	assert_int_equal(r.target_len, 11);
	assert_memory_equal(r.target, "/index.html", 11);
	assert_int_equal(r.version_minor, 1);
	assert_true(r.keep_alive);
	assert_true(r.has_host);
	assert_int_equal(r.total_len, strlen(s));
	assert_int_equal(r.head_len, strlen(s));
}

static void test_methods(void **state)
{
	struct http_request r;

	(void)state;
	assert_int_equal(parse("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", &r),
			 HTTP_PARSE_OK);
	assert_int_equal(r.method, HTTP_METHOD_HEAD);
	assert_int_equal(parse("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", &r),
			 HTTP_PARSE_OK);
	assert_int_equal(r.method, HTTP_METHOD_OTHER);
	assert_int_equal(parse("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", &r),
			 HTTP_PARSE_OK);
	assert_int_equal(r.method, HTTP_METHOD_UNKNOWN);
	/* methods are case-sensitive */
	assert_int_equal(parse("get / HTTP/1.1\r\nHost: x\r\n\r\n", &r),
			 HTTP_PARSE_OK);
	assert_int_equal(r.method, HTTP_METHOD_UNKNOWN);
}

static void test_keep_alive_rules(void **state)
{
	struct http_request r;

	(void)state;
	assert_int_equal(parse("GET / HTTP/1.0\r\n\r\n", &r), HTTP_PARSE_OK);
	assert_false(r.keep_alive);
	assert_int_equal(r.version_minor, 0);
	assert_int_equal(
		parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r),
		HTTP_PARSE_OK);
	assert_true(r.keep_alive);
	assert_int_equal(
		parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		      &r),
		HTTP_PARSE_OK);
	assert_false(r.keep_alive);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: "
			       "keep-alive, CLOSE \r\n\r\n",
			       &r),
			 HTTP_PARSE_OK);
	assert_false(r.keep_alive);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: "
			       "upgrade\r\n\r\n",
			       &r),
			 HTTP_PARSE_OK);
	assert_true(r.keep_alive);
}

/* Every prefix of a valid request is NEED_MORE; the whole is OK. */
static void test_every_split(void **state)
{
	static const char *const reqs[] = {
		"GET / HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n",
		"\r\nGET /a?b=c HTTP/1.0\nX-Y:  z \n\n",
		"POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
	};
	struct http_request r;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		size_t n = strlen(reqs[i]);
		char *buf = malloc(n); /* exact size: ASan sees any over-read */

		for (k = 0; k < n; k++) {
			memcpy(buf, reqs[i], k);
			assert_int_equal(http_parse_request(buf, k, LIM, &r),
					 HTTP_PARSE_NEED_MORE);
		}
		memcpy(buf, reqs[i], n);
		assert_int_equal(http_parse_request(buf, n, LIM, &r),
				 HTTP_PARSE_OK);
		assert_int_equal(r.total_len, n);
		free(buf);
	}
}

static void test_pipelined(void **state)
{
	const char *one = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *two =
		"HEAD /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
	const char *three =
		"GET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	char buf[512];
	struct http_request r;
	size_t pos = 0, len;

	(void)state;
	snprintf(buf, sizeof(buf), "%s%s%s", one, two, three);
	len = strlen(buf);
	assert_int_equal(http_parse_request(buf, len, LIM, &r), HTTP_PARSE_OK);
	assert_int_equal(r.total_len, strlen(one));
	pos += r.total_len;
	assert_int_equal(http_parse_request(buf + pos, len - pos, LIM, &r),
			 HTTP_PARSE_OK);
	assert_int_equal(r.method, HTTP_METHOD_HEAD);
	assert_int_equal(r.content_length, 3);
	assert_int_equal(r.total_len, strlen(two));
	pos += r.total_len;
	assert_int_equal(http_parse_request(buf + pos, len - pos, LIM, &r),
			 HTTP_PARSE_OK);
	assert_memory_equal(r.target, "/3", 2);
	assert_false(r.keep_alive);
	pos += r.total_len;
	assert_int_equal(pos, len);
	/* a partial fourth */
	assert_int_equal(http_parse_request("GET /4 HT", 9, LIM, &r),
			 HTTP_PARSE_NEED_MORE);
}

static void test_oversize(void **state)
{
	size_t n = 3 * LIM;
	char *buf = malloc(n);
	struct http_request r;
	int len;

	(void)state;
	/* fields that never end */
	len = snprintf(buf, n, "GET / HTTP/1.1\r\nHost: x\r\nX: ");
	memset(buf + len, 'a', n - (size_t)len);
	assert_int_equal(http_parse_request(buf, LIM - 1, LIM, &r),
			 HTTP_PARSE_NEED_MORE);
	assert_int_equal(http_parse_request(buf, LIM, LIM, &r),
			 HTTP_PARSE_HEADERS_TOO_BIG);
	assert_int_equal(http_parse_request(buf, n, LIM, &r),
			 HTTP_PARSE_HEADERS_TOO_BIG);
	/* a target that never ends */
	len = snprintf(buf, n, "GET /");
	memset(buf + len, 'a', n - (size_t)len);
	assert_int_equal(http_parse_request(buf, n, LIM, &r),
			 HTTP_PARSE_HEADERS_TOO_BIG);
	/* a complete head just over the limit */
	len = snprintf(buf, n, "GET / HTTP/1.1\r\nHost: x\r\nX: ");
	memset(buf + len, 'a', LIM);
	memcpy(buf + LIM, "\r\n\r\n", 4);
	assert_int_equal(http_parse_request(buf, LIM + 4, LIM, &r),
			 HTTP_PARSE_HEADERS_TOO_BIG);
	/* too many fields */
	len = snprintf(buf, n, "GET / HTTP/1.1\r\nHost: x\r\n");
	for (int i = 0; i < HTTP_MAX_HEADERS; i++)
		len += snprintf(buf + len, n - (size_t)len, "A: b\r\n");
	len += snprintf(buf + len, n - (size_t)len, "\r\n");
	assert_int_equal(http_parse_request(buf, (size_t)len, LIM, &r),
			 HTTP_PARSE_HEADERS_TOO_BIG);
	/* endless empty lines */
	memset(buf, '\n', n);
	assert_int_equal(http_parse_request(buf, n, LIM, &r),
			 HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(http_parse_request(buf, 10, LIM, &r),
			 HTTP_PARSE_NEED_MORE);
	/* a body over the limit */
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: "
				   "x\r\nContent-Length: 9000\r\n\r\n"),
			 HTTP_PARSE_TOO_LARGE);
	assert_int_equal(
		status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: "
			  "99999999999999999999999\r\n\r\n"),
		HTTP_PARSE_BAD_REQUEST);
	free(buf);
}

static void test_bad_request_lines(void **state)
{
	static const char *const bad[] = {
		" GET / HTTP/1.1\r\n\r\n",
		"GET  / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1 \r\n\r\n",
		"GET /\r\n\r\n",
		"GET\r\n\r\n",
		"GET / http/1.1\r\n\r\n",
		"GET / HTTP/1.x\r\n\r\n",
		"GET / HTTP/11\r\n\r\n",
		"GET / HTTP/1.1.1\r\n\r\n",
		"GE(T / HTTP/1.1\r\n\r\n",
		"GET /\x7f HTTP/1.1\r\n\r\n",
		"GET /a\tb HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\rX\r\n\r\n",
		"GET / HT\0P/1.1\r\n\r\n",
		"\r\r\nGET / HTTP/1.1\r\n\r\n",
		"GET \xff HTTP/1.1\r\n\r\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct http_request r;
		int rc = http_parse_request(
			bad[i], strlen(bad[i]) + (i == 13 ? 12 : 0), LIM, &r);

		if (rc != HTTP_PARSE_BAD_REQUEST)
			fail_msg("case %zu: %d", i, rc);
	}
	/* early rejection: the first bytes already prove it */
	assert_int_equal(status_of("G@T"), HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(status_of("GET /x HTTQ"), HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(status_of("GET / HTTP/1.1x"), HTTP_PARSE_BAD_REQUEST);
}

static void test_bad_fields(void **state)
{
	(void)state;
	/* obsolete line folding */
	assert_int_equal(
		status_of("GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n"),
		HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(status_of("GET / HTTP/1.1\r\n\tHost: x\r\n\r\n"),
			 HTTP_PARSE_BAD_REQUEST);
	/* space before the colon, empty name, no colon */
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost : x\r\n\r\n"),
			 HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: x\r\n: y\r\n\r\n"),
			 HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(
		status_of("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"),
		HTTP_PARSE_BAD_REQUEST);
	/* control characters, bare CR */
	assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: x\r\nX: a\x01"
				   "b\r\n\r\n"),
			 HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(
		status_of("GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n"),
		HTTP_PARSE_BAD_REQUEST);
	/* HTTP/1.1 needs exactly one Host */
	assert_int_equal(status_of("GET / HTTP/1.1\r\n\r\n"),
			 HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(
		status_of("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n"),
		HTTP_PARSE_BAD_REQUEST);
	/* Content-Length: digits only, duplicates must agree */
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: "
				   "x\r\nContent-Length: -1\r\n\r\n"),
			 HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: "
				   "x\r\nContent-Length: 1, 1\r\n\r\n"),
			 HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(
		status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
			  "Content-Length: 2\r\n\r\nab"),
		HTTP_PARSE_BAD_REQUEST);
	assert_int_equal(
		status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
			  "Content-Length: 2\r\n\r\nab"),
		HTTP_PARSE_OK);
	/* chunked bodies are not implemented */
	assert_int_equal(status_of("POST / HTTP/1.1\r\nHost: "
				   "x\r\nTransfer-Encoding: chunked\r\n\r\n"),
			 HTTP_PARSE_NOT_IMPLEMENTED);
	/* obs-text and tabs in values are fine */
	assert_int_equal(
		status_of(
			"GET / HTTP/1.1\r\nHost: x\r\nX: \xe9t\xe9\t!\r\n\r\n"),
		HTTP_PARSE_OK);
}

static void test_versions(void **state)
{
	struct http_request r;

	(void)state;
	assert_int_equal(status_of("GET / HTTP/2.0\r\n\r\n"),
			 HTTP_PARSE_BAD_VERSION);
	assert_int_equal(status_of("GET / HTTP/0.9\r\n\r\n"),
			 HTTP_PARSE_BAD_VERSION);
	assert_int_equal(parse("GET / HTTP/1.9\r\nHost: x\r\n\r\n", &r),
			 HTTP_PARSE_OK);
	assert_int_equal(r.version_minor, 9);
	assert_true(r.keep_alive);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_get),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_keep_alive_rules),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_bad_request_lines),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
