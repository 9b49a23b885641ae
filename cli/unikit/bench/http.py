"""`./unikit bench http`: httpreply as a unikit image against the same
source (static musl) in a Debian-kernel Linux VM (unikit.linuxvm).

All guests run under the same QEMU machine, accelerator and tap setup in a
private namespace (unikit.netns); wrk runs inside the namespace. Four
configurations, interleaved round by round (A B C D, A B C D, ...), each
booted fresh per round: the unikit image, the same image built with
-Dstack_protector=false, Linux with its default mitigations, and Linux with
mitigations=off. Every wrk run (warm-up included) must end without socket
errors or non-2xx responses: their sum is http.errors, and a non-zero sum
fails the benchmark.

Figures (`bench: NAME VALUE UNIT`):

  http.unikit.rps, http.unikit_nossp.rps,   wrk requests/s, median over the
  http.linux.rps, http.linux_nomitig.rps    rounds
  http.vs_linux                             median of the per-round ratios
                                            unikit / linux
  http.vs_linux_min, http.vs_linux_max,     their smallest and largest, and
  http.vs_linux_spread_pct                  (max - min) / median
  http.vs_linux_nomitig(_min)               the same against mitigations=off
  http.ssp_cost_pct                         100 * (1 - median per-round
                                            ratio unikit / unikit_nossp)
  http.errors                               socket errors + non-2xx (must be 0)
  http.boot_to_first_answer_ms (both)       QEMU start -> first answered GET
  http.image_bytes, http.nossp.image_bytes  the unikit images
  http.linux.kernel_bytes, http.linux.initramfs_bytes
  http.min_mem_kib                          smallest -m (64 KiB steps) with
                                            which the unikit guest serves the
                                            throughput run's load (the same
                                            wrk -t/-c, 5 s) without an error
                                            and still answers afterwards

The Linux VM's init prints the CPU model QEMU presents and the state of
every /sys/devices/system/cpu/vulnerabilities entry: both are printed as
comment lines.

Environment: UNIKIT_BENCH_MACHINE (default microvm), UNIKIT_BENCH_WRK
(default "-t1 -c200 -d10s"), UNIKIT_BENCH_RUNS (rounds, default 3).
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


def wrk_errors(text):
    """Socket errors plus non-2xx/3xx responses in wrk's output."""
    n = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        n += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        n += int(m.group(1))
    return n


def _wrk(ns, args):
    """(requests/s, errors, wrk's output)."""
    cmd = ["wrk"] + args.split() + ["--timeout", "10s", URL]
    p = ns.run(cmd, capture_output=True, text=True, timeout=600)
    m = re.search(r"Requests/sec:\s*([\d.]+)", p.stdout)
    if p.returncode or not m:
        raise UserError(f"wrk failed (exit {p.returncode}): {(p.stdout + p.stderr).strip()[-500:]}")
    return float(m.group(1)), wrk_errors(p.stdout), p.stdout


def with_duration(wrk_args, secs):
    """wrk's arguments with the duration replaced (load unchanged)."""
    args = [a for a in wrk_args.split() if not a.startswith("-d")]
    return " ".join(args + [f"-d{secs}s"])


def measure_once(ns, cmd, label, wrk_args):
    """Boot, first answer, warm-up, one wrk run: (req/s, boot ms, errors,
    console text)."""
    g = netns.Guest(ns, cmd)
    try:
        t = _first_answer(ns, g, 300)
        if t is None:
            raise UserError(f"{label}: no answer within 300 s: {g.text()[-1500:]}")
        errors = 0
        _, e, out = _wrk(ns, with_duration(wrk_args, 3))  # warm-up: TCG translates hot paths
        if e:
            print(f"# {label}: warm-up: {e} errors: {out.strip()[-300:]}", flush=True)
        errors += e
        rps, e, out = _wrk(ns, wrk_args)
        if e:
            print(f"# {label}: {e} errors: {out.strip()[-300:]}", flush=True)
        errors += e
        return rps, t * 1000, errors, g.text()
    finally:
        g.stop()


def serves_with(ns, image, machine, accel, mem_kib, wrk_args):
    """The guest answers, survives the throughput run's load (its -t/-c, 5 s)
    without an error, and answers again afterwards."""
    cmd = qemu_command(image, machine, mem_kib << 10, accel,
                       " ".join(netns.guest_params()) + " -- 80", netns.qemu_net_args(machine))
    g = netns.Guest(ns, cmd)
    try:
        if _first_answer(ns, g, 60) is None:
            return False
        try:
            _, errors, _ = _wrk(ns, with_duration(wrk_args, 5))
        except UserError:
            return False
        if errors or g.proc.poll() is not None:
            return False
        return _first_answer(ns, g, 30) is not None
    finally:
        g.stop()


