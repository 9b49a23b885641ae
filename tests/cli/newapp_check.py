#!/usr/bin/env python3
"""A new user's first application, exactly as docs/apps.md says: `unikit new
DIR --features threads,files`, then in DIR `meson setup build --cross-file
subprojects/unikit/cross/x86_64-gcc.ini`, `ninja -C build`, `meson test -C
build`; then `unikit run DIR` on kvm (microvm) and on linuxu. This builds the
whole pool once more, in the new app's own build directory.

usage: newapp_check.py UNIKIT
"""
import os
import re
import subprocess
import sys
import tempfile


def run(cmd, cwd=None, timeout=1500):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    out = p.stdout + p.stderr
    return p.returncode, out


def main():
    unikit = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory(prefix="unikit-newapp-") as tmp:
        d = os.path.join(tmp, "demo")
        steps = [
            ([sys.executable, unikit, "new", d, "--features", "threads,files"], None, None),
            (["meson", "setup", "build", "--cross-file",
              "subprojects/unikit/cross/x86_64-gcc.ini"], d, None),
            (["ninja", "-C", "build"], d, None),
            (["meson", "test", "-C", "build", "--print-errorlogs"], d, r"Ok:\s+1\b"),
            ([sys.executable, unikit, "run", d], None,
             r"^Hello from demo! 2 lines from 2 threads$"),
            ([sys.executable, unikit, "run", d, "--plat", "linuxu"], None,
             r"^Hello from demo! 2 lines from 2 threads$"),
        ]
        for cmd, cwd, want in steps:
            rc, out = run(cmd, cwd)
            tail = "\n".join(out.strip().splitlines()[-8:])
            if rc != 0 or (want and not re.search(want, out, re.M)):
                failures.append(f"{' '.join(cmd)}: exit {rc}")
                print(f"FAIL: exit {rc}{'' if not want else f', wanted /{want}/'}\n{out[-6000:]}")
                break
            print(f"ok   ({tail.splitlines()[-1] if tail else 'no output'})", flush=True)
        for f in ("build/demo_kvm-x86_64", "build/demo_linuxu-x86_64",
                  "build/demo_kvm-x86_64.size", "build/demo.images"):
            if not failures and not os.path.isfile(os.path.join(d, f)):
                failures.append(f"{f} missing")
                print(f"FAIL: {f} was not made")
    print("newapp: " + ("all steps passed" if not failures else "FAILED: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
