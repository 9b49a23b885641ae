#!/usr/bin/env python3
"""Storage boot tests: an image under QEMU with disks and host shares, then
checks on the host side (image files, shared directories).

  boottest.py CASE --image IMAGE [--machine M] [--legacy] [--keep]

Cases (blktest):
  blk         blktest: the guest reads the host's first 4 KiB (hash
              compared), writes patterns in bursts and with FUA; the host
              finds them in the image file after the guest powered off
  blk-ro      blktest ro: a read-only disk refuses writes (EROFS); the image
              file is unchanged
  blk-refuse  virtioblk.require= names a feature QEMU does not offer: the
              device is refused with the feature's name, no disk appears
Cases (fstest):
  9p          a host directory shared over virtio-9p, mounted by vfs.mount=
              at --target: the host finds what the guest wrote (small, big,
              sparse, many files, rename, unlink, symlink); a second boot
              reads it all back
  9p-ro       the share mounted ro, then exported read-only by QEMU (the
              server's EROFS): reads work, changes fail, the share is intact
  mount-errors  unknown tag, unknown type, malformed spec, bad option: the
              boot stops (123) with the reason
  ext2        an ext2 disk made by mke2fs -d, mounted by vfs.mount=: after the
              guest powered off (no unmount) e2fsck -fn is clean and debugfs
              finds what the guest wrote; a second boot reads it back
  ext2-ro     a read-only disk, then the ro option: EROFS, image unchanged
  ext2-enospc a 4 MiB disk filled: ENOSPC, earlier data intact, e2fsck clean
  ext2-bad    corrupt superblock, truncated image, bad geometry, missing
              device: the boot stops (123) with the reason, nothing written

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
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "cli"))
from unikit import storage as qemuargs  # noqa: E402

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


# ---- filesystems (fstest) ----

BLK = 4096


def big_block(b):
    """fstest.c's block b of big.bin."""
    head = f"blk {b:010d}\n ".encode()
    return head + bytes(((b * 7 + i) & 0xFF) for i in range(16, BLK))


def check_big(data, mb):
    nblk = mb * 256
    if len(data) != nblk * BLK:
        raise Fail(f"big.bin is {len(data)} bytes, not {nblk * BLK}")
    tails = {}
    for b in range(nblk):
        off = b * BLK
        if data[off:off + 16] != f"blk {b:010d}\n ".encode():
            raise Fail(f"big.bin: block {b} has the wrong header")
        k = (b * 7) & 0xFF
        if k not in tails:
            tails[k] = big_block(b)[16:]
        if data[off + 16:off + BLK] != tails[k]:
            raise Fail(f"big.bin: block {b} differs")


def host_tree(root):
    """What fstest expects to find made by the host."""
    os.makedirs(os.path.join(root, "host"), exist_ok=True)
    with open(os.path.join(root, "host", "hello.txt"), "w") as f:
        f.write("made on the host\n")
    with open(os.path.join(root, "host", "big.bin"), "wb") as f:
        f.write(os.urandom(100000))


class Tree:
    """Read access to what the guest wrote: a host directory (9p) or an
    ext2 image through debugfs."""

    def __init__(self, root):
        self.root = root

    def read(self, rel):
        with open(os.path.join(self.root, rel), "rb") as f:
            return f.read()

    def exists(self, rel):
        return os.path.lexists(os.path.join(self.root, rel))

    def readlink(self, rel):
        path = os.path.join(self.root, rel)
        if os.path.islink(path):
            return os.readlink(path)
        # security_model=mapped-*: a file holding the target, its mode in
        # an extended attribute
        try:
            mode = int.from_bytes(os.getxattr(path, "user.virtfs.mode"), "little")
        except OSError:
            mode = 0
        if mode & 0o170000 != 0o120000:
            raise Fail(f"{rel} is neither a symlink nor a mapped one")
        return self.read(rel).decode()

    def listdir(self, rel):
        return os.listdir(os.path.join(self.root, rel))

    def size_blocks(self, rel):
        st = os.lstat(os.path.join(self.root, rel))
        return st.st_size, st.st_blocks


