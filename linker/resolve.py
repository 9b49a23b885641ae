"""Which libraries go into an image: the closure of what an app needs.

An app names what it uses directly: features (`posix`, `files`, `net`,
`threads`, `heap`, ...) or single libraries. Every library states once, in its
own meson.build (`requires = [...]`), what an image that links it must also
link; a feature is a named list of libraries and other features; a choice
(`@allocator`, `@netdev`, ...) is filled by a build option or by the platform.
This module computes the closure in one place, for the composer (mkimage.py)
and for the CLI (`unikit size --why`, `unikit list`, `unikit new`).

The pool description (`pool.json`, written by unikit's meson.build) holds:
  libs       name -> {path, requires, platforms, libcs, dir}
  features   name -> [names]
  choices    @name -> {group: [libs], default: lib or "", per_platform: {plat: lib}}
  libc       {name, path, link, requires}
  targets    platform -> {script, boot, archive, requires}: what every image of
             that platform links

Python 3 standard library only.
"""
import difflib


class ResolveError(Exception):
    pass


def _suggest(name, choices):
    close = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _choice(pool, name, platform, explicit):
    """The library a choice stands for here, or None when it is empty."""
    c = pool["choices"].get(name)
    if c is None:
        raise ResolveError(f"unknown choice '{name}'; choices: {', '.join(sorted(pool['choices']))}")
    for lib in c.get("group", []):
        if lib in explicit:
            return lib
    per = c.get("per_platform", {})
    if platform in per:
        return per[platform] or None
    return c.get("default") or None


def resolve(pool, needs, platform, app="app"):
    """[(library, reason)] for an image of `app` on `platform`, requirers
    before what they require (the order the composer links them in). A
    reason says what pulled the library in: 'app needs net',
    'feature net', 'required by posixsocket', 'platform kvm', 'libc musl'."""
    libs, features = pool["libs"], pool["features"]
    libc = pool["libc"]
    unknown = [n for n in needs if n not in libs and n not in features and not n.startswith("@")
               and n not in pool.get("unavailable", {})]
    if unknown:
        n = unknown[0]
        raise ResolveError(
            f"{app} needs '{n}', which is neither a feature nor a library of the pool"
            f"{_suggest(n, list(libs) + list(features))}; features: {', '.join(sorted(features))}; "
            f"libraries: {', '.join(sorted(libs))}")
    explicit = set(needs)
    reasons = {}
    edges = {}  # library -> libraries it requires (after expanding features)

    def expand(name, why, path):
        """Library names `name` stands for (features and choices expanded)."""
        if name.startswith("@"):
            lib = _choice(pool, name, platform, explicit)
            return [] if lib is None else expand(lib, why, path)
        if name in features:
            if name in path:
                raise ResolveError("feature cycle: " + " -> ".join(path + [name]))
            out = []
            for n in features[name]:
                out += expand(n, f"feature {name}", path + [name])
            return out
        if name in pool.get("unavailable", {}):
            lcs = pool["unavailable"][name]
            raise ResolveError(f"{name} ({why}) does not work with libc {libc['name']} (only "
                               f"with {', '.join(lcs)}); choose -Dunikit:libc={lcs[0]} or leave "
                               f"out what needs it")
        if name not in libs:
            raise ResolveError(f"{path[-1] if path else app} requires '{name}', which is not "
                               f"in the pool{_suggest(name, list(libs))}")
        return [name]

    order = []
    state = {}  # 0 visiting, 1 done

    def visit(lib, why, stack):
        reasons.setdefault(lib, []).append(why)
        if state.get(lib) == 1:
            return
        if state.get(lib) == 0:
            cyc = stack[stack.index(lib):] + [lib]
            raise ResolveError("dependency cycle: " + " -> ".join(cyc) +
                               " (each library's `requires` in its meson.build)")
        info = libs[lib]
        if info.get("platforms") and platform not in info["platforms"]:
            raise ResolveError(
                f"{lib} ({why}) is not available on the {platform} platform (it runs on "
                f"{', '.join(info['platforms'])}); build {app} for "
                f"{' or '.join(info['platforms'])} only (mkimage --platforms) or leave out "
                f"what needs it")
        if info.get("libcs") and pool["libc"]["name"] not in info["libcs"]:
            raise ResolveError(
                f"{lib} ({why}) does not work with libc {pool['libc']['name']} (only with "
                f"{', '.join(info['libcs'])}); choose -Dunikit:libc={info['libcs'][0]} or leave "
                f"out what needs it")
        state[lib] = 0
        edges[lib] = []
        for r in info.get("requires", []):
            for dep in expand(r, f"required by {lib}", [lib]):
                edges[lib].append(dep)
                visit(dep, f"required by {lib}", stack + [lib])
        state[lib] = 1
        order.append(lib)

    for n in needs:
        for lib in expand(n, f"{app} needs {n}", []):
            visit(lib, f"{app} needs {n}" if lib == n else f"{app} needs {n} (feature)", [])
    for r in libc.get("requires", []):
        for lib in expand(r, f"libc {libc['name']}", []):
            visit(lib, f"libc {libc['name']}", [])
    for r in pool["targets"][platform].get("requires", []):
        for lib in expand(r, f"platform {platform}", []):
            visit(lib, f"platform {platform}", [])
    # depth-first post-order puts what is required first; the composer wants
    # requirers first (weak defaults of a glue library before the shim's)
    order.reverse()
    return [(lib, reasons[lib]) for lib in order]

