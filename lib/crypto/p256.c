/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * P-256 points on public data (p256.h): decoding and validation, Jacobian
 * doubling and additions with every edge case, and the accumulator.
 * Nothing here is constant time and nothing here may see a secret.
 *
 * Jacobian (X, Y, Z) stands for (X/Z^2, Y/Z^3); Z = 0 is the point at
 * infinity. P-256 has no point of order 2, so y is never 0 on a finite
 * point and a doubling never lands on infinity.
 */
#include <string.h>

#include "p256.h"
#include "p256_point.h"

/* b of y^2 = x^3 - 3x + b, and G (SEC 2), as big-endian bytes */
static const uint8_t curve_b[32] = {
	0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd,
	0x55, 0x76, 0x98, 0x86, 0xbc, 0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53,
	0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
};
static const uint8_t generator_bytes[TV_POINT_BYTES] = {
	0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6,
	0xe5, 0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33,
	0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96, 0x4f, 0xe3, 0x42,
	0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e,
	0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40,
	0x68, 0x37, 0xbf, 0x51, 0xf5,
};

int tv__p256_decode(tv__p256_affine *out, const uint8_t in[TV_POINT_BYTES])
{
	uint64_t b[4], lhs[4], rhs[4], t[4];

	if (in[0] != 0x04 || !tv__fe_bytes_below_p(in + 1) || !tv__fe_bytes_below_p(in + 33))
		return 0;
	tv__fe_from_bytes(out->x, in + 1);
	tv__fe_from_bytes(out->y, in + 33);
	tv__fe_from_bytes(b, curve_b);
	tv__fe_sqr(lhs, out->y);
	/* x^3 - 3x + b = (x^2 - 3)·x + b */
	tv__fe_sqr(rhs, out->x);
	tv__fe_add(t, tv__fe_one, tv__fe_one);
	tv__fe_add(t, t, tv__fe_one);
	tv__fe_sub(rhs, rhs, t);
	tv__fe_mul(rhs, rhs, out->x);
	tv__fe_add(rhs, rhs, b);
	return tv__fe_equal(lhs, rhs);
}

void tv__p256_encode(uint8_t out[TV_POINT_BYTES], const tv__p256_affine *p)
{
	out[0] = 0x04;
	tv__fe_to_bytes(out + 1, p->x);
	tv__fe_to_bytes(out + 33, p->y);
}

void tv__p256_generator(tv__p256_affine *out)
{
	tv__fe_from_bytes(out->x, generator_bytes + 1);
	tv__fe_from_bytes(out->y, generator_bytes + 33);
}

/* dbl-2001-b (a = -3): 3M + 5S */
void tv__jac_dbl(tv__p256_jac *r, const tv__p256_jac *p)
{
	uint64_t delta[4], gamma[4], beta[4], alpha[4], t[4], u[4];

	if (tv__fe_is_zero(p->z)) {
		*r = *p;
		return;
	}
	tv__fe_sqr(delta, p->z);
	tv__fe_sqr(gamma, p->y);
	tv__fe_mul(beta, p->x, gamma);
	tv__fe_sub(t, p->x, delta);
	tv__fe_add(u, p->x, delta);
	tv__fe_mul(alpha, t, u);
	tv__fe_add(t, alpha, alpha);
	tv__fe_add(alpha, alpha, t);
	/* Z3 = (Y + Z)^2 - gamma - delta, before X and Y are overwritten */
	tv__fe_add(t, p->y, p->z);
	tv__fe_sqr(t, t);
	tv__fe_sub(t, t, gamma);
	tv__fe_sub(r->z, t, delta);
	/* X3 = alpha^2 - 8 beta */
	tv__fe_add(beta, beta, beta);
	tv__fe_add(beta, beta, beta); /* 4 beta */
	tv__fe_sqr(t, alpha);
	tv__fe_add(u, beta, beta);
	tv__fe_sub(r->x, t, u);
	/* Y3 = alpha (4 beta - X3) - 8 gamma^2 */
	tv__fe_sub(t, beta, r->x);
	tv__fe_mul(t, alpha, t);
	tv__fe_sqr(u, gamma);
	tv__fe_add(u, u, u);
	tv__fe_add(u, u, u);
	tv__fe_add(u, u, u);
	tv__fe_sub(r->y, t, u);
}

/*
 * The tail shared by both additions, once H = U2 - U1 and R = S2 - S1 are
 * known and H is non-zero: X3 = R^2 - H^3 - 2 U1 H^2,
 * Y3 = R (U1 H^2 - X3) - S1 H^3; the caller sets Z3.
 */
