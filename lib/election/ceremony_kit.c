/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §12.12: the public ceremony kit, and the ceremony context every
 * ceremony message is bound to. A trustee on its own machine makes,
 * shares and combines keys from the kit alone: it never needs the ballot
 * box, which holds every tenant's name and address. The box writes the
 * kit (lib/box/setup.c); trustees read it here, with the one JSON reader.
 */
#include <stdlib.h>
#include <string.h>

#include "json_util.h"

struct tv_ceremony_kit {
	tv_ctx *ctx;
	tv_manifest *manifest;
	uint8_t context[TV_CEREMONY_FINGERPRINT_BYTES];
	uint8_t authority[32], list_digest[32]; /* the signed list's (§11.5) */
	uint64_t electorate;
};

/* ---------------------------------------------------------------- writing */

tv_status tv__ceremony_kit_to_json(tv_ctx *ctx, char **out, size_t *len, const tv_manifest *m,
                                   const uint8_t authority[32], uint64_t electorate,
                                   const uint8_t list_digest[32])
{
	uint8_t f[32], c[32];
	char *text = NULL;
	json_t *manifest;
	json_error_t err;
	tv_status status;

	*out = NULL;
	if (len != NULL)
		*len = 0;
	/* the manifest's own canonical writer (§9.4.2), so the two never drift */
	if ((status = tv_manifest_to_json(ctx, &text, NULL, m)) != TV_OK)
		return status;
	manifest = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	tv_free(ctx, text);
	if (manifest == NULL)
		return tv__fail(ctx, TV_ERR_INTERNAL, "cannot read the manifest back: %s", err.text);
	tv_manifest_fingerprint(f, m);
	if ((status = tv__ceremony_context(ctx, c, f, authority, list_digest)) != TV_OK) {
		json_decref(manifest);
		return status;
	}
	/* no JSON_ENSURE_ASCII: the manifest's Welsh stays as it is written */
	return tv__json_dump(ctx, out, len,
	                     json_pack("{s:s, s:o, s:o, s:I, s:I, s:{s:o, s:I, s:o}, s:o}", "format",
	                               TV_CEREMONY_KIT_FORMAT, "election", tv__json_hex(f, 32),
	                               "ceremony", tv__json_hex(c, 32), "trustees",
	                               (json_int_t)tv_manifest_trustees(m), "threshold",
	                               (json_int_t)tv_manifest_threshold(m), "credentials",
	                               "authority", tv__json_hex(authority, 32), "electorate",
	                               (json_int_t)electorate, "list_digest",
	                               tv__json_hex(list_digest, 32), "manifest", manifest),
	                     JSON_INDENT(2) | JSON_PRESERVE_ORDER, 1, "the ceremony kit");
}

/* ---------------------------------------------------------------- reading */

/* the embedded manifest, read by tv_manifest_from_json() itself (§9.4.1) */
static tv_status read_manifest(tv__jr *r, tv_manifest **out, json_t *root)
{
	json_t *obj = json_object_get(root, "manifest");
	char *text;
	tv_status status;

	/* the manifest's own reader checks its keys: here only "an object" */
	if (obj == NULL)
		return tv__jr_fail(r, "manifest", "is missing");
	if (!json_is_object(obj))
		return tv__jr_fail(r, "manifest", "must be an object, not %s",
		                   tv__json_type_name(obj));
	if ((text = json_dumps(obj, JSON_COMPACT)) == NULL)
		return tv__fail(r->ctx, TV_ERR_NOMEM, "%s: manifest: out of memory", r->what);
	status = tv_manifest_from_json(r->ctx, out, text, strlen(text));
	free(text);
	if (status != TV_OK && tv_status_is_rejection(status)) {
		char detail[TV_ERROR_MAX];

		/* "ceremony kit: manifest: title: ..." in the manifest's own status */
		snprintf(detail, sizeof(detail), "%s", tv_ctx_last_error(r->ctx));
		status = tv__fail(r->ctx, status, "%s: %s", r->what, detail);
	}
	return status;
}

