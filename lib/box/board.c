/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.2–§15.4: the board in the ballot box: casting, receipts and
 * close. The chain link, the receipt and the close
 * statement themselves are protocol objects (lib/election/chain.c,
 * receipt.c, close.c); this file stores and signs them.
 * A ballot is appended in one IMMEDIATE transaction with every check inside
 * it; the receipt is signed only after COMMIT returned, so a receipt
 * exists only for a ballot that is on disk.
 */
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "batch.h"
#include "box_internal.h"
#include "ed25519_signer.h"
#include "json_util.h"

/* the time of the last entry, or 0 for an empty board */
tv_status tv__board_last_time(tv_box *box, int64_t *at)
{
	return tv__box_query_int(box, "SELECT coalesce(max(received_at), 0) FROM board "
	                              "WHERE position = (SELECT max(position) FROM board)", at);
}

/* the last position and head, or 0 and head_0 */
tv_status tv__board_tip(tv_box *box, uint64_t *position, uint8_t head[32])
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	if ((status = tv__box_prepare(box, &st, "SELECT position, head FROM board "
	                                         "ORDER BY position DESC LIMIT 1")) != TV_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32) {
		*position = (uint64_t)sqlite3_column_int64(st, 0);
		memcpy(head, sqlite3_column_blob(st, 1), 32);
	} else if (rc == SQLITE_DONE) {
		*position = 0;
		status = tv__box_start_head(box, head);
	} else {
		status = rc == SQLITE_ROW ? tv__fail(box->ctx, TV_ERR_DATABASE, "ballot box: damaged board head")
		                          : tv__box_db_fail(box, box->db, rc, "reading the board");
	}
	sqlite3_finalize(st);
	return status;
}

static tv_status box_public_key(tv_box *box, tv_ed25519_public_key *out)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	if ((status = tv__box_prepare(box, &st, "SELECT box_key FROM election WHERE id = 1")) != TV_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32)
		memcpy(out->bytes, sqlite3_column_blob(st, 0), 32);
	else if (rc == SQLITE_ROW)
		status = tv__fail(box->ctx, TV_ERR_STATE, "voting has never been opened: no box key");
	else
		status = tv__box_db_fail(box, box->db, rc, "reading the box key");
	sqlite3_finalize(st);
	return status;
}

tv_status tv_box_open_voting(tv_ctx *ctx, tv_box *box, const tv_ed25519_secret_key *box_key)
{
	tv_ed25519_public_key pk;
	sqlite3_stmt *st = NULL;
	box_state s;
	tv_status status;
	int rc;

	if (ctx == NULL || box_key == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_open_voting: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_begin(box)) != TV_OK)
		return status;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	if (s.phase != TV_PHASE_SETUP) {
		status = tv__fail(ctx, TV_ERR_STATE, "voting has already been opened");
		goto out;
	}
	if (!s.credentials_issued || !s.key_ready) {
		status = tv__fail(ctx, TV_ERR_STATE, "voting cannot open before %s",
		                  !s.credentials_issued ? "credentials are issued"
		                                        : "the trustees' key ceremony has finished");
		goto out;
	}
	if ((status = tv_ed25519_public_from_secret(ctx, &pk, box_key)) != TV_OK ||
	    (status = tv__box_prepare(box, &st, "UPDATE election SET phase = ?, box_key = ? "
	                                         "WHERE id = 1")) != TV_OK)
		goto out;
	sqlite3_bind_int(st, 1, TV_PHASE_OPEN);
	sqlite3_bind_blob(st, 2, pk.bytes, 32, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "opening voting");
		goto out;
	}
	if ((status = tv__box_audit(box, "voting-opened", "box key recorded")) != TV_OK ||
	    (status = tv__box_commit(box)) != TV_OK)
		goto out;
out:
	sqlite3_finalize(st);
	if (status != TV_OK)
		tv__box_rollback(box);
	return status;
}

/* does @p credential have a ballot on the board? */
static tv_status has_voted(tv_box *box, const tv_point *credential, int *voted)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	/* an opened ballot (kind 3) is not a vote, nor a change (4, 5) */
	if ((status = tv__box_cached(box, &st, "SELECT 1 FROM board WHERE credential = ? "
	                                        "AND kind IN (1, 2, 6, 7) LIMIT 1")) != TV_OK)
		return status;
	sqlite3_bind_blob(st, 1, credential->bytes, TV_POINT_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		*voted = rc == SQLITE_ROW;
	else
		status = tv__box_db_fail(box, box->db, rc, "reading the board");
	sqlite3_reset(st);
	return status;
}

static tv_status lookup_blob(tv_box *box, const char *sql, const void *blob, int len, int *found,
                             int64_t *value)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	/* the same few queries for every ballot cast: prepared once per box */
	if ((status = tv__box_cached(box, &st, sql)) != TV_OK)
		return status;
	sqlite3_bind_blob(st, 1, blob, len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		*found = rc == SQLITE_ROW;
		if (rc == SQLITE_ROW && value != NULL)
			*value = sqlite3_column_int64(st, 0);
	} else {
		status = tv__box_db_fail(box, box->db, rc, "reading the ballot box");
	}
	sqlite3_reset(st);
	return status;
}

/* one item's failure: its status and the context's message, kept with it */
static void item_fail(tv_ctx *ctx, tv_cast_item *item, tv_status status)
{
	item->status = status;
	snprintf(item->message, sizeof(item->message), "%s", tv_ctx_last_error(ctx));
}

/* the board's row at @p position as an unsigned receipt */
static tv_status receipt_at(tv_box *box, tv_receipt *r, uint64_t position)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((status = tv__box_prepare(box, &st, "SELECT tracking, prev_head, head, channel, "
	                                         "received_at FROM board WHERE position = ?")) != TV_OK)
		return status;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)position);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32 &&
	    sqlite3_column_bytes(st, 1) == 32 && sqlite3_column_bytes(st, 2) == 32) {
		memcpy(r->election, box->fingerprint, 32);
		memcpy(r->tracking, sqlite3_column_blob(st, 0), 32);
		memcpy(r->prev_head, sqlite3_column_blob(st, 1), 32);
		memcpy(r->head, sqlite3_column_blob(st, 2), 32);
		r->channel = (uint32_t)sqlite3_column_int(st, 3);
		r->time = sqlite3_column_int64(st, 4);
		r->position = position;
	} else if (rc == SQLITE_DONE) {
		status = tv__fail(box->ctx, TV_ERR_INVALID_ARGUMENT, "the board has no position %llu",
		                  (unsigned long long)position);
	} else {
		status = rc == SQLITE_ROW ? tv__fail(box->ctx, TV_ERR_DATABASE,
		                                     "ballot box: damaged board row %llu",
		                                     (unsigned long long)position)
		                          : tv__box_db_fail(box, box->db, rc, "reading the board");
	}
	sqlite3_finalize(st);
	return status;
}

