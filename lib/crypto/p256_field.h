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

/*
 * The carry chains are written with 64-bit words and comparisons rather
 * than 128-bit sums: gcc 12 spills the zero-extended halves of 128-bit
 * additions to the stack, which made the product half again as slow.
 */

/* (carry, t) = a·b + t + carry */
#define TV_FE_MAC(t, carry, a, b)                                              \
	do {                                                                   \
		tv__u128 p_ = (tv__u128)(a) * (b);                             \
		uint64_t lo_ = (uint64_t)p_, hi_ = (uint64_t)(p_ >> 64);       \
		lo_ += (t);                                                    \
		hi_ += lo_ < (t);                                              \
		lo_ += (carry);                                                \
		hi_ += lo_ < (carry);                                          \
		(t) = lo_;                                                     \
		(carry) = hi_;                                                 \
	} while (0)

/* (carry, t) = t + x + carry, carry at most 1 in and out */
#define TV_FE_ADC(t, carry, x)                                                 \
	do {                                                                   \
		uint64_t s_ = (t) + (carry);                                   \
		uint64_t c_ = s_ < (carry);                                    \
		s_ += (x);                                                     \
		c_ += s_ < (x);                                                \
		(t) = s_;                                                      \
		(carry) = c_;                                                  \
	} while (0)

/* (carry, t) = t + carry */
#define TV_FE_ADD_CARRY(t, carry)                                              \
	do {                                                                   \
		(t) += (carry);                                                \
		(carry) = (t) < (carry);                                       \
	} while (0)

/*
 * r = t - p when t (with its carry word @p hi) is at least p, else t:
 * t + (2^256 - p) carries out exactly when t >= p, and its low 256 bits
 * are then t - p.
 */
static inline void tv__fe_final(uint64_t r[4], uint64_t t0, uint64_t t1, uint64_t t2,
                                uint64_t t3, uint64_t hi)
{
	uint64_t s0 = t0, s1 = t1, s2 = t2, s3 = t3, c = 0, m;

	TV_FE_ADC(s0, c, 1);
	TV_FE_ADC(s1, c, 0xffffffff00000000ull);
	TV_FE_ADC(s2, c, 0xffffffffffffffffull);
	TV_FE_ADC(s3, c, 0x00000000fffffffeull);
	m = 0 - (c | hi); /* all ones: take t - p */
	r[0] = (s0 & m) | (t0 & ~m);
	r[1] = (s1 & m) | (t1 & ~m);
	r[2] = (s2 & m) | (t2 & ~m);
	r[3] = (s3 & m) | (t3 & ~m);
}

/*
 * r = a·b·2^-256 mod p: each row t += a·b[i] is followed by one
 * Montgomery step. The step adds q·p with q = t0 (since -p^-1 ≡ 1 mod
 * 2^64): q·p0 + t0 = q·2^64 exactly, so the low word vanishes with carry
 * q, and p2 = 0 drops a product. t stays below 2p.
 */
#define TV_FE_ROW(bi)                                                          \
	do {                                                                   \
		uint64_t k_ = 0, b_ = (bi);                                    \
		TV_FE_MAC(t0, k_, a0, b_);                                     \
		TV_FE_MAC(t1, k_, a1, b_);                                     \
		TV_FE_MAC(t2, k_, a2, b_);                                     \
		TV_FE_MAC(t3, k_, a3, b_);                                     \
		TV_FE_ADD_CARRY(t4, k_);                                          \
		t5 = k_;                                                       \
	} while (0)
#define TV_FE_REDUCE()                                                         \
	do {                                                                   \
		uint64_t q_ = t0, k_ = t0;                                     \
		TV_FE_MAC(t1, k_, q_, TV_P1);                                  \
		TV_FE_ADD_CARRY(t2, k_);                                          \
		TV_FE_MAC(t3, k_, q_, TV_P3);                                  \
		TV_FE_ADD_CARRY(t4, k_);                                          \
		t5 += k_;                                                      \
		t0 = t1;                                                       \
		t1 = t2;                                                       \
		t2 = t3;                                                       \
		t3 = t4;                                                       \
		t4 = t5;                                                       \
	} while (0)

static inline void tv__fe_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
	uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
	uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;

	TV_FE_ROW(b0);
	TV_FE_REDUCE();
	TV_FE_ROW(b1);
	TV_FE_REDUCE();
	TV_FE_ROW(b2);
	TV_FE_REDUCE();
	TV_FE_ROW(b3);
	TV_FE_REDUCE();
	tv__fe_final(r, t0, t1, t2, t3, t4);
}

static inline void tv__fe_sqr(uint64_t r[4], const uint64_t a[4])
{
	tv__fe_mul(r, a, a);
}

static inline void tv__fe_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t0 = a[0], t1 = a[1], t2 = a[2], t3 = a[3], c = 0;

	TV_FE_ADC(t0, c, b[0]);
	TV_FE_ADC(t1, c, b[1]);
	TV_FE_ADC(t2, c, b[2]);
	TV_FE_ADC(t3, c, b[3]);
	tv__fe_final(r, t0, t1, t2, t3, c);
}

static inline void tv__fe_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t0, t1, t2, t3, borrow, m, c;

	/* a - b = a + ~b + 1 - 2^256: no carry out means it went negative */
	t0 = a[0];
	t1 = a[1];
	t2 = a[2];
	t3 = a[3];
	c = 1;
	TV_FE_ADC(t0, c, ~b[0]);
	TV_FE_ADC(t1, c, ~b[1]);
	TV_FE_ADC(t2, c, ~b[2]);
	TV_FE_ADC(t3, c, ~b[3]);
	borrow = c ^ 1;
	/* a negative difference gets p added back (the carry out is dropped) */
	m = 0 - borrow;
	c = 0;
	TV_FE_ADC(t0, c, TV_P0 & m);
	TV_FE_ADC(t1, c, TV_P1 & m);
	TV_FE_ADD_CARRY(t2, c);
	TV_FE_ADC(t3, c, TV_P3 & m);
	r[0] = t0;
	r[1] = t1;
	r[2] = t2;
	r[3] = t3;
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
