/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unikit's <sys/resource.h> for newlib: newlib's own has only a two-field
 * struct rusage and no resource limits. These are the Linux x86_64 layouts
 * and numbers, which the system calls (libs/posixprocess) fill in;
 * libs/newlibglue implements the functions.
 */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_

#include <sys/time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN -1
#define RUSAGE_THREAD	1

struct rusage {
	struct timeval ru_utime; /* user time used */
	struct timeval ru_stime; /* system time used */
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt,
		ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv,
		ru_nsignals, ru_nvcsw, ru_nivcsw;
};

typedef unsigned long long rlim_t;
#define RLIM_INFINITY (~0ULL)

struct rlimit {
	rlim_t rlim_cur;
	rlim_t rlim_max;
};

#define RLIMIT_CPU	  0
#define RLIMIT_FSIZE	  1
#define RLIMIT_DATA	  2
#define RLIMIT_STACK	  3
#define RLIMIT_CORE	  4
#define RLIMIT_RSS	  5
#define RLIMIT_NPROC	  6
#define RLIMIT_NOFILE	  7
#define RLIMIT_MEMLOCK	  8
#define RLIMIT_AS	  9
#define RLIMIT_LOCKS	  10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE	  12
#define RLIMIT_NICE	  13
#define RLIMIT_RTPRIO	  14
#define RLIMIT_RTTIME	  15
#define RLIMIT_NLIMITS	  16

int getrusage(int who, struct rusage *usage);
int getrlimit(int resource, struct rlimit *rlim);
int setrlimit(int resource, const struct rlimit *rlim);

#ifdef __cplusplus
}
#endif
#endif /* _SYS_RESOURCE_H_ */
