#!/usr/bin/env python3
"""Our C sources must match .clang-format (third-party code under subprojects/
is not ours and is not checked)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIRS = ("libs", "platforms", "archs", "examples", "tests")


def sources():
    for top in DIRS:
        for dirpath, dirnames, files in os.walk(os.path.join(ROOT, top)):
            # a library's subprojects/ holds symlinks to other projects
            dirnames[:] = [d for d in dirnames if d != "subprojects" and not d.startswith(("build", "."))]
            for f in files:
                if f.endswith((".c", ".h")):
                    yield os.path.join(dirpath, f)


def main():
    files = sorted(sources())
    p = subprocess.run(["clang-format", "--dry-run", "-Werror", "--style=file"] + files,
                       capture_output=True, text=True, cwd=ROOT)
    sys.stdout.write(p.stdout + p.stderr[-8000:])
    if p.returncode:
        print("FAIL: run `clang-format -i` on the files above")
        return 1
    print(f"ok: {len(files)} files formatted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
