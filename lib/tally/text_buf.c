/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The growing text buffer that the declaration (SPEC §17.5, declaration.c)
 * and the EML messages (SPEC §17.6, eml.c) are written with. It implements
 * no SPEC section of its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "result_internal.h"

/* ---- text output: a growing buffer ---- */

void tv__buf_put(text_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = tv__realloc(b->ctx, b->p, cap);
		if (p == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void tv__buf_puts(text_buf *b, const char *s)
{
	tv__buf_put(b, s, strlen(s));
}

void tv__buf_putf(text_buf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* only numbers and short fixed words go through here */
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->failed = 1;
		return;
	}
	tv__buf_put(b, tmp, (size_t)n);
}

tv_status tv__buf_finish(text_buf *b, char **out, size_t *len, const char *what)
{
	if (b->failed) {
		tv__free(b->ctx, b->p);
		return tv__fail(b->ctx, TV_ERR_NOMEM, "cannot allocate the %s", what);
	}
	*out = b->p;
	if (len != NULL)
		*len = b->len;
	return TV_OK;
}

void tv__buf_put_tenths(text_buf *b, uint32_t tenths)
{
	char s[TV_PERCENT_FORMAT_BYTES];

	tv_percent_format(s, tenths);
	tv__buf_puts(b, s);
}
