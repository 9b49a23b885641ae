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
import hashlib
import http.client
import http.server
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(os.path.dirname(HERE), "conf", "nginx.conf")


# ---------------------------------------------------------------- client

class Client:
    def __init__(self, host, site):
        self.host, self.site, self.failed = host, site, 0

    def doc(self, name):
        with open(os.path.join(self.site, "srv", "www", name), "rb") as f:
            return f.read()

    def req(self, method, path, headers=None, conn=None):
        c = conn or http.client.HTTPConnection(self.host, 80, timeout=30)
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        if conn is None:
            c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, body

    def check(self, name, cond, why=""):
        if cond:
            print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}{': ' + why if why else ''}", flush=True)
        return cond

    def alive(self, name):
        st, _, body = self.req("GET", "/")
        return self.check(f"still serving after {name}", st == 200 and body == self.doc("index.html"),
                          f"status {st}, {len(body)} bytes")

    def static(self):
        for name in ("index.html", "64k.bin", "big.bin"):
            path = "/" if name == "index.html" else "/" + name
            st, h, body = self.req("GET", path)
            want = self.doc(name)
            self.check(f"GET {path}", st == 200 and body == want,
                       f"status {st}, {len(body)} bytes (want {len(want)}), sha256 "
                       f"{hashlib.sha256(body).hexdigest()[:16]}")
        st, h, _ = self.req("GET", "/")
        self.check("index is text/html", h.get("content-type", "").startswith("text/html"),
                   h.get("content-type", "none"))
        st, h, body = self.req("HEAD", "/")
        self.check("HEAD /", st == 200 and body == b"" and h.get("content-length") == "612",
                   f"status {st}, content-length {h.get('content-length')}")
        st, h, _ = self.req("GET", "/")
        lm = h.get("last-modified")
        st, _, body = self.req("GET", "/", {"If-Modified-Since": lm or ""})
        self.check("If-Modified-Since gives 304", st == 304 and body == b"", f"status {st}")
        st, _, _ = self.req("GET", "/no/such/file.html")
        self.check("404 for a missing file", st == 404, f"status {st}")
        st, _, _ = self.req("GET", "/private/secret.txt")
        self.check("403 from `deny all`", st == 403, f"status {st}")

    def ranges(self):
        big = self.doc("big.bin")
        n = len(big)
        for rng, lo, hi in (("0-99", 0, 99), ("1000000-", 1000000, n - 1), ("-100", n - 100, n - 1),
                            ("524288-524288", 524288, 524288)):
            st, h, body = self.req("GET", "/big.bin", {"Range": "bytes=" + rng})
            self.check(f"Range bytes={rng}", st == 206 and body == big[lo:hi + 1] and
                       h.get("content-range") == f"bytes {lo}-{hi}/{n}",
                       f"status {st}, {len(body)} bytes, content-range {h.get('content-range')}")
        st, h, body = self.req("GET", "/big.bin", {"Range": "bytes=0-9,20-29"})
        ok = (st == 206 and "multipart/byteranges" in h.get("content-type", "") and
              f"Content-Range: bytes 0-9/{n}".encode() in body and
              f"Content-Range: bytes 20-29/{n}".encode() in body and
              big[0:10] in body and big[20:30] in body)
        self.check("Range with two parts (multipart/byteranges)", ok,
                   f"status {st}, {h.get('content-type')}")
        st, h, _ = self.req("GET", "/big.bin", {"Range": "bytes=2000000-"})
        self.check("unsatisfiable Range gives 416", st == 416, f"status {st}")

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

    def keepalive(self):
        c = http.client.HTTPConnection(self.host, 80, timeout=30)
        want = self.doc("index.html")
        ok = 0
        for _ in range(300):
            st, _, body = self.req("GET", "/", conn=c)
            ok += st == 200 and body == want
        c.close()
        self.check("300 requests on one keep-alive connection", ok == 300, f"{ok} good")

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

    def vanishing(self, n=200):
        linger = struct.pack("ii", 1, 0)  # close() sends RST
        socks = []
        for i in range(n):
            s = socket.create_connection((self.host, 80), timeout=10)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            if i % 2:
                s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
            else:
                s.sendall(b"GET /index.html HTTP/1.1\r\nHost: t\r\nX-Half: ")
            socks.append(s)
        for i, s in enumerate(socks):
            if i % 2:
                try:
                    s.recv(1000)  # the response has started
                except OSError:
                    pass
            s.close()
        time.sleep(1)
        self.alive(f"{n} clients vanished mid-request")
        st, _, body = self.req("GET", "/big.bin")
        self.check("1 MB file after the vanished clients", st == 200 and body == self.doc("big.bin"),
                   f"status {st}, {len(body)} bytes")

    def malformed(self):
        cases = [
            b"GARBAGE\r\n\r\n",
            b"GET / HTTP/9.9\r\nHost: t\r\n\r\n",
            b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: t\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: t\r\nX: " + b"b" * 20000 + b"\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n",
            b"GET /../../etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n",
            b"\x00\xff\x01\x02" * 64 + b"\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: t\r\nRange: bytes=9-1,x-\r\n\r\n",
            b"GET / HTTP/1.1\r\n" + b"X-Many: h\r\n" * 2000 + b"\r\n",
        ]
        bad = []
        for i, raw in enumerate(cases):
            try:
                with socket.create_connection((self.host, 80), timeout=15) as s:
                    s.sendall(raw)
                    resp = b""
                    while b"\r\n" not in resp:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        resp += chunk
            except OSError as e:
                resp = f"({e})".encode()
            line = resp.split(b"\r\n", 1)[0]
            # a refusal (4xx, 505 for HTTP/9.9), or 200 where the request is valid after all
            # (a Range nginx ignores, "../" resolved inside the root)
            if not re.match(rb"HTTP/1\.[01] (4\d\d|505|200) ", line) or \
                    (i == 7 and b"root:x" in resp):
                bad.append(f"case {i}: {line[:60]!r}")
        self.check(f"{len(cases)} malformed requests refused", not bad, "; ".join(bad))
        self.alive("malformed requests")

    def run(self):
        for part in (self.static, self.ranges, self.autoindex, self.gzip, self.keepalive,
                     self.proxy, self.vanishing, self.malformed):
            try:
                part()
            except (OSError, http.client.HTTPException) as e:
                self.check(part.__name__, False, f"{type(e).__name__}: {e}")
        return 1 if self.failed else 0


