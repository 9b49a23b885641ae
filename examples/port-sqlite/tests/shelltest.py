#!/usr/bin/env python3
"""The sqlite3 shell in the image (boot test of port-sqlite).

shelltest.py --unikit UNIKIT --sql DIR --expected FILE [--no-file-db] sqlite3.images
For every image of the manifest, booted with an initrd holding DIR's SQL
scripts in /sql, an empty /tmp, a corrupt database and a file that is not a
database in /data (made here with Python's sqlite3 module, then damaged):
  1. sqlite3 /tmp/test.db ".read /sql/script.sql" - a database file on the
     ramfs (the unix VFS, with its fcntl locks): the output between BEGIN
     and END must be FILE exactly
  2. the same on ":memory:"
  3. /sql/errors.sql: constraint violations and bad SQL give SQLite's
     messages and the session goes on
  4. a query on /data/corrupt.db gives SQLITE_CORRUPT ("database disk image
     is malformed (11)"); PRAGMA integrity_check names the damaged page
  5. a query on /data/notadb gives SQLITE_NOTADB ("file is not a database")
No boot may crash. --no-file-db leaves out the cases on database files (a
pool without posixlock: the unix VFS's locks fail)."""
import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile


def make_initrd(d, sql):
    shutil.copytree(sql, os.path.join(d, "sql"))
    os.mkdir(os.path.join(d, "tmp"))
    os.mkdir(os.path.join(d, "data"))
    db = os.path.join(d, "data", "corrupt.db")
    c = sqlite3.connect(db)
    c.execute("CREATE TABLE t(a INTEGER, b TEXT)")
    c.executemany("INSERT INTO t VALUES(?, ?)", [(i, "x" * 100) for i in range(500)])
    c.commit()
    c.close()
    data = bytearray(open(db, "rb").read())
    page = 4096 if len(data) > 8192 else 1024
    data[page:page + 16] = b"\xff" * 16  # the b-tree page header of table t's root
    open(db, "wb").write(bytes(data))
    open(os.path.join(d, "data", "notadb"), "wb").write(bytes(range(256)) * 16)


def boot(unikit, img, initrd, args):
    r = subprocess.run([sys.executable, unikit, "run", "--image", img, "--initrd", initrd,
                        "--timeout", "200", "--"] + args, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=260)
    out = (r.stdout + r.stderr).decode("utf-8", "replace").replace("\r\n", "\n")
    return r.returncode, out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--unikit", required=True)
    p.add_argument("--sql", required=True)
    p.add_argument("--expected", required=True)
    p.add_argument("--no-file-db", action="store_true")
    p.add_argument("manifest")
    a = p.parse_args()
    with open(a.manifest) as f:
        m = json.load(f)
    where = os.path.dirname(os.path.abspath(a.manifest))
    expected = open(a.expected).read()
    failed = []
    cases = []
    if not a.no_file_db:
        cases.append(("script on a ramfs file", ["/tmp/test.db", ".read /sql/script.sql"], 0,
                      "script", []))
    cases.append(("script on :memory:", [":memory:", ".read /sql/script.sql"], 0, "script", []))
    cases.append(("errors", [":memory:", ".read /sql/errors.sql"], 1, None, [
        r"^Runtime error near line 8: FOREIGN KEY constraint failed \(19\)$",
        r"^Runtime error near line 9: UNIQUE constraint failed: author\.name \(19\)$",
        r"^Runtime error near line 10: NOT NULL constraint failed: author\.name \(19\)$",
        r"^Parse error near line 11: no such table: no_such_table$",
        r'^Parse error near line 12: near ";": syntax error$',
        r"^still here\|1$"]))
    if not a.no_file_db:
        cases.append(("corrupt database", ["/data/corrupt.db", "SELECT count(*) FROM t;"], 11,
                      None, [r"^Error: stepping, database disk image is malformed \(11\)$"]))
        cases.append(("corrupt database: integrity_check",
                      ["/data/corrupt.db", "PRAGMA integrity_check;"], 11, None,
                      [r"Page 2: btreeInitPage\(\) returns error code 11|"
                       r"database disk image is malformed \(11\)"]))
        cases.append(("not a database", ["/data/notadb", "SELECT * FROM sqlite_master;"], 26,
                      None, [r"file is not a database \(26\)$"]))
    else:
        print("SKIP (file databases): the pool has no posixlock, and SQLite's unix VFS needs "
              "fcntl record locks for files; only :memory: is tested")
    with tempfile.TemporaryDirectory() as d:
        make_initrd(d, a.sql)
        for i in m["images"]:
            img = os.path.join(where, i["image"])
            for name, args, rc, compare, rxs in cases:
                got_rc, out = boot(a.unikit, img, d, args)
                problems = []
                if got_rc != rc:
                    problems.append(f"exit status {got_rc}, expected {rc}")
                if "CRASH" in out:
                    problems.append("the image crashed")
                if compare:
                    s = re.search(r"^BEGIN\n.*?^END\n", out, re.M | re.S)
                    if not s:
                        problems.append("no BEGIN...END output")
                    elif s.group(0) != expected:
                        problems.append("output differs from " + os.path.basename(a.expected))
                for rx in rxs:
                    if not re.search(rx, out, re.M):
                        problems.append(f"output lacks /{rx}/")
                if problems:
                    sys.stdout.write(out[-5000:])
                    failed += [f"{i['image']}: {name}: {pr}" for pr in problems]
                else:
                    print(f"{i['image']}: {name}: ok")
    for f in failed:
        print("FAIL: " + f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
