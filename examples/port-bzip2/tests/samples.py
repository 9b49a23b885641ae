#!/usr/bin/env python3
"""bzip2's `make test` in the image, its references checked by the host's
bzip2 (boot test of port-bzip2).

samples.py --unikit UNIKIT --program bzip2.images bzip2-check.images SAMPLE...
First the host's bzip2 must produce the reference files from the sample
texts (-1/-2/-3) and give the texts back: the references are then what a
correct bzip2 makes. Then every image of bzip2-check.images runs the six
comparisons of `make test` with the sample files in /s, and every image of
bzip2.images compresses a file given as argument (bzip2 -9 -v)."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def images(manifest):
    with open(manifest) as f:
        m = json.load(f)
    where = os.path.dirname(os.path.abspath(manifest))
    return [os.path.join(where, i["image"]) for i in m["images"]]


def boot(unikit, img, initrd, args=()):
    r = subprocess.run([sys.executable, unikit, "run", "--image", img, "--initrd", initrd,
                        "--timeout", "200", "--"] + list(args), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=260)
    return r.returncode, r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--unikit", required=True)
    p.add_argument("--program", required=True)
    p.add_argument("check")
    p.add_argument("samples", nargs="+")
    a = p.parse_args()
    files = {os.path.basename(s): s for s in a.samples}
    failed = []
    for n in (1, 2, 3):
        ref = open(files[f"sample{n}.ref"], "rb").read()
        bz2 = open(files[f"sample{n}.bz2"], "rb").read()
        host = subprocess.run(["bzip2", f"-{n}"], input=ref, capture_output=True, check=True).stdout
        back = subprocess.run(["bzip2", "-d"], input=bz2, capture_output=True, check=True).stdout
        if host != bz2 or back != ref:
            failed.append(f"the host's bzip2 disagrees with sample{n}.bz2/.ref")
    print("host: bzip2 -1/-2/-3 of sample1-3.ref are sample1-3.bz2, and -d gives them back")
    for img in images(a.check):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "s"))
            for name, path in files.items():
                shutil.copy(path, os.path.join(d, "s", name))
            rc, out = boot(a.unikit, img, d)
        same = re.findall(r"^bzip2-check: \S+ and \S+ are identical", out, re.M)
        print(f"{os.path.basename(img)}: {len(same)} of 6 comparisons identical, exit status {rc}")
        if rc != 0 or len(same) != 6 or not re.search(r"^bzip2-check: 0 of 6 comparisons differ",
                                                      out, re.M):
            sys.stdout.write(out[-6000:])
            failed.append(f"{os.path.basename(img)}: make test's comparisons failed")
    # the program image on a file argument (-k keeps the input, -c is not
    # usable: the console turns \n into \r\n)
    text = open(files["sample2.ref"], "rb").read()
    for img in images(a.program):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "s"))
            shutil.copy(files["sample2.ref"], os.path.join(d, "s", "t"))
            rc, out = boot(a.unikit, img, d, ["-9", "-v", "/s/t"])
        if rc != 0 or not re.search(r"/s/t:\s+\d+\.\d+:1", out):
            sys.stdout.write(out[-3000:])
            failed.append(f"{os.path.basename(img)}: bzip2 -9 -v /s/t failed")
        else:
            print(f"{os.path.basename(img)}: " + re.search(r"/s/t:.*", out).group(0).strip())
    for f in failed:
        print("FAIL: " + f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
