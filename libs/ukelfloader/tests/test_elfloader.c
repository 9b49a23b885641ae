/* Native tests of the ELF loader: every malformation with its message,
 * loading and the initial stack of crafted files, entering a crafted
 * program and (with musl-gcc) a real static-PIE one in a child process, and
 * random mutations of a valid file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <uk/arch/syscall.h>
#include <uk/alloc.h>
#include <uk/elfloader.h>
#include <uk/syscall.h>
#include "../src/elf.h"

/* ---- platform doubles (ukdebug prints through them) ---- */
/* exit: the loaded programs run in forked children, whose exit status the
 * parent checks */
#define PLAT_DOUBLES_OWN_EXIT
#include <uk/plat_doubles.h>
void ukplat_exit(int status)
{
	_exit(status);
}
int ukplat_page_guard(void *page, int on)
{
	return mprotect(page, 4096, on ? PROT_NONE : PROT_READ | PROT_WRITE)
		       ? -errno
		       : 0;
}

/* ---- allocator double: page-aligned host memory, 64 MiB at most ---- */
static struct uk_alloc host_alloc;
static long pages_out;
struct uk_alloc *uk_alloc_get_default(void)
{
	return &host_alloc;
}
void *uk_palloc(struct uk_alloc *a, size_t npages)
{
	(void)a;
	if (npages > (64u << 20) / 4096)
		return NULL;
	void *p = aligned_alloc(4096, npages * 4096);
	if (p)
		pages_out += (long)npages;
	return p;
}
void uk_pfree(struct uk_alloc *a, void *ptr, size_t npages)
{
	(void)a;
	pages_out -= (long)npages;
	free(ptr);
}

/* ---- system call doubles: the host's calls ---- */
static int mprotect_calls;
static long host(long r)
{
	return r < 0 ? -errno : r;
}
UK_SYSCALL_R_DEFINE(int, mprotect, void *, addr, size_t, len, int, prot)
{
	mprotect_calls++;
	return (int)host(mprotect(addr, len, prot));
}
UK_SYSCALL_R_DEFINE(long, mmap, void *, addr, size_t, len, int, prot, int,
		    flags, int, fd, long, off)
{
	if (len > (64u << 20))
		return -ENOMEM;
	void *r = mmap(addr, len, prot, flags, fd, off);
	return r == MAP_FAILED ? -errno : (long)r;
}
UK_SYSCALL_R_DEFINE(int, munmap, void *, addr, size_t, len)
{
	return (int)host(munmap(addr, len));
}
UK_SYSCALL_R_DEFINE(int, openat, int, dfd, const char *, path, int, flags, int,
		    mode)
{
	return (int)host(openat(dfd, path, flags, mode));
}
UK_SYSCALL_R_DEFINE(int, fstat, int, fd, void *, st)
{
	return (int)host(syscall(SYS_fstat, fd, st));
}
static size_t read_chunk = 1 << 30; /* short reads when small */
UK_SYSCALL_R_DEFINE(ssize_t, read, int, fd, void *, buf, size_t, len)
{
	return host(read(fd, buf, len < read_chunk ? len : read_chunk));
}
UK_SYSCALL_R_DEFINE(int, close, int, fd)
{
	return (int)host(close(fd));
}

/* ---- a crafted valid file ---- */

/* mov (%rsp),%rdi; check rsp % 16 == 0, rdx == 0, rbx == 0; exit(argc),
 * else exit(99) */
static const uint8_t code[] = {0x48, 0x8b, 0x3c, 0x24, 0x40, 0xf6, 0xc4, 0x0f,
			       0x75, 0x11, 0x48, 0x85, 0xd2, 0x75, 0x0c, 0x48,
			       0x85, 0xdb, 0x75, 0x07, 0xb8, 0x3c, 0x00, 0x00,
			       0x00, 0x0f, 0x05, 0xbf, 0x63, 0x00, 0x00, 0x00,
			       0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05};

#define CODE_OFF 0x200
#define FILE_LEN 0x1100 /* text page + 0x100 bytes of data */

struct crafted {
	struct ukelf_ehdr e;
	struct ukelf_phdr ph[3];
};

/* ET_DYN: [0] PT_LOAD R+X file 0..0x1000 at 0, [1] PT_LOAD RW file
 * 0x1000..0x1100 at 0x2000 (+0x100 bss), [2] PT_GNU_STACK. */
