"""Benchmarks behind `./unikit bench [NAME]`.

Every figure is printed as one line `bench: NAME.METRIC VALUE UNIT`, so tools
can read it. Ratios are always against a baseline measured in the same run
with the same accelerator: these machines are shared and noisy.
"""
import os
import re
import statistics
import subprocess
import sys
import time


def emit(name, value, unit):
    if isinstance(value, float):
        value = f"{value:.3f}"
    print(f"bench: {name} {value} {unit}", flush=True)


def qemu_wall(u, image, accel, mem, runs, append=""):
    """Median wall time (s) from QEMU start to exit, and the last output."""
    times, out = [], ""
    for _ in range(runs):
        cmd = u.qemu_command(image, "microvm", mem, accel, append)
        t0 = time.perf_counter()
        rc, out, err = u.run_qemu(cmd, 120, echo=False)
        times.append(time.perf_counter() - t0)
        status = u.decode_qemu_status(rc, out, err)
        if status != 0:
            raise u.UserError(f"{os.path.basename(image)} exited with {status} during the benchmark:\n{out}")
    return statistics.median(times), out


def boots_with(u, image, accel, mem_bytes):
    cmd = u.qemu_command(image, "microvm", mem_bytes, accel, "")
    try:
        rc, out, err = u.run_qemu(cmd, 60, echo=False)
    except TimeoutError:
        return False
    if any(l.startswith("qemu-system") for l in err.splitlines()):
        return False
    return rc == 1 and "Hello, world!" in out


def min_mem_kib(u, image, accel):
    """Smallest -m (KiB) that still boots the helloworld `image`: bisection
    on 64 KiB steps between 64 KiB (assumed to fail) and 64 MiB."""
    lo, hi = 64, 64 * 1024  # KiB: lo fails (assumed), hi boots
    if not boots_with(u, image, accel, hi << 10):
        raise u.UserError(f"{os.path.basename(image)} does not boot even with 64 MiB")
    while hi - lo > 64:
        mid = (lo + hi) // 2 // 64 * 64
        if boots_with(u, image, accel, mid << 10):
            hi = mid
        else:
            lo = mid
    return hi


def bench_boot(u):
    """The smallest image (helloworld on nolibc: what the boot goals are
    about), and helloworld on the default libc, musl."""
    u.require("build", "run", "clang")
    nolibc = ["libc=nolibc"]
    hello = u.build("helloworld", "kvm", variant="-nolibc", options=nolibc)
    emit("boot.image_bytes", os.path.getsize(hello), "bytes")
    try:
        hello_clang = u.build("helloworld", "kvm", toolchain="clang", variant="-nolibc",
                              options=nolibc)
        emit("boot.image_bytes_clang", os.path.getsize(hello_clang), "bytes")
    except u.UserError as e:
        print(f"# clang image not built: {e}", file=sys.stderr)
    hello_musl = u.build("helloworld", "kvm")
    emit("boot.musl.image_bytes", os.path.getsize(hello_musl), "bytes")

    bdir = u.builddir("gcc")
    u.run_checked(["ninja", "-C", bdir, "tests/bench/pvh-empty", "tests/bench/pvh-probe"], "ninja", quiet=True)
    empty = os.path.join(bdir, "tests", "bench", "pvh-empty")
    accel, why = u.choose_accel("auto", u.probe_image_path("gcc"))
    print(f"# accelerator: {accel} ({why})", flush=True)
    emit("boot.accelerator_is_kvm", 1 if accel == "kvm" else 0, "bool")

    # Wall time, QEMU start -> exit, interleaved runs so drift hits both.
    runs = 11
    te, th = [], []
    for _ in range(runs):
        te.append(qemu_wall(u, empty, accel, 64 << 20, 1)[0])
        th.append(qemu_wall(u, hello, accel, 64 << 20, 1)[0])
    me, mh = statistics.median(te), statistics.median(th)
    emit("boot.wall_ms_empty", me * 1000, "ms")
    emit("boot.wall_ms_helloworld", mh * 1000, "ms")
    emit("boot.wall_ratio", mh / me, "x")

    # Guest instructions from the first instruction to main(): TSC stamps
    # under -icount shift=0 (one TSC tick per instruction), from a build
    # with boot tracing on.
    traced = u.build("helloworld", "kvm", variant="-trace", options=["boot_trace=true"] + nolibc)
    cmd = u.qemu_command(traced, "microvm", 64 << 20, "tcg", "") + ["-icount", "shift=0"]
    rc, out, err = u.run_qemu(cmd, 120, echo=False)
    m = re.search(r"trace: tsc_entry=(\d+) tsc_main=(\d+) delta=(\d+)", out)
    if not m:
        raise u.UserError("no boot trace line in the traced helloworld's output:\n" + out)
    emit("boot.instructions_to_main", int(m.group(3)), "instructions")

    # What the first use of a clock costs (nothing at boot: clocks are set
    # up lazily). The clock example prints the calibration time it paid.
    clock = u.build("clock", "kvm")
    cmd = u.qemu_command(clock, "microvm", 64 << 20, accel, "10")
    rc, out, err = u.run_qemu(cmd, 120, echo=False)
    m = re.search(r"clock: mono source (.+) at (\d+) Hz, calibration (\d+) ns", out)
    if not m:
        raise u.UserError("no clock line from the clock example:\n" + out[-2000:])
    print(f"# clock source: {m.group(1)} at {int(m.group(2))} Hz", flush=True)
    emit("boot.clock_calibration_ms", int(m.group(3)) / 1e6, "ms")

    emit("boot.min_mem_kib", min_mem_kib(u, hello, accel), "KiB")
    emit("boot.musl.min_mem_kib", min_mem_kib(u, hello_musl, accel), "KiB")
    return 0


