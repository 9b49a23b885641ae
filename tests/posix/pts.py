#!/usr/bin/env python3
"""The Open POSIX Test Suite (Debian's posixtestsuite 1.5.2 source package)
against unikit: each test compiled with musl-gcc as a static PIE and run in
the elfrun image (one boot per test, the binary in the initrd), or natively
on the host to check the harness itself.

  pts.py fetch                      get and unpack the source (apt-get source)
  pts.py build [--tests FILE]       compile the tests of the areas below
  pts.py run --image ELFRUN | --native [--tests FILE] [--timeout S] [-j N]
                                    run them, write results.json, print counts
  pts.py report                     the per-area table (markdown) of results.json
  pts.py regress --image ELFRUN --expected tests/posix/expected-pass.txt [--all]
                                    fail if a listed test no longer passes;
                                    with --all, also name tests that newly pass

Classification by the suite's exit codes (include/posixtest.h): 0 PASS,
1 FAIL, 2 UNRESOLVED, 4 UNSUPPORTED, 5 UNTESTED; any other status, a crash,
a timeout or a test that does not compile counts as FAIL (the reason is
kept in results.json).

--cache DIR (default: subprojects/packagecache/posixtestsuite, outside git)
holds the source; --out DIR (default: DIR/build-<mode> under the cache)
the binaries and results.
"""
import argparse
import concurrent.futures
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "cli"))
from unikit.errors import UserError  # noqa: E402
from unikit.initrd import cpio_newc  # noqa: E402
from unikit.sources import ensure_deb_src  # noqa: E402
CACHE = os.path.join(ROOT, "subprojects", "packagecache", "posixtestsuite")
CC = os.path.join(ROOT, "libs", "ukelfloader", "tools", "musl-static-pie")
PKG, VERSION = "posixtestsuite", "1.5.2"
ORIG_SHA256 = "15a2185672127cba851d35ec9d538ff6148defdbb75f99c7e9c50aeba0f94757"

# area -> interface directories (globs) under conformance/interfaces
AREAS = [
    ("threads", ["pthread_create", "pthread_join", "pthread_detach", "pthread_exit",
                 "pthread_self", "pthread_equal", "pthread_once", "pthread_key_create",
                 "pthread_key_delete", "pthread_getspecific", "pthread_setspecific",
                 "pthread_attr_*"]),
    ("mutexes", ["pthread_mutex_*"]),
    ("mutex attributes", ["pthread_mutexattr_*"]),
    ("condition variables", ["pthread_cond_*"]),
    ("condvar attributes", ["pthread_condattr_*"]),
    ("semaphores (unnamed)", ["sem_init", "sem_destroy", "sem_wait", "sem_post",
                              "sem_getvalue", "sem_timedwait"]),
    ("clocks and sleeps", ["clock_gettime", "clock_getres", "clock_settime",
                           "clock_nanosleep", "nanosleep", "time"]),
    ("files", ["fsync"]),
    ("signal actions", ["sigaction", "signal", "sigset", "sigignore"]),
    ("signal masks and sets", ["sigprocmask", "pthread_sigmask", "sigaddset", "sigdelset",
                               "sigemptyset", "sigfillset", "sigismember", "sighold",
                               "sigrelse", "sigpending"]),
    ("sending signals", ["kill", "killpg", "raise", "pthread_kill", "sigqueue"]),
    ("waiting for signals", ["sigsuspend", "sigpause", "sigtimedwait", "sigwaitinfo",
                             "sigwait"]),
    ("alternate signal stacks", ["sigaltstack"]),
    ("timers", ["timer_create", "timer_delete", "timer_gettime", "timer_settime",
                "timer_getoverrun"]),
]

CODES = {0: "PASS", 1: "FAIL", 2: "UNRESOLVED", 4: "UNSUPPORTED", 5: "UNTESTED"}
ORDER = ["PASS", "FAIL", "UNRESOLVED", "UNSUPPORTED", "UNTESTED"]


def say(msg):
    print(f"pts: {msg}", file=sys.stderr, flush=True)



def src_dir(cache):
    return os.path.join(cache, f"{PKG}-{VERSION}")


# ------------------------------------------------------------------ fetch

