/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Our own P-256 arithmetic (lib/crypto/p256*.c) against OpenSSL's EC_POINT,
 * byte for byte: decoding and its refusals, the accumulator, and the
 * multi-scalar multiplication on random and edge inputs (edge scalars,
 * repeated and cancelling points, sums through infinity, every size
 * around a change of window width or bucket mode).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "helpers.h"
#include "internal.h"
#include "p256.h"

static EC_GROUP *grp;
static BN_CTX *bnctx;

static int setup(void **state)
{
	(void)state;
	grp = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	bnctx = BN_CTX_new();
	return grp == NULL || bnctx == NULL;
}

static int teardown(void **state)
{
	(void)state;
	EC_GROUP_free(grp);
	BN_CTX_free(bnctx);
	return 0;
}

/* ---- inputs ---- */

static void random_bytes(uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(test_rand() >> 56);
}

static void sc_random(tv__sc *k)
{
	uint8_t b[32];

	random_bytes(b, sizeof(b));
	tv__sc_reduce32(k, b);
}

static void sc_random128(tv__sc *k)
{
	k->d[0] = test_rand();
	k->d[1] = test_rand();
	k->d[2] = 0;
	k->d[3] = 0;
}

static void sc_from_hex(tv__sc *k, const char *hex)
{
	BIGNUM *bn = NULL;
	uint8_t b[32];

	assert_true(BN_hex2bn(&bn, hex) > 0);
	assert_int_equal(BN_bn2binpad(bn, b, 32), 32);
	BN_free(bn);
	assert_true(tv__sc_load(k, b) != 0);
}

static void ec_to_bytes(uint8_t out[TV_POINT_BYTES], const EC_POINT *p)
{
	assert_int_equal(EC_POINT_point2oct(grp, p, POINT_CONVERSION_UNCOMPRESSED, out,
	                                    TV_POINT_BYTES, bnctx),
	                 TV_POINT_BYTES);
}

static void ec_from_affine(EC_POINT *p, const tv__p256_affine *a)
{
	uint8_t b[TV_POINT_BYTES];

	tv__p256_encode(b, a);
	assert_int_equal(EC_POINT_oct2point(grp, p, b, sizeof(b), bnctx), 1);
}

/* k·G for a random k, through OpenSSL and our decoder */
static void random_point(tv__p256_affine *out)
{
	EC_POINT *p = EC_POINT_new(grp);
	BIGNUM *k = BN_new();
	uint8_t b[TV_POINT_BYTES];

	assert_non_null(p);
	assert_non_null(k);
	assert_int_equal(BN_rand_range(k, EC_GROUP_get0_order(grp)), 1);
	if (BN_is_zero(k))
		assert_int_equal(BN_one(k), 1);
	assert_int_equal(EC_POINT_mul(grp, p, k, NULL, NULL, bnctx), 1);
	ec_to_bytes(b, p);
	assert_int_equal(tv__p256_decode(out, b), 1);
	EC_POINT_free(p);
	BN_free(k);
}

static void negate(tv__p256_affine *out, const tv__p256_affine *in)
{
	EC_POINT *p = EC_POINT_new(grp);
	uint8_t b[TV_POINT_BYTES];

	assert_non_null(p);
	ec_from_affine(p, in);
	assert_int_equal(EC_POINT_invert(grp, p, bnctx), 1);
	ec_to_bytes(b, p);
	assert_int_equal(tv__p256_decode(out, b), 1);
	EC_POINT_free(p);
}

/* ---- the oracle ---- */

