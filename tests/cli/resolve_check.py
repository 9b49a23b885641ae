#!/usr/bin/env python3
"""Bad input to automatic library selection, each a specific message naming
the thing and the choices: an unknown feature or library, a dependency
cycle, a library missing for the chosen libc or platform (through mkimage,
as an app's build meets them), and an application directory without a
meson.build (through the CLI).

usage: resolve_check.py UNIKIT POOL.json APP_ARCHIVE
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MKIMAGE = os.path.join(ROOT, "linker", "mkimage.py")


def mkimage(pool, needs, archive, tmp, platforms=""):
    path = os.path.join(tmp, "pool.json")
    with open(path, "w") as f:
        json.dump(pool, f)
    cmd = [sys.executable, MKIMAGE, "--pool", path, os.path.join(tmp, "app.images"), archive,
           "--needs", needs] + (["--platforms", platforms] if platforms else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def main():
    unikit, pool_path, archive = sys.argv[1:4]
    pool = json.load(open(pool_path))
    failures = 0

    def expect(what, rc, out, rx):
        nonlocal failures
        ok = rc != 0 and re.search(rx, out)
        print(f"{'ok  ' if ok else 'FAIL'} {what}: exit {rc}: {out.strip().splitlines()[-1] if out.strip() else ''}")
        if not ok:
            print(f"     wanted /{rx}/ in:\n{out}")
            failures += 1

    with tempfile.TemporaryDirectory(prefix="unikit-resolve-") as tmp:
        rc, out = mkimage(pool, "netz", archive, tmp)
        expect("unknown feature", rc, out,
               r"app needs 'netz', which is neither a feature nor a library of the pool \(did you "
               r"mean 'net'\?\); features: .*files.*; libraries: .*ukalloc")
        bad = copy.deepcopy(pool)
        bad["libs"]["ukdebug"]["requires"] = ["ukboot"]
        rc, out = mkimage(bad, "ukboot", archive, tmp)
        expect("dependency cycle", rc, out, r"dependency cycle: (ukboot -> ukdebug -> ukboot|"
               r"ukdebug -> ukboot -> ukdebug)")
        bad = copy.deepcopy(pool)
        bad["features"]["loop"] = ["loop2"]
        bad["features"]["loop2"] = ["loop"]
        rc, out = mkimage(bad, "loop", archive, tmp)
        expect("feature cycle", rc, out, r"feature cycle: loop -> loop2 -> loop")
        bad = copy.deepcopy(pool)
        bad["libc"]["name"] = "newlib"
        bad["libc"]["requires"] = []
        bad["libs"].setdefault("muslglue", {"path": archive, "requires": [], "platforms": [],
                                            "libcs": ["musl"]})
        rc, out = mkimage(bad, "muslglue", archive, tmp)
        expect("library missing for the libc", rc, out,
               r"muslglue \(app needs muslglue\) does not work with libc newlib \(only with musl\)")
        bad = copy.deepcopy(pool)
        bad["libc"]["name"] = "nolibc"
        bad["unavailable"] = {"posixsocket": ["musl", "newlib"]}
        bad["libs"].pop("posixsocket", None)
        rc, out = mkimage(bad, "net", archive, tmp)
        expect("library this libc's build lacks", rc, out,
               r"posixsocket \(feature net\) does not work with libc nolibc \(only with musl, "
               r"newlib\); choose -Dunikit:libc=musl")
        if "linuxu" in pool["platforms"] and "virtionet" in pool["libs"]:
            rc, out = mkimage(pool, "virtionet", archive, tmp, platforms="linuxu")
            expect("library missing for the platform", rc, out,
                   r"virtionet \(app needs virtionet\) is not available on the linuxu platform "
                   r"\(it runs on kvm\)")
        rc, out = mkimage(pool, "", archive, tmp, platforms="xen")
        expect("unknown platform", rc, out, r"--platforms xen: not a platform of this build; "
               r"platforms: ")
        empty = os.path.join(tmp, "emptyapp")
        os.makedirs(empty)
        p = subprocess.run([sys.executable, unikit, "build", empty], capture_output=True, text=True)
        expect("app directory without meson.build", p.returncode, p.stderr,
               r"emptyapp has no meson.build: not an application repository \(`unikit new ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
