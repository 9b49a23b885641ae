"""Third-party sources (musl, newlib, lwIP, cmocka, ported programs) for
machines that cannot reach upstream: the same releases from Debian's source
packages, as each wrap's `# unikit-debian-*` line says (`unikit fetch-sources`)."""
import hashlib
import os
import re
import functools
import shutil
import subprocess
import tempfile

from . import ROOT
from .build import run_checked
from .errors import UserError, say


def debian_versions(pkg):
    """The versions of a source package apt knows, newest first."""
    p = subprocess.run(["apt-cache", "showsrc", pkg], capture_output=True, text=True)
    vs = []
    for line in p.stdout.splitlines():
        if line.startswith("Version: ") and line[9:].strip() not in vs:
            vs.append(line[9:].strip())
    vs.sort(key=functools.cmp_to_key(
        lambda a, b: 0 if a == b else (1 if subprocess.run(
            ["dpkg", "--compare-versions", a, "gt", b]).returncode == 0 else -1)), reverse=True)
    return vs


def apt_source(w, pkg, orig, tmp):
    """Download Debian source package `pkg` into tmp until it holds `orig`:
    the newest version first, then older ones (a security update's files may
    be missing from a mirror while the release's, with the same orig
    tarball, are there). Returns the orig tarball's path."""
    tried = []
    for spec in [pkg] + [f"{pkg}={v}" for v in debian_versions(pkg)]:
        p = subprocess.run(["apt-get", "source", "--download-only", "-q", spec], cwd=tmp,
                           capture_output=True, text=True)
        path = os.path.join(tmp, orig)
        if os.path.isfile(path):
            return path
        tried.append(f"{spec} (exit {p.returncode}: {(p.stderr.strip().splitlines() or [''])[-1]})")
    raise UserError(f"{w}: no {orig} from Debian's {pkg} source package; tried " + "; ".join(tried) +
                    f" (got: {', '.join(sorted(os.listdir(tmp))) or 'nothing'}); the archive may carry "
                    f"another version: update the wrap's unikit-debian line")


def ensure_deb_src():
    """Add deb-src lines mirroring the deb lines this machine already uses."""
    d = "/etc/apt/sources.list.d"
    have_src = False
    for root, _, files in os.walk("/etc/apt"):
        for f in files:
            if f.endswith((".list", ".sources")):
                try:
                    text = open(os.path.join(root, f)).read()
                except OSError:
                    continue
                if re.search(r"^(deb-src |Types:.*deb-src)", text, re.M):
                    have_src = True
    if have_src:
        return False
    src = os.path.join(d, "debian.sources")
    if not os.path.isfile(src):
        raise UserError("no deb-src entry and no /etc/apt/sources.list.d/debian.sources to derive "
                        "one from; add a deb-src line for your Debian mirror and retry")
    text = re.sub(r"^Types: deb$", "Types: deb-src", open(src).read(), flags=re.M)
    with open(os.path.join(d, "unikit-deb-src.sources"), "w") as f:
        f.write("# added by ./unikit fetch-sources: source packages for offline builds\n" + text)
    return True


def debian_wraps():
    """(wrap, Debian package, orig file, source_filename, sha256, directory)
    of every wrap with a `# unikit-debian-source:` line."""
    out = []
    sub = os.path.join(ROOT, "subprojects")
    for w in sorted(f for f in os.listdir(sub) if f.endswith(".wrap")):
        text = open(os.path.join(sub, w)).read()
        m = re.search(r"^# unikit-debian-source: (\S+) (\S+)$", text, re.M)
        fn = re.search(r"^source_filename = (\S+)$", text, re.M)
        h = re.search(r"^source_hash = (\S+)$", text, re.M)
        d = re.search(r"^directory = (\S+)$", text, re.M)
        if m and fn and h:
            out.append((w, m.group(1), m.group(2), fn.group(1), h.group(1),
                        d.group(1) if d else w[:-5]))
    return out


