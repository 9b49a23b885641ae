/* SPDX-License-Identifier: BSD-3-Clause */
/* uknetdev: registry, checked configuration calls, the test double. */
#include <uk/plat_doubles.h>
#include <uk/netdev_testing.h>

static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
static int nr_alloc, nr_free, alloc_limit;

static void buf_free(struct uk_netbuf *nb)
{
	nr_free++;
	free(nb->buf);
	free(nb);
}

static uint16_t alloc_rx(void *arg, struct uk_netbuf *nb[], uint16_t count)
{
	uint16_t i;

	(void)arg;
	for (i = 0; i < count; i++) {
		if (alloc_limit && nr_alloc >= alloc_limit)
			break;
		nb[i] = malloc(sizeof(*nb[i]));
		uk_netbuf_init(nb[i], malloc(2048), 2048, 64, buf_free, NULL);
		nr_alloc++;
	}
	return i;
}

static int events;
static void on_event(void *arg, uint16_t qid)
{
	(void)arg, (void)qid;
	events++;
}

static void setup_dev(struct nd_test *t, int with_event)
{
	struct uk_netdev_rxq_conf rc = {.alloc_rxbufs = alloc_rx,
					.event = with_event ? on_event : NULL};
	struct uk_netdev_txq_conf tc = {0};

	nd_test_init(t, mac);
	assert_int_equal(uk_netdev_configure(&t->dev, 1, 1), 0);
	assert_int_equal(uk_netdev_rxq_setup(&t->dev, 0, &rc), 0);
	assert_int_equal(uk_netdev_txq_setup(&t->dev, 0, &tc), 0);
	assert_int_equal(uk_netdev_start(&t->dev), 0);
}

static int reset(void **state)
{
	(void)state;
	nr_alloc = nr_free = alloc_limit = events = 0;
	return 0;
}

static void test_register(void **state)
{
	static struct nd_test a, b;
	struct uk_netdev bad = {0};
	unsigned before = uk_netdev_count();

	(void)state;
	nd_test_init(&a, mac);
	nd_test_init(&b, mac);
	assert_int_equal(uk_netdev_register(&bad), -EINVAL);
	assert_int_equal(uk_netdev_register(NULL), -EINVAL);
	int ia = uk_netdev_register(&a.dev);
	int ib = uk_netdev_register(&b.dev);
	assert_int_equal(ia, (int)before);
	assert_int_equal(ib, (int)before + 1);
	assert_int_equal(uk_netdev_count(), before + 2);
	assert_ptr_equal(uk_netdev_get((unsigned)ia), &a.dev);
	assert_ptr_equal(uk_netdev_get((unsigned)ib), &b.dev);
	assert_null(uk_netdev_get(before + 2));
	assert_int_equal(a.dev.mtu, 1500);
	assert_true(plat_out_find("MAC 02:00:00:00:00:01"));
}

static void test_configure_checks(void **state)
{
	struct nd_test t;
	struct uk_netdev_rxq_conf rc = {.alloc_rxbufs = alloc_rx};
	struct uk_netdev_rxq_conf norx = {0};
	struct uk_netdev_txq_conf tc = {.nb_desc = ND_TEST_RING + 1};

	(void)state;
	nd_test_init(&t, mac);
	/* queues before configure */
	assert_int_equal(uk_netdev_rxq_setup(&t.dev, 0, &rc), -EINVAL);
	assert_int_equal(uk_netdev_start(&t.dev), -EINVAL);
	assert_int_equal(uk_netdev_configure(&t.dev, 0, 1), -EINVAL);
	assert_int_equal(uk_netdev_configure(&t.dev, 2, 1), -EINVAL);
	assert_true(plat_out_find("2 rx / 1 tx queues asked"));
	assert_int_equal(uk_netdev_configure(&t.dev, 1, 1), 0);
	assert_int_equal(uk_netdev_configure(&t.dev, 1, 1), -EBUSY);
	assert_int_equal(uk_netdev_rxq_setup(&t.dev, 1, &rc), -EINVAL);
	assert_int_equal(uk_netdev_rxq_setup(&t.dev, 0, &norx), -EINVAL);
	assert_int_equal(uk_netdev_rxq_setup(&t.dev, 0, NULL), -EINVAL);
	assert_int_equal(uk_netdev_txq_setup(&t.dev, 0, &tc), -EINVAL);
	assert_true(plat_out_find("65 ring entries asked"));
	tc.nb_desc = 0;
	assert_int_equal(uk_netdev_rxq_setup(&t.dev, 0, &rc), 0);
	assert_int_equal(uk_netdev_txq_setup(&t.dev, 0, &tc), 0);
	assert_int_equal(uk_netdev_start(&t.dev), 0);
	assert_int_equal(uk_netdev_start(&t.dev), 0); /* idempotent */
	assert_int_equal(t.started, 1);
	assert_int_equal(uk_netdev_rxq_setup(&t.dev, 0, &rc), -EBUSY);
	/* no event callback: no interrupt mode */
	assert_int_equal(uk_netdev_rxq_intr_enable(&t.dev, 0), -ENOTSUP);
	assert_int_equal(uk_netdev_rxq_intr_enable(&t.dev, 3), -EINVAL);
	assert_int_equal(uk_netdev_txq_intr_enable(&t.dev, 0), -ENOTSUP);
	/* MTU limits */
	assert_int_equal(uk_netdev_mtu_set(&t.dev, 67), -EINVAL);
	assert_int_equal(uk_netdev_mtu_set(&t.dev, 1501), -EINVAL);
	assert_int_equal(uk_netdev_mtu_set(&t.dev, 1500), 0);
	assert_int_equal(uk_netdev_mtu_set(&t.dev, 1400), -ENOTSUP);
	assert_int_equal(uk_netdev_stop(&t.dev), 0);
	assert_int_equal(nr_alloc, nr_free); /* stop returned every buffer */
}

