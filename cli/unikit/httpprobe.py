#!/usr/bin/env python3
"""Poll an HTTP server until one GET / is answered with a complete response;
print its CLOCK_MONOTONIC time (`first-answer T`), which the caller outside a
network namespace shares. A stand-alone script (run inside the namespace with
`ip netns exec`), so it imports nothing of the package.

    httpprobe.py --host 10.77.0.2 [--port 80] [--path /] [--timeout 60]
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--path", default="/")
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    deadline = time.monotonic() + a.timeout
    while time.monotonic() < deadline:
        try:
            if answered(a.host, a.port, a.path):
                print(f"first-answer {time.monotonic():.6f}", flush=True)
                return 0
        except OSError:
            pass
        time.sleep(0.02)
    print("no answer", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
