#!/usr/bin/env python3
"""Time the clock example (or, with --sleep, the sleep example) against the host.

clock_check.py --unikit PATH --image IMG [--machine M] [--ms 500] [--tolerance 0.10]
Runs `unikit run --image IMG [--machine M] -- MS`, reads its output as it
arrives and takes host timestamps (time.monotonic()) when the `clock: start`
and `clock: end` lines come in. Passes if the guest's wall clock is within
--wall-slack seconds (default 5) of the host's time.time() (a microvm under
KVM may have none: QEMU gives it an RTC only without KVM), the busy-wait of
MS ms measured by the host between the two lines is MS ms +- tolerance (or,
if the guest reports it stopped late, e.g. descheduled by a busy host, the
guest's figure +- tolerance), the guest's own measurement is at least MS ms,
and the exit status is 0.
"""
import argparse
import os
import re
import selectors
import signal
import subprocess
import sys
import time


def run(cmd, timeout, prefix="clock"):
    """Run cmd; return (rc, output, {line regex name: (host mono, host wall, match)})."""
    marks = {
        "info": re.compile(r"^clock: mono source (.+) at (\d+) Hz, calibration (\d+) ns$"),
        "wall": re.compile(r"^clock: wall (\d+)\.(\d{9}) \((.*)\)$"),
        "accel": re.compile(r"unikit: accelerator: (\w+)"),
        "start": re.compile(rf"^{prefix}: start(, \d+ ms)?$"),
        "end": re.compile(rf"^{prefix}: end after (\d+) ns$"),
    }
    seen = {}
    # A session of its own, so that a timeout also ends unikit's QEMU.
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    out = bytearray()
    pending = b""
    deadline = time.monotonic() + timeout
    done = False
    while not done:
        left = deadline - time.monotonic()
        if left <= 0:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return None, out.decode("utf-8", "replace"), seen
        for _key, _ in sel.select(left):
            chunk = os.read(p.stdout.fileno(), 65536)
            now, wall = time.monotonic(), time.time()
            if not chunk:
                done = True
                break
            out += chunk
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                line = raw.decode("utf-8", "replace").rstrip("\r")
                for name, rx in marks.items():
                    m = rx.match(line)
                    if m and name not in seen:
                        seen[name] = (now, wall, m)
    rc = p.wait()
    return rc, out.decode("utf-8", "replace"), seen


def main():
    # A host timing that misses only because this shared machine was busy
    # (the guest itself timed its wait right) gets one more attempt; the
    # bounds stay the same, and both attempts are printed.
    rc = attempt()
    if rc == 2:
        print("check: the host's timing missed the bounds; one more attempt")
        rc = attempt()
    return 1 if rc else 0


def attempt():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unikit", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--machine")
    ap.add_argument("--ms", type=int, default=500)
    ap.add_argument("--tolerance", type=float, default=0.10)
    ap.add_argument("--wall-slack", type=float, default=5.0)
    ap.add_argument("--timeout", type=float, default=240)
    ap.add_argument("--sleep", action="store_true",
                    help="time the sleep example (halting on the timer) instead: "
                         "its lines start with 'sleep:' and it prints no clock info")
    a = ap.parse_args()
    prefix = "sleep" if a.sleep else "clock"

    # unikit's own timeout first, so that it reports the guest's output
    guest_timeout = max(a.timeout - 30, a.timeout / 2)
    cmd = [sys.executable, a.unikit, "run", "--timeout", str(guest_timeout), "--image", a.image]
    if a.machine:
        cmd += ["--machine", a.machine]
    cmd += ["--", str(a.ms)]
    rc, out, seen = run(cmd, a.timeout, prefix)
    sys.stdout.write(out[-20000:])
    problems = []
    if rc is None:
        problems.append(f"no exit within {a.timeout} s")
    elif rc != 0:
        problems.append(f"exit status {rc}, expected 0")
    for name in ("start", "end") if a.sleep else ("info", "wall", "start", "end"):
        if name not in seen:
            problems.append(f"no '{prefix}: {name}' line")

    if "info" in seen:
        m = seen["info"][2]
        print(f"check: mono source {m.group(1)}, {int(m.group(2))} Hz, "
              f"calibration {int(m.group(3)) / 1e6:.3f} ms")
    if "wall" in seen:
        _, host_wall, m = seen["wall"]
        guest = int(m.group(1)) + int(m.group(2)) / 1e9
        accel = seen["accel"][2].group(1) if "accel" in seen else "none"
        if m.group(3) == "none" and a.machine == "microvm" and accel == "kvm":
            # QEMU's microvm has an RTC by default only without KVM (rtc=auto)
            print("check: no wall clock: microvm under KVM has no RTC unless rtc=on")
        elif m.group(3) == "none":
            problems.append("the guest found no wall clock")
        else:
            diff = guest - host_wall
            print(f"check: guest wall {guest:.3f} ({m.group(3)}), host {host_wall:.3f}, "
                  f"difference {diff:+.3f} s")
            if abs(diff) > a.wall_slack:
                problems.append(f"wall clock off by {diff:+.3f} s (allowed +-{a.wall_slack} s)")
    if "start" in seen and "end" in seen:
        host_ms = (seen["end"][0] - seen["start"][0]) * 1e3
        guest_ms = int(seen["end"][2].group(1)) / 1e6
        # A vCPU descheduled by a busy host may stop waiting late; the guest
        # then reports more than MS ms, and the host must agree with that.
        # (Not for --sleep: a sleep of MS ms must take MS ms +- tolerance
        # by the host's clock, however late the guest thinks it woke.)
        ref = a.ms if a.sleep else max(guest_ms, a.ms)
        lo, hi = ref * (1 - a.tolerance), ref * (1 + a.tolerance)
        print(f"check: busy-wait of {a.ms} ms: host measured {host_ms:.1f} ms, "
              f"guest {guest_ms:.3f} ms (host must be {lo:.0f}..{hi:.0f} ms)")
        if not lo <= host_ms <= hi:
            problems.append(f"host measured {host_ms:.1f} ms for a {a.ms} ms busy-wait "
                            f"the guest timed at {guest_ms:.3f} ms")
        if guest_ms < a.ms:
            problems.append(f"guest ended its {a.ms} ms wait after {guest_ms:.3f} ms")
    for pr in problems:
        print("FAIL: " + pr)
    if problems and all(p.startswith("host measured") for p in problems):
        return 2
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
