/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §4: exponential ElGamal, (alpha, beta) = (r·G, v·G + r·K). */
#include "internal.h"
#include "fixed_base.h"
#include "p256.h"

/*
 * beta = r·K + v·G without a secret-dependent path: v (the vote) is as
 * secret as r, and 0·G is the point at infinity, which OpenSSL treats as a
 * special case. With a fresh random t, v·G = (v + t)·G - t·G, and both of
 * those multiplications take uniformly random non-zero scalars. v + t is
 * our constant-time sum (tv__sc_add); v, r and t reach OpenSSL only as
 * BN_FLG_CONSTTIME scalars of EC_POINT_mul (through BN_bin2bn), and the
 * secret points r·K and (v + t)·G reach only EC_POINT_add/_invert
 * (tv__ec_add_secret, tv__ec_neg_secret).
 */
static tv_status encrypt_sc(tv_ctx *ctx, tv_ciphertext *out,
                            const EC_POINT *key, const tv__fixed_base *fb,
                            uint32_t value, const tv__sc *r)
{
	EC_POINT *alpha = EC_POINT_new(ctx->group);
	EC_POINT *beta = EC_POINT_new(ctx->group);
	EC_POINT *tmp = EC_POINT_new(ctx->group);
	BIGNUM *rb = tv__bn_secret_new(), *tb = tv__bn_secret_new(), *vtb = tv__bn_secret_new();
	tv__sc t, vt;
	tv_ciphertext ct;
	tv_status status;

	tv__sc_set_u32(&vt, 0);
	if (alpha == NULL || beta == NULL || tmp == NULL || rb == NULL || tb == NULL ||
	    vtb == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	status = tv__random_sc(ctx, &t);
	if (status != TV_OK)
		goto out;
	tv__sc_set_u32(&vt, value);
	tv__sc_add(&vt, &vt, &t);
	if ((status = tv__sc_to_bn(ctx, rb, r)) != TV_OK ||
	    (status = tv__sc_to_bn(ctx, tb, &t)) != TV_OK ||
	    (status = tv__sc_to_bn(ctx, vtb, &vt)) != TV_OK)
		goto out;
	if ((status = tv__ec_base_mul_secret(ctx, alpha, rb)) != TV_OK ||
	    (status = fb != NULL ? tv__fixed_base_mul_secret(ctx, beta, fb, rb)
	                         : tv__ec_mul_secret(ctx, beta, key, rb)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, tmp, vtb)) != TV_OK ||
	    (status = tv__ec_add_secret(ctx, beta, beta, tmp)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, tmp, tb)) != TV_OK ||
	    (status = tv__ec_neg_secret(ctx, tmp)) != TV_OK ||
	    (status = tv__ec_add_secret(ctx, beta, beta, tmp)) != TV_OK)
		goto out;
	if ((status = tv__ec_to_public_point(ctx, &ct.alpha, alpha, "alpha")) != TV_OK ||
	    (status = tv__ec_to_public_point(ctx, &ct.beta, beta, "beta")) != TV_OK)
		goto out;
	*out = ct;
out:
	tv__sc_wipe(&t);
	tv__sc_wipe(&vt);
	EC_POINT_free(alpha);
	EC_POINT_clear_free(beta);
	EC_POINT_clear_free(tmp);
	BN_clear_free(rb);
	BN_clear_free(tb);
	BN_clear_free(vtb);
	return status;
}

static tv_status encrypt_common(tv_ctx *ctx, tv_ciphertext *out,
                                tv_scalar *nonce_out,
                                const tv_point *public_key, uint32_t value,
                                const tv_scalar *nonce_in)
{
	EC_POINT *key = NULL;
	tv__sc r;
	tv_status status;

	if (ctx == NULL || out == NULL || public_key == NULL ||
	    (nonce_out == NULL && nonce_in == NULL))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "ElGamal encryption: NULL argument");
	tv__sc_set_u32(&r, 0);
	key = EC_POINT_new(ctx->group);
	if (key == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__point_to_ec(ctx, key, public_key, "public key")) != TV_OK)
		goto out;
	if (nonce_in != NULL) {
		/* only the checks' answers are revealed: they fail with an error */
		uint64_t below = tv__sc_from_scalar(&r, nonce_in);

		if (!tv__ct_reveal(below)) {
			status = tv__fail(ctx, TV_ERR_SCALAR_RANGE,
			                  "nonce: scalar is not below the group order n");
			goto out;
		}
		if (tv__ct_reveal(tv__sc_is_zero(&r))) {
			status = tv__fail(ctx, TV_ERR_SCALAR_RANGE, "nonce is zero");
			goto out;
		}
	} else if ((status = tv__random_sc(ctx, &r)) != TV_OK) {
		goto out;
	}
	status = encrypt_sc(ctx, out, key, NULL, value, &r);
	if (status == TV_OK && nonce_out != NULL)
		tv__sc_to_scalar(nonce_out, &r);
out:
	tv__sc_wipe(&r);
	EC_POINT_free(key);
	return status;
}

