/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Jacobian point arithmetic shared by p256.c and p256_msm.c. Public data
 * only (p256.h). Every function handles the point at infinity (Z = 0) on
 * either side, an addition of a point to itself (it doubles) and of a
 * point to its negation (infinity).
 */
#ifndef TV_P256_POINT_H
#define TV_P256_POINT_H

#include "p256.h"
#include "p256_field.h"

void tv__jac_dbl(tv__p256_jac *r, const tv__p256_jac *p);
/* r = p + (x2, y2), an affine point in Montgomery form; r may be p */
void tv__jac_add_affine(tv__p256_jac *r, const tv__p256_jac *p, const uint64_t x2[4],
                        const uint64_t y2[4]);
/* r = p + q; r may be p or q */
void tv__jac_add(tv__p256_jac *r, const tv__p256_jac *p, const tv__p256_jac *q);
/* 0 for infinity, else 1 and the SEC1 bytes */
int tv__jac_to_bytes(uint8_t out[TV_POINT_BYTES], const tv__p256_jac *p);

#endif
