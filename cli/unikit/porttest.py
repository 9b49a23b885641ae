"""What the server ports' boot tests (examples/port-*/tests/*.py) share.

Each test script runs twice: on the host it boots the image (a broken
configuration per boot, or once on a tap device in a network namespace)
and, for the network test, runs itself again inside the namespace as the
client. The host side uses boot_setup(), bad_confs(), net_guest() and
console_problems(); the client side Checker and, for HTTP servers,
HttpClient and wait_http(). Standard library only: the client half runs
without the rest of unikit imported.
"""
import http.client
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

SKIP = 77  # meson's exit status for a skipped test


# ---------------------------------------------------------------- client side

class Checker:
    """Named checks that print ok/FAIL and count the failures."""

    def __init__(self):
        self.failed = 0

    def check(self, name, cond, why=""):
        """Print `ok NAME` or `FAIL NAME: WHY`; count a failure; return cond."""
        if cond:
            print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}{': ' + why if why else ''}", flush=True)
        return cond

    def run_parts(self, parts, errors):
        """Run each part; one that raises one of `errors` is a failed check
        named after it and the rest still run. Return 1 if anything failed."""
        for part in parts:
            try:
                part()
            except errors as e:
                self.check(part.__name__, False, f"{type(e).__name__}: {e}")
        return 1 if self.failed else 0


def malformed_requests(header_bytes):
    """HTTP requests that are broken, hostile or at the limits; the fourth
    has one header line of `header_bytes` (past the server's header buffer)."""
    return [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: t\r\n\r\n",
        b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX: " + b"b" * header_bytes + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n",
        b"GET /../../etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n",
        b"\x00\xff\x01\x02" * 64 + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nRange: bytes=9-1,x-\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X-Many: h\r\n" * 2000 + b"\r\n",
    ]


class HttpClient(Checker):
    """Checks of a web server at host:80 serving the site tree `site`
    (its documents under srv/www, as unikit.ports builds them)."""

    def __init__(self, host, site, port=80):
        super().__init__()
        self.host, self.site, self.port = host, site, port

    def doc(self, name):
        """The bytes of srv/www/NAME in the site the server was given."""
        with open(os.path.join(self.site, "srv", "www", name), "rb") as f:
            return f.read()

    def req(self, method, path, headers=None, conn=None):
        """One request (on `conn` if given, else a connection of its own):
        (status, headers with lower-case names, body)."""
        c = conn or http.client.HTTPConnection(self.host, self.port, timeout=30)
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        if conn is None:
            c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, body

    def alive(self, name):
        """Check that / still answers 200 with index.html after `name`."""
        st, _, body = self.req("GET", "/")
        return self.check(f"still serving after {name}", st == 200 and body == self.doc("index.html"),
                          f"status {st}, {len(body)} bytes")

    def files(self, names=("index.html", "64k.bin", "big.bin")):
        """GET each document (index.html as /) and compare it byte for byte."""
        import hashlib
        for name in names:
            path = "/" if name == "index.html" else "/" + name
            st, _, body = self.req("GET", path)
            want = self.doc(name)
            self.check(f"GET {path}", st == 200 and body == want,
                       f"status {st}, {len(body)} bytes (want {len(want)}), sha256 "
                       f"{hashlib.sha256(body).hexdigest()[:16]}")

    def head_304_404(self):
        """HEAD / (612 bytes of index.html, no body), If-Modified-Since with
        the Last-Modified given (304), and a missing file (404)."""
        st, h, body = self.req("HEAD", "/")
        self.check("HEAD /", st == 200 and body == b"" and h.get("content-length") == "612",
                   f"status {st}, content-length {h.get('content-length')}")
        st, h, _ = self.req("GET", "/")
        lm = h.get("last-modified")
        st, _, body = self.req("GET", "/", {"If-Modified-Since": lm or ""})
        self.check("If-Modified-Since gives 304", st == 304 and body == b"", f"status {st}")
        st, _, _ = self.req("GET", "/no/such/file.html")
        self.check("404 for a missing file", st == 404, f"status {st}")

    def single_ranges(self):
        """Single byte ranges of big.bin (plain, open-ended, suffix, one
        byte): 206 with the bytes and a Content-Range."""
        big = self.doc("big.bin")
        n = len(big)
        for rng, lo, hi in (("0-99", 0, 99), ("1000000-", 1000000, n - 1), ("-100", n - 100, n - 1),
                            ("524288-524288", 524288, 524288)):
            st, h, body = self.req("GET", "/big.bin", {"Range": "bytes=" + rng})
            self.check(f"Range bytes={rng}", st == 206 and body == big[lo:hi + 1] and
                       h.get("content-range") == f"bytes {lo}-{hi}/{n}",
                       f"status {st}, {len(body)} bytes, content-range {h.get('content-range')}")

    def unsatisfiable_range(self):
        """A range past the end of big.bin: 416."""
        st, _, _ = self.req("GET", "/big.bin", {"Range": "bytes=2000000-"})
        self.check("unsatisfiable Range gives 416", st == 416, f"status {st}")

    def keepalive(self, n=300):
        """n requests of / on one connection, each answered whole."""
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        want = self.doc("index.html")
        ok = 0
        for _ in range(n):
            st, _, body = self.req("GET", "/", conn=c)
            ok += st == 200 and body == want
        c.close()
        self.check(f"{n} requests on one keep-alive connection", ok == n, f"{ok} good")

    def vanishing(self, n=200):
        """n clients that reset their connection mid-request (half of them
        while big.bin is being sent); the server must still serve."""
        linger = struct.pack("ii", 1, 0)  # close() sends RST
        socks = []
        for i in range(n):
            s = socket.create_connection((self.host, self.port), timeout=10)
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

    def malformed(self, cases, status_rx=rb"4\d\d|505|200"):
        """Send each raw request on a connection of its own; the first line
        back must be an HTTP status matching `status_rx` (a refusal, or 200
        where the request is valid after all), /../../etc/passwd must not
        leak the host's file, and the server must still serve."""
        bad = []
        for i, raw in enumerate(cases):
            try:
                with socket.create_connection((self.host, self.port), timeout=15) as s:
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
            if not re.match(rb"HTTP/1\.[01] (" + status_rx + rb") ", line) or \
                    (b"/etc/passwd" in raw and b"root:x" in resp):
                bad.append(f"case {i}: {line[:60]!r}")
        self.check(f"{len(cases)} malformed requests refused", not bad, "; ".join(bad))
        self.alive("malformed requests")