tv_status tv_elgamal_encrypt(tv_ctx *ctx, tv_ciphertext *out, tv_scalar *nonce,
                             const tv_point *public_key, uint32_t value)
{
	if (nonce == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "ElGamal encryption: NULL nonce");
	return encrypt_common(ctx, out, nonce, public_key, value, NULL);
}

tv_status tv_elgamal_encrypt_with_nonce(tv_ctx *ctx, tv_ciphertext *out,
                                        const tv_point *public_key,
                                        uint32_t value, const tv_scalar *nonce)
{
	if (nonce == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "ElGamal encryption: NULL nonce");
	return encrypt_common(ctx, out, NULL, public_key, value, nonce);
}

tv_status tv_ciphertext_add(tv_ctx *ctx, tv_ciphertext *out,
                            const tv_ciphertext *a, const tv_ciphertext *b)
{
	EC_POINT *p[4] = { NULL, NULL, NULL, NULL };
	tv_ciphertext sum;
	tv_status status = TV_OK;
	int i;

	if (ctx == NULL || out == NULL || a == NULL || b == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ciphertext_add: NULL argument");
	for (i = 0; i < 4; i++)
		if ((p[i] = EC_POINT_new(ctx->group)) == NULL)
			status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
	if (status != TV_OK ||
	    (status = tv__point_to_ec(ctx, p[0], &a->alpha, "first ciphertext alpha")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, p[1], &a->beta, "first ciphertext beta")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, p[2], &b->alpha, "second ciphertext alpha")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, p[3], &b->beta, "second ciphertext beta")) != TV_OK)
		goto out;
	if (!EC_POINT_add(ctx->group, p[0], p[0], p[2], ctx->bn) ||
	    !EC_POINT_add(ctx->group, p[1], p[1], p[3], ctx->bn)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "EC addition failed");
		goto out;
	}
	if ((status = tv__ec_to_point(ctx, &sum.alpha, p[0], "sum alpha")) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &sum.beta, p[1], "sum beta")) != TV_OK)
		goto out;
	*out = sum;
out:
	for (i = 0; i < 4; i++)
		EC_POINT_free(p[i]);
	return status;
}

tv_status tv_elgamal_decrypt(tv_ctx *ctx, uint32_t *value,
                             const tv_ciphertext *ct,
                             const tv_scalar *secret_key, uint32_t max_value)
{
	static const tv_scalar zero = { { 0 } };
	EC_POINT *alpha = NULL, *m = NULL, *acc = NULL;
	BIGNUM *x = NULL;
	tv_status status;

	if (ctx == NULL || value == NULL || ct == NULL || secret_key == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_elgamal_decrypt: NULL argument");
	alpha = EC_POINT_new(ctx->group);
	m = EC_POINT_new(ctx->group);
	acc = EC_POINT_new(ctx->group);
	x = tv__bn_secret_new();
	if (alpha == NULL || m == NULL || acc == NULL || x == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__scalar_to_bn(ctx, x, secret_key, "secret key")) != TV_OK)
		goto out;
	if (tv__ct_reveal(tv__ct_bytes_equal(secret_key->bytes, zero.bytes, TV_SCALAR_BYTES))) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE, "secret key is zero");
		goto out;
	}
	if ((status = tv__point_to_ec(ctx, alpha, &ct->alpha, "alpha")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, m, &ct->beta, "beta")) != TV_OK ||
	    (status = tv__ec_mul_secret(ctx, acc, alpha, x)) != TV_OK)
		goto out;
	/* m = beta - x·alpha = v·G */
	if ((status = tv__ec_neg_secret(ctx, acc)) != TV_OK ||
	    (status = tv__ec_add_secret(ctx, m, m, acc)) != TV_OK)
		goto out;
	status = tv__ec_dlog(ctx, value, m, max_value);
	if (status == TV_ERR_RANGE_INVALID)
		status = tv__fail(ctx, TV_ERR_RANGE_INVALID,
		                  "ciphertext does not hold a value from 0 to %u", max_value);
out:
	EC_POINT_free(alpha);
	EC_POINT_free(m);
	EC_POINT_free(acc);
	BN_clear_free(x);
	return status;
}

/*
 * SPEC §17.1.2: a running sum of ciphertexts, kept as points so that a
 * partial sum may pass through the point at infinity (only the final sum
 * is encoded). It starts from (h·G, h·K), the encryption of 0 with nonce
 * h = Hs("tally-start"; F, head_N): the sum of no ballots is defined and
 * decrypts to 0, and since h follows from the whole board, no voter can
 * choose a nonce that brings the final sum to the point at infinity.
 */
