/* A second archive of the app, as a third-party library would be: counts
 * the lines of a file. */
#include <stdio.h>
#include "count.h"

int count_lines(const char *path, int (*check)(const char *line, void *arg),
		void *arg, int *bad)
{
	char line[64];
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (check && !check(line, arg))
			(*bad)++;
	}
	fclose(f);
	return n;
}
