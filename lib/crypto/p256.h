/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * P-256 arithmetic of our own, for checking public data only (SPEC §5.5):
 * points from the record decoded and validated once, and one multi-scalar
 * multiplication (Pippenger's bucket method) for a whole batch of
 * equations. Nothing here is constant time, and nothing here may ever see
 * a secret: proving, signing and decrypting stay on OpenSSL's
 * constant-time paths (lib/crypto/group.c, scalar_ct.c).
 *
 * Scalars are tv__sc (four 64-bit limbs, least significant first, below
 * n); the public arithmetic on them is tv__sc_ too, whose constant time
 * costs nothing here.
 */
#ifndef TV_P256_H
#define TV_P256_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* tv__p256_affine, tv__p256_jac and tv__p256_acc are in internal.h */


/*
 * Decode the TV_POINT_BYTES of SEC1's uncompressed form, 04 || x || y,
 * into @p out. Returns 1 when x and y are below p and y^2 = x^3 - 3x + b,
 * else 0 (with @p out undefined). A 65-byte encoding cannot be the point
 * at infinity, and P-256 has cofactor 1, so every point accepted is in
 * the group of order n.
 */
int tv__p256_decode(tv__p256_affine *out, const uint8_t in[TV_POINT_BYTES]);

/* the SEC1 bytes of @p p (the inverse of tv__p256_decode) */
void tv__p256_encode(uint8_t out[TV_POINT_BYTES], const tv__p256_affine *p);

/* G, the group's generator */
void tv__p256_generator(tv__p256_affine *out);

/*
 * Σ scalars[i]·points[i]. Sets *is_infinity to 1 when the sum is the
 * point at infinity, else to 0 and, when @p sum is not NULL, writes the
 * sum's SEC1 bytes there. @p n may be 0 (the sum is then infinity).
 * Zero scalars, repeated points and points that cancel are all allowed.
 * Scratch memory comes from @p ctx's allocator; returns TV_OK, or
 * TV_ERR_NOMEM (with a message on @p ctx).
 *
 * The cost falls with short scalars: a scalar below 2^128 costs about half
 * a full one, so a batch's random weights may be 128 bits.
 */
tv_status tv__p256_msm(tv_ctx *ctx, int *is_infinity, uint8_t sum[TV_POINT_BYTES],
                       const tv__p256_affine *points, const tv__sc *scalars, size_t n);

/*
 * tv__p256_msm with its choices forced, for measuring them (bench/p256.c)
 * and for testing both bucket modes at every size: window width @p c
 * (2..15; 0 chooses by n), @p affine 1 for batched-affine buckets, 0 for
 * Jacobian ones, -1 to choose by n.
 */
tv_status tv__p256_msm_tuned(tv_ctx *ctx, int *is_infinity, uint8_t sum[TV_POINT_BYTES],
                             const tv__p256_affine *points, const tv__sc *scalars, size_t n,
                             unsigned c, int affine);


/* the empty sum (the point at infinity) */
void tv__p256_acc_init(tv__p256_acc *acc);
/* acc += p, acc -= p, acc += other */
void tv__p256_acc_add(tv__p256_acc *acc, const tv__p256_affine *p);
void tv__p256_acc_sub(tv__p256_acc *acc, const tv__p256_affine *p);
void tv__p256_acc_add_acc(tv__p256_acc *acc, const tv__p256_acc *other);
/*
 * 0 when the sum is the point at infinity (@p out untouched), else 1 with
 * the sum's SEC1 bytes in @p out.
 */
int tv__p256_acc_get(uint8_t out[TV_POINT_BYTES], const tv__p256_acc *acc);

/*
 * tv__p256_acc_get for @p n sums with one inversion between them
 * (lib/crypto/p256_many.c): ok[i] is 0 when sum i is at infinity (out[i]
 * untouched). TV_OK, or TV_ERR_NOMEM.
 */
tv_status tv__p256_acc_get_many(tv_ctx *ctx, uint8_t (*out)[TV_POINT_BYTES], uint8_t *ok,
                                const tv__p256_acc *accs, size_t n);

#endif
