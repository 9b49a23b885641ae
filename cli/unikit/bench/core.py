"""Benchmarks of the core: boot, allocators, scheduler, system calls."""
import os
import re
import statistics
import subprocess
import sys
import time

from ..build import build, builddir, configure, run_checked
from ..errors import UserError
from ..host import require
from ..qemu import choose_accel, decode_qemu_status, probe_image_path, qemu_command, run_qemu
from . import emit



def qemu_wall(image, accel, mem, runs, append="", v=None):
    """Median wall time (s) from QEMU start to exit, and the last output.
    `v`: the Vmm for an image mkimage did not make (a baseline)."""
    from ..qemu import image_vmm
    v = v or image_vmm(image)
    times, out = [], ""
    for _ in range(runs):
        cmd = qemu_command(image, None, mem, accel, append, v=v)
        t0 = time.perf_counter()
        rc, out, err = run_qemu(cmd, 120, echo=False)
        times.append(time.perf_counter() - t0)
        status = decode_qemu_status(rc, out, err, v)
        if status != 0:
            raise UserError(f"{os.path.basename(image)} exited with {status} during the benchmark:\n{out}")
    return statistics.median(times), out


def boots_with(image, accel, mem_bytes):
    cmd = qemu_command(image, "microvm", mem_bytes, accel, "")
    try:
        rc, out, err = run_qemu(cmd, 60, echo=False)
    except TimeoutError:
        return False
    if any(l.startswith("qemu-system") for l in err.splitlines()):
        return False
    return rc == 1 and "Hello, world!" in out


def min_mem_kib(image, accel):
    """Smallest -m (KiB) that still boots the helloworld `image`: bisection
    on 64 KiB steps between 64 KiB (assumed to fail) and 64 MiB."""
    lo, hi = 64, 64 * 1024  # KiB: lo fails (assumed), hi boots
    if not boots_with(image, accel, hi << 10):
        raise UserError(f"{os.path.basename(image)} does not boot even with 64 MiB")
    while hi - lo > 64:
        mid = (lo + hi) // 2 // 64 * 64
        if boots_with(image, accel, mid << 10):
            hi = mid
        else:
            lo = mid
    return hi


def traced_instructions(image, machine="microvm"):
    """Guest instructions from the first instruction to main(): counter
    stamps under -icount shift=0, from a build with boot tracing on. x86_64's
    TSC ticks once per instruction there; a counter that does not (arm64's
    generic timer, 62.5 MHz in QEMU) prints its rate, and as -icount shift=0
    makes every instruction one nanosecond of virtual time, instructions =
    ticks * 1e9 / rate (to within one tick)."""
    cmd = qemu_command(image, machine, 64 << 20, "tcg", "") + ["-icount", "shift=0"]
    rc, out, err = run_qemu(cmd, 120, echo=False)
    m = re.search(r"trace: tsc_entry=(\d+) tsc_main=(\d+) delta=(\d+)", out)
    if not m:
        raise UserError(f"no boot trace line in {os.path.basename(image)}'s output:\n" + out[-2000:])
    hz = re.search(r"trace: cycles_hz=(\d+)", out)
    if hz is None:
        return int(m.group(3))
    if not int(hz.group(1)):
        raise UserError(f"{os.path.basename(image)} reports a counter rate of 0 Hz")
    return round(int(m.group(3)) * 1e9 / int(hz.group(1)))


def arm64_empty_image(path, status=0):
    """The baseline of arm64's wall ratio: a Linux arm64 Image (the 64-byte
    header QEMU's -kernel checks) whose first instructions exit at once:
    semihosting SYS_EXIT with `status`, the exit unikit's images take (so it
    needs QEMU's -semihosting, as they do). Written by the bench (no cross
    assembler needed); `objdump -b binary -m aarch64 -D` shows the code."""
    import struct
    code = [
        0x52800300,  # movz w0, #0x18        SYS_EXIT
        0x10000061,  # adr  x1, block        (+12: offset 80)
        0xd45e0000,  # hlt  #0xf000          the semihosting call
        0x14000000,  # b    .
    ]
    block = struct.pack("<QQ", 0x20026, status)  # ADP_Stopped_ApplicationExit, status
    body = struct.pack("<4I", *code) + block
    size = 64 + len(body)
    header = struct.pack("<IIQQQQQQII",
                         0x14000010,  # code0: b +64 (past the header)
                         0,           # code1
                         0x200000,    # text_offset, as unikit's images
                         size,        # image_size
                         0x2,         # flags: little-endian, 4 KiB pages
                         0, 0, 0,     # reserved
                         0x644d5241,  # magic "ARM\x64"
                         0)           # no PE header
    data = header + body
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    return path


