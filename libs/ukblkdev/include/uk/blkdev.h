/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukblkdev: the block device API drivers implement (virtio-blk, the memory
 * test double) and filesystems use (ext2, benchmarks, specialized apps).
 *
 * Requests (struct uk_blkreq) travel in BURSTS: uk_blkdev_submit() hands up
 * to *cnt requests to a queue and the driver notifies the device once per
 * call, not once per request. Completions are collected by
 * uk_blkdev_poll(), which sets each request's result and calls its `done`
 * callback (thread context). A queue can also raise an event (interrupt
 * context) when requests complete; the synchronous helpers below wait for
 * that by halting the CPU instead of spinning.
 *
 * Buffers: the device reads or writes `buf` directly (no copy): it MUST stay
 * valid and untouched until the request is done. On kvm, RAM is
 * identity-mapped, so any buffer of `nsectors * sector_size` bytes is one
 * DMA segment.
 *
 * Ordering and durability: requests in flight complete in any order. A
 * completed WRITE may sit in the device's volatile cache (UK_BLKDEV_F_FLUSH)
 * until a FLUSH completes; a FLUSH covers every write that completed before
 * it was submitted. UK_BLKREQ_F_FUA makes one write durable when it
 * completes (emulated with write-then-flush where the device has no FUA).
 *
 * Context: one thread per queue at a time, no locks inside (UP).
 * Errors: negative errno values.
 */
#ifndef UK_BLKDEV_H
#define UK_BLKDEV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- requests ---- */

#define UK_BLKREQ_READ	       0
#define UK_BLKREQ_WRITE	       1
#define UK_BLKREQ_FLUSH	       2 /* make completed writes durable */
#define UK_BLKREQ_DISCARD      3 /* the sectors' contents become undefined */
#define UK_BLKREQ_WRITE_ZEROES 4 /* the sectors read as zeros afterwards */

#define UK_BLKREQ_F_FUA 0x1 /* WRITE/WRITE_ZEROES: durable on completion */

#define UK_BLKREQ_PENDING 0
#define UK_BLKREQ_DONE	  1

struct uk_blkreq;
/* Called once per request from uk_blkdev_poll() (or from uk_blkdev_submit()
 * for a request refused before reaching the device), thread context. */
typedef void (*uk_blkreq_done_t)(struct uk_blkreq *r);

struct uk_blkreq {
	uint8_t op;	       /* UK_BLKREQ_* */
	uint8_t flags;	       /* UK_BLKREQ_F_* */
	uint64_t sector;       /* first sector (device sector size units) */
	uint32_t nsectors;     /* 0 for FLUSH */
	void *buf;	       /* READ/WRITE: nsectors * sector_size bytes */
	uk_blkreq_done_t done; /* MAY be NULL (poll `state` instead) */
	void *priv;	       /* the owner's */
	int result; /* when done: 0, -EIO, -EROFS, -EINVAL, -ENOTSUP */
	volatile uint8_t state; /* UK_BLKREQ_PENDING / _DONE */
	uint8_t drv_stage;	/* the driver's (e.g. FUA emulation) */
	struct uk_blkreq *next; /* free for the current owner's lists */
};

/* Fill in a request (state PENDING, result 0). */
static inline void uk_blkreq_init(struct uk_blkreq *r, uint8_t op,
				  uint64_t sector, uint32_t nsectors, void *buf,
				  uk_blkreq_done_t done, void *priv)
{
	r->op = op;
	r->flags = 0;
	r->sector = sector;
	r->nsectors = nsectors;
	r->buf = buf;
	r->done = done;
	r->priv = priv;
	r->result = 0;
	r->state = UK_BLKREQ_PENDING;
	r->drv_stage = 0;
	r->next = NULL;
}

/* ---- devices ---- */

/* Device features (uk_blkdev_info.features) */
#define UK_BLKDEV_F_RO		 0x01 /* writes are refused with -EROFS */
#define UK_BLKDEV_F_FLUSH	 0x02 /* volatile write cache: FLUSH needed */
#define UK_BLKDEV_F_FUA		 0x04 /* native FUA (else emulated) */
#define UK_BLKDEV_F_DISCARD	 0x08
#define UK_BLKDEV_F_WRITE_ZEROES 0x10
#define UK_BLKDEV_F_INTR	 0x20 /* queues can raise events */

