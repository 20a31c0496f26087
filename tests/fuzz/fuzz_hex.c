/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_point_from_hex() and tv_scalar_from_hex() on the input taken as a
 * string of exactly `size` characters, with no NUL after it (the buffer
 * ends there, so reading past it is caught by AddressSanitizer).
 * Checked (SPEC §2.3, one spelling of every value):
 *  - accepted only for exactly 130 / 64 lowercase hex characters whose
 *    bytes then decode; a wrong length or any other character is
 *    TV_ERR_ENCODING, well-formed hex of a bad value is what the byte
 *    decoder says (TV_ERR_POINT_INVALID / TV_ERR_SCALAR_RANGE);
 *  - an accepted value written back with _to_hex() is the input, exactly.
 * The input is also hex-encoded and decoded the other way, which reaches
 * the value checks for every 32- or 65-byte input.
 */
#include <string.h>

#include "fuzz_common.h"

static int is_lower_hex(const uint8_t *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int hex_digit(uint8_t c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void unhex(uint8_t *out, const uint8_t *hex, size_t out_len)
{
	size_t i;

	for (i = 0; i < out_len; i++)
		out[i] = (uint8_t)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
}

static void check_point_hex(tv_ctx *ctx, const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char back[TV_POINT_HEX_LEN + 1];
	uint8_t raw[TV_POINT_BYTES];
	tv_point point;
	tv_status status;

	tv_fuzz_clear_error(ctx);
	status = tv_point_from_hex(ctx, &point, text, size);
	tv_fuzz_check_status_recorded(ctx, status);
	if (size != TV_POINT_HEX_LEN || !is_lower_hex(data, size)) {
		FUZZ_CHECK(status == TV_ERR_ENCODING);
		return;
	}
	unhex(raw, data, TV_POINT_BYTES);
	FUZZ_CHECK(status == tv_fuzz_oracle_point(raw, TV_POINT_BYTES));
	if (status != TV_OK)
		return;
	FUZZ_CHECK(memcmp(point.bytes, raw, TV_POINT_BYTES) == 0);
	tv_point_to_hex(back, &point);
	FUZZ_CHECK(memcmp(back, data, TV_POINT_HEX_LEN) == 0 && back[TV_POINT_HEX_LEN] == '\0');
}

static void check_scalar_hex(tv_ctx *ctx, const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char back[TV_SCALAR_HEX_LEN + 1];
	uint8_t raw[TV_SCALAR_BYTES];
	tv_scalar scalar;
	tv_status status;

	tv_fuzz_clear_error(ctx);
	status = tv_scalar_from_hex(ctx, &scalar, text, size);
	tv_fuzz_check_status_recorded(ctx, status);
	if (size != TV_SCALAR_HEX_LEN || !is_lower_hex(data, size)) {
		FUZZ_CHECK(status == TV_ERR_ENCODING);
		return;
	}
	unhex(raw, data, TV_SCALAR_BYTES);
	FUZZ_CHECK(status == tv_fuzz_oracle_scalar(raw, TV_SCALAR_BYTES));
	if (status != TV_OK)
		return;
	FUZZ_CHECK(memcmp(scalar.bytes, raw, TV_SCALAR_BYTES) == 0);
	tv_scalar_to_hex(back, &scalar);
	FUZZ_CHECK(memcmp(back, data, TV_SCALAR_HEX_LEN) == 0 && back[TV_SCALAR_HEX_LEN] == '\0');
}

/* the other direction: bytes -> our hex -> the library's decoder */
static void check_bytes_as_hex(tv_ctx *ctx, const uint8_t *data, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	char text[TV_POINT_HEX_LEN];
	size_t i;

	if (size != TV_POINT_BYTES && size != TV_SCALAR_BYTES)
		return;
	for (i = 0; i < size; i++) {
		text[2 * i] = digits[data[i] >> 4];
		text[2 * i + 1] = digits[data[i] & 15];
	}
	if (size == TV_POINT_BYTES) {
		tv_point point;
		tv_status status = tv_point_from_hex(ctx, &point, text, 2 * size);

		FUZZ_CHECK(status == tv_fuzz_oracle_point(data, size));
		FUZZ_CHECK(status != TV_OK || memcmp(point.bytes, data, size) == 0);
	} else {
		tv_scalar scalar;
		tv_status status = tv_scalar_from_hex(ctx, &scalar, text, 2 * size);

		FUZZ_CHECK(status == tv_fuzz_oracle_scalar(data, size));
		FUZZ_CHECK(status != TV_OK || memcmp(scalar.bytes, data, size) == 0);
		/* uppercase is another spelling, and refused */
		for (i = 0; i < 2 * size; i++)
			if (text[i] >= 'a' && text[i] <= 'f') {
				text[i] = (char)(text[i] - 'a' + 'A');
				FUZZ_CHECK(tv_scalar_from_hex(ctx, &scalar, text, 2 * size) ==
				           TV_ERR_ENCODING);
				break;
			}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();

	check_point_hex(ctx, data, size);
	check_scalar_hex(ctx, data, size);
	check_bytes_as_hex(ctx, data, size);
	return 0;
}
