/*
 * redis' background threads (bio.c) ask for stacks of at least 4 MiB, which
 * Linux backs with memory only as it is touched. In a unikit image a
 * thread's stack is memory taken when the thread is made, so three bio
 * threads would hold 12 MiB. meson.build compiles bio.c with
 * pthread_attr_setstacksize renamed to this function, which caps the size
 * at REDIS_UNIKIT_THREAD_STACK: the jobs those threads run (close, fsync,
 * freeing objects) are shallow.
 */
#include <pthread.h>

#ifndef REDIS_UNIKIT_THREAD_STACK
#define REDIS_UNIKIT_THREAD_STACK (256 << 10)
#endif

int redis_unikit_thread_stacksize(pthread_attr_t *attr, size_t size)
{
	if (size > REDIS_UNIKIT_THREAD_STACK)
		size = REDIS_UNIKIT_THREAD_STACK;
	return pthread_attr_setstacksize(attr, size);
}
