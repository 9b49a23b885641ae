#!/usr/bin/env python3
"""The durability harness: a guest commits transactions on an ext2 disk or
a 9P share, QEMU is killed with SIGKILL at a random moment, a fresh boot
checks the database; repeated.

  durability.py --image IMAGE [--fs ext2|9p] [--trials 50] [--machine M]
                [--loop ARGS] [--check ARGS] [--seed N] [--keep]

The app speaks a small protocol (tests/storage/apps/txnlog.c does, and
SQLite itself as examples/port-sqlite's sqlite-txn): `APP loop FILE` prints "committed N" after transaction N
is durable (its fsync/fdatasync returned) and goes on forever, picking up
where the database ends; `APP check FILE` verifies the whole database
(sqlite: PRAGMA integrity_check) and prints "check: ok last=N" with the
last transaction it holds, or "check: FAIL why". --loop and --check give
the argument lists (default: "loop /data/db" and "check /data/db"; the
disk or share is mounted at /data).

A trial: boot `loop`, wait until it committed something, kill QEMU after a
random 0.2-4 s more, note the last "committed N" the console showed; boot
`check`: it must say ok with last >= N (a lost commit otherwise). For ext2
the image is also checked with e2fsck -fn after each kill (the guest never
unmounted): clean, or only leaks (what an interrupted commit may leave;
counted), or worse (a failure).

SIGKILL of QEMU loses what the guest had not handed to QEMU; what QEMU
wrote to the image file stays (the host keeps it), so this tests the
guest's ordering and fsync, not the host's cache - the FLUSH path against
a volatile write cache is tested natively (libs/ext2fs test_power_cuts).
Prints one line per trial and a summary; exit 0 when there is no lost
commit and no failed check.
"""
import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "cli"))
from unikit import storage  # noqa: E402

# What an interrupted ordered commit may leave (docs/storage.md): blocks and
# inodes marked used that nothing uses (only those: "-" bitmap differences),
# a link count too high (not too low), and for a
# file being extended its block count or size behind the block already
# mapped past its end. Anything else (a pointer to a free or unwritten
# block, an entry naming a free inode...) is damage.
LEAKS = re.compile(r"^(e2fsck [0-9]|Pass [1-5]|"
                   r"Free (blocks|inodes) count wrong|Directories count wrong|Fix\? no|Padding at end|"
                   r"Unattached (zero-length )?inode \d+|Connect to /lost\+found\? no|"
                   r"Inode \d+, i_(blocks|size) is \d+, should be \d+\.  Fix\? no|$|"
                   r".*WARNING: Filesystem still has errors|.*files \()")
# "-N" in a bitmap difference is marked used but unused (a leak); "+N" is
# used but marked free, which the next allocation would hand out twice
BITMAP = re.compile(r"^(Block|Inode) bitmap differences: +(.*)$")
# a link count above the names is a leak; below, an unlink of one name
# would free the inode under another
REFCOUNT = re.compile(r"^Inode \d+ ref count is (\d+), should be (\d+)\.  Fix\? no$")


def is_leak(line):
    if LEAKS.match(line):
        return True
    m = BITMAP.match(line)
    if m:
        return all(t.startswith("-") for t in m.group(2).split())
    m = REFCOUNT.match(line)
    return bool(m) and int(m.group(1)) > int(m.group(2))


