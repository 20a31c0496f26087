/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote publish --site OUT RECORD: the public bulletin board, a
 * static website in English and Welsh that a council puts on any web host
 * (DESIGN §7). It is written only from a record that verifies, every check
 * of SPEC §19 shown on it, into OUT.tmp-XXXXXX renamed to OUT when whole.
 *
 * The look-ups (check my vote, check my voting code, and in an election
 * with ballot papers, check my ballot paper) run in the tenant's browser
 * against an index split into small script files by the first two symbols
 * of a code (t/XY.js, c/XY.js; p/XY.js by the first ten bits of a paper's
 * handle, SPEC §15.8.5): a tenant's browser loads one file of about a
 * thousandth of the board, and nothing typed leaves the page. Everything
 * else is plain HTML, readable without JavaScript.
 */
/* nftw() is XSI */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cli.h"
#include "site.h"

/* tracking codes on one page of the list */
#define CODES_PER_PAGE 1000
/* the file that marks a folder as one publish wrote (--force replaces only such) */
#define SITE_MARK "site.json"

typedef struct site_entry {
	uint64_t position;
	uint8_t state;      /* tv_board_state */
	char code[17];      /* the short tracking code's 16 symbols, no hyphens */
} site_entry;

typedef struct site_file {
	char name[256];
	unsigned long long size;
	char sha256[65];
} site_file;

typedef struct site {
	tv_ctx *ctx;
	const char *record;
	const char *dir;     /* the folder being written */
	bool welsh;          /* the page being written is the Welsh one */
	tv_manifest *m;
	tv_contact contact;
	json_t *result;
	char election[65];   /* the election fingerprint F, hex */
	char *declaration;
	tv_verify_summary sum;
	int passed[TV_VERIFY_CHECKS + 1];
	site_entry *entries;
	size_t n, cap;
	char (*codes)[TV_CHECK_CODE_LEN + 1];
	size_t ncodes;
	site_file *files;
	size_t nfiles;
	size_t pages;        /* pages of the list of tracking codes */
	unsigned threads;
	bool papers;         /* the record has ballot papers (papers.json) */
	size_t npapers;
	/* writing p/XY.js as tv_record_papers() goes through the papers */
	FILE *shard;
	unsigned next_shard; /* the prefix of the next shard to open */
	const char *shard_sep;
	int shard_failed;
} site;

/* English or Welsh, as the page being written */
#define L(s, en, cy) ((s)->welsh ? (cy) : (en))

/* ------------------------------------------------------------- writing */

/* every text from the record is escaped: the manifest is the officer's,
 * and a <script> in a title must come out as text */
static void esc(FILE *f, const char *t)
{
	for (; t != NULL && *t != '\0'; t++) {
		switch (*t) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*t, f);
		}
	}
}

/* a manifest text in the page's language; a Welsh page with no Welsh
 * text shows the English one, marked as English for screen readers */
static void mtext(site *s, FILE *f, tv_text t)
{
	if (!s->welsh) {
		esc(f, t.en);
	} else if (t.cy != NULL && *t.cy != '\0') {
		esc(f, t.cy);
	} else {
		fputs("<span lang=\"en\">", f);
		esc(f, t.en);
		fputs("</span>", f);
	}
}

static const char *mtext_plain(site *s, tv_text t)
{
	return s->welsh && t.cy != NULL && *t.cy != '\0' ? t.cy : t.en;
}

static void page_path(char *out, size_t size, const char *base, bool welsh)
{
	snprintf(out, size, "%s%s.html", base, welsh ? ".cy" : "");
}

/* the officer's details as one line of text, for the look-ups' messages */
static void contact_text(site *s, char *out, size_t size)
{
	const tv_contact *c = &s->contact;

	if (*c->officer == '\0') {
		snprintf(out, size, "%s %s", L(s, "the returning officer of", "swyddog canlyniadau"),
		         tv_manifest_council(s->m));
		return;
	}
	snprintf(out, size, "%s, %s%s%s%s%s", c->officer, c->address,
	         *c->phone ? L(s, ", phone ", ", ffôn ") : "", c->phone, *c->email ? ", " : "",
	         c->email);
}

static void contact_html(site *s, FILE *f)
{
	const tv_contact *c = &s->contact;

	fprintf(f, "<h2 id=\"contact\">%s</h2>\n",
	        L(s, "Contact the returning officer", "Cysylltu â'r swyddog canlyniadau"));
	if (*c->officer == '\0') {
		fprintf(f, "<p>%s ", L(s, "The returning officer of", "Swyddog canlyniadau"));
		esc(f, tv_manifest_council(s->m));
		fputs("</p>\n", f);
		return;
	}
	fputs("<address><p>", f);
	esc(f, c->officer);
	fputs("<br>\n", f);
	esc(f, c->address);
	if (*c->phone) {
		fprintf(f, "<br>\n%s <a href=\"tel:", L(s, "Phone:", "Ffôn:"));
		for (const char *p = c->phone; *p; p++)
			if (*p != ' ' && *p != '(' && *p != ')')
				fputc(*p, f);
		fputs("\">", f);
		esc(f, c->phone);
		fputs("</a>", f);
	}
	if (*c->email) {
		fprintf(f, "<br>\n%s <a href=\"mailto:", L(s, "Email:", "E-bost:"));
		esc(f, c->email);
		fputs("\">", f);
		esc(f, c->email);
		fputs("</a>", f);
	}
	fputs("</p></address>\n", f);
}

static const struct {
	const char *base, *en, *cy;
} nav[] = {
	{ "index", "Home", "Hafan" },
	{ "check", "Check my vote", "Gwirio fy mhleidlais" },
	{ "credential", "Check my voting code", "Gwirio fy nghod pleidleisio" },
	{ "paper", "Check my ballot paper", "Gwirio fy mhapur pleidleisio" },
	{ "codes-1", "All tracking codes", "Pob cod olrhain" },
	{ "record", "Download the record", "Lawrlwytho'r cofnod" },
	{ "maths", "About the maths", "Am y mathemateg" },
};

/* the start of page @p base in the current language, up to <main> */
static FILE *page_open(site *s, const char *base, const char *heading)
{
	char name[64], path[4096], other[64];
	FILE *f;

	page_path(name, sizeof(name), base, s->welsh);
	page_path(other, sizeof(other), base, !s->welsh);
	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	if ((f = fopen(path, "wx")) == NULL) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		return NULL;
	}
	fprintf(f,
	        "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<title>",
	        s->welsh ? "cy" : "en");
	esc(f, heading);
	fputs(" – ", f);
	esc(f, mtext_plain(s, tv_manifest_title(s->m)));
	fprintf(f,
	        "</title>\n<link rel=\"stylesheet\" href=\"site.css\">\n"
	        "<link rel=\"alternate\" hreflang=\"%s\" href=\"%s\">\n</head>\n<body>\n"
	        "<a class=\"skip\" href=\"#main\">%s</a>\n<header>\n"
	        "<a class=\"lang\" href=\"%s\" hreflang=\"%s\" lang=\"%s\">%s</a>\n"
	        "<p class=\"site-name\"><a href=\"%s\">",
	        s->welsh ? "en" : "cy", other,
	        L(s, "Skip to main content", "Neidio i'r prif gynnwys"), other,
	        s->welsh ? "en" : "cy", s->welsh ? "en" : "cy", s->welsh ? "English" : "Cymraeg",
	        s->welsh ? "index.cy.html" : "index.html");
	mtext(s, f, tv_manifest_title(s->m));
	fprintf(f, "</a></p>\n<nav class=\"site\" aria-label=\"%s\"><ul>\n",
	        L(s, "Pages of this site", "Tudalennau'r wefan hon"));
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		char href[64];

		/* an election without ballot papers has no page for them */
		if (!s->papers && strcmp(nav[i].base, "paper") == 0)
			continue;
		page_path(href, sizeof(href), nav[i].base, s->welsh);
		fprintf(f, "<li><a href=\"%s\"%s>%s</a></li>\n", href,
		        strcmp(nav[i].base, base) == 0 ? " aria-current=\"page\"" : "",
		        L(s, nav[i].en, nav[i].cy));
	}
	fputs("</ul></nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>", f);
	if (strcmp(base, "index") == 0)
		mtext(s, f, tv_manifest_title(s->m)); /* lang="en" when it has no Welsh */
	else
		esc(f, heading);
	fputs("</h1>\n", f);
	return f;
}

static int page_close(site *s, FILE *f, bool script)
{
	int bad;

	fprintf(f, "</main>\n<footer>\n<p>%s <span class=\"code\">", L(s, "Ballot:", "Pleidlais:"));
	esc(f, tv_manifest_election_id(s->m));
	fprintf(f, "</span>. %s <span class=\"hash\">%s</span></p>\n",
	        L(s, "Its fingerprint:", "Ei ôl bys:"), s->election);
	fprintf(f, "<p>%s <a href=\"%s#contact\">%s</a>.</p>\n",
	        L(s, "Questions about this ballot:", "Cwestiynau am y bleidlais hon:"),
	        s->welsh ? "check.cy.html" : "check.html",
	        L(s, "contact the returning officer", "cysylltwch â'r swyddog canlyniadau"));
	fputs("</footer>\n", f);
	if (script)
		fputs("<script src=\"check.js\"></script>\n", f);
	fputs("</body>\n</html>\n", f);
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		cli_error("cannot write a page of the site in %s: %s", s->dir, cli_strerror(errno));
		return -1;
	}
	return 0;
}

static int write_file(site *s, const char *name, const char *data, size_t len)
{
	char path[4096];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	if ((f = fopen(path, "wx")) == NULL) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		return -1;
	}
	fwrite(data, 1, len, f);
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		return -1;
	}
	return 0;
}

/* --------------------------------------------------------------- pages */

