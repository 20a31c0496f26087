/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.3: the receipt the ballot box signs once a ballot is on disk.
 *   M = H("receipt"; F, T, u64be(p), head_{p-1}, head_p, u64be(time),
 *         u32be(channel)), signed with Ed25519
 */
#include <string.h>

#include <jansson.h>

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

static tv_status hex_field(tv_ctx *ctx, uint8_t *out, size_t len, json_t *root, const char *key)
{
	char what[64];

	snprintf(what, sizeof(what), "receipt: %s", key);
	return tv__json_get_hex(ctx, out, len, json_object_get(root, key), what);
}

tv_status tv_receipt_from_json(tv_ctx *ctx, tv_receipt *out, const char *json, size_t len)
{
	static const char *const keys[] = { "format", "election", "tracking", "position",
	                                    "prev_head", "head", "time", "channel", "signature" };
	json_t *root, *v;
	tv_receipt r;
	tv_status status = TV_OK;

	if (ctx == NULL || out == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_receipt_from_json: NULL argument");
	if ((root = tv__json_load(ctx, json, len, 4096, "receipt", &status)) == NULL)
		return status;
	memset(&r, 0, sizeof(r));
	if ((status = tv__json_exact_keys(ctx, root, "receipt", "the receipt", keys,
	                                  sizeof(keys) / sizeof(keys[0]))) != TV_OK)
		goto out;
	v = json_object_get(root, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v), "tenantvote-receipt/1") != 0) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "receipt: format is not \"tenantvote-receipt/1\"");
		goto out;
	}
	if ((status = hex_field(ctx, r.election, 32, root, "election")) != TV_OK ||
	    (status = hex_field(ctx, r.tracking, 32, root, "tracking")) != TV_OK ||
	    (status = hex_field(ctx, r.prev_head, 32, root, "prev_head")) != TV_OK ||
	    (status = hex_field(ctx, r.head, 32, root, "head")) != TV_OK ||
	    (status = hex_field(ctx, r.signature.bytes, 64, root, "signature")) != TV_OK)
		goto out;
	v = json_object_get(root, "position");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "receipt: position must be a whole number from 1");
		goto out;
	}
	r.position = (uint64_t)json_integer_value(v);
	v = json_object_get(root, "time");
	if (!json_is_integer(v)) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "receipt: time must be a whole number");
		goto out;
	}
	r.time = json_integer_value(v);
	v = json_object_get(root, "channel");
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 8) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "receipt: channel must be 1, 2, 4 or 8");
		goto out;
	}
	r.channel = (uint32_t)json_integer_value(v);
	*out = r;
out:
	json_decref(root);
	return status;
}
