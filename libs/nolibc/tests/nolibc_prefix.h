/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Force-included (-include) when nolibc's sources are compiled for the native
 * unit tests: every public name gets a nolibc_ prefix, so that the test
 * programs can link nolibc next to the host libc (which cmocka and the
 * sanitizers need) and call both. Keep in sync with include/.
 */
#ifndef NOLIBC_PREFIX_H
#define NOLIBC_PREFIX_H

#define memcpy	    nolibc_memcpy
#define memmove	    nolibc_memmove
#define memset	    nolibc_memset
#define memcmp	    nolibc_memcmp
#define memchr	    nolibc_memchr
#define memrchr	    nolibc_memrchr
#define strlen	    nolibc_strlen
#define strnlen	    nolibc_strnlen
#define strcmp	    nolibc_strcmp
#define strncmp	    nolibc_strncmp
#define strcpy	    nolibc_strcpy
#define strdup	    nolibc_strdup
#define strndup	    nolibc_strndup
#define strncpy	    nolibc_strncpy
#define stpcpy	    nolibc_stpcpy
#define strcat	    nolibc_strcat
#define strncat	    nolibc_strncat
#define strchr	    nolibc_strchr
#define strrchr	    nolibc_strrchr
#define strstr	    nolibc_strstr
#define strspn	    nolibc_strspn
#define strcspn	    nolibc_strcspn
#define strpbrk	    nolibc_strpbrk
#define strtok_r    nolibc_strtok_r
#define strerror    nolibc_strerror
#define strcasecmp  nolibc_strcasecmp
#define strncasecmp nolibc_strncasecmp
#define isalnum	    nolibc_isalnum
#define isalpha	    nolibc_isalpha
#define isblank	    nolibc_isblank
#define iscntrl	    nolibc_iscntrl
#define isdigit	    nolibc_isdigit
#define isgraph	    nolibc_isgraph
#define islower	    nolibc_islower
#define isprint	    nolibc_isprint
#define ispunct	    nolibc_ispunct
#define isspace	    nolibc_isspace
#define isupper	    nolibc_isupper
#define isxdigit    nolibc_isxdigit
#define tolower	    nolibc_tolower
#define toupper	    nolibc_toupper
#define errno	    nolibc_errno
#define strtol	    nolibc_strtol
#define strtoul	    nolibc_strtoul
#define strtoll	    nolibc_strtoll
#define strtoull    nolibc_strtoull
#define atoi	    nolibc_atoi
#define atol	    nolibc_atol
#define atoll	    nolibc_atoll
#define abs	    nolibc_abs
#define labs	    nolibc_labs
#define llabs	    nolibc_llabs
#define div	    nolibc_div
#define ldiv	    nolibc_ldiv
#define lldiv	    nolibc_lldiv
#define qsort	    nolibc_qsort
#define bsearch	    nolibc_bsearch
#define rand	    nolibc_rand
#define srand	    nolibc_srand
#define exit	    nolibc_exit
#define abort	    nolibc_abort
#define imaxabs	    nolibc_imaxabs
#define imaxdiv	    nolibc_imaxdiv
#define strtoimax   nolibc_strtoimax
#define strtoumax   nolibc_strtoumax
#define stdout	    nolibc_stdout
#define stderr	    nolibc_stderr
#define printf	    nolibc_printf
#define vprintf	    nolibc_vprintf
#define fprintf	    nolibc_fprintf
#define vfprintf    nolibc_vfprintf
#define sprintf	    nolibc_sprintf
#define vsprintf    nolibc_vsprintf
#define snprintf    nolibc_snprintf
#define vsnprintf   nolibc_vsnprintf
#define puts	    nolibc_puts
#define putchar	    nolibc_putchar
#define fputs	    nolibc_fputs
#define fputc	    nolibc_fputc
#define putc	    nolibc_putc
#define fflush	    nolibc_fflush

#endif /* NOLIBC_PREFIX_H */