/* the box key given must be this box's: a receipt signed with another never checks */
static tv_status check_public_key(tv_ctx *ctx, tv_box *box, const tv_ed25519_public_key *given)
{
	tv_ed25519_public_key stored;
	tv_status status;

	if ((status = box_public_key(box, &stored)) != TV_OK)
		return status;
	if (memcmp(stored.bytes, given->bytes, 32) != 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "that is not this ballot box's key");
	return TV_OK;
}

static tv_status check_box_key(tv_ctx *ctx, tv_box *box, const tv_ed25519_secret_key *box_key)
{
	tv_ed25519_public_key given;
	tv_status status;

	if ((status = tv_ed25519_public_from_secret(ctx, &given, box_key)) != TV_OK)
		return status;
	return check_public_key(ctx, box, &given);
}

tv_status tv_box_receipt(tv_ctx *ctx, tv_receipt *receipt, tv_box *box, uint64_t position,
                         const tv_ed25519_secret_key *box_key)
{
	tv_receipt r;
	tv_status status;

	if (ctx == NULL || receipt == NULL || box == NULL || box_key == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_receipt: NULL argument");
	box->ctx = ctx;
	if ((status = check_box_key(ctx, box, box_key)) != TV_OK ||
	    (status = receipt_at(box, &r, position)) != TV_OK ||
	    (status = tv__receipt_sign(ctx, &r, box_key)) != TV_OK)
		return status;
	*receipt = r;
	return TV_OK;
}

/* alpha || beta: the 130 bytes an opened ciphertext is kept by */
static void ciphertext_bytes(uint8_t out[2 * TV_POINT_BYTES], const tv_ciphertext *c)
{
	memcpy(out, c->alpha.bytes, TV_POINT_BYTES);
	memcpy(out + TV_POINT_BYTES, c->beta.bytes, TV_POINT_BYTES);
}

/* checks 3-8 of SPEC §15.2 for one entry, inside the transaction */
static tv_status entry_checks(tv_box *box, const tv_cast_item *item, const uint8_t t[32],
                              const tv_point *credential, const tv__paper_cast *pc)
{
	tv_ctx *ctx = box->ctx;
	const tv_manifest *m = box->manifest;
	uint32_t channel = item->channel;
	int64_t where = 0;
	int found = 0;
	tv_status status;

	if (channel == 0 || (channel & (channel - 1)) != 0 || (channel & tv_manifest_channels(m)) == 0)
		return tv__fail(ctx, TV_ERR_STATE, "channel %u is not one this election allows",
		                channel);
	if ((status = lookup_blob(box, "SELECT coalesce(revoked_at, 0) FROM credential "
	                               "WHERE public_key = ?",
	                          credential->bytes, TV_POINT_BYTES, &found, &where)) != TV_OK)
		return status;
	if (!found)
		return tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
		                "the %s credential is not on this election's list",
		                item->ballot ? "ballot's" : "spoilt paper's");
	if (where != 0)
		return tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
		                "the %s credential was revoked by the credential authority at "
		                "position %lld", item->ballot ? "ballot's" : "spoilt paper's",
		                (long long)where);
	if (pc != NULL && pc->kind != 0) {
		/* §15.8.4: a paper is cast once */
		if ((status = lookup_blob(box, "SELECT coalesce(cast_at, 0) FROM paper "
		                               "WHERE handle = ?", pc->handle, 32, &found,
		                          &where)) != TV_OK)
			return status;
		if (!found)
			return tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID, "the paper is not one this "
			                "election issued");
		if (where != 0)
			return tv__fail(ctx, TV_ERR_REPLAY, "the paper was cast already, at position "
			                "%lld", (long long)where);
		/* §15.8.4: a paper never replaces a vote its tenant has cast: others
		 * than the tenant (the authority, the printer, an intake clerk) can
		 * hold a paper, never the tenant's credential code */
		if ((status = lookup_blob(box, "SELECT position FROM board WHERE credential = ? "
		                               "AND kind IN (1, 2, 6, 7) LIMIT 1",
		                          credential->bytes, TV_POINT_BYTES, &found, &where)) != TV_OK)
			return status;
		if (found)
			return tv__fail(ctx, TV_ERR_ALREADY_VOTED, "this tenant has already voted "
			                "(board position %lld): a paper never replaces a vote",
			                (long long)where);
	}
	if ((status = lookup_blob(box, "SELECT position FROM board WHERE tracking = ?", t, 32,
	                          &found, &where)) != TV_OK)
		return status;
	if (found)
		return tv__fail(ctx, TV_ERR_REPLAY, "this %s is already on the board at position %lld",
		                item->ballot ? "ballot" : "spoilt paper", (long long)where);
	if ((status = lookup_blob(box, "SELECT 1 FROM challenged WHERE tracking = ?", t, 32,
	                          &found, NULL)) != TV_OK)
		return status;
	if (found)
		return tv__fail(ctx, TV_ERR_STATE,
		                "this ballot was challenged (opened): it can never be cast");
	/* an opened ballot's vote, re-proved under a new tracking code, is still opened */
	for (uint32_t i = 1; item->ballot != NULL && i <= tv_ballot_option_count(item->ballot); i++) {
		uint8_t ct[2 * TV_POINT_BYTES];

		ciphertext_bytes(ct, tv_ballot_ciphertext(item->ballot, i));
		if ((status = lookup_blob(box, "SELECT position FROM opened_ciphertext "
		                               "WHERE ciphertext = ?", ct, sizeof(ct), &found,
		                          &where)) != TV_OK)
			return status;
		if (found)
			return tv__fail(ctx, TV_ERR_REPLAY, "option %u's encrypted vote is an opened "
			                "ballot's (position %lld): it can never be cast", i,
			                (long long)where);
	}
	if (tv_manifest_revote(m) == TV_REVOTE_FIRST) {
		if ((status = has_voted(box, credential, &found)) != TV_OK)
			return status;
		if (found)
			return tv__fail(ctx, TV_ERR_ALREADY_VOTED,
			                "this credential has already voted, and only a tenant's first "
			                "ballot counts in this election");
	}
	return TV_OK;
}

/* is a status about the item (it is refused), or about the box (all fail)? */
static int item_status(tv_status status)
{
	return tv_status_is_rejection(status) || status == TV_ERR_STATE;
}

/* a status that fails the whole batch rather than one item */
static int batch_fatal(tv_status status)
{
	return status == TV_ERR_NOMEM || status == TV_ERR_INTERNAL ||
	       status == TV_ERR_INVALID_ARGUMENT;
}

