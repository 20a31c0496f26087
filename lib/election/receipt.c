/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.3: the receipt the ballot box signs once a ballot is on disk.
 *   M = H("receipt"; F, T, u64be(p), head_{p-1}, head_p, u64be(time),
 *         u32be(channel)), signed with Ed25519
 */
#include <string.h>

#include <jansson.h>

#include "ed25519_signer.h"
#include "json_util.h"

static tv_status receipt_message(tv_ctx *ctx, uint8_t out[32], const tv_receipt *r)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "receipt");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, r->election, 32);
	tv__hash_field(&h, r->tracking, 32);
	tv__hash_u64(&h, r->position);
	tv__hash_field(&h, r->prev_head, 32);
	tv__hash_field(&h, r->head, 32);
	tv__hash_u64(&h, (uint64_t)r->time);
	tv__hash_u32(&h, r->channel);
	return tv__hash_final(&h, out);
}

tv_status tv__receipt_sign(tv_ctx *ctx, tv_receipt *r, const tv_ed25519_secret_key *key)
{
	uint8_t msg[32];
	tv_status status;

	if ((status = receipt_message(ctx, msg, r)) != TV_OK)
		return status;
	return tv_ed25519_sign(ctx, &r->signature, key, msg, 32);
}

tv_status tv__receipt_sign_with(tv_ctx *ctx, tv_receipt *r, tv__ed25519_signer *signer)
{
	uint8_t msg[32];
	tv_status status;

	if ((status = receipt_message(ctx, msg, r)) != TV_OK)
		return status;
	return tv__ed25519_signer_sign(ctx, signer, &r->signature, msg, 32);
}

tv_status tv_receipt_verify(tv_ctx *ctx, const tv_receipt *receipt,
                            const tv_ed25519_public_key *box_public_key)
{
	uint8_t msg[32];
	tv_status status;

	if (ctx == NULL || receipt == NULL || box_public_key == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_receipt_verify: NULL argument");
	if ((status = receipt_message(ctx, msg, receipt)) != TV_OK)
		return status;
	status = tv_ed25519_verify(ctx, &receipt->signature, box_public_key, msg, 32);
	if (status == TV_ERR_SIGNATURE_INVALID)
		status = tv__fail(ctx, status, "the receipt's signature is not the ballot box's: "
		                               "the receipt was altered or is not from this box");
	return status;
}

/* ------------------------------------------------------------ receipt JSON */

tv_status tv_receipt_to_json(tv_ctx *ctx, char **out, const tv_receipt *r)
{
	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || r == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_receipt_to_json: NULL argument");
	return tv__json_dump(ctx, out, NULL,
	                     json_pack("{s:s, s:o, s:o, s:I, s:o, s:o, s:I, s:I, s:o}", "format",
	                               "tenantvote-receipt/1", "election",
	                               tv__json_hex(r->election, 32), "tracking",
	                               tv__json_hex(r->tracking, 32), "position",
	                               (json_int_t)r->position, "prev_head",
	                               tv__json_hex(r->prev_head, 32), "head",
	                               tv__json_hex(r->head, 32), "time", (json_int_t)r->time,
	                               "channel", (json_int_t)r->channel, "signature",
	                               tv__json_hex(r->signature.bytes, 64)),
	                     JSON_COMPACT | JSON_PRESERVE_ORDER, 0, "the receipt");
}

tv_status tv_receipt_from_json(tv_ctx *ctx, tv_receipt *out, const char *json, size_t len)
{
	static const char *const keys[] = { "format", "election", "tracking", "position",
	                                    "prev_head", "head", "time", "channel", "signature" };
	tv__jr r;
	json_t *root;
	tv_receipt rc;
	int64_t time;
	uint64_t position, channel;
	tv_status status = TV_OK;

	if (ctx == NULL || out == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_receipt_from_json: NULL argument");
	tv__jr_init(&r, ctx, TV_OK, "receipt");
	if ((root = tv__jr_load(&r, &status, json, len, 4096)) == NULL)
		return status;
	memset(&rc, 0, sizeof(rc));
	if ((status = tv__jr_keys(&r, root, NULL, keys, sizeof(keys) / sizeof(keys[0]),
	                          1)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, "tenantvote-receipt/1")) != TV_OK ||
	    (status = tv__jr_hex(&r, rc.election, 32, root, "election", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, rc.tracking, 32, root, "tracking", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, rc.prev_head, 32, root, "prev_head", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, rc.head, 32, root, "head", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, rc.signature.bytes, 64, root, "signature", NULL)) != TV_OK ||
	    (status = tv__jr_uint(&r, &position, root, "position", NULL, 1, UINT64_MAX)) != TV_OK ||
	    (status = tv__jr_int(&r, &time, root, "time", NULL, INT64_MIN, INT64_MAX)) != TV_OK ||
	    (status = tv__jr_uint(&r, &channel, root, "channel", NULL, 1, 8)) != TV_OK)
		goto out;
	/* one channel, a single TV_CHANNEL_* bit (§15.3): 3, 5, 6, 7 are not one */
	if ((channel & (channel - 1)) != 0) {
		status = tv__jr_fail(&r, "channel", "is %u; a ballot comes by one channel: 1 online, "
		                     "2 phone, 4 postal or 8 in person", (unsigned)channel);
		goto out;
	}
	rc.position = position;
	rc.time = time;
	rc.channel = (uint32_t)channel;
	*out = rc;
out:
	json_decref(root);
	return status;
}

/* accessors for bindings that cannot see the struct (board.h) */
size_t tv_receipt_size(void)
{
	return sizeof(tv_receipt);
}

uint64_t tv_receipt_position(const tv_receipt *r)
{
	return r->position;
}

int64_t tv_receipt_time(const tv_receipt *r)
{
	return r->time;
}

uint32_t tv_receipt_channel(const tv_receipt *r)
{
	return r->channel;
}

void tv_receipt_tracking(uint8_t out[32], const tv_receipt *r)
{
	memcpy(out, r->tracking, 32);
}

void tv_receipt_election(uint8_t out[32], const tv_receipt *r)
{
	memcpy(out, r->election, 32);
}

void tv_receipt_head(uint8_t out[32], const tv_receipt *r)
{
	memcpy(out, r->head, 32);
}
