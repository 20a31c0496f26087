/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §14: setting up the ballot box before voting opens: the tenant
 * register (§10), the credentials (§11.3) and the election key from the
 * key ceremony's transcript (§12.5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "box_internal.h"
#include "tenantvote/authority.h"
#include "tenantvote/box.h"

/* ---------------------------------------------------------------- register */

tv_status tv_box_import_register(tv_ctx *ctx, tv_box *box, const tv_register *reg,
                                 const char *source_name)
{
	sqlite3_stmt *st = NULL;
	box_state s;
	uint8_t digest[32];
	char at[32], detail[512];
	size_t i, count;
	tv_status status;
	int rc;

	if (ctx == NULL || box == NULL || reg == NULL || source_name == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_import_register: NULL argument");
	box->ctx = ctx;
	count = tv_register_count(reg);
	if ((status = tv__box_begin(box)) != TV_OK)
		return status;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	if (s.phase != TV_PHASE_SETUP) {
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "voting has started: the register can no longer change");
		goto out;
	}
	if (s.credentials_issued) {
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "credentials have been issued for the current register: it can no "
		                  "longer be replaced (tenants already hold their codes)");
		goto out;
	}
	if ((status = tv__box_exec(box, "DELETE FROM tenant; DELETE FROM register_info",
	                   "clearing the old register")) != TV_OK ||
	    (status = tv__box_prepare(box, &st, "INSERT INTO tenant (id, tenancy_ref, name, address, "
	                                 "tenancy_type, email, phone, language, source_line) "
	                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) != TV_OK)
		goto out;
	for (i = 0; i < count; i++) {
		tv_tenant t;

		if ((status = tv_register_tenant(&t, reg, i)) != TV_OK)
			goto out;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 2, t.tenancy_ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, t.name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, t.address, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, (int)t.tenancy_type);
		sqlite3_bind_text(st, 6, t.email, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, t.phone, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, t.language, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, t.line);
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "storing the register");
			goto out;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	tv_register_digest(digest, reg);
	tv__box_now_utc(at);
	if ((status = tv__box_prepare(box, &st, "INSERT INTO register_info (id, source, digest, tenants, "
	                                 "imported_at) VALUES (1, ?, ?, ?, ?)")) != TV_OK)
		goto out;
	sqlite3_bind_text(st, 1, source_name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, digest, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)count);
	sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "storing the register");
		goto out;
	}
	snprintf(detail, sizeof(detail), "%zu tenants from %s", count, source_name);
	if ((status = tv__box_audit(box, s.tenants > 0 ? "register-replaced" : "register-imported",
	                    detail)) != TV_OK)
		goto out;
	status = tv__box_commit(box);
out:
	sqlite3_finalize(st);
	if (status != TV_OK)
		tv__box_rollback(box);
	return status;
}

/* ------------------------------------------------------------- credentials */

/*
 * §11.5: the box takes the credential authority's signed issue file. The
 * list must be for this election and this register, one valid credential
 * per tenant in register order, all distinct, and signed by the authority
 * it names; the box keeps the authority's key, signature, the list digest
 * L and the ceremony context C = H("ceremony-context"; F, A, L).
 */
