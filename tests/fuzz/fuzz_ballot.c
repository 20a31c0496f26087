/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_ballot_from_json() and tv_ballot_check_challenge() (SPEC §15.1) on
 * arbitrary bytes. Properties: the status is one the API documents and is
 * recorded with a message; an accepted ballot writes back to JSON that reads
 * to the same tracking code; no input is ever accepted as a valid ballot of
 * the fixed election (forging a signature and proofs is infeasible) unless
 * it is the honest ballot made at start-up; a challenge is accepted only
 * for the honest opened ballot.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static tv_manifest *manifest;
static tv_point key;
static char *honest, *honest_opened;

/* an atexit handler runs before fuzz_common's destructor frees the context */
static void free_fixture(void)
{
	tv_ctx *ctx = tv_fuzz_ctx();

	tv_free(ctx, honest);
	tv_free(ctx, honest_opened);
	tv_manifest_free(manifest);
}

static void make_fixture(tv_ctx *ctx)
{
	tv_scalar x;
	tv_credential_code code;
	tv_point pub;
	uint8_t f[32];
	tv_ballot *b = NULL;
	tv_ballot_secrets *s = NULL;

	manifest = tv_fuzz_manifest(ctx);
	FUZZ_CHECK(tv__ctx_set_deterministic(ctx, (const uint8_t *)"fuzz-ballot", 11) == TV_OK);
	FUZZ_CHECK(tv_scalar_random(ctx, &x) == TV_OK);
	FUZZ_CHECK(tv_point_base_mul(ctx, &key, &x) == TV_OK);
	tv_manifest_fingerprint(f, manifest);
	FUZZ_CHECK(tv_credential_generate(ctx, &code, &pub, f) == TV_OK);
	FUZZ_CHECK(tv_ballot_encrypt(ctx, &b, NULL, manifest, &key, code.text, strlen(code.text), 1) == TV_OK);
	FUZZ_CHECK(tv_ballot_to_json(ctx, &honest, NULL, b) == TV_OK);
	tv_ballot_free(b);
	FUZZ_CHECK(tv_ballot_prepare(ctx, &b, &s, manifest, &key, code.text, strlen(code.text), 2) == TV_OK);
	FUZZ_CHECK(tv_ballot_challenge(ctx, &honest_opened, b, s) == TV_OK);
	tv_ballot_free(b);
	FUZZ_CHECK(atexit(free_fixture) == 0);
}

static int is_ballot_status(tv_status st)
{
	return st == TV_OK || st == TV_ERR_ENCODING || st == TV_ERR_POINT_INVALID ||
	       st == TV_ERR_SCALAR_RANGE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_ballot *b = NULL, *again = NULL;
	tv_status st;
	uint32_t choice;

	if (manifest == NULL)
		make_fixture(ctx);
	tv_fuzz_clear_error(ctx);
	st = tv_ballot_from_json(ctx, &b, (const char *)data, size);
	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_ballot_status(st));
	if (st == TV_OK) {
		char *json = NULL;
		size_t len = 0;
		uint8_t t1[32], t2[32];

		FUZZ_CHECK(tv_ballot_to_json(ctx, &json, &len, b) == TV_OK);
		FUZZ_CHECK(tv_ballot_from_json(ctx, &again, json, len) == TV_OK);
		tv_ballot_tracking(t1, b);
		tv_ballot_tracking(t2, again);
		FUZZ_CHECK(memcmp(t1, t2, 32) == 0);
		tv_fuzz_clear_error(ctx);
		st = tv_ballot_verify(ctx, b, manifest, &key);
		tv_fuzz_check_status_recorded(ctx, st);
		/* only the honest ballot, byte for byte in canonical form, verifies */
		if (st == TV_OK)
			FUZZ_CHECK(strcmp(json, honest) == 0);
		tv_free(ctx, json);
		tv_ballot_free(again);
		tv_ballot_free(b);
	}
	tv_fuzz_clear_error(ctx);
	st = tv_ballot_check_challenge(ctx, &choice, (const char *)data, size, manifest, &key);
	tv_fuzz_check_status_recorded(ctx, st);
	if (st == TV_OK)
		FUZZ_CHECK(choice == 2);
	return 0;
}
