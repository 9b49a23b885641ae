"""The command line: one parser per command, each calling an action in the
package's modules. `main()` is what ./unikit runs."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

from . import ROOT, check, debug, fuzz, new, package, pool, run, size, sources, targets
from .build import app_build, app_configure, build, configure, is_app_dir, run_checked, stop_idle
from .errors import UserError, say
from .host import NEEDED, SETUP_GROUPS, apt_line, missing_packages, require
from .initrd import cpio_newc

# platforms and architectures: the targets table (platforms/targets.txt)
ARCHES = targets.arches()
PLATS = targets.platforms()
TOOLCHAINS = ("gcc", "clang")


LIBDIRS = [("libs", None), ("platforms", None), ("archs", None)]


def cmd_list(a):
    rows = pool.libraries()
    print("libraries (requires: what an image that links it must also link):")
    for r in rows:
        extra = ""
        if r["platforms"]:
            extra += f" [{'/'.join(r['platforms'])} only]"
        if r["libcs"]:
            extra += f" [libc {'/'.join(r['libcs'])}]"
        print(f"  {r['name']:<14} {r['path']:<20} requires: {', '.join(r['requires']) or '-':<40} "
              f"{r['desc']}{extra}")
    print("features (what apps name in mkimage --needs; @name: chosen by an option or the platform):")
    for f, members in pool.features().items():
        print(f"  {f:<14} {', '.join(members)}")
    return 0


def cmd_build(a):
    if is_app_dir(a.app):
        img = app_build(a.app, a.plat or "kvm", a.arch, a.toolchain, options=a.define or (),
                        name=a.name)
    else:
        img = build(a.app, a.plat or "kvm", a.arch, a.toolchain, options=a.define or ())
    sizef = img + ".size"
    if os.path.exists(sizef):
        total = open(sizef).read().splitlines()[-3]
        say(total)
    print(img)
    return 0


def cmd_cpio(a):
    if not os.path.isdir(a.dir):
        raise UserError(f"not a directory: {a.dir}")
    data = cpio_newc(a.dir)
    with open(a.out, "wb") as f:
        f.write(data)
    say(f"{a.out}: {len(data)} bytes")
    return 0


def cmd_test_app(a):
    """`unikit test DIR`: an application directory's own `meson test`."""
    bdir = app_configure(a.dir, a.toolchain, a.arch)
    say(f"building {a.dir} ...")
    run_checked(["ninja", "-C", bdir], "ninja", quiet=True)
    return subprocess.run(["meson", "test", "-C", bdir, "--print-errorlogs"] + a.meson_args).returncode


def cmd_test(a):
    if a.dir:
        return cmd_test_app(a)
    try:
        return test_all(a)
    finally:
        stop_idle()  # a background build left by an error or Ctrl-C


