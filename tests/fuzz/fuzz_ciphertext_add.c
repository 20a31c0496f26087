/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_ciphertext_add() (SPEC §4), the homomorphic step of the count.
 * Byte 0 picks how the rest becomes ciphertexts:
 *  - even: raw bytes, 130 per ciphertext (alpha || beta), zero-padded;
 *    mostly invalid points, which must be refused with a rejection status;
 *  - odd: 32-byte scalars k, each turned into the point k·G, so every
 *    point is valid and the sum is known: k1·G + k2·G = (k1 + k2 mod n)·G,
 *    infinity exactly when k1 + k2 = 0 mod n.
 * Checked: the status follows from the inputs (valid points → TV_OK unless
 * a sum is infinity → TV_ERR_POINT_INVALID; otherwise a rejection status),
 * addition is commutative, an output aliasing an input gives the same
 * result, and with three ciphertexts it is associative. In scalar mode
 * also tv_scalar_add() against the oracle, and the homomorphism
 * Enc(v1; r1) + Enc(v2; r2) = Enc(v1 + v2; r1 + r2).
 */
#include <string.h>

#include "fuzz_common.h"

#define CT_BYTES (2 * TV_POINT_BYTES)

static void fill(uint8_t *out, size_t out_len, const uint8_t **data, size_t *size)
{
	size_t take = *size < out_len ? *size : out_len;

	memset(out, 0, out_len);
	memcpy(out, *data, take);
	*data += take;
	*size -= take;
}

static int ct_valid(const tv_ciphertext *ct)
{
	return tv_fuzz_oracle_point(ct->alpha.bytes, TV_POINT_BYTES) == TV_OK &&
	       tv_fuzz_oracle_point(ct->beta.bytes, TV_POINT_BYTES) == TV_OK;
}

/* out = a + b, checking every property of one addition; returns status */
static tv_status checked_add(tv_ctx *ctx, tv_ciphertext *out,
                             const tv_ciphertext *a, const tv_ciphertext *b)
{
	tv_ciphertext ab, ba, alias;
	tv_status s_ab, s_ba, s_alias;

	tv_fuzz_clear_error(ctx);
	s_ab = tv_ciphertext_add(ctx, &ab, a, b);
	tv_fuzz_check_status_recorded(ctx, s_ab);
	s_ba = tv_ciphertext_add(ctx, &ba, b, a);
	FUZZ_CHECK(s_ab == TV_OK || tv_status_is_rejection(s_ab));
	if (!ct_valid(a) || !ct_valid(b)) {
		FUZZ_CHECK(s_ab == TV_ERR_ENCODING || s_ab == TV_ERR_POINT_INVALID);
		FUZZ_CHECK(s_ba == TV_ERR_ENCODING || s_ba == TV_ERR_POINT_INVALID);
	} else {
		/* valid inputs: only an infinite sum is refused, either order */
		FUZZ_CHECK(s_ab == TV_OK || s_ab == TV_ERR_POINT_INVALID);
		FUZZ_CHECK(s_ab == s_ba);
	}
	if (s_ab == TV_OK) {
		FUZZ_CHECK(s_ba == TV_OK);
		FUZZ_CHECK(memcmp(&ab, &ba, sizeof(ab)) == 0);
		FUZZ_CHECK(ct_valid(&ab));
	}
	/* @p out may alias an input */
	alias = *a;
	s_alias = tv_ciphertext_add(ctx, &alias, &alias, b);
	FUZZ_CHECK(s_alias == s_ab);
	FUZZ_CHECK(s_ab != TV_OK || memcmp(&alias, &ab, sizeof(alias)) == 0);
	if (s_ab == TV_OK)
		*out = ab;
	return s_ab;
}

static void raw_mode(tv_ctx *ctx, const uint8_t *data, size_t size)
{
	uint8_t buf[CT_BYTES];
	tv_ciphertext ct[3], ab, bc, ab_c, a_bc;
	int i, have_third = size > 2 * CT_BYTES;

	for (i = 0; i < 3; i++) {
		fill(buf, sizeof(buf), &data, &size);
		memcpy(ct[i].alpha.bytes, buf, TV_POINT_BYTES);
		memcpy(ct[i].beta.bytes, buf + TV_POINT_BYTES, TV_POINT_BYTES);
	}
	if (checked_add(ctx, &ab, &ct[0], &ct[1]) != TV_OK || !have_third)
		return;
	if (checked_add(ctx, &ab_c, &ab, &ct[2]) != TV_OK ||
	    checked_add(ctx, &bc, &ct[1], &ct[2]) != TV_OK ||
	    checked_add(ctx, &a_bc, &ct[0], &bc) != TV_OK)
		return;
	FUZZ_CHECK(memcmp(&ab_c, &a_bc, sizeof(ab_c)) == 0);
}

