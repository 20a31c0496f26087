/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Election set-up verbs: init, register import, credentials issue, status.
 * Everything here is argument handling, files and messages; the work is
 * the library's.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "cli.h"
#include "letters.h"

/* ------------------------------------------------------------------ files */

/* ------------------------------------------------------------------- init */

void cli_init_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote init DIR --manifest FILE\n"
	        "       tenantvote init DIR --title TEXT --question TEXT --option TEXT --option TEXT\n"
	        "                           [--option TEXT ...] --council NAME [--landlord NAME]\n"
	        "                           [--id ID] [--transfer-option N] [--rule majority|plurality]\n"
	        "                           [--min-turnout PCT] [--supermajority PCT] [--allow-blank]\n"
	        "                           [--revote last|first] [--channels LIST]\n"
	        "                           --trustees N --threshold K --opens TIME --closes TIME\n"
	        "                           [--officer NAME --officer-address TEXT [--officer-phone N]\n"
	        "                            [--officer-email ADDR] [--vote-url URL] [--vote-phone N]\n"
	        "                            [--board-url URL] [--letters register|bilingual]\n"
	        "                            [--offer FILE [--offer-cy FILE] [--offer-url URL]\n"
	        "                             [--offer-url-cy URL]]]\n"
	        "\n"
	        "Makes a new election in folder DIR (created if missing): its manifest\n"
	        "and an empty ballot box. Texts may be bilingual as \"English|Cymraeg\".\n"
	        "\n"
	        "  --manifest FILE        take everything from a manifest file (JSON, SPEC §9)\n"
	        "  --id ID                election id: lowercase letters, digits, '-'\n"
	        "                         (default: from the folder's name)\n"
	        "  --council NAME         the landlord council, one name for both languages:\n"
	        "                         \"Cyngor Sir Enghraifft / Example County Council\"\n"
	        "  --landlord NAME        the proposed new landlord\n"
	        "  --title TEXT           the ballot's heading\n"
	        "  --question TEXT        the question tenants answer\n"
	        "  --option TEXT          an answer, in order (ids 1, 2, ...); at least two\n"
	        "  --transfer-option N    the answer that means transfer (default 1)\n"
	        "  --rule RULE            majority (default) or plurality\n"
	        "  --min-turnout PCT      minimum turnout, e.g. 25 or 33.3 (default none)\n"
	        "  --supermajority PCT    share of valid votes needed to carry (default: majority)\n"
	        "  --allow-blank          blank ballots may be cast\n"
	        "  --revote POLICY        last (default) or first ballot of a tenant counts\n"
	        "  --channels LIST        comma-separated: online,phone,postal,in_person (default all)\n"
	        "  --trustees N           trustees holding key shares\n"
	        "  --threshold K          trustees needed to decrypt the count\n"
	        "  --opens TIME           voting opens, UTC: 2027-03-01T09:00:00Z\n"
	        "  --closes TIME          voting closes, UTC\n"
	        "Contact details (SPEC §9.2.1; on letters, receipts and the public site):\n"
	        "  --officer NAME         the returning officer (name or office)\n"
	        "  --officer-address TEXT the officer's postal address; postal ballots go there\n"
	        "  --officer-phone N      the officer's telephone number\n"
	        "  --officer-email ADDR   the officer's e-mail address\n"
	        "  --vote-url URL         where tenants vote online\n"
	        "  --vote-phone N         the number tenants ring to vote by phone\n"
	        "  --board-url URL        where the public bulletin board will be published\n"
	        "                         (ends in '/'; receipts' QR codes open its check page)\n"
	        "  --letters HOW          register (each tenant's language, default) or bilingual\n"
	        "The offer document tenants vote on (SPEC §9.2.2; needs the contact details):\n"
	        "  --offer FILE           the landlord's offer document, hashed (SHA-256) byte for\n"
	        "                         byte as published into the manifest\n"
	        "  --offer-cy FILE        the Welsh offer document, if it is a separate file\n"
	        "  --offer-url URL        where tenants read the offer document\n"
	        "  --offer-url-cy URL     where they read the Welsh one\n"
	        "  --json                 print the election's fingerprint and id as JSON\n"
	        "  -h, --help             this help\n");
}

