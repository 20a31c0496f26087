/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §5.3: disjunctive Chaum–Pedersen proof that (alpha, beta) encrypts
 * one of min..max under K. Branch j (value m_j = min + j) claims
 * log_G alpha = log_K gamma_j with gamma_j = beta - m_j·G.
 *   c = Hs("range"; context, K, alpha, beta, u32(min), u32(max),
 *          a_0, b_0, ..., a_{L-1}, b_{L-1})
 * Check: sum c_j = c (mod n), and for every j
 *   v_j·G - c_j·alpha = a_j   and   v_j·K - c_j·beta + (c_j·m_j)·G = b_j.
 *
 * The prover does the same work on every branch, whichever one is true
 * (see prove_branches), so its timing does not tell the vote.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "batch.h"
#include "fixed_base.h"
#include "internal.h"

/* H("range"; ...), for tv__hash_final_sc (prover) or _scalar (verifier) */
static void range_hash(tv_ctx *ctx, tv__hash *h, const uint8_t *context,
                       size_t context_len, const tv_point *key,
                       const tv_ciphertext *ct, uint32_t min, uint32_t max,
                       const tv_range_branch *branch)
{
	uint32_t j;

	/* a failed start is sticky: the final call reports it */
	(void)tv__hash_begin(h, ctx, "range");
	tv__hash_field(h, context, context_len);
	tv__hash_point(h, key);
	tv__hash_point(h, &ct->alpha);
	tv__hash_point(h, &ct->beta);
	tv__hash_u32(h, min);
	tv__hash_u32(h, max);
	for (j = 0; j <= max - min; j++) {
		tv__hash_point(h, &branch[j].a);
		tv__hash_point(h, &branch[j].b);
	}
}

static tv_status check_range(tv_ctx *ctx, uint32_t min, uint32_t max)
{
	if (min > max)
		return tv__fail(ctx, TV_ERR_RANGE_INVALID,
		                "range proof: min %u is above max %u", min, max);
	if (max - min >= TV_RANGE_MAX_VALUES)
		return tv__fail(ctx, TV_ERR_RANGE_INVALID,
		                "range proof: %u..%u spans more than %d values", min,
		                max, TV_RANGE_MAX_VALUES);
	return TV_OK;
}

/* per-prover scratch, wiped on every exit */
typedef struct prover {
	tv__sc rho1[TV_RANGE_MAX_VALUES]; /* real: u_j; simulated: c_j */
	tv__sc rho2[TV_RANGE_MAX_VALUES]; /* real: w;   simulated: v_j */
	uint64_t real[TV_RANGE_MAX_VALUES]; /* all ones on the true branch */
	tv__sc r, u, s, c, csum, cr;
	tv_point rK_enc;
} prover;

/*
 * Constant time in the value (which branch is real), the nonce r and the
 * rho draws: every branch does the same work, choices are masks, all
 * scalar arithmetic is tv__sc, and the secrets reach OpenSSL only as
 * BN_FLG_CONSTTIME scalars of EC_POINT_mul (through BN_bin2bn) and, as
 * points such as u_j·alpha, EC_POINT_add (tv__ec_add_secret). Revealed:
 * the proof, and whether the inputs were valid (the errors).
 */
/* r = k·K, from the table @p fb when there is one (the same constant time
 * as k·G), else by OpenSSL's constant-time ladder */
static tv_status mul_key(tv_ctx *ctx, EC_POINT *r, const EC_POINT *K, const tv__fixed_base *fb,
                         const BIGNUM *k)
{
	return fb != NULL ? tv__fixed_base_mul_secret(ctx, r, fb, k) : tv__ec_mul_secret(ctx, r, K, k);
}

