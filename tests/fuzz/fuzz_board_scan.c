/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The strict scanner of board lines (lib/election/board_scan.c) against the
 * JSON reader it stands in for, on arbitrary bytes (one line, no LF).
 * Properties:
 *  - whatever the scanner accepts, the JSON reader accepts too, with the
 *    same envelope and byte-for-byte the same ballot or spoilt paper
 *    (digests and tracking code included): the scanner never decides;
 *  - when it declines, it leaves nothing behind (no output, *e zeroed);
 *  - tv__board_line_from_json (scanner, then the JSON reader) gives the
 *    JSON reader's status and, on failure, its message;
 *  - every line the box would write for an entry the JSON reader accepted
 *    is scanned (else the scanner would be a slower road, not a faster one),
 *    but for a ballot paper's entries (kinds paper and paper-spoilt, SPEC
 *    §15.8.4), which the scanner leaves to the JSON reader: it declines
 *    every such line, and the box's spelling of one reads back by the JSON
 *    reader to the same values (its handle, identifier, other digests).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ballot_internal.h"
#include "fuzz_common.h"

/* the entries read from one line, by one reader */
typedef struct reading {
	tv__board_entry e;
	tv_ballot *b;
	tv_spoilt *p;
} reading;

static void read_free(reading *r)
{
	tv_ballot_free(r->b);
	tv_spoilt_free(r->p);
	r->b = NULL;
	r->p = NULL;
}

/* where e->credential points must be the same place in each read */
static const tv_point *own_credential(const reading *r)
{
	if (r->e.kind == TV_ENTRY_CREDENTIAL_ADDED || r->e.kind == TV_ENTRY_CREDENTIAL_REVOKED)
		return &r->e.change.credential;
	return r->b != NULL ? &r->b->credential : &r->p->credential;
}

static void check_same(const reading *s, const reading *j)
{
	const tv__board_entry *a = &s->e, *b = &j->e;

	FUZZ_CHECK(a->position == b->position && a->kind == b->kind && a->channel == b->channel &&
	           a->time == b->time && a->choice == b->choice);
	FUZZ_CHECK(memcmp(a->prev_head, b->prev_head, 32) == 0 &&
	           memcmp(a->head, b->head, 32) == 0 && memcmp(a->tracking, b->tracking, 32) == 0);
	FUZZ_CHECK(memcmp(a->nonce, b->nonce, sizeof(a->nonce)) == 0);
	FUZZ_CHECK(memcmp(&a->change, &b->change, sizeof(a->change)) == 0);
	FUZZ_CHECK(memcmp(a->paper, b->paper, 32) == 0 && strcmp(a->paper_id, b->paper_id) == 0 &&
	           a->others == b->others &&
	           memcmp(a->other, b->other, (size_t)a->others * 32) == 0);
	FUZZ_CHECK(a->credential == own_credential(s) && b->credential == own_credential(j));
	FUZZ_CHECK((s->b == NULL) == (j->b == NULL) && (s->p == NULL) == (j->p == NULL));
	/* calloc'd by both, so even the padding is the same */
	if (s->b != NULL)
		FUZZ_CHECK(tv__ballot_same(s->b, j->b));
	if (s->p != NULL)
		FUZZ_CHECK(memcmp(s->p, j->p, sizeof(*s->p)) == 0);
}

/* the entry @p j read by the JSON reader, written as the box writes it,
 * must scan (when the scanner can spell its numbers) to the same values */
