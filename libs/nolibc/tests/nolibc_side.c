/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compiled like nolibc itself (nolibc's headers, -nostdinc, the prefix
 * header): collects what nolibc's headers say, for the tests to compare with
 * the host's, and exercises <assert.h>. Including every header here also
 * checks that they compile together.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

struct side_const {
	const char *name;
	unsigned long long value;
	size_t size;
	int is_signed;
};

struct side_pri {
	const char *name;
	const char *fmt;
	size_t type_size;
};

/* The signedness test below compares unsigned values with 0 on purpose. */
#pragma GCC diagnostic ignored "-Wtype-limits"

#define X(n) {#n, (unsigned long long)(n), sizeof(n), ((n) - (n)-1) < 0},
const struct side_const side_errnos[] = {
#include "list_errno.h"
	{NULL, 0, 0, 0}};

const struct side_const side_limits[] = {
#include "list_limits.h"
	{NULL, 0, 0, 0}};
#undef X

#define T(t) {#t, sizeof(t), sizeof(t), ((t)0 - 1) < 0},
#define S(t) {#t, sizeof(t), sizeof(t), 0},
const struct side_const side_types[] = {T(size_t) T(ssize_t) T(off_t) T(
	pid_t) S(div_t) S(ldiv_t) S(lldiv_t) S(imaxdiv_t){NULL, 0, 0, 0}};
#undef T
#undef S

#define X(n, t) {#n, n, sizeof(t)},
const struct side_pri side_pris[] = {
#include "list_pri.h"
	{NULL, NULL, 0}};
#undef X

const char side_file[] = __FILE__;

void side_assert(int v)
{
	assert(v);
}
const int side_assert_line = __LINE__ - 2;

#define NDEBUG
#include <assert.h>

/* With NDEBUG the expression must not even be evaluated. */
int side_assert_ndebug(int *counter)
{
	assert(++*counter == 0);
	return *counter;
}

#undef NDEBUG
#include <assert.h>

/* Re-including <assert.h> without NDEBUG turns it back on. */
int side_assert_again(int v)
{
	assert(v > 0);
	return v;
}

static_assert(sizeof(off_t) == 8, "off_t is 64-bit");