def cmd_fetch(a):
    src = src_dir(a.cache)
    if os.path.isdir(os.path.join(src, "conformance")):
        say(f"source already in {src}")
        return 0
    os.makedirs(a.cache, exist_ok=True)
    # a deb-src entry derived from this machine's own apt sources, as
    # `./unikit fetch-sources` does (root only when one must be added)
    try:
        added = ensure_deb_src()
    except UserError as e:
        say(f"error: {e}")
        return 2
    except PermissionError:
        say("error: no deb-src entry in /etc/apt and no permission to add one: "
            "run `./unikit fetch-sources` or this command as root once")
        return 2
    if added:
        subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True)
    with tempfile.TemporaryDirectory(dir=a.cache) as tmp:
        p = subprocess.run(["apt-get", "source", "--download-only", "-q", PKG], cwd=tmp,
                           capture_output=True, text=True)
        if p.returncode != 0:
            say(f"error: apt-get source {PKG} failed:\n{p.stderr.strip()}")
            return 2
        orig = os.path.join(tmp, f"{PKG}_{VERSION}.orig.tar.gz")
        if not os.path.exists(orig):
            say(f"error: Debian's {PKG} is not version {VERSION}: {sorted(os.listdir(tmp))}")
            return 2
        got = hashlib.sha256(open(orig, "rb").read()).hexdigest()
        if got != ORIG_SHA256:
            say(f"error: {os.path.basename(orig)} has sha256 {got}, expected {ORIG_SHA256}")
            return 2
        dsc = [f for f in os.listdir(tmp) if f.endswith(".dsc")][0]
        # unpack with Debian's patches applied
        subprocess.run(["dpkg-source", "-x", dsc, "src"], cwd=tmp, check=True,
                       capture_output=True)
        os.rename(os.path.join(tmp, "src"), src)
    say(f"source unpacked in {src}")
    return 0


# ------------------------------------------------------------------ build

def all_tests(src):
    """(area, 'interface/N-M') for every C test of the areas, sorted."""
    base = os.path.join(src, "conformance", "interfaces")
    dirs = sorted(os.listdir(base))
    out = []
    for area, globs in AREAS:
        for d in dirs:
            if not any(fnmatch.fnmatch(d, g) for g in globs):
                continue
            for f in sorted(os.listdir(os.path.join(base, d))):
                if re.fullmatch(r"\d+-\d+\.c", f):
                    out.append((area, f"{d}/{f[:-2]}"))
    return out


def read_list(path):
    if not path:
        return None
    with open(path) as f:
        return {l.split("#")[0].strip() for l in f if l.split("#")[0].strip()}


def out_dir(a):
    return a.out or os.path.join(a.cache, "build-" + ("native" if getattr(a, "native", False) else "image"))


