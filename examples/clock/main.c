/* Prints where the clocks come from and the wall-clock time, then busy-waits
 * N ms (argv[1], default 200) by the monotonic clock, so a test can time the
 * guest against the host between the "start" and "end" lines. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uk/plat/time.h>

int main(int argc, char *argv[])
{
	long ms = 200;

	if (argc > 2) {
		printf("usage: clock [MILLISECONDS]\n");
		return 2;
	}
	if (argc == 2) {
		char *end;
		errno = 0;
		ms = strtol(argv[1], &end, 10);
		if (errno || *end || end == argv[1] || ms < 0 || ms > 3600000) {
			printf("clock: '%s' is not a number of milliseconds "
			       "from 0 to 3600000\n",
			       argv[1]);
			return 2;
		}
	}

	const struct ukplat_clock_info *ci = ukplat_clock_info();
	printf("clock: mono source %s at %lu Hz, calibration %lu ns\n",
	       ci->mono_source, (unsigned long)ci->mono_hz,
	       (unsigned long)ci->calib_ns);
	uint64_t wall = ukplat_wall_clock();
	printf("clock: wall %lu.%09lu (%s)\n",
	       (unsigned long)(wall / 1000000000u),
	       (unsigned long)(wall % 1000000000u), ci->wall_source);

	printf("clock: start\n");
	uint64_t wait = (uint64_t)ms * 1000000u;
	uint64_t t0 = ukplat_monotonic_clock(), now = t0, prev = t0;
	while (now - t0 < wait) {
		now = ukplat_monotonic_clock();
		if (now < prev) {
			printf("clock: monotonic clock went backwards: %lu "
			       "after %lu\n",
			       (unsigned long)now, (unsigned long)prev);
			return 1;
		}
		prev = now;
	}
	printf("clock: end after %lu ns\n", (unsigned long)(now - t0));
	return 0;
}
