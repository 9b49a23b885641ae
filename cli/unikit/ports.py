"""The file trees the ported programs (examples/port-nginx, port-lighttpd,
port-redis) are
served with: one function per program writes a root filesystem (the
image's initrd, and the same files inside the Linux VM of `unikit bench`),
so that tests and benchmarks serve the same bytes. Deterministic content
(seeded), nothing from the host but the files named."""
import os
import random
import shutil

from . import ROOT

# what getpwnam("nobody") / getgrnam("nogroup") find (nginx checks the
# user it would switch to, even as a single process)
PASSWD = ("root:x:0:0:root:/root:/bin/sh\n"
          "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
          "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n")
GROUP = "root:x:0:\nnogroup:x:65534:\nwww-data:x:33:\n"
INDEX_BYTES = 612  # the index page's size (nginx's classic welcome page's)
SMALL_BYTES = 64 << 10
BIG_BYTES = 1 << 20


def nginx_source():
    """nginx's unpacked source tree (Meson unpacks it from the wrap)."""
    d = os.path.join(ROOT, "subprojects", "nginx-1.22.1")
    return d if os.path.isdir(d) else None


def redis_source():
    d = os.path.join(ROOT, "subprojects", "redis-7.0.15")
    return d if os.path.isdir(d) else None


def _data(seed, n):
    return random.Random(seed).randbytes(n)


def index_page():
    """An HTML page of exactly INDEX_BYTES bytes."""
    head = ("<!DOCTYPE html>\n<html>\n<head>\n<title>unikit nginx</title>\n</head>\n<body>\n"
            "<h1>It works</h1>\n<p>This page is served by nginx from the initrd of a unikit "
            "image, or by Debian's nginx in the Linux VM it is measured against.</p>\n<p>")
    tail = "</p>\n</body>\n</html>\n"
    fill = INDEX_BYTES - len(head) - len(tail)
    words = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
             "incididunt ut labore et dolore magna aliqua ") * 8
    body = (head + words[:fill] + tail).encode()
    assert len(body) == INDEX_BYTES
    return body


def text_doc():
    """About 100 KB of compressible text (the gzip checks)."""
    r = random.Random(7)
    words = ["nginx", "unikit", "image", "kernel", "request", "response", "header", "gzip",
             "static", "file", "range", "index", "proxy", "module", "event", "socket"]
    lines = [" ".join(r.choice(words) for _ in range(12)) for _ in range(1400)]
    return ("\n".join(lines) + "\n").encode()


def nginx_tree(dest, conf, mime_types):
    """dest/: etc/nginx/{nginx.conf,mime.types}, etc/passwd, etc/group, the
    site under srv/www, empty run/ and tmp/; `conf` the nginx.conf to use."""
    etc = os.path.join(dest, "etc", "nginx")
    www = os.path.join(dest, "srv", "www")
    for d in (etc, www, os.path.join(www, "files", "sub"), os.path.join(www, "private"),
              os.path.join(dest, "run"), os.path.join(dest, "tmp")):
        os.makedirs(d, exist_ok=True)
    shutil.copyfile(conf, os.path.join(etc, "nginx.conf"))
    shutil.copyfile(mime_types, os.path.join(etc, "mime.types"))
    return _site(dest, www)


def lighttpd_tree(dest, conf, mime_conf):
    """dest/: etc/lighttpd/{lighttpd.conf,mime.conf}, etc/passwd, etc/group,
    the same site as nginx_tree's under srv/www, empty run/ and tmp/;
    `conf` the lighttpd.conf to use, `mime_conf` lighttpd's own
    doc/config/conf.d/mime.conf."""
    etc = os.path.join(dest, "etc", "lighttpd")
    www = os.path.join(dest, "srv", "www")
    for d in (etc, www, os.path.join(www, "files", "sub"), os.path.join(www, "private"),
              os.path.join(dest, "run"), os.path.join(dest, "tmp")):
        os.makedirs(d, exist_ok=True)
    shutil.copyfile(conf, os.path.join(etc, "lighttpd.conf"))
    shutil.copyfile(mime_conf, os.path.join(etc, "mime.conf"))
    return _site(dest, www)


def _site(dest, www):
    """etc/passwd, etc/group and the documents under www; returns them."""
    with open(os.path.join(dest, "etc", "passwd"), "w") as f:
        f.write(PASSWD)
    with open(os.path.join(dest, "etc", "group"), "w") as f:
        f.write(GROUP)
    files = {
        "index.html": index_page(),
        "64k.bin": _data(64, SMALL_BYTES),
        "big.bin": _data(1, BIG_BYTES),
        "text.txt": text_doc(),
        "files/a.txt": b"file a\n",
        "files/b.html": b"<p>file b</p>\n",
        "files/sub/c.txt": b"file c\n",
        "private/secret.txt": b"not for you\n",
    }
    for name, data in files.items():
        with open(os.path.join(www, name), "wb") as f:
            f.write(data)
    return files


def redis_tree(dest, conf):
    """dest/: etc/redis/redis.conf (a copy of `conf`) and an empty data/,
    the `dir` of examples/port-redis/conf/redis.conf (SAVE writes
    data/dump.rdb there)."""
    etc = os.path.join(dest, "etc", "redis")
    for d in (etc, os.path.join(dest, "data")):
        os.makedirs(d, exist_ok=True)
    shutil.copyfile(conf, os.path.join(etc, "redis.conf"))