def wait_http(host, timeout, port=80):
    """Poll GET / until it answers 200 (True) or `timeout` s pass (False)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            c = http.client.HTTPConnection(host, port, timeout=2)
            c.request("GET", "/")
            if c.getresponse().status == 200:
                return True
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    return False


# ---------------------------------------------------------------- host side

def add_args(ap, machine, mem):
    """The options every server port's test script takes: the image, the
    checkout, --bad-conf / --net / --client HOST, the machine (None: the
    image's QEMU's first), guest MiB, accelerator and timeout."""
    ap.add_argument("--image")
    ap.add_argument("--unikit-root")
    ap.add_argument("--bad-conf", action="store_true")
    ap.add_argument("--net", action="store_true")
    ap.add_argument("--client", metavar="HOST")
    ap.add_argument("--machine", default=machine,
                    help=None if machine else "default: the first machine of the image's QEMU")
    ap.add_argument("--mem", type=int, default=mem, help="guest MiB")
    ap.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    ap.add_argument("--timeout", type=float, default=240)


def dispatch(ap, a, client, wait, bad_conf, net):
    """Run what add_args' options ask: --client HOST: wait(HOST, timeout)
    for the server, then client(); else bad_conf(a, uk) or net(a, uk)."""
    if a.client:
        if not wait(a.client, a.timeout):
            print(f"FAIL no answer from {a.client} within {a.timeout} s")
            return 1
        return client()
    uk = load_unikit(a.unikit_root)
    if a.bad_conf:
        return bad_conf(a, uk)
    if a.net:
        return net(a, uk)
    ap.error("say --bad-conf or --net")


def load_unikit(root):
    """Import the unikit CLI package of the checkout at `root` with the
    modules the boot tests use; return the package."""
    sys.path.insert(0, os.path.join(root, "cli"))
    import unikit.check
    import unikit.initrd
    import unikit.netns
    import unikit.ports
    import unikit.qemu
    return unikit


def kvm_image(uk, manifest):
    """The first kvm image listed in the NAME.images manifest."""
    return uk.check.images_of(manifest, "kvm")[0]


def boot_setup(a, uk, prog):
    """The kvm image of a.image, its Vmm and the accelerator to use (a.accel
    as asked, probed); a.machine defaults to the Vmm's first machine.
    Prints the choice, prefixed with `prog`. Returns (image, vmm, accel)."""
    image = kvm_image(uk, a.image)
    # the QEMU of the image's target (x86_64: microvm...; arm64: virt)
    v = uk.qemu.image_vmm(image)
    a.machine = a.machine or v.machines[0]
    accel, how = uk.qemu.choose_accel(a.accel, uk.qemu.probe_image_path("gcc"), v)
    print(f"{prog}: accelerator {accel} ({how}); machine {a.machine}", flush=True)
    return image, v, accel


def bad_confs(a, uk, prog, conf, confs, make_tree, conf_in_tree, expect_status=1, append="",
              mem=64):
    """Boot the image once per (name, edit, regex) of `confs`: `edit` turns
    the text of `conf` into a broken one (None: the tree has no
    configuration file, `conf_in_tree` relative to the tree's root). The
    console (CRLF as LF) must match `regex` (re.M), show no crash, and the
    guest must exit within a.timeout with `expect_status` (None: any
    non-zero status). make_tree(tree, conf_file) builds the initrd tree.
    Returns 1 if any boot failed, else 0."""
    image, v, accel = boot_setup(a, uk, prog)
    failed = 0
    with open(conf) as f:
        base = f.read()
    for name, edit, rx in confs:
        with tempfile.TemporaryDirectory() as tmp:
            tree = os.path.join(tmp, "root")
            broken = os.path.join(tmp, os.path.basename(conf))
            text = edit(base) if edit else base
            if edit and text == base:
                raise SystemExit(f"{prog}: the '{name}' edit changed nothing in {conf}")
            with open(broken, "w") as f:
                f.write(text)
            make_tree(tree, broken)
            if edit is None:
                os.remove(os.path.join(tree, conf_in_tree))
            cmd = uk.qemu.qemu_command(image, a.machine, mem << 20, accel, append,
                                       ["-initrd", uk.initrd.initrd_file(tree)], v=v)
            try:
                rc, out, err = uk.qemu.run_qemu(cmd, a.timeout, echo=False)
                status = uk.qemu.decode_qemu_status(rc, out, err, v)
            except TimeoutError:
                status, out = None, f"(no exit within {a.timeout} s)"
            out = out.replace("\r\n", "\n")
            problems = []
            if expect_status is None and (status is None or status == 0):
                problems.append(f"exit status {status}, expected non-zero")
            elif expect_status is not None and status != expect_status:
                problems.append(f"exit status {status}, expected {expect_status}")
            m = re.search(rx, out, re.M)
            if not m:
                problems.append(f"no /{rx}/ on the console")
            if "CRASH" in out:
                problems.append("a crash report")
            if problems:
                failed += 1
                print(out[-3000:])
                print(f"FAIL {name}: {'; '.join(problems)}", flush=True)
            else:
                msg = m.group(0).replace("\n", " | ")
                print(f"ok   {name}: status {status}, {msg}", flush=True)
    return 1 if failed else 0


def client_argv(script, root, *args):
    """The command line that runs `script` again, as the client: `args`
    after --unikit-root `root` (the client imports this module too)."""
    return [sys.executable, os.path.abspath(script), "--unikit-root", root, *args]


def console_problems(out, marks=("=== CRASH", "PANIC")):
    """A 'MARK on the console' line for each of `marks` found in `out`."""
    return [f"'{bad}' on the console" for bad in marks if bad in out]


def net_http(a, uk, prog, script, tree, ns_name, ready_rx, log_rx, after=0.5,
             marks=("=== CRASH", "PANIC")):
    """The network test of a web server: boot the image (a.image, its initrd
    `tree`, no arguments after "--") on a tap device in the namespace
    `ns_name`, wait for `ready_rx` on its console, run `script` inside the
    namespace as the client of the site, wait `after` s, then check that
    the guest still runs, that its console (CRLF as LF) matches `log_rx`
    (re.M: an access log line) and shows none of `marks`. Returns 0, 1, or
    SKIP without root or tap devices."""
    why = uk.netns.requirements_problem()
    if why:
        print(f"{prog}: SKIP: {why}")
        return SKIP
    image, v, accel = boot_setup(a, uk, prog)
    rc = 1
    cpio = uk.initrd.initrd_file(tree)
    append = " ".join(uk.netns.guest_params()) + " --"
    cmd = uk.qemu.qemu_command(image, a.machine, a.mem << 20, accel, append,
                               ["-initrd", cpio] + uk.netns.qemu_net_args(a.machine, v=v), v=v)
    with uk.netns.NetNS(ns_name) as ns:
        g = uk.netns.Guest(ns, cmd, echo=True)
        try:
            g.wait_for(ready_rx, a.timeout)
            p = ns.run(client_argv(script, a.unikit_root, "--client", uk.netns.GUEST_IP,
                                   "--site", tree, "--timeout", str(a.timeout)),
                       timeout=a.timeout * 4)
            rc = p.returncode
            time.sleep(after)
            out = g.text().replace("\r\n", "\n")
            if g.proc.poll() is not None:
                print(f"FAIL the guest exited (status {g.proc.returncode})")
                rc = 1
            if not re.search(log_rx, out, re.M):
                print("FAIL no access log line for GET / on the console")
                rc = 1
            for p in console_problems(out, marks):
                print(f"FAIL {p}")
                rc = 1
        except (TimeoutError, RuntimeError, subprocess.TimeoutExpired) as e:
            print(f"FAIL {e}")
            rc = 1
        finally:
            g.stop()
    print(f"{prog}: {'PASS' if rc == 0 else 'FAIL'}", flush=True)
    return rc
