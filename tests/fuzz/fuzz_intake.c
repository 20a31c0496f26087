/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_intake_parse() (SPEC §15.7) on arbitrary bytes. Properties: the status
 * is TV_OK or TV_ERR_INTAKE_INVALID (never a crash or another status for
 * bad input) and is recorded with a message; every problem is reported with
 * a line within the file; an accepted file has rows in increasing line
 * order and no more rows than lines. A file of credential codes (header
 * code,choice) has rows each a valid choice or a known reason, with its
 * credential, no credential twice; a file of ballot papers (header
 * paper,code, SPEC §15.8.4) has rows that name no credential (the box
 * looks it up), no choice (only the code beside the mark), and a reason
 * only if rejected. Either way, an accepted file with one of its rows
 * written again at its end (in lower case, the same credential code or
 * paper) is refused with one problem, on that last line.
 */
#include <string.h>

#include "fuzz_common.h"

static tv_manifest *manifest;

static void free_fixture(void)
{
	tv_manifest_free(manifest);
}

typedef struct lines {
	uint32_t max;
	size_t calls;
	uint32_t last; /* the last problem's line */
} lines;

static void on_problem(uint32_t line, const char *message, void *payload)
{
	lines *l = payload;

	FUZZ_CHECK(message != NULL && message[0] != '\0');
	FUZZ_CHECK(line <= l->max);
	l->calls++;
	l->last = line;
}

/* the file with line @p line (from 1) written again at its end, in lower case */
static void row_twice(tv_ctx *ctx, const uint8_t *data, size_t size, uint32_t line)
{
	const uint8_t *at = data, *end = data + size, *lf;
	uint8_t *again;
	size_t n = size, len;
	lines l = { 1, 0, 0 };
	tv_intake *in = NULL;
	tv_status st;

	for (uint32_t i = 1; i < line; i++) {
		FUZZ_CHECK((lf = memchr(at, '\n', (size_t)(end - at))) != NULL);
		at = lf + 1;
	}
	lf = memchr(at, '\n', (size_t)(end - at));
	len = lf != NULL ? (size_t)(lf - at) : (size_t)(end - at);
	FUZZ_CHECK((again = malloc(size + 1 + len + 1)) != NULL);
	memcpy(again, data, size);
	if (size > 0 && data[size - 1] != '\n')
		again[n++] = '\n';
	for (size_t i = 0; i < len; i++)
		again[n++] = at[i] >= 'A' && at[i] <= 'Z' ? (uint8_t)(at[i] - 'A' + 'a') : at[i];
	again[n++] = '\n';
	for (size_t i = 0; i < n; i++)
		l.max += again[i] == '\n';
	tv_fuzz_clear_error(ctx);
	st = tv_intake_parse(ctx, &in, (const char *)again, n, manifest, "fuzz.csv", on_problem, &l);
	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(st == TV_ERR_INTAKE_INVALID && in == NULL);
	FUZZ_CHECK(l.calls == 1 && l.last == l.max - 1);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_intake *in = NULL;
	lines l = { 1, 0, 0 };
	tv_intake_row row;
	uint32_t line = 0;
	int papers = 0;
	tv_status st;

	if (manifest == NULL) {
		manifest = tv_fuzz_manifest(ctx);
		FUZZ_CHECK(atexit(free_fixture) == 0);
	}
	for (size_t i = 0; i < size; i++)
		l.max += data[i] == '\n';
	tv_fuzz_clear_error(ctx);
	st = tv_intake_parse(ctx, &in, (const char *)data, size, manifest, "fuzz.csv", on_problem, &l);
	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(st == TV_OK || st == TV_ERR_INTAKE_INVALID);
	if (st != TV_OK) {
		FUZZ_CHECK(in == NULL && l.calls > 0);
		return 0;
	}
	FUZZ_CHECK(l.calls == 0 && tv_intake_count(in) < l.max);
	for (size_t i = 0; i < tv_intake_count(in); i++) {
		tv_intake_row r, prev;

		FUZZ_CHECK(tv_intake_get_row(&r, in, i) == TV_OK);
		FUZZ_CHECK(r.line >= 2 && r.line <= l.max);
		if (i == 0)
			papers = r.credential == NULL;
		if (papers) {
			FUZZ_CHECK(r.credential == NULL && r.choice == 0 && r.reason <= 4);
		} else {
			FUZZ_CHECK(r.credential != NULL);
			FUZZ_CHECK(r.reason == 0 ? r.choice <= 2 : (r.choice == 0 && r.reason <= 4));
		}
		if (i > 0) {
			FUZZ_CHECK(tv_intake_get_row(&prev, in, i - 1) == TV_OK);
			FUZZ_CHECK(prev.line < r.line);
		}
		for (size_t j = 0; j < i && !papers; j++) {
			FUZZ_CHECK(tv_intake_get_row(&prev, in, j) == TV_OK);
			FUZZ_CHECK(memcmp(prev.credential->bytes, r.credential->bytes, TV_POINT_BYTES) != 0);
		}
	}
	FUZZ_CHECK(tv_intake_get_row(&row, in, tv_intake_count(in)) == TV_ERR_INVALID_ARGUMENT);
	if (tv_intake_count(in) > 0) {
		FUZZ_CHECK(tv_intake_get_row(&row, in, (size_t)data[0] % tv_intake_count(in)) == TV_OK);
		line = row.line;
	}
	tv_intake_free(in);
	if (line != 0)
		row_twice(ctx, data, size, line);
	return 0;
}
