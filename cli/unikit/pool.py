"""The library pool as the sources declare it, without a build: each
library's `requires` (and `platforms`, `libcs`) from its meson.build, the
features and choices from unikit's meson.build. `unikit list` prints it and
`unikit new` checks feature names against it; builds use pool.json, which
meson writes from the same declarations."""
import ast
import os
import re

from . import ROOT

TOPS = ("libs", "platforms", "archs")


def _meson_list(text, var):
    m = re.search(rf"^{var} = (\[[^\]]*\])", text, re.M)
    if not m:
        return []
    try:
        return ast.literal_eval(m.group(1))
    except (SyntaxError, ValueError):
        return []


def _first_sentence(readme):
    para = []
    for line in open(readme):
        line = line.strip()
        if line.startswith("#") and not para:
            continue
        if not line:
            if para:
                break
            continue
        para.append(line)
    text = re.sub(r"[`*]", "", " ".join(para))
    return re.split(r"(?<=[a-z0-9)])[.:] ", text + " ", maxsplit=1)[0].strip().rstrip(".")


def libraries():
    """[{name, path, requires, platforms, libcs, desc}] of every project
    under libs/, platforms/ and archs/."""
    rows = []
    for top in TOPS:
        for d in sorted(os.listdir(os.path.join(ROOT, top))):
            mb = os.path.join(ROOT, top, d, "meson.build")
            if not os.path.isfile(mb):
                continue
            text = open(mb).read()
            m = re.search(r"project\('([^']+)'", text)
            readme = os.path.join(ROOT, top, d, "README.md")
            desc = _first_sentence(readme) if os.path.isfile(readme) else ""
            rows.append({"name": m.group(1) if m else d, "path": f"{top}/{d}",
                         "requires": _meson_list(text, "requires"),
                         "platforms": _meson_list(text, "platforms"),
                         "libcs": _meson_list(text, "libcs"), "desc": desc})
    return rows


def features():
    """{feature: [members]} from unikit's meson.build."""
    text = open(os.path.join(ROOT, "meson.build")).read()
    m = re.search(r"^features = (\{.*?\n\})", text, re.M | re.S)
    if not m:
        return {}
    body = re.sub(r"#[^\n]*", "", m.group(1))
    return ast.literal_eval(body)
