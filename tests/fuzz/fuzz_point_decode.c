/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_point_decode() on raw bytes (SPEC §2). Checked for every input:
 *  - the answer is the oracle's (curve equation in plain BIGNUMs): only a
 *    65-byte 04 || x || y with x, y < p on the curve is accepted; a wrong
 *    length or prefix is TV_ERR_ENCODING, anything else TV_ERR_POINT_INVALID;
 *  - a failure is recorded on the context with a message;
 *  - an accepted point keeps the input bytes, passes tv_point_check(), and
 *    round-trips through tv_point_to_hex() / tv_point_from_hex().
 */
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	char hex[TV_POINT_HEX_LEN + 1];
	tv_point point, again;
	tv_status status;
	size_t i;

	tv_fuzz_clear_error(ctx);
	status = tv_point_decode(ctx, &point, data, size);
	tv_fuzz_check_status_recorded(ctx, status);
	FUZZ_CHECK(status == tv_fuzz_oracle_point(data, size));
	if (status != TV_OK) {
		FUZZ_CHECK(status == TV_ERR_ENCODING || status == TV_ERR_POINT_INVALID);
		FUZZ_CHECK(tv_status_is_rejection(status));
		return 0;
	}

	FUZZ_CHECK(size == TV_POINT_BYTES);
	FUZZ_CHECK(memcmp(point.bytes, data, TV_POINT_BYTES) == 0);
	FUZZ_CHECK(tv_point_check(ctx, &point) == TV_OK);

	memset(hex, 'X', sizeof(hex));
	tv_point_to_hex(hex, &point);
	FUZZ_CHECK(hex[TV_POINT_HEX_LEN] == '\0');
	FUZZ_CHECK(strlen(hex) == TV_POINT_HEX_LEN);
	for (i = 0; i < TV_POINT_HEX_LEN; i++)
		FUZZ_CHECK((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f'));
	FUZZ_CHECK(tv_point_from_hex(ctx, &again, hex, TV_POINT_HEX_LEN) == TV_OK);
	FUZZ_CHECK(memcmp(again.bytes, data, TV_POINT_BYTES) == 0);
	FUZZ_CHECK(tv_point_equal(&again, &point));
	/* the hex length is exact: a trailing NUL counted in is refused */
	FUZZ_CHECK(tv_point_from_hex(ctx, &again, hex, TV_POINT_HEX_LEN + 1) == TV_ERR_ENCODING);
	/* the only other encoding of the same point, compressed, is refused */
	{
		uint8_t compressed[33];

		compressed[0] = (uint8_t)(0x02 | (data[64] & 1));
		memcpy(compressed + 1, data + 1, 32);
		FUZZ_CHECK(tv_point_decode(ctx, &again, compressed, sizeof(compressed)) ==
		           TV_ERR_ENCODING);
	}
	return 0;
}