static tv_status range_prove(tv_ctx *ctx, tv_range_branch *out, size_t out_count,
                             const tv_ciphertext *ct, const tv_point *public_key,
                             const tv__fixed_base *fb, uint32_t min, uint32_t max,
                             uint32_t value, const tv_scalar *nonce, const uint8_t *context,
                             size_t context_len)
{
	prover *pv = NULL;
	tv_range_branch branch[TV_RANGE_MAX_VALUES];
	EC_POINT *K = NULL, *alpha = NULL, *gamma = NULL, *t1 = NULL, *t2 = NULL,
	         *rK = NULL, *neg_g = NULL, *gamma0 = NULL;
	BIGNUM *bu = NULL, *bs = NULL, *bmin = NULL;
	tv_point enc;
	tv__hash h;
	uint64_t found = 0, in_range;
	uint32_t j, L;
	tv_status status;

	if (ctx == NULL || out == NULL || ct == NULL || public_key == NULL || nonce == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "range proof: NULL argument");
	if ((status = tv__check_context(ctx, context, context_len)) != TV_OK ||
	    (status = check_range(ctx, min, max)) != TV_OK)
		return status;
	if (max - min + 1 > out_count)
		return tv__fail(ctx, TV_ERR_RANGE_INVALID,
		                "range proof: %u..%u needs more branches than the proof holds",
		                min, max);
	if (fb != NULL && memcmp(tv__fixed_base_point(fb)->bytes, public_key->bytes,
	                         TV_POINT_BYTES) != 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "range proof: the table is for another key");
	/* only whether the value is in range is revealed (an error) */
	in_range = tv__ct_le_u32(min, value) & tv__ct_le_u32(value, max);
	if (!tv__ct_reveal(in_range))
		return tv__fail(ctx, TV_ERR_RANGE_INVALID,
		                "range proof: the value is outside %u..%u", min, max);
	L = max - min + 1;

	pv = tv__calloc(ctx, 1, sizeof(*pv));
	K = EC_POINT_new(ctx->group);
	alpha = EC_POINT_new(ctx->group);
	gamma = EC_POINT_new(ctx->group);
	t1 = EC_POINT_new(ctx->group);
	t2 = EC_POINT_new(ctx->group);
	rK = EC_POINT_new(ctx->group);
	neg_g = EC_POINT_dup(EC_GROUP_get0_generator(ctx->group), ctx->group);
	bu = tv__bn_secret_new();
	bs = tv__bn_secret_new();
	bmin = BN_new();
	if (!pv || !K || !alpha || !gamma || !t1 || !t2 || !rK || !neg_g || !bu || !bs ||
	    !bmin || !EC_POINT_invert(ctx->group, neg_g, ctx->bn)) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__point_to_ec(ctx, K, public_key, "public key")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, alpha, &ct->alpha, "ciphertext alpha")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, gamma, &ct->beta, "ciphertext beta")) != TV_OK)
		goto out;
	if (!tv__ct_reveal(tv__sc_from_scalar(&pv->r, nonce))) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE,
		                  "nonce: scalar is not below the group order n");
		goto out;
	}
	if (tv__ct_reveal(tv__sc_is_zero(&pv->r))) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE, "range proof: nonce is zero");
		goto out;
	}

	/* the statement must hold: alpha = r·G and beta - value·G = r·K */
	if ((status = tv__sc_to_bn(ctx, bs, &pv->r)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, t1, bs)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &enc, t1, "r·G")) != TV_OK ||
	    (status = mul_key(ctx, rK, K, fb, bs)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &pv->rK_enc, rK, "r·K")) != TV_OK)
		goto out;
	if (!tv__ct_reveal(tv__ct_bytes_equal(enc.bytes, ct->alpha.bytes, TV_POINT_BYTES))) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                  "range proof: alpha is not nonce·G");
		goto out;
	}

	/*
	 * gamma_0 = beta - min·G; each next gamma is one G less. First pass:
	 * is gamma_(value - min) = r·K? Every branch is compared the same way
	 * (constant-time compare of encodings), before any randomness is drawn.
	 */
	if (!BN_set_word(bmin, min) ||
	    !EC_POINT_mul(ctx->group, t1, bmin, NULL, NULL, ctx->bn) ||
	    !EC_POINT_invert(ctx->group, t1, ctx->bn) ||
	    !EC_POINT_add(ctx->group, gamma, gamma, t1, ctx->bn) ||
	    !(gamma0 = EC_POINT_dup(gamma, ctx->group))) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "EC arithmetic failed");
		goto out;
	}
	for (j = 0; j < L; j++) {
		uint64_t eq = 0;

		pv->real[j] = tv__ct_eq_u32(j, value - min);
		/* gamma_j is public: the branch on it is too */
		if (!EC_POINT_is_at_infinity(ctx->group, gamma)) {
			if ((status = tv__ec_to_point(ctx, &enc, gamma, "gamma")) != TV_OK)
				goto out;
			eq = tv__ct_bytes_equal(enc.bytes, pv->rK_enc.bytes, TV_POINT_BYTES);
		}
		found |= eq & pv->real[j];
		if (!EC_POINT_add(ctx->group, gamma, gamma, neg_g, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "EC addition failed");
			goto out;
		}
	}
	if (!tv__ct_reveal(found)) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                  "range proof: the ciphertext is not an encryption of the value with this nonce");
		goto out;
	}
	if (!EC_POINT_copy(gamma, gamma0)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "EC copy failed");
		goto out;
	}
	for (j = 0; j < L; j++) {
		if ((status = tv__random_sc(ctx, &pv->rho1[j])) != TV_OK ||
		    (status = tv__random_sc(ctx, &pv->rho2[j])) != TV_OK)
			goto out;
		/* u_j: real rho1, simulated -rho1; s_j: real rho2 - rho1·r, simulated rho2 */
		tv__sc_neg(&pv->u, &pv->rho1[j]);
		tv__sc_select(&pv->u, pv->real[j], &pv->rho1[j], &pv->u);
		tv__sc_mul(&pv->s, &pv->rho1[j], &pv->r);
		tv__sc_sub(&pv->s, &pv->rho2[j], &pv->s);
		tv__sc_select(&pv->s, pv->real[j], &pv->s, &pv->rho2[j]);
		if ((status = tv__sc_to_bn(ctx, bu, &pv->u)) != TV_OK ||
		    (status = tv__sc_to_bn(ctx, bs, &pv->s)) != TV_OK)
			goto out;
		/* a_j = s_j·G + u_j·alpha;  b_j = s_j·K + u_j·gamma_j */
		if ((status = tv__ec_base_mul_secret(ctx, t1, bs)) != TV_OK ||
		    (status = tv__ec_mul_secret(ctx, t2, alpha, bu)) != TV_OK ||
		    (status = tv__ec_add_secret(ctx, t1, t1, t2)) != TV_OK ||
		    (status = tv__ec_to_public_point(ctx, &branch[j].a, t1, "commitment a")) != TV_OK ||
		    (status = mul_key(ctx, t1, K, fb, bs)) != TV_OK ||
		    (status = tv__ec_mul_secret(ctx, t2, gamma, bu)) != TV_OK ||
		    (status = tv__ec_add_secret(ctx, t1, t1, t2)) != TV_OK ||
		    (status = tv__ec_to_public_point(ctx, &branch[j].b, t1, "commitment b")) != TV_OK)
			goto out;
		if (!EC_POINT_add(ctx->group, gamma, gamma, neg_g, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "EC addition failed");
			goto out;
		}
	}
	range_hash(ctx, &h, context, context_len, public_key, ct, min, max, branch);
	if ((status = tv__hash_final_sc(&h, &pv->c)) != TV_OK)
		goto out;
	/* c_real = c - sum of the simulated challenges */
	tv__sc_set_u32(&pv->csum, 0);
	for (j = 0; j < L; j++) {
		tv__sc_set_u32(&pv->u, 0);
		tv__sc_select(&pv->u, pv->real[j], &pv->u, &pv->rho1[j]);
		tv__sc_add(&pv->csum, &pv->csum, &pv->u);
	}
	tv__sc_sub(&pv->c, &pv->c, &pv->csum);
	tv__sc_mul(&pv->cr, &pv->c, &pv->r);
	for (j = 0; j < L; j++) {
		/* c_j = real ? c_real : rho1;  v_j = real ? rho2 + c_real·r : rho2 */
		tv__sc_select(&pv->u, pv->real[j], &pv->c, &pv->rho1[j]);
		tv__sc_to_scalar(&branch[j].challenge, &pv->u);
		tv__sc_add(&pv->s, &pv->rho2[j], &pv->cr);
		tv__sc_select(&pv->s, pv->real[j], &pv->s, &pv->rho2[j]);
		tv__sc_to_scalar(&branch[j].response, &pv->s);
	}
	/* the proof is published */
	tv__ct_declassify(branch, sizeof(branch[0]) * L);
	memset(out, 0, sizeof(*out) * out_count);
	memcpy(out, branch, sizeof(branch[0]) * L);
