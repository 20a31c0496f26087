/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_scalar_decode() on raw bytes (SPEC §2). Checked for every input:
 *  - the answer is the oracle's: exactly 32 bytes below n (compared as a
 *    BIGNUM, not with the library's byte compare); a wrong length is
 *    TV_ERR_ENCODING, a value >= n TV_ERR_SCALAR_RANGE;
 *  - a failure is recorded on the context with a message;
 *  - an accepted scalar keeps the input bytes and round-trips through
 *    tv_scalar_to_hex() / tv_scalar_from_hex();
 *  - tv_point_base_mul() refuses zero and otherwise gives a valid point,
 *    and k·G and (n - k)·G are each other's negation (same x, y's add to p).
 */
#include <string.h>

#include "fuzz_common.h"

static void check_base_mul(tv_ctx *ctx, const tv_scalar *k)
{
	tv_point kG, negkG;
	tv_scalar negk;
	tv_status status;

	tv_fuzz_clear_error(ctx);
	status = tv_point_base_mul(ctx, &kG, k);
	tv_fuzz_check_status_recorded(ctx, status);
	if (tv_fuzz_all_zero(k->bytes, TV_SCALAR_BYTES)) {
		FUZZ_CHECK(status == TV_ERR_SCALAR_RANGE);
		return;
	}
	FUZZ_CHECK(status == TV_OK);
	FUZZ_CHECK(tv_fuzz_oracle_point(kG.bytes, TV_POINT_BYTES) == TV_OK);

	tv_fuzz_scalar_neg(negk.bytes, k->bytes);
	FUZZ_CHECK(tv_point_base_mul(ctx, &negkG, &negk) == TV_OK);
	FUZZ_CHECK(memcmp(kG.bytes + 1, negkG.bytes + 1, 32) == 0);
	{
		/* y + y' == p, i.e. y' = p - y, checked with the p of SPEC §2 */
		static const uint8_t p[32] = {
			0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		};
		unsigned carry = 0;
		uint8_t sum[32];
		int i;

		for (i = 31; i >= 0; i--) {
			unsigned s = (unsigned)kG.bytes[33 + i] + negkG.bytes[33 + i] + carry;

			sum[i] = (uint8_t)s;
			carry = s >> 8;
		}
		FUZZ_CHECK(carry == 0 && memcmp(sum, p, 32) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	char hex[TV_SCALAR_HEX_LEN + 1];
	tv_scalar scalar, again;
	tv_status status;
	size_t i;

	tv_fuzz_clear_error(ctx);
	status = tv_scalar_decode(ctx, &scalar, data, size);
	tv_fuzz_check_status_recorded(ctx, status);
	FUZZ_CHECK(status == tv_fuzz_oracle_scalar(data, size));
	if (status != TV_OK) {
		FUZZ_CHECK(status == TV_ERR_ENCODING || status == TV_ERR_SCALAR_RANGE);
		FUZZ_CHECK(tv_status_is_rejection(status));
		return 0;
	}

	FUZZ_CHECK(size == TV_SCALAR_BYTES);
	FUZZ_CHECK(memcmp(scalar.bytes, data, TV_SCALAR_BYTES) == 0);

	memset(hex, 'X', sizeof(hex));
	tv_scalar_to_hex(hex, &scalar);
	FUZZ_CHECK(hex[TV_SCALAR_HEX_LEN] == '\0');
	FUZZ_CHECK(strlen(hex) == TV_SCALAR_HEX_LEN);
	for (i = 0; i < TV_SCALAR_HEX_LEN; i++)
		FUZZ_CHECK((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f'));
	FUZZ_CHECK(tv_scalar_from_hex(ctx, &again, hex, TV_SCALAR_HEX_LEN) == TV_OK);
	FUZZ_CHECK(memcmp(again.bytes, data, TV_SCALAR_BYTES) == 0);

	check_base_mul(ctx, &scalar);
	tv_scalar_wipe(&again);
	FUZZ_CHECK(tv_fuzz_all_zero(again.bytes, TV_SCALAR_BYTES));
	return 0;
}
