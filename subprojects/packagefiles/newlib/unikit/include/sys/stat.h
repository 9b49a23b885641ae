/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * newlib's <sys/stat.h> declares lstat() only for a few targets; unikit
 * implements it (libs/newlibglue), so it is declared here for all.
 */
#ifndef _UNIKIT_SYS_STAT_H_
#define _UNIKIT_SYS_STAT_H_

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict __path, struct stat *__restrict __buf);

#ifdef __cplusplus
}
#endif

#endif
