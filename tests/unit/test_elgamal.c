/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §4: exponential ElGamal. */
#include <string.h>

#include "fixed_base.h"
#include "helpers.h"

typedef struct keypair {
	tv_scalar secret;
	tv_point pub;
} keypair;

static void keygen(tv_ctx *ctx, keypair *kp)
{
	assert_ok(ctx, tv_scalar_random(ctx, &kp->secret));
	assert_ok(ctx, tv_point_base_mul(ctx, &kp->pub, &kp->secret));
}

static void encrypt_then_decrypt(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	keypair kp;
	tv_ciphertext ct;
	tv_scalar r;
	uint32_t v, got;
	(void)state;

	keygen(ctx, &kp);
	for (v = 0; v < 6; v++) {
		assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &kp.pub, v));
		assert_ok(ctx, tv_elgamal_decrypt(ctx, &got, &ct, &kp.secret, 10));
		assert_int_equal(got, v);
	}
	/* beyond the search bound */
	assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &kp.pub, 11));
	assert_status(ctx, tv_elgamal_decrypt(ctx, &got, &ct, &kp.secret, 10), TV_ERR_RANGE_INVALID);
	tv_ctx_free(ctx);
}

/*
 * The election key's fixed-base table (intake) gives the ciphertext the
 * plain encryption gives with the same nonce, which decrypts; and refuses a
 * key that is not a point.
 */
static void fixed_base_encrypts_the_same(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv__fixed_base *fb = NULL;
	keypair kp;
	tv_ciphertext ct, again;
	tv_scalar r;
	tv_point bad;
	uint32_t v, got;
	(void)state;

	keygen(ctx, &kp);
	assert_ok(ctx, tv__fixed_base_new(ctx, &fb, &kp.pub));
	assert_memory_equal(tv__fixed_base_point(fb)->bytes, kp.pub.bytes, TV_POINT_BYTES);
#if defined(__x86_64__)
	assert_true(tv__fixed_base_precomputed(fb));
#endif
	for (v = 0; v < 4; v++) {
		assert_ok(ctx, tv__elgamal_encrypt_fixed(ctx, &ct, &r, fb, v));
		assert_ok(ctx, tv_elgamal_encrypt_with_nonce(ctx, &again, &kp.pub, v, &r));
		assert_memory_equal(&again, &ct, sizeof(ct));
		assert_ok(ctx, tv_elgamal_decrypt(ctx, &got, &ct, &kp.secret, 10));
		assert_int_equal(got, v);
	}
	tv__fixed_base_free(fb);
	fb = NULL;
	bad = kp.pub;
	bad.bytes[TV_POINT_BYTES - 1] ^= 1;
	assert_int_not_equal(tv__fixed_base_new(ctx, &fb, &bad), TV_OK);
	assert_null(fb);
	tv_ctx_free(ctx);
}

/*
 * The discrete log (baby-step giant-step, SPEC §4.4): every value at and
 * around each bound's step boundaries is found, and exactly the values
 * above the bound are not.
 */
static void decrypt_finds_every_value_up_to_the_bound(void **state)
{
	static const uint32_t bounds[] = { 0, 1, 2, 3, 4, 8, 9, 15, 16, 17, 20000, 1000003 };
	tv_ctx *ctx = test_ctx_new();
	keypair kp;
	tv_ciphertext ct;
	tv_scalar r;
	uint32_t got, max, v, m;
	size_t b;
	(void)state;

	keygen(ctx, &kp);
	for (b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++) {
		max = bounds[b];
		for (m = 1; (uint64_t)m * m <= max; m++)
			;
		/* small bounds: every value; large ones: around the steps */
		uint32_t probe[] = { 0, 1, m - 1, m, m + 1, 2 * m - 1, max / 2, max - 1, max };
		for (v = 0; v < sizeof(probe) / sizeof(probe[0]) + (max < 40 ? max + 1 : 0); v++) {
			uint32_t value = v < sizeof(probe) / sizeof(probe[0]) ?
			                 probe[v] : v - (uint32_t)(sizeof(probe) / sizeof(probe[0]));

			if (value > max)
				continue;
			assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &kp.pub, value));
			assert_ok(ctx, tv_elgamal_decrypt(ctx, &got, &ct, &kp.secret, max));
			assert_int_equal(got, value);
		}
		assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &kp.pub, max + 1));
		assert_status(ctx, tv_elgamal_decrypt(ctx, &got, &ct, &kp.secret, max),
		              TV_ERR_RANGE_INVALID);
		assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &kp.pub, max + m));
		assert_status(ctx, tv_elgamal_decrypt(ctx, &got, &ct, &kp.secret, max),
		              TV_ERR_RANGE_INVALID);
	}
	/* the largest bound: 65536 baby steps, and the largest value */
	assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &kp.pub, UINT32_MAX));
	assert_ok(ctx, tv_elgamal_decrypt(ctx, &got, &ct, &kp.secret, UINT32_MAX));
	assert_int_equal(got, UINT32_MAX);
	tv_ctx_free(ctx);
}