static int parse_uint(const char *flag, const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || s[0] == '-' || v > max) {
		cli_error("%s takes a whole number up to %u, not '%s'", flag, max, s);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* a default election id from the folder name: lowercase, [a-z0-9-] */
static void id_from_dir(char *out, size_t size, const char *dir)
{
	const char *base = strrchr(dir, '/');
	size_t o = 0;

	base = base && base[1] ? base + 1 : dir;
	for (; *base && o + 1 < size && o < 64; base++) {
		char c = *base;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[o++] = c;
		else if (o > 0 && out[o - 1] != '-')
			out[o++] = '-';
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	out[o] = '\0';
}

int cli_init(int argc, char **argv)
{
	enum { O_MANIFEST = 256, O_ID, O_COUNCIL, O_LANDLORD, O_TITLE, O_QUESTION, O_OPTION,
	       O_TRANSFER, O_RULE, O_TURNOUT, O_SUPER, O_BLANK, O_REVOTE, O_CHANNELS,
	       O_TRUSTEES, O_THRESHOLD, O_OPENS, O_CLOSES, O_JSON, O_OFFICER, O_OFFICER_ADDRESS,
	       O_OFFICER_PHONE, O_OFFICER_EMAIL, O_VOTE_URL, O_VOTE_PHONE, O_BOARD_URL, O_LETTERS,
	       O_OFFER, O_OFFER_CY, O_OFFER_URL, O_OFFER_URL_CY };
	static const struct option longopts[] = {
		{ "manifest", required_argument, NULL, O_MANIFEST },
		{ "id", required_argument, NULL, O_ID },
		{ "council", required_argument, NULL, O_COUNCIL },
		{ "landlord", required_argument, NULL, O_LANDLORD },
		{ "title", required_argument, NULL, O_TITLE },
		{ "question", required_argument, NULL, O_QUESTION },
		{ "option", required_argument, NULL, O_OPTION },
		{ "transfer-option", required_argument, NULL, O_TRANSFER },
		{ "rule", required_argument, NULL, O_RULE },
		{ "min-turnout", required_argument, NULL, O_TURNOUT },
		{ "supermajority", required_argument, NULL, O_SUPER },
		{ "allow-blank", no_argument, NULL, O_BLANK },
		{ "revote", required_argument, NULL, O_REVOTE },
		{ "channels", required_argument, NULL, O_CHANNELS },
		{ "trustees", required_argument, NULL, O_TRUSTEES },
		{ "threshold", required_argument, NULL, O_THRESHOLD },
		{ "opens", required_argument, NULL, O_OPENS },
		{ "closes", required_argument, NULL, O_CLOSES },
		{ "json", no_argument, NULL, O_JSON },
		{ "officer", required_argument, NULL, O_OFFICER },
		{ "officer-address", required_argument, NULL, O_OFFICER_ADDRESS },
		{ "officer-phone", required_argument, NULL, O_OFFICER_PHONE },
		{ "officer-email", required_argument, NULL, O_OFFICER_EMAIL },
		{ "vote-url", required_argument, NULL, O_VOTE_URL },
		{ "vote-phone", required_argument, NULL, O_VOTE_PHONE },
		{ "board-url", required_argument, NULL, O_BOARD_URL },
		{ "letters", required_argument, NULL, O_LETTERS },
		{ "offer", required_argument, NULL, O_OFFER },
		{ "offer-cy", required_argument, NULL, O_OFFER_CY },
		{ "offer-url", required_argument, NULL, O_OFFER_URL },
		{ "offer-url-cy", required_argument, NULL, O_OFFER_URL_CY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_contact contact = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	tv_letters letters = TV_LETTERS_REGISTER;
	bool has_contact = false;
	const char *offer_file = NULL, *offer_cy_file = NULL, *offer_url = NULL,
		   *offer_url_cy = NULL;
	tv_offer offer;
	const char *manifest_file = NULL, *title = NULL, *question = NULL, *dir;
	const char *options_text[TV_MAX_OPTIONS];
	char *texts[2 * (TV_MAX_OPTIONS + 2)] = { NULL };
	size_t ntexts = 0, noptions = 0, i;
	char id[72];
	bool json = false, transfer_given = false, rule_given = false;
	tv_ctx *ctx = NULL;
	tv_manifest *m = NULL;
	tv_box *box = NULL;
	tv_status st;
	int rc = CLI_ERROR, opt;

	if ((st = tv_ctx_new(&ctx, NULL)) != TV_OK) {
		cli_error("cannot start the library: %s", tv_status_str(st));
		return CLI_ERROR;
	}
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case O_MANIFEST: manifest_file = optarg; break;
		case O_ID: o.election_id = optarg; break;
		case O_COUNCIL: o.council = optarg; break;
		case O_LANDLORD: o.landlord = optarg; break;
		case O_TITLE: title = optarg; break;
		case O_QUESTION: question = optarg; break;
		case O_OPTION:
			if (noptions == TV_MAX_OPTIONS) {
				cli_error("at most %d --option", TV_MAX_OPTIONS);
				rc = CLI_USAGE;
				goto out;
			}
			options_text[noptions++] = optarg;
			break;
		case O_TRANSFER:
			if (parse_uint("--transfer-option", optarg, TV_MAX_OPTIONS, &o.transfer_option) != 0) {
				rc = CLI_USAGE;
				goto out;
			}
			transfer_given = true;
			break;
		case O_RULE:
			rule_given = true;
			if ((st = tv_rule_parse(ctx, &o.rule, optarg)) != TV_OK) {
				rc = cli_lib_error(ctx, "--rule", st) == CLI_FAILED ? CLI_USAGE : CLI_ERROR;
				goto out;
			}
			break;
		case O_TURNOUT:
			if ((st = tv_percent_parse(ctx, &o.min_turnout_tenths, optarg)) != TV_OK) {
				rc = cli_lib_error(ctx, "--min-turnout", st) == CLI_FAILED ? CLI_USAGE : CLI_ERROR;
				goto out;
			}
			break;
		case O_SUPER:
			if ((st = tv_percent_parse(ctx, &o.supermajority_tenths, optarg)) != TV_OK) {
				rc = cli_lib_error(ctx, "--supermajority", st) == CLI_FAILED ? CLI_USAGE : CLI_ERROR;
				goto out;
			}
			break;
		case O_BLANK: o.allow_blank = 1; break;
		case O_REVOTE:
			if ((st = tv_revote_parse(ctx, &o.revote, optarg)) != TV_OK) {
				rc = cli_lib_error(ctx, "--revote", st) == CLI_FAILED ? CLI_USAGE : CLI_ERROR;
				goto out;
			}
			break;
		case O_CHANNELS:
			if ((st = tv_channels_parse(ctx, &o.channels, optarg)) != TV_OK) {
				rc = cli_lib_error(ctx, "--channels", st) == CLI_FAILED ? CLI_USAGE : CLI_ERROR;
				goto out;
			}
			break;
		case O_TRUSTEES:
			if (parse_uint("--trustees", optarg, TV_MAX_TRUSTEES, &o.trustees) != 0) {
				rc = CLI_USAGE;
				goto out;
			}
			break;
		case O_THRESHOLD:
			if (parse_uint("--threshold", optarg, TV_MAX_TRUSTEES, &o.threshold) != 0) {
				rc = CLI_USAGE;
				goto out;
			}
			break;
		case O_OPENS:
		case O_CLOSES:
			if ((st = tv_time_parse(ctx, opt == O_OPENS ? &o.opens : &o.closes, optarg)) != TV_OK) {
				rc = cli_lib_error(ctx, opt == O_OPENS ? "--opens" : "--closes", st) == CLI_FAILED
				             ? CLI_USAGE : CLI_ERROR;
				goto out;
			}
			break;
		case O_JSON: json = true; break;
		case O_OFFICER: contact.officer = optarg; has_contact = true; break;
		case O_OFFICER_ADDRESS: contact.address = optarg; has_contact = true; break;
		case O_OFFICER_PHONE: contact.phone = optarg; has_contact = true; break;
		case O_OFFICER_EMAIL: contact.email = optarg; has_contact = true; break;
		case O_VOTE_URL: contact.vote_url = optarg; has_contact = true; break;
		case O_VOTE_PHONE: contact.vote_phone = optarg; has_contact = true; break;
		case O_BOARD_URL: contact.board_url = optarg; has_contact = true; break;
		case O_LETTERS:
			has_contact = true;
			if (strcmp(optarg, "register") == 0) {
				letters = TV_LETTERS_REGISTER;
			} else if (strcmp(optarg, "bilingual") == 0) {
				letters = TV_LETTERS_BILINGUAL;
			} else {
				cli_error("--letters takes register or bilingual, not '%s'", optarg);
				rc = CLI_USAGE;
				goto out;
			}
			break;
		case O_OFFER: offer_file = optarg; break;
		case O_OFFER_CY: offer_cy_file = optarg; break;
		case O_OFFER_URL: offer_url = optarg; break;
		case O_OFFER_URL_CY: offer_url_cy = optarg; break;
		case 'h':
			cli_init_help(stdout);
			rc = CLI_OK;
			goto out;
		default:
			cli_init_help(stderr);
			rc = CLI_USAGE;
			goto out;
		}
	}
	if (optind + 1 != argc) {
		cli_error(optind == argc ? "init needs the election folder: tenantvote init DIR ..."
		                         : "init takes one folder; unexpected '%s'",
		          argv[optind + (optind < argc)]);
		rc = CLI_USAGE;
		goto out;
	}
	dir = argv[optind];

	if (manifest_file != NULL && (o.election_id != NULL || o.council != NULL ||
	                              o.landlord != NULL || title != NULL || question != NULL ||
	                              noptions > 0 || o.trustees != 0 || o.threshold != 0 ||
	                              o.opens != 0 || o.closes != 0)) {
		cli_error("--manifest FILE holds every setting: give the others (--id, --council, "
		          "--title, ...) in the file, not as options");
		rc = CLI_USAGE;
		goto out;
	}
	/* the council and landlord are one text each, in both languages at once */
	if ((o.council != NULL && strchr(o.council, '|') != NULL) ||
	    (o.landlord != NULL && strchr(o.landlord, '|') != NULL)) {
		cli_error("--%s is one name, printed as given in both languages: write "
		          "\"Cyngor Sir Enghraifft / Example County Council\", not \"...|...\"",
		          o.council != NULL && strchr(o.council, '|') != NULL ? "council" : "landlord");
		rc = CLI_USAGE;
		goto out;
	}
	if (manifest_file != NULL && has_contact) {
		cli_error("--manifest FILE holds the contact details too: give them there, "
		          "not as options");
		rc = CLI_USAGE;
		goto out;
	}
	if (offer_file == NULL && (offer_cy_file != NULL || offer_url != NULL ||
	                           offer_url_cy != NULL)) {
		cli_error("--offer-cy, --offer-url and --offer-url-cy go with --offer FILE, the "
		          "offer document itself");
		rc = CLI_USAGE;
		goto out;
	}
	if (offer_file != NULL && manifest_file != NULL) {
		cli_error("--manifest FILE holds the offer document's hash too (format 3): give it "
		          "there, not as options");
		rc = CLI_USAGE;
		goto out;
	}
	if (offer_file != NULL && !has_contact) {
		cli_error("--offer needs the contact details too (at least --officer and "
		          "--officer-address): letters tell tenants where to read the offer and "
		          "whom to ask about it");
		rc = CLI_USAGE;
		goto out;
	}
	memset(&offer, 0, sizeof(offer));
	if (offer_file != NULL) {
		if ((rc = cli_hash_file(offer.sha256, offer_file, "--offer")) != CLI_OK ||
		    (offer_cy_file != NULL &&
		     (rc = cli_hash_file(offer.sha256_cy, offer_cy_file, "--offer-cy")) != CLI_OK))
			goto out;
		rc = CLI_ERROR;
		offer.has_cy = offer_cy_file != NULL;
		offer.url = offer_url;
		offer.url_cy = offer_url_cy;
	}
	if (manifest_file != NULL) {
		if ((rc = cli_load_manifest(ctx, &m, manifest_file)) != CLI_OK)
			goto out;
		rc = CLI_ERROR;
	} else {
		if (title == NULL || question == NULL || noptions < 2 || o.council == NULL ||
		    o.trustees == 0 || o.threshold == 0 || o.opens == 0 || o.closes == 0) {
			cli_error("init needs --manifest FILE, or at least --council, --title, --question, "
			          "two --option, --trustees, --threshold, --opens and --closes");
			rc = CLI_USAGE;
			goto out;
		}
		if (o.election_id == NULL) {
			id_from_dir(id, sizeof(id), dir);
			o.election_id = id;
		}
		/*
		 * With two answers, yes/no: majority, and answer 1 means transfer.
		 * With three or more ("stay", "housing association", "mutual") no
		 * default is safe: the officer says which rule and which answer.
		 */
		if (noptions >= 3 && (!rule_given || (o.rule == TV_RULE_MAJORITY && !transfer_given))) {
			cli_error(!rule_given
			          ? "with %zu answers, say how they are counted: --rule majority "
			            "--transfer-option N (the answer that means transfer), or --rule "
			            "plurality"
			          : "with %zu answers under --rule majority, say which one means "
			            "transfer: --transfer-option N", noptions);
			rc = CLI_USAGE;
			goto out;
		}
		if (!transfer_given && o.rule == TV_RULE_MAJORITY)
			o.transfer_option = 1;
		/* "English|Cymraeg" to the two languages */
		if ((st = tv_text_parse(ctx, &texts[ntexts], &texts[ntexts + 1], title)) != TV_OK) {
			rc = cli_lib_error(ctx, "--title", st);
			goto out;
		}
		o.title.en = texts[ntexts++];
		o.title.cy = texts[ntexts++];
		if ((st = tv_text_parse(ctx, &texts[ntexts], &texts[ntexts + 1], question)) != TV_OK) {
			rc = cli_lib_error(ctx, "--question", st);
			goto out;
		}
		o.question.en = texts[ntexts++];
		o.question.cy = texts[ntexts++];
		for (i = 0; i < noptions; i++) {
			if ((st = tv_text_parse(ctx, &texts[ntexts], &texts[ntexts + 1],
			                        options_text[i])) != TV_OK) {
				rc = cli_lib_error(ctx, "--option", st);
				goto out;
			}
			o.options[i].en = texts[ntexts++];
			o.options[i].cy = texts[ntexts++];
		}
		o.option_count = noptions;
		st = offer_file != NULL
		         ? tv_manifest_new_offer(ctx, &m, &o, &contact, letters, &offer)
		     : has_contact ? tv_manifest_new_contact(ctx, &m, &o, &contact, letters)
		                   : tv_manifest_new(ctx, &m, &o);
		if (st != TV_OK) {
			rc = cli_lib_error(ctx, "the election's settings", st);
			goto out;
		}
	}
	/* a window already over would refuse every vote, then declare nothing */
	if (tv_manifest_closes(m) <= (int64_t)time(NULL)) {
		char closes[TV_TIME_FORMAT_BYTES];

		if (tv_time_format(ctx, closes, tv_manifest_closes(m)) != TV_OK)
			snprintf(closes, sizeof(closes), "%lld", (long long)tv_manifest_closes(m));
		cli_error("the voting window closes at %s, which has passed: give a window still to "
		          "come (--opens and --closes, in UTC)", closes);
		rc = CLI_FAILED;
		goto out;
	}
	if ((st = tv_box_create(ctx, &box, dir, m)) != TV_OK) {
		rc = cli_lib_error(ctx, "making the election", st);
		goto out;
	}
	{
		/* the public manifest, for the credential authority and trustees */
		char path[4096], *mj = NULL;
		size_t mlen;

		snprintf(path, sizeof(path), "%s/manifest.json", dir);
		if ((st = tv_manifest_to_json(ctx, &mj, &mlen, m)) != TV_OK) {
			rc = cli_lib_error(ctx, "writing the manifest", st);
			goto out;
		}
		{
			size_t have_len;
			char *have = access(path, F_OK) == 0 ? cli_read_file(path, &have_len, 1 << 20)
			                                      : NULL;

			/* init --manifest DIR/manifest.json: already there, the same */
			if (have != NULL && have_len == mlen && memcmp(have, mj, mlen) == 0)
				rc = CLI_OK;
			else
				rc = cli_write_new(path, mj, 0644);
			free(have);
		}
		tv_free(ctx, mj);
		if (rc != CLI_OK)
			goto out;
	}
	{
		uint8_t f[32];
		char hex[65];

		tv_manifest_fingerprint(f, m);
		cli_hex(hex, f, sizeof(f));
		if (json)
			cli_print_json(json_pack("{s:s, s:s, s:s}", "election_id",
			                         tv_manifest_election_id(m), "fingerprint", hex, "dir", dir));
		else {
			printf("Election %s made in %s. Its settings, now fixed for good:\n\n",
			       tv_manifest_election_id(m), dir);
			cli_show_manifest(ctx, m);
			printf("\nNext: tenantvote register import FILE.csv -d %s\n", dir);
		}
	}
	rc = CLI_OK;
out:
	for (i = 0; i < ntexts; i++)
		tv_free(ctx, texts[i]);
	tv_box_free(box);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
	return rc;
}

/* --------------------------------------------------------------- register */

void cli_register_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote register import FILE.csv [-d DIR]\n"
	        "\n"
	        "Loads the council's tenant register into the election in DIR (default .).\n"
	        "The file has a header row and the columns tenancy_ref, name, address and\n"
	        "tenancy_type (secure or introductory), in any order, and optionally email,\n"
	        "phone and language (en or cy). Joint tenants are separate rows sharing a\n"
	        "tenancy_ref; each of them votes.\n"
	        "\n"
	        "Every problem is listed with its line number, and then nothing is loaded:\n"
	        "fix the file and run the command again. Importing again replaces the\n"
	        "register, until credentials are issued; after that it is refused.\n"
	        "\n"
	        "  -d, --dir DIR   the election folder (default .)\n"
	        "  --json          print the result as JSON\n"
	        "  -h, --help      this help\n");
}

