#!/usr/bin/env python3
"""Write the seed corpus of fuzz_netif (our own bytes): one file per seed in
the directory given (default: seeds/ beside this script). Each seed is a
list of records [flags][len16][frame] (see fuzz_netif.c)."""
import os
import struct
import sys

OUR_MAC = bytes([2, 0, 0, 0, 0, 2])
DHCP_MAC = bytes([2, 0, 0, 0, 0, 3])
PEER_MAC = bytes([2, 0, 0, 0, 0, 1])
BCAST = b"\xff" * 6
OUR_IP = bytes([10, 0, 0, 2])
PEER_IP = bytes([10, 0, 0, 1])
ISN = 0x10000  # LWIP_HOOK_TCP_ISN in lwipopts.h (fuzz builds)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst, src, typ, payload):
    return dst + src + struct.pack("!H", typ) + payload


def ip4(proto, payload, src=PEER_IP, dst=OUR_IP, ident=1, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def l4csum(proto, seg, src=PEER_IP, dst=OUR_IP):
    return csum(src + dst + struct.pack("!BBH", 0, proto, len(seg)) + seg)


def tcp(sport, dport, seq, ack, flags, data=b"", opts=b""):
    off = (20 + len(opts)) // 4
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, 65535, 0, 0) + opts
    seg = h + data
    c = l4csum(6, seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def udp(sport, dport, data, src=PEER_IP, dst=OUR_IP):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = l4csum(17, seg, src, dst) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa


def rec(frame, flags=0):
    return bytes([flags]) + struct.pack("!H", len(frame)) + frame


def tcp_frame(*a, **k):
    return eth(OUR_MAC, PEER_MAC, 0x0800, ip4(6, tcp(*a, **k)))


def seeds():
    s = {}
    s["arp_request"] = rec(eth(BCAST, PEER_MAC, 0x0806, arp(1, PEER_MAC, PEER_IP, b"\0" * 6, OUR_IP)))
    s["arp_reply"] = rec(eth(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP)))
    icmp = b"\x08\x00\x00\x00\x12\x34\x00\x01" + b"ping" * 8
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    s["icmp_echo"] = rec(eth(OUR_MAC, PEER_MAC, 0x0800, ip4(1, icmp)))
    s["udp_echo"] = rec(eth(OUR_MAC, PEER_MAC, 0x0800, ip4(17, udp(5555, 7, b"hello"))))
    mss = b"\x02\x04\x05\xb4"
    syn = tcp_frame(40000, 80, 1000, 0, 0x02, opts=mss)
    ack = tcp_frame(40000, 80, 1001, ISN + 1, 0x10)
    req = tcp_frame(40000, 80, 1001, ISN + 1, 0x18, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    fin = tcp_frame(40000, 80, 1001 + 27, ISN + 1, 0x11)
    s["tcp_handshake_data"] = rec(syn) + rec(ack) + rec(req) + rec(fin, 4)
    s["tcp_socket_listener"] = rec(tcp_frame(40001, 8080, 5, 0, 0x02, opts=mss)) + \
        rec(tcp_frame(40001, 8080, 6, ISN + 1, 0x10))
    s["tcp_syn_timers"] = rec(syn, 4) + rec(b"", 4)
    s["tcp_rst"] = rec(tcp_frame(40002, 80, 9, 0, 0x04))
    payload = udp(5555, 7, b"x" * 64)
    p1 = ip4(17, payload[:32], ident=7, frag=0x2000)
    p2 = ip4(17, payload[32:], ident=7, frag=4)
    s["ip_fragments"] = rec(eth(OUR_MAC, PEER_MAC, 0x0800, p1)) + rec(eth(OUR_MAC, PEER_MAC, 0x0800, p2))
    # DHCP OFFER to en1 (xid unknown: the fuzzer learns it)
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 2, 1, 6, 0, 0, 0, 0, b"\0" * 4,
                        bytes([10, 0, 0, 50]), PEER_IP, b"\0" * 4, DHCP_MAC + b"\0" * 10, b"", b"")
    opts = b"\x63\x82\x53\x63" + b"\x35\x01\x02" + b"\x36\x04" + PEER_IP + \
        b"\x01\x04\xff\xff\xff\x00" + b"\x03\x04" + PEER_IP + b"\x06\x04" + PEER_IP + \
        b"\x33\x04\x00\x00\x0e\x10" + b"\xff"
    d = udp(67, 68, bootp + opts, src=PEER_IP, dst=b"\xff" * 4)
    s["dhcp_offer"] = rec(eth(BCAST, PEER_MAC, 0x0800, ip4(17, d, dst=b"\xff" * 4)), 1)
    dns = struct.pack("!HHHHHH", 0, 0x8180, 1, 1, 0, 0) + b"\x04fuzz\x04test\x00\x00\x01\x00\x01" + \
        b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + bytes([10, 0, 0, 9])
    s["dns_answer"] = rec(eth(OUR_MAC, PEER_MAC, 0x0800, ip4(17, udp(53, 49152, dns))))
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
    os.makedirs(out, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds())} seeds in {out}")


if __name__ == "__main__":
    main()