def min_mem_kib(ns, image, machine, accel, wrk_args):
    lo, hi = 64, 64 * 1024  # KiB: lo fails (assumed), hi serves
    if not serves_with(ns, image, machine, accel, hi, wrk_args):
        raise UserError("httpreply does not serve the load without errors even with 64 MiB")
    while hi - lo > 64:
        mid = (lo + hi) // 2 // 64 * 64
        if serves_with(ns, image, machine, accel, mid, wrk_args):
            hi = mid
        else:
            lo = mid
    return hi


def ratios(a, b):
    return [x / y for x, y in zip(a, b) if y > 0]


def bench_http():
    require("build", "run", "linuxbin", *(["net"] if "net" in NEEDED else []))
    why = netns.requirements_problem()
    if why:
        raise UserError(why)
    machine = os.environ.get("UNIKIT_BENCH_MACHINE", "microvm")
    wrk_args = os.environ.get("UNIKIT_BENCH_WRK", "-t1 -c200 -d10s")
    try:
        runs = int(os.environ.get("UNIKIT_BENCH_RUNS", "3"))
    except ValueError:
        raise UserError("UNIKIT_BENCH_RUNS must be a number of rounds")
    if runs < 1:
        raise UserError("UNIKIT_BENCH_RUNS must be at least 1")
    image = build("httpreply", "kvm")
    nossp = build("httpreply", "kvm", variant="-nossp", options=["stack_protector=false"])
    bdir = configure("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/pvh-probe"], "ninja", quiet=True)
    accel, why = choose_accel("auto", probe_image_path("gcc"))
    print(f"# accelerator: {accel} ({why}); machine: {machine}; wrk {wrk_args}; "
          f"{runs} interleaved rounds", flush=True)
    emit("http.accelerator_is_kvm", 1 if accel == "kvm" else 0, "bool")
    try:
        kernel, initrd, ver = linuxvm.prepare(os.path.join(BUILD, "linuxvm"), cpio_newc)
    except linuxvm.VMError as e:
        raise UserError(str(e))
    print(f"# linux: Debian kernel {ver}, {linuxvm.MEM >> 20} MiB", flush=True)
    net = netns.qemu_net_args(machine)
    params = " ".join(netns.guest_params()) + " -- 80"
    configs = [
        ("unikit", qemu_command(image, machine, 64 << 20, accel, params, net)),
        ("unikit_nossp", qemu_command(nossp, machine, 64 << 20, accel, params, net)),
        ("linux", linuxvm.qemu_command(kernel, initrd, machine, accel, net)),
        ("linux_nomitig", linuxvm.qemu_command(kernel, initrd, machine, accel, net,
                                               extra="mitigations=off")),
    ]
    rps = {n: [] for n, _ in configs}
    boot = {n: [] for n, _ in configs}
    errors = 0
    reported = set()
    with netns.NetNS("bench") as ns:
        for r in range(runs):
            for name, cmd in configs:
                v, t, e, text = measure_once(ns, cmd, name, wrk_args)
                rps[name].append(v)
                boot[name].append(t)
                errors += e
                if name.startswith("linux") and name not in reported:
                    cpu, vulns = linuxvm.cpu_report(text)
                    print(f"# {name} VM: cpu: {cpu or 'unknown'}; vulnerabilities: "
                          + ("; ".join(f"{k}: {x}" for k, x in sorted(vulns.items())) or "none reported"),
                          flush=True)
                    reported.add(name)
            print(f"# round {r + 1}: " + ", ".join(f"{n} {rps[n][-1]:.0f}" for n, _ in configs)
                  + " req/s", flush=True)
        emit("http.errors", errors, "count")
        for n, _ in configs:
            emit(f"http.{n}.rps", statistics.median(rps[n]), "req/s")
        for name, against in (("vs_linux", "linux"), ("vs_linux_nomitig", "linux_nomitig")):
            q = ratios(rps["unikit"], rps[against])
            med = statistics.median(q)
            emit(f"http.{name}", med, "x")
            emit(f"http.{name}_min", min(q), "x")
            if name == "vs_linux":
                emit("http.vs_linux_max", max(q), "x")
                emit("http.vs_linux_spread_pct", 100 * (max(q) - min(q)) / med, "%")
        q = ratios(rps["unikit"], rps["unikit_nossp"])
        emit("http.ssp_cost_pct", 100 * (1 - statistics.median(q)), "%")
        emit("http.boot_to_first_answer_ms", statistics.median(boot["unikit"]), "ms")
        emit("http.linux.boot_to_first_answer_ms", statistics.median(boot["linux"]), "ms")
        emit("http.image_bytes", os.path.getsize(image), "bytes")
        emit("http.nossp.image_bytes", os.path.getsize(nossp), "bytes")
        emit("http.linux.kernel_bytes", os.path.getsize(kernel), "bytes")
        emit("http.linux.initramfs_bytes", os.path.getsize(initrd), "bytes")
        emit("http.min_mem_kib", min_mem_kib(ns, image, machine, accel, wrk_args), "KiB")
    if errors:
        raise UserError(f"wrk saw {errors} socket errors or non-2xx responses (see the lines above)")
    return 0
