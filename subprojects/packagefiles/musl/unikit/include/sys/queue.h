/*
 * <sys/queue.h>: the BSD intrusive list macros, which musl leaves out on
 * purpose (musl-based systems ship them separately) and which glibc and
 * newlib have; ported programs include it (lighttpd's HPACK code uses
 * STAILQ). unikit's own implementation of the classic interface:
 *
 *   SLIST   singly linked list            (head: first)
 *   LIST    doubly linked list            (head: first)
 *   STAILQ  singly linked tail queue      (head: first, last)
 *   TAILQ   doubly linked tail queue      (head: first, last)
 *
 * Each has _HEAD(name, type), _HEAD_INITIALIZER(head), _ENTRY(type),
 * _INIT, _EMPTY, _FIRST, _NEXT, _FOREACH, _INSERT_HEAD, _INSERT_AFTER,
 * _REMOVE_HEAD (not LIST/TAILQ), _REMOVE; STAILQ and TAILQ also
 * _INSERT_TAIL, _LAST, _CONCAT; LIST and TAILQ _INSERT_BEFORE; TAILQ
 * _PREV, _FOREACH_REVERSE. The _SAFE loop variants allow removing the
 * current element. Field names follow the BSD layout so that code touching
 * them (slh_first, stqh_last, tqe_prev...) compiles.
 */
#ifndef _SYS_QUEUE_H
#define _SYS_QUEUE_H

#include <stddef.h> /* NULL, in the expansions */

/* ---- SLIST */
#define SLIST_HEAD(name, type)          \
	struct name {                   \
		struct type *slh_first; \
	}
#define SLIST_HEAD_INITIALIZER(head) \
	{                            \
		NULL                 \
	}
#define SLIST_ENTRY(type)              \
	struct {                       \
		struct type *sle_next; \
	}
#define SLIST_INIT(head)       ((head)->slh_first = NULL)
#define SLIST_EMPTY(head)      ((head)->slh_first == NULL)
#define SLIST_FIRST(head)      ((head)->slh_first)
#define SLIST_NEXT(elm, field) ((elm)->field.sle_next)
#define SLIST_FOREACH(var, head, field) \
	for ((var) = (head)->slh_first; (var); (var) = (var)->field.sle_next)
#define SLIST_FOREACH_SAFE(var, head, field, tvar) \
	for ((var) = (head)->slh_first;            \
	     (var) && ((tvar) = (var)->field.sle_next, 1); (var) = (tvar))
#define SLIST_INSERT_HEAD(head, elm, field)                \
	do {                                               \
		(elm)->field.sle_next = (head)->slh_first; \
		(head)->slh_first = (elm);                 \
	} while (0)
#define SLIST_INSERT_AFTER(slistelm, elm, field)                    \
	do {                                                        \
		(elm)->field.sle_next = (slistelm)->field.sle_next; \
		(slistelm)->field.sle_next = (elm);                 \
	} while (0)
#define SLIST_REMOVE_HEAD(head, field) \
	((head)->slh_first = (head)->slh_first->field.sle_next)
#define SLIST_REMOVE_AFTER(elm, field) \
	((elm)->field.sle_next = (elm)->field.sle_next->field.sle_next)
/* O(n): a singly linked element does not know its predecessor */
#define SLIST_REMOVE(head, elm, type, field)                    \
	do {                                                    \
		if ((head)->slh_first == (elm)) {               \
			SLIST_REMOVE_HEAD((head), field);       \
		} else {                                        \
			struct type *_uk_p = (head)->slh_first; \
			while (_uk_p->field.sle_next != (elm))  \
				_uk_p = _uk_p->field.sle_next;  \
			SLIST_REMOVE_AFTER(_uk_p, field);       \
		}                                               \
	} while (0)

/* ---- LIST: le_prev points at the pointer that points at the element */
#define LIST_HEAD(name, type)          \
	struct name {                  \
		struct type *lh_first; \
	}
#define LIST_HEAD_INITIALIZER(head) \
	{                           \
		NULL                \
	}
#define LIST_ENTRY(type)               \
	struct {                       \
		struct type *le_next;  \
		struct type **le_prev; \
	}
#define LIST_INIT(head)	      ((head)->lh_first = NULL)
#define LIST_EMPTY(head)      ((head)->lh_first == NULL)
#define LIST_FIRST(head)      ((head)->lh_first)
#define LIST_NEXT(elm, field) ((elm)->field.le_next)
#define LIST_FOREACH(var, head, field) \
	for ((var) = (head)->lh_first; (var); (var) = (var)->field.le_next)
#define LIST_FOREACH_SAFE(var, head, field, tvar) \
	for ((var) = (head)->lh_first;            \
	     (var) && ((tvar) = (var)->field.le_next, 1); (var) = (tvar))
#define LIST_INSERT_HEAD(head, elm, field)                             \
	do {                                                           \
		if (((elm)->field.le_next = (head)->lh_first) != NULL) \
			(head)->lh_first->field.le_prev =              \
				&(elm)->field.le_next;                 \
		(head)->lh_first = (elm);                              \
		(elm)->field.le_prev = &(head)->lh_first;              \
	} while (0)
