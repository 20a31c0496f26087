/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The credential authority's paper file (SPEC §15.8.3) on arbitrary bytes,
 * imported by tv_box_import_papers() into the box of tv_fuzz_papers_get()'s
 * election (in set-up, with its credentials and election key, no papers
 * yet). Properties:
 *  - the status is one the SPEC gives for a bad file: TV_ERR_ENCODING,
 *    TV_ERR_WRONG_ELECTION, TV_ERR_SIGNATURE_INVALID or
 *    TV_ERR_PROOF_INVALID, or a point's TV_ERR_POINT_INVALID (never a
 *    crash, TV_ERR_STATE, TV_ERR_DATABASE or another), recorded with a
 *    message; an ENCODING or POINT one names the line;
 *  - a refused file leaves nothing behind: no paper, no paper list, and the
 *    box still takes the authority's own file afterwards (checked once,
 *    at the end of a run, to keep each input cheap);
 *  - an accepted file is the authority's list: the box then holds exactly
 *    its papers (handle, credential, commitment; the signature covers no
 *    more, so a lock may differ and is not compared), the count given back
 *    is theirs, and a second import is TV_ERR_STATE. The box is then put
 *    back as it was, for the next input.
 * Seeds: the file tv_authority_make_papers() wrote for the fixture's
 * election with its locks cut to 20 bytes (still accepted: the import does
 * not open locks; the whole file, 32 KB, is imported at exit), and damaged
 * copies.
 *
 * A credential that is not a point has the point's status (as in the
 * credential issue file, SPEC §11.5), naming the line like the rest: the
 * seeds credential_off_curve and lock_upper_case hold the two cases that
 * once gave a status or a message of their own.
 */
#include <string.h>

#include "box_internal.h"
#include "fuzz_common.h"

static char input_path[128];

static void write_input(const uint8_t *data, size_t size)
{
	FILE *f = fopen(input_path, "wb");

	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(size == 0 || fwrite(data, 1, size, f) == size);
	FUZZ_CHECK(fclose(f) == 0);
}

/* the box's papers, in handle order, are the fixture's (which are) */
static void check_box_holds_the_list(tv_fuzz_papers *e)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;

	FUZZ_CHECK(sqlite3_prepare_v2(e->box->db, "SELECT handle, credential, commitment FROM paper "
	                                          "ORDER BY handle", -1, &st, NULL) == SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		FUZZ_CHECK(n < TV_FUZZ_PAPERS);
		FUZZ_CHECK(sqlite3_column_bytes(st, 0) == 32 &&
		           memcmp(sqlite3_column_blob(st, 0), e->line[n].handle, 32) == 0);
		FUZZ_CHECK(sqlite3_column_bytes(st, 1) == TV_POINT_BYTES &&
		           memcmp(sqlite3_column_blob(st, 1), e->line[n].credential.bytes,
		                  TV_POINT_BYTES) == 0);
		FUZZ_CHECK(sqlite3_column_bytes(st, 2) == 32 &&
		           memcmp(sqlite3_column_blob(st, 2), e->line[n].commit, 32) == 0);
		n++;
	}
	sqlite3_finalize(st);
	FUZZ_CHECK(n == TV_FUZZ_PAPERS);
}

static void check_nothing_stored(tv_ctx *ctx, tv_fuzz_papers *e)
{
	uint8_t digest[32];
	size_t count = 1;
	int has = 1;

	FUZZ_CHECK(tv_box_paper_count(ctx, &count, e->box) == TV_OK && count == 0);
	FUZZ_CHECK(tv__box_paper_list(e->box, &has, digest, NULL) == TV_OK && !has);
}

/* at exit: after every refusal, the authority's own file still imports */
static void own_file_still_imports(void)
{
	tv_fuzz_papers *e = tv_fuzz_papers_get();
	tv_ctx *ctx = tv_fuzz_ctx();
	size_t count = 0;

	write_input((const uint8_t *)e->file, e->file_len);
	tv_fuzz_clear_error(ctx);
	FUZZ_CHECK(tv_box_import_papers(ctx, &count, e->box, input_path) == TV_OK);
	FUZZ_CHECK(count == TV_FUZZ_PAPERS);
	check_box_holds_the_list(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_fuzz_papers *e = tv_fuzz_papers_get();
	tv_ctx *ctx = tv_fuzz_ctx();
	size_t count = 12345;
	tv_status st;

	if (input_path[0] == '\0') {
		snprintf(input_path, sizeof(input_path), "%s/input.jsonl", e->dir);
		FUZZ_CHECK(atexit(own_file_still_imports) == 0);
	}
	write_input(data, size);
	tv_fuzz_clear_error(ctx);
	st = tv_box_import_papers(ctx, &count, e->box, input_path);
	tv_fuzz_check_status_recorded(ctx, st);
	if (st != TV_OK) {
		FUZZ_CHECK(st == TV_ERR_ENCODING || st == TV_ERR_WRONG_ELECTION ||
		           st == TV_ERR_SIGNATURE_INVALID || st == TV_ERR_PROOF_INVALID ||
		           st == TV_ERR_POINT_INVALID);
		if (st == TV_ERR_ENCODING || st == TV_ERR_POINT_INVALID)
			FUZZ_CHECK(strstr(tv_ctx_last_error(ctx), "line") != NULL);
		FUZZ_CHECK(count == 12345 || count == 0); /* untouched, or none */
		check_nothing_stored(ctx, e);
		return 0;
	}
	FUZZ_CHECK(count == TV_FUZZ_PAPERS);
	check_box_holds_the_list(e);
	FUZZ_CHECK(tv_box_paper_count(ctx, &count, e->box) == TV_OK && count == TV_FUZZ_PAPERS);
	tv_fuzz_clear_error(ctx);
	FUZZ_CHECK(tv_box_import_papers(ctx, &count, e->box, input_path) == TV_ERR_STATE);
	tv_fuzz_papers_reset_box(e);
	check_nothing_stored(ctx, e);
	return 0;
}