def debian_unpack_wraps():
    """(wrap, Debian binary package, tarball inside it, directory, patch_directory)
    of every wrap with a `# unikit-debian-unpack:` line: the package ships the
    source as a tarball that is not byte-identical to the wrap's (newlib:
    newlib-source), so it is unpacked into the wrap's directory, which Meson
    then uses as it is, with the overlay linked in."""
    out = []
    sub = os.path.join(ROOT, "subprojects")
    for w in sorted(f for f in os.listdir(sub) if f.endswith(".wrap")):
        text = open(os.path.join(sub, w)).read()
        m = re.search(r"^# unikit-debian-unpack: (\S+) (\S+)$", text, re.M)
        d = re.search(r"^directory = (\S+)$", text, re.M)
        pd = re.search(r"^patch_directory = (\S+)$", text, re.M)
        if m and d:
            out.append((w, m.group(1), m.group(2), d.group(1), pd.group(1) if pd else None))
    return out


def fetch_unpacked_sources():
    """The `# unikit-debian-unpack:` wraps' sources (apt-get update done)."""
    sub = os.path.join(ROOT, "subprojects")
    for w, pkg, member, d, patchdir in debian_unpack_wraps():
        dest = os.path.join(sub, d)
        if os.path.isdir(dest):
            say(f"{w}: {d}/ already unpacked")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            run_checked(["apt-get", "download", "-q", pkg], f"apt-get download {pkg}",
                        quiet=True, cwd=tmp)
            debs = [f for f in os.listdir(tmp) if f.endswith(".deb")]
            if len(debs) != 1:
                raise UserError(f"{w}: apt-get download {pkg} gave {debs or 'nothing'}")
            x = os.path.join(tmp, "x")
            run_checked(["dpkg-deb", "-x", os.path.join(tmp, debs[0]), x], "dpkg-deb -x", quiet=True)
            tarball = os.path.join(x, member)
            if not os.path.isfile(tarball):
                raise UserError(f"{w}: Debian's {pkg} has no {member}")
            part = dest + ".part"
            shutil.rmtree(part, ignore_errors=True)
            os.makedirs(part)
            run_checked(["tar", "-xf", tarball, "-C", part, "--strip-components=1"],
                        f"unpacking {member}", quiet=True)
            if patchdir:
                # the overlay, linked (not copied) so that edits to it count
                for name in os.listdir(os.path.join(sub, "packagefiles", patchdir)):
                    target = os.path.join(part, name)
                    if os.path.lexists(target):
                        shutil.rmtree(target) if os.path.isdir(target) else os.remove(target)
                    os.symlink(os.path.join("..", "packagefiles", patchdir, name), target)
            os.rename(part, dest)
            say(f"{w}: {d}/ unpacked from Debian's {pkg} ({member}), overlay linked in")


def debian_srcunpack_wraps():
    """(wrap, Debian source package, orig tarball, its sha256, directory,
    patch_directory) of every wrap with a `# unikit-debian-srcunpack:` line:
    the source package's orig tarball is a repack of the release (lwip:
    2.1.3+dfsg1, without generated docs), so it is unpacked into the wrap's
    directory, which Meson then uses as it is, with the overlay linked in."""
    out = []
    sub = os.path.join(ROOT, "subprojects")
    for w in sorted(f for f in os.listdir(sub) if f.endswith(".wrap")):
        text = open(os.path.join(sub, w)).read()
        m = re.search(r"^# unikit-debian-srcunpack: (\S+) (\S+) ([0-9a-f]{64})$", text, re.M)
        d = re.search(r"^directory = (\S+)$", text, re.M)
        pd = re.search(r"^patch_directory = (\S+)$", text, re.M)
        if m and d:
            out.append((w, m.group(1), m.group(2), m.group(3), d.group(1),
                        pd.group(1) if pd else None))
    return out


def link_overlay(part, patchdir):
    """Symlink the overlay's files into an unpacked source tree (not copied,
    so that edits to the overlay count)."""
    sub = os.path.join(ROOT, "subprojects")
    for name in os.listdir(os.path.join(sub, "packagefiles", patchdir)):
        target = os.path.join(part, name)
        if os.path.lexists(target):
            shutil.rmtree(target) if os.path.isdir(target) and not os.path.islink(target) \
                else os.remove(target)
        os.symlink(os.path.join("..", "packagefiles", patchdir, name), target)


