#!/usr/bin/env python3
"""N clients connect to HOST:PORT one after another, each sends a line and
must read it back; exit 0 when all did. With --quit, one more client then
sends QUIT, on which the server exits without closing anything: it must
read "bye" and then the end of the connection (the FIN the image's exit
sends), not wait for a connection that no longer exists.
usage: echo_client.py HOST PORT N [--quit]"""
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
    if "--quit" in sys.argv[4:]:
        with socket.create_connection((host, port), timeout=30) as s:
            s.sendall(b"QUIT\n")
            s.settimeout(10)
            got = b""
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    got += chunk
            except socket.timeout:
                print(f"echo_client: QUIT: got {got!r}, then no end of the connection "
                      "within 10 s (no FIN from the exiting image)")
                return 1
        if got != b"bye\n":
            print(f"echo_client: QUIT: got {got!r}, expected b'bye\\n' and the end")
            return 1
        print("echo_client: QUIT: bye, then the connection's end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
