#!/usr/bin/env python3
"""Boot test: are the guest's TCP initial sequence numbers unpredictable?

    isncheck.py --image httpreply_kvm-x86_64 [--machine microvm|q35|pc] [--count 1000]
    isncheck.py --inside --count N          (what runs in the namespace)

Boots the image on a tap in a private namespace (unikit.netns), waits
for "httpreply: listening on port 80", then, inside the namespace, captures
every frame on the tap with an AF_PACKET socket while it opens --count TCP
connections to the guest one after the other (each from a fresh ephemeral
port, closed at once), and reads the sequence number of each SYN-ACK the
guest sent. The checks (RFC 6528: ISN = 4-us clock + keyed hash of the
4-tuple):

  * one SYN-ACK per connection, from 10.77.0.2:80;
  * no two consecutive differences equal (a counter, or a counter advanced
    by a constant per connection, fails);
  * not a function of time alone: for connections opened close together,
    the ISNs differ by far more (1000x) than a 4-us clock advanced between
    them, in at least 95% of the pairs (a random 32-bit difference is
    below that bound with probability ~0.1%; a clock-driven ISN, lwIP's
    own `iss += tcp_ticks` included, is always below it);
  * the residuals of a least-squares line through (time, ISN) are spread
    over the whole sequence space (std dev > 2^29; a clock-driven ISN lies
    on its line).

Exit 0 when all hold, 77 (skip) without root / namespaces, 1 otherwise.
"""
import argparse
import math
import os
import select
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "cli"))
from unikit import netns  # noqa: E402
from unikit.qemu import choose_accel, parse_mem, probe_image_path, qemu_command  # noqa: E402

SKIP = 77
ETH_P_ALL = 0x0003
TICK_S = 4e-6  # RFC 6528's clock


class Capture(threading.Thread):
    """All frames on `ifname`: SYN-ACKs from the guest's port 80, keyed by
    the client's port, with the host time they were seen."""

    def __init__(self, ifname, guest_ip):
        super().__init__(daemon=True)
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.s.bind((ifname, 0))
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.guest = socket.inet_aton(guest_ip)
        self.synacks = {}  # client port -> (seq, time)
        self.dups = 0
        self.stop = False

    def run(self):
        while not self.stop:
            r, _, _ = select.select([self.s], [], [], 0.2)
            if not r:
                continue
            f = self.s.recv(65536)
            now = time.monotonic()
            if len(f) < 14 + 20 + 20 or f[12:14] != b"\x08\x00":
                continue
            ip = f[14:]
            ihl = (ip[0] & 15) * 4
            if ip[9] != 6 or ip[12:16] != self.guest:
                continue
            t = ip[ihl:]
            sport, dport, seq = struct.unpack("!HHI", t[:8])
            if sport != 80 or (t[13] & 0x12) != 0x12:  # SYN and ACK
                continue
            if dport in self.synacks:
                self.dups += 1  # a retransmission: the first one counts
                continue
            self.synacks[dport] = (seq, now)


def s32(v):
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def check(samples):
    """samples: [(time, isn)] in connection order. Returns a list of
    failures (empty: pass) and prints the figures."""
    fails = []
    n = len(samples)
    d = [(samples[i + 1][1] - samples[i][1]) & 0xFFFFFFFF for i in range(n - 1)]
    same = sum(1 for i in range(len(d) - 1) if d[i] == d[i + 1])
    print(f"isncheck: {n} ISNs; consecutive equal differences: {same}")
    if same:
        fails.append(f"{same} pairs of consecutive ISN differences are equal")
    close = far = 0
    for i in range(n - 1):
        dt = samples[i + 1][0] - samples[i][0]
        if dt > 0.1:  # only pairs opened close together
            continue
        close += 1
        advance = max(dt / TICK_S, 1.0)
        if abs(s32(d[i])) > 1000 * advance:
            far += 1
    print(f"isncheck: {close} pairs less than 100 ms apart; ISNs differing by more "
          f"than 1000x the 4-us clock's advance: {far}")
    if close < n // 2:
        fails.append(f"only {close} of {n - 1} connections followed each other within "
                     f"100 ms: too slow to judge")
    elif far < 0.95 * close:
        fails.append(f"ISNs of connections opened close together differ by little: "
                     f"only {far} of {close} pairs beyond 1000x the clock's advance")
    # least squares through (t, isn) on the ISNs unwrapped as a clock would
    # make them (each step taken as the signed 32-bit difference)
    t0 = samples[0][0]
    xs, ys, y = [], [], 0
    for i, (t, _) in enumerate(samples):
        if i:
            y += s32(d[i - 1])
        xs.append(t - t0)
        ys.append(y)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (yy - my) for x, yy in zip(xs, ys)) / sxx if sxx else 0.0
    res = [yy - (my + b * (x - mx)) for x, yy in zip(xs, ys)]
    sd = math.sqrt(sum(r * r for r in res) / n)
    print(f"isncheck: linear fit: slope {b:.0f}/s ({b * TICK_S:.2f} per 4 us), residual "
          f"std dev {sd:.3g} (2^29 = {2 ** 29:.3g})")
    if sd < 2 ** 29:
        fails.append(f"the ISNs lie near a line through time (residual std dev {sd:.3g})")
    return fails


