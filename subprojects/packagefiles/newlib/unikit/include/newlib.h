/*
 * unikit: newlib's configuration for x86_64 unikit images, in place of the
 * newlib.h that newlib's configure generates from newlib.hin. See
 * docs/newlib.md.
 */
#ifndef __NEWLIB_H__
#define __NEWLIB_H__ 1

#include <_newlib_version.h>

/* printf/scanf: C99 formats (%zu, %hhd, %a, ...), long long, long double */
#define _WANT_IO_C99_FORMATS  1
#define _WANT_IO_LONG_LONG    1
#define _WANT_IO_LONG_DOUBLE  1

/* read() and write() return ssize_t, as POSIX says (newlib's default: int) */
#define _READ_WRITE_RETURN_TYPE _ssize_t

/* Multibyte: C locale only (MB_LEN_MAX 1) */
#define _MB_LEN_MAX 1

/* .init_array is run by ukboot, not by newlib */
#define HAVE_INITFINI_ARRAY 1
/* atexit() takes more than 32 functions (malloc: ukalloc) */
#define _ATEXIT_DYNAMIC_ALLOC 1
/* x86_64: 80-bit long double, not equal to double */
#define _HAVE_LONG_DOUBLE 1
#define _HAVE_CC_INHIBIT_LOOP_TO_LIBCALL 1

#define _FVWRITE_IN_STREAMIO 1
#define _FSEEK_OPTIMIZATION  1
#define _WIDE_ORIENT	     1
#define _UNBUF_STREAM_OPT    1

/*
 * POSIX options unikit provides on newlib: threads (lib ukpthread on
 * uksched/uklock), clocks and timeouts (newlibglue -> posixtime).
 * newlib's own sys/features.h sets these for RTEMS only.
 */
#define _POSIX_THREADS		       1
#define _POSIX_TIMEOUTS		       1
#define _POSIX_TIMERS		       1
#define _POSIX_MONOTONIC_CLOCK	       200112L
#define _POSIX_READER_WRITER_LOCKS     200112L
#define _POSIX_SEMAPHORES	       1
#define _POSIX_THREAD_ATTR_STACKSIZE   1
#define _UNIX98_THREAD_MUTEX_ATTRIBUTES 1

#endif /* !__NEWLIB_H__ */
