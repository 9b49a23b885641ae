#!/usr/bin/env python3
"""Every library, platform and arch project must configure, build and pass its
own tests on its own: `meson setup B DIR && meson test -C B`, as a developer
working on just that library would. Runs two at a time.

--quick (what `meson test` runs): each project's unit tests in their plain
build only (-Dukbuild:sanitize_variants=false); their ASan+UBSan builds are
the same sources, and unikit's own build runs them (suite sanitize). Without
--quick both, as a developer's `meson setup` gives."""
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


def uses_ukbuild(rel):
    with open(os.path.join(ROOT, rel, "meson.build")) as f:
        return "subproject('ukbuild')" in f.read()


def check(rel, tmp, quick):
    b = os.path.join(tmp, rel.replace("/", "_"))
    log = []
    opts = ["-Dukbuild:sanitize_variants=false"] if quick and uses_ukbuild(rel) else []
    for cmd in (["meson", "setup", b, os.path.join(ROOT, rel)] + opts,
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
    quick = sys.argv[1:] == ["--quick"]
    if sys.argv[1:] not in ([], ["--quick"]):
        print("usage: standalone.py [--quick]")
        return 2
    if quick:
        print("standalone: quick mode: each project's unit tests in their plain build only; "
              "their ASan+UBSan builds ran in unikit's own build (suite sanitize); "
              "tests/standalone.py without --quick builds and runs both")
    with tempfile.TemporaryDirectory(prefix="unikit-standalone-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(2) as ex:
            for rel, good, info in ex.map(lambda r: check(r, tmp, quick), list(projects())):
                if good:
                    print(f"ok   {rel}: {' '.join(info.split())}")
                else:
                    ok = False
                    print(f"FAIL {rel}\n{info}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
