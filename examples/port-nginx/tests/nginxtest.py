#!/usr/bin/env python3
"""Boot tests of the nginx image (examples/port-nginx).

    nginxtest.py --image nginx.images --unikit-root DIR --mime-types FILE --bad-conf
    nginxtest.py --image nginx.images --unikit-root DIR --mime-types FILE --net
                 [--machine microvm|q35|pc|virt] [--accel auto|kvm|tcg]

--bad-conf: nginx with broken configurations (an unknown directive, an
unclosed block, a bad number, no nginx.conf at all) must print its own
message on the console and exit with status 1, each within the timeout.

--net: the image on a tap device in a private network namespace
(unikit.netns), its initrd the site of unikit.ports.nginx_tree with
conf/nginx.conf; this script then runs itself inside the namespace as the
client (--client): the index page, a 64 KB and a 1 MB file (sendfile),
Range requests (single, suffix, open-ended, multipart, unsatisfiable), a
404, a 403 (access module), autoindex, gzip, a 304, HEAD, 300 requests on
one connection, proxy_pass to a server on the host end of the tap, 200
clients that vanish mid-request (RST, half of them while a 1 MB response is
being sent), malformed requests; after each group the site must still
answer. Finally the console must show nginx's access log lines and no
crash, and the guest must still run. Exit 77 (skip) without root.
"""
import argparse
import gzip
import http.client
import http.server
import os
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(os.path.dirname(HERE), "conf", "nginx.conf")
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
        self.check("index is text/html", h.get("content-type", "").startswith("text/html"),
                   h.get("content-type", "none"))
        self.head_304_404()
        st, _, _ = self.req("GET", "/private/secret.txt")
        self.check("403 from `deny all`", st == 403, f"status {st}")

    def ranges(self):
        self.single_ranges()
        big = self.doc("big.bin")
        n = len(big)
        st, h, body = self.req("GET", "/big.bin", {"Range": "bytes=0-9,20-29"})
        ok = (st == 206 and "multipart/byteranges" in h.get("content-type", "") and
              f"Content-Range: bytes 0-9/{n}".encode() in body and
              f"Content-Range: bytes 20-29/{n}".encode() in body and
              big[0:10] in body and big[20:30] in body)
        self.check("Range with two parts (multipart/byteranges)", ok,
                   f"status {st}, {h.get('content-type')}")
        self.unsatisfiable_range()

    def autoindex(self):
        st, h, body = self.req("GET", "/files/")
        ok = st == 200 and all(f'href="{x}"'.encode() in body for x in ("a.txt", "b.html", "sub/"))
        self.check("autoindex of /files/", ok, f"status {st}: {body[:200]!r}")
        st, _, body = self.req("GET", "/files/sub/c.txt")
        self.check("a file under the listed directory", st == 200 and body == b"file c\n",
                   f"status {st}")

    def gzip(self):
        text = self.doc("text.txt")
        st, h, body = self.req("GET", "/text.txt", {"Accept-Encoding": "gzip"})
        ok = st == 200 and h.get("content-encoding") == "gzip"
        try:
            plain = gzip.decompress(body) if ok else b""
        except OSError as e:
            ok, plain = False, str(e).encode()
        self.check("gzip: compressed and decompresses to the file", ok and plain == text and
                   len(body) < len(text) // 2,
                   f"status {st}, encoding {h.get('content-encoding')}, {len(body)} bytes")
        st, h, body = self.req("GET", "/text.txt")
        self.check("no gzip without Accept-Encoding", st == 200 and body == text and
                   "content-encoding" not in h, f"status {st}, {h.get('content-encoding')}")

    def proxy(self):
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                b = f"backend says hello to {self.path}\n".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(b)))
                self.end_headers()
                self.wfile.write(b)

            def log_message(self, *a):
                pass

        srv = http.server.ThreadingHTTPServer(("10.77.0.1", 8080), H)
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        try:
            st, _, body = self.req("GET", "/proxy/hello?x=1")
            self.check("proxy_pass to a server on the host", st == 200 and
                       body == b"backend says hello to /hello?x=1\n", f"status {st}: {body[:100]!r}")
        finally:
            srv.shutdown()
            srv.server_close()
        st, _, _ = self.req("GET", "/proxy/gone")
        self.check("502 when the proxied server is gone", st == 502, f"status {st}")

    def malformed(self):
        # a refusal (4xx, 505 for HTTP/9.9), or 200 where the request is valid
        # after all (a Range nginx ignores, "../" resolved inside the root)
        super().malformed(pt.malformed_requests(20000), rb"4\d\d|505|200")

    def run(self):
        return self.run_parts((self.static, self.ranges, self.autoindex, self.gzip,
                               self.keepalive, self.proxy, self.vanishing, self.malformed),
                              (OSError, http.client.HTTPException))


# ---------------------------------------------------------------- host side

# nginx's error log line (the log is stderr, the console): date, level, pid#tid
EMERG = r'^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[emerg\] \d+#\d+: '
BAD_CONFS = [
    ("unknown directive",
     lambda c: c.replace("listen 80;", "listen 80;\n        bogus_directive on;"),
     EMERG + r'unknown directive "bogus_directive" in /etc/nginx/nginx\.conf:\d+$'),
    ("unclosed block", lambda c: c.rstrip().rstrip("}"),
     EMERG + r'unexpected end of file, expecting "}" in /etc/nginx/nginx\.conf:\d+$'),
    ("bad number", lambda c: c.replace("worker_connections 512;", "worker_connections many;"),
     EMERG + r'invalid number "many" in /etc/nginx/nginx\.conf:\d+$'),
    ("no configuration file", None,
     EMERG + r'open\(\) "/etc/nginx/nginx\.conf" failed \(2: No such file or directory\)$'),
]


def bad_conf(a, uk):
    return pt.bad_confs(a, uk, "nginxtest", CONF, BAD_CONFS,
                        lambda tree, conf: uk.ports.nginx_tree(tree, conf, a.mime_types),
                        os.path.join("etc", "nginx", "nginx.conf"), expect_status=1)


def net(a, uk):
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "root")
        uk.ports.nginx_tree(tree, CONF, a.mime_types)
        return pt.net_http(a, uk, "nginxtest", __file__, tree, "ngx",
                           r"using the \"epoll\" event method", r'"GET / HTTP/1\.1" 200 612 ',
                           marks=("=== CRASH", "PANIC", "[alert]", "[crit]"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    pt.add_args(ap, machine=None, mem=64)
    ap.add_argument("--mime-types")
    ap.add_argument("--site")
    a = ap.parse_args()
    return pt.dispatch(ap, a, lambda: Client(a.client, a.site).run(), pt.wait_http, bad_conf, net)


if __name__ == "__main__":
    sys.exit(main())
