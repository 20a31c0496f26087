/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ballot-pack letters as one PDF (cli/letters.h, SPEC §11.9), drawn
 * with cairo in DejaVu, whose fonts carry every Welsh letter (ŵ, ŷ, â ...).
 *
 * A letter is laid out first, as a list of lines and pictures each placed
 * on a page of the letter, then drawn page by page: so Welsh and English
 * can flow side by side in two columns, each onto a further page when it
 * needs one. Nothing of a letter is kept once its pages are drawn, and the
 * texts that held its code are wiped.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>

#include "cli.h"
#include "letters.h"
#include "pdf.h"
#include "qr.h"

struct cli_pdf_letters {
	cli_pdf pdf;
	const tv_manifest *m;
	bool large;
	cairo_surface_t *vote_qr; /* the voting page's QR code, or NULL */
	double qr_side;           /* its side on the page, quiet zone included */
	bool has_qr;
};

/* ------------------------------------------------------------ the words */

typedef struct words {
	const char *lang;
	const char *private_note, *intro, *question, *when, *when_text, *your_code, *code_note;
	const char *how, *online, *online_qr, *phone, *postal, *in_person, *how_ask, *check_title;
	const char *check_text, *check_text_board, *check_page, *revote_last, *revote_first;
	const char *contact, *phone_label, *email_label;
	const char *offer_read, *offer_ask;
	const char *months[12];
} words;

static const words english = {
	"en",
	"Private and confidential: for the person named above only",
	"You can vote in the tenants' ballot on the question below. Your vote is secret: "
	"nobody, the council included, can see how you voted.",
	"The question",
	"When to vote",
	"Voting opens on %s and closes on %s.",
	"Your voting code",
	"You need this code to vote. Keep it secret and safe: nobody from the council or the "
	"returning officer will ever ask you for it.",
	"How to vote",
	"Online: go to %s and type your voting code.",
	"Online: go to %s (or scan the QR code) and type your voting code.",
	"By phone: ring %s and give your voting code when you are asked.",
	"By post: mark the ballot paper and send it to %s.",
	"In person: bring this letter to a polling place named by the returning officer.",
	"The returning officer will tell you how to vote.",
	"Check your code is on the list",
	"Check code: %s. When voting opens, the list of voting codes is published, and you "
	"can check that this check code is on it.",
	"Check code: %s. When voting opens, the list of voting codes is published, and you "
	"can check that this check code is on it at %s.",
	"credential.html",
	"You can vote again if you change your mind: the last vote you cast is the one that "
	"counts.",
	"Only your first vote counts: a later one is refused.",
	"Questions? Contact the returning officer:",
	"Phone",
	"Email",
	"The offer you are voting on: read it at %s. Its fingerprint (SHA-256) starts %s.",
	"The offer you are voting on has the fingerprint (SHA-256) starting %s: ask the "
	"returning officer for a copy.",
	{ "January", "February", "March", "April", "May", "June", "July", "August", "September",
	  "October", "November", "December" },
};

