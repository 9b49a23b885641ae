/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc <assert.h>. No include guard on purpose: like every <assert.h>, it
 * may be included again after changing NDEBUG.
 */
#ifndef __NOLIBC_ASSERT_DECLARED
#define __NOLIBC_ASSERT_DECLARED
#ifdef __cplusplus
extern "C" {
#endif
/* Prints "Assertion failed: EXPR (FILE:LINE: FUNC)" and calls abort(). */
void __nolibc_assert_fail(const char *expr, const char *file, int line,
			  const char *func) __attribute__((__noreturn__));
#ifdef __cplusplus
}
#endif
#endif

#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr)      \
	((expr) ? (void)0 \
		: __nolibc_assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && \
	__STDC_VERSION__ >= 201112L && __STDC_VERSION__ < 202311L
#undef static_assert
#define static_assert _Static_assert
#endif