void cli_print_problem(uint32_t line, const char *message, void *payload)
{
	cli_problem_report *r = payload;

	if (line == 0)
		fprintf(stderr, "%s: %s\n", r->file, message);
	else
		fprintf(stderr, "%s line %u: %s\n", r->file, line, message);
	r->count++;
}

int cli_register(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *file;
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_register *reg = NULL;
	cli_problem_report report = { NULL, 0 };
	char *csv = NULL;
	size_t len = 0;
	tv_status st;
	int rc = CLI_ERROR, opt;

	if (argc >= 2 && cli_is_help(argv[1])) {
		cli_register_help(stdout);
		return CLI_OK;
	}
	if (argc < 2 || strcmp(argv[1], "import") != 0) {
		cli_error("register: the action is 'import': tenantvote register import FILE.csv");
		return CLI_USAGE;
	}
	argc--, argv++;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_register_help(stdout); return CLI_OK;
		default: cli_register_help(stderr); return CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_error("register import takes one file: tenantvote register import FILE.csv");
		return CLI_USAGE;
	}
	file = report.file = argv[optind];
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if ((csv = cli_read_file(file, &len, (size_t)512 << 20)) == NULL)
		goto out;
	st = tv_register_parse(ctx, &reg, (const uint8_t *)csv, len, file, cli_print_problem, &report);
	if (st != TV_OK) {
		if (report.count == 0)
			cli_error("%s: %s", file, tv_ctx_last_error(ctx));
		cli_error("the register was not loaded: %s", tv_status_is_rejection(st)
		          ? "fix the problems above and import again" : tv_ctx_last_error(ctx));
		rc = tv_status_is_rejection(st) ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	if ((st = tv_box_import_register(ctx, box, reg, file)) != TV_OK) {
		rc = cli_lib_error(ctx, "loading the register", st);
		goto out;
	}
	if (json)
		cli_print_json(json_pack("{s:I, s:s}", "tenants", (json_int_t)tv_register_count(reg),
		                         "file", file));
	else
		printf("Loaded %zu tenants from %s.\nNext: the credential authority runs "
		       "'tenantvote credentials make --manifest %s/manifest.json --register %s "
		       "--out DIR' on its own machine, and you run 'tenantvote credentials import "
		       "DIR/credentials-issue.json -d %s'\n", tv_register_count(reg), file, dir, file,
		       dir);
	rc = CLI_OK;
out:
	if (csv != NULL) {
		OPENSSL_cleanse(csv, len); /* tenants' personal data */
		free(csv);
	}
	tv_register_free(reg);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ------------------------------------------------------------ credentials */

void cli_credentials_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote credentials make --manifest M.json --register R.csv --out DIR\n"
	        "       tenantvote credentials import FILE [-d DIR]\n"
	        "       tenantvote credentials issue --letters OUT.csv [--letters-pdf FILE\n"
	        "                                    [--large-print]] [-d DIR]\n"
	        "       tenantvote credentials codes --record R [--find XXXX-XXXX]\n"
	        "       tenantvote credentials replace --tenant N --register R.csv ...\n"
	        "       tenantvote credentials late --late LATE.csv ...\n"
	        "       tenantvote credentials apply CHANGE.json [-d DIR] [--void-counted-ballot]\n"
	        "\n"
	        "  make     the credential authority, on its own machine (see make --help)\n"
	        "  import   the ballot box takes the authority's signed list (import --help)\n"
	        "  issue    both on the box's machine, for demonstrations and tests\n"
	        "  codes    the check codes of a record's published list (codes --help)\n"
	        "  replace  the authority: a new code for a lost letter (replace --help)\n"
	        "  late     the authority: codes for late tenants (late --help)\n"
	        "  apply    the ballot box takes the authority's signed changes, while\n"
	        "           voting is open (apply --help)\n"
	        "\n"
	        "The ballot box's machine acting as its own credential authority, for\n"
	        "demonstrations and tests: in a real ballot the credential authority runs\n"
	        "'tenantvote credentials make' on its own machine and the officer runs\n"
	        "'tenantvote credentials import'; see 'tenantvote credentials make --help'.\n"
	        "\n"
	        "Makes one secret credential code for every tenant on the register and\n"
	        "writes the letters file for the mailing house: tenancy_ref, name,\n"
	        "address, language, code and check_code, one row per tenant. The check\n"
	        "code lets a tenant find their credential on the published list. The\n"
	        "authority's key made here is forgotten, so the list can never be\n"
	        "changed afterwards. Only each code's public\n"
	        "credential is kept in the ballot box; the codes exist nowhere but in the\n"
	        "letters file, which is made readable by its owner only (mode 0600).\n"
	        "Send it securely and delete it once the letters are printed.\n"
	        "\n"
	        "Credentials are issued once. If anything fails, no credential is stored\n"
	        "and the letters file is removed.\n"
	        "\n"
	        "  --letters OUT.csv  the letters file to make (must not exist)\n"
	        "  --letters-pdf FILE also the letters as one PDF for the mailing house\n"
	        "                     (mode 0600, must not exist): one letter per tenant,\n"
	        "                     in the language the manifest and register say, in\n"
	        "                     English only when the manifest has no Welsh (SPEC §11.9)\n"
	        "  --large-print      the PDF's letters in large print (body 16 pt)\n"
	        "  -d, --dir DIR      the election folder (default .)\n"
	        "  --json             print the result as JSON\n"
	        "  -h, --help         this help\n");
}

