#!/usr/bin/env python3
"""Stand-in for GCC's lto-wrapper that keeps what LTO produced.

compose.py puts this file, named lto-wrapper, in a directory it gives gcc with
-B, so the linker plugin runs it instead of the real one. It runs the real
lto-wrapper (UNIKIT_REAL_LTO_WRAPPER), passes its output through unchanged,
and hard-links (or copies) every object file named on that output - the
ltrans objects holding the optimized code and the early-debug objects - into
UNIKIT_LTO_KEEP, listing them in order in UNIKIT_LTO_KEEP/list. The composer's
second link then uses those objects instead of running LTO again.

Keeping is best effort: if anything about it fails, the link goes on as if this
were the real lto-wrapper and the composer, finding no list, links with LTO.

Python 3 standard library only.
"""
import os
import shutil
import subprocess
import sys


def keep(names, where):
    kept = []
    for i, name in enumerate(names):
        dst = os.path.join(where, f"{i:04d}-{os.path.basename(name)}")
        try:
            os.link(name, dst)
        except OSError:
            shutil.copyfile(name, dst)
        kept.append(dst)
    # written last, in one piece: a list exists only if every object is there
    with open(os.path.join(where, "list.tmp"), "w") as f:
        f.write("".join(k + "\n" for k in kept))
    os.replace(os.path.join(where, "list.tmp"), os.path.join(where, "list"))


def main():
    real = os.environ.get("UNIKIT_REAL_LTO_WRAPPER", "")
    if not os.path.isabs(real):
        print("ltokeep.py: UNIKIT_REAL_LTO_WRAPPER is not an absolute path", file=sys.stderr)
        return 1
    p = subprocess.run([real] + sys.argv[1:], stdout=subprocess.PIPE)
    sys.stdout.buffer.write(p.stdout)
    sys.stdout.flush()
    where = os.environ.get("UNIKIT_LTO_KEEP")
    if p.returncode == 0 and where:
        names = [n for n in p.stdout.decode("utf-8", "replace").splitlines() if n.strip()]
        try:
            keep(names, where)
        except OSError as e:
            print(f"ltokeep.py: not keeping the LTO output ({e})", file=sys.stderr)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
