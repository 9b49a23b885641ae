#!/usr/bin/env python3
"""Pack files into a cpio newc initrd (with the same packer as
`./unikit run --initrd DIR`).

mkinitrd.py OUT.cpio DEST=SRC... DEST:=TEXT...
  DEST=SRC   copy the file SRC to DEST (executable bit kept)
  DEST:=TEXT a file DEST holding TEXT ('\\n' becomes a newline)
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "cli"))
from unikit.initrd import cpio_newc  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))



def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    out, entries = argv[0], argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        for e in entries:
            if ":=" in e:
                dest, text = e.split(":=", 1)
                src = None
            elif "=" in e:
                dest, src = e.split("=", 1)
            else:
                sys.exit(f"mkinitrd: bad entry {e!r}")
            path = os.path.join(tmp, dest.lstrip("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if src is None:
                with open(path, "w") as f:
                    f.write(text.replace("\\n", "\n"))
            else:
                shutil.copy(src, path)
        data = cpio_newc(tmp)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main(sys.argv[1:])
