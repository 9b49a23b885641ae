#!/usr/bin/env python3
"""Malformed initrds at boot: each variant of a valid archive must stop the
boot with a message naming the entry and the offset (and exit status 123,
boot failure), never crash or hang.

usage: badinitrd.py UNIKIT IMAGE ROOTFS_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "cli"))
from unikit.initrd import cpio_newc  # noqa: E402



def variants(good):
    first_name = good[110:110 + int(good[94:102], 16) - 1].decode()
    # a file entry: find 'etc/motd' and its data
    i = good.index(b"etc/motd\0")
    hdr = good.rfind(b"070701", 0, i)
    size = int(good[hdr + 54:hdr + 62], 16)
    yield ("truncated in a file's data", good[:i + 12],
           rf"initrd: entry 'etc/motd' at offset {hex(hdr)}: file data runs past the end "
           rf"of the archive \(needs {size} bytes")
    yield ("bad magic", b"070707" + good[6:],
           rf"initrd: entry #1 at offset 0x0: bad magic '070707'")
    bad = bytearray(good)
    bad[hdr + 60] = ord("z")  # inside the file-size field
    yield ("non-hex digit", bytes(bad),
           rf"initrd: entry #\d+ at offset {hex(hdr)}: header field '\w+' has a non-hex digit")
    t = good.rindex(b"070701")  # the trailer's header
    yield ("no trailer", good[:t],
           r"initrd: .*(trailer|TRAILER)")
    yield ("header cut short", good[:hdr + 50],
           rf"initrd: entry #\d+ at offset {hex(hdr)}: header runs past the end")
    del first_name


def main():
    unikit, image, rootfs = sys.argv[1:4]
    good = cpio_newc(rootfs)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="unikit-badinitrd-") as tmp:
        for n, (what, data, want) in enumerate(variants(good)):
            path = os.path.join(tmp, f"bad{n}.cpio")
            with open(path, "wb") as f:
                f.write(data)
            p = subprocess.run([sys.executable, unikit, "run", "--timeout", "120",
                                "--image", image, "--initrd", path, "--", "/nothing"],
                               capture_output=True, text=True)
            out = p.stdout + p.stderr
            ok = p.returncode == 123 and re.search(want, out) and \
                not re.search(r"crash|panic|page fault", out, re.I)
            print(f"{'ok  ' if ok else 'FAIL'} {what}: exit {p.returncode}")
            if not ok:
                failures += 1
                print(f"  wanted /{want}/ and exit 123; output:\n" +
                      "\n".join("  | " + l for l in out.splitlines()[-15:]))
    print(f"badinitrd: {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
