/* Four threads append lines to one file under a mutex; main reads the file
 * back and checks every line. Exit 0 only if all 400 are there. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "count.h"

#define THREADS 4
#define LINES	100

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *writer(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < LINES; i++) {
		pthread_mutex_lock(&lock);
		FILE *f = fopen("/tmp/hello", "a");
		if (!f) {
			pthread_mutex_unlock(&lock);
			return (void *)1;
		}
		fprintf(f, "thread %ld line %d\n", id, i);
		fclose(f);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

/* every thread's lines must come in order */
static int check_line(const char *line, void *arg)
{
	int *per = arg;
	long id;
	int i;

	return sscanf(line, "thread %ld line %d", &id, &i) == 2 && id >= 0 &&
	       id < THREADS && i == per[id]++;
}

int main(void)
{
	pthread_t t[THREADS];
	int n = 0, bad = 0, per[THREADS] = {0};

	if (mkdir("/tmp", 0755) && errno != EEXIST) {
		perror("mkdir /tmp");
		return 1;
	}
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, writer, (void *)i)) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < THREADS; i++) {
		void *r;

		pthread_join(t[i], &r);
		if (r)
			bad++;
	}
	n = count_lines("/tmp/hello", check_line, per, &bad);
	if (n < 0) {
		perror("open /tmp/hello");
		return 1;
	}
	printf("hellofiles: %d threads wrote %d lines; /tmp/hello: %d lines, "
	       "%d bad\n",
	       THREADS, THREADS * LINES, n, bad);
	return n == THREADS * LINES && !bad ? 0 : 1;
}
