/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The count and the record (SPEC §17–§19): tally, trustee decrypt,
 * declare, export, verify. Files in the election folder:
 *   tally.json                    the encrypted totals (public)
 *   decryptions/trustee-I.json    each trustee's partial decryption
 *   result.json, declaration.txt  once declared
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static int simple_args(int argc, char **argv, const char **dir, bool *json,
                       void (*help)(FILE *))
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': *dir = optarg; break;
		case 'j': *json = true; break;
		case 'h': help(stdout); return -1;
		default: help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		help(stderr);
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* ------------------------------------------------------------------ tally */

void cli_tally_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote tally [-d DIR] [--json]\n"
	        "\n"
	        "After close: adds up, option by option, the encrypted votes of the ballots\n"
	        "that count (one per tenant, by the revote policy) and counts the spoilt\n"
	        "papers that count, by reason. Writes DIR/tally.json for the trustees, who\n"
	        "then each run 'tenantvote trustee decrypt'. No vote is decrypted here.\n"
	        "\n"
	        "  -d, --dir DIR   the election folder (default .)\n"
	        "  --json          print the figures as JSON\n"
	        "  -h, --help      this help\n");
}

static void progress(const char *what, uint64_t done, uint64_t total, void *payload);

int cli_tally(int argc, char **argv)
{
	const char *dir = ".";
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_tally *t = NULL;
	tv_tally_info info;
	uint64_t spoilt = 0;
	char path[4096], *text = NULL;
	tv_status st;
	int rc = simple_args(argc, argv, &dir, &json, cli_tally_help);

	if (rc != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	st = tv_box_tally_progress(ctx, &t, box, progress, NULL);
	cli_progress_end();
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "adding up the counted entries", st);
		goto out;
	}
	if ((st = tv_tally_to_json(ctx, &text, t)) != TV_OK) {
		rc = cli_lib_error(ctx, "writing the tally", st);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/tally.json", dir);
	if ((rc = cli_write_new(path, text, 0644)) != CLI_OK)
		goto out;
	tv_tally_get_info(&info, t);
	/* the words and figures of verify and the declaration: "board
	 * entries" every line on the board, "counted" the entries that count
	 * (ballots and spoilt papers), SPEC §17.1.3 */
	for (size_t i = 0; i < TV_SPOILT_REASONS; i++)
		spoilt += info.spoilt[i];
	if (json)
		cli_print_json(json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "tally", path, "entries",
		                         (json_int_t)info.entries, "counted",
		                         (json_int_t)(info.ballots + spoilt), "ballots",
		                         (json_int_t)info.ballots, "spoilt", (json_int_t)spoilt,
		                         "electorate", (json_int_t)info.electorate));
	else
		printf("Encrypted totals in %s: %llu board entries, %llu counted (%llu ballots and "
		       "%llu spoilt papers).\n"
		       "Next: each trustee runs tenantvote trustee decrypt --trustee I -d %s\n",
		       path, (unsigned long long)info.entries,
		       (unsigned long long)(info.ballots + spoilt), (unsigned long long)info.ballots,
		       (unsigned long long)spoilt, dir);
	rc = CLI_OK;
out:
	tv_free(ctx, text);
	tv_tally_free(t);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* every DIR/decryptions/trustee-*.json, read into @p list (free each) */
