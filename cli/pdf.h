/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A PDF for the mailing house (the letters, SPEC §11.9; the ballot papers,
 * §15.8), drawn with cairo in DejaVu, whose fonts carry every Welsh letter
 * (ŵ, ŷ, â ...): a new file, owner-only from its first byte, named only
 * when whole, written page by page; and the layout its documents share,
 * lines and pictures each placed on a page of one document (a letter, a
 * paper) before its pages are drawn, so a document can be measured before
 * it is drawn.
 */
#ifndef TV_CLI_PDF_H
#define TV_CLI_PDF_H

#include <cairo.h>

#include "cli.h"
#include "qr.h"

/* a line's height, in its type's size */
#define CLI_PDF_LEADING 1.3

/* A4 in points, and its margins */
#define CLI_PDF_PAGE_W 595.28
#define CLI_PDF_PAGE_H 841.89
#define CLI_PDF_MARGIN 40.0
#define CLI_PDF_GUTTER 20.0

enum { CLI_PDF_REGULAR, CLI_PDF_BOLD, CLI_PDF_MONO };

typedef struct cli_pdf {
	char *path;
	char tmp[4200]; /* written here, named path only when whole */
	int fd;
	cli_secret_file sf;  /* the PDF's bytes go through a buffer wiped at close */
	int write_errno;
	cairo_surface_t *surface;
	cairo_t *cr;
	cairo_font_face_t *faces[3]; /* REGULAR, BOLD, MONO: looked up once */
} cli_pdf;

/* make the new file @p path (0600, refused if it exists) for a PDF titled
 * @p title; @p what names it in a message ("the letters' PDF"). A CLI_*
 * code, the message printed; on failure nothing is left to release. */
int cli_pdf_open(cli_pdf *d, const char *path, const char *title, const char *what);
/* finish the file, make it durable and name it @p d->path (the temporary
 * file removed when it fails); a CLI_* code, the message printed */
int cli_pdf_finish(cli_pdf *d);
/* after a failure: the file removed */
void cli_pdf_discard(cli_pdf *d);
/* what cli_pdf_open took, once the file is finished or discarded, and
 * once the owner has destroyed its own cairo objects: cairo's and
 * fontconfig's caches go with it */
void cli_pdf_release(cli_pdf *d);

/* ------------------------------------------------------------ the layout */

/* what a frame of an operation is */
enum {
	CLI_PDF_SHADED,  /* a shaded box with a black border (a letter's code) */
	CLI_PDF_OUTLINE, /* an empty box with a black border (where to write or mark) */
	CLI_PDF_RULE,    /* a thin line of length box_w (between a table's rows) */
	CLI_PDF_CUT,     /* a dashed line of length box_w (where to cut) */
};

typedef struct cli_pdf_op {
	int page;
	double x, y, size, side; /* side > 0: a QR code, a square of that side */
	double box_w, box_h;     /* box_w > 0: a frame of that size */
	int frame;               /* CLI_PDF_SHADED, ... */
	int font;
	char *text;
	cairo_surface_t *image;  /* the QR code painted (one image for many), borrowed */
	const cli_qr *qr;        /* else the QR code drawn, as squares; borrowed */
} cli_pdf_op;

typedef struct cli_pdf_layout {
	cli_pdf *pdf;
	void *doc;       /* the document laid out (the letters), for its own parts */
	cli_pdf_op *ops;
	size_t n, cap;
	int failed;
} cli_pdf_layout;

/* one column of a document, flowing down its pages */
typedef struct cli_pdf_flow {
	cli_pdf_layout *l;
	double x, width, top, bottom, y;
	int page;
	double body; /* the body text's size */
} cli_pdf_flow;

/* no operations, their texts wiped (a letter's code is among them) */
void cli_pdf_layout_clear(cli_pdf_layout *l);
/* a new operation, zeroed, or NULL (@p l failed) */
cli_pdf_op *cli_pdf_add_op(cli_pdf_layout *l);
void cli_pdf_set_font(cli_pdf *d, int font, double size);
/* the advance of @p len bytes of @p s in the current font */
double cli_pdf_text_width(cairo_t *cr, const char *s, size_t len);
/* one line of @p len bytes of @p s, not wrapped */
void cli_pdf_put_line(cli_pdf_flow *f, int font, double size, const char *s, size_t len);
/* @p text wrapped at spaces into the column's width */
void cli_pdf_put_text(cli_pdf_flow *f, int font, double size, const char *text);
/* a gap of @p height, none at the foot of a page */
void cli_pdf_put_gap(cli_pdf_flow *f, double height);
/* a new page for what needs @p height, unless it fits on this one */
void cli_pdf_keep(cli_pdf_flow *f, double height);
/* a heading kept on the page of what follows it: @p then high, or two lines */
void cli_pdf_put_heading_then(cli_pdf_flow *f, const char *text, double then);
void cli_pdf_put_heading(cli_pdf_flow *f, const char *text);
/* @p fmt with its first "%s" replaced by @p a and its second by @p b */
void cli_pdf_put_formatted(cli_pdf_flow *f, int font, const char *fmt, const char *a,
                           const char *b);
/* draw every page of @p l, in order; 0, or -1 (errno set) */
int cli_pdf_draw_pages(cli_pdf_layout *l);

#endif
