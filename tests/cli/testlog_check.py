#!/usr/bin/env python3
"""`./unikit test`'s summary of skipped tests: each skip named with its
reason; with CI=true a skip in a suite the README promises is a failure.
Runs on a made-up Meson testlog.json. Usage: testlog_check.py UNIKIT_ROOT"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.abspath(sys.argv[1]), "cli"))
from unikit import cli  # noqa: E402

log = [
    {"name": "unikit:ok", "result": "OK", "suite": ["unikit:unit"], "stdout": "fine\n"},
    {"name": "unikit:net-tcp", "result": "SKIP", "suite": ["unikit:boot"],
     "stdout": "boottest: SKIP: not root: network namespaces need CAP_SYS_ADMIN\n"},
    {"name": "unikit:http", "result": "OK", "suite": ["unikit:boot"],
     "stdout": "httpcheck: ok get\nhttpcheck: SKIP wrk\n"},
    {"name": "unikit:extra / quiet", "result": "SKIP", "stdout": ""},
    # a test that prints a summary naming another test's skip is not skipping
    {"name": "unikit:summary", "result": "OK", "suite": ["unikit:cli"],
     "stdout": "  x86_64-gcc: unikit:http [boot]: partly skipped: httpcheck: SKIP wrk\n"},
    {"name": "unikit:bad", "result": "FAIL", "suite": ["unikit:unit"], "stdout": ""},
]
fails = 0


def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what)
    fails += 0 if ok else 1


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "testlog.json")
    with open(path, "w") as f:
        for t in log:
            f.write(json.dumps(t) + "\n")
    passed, failed, skips = cli.read_testlog(path)
    check((passed, failed, len(skips)) == (3, 1, 3), f"counts {passed} {failed} {len(skips)}")
    why = {s[0]: s[3] for s in skips}
    check(why["unikit:net-tcp"] == "boottest: SKIP: not root: network namespaces need CAP_SYS_ADMIN",
          "the reason a test printed")
    check(why["unikit:http"] == "httpcheck: SKIP wrk", "a part skipped inside a passing test")
    check(why["unikit:extra / quiet"] == "exit 77, no reason printed", "a silent skip")
    skips = [("x86_64-gcc",) + s for s in skips]
    lines, p, f, sk, rc = cli.summarize_skips(skips, passed, failed, ci=False)
    print("\n".join(lines))
    check((p, f, sk, rc) == (3, 1, 2, 0), f"outside CI a skip is a skip ({p}, {f}, {sk}, {rc})")
    check(any("net-tcp [boot]: skipped: boottest: SKIP: not root" in l for l in lines), "listed with suite")
    lines, p, f, sk, rc = cli.summarize_skips(skips, passed, failed, ci=True)
    print("\n".join(lines))
    # net-tcp (whole) and http (part) are in promised suites; quiet is not
    check((p, f, sk, rc) == (2, 3, 1, 1), f"in CI promised skips fail ({p}, {f}, {sk}, {rc})")
print(f"{fails} failed" if fails else "all passed")
sys.exit(1 if fails else 0)
