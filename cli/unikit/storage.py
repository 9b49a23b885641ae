"""Storage for `unikit run --disk/--share` and `unikit mkdisk`: QEMU options
for virtio-blk disks and virtio-9p shares (also used by the storage boot
tests and `bench blk`), the vfs.mount= parameters that mount them, and ext2
images made from a directory with e2fsprogs' mke2fs -d.

The device follows the machine: virtio-mmio devices on microvm and arm64's
virt (virtio-blk-device, virtio-9p-device), virtio-pci on q35 and pc
(virtio-blk-pci, virtio-9p-pci). `legacy` asks for the legacy interface
(pci: disable-modern=on; microvm: QEMU 7.2's virtio-mmio is legacy (version
1) unless `-global virtio-mmio.force-legacy=false`, see mmio_modern()).
"""
import os
import re
import shutil
import subprocess

from .errors import UserError, say

SECURITY_MODELS = ("none", "mapped-xattr", "mapped-file", "passthrough")
# what a 9P mount tag may be (QEMU: up to 31 bytes; we keep it simple)
TAG_RE = re.compile(r"[A-Za-z0-9_.-]{1,31}$")


def is_mmio(machine, v=None):
    from .qemu import is_mmio as vmm_mmio
    return vmm_mmio(machine, v)


def parse_disk(spec):
    """--disk FILE[,ro][,mount=PATH]: (path, read_only, mount point or None).
    Raises ValueError with a reason."""
    path, *opts = spec.split(",")
    ro, mount = False, None
    for o in opts:
        if o in ("ro", "readonly"):
            ro = True
        elif o.startswith("mount="):
            mount = o[6:]
            if not mount.startswith("/") or any(c in mount for c in " :'\"\\"):
                raise ValueError(f"--disk {spec!r}: mount= needs an absolute path without "
                                 "spaces, colons or quotes")
        elif o:
            raise ValueError(f"--disk {spec!r}: unknown option {o!r} (allowed: ro, mount=PATH)")
    if not path:
        raise ValueError(f"--disk {spec!r}: no file named")
    if not os.path.isfile(path):
        raise ValueError(f"--disk {path}: no such file (make one with `./unikit mkdisk DIR FILE`)")
    if not ro and not os.access(path, os.W_OK):
        raise ValueError(f"--disk {path}: not writable (add ,ro for a read-only disk)")
    return os.path.abspath(path), ro, mount


def disk_args(machine, path, ro=False, index=0, legacy=False, v=None):
    """-drive/-device for disk number `index` (the guest names it vda, vdb,
    ... in the order given)."""
    drive = f"file={path},format=raw,if=none,id=disk{index},cache=writeback"
    if ro:
        drive += ",readonly=on"
    if is_mmio(machine, v):
        dev = "virtio-blk-device"
    else:
        dev = "virtio-blk-pci" + (",disable-modern=on" if legacy else "")
    return ["-drive", drive, "-device", f"{dev},drive=disk{index}"]


def parse_share(spec, index=0):
    """--share HOSTDIR[:GUESTPATH]: (hostdir, guestpath, tag)."""
    host, sep, guest = spec.partition(":")
    if not host:
        raise ValueError(f"--share {spec!r}: no host directory named")
    if not os.path.isdir(host):
        raise ValueError(f"--share {host}: not a directory")
    guest = guest if sep else "/share" if index == 0 else f"/share{index}"
    if not guest.startswith("/") or any(c in guest for c in " :'\"\\"):
        raise ValueError(f"--share {spec!r}: the guest path must be absolute, without spaces, "
                         "colons or quotes")
    return os.path.abspath(host), guest, f"share{index}"


def share_args(machine, hostdir, tag, index=0, security_model="none", legacy=False,
               readonly=False, v=None):
    """-fsdev/-device for a virtio-9p share of `hostdir` under `tag`."""
    if security_model not in SECURITY_MODELS:
        raise ValueError(f"security model {security_model!r}: use one of {', '.join(SECURITY_MODELS)}")
    if not TAG_RE.match(tag):
        raise ValueError(f"mount tag {tag!r}: 1-31 letters, digits, '_', '.', '-'")
    fsdev = f"local,id=fs{index},path={hostdir},security_model={security_model}"
    if readonly:
        fsdev += ",readonly=on"
    if is_mmio(machine, v):
        dev = "virtio-9p-device"
    else:
        dev = "virtio-9p-pci" + (",disable-modern=on" if legacy else "")
    return ["-fsdev", fsdev, "-device", f"{dev},fsdev=fs{index},mount_tag={tag}"]


