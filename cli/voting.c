/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Voting verbs: open, vote, close, receipt check (SPEC §15). The ballot
 * box's signing key lives encrypted in DIR/box-key.secret under the box
 * passphrase (--passphrase-file or TENANTVOTE_BOX_PASSPHRASE).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>
#include <openssl/crypto.h>

#include "cli.h"
#include "qr.h"

#define BOX_ENV "TENANTVOTE_BOX_PASSPHRASE"

static void key_path(char *out, size_t size, const char *dir)
{
	snprintf(out, size, "%s/box-key.secret", dir);
}

int cli_load_box_key(tv_ctx *ctx, tv_ed25519_secret_key *key, const char *dir,
                        const char *pass_file)
{
	char path[4096], *pass;
	uint8_t *plain = NULL;
	size_t len = 0;
	tv_status st;

	key_path(path, sizeof(path), dir);
	pass = cli_passphrase_from(pass_file, BOX_ENV, "the ballot box", false);
	if (pass == NULL)
		return CLI_USAGE;
	st = tv_secretfile_read(ctx, &plain, &len, path, pass, strlen(pass));
	cli_passphrase_free(pass);
	if (st == TV_ERR_PASSPHRASE) {
		cli_error("wrong passphrase for the ballot box key %s (or the file was altered)", path);
		return CLI_FAILED;
	}
	if (st != TV_OK)
		return cli_lib_error(ctx, "reading the ballot box key", st);
	if (len != sizeof(key->bytes)) {
		tv_secret_free(ctx, plain, len);
		cli_error("%s does not hold a ballot box key", path);
		return CLI_FAILED;
	}
	memcpy(key->bytes, plain, len);
	tv_secret_free(ctx, plain, len);
	return CLI_OK;
}

static const char *channel_name(uint32_t c)
{
	const char *n = tv_channel_name(c);

	return n ? n : "?";
}

/* the receipt; with its check address and that address's QR code @p qr
 * (NULL when none could be made) when the election names a board */
static void print_receipt(tv_ctx *ctx, const tv_receipt *r, const char *tracking_text,
                          const char *address, const cli_qr *qr, bool json)
{
	char *text = NULL;
	char hex[65], when[TV_TIME_FORMAT_BYTES];

	if (json) {
		if (tv_receipt_to_json(ctx, &text, r) == TV_OK)
			printf("%s\n", text);
		tv_free(ctx, text);
		return;
	}
	if (tv_time_format(ctx, when, r->time) != TV_OK)
		snprintf(when, sizeof(when), "%lld", (long long)r->time);
	printf("Your ballot is in the ballot box. Keep this receipt.\n");
	printf("Mae eich pleidlais yn y blwch pleidleisio. Cadwch y dderbynneb hon.\n\n");
	if (tracking_text)
		printf("  Tracking code:   %s\n", tracking_text);
	printf("  Board position:  %llu\n", (unsigned long long)r->position);
	printf("  Received:        %s by %s\n", when, channel_name(r->channel));
	cli_hex(hex, r->head, sizeof(r->head));
	printf("  Board head:      %s\n", hex);
	if (address[0] != '\0') {
		printf("\nCheck your vote / Gwiriwch eich pleidlais:\n  %s\n", address);
		if (qr != NULL) {
			putchar('\n');
			cli_qr_print(stdout, qr, isatty(STDOUT_FILENO));
		}
	}
	if (tv_receipt_to_json(ctx, &text, r) == TV_OK)
		printf("\nReceipt (to check it later: tenantvote receipt check FILE):\n%s\n", text);
	tv_free(ctx, text);
}

int cli_window_check(tv_ctx *ctx, tv_box *box, int64_t now)
{
	const tv_manifest *m = tv_box_manifest(box);
	char a[TV_TIME_FORMAT_BYTES], b[TV_TIME_FORMAT_BYTES];

	if (now >= tv_manifest_opens(m) && now < tv_manifest_closes(m))
		return CLI_OK;
	if (tv_time_format(ctx, a, tv_manifest_opens(m)) != TV_OK ||
	    tv_time_format(ctx, b, tv_manifest_closes(m)) != TV_OK) {
		snprintf(a, sizeof(a), "%lld", (long long)tv_manifest_opens(m));
		snprintf(b, sizeof(b), "%lld", (long long)tv_manifest_closes(m));
	}
	if (now < tv_manifest_opens(m))
		cli_error("voting is not open yet: it opens on %s and closes on %s (the election's "
		          "window); no ballot can be cast before then", a, b);
	else
		cli_error("voting is over: it closed on %s (the election's window, from %s); no "
		          "ballot can be cast. Close the ballot with 'tenantvote close'", b, a);
	return CLI_FAILED;
}

