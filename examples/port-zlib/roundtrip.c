/*
 * minigzip's round trip, for the boot test (tests/roundtrip.py). minigzip's
 * own code (its main(), renamed minigzip_main) does the work; this driver
 * only runs it twice and shows the results to the host:
 *   1. minigzip -9 /data/text      -> /data/text.gz, printed in hex for the
 *                                     host's gzip to decompress and compare
 *   2. minigzip -d /data/host.gz   -> /data/host (the host's gzip made
 *                                     host.gz from the same text), compared
 *                                     here with /data/text.ref
 * The console turns "\n" into "\r\n", so binary data travels as hex lines.
 */
#include <stdio.h>
#include <string.h>

int minigzip_main(int argc, char *argv[]);

static long dump_hex(const char *path)
{
	unsigned char buf[32];
	long total = 0;
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return -1;
	}
	printf("roundtrip: begin %s\n", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		char line[2 * sizeof(buf) + 1];

		for (size_t i = 0; i < n; i++)
			sprintf(line + 2 * i, "%02x", buf[i]);
		printf("hex:%s\n", line);
		total += (long)n;
	}
	fclose(f);
	printf("roundtrip: end %s, %ld bytes\n", path, total);
	return total;
}

/* 0 when the files are byte for byte the same; says where they differ */
static int compare(const char *a, const char *b)
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
			printf("roundtrip: %s and %s differ at byte %ld\n", a,
			       b, off);
			goto out;
		}
		off++;
	} while (ca != EOF);
	printf("roundtrip: %s is identical to %s (%ld bytes)\n", a, b, off - 1);
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
	char *gz[] = {"minigzip", "-9", "/data/text", NULL};
	char *gunzip[] = {"minigzip", "-d", "/data/host.gz", NULL};

	if (minigzip_main(3, gz) != 0 || dump_hex("/data/text.gz") < 0)
		return 1;
	if (minigzip_main(3, gunzip) != 0)
		return 1;
	return compare("/data/host", "/data/text.ref");
}
