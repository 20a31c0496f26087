/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Keeping a ballot box: log (the audit log, SPEC §14.2) and backup (a
 * consistent, checked copy while voting goes on, SPEC §14.5).
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* --------------------------------------------------------------------- log */

void cli_log_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote log [-d DIR] [--since TIME] [--until TIME] [--action NAME]\n"
	        "                      [--json]\n"
	        "\n"
	        "Prints the ballot box's audit log, one event a line, oldest first: who\n"
	        "did what when (the election made, the register imported, credentials\n"
	        "issued, the key ceremony, voting opened and closed with any reason given,\n"
	        "each marked register export and its purpose). It never says how anyone\n"
	        "voted: ballots are on the board, not in the log. Times are UTC, as in\n"
	        "every other output of tenantvote. Reading the log changes nothing.\n"
	        "\n"
	        "  --since TIME    only events at or after TIME (YYYY-MM-DDTHH:MM:SSZ)\n"
	        "  --until TIME    only events at or before TIME\n"
	        "  --action NAME   only events called NAME, e.g. voting-closed or\n"
	        "                  marked-register-exported\n"
	        "  -d, --dir DIR   the election folder (default .)\n"
	        "  --json          one JSON object a line: seq, at, action, detail\n"
	        "  -h, --help      this help\n");
}

typedef struct log_printer {
	tv_ctx *ctx;
	bool json;
	unsigned long rows;
} log_printer;

static int print_event(const tv_audit_event *e, void *payload)
{
	log_printer *p = payload;
	char when[TV_TIME_FORMAT_BYTES], *detail;

	if (tv_time_format(p->ctx, when, e->at) != TV_OK)
		snprintf(when, sizeof(when), "%lld", (long long)e->at);
	p->rows++;
	if (p->json) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "seq", (json_int_t)e->seq, "at", when,
		                      "action", e->event, "detail", e->detail);
		char *line = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
		                                               JSON_ENSURE_ASCII) : NULL;
		int bad = line == NULL || printf("%s\n", line) < 0;

		json_decref(o);
		free(line);
		return bad;
	}
	/* the detail may hold a marked register's purpose or a close reason:
	 * typed by people, so shown without control characters */
	if ((detail = strdup(e->detail)) == NULL)
		return 1;
	cli_safe_text(detail);
	printf("%6llu  %s  %-26s %s\n", (unsigned long long)e->seq, when, e->event, detail);
	free(detail);
	return 0;
}

static int parse_time(tv_ctx *ctx, int64_t *out, const char *opt, const char *text)
{
	if (tv_time_parse(ctx, out, text) == TV_OK)
		return CLI_OK;
	cli_error("%s: %s", opt, tv_ctx_last_error(ctx));
	return CLI_USAGE;
}

int cli_log(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "action", required_argument, NULL, 'a' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *since_text = NULL, *until_text = NULL, *action = NULL;
	int64_t since = INT64_MIN, until = INT64_MAX;
	log_printer p = { NULL, false, 0 };
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_status st;
	int rc, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': since_text = optarg; break;
		case 'u': until_text = optarg; break;
		case 'a': action = optarg; break;
		case 'd': dir = optarg; break;
		case 'j': p.json = true; break;
		case 'h': cli_log_help(stdout); return CLI_OK;
		default: cli_log_help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		cli_error("log takes no argument '%s'", argv[optind]);
		return CLI_USAGE;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	p.ctx = ctx;
	if ((since_text != NULL && (rc = parse_time(ctx, &since, "--since", since_text)) != CLI_OK) ||
	    (until_text != NULL && (rc = parse_time(ctx, &until, "--until", until_text)) != CLI_OK))
		goto out;
	if (since > until) {
		cli_error("--since %s is after --until %s", since_text, until_text);
		rc = CLI_USAGE;
		goto out;
	}
	if ((st = tv_box_audit_log(ctx, box, since, until, action, print_event, &p)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the audit log", st);
		goto out;
	}
	if (fflush(stdout) != 0) {
		cli_error("cannot write the log to standard output");
		rc = CLI_ERROR;
		goto out;
	}
	if (p.rows == 0 && !p.json)
		fprintf(stderr, "tenantvote: no event in the audit log matches\n");
	rc = CLI_OK;
out:
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ------------------------------------------------------------------ backup */

void cli_backup_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote backup [-d DIR] [--json] OUT\n"
	        "\n"
	        "Copies the ballot box (DIR/election.db) to the new file OUT, consistently,\n"
	        "while voting goes on: SQLite's online backup copies it in steps and starts\n"
	        "again if a ballot comes in meanwhile, so the copy is of one instant. The\n"
	        "copy is made under a temporary name beside OUT and checked (SQLite's\n"
	        "integrity check; it opens as a ballot box of this election; its board's\n"
	        "chain verifies to its last head) before it is synced and named OUT. OUT\n"
	        "is never replaced, and is readable by you only (mode 0600): it holds the\n"
	        "tenant register. Copy it to somewhere apart from this machine.\n"
	        "\n"
	        "The copy does not hold the ballot box's signing key: that is\n"
	        "DIR/box-key.secret (encrypted), which does not change after 'open'.\n"
	        "Back it up once, apart from its passphrase; without it nobody can close\n"
	        "the ballot or count it.\n"
	        "\n"
	        "  -d, --dir DIR   the election folder (default .)\n"
	        "  --json          what was copied, as JSON\n"
	        "  -h, --help      this help\n");
}

static void backup_progress(uint64_t done, uint64_t total, void *payload)
{
	(void)payload;
	cli_progress("copying the ballot box (pages)", (unsigned long)done, (unsigned long)total);
}

int cli_backup(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *out;
	char key[4096];
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	uint64_t entries = 0;
	tv_status st;
	int rc, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_backup_help(stdout); return CLI_OK;
		default: cli_backup_help(stderr); return CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_error("backup takes one argument, the new file to copy the ballot box to");
		return CLI_USAGE;
	}
	out = argv[optind];
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	st = tv_box_backup(ctx, &entries, box, out, backup_progress, NULL);
	cli_progress_end();
	if (st != TV_OK) {
		rc = st == TV_ERR_EXISTS ? (cli_error("%s", tv_ctx_last_error(ctx)), CLI_FAILED)
		                         : cli_lib_error(ctx, "backing up the ballot box", st);
		goto out;
	}
	snprintf(key, sizeof(key), "%s/box-key.secret", dir);
	if (json)
		cli_print_json(json_pack("{s:s, s:I, s:b, s:s}", "backup", out, "board_entries",
		                         (json_int_t)entries, "checked", 1, "box_key_file", key));
	else
		printf("The ballot box is copied to %s (%llu board entries), checked: it opens\n"
		       "as this election's box and its board's chain verifies. Keep it apart from\n"
		       "this machine. The copy does not hold the box key: back up %s\n"
		       "once (it does not change), apart from its passphrase.\n", out,
		       (unsigned long long)entries, key);
	rc = CLI_OK;
out:
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}