static size_t load_decryptions(const char *dir, char **list, size_t max)
{
	char path[4096];
	struct dirent *e;
	size_t n = 0, len;
	DIR *d;

	snprintf(path, sizeof(path), "%s/decryptions", dir);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < max) {
		/* exactly trustee-I.json: a backup or an editor's copy is not read */
		size_t digits = strspn(e->d_name + (strncmp(e->d_name, "trustee-", 8) == 0 ? 8 : 0),
		                       "0123456789");

		if (strncmp(e->d_name, "trustee-", 8) != 0 || digits == 0 || digits > 2 ||
		    strcmp(e->d_name + 8 + digits, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/decryptions/%s", dir, e->d_name);
		if ((list[n] = cli_read_file(path, &len, TV_TALLY_JSON_MAX)) != NULL)
			n++;
	}
	closedir(d);
	return n;
}

/* ---------------------------------------------------------------- declare */

void cli_declare_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote declare [-d DIR] [--json | --eml 510|520 [--welsh]]\n"
	        "\n"
	        "Checks every trustee's partial decryption in DIR/decryptions/ against the\n"
	        "election key (a bad one is named), combines any K of them into the totals,\n"
	        "applies the counting rule and prints the declaration in English and Welsh.\n"
	        "Writes DIR/result.json and DIR/declaration.txt.\n"
	        "\n"
	        "  --json          print result.json instead\n"
	        "  --eml 510|520   print the OASIS EML count (510) or result (520) instead\n"
	        "  --welsh         the EML message in Welsh (a bilingual election's Welsh texts)\n"
	        "  -d, --dir DIR   the election folder (default .)\n"
	        "  -h, --help      this help\n");
}

int cli_declare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "eml", required_argument, NULL, 'e' },
		{ "welsh", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".";
	bool json = false, welsh = false;
	int eml = 0, rc, opt;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_tally *t = NULL;
	tv_result *r = NULL;
	tv_election_key key;
	char *dec[TV_MAX_TRUSTEES] = { NULL }, *rj = NULL, *text = NULL, *x = NULL, path[4096];
	size_t n = 0;
	tv_status st;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'w': welsh = true; break;
		case 'e':
			eml = atoi(optarg);
			if (eml != 510 && eml != 520) {
				cli_error("--eml takes 510 (the count) or 520 (the result)");
				return CLI_USAGE;
			}
			break;
		case 'h': cli_declare_help(stdout); return CLI_OK;
		default: cli_declare_help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		cli_declare_help(stderr);
		return CLI_USAGE;
	}
	if (welsh && eml == 0) {
		cli_error("--welsh goes with --eml 510 or --eml 520");
		return CLI_USAGE;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK || (rc = cli_load_tally(ctx, &t, dir)) != CLI_OK)
		goto out;
	if ((st = tv_box_election_key(ctx, &key, box)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the election key", st);
		goto out;
	}
	n = load_decryptions(dir, dec, TV_MAX_TRUSTEES);
	if (n < key.threshold) {
		cli_error("%zu of the trustees' partial decryptions %s in %s/decryptions; %u are "
		          "needed. Each trustee runs: tenantvote trustee decrypt --trustee I -d %s",
		          n, n == 1 ? "is" : "are", dir, key.threshold, dir);
		rc = CLI_FAILED;
		goto out;
	}
	if ((st = tv_tally_combine(ctx, &r, NULL, t, tv_box_manifest(box), &key,
	                           (const char *const *)dec, n)) != TV_OK) {
		rc = cli_lib_error(ctx, "combining the trustees' decryptions", st);
		/* a trustee twice or of another election: the files are wrong */
		if (st == TV_ERR_INVALID_ARGUMENT)
			rc = CLI_FAILED;
		goto out;
	}
	if ((st = tv_result_to_json(ctx, &rj, NULL, r)) != TV_OK ||
	    (st = tv_result_declaration(ctx, &text, NULL, r)) != TV_OK ||
	    (eml != 0 && (st = tv_result_eml_lang(ctx, &x, NULL, r, (tv_eml_message)eml,
	                                            welsh ? "cy" : "en")) != TV_OK)) {
		rc = cli_lib_error(ctx, "writing the result", st);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/result.json", dir);
	unlink(path); /* declaring again gives the same figures */
	if ((rc = cli_write_new(path, rj, 0644)) != CLI_OK)
		goto out;
	snprintf(path, sizeof(path), "%s/declaration.txt", dir);
	unlink(path);
	if ((rc = cli_write_new(path, text, 0644)) != CLI_OK)
		goto out;
	fputs(eml ? x : json ? rj : text, stdout);
	rc = CLI_OK;
out:
	for (size_t i = 0; i < n; i++)
		free(dec[i]);
	tv_free(ctx, rj);
	tv_free(ctx, text);
	tv_free(ctx, x);
	tv_result_free(r);
	tv_tally_free(t);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ----------------------------------------------------------------- export */

static void progress(const char *what, uint64_t done, uint64_t total, void *payload)
{
	(void)payload;
	cli_progress(what, (unsigned long)done, (unsigned long)total);
}

void cli_export_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote export --record OUT [--for-trustees] [-d DIR] [--json]\n"
	        "\n"
	        "After 'tenantvote declare': writes the public record to the new folder OUT:\n"
	        "record.json, manifest.json, trustees.json, credentials.json, board.jsonl,\n"
	        "close.json, tally.json, result.json, declaration.txt. Nothing personal is\n"
	        "in it. Anyone can check it with 'tenantvote verify OUT'.\n"
	        "\n"
	        "With --for-trustees, after close and before the count: the record up to\n"
	        "the close only (no tally.json, result.json or declaration.txt). Each\n"
	        "trustee checks it and adds up its sums on their own machine before\n"
	        "decrypting them ('tenantvote trustee decrypt --record OUT').\n"
	        "\n"
	        "  --record OUT    the folder to create\n"
	        "  --for-trustees  the board up to the close, for the trustees\n"
	        "  -d, --dir DIR   the election folder (default .)\n"
	        "  --json          print what was written as JSON\n"
	        "  -h, --help      this help\n");
}