def qemu_cmd(a, extra, params, args):
    append = " ".join(params + ["--"] + args)
    return ["qemu-system-x86_64", "-M", a.machine, "-m", "128M", "-nodefaults",
            "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot",
            "-accel", "tcg", "-kernel", a.image,
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-append", append] + extra


class Guest:
    """QEMU with its console read line by line in a thread."""

    def __init__(self, cmd):
        self.lines = []
        self.p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for raw in self.p.stdout:
            self.lines.append(raw.decode(errors="replace").rstrip("\r\n"))

    def committed(self):
        n = 0
        for l in list(self.lines):
            m = re.match(r"committed (\d+)$", l)
            if m:
                n = max(n, int(m.group(1)))
        return n

    def kill(self):
        self.p.send_signal(signal.SIGKILL)
        self.p.wait()
        self.t.join(5)


def fsck(img):
    """'clean', 'leaks' or the e2fsck report (worse)."""
    p = subprocess.run([storage.e2fsprogs("e2fsck"), "-fn", img], capture_output=True, text=True)
    if p.returncode == 0:
        return "clean"
    bad = [l for l in p.stdout.splitlines() if not is_leak(l)]
    return "leaks" if not bad else p.stdout


def repair(img):
    """What a system does before mounting a filesystem found unclean."""
    subprocess.run([storage.e2fsprogs("e2fsck"), "-fy", img], capture_output=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--image", required=True)
    p.add_argument("--fs", choices=("ext2", "9p"), default="ext2")
    p.add_argument("--trials", type=int, default=50)
    p.add_argument("--machine", default="microvm")
    p.add_argument("--loop", default="loop /data/db")
    p.add_argument("--check", default="check /data/db")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--min-wait", type=float, default=0.2)
    p.add_argument("--max-wait", type=float, default=4.0)
    p.add_argument("--repair", action="store_true",
                   help="ext2: e2fsck -fy after a kill that left leaks (as a boot-time fsck "
                        "would); without it the next trial runs on the leaky image")
    p.add_argument("--keep", action="store_true")
    a = p.parse_args()
    seed = a.seed if a.seed is not None else int(time.time())
    rnd = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="unikit-durability-")
    print(f"durability: {a.trials} trials, {a.fs} on {a.machine}, seed {seed}", flush=True)
    if a.fs == "ext2":
        img = os.path.join(tmp, "disk.img")
        os.makedirs(os.path.join(tmp, "empty"))
        subprocess.run([storage.e2fsprogs("mke2fs"), "-q", "-F", "-t", "ext2", "-d",
                        os.path.join(tmp, "empty"), img, "64M"], check=True, capture_output=True)
        extra = storage.disk_args(a.machine, img)
        params = ["vfs.mount=ext2:vda:/data"]
    else:
        share = os.path.join(tmp, "share")
        os.makedirs(share)
        extra = storage.share_args(a.machine, share, "share0")
        params = ["vfs.mount=9pfs:share0:/data"]
    lost = failed = leaky = 0
    total = 0
    try:
        for t in range(1, a.trials + 1):
            g = Guest(qemu_cmd(a, extra, params, a.loop.split()))
            deadline = time.monotonic() + 120
            while g.committed() == 0 and g.p.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if g.p.poll() is not None or g.committed() == 0:
                g.kill()
                print("\n".join(g.lines[-20:]))
                print(f"durability: FAIL trial {t}: the loop never committed")
                failed += 1
                break
            time.sleep(rnd.uniform(a.min_wait, a.max_wait))
            g.kill()
            n = g.committed()
            state = fsck(img) if a.fs == "ext2" else "-"
            if state not in ("clean", "leaks", "-"):
                print(state)
                print(f"durability: FAIL trial {t}: e2fsck found more than leaks")
                failed += 1
                break
            if state == "leaks":
                leaky += 1
                if a.repair:
                    repair(img)
            c = subprocess.run(qemu_cmd(a, extra, params, a.check.split()), capture_output=True,
                               timeout=600, stdin=subprocess.DEVNULL)
            out = c.stdout.decode(errors="replace").replace("\r", "")
            m = re.search(r"^check: ok last=(\d+)$", out, re.M)
            if not m:
                print(out[-3000:])
                print(f"durability: FAIL trial {t}: the check did not pass")
                failed += 1
                break
            last = int(m.group(1))
            miss = max(0, n - last)
            lost += miss
            total = last
            print(f"durability: trial {t}: committed {n} when killed, found {last}"
                  f"{f', LOST {miss}' if miss else ''}; e2fsck: {state}", flush=True)
    finally:
        if a.keep:
            print(f"durability: files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    done = t if not failed else t - 1
    print(f"durability: {done} of {a.trials} trials passed, {lost} commits lost, "
          f"{total} transactions in the database, e2fsck found leaks after {leaky} kills "
          f"(ext2; no other damage){', ' + str(failed) + ' FAILED' if failed else ''}")
    return 0 if not lost and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
