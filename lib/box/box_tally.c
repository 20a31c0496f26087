/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.1: the encrypted totals of the closed election in the ballot
 * box, summed from the board's counted entries (one per credential, by the
 * revote policy).
 */
#include <string.h>

#include "box_internal.h"
#include "tally_internal.h"

tv_status tv_box_tally(tv_ctx *ctx, tv_tally **out, tv_box *box)
{
	tv_tally *t = NULL;
	sqlite3_stmt *st = NULL;
	tv__ct_sum sum[TV_MAX_OPTIONS];
	tv_election_key key;
	box_state s;
	int64_t n;
	uint64_t last;
	tv_status status;
	int rc;

	memset(sum, 0, sizeof(sum));
	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_tally: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		return status;
	if (s.phase != TV_PHASE_CLOSED)
		return tv__fail(ctx, TV_ERR_STATE, "the count needs voting closed first");
	if ((t = tv__tally_new(ctx)) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a tally");
	memcpy(t->info.election, box->fingerprint, 32);
	t->info.options = (uint32_t)tv_manifest_option_count(box->manifest);
	if ((status = tv_box_election_key(ctx, &key, box)) != TV_OK)
		goto out;
	if ((status = tv__box_query_int(box, "SELECT count(*) FROM credential", &n)) != TV_OK)
		goto out;
	t->info.electorate = (uint64_t)n;
	if ((status = tv__box_query_int(box, "SELECT count(*) FROM board", &n)) != TV_OK)
		goto out;
	t->info.entries = (uint64_t)n;
	/* the final head: the last entry's, or head_0 of an empty board */
	if ((status = tv__board_tip(box, &last, t->info.head)) != TV_OK)
		goto out;
	/* every sum starts from (h·G, h·K), h from the final head: defined with
	 * no ballots at all, and out of any voter's reach (SPEC §17.1.2) */
	for (uint32_t i = 0; i < t->info.options; i++)
		if ((status = tv__ct_sum_start(ctx, &sum[i], &key.key, box->fingerprint,
		                               t->info.head)) != TV_OK)
			goto out;
	if ((status = tv__box_prepare(
		     box, &st,
		     tv_manifest_revote(box->manifest) == TV_REVOTE_FIRST
		             ? "SELECT b.kind, b.channel, b.ballot_json, b.position FROM board b JOIN "
		               "(SELECT min(position) AS p FROM board GROUP BY credential) c "
		               "ON b.position = c.p ORDER BY b.position"
		             : "SELECT b.kind, b.channel, b.ballot_json, b.position FROM board b JOIN "
		               "(SELECT max(position) AS p FROM board GROUP BY credential) c "
		               "ON b.position = c.p ORDER BY b.position")) != TV_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		int c = tv__channel_index((uint32_t)sqlite3_column_int(st, 1));
		const char *json = (const char *)sqlite3_column_text(st, 2);
		size_t len = (size_t)sqlite3_column_bytes(st, 2);

		if (c < 0) {
			status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: a bad channel at position %lld",
			                  (long long)sqlite3_column_int64(st, 3));
			goto out;
		}
		t->info.by_channel[c]++;
		if (kind == TV_ENTRY_SPOILT) {
			tv_spoilt *p = NULL;

			if ((status = tv_spoilt_from_json(ctx, &p, json, len)) != TV_OK)
				goto out;
			t->info.spoilt[tv_spoilt_get_reason(p) - 1]++;
			tv_spoilt_free(p);
			continue;
		}
		{
			tv_ballot *b = NULL;

			if ((status = tv_ballot_from_json(ctx, &b, json, len)) != TV_OK)
				goto out;
			for (uint32_t i = 0; i < t->info.options && status == TV_OK; i++)
				status = tv__ct_sum_add(ctx, &sum[i], tv_ballot_ciphertext(b, i + 1));
			tv_ballot_free(b);
			if (status != TV_OK)
				goto out;
			t->info.ballots++;
		}
	}
	if (rc != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "reading the board");
		goto out;
	}
	for (uint32_t i = 0; i < t->info.options; i++) {
		if ((status = tv__ct_sum_get(ctx, &t->sum[i], &sum[i])) != TV_OK) {
			/* the nonces of every counted ballot, and 1, add up to 0 */
			if (status == TV_ERR_POINT_INVALID)
				status = tv__fail(ctx, status, "option %u: the sum of the counted "
				                  "ballots is the point at infinity", i + 1);
			goto out;
		}
		t->have_sum[i] = 1;
	}
	*out = t;
	t = NULL;
out:
	for (uint32_t i = 0; i < TV_MAX_OPTIONS; i++)
		tv__ct_sum_free(&sum[i]);
	sqlite3_finalize(st);
	tv_tally_free(t);
	return status;
}
