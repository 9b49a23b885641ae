"""The Linux baseline VM of `./unikit bench http`.

Debian's own kernel (the linux-image-amd64 package's, 6.1 on bookworm) with
an initramfs of: tests/net/linuxvm/init.c (static, musl-gcc), the virtio
modules it loads (virtio_net and its dependencies: in Debian's kernel the
whole virtio stack is modules, nothing is built in), and examples/httpreply
built static with musl-gcc from the same source as the unikit image.

The kernel comes from, in this order: the cache (BUILD/linuxvm/<package>/),
an installed package (/boot/vmlinuz-V with /lib/modules/V), or
`apt-get download` + `dpkg-deb -x` into the cache (nothing is installed,
/boot is not touched, no reboot).

Kernel command line: console=ttyS0 quiet panic=-1 and the network
configuration for init (ukip=, ukgw=, ukport=). No mitigations=off or other
tuning: Debian's defaults, so the baseline is a stock kernel.
"""
import glob
import lzma
import os
import re
import shutil
import subprocess

from . import ROOT

# the VM's init program (a C file, built with musl-gcc)
INIT_C = os.path.join(ROOT, "tests", "net", "linuxvm", "init.c")
WANT = ["virtio_net", "virtio_pci", "virtio_mmio"]
MEM = 256 << 20
# sysctls for the guest (uksysctl=, applied by init): none, the baseline is
# Debian's stock configuration
SYSCTL = ""


class VMError(Exception):
    pass


def _run(cmd, what, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        raise VMError(f"{what} failed: {' '.join(cmd)}\n{p.stdout[-3000:]}{p.stderr[-3000:]}")
    return p.stdout


def kernel_package():
    """linux-image-<version>-amd64, what linux-image-amd64 depends on."""
    p = subprocess.run(["apt-cache", "depends", "linux-image-amd64"], capture_output=True, text=True)
    m = re.search(r"Depends: (linux-image-[0-9][^\s]*-amd64)\b", p.stdout)
    if not m:
        raise VMError("cannot tell which kernel linux-image-amd64 depends on "
                      "(apt-cache depends linux-image-amd64); run `apt-get update` first")
    return m.group(1)


def fetch_kernel(cache):
    """(vmlinuz, modules dir, version); downloads the package when needed."""
    for d in sorted(glob.glob(os.path.join(cache, "linux-image-*"))):
        k = sorted(glob.glob(os.path.join(d, "boot", "vmlinuz-*")))
        if k:
            ver = os.path.basename(k[-1])[len("vmlinuz-"):]
            return k[-1], os.path.join(d, "lib", "modules", ver), ver
    pkg = kernel_package()
    ver = pkg[len("linux-image-"):]
    if os.path.isfile(f"/boot/vmlinuz-{ver}") and os.path.isdir(f"/lib/modules/{ver}/kernel"):
        return f"/boot/vmlinuz-{ver}", f"/lib/modules/{ver}", ver
    dest = os.path.join(cache, pkg)
    tmp = dest + ".part"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    os.chmod(tmp, 0o755)  # apt's _apt user downloads into it
    _run(["apt-get", "download", "-q", pkg], f"apt-get download {pkg}", cwd=tmp)
    debs = glob.glob(os.path.join(tmp, "*.deb"))
    if len(debs) != 1:
        raise VMError(f"apt-get download {pkg} gave {debs or 'nothing'}")
    _run(["dpkg-deb", "-x", debs[0], tmp], "dpkg-deb -x")
    os.remove(debs[0])
    os.rename(tmp, dest)
    return os.path.join(dest, "boot", f"vmlinuz-{ver}"), os.path.join(dest, "lib", "modules", ver), ver


def module_order(moddir):
    """Module files (relative to moddir) to load, dependencies first; names
    built into the kernel are skipped."""
    deps = {}
    with open(os.path.join(moddir, "modules.dep")) as f:
        for line in f:
            k, _, v = line.partition(":")
            deps[k.strip()] = v.split()
    builtin = set()
    try:
        with open(os.path.join(moddir, "modules.builtin")) as f:
            builtin = {os.path.basename(l.strip()).split(".")[0] for l in f}
    except OSError:
        pass
    byname = {os.path.basename(k).split(".")[0].replace("-", "_"): k for k in deps}
    order = []

    def add(path, depth=0):
        if path in order or depth > 16:
            return
        # modules.dep lists all (transitive) dependencies; the last ones are
        # the deepest: load them first
        for d in reversed(deps.get(path, [])):
            add(d, depth + 1)
        order.append(path)

    for name in WANT:
        if name in builtin:
            continue
        if name not in byname:
            raise VMError(f"{moddir}: no module {name} (and it is not built in)")
        add(byname[name])
    return order


def build_initramfs(cache, moddir, cpio_newc, extra=None, name="initramfs"):
    """init + modules + static httpreply (+ `extra`: {file name in / : path},
    programs for ukexec=) as a cpio newc file CACHE/NAME.cpio; returns its
    path."""
    if not shutil.which("musl-gcc"):
        raise VMError("musl-gcc is missing: apt-get install -y musl-tools")
    root = os.path.join(cache, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "modules"))
    src = os.path.join(ROOT, "examples", "httpreply")
    _run(["musl-gcc", "-static", "-O2", "-s", "-o", os.path.join(root, "init"),
          INIT_C], "building init")
    _run(["musl-gcc", "-static", "-O2", "-s", "-o", os.path.join(root, "httpreply"),
          os.path.join(src, "main.c"), os.path.join(src, "http_parse.c")], "building httpreply")
    lines = []
    for rel in module_order(moddir):
        name = os.path.basename(rel)
        data = open(os.path.join(moddir, rel), "rb").read()
        if name.endswith(".xz"):
            data, name = lzma.decompress(data), name[:-3]
        elif name.endswith(".zst"):
            raise VMError(f"{rel}: zstd-compressed modules are not supported")
        with open(os.path.join(root, "modules", name), "wb") as f:
            f.write(data)
        lines.append(f"/modules/{name}")
    with open(os.path.join(root, "modules", "order"), "w") as f:
        f.write("\n".join(lines) + "\n")
    for fname, path in (extra or {}).items():
        shutil.copy(path, os.path.join(root, fname))
    out = os.path.join(cache, name + ".cpio")
    with open(out, "wb") as f:
        f.write(cpio_newc(root))
    return out


