/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §9.1: text. Every name, address and label is UTF-8 exactly as given
 * (Welsh included: ŵ, ŷ, â round-trip byte for byte). Refused: invalid
 * UTF-8 (overlong forms, surrogates, code points above U+10FFFF, truncated
 * sequences) and control characters, which have no place in a ballot
 * paper or a letter and could hide text in a terminal. That includes the
 * bidirectional embedding, override and isolate controls (U+202A..U+202E,
 * U+2066..U+2069), which can make a name or an option read differently on
 * screen from what is stored.
 */
#include "election_internal.h"

tv_status tv__utf8_check(tv_ctx *ctx, const char *text, size_t len,
                         const char *what)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	if (text == NULL && len != 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "%s: NULL text", what);
	while (i < len) {
		unsigned c = s[i];
		size_t need;
		unsigned cp, min;

		if (c < 0x80) {
			/* C0 controls and DEL; tab is allowed nowhere either */
			if (c < 0x20 || c == 0x7f)
				return tv__fail(ctx, TV_ERR_UTF8,
				                "%s: control character 0x%02x at byte %zu", what, c,
				                i + 1);
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return tv__fail(ctx, TV_ERR_UTF8, "%s: invalid UTF-8 byte 0x%02x at byte %zu",
			                what, c, i + 1);
		}
		if (len - i <= need)
			return tv__fail(ctx, TV_ERR_UTF8, "%s: truncated UTF-8 sequence at byte %zu",
			                what, i + 1);
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return tv__fail(ctx, TV_ERR_UTF8,
				                "%s: invalid UTF-8 sequence at byte %zu", what, i + 1);
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return tv__fail(ctx, TV_ERR_UTF8,
			                "%s: invalid UTF-8 (overlong, surrogate or out of range) at byte %zu",
			                what, i + 1);
		/* C1 controls U+0080..U+009F; bidirectional controls */
		if (cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return tv__fail(ctx, TV_ERR_UTF8,
			                "%s: control character U+%04X at byte %zu", what, cp, i + 1);
		i += need + 1;
	}
	return TV_OK;
}
