/*
 * One test of PCRE2's RunTest, in the image (boot test: tests/runtest.py
 * puts testdata/ in /testdata). RunTest runs, for test N,
 *   pcre2test -q testdata/testinputN testtry
 * (test 2 appends `pcre2test -q -error -70,-62,-2,-1,0,100,101,191,200` to
 * testtry) and diffs testtry with testdata/testoutputN. pcre2test's own
 * main() (renamed pcre2test_main) does the work here, once per boot:
 * pcre2test keeps state in static variables between the files it reads.
 * Test 2's -error list runs first (it leaves no state behind: it ends
 * before pcre2test opens any file) and its output is appended after.
 * The comparison is line by line; every differing line is counted and the
 * first ones are printed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pcre2test_main(int argc, char **argv);

static int run_error_list(const char *out)
{
	char *argv[] = {"pcre2test", "-q", "-error",
			"-70,-62,-2,-1,0,100,101,191,200", NULL};
	int console = fcntl(1, F_DUPFD, 10), rc;

	if (console < 0 || !freopen(out, "wb", stdout)) {
		perror("redirect");
		return -1;
	}
	rc = pcre2test_main(4, argv);
	fflush(stdout);
	dup2(console, 1);
	close(console);
	return rc;
}

/* `from`'s bytes appended to `to` */
static int append(const char *from, const char *to)
{
	FILE *f = fopen(from, "rb"), *t = fopen(to, "ab");
	char buf[4096];
	size_t n;
	int rc = 0;

	if (!f || !t) {
		perror(!f ? from : to);
		rc = -1;
	}
	while (!rc && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, t) != n)
			rc = -1;
	if (f)
		fclose(f);
	if (t && fclose(t))
		rc = -1;
	return rc;
}

/* lines of `got` that differ from `want`, compared in order */
static long compare(const char *want, const char *got, long *lines)
{
	static char a[65536], b[65536];
	FILE *fw = fopen(want, "r"), *fg = fopen(got, "r");
	long bad = 0;

	*lines = 0;
	if (!fw || !fg) {
		perror(!fw ? want : got);
		return -1;
	}
	for (;;) {
		char *ra = fgets(a, sizeof(a), fw),
		     *rb = fgets(b, sizeof(b), fg);

		if (!ra && !rb)
			break;
		++*lines;
		if (ra && rb && !strcmp(a, b))
			continue;
		if (++bad <= 10)
			printf("pcre2-check: line %ld:\n  expected: %s  got:   "
			       "   %s",
			       *lines, ra ? a : "(end of file)\n",
			       rb ? b : "(end of file)\n");
	}
	fclose(fw);
	fclose(fg);
	return bad;
}

int main(int argc, char **argv)
{
	char in[64], out[64], want[64];
	long bad, lines;
	int n;

	if (argc != 2 || (n = atoi(argv[1])) <= 0) {
		fprintf(stderr,
			"usage: pcre2-check N (runs test N of testdata/)\n");
		return 2;
	}
	snprintf(in, sizeof(in), "/testdata/testinput%d", n);
	snprintf(out, sizeof(out), "/tmp/testtry%d", n);
	snprintf(want, sizeof(want), "/testdata/testoutput%d", n);
	mkdir("/tmp", 0777); /* an initrd may not have it */
	printf("pcre2-check: test %d: pcre2test -q %s %s\n", n, in, out);
	char *targv[] = {"pcre2test", "-q", in, out, NULL};

	if (n == 2 && run_error_list("/tmp/errors") != 0) {
		printf("pcre2-check: test 2: pcre2test -error failed\n");
		return 1;
	}
	if (pcre2test_main(4, targv) != 0) {
		printf("pcre2-check: test %d: pcre2test failed\n", n);
		return 1;
	}
	if (n == 2 && append("/tmp/errors", out) != 0) {
		printf("pcre2-check: test 2: cannot append -error's output\n");
		return 1;
	}
	bad = compare(want, out, &lines);
	if (bad < 0)
		return 1;
	printf("pcre2-check: test %d: %ld of %ld lines differ from %s\n", n,
	       bad, lines, want);
	return bad ? 1 : 0;
}
