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

`bench nginx` and `bench redis` run Debian's own server packages instead
of httpreply: fetch_package() unpacks a package into the cache the same
way, add_program() copies its binary with the shared libraries ldd
resolves on this (Debian) host, the initramfs gets that tree, and init
execs the server (ukrun=PATH, its arguments after "--").
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
SYSBENCH_C = os.path.join(ROOT, "tests", "bench", "sysbench.c")
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
    _download(pkg, dest)
    return os.path.join(dest, "boot", f"vmlinuz-{ver}"), os.path.join(dest, "lib", "modules", ver), ver


def _download(pkg, dest):
    """`apt-get download pkg` unpacked with dpkg-deb -x into dest (made
    under dest.part, renamed when complete)."""
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


def fetch_package(cache, pkg):
    """(directory, version): Debian package `pkg`'s files as the package
    ships them (the version apt would install), unpacked into
    CACHE/debs/<pkg>_<version>/ once; nothing is installed."""
    p = subprocess.run(["apt-cache", "show", "--no-all-versions", pkg], capture_output=True,
                       text=True)
    m = re.search(r"^Version: (\S+)$", p.stdout, re.M)
    if p.returncode or not m:
        raise VMError(f"apt knows no package {pkg} (apt-cache show {pkg}); run `apt-get update` "
                      f"first")
    ver = m.group(1)
    dest = os.path.join(cache, "debs", f"{pkg}_{ver.replace(':', '%3a')}")
    if not os.path.isdir(dest):
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        _download(f"{pkg}={ver}", dest)
    return dest, ver


def add_program(root, binary, dest):
    """Put the dynamically linked program `binary` at ROOT/dest with the
    shared libraries and the loader ldd resolves for it at the same paths
    as on this host (Debian's, from the same archive); returns the
    libraries' paths."""
    p = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if p.returncode:
        raise VMError(f"ldd {binary} failed: {(p.stdout + p.stderr).strip()[-500:]}")
    libs = []
    for line in p.stdout.splitlines():
        line = line.strip()
        if "not found" in line:
            raise VMError(f"{binary} needs {line.split()[0]}, which this host does not have "
                          f"(install the Debian package that ships it)")
        m = re.match(r"(?:\S+ => )?(/\S+) \(0x[0-9a-f]+\)$", line)
        if m:
            libs.append(m.group(1))
        elif line and not line.startswith("linux-vdso"):
            raise VMError(f"ldd {binary}: cannot read the line {line!r}")
    for path in [binary] + libs:
        out = os.path.join(root, (dest if path == binary else path).lstrip("/"))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        shutil.copy(path, out)  # the file itself, not a symlink to it
    return libs