/* ------------------------------------------------------------------- open */

void cli_open_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote open [-d DIR] [--passphrase-file F] [--json]\n"
	        "\n"
	        "Opens voting: makes the ballot box's signing key, which signs every\n"
	        "receipt and the close, stores it encrypted in DIR/box-key.secret under\n"
	        "the box passphrase, and records its public half. Needs the credentials\n"
	        "issued and the trustees' key ceremony finished.\n"
	        "\n"
	        "  --passphrase-file F   the box passphrase (else TENANTVOTE_BOX_PASSPHRASE,\n"
	        "                        else a prompt)\n"
	        "  -d, --dir DIR         the election folder (default .)\n"
	        "  --json                what was made and what to back up, as JSON\n"
	        "  -h, --help            this help\n");
}

int cli_open(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *pass_file = NULL;
	char path[4096], db[4096], hex[65], *pass = NULL;
	char opens[TV_TIME_FORMAT_BYTES], closes[TV_TIME_FORMAT_BYTES];
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_ed25519_secret_key sk;
	tv_ed25519_public_key pk;
	tv_box_status s;
	tv_status st;
	int rc, opt;

	memset(&sk, 0, sizeof(sk));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p': pass_file = optarg; break;
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_open_help(stdout); return CLI_OK;
		default: cli_open_help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		cli_error("open takes no argument '%s'", argv[optind]);
		return CLI_USAGE;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if ((st = tv_box_get_status(ctx, &s, box)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the election", st);
		goto out;
	}
	if (s.phase != TV_PHASE_SETUP || !s.credentials_issued || !s.election_key_ready) {
		cli_error("voting cannot open: %s", s.phase != TV_PHASE_SETUP ? "it has already opened"
		          : !s.credentials_issued ? "credentials are not issued yet"
		                                  : "the trustees' key ceremony has not finished");
		rc = CLI_FAILED;
		goto out;
	}
	if ((int64_t)time(NULL) >= tv_manifest_closes(tv_box_manifest(box))) {
		char b[TV_TIME_FORMAT_BYTES];

		if (tv_time_format(ctx, b, tv_manifest_closes(tv_box_manifest(box))) != TV_OK)
			snprintf(b, sizeof(b), "?");
		cli_error("voting cannot open: the election's window ended on %s", b);
		rc = CLI_FAILED;
		goto out;
	}
	if ((pass = cli_passphrase_new(pass_file, BOX_ENV, "the ballot box")) == NULL) {
		rc = cli_passphrase_refused ? CLI_FAILED : CLI_USAGE;
		goto out;
	}
	key_path(path, sizeof(path), dir);
	/* the secret is stored, encrypted, before the box depends on it */
	if ((st = tv_ed25519_keygen(ctx, &sk, &pk)) != TV_OK ||
	    (st = tv_secretfile_write(ctx, path, sk.bytes, sizeof(sk.bytes), pass, strlen(pass),
	                              NULL)) != TV_OK) {
		rc = cli_lib_error(ctx, "storing the ballot box key", st);
		goto out;
	}
	if ((st = tv_box_open_voting(ctx, box, &sk)) != TV_OK) {
		rc = cli_lib_error(ctx, "opening voting", st);
		unlink(path);
		goto out;
	}
	snprintf(db, sizeof(db), "%s/election.db", dir);
	cli_hex(hex, pk.bytes, sizeof(pk.bytes));
	if (tv_time_format(ctx, opens, tv_manifest_opens(tv_box_manifest(box))) != TV_OK ||
	    tv_time_format(ctx, closes, tv_manifest_closes(tv_box_manifest(box))) != TV_OK)
		opens[0] = closes[0] = '\0';
	if (json)
		cli_print_json(json_pack("{s:b, s:s, s:s, s:[ss], s:{s:s, s:s}}", "open", 1, "box_key",
		                         hex, "box_key_file", path, "back_up", path, db, "window",
		                         "opens", opens, "closes", closes));
	else {
		printf("Ballots are accepted from %s to %s (the election's window).\n", opens,
		       closes);
		printf("Voting is open. The ballot box key is in %s (encrypted).\n"
		       "Back these up now, to somewhere apart from this machine, with the\n"
		       "passphrase kept apart from them: without the key file and its passphrase\n"
		       "nobody can close the ballot or count it.\n"
		       "  %s\n  %s (again during voting, consistently while ballots come in:\n"
		       "  tenantvote backup -d %s COPY.db)\n", path, path, db, dir);
	}
	rc = CLI_OK;
out:
	tv_ed25519_secret_wipe(&sk);
	cli_passphrase_free(pass);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ------------------------------------------------------------------- vote */

void cli_vote_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote vote [--vote-file F] [--channel C] [-d DIR]\n"
	        "                       [--passphrase-file F] [--json]\n"
	        "\n"
	        "Casts one tenant's ballot, as a voting device or an intake clerk would:\n"
	        "the choice is encrypted and proven under the election key, signed with\n"
	        "the tenant's credential code, checked by the ballot box, stored, and\n"
	        "a receipt signed by the box is printed once the ballot is on disk.\n"
	        "\n"
	        "The credential code and the choice are never given on the command line,\n"
	        "where every user of the machine could read them. They are read from\n"
	        "--vote-file, or from standard input: the code on the first line, the\n"
	        "choice (an option number, or blank) on the second. On a terminal, they\n"
	        "are asked for without echo.\n"
	        "\n"
	        "  --vote-file F       the code and the choice, one per line (- for stdin)\n"
	        "  --channel C         online (default), phone, postal or in_person\n"
	        "  --passphrase-file F the box passphrase (else TENANTVOTE_BOX_PASSPHRASE)\n"
	        "  -d, --dir DIR       the election folder (default .)\n"
	        "  --json              print the receipt as JSON only\n"
	        "  --qr FILE           also write the QR code of the receipt's check address\n"
	        "                      (the bulletin board's check page, SPEC §15.1.2) to FILE,\n"
	        "                      a new .png or .svg; needs init --board-url\n"
	        "  -h, --help          this help\n");
}