/* Σ k_i·P_i by EC_POINT_mul and EC_POINT_add; returns 1 for infinity */
static int oracle_msm(uint8_t out[TV_POINT_BYTES], const tv__p256_affine *points,
                      const tv__sc *scalars, size_t n)
{
	EC_POINT *acc = EC_POINT_new(grp), *t = EC_POINT_new(grp), *p = EC_POINT_new(grp);
	BIGNUM *k = BN_new();
	int inf;

	assert_true(acc && t && p && k);
	assert_int_equal(EC_POINT_set_to_infinity(grp, acc), 1);
	for (size_t i = 0; i < n; i++) {
		uint8_t kb[32];

		tv__sc_store(kb, &scalars[i]);
		assert_non_null(BN_bin2bn(kb, 32, k));
		ec_from_affine(p, &points[i]);
		assert_int_equal(EC_POINT_mul(grp, t, NULL, p, k, bnctx), 1);
		assert_int_equal(EC_POINT_add(grp, acc, acc, t, bnctx), 1);
	}
	inf = EC_POINT_is_at_infinity(grp, acc);
	if (!inf)
		ec_to_bytes(out, acc);
	EC_POINT_free(acc);
	EC_POINT_free(t);
	EC_POINT_free(p);
	BN_free(k);
	return inf;
}

/* ours against the oracle; returns whether the sum was infinity */
static int check_msm(const tv__p256_affine *points, const tv__sc *scalars, size_t n)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t want[TV_POINT_BYTES], got[TV_POINT_BYTES];
	int want_inf, got_inf = -1;

	want_inf = oracle_msm(want, points, scalars, n);
	memset(got, 0xee, sizeof(got));
	assert_ok(ctx, tv__p256_msm(ctx, &got_inf, got, points, scalars, n));
	if (got_inf != want_inf)
		fail_msg("n = %zu: infinity %d, want %d", n, got_inf, want_inf);
	if (!want_inf && memcmp(got, want, sizeof(got)) != 0)
		fail_msg("n = %zu: the sums differ", n);
	/* without an output the answer is the same */
	got_inf = -1;
	assert_ok(ctx, tv__p256_msm(ctx, &got_inf, NULL, points, scalars, n));
	assert_int_equal(got_inf, want_inf);
	tv_ctx_free(ctx);
	return want_inf;
}

/* the ballot mix of SPEC §5.5: of every 18 scalars, 5 full and 13 short */
static void ballot_mix(tv__p256_affine *points, tv__sc *scalars, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		random_point(&points[i]);
		if (i % 18 < 5)
			sc_random(&scalars[i]);
		else
			sc_random128(&scalars[i]);
	}
}

/* ---- decoding ---- */

static const char *hex_p = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";

