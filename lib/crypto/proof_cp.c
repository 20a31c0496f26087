/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §5.2: Chaum–Pedersen proof that log_g1 h1 = log_g2 h2 (= x).
 *   a1 = w·g1, a2 = w·g2;  c = Hs("cp"; context, g1, h1, g2, h2, a1, a2);
 *   v = w + c·x mod n.
 * Check: v·g1 - c·h1 = a1 and v·g2 - c·h2 = a2.
 */
#include "internal.h"

/* H("cp"; context, g1, h1, g2, h2, a1, a2), for tv__hash_final_sc (prover)
 * or _scalar (verifier) */
static void cp_hash(tv_ctx *ctx, tv__hash *h, const uint8_t *context,
                    size_t context_len, const tv_point *const st[4],
                    const tv_point *a1, const tv_point *a2)
{
	int i;

	/* a failed start is sticky: the final call reports it */
	(void)tv__hash_begin(h, ctx, "cp");
	tv__hash_field(h, context, context_len);
	for (i = 0; i < 4; i++)
		tv__hash_point(h, st[i]);
	tv__hash_point(h, a1);
	tv__hash_point(h, a2);
}

static const char *const statement_names[4] = {
	"statement g1", "statement h1", "statement g2", "statement h2",
};

/*
 * Constant time in x and w: v = w + c·x is tv__sc arithmetic, x and w
 * reach OpenSSL only as BN_FLG_CONSTTIME scalars of EC_POINT_mul, and the
 * statement check compares x·g1, x·g2 with h1, h2 in constant time,
 * revealing only whether the statement holds.
 */
tv_status tv_cp_prove(tv_ctx *ctx, tv_cp_proof *out, const tv_scalar *secret,
                      const tv_point *g1, const tv_point *h1,
                      const tv_point *g2, const tv_point *h2,
                      const uint8_t *context, size_t context_len)
{
	const tv_point *st[4] = { g1, h1, g2, h2 };
	EC_POINT *p[4] = { NULL, NULL, NULL, NULL };
	EC_POINT *t = NULL;
	BIGNUM *b = tv__bn_secret_new();
	tv__sc x, w, c;
	tv_cp_proof proof;
	tv_point check;
	tv__hash h;
	tv_status status = TV_OK;
	int i;

	tv__sc_set_u32(&x, 0);
	tv__sc_set_u32(&w, 0);
	tv__sc_set_u32(&c, 0);
	if (ctx == NULL || out == NULL || secret == NULL || !g1 || !h1 || !g2 || !h2) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_cp_prove: NULL argument");
		goto out;
	}
	if ((status = tv__check_context(ctx, context, context_len)) != TV_OK)
		goto out;
	t = EC_POINT_new(ctx->group);
	for (i = 0; i < 4; i++)
		p[i] = EC_POINT_new(ctx->group);
	if (b == NULL || t == NULL || !p[0] || !p[1] || !p[2] || !p[3]) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	for (i = 0; i < 4; i++)
		if ((status = tv__point_to_ec(ctx, p[i], st[i], statement_names[i])) != TV_OK)
			goto out;
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
	/* refuse to prove a false statement: that would be a bug upstream */
	if ((status = tv__sc_to_bn(ctx, b, &x)) != TV_OK ||
	    (status = tv__ec_mul_secret(ctx, t, p[0], b)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &check, t, "x·g1")) != TV_OK)
		goto out;
	if (!tv__ct_reveal(tv__ct_bytes_equal(check.bytes, h1->bytes, TV_POINT_BYTES))) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "Chaum–Pedersen: h1 is not x·g1");
		goto out;
	}
	if ((status = tv__ec_mul_secret(ctx, t, p[2], b)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &check, t, "x·g2")) != TV_OK)
		goto out;
	if (!tv__ct_reveal(tv__ct_bytes_equal(check.bytes, h2->bytes, TV_POINT_BYTES))) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "Chaum–Pedersen: h2 is not x·g2");
		goto out;
	}
	if ((status = tv__random_sc(ctx, &w)) != TV_OK ||
	    (status = tv__sc_to_bn(ctx, b, &w)) != TV_OK ||
	    (status = tv__ec_mul_secret(ctx, t, p[0], b)) != TV_OK ||
	    (status = tv__ec_to_public_point(ctx, &proof.commitment1, t, "commitment a1")) != TV_OK ||
	    (status = tv__ec_mul_secret(ctx, t, p[2], b)) != TV_OK ||
	    (status = tv__ec_to_public_point(ctx, &proof.commitment2, t, "commitment a2")) != TV_OK)
		goto out;
	cp_hash(ctx, &h, context, context_len, st, &proof.commitment1, &proof.commitment2);
	if ((status = tv__hash_final_sc(&h, &c)) != TV_OK)
		goto out;
	tv__sc_mul(&c, &c, &x);
	tv__sc_add(&w, &w, &c);
	tv__sc_to_scalar(&proof.response, &w);
	/* the proof is published */
	tv__ct_declassify(&proof, sizeof(proof));
	*out = proof;