int cli_vote(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "vote-file", required_argument, NULL, 'v' },
		{ "code", required_argument, NULL, 'c' },
		{ "choice", required_argument, NULL, 'n' },
		{ "channel", required_argument, NULL, 'C' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "qr", required_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *pass_file = NULL, *vote_file = NULL, *qr_file = NULL;
	char address[TV_CONTACT_URL_MAX + 32];
	cli_qr qr;
	bool have_qr = false;
	int qr_errno = 0;
	const char *channel_text = "online";
	char code[128], choice_text[32];
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_ballot *ballot = NULL;
	tv_election_key key;
	tv_ed25519_secret_key sk;
	tv_receipt r;
	uint32_t choice = 0, channel = 0;
	char tracking[TV_TRACKING_TEXT_LEN + 1];
	tv_status st;
	int rc, opt;

	memset(&sk, 0, sizeof(sk));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'v': vote_file = optarg; break;
		case 'c':
		case 'n':
			/* the code, or how someone voted, in every user's process list */
			cli_error("the credential code and the choice are never given on the command "
			          "line, where other users of this machine can read them: put them in a "
			          "file for --vote-file, one per line, or type them when asked");
			return CLI_USAGE;
		case 'C': channel_text = optarg; break;
		case 'p': pass_file = optarg; break;
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'q': qr_file = optarg; break;
		case 'h': cli_vote_help(stdout); return CLI_OK;
		default: cli_vote_help(stderr); return CLI_USAGE;
		}
	}
	if (qr_file != NULL && !cli_qr_path_ok(qr_file)) {
		cli_error("--qr writes a .png or an .svg file, not '%s'", qr_file);
		return CLI_USAGE;
	}
	/* before anything is cast: a receipt's QR code never replaces a file */
	if (qr_file != NULL && access(qr_file, F_OK) == 0) {
		cli_error("--qr %s: it already exists; give a new file", qr_file);
		return CLI_FAILED;
	}
	if (optind != argc) {
		cli_error("vote takes no other argument (the code and the choice are read, not "
		          "given: see --help)");
		return CLI_USAGE;
	}
	memset(code, 0, sizeof(code));
	memset(choice_text, 0, sizeof(choice_text));
	if ((rc = cli_vote_input(vote_file, code, sizeof(code), choice_text,
	                         sizeof(choice_text))) != CLI_OK)
		goto out;
	if (strcmp(choice_text, "blank") == 0) {
		choice = TV_BALLOT_BLANK;
	} else {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(choice_text, &end, 10);
		if (errno || *end || choice_text[0] == '-' || choice_text[0] == '\0' || v == 0 ||
		    v > TV_MAX_OPTIONS) {
			/* not quoted back: it may be the code, typed on the wrong line */
			cli_error("the choice must be an option number or 'blank'");
			rc = CLI_USAGE;
			goto out;
		}
		choice = (uint32_t)v;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	if ((st = tv_channel_parse(ctx, &channel, channel_text)) != TV_OK) {
		rc = cli_lib_error(ctx, "--channel", st) == CLI_FAILED ? CLI_USAGE : CLI_ERROR;
		goto out;
	}
	{
		tv_box_status s;

		if ((st = tv_box_get_status(ctx, &s, box)) != TV_OK) {
			rc = cli_lib_error(ctx, "reading the election", st);
			goto out;
		}
		if (s.phase != TV_PHASE_OPEN) {
			cli_error("voting %s: no ballot can be cast",
			          s.phase == TV_PHASE_SETUP ? "has not opened yet" : "is closed");
			rc = CLI_FAILED;
			goto out;
		}
		if ((rc = cli_window_check(ctx, box, (int64_t)time(NULL))) != CLI_OK)
			goto out;
	}
	if (qr_file != NULL && tv_manifest_contact(tv_box_manifest(box)).board_url[0] == '\0') {
		cli_error("--qr: this election names no bulletin board, so a receipt has no check "
		          "address (give init --board-url when making an election)");
		rc = CLI_USAGE;
		goto out;
	}
	if ((st = tv_box_election_key(ctx, &key, box)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the election key", st);
		goto out;
	}
	if ((st = tv_ballot_encrypt(ctx, &ballot, NULL, tv_box_manifest(box), &key.key, code,
	                            strlen(code), choice)) != TV_OK) {
		rc = cli_lib_error(ctx, "making the ballot", st);
		goto out;
	}
	if ((rc = cli_load_box_key(ctx, &sk, dir, pass_file)) != CLI_OK)
		goto out;
	if ((st = tv_box_cast(ctx, &r, box, ballot, channel, &sk, (int64_t)time(NULL))) != TV_OK) {
		rc = cli_lib_error(ctx, "casting the ballot", st);
		goto out;
	}
	tv_ballot_tracking_text(tracking, ballot);
	cli_check_address(address, sizeof(address), tv_box_manifest(box), tracking);
	/* one QR code of the check address, for the text receipt and --qr */
	if (address[0] != '\0' && cli_qr_make(&qr, address) == 0)
		have_qr = true;
	else
		qr_errno = errno;
	print_receipt(ctx, &r, tracking, address, have_qr ? &qr : NULL, json);
	rc = CLI_OK;
	if (qr_file != NULL) {
		fflush(stdout);
		if (!have_qr) {
			cli_error("the ballot is cast (the receipt is above), but its QR code could not "
			          "be made: %s", cli_strerror(qr_errno));
			rc = CLI_ERROR;
		} else if (cli_qr_write(qr_file, &qr) != CLI_OK) {
			cli_error("the ballot is cast (the receipt is above); only its QR code "
			          "was not written");
			rc = CLI_ERROR;
		}
	}
out:
	if (have_qr)
		cli_qr_free(&qr);
	OPENSSL_cleanse(code, sizeof(code));
	OPENSSL_cleanse(choice_text, sizeof(choice_text));
	tv_ed25519_secret_wipe(&sk);
	tv_ballot_free(ballot);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ------------------------------------------------------------------ close */

void cli_close_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote close [-d DIR] [--early --reason TEXT] [--passphrase-file F]\n"
	        "                        [--json]\n"
	        "\n"
	        "Closes voting: nothing is accepted afterwards, and it cannot be undone.\n"
	        "The ballot box signs the number of entries on the board, its final head,\n"
	        "the time of the close and, for an early close, the reason; the public\n"
	        "record shows them and the verifier checks them.\n"
	        "\n"
	        "Before the closing time the election advertised (its voting window's\n"
	        "end, 'tenantvote show'), close refuses unless given --early and a\n"
	        "reason: tenants were told they could vote until then.\n"
	        "\n"
	        "  --early             close before the advertised closing time\n"
	        "  --reason TEXT       why (with --early): at most 500 bytes, no control\n"
	        "                      characters; it is signed into the public record and\n"
	        "                      written to the audit log\n"
	        "  --passphrase-file F the box passphrase (else TENANTVOTE_BOX_PASSPHRASE)\n"
	        "  -d, --dir DIR       the election folder (default .)\n"
	        "  --json              print the count, final head, time and reason as JSON\n"
	        "  -h, --help          this help\n");
}

