#!/usr/bin/env python3
"""`unikit package IMAGE --oci DIR` read back by Debian's OCI tools.

oci_check.py UNIKIT IMAGE WORKDIR
skopeo reads the layout and the archive (manifest annotations, config
labels); `skopeo copy` re-reads every blob against its digest; umoci
unpacks it (digests checked again) into a runtime bundle whose rootfs holds
the very kernel image, the initrd and urunc.json (base64 values), and whose
config.json carries the annotations (what urunc reads). Exit 77 when skopeo
or umoci is missing."""
import base64
import json
import os
import shutil
import subprocess
import sys


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        print(f"FAIL: {' '.join(cmd)} exited {p.returncode}\n{p.stdout}{p.stderr}")
        sys.exit(1)
    return p.stdout


def main():
    unikit, image, work = sys.argv[1:4]
    for tool, pkg in (("skopeo", "skopeo"), ("umoci", "umoci")):
        if not shutil.which(tool):
            print(f"SKIP: {tool} missing (apt-get install {pkg})")
            return 77
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    rootdir = os.path.join(work, "root")
    os.makedirs(os.path.join(rootdir, "etc"))
    with open(os.path.join(rootdir, "etc", "motd"), "w") as f:
        f.write("from the initrd\n")
    layout = os.path.join(work, "oci")
    out = run([sys.executable, unikit, "package", image, "--oci", layout, "--tag", "v1",
               "--initrd", rootdir, "--", "one", "two words"])
    print(out.strip())
    want = {
        "com.urunc.unikernel.unikernelType": "unikit",
        "com.urunc.unikernel.hypervisor": "qemu",
        "com.urunc.unikernel.binary": "/unikernel/kernel",
        "com.urunc.unikernel.initrd": "/unikernel/initrd",
        "com.urunc.unikernel.cmdline": "'one' 'two words'",
        "org.unikit.platform": "kvm",
        "org.unikit.arch": "x86_64",
    }
    problems = []

    def check(where, got, prefix=""):
        for k, v in want.items():
            if not k.startswith(prefix):
                continue
            if got.get(k) != v:
                problems.append(f"{where}: {k} is {got.get(k)!r}, expected {v!r}")

    manifest = json.loads(run(["skopeo", "inspect", "--raw", f"oci:{layout}:v1"]))
    check("manifest annotations (skopeo inspect --raw)", manifest.get("annotations", {}))
    if manifest.get("mediaType") != "application/vnd.oci.image.manifest.v1+json":
        problems.append(f"manifest mediaType {manifest.get('mediaType')}")
    info = json.loads(run(["skopeo", "inspect", f"oci:{layout}:v1"]))
    check("config labels (skopeo inspect)", info.get("Labels") or {})
    if (info.get("Architecture"), info.get("Os")) != ("amd64", "linux"):
        problems.append(f"platform {info.get('Architecture')}/{info.get('Os')}, expected amd64/linux")
    sha = __import__("hashlib").sha256(open(image, "rb").read()).hexdigest()
    if (info.get("Labels") or {}).get("org.unikit.image.sha256") != sha:
        problems.append("org.unikit.image.sha256 is not the image's sha256")
    # every blob re-read and checked against its digest
    run(["skopeo", "copy", "-q", f"oci:{layout}:v1", f"oci:{work}/copy:v1"])
    bundle = os.path.join(work, "bundle")
    run(["umoci", "unpack", "--rootless", "--image", f"{layout}:v1", bundle])
    rootfs = os.path.join(bundle, "rootfs")
    if open(os.path.join(rootfs, "unikernel", "kernel"), "rb").read() != open(image, "rb").read():
        problems.append("rootfs/unikernel/kernel differs from the image")
    if not os.access(os.path.join(rootfs, "unikernel", "kernel"), os.X_OK):
        problems.append("rootfs/unikernel/kernel is not executable")
    initrd = open(os.path.join(rootfs, "unikernel", "initrd"), "rb").read()
    if not initrd.startswith(b"070701") or b"from the initrd" not in initrd:
        problems.append("rootfs/unikernel/initrd is not the cpio of the directory")
    uj = json.load(open(os.path.join(rootfs, "urunc.json")))
    check("rootfs/urunc.json (base64)", {k: base64.b64decode(v).decode() for k, v in uj.items()},
          "com.urunc.")
    spec = json.load(open(os.path.join(bundle, "config.json")))
    check("bundle config.json annotations (umoci unpack)", spec.get("annotations", {}))
    # the same as one archive
    arch = os.path.join(work, "image.tar")
    run([sys.executable, unikit, "package", image, "--oci-archive", arch, "--initrd", rootdir,
         "--", "one", "two words"])
    m2 = json.loads(run(["skopeo", "inspect", "--raw", f"oci-archive:{arch}"]))
    check("archive manifest (skopeo inspect oci-archive:)", m2.get("annotations", {}))
    if m2 != manifest:
        problems.append("the archive's manifest differs from the layout's (same input)")
    for p in problems:
        print("FAIL: " + p)
    if not problems:
        print(f"OK: layout and archive read back by skopeo and umoci; "
              f"{len(want)} annotations checked in 5 places")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
