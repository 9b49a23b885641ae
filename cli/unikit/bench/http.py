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
import statistics

from .. import BUILD, linuxvm, netns
from ..build import build, configure, run_checked
from ..errors import UserError
from ..initrd import cpio_newc
from ..qemu import qemu_command
from . import emit, netbench


def measure_once(ns, cmd, label, wrk_args):
    """Boot, first answer, warm-up, one wrk run: (req/s, boot ms, errors,
    console text)."""
    g, t = netbench.boot(ns, cmd, label)
    try:
        rps, errors = netbench.wrk_measured(ns, label, wrk_args, f"http://{netns.GUEST_IP}/")
        return rps, t * 1000, errors, g.text()
    finally:
        g.stop()


def bench_http():
    machine, wrk_args, runs = netbench.settings()
    image = build("httpreply", "kvm")
    nossp = build("httpreply", "kvm", variant="-nossp", options=["stack_protector=false"])
    bdir = configure("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/pvh-probe"], "ninja", quiet=True)
    accel = netbench.accelerator("http")
    print(f"# machine: {machine}; wrk {wrk_args}; {runs} interleaved rounds", flush=True)
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
    reported = set()
    with netns.NetNS("bench") as ns:
        def measure(name, cmd):
            v, t, e, text = measure_once(ns, cmd, name, wrk_args)
            if name.startswith("linux") and name not in reported:
                cpu, vulns = linuxvm.cpu_report(text)
                print(f"# {name} VM: cpu: {cpu or 'unknown'}; vulnerabilities: "
                      + ("; ".join(f"{k}: {x}" for k, x in sorted(vulns.items())) or "none reported"),
                      flush=True)
                reported.add(name)
            return (v, t), e

        res, errs = netbench.interleaved(
            configs, runs, measure,
            lambda r, res: ", ".join(f"{n} {res[n][r][0]:.0f}" for n, _ in configs) + " req/s")
        errors = sum(errs.values())
        rps = {n: [v for v, _ in res[n]] for n in res}
        boot = {n: [t for _, t in res[n]] for n in res}
        emit("http.errors", errors, "count")
        for n, _ in configs:
            emit(f"http.{n}.rps", statistics.median(rps[n]), "req/s")
        netbench.emit_ratio("http.vs_linux", rps["unikit"], rps["linux"])
        netbench.emit_ratio("http.vs_linux_nomitig", rps["unikit"], rps["linux_nomitig"],
                            full=False)
        q = netbench.ratios(rps["unikit"], rps["unikit_nossp"])
        emit("http.ssp_cost_pct", 100 * (1 - statistics.median(q)), "%")
        emit("http.boot_to_first_answer_ms", statistics.median(boot["unikit"]), "ms")
        emit("http.linux.boot_to_first_answer_ms", statistics.median(boot["linux"]), "ms")
        emit("http.image_bytes", os.path.getsize(image), "bytes")
        emit("http.nossp.image_bytes", os.path.getsize(nossp), "bytes")
        emit("http.linux.kernel_bytes", os.path.getsize(kernel), "bytes")
        emit("http.linux.initramfs_bytes", os.path.getsize(initrd), "bytes")
        load = lambda ns, g: netbench.wrk(ns, netbench.with_duration(wrk_args, 5))[1]
        serves = lambda kib: netbench.serves_with(
            ns, qemu_command(image, machine, kib << 10, accel, params, net), load)
        emit("http.min_mem_kib", netbench.min_mem_kib(serves, "httpreply"), "KiB")
    if errors:
        raise UserError(f"wrk saw {errors} socket errors or non-2xx responses (see the lines above)")
    return 0