def wall_ratio(prefix, baseline, image, accel, v=None, runs=11):
    """Interleaved QEMU start -> exit wall times of `baseline` and `image`:
    median of each, their ratio, and the spread of the per-pair ratios."""
    te, th = [], []
    for _ in range(runs):
        te.append(qemu_wall(baseline, accel, 64 << 20, 1, v=v)[0])
        th.append(qemu_wall(image, accel, 64 << 20, 1)[0])
    me, mh = statistics.median(te), statistics.median(th)
    emit(f"{prefix}.wall_ms_empty", me * 1000, "ms")
    emit(f"{prefix}.wall_ms_helloworld", mh * 1000, "ms")
    pairs = sorted(h / e for e, h in zip(te, th))
    print(f"# {prefix}: {runs} interleaved pairs; helloworld/empty per pair: min {pairs[0]:.3f}, "
          f"median {statistics.median(pairs):.3f}, max {pairs[-1]:.3f}; empty {min(te) * 1000:.1f}"
          f"-{max(te) * 1000:.1f} ms, helloworld {min(th) * 1000:.1f}-{max(th) * 1000:.1f} ms",
          flush=True)
    emit(f"{prefix}.wall_ratio", mh / me, "x")
    emit(f"{prefix}.wall_ratio_spread", pairs[-1] - pairs[0], "x")


def bench_boot(arch="x86_64"):
    if arch == "arm64":
        return bench_boot_arm64()
    if arch != "x86_64":
        raise UserError(f"bench boot: no boot benchmark for {arch} (x86_64, arm64)")
    return bench_boot_x86_64()


def bench_boot_arm64():
    """arm64's boot figures (issue 18): helloworld's image sizes (nolibc,
    musl), the wall ratio against an Image that exits at once, and the
    instructions to main() on qemu-system-aarch64 -M virt (always TCG on
    this x86_64 host)."""
    from ..qemu import VMMS
    require("build", "run", "build-arm64", "run-arm64")
    arch = "arm64"
    nolibc = ["libc=nolibc"]
    hello = build("helloworld", "kvm", arch, variant="-nolibc", options=nolibc)
    emit("boot.arm64.image_bytes", os.path.getsize(hello), "bytes")
    hello_musl = build("helloworld", "kvm", arch)
    emit("boot.arm64.musl.image_bytes", os.path.getsize(hello_musl), "bytes")

    v = VMMS["qemu-system-aarch64"]
    empty = arm64_empty_image(os.path.join(builddir("gcc", arch), "bench", "arm64-empty.Image"))
    accel, why = choose_accel("auto", None, v)
    print(f"# accelerator: {accel} ({why})", flush=True)
    emit("boot.arm64.accelerator_is_kvm", 1 if accel == "kvm" else 0, "bool")
    # 21 pairs: an arm64 boot under TCG takes a tenth of a second
    wall_ratio("boot.arm64", empty, hello, accel, v=v, runs=21)

    traced = build("helloworld", "kvm", arch, variant="-trace",
                   options=["boot_trace=true"] + nolibc)
    emit("boot.arm64.instructions_to_main", traced_instructions(traced, machine=None),
         "instructions")
    return 0