static const words welsh = {
	"cy",
	"Preifat a chyfrinachol: i'r unigolyn a enwir uchod yn unig",
	"Gallwch bleidleisio ym mhleidlais y tenantiaid ar y cwestiwn isod. Mae eich pleidlais "
	"yn gyfrinachol: ni all neb, gan gynnwys y cyngor, weld sut y gwnaethoch bleidleisio.",
	"Y cwestiwn",
	"Pryd i bleidleisio",
	"Mae'r pleidleisio'n agor ar %s ac yn cau ar %s.",
	"Eich cod pleidleisio",
	"Mae angen y cod hwn arnoch i bleidleisio. Cadwch ef yn gyfrinachol ac yn ddiogel: ni "
	"fydd neb o'r cyngor na'r swyddog canlyniadau byth yn gofyn i chi amdano.",
	"Sut i bleidleisio",
	"Ar-lein: ewch i %s a theipiwch eich cod pleidleisio.",
	"Ar-lein: ewch i %s (neu sganiwch y cod QR) a theipiwch eich cod pleidleisio.",
	"Dros y ffôn: ffoniwch %s a rhowch eich cod pleidleisio pan ofynnir i chi.",
	"Drwy'r post: marciwch y papur pleidleisio a'i anfon at %s.",
	"Yn bersonol: dewch â'r llythyr hwn i fan pleidleisio a enwir gan y swyddog "
	"canlyniadau.",
	"Bydd y swyddog canlyniadau'n dweud wrthych sut i bleidleisio.",
	"Gwiriwch fod eich cod ar y rhestr",
	"Cod gwirio: %s. Pan fydd y pleidleisio'n agor, cyhoeddir y rhestr o godau "
	"pleidleisio, a gallwch wirio bod y cod gwirio hwn arni.",
	"Cod gwirio: %s. Pan fydd y pleidleisio'n agor, cyhoeddir y rhestr o godau "
	"pleidleisio, a gallwch wirio bod y cod gwirio hwn arni yn %s.",
	"credential.cy.html",
	"Gallwch bleidleisio eto os byddwch yn newid eich meddwl: y bleidlais olaf a fwriwch "
	"yw'r un sy'n cyfrif.",
	"Dim ond eich pleidlais gyntaf sy'n cyfrif: gwrthodir un ddiweddarach.",
	"Cwestiynau? Cysylltwch â'r swyddog canlyniadau:",
	"Ffôn",
	"E-bost",
	"Y cynnig rydych yn pleidleisio arno: darllenwch ef yn %s. Mae ei ôl bys (SHA-256) yn "
	"dechrau %s.",
	"Mae ôl bys (SHA-256) y cynnig rydych yn pleidleisio arno yn dechrau %s: gofynnwch i'r "
	"swyddog canlyniadau am gopi.",
	{ "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst",
	  "Medi", "Hydref", "Tachwedd", "Rhagfyr" },
};