#define LIST_INSERT_AFTER(listelm, elm, field)                                 \
	do {                                                                   \
		if (((elm)->field.le_next = (listelm)->field.le_next) != NULL) \
			(listelm)->field.le_next->field.le_prev =              \
				&(elm)->field.le_next;                         \
		(listelm)->field.le_next = (elm);                              \
		(elm)->field.le_prev = &(listelm)->field.le_next;              \
	} while (0)
#define LIST_INSERT_BEFORE(listelm, elm, field)                   \
	do {                                                      \
		(elm)->field.le_prev = (listelm)->field.le_prev;  \
		(elm)->field.le_next = (listelm);                 \
		*(listelm)->field.le_prev = (elm);                \
		(listelm)->field.le_prev = &(elm)->field.le_next; \
	} while (0)
#define LIST_REMOVE(elm, field)                               \
	do {                                                  \
		if ((elm)->field.le_next != NULL)             \
			(elm)->field.le_next->field.le_prev = \
				(elm)->field.le_prev;         \
		*(elm)->field.le_prev = (elm)->field.le_next; \
	} while (0)

/* ---- STAILQ: stqh_last points at the last element's next pointer (at
 * stqh_first when empty), so appending is O(1) */
#define STAILQ_HEAD(name, type)          \
	struct name {                    \
		struct type *stqh_first; \
		struct type **stqh_last; \
	}
#define STAILQ_HEAD_INITIALIZER(head)    \
	{                                \
		NULL, &(head).stqh_first \
	}
#define STAILQ_ENTRY(type)              \
	struct {                        \
		struct type *stqe_next; \
	}
#define STAILQ_INIT(head)                                \
	do {                                             \
		(head)->stqh_first = NULL;               \
		(head)->stqh_last = &(head)->stqh_first; \
	} while (0)
#define STAILQ_EMPTY(head)	((head)->stqh_first == NULL)
#define STAILQ_FIRST(head)	((head)->stqh_first)
#define STAILQ_NEXT(elm, field) ((elm)->field.stqe_next)
/* the element whose next pointer stqh_last points at */
#define STAILQ_LAST(head, type, field)                                     \
	(STAILQ_EMPTY(head)                                                \
		 ? NULL                                                    \
		 : (struct type *)(void *)((char *)((head)->stqh_last) -   \
					   __builtin_offsetof(struct type, \
							      field)))
#define STAILQ_FOREACH(var, head, field) \
	for ((var) = (head)->stqh_first; (var); (var) = (var)->field.stqe_next)
#define STAILQ_FOREACH_SAFE(var, head, field, tvar) \
	for ((var) = (head)->stqh_first;            \
	     (var) && ((tvar) = (var)->field.stqe_next, 1); (var) = (tvar))
#define STAILQ_INSERT_HEAD(head, elm, field)                               \
	do {                                                               \
		if (((elm)->field.stqe_next = (head)->stqh_first) == NULL) \
			(head)->stqh_last = &(elm)->field.stqe_next;       \
		(head)->stqh_first = (elm);                                \
	} while (0)
#define STAILQ_INSERT_TAIL(head, elm, field)                 \
	do {                                                 \
		(elm)->field.stqe_next = NULL;               \
		*(head)->stqh_last = (elm);                  \
		(head)->stqh_last = &(elm)->field.stqe_next; \
	} while (0)
#define STAILQ_INSERT_AFTER(head, listelm, elm, field)                       \
	do {                                                                 \
		if (((elm)->field.stqe_next = (listelm)->field.stqe_next) == \
		    NULL)                                                    \
			(head)->stqh_last = &(elm)->field.stqe_next;         \
		(listelm)->field.stqe_next = (elm);                          \
	} while (0)
#define STAILQ_REMOVE_HEAD(head, field)                                    \
	do {                                                               \
		if (((head)->stqh_first =                                  \
			     (head)->stqh_first->field.stqe_next) == NULL) \
			(head)->stqh_last = &(head)->stqh_first;           \
	} while (0)
#define STAILQ_REMOVE_AFTER(head, elm, field)                                  \
	do {                                                                   \
		if (((elm)->field.stqe_next =                                  \
			     (elm)->field.stqe_next->field.stqe_next) == NULL) \
			(head)->stqh_last = &(elm)->field.stqe_next;           \
	} while (0)
/* O(n), as SLIST_REMOVE */
#define STAILQ_REMOVE(head, elm, type, field)                      \
	do {                                                       \
		if ((head)->stqh_first == (elm)) {                 \
			STAILQ_REMOVE_HEAD((head), field);         \
		} else {                                           \
			struct type *_uk_p = (head)->stqh_first;   \
			while (_uk_p->field.stqe_next != (elm))    \
				_uk_p = _uk_p->field.stqe_next;    \
			STAILQ_REMOVE_AFTER((head), _uk_p, field); \
		}                                                  \
	} while (0)