int cli_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "for-trustees", no_argument, NULL, 'T' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *record = NULL;
	bool for_trustees = false, json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_tally *t = NULL;
	tv_result *r = NULL;
	char *dec[TV_MAX_TRUSTEES] = { NULL }, *rj = NULL, path[4096];
	size_t n = 0, len;
	tv_status st;
	int rc, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r': record = optarg; break;
		case 'T': for_trustees = true; break;
		case 'j': json = true; break;
		case 'd': dir = optarg; break;
		case 'h': cli_export_help(stdout); return CLI_OK;
		default: cli_export_help(stderr); return CLI_USAGE;
		}
	}
	if (record == NULL || optind != argc) {
		cli_error("export needs --record OUT");
		return CLI_USAGE;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	if (for_trustees) {
		st = tv_box_export_record(ctx, box, record, NULL, NULL, 0, NULL, progress, NULL);
		cli_progress_end();
		if (st != TV_OK) {
			rc = cli_lib_error(ctx, "writing the board for the trustees", st);
			goto out;
		}
		if (json)
			cli_print_json(json_pack("{s:s, s:b}", "record", record, "for_trustees", 1));
		else
			printf("The board up to the close is in %s. Give it to each trustee, who runs:\n"
			       "  tenantvote trustee decrypt --trustee I --record %s\n", record, record);
		rc = CLI_OK;
		goto out;
	}
	if ((rc = cli_load_tally(ctx, &t, dir)) != CLI_OK)
		goto out;
	snprintf(path, sizeof(path), "%s/result.json", dir);
	if ((rj = cli_read_file(path, &len, 1u << 20)) == NULL) {
		cli_error("run 'tenantvote declare -d %s' first", dir);
		rc = CLI_FAILED;
		goto out;
	}
	if ((st = tv_result_from_json(ctx, &r, tv_box_manifest(box), rj, len)) != TV_OK) {
		rc = cli_lib_error(ctx, path, st);
		goto out;
	}
	n = load_decryptions(dir, dec, TV_MAX_TRUSTEES);
	st = tv_box_export_record(ctx, box, record, t, (const char *const *)dec, n, r, progress, NULL);
	cli_progress_end();
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "writing the record", st);
		goto out;
	}
	if (json) {
		tv_tally_info info;
		uint64_t counted;

		tv_tally_get_info(&info, t);
		counted = info.ballots;
		for (size_t i = 0; i < TV_SPOILT_REASONS; i++)
			counted += info.spoilt[i];
		cli_print_json(json_pack("{s:s, s:b, s:I, s:I}", "record", record, "for_trustees", 0,
		                         "entries", (json_int_t)info.entries, "counted",
		                         (json_int_t)counted));
	} else {
		printf("The public record is in %s. Check it with: tenantvote verify %s\n", record,
		       record);
	}
	rc = CLI_OK;
