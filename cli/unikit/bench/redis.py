"""`./unikit bench redis`: the port-redis image (examples/port-redis) against
Debian's own redis-server - the binary Debian ships (the redis-server
package's /usr/bin/redis-server is a symlink to redis-tools'
/usr/bin/redis-check-rdb, one program that picks its role from argv[0]),
with the shared libraries it links from this Debian host (among them
jemalloc: Debian's build allocates with it, the image with libc malloc) -
in the Linux VM of `bench http` (unikit.linuxvm, init execs
/usr/bin/redis-server in place of httpreply).

Both read the same examples/port-redis/conf/redis.conf as
/etc/redis/redis.conf (unikit.ports.redis_tree) and run
`redis-server /etc/redis/redis.conf`. Same QEMU machine, accelerator, tap
and MAC, one vCPU each (unikit 64 MiB, Linux 256 MiB: the VM of
`bench http`), in a private namespace where Debian's redis-benchmark
(redis-tools on the host) runs. The two configurations run interleaved,
round by round, each booted fresh per round; per boot: a warm-up
(`-n N/10`), then `redis-benchmark -c 50 -n N -t set,get,lpush` and the same
pipelined (`-P 16`, 10 N requests). redis-benchmark stops at the first error
reply or connection error: every run that fails, or misses a test's
figure, is an error; after the runs redis-cli must read back what SET and
LPUSH wrote. The sum is redis.errors, and a non-zero sum fails the
benchmark.

Figures (`bench: NAME VALUE UNIT`), TEST one of get, set, lpush and
get.p16, set.p16, lpush.p16 (pipelined):

  redis.TEST.unikit.rps, redis.TEST.linux.rps  requests/s, median over the
                                               rounds
  redis.TEST.vs_linux (_min, _max, _spread_pct)  median of the per-round
                                               ratios unikit / Linux,
                                               smallest, largest and
                                               (max - min) / median
  redis.errors                                 failed runs + wrong read-backs
                                               (must be 0)
  redis.unikit.errors, redis.linux.errors      redis.errors by side
  redis.boot_to_first_answer_ms (.linux.)      QEMU start -> first PONG
  redis.image_bytes                            the unikit image (stripped)
  redis.linux.redis_bytes, .libs_bytes         Debian's redis-server binary
                                               and its shared libraries
  redis.linux.initramfs_bytes                  the Linux VM's initramfs
  redis.min_mem_kib                            smallest -m (64 KiB steps)
                                               with which the unikit guest
                                               serves the unpipelined run
                                               (-c 50 -n N) without an error
                                               and answers PING afterwards

Environment: UNIKIT_BENCH_MACHINE (default microvm), UNIKIT_BENCH_RUNS
(rounds, default 3), UNIKIT_BENCH_REDIS_N (N, default 20000).
"""
import csv
import io
import os
import shutil
import subprocess

from .. import BUILD, ROOT, linuxvm, netns, ports
from ..build import build, configure, run_checked
from ..errors import UserError
from ..initrd import cpio_newc
from ..qemu import qemu_command
from . import emit, netbench

CONF = os.path.join(ROOT, "examples", "port-redis", "conf", "redis.conf")
ARGS = ["/etc/redis/redis.conf"]
PORT = 6379
PACKAGE = "redis-tools"  # the server binary; redis-server ships the symlink
TESTS = ["set", "get", "lpush"]
# (figure suffix, extra arguments, requests as a multiple of N)
MODES = [("", [], 1), (".p16", ["-P", "16"], 10)]
FIGURES = [t + s for s, _, _ in MODES for t in TESTS]


def site(work):
    # both come with examples/port-redis (the redis port of issue 16)
    if not os.path.isfile(CONF) or not hasattr(ports, "redis_tree"):
        raise UserError(f"{os.path.relpath(CONF, ROOT)} or unikit.ports.redis_tree is missing: "
                        f"examples/port-redis (the redis port of issue 16) is not in this tree")
    tree = os.path.join(work, "site")
    shutil.rmtree(tree, ignore_errors=True)
    ports.redis_tree(tree, CONF)
    return tree


