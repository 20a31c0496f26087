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
#include "batch.h"
#include "internal.h"

/* H("sig"; X, R, msg), for tv__hash_final_sc (signer) or _scalar (verifier) */
static void sig_hash(tv_ctx *ctx, tv__hash *h, const tv_point *X, const tv_point *R,
                     const uint8_t *msg, size_t msg_len)
{
	/* a failed start is sticky: the final call reports it */
	(void)tv__hash_begin(h, ctx, "sig");
	tv__hash_point(h, X);
	tv__hash_point(h, R);
	tv__hash_field(h, msg, msg_len);
}

/*
 * Each candidate k is checked (1 <= k < n) in constant time; only the
 * answer is revealed, and a rejected candidate is thrown away.
 */
static tv_status hedged_nonce(tv_ctx *ctx, tv__sc *k, const tv_scalar *secret,
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
		uint64_t below;

		if ((status = tv__hash_begin(&h, ctx, "sig-nonce")) != TV_OK)
			break;
		tv__hash_scalar(&h, secret);
		tv__hash_point(&h, X);
		tv__hash_field(&h, msg, msg_len);
		tv__hash_field(&h, z, sizeof(z));
		tv__hash_u32(&h, i);
		if ((status = tv__hash_final(&h, digest)) != TV_OK)
			break;
		below = tv__sc_load(k, digest);
		if (tv__ct_reveal(below & ~tv__sc_is_zero(k)))
			break;
	}
	if (status == TV_OK && i == 64)
		status = tv__fail(ctx, TV_ERR_INTERNAL, "no signing nonce found");
	tv__memzero(z, sizeof(z));
	tv__memzero(digest, sizeof(digest));
	return status;
}

/*
 * Constant time in the key x and the nonce k: s = k + e·x is tv__sc
 * arithmetic; x and k reach OpenSSL only as BN_FLG_CONSTTIME scalars of
 * EC_POINT_mul (through BN_bin2bn), and x in the nonce's SHA-256.
 */
tv_status tv_schnorr_sign(tv_ctx *ctx, tv_schnorr_signature *out,
                          const tv_scalar *secret, const uint8_t *msg,
                          size_t msg_len)
{
	BIGNUM *b = tv__bn_secret_new();
	EC_POINT *p = ctx ? EC_POINT_new(ctx->group) : NULL;
	tv__sc x, k, e;
	tv_schnorr_signature sig;
	tv_point X;
	tv__hash h;
	tv_status status;

	tv__sc_set_u32(&x, 0);
	tv__sc_set_u32(&k, 0);
	tv__sc_set_u32(&e, 0);
	if (ctx == NULL || out == NULL || secret == NULL || (msg == NULL && msg_len != 0)) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_schnorr_sign: NULL argument");
		goto out;
	}
	if (b == NULL || p == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	/* only the checks' answers are revealed: they fail with an error */
	if (!tv__ct_reveal(tv__sc_from_scalar(&x, secret))) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE,
		                  "secret key: scalar is not below the group order n");
		goto out;
	}
	if (tv__ct_reveal(tv__sc_is_zero(&x))) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE, "secret key is zero");
		goto out;
	}
	if ((status = tv__sc_to_bn(ctx, b, &x)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, p, b)) != TV_OK ||
	    (status = tv__ec_to_public_point(ctx, &X, p, "public key")) != TV_OK ||
	    (status = hedged_nonce(ctx, &k, secret, &X, msg, msg_len)) != TV_OK ||
	    (status = tv__sc_to_bn(ctx, b, &k)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, p, b)) != TV_OK ||
	    (status = tv__ec_to_public_point(ctx, &sig.commitment, p, "R")) != TV_OK)
		goto out;
	sig_hash(ctx, &h, &X, &sig.commitment, msg, msg_len);
	if ((status = tv__hash_final_sc(&h, &e)) != TV_OK)
		goto out;
	tv__sc_mul(&e, &e, &x);
	tv__sc_add(&k, &k, &e);
	tv__sc_to_scalar(&sig.response, &k);
	/* the signature is published */
	tv__ct_declassify(&sig, sizeof(sig));
	*out = sig;
out:
	tv__sc_wipe(&x);
	tv__sc_wipe(&k);
	tv__sc_wipe(&e);
	tv__memzero(&sig, sizeof(sig));
	BN_clear_free(b);
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
	tv__hash h;
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
	    (status = tv__scalar_to_bn(ctx, s, &sig->response, "signature s")) != TV_OK)
		goto out;
	sig_hash(ctx, &h, public_key, &sig->commitment, msg, msg_len);
	if ((status = tv__hash_final_scalar(&h, e)) != TV_OK ||
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

/* §5.5: w·(R − s·G + e·X), R taking the bare 128-bit weight */
tv_status tv__schnorr_batch(tv_ctx *ctx, tv__batch *b, const tv_schnorr_signature *sig,
                            const tv_point *public_key, const uint8_t *msg, size_t msg_len)
{
	tv__p256_affine X, R;
	tv__sc s, e, w, t;
	tv__hash h;
	tv_status status;

	if (!tv__p256_decode(&X, public_key->bytes) || !tv__p256_decode(&R, sig->commitment.bytes) ||
	    !tv__sc_from_scalar(&s, &sig->response))
		return TV_ERR_PROOF_INVALID;
	sig_hash(ctx, &h, public_key, &sig->commitment, msg, msg_len);
	if ((status = tv__hash_final_sc(&h, &e)) != TV_OK)
		return status;
	tv__batch_weight(b, &w);
	if ((status = tv__batch_term(b, &R, &w)) != TV_OK)
		return status;
	tv__sc_mul(&t, &w, &e);
	if ((status = tv__batch_term(b, &X, &t)) != TV_OK)
		return status;
	tv__sc_mul(&t, &w, &s);
	tv__sc_neg(&t, &t);
	tv__batch_add_g(b, &t);
	return TV_OK;
}
