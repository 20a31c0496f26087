/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file group.h
 * @brief P-256 scalars and points in their canonical encodings (SPEC §2).
 *
 * A ::tv_scalar is 32 bytes, big-endian, and always below the group order
 * n. A ::tv_point is the 65-byte SEC1 uncompressed encoding 04 || x || y of
 * a point on P-256 other than infinity, with x, y below the field prime.
 *
 * These structs are plain values: they can be copied, compared with
 * tv_point_equal() and stored. Values that come from untrusted bytes must go
 * through tv_scalar_decode() / tv_point_decode() (or the _from_hex forms);
 * every function that uses a point or a scalar checks it again and fails
 * with TV_ERR_POINT_INVALID / TV_ERR_SCALAR_RANGE rather than compute with
 * a bad value.
 *
 * Constant time: tv_scalar_decode(), tv_scalar_random(), tv_scalar_add()
 * and tv_point_base_mul() are constant time in their scalars (the
 * library's fixed-width arithmetic mod n, and OpenSSL's constant-time
 * P-256 scalar multiplication). Each reveals only whether a scalar was
 * valid (the error) and, for tv_scalar_random(), how many 32-byte tries
 * the rejection sampling took. Hex decoding, point decoding and encoding
 * and tv_point_equal() take public inputs and are not constant time.
 */
#ifndef TENANTVOTE_GROUP_H
#define TENANTVOTE_GROUP_H

#include "common.h"
#include "context.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TV_SCALAR_BYTES 32 /**< bytes of a scalar */
#define TV_POINT_BYTES 65  /**< bytes of a point, SEC1 uncompressed */
/** Characters of lowercase hex, without the terminating NUL. */
#define TV_SCALAR_HEX_LEN (2 * TV_SCALAR_BYTES)
#define TV_POINT_HEX_LEN (2 * TV_POINT_BYTES) /**< of a point */

/** A scalar modulo the P-256 group order n: 32 bytes big-endian, < n. */
typedef struct tv_scalar {
	uint8_t bytes[TV_SCALAR_BYTES]; /**< big-endian */
} tv_scalar;

/** A P-256 point, SEC1 uncompressed: 0x04 || x || y, never infinity. */
typedef struct tv_point {
	uint8_t bytes[TV_POINT_BYTES]; /**< 0x04 || x || y */
} tv_point;

/**
 * Decode a scalar from exactly 32 big-endian bytes.
 * @return TV_OK; TV_ERR_ENCODING (length is not 32);
 *         TV_ERR_SCALAR_RANGE (value >= n); TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_scalar_decode(tv_ctx *ctx, tv_scalar *out,
                                                 const uint8_t *in, size_t len);

/**
 * Decode a point from its 65-byte SEC1 uncompressed encoding.
 * Compressed, hybrid and infinity encodings are refused, as are coordinates
 * not below the field prime and points not on the curve.
 * @return TV_OK; TV_ERR_ENCODING (length or prefix byte);
 *         TV_ERR_POINT_INVALID (coordinate >= p, not on the curve);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_point_decode(tv_ctx *ctx, tv_point *out,
                                                const uint8_t *in, size_t len);

/**
 * Decode a scalar from exactly 64 lowercase hex characters (@p len is the
 * number of characters; no NUL needed). Uppercase is refused: the record
 * has one spelling of every value.
 * @return as tv_scalar_decode(), TV_ERR_ENCODING for bad hex.
 */
TV_API TV_WARN_UNUSED tv_status tv_scalar_from_hex(tv_ctx *ctx, tv_scalar *out,
                                                   const char *hex, size_t len);

/** Decode a point from exactly 130 lowercase hex characters. */
TV_API TV_WARN_UNUSED tv_status tv_point_from_hex(tv_ctx *ctx, tv_point *out,
                                                  const char *hex, size_t len);

/** Write 64 lowercase hex characters and a NUL into @p out. */
TV_API void tv_scalar_to_hex(char out[TV_SCALAR_HEX_LEN + 1],
                             const tv_scalar *scalar);

/** Write 130 lowercase hex characters and a NUL into @p out. */
TV_API void tv_point_to_hex(char out[TV_POINT_HEX_LEN + 1],
                            const tv_point *point);

/**
 * Check that @p point is a valid encoding (what tv_point_decode() checks).
 * @return TV_OK, TV_ERR_ENCODING or TV_ERR_POINT_INVALID.
 */
TV_API TV_WARN_UNUSED tv_status tv_point_check(tv_ctx *ctx,
                                               const tv_point *point);

/**
 * A uniformly random scalar in [1, n-1] from RAND_priv_bytes (rejection
 * sampling, no modular bias), for secret keys and nonces. Wipe it with
 * tv_scalar_wipe() when done.
 * @return TV_OK; TV_ERR_RANDOM; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_scalar_random(tv_ctx *ctx, tv_scalar *out);

/**
 * @p out = @p k · G. Constant time in @p k.
 * @return TV_OK; TV_ERR_SCALAR_RANGE (k >= n or k = 0: the result would be
 *         infinity, which has no encoding); TV_ERR_INVALID_ARGUMENT;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_point_base_mul(tv_ctx *ctx, tv_point *out,
                                                  const tv_scalar *k);

/**
 * @p out = @p a + @p b mod n, for combining secrets (the nonce of a sum of
 * ciphertexts is the sum of their nonces). @p out may alias an input.
 * Constant time in @p a and @p b.
 * @return TV_OK; TV_ERR_SCALAR_RANGE; TV_ERR_INVALID_ARGUMENT;
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_scalar_add(tv_ctx *ctx, tv_scalar *out,
                                              const tv_scalar *a,
                                              const tv_scalar *b);

/** The generator G of P-256. */
TV_API void tv_point_generator(tv_point *out);

/** Non-zero when the two encodings are identical. Not constant time. */
TV_API int tv_point_equal(const tv_point *a, const tv_point *b);

/** Overwrite a secret scalar with zeros (OPENSSL_cleanse). NULL accepted. */
TV_API void tv_scalar_wipe(tv_scalar *scalar);

#ifdef __cplusplus
}
#endif

#endif
