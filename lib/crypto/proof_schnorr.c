/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §5.1: Schnorr proof of knowledge of x with X = x·G.
 *   A = w·G;  c = Hs("pok"; context, X, A);  v = w + c·x mod n.
 * Check: v·G - c·X = A.
 */
#include "internal.h"

static tv_status pok_challenge(tv_ctx *ctx, BIGNUM *c, const uint8_t *context,
                               size_t context_len, const tv_point *X,
                               const tv_point *A)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "pok");

	if (status != TV_OK)
		return status;
	tv__hash_field(&h, context, context_len);
	tv__hash_point(&h, X);
	tv__hash_point(&h, A);
	return tv__hash_final_scalar(&h, c);
}

tv_status tv_schnorr_prove(tv_ctx *ctx, tv_schnorr_proof *out,
                           tv_point *public_key, const tv_scalar *secret,
                           const uint8_t *context, size_t context_len)
{
	BIGNUM *x = tv__bn_secret_new(), *w = tv__bn_secret_new(), *c = BN_new();
	EC_POINT *p = ctx ? EC_POINT_new(ctx->group) : NULL;
	tv_schnorr_proof proof;
	tv_point X;
	tv_status status;

	if (ctx == NULL || out == NULL || secret == NULL) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_schnorr_prove: NULL argument");
		goto out;
	}
	if ((status = tv__check_context(ctx, context, context_len)) != TV_OK)
		goto out;
	if (x == NULL || w == NULL || c == NULL || p == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__scalar_to_bn(ctx, x, secret, "secret")) != TV_OK)
		goto out;
	if (BN_is_zero(x)) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE, "secret is zero");
		goto out;
	}
	if ((status = tv__ec_base_mul_secret(ctx, p, x)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &X, p, "public key")) != TV_OK ||
	    (status = tv__random_bn(ctx, w)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, p, w)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &proof.commitment, p, "commitment")) != TV_OK ||
	    (status = pok_challenge(ctx, c, context, context_len, &X, &proof.commitment)) != TV_OK)
		goto out;
	/* v = w + c·x; c is reused as the product */
	if (!BN_mod_mul(c, c, x, ctx->order, ctx->bn) ||
	    !BN_mod_add(w, w, c, ctx->order, ctx->bn)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
		goto out;
	}
	if ((status = tv__bn_to_scalar(ctx, &proof.response, w)) != TV_OK)
		goto out;
	*out = proof;
	if (public_key != NULL)
		*public_key = X;
out:
	BN_clear_free(x);
	BN_clear_free(w);
	BN_clear_free(c);
	EC_POINT_free(p);
	return status;
}

tv_status tv_schnorr_verify(tv_ctx *ctx, const tv_schnorr_proof *proof,
                            const tv_point *public_key, const uint8_t *context,
                            size_t context_len)
{
	BIGNUM *c = BN_new(), *v = BN_new();
	EC_POINT *X = ctx ? EC_POINT_new(ctx->group) : NULL;
	EC_POINT *A = ctx ? EC_POINT_new(ctx->group) : NULL;
	tv_status status;

	if (ctx == NULL || proof == NULL || public_key == NULL) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_schnorr_verify: NULL argument");
		goto out;
	}
	if ((status = tv__check_context(ctx, context, context_len)) != TV_OK)
		goto out;
	if (c == NULL || v == NULL || X == NULL || A == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__point_to_ec(ctx, X, public_key, "public key")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, A, &proof->commitment, "proof commitment")) != TV_OK ||
	    (status = tv__scalar_to_bn(ctx, v, &proof->response, "proof response")) != TV_OK ||
	    (status = pok_challenge(ctx, c, context, context_len, public_key,
	                            &proof->commitment)) != TV_OK)
		goto out;
	if ((status = tv__bn_neg(ctx, c, c)) != TV_OK)
		goto out;
	status = tv__ec_check_linear(ctx, A, v, 1, (const EC_POINT *const[]){ X },
	                             (const BIGNUM *const[]){ c });
	if (status == TV_ERR_PROOF_INVALID)
		status = tv__fail(ctx, status,
		                  "Schnorr proof of knowledge: v·G - c·X does not equal the commitment");
out:
	BN_free(c);
	BN_free(v);
	EC_POINT_free(X);
	EC_POINT_free(A);
	return status;
}
