"""`unikit package`: an image made deployable elsewhere.

  --oci DIR / --oci-archive FILE  an OCI image (image-spec 1.1 layout: oci-layout,
      index.json, blobs/sha256/...) with one layer holding the kernel image, the
      initrd and urunc.json, and the annotations urunc reads (com.urunc.unikernel.*)
      plus unikit's own (org.unikit.*), on the manifest, in the config's labels
      and in /urunc.json (base64 values; for runtimes that drop annotations).
  --disk FILE [--size N] [--qcow2]  a GPT disk that boots the image with GRUB
      (BIOS and UEFI) through multiboot2 (disk.py).

Everything is written to a temporary name first and renamed at the end, so a
failure leaves no half-written output behind."""
import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import tarfile
import tempfile

from .build import app_build, build, image_info, is_app_dir
from .errors import UserError, say
from .initrd import initrd_file

ELF_MAGIC = b"\x7fELF"
# where the layer puts things (paths inside the container's rootfs)
KERNEL_PATH = "/unikernel/kernel"
INITRD_PATH = "/unikernel/initrd"

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
GOARCH = {"x86_64": "amd64", "arm64": "arm64"}


def resolve_kvm_image(a):
    """The kvm image to package: an image file or NAME.images manifest, an
    example's name, or an application directory."""
    t = a.target
    if os.path.isfile(t):
        if t.endswith(".images"):
            from .check import images_of
            image = os.path.abspath(images_of(t, "kvm")[0])
        else:
            image = os.path.abspath(t)
    elif "/" in t or t.startswith("."):
        if not os.path.exists(t):
            raise UserError(f"image not found: {t} (give an image file, its NAME.images, an "
                            f"example's name or an application directory)")
        image = app_build(t, "kvm", a.arch, a.toolchain, name=a.name)
    elif is_app_dir(t):
        image = app_build(t, "kvm", a.arch, a.toolchain, name=a.name)
    else:
        image = build(t, "kvm", a.arch, a.toolchain)
    check_kvm_image(image)
    return image


def check_kvm_image(image):
    try:
        with open(image, "rb") as f:
            head = f.read(64)
    except OSError as e:
        raise UserError(f"cannot read the image {image}: {e.strerror}")
    if head[:4] != ELF_MAGIC:
        raise UserError(f"{image}: unknown format (not an ELF file): `unikit package` takes a "
                        f"unikit kvm image (what `unikit build APP` prints)")
    info = image_info(image)
    if info is None:
        raise UserError(f"{image}: an ELF file without the {os.path.basename(image)}.json that "
                        f"mkimage writes next to unikit images: not a unikit image")
    if info.get("platform") != "kvm":
        raise UserError(f"{image}: a {info.get('platform')} image; only kvm images boot in a "
                        f"VM (build the app with --plat kvm)")
    return info


def kernel_cmdline(a):
    from .qemu import quote_args
    if a.cmdline is not None and a.args:
        raise UserError("--cmdline replaces the app arguments: give one or the other")
    return a.cmdline if a.cmdline is not None else quote_args(a.args)


# ---------------------------------------------------------------- OCI
def _blob(blobs, data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, d), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + d, "size": len(data)}


def _tar_add(tar, path, data, mode=0o644):
    ti = tarfile.TarInfo(path.lstrip("/"))
    ti.size, ti.mode, ti.mtime = len(data), mode, 0
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = "root"
    tar.addfile(ti, io.BytesIO(data))


def _tar_dir(tar, path):
    ti = tarfile.TarInfo(path.lstrip("/"))
    ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, 0
    tar.addfile(ti)


MB2_MAGIC = 0xE85250D6


def boot_protocols(image):
    """What can boot the image: PVH (the ELF note every kvm image has) and
    multiboot2 when its header is in the first 32 KiB (where GRUB looks)."""
    with open(image, "rb") as f:
        head = f.read(32768)
    out = ["pvh"]
    for off in range(0, len(head) - 16, 8):
        magic, arch, length, csum = struct.unpack_from("<IIII", head, off)
        if magic == MB2_MAGIC and (magic + arch + length + csum) & 0xFFFFFFFF == 0:
            out.append("multiboot2")
            break
    return out


def annotations(image, info, cmdline, initrd, hypervisor, utype):
    ann = {
        "com.urunc.unikernel.unikernelType": utype,
        "com.urunc.unikernel.hypervisor": hypervisor,
        "com.urunc.unikernel.binary": KERNEL_PATH,
        "com.urunc.unikernel.cmdline": cmdline,
    }
    if initrd:
        ann["com.urunc.unikernel.initrd"] = INITRD_PATH
    ann.update({
        "org.unikit.app": info.get("app", os.path.basename(image).rsplit("_", 1)[0]),
        "org.unikit.platform": info.get("platform", "kvm"),
        "org.unikit.arch": info.get("arch", "x86_64"),
        "org.unikit.boot": ",".join(boot_protocols(image)),
        "org.unikit.image.sha256": hashlib.sha256(open(image, "rb").read()).hexdigest(),
        "org.opencontainers.image.title": os.path.basename(image),
    })
    return ann


