#!/usr/bin/env python3
"""Compare the header values an image prints (tests/boot/muslhdr/main.c run
under `unikit run`) with the same file compiled by the build machine's
musl-gcc and run on the host: any difference means the image's programs see
other musl headers than a normal musl installation (e.g. arch/generic's
bits/ before arch/x86_64's).

compare.py MUSL_GCC SOURCE -- COMMAND... (the command that runs the image)
"""
import os
import subprocess
import sys
import tempfile


def values(text):
    return dict(l.split("=", 1) for l in text.splitlines() if "=" in l and not l.startswith("["))


def main():
    musl_gcc, src = sys.argv[1], sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "host")
        subprocess.run([musl_gcc, "-static", "-O1", "-o", exe, src], check=True)
        want = values(subprocess.run([exe], check=True, capture_output=True,
                                     text=True).stdout)
    p = subprocess.run(cmd, capture_output=True, text=True)
    got = values(p.stdout)
    bad = 0
    for k, v in want.items():
        if got.get(k) != v:
            print(f"MISMATCH {k}: image {got.get(k)}, musl-gcc {v}")
            bad += 1
    if p.returncode != 0:
        print(f"the image exited with {p.returncode}:\n{p.stdout}{p.stderr}")
        bad += 1
    print(f"{len(want) - bad} of {len(want)} values agree with musl-gcc")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