/* "1 March 2027, 09:00 UTC" in the language of @p w */
static void when_text(char *out, size_t size, int64_t t, const words *w)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL) {
		snprintf(out, size, "%lld", (long long)t);
		return;
	}
	snprintf(out, size, "%d %s %d, %02d:%02d UTC", tm.tm_mday, w->months[tm.tm_mon],
	         tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

/* ------------------------------------------------------------ the layout */

/* the letters a column is laid out for */
static const cli_pdf_letters *letters_of(const cli_pdf_flow *f)
{
	return f->l->doc;
}

/* XXXX-XXXX-XXXX / XXXX-XXXX-XXXX: three groups a line */
static void put_code_groups(cli_pdf_flow *f, double size, const char *code, size_t len)
{
	for (size_t start = 0; start < len;) {
		size_t end = start, groups = 0;

		while (end < len && groups < 3) {
			while (end < len && code[end] != '-')
				end++;
			groups++;
			if (groups < 3 && end < len)
				end++;
		}
		cli_pdf_put_line(f, CLI_PDF_MONO, size, code + start, end - start);
		start = end < len ? end + 1 : end;
	}
}

/* the voting code, big and in its groups, in a shaded frame that no page
 * break cuts: on one line when it fits */
static void put_code(cli_pdf_flow *f, const char *code)
{
	cairo_t *cr = f->l->pdf->cr;
	double size = f->body * 1.8, pad = f->body * 0.6;
	size_t len = strlen(code);
	int lines;
	cli_pdf_op *frame;

	cli_pdf_set_font(f->l->pdf, CLI_PDF_MONO, size);
	lines = cli_pdf_text_width(cr, code, len) <= f->width - 2 * pad ? 1 : 2;
	cli_pdf_keep(f, lines * size * CLI_PDF_LEADING + 2 * pad + f->body * 0.4);
	cli_pdf_put_gap(f, f->body * 0.4);
	if ((frame = cli_pdf_add_op(f->l)) != NULL) {
		frame->page = f->page;
		frame->x = f->x;
		frame->y = f->y;
		frame->box_w = f->width;
		frame->box_h = lines * size * CLI_PDF_LEADING + 2 * pad;
	}
	f->y += pad;
	f->x += pad;
	if (lines == 1)
		cli_pdf_put_line(f, CLI_PDF_MONO, size, code, len);
	else
		put_code_groups(f, size, code, len);
	f->x -= pad;
	f->y += pad + f->body * 0.2;
}

/*
 * @p fmt with the check code @p check and @p page, laid out as if the check
 * code were the widest there could be, then drawn with the real one: every
 * letter of an election takes the same lines, so none spills onto a page its
 * neighbours do not have (a wide code in a side-by-side letter once did)
 */
static void put_check_code(cli_pdf_flow *f, const char *fmt, const char *check, const char *page)
{
	cairo_t *cr = f->l->pdf->cr;
	size_t len = strlen(check), first = f->l->n;
	char widest[32];
	char sym = cli_code_alphabet[0];

	if (len >= sizeof(widest)) {
		cli_pdf_put_formatted(f, CLI_PDF_REGULAR, fmt, check, page);
		return;
	}
	cli_pdf_set_font(f->l->pdf, CLI_PDF_REGULAR, f->body);
	for (const char *s = cli_code_alphabet; *s != '\0'; s++)
		if (cli_pdf_text_width(cr, s, 1) > cli_pdf_text_width(cr, &sym, 1))
			sym = *s;
	for (size_t i = 0; i < len; i++)
		widest[i] = check[i] == '-' ? '-' : sym;
	widest[len] = '\0';
	cli_pdf_put_formatted(f, CLI_PDF_REGULAR, fmt, widest, page);
	for (size_t i = first; i < f->l->n; i++) {
		char *at = f->l->ops[i].text ? strstr(f->l->ops[i].text, widest) : NULL;

		if (at != NULL) {
			memcpy(at, check, len);
			break;
		}
	}
}

/* @p fmt with @p url, with the QR code of side @p side to its right */
static void put_beside_qr(cli_pdf_flow *f, const char *fmt, const char *url, double side)
{
	double gap = f->body, y;
	int page;
	cli_pdf_op *o;

	cli_pdf_keep(f, side + 4);
	page = f->page;
	y = f->y;
	f->width -= side + gap;
	cli_pdf_put_formatted(f, CLI_PDF_REGULAR, fmt, url, NULL);
	f->width += side + gap;
	if ((o = cli_pdf_add_op(f->l)) == NULL)
		return;
	o->page = page;
	o->x = f->x + f->width - side;
	o->y = y + 4;
	o->side = side;
	o->image = letters_of(f)->vote_qr;
	if (f->page == page && f->y < y + side + 4)
		f->y = y + side + 4;
}

/* manifest text in the column's language: Welsh when there is Welsh */
static const char *in_lang(tv_text t, const words *w)
{
	return w == &welsh && t.cy != NULL && t.cy[0] != '\0' ? t.cy : t.en;
}

static void hash_start(char out[24], const uint8_t *d);

/* one language's letter, from its title down */
static void put_letter(cli_pdf_flow *f, const words *w, const char *code, const char *check,
                       bool contact, bool offer_too)
{
	const tv_manifest *m = letters_of(f)->m;
	tv_contact c = tv_manifest_contact(m);
	uint32_t channels = tv_manifest_channels(m);
	char opens[64], closes[64], page[TV_CONTACT_URL_MAX + 32];
	tv_offer offer;

	cli_pdf_put_text(f, CLI_PDF_BOLD, f->body * 1.5, in_lang(tv_manifest_title(m), w));
	cli_pdf_put_gap(f, f->body * 0.4);
	cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, w->intro);
	cli_pdf_put_heading(f, w->question);
	cli_pdf_put_text(f, CLI_PDF_BOLD, f->body, in_lang(tv_manifest_question(m), w));
	for (uint32_t i = 1; i <= tv_manifest_option_count(m); i++) {
		char line[1100];

		snprintf(line, sizeof(line), "\u2022 %s", in_lang(tv_manifest_option(m, i), w));
		cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, line);
	}
	/* what the tenant votes on (SPEC §9.2.2): where to read it, and the start of
	 * its SHA-256 to compare, the Welsh document in the Welsh letter if there is one */
	if (offer_too && tv_manifest_offer(m, &offer)) {
		bool cy = w == &welsh && offer.has_cy;
		const uint8_t *d = cy ? offer.sha256_cy : offer.sha256;
		const char *url = cy ? offer.url_cy : offer.url;
		char start[24];

		hash_start(start, d);
		if (url[0] != '\0')
			cli_pdf_put_formatted(f, CLI_PDF_REGULAR, w->offer_read, url, start);
		else
			cli_pdf_put_formatted(f, CLI_PDF_REGULAR, w->offer_ask, start, NULL);
	}
	cli_pdf_put_heading(f, w->when);
	when_text(opens, sizeof(opens), tv_manifest_opens(m), w);
	when_text(closes, sizeof(closes), tv_manifest_closes(m), w);
	cli_pdf_put_formatted(f, CLI_PDF_REGULAR, w->when_text, opens, closes);
	cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body,
	         tv_manifest_revote(m) == TV_REVOTE_FIRST ? w->revote_first : w->revote_last);

	cli_pdf_put_heading(f, w->your_code);
	put_code(f, code);
	cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, w->code_note);

	/* the QR code beside the first way to vote, under its heading */
	cli_pdf_put_heading_then(f, w->how,
	                         letters_of(f)->has_qr && (channels & TV_CHANNEL_ONLINE) &&
	                                 c.vote_url[0] != '\0' ? letters_of(f)->qr_side + 4 : 0);
	if (!((channels & TV_CHANNEL_ONLINE) && c.vote_url[0] != '\0') &&
	    !((channels & TV_CHANNEL_PHONE) && c.vote_phone[0] != '\0') &&
	    !((channels & TV_CHANNEL_POSTAL) && c.address[0] != '\0') &&
	    !(channels & TV_CHANNEL_IN_PERSON))
		cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, w->how_ask);
	if ((channels & TV_CHANNEL_ONLINE) && c.vote_url[0] != '\0') {
		if (letters_of(f)->has_qr)
			put_beside_qr(f, w->online_qr, c.vote_url, letters_of(f)->qr_side);
		else
			cli_pdf_put_formatted(f, CLI_PDF_REGULAR, w->online, c.vote_url, NULL);
	}
	if ((channels & TV_CHANNEL_PHONE) && c.vote_phone[0] != '\0')
		cli_pdf_put_formatted(f, CLI_PDF_REGULAR, w->phone, c.vote_phone, NULL);
	if ((channels & TV_CHANNEL_POSTAL) && c.address[0] != '\0')
		cli_pdf_put_formatted(f, CLI_PDF_REGULAR, w->postal, c.address, NULL);
	if (channels & TV_CHANNEL_IN_PERSON)
		cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, w->in_person);

	cli_pdf_put_heading(f, w->check_title);
	if (c.board_url[0] != '\0') {
		snprintf(page, sizeof(page), "%s%s", c.board_url, w->check_page);
		put_check_code(f, w->check_text_board, check, page);
	} else {
		put_check_code(f, w->check_text, check, NULL);
	}

	if (contact && c.officer[0] != '\0') {
		char line[1100];

		cli_pdf_put_heading(f, w->contact);
		cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, c.officer);
		cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, c.address);
		if (c.phone[0] != '\0') {
			snprintf(line, sizeof(line), "%s: %s", w->phone_label, c.phone);
			cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, line);
		}
		if (c.email[0] != '\0') {
			snprintf(line, sizeof(line), "%s: %s", w->email_label, c.email);
			cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, line);
		}
	}
}