out:
	for (i = 0; i < 4; i++)
		EC_POINT_free(p[i]);
	EC_POINT_clear_free(t);
	tv__memzero(&check, sizeof(check));
	tv__sc_wipe(&x);
	tv__sc_wipe(&w);
	tv__sc_wipe(&c);
	BN_clear_free(b);
	return status;
}

tv_status tv_cp_verify(tv_ctx *ctx, const tv_cp_proof *proof,
                       const tv_point *g1, const tv_point *h1,
                       const tv_point *g2, const tv_point *h2,
                       const uint8_t *context, size_t context_len)
{
	const tv_point *st[4] = { g1, h1, g2, h2 };
	EC_POINT *p[4] = { NULL, NULL, NULL, NULL };
	EC_POINT *a1 = NULL, *a2 = NULL;
	tv_point generator;
	BIGNUM *c = BN_new(), *v = BN_new();
	tv__hash h;
	tv_status status = TV_OK;
	int i;

	if (ctx == NULL || proof == NULL || !g1 || !h1 || !g2 || !h2) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_cp_verify: NULL argument");
		goto out;
	}
	tv_point_generator(&generator);
	if ((status = tv__check_context(ctx, context, context_len)) != TV_OK)
		goto out;
	a1 = EC_POINT_new(ctx->group);
	a2 = EC_POINT_new(ctx->group);
	for (i = 0; i < 4; i++)
		p[i] = EC_POINT_new(ctx->group);
	if (c == NULL || v == NULL || !a1 || !a2 || !p[0] || !p[1] || !p[2] || !p[3]) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	for (i = 0; i < 4; i++)
		if ((status = tv__point_to_ec(ctx, p[i], st[i], statement_names[i])) != TV_OK)
			goto out;
	if ((status = tv__point_to_ec(ctx, a1, &proof->commitment1, "proof commitment a1")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, a2, &proof->commitment2, "proof commitment a2")) != TV_OK ||
	    (status = tv__scalar_to_bn(ctx, v, &proof->response, "proof response")) != TV_OK)
		goto out;
	cp_hash(ctx, &h, context, context_len, st, &proof->commitment1, &proof->commitment2);
	if ((status = tv__hash_final_scalar(&h, c)) != TV_OK ||
	    (status = tv__bn_neg(ctx, c, c)) != TV_OK)
		goto out;
	/* g1 is G for partial decryptions: use OpenSSL's precomputed table */
	if (tv_point_equal(g1, &generator))
		status = tv__ec_check_linear(ctx, a1, v, 1,
		                             (const EC_POINT *const[]){ p[1] },
		                             (const BIGNUM *const[]){ c });
	else
		status = tv__ec_check_linear(ctx, a1, NULL, 2,
		                             (const EC_POINT *const[]){ p[0], p[1] },
		                             (const BIGNUM *const[]){ v, c });
	if (status == TV_ERR_PROOF_INVALID) {
		status = tv__fail(ctx, status, "Chaum–Pedersen proof: v·g1 - c·h1 does not equal a1");
		goto out;
	}
	if (status != TV_OK)
		goto out;
	status = tv__ec_check_linear(ctx, a2, NULL, 2,
	                             (const EC_POINT *const[]){ p[2], p[3] },
	                             (const BIGNUM *const[]){ v, c });
	if (status == TV_ERR_PROOF_INVALID)
		status = tv__fail(ctx, status, "Chaum–Pedersen proof: v·g2 - c·h2 does not equal a2");
out:
	for (i = 0; i < 4; i++)
		EC_POINT_free(p[i]);
	EC_POINT_free(a1);
	EC_POINT_free(a2);
	BN_free(c);
	BN_free(v);
	return status;
}
