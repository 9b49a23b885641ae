/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Values of musl's public headers that come from the architecture's bits/
 * (arch/x86_64 must win over arch/generic): printed one per line, so that
 * check.py can compare the image's answer with the same file compiled by
 * the build machine's musl-gcc (tests/boot/muslhdr/compare.py).
 */
#define _GNU_SOURCE
#include <fenv.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <ucontext.h>

#define SHOW(name, value) printf("%s=%ld\n", name, (long)(value))
#define SIZE(t)		  SHOW("sizeof(" #t ")", sizeof(t))
#define OFF(t, m)	  SHOW("offsetof(" #t ", " #m ")", offsetof(t, m))

int main(void)
{
#ifdef PAGESIZE
	SHOW("PAGESIZE", PAGESIZE);
#else
	SHOW("PAGESIZE", -1);
#endif
#ifdef FE_DIVBYZERO
	SHOW("FE_DIVBYZERO", FE_DIVBYZERO);
#else
	SHOW("FE_DIVBYZERO", -1);
#endif
#ifdef FE_INVALID
	SHOW("FE_INVALID", FE_INVALID);
#else
	SHOW("FE_INVALID", -1);
#endif
#ifdef FE_OVERFLOW
	SHOW("FE_OVERFLOW", FE_OVERFLOW);
#else
	SHOW("FE_OVERFLOW", -1);
#endif
#ifdef FE_UNDERFLOW
	SHOW("FE_UNDERFLOW", FE_UNDERFLOW);
#else
	SHOW("FE_UNDERFLOW", -1);
#endif
#ifdef FE_INEXACT
	SHOW("FE_INEXACT", FE_INEXACT);
#else
	SHOW("FE_INEXACT", -1);
#endif
	SHOW("FE_ALL_EXCEPT", FE_ALL_EXCEPT);
#ifdef FE_UPWARD
	SHOW("FE_UPWARD", FE_UPWARD);
#else
	SHOW("FE_UPWARD", -1);
#endif
	SHOW("LONG_BIT", LONG_BIT);
	SIZE(struct semid_ds);
	OFF(struct semid_ds, sem_nsems);
	SIZE(struct msqid_ds);
	OFF(struct msqid_ds, msg_qnum);
	SIZE(struct shmid_ds);
	OFF(struct shmid_ds, shm_nattch);
	SIZE(struct stat);
	OFF(struct stat, st_mode);
	SIZE(struct sigaction);
	SIZE(stack_t);
	SIZE(ucontext_t);
	SIZE(mcontext_t);
	SIZE(struct user_regs_struct);
	SIZE(fenv_t);
	SHOW("MINSIGSTKSZ", MINSIGSTKSZ);
	SHOW("SIGSTKSZ", SIGSTKSZ);
	return 0;
}
