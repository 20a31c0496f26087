/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §18.9: tally.json, the record's copy of the tally and of the
 * trustees' decryptions:
 *   {"format":"tenantvote-record-tally/1","tally":<tally>,"decryptions":[...]}
 * Written by the ballot box's export, read by the verifier. It lives with
 * the tally, whose JSON it holds, not with the record's other files.
 */
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "tally_internal.h"

tv_status tv__record_tally_to_json(tv_ctx *ctx, char **out, const tv_tally *tally,
                                   const char *const *decryptions, size_t count)
{
	char *t = NULL;
	json_t *root, *list;
	json_error_t err;
	tv_status status;

	if ((status = tv_tally_to_json(ctx, &t, tally)) != TV_OK)
		return status;
	list = json_array();
	root = json_pack("{s:s, s:o, s:o}", "format", TV_RECORD_TALLY, "tally",
	                 json_loads(t, 0, &err), "decryptions", list);
	tv_free(ctx, t);
	for (size_t i = 0; root != NULL && i < count; i++) {
		json_t *d = json_loads(decryptions[i], JSON_REJECT_DUPLICATES, &err);

		if (d == NULL) {
			json_decref(root);
			return tv__fail(ctx, TV_ERR_ENCODING, "decryption %zu is not JSON", i + 1);
		}
		json_array_append_new(list, d);
	}
	return tv__json_dump(ctx, out, NULL, root, JSON_COMPACT | JSON_PRESERVE_ORDER, 1,
	                     "tally.json");
}

/* @p v written again compactly into a tv__alloc'd string (§19.2) */
static tv_status compact(tv_ctx *ctx, char **out, json_t *v)
{
	return tv__json_dump(ctx, out, NULL, json_incref(v),
	                     JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY, 0, "a member of tally.json");
}

tv_status tv__record_tally_from_json(tv_ctx *ctx, char **tally, char ***decryptions,
                                     size_t *count, const char *text, size_t len)
{
	static const char *const keys[] = { "format", "tally", "decryptions" };
	tv__jr r;
	json_t *root, *list;
	char **d = NULL;
	size_t n = 0;
	tv_status status;

	*tally = NULL;
	*decryptions = NULL;
	*count = 0;
	tv__jr_init(&r, ctx, TV_OK, "tally.json");
	if ((root = tv__jr_load(&r, &status, text, len, len)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 3, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, TV_RECORD_TALLY)) != TV_OK ||
	    (status = compact(ctx, tally, json_object_get(root, "tally"))) != TV_OK)
		goto out;
	/* the decryptions are read by tv_tally_combine, which wants a list */
	list = json_object_get(root, "decryptions");
	n = json_is_array(list) ? json_array_size(list) : 0;
	if ((d = tv__calloc(ctx, n + 1, sizeof(*d))) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "tally.json: out of memory");
		goto out;
	}
	for (size_t i = 0; i < n && status == TV_OK; i++)
		status = compact(ctx, &d[i], json_array_get(list, i));
	if (status == TV_OK) {
		*decryptions = d;
		*count = n;
		d = NULL;
	}
out:
	tv__members_free(ctx, d, n);
	if (status != TV_OK) {
		tv__free(ctx, *tally);
		*tally = NULL;
	}
	json_decref(root);
	return status;
}
