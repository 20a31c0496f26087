/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file decrypt.h
 * @brief Threshold decryption by the trustees (SPEC §16.2).
 *
 * No one holds the election secret key. Each trustee l holds a share x_l
 * from the key ceremony and publishes, for a ciphertext (alpha, beta), its
 * partial decryption M_l = x_l·alpha with a Chaum–Pedersen proof that it
 * used the same x_l as its public verification key X_l = x_l·G. Any k
 * valid partial decryptions combine, with Lagrange coefficients, into
 * v·G = beta − Σ λ_l·M_l, and the small value v is found by search.
 * Fewer than k reveal nothing about v.
 */
#ifndef TENANTVOTE_DECRYPT_H
#define TENANTVOTE_DECRYPT_H

#include "ceremony.h"
#include "common.h"
#include "context.h"
#include "elgamal.h"
#include "group.h"
#include "proof.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One trustee's partial decryption of one ciphertext, with its proof. */
typedef struct tv_partial_decryption {
	uint32_t trustee;  /**< l, 1..n */
	tv_point share;    /**< M_l = x_l·alpha */
	tv_cp_proof proof; /**< log_G X_l = log_alpha M_l, context F || u32be(l) */
} tv_partial_decryption;

/**
 * Decrypts nothing, and always fails: a trustee's share decrypts only the
 * sums that the trustee's own software added up from a record it checked
 * (tv_record_tally(), then tv_tally_decrypt()). A call that decrypted any
 * ciphertext it was given would let whoever hands a trustee a "tally" aim
 * the threshold at one tenant's ballot (SPEC §16.3). Kept for the ABI.
 * @return TV_ERR_STATE.
 */
TV_API TV_WARN_UNUSED tv_status tv_partial_decrypt(
	tv_ctx *ctx, tv_partial_decryption *out, const tv_trustee *trustee,
	const tv_ciphertext *ct, const uint8_t fingerprint[32]);

/**
 * Check a partial decryption against the trustee's verification key.
 * @return TV_OK; TV_ERR_PROOF_INVALID (the message names the trustee);
 *         TV_ERR_POINT_INVALID; TV_ERR_ENCODING; TV_ERR_SCALAR_RANGE;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_partial_verify(
	tv_ctx *ctx, const tv_partial_decryption *pd,
	const tv_point *verification_key, const tv_ciphertext *ct,
	const uint8_t fingerprint[32]);

/**
 * Check @p count partial decryptions from distinct trustees against the
 * election key's verification keys, then combine them into the value of
 * @p ct, searching 0..@p max_value. Every part is verified here: a wrong
 * part could otherwise move the total to another plausible value.
 * @return TV_OK; TV_ERR_PROOF_INVALID (a part fails its proof; the message
 *         names the trustee); TV_ERR_INVALID_ARGUMENT (fewer parts than the
 *         key's threshold, a repeated or unknown trustee, NULL);
 *         TV_ERR_RANGE_INVALID (no value in 0..max_value);
 *         TV_ERR_POINT_INVALID; TV_ERR_ENCODING; TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_decrypt_combine(
	tv_ctx *ctx, uint32_t *value, const tv_ciphertext *ct,
	const tv_partial_decryption *parts, size_t count,
	const tv_election_key *key, const uint8_t fingerprint[32],
	uint32_t max_value);

#ifdef __cplusplus
}
#endif

#endif
