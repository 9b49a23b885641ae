#!/usr/bin/env python3
"""Piped input reaches an image whole: `unikit run IMAGE -- stdin` (musltest)
with BYTES of text on its stdin must count and hash exactly what was sent,
and `unikit run` must have had the guest's console-ready mark (no warning
that it waited for it, no mark left in the output).

stdin_check.py --unikit UNIKIT --bytes N [--timeout S] IMAGE
The text is lines of words (no ^D, which ends input on the console, and no
CR, which the console turns into LF); lines stay shorter than the console's
line buffer.
"""
import argparse
import random
import subprocess
import sys


def text(n):
    rnd = random.Random(20261207)
    words = ["unikit", "console", "byte", "fifo", "pl011", "16550", "ready", "lost",
             "semihosting", "x", "", "0123456789", "~!@#$%^&*()_+{}|:<>?"]
    out = []
    size = 0
    while size < n:
        line = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 8)))[:70] + "\n"
        out.append(line)
        size += len(line)
    return "".join(out)[:n - 1].encode() + b"\n"


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--unikit", required=True)
    p.add_argument("--bytes", type=int, default=100000)
    p.add_argument("--timeout", type=int, default=240)
    p.add_argument("image")
    a = p.parse_args()
    data = text(a.bytes)
    want = f"musltest: stdin: {len(data)} bytes, fnv1a {fnv1a(data):016x}"
    r = subprocess.run([sys.executable, a.unikit, "run", "--timeout", str(a.timeout),
                        "--image", a.image, "--", "stdin"], input=data,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=a.timeout + 60)
    out = r.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    err = r.stderr.decode("utf-8", "replace")
    problems = []
    if want not in out.splitlines():
        problems.append(f"expected the line {want!r}")
    if r.returncode != 0:
        problems.append(f"exit status {r.returncode}")
    if "console is ready" in err:
        problems.append("unikit run waited for the console-ready mark in vain")
    if "unikit:console-ready" in out + err:
        problems.append("the console-ready mark was left in the output")
    if problems:
        print("stdout:\n" + out[-3000:] + "\nstderr:\n" + err[-3000:])
        print("FAIL: " + "; ".join(problems))
        return 1
    print(f"ok: {len(data)} bytes through the console, hash equal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
