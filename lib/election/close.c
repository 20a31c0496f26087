/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.4: the close statement, C = H("close"; F, u64be(entries),
 * head_last), signed with the ballot box's Ed25519 key.
 */
#include "election_internal.h"

tv_status tv__close_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32], uint64_t entries,
                            const uint8_t head[32])
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "close");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_u64(&h, entries);
	tv__hash_field(&h, head, 32);
	return tv__hash_final(&h, out);
}