typedef struct letter_writer {
	FILE *f;            /* sf.f: its buffer is wiped when it is closed */
	int fd;
	unsigned long count;
	cli_secret_file sf;
	tv_ctx *ctx;
	uint8_t fingerprint[32];
	cli_pdf_letters *pdf; /* --letters-pdf, or NULL */
	bool pdf_done;        /* the PDF is whole and on disk */
	unsigned long total;  /* tenants on the register, for the progress line */
	int write_errno;      /* why the letters could not be written, or 0 */
} letter_writer;

static int write_field(FILE *f, const char *text, bool last)
{
	if (csv_fwrite(f, text, strlen(text)) != 0)
		return -1;
	return fputc(last ? '\n' : ',', f) == EOF ? -1 : 0;
}

static int write_letter_now(const tv_tenant *t, const char *code, void *payload);

/* the reason a letter could not be written is kept: the box's own
 * failure (its disk full, say) must not be blamed on the letters file */
static int write_letter(const tv_tenant *t, const char *code, void *payload)
{
	letter_writer *w = payload;
	int rc;

	errno = 0;
	rc = write_letter_now(t, code, payload);
	if (rc != 0 && w->write_errno == 0)
		w->write_errno = errno ? errno : EIO;
	return rc;
}

static int write_letter_now(const tv_tenant *t, const char *code, void *payload)
{
	letter_writer *w = payload;
	char check[TV_CHECK_CODE_LEN + 1];

	if (t == NULL) {
		/* all written: make the files durable before the box commits */
		if (fflush(w->f) != 0 || fsync(w->fd) != 0)
			return -1;
		if (w->pdf != NULL) {
			cli_pdf_letters *pdf = w->pdf;

			w->pdf = NULL;
			if (cli_pdf_letters_close(pdf) != CLI_OK)
				return -1;
			w->pdf_done = true;
		}
		cli_progress_end();
		return 0;
	}
	if (cli_check_code(w->ctx, check, code, w->fingerprint) != 0 ||
	    write_field(w->f, t->tenancy_ref, false) || write_field(w->f, t->name, false) ||
	    write_field(w->f, t->address, false) || write_field(w->f, t->language, false) ||
	    write_field(w->f, code, false) || write_field(w->f, check, true) ||
	    (w->pdf != NULL && cli_pdf_letters_add(w->pdf, t, code, check) != 0))
		return -1;
	w->count++;
	if (w->count % 256 == 0 || w->count == w->total)
		cli_progress("issuing credentials", w->count, w->total);
	return 0;
}

