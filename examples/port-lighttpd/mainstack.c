/*
 * main() of the lighttpd image: runs lighttpd's own main() (compiled as
 * port_main) on a thread with a PORT_STACK_SIZE stack, as examples/
 * port-nginx does (in a kvm image main() runs on the 16 KiB boot stack).
 * Without arguments it runs what the image is for, the server in the
 * foreground with the configuration of the initrd:
 *   lighttpd -D -f /etc/lighttpd/lighttpd.conf
 * (lighttpd has no compiled-in configuration path, and without -D it would
 * fork into the background.) Arguments on the command line replace these.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifndef PORT_STACK_SIZE
#define PORT_STACK_SIZE (256 << 10)
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
	static char *dflt[] = {"lighttpd", "-D", "-f",
			       "/etc/lighttpd/lighttpd.conf", NULL};
	struct port_args a = {argc, argv, 0};
	pthread_attr_t attr;
	pthread_t t;
	int e;

	if (argc < 2) {
		a.argc = 4;
		a.argv = dflt;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PORT_STACK_SIZE);
	e = pthread_create(&t, &attr, port_thread, &a);
	if (e) {
		fprintf(stderr, "%s: no thread for main (%s)\n", a.argv[0],
			strerror(e));
		return 1;
	}
	pthread_join(t, NULL);
	return a.rc;
}
