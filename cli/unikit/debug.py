"""`unikit debug`: an image under gdb in one command. kvm images boot under
QEMU with its gdb stub on a free local port, halted (-S), and gdb attaches
with the unstripped NAME.dbg the composer writes next to every image; linuxu
images run under gdb directly. Both stop at main (or at the entry with
--entry) with unikit's gdb helpers (gdb/unikit.py: uk-threads, uk-log)
loaded. --gdb-batch FILE runs gdb non-interactively on a command file."""
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading

from . import ROOT
from .build import app_build, build, image_platform, is_app_dir
from .errors import UserError, say
from .host import require, require_tools
from .qemu import choose_accel, image_vmm, parse_mem, probe_image_path, qemu_command, quote_args

HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gdb", "unikit.py")


def free_port():
    """A TCP port nobody listens on now (the kernel's pick). QEMU binds it a
    moment later; a clash is reported by QEMU and by gdb's connect."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def resolve_image(a):
    """(image, platform) for `unikit debug TARGET`: an example's name, an
    application directory, an image file, or an app's NAME.images manifest."""
    t = a.target
    if os.path.isfile(t):
        if t.endswith(".images"):
            from .check import images_of
            image = os.path.abspath(images_of(t, a.plat or "kvm")[0])
        else:
            image = os.path.abspath(t)
        return image, image_platform(image, a.plat)
    plat = a.plat or "kvm"
    if is_app_dir(t):
        if not os.path.isdir(t):
            raise UserError(f"not an image, an app directory or an app name: {t} (no such file)")
        return app_build(t, plat, a.arch, a.toolchain, name=a.name), plat
    return build(t, plat, a.arch, a.toolchain), plat


def debug_file(image):
    dbg = image + ".dbg"
    if not os.path.isfile(dbg):
        raise UserError(f"{dbg} is missing: gdb needs the unstripped image the composer writes "
                        f"next to {os.path.basename(image)} (rebuild it with mkimage/compose.py)")
    return dbg


