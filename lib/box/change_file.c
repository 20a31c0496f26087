/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §11.7: the change file the credential authority gives the box.
 *   {"format":"tenantvote-credential-change/1","election":F,"authority":A,
 *    "changes":[{"op":"revoked","entry":{...}},
 *               {"op":"added","tenant":N,"entry":{...}},
 *               {"op":"added","late":{tenancy_ref, name, address,
 *                 tenancy_type, email, phone, language},"entry":{...}}]}
 * Read here; each entry is then checked and applied by
 * tv_box_apply_credential_changes() (changes.c).
 */
#include <string.h>

#include <jansson.h>

#include "box_internal.h"
#include "json_util.h"

#define FIELD_MAX 1024

void tv__change_file_free(tv_ctx *ctx, tv__change_file *f)
{
	for (size_t i = 0; f->entries != NULL && i < f->count; i++)
		tv__free(ctx, f->entries[i]);
	tv__free(ctx, f->entries);
	tv__free(ctx, f->changes);
	tv__free(ctx, f->late);
	json_decref(f->root);
	memset(f, 0, sizeof(*f));
}

static tv_status read_late(tv__jr *r, tv_tenant *t, json_t *change, const char *path)
{
	static const char *const keys[] = { "tenancy_ref", "name", "address", "tenancy_type",
		                            "email", "phone", "language" };
	static const char *const types[] = { "secure", "introductory" };
	static const char *const languages[] = { "en", "cy" };
	char sub[TV_JR_PATH_BYTES];
	json_t *late;
	size_t n, type, lang;
	tv_status status;

	tv__jr_path(sub, path, "late");
	memset(t, 0, sizeof(*t));
	if ((status = tv__jr_object(r, &late, change, "late", path, keys, 7, 1)) != TV_OK ||
	    (status = tv__jr_text(r, &t->tenancy_ref, &n, late, "tenancy_ref", sub, FIELD_MAX)) !=
	            TV_OK)
		return status;
	if (n == 0)
		return tv__jr_fail(r, sub, "has an empty tenancy_ref");
	if ((status = tv__jr_text(r, &t->name, &n, late, "name", sub, FIELD_MAX)) != TV_OK)
		return status;
	if (n == 0)
		return tv__jr_fail(r, sub, "has an empty name");
	if ((status = tv__jr_text(r, &t->address, &n, late, "address", sub, FIELD_MAX)) != TV_OK)
		return status;
	if (n == 0)
		return tv__jr_fail(r, sub, "has an empty address");
	if ((status = tv__jr_enum(r, &type, late, "tenancy_type", sub, types, 2)) != TV_OK ||
	    (status = tv__jr_text(r, &t->email, &n, late, "email", sub, FIELD_MAX)) != TV_OK ||
	    (status = tv__jr_text(r, &t->phone, &n, late, "phone", sub, FIELD_MAX)) != TV_OK ||
	    (status = tv__jr_enum(r, &lang, late, "language", sub, languages, 2)) != TV_OK)
		return status;
	t->tenancy_type = type == 0 ? TV_TENANCY_SECURE : TV_TENANCY_INTRODUCTORY;
	t->language = languages[lang];
	return TV_OK;
}