out:
	for (size_t i = 0; i < n; i++)
		free(dec[i]);
	free(rj);
	tv_result_free(r);
	tv_tally_free(t);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ----------------------------------------------------------------- verify */

void cli_verify_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote verify RECORD [--election-key K] [--threads N] [--json]\n"
	        "\n"
	        "Checks a public record from the record alone, every step numbered as in\n"
	        "SPEC §19: the manifest, the key ceremony, the credential list, every\n"
	        "entry's signature and proofs, the hash chain, the signed close, the sums\n"
	        "of the ballots that count, every trustee's decryption proof, the totals,\n"
	        "the counting rule and the declaration. Each failure is printed with its\n"
	        "check number and board position. Exit status 0 only if every check passes.\n"
	        "\n"
	        "The record alone cannot show whose key ceremony it holds: give the\n"
	        "election key the trustees announced (their 'trustee combine' prints it)\n"
	        "with --election-key, and the record must hold that one too.\n"
	        "\n"
	        "  --election-key K  the election key the trustees announced (hex)\n"
	        "  --threads N       threads checking ballots (default: one per core)\n"
	        "  --json            print the checks and failures as JSON\n"
	        "  -h, --help        this help\n");
}

/* failures listed in --json per check; the rest are counted: a board of a
 * million bad lines must not take memory a million times over */
#define JSON_FAILURES_PER_CHECK 100

typedef struct verify_out {
	bool json;
	json_t *checks;
	json_t *failures;
	uint64_t listed[TV_VERIFY_CHECKS + 1];
	uint64_t left_out;
	tv_point announced;   /* --election-key */
	int key_mismatch;     /* check 3 said the record holds another key */
	int check3_passed;
} verify_out;

static void on_check(const tv_verify_event *ev, void *payload)
{
	verify_out *o = payload;
	char msg[1024];

	if (ev->check == 3) {
		o->key_mismatch |= ev->status == TV_ERR_WRONG_ELECTION;
		o->check3_passed |= ev->status == TV_OK;
	}
	if (o->json) {
		if (ev->status == TV_OK)
			json_array_append_new(o->checks, json_pack("{s:i, s:s, s:b}", "check",
			                                           (int)ev->check, "name", ev->name,
			                                           "passed", 1));
		else if (ev->check <= TV_VERIFY_CHECKS &&
		         o->listed[ev->check]++ >= JSON_FAILURES_PER_CHECK)
			o->left_out++;
		else
			json_array_append_new(o->failures,
			                      json_pack("{s:i, s:s, s:I, s:s, s:s}", "check",
			                                (int)ev->check, "name", ev->name, "position",
			                                (json_int_t)ev->position, "status",
			                                tv_status_str(ev->status), "message",
			                                ev->message));
		return;
	}
	if (ev->status == TV_OK) {
		printf("  ok    %2u  %s\n", ev->check, ev->name);
		return;
	}
	snprintf(msg, sizeof(msg), "%s", ev->message);
	cli_safe_text(msg);
	if (ev->position != 0)
		printf("  FAIL  %2u  %s: position %llu: %s\n", ev->check, ev->name,
		       (unsigned long long)ev->position, msg);
	else
		printf("  FAIL  %2u  %s: %s\n", ev->check, ev->name, msg);
}

