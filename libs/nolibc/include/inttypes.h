/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc <inttypes.h>: printf format macros for <stdint.h> types (LP64:
 * 64-bit types are long), plus the intmax_t helpers. There are no SCN*
 * macros: nolibc has no scanf.
 */
#ifndef __NOLIBC_INTTYPES_H
#define __NOLIBC_INTTYPES_H

#include <stdint.h>

#if __SIZEOF_LONG__ == 8
#define __NOLIBC_PRI64 "l"
#else
#define __NOLIBC_PRI64 "ll"
#endif

#if __INTMAX_MAX__ == __LONG_MAX__
#define __NOLIBC_PRIMAX "l"
#else
#define __NOLIBC_PRIMAX "ll"
#endif

#if __INTPTR_MAX__ == __LONG_MAX__
#define __NOLIBC_PRIPTR "l"
#else
#define __NOLIBC_PRIPTR ""
#endif

/*
 * The "fast" types differ between compilers (gcc: long, clang: short/int);
 * pick the modifier from the type's range. Narrower types promote to int.
 */
#if __INT_FAST16_MAX__ == __LONG_MAX__
#define __NOLIBC_PRIFAST16 "l"
#else
#define __NOLIBC_PRIFAST16 ""
#endif
#if __INT_FAST32_MAX__ == __LONG_MAX__
#define __NOLIBC_PRIFAST32 "l"
#else
#define __NOLIBC_PRIFAST32 ""
#endif

#define PRId8  "d"
#define PRId16 "d"
#define PRId32 "d"
#define PRId64 __NOLIBC_PRI64 "d"
#define PRIi8  "i"
#define PRIi16 "i"
#define PRIi32 "i"
#define PRIi64 __NOLIBC_PRI64 "i"
#define PRIo8  "o"
#define PRIo16 "o"
#define PRIo32 "o"
#define PRIo64 __NOLIBC_PRI64 "o"
#define PRIu8  "u"
#define PRIu16 "u"
#define PRIu32 "u"
#define PRIu64 __NOLIBC_PRI64 "u"
#define PRIx8  "x"
#define PRIx16 "x"
#define PRIx32 "x"
#define PRIx64 __NOLIBC_PRI64 "x"
#define PRIX8  "X"
#define PRIX16 "X"
#define PRIX32 "X"
#define PRIX64 __NOLIBC_PRI64 "X"

#define PRIdLEAST8  "d"
#define PRIdLEAST16 "d"
#define PRIdLEAST32 "d"
#define PRIdLEAST64 __NOLIBC_PRI64 "d"
#define PRIiLEAST8  "i"
#define PRIiLEAST16 "i"
#define PRIiLEAST32 "i"
#define PRIiLEAST64 __NOLIBC_PRI64 "i"
#define PRIoLEAST8  "o"
#define PRIoLEAST16 "o"
#define PRIoLEAST32 "o"
#define PRIoLEAST64 __NOLIBC_PRI64 "o"
#define PRIuLEAST8  "u"
#define PRIuLEAST16 "u"
#define PRIuLEAST32 "u"
#define PRIuLEAST64 __NOLIBC_PRI64 "u"
#define PRIxLEAST8  "x"
#define PRIxLEAST16 "x"
#define PRIxLEAST32 "x"
#define PRIxLEAST64 __NOLIBC_PRI64 "x"
#define PRIXLEAST8  "X"
#define PRIXLEAST16 "X"
#define PRIXLEAST32 "X"
#define PRIXLEAST64 __NOLIBC_PRI64 "X"

#define PRIdFAST8  "d"
#define PRIdFAST16 __NOLIBC_PRIFAST16 "d"
#define PRIdFAST32 __NOLIBC_PRIFAST32 "d"
#define PRIdFAST64 __NOLIBC_PRI64 "d"
#define PRIiFAST8  "i"
#define PRIiFAST16 __NOLIBC_PRIFAST16 "i"
#define PRIiFAST32 __NOLIBC_PRIFAST32 "i"
#define PRIiFAST64 __NOLIBC_PRI64 "i"
#define PRIoFAST8  "o"
#define PRIoFAST16 __NOLIBC_PRIFAST16 "o"
#define PRIoFAST32 __NOLIBC_PRIFAST32 "o"
#define PRIoFAST64 __NOLIBC_PRI64 "o"
#define PRIuFAST8  "u"
#define PRIuFAST16 __NOLIBC_PRIFAST16 "u"
#define PRIuFAST32 __NOLIBC_PRIFAST32 "u"
#define PRIuFAST64 __NOLIBC_PRI64 "u"
#define PRIxFAST8  "x"
#define PRIxFAST16 __NOLIBC_PRIFAST16 "x"
#define PRIxFAST32 __NOLIBC_PRIFAST32 "x"
#define PRIxFAST64 __NOLIBC_PRI64 "x"
#define PRIXFAST8  "X"
#define PRIXFAST16 __NOLIBC_PRIFAST16 "X"
#define PRIXFAST32 __NOLIBC_PRIFAST32 "X"
#define PRIXFAST64 __NOLIBC_PRI64 "X"

#define PRIdMAX __NOLIBC_PRIMAX "d"
#define PRIiMAX __NOLIBC_PRIMAX "i"
#define PRIoMAX __NOLIBC_PRIMAX "o"
#define PRIuMAX __NOLIBC_PRIMAX "u"
#define PRIxMAX __NOLIBC_PRIMAX "x"
#define PRIXMAX __NOLIBC_PRIMAX "X"

#define PRIdPTR __NOLIBC_PRIPTR "d"
#define PRIiPTR __NOLIBC_PRIPTR "i"
#define PRIoPTR __NOLIBC_PRIPTR "o"
#define PRIuPTR __NOLIBC_PRIPTR "u"
#define PRIxPTR __NOLIBC_PRIPTR "x"
#define PRIXPTR __NOLIBC_PRIPTR "X"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	intmax_t quot;
	intmax_t rem;
} imaxdiv_t;

intmax_t imaxabs(intmax_t x);
imaxdiv_t imaxdiv(intmax_t num, intmax_t den);
intmax_t strtoimax(const char *__restrict nptr, char **__restrict endptr,
		   int base);
uintmax_t strtoumax(const char *__restrict nptr, char **__restrict endptr,
		    int base);

#ifdef __cplusplus
}
#endif
#endif /* __NOLIBC_INTTYPES_H */
