/* SPDX-License-Identifier: BSD-3-Clause */
/* uksched wait queues: see <uk/sched.h>, which declares the whole API. */
#ifndef UK_WAIT_H
#define UK_WAIT_H
#include <uk/sched.h>
#endif /* UK_WAIT_H */
