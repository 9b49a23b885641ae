/* SPDX-License-Identifier: BSD-3-Clause */
/* uknetdev: device registry and the checked configuration calls. */
#include <errno.h>
#include <stddef.h>
#include <uk/netdev.h>
#include <uk/print.h>

/* Registered devices, in registration order (ids 0, 1, ...). UP: drivers
 * register from the init table, one at a time. */
static struct uk_netdev *devs, **devs_tail = &devs;
static unsigned nr_devs;

int uk_netdev_register(struct uk_netdev *d)
{
	const struct uk_netdev_ops *o;

	if (!d || !(o = d->ops) || !o->info || !o->configure || !o->rxq_setup ||
	    !o->txq_setup || !o->start || !o->stop || !o->rx_burst ||
	    !o->tx_burst)
		return -EINVAL;
	d->id = nr_devs++;
	d->state = UK_NETDEV_UNCONFIGURED;
	d->nb_rxq = d->nb_txq = 0;
	if (!d->mtu)
		d->mtu = 1500;
	if (!d->name)
		d->name = "netdev";
	d->next = NULL;
	*devs_tail = d;
	devs_tail = &d->next;
	uk_pr_info("netdev%u: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, MTU %u",
		   d->id, d->name, d->hwaddr[0], d->hwaddr[1], d->hwaddr[2],
		   d->hwaddr[3], d->hwaddr[4], d->hwaddr[5], d->mtu);
	return (int)d->id;
}

unsigned uk_netdev_count(void)
{
	return nr_devs;
}

struct uk_netdev *uk_netdev_get(unsigned id)
{
	struct uk_netdev *d;

	for (d = devs; d; d = d->next)
		if (d->id == id)
			return d;
	return NULL;
}

void uk_netdev_info_get(struct uk_netdev *d, struct uk_netdev_info *out)
{
	*out = (struct uk_netdev_info){0};
	d->ops->info(d, out);
}

int uk_netdev_configure(struct uk_netdev *d, uint16_t nb_rxq, uint16_t nb_txq)
{
	struct uk_netdev_info info;
	int rc;

	if (d->state != UK_NETDEV_UNCONFIGURED)
		return -EBUSY;
	uk_netdev_info_get(d, &info);
	if (!nb_rxq || !nb_txq || nb_rxq > info.max_rx_queues ||
	    nb_txq > info.max_tx_queues) {
		uk_pr_err("netdev%u: %u rx / %u tx queues asked, the device "
			  "has 1..%u / 1..%u",
			  d->id, nb_rxq, nb_txq, info.max_rx_queues,
			  info.max_tx_queues);
		return -EINVAL;
	}
	rc = d->ops->configure(d, nb_rxq, nb_txq);
	if (rc < 0)
		return rc;
	d->nb_rxq = nb_rxq;
	d->nb_txq = nb_txq;
	d->state = UK_NETDEV_CONFIGURED;
	return 0;
}

static int check_queue(struct uk_netdev *d, uint16_t qid, uint16_t nb,
		       uint16_t nb_desc)
{
	struct uk_netdev_info info;

	if (d->state == UK_NETDEV_RUNNING)
		return -EBUSY;
	if (d->state != UK_NETDEV_CONFIGURED || qid >= nb)
		return -EINVAL;
	uk_netdev_info_get(d, &info);
	if (info.nb_desc_max && nb_desc > info.nb_desc_max) {
		uk_pr_err("netdev%u: %u ring entries asked, the device takes "
			  "at most %u",
			  d->id, nb_desc, info.nb_desc_max);
		return -EINVAL;
	}
	return 0;
}

int uk_netdev_rxq_setup(struct uk_netdev *d, uint16_t qid,
			const struct uk_netdev_rxq_conf *conf)
{
	int rc;

	if (!conf || !conf->alloc_rxbufs)
		return -EINVAL;
	rc = check_queue(d, qid, d->nb_rxq, conf->nb_desc);
	return rc ? rc : d->ops->rxq_setup(d, qid, conf);
}

int uk_netdev_txq_setup(struct uk_netdev *d, uint16_t qid,
			const struct uk_netdev_txq_conf *conf)
{
	int rc;

	if (!conf)
		return -EINVAL;
	rc = check_queue(d, qid, d->nb_txq, conf->nb_desc);
	return rc ? rc : d->ops->txq_setup(d, qid, conf);
}

int uk_netdev_start(struct uk_netdev *d)
{
	int rc;

	if (d->state == UK_NETDEV_RUNNING)
		return 0;
	if (d->state != UK_NETDEV_CONFIGURED)
		return -EINVAL;
	rc = d->ops->start(d);
	if (rc < 0)
		return rc;
	d->state = UK_NETDEV_RUNNING;
	return 0;
}

int uk_netdev_stop(struct uk_netdev *d)
{
	int rc;

	if (d->state != UK_NETDEV_RUNNING)
		return 0;
	rc = d->ops->stop(d);
	if (rc < 0)
		return rc;
	d->state = UK_NETDEV_CONFIGURED;
	return 0;
}

int uk_netdev_mtu_set(struct uk_netdev *d, uint16_t mtu)
{
	struct uk_netdev_info info;
	int rc;

	uk_netdev_info_get(d, &info);
	if (mtu < 68 || (info.max_mtu && mtu > info.max_mtu))
		return -EINVAL;
	if (!d->ops->mtu_set)
		return mtu == d->mtu ? 0 : -ENOTSUP;
	rc = d->ops->mtu_set(d, mtu);
	if (rc == 0)
		d->mtu = mtu;
	return rc;
}

#define INTR_CALL(op, nb)                  \
	do {                               \
		if (qid >= (nb))           \
			return -EINVAL;    \
		if (!d->ops->op)           \
			return -ENOTSUP;   \
		return d->ops->op(d, qid); \
	} while (0)

int uk_netdev_rxq_intr_enable(struct uk_netdev *d, uint16_t qid)
{
	INTR_CALL(rxq_intr_enable, d->nb_rxq);
}

int uk_netdev_rxq_intr_disable(struct uk_netdev *d, uint16_t qid)
{
	INTR_CALL(rxq_intr_disable, d->nb_rxq);
}

int uk_netdev_txq_intr_enable(struct uk_netdev *d, uint16_t qid)
{
	INTR_CALL(txq_intr_enable, d->nb_txq);
}

int uk_netdev_txq_intr_disable(struct uk_netdev *d, uint16_t qid)
{
	INTR_CALL(txq_intr_disable, d->nb_txq);
}