static void put_hex(uint8_t *out, const char *hex)
{
	for (size_t i = 0; i < strlen(hex) / 2; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static int ossl_decodes(const uint8_t in[TV_POINT_BYTES])
{
	EC_POINT *p = EC_POINT_new(grp);
	int ok;

	assert_non_null(p);
	ok = EC_POINT_oct2point(grp, p, in, TV_POINT_BYTES, bnctx) == 1;
	EC_POINT_free(p);
	return ok;
}

static void decode_matches_openssl(void **state)
{
	tv__p256_affine g, a;
	tv_point gp;
	uint8_t b[TV_POINT_BYTES], again[TV_POINT_BYTES];
	(void)state;

	tv__p256_generator(&g);
	tv__p256_encode(b, &g);
	tv_point_generator(&gp);
	assert_memory_equal(b, gp.bytes, TV_POINT_BYTES);
	assert_int_equal(tv__p256_decode(&a, gp.bytes), 1);
	assert_memory_equal(&a, &g, sizeof(a));

	for (int i = 0; i < 200; i++) {
		random_point(&a);
		tv__p256_encode(b, &a);
		assert_int_equal(tv__p256_decode(&g, b), 1);
		tv__p256_encode(again, &g);
		assert_memory_equal(again, b, sizeof(b));

		/* one bit flipped anywhere: the answer is OpenSSL's (and refusal) */
		int bit = (int)(test_rand() % (TV_POINT_BYTES * 8));

		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(tv__p256_decode(&g, b), b[0] == 4 && ossl_decodes(b));
		assert_int_equal(tv__p256_decode(&g, b), 0);
	}
	/* random bytes with the right prefix are almost never on the curve */
	for (int i = 0; i < 200; i++) {
		random_bytes(b, sizeof(b));
		b[0] = 4;
		assert_int_equal(tv__p256_decode(&a, b), ossl_decodes(b));
	}
}

static void decode_refuses(void **state)
{
	tv__p256_affine a, a_pt;
	tv_point gp;
	uint8_t b[TV_POINT_BYTES];
	static const uint8_t prefixes[] = { 0x00, 0x02, 0x03, 0x05, 0x06, 0x07, 0x84, 0xff };
	(void)state;

	tv_point_generator(&gp);
	for (size_t i = 0; i < sizeof(prefixes); i++) {
		memcpy(b, gp.bytes, sizeof(b));
		b[0] = prefixes[i];
		assert_int_equal(tv__p256_decode(&a, b), 0);
	}
	/* x or y at p, p + 1, 2^256 - 1 */
	for (int coord = 0; coord < 2; coord++) {
		memcpy(b, gp.bytes, sizeof(b));
		put_hex(b + 1 + 32 * coord, hex_p);
		assert_int_equal(tv__p256_decode(&a, b), 0);
		b[32 + 32 * coord] = 0x00; /* p + 1 (p ends in ff) */
		assert_int_equal(tv__p256_decode(&a, b), 0);
		memset(b + 1 + 32 * coord, 0xff, 32);
		assert_int_equal(tv__p256_decode(&a, b), 0);
	}
	/*
	 * (x, y) on the curve with a small x: x + p is the same residue and
	 * satisfies the equation mod p, but is out of range
	 */
	{
		BIGNUM *p = BN_new(), *ca = BN_new(), *b2 = BN_new(), *x = BN_new(),
		       *rhs = BN_new(), *y = BN_new();

		assert_true(p && ca && b2 && x && rhs && y);
		assert_int_equal(EC_GROUP_get_curve(grp, p, ca, b2, bnctx), 1);
		for (unsigned long xv = 0;; xv++) {
			assert_true(xv < 1000);
			assert_int_equal(BN_set_word(x, xv), 1);
			/* x^3 + a x + b */
			assert_int_equal(BN_mod_sqr(rhs, x, p, bnctx), 1);
			assert_int_equal(BN_mod_add(rhs, rhs, ca, p, bnctx), 1);
			assert_int_equal(BN_mod_mul(rhs, rhs, x, p, bnctx), 1);
			assert_int_equal(BN_mod_add(rhs, rhs, b2, p, bnctx), 1);
			if (BN_mod_sqrt(y, rhs, p, bnctx) != NULL)
				break;
		}
		memset(b, 0, sizeof(b));
		b[0] = 4;
		assert_int_equal(BN_bn2binpad(x, b + 1, 32), 32);
		assert_int_equal(BN_bn2binpad(y, b + 33, 32), 32);
		assert_int_equal(tv__p256_decode(&a_pt, b), 1);
		assert_int_equal(BN_add(x, x, p), 1);
		assert_int_equal(BN_bn2binpad(x, b + 1, 32), 32);
		assert_int_equal(tv__p256_decode(&a_pt, b), 0);
		BN_free(p);
		BN_free(ca);
		BN_free(b2);
		BN_free(x);
		BN_free(rhs);
		BN_free(y);
	}
	/* the point at infinity's zeros and off-curve (G with y + 1) */
	memset(b, 0, sizeof(b));
	b[0] = 4;
	assert_int_equal(tv__p256_decode(&a, b), 0);
	memcpy(b, gp.bytes, sizeof(b));
	b[64] ^= 1;
	assert_int_equal(tv__p256_decode(&a, b), 0);
}

/* ---- the accumulator ---- */

static void acc_matches_openssl(void **state)
{
	tv__p256_affine p, q, np;
	tv__p256_acc acc, other;
	EC_POINT *want = EC_POINT_new(grp), *t = EC_POINT_new(grp);
	uint8_t got[TV_POINT_BYTES], wb[TV_POINT_BYTES];
	(void)state;

	assert_true(want && t);
	random_point(&p);
	random_point(&q);
	negate(&np, &p);
	tv__p256_acc_init(&acc);
	assert_int_equal(tv__p256_acc_get(got, &acc), 0);

	/* P + P: a doubling inside an addition */
	tv__p256_acc_add(&acc, &p);
	tv__p256_acc_add(&acc, &p);
	ec_from_affine(t, &p);
	assert_int_equal(EC_POINT_dbl(grp, want, t, bnctx), 1);
	ec_to_bytes(wb, want);
	assert_int_equal(tv__p256_acc_get(got, &acc), 1);
	assert_memory_equal(got, wb, sizeof(got));

	/* 2P - P - P = infinity, then back out of it */
	tv__p256_acc_sub(&acc, &p);
	tv__p256_acc_add(&acc, &np);
	assert_int_equal(tv__p256_acc_get(got, &acc), 0);
	tv__p256_acc_add(&acc, &q);
	tv__p256_acc_get(got, &acc);
	tv__p256_encode(wb, &q);
	assert_memory_equal(got, wb, sizeof(got));

	/* acc (= Q) plus an accumulator holding Q: doubling; holding -Q: infinity */
	tv__p256_acc_init(&other);
	tv__p256_acc_add(&other, &q);
	tv__p256_acc_add(&other, &p); /* Z != 1 */
	tv__p256_acc_sub(&other, &p);
	tv__p256_acc_add_acc(&acc, &other);
	ec_from_affine(t, &q);
	assert_int_equal(EC_POINT_dbl(grp, want, t, bnctx), 1);
	ec_to_bytes(wb, want);
	assert_int_equal(tv__p256_acc_get(got, &acc), 1);
	assert_memory_equal(got, wb, sizeof(got));
	tv__p256_acc_init(&other);
	tv__p256_acc_sub(&other, &q);
	tv__p256_acc_sub(&other, &q);
	tv__p256_acc_add_acc(&acc, &other);
	assert_int_equal(tv__p256_acc_get(got, &acc), 0);

	/* a random walk of adds and subs */
	assert_int_equal(EC_POINT_set_to_infinity(grp, want), 1);
	tv__p256_acc_init(&acc);
	for (int i = 0; i < 300; i++) {
		int sub = (int)(test_rand() & 1);

		if (test_rand() % 4 == 0)
			p = q; /* repeats */
		else
			random_point(&p);
		q = p;
		ec_from_affine(t, &p);
		if (sub) {
			tv__p256_acc_sub(&acc, &p);
			assert_int_equal(EC_POINT_invert(grp, t, bnctx), 1);
		} else {
			tv__p256_acc_add(&acc, &p);
		}
		assert_int_equal(EC_POINT_add(grp, want, want, t, bnctx), 1);
		if (EC_POINT_is_at_infinity(grp, want)) {
			assert_int_equal(tv__p256_acc_get(got, &acc), 0);
		} else {
			ec_to_bytes(wb, want);
			assert_int_equal(tv__p256_acc_get(got, &acc), 1);
			assert_memory_equal(got, wb, sizeof(got));
		}
	}
	EC_POINT_free(want);
	EC_POINT_free(t);
}

/* ---- multi-scalar multiplication ---- */

static const char *const edge_scalars[] = {
	"0",
	"1",
	"2",
	"3",
	"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550", /* n - 1 */
	"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254f", /* n - 2 */
	"ffffffffffffffffffffffffffffffff",                                 /* 2^128 - 1 */
	"100000000000000000000000000000000",                                /* 2^128 */
	"8000000000000000000000000000000000000000000000000000000000000000", /* 2^255 */
	"8000000000000000000000000000000000000000000000000000000000000001",
	"7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"ffffffff00000000000000000000000000000000000000000000000000000000",
	"ffffffff00000000ffffffffffffffff00000000000000000000000000000000",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"5555555555555555555555555555555555555555555555555555555555555555",
	"8080808080808080808080808080808080808080808080808080808080808080",
	"ffff",
	"10000",
	"8000",
};
#define EDGE_COUNT (sizeof(edge_scalars) / sizeof(edge_scalars[0]))

static void msm_small_sizes(void **state)
{
	tv__p256_affine points[40];
	tv__sc scalars[40];
	tv_ctx *ctx = test_ctx_new();
	int inf = -1;
	(void)state;

	assert_ok(ctx, tv__p256_msm(ctx, &inf, NULL, points, scalars, 0));
	assert_int_equal(inf, 1);
	tv_ctx_free(ctx);
	for (size_t n = 1; n <= 40; n++) {
		ballot_mix(points, scalars, n);
		check_msm(points, scalars, n);
	}
}

static void msm_edge_scalars(void **state)
{
	tv__p256_affine points[EDGE_COUNT * 8];
	tv__sc scalars[EDGE_COUNT * 8];
	(void)state;

	/* each edge scalar alone, on G and on a random point */
	for (size_t i = 0; i < EDGE_COUNT; i++) {
		sc_from_hex(&scalars[0], edge_scalars[i]);
		tv__p256_generator(&points[0]);
		check_msm(points, scalars, 1);
		random_point(&points[0]);
		check_msm(points, scalars, 1);
	}
	/* all of them together, in both bucket modes */
	for (size_t rep = 0; rep < 8; rep++)
		for (size_t i = 0; i < EDGE_COUNT; i++) {
			sc_from_hex(&scalars[rep * EDGE_COUNT + i], edge_scalars[i]);
			random_point(&points[rep * EDGE_COUNT + i]);
		}
	check_msm(points, scalars, EDGE_COUNT);
	check_msm(points, scalars, EDGE_COUNT * 8);
	/* the same point with every edge scalar */
	for (size_t i = 1; i < EDGE_COUNT * 8; i++)
		points[i] = points[0];
	check_msm(points, scalars, EDGE_COUNT);
	check_msm(points, scalars, EDGE_COUNT * 8);
}

/*
 * Sums that are infinity, or pass through it: P and -P with one scalar,
 * P twice with k and n - k, and pairs of equal points with equal scalars
 * (each pair a doubling inside a bucket), at sizes in both bucket modes.
 */
static void msm_cancellation_and_repeats(void **state)
{
	static const size_t sizes[] = { 2, 4, 6, 20, 64, 66, 200, 1000 };
	tv__p256_affine *points = test_malloc(1000 * sizeof(*points));
	tv__sc *scalars = test_malloc(1000 * sizeof(*scalars));
	tv__sc one;
	(void)state;

	sc_from_hex(&one, "1");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];

		/* P_i and -P_i, same scalar: infinity */
		for (size_t i = 0; i < n; i += 2) {
			random_point(&points[i]);
			negate(&points[i + 1], &points[i]);
			if (i % 4 == 0)
				sc_random(&scalars[i]);
			else
				sc_random128(&scalars[i]);
			scalars[i + 1] = scalars[i];
		}
		assert_int_equal(check_msm(points, scalars, n), 1);
		/* P_i twice, k and n - k: infinity */
		for (size_t i = 0; i < n; i += 2) {
			points[i + 1] = points[i];
			tv__sc_neg(&scalars[i + 1], &scalars[i]);
		}
		assert_int_equal(check_msm(points, scalars, n), 1);
		/* P_i twice, same k: 2·Σ */
		for (size_t i = 0; i < n; i += 2)
			scalars[i + 1] = scalars[i];
		assert_int_equal(check_msm(points, scalars, n), 0);
		/* one point n times, scalar 1 (every bucket addition a doubling) */
		for (size_t i = 0; i < n; i++) {
			points[i] = points[0];
			scalars[i] = one;
		}
		assert_int_equal(check_msm(points, scalars, n), 0);
		/* and then its negation n times: infinity */
		for (size_t i = n / 2; i < n; i++)
			negate(&points[i], &points[0]);
		assert_int_equal(check_msm(points, scalars, n), 1);
		/* ±G with small random scalars: many equal x in one bucket */
		for (size_t i = 0; i < n; i++) {
			tv__p256_generator(&points[i]);
			if (test_rand() & 1)
				negate(&points[i], &points[i]);
			sc_from_hex(&scalars[i], "1");
			scalars[i].d[0] = 1 + test_rand() % 5;
		}
		check_msm(points, scalars, n);
	}
	test_free(points);
	test_free(scalars);
}

