/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §11.7: the credential authority's changes to the list, appended to
 * the board by the ballot box. The box signs nothing here: each entry
 * carries the authority's signature over
 *   Mc = H("credential-change"; F, A, L, u32be(op), pt(X))
 * with A and L those the box imported (§11.5), and goes on the board as
 * kind 4 (added) or 5 (revoked), channel 0, chained like a ballot:
 *   T = H("credential-change-tracking"; u32be(op), pt(X), signature)
 * Every change of one call is one IMMEDIATE transaction: all or none.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "box_internal.h"
#include "json_util.h"
#include "tenantvote/board.h"

/* the entry's credential and signature, and its compact form (§11.7) */
typedef struct change {
	int op;
	tv_point x;
	uint8_t signature[64];
	uint8_t t[32];
	char json[16 + 2 * TV_POINT_BYTES + 16 + 128 + 8];
} change;

static tv_status change_read(tv_ctx *ctx, change *c, const tv_credential_change *in, size_t i)
{
	static const char *const keys[] = { "credential", "signature" };
	char hx[2 * TV_POINT_BYTES + 1], hs[129];
	tv__jr r;
	json_t *root;
	tv_status status;

	memset(c, 0, sizeof(*c));
	c->op = in->revoke ? TV_ENTRY_CREDENTIAL_REVOKED : TV_ENTRY_CREDENTIAL_ADDED;
	if (in->entry == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "change %zu: no entry", i + 1);
	tv__jr_init(&r, ctx, TV_OK, "change %zu (a credential %s)", i + 1,
	            in->revoke ? "revocation" : "addition");
	if ((root = tv__jr_load(&r, &status, in->entry, in->len, 4096)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 2, 1)) == TV_OK &&
	    (status = tv__jr_point(&r, &c->x, root, "credential", NULL)) == TV_OK &&
	    (status = tv__jr_hex(&r, c->signature, 64, root, "signature", NULL)) == TV_OK)
		status = tv__credential_change_tracking(ctx, c->t, c->op, &c->x, c->signature);
	json_decref(root);
	if (status != TV_OK)
		return status;
	/* stored in its one compact form, whatever the spelling given */
	tv__hex_encode(hx, c->x.bytes, TV_POINT_BYTES);
	hx[2 * TV_POINT_BYTES] = '\0';
	tv__hex_encode(hs, c->signature, 64);
	hs[128] = '\0';
	snprintf(c->json, sizeof(c->json), "{\"credential\":\"%s\",\"signature\":\"%s\"}", hx, hs);
	return TV_OK;
}

static tv_status step_done(tv_box *box, sqlite3_stmt *st, const char *doing)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? TV_OK : tv__box_db_fail(box, box->db, rc, doing);
}

/* the credential's row: *found, its tenant, and the position that revoked it (0: none) */
static tv_status credential_row(tv_box *box, const tv_point *x, int *found, int64_t *tenant,
                                int64_t *revoked_at)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	*found = 0;
	if ((status = tv__box_prepare(box, &st, "SELECT tenant_id, coalesce(revoked_at, 0) FROM "
	                                         "credential WHERE public_key = ?")) != TV_OK)
		return status;
	sqlite3_bind_blob(st, 1, x->bytes, TV_POINT_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = 1;
		*tenant = sqlite3_column_int64(st, 0);
		*revoked_at = sqlite3_column_int64(st, 1);
	} else if (rc != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "reading the credentials");
	}
	sqlite3_finalize(st);
	return status;
}

static tv_status query_blob_int(tv_box *box, const char *sql, const void *blob, int len,
                                int64_t *out)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	*out = 0;
	if ((status = tv__box_prepare(box, &st, sql)) != TV_OK)
		return status;
	sqlite3_bind_blob(st, 1, blob, len, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		status = tv__box_db_fail(box, box->db, rc, "reading the ballot box");
	sqlite3_finalize(st);
	return status;
}

static tv_status insert_late_tenant(tv_box *box, const tv_tenant *t, size_t i, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	const char *language = t->language != NULL && t->language[0] != '\0' ? t->language : "en";
	tv_status status;

	if (t->tenancy_ref == NULL || t->tenancy_ref[0] == '\0' || t->name == NULL ||
	    t->name[0] == '\0' || t->address == NULL || t->address[0] == '\0' ||
	    (strcmp(language, "en") != 0 && strcmp(language, "cy") != 0))
		return tv__fail(box->ctx, TV_ERR_INVALID_ARGUMENT, "change %zu: a late tenant needs a "
		                "tenancy reference, a name and an address, and a language en or cy",
		                i + 1);
	if ((status = tv__box_prepare(box, &st, "INSERT INTO tenant (tenancy_ref, name, address, "
	                                         "tenancy_type, email, phone, language, source_line, "
	                                         "late) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1)")) != TV_OK)
		return status;
	sqlite3_bind_text(st, 1, t->tenancy_ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->address, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, (int)t->tenancy_type);
	sqlite3_bind_text(st, 5, t->email != NULL ? t->email : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, t->phone != NULL ? t->phone : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, language, -1, SQLITE_STATIC);
	if ((status = step_done(box, st, "adding a late tenant")) == TV_OK)
		*id = sqlite3_last_insert_rowid(box->db);
	return status;
}

