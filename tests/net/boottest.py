#!/usr/bin/env python3
"""Boot test of examples/httpreply on a tap device in a private namespace.

    boottest.py --image httpreply_kvm-x86_64 [--machine microvm|q35|pc] [--legacy] [--quick]
    boottest.py --linux [--machine ...]     (the same checks against the Linux baseline VM)

Creates a namespace (unikit.netns), boots the image under QEMU inside
it with net.ip=10.77.0.2/24, waits for "httpreply: listening on port 80",
then runs tests/net/httpcheck.py inside the namespace (curl and the exact
page, 10,000 sequential requests on one connection and 10,000 on new ones,
pipelining, 200 concurrent keep-alive connections, wrk -c200, malformed
requests, vanishing clients, malformed frames from an AF_PACKET socket) and
checks that the guest is still running without a crash report. Exit status
0 when everything passed, 77 (skip) when namespaces cannot be made here.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "cli"))
from unikit import BUILD, linuxvm, netns  # noqa: E402
from unikit.initrd import cpio_newc  # noqa: E402
from unikit.qemu import (choose_accel, image_vmm, parse_mem, probe_image_path,  # noqa: E402
                         qemu_command)

SKIP = 77



def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--image")
    ap.add_argument("--linux", action="store_true", help="boot the Linux baseline VM instead")
    ap.add_argument("--machine", help="default: the first of the image's QEMU (microvm, virt)")
    ap.add_argument("--legacy", action="store_true", help="legacy virtio device")
    ap.add_argument("--mem", default="64M")
    ap.add_argument("--quick", action="store_true", help="a tenth of the request counts")
    ap.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    ap.add_argument("--boot-timeout", type=float, default=300)
    ap.add_argument("--check-timeout", type=float, default=1500)
    a = ap.parse_args()
    why = netns.requirements_problem()
    if why:
        print(f"boottest: SKIP: {why}")
        return SKIP
    # the image's QEMU (its row of the targets table); the Linux VM's is x86_64's
    v = image_vmm(a.image) if a.image and not a.linux else None
    a.machine = a.machine or (v.machines[0] if v else "microvm")
    accel, how = choose_accel(a.accel, probe_image_path("gcc"), v)
    print(f"boottest: accelerator: {accel} ({how}); machine: {a.machine}", flush=True)
    net = netns.qemu_net_args(a.machine, a.legacy, v=v)
    if a.linux:
        kernel, initrd, ver = linuxvm.prepare(os.path.join(BUILD, "linuxvm"), cpio_newc)
        cmd = linuxvm.qemu_command(kernel, initrd, a.machine, accel, net)
        print(f"boottest: Linux {ver}", flush=True)
    else:
        if not a.image or not os.path.isfile(a.image):
            print(f"boottest: no image {a.image!r}")
            return 2
        append = " ".join(netns.guest_params()) + " -- 80"
        cmd = qemu_command(os.path.abspath(a.image), a.machine, parse_mem(a.mem), accel,
                           append, net, v=v)
    rc = 1
    with netns.NetNS("bt") as ns:
        g = netns.Guest(ns, cmd, echo=True)
        try:
            t = g.wait_for(r"httpreply: listening on port 80", a.boot_timeout)
            print(f"boottest: guest ready after {t:.1f} s", flush=True)
            chk = [sys.executable, os.path.join(HERE, "httpcheck.py"), "--host", netns.GUEST_IP,
                   "--port", "80", "--frames", netns.TAP] + (["--quick"] if a.quick else [])
            try:
                p = ns.run(chk, timeout=a.check_timeout)
                rc = p.returncode
            except subprocess.TimeoutExpired:
                print(f"boottest: FAIL: the checks took over {a.check_timeout} s")
                rc = 1
            time.sleep(0.5)
            out = g.text()
            if g.proc.poll() is not None:
                print(f"boottest: FAIL: the guest exited (status {g.proc.returncode})")
                rc = 1
            for bad in ("=== CRASH", "PANIC", "Kernel panic"):
                if bad in out:
                    print(f"boottest: FAIL: '{bad}' on the console")
                    rc = 1
        except (TimeoutError, RuntimeError) as e:
            print(f"boottest: FAIL: {e}")
            rc = 1
        finally:
            g.stop()
    print(f"boottest: {'PASS' if rc == 0 else 'FAIL'}", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