def elf_modinfo(data, what="module"):
    """{key: [values]} from a kernel module's .modinfo section (NUL-separated
    key=value strings), read from the ELF64 little-endian section table."""
    import struct
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise VMError(f"{what}: not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    if shentsize < 64 or shstrndx >= shnum or shoff + shnum * shentsize > len(data):
        raise VMError(f"{what}: bad ELF section table")

    def sect(i):
        _, _, _, _, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        if off + size > len(data):
            raise VMError(f"{what}: section {i} lies beyond the file")
        return off, size

    stroff, strsize = sect(shstrndx)
    for i in range(shnum):
        name_off, = struct.unpack_from("<I", data, shoff + i * shentsize)
        if name_off >= strsize:
            continue
        end = data.find(b"\0", stroff + name_off, stroff + strsize)
        if data[stroff + name_off:end] == b".modinfo":
            off, size = sect(i)
            info = {}
            for kv in data[off:off + size].split(b"\0"):
                k, eq, v = kv.partition(b"=")
                if eq:
                    info.setdefault(k.decode(errors="replace"), []).append(v.decode(errors="replace"))
            return info
    raise VMError(f"{what}: no .modinfo section")


def read_module(path):
    """A module file's bytes, decompressed (.ko, .ko.xz; .ko.zst refused)."""
    data = open(path, "rb").read()
    if path.endswith(".xz"):
        return lzma.decompress(data)
    if path.endswith(".zst"):
        raise VMError(f"{path}: zstd-compressed modules are not supported")
    return data


def _modname(path):
    return os.path.basename(path).split(".")[0].replace("-", "_")


def module_order(moddir, want=None):
    """Module files (relative to moddir) to load, dependencies first; names
    built into the kernel are skipped; `want`: the modules (default WANT).
    Without depmod: the package ships no
    modules.dep (depmod makes it at install time), so each module's own
    .modinfo `depends=` field gives its dependencies."""
    files = {}
    for dirpath, _, names in os.walk(os.path.join(moddir, "kernel")):
        for n in names:
            if n.endswith((".ko", ".ko.xz", ".ko.zst")):
                rel = os.path.relpath(os.path.join(dirpath, n), moddir)
                files.setdefault(_modname(rel), rel)
    if not files:
        raise VMError(f"{moddir}: no kernel modules (.ko, .ko.xz) under kernel/")
    builtin = set()
    try:
        with open(os.path.join(moddir, "modules.builtin")) as f:
            builtin = {_modname(l.strip()) for l in f if l.strip()}
    except OSError:
        pass
    order, state = [], {}

    def add(name, chain):
        name = name.replace("-", "_")
        if name in builtin or state.get(name) == "done":
            return
        if state.get(name) == "busy":
            raise VMError("module dependency cycle: " + " -> ".join(chain + [name]))
        if name not in files:
            raise VMError(f"{moddir}: no module {name} (needed by {' -> '.join(chain) or 'the VM'}) "
                          f"and it is not built in")
        if len(chain) > 32:
            raise VMError("module dependencies deeper than 32: " + " -> ".join(chain))
        state[name] = "busy"
        info = elf_modinfo(read_module(os.path.join(moddir, files[name])), files[name])
        for dep in ",".join(info.get("depends", [])).split(","):
            if dep.strip():
                add(dep.strip(), chain + [name])
        state[name] = "done"
        order.append(files[name])

    for name in want or WANT:
        add(name, [])
    return order


def build_initramfs(cache, moddir, cpio_newc, extra=None, name="initramfs", tree=None):
    """init + modules + static httpreply (+ `extra`: {file name in / : path},
    programs for ukexec=; + `tree`: a directory whose contents go into / as
    they are, e.g. a server for ukrun= and its files) as a cpio newc file
    CACHE/NAME.cpio; returns its path."""
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
    # `bench syscall`'s program (run with ukexec=/sysbench)
    _run(["musl-gcc", "-static", "-O2", "-s", "-o", os.path.join(root, "sysbench"), SYSBENCH_C],
         "building sysbench")
    lines = []
    for rel in module_order(moddir):
        mod = os.path.basename(rel)
        data = read_module(os.path.join(moddir, rel))
        if mod.endswith(".xz"):
            mod = mod[:-3]
        with open(os.path.join(root, "modules", mod), "wb") as f:
            f.write(data)
        lines.append(f"/modules/{mod}")
    with open(os.path.join(root, "modules", "order"), "w") as f:
        f.write("\n".join(lines) + "\n")
    for fname, path in (extra or {}).items():
        shutil.copy(path, os.path.join(root, fname))
    if tree:
        shutil.copytree(tree, root, symlinks=True, dirs_exist_ok=True)
    out = os.path.join(cache, name + ".cpio")
    with open(out, "wb") as f:
        f.write(cpio_newc(root))
    return out


def prepare(cache, cpio_newc, extra=None, name="initramfs", tree=None):
    """(kernel, initramfs, version): everything the VM needs, built now
    (`extra`, `name` and `tree`: see build_initramfs)."""
    os.makedirs(cache, exist_ok=True)
    kernel, moddir, ver = fetch_kernel(cache)
    initrd = build_initramfs(cache, moddir, cpio_newc, extra, name, tree)
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
                 gw="10.77.0.1", port=80, sysctl=SYSCTL, extra="", icount=False, exec_args=None,
                 run_args=None):
    """The VM's QEMU command. `extra`: more kernel parameters (e.g.
    mitigations=off); `icount`: -icount shift=0 (the TSC counts guest
    instructions, at 1 GHz); exec_args: [PATH, ARG...] makes init run that
    program of the initramfs instead of httpreply and power off after it
    (no network: ip, gw and port are left out); run_args: [PATH, ARG...]
    makes init exec that program in place of httpreply, after configuring
    the network (a server: ukport= means nothing to it)."""
    append = f"console=ttyS0 quiet panic=-1 ukip={ip} ukgw={gw} ukport={port}"
    if run_args:
        append = f"console=ttyS0 quiet panic=-1 ukip={ip} ukgw={gw} ukrun={run_args[0]}"
        exec_args = None
    if exec_args:
        append = f"console=ttyS0 quiet panic=-1 ukexec={exec_args[0]}"
    if sysctl:
        append += f" uksysctl={sysctl}"
    if extra:
        append += " " + extra
    khz = 1000000 if icount else host_tsc_khz()
    if machine.startswith("microvm") and accel == "tcg" and khz:
        # microvm has no PIT/HPET/ACPI PM timer to calibrate the TSC against
        # under TCG: Linux would hang at "Marking TSC unstable"; tell it the
        # rate (the TCG guest TSC runs at the host's)
        append += f" tsc_early_khz={khz}"
    if exec_args or run_args:
        # the kernel hands the words after "--" to init as its arguments
        append += " -- " + " ".join((exec_args or run_args)[1:])
    cmd = ["qemu-system-x86_64", "-M", machine, "-m", f"{mem >> 20}M", "-nodefaults",
           "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot",
           "-kernel", kernel, "-initrd", initrd, "-append", append]
    cmd += ["-accel", "kvm", "-cpu", "host"] if accel == "kvm" else ["-accel", "tcg"]
    if icount:
        cmd += ["-icount", "shift=0"]
    return cmd + list(net_args)


def cpu_report(text):
    """(cpu model, {vulnerability: state}) from init's report lines."""
    m = re.search(r"^init: cpu: (.*)$", text, re.M)
    vulns = dict(re.findall(r"^init: vulnerability (\S+): (.*)$", text, re.M))
    return (m.group(1).strip() if m else None), vulns
