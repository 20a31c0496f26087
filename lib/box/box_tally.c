/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.1: the encrypted totals of the closed election in the ballot
 * box: the board's counted entries (one per credential, by the revote
 * policy) read from SQLite and added up by the tally layer's aggregation,
 * the same code the verifier counts a record with.
 */
#include <string.h>

#include "box_internal.h"
#include "tally_internal.h"

/* one counted entry, as stored, into @p a */
static tv_status add_entry(tv_ctx *ctx, tv__aggregate *a, int kind, uint32_t channel,
                           const char *json, size_t len, int64_t position)
{
	tv_ballot *b = NULL;
	tv_spoilt *p = NULL;
	tv_status status;

	if (tv__channel_index(channel) < 0)
		return tv__fail(ctx, TV_ERR_DATABASE, "ballot box: a bad channel at position %lld",
		                (long long)position);
	if (kind == TV_ENTRY_PAPER || kind == TV_ENTRY_PAPER_SPOILT) {
		tv__board_entry e;

		status = tv__paper_stored_read(ctx, kind, json, len, &e, &b, &p);
	} else if (kind == TV_ENTRY_SPOILT)
		status = tv_spoilt_from_json(ctx, &p, json, len);
	else
		status = tv_ballot_from_json(ctx, &b, json, len);
	if (status == TV_OK)
		status = tv__aggregate_add(a, channel, b, p);
	tv_ballot_free(b);
	tv_spoilt_free(p);
	return status;
}

tv_status tv_box_tally(tv_ctx *ctx, tv_tally **out, tv_box *box)
{
	return tv_box_tally_progress(ctx, out, box, NULL, NULL);
}

tv_status tv_box_tally_progress(tv_ctx *ctx, tv_tally **out, tv_box *box,
                                tv_progress_fn progress, void *payload)
{
	static const char what[] = "adding up the counted entries";
	int64_t counted = 0;
	uint64_t done = 0;
	tv__aggregate a;
	sqlite3_stmt *st = NULL;
	tv_election_key key;
	box_state s;
	int64_t electorate, entries;
	uint64_t last;
	uint8_t head[32];
	tv_status status;
	int rc;

	memset(&a, 0, sizeof(a));
	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_tally_progress: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		return status;
	if (s.phase != TV_PHASE_CLOSED)
		return tv__fail(ctx, TV_ERR_STATE, "the count needs voting closed first");
	/* the final head: the last entry's, or head_0 of an empty board */
	if ((status = tv_box_election_key(ctx, &key, box)) != TV_OK ||
	    (status = tv__box_query_int(box, "SELECT count(*) FROM credential WHERE "
	                                          "revoked_at IS NULL", &electorate)) != TV_OK ||
	    (status = tv__box_query_int(box, "SELECT count(*) FROM board", &entries)) != TV_OK ||
	    (progress != NULL &&
	     (status = tv__box_query_int(box, "SELECT count(DISTINCT credential) FROM board "
	                                      "WHERE kind != 3", &counted)) != TV_OK) ||
	    (status = tv__board_tip(box, &last, head)) != TV_OK ||
	    (status = tv__aggregate_start(ctx, &a, box->manifest, &key.key, box->fingerprint, head,
	                                  (uint64_t)entries, (uint64_t)electorate)) != TV_OK)
		goto out;
	if ((status = tv__box_prepare(
		     box, &st,
		     tv_manifest_revote(box->manifest) == TV_REVOTE_FIRST
		             /* an opened ballot (kind 3) is never counted (§17.1.1) */
		             ? "SELECT b.kind, b.channel, b.ballot_json, b.position FROM board b JOIN "
		               "(SELECT min(position) AS p FROM board WHERE kind IN (1, 2, 6, 7) AND "
		               "credential NOT IN (SELECT public_key FROM credential WHERE "
		               "revoked_at IS NOT NULL) "
		               "GROUP BY credential) c ON b.position = c.p ORDER BY b.position"
		             : "SELECT b.kind, b.channel, b.ballot_json, b.position FROM board b JOIN "
		               "(SELECT max(position) AS p FROM board WHERE kind IN (1, 2, 6, 7) AND "
		               "credential NOT IN (SELECT public_key FROM credential WHERE "
		               "revoked_at IS NOT NULL) "
		               "GROUP BY credential) c ON b.position = c.p ORDER BY b.position")) != TV_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((status = add_entry(ctx, &a, sqlite3_column_int(st, 0),
		                        (uint32_t)sqlite3_column_int(st, 1),
		                        (const char *)sqlite3_column_text(st, 2),
		                        (size_t)sqlite3_column_bytes(st, 2),
		                        sqlite3_column_int64(st, 3))) != TV_OK)
			goto out;
		if (progress != NULL && ++done % 256 == 0)
			progress(what, done, (uint64_t)counted, payload);
	}
	if (rc != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "reading the board");
		goto out;
	}
	if (progress != NULL)
		progress(what, done, (uint64_t)counted, payload);
	status = tv__aggregate_finish(&a, out);
out:
	tv__aggregate_free(&a);
	sqlite3_finalize(st);
	return status;
}
