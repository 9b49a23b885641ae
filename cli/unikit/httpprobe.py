#!/usr/bin/env python3
"""Poll an HTTP server until one GET / is answered with a complete response
(with --redis: a Redis server until PING is answered with +PONG); print its
CLOCK_MONOTONIC time (`first-answer T`), which the caller outside a
network namespace shares. A stand-alone script (run inside the namespace with
`ip netns exec`), so it imports nothing of the package.

    httpprobe.py --host 10.77.0.2 [--port 80] [--path /] [--timeout 60] [--redis]
"""
import argparse
import re
import socket
import sys
import time


def answered(host, port, path):
    with socket.create_connection((host, port), timeout=0.5) as s:
        s.settimeout(5)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        if not re.match(rb"HTTP/1\.[01] 200 ", head):
            return False
        m = re.search(rb"\r\ncontent-length: *(\d+)", head, re.I)
        want = int(m.group(1)) if m else None
        while want is not None and len(body) < want:
            chunk = s.recv(65536)
            if not chunk:
                return False
            body += chunk
        return True


def redis_answered(host, port):
    with socket.create_connection((host, port), timeout=0.5) as s:
        s.settimeout(5)
        s.sendall(b"PING\r\n")
        data = b""
        while b"\r\n" not in data and len(data) < 4096:
            chunk = s.recv(4096)
            if not chunk:
                return False
            data += chunk
        return data.startswith(b"+PONG\r\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--path", default="/")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--redis", action="store_true", help="PING a Redis server instead")
    a = ap.parse_args()
    deadline = time.monotonic() + a.timeout
    while time.monotonic() < deadline:
        try:
            if (redis_answered(a.host, a.port) if a.redis else answered(a.host, a.port, a.path)):
                print(f"first-answer {time.monotonic():.6f}", flush=True)
                return 0
        except OSError:
            pass
        time.sleep(0.02)
    print("no answer", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