int cli_credentials(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "letters", required_argument, NULL, 'l' },
		{ "letters-pdf", required_argument, NULL, 'P' },
		{ "large-print", no_argument, NULL, 'L' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *letters = NULL, *pdf_file = NULL;
	bool json = false, large = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	letter_writer w = { NULL, -1, 0, { NULL, { 0 } }, NULL, { 0 }, NULL, false };
	bool issued_before = false;
	tv_status st;
	int rc = CLI_ERROR, opt;

	if (argc >= 2 && cli_is_help(argv[1])) {
		cli_credentials_help(stdout);
		return CLI_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "make") == 0)
		return cli_credentials_make(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return cli_credentials_import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "codes") == 0)
		return cli_credentials_codes(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "replace") == 0)
		return cli_credentials_change(argc - 1, argv + 1, false);
	if (argc >= 2 && strcmp(argv[1], "late") == 0)
		return cli_credentials_change(argc - 1, argv + 1, true);
	if (argc >= 2 && strcmp(argv[1], "apply") == 0)
		return cli_credentials_apply(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "issue") != 0) {
		cli_error("credentials: the action is make, replace or late (on the credential "
		          "authority's machine), import or apply (into the ballot box), issue (both "
		          "on one machine) or codes");
		return CLI_USAGE;
	}
	argc--, argv++;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l': letters = optarg; break;
		case 'P': pdf_file = optarg; break;
		case 'L': large = true; break;
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_credentials_help(stdout); return CLI_OK;
		default: cli_credentials_help(stderr); return CLI_USAGE;
		}
	}
	if (letters == NULL || optind != argc) {
		cli_error("credentials issue needs --letters OUT.csv and nothing else");
		return CLI_USAGE;
	}
	if (large && pdf_file == NULL) {
		cli_error("--large-print is for the PDF letters: give --letters-pdf FILE too");
		return CLI_USAGE;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	{
		tv_box_status before;
		tv_status bst = tv_box_get_status(ctx, &before, box);

		if (bst != TV_OK) {
			rc = cli_lib_error(ctx, "reading the election", bst);
			goto out;
		}
		issued_before = before.credentials_issued != 0;
		w.total = before.electorate;
	}
	/* owner-only from the first byte; never over an existing file */
	w.fd = open(letters, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (w.fd < 0) {
		if (errno == EEXIST) {
			cli_error("%s already exists; choose another name (it may hold codes already sent)",
			          letters);
			rc = CLI_FAILED;
		} else {
			cli_error("cannot make %s: %s", letters, cli_strerror(errno));
		}
		goto out;
	}
	w.f = cli_secret_fdopen(&w.sf, w.fd) == 0 ? w.sf.f : NULL;
	w.ctx = ctx;
	tv_manifest_fingerprint(w.fingerprint, tv_box_manifest(box));
	if (w.f == NULL || fputs("tenancy_ref,name,address,language,code,check_code\n", w.f) == EOF) {
		cli_error("cannot write %s: %s", letters, cli_strerror(errno));
		goto fail_file;
	}
	if (pdf_file != NULL &&
	    (rc = cli_pdf_letters_open(&w.pdf, pdf_file, tv_box_manifest(box), large)) != CLI_OK)
		goto fail_file;
	rc = CLI_ERROR;
	st = tv_box_issue_credentials(ctx, box, write_letter, &w);
	cli_progress_end();
	if (st != TV_OK) {
		tv_box *again = NULL;
		tv_box_status s;

		if (w.write_errno != 0)
			cli_error("writing %s: %s", letters, cli_strerror(w.write_errno));
		rc = cli_lib_error(ctx, "issuing credentials", st);
		/*
		 * A failed commit does not prove nothing was stored (a WAL frame
		 * may be replayed on the next open). If the box now says the
		 * credentials are issued, the letters hold the only copy of the
		 * codes: keep them.
		 */
		tv_box_free(box);
		box = NULL;
		if (!issued_before && tv_box_open(ctx, &again, dir) == TV_OK &&
		    tv_box_get_status(ctx, &s, again) == TV_OK && s.credentials_issued) {
			cli_error("the ballot box records the credentials as issued despite the error: "
			          "KEEP %s, it holds the only copy of the codes", letters);
			if (w.pdf_done)
				cli_error("and keep %s, the same codes as letters", pdf_file);
			if (w.f != NULL)
				cli_secret_fclose(&w.sf);
			w.f = NULL;
			tv_box_free(again);
			goto out;
		}
		tv_box_free(again);
		goto fail_file;
	}
	if (cli_secret_fclose(&w.sf) != 0) {
		/* the data was synced already; a close error still deserves a word */
		cli_error("closing %s: %s", letters, cli_strerror(errno));
	}
	w.f = NULL;
	if (json)
		cli_print_json(json_pack("{s:I, s:s, s:s?}", "credentials", (json_int_t)w.count,
		                         "letters", letters, "letters_pdf", pdf_file));
	else
		printf("Issued %lu credentials. Letters: %s%s%s (readable by you only).\n"
		       "Send them to the mailing house securely and delete them after printing.\n",
		       w.count, letters, pdf_file ? " and " : "", pdf_file ? pdf_file : "");
	rc = CLI_OK;
	goto out;
fail_file:
	if (w.f != NULL)
		cli_secret_fclose(&w.sf);
	else if (w.fd >= 0)
		close(w.fd);
	w.f = NULL;
	unlink(letters);
	cli_pdf_letters_abort(w.pdf);
	if (w.pdf_done)
		unlink(pdf_file); /* its codes are of credentials never issued */
out:
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ----------------------------------------------------------------- status */

void cli_status_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote status [-d DIR] [--json]\n"
	        "\n"
	        "Shows the election's stage and what is done: register, credentials,\n"
	        "election key; the electorate. It never shows partial results.\n"
	        "\n"
	        "  -d, --dir DIR   the election folder (default .)\n"
	        "  --json          print as JSON\n"
	        "  -h, --help      this help\n");
}