int cli_close(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "early", no_argument, NULL, 'e' },
		{ "reason", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *pass_file = NULL, *reason = NULL;
	bool json = false, early_ok = false, early;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_ed25519_secret_key sk;
	tv_box_status s;
	uint64_t n = 0;
	uint8_t head[32];
	char hex[65], when[TV_TIME_FORMAT_BYTES], ends[TV_TIME_FORMAT_BYTES];
	int64_t now = (int64_t)time(NULL), closes;
	tv_status st;
	int rc, opt;

	memset(&sk, 0, sizeof(sk));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p': pass_file = optarg; break;
		case 'd': dir = optarg; break;
		case 'e': early_ok = true; break;
		case 'r': reason = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_close_help(stdout); return CLI_OK;
		default: cli_close_help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		cli_error("close takes no argument '%s'", argv[optind]);
		return CLI_USAGE;
	}
	if (early_ok && (reason == NULL || reason[0] == '\0')) {
		cli_error("--early needs --reason TEXT: why voting closes before the advertised time");
		return CLI_USAGE;
	}
	/* before the passphrase is asked for; the library checks the rest (UTF-8) */
	if (reason != NULL && strlen(reason) > TV_CLOSE_REASON_MAX) {
		cli_error("--reason is %zu bytes: at most %d", strlen(reason), TV_CLOSE_REASON_MAX);
		return CLI_USAGE;
	}
	for (const char *c = reason; c != NULL && *c != '\0'; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			cli_error("--reason holds a control character (byte %zu): give it on one line, "
			          "without tabs", (size_t)(c - reason) + 1);
			return CLI_USAGE;
		}
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	if ((st = tv_box_get_status(ctx, &s, box)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the election", st);
		goto out;
	}
	if (s.phase != TV_PHASE_OPEN) {
		cli_error("voting cannot close: %s", s.phase == TV_PHASE_SETUP
		          ? "it has not been opened ('tenantvote open')" : "it is already closed");
		rc = CLI_FAILED;
		goto out;
	}
	closes = tv_manifest_closes(tv_box_manifest(box));
	if (tv_time_format(ctx, ends, closes) != TV_OK)
		snprintf(ends, sizeof(ends), "%lld", (long long)closes);
	early = now < closes;
	/* before the box key is asked for: an accidental close stops here */
	if (early && !early_ok) {
		cli_error("voting is advertised to close at %s (the election's window): tenants may "
		          "vote until then. Closing now cannot be undone; to close early, give "
		          "--early --reason TEXT, which the public record will show", ends);
		rc = CLI_FAILED;
		goto out;
	}
	if (!early && early_ok) {
		cli_error("--early: voting was advertised to close at %s, which has passed: close "
		          "without --early", ends);
		rc = CLI_USAGE;
		goto out;
	}
	if ((rc = cli_load_box_key(ctx, &sk, dir, pass_file)) != CLI_OK)
		goto out;
	/* the signed time is the close's own, after the passphrase was typed */
	now = (int64_t)time(NULL);
	early = now < closes;
	if ((st = tv_box_close_voting_at(ctx, &n, head, box, &sk, now, reason)) != TV_OK) {
		rc = cli_lib_error(ctx, "closing voting", st);
		goto out;
	}
	cli_hex(hex, head, sizeof(head));
	if (tv_time_format(ctx, when, now) != TV_OK)
		snprintf(when, sizeof(when), "%lld", (long long)now);
	if (json) {
		cli_print_json(json_pack("{s:I, s:s, s:s, s:b, s:s?}", "entries", (json_int_t)n,
		                         "final_head", hex, "closed", when, "early", early, "reason",
		                         reason));
	} else {
		printf("Voting is closed: %llu entries on the board.\nFinal head: %s\n",
		       (unsigned long long)n, hex);
		if (early)
			printf("Voting was closed early on %s, before the advertised %s, because: %s\n"
			       "The public record shows this, signed by the ballot box.\n", when, ends,
			       reason);
	}
	rc = CLI_OK;
out:
	tv_ed25519_secret_wipe(&sk);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ---------------------------------------------------------------- receipt */

void cli_receipt_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote receipt check RECEIPT [-d DIR | --record RECORD] [--json]\n"
	        "       tenantvote receipt check TRACKING-CODE --record RECORD [--json]\n"
	        "\n"
	        "Checks a tenant's receipt (the file as 'vote' printed it, or its JSON\n"
	        "line alone) against the ballot box of the\n"
	        "election in DIR: the box's signature, that the ballot is on the board\n"
	        "at the position and with the heads the receipt names, and whether it is\n"
	        "the ballot that counts for that tenant (a later revote replaces it when\n"
	        "the last ballot counts). Exit status 1 if anything does not match.\n"
	        "\n"
	        "With --record, the short tracking code printed on a receipt (XXXX-XXXX-\n"
	        "XXXX-XXXX) may be given instead of a file: it is looked up on the record's\n"
	        "board (a typo is caught by its last character). RECEIPT may also hold\n"
	        "many receipts, one JSON form per line (as\n"
	        "'intake --receipts' writes them): all are checked in one reading of the\n"
	        "record, each one that does not check is named by its line, and a\n"
	        "summary says how many count, were replaced or were challenged.\n"
	        "\n"
	        "  -d, --dir DIR   the election folder (default .)\n"
	        "  --record REC    check against the public record REC instead of the box\n"
	        "  --json          print the result as JSON\n"
	        "  -h, --help      this help\n");
}

