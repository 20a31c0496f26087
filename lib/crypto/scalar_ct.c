/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Constant-time arithmetic on scalars mod n, the P-256 group order, for
 * secrets (keys, nonces, shares, votes). OpenSSL's BIGNUMs are variable
 * width: their length, and the branches of BN_mod_add and friends, follow
 * the value. Here a scalar is four 64-bit limbs, least significant first,
 * always below n, and every function runs the same instructions and
 * touches the same memory whatever the values: no branch and no memory
 * index depends on a limb, and every loop has a fixed count. Choices are
 * made with masks (0 or all ones) that pass through value_barrier(), so
 * the compiler cannot turn them back into branches.
 *
 * Multiplication is Montgomery's (CIOS, R = 2^256): mont(a, b) = a·b/R mod
 * n, and a·b mod n = mont(mont(a, b), R^2 mod n).
 */
#include <string.h>

#include "internal.h"

__extension__ typedef unsigned __int128 u128;

/* n, least significant limb first */
static const uint64_t N[4] = {
	UINT64_C(0xf3b9cac2fc632551), UINT64_C(0xbce6faada7179e84),
	UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffff00000000),
};
/* -n^-1 mod 2^64 */
static const uint64_t N0 = UINT64_C(0xccd1c8aaee00bc4f);
/* R^2 mod n, R = 2^256 */
static const uint64_t R2[4] = {
	UINT64_C(0x83244c95be79eea2), UINT64_C(0x4699799c49bd6fa6),
	UINT64_C(0x2845b2392b6bec59), UINT64_C(0x66e12d94f3d95620),
};

/* An opaque copy of @p x: the compiler cannot know it is 0 or all ones. */
static inline uint64_t value_barrier(uint64_t x)
{
	__asm__("" : "+r"(x));
	return x;
}

/* all ones when @p bit (0 or 1) is 1 */
static inline uint64_t mask_of(uint64_t bit)
{
	return value_barrier(0 - bit);
}

static inline void select4(uint64_t r[4], uint64_t mask, const uint64_t a[4],
                           const uint64_t b[4])
{
	int i;

	for (i = 0; i < 4; i++)
		r[i] = (a[i] & mask) | (b[i] & ~mask);
}

/* r = a - b mod 2^256; returns the borrow (0 or 1) */
static inline uint64_t sub4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t borrow = 0;
	int i;

	for (i = 0; i < 4; i++) {
		u128 d = (u128)a[i] - b[i] - borrow;

		r[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	return borrow;
}

/* r = a + b mod 2^256; returns the carry (0 or 1) */
static inline uint64_t add4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < 4; i++) {
		u128 s = (u128)a[i] + b[i] + carry;

		r[i] = (uint64_t)s;
		carry = (uint64_t)(s >> 64);
	}
	return carry;
}

/* r = (hi·2^256 + t) mod n, for hi·2^256 + t < 2n */
static void reduce_once(uint64_t r[4], uint64_t hi, const uint64_t t[4])
{
	uint64_t u[4];
	uint64_t borrow = sub4(u, t, N);

	/* t + hi·2^256 >= n exactly when hi is set or t - n did not borrow */
	select4(r, mask_of((hi | (borrow ^ 1)) & 1), u, t);
	tv__memzero(u, sizeof(u));
}

/*
 * r = a·b/R mod n for a < 2^256 and b < n: the sum stays below 2n
 * (a·b + m·n < R·n + R·n), so one conditional subtraction ends it.
 */
static void mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t[6] = { 0, 0, 0, 0, 0, 0 };
	int i, j;

	for (i = 0; i < 4; i++) {
		uint64_t carry = 0, m;
		u128 p;

		/* t += a·b[i] */
		for (j = 0; j < 4; j++) {
			p = (u128)a[j] * b[i] + t[j] + carry;
			t[j] = (uint64_t)p;
			carry = (uint64_t)(p >> 64);
		}
		p = (u128)t[4] + carry;
		t[4] = (uint64_t)p;
		t[5] = (uint64_t)(p >> 64);
		/* t = (t + m·n) / 2^64, with m chosen so the low limb is 0 */
		m = t[0] * N0;
		p = (u128)m * N[0] + t[0];
		carry = (uint64_t)(p >> 64);
		for (j = 1; j < 4; j++) {
			p = (u128)m * N[j] + t[j] + carry;
			t[j - 1] = (uint64_t)p;
			carry = (uint64_t)(p >> 64);
		}
		p = (u128)t[4] + carry;
		t[3] = (uint64_t)p;
		t[4] = t[5] + (uint64_t)(p >> 64);
	}
	reduce_once(r, t[4], t);
	tv__memzero(t, sizeof(t));
}

static void load_be(uint64_t r[4], const uint8_t in[32])
{
	int i, b;

	for (i = 0; i < 4; i++) {
		uint64_t w = 0;

		for (b = 0; b < 8; b++)
			w = (w << 8) | in[(3 - i) * 8 + b];
		r[i] = w;
	}
}

uint64_t tv__sc_bytes_below_n(const uint8_t in[32])
{
	uint64_t t[4], u[4], borrow;

	load_be(t, in);
	borrow = sub4(u, t, N);
	tv__memzero(t, sizeof(t));
	tv__memzero(u, sizeof(u));
	return mask_of(borrow);
}

