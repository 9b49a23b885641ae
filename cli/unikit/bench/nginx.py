"""`./unikit bench nginx`: the port-nginx image (examples/port-nginx) against
Debian's own nginx package - the binary Debian ships, with the shared
libraries it links from this Debian host - in the Linux VM of `bench http`
(unikit.linuxvm: Debian's kernel, init from tests/net/linuxvm/init.c, which
configures eth0 and execs /usr/sbin/nginx in place of httpreply).

Both serve the same files: examples/port-nginx/conf/bench.conf as
/etc/nginx/nginx.conf (one process, sendfile on, access log off), nginx's
own mime.types and a site of a 612-byte index.html and a 64 KB file
(unikit.ports.nginx_tree); both run `nginx -c /etc/nginx/nginx.conf`. The
unikit image gets the tree as its initrd; the Linux VM's initramfs holds it
next to nginx. Same QEMU machine, accelerator, tap and MAC, one vCPU each
(unikit 64 MiB, Linux 256 MiB: the VM of `bench http`), in a private
namespace where wrk runs. The two configurations run interleaved, round by
round, each booted fresh per round; per boot: wrk on the index page (3 s
warm-up, then the measured run) and the same on the 64 KB file. Every wrk
run, warm-ups included, counts its socket errors and non-2xx/3xx responses:
their sum is nginx.errors, and a non-zero sum fails the benchmark.

Figures (`bench: NAME VALUE UNIT`):

  nginx.unikit.rps, nginx.linux.rps           wrk requests/s for the index
                                              page, median over the rounds
  nginx.64k.unikit.rps, nginx.64k.linux.rps   the same for the 64 KB file
  nginx.vs_linux (_min, _max, _spread_pct)    median of the per-round ratios
                                              unikit / Linux for the index
                                              page, smallest, largest and
                                              (max - min) / median
  nginx.64k.vs_linux (_min, _max, _spread_pct)  the same for the 64 KB file
  nginx.errors                                wrk's socket errors + non-2xx
                                              (must be 0)
  nginx.boot_to_first_answer_ms (.linux.)     QEMU start -> first answered
                                              GET /, median
  nginx.image_bytes                           the unikit image (stripped)
  nginx.linux.nginx_bytes, .libs_bytes        Debian's /usr/sbin/nginx and
                                              the shared libraries it loads
  nginx.linux.initramfs_bytes                 the Linux VM's initramfs
  nginx.min_mem_kib                           smallest -m (64 KiB steps) with
                                              which the unikit guest serves
                                              the load of the measured runs
                                              (the same wrk -t/-c, 5 s on
                                              each file) without an error
                                              and still answers afterwards
  nginx.index.min_mem_kib                     the same with the index page's
                                              load alone
  nginx.unikit.errors, nginx.linux.errors     nginx.errors by side

Environment: UNIKIT_BENCH_MACHINE (default microvm), UNIKIT_BENCH_WRK
(default "-t1 -c200 -d10s"), UNIKIT_BENCH_RUNS (rounds, default 3).
"""
import os
import shutil

from .. import BUILD, ROOT, linuxvm, netns, ports
from ..build import build, configure, run_checked
from ..errors import UserError
from ..initrd import cpio_newc
from ..qemu import qemu_command
from . import emit, netbench

CONF = os.path.join(ROOT, "examples", "port-nginx", "conf", "bench.conf")
ARGS = ["-c", "/etc/nginx/nginx.conf"]
# (figure prefix, file in the site, URL path)
FILES = [("nginx", "index.html", "/"), ("nginx.64k", "64k.bin", "/64k.bin")]
PACKAGE = "nginx"


def site(work):
    """The tree both sides serve, WORK/site."""
    src = ports.nginx_source()
    if not src:
        raise UserError("nginx's sources are not unpacked (subprojects/nginx-1.22.1): "
                        "build the image first, or run ./unikit fetch-sources")
    tree = os.path.join(work, "site")
    shutil.rmtree(tree, ignore_errors=True)
    ports.nginx_tree(tree, CONF, os.path.join(src, "conf", "mime.types"))
    # the tests' site minus what the benchmark does not fetch (the 1 MB
    # file and the rest would only take the image's memory)
    www = os.path.join(tree, "srv", "www")
    keep = {f for _, f, _ in FILES}
    for dirpath, dirnames, filenames in os.walk(www, topdown=False):
        for fn in filenames:
            if os.path.relpath(os.path.join(dirpath, fn), www) not in keep:
                os.remove(os.path.join(dirpath, fn))
        if dirpath != www and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return tree


