"""The targets table (platforms/targets.txt), which unikit's meson.build
reads too: every platform x architecture an image can be built for, with its
linker script, boot protocol, image file format and how it runs."""
import os
from collections import namedtuple

from . import ROOT
from .errors import UserError

Target = namedtuple("Target", "platform arch script boot format runner")
TABLE = os.path.join(ROOT, "platforms", "targets.txt")


def load():
    out = []
    try:
        lines = open(TABLE).read().splitlines()
    except OSError as e:
        raise UserError(f"cannot read the targets table {TABLE}: {e}")
    for n, line in enumerate(lines, 1):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        if len(f) != 6:
            raise UserError(f"{TABLE}:{n}: a line needs 6 fields (platform arch script boot "
                            f"format runner): {line!r}")
        out.append(Target(*f))
    return out


# unikit's architecture names -> the CPU family of the cross files and build
# directories (cross/aarch64-gcc.ini, build/aarch64-gcc), as meson.build maps
# a cross file's cpu_family back
CPU = {"x86_64": "x86_64", "arm64": "aarch64"}


def cpu(arch):
    """The CPU family (cross file and build directory prefix) of an
    architecture of the targets table."""
    if arch not in CPU:
        raise UserError(f"architecture {arch!r} has no cross file name in cli/unikit/targets.py")
    return CPU[arch]


# A process image (boot protocol `process`, runner `host`) of an architecture
# other than the host's runs under QEMU's user-mode emulator, statically
# linked so that it needs nothing of the target's (Debian's qemu-user-static)
USER_EMULATORS = {"arm64": "qemu-aarch64-static", "x86_64": "qemu-x86_64-static"}


def host_arch():
    """This machine's architecture in the targets table's names, or its
    uname when the table has no such CPU family."""
    m = os.uname().machine
    return next((a for a, c in CPU.items() if c == m), m)


def user_emulator(arch):
    """The emulator a process image of `arch` runs under here: None on a
    host of that architecture."""
    if arch == host_arch():
        return None
    if arch not in USER_EMULATORS:
        raise UserError(f"a linuxu image for {arch} cannot run on this {host_arch()} host: "
                        f"cli/unikit/targets.py names no user-mode emulator for {arch}")
    return USER_EMULATORS[arch]


def platforms():
    return tuple(dict.fromkeys(t.platform for t in load()))


def arches():
    return tuple(dict.fromkeys(t.arch for t in load()))


def find(platform, arch):
    for t in load():
        if t.platform == platform and t.arch == arch:
            return t
    raise UserError(f"no target {platform}-{arch} in {TABLE}; targets: "
                    f"{', '.join(t.platform + '-' + t.arch for t in load())}")