static const char *state_words(site *s, uint8_t state)
{
	switch (state) {
	case TV_BOARD_COUNTS: return L(s, "Counts", "Yn cyfrif");
	case TV_BOARD_REPLACED:
		return tv_manifest_revote(s->m) == TV_REVOTE_FIRST
		               ? L(s, "Does not count: an earlier ballot counts",
		                   "Nid yw'n cyfrif: mae pleidlais gynharach yn cyfrif")
		               : L(s, "Replaced by a later ballot",
		                   "Wedi'i disodli gan bleidlais ddiweddarach");
	case TV_BOARD_REVOKED:
		return L(s, "Does not count: its voting code was cancelled",
		         "Nid yw'n cyfrif: cafodd ei god pleidleisio ei ganslo");
	case TV_BOARD_OPENED:
		return L(s, "Opened to be checked, not cast", "Agorwyd i'w gwirio, heb ei bwrw");
	default:
		return L(s, "A change to the list of voting codes",
		         "Newid i'r rhestr o godau pleidleisio");
	}
}

static const char *decision_words(site *s, const char *decision)
{
	if (strcmp(decision, "carried") == 0)
		return L(s, "The proposal is carried.", "Mae'r cynnig wedi'i dderbyn.");
	if (strcmp(decision, "not_carried") == 0)
		return L(s, "The proposal is not carried.", "Nid yw'r cynnig wedi'i dderbyn.");
	if (strcmp(decision, "tie") == 0)
		return L(s, "The vote is tied.", "Mae'r bleidlais yn gyfartal.");
	if (strcmp(decision, "no_majority") == 0)
		return L(s, "No answer received more than half of the valid votes.",
		         "Ni chafodd yr un ateb fwy na hanner y pleidleisiau dilys.");
	if (strcmp(decision, "turnout_not_met") == 0)
		return L(s, "Too few tenants voted for the result to stand.",
		         "Ni phleidleisiodd digon o denantiaid i'r canlyniad sefyll.");
	return "";
}

static void stat_row(FILE *f, const char *what, json_t *value, const char *suffix)
{
	fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"num\">", what);
	if (json_is_integer(value))
		fprintf(f, "%lld", (long long)json_integer_value(value));
	else
		esc(f, json_string_value(value));
	fprintf(f, "%s</td></tr>\n", suffix);
}

/* the official declaration in the page's language: declaration.txt
 * holds the English, then the Welsh from "DATGANIAD" on */
static void declaration_html(site *s, FILE *f)
{
	const char *text = s->declaration, *cy = strstr(text, "\nDATGANIAD");
	size_t len = strlen(text);
	char *part;

	if (cy != NULL && s->welsh) {
		text = cy + 1;
		len = strlen(text);
	} else if (cy != NULL) {
		len = (size_t)(cy - text);
	}
	if ((part = strndup(text, len)) == NULL)
		return;
	fprintf(f, "<h3>%s</h3>\n<pre class=\"declaration\"%s>",
	        L(s, "The declaration, as read out", "Y datganiad, fel y'i darllenwyd"),
	        cy == NULL && s->welsh ? " lang=\"en\"" : "");
	esc(f, part);
	fputs("</pre>\n", f);
	free(part);
}