def bench_boot_x86_64():
    """The smallest image (helloworld on nolibc: what the boot goals are
    about), and helloworld on the default libc, musl; each also built with
    -Dstack_protector=false, for what the protector costs."""
    require("build", "run", "clang")
    nolibc = ["libc=nolibc"]
    nossp = ["stack_protector=false"]
    hello = build("helloworld", "kvm", variant="-nolibc", options=nolibc)
    emit("boot.image_bytes", os.path.getsize(hello), "bytes")
    hello_nossp = build("helloworld", "kvm", variant="-nolibc-nossp", options=nolibc + nossp)
    emit("boot.nossp.image_bytes", os.path.getsize(hello_nossp), "bytes")
    emit("boot.ssp_cost_bytes", os.path.getsize(hello) - os.path.getsize(hello_nossp), "bytes")
    try:
        hello_clang = build("helloworld", "kvm", toolchain="clang", variant="-nolibc",
                              options=nolibc)
        emit("boot.image_bytes_clang", os.path.getsize(hello_clang), "bytes")
    except UserError as e:
        print(f"# clang image not built: {e}", file=sys.stderr)
    hello_musl = build("helloworld", "kvm")
    emit("boot.musl.image_bytes", os.path.getsize(hello_musl), "bytes")
    musl_nossp = build("helloworld", "kvm", variant="-nossp", options=nossp)
    emit("boot.musl.nossp.image_bytes", os.path.getsize(musl_nossp), "bytes")
    emit("boot.musl.ssp_cost_bytes", os.path.getsize(hello_musl) - os.path.getsize(musl_nossp), "bytes")

    bdir = builddir("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/pvh-empty", "tests/bench/pvh-probe"], "ninja", quiet=True)
    empty = os.path.join(bdir, "tests", "bench", "pvh-empty")
    accel, why = choose_accel("auto", probe_image_path("gcc"))
    print(f"# accelerator: {accel} ({why})", flush=True)
    emit("boot.accelerator_is_kvm", 1 if accel == "kvm" else 0, "bool")

    # Wall time, QEMU start -> exit, interleaved runs so drift hits both.
    wall_ratio("boot", empty, hello, accel)

    # Guest instructions from the first instruction to main(), with and
    # without the stack protector (whose canary set-up runs at the entry).
    traced = build("helloworld", "kvm", variant="-trace",
                   options=["boot_trace=true", "stack_protector=true"] + nolibc)
    with_ssp = traced_instructions(traced)
    emit("boot.instructions_to_main", with_ssp, "instructions")
    traced = build("helloworld", "kvm", variant="-trace-nossp", options=["boot_trace=true"] + nolibc + nossp)
    without = traced_instructions(traced)
    emit("boot.nossp.instructions_to_main", without, "instructions")
    emit("boot.ssp_cost_instructions", with_ssp - without, "instructions")

    # What the first use of a clock costs (nothing at boot: clocks are set
    # up lazily). The clock example prints the calibration time it paid.
    clock = build("clock", "kvm")
    cmd = qemu_command(clock, "microvm", 64 << 20, accel, "10")
    rc, out, err = run_qemu(cmd, 120, echo=False)
    m = re.search(r"clock: mono source (.+) at (\d+) Hz, calibration (\d+) ns", out)
    if not m:
        raise UserError("no clock line from the clock example:\n" + out[-2000:])
    print(f"# clock source: {m.group(1)} at {int(m.group(2))} Hz", flush=True)
    emit("boot.clock_calibration_ms", int(m.group(3)) / 1e6, "ms")

    emit("boot.min_mem_kib", min_mem_kib(hello, accel), "KiB")
    emit("boot.musl.min_mem_kib", min_mem_kib(hello_musl, accel), "KiB")
    return 0


def guest_heap_init(image, mem):
    """TSC ticks (= instructions under icount) the boot heap took to set up."""
    cmd = qemu_command(image, "microvm", mem, "tcg", "") + ["-icount", "shift=0"]
    rc, out, err = run_qemu(cmd, 300, echo=False)
    m = re.search(r"trace: heap_init=(\d+)", out)
    if not m:
        raise UserError(f"no heap trace line from {os.path.basename(image)}:\n{out[-2000:]}")
    return int(m.group(1))


def size_row(report, label):
    for line in open(report):
        f = line.split()
        if f and f[0] == label and len(f) == 6:
            return int(f[1]) + int(f[2]) + int(f[3])
    return 0


