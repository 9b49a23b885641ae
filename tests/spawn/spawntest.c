/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Processes in the elfrun image (a static-PIE Linux program, musl): vfork +
 * execve of itself in another role, exit statuses and deaths by signal
 * through waitpid/waitid, WNOHANG, SIGCHLD, getppid, descriptors inherited
 * with close-on-exec honoured, an exec that fails, fork refused; with
 * `pipeline FILE`, posix_spawn of busybox cat | tr | wc -c over pipes.
 * Prints "ok"/"FAIL" lines and exits 0 only if every check held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int failures;
static const char *self;

#define CHECK(cond, ...)                             \
	do {                                         \
		if (cond) {                          \
			printf("ok   " __VA_ARGS__); \
		} else {                             \
			failures++;                  \
			printf("FAIL " __VA_ARGS__); \
		}                                    \
		printf("\n");                        \
	} while (0)

static volatile int sigchld;
static void on_chld(int s)
{
	(void)s;
	sigchld++;
}

/* vfork + execve of ourselves with args; returns the child's pid */
static pid_t run(char *const args[])
{
	pid_t pid = vfork();

	if (pid == 0) {
		execve(self, args, environ);
		_exit(127);
	}
	return pid;
}

static int child(int argc, char **argv)
{
	if (!strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (!strcmp(argv[1], "ppid"))
		return getppid() == atoi(argv[2]) ? 0 : 1;
	if (!strcmp(argv[1], "kill")) {
		raise(atoi(argv[2]));
		return 99;
	}
	if (!strcmp(argv[1], "fds")) {
		/* argv[2]: a descriptor that must be open, argv[3]: closed */
		int open_ok = fcntl(atoi(argv[2]), F_GETFD) >= 0;
		int closed_ok = fcntl(atoi(argv[3]), F_GETFD) < 0;
		return open_ok && closed_ok ? 0 : 1;
	}
	(void)argc;
	return 3;
}

static int pipeline(const char *file)
{
	char *const cat[] = {"cat", (char *)file, NULL};
	char *const tr[] = {"tr", "a-z", "A-Z", NULL};
	char *const wc[] = {"wc", "-c", NULL};
	int p1[2], p2[2], p3[2], st, ok = 1;
	pid_t pids[3];
	posix_spawn_file_actions_t fa[3];
	char buf[64] = {0};

	if (pipe2(p1, O_CLOEXEC) || pipe2(p2, O_CLOEXEC) ||
	    pipe2(p3, O_CLOEXEC)) {
		printf("FAIL pipe2: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < 3; i++)
		posix_spawn_file_actions_init(&fa[i]);
	posix_spawn_file_actions_adddup2(&fa[0], p1[1], 1);
	posix_spawn_file_actions_adddup2(&fa[1], p1[0], 0);
	posix_spawn_file_actions_adddup2(&fa[1], p2[1], 1);
	posix_spawn_file_actions_adddup2(&fa[2], p2[0], 0);
	posix_spawn_file_actions_adddup2(&fa[2], p3[1], 1);
	CHECK(posix_spawn(&pids[0], "/bin/busybox", &fa[0], NULL, cat,
			  environ) == 0,
	      "posix_spawn busybox cat");
	CHECK(posix_spawn(&pids[1], "/bin/busybox", &fa[1], NULL, tr,
			  environ) == 0,
	      "posix_spawn busybox tr");
	CHECK(posix_spawn(&pids[2], "/bin/busybox", &fa[2], NULL, wc,
			  environ) == 0,
	      "posix_spawn busybox wc -c");
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
	close(p3[1]);
	for (int i = 0; i < 3; i++) {
		pid_t w = waitpid(pids[i], &st, 0);
		ok &= w == pids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		CHECK(w == pids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "pipeline stage %d (pid %d) exited 0 (status 0x%x)", i,
		      (int)pids[i], st);
	}
	ssize_t n = read(p3[0], buf, sizeof(buf) - 1);
	printf("pipeline: wc -c says %s", n > 0 ? buf : "nothing\n");
	return ok && n > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	int st;
	pid_t pid, w;
	char ppid[16], fd1[8], fd2[8];

	self = argv[0];
	if (argc >= 2 && strcmp(argv[1], "pipeline") && strcmp(argv[1], "main"))
		return child(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "pipeline"))
		return pipeline(argv[2]);

	signal(SIGCHLD, on_chld);
	printf("spawntest: pid %d, parent %d\n", (int)getpid(), (int)getppid());

	pid = run((char *const[]){"spawntest", "exit", "7", NULL});
	CHECK(pid > 1, "vfork gave pid %d", (int)pid);
	w = waitpid(pid, &st, 0);
	CHECK(w == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "exit status 7 through waitpid (got pid %d, status 0x%x)", (int)w,
	      st);
	CHECK(sigchld == 1, "SIGCHLD arrived (%d)", sigchld);

	snprintf(ppid, sizeof(ppid), "%d", (int)getpid());
	pid = run((char *const[]){"spawntest", "ppid", ppid, NULL});
	w = waitpid(-1, &st, 0);
	CHECK(w == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the child's getppid is our pid");

	pid = run((char *const[]){"spawntest", "kill", "15", NULL});
	siginfo_t si = {0};
	CHECK(waitid(P_PID, pid, &si, WEXITED) == 0 && si.si_pid == pid &&
		      si.si_code == CLD_KILLED && si.si_status == SIGTERM,
	      "waitid: killed by SIGTERM (code %d, status %d)", si.si_code,
	      si.si_status);
	pid = run((char *const[]){"spawntest", "kill", "11", NULL});
	w = waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && WCOREDUMP(st),
	      "killed by SIGSEGV, core-dump flag (status 0x%x)", st);

	/* descriptors: one inherited, one close-on-exec */
	int a = open("/", O_RDONLY | O_DIRECTORY);
	int b = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(fd1, sizeof(fd1), "%d", a);
	snprintf(fd2, sizeof(fd2), "%d", b);
	pid = run((char *const[]){"spawntest", "fds", fd1, fd2, NULL});
	w = waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "descriptor %d inherited, close-on-exec %d closed", a, b);
	CHECK(fcntl(b, F_GETFD) == FD_CLOEXEC, "ours still open");

	/* an exec that fails: the child reports it itself */
	pid = vfork();
	if (pid == 0) {
		execve("/nonexistent", (char *const[]){"x", NULL}, environ);
		_exit(errno == ENOENT ? 42 : 43);
	}
	w = waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42,
	      "exec of a missing file: ENOENT");

	/* WNOHANG with a running child, ECHILD with none */
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "ECHILD");
	CHECK(syscall(SYS_fork) == -1 && errno == ENOSYS, "fork: ENOSYS");
	CHECK(kill(12345, 0) == -1 && errno == ESRCH,
	      "kill of no process: ESRCH");

	printf("spawntest: %s (%d failures)\n", failures ? "FAILED" : "all OK",
	       failures);
	return failures ? 1 : 0;
}
