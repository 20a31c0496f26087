/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * show: every setting of an election, in English and Welsh, so that the
 * officer reads what will be fixed for good (the rule, which answer means
 * transfer, the window) before and after init.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_show_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote show [-d DIR | --manifest FILE] [--json]\n"
	        "\n"
	        "Prints every setting of an election, in English and Welsh: the council\n"
	        "and landlord, the question and answers and which one means transfer, how\n"
	        "the votes are counted, the voting window, the channels, the trustees, and\n"
	        "who tenants contact and where they vote and check. With --manifest, of a\n"
	        "manifest file not yet used, to read before 'init --manifest' fixes it.\n"
	        "\n"
	        "  -d, --dir DIR     the election folder (default .)\n"
	        "  --manifest FILE   a manifest file (JSON, SPEC §9)\n"
	        "  --json            the manifest and its fingerprint as JSON\n"
	        "  -h, --help        this help\n");
}

/* "English" or "English / Cymraeg" */
static void both(const char *label, tv_text t)
{
	printf("  %-20s %s\n", label, t.en);
	if (t.cy != NULL && t.cy[0] != '\0')
		printf("  %-20s %s\n", "", t.cy);
}

static void line(const char *label, const char *value)
{
	if (value != NULL && value[0] != '\0')
		printf("  %-20s %s\n", label, value);
}

void cli_show_manifest(tv_ctx *ctx, const tv_manifest *m)
{
	uint8_t f[TV_MANIFEST_FINGERPRINT_BYTES];
	char hex[2 * TV_MANIFEST_FINGERPRINT_BYTES + 1], pct[TV_PERCENT_FORMAT_BYTES];
	char opens[TV_TIME_FORMAT_BYTES], closes[TV_TIME_FORMAT_BYTES], text[512];
	uint32_t transfer = tv_manifest_transfer_option(m), channels = tv_manifest_channels(m);
	tv_contact c = tv_manifest_contact(m);
	size_t used = 0;

	tv_manifest_fingerprint(f, m);
	cli_hex(hex, f, sizeof(f));
	printf("Election %s\n  %-20s %s\n", tv_manifest_election_id(m), "fingerprint", hex);
	line("council", tv_manifest_council(m));
	line("proposed landlord", tv_manifest_landlord(m));
	both("title", tv_manifest_title(m));
	both("question", tv_manifest_question(m));
	for (uint32_t i = 1; i <= tv_manifest_option_count(m); i++) {
		tv_text o = tv_manifest_option(m, i);
		char label[32];

		snprintf(label, sizeof(label), "answer %u%s", (unsigned)i,
		         i == transfer ? " (transfer)" : "");
		both(label, o);
	}
	if (tv_manifest_rule(m) == TV_RULE_MAJORITY)
		snprintf(text, sizeof(text), "majority: answer %u (transfer) is carried with more "
		         "than half of the valid votes", (unsigned)transfer);
	else
		snprintf(text, sizeof(text), "plurality: the answer with most valid votes wins; an "
		         "equal highest count is a tie%s", transfer ? "" : "; no answer means transfer");
	line("counting rule", text);
	if (tv_manifest_supermajority_tenths(m) != 0) {
		tv_percent_format(pct, tv_manifest_supermajority_tenths(m));
		snprintf(text, sizeof(text), "the winning answer needs %s%% of the valid votes", pct);
		line("supermajority", text);
	}
	tv_percent_format(pct, tv_manifest_min_turnout_tenths(m));
	snprintf(text, sizeof(text), tv_manifest_min_turnout_tenths(m)
	         ? "%s%% of the electorate must return a ballot paper" : "none%.0s", pct);
	line("minimum turnout", text);
	line("blank ballots", tv_manifest_allow_blank(m) ? "allowed" : "not allowed");
	if (tv_time_format(ctx, opens, tv_manifest_opens(m)) != TV_OK ||
	    tv_time_format(ctx, closes, tv_manifest_closes(m)) != TV_OK)
		opens[0] = closes[0] = '\0';
	snprintf(text, sizeof(text), "%s to %s (UTC)", opens, closes);
	line("voting window", text);
	text[0] = '\0';
	for (uint32_t bit = 1; bit <= TV_CHANNEL_IN_PERSON; bit <<= 1)
		if (channels & bit)
			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s",
			                         used ? ", " : "", tv_channel_name(bit));
	line("channels", text);
	line("revote", tv_manifest_revote(m) == TV_REVOTE_FIRST
	                       ? "the first ballot counts; later ones are refused"
	                       : "the last ballot counts");
	snprintf(text, sizeof(text), "%u of %u needed to decrypt the count",
	         (unsigned)tv_manifest_threshold(m), (unsigned)tv_manifest_trustees(m));
	line("trustees", text);
	line("returning officer", c.officer);
	line("officer's address", c.address);
	line("officer's phone", c.phone);
	line("officer's e-mail", c.email);
	line("vote online at", c.vote_url);
	line("vote by phone on", c.vote_phone);
	line("bulletin board", c.board_url);
	line("letters", tv_manifest_letters(m) == TV_LETTERS_BILINGUAL
	                        ? "Welsh and English side by side"
	                        : "in each tenant's language from the register");
	{
		tv_offer of;
		char dh[2 * TV_OFFER_DIGEST_BYTES + 1];

		if (!tv_manifest_offer(m, &of)) {
			line("offer document", "not named in the manifest");
			return;
		}
		cli_hex(dh, of.sha256, sizeof(of.sha256));
		snprintf(text, sizeof(text), "SHA-256 %s", dh);
		line("offer document", text);
		line("read the offer at", of.url);
		if (of.has_cy) {
			cli_hex(dh, of.sha256_cy, sizeof(of.sha256_cy));
			snprintf(text, sizeof(text), "SHA-256 %s", dh);
			line("Welsh offer", text);
			line("read the Welsh at", of.url_cy);
		}
	}
}

int cli_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "manifest", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *file = NULL;
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_manifest *own = NULL;
	const tv_manifest *m;
	tv_status st;
	int rc = CLI_ERROR, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'm': file = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_show_help(stdout); return CLI_OK;
		default: cli_show_help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc || (dir != NULL && file != NULL)) {
		cli_error("show takes -d DIR or --manifest FILE, not both, and nothing else");
		return CLI_USAGE;
	}
	if (file != NULL) {
		if (tv_ctx_new(&ctx, NULL) != TV_OK) {
			cli_error("cannot start the library (out of memory?)");
			return CLI_ERROR;
		}
		if ((rc = cli_load_manifest(ctx, &own, file)) != CLI_OK)
			goto out;
		m = own;
	} else {
		if ((rc = cli_open_box(&ctx, &box, dir != NULL ? dir : ".")) != CLI_OK)
			goto out;
		m = tv_box_manifest(box);
	}
	if (json) {
		uint8_t f[TV_MANIFEST_FINGERPRINT_BYTES];
		char hex[2 * TV_MANIFEST_FINGERPRINT_BYTES + 1], *text = NULL;
		json_t *doc;

		tv_manifest_fingerprint(f, m);
		cli_hex(hex, f, sizeof(f));
		if ((st = tv_manifest_to_json(ctx, &text, NULL, m)) != TV_OK) {
			rc = cli_lib_error(ctx, "writing the manifest", st);
			goto out;
		}
		doc = json_loads(text, 0, NULL);
		tv_free(ctx, text);
		cli_print_json(json_pack("{s:s, s:o*}", "fingerprint", hex, "manifest", doc));
	} else {
		cli_show_manifest(ctx, m);
	}
	rc = CLI_OK;
out:
	tv_manifest_free(own);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}