def bench_alloc():
    require("build", "run")
    bdir = configure("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/allocbench"], "ninja", quiet=True)
    exe = os.path.join(bdir, "tests", "bench", "allocbench")
    p = subprocess.run([exe], capture_output=True, text=True)
    if p.returncode:
        raise UserError(f"allocbench failed:\n{p.stdout}{p.stderr}")
    sys.stdout.write(p.stdout)
    sys.stdout.flush()

    # What each allocator adds to an image (code + data of its own library)
    # and helloworld with the smallest one, region.
    for b in ("tlsf", "buddy", "region"):
        img = build(f"alloctest-{b}", "kvm", known=False)
        emit(f"alloc.{b}.lib_bytes", size_row(img + ".size", "ukalloc" + b), "bytes")
    img = build("helloworld-region", "kvm", variant="-nolibc", options=["libc=nolibc"], known=False)
    emit("alloc.helloworld_region.image_bytes", os.path.getsize(img), "bytes")
    emit("alloc.ukalloc.lib_bytes", size_row(img + ".size", "ukalloc"), "bytes")

    # Boot-heap set-up cost in guest instructions, 16 MiB and 1 GiB guests.
    for b in ("tlsf", "buddy", "region"):
        img = build(f"alloctest-{b}", "kvm", variant="-trace",
                      options=["boot_trace=true", "libc=nolibc"], known=False)
        n16 = guest_heap_init(img, 16 << 20)
        n1g = guest_heap_init(img, 1 << 30)
        suffix = "" if b == "tlsf" else f"_{b}"
        emit(f"alloc.init_instructions_16m{suffix}", n16, "instructions")
        emit(f"alloc.init_instructions_1g{suffix}", n1g, "instructions")
    return 0


def bench_sched():
    require("build", "run")
    bdir = configure("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/schedbench"], "ninja", quiet=True)
    p = subprocess.run([os.path.join(bdir, "tests", "bench", "schedbench")],
                       capture_output=True, text=True)
    if p.returncode:
        raise UserError(f"schedbench failed:\n{p.stdout}{p.stderr}")
    sys.stdout.write(p.stdout)
    sys.stdout.flush()
    # In a guest: instructions (TSC under -icount shift=0) per round trip.
    img = build("threads", "kvm", known=False)
    cmd = qemu_command(img, "microvm", 64 << 20, "tcg", "bench") + ["-icount", "shift=0"]
    rc, out, err = run_qemu(cmd, 300, echo=False)
    m = re.search(r"threads: bench: (\d+) ticks per yield round trip, (\d+) per create\+join", out)
    if not m:
        raise UserError("no bench line from the threads image:\n" + out[-2000:])
    emit("sched.yield.instructions", int(m.group(1)), "instructions")
    emit("sched.create.instructions", int(m.group(2)), "instructions")
    # The linuxu image (a Linux process with unikit threads) against the
    # pthreads figure measured above, in the same run.
    img = build("threads", "linuxu", known=False)
    q = subprocess.run([img, "bench"], capture_output=True, text=True, timeout=300)
    m = re.search(r"threads: bench: (\d+) ns per yield round trip, (\d+) per create\+join", q.stdout)
    pth = re.search(r"sched.yield.pthread_ns ([\d.]+)", p.stdout)
    if not m or not pth or q.returncode:
        raise UserError("no bench line from the linuxu threads image:\n" + q.stdout[-2000:])
    emit("sched.linuxu.yield_ns", int(m.group(1)), "ns")
    emit("sched.linuxu.create_ns", int(m.group(2)), "ns")
    emit("sched.linuxu.yield_vs_pthread", float(pth.group(1)) / max(int(m.group(1)), 1), "x")
    return 0


SYSCALLS = ("getpid", "clock_gettime", "write", "read")
ROUNDTRIPS = ("pipe", "eventfd", "unix")


def sysbench_figures(out, who, calls=True, roundtrips=True):
    """{(call, "libc"|"syscall"): ticks per call} and {kind: (median, min,
    max) ticks per round trip} from sysbench's output."""
    m = re.search(r"^sysbench: FAILED: (.*)$", out, re.M)
    if m:
        raise UserError(f"{who}: sysbench failed: {m.group(1)}")
    res = {(c, p): float(v) for c, p, v in
           re.findall(r"^sysbench: (\w+) (libc|syscall) ([\d.]+)\r?$", out, re.M)}
    rt = {k: tuple(float(x) for x in v) for k, *v in
          re.findall(r"^sysbench: roundtrip (\w+) ([\d.]+) ([\d.]+) ([\d.]+)\r?$", out, re.M)}
    if (not re.search(r"^sysbench: done", out, re.M)
            or len(res) != (2 * len(SYSCALLS) if calls else 0)
            or sorted(rt) != (sorted(ROUNDTRIPS) if roundtrips else [])):
        raise UserError(f"{who}: sysbench's output is incomplete:\n{out[-2000:]}")
    return res, rt


