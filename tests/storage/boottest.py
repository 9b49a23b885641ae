#!/usr/bin/env python3
"""Storage boot tests: an image under QEMU with disks and host shares, then
checks on the host side (image files, shared directories).

  boottest.py CASE --image IMAGE [--machine M] [--legacy] [--keep]

Cases:
  blk         blktest: the guest reads the host's first 4 KiB (hash
              compared), writes patterns in bursts and with FUA; the host
              finds them in the image file after the guest powered off
  blk-ro      blktest ro: a read-only disk refuses writes (EROFS); the image
              file is unchanged
  blk-refuse  virtioblk.require= names a feature QEMU does not offer: the
              device is refused with the feature's name, no disk appears

Prints the guest console and `boottest: OK` or `boottest: FAIL: why`; exit
status 0 or 1 (77 = skipped: a tool is missing). QEMU runs with TCG, like
the other boot tests' runners, so results do not depend on a KVM probe.
"""
import argparse
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import qemuargs  # noqa: E402

SKIP = 77


class Fail(Exception):
    pass


def pat(s, i):
    """blktest.c's pattern: byte i of 512-byte sector s."""
    return (s * 131 + i * 7 + 0x5a) & 0xFF


def pattern(first, nbytes):
    return bytes(pat(first + i // 512, i % 512) for i in range(nbytes))


def fnv32(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def run_guest(image, machine, args, extra, timeout=300, mem="128M", params=()):
    """Boot `image`; returns (exit status, console text)."""
    append = " ".join(list(params) + (["--"] if params else []) +
                      [shlex.quote(a) for a in args])
    cmd = ["qemu-system-x86_64", "-M", machine, "-m", mem, "-nodefaults",
           "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot",
           "-accel", "tcg", "-kernel", image,
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"] + list(extra)
    if append:
        cmd += ["-append", append]
    print("boottest: " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        sys.stdout.write((e.stdout or b"").decode(errors="replace").replace("\r", ""))
        raise Fail(f"the guest did not exit within {timeout} s")
    out = p.stdout.decode(errors="replace").replace("\r", "")
    sys.stdout.write(out)
    sys.stdout.flush()
    rc = p.returncode
    if rc & 1 and rc > 0:
        rc >>= 1  # isa-debug-exit: (status << 1) | 1
    return rc, out


def expect(out, text):
    if text not in out:
        raise Fail(f"the console lacks {text!r}")


def make_disk(path, size=64 << 20):
    head = bytes((i * 37) & 0xFF for i in range(4096))
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)
    return head


def case_blk(a, tmp):
    img = os.path.join(tmp, "disk.img")
    head = make_disk(img)
    extra = qemuargs.disk_args(a.machine, img, legacy=a.legacy) + a.mmio
    rc, out = run_guest(a.image, a.machine, [], extra)
    if a.mmio:
        expect(out, "mmio-v2")
    if rc != 0:
        raise Fail(f"blktest exited with {rc}")
    expect(out, f"blktest: host data fnv32 {fnv32(head):08x}")
    expect(out, "blktest: OK")
    with open(img, "rb") as f:
        f.seek(2048 * 512)
        got = f.read(64 * 4096)
        if got != pattern(2048, len(got)):
            raise Fail("the image lacks the pattern blktest wrote in bursts")
        f.seek(8192 * 512)
        got = f.read(1 << 20)
        if got != pattern(8192, len(got)):
            raise Fail("the image lacks the 1 MiB blktest wrote with FUA")
        f.seek(0)
        if f.read(4096) != head:
            raise Fail("the host's first 4 KiB changed")
    print("boottest: the host finds both patterns in the image file")


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def case_blk_ro(a, tmp):
    img = os.path.join(tmp, "disk.img")
    head = make_disk(img)
    before = digest(img)
    os.chmod(img, 0o444)
    extra = qemuargs.disk_args(a.machine, img, ro=True, legacy=a.legacy)
    rc, out = run_guest(a.image, a.machine, ["ro"], extra)
    if rc != 0:
        raise Fail(f"blktest ro exited with {rc}")
    expect(out, f"blktest: host data fnv32 {fnv32(head):08x}")
    expect(out, "blktest: write to the read-only disk: EROFS")
    if digest(img) != before:
        raise Fail("the read-only image changed")
    print("boottest: the read-only image is unchanged")


def case_blk_refuse(a, tmp):
    img = os.path.join(tmp, "disk.img")
    make_disk(img, 1 << 20)
    extra = qemuargs.disk_args(a.machine, img, legacy=a.legacy)
    # bit 15: VIRTIO_BLK_F_LIFETIME, which QEMU does not offer
    rc, out = run_guest(a.image, a.machine, ["none"], extra,
                        params=["virtioblk.require=0x8000"])
    if rc != 0:
        raise Fail(f"blktest none exited with {rc} (a disk appeared?)")
    expect(out, "does not offer VIRTIO_BLK_F_LIFETIME, which this driver requires")
    expect(out, "blktest: 0 block devices")


CASES = {"blk": case_blk, "blk-ro": case_blk_ro, "blk-refuse": case_blk_refuse}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("--image", required=True)
    p.add_argument("--machine", default="microvm")
    p.add_argument("--legacy", action="store_true")
    p.add_argument("--mmio-modern", action="store_true",
                   help="microvm: virtio-mmio version 2 devices (QEMU's default is version 1)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = p.parse_args()
    if not shutil.which("qemu-system-x86_64"):
        print("boottest: SKIP: qemu-system-x86_64 missing")
        return SKIP
    a.mmio = qemuargs.mmio_modern() if a.mmio_modern else []
    tmp = tempfile.mkdtemp(prefix="unikit-storage-")
    try:
        CASES[a.case](a, tmp)
    except Fail as e:
        print(f"boottest: FAIL: {e}")
        return 1
    finally:
        if a.keep:
            print(f"boottest: files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("boottest: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
