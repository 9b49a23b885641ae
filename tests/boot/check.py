#!/usr/bin/env python3
"""Run a command and check its exit status and output.

check.py [--rc N] [--expect REGEX]... [--reject REGEX]... [--env K=V]... [--fresh DIR]... -- CMD...
An argument @LINE:N:WORD@ becomes one argument of N copies of WORD joined by
spaces; @ARGS:N:WORD@ becomes N separate arguments (for huge command lines);
@PYTHON@ is this interpreter's real path (for tests that empty PATH).
Every --expect must match the combined stdout+stderr (re.MULTILINE; CR LF
counts as a line end), no
--reject may match, and the exit status must be N (default 0). On failure the
whole output is printed with the reason, so the test log says what went wrong.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rc", type=int, default=0)
    p.add_argument("--expect", action="append", default=[])
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--fresh", action="append", default=[], metavar="DIR",
                   help="remove DIR first (a build directory the command must create anew)")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    raw = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    cmd = []
    for arg in raw:
        m = re.fullmatch(r"@(LINE|ARGS):(\d+):([^@]*)@", arg)
        if arg == "@PYTHON@":
            cmd.append(sys.executable)
        elif not m:
            cmd.append(arg)
        elif m.group(1) == "LINE":
            cmd.append(" ".join([m.group(3)] * int(m.group(2))))
        else:
            cmd.extend([m.group(3)] * int(m.group(2)))
    for d in a.fresh:
        shutil.rmtree(d, ignore_errors=True)
    env = dict(os.environ)
    for kv in a.env:
        k, _, v = kv.partition("=")
        env[k] = v
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=env, timeout=a.timeout)
    except subprocess.TimeoutExpired as e:
        sys.stdout.write((e.output or b"").decode("utf-8", "replace"))
        print(f"FAIL: no exit within {a.timeout} s")
        return 1
    # a serial terminal's CR LF ends a line too: the guest sends "\n" as
    # "\r\n" (termios ONLCR) unless `unikit run` turns that off, which it
    # does not for --cmdline runs (the command line is the user's, as is);
    # byte-exact output has its own tests (port-zlib's minigzip-roundtrip)
    out = r.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    problems = []
    if r.returncode != a.rc:
        problems.append(f"exit status {r.returncode}, expected {a.rc}")
    for rx in a.expect:
        if not re.search(rx, out, re.M):
            problems.append(f"output lacks /{rx}/")
    for rx in a.reject:
        if re.search(rx, out, re.M):
            problems.append(f"output has /{rx}/")
    sys.stdout.write(out[-20000:])
    for pr in problems:
        print("FAIL: " + pr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
