"""Configuring and building: unikit's own build directories (one per
architecture, toolchain and libc variant) and the images in them."""
import json
import os
import signal
import subprocess
import sys

from . import BUILD, ROOT, targets
from .errors import UserError, say
from .host import require


def builddir(toolchain, arch="x86_64", variant=""):
    return os.path.join(BUILD, f"{targets.cpu(arch)}-{toolchain}{variant}")


def arch_groups(arch, toolchain):
    """host.py's tool groups an architecture's build needs beyond "build"."""
    return (["clang"] if toolchain == "clang" else []) + \
        (["build-" + arch] if arch != "x86_64" and toolchain == "gcc" else [])


def configure(toolchain, arch="x86_64", variant="", options=(), nice=False):
    """Set up (or reconfigure) a build directory; its path. nice: run meson
    at the lowest CPU priority (see run_checked)."""
    require("build", *arch_groups(arch, toolchain))
    bdir = builddir(toolchain, arch, variant)
    cross = os.path.join(ROOT, "cross", f"{targets.cpu(arch)}-{toolchain}.ini")
    opts = [f"-D{o}" for o in options]
    if os.path.exists(os.path.join(bdir, "meson-private", "coredata.dat")):
        if opts:
            run_checked(["meson", "configure", bdir] + opts, "meson configure", quiet=True,
                        nice=nice)
        return bdir
    say(f"configuring {os.path.relpath(bdir, ROOT)} ({arch}, {toolchain})")
    run_checked(["meson", "setup", bdir, ROOT, "--cross-file", cross] + opts,
                "meson setup", quiet=True, nice=nice)
    return bdir


def run_checked(cmd, what, quiet=False, cwd=None, env=None, nice=False):
    """Run cmd; UserError naming `what` if it fails (quiet: its output is
    captured and shown only then). nice: at the lowest CPU priority
    (run_idle)."""
    if nice:
        p = run_idle(cmd, cwd=cwd, env=env, quiet=quiet)
    else:
        p = subprocess.run(cmd, cwd=cwd, capture_output=quiet, text=True, env=env)
    if p.returncode != 0:
        if quiet:
            sys.stderr.write((p.stdout or "")[-6000:] + (p.stderr or "")[-6000:])
        raise UserError(f"{what} failed (exit {p.returncode}): {' '.join(cmd)}")
    return p


# the process groups run_idle() started and that still run
_idle = set()


def run_idle(cmd, cwd=None, env=None, quiet=False):
    """Run cmd (and all its children: a whole ninja build) so that it takes
    only the CPU time other work leaves idle: nice 19, in a session of its
    own whose autogroup gets nice 19 too. With the kernel's autogroups on
    (Debian's default) CPU time is shared between sessions first, and
    `meson test` starts every test in a session of its own: a nice value
    alone would still get a build an equal share beside each test."""
    p = subprocess.Popen(["nice", "-n", "19"] + cmd, cwd=cwd, env=env, text=True,
                         stdout=subprocess.PIPE if quiet else None,
                         stderr=subprocess.PIPE if quiet else None, start_new_session=True)
    _idle.add(p)
    try:
        try:
            with open(f"/proc/{p.pid}/autogroup", "w") as f:
                f.write("19")
        except OSError:
            pass  # no autogroups (or not Linux): the nice value does it
        out, err = p.communicate()
    finally:
        _idle.discard(p)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def stop_idle():
    """End what run_idle() started and still runs: its own session does not
    get the terminal's Ctrl-C."""
    for p in list(_idle):
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except OSError:
            pass


def image_name(app, plat, arch="x86_64"):
    return f"{app}_{plat}-{arch}"


def known_apps():
    ex = os.path.join(ROOT, "examples")
    return sorted(d for d in os.listdir(ex) if os.path.isfile(os.path.join(ex, d, "meson.build")))


def manifests(bdir):
    """{app name: manifest path relative to bdir} for every app a build
    directory registers (mkimage's NAME.images outputs), built or not."""
    p = subprocess.run(["ninja", "-C", bdir, "-t", "targets", "all"], capture_output=True, text=True)
    out = {}
    for line in p.stdout.splitlines():
        target = line.split(":", 1)[0]
        if target.endswith(".images"):
            out.setdefault(os.path.basename(target)[:-len(".images")], target)
    return out


def image_info(image):
    """What mkimage recorded about an image (platform, arch, libraries and
    why), or None for an image it did not make."""
    try:
        with open(image + ".json") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def image_platform(image, plat=None):
    """The platform an image was built for: from mkimage's record (the
    targets table), not from the file name."""
    info = image_info(image)
    if info:
        if plat and plat != info["platform"]:
            raise UserError(f"{os.path.basename(image)} is a {info['platform']} image, not {plat}")
        return info["platform"]
    if plat:
        return plat
    raise UserError(f"{image}: no {os.path.basename(image)}.json next to it saying which platform "
                    f"it is for; pass --plat kvm|linuxu")


def build_images(bdir, name, label):
    """Build app `name`'s images in bdir; returns its manifest (dict) and
    the directory the images are in."""
    found = manifests(bdir)
    if name not in found:
        raise UserError(f"{label}: no app named '{name}' registers images there; apps: "
                        f"{', '.join(sorted(found)) or 'none'}")
    target = found[name]
    say(f"building {name} ({os.path.relpath(bdir)})")
    p = subprocess.run(["ninja", "-C", bdir, target], capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-6000:] + p.stderr[-6000:])
        raise UserError(f"building {name} failed (ninja -C {bdir} {target})")
    path = os.path.join(bdir, target)
    with open(path) as f:
        return json.load(f), os.path.dirname(path)


