"""Configuring and building: unikit's own build directories (one per
architecture, toolchain and libc variant) and the images in them."""
import os
import subprocess
import sys

from . import BUILD, ROOT
from .errors import UserError, say
from .host import require


def builddir(toolchain, arch="x86_64", variant=""):
    return os.path.join(BUILD, f"{arch}-{toolchain}{variant}")


def configure(toolchain, arch="x86_64", variant="", options=()):
    require("build", *(["clang"] if toolchain == "clang" else []))
    bdir = builddir(toolchain, arch, variant)
    cross = os.path.join(ROOT, "cross", f"{arch}-kvm-{toolchain}.ini")
    opts = [f"-D{o}" for o in options]
    if os.path.exists(os.path.join(bdir, "meson-private", "coredata.dat")):
        if opts:
            run_checked(["meson", "configure", bdir] + opts, "meson configure", quiet=True)
        return bdir
    say(f"configuring {os.path.relpath(bdir, ROOT)} ({arch}, {toolchain})")
    run_checked(["meson", "setup", bdir, ROOT, "--cross-file", cross] + opts,
                "meson setup", quiet=True)
    return bdir


def run_checked(cmd, what, quiet=False, cwd=None, env=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=quiet, text=True, env=env)
    if p.returncode != 0:
        if quiet:
            sys.stderr.write(p.stdout[-6000:] + p.stderr[-6000:])
        raise UserError(f"{what} failed (exit {p.returncode}): {' '.join(cmd)}")
    return p


def image_name(app, plat, arch="x86_64"):
    return f"{app}_{plat}-{arch}"


def known_apps():
    ex = os.path.join(ROOT, "examples")
    return sorted(d for d in os.listdir(ex) if os.path.isfile(os.path.join(ex, d, "meson.build")))


def build(app, plat="kvm", arch="x86_64", toolchain="gcc", variant="", options=(), known=True):
    if known and app not in known_apps():
        raise UserError(f"unknown app '{app}'; known apps: {', '.join(known_apps())}")
    # another libc gets a build directory of its own (x86_64-gcc-newlib),
    # so the default one stays musl
    for o in options:
        if o.startswith("libc=") and o != "libc=musl" and not variant:
            variant = "-" + o[5:]
    bdir = configure(toolchain, arch, variant, options)
    target = image_name(app, plat, arch)
    say(f"building {target} with {toolchain}")
    p = subprocess.run(["ninja", "-C", bdir, target], capture_output=True, text=True)
    if p.returncode != 0:
        if f"unknown target '{target}'" in p.stdout + p.stderr:
            raise UserError(f"'{app}' has no image for the {plat} platform "
                            f"(its meson.build limits it to other platforms, or "
                            f"-Dplatform leaves {plat} out)")
        sys.stderr.write(p.stdout[-6000:] + p.stderr[-6000:])
        raise UserError(f"building {target} failed (ninja -C {bdir} {target})")
    return os.path.join(bdir, target)