def fetch_srcunpacked_sources():
    """The `# unikit-debian-srcunpack:` wraps' sources (deb-src entry and
    apt-get update done): apt-get source, check the orig tarball's sha256,
    unpack it into the wrap's directory, link the overlay in."""
    sub = os.path.join(ROOT, "subprojects")
    for w, pkg, orig, want, d, patchdir in debian_srcunpack_wraps():
        dest = os.path.join(sub, d)
        if os.path.isdir(dest):
            if patchdir:
                link_overlay(dest, patchdir)  # overlay files added since
            say(f"{w}: {d}/ already unpacked")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o755)  # apt's _apt user writes into it
            path = apt_source(w, pkg, orig, tmp)
            got = hashlib.sha256(open(path, "rb").read()).hexdigest()
            if got != want:
                raise UserError(f"{w}: {orig} from Debian has sha256 {got}, the wrap wants {want}")
            part = dest + ".part"
            shutil.rmtree(part, ignore_errors=True)
            os.makedirs(part)
            run_checked(["tar", "-xf", path, "-C", part, "--strip-components=1"],
                        f"unpacking {orig}", quiet=True)
            if patchdir:
                link_overlay(part, patchdir)
            os.rename(part, dest)
            say(f"{w}: {d}/ unpacked from Debian's {pkg} source package ({orig}, sha256 "
                f"checked), overlay linked in")


def missing_sources():
    """Wraps whose source is neither unpacked nor in packagecache."""
    sub = os.path.join(ROOT, "subprojects")
    missing = []
    for w, _, _, fn, want, d in debian_wraps():
        if os.path.isdir(os.path.join(sub, d)):
            continue
        path = os.path.join(sub, "packagecache", fn)
        if os.path.exists(path) and hashlib.sha256(open(path, "rb").read()).hexdigest() == want:
            continue
        missing.append(w[:-5])
    for w, _, _, d, _ in debian_unpack_wraps():
        if not os.path.isdir(os.path.join(sub, d)):
            missing.append(w[:-5])
    for w, _, _, _, d, _ in debian_srcunpack_wraps():
        if not os.path.isdir(os.path.join(sub, d)):
            missing.append(w[:-5])
    return missing


# ------------------------------------------------------ where sources come from
ZERO_HASH = "0" * 64
HEX64 = re.compile(r"^[0-9a-f]{64}$")
SHA1 = re.compile(r"^[0-9a-f]{40}$")
# a release tag: not a branch name that moves (master, main, HEAD, ...)
MOVING = {"head", "master", "main", "trunk", "develop", "devel", "stable"}


def parse_wrap(path):
    """{section: {key: value}} of a wrap file (Meson's ini syntax, comments
    dropped)."""
    out, cur = {}, None
    for n, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            cur = out.setdefault(line[1:-1].strip(), {})
            continue
        k, eq, v = line.partition("=")
        if not eq or cur is None:
            raise UserError(f"{os.path.basename(path)}:{n}: not a 'key = value' line in a section: {line}")
        cur[k.strip()] = v.strip()
    return out


def upstream_problem(wrap):
    """Why the wrap's upstream source is not pinned (None when it is): a
    wrap-file needs an https URL, a file name and a real sha256 (Meson
    checks it on every download); a wrap-git an https URL and a revision
    that cannot move (a release tag or a full commit id)."""
    if "wrap-file" in wrap:
        w = wrap["wrap-file"]
        for k in ("directory", "source_url", "source_filename", "source_hash"):
            if not w.get(k):
                return f"[wrap-file] has no {k}"
        if not w["source_url"].startswith("https://"):
            return f"source_url is not https: {w['source_url']}"
        h = w["source_hash"].lower()
        if not HEX64.match(h):
            return f"source_hash is not a sha256: {w['source_hash']}"
        if h == ZERO_HASH:
            return "source_hash is a placeholder of zeros: no download can pass Meson's check"
        return None
    if "wrap-git" in wrap:
        w = wrap["wrap-git"]
        for k in ("directory", "url", "revision"):
            if not w.get(k):
                return f"[wrap-git] has no {k}"
        if not w["url"].startswith("https://"):
            return f"url is not https: {w['url']}"
        rev = w["revision"]
        if rev.lower() in MOVING:
            return f"revision '{rev}' is a branch that moves: pin a release tag or a commit id"
        if not (SHA1.match(rev) or re.search(r"\d", rev)):
            return f"revision '{rev}' does not look like a release tag or a commit id"
        return None
    return f"neither [wrap-file] nor [wrap-git] (sections: {', '.join(wrap) or 'none'})"


