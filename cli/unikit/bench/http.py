"""`./unikit bench http`: httpreply as a unikit image against the same
source (static musl) in a Debian-kernel Linux VM (unikit.linuxvm).

Both guests run under the same QEMU machine, accelerator and tap setup in a
private namespace (unikit.netns); wrk runs inside the namespace.
Figures (`bench: NAME VALUE UNIT`):

  http.unikit.rps / http.linux.rps   wrk requests/s, median of RUNS runs of
                                     `wrk -t1 -c8 -d10s` after a 3 s warm-up
  http.vs_linux                      unikit / linux
  http.boot_to_first_answer_ms       QEMU start -> first answered GET (both)
  http.image_bytes                   the unikit image
  http.linux.kernel_bytes, http.linux.initramfs_bytes
  http.min_mem_kib                   smallest -m (64 KiB steps) with which
                                     the unikit guest still answers a GET

Environment: UNIKIT_BENCH_MACHINE (default microvm), UNIKIT_BENCH_WRK
(default "-t1 -c8 -d10s"), UNIKIT_BENCH_RUNS (default 3).
"""
import os
import re
import statistics
import subprocess
import sys
import time

from .. import BUILD, linuxvm, netns
from ..build import build, configure, run_checked
from ..errors import UserError
from ..host import NEEDED, require
from ..initrd import cpio_newc
from ..qemu import choose_accel, probe_image_path, qemu_command
from . import emit

PROBE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "httpprobe.py")

URL = f"http://{netns.GUEST_IP}/"


def _first_answer(ns, g, timeout):
    """Seconds from QEMU start to the first answered GET, or None when the
    guest exits or nothing answers within `timeout`."""
    p = ns.popen([sys.executable, PROBE, "--host", netns.GUEST_IP, "--port", "80",
                  "--timeout", str(timeout)],
                 stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout + 5
    try:
        while p.poll() is None and time.monotonic() < deadline:
            if g.proc.poll() is not None:
                return None  # the guest died (e.g. out of memory)
            time.sleep(0.05)
        if p.poll() is None:
            return None
        m = re.search(r"first-answer ([\d.]+)", p.stdout.read())
        return float(m.group(1)) - g.t0 if m else None
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()


def _wrk(ns, args):
    cmd = ["wrk"] + args.split() + ["--timeout", "10s", URL]
    p = ns.run(cmd, capture_output=True, text=True, timeout=600)
    m = re.search(r"Requests/sec:\s*([\d.]+)", p.stdout)
    if p.returncode or not m:
        raise RuntimeError(f"wrk failed:\n{p.stdout}{p.stderr}")
    errs = re.search(r"Socket errors: .*|Non-2xx or 3xx responses: \d+", p.stdout)
    return float(m.group(1)), errs.group(0) if errs else None


def measure(ns, cmd, label, runs, wrk_args):
    """Boot, first answer, warm-up, `runs` wrk runs; (rps median, boot ms)."""
    g = netns.Guest(ns, cmd)
    try:
        t = _first_answer(ns, g, 300)
        if t is None:
            raise UserError(f"{label}: no answer within 300 s:\n{g.text()[-3000:]}")
        _wrk(ns, "-t1 -c8 -d3s")  # warm-up (TCG translates the hot paths)
        rps = []
        for _ in range(runs):
            r, errs = _wrk(ns, wrk_args)
            if errs:
                print(f"# {label}: wrk reported {errs}", flush=True)
            rps.append(r)
        print(f"# {label}: runs {', '.join(f'{r:.0f}' for r in rps)} req/s", flush=True)
        return statistics.median(rps), t * 1000
    finally:
        g.stop()


def serves_with(ns, image, machine, accel, mem_kib):
    cmd = qemu_command(image, machine, mem_kib << 10, accel,
                         " ".join(netns.guest_params()) + " -- 80", netns.qemu_net_args(machine))
    g = netns.Guest(ns, cmd)
    try:
        return _first_answer(ns, g, 60) is not None
    finally:
        g.stop()


def min_mem_kib(ns, image, machine, accel):
    lo, hi = 64, 64 * 1024  # KiB: lo fails (assumed), hi serves
    if not serves_with(ns, image, machine, accel, hi):
        raise UserError("httpreply does not answer even with 64 MiB")
    while hi - lo > 64:
        mid = (lo + hi) // 2 // 64 * 64
        if serves_with(ns, image, machine, accel, mid):
            hi = mid
        else:
            lo = mid
    return hi


def bench_http():
    require("build", "run", "linuxbin", *(["net"] if "net" in NEEDED else []))
    why = netns.requirements_problem()
    if why:
        raise UserError(f"bench http: {why}")
    machine = os.environ.get("UNIKIT_BENCH_MACHINE", "microvm")
    wrk_args = os.environ.get("UNIKIT_BENCH_WRK", "-t1 -c8 -d10s")
    runs = int(os.environ.get("UNIKIT_BENCH_RUNS", "3"))
    image, missing = None, None
    try:
        image = build("httpreply", "kvm")
    except UserError as e:
        missing = str(e)
    bdir = configure("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/pvh-probe"], "ninja", quiet=True)
    accel, why = choose_accel("auto", probe_image_path("gcc"))
    print(f"# accelerator: {accel} ({why}); machine: {machine}; wrk {wrk_args}, "
          f"median of {runs}", flush=True)
    emit("http.accelerator_is_kvm", 1 if accel == "kvm" else 0, "bool")
    try:
        kernel, initrd, ver = linuxvm.prepare(os.path.join(BUILD, "linuxvm"), cpio_newc)
    except linuxvm.VMError as e:
        raise UserError(str(e))
    print(f"# linux: Debian kernel {ver}, {linuxvm.MEM >> 20} MiB", flush=True)
    net = netns.qemu_net_args(machine)
    with netns.NetNS("bench") as ns:
        uk = None
        if image:
            emit("http.image_bytes", os.path.getsize(image), "bytes")
            cmd = qemu_command(image, machine, 64 << 20, accel,
                                 " ".join(netns.guest_params()) + " -- 80", net)
            uk, uk_boot = measure(ns, cmd, "unikit", runs, wrk_args)
            emit("http.unikit.rps", uk, "req/s")
            emit("http.boot_to_first_answer_ms", uk_boot, "ms")
        else:
            print(f"# no unikit httpreply image: {missing}", flush=True)
        cmd = linuxvm.qemu_command(kernel, initrd, machine, accel, net)
        lx, lx_boot = measure(ns, cmd, "linux", runs, wrk_args)
        emit("http.linux.rps", lx, "req/s")
        emit("http.linux.boot_to_first_answer_ms", lx_boot, "ms")
        emit("http.linux.kernel_bytes", os.path.getsize(kernel), "bytes")
        emit("http.linux.initramfs_bytes", os.path.getsize(initrd), "bytes")
        if uk is None:
            raise UserError("bench http: the unikit side is missing (see above)")
        emit("http.vs_linux", uk / lx, "x")
        emit("http.min_mem_kib", min_mem_kib(ns, image, machine, accel), "KiB")
    return 0
