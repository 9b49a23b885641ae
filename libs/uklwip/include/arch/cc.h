/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: compiler and platform glue lwIP's arch.h asks for. x86_64, GCC or
 * clang, little endian, the C library's headers (musl or newlib in images,
 * glibc in native tests), Linux errno numbers.
 */
#ifndef UKLWIP_ARCH_CC_H
#define UKLWIP_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <errno.h>
/* newlib's fd_set has 64 bits unless told otherwise; lwIP's select needs
 * one per socket (MEMP_NUM_NETCONN). Only lwIP's own select uses this
 * fd_set (posixsocket/posixpoll do not pass fd_sets to lwIP). */
#if defined(__has_include)
#if __has_include(<_newlib_version.h>) && !defined(FD_SETSIZE)
#define FD_SETSIZE 1024
#endif
#endif
#include <sys/time.h> /* struct timeval (LWIP_TIMEVAL_PRIVATE 0) */

#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif

/* the C library's errno (Linux numbers), not lwIP's own table */
#define LWIP_ERRNO_STDINCLUDE 1

#define LWIP_NO_CTYPE_H	   0
#define LWIP_NO_INTTYPES_H 0

/* byte swaps: single instructions */
#define lwip_htons(x) ((u16_t)__builtin_bswap16((u16_t)(x)))
#define lwip_htonl(x) ((u32_t)__builtin_bswap32((u32_t)(x)))

void uklwip_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void uklwip_assert_fail(const char *msg,
						  const char *file, int line);

/* LWIP_PLATFORM_DIAG((fmt, args)): one message per call, to uk_pr_debug */
#define LWIP_PLATFORM_DIAG(x)  \
	do {                   \
		uklwip_diag x; \
	} while (0)
#define LWIP_PLATFORM_ASSERT(x) uklwip_assert_fail(x, __FILE__, __LINE__)

/* A random 32-bit number (DHCP xid, DNS ids and source ports, TCP and UDP
 * ephemeral ports): ukrandom's generator; fuzzing: a reproducible sequence */
uint32_t uklwip_rand(void);
#ifdef UKLWIP_FUZZ
/* restart the sequence (the same input, the same numbers) */
void uklwip_rand_seed(uint64_t seed);
#endif
#define LWIP_RAND() uklwip_rand()

#endif /* UKLWIP_ARCH_CC_H */
