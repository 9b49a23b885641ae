/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * randtest: where ukrandom's generator got its seed on this VM (boot tests
 * with and without a CPU source and a virtio-rng device:
 * tests/boot/random_check.py), and getrandom through musl.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <uk/random.h>

int main(void)
{
	unsigned char a[32], b[32];
	ssize_t n, m;

	/* by main() the generator is seeded, whatever the VM has: no
	 * GRND_NONBLOCK call may fail */
	n = getrandom(a, sizeof(a), GRND_NONBLOCK);
	m = getrandom(b, sizeof(b), GRND_RANDOM);
	printf("random: sources: %s\n", uk_random_sources());
	printf("random: getrandom: %zd (%s), %zd (%s)\n", n,
	       n < 0 ? strerror(errno) : "ok", m,
	       m < 0 ? strerror(errno) : "ok");
	if (n != sizeof(a) || m != sizeof(b) || !memcmp(a, b, sizeof(a))) {
		printf("random: FAIL\n");
		return 1;
	}
	printf("random: OK\n");
	return 0;
}
