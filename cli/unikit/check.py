"""`unikit check`: boot every image of an app (its NAME.images manifest, or
one image) and check the exit status and the output. What an application's
`meson test` runs (docs/apps.md)."""
import json
import os
import re
import subprocess
import sys

from . import ROOT
from .errors import UserError


def images_of(path, plat=None):
    if path.endswith(".images"):
        try:
            with open(path) as f:
                m = json.load(f)
        except (OSError, ValueError) as e:
            raise UserError(f"cannot read the manifest {path}: {e}")
        where = os.path.dirname(os.path.abspath(path))
        imgs = [os.path.join(where, i["image"]) for i in m["images"]
                if plat is None or i["platform"] == plat]
        if not imgs:
            raise UserError(f"{path}: no image{' for ' + plat if plat else ''}")
        return imgs
    if not os.path.isfile(path):
        raise UserError(f"image not found: {path}")
    return [path]


def cmd_check(a):
    failed = 0
    for img in images_of(a.target, a.plat):
        cmd = [sys.executable, os.path.join(ROOT, "unikit"), "run", "--image", img,
               "--timeout", str(a.timeout)]
        if a.machine:
            cmd += ["--machine", a.machine]
        if a.mem:
            cmd += ["--mem", a.mem]
        if a.initrd:
            cmd += ["--initrd", a.initrd]
        cmd += ["--"] + a.args
        try:
            stdin = open(a.stdin, "rb") if a.stdin else subprocess.DEVNULL
        except OSError as e:
            raise UserError(f"--stdin {a.stdin}: {e.strerror}")
        try:
            r = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=a.timeout + 30)
            out, rc = r.stdout.decode("utf-8", "replace"), r.returncode
        except subprocess.TimeoutExpired as e:
            out, rc = (e.output or b"").decode("utf-8", "replace"), None
        finally:
            if a.stdin:
                stdin.close()
        problems = []
        if rc is None:
            problems.append(f"no exit within {a.timeout} s")
        elif rc != a.rc:
            problems.append(f"exit status {rc}, expected {a.rc}")
        for rx in a.expect:
            if not re.search(rx, out, re.M):
                problems.append(f"output lacks /{rx}/")
        for rx in a.reject:
            if re.search(rx, out, re.M):
                problems.append(f"output has /{rx}/")
        sys.stdout.write(out[-20000:])
        name = os.path.basename(img)
        for p in problems:
            print(f"FAIL {name}: {p}")
        if not problems:
            print(f"ok   {name}")
        failed += bool(problems)
    return 1 if failed else 0


def add_parser(sub):
    s = sub.add_parser("check", help="boot an app's images and check status and output "
                                     "(what an app's `meson test` runs)")
    s.add_argument("target", help="NAME.images (every image of the app) or one image")
    s.add_argument("--plat", help="only the image for this platform")
    s.add_argument("--stdin", metavar="FILE",
                   help="the image's standard input (default: none, an end of file)")
    s.add_argument("--rc", type=int, default=0, help="expected exit status (default 0)")
    s.add_argument("--expect", action="append", default=[], metavar="REGEX",
                   help="must appear in the output (several allowed)")
    s.add_argument("--reject", action="append", default=[], metavar="REGEX",
                   help="must not appear in the output")
    s.add_argument("--timeout", type=float, default=240)
    s.add_argument("--machine", help="QEMU machine for kvm images (default microvm)")
    s.add_argument("--mem", help="guest RAM (default 64M)")
    s.add_argument("--initrd", help="directory or cpio archive as the root filesystem")
    s.add_argument("args", nargs="*", default=[], help="-- then the app's arguments")
    s.set_defaults(fn=cmd_check)