/* 4 scalars: a = (k0·G, k1·G), b = (k2·G, k3·G) */
static void scalar_mode(tv_ctx *ctx, const uint8_t *data, size_t size)
{
	tv_scalar k[4], sum[2];
	tv_point pt[4], expect[2];
	tv_ciphertext a, b, ab;
	int infinite[2], i;
	tv_status status;

	for (i = 0; i < 4; i++) {
		fill(k[i].bytes, TV_SCALAR_BYTES, &data, &size);
		/* only scalars in [1, n-1] give points; refusals are checked too */
		tv_fuzz_clear_error(ctx);
		status = tv_point_base_mul(ctx, &pt[i], &k[i]);
		tv_fuzz_check_status_recorded(ctx, status);
		if (tv_fuzz_oracle_scalar(k[i].bytes, TV_SCALAR_BYTES) != TV_OK ||
		    tv_fuzz_all_zero(k[i].bytes, TV_SCALAR_BYTES)) {
			FUZZ_CHECK(status == TV_ERR_SCALAR_RANGE);
			return;
		}
		FUZZ_CHECK(status == TV_OK);
	}
	a.alpha = pt[0];
	a.beta = pt[1];
	b.alpha = pt[2];
	b.beta = pt[3];
	infinite[0] = tv_fuzz_scalar_add(sum[0].bytes, k[0].bytes, k[2].bytes);
	infinite[1] = tv_fuzz_scalar_add(sum[1].bytes, k[1].bytes, k[3].bytes);
	status = checked_add(ctx, &ab, &a, &b);
	if (infinite[0] || infinite[1]) {
		FUZZ_CHECK(status == TV_ERR_POINT_INVALID);
		return;
	}
	FUZZ_CHECK(status == TV_OK);
	FUZZ_CHECK(tv_point_base_mul(ctx, &expect[0], &sum[0]) == TV_OK);
	FUZZ_CHECK(tv_point_base_mul(ctx, &expect[1], &sum[1]) == TV_OK);
	FUZZ_CHECK(tv_point_equal(&ab.alpha, &expect[0]));
	FUZZ_CHECK(tv_point_equal(&ab.beta, &expect[1]));

	/* the nonce of a sum is the sum of the nonces (tv_scalar_add) */
	{
		tv_scalar nonce;

		FUZZ_CHECK(tv_scalar_add(ctx, &nonce, &k[0], &k[2]) == TV_OK);
		FUZZ_CHECK(memcmp(nonce.bytes, sum[0].bytes, TV_SCALAR_BYTES) == 0);
	}
	/*
	 * Homomorphism (SPEC §4), under the key K = k1·G with values from the
	 * next bytes: Enc(v1; k0) + Enc(v2; k2) = Enc(v1 + v2; k0 + k2).
	 */
	{
		uint8_t vb[4];
		uint32_t v1, v2;
		tv_ciphertext e1, e2, e12, direct;
		tv_status s12, sdirect;

		fill(vb, sizeof(vb), &data, &size);
		v1 = (uint32_t)vb[0] << 8 | vb[1];
		v2 = (uint32_t)vb[2] << 8 | vb[3];
		FUZZ_CHECK(tv_elgamal_encrypt_with_nonce(ctx, &e1, &pt[1], v1, &k[0]) == TV_OK);
		FUZZ_CHECK(tv_elgamal_encrypt_with_nonce(ctx, &e2, &pt[1], v2, &k[2]) == TV_OK);
		s12 = checked_add(ctx, &e12, &e1, &e2);
		sdirect = tv_elgamal_encrypt_with_nonce(ctx, &direct, &pt[1], v1 + v2, &sum[0]);
		FUZZ_CHECK(s12 == sdirect);
		if (s12 == TV_OK)
			FUZZ_CHECK(memcmp(&e12, &direct, sizeof(direct)) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();

	if (size == 0)
		return 0;
	if (data[0] & 1)
		scalar_mode(ctx, data + 1, size - 1);
	else
		raw_mode(ctx, data + 1, size - 1);
	return 0;
}
