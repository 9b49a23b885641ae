/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unikit's <sys/ioctl.h> for newlib (which has none): ioctl() with Linux
 * x86_64 request numbers and struct winsize, passed unchanged to the system
 * call (libs/newlibglue implements ioctl; errors set errno).
 */
#ifndef _SYS_IOCTL_H_
#define _SYS_IOCTL_H_

#ifdef __cplusplus
extern "C" {
#endif

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define TCGETS	   0x5401
#define TCSETS	   0x5402
#define TCSETSW	   0x5403
#define TCSETSF	   0x5404
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCOUTQ   0x5411
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCINQ	   FIONREAD
#define FIONBIO	   0x5421
#define FIONCLEX   0x5450
#define FIOCLEX	   0x5451
#define FIOASYNC   0x5452

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
