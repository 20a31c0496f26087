/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The readers of the record's files (SPEC §18) on arbitrary bytes: the
 * first byte picks the reader, the rest is the file (or, for board.jsonl,
 * one line without its LF; or the credential authority's issue file of
 * §11.5, which the box reads). Properties: only the statuses a reader of
 * untrusted input gives, each recorded with a message; an accepted file
 * writes back to bytes that read to the same values (record.json,
 * close.json, a board line of any kind, a ballot paper's included); nothing
 * is left allocated on failure (the allocator under the fuzzer, and ASan,
 * see to that).
 */
#include <string.h>

#include "ballot_internal.h"
#include "fuzz_common.h"
#include "tally_internal.h"

static int is_reader_status(tv_status st)
{
	return st == TV_OK || st == TV_ERR_ENCODING || st == TV_ERR_POINT_INVALID ||
	       st == TV_ERR_SCALAR_RANGE || st == TV_ERR_UTF8;
}

static void record_header(tv_ctx *ctx, const char *text, size_t len)
{
	uint8_t f[32], key[32], f2[32], key2[32];
	char *again = NULL;
	tv_status st = tv__record_header_from_json(ctx, f, key, text, len);

	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_reader_status(st));
	if (st != TV_OK)
		return;
	FUZZ_CHECK(tv__record_header_to_json(ctx, &again, f, key) == TV_OK);
	FUZZ_CHECK(tv__record_header_from_json(ctx, f2, key2, again, strlen(again)) == TV_OK);
	FUZZ_CHECK(memcmp(f, f2, 32) == 0 && memcmp(key, key2, 32) == 0);
	tv_free(ctx, again);
}

static void close_file(tv_ctx *ctx, const char *text, size_t len)
{
	uint8_t head[32], sig[64], head2[32], sig2[64];
	uint64_t n, n2;
	char *again = NULL;
	tv_status st = tv__close_from_json(ctx, &n, head, sig, text, len);

	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_reader_status(st));
	if (st != TV_OK)
		return;
	FUZZ_CHECK(tv__close_to_json(ctx, &again, n, head, sig) == TV_OK);
	FUZZ_CHECK(tv__close_from_json(ctx, &n2, head2, sig2, again, strlen(again)) == TV_OK);
	FUZZ_CHECK(n == n2 && memcmp(head, head2, 32) == 0 && memcmp(sig, sig2, 64) == 0);
	tv_free(ctx, again);
}

/* close.json of either format (close/2: the close time and the reason) */
static void close_any(tv_ctx *ctx, const char *text, size_t len)
{
	tv__close c, c2;
	char *again = NULL;
	tv_status st = tv__close_read(ctx, &c, text, len);

	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_reader_status(st));
	if (st != TV_OK)
		return;
	FUZZ_CHECK(c.version == 1 || c.version == 2);
	if (c.version == 1) {
		close_file(ctx, text, len);
		return;
	}
	FUZZ_CHECK(c.reason_len <= TV_CLOSE_REASON_MAX && strlen(c.reason) == c.reason_len);
	FUZZ_CHECK(tv__close_reason_check(ctx, c.reason, c.reason_len, 0) == TV_OK);
	FUZZ_CHECK(tv__close2_to_json(ctx, &again, &c) == TV_OK);
	FUZZ_CHECK(tv__close_read(ctx, &c2, again, strlen(again)) == TV_OK);
	FUZZ_CHECK(c2.version == 2 && c.entries == c2.entries && c.closed == c2.closed &&
	           c.reason_len == c2.reason_len && memcmp(c.reason, c2.reason, c.reason_len) == 0 &&
	           memcmp(c.head, c2.head, 32) == 0 && memcmp(c.signature, c2.signature, 64) == 0);
	tv_free(ctx, again);
}

