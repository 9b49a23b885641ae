/* SPDX-License-Identifier: BSD-3-Clause */
/* The ELF64 file format as far as the loader reads it (System V gABI and
 * the x86_64 psABI values; declared here, not taken from a libc header). */
#ifndef UKELF_ELF_H
#define UKELF_ELF_H

#include <stdint.h>

struct ukelf_ehdr {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

struct ukelf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

_Static_assert(sizeof(struct ukelf_ehdr) == 64, "ELF64 header size");
_Static_assert(sizeof(struct ukelf_phdr) == 56, "ELF64 phdr size");

#define UKELF_CLASS64	 2
#define UKELF_DATA2LSB	 1
#define UKELF_EV_CURRENT 1
#define UKELF_ET_REL	 1
#define UKELF_ET_EXEC	 2
#define UKELF_ET_DYN	 3
#define UKELF_ET_CORE	 4
#define UKELF_EM_386	 3
#define UKELF_EM_ARM	 40
#define UKELF_EM_X86_64	 62
#define UKELF_EM_AARCH64 183
#define UKELF_EM_RISCV	 243
#define UKELF_PT_LOAD	 1
#define UKELF_PT_DYNAMIC 2
#define UKELF_PT_INTERP	 3
#define UKELF_PT_PHDR	 6
#define UKELF_PT_TLS	 7
#define UKELF_PF_X	 1
#define UKELF_PF_W	 2
#define UKELF_PF_R	 4

/* Linux auxiliary vector types (include/uapi/linux/auxvec.h values). */
#define UKELF_AT_NULL	  0
#define UKELF_AT_PHDR	  3
#define UKELF_AT_PHENT	  4
#define UKELF_AT_PHNUM	  5
#define UKELF_AT_PAGESZ	  6
#define UKELF_AT_BASE	  7
#define UKELF_AT_FLAGS	  8
#define UKELF_AT_ENTRY	  9
#define UKELF_AT_UID	  11
#define UKELF_AT_EUID	  12
#define UKELF_AT_GID	  13
#define UKELF_AT_EGID	  14
#define UKELF_AT_PLATFORM 15
#define UKELF_AT_HWCAP	  16
#define UKELF_AT_CLKTCK	  17
#define UKELF_AT_SECURE	  23
#define UKELF_AT_RANDOM	  25
#define UKELF_AT_HWCAP2	  26
#define UKELF_AT_EXECFN	  31

/* Linux mmap/mprotect/openat values. */
#define UKELF_PROT_READ		  0x1
#define UKELF_PROT_WRITE	  0x2
#define UKELF_PROT_EXEC		  0x4
#define UKELF_MAP_PRIVATE	  0x02
#define UKELF_MAP_FIXED		  0x10
#define UKELF_MAP_ANONYMOUS	  0x20
#define UKELF_MAP_FIXED_NOREPLACE 0x100000
#define UKELF_O_RDONLY		  0
#define UKELF_O_CLOEXEC		  02000000
#define UKELF_AT_FDCWD		  (-100)
#define UKELF_S_IFMT		  0170000
#define UKELF_S_IFDIR		  0040000
#define UKELF_S_IFREG		  0100000

#define UKELF_PAGE 4096ul

#endif /* UKELF_ELF_H */