out:
	if (pv != NULL) {
		tv__memzero(pv, sizeof(*pv));
		tv__free(ctx, pv);
	}
	tv__memzero(&enc, sizeof(enc));
	tv__memzero(branch, sizeof(branch));
	EC_POINT_free(K);
	EC_POINT_free(alpha);
	EC_POINT_free(gamma);
	EC_POINT_clear_free(t1);
	EC_POINT_clear_free(t2);
	EC_POINT_clear_free(rK);
	EC_POINT_free(neg_g);
	EC_POINT_free(gamma0);
	BN_clear_free(bu);
	BN_clear_free(bs);
	BN_free(bmin);
	return status;
}

/*
 * Σ_j w1_j·(v_j·G − c_j·alpha − a_j) + w2_j·(v_j·K − c_j·beta + c_j·m_j·G − b_j)
 * must be the point at infinity. Returns TV_OK, TV_ERR_PROOF_INVALID (no
 * message: the caller finds the branch), or a could-not-check status.
 */
static tv_status batch_check(tv_ctx *ctx, const EC_POINT *K, const EC_POINT *alpha,
                             const EC_POINT *beta, EC_POINT *const *a, EC_POINT *const *b,
                             BIGNUM *const *c, BIGNUM *const *v, uint32_t min, uint32_t L)
{
	const EC_POINT *pts[3 + 2 * TV_RANGE_MAX_VALUES];
	BIGNUM *sc[3 + 2 * TV_RANGE_MAX_VALUES] = { NULL };
	BIGNUM *g = BN_new(), *w1 = BN_new(), *w2 = BN_new(), *t = BN_new(), *m = BN_new();
	EC_POINT *sum = EC_POINT_new(ctx->group);
	size_t n = 3 + 2 * (size_t)L, i;
	uint8_t raw[16];
	tv_status status = TV_OK;
	uint32_t j;
	int ok;

	for (i = 0; i < n; i++)
		if ((sc[i] = BN_new()) == NULL)
			status = TV_ERR_NOMEM;
	if (status != TV_OK || !g || !w1 || !w2 || !t || !m || !sum) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	pts[0] = alpha;
	pts[1] = beta;
	pts[2] = K;
	BN_zero(g);
	BN_zero(sc[0]);
	BN_zero(sc[1]);
	BN_zero(sc[2]);
	for (j = 0; j < L; j++) {
		/*
		 * Weights unknown to the prover: 128 random bits each, always from
		 * OpenSSL's generator, never the deterministic test generator, so
		 * checking a proof does not change the values a test draws next.
		 */
		if (RAND_bytes_ex(ctx->libctx, raw, sizeof(raw), 0) != 1 ||
		    BN_bin2bn(raw, sizeof(raw), w1) == NULL ||
		    RAND_bytes_ex(ctx->libctx, raw, sizeof(raw), 0) != 1 ||
		    BN_bin2bn(raw, sizeof(raw), w2) == NULL) {
			status = tv__fail(ctx, TV_ERR_RANDOM, "cannot draw batch weights");
			goto out;
		}
		ok = BN_set_word(m, min + j) &&
		     /* G: w1·v + w2·c·m */
		     BN_mod_mul(t, w1, v[j], ctx->order, ctx->bn) &&
		     BN_mod_add(g, g, t, ctx->order, ctx->bn) &&
		     BN_mod_mul(t, w2, c[j], ctx->order, ctx->bn) &&
		     BN_mod_mul(t, t, m, ctx->order, ctx->bn) &&
		     BN_mod_add(g, g, t, ctx->order, ctx->bn) &&
		     /* alpha: −w1·c;  beta: −w2·c;  K: w2·v */
		     BN_mod_mul(t, w1, c[j], ctx->order, ctx->bn) &&
		     BN_mod_sub(sc[0], sc[0], t, ctx->order, ctx->bn) &&
		     BN_mod_mul(t, w2, c[j], ctx->order, ctx->bn) &&
		     BN_mod_sub(sc[1], sc[1], t, ctx->order, ctx->bn) &&
		     BN_mod_mul(t, w2, v[j], ctx->order, ctx->bn) &&
		     BN_mod_add(sc[2], sc[2], t, ctx->order, ctx->bn) &&
		     /* a_j: −w1;  b_j: −w2 */
		     (status = tv__bn_neg(ctx, sc[3 + 2 * j], w1)) == TV_OK &&
		     (status = tv__bn_neg(ctx, sc[4 + 2 * j], w2)) == TV_OK;
		if (!ok) {
			if (status == TV_OK)
				status = tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
			goto out;
		}
		pts[3 + 2 * j] = a[j];
		pts[4 + 2 * j] = b[j];
	}
#ifndef OPENSSL_NO_DEPRECATED_3_0
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	ok = EC_POINTs_mul(ctx->group, sum, g, n, pts, (const BIGNUM **)sc, ctx->bn);
#pragma GCC diagnostic pop
#else
	ok = 0;
#endif
	if (!ok) {
		/* no multi-scalar multiplication: let the single checks decide */
		ERR_clear_error();
		status = TV_ERR_PROOF_INVALID;
	} else if (!EC_POINT_is_at_infinity(ctx->group, sum)) {
		status = TV_ERR_PROOF_INVALID;
	}
out:
	for (i = 0; i < n; i++)
		BN_free(sc[i]);
	BN_free(g);
	BN_free(w1);
	BN_free(w2);
	BN_free(t);
	BN_free(m);
	EC_POINT_free(sum);
	return status;
}