/* "ba78 16bf 8f01 cfea": the first 8 bytes of a SHA-256, to compare by eye */
static void hash_start(char out[24], const uint8_t *d)
{
	snprintf(out, 24, "%02x%02x %02x%02x %02x%02x %02x%02x", d[0], d[1], d[2], d[3], d[4], d[5],
	         d[6], d[7]);
}

/*
 * The offer document (SPEC §9.2.2) once across the page, in Welsh and
 * English, as a footer in the bottom margin of the letter's last page: the
 * side-by-side letter fills its one page, and a footer takes none of it.
 */
static void put_offer_both(const cli_pdf_flow *body)
{
	cli_pdf_flow footer = *body, *f = &footer;
	tv_offer of;
	char start[24], line[2400];

	if (!tv_manifest_offer(letters_of(f)->m, &of))
		return;
	f->x = CLI_PDF_MARGIN;
	f->width = CLI_PDF_PAGE_W - 2 * CLI_PDF_MARGIN;
	f->top = f->y = CLI_PDF_PAGE_H - CLI_PDF_MARGIN + 2;
	/* never a page break: an address too long for the margin runs off the page,
	 * never onto the next tenant's letter */
	f->bottom = 1e9;
	f->body = 8;
	hash_start(start, of.sha256);
	snprintf(line, sizeof(line), "Y cynnig / The offer: %s%sSHA-256 %s\u2026", of.url,
	         of.url[0] != '\0' ? "   " : "", start);
	cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, line);
	if (of.has_cy) {
		hash_start(start, of.sha256_cy);
		snprintf(line, sizeof(line), "Y cynnig yn Gymraeg / The offer in Welsh: %s%sSHA-256 %s\u2026",
		         of.url_cy, of.url_cy[0] != '\0' ? "   " : "", start);
		cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, line);
	}
}

