"""`./unikit bench density`: how many httpreply guests one host holds.

N instances of the httpreply image boot at once, one QEMU each, all on one
bridge in a private network namespace (one tap per guest, guest i at
10.77.0.(10+i)); every one must answer an HTTP GET (curl in the namespace).
Then each QEMU's memory is read from /proc/PID/smaps_rollup: its RSS
(QEMU + the guest RAM it touched) and its PSS, which splits the pages QEMU
processes share (the binary and libraries) among them - the fair per-instance
cost when many run.

Figures, for each N (`density.nN.METRIC`) and, unqualified, for the largest N:

  density.all_answering_ms        first QEMU started -> the last guest answered
  density.pss_per_instance_mib    mean PSS (QEMU + guest): the host memory each
                                  instance costs
  density.rss_per_instance_mib    mean RSS (counts shared pages in every one)
  density.anon_per_instance_mib   mean anonymous memory (never shared)
  density.instances_per_gib       1024 / pss_per_instance_mib

QEMU options that trim the footprint (measured on one guest, TCG, QEMU 7.2:
RSS 47.0 MB with `-m 64M` and the defaults, 44.7 MB with all of these):
`-m 8M` (httpreply needs less; only touched pages count anyway), `-M
microvm,pit=off,pic=off,rtc=off` (unikit's kvm platform times with the TSC
and the local APIC), `-accel tcg,tb-size=4` (a 4 MiB translation cache
instead of QEMU's default). About 19 MB of each RSS is QEMU's binary and
libraries, shared: that is why PSS per instance falls as N grows.

Environment: UNIKIT_BENCH_DENSITY_N (default "10,100": the instance counts,
at most 240), UNIKIT_BENCH_DENSITY_MEM (default 8M).
"""
import os
import subprocess
import time

from .. import netns
from ..build import build, configure, run_checked
from ..errors import UserError
from ..host import require
from ..qemu import choose_accel, probe_image_path
from . import emit

BRIDGE = "ukbr0"
MAX_N = 240
MACHINE = "microvm,pit=off,pic=off,rtc=off"


def guest_ip(i):
    return f"10.77.0.{10 + i}"


def smaps(pid):
    """{Rss, Pss, Anonymous} in KiB for one process."""
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] in ("Rss:", "Pss:", "Anonymous:"):
                out[parts[0][:-1]] = int(parts[1])
    return out


def qemu_cmd(image, i, mem, accel):
    params = f"net.ip={guest_ip(i)}/{netns.PREFIX} net.gw={netns.HOST_IP} -- 80"
    acc = ["-accel", "kvm", "-cpu", "host"] if accel == "kvm" else ["-accel", "tcg,tb-size=4"]
    return (["qemu-system-x86_64", "-M", MACHINE, "-m", mem, "-nodefaults", "-no-user-config",
             "-display", "none", "-serial", "stdio", "-no-reboot", "-kernel", image,
             "-append", params] + acc +
            ["-netdev", f"tap,id=n0,ifname=ukd{i},script=no,downscript=no,vhost=off",
             "-device", f"virtio-net-device,netdev=n0,mac=52:54:00:77:01:{i:02x}"])


def setup_bridge(ns, n):
    ex = ns.prefix()
    cmds = [["ip", "link", "add", BRIDGE, "type", "bridge"],
            ["ip", "addr", "flush", "dev", netns.TAP],
            ["ip", "link", "set", netns.TAP, "master", BRIDGE],
            ["ip", "addr", "add", f"{netns.HOST_IP}/{netns.PREFIX}", "dev", BRIDGE],
            ["ip", "link", "set", BRIDGE, "up"]]
    for i in range(n):
        cmds += [["ip", "tuntap", "add", "mode", "tap", "name", f"ukd{i}"],
                 ["ip", "link", "set", f"ukd{i}", "master", BRIDGE],
                 ["ip", "link", "set", f"ukd{i}", "up"]]
    for c in cmds:
        p = subprocess.run(ex + c, capture_output=True, text=True)
        if p.returncode != 0:
            raise UserError(f"density: {' '.join(c)}: {p.stderr.strip()}")


