#!/usr/bin/env python3
"""What the network benchmarks share, without a VM: wrk's error count, the
per-round ratios and their figures, the memory bisection, the Linux VM's
server command line (ukrun=), a dynamically linked program copied with its
libraries, and redis-benchmark's fixed value.
Usage: netbench_check.py UNIKIT_ROOT"""
import contextlib
import io
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.abspath(sys.argv[1]), "cli"))
from unikit import linuxvm  # noqa: E402
from unikit.bench import netbench, redis  # noqa: E402
from unikit.errors import UserError  # noqa: E402

fails = 0


def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what)
    fails += 0 if ok else 1


WRK = """Running 10s test @ http://10.77.0.2/
  1 threads and 200 connections
  Socket errors: connect 0, read 3, write 1, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   1234.50
"""
check(netbench.wrk_errors(WRK) == 10, "wrk: socket errors and non-2xx responses summed")
check(netbench.wrk_errors("Requests/sec: 1.0\n") == 0, "wrk: a clean run has no errors")
check(netbench.with_duration("-t1 -c200 -d10s", 3) == "-t1 -c200 -d3s", "wrk duration replaced")

check(netbench.ratios([4, None, 9], [2, 3, 0]) == [2.0], "ratios skip missing and zero rounds")
out = io.StringIO()
with contextlib.redirect_stdout(out):
    med = netbench.emit_ratio("x.vs_linux", [2, 6, 3], [1, 2, 1])
lines = out.getvalue().splitlines()
check(med == 3.0 and "bench: x.vs_linux 3.000 x" in lines and "bench: x.vs_linux_min 2.000 x" in lines
      and "bench: x.vs_linux_max 3.000 x" in lines
      and "bench: x.vs_linux_spread_pct 33.333 %" in lines, f"ratio figures: {lines}")
with contextlib.redirect_stdout(io.StringIO()):
    check(netbench.emit_ratio("y", [None], [1]) is None, "no ratio without a round")

tried = []


def serves(kib):
    tried.append(kib)
    return kib >= 5000


check(netbench.min_mem_kib(serves, "t") == 5056, f"bisection: 5056 KiB in {len(tried)} boots")
check(len(tried) <= 12, "bisection is logarithmic")
try:
    netbench.min_mem_kib(lambda kib: False, "the thing")
    check(False, "a server that never serves is reported")
except UserError as e:
    check("the thing does not serve the load" in str(e), f"never serves: {e}")

cmd = linuxvm.qemu_command("k", "i", "microvm", "kvm", [],
                           run_args=["/usr/sbin/nginx", "-c", "/etc/nginx/nginx.conf"])
append = cmd[cmd.index("-append") + 1]
check("ukrun=/usr/sbin/nginx" in append and append.endswith(" -- -c /etc/nginx/nginx.conf")
      and "ukip=" in append and "ukexec" not in append, f"ukrun= command line: {append}")

with tempfile.TemporaryDirectory() as tmp:
    libs = linuxvm.add_program(tmp, "/bin/true", "usr/bin/t")
    names = [os.path.basename(l) for l in libs]
    check(os.path.isfile(os.path.join(tmp, "usr", "bin", "t")), "the program is copied")
    check(any(n.startswith("libc.so") for n in names) and any(n.startswith("ld-linux") for n in names),
          f"libc and the loader come along: {names}")
    check(all(os.path.isfile(os.path.join(tmp, l.lstrip("/"))) and
              not os.path.islink(os.path.join(tmp, l.lstrip("/"))) for l in libs),
          "libraries are files at their paths")
    static = os.path.join(tmp, "static")
    with open(static, "wb") as f:
        f.write(b"#!/bin/sh\n")
    try:
        linuxvm.add_program(tmp, static, "x")
        check(False, "a file ldd cannot read is refused")
    except linuxvm.VMError as e:
        check("ldd" in str(e), f"refused: {str(e)[:80]}")

check(redis.benchmark_value() == "VXK", "redis-benchmark's 3-byte value")
print(f"{fails} failed" if fails else "all passed")
sys.exit(1 if fails else 0)
