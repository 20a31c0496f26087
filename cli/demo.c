/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote demo: a demonstration ballot on what the library can do today,
 * the cryptographic core. Each tenant's device encrypts one 0/1 vote per
 * option, proves each is 0 or 1 and that at most one option is chosen, and
 * signs with the tenant's credential key; every ballot is then verified,
 * the encrypted votes are added up without decrypting any ballot, and only
 * the totals are decrypted.
 *
 * Until the key ceremony exists the election key is one key pair made
 * here; the demo says so in what it prints.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "cli.h"

#define DEMO_OPTIONS 2
#define DEMO_MAX_TENANTS 100000

typedef struct demo_ballot {
	tv_point credential;
	tv_ciphertext vote[DEMO_OPTIONS];
	tv_bit_proof bit[DEMO_OPTIONS];
	tv_range_proof total; /* at most one choice: 0 (blank) or 1 */
	tv_schnorr_signature signature;
} demo_ballot;

static const char *const option_en[DEMO_OPTIONS] = {
	"Yes - transfer to the community housing mutual",
	"No - stay with the council",
};
static const char *const option_cy[DEMO_OPTIONS] = {
	"Ydw - trosglwyddo i'r gydfuddiannol tai cymunedol",
	"Nac ydw - aros gyda'r cyngor",
};

void cli_demo_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote demo [--tenants N] [--dir DIR] [--json]\n"
	        "\n"
	        "Runs a demonstration stock transfer ballot end to end and checks it.\n"
	        "Today this shows the cryptographic core: each demo tenant's ballot is\n"
	        "encrypted, proven and signed, every ballot is verified, the votes are\n"
	        "added up while still encrypted, and only the totals are decrypted.\n"
	        "\n"
	        "  --tenants N   number of demo tenants (default 12, at most %d)\n"
	        "  --dir DIR     folder for the demo's files (default: a new temporary\n"
	        "                folder, whose name is printed)\n"
	        "  --json        print the result as JSON instead of text\n"
	        "  -h, --help    this help\n",
	        DEMO_MAX_TENANTS);
}

/* the election context every proof binds to: a fingerprint, then the credential */
static void ballot_context(uint8_t out[32 + TV_POINT_BYTES], const uint8_t fingerprint[32],
                           const tv_point *credential)
{
	memcpy(out, fingerprint, 32);
	memcpy(out + 32, credential->bytes, TV_POINT_BYTES);
}