/* one change, checked and appended at position @p p after @p head, inside the transaction */
static tv_status apply_one(tv_box *box, const change *c, const tv_credential_change *in,
                           size_t i, unsigned flags, int64_t now, uint64_t p, uint8_t head[32],
                           const uint8_t authority[32], const uint8_t list[32])
{
	tv_ctx *ctx = box->ctx;
	sqlite3_stmt *st = NULL;
	int64_t tenant = 0, revoked_at = 0, counted = 0, v = 0;
	uint8_t next[32];
	char detail[160];
	int found;
	tv_status status;

	status = tv__credential_change_verify(ctx, box->fingerprint, authority, list, c->op, &c->x,
	                                      c->signature);
	if (status == TV_ERR_SIGNATURE_INVALID)
		return tv__fail(ctx, status, "change %zu: the credential %s is not signed by this "
		                "election's credential authority over the list the box imported (another "
		                "authority's, another election's, or altered)", i + 1,
		                in->revoke ? "revocation" : "addition");
	if (status != TV_OK)
		return status;
	if ((status = credential_row(box, &c->x, &found, &tenant, &revoked_at)) != TV_OK)
		return status;
	if (!in->revoke) {
		if (found)
			return tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID, "change %zu: the credential added "
			                "is on the list already%s", i + 1,
			                revoked_at != 0 ? " (revoked): a credential is never added again"
			                                : "");
		if (in->tenant == 0) {
			if (in->late == NULL)
				return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "change %zu: an addition names "
				                "the tenant it replaces a credential of, or a late tenant",
				                i + 1);
			if ((status = insert_late_tenant(box, in->late, i, &tenant)) != TV_OK)
				return status;
			snprintf(detail, sizeof(detail), "position %llu: late tenant %lld",
			         (unsigned long long)p, (long long)tenant);
		} else {
			tenant = in->tenant;
			if ((status = tv__box_query_int(box, "SELECT count(*) FROM tenant", &v)) != TV_OK)
				return status;
			if (in->late != NULL || (int64_t)in->tenant > v)
				return tv__fail(ctx, TV_ERR_STATE, "change %zu: tenant %u is not on the "
				                "register (%lld tenants)", i + 1, in->tenant, (long long)v);
			if ((status = tv__box_prepare(box, &st, "SELECT count(*) FROM credential WHERE "
			                                         "tenant_id = ? AND revoked_at IS NULL")) !=
			    TV_OK)
				return status;
			sqlite3_bind_int64(st, 1, tenant);
			v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
			sqlite3_finalize(st);
			st = NULL;
			if (v != 0)
				return v < 0 ? tv__box_db_fail(box, box->db, SQLITE_ERROR,
				                                "reading the credentials")
				             : tv__fail(ctx, TV_ERR_STATE, "change %zu: tenant %u still "
				                        "holds a credential that is not revoked: a "
				                        "replacement revokes the old credential first",
				                        i + 1, in->tenant);
			snprintf(detail, sizeof(detail), "position %llu: tenant %lld (a replacement)",
			         (unsigned long long)p, (long long)tenant);
		}
		if ((status = tv__box_prepare(box, &st, "INSERT INTO credential (tenant_id, public_key, "
		                                         "added_at) VALUES (?, ?, ?)")) != TV_OK)
			return status;
		sqlite3_bind_int64(st, 1, tenant);
		sqlite3_bind_blob(st, 2, c->x.bytes, TV_POINT_BYTES, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)p);
		if ((status = step_done(box, st, "adding the credential")) != TV_OK)
			return status;
	} else {
		if (in->tenant != 0 || in->late != NULL)
			return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "change %zu: a revocation names "
			                "no tenant: the credential says whose it is", i + 1);
		if (!found)
			return tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID, "change %zu: the credential "
			                "revoked is not on the list", i + 1);
		if (revoked_at != 0)
			return tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID, "change %zu: the credential "
			                "revoked was revoked already at position %lld", i + 1,
			                (long long)revoked_at);
		/* its counted entry, under either revote policy: any ballot or spoilt paper */
		if ((status = query_blob_int(box, tv_manifest_revote(box->manifest) == TV_REVOTE_FIRST
		                                          ? "SELECT coalesce(min(position), 0) FROM board "
		                                            "WHERE credential = ? AND kind IN (1, 2, 6, 7)"
		                                          : "SELECT coalesce(max(position), 0) FROM board "
		                                            "WHERE credential = ? AND kind IN (1, 2, 6, 7)",
		                             c->x.bytes, TV_POINT_BYTES, &counted)) != TV_OK)
			return status;
		if (counted != 0 && !(flags & TV_CHANGE_VOID_COUNTED))
			return tv__fail(ctx, TV_ERR_STATE, "change %zu: the credential revoked has a "
			                "counted entry at position %lld: revoking it voids that vote. "
			                "Refused unless the returning officer says the vote is to be "
			                "voided", i + 1, (long long)counted);
		if ((status = tv__box_prepare(box, &st, "UPDATE credential SET revoked_at = ? WHERE "
		                                         "public_key = ?")) != TV_OK)
			return status;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)p);
		sqlite3_bind_blob(st, 2, c->x.bytes, TV_POINT_BYTES, SQLITE_STATIC);
		if ((status = step_done(box, st, "revoking the credential")) != TV_OK)
			return status;
		if (counted != 0)
			snprintf(detail, sizeof(detail), "position %llu: tenant %lld; VOIDS the counted "
			         "entry at position %lld", (unsigned long long)p, (long long)tenant,
			         (long long)counted);
		else
			snprintf(detail, sizeof(detail), "position %llu: tenant %lld",
			         (unsigned long long)p, (long long)tenant);
	}
	if ((status = tv__board_next_head(ctx, next, head, p, c->t, 0, now)) != TV_OK ||
	    (status = tv__box_prepare(box, &st, "INSERT INTO board (position, tracking, credential, "
	                                         "ballot_json, channel, received_at, prev_head, head, "
	                                         "kind) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)")) != TV_OK)
		return status;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)p);
	sqlite3_bind_blob(st, 2, c->t, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, c->x.bytes, TV_POINT_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_blob(st, 6, head, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, next, 32, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, c->op);
	if ((status = step_done(box, st, "appending to the board")) != TV_OK ||
	    (status = tv__box_audit(box, in->revoke ? "credential-revoked" : "credential-added",
	                            detail)) != TV_OK)
		return status;
	memcpy(head, next, 32);
	return TV_OK;
}

