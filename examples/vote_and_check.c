/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Example: casting from a tenant's voting device, and checking the receipt.
 *
 * The device knows the manifest and the election key (both public) and is
 * given the tenant's credential code and choice. It encrypts the choice
 * into a ballot with every proof; the tenant may challenge it (Benaloh:
 * the device opens it so anyone can see it held the choice shown, and that
 * ballot is never cast), then casts a fresh one. The ballot box checks the
 * ballot, appends it to the board, makes it durable and signs a receipt.
 * The device checks the receipt's signature with the box's public key and
 * the tenant can later check it against the box or the public record.
 *
 * The set-up (election-setup.c) plays the returning officer, so this runs
 * on its own. Exits non-zero if anything is not as it must be.
 *
 * Build against an installed library:
 *   cc vote_and_check.c election-setup.c $(pkg-config --cflags --libs tenantvote libcrypto)
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "election-setup.h"

/* --- on the tenant's device ------------------------------------------- */

/* Prepare a ballot, show its tracking code, and let the tenant challenge
 * it: the device opens it, a second device (or anyone) checks the opening,
 * and it goes on the board as an opened ballot, never counted. */
static int challenge_once(example_election *e, const tv_ed25519_secret_key *box_key,
                          const char *code, uint32_t choice)
{
	tv_ctx *ctx = e->ctx;
	tv_ballot *ballot = NULL;
	tv_ballot_secrets *secrets = NULL;
	char tracking[TV_TRACKING_TEXT_LEN + 1], *opened = NULL;
	uint32_t shown = 0;
	tv_receipt receipt, refused;
	tv_status st;
	int rc = 1;

	if ((st = tv_ballot_prepare(ctx, &ballot, &secrets, e->manifest, &e->key.key, code,
	                            strlen(code), choice)) != TV_OK)
		return example_fail(ctx, "preparing a ballot", st);
	tv_ballot_tracking_text(tracking, ballot);
	printf("device: ballot %s prepared; the tenant challenges it\n", tracking);
	/* tv_ballot_challenge() wipes and frees the secrets, whatever happens */
	st = tv_ballot_challenge(ctx, &opened, ballot, secrets);
	if (st != TV_OK) {
		rc = example_fail(ctx, "opening the ballot", st);
		goto out;
	}
	if ((st = tv_ballot_check_challenge(ctx, &shown, opened, strlen(opened), e->manifest,
	                                    &e->key.key)) != TV_OK) {
		rc = example_fail(ctx, "checking the opened ballot", st);
		goto out;
	}
	if (shown != choice) {
		rc = example_wrong("the opened ballot holds the choice the device showed");
		goto out;
	}
	printf("checker: ballot %s opens to option %u, as the device showed\n", tracking, shown);
	if ((st = tv_box_challenge(ctx, &receipt, e->box, opened, strlen(opened),
	                           TV_CHANNEL_ONLINE, box_key, (int64_t)time(NULL))) != TV_OK) {
		rc = example_fail(ctx, "publishing the opened ballot", st);
		goto out;
	}
	printf("box: the opened ballot is on the board at position %llu, never counted\n",
	       (unsigned long long)receipt.position);
	/* a challenged ballot can never be cast */
	if (tv_ballot_sign(ctx, ballot, code, strlen(code)) != TV_ERR_STATE ||
	    tv_box_cast(ctx, &refused, e->box, ballot, TV_CHANNEL_ONLINE, box_key,
	                (int64_t)time(NULL)) == TV_OK) {
		rc = example_wrong("a challenged ballot is refused");
		goto out;
	}
	rc = 0;
out:
	tv_free(ctx, opened);
	tv_ballot_free(ballot);
	return rc;
}

/* --- on the box's server ---------------------------------------------- */

/* Cast @p ballot (JSON as the device sent it) and check the receipt. */
static int cast_and_check(example_election *e, const tv_ed25519_secret_key *box_key,
                          const char *ballot_json, tv_receipt *receipt)
{
	tv_ctx *ctx = e->ctx;
	tv_ballot *ballot = NULL;
	tv_ed25519_public_key box_public;
	tv_receipt again, forged;
	char *receipt_json = NULL;
	int counts = -1, rc = 1;
	tv_status st;

	/* the server reads the ballot as untrusted input; tv_box_cast() checks
	 * its signature and every proof */
	if ((st = tv_ballot_from_json(ctx, &ballot, ballot_json, strlen(ballot_json))) != TV_OK)
		return example_fail(ctx, "reading the ballot", st);
	if ((st = tv_box_cast(ctx, receipt, e->box, ballot, TV_CHANNEL_ONLINE, box_key,
	                      (int64_t)time(NULL))) != TV_OK) {
		rc = example_fail(ctx, "casting", st);
		goto out;
	}
	/* the same ballot again is a replay */
	if ((st = tv_box_cast(ctx, &again, e->box, ballot, TV_CHANNEL_ONLINE, box_key,
	                      (int64_t)time(NULL))) != TV_ERR_REPLAY) {
		rc = example_wrong("a replayed ballot is refused with TV_ERR_REPLAY");
		goto out;
	}
	printf("box: replay refused: %s\n", tv_ctx_last_error(ctx));
	if ((st = tv_receipt_to_json(ctx, &receipt_json, receipt)) != TV_OK) {
		rc = example_fail(ctx, "the receipt's JSON", st);
		goto out;
	}
	printf("box: receipt %s\n", receipt_json);

	/* the device: the receipt is signed by the box's key (its public half
	 * is published, e.g. in the record's record.json) */
	if ((st = tv_ed25519_public_from_secret(ctx, &box_public, box_key)) != TV_OK ||
	    (st = tv_receipt_from_json(ctx, &again, receipt_json, strlen(receipt_json))) != TV_OK ||
	    (st = tv_receipt_verify(ctx, &again, &box_public)) != TV_OK) {
		rc = example_fail(ctx, "checking the receipt's signature", st);
		goto out;
	}
	/* the tenant, later: the ballot is on the board as the receipt says
	 * and is the one that counts */
	if ((st = tv_box_check_receipt(ctx, &counts, e->box, &again)) != TV_OK) {
		rc = example_fail(ctx, "checking the receipt against the box", st);
		goto out;
	}
	if (counts != 1) {
		rc = example_wrong("the cast ballot counts");
		goto out;
	}
	/* a receipt changed by one field no longer checks */
	forged = again;
	forged.position += 1;
	if (tv_box_check_receipt(ctx, &counts, e->box, &forged) == TV_OK ||
	    tv_receipt_verify(ctx, &forged, &box_public) != TV_ERR_SIGNATURE_INVALID) {
		rc = example_wrong("a changed receipt is refused");
		goto out;
	}
	printf("device: the receipt's signature checks, and the box holds the ballot at "
	       "position %llu, the one that counts\n", (unsigned long long)again.position);
	rc = 0;
out:
	tv_free(ctx, receipt_json);
	tv_ballot_free(ballot);
	return rc;
}

