#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Print the musl sources unikit compiles, one per line, as the upstream
Makefile selects them for ARCH: every src/*/*.c, plus src/*/ARCH/*.[csS],
where an arch file replaces the generic .c of the same base name.

Usage: sources.py SRCDIR ARCH [--skip-dir D]... [--skip F]... [--keep F]...
  --skip-dir D   leave out everything under D (e.g. src/malloc)
  --skip F       leave out F; F is a base path without suffix, generic
                 (src/thread/clone) or arch-specific (src/thread/ARCH/clone):
                 skipping an arch file lets the generic .c of that name back in
  --keep F       keep file F (with suffix) although its directory is skipped
Lines are "lto PATH" or "nolto PATH" (--nolto F: base paths compiled
without LTO; assembly is never LTO anyway).
"""
import argparse
import glob
import os
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("srcdir")
    p.add_argument("arch")
    p.add_argument("--skip-dir", action="append", default=[])
    p.add_argument("--skip", action="append", default=[])
    p.add_argument("--keep", action="append", default=[])
    p.add_argument("--nolto", action="append", default=[])
    a = p.parse_args()
    os.chdir(a.srcdir)
    skip = set(s.replace("ARCH", a.arch) for s in a.skip)
    generic = sorted(glob.glob("src/*/*.c"))
    arch = sorted(f for pat in ("*.c", "*.s", "*.S")
                  for f in glob.glob(f"src/*/{a.arch}/{pat}"))
    arch = [f for f in arch if os.path.splitext(f)[0] not in skip]
    # an arch file stands in for the generic one of the same base name
    replaced = {os.path.splitext(f)[0].replace(f"/{a.arch}/", "/") for f in arch}
    chosen = [f for f in generic if os.path.splitext(f)[0] not in replaced | skip] + arch

    def skipped_dir(f):
        return any(f.startswith(d.rstrip("/") + "/") for d in a.skip_dir)

    out = []
    for f in sorted(chosen):
        if skipped_dir(f) and f not in a.keep:
            continue
        kind = "nolto" if (os.path.splitext(f)[0] in a.nolto or f.endswith((".s", ".S"))) else "lto"
        out.append(f"{kind} {f}")
    if not out:
        sys.exit(f"sources.py: no sources under {a.srcdir}/src for {a.arch}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
