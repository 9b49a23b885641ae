#!/usr/bin/env python3
"""Boot tests of the c-ares images over a network (examples/port-c-ares).

    dnstest.py --unikit-root DIR --adig adig.images --ahost ahost.images

The images run on a tap device in a private network namespace (unikit.netns);
this script serves DNS over UDP on the host end of the tap (a small server of
its own, RFC 1035's message format, run inside the namespace: --serve) for a
test zone, and boots:
  1. adig -s HOST -t MX example.test, then -t TXT and -t A: the records as
     the server sent them, field by field;
  2. ahost with an /etc/resolv.conf naming HOST as the nameserver
     (`lookup bind`): an A record, an NXDOMAIN ("Domain name not found"),
     and bad input from the network: a reply whose answer count promises
     records that are not there ("Misformatted DNS reply"), and a reply to
     another question, which c-ares must drop (it then times out: "Timeout
     while contacting DNS servers"). The image must finish and never crash.
Exit 77 (skip) without root or tap devices.
"""
import argparse
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile

SKIP = 77
ZONE_A = {"www.example.test": "192.0.2.7", "example.test": "192.0.2.1"}
TTL = 300


def qname(msg, off):
    """(name, offset after it) of an uncompressed name in a query"""
    labels = []
    for _ in range(128):
        n = msg[off]
        off += 1
        if n == 0:
            return ".".join(labels), off
        if n > 63 or off + n > len(msg):
            raise ValueError("bad label")
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n
    raise ValueError("name too long")


def encode(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".") if p) + b"\0"


def rr(name, rtype, rdata):
    return encode(name) + struct.pack(">HHIH", rtype, 1, TTL, len(rdata)) + rdata


def answer(query):
    """The reply to one query, or None to stay silent."""
    qid, flags, qd = struct.unpack(">HHH", query[:6])
    name, off = qname(query, 12)
    qtype, qclass = struct.unpack(">HH", query[off:off + 4])
    question = query[12:off + 4]
    lname = name.lower()
    answers = []
    rcode = 0
    if lname == "bad.example.test":
        # promises two answers and sends none
        return struct.pack(">HHHHHH", qid, 0x8180, 1, 2, 0, 0) + question
    if lname == "other.example.test":
        # the answer to a question that was not asked, with the right id
        other = encode("www.example.test") + struct.pack(">HH", 1, 1)
        return struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0) + other + \
            rr("www.example.test", 1, socket.inet_aton("192.0.2.7"))
    if qtype == 1 and lname in ZONE_A:
        answers.append(rr(lname, 1, socket.inet_aton(ZONE_A[lname])))
    elif qtype == 15 and lname == "example.test":
        answers.append(rr(lname, 15, struct.pack(">H", 10) + encode("mail.example.test")))
    elif qtype == 16 and lname == "example.test":
        txt = b"hello from the test zone"
        answers.append(rr(lname, 16, bytes([len(txt)]) + txt))
    elif lname not in ZONE_A:
        rcode = 3  # NXDOMAIN
    return struct.pack(">HHHHHH", qid, 0x8180 | rcode, 1, len(answers), 0, 0) + question + \
        b"".join(answers)