static uint8_t *make_elf(size_t *len)
{
	uint8_t *b = calloc(1, FILE_LEN);
	struct crafted *c = (struct crafted *)b;

	memcpy(c->e.ident,
	       "\x7f"
	       "ELF",
	       4);
	c->e.ident[4] = UKELF_CLASS64;
	c->e.ident[5] = UKELF_DATA2LSB;
	c->e.ident[6] = UKELF_EV_CURRENT;
	c->e.type = UKELF_ET_DYN;
	c->e.machine = UKELF_EM_X86_64;
	c->e.version = UKELF_EV_CURRENT;
	c->e.entry = CODE_OFF;
	c->e.phoff = 64;
	c->e.ehsize = 64;
	c->e.phentsize = 56;
	c->e.phnum = 3;
	c->ph[0] = (struct ukelf_phdr){
		UKELF_PT_LOAD, UKELF_PF_R | UKELF_PF_X, 0, 0, 0, 0x1000, 0x1000,
		0x1000};
	c->ph[1] = (struct ukelf_phdr){UKELF_PT_LOAD, UKELF_PF_R | UKELF_PF_W,
				       0x1000,	      0x2000,
				       0x2000,	      0x100,
				       0x200,	      0x1000};
	c->ph[2] = (struct ukelf_phdr){
		0x6474e551, UKELF_PF_R | UKELF_PF_W, 0, 0, 0, 0, 0, 16};
	memcpy(b + CODE_OFF, code, sizeof(code));
	memset(b + 0x1000, 0xab, 0x100);
	*len = FILE_LEN;
	return b;
}

static struct crafted *C(uint8_t *b)
{
	return (struct crafted *)b;
}

static void test_valid(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_elf(&len);
	struct uk_elf_prog p;

	assert_int_equal(uk_elf_load_mem(&p, b, len), 0);
	assert_string_equal(p.err, "");
	assert_int_equal(p.len, 0x3000);
	assert_int_equal(p.fixed, 0);
	assert_int_equal(p.bias, (uintptr_t)p.mem);
	assert_int_equal(p.entry, (uintptr_t)p.mem + CODE_OFF);
	assert_int_equal(p.phdr, (uintptr_t)p.mem + 64);
	assert_int_equal(p.phnum, 3);
	assert_int_equal(p.prot_applied, 1);
	assert_memory_equal((uint8_t *)p.mem + CODE_OFF, code, sizeof(code));
	uint8_t *data = (uint8_t *)p.mem + 0x2000;
	for (int i = 0; i < 0x100; i++)
		assert_int_equal(data[i], 0xab);
	for (int i = 0x100; i < 0x1000; i++)
		assert_int_equal(data[i], 0); /* bss and the rest of the page */
	data[0x150] = 1;		      /* data is writable */
	uk_elf_unload(&p);
	assert_int_equal(pages_out, 0);
	free(b);
}

/* The protection hook sees every page range with its segment's bits. */
static int hook_calls, hook_prot[8];
static size_t hook_len[8];
static int hook(void *addr, size_t len, int prot)
{
	(void)addr;
	if (hook_calls < 8) {
		hook_len[hook_calls] = len;
		hook_prot[hook_calls] = prot;
	}
	hook_calls++;
	return 0;
}

static void test_protect_hook(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_elf(&len);
	struct uk_elf_prog p;

	uk_elf_set_protect(hook);
	assert_int_equal(uk_elf_load_mem(&p, b, len), 0);
	/* text R+X, the uncovered page R, data R+W */
	assert_int_equal(hook_calls, 3);
	assert_int_equal(hook_prot[0], UKELF_PROT_READ | UKELF_PROT_EXEC);
	assert_int_equal(hook_prot[1], UKELF_PROT_READ);
	assert_int_equal(hook_prot[2], UKELF_PROT_READ | UKELF_PROT_WRITE);
	assert_int_equal(hook_len[0], 4096);
	uk_elf_unload(&p);
	assert_int_equal(hook_calls, 4); /* back to R+W */
	assert_int_equal(hook_prot[3], UKELF_PROT_READ | UKELF_PROT_WRITE);
	uk_elf_set_protect(NULL);
	free(b);
}

/* Mutate the valid file with `edit`, expect rc and a message containing
 * `want`. */