def producer(dbg):
    """The compiler named by the first compilation unit's DW_AT_producer."""
    p = subprocess.Popen(["readelf", "--debug-dump=info", "-W", dbg], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    try:
        for line in p.stdout:
            if "DW_AT_producer" in line:
                return line
        return ""
    finally:
        p.kill()
        p.wait()


def main_breakpoint(dbg):
    """The gdb command that stops at main. With whole-program LTO main is
    usually inlined into ukboot's caller; gdb then does not find `main` by
    name (its abstract DWARF entry is in another compilation unit than the
    inlined copy), so the breakpoint goes on the inlined copy's entry
    address, read from the DWARF with readelf. gdb shows that stop as
    main's frame, inlined into its callers."""
    syms = subprocess.run(["nm", dbg], capture_output=True, text=True).stdout
    if any(l.split()[-1:] == ["main"] and l.split()[1:2] in (["T"], ["t"]) for l in syms.splitlines()):
        # gdb puts `break main` after main's prologue by the line table;
        # clang's LTO line table sends it into an inlined helper that main
        # never reaches, so with clang the breakpoint goes on main's entry
        return "break *main" if "clang" in producer(dbg) else "break main"
    p = subprocess.Popen(["readelf", "--debug-dump=info", "-W", dbg], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    mains, tag, name, die, decl = set(), None, None, None, False
    entries, cur_origin = [], None

    def close():
        if tag == "DW_TAG_subprogram" and name == "main" and not decl:
            mains.add(die)

    for line in p.stdout:
        line = line.strip()
        m = re.match(r"<\d+><([0-9a-f]+)>: Abbrev Number: \d+ \((DW_TAG_\w+)\)", line)
        if m:
            close()
            die, tag, name, decl, cur_origin = int(m.group(1), 16), m.group(2), None, False, None
            continue
        if line.startswith("<") and "DW_AT_" in line:
            attr = line.split(">", 1)[1].strip()
            if attr.startswith("DW_AT_name") and attr.endswith(": main"):
                name = "main"
            elif attr.startswith("DW_AT_declaration"):
                decl = True
            elif attr.startswith("DW_AT_abstract_origin") and tag == "DW_TAG_inlined_subroutine":
                cur_origin = int(attr.rsplit("<0x", 1)[1].rstrip(">"), 16)
            elif attr.startswith(("DW_AT_entry_pc", "DW_AT_low_pc")) and cur_origin is not None:
                v = re.search(r"0x([0-9a-f]+)\s*$", attr)
                if v:
                    entries.append((cur_origin, int(v.group(1), 16)))
                cur_origin = None
    close()
    p.wait()
    addrs = sorted({a for o, a in entries if o in mains})
    if not addrs:
        raise UserError(f"{os.path.basename(dbg)}: no main in its debug information (neither a "
                        f"function nor an inlined copy); use --entry, or break by file:line "
                        f"in a --gdb-batch file")
    return f"break *{addrs[0]:#x}"


def gdb_base(a):
    cmd = ["gdb", "-q", "-nx"]
    if a.gdb_batch:
        if not os.path.isfile(a.gdb_batch):
            raise UserError(f"--gdb-batch {a.gdb_batch}: no such file")
        cmd.append("-batch")
    cmd += ["-ex", "set pagination off", "-ex", "set confirm off",
            "-ex", f"source {HELPER}"]
    return cmd


def cmd_debug(a):
    require("debug")
    image, plat = resolve_image(a)
    dbg = debug_file(image)
    if a.core:
        return debug_core(a, image, plat, dbg)
    stop = ["-ex", main_breakpoint(dbg)] if not a.entry else []
    tail = ["-x", os.path.abspath(a.gdb_batch)] if a.gdb_batch else []
    if plat == "linuxu":
        from .qemu import image_target
        from .targets import host_arch, user_emulator
        arch = image_target(image, plat, getattr(a, "arch", None)).arch
        if user_emulator(arch):
            # gdb would have to reach it through the emulator's stub (-g)
            raise UserError(f"unikit debug runs a linuxu image under gdb on a host of its own "
                            f"architecture; this {arch} image would need "
                            f"{user_emulator(arch)} -g PORT and gdb-multiarch on this "
                            f"{host_arch()} host, which unikit debug does not do yet")
        cmd = gdb_base(a) + ["-ex", f"file {image}", "-ex", f"symbol-file {dbg}"]
        if a.args:
            cmd += ["-ex", "set args " + " ".join(shlex.quote(x) for x in a.args)]
        cmd += stop + ["-ex", "starti" if a.entry else "run"] + tail
        if a.verbose:
            say("gdb command: " + " ".join(shlex.quote(c) for c in cmd))
        return run_gdb(cmd)
    return debug_kvm(a, image, dbg, stop, tail)


def debug_core(a, image, plat, dbg):
    """gdb on a crash dump (`unikit run --crash-dump FILE`), offline: the
    dump becomes an ELF core next to nothing (a temporary file)."""
    from . import core
    if plat != "kvm":
        raise UserError("--core: crash dumps are written by kvm images (a linuxu image is a "
                        "Linux process: use the kernel's core dumps, `ulimit -c unlimited`)")
    try:
        data = open(a.core, "rb").read()
    except OSError as e:
        raise UserError(f"--core {a.core}: {e.strerror}")
    regs, segs = core.parse_dump(data, a.core)
    say(f"crash dump {a.core}: vector {regs['vector']}, error code {regs['error_code']:#x}, "
        f"RIP {regs['rip']:#x}, CR2 {regs['cr2']:#x}; memory: "
        + ", ".join(f"{addr:#x}+{len(b) // 1024} KiB" for addr, b in segs))
    with tempfile.NamedTemporaryFile(prefix="unikit-core-", suffix=".elf") as f:
        f.write(core.elf_core(regs, segs))
        f.flush()
        # the note is a Linux x86_64 prstatus: gdb reads it as such
        cmd = gdb_base(a) + ["-ex", "set osabi GNU/Linux", "-ex", f"file {dbg}",
                             "-ex", f"core-file {f.name}"]
        cmd += ["-x", os.path.abspath(a.gdb_batch)] if a.gdb_batch else ["-ex", "bt"]
        if a.verbose:
            say("gdb command: " + " ".join(shlex.quote(c) for c in cmd))
        return run_gdb(cmd)


def run_gdb(cmd):
    """gdb in the foreground. Ctrl-C is gdb's (it interrupts the target), so
    unikit ignores SIGINT while gdb runs."""
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return subprocess.run(cmd).returncode
    finally:
        signal.signal(signal.SIGINT, old)


def copy_console(f):
    while True:
        chunk = os.read(f.fileno(), 65536)
        if not chunk:
            return
        sys.stdout.buffer.write(chunk.replace(b"\r", b""))
        sys.stdout.flush()


def debug_kvm(a, image, dbg, stop, tail):
    # the QEMU of the image's row of the targets table (x86_64 or arm64)
    v = image_vmm(image)
    require_tools(v.binary)
    if a.entry and v.binary != "qemu-system-x86_64":
        raise UserError("--entry stops at the PVH entry of x86_64 images; this image is "
                        f"{v.binary}'s (leave --entry out to stop at main)")
    mem = parse_mem(a.mem)
    accel, why = choose_accel(a.accel, probe_image_path(a.toolchain), v)
    port = free_port()
    qcmd = qemu_command(image, a.machine, mem, accel, quote_args(a.args),
                        ["-gdb", f"tcp:127.0.0.1:{port}", "-S"], v=v)
    say(f"accelerator: {accel} ({why}); QEMU halted with its gdb stub on 127.0.0.1:{port}")
    if a.verbose:
        say("qemu command: " + " ".join(shlex.quote(c) for c in qcmd))
    # the guest console goes to our stdout; gdb keeps the terminal's stdin
    q = subprocess.Popen(qcmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    # the serial console ends lines with \r\n: pass it on as `unikit run` does
    echo = threading.Thread(target=copy_console, args=(q.stdout,), daemon=True)
    echo.start()
    try:
        entry = []
        if a.entry:
            # the PVH entry runs in 32-bit protected mode before paging: a
            # hardware breakpoint at its physical address
            entry = ["-ex", "hbreak _pvh_start32"]
        gcmd = gdb_base(a) + ["-ex", f"file {dbg}",
                              # gdb retries while QEMU is still opening the port
                              "-ex", "set tcp connect-timeout 30", "-ex", f"target remote 127.0.0.1:{port}"] \
            + stop + entry + ["-ex", "continue"] + tail
        if a.verbose:
            say("gdb command: " + " ".join(shlex.quote(c) for c in gcmd))
        rc = run_gdb(gcmd)
        # the guest ran to its end (QEMU exited by itself): its status,
        # as `unikit run` gives it
        try:
            qrc = q.wait(3)
        except subprocess.TimeoutExpired:
            qrc = None
        if qrc is not None and v.exit_code == "plain":
            rc = qrc
            say(f"the guest exited with status {rc}")
        elif qrc is not None and qrc & 1:
            rc = (qrc - 1) >> 1
            say(f"the guest exited with status {rc}")
    finally:
        if q.poll() is None:
            q.terminate()
            try:
                q.wait(5)
            except subprocess.TimeoutExpired:
                q.kill()
                q.wait()
        echo.join(5)
        err = q.stderr.read().decode("utf-8", "replace")
        errs = [l for l in err.splitlines() if l.startswith("qemu-system")]
        if errs:
            sys.stderr.write("\n".join(errs) + "\n")
    return rc


def add_parser(sub, target_opts):
    s = sub.add_parser("debug", help="boot an image halted under gdb, stopped at main "
                                     "(kvm: QEMU's gdb stub; linuxu: gdb runs it)")
    s.add_argument("target", help="an example's name, an application directory, an image or "
                                  "its NAME.images manifest")
    s.add_argument("--name", help="which image, when an application directory registers several")
    target_opts(s)
    s.add_argument("--entry", action="store_true",
                   help="stop at the image's first instruction instead of main")
    s.add_argument("--gdb-batch", metavar="FILE",
                   help="run gdb non-interactively (-batch) with this command file after "
                        "stopping at main")
    s.add_argument("--core", metavar="FILE",
                   help="open a crash dump offline (from `unikit run --crash-dump FILE`) with "
                        "the image's symbols: the faulting frame, bt, print")
    s.add_argument("--machine", default=None,
                   help="QEMU machine (as for `unikit run`; default: the image's QEMU's first, "
                        "x86_64 microvm, arm64 virt)")
    s.add_argument("--mem", default="64M", help="guest RAM (default 64M)")
    s.add_argument("--accel", choices=("auto", "kvm", "tcg"), default="auto")
    s.add_argument("-v", "--verbose", action="store_true", help="print the qemu and gdb commands")
    s.add_argument("args", nargs="*", default=[], help="-- then the app's arguments")
    s.set_defaults(fn=cmd_debug)