/*
 * One item's own check (SPEC §15.2 checks 1-2): its signature and proofs,
 * with the message and status they give. TV_OK, or a fatal status (the
 * item's failure is kept with it otherwise).
 */
static tv_status check_single(tv_ctx *ctx, tv_box *box, tv_cast_item *it, const tv_point *key,
                              const tv__paper_cast *pc)
{
	tv_status status = TV_OK;

	if (pc != NULL && pc->kind != 0)
		/* a paper's ballot is unsigned (§15.8.4); a rejected paper has no ballot */
		status = it->ballot != NULL && !pc->checked
		         ? tv__ballot_verify_unsigned(ctx, it->ballot, box->manifest, key)
		         : TV_OK;
	else if (it->ballot != NULL && tv_ballot_is_challenged(it->ballot))
		/* SPEC §15.1.5: an opened ballot is never cast */
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "this ballot was challenged (opened): it can never be cast");
	else if (it->ballot != NULL)
		status = tv_ballot_verify(ctx, it->ballot, box->manifest, key);
	else if (it->spoilt != NULL)
		status = tv_spoilt_verify(ctx, it->spoilt, box->manifest);
	if (batch_fatal(status))
		return status;
	if (status != TV_OK)
		item_fail(ctx, it, status);
	return TV_OK;
}

/*
 * Checks 1-2 of every item, before the write lock is taken. Two or more
 * ballots and spoilt papers are checked as one batch (SPEC §5.5): their
 * proofs' and signatures' equations, weighted, give one multi-scalar
 * multiplication. An item that cannot join, every item the batch names as
 * bad, and all of them when the batch gives no verdict, are checked on
 * their own, so a refused item gets exactly the status and message it
 * always had.
 */
static tv_status check_items(tv_ctx *ctx, tv_box *box, tv_cast_item *items,
                             const tv__paper_cast *papers, size_t count, const tv_point *key)
{
	tv__batch *batch = NULL;
	size_t *joined = NULL, nb = 0, nbad = 0, ballots = 0, i;
	uint8_t *bad = NULL, f[32];
	tv_status status = TV_OK;

	for (i = 0; i < count; i++)
		ballots += (items[i].ballot != NULL || items[i].spoilt != NULL) &&
		           items[i].status == TV_OK;
	if (ballots >= 2) {
		joined = tv__calloc(ctx, ballots, sizeof(*joined));
		bad = tv__calloc(ctx, ballots, 1);
		if (joined == NULL || bad == NULL ||
		    tv__batch_new(ctx, &batch, key) != TV_OK || tv__batch_start(batch) != TV_OK) {
			/* no batch: each on its own, as before there was one */
			tv__batch_free(batch);
			batch = NULL;
		}
	}
	tv_manifest_fingerprint(f, box->manifest);
	for (i = 0; i < count; i++) {
		tv_cast_item *it = &items[i];
		size_t before;

		if (it->status != TV_OK)
			continue;
		if (papers != NULL && papers[i].kind != 0) {
			if ((status = check_single(ctx, box, it, key, &papers[i])) != TV_OK)
				goto out;
			continue;
		}
		if (batch != NULL && it->ballot != NULL && !tv_ballot_is_challenged(it->ballot)) {
			before = tv__batch_items(batch);
			/* an item the batch could not keep (out of memory) is not in it */
			if (tv__ballot_batch_add(ctx, batch, it->ballot, f, box->manifest, NULL) == TV_OK &&
			    tv__batch_items(batch) == before + 1) {
				joined[nb++] = i;
				continue;
			}
		} else if (batch != NULL && it->spoilt != NULL) {
			before = tv__batch_items(batch);
			if (tv__spoilt_batch_add(ctx, batch, it->spoilt, f) == TV_OK &&
			    tv__batch_items(batch) == before + 1) {
				joined[nb++] = i;
				continue;
			}
		}
		if ((status = check_single(ctx, box, it, key, NULL)) != TV_OK)
			goto out;
	}
	if (nb == 0)
		goto out;
	if (tv__batch_check(batch, bad, &nbad) != TV_OK) {
		/* no verdict (out of memory): each on its own */
		memset(bad, 1, nb);
		nbad = nb;
	}
	for (size_t k = 0; nbad > 0 && k < nb; k++)
		if (bad[k] && (status = check_single(ctx, box, &items[joined[k]], key, NULL)) != TV_OK)
			goto out;
out:
	tv__batch_free(batch);
	tv__free(ctx, joined);
	tv__free(ctx, bad);
	return status;
}

tv_status tv_box_cast_batch(tv_ctx *ctx, tv_box *box, tv_cast_item *items, size_t count,
                            const tv_ed25519_secret_key *box_key, int64_t now)
{
	return tv__box_cast_batch(ctx, box, items, NULL, count, box_key, now);
}