def inside(a):
    cap = Capture(netns.TAP, netns.GUEST_IP)
    cap.start()
    order = []
    errors = 0
    deadline = time.monotonic() + a.timeout
    for i in range(a.count):
        if time.monotonic() > deadline:
            print(f"isncheck: FAIL: only {i} connections within {a.timeout} s")
            return 1
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(20)
        try:
            s.connect((netns.GUEST_IP, 80))
            order.append(s.getsockname()[1])
        except OSError as e:
            errors += 1
            print(f"isncheck: connection {i}: {e}")
        finally:
            s.close()
    time.sleep(1.0)
    cap.stop = True
    cap.join(2)
    missing = [p for p in order if p not in cap.synacks]
    print(f"isncheck: {len(order)} connections, {errors} failed, {len(cap.synacks)} SYN-ACKs "
          f"captured ({cap.dups} retransmitted), {len(missing)} missing")
    if errors > a.count // 100 or len(missing) > a.count // 100:
        print("isncheck: FAIL: too many connections failed or SYN-ACKs missing")
        return 1
    samples = [(cap.synacks[p][1], cap.synacks[p][0]) for p in order if p in cap.synacks]
    fails = check(samples)
    for f in fails:
        print(f"isncheck: FAIL: {f}")
    print(f"isncheck: {'PASS' if not fails else 'FAIL'}", flush=True)
    return 1 if fails else 0


def outside(a):
    why = netns.requirements_problem()
    if why:
        print(f"isncheck: SKIP: {why}")
        return SKIP
    if not a.image or not os.path.isfile(a.image):
        print(f"isncheck: no image {a.image!r}")
        return 2
    accel, how = choose_accel("auto", probe_image_path("gcc"))
    print(f"isncheck: accelerator: {accel} ({how}); machine: {a.machine}", flush=True)
    append = " ".join(netns.guest_params()) + " -- 80"
    cmd = qemu_command(os.path.abspath(a.image), a.machine, parse_mem("64M"), accel, append,
                       netns.qemu_net_args(a.machine))
    rc = 1
    with netns.NetNS("isn") as ns:
        g = netns.Guest(ns, cmd)
        try:
            t = g.wait_for(r"httpreply: listening on port 80", 300)
            print(f"isncheck: guest ready after {t:.1f} s", flush=True)
            p = ns.run([sys.executable, os.path.abspath(__file__), "--inside",
                        "--count", str(a.count), "--timeout", str(a.timeout)],
                       timeout=a.timeout + 60)
            rc = p.returncode
            out = g.text()
            if g.proc.poll() is not None:
                print(f"isncheck: FAIL: the guest exited (status {g.proc.returncode})")
                rc = 1
            if "=== CRASH" in out or "PANIC" in out:
                print("isncheck: FAIL: a crash report on the guest's console")
                rc = 1
        except (TimeoutError, RuntimeError, subprocess.TimeoutExpired) as e:
            print(f"isncheck: FAIL: {e}")
            rc = 1
        finally:
            g.stop()
            if rc:
                sys.stdout.write(g.text()[-3000:])
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--image")
    ap.add_argument("--machine", default="microvm")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--timeout", type=float, default=900, help="for all connections")
    ap.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    return inside(a) if a.inside else outside(a)


if __name__ == "__main__":
    sys.exit(main())
