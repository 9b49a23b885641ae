#!/usr/bin/env python3
"""Boot tests of the redis image (examples/port-redis).

    redistest.py --image redis.images --unikit-root DIR --bad-conf
    redistest.py --image redis.images --unikit-root DIR --net [--suite quick|full|none]
                 [--redis-src DIR] [--machine microvm|q35|pc] [--accel auto|kvm|tcg]

--bad-conf: redis with broken configurations (an unknown directive, a bad
memory value, no redis.conf at all) must print its own message on the
console and exit with status 1, each within the timeout.

--net: the image on a tap device in a private network namespace
(unikit.netns), its initrd unikit.ports.redis_tree with conf/redis.conf;
this script then runs itself inside the namespace as the client
(--client), which drives Debian's redis-cli (redis-tools) on the host:
strings, lists, hashes, sets, sorted sets, EVAL, EXPIRE against the
clock, SAVE then DEBUG RELOAD keeping the data, BGSAVE's error, maxmemory
reached (OOM errors, still serving), then SHUTDOWN SAVE, after which the
guest must exit with status 0. /data, where redis saves, is an ext2 disk
(virtio-blk; made with e2fsprogs' mke2fs): a second boot with the same
disk must load the RDB file and answer the same values. With --suite, redis' own test suite
(tests/redistest_units.py names the units and the skipped tags) runs
against the same guest first. Exit 77 (skip) without root or redis-cli.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(os.path.dirname(HERE), "conf", "redis.conf")
sys.path.insert(0, HERE)
import redistest_units  # noqa: E402
# the harness the server ports share, from the checkout --unikit-root names
# (the client half, which this script also is, needs it as much)
if "--unikit-root" not in sys.argv[1:-1]:
    sys.exit(f"{sys.argv[0]}: say --unikit-root DIR (the unikit checkout)")
sys.path.insert(0, os.path.join(sys.argv[sys.argv.index("--unikit-root") + 1], "cli"))
from unikit import porttest as pt  # noqa: E402
SKIP = pt.SKIP


# ---------------------------------------------------------------- client

class Client(pt.Checker):
    def __init__(self, host):
        super().__init__()
        self.host = host

    def cli(self, *args, stdin=None):
        """One redis-cli command; its raw output without the final newlines
        (redis-cli prints error replies as "ERR ..." when not on a tty)."""
        p = subprocess.run(["redis-cli", "-h", self.host, "--no-auth-warning"] + [str(a) for a in args],
                           input=stdin, capture_output=True, timeout=60)
        return (p.stdout + p.stderr).decode(errors="replace").rstrip("\n")

    def eq(self, name, args, want):
        got = self.cli(*args)
        return self.check(name, got == want, f"{' '.join(map(str, args))} gave {got!r}, want {want!r}")

    def strings(self):
        self.eq("SET", ["SET", "s", "hello"], "OK")
        self.eq("GET", ["GET", "s"], "hello")
        self.eq("APPEND", ["APPEND", "s", " world"], "11")
        self.eq("GETRANGE", ["GETRANGE", "s", "6", "-1"], "world")
        self.eq("INCR", ["INCR", "n"], "1")
        self.eq("INCRBY", ["INCRBY", "n", "41"], "42")
        self.eq("INCRBYFLOAT", ["INCRBYFLOAT", "n", "0.5"], "42.5")
        self.eq("MSET", ["MSET", "a", "1", "b", "2"], "OK")
        self.eq("MGET", ["MGET", "a", "nosuch", "b"], "1\n\n2")
        self.eq("INCR of a non-number", ["INCR", "s"], "ERR value is not an integer or out of range")
        big = bytes(range(256)) * 4096  # 1 MiB, every byte value
        out = self.cli("-x", "SET", "big", stdin=big)
        self.check("SET of 1 MiB from stdin", out == "OK", out)
        self.eq("STRLEN of it", ["STRLEN", "big"], str(len(big)))
        p = subprocess.run(["redis-cli", "-h", self.host, "--raw", "GETRANGE", "big", "0", "-1"],
                           capture_output=True, timeout=60)
        self.check("GET of 1 MiB gives the same bytes", p.stdout[:-1] == big,
                   f"{len(p.stdout) - 1} bytes")

    def lists(self):
        self.eq("RPUSH", ["RPUSH", "l", "b", "c", "d"], "3")
        self.eq("LPUSH", ["LPUSH", "l", "a"], "4")
        self.eq("LRANGE", ["LRANGE", "l", "0", "-1"], "a\nb\nc\nd")
        self.eq("LINDEX", ["LINDEX", "l", "-1"], "d")
        self.eq("LPOP", ["LPOP", "l"], "a")
        self.eq("RPOP", ["RPOP", "l"], "d")
        self.eq("LLEN", ["LLEN", "l"], "2")
        self.eq("LINSERT", ["LINSERT", "l", "BEFORE", "c", "x"], "3")
        self.eq("LRANGE after LINSERT", ["LRANGE", "l", "0", "-1"], "b\nx\nc")
        self.eq("LPUSH on a string", ["LPUSH", "s", "x"],
                "WRONGTYPE Operation against a key holding the wrong kind of value")

    def hashes(self):
        self.eq("HSET", ["HSET", "h", "f1", "v1", "f2", "v2", "n", "10"], "3")
        self.eq("HGET", ["HGET", "h", "f2"], "v2")
        self.eq("HINCRBY", ["HINCRBY", "h", "n", "5"], "15")
        self.eq("HLEN", ["HLEN", "h"], "3")
        self.eq("HDEL", ["HDEL", "h", "f1"], "1")
        got = self.cli("HGETALL", "h").split("\n")
        pairs = dict(zip(got[0::2], got[1::2]))
        self.check("HGETALL", pairs == {"f2": "v2", "n": "15"}, repr(got))
        self.eq("HEXISTS", ["HEXISTS", "h", "f1"], "0")

    def sets(self):
        self.eq("SADD", ["SADD", "s1", "a", "b", "c", "a"], "3")
        self.eq("SADD other", ["SADD", "s2", "b", "c", "d"], "3")
        self.check("SMEMBERS", sorted(self.cli("SMEMBERS", "s1").split("\n")) == ["a", "b", "c"])
        self.check("SINTER", sorted(self.cli("SINTER", "s1", "s2").split("\n")) == ["b", "c"])
        self.check("SUNION", sorted(self.cli("SUNION", "s1", "s2").split("\n")) == ["a", "b", "c", "d"])
        self.eq("SDIFF", ["SDIFF", "s1", "s2"], "a")
        self.eq("SISMEMBER", ["SISMEMBER", "s1", "b"], "1")
        self.eq("SREM", ["SREM", "s1", "b"], "1")
        self.eq("SCARD", ["SCARD", "s1"], "2")
        ints = [str(i) for i in range(600)]  # past the intset/listpack limits
        self.eq("SADD of 600 members", ["SADD", "s3"] + ints, "600")
        self.eq("SCARD of them", ["SCARD", "s3"], "600")

    def zsets(self):
        self.eq("ZADD", ["ZADD", "z", "3", "c", "1", "a", "2", "b"], "3")
        self.eq("ZRANGE WITHSCORES", ["ZRANGE", "z", "0", "-1", "WITHSCORES"], "a\n1\nb\n2\nc\n3")
        self.eq("ZRANK", ["ZRANK", "z", "c"], "2")
        self.eq("ZINCRBY", ["ZINCRBY", "z", "10", "a"], "11")
        self.eq("ZREVRANGE", ["ZREVRANGE", "z", "0", "0"], "a")
        self.eq("ZRANGEBYSCORE", ["ZRANGEBYSCORE", "z", "2", "3"], "b\nc")
        self.eq("ZSCORE", ["ZSCORE", "z", "b"], "2")
        self.eq("ZCARD", ["ZCARD", "z"], "3")
        members = []
        for i in range(300):  # a skiplist, not a listpack
            members += [str(i * 0.5), f"m{i}"]
        self.eq("ZADD of 300 members", ["ZADD", "z2"] + members, "300")
        self.eq("ZRANGEBYSCORE over them", ["ZCOUNT", "z2", "10", "20"], "21")

    def scripting(self):
        self.eq("EVAL returns a value", ["EVAL", "return 1 + 2", "0"], "3")
        self.eq("EVAL calls redis", ["EVAL", "redis.call('SET', KEYS[1], ARGV[1]); "
                "return redis.call('GET', KEYS[1])", "1", "ev", "from-lua"], "from-lua")
        self.eq("EVAL with cjson", ["EVAL", "return cjson.encode({1, 2, 'x'})", "0"], '[1,2,"x"]')
        self.eq("EVAL with cmsgpack",
                ["EVAL", "return cmsgpack.unpack(cmsgpack.pack({5, 'y'}))[2]", "0"], "y")
        self.eq("EVAL with bit", ["EVAL", "return bit.band(12, 10)", "0"], "8")
        sha = self.cli("SCRIPT", "LOAD", "return redis.call('INCR', KEYS[1])")
        self.check("SCRIPT LOAD gives a sha1", re.fullmatch(r"[0-9a-f]{40}", sha or "") is not None, sha)
        self.eq("EVALSHA", ["EVALSHA", sha, "1", "evn"], "1")
        self.eq("EVALSHA again", ["EVALSHA", sha, "1", "evn"], "2")
        out = self.cli("EVAL", "return redis.call('NOSUCHCOMMAND')", "0")
        self.check("a script's error comes back", out.startswith("ERR") and "Unknown" in out, out)
        # deep recursion: main()'s stack (1 MiB by default) holds it
        out = self.cli("EVAL", "local function f(n) if n == 0 then return 0 end "
                       "return 1 + f(n - 1) end return f(5000)", "0")
        self.check("EVAL with 5000 nested Lua calls", out == "5000", out)
        out = self.cli("EVAL", "return string.rep('x', 100000):len()", "0")
        self.check("EVAL making a 100 KB string", out == "100000", out)
        self.eq("FUNCTION LOAD", ["FUNCTION", "LOAD",
                "#!lua name=lib\nredis.register_function('twice', function(k, a) "
                "return a[1] * 2 end)"], "lib")
        self.eq("FCALL", ["FCALL", "twice", "0", "21"], "42")

    def expire(self):
        t = self.cli("TIME").split("\n")
        try:
            skew = abs(int(t[0]) + int(t[1]) / 1e6 - time.time())
        except (ValueError, IndexError):
            skew = None
        self.check("TIME agrees with the host's clock (within 5 s)", skew is not None and skew < 5,
                   f"TIME {t}, skew {skew}")
        self.eq("SET PX 1500", ["SET", "short", "v", "PX", "1500"], "OK")
        t0 = time.monotonic()
        pttl = self.cli("PTTL", "short")
        self.check("PTTL just after", pttl.isdigit() and 0 < int(pttl) <= 1500, pttl)
        self.eq("SET EX 1000", ["SET", "long", "v", "EX", "1000"], "OK")
        self.eq("EXPIRE", ["EXPIRE", "s2", "1000"], "1")
        ttl = self.cli("TTL", "s2")
        self.check("TTL after EXPIRE", ttl.isdigit() and 990 <= int(ttl) <= 1000, ttl)
        self.eq("PERSIST", ["PERSIST", "s2"], "1")
        self.eq("TTL after PERSIST", ["TTL", "s2"], "-1")
        # the short key lives its 1.5 s of the guest's clock: gone after 2.5 s
        # of the host's (lazily, on access, or actively by the expire cycle)
        time.sleep(max(0, 2.5 - (time.monotonic() - t0)))
        self.eq("the PX 1500 key has expired", ["EXISTS", "short"], "0")
        self.eq("TTL of an expired key", ["TTL", "short"], "-2")
        self.eq("the EX 1000 key has not", ["EXISTS", "long"], "1")
        self.eq("EXPIREAT in the past deletes", ["EXPIREAT", "long2", "1"], "0")
        self.cli("SET", "gone", "v")
        self.eq("EXPIREAT in the past", ["EXPIREAT", "gone", "1"], "1")
        self.eq("... deletes at once", ["EXISTS", "gone"], "0")
        # many keys with short lives: the active expire cycle deletes them
        # without anyone reading them (DBSIZE counts keys not yet deleted)
        n0 = int(self.cli("DBSIZE"))
        self.cli("EVAL", "for i = 1, 500 do redis.call('SET', 'tmp:' .. i, i, 'PX', 500) end", "0")
        self.eq("DBSIZE with them", ["DBSIZE"], str(n0 + 500))
        deadline = time.monotonic() + 30
        n = None
        while time.monotonic() < deadline:
            time.sleep(0.5)
            n = int(self.cli("DBSIZE"))
            if n == n0:
                break
        self.check("500 keys with PX 500 are deleted by the active expire cycle", n == n0,
                   f"DBSIZE {n}, {n0} before them")

    def persistence(self):
        before = self.cli("DBSIZE")
        last = self.cli("LASTSAVE")
        self.eq("SAVE", ["SAVE"], "OK")
        self.check("LASTSAVE moved", self.cli("LASTSAVE") >= last)
        out = self.cli("BGSAVE")
        self.check("BGSAVE says it needs fork", out.startswith("ERR BGSAVE needs fork()"), out)
        out = self.cli("BGREWRITEAOF")
        self.check("BGREWRITEAOF says it needs fork", out.startswith("ERR BGREWRITEAOF needs fork()"),
                   out)
        self.cli("SET", "after-save", "lost by DEBUG RELOAD NOSAVE")
        self.eq("DEBUG RELOAD NOSAVE (load the SAVE file)", ["DEBUG", "RELOAD", "NOSAVE"], "OK")
        self.eq("the key written after SAVE is gone", ["EXISTS", "after-save"], "0")
        self.eq("DBSIZE as saved", ["DBSIZE"], before)
        self.eq("a string came back", ["GET", "s"], "hello world")
        self.eq("a list came back", ["LRANGE", "l", "0", "-1"], "b\nx\nc")
        self.eq("a hash came back", ["HGET", "h", "n"], "15")
        self.eq("a set came back", ["SCARD", "s3"], "600")
        self.eq("a sorted set came back", ["ZSCORE", "z", "a"], "11")
        self.eq("the 1 MiB string came back", ["STRLEN", "big"], str(256 * 4096))
        ttl = self.cli("TTL", "long")
        self.check("a TTL came back", ttl.isdigit() and 900 < int(ttl) <= 1000, ttl)
        self.eq("DEBUG RELOAD (SAVE, then load)", ["DEBUG", "RELOAD"], "OK")
        self.eq("DBSIZE after it", ["DBSIZE"], before)
        self.eq("FCALL after it (functions are saved)", ["FCALL", "twice", "0", "4"], "8")

    def maxmemory(self):
        used = int(re.search(r"used_memory:(\d+)", self.cli("INFO", "memory")).group(1))
        limit = used + (4 << 20)
        self.eq("CONFIG SET maxmemory", ["CONFIG", "SET", "maxmemory", str(limit)], "OK")
        self.eq("CONFIG SET maxmemory-policy noeviction",
                ["CONFIG", "SET", "maxmemory-policy", "noeviction"], "OK")
        # 100 KB values made by the server (SETRANGE): a big argument would
        # count as query buffer memory only while its command runs
        oom = None
        for i in range(200):  # 20 MB at most: bounded
            out = self.cli("SETRANGE", f"fill:{i}", str((100 << 10) - 1), "x")
            if out != str(100 << 10):
                oom = (i, out)
                break
        self.check("writes past maxmemory fail with OOM", oom is not None and "OOM" in oom[1],
                   repr(oom))
        if oom:
            print(f"     after {oom[0]} values of 100 KB: {oom[1][:100]}", flush=True)
        out = self.cli("SET", "one-more", "x")
        self.check("SET answers the OOM error", out.startswith("OOM command not allowed"), out)
        self.eq("reads still work", ["GET", "s"], "hello world")
        self.eq("DEL still works", ["DEL", "fill:0", "fill:1", "fill:2"], "3")
        self.eq("CONFIG SET maxmemory 0", ["CONFIG", "SET", "maxmemory", "0"], "OK")
        self.eq("writes work again", ["SET", "one-more", "x"], "OK")
        self.cli("EVAL", "for i = 0, 199 do redis.call('DEL', 'fill:' .. i) end", "0")
        self.eq("CONFIG SET maxmemory allkeys-lru",
                ["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"], "OK")
        self.eq("CONFIG SET maxmemory again", ["CONFIG", "SET", "maxmemory", str(limit)], "OK")
        errors = 0
        for i in range(100):
            if self.cli("SETRANGE", f"lru:{i}", str((100 << 10) - 1), "x") != str(100 << 10):
                errors += 1
        self.check("allkeys-lru evicts instead of failing", errors == 0, f"{errors} errors")
        n = int(self.cli("EVAL", "return #redis.call('KEYS', 'lru:*')", "0") or 0)
        self.check("... and evicted some", 0 < n < 100, f"{n} of 100 keys left")
        self.eq("maxmemory 0 again", ["CONFIG", "SET", "maxmemory", "0"], "OK")

    def run(self):
        self.eq("PING", ["PING"], "PONG")
        self.cli("FLUSHALL")
        for part in (self.strings, self.lists, self.hashes, self.sets, self.zsets,
                     self.scripting, self.expire, self.persistence, self.maxmemory):
            print(f"---- {part.__name__}", flush=True)
            try:
                part()
            except (OSError, subprocess.SubprocessError, ValueError, AttributeError) as e:
                self.check(part.__name__, False, f"{type(e).__name__}: {e}")
        self.eq("PING at the end", ["PING"], "PONG")
        return 1 if self.failed else 0


def wait_answer(host, timeout):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        p = subprocess.run(["redis-cli", "-h", host, "PING"], capture_output=True, text=True)
        if p.stdout.strip() == "PONG":
            return True
        time.sleep(0.3)
    return False


# ---------------------------------------------------------------- host side

ARGS = "-- /etc/redis/redis.conf"
FATAL = r"^\*\*\* FATAL CONFIG FILE ERROR \(Redis 7\.0\.15\) \*\*\*$"
BAD_CONFS = [
    ("unknown directive", lambda c: c + "bogus-directive yes\n",
     FATAL + r"\nReading the configuration file, at line \d+\n>>> 'bogus-directive \"?yes\"?'\n"
     r"Bad directive or wrong number of arguments"),
    ("bad memory value", lambda c: c + "maxmemory lots\n",
     FATAL + r"\nReading the configuration file, at line \d+\n>>> 'maxmemory \"?lots\"?'\n"
     r"argument must be a memory value"),
    ("no configuration file", None,
     r"Fatal error, can't open config file '/etc/redis/redis\.conf': No such file or directory"),
]


def bad_conf(a, uk):
    return pt.bad_confs(a, uk, "redistest", CONF, BAD_CONFS, uk.ports.redis_tree,
                        os.path.join("etc", "redis", "redis.conf"), expect_status=1, append=ARGS)


def shutdown(uk, ns, g, how, timeout):
    """SHUTDOWN SAVE|NOSAVE; the guest's exit status, or None if it runs on.
    redis-cli waits for the connection to close: the image's exit must
    close it as a process' exit does (the FIN; <uk/exit.h>), so redis-cli
    ends by itself, with status 0."""
    cli = ns.popen(["redis-cli", "-h", uk.netns.GUEST_IP, "SHUTDOWN", how],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    while g.proc.poll() is None and time.monotonic() - t0 < timeout:
        time.sleep(0.2)
    try:
        cli_status = cli.wait(5)
    except subprocess.TimeoutExpired:
        cli.kill()
        cli.wait()
        cli_status = None
    if g.proc.poll() is None:
        return None
    if cli_status != 0:
        return ("redis-cli still waiting 5 s after the guest exited (no FIN)"
                if cli_status is None else f"redis-cli exited with {cli_status}")
    try:
        return uk.qemu.decode_qemu_status(g.proc.returncode, g.text(), "")
    except Exception as e:  # noqa: BLE001 - reported by the caller
        return f"undecodable ({e})"


def console_problems(out):
    return pt.console_problems(out, ("=== CRASH", "PANIC", "REDIS BUG REPORT", "Guru Meditation"))


# what the host writes before SHUTDOWN SAVE (the client's own keys may have
# been evicted by its allkeys-lru check), and what the second boot must
# then answer: (command, expected or None for "as before the reboot")
FIXTURE = [["SET", "r:s", "hello world"], ["RPUSH", "r:l", "b", "x", "c"],
           ["HSET", "r:h", "f", "v", "n", "15"], ["SADD", "r:set"] + [str(i) for i in range(600)],
           ["ZADD", "r:z", "11", "a", "2.5", "b"], ["SETRANGE", "r:big", str((1 << 20) - 1), "x"],
           ["SET", "r:ttl", "v", "EX", "1000"],
           ["FUNCTION", "LOAD", "REPLACE", "#!lua name=rlib\nredis.register_function("
            "'thrice', function(k, a) return a[1] * 3 end)"]]
RESTORED = [(["DBSIZE"], None), (["GET", "r:s"], "hello world"),
            (["LRANGE", "r:l", "0", "-1"], "b\nx\nc"), (["HGET", "r:h", "n"], "15"),
            (["SCARD", "r:set"], "600"), (["ZSCORE", "r:z", "b"], "2.5"),
            (["STRLEN", "r:big"], str(1 << 20)), (["FCALL", "thrice", "0", "5"], "15")]


def make_disk(uk, tmp):
    """A 32 MiB ext2 image for /data (redis.conf's dir), or None without
    e2fsprogs (then /data is the initrd's ramfs and nothing outlives a boot)."""
    import unikit.storage
    try:
        mke2fs = unikit.storage.e2fsprogs("mke2fs")
    except Exception:  # noqa: BLE001 - UserError: said below
        return None
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty, exist_ok=True)
    disk = os.path.join(tmp, "data.ext2")
    subprocess.run([mke2fs, "-q", "-F", "-t", "ext2", "-d", empty, disk, "32M"], check=True,
                   capture_output=True)
    return disk


def net(a, uk):
    why = uk.netns.requirements_problem()
    if why:
        print(f"redistest: SKIP: {why}")
        return SKIP
    if not shutil.which("redis-cli"):
        print("redistest: SKIP: no redis-cli on the host (apt-get install redis-tools)")
        return SKIP
    import unikit.storage
    image, v, accel = pt.boot_setup(a, uk, "redistest")
    rc = 0
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "root")
        uk.ports.redis_tree(tree, CONF)
        cpio = uk.initrd.initrd_file(tree)
        disk = make_disk(uk, tmp)
        extra, params = [], []
        if disk:
            extra, params = unikit.storage.run_args(a.machine, [f"{disk},mount=/data"], [])
            print("redistest: /data is an ext2 disk (virtio-blk): SAVE, then a second boot")
        else:
            print("redistest: no mke2fs (e2fsprogs): /data is ramfs, no second boot")
        append = " ".join(uk.netns.guest_params() + params) + " " + ARGS
        cmd = uk.qemu.qemu_command(image, a.machine, a.mem << 20, accel, append,
                                   ["-initrd", cpio] + extra + uk.netns.qemu_net_args(a.machine, v=v),
                                   v=v)
        cli = ["redis-cli", "-h", uk.netns.GUEST_IP]
        with uk.netns.NetNS("redis") as ns:
            # first boot: the suite, the redis-cli checks, SHUTDOWN SAVE
            g = uk.netns.Guest(ns, cmd, echo=a.echo)
            saved = {}
            try:
                g.wait_for(r"Ready to accept connections", a.timeout)
                if a.suite != "none":
                    r = redistest_units.run_suite(ns, a.redis_src, uk.netns.GUEST_IP, a.suite,
                                                  a.timeout)
                    rc |= 0 if r in (0, SKIP) else 1
                    for c in (["FLUSHALL"], ["FUNCTION", "FLUSH"], ["SCRIPT", "FLUSH"]):
                        ns.run(cli + c, capture_output=True, timeout=a.timeout)
                client = pt.client_argv(__file__, a.unikit_root, "--client", uk.netns.GUEST_IP,
                                        "--timeout", str(a.timeout))
                p = ns.run(client, timeout=a.timeout * 4)
                rc |= p.returncode
                for args in FIXTURE:
                    ns.run(cli + args, capture_output=True, timeout=a.timeout)
                for args, _ in RESTORED:
                    saved[tuple(args)] = ns.run(cli + args, capture_output=True, text=True,
                                                timeout=a.timeout).stdout.rstrip("\n")
                status = shutdown(uk, ns, g, "SAVE", a.timeout)
                out = g.text().replace("\r\n", "\n")
                ok = status == 0 and re.search(r"DB saved on disk\n.*Redis is now ready to exit",
                                               out) is not None
                print(f"{'ok  ' if ok else 'FAIL'} SHUTDOWN SAVE: saved, exit status {status}")
                problems = console_problems(out)
                if not ok or problems:
                    print("\n".join(f"FAIL {p}" for p in problems))
                    print(out[-2000:])
                    rc = 1
            except (TimeoutError, RuntimeError, subprocess.TimeoutExpired) as e:
                print(f"FAIL {e}")
                print(g.text()[-3000:])
                rc = 1
            finally:
                g.stop()
            if disk and saved:
                rc |= second_boot(a, uk, ns, cmd, cli, saved, disk)
    print(f"redistest: {'PASS' if rc == 0 else 'FAIL'}", flush=True)
    return rc