/* non-empty lines of @p text */
static size_t count_lines(const char *text, size_t len)
{
	size_t n = 0;
	bool blank = true;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			n += !blank;
			blank = true;
		} else if (text[i] != ' ' && text[i] != '\r' && text[i] != '\t') {
			blank = false;
		}
	}
	return n + !blank;
}

/* the lines that begin with '{': receipts' JSON, one per line */
static size_t json_lines(const char *text, size_t len)
{
	bool start = true;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			start = true;
		} else if (start && text[i] != ' ' && text[i] != '\r' && text[i] != '\t') {
			n += text[i] == '{';
			start = false;
		}
	}
	return n;
}

/* a short tracking code, as the receipt prints it, looked up on a record */
/* where the entry at @p position of the record stands (SPEC §11.7,
 * §17.1.1): a TV_BOARD_* state, or 0 when the board cannot be listed */
typedef struct board_state_at {
	uint64_t position;
	int state;
} board_state_at;

static void on_listing(const tv_board_listing *entry, void *payload)
{
	board_state_at *b = payload;

	if (entry->position == b->position)
		b->state = (int)entry->state;
}

static int record_state(tv_ctx *ctx, const char *record, uint64_t position)
{
	board_state_at b = { position, 0 };

	return tv_record_list_board(ctx, record, on_listing, &b) == TV_OK ? b.state : 0;
}

