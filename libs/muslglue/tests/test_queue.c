/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The <sys/queue.h> unikit adds to musl (subprojects/packagefiles/musl/
 * unikit/include/sys/queue.h), compiled natively by path so that the
 * host's own <sys/queue.h> is not what is tested.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "../../../subprojects/packagefiles/musl/unikit/include/sys/queue.h"

struct node {
	int v;
	SLIST_ENTRY(node) sl;
	LIST_ENTRY(node) li;
	STAILQ_ENTRY(node) sq;
	TAILQ_ENTRY(node) tq;
};

SLIST_HEAD(slhead, node);
LIST_HEAD(lhead, node);
STAILQ_HEAD(sqhead, node);
TAILQ_HEAD(tqhead, node);

#define N 5

/* the values in list order, as a number: 1,2,3 -> 123 (0 when empty) */
#define DIGITS(var, head, kind, field)                                    \
	({                                                                \
		long _d = 0;                                              \
		kind##_FOREACH(var, head, field) _d = _d * 10 + (var)->v; \
		_d;                                                       \
	})

static void mk(struct node *n)
{
	for (int i = 0; i < N; i++)
		n[i].v = i + 1;
}

static void test_slist(void **state)
{
	struct slhead h = SLIST_HEAD_INITIALIZER(h);
	struct node n[N], *p, *t;

	(void)state;
	mk(n);
	assert_true(SLIST_EMPTY(&h));
	SLIST_INSERT_HEAD(&h, &n[2], sl);
	SLIST_INSERT_HEAD(&h, &n[0], sl);
	SLIST_INSERT_AFTER(&n[0], &n[1], sl);
	SLIST_INSERT_AFTER(&n[2], &n[3], sl);
	assert_int_equal(DIGITS(p, &h, SLIST, sl), 1234);
	assert_ptr_equal(SLIST_FIRST(&h), &n[0]);
	assert_ptr_equal(SLIST_NEXT(&n[3], sl), NULL);
	SLIST_REMOVE(&h, &n[2], node, sl); /* middle */
	SLIST_REMOVE(&h, &n[0], node, sl); /* head */
	assert_int_equal(DIGITS(p, &h, SLIST, sl), 24);
	SLIST_REMOVE_HEAD(&h, sl);
	assert_int_equal(DIGITS(p, &h, SLIST, sl), 4);
	SLIST_FOREACH_SAFE(p, &h, sl, t) SLIST_REMOVE(&h, p, node, sl);
	assert_true(SLIST_EMPTY(&h));
}

static void test_list(void **state)
{
	struct lhead h;
	struct node n[N], *p, *t;

	(void)state;
	mk(n);
	LIST_INIT(&h);
	LIST_INSERT_HEAD(&h, &n[3], li);
	LIST_INSERT_BEFORE(&n[3], &n[0], li); /* before the head */
	LIST_INSERT_AFTER(&n[0], &n[2], li);
	LIST_INSERT_BEFORE(&n[2], &n[1], li);
	LIST_INSERT_AFTER(&n[3], &n[4], li); /* after the last */
	assert_int_equal(DIGITS(p, &h, LIST, li), 12345);
	LIST_REMOVE(&n[0], li); /* first */
	LIST_REMOVE(&n[4], li); /* last */
	LIST_REMOVE(&n[2], li); /* middle */
	assert_int_equal(DIGITS(p, &h, LIST, li), 24);
	assert_ptr_equal(LIST_FIRST(&h), &n[1]);
	assert_ptr_equal(LIST_NEXT(&n[1], li), &n[3]);
	LIST_FOREACH_SAFE(p, &h, li, t) LIST_REMOVE(p, li);
	assert_true(LIST_EMPTY(&h));
}

