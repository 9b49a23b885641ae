#!/usr/bin/env python3
"""`unikit size IMAGE` must print bytes per library whose rows add up to the
TOTAL row, and the TOTAL must equal the image's own section sizes (read here
independently with readelf from IMAGE.dbg)."""
import re
import subprocess
import sys

COLS = ("text", "rodata", "data", "bss")


def sections(dbg):
    out = subprocess.run(["readelf", "-S", "-W", dbg], check=True, capture_output=True,
                         text=True).stdout
    tot = dict.fromkeys(COLS, 0)
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\S*)", line)
        if not m or "A" not in m.group(4):
            continue
        name, typ, size, flags = m.group(1), m.group(2), int(m.group(3), 16), m.group(4)
        col = "bss" if typ == "NOBITS" else "text" if "X" in flags else "data" if "W" in flags else "rodata"
        tot[col] += size
    return tot


def main():
    unikit, image = sys.argv[1], sys.argv[2]
    p = subprocess.run([sys.executable, unikit, "size", image], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    if p.returncode:
        print("FAIL: unikit size failed")
        return 1
    rows, total = [], None
    for line in p.stdout.splitlines():
        f = line.split()
        if len(f) >= 6 and all(x.lstrip("-").isdigit() for x in f[-5:]):
            vals = dict(zip(COLS, map(int, f[-5:-1])))
            label = " ".join(f[:-5])
            if sum(vals.values()) != int(f[-1]):
                print(f"FAIL: row {label}: columns do not add up to its total")
                return 1
            if label == "TOTAL":
                total = vals
            else:
                rows.append((label, vals))
    if total is None or len(rows) < 5:
        print("FAIL: no TOTAL row or too few library rows")
        return 1
    bad = 0
    for c in COLS:
        s = sum(v[c] for _, v in rows)
        if s != total[c]:
            print(f"FAIL: {c}: rows add up to {s}, TOTAL says {total[c]}")
            bad = 1
    real = sections(image + ".dbg")
    if real != total:
        print(f"FAIL: TOTAL {total} differs from the image's sections {real}")
        bad = 1
    names = {n for n, _ in rows}
    for lib in ("ukboot", "ukdebug", "ukargparse"):
        if lib not in names:
            print(f"FAIL: no row for {lib}")
            bad = 1
    if not names & {"nolibc", "musl", "newlib"}:
        print("FAIL: no row for the libc (nolibc, musl or newlib)")
        bad = 1
    if not bad:
        print(f"ok: {len(rows)} rows add up to {total}, equal to the sections of the image")
    return bad


if __name__ == "__main__":
    sys.exit(main())