static tv_status range_verify(tv_ctx *ctx, const tv_range_branch *branch,
                              size_t branch_count, const tv_ciphertext *ct,
                              const tv_point *public_key, uint32_t min,
                              uint32_t max, const uint8_t *context,
                              size_t context_len)
{
	EC_POINT *K = NULL, *alpha = NULL, *beta = NULL;
	EC_POINT *a[TV_RANGE_MAX_VALUES] = { NULL }, *b[TV_RANGE_MAX_VALUES] = { NULL };
	BIGNUM *c[TV_RANGE_MAX_VALUES] = { NULL }, *v[TV_RANGE_MAX_VALUES] = { NULL };
	BIGNUM *fs = BN_new(), *sum = BN_new(), *neg_cj = BN_new(), *gm = BN_new(),
	       *m = BN_new();
	uint32_t j, L = 0;
	tv__hash h;
	tv_status status;

	if (ctx == NULL || branch == NULL || ct == NULL || public_key == NULL) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "range proof: NULL argument");
		goto out;
	}
	if ((status = tv__check_context(ctx, context, context_len)) != TV_OK ||
	    (status = check_range(ctx, min, max)) != TV_OK)
		goto out;
	if (max - min + 1 > branch_count) {
		status = tv__fail(ctx, TV_ERR_RANGE_INVALID,
		                  "range proof: %u..%u needs more branches than the proof holds",
		                  min, max);
		goto out;
	}
	L = max - min + 1;
	K = EC_POINT_new(ctx->group);
	alpha = EC_POINT_new(ctx->group);
	beta = EC_POINT_new(ctx->group);
	status = (K && alpha && beta && fs && sum && neg_cj && gm && m) ? TV_OK : TV_ERR_NOMEM;
	for (j = 0; j < L && status == TV_OK; j++) {
		a[j] = EC_POINT_new(ctx->group);
		b[j] = EC_POINT_new(ctx->group);
		c[j] = BN_new();
		v[j] = BN_new();
		if (!a[j] || !b[j] || !c[j] || !v[j])
			status = TV_ERR_NOMEM;
	}
	if (status != TV_OK) {
		status = tv__fail(ctx, status, "cannot allocate");
		goto out;
	}
	if ((status = tv__point_to_ec(ctx, K, public_key, "public key")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, alpha, &ct->alpha, "ciphertext alpha")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, beta, &ct->beta, "ciphertext beta")) != TV_OK)
		goto out;
	/* check 1: every element well formed before any arithmetic */
	BN_zero(sum);
	for (j = 0; j < L; j++) {
		char what[64];

		snprintf(what, sizeof(what), "range proof branch %u commitment a", j);
		if ((status = tv__point_to_ec(ctx, a[j], &branch[j].a, what)) != TV_OK)
			goto out;
		snprintf(what, sizeof(what), "range proof branch %u commitment b", j);
		if ((status = tv__point_to_ec(ctx, b[j], &branch[j].b, what)) != TV_OK)
			goto out;
		snprintf(what, sizeof(what), "range proof branch %u challenge", j);
		if ((status = tv__scalar_to_bn(ctx, c[j], &branch[j].challenge, what)) != TV_OK)
			goto out;
		snprintf(what, sizeof(what), "range proof branch %u response", j);
		if ((status = tv__scalar_to_bn(ctx, v[j], &branch[j].response, what)) != TV_OK)
			goto out;
		if (!BN_mod_add(sum, sum, c[j], ctx->order, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
			goto out;
		}
	}
	/* check 2: the branch challenges add up to the Fiat–Shamir challenge */
	range_hash(ctx, &h, context, context_len, public_key, ct, min, max, branch);
	if ((status = tv__hash_final_scalar(&h, fs)) != TV_OK)
		goto out;
	if (BN_cmp(fs, sum) != 0) {
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                  "range proof: the branch challenges do not add up to the challenge");
		goto out;
	}
	/*
	 * check 3: both equations of every branch. First all 2L of them at
	 * once, weighted by fresh random 128-bit scalars (SPEC §5.4): one
	 * multi-scalar multiplication instead of 2L. Only if that fails are
	 * they checked one by one, to name the failing branch.
	 */
	status = batch_check(ctx, K, alpha, beta, a, b, c, v, min, L);
	if (status == TV_OK || status != TV_ERR_PROOF_INVALID)
		goto out;
	status = TV_OK;
	for (j = 0; j < L; j++) {
		if ((status = tv__bn_neg(ctx, neg_cj, c[j])) != TV_OK)
			goto out;
		status = tv__ec_check_linear(ctx, a[j], v[j], 1,
		                             (const EC_POINT *const[]){ alpha },
		                             (const BIGNUM *const[]){ neg_cj });
		if (status == TV_ERR_PROOF_INVALID) {
			status = tv__fail(ctx, status,
			                  "range proof branch %u (value %u): v·G - c·alpha does not equal a",
			                  j, min + j);
			goto out;
		}
		if (status != TV_OK)
			goto out;
		if (!BN_set_word(m, min + j) || !BN_mod_mul(gm, c[j], m, ctx->order, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
			goto out;
		}
		status = tv__ec_check_linear(ctx, b[j], gm, 2,
		                             (const EC_POINT *const[]){ K, beta },
		                             (const BIGNUM *const[]){ v[j], neg_cj });
		if (status == TV_ERR_PROOF_INVALID) {
			status = tv__fail(ctx, status,
			                  "range proof branch %u (value %u): v·K - c·(beta - m·G) does not equal b",
			                  j, min + j);
			goto out;
		}
		if (status != TV_OK)
			goto out;
	}
	/* the weighted sum failed but no single equation does: impossible
	 * unless the arithmetic itself went wrong */
	status = tv__fail(ctx, TV_ERR_INTERNAL, "range proof: batch and single checks disagree");
out:
	for (j = 0; j < L; j++) {
		EC_POINT_free(a[j]);
		EC_POINT_free(b[j]);
		BN_free(c[j]);
		BN_free(v[j]);
	}
	EC_POINT_free(K);
	EC_POINT_free(alpha);
	EC_POINT_free(beta);
	BN_free(fs);
	BN_free(sum);
	BN_free(neg_cj);
	BN_free(gm);
	BN_free(m);
	return status;
}

