/*
 * unikit: <dirent.h> for newlib (newlib's generic sys/dirent.h only says
 * "not supported"). struct dirent has the field order and sizes of Linux's
 * getdents64 records; DIR is private to newlibglue (opendir & co. read the
 * directory with getdents64).
 */
#ifndef _SYS_DIRENT_H
#define _SYS_DIRENT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dirent {
	ino_t d_ino;
	off_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

#define _DIRENT_HAVE_D_TYPE 1
#define _DIRENT_HAVE_D_OFF  1

#define DT_UNKNOWN 0
#define DT_FIFO	   1
#define DT_CHR	   2
#define DT_DIR	   4
#define DT_BLK	   6
#define DT_REG	   8
#define DT_LNK	   10
#define DT_SOCK	   12
#define DT_WHT	   14

typedef struct __unikit_dir DIR;

/* <dirent.h> declares opendir, readdir, closedir, ... */

#ifdef __cplusplus
}
#endif

#endif
