/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * init of the Linux baseline VM (`./unikit bench http`): PID 1 of an
 * initramfs holding this program, the virtio modules of Debian's kernel and
 * httpreply built static with musl. It mounts devtmpfs and proc, takes the
 * console, loads the modules listed in /modules/order (finit_module, in that
 * order), configures eth0 from the kernel command line's ukip=A.B.C.D/P and
 * ukgw=A.B.C.D (which the kernel hands to init as environment variables) with
 * ioctls, applies uksysctl=name=value[,...], and execs /httpreply with ukport
 * (default 80). With ukexec=PATH on the command line it runs PATH instead,
 * with init's own arguments (the words after "--" on the kernel command
 * line), prints its exit status and powers the VM off (`unikit bench
 * sqlite` and `bench syscall` run their programs this way). With ukrun=PATH
 * it configures the network as for httpreply and execs PATH with init's
 * arguments instead (`bench nginx` and `bench redis` run Debian's servers
 * this way). Before any of them it
 * prints the CPU model the kernel sees ("init: cpu: ...") and every entry of
 * /sys/devices/system/cpu/vulnerabilities ("init: vulnerability NAME:
 * STATE"): what the kernel enabled against each.
 * Build: musl-gcc -static -Os -o init init.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void say(const char *fmt, const char *a, int err)
{
	fprintf(stderr, "init: ");
	fprintf(stderr, fmt, a);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fprintf(stderr, "\n");
}

static void console(void)
{
	int fd;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mkdir("/proc", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

static void load_modules(void)
{
	char line[256];
	FILE *f = fopen("/modules/order", "r");
	int n = 0;

	if (!f) {
		say("no %s", "/modules/order", errno);
		return;
	}
	while (fgets(line, sizeof(line), f) && n++ < 64) {
		int fd;

		line[strcspn(line, "\n")] = 0;
		if (!line[0])
			continue;
		fd = open(line, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			say("open %s", line, errno);
			continue;
		}
		if (syscall(SYS_finit_module, fd, "", 0) != 0 &&
		    errno != EEXIST)
			say("finit_module %s", line, errno);
		close(fd);
	}
	fclose(f);
}

static int set_addr(int s, const char *ifname, unsigned long req, in_addr_t a)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = a;
	return ioctl(s, req, &ifr);
}

static int up(int s, const char *ifname)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return ioctl(s, SIOCSIFFLAGS, &ifr);
}

static void network(void)
{
	const char *ip = getenv("ukip"), *gw = getenv("ukgw");
	char addr[32];
	char *slash;
	in_addr_t a, mask;
	int prefix = 24, s, i;
	struct timespec ts = {0, 10 * 1000 * 1000};

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		say("%s", "socket", errno);
		return;
	}
	up(s, "lo");
	if (!ip) {
		say("%s",
		    "no ukip= on the kernel command line: eth0 stays down", 0);
		return;
	}
	snprintf(addr, sizeof(addr), "%s", ip);
	slash = strchr(addr, '/');
	if (slash) {
		*slash = 0;
		prefix = atoi(slash + 1);
	}
	if (inet_pton(AF_INET, addr, &a) != 1 || prefix < 1 || prefix > 32) {
		say("bad ukip=%s", ip, 0);
		return;
	}
	mask = htonl(0xffffffffu << (32 - prefix));
	/* the device appears when virtio_net has probed it: wait up to 5 s */
	for (i = 0; i < 500 && !if_nametoindex("eth0"); i++)
		nanosleep(&ts, NULL);
	if (set_addr(s, "eth0", SIOCSIFADDR, a) < 0 ||
	    set_addr(s, "eth0", SIOCSIFNETMASK, mask) < 0 ||
	    up(s, "eth0") < 0) {
		say("configuring %s", "eth0", errno);
		return;
	}
	if (gw) {
		struct rtentry rt;
		struct sockaddr_in *g = (struct sockaddr_in *)&rt.rt_gateway;

		memset(&rt, 0, sizeof(rt));
		((struct sockaddr_in *)&rt.rt_dst)->sin_family = AF_INET;
		((struct sockaddr_in *)&rt.rt_genmask)->sin_family = AF_INET;
		g->sin_family = AF_INET;
		if (inet_pton(AF_INET, gw, &g->sin_addr) != 1)
			say("bad ukgw=%s", gw, 0);
		else {
			rt.rt_flags = RTF_UP | RTF_GATEWAY;
			if (ioctl(s, SIOCADDRT, &rt) < 0)
				say("default route via %s", gw, errno);
		}
	}
	close(s);
	printf("init: eth0 %s/%d\n", addr, prefix);
	fflush(stdout);
}