def prepare(cache, cpio_newc, extra=None, name="initramfs"):
    """(kernel, initramfs, version): everything the VM needs, built now
    (`extra` and `name`: see build_initramfs)."""
    os.makedirs(cache, exist_ok=True)
    kernel, moddir, ver = fetch_kernel(cache)
    initrd = build_initramfs(cache, moddir, cpio_newc, extra, name)
    return kernel, initrd, ver


def host_tsc_khz():
    """The host's TSC rate (kHz) from /proc/cpuinfo, or None."""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^cpu MHz\s*:\s*([\d.]+)", f.read(), re.M)
        return int(float(m.group(1)) * 1000) if m else None
    except OSError:
        return None


def qemu_command(kernel, initrd, machine, accel, net_args, mem=MEM, ip="10.77.0.2/24",
                 gw="10.77.0.1", port=80, sysctl=SYSCTL, exec_args=None):
    """QEMU running the VM; exec_args: [PATH, ARG...] makes init run that
    program of the initramfs instead of httpreply and power off after it
    (no network: ip, gw and port are left out)."""
    append = f"console=ttyS0 quiet panic=-1 ukip={ip} ukgw={gw} ukport={port}"
    if exec_args:
        append = f"console=ttyS0 quiet panic=-1 ukexec={exec_args[0]}"
    if sysctl:
        append += f" uksysctl={sysctl}"
    khz = host_tsc_khz()
    if machine.startswith("microvm") and accel == "tcg" and khz:
        # microvm has no PIT/HPET/ACPI PM timer to calibrate the TSC against
        # under TCG: Linux would hang at "Marking TSC unstable"; tell it the
        # rate (the TCG guest TSC runs at the host's)
        append += f" tsc_early_khz={khz}"
    if exec_args:
        # the kernel hands the words after "--" to init as its arguments
        append += " -- " + " ".join(exec_args[1:])
    cmd = ["qemu-system-x86_64", "-M", machine, "-m", f"{mem >> 20}M", "-nodefaults",
           "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot",
           "-kernel", kernel, "-initrd", initrd, "-append", append]
    cmd += ["-accel", "kvm", "-cpu", "host"] if accel == "kvm" else ["-accel", "tcg"]
    return cmd + list(net_args)
