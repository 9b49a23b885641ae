/*
 * bzip2's own `make test`, in the image (boot test: tests/samples.py puts
 * the sample files in /s). The Makefile runs, for N = 1, 2, 3,
 *   ./bzip2 -N < sampleN.ref > sampleN.rb2;   cmp sampleN.bz2 sampleN.rb2
 *   ./bzip2 -d < sampleN.bz2 > sampleN.tst;   cmp sampleN.tst sampleN.ref
 * (sample3 decompressed with -ds). Here bzip2's main() (renamed bzip2_main)
 * runs with stdin and stdout redirected to the same files, as the shell
 * would, and the results are compared byte for byte.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int bzip2_main(int argc, char *argv[]);

/* bzip2 <in >out with one option; bzip2's exit value, or -1 */
static int run(const char *opt, const char *in, const char *out)
{
	char *argv[] = {"bzip2", (char *)opt, NULL};
	/* above 0-2: bzip2 fclose()s stdin, and a plain dup() would take fd 0,
	 * which the next freopen(stdin) replaces */
	int console = fcntl(1, F_DUPFD, 10), rc;

	if (console < 0 || !freopen(in, "rb", stdin) ||
	    !freopen(out, "wb", stdout)) {
		perror("redirect");
		return -1;
	}
	rc = bzip2_main(2, argv);
	fflush(stdout);
	dup2(console, 1);
	close(console);
	return rc;
}

/* 0 when the files are byte for byte the same, like cmp(1) */
static int cmp(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	long off = 0;
	int ca, cb, rc = 1;

	if (!fa || !fb) {
		perror(!fa ? a : b);
		goto out;
	}
	do {
		ca = getc(fa);
		cb = getc(fb);
		if (ca != cb) {
			printf("bzip2-check: %s %s differ: byte %ld\n", a, b,
			       off + 1);
			goto out;
		}
		off++;
	} while (ca != EOF);
	printf("bzip2-check: %s and %s are identical (%ld bytes)\n", a, b,
	       off - 1);
	rc = 0;
out:
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return rc;
}

int main(void)
{
	static const char *const level[] = {"-1", "-2", "-3"};
	int bad = 0;

	for (int n = 1; n <= 3; n++) {
		char ref[32], bz2[32], rb2[32], tst[32];

		snprintf(ref, sizeof(ref), "/s/sample%d.ref", n);
		snprintf(bz2, sizeof(bz2), "/s/sample%d.bz2", n);
		snprintf(rb2, sizeof(rb2), "/s/sample%d.rb2", n);
		snprintf(tst, sizeof(tst), "/s/sample%d.tst", n);
		if (run(level[n - 1], ref, rb2) != 0 || cmp(bz2, rb2))
			bad++;
		if (run(n == 3 ? "-ds" : "-d", bz2, tst) != 0 || cmp(tst, ref))
			bad++;
	}
	printf("bzip2-check: %d of 6 comparisons differ\n", bad);
	return bad ? 1 : 0;
}
