#ifndef HELLOFILES_COUNT_H
#define HELLOFILES_COUNT_H

/* Lines of the file at `path` (-1 if it cannot be opened); `check` (may be
 * NULL) is asked about each line, and every line it refuses adds 1 to *bad. */
int count_lines(const char *path, int (*check)(const char *line, void *arg),
		void *arg, int *bad);

#endif
