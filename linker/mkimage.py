#!/usr/bin/env python3
"""mkimage: the images of one app, one per platform of the build.

    mkimage.py --pool POOL.json [--needs a,b] [--platforms kvm] [--main-stack-size 8M]
               OUT.images APP.a [LIB.a ...]

The first archive is the app's own (linked whole: its init tables and
constructors must stay); further archives are libraries the app builds
itself (zlib, say), linked as ordinary archives, so only what is used comes
in. For each platform the pool was built for (or those of --platforms),
the closure of --needs is computed (resolve.py) and compose.py links
    app archive, the libraries in requirer-first order, the platform archive
and the libc (musl as an ordinary archive).

Writes next to OUT.images, for an app named NAME (OUT.images' base name):
  NAME_<platform>-<arch>        the image (and .dbg, .map, .size from compose.py)
  NAME_<platform>-<arch>.json   what is in it and why (`unikit size --why`)
  OUT.images                    the manifest: every image of the app (JSON)

Python 3 standard library only.
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compose  # noqa: E402
from resolve import ResolveError, resolve  # noqa: E402


class MkimageError(Exception):
    pass


# what ukboot accepts for main()'s stack (UK_MAIN_STACK_MIN/MAX, <uk/boot.h>)
MAIN_STACK_MIN = 64 << 10
MAIN_STACK_MAX = 1 << 30


def parse_size(s):
    """'8M', '512K', '1G' (binary units, either case) or plain bytes, as
    ukboot.main_stack= takes it; MkimageError for anything else."""
    m = re.fullmatch(r"([0-9]+)([kKmMgG]?)", s or "")
    if not m:
        raise MkimageError(f"--main-stack-size {s!r}: use bytes, or a number with K, M or G (8M)")
    n = int(m.group(1)) << {"": 0, "k": 10, "m": 20, "g": 30}[m.group(2).lower()]
    if not MAIN_STACK_MIN <= n <= MAIN_STACK_MAX:
        raise MkimageError(f"--main-stack-size {s}: main()'s stack must be "
                           f"{MAIN_STACK_MIN >> 10} KiB to {MAIN_STACK_MAX >> 20} MiB")
    return n


def split_list(s):
    return [x.strip() for x in s.split(",") if x.strip()] if s else []


def make(a):
    try:
        with open(a.pool) as f:
            pool = json.load(f)
    except (OSError, ValueError) as e:
        raise MkimageError(f"cannot read the pool description {a.pool}: {e}")
    out = os.path.abspath(a.out)
    if not out.endswith(".images"):
        raise MkimageError(f"the output must be named NAME.images (got {os.path.basename(out)})")
    name = os.path.basename(out)[:-len(".images")]
    needs = split_list(a.needs)
    platforms = split_list(a.platforms) or pool["platforms"]
    main_stack = parse_size(a.main_stack_size) if a.main_stack_size else None
    bad = [p for p in platforms if p not in pool["targets"]]
    if bad:
        raise MkimageError(f"{name}: --platforms {bad[0]}: not a platform of this build; "
                           f"platforms: {', '.join(pool['platforms'])}")
    platforms = [p for p in platforms if p in pool["platforms"]]
    arch = pool["arch"]
    images = []
    for plat in platforms:
        try:
            chosen = resolve(pool, needs, plat, app=name)
        except ResolveError as e:
            raise MkimageError(f"{name} on {plat}: {e}")
        target = pool["targets"][plat]
        img = os.path.join(os.path.dirname(out), f"{name}_{plat}-{arch}")
        libc = pool["libc"]
        archives = [a.archives[0]] + [pool["libs"][l]["path"] for l, _ in chosen]
        ordinary = list(a.archives[1:])
        if libc.get("path"):
            if libc.get("link") == "whole":
                archives.append(libc["path"])
            else:
                ordinary.append(libc["path"])
        archives.append(target["archive"])
        argv = pool["compose"] + ["--script", target["script"], "--app-name", name,
                                  "--out", img]
        if main_stack is not None:
            argv += ["--main-stack-size", str(main_stack)]
        db = os.path.join(pool.get("build_root", ""), "compile_commands.json")
        if pool.get("build_root") and os.path.isfile(db):
            argv += ["--compile-db", db]
        if target.get("format") == "raw":
            argv.append("--raw")
        for o in ordinary:
            argv += ["--lib", o]
        argv += a.compose_arg
        argv += archives
        rc = compose.main(argv)
        if rc:
            raise MkimageError(f"linking {os.path.basename(img)} failed (compose.py above)")
        paths = {l: pool["libs"][l]["path"] for l, _ in chosen}
        if libc.get("path"):
            paths[libc["name"]] = libc["path"]
        paths[f"plat-{plat}"] = target["archive"]
        for extra in a.archives:
            paths[compose.lib_label(extra)] = os.path.abspath(extra)
        info = {"app": name, "platform": plat, "arch": arch, "libc": libc["name"],
                "needs": needs, "boot": target["boot"], "format": target.get("format", "elf"),
                "main_stack_size": main_stack,
                "libraries": [{"name": l, "why": w} for l, w in chosen],
                "app_archives": [os.path.abspath(x) for x in a.archives],
                "paths": paths, "nm": pool["nm"], "toolchain": pool["toolchain"]}
        with open(img + ".json", "w") as f:
            json.dump(info, f, indent=1)
        images.append({"platform": plat, "arch": arch, "image": os.path.basename(img)})
    with open(out, "w") as f:
        json.dump({"app": name, "needs": needs, "images": images}, f, indent=1)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pool", required=True, help="the pool description unikit's build wrote")
    p.add_argument("--needs", default="", help="comma-separated features and libraries")
    p.add_argument("--platforms", default="", help="only these platforms (comma-separated)")
    p.add_argument("--main-stack-size", metavar="SIZE",
                   help="main()'s stack in these images (8M, 512K; default: the option main_stack_size)")
    p.add_argument("--compose-arg", action="append", default=[], metavar="ARG",
                   help="pass ARG to compose.py for every image (--compose-arg=--relink-lto)")
    p.add_argument("out", help="NAME.images: the manifest to write; images go next to it")
    p.add_argument("archives", nargs="+", help="the app's archive, then its own libraries")
    a = p.parse_args(argv)
    try:
        make(a)
    except MkimageError as e:
        print(f"unikit mkimage: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