static void box_spelling_scans(tv_ctx *ctx, const reading *j)
{
	char *entry = NULL, *line = NULL, hx[2 * TV_POINT_BYTES + 1], hs[129];
	size_t entry_len = 0, line_len = 0;
	reading again = { 0 };

	if (j->e.time < 0 || j->e.position >= UINT64_C(1000000000000000000))
		return;
	if (j->e.kind == TV_ENTRY_PAPER) {
		FUZZ_CHECK(tv__paper_entry_to_json(ctx, &entry, &entry_len, j->e.paper, j->b,
		                                   (const uint8_t (*)[32])j->e.other,
		                                   j->e.others) == TV_OK);
	} else if (j->e.kind == TV_ENTRY_PAPER_SPOILT) {
		FUZZ_CHECK(tv__paper_spoilt_to_json(ctx, &entry, &entry_len, j->p->fingerprint,
		                                    j->e.paper_id, &j->p->credential,
		                                    j->p->reason) == TV_OK);
	} else if (j->e.kind == TV_ENTRY_OPENED) {
		FUZZ_CHECK(tv__opened_to_json(ctx, &entry, j->b, j->e.choice, j->e.nonce) == TV_OK);
		entry_len = strlen(entry);
	} else if (j->b != NULL) {
		FUZZ_CHECK(tv_ballot_to_json(ctx, &entry, &entry_len, j->b) == TV_OK);
	} else if (j->p != NULL) {
		FUZZ_CHECK(tv_spoilt_to_json(ctx, &entry, &entry_len, j->p) == TV_OK);
	} else {
		/* lib/box/changes.c's spelling */
		char buf[400];

		tv__hex_encode(hx, j->e.change.credential.bytes, TV_POINT_BYTES);
		tv__hex_encode(hs, j->e.change.signature, 64);
		snprintf(buf, sizeof(buf), "{\"credential\":\"%s\",\"signature\":\"%s\"}", hx, hs);
		entry_len = strlen(buf);
		FUZZ_CHECK((entry = tv__alloc(ctx, entry_len + 1)) != NULL);
		memcpy(entry, buf, entry_len + 1);
	}
	FUZZ_CHECK(tv__board_line_to_json(ctx, &line, &line_len, &j->e, entry, entry_len) == TV_OK);
	if (j->e.kind == TV_ENTRY_PAPER || j->e.kind == TV_ENTRY_PAPER_SPOILT) {
		FUZZ_CHECK(tv__board_line_scan(ctx, &again.e, &again.b, &again.p, line,
		                               line_len - 1) == 0);
		FUZZ_CHECK(tv__board_line_read_json(ctx, &again.e, &again.b, &again.p, line,
		                                    line_len - 1, 7) == TV_OK);
	} else {
		FUZZ_CHECK(tv__board_line_scan(ctx, &again.e, &again.b, &again.p, line,
		                               line_len - 1) == 1);
	}
	check_same(&again, j);
	read_free(&again);
	tv__free(ctx, line);
	tv__free(ctx, entry);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const tv__board_entry zero;
	tv_ctx *ctx = tv_fuzz_ctx();
	const char *line = (const char *)data;
	reading s = { 0 }, j = { 0 }, f = { 0 };
	char message[TV_ERROR_MAX];
	tv_status sj, sf;
	int scanned;

	tv_fuzz_clear_error(ctx);
	scanned = tv__board_line_scan(ctx, &s.e, &s.b, &s.p, line, size);
	FUZZ_CHECK(scanned == 0 || scanned == 1);
	if (!scanned)
		FUZZ_CHECK(s.b == NULL && s.p == NULL && memcmp(&s.e, &zero, sizeof(zero)) == 0);
	tv_fuzz_clear_error(ctx);
	sj = tv__board_line_read_json(ctx, &j.e, &j.b, &j.p, line, size, 7);
	tv_fuzz_check_status_recorded(ctx, sj);
	snprintf(message, sizeof(message), "%s", tv_ctx_last_error(ctx));
	if (scanned) {
		FUZZ_CHECK(sj == TV_OK);
		check_same(&s, &j);
	}
	/* the two together answer as the JSON reader alone */
	tv_fuzz_clear_error(ctx);
	sf = tv__board_line_from_json(ctx, &f.e, &f.b, &f.p, line, size, 7);
	tv_fuzz_check_status_recorded(ctx, sf);
	FUZZ_CHECK(sf == sj);
	if (sf != TV_OK)
		FUZZ_CHECK(strcmp(message, tv_ctx_last_error(ctx)) == 0 && f.b == NULL && f.p == NULL);
	else
		check_same(&f, &j);
	if (sj == TV_OK)
		box_spelling_scans(ctx, &j);
	read_free(&s);
	read_free(&j);
	read_free(&f);
	return 0;
}