def check_written(tree, big, many, hole):
    """The host's side of `fstest write`."""
    if tree.read("guest/small.txt") != b"written in the image\n":
        raise Fail("guest/small.txt is wrong or missing")
    if tree.read("guest/after-rename") != b"renamed\n":
        raise Fail("guest/after-rename is wrong or missing")
    for gone in ("guest/before-rename", "guest/gone"):
        if tree.exists(gone):
            raise Fail(f"{gone} should not exist")
    if tree.readlink("guest/link") != "small.txt":
        raise Fail("guest/link is not a symlink to small.txt")
    check_big(tree.read("guest/big.bin"), big)
    size, blocks = tree.size_blocks("guest/sparse.bin")
    if size != (hole << 20) + 3:
        raise Fail(f"sparse.bin is {size} bytes")
    if blocks * 512 > 1 << 20:
        raise Fail(f"sparse.bin has {blocks} blocks allocated: the hole was filled")
    sp = tree.read("guest/sparse.bin")
    if sp[:5] != b"start" or sp[-3:] != b"end" or sp[5:-3].count(0) != len(sp) - 8:
        raise Fail("sparse.bin's contents are wrong")
    names = sorted(tree.listdir("guest/many"))
    names = [n for n in names if n not in (".", "..")]
    if names != [f"f{i:06d}" for i in range(many)]:
        raise Fail(f"guest/many holds {len(names)} files, not the {many} expected")
    for i in range(0, many, many // 50 + 1):
        if tree.read(f"guest/many/f{i:06d}") != f"file {i}\n".encode():
            raise Fail(f"guest/many/f{i:06d} is wrong")
    print(f"boottest: the host finds everything fstest wrote ({big} MiB file, a {hole} MiB "
          f"hole, {many} files)")


def p9_args(a, share, ro=False):
    return qemuargs.share_args(a.machine, share, "share0", security_model=a.security_model,
                               legacy=a.legacy, readonly=ro) + a.mmio


def case_9p(a, tmp):
    share = os.path.join(tmp, "share")
    host_tree(share)
    target = a.target
    params = [f"vfs.mount=9pfs:share0:{target}" + (f":msize={a.msize}" if a.msize else "")]
    args = ["write", target, f"big={a.big}", f"many={a.many}", f"hole={a.hole}"]
    rc, out = run_guest(a.image, a.machine, args, p9_args(a, share), params=params,
                        mem="256M")
    if rc != 0:
        raise Fail(f"fstest write exited with {rc}")
    expect(out, "fstest: OK")
    check_written(Tree(share), a.big, a.many, a.hole)
    # a second boot reads it all back (and the host's files again)
    args[0] = "verify"
    rc, out = run_guest(a.image, a.machine, args, p9_args(a, share), params=params,
                        mem="256M")
    if rc != 0:
        raise Fail(f"fstest verify exited with {rc}")
    expect(out, "fstest: everything written before is there")


def case_9p_ro(a, tmp):
    """Read-only twice: the mount option (refused in the image), and a share
    QEMU exports read-only (refused by the server: Rlerror EROFS)."""
    share = os.path.join(tmp, "share")
    host_tree(share)
    for params, ro in ((["vfs.mount=9pfs:share0:/mnt:ro"], False),
                       (["vfs.mount=9pfs:share0:/mnt"], True)):
        rc, out = run_guest(a.image, a.machine, ["readonly", "/mnt"], p9_args(a, share, ro),
                            params=params)
        if rc != 0:
            raise Fail(f"fstest readonly exited with {rc} ({'server' if ro else 'mount option'})")
        expect(out, "fstest: read-only: reads work, changes fail with EROFS")
    if sorted(os.listdir(share)) != ["host"] or sorted(os.listdir(os.path.join(share, "host"))) \
            != ["big.bin", "hello.txt"]:
        raise Fail("the read-only share changed")


def case_mount_errors(a, tmp):
    """Mount parameters that cannot work stop the boot with a reason."""
    share = os.path.join(tmp, "share")
    host_tree(share)
    for param, msg in (
            ("vfs.mount=9pfs:nosuch:/mnt",
             "9pfs: no 9P device with mount tag 'nosuch' (tags: share0)"),
            ("vfs.mount=zfs:share0:/mnt", "unknown filesystem type 'zfs' (this image has: "),
            ("vfs.mount=9pfs:share0", "expected TYPE:SOURCE:TARGET[:OPTIONS]"),
            ("vfs.mount=9pfs:share0:/mnt:msize=abc", "9pfs: option 'msize=abc': not a number")):
        rc, out = run_guest(a.image, a.machine, ["readonly", "/mnt"], p9_args(a, share),
                            params=[param])
        if rc != 123:
            raise Fail(f"{param}: exit status {rc}, not 123 (boot stopped)")
        expect(out, msg)
        if "fstest:" in out:
            raise Fail(f"{param}: the app ran")


# ---- ext2 disks ----

def tool(name):
    for d in ("", "/usr/sbin/", "/sbin/"):
        p = shutil.which(d + name) if not d else (d + name if os.access(d + name, os.X_OK) else None)
        if p:
            return p
    return None


class Skip(Exception):
    pass


def mkdisk(tmp, size="256M", tree=True, extra=()):
    mke2fs = tool("mke2fs")
    if not mke2fs:
        raise Skip("mke2fs (e2fsprogs) missing")
    src = os.path.join(tmp, "src")
    os.makedirs(src, exist_ok=True)
    if tree:
        host_tree(src)
    img = os.path.join(tmp, "disk.img")
    p = subprocess.run([mke2fs, "-q", "-F", "-t", "ext2", *extra, "-d", src, img, size],
                       capture_output=True, text=True)
    if p.returncode:
        raise Fail(f"mke2fs failed: {p.stderr.strip()}")
    return img


def fsck(img, must_be_clean=True):
    p = subprocess.run([tool("e2fsck"), "-fn", img], capture_output=True, text=True)
    if must_be_clean and p.returncode != 0:
        raise Fail(f"e2fsck -fn {img}: exit {p.returncode}\n{p.stdout}{p.stderr}")
    if must_be_clean:
        print(f"boottest: e2fsck -fn: clean ({p.stdout.strip().splitlines()[-1]})")
    return p.returncode


def debugfs(img, cmd):
    p = subprocess.run([tool("debugfs"), "-R", cmd, img], capture_output=True, text=True)
    return p.stdout


class ExtTree(Tree):
    """The guest's tree as debugfs sees it: rdump'd once into a
    directory for contents, debugfs stat for allocation."""

    def __init__(self, img, tmp, sub="guest"):
        out = os.path.join(tmp, "rdump")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        p = subprocess.run([tool("debugfs"), "-R", f"rdump /{sub} {out}", img],
                           capture_output=True, text=True)
        if not os.path.isdir(os.path.join(out, sub)):
            raise Fail(f"debugfs rdump /{sub}: {p.stderr.strip()}")
        super().__init__(out)
        self.img = img

    def size_blocks(self, rel):
        st = debugfs(self.img, f"stat /{rel}")
        import re
        size = re.search(r"Size: (\d+)", st)
        count = re.search(r"Blockcount: (\d+)", st)
        if not size or not count:
            raise Fail(f"debugfs stat /{rel}: {st[:200]}")
        return int(size.group(1)), int(count.group(1))


def disk_args(a, img, ro=False):
    return qemuargs.disk_args(a.machine, img, ro=ro, legacy=a.legacy) + a.mmio


def case_ext2(a, tmp):
    img = mkdisk(tmp, a.disk_size)
    target = a.target
    params = [f"vfs.mount=ext2:vda:{target}"]
    args = ["write", target, f"big={a.big}", f"many={a.many}", f"hole={a.hole}"]
    rc, out = run_guest(a.image, a.machine, args, disk_args(a, img), params=params,
                        mem="256M")
    if rc != 0:
        raise Fail(f"fstest write exited with {rc}")
    expect(out, "fstest: OK")
    # the guest powered off without unmounting: still consistent
    fsck(img)
    check_written(ExtTree(img, tmp, "guest" if target == "/" else "guest"), a.big, a.many, a.hole)
    args[0] = "verify"
    rc, out = run_guest(a.image, a.machine, args, disk_args(a, img), params=params,
                        mem="256M")
    if rc != 0:
        raise Fail(f"fstest verify exited with {rc}")
    expect(out, "fstest: everything written before is there")
    fsck(img)


def case_ext2_ro(a, tmp):
    img = mkdisk(tmp, "16M")
    before = digest(img)
    rc, out = run_guest(a.image, a.machine, ["readonly", "/mnt"], disk_args(a, img, ro=True),
                        params=["vfs.mount=ext2:vda:/mnt"])
    if rc != 0:
        raise Fail(f"fstest readonly exited with {rc}")
    expect(out, "fstest: read-only: reads work, changes fail with EROFS")
    if digest(img) != before:
        raise Fail("the read-only disk changed")
    # the ro option on a writable disk: nothing written either
    rc, out = run_guest(a.image, a.machine, ["readonly", "/mnt"], disk_args(a, img),
                        params=["vfs.mount=ext2:vda:/mnt:ro"])
    if rc != 0:
        raise Fail(f"fstest readonly (ro option) exited with {rc}")
    if digest(img) != before:
        raise Fail("the disk mounted with ro changed")
    print("boottest: read-only disk and ro mount: the image is unchanged")


def case_ext2_enospc(a, tmp):
    img = mkdisk(tmp, "4M", extra=("-b", "1024"))
    rc, out = run_guest(a.image, a.machine, ["enospc", "/mnt"], disk_args(a, img),
                        params=["vfs.mount=ext2:vda:/mnt"])
    if rc != 0:
        raise Fail(f"fstest enospc exited with {rc}")
    expect(out, "fstest: earlier data intact, space back after unlink")
    fsck(img)
    if "kept" not in debugfs(img, "cat /keep.txt"):
        raise Fail("keep.txt is not on the disk")


def case_ext2_bad(a, tmp):
    """Disks that cannot be mounted: the boot stops (123) with the reason,
    and the image is not written."""
    good = mkdisk(tmp, "8M", extra=("-b", "1024"))
    cases = []
    corrupt = os.path.join(tmp, "corrupt.img")
    shutil.copy(good, corrupt)
    with open(corrupt, "r+b") as f:
        f.seek(1024 + 56)
        f.write(b"\0\0")  # the magic
    cases.append((corrupt, "vda", "no ext2 superblock (magic 0 at byte 1080"))
    trunc = os.path.join(tmp, "truncated.img")
    with open(good, "rb") as f, open(trunc, "wb") as g:
        g.write(f.read(4 << 20))
    cases.append((trunc, "vda", "truncated disk: the superblock says 8192 blocks of 1024 "
                                "bytes (8192 KiB), the device has 4096 KiB"))
    geo = os.path.join(tmp, "geometry.img")
    shutil.copy(good, geo)
    with open(geo, "r+b") as f:
        f.seek(1024 + 32)
        f.write((0).to_bytes(4, "little"))  # blocks per group
    cases.append((geo, "vda", "not a usable ext2 superblock: blocks per group (0)"))
    cases.append((good, "vdb", "ext2: no block device 'vdb' (devices: vda)"))
    for img, dev, msg in cases:
        before = digest(img)
        rc, out = run_guest(a.image, a.machine, ["readonly", "/mnt"], disk_args(a, img),
                            params=[f"vfs.mount=ext2:{dev}:/mnt"])
        if rc != 123:
            raise Fail(f"{os.path.basename(img)}: exit status {rc}, not 123")
        expect(out, msg)
        if digest(img) != before:
            raise Fail(f"{os.path.basename(img)} was written to")


CASES = {"blk": case_blk, "blk-ro": case_blk_ro, "blk-refuse": case_blk_refuse,
         "9p": case_9p, "9p-ro": case_9p_ro, "mount-errors": case_mount_errors,
         "ext2": case_ext2, "ext2-ro": case_ext2_ro, "ext2-enospc": case_ext2_enospc,
         "ext2-bad": case_ext2_bad}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("--image", required=True)
    p.add_argument("--machine", default="microvm")
    p.add_argument("--legacy", action="store_true")
    p.add_argument("--mmio-modern", action="store_true",
                   help="microvm: virtio-mmio version 2 devices (QEMU's default is version 1)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    p.add_argument("--target", default="/mnt", help="where the share or disk is mounted")
    p.add_argument("--security-model", default="none", choices=qemuargs.SECURITY_MODELS)
    p.add_argument("--msize", type=int, help="9pfs msize= mount option")
    p.add_argument("--big", type=int, default=16, help="MiB of fstest's big file")
    p.add_argument("--many", type=int, default=1000, help="fstest's number of small files")
    p.add_argument("--hole", type=int, default=64, help="MiB of fstest's hole")
    p.add_argument("--disk-size", default="256M", help="ext2 image size (mke2fs)")
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
    except Skip as e:
        print(f"boottest: SKIP: {e}")
        return SKIP
    finally:
        if a.keep:
            print(f"boottest: files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("boottest: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
