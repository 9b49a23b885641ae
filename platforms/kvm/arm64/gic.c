/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt controller of kvm/arm64: an Arm GICv2 (distributor + memory
 * mapped CPU interface, "arm,cortex-a15-gic"/"arm,gic-400") or GICv3
 * (distributor + redistributor, system-register CPU interface, "arm,gic-v3"),
 * whichever the device tree names. Set up on first use. Lines
 * (<uk/plat/irq.h>) are GIC interrupt IDs: PPIs 16-31, SPIs 32 and up (a
 * device tree's <0 N flags> is SPI N, line 32 + N). Everything goes to
 * this CPU (group 1 non-secure on GICv3), one priority; interrupts that
 * nobody handles are counted, never fatal.
 */
#include <errno.h>
#include <stdint.h>
#include <uk/arch/arm64.h>
#include <uk/arch/regs.h>
#include <uk/plat/irq.h>
#include <uk/plat/lcpu.h>
#include <uk/print.h>
#include "kvm_arm64.h"

/* distributor (both versions) */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ICPENDR	0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR	0x0800
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
/* GICv2 CPU interface */
#define GICC_CTLR 0x0000
#define GICC_PMR  0x0004
#define GICC_BPR  0x0008
#define GICC_IAR  0x000c
#define GICC_EOIR 0x0010
/* GICv3 redistributor: RD_base, then SGI_base 64 KiB on */
#define GICR_CTLR     0x0000
#define GICR_WAKER    0x0014
#define GICR_SGI      0x10000
#define GICD_CTLR_RWP (1u << 31)

#define PRIO	     0xa0
#define MAX_LINES    1020
#define SPURIOUS_MIN 1020

static int state; /* 0 not set up, 1 ready, -1 unavailable */
static int version;
static volatile uint8_t *gicd, *gicc, *gicr;
static unsigned nr_lines;

static struct {
	unsigned irq;
	ukplat_irq_handler_t fn;
	void *arg;
} handlers[UKPLAT_IRQ_HANDLERS_MAX];
static struct ukplat_irq_stats stats;
static unsigned timer_irq;
static void gic_irq(struct ukarch_regs *r);
static void (*timer_fn)(void);

static uint32_t rd(volatile uint8_t *base, uint32_t off)
{
	return ukarch_mmio_read32(base + off);
}

static void wr(volatile uint8_t *base, uint32_t off, uint32_t v)
{
	ukarch_mmio_write32(base + off, v);
}

/* GICv3 writes to GICD_CTLR complete when RWP clears; bounded wait */
static void gicd_wait(void)
{
	for (unsigned i = 0;
	     i < 1000000 && (rd(gicd, GICD_CTLR) & GICD_CTLR_RWP); i++)
		;
}

static void *map_reg(const struct fdt *f, const struct fdt_dev *d, unsigned i)
{
	uint64_t base, size;

	if (fdt_reg_get(f, &d->reg, i, &base, &size) < 0)
		return 0;
	return kvm_arm64_map_device(base, size ? size : 0x10000);
}

static int find(const struct fdt *f, const struct fdt_boot *b)
{
	static const enum fdt_compat v2[] = {FDT_GIC_A15, FDT_GIC_400,
					     FDT_GIC_A9};
	const struct fdt_dev *d = &b->first[FDT_GIC_V3];

	if (d->node >= 0) {
		version = 3;
		gicd = map_reg(f, d, 0);
		gicr = map_reg(f, d, 1);
		return gicd && gicr ? 0 : -1;
	}
	for (unsigned i = 0; i < sizeof(v2) / sizeof(v2[0]); i++) {
		d = &b->first[v2[i]];
		if (d->node >= 0) {
			version = 2;
			gicd = map_reg(f, d, 0);
			gicc = map_reg(f, d, 1);
			return gicd && gicc ? 0 : -1;
		}
	}
	return -1;
}

/* Byte and bit-field helpers for the per-line register arrays. */
static void set_prio(unsigned irq)
{
	volatile uint8_t *base =
		(version == 3 && irq < 32) ? gicr + GICR_SGI : gicd;

	__asm__ __volatile__("strb %w0, [%1]" ::"r"(PRIO),
			     "r"(base + GICD_IPRIORITYR + irq)
			     : "memory");
}

static void set_enabled(unsigned irq, int on)
{
	volatile uint8_t *base =
		(version == 3 && irq < 32) ? gicr + GICR_SGI : gicd;

	wr(base, (on ? GICD_ISENABLER : GICD_ICENABLER) + (irq / 32) * 4,
	   1u << (irq % 32));
	if (version == 3 && irq >= 32)
		gicd_wait();
}

static void set_config(unsigned irq, int edge)
{
	volatile uint8_t *base =
		(version == 3 && irq < 32) ? gicr + GICR_SGI : gicd;
	uint32_t off = GICD_ICFGR + (irq / 16) * 4;
	uint32_t v = rd(base, off), bit = 2u << ((irq % 16) * 2);

	if (irq < 32)
		return; /* PPIs: fixed by the implementation */
	wr(base, off, edge ? (v | bit) : (v & ~bit));
}

static int setup(void)
{
	if (state)
		return state > 0 ? 0 : -ENODEV;
	state = -1;
	if (!kvm_arm64_fdt || find(kvm_arm64_fdt, kvm_arm64_dt) < 0) {
		uk_pr_err("irq: no GICv2 or GICv3 in the device tree");
		return -ENODEV;
	}
	nr_lines = ((rd(gicd, GICD_TYPER) & 0x1f) + 1) * 32;
	if (nr_lines > MAX_LINES)
		nr_lines = MAX_LINES;
	if (version == 2) {
		wr(gicd, GICD_CTLR, 0);
		for (unsigned i = 32; i < nr_lines; i += 32)
			wr(gicd, GICD_ICENABLER + i / 8, 0xffffffffu);
		for (unsigned i = 32; i < nr_lines; i += 4)
			wr(gicd, GICD_ITARGETSR + i, 0x01010101u);
		wr(gicd, GICD_CTLR, 1);
		wr(gicc, GICC_PMR, 0xff);
		wr(gicc, GICC_BPR, 0);
		wr(gicc, GICC_CTLR, 1);
	} else {
		/* affinity routing, non-secure group 1 */
		wr(gicd, GICD_CTLR, 0);
		gicd_wait();
		wr(gicd, GICD_CTLR, (1u << 4) | (1u << 1));
		gicd_wait();
		for (unsigned i = 32; i < nr_lines; i += 32) {
			wr(gicd, GICD_ICENABLER + i / 8, 0xffffffffu);
			wr(gicd, GICD_IGROUPR + i / 8, 0xffffffffu);
		}
		gicd_wait();
		for (unsigned i = 32; i < nr_lines; i++) {
			__asm__ __volatile__("str %0, [%1]" ::"r"(0ull),
					     "r"(gicd + GICD_IROUTER + i * 8)
					     : "memory");
		}
		/* wake this CPU's redistributor (the first one) */
		wr(gicr, GICR_WAKER, rd(gicr, GICR_WAKER) & ~(1u << 1));
		for (unsigned i = 0;
		     i < 1000000 && (rd(gicr, GICR_WAKER) & (1u << 2)); i++)
			;
		wr(gicr + GICR_SGI, GICD_IGROUPR, 0xffffffffu);
		wr(gicr + GICR_SGI, GICD_ICENABLER, 0xffffffffu);
		/* system register CPU interface */
		uint64_t sre = ukarch_sysreg_read(S3_0_C12_C12_5);
		ukarch_sysreg_write(S3_0_C12_C12_5, sre | 1);
		ukarch_isb();
		ukarch_sysreg_write(S3_0_C4_C6_0, 0xff); /* PMR */
		ukarch_sysreg_write(S3_0_C12_C12_3, 0);	 /* BPR1 */
		ukarch_sysreg_write(S3_0_C12_C12_7, 1);	 /* IGRPEN1 */
		ukarch_isb();
	}
	uk_pr_debug("irq: GICv%d, %u lines", version, nr_lines);
	kvm_arm64_irq_handler = gic_irq;
	state = 1;
	return 0;
}

int kvm_arm64_gic_init(void)
{
	return setup();
}

int kvm_arm64_gic_version(void)
{
	return state > 0 ? version : 0;
}

/* The timer's PPI (timer.c): handled before any registered handler. */
int kvm_arm64_gic_set_timer(unsigned irq, void (*fn)(void))
{
	int rc = setup();

	if (rc < 0)
		return rc;
	if (irq < 16 || irq >= 32)
		return -EINVAL;
	timer_irq = irq;
	timer_fn = fn;
	set_prio(irq);
	set_enabled(irq, 1);
	return 0;
}

int ukplat_irq_register_mode(unsigned int irq, ukplat_irq_handler_t handler,
			     void *arg, int mode)
{
	int rc = setup();
	unsigned long f;
	int users = 0;

	if (rc < 0)
		return rc;
	if (irq < 16 || irq >= nr_lines || !handler ||
	    (mode != UKPLAT_IRQ_EDGE_HIGH && mode != UKPLAT_IRQ_LEVEL_LOW))
		return -EINVAL;
	f = ukplat_lcpu_save_irqf();
	for (unsigned i = 0; i < UKPLAT_IRQ_HANDLERS_MAX; i++)
		if (handlers[i].fn && handlers[i].irq == irq)
			users++;
	for (unsigned i = 0; i < UKPLAT_IRQ_HANDLERS_MAX; i++) {
		if (handlers[i].fn)
			continue;
		handlers[i].irq = irq;
		handlers[i].arg = arg;
		handlers[i].fn = handler;
		if (!users) {
			/* the GIC has active-high levels only: a "low" level
			 * line is a level line whose inversion the board
			 * does */
			set_config(irq, mode == UKPLAT_IRQ_EDGE_HIGH);
			set_prio(irq);
			set_enabled(irq, 1);
		}
		ukplat_lcpu_restore_irqf(f);
		return 0;
	}
	ukplat_lcpu_restore_irqf(f);
	return -ENOMEM;
}

int ukplat_irq_register(unsigned int irq, ukplat_irq_handler_t handler,
			void *arg)
{
	return ukplat_irq_register_mode(irq, handler, arg,
					UKPLAT_IRQ_EDGE_HIGH);
}

int ukplat_irq_unregister(unsigned int irq, ukplat_irq_handler_t handler,
			  void *arg)
{
	unsigned long f = ukplat_lcpu_save_irqf();
	int found = -1, users = 0;

	for (unsigned i = 0; i < UKPLAT_IRQ_HANDLERS_MAX; i++) {
		if (!handlers[i].fn || handlers[i].irq != irq)
			continue;
		if (found < 0 && handlers[i].fn == handler &&
		    handlers[i].arg == arg)
			found = (int)i;
		else
			users++;
	}
	if (found >= 0) {
		handlers[found].fn = 0;
		if (!users)
			set_enabled(irq, 0);
	}
	ukplat_lcpu_restore_irqf(f);
	return found >= 0 ? 0 : -ENOENT;
}

void ukplat_irq_stats(struct ukplat_irq_stats *out)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	*out = stats;
	ukplat_lcpu_restore_irqf(f);
}

