/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The readers of ballot papers' JSON (SPEC §15.8, §18.7a) on arbitrary
 * bytes; the first byte picks the reader, the rest is its text:
 *  0  papers.json (tv__papers_json_read, the verifier's);
 *  1  the authority's sealed openings (tv__paper_openings_from_json, the
 *     box's, against tv_fuzz_manifest()'s election);
 *  2  a paper's board entry as the box stores it (tv__paper_stored_read,
 *     kind TV_ENTRY_PAPER);
 *  3  the same, kind TV_ENTRY_PAPER_SPOILT (a rejected paper).
 * Properties: only the statuses a reader of untrusted bytes gives (and
 * TV_ERR_WRONG_ELECTION for openings of another election), each recorded
 * with a message; a refusal gives nothing back (no list, no ballot, no
 * rejection, papers.json's record zeroed). An accepted text holds what its
 * counts say, and written again by the library's own writers
 * (tv__papers_json_begin/paper/opening/end; tv__paper_entry_to_json,
 * tv__paper_spoilt_to_json; the openings in the authority's layout) it
 * reads back to the same values, the seal of the openings included, and
 * that writing is a fixed point. A
 * rejected paper's handle and tracking code are the SPEC's
 * H("paper"; F, id) and H("paper-spoilt-tracking"; F, h, u32be(reason)),
 * computed here with OpenSSL. A stored entry, put in a board line as the
 * record writes it (tv__board_line_to_json), is read there by the
 * verifier's line reader to the same verdict and values.
 */
#include <inttypes.h>
#include <string.h>

#include "ballot_internal.h"
#include "fuzz_common.h"

static uint8_t election_f[32];

static int is_reader_status(tv_status st)
{
	return st == TV_ERR_ENCODING || st == TV_ERR_POINT_INVALID || st == TV_ERR_SCALAR_RANGE ||
	       st == TV_ERR_UTF8;
}

/* the authority's seal of its openings (§15.8.6) */
static void seal_same(const tv__openings_seal *a, const tv__openings_seal *b)
{
	FUZZ_CHECK(a->entries == b->entries && memcmp(a->head, b->head, 32) == 0 &&
	           memcmp(a->signature, b->signature, 64) == 0);
}

/* ---------------------------------------------------------- papers.json */

/* the record as the box writes it: a tv__alloc'd string */
static char *papers_write(tv_ctx *ctx, const tv__papers_record *r, size_t *len)
{
	size_t cap = 512 + 300 * (r->count + r->nopened), n;
	char *out = tv__alloc(ctx, cap);

	FUZZ_CHECK(out != NULL);
	n = (size_t)tv__papers_json_begin(out, cap, r->authority, r->signature);
	for (size_t i = 0; i < r->count; i++)
		n += (size_t)tv__papers_json_paper(out + n, cap - n, i == 0, r->papers[i].handle,
		                                   &r->papers[i].credential, r->papers[i].commit);
	for (size_t i = 0; i < r->nopened; i++)
		n += (size_t)tv__papers_json_opening(out + n, cap - n, i == 0, r->opened[i]);
	n += (size_t)tv__papers_json_end(out + n, cap - n, r->nopened > 0,
	                                 r->has_seal ? &r->seal : NULL);
	FUZZ_CHECK(n < cap);
	*len = n;
	return out;
}

static void papers_same(const tv__papers_record *a, const tv__papers_record *b)
{
	FUZZ_CHECK(memcmp(a->authority, b->authority, 32) == 0 &&
	           memcmp(a->signature, b->signature, 64) == 0);
	FUZZ_CHECK(a->count == b->count && a->nopened == b->nopened);
	for (size_t i = 0; i < a->count; i++)
		FUZZ_CHECK(memcmp(&a->papers[i], &b->papers[i], sizeof(a->papers[i])) == 0);
	FUZZ_CHECK(a->nopened == 0 || memcmp(a->opened, b->opened, a->nopened * 32) == 0);
	FUZZ_CHECK(a->has_seal == b->has_seal);
	if (a->has_seal)
		seal_same(&a->seal, &b->seal);
}

static void papers_json(tv_ctx *ctx, const char *text, size_t len)
{
	static const tv__papers_record zero;
	tv__papers_record r, again, third;
	char *written, *rewritten;
	size_t wlen, rlen;
	tv_status st = tv__papers_json_read(ctx, &r, text, len);

	tv_fuzz_check_status_recorded(ctx, st);
	if (st != TV_OK) {
		FUZZ_CHECK(is_reader_status(st));
		FUZZ_CHECK(memcmp(&r, &zero, sizeof(r)) == 0);
		return;
	}
	FUZZ_CHECK(r.count >= 1 && r.papers != NULL && r.opened != NULL);
	for (size_t i = 0; i < r.count; i++)
		FUZZ_CHECK(tv_point_check(ctx, &r.papers[i].credential) == TV_OK);
	written = papers_write(ctx, &r, &wlen);
	FUZZ_CHECK(tv__papers_json_read(ctx, &again, written, wlen) == TV_OK);
	papers_same(&r, &again);
	rewritten = papers_write(ctx, &again, &rlen);
	FUZZ_CHECK(rlen == wlen && memcmp(written, rewritten, wlen) == 0);
	/* the compact LF-ended form reads without its LF too */
	FUZZ_CHECK(tv__papers_json_read(ctx, &third, written, wlen - 1) == TV_OK);
	papers_same(&r, &third);
	tv__free(ctx, written);
	tv__free(ctx, rewritten);
	tv__papers_record_free(ctx, &r);
	tv__papers_record_free(ctx, &again);
	tv__papers_record_free(ctx, &third);
}

/* ------------------------------------------------------------- openings */

/* the authority's layout (tv__authority_openings) */
static char *openings_write(tv_ctx *ctx, uint8_t (*list)[32], size_t count,
                            const tv__openings_seal *seal, size_t *len)
{
	size_t cap = 512 + 67 * count, n;
	char *out = tv__alloc(ctx, cap), hex[129];

	FUZZ_CHECK(out != NULL);
	tv__hex_encode(hex, election_f, 32);
	hex[64] = '\0';
	n = (size_t)snprintf(out, cap, "{\"format\":\"%s\",\"election\":\"%s\",\"entries\":%" PRIu64,
	                     TV_PAPER_OPENINGS_FORMAT, hex, seal->entries);
	tv__hex_encode(hex, seal->head, 32);
	hex[64] = '\0';
	n += (size_t)snprintf(out + n, cap - n, ",\"head\":\"%s\",\"openings\":[", hex);
	for (size_t i = 0; i < count; i++) {
		tv__hex_encode(hex, list[i], 32);
		hex[64] = '\0';
		n += (size_t)snprintf(out + n, cap - n, "%s\"%s\"", i == 0 ? "" : ",", hex);
	}
	tv__hex_encode(hex, seal->signature, 64);
	hex[128] = '\0';
	n += (size_t)snprintf(out + n, cap - n, "],\"signature\":\"%s\"}", hex);
	FUZZ_CHECK(n < cap);
	*len = n;
	return out;
}

static void openings(tv_ctx *ctx, const char *text, size_t len)
{
	uint8_t (*list)[32] = (void *)&list, (*again)[32] = NULL;
	size_t count = 12345, n2 = 0, wlen;
	tv__openings_seal seal, seal2;
	char *written;
	tv_status st = tv__paper_openings_from_json(ctx, &list, &count, &seal, election_f, text, len);

	tv_fuzz_check_status_recorded(ctx, st);
	if (st != TV_OK) {
		FUZZ_CHECK(is_reader_status(st) || st == TV_ERR_WRONG_ELECTION);
		FUZZ_CHECK(list == NULL && count == 0);
		return;
	}
	FUZZ_CHECK(list != NULL);
	written = openings_write(ctx, list, count, &seal, &wlen);
	FUZZ_CHECK(tv__paper_openings_from_json(ctx, &again, &n2, &seal2, election_f, written,
	                                        wlen) == TV_OK);
	FUZZ_CHECK(n2 == count && (count == 0 || memcmp(list, again, count * 32) == 0));
	seal_same(&seal, &seal2);
	tv__free(ctx, written);
	tv__free(ctx, list);
	tv__free(ctx, again);
}

/* ------------------------------------------------------- stored entries */

typedef struct entry {
	tv__board_entry e;
	tv_ballot *b;
	tv_spoilt *p;
} entry;

static void entry_free(entry *x)
{
	tv_ballot_free(x->b);
	tv_spoilt_free(x->p);
	x->b = NULL;
	x->p = NULL;
}

/* what a paper's entry says, read by two readers or twice */
static void entry_same(const entry *x, const entry *y)
{
	FUZZ_CHECK(x->e.kind == y->e.kind && memcmp(x->e.paper, y->e.paper, 32) == 0);
	FUZZ_CHECK((x->b == NULL) == (y->b == NULL) && (x->p == NULL) == (y->p == NULL));
	if (x->b != NULL) {
		FUZZ_CHECK(x->e.others == y->e.others &&
		           memcmp(x->e.other, y->e.other, (size_t)x->e.others * 32) == 0);
		FUZZ_CHECK(tv__ballot_same(x->b, y->b));
	} else {
		FUZZ_CHECK(strcmp(x->e.paper_id, y->e.paper_id) == 0);
		/* calloc'd by both: even the padding is the same */
		FUZZ_CHECK(memcmp(x->p, y->p, sizeof(*x->p)) == 0);
	}
}

/* the entry as the box writes it (lib/box/board.c) */
static char *entry_write(tv_ctx *ctx, const entry *x, size_t *len)
{
	char *out = NULL;

	if (x->b != NULL)
		FUZZ_CHECK(tv__paper_entry_to_json(ctx, &out, len, x->e.paper, x->b,
		                                   (const uint8_t (*)[32])x->e.other,
		                                   x->e.others) == TV_OK);
	else
		FUZZ_CHECK(tv__paper_spoilt_to_json(ctx, &out, len, x->p->fingerprint, x->e.paper_id,
		                                    &x->p->credential, x->p->reason) == TV_OK);
	return out;
}

/* the entry in a board line, read by the verifier's line reader */
static void in_a_line(tv_ctx *ctx, int kind, const char *text, size_t len, tv_status st,
                      const entry *x)
{
	tv__board_entry env;
	entry y = { 0 };
	char *line = NULL;
	size_t line_len = 0;
	tv_status sl;

	memset(&env, 0, sizeof(env));
	env.position = 3;
	env.kind = kind;
	env.channel = TV_CHANNEL_POSTAL;
	env.time = 1800000000;
	memset(env.prev_head, 0xab, 32);
	memset(env.head, 0xcd, 32);
	FUZZ_CHECK(tv__board_line_to_json(ctx, &line, &line_len, &env, text, len) == TV_OK);
	tv_fuzz_clear_error(ctx);
	sl = tv__board_line_from_json(ctx, &y.e, &y.b, &y.p, line, line_len - 1, 3);
	tv_fuzz_check_status_recorded(ctx, sl);
	FUZZ_CHECK((sl == TV_OK) == (st == TV_OK));
	if (sl == TV_OK) {
		FUZZ_CHECK(y.e.position == 3 && y.e.channel == TV_CHANNEL_POSTAL);
		entry_same(x, &y);
		FUZZ_CHECK(memcmp(y.e.tracking, x->b != NULL ? x->b->tracking : x->p->tracking,
		                  32) == 0);
	}
	entry_free(&y);
	tv__free(ctx, line);
}

static void stored(tv_ctx *ctx, int kind, const char *text, size_t len)
{
	entry x = { 0 }, y = { 0 };
	char *written, *rewritten;
	size_t wlen, rlen;
	tv_status st = tv__paper_stored_read(ctx, kind, text, len, &x.e, &x.b, &x.p);

	tv_fuzz_check_status_recorded(ctx, st);
	/* (a NUL would cut the line short: %.*s) */
	if (memchr(text, '\n', len) == NULL && memchr(text, '\0', len) == NULL)
		in_a_line(ctx, kind, text, len, st, &x);
	if (st != TV_OK) {
		FUZZ_CHECK(is_reader_status(st));
		FUZZ_CHECK(x.b == NULL && x.p == NULL);
		return;
	}
	FUZZ_CHECK(x.e.kind == kind);
	if (kind == TV_ENTRY_PAPER) {
		FUZZ_CHECK(x.b != NULL && x.p == NULL && !tv_ballot_is_signed(x.b));
		FUZZ_CHECK(x.e.others >= 1 && x.e.others <= TV__PAPER_ANSWERS_MAX - 1);
	} else {
		uint8_t h[32], t[32], r[4];

		FUZZ_CHECK(x.p != NULL && x.b == NULL);
		FUZZ_CHECK(strlen(x.e.paper_id) == TV__PAPER_SYMBOLS &&
		           strspn(x.e.paper_id, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") ==
		                   TV__PAPER_SYMBOLS);
		FUZZ_CHECK(x.p->reason >= 1 && x.p->reason <= TV_SPOILT_REASONS);
		tv_fuzz_spec_hash(h, "paper", 2, x.p->fingerprint, (size_t)32, x.e.paper_id,
		                  (size_t)TV__PAPER_SYMBOLS);
		FUZZ_CHECK(memcmp(h, x.e.paper, 32) == 0);
		r[0] = r[1] = r[2] = 0;
		r[3] = (uint8_t)x.p->reason;
		tv_fuzz_spec_hash(t, "paper-spoilt-tracking", 3, x.p->fingerprint, (size_t)32, h,
		                  (size_t)32, r, (size_t)4);
		FUZZ_CHECK(memcmp(t, x.p->tracking, 32) == 0);
	}
	written = entry_write(ctx, &x, &wlen);
	FUZZ_CHECK(tv__paper_stored_read(ctx, kind, written, wlen, &y.e, &y.b, &y.p) == TV_OK);
	entry_same(&x, &y);
	rewritten = entry_write(ctx, &y, &rlen);
	FUZZ_CHECK(rlen == wlen && memcmp(written, rewritten, wlen) == 0);
	tv_free(ctx, written);
	tv_free(ctx, rewritten);
	entry_free(&x);
	entry_free(&y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	const char *text = (const char *)data + 1;

	if (size == 0)
		return 0;
	if (tv_fuzz_all_zero(election_f, 32)) {
		tv_manifest *m = tv_fuzz_manifest(ctx);

		tv_manifest_fingerprint(election_f, m);
		tv_manifest_free(m);
	}
	tv_fuzz_clear_error(ctx);
	switch (data[0] % 4) {
	case 0: papers_json(ctx, text, size - 1); break;
	case 1: openings(ctx, text, size - 1); break;
	case 2: stored(ctx, TV_ENTRY_PAPER, text, size - 1); break;
	default: stored(ctx, TV_ENTRY_PAPER_SPOILT, text, size - 1); break;
	}
	return 0;
}
