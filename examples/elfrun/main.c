/*
 * elfrun: run an unmodified Linux x86_64 static(-PIE) program from the root
 * file system (e.g. the initrd) and exit with its status.
 *
 *   ./unikit run elfrun --initrd DIR -- /bin/prog arg1 arg2
 *
 * The program gets argv = {"/bin/prog", "arg1", "arg2"}, a small fixed
 * environment and Linux's initial stack, and becomes the image's first
 * process (pid 1) through execve (posixexec): it may start others with
 * vfork/posix_spawn and execve. Its system calls enter the image through
 * the binary-compatible path, and its exit ends the image with its status.
 * elfrun's own errors: 127 (no such file), 126 (cannot run it), 2 (usage).
 * Segment permissions (text read+exec, rodata read-only, no page writable
 * and executable) are the loader's default: the mprotect() system call,
 * which posixmmap applies to the page tables (ukplat_page_protect).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/elfloader.h>
#include <uk/exec.h>
#include <uk/procfs.h>

static char *const envp[] = {"HOME=/", "PATH=/bin:/usr/bin", "TERM=dumb",
			     "PWD=/", NULL};

int main(int argc, char *argv[])
{
	char err[UK_ELF_ERRLEN];
	const char *path;
	int rc;

	if (argc < 2 || argv[1][0] == '\0') {
		printf("usage: elfrun /path/to/program [arguments...]\n");
		return 2;
	}
	path = argv[1];
	/* what the program finds in /proc/self/exe and cmdline */
	uk_procfs_set_exe(path);
	uk_procfs_set_cmdline(argc - 1, argv + 1);
	rc = uk_exec(path, argv + 1, envp, err, sizeof(err));
	printf("elfrun: %s: %s\n", path, err[0] ? err : strerror(-rc));
	return rc == -ENOENT || rc == -ENOTDIR ? 127 : 126;
}