tv_status tv__box_cast_batch(tv_ctx *ctx, tv_box *box, tv_cast_item *items,
                             const tv__paper_cast *papers, size_t count,
                             const tv_ed25519_secret_key *box_key, int64_t now)
{
	const tv_manifest *m;
	tv_election_key key;
	tv__ed25519_signer *signer = NULL;
	sqlite3_stmt *ins = NULL, *src = NULL, *look = NULL, *mark = NULL;
	char **json = NULL;
	uint8_t (*tracking)[32] = NULL;
	const tv_point **cred = NULL;
	uint64_t position;
	uint8_t head[32];
	box_state s;
	size_t i;
	tv_status status;
	int rc;

	if (ctx == NULL || box == NULL || box_key == NULL || (items == NULL && count != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_cast_batch: NULL argument");
	box->ctx = ctx;
	m = box->manifest;
	for (i = 0; i < count; i++) {
		items[i].status = TV_OK;
		items[i].already = 0;
		items[i].message[0] = '\0';
		memset(&items[i].receipt, 0, sizeof(items[i].receipt));
		if ((items[i].ballot != NULL && items[i].spoilt != NULL) ||
		    (items[i].ballot == NULL && items[i].spoilt == NULL && !items[i].has_source &&
		     !(papers != NULL && papers[i].kind == TV_ENTRY_PAPER_SPOILT)))
			return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
			                "tv_box_cast_batch: item %zu must hold a ballot or a spoilt paper", i);
	}
	if (count == 0)
		return TV_OK;
	if ((status = tv_box_election_key(ctx, &key, box)) != TV_OK)
		return status;
	json = tv__calloc(ctx, count, sizeof(*json));
	tracking = tv__calloc(ctx, count, sizeof(*tracking));
	cred = tv__calloc(ctx, count, sizeof(*cred));
	if (json == NULL || tracking == NULL || cred == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a batch of %zu ballots", count);
		goto done;
	}
	/* the expensive checks first, outside the write lock; the box key is
	 * loaded once for all the batch's receipts */
	if ((status = tv__ed25519_signer_new(ctx, &signer, box_key)) != TV_OK ||
	    (status = check_items(ctx, box, items, papers, count, &key.key)) != TV_OK)
		goto done;
	for (i = 0; i < count; i++) {
		tv_cast_item *it = &items[i];

		if (it->status != TV_OK)
			continue;
		if (papers != NULL && papers[i].kind == TV_ENTRY_PAPER && it->ballot != NULL) {
			status = tv__paper_entry_to_json(ctx, &json[i], NULL, papers[i].handle, it->ballot,
			                                 (const uint8_t (*)[32])papers[i].other,
			                                 papers[i].others);
			tv_ballot_tracking(tracking[i], it->ballot);
			cred[i] = &papers[i].credential;
		} else if (papers != NULL && papers[i].kind == TV_ENTRY_PAPER_SPOILT) {
			if ((status = tv__paper_spoilt_to_json(ctx, &json[i], NULL, box->fingerprint,
			                                       papers[i].id, &papers[i].credential,
			                                       papers[i].reason)) == TV_OK)
				status = tv__paper_spoilt_tracking(ctx, tracking[i], box->fingerprint,
				                                   papers[i].handle,
				                                   (uint32_t)papers[i].reason);
			cred[i] = &papers[i].credential;
		} else if (it->ballot != NULL) {
			status = tv_ballot_to_json(ctx, &json[i], NULL, it->ballot);
			tv_ballot_tracking(tracking[i], it->ballot);
			cred[i] = tv_ballot_credential(it->ballot);
		} else if (it->spoilt != NULL) {
			status = tv_spoilt_to_json(ctx, &json[i], NULL, it->spoilt);
			tv_spoilt_tracking(tracking[i], it->spoilt);
			cred[i] = tv_spoilt_credential(it->spoilt);
		}
		if (status == TV_ERR_NOMEM || status == TV_ERR_INTERNAL || status == TV_ERR_INVALID_ARGUMENT)
			goto done;
		if (status != TV_OK) {
			item_fail(ctx, it, status);
			status = TV_OK;
		}
	}
	if ((status = tv__box_begin(box)) != TV_OK)
		goto done;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	if (s.phase != TV_PHASE_OPEN) {
		status = tv__fail(ctx, TV_ERR_STATE, s.phase == TV_PHASE_SETUP
		                  ? "voting has not opened yet: no ballot can be cast"
		                  : "voting is closed: no ballot can be cast");
		goto out;
	}
	if ((status = check_public_key(ctx, box, tv__ed25519_signer_public(signer))) != TV_OK)
		goto out;
	if (now < tv_manifest_opens(m) || now >= tv_manifest_closes(m)) {
		char a[TV_TIME_FORMAT_BYTES], b[TV_TIME_FORMAT_BYTES], n[TV_TIME_FORMAT_BYTES];

		if (tv_time_format(ctx, a, tv_manifest_opens(m)) != TV_OK ||
		    tv_time_format(ctx, b, tv_manifest_closes(m)) != TV_OK ||
		    tv_time_format(ctx, n, now) != TV_OK)
			snprintf(n, sizeof(n), "?");
		status = tv__fail(ctx, TV_ERR_STATE, "%s is outside the voting window, %s to %s", n, a, b);
		goto out;
	}
	if ((status = tv__board_tip(box, &position, head)) != TV_OK ||
	    (status = tv__box_prepare(box, &ins, "INSERT INTO board (position, tracking, credential, "
	                                          "ballot_json, channel, received_at, prev_head, head, "
	                                          "kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) != TV_OK ||
	    (status = tv__box_prepare(box, &src, "INSERT INTO intake_row (source, position) "
	                                          "VALUES (?, ?)")) != TV_OK ||
	    (status = tv__box_prepare(box, &look, "SELECT position FROM intake_row "
	                                           "WHERE source = ?")) != TV_OK ||
	    (papers != NULL &&
	     (status = tv__box_prepare(box, &mark, "UPDATE paper SET cast_at = ? "
	                                           "WHERE handle = ?")) != TV_OK))
		goto out;
	for (i = 0; i < count; i++) {
		tv_cast_item *it = &items[i];
		tv_receipt *r = &it->receipt;

		if (it->status != TV_OK)
			continue;
		if (it->has_source) {
			sqlite3_reset(look);
			sqlite3_bind_blob(look, 1, it->source, 32, SQLITE_STATIC);
			rc = sqlite3_step(look);
			if (rc == SQLITE_ROW) {
				it->already = 1;
				r->position = (uint64_t)sqlite3_column_int64(look, 0);
				continue;
			}
			if (rc != SQLITE_DONE) {
				status = tv__box_db_fail(box, box->db, rc, "reading the intake rows");
				goto out;
			}
			if (it->ballot == NULL && it->spoilt == NULL &&
			    !(papers != NULL && papers[i].kind == TV_ENTRY_PAPER_SPOILT)) {
				item_fail(ctx, it, tv__fail(ctx, TV_ERR_STATE,
				                            "this intake row was never cast"));
				continue;
			}
		}
		if ((status = entry_checks(box, it, tracking[i], cred[i],
		                           papers != NULL ? &papers[i] : NULL)) != TV_OK) {
			if (!item_status(status))
				goto out;
			item_fail(ctx, it, status);
			status = TV_OK;
			continue;
		}
		r->position = position + 1;
		memcpy(r->prev_head, head, 32);
		memcpy(r->tracking, tracking[i], 32);
		memcpy(r->election, box->fingerprint, 32);
		r->time = now;
		r->channel = it->channel;
		if ((status = tv__board_next_head(ctx, r->head, r->prev_head, r->position, r->tracking,
		                        r->channel, now)) != TV_OK)
			goto out;
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)r->position);
		sqlite3_bind_blob(ins, 2, r->tracking, 32, SQLITE_STATIC);
		sqlite3_bind_blob(ins, 3, cred[i]->bytes, TV_POINT_BYTES, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, json[i], -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 5, (int)r->channel);
		sqlite3_bind_int64(ins, 6, now);
		sqlite3_bind_blob(ins, 7, r->prev_head, 32, SQLITE_STATIC);
		sqlite3_bind_blob(ins, 8, r->head, 32, SQLITE_STATIC);
		sqlite3_bind_int(ins, 9, papers != NULL && papers[i].kind != 0 ? papers[i].kind
		                         : it->ballot != NULL ? TV_ENTRY_BALLOT : TV_ENTRY_SPOILT);
		if ((rc = sqlite3_step(ins)) != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "appending to the board");
			goto out;
		}
		if (papers != NULL && papers[i].kind != 0) {
			sqlite3_reset(mark);
			sqlite3_bind_int64(mark, 1, (sqlite3_int64)r->position);
			sqlite3_bind_blob(mark, 2, papers[i].handle, 32, SQLITE_STATIC);
			if ((rc = sqlite3_step(mark)) != SQLITE_DONE) {
				status = tv__box_db_fail(box, box->db, rc, "marking the paper cast");
				goto out;
			}
		}
		if (it->has_source) {
			sqlite3_reset(src);
			sqlite3_bind_blob(src, 1, it->source, 32, SQLITE_STATIC);
			sqlite3_bind_int64(src, 2, (sqlite3_int64)r->position);
			if ((rc = sqlite3_step(src)) != SQLITE_DONE) {
				status = tv__box_db_fail(box, box->db, rc, "recording the intake row");
				goto out;
			}
		}
		position = r->position;
		memcpy(head, r->head, 32);
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(src);
	sqlite3_finalize(look);
	sqlite3_finalize(mark);
	ins = src = look = mark = NULL;
	/* durable first (WAL, synchronous=FULL), then the receipts */
	if ((status = tv__box_commit(box)) != TV_OK)
		goto out;
	for (i = 0; i < count; i++) {
		tv_cast_item *it = &items[i];
		tv_status st;

		if (it->status != TV_OK)
			continue;
		/* an earlier intake's entry: the same receipt again (Ed25519 is deterministic) */
		if (it->already && (st = receipt_at(box, &it->receipt, it->receipt.position)) != TV_OK) {
			item_fail(ctx, it, st);
			continue;
		}
		if ((st = tv__receipt_sign_with(ctx, &it->receipt, signer)) != TV_OK)
			item_fail(ctx, it, st); /* on the board: tv_box_receipt() signs it again */
	}
	goto done;
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(src);
	sqlite3_finalize(look);
	sqlite3_finalize(mark);
	tv__box_rollback(box);
	/* nothing was stored: no item was cast */
	for (i = 0; i < count; i++)
		if (items[i].status == TV_OK) {
			items[i].status = status;
			items[i].already = 0;
			snprintf(items[i].message, sizeof(items[i].message), "%s", tv_ctx_last_error(ctx));
		}
done:
	tv__ed25519_signer_free(signer);
	for (i = 0; json != NULL && i < count; i++)
		tv_free(ctx, json[i]);
	tv__free(ctx, json);
	tv__free(ctx, tracking);
	tv__free(ctx, cred);
	return status;
}

tv_status tv_box_cast(tv_ctx *ctx, tv_receipt *receipt, tv_box *box, const tv_ballot *ballot,
                      uint32_t channel, const tv_ed25519_secret_key *box_key, int64_t now)
{
	tv_cast_item item;
	tv_status status;

	if (ctx == NULL || receipt == NULL || box == NULL || ballot == NULL || box_key == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_cast: NULL argument");
	memset(&item, 0, sizeof(item));
	item.ballot = ballot;
	item.channel = channel;
	if ((status = tv_box_cast_batch(ctx, box, &item, 1, box_key, now)) != TV_OK)
		return status;
	if (item.status != TV_OK)
		return tv__fail(ctx, item.status, "%s", item.message);
	*receipt = item.receipt;
	return TV_OK;
}

tv_status tv_box_challenge(tv_ctx *ctx, tv_receipt *receipt, tv_box *box, const char *opened,
                           size_t len, uint32_t channel, const tv_ed25519_secret_key *box_key,
                           int64_t now)
{
	const tv_manifest *m;
	tv_ballot *b = NULL;
	tv_election_key key;
	tv_scalar nonce[TV_MAX_OPTIONS];
	sqlite3_stmt *st = NULL;
	json_t *root = NULL;
	char *json = NULL;
	uint32_t choice = 0;
	uint64_t position;
	uint8_t t[32], head[32];
	int64_t where = 0;
	int found = 0;
	box_state s;
	tv_receipt r;
	tv_status status;
	int rc;

	if (ctx == NULL || receipt == NULL || box == NULL || opened == NULL || box_key == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_challenge: NULL argument");
	box->ctx = ctx;
	m = box->manifest;
	memset(&r, 0, sizeof(r));
	/* checked first, outside the write lock: the opening and its proofs */
	if ((status = tv_box_election_key(ctx, &key, box)) != TV_OK ||
	    (status = tv_ballot_check_challenge(ctx, &choice, opened, len, m, &key.key)) != TV_OK)
		return status;
	if ((root = json_loadb(opened, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot read the challenged ballot");
	/* stored in its one compact form (§15.1.5), whatever the spelling given */
	if ((status = tv__opened_from_value(ctx, &b, &choice, nonce, root)) != TV_OK ||
	    (status = tv__opened_to_json(ctx, &json, b, choice, nonce)) != TV_OK)
		goto done;
	tv_ballot_tracking(t, b);
	if ((status = tv__box_begin(box)) != TV_OK)
		goto done;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	if (s.phase != TV_PHASE_OPEN) {
		status = tv__fail(ctx, TV_ERR_STATE, s.phase == TV_PHASE_SETUP
		                  ? "voting has not opened yet: no ballot can be challenged"
		                  : "voting is closed: no ballot can be challenged");
		goto out;
	}
	if ((status = check_box_key(ctx, box, box_key)) != TV_OK)
		goto out;
	if (now < tv_manifest_opens(m) || now >= tv_manifest_closes(m)) {
		status = tv__fail(ctx, TV_ERR_STATE, "%lld is outside the voting window",
		                  (long long)now);
		goto out;
	}
	if (channel == 0 || (channel & (channel - 1)) != 0 || (channel & tv_manifest_channels(m)) == 0) {
		status = tv__fail(ctx, TV_ERR_STATE, "channel %u is not one this election allows",
		                  channel);
		goto out;
	}
	if ((status = lookup_blob(box, "SELECT 1 FROM credential WHERE public_key = ? "
	                               "AND revoked_at IS NULL",
	                          tv_ballot_credential(b)->bytes, TV_POINT_BYTES, &found,
	                          NULL)) != TV_OK)
		goto out;
	if (!found) {
		status = tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
		                  "the opened ballot's credential is not on this election's list");
		goto out;
	}
	if ((status = lookup_blob(box, "SELECT position FROM board WHERE tracking = ?", t, 32,
	                          &found, &where)) != TV_OK)
		goto out;
	if (found) {
		status = tv__fail(ctx, TV_ERR_REPLAY, "that ballot is on the board already, at "
		                  "position %lld: it cannot be challenged", (long long)where);
		goto out;
	}
	/*
	 * Nor a ballot cast under another tracking code with any of these
	 * ciphertexts (its proofs made again from the nonces): published, its
	 * opening would fail the whole record at check 8 (§19.3). A scan of
	 * the cast ballots' stored JSON: challenges are few.
	 */
	for (uint32_t i = 1; i <= tv_ballot_option_count(b); i++) {
		char needle[2 * TV_POINT_BYTES + 16];

		memcpy(needle, "\"alpha\":\"", 9);
		tv__hex_encode(needle + 9, tv_ballot_ciphertext(b, i)->alpha.bytes, TV_POINT_BYTES);
		needle[9 + 2 * TV_POINT_BYTES] = '\0';
		/* a ballot, or a paper's ballot (§15.8.4): kinds 1 and 6 */
		if ((status = tv__box_prepare(box, &st, "SELECT position FROM board WHERE kind IN "
		                                         "(1, 6) AND instr(ballot_json, ?) > 0 "
		                                         "LIMIT 1")) != TV_OK)
			goto out;
		sqlite3_bind_text(st, 1, needle, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			where = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
		if (rc == SQLITE_ROW) {
			status = tv__fail(ctx, TV_ERR_REPLAY, "the ballot cast at position %lld holds "
			                  "this ballot's encryption: it was cast, so it cannot be opened",
			                  (long long)where);
			goto out;
		}
		if (rc != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "looking for the ballot's encryption");
			goto out;
		}
	}
	/*
	 * Nor an encryption of a cast paper's other answers (§15.8.4, its
	 * entry's others): opened, it would tell which answer the cast one is.
	 */
	{
		tv_ciphertext cts[TV_MAX_OPTIONS];
		uint32_t options = tv_ballot_option_count(b);
		uint8_t d[32];
		char needle[70];

		for (uint32_t i = 0; i < options && i < TV_MAX_OPTIONS; i++)
			cts[i] = *tv_ballot_ciphertext(b, i + 1);
		if ((status = tv__paper_vector_digest(ctx, d, box->fingerprint, options, cts)) !=
		    TV_OK)
			goto out;
		needle[0] = '"';
		tv__hex_encode(needle + 1, d, 32);
		needle[65] = '"';
		needle[66] = '\0';
		if ((status = tv__box_prepare(box, &st, "SELECT position FROM board WHERE kind = 6 "
		                                         "AND instr(ballot_json, ?) > 0 LIMIT 1")) !=
		    TV_OK)
			goto out;
		sqlite3_bind_text(st, 1, needle, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			where = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
		if (rc == SQLITE_ROW) {
			status = tv__fail(ctx, TV_ERR_REPLAY, "this ballot's encryption is one of the "
			                  "answers of the paper cast at position %lld: opened, it would "
			                  "show how that paper was voted", (long long)where);
			goto out;
		}
		if (rc != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "looking for the ballot's encryption");
			goto out;
		}
	}
	if ((status = tv__board_tip(box, &position, head)) != TV_OK)
		goto out;
	r.position = position + 1;
	memcpy(r.prev_head, head, 32);
	memcpy(r.tracking, t, 32);
	memcpy(r.election, box->fingerprint, 32);
	r.time = now;
	r.channel = channel;
	if ((status = tv__board_next_head(ctx, r.head, r.prev_head, r.position, t, channel,
	                                  now)) != TV_OK ||
	    (status = tv__box_prepare(box, &st, "INSERT INTO board (position, tracking, credential, "
	                                         "ballot_json, channel, received_at, prev_head, head, "
	                                         "kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) != TV_OK)
		goto out;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)r.position);
	sqlite3_bind_blob(st, 2, t, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, tv_ballot_credential(b)->bytes, TV_POINT_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, json, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, (int)channel);
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_blob(st, 7, r.prev_head, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, r.head, 32, SQLITE_STATIC);
	sqlite3_bind_int(st, 9, TV_ENTRY_OPENED);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "appending to the board");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* a ballot holding any of these ciphertexts is never cast (§15.2 check 6) */
	if ((status = tv__box_prepare(box, &st, "INSERT OR IGNORE INTO opened_ciphertext "
	                                         "(ciphertext, position) VALUES (?, ?)")) != TV_OK)
		goto out;
	for (uint32_t i = 1; i <= tv_ballot_option_count(b); i++) {
		uint8_t ct[2 * TV_POINT_BYTES];

		ciphertext_bytes(ct, tv_ballot_ciphertext(b, i));
		sqlite3_reset(st);
		sqlite3_bind_blob(st, 1, ct, sizeof(ct), SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)r.position);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "recording the challenge");
			goto out;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((status = tv__box_prepare(box, &st, "INSERT OR IGNORE INTO challenged (tracking) "
	                                         "VALUES (?)")) != TV_OK)
		goto out;
	sqlite3_bind_blob(st, 1, t, 32, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "recording the challenge");
		goto out;
	}
	if ((status = tv__box_audit(box, "ballot-challenged", "")) != TV_OK ||
	    (status = tv__box_commit(box)) != TV_OK)
		goto out;
	/* on disk; then the receipt, as for a cast ballot (§15.3) */
	status = tv__receipt_sign(ctx, &r, box_key);
	if (status == TV_OK)
		*receipt = r;
	goto done;
out:
	tv__box_rollback(box);
done:
	sqlite3_finalize(st);
	json_decref(root);
	tv_free(ctx, json);
	tv_ballot_free(b);
	return status;
}

tv_status tv_box_record_challenge(tv_ctx *ctx, tv_box *box, const char *opened, size_t len)
{
	(void)box;
	(void)opened;
	(void)len;
	/* the board needs a channel, a time and the box key: see tv_box_challenge */
	return tv__fail(ctx, TV_ERR_STATE,
	                "tv_box_record_challenge no longer records a challenge: an opened ballot "
	                "goes on the board, with tv_box_challenge");
}

tv_status tv_box_check_receipt(tv_ctx *ctx, int *counts, tv_box *box, const tv_receipt *receipt)
{
	tv_ed25519_public_key pk;
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	if (ctx == NULL || counts == NULL || box == NULL || receipt == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_check_receipt: NULL argument");
	box->ctx = ctx;
	*counts = 0;
	if (memcmp(receipt->election, box->fingerprint, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the receipt is for another election");
	if ((status = box_public_key(box, &pk)) != TV_OK ||
	    (status = tv_receipt_verify(ctx, receipt, &pk)) != TV_OK)
		return status;
	if ((status = tv__box_prepare(box, &st, "SELECT tracking, prev_head, head, channel, "
	                                         "received_at, credential FROM board WHERE position = ?")) != TV_OK)
		return status;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)receipt->position);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                  "the board has no ballot at position %llu, though the box signed a "
		                  "receipt for it", (unsigned long long)receipt->position);
	} else if (rc != SQLITE_ROW) {
		status = tv__box_db_fail(box, box->db, rc, "reading the board");
	} else if (sqlite3_column_bytes(st, 0) != 32 ||
	           memcmp(sqlite3_column_blob(st, 0), receipt->tracking, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                  "position %llu holds another ballot than the receipt's",
		                  (unsigned long long)receipt->position);
	} else if (memcmp(sqlite3_column_blob(st, 1), receipt->prev_head, 32) != 0 ||
	           memcmp(sqlite3_column_blob(st, 2), receipt->head, 32) != 0 ||
	           (uint32_t)sqlite3_column_int(st, 3) != receipt->channel ||
	           sqlite3_column_int64(st, 4) != receipt->time) {
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                  "the board at position %llu differs from the receipt (head, channel "
		                  "or time)", (unsigned long long)receipt->position);
	} else {
		/* which ballot of this credential counts: the last, or the first */
		sqlite3_stmt *q = NULL;
		const char *sql = tv_manifest_revote(box->manifest) == TV_REVOTE_FIRST
		                          ? "SELECT min(position) FROM board WHERE credential = ?1 "
		                            "AND kind IN (1, 2, 6, 7) AND NOT EXISTS (SELECT 1 FROM "
		                            "credential WHERE public_key = ?1 AND revoked_at IS NOT NULL)"
		                          : "SELECT max(position) FROM board WHERE credential = ?1 "
		                            "AND kind IN (1, 2, 6, 7) AND NOT EXISTS (SELECT 1 FROM "
		                            "credential WHERE public_key = ?1 AND revoked_at IS NOT NULL)";

		if ((status = tv__box_prepare(box, &q, sql)) == TV_OK) {
			sqlite3_bind_blob(q, 1, sqlite3_column_blob(st, 5), sqlite3_column_bytes(st, 5),
			                  SQLITE_TRANSIENT);
			rc = sqlite3_step(q);
			if (rc == SQLITE_ROW)
				*counts = (uint64_t)sqlite3_column_int64(q, 0) == receipt->position;
			else
				status = tv__box_db_fail(box, box->db, rc, "reading the board");
			sqlite3_finalize(q);
		}
	}
	sqlite3_finalize(st);
	return status;
}

tv_status tv_box_close_voting_at(tv_ctx *ctx, uint64_t *ballots, uint8_t head[32], tv_box *box,
                                 const tv_ed25519_secret_key *box_key, int64_t now,
                                 const char *reason)
{
	tv_ed25519_public_key pk, check;
	tv_ed25519_signature sig;
	sqlite3_stmt *st = NULL;
	box_state s;
	uint64_t count = 0;
	int64_t last = 0;
	uint8_t tip[32], msg[32];
	char detail[TV_CLOSE_REASON_MAX + 160], a[TV_TIME_FORMAT_BYTES];
	size_t reason_len = reason != NULL ? strlen(reason) : 0;
	int early;
	tv_status status;
	int rc;

	if (ctx == NULL || box == NULL || box_key == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_close_voting: NULL argument");
	box->ctx = ctx;
	early = now < tv_manifest_closes(box->manifest);
	if (now < TV_TIME_MIN || now > TV_TIME_MAX)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "the close time %lld is out of range",
		                (long long)now);
	if ((status = tv__close_reason_check(ctx, reason, reason_len, 0)) != TV_OK)
		return status;
	if ((status = tv__box_begin(box)) != TV_OK)
		return status;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	if (s.phase != TV_PHASE_OPEN) {
		status = tv__fail(ctx, TV_ERR_STATE, s.phase == TV_PHASE_SETUP
		                                          ? "voting has not been opened"
		                                          : "voting is already closed");
		goto out;
	}
	/* SPEC §15.4: before the advertised end, only with the officer's reason */
	if (early && tv__close_reason_check(ctx, reason, reason_len, 1) != TV_OK) {
		if (tv_time_format(ctx, a, tv_manifest_closes(box->manifest)) != TV_OK)
			snprintf(a, sizeof(a), "%lld", (long long)tv_manifest_closes(box->manifest));
		status = tv__fail(ctx, TV_ERR_STATE, "voting is advertised to close at %s: closing "
		                  "before then is an early close, which needs a reason for the record",
		                  a);
		goto out;
	}
	/* the key given must be this box's: a close signed by another key is worthless */
	if ((status = box_public_key(box, &pk)) != TV_OK ||
	    (status = tv_ed25519_public_from_secret(ctx, &check, box_key)) != TV_OK)
		goto out;
	if (memcmp(pk.bytes, check.bytes, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "that is not this ballot box's key");
		goto out;
	}
	if ((status = tv__board_last_time(box, &last)) != TV_OK)
		goto out;
	if (now < last) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "the close time %lld is before the "
		                  "board's last entry at %lld: is the clock right?", (long long)now,
		                  (long long)last);
		goto out;
	}
	if ((status = tv__board_tip(box, &count, tip)) != TV_OK ||
	    (status = tv__close_at_message(ctx, msg, box->fingerprint, count, tip, now,
	                                   reason_len ? reason : "", reason_len)) != TV_OK ||
	    (status = tv_ed25519_sign(ctx, &sig, box_key, msg, 32)) != TV_OK ||
	    (status = tv__box_prepare(box, &st, "UPDATE election SET phase = ?, close_signature = ?, "
	                                         "closed_at = ?, close_reason = ? WHERE id = 1")) != TV_OK)
		goto out;
	sqlite3_bind_int(st, 1, TV_PHASE_CLOSED);
	sqlite3_bind_blob(st, 2, sig.bytes, sizeof(sig.bytes), SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, reason_len ? reason : "", (int)reason_len, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "closing voting");
		goto out;
	}
	if (early)
		snprintf(detail, sizeof(detail), "%llu board entries; closed early; reason: %s",
		         (unsigned long long)count, reason);
	else if (reason_len > 0)
		snprintf(detail, sizeof(detail), "%llu board entries; reason: %s", (unsigned long long)count,
		         reason);
	else
		snprintf(detail, sizeof(detail), "%llu board entries", (unsigned long long)count);
	if ((status = tv__box_audit(box, "voting-closed", detail)) != TV_OK ||
	    (status = tv__box_commit(box)) != TV_OK)
		goto out;
	if (ballots != NULL)
		*ballots = count;
	if (head != NULL)
		memcpy(head, tip, 32);
