/*
 * config.h for memcached 1.6.18 on unikit + musl (x86_64): what memcached's
 * configure finds there with its default options (extstore on; SASL, TLS,
 * the proxy, seccomp and DTrace off, as they are unless asked for),
 * written down because configure cannot run for a target with no kernel of
 * its own. A macro left out is "not found"; the non-obvious ones say why.
 */

#define PACKAGE "memcached"
#define PACKAGE_BUGREPORT "memcached@googlegroups.com"
#define PACKAGE_NAME "memcached"
#define PACKAGE_STRING "memcached 1.6.18"
#define PACKAGE_TARNAME "memcached"
#define PACKAGE_URL ""
#define PACKAGE_VERSION "1.6.18"
#define VERSION "1.6.18"

/* --enable-extstore is the default: the code is in, used only with
 * `-o ext_path=FILE:SIZE` (pread/pwrite on a file; unikit: vfscore) */
#define EXTSTORE 1

/* x86_64: little-endian, 64-bit pointers (restart.h's metadata layout),
 * unaligned access allowed (NEED_ALIGN is not defined) */
#define ENDIAN_LITTLE 1
#define SIZEOF_VOID_P 8

/* libevent 2.x (subprojects/libevent.wrap): event_base_new() and friends */
#define HAVE_LIBEVENT_NEW 1

/* Linux's: accept4 (posixsocket), eventfd for waking worker threads
 * (thread.c; unikit: posixevent) instead of a pipe, clock_gettime with a
 * monotonic clock (posixtime), pread/preadv for extstore (vfscore),
 * sysconf (musl; _SC_PAGESIZE from unikit's auxiliary vector) and
 * mlockall (posixmmap: everything is resident, `-k` succeeds) */
#define HAVE_ACCEPT4 1
#define HAVE_EVENTFD 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_PREAD 1
#define HAVE_PREADV 1
#define HAVE_SYSCONF 1
#define HAVE_MLOCKALL 1
#define HAVE_GETOPT_LONG 1

/* GCC's __sync builtins, 32- and 64-bit */
#define HAVE_GCC_ATOMICS 1
#define HAVE_GCC_64ATOMICS 1

/* Not found: htonll (neither musl nor glibc have it: util.c supplies it),
 * getpagesizes/memcntl (Solaris), setppriv/pledge/cap_enter/sandbox_init
 * (other systems' sandboxes) and libseccomp (Linux's, only with
 * --enable-seccomp): so no HAVE_DROP_PRIVILEGES, and memcached drops
 * privileges only through -u (setuid/setgid; the image is root) */

#define HAVE_INTTYPES_H 1
#define HAVE_STDBOOL_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDIO_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STRING_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_UNISTD_H 1
#define HAVE__BOOL 1
#define STDC_HEADERS 1

/* configure adds it for IOV_MAX and accept4 (musl: the same) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

/* the tail of configure's config.h.in */
#if HAVE_STDBOOL_H
#include <stdbool.h>
#else
#define bool char
#define false 0
#define true 1
#endif

#ifdef HAVE_INTTYPES_H
#include <inttypes.h>
#endif
