/*
 * event2/event-config.h for libevent 2.1.12 on unikit + musl (x86_64): what
 * libevent's configure (or CMake) finds there, written down because neither
 * runs for a cross target with no kernel of its own. Installed-header
 * namespace: every macro is EVENT__-prefixed, as make-event-config.sed
 * would make it. Only the values libevent's sources test are listed; a
 * macro left out is "not found". The non-obvious ones say why.
 */
#ifndef EVENT2_EVENT_CONFIG_H_INCLUDED_
#define EVENT2_EVENT_CONFIG_H_INCLUDED_

#define EVENT__NUMERIC_VERSION 0x02010c00
#define EVENT__PACKAGE_VERSION "2.1.12"
#define EVENT__VERSION_MAJOR 2
#define EVENT__VERSION_MINOR 1
#define EVENT__VERSION_PATCH 12
#define EVENT__VERSION "2.1.12-stable"
#define EVENT__PACKAGE "libevent"
#define EVENT__PACKAGE_BUGREPORT ""
#define EVENT__PACKAGE_NAME ""
#define EVENT__PACKAGE_STRING ""
#define EVENT__PACKAGE_TARNAME ""

/* Debug mode, the mm replacement hooks and thread support are compiled in,
 * as configure's defaults: an application enables them at run time
 * (evthread_use_pthreads() from libevent_pthreads). */

/* Backends: epoll is the one libevent picks (its order: epoll, poll,
 * select); poll and select stay as fallbacks (EVENT_NOEPOLL=1). timerfd
 * backs EVENT_BASE_FLAG_PRECISE_TIMER under epoll; eventfd wakes a base
 * from another thread (unikit: posixevent, posixtime). */
#define EVENT__HAVE_EPOLL 1
#define EVENT__HAVE_EPOLL_CREATE1 1
#define EVENT__HAVE_EPOLL_CTL 1
#define EVENT__HAVE_SYS_EPOLL_H 1
#define EVENT__HAVE_POLL 1
#define EVENT__HAVE_POLL_H 1
#define EVENT__HAVE_SELECT 1
#define EVENT__HAVE_SYS_SELECT_H 1
#define EVENT__HAVE_FD_MASK 1
#define EVENT__HAVE_EVENTFD 1
#define EVENT__HAVE_SYS_EVENTFD_H 1
#define EVENT__HAVE_TIMERFD_CREATE 1
#define EVENT__HAVE_SYS_TIMERFD_H 1
#define EVENT__HAVE_SIGACTION 1
#define EVENT__HAVE_SIGNAL 1

/* Randomness: musl has no arc4random, so libevent uses its own copy
 * (arc4random.c), seeded by getrandom() (unikit: ukrandom). No sysctl:
 * musl has no <sys/sysctl.h>. */
#define EVENT__HAVE_GETRANDOM 1
#define EVENT__HAVE_SYS_RANDOM_H 1

/* Sockets and names (musl; unikit: posixsocket over lwIP). getifaddrs is
 * musl's, over netlink, which unikit lacks: it then fails, and libevent
 * falls back to its connect()-a-UDP-socket probe for AI_ADDRCONFIG. */
#define EVENT__HAVE_ACCEPT4 1
#define EVENT__HAVE_ARPA_INET_H 1
#define EVENT__HAVE_NETDB_H 1
#define EVENT__HAVE_NETINET_IN_H 1
#define EVENT__HAVE_NETINET_TCP_H 1
#define EVENT__HAVE_SYS_UN_H 1
#define EVENT__HAVE_STRUCT_SOCKADDR_UN 1
#define EVENT__HAVE_SYS_SOCKET_H 1
#define EVENT__HAVE_GETADDRINFO 1
#define EVENT__HAVE_GETNAMEINFO 1
#define EVENT__HAVE_GETPROTOBYNUMBER 1
#define EVENT__HAVE_GETSERVBYNAME 1
#define EVENT__HAVE_GETIFADDRS 1
#define EVENT__HAVE_IFADDRS_H 1
#define EVENT__HAVE_INET_NTOP 1
#define EVENT__HAVE_INET_PTON 1
#define EVENT__HAVE_SA_FAMILY_T 1
#define EVENT__HAVE_STRUCT_ADDRINFO 1
#define EVENT__HAVE_STRUCT_IN6_ADDR 1
/* no sin_len/sin6_len on Linux; ss_family, not __ss_family */
#define EVENT__HAVE_STRUCT_SOCKADDR_IN6 1
#define EVENT__HAVE_STRUCT_SOCKADDR_STORAGE 1
#define EVENT__HAVE_STRUCT_SOCKADDR_STORAGE_SS_FAMILY 1
#define EVENT__HAVE_STRUCT_LINGER 1
/* musl's gethostbyname_r has glibc's 6 arguments (evdns's fallback) */
#define EVENT__HAVE_GETHOSTBYNAME_R 1
#define EVENT__HAVE_GETHOSTBYNAME_R_6_ARG 1

