/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §16.2: partial decryptions and their combination.
 *   M_l = x_l·alpha; proof: tv_cp_prove(x_l; G, X_l, alpha, M_l) with
 *   context F || u32be(l), so a proof cannot move to another election or
 *   be claimed by another trustee.
 *   v·G = beta − Σ_{l in S} λ_l·M_l,  λ_l the Lagrange coefficient at 0.
 */
#include <string.h>

#include "tally_internal.h"
#include "tenantvote/decrypt.h"

static void partial_context(uint8_t out[36], const uint8_t fingerprint[32], uint32_t l)
{
	memcpy(out, fingerprint, 32);
	out[32] = (uint8_t)(l >> 24);
	out[33] = (uint8_t)(l >> 16);
	out[34] = (uint8_t)(l >> 8);
	out[35] = (uint8_t)l;
}

/*
 * Constant time in the share x_l: it is range-checked in constant time
 * (tv__scalar_to_bn), reaches OpenSSL only as a BN_FLG_CONSTTIME scalar of
 * EC_POINT_mul, and the proof is tv_cp_prove's. M_l is published.
 */
tv_status tv__partial_decrypt(tv_ctx *ctx, tv_partial_decryption *out,
                             const tv_trustee *trustee, const tv_ciphertext *ct,
                             const uint8_t fingerprint[32])
{
	tv_scalar x;
	tv_point X, G;
	tv_partial_decryption pd;
	uint8_t context[36];
	EC_POINT *alpha = NULL, *m = NULL;
	BIGNUM *bx = NULL;
	tv_status status;

	memset(&x, 0, sizeof(x));
	if (ctx == NULL || out == NULL || trustee == NULL || ct == NULL || fingerprint == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_partial_decrypt: NULL argument");
	alpha = EC_POINT_new(ctx->group);
	m = EC_POINT_new(ctx->group);
	bx = tv__bn_secret_new();
	if (alpha == NULL || m == NULL || bx == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	memset(&pd, 0, sizeof(pd));
	pd.trustee = tv_trustee_index(trustee);
	if ((status = tv_trustee_share(ctx, &x, &X, NULL, trustee)) != TV_OK ||
	    (status = tv__point_to_ec(ctx, alpha, &ct->alpha, "ciphertext alpha")) != TV_OK ||
	    (status = tv_point_check(ctx, &ct->beta)) != TV_OK ||
	    (status = tv__scalar_to_bn(ctx, bx, &x, "share")) != TV_OK ||
	    (status = tv__ec_mul_secret(ctx, m, alpha, bx)) != TV_OK ||
	    (status = tv__ec_to_public_point(ctx, &pd.share, m, "partial decryption")) != TV_OK)
		goto out;
	tv_point_generator(&G);
	partial_context(context, fingerprint, pd.trustee);
	if ((status = tv_cp_prove(ctx, &pd.proof, &x, &G, &X, &ct->alpha, &pd.share, context,
	                          sizeof(context))) != TV_OK)
		goto out;
	*out = pd;
out:
	tv_scalar_wipe(&x);
	BN_clear_free(bx);
	EC_POINT_free(alpha);
	EC_POINT_clear_free(m);
	return status;
}

/*
 * The public call decrypts nothing: a trustee's share decrypts only the
 * sums it computed itself from a record it checked (tv_record_tally, then
 * tv_tally_decrypt). A call that decrypted any ciphertext it was given
 * would let whoever hands the trustee a "tally" aim the threshold at one
 * tenant's ballot (SPEC §16.3).
 */
tv_status tv_partial_decrypt(tv_ctx *ctx, tv_partial_decryption *out, const tv_trustee *trustee,
                             const tv_ciphertext *ct, const uint8_t fingerprint[32])
{
	(void)trustee;
	(void)ct;
	(void)fingerprint;
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	return tv__fail(ctx, TV_ERR_STATE, "a trustee's share decrypts only the sums of a record "
	                "it has checked: use tv_record_tally, then tv_tally_decrypt");
}

tv_status tv_partial_verify(tv_ctx *ctx, const tv_partial_decryption *pd,
                            const tv_point *verification_key, const tv_ciphertext *ct,
                            const uint8_t fingerprint[32])
{
	tv_point G;
	uint8_t context[36];
	tv_status status;

	if (ctx == NULL || pd == NULL || verification_key == NULL || ct == NULL || fingerprint == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_partial_verify: NULL argument");
	if (pd->trustee < 1 || pd->trustee > TV_CEREMONY_MAX_TRUSTEES)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "partial decryption: no trustee %u",
		                pd->trustee);
	if ((status = tv_point_check(ctx, &ct->beta)) != TV_OK)
		return status;
	tv_point_generator(&G);
	partial_context(context, fingerprint, pd->trustee);
	status = tv_cp_verify(ctx, &pd->proof, &G, verification_key, &ct->alpha, &pd->share,
	                      context, sizeof(context));
	if (status == TV_ERR_PROOF_INVALID)
		status = tv__fail(ctx, status,
		                  "trustee %u's partial decryption does not match its key share: %s",
		                  pd->trustee, "the Chaum-Pedersen proof fails");
	return status;
}

/* combine without checking the parts (tests show what k - 1 parts give) */
tv_status tv__decrypt_combine_unchecked(tv_ctx *ctx, uint32_t *value, const tv_ciphertext *ct,
                                        const tv_partial_decryption *parts, size_t count,
                                        uint32_t threshold, uint32_t max_value)
{
	uint32_t indices[TV_CEREMONY_MAX_TRUSTEES];
	EC_POINT *acc = NULL, *term = NULL, *target = NULL;
	BIGNUM *lambda = NULL;
	tv_status status = TV_OK;
	size_t i, j;

	if (ctx == NULL || value == NULL || ct == NULL || parts == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_decrypt_combine: NULL argument");
	if (count < threshold || threshold == 0 || count > TV_CEREMONY_MAX_TRUSTEES)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "decryption needs at least %u trustees' partial decryptions, got %zu",
		                threshold, count);
	for (i = 0; i < count; i++) {
		indices[i] = parts[i].trustee;
		for (j = 0; j < i; j++)
			if (indices[j] == indices[i])
				return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
				                "trustee %u's partial decryption is given twice", indices[i]);
	}
	acc = EC_POINT_new(ctx->group);
	term = EC_POINT_new(ctx->group);
	target = EC_POINT_new(ctx->group);
	lambda = BN_new();
	if (acc == NULL || term == NULL || target == NULL || lambda == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	/* target = beta − Σ λ_l·M_l */
	if ((status = tv__point_to_ec(ctx, target, &ct->beta, "ciphertext beta")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, term, &ct->alpha, "ciphertext alpha")) != TV_OK)
		goto out;
	for (i = 0; i < count; i++) {
		tv_scalar l;
		char what[64];

		snprintf(what, sizeof(what), "trustee %u's partial decryption", indices[i]);
		if ((status = tv_ceremony_lagrange(ctx, &l, indices[i], indices, count)) != TV_OK ||
		    (status = tv__scalar_to_bn(ctx, lambda, &l, "lambda")) != TV_OK ||
		    (status = tv__point_to_ec(ctx, acc, &parts[i].share, what)) != TV_OK)
			goto out;
		if (!EC_POINT_mul(ctx->group, term, NULL, acc, lambda, ctx->bn) ||
		    !EC_POINT_invert(ctx->group, term, ctx->bn) ||
		    !EC_POINT_add(ctx->group, target, target, term, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "EC arithmetic failed");
			goto out;
		}
	}
	status = tv__ec_dlog(ctx, value, target, max_value);
	if (status == TV_ERR_RANGE_INVALID)
		status = tv__fail(ctx, TV_ERR_RANGE_INVALID,
		                  "the partial decryptions do not combine to a total from 0 to %u "
		                  "(a wrong part, or fewer trustees than the threshold)", max_value);
out:
	EC_POINT_free(acc);
	EC_POINT_free(term);
	EC_POINT_free(target);
	BN_free(lambda);
	return status;
}

tv_status tv_decrypt_combine(tv_ctx *ctx, uint32_t *value, const tv_ciphertext *ct,
                             const tv_partial_decryption *parts, size_t count,
                             const tv_election_key *key, const uint8_t fingerprint[32],
                             uint32_t max_value)
{
	tv_status status;
	size_t i;

	if (ctx == NULL || value == NULL || ct == NULL || parts == NULL || key == NULL ||
	    fingerprint == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_decrypt_combine: NULL argument");
	for (i = 0; i < count; i++) {
		if (parts[i].trustee < 1 || parts[i].trustee > key->trustees)
			return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
			                "a partial decryption from trustee %u, of %u trustees",
			                parts[i].trustee, key->trustees);
		if ((status = tv_partial_verify(ctx, &parts[i],
		                                &key->verification_key[parts[i].trustee - 1], ct,
		                                fingerprint)) != TV_OK)
			return status;
	}
	return tv__decrypt_combine_unchecked(ctx, value, ct, parts, count, key->threshold,
	                                     max_value);
}
