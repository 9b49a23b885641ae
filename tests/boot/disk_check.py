#!/usr/bin/env python3
"""`unikit package IMAGE --disk` booted by firmware from the disk alone.

disk_check.py UNIKIT IMAGE WORKDIR
The raw disk under SeaBIOS (`-M pc`) and under OVMF (`-M q35 -bios
OVMF.fd`), and the qcow2 variant under SeaBIOS: each must print Hello,
world! with the arguments from grub.cfg and exit with the image's status
through isa-debug-exit (as `unikit run` does). Exit 77 when GRUB, mtools,
gdisk or OVMF are missing (the apt-get line is printed)."""
import os
import shutil
import subprocess
import sys

OVMF = "/usr/share/ovmf/OVMF.fd"
QEMU = ["qemu-system-x86_64", "-m", "256M", "-nodefaults", "-no-user-config", "-display", "none",
        "-serial", "stdio", "-no-reboot", "-accel", "tcg",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def boot(what, extra, problems):
    try:
        p = subprocess.run(QEMU + extra, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=240)
    except subprocess.TimeoutExpired as e:
        problems.append(f"{what}: no exit within 240 s; output:\n"
                        + (e.stdout or b"").decode("utf-8", "replace"))
        return
    out = p.stdout.decode("utf-8", "replace").replace("\r", "")
    print(f"--- {what}: qemu exit {p.returncode}\n{out.strip()}")
    for line in ("Hello, world!", "argv[1]: one", "argv[2]: two words", "argv[3]: it's"):
        if line + "\n" not in out:
            problems.append(f"{what}: no line {line!r}")
    # isa-debug-exit: QEMU exits with status*2+1; helloworld returns 0
    if p.returncode != 1:
        problems.append(f"{what}: qemu exited {p.returncode}, expected 1 (guest status 0)")


def http(unikit, image, work):
    """httpreply from a disk (SeaBIOS, virtio-net on a tap in a private
    namespace): it must answer curl with its page."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(unikit)), "cli"))
    from unikit import netns
    why = netns.requirements_problem()
    if why:
        print(f"SKIP: {why}")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    disk = os.path.join(work, "http.img")
    params = " ".join(netns.guest_params()) + " --"
    p = subprocess.run([sys.executable, unikit, "package", image, "--disk", disk,
                        "--cmdline", params], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    if p.returncode != 0:
        print(f"FAIL: unikit package --disk exited {p.returncode}")
        return 1
    ns = netns.NetNS()
    ns.create()
    try:
        g = netns.Guest(ns, QEMU + ["-M", "pc", "-drive", f"file={disk},format=raw"]
                        + netns.qemu_net_args("pc"), echo=True)
        try:
            t = g.wait_for(r"listening", 240)
        except (TimeoutError, RuntimeError) as e:
            g.stop()
            print(f"FAIL: httpreply from the disk did not come up: {e}")
            return 1
        r = ns.run(["curl", "-s", "-m", "60", "-o", "-", "-w", "\nHTTP %{http_code}\n",
                    f"http://{netns.GUEST_IP}/"], timeout=90, capture_output=True,
                   text=True)
        g.stop()
    finally:
        ns.destroy()
    out = r.stdout if isinstance(r.stdout, str) else r.stdout.decode("utf-8", "replace")
    print(out)
    if "HTTP 200" not in out or "<html" not in out.lower():
        print("FAIL: no page with status 200 from httpreply booted from the disk")
        return 1
    print(f"OK: httpreply booted from the disk by GRUB (SeaBIOS) in {t:.1f} s and served its page")
    return 0


def main():
    if sys.argv[1] == "--http":
        return http(*sys.argv[2:5])
    unikit, image, work = sys.argv[1:4]
    if not os.path.isfile(OVMF):
        print("SKIP: no OVMF firmware (apt-get install ovmf)")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    raw, q = os.path.join(work, "hw.img"), os.path.join(work, "hw.qcow2")
    args = ["--", "one", "two words", "it's"]
    for out, extra in ((raw, []), (q, ["--qcow2"])):
        p = subprocess.run([sys.executable, unikit, "package", image, "--disk", out] + extra + args,
                           capture_output=True, text=True)
        print(p.stdout + p.stderr)
        if p.returncode == 2 and "install them with" in p.stderr:
            print("SKIP: packaging tools missing")
            return 77
        if p.returncode != 0:
            print(f"FAIL: unikit package --disk exited {p.returncode}")
            return 1
    problems = []
    boot("SeaBIOS (-M pc), raw", ["-M", "pc", "-drive", f"file={raw},format=raw"], problems)
    boot("OVMF (-M q35), raw", ["-M", "q35", "-bios", OVMF, "-drive", f"file={raw},format=raw"],
         problems)
    boot("SeaBIOS (-M pc), qcow2", ["-M", "pc", "-drive", f"file={q},format=qcow2"], problems)
    for pr in problems:
        print("FAIL: " + pr)
    if not problems:
        print("OK: the disk boots under SeaBIOS and OVMF, raw and qcow2")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
