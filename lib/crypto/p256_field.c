/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The field of P-256 (p256_field.h): inversion, batch inversion and the
 * byte conversions. Public data only; nothing here is constant time.
 */
#include <stddef.h>

#include "p256_field.h"

/* 2^256 mod p and 2^512 mod p: into Montgomery form is a product with R^2 */
const uint64_t tv__fe_one[4] = { 0x0000000000000001ull, 0xffffffff00000000ull,
	                         0xffffffffffffffffull, 0x00000000fffffffeull };
static const uint64_t fe_rr[4] = { 0x0000000000000003ull, 0xfffffffbffffffffull,
	                           0xfffffffffffffffeull, 0x00000004fffffffdull };

static void sqr_n(uint64_t r[4], const uint64_t a[4], int n)
{
	tv__fe_sqr(r, a);
	while (--n > 0)
		tv__fe_sqr(r, r);
}

/*
 * a^(p-2). In 32-bit words from the top, p - 2 is ffffffff 00000001
 * 00000000 00000000 00000000 ffffffff ffffffff fffffffd, so the chain
 * builds x_k = a^(2^k - 1) for k = 2, 3, 6, 12, 15, 30, 32 and then
 * shifts those runs of ones into place: 255 squarings, 13 products.
 */
void tv__fe_inv(uint64_t r[4], const uint64_t a[4])
{
	uint64_t x2[4], x3[4], x6[4], x12[4], x15[4], x30[4], x32[4], t[4];

	tv__fe_sqr(t, a);
	tv__fe_mul(x2, t, a);
	tv__fe_sqr(t, x2);
	tv__fe_mul(x3, t, a);
	sqr_n(t, x3, 3);
	tv__fe_mul(x6, t, x3);
	sqr_n(t, x6, 6);
	tv__fe_mul(x12, t, x6);
	sqr_n(t, x12, 3);
	tv__fe_mul(x15, t, x3);
	sqr_n(t, x15, 15);
	tv__fe_mul(x30, t, x15);
	sqr_n(t, x30, 2);
	tv__fe_mul(x32, t, x2);

	sqr_n(t, x32, 32);
	tv__fe_mul(t, t, a); /* ffffffff 00000001 */
	sqr_n(t, t, 128);
	tv__fe_mul(t, t, x32); /* ... 00000000 x3, ffffffff */
	sqr_n(t, t, 32);
	tv__fe_mul(t, t, x32); /* ffffffff */
	sqr_n(t, t, 30);
	tv__fe_mul(t, t, x30); /* 3fffffff */
	sqr_n(t, t, 2);
	tv__fe_mul(r, t, a); /* ...01: the last word is fffffffd */
}

void tv__fe_batch_inv(tv__fe *out, const tv__fe *in, tv__fe *scratch, size_t n)
{
	uint64_t acc[4], t[4];
	size_t i;

	if (n == 0)
		return;
	/* scratch[i] = in[0]···in[i] */
	tv__fe_copy(scratch[0], in[0]);
	for (i = 1; i < n; i++)
		tv__fe_mul(scratch[i], scratch[i - 1], in[i]);
	tv__fe_inv(acc, scratch[n - 1]);
	/* acc = (in[0]···in[i])^-1 on entry to each step */
	for (i = n - 1; i > 0; i--) {
		tv__fe_mul(t, acc, scratch[i - 1]);
		tv__fe_mul(acc, acc, in[i]);
		tv__fe_copy(out[i], t);
	}
	tv__fe_copy(out[0], acc);
}

static uint64_t load_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static void store_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

void tv__fe_from_bytes(uint64_t r[4], const uint8_t in[32])
{
	uint64_t t[4];

	for (int i = 0; i < 4; i++)
		t[i] = load_be64(in + 8 * (3 - i));
	tv__fe_mul(r, t, fe_rr);
}

void tv__fe_to_bytes(uint8_t out[32], const uint64_t a[4])
{
	static const uint64_t plain_one[4] = { 1, 0, 0, 0 };
	uint64_t t[4];

	tv__fe_mul(t, a, plain_one);
	for (int i = 0; i < 4; i++)
		store_be64(out + 8 * (3 - i), t[i]);
}

int tv__fe_bytes_below_p(const uint8_t in[32])
{
	static const uint8_t p_bytes[32] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};

	return memcmp(in, p_bytes, 32) < 0;
}
