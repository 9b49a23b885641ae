"""Network namespaces with a tap device for QEMU guests.

Shared by `./unikit run --net`, the net boot tests (tests/net/boottest.py)
and the network benchmarks. Every namespace is ours alone (unikit-<pid>[-tag]):
the guest's traffic never leaves it. Inside it:

    uktap0  10.77.0.1/24   the host side (QEMU's tap device)
    guest   10.77.0.2/24   the guest's static address (library parameters)

Python 3 standard library only; needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN
for `ip netns`), /dev/net/tun and the `ip` tool (iproute2).
"""
import atexit
import os
import re
import shutil
import signal
import subprocess
import threading
import time

HOST_IP = "10.77.0.1"
GUEST_IP = "10.77.0.2"
PREFIX = 24
TAP = "uktap0"
GUEST_MAC = "52:54:00:77:00:02"


class NetError(Exception):
    """The namespace could not be set up; the message says what is needed."""


def requirements_problem():
    """None when namespaces with a tap can work here, else what is missing."""
    need = []
    if os.geteuid() != 0:
        need.append("root (network namespaces and tap devices need CAP_NET_ADMIN and "
                    "CAP_SYS_ADMIN): run as root, e.g. `sudo ./unikit run APP --net`")
    if not os.path.exists("/dev/net/tun"):
        need.append("/dev/net/tun (load the tun module: `modprobe tun`; in a container, "
                    "pass the device in, e.g. `--device /dev/net/tun`)")
    if not shutil.which("ip"):
        need.append("the `ip` tool: apt-get install -y iproute2")
    if need:
        return "--net needs " + "; and ".join(need)
    return None


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def remove_stale():
    """Delete unikit-<pid>* namespaces whose process is gone (a killed run)."""
    p = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    for line in p.stdout.splitlines():
        m = re.match(r"(unikit-(\d+)(-[a-z0-9]+)?)\b", line)
        if m and not _pid_alive(int(m.group(2))):
            subprocess.run(["ip", "netns", "del", m.group(1)], capture_output=True)


_live = []


def _cleanup_all():
    for ns in list(_live):
        ns.destroy()


def _on_signal(signum, frame):
    # turn SIGTERM/SIGHUP into an orderly exit, so atexit tears down
    raise SystemExit(128 + signum)


_installed = False


def _install_handlers():
    global _installed
    if _installed:
        return
    _installed = True
    atexit.register(_cleanup_all)
    for s in (signal.SIGTERM, signal.SIGHUP):
        try:
            if signal.getsignal(s) in (signal.SIG_DFL, None):
                signal.signal(s, _on_signal)
        except (ValueError, OSError):
            pass  # not the main thread