tv_status tv__ct_sum_start(tv_ctx *ctx, tv__ct_sum *s, const tv_point *key,
                           const uint8_t fingerprint[32], const uint8_t head[32])
{
	EC_POINT *k = EC_POINT_new(ctx->group), *p = EC_POINT_new(ctx->group);
	BIGNUM *h = BN_new();
	tv__p256_affine a;
	tv_point enc;
	tv__hash hash;
	tv_status status;

	tv__ct_sum_free(s);
	if (k == NULL || p == NULL || h == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__hash_begin(&hash, ctx, "tally-start")) != TV_OK) {
		tv__hash_abort(&hash);
		goto out;
	}
	tv__hash_field(&hash, fingerprint, 32);
	tv__hash_field(&hash, head, 32);
	if ((status = tv__hash_final_scalar(&hash, h)) != TV_OK ||
	    (status = tv__point_to_ec(ctx, k, key, "election key")) != TV_OK)
		goto out;
	/* h is public (it follows from the board): the start is two points */
	if (!EC_POINT_mul(ctx->group, p, h, NULL, NULL, ctx->bn)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "EC multiplication failed");
		goto out;
	}
	if ((status = tv__ec_to_point(ctx, &enc, p, "h·G")) != TV_OK ||
	    (status = tv__point_to_affine(ctx, &a, &enc, "h·G")) != TV_OK)
		goto out;
	tv__p256_acc_add(&s->a, &a);
	if (!EC_POINT_mul(ctx->group, p, NULL, k, h, ctx->bn)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "EC multiplication failed");
		goto out;
	}
	if ((status = tv__ec_to_point(ctx, &enc, p, "h·K")) != TV_OK ||
	    (status = tv__point_to_affine(ctx, &a, &enc, "h·K")) != TV_OK)
		goto out;
	tv__p256_acc_add(&s->b, &a);
out:
	EC_POINT_free(k);
	EC_POINT_free(p);
	BN_free(h);
	return status;
}

/* the ciphertext added to the sum (@p negate 0) or taken out of it (1):
 * our own arithmetic, a ciphertext being public */
static tv_status sum_step(tv_ctx *ctx, tv__ct_sum *s, const tv_ciphertext *ct, int negate)
{
	tv__p256_affine alpha, beta;
	tv_status status;

	if ((status = tv__point_to_affine(ctx, &alpha, &ct->alpha, "ciphertext alpha")) != TV_OK ||
	    (status = tv__point_to_affine(ctx, &beta, &ct->beta, "ciphertext beta")) != TV_OK)
		return status;
	if (negate) {
		tv__p256_acc_sub(&s->a, &alpha);
		tv__p256_acc_sub(&s->b, &beta);
	} else {
		tv__p256_acc_add(&s->a, &alpha);
		tv__p256_acc_add(&s->b, &beta);
	}
	return TV_OK;
}

tv_status tv__ct_sum_add(tv_ctx *ctx, tv__ct_sum *s, const tv_ciphertext *ct)
{
	return sum_step(ctx, s, ct, 0);
}

/*
 * A sum begun before the board's end, whose h is not yet known: it starts
 * from the point at infinity, and tv__ct_sum_add_start adds (h·G, h·K) at
 * the end. The group is commutative: the final sum is the same point.
 */
tv_status tv__ct_sum_zero(tv_ctx *ctx, tv__ct_sum *s)
{
	(void)ctx;
	tv__ct_sum_free(s);
	return TV_OK;
}

tv_status tv__ct_sum_add_start(tv_ctx *ctx, tv__ct_sum *s, const tv_point *key,
                               const uint8_t fingerprint[32], const uint8_t head[32])
{
	tv__ct_sum start;
	tv_status status = tv__ct_sum_start(ctx, &start, key, fingerprint, head);

	if (status == TV_OK) {
		tv__p256_acc_add_acc(&s->a, &start.a);
		tv__p256_acc_add_acc(&s->b, &start.b);
	}
	return status;
}

/* (−α, −β) added: a ciphertext added before is taken out of the sum again */
tv_status tv__ct_sum_sub(tv_ctx *ctx, tv__ct_sum *s, const tv_ciphertext *ct)
{
	return sum_step(ctx, s, ct, 1);
}

tv_status tv__ct_sum_get(tv_ctx *ctx, tv_ciphertext *out, const tv__ct_sum *s)
{
	if (!tv__p256_acc_get(out->alpha.bytes, &s->a))
		return tv__fail(ctx, TV_ERR_POINT_INVALID,
		                "the sum's alpha: the point at infinity has no encoding");
	if (!tv__p256_acc_get(out->beta.bytes, &s->b))
		return tv__fail(ctx, TV_ERR_POINT_INVALID,
		                "the sum's beta: the point at infinity has no encoding");
	return TV_OK;
}

/* a sum is plain memory: "freeing" one makes it the empty sum again */
void tv__ct_sum_free(tv__ct_sum *s)
{
	tv__p256_acc_init(&s->a);
	tv__p256_acc_init(&s->b);
}

/* tv_elgamal_encrypt with r·K from the table (lib/crypto/fixed_base.h) */
tv_status tv__elgamal_encrypt_fixed(tv_ctx *ctx, tv_ciphertext *out, tv_scalar *nonce,
                                    const tv__fixed_base *fb, uint32_t value)
{
	tv__sc r;
	tv_status status;

	tv__sc_set_u32(&r, 0);
	if ((status = tv__random_sc(ctx, &r)) == TV_OK &&
	    (status = encrypt_sc(ctx, out, NULL, fb, value, &r)) == TV_OK)
		tv__sc_to_scalar(nonce, &r);
	tv__sc_wipe(&r);
	return status;
}