/* the sizes where the window width or the bucket mode changes, and odd ones */
static void msm_sizes_around_changes(void **state)
{
	static const size_t sizes[] = { 7,   8,   9,   31,  32,  33,  63,   64,   65,  127,
		                        128, 129, 511, 512, 513, 2047, 2048, 2049, 8193 };
	tv__p256_affine *points = test_malloc(8193 * sizeof(*points));
	tv__sc *scalars = test_malloc(8193 * sizeof(*scalars));
	(void)state;

	ballot_mix(points, scalars, 8193);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		check_msm(points, scalars, sizes[s]);
	test_free(points);
	test_free(scalars);
}

/* every window width and both bucket modes, forced, against one oracle */
static void msm_forced_choices(void **state)
{
	static const size_t sizes[] = { 1, 2, 17, 100, 700 };
	static const unsigned widths[] = { 2, 3, 5, 8, 11, 14 };
	tv__p256_affine *points = test_malloc(700 * sizeof(*points));
	tv__sc *scalars = test_malloc(700 * sizeof(*scalars));
	tv_ctx *ctx = test_ctx_new();
	(void)state;

	ballot_mix(points, scalars, 700);
	/* a cancelling pair and a repeat among them */
	negate(&points[1], &points[0]);
	scalars[1] = scalars[0];
	points[16] = points[15];
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint8_t want[TV_POINT_BYTES], got[TV_POINT_BYTES];
		int want_inf = oracle_msm(want, points, scalars, sizes[s]);

		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (int affine = 0; affine <= 1; affine++) {
				int got_inf = -1;

				assert_ok(ctx, tv__p256_msm_tuned(ctx, &got_inf, got, points, scalars,
				                                  sizes[s], widths[w], affine));
				if (got_inf != want_inf ||
				    (!want_inf && memcmp(got, want, sizeof(got)) != 0))
					fail_msg("n = %zu, c = %u, affine = %d: wrong sum", sizes[s],
					         widths[w], affine);
			}
	}
	tv_ctx_free(ctx);
	test_free(points);
	test_free(scalars);
}

