/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stddef.h>
#include <uk/argparse.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int fail(struct uk_argparse_error *err, size_t offset,
		const char *reason, int code)
{
	if (err) {
		err->offset = offset;
		err->reason = reason;
	}
	return code;
}

int uk_argparse(char *cmdline, char *argv[], int max_args,
		struct uk_argparse_error *err)
{
	const char *in = cmdline;
	char *out = cmdline;
	int argc = 0;

	for (;;) {
		while (is_blank(*in))
			in++;
		if (!*in)
			break;
		if (argc >= max_args)
			return fail(err, (size_t)(in - cmdline),
				    "too many arguments", -E2BIG);
		argv[argc++] = out;

		/* One argument: until an unquoted blank or the end. */
		while (*in && !is_blank(*in)) {
			size_t start = (size_t)(in - cmdline);

			if (*in == '\'') {
				in++;
				while (*in && *in != '\'')
					*out++ = *in++;
				if (!*in)
					return fail(err, start,
						    "unterminated ' quote",
						    -EINVAL);
				in++;
			} else if (*in == '"') {
				in++;
				while (*in && *in != '"') {
					if (*in == '\\' &&
					    (in[1] == '"' || in[1] == '\\'))
						in++;
					*out++ = *in++;
				}
				if (!*in)
					return fail(err, start,
						    "unterminated \" quote",
						    -EINVAL);
				in++;
			} else if (*in == '\\') {
				if (!in[1])
					return fail(err, start,
						    "trailing backslash",
						    -EINVAL);
				*out++ = in[1];
				in += 2;
			} else {
				*out++ = *in++;
			}
		}
		/* `out` never passes `in`, so this cannot clobber unread
		 * input except the blank we just stopped on. */
		if (*in)
			in++;
		*out++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

void uk_argparse_split(int argc, char *argv[], int *lib_argc, char ***lib_argv,
		       int *app_argc, char ***app_argv)
{
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] == '-' && !argv[i][2]) {
			*lib_argc = i;
			*lib_argv = argv;
			*app_argc = argc - i - 1;
			*app_argv = &argv[i + 1];
			return;
		}
	}
	*lib_argc = 0;
	*lib_argv = argv;
	*app_argc = argc;
	*app_argv = argv;
}