static void add_tail(tv__p256_jac *r, const uint64_t u1[4], const uint64_t s1[4],
                     const uint64_t h[4], const uint64_t rr[4])
{
	uint64_t hh[4], hhh[4], v[4], t[4];

	tv__fe_sqr(hh, h);
	tv__fe_mul(hhh, h, hh);
	tv__fe_mul(v, u1, hh);
	tv__fe_sqr(t, rr);
	tv__fe_sub(t, t, hhh);
	tv__fe_sub(t, t, v);
	tv__fe_sub(r->x, t, v);
	tv__fe_sub(t, v, r->x);
	tv__fe_mul(t, rr, t);
	tv__fe_mul(v, s1, hhh);
	tv__fe_sub(r->y, t, v);
}

/* r = p + (x2, y2): 8M + 3S; r may be p */
void tv__jac_add_affine(tv__p256_jac *r, const tv__p256_jac *p, const uint64_t x2[4],
                        const uint64_t y2[4])
{
	uint64_t z1z1[4], u2[4], s2[4], h[4], rr[4], u1[4], s1[4];

	if (tv__fe_is_zero(p->z)) {
		tv__fe_copy(r->x, x2);
		tv__fe_copy(r->y, y2);
		tv__fe_copy(r->z, tv__fe_one);
		return;
	}
	tv__fe_sqr(z1z1, p->z);
	tv__fe_mul(u2, x2, z1z1);
	tv__fe_mul(s2, p->z, z1z1);
	tv__fe_mul(s2, y2, s2);
	tv__fe_sub(h, u2, p->x);
	tv__fe_sub(rr, s2, p->y);
	if (tv__fe_is_zero(h)) {
		if (tv__fe_is_zero(rr))
			tv__jac_dbl(r, p); /* the same point */
		else
			memset(r, 0, sizeof(*r)); /* p + (-p) */
		return;
	}
	tv__fe_copy(u1, p->x);
	tv__fe_copy(s1, p->y);
	tv__fe_mul(r->z, p->z, h);
	add_tail(r, u1, s1, h, rr);
}

/* r = p + q: 12M + 4S; r may be p or q */
void tv__jac_add(tv__p256_jac *r, const tv__p256_jac *p, const tv__p256_jac *q)
{
	uint64_t z1z1[4], z2z2[4], u1[4], u2[4], s1[4], s2[4], h[4], rr[4];

	if (tv__fe_is_zero(p->z)) {
		*r = *q;
		return;
	}
	if (tv__fe_is_zero(q->z)) {
		*r = *p;
		return;
	}
	tv__fe_sqr(z1z1, p->z);
	tv__fe_sqr(z2z2, q->z);
	tv__fe_mul(u1, p->x, z2z2);
	tv__fe_mul(u2, q->x, z1z1);
	tv__fe_mul(s1, q->z, z2z2);
	tv__fe_mul(s1, p->y, s1);
	tv__fe_mul(s2, p->z, z1z1);
	tv__fe_mul(s2, q->y, s2);
	tv__fe_sub(h, u2, u1);
	tv__fe_sub(rr, s2, s1);
	if (tv__fe_is_zero(h)) {
		if (tv__fe_is_zero(rr))
			tv__jac_dbl(r, p);
		else
			memset(r, 0, sizeof(*r));
		return;
	}
	tv__fe_mul(z1z1, p->z, q->z);
	tv__fe_mul(r->z, z1z1, h);
	add_tail(r, u1, s1, h, rr);
}

int tv__jac_to_bytes(uint8_t out[TV_POINT_BYTES], const tv__p256_jac *p)
{
	tv__p256_affine a;
	uint64_t zi[4], zi2[4];

	if (tv__fe_is_zero(p->z))
		return 0;
	tv__fe_inv(zi, p->z);
	tv__fe_sqr(zi2, zi);
	tv__fe_mul(a.x, p->x, zi2);
	tv__fe_mul(zi2, zi2, zi);
	tv__fe_mul(a.y, p->y, zi2);
	tv__p256_encode(out, &a);
	return 1;
}

void tv__p256_acc_init(tv__p256_acc *acc)
{
	memset(acc, 0, sizeof(*acc));
}

void tv__p256_acc_add(tv__p256_acc *acc, const tv__p256_affine *p)
{
	tv__jac_add_affine(&acc->j, &acc->j, p->x, p->y);
}

void tv__p256_acc_sub(tv__p256_acc *acc, const tv__p256_affine *p)
{
	uint64_t y[4];

	tv__fe_neg(y, p->y);
	tv__jac_add_affine(&acc->j, &acc->j, p->x, y);
}

void tv__p256_acc_add_acc(tv__p256_acc *acc, const tv__p256_acc *other)
{
	tv__jac_add(&acc->j, &acc->j, &other->j);
}

int tv__p256_acc_get(uint8_t out[TV_POINT_BYTES], const tv__p256_acc *acc)
{
	return tv__jac_to_bytes(out, &acc->j);
}
