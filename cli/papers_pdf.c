/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ballot papers as one PDF (cli/papers_pdf.h, SPEC §15.8), laid out
 * and drawn as the letters are (cli/pdf.c).
 *
 * Every paper of an election is laid out on one form, chosen when the
 * file is opened: the question, the answers in a table of rows all of one
 * height (a box to mark, and the answer's short code beside it) and, at
 * the foot of the last page, the stub the tenant cuts off and keeps. The
 * identifiers and codes are set in a monospace face, so no paper's codes
 * move a line: every paper takes as many pages as every other. A paper
 * that needs more than one page (large print, many answers) goes on over
 * pages, its table never starting at a page's foot, and every page starts
 * with the identifier and its QR code, so the sheet that comes back with
 * the mark names its paper, for a clerk or a scanning station (§15.8.4).
 *
 * The identifier is as secret as a voting code until the paper is cast
 * (§15.8.1): the texts that held it are wiped, and its QR code is drawn
 * as squares, not kept as an image.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <openssl/crypto.h>

#include "cli.h"
#include "papers_pdf.h"
#include "pdf.h"
#include "qr.h"

#define WIDTH (CLI_PDF_PAGE_W - 2 * CLI_PDF_MARGIN)
/* a paper longer than this is a manifest no tenant could read */
#define MAX_PAGES 32

/* the sizes and places that every paper of an election shares */
typedef struct form {
	bool split;      /* a paper may take more than one page */
	double body, small, title, id, code, pad, gap;
	double box, write_w, write_h, qr_side;
	double label_w, box_col, code_col, row_h, head_h, table_top_h;
	double band_h, top, stub_top;
} form;

struct cli_pdf_papers {
	cli_pdf pdf;
	const tv_manifest *m;
	bool large;
	bool welsh;        /* the manifest has Welsh: every text in both languages */
	uint32_t answers;  /* k: the options, then blank when it is allowed */
	int qr_modules;    /* an identifier's QR code, quiet zone included */
	form form;
	int pages;         /* every paper's */
	int last;          /* the page its stub was laid out for (lay_out) */
};

/* ------------------------------------------------------------ the words */

typedef struct words {
	const char *ballot_paper, *identifier, *page, *answer, *your_mark, *code, *blank;
	const char *mark, *phone, *phone_ring, *cut, *write_code, *board, *board_at, *check_page;
} words;

static const words english = {
	"Ballot paper",
	"Paper identifier",
	"Page",
	"Answer",
	"Your cross",
	"Code",
	"Blank ballot paper",
	"Mark one answer with a cross.",
	"To vote by phone, key in the paper identifier and the code beside your choice.",
	"To vote by phone, ring %s and key in the paper identifier and the code beside your "
	"choice.",
	"Cut here and keep this part",
	"Write here the code beside your mark",
	"You can find this code on the ballot's bulletin board by typing the paper identifier.",
	"You can find this code on the bulletin board at %s by typing the paper identifier.",
	"paper.html", /* the board's page for a paper (cli/site.c) */
};

static const words welsh = {
	"Papur pleidleisio",
	"Cod adnabod y papur",
	"Tudalen",
	"Ateb",
	"Eich croes",
	"Cod",
	/* as the declaration's results name a blank paper (lib/tally/eml.c) */
	"Papur pleidleisio gwag",
	"Rhowch groes wrth un ateb yn unig.",
	"I bleidleisio dros y ffôn, teipiwch god adnabod y papur a'r cod wrth ymyl eich dewis.",
	"I bleidleisio dros y ffôn, ffoniwch %s a theipiwch god adnabod y papur a'r cod wrth "
	"ymyl eich dewis.",
	"Torrwch yma a chadwch y rhan hon",
	"Ysgrifennwch yma'r cod wrth ymyl eich marc",
	"Gallwch ddod o hyd i'r cod hwn ar fwrdd bwletin y bleidlais drwy deipio cod adnabod y "
	"papur.",
	"Gallwch ddod o hyd i'r cod hwn ar y bwrdd bwletin yn %s drwy deipio cod adnabod y "
	"papur.",
	"paper.cy.html",
};

/* a manifest text's Welsh, or its English when it has none */
static const char *cy_of(tv_text t)
{
	return t.cy != NULL && t.cy[0] != '\0' ? t.cy : t.en;
}

/* "Cymraeg / English", or the English alone without Welsh */
static void both(const cli_pdf_papers *p, char *out, size_t size, const char *cy,
                 const char *en)
{
	if (p->welsh)
		snprintf(out, size, "%s / %s", cy, en);
	else
		snprintf(out, size, "%s", en);
}

/* answer @p a's label: option a's, or the blank paper's for 0 */
static tv_text label_of(const cli_pdf_papers *p, uint32_t a)
{
	tv_text blank = { english.blank, welsh.blank };

	return a == 0 ? blank : tv_manifest_option(p->m, a);
}

/* ------------------------------------------------------------ the layout */

static void add_text(cli_pdf_layout *l, int page, double x, double baseline, int font,
                     double size, const char *text)
{
	cli_pdf_op *o = cli_pdf_add_op(l);
	size_t len = strlen(text);

	if (o == NULL)
		return;
	o->page = page;
	o->x = x;
	o->y = baseline;
	o->font = font;
	o->size = size;
	if ((o->text = malloc(len + 1)) == NULL) {
		l->failed = 1;
		return;
	}
	memcpy(o->text, text, len + 1);
}

static void add_frame(cli_pdf_layout *l, int page, int frame, double x, double y, double w,
                      double h)
{
	cli_pdf_op *o = cli_pdf_add_op(l);

	if (o == NULL)
		return;
	o->page = page;
	o->frame = frame;
	o->x = x;
	o->y = y;
	o->box_w = w;
	o->box_h = h;
}

static double width_of(cli_pdf_papers *p, int font, double size, const char *s)
{
	cli_pdf_set_font(&p->pdf, font, size);
	return cli_pdf_text_width(p->pdf.cr, s, strlen(s));
}

/* the height of @p text wrapped into @p width */
static double height_of(cli_pdf_papers *p, double width, int font, double size,
                        const char *text)
{
	cli_pdf_layout scratch = { &p->pdf, p, NULL, 0, 0, 0 };
	cli_pdf_flow f = { &scratch, 0, width, 0, 1e9, 0, 0, size };

	cli_pdf_put_text(&f, font, size, text);
	cli_pdf_layout_clear(&scratch);
	free(scratch.ops);
	return f.y;
}

/* @p cy and @p en side by side, Welsh on the left as in the letters; one
 * above the other in large print; the English alone without Welsh. Never
 * cut by a page break, unless longer than a page. */
static void put_both(cli_pdf_papers *p, cli_pdf_flow *f, int font, double size, const char *cy,
                     const char *en)
{
	double col = (f->width - CLI_PDF_GUTTER) / 2, h;
	cli_pdf_flow left, right;

	if (!p->welsh)
		h = height_of(p, f->width, font, size, en);
	else if (p->large)
		h = height_of(p, f->width, font, size, cy) + size * 0.3 +
		    height_of(p, f->width, font, size, en);
	else if ((h = height_of(p, col, font, size, cy)) < height_of(p, col, font, size, en))
		h = height_of(p, col, font, size, en);
	if (h <= f->bottom - f->top)
		cli_pdf_keep(f, h);
	left = right = *f;
	if (!p->welsh) {
		cli_pdf_put_text(f, font, size, en);
		return;
	}
	if (p->large) {
		cli_pdf_put_text(f, font, size, cy);
		cli_pdf_put_gap(f, size * 0.3);
		cli_pdf_put_text(f, font, size, en);
		return;
	}
	left.width = right.width = col;
	right.x = f->x + col + CLI_PDF_GUTTER;
	cli_pdf_put_text(&left, font, size, cy);
	cli_pdf_put_text(&right, font, size, en);
	/* below the longer column */
	f->page = left.page > right.page ? left.page : right.page;
	f->y = left.page == right.page ? (left.y > right.y ? left.y : right.y)
	                               : left.page > right.page ? left.y : right.y;
}

/* @p cy, then @p en, one above the other (the English alone without Welsh) */
static void put_stacked(cli_pdf_papers *p, cli_pdf_flow *f, int font, double size,
                        const char *cy, const char *en)
{
	if (p->welsh)
		cli_pdf_put_text(f, font, size, cy);
	cli_pdf_put_text(f, font, size, en);
}

/* @p fmt (a word table's) with its one "%s" replaced by @p arg */
static void fill(char *out, size_t size, const char *fmt, const char *arg)
{
	const char *at = strstr(fmt, "%s");

	snprintf(out, size, "%.*s%s%s", (int)(at - fmt), fmt, arg, at + 2);
}

/* how to vote by phone, when the manifest allows it */
static void put_phone(cli_pdf_papers *p, cli_pdf_flow *f)
{
	tv_contact c = tv_manifest_contact(p->m);
	char cy[600], en[600], number[400];
	size_t n = 0;

	if (!(tv_manifest_channels(p->m) & TV_CHANNEL_PHONE))
		return;
	cli_pdf_put_gap(f, f->body * 0.6);
	if (c.vote_phone[0] == '\0') {
		put_both(p, f, CLI_PDF_REGULAR, f->body, welsh.phone, english.phone);
		return;
	}
	/* the number on one line: its spaces no-break spaces */
	for (const char *s = c.vote_phone; *s != '\0' && n + 3 < sizeof(number); s++)
		if (*s == ' ') {
			memcpy(number + n, "\u00a0", 2);
			n += 2;
		} else {
			number[n++] = *s;
		}
	number[n] = '\0';
	fill(cy, sizeof(cy), welsh.phone_ring, number);
	fill(en, sizeof(en), english.phone_ring, number);
	put_both(p, f, CLI_PDF_REGULAR, f->body, cy, en);
}

/* above the table, and again on each page it goes on to: how to mark,
 * and the headings over the columns */
static void put_table_top(cli_pdf_papers *p, cli_pdf_flow *f, const form *g)
{
	double x_box = f->x + g->label_w, x_code = x_box + g->box_col, y;
	int n = p->welsh ? 2 : 1;

	put_both(p, f, CLI_PDF_BOLD, g->body, welsh.mark, english.mark);
	cli_pdf_put_gap(f, g->gap);
	y = f->y + g->small;
	for (int i = 0; i < n; i++) {
		const words *w = i == 0 && p->welsh ? &welsh : &english;
		double wb = width_of(p, CLI_PDF_BOLD, g->small, w->your_mark);

		add_text(f->l, f->page, f->x + g->pad, y, CLI_PDF_BOLD, g->small, w->answer);
		add_text(f->l, f->page, x_box + (g->box_col - wb) / 2, y, CLI_PDF_BOLD, g->small,
		         w->your_mark);
		add_text(f->l, f->page, x_code + g->pad, y, CLI_PDF_BOLD, g->small, w->code);
		y += g->small * CLI_PDF_LEADING;
	}
	f->y += g->head_h;
}

/* the height of answer @p a's label in the table */
static double label_height(cli_pdf_papers *p, const form *g, uint32_t a)
{
	tv_text t = label_of(p, a);
	double w = g->label_w - 2 * g->pad;

	return height_of(p, w, CLI_PDF_REGULAR, g->body, t.en) +
	       (p->welsh ? height_of(p, w, CLI_PDF_REGULAR, g->body, cy_of(t)) : 0);
}

/* one row of the table: answer @p a's label, a box to mark, its code */
static void put_row(cli_pdf_papers *p, cli_pdf_flow *f, const form *g, uint32_t a,
                    const char *code)
{
	tv_text t = label_of(p, a);
	double text_w = g->label_w - 2 * g->pad, y0 = f->y, h = label_height(p, g, a);
	cli_pdf_flow label = { f->l, f->x + g->pad, text_w, 0, 1e9, y0 + (g->row_h - h) / 2,
	                       f->page, g->body };

	add_frame(f->l, f->page, CLI_PDF_RULE, f->x, y0, WIDTH, 0);
	put_stacked(p, &label, CLI_PDF_REGULAR, g->body, cy_of(t), t.en);
	add_frame(f->l, f->page, CLI_PDF_OUTLINE, f->x + g->label_w + (g->box_col - g->box) / 2,
	          y0 + (g->row_h - g->box) / 2, g->box, g->box);
	add_text(f->l, f->page, f->x + g->label_w + g->box_col + g->pad,
	         y0 + g->row_h / 2 + g->code * 0.36, CLI_PDF_MONO, g->code, code);
	f->y = y0 + g->row_h;
}

/*
 * The stub, from @p top down, on @p page: a dashed line to cut along, the
 * identifier, a box for the code beside the mark, and where to find that
 * code. The end of the stub, or with @p top 0, its height.
 */
static double put_stub(cli_pdf_papers *p, cli_pdf_layout *l, const form *g, int page,
                       double top, const char *id)
{
	tv_contact c = tv_manifest_contact(p->m);
	char line[600], url[TV_CONTACT_URL_MAX + 32];
	double y = top, w, lw, iw, h;
	cli_pdf_flow f;

	/* a dashed line across the page, ✂ and what to do centred in it, or
	 * under it when they leave the line too short to see (large print) */
	snprintf(line, sizeof(line), "\u2702 ");
	both(p, line + strlen(line), sizeof(line) - strlen(line), welsh.cut, english.cut);
	w = width_of(p, CLI_PDF_REGULAR, g->small, line);
	if (w > WIDTH * 0.7) {
		add_frame(l, page, CLI_PDF_CUT, CLI_PDF_MARGIN / 2, y, WIDTH + CLI_PDF_MARGIN, 0);
		y += g->small * 0.4;
	} else {
		add_frame(l, page, CLI_PDF_CUT, CLI_PDF_MARGIN / 2, y + g->small * 0.62,
		          CLI_PDF_MARGIN / 2 + (WIDTH - w) / 2 - 6, 0);
		add_frame(l, page, CLI_PDF_CUT, CLI_PDF_MARGIN + (WIDTH + w) / 2 + 6,
		          y + g->small * 0.62, CLI_PDF_MARGIN / 2 + (WIDTH - w) / 2 - 6, 0);
	}
	add_text(l, page, CLI_PDF_MARGIN + (WIDTH - w) / 2, y + g->small, CLI_PDF_REGULAR, g->small,
	         line);
	y += g->small * CLI_PDF_LEADING + g->gap;

	/* the identifier, beside its name when both fit on a line */
	both(p, line, sizeof(line), welsh.identifier, english.identifier);
	strcat(line, ":");
	lw = width_of(p, CLI_PDF_REGULAR, g->body, line);
	iw = width_of(p, CLI_PDF_MONO, g->id, id);
	if (lw + g->body + iw > WIDTH) {
		y += g->body * CLI_PDF_LEADING;
		add_text(l, page, CLI_PDF_MARGIN, y - g->body * 0.3, CLI_PDF_REGULAR, g->body,
		         line);
		add_text(l, page, CLI_PDF_MARGIN, y + g->id, CLI_PDF_MONO, g->id, id);
	} else {
		add_text(l, page, CLI_PDF_MARGIN, y + g->id, CLI_PDF_REGULAR, g->body, line);
		add_text(l, page, CLI_PDF_MARGIN + lw + g->body, y + g->id, CLI_PDF_MONO, g->id,
		         id);
	}
	y += g->id * CLI_PDF_LEADING + g->gap;

	/* the box to write the code in, to the right of what to write */
	w = WIDTH - g->write_w - g->body;
	h = height_of(p, w, CLI_PDF_BOLD, g->body, english.write_code) +
	    (p->welsh ? height_of(p, w, CLI_PDF_BOLD, g->body, welsh.write_code) : 0);
	f = (cli_pdf_flow){ l, CLI_PDF_MARGIN, w, 0, 1e9, y, page, g->body };
	if (h < g->write_h)
		f.y += (g->write_h - h) / 2;
	put_stacked(p, &f, CLI_PDF_BOLD, g->body, welsh.write_code, english.write_code);
	add_frame(l, page, CLI_PDF_OUTLINE, CLI_PDF_MARGIN + WIDTH - g->write_w,
	          y + (h > g->write_h ? (h - g->write_h) / 2 : 0), g->write_w, g->write_h);
	y += (h > g->write_h ? h : g->write_h) + g->gap;

	/* where the tenant finds it (SPEC §15.8.5), in each language's page */
	f = (cli_pdf_flow){ l, CLI_PDF_MARGIN, WIDTH, 0, 1e9, y, page, g->small };
	if (c.board_url[0] != '\0') {
		if (p->welsh) {
			snprintf(url, sizeof(url), "%s%s", c.board_url, welsh.check_page);
			cli_pdf_put_formatted(&f, CLI_PDF_REGULAR, welsh.board_at, url, NULL);
		}
		snprintf(url, sizeof(url), "%s%s", c.board_url, english.check_page);
		cli_pdf_put_formatted(&f, CLI_PDF_REGULAR, english.board_at, url, NULL);
	} else {
		put_stacked(p, &f, CLI_PDF_REGULAR, g->small, welsh.board, english.board);
	}
	OPENSSL_cleanse(line, sizeof(line));
	return f.y;
}

/* the head of every page: what it is, the identifier and its QR code */
static void put_band(cli_pdf_papers *p, cli_pdf_layout *l, const form *g, int page, int pages,
                     const char *id, const cli_qr *qr)
{
	cli_pdf_flow f = { l, CLI_PDF_MARGIN, WIDTH - g->qr_side - g->gap, 0, 1e9, CLI_PDF_MARGIN,
	                   page, g->body };
	char line[300];
	cli_pdf_op *o;

	both(p, line, sizeof(line), welsh.ballot_paper, english.ballot_paper);
	cli_pdf_put_text(&f, CLI_PDF_BOLD, g->body * 1.2, line);
	both(p, line, sizeof(line), welsh.identifier, english.identifier);
	cli_pdf_put_text(&f, CLI_PDF_REGULAR, g->small, line);
	cli_pdf_put_line(&f, CLI_PDF_MONO, g->id, id, strlen(id));
	if (pages > 1) {
		if (p->welsh)
			snprintf(line, sizeof(line), "%s %d o %d / %s %d of %d", welsh.page,
			         page + 1, pages, english.page, page + 1, pages);
		else
			snprintf(line, sizeof(line), "%s %d of %d", english.page, page + 1, pages);
		cli_pdf_put_text(&f, CLI_PDF_REGULAR, g->small, line);
	}
	if ((o = cli_pdf_add_op(l)) == NULL)
		return;
	o->page = page;
	o->x = CLI_PDF_MARGIN + WIDTH - g->qr_side;
	o->y = CLI_PDF_MARGIN;
	o->side = g->qr_side;
	o->qr = qr;
}

/*
 * Where the text ends on @p page of a paper whose stub is on page @p last:
 * above the stub's place on every page of the stub's sheet (its back or
 * front when printed on both sides), which loses its foot when the stub
 * is cut off; at the margin on the others.
 */
static double page_bottom(const form *g, int page, int last)
{
	return page / 2 == last / 2 ? g->stub_top - g->gap : CLI_PDF_PAGE_H - CLI_PDF_MARGIN;
}

/*
 * One paper on the form @p g with its stub on page @p last (counted from
 * 0; after the table, on a page of its own when the table ends a sheet
 * before): its number of pages, last + 1, or 0 when it does not fit by
 * then, or a row does not fit on a page.
 */
static int lay_out(cli_pdf_papers *p, cli_pdf_layout *l, const form *g,
                   const tv_paper_print *paper, const cli_qr *qr, int last)
{
	cli_pdf_flow f = { l, CLI_PDF_MARGIN, WIDTH, g->top, page_bottom(g, 0, last), g->top, 0,
	                   g->body };
	tv_text title = tv_manifest_title(p->m), question = tv_manifest_question(p->m);
	double table_h = g->table_top_h + paper->answers * g->row_h;
	int pages;

	put_both(p, &f, CLI_PDF_BOLD, g->title, cy_of(title), title.en);
	cli_pdf_put_gap(&f, g->gap);
	f.bottom = page_bottom(g, f.page, last);
	put_both(p, &f, CLI_PDF_BOLD, g->body, cy_of(question), question.en);
	/* before the table: after it, it would take a page of its own more often */
	f.bottom = page_bottom(g, f.page, last);
	put_phone(p, &f);
	cli_pdf_put_gap(&f, g->gap);
	/* the table on one page when a page holds it, every answer seen at
	 * once; else its top never ends a page */
	f.bottom = page_bottom(g, f.page, last);
	cli_pdf_keep(&f, table_h <= g->stub_top - g->gap - g->top ? table_h
	                                                          : g->table_top_h + g->row_h);
	f.bottom = page_bottom(g, f.page, last);
	put_table_top(p, &f, g);
	for (uint32_t i = 0; i < paper->answers; i++) {
		if (f.y + g->row_h > f.bottom) {
			add_frame(l, f.page, CLI_PDF_RULE, f.x, f.y, WIDTH, 0);
			if (!g->split || f.y <= g->top + g->table_top_h)
				return 0;
			f.page++;
			f.y = g->top;
			f.bottom = page_bottom(g, f.page, last);
			put_table_top(p, &f, g);
		}
		put_row(p, &f, g, paper->answer[i], paper->code[i]);
	}
	add_frame(l, f.page, CLI_PDF_RULE, f.x, f.y, WIDTH, 0);
	if (f.page > last)
		return 0;
	/* nothing in the foot of the stub's sheet (a flow that went on to
	 * another page kept the foot of the page it started on) */
	for (size_t i = 0; i < l->n; i++)
		if (l->ops[i].page / 2 == last / 2 && l->ops[i].y > g->stub_top - g->gap)
			return 0;
	pages = last + 1;
	put_stub(p, l, g, last, g->stub_top, paper->id);
	for (int page = 0; page < pages; page++)
		put_band(p, l, g, page, pages, paper->id, qr);
	return pages;
}

/* the form at body size @p body: the sizes, the table's columns and rows,
 * where the stub starts */
static void form_init(cli_pdf_papers *p, form *g, double body, bool split)
{
	/* a monospace face: any code, any identifier is as wide */
	const char *sample_code = "WWWW", *sample_id = "WWWW-WWWW-WWWW-WWWW-WWWW";
	cli_pdf_layout scratch = { &p->pdf, p, NULL, 0, 0, 0 };
	double band = 0;

	memset(g, 0, sizeof(*g));
	g->split = split;
	g->body = body;
	/* large print: nothing under 16 pt */
	g->small = p->large ? body : body * 0.85;
	g->title = body * 1.3;
	g->id = p->large ? 20 : 14;
	g->code = p->large ? 24 : 16;
	g->pad = body * 0.5;
	g->gap = body * 0.6;
	g->box = p->large ? 34 : 24;
	g->write_w = p->large ? 150 : 110;
	g->write_h = p->large ? 44 : 32;
	/* 2 pt (0.7 mm) a module, 3 in large print, as the letters' */
	g->qr_side = (p->large ? 3.0 : 2.0) * p->qr_modules;

	g->box_col = g->box;
	g->code_col = width_of(p, CLI_PDF_MONO, g->code, sample_code);
	for (int i = 0; i < 2; i++) {
		const words *w = i == 0 ? &welsh : &english;
		double wb = width_of(p, CLI_PDF_BOLD, g->small, w->your_mark);
		double wc = width_of(p, CLI_PDF_BOLD, g->small, w->code);

		if (i == 0 && !p->welsh)
			continue;
		g->box_col = wb > g->box_col ? wb : g->box_col;
		g->code_col = wc > g->code_col ? wc : g->code_col;
	}
	g->box_col += 2 * g->pad;
	g->code_col += 2 * g->pad;
	g->label_w = WIDTH - g->box_col - g->code_col;
	g->head_h = (p->welsh ? 2 : 1) * g->small * CLI_PDF_LEADING + g->pad * 0.5;
	{
		cli_pdf_flow f = { &scratch, CLI_PDF_MARGIN, WIDTH, 0, 1e9, 0, 0, body };

		put_table_top(p, &f, g);
		g->table_top_h = f.y;
		cli_pdf_layout_clear(&scratch);
	}
	/* every row as high as the highest: the rows' order moves no page break */
	g->row_h = g->box;
	for (uint32_t i = 0; i < p->answers; i++) {
		double h = label_height(p, g, i + 1 <= tv_manifest_option_count(p->m) ? i + 1 : 0);

		g->row_h = h > g->row_h ? h : g->row_h;
	}
	/* room to mark without touching the next answer */
	g->row_h += 2 * body * 0.8;

	/* the head of a page, with its "Page 1 of 2" when a paper may have pages */
	put_band(p, &scratch, g, 0, split ? 2 : 1, sample_id, NULL);
	for (size_t i = 0; i < scratch.n; i++)
		if (scratch.ops[i].side == 0 && scratch.ops[i].y - CLI_PDF_MARGIN > band)
			band = scratch.ops[i].y - CLI_PDF_MARGIN;
	cli_pdf_layout_clear(&scratch);
	band += g->small * 0.3; /* below the last line's baseline */
	g->band_h = band > g->qr_side ? band : g->qr_side;
	g->top = CLI_PDF_MARGIN + g->band_h + g->gap;
	g->stub_top = CLI_PDF_PAGE_H - CLI_PDF_MARGIN -
	              put_stub(p, &scratch, g, 0, 0, sample_id);
	cli_pdf_layout_clear(&scratch);
	free(scratch.ops);
}

/* @p paper is one of this election's: its answers the manifest's, each
 * once; its identifier and codes of the printed form, as wide as any */
static bool paper_ok(const cli_pdf_papers *p, const tv_paper_print *paper)
{
	uint32_t m = (uint32_t)tv_manifest_option_count(p->m);
	uint64_t seen = 0;

	if (paper->answers != p->answers || strnlen(paper->id, sizeof(paper->id)) !=
	                                            TV_PAPER_ID_TEXT_LEN)
		return false;
	for (size_t i = 0; i < TV_PAPER_ID_TEXT_LEN; i++)
		if (i % 5 == 4 ? paper->id[i] != '-'
		               : strchr(cli_code_alphabet, paper->id[i]) == NULL)
			return false;
	for (uint32_t i = 0; i < paper->answers; i++) {
		uint32_t a = paper->answer[i];

		if (a > m || (a == 0 && !tv_manifest_allow_blank(p->m)) || (seen >> a & 1) ||
		    strnlen(paper->code[i], TV_PAPER_CODE_LEN + 1) != TV_PAPER_CODE_LEN)
			return false;
		seen |= (uint64_t)1 << a;
		for (size_t j = 0; j < TV_PAPER_CODE_LEN; j++)
			if (strchr(cli_code_alphabet, paper->code[i][j]) == NULL)
				return false;
	}
	return true;
}

/* ------------------------------------------------------------ the file */

int cli_pdf_papers_open(cli_pdf_papers **out, const char *path, const tv_manifest *m,
                        bool large)
{
	static const double normal_sizes[] = { 10.5, 10, 9.5, 9 }, large_sizes[] = { 16 };
	const double *sizes = large ? large_sizes : normal_sizes;
	size_t n_sizes = large ? 1 : sizeof(normal_sizes) / sizeof(normal_sizes[0]);
	cli_pdf_papers *p = calloc(1, sizeof(*p));
	tv_paper_print probe;
	cli_pdf_layout l;
	cli_qr q;
	cairo_surface_t *image;
	int rc;

	*out = NULL;
	if (p == NULL) {
		cli_error("out of memory");
		return CLI_ERROR;
	}
	p->m = m;
	p->large = large;
	p->welsh = tv_manifest_title(m).cy != NULL && tv_manifest_title(m).cy[0] != '\0';
	p->answers = (uint32_t)tv_manifest_option_count(m) + (tv_manifest_allow_blank(m) ? 1 : 0);
	/* owner-only from the first byte: it holds every paper's identifier */
	rc = cli_pdf_open(&p->pdf, path, tv_manifest_title(m).en, "the ballot papers' PDF");
	if (rc != CLI_OK) {
		free(p);
		return rc;
	}

	/* a paper like every other: the answers in order, codes of the form */
	memset(&probe, 0, sizeof(probe));
	snprintf(probe.id, sizeof(probe.id), "0000-0000-0000-0000-0000");
	probe.answers = p->answers;
	for (uint32_t i = 0; i < p->answers; i++) {
		probe.answer[i] = i + 1 <= tv_manifest_option_count(m) ? i + 1 : 0;
		snprintf(probe.code[i], sizeof(probe.code[i]), "0000");
	}
	if (cli_qr_make(&q, probe.id) != 0 || (image = cli_qr_image(&q)) == NULL) {
		cli_error("cannot make a QR code: %s", cli_strerror(errno ? errno : ENOMEM));
		cli_qr_free(&q);
		cli_pdf_papers_abort(p);
		return CLI_ERROR;
	}
	/* every identifier's QR code is of one size: 24 bytes, one version */
	p->qr_modules = cairo_image_surface_get_width(image);
	cairo_surface_destroy(image);

	/*
	 * One page when the paper fits it, at 10.5 pt, else 10, 9.5 or 9 pt,
	 * as the letters shrink; else as many pages as it needs at 10.5 pt.
	 * Large print stays at 16 pt, on one page or more.
	 */
	l = (cli_pdf_layout){ &p->pdf, p, NULL, 0, 0, 0 };
	for (size_t i = 0; i < n_sizes && p->pages == 0 && !l.failed; i++) {
		form_init(p, &p->form, sizes[i], false);
		p->pages = lay_out(p, &l, &p->form, &probe, &q, 0);
		cli_pdf_layout_clear(&l);
	}
	/* over pages: the stub on the first page that leaves room for it (the
	 * more pages before the stub's sheet, the more they hold) */
	if (p->pages == 0)
		form_init(p, &p->form, sizes[0], true);
	for (p->last = 1; p->pages == 0 && p->last < MAX_PAGES && !l.failed; p->last++) {
		p->pages = lay_out(p, &l, &p->form, &probe, &q, p->last);
		cli_pdf_layout_clear(&l);
	}
	p->last--;
	free(l.ops);
	cli_qr_free(&q);
	if (l.failed || p->pages == 0) {
		if (l.failed)
			cli_error("out of memory laying out the ballot papers");
		else
			cli_error("cannot lay out the ballot papers: an answer does not fit on a "
			          "page, or a paper would take more than %d pages", MAX_PAGES);
		cli_pdf_papers_abort(p);
		return l.failed ? CLI_ERROR : CLI_FAILED;
	}
	*out = p;
	return CLI_OK;
}

int cli_pdf_papers_add(cli_pdf_papers *p, const tv_paper_print *paper)
{
	cli_pdf_layout l = { &p->pdf, p, NULL, 0, 0, 0 };
	cli_qr q;
	int pages, rc = 0;

	if (!paper_ok(p, paper)) {
		errno = EINVAL;
		return -1;
	}
	if (cli_qr_make(&q, paper->id) != 0)
		return -1;
	pages = lay_out(p, &l, &p->form, paper, &q, p->last);
	if (l.failed) {
		errno = ENOMEM;
		rc = -1;
	} else if (pages != p->pages) {
		/* cannot be: every paper is laid out alike (form_init) */
		errno = EINVAL;
		rc = -1;
	} else {
		rc = cli_pdf_draw_pages(&l);
	}
	cli_pdf_layout_clear(&l);
	free(l.ops);
	OPENSSL_cleanse(q.dark, (size_t)q.width * (size_t)q.width);
	cli_qr_free(&q);
	return rc;
}

int cli_pdf_papers_close(cli_pdf_papers *p)
{
	int rc = cli_pdf_finish(&p->pdf);

	cli_pdf_release(&p->pdf);
	free(p);
	return rc;
}

void cli_pdf_papers_abort(cli_pdf_papers *p)
{
	if (p == NULL)
		return;
	cli_pdf_discard(&p->pdf);
	cli_pdf_release(&p->pdf);
	free(p);
}
