"""`unikit size IMAGE`: what each library costs in an image, why each one is
there (`--why`), and the same as a picture (`--svg FILE`, a treemap of
libraries and their largest symbols).

The size report (IMAGE.size) and the record of what mkimage linked and why
(IMAGE.json) are written by the composer next to every image."""
import html
import os
import re
import subprocess
import sys

from . import ROOT
from .build import image_info
from .errors import UserError

sys.path.insert(0, os.path.join(ROOT, "linker"))
import compose  # noqa: E402


def read_report(image):
    rep = image + ".size"
    if not os.path.isfile(rep):
        raise UserError(f"{image} has no size report next to it ({rep}); images made by the "
                        "composer always do")
    rows = []
    for line in open(rep):
        # a 24-column label (which may hold spaces: "(symbol table)"), then
        # text, rodata, data, bss and the total
        label, f = line[:24].strip(), line[24:].split()
        if len(f) == 5 and all(x.isdigit() for x in f) and label not in ("TOTAL", "library"):
            rows.append((label, [int(x) for x in f[:4]]))
    return open(rep).read(), rows


# ------------------------------------------------------------------- --why
def archive_symbols(nm, path):
    """(defined, undefined) global symbol names of an archive, before LTO."""
    try:
        out = subprocess.run([nm, "-g", path], capture_output=True, text=True).stdout
    except OSError as e:
        raise UserError(f"cannot run {nm}: {e}")
    defined, undefined = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 2 and f[0] in ("U", "w"):
            undefined.add(f[1])
        elif len(f) == 3 and f[1] not in ("U",):
            defined.add(f[2])
    return defined, undefined - defined


def archive_members(mapfile):
    """[(member, referencing file, symbol)] for every archive member the
    linker took for a symbol (not --whole-archive), from the map's "Archive
    member included to satisfy reference by file (symbol)" section."""
    out = []
    try:
        text = open(mapfile).read()
    except OSError:
        return out
    m = re.search(r"Archive member included to satisfy reference by file \(symbol\)\n\n(.*?)\n\n",
                  text, re.S)
    if not m:
        return out
    lines = m.group(1).splitlines()
    for first, second in zip(lines, lines[1:]):
        if not first or first[0].isspace() or not second.startswith(" "):
            continue
        ref = second.strip()
        if ref.startswith("(--whole-archive)"):
            continue
        sym = re.search(r"\(([^()]+)\)\s*$", ref)
        by = ref.split()[0]
        # thin archives name the object itself (libmusl.a.p/src_x.c.o),
        # ordinary ones the member in parentheses (libgcc.a(_udivdi3.o))
        mem = re.search(r"\(([^()]+)\)$", first)
        member = mem.group(1) if mem else os.path.basename(first)
        member = re.sub(r"^src_", "", member)
        out.append((first, member, os.path.basename(by), sym.group(1) if sym else "?"))
    return out


def why(image):
    info = image_info(image)
    if not info:
        raise UserError(f"{image}: no {os.path.basename(image)}.json next to it (images made by "
                        f"mkimage have one): cannot say why each library is there")
    nm = info.get("nm", "nm")
    libs = {l["name"]: l for l in info["libraries"]}
    paths = info.get("paths", {})
    syms = {name: archive_symbols(nm, p) for name, p in paths.items() if os.path.isfile(p)}
    app_undef = set()
    for a in info.get("app_archives", []):
        if os.path.isfile(a):
            app_undef |= archive_symbols(nm, a)[1]
    lines = [f"why each library is in {os.path.basename(image)} ({info['app']} on "
             f"{info['platform']}-{info['arch']}, libc {info['libc']}, needs: "
             f"{', '.join(info['needs']) or 'nothing beyond every image'})"]
    for name, l in libs.items():
        reasons = []
        defined = syms.get(name, (set(), set()))[0]
        for w in l["why"]:
            m = re.match(r"required by (\S+)", w)
            used = set()
            if m and m.group(1) in syms:
                used = syms[m.group(1)][1] & defined
            elif w.startswith(f"{info['app']} needs"):
                used = app_undef & defined
            if used:
                shown = sorted(used)[:4]
                more = f", +{len(used) - 4} more" if len(used) > 4 else ""
                reasons.append(f"{w} (uses {', '.join(shown)}{more})")
            else:
                reasons.append(w)
        lines.append(f"  {name:<14} " + "; ".join(dict.fromkeys(reasons)))
    members = archive_members(image + ".map")
    groups = {}
    for path, member, by, sym in members:
        lib = re.search(r"lib([A-Za-z0-9_-]+?)(-nolto)?\.a", path)
        groups.setdefault(lib.group(1) if lib else "other", []).append((member, by, sym))
    for lib, mems in sorted(groups.items()):
        lines.append(f"  {lib}: {len(mems)} archive members, each pulled in by a symbol (an "
                     f"ordinary archive: only what is referenced comes in):")
        for member, by, sym in sorted(mems):
            by = re.sub(r"^src_", "", by)
            lines.append(f"    {member:<36} for {sym:<24} (from {by})")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------- --svg