static tv_status import_issue(tv_box *box, const tv__credential_issue *issue)
{
	tv_ctx *ctx = box->ctx;
	sqlite3_stmt *tenants = NULL, *ins = NULL;
	uint8_t digest[32], list[32], context[32];
	box_state s;
	char at[32], detail[96];
	size_t i = 0;
	tv_status status;
	int rc;

	if (memcmp(issue->election, box->fingerprint, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION,
		                "the credential issue file is for another election");
	if ((status = tv__credential_issue_check(ctx, issue, list, context)) != TV_OK)
		return status;
	if ((status = tv__box_begin(box)) != TV_OK)
		return status;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	if (s.phase != TV_PHASE_SETUP) {
		status = tv__fail(ctx, TV_ERR_STATE, "voting has started: credentials cannot be issued now");
		goto out;
	}
	if (s.credentials_issued) {
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "credentials have already been issued for this election");
		goto out;
	}
	if (s.tenants == 0) {
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "no tenant register yet: import one with 'tenantvote register import'");
		goto out;
	}
	if ((status = tv__box_prepare(box, &tenants, "SELECT digest FROM register_info WHERE id = 1"))
	    != TV_OK)
		goto out;
	if (sqlite3_step(tenants) != SQLITE_ROW || sqlite3_column_bytes(tenants, 0) != 32) {
		status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: damaged register digest");
		goto out;
	}
	memcpy(digest, sqlite3_column_blob(tenants, 0), 32);
	sqlite3_finalize(tenants);
	tenants = NULL;
	if (memcmp(digest, issue->register_digest, 32) != 0 || (int64_t)issue->count != s.tenants) {
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the credential issue file was made from "
		                  "another register (%zu tenants; the box has %lld): the credential "
		                  "authority must use the register the box imported", issue->count,
		                  (long long)s.tenants);
		goto out;
	}
	if ((status = tv__box_prepare(box, &tenants, "SELECT id FROM tenant ORDER BY id")) != TV_OK ||
	    (status = tv__box_prepare(box, &ins, "INSERT INTO credential (tenant_id, public_key) "
	                                  "VALUES (?, ?)")) != TV_OK)
		goto out;
	for (i = 0; (rc = sqlite3_step(tenants)) == SQLITE_ROW && i < issue->count; i++) {
		sqlite3_bind_int64(ins, 1, sqlite3_column_int64(tenants, 0));
		sqlite3_bind_blob(ins, 2, issue->points[i], TV_POINT_BYTES, SQLITE_STATIC);
		if ((rc = sqlite3_step(ins)) != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "storing a credential");
			goto out;
		}
		sqlite3_reset(ins);
	}
	if (i != issue->count) {
		status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: the register changed while "
		                  "credentials were imported");
		goto out;
	}
	sqlite3_finalize(ins);
	ins = NULL;
	if ((status = tv__box_prepare(box, &ins, "INSERT INTO credential_authority (id, public_key, "
	                                 "signature, list_digest, ceremony_context) "
	                                 "VALUES (1, ?, ?, ?, ?)")) != TV_OK)
		goto out;
	sqlite3_bind_blob(ins, 1, issue->authority, 32, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 2, issue->signature, 64, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 3, list, 32, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 4, context, 32, SQLITE_STATIC);
	if ((rc = sqlite3_step(ins)) != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "recording the credential authority");
		goto out;
	}
	sqlite3_finalize(ins);
	ins = NULL;
	tv__box_now_utc(at);
	if ((status = tv__box_prepare(box, &ins, "UPDATE election SET credentials_issued_at = ? "
	                                 "WHERE id = 1")) != TV_OK)
		goto out;
	sqlite3_bind_text(ins, 1, at, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(ins)) != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "recording the issue");
		goto out;
	}
	{
		char a[17];

		tv__hex_encode(a, issue->authority, 8);
		snprintf(detail, sizeof(detail), "%zu credentials, authority %.16s", issue->count, a);
	}
	if ((status = tv__box_audit(box, "credentials-issued", detail)) != TV_OK)
		goto out;
	status = tv__box_commit(box);
out:
	sqlite3_finalize(tenants);
	sqlite3_finalize(ins);
	if (status != TV_OK)
		tv__box_rollback(box);
	return status;
}

