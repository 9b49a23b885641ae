#!/usr/bin/env python3
"""minigzip round trip against the host's gzip (boot test of port-zlib), all
of it through `unikit run`'s stdin and stdout, which must carry the bytes
exactly (docs/design.md, "The console").

roundtrip.py --unikit UNIKIT minigzip.images
For every image of the manifest, with an initrd holding /data/text (200 KB
of text and binary bytes: "\\r\\n", "\\r", NUL...) and /data/host.gz (the
host's `gzip -9` of it):
  1. minigzip -c -9 /data/text    stdout gunzipped by the host: the text
  2. minigzip -d -c /data/host.gz stdout is the text, byte for byte
  3. minigzip -9 < stdin          (no file: stdin to stdout) the host pipes
     the text in; on kvm only text lines, because a serial console's input
     is a cooked terminal line whose end of file is ^D; on linuxu (the
     host's fd 0) the binary sample itself."""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile


def sample(binary=True):
    rnd = random.Random(15)
    words = [w.encode() for w in "zlib deflate inflate window huffman literal length distance "
             "block stored fixed dynamic adler crc gzip header trailer".split()]
    out = bytearray()
    while len(out) < 200_000:
        if binary and rnd.random() < 0.1:
            out += bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 64)))  # \r \n \0 too
        else:
            out += b" ".join(rnd.choice(words) for _ in range(rnd.randrange(3, 12))) + b"\n"
    return bytes(out)


def run(unikit, img, initrd, args, stdin=subprocess.DEVNULL, data=None):
    cmd = [sys.executable, unikit, "run", "--image", img, "--timeout", "200"]
    if initrd:
        cmd += ["--initrd", initrd]
    return subprocess.run(cmd + ["--"] + args, stdin=stdin if data is None else None,
                          input=data, capture_output=True, timeout=260)


def gunzip(data):
    return subprocess.run(["gzip", "-d", "-c"], input=data, capture_output=True)


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
        name = i["image"]
        problems = []
        shown = []

        def check(what, r, want_plain):
            """r: the run; want_plain: its stdout is the text (else gzip of it)"""
            shown.append(r.stderr.decode(errors="replace")[-3000:])
            if r.returncode != 0:
                problems.append(f"{what}: exit status {r.returncode}")
                return
            if want_plain is None:
                back = gunzip(r.stdout)
                if back.returncode != 0:
                    problems.append(f"{what}: the host's gzip refused the output "
                                    f"({len(r.stdout)} bytes): "
                                    + back.stderr.decode(errors="replace").strip())
                    return
                got, want = back.stdout, text_in
            else:
                got, want = r.stdout, want_plain
            if got != want:
                at = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]),
                          min(len(got), len(want)))
                problems.append(f"{what}: {len(got)} bytes, {len(want)} expected, "
                                f"first difference at byte {at}")
            else:
                print(f"{name}: {what}: {len(r.stdout)} bytes, exact")

        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "data"))
            with open(os.path.join(d, "data", "text"), "wb") as f:
                f.write(text)
            gz = subprocess.run(["gzip", "-9", "-n", "-c"], input=text, capture_output=True,
                                check=True).stdout
            with open(os.path.join(d, "data", "host.gz"), "wb") as f:
                f.write(gz)
            text_in = text
            check("minigzip -c -9 /data/text | host gzip -d",
                  run(a.unikit, img, d, ["-c", "-9", "/data/text"]), None)
            check("minigzip -d -c /data/host.gz (the host's gzip -9 output)",
                  run(a.unikit, img, d, ["-d", "-c", "/data/host.gz"]), text)
        # stdin: a cooked terminal line on kvm (text), the host's fd 0 on linuxu
        text_in = text if i.get("platform") == "linuxu" else sample(binary=False)
        check(f"{len(text_in)} bytes piped into minigzip -9 | host gzip -d",
              run(a.unikit, img, None, ["-9"], data=text_in), None)
        if problems:
            failed += 1
            for s in shown:
                sys.stdout.write(s)
            for pr in problems:
                print(f"FAIL {name}: {pr}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