def source_plan(sub=None, debian=True):
    """[(wrap, source, problem)]: for every wrap in `sub`, where a configure
    takes its source from - "unpacked DIR" (already there: Meson uses it as
    it is), "packagecache FILE" (Meson checks its hash), "debian PKG"
    (./unikit fetch-sources can get it; only with `debian`) or "upstream
    URL" - and why that cannot work (None when it can)."""
    sub = sub or os.path.join(ROOT, "subprojects")
    plan = []
    for w in sorted(f for f in os.listdir(sub) if f.endswith(".wrap")):
        path = os.path.join(sub, w)
        text = open(path).read()
        wrap = parse_wrap(path)
        sect = wrap.get("wrap-file") or wrap.get("wrap-git") or {}
        d = sect.get("directory", w[:-5])
        why = upstream_problem(wrap)
        if os.path.isdir(os.path.join(sub, d)):
            plan.append((w, f"unpacked {d}/", None))
            continue
        fn = sect.get("source_filename")
        cached = fn and os.path.join(sub, "packagecache", fn)
        if cached and os.path.isfile(cached):
            got = hashlib.sha256(open(cached, "rb").read()).hexdigest()
            if got == sect.get("source_hash", "").lower():
                plan.append((w, f"packagecache {fn}", None))
                continue
        deb = re.search(r"^# unikit-debian-(source|unpack|srcunpack): (\S+)", text, re.M)
        if debian and deb:
            plan.append((w, f"debian {deb.group(2)} (./unikit fetch-sources)", None))
            continue
        url = sect.get("source_url") or sect.get("url", "?")
        if "wrap-git" in wrap:
            url += f" at {sect.get('revision', '?')}"
        plan.append((w, f"upstream {url}", why))
    return plan


def cmd_source_plan(a):
    """Print where each wrap's source would come from; 1 when one cannot
    work (and, always, when a wrap's upstream is not pinned: a sha256 or a
    release tag)."""
    sub = a.subprojects or os.path.join(ROOT, "subprojects")
    if not os.path.isdir(sub):
        raise UserError(f"--subprojects {sub}: no such directory")
    rc = 0
    for w, src, why in source_plan(sub, debian=not a.no_debian):
        pin = upstream_problem(parse_wrap(os.path.join(sub, w)))
        print(f"{w}: {src}" + (f": CANNOT WORK: {why}" if why else ""))
        if why:
            rc = 1
        elif pin:
            print(f"{w}: upstream not pinned: {pin}")
            rc = 1
    return rc


def cmd_fetch_sources(a):
    """Put third-party source tarballs into subprojects/packagecache/ from
    Debian source packages, for machines that cannot reach upstream."""
    if getattr(a, "plan", False):
        return cmd_source_plan(a)
    cache = os.path.join(ROOT, "subprojects", "packagecache")
    os.makedirs(cache, exist_ok=True)
    todo = [t[:5] for t in debian_wraps()]
    if os.geteuid() != 0:
        raise UserError("fetch-sources adds a deb-src entry and runs apt-get: run it as root")
    ensure_deb_src()
    run_checked(["apt-get", "update", "-q"], "apt-get update", quiet=True)
    for w, pkg, orig, fn, want in todo:
        dest = os.path.join(cache, fn)
        if os.path.exists(dest) and hashlib.sha256(open(dest, "rb").read()).hexdigest() == want:
            say(f"{w}: {fn} already in packagecache")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o755)  # apt's _apt user writes into it
            path = apt_source(w, pkg, orig, tmp)
            got = hashlib.sha256(open(path, "rb").read()).hexdigest()
            if got != want:
                raise UserError(f"{w}: {orig} from Debian has sha256 {got}, the wrap wants {want}")
            shutil.copy(path, dest)
            say(f"{w}: {fn} from Debian's {pkg} source package (sha256 matches the wrap)")
    fetch_unpacked_sources()
    fetch_srcunpacked_sources()
    return 0


