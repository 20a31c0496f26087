/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lowercase hex, the record's one spelling of bytes (SPEC §2.3). */
#include "internal.h"

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
	for (i = 0; i < out_len; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return tv__fail(ctx, TV_ERR_ENCODING,
			                "%s: character %zu is not lowercase hex", what,
			                hi < 0 ? 2 * i + 1 : 2 * i + 2);
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return TV_OK;
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
