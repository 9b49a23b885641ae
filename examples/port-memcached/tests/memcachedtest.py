#!/usr/bin/env python3
"""Boot test of the memcached image (examples/port-memcached) over a network.

    memcachedtest.py --image memcached.images --unikit-root DIR
                     [--threads N] [--accel auto|kvm|tcg]

The image (`memcached -u root -t N -p 11211 -U 0 -m 64 -c 1024 -A`) on a tap
device in a private network namespace (unikit.netns); this script then runs
itself inside the namespace as the client (--client), speaking memcached's
text protocol over plain sockets (no client package needed): version and
stats (its thread count), set/get/add/replace/append/prepend/cas, delete,
incr/decr, expiry against the guest's clock (relative and absolute
times; the guest's `stats time` against the host's), a 512 KiB value
stored and read back whole, a value over the 1 MiB item limit refused
with memcached's own SERVER_ERROR and the connection still serving, 300
connections open at once each with its own key, malformed commands
answered with ERROR / CLIENT_ERROR, a command line that never ends (the
connection closed; the server goes on serving), then
`shutdown` (-A), after which the guest must exit with status 0.
Exit 77 (skip) without root or tap devices.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import time

# the harness the server ports share, from the checkout --unikit-root names
# (the client half, which this script also is, needs it as much)
if "--unikit-root" not in sys.argv[1:-1]:
    sys.exit(f"{sys.argv[0]}: say --unikit-root DIR (the unikit checkout)")
sys.path.insert(0, os.path.join(sys.argv[sys.argv.index("--unikit-root") + 1], "cli"))
from unikit import porttest as pt  # noqa: E402

SKIP = pt.SKIP
PORT = 11211


class Conn:
    def __init__(self, host, timeout=30):
        self.s = socket.create_connection((host, PORT), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.s.sendall(data)

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise ConnectionError(f"closed by the server (after {self.buf[:80]!r})")
            self.buf += chunk
        ln, self.buf = self.buf.split(b"\r\n", 1)
        return ln.decode("latin-1")

    def exact(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise ConnectionError("closed by the server in a value")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def cmd(self, text):
        self.send(text.encode() + b"\r\n")
        return self.line()

    def store(self, verb, key, value, exptime=0, flags=0, extra=""):
        self.send(f"{verb} {key} {flags} {exptime} {len(value)}{extra}\r\n".encode() + value +
                  b"\r\n")
        return self.line()

    def get(self, key, verb="get"):
        """(value, flags[, cas]) or None"""
        self.send(f"{verb} {key}\r\n".encode())
        ln = self.line()
        if ln == "END":
            return None
        f = ln.split()
        if f[0] != "VALUE" or f[1] != key:
            raise ValueError(f"unexpected reply {ln!r}")
        data = self.exact(int(f[3]) + 2)
        if data[-2:] != b"\r\n" or self.line() != "END":
            raise ValueError("value not followed by CRLF END")
        return (data[:-2], int(f[2])) + ((int(f[4]),) if len(f) > 4 else ())

    def stats(self):
        self.send(b"stats\r\n")
        out = {}
        while True:
            ln = self.line()
            if ln == "END":
                return out
            f = ln.split(" ", 2)
            out[f[1]] = f[2]

    def close(self):
        self.s.close()


class Client(pt.Checker):
    def __init__(self, host, threads):
        super().__init__()
        self.host, self.threads = host, threads

    def eq(self, name, got, want):
        return self.check(name, got == want, f"got {got!r}, want {want!r}")

    def basics(self, c):
        self.eq("version", c.cmd("version"), "VERSION 1.6.18")
        st = c.stats()
        self.eq("stats: worker threads (-t)", st.get("threads"), str(self.threads))
        self.eq("set", c.store("set", "k", b"hello", flags=42), "STORED")
        self.eq("get", c.get("k"), (b"hello", 42))
        self.eq("get of a missing key", c.get("nosuch"), None)
        self.eq("add of an existing key", c.store("add", "k", b"x"), "NOT_STORED")
        self.eq("add of a new key", c.store("add", "k2", b"two"), "STORED")
        self.eq("replace", c.store("replace", "k2", b"TWO"), "STORED")
        self.eq("replace of a missing key", c.store("replace", "nosuch", b"x"), "NOT_STORED")
        self.eq("append", c.store("append", "k", b" world"), "STORED")
        self.eq("prepend", c.store("prepend", "k", b">> "), "STORED")
        self.eq("get after append and prepend", c.get("k"), (b">> hello world", 42))
        _, _, cas = c.get("k2", "gets")
        self.eq("cas with the current unique", c.store("cas", "k2", b"new", extra=f" {cas}"),
                "STORED")
        self.eq("cas with a stale unique", c.store("cas", "k2", b"newer", extra=f" {cas}"),
                "EXISTS")
        self.eq("get after cas", c.get("k2"), (b"new", 0))
        # multi-get
        c.send(b"get k k2 nosuch\r\n")
        got = [c.line() for _ in range(5)]
        self.eq("multi-get", got, ["VALUE k 42 14", ">> hello world", "VALUE k2 0 3", "new",
                                   "END"])
        self.eq("delete", c.cmd("delete k"), "DELETED")
        self.eq("get after delete", c.get("k"), None)
        self.eq("delete again", c.cmd("delete k"), "NOT_FOUND")
        binary = bytes(range(256)) * 4
        self.eq("set of every byte value", c.store("set", "bin", binary), "STORED")
        self.eq("get of them", c.get("bin"), (binary, 0))

    def counters(self, c):
        self.eq("set a number", c.store("set", "n", b"10"), "STORED")
        self.eq("incr", c.cmd("incr n 5"), "15")
        self.eq("decr", c.cmd("decr n 3"), "12")
        self.eq("decr below zero stops at 0", c.cmd("decr n 100"), "0")
        self.eq("incr past 2^64 wraps", c.cmd(f"incr n {2**64 - 1}"), str(2**64 - 1))
        self.eq("... and then", c.cmd("incr n 2"), "1")
        self.eq("incr of a missing key", c.cmd("incr nosuch 1"), "NOT_FOUND")
        c.store("set", "s", b"abc")
        self.eq("incr of a non-number",
                c.cmd("incr s 1"), "CLIENT_ERROR cannot increment or decrement non-numeric value")
        self.eq("incr by a non-number", c.cmd("incr n x"), "CLIENT_ERROR invalid numeric delta argument")

    def expiry(self, c):
        st = c.stats()
        skew = abs(int(st.get("time", "0")) - time.time())
        self.check("stats time agrees with the host's clock (within 5 s)", skew < 5,
                   f"time {st.get('time')}, skew {skew:.1f} s")
        now = int(st.get("time", "0"))
        t0 = time.monotonic()
        self.eq("set with exptime 2 s", c.store("set", "short", b"v", exptime=2), "STORED")
        self.eq("set with exptime 1000 s", c.store("set", "long", b"v", exptime=1000), "STORED")
        self.eq("set with an absolute exptime (now + 2 s)",
                c.store("set", "abs", b"v", exptime=now + 2), "STORED")
        self.eq("set with exptime -1 (expired at once)", c.store("set", "neg", b"v", exptime=-1),
                "STORED")
        self.eq("the exptime -1 key is gone", c.get("neg"), None)
        self.check("the 2 s key is there at first", c.get("short") is not None)
        self.eq("touch", c.cmd("touch long 1000"), "TOUCHED")
        # memcached's clock ticks once a second (a libevent timer): 2 s of it
        # are over after at most 4 s of the host's
        time.sleep(max(0, 4.5 - (time.monotonic() - t0)))
        self.eq("the 2 s key has expired", c.get("short"), None)
        self.eq("the absolute-time key has expired", c.get("abs"), None)
        self.eq("the 1000 s key has not", c.get("long"), (b"v", 0))

    def sizes(self, c):
        half = os.urandom(512 << 10)
        self.eq("set of 512 KiB", c.store("set", "half", half), "STORED")
        got = c.get("half")
        self.check("get of 512 KiB gives the same bytes", got == (half, 0),
                   f"{len(got[0]) if got else None} bytes")
        big = b"x" * ((1 << 20) + 1)
        self.eq("set of 1 MiB + 1 refused (-I 1m)", c.store("set", "big", big),
                "SERVER_ERROR object too large for cache")
        self.eq("... nothing stored", c.get("big"), None)
        self.eq("... and the connection still serves", c.cmd("version"), "VERSION 1.6.18")

    def many(self, n=300):
        conns = []
        try:
            for i in range(n):
                conns.append(Conn(self.host))
            for i, c in enumerate(conns):
                c.send(f"set conn{i} 0 0 {len(str(i))}\r\n{i}\r\n".encode())
            ok = sum(c.line() == "STORED" for c in conns)
            self.eq(f"{n} connections at once: set on each", ok, n)
            bad = [i for i, c in enumerate(conns) if c.get(f"conn{i}") != (str(i).encode(), 0)]
            self.eq(f"{n} connections at once: get on each", bad, [])
            curr = int(conns[0].stats().get("curr_connections", "0"))
            self.check(f"stats curr_connections counts them (>= {n})", curr >= n, str(curr))
        except OSError as e:
            self.check(f"{n} connections at once", False, f"after {len(conns)}: {e}")
        finally:
            for c in conns:
                c.close()

    def malformed(self, c):
        self.eq("an unknown command", c.cmd("bogus"), "ERROR")
        self.eq("an empty line", c.cmd(""), "ERROR")
        self.eq("set with a bad flags field", c.cmd("set k abc 0 5"),
                "CLIENT_ERROR bad command line format")
        self.eq("set with too few fields", c.cmd("set k 0"), "ERROR")
        self.eq("a key over 250 bytes", c.cmd("get " + "k" * 251),
                "CLIENT_ERROR bad command line format")
        # a data block longer than it said: memcached refuses it when the 3
        # bytes are not followed by CRLF, swallows the next 2 ("de") as the
        # block's end, and reads what is left ("f") as a command line
        c.send(b"set k 0 0 3\r\nabcdef\r\n")
        self.eq("a data block longer than announced", c.line(), "CLIENT_ERROR bad data chunk")
        self.eq("... its rest read as a command", c.line(), "ERROR")
        self.eq("... and nothing stored", c.get("k"), None)
        self.eq("... the connection serves on", c.cmd("version"), "VERSION 1.6.18")
        self.eq("binary junk", c.cmd("\x01\x02\xfe\xff junk"), "ERROR")
        # a command line with no end: past 2048 bytes without a newline
        # (and not a multi-get, which may be that long) memcached closes the
        # connection (proto_text.c)
        c2 = Conn(self.host)
        c2.send(b"set " + b"a" * 8192)
        try:
            ln = c2.line()
        except ConnectionError:
            ln = "closed"
        except OSError as e:
            ln = f"{type(e).__name__}: {e}"
        self.eq("a 8 KiB command line that never ends: closed", ln, "closed")
        c2.close()
        c3 = Conn(self.host)
        self.eq("a new connection after all that", c3.cmd("version"), "VERSION 1.6.18")
        c3.close()

    def run(self):
        c = Conn(self.host)
        for part in (self.basics, self.counters, self.expiry, self.sizes, self.malformed):
            try:
                part(c)
            except (OSError, ValueError) as e:
                self.check(part.__name__, False, f"{type(e).__name__}: {e}")
                c = Conn(self.host)
        self.many()
        st = Conn(self.host).stats()
        self.check("stats total_connections", int(st.get("total_connections", "0")) >= 300,
                   st.get("total_connections"))
        c.send(b"shutdown\r\n")
        c.close()
        return 1 if self.failed else 0


def serve(a):
    unikit = pt.load_unikit(a.unikit_root)
    why = unikit.netns.requirements_problem()
    if why:
        print(f"memcachedtest: SKIP: {why}")
        return SKIP
    accel, how = unikit.qemu.choose_accel(a.accel, unikit.qemu.probe_image_path("gcc"))
    print(f"memcachedtest: accelerator {accel} ({how})", flush=True)
    image = pt.kvm_image(unikit, a.image)
    argv = ["-u", "root", "-t", str(a.threads), "-p", str(PORT), "-U", "0", "-m", "64",
            "-c", "1024", "-A", "-v"]
    append = " ".join(unikit.netns.guest_params()) + " -- " + unikit.qemu.quote_args(argv)
    cmd = unikit.qemu.qemu_command(image, "microvm", 192 << 20, accel, append,
                                   unikit.netns.qemu_net_args("microvm"))
    failed = 0
    with unikit.netns.NetNS("memcached") as ns:
        g = unikit.netns.Guest(ns, cmd)
        try:
            # the client retries its first connection until the listener is up
            p = ns.run(pt.client_argv(__file__, a.unikit_root, "--client", "--host",
                                      unikit.netns.GUEST_IP, "--threads", str(a.threads)),
                       timeout=a.timeout * 4)
            failed += p.returncode != 0
            try:
                g.proc.wait(a.timeout)
                rc = g.proc.returncode
            except subprocess.TimeoutExpired:
                rc = None
            status = None
            if rc is not None:
                g.thread.join(5)
                status = unikit.qemu.decode_qemu_status(rc, g.text(), "")
            if status != 0:
                failed += 1
                print(f"FAIL the guest's exit after shutdown: QEMU status {rc} (app {status})",
                      flush=True)
            else:
                print("ok   shutdown: the guest exits with status 0", flush=True)
        except (TimeoutError, RuntimeError, subprocess.TimeoutExpired) as e:
            failed += 1
            print(f"FAIL {e}", flush=True)
        finally:
            g.stop()
            out = re.sub(r"\x1b\[[0-9;]*m", "", g.text())
        # what unikit reported along the way (a missing system call...)
        for ln in out.splitlines():
            if "WARN" in ln or "ERR" in ln:
                print(f"memcachedtest: guest: {ln}", flush=True)
        if "CRASH" in out:
            failed += 1
            print("FAIL a crash report on the console", flush=True)
        if failed:
            print(out[-6000:])
    print(f"memcachedtest: {'FAIL' if failed else 'PASS'}", flush=True)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--image")
    ap.add_argument("--unikit-root")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    ap.add_argument("--timeout", type=float, default=180)
    ap.add_argument("--client", action="store_true")
    ap.add_argument("--host")
    a = ap.parse_args()
    if a.client:
        # the guest's listener may be up before its ARP answers: retry a bit
        deadline = time.monotonic() + 120
        while True:
            try:
                Conn(a.host, timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        return Client(a.host, a.threads).run()
    return serve(a)


if __name__ == "__main__":
    sys.exit(main())
