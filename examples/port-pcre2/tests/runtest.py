#!/usr/bin/env python3
"""PCRE2's RunTest tests in the image (boot test of port-pcre2).

runtest.py --unikit UNIKIT --tests 1,2,4,5 pcre2test-check.images TESTDATA...
For every image of the manifest and every test N: an initrd with the
testdata files in /testdata (and testbtables in /, where test 2 loads it
from), one boot running `pcre2-check N` (pcre2test on testinputN, compared
line by line with testoutputN in the image); the image must report 0
differing lines and exit 0."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--unikit", required=True)
    p.add_argument("--tests", required=True)
    p.add_argument("manifest")
    p.add_argument("testdata", nargs="+")
    a = p.parse_args()
    with open(a.manifest) as f:
        m = json.load(f)
    where = os.path.dirname(os.path.abspath(a.manifest))
    failed = []
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, "testdata"))
        for t in a.testdata:
            shutil.copy(t, os.path.join(d, "testdata"))
            if os.path.basename(t) == "testbtables":
                shutil.copy(t, d)
        for i in m["images"]:
            img = os.path.join(where, i["image"])
            for n in a.tests.split(","):
                r = subprocess.run([sys.executable, a.unikit, "run", "--image", img, "--initrd", d,
                                    "--timeout", "200", "--", n], stdin=subprocess.DEVNULL,
                                   capture_output=True, timeout=260)
                out = r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")
                s = re.search(rf"^pcre2-check: test {n}: (\d+) of (\d+) lines differ", out, re.M)
                if r.returncode == 0 and s and s.group(1) == "0":
                    print(f"{i['image']}: test {n}: pcre2test's output is testoutput{n} "
                          f"({s.group(2)} lines, 0 differences)")
                else:
                    sys.stdout.write(out[-6000:])
                    failed.append(f"{i['image']}: test {n} (exit status {r.returncode})")
    for f in failed:
        print("FAIL: " + f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
