/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknetdev: the network device API drivers implement (virtio-net, test
 * doubles) and network stacks use (the lwIP glue, specialized apps).
 *
 * Packets travel as `struct uk_netbuf`s, in BURSTS: one rx or tx call moves
 * up to `*cnt` packets and the driver notifies the device once per call, not
 * once per packet (Unikraft's API is one packet per call).
 *
 * Buffer ownership:
 * - rx: the stack gives the driver empty netbufs through the queue's
 *   `alloc_rxbufs` callback (the driver calls it to refill its ring, at
 *   start and after each rx burst); uk_netdev_rx_burst() hands filled ones
 *   back. The stack owns them from then on and frees them with
 *   uk_netbuf_free() (zero-copy: the device wrote straight into them).
 * - tx: uk_netdev_tx_burst() takes the netbufs it accepted (the first *cnt
 *   on return); the driver frees each with uk_netbuf_free() once the device
 *   is done with it. Netbufs not accepted stay the caller's.
 *
 * Context: configuration and bursts are called from threads (one thread per
 * queue at a time: no locks inside, UP). The queue event callback runs in
 * interrupt context: it MUST NOT block or allocate (see uk_sched_event in
 * <uk/sched.h> for waking a thread from there).
 *
 * Errors: negative errno values.
 */
#ifndef UK_NETDEV_H
#define UK_NETDEV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- netbufs ---- */

/* rx: the device verified the packet's checksums (or they need none) */
#define UK_NETBUF_F_DATA_VALID 0x1
/* tx: the device must compute the L4 checksum: the 16-bit sum is stored at
 * csum_start + csum_offset, over the bytes from csum_start to the end, the
 * field holding the pseudo-header sum (virtio's NEEDS_CSUM, Linux's
 * CHECKSUM_PARTIAL). Only when the device has UK_NETDEV_F_TXCSUM. */
#define UK_NETBUF_F_CSUM_PARTIAL 0x2

struct uk_netbuf;
typedef void (*uk_netbuf_free_fn)(struct uk_netbuf *nb);

struct uk_netbuf {
	void *buf;	/* start of the buffer (headroom comes first) */
	size_t buflen;	/* bytes at buf */
	void *data;	/* first byte of the packet, buf <= data */
	size_t len;	/* packet bytes at data; data + len <= buf + buflen */
	uint16_t flags; /* UK_NETBUF_F_* */
	uint16_t csum_start, csum_offset; /* for UK_NETBUF_F_CSUM_PARTIAL */
	uk_netbuf_free_fn free;		  /* how uk_netbuf_free() returns it */
	void *priv;		/* the owner's (e.g. the stack's pbuf) */
	struct uk_netbuf *next; /* free for the current owner's lists */
};

/* Give `nb` back to whoever allocated it (nb->free(nb)). NULL: no-op. */
static inline void uk_netbuf_free(struct uk_netbuf *nb)
{
	if (nb)
		nb->free(nb);
}

/* Set up `nb` over `buf` with `headroom` bytes before data, len 0. */
static inline void uk_netbuf_init(struct uk_netbuf *nb, void *buf,
				  size_t buflen, size_t headroom,
				  uk_netbuf_free_fn free, void *priv)
{
	nb->buf = buf;
	nb->buflen = buflen;
	nb->data = (char *)buf + (headroom < buflen ? headroom : buflen);
	nb->len = 0;
	nb->flags = 0;
	nb->csum_start = nb->csum_offset = 0;
	nb->free = free;
	nb->priv = priv;
	nb->next = NULL;
}

/* ---- devices ---- */

/* Device features (uk_netdev_info.features) */
#define UK_NETDEV_F_TXCSUM 0x1 /* takes UK_NETBUF_F_CSUM_PARTIAL on tx */
#define UK_NETDEV_F_RXCSUM 0x2 /* MAY set UK_NETBUF_F_DATA_VALID on rx */
#define UK_NETDEV_F_INTR   0x4 /* queues can raise events (interrupts) */

struct uk_netdev_info {
	uint16_t max_rx_queues, max_tx_queues;
	uint16_t max_mtu;     /* largest MTU the device takes */
	uint16_t rx_headroom; /* bytes every rx netbuf needs before data */
	uint16_t tx_headroom; /* bytes every tx netbuf needs before data */
	uint16_t nb_desc_max; /* ring size limit (0: no limit) */
	uint32_t features;    /* UK_NETDEV_F_* */
	size_t rx_buflen_min; /* smallest rx buffer (data room + headroom) */
};

/* Hands `count` empty netbufs to the driver: fills nb[0..n) and returns n
 * (fewer when out of memory; the driver tries again later). */
typedef uint16_t (*uk_netdev_alloc_rxbufs_t)(void *arg, struct uk_netbuf *nb[],
					     uint16_t count);
/* Queue event, INTERRUPT CONTEXT: the queue has packets (rx) or free slots
 * (tx). MUST NOT block or allocate. Called only while the queue's
 * interrupts are on (uk_netdev_{rx,tx}q_intr_enable). */
typedef void (*uk_netdev_queue_event_t)(void *arg, uint16_t qid);

struct uk_netdev_rxq_conf {
	uint16_t nb_desc; /* ring entries; 0: the device's default */
	uk_netdev_alloc_rxbufs_t alloc_rxbufs; /* MUST be set */
	void *alloc_arg;
	uk_netdev_queue_event_t event; /* NULL: polling only */
	void *event_arg;
};

struct uk_netdev_txq_conf {
	uint16_t nb_desc; /* ring entries; 0: the device's default */
	uk_netdev_queue_event_t event; /* NULL: polling only */
	void *event_arg;
};

struct uk_netdev;

/* What a driver implements (all MUST be set except the *_intr_* ones,
 * which MAY be NULL when the device has no UK_NETDEV_F_INTR). */
struct uk_netdev_ops {
	void (*info)(struct uk_netdev *d, struct uk_netdev_info *out);
	int (*configure)(struct uk_netdev *d, uint16_t nb_rxq, uint16_t nb_txq);
	int (*rxq_setup)(struct uk_netdev *d, uint16_t qid,
			 const struct uk_netdev_rxq_conf *conf);
	int (*txq_setup)(struct uk_netdev *d, uint16_t qid,
			 const struct uk_netdev_txq_conf *conf);
	int (*start)(struct uk_netdev *d);
	int (*stop)(struct uk_netdev *d);
	int (*rx_burst)(struct uk_netdev *d, uint16_t qid,
			struct uk_netbuf *pkts[], uint16_t *cnt);
	int (*tx_burst)(struct uk_netdev *d, uint16_t qid,
			struct uk_netbuf *pkts[], uint16_t *cnt);
	int (*rxq_intr_enable)(struct uk_netdev *d, uint16_t qid);
	int (*rxq_intr_disable)(struct uk_netdev *d, uint16_t qid);
	int (*txq_intr_enable)(struct uk_netdev *d, uint16_t qid);
	int (*txq_intr_disable)(struct uk_netdev *d, uint16_t qid);
	int (*mtu_set)(struct uk_netdev *d, uint16_t mtu); /* MAY be NULL */
};

enum uk_netdev_state {
	UK_NETDEV_UNCONFIGURED = 0,
	UK_NETDEV_CONFIGURED, /* configure() done, queues being set up */
	UK_NETDEV_RUNNING,    /* started */
};

struct uk_netdev {
	const struct uk_netdev_ops *ops;
	const char *name;  /* driver's, e.g. "virtio-net@pci0:3.0" */
	uint8_t hwaddr[6]; /* MAC address */
	uint16_t mtu;	   /* current MTU (1500 unless set) */
	enum uk_netdev_state state;
	uint16_t nb_rxq, nb_txq;
	unsigned id; /* index in the registry */
	void *priv;  /* the driver's */
	struct uk_netdev *next;
};

/* ---- registry (drivers register at init, stacks look devices up) ---- */

/* Add `d` (ops, name, hwaddr, mtu, priv filled in). Returns its id (0, 1,
 * ...) or -EINVAL (missing ops). */
int uk_netdev_register(struct uk_netdev *d);
/* Number of registered devices; the device with id `id` or NULL. */
unsigned uk_netdev_count(void);
struct uk_netdev *uk_netdev_get(unsigned id);

/* ---- use: checked wrappers around the ops ---- */

void uk_netdev_info_get(struct uk_netdev *d, struct uk_netdev_info *out);
/* Reserve queues (at least one of each; at most the device's maximum:
 * -EINVAL otherwise). Only in UNCONFIGURED state (-EBUSY). */
int uk_netdev_configure(struct uk_netdev *d, uint16_t nb_rxq, uint16_t nb_txq);
/* Set up queue `qid` after configure(): -EINVAL for a bad qid or conf
 * (no alloc_rxbufs, nb_desc above nb_desc_max), -EBUSY when running,
 * -ENOMEM. */
int uk_netdev_rxq_setup(struct uk_netdev *d, uint16_t qid,
			const struct uk_netdev_rxq_conf *conf);
int uk_netdev_txq_setup(struct uk_netdev *d, uint16_t qid,
			const struct uk_netdev_txq_conf *conf);
/* Start (every queue set up; rx rings filled) / stop the device. */
int uk_netdev_start(struct uk_netdev *d);
int uk_netdev_stop(struct uk_netdev *d);
/* MTU: -EINVAL above max_mtu or below 68; -ENOTSUP if fixed. */
int uk_netdev_mtu_set(struct uk_netdev *d, uint16_t mtu);

/* Status bits of rx_burst/tx_burst (>= 0) */
#define UK_NETDEV_STATUS_MORE  0x1 /* rx: more packets are waiting */
#define UK_NETDEV_STATUS_UNDER 0x2 /* rx: ring refill fell short (OOM) */
#define UK_NETDEV_STATUS_FULL  0x4 /* tx: the ring is full */

/*
 * Receive up to *cnt packets of queue `qid` into pkts[]; *cnt becomes the
 * number received. Returns UK_NETDEV_STATUS_* bits or a negative errno
 * (-EINVAL bad queue, -ENETDOWN not running). With the queue's interrupts
 * on, an event follows when packets arrive after an empty return.
 */
static inline int uk_netdev_rx_burst(struct uk_netdev *d, uint16_t qid,
				     struct uk_netbuf *pkts[], uint16_t *cnt)
{
	return d->ops->rx_burst(d, qid, pkts, cnt);
}

/*
 * Queue up to *cnt packets on `qid`, one device notification for all;
 * *cnt becomes the number accepted (the first ones). Returns
 * UK_NETDEV_STATUS_* bits or a negative errno.
 */
static inline int uk_netdev_tx_burst(struct uk_netdev *d, uint16_t qid,
				     struct uk_netbuf *pkts[], uint16_t *cnt)
{
	return d->ops->tx_burst(d, qid, pkts, cnt);
}

/* Interrupt (event) mode per queue: -ENOTSUP without UK_NETDEV_F_INTR or
 * without an event callback in the queue's conf. Enabling returns 1 when
 * packets are already pending (the caller should poll again: no event
 * will come for them), else 0. */
int uk_netdev_rxq_intr_enable(struct uk_netdev *d, uint16_t qid);
int uk_netdev_rxq_intr_disable(struct uk_netdev *d, uint16_t qid);
int uk_netdev_txq_intr_enable(struct uk_netdev *d, uint16_t qid);
int uk_netdev_txq_intr_disable(struct uk_netdev *d, uint16_t qid);

#ifdef __cplusplus
}
#endif
#endif /* UK_NETDEV_H */