static int page_index(site *s)
{
	char when[TV_TIME_FORMAT_BYTES] = "", until[TV_TIME_FORMAT_BYTES] = "";
	json_t *r = s->result, *outcome = json_object_get(r, "outcome");
	FILE *f = page_open(s, "index", mtext_plain(s, tv_manifest_title(s->m)));

	if (f == NULL)
		return -1;
	fputs("<p>", f);
	esc(f, tv_manifest_council(s->m));
	if (*tv_manifest_landlord(s->m)) {
		fprintf(f, "<br>\n%s ", L(s, "Proposed new landlord:", "Y landlord newydd arfaethedig:"));
		esc(f, tv_manifest_landlord(s->m));
	}
	fputs("</p>\n", f);
	if (tv_time_format(s->ctx, when, tv_manifest_opens(s->m)) != TV_OK ||
	    tv_time_format(s->ctx, until, tv_manifest_closes(s->m)) != TV_OK)
		when[0] = until[0] = '\0';
	fprintf(f, "<p>%s <time datetime=\"%s\">%.10s %.5s</time> %s <time datetime=\"%s\">%.10s "
	        "%.5s</time> (UTC).</p>\n",
	        L(s, "Voting was open from", "Roedd y pleidleisio ar agor o"), when, when, when + 11,
	        L(s, "to", "tan"), until, until, until + 11);

	fprintf(f, "<h2>%s</h2>\n<p class=\"box\">", L(s, "The question", "Y cwestiwn"));
	mtext(s, f, tv_manifest_question(s->m));
	fprintf(f, "</p>\n<h2>%s</h2>\n", L(s, "The result", "Y canlyniad"));
	fprintf(f, "<p class=\"box\"><strong>%s</strong>",
	        decision_words(s, json_string_value(json_object_get(outcome, "decision"))));
	if (json_is_integer(json_object_get(outcome, "winner"))) {
		fprintf(f, " %s ", L(s, "Most votes:", "Y nifer fwyaf o bleidleisiau:"));
		mtext(s, f, tv_manifest_option(s->m, (uint32_t)json_integer_value(
		                                             json_object_get(outcome, "winner"))));
	}
	fprintf(f, "</p>\n<table>\n<caption>%s</caption>\n"
	        "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
	        "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
	        L(s, "Votes for each answer", "Pleidleisiau ar gyfer pob ateb"),
	        L(s, "Answer", "Ateb"), L(s, "Votes", "Pleidleisiau"),
	        L(s, "Share of valid votes", "Cyfran o'r pleidleisiau dilys"));
	for (size_t i = 0; i < json_array_size(json_object_get(r, "options")); i++) {
		json_t *o = json_array_get(json_object_get(r, "options"), i);

		fputs("<tr><td>", f);
		mtext(s, f, tv_manifest_option(s->m, (uint32_t)(i + 1)));
		fprintf(f, "</td><td class=\"num\">%lld</td><td class=\"num\">",
		        (long long)json_integer_value(json_object_get(o, "votes")));
		esc(f, json_string_value(json_object_get(o, "pct")));
		fputs("%</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n<table>\n<tbody>\n", f);
	stat_row(f, L(s, "Tenants who could vote", "Tenantiaid a allai bleidleisio"),
	         json_object_get(r, "electorate"), "");
	stat_row(f, L(s, "Ballot papers received", "Papurau pleidleisio a dderbyniwyd"),
	         json_object_get(r, "ballots"), "");
	/* a share of the tenants, not of the votes: the row says so */
	stat_row(f, L(s, "Turnout, of the tenants who could vote",
	              "Nifer a bleidleisiodd, o'r tenantiaid a allai bleidleisio"),
	         json_object_get(r, "turnout_pct"), "%");
	stat_row(f, L(s, "Blank ballot papers", "Papurau gwag"), json_object_get(r, "blank"), "");
	stat_row(f, L(s, "Rejected ballot papers", "Papurau a wrthodwyd"),
	         json_object_get(r, "rejected_total"), "");
	stat_row(f, L(s, "Valid votes", "Pleidleisiau dilys"), json_object_get(r, "valid"), "");
	fputs("</tbody>\n</table>\n", f);
	declaration_html(s, f);

	fprintf(f, "<h2>%s</h2>\n<p><span class=\"ok\">%s</span> %s %u %s</p>\n<ul class=\"checks\">\n",
	        L(s, "Has the count been checked?", "A yw'r cyfrif wedi'i wirio?"),
	        L(s, "Yes.", "Ydy."),
	        L(s, "Before this site was made, the published record was checked from start to "
	             "end, and all", "Cyn gwneud y wefan hon, cafodd y cofnod cyhoeddedig ei wirio "
	             "o'r dechrau i'r diwedd, a llwyddodd pob un o'r"),
	        s->sum.passed, L(s, "checks passed:", "gwiriad:"));
	for (unsigned c = 1; c <= TV_VERIFY_CHECKS; c++)
		fprintf(f, "<li>%s</li>\n", L(s, site_check_words[c - 1].en, site_check_words[c - 1].cy));
	fprintf(f, "</ul>\n<p>%s %llu %s %llu %s</p>\n",
	        L(s, "The board holds", "Mae'r bwrdd yn dal"), (unsigned long long)s->sum.entries,
	        L(s, "entries, and", "o gofnodion, ac mae"), (unsigned long long)s->sum.counted,
	        L(s, "ballots count.", "o bleidleisiau yn cyfrif."));

	fprintf(f, "<h2>%s</h2>\n<ul>\n<li><a href=\"%s\">%s</a></li>\n<li><a href=\"%s\">%s</a></li>\n",
	        L(s, "Check your own vote", "Gwirio eich pleidlais eich hun"),
	        L(s, "check.html", "check.cy.html"),
	        L(s, "Check my vote with the tracking code on my receipt",
	          "Gwirio fy mhleidlais gyda'r cod olrhain ar fy nerbynneb"),
	        L(s, "credential.html", "credential.cy.html"),
	        L(s, "Check that my voting code is on the list, with the check code on my letter",
	          "Gwirio bod fy nghod pleidleisio ar y rhestr, gyda'r cod gwirio ar fy llythyr"));
	if (s->papers)
		fprintf(f, "<li><a href=\"%s\">%s</a></li>\n", L(s, "paper.html", "paper.cy.html"),
		        L(s, "Check the ballot paper I voted with, by post or by phone, with the "
		             "paper identifier printed on it",
		          "Gwirio'r papur pleidleisio y pleidleisiais ag ef, drwy'r post neu dros y "
		          "ffôn, gyda'r cod adnabod papur sydd wedi'i argraffu arno"));
	fputs("</ul>\n", f);

	fprintf(f, "<h2>%s</h2>\n<p>%s</p>\n<ol>\n<li><a href=\"%s\">%s</a></li>\n"
	        "<li>%s <code>tenantvote verify record</code></li>\n<li>%s</li>\n</ol>\n",
	        L(s, "Check it yourself", "Gwiriwch drosoch eich hun"),
	        L(s, "You do not have to trust this website. Anyone can check the count:",
	          "Does dim rhaid i chi ymddiried yn y wefan hon. Gall unrhyw un wirio'r cyfrif:"),
	        L(s, "record.html", "record.cy.html"),
	        L(s, "Download the record (all its files).", "Lawrlwythwch y cofnod (ei holl ffeiliau)."),
	        L(s, "Run the free tenantvote program on it:",
	          "Rhedwch y rhaglen tenantvote am ddim arno:"),
	        L(s, "Or write your own checker from the published specification, SPEC.md: it says "
	             "exactly how every file is made.",
	          "Neu ysgrifennwch eich gwiriwr eich hun o'r fanyleb gyhoeddedig, SPEC.md: mae'n "
	          "dweud yn union sut y gwneir pob ffeil."));
	contact_html(s, f);
	return page_close(s, f, false);
}

/* the look-up form: its words in the page's language as data- attributes */
static void lookup_attr(FILE *f, const char *key, const char *text)
{
	fprintf(f, " data-%s=\"", key);
	esc(f, text);
	fputc('"', f);
}

/* a message that ends with the returning officer's details */
static void lookup_attr_officer(FILE *f, const char *key, const char *text, const char *contact)
{
	char msg[4096];

	snprintf(msg, sizeof(msg), "%s %s", text, contact);
	lookup_attr(f, key, msg);
}

/* the messages both look-ups share */
static void lookup_attr_common(site *s, FILE *f, const char *contact, const char *empty)
{
	lookup_attr_officer(f, "error",
	                    L(s, "The list of codes could not be loaded. Try again later, or "
	                         "contact the returning officer:",
	                      "Nid oedd modd llwytho'r rhestr o godau. Rhowch gynnig arall arni "
	                      "nes ymlaen, neu cysylltwch â'r swyddog canlyniadau:"), contact);
	lookup_attr(f, "empty", empty);
	lookup_attr(f, "wait", L(s, "Looking…", "Yn chwilio…"));
}

static int page_check(site *s)
{
	char contact[3000];
	bool first = tv_manifest_revote(s->m) == TV_REVOTE_FIRST;
	FILE *f = page_open(s, "check", L(s, "Check my vote", "Gwirio fy mhleidlais"));

	if (f == NULL)
		return -1;
	contact_text(s, contact, sizeof(contact));
	fprintf(f, "<p>%s</p>\n",
	        L(s, "Type the tracking code from your receipt. The check happens on this device: "
	             "your code is not sent anywhere.",
	          "Teipiwch y cod olrhain o'ch derbynneb. Mae'r gwiriad yn digwydd ar y ddyfais hon: "
	          "nid yw eich cod yn cael ei anfon i unman."));
	fprintf(f, "<form class=\"lookup\" id=\"vote-form\" action=\"#\" novalidate data-kind=\"vote\" "
	        "data-input=\"code\" data-result=\"result\" data-election=\"%s\"", s->election);
	lookup_attr(f, "counts", L(s, "Your ballot is on the board at position {P} and is the one "
	                              "that counts.",
	                           "Mae eich pleidlais ar y bwrdd yn safle {P} a dyma'r un sy'n "
	                           "cyfrif."));
	lookup_attr(f, "replaced",
	            first ? L(s, "Your ballot is on the board at position {P}, but it does not "
	                         "count: an earlier ballot with your voting code counts, as only "
	                         "the first one does.",
	                      "Mae eich pleidlais ar y bwrdd yn safle {P}, ond nid yw'n cyfrif: "
	                      "mae pleidlais gynharach gyda'ch cod pleidleisio yn cyfrif, gan mai "
	                      "dim ond y gyntaf sy'n cyfrif.")
	                  : L(s, "Your ballot is on the board at position {P}, but it was replaced "
	                         "by a later ballot: only the last ballot with your voting code "
	                         "counts.",
	                      "Mae eich pleidlais ar y bwrdd yn safle {P}, ond cafodd ei disodli "
	                      "gan bleidlais ddiweddarach: dim ond y bleidlais olaf gyda'ch cod "
	                      "pleidleisio sy'n cyfrif."));
	lookup_attr_officer(f, "revoked", L(s, "Your ballot is on the board at position {P}, but it does not count: its "
	              "voting code was cancelled. Contact the returning officer:",
	           "Mae eich pleidlais ar y bwrdd yn safle {P}, ond nid yw'n cyfrif: cafodd ei chod "
	           "pleidleisio ei ganslo. Cysylltwch â'r swyddog canlyniadau:"), contact);
	lookup_attr(f, "opened",
	            L(s, "This code is of a ballot that was opened to be checked (position {P}): it "
	                 "was not cast and does not count. A ballot you cast has its own code.",
	              "Mae'r cod hwn yn perthyn i bleidlais a agorwyd i'w gwirio (safle {P}): ni "
	              "chafodd ei bwrw ac nid yw'n cyfrif. Mae gan bleidlais a fwriwyd gennych ei "
	              "chod ei hun."));
	lookup_attr(f, "change", L(s, "This code is of a change to the list of voting codes "
	                              "(position {P}), not of a ballot.",
	                           "Mae'r cod hwn yn perthyn i newid i'r rhestr o godau pleidleisio "
	                           "(safle {P}), nid i bleidlais."));
	lookup_attr_officer(f, "notfound", L(s, "Not found: no ballot on this board has the code {CODE}. Check it against "
	              "your receipt. If your receipt is for another ballot, check it on that "
	              "ballot's board. Otherwise contact the returning officer:",
	           "Heb ei chanfod: nid oes gan yr un bleidlais ar y bwrdd hwn y cod {CODE}. "
	           "Gwiriwch ef yn erbyn eich derbynneb. Os yw eich derbynneb ar gyfer pleidlais "
	           "arall, gwiriwch hi ar fwrdd y bleidlais honno. Fel arall, cysylltwch â'r "
	           "swyddog canlyniadau:"), contact);
	lookup_attr(f, "typo", L(s, "One character is mistyped in {CODE}: the last character of a "
	                            "tracking code checks the others, and it does not match. Check "
	                            "each character against your receipt.",
	                         "Mae un nod wedi'i gamdeipio yn {CODE}: mae nod olaf cod olrhain "
	                         "yn gwirio'r lleill, ac nid yw'n cyfateb. Gwiriwch bob nod yn "
	                         "erbyn eich derbynneb."));
	lookup_attr(f, "length", L(s, "That is not a whole tracking code: it has {N} letters and "
	                              "digits, and a tracking code has 16, like "
	                              "ABCD-EFGH-JKMN-PQRS (or 64 in the long form).",
	                           "Nid yw hwnnw'n god olrhain cyfan: mae ganddo {N} o lythrennau "
	                           "a rhifau, ac mae gan god olrhain 16, fel ABCD-EFGH-JKMN-PQRS "
	                           "(neu 64 yn y ffurf hir)."));
	lookup_attr(f, "badchar", L(s, "A tracking code holds only the letters and digits printed "
	                               "on your receipt: “{X}” is not one of them.",
	                            "Dim ond y llythrennau a'r rhifau sydd ar eich derbynneb sydd "
	                            "mewn cod olrhain: nid yw “{X}” yn un ohonynt."));
	lookup_attr(f, "bad", L(s, "That is not a receipt of this website's kind. Type the "
	                           "tracking code printed on your receipt.",
	                        "Nid yw honno'n dderbynneb o'r math hwn. Teipiwch y cod olrhain "
	                        "sydd ar eich derbynneb."));
	lookup_attr_officer(f, "other", L(s, "This receipt is for another ballot, not this one. Check it on that "
	              "ballot's board, or contact the returning officer:",
	           "Mae'r dderbynneb hon ar gyfer pleidlais arall, nid hon. Gwiriwch hi ar fwrdd y "
	           "bleidlais honno, neu cysylltwch â'r swyddog canlyniadau:"), contact);
	/* the stub of a ballot paper points here: its identifier has 20 symbols */
	if (s->papers)
		lookup_attr(f, "paper", L(s, "That is the identifier of a ballot paper, not a tracking "
		                             "code: check it on the page “Check my ballot paper”.",
		                          "Dyna god adnabod papur pleidleisio, nid cod olrhain: "
		                          "gwiriwch ef ar y dudalen “Gwirio fy mhapur pleidleisio”."));
	lookup_attr_common(s, f, contact, L(s, "Type your tracking code first.",
	                                    "Teipiwch eich cod olrhain yn gyntaf."));
	fprintf(f, ">\n<label for=\"code\">%s</label>\n<span class=\"hint\" id=\"code-hint\">%s</span>\n"
	        "<input id=\"code\" type=\"text\" autocomplete=\"off\" autocapitalize=\"characters\" "
	        "spellcheck=\"false\" aria-describedby=\"code-hint\">\n"
	        "<button type=\"submit\">%s</button>\n</form>\n"
	        "<div id=\"result\" role=\"status\" aria-live=\"polite\"></div>\n",
	        L(s, "Tracking code", "Cod olrhain"),
	        L(s, "16 letters and digits, like ABCD-EFGH-JKMN-PQRS. Small letters, spaces and "
	             "no dashes are fine. The long code (64 characters) works too.",
	          "16 o lythrennau a rhifau, fel ABCD-EFGH-JKMN-PQRS. Mae llythrennau bach, bylchau "
	          "a dim cysylltnodau yn iawn. Mae'r cod hir (64 nod) yn gweithio hefyd."),
	        L(s, "Check", "Gwirio"));
	fprintf(f, "<noscript><p class=\"box\">%s <a href=\"%s\">%s</a> %s</p></noscript>\n",
	        L(s, "This check needs JavaScript, which is off. Your receipt gives your ballot's "
	             "position on the board: find it in",
	          "Mae angen JavaScript ar y gwiriad hwn, ac mae wedi'i ddiffodd. Mae eich "
	          "derbynneb yn rhoi safle eich pleidlais ar y bwrdd: dewch o hyd iddi yn"),
	        L(s, "codes-1.html", "codes-1.cy.html"),
	        L(s, "the list of all tracking codes", "y rhestr o bob cod olrhain"),
	        L(s, "(1000 to a page, in order).", "(1000 ar bob tudalen, yn eu trefn)."));
	fprintf(f, "<p>%s <span class=\"code\">%s</span>.</p>\n",
	        L(s, "This board is for the ballot", "Mae'r bwrdd hwn ar gyfer y bleidlais"),
	        tv_manifest_election_id(s->m));
	contact_html(s, f);
	return page_close(s, f, true);
}

static int page_credential(site *s)
{
	char contact[3000], msg[4096];
	FILE *f = page_open(s, "credential",
	                    L(s, "Check my voting code", "Gwirio fy nghod pleidleisio"));

	if (f == NULL)
		return -1;
	contact_text(s, contact, sizeof(contact));
	fprintf(f, "<p>%s</p>\n<p><strong>%s</strong></p>\n",
	        L(s, "Your letter gives a check code, like 7K2M-9QXD, for your voting code. Type it "
	             "here to see that your voting code is on the published list. The check code "
	             "is not secret and cannot be used to vote.",
	          "Mae eich llythyr yn rhoi cod gwirio, fel 7K2M-9QXD, ar gyfer eich cod "
	          "pleidleisio. Teipiwch ef yma i weld bod eich cod pleidleisio ar y rhestr "
	          "gyhoeddedig. Nid yw'r cod gwirio yn gyfrinachol ac ni ellir ei ddefnyddio i "
	          "bleidleisio."),
	        L(s, "Never type your voting code itself here.",
	          "Peidiwch byth â theipio eich cod pleidleisio ei hun yma."));
	fprintf(f, "<form class=\"lookup\" id=\"credential-form\" action=\"#\" novalidate "
	        "data-kind=\"credential\" data-input=\"check-code\" data-result=\"result\"");
	snprintf(msg, sizeof(msg), L(s, "{CODE} is on the published list of %zu voting codes.",
	                             "Mae {CODE} ar y rhestr gyhoeddedig o %zu cod pleidleisio."),
	         s->ncodes);
	lookup_attr(f, "found", msg);
	lookup_attr_officer(f, "notfound", L(s, "{CODE} is not on the published list. Check it against your letter; if it is "
	              "right, contact the returning officer:",
	           "Nid yw {CODE} ar y rhestr gyhoeddedig. Gwiriwch ef yn erbyn eich llythyr; os "
	           "yw'n gywir, cysylltwch â'r swyddog canlyniadau:"), contact);
	lookup_attr(f, "length", L(s, "A check code has 8 letters and digits, like 7K2M-9QXD; "
	                              "that has {N}.",
	                           "Mae gan god gwirio 8 o lythrennau a rhifau, fel 7K2M-9QXD; mae "
	                           "gan hwnnw {N}."));
	lookup_attr(f, "badchar", L(s, "A check code holds only the letters and digits printed on "
	                               "your letter: “{X}” is not one of them.",
	                            "Dim ond y llythrennau a'r rhifau sydd ar eich llythyr sydd mewn "
	                            "cod gwirio: nid yw “{X}” yn un ohonynt."));
	lookup_attr(f, "secret", L(s, "That looks like your secret voting code, not its check "
	                              "code. It was not sent anywhere, but keep it to yourself. "
	                              "Type the short check code (8 letters and digits).",
	                           "Mae hwnnw'n edrych fel eich cod pleidleisio cyfrinachol, nid ei "
	                           "god gwirio. Ni chafodd ei anfon i unman, ond cadwch ef i chi'ch "
	                           "hun. Teipiwch y cod gwirio byr (8 o lythrennau a rhifau)."));
	lookup_attr_common(s, f, contact, L(s, "Type your check code first.",
	                                    "Teipiwch eich cod gwirio yn gyntaf."));
	fprintf(f, ">\n<label for=\"check-code\">%s</label>\n<span class=\"hint\" id=\"check-hint\">"
	        "%s</span>\n<input id=\"check-code\" type=\"text\" autocomplete=\"off\" "
	        "autocapitalize=\"characters\" spellcheck=\"false\" aria-describedby=\"check-hint\">\n"
	        "<button type=\"submit\">%s</button>\n</form>\n"
	        "<div id=\"result\" role=\"status\" aria-live=\"polite\"></div>\n",
	        L(s, "Check code", "Cod gwirio"),
	        L(s, "8 letters and digits, like 7K2M-9QXD.", "8 o lythrennau a rhifau, fel 7K2M-9QXD."),
	        L(s, "Check", "Gwirio"));
	fprintf(f, "<noscript><p class=\"box\">%s <code>tenantvote credentials codes --record "
	        "record --find XXXX-XXXX</code></p></noscript>\n",
	        L(s, "This check needs JavaScript, which is off. Anyone can also check a code with "
	             "the downloaded record and the tenantvote program:",
	          "Mae angen JavaScript ar y gwiriad hwn, ac mae wedi'i ddiffodd. Gall unrhyw un "
	          "hefyd wirio cod gyda'r cofnod wedi'i lawrlwytho a'r rhaglen tenantvote:"));
	contact_html(s, f);
	return page_close(s, f, true);
}

/* an answer's label as the paper prints it: the option's, or a blank paper's */
static const char *answer_label(site *s, uint32_t answer, bool *english)
{
	tv_text t = { "Blank ballot paper", "Papur pleidleisio gwag" };

	if (answer != TV_BALLOT_BLANK)
		t = tv_manifest_option(s->m, answer);
	*english = s->welsh && (t.cy == NULL || *t.cy == '\0');
	return mtext_plain(s, t);
}

/*
 * SPEC §15.8.5: a tenant who voted with a ballot paper types its
 * identifier; check.js computes its handle h = H("paper"; F, id) and finds
 * it in p/XY.js. The answers' labels are on the form, in the paper's order
 * (§15.8.1: the options, then blank), for an opened paper's codes.
 */
static int page_paper(site *s)
{
	char contact[3000], order[8 * (TV_MAX_OPTIONS + 1)] = "";
	uint32_t m = (uint32_t)tv_manifest_option_count(s->m);
	bool first = tv_manifest_revote(s->m) == TV_REVOTE_FIRST;
	FILE *f = page_open(s, "paper", L(s, "Check my ballot paper", "Gwirio fy mhapur pleidleisio"));

	if (f == NULL)
		return -1;
	contact_text(s, contact, sizeof(contact));
	fprintf(f, "<p>%s</p>\n<p>%s</p>\n",
	        L(s, "If you voted with a ballot paper, by post or by phone, type the paper "
	             "identifier printed on it. You will see the code of the ballot cast from your "
	             "paper, to compare with the code you wrote on the part of the paper you kept. "
	             "For a paper that was not cast, you will see the code of each answer, to "
	             "compare with the codes printed on your paper.",
	          "Os gwnaethoch bleidleisio gyda phapur pleidleisio, drwy'r post neu dros y ffôn, "
	          "teipiwch god adnabod y papur sydd wedi'i argraffu arno. Fe welwch god y "
	          "bleidlais a fwriwyd o'ch papur, i'w gymharu â'r cod a ysgrifennoch ar y rhan o'r "
	          "papur a gadwoch. Ar gyfer papur na chafodd ei fwrw, fe welwch god pob ateb, i'w "
	          "gymharu â'r codau sydd wedi'u hargraffu ar eich papur."),
	        L(s, "The check happens on this device: your paper identifier is not sent anywhere.",
	          "Mae'r gwiriad yn digwydd ar y ddyfais hon: nid yw cod adnabod eich papur yn cael "
	          "ei anfon i unman."));
	fprintf(f, "<form class=\"lookup\" id=\"paper-form\" action=\"#\" novalidate "
	        "data-kind=\"paper\" data-input=\"paper-id\" data-result=\"result\" "
	        "data-election=\"%s\"", s->election);
	/* the entry of a cast paper, then whether it counts (the board's state) */
	lookup_attr(f, "cast", L(s, "Your ballot paper {ID} was cast: it is on the board at "
	                            "position {P}, with the code {CODE}.",
	                         "Cafodd eich papur pleidleisio {ID} ei fwrw: mae ar y bwrdd yn "
	                         "safle {P}, gyda'r cod {CODE}."));
	lookup_attr(f, "compare", L(s, "Check that {CODE} is the code you wrote on the part of the "
	                               "paper you kept.",
	                            "Gwiriwch mai {CODE} yw'r cod a ysgrifennoch ar y rhan o'r papur "
	                            "a gadwoch."));
	lookup_attr(f, "rejected", L(s, "Your ballot paper {ID} was rejected: {REASON}. It is on "
	                                "the board at position {P}, as a rejected paper.",
	                             "Cafodd eich papur pleidleisio {ID} ei wrthod: {REASON}. Mae ar "
	                             "y bwrdd yn safle {P}, fel papur a wrthodwyd."));
	for (unsigned r = 1; r <= TV_SPOILT_REASONS; r++) {
		char key[16];

		snprintf(key, sizeof(key), "reason-%u", r);
		lookup_attr(f, key, L(s, site_reason_words[r - 1].en, site_reason_words[r - 1].cy));
	}
	lookup_attr(f, "counts", L(s, "It is the one that counts.", "Dyma'r un sy'n cyfrif."));
	lookup_attr(f, "counts-rejected", L(s, "It is counted among the rejected ballot papers.",
	                                    "Mae'n cael ei gyfrif ymhlith y papurau a wrthodwyd."));
	lookup_attr(f, "replaced",
	            first ? L(s, "It does not count: an earlier ballot with your voting code "
	                         "counts, as only the first one does.",
	                      "Nid yw'n cyfrif: mae pleidlais gynharach gyda'ch cod pleidleisio "
	                      "yn cyfrif, gan mai dim ond y gyntaf sy'n cyfrif.")
	                  : L(s, "It does not count: it was replaced by a later ballot, as only "
	                         "the last ballot with your voting code counts.",
	                      "Nid yw'n cyfrif: cafodd ei ddisodli gan bleidlais ddiweddarach, gan "
	                      "mai dim ond y bleidlais olaf gyda'ch cod pleidleisio sy'n cyfrif."));
	lookup_attr_officer(f, "revoked", L(s, "It does not count: its voting code was cancelled. "
	                                       "Contact the returning officer:",
	                                    "Nid yw'n cyfrif: cafodd ei god pleidleisio ei ganslo. "
	                                    "Cysylltwch â'r swyddog canlyniadau:"), contact);
	lookup_attr_officer(f, "opened",
	                    L(s, "Your ballot paper {ID} was not cast, so after voting closed it "
	                         "was opened for anyone to check, and it holds no vote. Below is "
	                         "the code of each answer on it: they should be the codes printed "
	                         "on your paper. If you posted it, or voted with it by phone, "
	                         "contact the returning officer:",
	                      "Ni chafodd eich papur pleidleisio {ID} ei fwrw, felly ar ôl i'r "
	                      "pleidleisio gau cafodd ei agor i unrhyw un ei wirio, ac nid oes "
	                      "pleidlais ynddo. Isod mae cod pob ateb arno: dylent fod y codau sydd "
	                      "wedi'u hargraffu ar eich papur. Os gwnaethoch ei bostio, neu "
	                      "bleidleisio ag ef dros y ffôn, cysylltwch â'r swyddog canlyniadau:"),
	                    contact);
	lookup_attr(f, "opened-rejected", L(s, "Because it was rejected, it was opened too: below "
	                                       "is the code of each answer on it, to compare with "
	                                       "the codes printed on your paper.",
	                                    "Gan iddo gael ei wrthod, cafodd ei agor hefyd: isod mae "
	                                    "cod pob ateb arno, i'w gymharu â'r codau sydd wedi'u "
	                                    "hargraffu ar eich papur."));
	lookup_attr_officer(f, "notcast", L(s, "Your ballot paper {ID} was not cast, and has not "
	                                       "been opened. Contact the returning officer:",
	                                    "Ni chafodd eich papur pleidleisio {ID} ei fwrw, ac nid "
	                                    "yw wedi'i agor. Cysylltwch â'r swyddog canlyniadau:"),
	                    contact);
	lookup_attr_officer(f, "notfound",
	                    L(s, "Not found: no ballot paper of this ballot has the identifier "
	                         "{ID}. Check it against your paper. If your paper is for another "
	                         "ballot, check it on that ballot's board. Otherwise contact the "
	                         "returning officer:",
	                      "Heb ei ganfod: nid oes gan yr un papur pleidleisio yn y bleidlais "
	                      "hon y cod adnabod {ID}. Gwiriwch ef yn erbyn eich papur. Os yw eich "
	                      "papur ar gyfer pleidlais arall, gwiriwch ef ar fwrdd y bleidlais "
	                      "honno. Fel arall, cysylltwch â'r swyddog canlyniadau:"), contact);
	lookup_attr(f, "typo", L(s, "One character is mistyped in {ID}: the last character of a "
	                            "paper identifier checks the others, and it does not match. "
	                            "Check each character against your paper.",
	                         "Mae un nod wedi'i gamdeipio yn {ID}: mae nod olaf cod adnabod "
	                         "papur yn gwirio'r lleill, ac nid yw'n cyfateb. Gwiriwch bob nod "
	                         "yn erbyn eich papur."));
	lookup_attr(f, "length", L(s, "That is not a whole paper identifier: it has {N} letters and "
	                              "digits, and a paper identifier has 20, like "
	                              "ABCD-EFGH-JKMN-PQRS-TVWX.",
	                           "Nid yw hwnnw'n god adnabod papur cyfan: mae ganddo {N} o "
	                           "lythrennau a rhifau, ac mae gan god adnabod papur 20, fel "
	                           "ABCD-EFGH-JKMN-PQRS-TVWX."));
	lookup_attr(f, "badchar", L(s, "A paper identifier holds only the letters and digits "
	                               "printed on your paper: “{X}” is not one of them.",
	                            "Dim ond y llythrennau a'r rhifau sydd ar eich papur sydd mewn "
	                            "cod adnabod papur: nid yw “{X}” yn un ohonynt."));
	lookup_attr(f, "secret", L(s, "That looks like your secret voting code, not your paper "
	                              "identifier. It was not sent anywhere, but keep it to "
	                              "yourself. Type the paper identifier (20 letters and digits).",
	                           "Mae hwnnw'n edrych fel eich cod pleidleisio cyfrinachol, nid "
	                           "cod adnabod eich papur. Ni chafodd ei anfon i unman, ond cadwch "
	                           "ef i chi'ch hun. Teipiwch god adnabod y papur (20 o lythrennau "
	                           "a rhifau)."));
	/* WebCrypto is only given to pages from https:// (or this computer) */
	lookup_attr_officer(f, "nocrypto",
	                    L(s, "This browser does this check only over a secure connection, and "
	                         "this page did not come over one. Open the board at its secure "
	                         "address (with a padlock beside it), or a copy of the site saved "
	                         "on your computer, or contact the returning officer:",
	                      "Dim ond dros gysylltiad diogel y mae'r porwr hwn yn gwneud y "
	                      "gwiriad hwn, ac ni ddaeth y dudalen hon dros un. Agorwch y bwrdd "
	                      "yn ei gyfeiriad diogel (gyda chlo clap wrth ei ymyl), neu gopi o'r "
	                      "wefan wedi'i gadw ar eich cyfrifiadur, neu cysylltwch â'r swyddog "
	                      "canlyniadau:"), contact);
	lookup_attr_common(s, f, contact, L(s, "Type your paper identifier first.",
	                                    "Teipiwch god adnabod eich papur yn gyntaf."));
	/* the table of an opened paper's codes */
	lookup_attr(f, "caption", L(s, "The code of each answer on your paper",
	                            "Cod pob ateb ar eich papur"));
	lookup_attr(f, "answer", L(s, "Answer", "Ateb"));
	lookup_attr(f, "code", L(s, "Code", "Cod"));
	for (uint32_t i = 0; i <= m; i++) {
		uint32_t a = i < m ? i + 1 : TV_BALLOT_BLANK;
		char key[24];
		bool english;
		const char *label;

		if (a == TV_BALLOT_BLANK && !tv_manifest_allow_blank(s->m))
			break;
		snprintf(order + strlen(order), sizeof(order) - strlen(order), "%s%u",
		         *order ? " " : "", a);
		label = answer_label(s, a, &english);
		snprintf(key, sizeof(key), "answer-%u", a);
		lookup_attr(f, key, label);
		/* a Welsh page's English label is marked so for screen readers */
		if (english) {
			snprintf(key, sizeof(key), "answer-%u-lang", a);
			lookup_attr(f, key, "en");
		}
	}
	lookup_attr(f, "answers", order);
	fprintf(f, ">\n<label for=\"paper-id\">%s</label>\n<span class=\"hint\" id=\"paper-hint\">"
	        "%s</span>\n<input id=\"paper-id\" type=\"text\" autocomplete=\"off\" "
	        "autocapitalize=\"characters\" spellcheck=\"false\" aria-describedby=\"paper-hint\">\n"
	        "<button type=\"submit\">%s</button>\n</form>\n"
	        "<div id=\"result\" role=\"status\" aria-live=\"polite\"></div>\n",
	        L(s, "Paper identifier", "Cod adnabod y papur"),
	        L(s, "20 letters and digits, like ABCD-EFGH-JKMN-PQRS-TVWX. Small letters, spaces "
	             "and no dashes are fine.",
	          "20 o lythrennau a rhifau, fel ABCD-EFGH-JKMN-PQRS-TVWX. Mae llythrennau bach, "
	          "bylchau a dim cysylltnodau yn iawn."),
	        L(s, "Check", "Gwirio"));
	fprintf(f, "<noscript><p class=\"box\">%s <code>tenantvote papers find --record record "
	        "XXXX-XXXX-XXXX-XXXX-XXXX</code></p></noscript>\n",
	        L(s, "This check needs JavaScript, which is off. Anyone can also check a paper with "
	             "the downloaded record and the tenantvote program:",
	          "Mae angen JavaScript ar y gwiriad hwn, ac mae wedi'i ddiffodd. Gall unrhyw un "
	          "hefyd wirio papur gyda'r cofnod wedi'i lawrlwytho a'r rhaglen tenantvote:"));
	fprintf(f, "<p>%s <span class=\"code\">", L(s, "This board is for the ballot",
	                                           "Mae'r bwrdd hwn ar gyfer y bleidlais"));
	esc(f, tv_manifest_election_id(s->m));
	fputs("</span>.</p>\n", f);
	contact_html(s, f);
	return page_close(s, f, true);
}

static int page_codes(site *s, size_t page)
{
	char base[32], heading[128];
	size_t from = (page - 1) * CODES_PER_PAGE, to = from + CODES_PER_PAGE;
	FILE *f;

	snprintf(base, sizeof(base), "codes-%zu", page);
	snprintf(heading, sizeof(heading), L(s, "All tracking codes, page %zu of %zu",
	                                     "Pob cod olrhain, tudalen %zu o %zu"), page, s->pages);
	if ((f = page_open(s, base, heading)) == NULL)
		return -1;
	fprintf(f, "<p>%s</p>\n",
	        L(s, "Every entry on the board, in order. Your receipt gives your ballot's position.",
	          "Pob cofnod ar y bwrdd, yn eu trefn. Mae eich derbynneb yn rhoi safle eich "
	          "pleidlais."));
	fprintf(f, "<nav class=\"pages\" aria-label=\"%s\"><ul>\n",
	        L(s, "Pages of the list", "Tudalennau'r rhestr"));
	for (size_t p = 1; p <= s->pages; p++) {
		if (p == page)
			fprintf(f, "<li><span aria-current=\"page\">%zu</span></li>\n", p);
		else
			fprintf(f, "<li><a href=\"codes-%zu%s.html\">%zu</a></li>\n", p,
			        s->welsh ? ".cy" : "", p);
	}
	fprintf(f, "</ul></nav>\n<table>\n<thead><tr><th scope=\"col\" class=\"num\">%s</th>"
	        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	        L(s, "Position", "Safle"), L(s, "Tracking code", "Cod olrhain"),
	        L(s, "What it is", "Beth ydyw"));
	for (size_t i = from; i < to && i < s->n; i++) {
		const site_entry *e = &s->entries[i];

		fprintf(f, "<tr><td class=\"num\">%llu</td><td class=\"code\">%.4s-%.4s-%.4s-%.4s</td>"
		        "<td>%s</td></tr>\n", (unsigned long long)e->position, e->code, e->code + 4,
		        e->code + 8, e->code + 12, state_words(s, e->state));
	}
	fputs("</tbody>\n</table>\n", f);
	if (s->n == 0)
		fprintf(f, "<p>%s</p>\n", L(s, "The board is empty.", "Mae'r bwrdd yn wag."));
	return page_close(s, f, false);
}

static int page_record(site *s)
{
	FILE *f = page_open(s, "record", L(s, "Download the record", "Lawrlwytho'r cofnod"));

	if (f == NULL)
		return -1;
	fprintf(f, "<p>%s</p>\n",
	        L(s, "These are the files of the public record, exactly as they were published. "
	             "The SHA-256 fingerprint of each lets anyone make sure their copy is the same "
	             "as everyone else's.",
	          "Dyma ffeiliau'r cofnod cyhoeddus, yn union fel y'u cyhoeddwyd. Mae ôl bys "
	          "SHA-256 pob un yn gadael i unrhyw un sicrhau bod eu copi yr un fath â chopi pawb "
	          "arall."));
	fprintf(f, "<table>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s"
	        "</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n",
	        L(s, "File", "Ffeil"), L(s, "Size (bytes)", "Maint (beit)"));
	for (size_t i = 0; i < s->nfiles; i++) {
		fputs("<tr><td><a href=\"record/", f);
		esc(f, s->files[i].name);
		fputs("\" download>", f);
		esc(f, s->files[i].name);
		fprintf(f, "</a></td><td class=\"num\">%llu</td><td class=\"hash\">%s</td></tr>\n",
		        s->files[i].size, s->files[i].sha256);
	}
	fprintf(f, "</tbody>\n</table>\n<p>%s <a href=\"record/SHA256SUMS\" download>SHA256SUMS</a> "
	        "(<code>sha256sum -c SHA256SUMS</code>).</p>\n",
	        L(s, "All the fingerprints in one file:", "Pob ôl bys mewn un ffeil:"));
	fprintf(f, "<h2>%s</h2>\n<p>%s</p>\n<pre><code>tenantvote verify record</code></pre>\n<p>%s</p>\n",
	        L(s, "Check the record", "Gwirio'r cofnod"),
	        L(s, "Put the files in a folder named record and run the free tenantvote program:",
	          "Rhowch y ffeiliau mewn ffolder o'r enw record a rhedwch y rhaglen tenantvote am "
	          "ddim:"),
	        L(s, "It repeats every check listed on the home page and says exactly what, if "
	             "anything, is wrong. Or write your own checker from the specification, "
	             "SPEC.md.",
	          "Mae'n ailadrodd pob gwiriad a restrir ar yr hafan ac yn dweud yn union beth, os "
	          "unrhyw beth, sydd o'i le. Neu ysgrifennwch eich gwiriwr eich hun o'r fanyleb, "
	          "SPEC.md."));
	return page_close(s, f, false);
}

static int page_maths(site *s)
{
	FILE *f = page_open(s, "maths", L(s, "About the maths", "Am y mathemateg"));

	if (f == NULL)
		return -1;
	fprintf(f, "<p>%s</p>\n",
	        L(s, "This page is for readers who want the technical detail; the specification, "
	             "SPEC.md, gives all of it.",
	          "Mae'r dudalen hon ar gyfer darllenwyr sydd eisiau'r manylion technegol; mae'r "
	          "fanyleb, SPEC.md, yn rhoi'r cyfan."));
	for (size_t i = 0; i < site_maths_count + (s->papers ? site_maths_papers_count : 0); i++) {
		const site_words *w = i < site_maths_count ? &site_maths[i]
		                                           : &site_maths_papers[i - site_maths_count];
		const char *t = L(s, w->en, w->cy);

		fputs(*t == '#' ? "<h2>" : "<p>", f);
		esc(f, *t == '#' ? t + 1 : t);
		fputs(*t == '#' ? "</h2>\n" : "</p>\n", f);
	}
	fprintf(f, "<h2>%s</h2>\n<table>\n<thead><tr><th scope=\"col\" class=\"num\">%s</th>"
	        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	        L(s, "The checks of SPEC §19", "Gwiriadau SPEC §19"), L(s, "Check", "Gwiriad"),
	        L(s, "What it checks", "Beth mae'n ei wirio"), L(s, "Outcome", "Canlyniad"));
	for (unsigned c = 1; c <= TV_VERIFY_CHECKS; c++) {
		fprintf(f, "<tr><td class=\"num\">%u</td><td%s>", c, s->welsh ? " lang=\"en\"" : "");
		esc(f, tv_verify_check_name(c));
		fprintf(f, "</td><td>%s</td></tr>\n",
		        s->passed[c] ? L(s, "passed", "wedi llwyddo") : L(s, "failed", "wedi methu"));
	}
	fputs("</tbody>\n</table>\n", f);
	return page_close(s, f, false);
}

/* ------------------------------------------------------------ the index */

static int cmp_entry_code(const void *a, const void *b)
{
	return strcmp(((const site_entry *const *)a)[0]->code, ((const site_entry *const *)b)[0]->code);
}

/* t/XY.js: tvShard("XY", [[position, "the other 14 symbols", state], ...]) for
 * every pair XY of symbols, empty ones included, so that a missing file
 * means a broken site and not "not found" */
static int write_tracking_index(site *s)
{
	const site_entry **order = calloc(s->n + 1, sizeof(*order));
	char path[4096];
	size_t k = 0;
	int rc = -1;

	if (order == NULL) {
		cli_error("out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->n; i++)
		order[i] = &s->entries[i];
	qsort(order, s->n, sizeof(*order), cmp_entry_code);
	/* the index is split by a code's first two symbols */
	for (unsigned p = 0; p < 32 * 32; p++) {
		char prefix[3] = { cli_code_alphabet[p / 32], cli_code_alphabet[p % 32], '\0' };
		const char *sep = "\n";
		FILE *f;
		int bad;

		snprintf(path, sizeof(path), "%s/t/%s.js", s->dir, prefix);
		if ((f = fopen(path, "wx")) == NULL) {
			cli_error("cannot write %s: %s", path, cli_strerror(errno));
			goto out;
		}
		fprintf(f, "tvShard(\"%s\",[", prefix);
		for (; k < s->n && memcmp(order[k]->code, prefix, 2) == 0; k++, sep = ",\n")
			fprintf(f, "%s[%llu,\"%s\",%u]", sep, (unsigned long long)order[k]->position,
			        order[k]->code + 2, (unsigned)order[k]->state);
		fputs("]);\n", f);
		bad = ferror(f);
		if (fclose(f) != 0 || bad) {
			cli_error("cannot write %s: %s", path, cli_strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	free(order);
	return rc;
}

/* c/XY.js: tvCredShard("XY", ["the other 6 symbols", ...]) */
static int write_credential_index(site *s)
{
	char path[4096];
	size_t k = 0;

	for (unsigned p = 0; p < 32 * 32; p++) {
		char prefix[3] = { cli_code_alphabet[p / 32], cli_code_alphabet[p % 32], '\0' };
		const char *sep = "";
		FILE *f;
		int bad;

		snprintf(path, sizeof(path), "%s/c/%s.js", s->dir, prefix);
		if ((f = fopen(path, "wx")) == NULL) {
			cli_error("cannot write %s: %s", path, cli_strerror(errno));
			return -1;
		}
		fprintf(f, "tvCredShard(\"%s\",[", prefix);
		/* the codes are sorted "XXXX-XXXX" */
		for (; k < s->ncodes && memcmp(s->codes[k], prefix, 2) == 0; k++, sep = ",")
			fprintf(f, "%s\"%.2s%.4s\"", sep, s->codes[k] + 2, s->codes[k] + 5);
		fputs("]);\n", f);
		bad = ferror(f);
		if (fclose(f) != 0 || bad) {
			cli_error("cannot write %s: %s", path, cli_strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------ the papers' index */

/* close the shard being written, if any */
static int paper_shard_end(site *s)
{
	int bad;

	if (s->shard == NULL)
		return 0;
	fputs("]);\n", s->shard);
	bad = ferror(s->shard);
	if (fclose(s->shard) != 0 || bad) {
		s->shard = NULL;
		cli_error("cannot write the papers' index in %s/p: %s", s->dir, cli_strerror(errno));
		return -1;
	}
	s->shard = NULL;
	return 0;
}

/* write every shard up to @p prefix, empty ones included, and leave
 * @p prefix's open (prefix 1024: close them all) */
static int paper_shard_to(site *s, unsigned prefix)
{
	char path[4096];

	while (s->next_shard <= prefix && s->next_shard < 32 * 32) {
		char name[3] = { cli_code_alphabet[s->next_shard / 32],
			         cli_code_alphabet[s->next_shard % 32], '\0' };

		if (paper_shard_end(s) != 0)
			return -1;
		snprintf(path, sizeof(path), "%s/p/%s.js", s->dir, name);
		if ((s->shard = fopen(path, "wx")) == NULL) {
			cli_error("cannot write %s: %s", path, cli_strerror(errno));
			return -1;
		}
		fprintf(s->shard, "tvPaperShard(\"%s\",[", name);
		s->shard_sep = "\n";
		s->next_shard++;
	}
	return prefix >= 32 * 32 ? paper_shard_end(s) : 0;
}

/* the board state of the entry at @p position, as the tracking index has it */
static unsigned board_state_at(const site *s, uint64_t position)
{
	if (position == 0 || position > s->n || s->entries[position - 1].position != position)
		return 0;
	return s->entries[position - 1].state;
}

/*
 * One paper into p/XY.js, XY its handle's first ten bits in the code
 * alphabet (the papers come in ascending order of handles, so of shards):
 *   ["<h>", state, position, board state, code or reason, [answer codes]]
 * state as tv_paper_state; the board state of its entry as t/XY.js has it
 * (0: not on the board); a cast paper's short code, a rejected paper's
 * reason (1..4), else ""; an opened paper's codes in answer order.
 */
static int on_paper(const tv_paper_info *p, void *payload)
{
	site *s = payload;
	unsigned prefix = ((unsigned)p->handle[0] << 2) | (p->handle[1] >> 6);
	unsigned board = board_state_at(s, p->position);
	char h[65];

	if (p->position != 0 &&
	    (board == 0 || (board == TV_BOARD_COUNTS) != (p->counts != 0))) {
		cli_error("the record's papers and its board disagree at position %llu",
		          (unsigned long long)p->position);
		s->shard_failed = 1;
		return 1;
	}
	if (paper_shard_to(s, prefix) != 0) {
		s->shard_failed = 1;
		return 1;
	}
	cli_hex(h, p->handle, 32);
	fprintf(s->shard, "%s[\"%s\",%u,%llu,%u,", s->shard_sep, h, (unsigned)p->state,
	        (unsigned long long)p->position, board);
	if (p->state == TV_PAPER_CAST)
		fprintf(s->shard, "\"%s\",[", p->code);
	else if (p->state == TV_PAPER_REJECTED)
		fprintf(s->shard, "%u,[", (unsigned)p->reason);
	else
		fputs("\"\",[", s->shard);
	for (uint32_t k = 0; k < p->answers && k <= TV_MAX_OPTIONS; k++)
		fprintf(s->shard, "%s\"%s\"", k ? "," : "", p->answer_code[k]);
	fputs("]]", s->shard);
	s->shard_sep = ",\n";
	s->npapers++;
	return 0;
}

/* p/XY.js for every XY, from the record's papers (SPEC §15.8.5) */
static int write_paper_index(site *s)
{
	tv_status st;

	s->next_shard = 0;
	s->shard_failed = 0;
	st = tv_record_papers(s->ctx, s->record, s->threads, on_paper, s);
	if (st != TV_OK || s->shard_failed) {
		if (s->shard != NULL)
			fclose(s->shard);
		s->shard = NULL;
		return st != TV_OK ? (cli_lib_error(s->ctx, "reading the record's ballot papers", st),
		                      -1)
		                   : -1;
	}
	return paper_shard_to(s, 32 * 32);
}

/* ---------------------------------------------------- the record's files */

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const site_file *)a)->name, ((const site_file *)b)->name);
}

/* copy @p name of the record to OUT/record/, its size and SHA-256 into @p out */
static int copy_hashed(site *s, const char *name, site_file *out)
{
	char from[4096], to[4096], buf[65536];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	EVP_MD *sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	FILE *in = NULL, *f = NULL;
	size_t got;
	int rc = -1, bad;

	snprintf(from, sizeof(from), "%s/%s", s->record, name);
	snprintf(to, sizeof(to), "%s/record/%s", s->dir, name);
	out->size = 0;
	if (h == NULL || sha256 == NULL || EVP_DigestInit_ex(h, sha256, NULL) != 1) {
		cli_error("cannot compute SHA-256 (OpenSSL)");
		goto out;
	}
	if ((in = fopen(from, "rb")) == NULL || (f = fopen(to, "wbx")) == NULL) {
		cli_error("cannot copy %s: %s", from, cli_strerror(errno));
		goto out;
	}
	while ((got = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (EVP_DigestUpdate(h, buf, got) != 1 || fwrite(buf, 1, got, f) != got) {
			cli_error("cannot copy %s: %s", from, cli_strerror(errno));
			goto out;
		}
		out->size += got;
	}
	if (ferror(in) || EVP_DigestFinal_ex(h, md, &mdlen) != 1 || mdlen != 32) {
		cli_error("cannot read %s", from);
		goto out;
	}
	cli_hex(out->sha256, md, 32);
	rc = 0;
out:
	if (in != NULL)
		fclose(in);
	if (f != NULL) {
		bad = ferror(f);
		if (fclose(f) != 0 || bad) {
			if (rc == 0)
				cli_error("cannot write %s: %s", to, cli_strerror(errno));
			rc = -1;
		}
	}
	EVP_MD_free(sha256);
	EVP_MD_CTX_free(h);
	return rc;
}

static int copy_record(site *s)
{
	DIR *d = opendir(s->record);
	struct dirent *de;
	size_t cap = 0;
	char path[4096];
	FILE *sums;
	int bad;

	if (d == NULL) {
		cli_error("cannot read the record %s: %s", s->record, cli_strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", s->record, de->d_name);
		if (de->d_name[0] == '.' || lstat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
		    strlen(de->d_name) >= sizeof(s->files[0].name))
			continue;
		if (s->nfiles == cap) {
			site_file *more = realloc(s->files, (cap = cap * 2 + 16) * sizeof(*more));

			if (more == NULL) {
				cli_error("out of memory");
				closedir(d);
				return -1;
			}
			s->files = more;
		}
		snprintf(s->files[s->nfiles++].name, sizeof(s->files[0].name), "%s", de->d_name);
	}
	closedir(d);
	qsort(s->files, s->nfiles, sizeof(*s->files), cmp_file);
	for (size_t i = 0; i < s->nfiles; i++)
		if (copy_hashed(s, s->files[i].name, &s->files[i]) != 0)
			return -1;
	snprintf(path, sizeof(path), "%s/record/SHA256SUMS", s->dir);
	if ((sums = fopen(path, "wx")) == NULL) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < s->nfiles; i++)
		fprintf(sums, "%s  %s\n", s->files[i].sha256, s->files[i].name);
	bad = ferror(sums);
	if (fclose(sums) != 0 || bad) {
		cli_error("cannot write %s", path);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------ reading the record */

static void on_check(const tv_verify_event *ev, void *payload)
{
	site *s = payload;
	char msg[1024];

	if (ev->check >= 1 && ev->check <= TV_VERIFY_CHECKS && ev->status == TV_OK) {
		s->passed[ev->check] = 1;
		return;
	}
	snprintf(msg, sizeof(msg), "%s", ev->message);
	cli_safe_text(msg);
	cli_progress_end();
	if (ev->position != 0)
		fprintf(stderr, "  FAIL  %2u  %s: position %llu: %s\n", ev->check, ev->name,
		        (unsigned long long)ev->position, msg);
	else
		fprintf(stderr, "  FAIL  %2u  %s: %s\n", ev->check, ev->name, msg);
}

static void on_progress(const char *what, uint64_t done, uint64_t total, void *payload)
{
	(void)payload;
	cli_progress(what, (unsigned long)done, (unsigned long)total);
}

static void on_listing(const tv_board_listing *e, void *payload)
{
	site *s = payload;
	char text[TV_TRACKING_TEXT_LEN + 1];
	site_entry *x;

	if (s->n == s->cap) {
		site_entry *more = realloc(s->entries, (s->cap * 2 + 1024) * sizeof(*more));

		if (more == NULL)
			return; /* noticed after the listing: fewer entries than verified */
		s->entries = more;
		s->cap = s->cap * 2 + 1024;
	}
	x = &s->entries[s->n++];
	x->position = e->position;
	x->state = (uint8_t)e->state;
	tv_tracking_text(text, e->tracking);
	/* "ABCD-EFGH-JKMN-PQRS" without its hyphens */
	for (size_t i = 0, k = 0; text[i] != '\0'; i++)
		if (text[i] != '-')
			x->code[k++] = text[i];
	x->code[16] = '\0';
}

static int read_record(site *s, unsigned threads, bool quiet)
{
	char path[4096], *text = NULL;
	json_t *rec = NULL;
	size_t len;
	tv_status st;
	int rc = CLI_ERROR;

	if (!quiet)
		fprintf(stderr, "Checking the record %s first, every check of SPEC §19...\n",
		        s->record);
	st = tv_record_verify(s->ctx, s->record, threads, on_check, s, on_progress, NULL, &s->sum);
	cli_progress_end();
	if (st == TV_ERR_PROOF_INVALID) {
		cli_error("the record %s does NOT verify (%u of %d checks failed): a site is "
		          "published only from a record that verifies", s->record, s->sum.failed,
		          TV_VERIFY_CHECKS);
		return CLI_FAILED;
	}
	if (st != TV_OK)
		return cli_lib_error(s->ctx, "checking the record", st);

	snprintf(path, sizeof(path), "%s/manifest.json", s->record);
	if ((text = cli_read_file(path, &len, (size_t)1 << 20)) == NULL)
		goto out;
	if ((st = tv_manifest_from_json(s->ctx, &s->m, text, len)) != TV_OK) {
		rc = cli_lib_error(s->ctx, "reading the record's manifest", st);
		goto out;
	}
	s->contact = tv_manifest_contact(s->m);
	free(text);
	snprintf(path, sizeof(path), "%s/record.json", s->record);
	if ((text = cli_read_file(path, &len, (size_t)1 << 20)) == NULL)
		goto out;
	rec = json_loadb(text, len, 0, NULL);
	if (json_string_length(json_object_get(rec, "election")) != 64) {
		cli_error("%s: no election fingerprint", path);
		goto out;
	}
	snprintf(s->election, sizeof(s->election), "%s",
	         json_string_value(json_object_get(rec, "election")));
	free(text);
	snprintf(path, sizeof(path), "%s/result.json", s->record);
	if ((text = cli_read_file(path, &len, (size_t)1 << 20)) == NULL)
		goto out;
	if ((s->result = json_loadb(text, len, 0, NULL)) == NULL) {
		cli_error("%s is not JSON", path);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/declaration.txt", s->record);
	if ((s->declaration = cli_read_file(path, &len, (size_t)1 << 20)) == NULL)
		goto out;
	if ((st = tv_record_list_board(s->ctx, s->record, on_listing, s)) != TV_OK) {
		rc = cli_lib_error(s->ctx, "listing the board", st);
		goto out;
	}
	if (s->n != s->sum.entries) {
		cli_error("out of memory listing the board");
		goto out;
	}
	/* a record of an election with ballot papers holds their list (SPEC §15.8.2) */
	snprintf(path, sizeof(path), "%s/papers.json", s->record);
	s->papers = access(path, F_OK) == 0;
	rc = cli_record_check_codes(s->ctx, &s->codes, &s->ncodes, s->record);
out:
	json_decref(rec);
	free(text);
	return rc;
}

/* ---------------------------------------------------------- the folder */

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *path)
{
	if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
		cli_error("could not remove %s: %s", path, cli_strerror(errno));
}

/* 0: OUT is absent or an empty folder; 1: a site publish wrote; -1: else */
static int out_state(const char *out)
{
	char mark[4096];
	struct stat st;
	DIR *d;
	struct dirent *de;
	int empty = 1;

	if (stat(out, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode) || (d = opendir(out)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	if (empty)
		return 0;
	snprintf(mark, sizeof(mark), "%s/%s", out, SITE_MARK);
	return access(mark, F_OK) == 0 ? 1 : -1;
}

static int write_site(site *s)
{
	char path[4096 + 16];
	json_t *mark;
	char *text;
	int rc;

	for (const char *sub = s->papers ? "t\0c\0p\0record\0" : "t\0c\0record\0"; *sub;
	     sub += strlen(sub) + 1) {
		snprintf(path, sizeof(path), "%s/%s", s->dir, sub);
		if (mkdir(path, 0755) != 0) {
			cli_error("cannot make %s: %s", path, cli_strerror(errno));
			return -1;
		}
	}
	if (copy_record(s) != 0 || write_file(s, "site.css", cli_site_css, cli_site_css_len) != 0 ||
	    write_file(s, "check.js", cli_site_js, cli_site_js_len) != 0 ||
	    write_tracking_index(s) != 0 || write_credential_index(s) != 0 ||
	    (s->papers && write_paper_index(s) != 0))
		return -1;
	s->pages = s->n == 0 ? 1 : (s->n + CODES_PER_PAGE - 1) / CODES_PER_PAGE;
	for (int w = 0; w < 2; w++) {
		s->welsh = w == 1;
		if (page_index(s) != 0 || page_check(s) != 0 || page_credential(s) != 0 ||
		    page_record(s) != 0 || page_maths(s) != 0 || (s->papers && page_paper(s) != 0))
			return -1;
		for (size_t p = 1; p <= s->pages; p++) {
			if (page_codes(s, p) != 0)
				return -1;
			cli_progress(w ? "Welsh pages of tracking codes" : "pages of tracking codes",
			             (unsigned long)p, (unsigned long)s->pages);
		}
	}
	cli_progress_end();
	/* what a later --force may replace, and what the site is of */
	mark = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "format",
	                 "tenantvote-site/1", "election_id", tv_manifest_election_id(s->m),
	                 "election", s->election, "entries", (json_int_t)s->sum.entries, "counted",
	                 (json_int_t)s->sum.counted, "credentials", (json_int_t)s->ncodes, "pages",
	                 (json_int_t)s->pages, "papers", (json_int_t)s->npapers);
	text = mark != NULL ? json_dumps(mark, JSON_INDENT(2)) : NULL;
	rc = text != NULL ? write_file(s, SITE_MARK, text, strlen(text)) : -1;
	free(text);
	json_decref(mark);
	return rc;
}

int cli_publish_site(const char *out, const char *record, unsigned threads, bool force,
                     bool quiet)
{
	site s = { 0 };
	char tmp[4096], old[4096] = "";
	int rc = CLI_ERROR, state;

	s.record = record;
	s.threads = threads;
	if ((state = out_state(out)) < 0 || (state == 1 && !force)) {
		cli_error(state == 1 ? "%s holds a site already: --force replaces it"
		                     : "%s exists and is not an empty folder or a site publish "
		                       "wrote: choose a new folder", out);
		return CLI_FAILED;
	}
	if (tv_ctx_new(&s.ctx, NULL) != TV_OK) {
		cli_error("cannot start the library (out of memory?)");
		return CLI_ERROR;
	}
	if ((rc = read_record(&s, threads, quiet)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	/* the site is written beside OUT and renamed into place only when whole */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", out) >= (int)sizeof(tmp) ||
	    mkdtemp(tmp) == NULL) {
		cli_error("cannot make a folder beside %s: %s", out, cli_strerror(errno));
		goto out;
	}
	chmod(tmp, 0755);
	s.dir = tmp;
	if (write_site(&s) != 0) {
		remove_tree(tmp);
		goto out;
	}
	if (state == 1) {
		snprintf(old, sizeof(old), "%s.old-XXXXXX", out);
		if (mkdtemp(old) == NULL || rename(out, old) != 0) {
			cli_error("cannot move the earlier site %s aside: %s", out, cli_strerror(errno));
			remove_tree(tmp);
			goto out;
		}
	}
	if (rename(tmp, out) != 0) {
		cli_error("cannot rename %s to %s: %s", tmp, out, cli_strerror(errno));
		remove_tree(tmp);
		if (*old)
			rename(old, out);
		goto out;
	}
	if (*old)
		remove_tree(old);
	rc = CLI_OK;
out:
	tv_manifest_free(s.m);
	json_decref(s.result);
	free(s.declaration);
	free(s.entries);
	free(s.codes);
	free(s.files);
	tv_ctx_free(s.ctx);
	if (rc == CLI_OK && !quiet && s.papers)
		printf("The bulletin board of %s is in %s: %llu board entries, %zu voting codes, "
		       "%zu ballot papers, %zu pages of tracking codes, in English and Welsh.\n",
		       record, out, (unsigned long long)s.sum.entries, s.ncodes, s.npapers, s.pages);
	else if (rc == CLI_OK && !quiet)
		printf("The bulletin board of %s is in %s: %llu board entries, %zu voting codes, "
		       "%zu pages of tracking codes, in English and Welsh.\n", record, out,
		       (unsigned long long)s.sum.entries, s.ncodes, s.pages);
	return rc;
}

void cli_publish_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote publish --site OUT RECORD [--force] [--threads N] [--json]\n"
	        "\n"
	        "Writes the public bulletin board of the record RECORD: a static website in\n"
	        "English and Welsh that any web host can serve, or anyone can open from their\n"
	        "own disk. It shows the question, the result and the declaration, every check\n"
	        "of the record, how to check it independently, every tracking code, and the\n"
	        "record's files with their SHA-256; tenants check their vote (check.html, the\n"
	        "check address of SPEC 15.1.2: check.html#CODE), their voting code\n"
	        "(credential.html) and, in an election with ballot papers, their paper by its\n"
	        "identifier (paper.html, SPEC 15.8.5) in their browser, which sends nothing\n"
	        "anywhere.\n"
	        "\n"
	        "The record is verified first, every check of 'tenantvote verify'; a record\n"
	        "that does not verify is not published (exit 1). The site is written into\n"
	        "OUT.tmp-XXXXXX and renamed to OUT only when whole. OUT must not exist or be\n"
	        "an empty folder; --force replaces a site that publish wrote earlier (one\n"
	        "holding site.json), and nothing else.\n"
	        "\n"
	        "  --site OUT     the folder to write\n"
	        "  --force        replace an earlier site in OUT\n"
	        "  --threads N    threads verifying ballots (default: one per core)\n"
	        "  --json         print a summary as JSON\n"
	        "  -h, --help     this help\n");
}

int cli_publish(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ "threads", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	char path[4096];
	bool force = false, json = false;
	unsigned threads = 0;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': out = optarg; break;
		case 'f': force = true; break;
		case 't':
			if (cli_parse_threads(&threads, optarg) != 0)
				return CLI_USAGE;
			break;
		case 'j': json = true; break;
		case 'h': cli_publish_help(stdout); return CLI_OK;
		default: cli_publish_help(stderr); return CLI_USAGE;
		}
	}
	if (out == NULL || optind + 1 != argc) {
		cli_error("publish needs --site OUT and one record folder");
		return CLI_USAGE;
	}
	/* OUT.tmp-XXXXXX must be OUT's sibling: no trailing '/' */
	snprintf(path, sizeof(path), "%s", out);
	for (size_t len = strlen(path); len > 1 && path[len - 1] == '/'; len--)
		path[len - 1] = '\0';
	if (*path == '\0') {
		cli_error("--site needs a folder name");
		return CLI_USAGE;
	}
	rc = cli_publish_site(path, argv[optind], threads, force, json);
	if (json && rc == CLI_OK) {
		char mark[sizeof(path) + sizeof(SITE_MARK) + 1], *text;
		size_t len;
		json_t *v;

		snprintf(mark, sizeof(mark), "%s/%s", path, SITE_MARK);
		if ((text = cli_read_file(mark, &len, 1 << 16)) != NULL &&
		    (v = json_loadb(text, len, 0, NULL)) != NULL) {
			json_object_set_new(v, "site", json_string(path));
			cli_print_json(v);
		}
		free(text);
	}
	return rc;
}
