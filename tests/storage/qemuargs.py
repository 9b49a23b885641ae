"""QEMU options for storage devices, shared by `./unikit run --disk/--share`
and the storage boot tests and benchmarks.

The device follows the machine: virtio-mmio devices on microvm
(virtio-blk-device, virtio-9p-device), virtio-pci on q35 and pc
(virtio-blk-pci, virtio-9p-pci). `legacy` asks for the legacy interface
(pci: disable-modern=on; microvm: QEMU 7.2's virtio-mmio is legacy (version
1) unless `-global virtio-mmio.force-legacy=false`, see mmio_modern()).
"""
import os
import re

SECURITY_MODELS = ("none", "mapped-xattr", "mapped-file", "passthrough")
# what a 9P mount tag may be (QEMU: up to 31 bytes; we keep it simple)
TAG_RE = re.compile(r"[A-Za-z0-9_.-]{1,31}$")


def is_mmio(machine):
    return machine.split(",", 1)[0] == "microvm"


def parse_disk(spec):
    """--disk FILE[,ro]: (path, read_only). Raises ValueError with a reason."""
    path, *opts = spec.split(",")
    ro = False
    for o in opts:
        if o in ("ro", "readonly"):
            ro = True
        elif o:
            raise ValueError(f"--disk {spec!r}: unknown option {o!r} (allowed: ro)")
    if not path:
        raise ValueError(f"--disk {spec!r}: no file named")
    if not os.path.isfile(path):
        raise ValueError(f"--disk {path}: no such file (make one with `./unikit mkdisk DIR FILE`)")
    if not ro and not os.access(path, os.W_OK):
        raise ValueError(f"--disk {path}: not writable (add ,ro for a read-only disk)")
    return os.path.abspath(path), ro


def disk_args(machine, path, ro=False, index=0, legacy=False):
    """-drive/-device for disk number `index` (the guest names it vda, vdb,
    ... in the order given)."""
    drive = f"file={path},format=raw,if=none,id=disk{index},cache=writeback"
    if ro:
        drive += ",readonly=on"
    if is_mmio(machine):
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
               readonly=False):
    """-fsdev/-device for a virtio-9p share of `hostdir` under `tag`."""
    if security_model not in SECURITY_MODELS:
        raise ValueError(f"security model {security_model!r}: use one of {', '.join(SECURITY_MODELS)}")
    if not TAG_RE.match(tag):
        raise ValueError(f"mount tag {tag!r}: 1-31 letters, digits, '_', '.', '-'")
    fsdev = f"local,id=fs{index},path={hostdir},security_model={security_model}"
    if readonly:
        fsdev += ",readonly=on"
    if is_mmio(machine):
        dev = "virtio-9p-device"
    else:
        dev = "virtio-9p-pci" + (",disable-modern=on" if legacy else "")
    return ["-fsdev", fsdev, "-device", f"{dev},fsdev=fs{index},mount_tag={tag}"]


def mmio_modern():
    """Options for virtio-mmio version 2 devices on microvm."""
    return ["-global", "virtio-mmio.force-legacy=false"]