/*
 * Trustee @p i's step in the key ceremony, from what the election folder
 * holds: "done" once the box has recorded the key from the checked
 * transcript, else the latest message of DIR/ceremony (SPEC §12.12) that
 * the trustee has published there: not yet checked, as the box checks
 * them only all together.
 */
static const char *ceremony_step(const char *dir, uint32_t i, bool key_ready)
{
	static const char *const kinds[] = { "complaint", "result", "reveal", "commit" };
	static const char *const steps[] = { "complained", "result", "revealed", "committed" };
	char path[4096];

	if (key_ready)
		return "done";
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		snprintf(path, sizeof(path), "%s/ceremony/%s-%u.json", dir, kinds[k], i);
		if (access(path, F_OK) == 0)
			return steps[k];
	}
	return "not started";
}

int cli_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const phases[] = { "?", "setup", "open", "closed" };
	char turnout[32];
	const char *dir = ".";
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_box_status s;
	const tv_manifest *m;
	tv_status st;
	int rc, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_status_help(stdout); return CLI_OK;
		default: cli_status_help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		cli_error("status takes no argument '%s'", argv[optind]);
		return CLI_USAGE;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	if ((st = tv_box_get_status(ctx, &s, box)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the election", st);
		goto out;
	}
	m = tv_box_manifest(box);
	/* turnout so far: tenants who have voted, never how (one decimal, half up) */
	if (s.electorate > 0) {
		uint64_t tenths = (s.voters * 2000 / s.electorate + 1) / 2;

		snprintf(turnout, sizeof(turnout), "%llu.%llu", (unsigned long long)(tenths / 10),
		         (unsigned long long)(tenths % 10));
	} else {
		snprintf(turnout, sizeof(turnout), "0.0");
	}
	if (json) {
		json_t *steps = json_array();

		for (uint32_t i = 1; i <= tv_manifest_trustees(m); i++)
			json_array_append_new(steps, json_pack("{s:I, s:s}", "trustee", (json_int_t)i,
			                                       "step", ceremony_step(dir, i,
			                                                             s.election_key_ready)));
		cli_print_json(json_pack("{s:o, s:s, s:s, s:I, s:b, s:b, s:b, s:I, s:I, s:I, s:I, "
		                         "s:{s:I, s:I, s:I, s:I}, s:s}",
		                         "ceremony", steps,
		                         "election_id", tv_manifest_election_id(m),
		                         "phase", phases[s.phase <= 3 ? s.phase : 0],
		                         "electorate", (json_int_t)s.electorate,
		                         "register_imported", s.register_imported,
		                         "credentials_issued", s.credentials_issued,
		                         "election_key_ready", s.election_key_ready,
		                         "trustees", (json_int_t)tv_manifest_trustees(m),
		                         "threshold", (json_int_t)tv_manifest_threshold(m),
		                         "cast", (json_int_t)s.ballots,
		                         "voters", (json_int_t)s.voters,
		                         "by_channel", "online", (json_int_t)s.by_channel[0],
		                         "phone", (json_int_t)s.by_channel[1],
		                         "postal", (json_int_t)s.by_channel[2],
		                         "in_person", (json_int_t)s.by_channel[3],
		                         "turnout_pct", turnout));
	} else {
		printf("Election:     %s (%s)\n", tv_manifest_title(m).en, tv_manifest_election_id(m));
		printf("Stage:        %s\n", phases[s.phase <= 3 ? s.phase : 0]);
		printf("Register:     %s\n", s.register_imported ? "loaded" : "not yet loaded");
		printf("Electorate:   %u\n", s.electorate);
		printf("Credentials:  %s\n", s.credentials_issued ? "issued" : "not yet issued");
		printf("Election key: %s (%u of %u trustees needed to decrypt)\n",
		       s.election_key_ready ? "ready" : "key ceremony not finished",
		       tv_manifest_threshold(m), tv_manifest_trustees(m));
		if (!s.election_key_ready && s.credentials_issued) {
			printf("Ceremony:     (each trustee's latest message in %s/ceremony)\n", dir);
			for (uint32_t i = 1; i <= tv_manifest_trustees(m); i++)
				printf("  trustee %u: %s\n", i, ceremony_step(dir, i, false));
		}
		if (s.phase != TV_PHASE_SETUP)
			printf("Cast:         %llu (online %llu, phone %llu, postal %llu, in person "
			       "%llu), revotes and spoilt papers included\n"
			       "Turnout:      %llu of %u tenants have voted, %s%%\n",
			       (unsigned long long)s.ballots, (unsigned long long)s.by_channel[0],
			       (unsigned long long)s.by_channel[1], (unsigned long long)s.by_channel[2],
			       (unsigned long long)s.by_channel[3], (unsigned long long)s.voters,
			       s.electorate, turnout);
	}
	rc = CLI_OK;
out:
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}