out:
	sqlite3_finalize(st);
	if (status != TV_OK)
		tv__box_rollback(box);
	return status;
}

tv_status tv_box_close_voting(tv_ctx *ctx, uint64_t *ballots, uint8_t head[32], tv_box *box,
                              const tv_ed25519_secret_key *box_key)
{
	return tv_box_close_voting_at(ctx, ballots, head, box, box_key, (int64_t)time(NULL), NULL);
}

/* a stored board entry's tracking code and credential, from its JSON */
static tv_status entry_read(tv_ctx *ctx, int kind, const char *json, size_t len, uint8_t t[32],
                            tv_point *credential)
{
	tv_status status;

	if (kind == TV_ENTRY_BALLOT) {
		tv_ballot *b = NULL;

		if ((status = tv_ballot_from_json(ctx, &b, json, len)) == TV_OK) {
			tv_ballot_tracking(t, b);
			*credential = *tv_ballot_credential(b);
		}
		tv_ballot_free(b);
		return status;
	}
	if (kind == TV_ENTRY_SPOILT) {
		tv_spoilt *p = NULL;

		if ((status = tv_spoilt_from_json(ctx, &p, json, len)) == TV_OK) {
			tv_spoilt_tracking(t, p);
			*credential = *tv_spoilt_credential(p);
		}
		tv_spoilt_free(p);
		return status;
	}
	if (kind == TV_ENTRY_OPENED) {
		tv_ballot *b = NULL;
		uint32_t choice;
		json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
		tv_scalar nonce[TV_MAX_OPTIONS];

		if (root == NULL)
			return tv__fail(ctx, TV_ERR_ENCODING, "an opened ballot is not JSON");
		if ((status = tv__opened_from_value(ctx, &b, &choice, nonce, root)) == TV_OK) {
			tv_ballot_tracking(t, b);
			*credential = *tv_ballot_credential(b);
		}
		tv_ballot_free(b);
		json_decref(root);
		return status;
	}
	if (kind == TV_ENTRY_CREDENTIAL_ADDED || kind == TV_ENTRY_CREDENTIAL_REVOKED) {
		static const char *const keys[] = { "credential", "signature" };
		uint8_t sig[64];
		tv__jr r;
		json_t *root;

		tv__jr_init(&r, ctx, TV_OK, "a credential change");
		if ((root = tv__jr_load(&r, &status, json, len, 4096)) == NULL)
			return status;
		if ((status = tv__jr_keys(&r, root, NULL, keys, 2, 1)) == TV_OK &&
		    (status = tv__jr_point(&r, credential, root, "credential", NULL)) == TV_OK &&
		    (status = tv__jr_hex(&r, sig, 64, root, "signature", NULL)) == TV_OK)
			status = tv__credential_change_tracking(ctx, t, kind, credential, sig);
		json_decref(root);
		return status;
	}
	if (kind == TV_ENTRY_PAPER || kind == TV_ENTRY_PAPER_SPOILT) {
		tv__board_entry e;
		tv_ballot *b = NULL;
		tv_spoilt *p = NULL;

		if ((status = tv__paper_stored_read(ctx, kind, json, len, &e, &b, &p)) == TV_OK) {
			if (b != NULL) {
				tv_ballot_tracking(t, b);
				*credential = *tv_ballot_credential(b);
			} else {
				tv_spoilt_tracking(t, p);
				*credential = *tv_spoilt_credential(p);
			}
		}
		tv_ballot_free(b);
		tv_spoilt_free(p);
		return status;
	}
	return tv__fail(ctx, TV_ERR_ENCODING, "unknown entry kind %d", kind);
}

