/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu: a unikit image as a static Linux process, with no host libc.
 * Console = fd 1 (output) and fd 0 (input), kernel log = fd 2, memory = one
 * anonymous mmap (touched lazily), command line = the process arguments, exit
 * status = exit_group(), fatal signals = the same crash report as a CPU
 * exception on kvm.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/arch/regs.h>
#include <uk/boot.h>
#include <uk/crash.h>
#include <uk/plat/bootinfo.h>
#include <uk/plat/console.h>
#include <uk/plat/halt.h>
#include <uk/plat/stack.h>
#include <uk/print.h>
#include <uk/ssp.h>
#ifdef UK_STACK_PROTECTOR
#include <uk/stackguard.h>
#endif
#include "linuxu.h"
#include "sysno.h"

#ifndef LINUXU_HEAP_SIZE
#define LINUXU_HEAP_SIZE (64ul << 20)
#endif
#define CMDLINE_CAP (64u << 10)

static struct ukplat_bootinfo bootinfo;
static char cmdline[CMDLINE_CAP];
static uintptr_t stack_top;
static char altstack[16384] __attribute__((aligned(16)));

#define SYSCALL3(n, a, b, c) \
	ukplat_linuxu_syscall((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

const struct ukplat_bootinfo *ukplat_bootinfo(void)
{
	return &bootinfo;
}

/* A stack the platform did not make (main()'s, ukboot): <uk/plat/stack.h> */
static const char *reg_name;
static uintptr_t reg_guard, reg_lo, reg_hi;

void ukplat_stack_register(const char *name, uintptr_t guard, uintptr_t lo,
			   uintptr_t hi)
{
	reg_name = name;
	reg_guard = guard;
	reg_lo = lo;
	reg_hi = hi;
}

uintptr_t ukplat_stack_top(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t alt = (uintptr_t)altstack;

	if (sp >= alt && sp < alt + sizeof(altstack))
		return alt + sizeof(altstack);
	if (sp >= reg_lo && sp < reg_hi)
		return reg_hi;
	return stack_top;
}

static size_t write_fd(int fd, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		long r = SYSCALL3(SYS_write, fd, buf + done, len - done);
		if (r == -4 /* EINTR */)
			continue;
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	return done;
}

size_t ukplat_console_write(const char *buf, size_t len)
{
	return write_fd(1, buf, len);
}

/* The kernel's messages on the process's stderr: stdout stays the
 * program's (docs/design.md, "The console"). */
size_t ukplat_log_write(const char *buf, size_t len)
{
	return write_fd(2, buf, len);
}

void ukplat_console_set_onlcr(int on)
{
	(void)on; /* the host's tty translates when fd 1 is one */
}

/* Without waiting: poll() first, so that a reader sleeps in the scheduler
 * (other threads run) instead of blocking the whole process in read(). */
long ukplat_console_read(char *buf, size_t len)
{
	struct {
		int fd;
		short events, revents;
	} pfd = {0, 0x1 /* POLLIN */, 0};
	const struct {
		long sec, nsec;
	} zero = {0, 0}; /* ppoll's timeout: none, just look */
	long r;

	if (!len)
		return 0;
	r = ukplat_linuxu_syscall(SYS_ppoll, (long)&pfd, 1, (long)&zero, 0, 0,
				  0);
	if (r == -4 /* EINTR */ || r == 0)
		return 0;
	if (r < 0 || (pfd.revents & 0x20 /* POLLNVAL */))
		return -EPIPE; /* no fd 0: nothing will ever come */
	r = SYSCALL3(SYS_read, 0, buf, len);
	if (r == -4 /* EINTR */ || r == -11 /* EAGAIN */)
		return 0;
	if (r <= 0)
		return -EPIPE; /* end of file, or an error that stays */
	return r;
}

int ukplat_console_ioctl(unsigned long cmd, void *arg)
{
	return (int)SYSCALL3(SYS_ioctl, 0, cmd, arg);
}

void ukplat_exit(int status)
{
	for (;;)
		SYSCALL3(SYS_exit_group, status & 0xff, 0, 0);
}

/* The kernel's struct sigaction (x86_64, and arm64's asm-generic one with
 * SA_RESTORER). */
struct k_sigaction {
	void (*handler)(int, void *, void *);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};
#define SA_SIGINFO  0x4
#define SA_ONSTACK  0x08000000
#define SA_RESTORER 0x04000000
#define SA_NODEFER  0x40000000

static const char *signame(int sig)
{
	switch (sig) {
	case 4:
		return "SIGILL (illegal instruction)";
	case 5:
		return "SIGTRAP (breakpoint)";
	case 7:
		return "SIGBUS (bus error)";
	case 8:
		return "SIGFPE (arithmetic exception)";
	case 11:
		return "SIGSEGV (invalid memory access)";
	default:
		return "fatal signal";
	}
}

static void crash_handler(int sig, void *info, void *ucv)
{
	static int nested;
	uintptr_t addr, sp;
	int code;
	struct ukarch_regs r;

	memcpy(&addr, (const char *)info + 16, sizeof(addr)); /* si_addr */
	memcpy(&code, (const char *)info + 8, sizeof(code));  /* si_code */
	if (nested++)
		ukplat_exit(UKPLAT_EXIT_CRASH);
	linuxu_arch_regs(ucv, sig, &r);
	linuxu_arch_crash_line(sig, signame(sig), &r);
	if (sig == 11 || sig == 7)
		uk_crash_page_fault(
			addr, linuxu_arch_fault_access(sig, code, addr, &r));
	if (sig == 11 && reg_guard && addr >= reg_guard &&
	    addr < reg_guard + 4096)
		uk_printk(UK_LOG_CRIT, "linuxu",
			  "stack overflow: %s ran into its guard page",
			  reg_name);
	sp = ukarch_regs_sp(&r);
	uk_crash_report(&r, (sp >= reg_lo && sp < reg_hi) ? reg_hi
			    : (sp < stack_top)		  ? stack_top
							  : 0);
	ukplat_exit(UKPLAT_EXIT_CRASH);
}

static void install_crash_handlers(void)
{
	struct {
		void *sp;
		int flags;
		size_t size;
	} ss = {altstack, 0, sizeof(altstack)};
	static const int sigs[] = {4, 5, 7, 8, 11};

	SYSCALL3(SYS_sigaltstack, &ss, 0, 0);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* x86_64 Linux refuses to deliver a signal without a
		 * restorer (arm64's would use the vDSO's); the handler
		 * never returns, but name one. */
		struct k_sigaction sa = {
			.handler = crash_handler,
			.flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER |
				 SA_RESTORER,
			.restorer = ukplat_linuxu_sigreturn,
		};
		ukplat_linuxu_syscall(SYS_rt_sigaction, sigs[i], (long)&sa, 0,
				      8, 0, 0);
	}
}

/* UK_INITRD=FILE in the environment plays QEMU's -initrd: the file is
 * mapped read-only (private) and handed over like a PVH module. */
static void linuxu_map_initrd(const char *path)
{
	long fd = ukplat_linuxu_syscall(SYS_openat, LINUXU_AT_FDCWD, (long)path,
					0 /* O_RDONLY */, 0, 0, 0);
	if (fd < 0) {
		uk_pr_crit("UK_INITRD=%s: cannot open (errno %ld)", path, -fd);
		ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
	}
	long size = ukplat_linuxu_syscall(SYS_lseek, fd, 0, 2 /* SEEK_END */, 0,
					  0, 0);
	if (size < 0) {
		uk_pr_crit("UK_INITRD=%s: cannot find its size (errno %ld)",
			   path, -size);
		ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
	}
	if (size > 0) {
		long p = ukplat_linuxu_syscall(SYS_mmap, 0, size, 1 /* READ */,
					       2 /* PRIVATE */, fd, 0);
		if (p < 0 && p > -4096) {
			uk_pr_crit("UK_INITRD=%s: cannot map %ld bytes "
				   "(errno %ld)",
				   path, size, -p);
			ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
		}
		bootinfo.initrd = (const void *)p;
		bootinfo.initrd_len = (size_t)size;
	}
	ukplat_linuxu_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
}

/* The boot proper, protected (not inlined into the entry, which is not). */
static __attribute__((noinline)) void linuxu_setup(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	stack_top = (uintptr_t)sp;
	/* The auxiliary vector follows argv and envp (x86_64: AT_HWCAP2 tells
	 * whether the kernel lets us write the FS base ourselves). */
	char **envp = argv + argc + 1;
	const char *initrd = NULL;
	while (*envp) {
		if (!strncmp(*envp, "UK_INITRD=", 10))
			initrd = *envp + 10;
		envp++;
	}
	for (long *av = (long *)(envp + 1); av[0] != 0 /* AT_NULL */; av += 2)
		linuxu_arch_auxv(av[0], av[1]);
	install_crash_handlers();

	bootinfo.plat_name = "linuxu";
	bootinfo.loader_name = "linux";
	long n = linuxu_join_args(argc, argv, cmdline, sizeof(cmdline));
	if (n < 0) {
		uk_pr_crit("the %d process arguments do not fit in the %u-byte "
			   "command line buffer",
			   argc - 1, CMDLINE_CAP);
		ukplat_exit(UKPLAT_EXIT_BOOTFAIL);
	}
	bootinfo.cmdline = cmdline;
	bootinfo.cmdline_len = (size_t)n;

	if (initrd && *initrd)
		linuxu_map_initrd(initrd);

	/* The heap: reserved now, backed by the host only when touched. */
	long mem =
		ukplat_linuxu_syscall(SYS_mmap, 0, LINUXU_HEAP_SIZE, 3 /* RW */,
				      0x4022 /* PRIV|ANON|NORESERVE */, -1, 0);
	if (mem < 0 && mem > -4096) {
		uk_pr_warn("could not reserve %lu MiB of memory (errno %ld): "
			   "no heap",
			   LINUXU_HEAP_SIZE >> 20, -mem);
	} else {
		bootinfo.memregions[0].base = (uintptr_t)mem;
		bootinfo.memregions[0].len = LINUXU_HEAP_SIZE;
		bootinfo.memregions[0].type = UKPLAT_MEMR_FREE;
		bootinfo.nr_memregions = 1;
	}
	ukboot_entry();
}

void ukplat_linuxu_entry(long *sp);
/* Unprotected: the stack protector's canary changes while it runs. */
UK_NO_STACK_PROTECTOR void ukplat_linuxu_entry(long *sp)
{
#ifdef UK_STACK_PROTECTOR
	/* the first call of the process */
	const char *src;
	__stack_chk_guard = uk_random_stack_guard(0, &src);
#endif
	linuxu_setup(sp);
}
