/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §14.2: the audit log, read back. Who did what when, never how
 * anyone voted; reading it changes nothing and is not itself logged.
 */
#include <string.h>

#include <sqlite3.h>

#include "box_internal.h"
#include "tenantvote/box.h"

tv_status tv_box_audit_log(tv_ctx *ctx, tv_box *box, int64_t since, int64_t until,
                           const char *event, tv_audit_fn fn, void *payload)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	if (ctx == NULL || box == NULL || fn == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_audit_log: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_prepare(box, &st, "SELECT seq, at, event, detail FROM audit_log "
	                                        "WHERE ?1 IS NULL OR event = ?1 ORDER BY seq")) !=
	    TV_OK)
		return status;
	if (event != NULL)
		sqlite3_bind_text(st, 1, event, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(st, 1);
		tv_audit_event e;

		memset(&e, 0, sizeof(e));
		e.seq = (uint64_t)sqlite3_column_int64(st, 0);
		e.event = (const char *)sqlite3_column_text(st, 2);
		e.detail = (const char *)sqlite3_column_text(st, 3);
		if (at == NULL || e.event == NULL || e.detail == NULL ||
		    tv_time_parse(ctx, &e.at, at) != TV_OK) {
			status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: audit log row %llu is "
			                  "damaged (its time or text)", (unsigned long long)e.seq);
			goto out;
		}
		if (e.at < since || e.at > until)
			continue;
		if (fn(&e, payload) != 0) {
			status = tv__fail(ctx, TV_ERR_IO, "reading the audit log: stopped by the caller");
			goto out;
		}
	}
	if (rc != SQLITE_DONE)
		status = tv__box_db_fail(box, box->db, rc, "reading the audit log");
out:
	sqlite3_finalize(st);
	return status;
}
