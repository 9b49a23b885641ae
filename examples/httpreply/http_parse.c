/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * http_parse: HTTP/1.x request heads (RFC 9112), strictly: single spaces in
 * the request line, a token method, a visible-ASCII target, HTTP/d.d, no
 * obsolete line folding, no control characters in fields, Host required on
 * HTTP/1.1, Content-Length bodies only. Every loop is bounded by the bytes
 * given and by the caller's limit.
 */
#include <string.h>

#include "http_parse.h"

static int is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* field-value characters: VCHAR, obs-text, SP, HTAB */
static int is_field_char(unsigned char c)
{
	return c == ' ' || c == '\t' || (c >= 0x21 && c != 0x7f);
}

static int lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int name_is(const char *p, size_t n, const char *want)
{
	size_t i;

	if (strlen(want) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)p[i]) != want[i])
			return 0;
	return 1;
}

static const char *const other_methods[] = {
	"POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

static enum http_method classify(const char *p, size_t n)
{
	size_t i;

	if (n == 3 && !memcmp(p, "GET", 3))
		return HTTP_METHOD_GET;
	if (n == 4 && !memcmp(p, "HEAD", 4))
		return HTTP_METHOD_HEAD;
	for (i = 0; i < sizeof(other_methods) / sizeof(other_methods[0]); i++)
		if (strlen(other_methods[i]) == n &&
		    !memcmp(p, other_methods[i], n))
			return HTTP_METHOD_OTHER;
	return HTTP_METHOD_UNKNOWN;
}

/*
 * The request line in p[0..n) (without its line end). With complete == 0,
 * p is a prefix whose end has not arrived yet: NEED_MORE unless the bytes
 * so far are already wrong.
 */
static int parse_request_line(const char *p, size_t n, int complete,
			      struct http_request *req)
{
	static const char ver[] = "HTTP/d.d";
	size_t i = 0, m, t, k;

	while (i < n && is_tchar((unsigned char)p[i]))
		i++;
	if (i == n)
		return complete ? HTTP_PARSE_BAD_REQUEST : HTTP_PARSE_NEED_MORE;
	if (i == 0 || p[i] != ' ')
		return HTTP_PARSE_BAD_REQUEST;
	m = i++;
	t = i;
	while (i < n && (unsigned char)p[i] >= 0x21 &&
	       (unsigned char)p[i] <= 0x7e)
		i++;
	if (i == n)
		return complete ? HTTP_PARSE_BAD_REQUEST : HTTP_PARSE_NEED_MORE;
	if (i == t || p[i] != ' ')
		return HTTP_PARSE_BAD_REQUEST;
	req->target = p + t;
	req->target_len = i - t;
	i++;
	for (k = 0; k < 8; k++, i++) {
		if (i == n)
			return complete ? HTTP_PARSE_BAD_REQUEST
					: HTTP_PARSE_NEED_MORE;
		if (ver[k] == 'd' ? !is_digit((unsigned char)p[i])
				  : p[i] != ver[k])
			return HTTP_PARSE_BAD_REQUEST;
	}
	if (i != n)
		return HTTP_PARSE_BAD_REQUEST;
	if (!complete)
		return HTTP_PARSE_NEED_MORE;
	if (p[n - 3] != '1')
		return HTTP_PARSE_BAD_VERSION;
	req->method = classify(p, m);
	req->version_minor = p[n - 1] - '0';
	return HTTP_PARSE_OK;
}

/* Connection: a comma-separated token list; "close" wins over keep-alive. */
static void parse_connection(const char *v, size_t n, struct http_request *req,
			     int *closed)
{
	size_t i = 0, s, e;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (name_is(v + s, e - s, "close"))
			*closed = 1;
		else if (name_is(v + s, e - s, "keep-alive"))
			req->keep_alive = 1;
	}
}

/* 1*DIGIT, at most 18 digits (no overflow); -1 when malformed */
static long long parse_length(const char *v, size_t n)
{
	long long x = 0;
	size_t i;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (!is_digit((unsigned char)v[i]))
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	return x;
}

/* The line starting at p[i], ending before the LF at *lf (CR stripped). */
static int line_end(const char *buf, size_t i, size_t end, size_t *lf,
		    size_t *stop)
{
	const char *q = memchr(buf + i, '\n', end - i);

	if (!q)
		return 0;
	*lf = (size_t)(q - buf);
	*stop = *lf;
	if (*stop > i && buf[*stop - 1] == '\r')
		(*stop)--;
	return 1;
}

