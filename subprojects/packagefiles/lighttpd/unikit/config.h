/*
 * lighttpd 1.4.69's configure results for unikit + musl 1.2.3 (x86_64),
 * checked in instead of running lighttpd's build system: what its
 * src/meson.build would find against unikit's musl headers, with the
 * answers that are not plain "musl has it" explained. A macro lighttpd
 * tests with #ifdef is left undefined where the answer is no.
 * unikit's overlay (subprojects/packagefiles/lighttpd/meson.build) puts
 * this directory first on the include path and defines HAVE_CONFIG_H.
 */
#ifndef UNIKIT_LIGHTTPD_CONFIG_H
#define UNIKIT_LIGHTTPD_CONFIG_H

#define PACKAGE_NAME "lighttpd"
#define PACKAGE_VERSION "1.4.69"
/* src/meson.build joins "0x104" and the patch level as text */
#define LIGHTTPD_VERSION_ID 0x10469
/* never used: the modules are linked in (LIGHTTPD_STATIC), nothing is
 * dlopen()ed */
#define LIBRARY_DIR "/usr/lib/lighttpd"

/* Every module in the image, listed in unikit/plugin-static.h: an image
 * has no dynamic loader. */
#define LIGHTTPD_STATIC 1

/* headers musl has */
#define HAVE_SYS_POLL_H 1
#define HAVE_SYS_PRCTL_H 1
#define HAVE_SYS_SENDFILE_H 1
#define HAVE_SYS_UN_H 1
#define HAVE_SYS_WAIT_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_UNISTD_H 1
#define HAVE_GETOPT_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_POLL_H 1
#define HAVE_PWD_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRINGS_H 1
#define HAVE_SYSLOG_H 1
#define HAVE_MALLOC_H 1
#define HAVE_SIGNAL_H 1
#define HAVE_SYS_EPOLL_H 1
#define HAVE_SYS_MMAN_H 1
#define HAVE_SYS_RANDOM_H 1
#define HAVE_SYS_RESOURCE_H 1
#define HAVE_SYS_UIO_H 1
#define HAVE_CRYPT_H 1
#define HAVE_CRYPT_R 1
/* musl has <dlfcn.h>, but a static image has nothing to look up: with
 * it lighttpd would dlsym() mallopt/malloc_trim and FAM (stat_cache.c),
 * and plugin.c would include it for nothing. */
/* #undef HAVE_DLFCN_H */
/* musl has <sys/inotify.h>; unikit has no inotify system calls. Without
 * it stat_cache.c offers only its default engine ("simple"), and
 * server.stat-cache-engine = "inotify" is refused by lighttpd itself. */
/* #undef HAVE_SYS_INOTIFY_H */
/* no <linux/random.h>: unikit's musl ships no kernel headers (lighttpd
 * takes getentropy() from <sys/random.h> instead) */
/* #undef HAVE_LINUX_RANDOM_H */
/* BSD and Solaris headers: <sys/loadavg.h>, <sys/procctl.h>,
 * <sys/event.h> (kqueue) are not in musl */

#define HAVE_SOCKLEN_T 1

/* functions musl declares */
#define HAVE_CHROOT 1 /* musl's; unikit has no chroot: server.chroot fails
                       * with lighttpd's own message */
#define HAVE_COPY_FILE_RANGE 1
#define HAVE_EPOLL_CTL 1 /* fdevent: epoll, unikit's posixevent */
/* musl declares explicit_bzero in <string.h>, not <strings.h> where
 * lighttpd's check looks; lighttpd includes both (ck.c) */
#define HAVE_EXPLICIT_BZERO 1
#define HAVE_FORK 1 /* only for server.max-worker > 0 and daemonizing:
                     * the image runs with -D and max-worker 0 */
#define HAVE_GETENTROPY 1
#define HAVE_GETLOADAVG 1
#define HAVE_GETRLIMIT 1
#define HAVE_GETUID 1
#define HAVE_GMTIME_R 1
#define HAVE_INET_ATON 1
#define HAVE_INET_PTON 1
#define HAVE_JRAND48 1
#define HAVE_LOCALTIME_R 1
#define HAVE_LSTAT 1
#define HAVE_MADVISE 1
#define HAVE_MEMPCPY 1 /* _GNU_SOURCE */
#define HAVE_MKOSTEMP 1
/* chunk.c maps files read-only, MAP_SHARED: unikit's posixmmap serves
 * that (a copy of the file; no writes through such a mapping) */
#define HAVE_MMAP 1
#define HAVE_PIPE2 1
#define HAVE_POLL 1
#define HAVE_PREAD 1
#define HAVE_PREADV 1
#define HAVE_PWRITE 1
#define HAVE_PWRITEV 1
/* musl 1.2.3 maps sendfile64 to sendfile under _GNU_SOURCE (off_t is
 * 64-bit); network_write.c wants both with _LARGEFILE_SOURCE */
#define HAVE_SENDFILE 1
#define HAVE_SENDFILE64 1
#define HAVE_SIGACTION 1
#define HAVE_SIGNAL 1
#define HAVE_SPLICE 1
#define HAVE_SRANDOM 1
#define HAVE_STRERROR_R 1
#define HAVE_TIMEGM 1
#define HAVE_WRITEV 1
#define HAVE_CLOCK_GETTIME 1 /* in libc itself, no -lrt */
/* not in musl: arc4random_buf, explicit_memset, issetugid (server.c
 * defines its own from the uids), kqueue, memset_s, getrandom in
 * <linux/random.h> (see above). mallopt and malloc_trim: musl's malloc
 * has neither. */

/* compile checks */
#define HAVE_IPV6 1 /* the types exist; AF_INET6 sockets only if configured */
#define HAVE_WEAK_SYMBOLS 1
#define HAVE_STRUCT_TM_GMTOFF 1
#define SIZEOF_LONG 8
#define SIZEOF_OFF_T 8

/* libraries: zlib (unikit's port, subprojects/zlib.wrap) for mod_deflate;
 * no pcre (mod_rewrite/mod_redirect are not built; a =~ condition in the
 * configuration gets lighttpd's "compiled without pcre support"), no TLS, no brotli/zstd/bzip2/xxhash,
 * no FAM, no LDAP/PAM/DBI/SQL, no xattr, no uuid, no Lua. */
#define HAVE_ZLIB_H 1
#define HAVE_LIBZ 1

#endif
