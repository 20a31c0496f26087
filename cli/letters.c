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
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <openssl/crypto.h>

#include "cli.h"
#include "letters.h"
#include "qr.h"

/* a line's height, in its type's size */
#define LEADING 1.3

/* A4 in points, and its margins */
#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 40.0
#define GUTTER 20.0

enum { REGULAR, BOLD, MONO };

struct cli_pdf_letters {
	char *path;
	char tmp[4200]; /* written here, named path only when whole */
	int fd;
	cli_secret_file sf;  /* the PDF's bytes go through a buffer wiped at close */
	int write_errno;
	cairo_surface_t *surface;
	cairo_t *cr;
	const tv_manifest *m;
	bool large;
	cairo_surface_t *vote_qr; /* the voting page's QR code, or NULL */
	double qr_side;           /* its side on the page, quiet zone included */
	bool has_qr;
	cairo_font_face_t *faces[3]; /* REGULAR, BOLD, MONO: looked up once */
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

typedef struct op {
	int page;
	double x, y, size, side; /* side > 0: the QR code, a square of that side */
	double box_w, box_h;     /* box_w > 0: a shaded frame of that size */
	int font;
	char *text;
} op;

typedef struct layout {
	cli_pdf_letters *p;
	op *ops;
	size_t n, cap;
	int failed;
} layout;

/* one column of a letter, flowing down its pages */
typedef struct flow {
	layout *l;
	double x, width, top, bottom, y;
	int page;
	double body; /* the body text's size */
} flow;

/* no operations, their texts wiped (a letter's code is among them) */
static void layout_clear(layout *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ops[i].text != NULL) {
			OPENSSL_cleanse(l->ops[i].text, strlen(l->ops[i].text));
			free(l->ops[i].text);
		}
	l->n = 0;
}

static op *add_op(layout *l)
{
	if (l->failed)
		return NULL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		op *grown = realloc(l->ops, cap * sizeof(*grown));

		if (grown == NULL) {
			l->failed = 1;
			return NULL;
		}
		l->ops = grown;
		l->cap = cap;
	}
	memset(&l->ops[l->n], 0, sizeof(l->ops[0]));
	return &l->ops[l->n++];
}

static void set_font(cli_pdf_letters *p, int font, double size)
{
	cairo_set_font_face(p->cr, p->faces[font]);
	cairo_set_font_size(p->cr, size);
}

static double text_width(cairo_t *cr, const char *s, size_t len)
{
	cairo_text_extents_t e;
	char buf[1024];

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	cairo_text_extents(cr, buf, &e);
	OPENSSL_cleanse(buf, len);
	return e.x_advance;
}

/* a new line of @p height in the flow: onto the next page when it is full */
static double next_line(flow *f, double height)
{
	if (f->y + height > f->bottom) {
		f->page++;
		f->y = f->top;
	}
	f->y += height;
	return f->y;
}

static void put_line(flow *f, int font, double size, const char *s, size_t len)
{
	op *o = add_op(f->l);
	double y = next_line(f, size * LEADING);

	if (o == NULL)
		return;
	o->page = f->page;
	o->x = f->x;
	o->y = y - size * 0.3;
	o->font = font;
	o->size = size;
	if ((o->text = malloc(len + 1)) == NULL) {
		f->l->failed = 1;
		return;
	}
	memcpy(o->text, s, len);
	o->text[len] = '\0';
}

/* the bytes of @p s (@p len of them) that fit in @p width, at least one
 * character: up to just after a '/' in the second half when there is one,
 * so an address is cut where a reader expects it */