int http_parse_request(const char *buf, size_t len, size_t limit,
		       struct http_request *req)
{
	size_t i = 0, start, end, lf, stop, nfields = 0;
	long long cl = -1;
	int rc, closed = 0;

	memset(req, 0, sizeof(*req));
	/* empty lines before the request line (they count against the limit) */
	while (i < len && (buf[i] == '\n' || buf[i] == '\r')) {
		if (buf[i] == '\r' && i + 1 < len && buf[i + 1] != '\n')
			return HTTP_PARSE_BAD_REQUEST;
		if (i >= limit)
			return HTTP_PARSE_BAD_REQUEST;
		i++;
	}
	start = i;
	end = len > limit ? limit : len;

	if (!line_end(buf, start, end, &lf, &stop)) {
		size_t n = end - start;

		if (n > 0 && buf[end - 1] == '\r')
			n--; /* the line end is arriving */
		rc = parse_request_line(buf + start, n, 0, req);
		if (rc != HTTP_PARSE_NEED_MORE)
			return rc;
		return len >= limit ? HTTP_PARSE_HEADERS_TOO_BIG
				    : HTTP_PARSE_NEED_MORE;
	}
	if (memchr(buf + start, '\r', stop - start))
		return HTTP_PARSE_BAD_REQUEST; /* a CR inside the line */
	rc = parse_request_line(buf + start, stop - start, 1, req);
	if (rc != HTTP_PARSE_OK)
		return rc;
	req->keep_alive = req->version_minor >= 1;

	for (i = lf + 1;; i = lf + 1) {
		const char *name, *v;
		size_t nlen, vs, ve;

		if (!line_end(buf, i, end, &lf, &stop))
			return len >= limit ? HTTP_PARSE_HEADERS_TOO_BIG
					    : HTTP_PARSE_NEED_MORE;
		if (stop == i)
			break; /* the empty line: end of the head */
		if (memchr(buf + i, '\r', stop - i))
			return HTTP_PARSE_BAD_REQUEST;
		if (buf[i] == ' ' || buf[i] == '\t')
			return HTTP_PARSE_BAD_REQUEST; /* obsolete line folding
							*/
		if (++nfields > HTTP_MAX_HEADERS)
			return HTTP_PARSE_HEADERS_TOO_BIG;
		name = buf + i;
		nlen = 0;
		while (i + nlen < stop && is_tchar((unsigned char)name[nlen]))
			nlen++;
		if (nlen == 0 || i + nlen == stop || name[nlen] != ':')
			return HTTP_PARSE_BAD_REQUEST;
		vs = i + nlen + 1;
		ve = stop;
		for (size_t k = vs; k < ve; k++)
			if (!is_field_char((unsigned char)buf[k]))
				return HTTP_PARSE_BAD_REQUEST;
		while (vs < ve && (buf[vs] == ' ' || buf[vs] == '\t'))
			vs++;
		while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t'))
			ve--;
		v = buf + vs;
		if (name_is(name, nlen, "host")) {
			if (req->has_host)
				return HTTP_PARSE_BAD_REQUEST; /* RFC 9112 3.2
								*/
			req->has_host = 1;
		} else if (name_is(name, nlen, "connection")) {
			parse_connection(v, ve - vs, req, &closed);
		} else if (name_is(name, nlen, "content-length")) {
			long long x = parse_length(v, ve - vs);

			if (x < 0 || (cl >= 0 && x != cl))
				return HTTP_PARSE_BAD_REQUEST;
			cl = x;
		} else if (name_is(name, nlen, "transfer-encoding")) {
			return HTTP_PARSE_NOT_IMPLEMENTED;
		}
	}
	if (closed)
		req->keep_alive = 0;
	if (req->version_minor >= 1 && !req->has_host)
		return HTTP_PARSE_BAD_REQUEST;
	req->head_len = lf + 1;
	req->content_length = cl > 0 ? (size_t)cl : 0;
	if (req->content_length > limit - req->head_len)
		return HTTP_PARSE_TOO_LARGE;
	req->total_len = req->head_len + req->content_length;
	if (len < req->total_len)
		return HTTP_PARSE_NEED_MORE;
	return HTTP_PARSE_OK;
}