/* the signed message: SHA-256 over the ciphertexts (a stand-in for SPEC's ballot digest) */
static int ballot_digest(uint8_t out[32], const demo_ballot *b)
{
	unsigned int len = 0;

	return EVP_Digest(b->vote, sizeof(b->vote), out, &len, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

static tv_status cast(tv_ctx *ctx, demo_ballot *b, const tv_point *key,
                      const uint8_t fingerprint[32], int choice)
{
	uint8_t context[32 + TV_POINT_BYTES], digest[32];
	tv_scalar credential_secret, nonce[DEMO_OPTIONS] = { { { 0 } } }, total_nonce;
	tv_ciphertext total;
	tv_status st;
	int i;

	if ((st = tv_scalar_random(ctx, &credential_secret)) != TV_OK ||
	    (st = tv_point_base_mul(ctx, &b->credential, &credential_secret)) != TV_OK)
		goto out;
	ballot_context(context, fingerprint, &b->credential);
	for (i = 0; i < DEMO_OPTIONS; i++) {
		uint32_t v = i == choice ? 1 : 0;

		if ((st = tv_elgamal_encrypt(ctx, &b->vote[i], &nonce[i], key, v)) != TV_OK ||
		    (st = tv_bit_prove(ctx, &b->bit[i], &b->vote[i], key, v, &nonce[i],
		                       context, sizeof(context))) != TV_OK)
			goto out;
	}
	/* the total's nonce is the sum of the option nonces */
	total_nonce = nonce[0];
	for (i = 1; i < DEMO_OPTIONS; i++)
		if ((st = tv_scalar_add(ctx, &total_nonce, &total_nonce, &nonce[i])) != TV_OK)
			goto out;
	total = b->vote[0];
	for (i = 1; i < DEMO_OPTIONS; i++)
		if ((st = tv_ciphertext_add(ctx, &total, &total, &b->vote[i])) != TV_OK)
			goto out;
	if ((st = tv_range_prove(ctx, &b->total, &total, key, 0, 1, choice >= 0 ? 1 : 0,
	                         &total_nonce, context, sizeof(context))) != TV_OK)
		goto out;
	if (ballot_digest(digest, b) != 0) {
		st = TV_ERR_INTERNAL;
		goto out;
	}
	st = tv_schnorr_sign(ctx, &b->signature, &credential_secret, digest, sizeof(digest));
out:
	tv_scalar_wipe(&credential_secret);
	tv_scalar_wipe(&total_nonce);
	for (i = 0; i < DEMO_OPTIONS; i++)
		tv_scalar_wipe(&nonce[i]);
	return st;
}

static tv_status check(tv_ctx *ctx, const demo_ballot *b, const tv_point *key,
                       const uint8_t fingerprint[32])
{
	uint8_t context[32 + TV_POINT_BYTES], digest[32];
	tv_ciphertext total;
	tv_status st;
	int i;

	ballot_context(context, fingerprint, &b->credential);
	if (ballot_digest(digest, b) != 0)
		return TV_ERR_INTERNAL;
	if ((st = tv_schnorr_signature_verify(ctx, &b->signature, &b->credential, digest,
	                                      sizeof(digest))) != TV_OK)
		return st;
	total = b->vote[0];
	for (i = 0; i < DEMO_OPTIONS; i++) {
		if ((st = tv_bit_verify(ctx, &b->bit[i], &b->vote[i], key, context,
		                        sizeof(context))) != TV_OK)
			return st;
		if (i > 0 && (st = tv_ciphertext_add(ctx, &total, &total, &b->vote[i])) != TV_OK)
			return st;
	}
	return tv_range_verify(ctx, &b->total, &total, key, 0, 1, context, sizeof(context));
}

static void print_result(FILE *f, unsigned long tenants, uint32_t blanks,
                         unsigned long rejected, const uint32_t *counts)
{
	int o;

	fprintf(f, "{\"tenants\": %lu, \"ballots_verified\": %lu, \"blank\": %u, "
	        "\"tampered_ballots_rejected\": %lu, \"options\": [",
	        tenants, tenants, blanks, rejected);
	for (o = 0; o < DEMO_OPTIONS; o++)
		fprintf(f, "%s{\"id\": %d, \"votes\": %u}", o ? ", " : "", o + 1, counts[o]);
	fprintf(f, "]}\n");
}

/* the result goes into the demo folder, and to stdout with --json */
static int write_result(const char *dir, unsigned long tenants, uint32_t blanks,
                        unsigned long rejected, const uint32_t *counts, bool json)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/demo-result.json", dir);
	f = fopen(path, "w");
	if (f == NULL) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	print_result(f, tenants, blanks, rejected, counts);
	if (fclose(f) != 0) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	if (json)
		print_result(stdout, tenants, blanks, rejected, counts);
	return 0;
}

static int parse_count(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || s[0] == '-' || v == 0 || v > DEMO_MAX_TENANTS)
		return -1;
	*out = v;
	return 0;
}

