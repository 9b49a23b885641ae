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
    "qemu-aarch64-static": "qemu-user-static",
    "pkg-config": "pkg-config", "strip": "binutils", "nm": "binutils",
    "readelf": "binutils", "objdump": "binutils", "clang-format": "clang-format",
    "musl-gcc": "musl-tools",
    "wrk": "wrk", "curl": "curl", "ip": "iproute2",
    "gdb": "gdb",
    "skopeo": "skopeo", "umoci": "umoci", "sgdisk": "gdisk", "mformat": "mtools",
    "grub-mkimage": "grub-common", "qemu-img": "qemu-utils",
    "tclsh": "tcl", "make": "make", "bzip2": "bzip2", "gzip": "gzip",
    "redis-server": "redis-server", "redis-cli": "redis-tools",
}
NEEDED = {
    # tclsh, make: SQLite's amalgamation is made by its own Makefile, with Tcl (port-sqlite)
    "build": ["meson", "ninja", "gcc", "pkg-config", "nm", "strip", "readelf", "objdump", "tclsh", "make"],
    # the ports' boot tests check their output with the host's tools
    # (hiredis' suite talks to the host's redis-server; redis' port to redis-cli)
    "ports": ["gzip", "bzip2", "redis-server", "redis-cli"],
    "lint": ["clang-format"],
    "clang": ["clang", "ld.lld", "llvm-nm"],
    "run": ["qemu-system-x86_64"],
    # arm64 images: the cross GCC (with its binutils), QEMU's virt machine,
    # and on other hosts QEMU's user mode for linuxu images (Linux processes)
    "build-arm64": ["aarch64-linux-gnu-gcc"],
    "run-arm64": ["qemu-system-aarch64"] + ([] if os.uname().machine == "aarch64"
                                            else ["qemu-aarch64-static"]),
    # Linux test programs for elfrun (tests/linuxbin, tests/posix)
    "linuxbin": ["musl-gcc"],
    # network boot tests and `bench http` (tests/net): clients, namespaces
    "net": ["wrk", "curl", "ip"],
    "debug": ["gdb"],
    # `unikit package` (--disk: GPT, FAT, GRUB cores, qcow2) and its tests
    # (skopeo/umoci read OCI images back)
    "deploy": ["sgdisk", "mformat", "grub-mkimage", "qemu-img", "skopeo", "umoci"],
}
# files (not commands) a group needs -> the Debian package that has them
FILES = {
    # the cross GCC's C library headers, for the aarch64 Linux test programs
    # (elfrun's static-PIE); gcc-aarch64-linux-gnu only recommends them
    "build-arm64": {"/usr/aarch64-linux-gnu/include/bits/wordsize.h": "libc6-dev-arm64-cross"},
    "deploy": {"/usr/lib/grub/i386-pc/boot.img": "grub-pc-bin",
               "/usr/lib/grub/x86_64-efi/multiboot2.mod": "grub-efi-amd64-bin",
               "/usr/share/ovmf/OVMF.fd": "ovmf"},
}
# groups `./unikit setup` installs
SETUP_GROUPS = ["build", "run", "clang", "lint", "linuxbin", "net", "ports", "debug", "deploy",
                "build-arm64", "run-arm64"]


def apt_line(pkgs):
    prefix = "" if os.geteuid() == 0 else "sudo "
    return f"{prefix}apt-get install -y --no-install-recommends {' '.join(sorted(set(pkgs)))}"


def missing_packages(groups):
    pkgs = []
    for g in groups:
        for tool in NEEDED[g]:
            if not shutil.which(tool):
                pkgs.append(PACKAGES[tool])
        for path, pkg in FILES.get(g, {}).items():
            if not os.path.exists(path):
                pkgs.append(pkg)
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
