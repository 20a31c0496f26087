/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §2: P-256 scalars and points, their encodings and checks. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "internal.h"
#include "p256.h"

/* the field prime p of P-256, big-endian, for the x, y < p check */
static const uint8_t p256_prime[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

static const tv_point p256_generator = { {
	0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc,
	0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d,
	0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb,
	0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31,
	0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
} };

/*
 * Big-endian a < b for 32-byte values, in constant time (points' coordinates;
 * scalars are checked by tv__sc_bytes_below_n). The borrow of a - b is the
 * answer.
 */
static int be32_less(const uint8_t *a, const uint8_t *b)
{
	unsigned borrow = 0;
	int i;

	for (i = 31; i >= 0; i--)
		borrow = ((unsigned)a[i] - (unsigned)b[i] - borrow) >> 31;
	return (int)borrow;
}

tv_status tv__point_to_ec(tv_ctx *ctx, EC_POINT *out, const tv_point *in,
                          const char *what)
{
	if (in->bytes[0] != 0x04)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: point encoding must start with 04 (uncompressed), not %02x",
		                what, in->bytes[0]);
	if (!be32_less(in->bytes + 1, p256_prime) ||
	    !be32_less(in->bytes + 33, p256_prime))
		return tv__fail(ctx, TV_ERR_POINT_INVALID,
		                "%s: coordinate is not below the field prime", what);
	/* oct2point sets affine coordinates, which checks the curve equation */
	if (!EC_POINT_oct2point(ctx->group, out, in->bytes, TV_POINT_BYTES, ctx->bn)) {
		/* tell "not on the curve" (rejected) from "could not check" */
		unsigned long err = ERR_peek_last_error();

		if (ERR_GET_LIB(err) == ERR_LIB_EC &&
		    (ERR_GET_REASON(err) == EC_R_POINT_IS_NOT_ON_CURVE ||
		     ERR_GET_REASON(err) == EC_R_INVALID_ENCODING))
			return tv__fail(ctx, TV_ERR_POINT_INVALID,
			                "%s: not a point on P-256", what);
		if (ERR_GET_REASON(err) == ERR_R_MALLOC_FAILURE)
			return tv__fail(ctx, TV_ERR_NOMEM, "%s: out of memory decoding a point", what);
		return tv__fail(ctx, TV_ERR_INTERNAL, "%s: cannot decode point", what);
	}
	return TV_OK;
}

/*
 * The point may come from a secret (r·K, a shared secret); its encoding
 * stays secret. Whether it is infinity (an error) and the encoding's
 * length are revealed.
 */
tv_status tv__ec_to_point(tv_ctx *ctx, tv_point *out, const EC_POINT *in,
                          const char *what)
{
	int infinity = EC_POINT_is_at_infinity(ctx->group, in);
	size_t len;

	tv__ct_declassify(&infinity, sizeof(infinity));
	if (infinity)
		return tv__fail(ctx, TV_ERR_POINT_INVALID,
		                "%s: the point at infinity has no encoding", what);
	len = EC_POINT_point2oct(ctx->group, in, POINT_CONVERSION_UNCOMPRESSED,
	                         out->bytes, TV_POINT_BYTES, ctx->bn);
	tv__ct_declassify(&len, sizeof(len));
	if (len != TV_POINT_BYTES)
		return tv__fail(ctx, TV_ERR_INTERNAL, "%s: cannot encode point", what);
	return TV_OK;
}

tv_status tv__ec_to_public_point(tv_ctx *ctx, tv_point *out, const EC_POINT *in,
                                 const char *what)
{
	tv_status status = tv__ec_to_point(ctx, out, in, what);

	tv__ct_declassify(out->bytes, sizeof(out->bytes));
	return status;
}

tv_status tv__scalar_to_bn(tv_ctx *ctx, BIGNUM *out, const tv_scalar *in,
                           const char *what)
{
	/* only the range check's answer is revealed (it fails with an error) */
	if (!tv__ct_reveal(tv__sc_bytes_below_n(in->bytes)))
		return tv__fail(ctx, TV_ERR_SCALAR_RANGE,
		                "%s: scalar is not below the group order n", what);
	if (BN_bin2bn(in->bytes, TV_SCALAR_BYTES, out) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "%s: cannot convert scalar", what);
	return TV_OK;
}