uint64_t tv__sc_load(tv__sc *r, const uint8_t in[32])
{
	uint64_t t[4], u[4], borrow;

	load_be(t, in);
	borrow = sub4(u, t, N);
	/* t < 2^256 < 2n: one subtraction reduces it */
	select4(r->d, mask_of(borrow), t, u);
	tv__memzero(t, sizeof(t));
	tv__memzero(u, sizeof(u));
	return mask_of(borrow);
}

void tv__sc_store(uint8_t out[32], const tv__sc *a)
{
	int i, b;

	for (i = 0; i < 4; i++)
		for (b = 0; b < 8; b++)
			out[(3 - i) * 8 + b] = (uint8_t)(a->d[i] >> (56 - 8 * b));
}

uint64_t tv__sc_from_scalar(tv__sc *r, const tv_scalar *in)
{
	return tv__sc_load(r, in->bytes);
}

void tv__sc_to_scalar(tv_scalar *out, const tv__sc *a)
{
	tv__sc_store(out->bytes, a);
}

void tv__sc_set_u32(tv__sc *r, uint32_t v)
{
	r->d[0] = v;
	r->d[1] = r->d[2] = r->d[3] = 0;
}

void tv__sc_reduce32(tv__sc *r, const uint8_t in[32])
{
	(void)tv__sc_load(r, in);
}

void tv__sc_reduce64(tv__sc *r, const uint8_t in[64])
{
	uint64_t hi[4];
	tv__sc lo;

	/* hi·2^256 + lo = mont(hi, R^2) + lo (mod n) */
	load_be(hi, in);
	(void)tv__sc_load(&lo, in + 32);
	mont_mul(r->d, hi, R2);
	tv__sc_add(r, r, &lo);
	tv__memzero(hi, sizeof(hi));
	tv__sc_wipe(&lo);
}

void tv__sc_add(tv__sc *r, const tv__sc *a, const tv__sc *b)
{
	uint64_t s[4], carry;

	carry = add4(s, a->d, b->d);
	reduce_once(r->d, carry, s);
	tv__memzero(s, sizeof(s));
}

void tv__sc_sub(tv__sc *r, const tv__sc *a, const tv__sc *b)
{
	uint64_t d[4], u[4], borrow;

	borrow = sub4(d, a->d, b->d);
	(void)add4(u, d, N);
	select4(r->d, mask_of(borrow), u, d);
	tv__memzero(d, sizeof(d));
	tv__memzero(u, sizeof(u));
}

void tv__sc_neg(tv__sc *r, const tv__sc *a)
{
	static const tv__sc zero = { { 0, 0, 0, 0 } };

	tv__sc_sub(r, &zero, a);
}

void tv__sc_mul(tv__sc *r, const tv__sc *a, const tv__sc *b)
{
	uint64_t t[4];

	mont_mul(t, a->d, b->d);
	mont_mul(r->d, t, R2);
	tv__memzero(t, sizeof(t));
}

uint64_t tv__sc_is_zero(const tv__sc *a)
{
	uint64_t z = a->d[0] | a->d[1] | a->d[2] | a->d[3];

	/* (z | -z) has its top bit set exactly when z != 0 */
	return mask_of(((z | (0 - z)) >> 63) ^ 1);
}

void tv__sc_select(tv__sc *r, uint64_t mask, const tv__sc *a, const tv__sc *b)
{
	select4(r->d, value_barrier(mask), a->d, b->d);
}

void tv__sc_wipe(tv__sc *a)
{
	tv__memzero(a, sizeof(*a));
}

uint64_t tv__ct_bytes_equal(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;
	uint64_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= (uint64_t)(x[i] ^ y[i]);
	return mask_of(((acc | (0 - acc)) >> 63) ^ 1);
}

uint64_t tv__ct_eq_u32(uint32_t a, uint32_t b)
{
	uint64_t d = (uint64_t)(a ^ b);

	return mask_of(((d | (0 - d)) >> 63) ^ 1);
}

uint64_t tv__ct_le_u32(uint32_t a, uint32_t b)
{
	/* b - a in 64 bits has its top bit set exactly when a > b */
	return mask_of((((uint64_t)b - (uint64_t)a) >> 63) ^ 1);
}

/*
 * The secret leaves our code here: BN_bin2bn on a fixed 32-byte buffer
 * (OpenSSL skips leading zero bytes, and the BIGNUM's length follows the
 * value), and from there only EC_POINT_mul, which takes its constant-time
 * path for a BIGNUM flagged BN_FLG_CONSTTIME.
 */
tv_status tv__sc_to_bn(tv_ctx *ctx, BIGNUM *out, const tv__sc *a)
{
	uint8_t buf[TV_SCALAR_BYTES];
	tv_status status = TV_OK;

	tv__sc_store(buf, a);
	BN_set_flags(out, BN_FLG_CONSTTIME);
	if (BN_bin2bn(buf, sizeof(buf), out) == NULL)
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot convert a scalar");
	tv__memzero(buf, sizeof(buf));
	return status;
}

/*
 * Nothing in the library: a constant-time checker (tests/ct) links its own
 * definition, which tells valgrind the bytes are no longer secret.
 */
__attribute__((weak)) void tv__ct_declassify(const void *ptr, size_t len)
{
	(void)ptr;
	(void)len;
}
