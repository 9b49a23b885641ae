/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <uk/muslglue.h>

static const unsigned char rnd[16];

static size_t aux_get(const size_t *vec, int n, size_t key)
{
	/* vec[0] is the empty environment's NULL */
	for (int i = 1; i + 1 < n; i += 2)
		if (vec[i] == key)
			return vec[i + 1];
	fail_msg("key %zu missing", key);
	return 0;
}

static void test_no_tls(void **state)
{
	size_t vec[64];
	struct uk_muslglue_phdr ph;
	struct uk_muslglue_startinfo si = {
		.pagesz = 4096, .hwcap = 0x1234, .random = rnd};
	int n = uk_muslglue_startvec(vec, 64, &ph, &si);

	(void)state;
	assert_true(n > 0);
	assert_int_equal(vec[0], 0);
	assert_int_equal(vec[n - 2], UK_AT_NULL); /* ends with AT_NULL, 0 */
	assert_int_equal(vec[n - 1], 0);
	assert_int_equal(aux_get(vec, n, UK_AT_PAGESZ), 4096);
	assert_int_equal(aux_get(vec, n, UK_AT_HWCAP), 0x1234);
	assert_int_equal(aux_get(vec, n, UK_AT_PHNUM), 0);
	assert_int_equal(aux_get(vec, n, UK_AT_SECURE), 0);
	assert_int_equal(aux_get(vec, n, UK_AT_UID),
			 aux_get(vec, n, UK_AT_EUID));
	assert_ptr_equal((void *)aux_get(vec, n, UK_AT_RANDOM), rnd);
}

static void test_tls(void **state)
{
	size_t vec[64];
	struct uk_muslglue_phdr ph;
	struct uk_muslglue_startinfo si = {.pagesz = 4096,
					   .random = rnd,
					   .tls = {.image = 0x201000,
						   .filesz = 8,
						   .memsz = 24,
						   .align = 8}};
	int n = uk_muslglue_startvec(vec, 64, &ph, &si);

	(void)state;
	assert_true(n > 0);
	assert_int_equal(sizeof(ph), 56); /* Elf64_Phdr */
	assert_int_equal(aux_get(vec, n, UK_AT_PHNUM), 1);
	assert_int_equal(aux_get(vec, n, UK_AT_PHENT), 56);
	assert_ptr_equal((void *)aux_get(vec, n, UK_AT_PHDR), &ph);
	assert_int_equal(ph.p_type, UK_PT_TLS);
	assert_int_equal(ph.p_vaddr, 0x201000);
	assert_int_equal(ph.p_filesz, 8);
	assert_int_equal(ph.p_memsz, 24);
	assert_int_equal(ph.p_align, 8);
}

static void test_errors(void **state)
{
	size_t vec[64];
	struct uk_muslglue_phdr ph;
	struct uk_muslglue_startinfo si = {.pagesz = 4096,
					   .random = rnd,
					   .tls = {.image = 0x1000,
						   .filesz = 32,
						   .memsz = 24,
						   .align = 8}};

	(void)state;
	assert_int_equal(uk_muslglue_startvec(vec, 64, &ph, &si), -EINVAL);
	si.tls.filesz = 8;
	si.tls.align = 12;
	assert_int_equal(uk_muslglue_startvec(vec, 64, &ph, &si), -EINVAL);
	si.tls.align = 0;
	assert_int_equal(uk_muslglue_startvec(vec, 64, &ph, &si), -EINVAL);
	si.tls.align = 16;
	assert_int_equal(uk_muslglue_startvec(vec, 5, &ph, &si), -ENOSPC);
	assert_true(uk_muslglue_startvec(vec, 64, &ph, &si) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_tls),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