/* moves all of head2 to the end of head1; head2 ends up empty */
#define STAILQ_CONCAT(head1, head2)                                \
	do {                                                       \
		if (!STAILQ_EMPTY(head2)) {                        \
			*(head1)->stqh_last = (head2)->stqh_first; \
			(head1)->stqh_last = (head2)->stqh_last;   \
			STAILQ_INIT(head2);                        \
		}                                                  \
	} while (0)

/* ---- TAILQ: tqe_prev as LIST's le_prev; tqh_last as STAILQ's. The
 * previous element is found through the head-shaped layout of an entry
 * (next, then prev: the same shape as the head's first, last). */
#define TAILQ_HEAD(name, type)          \
	struct name {                   \
		struct type *tqh_first; \
		struct type **tqh_last; \
	}
#define TAILQ_HEAD_INITIALIZER(head)    \
	{                               \
		NULL, &(head).tqh_first \
	}
#define TAILQ_ENTRY(type)               \
	struct {                        \
		struct type *tqe_next;  \
		struct type **tqe_prev; \
	}
#define TAILQ_INIT(head)                               \
	do {                                           \
		(head)->tqh_first = NULL;              \
		(head)->tqh_last = &(head)->tqh_first; \
	} while (0)
#define TAILQ_EMPTY(head)      ((head)->tqh_first == NULL)
#define TAILQ_FIRST(head)      ((head)->tqh_first)
#define TAILQ_NEXT(elm, field) ((elm)->field.tqe_next)
#define TAILQ_LAST(head, headname) \
	(*(((struct headname *)(void *)((head)->tqh_last))->tqh_last))
#define TAILQ_PREV(elm, headname, field) \
	(*(((struct headname *)(void *)((elm)->field.tqe_prev))->tqh_last))
#define TAILQ_FOREACH(var, head, field) \
	for ((var) = (head)->tqh_first; (var); (var) = (var)->field.tqe_next)
#define TAILQ_FOREACH_SAFE(var, head, field, tvar) \
	for ((var) = (head)->tqh_first;            \
	     (var) && ((tvar) = (var)->field.tqe_next, 1); (var) = (tvar))
#define TAILQ_FOREACH_REVERSE(var, head, headname, field) \
	for ((var) = TAILQ_LAST((head), headname); (var); \
	     (var) = TAILQ_PREV((var), headname, field))
#define TAILQ_INSERT_HEAD(head, elm, field)                              \
	do {                                                             \
		if (((elm)->field.tqe_next = (head)->tqh_first) != NULL) \
			(head)->tqh_first->field.tqe_prev =              \
				&(elm)->field.tqe_next;                  \
		else                                                     \
			(head)->tqh_last = &(elm)->field.tqe_next;       \
		(head)->tqh_first = (elm);                               \
		(elm)->field.tqe_prev = &(head)->tqh_first;              \
	} while (0)
#define TAILQ_INSERT_TAIL(head, elm, field)                \
	do {                                               \
		(elm)->field.tqe_next = NULL;              \
		(elm)->field.tqe_prev = (head)->tqh_last;  \
		*(head)->tqh_last = (elm);                 \
		(head)->tqh_last = &(elm)->field.tqe_next; \
	} while (0)
#define TAILQ_INSERT_AFTER(head, listelm, elm, field)                      \
	do {                                                               \
		if (((elm)->field.tqe_next = (listelm)->field.tqe_next) != \
		    NULL)                                                  \
			(elm)->field.tqe_next->field.tqe_prev =            \
				&(elm)->field.tqe_next;                    \
		else                                                       \
			(head)->tqh_last = &(elm)->field.tqe_next;         \
		(listelm)->field.tqe_next = (elm);                         \
		(elm)->field.tqe_prev = &(listelm)->field.tqe_next;        \
	} while (0)
#define TAILQ_INSERT_BEFORE(listelm, elm, field)                    \
	do {                                                        \
		(elm)->field.tqe_prev = (listelm)->field.tqe_prev;  \
		(elm)->field.tqe_next = (listelm);                  \
		*(listelm)->field.tqe_prev = (elm);                 \
		(listelm)->field.tqe_prev = &(elm)->field.tqe_next; \
	} while (0)
#define TAILQ_REMOVE(head, elm, field)                            \
	do {                                                      \
		if ((elm)->field.tqe_next != NULL)                \
			(elm)->field.tqe_next->field.tqe_prev =   \
				(elm)->field.tqe_prev;            \
		else                                              \
			(head)->tqh_last = (elm)->field.tqe_prev; \
		*(elm)->field.tqe_prev = (elm)->field.tqe_next;   \
	} while (0)
#define TAILQ_CONCAT(head1, head2, field)                        \
	do {                                                     \
		if (!TAILQ_EMPTY(head2)) {                       \
			*(head1)->tqh_last = (head2)->tqh_first; \
			(head2)->tqh_first->field.tqe_prev =     \
				(head1)->tqh_last;               \
			(head1)->tqh_last = (head2)->tqh_last;   \
			TAILQ_INIT(head2);                       \
		}                                                \
	} while (0)

#endif