def wait_answer(host, timeout):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            c = http.client.HTTPConnection(host, 80, timeout=2)
            c.request("GET", "/")
            if c.getresponse().status == 200:
                return True
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    return False


# ---------------------------------------------------------------- host side

def load_unikit(root):
    sys.path.insert(0, os.path.join(root, "cli"))
    import unikit.check
    import unikit.initrd
    import unikit.netns
    import unikit.ports
    import unikit.qemu
    return unikit


def kvm_image(uk, manifest):
    return uk.check.images_of(manifest, "kvm")[0]


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
    image = kvm_image(uk, a.image)
    # the QEMU of the image's target (x86_64: microvm...; arm64: virt)
    v = uk.qemu.image_vmm(image)
    a.machine = a.machine or v.machines[0]
    accel, how = uk.qemu.choose_accel(a.accel, uk.qemu.probe_image_path("gcc"), v)
    print(f"nginxtest: accelerator {accel} ({how})", flush=True)
    failed = 0
    base = open(CONF).read()
    for name, edit, rx in BAD_CONFS:
        with tempfile.TemporaryDirectory() as tmp:
            tree = os.path.join(tmp, "root")
            conf = os.path.join(tmp, "nginx.conf")
            with open(conf, "w") as f:
                f.write(edit(base) if edit else base)
            uk.ports.nginx_tree(tree, conf, a.mime_types)
            if edit is None:
                os.remove(os.path.join(tree, "etc", "nginx", "nginx.conf"))
            cmd = uk.qemu.qemu_command(image, a.machine, 64 << 20, accel, "",
                                       ["-initrd", uk.initrd.initrd_file(tree)], v=v)
            try:
                rc, out, err = uk.qemu.run_qemu(cmd, a.timeout, echo=False)
                status = uk.qemu.decode_qemu_status(rc, out, err, v)
            except TimeoutError:
                status, out = None, f"(no exit within {a.timeout} s)"
            problems = []
            if status != 1:
                problems.append(f"exit status {status}, expected 1")
            if not re.search(rx, out, re.M):
                problems.append(f"no /{rx}/ on the console")
            if "CRASH" in out:
                problems.append("a crash report")
            if problems:
                failed += 1
                print(out[-3000:])
                print(f"FAIL {name}: {'; '.join(problems)}", flush=True)
            else:
                msg = re.search(rx, out, re.M).group(0)
                print(f"ok   {name}: status 1, {msg}", flush=True)
    return 1 if failed else 0


