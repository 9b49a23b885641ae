#!/usr/bin/env python3
"""Boot tests of the hiredis images (examples/port-hiredis).

    redistest.py --unikit-root DIR --test hiredis-test.images
                 --example hiredis-example.images --root TESTS/root

A private network namespace with a tap (unikit.netns) and the host's
redis-server (Debian's package) inside it on the host end of the tap, no
persistence, DEBUG enabled (test.c's timeout tests use DEBUG SLEEP). Then:
  1. hiredis-test -h HOST -p 6379 --skip-throughput --skip-inherit-fd:
     hiredis's own suite. Every test up to its Unix-socket section must print
     PASSED and none FAILED (but one: "Returns error when host cannot be
     resolved" compares hiredis's message with glibc's and BSD's wordings of
     getaddrinfo's errors, not musl's "Try again" / "Name does not resolve";
     the example checks that message instead, 1b); the suite's Unix-socket
     half cannot run here (the
     server is outside the image, and test.c has no switch to leave that half
     out), so it must stop there with "Connection error" and nothing else.
  2. hiredis-example HOST 6379: the replies of PING, SET, GET, INCR, LRANGE,
     and the keys it set must be in the server afterwards (redis-cli).
Bad input is hiredis's own suite's part: its reply-parser tests feed it
malformed and over-deep replies and check the errors.
Exit 77 (skip) without root, tap devices or redis-server.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
# the one test of test.c whose expected messages are glibc's and BSD's only
MUSL_WORDING = "Returns error when host cannot be resolved"


def boot(uk, ns, image, argv, root, accel, timeout):
    cpio = os.path.join(tempfile.mkdtemp(), "initrd.cpio")
    with open(cpio, "wb") as f:
        f.write(uk.initrd.cpio_newc(root))
    append = " ".join(uk.netns.guest_params()) + " -- " + uk.qemu.quote_args(argv)
    cmd = uk.qemu.qemu_command(image, "microvm", 64 << 20, accel, append,
                               ["-initrd", cpio] + uk.netns.qemu_net_args("microvm"))
    g = uk.netns.Guest(ns, cmd)
    try:
        g.proc.wait(timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
    g.stop()
    shutil.rmtree(os.path.dirname(cpio), ignore_errors=True)
    out = re.sub(r"\x1b\[[0-9;]*m", "", g.text())
    return out, timed_out


def check(name, out, timed_out, problems):
    if timed_out:
        problems.append("no exit within the timeout")
    if "CRASH" in out:
        problems.append("a crash report")
    if problems:
        print(out[-4000:])
        print(f"FAIL {name}: {'; '.join(problems)}", flush=True)
        return 1
    print(f"ok   {name}", flush=True)
    return 0


def run(a):
    sys.path.insert(0, os.path.join(a.unikit_root, "cli"))
    from unikit import porttest as pt
    uk = pt.load_unikit(a.unikit_root)
    why = uk.netns.requirements_problem()
    if why:
        print(f"redistest: SKIP: {why}")
        return SKIP
    server = shutil.which("redis-server")
    if not server:
        print("redistest: SKIP: no redis-server on the host (Debian: apt-get install "
              "redis-server)")
        return SKIP
    accel, how = uk.qemu.choose_accel(a.accel, uk.qemu.probe_image_path("gcc"))
    print(f"redistest: accelerator {accel} ({how})", flush=True)
    test_img = pt.kvm_image(uk, a.test)
    example_img = pt.kvm_image(uk, a.example)
    host = uk.netns.HOST_IP
    failed = 0
    with tempfile.TemporaryDirectory() as tmp, uk.netns.NetNS("redis") as ns:
        ns.popen([server, "--bind", host, "--port", "6379", "--protected-mode", "no",
                  "--save", "", "--appendonly", "no", "--enable-debug-command", "yes",
                  "--dir", tmp, "--unixsocket", ""], stdout=subprocess.DEVNULL)
        for _ in range(100):
            if ns.run(["redis-cli", "-h", host, "ping"], capture_output=True,
                      text=True).stdout.strip() == "PONG":
                break
            time.sleep(0.1)

        # 1. hiredis's own suite
        out, to = boot(uk, ns, test_img, ["-h", host, "-p", "6379", "--skip-throughput",
                                          "--skip-inherit-fd"], a.root, accel, a.timeout)
        before, sep, after = out.partition("Testing against Unix socket connection")
        passed = len(re.findall(r"^#\d+ .*PASSED$", before, re.M))
        problems = []
        if "Testing against TCP connection (10.77.0.1:6379)" not in before:
            problems.append("the TCP section did not start")
        fails = [f for f in re.findall(r"^#\d+ (.*): FAILED$", before, re.M)
                 if f != MUSL_WORDING]
        if fails or "FAILED" in before.replace(MUSL_WORDING + ": FAILED", ""):
            problems.append("FAILED: " + "; ".join(fails))
        if passed < a.min_passed:
            problems.append(f"{passed} tests PASSED before the Unix-socket section, expected "
                            f"at least {a.min_passed}")
        if not sep or not re.search(r"^Connection error: ", after, re.M) or "PASSED" in after:
            problems.append("the Unix-socket section did not stop with a connection error")
        if not problems:
            print(f"redistest: hiredis's suite: {passed} tests passed over TCP", flush=True)
        failed += check("hiredis test.c over TCP", out, to, problems)

        # 1b. test.c's "host cannot be resolved" accepts glibc's and BSD's
        # wordings of getaddrinfo's errors but not musl's: hiredis's errstr
        # is checked here instead, through the example, which prints it
        out, to = boot(uk, ns, example_img, ["idontexist.test", "6379"], a.root, accel,
                       a.timeout)
        problems = [] if re.search(r"^Connection error: (Try again|Name does not resolve)$",
                                   out, re.M) else ["no musl resolver error from hiredis"]
        failed += check("hiredis: a name that does not resolve", out, to, problems)

        # 2. the example, and what it left in the server
        out, to = boot(uk, ns, example_img, [host, "6379"], a.root, accel, a.timeout)
        problems = [f"no /{rx}/" for rx in (
            r"^PING: PONG$", r"^SET: OK$", r"^SET \(binary API\): OK$",
            r"^GET foo: hello world$", r"^INCR counter: \d+$",
            r"^9\) element-0$") if not re.search(rx, out, re.M)]
        got = ns.run(["redis-cli", "-h", host, "lrange", "mylist", "0", "-1"],
                     capture_output=True, text=True).stdout.split()
        if sorted(got) != sorted(f"element-{i}" for i in range(10)):
            problems.append(f"mylist in the server: {got}")
        failed += check("hiredis example", out, to, problems)

    print(f"redistest: {'PASS' if not failed else 'FAIL'}", flush=True)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unikit-root")
    ap.add_argument("--test")
    ap.add_argument("--example")
    ap.add_argument("--root")
    ap.add_argument("--min-passed", type=int, default=60)
    ap.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    ap.add_argument("--timeout", type=float, default=240)
    a = ap.parse_args()
    return run(a)


if __name__ == "__main__":
    sys.exit(main())
