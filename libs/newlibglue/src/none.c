/* SPDX-License-Identifier: BSD-3-Clause */
/* newlibglue with a libc other than newlib: nothing to provide. */
typedef int uk_newlibglue_unused_t;
