"""redis' own test suite (tests/ and runtest of its source tree) against a
running redis image: `runtest --host H --port 6379` treats it as an
external server, which by itself skips every test tagged external:skip
(those that start their own servers, restart or kill them, or read the
server's log). On top of that we skip the tags below, and the units are
those of redis' type and command tests that do not need a second server.

    run_suite(ns, redis_src, host, "quick" | "full", timeout) -> 0 / 1

The pass counts go to docs/ports.md; KNOWN_FAILURES lists the tests that
fail on the image and why (a regression list: a test that starts failing
and is not listed fails the run; a listed one that passes is reported).
"""
import os
import re
import shutil
import subprocess
import tempfile

# tags skipped, and why
SKIP_TAGS = {
    "needs:repl": "replication: a second server, and fork for the full sync",
    "needs:save": "BGSAVE and the save points: fork",
    "needs:local-process": "signals to the server process and its pid on the host",
    "needs:latency": "relies on the server pausing in fork's child",
}

# tests that need fork without a tag saying so, and why (each would end its
# unit with an exception: the rest of the unit would not run)
REPL = "reads the replication stream (SYNC: a BGSAVE, fork)"
AOF = "turns the append-only file on (CONFIG SET appendonly yes: an AOF rewrite, fork)"
SKIP_TESTS = {
    "SRANDMEMBER with a dict containing long chain": "BGSAVE (fork) to stop the set's rehashing",
    "SWAPDB wants to wake blocked client, but the key already expired": REPL,
    "MULTI + LPUSH + EXPIRE + DEBUG SLEEP on blocked client, key already expired": REPL,
    "SCAN: Lazy-expire should not be wrapped in MULTI/EXEC": REPL,
    "RANDOMKEY: Lazy-expire should not be wrapped in MULTI/EXEC": REPL,
    "SET - use KEEPTTL option, TTL should not be removed after loadaof": AOF,
    "GETEX use of PERSIST option should remove TTL after loadaof": AOF,
}

# units whose server blocks (start_server ... overrides) turn the AOF on:
# those blocks are skipped by their tag, in these units only (elsewhere
# needs:debug tests run)
UNIT_SKIP_TAGS = {
    "unit/type/stream": {"needs:debug": AOF + ", in 8 server blocks' overrides"},
    "unit/type/stream-cgroups": {"needs:debug": AOF + ", in 2 server blocks' overrides"},
}

# quick: the units that take under a minute each under TCG. unit/scripting's
# busy scripts (a Lua loop killed by SCRIPT KILL while redis polls its
# sockets from the script's hook) once left the guest deaf: a thread that
# only yields never let device interrupts in (uksched's poll_irq now does).
# unit/protocol comes after list and set: it fails if their configuration
# is not set back (restore_config).
QUICK = ["unit/type/string", "unit/type/incr", "unit/type/hash", "unit/type/set",
         "unit/type/zset", "unit/type/list", "unit/keyspace", "unit/expire", "unit/scripting",
         "unit/type/stream-cgroups", "unit/functions", "unit/multi", "unit/pubsub",
         "unit/dump", "unit/info-command", "unit/protocol", "unit/scan"]
FULL = QUICK + ["unit/type/list-2", "unit/type/list-3", "unit/type/stream", "unit/sort",
                "unit/bitops", "unit/hyperloglog", "unit/geo"]

# "unit: test name" -> why it fails on the image
CLOCK = ("the kvm platform's wall clock is the CMOS RTC's whole seconds at boot, up to 1 s "
         "behind the host's (QEMU's RTC itself ticks from QEMU's start, not on the host's "
         "seconds: docs/ports.md): an expiry 10 s ahead by the host's clock is up to 11 s "
         "ahead by the guest's (fails when the guest is more than 0.5 s behind)")
KNOWN_FAILURES = {
    "unit/type/string: Extended SET EXAT option": CLOCK,
    "unit/type/string: Extended SET PXAT option": CLOCK,
    "unit/type/string: GETEX PXAT option": CLOCK,
    # the same, seen intermittently (2 of 3 runs on a loaded host)
    "unit/type/string: GETEX EXAT option": CLOCK,
    "unit/expire: EXPIREAT - Check for EXPIRE alike behavior": CLOCK,
    # an absolute expiry 3 s ahead must leave a PTTL of at most 3,100 ms
    "unit/dump: RESTORE can set an absolute expire": CLOCK,
}

ANSI = re.compile(r"\x1b\[[0-9;]*m")
RESULT = re.compile(r"^\[(ok|err|exception|skip|ignore)\]: (.*?)(?: in tests/\S+\.tcl)?"
                    r"(?: \(\d+ ms\))?$")


def copy_tree(src, dst):
    """runtest and tests/ (it writes tests/tmp), without touching src."""
    shutil.copy2(os.path.join(src, "runtest"), dst)
    shutil.copytree(os.path.join(src, "tests"), os.path.join(dst, "tests"),
                    ignore=shutil.ignore_patterns("tmp"))
    os.makedirs(os.path.join(dst, "tests", "tmp"), exist_ok=True)
    # test_helper.tcl looks for the binaries under src/ only to start
    # servers of its own, which external mode does not do
    os.makedirs(os.path.join(dst, "src"), exist_ok=True)