def build_one(src, out, test):
    exe = os.path.join(out, "bin", test)
    c = os.path.join(src, "conformance", "interfaces", test + ".c")
    if os.path.exists(exe) and os.path.getmtime(exe) >= os.path.getmtime(c):
        return test, None
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    cmd = [CC, "-O2", "-std=gnu99", "-D_POSIX_C_SOURCE=200112L", "-D_XOPEN_SOURCE=600",
           "-I", os.path.join(src, "include"), "-w", "-o", exe, c, "-lpthread", "-lrt", "-lm"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return test, (p.stderr.strip().splitlines() or ["?"])[-1][:300]
    return test, None


def build(a, tests):
    src = src_dir(a.cache)
    out = out_dir(a)
    errors = {}
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for test, err in ex.map(lambda t: build_one(src, out, t[1]), tests):
            if err:
                errors[test] = err
    with open(os.path.join(out, "build-errors.json"), "w") as f:
        json.dump(errors, f, indent=1, sort_keys=True)
    say(f"built {len(tests) - len(errors)} of {len(tests)} tests in {out}/bin "
        f"({len(errors)} do not compile with musl)")
    return errors


def selected(a):
    src = src_dir(a.cache)
    if not os.path.isdir(os.path.join(src, "conformance")):
        raise SystemExit(f"pts: no source in {src}: run `{sys.argv[0]} fetch` first")
    tests = all_tests(src)
    only = read_list(getattr(a, "tests", None))
    if only is not None:
        tests = [t for t in tests if t[1] in only]
    return tests


def cmd_build(a):
    build(a, selected(a))
    return 0


# ------------------------------------------------------------------ run

def classify(rc, why=None):
    if why:
        return "FAIL", why
    if rc in CODES:
        return CODES[rc], None
    return "FAIL", f"exit status {rc}"


def run_native(exe, timeout):
    with tempfile.TemporaryDirectory(prefix="pts-") as cwd:
        t0 = time.monotonic()
        try:
            p = subprocess.run([exe], cwd=cwd, capture_output=True, timeout=timeout,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            return None, f"timeout after {timeout} s", (e.stdout or b"").decode("utf-8", "replace"), \
                time.monotonic() - t0
        out = (p.stdout + p.stderr).decode("utf-8", "replace")
        rc = p.returncode
        if rc < 0:
            return None, f"killed by signal {-rc}", out, time.monotonic() - t0
        return rc, None, out, time.monotonic() - t0


def run_image(image, exe, timeout, mem):
    with tempfile.TemporaryDirectory(prefix="pts-") as tmp:
        root = os.path.join(tmp, "root")
        os.makedirs(os.path.join(root, "bin"))
        shutil.copy(exe, os.path.join(root, "bin", "t"))
        cpio = os.path.join(tmp, "initrd.cpio")
        with open(cpio, "wb") as f:
            f.write(cpio_newc(root))
        cmd = [sys.executable, os.path.join(ROOT, "unikit"), "run", "--image", image,
               "--initrd", cpio, "--mem", mem, "--timeout", str(timeout), "--", "/bin/t"]
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=timeout + 60,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return None, f"harness timeout after {timeout + 60} s", "", time.monotonic() - t0
        out = (p.stdout + p.stderr).decode("utf-8", "replace")
        dt = time.monotonic() - t0
        if f"timed out after {float(timeout)} s" in out or "timed out after" in out:
            return None, f"timeout after {timeout} s", out, dt
        if "=== CRASH" in out:
            return None, f"crash (status {p.returncode})", out, dt
        if re.search(r"\bPANIC\b", out):
            return None, f"panic (status {p.returncode})", out, dt
        if p.returncode in (123, 126, 127):
            return None, f"image could not run the test (status {p.returncode})", out, dt
        return p.returncode, None, out, dt


def run(a, tests):
    out = out_dir(a)
    errors = build(a, tests)
    results = {}
    todo = []
    for area, t in tests:
        if t in errors:
            results[t] = {"area": area, "status": "FAIL", "why": "does not compile: " + errors[t]}
        else:
            todo.append((area, t))
    logdir = os.path.join(out, "logs")
    os.makedirs(logdir, exist_ok=True)

    def one(item):
        area, t = item
        exe = os.path.join(out, "bin", t)
        if a.native and t.startswith("clock_settime/"):
            # never set the host's clock
            return t, {"area": area, "status": "UNTESTED", "rc": None,
                       "why": "not run on the host", "seconds": 0}
        if a.native:
            rc, why, text, dt = run_native(exe, a.timeout)
        else:
            rc, why, text, dt = run_image(os.path.abspath(a.image), exe, a.timeout, a.mem)
        status, why = classify(rc, why)
        with open(os.path.join(logdir, t.replace("/", "_") + ".log"), "w") as f:
            f.write(text)
        return t, {"area": area, "status": status, "rc": rc, "why": why, "seconds": round(dt, 2)}

    t0 = time.monotonic()
    done = 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for t, r in ex.map(one, todo):
            results[t] = r
            done += 1
            if a.verbose or r["status"] != "PASS":
                extra = f" ({r['why']})" if r.get("why") else ""
                print(f"{r['status']:<11} {t}{extra}  [{r['seconds']} s]", flush=True)
    say(f"ran {done} tests in {time.monotonic() - t0:.0f} s ({a.jobs} at a time)")
    mode = "native" if a.native else "image"
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"mode": mode, "results": results}, f, indent=1, sort_keys=True)
    print(table(results))
    return results


def cmd_run(a):
    run(a, selected(a))
    return 0


# ------------------------------------------------------------------ report