def second_boot(a, uk, ns, cmd, cli, saved, disk):
    """The same disk again: redis loads /data/dump.rdb, written by the first
    boot's SHUTDOWN SAVE, and finds what the client left."""
    import unikit.storage
    rc = 0
    fsck = subprocess.run([unikit.storage.e2fsprogs("e2fsck"), "-fn", disk], capture_output=True,
                          text=True)
    ok = fsck.returncode == 0
    print(f"{'ok  ' if ok else 'FAIL'} e2fsck -fn of the disk after the first boot: "
          f"exit {fsck.returncode}", flush=True)
    if not ok:
        print(fsck.stdout[-2000:] + fsck.stderr[-1000:])
        rc = 1
    g = uk.netns.Guest(ns, cmd, echo=a.echo)
    try:
        g.wait_for(r"Ready to accept connections", a.timeout)
        out = g.text().replace("\r\n", "\n")
        m = re.search(r"Done loading RDB, keys loaded: (\d+)", out)
        print(f"{'ok  ' if m else 'FAIL'} second boot loaded the RDB file: "
              f"{m.group(0) if m else 'no load on the console'}", flush=True)
        rc |= 0 if m else 1
        for args, want in RESTORED:
            got = ns.run(cli + args, capture_output=True, text=True,
                         timeout=a.timeout).stdout.rstrip("\n")
            want = saved[tuple(args)] if want is None else want
            ok = got == want == saved[tuple(args)]
            print(f"{'ok  ' if ok else 'FAIL'} after the reboot {' '.join(args)}: {got!r}"
                  + ("" if ok else f", want {want!r} (before: {saved[tuple(args)]!r})"),
                  flush=True)
            rc |= 0 if ok else 1
        ttl = ns.run(cli + ["TTL", "r:ttl"], capture_output=True, text=True,
                     timeout=a.timeout).stdout.strip()
        ok = ttl.isdigit() and 900 < int(ttl) <= 1000
        print(f"{'ok  ' if ok else 'FAIL'} after the reboot TTL r:ttl: {ttl} (set to 1000)")
        rc |= 0 if ok else 1
        status = shutdown(uk, ns, g, "NOSAVE", a.timeout)
        ok = status == 0
        print(f"{'ok  ' if ok else 'FAIL'} SHUTDOWN NOSAVE: exit status {status}", flush=True)
        problems = console_problems(g.text())
        for p in problems:
            print(f"FAIL {p}")
        if not ok or problems:
            rc = 1
    except (TimeoutError, RuntimeError, subprocess.TimeoutExpired) as e:
        print(f"FAIL {e}")
        print(g.text()[-3000:])
        rc = 1
    finally:
        g.stop()
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    pt.add_args(ap, machine="microvm", mem=128)
    ap.add_argument("--redis-src", help="redis' source tree (its tests/ and runtest)")
    ap.add_argument("--suite", default="none", choices=("none", "quick", "full"))
    ap.add_argument("--echo", action="store_true", help="copy the guest's console here")
    a = ap.parse_args()
    return pt.dispatch(ap, a, lambda: Client(a.client).run(), wait_answer, bad_conf, net)


if __name__ == "__main__":
    sys.exit(main())
