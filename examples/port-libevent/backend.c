/*
 * main() of the libevent test images: the environment switches libevent's
 * test.sh sets before each run (EVENT_NOEPOLL, EVENT_EPOLL_USE_CHANGELIST,
 * EVENT_PRECISE_TIMER...), taken from leading options because a unikit
 * image starts with an empty environment; then the test's own main()
 * (compiled as port_main) with the remaining arguments.
 *
 *   IMAGE [--backend epoll|poll|select] [--changelist] [--timerfd] [ARGS]
 *
 * It prints the method libevent then chooses ("libevent method: poll").
 */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int port_main(int argc, char **argv);

static int backend(const char *name)
{
	/* libevent picks epoll, then poll, then select: turn off those ahead
	 * of the one wanted */
	static const char *const order[] = {"epoll", "poll", "select"};
	unsigned int i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		char var[32];

		if (!strcmp(order[i], name))
			return 0;
		snprintf(var, sizeof(var), "EVENT_NO%s", order[i]);
		for (char *c = var + 8; *c; c++)
			*c = (char)(*c - 'a' + 'A');
		setenv(var, "1", 1);
	}
	return -1;
}

int main(int argc, char **argv)
{
	int i = 1;

	while (i < argc && !strncmp(argv[i], "--", 2)) {
		if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			if (backend(argv[i + 1])) {
				fprintf(stderr,
					"%s: unknown backend '%s' (epoll, "
					"poll, "
					"select)\n",
					argv[0], argv[i + 1]);
				return 2;
			}
			i += 2;
		} else if (!strcmp(argv[i], "--changelist")) {
			setenv("EVENT_EPOLL_USE_CHANGELIST", "yes", 1);
			i++;
		} else if (!strcmp(argv[i], "--timerfd")) {
			setenv("EVENT_PRECISE_TIMER", "1", 1);
			i++;
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", argv[0],
				argv[i]);
			return 2;
		}
	}
	/* what libevent then chooses, for the test to check */
	struct event_base *base = event_base_new();

	if (!base) {
		fprintf(stderr, "%s: event_base_new failed\n", argv[0]);
		return 1;
	}
	printf("libevent method: %s\n", event_base_get_method(base));
	fflush(stdout);
	event_base_free(base);
	argv[i - 1] = argv[0];
	return port_main(argc - i + 1, argv + i - 1);
}