struct uk_blkdev_info {
	uint32_t sector_size;	      /* bytes: 512, 4096... (power of 2) */
	uint64_t sectors;	      /* capacity in sectors */
	uint32_t max_sectors;	      /* per READ/WRITE request */
	uint32_t max_discard_sectors; /* per DISCARD/WRITE_ZEROES */
	uint16_t max_queues;
	uint16_t nb_desc_max;  /* ring size limit (0: no limit) */
	uint16_t max_inflight; /* requests one queue holds at most */
	uint32_t features;     /* UK_BLKDEV_F_* */
};

/* Queue event, INTERRUPT CONTEXT: requests of queue `qid` completed (call
 * uk_blkdev_poll() from a thread). MUST NOT block or allocate. Only while
 * the queue's interrupts are on. */
typedef void (*uk_blkdev_queue_event_t)(void *arg, uint16_t qid);

struct uk_blkdev_queue_conf {
	uint16_t nb_desc; /* ring entries; 0: the device's default */
	uk_blkdev_queue_event_t event; /* MAY be NULL */
	void *event_arg;
};

/* Counters drivers keep (uk_blkdev_stats_get). */
struct uk_blkdev_stats {
	uint64_t requests;    /* accepted by submit (refused ones excluded) */
	uint64_t notifies;    /* device notifications actually sent */
	uint64_t completions; /* requests completed by the device */
	uint64_t errors;      /* of those, with a negative result */
	uint64_t flushes;     /* FLUSH commands sent (FUA emulation too) */
	uint64_t interrupts;  /* queue events raised */
	uint64_t refused;     /* requests refused before the device */
};

struct uk_blkdev;

/* What a driver implements; all MUST be set except the intr ones (NULL
 * without UK_BLKDEV_F_INTR). Requests reaching `submit` are checked:
 * in range, op supported, not a write on a read-only device. */
struct uk_blkdev_ops {
	void (*info)(struct uk_blkdev *d, struct uk_blkdev_info *out);
	int (*configure)(struct uk_blkdev *d, uint16_t nb_queues);
	int (*queue_setup)(struct uk_blkdev *d, uint16_t qid,
			   const struct uk_blkdev_queue_conf *conf);
	int (*start)(struct uk_blkdev *d);
	int (*stop)(struct uk_blkdev *d);
	/* queue reqs[0..*cnt): *cnt becomes the number taken, one notify */
	int (*submit)(struct uk_blkdev *d, uint16_t qid,
		      struct uk_blkreq *reqs[], uint16_t *cnt);
	/* complete up to `max` requests (result, state, done); returns n */
	int (*poll)(struct uk_blkdev *d, uint16_t qid, unsigned max);
	int (*intr_enable)(struct uk_blkdev *d, uint16_t qid);
	int (*intr_disable)(struct uk_blkdev *d, uint16_t qid);
};

enum uk_blkdev_state {
	UK_BLKDEV_UNCONFIGURED = 0,
	UK_BLKDEV_CONFIGURED, /* configure() done, queues being set up */
	UK_BLKDEV_RUNNING,    /* started */
	UK_BLKDEV_FAILED,     /* a request never completed: unusable */
};

#define UK_BLKDEV_QUEUES_MAX 4

/* Per-queue bookkeeping of the generic layer. */
struct uk_blkdev_queue {
	uint8_t ready, intr_on;
	volatile int event; /* set by the event trampoline (IRQ) */
	uk_blkdev_queue_event_t user_event;
	void *user_arg;
};

struct uk_blkdev {
	const struct uk_blkdev_ops *ops;
	const char *name; /* short, for mount sources: "vda", "ram0" */
	const char *desc; /* longer: "virtio-blk@pci0:3.0" */
	enum uk_blkdev_state state;
	uint16_t nb_queues;
	unsigned id;		    /* index in the registry */
	void *priv;		    /* the driver's */
	struct uk_blkdev_info info; /* as the driver said at registration */
	struct uk_blkdev_stats stats;
	struct uk_blkdev_queue q[UK_BLKDEV_QUEUES_MAX];
	struct uk_blkdev *next;
};

/* ---- registry (drivers register at init, users look devices up) ---- */

/* Add `d` (ops, name, priv filled in). Returns its id (0, 1, ...),
 * -EINVAL (missing ops or name) or -EEXIST (name taken). */
int uk_blkdev_register(struct uk_blkdev *d);
/* Number of registered devices; the device with id `id` or NULL. */
unsigned uk_blkdev_count(void);
struct uk_blkdev *uk_blkdev_get(unsigned id);
/* The device called `name` (or its desc), or NULL. */
struct uk_blkdev *uk_blkdev_find(const char *name);

/* ---- configuration: checked wrappers around the ops ---- */

