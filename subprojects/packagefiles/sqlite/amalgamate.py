#!/usr/bin/env python3
"""Generate SQLite's amalgamation and shell with SQLite's own build system.

amalgamate.py SRCDIR WORKDIR CC OUT...
Runs SRCDIR/configure (for the build machine: only the code generators -
lemon, mkkeywordhash, the Tcl scripts - run here) in WORKDIR, then
`make sqlite3.c shell.c`, and copies each OUT's basename from WORKDIR to
OUT (sqlite3.c, sqlite3.h, shell.c)."""
import os
import shutil
import subprocess
import sys


def main():
    src, work, cc, outs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, CC=cc)
    for k in ("CFLAGS", "CPPFLAGS", "LDFLAGS"):
        env.pop(k, None)
    steps = [[os.path.join(os.path.abspath(src), "configure"), "--disable-tcl",
              "--disable-readline", "--disable-editline", "--disable-load-extension"],
             ["make", "sqlite3.c", "shell.c"]]
    for cmd in steps:
        p = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stdout[-4000:] + p.stderr[-4000:])
            sys.stderr.write(f"amalgamate.py: {' '.join(cmd)} failed (exit {p.returncode})\n")
            return 1
    for out in outs:
        shutil.copyfile(os.path.join(work, os.path.basename(out)), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
