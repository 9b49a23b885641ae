"""`unikit new DIR`: scaffold an application repository (docs/apps.md): a
hello app, its meson.build, subprojects/unikit (a symlink to this checkout,
or a wrap-git with --git) and a boot test that `meson test` runs."""
import os
import re

from . import ROOT, pool
from .errors import UserError, say

MESON = """\
# {name}: a unikit application (docs/apps.md in unikit).
project('{name}', 'c', default_options: ['c_std=gnu11', 'warning_level=2'])
uk = subproject('unikit')
app = static_library('{name}', 'main.c', dependencies: uk.get_variable('app_dep'))
# One image per platform of the build ({name}_kvm-x86_64, {name}_linuxu-x86_64...);
# --needs names the features and libraries the app uses directly.
images = custom_target('{name}', input: app, output: '{name}.images', build_by_default: true,
  command: uk.get_variable('mkimage') + [{needs}])
test('{name}', uk.get_variable('unikit'), args: ['check', images, '--expect', '{expect}'],
  timeout: 300)
"""

MAIN_PLAIN = """\
#include <stdio.h>

int main(int argc, char *argv[])
{
	printf("Hello from {name}!\\n");
	for (int i = 1; i < argc; i++)
		printf("argument %d: %s\\n", i, argv[i]);
	return 0;
}
"""

MAIN_FILES_THREADS = """\
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Two threads write to one file in the image's root filesystem; main reads
 * it back. */
static void *writer(void *arg)
{
	FILE *f = fopen("/{name}.txt", "a");

	if (!f)
		return "fopen failed";
	fprintf(f, "written by thread %s\\n", (const char *)arg);
	fclose(f);
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *err = NULL;
	char line[64];
	int lines = 0;

	if (pthread_create(&t, NULL, writer, "one") || pthread_join(t, &err) || err)
		return 1;
	if (pthread_create(&t, NULL, writer, "two") || pthread_join(t, &err) || err)
		return 1;
	FILE *f = fopen("/{name}.txt", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	printf("Hello from {name}! %d lines from 2 threads\\n", lines);
	return lines == 2 ? 0 : 1;
}
"""

GITIGNORE = "/build/\n/build-*/\n/subprojects/unikit/\n/subprojects/packagecache/\n"

WRAP = """\
[wrap-git]
url = {url}
revision = {rev}
depth = 1
"""


def cmd_new(a):
    d = os.path.abspath(a.dir)
    name = a.name or os.path.basename(d.rstrip("/"))
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name):
        raise UserError(f"app name {name!r}: use a letter, then letters, digits, _ and - "
                        f"(--name NAME)")
    if os.path.exists(d) and os.listdir(d):
        raise UserError(f"{d} exists and is not empty; unikit new makes a new directory")
    needs = [n.strip() for n in (a.features or "").split(",") if n.strip()]
    libs = {r["name"] for r in pool.libraries()}
    feats = pool.features()
    for n in needs:
        if n not in libs and n not in feats:
            raise UserError(f"--features {n}: neither a feature nor a library; features: "
                            f"{', '.join(sorted(feats))}; libraries: {', '.join(sorted(libs))} "
                            f"(`unikit list`)")
    files_threads = "files" in needs and "threads" in needs
    os.makedirs(os.path.join(d, "subprojects"), exist_ok=True)
    needs_args = f"'--needs', '{','.join(needs)}'" if needs else ""
    expect = f"^Hello from {name}!"
    with open(os.path.join(d, "meson.build"), "w") as f:
        f.write(MESON.format(name=name, needs=needs_args, expect=expect))
    with open(os.path.join(d, "main.c"), "w") as f:
        f.write((MAIN_FILES_THREADS if files_threads else MAIN_PLAIN).replace("{name}", name))
    with open(os.path.join(d, ".gitignore"), "w") as f:
        f.write(GITIGNORE)
    if a.git:
        url, _, rev = a.git.partition("#")
        with open(os.path.join(d, "subprojects", "unikit.wrap"), "w") as f:
            f.write(WRAP.format(url=url, rev=rev or "main"))
        how = f"subprojects/unikit.wrap (wrap-git {url}, {rev or 'main'})"
    else:
        os.symlink(ROOT, os.path.join(d, "subprojects", "unikit"))
        how = f"subprojects/unikit -> {ROOT}"
    say(f"made {d}: meson.build, main.c, .gitignore, {how}")
    print(f"""next, in {d}:
    meson setup build --cross-file subprojects/unikit/cross/x86_64-gcc.ini
    ninja -C build                  # build/{name}_kvm-x86_64, build/{name}_linuxu-x86_64
    meson test -C build             # boots them and checks the output
    {os.path.join(ROOT, 'unikit')} run .   # or: run . --plat linuxu""")
    return 0


def add_parser(sub):
    s = sub.add_parser("new", help="scaffold an application repository (hello app, wrap, boot test)")
    s.add_argument("dir")
    s.add_argument("--name", help="the app's name (default: the directory's name)")
    s.add_argument("--features", help="comma-separated features or libraries the app uses "
                                      "(threads,files,net,...; see `unikit list`)")
    s.add_argument("--git", metavar="URL[#REV]",
                   help="write subprojects/unikit.wrap pointing at this git repository instead "
                        "of a symlink to this checkout")
    s.set_defaults(fn=cmd_new)
