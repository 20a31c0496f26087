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