def linux_tree(work, tree):
    """WORK/linux: the tree plus Debian's redis-server (as the packages lay
    it out) and its libraries; (tree, binary bytes, libraries' bytes,
    version)."""
    pkg, ver = linuxvm.fetch_package(os.path.join(BUILD, "linuxvm"), PACKAGE)
    binary = os.path.join(pkg, "usr", "bin", "redis-check-rdb")
    if not os.path.isfile(binary):
        raise UserError(f"Debian's {PACKAGE} {ver} has no usr/bin/redis-check-rdb ({pkg})")
    root = os.path.join(work, "linux")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(tree, root, symlinks=True)
    libs = linuxvm.add_program(root, binary, "usr/bin/redis-check-rdb")
    os.symlink("redis-check-rdb", os.path.join(root, "usr", "bin", "redis-server"))
    return root, os.path.getsize(binary), sum(os.path.getsize(l) for l in libs), ver


def redis_benchmark(ns, g, n, extra=()):
    """({TEST: requests/s}, errors, output) of one redis-benchmark run
    against guest g."""
    cmd = ["redis-benchmark", "-h", netns.GUEST_IP, "-p", str(PORT), "-c", "50", "-n", str(n),
           "-t", ",".join(TESTS), "--csv"] + list(extra)
    rc, out = netbench.run_client(ns, cmd, g, 900)
    got = {}
    for row in csv.reader(io.StringIO(out)):
        if len(row) >= 2 and row[0].lower() in TESTS:
            try:
                got[row[0].lower()] = float(row[1])
            except ValueError:
                pass
    errors = 0 if rc == 0 and len(got) == len(TESTS) else 1
    return got, errors, out.strip()


def benchmark_value(size=3):
    """The value redis-benchmark SETs and LPUSHes: `size` bytes from its
    fixed-seed generator (genBenchmarkRandomData)."""
    state, out = 1234, []
    for _ in range(size):
        state = (state * 1103515245 + 12345) & 0xffffffff
        out.append(chr(ord("0") + ((state >> 16) & 63)))
    return "".join(out)