#define BAD(rc, want, ...)                                                    \
	do {                                                                  \
		size_t len;                                                   \
		uint8_t *b = make_elf(&len);                                  \
		struct uk_elf_prog p;                                         \
		__VA_ARGS__;                                                  \
		int r = uk_elf_load_mem(&p, b, len);                          \
		if (r != (rc) || !strstr(p.err, want))                        \
			fail_msg("got %d '%s', want %d '%s'", r, p.err, (rc), \
				 want);                                       \
		assert_null(p.mem);                                           \
		assert_int_equal(pages_out, 0);                               \
		free(b);                                                      \
	} while (0)

static void test_header_errors(void **state)
{
	(void)state;
	BAD(-ENOEXEC, "not an ELF file (bad magic)", b[1] = 'X');
	BAD(-ENOEXEC, "not an ELF file (bad magic)", len = 3);
	BAD(-ENOEXEC, "not an ELF file (bad magic)", memcpy(b, "#!/b", 4));
	BAD(-ENOEXEC, "truncated file: 40 bytes, less than the 64-byte",
	    len = 40);
	BAD(-ENOEXEC, "wrong ELF class 1 (32-bit), need 64-bit", b[4] = 1);
	BAD(-ENOEXEC, "wrong ELF class 0 (invalid)", b[4] = 0);
	BAD(-ENOEXEC, "wrong byte order 2 (big-endian)", b[5] = 2);
	BAD(-ENOEXEC, "unknown ELF version", b[6] = 2);
	BAD(-ENOEXEC, "wrong machine 183 (aarch64), need x86_64",
	    C(b)->e.machine = UKELF_EM_AARCH64);
	BAD(-ENOEXEC, "wrong machine 3 (i386)", C(b)->e.machine = 3);
	BAD(-ENOEXEC, "relocatable object (ET_REL)", C(b)->e.type = 1);
	BAD(-ENOEXEC, "core dump (ET_CORE)", C(b)->e.type = 4);
	BAD(-ENOEXEC, "wrong type 77", C(b)->e.type = 77);
	BAD(-ENOEXEC, "bad program header size 32", C(b)->e.phentsize = 32);
	BAD(-ENOEXEC, "no program headers", C(b)->e.phnum = 0);
	BAD(-ENOEXEC, "1000 program headers, more than the limit",
	    C(b)->e.phnum = 1000);
	BAD(-ENOEXEC, "program headers out of the file (offset 4300",
	    C(b)->e.phoff = 4300);
	BAD(-ENOEXEC, "program headers out of the file",
	    C(b)->e.phoff = UINT64_MAX - 8);
	BAD(-ENOEXEC, "program headers out of the file (offset 64, 3 x 56",
	    len = 100);
	BAD(-ENOEXEC, "misaligned offset", C(b)->e.phoff = 68);
}

static void test_segment_errors(void **state)
{
	(void)state;
	BAD(-ENOEXEC, "segment 1: file size 768 above its memory size 512",
	    C(b)->ph[1].filesz = 0x300);
	BAD(-ENOEXEC,
	    "segment 1: data out of the file (offset 4096 + 256 "
	    "bytes, file is 4200 bytes): truncated?",
	    len = 4200);
	BAD(-ENOEXEC, "segment 0: data out of the file",
	    C(b)->ph[0].offset = UINT64_MAX - 10);
	BAD(-ENOEXEC, "segment 1: huge", C(b)->ph[1].memsz = 1ull << 40);
	BAD(-ENOEXEC, "segment 1: huge",
	    C(b)->ph[1].vaddr = UINT64_MAX - 0x1000 + 0x1000 - 0x100);
	BAD(-EFBIG, "segments span 1024 MiB", C(b)->ph[1].vaddr = 1ull << 30);
	BAD(-ENOEXEC, "alignment 3000 is not a power of two",
	    C(b)->ph[1].align = 3000);
	BAD(-ENOEXEC,
	    "segment 1: address 0x2010 and file offset 0x1000 "
	    "differ modulo the page size",
	    C(b)->ph[1].vaddr = 0x2010);
	BAD(-ENOEXEC, "segment 1: overlaps or precedes the previous one",
	    C(b)->ph[1].vaddr = 0x0);
	BAD(-ENOEXEC,
	    "segment 1: overlaps or precedes the previous one "
	    "(0x0 < 0x1000)",
	    C(b)->ph[1].vaddr = 0;
	    C(b)->ph[1].offset = 0);
	BAD(-ENOEXEC, "no loadable segment (PT_LOAD)", C(b)->ph[0].type = 4;
	    C(b)->ph[1].type = 4);
	BAD(-ENOEXEC, "entry point 0x2010 is not in an executable segment",
	    C(b)->e.entry = 0x2010);
	BAD(-ENOEXEC, "entry point 0x9000 is not in an executable segment",
	    C(b)->e.entry = 0x9000);
	BAD(-ENOEXEC, "program headers are not in a loaded segment",
	    C(b)->ph[0].offset = 0x1000;
	    C(b)->ph[0].vaddr = 0x1000; C(b)->ph[0].filesz = 0;
	    C(b)->ph[0].memsz = 0x1000; C(b)->e.entry = 0x1000);
	BAD(-ENOMEM, "not enough memory: 65544 KiB for the segments",
	    C(b)->ph[1].memsz = 64u << 20);
	/* a dynamically linked program: PT_INTERP named */
	BAD(-ENOEXEC,
	    "dynamically linked (PT_INTERP /lib/ld-musl-x86_64.so.1)"
	    ": unsupported, link it with -static-pie",
	    C(b)->ph[2].type = UKELF_PT_INTERP;
	    C(b)->ph[2].offset = 0x300; C(b)->ph[2].filesz = 28;
	    strcpy((char *)b + 0x300, "/lib/ld-musl-x86_64.so.1"));
	BAD(-ENOEXEC, "dynamically linked (PT_INTERP ?)",
	    C(b)->ph[2].type = UKELF_PT_INTERP;
	    C(b)->ph[2].offset = 1ull << 40);
	BAD(-ENOEXEC, "(PT_INTERP a?b)", C(b)->ph[2].type = UKELF_PT_INTERP;
	    C(b)->ph[2].offset = 0x300; C(b)->ph[2].filesz = 3;
	    memcpy(b + 0x300,
		   "a\x01"
		   "b",
		   3));
}

