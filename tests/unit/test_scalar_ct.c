/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The constant-time scalar arithmetic (lib/crypto/scalar_ct.c) against
 * OpenSSL's BIGNUMs: the same results for edge values and many random ones
 * (TV_TEST_SEED repeats a run).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>

#include "helpers.h"
#include "internal.h"

#define RANDOM_ROUNDS 20000

static const uint8_t n_bytes[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
	0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

typedef struct ref {
	BN_CTX *bn;
	BIGNUM *n, *a, *b, *r;
} ref;

static void ref_init(ref *f)
{
	f->bn = BN_CTX_new();
	f->n = BN_bin2bn(n_bytes, 32, NULL);
	f->a = BN_new();
	f->b = BN_new();
	f->r = BN_new();
	assert_true(f->bn && f->n && f->a && f->b && f->r);
}

static void ref_free(ref *f)
{
	BN_CTX_free(f->bn);
	BN_free(f->n);
	BN_free(f->a);
	BN_free(f->b);
	BN_free(f->r);
}

static void bn_bytes(uint8_t out[32], const BIGNUM *x)
{
	assert_int_equal(BN_bn2binpad(x, out, 32), 32);
}

/* v = n + delta (delta may be negative), as 32 bytes; v must fit */
static void n_plus(uint8_t out[32], ref *f, long delta)
{
	BIGNUM *d = BN_new();

	assert_non_null(d);
	assert_true(BN_set_word(d, (BN_ULONG)(delta < 0 ? -delta : delta)));
	assert_true(delta < 0 ? BN_sub(d, f->n, d) : BN_add(d, f->n, d));
	bn_bytes(out, d);
	BN_free(d);
}

/* 32 test bytes: random, or with runs of 00 and ff limbs */
static void random_bytes(uint8_t out[32])
{
	uint64_t shape = test_rand();
	int i, b;

	for (i = 0; i < 4; i++) {
		uint64_t w = test_rand();

		switch ((shape >> (2 * i)) & 7) {
		case 0:
			w = 0;
			break;
		case 1:
			w = ~UINT64_C(0);
			break;
		default:
			break;
		}
		for (b = 0; b < 8; b++)
			out[8 * i + b] = (uint8_t)(w >> (56 - 8 * b));
	}
}

/* 32 bytes below n: random bytes reduced by BN */
static void random_below_n(uint8_t out[32], ref *f)
{
	BIGNUM *x = BN_new();

	assert_non_null(x);
	random_bytes(out);
	assert_non_null(BN_bin2bn(out, 32, x));
	assert_true(BN_nnmod(x, x, f->n, f->bn));
	bn_bytes(out, x);
	BN_free(x);
}

/* every operation on one pair (a, b) below n, and load/reduce on raw */
static void check_pair(ref *f, const uint8_t a[32], const uint8_t b[32])
{
	uint8_t want[32], got[32];
	tv__sc x, y, r;

	assert_true(tv__sc_load(&x, a) == ~UINT64_C(0));
	assert_true(tv__sc_load(&y, b) == ~UINT64_C(0));
	assert_non_null(BN_bin2bn(a, 32, f->a));
	assert_non_null(BN_bin2bn(b, 32, f->b));

	assert_true(BN_mod_add(f->r, f->a, f->b, f->n, f->bn));
	bn_bytes(want, f->r);
	tv__sc_add(&r, &x, &y);
	tv__sc_store(got, &r);
	assert_memory_equal(got, want, 32);

	assert_true(BN_mod_sub(f->r, f->a, f->b, f->n, f->bn));
	bn_bytes(want, f->r);
	tv__sc_sub(&r, &x, &y);
	tv__sc_store(got, &r);
	assert_memory_equal(got, want, 32);

	assert_true(BN_mod_mul(f->r, f->a, f->b, f->n, f->bn));
	bn_bytes(want, f->r);
	tv__sc_mul(&r, &x, &y);
	tv__sc_store(got, &r);
	assert_memory_equal(got, want, 32);

	assert_true(BN_mod_sub(f->r, f->n, f->a, f->n, f->bn)); /* -a */
	assert_true(BN_nnmod(f->r, f->r, f->n, f->bn));
	bn_bytes(want, f->r);
	tv__sc_neg(&r, &x);
	tv__sc_store(got, &r);
	assert_memory_equal(got, want, 32);

	/* aliasing: r is an input */
	r = x;
	tv__sc_mul(&r, &r, &y);
	tv__sc_add(&r, &r, &r);
	assert_true(BN_mod_mul(f->r, f->a, f->b, f->n, f->bn));
	assert_true(BN_mod_add(f->r, f->r, f->r, f->n, f->bn));
	bn_bytes(want, f->r);
	tv__sc_store(got, &r);
	assert_memory_equal(got, want, 32);

	assert_int_equal(tv__sc_is_zero(&x) != 0, BN_is_zero(f->a));
	tv__sc_select(&r, ~UINT64_C(0), &x, &y);
	assert_memory_equal(&r, &x, sizeof(r));
	tv__sc_select(&r, 0, &x, &y);
	assert_memory_equal(&r, &y, sizeof(r));
}

/* load, the below-n mask, reduce32 and reduce64 on any bytes */
static void check_raw(ref *f, const uint8_t in[64])
{
	uint8_t want[32], got[32];
	uint64_t mask;
	tv__sc r;

	assert_non_null(BN_bin2bn(in, 32, f->a));
	assert_true(BN_nnmod(f->r, f->a, f->n, f->bn));
	bn_bytes(want, f->r);
	mask = tv__sc_load(&r, in);
	tv__sc_store(got, &r);
	assert_memory_equal(got, want, 32);
	assert_true(mask == (BN_cmp(f->a, f->n) < 0 ? ~UINT64_C(0) : 0));
	assert_true(tv__sc_bytes_below_n(in) == mask);
	tv__sc_reduce32(&r, in);
	tv__sc_store(got, &r);
	assert_memory_equal(got, want, 32);

	assert_non_null(BN_bin2bn(in, 64, f->a));
	assert_true(BN_nnmod(f->r, f->a, f->n, f->bn));
	bn_bytes(want, f->r);
	tv__sc_reduce64(&r, in);
	tv__sc_store(got, &r);
	assert_memory_equal(got, want, 32);
}

static void edge_values_match_bignum(void **state)
{
	uint8_t v[12][32], raw[64];
	size_t i, j, count = 0;
	ref f;
	(void)state;

	ref_init(&f);
	memset(v[count++], 0, 32);                       /* 0 */
	memset(v[count], 0, 32), v[count++][31] = 1;     /* 1 */
	memset(v[count], 0, 32), v[count++][31] = 2;     /* 2 */
	n_plus(v[count++], &f, -1);                      /* n - 1 */
	n_plus(v[count++], &f, -2);                      /* n - 2 */
	n_plus(v[count++], &f, -3);                      /* n - 3 */
	memset(v[count], 0, 32), v[count++][0] = 0x80;   /* 2^255 */
	memset(v[count], 0xff, 32), v[count++][0] = 0x7f; /* 2^255 - 1 */
	memset(v[count], 0, 32), v[count][0] = 0x80, v[count++][31] = 1; /* 2^255 + 1 */
	memset(v[count], 0, 32), v[count++][15] = 1;     /* 2^128 */
	memset(v[count], 0, 32), v[count][0] = 0xff, v[count][1] = 0xff,
	v[count][2] = 0xff, v[count++][3] = 0xfe;        /* just below n's top limb */
	memset(v[count], 0, 28), memset(v[count++] + 28, 0xff, 4); /* 2^32 - 1 */
	for (i = 0; i < count; i++)
		for (j = 0; j < count; j++)
			check_pair(&f, v[i], v[j]);

	/* raw values at and above n, up to 2^256 - 1, and 64-byte ones */
	{
		long deltas[] = { -1, 0, 1, 2, 1000 };

		for (i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
			memset(raw, 0, sizeof(raw));
			n_plus(raw, &f, deltas[i]);
			check_raw(&f, raw);
			n_plus(raw + 32, &f, deltas[i]);
			check_raw(&f, raw);
		}
	}
	memset(raw, 0xff, sizeof(raw));
	check_raw(&f, raw); /* 2^512 - 1 */
	memset(raw, 0, sizeof(raw));
	check_raw(&f, raw);
	memcpy(raw, n_bytes, 32); /* n·2^256 */
	check_raw(&f, raw);
	for (i = 0; i < count; i++)
		for (j = 0; j < count; j++) {
			memcpy(raw, v[i], 32);
			memcpy(raw + 32, v[j], 32);
			check_raw(&f, raw);
		}
	ref_free(&f);
}

static void random_values_match_bignum(void **state)
{
	uint8_t a[32], b[32], raw[64];
	int i;
	ref f;
	(void)state;

	ref_init(&f);
	for (i = 0; i < RANDOM_ROUNDS; i++) {
		random_below_n(a, &f);
		random_below_n(b, &f);
		check_pair(&f, a, b);
		random_bytes(raw);
		random_bytes(raw + 32);
		check_raw(&f, raw);
	}
	ref_free(&f);
}

/* products near n^2: (n - i)(n - j) for small i, j */
static void products_near_n_squared(void **state)
{
	uint8_t a[32], b[32];
	long i, j;
	ref f;
	(void)state;

	ref_init(&f);
	for (i = 1; i <= 40; i++)
		for (j = 1; j <= 40; j++) {
			n_plus(a, &f, -i);
			n_plus(b, &f, -j);
			check_pair(&f, a, b);
		}
	ref_free(&f);
}

static void small_values_and_masks(void **state)
{
	uint8_t got[32], want[32], x[40], y[40];
	tv__sc r, s;
	uint32_t v;
	int i;
	(void)state;

	for (i = 0; i < 1000; i++) {
		v = i < 4 ? (uint32_t)i * 0x55555555u : (uint32_t)test_rand();
		tv__sc_set_u32(&r, v);
		memset(want, 0, 32);
		want[28] = (uint8_t)(v >> 24);
		want[29] = (uint8_t)(v >> 16);
		want[30] = (uint8_t)(v >> 8);
		want[31] = (uint8_t)v;
		tv__sc_store(got, &r);
		assert_memory_equal(got, want, 32);
		assert_true(tv__sc_is_zero(&r) == (v == 0 ? ~UINT64_C(0) : 0));
	}
	memset(&s, 0, sizeof(s));
	assert_true(tv__sc_is_zero(&s) == ~UINT64_C(0));
	s.d[3] = UINT64_C(1) << 63;
	assert_true(tv__sc_is_zero(&s) == 0);

	for (i = 0; i < 1000; i++) {
		size_t len = (size_t)(test_rand() % sizeof(x)), k;

		for (k = 0; k < sizeof(x); k++)
			x[k] = y[k] = (uint8_t)test_rand();
		assert_true(tv__ct_bytes_equal(x, y, len) == ~UINT64_C(0));
		if (len > 0) {
			k = (size_t)(test_rand() % len);
			y[k] ^= (uint8_t)(1u << (test_rand() % 8));
			assert_true(tv__ct_bytes_equal(x, y, len) == 0);
		}
	}
}

static void small_integer_masks(void **state)
{
	static const uint32_t edge[] = { 0, 1, 2, 31, 32, 0x7fffffffu, 0x80000000u,
	                                 0xfffffffeu, 0xffffffffu };
	size_t i, j;
	int k;
	(void)state;

	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		for (j = 0; j < sizeof(edge) / sizeof(edge[0]); j++) {
			uint32_t a = edge[i], b = edge[j];

			assert_true(tv__ct_eq_u32(a, b) == (a == b ? ~UINT64_C(0) : 0));
			assert_true(tv__ct_le_u32(a, b) == (a <= b ? ~UINT64_C(0) : 0));
		}
	for (k = 0; k < 10000; k++) {
		uint32_t a = (uint32_t)test_rand(), b = k % 3 ? (uint32_t)test_rand() : a;

		if (k % 5 == 0)
			b = a + 1;
		assert_true(tv__ct_eq_u32(a, b) == (a == b ? ~UINT64_C(0) : 0));
		assert_true(tv__ct_le_u32(a, b) == (a <= b ? ~UINT64_C(0) : 0));
	}
}

/* the bridge to OpenSSL: the same value, flagged constant time */
static void to_bn_keeps_the_value(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t in[32], out[32];
	BIGNUM *b = BN_new();
	tv__sc r;
	int i;
	(void)state;

	assert_non_null(b);
	for (i = 0; i < 200; i++) {
		random_bytes(in);
		if (i == 0)
			memset(in, 0, sizeof(in));
		tv__sc_reduce32(&r, in);
		assert_ok(ctx, tv__sc_to_bn(ctx, b, &r));
		assert_true(BN_get_flags(b, BN_FLG_CONSTTIME) != 0);
		assert_int_equal(BN_bn2binpad(b, out, 32), 32);
		tv__sc_store(in, &r);
		assert_memory_equal(out, in, 32);
	}
	BN_free(b);
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(edge_values_match_bignum),
		cmocka_unit_test(random_values_match_bignum),
		cmocka_unit_test(products_near_n_squared),
		cmocka_unit_test(small_values_and_masks),
		cmocka_unit_test(small_integer_masks),
		cmocka_unit_test(to_bn_keeps_the_value),
	};

	(void)test_seed();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
