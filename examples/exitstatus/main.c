/* Returns the exit status given as its first argument (0-255), so tests can
 * check that a status travels from main() through the platform to the host. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char *argv[])
{
	if (argc != 2) {
		printf("usage: exitstatus STATUS (0-255)\n");
		return 2;
	}
	char *end;
	errno = 0;
	long v = strtol(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || v < 0 || v > 255) {
		printf("exitstatus: '%s' is not a number from 0 to 255\n",
		       argv[1]);
		return 2;
	}
	printf("exitstatus: returning %ld\n", v);
	return (int)v;
}
