"""Benchmarks behind `./unikit bench [NAME]`.

Every figure is printed as one line `bench: NAME.METRIC VALUE UNIT`, so tools
can read it. Ratios are always against a baseline measured in the same run
with the same accelerator: these machines are shared and noisy.
"""
from ..errors import UserError


def emit(name, value, unit):
    if isinstance(value, float):
        value = f"{value:.3f}"
    print(f"bench: {name} {value} {unit}", flush=True)


def benches():
    from . import blk, core, density, http, nginx, ports, redis, sqlite
    return {"boot": core.bench_boot, "alloc": core.bench_alloc, "sched": core.bench_sched,
            "syscall": core.bench_syscall, "http": http.bench_http, "blk": blk.bench_blk,
            "sqlite": sqlite.bench_sqlite, "ports": ports.bench_ports,
            "density": density.bench_density, "nginx": nginx.bench_nginx,
            "redis": redis.bench_redis}


# the benchmarks that measure another architecture's images than x86_64's
ARCH_BENCHES = {"boot"}


def main(names, arch="x86_64"):
    known = benches()
    if arch != "x86_64":
        if not names:
            names = sorted(ARCH_BENCHES)
        other = [n for n in names if n in known and n not in ARCH_BENCHES]
        if other:
            raise UserError(f"--arch {arch}: only {', '.join(sorted(ARCH_BENCHES))} measures "
                            f"{arch} images; not {', '.join(other)}")
    names = names or list(known)
    for n in names:
        if n not in known:
            raise UserError(f"unknown benchmark '{n}'; known: {', '.join(known)}")
    rc = 0
    for n in names:
        print(f"# benchmark {n}" + (f" ({arch})" if arch != "x86_64" else ""), flush=True)
        fn = known[n]
        rc |= run_one(n, (lambda fn=fn: fn(arch)) if n in ARCH_BENCHES else fn)
    return rc


def run_one(name, fn):
    """One benchmark; whatever stops it becomes one line naming it (a
    UserError already is one), never a traceback."""
    import subprocess
    from ..linuxvm import VMError
    try:
        return fn()
    except UserError as e:
        raise UserError(f"bench {name}: {e}") from None
    except (VMError, RuntimeError, OSError, ValueError, subprocess.SubprocessError) as e:
        raise UserError(f"bench {name}: {type(e).__name__}: {e}") from None
