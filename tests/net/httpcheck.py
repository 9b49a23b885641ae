#!/usr/bin/env python3
"""Client-side checks of an httpreply server (Python 3 standard library).

    httpcheck.py --host 10.77.0.2 [--port 80] [--quick] [--frames IFNAME]
    httpcheck.py --spawn PATH/TO/httpreply --quick     (a native build, 127.0.0.1)

Checks, each bounded by timeouts and counts: the exact 612-byte page (curl
too when installed), HEAD, 10,000 sequential requests on one keep-alive
connection, 10,000 on new connections, pipelining, 200 concurrent keep-alive
connections (threads, several requests each), HTTP/1.0 and Connection: close,
malformed requests (400/405/431/501/505), clients that vanish mid-request
(half a request then FIN or RST, RST before reading the answer), and with
--frames IFNAME malformed Ethernet frames sent with an AF_PACKET socket
(tests/net/rawframes.py) followed by the page again. --quick divides the
counts by 10. Prints one line per check; exit status 0 when all passed.
"""
import argparse
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE_H = os.path.join(os.path.dirname(os.path.dirname(HERE)), "examples", "httpreply", "page.h")


def expected_page():
    """The page's bytes, from the C string literal in page.h."""
    text = open(PAGE_H).read()
    body = re.search(r"page\[\] =(.*?);\s*_Static_assert", text, re.S).group(1)
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', body)
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1")


PAGE = expected_page()
assert len(PAGE) == 612


class CheckError(Exception):
    pass


def request(path="/", host="t", extra="", method="GET", version="1.1"):
    return f"{method} {path} HTTP/{version}\r\nHost: {host}\r\n{extra}\r\n".encode()


class Conn:
    """A blocking client connection that reads whole responses."""

    def __init__(self, addr, timeout=20):
        self.s = socket.create_connection(addr, timeout=timeout)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def _fill(self):
        d = self.s.recv(65536)
        if not d:
            raise CheckError("connection closed by the server")
        self.buf += d

    def response(self, head_only=False):
        """(status, headers dict (lower-case names), body)"""
        for _ in range(10000):
            i = self.buf.find(b"\r\n\r\n")
            if i >= 0:
                break
            if len(self.buf) > 65536:
                raise CheckError("response head over 64 KiB")
            self._fill()
        else:
            raise CheckError("no response head")
        head, self.buf = self.buf[:i].decode("latin-1"), self.buf[i + 4:]
        lines = head.split("\r\n")
        m = re.fullmatch(r"HTTP/1\.1 (\d{3}) .*", lines[0])
        if not m:
            raise CheckError(f"bad status line {lines[0]!r}")
        hdrs = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        n = 0 if head_only else int(hdrs.get("content-length", "0"))
        for _ in range(10000):
            if len(self.buf) >= n:
                break
            self._fill()
        body, self.buf = self.buf[:n], self.buf[n:]
        return int(m.group(1)), hdrs, body

    def closed_by_peer(self, timeout=10):
        """True when the server closes (EOF or reset) within `timeout`."""
        self.s.settimeout(timeout)
        try:
            while True:
                d = self.s.recv(65536)
                if not d:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.s.close()


def expect_page(st, hdrs, body):
    if st != 200 or body != PAGE or hdrs.get("content-length") != "612":
        raise CheckError(f"expected the 612-byte page, got status {st}, {len(body)} bytes")


# ------------------------------------------------------------------ checks
def check_page(addr):
    c = Conn(addr)
    c.s.sendall(request())
    expect_page(*c.response())
    c.s.sendall(request(method="HEAD"))
    st, h, _ = c.response(head_only=True)
    if st != 200 or h.get("content-length") != "612":
        raise CheckError(f"HEAD: status {st}, Content-Length {h.get('content-length')}")
    c.close()
    if shutil.which("curl"):
        p = subprocess.run(["curl", "-sS", "--max-time", "20", "-o", "-",
                            f"http://{addr[0]}:{addr[1]}/index.html"], capture_output=True)
        if p.returncode != 0 or p.stdout != PAGE:
            raise CheckError(f"curl: exit {p.returncode}, {len(p.stdout)} bytes: "
                             f"{p.stderr.decode(errors='replace').strip()}")
        return "612-byte page by hand and by curl; HEAD"
    return "612-byte page; HEAD (no curl installed)"


