/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file proof.h
 * @brief Non-interactive zero-knowledge proofs on P-256 (SPEC §5).
 *
 * Every proof is kept in commitment form: the prover's commitments (points)
 * and responses (scalars). A verifier recomputes the Fiat–Shamir challenge
 * from the hash of the whole statement, the commitments and a caller-given
 * context, then checks each verification equation. The commitment form lets
 * a verifier check many proofs at once with one random linear combination.
 *
 * The context binds a proof to where it is used: at least the election
 * fingerprint, and for ballots also the credential's public key, so a proof
 * cannot be lifted into another election or under another credential. Its
 * bytes are hashed as one field (SPEC §3); up to 64 KiB.
 *
 * Provers are constant time in their secrets (the witness, the nonces they
 * draw, and for range proofs the value): responses are computed with
 * fixed-width arithmetic mod n, and secrets reach OpenSSL only in its
 * constant-time scalar multiplication. What a prover reveals is its output
 * and whether its inputs were valid (the error). Verifiers take public
 * inputs and are not constant time.
 * Every verifier returns TV_OK only when the proof is valid; it never
 * crashes on any byte pattern in its arguments.
 *
 * Besides the statuses listed per function, any function here may return
 * TV_ERR_ENCODING (a point whose first byte is not 04) and TV_ERR_NOMEM.
 */
#ifndef TENANTVOTE_PROOF_H
#define TENANTVOTE_PROOF_H

#include "common.h"
#include "context.h"
#include "elgamal.h"
#include "group.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest context accepted by the provers and verifiers, in bytes. */
#define TV_PROOF_CONTEXT_MAX 65536

/* ---- Schnorr proof of knowledge of x with X = x·G (SPEC §5.1) ---- */

typedef struct tv_schnorr_proof {
	tv_point commitment; /**< A = w·G */
	tv_scalar response;  /**< v = w + c·x mod n */
} tv_schnorr_proof;

/**
 * Prove knowledge of @p secret (1 <= x < n) for X = x·G. Constant time in
 * @p secret and the nonce w.
 * @param[out] public_key X, computed from @p secret (NULL to skip)
 * @return TV_OK; TV_ERR_SCALAR_RANGE; TV_ERR_RANDOM; TV_ERR_INVALID_ARGUMENT;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_schnorr_prove(tv_ctx *ctx,
                                                 tv_schnorr_proof *out,
                                                 tv_point *public_key,
                                                 const tv_scalar *secret,
                                                 const uint8_t *context,
                                                 size_t context_len);

/**
 * @return TV_OK; TV_ERR_PROOF_INVALID; TV_ERR_POINT_INVALID;
 *         TV_ERR_SCALAR_RANGE; TV_ERR_INVALID_ARGUMENT; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_schnorr_verify(tv_ctx *ctx,
                                                  const tv_schnorr_proof *proof,
                                                  const tv_point *public_key,
                                                  const uint8_t *context,
                                                  size_t context_len);

/* ---- Chaum–Pedersen: log_g1 h1 = log_g2 h2 (SPEC §5.2) ---- */

typedef struct tv_cp_proof {
	tv_point commitment1; /**< a1 = w·g1 */
	tv_point commitment2; /**< a2 = w·g2 */
	tv_scalar response;   /**< v = w + c·x mod n */
} tv_cp_proof;

/**
 * Prove that h1 = x·g1 and h2 = x·g2 for the same secret x.
 * The prover checks the statement first and refuses a false one.
 * Constant time in @p secret and the nonce w (the statement check compares
 * in constant time and reveals only whether the statement holds).
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL, or the statement does not
 *         hold for @p secret); TV_ERR_POINT_INVALID; TV_ERR_SCALAR_RANGE;
 *         TV_ERR_RANDOM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_cp_prove(tv_ctx *ctx, tv_cp_proof *out,
                                            const tv_scalar *secret,
                                            const tv_point *g1,
                                            const tv_point *h1,
                                            const tv_point *g2,
                                            const tv_point *h2,
                                            const uint8_t *context,
                                            size_t context_len);

/** @return as tv_schnorr_verify(). */
TV_API TV_WARN_UNUSED tv_status tv_cp_verify(tv_ctx *ctx,
                                             const tv_cp_proof *proof,
                                             const tv_point *g1,
                                             const tv_point *h1,
                                             const tv_point *g2,
                                             const tv_point *h2,
                                             const uint8_t *context,
                                             size_t context_len);