/* why an entry does not count, for the tenant */
static const char *not_counted_words(int state)
{
	return state == TV_BOARD_REVOKED
	               ? "It does NOT count: its voting code was revoked by the credential "
	                 "authority (a replacement letter, or a vote voided by the returning "
	                 "officer): ask the returning officer why."
	               : "A later ballot by the same tenant replaces it.";
}

static int check_short_code(const char *record, const char *code, bool json)
{
	int state = 0;
	tv_ctx *ctx = NULL;
	tv_receipt_verdict v;
	uint64_t position = 0;
	tv_status st;
	int rc;

	if (tv_ctx_new(&ctx, NULL) != TV_OK) {
		cli_error("out of memory");
		return CLI_ERROR;
	}
	if ((st = tv_record_find_tracking(ctx, &v, &position, record, code, strlen(code))) != TV_OK) {
		rc = st == TV_ERR_ENCODING || st == TV_ERR_CREDENTIAL_INVALID ? CLI_FAILED : CLI_ERROR;
		cli_error("%s: %s", code, tv_ctx_last_error(ctx));
		tv_ctx_free(ctx);
		return rc;
	}
	if (json)
	if (v.status == TV_OK && !v.counts && !v.opened)
		state = record_state(ctx, record, position);
	if (json)
		cli_print_json(json_pack("{s:s, s:b, s:o, s:b, s:b, s:b}", "tracking_code", code,
		                         "found", v.status == TV_OK, "position",
		                         v.status == TV_OK ? json_integer((json_int_t)position)
		                                           : json_null(),
		                         "counts", v.counts, "challenged", v.opened, "revoked",
		                         state == TV_BOARD_REVOKED));
	else if (v.status != TV_OK)
		printf("%s is NOT on the board of %s: if it is from your receipt, contact the "
		       "returning officer.\n", code, record);
	else
		printf("%s is on the board at position %llu. %s\n", code,
		       (unsigned long long)position,
		       v.opened ? "It is a challenged ballot: opened, never counted."
		       : v.counts ? "It is the ballot that counts for this tenant."
		                  : not_counted_words(state));
	tv_ctx_free(ctx);
	return v.status == TV_OK ? CLI_OK : CLI_FAILED;
}

/*
 * Many receipts, one JSON form per line (as intake --receipts writes
 * them), against a record in one reading of its board (SPEC §19.6).
 */
