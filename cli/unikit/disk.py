"""`unikit package APP --disk FILE`: a GPT disk that a PC or a cloud VM boots
the image from, with GRUB for BIOS and for UEFI, made without root (no loop
mounts): sgdisk writes the partition table into the file, mtools fill the
FAT file system, grub-mkimage makes both GRUB cores, and the BIOS boot code
is patched in the way grub-bios-setup does.

  partition 1  BIOS boot (ef02, 1 MiB): GRUB's i386-pc core.img, loaded by
               GRUB's boot.img in the protective MBR (SeaBIOS, legacy BIOS)
  partition 2  EFI system partition (ef00, FAT): /EFI/BOOT/BOOTX64.EFI (GRUB
               for x86_64 UEFI, the removable-media path firmware looks for),
               /boot/grub/grub.cfg, /boot/unikit/kernel (+ initrd)

Both GRUBs find the ESP by the kernel's path, read grub.cfg and boot the
image with `multiboot2` (the image's multiboot2 header and entry), the
command line in grub.cfg."""
import os
import shutil
import struct
import subprocess
import tempfile

from .errors import UserError, say
from .host import apt_line

MiB = 1 << 20
SECTOR = 512
BIOS_PART_START = 2048          # LBA, 1 MiB: where partitioning tools align
BIOS_PART_SECTORS = 2048        # 1 MiB for core.img
GRUB_PC = "/usr/lib/grub/i386-pc"
GRUB_EFI = "/usr/lib/grub/x86_64-efi"
# tool -> Debian package
TOOLS = {"sgdisk": "gdisk", "mformat": "mtools", "mcopy": "mtools", "mmd": "mtools",
         "grub-mkimage": "grub-common"}
# boot.img fields grub-bios-setup fills (GRUB's boot/i386/pc/boot.h)
BOOT_KERNEL_SECTOR = 0x5c
BOOT_DRIVE = 0x64
BOOT_DRIVE_CHECK = 0x66
MBR_CODE_END = 440              # disk signature and partition table follow
# diskboot.img's (first sector of core.img) block list, at its end
BLOCKLIST = SECTOR - 12
MODULES = ["part_gpt", "fat", "search", "search_fs_file", "configfile", "normal", "multiboot2",
           "echo", "test"]


def require_tools():
    missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
    if not os.path.isfile(os.path.join(GRUB_PC, "boot.img")):
        missing.append("grub-pc-bin")
    if not os.path.isfile(os.path.join(GRUB_EFI, "multiboot2.mod")):
        missing.append("grub-efi-amd64-bin")
    if missing:
        raise UserError("--disk needs GRUB and partitioning tools; install them with:\n    "
                        + apt_line(missing))


def parse_size(s):
    import re
    m = re.fullmatch(r"(\d+)([KMG]?)(i?B)?", s.strip(), re.I)
    if not m:
        raise UserError(f"--size {s!r}: use a size like 64M or 1G")
    return int(m.group(1)) * {"": 1, "K": 1 << 10, "M": MiB, "G": 1 << 30}[m.group(2).upper()]


def grub_quote(s):
    """One GRUB word holding `s` literally (double quotes; \\ " $ escaped)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def run(cmd, what):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise UserError(f"{what} failed (exit {p.returncode}): {' '.join(cmd)}\n"
                        f"{(p.stdout + p.stderr).strip()[-2000:]}")
    return p.stdout


def grub_words(a):
    """The kernel command line as GRUB words. GRUB joins a multiboot2
    command's arguments itself, double-quoting those with blanks and putting
    a backslash before quotes and backslashes; ukargparse reads that back
    except for a ' or \\ inside a double-quoted argument, refused here."""
    words = a.cmdline.split() if a.cmdline is not None else list(a.args)
    for w in words:
        if any(c.isspace() for c in w) and ("'" in w or "\\" in w):
            raise UserError(f"argument {w!r}: an argument with both a blank and a ' or \\ does "
                            f"not survive GRUB's command line quoting")
        if "\n" in w:
            raise UserError(f"argument {w!r}: a newline cannot go through grub.cfg")
    return words


