/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Example: an intake station, where postal papers are opened and keyed in
 * (SPEC §15.7). The clerks type each paper's credential code and choice
 * into a batch (CSV: code,choice; a choice is an option number, "blank",
 * or "rejected:REASON" for a spoilt paper). The whole batch is checked
 * first: a mistyped code or a tenant on two rows stops it, with the line,
 * and nothing is cast. Then the rows are encrypted and cast in groups,
 * each one transaction, and each row's receipt is handed back once it is
 * on disk. Running the same batch again casts nothing twice: the rows
 * already in are recognised and their receipts issued again.
 *
 * The set-up (election-setup.c) plays the returning officer, so this runs
 * on its own. Exits non-zero if anything is not as it must be.
 *
 * Build against an installed library:
 *   cc intake_station.c election-setup.c $(pkg-config --cflags --libs tenantvote libcrypto)
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "election-setup.h"

#define ROWS 3

typedef struct station {
	example_election *e;
	tv_receipt receipts[ROWS];
	int already[ROWS];
	size_t seen;
} station;

/* each row's receipt, once its group is durable: a real station prints
 * it, or files it with the paper */
static int on_row(const tv_intake_event *ev, void *payload)
{
	station *s = payload;
	uint32_t row = ev->line - 2; /* line 1 is the header */
	char tracking[TV_TRACKING_TEXT_LEN + 1];

	if (ev->line < 2 || row >= ROWS)
		return 1; /* non-zero stops the intake */
	s->receipts[row] = *ev->receipt;
	s->already[row] = ev->already;
	s->seen++;
	tv_tracking_text(tracking, ev->receipt->tracking);
	printf("  line %u: %s at position %llu (%s)\n", ev->line, tracking,
	       (unsigned long long)ev->receipt->position,
	       ev->already ? "cast before: receipt issued again" : "cast");
	return 0;
}

static void on_problem(uint32_t line, const char *message, void *payload)
{
	unsigned *problems = payload;

	(*problems)++;
	printf("  problem, line %u: %s\n", line, message);
}

/* read and check @p csv, then cast it; the summary in @p sum */
static tv_status run_batch(station *s, const char *csv, const char *name,
                           tv_intake_summary *sum, unsigned *problems)
{
	tv_ctx *ctx = s->e->ctx;
	tv_intake *intake = NULL;
	tv_ed25519_secret_key box_key;
	tv_status st;

	memset(sum, 0, sizeof(*sum));
	s->seen = 0;
	st = tv_intake_parse(ctx, &intake, csv, strlen(csv), s->e->manifest, name, on_problem,
	                     problems);
	if (st == TV_OK) {
		if (example_load_box_key(s->e, &box_key) != 0) {
			tv_intake_free(intake);
			return TV_ERR_IO;
		}
		st = tv_box_intake(ctx, s->e->box, intake, TV_CHANNEL_POSTAL, &box_key,
		                   (int64_t)time(NULL), on_row, s, on_problem, problems, sum);
		tv_ed25519_secret_wipe(&box_key);
	}
	tv_intake_free(intake); /* wipes the codes it holds */
	return st;
}

int main(void)
{
	example_election e;
	station s;
	tv_ctx *ctx = NULL;
	tv_intake_summary sum;
	tv_box_status status;
	char batch[512], typo[TV_CREDENTIAL_TEXT_LEN + 1];
	unsigned problems = 0;
	int counts = -1, rc = 1;
	tv_status st;

	if ((st = tv_ctx_new(&ctx, NULL)) != TV_OK) {
		fprintf(stderr, "tv_ctx_new: %s\n", tv_status_str(st));
		return 1;
	}
	memset(&s, 0, sizeof(s));
	s.e = &e;
	if (example_election_make(&e, ctx) != 0)
		goto out;

	/* a batch with a mistyped code on line 3: refused whole, with the line */
	snprintf(typo, sizeof(typo), "%s", e.codes[1]);
	typo[0] = typo[0] == 'A' ? 'B' : 'A';
	snprintf(batch, sizeof(batch), "code,choice\n%s,1\n%s,2\n", e.codes[0], typo);
	printf("batch postal-1.csv, with a typing mistake:\n");
	st = run_batch(&s, batch, "postal-1.csv", &sum, &problems);
	if (st != TV_ERR_INTAKE_INVALID || problems == 0 || s.seen != 0) {
		rc = example_wrong("a batch with a mistyped code is refused, naming the line");
		goto out;
	}
	if ((st = tv_box_get_status(ctx, &status, e.box)) != TV_OK || status.ballots != 0) {
		rc = example_wrong("a refused batch casts nothing");
		goto out;
	}
	printf("  refused: %s\n", tv_ctx_last_error(ctx));

	/* the batch as corrected: a vote, a blank paper and a spoilt one */
	snprintf(batch, sizeof(batch), "code,choice\n%s,1\n%s,blank\n%s,rejected:%s\n",
	         e.codes[0], e.codes[1], e.codes[2],
	         tv_spoilt_reason_name(TV_SPOILT_MORE_THAN_ONE_ANSWER));
	printf("batch postal-1.csv, corrected:\n");
	problems = 0;
	if ((st = run_batch(&s, batch, "postal-1.csv", &sum, &problems)) != TV_OK) {
		rc = example_fail(ctx, "the postal batch", st);
		goto out;
	}
	if (sum.rows != ROWS || sum.cast != ROWS || sum.already != 0 || sum.spoilt != 1 ||
	    s.seen != ROWS) {
		rc = example_wrong("three rows cast, one of them a spoilt paper");
		goto out;
	}
	/* every receipt checks against the box and names a ballot that counts */
	for (size_t i = 0; i < ROWS; i++) {
		if ((st = tv_box_check_receipt(ctx, &counts, e.box, &s.receipts[i])) != TV_OK) {
			rc = example_fail(ctx, "checking a receipt", st);
			goto out;
		}
		if (counts != 1 || s.receipts[i].channel != TV_CHANNEL_POSTAL ||
		    s.receipts[i].position != i + 1) {
			rc = example_wrong("each row's receipt: postal, in file order, counting");
			goto out;
		}
	}

	/* the station lost power after the batch: it is simply run again */
	{
		tv_receipt first[ROWS];

		memcpy(first, s.receipts, sizeof(first));
		printf("batch postal-1.csv, run again:\n");
		if ((st = run_batch(&s, batch, "postal-1.csv", &sum, &problems)) != TV_OK) {
			rc = example_fail(ctx, "the batch again", st);
			goto out;
		}
		if (sum.cast != 0 || sum.already != ROWS ||
		    memcmp(first, s.receipts, sizeof(first)) != 0 ||
		    !s.already[0] || !s.already[ROWS - 1]) {
			rc = example_wrong("a batch run again casts nothing twice, same receipts");
			goto out;
		}
	}
	if ((st = tv_box_get_status(ctx, &status, e.box)) != TV_OK ||
	    status.ballots != ROWS || status.by_channel[2] != ROWS) {
		rc = example_wrong("three postal entries on the board");
		goto out;
	}
	printf("box: %llu postal entries on the board\n", (unsigned long long)status.by_channel[2]);
	rc = 0;
out:
	OPENSSL_cleanse(batch, sizeof(batch));
	OPENSSL_cleanse(typo, sizeof(typo));
	example_election_free(&e);
	tv_ctx_free(ctx);
	if (rc == 0)
		printf("intake station: all as expected\n");
	return rc;
}
