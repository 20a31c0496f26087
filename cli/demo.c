/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote demo: a whole demonstration ballot through the library.
 *   set-up:  init (bilingual manifest), register import (a made-up Welsh
 *            council register with joint tenants), credentials issue
 *            (letters file), the trustees' 3-of-5 key ceremony, open;
 *   voting:  tenants vote online and by phone on their devices (a ballot
 *            challenged and checked, a revote, a refused replay); the
 *            postal papers come in as one intake batch, with spoilt papers;
 *            every receipt is signed once the ballot is on disk; close;
 *   count:   the encrypted sums of the entries that count, three of the
 *            five trustees' partial decryptions with proofs, the counting
 *            rule and the declaration in English and Welsh;
 *   record:  the public record exported, checked by the universal
 *            verifier, and every tenant's receipt checked against it.
 * The demo knows how every tenant voted (it plays all of them), so it also
 * checks that the declared figures are exactly what was cast.
 */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700

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

/* who the demo's tenants contact, and where they vote and check (SPEC §9.2.1) */
static const tv_contact demo_contact = {
	"Swyddog Canlyniadau / Returning Officer, Cyngor Sir Enghraifft",
	"Canolfan Ddinesig / Civic Centre, Stryd y Castell, Llanfair LL00 1AA",
	"01234 567890",
	"pleidlais@enghraifft.example",
	"https://pleidlais.enghraifft.example/llanfair-2027/",
	"0800 123 4567",
	"https://bwrdd.enghraifft.example/llanfair-2027/",
};

/* the landlord's offer document (SPEC §9.2.2): the demo writes it to DIR/offer.txt */
static const char demo_offer[] =
	"Llanfair Community Housing Mutual: the offer to the tenants of Example County Council\n"
	"Cydfuddiannol Tai Llanfair: y cynnig i denantiaid Cyngor Sir Enghraifft\n"
	"\n"
	"Rents frozen for five years; every home brought up to the Welsh Housing Quality\n"
	"Standard within three; your tenancy rights kept in full.\n";

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
	        "voting online and by phone with signed receipts, a challenged ballot,\n"
	        "a revote and a refused replay, the postal papers as an intake batch\n"
	        "with spoilt papers, close, the encrypted totals, three of the five\n"
	        "trustees' decryptions, the declaration, the public record and its\n"
	        "verification, and every tenant's receipt checked against the record.\n"
	        "Prints the declaration and the verifier's summary.\n"
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
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
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
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		return -1;
	}
	return 0;
}

typedef struct demo_letters {
	FILE *f;            /* sf.f: its buffer is wiped when it is closed */
	cli_secret_file sf;
	char (*codes)[TV_CREDENTIAL_TEXT_LEN + 1];
	unsigned long count, max;
	tv_ctx *ctx;
	uint8_t fingerprint[32];
} demo_letters;

static int demo_letter(const tv_tenant *t, const char *code, void *payload)
{
	demo_letters *l = payload;
	char check[TV_CHECK_CODE_LEN + 1];

	if (t == NULL)
		return fflush(l->f) == 0 && fsync(fileno(l->f)) == 0 ? 0 : -1;
	if (l->count >= l->max)
		return -1;
	/* the demo plays every tenant, so it keeps the codes it mails */
	snprintf(l->codes[l->count++], TV_CREDENTIAL_TEXT_LEN + 1, "%s", code);
	return csv_fwrite(l->f, t->tenancy_ref, strlen(t->tenancy_ref)) != 0 ||
	       fputc(',', l->f) == EOF || csv_fwrite(l->f, t->name, strlen(t->name)) != 0 ||
	       cli_check_code(l->ctx, check, code, l->fingerprint) != 0 ||
	       fprintf(l->f, ",%s,%s\n", code, check) < 0;
}

