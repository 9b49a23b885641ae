#!/usr/bin/env python3
"""Boot a kvm image under QEMU (TCG) with one virtio-net device on QEMU's
user network (slirp, restrict=on: nothing leaves QEMU; slirp itself answers
ARP and ICMP echo for 10.0.2.2). Prints the guest's output; exits with the
image's exit status (the exit device of its target's QEMU: isa-debug-exit on
x86_64, semihosting on arm64's virt), 124 on timeout.

  slirp_run.py --machine q35 --device virtio-net-pci[,opts] [--global G]
               [--timeout S] --image IMAGE [-- app args | --cmdline RAW]
"""
import argparse
import os
import shlex
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "cli"))
from unikit.qemu import image_vmm, parse_mem, qemu_command  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--machine", help="default: the first of the image's QEMU (microvm, virt)")
    p.add_argument("--device", required=True)
    p.add_argument("--global", dest="glob", action="append", default=[])
    p.add_argument("--timeout", type=float, default=200)
    p.add_argument("--mem", default="64M")
    p.add_argument("--image", required=True)
    p.add_argument("--cmdline")
    p.add_argument("args", nargs="*")
    a = p.parse_args()
    append = a.cmdline if a.cmdline is not None else " ".join(
        shlex.quote(x) for x in a.args)
    v = image_vmm(a.image)
    cmd = qemu_command(a.image, a.machine, parse_mem(a.mem), "tcg", append,
                       ["-netdev", "user,id=n0,restrict=on", "-device", a.device + ",netdev=n0"],
                       v=v)
    for g in a.glob:
        cmd += ["-global", g]
    print("slirp_run: " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    try:
        # the serial console writes CRLF: lines are passed on without CR
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           timeout=a.timeout)
        out = p.stdout
    except subprocess.TimeoutExpired as e:
        sys.stdout.write((e.stdout or b"").decode(errors="replace").replace("\r", ""))
        print(f"slirp_run: timed out after {a.timeout} s", flush=True)
        return 124
    sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
    sys.stdout.flush()
    rc = p.returncode
    if v.exit_code == "shifted" and rc & 1 and rc > 0:
        rc >>= 1  # isa-debug-exit: (status << 1) | 1
    print(f"slirp_run: exit status {rc}", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