/* the officer's contact details once across the page, in Welsh and English */
static void put_contact_both(cli_pdf_flow *f)
{
	tv_contact c = tv_manifest_contact(letters_of(f)->m);
	/* one line: "Cysylltwch â'r swyddog canlyniadau / Contact the returning officer:" */
	const char *cy = strstr(welsh.contact, "? "), *en = strstr(english.contact, "? ");
	size_t n;
	char line[2400];

	if (c.officer[0] == '\0')
		return;
	cy = cy != NULL ? cy + 2 : welsh.contact;
	en = en != NULL ? en + 2 : english.contact;
	n = strlen(cy);
	snprintf(line, sizeof(line), "%.*s / %s", (int)(n - (n > 0 && cy[n - 1] == ':')), cy, en);
	cli_pdf_put_heading(f, line);
	snprintf(line, sizeof(line), "%s, %s", c.officer, c.address);
	cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, line);
	line[0] = '\0';
	if (c.phone[0] != '\0')
		snprintf(line, sizeof(line), "%s / %s: %s", welsh.phone_label, english.phone_label,
		         c.phone);
	if (c.email[0] != '\0')
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s / %s: %s",
		         line[0] != '\0' ? "      " : "", welsh.email_label, english.email_label,
		         c.email);
	if (line[0] != '\0')
		cli_pdf_put_text(f, CLI_PDF_REGULAR, f->body, line);
}

/* the head of the letter, once across the page: the tenant's name and
 * address on the left, where a window envelope shows them; the council and
 * that the letter is private (in @p first, and @p second if not NULL) on
 * the right */
static void put_head(cli_pdf_flow *f, const tv_tenant *t, const words *first, const words *second)
{
	double half = (f->width - CLI_PDF_GUTTER) / 2;
	cli_pdf_flow left = *f, right = *f;
	const char *a = t->address;

	left.width = right.width = half;
	right.x = f->x + half + CLI_PDF_GUTTER;
	cli_pdf_put_text(&right, CLI_PDF_BOLD, f->body * 1.1,
	                 tv_manifest_council(letters_of(f)->m));
	cli_pdf_put_gap(&right, f->body * 0.5);
	cli_pdf_put_text(&right, CLI_PDF_BOLD, f->body * 0.9, first->private_note);
	if (second != NULL)
		cli_pdf_put_text(&right, CLI_PDF_BOLD, f->body * 0.9, second->private_note);
	cli_pdf_put_text(&left, CLI_PDF_REGULAR, f->body, t->name);
	/* the register joined its lines with ", " (SPEC §10.3): one a line again */
	while (*a != '\0') {
		const char *comma = strstr(a, ", ");
		size_t len = comma ? (size_t)(comma - a) : strlen(a);

		cli_pdf_put_line(&left, CLI_PDF_REGULAR, f->body, a, len);
		a += len + (comma ? 2 : 0);
	}
	f->y = left.y > right.y ? left.y : right.y;
}

/* ------------------------------------------------------------ the file */

int cli_pdf_letters_open(cli_pdf_letters **out, const char *path, const tv_manifest *m,
                         bool large)
{
	cli_pdf_letters *p = calloc(1, sizeof(*p));
	tv_contact c = tv_manifest_contact(m);
	/* as cli_pdf_letters_add lays them out: side by side in two columns */
	bool both = tv_manifest_title(m).cy[0] != '\0' &&
	            tv_manifest_letters(m) == TV_LETTERS_BILINGUAL;
	int rc;

	*out = NULL;
	if (p == NULL) {
		cli_error("out of memory");
		return CLI_ERROR;
	}
	p->m = m;
	p->large = large;
	/* owner-only from the first byte: it holds every tenant's code */
	rc = cli_pdf_open(&p->pdf, path, tv_manifest_title(m).en, "the letters' PDF");
	if (rc != CLI_OK) {
		free(p);
		return rc;
	}
	if (c.vote_url[0] != '\0') {
		cli_qr q;

		if (cli_qr_make(&q, c.vote_url) == 0) {
			p->vote_qr = cli_qr_image(&q);
			p->has_qr = p->vote_qr != NULL;
			/* 2 pt (0.7 mm) a module, 3 in large print, 1.5 in the narrow
			 * columns of a bilingual letter (0.53 mm, still well above what
			 * a phone's camera needs at reading distance) */
			p->qr_side = (large ? 3.0 : both ? 1.5 : 2.0) *
			             (p->has_qr ? cairo_image_surface_get_width(p->vote_qr) : 0);
			cli_qr_free(&q);
		}
	}
	*out = p;
	return CLI_OK;
}