static void test_stailq(void **state)
{
	struct sqhead h = STAILQ_HEAD_INITIALIZER(h), h2;
	struct node n[N], *p, *t;

	(void)state;
	mk(n);
	assert_null(STAILQ_LAST(&h, node, sq));
	STAILQ_INSERT_TAIL(&h, &n[1], sq);
	STAILQ_INSERT_HEAD(&h, &n[0], sq);
	STAILQ_INSERT_AFTER(&h, &n[1], &n[2], sq); /* after the last */
	assert_int_equal(DIGITS(p, &h, STAILQ, sq), 123);
	assert_ptr_equal(STAILQ_LAST(&h, node, sq), &n[2]);
	/* removing the last element must move the tail pointer back */
	STAILQ_REMOVE(&h, &n[2], node, sq);
	assert_ptr_equal(STAILQ_LAST(&h, node, sq), &n[1]);
	STAILQ_INSERT_TAIL(&h, &n[3], sq);
	assert_int_equal(DIGITS(p, &h, STAILQ, sq), 124);
	STAILQ_INIT(&h2);
	STAILQ_INSERT_TAIL(&h2, &n[4], sq);
	STAILQ_CONCAT(&h, &h2);
	assert_true(STAILQ_EMPTY(&h2));
	assert_int_equal(DIGITS(p, &h, STAILQ, sq), 1245);
	STAILQ_CONCAT(&h, &h2); /* an empty one: no change */
	assert_ptr_equal(STAILQ_LAST(&h, node, sq), &n[4]);
	/* emptied from the head: the tail must point at the head again */
	STAILQ_FOREACH_SAFE(p, &h, sq, t) STAILQ_REMOVE_HEAD(&h, sq);
	assert_true(STAILQ_EMPTY(&h));
	assert_null(STAILQ_LAST(&h, node, sq));
	STAILQ_INSERT_TAIL(&h, &n[2], sq);
	assert_ptr_equal(STAILQ_FIRST(&h), &n[2]);
	assert_ptr_equal(STAILQ_LAST(&h, node, sq), &n[2]);
}

static void test_tailq(void **state)
{
	struct tqhead h = TAILQ_HEAD_INITIALIZER(h), h2;
	struct node n[N], *p, *t;
	long rev = 0;

	(void)state;
	mk(n);
	assert_null(TAILQ_LAST(&h, tqhead));
	TAILQ_INSERT_TAIL(&h, &n[2], tq);
	TAILQ_INSERT_HEAD(&h, &n[0], tq);
	TAILQ_INSERT_AFTER(&h, &n[0], &n[1], tq);
	TAILQ_INSERT_AFTER(&h, &n[2], &n[4], tq); /* after the last */
	TAILQ_INSERT_BEFORE(&n[4], &n[3], tq);
	assert_int_equal(DIGITS(p, &h, TAILQ, tq), 12345);
	TAILQ_FOREACH_REVERSE(p, &h, tqhead, tq) rev = rev * 10 + p->v;
	assert_int_equal(rev, 54321);
	assert_ptr_equal(TAILQ_LAST(&h, tqhead), &n[4]);
	assert_ptr_equal(TAILQ_PREV(&n[1], tqhead, tq), &n[0]);
	assert_null(TAILQ_PREV(&n[0], tqhead, tq));
	TAILQ_REMOVE(&h, &n[4], tq); /* last: the tail moves back */
	TAILQ_REMOVE(&h, &n[0], tq);
	TAILQ_REMOVE(&h, &n[2], tq);
	assert_int_equal(DIGITS(p, &h, TAILQ, tq), 24);
	assert_ptr_equal(TAILQ_LAST(&h, tqhead), &n[3]);
	TAILQ_INIT(&h2);
	TAILQ_INSERT_TAIL(&h2, &n[0], tq);
	TAILQ_INSERT_TAIL(&h2, &n[4], tq);
	TAILQ_CONCAT(&h, &h2, tq);
	assert_true(TAILQ_EMPTY(&h2));
	assert_int_equal(DIGITS(p, &h, TAILQ, tq), 2415);
	assert_ptr_equal(TAILQ_PREV(&n[0], tqhead, tq), &n[3]);
	assert_ptr_equal(TAILQ_LAST(&h, tqhead), &n[4]);
	TAILQ_FOREACH_SAFE(p, &h, tq, t) TAILQ_REMOVE(&h, p, tq);
	assert_true(TAILQ_EMPTY(&h));
	assert_null(TAILQ_LAST(&h, tqhead));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slist),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_stailq),
		cmocka_unit_test(test_tailq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