static uint32_t ack(void)
{
	if (version == 2)
		return rd(gicc, GICC_IAR);
	uint64_t v = ukarch_sysreg_read(S3_0_C12_C12_0);
	return (uint32_t)v;
}

static void eoi(uint32_t iar)
{
	if (version == 2)
		wr(gicc, GICC_EOIR, iar);
	else
		ukarch_sysreg_write(S3_0_C12_C12_1, iar);
}

/* From vectors.S through traps.c, interrupts masked, on the exception
 * stack. Takes what is pending (a bounded number per entry: the rest comes
 * back at once). */
static void gic_irq(struct ukarch_regs *r)
{
	(void)r;
	for (int n = 0; n < 16; n++) {
		uint32_t iar = ack();
		unsigned irq = iar & 0x3ff;
		int done = 0;

		if (irq >= SPURIOUS_MIN) {
			if (n == 0)
				stats.spurious++;
			return;
		}
		if (irq == timer_irq && timer_fn) {
			timer_fn();
			done = 1;
		}
		for (unsigned i = 0; !done && i < UKPLAT_IRQ_HANDLERS_MAX; i++)
			if (handlers[i].fn && handlers[i].irq == irq &&
			    handlers[i].fn(handlers[i].arg))
				done = 1;
		if (done)
			stats.handled++;
		else
			stats.unexpected++;
		eoi(iar);
	}
}
