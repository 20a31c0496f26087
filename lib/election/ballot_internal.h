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

/* the total proof's range is within [0, 1] (§15.1.4): two branches at most */
#define TV__TOTAL_BRANCHES 2

struct tv_ballot {
	tv_ctx *ctx; /* the allocator's; must outlive the ballot */
	uint8_t fingerprint[32];
	tv_point credential;
	uint32_t options;
	/* options of each, in the ballot's own allocation just after it
	 * (tv__ballot_alloc): a two-option ballot is some 1.7 KB, where room
	 * for TV_MAX_OPTIONS and a 32-branch total made every one 15 KB */
	tv_ciphertext *vote;
	tv_bit_proof *bit;
	uint32_t min, max;
	tv_range_branch total[TV__TOTAL_BRANCHES]; /* max - min + 1 of them */
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

/* a ballot with room for @p options (2 to TV_MAX_OPTIONS) selections, its
 * context @p ctx, the rest zero; NULL without memory (no message) */
tv_ballot *tv__ballot_alloc(tv_ctx *ctx, uint32_t options);
/* whether @p a and @p b hold the same ballot, field for field */
int tv__ballot_same(const tv_ballot *a, const tv_ballot *b);
/* D and T of a ballot from its content (§15.1.1), as its readers do */
tv_status tv__ballot_digests(tv_ctx *ctx, tv_ballot *b);
/* S and T of a spoilt paper from its content and signature (§15.6) */
tv_status tv__spoilt_digests(tv_ctx *ctx, tv_spoilt *p);
/* the slug of each reason, reason 1 first */
extern const char *const tv__spoilt_reason_names[TV_SPOILT_REASONS];

#endif