static void msm_ten_thousand(void **state)
{
	size_t n = 10000;
	tv__p256_affine *points = test_malloc(n * sizeof(*points));
	tv__sc *scalars = test_malloc(n * sizeof(*scalars));
	(void)state;

	ballot_mix(points, scalars, n);
	check_msm(points, scalars, n);
	/* full-width scalars throughout */
	for (size_t i = 0; i < n; i++)
		sc_random(&scalars[i]);
	check_msm(points, scalars, n);
	test_free(points);
	test_free(scalars);
}

/*
 * A batch equation that holds: Σ k_i·(r_i·G) + (-Σ k_i r_i)·G is infinity,
 * with 1000 terms, so the sum reaches infinity only at the very end.
 */
static void msm_batch_equation_holds(void **state)
{
	size_t n = 1001;
	tv__p256_affine *points = test_malloc(n * sizeof(*points));
	tv__sc *scalars = test_malloc(n * sizeof(*scalars));
	tv__sc total, r, t;
	EC_POINT *p = EC_POINT_new(grp);
	tv_ctx *ctx = test_ctx_new();
	int inf = -1;
	(void)state;

	assert_non_null(p);
	memset(&total, 0, sizeof(total));
	for (size_t i = 0; i + 1 < n; i++) {
		uint8_t b[32], pb[TV_POINT_BYTES];
		BIGNUM *bn;

		sc_random(&r);
		if (tv__sc_is_zero(&r))
			sc_from_hex(&r, "1");
		tv__sc_store(b, &r);
		bn = BN_bin2bn(b, 32, NULL);
		assert_non_null(bn);
		assert_int_equal(EC_POINT_mul(grp, p, bn, NULL, NULL, bnctx), 1);
		BN_free(bn);
		ec_to_bytes(pb, p);
		assert_int_equal(tv__p256_decode(&points[i], pb), 1);
		sc_random128(&scalars[i]);
		tv__sc_mul(&t, &scalars[i], &r);
		tv__sc_add(&total, &total, &t);
	}
	tv__p256_generator(&points[n - 1]);
	tv__sc_neg(&scalars[n - 1], &total);
	assert_ok(ctx, tv__p256_msm(ctx, &inf, NULL, points, scalars, n));
	assert_int_equal(inf, 1);
	/* one weight off by one: not infinity */
	tv__sc_add(&scalars[3], &scalars[3], &(tv__sc){ { 1, 0, 0, 0 } });
	assert_ok(ctx, tv__p256_msm(ctx, &inf, NULL, points, scalars, n));
	assert_int_equal(inf, 0);
	tv_ctx_free(ctx);
	EC_POINT_free(p);
	test_free(points);
	test_free(scalars);
}

