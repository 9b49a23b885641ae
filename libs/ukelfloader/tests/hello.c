/* A Linux program (musl-gcc -static-pie) the native tests load and enter:
 * it checks what the loader gave it and exits with 7 when all is right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

static __thread int tls_var = 5;

int main(int argc, char **argv, char **envp)
{
	int bad = 0;
	const unsigned char *rnd = (const void *)getauxval(AT_RANDOM);
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	const char *fn = (const char *)getauxval(AT_EXECFN);

	printf("argc=%d", argc);
	for (int i = 0; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
	for (char **e = envp; *e; e++)
		printf("env %s\n", *e);
	printf("execfn=%s platform=%s pagesz=%lu\n", fn ? fn : "?",
	       plat ? plat : "?", getauxval(AT_PAGESZ));
	if (!rnd || !plat || strcmp(plat, "x86_64"))
		bad = 1;
	if (getenv("HOME") == NULL || strcmp(getenv("HOME"), "/"))
		bad = 1;
	tls_var++;
	if (tls_var != 6)
		bad = 1;
	char *m = malloc(100000);
	if (!m)
		bad = 1;
	free(m);
	fflush(stdout);
	return bad ? 1 : 7;
}
