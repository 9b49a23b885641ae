/* SPDX-License-Identifier: BSD-3-Clause */
/* Random bytes: RDRAND, or ChaCha20 seeded from RDSEED or timing jitter. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <uk/arch/x86_64.h>
#include <uk/plat/time.h>
#include <uk/random.h>
#include <uk/syscall.h>

/* getrandom flags (Linux values) */
#define RND_GRND_NONBLOCK 0x1
#define RND_GRND_RANDOM	  0x2
#define RND_GRND_INSECURE 0x4

#define RDRAND_RETRIES 10
#define RDSEED_RETRIES 100
#define REKEY_BLOCKS   1024 /* new key at least every 64 KiB */

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
	uint32_t r[4];

	if (probed)
		return;
	ukarch_cpuid(0, r);
	unsigned max = r[0];
	ukarch_cpuid(1, r);
	has_rdrand = (r[2] >> 30) & 1;
	has_rdseed = 0;
	if (max >= 7) {
		ukarch_cpuid(7, r);
		has_rdseed = (r[1] >> 18) & 1;
	}
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
		unsigned char ok;
		__asm__ __volatile__("rdrand %0; setc %1"
				     : "=r"(*v), "=qm"(ok)::"cc");
		if (ok && *v != UINT64_MAX)
			return 1;
	}
	return 0;
}

static int rdseed64(uint64_t *v)
{
	for (int i = 0; i < RDSEED_RETRIES; i++) {
		unsigned char ok;
		__asm__ __volatile__("rdseed %0; setc %1"
				     : "=r"(*v), "=qm"(ok)::"cc");
		if (ok && *v != UINT64_MAX)
			return 1;
		__asm__ __volatile__("pause");
	}
	return 0;
}

/* ---- the ChaCha20 generator ---- */

static struct {
	int seeded;
	int from_rdseed;
	uint8_t key[32];
	uint8_t nonce[12];
	uint32_t ctr;
} g;

/* Timing jitter: the low bits of TSC deltas around memory accesses and
 * clock reads, folded into `w` words. */
static void jitter(uint64_t *w, int nwords)
{
	static volatile uint8_t scratch[4096];
	uint64_t prev = ukarch_rdtsc();

	for (int i = 0; i < nwords; i++) {
		uint64_t acc = w[i];
		for (int k = 0; k < 64; k++) {
			uint64_t t;
			for (int j = 0; j < 16; j++)
				scratch[(prev >> (j & 7)) & 4095] ^=
					(uint8_t)(prev + (uint64_t)j);
			(void)ukplat_monotonic_clock();
			t = ukarch_rdtsc();
			acc = (acc << 7 | acc >> 57) ^ (t - prev);
			prev = t;
		}
		w[i] = acc;
	}
}

static void seed(void)
{
	uint64_t w[8] = {0};
	uint8_t block[64], material[32];
	int rdseed_ok = 0;

	probe();
	if (has_rdseed) {
		rdseed_ok = 1;
		for (int i = 0; i < 8; i++)
			if (!rdseed64(&w[i]))
				rdseed_ok = 0;
	}
	/* always mix in the clocks and jitter: they cost little and keep a
	 * failing RDSEED from leaving zero words */
	w[0] ^= ukplat_wall_clock();
	w[1] ^= ukplat_monotonic_clock();
	w[2] ^= ukarch_rdtsc();
	w[3] ^= (uint64_t)(uintptr_t)&w; /* stack address */
	if (!rdseed_ok)
		jitter(w, 8);
	memcpy(material, w, sizeof(material));
	for (int i = 0; i < 32; i++)
		material[i] ^= ((uint8_t *)w)[32 + i];
	/* whiten: key = ChaCha20(material ^ old key) */
	for (int i = 0; i < 32; i++)
		material[i] ^= g.key[i];
	memcpy(g.nonce, &w[4], sizeof(g.nonce));
	uk_chacha20_block(material, 0, g.nonce, block);
	memcpy(g.key, block, 32);
	memcpy(g.nonce, block + 32, 12);
	g.ctr = 0;
	g.from_rdseed = rdseed_ok;
	g.seeded = 1;
	memset(block, 0, sizeof(block));
	memset(material, 0, sizeof(material));
	memset(w, 0, sizeof(w));
}

static void rekey(void)
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

	if (!g.seeded)
		seed();
	while (len) {
		size_t c = len < 64 ? len : 64;
		uk_chacha20_block(g.key, g.ctr++, g.nonce, block);
		memcpy(p, block, c);
		p += c;
		len -= c;
		if (++n == REKEY_BLOCKS) {
			rekey();
			n = 0;
		}
	}
	rekey(); /* fast key erasure: the output cannot be recomputed */
	memset(block, 0, sizeof(block));
}

void uk_random_fill(void *buf, size_t len)
{
	uint8_t *p = buf;

	probe();
	if (!has_rdrand) {
		chacha_fill(p, len);
		return;
	}
	while (len) {
		uint64_t v;
		size_t c = len < 8 ? len : 8;
		if (!rdrand64(&v))
			chacha_fill((uint8_t *)&v, sizeof(v));
		memcpy(p, &v, c);
		p += c;
		len -= c;
	}
}

const char *uk_random_source(void)
{
	probe();
	if (has_rdrand && !(hide & UK_RANDOM_FAIL_RDRAND))
		return "rdrand";
	if (!g.seeded)
		seed();
	return g.from_rdseed ? "chacha20 (rdseed seed)"
			     : "chacha20 (jitter seed)";
}

void uk_random_test_hide(unsigned int mask)
{
	hide = mask;
	probed = 0;
	g.seeded = 0;
}

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
	/* never blocks: the generator is ready from the first call */
	uk_random_fill(buf, len);
	return (ssize_t)len;
}
