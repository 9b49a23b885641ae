/* SPDX-License-Identifier: BSD-3-Clause */
/* PCI configuration space: functions, BARs, capabilities, bus scan. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/pci.h>
#include <uk/print.h>

static uint32_t cfg_addr(const struct uk_pci_dev *d, unsigned off)
{
	return ((uint32_t)d->bus << 16) | ((uint32_t)d->dev << 11) |
	       ((uint32_t)d->fn << 8) | (off & 0xff);
}

uint8_t uk_pci_read8(const struct uk_pci_dev *d, unsigned off)
{
	return (uint8_t)d->cfg->read(d->cfg->ctx, cfg_addr(d, off), 1);
}

uint16_t uk_pci_read16(const struct uk_pci_dev *d, unsigned off)
{
	return (uint16_t)d->cfg->read(d->cfg->ctx, cfg_addr(d, off & ~1u), 2);
}

uint32_t uk_pci_read32(const struct uk_pci_dev *d, unsigned off)
{
	return d->cfg->read(d->cfg->ctx, cfg_addr(d, off & ~3u), 4);
}

void uk_pci_write8(const struct uk_pci_dev *d, unsigned off, uint8_t v)
{
	d->cfg->write(d->cfg->ctx, cfg_addr(d, off), 1, v);
}

void uk_pci_write16(const struct uk_pci_dev *d, unsigned off, uint16_t v)
{
	d->cfg->write(d->cfg->ctx, cfg_addr(d, off & ~1u), 2, v);
}

void uk_pci_write32(const struct uk_pci_dev *d, unsigned off, uint32_t v)
{
	d->cfg->write(d->cfg->ctx, cfg_addr(d, off & ~3u), 4, v);
}

void uk_pci_name(const struct uk_pci_dev *d, char *buf, unsigned len)
{
	snprintf(buf, len, "pci%u:%u.%u", d->bus, d->dev, d->fn);
}

/* Size one BAR slot; returns the number of slots it used (1 or 2). */
static int bar_decode(struct uk_pci_dev *d, int i)
{
	unsigned off = UK_PCI_BAR0 + 4 * i;
	struct uk_pci_bar *b = &d->bar[i];
	uint32_t lo = uk_pci_read32(d, off);

	memset(b, 0, sizeof(*b));
	if (lo & 1) {
		uk_pci_write32(d, off, 0xffffffffu);
		uint32_t m = uk_pci_read32(d, off) & ~3u;
		uk_pci_write32(d, off, lo);
		m &= 0xffff; /* x86: 16-bit port space */
		if (!m)
			return 1;
		b->type = UK_PCI_BAR_IO;
		b->addr = lo & ~3u;
		b->size = (uint64_t)(~m & 0xffff) + 1;
		return 1;
	}
	unsigned kind = (lo >> 1) & 3;
	if (kind == 2) { /* 64-bit */
		if (i == 5) {
			uk_pr_warn("pci%u:%u.%u: 64-bit BAR in slot 5 ignored",
				   d->bus, d->dev, d->fn);
			return -EINVAL;
		}
		uint32_t hi = uk_pci_read32(d, off + 4);
		uk_pci_write32(d, off, 0xffffffffu);
		uk_pci_write32(d, off + 4, 0xffffffffu);
		uint64_t m = ((uint64_t)uk_pci_read32(d, off + 4) << 32) |
			     (uk_pci_read32(d, off) & ~0xfu);
		uk_pci_write32(d, off, lo);
		uk_pci_write32(d, off + 4, hi);
		memset(&d->bar[i + 1], 0, sizeof(d->bar[i + 1]));
		if (!m)
			return 2;
		b->type = UK_PCI_BAR_MEM64;
		b->addr = ((uint64_t)hi << 32) | (lo & ~0xfu);
		b->size = ~m + 1;
		b->prefetchable = !!(lo & 8);
		return 2;
	}
	uk_pci_write32(d, off, 0xffffffffu);
	uint32_t m = uk_pci_read32(d, off) & ~0xfu;
	uk_pci_write32(d, off, lo);
	if (!m)
		return 1;
	b->type = UK_PCI_BAR_MEM32; /* (kind 1, below 1 MiB, is obsolete) */
	b->addr = lo & ~0xfu;
	b->size = (uint64_t)(~m) + 1;
	b->prefetchable = !!(lo & 8);
	return 1;
}

