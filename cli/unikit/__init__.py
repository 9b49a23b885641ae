"""unikit's command-line tool as a package: build, run, test and measure
unikernel images. A thin layer over meson, ninja and qemu; Python 3 standard
library only. The entry point is ./unikit at the repository root.

Modules (each with one job; commands live in cli.py and call into them):
  errors   UserError and the one-line message helper
  host     the Debian packages each group of commands needs
  targets  the table of platforms and architectures (platforms/targets.txt)
  check    `unikit check`: boot an app's images and check them (its meson test)
  build    configuring and building unikit's own tree and app repositories
  apps     finding the images an app registers (the .images manifests)
  qemu     accelerator choice, QEMU command lines, exit statuses
  initrd   cpio newc archives from directories
  debug    `unikit debug`: an image under gdb (QEMU's stub or gdb running linuxu);
           gdb/unikit.py holds the gdb helpers (uk-threads, uk-log)
  package  `unikit package`: OCI images for containerd + urunc; disk.py: bootable GPT disks
  core     crash dumps (`run --crash-dump`) as ELF cores for `debug --core`
  run      `unikit run`: boot an image under QEMU or as a Linux process
  netns    network namespaces with a tap device (`run --net`, tests, benches)
  linuxvm  the Debian-kernel Linux VM that benchmarks compare against
  sources  third-party sources from Debian source packages (offline fallback)
  size     size reports, `size --why` and the treemap picture
  new      `unikit new`: scaffold an application repository
  fuzz     libFuzzer targets
  bench/   `unikit bench NAME`
"""
import os

# the repository root (cli/unikit/__init__.py -> ../..)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# UNIKIT_BUILD_DIR: build directories somewhere else than build/
BUILD = os.environ.get("UNIKIT_BUILD_DIR") or os.path.join(ROOT, "build")