def test_all(a):
    """`unikit test`: every build directory and its suites."""
    require("build", "run", "clang", "lint")
    # each phase's time, printed as it ends: what CI's time budget is spent on
    clock = [time.monotonic()]

    def lap(what):
        now = time.monotonic()
        say(f"{what}: {now - clock[0]:.0f} s")
        clock[0] = now

    # A build that fails does not stop the others: its suites are not run,
    # it counts as a failure, and the next build still tells what it can.
    broken, codes = [], []

    def build_dir(label, toolchain, make_dir, nice=False):
        """Configure and build one directory: the directory, or None when it
        could not be built."""
        try:
            d = make_dir()
            say(f"building ({toolchain}){' in the background' if nice else ''} ...")
            run_checked(["ninja", "-C", d], "ninja", quiet=True, nice=nice)
            return d
        except UserError as e:
            say(f"the {label} build FAILED ({e}); its tests are not run, the other builds go on")
            broken.append(label)
            return None

    def run_tests(label, d, what, suite_args):
        say(f"running {what} of the {label} build")
        t = subprocess.run(["meson", "test", "-C", d, "--print-errorlogs", "--num-processes", "2"]
                           + suite_args)
        codes.append(t.returncode)
        lap(f"{label} tests")

    # the second and later builds run the boot suite only: the ports
    # (examples/port-*) are tested in the gcc build (their LTO links are most
    # of a build's time, and CI has 45 minutes) and the native unit tests are
    # the same programs in every build directory
    quick = ["werror=true", "ports=false", "unit_tests=false"]
    boot = ["--suite", "boot", "--no-suite", "long"]
    others = []  # (label, toolchain, make_dir); built in the background, each runs boot
    if not a.gcc_only:
        others.append(("clang", "clang + lld",
                       lambda: configure("clang", options=quick + ["libc=musl"], nice=True)))
    # newlib, the other libc: its own build directory
    others.append(("newlib", "gcc, newlib",
                   lambda: configure("gcc", variant="-newlib", options=quick + ["libc=newlib"],
                                     nice=True)))
    # the other architectures of the targets table: each its own build
    # directory (build/aarch64-gcc); without the cross compiler or the QEMU
    # its suite is skipped, with the reason
    skips = []
    for arch in ARCHES:
        if arch == "x86_64":
            continue
        tools = [t for t in ["build-" + arch, "run-" + arch] if t in NEEDED]
        pkgs = missing_packages(tools)
        if pkgs:
            skips.append((f"{targets.cpu(arch)}-gcc", f"boot suite of {arch}", {"boot"}, True,
                          f"SKIP: no {arch} toolchain or QEMU (apt-get install "
                          f"{' '.join(sorted(set(pkgs)))}; ./unikit setup installs them)"))
            continue
        others.append((arch, f"gcc, {arch}",
                       lambda arch=arch: configure("gcc", arch=arch, options=quick + ["libc=musl"],
                                                   nice=True)))

    # CI treats warnings as errors. The gcc build is configured first (it
    # unpacks every subproject the others use), then built and tested in
    # the foreground.
    try:
        gcc_dir = configure("gcc", options=["werror=true", "libc=musl"])
    except UserError as e:
        say(f"the gcc build FAILED ({e}); its tests are not run, the other builds go on")
        broken.append("gcc")
        gcc_dir = None
    # The other builds are made meanwhile, one after another, at the lowest
    # CPU priority (build.run_idle): they take the CPU time the gcc build
    # and tests leave idle (a boot test runs one QEMU, and tests that need
    # the machine to themselves run alone), not the tests' share.
    say("quick mode: the " + ", ".join(o[0] for o in others) + " builds run the boot suite "
        "without the ports (-Dports=false; `unikit bench ports` builds them with both libcs), "
        "without building the native unit tests again (-Dunit_tests=false: the gcc build "
        "ran them) and without suite long (the 10,000-file storage runs: the gcc build runs "
        "them; the smaller storage runs are in every build); they are built in the background "
        "at the lowest CPU priority (nice 19, in a session whose autogroup has nice 19) while "
        "the gcc build and its tests run")
    built = {}
    done = {o[0]: threading.Event() for o in others}

    def background():
        for label, toolchain, make_dir in others:
            t, d = time.monotonic(), None
            try:
                d = build_dir(label, toolchain, make_dir, nice=True)
            except Exception as e:  # noqa: BLE001 - the main thread reports it
                say(f"the {label} build FAILED ({e!r}); its tests are not run")
                broken.append(label)
            built[label] = (d, time.monotonic() - t)
            done[label].set()

    threading.Thread(target=background, daemon=True).start()
    dirs = []
    if gcc_dir and build_dir("gcc", "gcc", lambda: gcc_dir):
        lap("gcc build")
        run_tests("gcc", gcc_dir, "every suite (unit, sanitize, boot, posix, cli, standalone, lint)",
                  list(a.meson_args))
        dirs.append(gcc_dir)
    else:
        lap("gcc build")
    for label, _, _ in others:
        done[label].wait()
        d, took = built[label]
        lap(f"{label} build: {took:.0f} s in the background; waited")
        if d:
            run_tests(label, d, "the boot suite", boot)
            dirs.append(d)
    rc = 1 if any(codes) or broken else 0
    passed, failed = 0, len(broken)
    for d in [d for d in dirs if d]:
        try:
            p, f, sk = read_testlog(os.path.join(d, "meson-logs", "testlog.json"))
        except (OSError, ValueError) as e:
            say(f"{os.path.relpath(d, ROOT)}: no readable test log ({e})")
            failed += 1
            continue
        passed, failed = passed + p, failed + f
        skips += [(os.path.basename(d),) + x for x in sk]
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    lines, passed, failed, skipped, bad = summarize_skips(skips, passed, failed, ci)
    for l in lines:
        print(l)
    rc |= bad
    if broken:
        say(f"builds that failed: {' '.join(broken)}")
    say("all tests passed" if rc == 0 and not failed else "some tests FAILED (see above)")
    print(f"test: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if rc or failed else 0


def summarize_skips(skips, passed, failed, ci):
    """Lines naming every skip and why; in CI (`ci`) a skip in a suite the
    README promises counts as a failure. Returns (lines, passed, failed,
    skipped, rc)."""
    lines = []
    promised = [x for x in skips if x[2] & PROMISED_SUITES]
    if skips:
        lines.append(f"skipped ({len(skips)}):")
        for build, name, suites, whole, why in skips:
            lines.append(f"  {build}: {name} [{', '.join(sorted(suites))}]: "
                         f"{'skipped' if whole else 'partly skipped'}: {why}")
    skipped = sum(1 for x in skips if x[3])
    rc = 0
    if ci and promised:
        lines.append(f"CI: {len(promised)} of these are in suites the README promises "
                     f"({', '.join(sorted(PROMISED_SUITES))}): in CI a skip is a failure")
        whole = sum(1 for x in promised if x[3])
        passed -= len(promised) - whole  # partly skipped tests had passed
        skipped -= whole
        failed += len(promised)
        rc = 1
    return lines, passed, failed, skipped, rc


# the suites the README's `./unikit test` promises
PROMISED_SUITES = {"unit", "sanitize", "boot", "posix", "standalone", "cli", "lint"}


def skip_reason(stdout):
    """What a test said about its skip: its last line that starts with SKIP
    or with "PROGRAM: SKIP". Only at the start of a line: a test that prints
    other tests' skip reports (the summary's own test) is not skipping."""
    lines = [l.strip() for l in (stdout or "").splitlines() if re.match(r"(\S+: )?SKIP\b", l)]
    return lines[-1] if lines else None


def read_testlog(path):
    """(passed, failed, skips) from a Meson testlog.json; a skip is (name,
    suites, whole, why): whole tests that exited 77, and tests that passed
    but said they left a part out (a line with SKIP)."""
    passed = failed = 0
    skips = []
    with open(path) as f:
        for line in f:
            t = json.loads(line)
            r = t.get("result")
            name = t.get("name", "?")
            # Meson names a test "project:suite / name" (its first suite)
            suites = {x.split(":")[-1] for x in t.get("suite", [])} or \
                ({name.split(" / ")[0].split(":")[-1]} if " / " in name else set())
            why = skip_reason(t.get("stdout"))
            if r in ("OK", "EXPECTEDFAIL"):
                passed += 1
                if why:
                    skips.append((name, suites, False, why))
            elif r == "SKIP":
                skips.append((name, suites, True, why or "exit 77, no reason printed"))
            else:
                failed += 1
    return passed, failed, skips


def cmd_setup(a):
    pkgs = missing_packages(SETUP_GROUPS)
    if pkgs:
        if os.geteuid() != 0 and not shutil.which("sudo"):
            raise UserError("missing packages and no root: run as root:\n    " + apt_line(pkgs))
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        say("installing: " + " ".join(sorted(set(pkgs))))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run_checked(sudo + ["apt-get", "update", "-q"], "apt-get update", quiet=True, env=env)
        run_checked(sudo + ["apt-get", "install", "-y", "-q", "--no-install-recommends"] + sorted(set(pkgs)),
                    "apt-get install", quiet=True, env=env)
    else:
        say("all needed packages are installed")
    missing = sources.missing_sources()
    if missing:
        # third-party sources a configure may need (musl for -Dlibc=musl):
        # from Debian's source packages, since upstream may be unreachable
        say("fetching sources: " + ", ".join(missing))
        if os.geteuid() == 0:
            rc = sources.cmd_fetch_sources(argparse.Namespace())
        elif shutil.which("sudo"):
            rc = subprocess.run(["sudo", sys.executable, os.path.join(ROOT, "unikit"),
                                 "fetch-sources"]).returncode
        else:
            rc = 1
        if rc:
            say("could not fetch " + ", ".join(missing) + ": run `./unikit fetch-sources` as root "
                "(builds that need them will fail to configure)")
    ra = argparse.Namespace(app="helloworld", image=None, plat="kvm", arch="x86_64", toolchain="gcc",
                            machine="microvm", mem="64M", accel="auto", timeout=120, gdb=False,
                            verbose=False, args=[], expect_status=None, no_debug_exit=False,
                            cmdline=None, net=False)
    return run.cmd_run(ra)


def cmd_bench(a):
    from . import bench
    return bench.main(a.names, a.arch)


def main(argv=None):
    p = argparse.ArgumentParser(prog="unikit", description="unikit: build, run, test and measure unikernel images.")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND")

    s = sub.add_parser("setup", help="install what is missing (apt-get), build and boot helloworld")
    s.set_defaults(fn=cmd_setup)

    s = sub.add_parser("list", help="the libraries, one line each, with their dependencies")
    s.set_defaults(fn=cmd_list)

    def target_opts(s):
        s.add_argument("--plat", choices=PLATS)
        s.add_argument("--arch", choices=ARCHES, default="x86_64")
        s.add_argument("--toolchain", choices=TOOLCHAINS, default="gcc")

    s = sub.add_parser("build", help="build an app image; the last line printed is its path")
    s.add_argument("app", help="an example's name, or an application directory (a path)")
    s.add_argument("--name", help="which image, when an application directory registers several")
    target_opts(s)
    s.add_argument("-D", dest="define", action="append", metavar="OPTION=VALUE",
                   help="meson option for the build directory (see meson_options.txt)")
    s.set_defaults(fn=cmd_build)

    s = sub.add_parser("run", help="build if needed and boot an app; exits with the app's status")
    s.add_argument("app", nargs="?", help="an example's name, or an application directory (a path)")
    s.add_argument("--name", help="which image, when an application directory registers several")
    s.add_argument("--image", help="boot this image instead of building an app")
    target_opts(s)
    s.add_argument("--machine", default=None,
                   help="QEMU machine: x86_64 microvm (default), q35 or pc; arm64 virt (default, "
                        "e.g. virt,gic-version=3); optionally with properties "
                        "(microvm,pit=off,pic=off)")
    s.add_argument("--mem", default="64M", help="guest RAM, e.g. 2M, 64M, 1G (default 64M)")
    s.add_argument("--accel", choices=("auto", "kvm", "tcg"), default="auto")
    s.add_argument("--timeout", type=float, default=None, help="kill the guest after this many seconds")
    s.add_argument("--gdb", action="store_true", help="start halted, with a gdb stub on :1234")
    s.add_argument("--no-debug-exit", action="store_true",
                   help="leave out the exit device (x86_64 isa-debug-exit, arm64 semihosting): "
                        "the guest must power itself off")
    s.add_argument("--cmdline", help="raw kernel command line (kvm), instead of quoted app arguments")
    s.add_argument("--expect-status", type=int, help="exit 0 only if the app returns this status")
    s.add_argument("--initrd", metavar="DIR_OR_CPIO",
                   help="root filesystem for the image: a directory (packed as cpio newc) or a cpio file")
    s.add_argument("--net", action="store_true",
                   help="virtio-net on a tap device in a private network namespace (root): guest "
                        "10.77.0.2/24, host 10.77.0.1; passes net.ip=/net.gw= to the image")
    s.add_argument("--net-legacy", action="store_true",
                   help="with --net: a legacy virtio device (pci: disable-modern=on; "
                        "microvm: virtio-mmio version 1)")
    s.add_argument("--net-exec", metavar="SHELL_COMMAND",
                   help="with --net: once the guest printed --net-ready, run this inside the "
                        "namespace, stop the guest, exit with the command's status")
    s.add_argument("--net-ready", metavar="REGEX", default="listening",
                   help="with --net-exec: the console line to wait for (default: listening)")
    s.add_argument("--disk", action="append", metavar="FILE[,ro][,mount=PATH]",
                   help="a virtio-blk disk (mmio on microvm, pci on q35/pc): vda, vdb, ... in "
                        "order; mount=PATH mounts it as ext2 there (vfs.mount=ext2:vdX:PATH)")
    s.add_argument("--share", action="append", metavar="HOSTDIR[:GUESTPATH]",
                   help="a host directory over virtio-9p, mounted at GUESTPATH (default /share) "
                        "by 9pfs (vfs.mount=9pfs:shareN:GUESTPATH)")
    s.add_argument("--crash-dump", metavar="FILE",
                   help="a second serial port (COM2) into FILE: a kvm image that crashes writes "
                        "its registers, stack and data there (`unikit debug --core FILE` opens it)")
    s.add_argument("-v", "--verbose", action="store_true", help="print the qemu command line")
    s.add_argument("args", nargs="*", default=[], help="-- then the app's arguments")
    s.set_defaults(fn=run.cmd_run)

    s = sub.add_parser("test", help="build everything and run every test suite; with DIR, an "
                                    "application directory's own tests")
    s.add_argument("dir", nargs="?", help="an application directory (default: unikit itself)")
    s.add_argument("--gcc-only", action="store_true", help="skip the clang + lld build")
    s.add_argument("--arch", choices=ARCHES, default="x86_64")
    s.add_argument("--toolchain", choices=TOOLCHAINS, default="gcc")
    s.add_argument("meson_args", nargs="*", default=[], help="-- then extra `meson test` arguments")
    s.set_defaults(fn=cmd_test)

    check.add_parser(sub)
    debug.add_parser(sub, target_opts)
    package.add_parser(sub, target_opts)
    new.add_parser(sub)

    s = sub.add_parser("cpio", help="pack a directory as a cpio newc archive (what --initrd does)")
    s.add_argument("dir")
    s.add_argument("out")
    s.set_defaults(fn=cmd_cpio)

    s = sub.add_parser("mkdisk", help="an ext2 disk image from a directory (e2fsprogs' mke2fs -d)")
    s.add_argument("dir")
    s.add_argument("file")
    s.add_argument("--size", help="image size, e.g. 64M, 2G (default: 1.5 x the tree + 16 MiB)")
    s.add_argument("--force", action="store_true", help="replace FILE if it exists")
    s.set_defaults(fn=lambda a: __import__("unikit.storage", fromlist=["x"]).cmd_mkdisk(a))

    size.add_parser(sub)

    s = sub.add_parser("fetch-sources", help="third-party sources from Debian source packages (offline fallback)")
    s.add_argument("--plan", action="store_true",
                   help="fetch nothing: say where a configure takes each wrap's source from, and check "
                        "that every wrap's upstream is pinned (a real sha256 or a release tag)")
    s.add_argument("--no-debian", action="store_true",
                   help="with --plan: as on a machine that cannot reach Debian's source packages")
    s.add_argument("--subprojects", help="with --plan: the subprojects directory (default: unikit's)")
    s.set_defaults(fn=sources.cmd_fetch_sources)

    s = sub.add_parser("fuzz", help="build a libFuzzer target natively with clang and run it")
    s.add_argument("target", help="one of: " + ", ".join(sorted(fuzz.FUZZ_TARGETS)))
    s.add_argument("-runs", "--runs", type=int, default=100000,
                   help="executions (default 100000; -1: until stopped)")
    s.add_argument("-jobs", "--jobs", type=int, default=1,
                   help="parallel fuzzing processes, each doing -runs executions (default 1)")
    s.add_argument("--builddir", help="build directory (default build/fuzz/TARGET)")
    s.add_argument("fuzz_args", nargs="*", default=[], help="-- then extra libFuzzer flags")
    s.set_defaults(fn=fuzz.cmd_fuzz)

    s = sub.add_parser("bench", help="run benchmarks; prints `bench: NAME.METRIC VALUE UNIT` lines")
    s.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    s.add_argument("--arch", choices=ARCHES, default="x86_64",
                   help="the architecture of the images measured (arm64: boot only)")
    s.set_defaults(fn=cmd_bench)

    # Everything after the first "--" belongs to the app (or to meson test):
    # split it off before argparse, which would otherwise hand it to an
    # optional positional.
    argv = list(sys.argv[1:] if argv is None else argv)
    rest = []
    if "--" in argv:
        i = argv.index("--")
        argv, rest = argv[:i], argv[i + 1:]
    a = p.parse_args(argv)
    if hasattr(a, "args"):
        a.args = a.args + rest
    elif hasattr(a, "meson_args"):
        a.meson_args = a.meson_args + rest
    elif hasattr(a, "fuzz_args"):
        a.fuzz_args = a.fuzz_args + rest
    elif rest:
        p.error(f"'{a.cmd}' takes no arguments after --")
    if not a.cmd:
        p.print_help()
        return 2
    try:
        return a.fn(a)
    except UserError as e:
        say(f"error: {e}")
        return 2
    except KeyboardInterrupt:
        return 130


