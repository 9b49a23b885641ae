#!/usr/bin/env python3
"""lua's prompt at a terminal (boot test of port-lua, kvm): `unikit run` on a
pseudo-terminal, as a user at a shell runs it. QEMU then reads the terminal
itself; the guest's console is a cooked terminal line that echoes, erases
with ^? and ends at ^D (docs/design.md, "The console").

terminal.py --unikit UNIKIT lua.images"""
import argparse
import json
import os
import pty
import select
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--unikit", required=True)
    p.add_argument("manifest")
    a = p.parse_args()
    with open(a.manifest) as f:
        m = json.load(f)
    imgs = [i["image"] for i in m["images"] if i["platform"] == "kvm"]
    if not imgs:
        print("SKIP: no kvm image in the manifest")
        return 77
    img = os.path.join(os.path.dirname(os.path.abspath(a.manifest)), imgs[0])
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.executable, [sys.executable, a.unikit, "run", "--image", img,
                                  "--timeout", "200"])
    out = bytearray()
    problems = []

    pos = [0]  # where the next search starts

    def until(what, secs):
        """read until `what` shows up after what was matched last"""
        end = time.monotonic() + secs
        while what not in out[pos[0]:]:
            left = end - time.monotonic()
            if left <= 0:
                problems.append(f"no {what!r} within {secs} s")
                return False
            r, _, _ = select.select([fd], [], [], min(left, 0.5))
            if r:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    problems.append(f"the terminal closed before {what!r}")
                    return False
                out.extend(chunk)
        pos[0] = out.index(what, pos[0]) + len(what)
        return True

    # typed as a user types: CR for Enter, ^? to erase, ^D at a line's start
    if until(b"> ", 240):
        os.write(fd, b"print(6*7)\r")
        if until(b"42", 60) and until(b"> ", 60):
            os.write(fd, b"x = 1\x7f2\r")
            until(b"> ", 60)
            os.write(fd, b"print(x + 1)\r")
            if until(b"3", 60) and until(b"> ", 60):
                os.write(fd, b"\x04")
    wpid, st = 0, 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the rest, until unikit run ends
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out.extend(chunk)
        wpid, st = os.waitpid(pid, os.WNOHANG)
        if wpid:
            break
    else:
        os.kill(pid, 9)
        problems.append("unikit run did not end after ^D")
    if not wpid:
        _, st = os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    for want in ("> print(6*7)\r\n42\r\n", "> x = 1\b \b2\r\n", "print(x + 1)\r\n"):
        if want not in text:
            problems.append(f"no {want!r} (echo, erase, the answer)")
    if os.waitstatus_to_exitcode(st) != 0:
        problems.append(f"exit status {os.waitstatus_to_exitcode(st)}, expected 0 (^D ends lua)")
    sys.stdout.write(text.replace("\r\n", "\n"))
    for pr in problems:
        print(f"FAIL: {pr}")
    if not problems:
        print("ok: prompt, echo, erase and ^D at a terminal")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