/* several threads at once, each with its own context, on shared inputs */
struct thread_job {
	const tv__p256_affine *points;
	const tv__sc *scalars;
	size_t n;
	uint8_t sum[TV_POINT_BYTES];
	int inf;
	tv_status status;
};

static void *thread_msm(void *arg)
{
	struct thread_job *job = arg;
	tv_ctx *ctx = NULL;

	job->status = tv_ctx_new(&ctx, NULL);
	for (int i = 0; job->status == TV_OK && i < 5; i++)
		job->status = tv__p256_msm(ctx, &job->inf, job->sum, job->points, job->scalars,
		                           job->n);
	tv_ctx_free(ctx);
	return NULL;
}

static void msm_threads(void **state)
{
	size_t n = 1500;
	tv__p256_affine *points = test_malloc(n * sizeof(*points));
	tv__sc *scalars = test_malloc(n * sizeof(*scalars));
	struct thread_job jobs[4];
	pthread_t threads[4];
	uint8_t want[TV_POINT_BYTES];
	(void)state;

	ballot_mix(points, scalars, n);
	assert_int_equal(oracle_msm(want, points, scalars, n), 0);
	for (int t = 0; t < 4; t++) {
		jobs[t] = (struct thread_job){ .points = points, .scalars = scalars,
			                       .n = n - (size_t)t * 300 };
		assert_int_equal(pthread_create(&threads[t], NULL, thread_msm, &jobs[t]), 0);
	}
	for (int t = 0; t < 4; t++) {
		assert_int_equal(pthread_join(threads[t], NULL), 0);
		assert_int_equal(jobs[t].status, TV_OK);
		assert_int_equal(jobs[t].inf, 0);
	}
	assert_memory_equal(jobs[0].sum, want, sizeof(want));
	for (int t = 1; t < 4; t++) {
		uint8_t w[TV_POINT_BYTES];

		assert_int_equal(oracle_msm(w, points, scalars, jobs[t].n), 0);
		assert_memory_equal(jobs[t].sum, w, sizeof(w));
	}
	test_free(points);
	test_free(scalars);
}

