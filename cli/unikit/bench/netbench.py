"""What the network benchmarks (`bench http`, `bench nginx`, `bench redis`)
share: the settings, a server's first answer, wrk, the interleaved rounds,
the per-round ratios and the bisection of the smallest guest memory.

A server is a unikit image or the Linux VM (unikit.linuxvm) on the tap of a
private namespace (unikit.netns); the load generators run inside the
namespace. Every configuration is booted fresh in every round and the
rounds interleave the configurations (A B, A B, ...), so that drift in the
host's load hits all of them alike and every ratio is taken within a round.
"""
import os
import re
import statistics
import subprocess
import sys
import time

from .. import netns
from ..errors import UserError
from ..host import NEEDED, require
from ..qemu import choose_accel, probe_image_path
from . import emit

PROBE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "httpprobe.py")


def settings(default_wrk="-t1 -c200 -d10s"):
    """(machine, wrk arguments, rounds) from UNIKIT_BENCH_MACHINE (default
    microvm), UNIKIT_BENCH_WRK and UNIKIT_BENCH_RUNS (default 3), after
    checking that this host can run network benchmarks at all."""
    require("build", "run", "linuxbin", *(["net"] if "net" in NEEDED else []))
    why = netns.requirements_problem()
    if why:
        raise UserError(why)
    machine = os.environ.get("UNIKIT_BENCH_MACHINE", "microvm")
    wrk_args = os.environ.get("UNIKIT_BENCH_WRK", default_wrk)
    try:
        runs = int(os.environ.get("UNIKIT_BENCH_RUNS", "3"))
    except ValueError:
        raise UserError("UNIKIT_BENCH_RUNS must be a number of rounds")
    if runs < 1:
        raise UserError("UNIKIT_BENCH_RUNS must be at least 1")
    return machine, wrk_args, runs


def accelerator(prefix):
    """The accelerator both sides use (KVM when it works here, else TCG),
    printed and emitted as PREFIX.accelerator_is_kvm."""
    accel, why = choose_accel("auto", probe_image_path("gcc"))
    print(f"# accelerator: {accel} ({why})", flush=True)
    emit(f"{prefix}.accelerator_is_kvm", 1 if accel == "kvm" else 0, "bool")
    return accel


def first_answer(ns, g, timeout, port=80, redis=False):
    """Seconds from QEMU start to the first answered GET / (redis: PING),
    or None when the guest exits or nothing answers within `timeout`."""
    p = ns.popen([sys.executable, PROBE, "--host", netns.GUEST_IP, "--port", str(port),
                  "--timeout", str(timeout)] + (["--redis"] if redis else []),
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


def boot(ns, cmd, label, timeout=300, port=80, redis=False):
    """(guest, seconds to its first answer); the caller stops the guest."""
    g = netns.Guest(ns, cmd)
    t = first_answer(ns, g, timeout, port, redis)
    if t is None:
        text = g.text()
        g.stop()
        raise UserError(f"{label}: no answer within {timeout} s: {text[-1500:]}")
    return g, t


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


def wrk(ns, args, url=f"http://{netns.GUEST_IP}/"):
    """(requests/s, errors, wrk's output)."""
    cmd = ["wrk"] + args.split() + ["--timeout", "10s", url]
    p = ns.run(cmd, capture_output=True, text=True, timeout=600)
    m = re.search(r"Requests/sec:\s*([\d.]+)", p.stdout)
    if p.returncode or not m:
        raise UserError(f"wrk failed (exit {p.returncode}): {(p.stdout + p.stderr).strip()[-500:]}")
    return float(m.group(1)), wrk_errors(p.stdout), p.stdout


def with_duration(wrk_args, secs):
    """wrk's arguments with the duration replaced (load unchanged)."""
    args = [a for a in wrk_args.split() if not a.startswith("-d")]
    return " ".join(args + [f"-d{secs}s"])


def wrk_measured(ns, label, wrk_args, url, warmup=3):
    """A warm-up run (TCG translates the hot paths first) and the measured
    one: (requests/s, errors of both). Errors are printed."""
    errors = 0
    for secs, what in ((warmup, "warm-up"), (None, "run")):
        args = with_duration(wrk_args, secs) if secs else wrk_args
        rps, e, out = wrk(ns, args, url)
        if e:
            print(f"# {label}: {what} of {url}: {e} errors: {out.strip()[-300:]}", flush=True)
        errors += e
    return rps, errors


def interleaved(configs, runs, measure, show):
    """Run measure(name, cmd) -> (figures, errors) for every (name, cmd) of
    `configs` in turn, `runs` rounds; returns ({name: [figures per round]},
    {name: errors}). After each round `show(round, results)` gives the text
    of its summary line (printed as a comment)."""
    res = {n: [] for n, _ in configs}
    errors = {n: 0 for n, _ in configs}
    for r in range(runs):
        for name, cmd in configs:
            figures, e = measure(name, cmd)
            res[name].append(figures)
            errors[name] += e
        print(f"# round {r + 1}: {show(r, res)}", flush=True)
    return res, errors


def ratios(a, b):
    """The per-round ratios a/b (rounds where either is missing or b is 0
    are left out)."""
    return [x / y for x, y in zip(a, b) if x is not None and y]


def emit_ratio(name, a, b, full=True):
    """NAME (median of the per-round ratios a/b), NAME_min and, with full,
    NAME_max and NAME_spread_pct ((max - min) / median); returns the
    median (None when no round has both)."""
    q = ratios(a, b)
    if not q:
        print(f"# {name}: no round with both figures", flush=True)
        return None
    med = statistics.median(q)
    emit(name, med, "x")
    emit(f"{name}_min", min(q), "x")
    if full:
        emit(f"{name}_max", max(q), "x")
        emit(f"{name}_spread_pct", 100 * (max(q) - min(q)) / med, "%")
    return med


def median(values):
    v = [x for x in values if x is not None]
    return statistics.median(v) if v else None


def run_client(ns, cmd, g, timeout):
    """(exit status, stdout + stderr) of a load generator run inside the
    namespace; it is stopped (status None) when guest g exits - a client
    like redis-benchmark would otherwise wait out TCP's retransmissions -
    or after `timeout` seconds."""
    p = ns.popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout
    try:
        while p.poll() is None:
            if g.proc.poll() is not None or time.monotonic() > deadline:
                p.kill()
                return None, p.communicate()[0] + (
                    f"\n(stopped: the guest exited, status {g.proc.returncode})"
                    if g.proc.poll() is not None else f"\n(stopped: no end within {timeout} s)")
            time.sleep(0.1)
        return p.returncode, p.communicate()[0]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def serves_with(ns, cmd, load, port=80, redis=False):
    """The guest of `cmd` answers, survives load(ns, guest) (which returns
    its error count, or raises UserError) without an error, and answers
    again afterwards."""
    g = netns.Guest(ns, cmd)
    try:
        if first_answer(ns, g, 60, port, redis) is None:
            return False
        try:
            errors = load(ns, g)
        except UserError:
            return False
        if errors or g.proc.poll() is not None:
            return False
        return first_answer(ns, g, 30, port, redis) is not None
    finally:
        g.stop()


def min_mem_kib(serves, what, lo=64, hi=64 * 1024, step=64):
    """The smallest guest memory in KiB (a multiple of `step`) for which
    serves(kib) holds, by bisection between lo (assumed to fail) and hi
    (must hold)."""
    if not serves(hi):
        raise UserError(f"{what} does not serve the load without errors even with {hi} KiB")
    while hi - lo > step:
        mid = (lo + hi) // 2 // step * step
        if serves(mid):
            hi = mid
        else:
            lo = mid
    return hi
