/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Batch verification across many proofs and signatures (SPEC §5.5): every
 * group equation of a batch of items (a ballot is one item) is weighted by
 * a fresh 128-bit random scalar and all are added up into one
 * multi-scalar multiplication (lib/crypto/p256.h), which must give the
 * point at infinity. When it does not, bisection finds every item whose
 * own equations fail, and the caller checks those one by one, so each is
 * named with the message and status its single check gives.
 *
 * Public data only. Not thread safe: one batch per thread.
 */
#ifndef TV_BATCH_H
#define TV_BATCH_H

#include "p256.h"

typedef struct tv__batch tv__batch;

/*
 * A batch whose equations may use @p key (the election key K) as a shared
 * base: its coefficient is merged like G's. Fails with TV_ERR_POINT_INVALID
 * when @p key is not a point, TV_ERR_NOMEM, TV_ERR_INTERNAL.
 */
tv_status tv__batch_new(tv_ctx *ctx, tv__batch **out, const tv_point *key);
void tv__batch_free(tv__batch *b);

/*
 * Empty the batch and draw a new seed for its weights (SPEC §5.5: 32 bytes
 * from OpenSSL's generator, never the deterministic test generator).
 */
tv_status tv__batch_start(tv__batch *b);

/* items: begin, then weights and terms, then end (kept) or drop (undone) */
void tv__batch_item_begin(tv__batch *b);
void tv__batch_item_end(tv__batch *b);
void tv__batch_item_drop(tv__batch *b);
size_t tv__batch_items(const tv__batch *b);

/* the next weight of the batch's stream: 128 bits, below n */
void tv__batch_weight(tv__batch *b, tv__sc *w);
/* the current item's equations gain k·p, k·G, k·K */
tv_status tv__batch_term(tv__batch *b, const tv__p256_affine *p, const tv__sc *k);
void tv__batch_add_g(tv__batch *b, const tv__sc *k);
void tv__batch_add_key(tv__batch *b, const tv__sc *k);
/* the batch's shared key */
const tv_point *tv__batch_key(const tv__batch *b);
/* 1 when @p point is the batch's shared key */
int tv__batch_is_key(const tv__batch *b, const tv_point *point);

/*
 * Whether the equations of every item hold. On TV_OK, @p bad (one flag per
 * item, tv__batch_items() of them) is 1 exactly for the items whose own
 * weighted sum is not infinity, found by bisection: one multi-scalar
 * multiplication for the whole batch, and when it fails one more per
 * level for each failing half.
 */
tv_status tv__batch_check(tv__batch *b, uint8_t *bad, size_t *nbad);

/* ---- the terms of one proof or signature, for the proofs' own files ---- */

/*
 * §5.3: the range proof's checks that are not group equations (its scalars
 * below n, its points on the curve, Σ c_j = c), then its 2L equations
 * added to the current item. The ciphertext's points get their
 * coefficients added to *ca and *cb instead of terms of their own: the
 * caller adds them up with those of other proofs on the same points.
 * Returns TV_OK, TV_ERR_PROOF_INVALID when a check fails (no message: the
 * single check names it), or another status on error.
 */
tv_status tv__range_batch(tv_ctx *ctx, tv__batch *b, const tv_range_branch *branch,
                          size_t branch_count, const tv_ciphertext *ct, const tv_point *key,
                          uint32_t min, uint32_t max, const uint8_t *context, size_t context_len,
                          tv__sc *ca, tv__sc *cb);

/* §6.1: a Schnorr signature's equation added to the current item */
tv_status tv__schnorr_batch(tv_ctx *ctx, tv__batch *b, const tv_schnorr_signature *sig,
                            const tv_point *public_key, const uint8_t *msg, size_t msg_len);

#endif