def cmd_disk(a, image, info, cmdline, initrd):
    require_tools()
    words = grub_words(a)
    from .package import boot_protocols
    if "multiboot2" not in boot_protocols(image):
        raise UserError(f"{image} has no multiboot2 header: rebuild it (kvm images carry one "
                        f"since GRUB boots them from disks)")
    dest = os.path.abspath(a.disk)
    if os.path.exists(dest) and not a.force:
        raise UserError(f"{dest} exists; remove it or pass --force to replace it")
    if not os.path.isdir(os.path.dirname(dest)):
        raise UserError(f"{os.path.dirname(dest)}: no such directory")
    app = info.get("app", "unikit")
    files = os.path.getsize(image) + (os.path.getsize(initrd) if initrd else 0)
    with tempfile.TemporaryDirectory(prefix="unikit-disk-") as tmp:
        core = os.path.join(tmp, "core.img")
        efi = os.path.join(tmp, "bootx64.efi")
        early = os.path.join(tmp, "early.cfg")
        with open(early, "w") as f:
            # the ESP is the partition holding the kernel, whatever disk
            # number the firmware gives it
            f.write("search --no-floppy --set=root --file /boot/unikit/kernel\n"
                    "set prefix=($root)/boot/grub\n"
                    "configfile ($root)/boot/grub/grub.cfg\n")
        run(["grub-mkimage", "-O", "i386-pc", "-o", core, "-c", early, "-p", "/boot/grub",
             "biosdisk"] + MODULES, "grub-mkimage (BIOS)")
        run(["grub-mkimage", "-O", "x86_64-efi", "-o", efi, "-c", early, "-p", "/boot/grub"]
            + MODULES, "grub-mkimage (UEFI)")
        core_bytes = open(core, "rb").read()
        if len(core_bytes) > BIOS_PART_SECTORS * SECTOR:
            raise UserError(f"GRUB's core.img is {len(core_bytes)} bytes, more than the "
                            f"{BIOS_PART_SECTORS * SECTOR} of the BIOS boot partition")
        cfg = ("set timeout=0\nset default=0\n"
               f"menuentry {grub_quote('unikit ' + app)} {{\n"
               f"    multiboot2 /boot/unikit/kernel{''.join(' ' + grub_quote(w) for w in words)}\n"
               + ("    module2 /boot/unikit/initrd initrd\n" if initrd else "")
               + "    boot\n}\n")
        # the ESP: the files, GRUB's EFI image, slack for FAT's own tables
        need_esp = files + os.path.getsize(efi) + len(cfg) + 2 * MiB
        esp_bytes = max(8 * MiB, (need_esp + MiB - 1) // MiB * MiB)
        esp_start = BIOS_PART_START + BIOS_PART_SECTORS
        # the backup GPT at the end: 33 sectors, one MiB kept for alignment
        need = esp_start * SECTOR + esp_bytes + MiB
        if a.size:
            size = parse_size(a.size)
            if size < need:
                raise UserError(f"--size {a.size} is too small: the disk needs at least "
                                f"{(need + MiB - 1) // MiB} MiB (kernel {os.path.getsize(image)} "
                                f"bytes{', initrd ' + str(os.path.getsize(initrd)) + ' bytes' if initrd else ''}, "
                                f"GRUB, partition tables)")
            if size % SECTOR:
                raise UserError(f"--size {a.size}: not a whole number of 512-byte sectors")
            esp_bytes = (size - MiB - esp_start * SECTOR) // MiB * MiB
        else:
            size = need
        esp = os.path.join(tmp, "esp.img")
        with open(esp, "wb") as f:
            f.truncate(esp_bytes)
        # FAT on the partition's own image; -F: FAT12/16/32 by size
        run(["mformat", "-i", esp, "-T", str(esp_bytes // SECTOR), "-h", "64", "-s", "32",
             "-v", "UNIKIT", "::"], "mformat")
        for d in ("::/EFI", "::/EFI/BOOT", "::/boot", "::/boot/grub", "::/boot/unikit"):
            run(["mmd", "-i", esp, d], "mmd")
        cfgf = os.path.join(tmp, "grub.cfg")
        with open(cfgf, "w") as f:
            f.write(cfg)
        puts = [(efi, "::/EFI/BOOT/BOOTX64.EFI"), (cfgf, "::/boot/grub/grub.cfg"),
                (image, "::/boot/unikit/kernel")] + ([(initrd, "::/boot/unikit/initrd")] if initrd else [])
        for src, dst in puts:
            run(["mcopy", "-i", esp, src, dst], "mcopy")
        raw = os.path.join(tmp, "disk.img")
        with open(raw, "wb") as f:
            f.truncate(size)
        run(["sgdisk", "-o",
             "-n", f"1:{BIOS_PART_START}:{BIOS_PART_START + BIOS_PART_SECTORS - 1}",
             "-t", "1:ef02", "-c", "1:bios-boot",
             "-n", f"2:{esp_start}:{esp_start + esp_bytes // SECTOR - 1}",
             "-t", "2:ef00", "-c", "2:esp", raw], "sgdisk")
        with open(raw, "r+b") as f:
            # BIOS: boot.img's code in the MBR (the partition table stays),
            # pointing at core.img; core.img's first sector (diskboot) reads
            # the rest of it from the sectors after it
            boot = bytearray(open(os.path.join(GRUB_PC, "boot.img"), "rb").read())
            struct.pack_into("<Q", boot, BOOT_KERNEL_SECTOR, BIOS_PART_START)
            boot[BOOT_DRIVE] = 0xFF               # the drive the BIOS booted
            boot[BOOT_DRIVE_CHECK:BOOT_DRIVE_CHECK + 2] = b"\x90\x90"
            f.seek(0)
            f.write(bytes(boot[:MBR_CODE_END]))
            core_b = bytearray(core_bytes)
            nsec = (len(core_b) + SECTOR - 1) // SECTOR
            struct.pack_into("<QH", core_b, BLOCKLIST, BIOS_PART_START + 1, nsec - 1)
            f.seek(BIOS_PART_START * SECTOR)
            f.write(bytes(core_b))
            f.seek(esp_start * SECTOR)
            with open(esp, "rb") as e:
                shutil.copyfileobj(e, f)
        fmt = "raw"
        if a.qcow2:
            if not shutil.which("qemu-img"):
                raise UserError("--qcow2 needs qemu-img; install it with:\n    "
                                + apt_line(["qemu-utils"]))
            q = os.path.join(tmp, "disk.qcow2")
            run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, q], "qemu-img convert")
            raw, fmt = q, "qcow2"
        shutil.move(raw, dest)
    say(f"{fmt} disk {dest}: {size // MiB} MiB, GPT; GRUB for BIOS (partition 1) and UEFI "
        f"(ESP, partition 2) boots {os.path.basename(image)} with multiboot2"
        + (f", command line {cmdline!r}" if cmdline else ""))
    print(dest)
    return 0