/* Identification only (no BAR sizing: the scan touches nothing else). */
static int dev_ident(struct uk_pci_dev *d, const struct uk_pci_cfg_ops *cfg,
		     uint8_t bus, uint8_t dev, uint8_t fn)
{
	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	d->bus = bus;
	d->dev = dev & 31;
	d->fn = fn & 7;
	uint32_t id = uk_pci_read32(d, UK_PCI_VENDOR_ID);
	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return -ENODEV;
	d->vendor_id = id & 0xffff;
	d->device_id = id >> 16;
	uint32_t cls = uk_pci_read32(d, UK_PCI_REVISION);
	d->revision = cls & 0xff;
	d->prog_if = (cls >> 8) & 0xff;
	d->subclass = (cls >> 16) & 0xff;
	d->class_code = cls >> 24;
	d->header_type = uk_pci_read8(d, UK_PCI_HEADER_TYPE) & 0x7f;
	if (d->header_type != 0)
		return 0; /* bridges: no BARs decoded, no driver */
	d->subsys_vendor = uk_pci_read16(d, UK_PCI_SUBSYS_VENDOR);
	d->subsys_id = uk_pci_read16(d, UK_PCI_SUBSYS_ID);
	d->irq_line = uk_pci_read8(d, UK_PCI_INT_LINE);
	d->irq_pin = uk_pci_read8(d, UK_PCI_INT_PIN);
	if (d->irq_pin > 4)
		d->irq_pin = 0;
	return 0;
}

static int decode_bars(struct uk_pci_dev *d)
{
	int rc = 0;

	if (d->header_type != 0)
		return 0;
	/* decoding off while the BARs hold all-ones */
	uint16_t cmd = uk_pci_read16(d, UK_PCI_COMMAND);
	uk_pci_write16(d, UK_PCI_COMMAND,
		       cmd & ~(UK_PCI_CMD_IO | UK_PCI_CMD_MEM));
	for (int i = 0; i < 6;) {
		int n = bar_decode(d, i);
		if (n < 0) {
			rc = n;
			break;
		}
		i += n;
	}
	uk_pci_write16(d, UK_PCI_COMMAND, cmd);
	return rc;
}

int uk_pci_dev_init(struct uk_pci_dev *d, const struct uk_pci_cfg_ops *cfg,
		    uint8_t bus, uint8_t dev, uint8_t fn)
{
	int rc = dev_ident(d, cfg, bus, dev, fn);
	return rc < 0 ? rc : decode_bars(d);
}

unsigned uk_pci_find_cap(const struct uk_pci_dev *d, uint8_t id, unsigned from)
{
	/* one bit per dword slot 0x40..0xfc: a capability seen twice is a
	 * loop. The walk always starts at the head, so that a caller that
	 * iterates with `from` ends on a looping list too. */
	uint64_t seen = 0;
	int passed = !from;
	unsigned off;

	if (!(uk_pci_read16(d, UK_PCI_STATUS) & UK_PCI_STATUS_CAPS))
		return 0;
	off = uk_pci_read8(d, UK_PCI_CAP_PTR);
	for (int n = 0; n <= 48; n++) {
		off &= 0xfc; /* (so off + 1 stays inside the 256 bytes) */
		if (!off)
			return 0;
		if (off < 0x40) {
			uk_pr_warn("pci%u:%u.%u: capability pointer %#x into "
				   "the header: list ignored from there",
				   d->bus, d->dev, d->fn, off);
			return 0;
		}
		uint64_t bit = 1ull << ((off - 0x40) / 4);
		if (seen & bit) {
			uk_pr_warn("pci%u:%u.%u: capability list loops back "
				   "to %#x: walk stopped",
				   d->bus, d->dev, d->fn, off);
			return 0;
		}
		seen |= bit;
		if (passed && uk_pci_read8(d, off) == id)
			return off;
		if (off == from)
			passed = 1;
		off = uk_pci_read8(d, off + 1);
	}
	return 0; /* not reached: 48 slots, each seen once */
}

int uk_pci_vendor_cap_read(const struct uk_pci_dev *d, unsigned cap, void *buf,
			   unsigned len)
{
	uint8_t *out = buf;
	unsigned clen;

	if (cap < 0x40 || cap > 0xfc || len < 3 || len > 256 - cap) {
		uk_pr_warn("pci%u:%u.%u: vendor capability at %#x: %u bytes "
			   "would run past the 256-byte configuration space",
			   d->bus, d->dev, d->fn, cap, len);
		return -ERANGE;
	}
	clen = uk_pci_read8(d, cap + 2);
	if (clen < len) {
		uk_pr_warn("pci%u:%u.%u: vendor capability at %#x is %u bytes "
			   "long (cap_len), shorter than the %u expected",
			   d->bus, d->dev, d->fn, cap, clen, len);
		return -ERANGE;
	}
	for (unsigned i = 0; i < len; i++)
		out[i] = uk_pci_read8(d, cap + i);
	return 0;
}

