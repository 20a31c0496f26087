/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §6.1: Schnorr signatures on P-256, in commitment form.
 *   k = hedged nonce (below);  R = k·G;  e = Hs("sig"; X, R, msg);
 *   s = k + e·x mod n.
 * Check: s·G - e·X = R.
 * The nonce hashes the secret key, the message and 32 fresh random bytes
 * z: k is the first H("sig-nonce"; x, X, msg, z, u32(i)), i = 0, 1, ...,
 * that is in [1, n-1]. A broken random generator then still gives distinct
 * nonces for distinct messages, and a good one hides x even if the hash
 * were weak.
 */
#include "internal.h"

static tv_status sig_challenge(tv_ctx *ctx, BIGNUM *e, const tv_point *X,
                               const tv_point *R, const uint8_t *msg,
                               size_t msg_len)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "sig");

	if (status != TV_OK)
		return status;
	tv__hash_point(&h, X);
	tv__hash_point(&h, R);
	tv__hash_field(&h, msg, msg_len);
	return tv__hash_final_scalar(&h, e);
}

static tv_status hedged_nonce(tv_ctx *ctx, BIGNUM *k, const tv_scalar *secret,
                              const tv_point *X, const uint8_t *msg,
                              size_t msg_len)
{
	uint8_t z[32], digest[TV_HASH_BYTES];
	tv_status status;
	uint32_t i;

	if ((status = tv__random_bytes(ctx, z, sizeof(z))) != TV_OK)
		return status;
	for (i = 0; i < 64; i++) {
		tv__hash h;

		if ((status = tv__hash_begin(&h, ctx, "sig-nonce")) != TV_OK)
			break;
		tv__hash_scalar(&h, secret);
		tv__hash_point(&h, X);
		tv__hash_field(&h, msg, msg_len);
		tv__hash_field(&h, z, sizeof(z));
		tv__hash_u32(&h, i);
		if ((status = tv__hash_final(&h, digest)) != TV_OK)
			break;
		if (BN_bin2bn(digest, sizeof(digest), k) == NULL) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "BN_bin2bn failed");
			break;
		}
		if (!BN_is_zero(k) && BN_cmp(k, ctx->order) < 0)
			break;
	}
	if (status == TV_OK && i == 64)
		status = tv__fail(ctx, TV_ERR_INTERNAL, "no signing nonce found");
	tv__memzero(z, sizeof(z));
	tv__memzero(digest, sizeof(digest));
	return status;
}

tv_status tv_schnorr_sign(tv_ctx *ctx, tv_schnorr_signature *out,
                          const tv_scalar *secret, const uint8_t *msg,
                          size_t msg_len)
{
	BIGNUM *x = tv__bn_secret_new(), *k = tv__bn_secret_new(), *e = tv__bn_secret_new();
	EC_POINT *p = ctx ? EC_POINT_new(ctx->group) : NULL;
	tv_schnorr_signature sig;
	tv_point X;
	tv_status status;

	if (ctx == NULL || out == NULL || secret == NULL || (msg == NULL && msg_len != 0)) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_schnorr_sign: NULL argument");
		goto out;
	}
	if (x == NULL || k == NULL || e == NULL || p == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__scalar_to_bn(ctx, x, secret, "secret key")) != TV_OK)
		goto out;
	if (BN_is_zero(x)) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE, "secret key is zero");
		goto out;
	}
	if ((status = tv__ec_base_mul_secret(ctx, p, x)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &X, p, "public key")) != TV_OK ||
	    (status = hedged_nonce(ctx, k, secret, &X, msg, msg_len)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, p, k)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &sig.commitment, p, "R")) != TV_OK ||
	    (status = sig_challenge(ctx, e, &X, &sig.commitment, msg, msg_len)) != TV_OK)
		goto out;
	if (!BN_mod_mul(e, e, x, ctx->order, ctx->bn) ||
	    !BN_mod_add(k, k, e, ctx->order, ctx->bn)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
		goto out;
	}
	if ((status = tv__bn_to_scalar(ctx, &sig.response, k)) != TV_OK)
		goto out;
	*out = sig;
out:
	BN_clear_free(x);
	BN_clear_free(k);
	BN_clear_free(e);
	EC_POINT_free(p);
	return status;
}

tv_status tv_schnorr_signature_verify(tv_ctx *ctx,
                                      const tv_schnorr_signature *sig,
                                      const tv_point *public_key,
                                      const uint8_t *msg, size_t msg_len)
{
	BIGNUM *e = BN_new(), *s = BN_new();
	EC_POINT *X = ctx ? EC_POINT_new(ctx->group) : NULL;
	EC_POINT *R = ctx ? EC_POINT_new(ctx->group) : NULL;
	tv_status status;

	if (ctx == NULL || sig == NULL || public_key == NULL || (msg == NULL && msg_len != 0)) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                  "tv_schnorr_signature_verify: NULL argument");
		goto out;
	}
	if (e == NULL || s == NULL || X == NULL || R == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__point_to_ec(ctx, X, public_key, "public key")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, R, &sig->commitment, "signature R")) != TV_OK ||
	    (status = tv__scalar_to_bn(ctx, s, &sig->response, "signature s")) != TV_OK ||
	    (status = sig_challenge(ctx, e, public_key, &sig->commitment, msg, msg_len)) != TV_OK ||
	    (status = tv__bn_neg(ctx, e, e)) != TV_OK)
		goto out;
	status = tv__ec_check_linear(ctx, R, s, 1, (const EC_POINT *const[]){ X },
	                             (const BIGNUM *const[]){ e });
	if (status == TV_ERR_PROOF_INVALID)
		status = tv__fail(ctx, TV_ERR_SIGNATURE_INVALID,
		                  "Schnorr signature: s·G - e·X does not equal R");
out:
	BN_free(e);
	BN_free(s);
	EC_POINT_free(X);
	EC_POINT_free(R);
	return status;
}