static int demo_ca_letter(const tv_tenant *t, const char *code, const char *check, void *payload)
{
	(void)check;
	return demo_letter(t, code, payload);
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

/* ------------------------------------------------------------- the ballot */

/* what one demo run holds; the demo plays every tenant */
typedef struct demo {
	tv_ctx *ctx;
	tv_box *box;
	const tv_manifest *m;
	const char *dir;
	unsigned long tenants;
	char (*codes)[TV_CREDENTIAL_TEXT_LEN + 1];
	tv_election_key ekey;
	tv_ed25519_secret_key box_key;
	uint8_t fingerprint[32];
	tv_receipt *receipts;      /* per tenant: the receipt of the last entry */
	tv_receipt superseded;     /* tenant 1's first ballot, replaced by the revote */
	unsigned long *postal;     /* the tenants on an intake batch, in row order */
	unsigned long postal_count;
	/* the credential authority, apart from the box: its key, its issue
	 * file, the papers it made (SPEC §15.8) and their seed */
	tv_authority *authority;
	char *issue;
	tv_paper_print *papers;
	uint8_t seed[TV_PAPER_SEED_BYTES];
	FILE *paper_box, *paper_csv;
	unsigned long opened, paper_votes[3];
	const char *batch_what;    /* the progress line of the batch being cast */
	unsigned long by_channel[3], challenged, replays_refused, spoilt;
	uint64_t expected_votes[DEMO_OPTIONS], expected_blank, expected_rejected;
	uint64_t on_board;
} demo;

enum { DEMO_ONLINE, DEMO_POSTAL, DEMO_PHONE };

static const uint32_t demo_channel_bit[3] = { TV_CHANNEL_ONLINE, TV_CHANNEL_POSTAL,
                                              TV_CHANNEL_PHONE };

/* tenant i's channel, and the choice on the ballot (before any revote) */
static int demo_channel(unsigned long i)
{
	return (int)(i % 3);
}

static uint32_t demo_choice(unsigned long i)
{
	if (i % 5 == 4)
		return TV_BALLOT_BLANK;
	return (i * 7) % 11 < 4 ? 2 : 1;
}

/* a postal paper rejected at the count, or 0 */
static tv_spoilt_reason demo_spoilt(unsigned long i)
{
	if (demo_channel(i) != DEMO_POSTAL)
		return 0;
	return i % 24 == 7 ? TV_SPOILT_NO_OFFICIAL_MARK :
	       i % 24 == 10 ? TV_SPOILT_MORE_THAN_ONE_ANSWER : 0;
}

/* the window shared out evenly: the tenants, the postal batch, the revote */
static int64_t demo_time(const demo *d, unsigned long step)
{
	int64_t window = tv_manifest_closes(d->m) - tv_manifest_opens(d->m);

	return tv_manifest_opens(d->m) + (int64_t)step * (window / (int64_t)(d->tenants + 4));
}

/* tenant 1's device prepares a ballot (unsigned) and shows its tracking
 * code; tenant 1 challenges it instead of casting: the device opens it, a
 * second device checks it, and the box publishes it on the board, where it
 * is never counted. It was never signed, so it can never be cast */
static int demo_challenge(demo *d)
{
	tv_ballot *opened = NULL;
	tv_ballot_secrets *sec = NULL;
	tv_receipt r;
	char *shown = NULL;
	uint32_t seen = 0;
	tv_status st;
	int rc = CLI_OK;

	if ((st = tv_ballot_prepare(d->ctx, &opened, &sec, d->m, &d->ekey.key, d->codes[0],
	                            strlen(d->codes[0]), demo_choice(0))) != TV_OK ||
	    (st = tv_ballot_challenge(d->ctx, &shown, opened, sec)) != TV_OK ||
	    (st = tv_ballot_check_challenge(d->ctx, &seen, shown, strlen(shown), d->m,
	                                    &d->ekey.key)) != TV_OK ||
	    (st = tv_box_challenge(d->ctx, &r, d->box, shown, strlen(shown), TV_CHANNEL_ONLINE,
	                           &d->box_key, demo_time(d, 0))) != TV_OK) {
		rc = cli_lib_error(d->ctx, "a challenged ballot", st);
	} else if (seen != demo_choice(0) ||
	           tv_box_cast(d->ctx, &r, d->box, opened, TV_CHANNEL_ONLINE, &d->box_key,
	                       demo_time(d, 0)) != TV_ERR_STATE) {
		cli_error("a challenged ballot was not handled as it must be: this build is broken");
		rc = CLI_FAILED;
	} else {
		d->challenged++;
	}
	tv_free(d->ctx, shown);
	tv_ballot_free(opened);
	return rc;
}

/* online and phone: each tenant's device encrypts, proves and signs */
static int demo_vote_by_device(demo *d)
{
	tv_ballot *b = NULL;
	tv_status st;
	unsigned long i;

	for (i = 0; i < d->tenants; i++) {
		int ch = demo_channel(i);

		cli_progress("tenants voting online", i + 1, d->tenants);
		if (ch != DEMO_ONLINE)
			continue;
		if ((st = tv_ballot_encrypt(d->ctx, &b, NULL, d->m, &d->ekey.key, d->codes[i],
		                            strlen(d->codes[i]), demo_choice(i))) != TV_OK ||
		    (st = tv_box_cast(d->ctx, &d->receipts[i], d->box, b, demo_channel_bit[ch],
		                      &d->box_key, demo_time(d, i))) != TV_OK) {
			cli_progress_end();
			tv_ballot_free(b);
			return cli_lib_error(d->ctx, "casting a demo ballot", st);
		}
		tv_ballot_free(b);
		b = NULL;
		d->by_channel[ch]++;
	}
	cli_progress_end();
	return CLI_OK;
}

static int demo_paper_receipt(const tv_intake_event *ev, void *payload)
{
	demo *d = payload;
	unsigned long row = ev->line - 2; /* line 1 is the header */

	if (ev->line < 2 || row >= d->postal_count)
		return -1;
	d->receipts[d->postal[row]] = *ev->receipt;
	cli_progress(d->batch_what, (unsigned long)ev->done, (unsigned long)ev->total);
	return 0;
}

/* the code printed beside answer @p choice on tenant @p i's paper */
static const char *demo_code_beside(const demo *d, unsigned long i, uint32_t choice)
{
	const tv_paper_print *p = &d->papers[i];

	for (uint32_t k = 0; k < p->answers; k++)
		if (p->answer[k] == choice)
			return p->code[k];
	return "?";
}

/*
 * Ballot papers (SPEC §15.8): the postal papers opened at the count centre
 * and keyed as identifier and the code beside the mark, or a phone call in
 * which the tenant keys in the identifier and the code beside their choice:
 * one intake batch each. The box never sees a credential code, nor which
 * answer a code stands for.
 */
static int demo_vote_by_paper(demo *d, int channel)
{
	size_t cap = 32 + d->tenants * (TV_PAPER_ID_TEXT_LEN + 40), len = 0;
	char *csv = malloc(cap);
	tv_intake *in = NULL;
	tv_intake_summary sum;
	tv_status st;
	unsigned long i;
	int rc = CLI_OK;

	if (csv == NULL)
		return cli_lib_error(d->ctx, "a batch of papers", TV_ERR_NOMEM);
	d->postal_count = 0;
	d->batch_what = channel == DEMO_POSTAL ? "postal papers cast" : "phone votes cast";
	len += (size_t)snprintf(csv + len, cap - len, "paper,code\n");
	for (i = 0; i < d->tenants; i++) {
		tv_spoilt_reason why = demo_spoilt(i);

		if (demo_channel(i) != channel)
			continue;
		d->postal[d->postal_count++] = i;
		if (why != 0)
			len += (size_t)snprintf(csv + len, cap - len, "%s,rejected:%s\n",
			                        d->papers[i].id, tv_spoilt_reason_name(why));
		else
			len += (size_t)snprintf(csv + len, cap - len, "%s,%s\n", d->papers[i].id,
			                        demo_code_beside(d, i, demo_choice(i)));
	}
	if (d->postal_count > 0) {
		if ((st = tv_intake_parse(d->ctx, &in, csv, len, d->m,
		                          channel == DEMO_POSTAL ? "postal-batch-1.csv"
		                                                 : "phone-calls-1.csv",
		                          cli_print_problem, NULL)) != TV_OK ||
		    (st = tv_box_intake(d->ctx, d->box, in, demo_channel_bit[channel], &d->box_key,
		                        demo_time(d, d->tenants + (channel == DEMO_PHONE)),
		                        demo_paper_receipt, d, cli_print_problem, NULL, &sum)) !=
		            TV_OK) {
			rc = cli_lib_error(d->ctx, "a batch of ballot papers", st);
		} else {
			d->by_channel[channel] += sum.cast;
			d->spoilt += sum.spoilt;
		}
		cli_progress_end();
	}
	OPENSSL_cleanse(csv, cap);
	free(csv);
	tv_intake_free(in);
	return rc;
}

/* the authority's papers: kept by the demo (it plays every tenant), written
 * for the printer, and the box's file line by line */
static int demo_paper(const tv_paper_print *p, void *payload)
{
	demo *d = payload;

	if (p->number < 1 || p->number > d->tenants)
		return -1;
	d->papers[p->number - 1] = *p;
	if (fprintf(d->paper_csv, "%zu,%s", p->number, p->id) < 0)
		return -1;
	for (uint32_t k = 0; k < p->answers; k++)
		if (fprintf(d->paper_csv, ",%s", p->code[k]) < 0)
			return -1;
	return fputc('\n', d->paper_csv) == EOF ? -1 : 0;
}

static int demo_paper_line(const char *line, size_t len, void *payload)
{
	demo *d = payload;

	return fwrite(line, 1, len, d->paper_box) == len ? 0 : -1;
}

/* the credential authority makes the papers once the key is known; the box
 * imports them before voting opens */
static int demo_make_papers(demo *d)
{
	char csv_path[4096], box_path[4096];
	cli_secret_file sf;
	size_t n = 0;
	tv_status st;
	int fd, rc = CLI_ERROR;

	snprintf(csv_path, sizeof(csv_path), "%s/papers.csv", d->dir);
	snprintf(box_path, sizeof(box_path), "%s/papers-box.jsonl", d->dir);
	if ((fd = open(csv_path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
	    cli_secret_fdopen(&sf, fd) != 0 || (d->paper_box = fopen(box_path, "wx")) == NULL) {
		cli_error("cannot write the papers in %s: %s", d->dir, cli_strerror(errno));
		if (fd >= 0 && d->paper_box == NULL)
			cli_secret_fclose(&sf);
		return CLI_ERROR;
	}
	d->paper_csv = sf.f;
	fputs("number,paper,code yes,code no,code blank\n", d->paper_csv);
	st = tv_paper_seed_new(d->ctx, d->seed, d->m);
	if (st == TV_OK)
		st = tv_authority_make_papers(d->ctx, d->authority, d->seed, d->m, &d->ekey.key,
		                              d->issue, strlen(d->issue), demo_paper, demo_paper_line,
		                              d);
	if (cli_secret_fclose(&sf) != 0 || fclose(d->paper_box) != 0) {
		d->paper_box = NULL;
		cli_error("cannot write the papers in %s", d->dir);
		return CLI_ERROR;
	}
	d->paper_box = NULL;
	if (st != TV_OK)
		return cli_lib_error(d->ctx, "making the ballot papers", st);
	if ((st = tv_box_import_papers(d->ctx, &n, d->box, box_path)) != TV_OK)
		return cli_lib_error(d->ctx, "importing the ballot papers", st);
	if (n == d->tenants)
		rc = CLI_OK;
	else
		cli_error("%zu papers imported for %lu tenants: this build is broken", n, d->tenants);
	return rc;
}

/* after close: the authority opens every paper not cast as a ballot (the
 * online voters' papers, which they kept, and the rejected ones); the box
 * takes the openings before the record is exported */
static int demo_open_papers(demo *d)
{
	char board[4096], *openings = NULL;
	size_t n = 0;
	tv_status st;

	snprintf(board, sizeof(board), "%s/record-of-the-board", d->dir);
	if ((st = tv_box_export_record(d->ctx, d->box, board, NULL, NULL, 0, NULL, NULL, NULL)) !=
	            TV_OK ||
	    (st = tv_authority_open_papers(d->ctx, &openings, &n, d->authority, d->seed, d->m,
	                                   &d->ekey.key, d->issue, strlen(d->issue), board)) !=
	            TV_OK ||
	    (st = tv_box_import_openings(d->ctx, &d->opened, d->box, openings, strlen(openings))) !=
	            TV_OK) {
		tv_free(d->ctx, openings);
		return cli_lib_error(d->ctx, "opening the papers not cast", st);
	}
	tv_free(d->ctx, openings);
	OPENSSL_cleanse(d->seed, sizeof(d->seed));
	return CLI_OK;
}

/* tenant 1 changes their mind online; the same ballot sent again is refused */
static int demo_revote(demo *d)
{
	uint32_t again = demo_choice(0) == 1 ? 2 : 1;
	tv_ballot *b = NULL;
	tv_receipt r;
	tv_status st;
	int rc = CLI_OK;

	d->superseded = d->receipts[0];
	if ((st = tv_ballot_encrypt(d->ctx, &b, NULL, d->m, &d->ekey.key, d->codes[0],
	                            strlen(d->codes[0]), again)) != TV_OK ||
	    (st = tv_box_cast(d->ctx, &d->receipts[0], d->box, b, TV_CHANNEL_ONLINE, &d->box_key,
	                      demo_time(d, d->tenants + 1))) != TV_OK) {
		rc = cli_lib_error(d->ctx, "a revote", st);
	} else if (tv_box_cast(d->ctx, &r, d->box, b, TV_CHANNEL_ONLINE, &d->box_key,
	                       demo_time(d, d->tenants + 2)) != TV_ERR_REPLAY) {
		cli_error("a replayed ballot was accepted: this build is broken");
		rc = CLI_FAILED;
	} else {
		d->by_channel[DEMO_ONLINE]++;
		d->replays_refused++;
	}
	tv_ballot_free(b);
	return rc;
}

/* what the declaration must say, from what the demo cast */
static void demo_expect(demo *d)
{
	for (unsigned long i = 0; i < d->tenants; i++) {
		uint32_t c = i == 0 ? (demo_choice(0) == 1 ? 2 : 1) : demo_choice(i);

		if (demo_spoilt(i) != 0)
			d->expected_rejected++;
		else if (c == TV_BALLOT_BLANK)
			d->expected_blank++;
		else
			d->expected_votes[c - 1]++;
	}
}

/* write @p text to the new file DIR/@p name */
static int demo_write(const demo *d, const char *name, const char *text)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", d->dir, name);
	return cli_write_new(path, text, 0644);
}

/* the receipts the tenants were given, kept as they would keep them:
 * DIR/receipts.jsonl (every receipt issued, the revote's replaced one
 * too, one JSON receipt a line, for "receipt check --record R FILE") and
 * DIR/receipt-tenant-1.json (tenant 1's last one). A receipt shows where
 * a ballot is on the board, never the vote. */
static int demo_write_receipts(demo *d)
{
	size_t size = 0, used = 0;
	char *all = NULL, *json = NULL;
	tv_status st = TV_OK;
	int rc = CLI_ERROR;

	for (unsigned long i = 0; i <= d->tenants; i++) {
		const tv_receipt *r = i < d->tenants ? &d->receipts[i] : &d->superseded;
		size_t n;

		if ((st = tv_receipt_to_json(d->ctx, &json, r)) != TV_OK) {
			rc = cli_lib_error(d->ctx, "writing the receipts", st);
			goto out;
		}
		n = strlen(json);
		if (used + n + 2 > size) {
			size_t want = (used + n + 2) * 2;
			char *grown = realloc(all, want);

			if (grown == NULL) {
				cli_error("out of memory for the receipts");
				goto out;
			}
			all = grown;
			size = want;
		}
		memcpy(all + used, json, n);
		used += n;
		all[used++] = '\n';
		all[used] = '\0';
		if (i == 0 && demo_write(d, "receipt-tenant-1.json", all) != CLI_OK)
			goto out;
		tv_free(d->ctx, json);
		json = NULL;
	}
	rc = demo_write(d, "receipts.jsonl", all);
out:
	tv_free(d->ctx, json);
	free(all);
	return rc;
}

/*
 * The count: the encrypted sums, three trustees' partial decryptions, the
 * totals and the rule. The officer publishes the board up to the close
 * (DIR/record-for-trustees); each trustee checks it and adds up its sums
 * itself before decrypting them with the share from its own encrypted
 * file, as on its own machine: never a tally the box hands over.
 */
static int demo_count(demo *d, tv_tally **tally, char **dec, tv_result **result,
                      char *const *passphrases)
{
	static const uint32_t who[DEMO_THRESHOLD] = { 1, 3, 5 };
	uint64_t totals[DEMO_OPTIONS];
	char *text = NULL, name[4200];
	tv_status st;
	int rc, k;

	if ((st = tv_box_tally(d->ctx, tally, d->box)) != TV_OK ||
	    (st = tv_tally_to_json(d->ctx, &text, *tally)) != TV_OK)
		return cli_lib_error(d->ctx, "adding up the ballots that count", st);
	rc = demo_write(d, "tally.json", text);
	tv_free(d->ctx, text);
	snprintf(name, sizeof(name), "%s/decryptions", d->dir);
	if (rc != CLI_OK || mkdir(name, 0755) != 0) {
		if (rc == CLI_OK)
			cli_error("cannot create %s: %s", name, cli_strerror(errno));
		return CLI_ERROR;
	}
	snprintf(name, sizeof(name), "%s/record-for-trustees", d->dir);
	if ((st = tv_box_export_record(d->ctx, d->box, name, NULL, NULL, 0, NULL, NULL, NULL)) !=
	    TV_OK)
		return cli_lib_error(d->ctx, "publishing the board for the trustees", st);
	for (k = 0; k < DEMO_THRESHOLD; k++) {
		tv_trustee *t = NULL;
		tv_tally *checked = NULL;

		if ((st = tv_record_tally(d->ctx, &checked, name, 0, NULL, NULL, NULL, NULL)) != TV_OK)
			return cli_lib_error(d->ctx, "a trustee checking the board", st);
		if ((rc = cli_trustee_load(d->ctx, &t, d->dir, who[k], passphrases[who[k] - 1])) !=
		    CLI_OK) {
			tv_tally_free(checked);
			return rc;
		}
		st = tv_tally_decrypt(d->ctx, &dec[k], checked, t, d->fingerprint);
		tv_trustee_free(t);
		tv_tally_free(checked);
		if (st != TV_OK)
			return cli_lib_error(d->ctx, "a trustee's partial decryption", st);
		{
			char file[64];

			snprintf(file, sizeof(file), "decryptions/trustee-%u.json", who[k]);
			if ((rc = demo_write(d, file, dec[k])) != CLI_OK)
				return rc;
		}
	}
	if ((st = tv_tally_combine(d->ctx, result, totals, *tally, d->m, &d->ekey,
	                           (const char *const *)dec, DEMO_THRESHOLD)) != TV_OK)
		return cli_lib_error(d->ctx, "combining the trustees' decryptions", st);
	demo_expect(d);
	for (k = 0; k < DEMO_OPTIONS; k++)
		if (totals[k] != d->expected_votes[k]) {
			cli_error("option %d: the decrypted total %llu is not the %llu votes cast: "
			          "this build is broken", k + 1, (unsigned long long)totals[k],
			          (unsigned long long)d->expected_votes[k]);
			return CLI_FAILED;
		}
	if (tv_result_blank(*result) != d->expected_blank ||
	    tv_result_rejected_total(*result) != d->expected_rejected ||
	    tv_result_ballots(*result) != d->tenants) {
		cli_error("the declared blank, rejected or received figures are not what was cast: "
		          "this build is broken");
		return CLI_FAILED;
	}
	return CLI_OK;
}

typedef struct demo_checks {
	bool json;
	json_t *failures;
} demo_checks;

static void demo_on_check(const tv_verify_event *ev, void *payload)
{
	demo_checks *c = payload;

	if (ev->status != TV_OK) {
		json_array_append_new(c->failures, json_pack("{s:i, s:I, s:s}", "check", (int)ev->check,
		                                             "position", (json_int_t)ev->position,
		                                             "message", ev->message));
		if (!c->json)
			printf("  FAIL  %2u  %s: %s\n", ev->check, ev->name, ev->message);
	} else if (!c->json) {
		printf("  ok    %2u  %s\n", ev->check, ev->name);
	}
}

static void demo_progress(const char *what, uint64_t done, uint64_t total, void *payload)
{
	(void)payload;
	cli_progress(what, (unsigned long)done, (unsigned long)total);
}

/* every tenant checks their receipt against the published record, all in
 * one reading of the board (SPEC §19.6) */
static int demo_check_receipts(demo *d, const char *record, unsigned long *counting)
{
	tv_receipt *all = calloc(d->tenants + 1, sizeof(*all));
	tv_receipt_verdict *out = calloc(d->tenants + 1, sizeof(*out));
	tv_status st;
	int rc = CLI_OK;

	*counting = 0;
	if (all == NULL || out == NULL) {
		free(all);
		free(out);
		cli_error("out of memory for the receipts");
		return CLI_ERROR;
	}
	memcpy(all, d->receipts, d->tenants * sizeof(*all));
	all[d->tenants] = d->superseded;
	if ((st = tv_record_check_receipts(d->ctx, out, record, all, d->tenants + 1)) != TV_OK) {
		rc = cli_lib_error(d->ctx, "checking the tenants' receipts against the record", st);
		goto out;
	}
	for (unsigned long i = 0; i <= d->tenants; i++) {
		if (out[i].status != TV_OK) {
			cli_error("tenant %lu's receipt does not check against the record (%s): this "
			          "build is broken", i + 1, tv_status_str(out[i].status));
			rc = CLI_FAILED;
			goto out;
		}
		*counting += i < d->tenants && out[i].counts;
	}
	if (out[d->tenants].counts || *counting != d->tenants) {
		cli_error("the record counts the wrong entry for a tenant: this build is broken");
		rc = CLI_FAILED;
	}
out:
	free(all);
	free(out);
	return rc;
}

/* the first postal tenant whose paper was not rejected finds their paper on
 * the record by its identifier: the code of the ballot cast from it is the
 * one printed beside their mark, and it counts */
static int demo_check_paper(demo *d, const char *record, tv_paper_info *out)
{
	tv_status st;

	for (unsigned long i = 0; i < d->tenants; i++) {
		const char *marked;

		if (demo_channel(i) != DEMO_POSTAL || demo_spoilt(i) != 0 || i == 0)
			continue;
		marked = demo_code_beside(d, i, demo_choice(i));
		if ((st = tv_record_find_paper(d->ctx, out, record, d->papers[i].id,
		                               strlen(d->papers[i].id))) != TV_OK)
			return cli_lib_error(d->ctx, "a tenant looking up their paper", st);
		if (out->state != TV_PAPER_CAST || strcmp(out->code, marked) != 0 || !out->counts) {
			cli_error("tenant %lu's paper is not on the record as marked: this build is "
			          "broken", i + 1);
			return CLI_FAILED;
		}
		d->paper_votes[0] = i + 1;
		return CLI_OK;
	}
	memset(out, 0, sizeof(*out));
	return CLI_OK;
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
	unsigned long tenants = 24, counting = 0;
	char *dir = NULL, *made_dir = NULL, path[4096], record[4096], site[4096], site_abs[4096];
	char counts_code[TV_TRACKING_TEXT_LEN + 1], replaced_code[TV_TRACKING_TEXT_LEN + 1];
	char board_address[TV_CONTACT_URL_MAX + 32];
	char *passphrases[DEMO_TRUSTEES] = { NULL };
	bool json = false, key_ready = false;
	tv_ctx *ctx = NULL;
	tv_manifest *m = NULL;
	tv_register *reg = NULL;
	tv_box *box = NULL;
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	demo_letters letters = { NULL, { NULL, { 0 } }, NULL, 0, 0, NULL, { 0 } };
	demo d;
	demo_checks checks = { false, NULL };
	tv_tally *tally = NULL;
	tv_result *result = NULL;
	char *dec[DEMO_THRESHOLD] = { NULL }, *declaration = NULL, *rj = NULL;
	tv_verify_summary vsum;
	tv_paper_info paper_check;
	char *csv = NULL;
	size_t csv_len = 0;
	int rc = CLI_ERROR, opt, k;
	tv_status st;

	memset(&d, 0, sizeof(d));
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
		cli_error("cannot make a temporary folder: %s", cli_strerror(errno));
		return CLI_ERROR;
	}
	if ((st = tv_ctx_new(&ctx, NULL)) != TV_OK) {
		cli_error("cannot start the library: %s", tv_status_str(st));
		goto out;
	}
	d.ctx = ctx;
	d.dir = dir;
	d.tenants = tenants;
	d.receipts = calloc(tenants, sizeof(*d.receipts));
	d.postal = calloc(tenants, sizeof(*d.postal));
	d.papers = calloc(tenants, sizeof(*d.papers));
	letters.codes = calloc(tenants, sizeof(*letters.codes));
	checks.json = json;
	checks.failures = json_array();
	if (d.receipts == NULL || d.postal == NULL || d.papers == NULL || letters.codes == NULL ||
	    checks.failures == NULL) {
		cli_error("not enough memory for %lu tenants", tenants);
		goto out;
	}
	letters.max = tenants;
	d.codes = letters.codes;

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
	{
		tv_offer offer = { .url = "https://enghraifft.example/llanfair-2027/offer.txt" };

		if (EVP_Digest(demo_offer, sizeof(demo_offer) - 1, offer.sha256, NULL, EVP_sha256(),
		               NULL) != 1) {
			cli_error("cannot hash the demo's offer document");
			rc = CLI_ERROR;
			goto out;
		}
		st = tv_manifest_new_offer(ctx, &m, &o, &demo_contact, TV_LETTERS_REGISTER, &offer);
	}
	if (st != TV_OK || (st = tv_box_create(ctx, &box, dir, m)) != TV_OK) {
		rc = cli_lib_error(ctx, "making the demo election", st);
		goto out;
	}
	d.box = box;
	d.m = m;
	snprintf(path, sizeof(path), "%s/offer.txt", dir);
	if ((rc = cli_write_new(path, demo_offer, 0644)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	tv_manifest_fingerprint(d.fingerprint, m);
	letters.ctx = ctx;
	memcpy(letters.fingerprint, d.fingerprint, 32);

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

		if (fd < 0 || cli_secret_fdopen(&letters.sf, fd) != 0) {
			cli_error("cannot make %s: %s", path, cli_strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
	}
	letters.f = letters.sf.f;
	fputs("tenancy_ref,name,code,check_code\n", letters.f);
	/* by a credential authority apart from the box, which imports only the
	 * signed list; the authority makes the papers later, with the key */
	if ((st = tv_authority_new(ctx, &d.authority, m)) != TV_OK ||
	    (st = tv_authority_issue(ctx, &d.issue, d.authority, reg, demo_ca_letter, &letters)) !=
	            TV_OK ||
	    (st = tv_box_import_credentials(ctx, box, d.issue, strlen(d.issue))) != TV_OK) {
		rc = cli_lib_error(ctx, "issuing the demo credentials", st);
		goto out;
	}

	/* 4. the key ceremony, with made-up passphrases kept in an owner-only file */
	snprintf(path, sizeof(path), "%s/demo-passphrases.txt", dir);
	{
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		cli_secret_file psf;
		FILE *pf = fd >= 0 && cli_secret_fdopen(&psf, fd) == 0 ? psf.f : NULL;

		if (pf == NULL) {
			cli_error("cannot make %s: %s", path, cli_strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
		for (k = 0; k < DEMO_TRUSTEES; k++) {
			tv_credential_code c;
			tv_point unused;

			/* a random, typeable passphrase per trustee */
			if ((st = tv_credential_generate(ctx, &c, &unused, d.fingerprint)) != TV_OK ||
			    (passphrases[k] = strdup(c.text)) == NULL) {
				cli_secret_fclose(&psf);
				rc = cli_lib_error(ctx, "making demo passphrases", st);
				goto out;
			}
			tv_credential_code_wipe(&c);
			fprintf(pf, "trustee %d: %s\n", k + 1, passphrases[k]);
		}
		fprintf(pf, "ballot box key (box-key.secret): the same as trustee 1's\n");
		cli_secret_fclose(&psf);
	}
	if ((rc = cli_ceremony_run(ctx, box, dir, (const char *const *)passphrases, &key_ready)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if (!key_ready) {
		cli_error("the demo ceremony ended without an election key");
		goto out;
	}
	if ((st = tv_box_election_key(ctx, &d.ekey, box)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the election key", st);
		goto out;
	}
	/* 4b. the ballot papers, encrypted under the key the trustees made */
	if ((rc = demo_make_papers(&d)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;

	/* 5. open voting: the box's key, stored encrypted first */
	snprintf(path, sizeof(path), "%s/box-key.secret", dir);
	{
		tv_ed25519_public_key pk;

		if ((st = tv_ed25519_keygen(ctx, &d.box_key, &pk)) != TV_OK ||
		    (st = tv_secretfile_write(ctx, path, d.box_key.bytes, sizeof(d.box_key.bytes),
		                              passphrases[0], strlen(passphrases[0]), NULL)) != TV_OK ||
		    (st = tv_box_open_voting(ctx, box, &d.box_key)) != TV_OK) {
			rc = cli_lib_error(ctx, "opening voting", st);
			goto out;
		}
	}

	/* 6. voting on every channel, then close */
	if ((rc = demo_challenge(&d)) != CLI_OK || (rc = demo_vote_by_device(&d)) != CLI_OK ||
	    (rc = demo_vote_by_paper(&d, DEMO_POSTAL)) != CLI_OK ||
	    (rc = demo_vote_by_paper(&d, DEMO_PHONE)) != CLI_OK || (rc = demo_revote(&d)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if ((st = tv_box_close_voting_at(ctx, &d.on_board, NULL, box, &d.box_key,
	                                  tv_manifest_closes(d.m), NULL)) != TV_OK) {
		rc = cli_lib_error(ctx, "closing voting", st);
		goto out;
	}

	/* 7. the papers not cast opened, the count and the declaration */
	if ((rc = demo_open_papers(&d)) != CLI_OK)
		goto out;
	if ((rc = demo_count(&d, &tally, dec, &result, passphrases)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if ((st = tv_result_to_json(ctx, &rj, NULL, result)) != TV_OK ||
	    (st = tv_result_declaration(ctx, &declaration, NULL, result)) != TV_OK) {
		rc = cli_lib_error(ctx, "writing the declaration", st);
		goto out;
	}
	if ((rc = demo_write(&d, "result.json", rj)) != CLI_OK ||
	    (rc = demo_write(&d, "declaration.txt", declaration)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;

	/* 8. the public record, checked from the record alone */
	snprintf(record, sizeof(record), "%s/record", dir);
	st = tv_box_export_record(ctx, box, record, tally, (const char *const *)dec,
	                          DEMO_THRESHOLD, result, demo_progress, NULL);
	cli_progress_end();
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "writing the public record", st);
		goto out;
	}
	if (!json) {
		printf("tenantvote %s demonstration ballot, in %s\n\n", tv_version(), dir);
		printf("Set-up: a register of %lu tenants and a credential letter each\n"
		       "(letters.csv, owner-only): the letter's voting code is the tenant's\n"
		       "credential, which lets them vote and nobody else. The election key\n"
		       "was made by %d trustees (people independent of the returning officer\n"
		       "who each hold a share of the decryption key) so that any %d of them\n"
		       "together can decrypt the totals, and nothing less can decrypt anything.\n\n",
		       tenants, DEMO_TRUSTEES, DEMO_THRESHOLD);
		printf("Voting: %lu ballots online (one a revote), each encrypted and proven\n"
		       "on the tenant's device, and signed only when cast. Every tenant was\n"
		       "also sent a ballot paper, encrypted in advance by the credential\n"
		       "authority: an identifier, and a short code beside each answer. %lu\n"
		       "tenants voted by phone, keying in their paper's identifier and the code\n"
		       "beside their choice; %lu posted their paper back, keyed in at the count\n"
		       "as identifier and code, %lu of them rejected (spoilt: a paper the rules\n"
		       "do not count, such as one marked twice). The ballot box never saw a\n"
		       "postal or phone tenant's credential code, nor which answer a code means.\n"
		       "The %lu papers not cast as ballots were opened after close, so anyone\n"
		       "can check their codes were honest.\n"
		       "Tenant 1 challenged a ballot (asked the device to open it, to check\n"
		       "that it held the choice they made; it was published on the board,\n"
		       "never signed, never counted), voted, then voted again: a revote\n"
		       "replaces the earlier vote, and the last vote counts. A replayed ballot\n"
		       "(a copy sent again) was refused. %llu entries on the board (the public,\n"
		       "hash-chained list of every encrypted ballot), each receipted once on\n"
		       "disk: a receipt gives the ballot's tracking code and its place on the\n"
		       "board, never the vote. Voting closed.\n\n",
		       d.by_channel[DEMO_ONLINE], d.by_channel[DEMO_PHONE], d.by_channel[DEMO_POSTAL],
		       d.spoilt, d.opened, (unsigned long long)d.on_board);
		printf("Count: trustees 1, 3 and 5 decrypted only the totals, each with a proof.\n"
		       "The declaration (%s/declaration.txt):\n\n", dir);
		fputs(declaration, stdout);
		printf("\nVerification of the public record %s:\n", record);
	}
	st = tv_record_verify(ctx, record, 0, demo_on_check, &checks, demo_progress, NULL, &vsum);
	cli_progress_end();
	if (st != TV_OK && st != TV_ERR_PROOF_INVALID) {
		rc = cli_lib_error(ctx, "verifying the public record", st);
		goto out;
	}
	if (st != TV_OK) {
		if (!json)
			printf("The record does NOT verify: this build is broken.\n");
		rc = CLI_FAILED;
		goto out;
	}
	if ((rc = demo_check_receipts(&d, record, &counting)) != CLI_OK ||
	    (rc = demo_write_receipts(&d)) != CLI_OK ||
	    (rc = demo_check_paper(&d, record, &paper_check)) != CLI_OK)
		goto out;
	/* 9. the bulletin board, and the check address of tenant 1's receipt
	 * (SPEC §15.1.2) on it and on this disk */
	snprintf(site, sizeof(site), "%s/site", dir);
	if ((rc = cli_publish_site(site, record, 0, false, true)) != CLI_OK)
		goto out;
	tv_tracking_text(counts_code, d.receipts[0].tracking);
	cli_check_address(board_address, sizeof(board_address), m, counts_code);
	tv_tracking_text(replaced_code, d.superseded.tracking);
	if (realpath(site, site_abs) == NULL)
		snprintf(site_abs, sizeof(site_abs), "%s", site);
	if (json) {
		json_t *res = json_loads(rj, 0, NULL), *all;

		all = json_pack(
			"{s:s, s:s, s:I, s:{s:I, s:I, s:I}, s:I, s:I, s:I, s:I, s:o,"
			" s:{s:b, s:i, s:i, s:I, s:I, s:o}, s:{s:I, s:I, s:I}}",
			"dir", dir, "record", record, "tenants", (json_int_t)tenants,
			"cast", "online", (json_int_t)d.by_channel[DEMO_ONLINE], "postal",
			(json_int_t)d.by_channel[DEMO_POSTAL], "phone", (json_int_t)d.by_channel[DEMO_PHONE],
			"spoilt", (json_int_t)d.spoilt, "challenged", (json_int_t)d.challenged,
			"replayed_ballots_refused", (json_int_t)d.replays_refused,
			"board_entries", (json_int_t)d.on_board, "result", res,
			"verify", "valid", 1, "passed", (int)vsum.passed, "failed", (int)vsum.failed,
			"entries", (json_int_t)vsum.entries, "counted", (json_int_t)vsum.counted,
			"failures", json_incref(checks.failures),
			"receipts", "checked", (json_int_t)tenants + 1, "counting", (json_int_t)counting,
			"superseded", (json_int_t)1);
		if (d.paper_votes[0] != 0)
			json_object_set_new(all, "paper_checked",
			                    json_pack("{s:I, s:s, s:s, s:I}", "tenant",
			                              (json_int_t)d.paper_votes[0], "paper",
			                              paper_check.id, "code", paper_check.code,
			                              "position", (json_int_t)paper_check.position));
		json_object_set_new(all, "papers_opened", json_integer((json_int_t)d.opened));
		json_object_set_new(all, "site",
		                    json_pack("{s:s, s:s, s:s, s:n}", "dir", site_abs,
		                              "tracking_counts", counts_code, "tracking_replaced",
		                              replaced_code, "check_url"));
		{
			char url[8192], hex[65];
			json_t *where = json_object_get(all, "site");
			json_t *receipts = json_object_get(all, "receipts");

			snprintf(url, sizeof(url), "%s/receipts.jsonl", dir);
			json_object_set_new(receipts, "file", json_string(url));
			snprintf(url, sizeof(url), "%s/receipt-tenant-1.json", dir);
			json_object_set_new(receipts, "tenant_1", json_string(url));

			/* the long form too, for checking the site's reading of it */
			cli_hex(hex, d.receipts[0].tracking, 32);
			json_object_set_new(where, "tracking_counts_long", json_string(hex));

			snprintf(url, sizeof(url), "file://%s/check.html#%s", site_abs, counts_code);
			json_object_set_new(where, "check_url_local", json_string(url));
			if (*board_address)
				json_object_set_new(where, "check_url", json_string(board_address));
		}
		cli_print_json(all);
	} else {
		printf("The record verifies: all %u checks passed (%llu board entries, %llu counted).\n"
		       "Every tenant's receipt (%lu, and the one replaced by the revote) checks\n"
		       "against the record, and says whether that vote is the one that counts.\n",
		       vsum.passed, (unsigned long long)vsum.entries,
		       (unsigned long long)vsum.counted, tenants);
		printf("\nThe bulletin board, in English and Welsh, is in %s: open\n"
		       "%s/index.html in a browser, or put the folder on a web host.\n"
		       "Tenant 1 checks their vote (tracking code %s) at\n  file://%s/check.html#%s\n",
		       site, site_abs, counts_code, site_abs, counts_code);
		if (*board_address)
			printf("and, once the site is at its address, at\n  %s\n", board_address);
		if (d.paper_votes[0] != 0)
			printf("\nTenant %lu voted by post on paper %s and wrote the code beside\n"
			       "their mark, %s, on the stub they kept. The record shows that code at\n"
			       "board position %llu, counting. The tenant types the paper's identifier\n"
			       "on the bulletin board's paper page,\n  file://%s/paper.html\n"
			       "(nothing leaves the browser), or anyone looks it up:\n"
			       "  tenantvote papers find %s --record %s\n",
			       d.paper_votes[0], paper_check.id, paper_check.code,
			       (unsigned long long)paper_check.position, site_abs, paper_check.id,
			       record);
		printf("\nThe tenants' receipts are kept in %s/receipts.jsonl; tenant 1's is\n"
		       "%s/receipt-tenant-1.json. Anyone can check one against the record:\n"
		       "  tenantvote receipt check %s/receipt-tenant-1.json --record %s\n",
		       dir, dir, dir, record);
	}
	rc = CLI_OK;
out:
	for (k = 0; k < DEMO_TRUSTEES; k++)
		cli_passphrase_free_plain(passphrases[k]);
	for (k = 0; k < DEMO_THRESHOLD; k++)
		tv_free(ctx, dec[k]);
	tv_free(ctx, rj);
	tv_free(ctx, declaration);
	tv_result_free(result);
	tv_tally_free(tally);
	json_decref(checks.failures);
	if (letters.f != NULL)
		cli_secret_fclose(&letters.sf);
	if (letters.codes != NULL) {
		OPENSSL_cleanse(letters.codes, tenants * sizeof(*letters.codes));
		free(letters.codes);
	}
	free(d.receipts);
	free(d.postal);
	if (d.papers != NULL) {
		OPENSSL_cleanse(d.papers, tenants * sizeof(*d.papers));
		free(d.papers);
	}
	OPENSSL_cleanse(d.seed, sizeof(d.seed));
	tv_free(ctx, d.issue);
	tv_authority_free(d.authority);
	tv_ed25519_secret_wipe(&d.box_key);
	free(csv);
	free(made_dir);
	tv_register_free(reg);
	tv_box_free(box);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
	return rc;
}
