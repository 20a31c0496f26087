/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote demo: a whole demonstration ballot on what exists today.
 *   set-up:  init (bilingual manifest), register import (a made-up Welsh
 *            council register with joint tenants), credentials issue
 *            (letters file), the trustees' 3-of-5 key ceremony;
 *   voting:  each demo tenant's device reads the code from the letter,
 *            encrypts one 0/1 vote per option under the election key,
 *            proves each is 0 or 1 and that at most one is chosen, and
 *            signs with the credential; every ballot is checked against
 *            the box's credential list, and a tampered one is refused;
 *   count:   the encrypted votes are added up without decrypting any
 *            ballot, three of the five trustees decrypt only the totals,
 *            with proofs that are checked.
 * The ballot box board, receipts, the declaration and the public record's
 * verifier are not built yet; the demo says so.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "cli.h"

#define DEMO_MAX_TENANTS 100000
#define DEMO_OPTIONS 2
#define DEMO_TRUSTEES 5
#define DEMO_THRESHOLD 3


void cli_demo_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote demo [--tenants N] [--dir DIR] [--json]\n"
	        "\n"
	        "Runs a demonstration stock transfer ballot end to end and checks it:\n"
	        "a new election (English and Welsh), a made-up tenant register with\n"
	        "joint tenants, credential letters, the trustees' 3-of-5 key ceremony,\n"
	        "voting into the ballot box online, by post and by phone with signed\n"
	        "receipts, a revote, a challenged ballot and a refused replay, close,\n"
	        "and the decryption of the totals by three of the five trustees.\n"
	        "\n"
	        "  --tenants N   number of demo tenants (default 24, at most %d)\n"
	        "  --dir DIR     folder for the demo election (default: a new temporary\n"
	        "                folder, whose name is printed); it must not hold an\n"
	        "                election already\n"
	        "  --json        print the result as JSON instead of text\n"
	        "  -h, --help    this help\n",
	        DEMO_MAX_TENANTS);
}

/* --------------------------------------------------------------- set-up */

static const char *const first_names[] = {
	"Siân", "Gareth", "Rhiannon", "Dafydd", "Ffion", "Owain", "Mair", "Aled",
	"Ann", "John", "Bethan", "Iwan", "Nia", "Emyr", "Catrin", "Tomos",
};
static const char *const surnames[] = {
	"Ellis", "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes",
};
static const char *const streets[] = {
	"Heol y Bont", "Stryd Fawr", "Ffordd yr Eglwys", "Maes-y-Coed", "Lôn Las",
};

