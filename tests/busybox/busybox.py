#!/usr/bin/env python3
"""Debian's busybox-static (a non-PIE static glibc executable, unmodified)
in the elfrun image: applets run as the image's program, each compared with
what the host computes, and - given a static-PIE test program of ours - the
pipeline `busybox cat FILE | busybox tr a-z A-Z | busybox wc -c` made with
posix_spawn and pipes.

  busybox.py --image ELFRUN [--spawntest BIN] [--cache DIR]

The binary is the installed package's (/bin/busybox when dpkg says
busybox-static is installed), else the package from Debian's archive
(`apt-get download busybox-static`, kept in DIR, default
subprojects/packagecache/busybox-static); without either (no apt, no
network) the test is skipped (status 77). Every check prints
"ok"/"FAIL"; the exit status is 1 if one failed.
"""
import argparse
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "cli"))
from unikit.initrd import cpio_newc  # noqa: E402

TEXT = "hello world\nzebra\napple\nThe quick brown fox jumps over the lazy dog\n" * 40


def say(msg):
    print(f"busybox: {msg}", flush=True)


def fetch(cache):
    """The busybox binary of the installed package, or from the package in
    `cache` (downloaded if missing); None if it cannot be had."""
    p = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", "busybox-static"],
                       capture_output=True, text=True)
    if p.returncode == 0 and p.stdout.startswith("install ok installed") and \
            os.path.isfile("/bin/busybox"):
        say(f"busybox-static {p.stdout.split()[-1]} (installed), /bin/busybox")
        return "/bin/busybox"
    os.makedirs(cache, exist_ok=True)
    debs = sorted(glob.glob(os.path.join(cache, "busybox-static_*.deb")))
    if not debs:
        p = subprocess.run(["apt-get", "download", "-q", "busybox-static"], cwd=cache,
                           capture_output=True, text=True)
        debs = sorted(glob.glob(os.path.join(cache, "busybox-static_*.deb")))
        if p.returncode != 0 or not debs:
            say(f"cannot download busybox-static: {p.stderr.strip()[-300:]}")
            return None
    deb = debs[-1]
    out = os.path.join(cache, "x")
    exe = os.path.join(out, "bin", "busybox")
    if not os.path.exists(exe):
        subprocess.run(["dpkg-deb", "-x", deb, out], check=True)
    with open(deb, "rb") as f:
        say(f"{os.path.basename(deb)}, sha256 {hashlib.sha256(f.read()).hexdigest()}")
    return exe


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("--image", required=True)
    a.add_argument("--spawntest")
    a.add_argument("--cache", default=os.path.join(ROOT, "subprojects", "packagecache",
                                                   "busybox-static"))
    a.add_argument("--timeout", type=int, default=200)
    args = a.parse_args()
    exe = fetch(args.cache)
    if not exe:
        say("SKIP: no busybox-static package")
        return 77
    with open(exe, "rb") as f:
        head = f.read(64)
    if head[16] != 2:  # e_type ET_EXEC
        say(f"FAIL: {exe} is not a non-PIE executable (e_type {head[16]})")
        return 1
    failures = 0
    with tempfile.TemporaryDirectory(prefix="busybox-") as tmp:
        root = os.path.join(tmp, "root")
        os.makedirs(os.path.join(root, "bin"))
        os.makedirs(os.path.join(root, "data"))
        shutil.copy(exe, os.path.join(root, "bin", "busybox"))
        with open(os.path.join(root, "data", "t.txt"), "w") as f:
            f.write(TEXT)
        if args.spawntest:
            shutil.copy(args.spawntest, os.path.join(root, "bin", "spawntest"))
        cpio = os.path.join(tmp, "initrd.cpio")
        with open(cpio, "wb") as f:
            f.write(cpio_newc(root))

        def run(*argv):
            cmd = [sys.executable, os.path.join(ROOT, "unikit"), "run", "--image", args.image,
                   "--initrd", cpio, "--timeout", str(args.timeout), "--"] + list(argv)
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout + 60)
            out = "\n".join(l for l in p.stdout.splitlines()
                            if not l.startswith(("unikit:", "[")))
            return p.returncode, out, p.stdout + p.stderr

        def check(what, ok, log):
            nonlocal failures
            print(("ok   " if ok else "FAIL ") + what, flush=True)
            if not ok:
                failures += 1
                print("  " + log.replace("\n", "\n  "))

        lines = TEXT.splitlines()
        rc, out, log = run("/bin/busybox", "ls", "-l", "/")
        check("ls -l / lists bin and data",
              rc == 0 and re.search(r"^d\S+ .* bin$", out, re.M) and
              re.search(r"^d\S+ .* data$", out, re.M), log)
        rc, out, log = run("/bin/busybox", "cat", "/data/t.txt")
        check("cat: the file", rc == 0 and out.splitlines() == lines, log)
        rc, out, log = run("/bin/busybox", "sort", "/data/t.txt")
        check("sort: as the host sorts", rc == 0 and out.splitlines() == sorted(lines), log)
        want = hashlib.sha256(open(exe, "rb").read()).hexdigest()
        rc, out, log = run("/bin/busybox", "sha256sum", "/bin/busybox")
        check(f"sha256sum of /bin/busybox: {want}", rc == 0 and out.split()[:1] == [want], log)
        rc, out, log = run("/bin/busybox", "wc", "/data/t.txt")
        words = len(TEXT.split())
        check(f"wc: {len(lines)} lines, {words} words, {len(TEXT)} bytes",
              rc == 0 and out.split()[:3] == [str(len(lines)), str(words), str(len(TEXT))], log)
        rc, out, log = run("/bin/busybox", "tr", "a-z", "A-Z")
        check("tr with an empty input (the console): no output, status 0",
              rc == 0 and out.strip() == "", log)
        rc, out, log = run("/bin/busybox", "false")
        check("false: status 1", rc == 1, log)
        rc, out, log = run("/bin/busybox", "sh", "-c", "echo a | cat")
        check("sh pipeline: refused without a crash (fork is ENOSYS)",
              rc != 0 and "=== CRASH" not in log and
              ("fork" in log.lower() or "pipe" in log.lower()), log)
        if args.spawntest:
            rc, out, log = run("/bin/spawntest", "pipeline", "/data/t.txt")
            check(f"posix_spawn cat | tr a-z A-Z | wc -c: {len(TEXT)}",
                  rc == 0 and re.search(rf"wc -c says {len(TEXT)}$", out, re.M), log)
    say(f"{'all OK' if not failures else 'FAILED'} ({failures} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
