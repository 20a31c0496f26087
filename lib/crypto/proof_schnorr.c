/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §5.1: Schnorr proof of knowledge of x with X = x·G.
 *   A = w·G;  c = Hs("pok"; context, X, A);  v = w + c·x mod n.
 * Check: v·G - c·X = A.
 */
#include "internal.h"

/* H("pok"; context, X, A), for tv__hash_final_sc (prover) or _scalar (verifier) */
static void pok_hash(tv_ctx *ctx, tv__hash *h, const uint8_t *context,
                     size_t context_len, const tv_point *X, const tv_point *A)
{
	/* a failed start is sticky: the final call reports it */
	(void)tv__hash_begin(h, ctx, "pok");
	tv__hash_field(h, context, context_len);
	tv__hash_point(h, X);
	tv__hash_point(h, A);
}

/*
 * Constant time in x and w: v = w + c·x is tv__sc arithmetic, and x and w
 * reach OpenSSL only as BN_FLG_CONSTTIME scalars of EC_POINT_mul.
 */
tv_status tv_schnorr_prove(tv_ctx *ctx, tv_schnorr_proof *out,
                           tv_point *public_key, const tv_scalar *secret,
                           const uint8_t *context, size_t context_len)
{
	BIGNUM *b = tv__bn_secret_new();
	EC_POINT *p = ctx ? EC_POINT_new(ctx->group) : NULL;
	tv__sc x, w, c;
	tv_schnorr_proof proof;
	tv_point X;
	tv__hash h;
	tv_status status;

	tv__sc_set_u32(&x, 0);
	tv__sc_set_u32(&w, 0);
	tv__sc_set_u32(&c, 0);
	if (ctx == NULL || out == NULL || secret == NULL) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_schnorr_prove: NULL argument");
		goto out;
	}
	if ((status = tv__check_context(ctx, context, context_len)) != TV_OK)
		goto out;
	if (b == NULL || p == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	/* only the checks' answers are revealed: they fail with an error */
	if (!tv__ct_reveal(tv__sc_from_scalar(&x, secret))) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE,
		                  "secret: scalar is not below the group order n");
		goto out;
	}
	if (tv__ct_reveal(tv__sc_is_zero(&x))) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE, "secret is zero");
		goto out;
	}
	if ((status = tv__sc_to_bn(ctx, b, &x)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, p, b)) != TV_OK ||
	    (status = tv__ec_to_public_point(ctx, &X, p, "public key")) != TV_OK ||
	    (status = tv__random_sc(ctx, &w)) != TV_OK ||
	    (status = tv__sc_to_bn(ctx, b, &w)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, p, b)) != TV_OK ||
	    (status = tv__ec_to_public_point(ctx, &proof.commitment, p, "commitment")) != TV_OK)
		goto out;
	pok_hash(ctx, &h, context, context_len, &X, &proof.commitment);
	if ((status = tv__hash_final_sc(&h, &c)) != TV_OK)
		goto out;
	/* v = w + c·x; c is reused as the product */
	tv__sc_mul(&c, &c, &x);
	tv__sc_add(&w, &w, &c);
	tv__sc_to_scalar(&proof.response, &w);
	/* the proof is published */
	tv__ct_declassify(&proof, sizeof(proof));
	*out = proof;
	if (public_key != NULL)
		*public_key = X;
out:
	tv__sc_wipe(&x);
	tv__sc_wipe(&w);
	tv__sc_wipe(&c);
	BN_clear_free(b);
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
	tv__hash h;
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
	    (status = tv__scalar_to_bn(ctx, v, &proof->response, "proof response")) != TV_OK)
		goto out;
	pok_hash(ctx, &h, context, context_len, public_key, &proof->commitment);
	if ((status = tv__hash_final_scalar(&h, c)) != TV_OK ||
	    (status = tv__bn_neg(ctx, c, c)) != TV_OK)
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
