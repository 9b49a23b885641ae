/*
 * nginx's configure results for a unikit image on musl (x86_64), checked in
 * instead of running auto/configure: configure compiles and runs test
 * programs on the build host, which says nothing about the image. Every
 * value here is what unikit's pool provides (the calls are in
 * docs/syscalls.md), decided one by one; nginx reads each through
 * `#if (NGX_HAVE_...)`, so an undefined name is "not found".
 *
 * The modules this build has are listed in ngx_modules.c (next to this
 * file) and compiled by meson.build; nginx -V prints NGX_CONFIGURE.
 */

#ifndef NGX_CONFIGURE
#define NGX_CONFIGURE " (no configure: unikit's subprojects/packagefiles/nginx)"
#endif
/* NGX_COMPILER comes from meson.build (the cross compiler's name and version) */
#ifndef NGX_COMPILER
#define NGX_COMPILER "unknown"
#endif

/* ---- the compiler (GCC and clang both): atomics, macros, byte swaps */
#define NGX_HAVE_GCC_ATOMIC 1 /* __sync builtins: ngx_atomic_cmp_set, fetch_add */
#define NGX_HAVE_C99_VARIADIC_MACROS 1
#define NGX_HAVE_GCC_VARIADIC_MACROS 1
#define NGX_HAVE_GCC_BSWAP64 1

/* ---- the CPU (x86_64 here; arm64 would have the same values) */
#define NGX_HAVE_NONALIGNED 1 /* unaligned loads are fine: used by the parsers */
#define NGX_CPU_CACHE_LINE 64
#define NGX_PTR_SIZE 8
#define NGX_SIG_ATOMIC_T_SIZE 4
#define NGX_HAVE_LITTLE_ENDIAN 1
#define NGX_MAX_SIZE_T_VALUE 9223372036854775807LL
#define NGX_SIZE_T_LEN (sizeof("-9223372036854775808") - 1)
#define NGX_MAX_OFF_T_VALUE 9223372036854775807LL
#define NGX_OFF_T_LEN (sizeof("-9223372036854775808") - 1)
#define NGX_TIME_T_SIZE 8
#define NGX_TIME_T_LEN (sizeof("-9223372036854775808") - 1)
#define NGX_MAX_TIME_T_VALUE 9223372036854775807LL
/* Kept as configure finds it on Linux: with the GCC builtins above it only
 * decides whether spin locks spin before yielding, and a build with
 * NGX_SMP 0 would be wrong the day images get a second CPU. */
#define NGX_SMP 1

/* ---- events: epoll (posixpoll), edge-triggered as on Linux */
#define NGX_HAVE_EPOLL 1
#define NGX_HAVE_CLEAR_EVENT 1 /* EPOLLET */
/* EPOLLRDHUP: posixsocket reports the peer's FIN as RDHUP. nginx still
 * checks at start-up with an AF_UNIX socketpair (ngx_epoll_test_rdhup) and
 * uses it only if that test passes; without AF_UNIX it logs "socketpair()
 * failed" once and reads until EAGAIN as on old kernels. */
#define NGX_HAVE_EPOLLRDHUP 1
/* Not defined: NGX_HAVE_EPOLLEXCLUSIVE (only for several worker processes
 * sharing a listening socket), NGX_HAVE_EVENTFD and NGX_HAVE_SYS_EVENTFD_H
 * (only for thread pools' completion notifications; no thread pools here),
 * NGX_HAVE_FILE_AIO (Linux AIO: io_setup/io_submit do not exist). */

/* ---- sockets (posixsocket on lwIP) */
#define NGX_HAVE_ACCEPT4 1
#define NGX_HAVE_FIONBIO 1 /* ioctl(FIONBIO): fdtab sets O_NONBLOCK */
#define NGX_HAVE_FIONREAD 1 /* ioctl(FIONREAD): bytes queued on a socket */
#define NGX_HAVE_MSGHDR_MSG_CONTROL 1 /* struct msghdr as Linux's (compiles
					 ngx_channel.c; only a master process
					 passes descriptors) */
#define NGX_HAVE_GETADDRINFO 1 /* musl's: /etc/hosts, then DNS over UDP */
/* Not defined, each a listen/proxy option whose socket option lwIP does not
 * have or whose case does not arise in an image:
 *   NGX_HAVE_INET6              lwIP is built without IPv6 (LWIP_IPV6 0):
 *                               `listen [::]:80` is refused when the
 *                               configuration is read
 *   NGX_HAVE_UNIX_DOMAIN        `listen unix:` and proxying to unix sockets
 *   NGX_HAVE_REUSEPORT          `reuseport` (several workers only)
 *   NGX_HAVE_DEFERRED_ACCEPT    `deferred` (TCP_DEFER_ACCEPT)
 *   NGX_HAVE_KEEPALIVE_TUNABLE  `so_keepalive=idle:intvl:cnt` (TCP_KEEPIDLE..)
 *   NGX_HAVE_TCP_FASTOPEN, NGX_HAVE_TCP_INFO ($tcpinfo_*),
 *   NGX_HAVE_TRANSPARENT_PROXY, NGX_HAVE_IP_BIND_ADDRESS_NO_PORT,
 *   NGX_HAVE_IP_PKTINFO, NGX_HAVE_IPV6_RECVPKTINFO (UDP, `proxy_bind`) */

