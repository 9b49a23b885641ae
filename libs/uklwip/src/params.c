/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: network configuration from library parameters (see <uk/lwip.h>).
 * Pure parsing, no lwIP calls, so that unit tests check every error.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <uk/lwip.h>
#include <uk/print.h>

static uint32_t to_be32(uint32_t h)
{
	return __builtin_bswap32(h);
}

/* decimal 0..max from s[0..n): bounded, no sign, no leading zeros beyond
 * one digit */
static int parse_dec(const char *s, size_t n, unsigned max, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* s[0..n) as A.B.C.D */
static int parse_ip4n(const char *s, size_t n, uint32_t *addr)
{
	uint32_t a = 0;
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		size_t j = i;
		unsigned v;

		while (j < n && s[j] != '.')
			j++;
		if (parse_dec(s + i, j - i, 255, &v))
			return -EINVAL;
		a = (a << 8) | v;
		if (part < 3) {
			if (j >= n)
				return -EINVAL;
			i = j + 1;
		} else if (j != n) {
			return -EINVAL;
		}
	}
	*addr = to_be32(a);
	return 0;
}

int uklwip_parse_ip4(const char *s, uint32_t *addr)
{
	if (!s)
		return -EINVAL;
	return parse_ip4n(s, strlen(s), addr);
}

int uklwip_parse_cidr(const char *s, uint32_t *addr, uint32_t *netmask)
{
	const char *slash;
	unsigned prefix = 24;

	if (!s)
		return -EINVAL;
	slash = strchr(s, '/');
	if (parse_ip4n(s, slash ? (size_t)(slash - s) : strlen(s), addr))
		return -EINVAL;
	if (slash && parse_dec(slash + 1, strlen(slash + 1), 32, &prefix))
		return -EINVAL;
	*netmask = prefix ? to_be32(~0U << (32 - prefix)) : 0;
	return 0;
}

/* the parameter for device idx: the idx-th occurrence of the name */
static const char *get(uklwip_param_fn param, const char *name, unsigned idx)
{
	return param(name, idx);
}

int uklwip_config_parse(struct uklwip_config *c, unsigned idx,
			uklwip_param_fn param)
{
	const char *ip, *gw, *dns, *dhcp, *mode, *tmo;

	memset(c, 0, sizeof(*c));
	c->dhcp_timeout_ms = 10000;
	ip = get(param, "net.ip", idx);
	gw = get(param, "net.gw", idx);
	dns = get(param, "net.dns", idx);
	dhcp = get(param, "net.dhcp", idx);
	mode = get(param, "net.mode", idx);
	tmo = get(param, "net.dhcp_timeout", idx);

	if (ip) {
		if (uklwip_parse_cidr(ip, &c->ip, &c->netmask)) {
			uk_pr_err("net.ip=%s: not an IPv4 address with an "
				  "optional /PREFIX (0..32), e.g. "
				  "10.0.0.2/24\n",
				  ip);
			return -EINVAL;
		}
		if (c->ip == 0) {
			uk_pr_err("net.ip=%s: 0.0.0.0 is not an address\n", ip);
			return -EINVAL;
		}
	}
	if (gw && uklwip_parse_ip4(gw, &c->gw)) {
		uk_pr_err("net.gw=%s: not an IPv4 address (A.B.C.D)\n", gw);
		return -EINVAL;
	}
	if (dns) {
		const char *comma = strchr(dns, ',');
		size_t n1 = comma ? (size_t)(comma - dns) : strlen(dns);
		char first[16];

		if (n1 >= sizeof(first) ||
		    (memcpy(first, dns, n1), first[n1] = 0,
		     uklwip_parse_ip4(first, &c->dns[0])) ||
		    (comma && uklwip_parse_ip4(comma + 1, &c->dns[1]))) {
			uk_pr_err("net.dns=%s: not one or two IPv4 addresses "
				  "(A.B.C.D[,E.F.G.H])\n",
				  dns);
			return -EINVAL;
		}
		c->ndns = comma ? 2 : 1;
	}
	if (dhcp) {
		if (strcmp(dhcp, "1") && strcmp(dhcp, "0")) {
			uk_pr_err("net.dhcp=%s: must be 0 or 1\n", dhcp);
			return -EINVAL;
		}
		c->dhcp = dhcp[0] == '1';
		if (!c->dhcp && !ip) {
			uk_pr_err("net.dhcp=0 needs net.ip=A.B.C.D/PREFIX\n");
			return -EINVAL;
		}
	} else {
		c->dhcp = !ip;
	}
	if (mode) {
		if (!strcmp(mode, "irq")) {
			c->mode = UKLWIP_MODE_IRQ;
		} else if (!strcmp(mode, "poll")) {
			c->mode = UKLWIP_MODE_POLL;
		} else {
			uk_pr_err("net.mode=%s: must be irq or poll\n", mode);
			return -EINVAL;
		}
	}
	if (tmo) {
		unsigned s = 0;
		size_t i, n = strlen(tmo);

		if (n == 0 || n > 4) {
			uk_pr_err("net.dhcp_timeout=%s: seconds, 0..9999\n",
				  tmo);
			return -EINVAL;
		}
		for (i = 0; i < n; i++) {
			if (tmo[i] < '0' || tmo[i] > '9') {
				uk_pr_err("net.dhcp_timeout=%s: seconds, "
					  "0..9999\n",
					  tmo);
				return -EINVAL;
			}
			s = s * 10 + (unsigned)(tmo[i] - '0');
		}
		c->dhcp_timeout_ms = s * 1000;
	}
	return 0;
}
