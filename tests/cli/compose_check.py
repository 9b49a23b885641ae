#!/usr/bin/env python3
"""The composer's second link reuses the first link's LTO output instead of
running LTO again (docs/design.md). That must change nothing: the image made
this way must be byte for byte the one two LTO links make (--relink-lto),
its map must name the same archive members (what `unikit size --why`
explains), and the fast way must really have been taken (no note that it
fell back).

    compose_check.py MKIMAGE POOL.json APP.a [LIB.a ...]
"""
import filecmp
import json
import os
import re
import subprocess
import sys
import tempfile
import time


def make(mkimage, pool, archives, outdir, extra):
    out = os.path.join(outdir, "compose-check.images")
    t = time.monotonic()
    p = subprocess.run([sys.executable, mkimage, "--pool", pool] + extra + [out] + archives,
                       capture_output=True, text=True)
    took = time.monotonic() - t
    if p.returncode:
        print(p.stdout + p.stderr)
        raise SystemExit(f"FAIL: mkimage {' '.join(extra)} failed")
    with open(out) as f:
        images = [i["image"] for i in json.load(f)["images"]]
    return images, p.stderr, took


def map_members(path):
    """The archive members a link map says the link took."""
    with open(path, errors="replace") as f:
        text = f.read()
    m = re.search(r"Archive member included to satisfy reference by file \(symbol\)\n\n(.*?)\n\n",
                  text, re.S)
    return [l.split()[0] for l in (m.group(1).splitlines() if m else [])
            if l and not l[0].isspace()]


def main():
    mkimage, pool, archives = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tempfile.TemporaryDirectory(prefix="compose-check-") as tmp:
        fast_dir, lto_dir = os.path.join(tmp, "fast"), os.path.join(tmp, "lto")
        os.makedirs(fast_dir)
        os.makedirs(lto_dir)
        fast, err, t_fast = make(mkimage, pool, archives, fast_dir, [])
        lto, _, t_lto = make(mkimage, pool, archives, lto_dir, ["--compose-arg=--relink-lto"])
        print(f"images: {', '.join(fast)}; one LTO {t_fast:.1f} s, LTO in both links {t_lto:.1f} s")
        if "note:" in err:
            print(err)
            print("FAIL: the composer fell back to a second LTO link")
            return 1
        if not fast or fast != lto:
            print(f"FAIL: different image sets: {fast} vs {lto}")
            return 1
        for img in fast:
            a, b = os.path.join(fast_dir, img), os.path.join(lto_dir, img)
            if not filecmp.cmp(a, b, shallow=False):
                print(f"FAIL: {img} differs between the two ways of linking")
                return 1
            ma, mb = map_members(a + ".map"), map_members(b + ".map")
            if not ma or ma != mb:
                print(f"FAIL: {img}.map: archive members differ ({len(ma)} vs {len(mb)})")
                return 1
            print(f"{img}: identical ({os.path.getsize(a)} bytes, {len(ma)} archive members)")
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
