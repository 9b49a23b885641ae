#!/usr/bin/env python3
"""`unikit mkdisk` and `unikit run --disk/--share` end to end (suite cli):
an image made from a directory, a guest writing to it and to a host share
through the CLI's own QEMU options and vfs.mount= parameters, then the
CLI's refusals of bad specs. Exit 0, 1 (a failure, printed) or 77 (skip:
no e2fsprogs).

  clitest.py --unikit ./unikit --image build/x86_64-gcc/fstest_kvm-x86_64
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def run(cmd, rc=0, expect=()):
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    out = p.stdout + p.stderr
    if p.returncode != rc:
        sys.stdout.write(out[-4000:])
        raise SystemExit(f"clitest: FAIL: {' '.join(cmd)}: exit {p.returncode}, expected {rc}")
    for e in expect:
        if e not in out:
            sys.stdout.write(out[-4000:])
            raise SystemExit(f"clitest: FAIL: {' '.join(cmd)}: output lacks {e!r}")
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--unikit", required=True)
    p.add_argument("--image", required=True)
    a = p.parse_args()
    py = sys.executable
    u = [py, a.unikit]
    if not any(os.access(d + "mke2fs", os.X_OK) for d in ("/usr/sbin/", "/sbin/")) and \
            not shutil.which("mke2fs"):
        print("clitest: SKIP: e2fsprogs missing")
        return 77
    with tempfile.TemporaryDirectory(prefix="unikit-clitest-") as tmp:
        src = os.path.join(tmp, "src")
        os.makedirs(os.path.join(src, "host"))
        with open(os.path.join(src, "host", "hello.txt"), "w") as f:
            f.write("made on the host\n")
        with open(os.path.join(src, "host", "big.bin"), "wb") as f:
            f.write(os.urandom(5000))
        img = os.path.join(tmp, "disk.img")
        run(u + ["mkdisk", src, img, "--size", "32M"], expect=["ext2, 32 MiB"])
        run(u + ["mkdisk", src, img], rc=2, expect=["exists (--force replaces it)"])
        run(u + ["mkdisk", os.path.join(tmp, "nope"), img], rc=2, expect=["not a directory"])
        run(u + ["mkdisk", src, img + "2", "--size", "12x"], rc=2, expect=["use a size like"])
        # a disk mounted by the CLI's parameter; a share next to it
        share = os.path.join(tmp, "share")
        shutil.copytree(src, share)
        run(u + ["run", "--timeout", "300", "--image", a.image, "--accel", "tcg",
                 "--disk", f"{img},mount=/data", "--share", f"{share}:/srv",
                 "--", "write", "/data", "big=1", "many=20", "hole=1"],
            expect=["fstest: OK", "fstest: host files read"])
        fsck = shutil.which("e2fsck") or "/usr/sbin/e2fsck"
        run([fsck, "-fn", img])
        run(u + ["run", "--timeout", "300", "--image", a.image, "--accel", "tcg",
                 "--machine", "q35", "--share", f"{share}:/srv", "--disk", f"{img},ro,mount=/data",
                 "--", "write", "/srv", "big=1", "many=20", "hole=1"], expect=["fstest: OK"])
        if not os.path.isfile(os.path.join(share, "guest", "small.txt")):
            raise SystemExit("clitest: FAIL: the share lacks guest/small.txt")
        # refusals, before QEMU starts
        for args, msg in ((["--disk", os.path.join(tmp, "none.img")], "no such file"),
                          (["--disk", f"{img},rw"], "unknown option 'rw'"),
                          (["--disk", f"{img},mount=rel"], "mount= needs an absolute path"),
                          (["--share", os.path.join(tmp, "none")], "not a directory"),
                          (["--share", f"{share}:rel"], "the guest path must be absolute"),
                          (["--share", share, "--share", f"{src}:/share"],
                           "is the mount point of another share"),
                          (["--plat", "linuxu", "--disk", img], "not linuxu")):
            run(u + ["run", "--image", a.image, "--accel", "tcg"] + args, rc=2, expect=[msg])
    print("clitest: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
