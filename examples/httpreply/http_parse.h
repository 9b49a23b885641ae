/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * http_parse: an HTTP/1.x request parser with a pure interface. Bytes in,
 * one parsed request (or "need more", or an HTTP error status) out; no
 * allocation, no global state, no I/O, so it is fuzzed and unit-tested
 * natively and the same file serves the unikit image and the Linux build.
 */
#ifndef HTTP_PARSE_H
#define HTTP_PARSE_H

#include <stddef.h>

/* Results of http_parse_request(): a complete request, more bytes needed,
 * or the negative HTTP status the server should answer before closing. */
#define HTTP_PARSE_OK		   0
#define HTTP_PARSE_NEED_MORE	   1
#define HTTP_PARSE_BAD_REQUEST	   (-400) /* malformed request */
#define HTTP_PARSE_TOO_LARGE	   (-413) /* body does not fit the limit */
#define HTTP_PARSE_HEADERS_TOO_BIG (-431) /* head does not fit the limit */
#define HTTP_PARSE_NOT_IMPLEMENTED (-501) /* e.g. Transfer-Encoding */
#define HTTP_PARSE_BAD_VERSION	   (-505) /* HTTP/x.y with x != 1 */

/* At most this many header fields per request (more: 431). */
#define HTTP_MAX_HEADERS 100

enum http_method {
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
	HTTP_METHOD_OTHER,   /* a standard method we do not serve: 405 */
	HTTP_METHOD_UNKNOWN, /* a well-formed token nobody defined: 501 */
};

struct http_request {
	enum http_method method;
	const char *target; /* points into the caller's buffer */
	size_t target_len;
	int version_minor;     /* HTTP/1.<version_minor>, 0..9 */
	int keep_alive;	       /* version default adjusted by Connection */
	int has_host;	       /* a Host field was present */
	size_t content_length; /* body bytes (0 without Content-Length) */
	size_t head_len;       /* bytes of the request line and fields */
	size_t total_len;      /* head_len + content_length: bytes to consume */
};

/*
 * Parse the request at the start of buf[0..len). `limit` bounds the bytes
 * one request (head + body) may take. Returns HTTP_PARSE_OK with *req filled
 * (consume req->total_len bytes, then parse again for a pipelined next
 * request), HTTP_PARSE_NEED_MORE when buf is a valid but incomplete prefix,
 * or a negative HTTP status. Errors are reported as soon as the bytes seen
 * prove them (an invalid request line is rejected before its fields arrive).
 * Empty lines before a request line are skipped (RFC 9112 section 2.2) and
 * counted in total_len; `limit` covers them too (bytes from buf[0]).
 */
int http_parse_request(const char *buf, size_t len, size_t limit,
		       struct http_request *req);

#endif
