/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file elgamal.h
 * @brief Exponential ElGamal on P-256 (SPEC §4).
 *
 * A value v is encrypted under the public key K with the nonce r as
 * (alpha, beta) = (r·G, v·G + r·K). Ciphertexts add: the sum of the
 * encryptions of v1 and v2 is an encryption of v1 + v2, which is how the
 * count is taken without decrypting any ballot.
 *
 * Besides the statuses listed per function, any function here may return
 * TV_ERR_ENCODING (a point whose first byte is not 04) and TV_ERR_NOMEM.
 */
#ifndef TENANTVOTE_ELGAMAL_H
#define TENANTVOTE_ELGAMAL_H

#include "common.h"
#include "context.h"
#include "group.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An exponential ElGamal ciphertext (alpha, beta). */
typedef struct tv_ciphertext {
	tv_point alpha; /**< r·G */
	tv_point beta;  /**< v·G + r·K */
} tv_ciphertext;

/**
 * Encrypt @p value under @p public_key with a fresh random nonce.
 *
 * @param[out] out        the ciphertext
 * @param[out] nonce      the nonce r, a secret the caller needs for the
 *                        proofs about this ciphertext; wipe it after use
 * @param      public_key the election's joint public key K
 * @param      value      the plaintext (a vote is 0 or 1)
 * @return TV_OK; TV_ERR_POINT_INVALID (bad key); TV_ERR_RANDOM;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_INTERNAL. Constant time in
 *         @p value (known to the ballot's prover only), in the nonce and
 *         in the blinding scalar t (SPEC §4.5): v + t is fixed-width
 *         arithmetic mod n, and they reach OpenSSL only in its
 *         constant-time scalar multiplication and point addition.
 */
TV_API TV_WARN_UNUSED tv_status tv_elgamal_encrypt(tv_ctx *ctx,
                                                   tv_ciphertext *out,
                                                   tv_scalar *nonce,
                                                   const tv_point *public_key,
                                                   uint32_t value);

/**
 * Encrypt with a given nonce (1 <= r < n): for re-checking an opened
 * (challenged) ballot and for test vectors. Never reuse a nonce to encrypt.
 * Constant time in @p value and @p nonce, as tv_elgamal_encrypt(); only
 * whether the nonce is valid is revealed (the error).
 * @return as tv_elgamal_encrypt(); TV_ERR_SCALAR_RANGE for a bad nonce.
 */
TV_API TV_WARN_UNUSED tv_status tv_elgamal_encrypt_with_nonce(
	tv_ctx *ctx, tv_ciphertext *out, const tv_point *public_key,
	uint32_t value, const tv_scalar *nonce);

/**
 * @p out = @p a + @p b, component by component. @p out may alias an input.
 * @return TV_OK; TV_ERR_POINT_INVALID (an input point is invalid, or the
 *         sum is the point at infinity, which happens only with negligible
 *         probability for honest ciphertexts); TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ciphertext_add(tv_ctx *ctx,
                                                  tv_ciphertext *out,
                                                  const tv_ciphertext *a,
                                                  const tv_ciphertext *b);

/**
 * Decrypt with the whole secret key x, for values up to @p max_value, by
 * searching v·G = beta - x·alpha. Real elections never hold x in one place
 * (the trustees each hold a share); this is for tests and tools.
 * Constant time in @p secret_key; the search takes time that depends on
 * the value found, which is the output.
 * @return TV_OK; TV_ERR_RANGE_INVALID (not an encryption of a value in
 *         [0, max_value]); TV_ERR_POINT_INVALID; TV_ERR_SCALAR_RANGE.
 */
TV_API TV_WARN_UNUSED tv_status tv_elgamal_decrypt(tv_ctx *ctx,
                                                   uint32_t *value,
                                                   const tv_ciphertext *ct,
                                                   const tv_scalar *secret_key,
                                                   uint32_t max_value);

#ifdef __cplusplus
}
#endif

#endif
