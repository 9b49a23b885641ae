/* SPDX-License-Identifier: BSD-3-Clause */
/* Images only: build the boot heap with TLSF (an early init function). */
#include <uk/init.h>
#include <uk/allocboot.h>
#include <uk/alloctlsf.h>

UK_ALLOC_BOOT_BACKEND(uk_alloctlsf_init);
