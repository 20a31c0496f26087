/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Example: what a tenant's voting device and an observer each do with the
 * library's cryptographic core, using only the public API.
 *
 * The device encrypts a vote of 1 for the chosen option and 0 for the
 * others, proves each is 0 or 1, proves the total is 1 (exactly one
 * choice), and signs with the tenant's credential key. The observer checks
 * all of it without learning the choice.
 *
 * Build against an installed library:
 *   cc vote_and_check.c $(pkg-config --cflags --libs tenantvote)
 */
#include <stdio.h>
#include <string.h>

#include <tenantvote/tenantvote.h>

#define OPTIONS 3

static int fail(tv_ctx *ctx, const char *doing, tv_status st)
{
	fprintf(stderr, "%s: %s: %s\n", doing, tv_status_str(st), tv_ctx_last_error(ctx));
	return 1;
}

int main(void)
{
	tv_ctx *ctx = NULL;
	tv_scalar election_secret, credential_secret, nonce[OPTIONS], total_nonce;
	tv_point election_key, credential;
	tv_ciphertext vote[OPTIONS], total;
	tv_bit_proof bit[OPTIONS];
	tv_range_proof one_choice;
	tv_schnorr_signature signature;
	uint8_t context[32 + TV_POINT_BYTES];
	const int choice = 2; /* "the community housing mutual" */
	tv_status st;
	int i, rc = 1;

	if ((st = tv_ctx_new(&ctx, NULL)) != TV_OK) {
		fprintf(stderr, "tv_ctx_new: %s\n", tv_status_str(st));
		return 1;
	}
	/* stand-ins for what the key ceremony and credential issue produce */
	if ((st = tv_scalar_random(ctx, &election_secret)) != TV_OK ||
	    (st = tv_point_base_mul(ctx, &election_key, &election_secret)) != TV_OK ||
	    (st = tv_scalar_random(ctx, &credential_secret)) != TV_OK ||
	    (st = tv_point_base_mul(ctx, &credential, &credential_secret)) != TV_OK) {
		rc = fail(ctx, "keys", st);
		goto out;
	}
	/* proofs bind the election (a fingerprint) and the credential */
	memset(context, 0x42, 32);
	memcpy(context + 32, credential.bytes, TV_POINT_BYTES);

	/* --- the tenant's device --- */
	for (i = 0; i < OPTIONS; i++) {
		uint32_t v = i == choice;

		if ((st = tv_elgamal_encrypt(ctx, &vote[i], &nonce[i], &election_key, v)) != TV_OK ||
		    (st = tv_bit_prove(ctx, &bit[i], &vote[i], &election_key, v, &nonce[i],
		                       context, sizeof(context))) != TV_OK) {
			rc = fail(ctx, "encrypting a vote", st);
			goto out;
		}
	}
	total = vote[0];
	total_nonce = nonce[0];
	for (i = 1; i < OPTIONS; i++)
		if ((st = tv_ciphertext_add(ctx, &total, &total, &vote[i])) != TV_OK ||
		    (st = tv_scalar_add(ctx, &total_nonce, &total_nonce, &nonce[i])) != TV_OK) {
			rc = fail(ctx, "adding", st);
			goto out;
		}
	if ((st = tv_range_prove(ctx, &one_choice, &total, &election_key, 1, 1, 1,
	                         &total_nonce, context, sizeof(context))) != TV_OK ||
	    (st = tv_schnorr_sign(ctx, &signature, &credential_secret, (const uint8_t *)vote,
	                          sizeof(vote))) != TV_OK) {
		rc = fail(ctx, "proving", st);
		goto out;
	}

	/* --- an observer, with public data only --- */
	if ((st = tv_schnorr_signature_verify(ctx, &signature, &credential,
	                                      (const uint8_t *)vote, sizeof(vote))) != TV_OK) {
		rc = fail(ctx, "signature", st);
		goto out;
	}
	total = vote[0];
	for (i = 0; i < OPTIONS; i++) {
		if ((st = tv_bit_verify(ctx, &bit[i], &vote[i], &election_key, context,
		                        sizeof(context))) != TV_OK) {
			rc = fail(ctx, "0/1 proof", st);
			goto out;
		}
		if (i > 0 && (st = tv_ciphertext_add(ctx, &total, &total, &vote[i])) != TV_OK) {
			rc = fail(ctx, "adding", st);
			goto out;
		}
	}
	if ((st = tv_range_verify(ctx, &one_choice, &total, &election_key, 1, 1, context,
	                          sizeof(context))) != TV_OK) {
		rc = fail(ctx, "one-choice proof", st);
		goto out;
	}
	printf("ballot of %d encrypted options: signature and all proofs verified\n", OPTIONS);
	rc = 0;
out:
	tv_scalar_wipe(&election_secret);
	tv_scalar_wipe(&credential_secret);
	tv_scalar_wipe(&total_nonce);
	for (i = 0; i < OPTIONS; i++)
		tv_scalar_wipe(&nonce[i]);
	tv_ctx_free(ctx);
	return rc;
}