int cli_demo(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tenants", required_argument, NULL, 't' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long tenants = 12, i, rejected = 0;
	char *dir = NULL, *made_dir = NULL;
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_scalar election_secret;
	tv_point election_key;
	uint8_t fingerprint[32];
	demo_ballot *ballots = NULL;
	tv_ciphertext totals[DEMO_OPTIONS];
	uint32_t counts[DEMO_OPTIONS], blanks = 0, expected[DEMO_OPTIONS] = { 0 };
	int rc = CLI_ERROR, opt, o;
	tv_status st;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (parse_count(optarg, &tenants) != 0) {
				cli_error("--tenants takes a whole number from 1 to %d, not '%s'",
				          DEMO_MAX_TENANTS, optarg);
				return CLI_USAGE;
			}
			break;
		case 'd':
			dir = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			cli_demo_help(stdout);
			return CLI_OK;
		default:
			cli_demo_help(stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		cli_error("demo takes no argument '%s'; see 'tenantvote demo --help'", argv[optind]);
		return CLI_USAGE;
	}
	if (dir == NULL) {
		dir = made_dir = cli_make_temp_dir();
		if (dir == NULL) {
			cli_error("cannot make a temporary folder: %s", strerror(errno));
			return CLI_ERROR;
		}
	} else if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		cli_error("cannot make the folder %s: %s", dir, strerror(errno));
		return CLI_ERROR;
	}

	if ((st = tv_ctx_new(&ctx, NULL)) != TV_OK) {
		cli_error("cannot start the library: %s", tv_status_str(st));
		goto out;
	}
	ballots = calloc(tenants, sizeof(*ballots));
	if (ballots == NULL) {
		cli_error("not enough memory for %lu ballots", tenants);
		goto out;
	}
	if ((st = tv_scalar_random(ctx, &election_secret)) != TV_OK ||
	    (st = tv_point_base_mul(ctx, &election_key, &election_secret)) != TV_OK) {
		rc = cli_lib_error(ctx, "making the demo election key", st);
		goto out;
	}
	{
		/* a stand-in fingerprint: the key ceremony will fix the real one */
		unsigned int len = 0;

		EVP_Digest(election_key.bytes, sizeof(election_key.bytes), fingerprint, &len,
		           EVP_sha256(), NULL);
	}

	/* tenants vote: most choose an option, every fifth leaves the paper blank */
	for (i = 0; i < tenants; i++) {
		int choice = i % 5 == 4 ? -1 : (i % 3 == 2 ? 1 : 0);

		if (choice >= 0)
			expected[choice]++;
		cli_progress("encrypting and proving ballots", i + 1, tenants);
		if ((st = cast(ctx, &ballots[i], &election_key, fingerprint, choice)) != TV_OK) {
			cli_progress_end();
			rc = cli_lib_error(ctx, "building a demo ballot", st);
			goto out;
		}
	}
	cli_progress_end();

	/* anyone can check every ballot, and the totals are sums of ballots */
	for (i = 0; i < tenants; i++) {
		cli_progress("verifying ballots", i + 1, tenants);
		st = check(ctx, &ballots[i], &election_key, fingerprint);
		if (st != TV_OK) {
			cli_progress_end();
			rc = cli_lib_error(ctx, "verifying a demo ballot", st);
			goto out;
		}
		for (o = 0; o < DEMO_OPTIONS; o++) {
			if (i == 0)
				totals[o] = ballots[i].vote[o];
			else if ((st = tv_ciphertext_add(ctx, &totals[o], &totals[o],
			                                 &ballots[i].vote[o])) != TV_OK) {
				cli_progress_end();
				rc = cli_lib_error(ctx, "adding up the votes", st);
				goto out;
			}
		}
	}
	cli_progress_end();

	/* a tampered ballot must be caught */
	{
		demo_ballot forged = ballots[0];

		forged.vote[0] = ballots[tenants > 1 ? 1 : 0].vote[1];
		if (check(ctx, &forged, &election_key, fingerprint) == TV_OK) {
			cli_error("a tampered ballot passed verification: this build is broken");
			rc = CLI_FAILED;
			goto out;
		}
		rejected++;
	}

	for (o = 0; o < DEMO_OPTIONS; o++) {
		if ((st = tv_elgamal_decrypt(ctx, &counts[o], &totals[o], &election_secret,
		                             (uint32_t)tenants)) != TV_OK) {
			rc = cli_lib_error(ctx, "decrypting the totals", st);
			goto out;
		}
		if (counts[o] != expected[o]) {
			cli_error("option %d: decrypted total %u differs from the %u votes cast",
			          o + 1, counts[o], expected[o]);
			rc = CLI_FAILED;
			goto out;
		}
	}
	blanks = (uint32_t)tenants - counts[0] - counts[1];

	if (write_result(dir, tenants, blanks, rejected, counts, json) != 0)
		goto out;
	if (!json) {
		printf("tenantvote %s demonstration ballot (cryptographic core)\n", tv_version());
		printf("  folder: %s\n", dir);
		printf("  The election key below is one demo key; the trustees' k-of-n key\n"
		       "  ceremony, the ballot box and the public record come later.\n\n");
		printf("  Question: Do you support the transfer of your home to the community\n"
		       "            housing mutual? / A ydych chi o blaid trosglwyddo eich cartref?\n");
		printf("  %lu tenants voted; %lu ballots verified (signature, 0/1 proofs,\n"
		       "  at-most-one-choice proof); a tampered ballot was rejected.\n\n",
		       tenants, tenants);
		for (o = 0; o < DEMO_OPTIONS; o++)
			printf("  %-50s %u\n  %-50s\n", option_en[o], counts[o], option_cy[o]);
		printf("  %-50s %u\n\n", "Blank / Papurau gwag", blanks);
		printf("  The totals were decrypted from the sum of the encrypted votes;\n"
		       "  no single ballot was decrypted. Result: %s/demo-result.json\n", dir);
	}
	rc = CLI_OK;
out:
	tv_scalar_wipe(&election_secret);
	free(ballots);
	free(made_dir);
	tv_ctx_free(ctx);
	return rc;
}