def linux_tree(work, tree):
    """WORK/linux: the site plus Debian's nginx, its libraries and the
    directories its build expects (temp paths under /var/lib/nginx);
    returns (tree, binary bytes, libraries' bytes, package version)."""
    pkg, ver = linuxvm.fetch_package(os.path.join(BUILD, "linuxvm"), PACKAGE)
    binary = os.path.join(pkg, "usr", "sbin", "nginx")
    if not os.path.isfile(binary):
        raise UserError(f"Debian's {PACKAGE} {ver} has no usr/sbin/nginx ({pkg})")
    root = os.path.join(work, "linux")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(tree, root, symlinks=True)
    libs = linuxvm.add_program(root, binary, "usr/sbin/nginx")
    for d in ("var/lib/nginx", "var/log/nginx"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    return root, os.path.getsize(binary), sum(os.path.getsize(l) for l in libs), ver


def bench_nginx():
    machine, wrk_args, runs = netbench.settings()
    if not os.path.isfile(CONF):
        raise UserError(f"{os.path.relpath(CONF, ROOT)} is missing (examples/port-nginx)")
    image = build("nginx", "kvm", known=False)
    bdir = configure("gcc")
    run_checked(["ninja", "-C", bdir, "tests/bench/pvh-probe"], "ninja", quiet=True)
    accel = netbench.accelerator("nginx")
    work = os.path.join(BUILD, "bench-nginx")
    os.makedirs(work, exist_ok=True)
    tree = site(work)
    cpio = os.path.join(work, "site.cpio")
    with open(cpio, "wb") as f:
        f.write(cpio_newc(tree))
    try:
        root, nginx_bytes, libs_bytes, ver = linux_tree(work, tree)
        kernel, initrd, kver = linuxvm.prepare(os.path.join(BUILD, "linuxvm"), cpio_newc,
                                               name="initramfs-nginx", tree=root)
    except linuxvm.VMError as e:
        raise UserError(str(e))
    print(f"# machine: {machine}; wrk {wrk_args}; {runs} interleaved rounds; linux: Debian "
          f"kernel {kver}, {linuxvm.MEM >> 20} MiB, Debian's nginx {ver}", flush=True)
    net = netns.qemu_net_args(machine)
    params = " ".join(netns.guest_params()) + " -- " + " ".join(ARGS)

    def unikit_cmd(mem_kib):
        return qemu_command(image, machine, mem_kib << 10, accel, params,
                            ["-initrd", cpio] + net)

    configs = [
        ("unikit", unikit_cmd(64 << 10)),
        ("linux", linuxvm.qemu_command(kernel, initrd, machine, accel, net,
                                       run_args=["/usr/sbin/nginx"] + ARGS)),
    ]
    with netns.NetNS("ngxb") as ns:
        def measure(name, cmd):
            g, t = netbench.boot(ns, cmd, name)
            try:
                rps, errors = [], 0
                for _, _, path in FILES:
                    v, e = netbench.wrk_measured(ns, name, wrk_args,
                                                 f"http://{netns.GUEST_IP}{path}")
                    rps.append(v)
                    errors += e
                if g.proc.poll() is not None:
                    raise UserError(f"{name}: the guest exited (status {g.proc.returncode}): "
                                    f"{g.text()[-1500:]}")
                return (rps, t * 1000), errors
            finally:
                g.stop()

        def show(r, res):
            return "; ".join(f"{prefix} " + ", ".join(f"{n} {res[n][r][0][i]:.0f}" for n, _ in configs)
                             for i, (prefix, _, _) in enumerate(FILES)) + " req/s"

        res, errs = netbench.interleaved(configs, runs, measure, show)
        errors = sum(errs.values())
        emit("nginx.errors", errors, "count")
        for c, _ in configs:
            emit(f"nginx.{c}.errors", errs[c], "count")
        for i, (prefix, _, _) in enumerate(FILES):
            rps = {n: [x[0][i] for x in res[n]] for n, _ in configs}
            for n, _ in configs:
                emit(f"{prefix}.{n}.rps", netbench.median(rps[n]), "req/s")
            netbench.emit_ratio(f"{prefix}.vs_linux", rps["unikit"], rps["linux"])
        for n, _ in configs:
            emit("nginx.boot_to_first_answer_ms" if n == "unikit" else
                 f"nginx.{n}.boot_to_first_answer_ms", netbench.median([x[1] for x in res[n]]), "ms")
        emit("nginx.image_bytes", os.path.getsize(image), "bytes")
        emit("nginx.linux.nginx_bytes", nginx_bytes, "bytes")
        emit("nginx.linux.libs_bytes", libs_bytes, "bytes")
        emit("nginx.linux.initramfs_bytes", os.path.getsize(initrd), "bytes")

        def load(paths):
            return lambda ns, g: sum(netbench.wrk(ns, netbench.with_duration(wrk_args, 5),
                                               f"http://{netns.GUEST_IP}{p}")[1] for p in paths)

        for name, paths in (("nginx.min_mem_kib", [p for _, _, p in FILES]),
                            ("nginx.index.min_mem_kib", ["/"])):
            emit(name, netbench.min_mem_kib(
                lambda kib: netbench.serves_with(ns, unikit_cmd(kib), load(paths)),
                "the nginx image"), "KiB")
    if errors:
        raise UserError(f"wrk saw {errors} socket errors or non-2xx responses (see the lines above)")
    return 0