/* A non-PIE executable at a fixed address: loaded there when free, a
 * clear error when not. */
static void test_fixed(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_elf(&len);
	struct uk_elf_prog p;
	uint64_t at =
		0x500000000000ull; /* free in a test process, with ASan too */

	C(b)->e.type = UKELF_ET_EXEC;
	C(b)->e.entry += at;
	C(b)->ph[0].vaddr += at;
	C(b)->ph[1].vaddr += at;
	if (uk_elf_load_mem(&p, b, len))
		fail_msg("%s", p.err);
	assert_int_equal(p.fixed, 1);
	assert_int_equal((uintptr_t)p.mem, at);
	assert_int_equal(p.entry, at + CODE_OFF);
	assert_int_equal(p.bias, 0);

	/* the same range again: taken */
	struct uk_elf_prog q;
	assert_int_equal(uk_elf_load_mem(&q, b, len), -EADDRINUSE);
	assert_non_null(strstr(q.err,
			       "non-PIE executable needs the fixed "
			       "addresses 0x500000000000-0x500000003000, "
			       "which are not free here"));
	assert_non_null(strstr(q.err, "link it with -static-pie"));
	uk_elf_unload(&p);
	C(b)->e.entry -= at;
	C(b)->ph[0].vaddr -= at;
	C(b)->ph[1].vaddr -= at;
	assert_int_equal(uk_elf_load_mem(&p, b, len), -ENOEXEC);
	assert_string_equal(p.err, "non-PIE executable at 0x0, in the first "
				   "64 KiB (kept unmapped to catch NULL "
				   "pointers)");
	free(b);
}