tv_status tv_box_apply_credential_changes(tv_ctx *ctx, uint64_t *positions, tv_box *box,
                                          const tv_credential_change *changes, size_t count,
                                          unsigned flags, int64_t now)
{
	const tv_manifest *m;
	change *c = NULL;
	uint8_t authority[32], list[32], head[32];
	uint64_t tip = 0;
	int64_t last = 0;
	box_state s;
	tv_status status = TV_OK;

	if (ctx == NULL || box == NULL || changes == NULL || count == 0 || count > 1000 ||
	    (flags & ~TV_CHANGE_VOID_COUNTED) != 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_apply_credential_changes: NULL "
		                "argument, no changes, more than 1000, or an unknown flag");
	box->ctx = ctx;
	m = box->manifest;
	if ((c = tv__calloc(ctx, count, sizeof(*c))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu changes", count);
	/* read first, outside the write lock */
	for (size_t i = 0; i < count && status == TV_OK; i++)
		status = change_read(ctx, &c[i], &changes[i], i);
	if (status != TV_OK)
		goto done;
	if ((status = tv__box_begin(box)) != TV_OK)
		goto done;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	/* before open the time would be outside the window (§19.3 check 5) */
	if (s.phase != TV_PHASE_OPEN) {
		status = tv__fail(ctx, TV_ERR_STATE, s.phase == TV_PHASE_SETUP
		                  ? "voting has not opened yet: the list can change only while voting "
		                    "is open"
		                  : "voting is closed: the list can no longer change");
		goto out;
	}
	if (now < tv_manifest_opens(m) || now >= tv_manifest_closes(m)) {
		status = tv__fail(ctx, TV_ERR_STATE, "%lld is outside the voting window",
		                  (long long)now);
		goto out;
	}
	if ((status = tv__board_tip(box, &tip, head)) != TV_OK ||
	    (status = tv__board_last_time(box, &last)) != TV_OK)
		goto out;
	if (now < last) {
		status = tv__fail(ctx, TV_ERR_STATE, "%lld is before the board's last entry "
		                  "(%lld): time never goes back along the board", (long long)now,
		                  (long long)last);
		goto out;
	}
	if ((status = tv__box_authority(box, authority, NULL, list, NULL)) != TV_OK)
		goto out;
	for (size_t i = 0; i < count; i++) {
		if ((status = apply_one(box, &c[i], &changes[i], i, flags, now, tip + 1 + i, head,
		                        authority, list)) != TV_OK)
			goto out;
	}
	if ((status = tv__box_commit(box)) != TV_OK)
		goto out;
	for (size_t i = 0; positions != NULL && i < count; i++)
		positions[i] = tip + 1 + i;
	goto done;
out:
	tv__box_rollback(box);
done:
	tv__free(ctx, c);
	return status;
}