int cli_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "election-key", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *announced = NULL;
	int key_ok = -1; /* -1 not asked; 0 another key; 1 the announced one */
	verify_out o = { false, NULL, NULL, { 0 }, 0, { { 0 } }, 0, 0 };
	tv_verify_summary sum = { 0, 0, 0, 0, 0 };
	tv_record_close closing;
	char when[TV_TIME_FORMAT_BYTES], advertised[TV_TIME_FORMAT_BYTES];
	json_t *close_json = NULL;
	unsigned threads = 0;
	tv_ctx *ctx = NULL;
	tv_status st;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (cli_parse_threads(&threads, optarg) != 0)
				return CLI_USAGE;
			break;
		case 'k': announced = optarg; break;
		case 'j': o.json = true; break;
		case 'h': cli_verify_help(stdout); return CLI_OK;
		default: cli_verify_help(stderr); return CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_error("verify takes one record folder");
		return CLI_USAGE;
	}
	if (tv_ctx_new(&ctx, NULL) != TV_OK) {
		cli_error("out of memory");
		return CLI_ERROR;
	}
	o.checks = json_array();
	o.failures = json_array();
	if (!o.json)
		printf("Checking the record %s:\n", argv[optind]);
	if (announced != NULL) {
		tv_point want;

		if (tv_point_from_hex(ctx, &want, announced, strlen(announced)) != TV_OK) {
			cli_error("--election-key: not an election key (130 hex characters): %s",
			          tv_ctx_last_error(ctx));
			tv_ctx_free(ctx);
			json_decref(o.checks);
			json_decref(o.failures);
			return CLI_USAGE;
		}
		o.announced = want;
	}
	/* SPEC §16.3: whose ceremony the record holds, against the trustees'
	 * word, checked by check 3 in the one reading of the record */
	st = tv_record_verify_key(ctx, argv[optind], threads, on_check, &o, progress, NULL, &sum,
	                          announced != NULL ? &o.announced : NULL);
	cli_progress_end();
	if (announced != NULL)
		key_ok = o.key_mismatch ? 0 : o.check3_passed ? 1 : -1;
	/* SPEC §18.8: when and why voting closed, said once the record verifies */
	if (st == TV_OK && tv_record_read_close(ctx, &closing, argv[optind]) == TV_OK &&
	    closing.has_time) {
		if (tv_time_format(ctx, when, closing.closed) != TV_OK ||
		    tv_time_format(ctx, advertised, closing.advertised) != TV_OK)
			when[0] = advertised[0] = '\0';
		close_json = json_pack("{s:s, s:s, s:b, s:s}", "closed", when, "advertised",
		                       advertised, "early", closing.early, "reason", closing.reason);
	}
	if (o.json) {
		cli_print_json(json_pack("{s:o, s:s, s:b, s:i, s:i, s:I, s:I, s:o, s:o, s:I, s:o}",
		                         "close", close_json != NULL ? close_json : json_null(), "record",
		                         argv[optind], "valid", st == TV_OK, "passed", (int)sum.passed,
		                         "failed", (int)sum.failed, "entries", (json_int_t)sum.entries,
		                         "counted", (json_int_t)sum.counted, "checks", o.checks,
		                         "failures", o.failures, "failures_not_listed",
		                         (json_int_t)o.left_out, "announced_election_key",
		                         key_ok < 0 ? json_null() : json_boolean(key_ok)));
	} else {
		if (key_ok == 1)
			printf("  ok        the record's election key is the one the trustees announced\n");
		json_decref(o.checks);
		json_decref(o.failures);
		if (st == TV_OK && close_json != NULL && closing.early)
			printf("Voting was closed early on %s, before the advertised %s, because: %s\n",
			       when, advertised, closing.reason);
		json_decref(close_json);
		if (st == TV_OK)
			printf("The record verifies: all %u checks passed (%llu board entries, %llu "
			       "counted).\n", sum.passed, (unsigned long long)sum.entries,
			       (unsigned long long)sum.counted);
		else if (st == TV_ERR_PROOF_INVALID)
			printf("The record does NOT verify: %u of %d checks failed.\n", sum.failed,
			       TV_VERIFY_CHECKS);
	}
	if (st != TV_OK && st != TV_ERR_PROOF_INVALID)
		cli_lib_error(ctx, "checking the record", st);
	tv_ctx_free(ctx);
	return st == TV_OK ? CLI_OK : st == TV_ERR_PROOF_INVALID ? CLI_FAILED : CLI_ERROR;
}
