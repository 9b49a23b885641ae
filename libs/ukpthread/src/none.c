/* SPDX-License-Identifier: BSD-3-Clause */
/* ukpthread with a libc other than newlib (which has its own threads or none):
 * nothing to provide. */
typedef int uk_pthread_unused_t;
