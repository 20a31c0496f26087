/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal declarations of the count layer (lib/tally/), shared with the
 * layers above it and the tests. Nothing here is part of the API.
 */
#ifndef TV_TALLY_INTERNAL_H
#define TV_TALLY_INTERNAL_H

#include "election_internal.h"

/* ---- tally (lib/tally/decrypt.c) ---- */

struct tv_partial_decryption;
/* SPEC §16.2: trustee @p trustee's partial decryption of @p ct. Only
 * tv_tally_decrypt calls it, on the sums of a verified record (§16.3) */
tv_status tv__partial_decrypt(tv_ctx *ctx, struct tv_partial_decryption *out,
                              const tv_trustee *trustee, const tv_ciphertext *ct,
                              const uint8_t fingerprint[32]);
/* tv_decrypt_combine without verifying the parts: for tests only */
tv_status tv__decrypt_combine_unchecked(tv_ctx *ctx, uint32_t *value,
                                        const tv_ciphertext *ct,
                                        const struct tv_partial_decryption *parts,
                                        size_t count, uint32_t threshold,
                                        uint32_t max_value);

/* ---- the tally (lib/tally/tally.c, SPEC §17.1) ---- */

struct tv_tally {
	tv_ctx *ctx;
	tv_tally_info info;
	tv_ciphertext sum[TV_MAX_OPTIONS];
	int have_sum[TV_MAX_OPTIONS]; /* a sum of nothing is the zero ciphertext */
	int verified; /* made by tv_record_tally from a record that checked */
	uint8_t context[32]; /* that record's ceremony context (§11.6) */
	tv_election_key key;  /* that record's key ceremony's keys (check 3) */
};

/* an empty tally, or NULL */
tv_tally *tv__tally_new(tv_ctx *ctx);
/* @p t was added up from a record that passed checks 1 to 10 (§16.3):
 * only such a tally is decrypted with a trustee's share */
void tv__tally_mark_verified(tv_tally *t, const uint8_t context[32], const tv_election_key *key);
/* 0..3 for the channel bits 1, 2, 4, 8; -1 for anything else */
int tv__channel_index(uint32_t channel);

/* ---- aggregation (lib/tally/aggregate.c, SPEC §17.1) ---- */

/* the running totals of a stream of counted entries */
typedef struct tv__aggregate {
	tv_ctx *ctx;
	tv_tally *tally; /* its figures so far; the sums are in @c sum */
	tv__ct_sum sum[TV_MAX_OPTIONS];
} tv__aggregate;

/* start the totals of the election @p election whose board ends at @p head */
tv_status tv__aggregate_start(tv_ctx *ctx, tv__aggregate *a, const tv_manifest *m,
                              const tv_point *key, const uint8_t election[32],
                              const uint8_t head[32], uint64_t entries, uint64_t electorate);
/* totals begun before the board's end is known (the verifier's running
 * sums, SPEC §19.5), and closed there: the sums' start and the board's
 * figures added */
tv_status tv__aggregate_open(tv_ctx *ctx, tv__aggregate *a, const tv_manifest *m);
tv_status tv__aggregate_close(tv__aggregate *a, const tv_point *key, const uint8_t election[32],
                              const uint8_t head[32], uint64_t entries, uint64_t electorate);
/* an entry added before taken out again (a revote replaced it, or its
 * credential was revoked): TV_ERR_INTERNAL if it cannot have been added */
tv_status tv__aggregate_remove_ballot(tv__aggregate *a, uint32_t channel,
                                      const tv_ciphertext *cts, uint32_t options);
tv_status tv__aggregate_remove_spoilt(tv__aggregate *a, uint32_t channel, tv_spoilt_reason reason);
/* the checks come first: a failure for the wrong number of answers, a
 * channel or a reason leaves the totals as they were */
/* a counted ballot's @p options ciphertexts, one per answer */
tv_status tv__aggregate_add_ballot(tv__aggregate *a, uint32_t channel,
                                   const tv_ciphertext *cts, uint32_t options);
/* a counted spoilt paper */
tv_status tv__aggregate_add_spoilt(tv__aggregate *a, uint32_t channel, tv_spoilt_reason reason);
/* one counted entry: a ballot or a spoilt paper (exactly one of them) */
tv_status tv__aggregate_add(tv__aggregate *a, uint32_t channel, const tv_ballot *ballot,
                            const tv_spoilt *spoilt);
/* the tally (the caller's), and @p a freed, whether it succeeds or not */
tv_status tv__aggregate_finish(tv__aggregate *a, tv_tally **out);
/* NULL-safe, and safe to call twice */
void tv__aggregate_free(tv__aggregate *a);

/* ---- tally.json in the record (lib/tally/tally_record.c, SPEC §18.9) ---- */

tv_status tv__record_tally_to_json(tv_ctx *ctx, char **out, const tv_tally *tally,
                                   const char *const *decryptions, size_t count);
/* the tally and each decryption written again compactly (§19.2), each
 * tv__alloc'd (tv__members_free() for the list) */
tv_status tv__record_tally_from_json(tv_ctx *ctx, char **tally, char ***decryptions,
                                     size_t *count, const char *text, size_t len);

#endif