/* uksysctl=a.b.c=v[,d.e=w]: /proc/sys/a/b/c gets v (at most 8) */
static void sysctls(void)
{
	const char *env = getenv("uksysctl");
	char buf[256], path[160], *item, *save = NULL, *eq;
	int n = 0;

	if (!env)
		return;
	snprintf(buf, sizeof(buf), "%s", env);
	for (item = strtok_r(buf, ",", &save); item && n < 8;
	     item = strtok_r(NULL, ",", &save), n++) {
		FILE *f;
		char *p;

		eq = strchr(item, '=');
		if (!eq)
			continue;
		*eq = 0;
		snprintf(path, sizeof(path), "/proc/sys/%s", item);
		for (p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		f = fopen(path, "w");
		if (!f || fprintf(f, "%s\n", eq + 1) < 0 || fclose(f) != 0)
			say("sysctl %s", path, errno);
		else
			printf("init: %s = %s\n", path, eq + 1);
	}
}

/* The CPU model and the kernel's mitigation state, for the benchmark's
 * report (bounded: at most 64 entries, one line each). */
static void cpu_report(void)
{
	char line[512], path[320];
	FILE *f;
	DIR *d;
	struct dirent *e;
	int n = 0;

	mkdir("/sys", 0755);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10)) {
			char *v = strchr(line, ':');
			line[strcspn(line, "\n")] = 0;
			printf("init: cpu: %s\n", v ? v + 2 : line);
			break;
		}
	if (f)
		fclose(f);
	d = opendir("/sys/devices/system/cpu/vulnerabilities");
	if (!d) {
		say("no %s", "/sys/devices/system/cpu/vulnerabilities", errno);
		return;
	}
	while ((e = readdir(d)) && n < 64) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/vulnerabilities/%s",
			 e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			printf("init: vulnerability %s: %s\n", e->d_name, line);
			n++;
		}
		fclose(f);
	}
	closedir(d);
	fflush(stdout);
}

/* ukexec=PATH: PATH with `args` (argv[0] replaced), then power off */
static int run_program(const char *path, char **args)
{
	int status = 0;
	pid_t pid;

	args[0] = (char *)path;
	pid = fork();
	if (pid == 0) {
		execv(path, args);
		say("exec %s", path, errno);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		say("running %s", path, errno);
	else if (WIFEXITED(status))
		printf("init: %s exited with status %d\n", path,
		       WEXITSTATUS(status));
	else
		printf("init: %s ended by signal %d\n", path, WTERMSIG(status));
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}

int main(int argc, char **argv)
{
	const char *port = getenv("ukport"), *exe = getenv("ukexec");
	const char *srv = getenv("ukrun");
	char *hargv[] = {"httpreply", (char *)(port ? port : "80"), NULL};

	console();
	cpu_report();
	load_modules();
	if (exe && argc > 0)
		return run_program(exe, argv);
	network();
	sysctls();
	if (srv && argc > 0) {
		/* a server of the initramfs in place of httpreply */
		argv[0] = (char *)srv;
		execv(srv, argv);
		say("exec %s", srv, errno);
		return 1;
	}
	execv("/httpreply", hargv);
	say("exec %s", "/httpreply", errno);
	return 1;
}
