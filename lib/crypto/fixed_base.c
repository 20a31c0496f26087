/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A fixed-base table for the election key (fixed_base.h).
 *
 * OpenSSL precomputes only for a group's generator, so the table is a
 * duplicate of P-256 whose generator is K: EC_POINT_mul on it with only
 * the generator's scalar takes ecp_nistz256's path for a precomputed
 * generator (ecp_nistz256_points_mul finds the table built for exactly
 * this point), which is constant time in the scalar. The duplicate keeps
 * the method and the curve's name, so OpenSSL takes the points of either
 * group as the other's (ec_point_is_compat): a product lands directly in
 * a point of ctx->group.
 */
#include <string.h>

#include "fixed_base.h"

struct tv__fixed_base {
	tv_ctx *ctx;
	tv_point base;
	EC_GROUP *group; /* P-256 with generator K, and its precomputation */
	int precomputed;
};

tv_status tv__fixed_base_new(tv_ctx *ctx, tv__fixed_base **out, const tv_point *base)
{
	tv__fixed_base *fb;
	EC_POINT *k = NULL;
	const EC_METHOD *meth;
	tv_status status = TV_OK;

	*out = NULL;
	if ((fb = tv__calloc(ctx, 1, sizeof(*fb))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a fixed-base table");
	fb->ctx = ctx;
	fb->base = *base;
	fb->group = EC_GROUP_dup(ctx->group);
	if (fb->group == NULL || (k = EC_POINT_new(fb->group)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a fixed-base table");
		goto out;
	}
	/* decoded and checked on the curve, never infinity (tv__point_to_ec) */
	if ((status = tv__point_to_ec(ctx, k, base, "fixed base")) != TV_OK)
		goto out;
	if (!EC_GROUP_set_generator(fb->group, k, ctx->order, BN_value_one())) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "cannot make a group for a fixed base");
		goto out;
	}
	/*
	 * Deprecated in OpenSSL 3.0 with no replacement for a point of ours;
	 * it builds the same comb as the built-in one for G.
	 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	if (!EC_GROUP_precompute_mult(fb->group, ctx->bn)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "cannot precompute a fixed-base table");
		goto out;
	}
	/*
	 * ecp_nistz256's method is not exported, but every other P-256 method
	 * is: a precomputation on none of those is nistz256's.
	 */
	meth = EC_GROUP_method_of(fb->group);
	fb->precomputed = EC_GROUP_have_precompute_mult(fb->group) == 1 &&
	                  meth != EC_GFp_mont_method() && meth != EC_GFp_simple_method() &&
	                  meth != EC_GFp_nist_method();
#pragma GCC diagnostic pop
out:
	EC_POINT_free(k);
	if (status != TV_OK) {
		tv__fixed_base_free(fb);
		return status;
	}
	*out = fb;
	return TV_OK;
}

void tv__fixed_base_free(tv__fixed_base *fb)
{
	if (fb == NULL)
		return;
	EC_GROUP_free(fb->group);
	tv__free(fb->ctx, fb);
}

const tv_point *tv__fixed_base_point(const tv__fixed_base *fb)
{
	return &fb->base;
}

int tv__fixed_base_precomputed(const tv__fixed_base *fb)
{
	return fb->precomputed;
}

tv_status tv__fixed_base_mul_secret(tv_ctx *ctx, EC_POINT *r, const tv__fixed_base *fb,
                                    const BIGNUM *k)
{
	/*
	 * Only the generator's scalar: nistz256's precomputed path (or the
	 * constant-time ladder of the generic methods), as
	 * tv__ec_base_mul_secret does for G.
	 */
	if (!EC_POINT_mul(fb->group, r, k, NULL, NULL, ctx->bn))
		return tv__fail(ctx, TV_ERR_INTERNAL, "EC multiplication failed");
	return TV_OK;
}