def net(a, uk):
    why = uk.netns.requirements_problem()
    if why:
        print(f"nginxtest: SKIP: {why}")
        return SKIP
    image = kvm_image(uk, a.image)
    v = uk.qemu.image_vmm(image)
    a.machine = a.machine or v.machines[0]
    accel, how = uk.qemu.choose_accel(a.accel, uk.qemu.probe_image_path("gcc"), v)
    print(f"nginxtest: accelerator {accel} ({how}); machine {a.machine}", flush=True)
    rc = 1
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "root")
        uk.ports.nginx_tree(tree, CONF, a.mime_types)
        cpio = uk.initrd.initrd_file(tree)
        append = " ".join(uk.netns.guest_params()) + " --"
        cmd = uk.qemu.qemu_command(image, a.machine, a.mem << 20, accel, append,
                                   ["-initrd", cpio] + uk.netns.qemu_net_args(a.machine, v=v),
                                   v=v)
        with uk.netns.NetNS("ngx") as ns:
            g = uk.netns.Guest(ns, cmd, echo=True)
            try:
                g.wait_for(r"using the \"epoll\" event method", a.timeout)
                client = [sys.executable, os.path.abspath(__file__), "--client",
                          uk.netns.GUEST_IP, "--site", tree, "--timeout", str(a.timeout)]
                p = ns.run(client, timeout=a.timeout * 4)
                rc = p.returncode
                time.sleep(0.5)
                out = g.text()
                if g.proc.poll() is not None:
                    print(f"FAIL the guest exited (status {g.proc.returncode})")
                    rc = 1
                if not re.search(r'"GET / HTTP/1\.1" 200 612 ', out):
                    print("FAIL no access log line for GET / on the console")
                    rc = 1
                for bad in ("=== CRASH", "PANIC", "[alert]", "[crit]"):
                    if bad in out:
                        print(f"FAIL '{bad}' on the console")
                        rc = 1
            except (TimeoutError, RuntimeError, subprocess.TimeoutExpired) as e:
                print(f"FAIL {e}")
                rc = 1
            finally:
                g.stop()
    print(f"nginxtest: {'PASS' if rc == 0 else 'FAIL'}", flush=True)
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--image")
    ap.add_argument("--unikit-root")
    ap.add_argument("--mime-types")
    ap.add_argument("--bad-conf", action="store_true")
    ap.add_argument("--net", action="store_true")
    ap.add_argument("--client", metavar="HOST")
    ap.add_argument("--site")
    ap.add_argument("--machine", help="default: the first machine of the image's QEMU")
    ap.add_argument("--mem", type=int, default=64, help="guest MiB")
    ap.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    ap.add_argument("--timeout", type=float, default=240)
    a = ap.parse_args()
    if a.client:
        if not wait_answer(a.client, a.timeout):
            print(f"FAIL no answer from {a.client} within {a.timeout} s")
            return 1
        return Client(a.client, a.site).run()
    uk = load_unikit(a.unikit_root)
    if a.bad_conf:
        return bad_conf(a, uk)
    if a.net:
        return net(a, uk)
    ap.error("say --bad-conf or --net")


if __name__ == "__main__":
    sys.exit(main())
