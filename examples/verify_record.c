/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Example: verifying a public record (SPEC §19), as an observer, a tenant
 * or a newspaper would, with the record's folder alone.
 *
 *   example-verify-record RECORD_DIR
 *
 * Prints each check as the verifier reports it, and each failure found,
 * then the totals. Exits 0 when every check passed, 1 when any failed or
 * could not be done, 2 on a usage error.
 *
 * Build against an installed library:
 *   cc verify_record.c $(pkg-config --cflags --libs tenantvote)
 */
#include <stdio.h>
#include <string.h>

#include <tenantvote/tenantvote.h>

typedef struct tally_of_checks {
	unsigned passed[TV_VERIFY_CHECKS + 1];   /* pass events per check */
	unsigned failures[TV_VERIFY_CHECKS + 1]; /* failure events per check */
} tally_of_checks;

/* Called for each failure as it is found (status not TV_OK, with the
 * position at fault or 0, and what is wrong), and once for each check that
 * passed as a whole, when it ends (status TV_OK). A check that cannot be
 * done because what it needs failed is a failure "not done: ...". */
static void on_event(const tv_verify_event *ev, void *payload)
{
	tally_of_checks *t = payload;

	if (ev->check < 1 || ev->check > TV_VERIFY_CHECKS)
		return; /* counted as a disagreement below */
	if (ev->status == TV_OK) {
		t->passed[ev->check]++;
		printf("check %2u %-50s passed\n", ev->check, ev->name);
		return;
	}
	t->failures[ev->check]++;
	if (ev->position != 0)
		printf("check %2u %-50s FAILED at board position %llu: %s\n", ev->check, ev->name,
		       (unsigned long long)ev->position, ev->message);
	else
		printf("check %2u %-50s FAILED: %s\n", ev->check, ev->name, ev->message);
}

int main(int argc, char **argv)
{
	tv_ctx *ctx = NULL;
	tv_verify_summary sum;
	tally_of_checks t;
	tv_status st;
	int rc = 1;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: %s RECORD_DIR\n", argv[0]);
		return 2;
	}
	if ((st = tv_ctx_new(&ctx, NULL)) != TV_OK) {
		fprintf(stderr, "tv_ctx_new: %s\n", tv_status_str(st));
		return 1;
	}
	memset(&t, 0, sizeof(t));
	memset(&sum, 0, sizeof(sum));
	/* 0 threads: one per core */
	st = tv_record_verify(ctx, argv[1], 0, on_event, &t, NULL, NULL, &sum);
	if (st != TV_OK && st != TV_ERR_PROOF_INVALID) {
		/* could not check at all: the folder is missing or unreadable */
		fprintf(stderr, "%s: %s: %s\n", argv[1], tv_status_str(st), tv_ctx_last_error(ctx));
		goto out;
	}
	printf("%u checks passed, %u failed; %llu failures; %llu board entries, %llu counted\n",
	       sum.passed, sum.failed, (unsigned long long)sum.failures,
	       (unsigned long long)sum.entries, (unsigned long long)sum.counted);
	/* what the verifier promises: each check either passed, once, or
	 * failed, and the totals agree with what it said */
	{
		uint32_t passed = 0, failed = 0;
		uint64_t failures = 0;

		for (uint32_t c = 1; c <= TV_VERIFY_CHECKS; c++) {
			if ((t.passed[c] == 1) == (t.failures[c] > 0) || t.passed[c] > 1) {
				fprintf(stderr, "FAILED: check %u passed %u times with %u failures\n", c,
				        t.passed[c], t.failures[c]);
				goto out;
			}
			passed += t.passed[c];
			failed += t.failures[c] > 0;
			failures += t.failures[c];
		}
		if (sum.passed != passed || sum.failed != failed || sum.failures != failures ||
		    (st == TV_OK) != (failed == 0)) {
			fprintf(stderr, "FAILED: the summary disagrees with the checks reported\n");
			goto out;
		}
	}
	if (st == TV_OK) {
		printf("the record is valid\n");
		rc = 0;
	} else {
		printf("the record is NOT valid: %s\n", tv_ctx_last_error(ctx));
	}
out:
	tv_ctx_free(ctx);
	return rc;
}
