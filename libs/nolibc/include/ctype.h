/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc <ctype.h>: character classes of the "C" locale (ASCII). Bytes
 * 0x80..0xff belong to no class. Arguments must be EOF or representable as
 * unsigned char, as C requires.
 */
#ifndef __NOLIBC_CTYPE_H
#define __NOLIBC_CTYPE_H

#ifdef __cplusplus
extern "C" {
#endif

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

#ifdef __cplusplus
}
#endif
#endif /* __NOLIBC_CTYPE_H */