def write_oci_layout(out, image, info, cmdline, initrd, tag, hypervisor, utype):
    """An OCI layout in the (new, empty) directory `out`."""
    blobs = os.path.join(out, "blobs", "sha256")
    os.makedirs(blobs)
    ann = annotations(image, info, cmdline, initrd, hypervisor, utype)
    urunc = {k: base64.b64encode(v.encode()).decode() for k, v in ann.items()
             if k.startswith("com.urunc.")}
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        _tar_dir(tar, "unikernel")
        _tar_add(tar, KERNEL_PATH, open(image, "rb").read(), 0o755)
        if initrd:
            _tar_add(tar, INITRD_PATH, open(initrd, "rb").read())
        _tar_add(tar, "/urunc.json", json.dumps(urunc, indent=1, sort_keys=True).encode() + b"\n")
    raw = raw.getvalue()
    gz = gzip.compress(raw, mtime=0)
    layer = dict(mediaType=MT_LAYER, **_blob(blobs, gz))
    arch = GOARCH.get(info.get("arch", "x86_64"), info.get("arch"))
    config = {
        "architecture": arch, "os": "linux",
        "config": {"Labels": ann, "Cmd": [KERNEL_PATH] + ([cmdline] if cmdline else [])},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw).hexdigest()]},
        "history": [{"created_by": "unikit package", "comment": os.path.basename(image)}],
    }
    cfg = dict(mediaType=MT_CONFIG, **_blob(blobs, json.dumps(config, sort_keys=True).encode()))
    manifest = {"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": cfg, "layers": [layer],
                "annotations": ann}
    mdesc = dict(mediaType=MT_MANIFEST, **_blob(blobs, json.dumps(manifest, sort_keys=True).encode()))
    mdesc["platform"] = {"architecture": arch, "os": "linux"}
    mdesc["annotations"] = {"org.opencontainers.image.ref.name": tag}
    index = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [mdesc]}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    return len(gz)


def cmd_oci(a, image, info, cmdline, initrd):
    dest = os.path.abspath(a.oci or a.oci_archive)
    if os.path.exists(dest) and not a.force:
        if a.oci and os.path.isdir(dest) and not os.listdir(dest):
            pass  # an empty directory is fine
        else:
            raise UserError(f"{dest} exists; remove it or pass --force to replace it")
    parent = os.path.dirname(dest)
    if not os.path.isdir(parent):
        raise UserError(f"{parent}: no such directory")
    tmp = tempfile.mkdtemp(prefix=".unikit-oci-", dir=parent)
    try:
        layout = os.path.join(tmp, "layout")
        n = write_oci_layout(layout, image, info, cmdline, initrd, a.tag, a.hypervisor,
                             a.unikernel_type)
        if a.oci:
            if os.path.exists(dest):
                shutil.rmtree(dest) if os.path.isdir(dest) else os.unlink(dest)
            os.rename(layout, dest)
        else:
            arch = os.path.join(tmp, "image.tar")
            with tarfile.open(arch, "w", format=tarfile.PAX_FORMAT) as tar:
                for root, dirs, files in os.walk(layout):
                    dirs.sort()
                    for name in sorted(files):
                        p = os.path.join(root, name)
                        ti = tar.gettarinfo(p, os.path.relpath(p, layout))
                        ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = 0, 0, 0, "root", "root"
                        with open(p, "rb") as f:
                            tar.addfile(ti, f)
            if os.path.isdir(dest):
                raise UserError(f"--oci-archive {dest} is a directory")
            os.replace(arch, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kind = "OCI layout" if a.oci else "OCI archive"
    say(f"{kind} {dest}: tag {a.tag}, layer {n} bytes (kernel {KERNEL_PATH}"
        f"{', initrd ' + INITRD_PATH if initrd else ''})")
    print(dest)
    return 0


def cmd_package(a):
    outs = [x for x in (a.oci, a.oci_archive, a.disk) if x]
    if len(outs) != 1:
        raise UserError("say what to make: one of --oci DIR, --oci-archive FILE, --disk FILE")
    if (a.size or a.qcow2) and not a.disk:
        raise UserError("--size and --qcow2 go with --disk")
    image = resolve_kvm_image(a)
    info = check_kvm_image(image)
    cmdline = kernel_cmdline(a)
    initrd = initrd_file(a.initrd) if a.initrd else None
    if a.disk:
        from . import disk
        return disk.cmd_disk(a, image, info, cmdline, initrd)
    return cmd_oci(a, image, info, cmdline, initrd)


def add_parser(sub, target_opts):
    s = sub.add_parser("package", help="an OCI image (for containerd + urunc) or a bootable GPT "
                                       "disk (GRUB, BIOS and UEFI) from an app's kvm image")
    s.add_argument("target", help="an example's name, an application directory, a kvm image or "
                                  "its NAME.images manifest")
    s.add_argument("--name", help="which image, when an application directory registers several")
    target_opts(s)
    s.add_argument("--oci", metavar="DIR", help="write an OCI image layout into DIR")
    s.add_argument("--oci-archive", metavar="FILE", help="write an OCI layout as one tar file")
    s.add_argument("--tag", default="latest", help="the OCI reference name (default latest)")
    s.add_argument("--hypervisor", default="qemu", choices=("qemu", "firecracker", "cloud-hypervisor"),
                   help="com.urunc.unikernel.hypervisor (default qemu)")
    s.add_argument("--unikernel-type", default="unikit",
                   help="com.urunc.unikernel.unikernelType (default unikit)")
    s.add_argument("--disk", metavar="FILE", help="write a bootable GPT disk image")
    s.add_argument("--size", help="with --disk: the disk's size, e.g. 64M (default: just enough)")
    s.add_argument("--qcow2", action="store_true", help="with --disk: qcow2 (qemu-img) instead of raw")
    s.add_argument("--initrd", metavar="DIR_OR_CPIO", help="an initrd to ship with the image")
    s.add_argument("--cmdline", help="the raw kernel command line (instead of app arguments)")
    s.add_argument("--force", action="store_true", help="replace the output if it exists")
    s.add_argument("args", nargs="*", default=[], help="-- then the app's arguments")
    s.set_defaults(fn=lambda a: cmd_package(a))