int cli_pdf_letters_add(cli_pdf_letters *p, const tv_tenant *t, const char *code,
                        const char *check_code)
{
	cli_pdf_layout l = { &p->pdf, p, NULL, 0, 0, 0 };
	double body = p->large ? 16 : 10.5, top = CLI_PDF_MARGIN + body;
	double bottom = CLI_PDF_PAGE_H - CLI_PDF_MARGIN;
	double width = CLI_PDF_PAGE_W - 2 * CLI_PDF_MARGIN;
	bool welsh_text = tv_manifest_title(p->m).cy[0] != '\0';
	bool both = welsh_text && tv_manifest_letters(p->m) == TV_LETTERS_BILINGUAL;
	const words *only = welsh_text && strcmp(t->language, "cy") == 0 ? &welsh : &english;
	int rc = 0;

	/*
	 * Side by side, the two columns share one page at 10 pt when they fit,
	 * else at 9.5 or 9 pt (a long question or landlord's name); every letter
	 * of an election is laid out alike (put_check_code), so all get the same
	 * size. Below 9 pt, a letter takes a second page rather than shrink.
	 */
	for (double col_body = 10;; col_body -= 0.5) {
		cli_pdf_flow head = { &l, CLI_PDF_MARGIN, width, top, bottom, top, 0, body };

		cli_pdf_layout_clear(&l);
		put_head(&head, t, both ? &welsh : only, both ? &english : NULL);
		cli_pdf_put_gap(&head, body * 0.6);
		if (both && !p->large) {
			/* Welsh on the left, as is usual in Wales; English on the right */
			double col = (width - CLI_PDF_GUTTER) / 2;
			cli_pdf_flow cy = { &l, CLI_PDF_MARGIN, col, top, bottom, head.y, head.page,
			                    col_body };
			cli_pdf_flow en = { &l, CLI_PDF_MARGIN + col + CLI_PDF_GUTTER, col, top,
			                    bottom, head.y, head.page, col_body };

			put_letter(&cy, &welsh, code, check_code, false, false);
			put_letter(&en, &english, code, check_code, false, false);
			/* below the longer column */
			head.page = cy.page > en.page ? cy.page : en.page;
			head.y = cy.page == en.page ? (cy.y > en.y ? cy.y : en.y)
			                            : cy.page > en.page ? cy.y : en.y;
			put_contact_both(&head);
			put_offer_both(&head);
			if (head.page > 0 && col_body > 9 && !l.failed)
				continue;
		} else if (both) {
			/* large print: Welsh, then English from a new page */
			put_letter(&head, &welsh, code, check_code, true, true);
			head.page++;
			head.y = top;
			put_letter(&head, &english, code, check_code, true, true);
		} else {
			put_letter(&head, only, code, check_code, true, true);
		}
		break;
	}
	if (l.failed) {
		errno = ENOMEM;
		rc = -1;
	}
	if (rc == 0)
		rc = cli_pdf_draw_pages(&l);
	cli_pdf_layout_clear(&l);
	free(l.ops);
	return rc;
}

static void release(cli_pdf_letters *p)
{
	if (p->vote_qr != NULL)
		cairo_surface_destroy(p->vote_qr);
	cli_pdf_release(&p->pdf);
	free(p);
}

int cli_pdf_letters_close(cli_pdf_letters *p)
{
	int rc = cli_pdf_finish(&p->pdf);

	release(p);
	return rc;
}

void cli_pdf_letters_abort(cli_pdf_letters *p)
{
	if (p == NULL)
		return;
	cli_pdf_discard(&p->pdf);
	release(p);
}