static tv_status read_kit(tv__jr *r, tv_ceremony_kit *kit, json_t *root)
{
	static const char *const keys[] = { "format",    "election",    "ceremony", "trustees",
		                            "threshold", "credentials", "manifest" };
	static const char *const cred_keys[] = { "authority", "electorate", "list_digest" };
	uint8_t election[32], ceremony[32], f[32];
	uint64_t n, k;
	json_t *credentials;
	tv_status status;

	if ((status = tv__jr_keys(r, root, NULL, keys, 7, 0)) != TV_OK ||
	    (status = tv__jr_format(r, root, NULL, TV_CEREMONY_KIT_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(r, election, 32, root, "election", NULL)) != TV_OK ||
	    (status = tv__jr_hex(r, ceremony, 32, root, "ceremony", NULL)) != TV_OK ||
	    (status = tv__jr_uint(r, &n, root, "trustees", NULL, 1, TV_CEREMONY_MAX_TRUSTEES)) !=
	            TV_OK ||
	    (status = tv__jr_uint(r, &k, root, "threshold", NULL, 1, n)) != TV_OK)
		return status;
	/* §11.6: the credential authority's signed list the ceremony is bound to */
	if ((status = tv__jr_object(r, &credentials, root, "credentials", NULL, cred_keys, 3,
	                            1)) != TV_OK ||
	    (status = tv__jr_hex(r, kit->authority, 32, credentials, "authority",
	                         "credentials")) != TV_OK ||
	    (status = tv__jr_uint(r, &kit->electorate, credentials, "electorate", "credentials", 1,
	                          TV_REGISTER_ROWS_MAX)) != TV_OK ||
	    (status = tv__jr_hex(r, kit->list_digest, 32, credentials, "list_digest",
	                         "credentials")) != TV_OK)
		return status;
	if ((status = read_manifest(r, &kit->manifest, root)) != TV_OK)
		return status;
	/* every value the kit states is the one its manifest gives */
	tv_manifest_fingerprint(f, kit->manifest);
	if (memcmp(f, election, 32) != 0)
		return tv__jr_fail(r, "election", "is not the fingerprint of the manifest in the kit");
	if (n != tv_manifest_trustees(kit->manifest))
		return tv__jr_fail(r, "trustees", "is %u, but the manifest has %u trustees",
		                   (unsigned)n, tv_manifest_trustees(kit->manifest));
	if (k != tv_manifest_threshold(kit->manifest))
		return tv__jr_fail(r, "threshold", "is %u, but the manifest's threshold is %u",
		                   (unsigned)k, tv_manifest_threshold(kit->manifest));
	if ((status = tv__ceremony_context(r->ctx, kit->context, f, kit->authority,
	                                   kit->list_digest)) != TV_OK)
		return status;
	if (memcmp(kit->context, ceremony, 32) != 0)
		return tv__jr_fail(r, "ceremony", "is not the ceremony context of the manifest and "
		                   "the credential list in the kit");
	return TV_OK;
}

tv_status tv_ceremony_kit_from_json(tv_ctx *ctx, tv_ceremony_kit **out, const char *json,
                                    size_t len)
{
	tv_ceremony_kit *kit = NULL;
	json_t *root = NULL;
	tv__jr r;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ceremony_kit_from_json: NULL argument");
	tv__jr_init(&r, ctx, TV_ERR_CEREMONY_INVALID, "ceremony kit");
	if ((root = tv__jr_load_utf8(&r, &status, json, len, TV_CEREMONY_KIT_MAX)) == NULL)
		return status;
	if ((kit = tv__calloc(ctx, 1, sizeof(*kit))) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "ceremony kit: out of memory");
		goto out;
	}
	kit->ctx = ctx;
	if ((status = read_kit(&r, kit, root)) != TV_OK)
		goto out;
	*out = kit;
	kit = NULL;
out:
	tv_ceremony_kit_free(kit);
	json_decref(root);
	return status;
}

void tv_ceremony_kit_free(tv_ceremony_kit *kit)
{
	if (kit == NULL)
		return;
	tv_manifest_free(kit->manifest);
	tv__free(kit->ctx, kit);
}

const tv_manifest *tv_ceremony_kit_manifest(const tv_ceremony_kit *kit)
{
	return kit != NULL ? kit->manifest : NULL;
}

void tv_ceremony_kit_context(uint8_t out[TV_CEREMONY_FINGERPRINT_BYTES],
                             const tv_ceremony_kit *kit)
{
	if (kit == NULL)
		memset(out, 0, TV_CEREMONY_FINGERPRINT_BYTES);
	else
		memcpy(out, kit->context, TV_CEREMONY_FINGERPRINT_BYTES);
}

uint64_t tv_ceremony_kit_credentials(const tv_ceremony_kit *kit, uint8_t authority[32],
                                     uint8_t list_digest[32])
{
	if (kit == NULL)
		return 0;
	if (authority != NULL)
		memcpy(authority, kit->authority, 32);
	if (list_digest != NULL)
		memcpy(list_digest, kit->list_digest, 32);
	return kit->electorate;
}
