/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: http_parse_request() on arbitrary bytes, the way the
 * server calls it (pipelined requests consumed one after another), plus
 * invariants: an accepted request lies inside the input, and every strict
 * prefix of an accepted request is "need more" (a valid request never looks
 * broken while it is still arriving). Build and run: `./unikit fuzz http`
 * (docs/fuzzing.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_parse.h"

#define LIMIT 8192

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t pos = 0, n;
	int rounds = 0;

	while (pos < size && rounds++ < 1000) {
		struct http_request r, p;
		int rc = http_parse_request(buf + pos, size - pos, LIMIT, &r);

		if (rc == HTTP_PARSE_NEED_MORE) {
			check(size - pos < LIMIT);
			break;
		}
		if (rc != HTTP_PARSE_OK) {
			check(rc == HTTP_PARSE_BAD_REQUEST ||
			      rc == HTTP_PARSE_TOO_LARGE ||
			      rc == HTTP_PARSE_HEADERS_TOO_BIG ||
			      rc == HTTP_PARSE_NOT_IMPLEMENTED ||
			      rc == HTTP_PARSE_BAD_VERSION);
			break;
		}
		check(r.total_len > 0 && r.total_len <= size - pos &&
		      r.total_len <= LIMIT);
		check(r.head_len <= r.total_len &&
		      r.total_len - r.head_len == r.content_length);
		check(r.target >= buf + pos &&
		      r.target + r.target_len <= buf + pos + r.head_len);
		check(r.target_len > 0 && r.version_minor >= 0 &&
		      r.version_minor <= 9);
		check(r.method <= HTTP_METHOD_UNKNOWN);
		/* prefixes: the last byte missing, and half */
		for (n = r.total_len / 2; n < r.total_len;
		     n = n == r.total_len - 1 ? r.total_len : r.total_len - 1)
			check(http_parse_request(buf + pos, n, LIMIT, &p) ==
			      HTTP_PARSE_NEED_MORE);
		pos += r.total_len;
	}
	return 0;
}
