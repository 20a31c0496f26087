/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §18.7: a board entry as a line of board.jsonl, the envelope of a
 * ballot (§15.1.4), a spoilt paper (§15.6) or an opened ballot (§15.1.5)
 * with its place in the chain:
 *   {"position":p,"kind":"ballot","channel":c,"time":t,
 *    "prev_head":"<head_{p-1}>","head":"<head_p>","entry":<entry>}
 * The ballot box writes the lines (lib/box/export.c) with the entry as it
 * stored it, byte for byte; the verifier and the receipt check read them
 * (lib/record/), with the messages of §19.3 check 5.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json_util.h"

tv_status tv__board_line_to_json(tv_ctx *ctx, char **out, size_t *len,
                                 const tv__board_entry *e, const char *entry,
                                 size_t entry_len)
{
	char prev[65], head[65], *line;
	size_t cap = entry_len + 512;
	int n;

	*out = NULL;
	if ((line = tv__alloc(ctx, cap)) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a board line");
	tv__hex_encode(prev, e->prev_head, 32);
	tv__hex_encode(head, e->head, 32);
	n = snprintf(line, cap, "{\"position\":%" PRIu64 ",\"kind\":\"%s\",\"channel\":%" PRIu32
	             ",\"time\":%" PRId64 ",\"prev_head\":\"%s\",\"head\":\"%s\",\"entry\":%.*s}\n",
	             e->position, e->kind == TV_ENTRY_SPOILT ? "spoilt"
	                          : e->kind == TV_ENTRY_OPENED ? "opened"
	                          : e->kind == TV_ENTRY_CREDENTIAL_ADDED ? "credential-added"
	                          : e->kind == TV_ENTRY_CREDENTIAL_REVOKED ? "credential-revoked"
	                          : e->kind == TV_ENTRY_PAPER ? "paper"
	                          : e->kind == TV_ENTRY_PAPER_SPOILT ? "paper-spoilt"
	                          : "ballot", e->channel,
	             e->time, prev, head, (int)entry_len, entry);
	if (n < 0 || (size_t)n >= cap) {
		tv__free(ctx, line);
		return tv__fail(ctx, TV_ERR_INTERNAL, "cannot write board line %" PRIu64, e->position);
	}
	*out = line;
	*len = (size_t)n;
	return TV_OK;
}

/*
 * The box's own spelling is scanned without Jansson (board_scan.c, issue
 * 14: the JSON reader was most of a verify's time); any other spelling,
 * and any line the scanner declines, is read by the JSON reader, which
 * decides and names what is wrong.
 */
tv_status tv__board_line_from_json(tv_ctx *ctx, tv__board_entry *e, tv_ballot **ballot,
                                   tv_spoilt **spoilt, const char *line, size_t len,
                                   uint64_t lineno)
{
	if (tv__board_line_scan(ctx, e, ballot, spoilt, line, len))
		return TV_OK;
	return tv__board_line_read_json(ctx, e, ballot, spoilt, line, len, lineno);
}

tv_status tv__board_line_read_json(tv_ctx *ctx, tv__board_entry *e, tv_ballot **ballot,
                                   tv_spoilt **spoilt, const char *line, size_t len,
                                   uint64_t lineno)
{
	static const char *const keys[] = { "position", "kind", "channel", "time",
	                                    "prev_head", "head", "entry" };
	tv__jr r;
	json_t *root, *x;
	const char *kind;
	size_t kind_len;
	int64_t position, channel, time;
	char q[TV_QUOTE_BYTES];
	tv_status status;

	*ballot = NULL;
	*spoilt = NULL;
	memset(e, 0, sizeof(*e));
	e->position = lineno;
	tv__jr_init(&r, ctx, TV_OK, "board.jsonl line %" PRIu64, lineno);
	root = tv__jr_load(&r, &status, line, len, len);
	/* step 3: the envelope (its own faults all say the same, §19.3) */
	if (root == NULL || tv__jr_keys(&r, root, NULL, keys, 7, 1) != TV_OK ||
	    tv__jr_int(&r, &position, root, "position", NULL, INT64_MIN, INT64_MAX) != TV_OK ||
	    tv__jr_int(&r, &channel, root, "channel", NULL, INT64_MIN, INT64_MAX) != TV_OK ||
	    tv__jr_int(&r, &time, root, "time", NULL, INT64_MIN, INT64_MAX) != TV_OK ||
	    tv__jr_string(&r, &kind, &kind_len, root, "kind", NULL, SIZE_MAX) != TV_OK ||
	    tv__jr_hex(&r, e->prev_head, 32, root, "prev_head", NULL) != TV_OK ||
	    tv__jr_hex(&r, e->head, 32, root, "head", NULL) != TV_OK) {
		status = status == TV_ERR_NOMEM ? status
		         : tv__fail(ctx, TV_ERR_ENCODING, "line %" PRIu64 " is not a board entry",
		                    lineno);
		goto out;
	}
	/* from here on the line speaks for its position */
	e->position = (uint64_t)position;
	if (channel < 0 || channel > UINT32_MAX) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "channel %" PRId64 " is not a channel",
		                  channel);
		goto out;
	}
	e->channel = (uint32_t)channel;
	e->time = time;
	x = json_object_get(root, "entry");
	if (!json_is_object(x)) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "the entry is not a JSON object");
		goto out;
	}
	if (kind_len == 6 && memcmp(kind, "ballot", 6) == 0) {
		e->kind = TV_ENTRY_BALLOT;
		status = tv__ballot_from_value(ctx, ballot, x);
	} else if (kind_len == 6 && memcmp(kind, "spoilt", 6) == 0) {
		e->kind = TV_ENTRY_SPOILT;
		status = tv__spoilt_from_value(ctx, spoilt, x);
	} else if (kind_len == 6 && memcmp(kind, "opened", 6) == 0) {
		e->kind = TV_ENTRY_OPENED;
		status = tv__opened_from_value(ctx, ballot, &e->choice, e->nonce, x);
	} else if (kind_len == 5 && memcmp(kind, "paper", 5) == 0) {
		e->kind = TV_ENTRY_PAPER;
		status = tv__paper_entry_from_value(ctx, e, ballot, x);
	} else if (kind_len == 12 && memcmp(kind, "paper-spoilt", 12) == 0) {
		e->kind = TV_ENTRY_PAPER_SPOILT;
		status = tv__paper_spoilt_from_value(ctx, e, spoilt, x);
	} else if ((kind_len == 16 && memcmp(kind, "credential-added", 16) == 0) ||
	           (kind_len == 18 && memcmp(kind, "credential-revoked", 18) == 0)) {
		/* §11.7: {"credential":"<pt(X)>","signature":"<64 bytes>"} */
		static const char *const change_keys[] = { "credential", "signature" };

		e->kind = kind_len == 16 ? TV_ENTRY_CREDENTIAL_ADDED : TV_ENTRY_CREDENTIAL_REVOKED;
		tv__jr_init(&r, ctx, TV_OK, "board.jsonl line %" PRIu64 ": credential change",
		            e->position);
		if ((status = tv__jr_keys(&r, x, "entry", change_keys, 2, 1)) == TV_OK &&
		    (status = tv__jr_point(&r, &e->change.credential, x, "credential", "entry")) ==
		            TV_OK &&
		    (status = tv__jr_hex(&r, e->change.signature, 64, x, "signature", "entry")) ==
		            TV_OK)
			status = tv__credential_change_tracking(ctx, e->tracking, e->kind,
			                                        &e->change.credential,
			                                        e->change.signature);
		if (status == TV_OK)
			e->credential = &e->change.credential;
		goto out;
	} else {
		status = tv__fail(ctx, TV_ERR_ENCODING, "unknown kind '%s'",
		                  tv__quote_n(q, sizeof(q), kind, kind_len, 20, 0));
	}
	if (status != TV_OK)
		goto out;
	if (*ballot != NULL) {
		e->credential = tv_ballot_credential(*ballot);
		tv_ballot_tracking(e->tracking, *ballot);
	} else {
		e->credential = tv_spoilt_credential(*spoilt);
		tv_spoilt_tracking(e->tracking, *spoilt);
	}
out:
	if (status != TV_OK) {
		tv_ballot_free(*ballot);
		tv_spoilt_free(*spoilt);
		*ballot = NULL;
		*spoilt = NULL;
	}
	json_decref(root);
	return status;
}
