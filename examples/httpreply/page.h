/* SPDX-License-Identifier: BSD-3-Clause */
/* The page httpreply serves: 612 bytes, the size of nginx's welcome page
 * (the usual figure in web-server benchmarks); our own text. */
#ifndef HTTPREPLY_PAGE_H
#define HTTPREPLY_PAGE_H

static const char page[] =
	"<!DOCTYPE html>\n"
	"<html>\n"
	"<head>\n"
	"<title>httpreply</title>\n"
	"<style>\n"
	"body { width: 36em; margin: 0 auto; font-family: sans-serif; }\n"
	"</style>\n"
	"</head>\n"
	"<body>\n"
	"<h1>httpreply answers</h1>\n"
	"<p>This page comes from httpreply, the HTTP/1.1 example of unikit. "
	"The\n"
	"same C source runs as a unikernel on lwIP and as a plain Linux "
	"program,\n"
	"so the two can be measured against each other.</p>\n"
	"<p>Every GET gets these bytes: a fixed page with a Content-Length,\n"
	"persistent connections and pipelining.</p>\n"
	"<p>Nothing else lives here: no files, no scripts, no cookies.</p>\n"
	"<p><em>Thank you for reading this page.</em></p>\n"
	"</body>\n"
	"</html>\n";

_Static_assert(sizeof(page) - 1 == 612, "the page is 612 bytes");

#endif
