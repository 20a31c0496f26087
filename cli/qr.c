/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* QR codes for receipts and letters (cli/qr.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qrencode.h>

#include "cli.h"
#include "qr.h"

/* the light margin a reader needs around the code, in modules */
#define QUIET 4

int cli_qr_make(cli_qr *q, const char *text)
{
	QRcode *code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);

	q->width = 0;
	q->dark = NULL;
	if (code == NULL)
		return -1;
	q->dark = malloc((size_t)code->width * (size_t)code->width);
	if (q->dark == NULL) {
		QRcode_free(code);
		errno = ENOMEM;
		return -1;
	}
	q->width = code->width;
	/* libqrencode's low bit of each byte is the module's colour */
	for (size_t i = 0; i < (size_t)code->width * (size_t)code->width; i++)
		q->dark[i] = code->data[i] & 1;
	QRcode_free(code);
	return 0;
}

void cli_qr_free(cli_qr *q)
{
	free(q->dark);
	q->dark = NULL;
	q->width = 0;
}

/* the module at (x, y) of the code with its quiet zone */
static int dark_at(const cli_qr *q, int x, int y)
{
	x -= QUIET;
	y -= QUIET;
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return 0;
	return q->dark[(size_t)y * (size_t)q->width + (size_t)x];
}

void cli_qr_print(FILE *out, const cli_qr *q, int terminal)
{
	/* two rows of modules a line: upper half, lower half, both, neither */
	static const char *const ink[4] = { " ", "\u2580", "\u2584", "\u2588" };
	int side = q->width + 2 * QUIET;

	for (int y = 0; y < side; y += 2) {
		/* on a terminal, black on white whatever its own colours are */
		if (terminal)
			fputs("\033[30;47m", out);
		for (int x = 0; x < side; x++)
			fputs(ink[dark_at(q, x, y) | dark_at(q, x, y + 1) << 1], out);
		if (terminal)
			fputs("\033[0m", out);
		fputc('\n', out);
	}
}

void cli_qr_draw(cairo_t *cr, const cli_qr *q, double x, double y, double side)
{
	double m = side / (q->width + 2 * QUIET);

	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, side, side);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (q->dark[(size_t)r * (size_t)q->width + (size_t)c])
				cairo_rectangle(cr, x + (c + QUIET) * m, y + (r + QUIET) * m, m, m);
	cairo_fill(cr);
	cairo_restore(cr);
}

cairo_surface_t *cli_qr_image(const cli_qr *q)
{
	int side = q->width + 2 * QUIET;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
	cairo_t *cr;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return NULL;
	}
	cr = cairo_create(s);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cli_qr_draw(cr, q, 0, 0, side);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	return s;
}

void cli_qr_paint(cairo_t *cr, cairo_surface_t *image, double x, double y, double side)
{
	double pixels = cairo_image_surface_get_width(image);

	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, side / pixels, side / pixels);
	cairo_set_source_surface(cr, image, 0, 0);
	/* sharp modules, never blurred between them */
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
	cairo_paint(cr);
	cairo_restore(cr);
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n > t && strcmp(s + n - t, tail) == 0;
}

int cli_qr_path_ok(const char *path)
{
	return ends_with(path, ".png") || ends_with(path, ".svg");
}

/* a growing buffer for cairo's PNG stream */
typedef struct png_buf {
	unsigned char *bytes;
	size_t len, cap;
} png_buf;

static cairo_status_t png_append(void *closure, const unsigned char *data, unsigned int len)
{
	png_buf *b = closure;

	if (b->len + len + 1 > b->cap) {
		size_t cap = 2 * (b->len + len + 1);
		unsigned char *grown = realloc(b->bytes, cap);

		if (grown == NULL)
			return CAIRO_STATUS_NO_MEMORY;
		b->bytes = grown;
		b->cap = cap;
	}
	memcpy(b->bytes + b->len, data, len);
	b->len += len;
	return CAIRO_STATUS_SUCCESS;
}

/* the bytes to the new file @p path, whole or not at all, refused if it exists */
static int write_new_bytes(const char *path, const unsigned char *bytes, size_t len)
{
	char tmp[4200];
	FILE *f;
	int fd = cli_new_temp(tmp, sizeof(tmp), path, 0644);

	if (fd < 0)
		return CLI_ERROR;
	if ((f = fdopen(fd, "wb")) == NULL) {
		close(fd);
		goto fail;
	}
	if (fwrite(bytes, 1, len, f) != len || fflush(f) != 0 || fsync(fd) != 0) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0)
		goto fail;
	return cli_link_new(tmp, path);
fail:
	cli_error("cannot write %s: %s", path, cli_strerror(errno));
	unlink(tmp);
	return CLI_ERROR;
}

static int write_png(const char *path, const cli_qr *q)
{
	/* 8 pixels a module: sharp when printed or shown on a phone */
	int side = (q->width + 2 * QUIET) * 8, rc;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
	cairo_t *cr = cairo_create(s);
	png_buf b = { NULL, 0, 0 };

	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cli_qr_draw(cr, q, 0, 0, side);
	cairo_destroy(cr);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
	    cairo_surface_write_to_png_stream(s, png_append, &b) != CAIRO_STATUS_SUCCESS) {
		cli_error("cannot make the PNG image of the QR code: %s",
		          cairo_status_to_string(cairo_surface_status(s)));
		rc = CLI_ERROR;
	} else {
		rc = write_new_bytes(path, b.bytes, b.len);
	}
	cairo_surface_destroy(s);
	free(b.bytes);
	return rc;
}

static int write_svg(const char *path, const cli_qr *q)
{
	int side = q->width + 2 * QUIET, rc;
	size_t cap = 256 + (size_t)q->width * (size_t)q->width * 24, len = 0;
	char *svg = malloc(cap);

	if (svg == NULL) {
		cli_error("out of memory for the QR code");
		return CLI_ERROR;
	}
	len += (size_t)snprintf(svg + len, cap - len,
	                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	                        "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">\n"
	                        "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path d=\"",
	                        side, side, side * 8, side * 8, side, side);
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (q->dark[(size_t)r * (size_t)q->width + (size_t)c])
				len += (size_t)snprintf(svg + len, cap - len, "M%d %dh1v1h-1z",
				                        c + QUIET, r + QUIET);
	snprintf(svg + len, cap - len, "\" fill=\"#000\"/>\n</svg>\n");
	rc = write_new_bytes(path, (const unsigned char *)svg, strlen(svg));
	free(svg);
	return rc;
}

int cli_qr_write(const char *path, const cli_qr *q)
{
	return ends_with(path, ".png") ? write_png(path, q) : write_svg(path, q);
}