def check_keepalive(addr, n):
    c = Conn(addr)
    for i in range(n):
        c.s.sendall(request(f"/{i}"))
        expect_page(*c.response())
    c.close()
    return f"{n} sequential requests on one connection"


def check_new_connections(addr, n):
    for i in range(n):
        c = Conn(addr)
        c.s.sendall(request(f"/c{i}"))
        expect_page(*c.response())
        c.close()  # the client closes first: no TIME_WAIT piles up in the server
    return f"{n} sequential requests on new connections"


def check_pipelined(addr, n):
    c = Conn(addr)
    c.s.sendall(b"".join(request(f"/p{i}") for i in range(n)) +
                request("/last", extra="Connection: close\r\n"))
    for _ in range(n + 1):
        expect_page(*c.response())
    if not c.closed_by_peer():
        raise CheckError("no close after Connection: close")
    c.close()
    return f"{n + 1} pipelined requests in one write, then closed as asked"


def check_concurrent(addr, conns, per):
    errors = []
    barrier = threading.Barrier(conns, timeout=120)

    def worker(k):
        try:
            c = Conn(addr, timeout=60)
            barrier.wait()  # all connections open at once
            for i in range(per):
                c.s.sendall(request(f"/k{k}/{i}"))
                expect_page(*c.response())
            c.close()
        except Exception as e:  # noqa: BLE001 (every failure counts)
            errors.append(f"{k}: {e!r}")
            try:
                barrier.abort()
            except Exception:  # noqa: BLE001
                pass

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(conns)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(300)
    if errors:
        raise CheckError(f"{len(errors)} of {conns} connections failed, e.g. {errors[0]}")
    return f"{conns} concurrent keep-alive connections x {per} requests"


def check_wrk(addr, conns, seconds):
    if not shutil.which("wrk"):
        return None
    p = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--timeout", "10s",
                        f"http://{addr[0]}:{addr[1]}/"], capture_output=True, text=True,
                       timeout=seconds + 60)
    out = p.stdout
    m = re.search(r"(\d+) requests in", out)
    if p.returncode or not m or int(m.group(1)) == 0:
        raise CheckError(f"wrk failed:\n{out}{p.stderr}")
    if re.search(r"Socket errors|Non-2xx", out):
        raise CheckError("wrk saw errors:\n" + out)
    return f"wrk -c{conns}: {m.group(1)} requests, no errors"