static int write_register(const char *path, unsigned long tenants)
{
	FILE *f = fopen(path, "w");
	unsigned long i, tenancy = 0;

	if (f == NULL) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	fputs("tenancy_ref,name,address,tenancy_type,language\n", f);
	for (i = 0; i < tenants; i++) {
		/* every third tenancy is joint: the next tenant shares it */
		bool joint_second = i > 0 && (tenancy % 3 == 0) && (i % 2 == 1);
		char address[160];

		if (!joint_second)
			tenancy++;
		snprintf(address, sizeof(address), "%lu %s, Llanfair", tenancy,
		         streets[tenancy % 5]);
		fprintf(f, "HT%05lu,%s %s,\"%s\",%s,%s\n", tenancy, first_names[i % 16],
		        surnames[(tenancy + i) % 8], address,
		        i % 7 == 6 ? "introductory" : "secure", i % 3 == 0 ? "cy" : "en");
	}
	if (fclose(f) != 0) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

typedef struct demo_letters {
	FILE *f;
	char (*codes)[TV_CREDENTIAL_TEXT_LEN + 1];
	unsigned long count, max;
} demo_letters;

static int demo_letter(const tv_tenant *t, const char *code, void *payload)
{
	demo_letters *l = payload;

	if (t == NULL)
		return fflush(l->f) == 0 && fsync(fileno(l->f)) == 0 ? 0 : -1;
	if (l->count >= l->max)
		return -1;
	/* the demo plays every tenant, so it keeps the codes it mails */
	snprintf(l->codes[l->count++], TV_CREDENTIAL_TEXT_LEN + 1, "%s", code);
	return csv_fwrite(l->f, t->tenancy_ref, strlen(t->tenancy_ref)) != 0 ||
	       fputc(',', l->f) == EOF || csv_fwrite(l->f, t->name, strlen(t->name)) != 0 ||
	       fprintf(l->f, ",%s\n", code) < 0;
}

/* ------------------------------------------------------------------ main */

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

static void print_result(FILE *f, unsigned long tenants, uint32_t blanks,
                         unsigned long rejected, const uint32_t *counts, const char *dir)
{
	json_t *opts = json_array();

	for (int o = 0; o < DEMO_OPTIONS; o++)
		json_array_append_new(opts, json_pack("{s:i, s:I}", "id", o + 1, "votes",
		                                      (json_int_t)counts[o]));
	json_t *v = json_pack("{s:I, s:I, s:I, s:I, s:o, s:i, s:i, s:s}", "tenants",
	                      (json_int_t)tenants, "ballots_verified", (json_int_t)tenants,
	                      "blank", (json_int_t)blanks, "replayed_ballots_refused",
	                      (json_int_t)rejected, "options", opts, "trustees", DEMO_TRUSTEES,
	                      "trustees_decrypting", DEMO_THRESHOLD, "dir", dir);

	if (f == stdout) {
		cli_print_json(v);
	} else {
		json_dumpf(v, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', f);
		json_decref(v);
	}
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
	unsigned long tenants = 24, i, rejected = 0;
	char *dir = NULL, *made_dir = NULL, path[4096];
	char *passphrases[DEMO_TRUSTEES] = { NULL };
	bool json = false, key_ready = false;
	tv_ctx *ctx = NULL;
	tv_manifest *m = NULL;
	tv_register *reg = NULL;
	tv_box *box = NULL;
	tv_trustee *trustees[DEMO_THRESHOLD] = { NULL };
	tv_election_key ekey;
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	demo_letters letters = { NULL, NULL, 0, 0 };
	tv_ballot **ballots = NULL, *revote = NULL;
	tv_receipt *receipts = NULL, revote_receipt;
	int *counted = NULL;
	tv_ed25519_secret_key box_key;
	unsigned long by_channel[3] = { 0 }, challenged = 0;
	uint64_t on_board = 0;
	tv_ciphertext totals[DEMO_OPTIONS];
	uint32_t counts[DEMO_OPTIONS] = { 0 }, expected[DEMO_OPTIONS] = { 0 }, blanks;
	uint8_t fingerprint[32];
	char *csv = NULL;
	size_t csv_len = 0;
	int rc = CLI_ERROR, opt, k;
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
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_demo_help(stdout); return CLI_OK;
		default: cli_demo_help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		cli_error("demo takes no argument '%s'; see 'tenantvote demo --help'", argv[optind]);
		return CLI_USAGE;
	}
	if (dir == NULL && (dir = made_dir = cli_make_temp_dir()) == NULL) {
		cli_error("cannot make a temporary folder: %s", strerror(errno));
		return CLI_ERROR;
	}
	if ((st = tv_ctx_new(&ctx, NULL)) != TV_OK) {
		cli_error("cannot start the library: %s", tv_status_str(st));
		goto out;
	}
	memset(&box_key, 0, sizeof(box_key));
	ballots = calloc(tenants, sizeof(*ballots));
	receipts = calloc(tenants, sizeof(*receipts));
	counted = calloc(tenants, sizeof(*counted));
	letters.codes = calloc(tenants, sizeof(*letters.codes));
	if (ballots == NULL || receipts == NULL || counted == NULL || letters.codes == NULL) {
		cli_error("not enough memory for %lu tenants", tenants);
		goto out;
	}
	letters.max = tenants;

	/* 1. the election */
	o.election_id = "llanfair-2027";
	o.council = "Cyngor Sir Enghraifft / Example County Council";
	o.landlord = "Cydfuddiannol Tai Llanfair / Llanfair Community Housing Mutual";
	o.title.en = "Housing stock transfer ballot";
	o.title.cy = "Pleidlais trosglwyddo stoc tai";
	o.question.en = "Do you support the transfer of your home to Llanfair Community Housing Mutual?";
	o.question.cy = "A ydych chi o blaid trosglwyddo eich cartref i Gydfuddiannol Tai Llanfair?";
	o.option_count = DEMO_OPTIONS;
	o.options[0].en = "Yes, I support the transfer";
	o.options[0].cy = "Ydw, rwy'n cefnogi'r trosglwyddo";
	o.options[1].en = "No, I do not support the transfer";
	o.options[1].cy = "Nac ydw, nid wyf yn cefnogi'r trosglwyddo";
	o.transfer_option = 1;
	o.allow_blank = 1;
	o.opens = 1803020400;  /* 2027-02-15T09:00:00Z */
	o.closes = 1804834800; /* 2027-03-08T07:00:00Z */
	o.trustees = DEMO_TRUSTEES;
	o.threshold = DEMO_THRESHOLD;
	if ((st = tv_manifest_new(ctx, &m, &o)) != TV_OK ||
	    (st = tv_box_create(ctx, &box, dir, m)) != TV_OK) {
		rc = cli_lib_error(ctx, "making the demo election", st);
		goto out;
	}
	tv_manifest_fingerprint(fingerprint, m);

	/* 2. the register */
	snprintf(path, sizeof(path), "%s/register.csv", dir);
	if (write_register(path, tenants) != 0 || (csv = cli_read_file(path, &csv_len, 64u << 20)) == NULL)
		goto out;
	if ((st = tv_register_parse(ctx, &reg, (const uint8_t *)csv, csv_len, path, NULL, NULL)) != TV_OK ||
	    (st = tv_box_import_register(ctx, box, reg, path)) != TV_OK) {
		rc = cli_lib_error(ctx, "importing the demo register", st);
		goto out;
	}

	/* 3. credentials and letters (owner-only file) */
	snprintf(path, sizeof(path), "%s/letters.csv", dir);
	{
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

		if (fd < 0 || (letters.f = fdopen(fd, "w")) == NULL) {
			cli_error("cannot make %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
	}
	fputs("tenancy_ref,name,code\n", letters.f);
	if ((st = tv_box_issue_credentials(ctx, box, demo_letter, &letters)) != TV_OK) {
		rc = cli_lib_error(ctx, "issuing the demo credentials", st);
		goto out;
	}

	/* 4. the key ceremony, with made-up passphrases kept in an owner-only file */
	snprintf(path, sizeof(path), "%s/demo-passphrases.txt", dir);
	{
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		FILE *pf = fd >= 0 ? fdopen(fd, "w") : NULL;

		if (pf == NULL) {
			cli_error("cannot make %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
		for (k = 0; k < DEMO_TRUSTEES; k++) {
			tv_credential_code c;
			tv_point unused;

			/* a random, typeable passphrase per trustee */
			if ((st = tv_credential_generate(ctx, &c, &unused, fingerprint)) != TV_OK ||
			    (passphrases[k] = strdup(c.text)) == NULL) {
				fclose(pf);
				rc = cli_lib_error(ctx, "making demo passphrases", st);
				goto out;
			}
			tv_credential_code_wipe(&c);
			fprintf(pf, "trustee %d: %s\n", k + 1, passphrases[k]);
		}
		fprintf(pf, "ballot box key (box-key.secret): the same as trustee 1's\n");
		fclose(pf);
	}
	if ((rc = cli_ceremony_run(ctx, box, dir, (const char *const *)passphrases, &key_ready)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if (!key_ready) {
		cli_error("the demo ceremony ended without an election key");
		goto out;
	}

	/* 5. open voting: the box's key, stored encrypted first */
	snprintf(path, sizeof(path), "%s/box-key.secret", dir);
	{
		tv_ed25519_public_key pk;

		if ((st = tv_box_election_key(ctx, &ekey, box)) != TV_OK ||
		    (st = tv_ed25519_keygen(ctx, &box_key, &pk)) != TV_OK ||
		    (st = tv_secretfile_write(ctx, path, box_key.bytes, sizeof(box_key.bytes),
		                              passphrases[0], strlen(passphrases[0]), NULL)) != TV_OK ||
		    (st = tv_box_open_voting(ctx, box, &box_key)) != TV_OK) {
			rc = cli_lib_error(ctx, "opening voting", st);
			goto out;
		}
	}

	/*
	 * 6. tenants vote through the box: online, by post and by phone; every
	 * fifth paper is blank; tenant 1 votes again later (the last counts);
	 * tenant 2's device prepares a ballot that the tenant challenges, then
	 * casts a fresh one. Each receipt is kept.
	 */
	for (i = 0; i < tenants; i++) {
		static const uint32_t channels[3] = { TV_CHANNEL_ONLINE, TV_CHANNEL_POSTAL,
		                                      TV_CHANNEL_PHONE };
		uint32_t choice = i % 5 == 4 ? TV_BALLOT_BLANK : (i % 3 == 2 ? 2 : 1);
		int64_t when = tv_manifest_opens(m) + 600 * (int64_t)i;

		cli_progress("tenants voting", i + 1, tenants);
		if (i == 1) {
			tv_ballot *opened = NULL;
			tv_ballot_secrets *sec = NULL;
			char *shown = NULL;
			uint32_t seen = 0;

			if ((st = tv_ballot_encrypt(ctx, &opened, &sec, m, &ekey.key, letters.codes[i],
			                            strlen(letters.codes[i]), choice)) != TV_OK ||
			    (st = tv_ballot_challenge(ctx, &shown, opened, sec)) != TV_OK ||
			    (st = tv_ballot_check_challenge(ctx, &seen, shown, strlen(shown), m,
			                                    &ekey.key)) != TV_OK ||
			    (st = tv_box_record_challenge(ctx, box, shown, strlen(shown))) != TV_OK) {
				tv_free(ctx, shown);
				tv_ballot_free(opened);
				rc = cli_lib_error(ctx, "a challenged ballot", st);
				goto out;
			}
			if (seen != choice || tv_box_cast(ctx, &receipts[i], box, opened, channels[i % 3],
			                                  &box_key, when) != TV_ERR_STATE) {
				cli_error("a challenged ballot was not handled as it must be: broken build");
				tv_free(ctx, shown);
				tv_ballot_free(opened);
				rc = CLI_FAILED;
				goto out;
			}
			challenged++;
			tv_free(ctx, shown);
			tv_ballot_free(opened);
		}
		if ((st = tv_ballot_encrypt(ctx, &ballots[i], NULL, m, &ekey.key, letters.codes[i],
		                            strlen(letters.codes[i]), choice)) != TV_OK ||
		    (st = tv_box_cast(ctx, &receipts[i], box, ballots[i], channels[i % 3], &box_key,
		                      when)) != TV_OK) {
			cli_progress_end();
			rc = cli_lib_error(ctx, "casting a demo ballot", st);
			goto out;
		}
		by_channel[i % 3]++;
	}
	cli_progress_end();
	/* tenant 1 changes their mind online; the box refuses a replay */
	{
		tv_receipt again;
		int64_t when = tv_manifest_opens(m) + 600 * (int64_t)tenants;

		if ((st = tv_ballot_encrypt(ctx, &revote, NULL, m, &ekey.key, letters.codes[0],
		                            strlen(letters.codes[0]), 2)) != TV_OK ||
		    (st = tv_box_cast(ctx, &revote_receipt, box, revote, TV_CHANNEL_ONLINE, &box_key,
		                      when)) != TV_OK) {
			rc = cli_lib_error(ctx, "a revote", st);
			goto out;
		}
		by_channel[0]++;
		if (tv_box_cast(ctx, &again, box, revote, TV_CHANNEL_ONLINE, &box_key, when + 1) !=
		    TV_ERR_REPLAY) {
			cli_error("a replayed ballot was accepted: this build is broken");
			rc = CLI_FAILED;
			goto out;
		}
		rejected++;
	}
	/* every receipt checks against the box; it says which ballot counts */
	for (i = 0; i < tenants; i++) {
		int counts_flag = 0;

		if ((st = tv_box_check_receipt(ctx, &counts_flag, box, &receipts[i])) != TV_OK) {
			rc = cli_lib_error(ctx, "checking a receipt", st);
			goto out;
		}
		counted[i] = counts_flag;
	}
	if ((st = tv_box_close_voting(ctx, &on_board, NULL, box, &box_key)) != TV_OK) {
		rc = cli_lib_error(ctx, "closing voting", st);
		goto out;
	}
	/* the totals: the homomorphic sum of the ballots that count */
	{
		bool first = true;

		for (i = 0; i <= tenants; i++) {
			const tv_ballot *b = i < tenants ? ballots[i] : revote;

			if (i < tenants && !counted[i])
				continue;
			for (k = 0; k < DEMO_OPTIONS; k++) {
				const tv_ciphertext *c = tv_ballot_ciphertext(b, (uint32_t)k + 1);

				if (first)
					totals[k] = *c;
				else if ((st = tv_ciphertext_add(ctx, &totals[k], &totals[k], c)) != TV_OK) {
					rc = cli_lib_error(ctx, "adding up the votes", st);
					goto out;
				}
			}
			first = false;
		}
		for (i = 0; i < tenants; i++) {
			uint32_t choice = i == 0 ? 2 : (i % 5 == 4 ? TV_BALLOT_BLANK : (i % 3 == 2 ? 2 : 1));

			if (choice != TV_BALLOT_BLANK)
				expected[choice - 1]++;
		}
	}

	/* 7. trustees 1, 3 and 5 decrypt the totals, never a ballot */
	{
		static const uint32_t who[DEMO_THRESHOLD] = { 1, 3, 5 };

		for (k = 0; k < DEMO_THRESHOLD; k++)
			if ((rc = cli_trustee_load(ctx, &trustees[k], dir, who[k],
			                           passphrases[who[k] - 1])) != CLI_OK)
				goto out;
		rc = CLI_ERROR;
		for (int opt_i = 0; opt_i < DEMO_OPTIONS; opt_i++) {
			tv_partial_decryption parts[DEMO_THRESHOLD];

			for (k = 0; k < DEMO_THRESHOLD; k++)
				if ((st = tv_partial_decrypt(ctx, &parts[k], trustees[k], &totals[opt_i],
				                             fingerprint)) != TV_OK) {
					rc = cli_lib_error(ctx, "a trustee's partial decryption", st);
					goto out;
				}
			if ((st = tv_decrypt_combine(ctx, &counts[opt_i], &totals[opt_i], parts,
			                             DEMO_THRESHOLD, &ekey, fingerprint,
			                             (uint32_t)tenants)) != TV_OK) {
				rc = cli_lib_error(ctx, "decrypting the totals", st);
				goto out;
			}
			if (counts[opt_i] != expected[opt_i]) {
				cli_error("option %d: decrypted total %u differs from the %u votes cast",
				          opt_i + 1, counts[opt_i], expected[opt_i]);
				rc = CLI_FAILED;
				goto out;
			}
		}
	}
	blanks = (uint32_t)tenants - counts[0] - counts[1];
	(void)on_board;

	snprintf(path, sizeof(path), "%s/demo-result.json", dir);
	{
		FILE *f = fopen(path, "w");

		if (f == NULL) {
			cli_error("cannot write %s: %s", path, strerror(errno));
			goto out;
		}
		print_result(f, tenants, blanks, rejected, counts, dir);
		if (fclose(f) != 0) {
			cli_error("cannot write %s: %s", path, strerror(errno));
			goto out;
		}
	}
	if (json) {
		print_result(stdout, tenants, blanks, rejected, counts, dir);
	} else {
		printf("tenantvote %s demonstration ballot\n", tv_version());
		printf("  Election folder: %s\n", dir);
		printf("  %s / %s\n", tv_manifest_title(m).en, tv_manifest_title(m).cy);
		printf("  %s\n  %s\n\n", tv_manifest_question(m).en, tv_manifest_question(m).cy);
		printf("  Set-up: register of %lu tenants loaded (register.csv), credential\n"
		       "  letters issued (letters.csv, owner-only), %d trustees made the\n"
		       "  election key so that any %d can decrypt (ceremony/, trustees/).\n\n",
		       tenants, DEMO_TRUSTEES, DEMO_THRESHOLD);
		printf("  Voting: %llu ballots on the hash-chained board (online %lu, postal %lu,\n"
		       "  phone %lu), each checked by the box and receipted once on disk;\n"
		       "  tenant 1 voted again (the last ballot counts); %lu ballot was\n"
		       "  challenged, opened and checked, and never cast; a replayed ballot\n"
		       "  was refused. Every receipt checks. Voting closed.\n\n",
		       (unsigned long long)on_board, by_channel[0], by_channel[1], by_channel[2],
		       challenged);
		for (k = 0; k < DEMO_OPTIONS; k++)
			printf("  %-50s %5u\n  %-50s\n", tv_manifest_option(m, (uint32_t)k + 1).en,
			       counts[k], tv_manifest_option(m, (uint32_t)k + 1).cy);
		printf("  %-50s %5u\n\n", "Blank / Papurau gwag", blanks);
		printf("  Trustees 1, 3 and 5 decrypted only the totals of the ballots that\n"
		       "  count, each with a proof that was checked; no ballot was decrypted.\n"
		       "  Not yet in this demo: intake, the declaration, the public record and\n"
		       "  its verifier (tenantvote intake, declare, export, verify).\n"
		       "  Result: %s/demo-result.json\n", dir);
	}
	rc = CLI_OK;
out:
	for (k = 0; k < DEMO_THRESHOLD; k++)
		tv_trustee_free(trustees[k]);
	for (k = 0; k < DEMO_TRUSTEES; k++)
		cli_passphrase_free_plain(passphrases[k]);
	if (letters.f != NULL)
		fclose(letters.f);
	if (letters.codes != NULL) {
		OPENSSL_cleanse(letters.codes, tenants * sizeof(*letters.codes));
		free(letters.codes);
	}
	if (ballots != NULL)
		for (i = 0; i < tenants; i++)
			tv_ballot_free(ballots[i]);
	tv_ballot_free(revote);
	free(ballots);
	free(receipts);
	free(counted);
	tv_ed25519_secret_wipe(&box_key);
	free(csv);
	free(made_dir);
	tv_register_free(reg);
	tv_box_free(box);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
	return rc;
}
