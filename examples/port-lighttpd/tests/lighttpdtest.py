#!/usr/bin/env python3
"""Boot tests of the lighttpd image (examples/port-lighttpd).

    lighttpdtest.py --image lighttpd.images --unikit-root DIR --mime-types FILE --bad-conf
    lighttpdtest.py --image lighttpd.images --unikit-root DIR --mime-types FILE --net
                    [--machine microvm|q35|pc] [--accel auto|kvm|tcg]

--bad-conf: lighttpd with broken configurations (a syntax error, an
unclosed block, a port that is not a number, a module the image does not
have, no lighttpd.conf at all) must print its own message on the console
and exit with a non-zero status, each within the timeout.

--net: the image on a tap device in a private network namespace
(unikit.netns), its initrd the site of unikit.ports.lighttpd_tree with
conf/lighttpd.conf; this script then runs itself inside the namespace as
the client (--client): the index page, a 64 KB and a 1 MB file, Range
requests (single, suffix, open-ended, multipart, unsatisfiable), a 404, a
403 (mod_access), a directory listing (mod_dirlisting), deflate, a 304,
HEAD, a response header from mod_setenv, 300 requests on one connection,
200 clients that vanish mid-request, malformed requests; after each group
the site must still answer. Finally the console must show lighttpd's
access log lines and no crash, and the guest must still run. Exit 77
(skip) without root.
"""
import argparse
import gzip
import http.client
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(os.path.dirname(HERE), "conf", "lighttpd.conf")
# the harness the server ports share, from the checkout --unikit-root names
# (the client half, which this script also is, needs it as much)
if "--unikit-root" not in sys.argv[1:-1]:
    sys.exit(f"{sys.argv[0]}: say --unikit-root DIR (the unikit checkout)")
sys.path.insert(0, os.path.join(sys.argv[sys.argv.index("--unikit-root") + 1], "cli"))
from unikit import porttest as pt  # noqa: E402


# ---------------------------------------------------------------- client

class Client(pt.HttpClient):
    def static(self):
        self.files()
        st, h, _ = self.req("GET", "/")
        self.check("index is text/html (mime.conf)", h.get("content-type", "").startswith("text/html"),
                   h.get("content-type", "none"))
        self.check("mod_setenv's response header", h.get("x-served-by") == "unikit-lighttpd",
                   str(h.get("x-served-by")))
        self.head_304_404()
        st, _, _ = self.req("GET", "/private/secret.txt")
        self.check("403 from url.access-deny", st == 403, f"status {st}")

    def ranges(self):
        self.single_ranges()
        big = self.doc("big.bin")
        n = len(big)
        # two parts far apart (lighttpd merges ranges closer than a part's
        # overhead, about 80 bytes, into one)
        st, h, body = self.req("GET", "/big.bin", {"Range": "bytes=0-9,500000-500009"})
        ok = (st == 206 and "multipart/byteranges" in h.get("content-type", "") and
              re.search(rb"Content-Range: bytes 0-9/%d" % n, body, re.I) is not None and
              re.search(rb"Content-Range: bytes 500000-500009/%d" % n, body, re.I) is not None and
              big[0:10] in body and big[500000:500010] in body)
        self.check("Range with two parts (multipart/byteranges)", ok,
                   f"status {st}, {h.get('content-type')}")
        st, h, body = self.req("GET", "/big.bin", {"Range": "bytes=0-9,20-29"})
        self.check("Range with two close parts: merged into one", st == 206 and
                   body == big[0:30] and h.get("content-range") == f"bytes 0-29/{n}",
                   f"status {st}, content-range {h.get('content-range')}")
        self.unsatisfiable_range()

    def dirlisting(self):
        st, h, body = self.req("GET", "/files/")
        ok = st == 200 and all(f'href="{x}"'.encode() in body for x in ("a.txt", "b.html", "sub/"))
        self.check("directory listing of /files/", ok, f"status {st}: {body[:300]!r}")
        st, _, body = self.req("GET", "/files/sub/c.txt")
        self.check("a file under the listed directory", st == 200 and body == b"file c\n",
                   f"status {st}")
        st, _, _ = self.req("GET", "/files/sub")
        self.check("a directory without its slash is redirected", st == 301, f"status {st}")

    def deflate(self):
        text = self.doc("text.txt")
        for enc, unpack in (("gzip", gzip.decompress), ("deflate", None)):
            st, h, body = self.req("GET", "/text.txt", {"Accept-Encoding": enc})
            ok = st == 200 and h.get("content-encoding") == enc
            try:
                if unpack:
                    plain = unpack(body) if ok else b""
                else:
                    import zlib
                    plain = zlib.decompress(body) if ok else b""
            except Exception as e:  # zlib.error, OSError: what a bad stream raises
                ok, plain = False, str(e).encode()
            self.check(f"mod_deflate {enc}: compressed and decompresses to the file",
                       ok and plain == text and len(body) < len(text) // 2,
                       f"status {st}, encoding {h.get('content-encoding')}, {len(body)} bytes")
        st, h, body = self.req("GET", "/text.txt")
        self.check("no compression without Accept-Encoding", st == 200 and body == text and
                   "content-encoding" not in h, f"status {st}, {h.get('content-encoding')}")

    def malformed(self):
        # a refusal (4xx, 505 for HTTP/9.9), or 200 where the request is valid
        # after all (a Range lighttpd ignores, "../" resolved inside the
        # document root); the long header past lighttpd's 64 KiB limit
        super().malformed(pt.malformed_requests(70000), rb"4\d\d|505|200")

    def run(self):
        return self.run_parts((self.static, self.ranges, self.dirlisting, self.deflate,
                               self.keepalive, self.vanishing, self.malformed),
                              (OSError, http.client.HTTPException))


