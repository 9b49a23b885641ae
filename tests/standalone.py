#!/usr/bin/env python3
"""Every library, platform and arch project must configure, build and pass its
own tests on its own: `meson setup B DIR && meson test -C B`, as a developer
working on just that library would. Runs two at a time."""
import concurrent.futures
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def projects():
    for top in ("libs", "platforms", "archs"):
        for d in sorted(os.listdir(os.path.join(ROOT, top))):
            if os.path.isfile(os.path.join(ROOT, top, d, "meson.build")):
                yield os.path.join(top, d)


def check(rel, tmp):
    b = os.path.join(tmp, rel.replace("/", "_"))
    log = []
    for cmd in (["meson", "setup", b, os.path.join(ROOT, rel)],
                ["ninja", "-C", b],
                ["meson", "test", "-C", b, "--print-errorlogs"]):
        p = subprocess.run(cmd, capture_output=True, text=True)
        log.append(f"$ {' '.join(cmd)}\n{p.stdout[-3000:]}{p.stderr[-3000:]}")
        if p.returncode != 0:
            return rel, False, "\n".join(log)
    tests = [l for l in p.stdout.splitlines() if l.startswith("Ok:")]
    return rel, True, tests[0] if tests else "no tests"


def main():
    ok = True
    with tempfile.TemporaryDirectory(prefix="unikit-standalone-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(2) as ex:
            for rel, good, info in ex.map(lambda r: check(r, tmp), list(projects())):
                if good:
                    print(f"ok   {rel}: {' '.join(info.split())}")
                else:
                    ok = False
                    print(f"FAIL {rel}\n{info}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
