"""QEMU: the accelerator (KVM when it really runs guests, else TCG), command
lines, running a guest with its console captured, and exit statuses."""
import json
import os
import re
import subprocess
import sys
import time
from collections import namedtuple

from . import BUILD, targets
from .errors import UserError, say
from .build import builddir, image_info


# How each QEMU of the targets table's runner column boots a kvm image:
# its machines (the first is the default; `mmio` those whose virtio devices
# sit on virtio-mmio, the others' on PCI), the CPU under TCG (None: QEMU's
# default), the host architecture on which KVM can run its guests, and the
# device that carries the exit status (`exit_args`, named `exit_name` in
# the guest's "no ..." message) with how QEMU's exit code encodes it.
Vmm = namedtuple("Vmm", "binary machines mmio tcg_cpu kvm_host exit_args exit_name exit_code")
VMMS = {
    # isa-debug-exit: QEMU exits with (status << 1) | 1
    "qemu-system-x86_64": Vmm("qemu-system-x86_64", ("microvm", "q35", "pc"), ("microvm",), None,
                              "x86_64", ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
                              "isa-debug-exit", "shifted"),
    # Arm semihosting's SYS_EXIT: QEMU exits with the status itself
    "qemu-system-aarch64": Vmm("qemu-system-aarch64", ("virt",), ("virt",), "cortex-a53",
                               "aarch64", ["-semihosting-config", "enable=on,target=native"],
                               "semihosting", "plain"),
}
MACHINES = VMMS["qemu-system-x86_64"].machines


def vmm(runner):
    """The Vmm of a targets-table runner (a kvm target's QEMU)."""
    if runner not in VMMS:
        raise UserError(f"runner {runner!r} of platforms/targets.txt is not a QEMU that "
                        f"cli/unikit/qemu.py knows ({', '.join(VMMS)})")
    return VMMS[runner]


def image_target(image, plat=None, arch=None):
    """An image's row of the targets table, from what mkimage recorded
    (platform and architecture), else from `plat` and `arch` (default
    kvm, x86_64)."""
    info = image_info(image) or {}
    return targets.find(info.get("platform") or plat or "kvm",
                        info.get("arch") or arch or "x86_64")


def image_vmm(image):
    return vmm(image_target(image).runner)


def parse_mem(s):
    m = re.fullmatch(r"(\d+)([KMG]?)(i?B)?", s.strip(), re.I)
    if not m:
        raise UserError(f"--mem {s!r}: use a size like 2M, 64M or 1G")
    n = int(m.group(1)) * {"": 1 << 20, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2).upper()]
    if n < (1 << 20) or n % 4096:
        raise UserError(f"--mem {s!r}: at least 1M, in whole 4 KiB pages")
    return n


def quote_args(args):
    """App arguments as one kernel command line that ukargparse splits back."""
    return " ".join("'" + a.replace("'", "'\\''") + "'" for a in args)


def kvm_usable():
    """True when /dev/kvm can be opened; whether it can run guests is probed."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR)
        os.close(fd)
        return True
    except OSError:
        return False


def boot_id():
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


def probe_kvm(probe_image):
    """Boot a tiny PVH kernel that runs an SSE instruction and exits with a
    known code. Some hosts expose a /dev/kvm that cannot run real guests."""
    cache = os.path.join(BUILD, "accel-probe.json")
    key = boot_id()
    try:
        with open(cache) as f:
            c = json.load(f)
        if c.get("boot_id") == key:
            return c["ok"], c["why"]
    except (OSError, ValueError, KeyError):
        pass
    cmd = ["qemu-system-x86_64", "-M", "microvm", "-accel", "kvm", "-cpu", "host", "-m", "16M",
           "-nodefaults", "-no-user-config", "-display", "none", "-serial", "none",
           "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", probe_image]
    try:
        rc, _, err = run_qemu(cmd, 10, echo=False, stop_on=rb"KVM internal error|KVM_EXIT|kvm run failed")
        ok = rc == (0x2A << 1 | 1)
        first = err.strip().splitlines()[0][:120] if err.strip() else "no message"
        why = "probe guest ran" if ok else f"probe guest failed: {first}"
    except TimeoutError:
        ok, why = False, "probe guest hung for 10 s"
    os.makedirs(BUILD, exist_ok=True)
    with open(cache, "w") as f:
        json.dump({"boot_id": key, "ok": ok, "why": why}, f)
    return ok, why


def choose_accel(want, probe_image, v=None):
    if want == "tcg":
        return "tcg", "requested"
    host = os.uname().machine
    if v is not None and v.kvm_host != host:
        if want == "kvm":
            raise UserError(f"--accel kvm: {v.binary} guests need a {v.kvm_host} host (this one "
                            f"is {host})")
        return "tcg", f"{v.kvm_host} guest, {host} host"
    if not kvm_usable():
        if want == "kvm":
            raise UserError("--accel kvm: /dev/kvm is missing or not accessible")
        return "tcg", "no usable /dev/kvm"
    if not probe_image or not os.path.exists(probe_image):
        return ("kvm", "requested, not probed") if want == "kvm" else ("tcg", "no probe image to test kvm")
    ok, why = probe_kvm(probe_image)
    if ok:
        return "kvm", why
    if want == "kvm":
        raise UserError(f"--accel kvm: /dev/kvm cannot run guests here ({why})")
    return "tcg", f"/dev/kvm present but unusable: {why}"


def check_machine(machine, v=None):
    """One of the QEMU's machines (x86_64: microvm, q35 or pc; arm64: virt),
    optionally with QEMU machine properties (microvm,pit=off,pic=off;
    virt,gic-version=3)."""
    v = v or VMMS["qemu-system-x86_64"]
    base = machine.split(",", 1)[0]
    if base not in v.machines or not re.fullmatch(r"[a-z0-9]+(,[a-z0-9_.-]+=[a-z0-9_-]+)*", machine):
        raise UserError(f"--machine {machine!r}: {v.binary} images run on "
                        f"{', '.join(v.machines)}, optionally with properties such as "
                        f"{v.machines[0]},{'pit=off' if v.machines[0] == 'microvm' else 'gic-version=3'}")
    return machine


def is_mmio(machine, v=None):
    """Whether the machine's virtio devices are virtio-mmio (else PCI)."""
    return machine.split(",", 1)[0] in (v or VMMS["qemu-system-x86_64"]).mmio


