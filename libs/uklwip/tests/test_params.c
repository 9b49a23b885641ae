/* SPDX-License-Identifier: BSD-3-Clause */
/* uklwip: library parameter parsing (every error path) */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <uk/plat_doubles.h>

#include <uk/lwip.h>

/* the fake command line: pairs name, value (several of one name allowed) */
static const char *const *params;

static const char *lookup(const char *name, unsigned i)
{
	const char *const *p;

	for (p = params; p && *p; p += 2)
		if (!strcmp(p[0], name) && i-- == 0)
			return p[1];
	return NULL;
}

static uint32_t be(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t x[4] = {a, b, c, d};
	uint32_t v;

	memcpy(&v, x, 4);
	return v;
}

static void test_ip4(void **state)
{
	uint32_t a, m;
	static const char *const bad[] = {
		"",	    "1.2.3",	"1.2.3.4.5",  "256.1.1.1",
		"1..2.3",   "01.2.3.4", "1.2.3.4 ",   "a.b.c.d",
		"1.2.3.-4", "1.2.3.4/", "1234.1.1.1",
	};
	size_t i;

	(void)state;
	assert_int_equal(uklwip_parse_ip4("10.0.0.2", &a), 0);
	assert_int_equal(a, be(10, 0, 0, 2));
	assert_int_equal(uklwip_parse_ip4("255.255.255.255", &a), 0);
	assert_int_equal(a, 0xffffffffu);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(uklwip_parse_ip4(bad[i], &a), -EINVAL);
	assert_int_equal(uklwip_parse_ip4(NULL, &a), -EINVAL);

	assert_int_equal(uklwip_parse_cidr("10.0.0.2/24", &a, &m), 0);
	assert_int_equal(m, be(255, 255, 255, 0));
	assert_int_equal(uklwip_parse_cidr("10.0.0.2", &a, &m), 0);
	assert_int_equal(m, be(255, 255, 255, 0));
	assert_int_equal(uklwip_parse_cidr("10.0.0.2/32", &a, &m), 0);
	assert_int_equal(m, 0xffffffffu);
	assert_int_equal(uklwip_parse_cidr("10.0.0.2/0", &a, &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(uklwip_parse_cidr("10.0.0.2/17", &a, &m), 0);
	assert_int_equal(m, be(255, 255, 128, 0));
	assert_int_equal(uklwip_parse_cidr("10.0.0.2/33", &a, &m), -EINVAL);
	assert_int_equal(uklwip_parse_cidr("10.0.0.2/", &a, &m), -EINVAL);
	assert_int_equal(uklwip_parse_cidr("10.0.0.2/x", &a, &m), -EINVAL);
	assert_int_equal(uklwip_parse_cidr("10.0.0.2/024", &a, &m), -EINVAL);
	assert_int_equal(uklwip_parse_cidr("10.0.0/24", &a, &m), -EINVAL);
}

static void test_defaults(void **state)
{
	struct uklwip_config c;

	(void)state;
	params = NULL;
	assert_int_equal(uklwip_config_parse(&c, 0, lookup), 0);
	assert_int_equal(c.dhcp, 1);
	assert_int_equal(c.mode, UKLWIP_MODE_IRQ);
	assert_int_equal(c.dhcp_timeout_ms, 10000);
	assert_int_equal(c.ndns, 0);
}

static void test_static(void **state)
{
	static const char *const p[] = {
		"net.ip",   "10.0.0.2/24", "net.gw",
		"10.0.0.1", "net.dns",	   "10.0.0.1,9.9.9.9",
		"net.mode", "poll",	   NULL};
	struct uklwip_config c;

	(void)state;
	params = p;
	assert_int_equal(uklwip_config_parse(&c, 0, lookup), 0);
	assert_int_equal(c.dhcp, 0);
	assert_int_equal(c.ip, be(10, 0, 0, 2));
	assert_int_equal(c.netmask, be(255, 255, 255, 0));
	assert_int_equal(c.gw, be(10, 0, 0, 1));
	assert_int_equal(c.ndns, 2);
	assert_int_equal(c.dns[0], be(10, 0, 0, 1));
	assert_int_equal(c.dns[1], be(9, 9, 9, 9));
	assert_int_equal(c.mode, UKLWIP_MODE_POLL);
}

static void test_second_device(void **state)
{
	static const char *const p[] = {"net.ip", "10.0.0.2/24", "net.ip",
					"10.1.0.2/16", NULL};
	struct uklwip_config c;

	(void)state;
	params = p;
	assert_int_equal(uklwip_config_parse(&c, 1, lookup), 0);
	assert_int_equal(c.ip, be(10, 1, 0, 2));
	assert_int_equal(c.netmask, be(255, 255, 0, 0));
	/* a third device has no net.ip: DHCP */
	assert_int_equal(uklwip_config_parse(&c, 2, lookup), 0);
	assert_int_equal(c.dhcp, 1);
}

static void test_dhcp_switch(void **state)
{
	static const char *const on[] = {
		"net.ip",	    "10.0.0.2/24", "net.dhcp", "1",
		"net.dhcp_timeout", "3",	   NULL};
	static const char *const off_noip[] = {"net.dhcp", "0", NULL};
	struct uklwip_config c;

	(void)state;
	params = on;
	assert_int_equal(uklwip_config_parse(&c, 0, lookup), 0);
	assert_int_equal(c.dhcp, 1);
	assert_int_equal(c.dhcp_timeout_ms, 3000);
	params = off_noip;
	assert_int_equal(uklwip_config_parse(&c, 0, lookup), -EINVAL);
}

static void test_errors(void **state)
{
	static const char *const bad[][3] = {
		{"net.ip", "10.0.0.2/33", NULL},
		{"net.ip", "10.0.0.256", NULL},
		{"net.ip", "0.0.0.0/8", NULL},
		{"net.ip", "", NULL},
		{"net.gw", "10.0.0", NULL},
		{"net.dns", "10.0.0.1,", NULL},
		{"net.dns", "10.0.0.1;8.8.8.8", NULL},
		{"net.dns", "10.0.0.1000000000000", NULL},
		{"net.dhcp", "yes", NULL},
		{"net.mode", "napi", NULL},
		{"net.dhcp_timeout", "-1", NULL},
		{"net.dhcp_timeout", "99999", NULL},
		{"net.dhcp_timeout", "", NULL},
	};
	struct uklwip_config c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		params = bad[i];
		assert_int_equal(uklwip_config_parse(&c, 0, lookup), -EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip4),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_second_device),
		cmocka_unit_test(test_dhcp_switch),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
