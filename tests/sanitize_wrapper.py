#!/usr/bin/env python3
"""Exe wrapper of the `sanitize` test setup: run a unit test's ASan+UBSan twin.

Every unit test executable X is built a second time as X-asan-ubsan with
-fsanitize=address,undefined. `meson test --setup sanitize --suite unit` runs
the plain test names, and this wrapper swaps in the sanitized binaries.
"""
import os
import sys


def main():
    if len(sys.argv) < 2:
        print("sanitize_wrapper: no test executable given", file=sys.stderr)
        return 2
    exe = sys.argv[1]
    twin = exe + "-asan-ubsan"
    if not os.access(twin, os.X_OK):
        print(f"sanitize_wrapper: {exe} has no sanitized build ({twin} is missing)", file=sys.stderr)
        return 2
    os.execv(twin, [twin] + sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
