/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukargparse: turn a kernel command line into an argv vector.
 *
 * Syntax (close to a POSIX shell, without expansions):
 *  - blanks (space, tab, newline, CR) separate arguments;
 *  - '...' quotes everything literally up to the next ';
 *  - "..." quotes, but inside it \" and \\ stand for " and \ (any other
 *    backslash is kept as is);
 *  - outside quotes, a backslash makes the next character literal;
 *  - quoted and unquoted pieces next to each other form one argument
 *    (a"b c"d is the single argument `ab cd`), and "" or '' is an empty one.
 * The first argument that is exactly `--` separates library parameters (before
 * it) from the application's arguments (after it). Without `--`, every
 * argument belongs to the application.
 */
#ifndef UK_ARGPARSE_H
#define UK_ARGPARSE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Why a command line was refused, and where. */
struct uk_argparse_error {
	size_t offset; /* byte offset in the input where the problem is */
	const char
		*reason; /* static English text, e.g. "unterminated ' quote" */
};

/*
 * Split `cmdline` in place into at most `max_args` arguments, storing pointers
 * into `cmdline` in argv[0..argc-1] and argv[argc] = NULL (so argv MUST have
 * room for max_args + 1 pointers). Removing quotes and escapes only ever
 * shortens the text, so no other buffer is needed.
 * Returns argc (>= 0) on success. On failure returns a negative errno and, if
 * `err` is not NULL, fills it in; the argv contents are then unspecified:
 *  -E2BIG  more than max_args arguments;
 *  -EINVAL an unterminated quote or a trailing backslash.
 */
int uk_argparse(char *cmdline, char *argv[], int max_args,
		struct uk_argparse_error *err);

/*
 * Split an argv vector at the first "--". On return lib_argc and lib_argv
 * describe the library parameters and app_argc and app_argv the application
 * arguments (a suffix of argv, still NULL-terminated; lib_argv is NOT
 * NULL-terminated: use lib_argc). Without "--",
 * lib_argc is 0 and everything is the application's. Never fails.
 */
void uk_argparse_split(int argc, char *argv[], int *lib_argc, char ***lib_argv,
		       int *app_argc, char ***app_argv);

#ifdef __cplusplus
}
#endif
#endif /* UK_ARGPARSE_H */
