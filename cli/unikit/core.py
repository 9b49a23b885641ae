"""Crash dumps: what a kvm image writes to COM2 when it crashes
(platforms/kvm/src/coredump.c; `unikit run --crash-dump FILE`) turned into
an ELF core file that gdb opens with the image's .dbg: the registers as a
Linux x86_64 NT_PRSTATUS note, each dumped memory range as a PT_LOAD."""
import struct

from .errors import UserError

MAGIC = b"UKCORE01"
# struct ukarch_regs (archs/x86_64/include/uk/arch/regs.h), then cr2, fs_base
REGS = ["r15", "r14", "r13", "r12", "r11", "r10", "r9", "r8", "rbp", "rdi", "rsi", "rdx", "rcx",
        "rbx", "rax", "vector", "error_code", "rip", "cs", "rflags", "rsp", "ss", "cr2", "fs_base"]
# Linux's user_regs_struct, what gdb reads from NT_PRSTATUS
USER_REGS = ["r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx",
             "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "rflags", "rsp", "ss", "fs_base",
             "gs_base", "ds", "es", "fs", "gs"]
# exception vector -> the signal a Linux process would have got
SIGNALS = {0: 8, 1: 5, 3: 5, 4: 11, 5: 11, 6: 4, 7: 8, 13: 11, 14: 11, 16: 8, 17: 7, 19: 8}
MAX_SEGMENTS = 64
MAX_SEGMENT = 64 << 20


def parse_dump(data, name):
    """(registers dict, [(address, bytes)]) from a dump; UserError naming
    what is wrong with a file that is not one, or is cut short."""
    if not data.startswith(MAGIC):
        what = "empty" if not data else "not a unikit crash dump (no UKCORE01 header)"
        raise UserError(f"{name}: {what}; `unikit run --crash-dump FILE` writes one when a kvm "
                        f"image crashes")
    off = 8
    if len(data) < off + 8:
        raise UserError(f"{name}: cut short in its header")
    version, nwords = struct.unpack_from("<II", data, off)
    off += 8
    if version != 1 or nwords != len(REGS):
        raise UserError(f"{name}: dump version {version} with {nwords} registers; this unikit "
                        f"reads version 1 with {len(REGS)}")
    if len(data) < off + 8 * nwords:
        raise UserError(f"{name}: cut short in the registers")
    regs = dict(zip(REGS, struct.unpack_from(f"<{nwords}Q", data, off)))
    off += 8 * nwords
    segs = []
    while True:
        tag = data[off:off + 4]
        if tag == b"END0":
            break
        if tag != b"SEG0" or len(data) < off + 20:
            raise UserError(f"{name}: cut short or corrupt at byte {off} (the guest stopped "
                            f"writing: look for 'crash dump' on its console)")
        addr, length = struct.unpack_from("<QQ", data, off + 4)
        off += 20
        if length > MAX_SEGMENT or len(data) < off + length or len(segs) >= MAX_SEGMENTS:
            raise UserError(f"{name}: segment at {addr:#x} of {length} bytes runs past the end "
                            f"of the file ({len(data)} bytes)")
        segs.append((addr, data[off:off + length]))
        off += length
    return regs, segs


def elf_core(regs, segs):
    """An ELF64 core file (bytes) for gdb."""
    cursig = SIGNALS.get(regs["vector"], 11)
    user = dict(regs, orig_rax=(1 << 64) - 1, gs_base=0, ds=0x10, es=0x10, fs=0, gs=0)
    prstatus = bytearray(336)
    struct.pack_into("<iii", prstatus, 0, cursig, 0, 0)
    struct.pack_into("<h", prstatus, 12, cursig)
    struct.pack_into("<iiii", prstatus, 32, 1, 0, 1, 1)       # pid 1
    struct.pack_into("<27Q", prstatus, 112, *[user[r] & ((1 << 64) - 1) for r in USER_REGS])
    name = b"CORE\0\0\0\0"
    note = struct.pack("<III", 5, len(prstatus), 1) + name + bytes(prstatus)
    nph = 1 + len(segs)
    ehsize, phsize = 64, 56
    off = ehsize + nph * phsize
    phdrs = [struct.pack("<IIQQQQQQ", 4, 0, off, 0, 0, len(note), 0, 4)]   # PT_NOTE
    body = bytearray(note)
    off += len(note)
    for addr, data in segs:
        pad = (-off) % 4096
        body += bytes(pad)
        off += pad
        phdrs.append(struct.pack("<IIQQQQQQ", 1, 6, off, addr, addr, len(data), len(data), 4096))
        body += data
        off += len(data)
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    eh = ident + struct.pack("<HHIQQQIHHHHHH", 4, 62, 1, 0, ehsize, 0, 0, ehsize, phsize, nph,
                             64, 0, 0)
    return eh + b"".join(phdrs) + bytes(body)
