"""`unikit run`: boot an image under QEMU (kvm platform) or as a Linux process
(linuxu), with arguments, an initrd, a network, and its exit status."""
import os
import shlex
import subprocess
import sys

from . import targets
from .build import app_build, build, builddir, configure, image_platform, is_app_dir, run_checked
from .errors import UserError, say
from .host import require_tools
from .initrd import initrd_file
from .qemu import (parse_mem, quote_args, probe_image_path, choose_accel, qemu_command,
                   says_console_ready, run_qemu, decode_qemu_status, image_target, vmm,
                   console_stty)


def cmd_run(a):
    args = a.args
    if a.image:
        image = os.path.abspath(a.image)
        if not os.path.isfile(image):
            raise UserError(f"image not found: {image}")
        if image.endswith(".images"):
            # an app's manifest: its image for --plat (default kvm)
            from .check import images_of
            image = images_of(image, a.plat or "kvm")[0]
        plat = image_platform(image, a.plat)
    else:
        if not a.app:
            raise UserError("name an app (an example, or an application directory) or give "
                            "--image PATH")
        plat = a.plat or "kvm"
        if is_app_dir(a.app):
            image = app_build(a.app, plat, a.arch, a.toolchain, name=a.name)
        else:
            image = build(a.app, plat, a.arch, a.toolchain)
    mem = parse_mem(a.mem)
    if a.cmdline is not None and (args or plat == "linuxu"):
        raise UserError("--cmdline replaces the app arguments, and only for the kvm platform")
    initrd = initrd_file(a.initrd) if getattr(a, "initrd", None) else None
    disks, shares = getattr(a, "disk", None) or [], getattr(a, "share", None) or []
    if plat == "linuxu" and (disks or shares):
        raise UserError("--disk and --share need the kvm platform (linuxu has no devices)")
    # how it runs: the runner of its row of the targets table
    target = image_target(image, plat, a.arch)
    if target.runner == "host" and getattr(a, "crash_dump", None):
        raise UserError("--crash-dump needs the kvm platform (a linuxu image is a Linux process: "
                        "use the kernel's core dumps, `ulimit -c unlimited`)")
    if target.runner == "host":
        # an image of another architecture: under QEMU's user mode
        emu = targets.user_emulator(target.arch)
        if emu:
            require_tools(emu)
            say(f"running {os.path.basename(image)} as a Linux process under {emu} "
                f"(an {target.arch} image on this {targets.host_arch()} host)")
        else:
            say(f"running {os.path.basename(image)} as a Linux process (no accelerator)")
        env = dict(os.environ)
        env.pop("UK_INITRD", None)
        if initrd:
            env["UK_INITRD"] = initrd
        try:
            p = subprocess.run(([emu] if emu else []) + [image] + args, timeout=a.timeout,
                               env=env)
        except subprocess.TimeoutExpired:
            say(f"timed out after {a.timeout} s")
            return 124
        rc = p.returncode if p.returncode >= 0 else 128 - p.returncode
        if a.expect_status is not None:
            return check_status(rc, a.expect_status)
        return rc
    v = vmm(target.runner)
    require_tools(v.binary)
    a.machine = a.machine or v.machines[0]
    probe = probe_image_path(a.toolchain)
    if probe is None and a.accel != "tcg" and v.kvm_host == os.uname().machine == "x86_64":
        # the probe is part of every build; make sure it exists
        configure(a.toolchain)
        run_checked(["ninja", "-C", builddir(a.toolchain), "tests/bench/pvh-probe"], "ninja", quiet=True)
        probe = probe_image_path(a.toolchain)
    accel, why = choose_accel(a.accel, probe, v)
    say(f"accelerator: {accel} ({why}); machine: {a.machine}; memory: {mem >> 10} KiB")
    extra = []
    if a.gdb:
        extra = ["-s", "-S"]
        say(f"waiting for gdb: gdb {image}.dbg -ex 'target remote :1234'")
    # disks and host shares: devices, and vfs.mount= parameters
    from . import storage
    st_extra, a.lib_params = storage.run_args(a.machine, disks, shares, v=v)
    extra += st_extra
    # the console (docs/design.md): our stdin to the guest's serial line,
    # its output to our stdout byte for byte; --cmdline is left as it is
    stdin_tty = _stdin_is_tty()
    if a.cmdline is None:
        a.lib_params = [console_stty(stdin_tty)] + list(a.lib_params)
    if getattr(a, "crash_dump", None):
        if v.binary != "qemu-system-x86_64":
            # platforms/kvm writes dumps to the PC's COM2 only
            raise UserError(f"--crash-dump needs an x86_64 kvm image (the dump goes to COM2; "
                            f"{target.arch} images have no dump writer yet)")
        # COM2: where a crashing image writes its dump (platforms/kvm)
        dump = os.path.abspath(a.crash_dump)
        if not os.path.isdir(os.path.dirname(dump)):
            raise UserError(f"--crash-dump {a.crash_dump}: no such directory")
        if os.path.exists(dump):
            os.unlink(dump)
        extra += ["-chardev", "file,id=ukdump,path=" + dump.replace(",", ",,"),
                  "-device", "isa-serial,chardev=ukdump,iobase=0x2f8,irq=3"]
    if getattr(a, "net", False):
        # a tap device in a private network namespace
        from . import netns
        extra += ["-initrd", initrd] if initrd else []
        return netns.unikit_run(a, image, mem, accel, extra, v)
    append = a.cmdline if a.cmdline is not None else quote_args(args)
    if a.lib_params:
        # library parameters come before "--", the app's arguments after
        append = " ".join(a.lib_params) + (" " + a.cmdline if a.cmdline is not None
                                           else " -- " + quote_args(args))
    if initrd:
        extra += ["-initrd", initrd]
    cmd = qemu_command(image, a.machine, mem, accel, append, extra,
                       debug_exit=not a.no_debug_exit, v=v, log_line=True)
    if a.verbose:
        say("qemu command: " + " ".join(shlex.quote(c) for c in cmd))
    saved = _save_tty() if stdin_tty else None
    try:
        rc, out, err = run_qemu(cmd, a.timeout,
                                stdin="tty" if stdin_tty else _stdin_fd(),
                                wait_ready=says_console_ready(v, not a.no_debug_exit))
    except TimeoutError:
        say(f"timed out after {a.timeout} s; guest killed")
        return 124
    finally:
        _restore_tty(saved)
    status = decode_qemu_status(rc, out, err, v)
    if a.expect_status is not None:
        return check_status(status, a.expect_status)
    return status


def _stdin_is_tty():
    try:
        return os.isatty(0)
    except OSError:
        return False


def _stdin_fd():
    """Our fd 0 if we have one (else the guest gets an end of file)."""
    try:
        os.fstat(0)
        return 0
    except OSError:
        return None


def _save_tty():
    import termios
    try:
        return termios.tcgetattr(0)
    except termios.error:
        return None


def _restore_tty(saved):
    """QEMU's -serial stdio puts the terminal in raw mode; a QEMU killed on
    a timeout cannot put it back."""
    if saved is None:
        return
    import termios
    try:
        termios.tcsetattr(0, termios.TCSANOW, saved)
    except termios.error:
        pass


def check_status(got, want):
    if got != want:
        say(f"exit status {got}, expected {want}")
        return 1
    return 0


