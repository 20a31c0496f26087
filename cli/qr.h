/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * QR codes for tenants: a receipt's check address (SPEC §15.1.2) and a
 * letter's voting page. Made with libqrencode; shown on a terminal, written
 * as SVG or PNG, or drawn into a cairo context (the letters).
 */
#ifndef TV_CLI_QR_H
#define TV_CLI_QR_H

#include <stdio.h>

#include <cairo.h>

typedef struct cli_qr {
	int width;              /* modules a side, without the quiet zone */
	unsigned char *dark;    /* width * width, row by row: 1 dark, 0 light */
} cli_qr;

/* the modules of @p text (bytes, error correction M); 0, or -1 with errno */
int cli_qr_make(cli_qr *q, const char *text);
void cli_qr_free(cli_qr *q);
/* the code as text with half blocks, dark on light (ANSI colours on a
 * terminal, ink for dark modules otherwise), a quiet zone around it */
void cli_qr_print(FILE *out, const cli_qr *q, int terminal);
/* draw the code, quiet zone included, in the square at (@p x, @p y) of
 * side @p side, in the context's current units */
void cli_qr_draw(cairo_t *cr, const cli_qr *q, double x, double y, double side);
/* the code, quiet zone included, as an image of one pixel a module (NULL
 * when out of memory): painted many times, a PDF holds it once */
cairo_surface_t *cli_qr_image(const cli_qr *q);
/* paint cli_qr_image()'s @p image in the square at (@p x, @p y), side @p side */
void cli_qr_paint(cairo_t *cr, cairo_surface_t *image, double x, double y, double side);
/* 1 when @p path ends in .png or .svg (what cli_qr_write can write) */
int cli_qr_path_ok(const char *path);
/* write the code to the new file @p path, PNG or SVG by its ending;
 * refuses a file that exists; a CLI_* code, the message printed */
int cli_qr_write(const char *path, const cli_qr *q);

#endif
