/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.5: the marked register: who has voted and by which channels,
 * never how; each export logged with its purpose.
 */
#include <stdio.h>
#include <string.h>

#include "box_internal.h"

tv_status tv_box_marked_register(tv_ctx *ctx, tv_box *box, const char *purpose,
                                 tv_marked_fn fn, void *payload)
{
	sqlite3_stmt *st = NULL;
	box_state s;
	char detail[300];
	tv_status status;
	int rc;

	if (ctx == NULL || box == NULL || purpose == NULL || fn == NULL || purpose[0] == '\0')
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_box_marked_register: NULL argument or no purpose given");
	box->ctx = ctx;
	if ((status = tv__utf8_check(ctx, purpose, strlen(purpose), "purpose")) != TV_OK)
		return status;
	/* the export is logged first, in its own transaction: it is the record
	 * that personal data left the box, whatever happens next */
	if ((status = tv__box_begin(box)) != TV_OK)
		return status;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	if (s.phase == TV_PHASE_SETUP) {
		status = tv__fail(ctx, TV_ERR_STATE, "voting has not opened: nobody has voted yet");
		goto out;
	}
	snprintf(detail, sizeof(detail), "purpose: %s", purpose);
	if ((status = tv__box_audit(box, "marked-register-exported", detail)) != TV_OK ||
	    (status = tv__box_commit(box)) != TV_OK)
		goto out;
	if ((status = tv__box_prepare(box, &st,
	                              "SELECT t.tenancy_ref, t.name, t.address, t.tenancy_type, t.email, "
	                              "t.phone, t.language, t.source_line, count(*), "
	                              "sum(DISTINCT b.channel) "
	                              "FROM board b JOIN credential c ON c.public_key = b.credential "
	                              "JOIN tenant t ON t.id = c.tenant_id WHERE b.kind IN (1, 2, 6, 7) "
	                              "AND c.revoked_at IS NULL "
	                              "GROUP BY t.id ORDER BY t.id")) != TV_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tv_tenant t;
		tv_marked_tenant mk;

		t.tenancy_ref = (const char *)sqlite3_column_text(st, 0);
		t.name = (const char *)sqlite3_column_text(st, 1);
		t.address = (const char *)sqlite3_column_text(st, 2);
		t.tenancy_type = (tv_tenancy_type)sqlite3_column_int(st, 3);
		t.email = (const char *)sqlite3_column_text(st, 4);
		t.phone = (const char *)sqlite3_column_text(st, 5);
		t.language = (const char *)sqlite3_column_text(st, 6);
		t.line = (uint32_t)sqlite3_column_int64(st, 7);
		mk.tenant = &t;
		mk.ballots = (uint32_t)sqlite3_column_int64(st, 8);
		/* channels are distinct single bits, so their distinct sum is their OR */
		mk.channels = (uint32_t)sqlite3_column_int64(st, 9);
		if (fn(&mk, payload) != 0) {
			status = tv__fail(ctx, TV_ERR_IO, "the marked register could not be written");
			break;
		}
	}
	if (status == TV_OK && rc != SQLITE_DONE)
		status = tv__box_db_fail(box, box->db, rc, "reading the marked register");
	sqlite3_finalize(st);
	return status;
out:
	tv__box_rollback(box);
	return status;
}
