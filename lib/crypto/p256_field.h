/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Arithmetic mod p = 2^256 - 2^224 + 2^192 + 2^96 - 1 for p256.c and
 * p256_msm.c: four 64-bit limbs, least significant first, in Montgomery
 * form (a·2^256 mod p), always fully reduced (below p) so that equality
 * and zero are limb comparisons. Public data only: nothing here is
 * constant time (p256.h).
 *
 * Montgomery rather than p's special-form (Solinas) reduction: with
 * p ≡ -1 mod 2^64 the Montgomery quotient digit is the low limb itself
 * and p's limbs are 2^64-1, 2^32-1, 0, 2^64-2^32+1, so each reduction
 * step is two multiplications; Solinas' reduction needs signed carries
 * across eight 32-bit terms, which in 64-bit limbs costs more adds and
 * branches for the same product.
 */
#ifndef TV_P256_FIELD_H
#define TV_P256_FIELD_H

#include <stdint.h>
#include <string.h>

typedef unsigned __int128 tv__u128;
typedef uint64_t tv__fe[4];

#define TV_P0 0xffffffffffffffffull
#define TV_P1 0x00000000ffffffffull
#define TV_P3 0xffffffff00000001ull

/* r = t - p when t (with its carry word @p hi) is at least p, else t */
static inline void tv__fe_final(uint64_t r[4], const uint64_t t[4], uint64_t hi)
{
	uint64_t s[4], borrow;
	tv__u128 d;

	d = (tv__u128)t[0] - TV_P0;
	s[0] = (uint64_t)d;
	borrow = (uint64_t)(d >> 64) & 1;
	d = (tv__u128)t[1] - TV_P1 - borrow;
	s[1] = (uint64_t)d;
	borrow = (uint64_t)(d >> 64) & 1;
	d = (tv__u128)t[2] - borrow;
	s[2] = (uint64_t)d;
	borrow = (uint64_t)(d >> 64) & 1;
	d = (tv__u128)t[3] - TV_P3 - borrow;
	s[3] = (uint64_t)d;
	borrow = (uint64_t)(d >> 64) & 1;
	/* t - p is negative only when it borrows and there is no carry word */
	uint64_t keep = 0 - (uint64_t)(borrow > hi); /* all ones: keep t */

	r[0] = (t[0] & keep) | (s[0] & ~keep);
	r[1] = (t[1] & keep) | (s[1] & ~keep);
	r[2] = (t[2] & keep) | (s[2] & ~keep);
	r[3] = (t[3] & keep) | (s[3] & ~keep);
}

/*
 * r = a·b·2^-256 mod p: operand-scanning products, each followed by one
 * Montgomery step. The step adds q·p with q = t[0] (since -p^-1 ≡ 1 mod
 * 2^64): q·p0 + t[0] = q·2^64 exactly, so the low word vanishes with
 * carry q, and p2 = 0 drops a product.
 */
static inline void tv__fe_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5;
	tv__u128 c;

	for (int i = 0; i < 4; i++) {
		uint64_t bi = b[i], q;

		c = (tv__u128)a[0] * bi + t0;
		t0 = (uint64_t)c;
		c = (c >> 64) + (tv__u128)a[1] * bi + t1;
		t1 = (uint64_t)c;
		c = (c >> 64) + (tv__u128)a[2] * bi + t2;
		t2 = (uint64_t)c;
		c = (c >> 64) + (tv__u128)a[3] * bi + t3;
		t3 = (uint64_t)c;
		c = (c >> 64) + t4;
		t4 = (uint64_t)c;
		t5 = (uint64_t)(c >> 64);

		q = t0;
		c = (tv__u128)q * TV_P1 + q + t1;
		t0 = (uint64_t)c;
		c = (c >> 64) + t2;
		t1 = (uint64_t)c;
		c = (c >> 64) + (tv__u128)q * TV_P3 + t3;
		t2 = (uint64_t)c;
		c = (c >> 64) + t4;
		t3 = (uint64_t)c;
		t4 = t5 + (uint64_t)(c >> 64);
	}
	{
		uint64_t t[4] = { t0, t1, t2, t3 };

		tv__fe_final(r, t, t4);
	}
}

static inline void tv__fe_sqr(uint64_t r[4], const uint64_t a[4])
{
	tv__fe_mul(r, a, a);
}

static inline void tv__fe_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t[4];
	tv__u128 c;

	c = (tv__u128)a[0] + b[0];
	t[0] = (uint64_t)c;
	c = (c >> 64) + a[1] + b[1];
	t[1] = (uint64_t)c;
	c = (c >> 64) + a[2] + b[2];
	t[2] = (uint64_t)c;
	c = (c >> 64) + a[3] + b[3];
	t[3] = (uint64_t)c;
	tv__fe_final(r, t, (uint64_t)(c >> 64));
}

static inline void tv__fe_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t[4], borrow, m;
	tv__u128 d;

	d = (tv__u128)a[0] - b[0];
	t[0] = (uint64_t)d;
	borrow = (uint64_t)(d >> 64) & 1;
	d = (tv__u128)a[1] - b[1] - borrow;
	t[1] = (uint64_t)d;
	borrow = (uint64_t)(d >> 64) & 1;
	d = (tv__u128)a[2] - b[2] - borrow;
	t[2] = (uint64_t)d;
	borrow = (uint64_t)(d >> 64) & 1;
	d = (tv__u128)a[3] - b[3] - borrow;
	t[3] = (uint64_t)d;
	borrow = (uint64_t)(d >> 64) & 1;
	/* a negative difference gets p added back (the carry out is dropped) */
	m = 0 - borrow;
	d = (tv__u128)t[0] + (TV_P0 & m);
	r[0] = (uint64_t)d;
	d = (d >> 64) + t[1] + (TV_P1 & m);
	r[1] = (uint64_t)d;
	d = (d >> 64) + t[2];
	r[2] = (uint64_t)d;
	d = (d >> 64) + t[3] + (TV_P3 & m);
	r[3] = (uint64_t)d;
}

static inline int tv__fe_is_zero(const uint64_t a[4])
{
	return (a[0] | a[1] | a[2] | a[3]) == 0;
}

static inline int tv__fe_equal(const uint64_t a[4], const uint64_t b[4])
{
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0;
}

static inline void tv__fe_copy(uint64_t r[4], const uint64_t a[4])
{
	memcpy(r, a, 4 * sizeof(uint64_t));
}

/* r = -a */
static inline void tv__fe_neg(uint64_t r[4], const uint64_t a[4])
{
	static const uint64_t zero[4] = { 0, 0, 0, 0 };

	tv__fe_sub(r, zero, a);
}

/* r = a^-1 (p256_field.c); a = 0 gives 0 */
void tv__fe_inv(uint64_t r[4], const uint64_t a[4]);

/*
 * out[i] = in[i]^-1 for @p n elements by Montgomery's trick (one inversion
 * and three multiplications each), in place allowed; @p scratch holds n.
 * Every input must be non-zero.
 */
void tv__fe_batch_inv(tv__fe *out, const tv__fe *in, tv__fe *scratch, size_t n);

/* big-endian bytes (below p: the caller checks) to Montgomery form, and back */
void tv__fe_from_bytes(uint64_t r[4], const uint8_t in[32]);
void tv__fe_to_bytes(uint8_t out[32], const uint64_t a[4]);

/* 1 when the 32 big-endian bytes are below p */
int tv__fe_bytes_below_p(const uint8_t in[32]);

/* 1 in Montgomery form (2^256 mod p) */
extern const uint64_t tv__fe_one[4];

#endif