static void board_line(tv_ctx *ctx, const char *text, size_t len)
{
	tv__board_entry e, e2;
	tv_ballot *b = NULL, *b2 = NULL;
	tv_spoilt *p = NULL, *p2 = NULL;
	char *entry = NULL, *line = NULL;
	size_t entry_len = 0, line_len = 0;
	tv_status st = tv__board_line_from_json(ctx, &e, &b, &p, text, len, 7);

	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_reader_status(st));
	if (st != TV_OK) {
		FUZZ_CHECK(b == NULL && p == NULL);
		return;
	}
	FUZZ_CHECK((b == NULL) != (p == NULL));
	/* an opened entry (§15.1.5) is written back with its choice and nonces,
	 * a paper's (§15.8.4) with its handle and other digests, or identifier */
	if (e.kind == TV_ENTRY_PAPER) {
		FUZZ_CHECK(b != NULL && tv__paper_entry_to_json(ctx, &entry, &entry_len, e.paper, b,
		                                                (const uint8_t (*)[32])e.other,
		                                                e.others) == TV_OK);
	} else if (e.kind == TV_ENTRY_PAPER_SPOILT) {
		FUZZ_CHECK(p != NULL && tv__paper_spoilt_to_json(ctx, &entry, &entry_len,
		                                                 p->fingerprint, e.paper_id,
		                                                 &p->credential, p->reason) == TV_OK);
	} else if (e.kind == TV_ENTRY_OPENED) {
		FUZZ_CHECK(b != NULL && tv__opened_to_json(ctx, &entry, b, e.choice, e.nonce) == TV_OK);
		entry_len = strlen(entry);
	} else {
		FUZZ_CHECK(b != NULL ? tv_ballot_to_json(ctx, &entry, &entry_len, b) == TV_OK
		                     : tv_spoilt_to_json(ctx, &entry, &entry_len, p) == TV_OK);
	}
	FUZZ_CHECK(tv__board_line_to_json(ctx, &line, &line_len, &e, entry, entry_len) == TV_OK);
	/* the line as the box writes it, without its LF, reads to the same entry */
	FUZZ_CHECK(tv__board_line_from_json(ctx, &e2, &b2, &p2, line, line_len - 1, 7) == TV_OK);
	FUZZ_CHECK(e.position == e2.position && e.kind == e2.kind && e.channel == e2.channel &&
	           e.time == e2.time && memcmp(e.head, e2.head, 32) == 0 &&
	           memcmp(e.prev_head, e2.prev_head, 32) == 0 &&
	           memcmp(e.tracking, e2.tracking, 32) == 0 && e.choice == e2.choice &&
	           memcmp(e.nonce, e2.nonce, sizeof(e.nonce)) == 0);
	FUZZ_CHECK(memcmp(e.paper, e2.paper, 32) == 0 && strcmp(e.paper_id, e2.paper_id) == 0 &&
	           e.others == e2.others && memcmp(e.other, e2.other, (size_t)e.others * 32) == 0);
	tv__free(ctx, line);
	tv_free(ctx, entry);
	tv_ballot_free(b);
	tv_ballot_free(b2);
	tv_spoilt_free(p);
	tv_spoilt_free(p2);
}

static void credentials(tv_ctx *ctx, const char *text, size_t len)
{
	tv__credential_list list;
	tv_status st = tv__credentials_from_json(ctx, &list, text, len);

	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_reader_status(st) || st == TV_ERR_NOMEM);
	if (st == TV_OK)
		FUZZ_CHECK(list.valid <= list.count);
	tv__credential_list_free(ctx, &list);
}

/* the credential authority's issue file (SPEC §11.5), which the box reads */
static void credential_issue(tv_ctx *ctx, const char *text, size_t len)
{
	tv__credential_issue issue;
	tv_status st = tv__credential_issue_from_json(ctx, &issue, text, len);

	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_reader_status(st) || st == TV_ERR_NOMEM);
	FUZZ_CHECK(st == TV_OK ? issue.count >= 1 && issue.points != NULL
	                       : issue.count == 0 && issue.points == NULL);
	tv__credential_issue_free(ctx, &issue);
}

static void transcript(tv_ctx *ctx, const char *text, size_t len)
{
	tv__transcript_lists t;
	tv_status st = tv__transcript_from_json(ctx, &t, text, len);

	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_reader_status(st));
	if (st == TV_OK)
		FUZZ_CHECK(t.ncommits > 0 && t.nreveals > 0 && t.nresults > 0);
	tv__transcript_lists_free(ctx, &t);
}

static void record_tally(tv_ctx *ctx, const char *text, size_t len)
{
	char *tally = NULL, **dec = NULL;
	size_t n = 0;
	tv_status st = tv__record_tally_from_json(ctx, &tally, &dec, &n, text, len);

	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_reader_status(st));
	FUZZ_CHECK(st == TV_OK || (tally == NULL && dec == NULL && n == 0));
	tv__free(ctx, tally);
	tv__members_free(ctx, dec, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	const char *text = (const char *)data + 1;

	if (size == 0)
		return 0;
	tv_fuzz_clear_error(ctx);
	switch (data[0] % 7) {
	case 0: record_header(ctx, text, size - 1); break;
	case 1: close_any(ctx, text, size - 1); break;
	case 2: board_line(ctx, text, size - 1); break;
	case 3: credentials(ctx, text, size - 1); break;
	case 4: transcript(ctx, text, size - 1); break;
	case 5: record_tally(ctx, text, size - 1); break;
	default: credential_issue(ctx, text, size - 1); break;
	}
	return 0;
}
