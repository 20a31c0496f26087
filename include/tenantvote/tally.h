/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file tally.h
 * @brief The encrypted totals and their decryption (SPEC §17.1, §17.2).
 *
 * After close, the ballot box sums, option by option, the ciphertexts of
 * the ballots that count (one entry per credential, by the revote policy)
 * and counts the spoilt papers that count, by reason. Each trustee
 * partially decrypts every sum from its own share, with proofs; any k
 * decryptions combine into the totals, which the counting rule turns into
 * a result (count.h).
 */
#ifndef TENANTVOTE_TALLY_H
#define TENANTVOTE_TALLY_H

#include "box.h"
#include "ceremony.h"
#include "common.h"
#include "context.h"
#include "count.h"
#include "elgamal.h"
#include "manifest.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The encrypted totals of a closed election (opaque). */
typedef struct tv_tally tv_tally;

/** The longest tally or decryption JSON accepted, in bytes. */
#define TV_TALLY_JSON_MAX 65536

/** The public figures of a tally. */
typedef struct tv_tally_info {
	uint8_t election[32];     /**< F */
	uint8_t head[32];         /**< the board's final head */
	uint64_t entries;         /**< entries on the board, revotes included */
	uint64_t electorate;      /**< credentials issued */
	uint64_t ballots;         /**< counted entries that are ballots */
	uint64_t spoilt[TV_SPOILT_REASONS]; /**< counted spoilt papers by reason */
	uint64_t by_channel[4];   /**< counted entries by channel */
	uint32_t options;         /**< m */
} tv_tally_info;

/**
 * Sum the counted ballots of the closed election in @p box (SPEC §17.1).
 * Each sum starts from (h·G, h·K), h = Hs("tally-start"; F, final head):
 * an encryption of 0 that no voter can aim at, so an election in which no
 * ballot counts has a tally too (every total 0).
 * @return TV_OK; TV_ERR_STATE (voting is not closed); TV_ERR_POINT_INVALID
 *         (a sum is the point at infinity: negligible); TV_ERR_DATABASE;
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_tally(tv_ctx *ctx, tv_tally **out,
                                             tv_box *box);

/**
 * tv_box_tally(), telling its progress: @p progress (may be NULL) is called
 * with "adding up the counted entries", the entries added so far and the
 * number that count (one per credential with an entry, opened ballots
 * aside), at most every 256 entries and once at the end. @p payload is
 * passed through. Same results and statuses as tv_box_tally().
 */
TV_API TV_WARN_UNUSED tv_status tv_box_tally_progress(tv_ctx *ctx, tv_tally **out,
                                                      tv_box *box, tv_progress_fn progress,
                                                      void *payload);

/** The figures of @p tally. */
TV_API void tv_tally_get_info(tv_tally_info *out, const tv_tally *tally);

/** The encrypted sum for option @p id (1..m), borrowed; NULL if none. */
TV_API const tv_ciphertext *tv_tally_sum(const tv_tally *tally, uint32_t id);

/** tally.json (SPEC §17.1), library-allocated (tv_free()). */
TV_API TV_WARN_UNUSED tv_status tv_tally_to_json(tv_ctx *ctx, char **out,
                                                 const tv_tally *tally);

/**
 * A tally from its JSON (untrusted input).
 * @return TV_OK; TV_ERR_ENCODING naming the field; TV_ERR_POINT_INVALID;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_tally_from_json(tv_ctx *ctx,
                                                   tv_tally **out,
                                                   const char *json,
                                                   size_t len);

/** Free a tally. NULL accepted. */
TV_API void tv_tally_free(tv_tally *tally);

/**
 * Trustee @p trustee's partial decryption of every sum, with proofs, as
 * the JSON of SPEC §17.2 (tv_free()). Only a tally that tv_record_tally()
 * added up from a record it checked is decrypted (SPEC §16.3): never one
 * from the ballot box (tv_box_tally()) or from JSON (tv_tally_from_json()),
 * which anyone could fill with one tenant's ciphertexts. Constant time in
 * the trustee's share.
 * @return TV_OK; TV_ERR_STATE (a tally not from tv_record_tally(), or a
 *         trustee that has not finished the ceremony);
 *         TV_ERR_WRONG_ELECTION (the trustee or tally is of another
 *         election); TV_ERR_RANDOM; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_tally_decrypt(tv_ctx *ctx, char **out,
                                                 const tv_tally *tally,
                                                 const tv_trustee *trustee,
                                                 const uint8_t fingerprint[32]);

/**
 * Check @p count trustees' decryptions (JSON of §17.2) against the
 * election key, combine any k of them into the totals (each at most the
 * number of counted ballots) and apply the counting rule of @p manifest.
 * @param[out] totals NULL, or m values: the votes per option
 * @return TV_OK; TV_ERR_PROOF_INVALID (a decryption fails its proof: the
 *         message names the trustee); TV_ERR_ENCODING (a malformed
 *         decryption); TV_ERR_POINT_INVALID, TV_ERR_SCALAR_RANGE (a
 *         point or scalar in a decryption that does not decode);
 *         TV_ERR_WRONG_ELECTION; TV_ERR_INVALID_ARGUMENT
 *         (fewer than k, a trustee twice, an unknown trustee);
 *         TV_ERR_RANGE_INVALID (a total out of range: a wrong key);
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_tally_combine(
	tv_ctx *ctx, tv_result **out, uint64_t *totals, const tv_tally *tally,
	const tv_manifest *manifest, const tv_election_key *key,
	const char *const *decryptions, size_t count);

#ifdef __cplusplus
}
#endif

#endif