static void msm_out_of_memory(void **state)
{
	tv__p256_affine points[100];
	tv__sc scalars[100];
	long count;
	(void)state;

	ballot_mix(points, scalars, 100);
	for (long fail_after = 1;; fail_after++) {
		tv_ctx *ctx = test_ctx_new_failing(fail_after, &count);
		int inf = -1;
		tv_status st;

		assert_non_null(ctx);
		st = tv__p256_msm(ctx, &inf, NULL, points, scalars, 100);
		tv_ctx_free(ctx);
		if (st == TV_OK)
			break;
		assert_int_equal(st, TV_ERR_NOMEM);
		assert_true(fail_after < 100);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_matches_openssl),
		cmocka_unit_test(decode_refuses),
		cmocka_unit_test(acc_matches_openssl),
		cmocka_unit_test(msm_small_sizes),
		cmocka_unit_test(msm_edge_scalars),
		cmocka_unit_test(msm_cancellation_and_repeats),
		cmocka_unit_test(msm_sizes_around_changes),
		cmocka_unit_test(msm_forced_choices),
		cmocka_unit_test(msm_ten_thousand),
		cmocka_unit_test(msm_batch_equation_holds),
		cmocka_unit_test(msm_threads),
		cmocka_unit_test(msm_out_of_memory),
	};

	(void)test_seed();
	return cmocka_run_group_tests(tests, setup, teardown);
}
