#!/usr/bin/env python3
"""The Linux VM's module order without depmod (Debian's kernel package ships
no modules.dep): each module's .modinfo depends= field, in .ko and .ko.xz
files, on a made-up module tree; bad ELF files give one specific error.
Usage: linuxvm_check.py UNIKIT_ROOT"""
import lzma
import os
import struct
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.abspath(sys.argv[1]), "cli"))
from unikit import linuxvm  # noqa: E402

fails = 0


def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what)
    fails += 0 if ok else 1


def elf(modinfo):
    """A minimal ELF64 LE relocatable with .shstrtab and .modinfo."""
    shstr = b"\0.shstrtab\0.modinfo\0"
    info = b"".join(f"{k}={v}".encode() + b"\0" for k, v in modinfo)
    off_str = 64
    off_info = off_str + len(shstr)
    shoff = (off_info + len(info) + 7) & ~7
    hdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIQQQIHHHHHH", 1, 62, 1, 0, 0, shoff, 0, 64, 0, 0, 64, 3, 1)
    body = hdr + shstr + info
    body += bytes(shoff - len(body))
    sh = bytes(64)
    sh += struct.pack("<IIQQQQIIQQ", 1, 3, 0, 0, off_str, len(shstr), 0, 0, 1, 0)
    sh += struct.pack("<IIQQQQIIQQ", 11, 1, 0, 0, off_info, len(info), 0, 0, 1, 0)
    return body + sh


with tempfile.TemporaryDirectory() as tmp:
    mods = {"virtio_net": "net_failover,virtio,virtio_ring", "net_failover": "failover",
            "failover": "", "virtio": "", "virtio_ring": "", "virtio_pci": "virtio_pci_modern_dev,virtio,virtio_ring",
            "virtio_pci_modern_dev": "", "virtio_mmio": "virtio,virtio_ring"}
    d = os.path.join(tmp, "kernel", "drivers")
    os.makedirs(d)
    for i, (n, deps) in enumerate(mods.items()):
        data = elf([("license", "GPL"), ("depends", deps), ("name", n)])
        if i % 2:
            open(os.path.join(d, n + ".ko.xz"), "wb").write(lzma.compress(data))
        else:
            open(os.path.join(d, n + ".ko"), "wb").write(data)
    open(os.path.join(tmp, "modules.builtin"), "w").write("kernel/drivers/virtio/virtio_mmio.ko\n")
    order = [os.path.basename(p).split(".")[0] for p in linuxvm.module_order(tmp)]
    print("order:", order)
    pos = {n: i for i, n in enumerate(order)}
    check("virtio_mmio" not in pos, "a built-in module is not loaded")
    check(set(order) == set(mods) - {"virtio_mmio"}, "every wanted module and its dependencies, once")
    check(all(pos[dep] < pos[n] for n, deps in mods.items() if n in pos
              for dep in deps.split(",") if dep), "dependencies first")
    check(linuxvm.elf_modinfo(elf([("depends", "")]))["depends"] == [""], "empty depends=")
    for bad, what in ((b"MZ" + bytes(100), "not a 64-bit little-endian ELF"),
                      (elf([("a", "b")])[:100], "bad ELF section table")):
        try:
            linuxvm.elf_modinfo(bad, "x.ko")
            check(False, f"refused: {what}")
        except linuxvm.VMError as e:
            check(what in str(e), f"refused with one line: {e}")
    os.remove(os.path.join(d, "failover.ko"))
    try:
        linuxvm.module_order(tmp)
        check(False, "a missing dependency is reported")
    except linuxvm.VMError as e:
        check("no module failover (needed by virtio_net -> net_failover)" in str(e), f"missing: {e}")
print(f"{fails} failed" if fails else "all passed")
sys.exit(1 if fails else 0)