void uk_pci_enable(const struct uk_pci_dev *d, uint16_t cmd_bits)
{
	uint16_t cmd = uk_pci_read16(d, UK_PCI_COMMAND);
	if ((cmd & cmd_bits) != cmd_bits)
		uk_pci_write16(d, UK_PCI_COMMAND, cmd | cmd_bits);
}

/* ---- scan ---- */

int uk_pci_scan(const struct uk_pci_cfg_ops *cfg,
		int (*found)(struct uk_pci_dev *d, void *arg), void *arg)
{
	uint8_t seen[UK_PCI_MAX_BUSES / 8] = {0};
	uint8_t todo[UK_PCI_MAX_BUSES];
	unsigned ntodo = 0, count = 0;
	struct uk_pci_dev d;

	todo[ntodo++] = 0;
	seen[0] = 1;
	while (ntodo) {
		uint8_t bus = todo[--ntodo];
		for (unsigned dev = 0; dev < 32; dev++) {
			for (unsigned fn = 0; fn < 8; fn++) {
				if (dev_ident(&d, cfg, bus, dev, fn) ==
				    -ENODEV) {
					if (fn == 0)
						break;
					continue;
				}
				count++;
				if (d.header_type == 1) {
					uint8_t sec = uk_pci_read8(
						&d, UK_PCI_SECONDARY_BUS);
					if (sec && !(seen[sec / 8] &
						     (1u << (sec % 8)))) {
						seen[sec / 8] |= 1u
								 << (sec % 8);
						todo[ntodo++] = sec;
					}
				}
				if (found && found(&d, arg))
					return (int)count;
				/* single-function device: fn 0 only */
				if (fn == 0 &&
				    !(uk_pci_read8(&d, UK_PCI_HEADER_TYPE) &
				      0x80))
					break;
			}
		}
	}
	return (int)count;
}

/* ---- drivers ---- */

static struct uk_pci_driver *drivers;

void uk_pci_driver_register(struct uk_pci_driver *drv)
{
	struct uk_pci_driver **p = &drivers;

	while (*p) { /* keep registration order; never twice */
		if (*p == drv)
			return;
		p = &(*p)->next;
	}
	drv->next = NULL;
	*p = drv;
}

static int id_match(const struct uk_pci_id *id, const struct uk_pci_dev *d)
{
	for (int i = 0; i < 256 && (id[i].vendor || id[i].device); i++)
		if ((id[i].vendor == UK_PCI_ANY_ID ||
		     id[i].vendor == d->vendor_id) &&
		    (id[i].device == UK_PCI_ANY_ID ||
		     id[i].device == d->device_id))
			return 1;
	return 0;
}

static struct uk_pci_dev *malloc_dev(const struct uk_pci_dev *d)
{
	struct uk_pci_dev *n = malloc(sizeof(*n));
	if (n)
		*n = *d;
	return n;
}

static void free_dev(struct uk_pci_dev *d)
{
	free(d);
}

static int probe_one(struct uk_pci_dev *d, void *arg)
{
	int *taken = arg;

	uk_pr_debug("pci%u:%u.%u: %04x:%04x class %02x.%02x.%02x irq %u "
		    "pin %u",
		    d->bus, d->dev, d->fn, d->vendor_id, d->device_id,
		    d->class_code, d->subclass, d->prog_if, d->irq_line,
		    d->irq_pin);
	for (struct uk_pci_driver *drv = drivers; drv; drv = drv->next) {
		if (!id_match(drv->ids, d))
			continue;
		struct uk_pci_dev *keep = malloc_dev(d);
		if (!keep) {
			uk_pr_err("pci: out of memory for a device");
			return 0;
		}
		decode_bars(keep); /* only for functions a driver wants */
		int rc = drv->probe(keep);
		if (rc == 0) {
			(*taken)++;
			return 0;
		}
		free_dev(keep);
		uk_pr_warn("pci%u:%u.%u: %s did not take the device (%d)",
			   d->bus, d->dev, d->fn, drv->name, rc);
	}
	return 0;
}

int uk_pci_probe_all(const struct uk_pci_cfg_ops *cfg)
{
	int taken = 0;

	if (!drivers)
		return 0;
	uk_pci_scan(cfg, probe_one, &taken);
	return taken;
}