def table(results):
    rows = {}
    for t, r in results.items():
        rows.setdefault(r["area"], {k: 0 for k in ORDER})[r["status"]] += 1
    lines = ["| area | tests | " + " | ".join(s.lower() for s in ORDER) + " |",
             "|---|---:|" + "---:|" * len(ORDER)]
    total = {k: 0 for k in ORDER}
    for area, _ in AREAS:
        if area not in rows:
            continue
        c = rows[area]
        for k in ORDER:
            total[k] += c[k]
        lines.append(f"| {area} | {sum(c.values())} | " + " | ".join(str(c[k]) for k in ORDER) + " |")
    lines.append(f"| **total** | {sum(total.values())} | " + " | ".join(str(total[k]) for k in ORDER) + " |")
    return "\n".join(lines)


def cmd_report(a):
    with open(os.path.join(out_dir(a), "results.json")) as f:
        data = json.load(f)
    print(table(data["results"]))
    if a.failures:
        for t, r in sorted(data["results"].items()):
            if r["status"] == "FAIL":
                print(f"- `{t}`: {r.get('why') or 'exit status 1 (PTS_FAIL)'}")
    if a.passing:
        with open(a.passing, "w") as f:
            f.write("# Open POSIX Test Suite tests that pass in the elfrun image\n"
                    "# (tests/posix/pts.py regress fails if one of them stops passing)\n")
            for t, r in sorted(data["results"].items()):
                if r["status"] == "PASS":
                    f.write(t + "\n")
    return 0


# ------------------------------------------------------------------ regress

def cmd_regress(a):
    src = src_dir(a.cache)
    if not os.path.isdir(os.path.join(src, "conformance")):
        if cmd_fetch(a) != 0:
            say("SKIP: the test suite's source is not available")
            return 77
    expected = read_list(a.expected)
    tests = all_tests(src)
    if not a.all:
        tests = [t for t in tests if t[1] in expected]
    missing = expected - {t for _, t in all_tests(src)}
    if missing:
        say(f"the expected list names unknown tests: {sorted(missing)}")
        return 1
    a.tests = None
    results = run(a, tests)
    lost = sorted(t for t in expected if results[t]["status"] != "PASS")
    new = sorted(t for t, r in results.items() if r["status"] == "PASS" and t not in expected)
    for t in lost:
        r = results[t]
        print(f"REGRESSION: {t} no longer passes: {r['status']}"
              + (f" ({r['why']})" if r.get("why") else ""))
    if new:
        print(f"hint: {len(new)} tests pass that tests/posix/expected-pass.txt does not list "
              f"(add them): " + " ".join(new))
    print(f"regress: {len(expected) - len(lost)} of {len(expected)} expected passes still pass")
    return 1 if lost else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(s):
        s.add_argument("--cache", default=CACHE)
        s.add_argument("--out")
        s.add_argument("-j", "--jobs", type=int, default=2)

    s = sub.add_parser("fetch")
    common(s)
    s.set_defaults(fn=cmd_fetch)
    s = sub.add_parser("build")
    common(s)
    s.add_argument("--tests", help="file listing the tests to build (default: all)")
    s.add_argument("--native", action="store_true")
    s.set_defaults(fn=cmd_build)
    for name, fn in (("run", cmd_run), ("regress", cmd_regress)):
        s = sub.add_parser(name)
        common(s)
        g = s.add_mutually_exclusive_group(required=True)
        g.add_argument("--image", help="the elfrun_kvm-x86_64 image")
        g.add_argument("--native", action="store_true", help="run on the host (harness check)")
        s.add_argument("--timeout", type=int, default=60, help="seconds per test (default 60)")
        s.add_argument("--mem", default="128M")
        s.add_argument("-v", "--verbose", action="store_true")
        if name == "run":
            s.add_argument("--tests", help="file listing the tests to run (default: all)")
        else:
            s.add_argument("--expected", required=True)
            s.add_argument("--all", action="store_true", help="run every test, to spot new passes")
        s.set_defaults(fn=fn)
    s = sub.add_parser("report")
    common(s)
    s.add_argument("--native", action="store_true")
    s.add_argument("--failures", action="store_true", help="list the failing tests and why")
    s.add_argument("--passing", help="write the passing tests to this file")
    s.set_defaults(fn=cmd_report)
    a = p.parse_args()
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