tv_status tv_box_import_credentials(tv_ctx *ctx, tv_box *box, const char *issue_json,
                                    size_t len)
{
	tv__credential_issue issue;
	tv_status status;

	if (ctx == NULL || box == NULL || issue_json == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_import_credentials: NULL argument");
	box->ctx = ctx;
	if ((status = tv__credential_issue_from_json(ctx, &issue, issue_json, len)) != TV_OK)
		return status;
	status = import_issue(box, &issue);
	tv__credential_issue_free(ctx, &issue);
	return status;
}

/* the letters of tv_box_issue_credentials: the caller's, without check codes */
typedef struct issue_letters {
	tv_letter_fn letter;
	void *payload;
} issue_letters;

static int pass_letter(const tv_tenant *tenant, const char *code, const char *check,
                       void *payload)
{
	issue_letters *l = payload;

	(void)check;
	return l->letter(tenant, code, l->payload);
}

/* the box's own register, in register order, for the authority */
typedef struct tenant_walk {
	tv_box *box;
	sqlite3_stmt *st;
} tenant_walk;

static tv_status tenant_next(tv_tenant *t, void *it)
{
	tenant_walk *w = it;
	int rc = sqlite3_step(w->st);

	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? tv__fail(w->box->ctx, TV_ERR_DATABASE, "ballot box: the "
		                                    "register changed while credentials were issued")
		                         : tv__box_db_fail(w->box, w->box->db, rc, "reading the register");
	t->tenancy_ref = (const char *)sqlite3_column_text(w->st, 0);
	t->name = (const char *)sqlite3_column_text(w->st, 1);
	t->address = (const char *)sqlite3_column_text(w->st, 2);
	t->tenancy_type = (tv_tenancy_type)sqlite3_column_int(w->st, 3);
	t->email = (const char *)sqlite3_column_text(w->st, 4);
	t->phone = (const char *)sqlite3_column_text(w->st, 5);
	t->language = (const char *)sqlite3_column_text(w->st, 6);
	t->line = (uint32_t)sqlite3_column_int64(w->st, 7);
	return TV_OK;
}

/*
 * One machine acting as its own credential authority (demonstrations and
 * tests): the authority's key is made here and forgotten, so the list can
 * never be changed afterwards (§11.7 needs the authority's key).
 */
tv_status tv_box_issue_credentials(tv_ctx *ctx, tv_box *box, tv_letter_fn letter,
                                   void *payload)
{
	issue_letters l = { letter, payload };
	tenant_walk w = { box, NULL };
	tv_authority *a = NULL;
	sqlite3_stmt *st = NULL;
	uint8_t digest[32];
	box_state s;
	char *issue = NULL;
	tv_status status;

	if (ctx == NULL || box == NULL || letter == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_issue_credentials: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		return status;
	if (s.phase != TV_PHASE_SETUP)
		return tv__fail(ctx, TV_ERR_STATE, "voting has started: credentials cannot be issued now");
	if (s.credentials_issued)
		return tv__fail(ctx, TV_ERR_STATE,
		                "credentials have already been issued for this election");
	if (s.tenants == 0)
		return tv__fail(ctx, TV_ERR_STATE,
		                "no tenant register yet: import one with 'tenantvote register import'");
	if ((status = tv__box_prepare(box, &st, "SELECT digest FROM register_info WHERE id = 1"))
	    != TV_OK)
		return status;
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != 32) {
		sqlite3_finalize(st);
		return tv__fail(ctx, TV_ERR_DATABASE, "ballot box: damaged register digest");
	}
	memcpy(digest, sqlite3_column_blob(st, 0), 32);
	sqlite3_finalize(st);
	if ((status = tv__box_prepare(box, &w.st, "SELECT tenancy_ref, name, address, tenancy_type, "
	                                  "email, phone, language, source_line FROM tenant "
	                                  "ORDER BY id")) == TV_OK &&
	    (status = tv_authority_new(ctx, &a, box->manifest)) == TV_OK)
		status = tv__authority_issue_each(ctx, &issue, a, (size_t)s.tenants, digest,
		                                  tenant_next, &w, pass_letter, &l);
	sqlite3_finalize(w.st);
	tv_authority_free(a);
	if (status == TV_OK)
		status = tv_box_import_credentials(ctx, box, issue, strlen(issue));
	tv__free(ctx, issue);
	return status;
}

tv_status tv_box_each_credential(tv_ctx *ctx, tv_box *box, tv_credential_fn fn,
                                 void *payload)
{
	sqlite3_stmt *st = NULL;
	box_state s;
	tv_status status;
	uint32_t index = 0;
	int rc;

	if (ctx == NULL || box == NULL || fn == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_each_credential: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		return status;
	if (!s.credentials_issued)
		return tv__fail(ctx, TV_ERR_STATE, "no credentials have been issued yet");
	if ((status = tv__box_prepare(box, &st, "SELECT public_key FROM credential "
	                                         "WHERE added_at IS NULL ORDER BY id")) != TV_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tv_point p;

		if (sqlite3_column_bytes(st, 0) != TV_POINT_BYTES) {
			status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: damaged credential %u", index);
			goto out;
		}
		memcpy(p.bytes, sqlite3_column_blob(st, 0), TV_POINT_BYTES);
		if (fn(index++, &p, payload) != 0) {
			status = tv__fail(ctx, TV_ERR_IO, "stopped while listing credentials");
			goto out;
		}
	}
	if (rc != SQLITE_DONE)
		status = tv__box_db_fail(box, box->db, rc, "reading the credentials");
out:
	sqlite3_finalize(st);
	return status;
}

/* ------------------------------------------------------------ election key */

tv_status tv__box_authority(tv_box *box, uint8_t authority[32], uint8_t signature[64],
                            uint8_t list_digest[32], uint8_t context[32])
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	if ((status = tv__box_prepare(box, &st, "SELECT public_key, signature, list_digest, "
	                                 "ceremony_context FROM credential_authority "
	                                 "WHERE id = 1")) != TV_OK)
		return status;
	if ((rc = sqlite3_step(st)) == SQLITE_DONE)
		status = tv__fail(box->ctx, TV_ERR_STATE, "no credentials have been issued yet");
	else if (rc != SQLITE_ROW)
		status = tv__box_db_fail(box, box->db, rc, "reading the credential authority");
	else if (sqlite3_column_bytes(st, 0) != 32 || sqlite3_column_bytes(st, 1) != 64 ||
	         sqlite3_column_bytes(st, 2) != 32 || sqlite3_column_bytes(st, 3) != 32)
		status = tv__fail(box->ctx, TV_ERR_DATABASE, "ballot box: damaged credential authority");
	else {
		if (authority != NULL)
			memcpy(authority, sqlite3_column_blob(st, 0), 32);
		if (signature != NULL)
			memcpy(signature, sqlite3_column_blob(st, 1), 64);
		if (list_digest != NULL)
			memcpy(list_digest, sqlite3_column_blob(st, 2), 32);
		if (context != NULL)
			memcpy(context, sqlite3_column_blob(st, 3), 32);
	}
	sqlite3_finalize(st);
	return status;
}

tv_status tv_box_ceremony_context(tv_ctx *ctx, uint8_t out[32], tv_box *box)
{
	if (ctx == NULL || out == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_ceremony_context: NULL argument");
	box->ctx = ctx;
	return tv__box_authority(box, NULL, NULL, NULL, out);
}

tv_status tv_box_ceremony_kit(tv_ctx *ctx, char **out, size_t *len, tv_box *box)
{
	uint8_t authority[32], list_digest[32];
	box_state s;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL || out == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_ceremony_kit: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		return status;
	if (s.key_ready || s.phase != TV_PHASE_SETUP)
		return tv__fail(ctx, TV_ERR_STATE, "the election key already exists: the key ceremony "
		                "is over");
	/* §11.6: the ceremony is bound to the authority's signed list */
	if ((status = tv__box_authority(box, authority, NULL, list_digest, NULL)) != TV_OK)
		return status;
	/* SPEC §12.12: public things only; nothing from the register */
	return tv__ceremony_kit_to_json(ctx, out, len, box->manifest, authority,
	                                (uint64_t)s.tenants, list_digest);
}

tv_status tv_box_set_election_key(tv_ctx *ctx, tv_box *box, const char *const *commits,
                                  const char *const *reveals, const char *const *results,
                                  size_t count)
{
	sqlite3_stmt *st = NULL;
	tv_election_key key;
	box_state s;
	uint8_t context[32];
	char *text = NULL, detail[64];
	tv_status status;
	size_t i;
	int rc;

	if (ctx == NULL || box == NULL || commits == NULL || reveals == NULL || results == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_set_election_key: NULL argument");
	box->ctx = ctx;
	/* the ceremony is bound to the signed credential list (§11.6) */
	if ((status = tv__box_authority(box, NULL, NULL, NULL, context)) != TV_OK)
		return status;
	/* the key is what the transcript proves, never what a caller says */
	if ((status = tv_ceremony_verify(ctx, &key, context,
	                                 tv_manifest_trustees(box->manifest),
	                                 tv_manifest_threshold(box->manifest), commits, count,
	                                 reveals, count, results, count)) != TV_OK)
		return status;
	if ((status = tv__transcript_to_json(ctx, &text, commits, reveals, results, count)) != TV_OK)
		return status;
	if ((status = tv__box_begin(box)) != TV_OK)
		goto out;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	if (s.phase != TV_PHASE_SETUP) {
		status = tv__fail(ctx, TV_ERR_STATE, "voting has started: the election key is fixed");
		goto out;
	}
	if (s.key_ready) {
		status = tv__fail(ctx, TV_ERR_STATE, "the election key is already recorded");
		goto out;
	}
	if ((status = tv__box_prepare(box, &st, "UPDATE election SET joint_key = ?, ceremony_transcript = ? "
	                                 "WHERE id = 1")) != TV_OK)
		goto out;
	sqlite3_bind_blob(st, 1, key.key.bytes, TV_POINT_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "recording the election key");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((status = tv__box_prepare(box, &st, "INSERT INTO trustee_key (trustee, verification_key) "
	                                 "VALUES (?, ?)")) != TV_OK)
		goto out;
	for (i = 0; i < key.trustees; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_blob(st, 2, key.verification_key[i].bytes, TV_POINT_BYTES, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "recording a trustee key");
			goto out;
		}
		sqlite3_reset(st);
	}
	snprintf(detail, sizeof(detail), "%u trustees, threshold %u", key.trustees, key.threshold);
	if ((status = tv__box_audit(box, "election-key", detail)) != TV_OK)
		goto out;
	status = tv__box_commit(box);
out:
	sqlite3_finalize(st);
	tv_free(ctx, text);
	if (status != TV_OK)
		tv__box_rollback(box);
	return status;
}

tv_status tv_box_election_key(tv_ctx *ctx, tv_election_key *out, tv_box *box)
{
	sqlite3_stmt *st = NULL;
	tv_election_key key;
	tv_status status;
	int rc;

	if (ctx == NULL || out == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_election_key: NULL argument");
	box->ctx = ctx;
	memset(&key, 0, sizeof(key));
	key.trustees = tv_manifest_trustees(box->manifest);
	key.threshold = tv_manifest_threshold(box->manifest);
	if ((status = tv__box_prepare(box, &st, "SELECT joint_key FROM election WHERE id = 1")) != TV_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		status = tv__box_db_fail(box, box->db, rc, "reading the election key");
	else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "no election key yet: the trustees' key ceremony has not finished");
	else if (sqlite3_column_bytes(st, 0) != TV_POINT_BYTES)
		status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: damaged election key");
	else
		memcpy(key.key.bytes, sqlite3_column_blob(st, 0), TV_POINT_BYTES);
	sqlite3_finalize(st);
	st = NULL;
	if (status != TV_OK)
		return status;
	if ((status = tv__box_prepare(box, &st, "SELECT trustee, verification_key FROM trustee_key "
	                                 "ORDER BY trustee")) != TV_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t t = sqlite3_column_int64(st, 0);

		if (t < 1 || t > (int64_t)key.trustees || sqlite3_column_bytes(st, 1) != TV_POINT_BYTES) {
			status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: damaged trustee key %lld",
			                  (long long)t);
			break;
		}
		memcpy(key.verification_key[t - 1].bytes, sqlite3_column_blob(st, 1), TV_POINT_BYTES);
	}
	if (status == TV_OK && rc != SQLITE_DONE)
		status = tv__box_db_fail(box, box->db, rc, "reading the trustee keys");
	sqlite3_finalize(st);
	if (status == TV_OK)
		*out = key;
	return status;
}

tv_status tv_box_election_key_point(tv_ctx *ctx, tv_point *out, tv_box *box)
{
	tv_election_key key;
	tv_status status;

	if (ctx == NULL || out == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_box_election_key_point: NULL argument");
	if ((status = tv_box_election_key(ctx, &key, box)) != TV_OK)
		return status;
	*out = key.key;
	return TV_OK;
}