def guest_heap_init(u, image, mem):
    """TSC ticks (= instructions under icount) the boot heap took to set up."""
    cmd = u.qemu_command(image, "microvm", mem, "tcg", "") + ["-icount", "shift=0"]
    rc, out, err = u.run_qemu(cmd, 300, echo=False)
    m = re.search(r"trace: heap_init=(\d+)", out)
    if not m:
        raise u.UserError(f"no heap trace line from {os.path.basename(image)}:\n{out[-2000:]}")
    return int(m.group(1))


def size_row(report, label):
    for line in open(report):
        f = line.split()
        if f and f[0] == label and len(f) == 6:
            return int(f[1]) + int(f[2]) + int(f[3])
    return 0


def bench_alloc(u):
    u.require("build", "run")
    bdir = u.configure("gcc")
    u.run_checked(["ninja", "-C", bdir, "tests/bench/allocbench"], "ninja", quiet=True)
    exe = os.path.join(bdir, "tests", "bench", "allocbench")
    p = subprocess.run([exe], capture_output=True, text=True)
    if p.returncode:
        raise u.UserError(f"allocbench failed:\n{p.stdout}{p.stderr}")
    sys.stdout.write(p.stdout)
    sys.stdout.flush()

    # What each allocator adds to an image (code + data of its own library)
    # and helloworld with the smallest one, region.
    for b in ("tlsf", "buddy", "region"):
        img = u.build(f"alloctest-{b}", "kvm", known=False)
        emit(f"alloc.{b}.lib_bytes", size_row(img + ".size", "ukalloc" + b), "bytes")
    img = u.build("helloworld-region", "kvm", variant="-nolibc", options=["libc=nolibc"], known=False)
    emit("alloc.helloworld_region.image_bytes", os.path.getsize(img), "bytes")
    emit("alloc.ukalloc.lib_bytes", size_row(img + ".size", "ukalloc"), "bytes")

    # Boot-heap set-up cost in guest instructions, 16 MiB and 1 GiB guests.
    for b in ("tlsf", "buddy", "region"):
        img = u.build(f"alloctest-{b}", "kvm", variant="-trace",
                      options=["boot_trace=true", "libc=nolibc"], known=False)
        n16 = guest_heap_init(u, img, 16 << 20)
        n1g = guest_heap_init(u, img, 1 << 30)
        suffix = "" if b == "tlsf" else f"_{b}"
        emit(f"alloc.init_instructions_16m{suffix}", n16, "instructions")
        emit(f"alloc.init_instructions_1g{suffix}", n1g, "instructions")
    return 0