def has_log_line(v):
    """Whether qemu_command(log_line=True) gives the Vmm `v`'s images a line
    of their own for the kernel's messages (the PC's COM3)."""
    return v.binary == "qemu-system-x86_64"


def says_console_ready(v, debug_exit=True):
    """Whether a kvm image run by the Vmm `v` with qemu_command(log_line=True)
    writes CONSOLE_READY to QEMU's stderr: x86_64 images on their log line,
    arm64 images through semihosting, which is on with the exit device."""
    return has_log_line(v) or (debug_exit and v.exit_name == "semihosting")


def qemu_command(image, machine, mem, accel, append, extra=(), debug_exit=True, v=None,
                 log_line=False):
    """The QEMU command line of a kvm image; `v` (its Vmm) defaults to the
    one its targets-table row names. `machine` None: the Vmm's first.
    log_line: a second UART (the PC's COM3) for the kernel's messages,
    written to QEMU's stderr, so that COM1 (QEMU's stdout) carries the
    program's output alone (docs/design.md, "The console"); machines
    without a second UART (arm64's virt has one PL011) keep the kernel's
    lines on the console."""
    v = v or image_vmm(image)
    m = check_machine(machine or v.machines[0], v)
    log_line = log_line and has_log_line(v)
    cmd = [v.binary, "-M", m, "-m", f"{mem // 1024}K",
           "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
           "-no-reboot", "-kernel", image]
    if debug_exit:
        cmd += v.exit_args
    if accel == "kvm":
        cmd += ["-accel", "kvm", "-cpu", "host"]
    else:
        cmd += ["-accel", "tcg"] + (["-cpu", v.tcg_cpu] if v.tcg_cpu else [])
    if append:
        cmd += ["-append", append]
    if log_line:
        cmd += ["-chardev", "file,id=uklog,path=/dev/fd/2",
                "-device", "isa-serial,chardev=uklog,iobase=0x3e8,irq=5"]
    return cmd + list(extra)


STATUS_LINE = re.compile(r"\[kvm\] exit status (\d+); no (?:isa-debug-exit|semihosting)")
HIGH_STATUS_LINE = re.compile(r"\[kvm\] exit status (\d+) \(isa-debug-exit carries 7 bits\)")


def decode_qemu_status(rc, output, stderr, v=None):
    """Map QEMU's exit code back to the guest's exit status (`v`: the Vmm
    that ran it, default x86_64's). The kernel's lines are in `output`, or
    in `stderr` with qemu_command(log_line=True)."""
    v = v or VMMS["qemu-system-x86_64"]
    errs = [l for l in stderr.splitlines() if l.startswith("qemu-system")]
    output = output + "\n" + stderr
    if errs:
        raise UserError("qemu failed: " + "; ".join(errs))
    if v.exit_code == "plain":
        # the status itself (semihosting), or 0 after the guest printed it
        # and powered off without the exit device
        m = STATUS_LINE.search(output)
        if rc == 0 and m:
            return int(m.group(1))
        if rc >= 0:
            return rc
        raise UserError(f"qemu exited with {rc}")
    if rc & 1 and rc > 0:
        st = (rc - 1) >> 1
        high = HIGH_STATUS_LINE.findall(output)
        if high and int(high[-1]) & 0x7f == st:
            return int(high[-1])
        return st
    m = STATUS_LINE.search(output)
    if rc == 0 and m:
        return int(m.group(1))
    if rc == 0:
        say("the guest stopped without reporting an exit status (reset or power-off)")
        return 255
    raise UserError(f"qemu exited with {rc}")