def serve(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    print(f"dnstest: serving DNS on {addr}:53", flush=True)
    while True:
        msg, peer = s.recvfrom(4096)
        try:
            reply = answer(msg)
        except (ValueError, struct.error, IndexError) as e:
            print(f"dnstest: server: bad query from {peer}: {e}", flush=True)
            continue
        if reply:
            s.sendto(reply, peer)


CASES = [
    ("adig MX", "adig", ["-s", "@HOST", "-t", "MX", "example.test"], None,
     [r"^rcode: NOERROR$", r"^\texample\.test\s*\.\t300\tMX\t10\tmail\.example\.test\.$"]),
    ("adig TXT", "adig", ["-s", "@HOST", "-t", "TXT", "example.test"], None,
     [r"^\texample\.test\s*\.\t300\tTXT\thello from the test zone$"]),
    ("adig A + NXDOMAIN", "adig", ["-s", "@HOST", "www.example.test", "nosuch.example.test"], None,
     [r"^\twww\.example\.test\s*\.\t300\tA\t192\.0\.2\.7$", r"^rcode: NXDOMAIN$"]),
    ("ahost over DNS", "ahost", ["www.example.test", "nosuch.example.test", "bad.example.test",
                                 "other.example.test"],
     # c-ares's own resolv.conf options: 3 s, then 6 s, instead of 5 + 10 +
     # 20 + 40 s before the timeout the last name must end in
     "nameserver @HOST\nlookup bind\noptions retrans:3000 retry:2\n",
     [r"^www\.example\.test\s+192\.0\.2\.7$",
      r"^nosuch\.example\.test: Domain name not found$",
      r"^bad\.example\.test: Misformatted DNS reply$",
      r"^other\.example\.test: Timeout while contacting DNS servers$"]),
]


def run(a):
    sys.path.insert(0, os.path.join(a.unikit_root, "cli"))
    import unikit.check
    import unikit.initrd
    import unikit.netns as netns
    import unikit.qemu as qemu
    why = netns.requirements_problem()
    if why:
        print(f"dnstest: SKIP: {why}")
        return SKIP
    accel, how = qemu.choose_accel(a.accel, qemu.probe_image_path("gcc"))
    print(f"dnstest: accelerator {accel} ({how})", flush=True)
    images = {"adig": unikit.check.images_of(a.adig, "kvm")[0],
              "ahost": unikit.check.images_of(a.ahost, "kvm")[0]}
    failed = 0
    with tempfile.TemporaryDirectory() as tmp, netns.NetNS("dns") as ns:
        ns.popen([sys.executable, os.path.abspath(__file__), "--serve", netns.HOST_IP])
        for name, prog, args, resolv, expect in CASES:
            tree = os.path.join(tmp, name.replace(" ", "_"))
            os.makedirs(os.path.join(tree, "etc"))
            with open(os.path.join(tree, "etc", "resolv.conf"), "w") as f:
                f.write((resolv or "").replace("@HOST", netns.HOST_IP))
            cpio = os.path.join(tmp, "initrd.cpio")
            with open(cpio, "wb") as f:
                f.write(unikit.initrd.cpio_newc(tree))
            argv = [x.replace("@HOST", netns.HOST_IP) for x in args]
            append = " ".join(netns.guest_params()) + " -- " + qemu.quote_args(argv)
            cmd = qemu.qemu_command(images[prog], "microvm", 64 << 20, accel, append,
                                    ["-initrd", cpio] + netns.qemu_net_args("microvm"))
            g = netns.Guest(ns, cmd)
            try:
                g.proc.wait(a.timeout)
            except subprocess.TimeoutExpired:
                pass
            status = g.stop()
            out = g.text()
            problems = [f"no /{rx}/" for rx in expect if not re.search(rx, out, re.M)]
            if "CRASH" in out:
                problems.append("a crash report")
            if g.proc.returncode is None or status < 0:
                problems.append(f"no exit within {a.timeout} s")
            if problems:
                failed += 1
                print(out[-3000:])
                print(f"FAIL {name}: {'; '.join(problems)}", flush=True)
            else:
                print(f"ok   {name}", flush=True)
    print(f"dnstest: {'PASS' if not failed else 'FAIL'}", flush=True)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unikit-root")
    ap.add_argument("--adig")
    ap.add_argument("--ahost")
    ap.add_argument("--serve", metavar="ADDR")
    ap.add_argument("--accel", default="auto", choices=("auto", "kvm", "tcg"))
    ap.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args()
    if a.serve:
        serve(a.serve)
        return 0
    return run(a)


if __name__ == "__main__":
    sys.exit(main())
