#!/usr/bin/env python3
"""N clients connect to HOST:PORT one after another, each sends a line and
must read it back; exit 0 when all did. usage: echo_client.py HOST PORT N"""
import socket
import sys


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for i in range(n):
        line = f"hello {i} from the host\n".encode()
        with socket.create_connection((host, port), timeout=30) as s:
            s.sendall(line)
            got = b""
            while len(got) < len(line):
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
        if got != line:
            print(f"echo_client: client {i}: sent {line!r}, got {got!r}")
            return 1
    print(f"echo_client: {n} clients echoed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
