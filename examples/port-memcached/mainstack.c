/*
 * main() of the image: runs memcached's own main() (compiled as port_main)
 * on a thread with a PORT_STACK_SIZE stack. In a kvm image main() itself
 * runs on the 16 KiB boot stack; memcached's main thread is its listener:
 * the libevent loop that accepts connections, with memcached's and
 * libevent's frames beneath. Linux gives it 8 MiB touched on demand; here
 * the whole stack is heap, so 1 MiB, as the other ports (a stop-gap until
 * unikit has an option for the size of main()'s stack).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifndef PORT_STACK_SIZE
#define PORT_STACK_SIZE (1 << 20)
#endif

int port_main(int argc, char **argv);

struct port_args {
	int argc;
	char **argv;
	int rc;
};

static void *port_thread(void *p)
{
	struct port_args *a = p;

	a->rc = port_main(a->argc, a->argv);
	return NULL;
}

int main(int argc, char **argv)
{
	struct port_args a = {argc, argv, 0};
	pthread_attr_t attr;
	pthread_t t;
	int e;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PORT_STACK_SIZE);
	e = pthread_create(&t, &attr, port_thread, &a);
	if (e) {
		fprintf(stderr, "%s: no thread for main (%s)\n", argv[0],
			strerror(e));
		return 1;
	}
	pthread_join(t, NULL);
	return a.rc;
}
