/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal declarations of the protocol layer (lib/election/), shared with
 * the layers above it. Nothing here is part of the API.
 */
#ifndef TV_ELECTION_INTERNAL_H
#define TV_ELECTION_INTERNAL_H

#include "internal.h"

/* ---- text (lib/election/text.c), SPEC §9.1 ---- */

/*
 * TV_OK when @p text (len bytes, no NUL needed) is valid UTF-8 without
 * control characters; TV_ERR_UTF8 naming @p what and the byte otherwise.
 */
tv_status tv__utf8_check(tv_ctx *ctx, const char *text, size_t len,
                         const char *what);

/* ---- codes (lib/election/credential.c), SPEC §11.1 ---- */

extern const char tv__base32_alphabet[33];
/* the Luhn mod 32 check symbol of @p count symbol values */
uint8_t tv__luhn32_check(const uint8_t *v, size_t count);
/* symbols in groups of four joined by '-', NUL-terminated */
void tv__base32_groups(char *out, const uint8_t *v, size_t count);

/* ---- register (lib/election/register.c) ---- */

/*
 * tv_register_parse() with a lower row limit, for the unit tests, which
 * cannot feed a million rows quickly.
 */
tv_status tv__register_parse_limited(tv_ctx *ctx, tv_register **out,
                                     const uint8_t *csv, size_t len,
                                     const char *source_name,
                                     tv_register_problem_fn problem,
                                     void *payload, size_t max_rows);

/* ---- ballots (lib/election/ballot.c) ---- */

/* tests only: put another credential on a ballot and sign it */
tv_status tv__ballot_resign(tv_ctx *ctx, tv_ballot *ballot, const tv_scalar *secret);

/* ---- board entries (SPEC §15.1, §15.6) ---- */

/* an entry's kind: board.kind in the box (schema version 3) */
#define TV_ENTRY_BALLOT 1
#define TV_ENTRY_SPOILT 2

/* ---- the board's chain link (lib/election/chain.c, SPEC §15.2) ---- */

/* head_0 = H("board-start"; F) */
tv_status tv__board_start_head(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32]);
/* head_p = H("board"; head_{p-1}, u64be(p), T, u32be(channel), u64be(time)) */
tv_status tv__board_next_head(tv_ctx *ctx, uint8_t out[32], const uint8_t prev[32],
                              uint64_t position, const uint8_t tracking[32], uint32_t channel,
                              int64_t time);
/* ---- the close statement (lib/election/close.c, SPEC §15.4) ---- */

/* C = H("close"; F, u64be(entries), head) */
tv_status tv__close_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32], uint64_t entries,
                            const uint8_t head[32]);

/* ---- receipts (lib/election/receipt.c, SPEC §15.3) ---- */

/* sign M of @p r (all but its signature filled in) into r->signature */
tv_status tv__receipt_sign(tv_ctx *ctx, tv_receipt *r, const tv_ed25519_secret_key *key);

/* ---- the record's files (SPEC §18) ---- */

#define TV_RECORD_FORMAT "tenantvote-record/1"
#define TV_RECORD_CREDENTIALS "tenantvote-credentials/1"
#define TV_RECORD_CLOSE "tenantvote-close/1"
#define TV_RECORD_TALLY "tenantvote-record-tally/1"
#define TV_RECORD_TRANSCRIPT "tenantvote-ceremony-transcript/1"
/* the longest board.jsonl line: a ballot and its envelope */
#define TV_RECORD_LINE_MAX (TV_BALLOT_JSON_MAX + 1024)

#endif
