/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_intake_parse() (SPEC §15.7) on arbitrary bytes. Properties: the status
 * is TV_OK or TV_ERR_INTAKE_INVALID (never a crash or another status for
 * bad input) and is recorded with a message; every problem is reported with
 * a line within the file; an accepted file has rows in increasing line
 * order, each a valid choice or a known reason, no credential twice, and
 * no more rows than lines.
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
} lines;

static void on_problem(uint32_t line, const char *message, void *payload)
{
	lines *l = payload;

	FUZZ_CHECK(message != NULL && message[0] != '\0');
	FUZZ_CHECK(line <= l->max);
	l->calls++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_intake *in = NULL;
	lines l = { 1, 0 };
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
		FUZZ_CHECK(r.reason == 0 ? r.choice <= 2 : (r.choice == 0 && r.reason <= 4));
		if (i > 0) {
			FUZZ_CHECK(tv_intake_get_row(&prev, in, i - 1) == TV_OK);
			FUZZ_CHECK(prev.line < r.line);
		}
		for (size_t j = 0; j < i; j++) {
			FUZZ_CHECK(tv_intake_get_row(&prev, in, j) == TV_OK);
			FUZZ_CHECK(memcmp(prev.credential->bytes, r.credential->bytes, TV_POINT_BYTES) != 0);
		}
	}
	tv_intake_free(in);
	return 0;
}