def pick_image(manifest, where, plat, arch):
    for i in manifest["images"]:
        if i["platform"] == plat and i["arch"] == arch:
            return os.path.join(where, i["image"])
    have = ", ".join(f"{i['platform']}-{i['arch']}" for i in manifest["images"]) or "none"
    raise UserError(f"'{manifest['app']}' has no image for {plat}-{arch} (it has: {have}; its "
                    f"meson.build limits it to some platforms, or -Dplatform leaves {plat} out)")


def build(app, plat="kvm", arch="x86_64", toolchain="gcc", variant="", options=(), known=True):
    """An image of one of unikit's own apps (an example, or with
    known=False a test app) from unikit's build directory."""
    # another libc gets a build directory of its own (x86_64-gcc-newlib),
    # so the default one stays musl
    for o in options:
        if o.startswith("libc=") and o != "libc=musl" and not variant:
            variant = "-" + o[5:]
    bdir = configure(toolchain, arch, variant, options)
    found = manifests(bdir)
    if app not in found:
        # an example whose images are named otherwise (port-nginx -> nginx)
        mine = sorted(n for n, t in found.items() if t.startswith(f"subprojects/{app}/"))
        if len(mine) == 1:
            app = mine[0]
        elif mine:
            raise UserError(f"'{app}' makes several images: {', '.join(mine)}; name one of them")
        elif known:
            raise UserError(f"unknown app '{app}'; known apps: {', '.join(known_apps())}; their "
                            f"images: {', '.join(sorted(found))} (or give an application directory)")
    manifest, where = build_images(bdir, app, os.path.relpath(bdir))
    return pick_image(manifest, where, plat, arch)


# ------------------------------------------------------ application directories
def is_app_dir(arg):
    """An argument names an application directory (not one of unikit's own
    apps) when it is a path: contains a slash, is . or .., or exists as a
    directory and is not an example's name."""
    if "/" in arg or arg in (".", ".."):
        return True
    return os.path.isdir(arg) and arg not in known_apps()


def app_builddir(appdir, toolchain="gcc", arch="x86_64"):
    # the build directory docs/apps.md uses for the default target, so that
    # `unikit build DIR` and the meson commands by hand share it
    if (toolchain, arch) == ("gcc", "x86_64"):
        return os.path.join(appdir, "build")
    return os.path.join(appdir, f"build-{targets.cpu(arch)}-{toolchain}")


def app_configure(appdir, toolchain="gcc", arch="x86_64", options=()):
    require("build", *arch_groups(arch, toolchain))
    appdir = os.path.abspath(appdir)
    if not os.path.isdir(appdir):
        raise UserError(f"{appdir}: no such directory")
    if not os.path.isfile(os.path.join(appdir, "meson.build")):
        raise UserError(f"{appdir} has no meson.build: not an application repository "
                        f"(`unikit new {appdir}` makes one; docs/apps.md)")
    sdk = os.path.join(appdir, "subprojects", "unikit")
    cross = os.path.join(sdk, "cross", f"{targets.cpu(arch)}-{toolchain}.ini")
    if not os.path.isfile(cross):
        if not os.path.exists(sdk) and os.path.isfile(os.path.join(appdir, "subprojects", "unikit.wrap")):
            run_checked(["meson", "subprojects", "download", "unikit"], "meson subprojects download",
                        quiet=True, cwd=appdir)
        if not os.path.isfile(cross):
            raise UserError(f"{appdir}: subprojects/unikit is missing (a symlink to a unikit "
                            f"checkout or a unikit.wrap; docs/apps.md), so there is no cross file "
                            f"subprojects/unikit/cross/{targets.cpu(arch)}-{toolchain}.ini")
    bdir = app_builddir(appdir, toolchain, arch)
    opts = [f"-D{o}" for o in options]
    if os.path.exists(os.path.join(bdir, "meson-private", "coredata.dat")):
        if opts:
            run_checked(["meson", "configure", bdir] + opts, "meson configure", quiet=True)
        return bdir
    say(f"configuring {bdir} ({arch}, {toolchain})")
    run_checked(["meson", "setup", bdir, appdir, "--cross-file", cross] + opts, "meson setup",
                quiet=True)
    return bdir


def app_build(appdir, plat="kvm", arch="x86_64", toolchain="gcc", options=(), name=None):
    """The image of an application directory for plat: the app's only image
    name, or `name` when it registers several."""
    bdir = app_configure(appdir, toolchain, arch, options)
    found = manifests(bdir)
    found = {n: t for n, t in found.items() if not t.startswith("subprojects" + os.sep)}
    if not found:
        raise UserError(f"{appdir}: its meson.build registers no image (a custom_target with "
                        f"unikit's mkimage; docs/apps.md)")
    if name is None:
        if len(found) > 1:
            raise UserError(f"{appdir} registers several images: {', '.join(sorted(found))}; "
                            f"pick one with --name")
        name = next(iter(found))
    manifest, where = build_images(bdir, name, appdir)
    return pick_image(manifest, where, plat, arch)