static void encryption_is_randomised_and_reproducible(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	keypair kp;
	tv_ciphertext a, b, c;
	tv_scalar r1, r2;
	(void)state;

	keygen(ctx, &kp);
	assert_ok(ctx, tv_elgamal_encrypt(ctx, &a, &r1, &kp.pub, 1));
	assert_ok(ctx, tv_elgamal_encrypt(ctx, &b, &r2, &kp.pub, 1));
	assert_memory_not_equal(&a, &b, sizeof(a));
	/* the nonce opens the ciphertext (Benaloh challenge) */
	assert_ok(ctx, tv_elgamal_encrypt_with_nonce(ctx, &c, &kp.pub, 1, &r1));
	assert_memory_equal(&a, &c, sizeof(a));
	assert_ok(ctx, tv_elgamal_encrypt_with_nonce(ctx, &c, &kp.pub, 0, &r1));
	assert_memory_equal(&a.alpha, &c.alpha, sizeof(a.alpha));
	assert_memory_not_equal(&a.beta, &c.beta, sizeof(a.beta));
	tv_ctx_free(ctx);
}

static void addition_is_homomorphic(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	keypair kp;
	tv_ciphertext sum, ct;
	tv_scalar r;
	uint32_t i, got, total = 0;
	(void)state;

	keygen(ctx, &kp);
	assert_ok(ctx, tv_elgamal_encrypt(ctx, &sum, &r, &kp.pub, 0));
	for (i = 0; i < 20; i++) {
		uint32_t v = (uint32_t)(test_rand() & 1);

		assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &kp.pub, v));
		assert_ok(ctx, tv_ciphertext_add(ctx, &sum, &sum, &ct)); /* aliasing */
		total += v;
	}
	assert_ok(ctx, tv_elgamal_decrypt(ctx, &got, &sum, &kp.secret, 20));
	assert_int_equal(got, total);
	tv_ctx_free(ctx);
}

static void bad_inputs_are_refused(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	keypair kp;
	tv_ciphertext ct, neg, out;
	tv_point bad;
	tv_scalar r, zero = { { 0 } };
	uint32_t got;
	(void)state;

	keygen(ctx, &kp);
	bad = kp.pub;
	bad.bytes[64] ^= 1;
	assert_status(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &bad, 1), TV_ERR_POINT_INVALID);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "public key"));
	assert_status(ctx, tv_elgamal_encrypt_with_nonce(ctx, &ct, &kp.pub, 1, &zero),
	              TV_ERR_SCALAR_RANGE);
	assert_status(ctx, tv_elgamal_encrypt(ctx, &ct, NULL, &kp.pub, 1), TV_ERR_INVALID_ARGUMENT);

	assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &kp.pub, 1));
	out = ct;
	out.beta = bad;
	assert_status(ctx, tv_ciphertext_add(ctx, &out, &ct, &out), TV_ERR_POINT_INVALID);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "second ciphertext beta"));
	assert_status(ctx, tv_elgamal_decrypt(ctx, &got, &out, &kp.secret, 5), TV_ERR_POINT_INVALID);

	/* c + (-c) is infinity in both parts: refused, never encoded */
	neg = ct;
	for (int part = 0; part < 2; part++) {
		tv_point *pt = part ? &neg.beta : &neg.alpha;
		static const uint8_t p[32] = {
			0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		};
		int borrow = 0;

		for (int i = 31; i >= 0; i--) {
			int d = p[i] - pt->bytes[33 + i] - borrow;

			borrow = d < 0;
			pt->bytes[33 + i] = (uint8_t)(d + (borrow ? 256 : 0));
		}
	}
	assert_ok(ctx, tv_point_check(ctx, &neg.alpha));
	assert_status(ctx, tv_ciphertext_add(ctx, &out, &ct, &neg), TV_ERR_POINT_INVALID);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "infinity"));
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encrypt_then_decrypt),
		cmocka_unit_test(decrypt_finds_every_value_up_to_the_bound),
		cmocka_unit_test(encryption_is_randomised_and_reproducible),
		cmocka_unit_test(addition_is_homomorphic),
		cmocka_unit_test(bad_inputs_are_refused),
		cmocka_unit_test(fixed_base_encrypts_the_same),
	};

	(void)test_seed();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
