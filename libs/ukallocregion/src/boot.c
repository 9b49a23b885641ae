/* SPDX-License-Identifier: BSD-3-Clause */
/* Images only: build the boot heap with the region allocator (an early init
 * function). */
#include <uk/init.h>
#include <uk/allocboot.h>
#include <uk/allocregion.h>

UK_ALLOC_BOOT_BACKEND(uk_allocregion_init);
