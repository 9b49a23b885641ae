#!/usr/bin/env python3
"""Malformed Ethernet frames for a guest, from the host side of its tap.

    rawframes.py IFNAME GUEST_IP [COUNT] [SEED]     (root, inside the namespace)

An AF_PACKET socket on IFNAME sends COUNT frames addressed to the guest's
MAC (learned from the neighbour table, else broadcast): random bytes, runt
frames, truncated and lying IPv4/TCP/UDP/ICMP/ARP headers, bad checksums,
fragments, TCP segments with correct checksums and nonsense flags, VLAN and
IPv6 garbage, and frames over the MTU (the tap's MTU is raised to 9000 for
them and restored). Deterministic for a SEED. The guest must survive all
of it; the caller then checks it still serves.
"""
import random
import re
import socket
import struct
import subprocess
import sys

ETH_P_IP, ETH_P_ARP, ETH_P_IPV6, ETH_P_8021Q = 0x0800, 0x0806, 0x86DD, 0x8100


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def mac_of(ifname):
    with open(f"/sys/class/net/{ifname}/address") as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def guest_mac(ifname, ip):
    p = subprocess.run(["ip", "neigh", "show", ip, "dev", ifname], capture_output=True, text=True)
    m = re.search(r"lladdr ([0-9a-f:]{17})", p.stdout)
    return bytes.fromhex(m.group(1).replace(":", "")) if m else b"\xff" * 6


def ipv4(src, dst, proto, payload, ttl=64, ident=0, frag=0, good=True, tot=None, ihl=5, opts=b""):
    tot = 20 + len(opts) + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", (4 << 4) | ihl, 0, tot & 0xFFFF, ident, frag, ttl, proto, 0,
                    src, dst) + opts
    c = csum(h) if good else random.randrange(65536)
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b"", doff=5, good=True, win=65535):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (doff & 15) << 4, flags, win, 0, 0)
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(h) + len(payload))
    c = csum(pseudo + h + payload) if good else random.randrange(65536)
    return h[:16] + struct.pack("!H", c) + h[18:] + payload


