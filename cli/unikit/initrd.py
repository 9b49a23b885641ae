"""Initrds: a directory tree as a cpio newc archive, which the image's
initrd library extracts into its root filesystem."""
import atexit
import os
import stat
import tempfile

from .errors import UserError


def cpio_newc(root):
    """The directory tree `root` as a cpio "newc" archive (bytes): what the
    image's initrd library extracts into its root filesystem. Owners and
    times are normalised (uid/gid 0, mtime of the file); hard links are
    stored as separate files; sockets, devices and fifos are refused."""
    out = bytearray()
    ino = [0]

    def entry(name, st_mode, mtime, data=b""):
        ino[0] += 1
        nb = name.encode() + b"\0"
        fields = [ino[0], st_mode, 0, 0, 2 if stat.S_ISDIR(st_mode) else 1, int(mtime),
                  len(data), 0, 0, 0, 0, len(nb), 0]
        out.extend(b"070701" + "".join(f"{f:08x}" for f in fields).encode())
        out.extend(nb)
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(data)
        out.extend(b"\0" * (-len(out) % 4))

    root = os.path.abspath(root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        if rel != ".":
            st = os.lstat(dirpath)
            entry(rel, st.st_mode, st.st_mtime)
        for fn in sorted(filenames) + sorted(d for d in dirnames if os.path.islink(os.path.join(dirpath, d))):
            full = os.path.join(dirpath, fn)
            name = os.path.normpath(os.path.join(rel, fn))
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                entry(name, st.st_mode, st.st_mtime, os.readlink(full).encode())
            elif stat.S_ISREG(st.st_mode):
                with open(full, "rb") as f:
                    entry(name, st.st_mode, st.st_mtime, f.read())
            else:
                raise UserError(f"initrd: {full} is not a file, directory or symlink")
    entry("TRAILER!!!", 0, 0)
    return bytes(out)


def initrd_file(path):
    """--initrd: a directory is packed into a temporary cpio archive; a file is
    passed as it is (the image checks it)."""
    if os.path.isdir(path):
        fd, tmp = tempfile.mkstemp(prefix="unikit-initrd-", suffix=".cpio")
        with os.fdopen(fd, "wb") as f:
            f.write(cpio_newc(path))
        atexit.register(os.unlink, tmp)
        return tmp
    if not os.path.isfile(path):
        raise UserError(f"--initrd {path}: no such file or directory")
    return os.path.abspath(path)