class NetNS:
    """A namespace with uktap0 at HOST_IP. Use as a context manager, or call
    create() and destroy(); destroy() also runs at exit and on SIGTERM."""

    def __init__(self, tag=""):
        self.name = f"unikit-{os.getpid()}" + (f"-{tag}" if tag else "")
        self.procs = []
        self.created = False

    def _ip(self, args, what):
        p = subprocess.run(args, capture_output=True, text=True)
        if p.returncode != 0:
            msg = (p.stderr or p.stdout).strip()
            raise NetError(f"{what} failed: {' '.join(args)}: {msg}")

    def create(self):
        why = requirements_problem()
        if why:
            raise NetError(why)
        _install_handlers()
        remove_stale()
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        p = subprocess.run(["ip", "netns", "add", self.name], capture_output=True, text=True)
        if p.returncode != 0:
            raise NetError(f"`ip netns add {self.name}` was refused ({p.stderr.strip()}): "
                           "network namespaces need root with CAP_SYS_ADMIN, and /run/netns "
                           "must be writable (in a container: --privileged or "
                           "--cap-add SYS_ADMIN,NET_ADMIN)")
        self.created = True
        _live.append(self)
        try:
            ex = self.prefix()
            self._ip(ex + ["ip", "link", "set", "lo", "up"], "loopback up")
            self._ip(ex + ["ip", "tuntap", "add", "mode", "tap", "name", TAP],
                     "creating the tap device (needs /dev/net/tun)")
            self._ip(ex + ["ip", "addr", "add", f"{HOST_IP}/{PREFIX}", "dev", TAP],
                     "host address")
            self._ip(ex + ["ip", "link", "set", TAP, "up"], "tap up")
        except NetError:
            self.destroy()
            raise
        return self

    def prefix(self):
        return ["ip", "netns", "exec", self.name]

    def run(self, cmd, **kw):
        """subprocess.run of `cmd` inside the namespace."""
        return subprocess.run(self.prefix() + list(cmd), **kw)

    def popen(self, cmd, **kw):
        p = subprocess.Popen(self.prefix() + list(cmd), **kw)
        self.procs.append(p)
        return p

    def destroy(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    pass
        self.procs = []
        if self.created:
            subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
            self.created = False
        if self in _live:
            _live.remove(self)

    def __enter__(self):
        return self.create()

    def __exit__(self, *exc):
        self.destroy()


def qemu_net_args(machine, legacy=False, mac=GUEST_MAC, v=None):
    """QEMU options for a virtio-net device on uktap0: virtio-mmio on microvm
    and virt (modern unless legacy), virtio-pci on q35 and pc (transitional;
    legacy forces disable-modern=on)."""
    from .qemu import is_mmio
    net = ["-netdev", f"tap,id=n0,ifname={TAP},script=no,downscript=no,vhost=off"]
    if is_mmio(machine, v):
        force = "true" if legacy else "false"
        return net + ["-global", f"virtio-mmio.force-legacy={force}",
                      "-device", f"virtio-net-device,netdev=n0,mac={mac}"]
    dev = f"virtio-net-pci,netdev=n0,mac={mac}"
    if legacy:
        dev += ",disable-modern=on,disable-legacy=off"
    return net + ["-device", dev]


def guest_params(ip=GUEST_IP, prefix=PREFIX, gw=HOST_IP):
    """uklwip's library parameters for the static configuration."""
    return [f"net.ip={ip}/{prefix}", f"net.gw={gw}"]


class Guest:
    """A QEMU process inside a namespace whose console (stdout) is collected
    by a thread; wait_for() watches it."""

    def __init__(self, ns, cmd, echo=False, log=None):
        self.t0 = time.monotonic()
        self.proc = ns.popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        # the guest's console input: an end of file at once (docs/design.md,
        # "The console"); the pipe stays open until QEMU ends
        try:
            self.proc.stdin.write(b"\x04")
            self.proc.stdin.flush()
        except OSError:
            pass
        self.out = bytearray()
        self.cond = threading.Condition()
        self.echo = echo
        self.log = log
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        from .qemu import CONSOLE_READY
        fd = self.proc.stdout.fileno()
        while True:
            got = os.read(fd, 65536)
            # QEMU's stderr comes here too: an arm64 image's console-ready
            # mark (semihosting) is not the guest's output
            chunk = got.replace(CONSOLE_READY, b"")
            with self.cond:
                self.out += chunk
                self.cond.notify_all()
            if not got:
                return
            if self.echo:
                os.write(1, chunk)  # byte for byte, as `unikit run` does
            if self.log:
                self.log.write(chunk)
                self.log.flush()

    def text(self):
        with self.cond:
            return self.out.decode("utf-8", "replace").replace("\r\n", "\n")

    def wait_for(self, regex, timeout):
        """Seconds from the start until `regex` appeared; raises TimeoutError
        (or RuntimeError when QEMU exits first)."""
        rx = re.compile(regex.encode() if isinstance(regex, str) else regex, re.M)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                if rx.search(self.out):
                    return time.monotonic() - self.t0
                if self.proc.poll() is not None and not self.thread.is_alive():
                    raise RuntimeError(f"the guest exited (status {self.proc.returncode}) "
                                       f"before /{rx.pattern.decode()}/")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no /{rx.pattern.decode()}/ within {timeout} s")
                self.cond.wait(min(left, 0.5))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.thread.join(5)
        return self.proc.returncode


def unikit_run(a, image, mem, accel, extra, v=None):
    from .errors import UserError, say
    from .qemu import quote_args, qemu_command, decode_qemu_status
    from .run import check_status
    """`./unikit run --net`: the image on uktap0 in a fresh namespace with
    the static configuration as library parameters in front of the app's
    arguments. Without --net-exec the console is shown until the guest
    exits (or --timeout, or Ctrl-C); with it, the command runs once the
    guest printed --net-ready, and its status is the result."""
    params = guest_params() + list(getattr(a, "lib_params", None) or [])
    if a.cmdline is not None:
        append = " ".join(params) + " " + a.cmdline
    else:
        append = " ".join(params) + " -- " + quote_args(a.args)
    ns = NetNS()
    try:
        ns.create()
    except NetError as e:
        raise UserError(str(e))
    try:
        cmd = qemu_command(image, a.machine, mem, accel, append,
                           list(extra) + qemu_net_args(a.machine, a.net_legacy, v=v),
                           debug_exit=not a.no_debug_exit, v=v)
        say(f"network: namespace {ns.name}, host {HOST_IP}/{PREFIX} on {TAP}, "
              f"guest {GUEST_IP} (virtio-net, {'legacy' if a.net_legacy else 'modern'}); "
              f"from another shell: ip netns exec {ns.name} curl http://{GUEST_IP}/")
        if a.verbose:
            say("qemu command: " + " ".join(ns.prefix() + cmd))
        if a.net_exec:
            g = Guest(ns, cmd, echo=True)
            try:
                g.wait_for(a.net_ready, a.timeout or 300)
            except (TimeoutError, RuntimeError) as e:
                say(f"guest not ready: {e}")
                g.stop()
                return 124
            p = ns.run(["sh", "-c", a.net_exec], timeout=a.timeout)
            g.stop()
            say(f"--net-exec command exited with {p.returncode}")
            return p.returncode
        g = Guest(ns, cmd, echo=True)  # killed by destroy() on any exit
        g.proc.wait(a.timeout) if a.timeout else g.proc.wait()
        g.thread.join(5)
        out = g.text()
        err = "\n".join(l for l in out.splitlines() if l.startswith("qemu-system"))
        status = decode_qemu_status(g.proc.returncode, out, err, v)
        if a.expect_status is not None:
            return check_status(status, a.expect_status)
        return status
    except subprocess.TimeoutExpired:
        say(f"timed out after {a.timeout} s; guest killed")
        return 124
    finally:
        ns.destroy()
