/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.2: the board's chain link.
 *   head_0 = H("board-start"; F)
 *   head_p = H("board"; head_{p-1}, u64be(p), T, u32be(channel), u64be(time))
 */
#include "election_internal.h"

tv_status tv__board_start_head(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32])
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "board-start");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	return tv__hash_final(&h, out);
}

tv_status tv__board_next_head(tv_ctx *ctx, uint8_t out[32], const uint8_t prev[32],
                              uint64_t position, const uint8_t tracking[32], uint32_t channel,
                              int64_t time)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "board");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, prev, 32);
	tv__hash_u64(&h, position);
	tv__hash_field(&h, tracking, 32);
	tv__hash_u32(&h, channel);
	tv__hash_u64(&h, (uint64_t)time);
	return tv__hash_final(&h, out);
}
