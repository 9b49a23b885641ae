#!/usr/bin/env python3
"""Boot an image with chosen QEMU CPU flags and devices and check its console.

random_check.py --image IMG [--machine M] [--cpu MODEL] [--rng [--legacy]] \
    --expect REGEX... [--reject REGEX...]

For the entropy boot tests: `--cpu qemu64,-rdrand,-rdseed` takes the CPU's
random instructions away, `--rng` adds a virtio-rng device (virtio-rng-device
on microvm's virtio-mmio, virtio-rng-pci elsewhere). Passes when the guest
exits with status 0, every --expect regex matches a line and no --reject
regex does. (unikit run has no way to add QEMU options, hence this script;
it builds the QEMU command with the CLI package's own functions.)
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "cli"))
from unikit.errors import UserError  # noqa: E402
from unikit.qemu import (choose_accel, decode_qemu_status, parse_mem,  # noqa: E402
                         probe_image_path, qemu_command, run_qemu)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--image", required=True)
    ap.add_argument("--machine", default="microvm")
    ap.add_argument("--cpu", help="QEMU -cpu value (e.g. qemu64,-rdrand,-rdseed)")
    ap.add_argument("--rng", action="store_true", help="add a virtio-rng device")
    ap.add_argument("--legacy", action="store_true",
                    help="the device's legacy interface (virtio-mmio v1, or PCI without modern)")
    ap.add_argument("--mem", default="64M")
    ap.add_argument("--timeout", type=float, default=200)
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--reject", action="append", default=[])
    a = ap.parse_args()
    accel, how = choose_accel("auto", probe_image_path("gcc"))
    extra = []
    if a.cpu:
        extra += ["-cpu", a.cpu]  # (after -cpu host under KVM: the last one counts)
    if a.rng:
        mmio = a.machine.split(",")[0] == "microvm"
        dev = ("virtio-rng-device" if mmio else "virtio-rng-pci") + ",rng=rng0"
        if a.legacy and mmio:
            extra += ["-global", "virtio-mmio.force-legacy=true"]
        elif a.legacy:
            dev += ",disable-modern=on,disable-legacy=off"
        extra += ["-object", "rng-random,id=rng0,filename=/dev/urandom", "-device", dev]
    cmd = qemu_command(os.path.abspath(a.image), a.machine, parse_mem(a.mem), accel, "", extra)
    print(f"random_check: accelerator {accel} ({how}); " + " ".join(cmd), flush=True)
    try:
        rc, out, err = run_qemu(cmd, a.timeout)
    except TimeoutError:
        print(f"random_check: FAIL: no exit within {a.timeout} s")
        return 1
    try:
        status = decode_qemu_status(rc, out, err)
    except UserError as e:
        print(f"random_check: FAIL: {e}")
        return 1
    ok = status == 0
    if not ok:
        print(f"random_check: FAIL: exit status {status}")
    for rx in a.expect:
        if not re.search(rx, out, re.M):
            print(f"random_check: FAIL: no line matches /{rx}/")
            ok = False
    for rx in a.reject:
        if re.search(rx, out, re.M):
            print(f"random_check: FAIL: a line matches /{rx}/")
            ok = False
    print("random_check: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