def frames(rng, dst, src, gip, hip):
    """An endless generator of (description, frame bytes)."""
    eth = lambda t: dst + src + struct.pack("!H", t)  # noqa: E731
    rb = lambda n: bytes(rng.randrange(256) for _ in range(n))  # noqa: E731
    kinds = []

    def k(f):
        kinds.append(f)
        return f

    @k
    def random_bytes():
        return "random", dst + rb(rng.randrange(0, 1500))

    @k
    def runt():
        return "runt", (dst + src + rb(rng.randrange(0, 3)))[: rng.randrange(14, 17)]

    @k
    def ip_truncated_header():
        ip = ipv4(hip, gip, 6, b"")
        return "ip-trunc", eth(ETH_P_IP) + ip[: rng.randrange(0, 20)]

    @k
    def ip_ihl_lies():
        ip = ipv4(hip, gip, 6, rb(20), ihl=rng.choice([0, 1, 4, 6, 15]))
        return "ip-ihl", eth(ETH_P_IP) + ip

    @k
    def ip_len_lies():
        payload = tcp(hip, gip, 40000, 80, rng.randrange(1 << 32), 0, 0x02)
        tot = rng.choice([0, 1, 19, 21, 40 + rng.randrange(1, 2000), 65535])
        return "ip-totlen", eth(ETH_P_IP) + ipv4(hip, gip, 6, payload, tot=tot)

    @k
    def ip_bad_csum():
        payload = tcp(hip, gip, 40001, 80, rng.randrange(1 << 32), 0, 0x02)
        return "ip-csum", eth(ETH_P_IP) + ipv4(hip, gip, 6, payload, good=False)

    @k
    def ip_version():
        ip = bytearray(ipv4(hip, gip, 6, rb(20)))
        ip[0] = (rng.choice([0, 5, 6, 15]) << 4) | 5
        return "ip-version", eth(ETH_P_IP) + bytes(ip)

    @k
    def ip_options():
        opts = rb(rng.choice([4, 8, 40]))
        ihl = 5 + len(opts) // 4
        return "ip-options", eth(ETH_P_IP) + ipv4(hip, gip, 6, rb(20), ihl=min(ihl, 15), opts=opts)

    @k
    def fragments():
        ident = rng.randrange(65536)
        off = rng.choice([0, 1, 8, 100, 8191])
        mf = rng.choice([0, 0x2000])
        return "fragment", eth(ETH_P_IP) + ipv4(hip, gip, rng.choice([1, 6, 17]),
                                                 rb(rng.randrange(0, 1400)), ident=ident,
                                                 frag=mf | off)

    @k
    def tcp_bad_csum():
        seg = tcp(hip, gip, 40002, 80, rng.randrange(1 << 32), 0, 0x02, good=False)
        return "tcp-csum", eth(ETH_P_IP) + ipv4(hip, gip, 6, seg)

    @k
    def tcp_doff_lies():
        seg = tcp(hip, gip, 40003, 80, rng.randrange(1 << 32), 0, 0x02,
                  doff=rng.choice([0, 1, 4, 6, 15]), payload=rb(rng.randrange(0, 8)))
        return "tcp-doff", eth(ETH_P_IP) + ipv4(hip, gip, 6, seg)

    @k
    def tcp_truncated():
        seg = tcp(hip, gip, 40004, 80, 1, 0, 0x02)
        return "tcp-trunc", eth(ETH_P_IP) + ipv4(hip, gip, 6, seg[: rng.randrange(0, 20)])

    @k
    def tcp_nonsense_flags():
        # correct checksums: lwIP's TCP input sees these
        seg = tcp(hip, gip, rng.randrange(1024, 65536), rng.choice([80, 80, 81, 0]),
                  rng.randrange(1 << 32), rng.randrange(1 << 32), rng.randrange(256),
                  payload=rb(rng.randrange(0, 64)), win=rng.randrange(65536))
        return "tcp-flags", eth(ETH_P_IP) + ipv4(hip, gip, 6, seg)

    @k
    def tcp_options():
        opts = rb(rng.choice([4, 8, 12, 40]))
        seg = tcp(hip, gip, 40005, 80, rng.randrange(1 << 32), 0, 0x02)
        seg = seg[:12] + bytes([((5 + len(opts) // 4) & 15) << 4]) + seg[13:16] + b"\0\0" + seg[18:20] + opts
        pseudo = struct.pack("!4s4sBBH", hip, gip, 0, 6, len(seg))
        seg = seg[:16] + struct.pack("!H", csum(pseudo + seg)) + seg[18:]
        return "tcp-options", eth(ETH_P_IP) + ipv4(hip, gip, 6, seg)

    @k
    def udp_len_lies():
        ulen = rng.choice([0, 7, 8, 9, 2000, 65535])
        body = rb(rng.randrange(0, 32))
        u = struct.pack("!HHHH", 5353, rng.choice([53, 67, 68, 7, 9]), ulen, 0) + body
        return "udp-len", eth(ETH_P_IP) + ipv4(hip, gip, 17, u)

    @k
    def icmp_garbage():
        body = bytes([rng.choice([0, 3, 5, 8, 11, 255]), rng.randrange(256)]) + rb(rng.randrange(0, 80))
        return "icmp", eth(ETH_P_IP) + ipv4(hip, gip, 1, body)

    @k
    def arp_garbage():
        hlen, plen = rng.choice([(6, 4), (0, 0), (255, 255), (6, 16)]), None
        a = struct.pack("!HHBBH", rng.choice([1, 6, 0xFFFF]), rng.choice([ETH_P_IP, 0]), hlen[0],
                        hlen[1], rng.choice([1, 2, 3, 0xFFFF]))
        a += rb(rng.randrange(0, 40))
        return "arp", eth(ETH_P_ARP) + a

    @k
    def vlan_ipv6():
        t = rng.choice([ETH_P_8021Q, ETH_P_IPV6, 0x88A8, 0x0000, 0xFFFF, 0x05DC])
        return "ethertype", eth(t) + rb(rng.randrange(0, 200))

    @k
    def ip_unknown_proto():
        return "ip-proto", eth(ETH_P_IP) + ipv4(hip, gip, rng.choice([0, 2, 41, 50, 132, 255]),
                                                 rb(rng.randrange(0, 100)))

    while True:
        yield rng.choice(kinds)()


def oversize(rng, dst, src, gip, hip):
    eth = dst + src + struct.pack("!H", ETH_P_IP)
    n = rng.choice([1501, 1600, 4000, 8986])
    seg = tcp(hip, gip, 40006, 80, rng.randrange(1 << 32), 0, 0x18,
              payload=bytes(rng.randrange(256) for _ in range(n - 40)))
    return "oversize", eth + ipv4(hip, gip, 6, seg)


def send_garbage(ifname, guest_ip, count, seed=7):
    """Send `count` frames (plus 40 oversize ones); returns how many the
    kernel accepted."""
    rng = random.Random(seed)
    random.seed(seed)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    src = mac_of(ifname)
    dst = guest_mac(ifname, guest_ip)
    gip = socket.inet_aton(guest_ip)
    hip = socket.inet_aton(subprocess.run(
        ["ip", "-4", "-o", "addr", "show", ifname], capture_output=True, text=True
    ).stdout.split("inet ")[1].split("/")[0])
    sent = 0
    gen = frames(rng, dst, src, gip, hip)
    for i in range(count):
        _, f = next(gen)
        # a second copy to broadcast now and then (lwIP's other input paths)
        targets = [f] if i % 16 else [f, b"\xff" * 6 + f[6:]]
        for fr in targets:
            try:
                s.send(fr)
                sent += 1
            except OSError:
                pass  # e.g. a runt the kernel refuses
    subprocess.run(["ip", "link", "set", ifname, "mtu", "9000"], capture_output=True)
    try:
        for _ in range(40):
            try:
                s.send(oversize(rng, dst, src, gip, hip)[1])
                sent += 1
            except OSError:
                pass
    finally:
        subprocess.run(["ip", "link", "set", ifname, "mtu", "1500"], capture_output=True)
    s.close()
    return sent


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n = send_garbage(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2000,
                     int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    print(f"rawframes: {n} frames sent")
