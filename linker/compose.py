#!/usr/bin/env python3
"""unikit composer: link an application archive with library archives and one
platform archive into a unikernel image, through one whole-program LTO link.

Writes, next to --out:
  OUT          the image (stripped ELF, or with --raw the flat loadable bytes
               (arm64 Image); boots with `qemu -kernel OUT` or runs as a
               Linux process, depending on the platform)
  OUT.dbg      the same image unstripped: symbols and DWARF for gdb
  OUT.map      the linker map
  OUT.size     the size report: text/rodata/data/bss bytes per library after
               LTO, and the totals (the same rows `unikit size OUT` prints)

Function names for crash reports are embedded in the image (.uk_symtab) by a
second link that adds a table built from the first; addresses of code do not
move between the two links (the table sits after all code), and the composer
checks that. LTO runs once: the second link reuses its output (see "one LTO,
two links" below).

Python 3 standard library only.
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

SYMTAB_MAGIC = 0x32534B55  # "UKS2"
SYMTAB_NONE = 0xFFFFFFFF  # "no function from here"


class ComposeError(Exception):
    pass


# ---------------------------------------------------------------- ELF reading
class Elf:
    """Just enough ELF64 little-endian parsing: sections and symbols."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if len(d) < 64 or d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1:
            raise ComposeError(f"{path}: not a 64-bit little-endian ELF file")
        (self.e_type, self.e_machine, _, self.e_entry, self.e_phoff, self.e_shoff,
         _, _, self.e_phentsize, self.e_phnum, self.e_shentsize, self.e_shnum,
         self.e_shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", d, 16)
        self.sections = []
        for i in range(self.e_shnum):
            off = self.e_shoff + i * self.e_shentsize
            if off + 64 > len(d):
                raise ComposeError(f"{path}: section header {i} is truncated")
            (name, typ, flags, addr, offset, size, link, info, align,
             entsize) = struct.unpack_from("<IIQQQQIIQQ", d, off)
            self.sections.append(dict(name_off=name, type=typ, flags=flags, addr=addr,
                                      offset=offset, size=size, link=link,
                                      entsize=entsize))
        if self.e_shstrndx < len(self.sections):
            strsec = self.sections[self.e_shstrndx]
            for s in self.sections:
                s["name"] = self._cstr(strsec["offset"] + s["name_off"])
        self.segments = []
        for i in range(self.e_phnum):
            off = self.e_phoff + i * self.e_phentsize
            (typ, flags, offset, vaddr, paddr, filesz, memsz,
             align) = struct.unpack_from("<IIQQQQQQ", d, off)
            self.segments.append(dict(type=typ, flags=flags, offset=offset, vaddr=vaddr,
                                      filesz=filesz, memsz=memsz))

    def _cstr(self, off):
        end = self.data.index(b"\0", off)
        return self.data[off:end].decode("utf-8", "replace")

    def section(self, name):
        for s in self.sections:
            if s.get("name") == name:
                return s
        return None

    def symbols(self):
        """Yield (name, value, size, type, bind, section index)."""
        for s in self.sections:
            if s["type"] != 2:  # SHT_SYMTAB
                continue
            strtab = self.sections[s["link"]]
            for off in range(s["offset"], s["offset"] + s["size"], 24):
                name, info, other, shndx, value, size = struct.unpack_from(
                    "<IBBHQQ", self.data, off)
                yield (self._cstr(strtab["offset"] + name), value, size,
                       info & 0xF, info >> 4, shndx)


# Sections are grouped into the four columns of the size report.
def column_of(sec):
    name = sec.get("name", "")
    flags = sec["flags"]
    if not flags & 0x2:  # SHF_ALLOC
        return None
    if sec["type"] == 8:  # SHT_NOBITS
        return "bss"
    if flags & 0x4:  # SHF_EXECINSTR
        return "text"
    if flags & 0x1:  # SHF_WRITE
        return "data"
    return "rodata"


COLUMNS = ("text", "rodata", "data", "bss")


def strip_lto_suffix(name):
    # foo.lto_priv.0, foo.constprop.0, foo.isra.0, foo.part.0, foo.cold ...
    return name.split(".", 1)[0] if "." in name[1:] else name


# ------------------------------------------------------------ symbol owners
# Code is attributed through the DWARF line table of the final image: every
# byte of code knows the source file it came from, also after LTO inlined it
# somewhere else. Data is attributed by symbol name.
def member_label(member, default):
    """The library an archive member came from: Meson builds every object of
    a static library in `lib<name>.a.p/`, so a member whose path has one
    belongs to <name> even inside another archive (lwIP's objects inside
    libuklwip.a are lwip's)."""
    m = re.search(r"(?:^|/)lib([^/]+)\.a\.p/", member)
    # (a library's objects built without LTO sit in a helper archive named
    # after it: libmusl-nolto, libnewlib-mem, libnolibc-mem)
    return re.sub(r"-(nolto|mem)$", "", m.group(1)) if m else default


def archive_symbols(toolchain, archive, objdump="objdump"):
    """{library label: names defined there} of an archive, static names
    included, split by where each member was built (member_label)."""
    if toolchain == "gcc":
        # objdump reads the fat objects' real symbol tables (nm would read
        # the LTO plugin's, which leaves out static symbols).
        cmd = [objdump, "-t", archive]
    else:
        cmd = ["llvm-nm", "--defined-only", archive]
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise ComposeError(f"cannot list symbols of {archive}: {e}")
    default = lib_label(archive)
    label = default
    names = {}
    for line in out.splitlines():
        parts = line.split()
        if line.endswith("elf64-x86-64") or line.endswith("elf64-littleaarch64") or \
                (line.endswith(":") and len(parts) == 1):
            # a member's header: "path.o:     file format ..." (objdump)
            # or "path.o:" (llvm-nm)
            label = member_label(line.split(":")[0].strip(), default)
            continue
        if not parts or line.startswith("SYMBOL") or "*UND*" in line or \
                line.startswith("In archive"):
            continue
        if toolchain == "gcc":
            if len(parts) >= 5 and parts[1] in ("l", "g", "w", "u") or (len(parts) >= 5 and "O" in parts[1:3] or "F" in parts[1:3]):
                names.setdefault(label, set()).add(strip_lto_suffix(parts[-1]))
        elif len(parts) >= 2 and len(parts[-2]) == 1:
            names.setdefault(label, set()).add(strip_lto_suffix(parts[-1]))
    return names


def source_owners(compile_db, labels):
    """{normalised source path: library label} from Meson's
    compile_commands.json: the library whose archive each source was
    compiled into (the `lib<name>.a.p/` directory of its object). A source
    compiled for several (native test builds too) goes to one of the
    image's libraries when it can."""
    try:
        with open(compile_db) as f:
            db = json.load(f)
    except (OSError, ValueError):
        return {}
    found = {}
    for e in db:
        out = e.get("output", "")
        m = re.search(r"(?:^|/)lib([^/]+)\.a\.p/", out)
        if not m:
            continue
        src = os.path.normpath(os.path.join(e.get("directory", ""), e.get("file", "")))
        found.setdefault(src, []).append(re.sub(r"-(nolto|mem)$", "", m.group(1)))
    owners = {}
    for src, cands in found.items():
        pick = [c for c in cands if c in labels] or \
            [c for c in cands if not re.search(r"test|asan|fuzz|native", c)] or cands
        owners[src] = pick[0]
    return owners


def lib_label(archive):
    base = re.sub(r"^lib", "", os.path.basename(archive))
    return re.sub(r"\.a$", "", base)


def line_table_owners(dbg, archives, sources=None, comp_dir=None):
    """[(start, end, label)] for code, from `readelf --debug-dump=decodedline`.
    `sources` (source_owners()) names the library of each source file; the
    directories of the archives are the fallback."""
    try:
        out = subprocess.run(["readelf", "--debug-dump=decodedline", "-W", dbg], check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise ComposeError(f"cannot read the line table of {dbg}: {e}")
    dirs = [("/" + os.path.relpath(os.path.dirname(os.path.abspath(a))).replace(os.sep, "/") + "/",
             lib_label(a)) for a in archives]

    def owner(path):
        if sources:
            full = os.path.normpath(os.path.join(comp_dir or "", path))
            if full in sources:
                return sources[full]
        p = "/" + path.replace(os.sep, "/").lstrip("./")
        best = None
        for d, label in dirs:
            if d in p and (best is None or len(d) > len(best[0])):
                best = (d, label)
        return best[1] if best else None

    # readelf names the first file of a unit by its base name alone before it
    # ever prints its path, so learn every path first.
    known = {}
    for line in out.splitlines():
        if line.endswith(":") and " " not in line.strip() and "/" in line:
            p = line.rstrip(":")
            known.setdefault(os.path.basename(p), set()).add(p)
    full = {}
    current = None
    rows = []
    for line in out.splitlines():
        if line.startswith("CU: "):
            current = line[4:].rstrip(":").strip()
            full[os.path.basename(current)] = current
            continue
        if line.endswith(":") and " " not in line.strip():
            current = line.rstrip(":")
            full[os.path.basename(current)] = current
            continue
        parts = line.split()
        if len(parts) < 3 or not parts[2].startswith("0x"):
            continue
        name, lineno, addr = parts[0], parts[1], int(parts[2], 16)
        path = full.get(name)
        if path is None:
            candidates = known.get(name, ())
            path = next(iter(candidates)) if len(candidates) == 1 else name
        rows.append((addr, lineno == "-", owner(path)))
    rows.sort(key=lambda r: (r[0], not r[1]))
    ranges = []
    for (a, end_seq, label), nxt in zip(rows, rows[1:] + [None]):
        if end_seq or nxt is None or label is None:
            continue
        if nxt[0] > a:
            ranges.append((a, nxt[0], label))
    return ranges


def toolchain_ranges(mapfile):
    """[(start, end, "(libgcc)")] for the code the linker took from the
    compiler's runtime library (soft-float and other libcalls: no line
    table, so the line-table pass cannot name it), from the link map."""
    ranges = []
    try:
        lines = open(mapfile).read().splitlines()
    except OSError:
        return ranges
    pending = False
    for line in lines:
        # an input section: " .text  0xADDR 0xSIZE FILE", or its name alone
        # on one line (a long name) and the rest on the next
        m = re.match(r"^ (\.text\S*)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if m and (m.group(1) or pending):
            addr, size, src = int(m.group(2), 16), int(m.group(3), 16), m.group(4)
            if addr and size and re.search(r"/libgcc\.a\(", src):
                ranges.append((addr, addr + size, "(libgcc)"))
        pending = re.match(r"^ \.text\S*$", line) is not None
    return ranges


def size_report(elf, owners, code_ranges):
    """Rows of (label, {column: bytes}) plus the totals; rows add up to totals."""
    totals = {c: 0 for c in COLUMNS}
    sec_col = {}
    rows = {}

    def add(label, col, n):
        rows.setdefault(label, {c: 0 for c in COLUMNS})[col] += n

    for i, s in enumerate(elf.sections):
        col = column_of(s)
        if col:
            totals[col] += s["size"]
            sec_col[i] = col
            if s.get("name") == ".uk_symtab" and s["size"]:
                add("(symbol table)", col, s["size"])
    # Code: by line table, clipped to executable sections.
    text = [(s["addr"], s["addr"] + s["size"]) for s in elf.sections
            if column_of(s) == "text"]
    for a, b, label in code_ranges:
        for lo, hi in text:
            n = min(b, hi) - max(a, lo)
            if n > 0:
                add(label, "text", n)
    # Data: by symbol; assembly symbols without a size reach the next symbol.
    # Sized symbols first at each address: an end-of-object label (a stack
    # top, say) can share its address with the next object.
    syms = sorted({(v, shndx, size, name) for name, v, size, typ, bind, shndx in elf.symbols()
                   if shndx in sec_col and sec_col[shndx] != "text" and typ in (0, 1) and name
                   and not name.startswith((".", "__"))}, key=lambda t: (t[0], t[1], -t[2], t[3]))
    seen = set()
    for i, (v, shndx, size, name) in enumerate(syms):
        if (v, shndx) in seen:  # aliases of one object: count it once
            continue
        seen.add((v, shndx))
        if not size:
            nxt = [w for w, sh, _, _ in syms[i + 1:] if sh == shndx and w > v]
            sec = elf.sections[shndx]
            size = (nxt[0] if nxt else sec["addr"] + sec["size"]) - v
        base = strip_lto_suffix(name)
        for label, names in owners:
            if base in names:
                add(label, sec_col[shndx], size)
                break
    un = {c: totals[c] - sum(r[c] for r in rows.values()) for c in COLUMNS}
    ordered = sorted(rows.items(), key=lambda kv: -sum(kv[1].values()))
    ordered.append(("(unattributed)", un))
    return ordered, totals


def format_report(rows, totals, image_bytes, image_name):
    lines = [f"size report for {image_name} (bytes in the image after LTO and --gc-sections)",
             f"{'library':<24}{'text':>9}{'rodata':>9}{'data':>9}{'bss':>9}{'total':>10}"]
    for label, r in rows:
        lines.append(f"{label:<24}" + "".join(f"{r[c]:>9}" for c in COLUMNS) +
                     f"{sum(r.values()):>10}")
    lines.append(f"{'TOTAL':<24}" + "".join(f"{totals[c]:>9}" for c in COLUMNS) +
                 f"{sum(totals.values()):>10}")
    lines.append(f"image file (stripped): {image_bytes} bytes")
    lines.append("code is counted for the library whose source it came from (after inlining); "
                 "(libgcc) = the compiler's runtime library (soft-float and other libcalls); "
                 "(unattributed) = merged string constants, alignment padding and code without "
                 "line information")
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------- symbol table
def build_symtab(elf):
    """The .uk_symtab blob: header, sorted entries, string table."""
    text_secs = {i for i, s in enumerate(elf.sections)
                 if s["flags"] & 0x4 and s["flags"] & 0x2}
    syms = {}
    for name, value, size, typ, bind, shndx in elf.symbols():
        if shndx not in text_secs or typ not in (0, 2) or not name:
            continue
        if name.startswith(".L") or name.startswith("$"):
            continue
        if value not in syms or (size and not syms[value][1]):
            syms[value] = (name, size)
    addrs = sorted(syms)
    if not addrs:
        return b""
    # Symbols without a size (assembly labels) extend to the next symbol.
    # Entries are (offset from base, name); a function ends where the next
    # entry starts, so a gap after one gets an explicit "none" entry.
    base = addrs[0]
    entries = []
    for i, a in enumerate(addrs):
        name, size = syms[a]
        nxt = addrs[i + 1] if i + 1 < len(addrs) else None
        if not size:
            size = (nxt - a) if nxt is not None else 1
        entries.append((a - base, name))
        if nxt is None or a + size < nxt:
            entries.append((a + size - base, None))
    if entries[-1][0] > 0xFFFFFFFF:
        raise ComposeError("code spans more than 4 GiB: no symbol table")
    # Each name once, and a name that ends another one shares its bytes
    # ("foo" inside "__foo"): in reversed-byte order the names that end
    # with a name follow it, so one pass from the end finds one to share.
    strtab = bytearray()
    where = {}
    rev = sorted({n.encode() for _, n in entries if n is not None}, key=lambda b: b[::-1])
    for i in range(len(rev) - 1, -1, -1):
        n = rev[i]
        if i + 1 < len(rev) and rev[i + 1].endswith(n):
            where[n] = where[rev[i + 1]] + len(rev[i + 1]) - len(n)
        else:
            where[n] = len(strtab)
            strtab += n + b"\0"
    packed = bytearray()
    for off, name in entries:
        if name is None:
            packed += struct.pack("<II", off, SYMTAB_NONE)
        else:
            packed += struct.pack("<II", off, where[name.encode()])
    hdr_len = 24
    strtab_off = hdr_len + len(packed)
    total = strtab_off + len(strtab)
    return struct.pack("<IIIIQ", SYMTAB_MAGIC, len(entries), strtab_off, total, base) + \
        packed + strtab


def text_fingerprint(elf):
    return sorted((v, n) for n, v, s, t, b, sh in elf.symbols() if t == 2)


# ---------------------------------------------------------------------- link
def run(cmd, what):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise ComposeError(f"{what}: cannot run {cmd[0]}: {e}")
    if p.returncode != 0:
        raise ComposeError(f"{what} failed ({' '.join(cmd)}):\n{p.stdout}{p.stderr}")
    return p


_LIBGCC_SYMS = {}


def libgcc_symbols(cc):
    """Names libgcc.a of this compiler defines."""
    key = tuple(cc)
    if key not in _LIBGCC_SYMS:
        path = subprocess.run(cc + ["-print-libgcc-file-name"], capture_output=True,
                              text=True).stdout.strip()
        names = set()
        if os.path.isfile(path):
            out = subprocess.run(["readelf", "-sW", path], capture_output=True,
                                 text=True).stdout
            for line in out.splitlines():
                f = line.split()
                if len(f) >= 8 and f[6] != "UND" and f[4] in ("GLOBAL", "WEAK"):
                    names.add(f[7])
        _LIBGCC_SYMS[key] = names
    return _LIBGCC_SYMS[key]


# ------------------------------------------------------- one LTO, two links
# The second link (the symbol table's, see the top) must not redo LTO: its
# code generation is most of an image's build time (40 s of sqlite3's 41).
# With GCC the first link runs ltokeep.py as lto-wrapper, which keeps the
# objects LTO produced; the second is an ordinary link of those and of the
# objects the first took that were not LTO's (assembly, libmusl-nolto,
# libgcc), read from its map. With clang, lld's ThinLTO cache does the same.
# Either way the composer checks that the code did not move and otherwise
# links with LTO again.
def lto_keeper(cc, tmp):
    """(-B flags, environment, directory) that make this gcc's LTO keep its
    output objects, or None when its lto-wrapper is not found."""
    real = subprocess.run(cc + ["-print-prog-name=lto-wrapper"], capture_output=True,
                          text=True).stdout.strip()
    if not os.path.isabs(real) or not os.access(real, os.X_OK):
        return None
    bindir, keepdir = os.path.join(tmp, "ltobin"), os.path.join(tmp, "lto")
    os.makedirs(bindir)
    os.makedirs(keepdir)
    shim = os.path.join(bindir, "lto-wrapper")
    keeper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ltokeep.py")
    with open(shim, "w") as f:
        f.write(f"#!/bin/sh\nexec '{sys.executable}' '{keeper}' \"$@\"\n")
    os.chmod(shim, 0o755)
    env = dict(os.environ, UNIKIT_REAL_LTO_WRAPPER=real, UNIKIT_LTO_KEEP=keepdir)
    return ["-B" + bindir + os.sep], env, keepdir


MEMBERS_HEAD = "Archive member included to satisfy reference by file (symbol)\n"


def split_map(text):
    """A GNU ld map as (its archive-member section, the rest)."""
    if MEMBERS_HEAD not in text:
        return "", text
    before, after = text.split(MEMBERS_HEAD, 1)
    m = re.search(r"\n\n(?=[A-Z])", after)
    cut = m.end() if m else len(after)
    return MEMBERS_HEAD + after[:cut], before + after[cut:]


def map_members(mapfile):
    """The archive members a GNU ld link took, in the order it took them."""
    with open(mapfile, errors="replace") as f:
        part = split_map(f.read())[0][len(MEMBERS_HEAD):]
    # a member at the line's start, the reason indented after it
    return [line.split()[0] for line in part.splitlines() if line and not line[0].isspace()]


def splice_map(first, final):
    """The second link took loose objects: which archive members the image
    holds and why (`unikit size --why`) is the first link's account."""
    with open(first, errors="replace") as f:
        members = split_map(f.read())[0]
    with open(final, errors="replace") as f:
        rest = split_map(f.read())[1]
    with open(final, "w") as f:
        f.write(members + rest)


def is_lto_object(path):
    return any(s.get("name", "").startswith((".gnu.lto_", ".gnu.debuglto_"))
               for s in Elf(path).sections)


def kept_inputs(keeper, mapfile, cc):
    """The second link's inputs: the kept LTO output, then the first link's
    non-LTO members; None when they cannot be named (no kept list, a member
    of an archive that is not thin other than libgcc's)."""
    listing = os.path.join(keeper[2], "list")
    if not os.path.isfile(listing):
        return None
    with open(listing) as f:
        kept = [line.strip() for line in f if line.strip()]
    libgcc = subprocess.run(cc + ["-print-libgcc-file-name"], capture_output=True,
                            text=True).stdout.strip()
    plain = []
    for m in map_members(mapfile):
        if m.endswith(")"):
            if m.startswith(libgcc + "("):
                continue  # -lgcc again
            return None
        try:
            if not is_lto_object(m):
                plain.append(m)
        except (OSError, ComposeError):
            return None
    return kept + plain


def write_generated(tmp, app_name, blob, main_stack=None):
    blob_path = os.path.join(tmp, "symtab.bin")
    with open(blob_path, "wb") as f:
        f.write(blob)
    asm = os.path.join(tmp, "generated.S")
    with open(asm, "w") as f:
        f.write("\t.section .rodata.uk_app_name, \"a\", @progbits\n"
                "\t.globl uk_app_name\n\t.type uk_app_name, @object\nuk_app_name:\n"
                f"\t.asciz \"{app_name}\"\n\t.size uk_app_name, . - uk_app_name\n")
        if main_stack is not None:
            # the image's own size of main()'s stack (ukboot's weak default
            # is the workspace option main_stack_size)
            f.write("\t.section .rodata.uk_main_stack_size, \"a\", @progbits\n\t.balign 8\n"
                    "\t.globl uk_main_stack_size\n\t.type uk_main_stack_size, @object\n"
                    f"uk_main_stack_size:\n\t.quad {int(main_stack)}\n"
                    "\t.size uk_main_stack_size, 8\n")
        if blob:
            f.write("\t.section .uk_symtab, \"a\", @progbits\n\t.balign 8\n"
                    f"\t.incbin \"{blob_path}\"\n")
    return asm


def compose(a):
    for path in [a.script] + a.archives + a.lib:
        if not os.path.isfile(path):
            raise ComposeError(f"input not found: {path}")
    if not re.fullmatch(r"[A-Za-z0-9_.+-]+", a.app_name):
        raise ComposeError(f"app name {a.app_name!r}: use letters, digits and _.+-")
    out = a.out
    dbg, mapf, sizef = out + ".dbg", out + ".map", out + ".size"
    cc = json.loads(a.cc)
    cflags = json.loads(a.cflags)
    lto = ["-flto=thin"] if a.toolchain == "clang" else ["-flto=auto", "-flto-partition=one"]
    if not a.lto:
        lto = ["-fno-lto"]
    # -L first: ld resolves the script's INCLUDEs while reading -T.
    ldflags = ["-nostdlib", "-static"] + (["-no-pie"] if a.toolchain == "gcc" else []) + [
               "-Wl,-L," + os.path.dirname(os.path.abspath(a.script)), "-Wl,-T," + a.script,
               "-Wl,--gc-sections", "-Wl,--build-id=none",
               "-Wl,-z,max-page-size=4096", "-Wl,-z,noexecstack"]
    if a.toolchain == "clang":
        ldflags += ["-fuse-ld=lld"]
    # --lib archives (a full libc) are ordinary archives: a member comes in
    # only for a symbol something needs, so that the libc's weak defaults
    # stay in place unless their real versions are used
    objs = ["-Wl,--whole-archive"] + a.archives + ["-Wl,--no-whole-archive"] + a.lib

    with tempfile.TemporaryDirectory(prefix="unikit-compose-") as tmp:
        libgcc_refs = []
        first_map = os.path.join(tmp, "first.map")
        keeper = None
        if a.symbols and a.lto and not a.relink_lto:
            if a.toolchain == "gcc":
                keeper = lto_keeper(cc, tmp)
            else:
                # lld caches ThinLTO's code generation: the second link
                # finds every module's code there
                lto = lto + ["-Wl,--thinlto-cache-dir=" + os.path.join(tmp, "thinlto")]

        def link(blob, inputs=None, mapfile=mapf):
            """Link with LTO (inputs None) or, given the objects a kept LTO
            produced, without."""
            asm = write_generated(tmp, a.app_name, blob, a.main_stack_size)
            obj = os.path.join(tmp, "generated.o")
            run(cc + ["-c", asm, "-o", obj], "assembling the generated table")
            env = None
            if inputs is not None:
                cmd = cc + cflags + ["-fno-lto"] + ldflags + ["-Wl,-Map," + mapfile, "-o", dbg] + \
                    inputs + [obj, "-lgcc"]
            else:
                cmd = cc + cflags + lto + ldflags + ["-Wl,-Map," + mapfile, "-o", dbg] + objs + \
                    [obj, "-lgcc"]
                if keeper and mapfile == first_map:
                    flags, env, keepdir = keeper
                    cmd = cmd[:len(cc)] + flags + cmd[len(cc):]
                    for f in os.listdir(keepdir):
                        os.unlink(os.path.join(keepdir, f))
            p = subprocess.run(cmd + [f"-Wl,-u,{s}" for s in libgcc_refs],
                               capture_output=True, text=True, env=env)
            missing = set(re.findall(r"undefined reference to `([^']+)'", p.stderr))
            if p.returncode != 0 and missing and len(libgcc_refs) < 200 and \
                    missing <= libgcc_symbols(cc) and not missing & set(libgcc_refs):
                # GNU ld does not always rescan libgcc after the LTO step
                # (seen with several --whole-archive archives on aarch64), so
                # libcalls that only LTO code generation introduced
                # (__trunctfdf2 for long double) stay undefined: name them
                # with -u, which pulls exactly those members in (again if
                # a new link names more)
                libgcc_refs.extend(sorted(missing))
                return link(blob, inputs, mapfile)
            if p.returncode != 0:
                raise ComposeError(f"linking {os.path.basename(out)} failed "
                                   f"({' '.join(cmd)}):\n{p.stdout}{p.stderr}")
            return Elf(dbg)

        if not a.symbols:
            link(b"")
        else:
            elf = link(b"", mapfile=first_map)
            blob = build_symtab(elf)
            first = text_fingerprint(elf)
            inputs = kept_inputs(keeper, first_map, cc) if keeper else None
            try:
                elf = link(blob, inputs)
                same = text_fingerprint(elf) == first and build_symtab(elf) == blob
            except ComposeError as e:
                if inputs is None:
                    raise
                same, why = False, str(e).splitlines()[-1]
            else:
                why = "its code differs from the first link's"
            if inputs is not None and same:
                splice_map(first_map, mapf)
            if inputs is not None and not same:
                print(f"compose.py: note: the second link of {os.path.basename(out)} from the "
                      f"kept LTO output failed ({why}); linking with LTO again",
                      file=sys.stderr)
                inputs = None
                elf = link(blob)
            if text_fingerprint(elf) != first:
                raise ComposeError("code moved between the two links; the embedded "
                                   "symbol table would be wrong (report this bug)")
            if build_symtab(elf) != blob:
                raise ComposeError("symbol table changed between links (report this bug)")
        elf = Elf(dbg)

    if a.raw:
        # a boot protocol that loads a flat file (the Linux arm64 Image):
        # the loadable bytes from the first one on, no ELF headers
        run([a.objcopy, "-O", "binary", dbg, out], "writing the raw image")
    else:
        run([a.strip, "--strip-all", "-R", ".comment", "-o", out, dbg], "stripping")
    image_bytes = os.path.getsize(out)
    owners = []
    for p in a.archives + a.lib:
        owners += sorted(archive_symbols(a.toolchain, p, a.objdump).items())
    sources = source_owners(a.compile_db, {label for label, _ in owners}) if a.compile_db else None
    comp_dir = os.path.dirname(os.path.abspath(a.compile_db)) if a.compile_db else None
    code = line_table_owners(dbg, a.archives + a.lib, sources, comp_dir)
    rows, totals = size_report(elf, owners, code + toolchain_ranges(mapf))
    report = format_report(rows, totals, image_bytes, os.path.basename(out))
    with open(sizef, "w") as f:
        f.write(report)
    if a.print_size:
        sys.stdout.write(report)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cc", required=True, help="compiler command, as a JSON list")
    p.add_argument("--cflags", default="[]", help="compile flags for LTO code generation, JSON list")
    p.add_argument("--toolchain", choices=("gcc", "clang"), required=True)
    p.add_argument("--nm", required=True)
    p.add_argument("--strip", required=True)
    p.add_argument("--objdump", default="objdump", help="objdump for the target (gcc archives)")
    p.add_argument("--objcopy", default="objcopy", help="objcopy for the target (--raw)")
    p.add_argument("--raw", action="store_true",
                   help="write the image as a flat binary of its loadable bytes (arm64 Image)")
    p.add_argument("--script", required=True, help="platform linker script")
    p.add_argument("--app-name", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--main-stack-size", type=int, metavar="BYTES",
                   help="main()'s stack in this image (default: ukboot's, the option main_stack_size)")
    p.add_argument("--no-lto", dest="lto", action="store_false")
    p.add_argument("--lib", action="append", default=[], metavar="ARCHIVE",
                   help="an archive linked without --whole-archive (members on demand), after the others")
    p.add_argument("--relink-lto", action="store_true",
                   help="run LTO again in the second link instead of reusing the first's output "
                        "(slower; the same image: tests/cli/compose_check.py compares them)")
    p.add_argument("--no-symbols", dest="symbols", action="store_false",
                   help="do not embed function names for crash reports")
    p.add_argument("--print-size", action="store_true")
    p.add_argument("--compile-db", help="Meson's compile_commands.json: code is counted for the "
                                        "library each source file was compiled into")
    p.add_argument("archives", nargs="+", help="app archive first, then libraries and the platform")
    a = p.parse_args(argv)
    try:
        compose(a)
    except ComposeError as e:
        print(f"compose.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