tv_status tv_range_prove(tv_ctx *ctx, tv_range_proof *out,
                         const tv_ciphertext *ct, const tv_point *public_key,
                         uint32_t min, uint32_t max, uint32_t value,
                         const tv_scalar *nonce, const uint8_t *context,
                         size_t context_len)
{
	if (out == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "range proof: NULL argument");
	return range_prove(ctx, out->branch, TV_RANGE_MAX_VALUES, ct, public_key, NULL,
	                   min, max, value, nonce, context, context_len);
}

tv_status tv_range_verify(tv_ctx *ctx, const tv_range_proof *proof,
                          const tv_ciphertext *ct, const tv_point *public_key,
                          uint32_t min, uint32_t max, const uint8_t *context,
                          size_t context_len)
{
	if (proof == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "range proof: NULL argument");
	return range_verify(ctx, proof->branch, TV_RANGE_MAX_VALUES, ct,
	                    public_key, min, max, context, context_len);
}

tv_status tv__range_prove_in(tv_ctx *ctx, tv_range_branch *out, size_t count,
                             const tv_ciphertext *ct, const tv_point *public_key,
                             const tv__fixed_base *fb, uint32_t min, uint32_t max,
                             uint32_t value, const tv_scalar *nonce, const uint8_t *context,
                             size_t context_len)
{
	return range_prove(ctx, out, count, ct, public_key, fb, min, max, value, nonce, context,
	                   context_len);
}

