/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A PDF for the mailing house (cli/pdf.h): the file, and the layout its
 * documents share. Moved from the letters (cli/letters.c), which were the
 * first such PDF.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <openssl/crypto.h>

#include "cli.h"
#include "pdf.h"
#include "qr.h"

/* ------------------------------------------------------------ the layout */

/* no operations, their texts wiped (a letter's code is among them) */
void cli_pdf_layout_clear(cli_pdf_layout *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ops[i].text != NULL) {
			OPENSSL_cleanse(l->ops[i].text, strlen(l->ops[i].text));
			free(l->ops[i].text);
		}
	l->n = 0;
}

cli_pdf_op *cli_pdf_add_op(cli_pdf_layout *l)
{
	if (l->failed)
		return NULL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		cli_pdf_op *grown = realloc(l->ops, cap * sizeof(*grown));

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

void cli_pdf_set_font(cli_pdf *d, int font, double size)
{
	cairo_set_font_face(d->cr, d->faces[font]);
	cairo_set_font_size(d->cr, size);
}

double cli_pdf_text_width(cairo_t *cr, const char *s, size_t len)
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
static double next_line(cli_pdf_flow *f, double height)
{
	if (f->y + height > f->bottom) {
		f->page++;
		f->y = f->top;
	}
	f->y += height;
	return f->y;
}

void cli_pdf_put_line(cli_pdf_flow *f, int font, double size, const char *s, size_t len)
{
	cli_pdf_op *o = cli_pdf_add_op(f->l);
	double y = next_line(f, size * CLI_PDF_LEADING);

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

	while (n > 1 && cli_pdf_text_width(cr, s, n) > width)
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
void cli_pdf_put_text(cli_pdf_flow *f, int font, double size, const char *text)
{
	cairo_t *cr = f->l->pdf->cr;
	const char *line = text, *s = text;
	double space, used = 0;

	cli_pdf_set_font(f->l->pdf, font, size);
	space = cli_pdf_text_width(cr, " ", 1);
	while (*s != '\0') {
		const char *end = strchr(s, ' ');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		double w = cli_pdf_text_width(cr, s, len);

		/* a word that does not fit ends the line before it (a long word alone) */
		if (s > line && used + space + w > f->width) {
			cli_pdf_put_line(f, font, size, line, (size_t)(s - 1 - line));
			line = s;
			used = 0;
		}
		/* a word wider than the column on a line of its own: cut */
		while (s == line && w > f->width) {
			size_t cut = fitting_prefix(cr, s, len, f->width);

			cli_pdf_put_line(f, font, size, s, cut);
			s += cut;
			len -= cut;
			line = s;
			w = cli_pdf_text_width(cr, s, len);
		}
		used += (s > line ? space : 0) + w;
		s += len;
		if (*s == ' ')
			s++;
	}
	if (s > line)
		cli_pdf_put_line(f, font, size, line, (size_t)(s - line) - (s[-1] == ' '));
}

void cli_pdf_put_gap(cli_pdf_flow *f, double height)
{
	if (f->y + height <= f->bottom)
		f->y += height;
}

/* a new page for what needs @p height, unless it fits on this one */
void cli_pdf_keep(cli_pdf_flow *f, double height)
{
	if (f->y + height > f->bottom) {
		f->page++;
		f->y = f->top;
	}
}

/* a heading kept on the page of what follows it: @p then high, or two lines */
void cli_pdf_put_heading_then(cli_pdf_flow *f, const char *text, double then)
{
	cli_pdf_put_gap(f, f->body * 0.6);
	cli_pdf_keep(f, f->body * 1.25 * CLI_PDF_LEADING +
	                        (then > 0 ? then : 2 * f->body * CLI_PDF_LEADING));
	cli_pdf_put_text(f, CLI_PDF_BOLD, f->body * 1.25, text);
}

void cli_pdf_put_heading(cli_pdf_flow *f, const char *text)
{
	cli_pdf_put_heading_then(f, text, 0);
}

/* @p fmt with its first "%s" replaced by @p a and its second by @p b */
void cli_pdf_put_formatted(cli_pdf_flow *f, int font, const char *fmt, const char *a,
                           const char *b)
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
	cli_pdf_put_text(f, font, f->body, buf);
	OPENSSL_cleanse(buf, sizeof(buf));
}


static void draw(cli_pdf *d, const cli_pdf_op *o)
{
	cairo_t *cr = d->cr;

	if (o->side > 0) {
		if (o->qr != NULL)
			cli_qr_draw(cr, o->qr, o->x, o->y, o->side);
		else
			cli_qr_paint(cr, o->image, o->x, o->y, o->side);
		return;
	}
	if (o->box_w > 0 && o->frame != CLI_PDF_SHADED) {
		static const double dash[] = { 5, 3 };

		cairo_save(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		if (o->frame == CLI_PDF_OUTLINE) {
			cairo_rectangle(cr, o->x, o->y, o->box_w, o->box_h);
			cairo_set_line_width(cr, 1.5);
		} else {
			cairo_move_to(cr, o->x, o->y);
			cairo_line_to(cr, o->x + o->box_w, o->y);
			cairo_set_line_width(cr, o->frame == CLI_PDF_CUT ? 1.0 : 0.6);
			if (o->frame == CLI_PDF_CUT)
				cairo_set_dash(cr, dash, 2, 0);
		}
		cairo_stroke(cr);
		cairo_restore(cr);
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
	cli_pdf_set_font(d, o->font, o->size);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, o->x, o->y);
	cairo_show_text(cr, o->text);
}

int cli_pdf_draw_pages(cli_pdf_layout *l)
{
	cli_pdf *d = l->pdf;
	int pages = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->ops[i].page + 1 > pages)
			pages = l->ops[i].page + 1;
	for (int page = 0; page < pages; page++) {
		for (size_t i = 0; i < l->n; i++)
			if (l->ops[i].page == page)
				draw(d, &l->ops[i]);
		cairo_show_page(d->cr);
		if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS) {
			errno = d->write_errno ? d->write_errno : EIO;
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ the file */

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	cli_pdf *d = closure;

	if (fwrite(data, 1, len, d->sf.f) != len) {
		d->write_errno = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

int cli_pdf_open(cli_pdf *d, const char *path, const char *title, const char *what)
{
	struct stat st;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if ((d->path = malloc(strlen(path) + 1)) == NULL) {
		cli_error("out of memory");
		return CLI_ERROR;
	}
	strcpy(d->path, path);
	/* refused before any code is made, and again when it is named at close */
	if (lstat(path, &st) == 0 || errno != ENOENT) {
		int e = errno, there = lstat(path, &st) == 0;

		cli_error("cannot make %s: %s", path,
		          there ? "it already exists (it may hold codes already made)" : cli_strerror(e));
		free(d->path);
		d->path = NULL;
		return there ? CLI_FAILED : CLI_ERROR;
	}
	/* owner-only from the first byte: it holds codes; a mailing house
	 * never finds half the file under the name it waits for */
	if ((d->fd = cli_new_temp(d->tmp, sizeof(d->tmp), path, 0600)) < 0) {
		free(d->path);
		d->path = NULL;
		return CLI_ERROR;
	}
	if (cli_secret_fdopen(&d->sf, d->fd) != 0) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		cli_pdf_discard(d);
		cli_pdf_release(d);
		return CLI_ERROR;
	}
	d->faces[CLI_PDF_REGULAR] = cairo_toy_font_face_create(
		"DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	d->faces[CLI_PDF_BOLD] = cairo_toy_font_face_create(
		"DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	d->faces[CLI_PDF_MONO] = cairo_toy_font_face_create(
		"DejaVu Sans Mono", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	d->surface = cairo_pdf_surface_create_for_stream(to_file, d, CLI_PDF_PAGE_W,
	                                                 CLI_PDF_PAGE_H);
	d->cr = cairo_create(d->surface);
	if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS) {
		cli_error("cannot start %s: %s", what, cairo_status_to_string(cairo_status(d->cr)));
		cli_pdf_discard(d);
		cli_pdf_release(d);
		return CLI_ERROR;
	}
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	return CLI_OK;
}

int cli_pdf_finish(cli_pdf *d)
{
	int failed;

	cairo_destroy(d->cr);
	d->cr = NULL;
	cairo_surface_finish(d->surface);
	failed = cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(d->surface);
	d->surface = NULL;
	if (!failed && (fflush(d->sf.f) != 0 || fsync(d->fd) != 0))
		d->write_errno = errno, failed = 1;
	if (cli_secret_fclose(&d->sf) != 0 && !failed)
		d->write_errno = errno, failed = 1;
	d->fd = -1;
	if (failed) {
		cli_error("cannot write %s: %s", d->path,
		          cli_strerror(d->write_errno ? d->write_errno : EIO));
		unlink(d->tmp);
		return CLI_ERROR;
	}
	return cli_link_new(d->tmp, d->path);
}

void cli_pdf_discard(cli_pdf *d)
{
	if (d->cr != NULL)
		cairo_destroy(d->cr);
	d->cr = NULL;
	if (d->surface != NULL) {
		cairo_surface_finish(d->surface);
		cairo_surface_destroy(d->surface);
	}
	d->surface = NULL;
	if (d->sf.f != NULL)
		cli_secret_fclose(&d->sf);
	else if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	unlink(d->tmp);
}

void cli_pdf_release(cli_pdf *d)
{
	/* the PDF is the process's only text: cairo's and fontconfig's caches
	 * go with it, so nothing is left for a leak checker to find */
	bool fonts = d->faces[CLI_PDF_REGULAR] != NULL;

	if (d->cr != NULL)
		cairo_destroy(d->cr);
	if (d->surface != NULL)
		cairo_surface_destroy(d->surface);
	for (int i = 0; i < 3; i++)
		if (d->faces[i] != NULL)
			cairo_font_face_destroy(d->faces[i]);
	free(d->path);
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (fonts) {
		cairo_debug_reset_static_data();
		FcFini();
	}
}