def run_n(image, n, mem, accel):
    ns = netns.NetNS(f"density{n}")
    try:
        ns.create()
    except netns.NetError as e:
        raise UserError(str(e))
    guests = []
    try:
        setup_bridge(ns, n)
        t0 = time.monotonic()
        for i in range(n):
            guests.append(netns.Guest(ns, qemu_cmd(image, i, mem, accel)))
        pending = set(range(n))
        answered_at = {}
        deadline = t0 + 60 + 5 * n
        while pending:
            if time.monotonic() > deadline:
                raise UserError(f"density: {len(pending)} of {n} guests never answered within "
                                f"{60 + 5 * n} s (e.g. guest {min(pending)} at "
                                f"{guest_ip(min(pending))}; its console: "
                                f"{guests[min(pending)].text()[-300:]!r})")
            dead = [i for i in pending if guests[i].proc.poll() is not None]
            if dead:
                raise UserError(f"density: guest {dead[0]} exited (status "
                                f"{guests[dead[0]].proc.returncode}) before answering; console: "
                                f"{guests[dead[0]].text()[-300:]!r}")
            # ask the pending ones, at most 32 curls at a time
            batch = sorted(pending)[:32]
            procs = [(i, ns.popen(["curl", "-s", "-o", "/dev/null", "-m", "2", "-w",
                                   "%{http_code}", f"http://{guest_ip(i)}/"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))
                     for i in batch]
            for i, p in procs:
                out, _ = p.communicate()
                if out.strip() == b"200":
                    answered_at[i] = time.monotonic()
                    pending.discard(i)
            ns.procs = [g.proc for g in guests]  # forget the finished curls
            if pending:
                time.sleep(0.2)
        all_ms = (max(answered_at.values()) - t0) * 1000
        time.sleep(1)  # let the last requests' pages settle
        mems = [smaps(g.proc.pid) for g in guests]
    finally:
        for g in guests:
            g.stop()
        ns.destroy()
    pss = sum(m["Pss"] for m in mems) / n / 1024
    rss = sum(m["Rss"] for m in mems) / n / 1024
    anon = sum(m["Anonymous"] for m in mems) / n / 1024
    return {"all_answering_ms": (all_ms, "ms"), "pss_per_instance_mib": (pss, "MiB"),
            "rss_per_instance_mib": (rss, "MiB"), "anon_per_instance_mib": (anon, "MiB"),
            "instances_per_gib": (1024 / pss, "instances")}


def bench_density():
    require("build", "run", "net")
    why = netns.requirements_problem()
    if why:
        raise UserError(why)
    try:
        ns_ = [int(x) for x in os.environ.get("UNIKIT_BENCH_DENSITY_N", "10,100").split(",")]
    except ValueError:
        raise UserError("UNIKIT_BENCH_DENSITY_N: instance counts separated by commas, e.g. 10,100")
    if not ns_ or any(n < 1 or n > MAX_N for n in ns_):
        raise UserError(f"UNIKIT_BENCH_DENSITY_N: each count between 1 and {MAX_N} (one /24)")
    mem = os.environ.get("UNIKIT_BENCH_DENSITY_MEM", "8M")
    image = build("httpreply", "kvm")
    bdir = configure("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/pvh-probe"], "ninja", quiet=True)
    accel, why = choose_accel("auto", probe_image_path("gcc"))
    print(f"# accelerator: {accel} ({why}); machine {MACHINE}, -m {mem}; N = "
          f"{', '.join(map(str, ns_))}; {os.cpu_count()} host CPUs", flush=True)
    last = None
    for n in ns_:
        r = run_n(image, n, mem, accel)
        for k, (v, unit) in r.items():
            emit(f"density.n{n}.{k}", v, unit)
        last = r
    for k, (v, unit) in last.items():
        emit(f"density.{k}", v, unit)
    return 0