/* variable time (BN_cmp): public values only */
tv_status tv__bn_to_scalar(tv_ctx *ctx, tv_scalar *out, const BIGNUM *in)
{
	if (BN_is_negative(in) || BN_cmp(in, ctx->order) >= 0 ||
	    BN_bn2binpad(in, out->bytes, TV_SCALAR_BYTES) != TV_SCALAR_BYTES)
		return tv__fail(ctx, TV_ERR_INTERNAL, "scalar not reduced mod n");
	return TV_OK;
}

BIGNUM *tv__bn_secret_new(void)
{
	BIGNUM *bn = BN_secure_new();

	if (bn != NULL)
		BN_set_flags(bn, BN_FLG_CONSTTIME);
	return bn;
}

tv_status tv__ec_mul2_public(tv_ctx *ctx, EC_POINT *r, const BIGNUM *a,
                             const EC_POINT *p, const BIGNUM *b)
{
	if (!EC_POINT_mul(ctx->group, r, a, p, b, ctx->bn))
		return tv__fail(ctx, TV_ERR_INTERNAL, "EC multiplication failed");
	return TV_OK;
}

tv_status tv__ec_mul_secret(tv_ctx *ctx, EC_POINT *r, const EC_POINT *p,
                            const BIGNUM *k)
{
	/*
	 * One point, no generator term: OpenSSL takes its constant-time path
	 * (the P-256 windowed gather, or the Montgomery ladder elsewhere).
	 */
	if (!EC_POINT_mul(ctx->group, r, NULL, p, k, ctx->bn))
		return tv__fail(ctx, TV_ERR_INTERNAL, "EC multiplication failed");
	return TV_OK;
}

tv_status tv__ec_base_mul_secret(tv_ctx *ctx, EC_POINT *r, const BIGNUM *k)
{
	if (!EC_POINT_mul(ctx->group, r, k, NULL, NULL, ctx->bn))
		return tv__fail(ctx, TV_ERR_INTERNAL, "EC multiplication failed");
	return TV_OK;
}

/*
 * Points computed from secrets (r·K, (v + t)·G, u·alpha) are added here
 * and only here, so the constant-time check (tests/ct) can tell OpenSSL's
 * EC_POINT_add and EC_POINT_invert on them from a secret passed to any
 * other OpenSSL function.
 */
tv_status tv__ec_add_secret(tv_ctx *ctx, EC_POINT *r, const EC_POINT *a,
                            const EC_POINT *b)
{
	if (!EC_POINT_add(ctx->group, r, a, b, ctx->bn))
		return tv__fail(ctx, TV_ERR_INTERNAL, "EC addition failed");
	return TV_OK;
}

tv_status tv__ec_neg_secret(tv_ctx *ctx, EC_POINT *p)
{
	if (!EC_POINT_invert(ctx->group, p, ctx->bn))
		return tv__fail(ctx, TV_ERR_INTERNAL, "EC negation failed");
	return TV_OK;
}

tv_status tv__check_context(tv_ctx *ctx, const uint8_t *context, size_t len)
{
	if (context == NULL && len != 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "context is NULL");
	if (len > TV_PROOF_CONTEXT_MAX)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "context of %zu bytes is over the %d-byte limit", len,
		                TV_PROOF_CONTEXT_MAX);
	return TV_OK;
}