def read_back(ns):
    """0 when the server holds what redis-benchmark wrote (SET's 3-byte
    value, a non-empty list of it), else 1."""
    def cli(*args):
        try:
            p = ns.run(["redis-cli", "-h", netns.GUEST_IP, "-p", str(PORT)] + list(args),
                       capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            return None
        return p.stdout.strip() if p.returncode == 0 else None

    want = benchmark_value()
    value, length = cli("GET", "key:__rand_int__"), cli("LLEN", "mylist")
    head = cli("LINDEX", "mylist", "0")
    if value == want and head == want and length and length.isdigit() and int(length) > 0:
        return 0
    print(f"# read-back: GET key:__rand_int__ gave {value!r}, LINDEX mylist 0 {head!r}, "
          f"LLEN mylist {length!r} (want {want!r} and a list of it)", flush=True)
    return 1


def bench_redis():
    machine, _, runs = netbench.settings()
    try:
        n = int(os.environ.get("UNIKIT_BENCH_REDIS_N", "20000"))
    except ValueError:
        raise UserError("UNIKIT_BENCH_REDIS_N must be a number of requests")
    if n < 100:
        raise UserError("UNIKIT_BENCH_REDIS_N must be at least 100")
    for tool in ("redis-benchmark", "redis-cli"):
        if not shutil.which(tool):
            raise UserError(f"{tool} is missing: apt-get install -y redis-tools")
    work = os.path.join(BUILD, "bench-redis")
    os.makedirs(work, exist_ok=True)
    tree = site(work)
    image = build("redis", "kvm", known=False)
    bdir = configure("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/pvh-probe"], "ninja", quiet=True)
    accel = netbench.accelerator("redis")
    cpio = os.path.join(work, "site.cpio")
    with open(cpio, "wb") as f:
        f.write(cpio_newc(tree))
    try:
        root, redis_bytes, libs_bytes, ver = linux_tree(work, tree)
        kernel, initrd, kver = linuxvm.prepare(os.path.join(BUILD, "linuxvm"), cpio_newc,
                                               name="initramfs-redis", tree=root)
    except linuxvm.VMError as e:
        raise UserError(str(e))
    print(f"# machine: {machine}; redis-benchmark -c 50 -n {n} -t {','.join(TESTS)}, and -P 16 "
          f"-n {10 * n}; {runs} interleaved rounds; linux: Debian kernel {kver}, "
          f"{linuxvm.MEM >> 20} MiB, Debian's redis-server {ver}", flush=True)
    net = netns.qemu_net_args(machine)
    params = " ".join(netns.guest_params()) + " -- " + " ".join(ARGS)

    def unikit_cmd(mem_kib):
        return qemu_command(image, machine, mem_kib << 10, accel, params,
                            ["-initrd", cpio] + net)

    configs = [
        ("unikit", unikit_cmd(64 << 10)),
        ("linux", linuxvm.qemu_command(kernel, initrd, machine, accel, net,
                                       run_args=["/usr/bin/redis-server"] + ARGS)),
    ]
    with netns.NetNS("rdsb") as ns:
        def measure(name, cmd):
            g, t = netbench.boot(ns, cmd, name, port=PORT, redis=True)
            try:
                figures, errors = {}, 0
                for what, extra, times in [("warm-up", [], 0.1)] + [(s, x, k) for s, x, k in MODES]:
                    got, e, out = redis_benchmark(ns, g, max(100, int(n * times)), extra)
                    if e:
                        print(f"# {name}: redis-benchmark {' '.join(extra)} failed: {out[-500:]}",
                              flush=True)
                    errors += e
                    if what != "warm-up":
                        figures.update({k + what: v for k, v in got.items()})
                errors += read_back(ns)
                if g.proc.poll() is not None:
                    raise UserError(f"{name}: the guest exited (status {g.proc.returncode}): "
                                    f"{g.text()[-1500:]}")
                return (figures, t * 1000), errors
            finally:
                g.stop()

        def show(r, res):
            return "; ".join(f + " " + ", ".join(f"{c} {res[c][r][0].get(f, 0):.0f}" for c, _ in configs)
                             for f in FIGURES) + " req/s"

        res, errs = netbench.interleaved(configs, runs, measure, show)
        errors = sum(errs.values())
        emit("redis.errors", errors, "count")
        for c, _ in configs:
            emit(f"redis.{c}.errors", errs[c], "count")
        for f in FIGURES:
            rps = {c: [x[0].get(f) for x in res[c]] for c, _ in configs}
            for c, _ in configs:
                v = netbench.median(rps[c])
                if v is not None:
                    emit(f"redis.{f}.{c}.rps", v, "req/s")
            netbench.emit_ratio(f"redis.{f}.vs_linux", rps["unikit"], rps["linux"])
        for c, _ in configs:
            emit("redis.boot_to_first_answer_ms" if c == "unikit" else
                 f"redis.{c}.boot_to_first_answer_ms", netbench.median([x[1] for x in res[c]]), "ms")
        emit("redis.image_bytes", os.path.getsize(image), "bytes")
        emit("redis.linux.redis_bytes", redis_bytes, "bytes")
        emit("redis.linux.libs_bytes", libs_bytes, "bytes")
        emit("redis.linux.initramfs_bytes", os.path.getsize(initrd), "bytes")
        emit("redis.min_mem_kib", netbench.min_mem_kib(
            lambda kib: netbench.serves_with(ns, unikit_cmd(kib), lambda ns, g: redis_benchmark(ns, g, n)[1],
                                             port=PORT, redis=True),
            "the redis image"), "KiB")
    if errors:
        raise UserError(f"{errors} redis-benchmark runs or read-backs failed (see the lines above)")
    return 0
