/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §7: randomness. Secrets come from RAND_priv_bytes of the context's
 * own OpenSSL library context. Test vectors instead use the deterministic
 * generator: block i = H("test-drbg"; seed_key, u64be(i)), so another
 * implementation can reproduce every vector from its seed.
 */
#include <string.h>

#include <openssl/rand.h>

#include "internal.h"

tv_status tv__random_bytes(tv_ctx *ctx, uint8_t *out, size_t len)
{
	if (!ctx->deterministic) {
		if (len > INT32_MAX || RAND_priv_bytes_ex(ctx->libctx, out, len, 0) != 1)
			return tv__fail(ctx, TV_ERR_RANDOM,
			                "the random number generator failed");
		return TV_OK;
	}
	while (len > 0) {
		uint8_t block[TV_HASH_BYTES];
		size_t take = len < sizeof(block) ? len : sizeof(block);
		tv__hash h;
		tv_status status = tv__hash_begin(&h, ctx, "test-drbg");

		if (status != TV_OK)
			return status;
		tv__hash_field(&h, ctx->drbg_seed, sizeof(ctx->drbg_seed));
		tv__hash_u64(&h, ctx->drbg_counter++);
		status = tv__hash_final(&h, block);
		if (status != TV_OK)
			return status;
		memcpy(out, block, take);
		tv__memzero(block, sizeof(block));
		out += take;
		len -= take;
	}
	return TV_OK;
}

/*
 * SPEC §7.2. Each try is compared with n in constant time; only the answer
 * (keep or draw again) is revealed, and a rejected try is thrown away.
 */
tv_status tv__random_sc(tv_ctx *ctx, tv__sc *out)
{
	uint8_t buf[TV_SCALAR_BYTES];
	tv_status status = TV_OK;
	int tries;

	/* each draw fails with probability < 2^-32 */
	for (tries = 0; tries < 64; tries++) {
		uint64_t below;

		status = tv__random_bytes(ctx, buf, sizeof(buf));
		if (status != TV_OK)
			break;
		below = tv__sc_load(out, buf);
		if (tv__ct_reveal(below & ~tv__sc_is_zero(out)))
			break;
	}
	if (status == TV_OK && tries == 64)
		status = tv__fail(ctx, TV_ERR_RANDOM,
		                  "the random number generator keeps giving values >= n");
	if (status != TV_OK)
		tv__sc_wipe(out);
	tv__memzero(buf, sizeof(buf));
	return status;
}

tv_status tv__random_bn(tv_ctx *ctx, BIGNUM *out)
{
	tv__sc k;
	tv_status status = tv__random_sc(ctx, &k);

	BN_set_flags(out, BN_FLG_CONSTTIME);
	if (status == TV_OK)
		status = tv__sc_to_bn(ctx, out, &k);
	tv__sc_wipe(&k);
	return status;
}

tv_status tv_scalar_random(tv_ctx *ctx, tv_scalar *out)
{
	tv__sc k;
	tv_status status;

	if (ctx == NULL || out == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_scalar_random: NULL argument");
	status = tv__random_sc(ctx, &k);
	if (status == TV_OK)
		tv__sc_to_scalar(out, &k);
	tv__sc_wipe(&k);
	return status;
}