tv_status tv__range_verify_in(tv_ctx *ctx, const tv_range_branch *branch, size_t count,
                              const tv_ciphertext *ct, const tv_point *public_key, uint32_t min,
                              uint32_t max, const uint8_t *context, size_t context_len)
{
	return range_verify(ctx, branch, count, ct, public_key, min, max, context, context_len);
}

tv_status tv_bit_prove(tv_ctx *ctx, tv_bit_proof *out, const tv_ciphertext *ct,
                       const tv_point *public_key, uint32_t value,
                       const tv_scalar *nonce, const uint8_t *context,
                       size_t context_len)
{
	if (out == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "bit proof: NULL argument");
	return range_prove(ctx, out->branch, 2, ct, public_key, NULL, 0, 1, value,
	                   nonce, context, context_len);
}

tv_status tv_bit_verify(tv_ctx *ctx, const tv_bit_proof *proof,
                        const tv_ciphertext *ct, const tv_point *public_key,
                        const uint8_t *context, size_t context_len)
{
	if (proof == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "bit proof: NULL argument");
	return range_verify(ctx, proof->branch, 2, ct, public_key, 0, 1, context,
	                    context_len);
}

/*
 * §5.5: the proof's equations into a batch, each side swapped so that the
 * commitments a_j, b_j take the bare 128-bit weights (a short scalar costs
 * about half a full one in the multi-scalar multiplication):
 *   w1·(a_j − v_j·G + c_j·alpha) + w2·(b_j − v_j·K + c_j·beta − c_j·m_j·G)
 */
