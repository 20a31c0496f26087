/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lowercase hex, the record's one spelling of bytes (SPEC §2.3). */
#include "internal.h"

/*
 * The value of a lowercase hex digit, computed with masks, not branches:
 * a branch on random hex is mispredicted half the time, and hex is most
 * of a board line. *bad gains a bit when @p c is not a digit.
 */
static inline unsigned nibble(unsigned c, unsigned *bad)
{
	unsigned d = c - '0', l = c - 'a';
	/* all ones when d <= 9, resp. l <= 5 (the subtraction borrows) */
	unsigned is_d = 0u - ((d - 10u) >> 31 & ~d >> 31 & 1u);
	unsigned is_l = 0u - ((l - 6u) >> 31 & ~l >> 31 & 1u);

	*bad |= ~(is_d | is_l) & 1u;
	return (d & is_d) | ((l + 10u) & is_l);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

tv_status tv__hex_decode(tv_ctx *ctx, uint8_t *out, size_t out_len,
                         const char *hex, size_t hex_len, const char *what)
{
	size_t i;

	if (hex == NULL && hex_len != 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "%s: NULL hex", what);
	if (hex_len != 2 * out_len)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: expected %zu hex characters, got %zu", what,
		                2 * out_len, hex_len);
	/* without a branch on the characters: one flag for the whole text,
	 * and the bad character found only when there is one */
	unsigned bad = 0;

	for (i = 0; i < out_len; i++) {
		unsigned hi = nibble((unsigned char)hex[2 * i], &bad);
		unsigned lo = nibble((unsigned char)hex[2 * i + 1], &bad);

		out[i] = (uint8_t)(hi << 4 | lo);
	}
	if (bad == 0)
		return TV_OK;
	for (i = 0; i < 2 * out_len; i++)
		if (hex_value(hex[i]) < 0)
			break;
	return tv__fail(ctx, TV_ERR_ENCODING, "%s: character %zu is not lowercase hex", what,
	                i + 1);
}

void tv__hex_encode(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}
