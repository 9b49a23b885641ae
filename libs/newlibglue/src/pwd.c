/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * getpwnam/getpwuid (and the _r forms) from /etc/passwd, which newlib
 * declares but leaves to the system (rootfs gives images a default /etc).
 * A line is name:passwd:uid:gid:gecos:dir:shell; malformed lines are
 * skipped, a line longer than the buffer gives ERANGE.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_ 1024

/* split `line` (in place) into pw; 0 when it has the seven fields */
static int parse(char *line, struct passwd *pw)
{
	char *f[7];
	char *end;
	int n = 0;

	line[strcspn(line, "\n")] = 0;
	for (char *p = line; n < 7; n++) {
		f[n] = p;
		p = strchr(p, ':');
		if (!p) {
			n++;
			break;
		}
		*p++ = 0;
	}
	if (n != 7)
		return -1;
	pw->pw_name = f[0];
	pw->pw_passwd = f[1];
	errno = 0;
	pw->pw_uid = (uid_t)strtoul(f[2], &end, 10);
	if (!*f[2] || *end || errno)
		return -1;
	pw->pw_gid = (gid_t)strtoul(f[3], &end, 10);
	if (!*f[3] || *end || errno)
		return -1;
	pw->pw_gecos = pw->pw_comment = f[4];
	pw->pw_dir = f[5];
	pw->pw_shell = f[6];
	return 0;
}

/* the entry whose name is `name` (or, name NULL, whose uid is `uid`):
 * 0 with *res set or NULL (not found), or an error number */
static int lookup(const char *name, uid_t uid, struct passwd *pw, char *buf,
		  size_t len, struct passwd **res)
{
	FILE *f = fopen("/etc/passwd", "r");
	int err = 0;

	*res = NULL;
	if (!f)
		return errno == ENOENT ? 0 : errno;
	while (fgets(buf, (int)len, f)) {
		if (!strchr(buf, '\n') && !feof(f)) {
			err = ERANGE;
			break;
		}
		if (parse(buf, pw))
			continue;
		if (name ? !strcmp(pw->pw_name, name) : pw->pw_uid == uid) {
			*res = pw;
			break;
		}
	}
	if (!err && ferror(f))
		err = EIO;
	fclose(f);
	return err;
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len,
	       struct passwd **res)
{
	return lookup(name, 0, pw, buf, len, res);
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len,
	       struct passwd **res)
{
	return lookup(NULL, uid, pw, buf, len, res);
}

static struct passwd pw_static;
static char buf_static[LINE_MAX_];

struct passwd *getpwnam(const char *name)
{
	struct passwd *res;
	int err = lookup(name, 0, &pw_static, buf_static, sizeof(buf_static),
			 &res);

	if (err)
		errno = err;
	return res;
}

struct passwd *getpwuid(uid_t uid)
{
	struct passwd *res;
	int err = lookup(NULL, uid, &pw_static, buf_static, sizeof(buf_static),
			 &res);

	if (err)
		errno = err;
	return res;
}
