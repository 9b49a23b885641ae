/*
 * unikit: replaces newlib's generic <machine/_types.h> (which only pulls in
 * <machine/_default_types.h>) to give the system types the widths they have
 * on Linux x86_64, where newlib's defaults are 16-bit: dev_t, ino_t, uid_t,
 * gid_t. off_t, time_t, blksize_t and blkcnt_t are 64-bit already (long and
 * __int_least64_t on x86_64). nlink_t stays 16-bit (newlib does not let a
 * machine change it). struct stat keeps newlib's field order. See
 * docs/newlib.md.
 */
#ifndef _MACHINE__TYPES_H
#define _MACHINE__TYPES_H
#include <machine/_default_types.h>

#define __machine_dev_t_defined
typedef __uint64_t __dev_t;

#define __machine_ino_t_defined
typedef __uint64_t __ino_t;

#define __machine_uid_t_defined
typedef __uint32_t __uid_t;

#define __machine_gid_t_defined
typedef __uint32_t __gid_t;

#endif
