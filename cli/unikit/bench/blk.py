"""`./unikit bench blk`: block I/O of a unikit image against the same
workloads in a Debian-kernel Linux VM (unikit.linuxvm), same QEMU machine,
accelerator, disk images and run, the two interleaved.

tests/bench/blkbench.c is the one source of both sides: 4 KiB requests,
sequential and random reads and writes on a raw disk (vda, first 64 MiB;
ukblkdev bursts of 32 against Linux AIO batches of 32 with O_DIRECT) and
on a 64 MiB file of an ext2 disk (vdb; one call at a time: our ext2fs has
no page cache, Linux gets O_DIRECT). Figures (`bench: NAME VALUE UNIT`):

  blk.W.unikit_iops / blk.W.linux_iops   median of RUNS boots, W in seqread,
  blk.W.unikit_mbps / blk.W.linux_mbps   seqwrite, randread, randwrite,
  blk.W.vs_linux                         fs.seqread, ... (unikit / linux)
  blk.requests_per_notify                raw disk: requests per virtio
                                         notification (burst depth reached)
  blk.fs.requests_per_notify             the same for the ext2 disk

Environment: UNIKIT_BENCH_MACHINE (default microvm), UNIKIT_BENCH_RUNS
(default 3), UNIKIT_BENCH_BLK_OPS (raw requests per workload, default
8192), UNIKIT_BENCH_BLK_FSOPS (file calls per workload, default 2048).
Under TCG only the ratios mean something.
"""
import lzma
import os
import re
import shutil
import statistics
import subprocess

from .. import BUILD, ROOT, linuxvm, storage
from ..build import build, configure, run_checked
from ..errors import UserError
from ..host import require
from ..initrd import cpio_newc
from ..qemu import choose_accel, decode_qemu_status, probe_image_path, qemu_command, run_qemu
from . import emit

SRC = os.path.join(ROOT, "tests", "bench", "blkbench.c")
# crc32c: ext4 asks the crypto API for it at every mount, ext2 ones too
WANT = ["virtio_blk", "virtio_pci", "virtio_mmio", "crc32c_generic", "ext4"]
WORKLOADS = ["seqread", "seqwrite", "randread", "randwrite",
             "fs.seqread", "fs.seqwrite", "fs.randread", "fs.randwrite"]
LINE = re.compile(r"^blkbench: (\S+) iops=(\d+) mbps=([\d.]+)", re.M)
RPN = re.compile(r"^blkbench: (raw|fs) requests=\d+ notifies=\d+ requests_per_notify=([\d.]+)",
                 re.M)


def _images(work):
    """The raw disk (80 MiB of random bytes) and the ext2 disk holding
    bench.dat (64 MiB of random bytes, made by mke2fs -d)."""
    raw = os.path.join(work, "raw.img")
    fs = os.path.join(work, "fs.img")
    src = os.path.join(work, "src")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    with open(os.path.join(src, "bench.dat"), "wb") as f:
        for _ in range(64):
            f.write(os.urandom(1 << 20))
    with open(raw, "wb") as f:
        for _ in range(80):
            f.write(os.urandom(1 << 20))
    p = subprocess.run([storage.e2fsprogs("mke2fs"), "-q", "-F", "-t", "ext2", "-d", src, fs,
                        "128M"], capture_output=True, text=True)
    if p.returncode:
        raise UserError(f"mke2fs failed: {p.stderr.strip()}")
    shutil.rmtree(src)
    return raw, fs


def _linux(work):
    """(kernel, initramfs): Debian's kernel, blkbench as /init, the virtio
    block and ext4 modules."""
    try:
        kernel, moddir, ver = linuxvm.fetch_kernel(os.path.join(BUILD, "linuxvm"))
        order = linuxvm.module_order(moddir, WANT)
    except linuxvm.VMError as e:
        raise UserError(str(e))
    root = os.path.join(work, "initramfs")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "modules"))
    run_checked(["musl-gcc", "-static", "-O2", "-s", "-o", os.path.join(root, "init"), SRC],
                "building blkbench for Linux", quiet=True)
    lines = []
    for rel in order:
        name = os.path.basename(rel)
        data = open(os.path.join(moddir, rel), "rb").read()
        if name.endswith(".xz"):
            data, name = lzma.decompress(data), name[:-3]
        elif name.endswith(".zst"):
            raise UserError(f"{rel}: zstd-compressed modules are not supported")
        with open(os.path.join(root, "modules", name), "wb") as f:
            f.write(data)
        lines.append(f"/modules/{name}")
    with open(os.path.join(root, "modules", "order"), "w") as f:
        f.write("\n".join(lines) + "\n")
    initrd = os.path.join(work, "initramfs.cpio")
    with open(initrd, "wb") as f:
        f.write(cpio_newc(root))
    print(f"# linux: Debian kernel {ver}; modules: {', '.join(os.path.basename(l) for l in lines)}",
          flush=True)
    return kernel, initrd


