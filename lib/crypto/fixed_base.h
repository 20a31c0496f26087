/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A precomputed table for multiplying one fixed point (the election key K)
 * by secret scalars, as fast as OpenSSL multiplies G: a copy of P-256
 * whose generator is K, with OpenSSL's own precomputation for it (on
 * x86-64, ecp_nistz256's constant-time comb: every lookup reads the whole
 * row, the scalar is Booth-recoded without branches). Built once per
 * session that makes many ballots (an intake run), used by one thread.
 */
#ifndef TV_FIXED_BASE_H
#define TV_FIXED_BASE_H

#include "internal.h"

typedef struct tv__fixed_base tv__fixed_base;

/*
 * The table for @p base. Fails with TV_ERR_POINT_INVALID when @p base is
 * not a point of P-256 other than infinity, TV_ERR_NOMEM, TV_ERR_INTERNAL.
 */
tv_status tv__fixed_base_new(tv_ctx *ctx, tv__fixed_base **out, const tv_point *base);
void tv__fixed_base_free(tv__fixed_base *fb);

/* the point the table is for */
const tv_point *tv__fixed_base_point(const tv__fixed_base *fb);

/*
 * 1 when the table is OpenSSL's P-256 method with a precomputation for
 * this point (the fast, constant-time path), 0 when OpenSSL multiplies by
 * its generic ladder instead (still constant time, not faster).
 */
int tv__fixed_base_precomputed(const tv__fixed_base *fb);

/* @p r (a point of ctx->group) = @p k·base, @p k a BN_FLG_CONSTTIME secret */
tv_status tv__fixed_base_mul_secret(tv_ctx *ctx, EC_POINT *r, const tv__fixed_base *fb,
                                    const BIGNUM *k);

/*
 * tv_elgamal_encrypt under the table's point (SPEC §4; in elgamal.c, beside
 * the encryption it shares): a fresh secret nonce r into @p nonce, and
 * (r·G, v·G + r·K) with r·K from the table.
 */
tv_status tv__elgamal_encrypt_fixed(tv_ctx *ctx, tv_ciphertext *out, tv_scalar *nonce,
                                    const tv__fixed_base *fb, uint32_t value);

#endif
