/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An observer's verifier, built from the record, tally, election and
 * crypto layers alone (tests/layers/meson.build): if the record layer ever
 * needed the ballot box or SQLite again, this would not link.
 *
 *   observer-verify RECORD   exit 0 if every check passes, 1 if one
 *                            fails, 3 if the record cannot be read
 */
#include <stdio.h>

#include "tenantvote/tenantvote.h"

static void on_check(const tv_verify_event *ev, void *payload)
{
	(void)payload;
	if (ev->status != TV_OK)
		printf("check %u FAIL: %s\n", ev->check, ev->message);
}

int main(int argc, char **argv)
{
	tv_verify_summary sum;
	tv_ctx *ctx = NULL;
	tv_status status;

	if (argc != 2) {
		fprintf(stderr, "usage: observer-verify RECORD\n");
		return 2;
	}
	if (tv_ctx_new(&ctx, NULL) != TV_OK)
		return 3;
	status = tv_record_verify(ctx, argv[1], 1, on_check, NULL, NULL, NULL, &sum);
	printf("%u passed, %u failed, %llu entries\n", sum.passed, sum.failed,
	       (unsigned long long)sum.entries);
	if (status != TV_OK)
		fprintf(stderr, "observer-verify: %s\n", tv_ctx_last_error(ctx));
	tv_ctx_free(ctx);
	return status == TV_OK ? 0 : status == TV_ERR_PROOF_INVALID ? 1 : 3;
}
