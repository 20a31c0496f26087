/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file signature.h
 * @brief Schnorr signatures on P-256 (credentials) and Ed25519 (ballot box),
 *        SPEC §6.
 *
 * Credentials sign ballots with Schnorr over P-256, kept in commitment form
 * (R, s) so that a verifier can batch them. Signing nonces are hedged: they
 * hash the secret key, the message and fresh randomness, so neither a weak
 * random generator nor a fault alone can repeat a nonce.
 *
 * The ballot box signs receipts and the closing board head with Ed25519
 * (RFC 8032, through OpenSSL's EVP interface).
 */
#ifndef TENANTVOTE_SIGNATURE_H
#define TENANTVOTE_SIGNATURE_H

#include "common.h"
#include "context.h"
#include "group.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A Schnorr signature on P-256 in commitment form. */
typedef struct tv_schnorr_signature {
	tv_point commitment; /**< R = k·G */
	tv_scalar response;  /**< s = k + e·x mod n */
} tv_schnorr_signature;

/**
 * Sign @p msg with @p secret (1 <= x < n). Constant time in @p secret and
 * in the nonce k: s = k + e·x is fixed-width arithmetic, and x and k reach
 * OpenSSL only in its constant-time scalar multiplication and in SHA-256.
 * Revealed: whether x is valid (the error), R, s, and how many nonce
 * candidates were tried (almost always one).
 * @return TV_OK; TV_ERR_SCALAR_RANGE (secret zero or not below n);
 *         TV_ERR_RANDOM; TV_ERR_INVALID_ARGUMENT (NULL, or a message of
 *         4 GiB or more); TV_ERR_NOMEM; TV_ERR_INTERNAL.
 * The signature binds nothing but the key and @p msg: a message must carry
 * its own context (election fingerprint, purpose), as SPEC's signed
 * objects do.
 */
TV_API TV_WARN_UNUSED tv_status tv_schnorr_sign(tv_ctx *ctx,
                                                tv_schnorr_signature *out,
                                                const tv_scalar *secret,
                                                const uint8_t *msg,
                                                size_t msg_len);

/**
 * @return TV_OK; TV_ERR_SIGNATURE_INVALID; TV_ERR_ENCODING and
 *         TV_ERR_POINT_INVALID (malformed R or key); TV_ERR_SCALAR_RANGE
 *         (s not below n); TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_schnorr_signature_verify(
	tv_ctx *ctx, const tv_schnorr_signature *sig, const tv_point *public_key,
	const uint8_t *msg, size_t msg_len);

#define TV_ED25519_PUBLIC_BYTES 32    /**< bytes of a public key */
#define TV_ED25519_SECRET_BYTES 32    /**< bytes of a secret key */
#define TV_ED25519_SIGNATURE_BYTES 64 /**< bytes of a signature */

/** An Ed25519 public key (RFC 8032 encoding). */
typedef struct tv_ed25519_public_key {
	uint8_t bytes[TV_ED25519_PUBLIC_BYTES]; /**< the key */
} tv_ed25519_public_key;

/** An Ed25519 secret key: the 32-byte seed of RFC 8032. Wipe after use. */
typedef struct tv_ed25519_secret_key {
	uint8_t bytes[TV_ED25519_SECRET_BYTES]; /**< the seed */
} tv_ed25519_secret_key;

/** An Ed25519 signature (R || S). */
typedef struct tv_ed25519_signature {
	uint8_t bytes[TV_ED25519_SIGNATURE_BYTES]; /**< R || S */
} tv_ed25519_signature;

/**
 * A new key pair; the seed comes from RAND_priv_bytes.
 * @return TV_OK; TV_ERR_RANDOM; TV_ERR_INVALID_ARGUMENT; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ed25519_keygen(tv_ctx *ctx,
                                                  tv_ed25519_secret_key *secret,
                                                  tv_ed25519_public_key *pub);

/** The public key of a secret key. */
TV_API TV_WARN_UNUSED tv_status tv_ed25519_public_from_secret(
	tv_ctx *ctx, tv_ed25519_public_key *pub,
	const tv_ed25519_secret_key *secret);

/**
 * Sign @p msg (RFC 8032 Ed25519, deterministic).
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ed25519_sign(
	tv_ctx *ctx, tv_ed25519_signature *out,
	const tv_ed25519_secret_key *secret, const uint8_t *msg, size_t msg_len);

/**
 * Verify as RFC 8032 with OpenSSL (S >= L refused), and refuse public keys
 * that are not canonical encodings or are points of small order (SPEC §6.2):
 * with those, a signature could be made without any secret.
 * @return TV_OK; TV_ERR_SIGNATURE_INVALID (bad signature or refused key);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ed25519_verify(
	tv_ctx *ctx, const tv_ed25519_signature *sig,
	const tv_ed25519_public_key *pub, const uint8_t *msg, size_t msg_len);

/** Overwrite a secret key with zeros. NULL accepted. */
TV_API void tv_ed25519_secret_wipe(tv_ed25519_secret_key *secret);

#ifdef __cplusplus
}
#endif

#endif