def bench_syscall():
    """Four real system calls (getpid, clock_gettime, a 1-byte write to
    /dev/null, a 1-byte read from a ramfs file), in guest instructions per
    call (TSC under -icount shift=0, the loop's own instructions included):
    through musl in a unikit image (native: function calls into the pool),
    through the `syscall` instruction into the same image (binary), and
    through the `syscall` instruction into Linux in the Debian-kernel VM of
    `bench http` (its libc's figure too: clock_gettime goes through the
    vDSO there), all in the same run. Then round trips of one byte (an
    eventfd: a count) between two threads through two pipes, two eventfds
    and an AF_UNIX stream socketpair, through the libc, in an image that
    links threads and AF_UNIX (sysbench-ipc: the calls above are measured
    without them) and in the VM (vs_linux: Linux's instructions over
    unikit's)."""
    require("build", "run", "linuxbin")
    from .. import BUILD, ROOT, linuxvm
    from ..initrd import cpio_newc
    # how many Linux calls have an implementation: the same scan of the
    # code that writes docs/syscalls.md's table
    gen = os.path.join(ROOT, "libs", "uksyscall", "tools", "gen_syscall_table.py")
    p = subprocess.run([sys.executable, gen, "--count"], capture_output=True, text=True)
    if p.returncode != 0 or not p.stdout.strip().isdigit():
        raise UserError(f"bench syscall: {gen} --count failed: {p.stderr.strip()[-500:]}")
    emit("syscall.count_implemented", int(p.stdout), "calls")
    img = build("sysbench", "kvm", known=False)
    cmd = qemu_command(img, "microvm", 64 << 20, "tcg", "calls") + ["-icount", "shift=0"]
    rc, out, err = run_qemu(cmd, 900, echo=False)
    uk, _ = sysbench_figures(out, "the unikit image", calls=True, roundtrips=False)
    # the same program with threads and AF_UNIX linked (sysbench-ipc)
    img = build("sysbench-ipc", "kvm", known=False)
    cmd = qemu_command(img, "microvm", 64 << 20, "tcg", "roundtrip") + ["-icount", "shift=0"]
    rc, out, err = run_qemu(cmd, 900, echo=False)
    _, uk_rt = sysbench_figures(out, "the unikit image (sysbench-ipc)", calls=False, roundtrips=True)
    try:
        kernel, initrd, ver = linuxvm.prepare(os.path.join(BUILD, "linuxvm"), cpio_newc)
    except linuxvm.VMError as e:
        raise UserError(str(e))
    print(f"# linux: Debian kernel {ver}, default mitigations, -icount shift=0", flush=True)
    cmd = linuxvm.qemu_command(kernel, initrd, "microvm", "tcg", [], exec_args=["/sysbench"],
                               icount=True)
    rc, out, err = run_qemu(cmd, 1800, echo=False)
    lx, lx_rt = sysbench_figures(out, "the Linux VM")  # both halves: no argument
    cpu, vulns = linuxvm.cpu_report(out)
    print(f"# linux VM cpu: {cpu or 'unknown'}; mitigations: "
          + "; ".join(f"{k}: {v}" for k, v in sorted(vulns.items())), flush=True)
    for c in SYSCALLS:
        emit(f"syscall.{c}.native_instructions", uk[(c, "libc")], "instructions")
        emit(f"syscall.{c}.binary_instructions", uk[(c, "syscall")], "instructions")
        emit(f"syscall.{c}.linux_instructions", lx[(c, "syscall")], "instructions")
        emit(f"syscall.{c}.linux_libc_instructions", lx[(c, "libc")], "instructions")
    for k in ROUNDTRIPS:
        print(f"# {k} round trip, instructions per round trip over 7 loops of 500: unikit "
              f"median {uk_rt[k][0]:.1f} (min {uk_rt[k][1]:.1f}, max {uk_rt[k][2]:.1f}); "
              f"Linux median {lx_rt[k][0]:.1f} (min {lx_rt[k][1]:.1f}, max {lx_rt[k][2]:.1f})",
              flush=True)
        emit(f"syscall.{k}_roundtrip.unikit_instructions", uk_rt[k][0], "instructions")
        emit(f"syscall.{k}_roundtrip.linux_instructions", lx_rt[k][0], "instructions")
        emit(f"syscall.{k}_roundtrip.vs_linux", lx_rt[k][0] / uk_rt[k][0], "x")
    return 0
