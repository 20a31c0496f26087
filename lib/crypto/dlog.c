/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §4.4: the least v in [0, max] with v·G = target, by baby-step
 * giant-step. With m = ceil(sqrt(max + 1)), every such v is i·m + j with
 * 0 <= j < m: the baby steps j·G (1 <= j < m) go in a table keyed by their
 * encoding, then target − i·m·G is looked up for i = 0, 1, ... The first
 * i with a match gives the least v, since the j·G are distinct. Cost: about
 * 2·sqrt(max) point additions and encodings instead of max; for a whole
 * council's electorate of 20,000 that is under 300 steps.
 *
 * The values are public (totals), so nothing here needs to be constant time.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct baby {
	uint8_t (*enc)[TV_POINT_BYTES]; /* enc[j] = encoding of j·G, j >= 1 */
	uint32_t *slot;                 /* j, or 0 for an empty slot */
	size_t mask;
} baby;

static size_t slot_of(const uint8_t enc[TV_POINT_BYTES], size_t mask)
{
	uint64_t h = 0;

	/* the x coordinate of a point on the curve is as good as random */
	memcpy(&h, enc + 1, sizeof(h));
	return (size_t)h & mask;
}

static tv_status encode(tv_ctx *ctx, uint8_t out[TV_POINT_BYTES], const EC_POINT *p)
{
	if (EC_POINT_point2oct(ctx->group, p, POINT_CONVERSION_UNCOMPRESSED, out, TV_POINT_BYTES,
	                       ctx->bn) != TV_POINT_BYTES)
		return tv__fail(ctx, TV_ERR_INTERNAL, "discrete log: cannot encode point");
	return TV_OK;
}

/* the smallest m with m·m > max */
static uint32_t ceil_sqrt_above(uint32_t max)
{
	uint64_t m = 1;

	while (m * m <= (uint64_t)max)
		m++;
	return (uint32_t)m;
}

tv_status tv__ec_dlog(tv_ctx *ctx, uint32_t *value, const EC_POINT *target, uint32_t max)
{
	const EC_POINT *g = EC_GROUP_get0_generator(ctx->group);
	uint32_t m = ceil_sqrt_above(max), j;
	uint64_t i, v;
	EC_POINT *p = NULL, *step = NULL;
	BIGNUM *bm = NULL;
	uint8_t enc[TV_POINT_BYTES];
	baby b = { NULL, NULL, 0 };
	size_t cap = 2, s;
	tv_status status = TV_OK;

	while (cap < 2 * (size_t)m)
		cap *= 2;
	b.mask = cap - 1;
	b.enc = malloc((size_t)m * sizeof(*b.enc));
	b.slot = calloc(cap, sizeof(*b.slot));
	p = EC_POINT_new(ctx->group);
	step = EC_POINT_new(ctx->group);
	bm = BN_new();
	if (b.enc == NULL || b.slot == NULL || p == NULL || step == NULL || bm == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "discrete log: cannot allocate");
		goto out;
	}
	/* baby steps: j·G for 1 <= j < m */
	if (!EC_POINT_set_to_infinity(ctx->group, p)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "EC arithmetic failed");
		goto out;
	}
	for (j = 1; j < m; j++) {
		if (!EC_POINT_add(ctx->group, p, p, g, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "EC addition failed");
			goto out;
		}
		if ((status = encode(ctx, b.enc[j], p)) != TV_OK)
			goto out;
		for (s = slot_of(b.enc[j], b.mask); b.slot[s] != 0; s = (s + 1) & b.mask)
			;
		b.slot[s] = j;
	}
	/* giant steps: target − i·m·G for i = 0, 1, ... while i·m <= max */
	if (!BN_set_word(bm, m) ||
	    !EC_POINT_mul(ctx->group, step, bm, NULL, NULL, ctx->bn) ||
	    !EC_POINT_invert(ctx->group, step, ctx->bn) ||
	    !EC_POINT_copy(p, target)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "EC arithmetic failed");
		goto out;
	}
	for (i = 0; i * m <= max; i++) {
		if (EC_POINT_is_at_infinity(ctx->group, p)) {
			*value = (uint32_t)(i * m);
			goto out;
		}
		if ((status = encode(ctx, enc, p)) != TV_OK)
			goto out;
		for (s = slot_of(enc, b.mask); b.slot[s] != 0; s = (s + 1) & b.mask) {
			if (memcmp(b.enc[b.slot[s]], enc, TV_POINT_BYTES) != 0)
				continue;
			v = i * m + b.slot[s];
			if (v > max)
				goto none;
			*value = (uint32_t)v;
			goto out;
		}
		if (!EC_POINT_add(ctx->group, p, p, step, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "EC addition failed");
			goto out;
		}
	}
none:
	status = tv__fail(ctx, TV_ERR_RANGE_INVALID, "no value from 0 to %u", max);
out:
	free(b.enc);
	free(b.slot);
	EC_POINT_free(p);
	EC_POINT_free(step);
	BN_free(bm);
	return status;
}