def bench_sched(u):
    u.require("build", "run")
    bdir = u.configure("gcc")
    u.run_checked(["ninja", "-C", bdir, "tests/bench/schedbench"], "ninja", quiet=True)
    p = subprocess.run([os.path.join(bdir, "tests", "bench", "schedbench")],
                       capture_output=True, text=True)
    if p.returncode:
        raise u.UserError(f"schedbench failed:\n{p.stdout}{p.stderr}")
    sys.stdout.write(p.stdout)
    sys.stdout.flush()
    # In a guest: instructions (TSC under -icount shift=0) per round trip.
    img = u.build("threads", "kvm", known=False)
    cmd = u.qemu_command(img, "microvm", 64 << 20, "tcg", "bench") + ["-icount", "shift=0"]
    rc, out, err = u.run_qemu(cmd, 300, echo=False)
    m = re.search(r"threads: bench: (\d+) ticks per yield round trip, (\d+) per create\+join", out)
    if not m:
        raise u.UserError("no bench line from the threads image:\n" + out[-2000:])
    emit("sched.yield.instructions", int(m.group(1)), "instructions")
    emit("sched.create.instructions", int(m.group(2)), "instructions")
    # The linuxu image (a Linux process with unikit threads) against the
    # pthreads figure measured above, in the same run.
    img = u.build("threads", "linuxu", known=False)
    q = subprocess.run([img, "bench"], capture_output=True, text=True, timeout=300)
    m = re.search(r"threads: bench: (\d+) ns per yield round trip, (\d+) per create\+join", q.stdout)
    pth = re.search(r"sched.yield.pthread_ns ([\d.]+)", p.stdout)
    if not m or not pth or q.returncode:
        raise u.UserError("no bench line from the linuxu threads image:\n" + q.stdout[-2000:])
    emit("sched.linuxu.yield_ns", int(m.group(1)), "ns")
    emit("sched.linuxu.create_ns", int(m.group(2)), "ns")
    emit("sched.linuxu.yield_vs_pthread", float(pth.group(1)) / max(int(m.group(1)), 1), "x")
    return 0


def bench_syscall(u):
    """A no-op system call (getppid) through the native path (a direct
    call the compiler may inline), through the `syscall` instruction (the
    binary path), and a plain function call: guest instructions under
    -icount shift=0, then ns under plain TCG; on linuxu the native path
    against a real system call of the host kernel, same run."""
    u.require("build", "run")
    img = u.build("syscalltest", "kvm", known=False)
    cmd = u.qemu_command(img, "microvm", 64 << 20, "tcg", "bench") + ["-icount", "shift=0"]
    rc, out, err = u.run_qemu(cmd, 300, echo=False)
    m = re.search(r"syscall-bench: empty ([\d.]+) native ([\d.]+) call ([\d.]+) binary ([\d.]+)", out)
    if not m:
        raise u.UserError("no bench line from the syscalltest image:\n" + out[-2000:])
    emit("syscall.native.instructions", float(m.group(2)), "instructions")
    emit("syscall.call.instructions", float(m.group(3)), "instructions")
    emit("syscall.binary.instructions", float(m.group(4)), "instructions")
    cmd = u.qemu_command(img, "microvm", 64 << 20, "tcg", "bench-ns")
    rc, out, err = u.run_qemu(cmd, 300, echo=False)
    m = re.search(r"syscall-bench-ns: native ([\d.]+) call ([\d.]+) binary ([\d.]+)", out)
    if not m:
        raise u.UserError("no bench-ns line from the syscalltest image:\n" + out[-2000:])
    emit("syscall.native.tcg_ns", float(m.group(1)), "ns")
    emit("syscall.call.tcg_ns", float(m.group(2)), "ns")
    emit("syscall.binary.tcg_ns", float(m.group(3)), "ns")
    # linuxu: there the `syscall` instruction is the host kernel's
    img = u.build("syscallhost", "linuxu", known=False)
    q = subprocess.run([img, "bench-ns"], capture_output=True, text=True, timeout=300)
    m = re.search(r"syscall-bench-ns: native ([\d.]+) call ([\d.]+) binary ([\d.]+)", q.stdout)
    if not m or q.returncode:
        raise u.UserError("no bench line from the syscallhost image:\n" + q.stdout[-2000:])
    native, host = float(m.group(1)), float(m.group(3))
    emit("syscall.linuxu.native_ns", native, "ns")
    emit("syscall.linuxu.host_ns", host, "ns")
    emit("syscall.linuxu.vs_host", round(host / max(native, 0.01), 1), "x")
    # helloworld on musl, when the musl build exists
    img = u.build("helloworld", "kvm")  # musl, the default libc
    emit("syscall.musl_hello.image_bytes", os.path.getsize(img), "bytes")
    return 0


def bench_http(u):
    """httpreply in a unikit guest against the same source in a Linux VM
    (tests/net/httpbench.py: wrk in a private network namespace)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "net"))
    import httpbench
    return httpbench.bench_http(u, emit)


BENCHES = {"boot": bench_boot, "alloc": bench_alloc, "sched": bench_sched,
           "syscall": bench_syscall, "http": bench_http}


def main(names, u):
    names = names or list(BENCHES)
    for n in names:
        if n not in BENCHES:
            raise u.UserError(f"unknown benchmark '{n}'; known: {', '.join(BENCHES)}")
    rc = 0
    for n in names:
        print(f"# benchmark {n}", flush=True)
        rc |= BENCHES[n](u)
    return rc