static void test_stack(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_elf(&len);
	struct uk_elf_prog p;
	size_t ssize = 64 << 10;
	uint8_t *stack = malloc(ssize);
	char *argv[] = {"/bin/prog", "one", "two words", NULL};
	char *envp[] = {"HOME=/", "PATH=/bin", NULL};
	uint8_t rnd[16];

	for (int i = 0; i < 16; i++)
		rnd[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(uk_elf_load_mem(&p, b, len), 0);
	long sp = uk_elf_stack_init(&p, stack, ssize, 3, argv, envp,
				    "/bin/prog", rnd);
	assert_true(sp > 0);
	assert_int_equal(sp % 16, 0);
	assert_true((uintptr_t)sp >= (uintptr_t)stack);
	uint64_t *w = (uint64_t *)sp;
	assert_int_equal(w[0], 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal((char *)w[1 + i], argv[i]);
	assert_int_equal(w[4], 0);
	assert_string_equal((char *)w[5], "HOME=/");
	assert_string_equal((char *)w[6], "PATH=/bin");
	assert_int_equal(w[7], 0);
	uint64_t want[][2] = {
		{UKELF_AT_PHDR, p.phdr},   {UKELF_AT_PHENT, 56},
		{UKELF_AT_PHNUM, 3},	   {UKELF_AT_PAGESZ, 4096},
		{UKELF_AT_BASE, 0},	   {UKELF_AT_FLAGS, 0},
		{UKELF_AT_ENTRY, p.entry}, {UKELF_AT_UID, 0},
		{UKELF_AT_EUID, 0},	   {UKELF_AT_GID, 0},
		{UKELF_AT_EGID, 0},	   {UKELF_AT_SECURE, 0}};
	uint64_t *aux = &w[8];
	size_t n = 0;
	for (; aux[2 * n] != UKELF_AT_NULL; n++) {
		assert_true(n < 30);
		uint64_t t = aux[2 * n], v = aux[2 * n + 1];
		for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
			if (want[k][0] == t)
				assert_int_equal(v, want[k][1]);
		if (t == UKELF_AT_RANDOM)
			assert_memory_equal((void *)v, rnd, 16);
		if (t == UKELF_AT_PLATFORM)
			assert_string_equal((char *)v, "x86_64");
		if (t == UKELF_AT_EXECFN)
			assert_string_equal((char *)v, "/bin/prog");
		if (t == UKELF_AT_CLKTCK)
			assert_int_equal(v, 100);
		if (t == UKELF_AT_HWCAP)
			assert_true(v & (1u << 25)); /* SSE */
		/* every pointer stays inside the stack */
		if (t == UKELF_AT_RANDOM || t == UKELF_AT_PLATFORM ||
		    t == UKELF_AT_EXECFN)
			assert_true(v > (uint64_t)sp &&
				    v < (uint64_t)(stack + ssize));
	}
	assert_int_equal(n, 18);
	/* strings fill the top of the stack, in Linux order */
	assert_string_equal((char *)(stack + ssize - 10), "/bin/prog");

	/* odd and even word counts both end up aligned */
	for (int argc = 0; argc < 4; argc++) {
		sp = uk_elf_stack_init(&p, stack, ssize, argc, argv, NULL, NULL,
				       NULL);
		assert_true(sp > 0);
		assert_int_equal(sp % 16, 0);
		assert_int_equal(*(uint64_t *)sp, argc);
		assert_int_equal(((uint64_t *)sp)[argc + 2], 0); /* no env */
	}
	/* too much */
	char *big = malloc(20000);
	memset(big, 'x', 19999);
	big[19999] = 0;
	char *bargv[] = {big, NULL};
	assert_int_equal(
		uk_elf_stack_init(&p, stack, ssize, 1, bargv, NULL, NULL, NULL),
		-E2BIG);
	assert_non_null(strstr(p.err, "more than a quarter of the 64 KiB"));
	assert_int_equal(
		uk_elf_stack_init(&p, stack, ssize, -1, argv, NULL, NULL, NULL),
		-EINVAL);
	free(big);
	uk_elf_unload(&p);
	free(stack);
	free(b);
}

/* Enter the crafted program in a child: it exits with argc if rsp is
 * aligned and rdx/rbx are 0, else 99. */
static void test_enter(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_elf(&len);
	struct uk_elf_prog p;
	size_t ssize = 64 << 10;
	uint8_t *stack = malloc(ssize);
	char *argv[] = {"a", "b", "c", "d", "e", NULL};

	assert_int_equal(uk_elf_load_mem(&p, b, len), 0);
	for (int argc = 1; argc <= 5; argc++) {
		long sp = uk_elf_stack_init(&p, stack, ssize, argc, argv, NULL,
					    NULL, NULL);
		assert_true(sp > 0);
		pid_t pid = fork();
		if (pid == 0)
			ukarch_linux_enter(p.entry, (uintptr_t)sp);
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), argc);
	}
	uk_elf_unload(&p);
	free(stack);
	free(b);
}