int main(void)
{
	example_election e;
	tv_ctx *ctx = NULL;
	tv_ed25519_secret_key box_key;
	tv_ballot *ballot = NULL;
	tv_receipt receipt;
	tv_box_status status;
	char tracking[TV_TRACKING_TEXT_LEN + 1], *json = NULL;
	uint8_t t[32];
	tv_status st;
	int rc = 1;

	memset(&box_key, 0, sizeof(box_key));
	if ((st = tv_ctx_new(&ctx, NULL)) != TV_OK) {
		fprintf(stderr, "tv_ctx_new: %s\n", tv_status_str(st));
		return 1;
	}
	if (example_election_make(&e, ctx) != 0 || example_load_box_key(&e, &box_key) != 0)
		goto out;

	/* tenant 1 challenges a ballot, then casts a fresh one */
	if (challenge_once(&e, &box_key, e.codes[0], 2) != 0)
		goto out;
	if ((st = tv_ballot_prepare(ctx, &ballot, NULL, e.manifest, &e.key.key, e.codes[0],
	                            strlen(e.codes[0]), 2)) != TV_OK ||
	    (st = tv_ballot_sign(ctx, ballot, e.codes[0], strlen(e.codes[0]))) != TV_OK ||
	    (st = tv_ballot_to_json(ctx, &json, NULL, ballot)) != TV_OK) {
		rc = example_fail(ctx, "the device's ballot", st);
		goto out;
	}
	tv_ballot_tracking_text(tracking, ballot);
	printf("device: ballot %s cast for option 2\n", tracking);
	if (cast_and_check(&e, &box_key, json, &receipt) != 0)
		goto out;
	tv_receipt_tracking(t, &receipt);
	if (memcmp(t, receipt.tracking, 32) != 0) {
		rc = example_wrong("the receipt names the ballot");
		goto out;
	}
	tv_free(ctx, json);
	json = NULL;
	tv_ballot_free(ballot);

	/* tenant 2's device casts in one call, never to challenge */
	if ((st = tv_ballot_encrypt(ctx, &ballot, NULL, e.manifest, &e.key.key, e.codes[1],
	                            strlen(e.codes[1]), TV_BALLOT_BLANK)) != TV_OK ||
	    (st = tv_ballot_to_json(ctx, &json, NULL, ballot)) != TV_OK) {
		rc = example_fail(ctx, "the second device's ballot", st);
		goto out;
	}
	if (cast_and_check(&e, &box_key, json, &receipt) != 0)
		goto out;
	/* a mistyped code is caught on the device, before anything is sent */
	{
		char typo[TV_CREDENTIAL_TEXT_LEN + 1];
		tv_ballot *bad = NULL;

		snprintf(typo, sizeof(typo), "%s", e.codes[2]);
		typo[0] = typo[0] == 'A' ? 'B' : 'A';
		st = tv_ballot_encrypt(ctx, &bad, NULL, e.manifest, &e.key.key, typo, strlen(typo), 1);
		tv_ballot_free(bad);
		if (st != TV_ERR_CREDENTIAL_INVALID) {
			rc = example_wrong("a mistyped code is refused with TV_ERR_CREDENTIAL_INVALID");
			goto out;
		}
		printf("device: a mistyped code refused: %s\n", tv_ctx_last_error(ctx));
	}

	/* the box: two ballots cast (the opened one is on the board too, but
	 * is not a ballot), by two tenants, online */
	if ((st = tv_box_get_status(ctx, &status, e.box)) != TV_OK) {
		rc = example_fail(ctx, "the box's status", st);
		goto out;
	}
	if (status.ballots != 2 || status.voters != 2 || status.by_channel[0] != 2) {
		fprintf(stderr, "board: %llu entries, %llu voters\n",
		        (unsigned long long)status.ballots, (unsigned long long)status.voters);
		rc = example_wrong("two ballots on the board, by two tenants");
		goto out;
	}
	printf("box: %llu ballots on the board, %llu tenants voted\n",
	       (unsigned long long)status.ballots, (unsigned long long)status.voters);
	rc = 0;
out:
	tv_ed25519_secret_wipe(&box_key);
	tv_free(ctx, json);
	tv_ballot_free(ballot);
	example_election_free(&e);
	tv_ctx_free(ctx);
	if (rc == 0)
		printf("vote and check: all as expected\n");
	return rc;
}
