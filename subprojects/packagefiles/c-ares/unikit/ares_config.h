/* c-ares's configure results for unikit + musl, checked in because the
 * overlay does not run configure. Each value is what musl 1.2.3's headers
 * and libc provide (the same answers configure gives on a musl system);
 * what unikit does not have is left undefined on purpose, with the reason. */

/* headers musl has */
#define HAVE_ARPA_INET_H 1
/* arpa/nameser.h: musl has it, but the release's generic ares_build.h
 * (used as it is) makes ares_nameser.h define the ns_* names itself, and
 * both would clash */
#define HAVE_ASSERT_H 1
#define HAVE_ERRNO_H 1
#define HAVE_FCNTL_H 1
#define HAVE_GETOPT_H 1
#define HAVE_LIMITS_H 1
#define HAVE_NETDB_H 1
#define HAVE_NETINET_IN_H 1
#define HAVE_NETINET_TCP_H 1
#define HAVE_NET_IF_H 1
#define HAVE_SIGNAL_H 1
#define HAVE_STDBOOL_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STRING_H 1
#define HAVE_SYS_IOCTL_H 1
#define HAVE_SYS_PARAM_H 1
#define HAVE_SYS_SELECT_H 1
#define HAVE_SYS_SOCKET_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_UIO_H 1
#define HAVE_TIME_H 1
#define HAVE_UNISTD_H 1
#define STDC_HEADERS 1
#define TIME_WITH_SYS_TIME 1

/* types and constants */
#define HAVE_BOOL_T 1
#define HAVE_LONGLONG 1
#define HAVE_SIG_ATOMIC_T 1
#define HAVE_STRUCT_ADDRINFO 1
#define HAVE_STRUCT_IN6_ADDR 1
#define HAVE_STRUCT_SOCKADDR_IN6 1
#define HAVE_STRUCT_SOCKADDR_STORAGE 1
#define HAVE_STRUCT_TIMEVAL 1
#define HAVE_SOCKADDR_IN6_SIN6_SCOPE_ID 1
#define HAVE_AF_INET6 1
#define HAVE_PF_INET6 1
#define HAVE_MSG_NOSIGNAL 1
#define HAVE_VARIADIC_MACROS_C99 1
#define HAVE_VARIADIC_MACROS_GCC 1

/* functions (c-ares's own fallbacks stand in for the others) */
#define HAVE_CLOCK_GETTIME_MONOTONIC 1 /* posixtime */
#define HAVE_FCNTL_O_NONBLOCK 1        /* posixsocket honours O_NONBLOCK */
#define HAVE_FREEADDRINFO 1
#define HAVE_GETADDRINFO 1
#define HAVE_GETENV 1
#define HAVE_GETHOSTNAME 1
#define HAVE_GETNAMEINFO 1
#define HAVE_GETTIMEOFDAY 1
#define HAVE_INET_NTOP 1
#define HAVE_INET_PTON 1
#define HAVE_IOCTL 1
#define HAVE_RECV 1
#define HAVE_RECVFROM 1
#define HAVE_SEND 1
#define HAVE_STRCASECMP 1
#define HAVE_STRDUP 1
#define HAVE_STRNCASECMP 1
#define HAVE_WRITEV 1
/* musl's getservbyport_r has glibc's six arguments; it reads /etc/services
 * (an initrd may carry one; without it ares_getnameinfo prints the number) */
#define HAVE_GETSERVBYPORT_R 1
#define GETSERVBYPORT_R_ARGS 6
/* if_indextoname would need the SIOCGIFNAME ioctl, which unikit's network
 * stack does not answer: left out, so scope ids are printed as numbers */
/* #undef HAVE_IF_INDEXTONAME */
/* inet_net_pton: musl has none; c-ares uses its own */
/* #undef HAVE_INET_NET_PTON */

/* the query IDs' seed: /dev/urandom is devfs's (ukrandom behind it) */
#define CARES_RANDOM_FILE "/dev/urandom"

/* argument and return types of the socket calls, as musl declares them */
#define GETHOSTNAME_TYPE_ARG2 size_t
#define RECVFROM_TYPE_ARG1 int
#define RECVFROM_TYPE_ARG2 void *
#define RECVFROM_TYPE_ARG2_IS_VOID 1
#define RECVFROM_TYPE_ARG3 size_t
#define RECVFROM_TYPE_ARG4 int
#define RECVFROM_TYPE_ARG5 struct sockaddr *
#define RECVFROM_TYPE_ARG6 socklen_t *
#define RECVFROM_TYPE_RETV ssize_t
#define RECV_TYPE_ARG1 int
#define RECV_TYPE_ARG2 void *
#define RECV_TYPE_ARG3 size_t
#define RECV_TYPE_ARG4 int
#define RECV_TYPE_RETV ssize_t
#define SEND_QUAL_ARG2 const
#define SEND_TYPE_ARG1 int
#define SEND_TYPE_ARG2 void *
#define SEND_TYPE_ARG3 size_t
#define SEND_TYPE_ARG4 int
#define SEND_TYPE_RETV ssize_t

#define CARES_SYMBOL_SCOPE_EXTERN
#define OS "x86_64-unikit-linux-musl"
#define PACKAGE "c-ares"
#define PACKAGE_VERSION "1.18.1"
