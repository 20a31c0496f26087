/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The layouts of a ballot and a spoilt paper, shared by their own files
 * (ballot.c, spoilt.c) and the scanner of canonical board lines
 * (board_scan.c), which fills them without Jansson and must leave them
 * exactly as the JSON readers would. Nothing else looks inside.
 */
#ifndef TV_BALLOT_INTERNAL_H
#define TV_BALLOT_INTERNAL_H

#include "election_internal.h"
#include "tenantvote/ballot.h"
#include "tenantvote/spoilt.h"

struct tv_ballot {
	tv_ctx *ctx; /* the allocator's; must outlive the ballot */
	uint8_t fingerprint[32];
	tv_point credential;
	uint32_t options;
	tv_ciphertext vote[TV_MAX_OPTIONS];
	tv_bit_proof bit[TV_MAX_OPTIONS];
	uint32_t min, max;
	tv_range_proof total;
	tv_schnorr_signature signature; /* valid only when is_signed */
	uint8_t digest[32];
	uint8_t tracking[32];
	int is_signed;
	int challenged;
};

struct tv_spoilt {
	tv_ctx *ctx;
	uint8_t fingerprint[32];
	tv_point credential;
	tv_spoilt_reason reason;
	tv_schnorr_signature signature;
	uint8_t digest[32];
	uint8_t tracking[32];
};

/* D and T of a ballot from its content (§15.1.1), as its readers do */
tv_status tv__ballot_digests(tv_ctx *ctx, tv_ballot *b);
/* S and T of a spoilt paper from its content and signature (§15.6) */
tv_status tv__spoilt_digests(tv_ctx *ctx, tv_spoilt *p);
/* the slug of each reason, reason 1 first */
extern const char *const tv__spoilt_reason_names[TV_SPOILT_REASONS];

#endif