EOF_CHAR = b"\x04"  # the guest console's VEOF (^D), as on a Linux tty


def console_stty(stdin_is_tty):
    """The console.stty library parameter `unikit run` gives a kvm image
    (docs/design.md, "The console"): output byte for byte (-onlcr: the host's
    own tty turns "\n" into "\r\n" when our stdout is a terminal), and no
    echo of input that comes from a pipe or a file."""
    return "console.stty=-onlcr" + ("" if stdin_is_tty else ",-echo")


# What a kvm image writes on its log line (x86_64: COM3; arm64: semihosting)
# once its console's FIFO is on (UKPLAT_CONSOLE_READY_MARK in
# platforms/api/include/uk/plat/console.h): input sent before could be lost when the
# guest switches the FIFO on, so input waits for it. An ECMA-48 application
# program command: terminals ignore it; run_qemu removes it.
CONSOLE_READY = b"\033_unikit:console-ready\033\\"
# An image that never says so (one built before the mark existed) gets its
# input after this long anyway.
CONSOLE_READY_WAIT = 30


def _forward_input(src, dst, ready=None):
    """Copy the file descriptor `src` to the guest's serial line, then say
    end of file the only way a serial line can: ^D at the start of a line
    (after a line without its newline, one ^D ends the line, a second one is
    the end of file). QEMU reads no faster than the guest's UART takes bytes,
    so this blocks while the guest does not read: a thread of its own.
    ready: an Event to wait for first (the guest's CONSOLE_READY)."""
    last = b"\n"
    if ready is not None and not ready.wait(CONSOLE_READY_WAIT):
        say(f"the guest did not say its console is ready in {CONSOLE_READY_WAIT} s; "
            "sending its input now (bytes may be lost)")
    try:
        while src is not None:
            chunk = os.read(src, 65536)
            if not chunk:
                break
            dst.write(chunk)
            dst.flush()
            last = chunk[-1:]
        dst.write(EOF_CHAR if last == b"\n" else EOF_CHAR * 2)
        dst.flush()
    except (BrokenPipeError, ValueError, OSError):
        pass  # QEMU is gone (or our stdin is): nothing left to deliver


def run_qemu(cmd, timeout, echo=True, stop_on=None, stdin=None, wait_ready=False):
    """Run QEMU, echoing the guest console byte for byte; returns (rc, output,
    stderr), output as text with "\r\n" read as "\n" (for the checks).
    If stderr matches the bytes regex `stop_on`, QEMU is killed (rc -9).
    stdin: None - the guest's console input is an end of file at once; a
    file descriptor - its bytes go to the guest's serial line, then an end
    of file; "tty" - QEMU reads our terminal itself (-serial stdio).
    wait_ready: the command has the log line (qemu_command(log_line=True)):
    input waits for the guest's CONSOLE_READY there, and stderr is held
    back until it came, so that the mark can be taken out whole."""
    import threading
    p = subprocess.Popen(cmd, stdin=None if stdin == "tty" else subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ready = threading.Event() if wait_ready else None
    if stdin != "tty":
        threading.Thread(target=_forward_input, args=(stdin, p.stdin, ready),
                         daemon=True).start()
    out = bytearray()
    start = time.monotonic()
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    err = bytearray()
    echoed = 0  # how much of err went to our stderr (none before the mark)
    sel.register(p.stderr, selectors.EVENT_READ)
    open_streams = 2

    def echo_err(data):
        if echo and data:
            # QEMU's messages, and the kernel's with log_line=True
            sys.stderr.buffer.write(data)
            sys.stderr.flush()

    while open_streams:
        left = None if timeout is None else timeout - (time.monotonic() - start)
        if left is not None and left <= 0:
            p.kill()
            p.wait()
            if ready is not None:
                ready.set()
            raise TimeoutError
        for key, _ in sel.select(left):
            chunk = os.read(key.fileobj.fileno(), 65536)
            if not chunk:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            if key.fileobj is p.stdout:
                out += chunk
                if echo:
                    sys.stdout.buffer.write(chunk)
                    sys.stdout.flush()
                continue
            err += chunk
            if stop_on is not None and re.search(stop_on, err):
                time.sleep(0.2)  # let the rest of the message arrive
                p.kill()
            if ready is not None and not ready.is_set():
                at = err.find(CONSOLE_READY)
                if at < 0:
                    continue
                del err[at:at + len(CONSOLE_READY)]
                ready.set()
            echo_err(bytes(err[echoed:]))
            echoed = len(err)
    echo_err(bytes(err[echoed:]))
    if ready is not None:
        ready.set()
    rc = p.wait()
    return (rc, out.decode("utf-8", "replace").replace("\r\n", "\n"),
            err.decode("utf-8", "replace").replace("\r\n", "\n"))


def probe_image_path(toolchain="gcc"):
    p = os.path.join(builddir(toolchain), "tests", "bench", "pvh-probe")
    return p if os.path.exists(p) else None


