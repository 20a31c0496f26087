/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §6: signatures (the tamper sweep of Schnorr is in test_proofs.c). */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

static void from_hex(uint8_t *out, const char *hex)
{
	size_t i, len = strlen(hex) / 2;

	for (i = 0; i < len; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* RFC 8032 §7.1, tests 1 and 2 */
static void ed25519_rfc8032_vectors(void **state)
{
	static const struct {
		const char *secret, *pub, *msg, *sig;
	} v[] = {
		{ "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
		  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
		  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
		{ "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
		  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
	};
	tv_ctx *ctx = test_ctx_new();
	(void)state;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		tv_ed25519_secret_key sk;
		tv_ed25519_public_key pk, want_pk;
		tv_ed25519_signature sig, want_sig;
		uint8_t msg[8];
		size_t msg_len = strlen(v[i].msg) / 2;

		from_hex(sk.bytes, v[i].secret);
		from_hex(want_pk.bytes, v[i].pub);
		from_hex(want_sig.bytes, v[i].sig);
		from_hex(msg, v[i].msg);
		assert_ok(ctx, tv_ed25519_public_from_secret(ctx, &pk, &sk));
		assert_memory_equal(&pk, &want_pk, sizeof(pk));
		assert_ok(ctx, tv_ed25519_sign(ctx, &sig, &sk, msg, msg_len));
		assert_memory_equal(&sig, &want_sig, sizeof(sig));
		assert_ok(ctx, tv_ed25519_verify(ctx, &sig, &pk, msg, msg_len));
		tv_ed25519_secret_wipe(&sk);
	}
	tv_ctx_free(ctx);
}

static void ed25519_rejects_tampering(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_ed25519_secret_key sk;
	tv_ed25519_public_key pk, other;
	tv_ed25519_signature sig, bad;
	const uint8_t msg[] = "receipt: board position 17";
	/* L, the order of the Ed25519 base point, little-endian */
	static const uint8_t L[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
		0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0x10,
	};
	(void)state;

	assert_ok(ctx, tv_ed25519_keygen(ctx, &sk, &pk));
	assert_ok(ctx, tv_ed25519_sign(ctx, &sig, &sk, msg, sizeof(msg)));
	assert_ok(ctx, tv_ed25519_verify(ctx, &sig, &pk, msg, sizeof(msg)));
	for (size_t i = 0; i < sizeof(sig.bytes); i += 7) {
		bad = sig;
		bad.bytes[i] ^= 0x01;
		assert_status(ctx, tv_ed25519_verify(ctx, &bad, &pk, msg, sizeof(msg)),
		              TV_ERR_SIGNATURE_INVALID);
	}
	assert_status(ctx, tv_ed25519_verify(ctx, &sig, &pk, msg, sizeof(msg) - 1),
	              TV_ERR_SIGNATURE_INVALID);
	assert_ok(ctx, tv_ed25519_keygen(ctx, &sk, &other));
	assert_status(ctx, tv_ed25519_verify(ctx, &sig, &other, msg, sizeof(msg)),
	              TV_ERR_SIGNATURE_INVALID);
	/* S + L is the same S modulo L, but not canonical: refused */
	bad = sig;
	{
		unsigned carry = 0;

		for (int i = 0; i < 32; i++) {
			unsigned s = bad.bytes[32 + i] + L[i] + carry;

			bad.bytes[32 + i] = (uint8_t)s;
			carry = s >> 8;
		}
	}
	assert_status(ctx, tv_ed25519_verify(ctx, &bad, &pk, msg, sizeof(msg)),
	              TV_ERR_SIGNATURE_INVALID);
	/* a public key that is not a point encoding */
	memset(other.bytes, 0xff, sizeof(other.bytes));
	assert_status(ctx, tv_ed25519_verify(ctx, &sig, &other, msg, sizeof(msg)),
	              TV_ERR_SIGNATURE_INVALID);
	tv_ed25519_secret_wipe(&sk);
	tv_ctx_free(ctx);
}

/*
 * With the identity as public key, R = identity and S = 0 satisfy the
 * cofactorless equation for every message: OpenSSL alone accepts it.
 */
static void ed25519_refuses_weak_public_keys(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_ed25519_public_key pk;
	tv_ed25519_signature sig;
	const uint8_t msg[] = "any message at all";
	static const char *const weak[] = {
		"0100000000000000000000000000000000000000000000000000000000000000", /* identity */
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* order 2 */
		"0000000000000000000000000000000000000000000000000000000000000080", /* order 4 */
		"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", /* order 8 */
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* y = p */
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", /* y = p+1, sign */
	};
	(void)state;

	/* the forged signature: R = identity, S = 0 */
	memset(sig.bytes, 0, sizeof(sig.bytes));
	sig.bytes[0] = 1;
	for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
		from_hex(pk.bytes, weak[i]);
		assert_status(ctx, tv_ed25519_verify(ctx, &sig, &pk, msg, sizeof(msg)),
		              TV_ERR_SIGNATURE_INVALID);
		assert_non_null(strstr(tv_ctx_last_error(ctx), "public key"));
	}
	tv_ctx_free(ctx);
}

static void schnorr_nonces_are_fresh_and_hedged(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_scalar x, zero = { { 0 } };
	tv_point X;
	tv_schnorr_signature a, b;
	const uint8_t msg[] = "ballot digest";
	(void)state;

	assert_ok(ctx, tv_scalar_random(ctx, &x));
	assert_ok(ctx, tv_point_base_mul(ctx, &X, &x));
	assert_ok(ctx, tv_schnorr_sign(ctx, &a, &x, msg, sizeof(msg)));
	assert_ok(ctx, tv_schnorr_sign(ctx, &b, &x, msg, sizeof(msg)));
	/* the same message twice: different nonces, both valid */
	assert_memory_not_equal(&a.commitment, &b.commitment, sizeof(a.commitment));
	assert_ok(ctx, tv_schnorr_signature_verify(ctx, &a, &X, msg, sizeof(msg)));
	assert_ok(ctx, tv_schnorr_signature_verify(ctx, &b, &X, msg, sizeof(msg)));
	assert_status(ctx, tv_schnorr_sign(ctx, &a, &zero, msg, sizeof(msg)), TV_ERR_SCALAR_RANGE);
	assert_status(ctx, tv_schnorr_sign(ctx, &a, &x, NULL, 1), TV_ERR_INVALID_ARGUMENT);
	assert_ok(ctx, tv_schnorr_sign(ctx, &a, &x, NULL, 0));
	assert_ok(ctx, tv_schnorr_signature_verify(ctx, &a, &X, NULL, 0));
	tv_scalar_wipe(&x);
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ed25519_rfc8032_vectors),
		cmocka_unit_test(ed25519_rejects_tampering),
		cmocka_unit_test(ed25519_refuses_weak_public_keys),
		cmocka_unit_test(schnorr_nonces_are_fresh_and_hedged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