tv_status tv_scalar_decode(tv_ctx *ctx, tv_scalar *out, const uint8_t *in,
                           size_t len)
{
	if (ctx == NULL || out == NULL || (in == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_scalar_decode: NULL argument");
	if (len != TV_SCALAR_BYTES)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "scalar must be %d bytes, got %zu", TV_SCALAR_BYTES, len);
	/* constant time in the bytes; only the answer is revealed */
	if (!tv__ct_reveal(tv__sc_bytes_below_n(in)))
		return tv__fail(ctx, TV_ERR_SCALAR_RANGE,
		                "scalar is not below the group order n");
	memcpy(out->bytes, in, TV_SCALAR_BYTES);
	return TV_OK;
}

tv_status tv_point_decode(tv_ctx *ctx, tv_point *out, const uint8_t *in,
                          size_t len)
{
	tv_point tmp;
	tv_status status;

	if (ctx == NULL || out == NULL || (in == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_point_decode: NULL argument");
	if (len != TV_POINT_BYTES)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "point must be %d bytes (SEC1 uncompressed), got %zu",
		                TV_POINT_BYTES, len);
	memcpy(tmp.bytes, in, TV_POINT_BYTES);
	status = tv_point_check(ctx, &tmp);
	if (status == TV_OK)
		*out = tmp;
	return status;
}

tv_status tv__point_to_affine(tv_ctx *ctx, tv__p256_affine *out, const tv_point *in,
                              const char *what)
{
	if (in->bytes[0] != 0x04)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: point encoding must start with 04 (uncompressed), not %02x",
		                what, in->bytes[0]);
	if (!be32_less(in->bytes + 1, p256_prime) || !be32_less(in->bytes + 33, p256_prime))
		return tv__fail(ctx, TV_ERR_POINT_INVALID,
		                "%s: coordinate is not below the field prime", what);
	if (!tv__p256_decode(out, in->bytes))
		return tv__fail(ctx, TV_ERR_POINT_INVALID, "%s: not a point on P-256", what);
	return TV_OK;
}

/*
 * Public points only (every caller's is read from input): the curve
 * equation is checked by our own arithmetic (p256.c), which costs a
 * fraction of an EC_POINT's decoding, and a board line holds 18 points.
 */
tv_status tv_point_check(tv_ctx *ctx, const tv_point *point)
{
	tv__p256_affine p;

	if (ctx == NULL || point == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_point_check: NULL argument");
	return tv__point_to_affine(ctx, &p, point, "point");
}

tv_status tv_scalar_from_hex(tv_ctx *ctx, tv_scalar *out, const char *hex,
                             size_t len)
{
	uint8_t buf[TV_SCALAR_BYTES];
	tv_status status;

	if (ctx == NULL || out == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_scalar_from_hex: NULL argument");
	status = tv__hex_decode(ctx, buf, sizeof(buf), hex, len, "scalar");
	if (status == TV_OK)
		status = tv_scalar_decode(ctx, out, buf, sizeof(buf));
	tv__memzero(buf, sizeof(buf));
	return status;
}

tv_status tv_point_from_hex(tv_ctx *ctx, tv_point *out, const char *hex,
                            size_t len)
{
	uint8_t buf[TV_POINT_BYTES];
	tv_status status;

	if (ctx == NULL || out == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_point_from_hex: NULL argument");
	status = tv__hex_decode(ctx, buf, sizeof(buf), hex, len, "point");
	if (status == TV_OK)
		status = tv_point_decode(ctx, out, buf, sizeof(buf));
	return status;
}

void tv_scalar_to_hex(char out[TV_SCALAR_HEX_LEN + 1], const tv_scalar *scalar)
{
	tv__hex_encode(out, scalar->bytes, TV_SCALAR_BYTES);
}

void tv_point_to_hex(char out[TV_POINT_HEX_LEN + 1], const tv_point *point)
{
	tv__hex_encode(out, point->bytes, TV_POINT_BYTES);
}

/* k·G is a public key: the result is declassified, k is not */
tv_status tv_point_base_mul(tv_ctx *ctx, tv_point *out, const tv_scalar *k)
{
	BIGNUM *bn = NULL;
	EC_POINT *p = NULL;
	tv__sc x;
	uint64_t below;
	tv_status status;

	if (ctx == NULL || out == NULL || k == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_point_base_mul: NULL argument");
	bn = tv__bn_secret_new();
	p = EC_POINT_new(ctx->group);
	below = tv__sc_from_scalar(&x, k);
	if (bn == NULL || p == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if (!tv__ct_reveal(below)) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE,
		                  "scalar: scalar is not below the group order n");
		goto out;
	}
	if (tv__ct_reveal(tv__sc_is_zero(&x))) {
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE, "scalar is zero");
		goto out;
	}
	if ((status = tv__sc_to_bn(ctx, bn, &x)) != TV_OK)
		goto out;
	status = tv__ec_base_mul_secret(ctx, p, bn);
	if (status == TV_OK)
		status = tv__ec_to_public_point(ctx, out, p, "k·G");
out:
	tv__sc_wipe(&x);
	BN_clear_free(bn);
	EC_POINT_free(p);
	return status;
}

void tv_point_generator(tv_point *out)
{
	*out = p256_generator;
}

int tv_point_equal(const tv_point *a, const tv_point *b)
{
	return memcmp(a->bytes, b->bytes, TV_POINT_BYTES) == 0;
}

void tv_scalar_wipe(tv_scalar *scalar)
{
	if (scalar != NULL)
		OPENSSL_cleanse(scalar->bytes, sizeof(scalar->bytes));
}

tv_status tv__ec_check_linear(tv_ctx *ctx, const EC_POINT *expected,
                              const BIGNUM *g, size_t n,
                              const EC_POINT *const *points,
                              const BIGNUM *const *scalars)
{
	EC_POINT *sum = EC_POINT_new(ctx->group);
	tv_status status = TV_OK;
	int ok;

	if (sum == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a point");
#ifndef OPENSSL_NO_DEPRECATED_3_0
	/*
	 * EC_POINTs_mul is deprecated in OpenSSL 3.0 but remains its only
	 * multi-scalar multiplication; it shares doublings across all terms.
	 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	ok = EC_POINTs_mul(ctx->group, sum, g, n, (const EC_POINT **)points,
	                   (const BIGNUM **)scalars, ctx->bn);
#pragma GCC diagnostic pop
#else
	{
		EC_POINT *term = EC_POINT_new(ctx->group);
		size_t i;

		ok = term != NULL && EC_POINT_mul(ctx->group, sum, g, NULL, NULL, ctx->bn);
		for (i = 0; ok && i < n; i++)
			ok = EC_POINT_mul(ctx->group, term, NULL, points[i], scalars[i], ctx->bn) &&
			     EC_POINT_add(ctx->group, sum, sum, term, ctx->bn);
		EC_POINT_free(term);
	}
#endif
	if (!ok) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "EC multiplication failed");
	} else {
		int cmp = EC_POINT_cmp(ctx->group, sum, expected, ctx->bn);

		if (cmp < 0)
			status = tv__fail(ctx, TV_ERR_INTERNAL, "EC comparison failed");
		else if (cmp != 0)
			status = TV_ERR_PROOF_INVALID;
	}
	EC_POINT_free(sum);
	return status;
}

/* variable time (BN_is_zero, BN_sub): public values only */
tv_status tv__bn_neg(tv_ctx *ctx, BIGNUM *r, const BIGNUM *a)
{
	if (BN_is_zero(a))
		BN_zero(r);
	else if (!BN_sub(r, ctx->order, a))
		return tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
	return TV_OK;
}

tv_status tv_scalar_add(tv_ctx *ctx, tv_scalar *out, const tv_scalar *a,
                        const tv_scalar *b)
{
	tv__sc x, y;
	uint64_t below_a, below_b;
	tv_status status = TV_OK;

	if (ctx == NULL || out == NULL || a == NULL || b == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_scalar_add: NULL argument");
	below_a = tv__sc_from_scalar(&x, a);
	below_b = tv__sc_from_scalar(&y, b);
	/* only the range checks' answers are revealed, as errors */
	if (!tv__ct_reveal(below_a))
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE,
		                  "first scalar: scalar is not below the group order n");
	else if (!tv__ct_reveal(below_b))
		status = tv__fail(ctx, TV_ERR_SCALAR_RANGE,
		                  "second scalar: scalar is not below the group order n");
	else {
		tv__sc_add(&x, &x, &y);
		tv__sc_to_scalar(out, &x);
	}
	tv__sc_wipe(&x);
	tv__sc_wipe(&y);
	return status;
}