# ---------------------------------------------------------------- host side

# lighttpd's error log before server.errorlog is open: stderr (the
# console), "date: (file.c.line) message" (__FILE__ as the compiler saw it)
ERR = r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d: \((?:\S*/)?[a-z_-]+\.c\.\d+\) '
CONF_PATH = "/etc/lighttpd/lighttpd.conf"
BAD_CONFS = [
    ("syntax error", lambda c: c.replace('server.port = 80', 'server.port = (80'),
     ERR + r'source: ' + re.escape(CONF_PATH) + r' line: \d+ pos: \d+ use => for assignments in '
     r'arrays\n' + ERR[1:] + r'configfile parser failed at: server\.max-worker$'),
    ("unclosed block", lambda c: c.rstrip() + '\n$HTTP["url"] =^ "/x/" {\n',
     ERR + r'source: ' + re.escape(CONF_PATH) + r' line: \d+ pos: \d+ parser failed somehow '
     r'near here: \(EOL\)$'),
    ("port not a number", lambda c: c.replace('server.port = 80', 'server.port = "many"'),
     ERR + r'got a string but expected a short: server\.port many$'),
    ("module not in the image",
     lambda c: c.replace('"mod_setenv")', '"mod_setenv", "mod_webdav")'),
     ERR + r'mod_webdav plugin not found$'),
    ("no configuration file", None,
     ERR + r'opening configfile ' + re.escape(CONF_PATH) + r' failed: No such file or directory$'),
]


def bad_conf(a, uk):
    return pt.bad_confs(a, uk, "lighttpdtest", CONF, BAD_CONFS,
                        lambda tree, conf: uk.ports.lighttpd_tree(tree, conf, a.mime_types),
                        os.path.join("etc", "lighttpd", "lighttpd.conf"), expect_status=None)


def net(a, uk):
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "root")
        uk.ports.lighttpd_tree(tree, CONF, a.mime_types)
        # no arguments after "--": the image's default, lighttpd -D -f CONF_PATH;
        # accesslog's default format: %h %V %u %t "%r" %>s %b "%{Referer}i" ...,
        # written out every 4 s
        return pt.net_http(a, uk, "lighttpdtest", __file__, tree, "lty",
                           r"server started \(lighttpd/1\.4\.69\)",
                           r'^10\.77\.0\.1 \S+ - \[[^]]+\] "GET / HTTP/1\.1" 200 612 ', after=6)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    pt.add_args(ap, machine="microvm", mem=64)
    ap.add_argument("--mime-types")
    ap.add_argument("--site")
    a = ap.parse_args()
    return pt.dispatch(ap, a, lambda: Client(a.client, a.site).run(), pt.wait_http, bad_conf, net)


if __name__ == "__main__":
    sys.exit(main())