static void test_burst_rx_tx(void **state)
{
	struct nd_test t;
	struct uk_netbuf *pkts[16];
	uint16_t cnt;
	unsigned char frame[60];

	(void)state;
	setup_dev(&t, 0);
	assert_int_equal(t.rx_posted, ND_TEST_RING);
	for (int i = 0; i < 20; i++) {
		memset(frame, i, sizeof(frame));
		assert_int_equal(nd_test_inject(&t, frame, sizeof(frame)), 0);
	}
	cnt = 16;
	assert_int_equal(uk_netdev_rx_burst(&t.dev, 0, pkts, &cnt),
			 UK_NETDEV_STATUS_MORE);
	assert_int_equal(cnt, 16);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(pkts[i]->len, 60);
		assert_int_equal(((unsigned char *)pkts[i]->data)[0], i);
	}
	/* zero-copy: the packets go straight back out */
	assert_int_equal(uk_netdev_tx_burst(&t.dev, 0, pkts, &cnt), 0);
	assert_int_equal(cnt, 16);
	assert_int_equal(t.nr_tx, 16);
	assert_int_equal(t.tx_bursts, 1);
	assert_int_equal(t.tx[5].data[0], 5);
	cnt = 16;
	assert_int_equal(uk_netdev_rx_burst(&t.dev, 0, pkts, &cnt), 0);
	assert_int_equal(cnt, 4);
	/* a full ring takes the first ones only, the rest stay ours */
	t.tx_full_at = t.nr_tx + 2;
	assert_int_equal(uk_netdev_tx_burst(&t.dev, 0, pkts, &cnt),
			 UK_NETDEV_STATUS_FULL);
	assert_int_equal(cnt, 2);
	uk_netbuf_free(pkts[2]);
	uk_netbuf_free(pkts[3]);
	/* oversize frames are dropped, as by a NIC */
	static unsigned char big[4096];
	assert_int_equal(nd_test_inject(&t, big, sizeof(big)), -1);
	uk_netdev_stop(&t.dev);
	cnt = 1;
	assert_int_equal(uk_netdev_rx_burst(&t.dev, 0, pkts, &cnt), -ENETDOWN);
	assert_int_equal(nr_alloc, nr_free);
}

static void test_events_and_refill_shortage(void **state)
{
	struct nd_test t;
	unsigned char frame[60] = {0};
	struct uk_netbuf *pkts[4];
	uint16_t cnt = 4;

	(void)state;
	alloc_limit = 10; /* the stack is out of memory after 10 buffers */
	setup_dev(&t, 1);
	assert_int_equal(t.rx_posted, 10);
	assert_int_equal(uk_netdev_rxq_intr_enable(&t.dev, 0), 0);
	assert_int_equal(nd_test_inject(&t, frame, 60), 0);
	assert_int_equal(events, 1);
	assert_int_equal(uk_netdev_rxq_intr_disable(&t.dev, 0), 0);
	assert_int_equal(nd_test_inject(&t, frame, 60), 0);
	assert_int_equal(events, 1);
	/* pending packets: enabling says so instead of an event */
	assert_int_equal(uk_netdev_rxq_intr_enable(&t.dev, 0), 1);
	assert_int_equal(uk_netdev_rx_burst(&t.dev, 0, pkts, &cnt), 0);
	assert_int_equal(cnt, 2);
	assert_int_equal(t.rx_posted, 8); /* no memory to refill */
	uk_netbuf_free(pkts[0]);
	uk_netbuf_free(pkts[1]);
	uk_netdev_stop(&t.dev);
	assert_int_equal(nr_alloc, nr_free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_register, reset),
		cmocka_unit_test_setup(test_configure_checks, reset),
		cmocka_unit_test_setup(test_burst_rx_tx, reset),
		cmocka_unit_test_setup(test_events_and_refill_shortage, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
