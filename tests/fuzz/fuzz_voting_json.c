/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_spoilt_from_json() (SPEC §15.6) and tv_receipt_from_json() (§15.3) on
 * arbitrary bytes. Properties: statuses the API documents, recorded with a
 * message; an accepted spoilt paper or receipt writes back to JSON that
 * reads to the same value; no spoilt paper verifies for the fixed election
 * unless it is the honest one made at start-up (forging the credential's
 * signature is infeasible).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static tv_manifest *manifest;
static char *honest;

static void free_fixture(void)
{
	tv_free(tv_fuzz_ctx(), honest);
	tv_manifest_free(manifest);
}

static void make_fixture(tv_ctx *ctx)
{
	tv_credential_code code;
	tv_point pub;
	tv_spoilt *p = NULL;
	uint8_t f[32];

	manifest = tv_fuzz_manifest(ctx);
	FUZZ_CHECK(tv__ctx_set_deterministic(ctx, (const uint8_t *)"fuzz-spoilt", 11) == TV_OK);
	tv_manifest_fingerprint(f, manifest);
	FUZZ_CHECK(tv_credential_generate(ctx, &code, &pub, f) == TV_OK);
	FUZZ_CHECK(tv_spoilt_make(ctx, &p, manifest, code.text, strlen(code.text),
	                          TV_SPOILT_IDENTIFIES_VOTER) == TV_OK);
	FUZZ_CHECK(tv_spoilt_to_json(ctx, &honest, NULL, p) == TV_OK);
	tv_spoilt_free(p);
	FUZZ_CHECK(atexit(free_fixture) == 0);
}

static int is_decode_status(tv_status st)
{
	return st == TV_OK || st == TV_ERR_ENCODING || st == TV_ERR_POINT_INVALID ||
	       st == TV_ERR_SCALAR_RANGE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_spoilt *p = NULL, *again = NULL;
	tv_receipt r, r2;
	tv_status st;

	if (manifest == NULL)
		make_fixture(ctx);
	tv_fuzz_clear_error(ctx);
	st = tv_spoilt_from_json(ctx, &p, (const char *)data, size);
	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_decode_status(st));
	if (st == TV_OK) {
		char *json = NULL;
		size_t len = 0;
		uint8_t t1[32], t2[32];

		FUZZ_CHECK(tv_spoilt_to_json(ctx, &json, &len, p) == TV_OK);
		FUZZ_CHECK(tv_spoilt_from_json(ctx, &again, json, len) == TV_OK);
		tv_spoilt_tracking(t1, p);
		tv_spoilt_tracking(t2, again);
		FUZZ_CHECK(memcmp(t1, t2, 32) == 0);
		tv_fuzz_clear_error(ctx);
		st = tv_spoilt_verify(ctx, p, manifest);
		tv_fuzz_check_status_recorded(ctx, st);
		FUZZ_CHECK(st == TV_OK || st == TV_ERR_WRONG_ELECTION || st == TV_ERR_SIGNATURE_INVALID);
		if (st == TV_OK)
			FUZZ_CHECK(strcmp(json, honest) == 0);
		tv_free(ctx, json);
		tv_spoilt_free(again);
		tv_spoilt_free(p);
	}
	tv_fuzz_clear_error(ctx);
	st = tv_receipt_from_json(ctx, &r, (const char *)data, size);
	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(st == TV_OK || st == TV_ERR_ENCODING);
	if (st == TV_OK) {
		char *json = NULL;

		FUZZ_CHECK(r.position >= 1 && (r.channel == 1 || r.channel == 2 || r.channel == 4 ||
		                               r.channel == 8));
		FUZZ_CHECK(tv_receipt_to_json(ctx, &json, &r) == TV_OK);
		FUZZ_CHECK(tv_receipt_from_json(ctx, &r2, json, strlen(json)) == TV_OK);
		FUZZ_CHECK(memcmp(&r, &r2, sizeof(r)) == 0);
		tv_free(ctx, json);
	}
	return 0;
}
