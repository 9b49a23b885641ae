/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread-local storage for images: the linker scripts put the image's TLS
 * template (.tdata, then .tbss) in a PT_TLS segment and export its bounds;
 * each thread's block is a copy of .tdata followed by zeroes, where the
 * architecture's TLS ABI puts it relative to the thread pointer
 * (<uk/arch/tls.h>; local-exec offsets).
 */
#include <stdint.h>
#include <string.h>
#include <uk/arch/tls.h>
#include <uk/sched.h>

extern const char __uk_tdata_start[] __attribute__((weak));
extern const char __uk_tdata_end[] __attribute__((weak));
extern const char __uk_tls_size[] __attribute__((weak));
extern const char __uk_tls_align[] __attribute__((weak));

static size_t tls_block_size(void)
{
	uintptr_t size = (uintptr_t)__uk_tls_size;
	uintptr_t align = (uintptr_t)__uk_tls_align;

	if (!align)
		align = 1;
	return (size + align - 1) & ~(align - 1);
}

static void tls_copy(void *tp)
{
	size_t n = (size_t)(__uk_tdata_end - __uk_tdata_start);

	/* the block was zeroed: .tbss needs nothing */
	memcpy(ukarch_tls_data(tp, tls_block_size(), (uintptr_t)__uk_tls_align),
	       __uk_tdata_start, n);
}

int uk_sched_tls_image(struct uk_sched_config *cfg)
{
	if (!__uk_tdata_start || !(uintptr_t)__uk_tls_size)
		return 0; /* no thread-local variables in this image */
	if ((uintptr_t)__uk_tls_align > UKARCH_TLS_MAX_ALIGN)
		return -22; /* EINVAL: blocks are aligned to no more */
	cfg->tls_size = tls_block_size();
	cfg->tls_init = tls_copy;
	return 0;
}