tv_status tv__change_file_read(tv_ctx *ctx, tv__change_file *out, const char *text, size_t len)
{
	static const char *const keys[] = { "format", "election", "authority", "changes" };
	static const char *const ops[] = { "added", "revoked" };
	tv__jr r;
	json_t *root, *list;
	tv_status status;

	memset(out, 0, sizeof(*out));
	tv__jr_init(&r, ctx, TV_OK, "credential change file");
	if ((root = tv__jr_load(&r, &status, text, len, (size_t)1 << 20)) == NULL)
		return status;
	out->root = root;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 4, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, TV_CHANGE_FILE_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->election, 32, root, "election", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->authority, 32, root, "authority", NULL)) != TV_OK ||
	    (status = tv__jr_array(&r, &list, root, "changes", NULL, 1, TV_CHANGE_FILE_MAX)) !=
	            TV_OK)
		goto out;
	out->count = json_array_size(list);
	if ((out->changes = tv__calloc(ctx, out->count, sizeof(*out->changes))) == NULL ||
	    (out->late = tv__calloc(ctx, out->count, sizeof(*out->late))) == NULL ||
	    (out->entries = tv__calloc(ctx, out->count, sizeof(*out->entries))) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu changes", out->count);
		goto out;
	}
	for (size_t i = 0; i < out->count; i++) {
		static const char *const revoked_keys[] = { "op", "entry" };
		static const char *const tenant_keys[] = { "op", "tenant", "entry" };
		static const char *const late_keys[] = { "op", "late", "entry" };
		char path[TV_JR_PATH_BYTES];
		json_t *c = json_array_get(list, i), *entry;
		tv_credential_change *ch = &out->changes[i];
		uint64_t tenant = 0;
		size_t op;

		tv__jr_item(path, "changes", i);
		if ((status = tv__jr_enum(&r, &op, c, "op", path, ops, 2)) != TV_OK)
			goto out;
		ch->revoke = op == 1;
		if (ch->revoke)
			status = tv__jr_keys(&r, c, path, revoked_keys, 2, 1);
		else if (json_object_get(c, "late") != NULL)
			status = tv__jr_keys(&r, c, path, late_keys, 3, 1);
		else
			status = tv__jr_keys(&r, c, path, tenant_keys, 3, 1);
		if (status != TV_OK)
			goto out;
		if (!ch->revoke && json_object_get(c, "late") != NULL) {
			if ((status = read_late(&r, &out->late[i], c, path)) != TV_OK)
				goto out;
			ch->late = &out->late[i];
		} else if (!ch->revoke) {
			if ((status = tv__jr_uint(&r, &tenant, c, "tenant", path, 1,
			                          TV_REGISTER_ROWS_MAX)) != TV_OK)
				goto out;
			ch->tenant = (uint32_t)tenant;
		}
		if (!json_is_object(entry = json_object_get(c, "entry"))) {
			status = tv__jr_fail(&r, path, "has an entry that is not an object");
			goto out;
		}
		if ((status = tv__json_dump(ctx, &out->entries[i], &ch->len, json_incref(entry),
		                            JSON_COMPACT | JSON_PRESERVE_ORDER, 0,
		                            "a credential change")) != TV_OK)
			goto out;
		ch->entry = out->entries[i];
	}
out:
	if (status != TV_OK)
		tv__change_file_free(ctx, out);
	return status;
}

tv_status tv_box_apply_change_file(tv_ctx *ctx, size_t *count, uint64_t *first, tv_box *box,
                                   const char *text, size_t len, unsigned flags, int64_t now)
{
	tv__change_file f;
	uint8_t authority[32];
	uint64_t *positions = NULL;
	tv_status status;

	if (count != NULL)
		*count = 0;
	if (first != NULL)
		*first = 0;
	if (ctx == NULL || box == NULL || text == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_apply_change_file: NULL argument");
	box->ctx = ctx;
	if ((status = tv__change_file_read(ctx, &f, text, len)) != TV_OK)
		return status;
	if (memcmp(f.election, box->fingerprint, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the change file is for another election");
		goto out;
	}
	if ((status = tv__box_authority(box, authority, NULL, NULL, NULL)) != TV_OK)
		goto out;
	if (memcmp(f.authority, authority, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the change file names another "
		                  "credential authority than the one whose list the box imported");
		goto out;
	}
	if ((positions = tv__calloc(ctx, f.count, sizeof(*positions))) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu changes", f.count);
		goto out;
	}
	if ((status = tv_box_apply_credential_changes(ctx, positions, box, f.changes, f.count,
	                                              flags, now)) == TV_OK) {
		if (count != NULL)
			*count = f.count;
		if (first != NULL)
			*first = positions[0];
	}
out:
	tv__free(ctx, positions);
	tv__change_file_free(ctx, &f);
	return status;
}
