/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Random bytes: a ChaCha20 generator keyed from an entropy pool that RDSEED,
 * RDRAND, devices (uk_random_add_entropy) and, as the last resort, timer
 * jitter feed. See <uk/random.h> and README.md.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <uk/arch/cpu.h>
#include <uk/init.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/random.h>
#include <uk/syscall.h>
#include "hash.h"

/* getrandom flags (Linux values) */
#define RND_GRND_NONBLOCK 0x1
#define RND_GRND_RANDOM	  0x2
#define RND_GRND_INSECURE 0x4

#define RDRAND_RETRIES 10
#define RDSEED_RETRIES 100
#define REKEY_BLOCKS   1024 /* new key at least every 64 KiB */
#define SEED_BITS      256  /* credited entropy that seeds the generator */
#define JITTER_WORDS   32   /* 64 timing samples each; 1 bit per 8 credited */
#define MAX_SOURCES    6

/* ---- ChaCha20 (RFC 8439) ---- */

static inline uint32_t rotl(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

#define QR(a, b, c, d)                           \
	do {                                     \
		a += b, d ^= a, d = rotl(d, 16); \
		c += d, b ^= c, b = rotl(b, 12); \
		a += b, d ^= a, d = rotl(d, 8);  \
		c += d, b ^= c, b = rotl(b, 7);  \
	} while (0)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void uk_chacha20_block(const uint8_t key[32], uint32_t counter,
		       const uint8_t nonce[12], uint8_t out[64])
{
	uint32_t in[16], x[16];

	in[0] = 0x61707865; /* "expand 32-byte k" */
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (int i = 0; i < 8; i++)
		in[4 + i] = le32(key + 4 * i);
	in[12] = counter;
	for (int i = 0; i < 3; i++)
		in[13 + i] = le32(nonce + 4 * i);
	memcpy(x, in, sizeof(x));
	for (int r = 0; r < 10; r++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++) {
		uint32_t v = x[i] + in[i];
		out[4 * i] = (uint8_t)v;
		out[4 * i + 1] = (uint8_t)(v >> 8);
		out[4 * i + 2] = (uint8_t)(v >> 16);
		out[4 * i + 3] = (uint8_t)(v >> 24);
	}
}

/* ---- CPU sources ---- */

static unsigned int hide;
static int probed, has_rdrand, has_rdseed;

static void probe(void)
{
	if (probed)
		return;
	/* x86_64: RDRAND, RDSEED; arm64: RNDR, RNDRRS (<uk/arch/cpu.h>) */
	has_rdrand = ukarch_rng_present();
	has_rdseed = ukarch_rng_seed_present();
	if (hide & UK_RANDOM_HIDE_RDRAND)
		has_rdrand = 0;
	if (hide & UK_RANDOM_HIDE_RDSEED)
		has_rdseed = 0;
	probed = 1;
}

/* One 64-bit word; 0 when the instruction kept failing. An all-ones
 * result counts as a failure (some CPUs' broken RDRAND returns it with
 * CF set). */
static int rdrand64(uint64_t *v)
{
	if (hide & UK_RANDOM_FAIL_RDRAND)
		return 0;
	for (int i = 0; i < RDRAND_RETRIES; i++) {
		if (ukarch_rng_u64(v) && *v != UINT64_MAX)
			return 1;
	}
	return 0;
}

static int rdseed64(uint64_t *v)
{
	for (int i = 0; i < RDSEED_RETRIES; i++) {
		if (ukarch_rng_seed_u64(v) && *v != UINT64_MAX)
			return 1;
		ukarch_spin_hint();
	}
	return 0;
}

/* ---- the pool and the generator ---- */

static struct {
	uint8_t pool[32]; /* BLAKE2s chain over everything mixed in */
	unsigned credit;  /* bits credited since the generator was last keyed */
	int seeded;
	int cpu_done; /* the CPU's instructions were asked */
	const char *src[MAX_SOURCES];
	unsigned nsrc;
	uint8_t key[32];
	uint8_t nonce[12];
	uint32_t ctr;
} g;

static char src_names[96];

static void note_source(const char *name)
{
	for (unsigned i = 0; i < g.nsrc; i++)
		if (!strcmp(g.src[i], name))
			return;
	if (g.nsrc < MAX_SOURCES)
		g.src[g.nsrc++] = name;
}

const char *uk_random_sources(void)
{
	size_t n = 0;

	if (!g.nsrc)
		return "none";
	src_names[0] = 0;
	for (unsigned i = 0; i < g.nsrc; i++) {
		size_t l = strlen(g.src[i]);
		if (n + l + 3 > sizeof(src_names))
			break;
		if (i) {
			memcpy(src_names + n, ", ", 2);
			n += 2;
		}
		memcpy(src_names + n, g.src[i], l);
		n += l;
		src_names[n] = 0;
	}
	return src_names;
}

int uk_random_seeded(void)
{
	return g.seeded;
}

/* key, nonce <- BLAKE2s(domain, old key, pool): whoever knew the old key
 * but not the pool learns nothing of the new one */
static void rekey_from_pool(void)
{
	struct uk_blake2s h;
	uint8_t out[32];

	uk_blake2s_init(&h);
	uk_blake2s_update(&h, "ukrandom nonce", 14);
	uk_blake2s_update(&h, g.key, sizeof(g.key));
	uk_blake2s_update(&h, g.pool, sizeof(g.pool));
	uk_blake2s_final(&h, out);
	memcpy(g.nonce, out, sizeof(g.nonce));
	uk_blake2s_init(&h);
	uk_blake2s_update(&h, "ukrandom key", 12);
	uk_blake2s_update(&h, g.key, sizeof(g.key));
	uk_blake2s_update(&h, g.pool, sizeof(g.pool));
	uk_blake2s_final(&h, g.key);
	g.ctr = 0;
	g.credit = 0;
	memset(out, 0, sizeof(out));
}

int uk_random_add_entropy(const void *buf, size_t len, unsigned bits,
			  const char *source)
{
	struct uk_blake2s h;
	uint64_t n = len;
	uint8_t nl;

	if ((!buf && len) || !source)
		return -EINVAL;
	if ((uint64_t)bits > 8 * n)
		bits = (unsigned)(8 * n);
	if (bits > SEED_BITS)
		bits = SEED_BITS; /* (and the credit cannot overflow) */
	nl = (uint8_t)strnlen(source, 255);
	/* pool <- BLAKE2s(pool, source name, length, bytes) */
	uk_blake2s_init(&h);
	uk_blake2s_update(&h, g.pool, sizeof(g.pool));
	uk_blake2s_update(&h, &nl, 1);
	uk_blake2s_update(&h, source, nl);
	uk_blake2s_update(&h, &n, sizeof(n));
	uk_blake2s_update(&h, buf, len);
	uk_blake2s_final(&h, g.pool);
	if (!bits)
		return 0;
	note_source(source);
	g.credit += bits;
	if (g.credit < SEED_BITS)
		return 0;
	rekey_from_pool();
	if (!g.seeded) {
		g.seeded = 1;
		uk_pr_info("seeded from %s\n", uk_random_sources());
	}
	return 0;
}

/* The clocks, the TSC and a stack address: no credit, but they keep two
 * boots (or two test runs) apart even when nothing else does. */
static void mix_clocks(void)
{
	uint64_t w[4];

	w[0] = ukplat_wall_clock();
	w[1] = ukplat_monotonic_clock();
	w[2] = ukarch_cycles();
	w[3] = (uint64_t)(uintptr_t)&w;
	uk_random_add_entropy(w, sizeof(w), 0, "clocks");
}

/* RDSEED words are full entropy; RDRAND's come from a DRBG the CPU reseeds
 * itself every few hundred bits, credited in full as well (as Linux does
 * with random.trust_cpu=on). Words whose instruction kept failing are
 * left out. */
static void collect_cpu(void)
{
	uint64_t w[8];
	unsigned n = 0;

	g.cpu_done = 1;
	probe();
	mix_clocks();
	if (has_rdseed) {
		for (int i = 0; i < 8; i++)
			if (rdseed64(&w[n]))
				n++;
		uk_random_add_entropy(w, n * sizeof(w[0]), 64 * n, "rdseed");
	}
	n = 0;
	if (has_rdrand) {
		for (int i = 0; i < 4; i++)
			if (rdrand64(&w[n]))
				n++;
		uk_random_add_entropy(w, n * sizeof(w[0]), 64 * n, "rdrand");
	}
	memset(w, 0, sizeof(w));
}

/* Timing jitter: the low bits of TSC deltas around memory accesses and
 * clock reads, 64 samples folded into each word. */
static void jitter(uint64_t *w, int nwords)
{
	static volatile uint8_t scratch[4096];
	uint64_t prev = ukarch_cycles();

	for (int i = 0; i < nwords; i++) {
		uint64_t acc = w[i];
		for (int k = 0; k < 64; k++) {
			uint64_t t;
			for (int j = 0; j < 16; j++)
				scratch[(prev >> (j & 7)) & 4095] ^=
					(uint8_t)(prev + (uint64_t)j);
			(void)ukplat_monotonic_clock();
			t = ukarch_cycles();
			acc = (acc << 7 | acc >> 57) ^ (t - prev);
			prev = t;
		}
		w[i] = acc;
	}
}

/* The last resort: 2048 timing samples credited 256 bits. Under a VMM
 * that exits on every TSC read, or with a coarse TSC, this is worth less
 * than it is credited: hence the warning. */
static void seed_from_jitter(void)
{
	uint64_t w[JITTER_WORDS] = {0};

	jitter(w, JITTER_WORDS);
	uk_pr_warn("no hardware entropy source (RDSEED, RDRAND, "
		   "virtio-rng): seeding from timer jitter, which may be weak "
		   "in a VM\n");
	uk_random_add_entropy(w, sizeof(w), SEED_BITS, "jitter");
	memset(w, 0, sizeof(w));
}

/* Seeded afterwards, unless `may_block` is 0 and only jitter (which takes
 * time: the equivalent of blocking) could do it. */
static int ensure_seeded(int may_block)
{
	if (g.seeded)
		return 1;
	if (!g.cpu_done)
		collect_cpu();
	if (g.seeded)
		return 1;
	if (!may_block)
		return 0;
	seed_from_jitter();
	return 1;
}

static void chacha_rekey(void)
{
	uint8_t block[64];

	uk_chacha20_block(g.key, g.ctr++, g.nonce, block);
	memcpy(g.key, block, 32);
	g.ctr = 0;
	memset(block, 0, sizeof(block));
}

/* UP: no lock; nothing preempts a request. */
static void chacha_fill(uint8_t *p, size_t len)
{
	uint8_t block[64];
	unsigned n = 0;

	while (len) {
		size_t c = len < 64 ? len : 64;
		uk_chacha20_block(g.key, g.ctr++, g.nonce, block);
		memcpy(p, block, c);
		p += c;
		len -= c;
		if (++n == REKEY_BLOCKS) {
			chacha_rekey();
			n = 0;
		}
	}
	chacha_rekey(); /* fast key erasure: the output cannot be recomputed */
	memset(block, 0, sizeof(block));
}

void uk_random_fill(void *buf, size_t len)
{
	ensure_seeded(1);
	chacha_fill(buf, len);
}

void uk_random_test_hide(unsigned int mask)
{
	hide = mask;
	probed = 0;
	memset(&g, 0, sizeof(g));
}

/* ---- boot ---- */

/* Before anything asks: the CPU's instructions (cheap, never block). */
static int ukrandom_early(void)
{
	if (!g.cpu_done)
		collect_cpu();
	return 0;
}
UK_INIT_CLASS(ukrandom_early, UK_INIT_EARLY, 1);

/* After the device drivers (virtio-rng probes at UK_INIT_LIB 1-2) and before
 * system services (lwIP's ISN secret): seeded from here on, whatever it
 * takes. */
static int ukrandom_seed_check(void)
{
	ensure_seeded(1);
	return 0;
}
UK_INIT_CLASS(ukrandom_seed_check, UK_INIT_LIB, 9);

/* ---- getrandom(2), Linux 5.6+ semantics ---- */

UK_SYSCALL_R_DEFINE(ssize_t, getrandom, void *, buf, size_t, len, unsigned int,
		    flags)
{
	if (flags & ~(unsigned)(RND_GRND_NONBLOCK | RND_GRND_RANDOM |
				RND_GRND_INSECURE))
		return -EINVAL;
	if ((flags & RND_GRND_INSECURE) && (flags & RND_GRND_RANDOM))
		return -EINVAL; /* as Linux */
	if (len > 0x7ffff000)
		len = 0x7ffff000; /* Linux's largest single transfer */
	if (!buf && len)
		return -EFAULT;
	/* GRND_RANDOM draws from the same generator (Linux removed the
	 * separate blocking pool in 5.6); GRND_INSECURE never waits, not
	 * even for a seed; otherwise an unseeded generator is "waited for"
	 * by seeding it from jitter, unless the caller cannot wait. */
	if (flags & RND_GRND_INSECURE) {
		if (!g.cpu_done)
			collect_cpu();
	} else if (!ensure_seeded(!(flags & RND_GRND_NONBLOCK))) {
		return -EAGAIN;
	}
	chacha_fill(buf, len);
	return (ssize_t)len;
}
