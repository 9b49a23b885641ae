#!/usr/bin/env python3
"""minigzip round trip against the host's gzip (boot test of port-zlib).

roundtrip.py --unikit UNIKIT minigzip-check.images
For every image of the manifest: an initrd with /data/text (200 KB of text
and binary bytes), /data/text.ref (a copy) and /data/host.gz (the host's
`gzip -9` of it); the image compresses text with minigzip and prints the
result in hex (checked here with the host's `gzip -d`), and decompresses
host.gz and compares it with text.ref itself."""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile


def sample():
    rnd = random.Random(15)
    words = [w.encode() for w in "zlib deflate inflate window huffman literal length distance "
             "block stored fixed dynamic adler crc gzip header trailer".split()]
    out = bytearray()
    while len(out) < 200_000:
        if rnd.random() < 0.1:
            out += bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 64)))  # \r \n \0 too
        else:
            out += b" ".join(rnd.choice(words) for _ in range(rnd.randrange(3, 12))) + b"\n"
    return bytes(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--unikit", required=True)
    p.add_argument("manifest")
    a = p.parse_args()
    with open(a.manifest) as f:
        m = json.load(f)
    where = os.path.dirname(os.path.abspath(a.manifest))
    text = sample()
    failed = 0
    for i in m["images"]:
        img = os.path.join(where, i["image"])
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "data"))
            for name in ("text", "text.ref"):
                with open(os.path.join(d, "data", name), "wb") as f:
                    f.write(text)
            gz = subprocess.run(["gzip", "-9", "-n", "-c"], input=text, capture_output=True,
                                check=True).stdout
            with open(os.path.join(d, "data", "host.gz"), "wb") as f:
                f.write(gz)
            r = subprocess.run([sys.executable, a.unikit, "run", "--image", img, "--initrd", d,
                                "--timeout", "200"], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=260)
        out = r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")
        problems = []
        if r.returncode != 0:
            problems.append(f"exit status {r.returncode}")
        hexdata = "".join(re.findall(r"^hex:([0-9a-f]+)\r?$", out, re.M))
        if not re.search(r"^roundtrip: end /data/text\.gz, \d+ bytes", out, re.M):
            problems.append("no compressed output")
        else:
            back = subprocess.run(["gzip", "-d", "-c"], input=bytes.fromhex(hexdata),
                                  capture_output=True)
            if back.returncode != 0:
                problems.append("the host's gzip refused minigzip's output: " +
                                back.stderr.decode(errors="replace").strip())
            elif back.stdout != text:
                problems.append("the host's gzip -d of minigzip's output differs from the input")
            else:
                print(f"{i['image']}: minigzip -9 compressed {len(text)} bytes to {len(hexdata) // 2};"
                      " the host's gzip -d gives them back")
        if not re.search(r"^roundtrip: /data/host is identical to /data/text\.ref", out, re.M):
            problems.append("minigzip -d of the host's gzip output is not the input")
        else:
            print(f"{i['image']}: minigzip -d of the host's gzip -9 output ({len(gz)} bytes) "
                  "is identical to the input")
        if problems:
            failed += 1
            sys.stdout.write(out[-6000:])
            for pr in problems:
                print(f"FAIL {i['image']}: {pr}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
