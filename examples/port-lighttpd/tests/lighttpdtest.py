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
import hashlib
import http.client
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(os.path.dirname(HERE), "conf", "lighttpd.conf")


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
        self.check("index is text/html (mime.conf)", h.get("content-type", "").startswith("text/html"),
                   h.get("content-type", "none"))
        self.check("mod_setenv's response header", h.get("x-served-by") == "unikit-lighttpd",
                   str(h.get("x-served-by")))
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
        self.check("403 from url.access-deny", st == 403, f"status {st}")

    def ranges(self):
        big = self.doc("big.bin")
        n = len(big)
        for rng, lo, hi in (("0-99", 0, 99), ("1000000-", 1000000, n - 1), ("-100", n - 100, n - 1),
                            ("524288-524288", 524288, 524288)):
            st, h, body = self.req("GET", "/big.bin", {"Range": "bytes=" + rng})
            self.check(f"Range bytes={rng}", st == 206 and body == big[lo:hi + 1] and
                       h.get("content-range") == f"bytes {lo}-{hi}/{n}",
                       f"status {st}, {len(body)} bytes, content-range {h.get('content-range')}")
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
        st, h, _ = self.req("GET", "/big.bin", {"Range": "bytes=2000000-"})
        self.check("unsatisfiable Range gives 416", st == 416, f"status {st}")

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

    def keepalive(self):
        c = http.client.HTTPConnection(self.host, 80, timeout=30)
        want = self.doc("index.html")
        ok = 0
        for _ in range(300):
            st, _, body = self.req("GET", "/", conn=c)
            ok += st == 200 and body == want
        c.close()
        self.check("300 requests on one keep-alive connection", ok == 300, f"{ok} good")

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
            b"GET / HTTP/1.1\r\nHost: t\r\nX: " + b"b" * 70000 + b"\r\n\r\n",
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
            # (a Range lighttpd ignores, "../" resolved inside the document root)
            if not re.match(rb"HTTP/1\.[01] (4\d\d|505|200) ", line) or \
                    (i == 7 and b"root:x" in resp):
                bad.append(f"case {i}: {line[:60]!r}")
        self.check(f"{len(cases)} malformed requests refused", not bad, "; ".join(bad))
        self.alive("malformed requests")

    def run(self):
        for part in (self.static, self.ranges, self.dirlisting, self.deflate, self.keepalive,
                     self.vanishing, self.malformed):
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
    image = kvm_image(uk, a.image)
    accel, how = uk.qemu.choose_accel(a.accel, uk.qemu.probe_image_path("gcc"))
    print(f"lighttpdtest: accelerator {accel} ({how})", flush=True)
    failed = 0
    base = open(CONF).read()
    for name, edit, rx in BAD_CONFS:
        with tempfile.TemporaryDirectory() as tmp:
            tree = os.path.join(tmp, "root")
            conf = os.path.join(tmp, "lighttpd.conf")
            with open(conf, "w") as f:
                text = edit(base) if edit else base
                if edit and text == base:
                    raise SystemExit(f"lighttpdtest: the '{name}' edit changed nothing in {CONF}")
                f.write(text)
            uk.ports.lighttpd_tree(tree, conf, a.mime_types)
            if edit is None:
                os.remove(os.path.join(tree, "etc", "lighttpd", "lighttpd.conf"))
            cmd = uk.qemu.qemu_command(image, a.machine, 64 << 20, accel, "",
                                       ["-initrd", uk.initrd.initrd_file(tree)])
            try:
                rc, out, err = uk.qemu.run_qemu(cmd, a.timeout, echo=False)
                status = uk.qemu.decode_qemu_status(rc, out, err)
            except TimeoutError:
                status, out = None, f"(no exit within {a.timeout} s)"
            out = out.replace("\r\n", "\n")
            problems = []
            if status is None or status == 0:
                problems.append(f"exit status {status}, expected non-zero")
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
                print(f"ok   {name}: status {status}, {msg}", flush=True)
    return 1 if failed else 0


def net(a, uk):
    why = uk.netns.requirements_problem()
    if why:
        print(f"lighttpdtest: SKIP: {why}")
        return SKIP
    image = kvm_image(uk, a.image)
    accel, how = uk.qemu.choose_accel(a.accel, uk.qemu.probe_image_path("gcc"))
    print(f"lighttpdtest: accelerator {accel} ({how}); machine {a.machine}", flush=True)
    rc = 1
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "root")
        uk.ports.lighttpd_tree(tree, CONF, a.mime_types)
        cpio = uk.initrd.initrd_file(tree)
        # no arguments after "--": the image's default, lighttpd -D -f CONF_PATH
        append = " ".join(uk.netns.guest_params()) + " --"
        cmd = uk.qemu.qemu_command(image, a.machine, a.mem << 20, accel, append,
                                   ["-initrd", cpio] + uk.netns.qemu_net_args(a.machine))
        with uk.netns.NetNS("lty") as ns:
            g = uk.netns.Guest(ns, cmd, echo=True)
            try:
                g.wait_for(r"server started \(lighttpd/1\.4\.69\)", a.timeout)
                client = [sys.executable, os.path.abspath(__file__), "--client",
                          uk.netns.GUEST_IP, "--site", tree, "--timeout", str(a.timeout)]
                p = ns.run(client, timeout=a.timeout * 4)
                rc = p.returncode
                time.sleep(6)  # mod_accesslog writes its buffer out every 4 s
                out = g.text()
                if g.proc.poll() is not None:
                    print(f"FAIL the guest exited (status {g.proc.returncode})")
                    rc = 1
                # accesslog's default format: %h %V %u %t "%r" %>s %b "%{Referer}i" ...
                if not re.search(r'^10\.77\.0\.1 \S+ - \[[^]]+\] "GET / HTTP/1\.1" 200 612 ',
                                 out.replace("\r\n", "\n"), re.M):
                    print("FAIL no access log line for GET / on the console")
                    rc = 1
                for bad in ("=== CRASH", "PANIC"):
                    if bad in out:
                        print(f"FAIL '{bad}' on the console")
                        rc = 1
            except (TimeoutError, RuntimeError, subprocess.TimeoutExpired) as e:
                print(f"FAIL {e}")
                rc = 1
            finally:
                g.stop()
    print(f"lighttpdtest: {'PASS' if rc == 0 else 'FAIL'}", flush=True)
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
    ap.add_argument("--machine", default="microvm")
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
