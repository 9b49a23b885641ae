/* SPDX-License-Identifier: BSD-3-Clause */
/* uksched threads: see <uk/sched.h>, which declares the whole API. */
#ifndef UK_THREAD_H
#define UK_THREAD_H
#include <uk/sched.h>
#endif /* UK_THREAD_H */