tv_status tv__range_batch(tv_ctx *ctx, tv__batch *b, const tv_range_branch *branch,
                          size_t branch_count, const tv_ciphertext *ct, const tv_point *key,
                          uint32_t min, uint32_t max, const uint8_t *context, size_t context_len,
                          tv__sc *ca, tv__sc *cb)
{
	tv__p256_affine a[TV_RANGE_MAX_VALUES], bb[TV_RANGE_MAX_VALUES], kp;
	tv__sc c[TV_RANGE_MAX_VALUES], v[TV_RANGE_MAX_VALUES], sum, fs, w1, w2, t, m, g, k;
	tv__hash h;
	tv_status status;
	uint32_t j, L;
	int shared = tv__batch_is_key(b, key);

	if (min > max || max - min >= TV_RANGE_MAX_VALUES || max - min + 1 > branch_count)
		return TV_ERR_PROOF_INVALID;
	L = max - min + 1;
	if (!shared && !tv__p256_decode(&kp, key->bytes))
		return TV_ERR_PROOF_INVALID;
	tv__sc_set_u32(&sum, 0);
	for (j = 0; j < L; j++) {
		if (!tv__p256_decode(&a[j], branch[j].a.bytes) ||
		    !tv__p256_decode(&bb[j], branch[j].b.bytes) ||
		    !tv__sc_from_scalar(&c[j], &branch[j].challenge) ||
		    !tv__sc_from_scalar(&v[j], &branch[j].response))
			return TV_ERR_PROOF_INVALID;
		tv__sc_add(&sum, &sum, &c[j]);
	}
	range_hash(ctx, &h, context, context_len, key, ct, min, max, branch);
	if ((status = tv__hash_final_sc(&h, &fs)) != TV_OK)
		return status;
	if (memcmp(fs.d, sum.d, sizeof(sum.d)) != 0)
		return TV_ERR_PROOF_INVALID;
	tv__sc_set_u32(&g, 0);
	tv__sc_set_u32(&k, 0);
	for (j = 0; j < L; j++) {
		tv__batch_weight(b, &w1);
		tv__batch_weight(b, &w2);
		if ((status = tv__batch_term(b, &a[j], &w1)) != TV_OK ||
		    (status = tv__batch_term(b, &bb[j], &w2)) != TV_OK)
			return status;
		tv__sc_mul(&t, &w1, &v[j]); /* G: −w1·v_j */
		tv__sc_sub(&g, &g, &t);
		tv__sc_mul(&t, &w1, &c[j]); /* alpha: +w1·c_j */
		tv__sc_add(ca, ca, &t);
		tv__sc_mul(&t, &w2, &c[j]); /* beta: +w2·c_j;  G: −w2·c_j·m_j */
		tv__sc_add(cb, cb, &t);
		if (min + j != 0) {
			tv__sc_set_u32(&m, min + j);
			tv__sc_mul(&t, &t, &m);
			tv__sc_sub(&g, &g, &t);
		}
		tv__sc_mul(&t, &w2, &v[j]); /* K: −w2·v_j */
		tv__sc_sub(&k, &k, &t);
	}
	tv__batch_add_g(b, &g);
	if (shared) {
		tv__batch_add_key(b, &k);
		return TV_OK;
	}
	return tv__batch_term(b, &kp, &k);
}