void uk_blkdev_info_get(struct uk_blkdev *d, struct uk_blkdev_info *out);
/* Reserve queues (1..max_queues, else -EINVAL); only UNCONFIGURED
 * (-EBUSY). */
int uk_blkdev_configure(struct uk_blkdev *d, uint16_t nb_queues);
/* Set up queue `qid` after configure(): -EINVAL (bad qid, nb_desc above
 * nb_desc_max), -EBUSY when running, -ENOMEM, -EIO. */
int uk_blkdev_queue_setup(struct uk_blkdev *d, uint16_t qid,
			  const struct uk_blkdev_queue_conf *conf);
/* Start (every queue set up) / stop (interrupts off) the device. */
int uk_blkdev_start(struct uk_blkdev *d);
int uk_blkdev_stop(struct uk_blkdev *d);
/* configure(1) + queue_setup(0, default ring) + start, whatever of it is
 * not done yet: what simple users (filesystems) call. */
int uk_blkdev_open(struct uk_blkdev *d);

/* ---- data path ---- */

#define UK_BLKDEV_STATUS_FULL 0x1 /* not every request fit in the ring */

/*
 * Queue up to *cnt requests on `qid`, one device notification for all;
 * *cnt becomes the number taken (the first ones). A request that cannot be
 * valid (out of range, unaligned count, op the device lacks, write to a
 * read-only device) is taken and completed at once with its error
 * (-EINVAL, -ENOSPC beyond the end, -ENOTSUP, -EROFS), `done` called
 * before this returns. Returns UK_BLKDEV_STATUS_* bits, or -EINVAL (bad
 * queue) / -ENODEV (not running, or FAILED) with nothing taken.
 */
int uk_blkdev_submit(struct uk_blkdev *d, uint16_t qid,
		     struct uk_blkreq *reqs[], uint16_t *cnt);

/* Collect up to `max` completed requests of `qid` (0: all there are):
 * sets result and state, calls done. Returns how many, or -errno. */
int uk_blkdev_poll(struct uk_blkdev *d, uint16_t qid, unsigned max);

/* Interrupt (event) mode per queue: -ENOTSUP without UK_BLKDEV_F_INTR.
 * Enabling returns 1 when completions are already waiting (poll: no event
 * will come for them), else 0. */
int uk_blkdev_intr_enable(struct uk_blkdev *d, uint16_t qid);
int uk_blkdev_intr_disable(struct uk_blkdev *d, uint16_t qid);

void uk_blkdev_stats_get(struct uk_blkdev *d, struct uk_blkdev_stats *out);

/* ---- synchronous helpers (thread context) ---- */

/*
 * Wait until every request of reqs[0..n) is done, polling `qid`. In
 * interrupt mode the CPU halts between polls until the queue's event (or
 * the waiter set with uk_blkdev_set_waiter runs instead). Bounded: after
 * uk_blkdev_timeout_ns without progress the device is marked FAILED (its
 * buffers may still be written later: a broken device) and -ETIMEDOUT is
 * returned. Returns 0 (the requests' own results are in them).
 */
int uk_blkdev_wait(struct uk_blkdev *d, uint16_t qid, struct uk_blkreq **reqs,
		   unsigned n);

/*
 * Read/write `nsectors` from `sector` through queue `qid`: split into
 * requests of at most max_sectors, submitted in bursts, waited for.
 * FLUSH ignores sector/nsectors/buf. `flags`: UK_BLKREQ_F_*. Returns 0 or
 * the first error (-EIO, -EROFS, -ENOSPC past the end, -ETIMEDOUT...).
 */
int uk_blkdev_sync_io(struct uk_blkdev *d, uint16_t qid, uint8_t op,
		      uint64_t sector, uint64_t nsectors, void *buf,
		      uint8_t flags);

/* How long uk_blkdev_wait waits without any completion (default 60 s). */
extern uint64_t uk_blkdev_timeout_ns;

/* A waiter for uk_blkdev_wait in interrupt mode: returns when `*event` is
 * non-zero or `deadline_ns` (monotonic) passed; e.g. a scheduler's
 * sleep-until-event, so that other threads run meanwhile. NULL (the
 * default): halt the CPU (ukplat_halt_until_or). */
typedef void (*uk_blkdev_waiter_t)(const volatile int *event,
				   uint64_t deadline_ns);
void uk_blkdev_set_waiter(uk_blkdev_waiter_t w);

#ifdef __cplusplus
}
#endif
#endif /* UK_BLKDEV_H */
