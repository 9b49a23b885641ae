#!/usr/bin/env python3
"""A crash dump written by the fault example, opened by `unikit debug --core`.

coredump_check.py UNIKIT IMAGE WORKDIR
Boots `fault null` with `unikit run --crash-dump` (status 125, the dump on
COM2), then runs gdb on it offline with tests/boot/debug/core.gdb: the
faulting function at its source line, its callers, globals from the dumped
data. A truncated copy of the dump must be refused by name."""
import os
import re
import shutil
import subprocess
import sys


def run(cmd):
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    out = p.stdout + p.stderr
    print(f"$ {' '.join(cmd[1:])}\n{out.strip()}\n(exit {p.returncode})")
    return p.returncode, out


def main():
    unikit, image, work = sys.argv[1:4]
    compiler = sys.argv[4] if len(sys.argv) > 4 else "gcc"
    py = sys.executable
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    dump = os.path.join(work, "fault.core")
    problems = []
    rc, out = run([py, unikit, "run", "--timeout", "200", "--image", image, "--crash-dump", dump,
                   "--", "null"])
    if rc != 125:
        problems.append(f"fault null exited {rc}, expected 125")
    if not re.search(r"crash dump: \d+ bytes written to COM2", out):
        problems.append("no 'crash dump: N bytes written to COM2' on the console")
    gdbfile = os.path.join(os.path.dirname(os.path.abspath(__file__)), "debug", "core.gdb")
    rc, out = run([py, unikit, "debug", image, "--core", dump, "--gdb-batch", gdbfile])
    expects = [r"crash dump .*: vector 14, error code 0x2, RIP 0x[0-9a-f]+, CR2 0x0",
               r"Program terminated with signal SIGSEGV",
               r"^\$1 = \(int \* volatile\) 0x0$", r"^\$2 = 0$",
               r"=> 0x[0-9a-f]+ <fault_null_write\+\d+>:\s+mov"]
    if compiler == "gcc":
        # gcc's frames exactly: main is inlined into ukboot's ctors_and_main,
        # which runs it on main()'s own stack; argc may be optimised out
        expects += [r"^#0  fault_null_write \(value=42\) at [^ ]*fault/main\.c:\d+$",
                    r"^#1  0x[0-9a-f]+ in fault_dispatch \(.*\"null\"\) at [^ ]*main\.c:\d+$",
                    r"^#2  0x[0-9a-f]+ in main \(.*argc=(2|<optimized out>)\) at [^ ]*main\.c:\d+$",
                    r"^#3  ctors_and_main \(.*\) at [^ ]*ukboot/src/boot\.c:\d+$"]
    else:
        # clang: the same chain, but its frame #0 carries an address and
        # fault_dispatch's argument string reads as "" from the dump (not
        # understood yet: docs/debugging.md)
        expects += [r"^#0  (0x[0-9a-f]+ in )?fault_null_write \(value=42\) at [^ ]*fault/main\.c:\d+$",
                    r"^#1  0x[0-9a-f]+ in fault_dispatch \(.*\) at [^ ]*main\.c:\d+$",
                    r"^#2  0x[0-9a-f]+ in main \(.*\) at [^ ]*main\.c:\d+$"]
    for rx in expects:
        if not re.search(rx, out, re.M):
            problems.append(f"gdb output lacks /{rx}/")
    if rc != 0:
        problems.append(f"unikit debug --core exited {rc}")
    cut = os.path.join(work, "cut.core")
    with open(dump, "rb") as f, open(cut, "wb") as g:
        g.write(f.read()[:5000])
    rc, out = run([py, unikit, "debug", image, "--core", cut])
    if rc != 2 or "runs past the end of the file (5000 bytes)" not in out:
        problems.append("a truncated dump was not refused with 'runs past the end of the file'")
    for p in problems:
        print("FAIL: " + p)
    if not problems:
        print("OK: crash dump written on COM2 and opened by gdb offline")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