def mmio_modern():
    """Options for virtio-mmio version 2 devices on microvm."""
    return ["-global", "virtio-mmio.force-legacy=false"]


def run_args(machine, disks, shares, legacy=False, v=None):
    """QEMU options and library parameters for `run --disk/--share`: disks
    become vda, vdb, ... in order (mounted as ext2 where mount= says),
    shares share0, share1, ... mounted by 9pfs at their guest paths."""
    extra, params = [], []
    if len(disks) > 26:
        raise UserError("--disk: at most 26 disks")
    for i, spec in enumerate(disks):
        try:
            path, ro, mount = parse_disk(spec)
        except ValueError as e:
            raise UserError(str(e))
        extra += disk_args(machine, path, ro=ro, index=i, legacy=legacy, v=v)
        if mount:
            params.append(f"vfs.mount=ext2:vd{chr(97 + i)}:{mount}" + (":ro" if ro else ""))
    seen = set()
    for i, spec in enumerate(shares):
        try:
            host, guest, tag = parse_share(spec, i)
        except ValueError as e:
            raise UserError(str(e))
        if guest in seen:
            raise UserError(f"--share {spec!r}: {guest} is the mount point of another share")
        seen.add(guest)
        extra += share_args(machine, host, tag, index=i, legacy=legacy, v=v)
        params.append(f"vfs.mount=9pfs:{tag}:{guest}")
    return extra, params


def e2fsprogs(name):
    """Path of an e2fsprogs tool (they live in /usr/sbin, often not in PATH)."""
    for p in (shutil.which(name), f"/usr/sbin/{name}", f"/sbin/{name}"):
        if p and os.access(p, os.X_OK):
            return p
    raise UserError(f"{name} is missing; install e2fsprogs:\n    apt-get install -y e2fsprogs")


def parse_size(s):
    m = re.fullmatch(r"(\d+)([KMG]?)(i?B)?", s.strip(), re.I)
    if not m:
        raise UserError(f"--size {s!r}: use a size like 64M or 2G")
    n = int(m.group(1)) * {"": 1 << 20, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2).upper()]
    if n < (1 << 20):
        raise UserError(f"--size {s!r}: at least 1M")
    return n


def tree_bytes(d):
    total = 0
    for dirpath, dirnames, files in os.walk(d):
        total += 4096 * (1 + len(dirnames))
        for f in files:
            try:
                st = os.lstat(os.path.join(dirpath, f))
            except OSError:
                continue
            total += (st.st_size + 4095) // 4096 * 4096 + 256
    return total


def cmd_mkdisk(a):
    """`unikit mkdisk DIR FILE [--size N]`: an ext2 image of DIR."""
    if not os.path.isdir(a.dir):
        raise UserError(f"not a directory: {a.dir}")
    if os.path.exists(a.file) and not a.force:
        raise UserError(f"{a.file} exists (--force replaces it)")
    need = tree_bytes(a.dir)
    size = parse_size(a.size) if a.size else max(8 << 20, (need * 3 // 2 + (16 << 20)) >> 20 << 20)
    if size < need:
        raise UserError(f"--size {a.size}: {a.dir} needs about {need >> 20} MiB")
    cmd = [e2fsprogs("mke2fs"), "-q", "-F", "-t", "ext2", "-L", "unikit", "-d", a.dir, a.file,
           f"{size >> 10}K"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        raise UserError(f"mke2fs failed (exit {p.returncode}): {p.stderr.strip() or p.stdout.strip()}")
    p = subprocess.run([e2fsprogs("e2fsck"), "-fn", a.file], capture_output=True, text=True)
    if p.returncode:
        raise UserError(f"e2fsck -fn {a.file} found problems in the new image:\n{p.stdout}")
    say(f"{a.file}: ext2, {size >> 20} MiB, made from {a.dir} (mke2fs -d); "
        f"use it with: ./unikit run APP --disk {a.file},mount=/data")
    print(a.file)
    return 0
