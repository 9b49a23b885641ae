"""`./unikit bench ports`: the seed's table of 24 libraries, measured.

For every library the table below names an application repository under
examples/ and the image that stands for it (NAME_kvm-x86_64), or says why
there is none (no source reachable from here, not ported yet). For musl
(build/x86_64-gcc) and newlib (build/x86_64-gcc-newlib) each image is built
on its own (one failing does not hide the others) and booted once under
QEMU (microvm; KVM when it works, else TCG) with a smoke command whose
output must match.

Figures (`bench: NAME VALUE UNIT`):
  ports.<lib>.<libc>.image_bytes   the stripped kvm image
  ports.<lib>.<libc>.runs          1 when the smoke run printed what it must
  ports.built_musl, ports.built_newlib, ports.runs_musl, ports.runs_newlib
                                   how many of the 24
`--table` (UNIKIT_BENCH_PORTS_TABLE=1) also prints docs/ports.md's table.

Environment: UNIKIT_BENCH_PORTS_LIBCS (default "musl,newlib").
"""
import os
import re
import subprocess

from ..build import builddir, configure
from ..errors import UserError
from ..host import require
from ..qemu import choose_accel, probe_image_path, qemu_command, quote_args, run_qemu
from . import emit

# lib -> (example, image, smoke args, regex the output must match) or a reason
# string when there is no port. Seed sizes (MB, musl / newlib) where the seed
# published them.
PORTS = {
    "axtls": "no source reachable: not in Debian, upstream unreachable from here",
    "bzip2": ("port-bzip2", "bzip2", ["--help"], r"bzip2, a block-sorting file compressor"),
    "c-ares": ("port-c-ares", "ahost", ["localhost"], r"^localhost\s+127\.0\.0\.1$"),
    "duktape": ("port-duktape", "duk", ["-e", "print('duk', Duktape.version)"], r"^duk 20700"),
    "farmhash": "not ported: C++ (unikit has no C++ runtime yet; Debian ships farmhash)",
    "fft2d": "no source reachable: not in Debian (Ooura's FFT package), upstream unreachable "
             "from here",
    "helloworld": ("helloworld", "helloworld", ["hi"], r"Hello, world!"),
    "libucontext": "no source reachable: not in Debian, upstream unreachable from here",
    "libunwind": "not ported yet (Debian ships libunwind 1.6.2; images have no unwind tables)",
    "lighttpd": ("port-lighttpd", "lighttpd", ["-v"],
                 r"^lighttpd/1\.4\.69 - a light and fast webserver$"),
    "lighttpreply": "no source reachable: the seed's own demo app, never published "
                    "(examples/httpreply is unikit's own program of that kind, not counted)",
    "memcached": ("port-memcached", "memcached", ["-V"], r"^memcached 1\.6\.18$"),
    "micropython": "no source reachable: not in Debian, upstream unreachable from here",
    "nginx": ("port-nginx", "nginx", ["-v"], r"nginx version: nginx/1\.22\.1"),
    "open62541": "no source reachable: not in Debian, upstream unreachable from here",
    "openssl": "not ported yet (Debian ships openssl 3.0)",
    "pcre": ("port-pcre2", "pcre2test", ["-C"], r"PCRE2 version 10\.42"),
    "python": "not ported yet (Debian ships python3.11)",
    "redis-client": ("port-hiredis", "hiredis-test", [],
                     r"^#01 Format command without interpolation: \S*PASSED"),
    "redis-server": ("port-redis", "redis", ["--version"], r"^Redis server v=7\.0\.15 "),
    "ruby": "not ported yet (Debian ships ruby3.1)",
    "sqlite": ("port-sqlite", "sqlite3", [":memory:", "SELECT 'v' || sqlite_version();"],
               r"v3\.40\.1"),
    "zlib": ("port-zlib", "zlib-example", [], r"inflate with dictionary: hello, hello!"),
    "zydis": "no source reachable: Debian's zydis 4.0.0 lacks its zycore submodule and "
             "Debian's zycore-c cannot be fetched completely here",
}
SEED_MB = {"sqlite": (1.22, 1.31), "zlib": (0.348, 0.404), "helloworld": (0.232, 0.256)}


