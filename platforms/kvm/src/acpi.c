/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Just enough ACPI to power the VM off: RSDP -> RSDT/XSDT -> FADT -> DSDT
 * (\_S5 sleep type). Supports the PM1 control block (pc, q35) and the
 * hardware-reduced sleep control register (microvm). Every length read from a
 * table is checked before use.
 */
#include <string.h>
#include "kvm.h"

struct sdt_hdr {
	char sig[4];
	uint32_t len;
	uint8_t rev, csum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static int checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + b[i]);
	return s == 0;
}

uint64_t acpi_rsdp_root(const void *rsdp, int *is_xsdt)
{
	const uint8_t *r = rsdp;

	if (memcmp(r, "RSD PTR ", 8) || !checksum_ok(r, 20))
		return 0;
	if (r[15] >= 2) {
		uint32_t len;
		uint64_t xsdt;
		memcpy(&len, r + 20, 4);
		memcpy(&xsdt, r + 24, 8);
		if (len >= 36 && len <= 4096 && checksum_ok(r, len) && xsdt) {
			*is_xsdt = 1;
			return xsdt;
		}
	}
	uint32_t rsdt;
	memcpy(&rsdt, r + 16, 4);
	*is_xsdt = 0;
	return rsdt;
}

/* Decode an AML PkgLength; returns bytes consumed or 0. */
static size_t pkglen(const uint8_t *p, size_t avail)
{
	if (!avail)
		return 0;
	size_t follow = p[0] >> 6;
	return follow + 1 <= avail ? follow + 1 : 0;
}

int acpi_s5_from_dsdt(const uint8_t *aml, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++) {
		if (memcmp(aml + i, "_S5_", 4))
			continue;
		/* NameOp (0x08), optionally a root prefix '\', then _S5_ */
		if (i < 1 ||
		    !(aml[i - 1] == 0x08 ||
		      (aml[i - 1] == '\\' && i >= 2 && aml[i - 2] == 0x08)))
			continue;
		size_t p = i + 4;
		if (p >= len || aml[p] != 0x12) /* PackageOp */
			continue;
		p++;
		size_t n = pkglen(aml + p, len - p);
		if (!n)
			return -1;
		p += n;
		p++; /* NumElements */
		if (p >= len)
			return -1;
		switch (aml[p]) {
		case 0x00: /* ZeroOp */
			return 0;
		case 0x01: /* OneOp */
			return 1;
		case 0x0a: /* BytePrefix */
			return p + 1 < len ? (aml[p + 1] & 7) : -1;
		default:
			return -1;
		}
	}
	return -1;
}

/* A table at `addr`, all of it mapped and its checksum right; NULL with
 * out->what = `name` and out->why set otherwise. */
static const struct sdt_hdr *table(uint64_t addr,
				   const void *(*phys)(uint64_t, size_t),
				   const char *name, struct acpi_poweroff *out)
{
	const struct sdt_hdr *h;

	out->what = name;
	if (!addr) {
		out->why = "pointer is 0";
		return NULL;
	}
	h = phys(addr, sizeof(*h));
	if (!h) {
		out->why = "header lies outside the mapped memory";
		return NULL;
	}
	if (h->len < sizeof(*h)) {
		out->why = "length below its 36-byte header";
		return NULL;
	}
	if (h->len > (1u << 20) || !(h = phys(addr, h->len))) {
		out->why = "length runs beyond the mapped memory (or above "
			   "1 MiB)";
		return NULL;
	}
	if (!checksum_ok(h, h->len)) {
		out->why = "checksum is wrong";
		return NULL;
	}
	return h;
}

#define REFUSE(w, y)             \
	do {                     \
		out->what = (w); \
		out->why = (y);  \
		return -1;       \
	} while (0)

int acpi_prepare_poweroff(uint64_t rsdp_paddr,
			  const void *(*phys)(uint64_t, size_t),
			  struct acpi_poweroff *out)
{
	int is_xsdt;
	const uint8_t *rsdp = phys(rsdp_paddr, 36);

	memset(out, 0, sizeof(*out));
	if (!rsdp)
		REFUSE("RSDP", "lies outside the mapped memory");
	if (memcmp(rsdp, "RSD PTR ", 8))
		REFUSE("RSDP", "no \"RSD PTR \" signature");
	if (!checksum_ok(rsdp, 20))
		REFUSE("RSDP", "checksum is wrong");
	uint64_t root_pa = acpi_rsdp_root(rsdp, &is_xsdt);
	if (!root_pa)
		REFUSE("RSDP", "RSDT address is 0 (and no valid XSDT)");
	const struct sdt_hdr *root =
		table(root_pa, phys, is_xsdt ? "XSDT" : "RSDT", out);
	if (!root)
		return -1;

	/* entries that are 0 or whose table is broken are skipped: the
	 * FADT is what matters */
	const struct sdt_hdr *fadt = NULL;
	struct acpi_poweroff skip;
	size_t esz = is_xsdt ? 8 : 4;
	size_t n = (root->len - sizeof(*root)) / esz;
	for (size_t i = 0; i < n && !fadt; i++) {
		uint64_t pa = 0;
		memcpy(&pa, (const uint8_t *)(root + 1) + i * esz, esz);
		const struct sdt_hdr *t = table(pa, phys, "", &skip);
		if (t && !memcmp(t->sig, "FACP", 4))
			fadt = t;
	}
	if (!fadt)
		REFUSE(is_xsdt ? "XSDT" : "RSDT",
		       "lists no usable FADT (FACP)");
	if (fadt->len < 116)
		REFUSE("FADT", "length below the 116 bytes that hold PM1a_CNT "
			       "and the flags");

	const uint8_t *f = (const uint8_t *)fadt;
	uint32_t flags, dsdt32;
	uint64_t dsdt = 0;
	memcpy(&dsdt32, f + 40, 4);
	memcpy(&out->pm1a_cnt, f + 64, 4);
	memcpy(&out->pm1b_cnt, f + 68, 4);
	memcpy(&flags, f + 112, 4);
	dsdt = dsdt32;
	if (fadt->len >= 148) {
		uint64_t x;
		memcpy(&x, f + 140, 8);
		if (x)
			dsdt = x;
	}
	out->hw_reduced = !!(flags & (1u << 20));
	if (out->hw_reduced) {
		if (fadt->len < 256)
			REFUSE("FADT", "hardware-reduced, but shorter than the "
				       "256 bytes that hold the sleep control "
				       "register");
		out->sleep_space = f[244];
		memcpy(&out->sleep_addr, f + 248, 8);
		if (!out->sleep_addr || out->sleep_space > 1)
			REFUSE("FADT", "sleep control register at 0 or in "
				       "neither memory nor I/O space");
	} else if (!out->pm1a_cnt) {
		REFUSE("FADT", "PM1a_CNT is 0");
	}

	const struct sdt_hdr *d = table(dsdt, phys, "DSDT", out);
	if (!d)
		return -1;
	out->slp_typ = acpi_s5_from_dsdt((const uint8_t *)(d + 1),
					 d->len - sizeof(*d));
	if (out->slp_typ < 0)
		REFUSE("DSDT", "no well-formed \\_S5 package");
	out->what = out->why = NULL;
	return 0;
}