/* From a file, through the openat/fstat/read/close doubles. */
static void test_file(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_elf(&len);
	char path[] = "/tmp/ukelf-test-XXXXXX";
	int fd = mkstemp(path);
	struct uk_elf_prog p;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	close(fd);
	read_chunk = 100; /* short reads are fine */
	assert_int_equal(uk_elf_load_file(&p, path), 0);
	read_chunk = 1 << 30;
	assert_int_equal(p.entry, (uintptr_t)p.mem + CODE_OFF);
	uk_elf_unload(&p);

	truncate(path, 4000);
	assert_int_equal(uk_elf_load_file(&p, path), -ENOEXEC);
	assert_non_null(strstr(p.err, "segment 0: data out of the file"));
	truncate(path, 0);
	assert_int_equal(uk_elf_load_file(&p, path), -ENOEXEC);
	assert_string_equal(p.err, "not an ELF file (bad magic)");
	unlink(path);
	assert_int_equal(uk_elf_load_file(&p, path), -ENOENT);
	assert_string_equal(p.err, "cannot open: No such file or directory");
	assert_int_equal(uk_elf_load_file(&p, "/tmp"), -EISDIR);
	assert_string_equal(p.err, "is a directory");
	assert_int_equal(uk_elf_load_file(&p, "/dev/null"), -EACCES);
	assert_non_null(strstr(p.err, "not a regular file"));
	assert_int_equal(pages_out, 0);
	free(b);
}

/* A real musl-gcc -static-pie program, loaded from its file and entered in
 * a child whose output is checked (when musl-gcc was found). */
static void test_musl(void **state)
{
	(void)state;
	const char *path = getenv("UKELF_HELLO");
	struct uk_elf_prog p;

	if (!path || !*path)
		skip();
	if (uk_elf_load_file(&p, path))
		fail_msg("%s: %s", path, p.err);
	size_t ssize = 256 << 10;
	uint8_t *stack = aligned_alloc(4096, ssize);
	char *argv[] = {"/bin/hello", "x y", "z", NULL};
	char *envp[] = {"HOME=/", "PATH=/bin", NULL};
	long sp =
		uk_elf_stack_init(&p, stack, ssize, 3, argv, envp, NULL, NULL);
	assert_true(sp > 0);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		ukarch_linux_enter(p.entry, (uintptr_t)sp);
	}
	close(fds[1]);
	char out[1024] = "";
	size_t got = 0;
	ssize_t r;
	while ((r = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = 0;
	close(fds[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 7)
		fail_msg("status 0x%x, output:\n%s", st, out);
	assert_non_null(strstr(out, "argc=3 [/bin/hello] [x y] [z]\n"));
	assert_non_null(strstr(out, "env HOME=/\nenv PATH=/bin\n"));
	assert_non_null(strstr(out, "execfn=/bin/hello platform=x86_64 "
				    "pagesz=4096\n"));
	uk_elf_unload(&p);
	free(stack);
}

/* Random mutations of valid files: never a crash, every failure has a
 * message, every success a sane result. */
static void fuzz_one(const uint8_t *orig, size_t len, unsigned seed, int rounds)
{
	uint8_t *b = malloc(len);
	int ok = 0, bad = 0;

	srand(seed);
	for (int i = 0; i < rounds; i++) {
		struct uk_elf_prog p;
		size_t n = len;

		memcpy(b, orig, len);
		int edits = 1 + rand() % 8;
		for (int k = 0; k < edits; k++) {
			/* mostly the headers, where the checks are */
			size_t at = (size_t)rand() % (rand() % 4 ? 400 : len);
			if (at >= len)
				at %= len;
			switch (rand() % 4) {
			case 0:
				b[at] = (uint8_t)rand();
				break;
			case 1:
				b[at] ^= (uint8_t)(1u << (rand() % 8));
				break;
			case 2:
				b[at] = rand() % 2 ? 0xff : 0;
				break;
			default:
				n = (size_t)rand() % len;
				break;
			}
		}
		int r = uk_elf_load_mem(&p, b, n);
		if (r == 0) {
			ok++;
			assert_non_null(p.mem);
			assert_true(p.entry >= (uintptr_t)p.mem &&
				    p.entry < (uintptr_t)p.mem + p.len);
			assert_true(p.phdr >= (uintptr_t)p.mem);
			uk_elf_unload(&p);
		} else {
			bad++;
			assert_true(r < 0);
			if (strlen(p.err) < 5 || p.mem)
				fail_msg("rc %d, err '%s', mem %p", r, p.err,
					 p.mem);
		}
		assert_int_equal(pages_out, 0);
	}
	printf("fuzz: %d loaded, %d rejected\n", ok, bad);
	free(b);
}

static void test_fuzz(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = make_elf(&len);

	fuzz_one(b, len, 1, 20000);
	free(b);
	const char *path = getenv("UKELF_HELLO");
	if (path && *path) {
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		static uint8_t buf[1 << 20];
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		fuzz_one(buf, n, 2, 3000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_segment_errors),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_protect_hook),
		cmocka_unit_test(test_stack),
		cmocka_unit_test(test_enter),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_musl),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
