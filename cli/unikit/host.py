"""What the host needs: each group of commands names its tools, each tool the
Debian package that provides it, so a missing one is one apt-get line."""
import os
import shutil
import subprocess

from .errors import UserError

# tool -> Debian package that provides it
PACKAGES = {
    "meson": "meson", "ninja": "ninja-build", "gcc": "gcc", "clang": "clang",
    "ld.lld": "lld", "llvm-nm": "llvm", "qemu-system-x86_64": "qemu-system-x86",
    "aarch64-linux-gnu-gcc": "gcc-aarch64-linux-gnu", "qemu-system-aarch64": "qemu-system-arm",
    "pkg-config": "pkg-config", "strip": "binutils", "nm": "binutils",
    "readelf": "binutils", "objdump": "binutils", "clang-format": "clang-format",
    "musl-gcc": "musl-tools",
    "wrk": "wrk", "curl": "curl", "ip": "iproute2",
    "gdb": "gdb",
    "tclsh": "tcl", "make": "make", "bzip2": "bzip2", "gzip": "gzip",
}
NEEDED = {
    # tclsh, make: SQLite's amalgamation is made by its own Makefile, with Tcl (port-sqlite)
    "build": ["meson", "ninja", "gcc", "pkg-config", "nm", "strip", "readelf", "objdump", "tclsh", "make"],
    # the ports' boot tests check their output with the host's tools
    "ports": ["gzip", "bzip2"],
    "lint": ["clang-format"],
    "clang": ["clang", "ld.lld", "llvm-nm"],
    "run": ["qemu-system-x86_64"],
    # arm64 images: the cross GCC (with its binutils) and QEMU's virt machine
    "build-arm64": ["aarch64-linux-gnu-gcc"],
    "run-arm64": ["qemu-system-aarch64"],
    # Linux test programs for elfrun (tests/linuxbin, tests/posix)
    "linuxbin": ["musl-gcc"],
    # network boot tests and `bench http` (tests/net): clients, namespaces
    "net": ["wrk", "curl", "ip"],
    "debug": ["gdb"],
}
# groups `./unikit setup` installs
SETUP_GROUPS = ["build", "run", "clang", "lint", "linuxbin", "net", "ports", "build-arm64",
                "run-arm64"]


def apt_line(pkgs):
    prefix = "" if os.geteuid() == 0 else "sudo "
    return f"{prefix}apt-get install -y --no-install-recommends {' '.join(sorted(set(pkgs)))}"


def missing_packages(groups):
    pkgs = []
    for g in groups:
        for tool in NEEDED[g]:
            if not shutil.which(tool):
                pkgs.append(PACKAGES[tool])
    if "build" in groups:
        # without pkg-config nothing can find cmocka either
        if not shutil.which("pkg-config") or \
                subprocess.run(["pkg-config", "--exists", "cmocka"]).returncode != 0:
            pkgs.append("libcmocka-dev")
    return pkgs


def require_tools(*tools):
    """Each tool on PATH, else the apt-get line of the packages they come in."""
    pkgs = [PACKAGES.get(t, t) for t in tools if not shutil.which(t)]
    if pkgs:
        raise UserError("missing tools; install them with:\n    " + apt_line(pkgs))


def require(*groups):
    pkgs = missing_packages(groups)
    if pkgs:
        raise UserError("missing tools; install them with:\n    " + apt_line(pkgs))