static int check_many(tv_ctx *ctx, const char *record, const char *file, char *text, size_t len,
                      bool json)
{
	size_t n = count_lines(text, len), k = 0, counting = 0, replaced = 0, opened = 0, bad = 0;
	tv_receipt *rs = calloc(n + 1, sizeof(*rs));
	tv_receipt_verdict *out = calloc(n + 1, sizeof(*out));
	size_t *lines = calloc(n + 1, sizeof(*lines));
	json_t *failures = json_array();
	size_t lineno = 0;
	tv_status st;
	int rc = CLI_ERROR;

	if (rs == NULL || out == NULL || lines == NULL || failures == NULL) {
		cli_error("out of memory for %zu receipts", n);
		goto out;
	}
	for (char *p = text, *end = text + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		lineno++;
		while (l > 0 && (p[l - 1] == '\r' || p[l - 1] == ' '))
			l--;
		if (l > 0) {
			if ((st = tv_receipt_from_json(ctx, &rs[k], p, l)) != TV_OK) {
				cli_error("%s line %zu: not a receipt: %s", file, lineno,
				          tv_ctx_last_error(ctx));
				rc = CLI_FAILED;
				goto out;
			}
			lines[k++] = lineno;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if ((st = tv_record_check_receipts(ctx, out, record, rs, k)) != TV_OK) {
		rc = cli_lib_error(ctx, "checking the receipts", st);
		goto out;
	}
	for (size_t i = 0; i < k; i++) {
		if (out[i].status != TV_OK) {
			const char *why = out[i].status == TV_ERR_WRONG_ELECTION
			                          ? "for another election"
			                  : out[i].status == TV_ERR_SIGNATURE_INVALID
			                          ? "not signed by this record's ballot box"
			                          : "the record does not hold this entry at its position";

			bad++;
			if (json)
				json_array_append_new(failures, json_pack("{s:I, s:I, s:s, s:s}", "line",
				                                          (json_int_t)lines[i], "position",
				                                          (json_int_t)rs[i].position,
				                                          "status",
				                                          tv_status_str(out[i].status),
				                                          "problem", why));
			else
				printf("line %zu, position %llu: DOES NOT CHECK: %s\n", lines[i],
				       (unsigned long long)rs[i].position, why);
		} else if (out[i].opened) {
			opened++;
		} else if (out[i].counts) {
			counting++;
		} else {
			replaced++;
		}
	}
	if (json) {
		cli_print_json(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "receipts",
		                         (json_int_t)k, "checked", (json_int_t)(k - bad), "counting",
		                         (json_int_t)counting, "replaced", (json_int_t)replaced,
		                         "opened", (json_int_t)opened, "failed", (json_int_t)bad,
		                         "failures", failures));
		failures = NULL;
	} else {
		printf("%zu receipts against %s: %zu check (%zu count, %zu replaced by a later "
		       "ballot, %zu challenged ballots), %zu do not.\n", k, record, k - bad, counting,
		       replaced, opened, bad);
	}
	rc = bad == 0 ? CLI_OK : CLI_FAILED;
out:
	json_decref(failures);
	free(rs);
	free(out);
	free(lines);
	return rc;
}

int cli_receipt(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "record", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *file, *record = NULL;
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_receipt r;
	char *text = NULL;
	size_t len = 0;
	int counts = 0, state = 0, rc, opt;
	tv_status st;

	if (argc >= 2 && cli_is_help(argv[1])) {
		cli_receipt_help(stdout);
		return CLI_OK;
	}
	if (argc < 2 || strcmp(argv[1], "check") != 0) {
		cli_error("receipt: the action is 'check': tenantvote receipt check RECEIPT");
		return CLI_USAGE;
	}
	argc--, argv++;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'r': record = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_receipt_help(stdout); return CLI_OK;
		default: cli_receipt_help(stderr); return CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_error("receipt check takes one receipt file");
		return CLI_USAGE;
	}
	file = argv[optind];
	if (record != NULL && access(file, F_OK) != 0 && strlen(file) <= 40)
		return check_short_code(record, file, json);
	if (record != NULL) {
		if (tv_ctx_new(&ctx, NULL) != TV_OK) {
			cli_error("out of memory");
			return CLI_ERROR;
		}
	} else if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK) {
		goto out;
	}
	rc = CLI_ERROR;
	/* a file of every receipt of a million-tenant ballot is some 300 MB */
	if ((text = cli_read_file(file, &len, record != NULL ? (size_t)1 << 30 : 65536)) == NULL)
		goto out;
	if (record != NULL && json_lines(text, len) > 1) {
		rc = check_many(ctx, record, file, text, len, json);
		goto out;
	}
	/* the receipt as vote printed it: its JSON is the one line that is */
	if (json_lines(text, len) != count_lines(text, len)) {
		char *p = text, *end = text + len, *nl;

		for (; p < end; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL)
				nl = end;
			if (*p == '{') {
				memmove(text, p, (size_t)(nl - p));
				len = (size_t)(nl - p);
				text[len] = '\0';
				break;
			}
		}
	}
	if ((st = tv_receipt_from_json(ctx, &r, text, len)) != TV_OK) {
		rc = cli_lib_error(ctx, file, st);
		goto out;
	}
	st = record != NULL ? tv_record_check_receipt(ctx, &counts, record, &r)
	                    : tv_box_check_receipt(ctx, &counts, box, &r);
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "the receipt does not check", st);
		goto out;
	}
	if (!counts && record != NULL)
		state = record_state(ctx, record, r.position);
	if (json)
		cli_print_json(json_pack("{s:b, s:I, s:b, s:o}", "valid", 1, "position",
		                         (json_int_t)r.position, "counts", counts, "revoked",
		                         record != NULL ? json_boolean(state == TV_BOARD_REVOKED)
		                                        : json_null()));
	else
		printf("The receipt checks: the box signed it, and the ballot is on the board at\n"
		       "position %llu as it says. %s\n", (unsigned long long)r.position,
		       counts ? "It is the ballot that counts for this tenant."
		       : record != NULL ? not_counted_words(state)
		                        : "It does not count: a later ballot by the same tenant "
		                          "replaces it, or its voting code was revoked (check it "
		                          "against the record to see which).");
	rc = CLI_OK;