/* ---- files (fdtab, vfscore, ramfs) */
#define NGX_HAVE_PREAD 1
#define NGX_HAVE_PWRITE 1
#define NGX_HAVE_PWRITEV 1
/* sendfile(2) from a file to a socket (`sendfile on`; fdtab's sendfile). */
#define NGX_HAVE_SENDFILE 1
#define NGX_HAVE_SENDFILE64 1 /* off_t is 64 bits: sendfile, not sendfile32 */
#define NGX_HAVE_D_TYPE 1 /* getdents64 fills d_type (autoindex) */
#define NGX_HAVE_OPENAT 1 /* openat, fstatat: `disable_symlinks` checks */
/* Not defined: NGX_HAVE_O_PATH (O_PATH descriptors for disable_symlinks
 * are not implemented: openat falls back to O_RDONLY|O_DIRECTORY walks),
 * NGX_HAVE_O_DIRECT and NGX_HAVE_ALIGNED_DIRECTIO (`directio`: a memory
 * filesystem has no direct I/O), NGX_HAVE_POSIX_FADVISE (`read_ahead`),
 * NGX_HAVE_STATFS and NGX_HAVE_STATVFS (only to learn a disk's block size
 * for directio and caches; nginx then assumes 512). */

/* ---- memory, time, processes (musl on posixmmap, posixtime, ...) */
#define NGX_HAVE_POSIX_MEMALIGN 1
#define NGX_HAVE_MEMALIGN 1
/* Shared memory zones (the event module's counters, always allocated):
 * anonymous shared mappings, which in one address space are just memory. */
#define NGX_HAVE_MAP_ANON 1
#define NGX_HAVE_LOCALTIME_R 1
#define NGX_HAVE_GMTOFF 1 /* struct tm.tm_gmtoff */
#define NGX_HAVE_CLOCK_MONOTONIC 1
#define NGX_HAVE_SC_NPROCESSORS_ONLN 1
#define NGX_HAVE_SCHED_YIELD 1
/* Not defined: NGX_HAVE_MAP_DEVZERO and NGX_HAVE_SYSVSHM (alternatives to
 * MAP_ANON, not needed), NGX_HAVE_POSIX_SEM (process-shared semaphores
 * for the accept mutex of several workers), NGX_HAVE_SCHED_SETAFFINITY
 * (`worker_cpu_affinity`), NGX_HAVE_PR_SET_DUMPABLE and
 * NGX_HAVE_PR_SET_KEEPCAPS (a master process changing a worker's user),
 * NGX_HAVE_DLOPEN (`load_module`: an image has no dynamic modules),
 * NGX_THREADS (thread pools). */

/* ---- the modules' switches (the modules themselves: ngx_modules.c) */
#define NGX_HTTP_GZIP 1 /* gzip filter, with zlib (subprojects/zlib.wrap) */
#define NGX_ZLIB 1
#define NGX_HTTP_X_FORWARDED_FOR 1 /* gzip_proxied looks at X-Forwarded-For */
/* Not defined: NGX_HTTP_CACHE (proxy_cache: its cache manager and loader
 * are processes of a master), NGX_PCRE (no regex locations, no rewrite
 * module), NGX_HTTP_SSL and NGX_HTTP_V2 (no TLS library). */

/* ---- paths. The image reads its configuration from the initrd (or a
 * filesystem mounted at /), logs to the console. */
#define NGX_PREFIX "/"
#define NGX_CONF_PREFIX "/etc/nginx/"
#define NGX_CONF_PATH "/etc/nginx/nginx.conf"
#define NGX_SBIN_PATH "nginx" /* only for binary upgrades (a master's job) */
#define NGX_PID_PATH "/run/nginx.pid" /* written even by a single process */
#define NGX_LOCK_PATH "/run/nginx.lock" /* unused with GCC atomics */
/* the error log before (and unless) the configuration names one: stderr,
 * which is the console */
#define NGX_ERROR_LOG_PATH ""
#define NGX_ERROR_LOG_STDERR 1
#define NGX_HTTP_LOG_PATH "/dev/stdout"
/* request bodies and proxied responses that do not fit in memory; nginx
 * creates the last path component at start-up */
#define NGX_HTTP_CLIENT_TEMP_PATH "/tmp/client_body"
#define NGX_HTTP_PROXY_TEMP_PATH "/tmp/proxy"
/* `user` defaults for a root process (getpwnam/getgrnam read /etc/passwd and
 * /etc/group); a single process never switches to them, but nginx checks
 * they exist, as Debian's build does */
#define NGX_USER "nobody"
#define NGX_GROUP "nogroup"
#define NGX_SUPPRESS_WARN 1
