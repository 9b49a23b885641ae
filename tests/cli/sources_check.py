#!/usr/bin/env python3
"""Third-party sources for a machine that reaches upstream but not Debian's
source packages.

1. The CLI's source logic with the Debian step disabled, on the wrap files
   alone (no unpacked tree, no packagecache): every wrap is taken from
   upstream and is pinned (a real sha256, or a release tag for git). A
   wrap with the old all-zero hash is refused.
2. Meson's own wrap handling, offline: lwip.wrap (wrap-git, shallow clone
   of the release tag, our overlay applied) against a local git repository
   that holds lwIP's source under that tag; cmocka.wrap (wrap-file) from
   packagecache, where Meson checks the sha256: the real tarball passes, a
   changed one fails.

Not exercised here (no internet): that upstream's servers serve these
exact bytes and tag. Usage: sources_check.py UNIKIT_ROOT
"""
import os
import shutil
import subprocess
import sys
import tempfile

root = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(root, "cli"))
from unikit import sources  # noqa: E402
from unikit.errors import UserError  # noqa: E402

sub = os.path.join(root, "subprojects")
fails = 0


def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what, flush=True)
    fails += 0 if ok else 1


def meson_download(proj, name):
    return subprocess.run(["meson", "subprojects", "download", name], cwd=proj,
                          capture_output=True, text=True)


with tempfile.TemporaryDirectory() as tmp:
    # 1. the plan, Debian unreachable, nothing local
    wraps = os.path.join(tmp, "wraps")
    os.makedirs(wraps)
    for w in os.listdir(sub):
        if w.endswith(".wrap"):
            shutil.copy(os.path.join(sub, w), wraps)
    plan = sources.source_plan(wraps, debian=False)
    check(len(plan) == len([w for w in os.listdir(wraps)]), f"{len(plan)} wraps planned")
    for w, src, why in plan:
        check(src.startswith("upstream https://") and why is None, f"{w}: {src} ({why or 'pinned'})")
    lwip = sources.parse_wrap(os.path.join(wraps, "lwip.wrap"))
    check("wrap-git" in lwip and lwip["wrap-git"]["revision"] == "STABLE-2_1_3_RELEASE",
          "lwip.wrap is a wrap-git at STABLE-2_1_3_RELEASE")
    # with Debian reachable the fallback is still named
    deb = dict((w, s) for w, s, _ in sources.source_plan(wraps, debian=True))
    check(deb["lwip.wrap"].startswith("debian lwip"), f"offline fallback kept: {deb['lwip.wrap']}")
    bad = os.path.join(tmp, "bad")
    os.makedirs(bad)
    with open(os.path.join(bad, "x.wrap"), "w") as f:
        f.write("[wrap-file]\ndirectory = x-1\nsource_url = https://example.invalid/x-1.zip\n"
                "source_filename = x-1.zip\nsource_hash = " + "0" * 64 + "\n")
    (_, _, why), = sources.source_plan(bad, debian=False)
    check(why is not None and "zeros" in why, f"all-zero hash refused: {why}")
    with open(os.path.join(bad, "x.wrap"), "w") as f:
        f.write("[wrap-git]\ndirectory = x-1\nurl = https://example.invalid/x.git\nrevision = master\n")
    (_, _, why), = sources.source_plan(bad, debian=False)
    check(why is not None and "moves" in why, f"branch refused: {why}")
    try:
        with open(os.path.join(bad, "x.wrap"), "w") as f:
            f.write("directory = x\n")
        sources.source_plan(bad, debian=False)
        check(False, "a key outside a section is refused")
    except UserError as e:
        check("not a 'key = value' line in a section" in str(e), f"malformed wrap: {e}")

    # 2a. Meson's wrap-git path for lwip, against a local repository
    tree = os.path.join(sub, "lwip-2.1.3")
    if not os.path.isdir(os.path.join(tree, "src", "core")):
        print("SKIP: no lwIP source tree here to stand in for upstream's repository")
        sys.exit(77 if not fails else 1)
    repo = os.path.join(tmp, "lwip.git")
    shutil.copytree(tree, repo, symlinks=True,
                    ignore=lambda d, names: [n for n in names if os.path.islink(os.path.join(d, n))])
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t")
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "lwIP 2.1.3"],
                ["tag", "STABLE-2_1_3_RELEASE"], ["commit", "-q", "--allow-empty", "-m", "later"]):
        subprocess.run(["git"] + cmd, cwd=repo, check=True, env=env, capture_output=True)
    proj = os.path.join(tmp, "proj")
    os.makedirs(os.path.join(proj, "subprojects", "packagefiles"))
    open(os.path.join(proj, "meson.build"), "w").write("project('t', 'c')\n")
    shutil.copytree(os.path.join(sub, "packagefiles", "lwip"),
                    os.path.join(proj, "subprojects", "packagefiles", "lwip"))
    text = open(os.path.join(sub, "lwip.wrap")).read()
    text = text.replace(lwip["wrap-git"]["url"], "file://" + repo)
    open(os.path.join(proj, "subprojects", "lwip.wrap"), "w").write(text)
    p = meson_download(proj, "lwip")
    got = os.path.join(proj, "subprojects", "lwip-2.1.3")
    head = subprocess.run(["git", "describe", "--tags"], cwd=got, capture_output=True, text=True).stdout.strip() \
        if os.path.isdir(got) else ""
    check(p.returncode == 0 and os.path.isfile(os.path.join(got, "src", "core", "tcp.c")),
          "meson subprojects download lwip: shallow clone of the tag" + ("" if p.returncode == 0 else
                                                                          f"\n{p.stdout}{p.stderr}"))
    check(head == "STABLE-2_1_3_RELEASE", f"checked out at the tag, not the later commit ({head})")
    check(open(os.path.join(got, "meson.build")).read() ==
          open(os.path.join(sub, "packagefiles", "lwip", "meson.build")).read(), "overlay applied")

    # 2b. Meson checks a wrap-file's sha256 (cmocka, from packagecache)
    tarball = os.path.join(sub, "packagecache", "cmocka-1.1.5.tar.xz")
    if os.path.isfile(tarball):
        for tamper in (False, True):
            proj = os.path.join(tmp, f"cm{int(tamper)}")
            os.makedirs(os.path.join(proj, "subprojects", "packagecache"))
            open(os.path.join(proj, "meson.build"), "w").write("project('t', 'c')\n")
            shutil.copy(os.path.join(sub, "cmocka.wrap"), os.path.join(proj, "subprojects"))
            shutil.copytree(os.path.join(sub, "packagefiles", "cmocka"),
                            os.path.join(proj, "subprojects", "packagefiles", "cmocka"))
            dst = os.path.join(proj, "subprojects", "packagecache", "cmocka-1.1.5.tar.xz")
            shutil.copy(tarball, dst)
            if tamper:
                with open(dst, "ab") as f:
                    f.write(b"\0")
            p = meson_download(proj, "cmocka")
            out = p.stdout + p.stderr
            if tamper:
                check(p.returncode != 0 and "Incorrect hash" in out,
                      "a changed cmocka tarball is refused by Meson's hash check")
            else:
                check(p.returncode == 0 and os.path.isdir(os.path.join(proj, "subprojects", "cmocka-1.1.5")),
                      "the real cmocka tarball passes Meson's hash check" + ("" if p.returncode == 0 else "\n" + out))
    else:
        print("note: no cmocka tarball in packagecache: Meson's hash check not exercised")

print(f"{fails} failed" if fails else "all passed")
sys.exit(1 if fails else 0)