def squarify(items, x, y, w, h):
    """Squarified treemap: [(label, value, payload)] -> [(label, payload,
    x, y, w, h)], areas proportional to values (Bruls, Huizing, van Wijk)."""
    items = [i for i in items if i[1] > 0]
    total = sum(i[1] for i in items)
    if not items or w <= 0 or h <= 0 or total <= 0:
        return []
    scale = w * h / total
    rest = [(l, v * scale, p) for l, v, p in sorted(items, key=lambda i: -i[1])]
    out = []

    def worst(row, side):
        s = sum(r[1] for r in row)
        return max(max(side * side * r[1] / (s * s), (s * s) / (side * side * r[1])) for r in row)

    while rest:
        side = min(w, h)
        row = [rest.pop(0)]
        while rest and worst(row + [rest[0]], side) <= worst(row, side):
            row.append(rest.pop(0))
        s = sum(r[1] for r in row)
        if w >= h:  # a column on the left
            cw = s / h
            cy = y
            for l, a, p in row:
                ch = a / cw
                out.append((l, p, x, cy, cw, ch))
                cy += ch
            x, w = x + cw, w - cw
        else:  # a row on top
            rh = s / w
            cx = x
            for l, a, p in row:
                rw = a / rh
                out.append((l, p, cx, y, rw, rh))
                cx += rw
            y, h = y + rh, h - rh
    return out


def symbol_sizes(image, rows):
    """{library: [(symbol, bytes)]} for the image's sized symbols, by the
    archive that defines each name (what compose.py's report does for data)."""
    info = image_info(image) or {}
    paths = info.get("paths", {})
    owners = []
    for name, p in paths.items():
        if os.path.isfile(p):
            try:
                owners += sorted(compose.archive_symbols(info.get("toolchain", "gcc"), p).items())
            except compose.ComposeError:
                pass
    elf = compose.Elf(image + ".dbg")
    out = {}
    for name, value, size, typ, bind, shndx in elf.symbols():
        if not size or typ not in (1, 2) or not name:
            continue
        # what is in the image: bss (SHT_NOBITS) takes RAM, not image bytes
        if shndx >= len(elf.sections) or elf.sections[shndx]["type"] == 8:
            continue
        base = compose.strip_lto_suffix(name)
        for label, names in owners:
            if base in names:
                out.setdefault(label, []).append((name, size))
                break
    return out


def svg(image, path):
    _, rows = read_report(image)
    syms = symbol_sizes(image, rows)
    W, H = 1200, 800
    palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
               "#ff9da7", "#9c755f", "#bab0ac"]
    # bss costs RAM, not image bytes: the picture is about what is in the image
    items = [(label, cols[0] + cols[1] + cols[2], label) for label, cols in rows]
    total = sum(i[1] for i in items)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H + 40}" '
             f'font-family="sans-serif" font-size="11">',
             f'<text x="4" y="16" font-size="14">{html.escape(os.path.basename(image))}: '
             f'{total} bytes of text, rodata and data by library (bss left out), the largest '
             f'symbols inside</text>']
    for n, (label, _, x, y, w, h) in enumerate(squarify(items, 0, 24, W, H)):
        color = palette[n % len(palette)]
        value = next(v for l, v, _ in items if l == label)
        parts.append(f'<g><title>{html.escape(label)}: {value} bytes</title>'
                     f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                     f'fill="{color}" stroke="#fff" stroke-width="2"/></g>')
        inner = sorted(syms.get(label, []), key=lambda s: -s[1])[:12]
        if inner and w > 60 and h > 40:
            for sl, _, sx, sy, sw, sh in squarify([(s, v, None) for s, v in inner], x + 3, y + 18,
                                                  w - 6, h - 21):
                size = next(v for s, v in inner if s == sl)
                parts.append(f'<g><title>{html.escape(sl)}: {size} bytes</title>'
                             f'<rect x="{sx:.1f}" y="{sy:.1f}" width="{sw:.1f}" height="{sh:.1f}" '
                             f'fill="#ffffff" fill-opacity="0.18" stroke="{color}"/>')
                if sw > 50 and sh > 12:
                    parts.append(f'<text x="{sx + 2:.1f}" y="{sy + 11:.1f}" fill="#fff" '
                                 f'font-size="9">{html.escape(sl[: int(sw / 5.5)])}</text>')
                parts.append('</g>')
        if w > 40 and h > 14:
            parts.append(f'<text x="{x + 3:.1f}" y="{y + 13:.1f}" fill="#fff" font-weight="bold">'
                         f'{html.escape(label[: int(w / 7)])} {value}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def cmd_size(a):
    if not os.path.isfile(a.image):
        raise UserError(f"image not found: {a.image}")
    report, _ = read_report(a.image)
    sys.stdout.write(report)
    if a.why:
        sys.stdout.write("\n" + why(a.image))
    if a.svg:
        svg(a.image, a.svg)
        print(f"treemap written to {a.svg}")
    return 0


def add_parser(sub):
    s = sub.add_parser("size", help="bytes per library in an image (text, rodata, data, bss); "
                                    "--why: what pulled each library in; --svg: a treemap")
    s.add_argument("image")
    s.add_argument("--why", action="store_true",
                   help="for each library, the feature or library that required it and the "
                        "symbols it is used for")
    s.add_argument("--svg", metavar="FILE", help="draw the image as a treemap (SVG)")
    s.set_defaults(fn=cmd_size)