out:
	free(text);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* --------------------------------------------------------- marked register */

void cli_marked_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote marked-register --out FILE.csv --purpose TEXT [-d DIR] [--json]\n"
	        "\n"
	        "Writes the marked register: every tenant who has voted, with how many\n"
	        "ballots and by which channels; never how anyone voted. It is personal\n"
	        "data, so each export is recorded in the ballot box's audit log with its\n"
	        "purpose, and the file is made readable by its owner only (mode 0600).\n"
	        "\n"
	        "  --out FILE.csv   the file to make (must not exist)\n"
	        "  --purpose TEXT   why it is exported, for the audit log\n"
	        "  -d, --dir DIR    the election folder (default .)\n"
	        "  --json           print what was written as JSON\n"
	        "  -h, --help       this help\n");
}

typedef struct marked_writer {
	FILE *f;
	unsigned long rows;
	int write_errno;     /* why a row could not be written, for the message */
} marked_writer;

static int write_marked(const tv_marked_tenant *mk, void *payload)
{
	marked_writer *w = payload;
	char channels[64] = "";
	size_t used = 0;

	for (uint32_t bit = 1; bit <= TV_CHANNEL_IN_PERSON; bit <<= 1)
		if (mk->channels & bit)
			used += (size_t)snprintf(channels + used, sizeof(channels) - used, "%s%s",
			                         used ? " " : "", channel_name(bit));
	if (csv_fwrite(w->f, mk->tenant->tenancy_ref, strlen(mk->tenant->tenancy_ref)) != 0 ||
	    fputc(',', w->f) == EOF ||
	    csv_fwrite(w->f, mk->tenant->name, strlen(mk->tenant->name)) != 0 ||
	    fputc(',', w->f) == EOF ||
	    csv_fwrite(w->f, mk->tenant->address, strlen(mk->tenant->address)) != 0 ||
	    fprintf(w->f, ",%u,%s\n", mk->ballots, channels) < 0) {
		w->write_errno = errno ? errno : EIO;
		return -1;
	}
	w->rows++;
	return 0;
}

int cli_marked(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "purpose", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *out = NULL, *purpose = NULL;
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	marked_writer w = { NULL, 0, 0 };
	tv_status st;
	int rc, opt, fd;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'p': purpose = optarg; break;
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_marked_help(stdout); return CLI_OK;
		default: cli_marked_help(stderr); return CLI_USAGE;
		}
	}
	if (out == NULL || purpose == NULL || purpose[0] == '\0' || optind != argc) {
		cli_error("marked-register needs --out FILE.csv and --purpose TEXT");
		return CLI_USAGE;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || (w.f = fdopen(fd, "w")) == NULL) {
		cli_error(errno == EEXIST ? "%s already exists" : "cannot make %s: %s", out,
		          cli_strerror(errno));
		if (fd >= 0)
			close(fd);
		rc = errno == EEXIST ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	fputs("tenancy_ref,name,address,ballots,channels\n", w.f);
	st = tv_box_marked_register(ctx, box, purpose, write_marked, &w);
	if (st == TV_OK && (fflush(w.f) != 0 || fsync(fileno(w.f)) != 0))
		w.write_errno = errno ? errno : EIO, st = TV_ERR_IO;
	if (fclose(w.f) != 0 && st == TV_OK)
		w.write_errno = errno ? errno : EIO, st = TV_ERR_IO;
	if (st != TV_OK) {
		unlink(out);
		if (w.write_errno != 0) {
			cli_error("cannot write %s: %s; it is removed", out, cli_strerror(w.write_errno));
			rc = CLI_ERROR;
		} else {
			rc = cli_lib_error(ctx, "the marked register", st);
		}
		goto out;
	}
	if (json)
		cli_print_json(json_pack("{s:s, s:I, s:s}", "file", out, "voters", (json_int_t)w.rows,
		                         "purpose", purpose));
	else
		printf("Marked register: %lu tenants have voted; written to %s (readable by you only).\n"
	       "The export is recorded in the ballot box's audit log.\n", w.rows, out);
	rc = CLI_OK;
out:
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}
