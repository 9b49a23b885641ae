"""`unikit fuzz TARGET`: libFuzzer targets built natively with clang."""
import os
import shlex
import shutil
import subprocess
import sys
import time

from . import BUILD, ROOT
from .build import run_checked
from .errors import UserError, say
from .host import apt_line


# libFuzzer targets of `./unikit fuzz TARGET`: the Meson project that builds
# it natively with clang (option -Dfuzz=true), the executable, the committed
# seed corpus, and the libFuzzer flags every run gets (docs/fuzzing.md).
FUZZ_TARGETS = {
    "netif": {
        "project": "libs/uklwip",
        "exe": "fuzz_netif",
        "seeds": "libs/uklwip/fuzz/seeds",
        # entropic scheduling costs more than the target itself here; the
        # harness frees everything each input allocates, so libFuzzer's
        # per-input leak check stays on
        "flags": ["-entropic=0", "-detect_leaks=1"],
        "help": "raw Ethernet frames through uklwip's netif into lwIP",
    },
    "http": {
        "project": "examples/httpreply/fuzz",
        "exe": "fuzz_http_parse",
        "seeds": "examples/httpreply/fuzz/seeds",
        "flags": ["-max_len=16384",
                  "-dict=" + os.path.join(ROOT, "examples", "httpreply", "fuzz", "http.dict")],
        "help": "httpreply's HTTP/1.1 request parser (pipelined requests, prefix invariants)",
    },
}


def cmd_fuzz(a):
    t = FUZZ_TARGETS.get(a.target)
    if not t:
        raise UserError(f"unknown fuzz target {a.target!r}; targets: {', '.join(sorted(FUZZ_TARGETS))}")
    if not shutil.which("clang"):
        raise UserError("fuzzing needs clang with libFuzzer: " + apt_line(["clang"]) +
                        " (and libclang-rt-dev for libFuzzer)")
    bdir = os.path.abspath(a.builddir) if a.builddir else os.path.join(BUILD, "fuzz", a.target)
    if not os.path.isfile(os.path.join(bdir, "build.ninja")):
        say(f"configuring {os.path.relpath(bdir, ROOT)} (clang, -Dfuzz=true)")
        env = dict(os.environ, CC="clang")
        p = subprocess.run(["meson", "setup", bdir, os.path.join(ROOT, t["project"]), "-Dfuzz=true",
                            "--buildtype=debugoptimized"], env=env, capture_output=True, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stdout[-4000:] + p.stderr[-4000:])
            shutil.rmtree(bdir, ignore_errors=True)
            raise UserError(f"configuring the fuzz build of {a.target} failed")
    run_checked(["ninja", "-C", bdir, t["exe"]], f"building {t['exe']}", quiet=True)
    corpus = os.path.join(bdir, "corpus")
    os.makedirs(corpus, exist_ok=True)
    cmd = [os.path.join(bdir, t["exe"])] + t["flags"] + [f"-runs={a.runs}"]
    if a.jobs > 1:
        cmd += [f"-jobs={a.jobs}", f"-workers={a.jobs}"]
    cmd += a.fuzz_args + [corpus, os.path.join(ROOT, t["seeds"])]
    say("running: " + " ".join(shlex.quote(c) for c in cmd))
    start = time.time()
    rc = subprocess.run(cmd, cwd=bdir).returncode
    say(f"fuzz {a.target}: exit {rc} after {time.time() - start:.0f} s; corpus in "
        f"{os.path.relpath(corpus, ROOT)}, crashes (if any) in {os.path.relpath(bdir, ROOT)}/")
    return rc