def _parse(out, label):
    got = {m.group(1): (float(m.group(2)), float(m.group(3))) for m in LINE.finditer(out)}
    missing = [w for w in WORKLOADS if w not in got]
    if missing or "blkbench: done" not in out:
        raise UserError(f"bench blk: the {label} guest did not finish ({', '.join(missing)} "
                        f"missing):\n{out[-3000:]}")
    return got, {m.group(1): float(m.group(2)) for m in RPN.finditer(out)}


def bench_blk():
    require("build", "run", "linuxbin")
    machine = os.environ.get("UNIKIT_BENCH_MACHINE", "microvm")
    runs = int(os.environ.get("UNIKIT_BENCH_RUNS", "3"))
    ops = int(os.environ.get("UNIKIT_BENCH_BLK_OPS", "8192"))
    fsops = int(os.environ.get("UNIKIT_BENCH_BLK_FSOPS", "2048"))
    image = build("blkbench", "kvm", known=False)
    bdir = configure("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/pvh-probe"], "ninja", quiet=True)
    accel, why = choose_accel("auto", probe_image_path("gcc"))
    work = os.path.join(BUILD, "bench-blk")
    os.makedirs(work, exist_ok=True)
    raw, fs = _images(work)
    kernel, initrd = _linux(work)
    print(f"# accelerator: {accel} ({why}); machine: {machine}; {ops} raw requests and "
          f"{fsops} file calls per workload; median of {runs}, the two sides interleaved",
          flush=True)
    emit("blk.accelerator_is_kvm", 1 if accel == "kvm" else 0, "bool")
    disks = (storage.disk_args(machine, raw, index=0) +
             storage.disk_args(machine, fs, index=1))
    res = {"unikit": {w: [] for w in WORKLOADS}, "linux": {w: [] for w in WORKLOADS}}
    rpn = {"raw": [], "fs": []}
    for r in range(runs):
        for side in ("unikit", "linux"):
            if side == "unikit":
                cmd = qemu_command(image, machine, 128 << 20, accel,
                                   f"vfs.mount=ext2:vdb:/mnt -- ops={ops} fsops={fsops}", disks)
            else:
                cmd = linuxvm.qemu_command(kernel, initrd, machine, accel, disks)
                i = cmd.index("-append") + 1
                cmd[i] += f" ops={ops} fsops={fsops}"
            try:
                rc, out, err = run_qemu(cmd, 1200, echo=False)
            except TimeoutError:
                raise UserError(f"bench blk: the {side} guest did not finish within 1200 s")
            if side == "unikit" and decode_qemu_status(rc, out, err) != 0:
                raise UserError(f"bench blk: blkbench exited with an error:\n{out[-3000:]}")
            got, n = _parse(out, side)
            for w in WORKLOADS:
                res[side][w].append(got[w])
            for k, v in n.items():
                rpn[k].append(v)
            print(f"# round {r + 1} {side}: " +
                  ", ".join(f"{w} {got[w][0]:.0f}" for w in WORKLOADS) + " IOPS", flush=True)
    for w in WORKLOADS:
        med = {}
        for side in ("unikit", "linux"):
            iops = statistics.median(v[0] for v in res[side][w])
            mbps = statistics.median(v[1] for v in res[side][w])
            spread = max(v[0] for v in res[side][w]) - min(v[0] for v in res[side][w])
            emit(f"blk.{w}.{side}_iops", round(iops), "IOPS")
            emit(f"blk.{w}.{side}_mbps", mbps, "MB/s")
            print(f"# {w} {side}: spread {spread:.0f} IOPS over {runs} runs", flush=True)
            med[side] = iops
        emit(f"blk.{w}.vs_linux", med["unikit"] / med["linux"], "x")
    emit("blk.requests_per_notify", statistics.median(rpn["raw"]), "requests")
    emit("blk.fs.requests_per_notify", statistics.median(rpn["fs"]), "requests")
    # both images went through both kernels: the filesystem is still sound
    p = subprocess.run([storage.e2fsprogs("e2fsck"), "-fn", fs], capture_output=True, text=True)
    emit("blk.fs.e2fsck_clean", 1 if p.returncode == 0 else 0, "bool")
    return 0