MALFORMED = [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n\r\n", 400),  # no Host
    (b"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),
    (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
    (b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"x" * 9000 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
    (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999\r\n\r\n", 413),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(64)), 400),  # TLS hello
]


def check_malformed(addr):
    for data, want in MALFORMED:
        c = Conn(addr)
        c.s.sendall(data)
        st, _, _ = c.response()
        if st != want:
            raise CheckError(f"{data[:30]!r}...: status {st}, expected {want}")
        if not c.closed_by_peer():
            raise CheckError(f"{data[:30]!r}...: connection not closed after {st}")
        c.close()
    # 405 and 501 keep the connection: a GET follows on it
    for method, want in (("POST", 405), ("DELETE", 405), ("BREW", 501)):
        c = Conn(addr)
        c.s.sendall(request(method=method, extra="Content-Length: 3\r\n") + b"abc" + request())
        st, h, _ = c.response()
        if st != want or (want == 405 and h.get("allow") != "GET, HEAD"):
            raise CheckError(f"{method}: status {st} (Allow: {h.get('allow')}), expected {want}")
        expect_page(*c.response())
        c.close()
    # HTTP/1.0: closes unless asked to keep the connection
    c = Conn(addr)
    c.s.sendall(request(version="1.0"))
    expect_page(*c.response())
    if not c.closed_by_peer():
        raise CheckError("HTTP/1.0 without keep-alive: connection not closed")
    c.close()
    c = Conn(addr)
    c.s.sendall(request(version="1.0", extra="Connection: keep-alive\r\n") * 2)
    for _ in range(2):
        st, h, b = c.response()
        expect_page(st, h, b)
        if h.get("connection", "").lower() != "keep-alive":
            raise CheckError("HTTP/1.0 keep-alive: no Connection: keep-alive in the answer")
    c.close()
    return f"{len(MALFORMED)} malformed requests answered and closed; 405/501 keep the connection; HTTP/1.0"


def rst_close(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def check_vanishing(addr, n):
    half = b"GET /half HTTP/1.1\r\nHost: a\r\nUser-Ag"
    for i in range(n):
        kind = i % 5
        s = socket.create_connection(addr, timeout=20)
        if kind == 0:
            s.sendall(half)
            s.close()  # FIN mid-request
        elif kind == 1:
            s.sendall(half)
            rst_close(s)  # RST mid-request
        elif kind == 2:
            s.sendall(request() * 20)
            rst_close(s)  # RST before reading 20 answers: the server's send fails
        elif kind == 3:
            rst_close(s)  # connect and reset at once
        else:
            s.sendall(request() * 50)
            s.shutdown(socket.SHUT_WR)  # half-close: the answers still come
            got = b""
            s.settimeout(30)
            while True:
                d = s.recv(65536)
                if not d:
                    break
                got += d
            s.close()
            if got.count(b"HTTP/1.1 200 OK") != 50:
                raise CheckError(f"half-closed client: {got.count(b'HTTP/1.1 200 OK')} of 50 answers")
    time.sleep(0.5)
    check_page(addr)
    return f"{n} vanishing clients (FIN/RST mid-request, RST before reading, half-close); still serving"


def check_frames(addr, ifname, n):
    sys.path.insert(0, HERE)
    import rawframes
    sent = rawframes.send_garbage(ifname, addr[0], n)
    time.sleep(1)
    check_page(addr)
    check_keepalive(addr, 20)
    return f"{sent} malformed frames on {ifname}; still serving"


def run_checks(addr, quick=False, frames=None, wrk=True, only=None):
    div = 10 if quick else 1
    checks = [
        ("page", lambda: check_page(addr)),
        ("keepalive", lambda: check_keepalive(addr, 10000 // div)),
        ("newconn", lambda: check_new_connections(addr, 10000 // div)),
        ("pipelined", lambda: check_pipelined(addr, 100)),
        ("concurrent", lambda: check_concurrent(addr, 200, 10 // (2 if quick else 1))),
        ("malformed", lambda: check_malformed(addr)),
        ("vanishing", lambda: check_vanishing(addr, 200 // div)),
    ]
    if wrk:
        checks.append(("wrk", lambda: check_wrk(addr, 200, 5 if quick else 10)))
    if frames:
        checks.append(("frames", lambda: check_frames(addr, frames, 2000 // div)))
    failed = 0
    for name, fn in checks:
        if only and name not in only:
            continue
        t0 = time.monotonic()
        try:
            what = fn()
            if what is None:
                print(f"httpcheck: SKIP {name}", flush=True)
                continue
            print(f"httpcheck: ok {name}: {what} ({time.monotonic() - t0:.1f} s)", flush=True)
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"httpcheck: FAIL {name}: {e!r} ({time.monotonic() - t0:.1f} s)", flush=True)
    print(f"httpcheck: {'all passed' if not failed else f'{failed} FAILED'}", flush=True)
    return 1 if failed else 0



def spawn(exe):
    """Start a native httpreply on a free port of 127.0.0.1; (proc, port)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    p = subprocess.Popen([exe, str(port)], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if f"listening on port {port}" not in line:
        p.kill()
        raise SystemExit(f"httpcheck: {exe} did not start: {line!r}")
    return p, port


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--spawn", metavar="EXE", help="start this native httpreply first")
    ap.add_argument("--quick", action="store_true", help="a tenth of the counts")
    ap.add_argument("--frames", metavar="IFNAME", help="also send malformed frames on IFNAME")
    ap.add_argument("--no-wrk", action="store_true")
    ap.add_argument("--only", action="append", help="run only this check (repeatable)")
    a = ap.parse_args()
    proc = None
    if a.spawn:
        proc, a.port = spawn(a.spawn)
        a.host = "127.0.0.1"
    try:
        rc = run_checks((a.host, a.port), a.quick, a.frames, not a.no_wrk, a.only)
        if proc and proc.poll() is not None:
            print(f"httpcheck: the server exited with {proc.returncode}")
            rc = 1
        return rc
    finally:
        if proc:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
