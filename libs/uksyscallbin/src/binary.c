/* SPDX-License-Identifier: BSD-3-Clause */
/* The binary-compatible system call path: state for entry.S and its set-up.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <uk/init.h>
#include <uk/arch/syscall.h>
#include <uk/plat/lcpu.h>
#include <uk/print.h>
#include <uk/syscall.h>

void ukarch_syscall_entry(void);

/* Read and written by entry.S (uniprocessor; see there). */
uintptr_t uk_syscall_user_rsp;
uintptr_t uk_syscall_aux_sp;

/* The entry pushes the frame at the very top of the thread's auxiliary
 * stack, and clears its rip on the way out. */
struct ukarch_syscall_frame *uk_syscall_frame_current(void)
{
	struct ukarch_syscall_frame *f;

	if (!uk_syscall_aux_sp)
		return NULL;
	f = (struct ukarch_syscall_frame *)uk_syscall_aux_sp - 1;
	return ukarch_syscall_frame_active(f) ? f : NULL;
}

/* Threads: uksched gives every thread its own auxiliary stack and stores
 * the running thread's top in uk_syscall_aux_sp on every switch. Without
 * uksched the image has one thread: one stack does. */
int uk_sched_set_aux_stacks(size_t size, uintptr_t *sp_slot)
	__attribute__((weak));

#define AUX_STACK_SIZE (16u << 10)

static int uk_syscallbin_init(void)
{
	int rc;

	rc = -ENOSYS;
	if (uk_sched_set_aux_stacks)
		rc = uk_sched_set_aux_stacks(AUX_STACK_SIZE,
					     &uk_syscall_aux_sp);
	/* -ENOSYS: uksched is linked but no scheduler runs (no ukschedcoop):
	 * one thread, one stack, as without uksched */
	if (rc < 0 && rc != -ENOSYS) {
		uk_pr_err("binary syscalls: no auxiliary stacks (%d)", rc);
		return rc;
	}
	if (rc == -ENOSYS) {
		/* zeroed: the frame slot at the top reads "not in a call" */
		char *stack = calloc(1, AUX_STACK_SIZE);

		if (!stack) {
			uk_pr_err("binary syscalls: out of memory for the "
				  "syscall stack");
			return -ENOMEM;
		}
		uk_syscall_aux_sp =
			((uintptr_t)stack + AUX_STACK_SIZE) & ~(uintptr_t)15;
	}
	rc = ukplat_syscall_enable(ukarch_syscall_entry);
	if (rc < 0) {
		uk_pr_err("binary syscalls: this platform cannot take the "
			  "`syscall` instruction (%d)",
			  rc);
		return rc;
	}
	return 0;
}
uk_sys_initcall(uk_syscallbin_init);
