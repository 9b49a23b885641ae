#!/usr/bin/env python3
"""`unikit run`'s console hand-over (docs/design.md, "The console"): input
waits for the guest's console-ready mark on the log line, and the mark is
taken out of what reaches stderr. A stand-in for QEMU (this script with
--guest) writes a log line, waits, says it is ready, and reports on stdout
whether any input had arrived before it said so. Then which images say it
(says_console_ready).
Usage: console_ready_check.py UNIKIT_ROOT"""
import os
import select
import sys
import time

if sys.argv[1:2] == ["--guest"]:
    ready = b"\033_unikit:console-ready\033\\"
    sys.stderr.buffer.write(b"[kvm] booting\n")
    sys.stderr.flush()
    time.sleep(0.5)
    early = select.select([0], [], [], 0)[0] != []
    # split across two writes, as a UART's bytes may come
    sys.stderr.buffer.write(ready[:5])
    sys.stderr.flush()
    time.sleep(0.1)
    sys.stderr.buffer.write(ready[5:] + b"[kvm] ready\n")
    sys.stderr.flush()
    data = b""
    while not data.endswith(b"\x04"):
        chunk = os.read(0, 4096)
        if not chunk:
            break
        data += chunk
    sys.stdout.buffer.write(b"early=%d input=%r\n" % (early, data))
    sys.exit(0)

sys.path.insert(0, os.path.join(os.path.abspath(sys.argv[1]), "cli"))
from unikit import qemu  # noqa: E402

fails = 0
# without waiting (the control): the stand-in sees the input early
for wait in (True, False):
    r, w = os.pipe()
    os.write(w, b"hello\n")
    os.close(w)
    rc, out, err = qemu.run_qemu([sys.executable, os.path.abspath(__file__), "--guest"], 20,
                                 echo=False, stdin=r, wait_ready=wait)
    os.close(r)
    print(f"wait_ready={wait}: rc {rc}, stdout {out.strip()!r}, stderr {err!r}")
    want_early = "early=0" if wait else "early=1"
    checks = [(rc == 0, "the stand-in exits 0"),
              (want_early in out, f"input {'after' if wait else 'before'} the mark ({want_early})"),
              ("input=b'hello\\n\\x04'" in out, "the input and its ^D arrive whole"),
              ("\033" not in err or not wait, "the mark is taken out of stderr"),
              ("[kvm] booting\n" in err and "[kvm] ready\n" in err, "the log lines are kept")]
    for ok, what in checks:
        print(("ok: " if ok else "FAIL: ") + what)
        fails += not ok
# which images say it: x86_64 always (the log line), arm64 through
# semihosting, which only the exit device's options turn on
for name, v, exit_dev, want in [
        ("x86_64", qemu.VMMS["qemu-system-x86_64"], True, True),
        ("x86_64 without the exit device", qemu.VMMS["qemu-system-x86_64"], False, True),
        ("arm64", qemu.VMMS["qemu-system-aarch64"], True, True),
        ("arm64 without semihosting", qemu.VMMS["qemu-system-aarch64"], False, False)]:
    ok = qemu.says_console_ready(v, exit_dev) == want
    print(("ok: " if ok else "FAIL: ") + f"{name}: input {'waits' if want else 'does not wait'}")
    fails += not ok
sys.exit(1 if fails else 0)