static size_t fitting_prefix(cairo_t *cr, const char *s, size_t len, double width)
{
	size_t n = len, slash = 0;

	while (n > 1 && text_width(cr, s, n) > width)
		do
			n--;
		while (n > 1 && ((unsigned char)s[n] & 0xc0) == 0x80);
	while (n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	for (size_t i = 1; i < n; i++)
		if (s[i - 1] == '/')
			slash = i;
	return slash > n / 2 ? slash : n;
}

/* @p text wrapped at spaces into the column's width: each word measured once */
static void put_text(flow *f, int font, double size, const char *text)
{
	cairo_t *cr = f->l->p->cr;
	const char *line = text, *s = text;
	double space, used = 0;

	set_font(f->l->p, font, size);
	space = text_width(cr, " ", 1);
	while (*s != '\0') {
		const char *end = strchr(s, ' ');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		double w = text_width(cr, s, len);

		/* a word that does not fit ends the line before it (a long word alone) */
		if (s > line && used + space + w > f->width) {
			put_line(f, font, size, line, (size_t)(s - 1 - line));
			line = s;
			used = 0;
		}
		/* a word wider than the column on a line of its own: cut */
		while (s == line && w > f->width) {
			size_t cut = fitting_prefix(cr, s, len, f->width);

			put_line(f, font, size, s, cut);
			s += cut;
			len -= cut;
			line = s;
			w = text_width(cr, s, len);
		}
		used += (s > line ? space : 0) + w;
		s += len;
		if (*s == ' ')
			s++;
	}
	if (s > line)
		put_line(f, font, size, line, (size_t)(s - line) - (s[-1] == ' '));
}

static void put_gap(flow *f, double height)
{
	if (f->y + height <= f->bottom)
		f->y += height;
}

/* a new page for what needs @p height, unless it fits on this one */
static void keep(flow *f, double height)
{
	if (f->y + height > f->bottom) {
		f->page++;
		f->y = f->top;
	}
}

/* a heading kept on the page of what follows it: @p then high, or two lines */
static void put_heading_then(flow *f, const char *text, double then)
{
	put_gap(f, f->body * 0.6);
	keep(f, f->body * 1.25 * LEADING + (then > 0 ? then : 2 * f->body * LEADING));
	put_text(f, BOLD, f->body * 1.25, text);
}

static void put_heading(flow *f, const char *text)
{
	put_heading_then(f, text, 0);
}

/* @p fmt with its first "%s" replaced by @p a and its second by @p b */
static void put_formatted(flow *f, int font, const char *fmt, const char *a, const char *b)
{
	char buf[3000];
	const char *args[2] = { a, b };
	size_t o = 0, k = 0;

	for (const char *s = fmt; *s != '\0' && o + 1 < sizeof(buf); s++) {
		if (s[0] == '%' && s[1] == 's' && k < 2) {
			const char *arg = args[k++] ? args[k - 1] : "";
			size_t n = strlen(arg);

			if (n > sizeof(buf) - 1 - o)
				n = sizeof(buf) - 1 - o;
			memcpy(buf + o, arg, n);
			o += n;
			s++;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = '\0';
	put_text(f, font, f->body, buf);
	OPENSSL_cleanse(buf, sizeof(buf));
}

/* XXXX-XXXX-XXXX / XXXX-XXXX-XXXX: three groups a line */
static void put_code_groups(flow *f, double size, const char *code, size_t len)
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
		put_line(f, MONO, size, code + start, end - start);
		start = end < len ? end + 1 : end;
	}
}

/* the voting code, big and in its groups, in a shaded frame that no page
 * break cuts: on one line when it fits */
static void put_code(flow *f, const char *code)
{
	cairo_t *cr = f->l->p->cr;
	double size = f->body * 1.8, pad = f->body * 0.6;
	size_t len = strlen(code);
	int lines;
	op *frame;

	set_font(f->l->p, MONO, size);
	lines = text_width(cr, code, len) <= f->width - 2 * pad ? 1 : 2;
	keep(f, lines * size * LEADING + 2 * pad + f->body * 0.4);
	put_gap(f, f->body * 0.4);
	if ((frame = add_op(f->l)) != NULL) {
		frame->page = f->page;
		frame->x = f->x;
		frame->y = f->y;
		frame->box_w = f->width;
		frame->box_h = lines * size * LEADING + 2 * pad;
	}
	f->y += pad;
	f->x += pad;
	if (lines == 1)
		put_line(f, MONO, size, code, len);
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
static void put_check_code(flow *f, const char *fmt, const char *check, const char *page)
{
	cairo_t *cr = f->l->p->cr;
	size_t len = strlen(check), first = f->l->n;
	char widest[32];
	char sym = cli_code_alphabet[0];

	if (len >= sizeof(widest)) {
		put_formatted(f, REGULAR, fmt, check, page);
		return;
	}
	set_font(f->l->p, REGULAR, f->body);
	for (const char *s = cli_code_alphabet; *s != '\0'; s++)
		if (text_width(cr, s, 1) > text_width(cr, &sym, 1))
			sym = *s;
	for (size_t i = 0; i < len; i++)
		widest[i] = check[i] == '-' ? '-' : sym;
	widest[len] = '\0';
	put_formatted(f, REGULAR, fmt, widest, page);
	for (size_t i = first; i < f->l->n; i++) {
		char *at = f->l->ops[i].text ? strstr(f->l->ops[i].text, widest) : NULL;

		if (at != NULL) {
			memcpy(at, check, len);
			break;
		}
	}
}

/* @p fmt with @p url, with the QR code of side @p side to its right */
static void put_beside_qr(flow *f, const char *fmt, const char *url, double side)
{
	double gap = f->body, y;
	int page;
	op *o;

	keep(f, side + 4);
	page = f->page;
	y = f->y;
	f->width -= side + gap;
	put_formatted(f, REGULAR, fmt, url, NULL);
	f->width += side + gap;
	if ((o = add_op(f->l)) == NULL)
		return;
	o->page = page;
	o->x = f->x + f->width - side;
	o->y = y + 4;
	o->side = side;
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
static void put_letter(flow *f, const words *w, const char *code, const char *check,
                       bool contact, bool offer_too)
{
	const tv_manifest *m = f->l->p->m;
	tv_contact c = tv_manifest_contact(m);
	uint32_t channels = tv_manifest_channels(m);
	char opens[64], closes[64], page[TV_CONTACT_URL_MAX + 32];
	tv_offer offer;

	put_text(f, BOLD, f->body * 1.5, in_lang(tv_manifest_title(m), w));
	put_gap(f, f->body * 0.4);
	put_text(f, REGULAR, f->body, w->intro);
	put_heading(f, w->question);
	put_text(f, BOLD, f->body, in_lang(tv_manifest_question(m), w));
	for (uint32_t i = 1; i <= tv_manifest_option_count(m); i++) {
		char line[1100];

		snprintf(line, sizeof(line), "\u2022 %s", in_lang(tv_manifest_option(m, i), w));
		put_text(f, REGULAR, f->body, line);
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
			put_formatted(f, REGULAR, w->offer_read, url, start);
		else
			put_formatted(f, REGULAR, w->offer_ask, start, NULL);
	}
	put_heading(f, w->when);
	when_text(opens, sizeof(opens), tv_manifest_opens(m), w);
	when_text(closes, sizeof(closes), tv_manifest_closes(m), w);
	put_formatted(f, REGULAR, w->when_text, opens, closes);
	put_text(f, REGULAR, f->body,
	         tv_manifest_revote(m) == TV_REVOTE_FIRST ? w->revote_first : w->revote_last);

	put_heading(f, w->your_code);
	put_code(f, code);
	put_text(f, REGULAR, f->body, w->code_note);

	/* the QR code beside the first way to vote, under its heading */
	put_heading_then(f, w->how, f->l->p->has_qr && (channels & TV_CHANNEL_ONLINE) &&
	                                    c.vote_url[0] != '\0' ? f->l->p->qr_side + 4 : 0);
	if (!((channels & TV_CHANNEL_ONLINE) && c.vote_url[0] != '\0') &&
	    !((channels & TV_CHANNEL_PHONE) && c.vote_phone[0] != '\0') &&
	    !((channels & TV_CHANNEL_POSTAL) && c.address[0] != '\0') &&
	    !(channels & TV_CHANNEL_IN_PERSON))
		put_text(f, REGULAR, f->body, w->how_ask);
	if ((channels & TV_CHANNEL_ONLINE) && c.vote_url[0] != '\0') {
		if (f->l->p->has_qr)
			put_beside_qr(f, w->online_qr, c.vote_url, f->l->p->qr_side);
		else
			put_formatted(f, REGULAR, w->online, c.vote_url, NULL);
	}
	if ((channels & TV_CHANNEL_PHONE) && c.vote_phone[0] != '\0')
		put_formatted(f, REGULAR, w->phone, c.vote_phone, NULL);
	if ((channels & TV_CHANNEL_POSTAL) && c.address[0] != '\0')
		put_formatted(f, REGULAR, w->postal, c.address, NULL);
	if (channels & TV_CHANNEL_IN_PERSON)
		put_text(f, REGULAR, f->body, w->in_person);

	put_heading(f, w->check_title);
	if (c.board_url[0] != '\0') {
		snprintf(page, sizeof(page), "%s%s", c.board_url, w->check_page);
		put_check_code(f, w->check_text_board, check, page);
	} else {
		put_check_code(f, w->check_text, check, NULL);
	}

	if (contact && c.officer[0] != '\0') {
		char line[1100];

		put_heading(f, w->contact);
		put_text(f, REGULAR, f->body, c.officer);
		put_text(f, REGULAR, f->body, c.address);
		if (c.phone[0] != '\0') {
			snprintf(line, sizeof(line), "%s: %s", w->phone_label, c.phone);
			put_text(f, REGULAR, f->body, line);
		}
		if (c.email[0] != '\0') {
			snprintf(line, sizeof(line), "%s: %s", w->email_label, c.email);
			put_text(f, REGULAR, f->body, line);
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
static void put_offer_both(const flow *body)
{
	flow footer = *body, *f = &footer;
	tv_offer of;
	char start[24], line[2400];

	if (!tv_manifest_offer(f->l->p->m, &of))
		return;
	f->x = MARGIN;
	f->width = PAGE_W - 2 * MARGIN;
	f->top = f->y = PAGE_H - MARGIN + 2;
	/* never a page break: an address too long for the margin runs off the page,
	 * never onto the next tenant's letter */
	f->bottom = 1e9;
	f->body = 8;
	hash_start(start, of.sha256);
	snprintf(line, sizeof(line), "Y cynnig / The offer: %s%sSHA-256 %s\u2026", of.url,
	         of.url[0] != '\0' ? "   " : "", start);
	put_text(f, REGULAR, f->body, line);
	if (of.has_cy) {
		hash_start(start, of.sha256_cy);
		snprintf(line, sizeof(line), "Y cynnig yn Gymraeg / The offer in Welsh: %s%sSHA-256 %s\u2026",
		         of.url_cy, of.url_cy[0] != '\0' ? "   " : "", start);
		put_text(f, REGULAR, f->body, line);
	}
}

/* the officer's contact details once across the page, in Welsh and English */
static void put_contact_both(flow *f)
{
	tv_contact c = tv_manifest_contact(f->l->p->m);
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
	put_heading(f, line);
	snprintf(line, sizeof(line), "%s, %s", c.officer, c.address);
	put_text(f, REGULAR, f->body, line);
	line[0] = '\0';
	if (c.phone[0] != '\0')
		snprintf(line, sizeof(line), "%s / %s: %s", welsh.phone_label, english.phone_label,
		         c.phone);
	if (c.email[0] != '\0')
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s / %s: %s",
		         line[0] != '\0' ? "      " : "", welsh.email_label, english.email_label,
		         c.email);
	if (line[0] != '\0')
		put_text(f, REGULAR, f->body, line);
}

/* the head of the letter, once across the page: the tenant's name and
 * address on the left, where a window envelope shows them; the council and
 * that the letter is private (in @p first, and @p second if not NULL) on
 * the right */
static void put_head(flow *f, const tv_tenant *t, const words *first, const words *second)
{
	double half = (f->width - GUTTER) / 2;
	flow left = *f, right = *f;
	const char *a = t->address;

	left.width = right.width = half;
	right.x = f->x + half + GUTTER;
	put_text(&right, BOLD, f->body * 1.1, tv_manifest_council(f->l->p->m));
	put_gap(&right, f->body * 0.5);
	put_text(&right, BOLD, f->body * 0.9, first->private_note);
	if (second != NULL)
		put_text(&right, BOLD, f->body * 0.9, second->private_note);
	put_text(&left, REGULAR, f->body, t->name);
	/* the register joined its lines with ", " (SPEC §10.3): one a line again */
	while (*a != '\0') {
		const char *comma = strstr(a, ", ");
		size_t len = comma ? (size_t)(comma - a) : strlen(a);

		put_line(&left, REGULAR, f->body, a, len);
		a += len + (comma ? 2 : 0);
	}
	f->y = left.y > right.y ? left.y : right.y;
}

static void draw(cli_pdf_letters *p, const op *o)
{
	cairo_t *cr = p->cr;

	if (o->side > 0) {
		cli_qr_paint(cr, p->vote_qr, o->x, o->y, o->side);
		return;
	}
	if (o->box_w > 0) {
		cairo_rectangle(cr, o->x, o->y, o->box_w, o->box_h);
		cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_line_width(cr, 1.5);
		cairo_stroke(cr);
		return;
	}
	set_font(p, o->font, o->size);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, o->x, o->y);
	cairo_show_text(cr, o->text);
}

/* ------------------------------------------------------------ the file */

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	cli_pdf_letters *p = closure;

	if (fwrite(data, 1, len, p->sf.f) != len) {
		p->write_errno = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

int cli_pdf_letters_open(cli_pdf_letters **out, const char *path, const tv_manifest *m,
                         bool large)
{
	cli_pdf_letters *p = calloc(1, sizeof(*p));
	tv_contact c = tv_manifest_contact(m);
	/* as cli_pdf_letters_add lays them out: side by side in two columns */
	bool both = tv_manifest_title(m).cy[0] != '\0' &&
	            tv_manifest_letters(m) == TV_LETTERS_BILINGUAL;
	struct stat st;

	*out = NULL;
	if (p == NULL || (p->path = malloc(strlen(path) + 1)) == NULL) {
		free(p);
		cli_error("out of memory");
		return CLI_ERROR;
	}
	strcpy(p->path, path);
	p->m = m;
	p->large = large;
	/* refused before any code is made, and again when it is named at close */
	if (lstat(path, &st) == 0 || errno != ENOENT) {
		int e = errno, there = lstat(path, &st) == 0;

		cli_error("cannot make %s: %s", path,
		          there ? "it already exists (it may hold codes already made)" : cli_strerror(e));
		free(p->path);
		free(p);
		return there ? CLI_FAILED : CLI_ERROR;
	}
	/* owner-only from the first byte: it holds every tenant's code; a
	 * mailing house never finds half the letters under the name it waits for */
	if ((p->fd = cli_new_temp(p->tmp, sizeof(p->tmp), path, 0600)) < 0) {
		free(p->path);
		free(p);
		return CLI_ERROR;
	}
	if (cli_secret_fdopen(&p->sf, p->fd) != 0) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		cli_pdf_letters_abort(p);
		return CLI_ERROR;
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
	p->faces[REGULAR] = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
	                                               CAIRO_FONT_WEIGHT_NORMAL);
	p->faces[BOLD] = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
	                                            CAIRO_FONT_WEIGHT_BOLD);
	p->faces[MONO] = cairo_toy_font_face_create("DejaVu Sans Mono", CAIRO_FONT_SLANT_NORMAL,
	                                            CAIRO_FONT_WEIGHT_BOLD);
	p->surface = cairo_pdf_surface_create_for_stream(to_file, p, PAGE_W, PAGE_H);
	p->cr = cairo_create(p->surface);
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
		cli_error("cannot start the letters' PDF: %s", cairo_status_to_string(cairo_status(p->cr)));
		cli_pdf_letters_abort(p);
		return CLI_ERROR;
	}
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE,
	                               tv_manifest_title(m).en);
	*out = p;
	return CLI_OK;
}

int cli_pdf_letters_add(cli_pdf_letters *p, const tv_tenant *t, const char *code,
                        const char *check_code)
{
	layout l = { p, NULL, 0, 0, 0 };
	double body = p->large ? 16 : 10.5, top = MARGIN + body, bottom = PAGE_H - MARGIN;
	bool welsh_text = tv_manifest_title(p->m).cy[0] != '\0';
	bool both = welsh_text && tv_manifest_letters(p->m) == TV_LETTERS_BILINGUAL;
	const words *only = welsh_text && strcmp(t->language, "cy") == 0 ? &welsh : &english;
	int pages = 0, rc = 0;

	/*
	 * Side by side, the two columns share one page at 10 pt when they fit,
	 * else at 9.5 or 9 pt (a long question or landlord's name); every letter
	 * of an election is laid out alike (put_check_code), so all get the same
	 * size. Below 9 pt, a letter takes a second page rather than shrink.
	 */
	for (double col_body = 10;; col_body -= 0.5) {
		flow head = { &l, MARGIN, PAGE_W - 2 * MARGIN, top, bottom, top, 0, body };

		layout_clear(&l);
		put_head(&head, t, both ? &welsh : only, both ? &english : NULL);
		put_gap(&head, body * 0.6);
		if (both && !p->large) {
			/* Welsh on the left, as is usual in Wales; English on the right */
			double col = (PAGE_W - 2 * MARGIN - GUTTER) / 2;
			flow cy = { &l, MARGIN, col, top, bottom, head.y, head.page, col_body };
			flow en = { &l, MARGIN + col + GUTTER, col, top, bottom, head.y, head.page,
			            col_body };

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
	for (size_t i = 0; i < l.n; i++)
		if (l.ops[i].page + 1 > pages)
			pages = l.ops[i].page + 1;
	for (int page = 0; rc == 0 && page < pages; page++) {
		for (size_t i = 0; i < l.n; i++)
			if (l.ops[i].page == page)
				draw(p, &l.ops[i]);
		cairo_show_page(p->cr);
		if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
			errno = p->write_errno ? p->write_errno : EIO;
			rc = -1;
		}
	}
	layout_clear(&l);
	free(l.ops);
	return rc;
}

static void release(cli_pdf_letters *p)
{
	/* the letters are the process's only text: cairo's and fontconfig's
	 * caches go with them, so nothing is left for a leak checker to find */
	bool fonts = p->faces[REGULAR] != NULL;

	if (p->cr != NULL)
		cairo_destroy(p->cr);
	if (p->surface != NULL)
		cairo_surface_destroy(p->surface);
	if (p->vote_qr != NULL)
		cairo_surface_destroy(p->vote_qr);
	for (int i = 0; i < 3; i++)
		if (p->faces[i] != NULL)
			cairo_font_face_destroy(p->faces[i]);
	free(p->path);
	free(p);
	if (fonts) {
		cairo_debug_reset_static_data();
		FcFini();
	}
}

int cli_pdf_letters_close(cli_pdf_letters *p)
{
	int failed;

	cairo_destroy(p->cr);
	p->cr = NULL;
	cairo_surface_finish(p->surface);
	failed = cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(p->surface);
	p->surface = NULL;
	if (!failed && (fflush(p->sf.f) != 0 || fsync(p->fd) != 0))
		p->write_errno = errno, failed = 1;
	if (cli_secret_fclose(&p->sf) != 0 && !failed)
		p->write_errno = errno, failed = 1;
	if (failed) {
		cli_error("cannot write %s: %s", p->path,
		          cli_strerror(p->write_errno ? p->write_errno : EIO));
		unlink(p->tmp);
		release(p);
		return CLI_ERROR;
	}
	failed = cli_link_new(p->tmp, p->path);
	release(p);
	return failed;
}

void cli_pdf_letters_abort(cli_pdf_letters *p)
{
	if (p == NULL)
		return;
	if (p->cr != NULL)
		cairo_destroy(p->cr);
	p->cr = NULL;
	if (p->surface != NULL) {
		cairo_surface_finish(p->surface);
		cairo_surface_destroy(p->surface);
	}
	p->surface = NULL;
	if (p->sf.f != NULL)
		cli_secret_fclose(&p->sf);
	else if (p->fd >= 0)
		close(p->fd);
	unlink(p->tmp);
	release(p);
}