/* ---- Disjunctive proof: a ciphertext encrypts a value in [min, max]
 *      (SPEC §5.3). A 0/1 proof is the range [0, 1]. ---- */

/** Most values a range proof can cover (max - min + 1). */
#define TV_RANGE_MAX_VALUES 32

/** One branch j, for the value min + j. */
typedef struct tv_range_branch {
	tv_point a;          /**< commitment against alpha: v_j·G - c_j·alpha */
	tv_point b;          /**< commitment against beta - (min+j)·G */
	tv_scalar challenge; /**< c_j; the c_j sum to the Fiat–Shamir challenge */
	tv_scalar response;  /**< v_j */
} tv_range_branch;

/** A proof that a ciphertext encrypts one of min..max (at most 32 values). */
typedef struct tv_range_proof {
	tv_range_branch branch[TV_RANGE_MAX_VALUES]; /**< first max-min+1 used */
} tv_range_proof;

/** A proof that a ciphertext encrypts 0 or 1: the range proof for [0, 1]. */
typedef struct tv_bit_proof {
	tv_range_branch branch[2]; /**< for 0 and for 1 */
} tv_bit_proof;

/**
 * Prove that @p ct, encrypted under @p public_key with @p nonce, holds
 * @p value, and that min <= value <= max, revealing nothing more.
 * Branches past max - min are zeroed. Constant time in @p value, @p nonce
 * and the 2L scalars it draws: every branch does the same work, whichever
 * is real. @p min, @p max and the errors (value out of range, @p ct not
 * the encryption of @p value) are public.
 * @return TV_OK; TV_ERR_RANGE_INVALID (min > max, more than
 *         TV_RANGE_MAX_VALUES values, or value outside [min, max]);
 *         TV_ERR_INVALID_ARGUMENT (NULL, or @p ct is not the encryption
 *         of @p value with @p nonce); TV_ERR_POINT_INVALID;
 *         TV_ERR_SCALAR_RANGE; TV_ERR_RANDOM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_range_prove(tv_ctx *ctx,
                                               tv_range_proof *out,
                                               const tv_ciphertext *ct,
                                               const tv_point *public_key,
                                               uint32_t min, uint32_t max,
                                               uint32_t value,
                                               const tv_scalar *nonce,
                                               const uint8_t *context,
                                               size_t context_len);

/**
 * Verify a range proof for [min, max]; branches past max - min are ignored.
 * @return TV_OK; TV_ERR_PROOF_INVALID; TV_ERR_RANGE_INVALID (bad range);
 *         TV_ERR_POINT_INVALID; TV_ERR_SCALAR_RANGE; TV_ERR_INVALID_ARGUMENT;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_range_verify(tv_ctx *ctx,
                                                const tv_range_proof *proof,
                                                const tv_ciphertext *ct,
                                                const tv_point *public_key,
                                                uint32_t min, uint32_t max,
                                                const uint8_t *context,
                                                size_t context_len);

/** tv_range_prove() for [0, 1], in the compact struct; constant time in
 *  @p value and @p nonce likewise. */
TV_API TV_WARN_UNUSED tv_status tv_bit_prove(tv_ctx *ctx, tv_bit_proof *out,
                                             const tv_ciphertext *ct,
                                             const tv_point *public_key,
                                             uint32_t value,
                                             const tv_scalar *nonce,
                                             const uint8_t *context,
                                             size_t context_len);

/** tv_range_verify() for [0, 1]. */
TV_API TV_WARN_UNUSED tv_status tv_bit_verify(tv_ctx *ctx,
                                              const tv_bit_proof *proof,
                                              const tv_ciphertext *ct,
                                              const tv_point *public_key,
                                              const uint8_t *context,
                                              size_t context_len);

#ifdef __cplusplus
}
#endif

#endif