def run_unit(ns, tree, host, unit, timeout):
    cmd = ["./runtest", "--host", host, "--port", "6379", "--single", unit, "--clients", "1",
           "--timeout", str(int(timeout)), "--tags",
           " ".join("-" + t for t in list(SKIP_TAGS) + list(UNIT_SKIP_TAGS.get(unit, {})))]
    for t in SKIP_TESTS:
        cmd += ["--skiptest", t]
    try:
        p = ns.run(cmd, cwd=tree, capture_output=True, text=True, errors="replace", timeout=timeout * 6)
        out = p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        out += f"\n[exception]: runtest of {unit} did not finish within {timeout * 6} s"
    return out


def config_get(ns, host):
    """The server's whole configuration (CONFIG GET *), None if unreadable."""
    try:
        p = ns.run(["redis-cli", "-h", host, "--raw", "CONFIG", "GET", "*"], capture_output=True,
                   text=True, errors="replace", timeout=60)
    except subprocess.TimeoutExpired:
        return None
    lines = p.stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if p.returncode != 0 or not lines or len(lines) % 2:
        return None
    return dict(zip(lines[0::2], lines[1::2]))


def restore_config(ns, host, saved):
    """Set back what a unit changed. runtest gives each unit a server of its
    own; against one external server, a unit's CONFIG SETs outlive it (the
    list and set units raise proto-max-bulk-len to 10 GB, after which
    unit/protocol's over-long bulk is an allocation of 2 GB and redis aborts
    for want of memory, as it would on Linux in the same 128 MiB VM).
    Returns (the keys set back, problems)."""
    now = config_get(ns, host)
    if now is None:
        return [], ["CONFIG GET * failed after the unit (is the server still up?)"]
    changed = sorted(k for k, v in saved.items() if now.get(k) != v)
    problems = []
    for k in changed:
        p = ns.run(["redis-cli", "-h", host, "CONFIG", "SET", k, saved[k]], capture_output=True,
                   text=True, errors="replace", timeout=60)
        if p.stdout.strip() != "OK":
            problems.append(f"setting {k} back to {saved[k]!r}: {p.stdout.strip() or p.stderr.strip()}")
    return changed, problems


def run_suite(ns, redis_src, host, which, timeout):
    if not redis_src or not os.path.isfile(os.path.join(redis_src, "runtest")):
        print("redis-suite: SKIP: no redis source tree with runtest (--redis-src)")
        return 77
    if not shutil.which("tclsh"):
        print("redis-suite: SKIP: no tclsh on the host (apt-get install tcl)")
        return 77
    units = QUICK if which == "quick" else FULL
    print(f"redis-suite: {len(units)} units against {host}:6379, skipping tags "
          f"{', '.join(SKIP_TAGS)} (and external:skip)", flush=True)
    failed = 0
    totals = {"ok": 0, "err": 0, "skip": 0}
    saved = config_get(ns, host)
    if saved is None:
        print("redis-suite: FAIL: CONFIG GET * failed before the first unit")
        return 1
    with tempfile.TemporaryDirectory() as tree:
        copy_tree(redis_src, tree)
        for unit in units:
            out = run_unit(ns, tree, host, unit, timeout)
            restored, problems = restore_config(ns, host, saved)
            counts = {"ok": 0, "err": 0, "skip": 0}
            new = []
            out = ANSI.sub("", out)
            for line in out.splitlines():
                m = RESULT.match(line.strip())
                if not m:
                    continue
                kind, name = m.groups()
                if kind in ("skip", "ignore"):
                    counts["skip"] += 1
                elif kind == "ok":
                    counts["ok"] += 1
                    if f"{unit}: {name}" in KNOWN_FAILURES:
                        print(f"     {unit}: {name}: passes now (remove it from KNOWN_FAILURES)")
                else:
                    counts["err"] += 1
                    key = f"{unit}: {name}"
                    if key not in KNOWN_FAILURES:
                        new.append(line.strip())
            known = counts["err"] - len(new)
            if counts["ok"] + counts["err"] == 0 or "[exception]" in out:
                new.append("no results, or an exception:\n" + out[-3000:])
            for k in totals:
                totals[k] += counts[k]
            status = "ok  " if not new and not problems else "FAIL"
            print(f"{status} redis-suite {unit}: {counts['ok']} passed, {counts['err']} failed "
                  f"({known} known), "
                  f"{counts['skip']} skipped", flush=True)
            for n in new:
                print(f"     {n}")
            if restored:
                print(f"     configuration set back: {', '.join(restored)}")
            for n in problems:
                print(f"     FAIL {n}")
            failed += bool(new or problems)
    print(f"redis-suite: {totals['ok']} passed, {totals['err']} failed, {totals['skip']} skipped "
          f"in {len(units)} units", flush=True)
    return 1 if failed else 0