tv_status tv_box_verify_board(tv_ctx *ctx, uint64_t *ballots, uint64_t by_channel[4],
                              tv_box *box)
{
	sqlite3_stmt *st = NULL;
	uint8_t head[32], again[32];
	uint64_t expect = 1, channels[4] = { 0 };
	tv_status status;
	int rc;

	if (ctx == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_verify_board: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_start_head(box, head)) != TV_OK ||
	    (status = tv__box_prepare(box, &st,
	                              "SELECT b.position, b.tracking, b.ballot_json, b.channel, "
	                              "b.received_at, b.prev_head, b.head, "
	                              "(SELECT count(*) FROM credential c WHERE c.public_key = b.credential), "
	                              "b.credential, b.kind FROM board b ORDER BY b.position")) != TV_OK)
		return status;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t p = (uint64_t)sqlite3_column_int64(st, 0);
		uint32_t channel = (uint32_t)sqlite3_column_int(st, 3);
		tv_point cred;
		uint8_t t[32];

		if (p != expect) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "board: position %llu follows %llu",
			                  (unsigned long long)p, (unsigned long long)(expect - 1));
			break;
		}
		if (sqlite3_column_bytes(st, 1) != 32 || sqlite3_column_bytes(st, 5) != 32 ||
		    sqlite3_column_bytes(st, 6) != 32 || memcmp(sqlite3_column_blob(st, 5), head, 32) != 0) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID,
			                  "board: position %llu does not follow the head before it",
			                  (unsigned long long)p);
			break;
		}
		status = entry_read(ctx, sqlite3_column_int(st, 9), (const char *)sqlite3_column_text(st, 2),
		                    (size_t)sqlite3_column_bytes(st, 2), t, &cred);
		if (status != TV_OK) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "board: position %llu: %s",
			                  (unsigned long long)p, tv_ctx_last_error(ctx));
			break;
		}
		if (memcmp(t, sqlite3_column_blob(st, 1), 32) != 0 ||
		    sqlite3_column_bytes(st, 8) != TV_POINT_BYTES ||
		    memcmp(cred.bytes, sqlite3_column_blob(st, 8), TV_POINT_BYTES) != 0) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID,
			                  "board: position %llu: the stored entry is not the one recorded",
			                  (unsigned long long)p);
			break;
		}
		if (sqlite3_column_int(st, 7) != 1) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID,
			                  "board: position %llu: credential not on the list",
			                  (unsigned long long)p);
			break;
		}
		if ((status = tv__board_next_head(ctx, again, head, p, t, channel,
		                        sqlite3_column_int64(st, 4))) != TV_OK)
			break;
		if (memcmp(again, sqlite3_column_blob(st, 6), 32) != 0) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID,
			                  "board: position %llu: its head is not the hash of its entry",
			                  (unsigned long long)p);
			break;
		}
		memcpy(head, again, 32);
		for (int c = 0; c < 4 && sqlite3_column_int(st, 9) != TV_ENTRY_OPENED; c++)
			if (channel == (1u << c))
				channels[c]++;
		expect++;
	}
	if (status == TV_OK && rc != SQLITE_DONE)
		status = tv__box_db_fail(box, box->db, rc, "reading the board");
	sqlite3_finalize(st);
	if (status == TV_OK) {
		if (ballots != NULL)
			*ballots = expect - 1;
		if (by_channel != NULL) {
			/* online, phone, postal, in person: TV_CHANNEL_* bits 1, 2, 4, 8 */
			for (int c = 0; c < 4; c++)
				by_channel[c] = channels[c];
		}
	}
	return status;
}