/* Files and memory: evbuffer_add_file maps (mmap) or sends (sendfile) a
 * file; splice is not used by libevent's sources. */
#define EVENT__HAVE_MMAP 1
#define EVENT__HAVE_SYS_MMAN_H 1
#define EVENT__HAVE_SENDFILE 1
#define EVENT__HAVE_SYS_SENDFILE_H 1
#define EVENT__HAVE_PIPE 1
#define EVENT__HAVE_PIPE2 1
#define EVENT__HAVE_FCNTL 1
#define EVENT__HAVE_FCNTL_H 1
#define EVENT__HAVE_SETFD 1
#define EVENT__HAVE_SETRLIMIT 1
#define EVENT__HAVE_SYS_RESOURCE_H 1
#define EVENT__HAVE_UMASK 1

/* Time: the monotonic clock through clock_gettime (unikit: posixtime) */
#define EVENT__HAVE_CLOCK_GETTIME 1
#define EVENT__HAVE_GETTIMEOFDAY 1
#define EVENT__HAVE_NANOSLEEP 1
#define EVENT__HAVE_USLEEP 1
#define EVENT__HAVE_SYS_TIME_H 1
#define EVENT__TIME_WITH_SYS_TIME 1
#define EVENT__HAVE_TIMERADD 1
#define EVENT__HAVE_TIMERCLEAR 1
#define EVENT__HAVE_TIMERCMP 1
#define EVENT__HAVE_TIMERISSET 1

/* libc */
#define EVENT__HAVE_DLFCN_H 1
#define EVENT__HAVE_ERRNO_H 1
#define EVENT__HAVE_GETEGID 1
#define EVENT__HAVE_GETEUID 1
#define EVENT__HAVE_ISSETUGID 1
#define EVENT__HAVE_INTTYPES_H 1
#define EVENT__HAVE_MEMORY_H 1
#define EVENT__HAVE_PTHREADS 1
#define EVENT__HAVE_PUTENV 1
#define EVENT__HAVE_SETENV 1
#define EVENT__HAVE_UNSETENV 1
#define EVENT__HAVE_STDARG_H 1
#define EVENT__HAVE_STDDEF_H 1
#define EVENT__HAVE_STDINT_H 1
#define EVENT__HAVE_STDLIB_H 1
#define EVENT__HAVE_STRING_H 1
#define EVENT__HAVE_STRLCPY 1 /* musl's, so strlcpy.c is not built */
#define EVENT__HAVE_STRSEP 1
#define EVENT__HAVE_STRTOK_R 1
#define EVENT__HAVE_STRTOLL 1
#define EVENT__HAVE_SYS_IOCTL_H 1
#define EVENT__HAVE_SYS_PARAM_H 1
#define EVENT__HAVE_SYS_STAT_H 1
#define EVENT__HAVE_SYS_TYPES_H 1
#define EVENT__HAVE_SYS_UIO_H 1
#define EVENT__HAVE_SYS_WAIT_H 1
#define EVENT__HAVE_UNISTD_H 1
#define EVENT__HAVE_VASPRINTF 1
#define EVENT__HAVE_UINT8_T 1
#define EVENT__HAVE_UINT16_T 1
#define EVENT__HAVE_UINT32_T 1
#define EVENT__HAVE_UINT64_T 1
#define EVENT__HAVE_UINTPTR_T 1
#define EVENT__HAVE___func__ 1
#define EVENT__HAVE___FUNCTION__ 1
/* no <sys/queue.h> in musl: libevent uses its compat/sys/queue.h */

/* x86_64, LP64 */
#define EVENT__SIZEOF_PTHREAD_T 8
#define EVENT__SIZEOF_INT 4
#define EVENT__SIZEOF_LONG 8
#define EVENT__SIZEOF_LONG_LONG 8
#define EVENT__SIZEOF_OFF_T 8
#define EVENT__SIZEOF_SSIZE_T 8
#define EVENT__SIZEOF_SHORT 2
#define EVENT__SIZEOF_SIZE_T 8
#define EVENT__SIZEOF_SOCKLEN_T 4
#define EVENT__SIZEOF_VOID_P 8
#define EVENT__SIZEOF_TIME_T 8

/* musl's PTHREAD_CREATE_JOINABLE is the constant configure would find */
#define EVENT__PTHREAD_CREATE_JOINABLE PTHREAD_CREATE_JOINABLE

#ifndef __cplusplus
#define EVENT__inline inline
#endif
#define EVENT__size_t size_t
#define EVENT__ssize_t ssize_t
#define EVENT__socklen_t socklen_t

#endif