def build_one(bdir, app, image):
    """(path, None) or (None, why)"""
    target = f"subprojects/{app}/{image}.images"
    p = subprocess.run(["ninja", "-C", bdir, target], capture_output=True, text=True)
    path = os.path.join(bdir, "subprojects", app, f"{image}_kvm-x86_64")
    if p.returncode != 0 or not os.path.isfile(path):
        out = p.stdout + p.stderr
        if f"unknown target '{target}'" in out:
            return None, "the example refuses this libc (examples/meson.build says why)"
        errs = [l for l in out.splitlines() if re.search(r"\berror:|^FAILED: ", l)]
        errs.sort(key=lambda l: l.startswith("FAILED: "))  # the compiler's words first
        return None, (errs[0] if errs else (out.strip().splitlines() or ["?"])[-1])[:300]
    return path, None


def smoke(image, accel, args, rx):
    cmd = qemu_command(image, "microvm", 128 << 20, accel, quote_args(args))
    try:
        rc, out, err = run_qemu(cmd, 300, echo=False)
    except TimeoutError:
        return False
    return re.search(rx, out.replace("\r\n", "\n"), re.M) is not None and "CRASH" not in out


def table(results, libcs):
    lines = ["| library | port (examples/) | " + " | ".join(
        f"{l}: builds / runs / image" for l in libcs) + " | seed's image (musl / newlib) |",
        "|---|---|" + "---|" * len(libcs) + "---|"]
    for lib in sorted(PORTS):
        p = PORTS[lib]
        seed = SEED_MB.get(lib)
        seed_s = f"{seed[0]} MB / {seed[1]} MB" if seed else "not published"
        if isinstance(p, str):
            lines.append(f"| {lib} | {p} |" + " - |" * len(libcs) + f" {seed_s} |")
            continue
        cells = []
        for libc in libcs:
            r = results.get((lib, libc))
            if r is None:
                cells.append("not measured")
            elif r["bytes"] is None:
                cells.append(f"no: {r['why']}")
            else:
                cells.append(f"yes / {'yes' if r['runs'] else 'NO'} / {r['bytes'] / 1e6:.3f} MB")
        lines.append(f"| {lib} | {p[0]}: {p[1]} | " + " | ".join(cells) + f" | {seed_s} |")
    return "\n".join(lines)


def bench_ports(show_table=None):
    require("build", "run")
    libcs = [l.strip() for l in os.environ.get("UNIKIT_BENCH_PORTS_LIBCS", "musl,newlib").split(",")
             if l.strip()]
    if show_table is None:
        show_table = os.environ.get("UNIKIT_BENCH_PORTS_TABLE") == "1"
    accel, why = choose_accel("auto", probe_image_path("gcc"))
    print(f"# accelerator: {accel} ({why}); libcs: {', '.join(libcs)}", flush=True)
    results = {}
    for libc in libcs:
        if libc not in ("musl", "newlib"):
            raise UserError(f"bench ports: unknown libc '{libc}' (musl, newlib)")
        bdir = configure("gcc", variant="" if libc == "musl" else "-newlib",
                         options=[f"libc={libc}"])
        built = runs = 0
        for lib in sorted(PORTS):
            p = PORTS[lib]
            if isinstance(p, str):
                print(f"# ports.{lib}: {p}", flush=True)
                continue
            app, image, args, rx = p
            path, why_not = build_one(bdir, app, image)
            if path is None:
                print(f"# ports.{lib}.{libc}: not built: {why_not}", flush=True)
                results[(lib, libc)] = {"bytes": None, "why": why_not, "runs": False}
                continue
            ok = smoke(path, accel, args, rx)
            size = os.path.getsize(path)
            results[(lib, libc)] = {"bytes": size, "why": None, "runs": ok}
            emit(f"ports.{lib}.{libc}.image_bytes", size, "bytes")
            emit(f"ports.{lib}.{libc}.runs", 1 if ok else 0, "bool")
            built += 1
            runs += ok
        emit(f"ports.built_{libc}", built, "count")
        emit(f"ports.runs_{libc}", runs, "count")
    if show_table:
        print(table(results, libcs), flush=True)
    return 0
