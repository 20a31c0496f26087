/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.4: the close statement, C = H("close"; F, u64be(entries),
 * head_last), signed with the ballot box's Ed25519 key, and close.json,
 * the record's copy of it (§18.8).
 */
#include "json_util.h"

tv_status tv__close_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32], uint64_t entries,
                            const uint8_t head[32])
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "close");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_u64(&h, entries);
	tv__hash_field(&h, head, 32);
	return tv__hash_final(&h, out);
}

/* close.json (SPEC §18.8) */
tv_status tv__close_to_json(tv_ctx *ctx, char **out, uint64_t entries, const uint8_t head[32],
                            const uint8_t signature[64])
{
	return tv__json_dump(ctx, out, NULL,
	                     json_pack("{s:s, s:I, s:o, s:o}", "format", TV_RECORD_CLOSE, "entries",
	                               (json_int_t)entries, "head", tv__json_hex(head, 32),
	                               "signature", tv__json_hex(signature, 64)),
	                     JSON_COMPACT | JSON_PRESERVE_ORDER, 1, "close.json");
}

tv_status tv__close_from_json(tv_ctx *ctx, uint64_t *entries, uint8_t head[32],
                              uint8_t signature[64], const char *text, size_t len)
{
	static const char *const keys[] = { "format", "entries", "head", "signature" };
	tv__jr r;
	json_t *root;
	tv_status status;

	tv__jr_init(&r, ctx, TV_OK, "close.json");
	if ((root = tv__jr_load(&r, &status, text, len, len)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 4, 1)) == TV_OK &&
	    (status = tv__jr_format(&r, root, NULL, TV_RECORD_CLOSE)) == TV_OK &&
	    (status = tv__jr_uint(&r, entries, root, "entries", NULL, 0, UINT64_MAX)) == TV_OK &&
	    (status = tv__jr_hex(&r, head, 32, root, "head", NULL)) == TV_OK)
		status = tv__jr_hex(&r, signature, 64, root, "signature", NULL);
	json_decref(root);
	return status;
}

/* SPEC §15.4: C2 = H("close-at"; F, u64be(entries), head, u64be(closed), reason) */
tv_status tv__close_at_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                               uint64_t entries, const uint8_t head[32], int64_t closed,
                               const char *reason, size_t reason_len)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "close-at");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_u64(&h, entries);
	tv__hash_field(&h, head, 32);
	tv__hash_u64(&h, (uint64_t)closed);
	tv__hash_field(&h, reason, reason_len);
	return tv__hash_final(&h, out);
}

tv_status tv__close_reason_check(tv_ctx *ctx, const char *reason, size_t len, int required)
{
	size_t i;
	tv_status status;

	if (len > TV_CLOSE_REASON_MAX)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "the reason for closing is %zu bytes, more than %d", len,
		                TV_CLOSE_REASON_MAX);
	if ((status = tv__utf8_check(ctx, reason, len, "the reason for closing")) != TV_OK)
		return status;
	for (i = 0; i < len && reason[i] == ' '; i++)
		;
	if (required && i == len)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "the reason for closing early is %s",
		                len == 0 ? "empty" : "only spaces");
	return TV_OK;
}

tv_status tv__close2_to_json(tv_ctx *ctx, char **out, const tv__close *c)
{
	return tv__json_dump(ctx, out, NULL,
	                     json_pack("{s:s, s:I, s:o, s:I, s:s%, s:o}", "format", TV_RECORD_CLOSE2,
	                               "entries", (json_int_t)c->entries, "head",
	                               tv__json_hex(c->head, 32), "closed", (json_int_t)c->closed,
	                               "reason", c->reason, c->reason_len, "signature",
	                               tv__json_hex(c->signature, 64)),
	                     JSON_COMPACT | JSON_PRESERVE_ORDER, 1, "close.json");
}

tv_status tv__close_read(tv_ctx *ctx, tv__close *out, const char *text, size_t len)
{
	static const char *const keys[] = { "format", "entries", "head", "closed", "reason",
		                            "signature" };
	const char *reason = NULL;
	size_t reason_len = 0;
	json_t *root, *format;
	tv__jr r;
	tv_status status;

	memset(out, 0, sizeof(*out));
	tv__jr_init(&r, ctx, TV_OK, "close.json");
	if ((root = tv__jr_load(&r, &status, text, len, len)) == NULL)
		return status;
	format = json_object_get(root, "format");
	out->version = json_is_string(format) &&
	               strcmp(json_string_value(format), TV_RECORD_CLOSE2) == 0 ? 2 : 1;
	if (out->version == 1) {
		json_decref(root);
		return tv__close_from_json(ctx, &out->entries, out->head, out->signature, text, len);
	}
	if ((status = tv__jr_keys(&r, root, NULL, keys, 6, 1)) == TV_OK &&
	    (status = tv__jr_uint(&r, &out->entries, root, "entries", NULL, 0, UINT64_MAX)) == TV_OK &&
	    (status = tv__jr_hex(&r, out->head, 32, root, "head", NULL)) == TV_OK &&
	    (status = tv__jr_int(&r, &out->closed, root, "closed", NULL, TV_TIME_MIN, TV_TIME_MAX)) ==
	            TV_OK &&
	    (status = tv__jr_text(&r, &reason, &reason_len, root, "reason", NULL,
	                          TV_CLOSE_REASON_MAX)) == TV_OK &&
	    (status = tv__jr_hex(&r, out->signature, 64, root, "signature", NULL)) == TV_OK) {
		if (strlen(reason) != reason_len) {
			status = tv__jr_fail(&r, "reason", "holds a NUL character");
		} else {
			memcpy(out->reason, reason, reason_len);
			out->reason_len = reason_len;
		}
	}
	json_decref(root);
	return status;
}
