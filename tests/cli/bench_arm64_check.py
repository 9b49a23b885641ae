#!/usr/bin/env python3
"""The baseline of `unikit bench boot --arch arm64`: the Linux arm64 Image
the bench writes must be one QEMU's -kernel loads and whose first
instructions exit through semihosting with the status it was written with
(two statuses: an Image that crashed or hung would not give either).
Usage: bench_arm64_check.py UNIKIT_ROOT BUILD_DIR"""
import os
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.abspath(sys.argv[1]), "cli"))
from unikit.bench.core import arm64_empty_image  # noqa: E402
from unikit.qemu import VMMS, qemu_command  # noqa: E402

if not shutil.which("qemu-system-aarch64"):
    print("SKIP: no qemu-system-aarch64")
    sys.exit(77)
fails = 0
v = VMMS["qemu-system-aarch64"]
for status in (0, 3):
    img = arm64_empty_image(os.path.join(sys.argv[2], f"arm64-empty-{status}.Image"), status)
    data = open(img, "rb").read()
    magic, = struct.unpack_from("<I", data, 56)
    size, = struct.unpack_from("<Q", data, 16)
    ok = magic == 0x644d5241 and size == len(data)
    cmd = qemu_command(img, None, 64 << 20, "tcg", "", v=v)
    try:
        rc = subprocess.run(cmd, capture_output=True, timeout=60).returncode
    except subprocess.TimeoutExpired:
        rc = "a timeout"
    ok = ok and rc == status
    print(("ok" if ok else "FAIL") + f": empty Image with status {status}: header magic "
          f"{magic:#x}, image_size {size} of {len(data)} bytes, QEMU exited with {rc}")
    fails += not ok
sys.exit(1 if fails else 0)
