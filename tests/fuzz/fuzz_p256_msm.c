/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Our P-256 arithmetic (lib/crypto/p256*.c) against OpenSSL's EC_POINT on
 * fuzzer-chosen inputs. Checked for every input:
 *  - tv__p256_decode on 65 raw bytes answers as the BIGNUM oracle does
 *    (tv_fuzz_oracle_point), and an accepted point encodes back to them;
 *  - tv__p256_msm over fuzzer-chosen terms equals Σ k_i·P_i by
 *    EC_POINT_mul and EC_POINT_add, byte for byte or both infinity, with
 *    the library's own choices and with a fuzzer-chosen window width and
 *    bucket mode (tv__p256_msm_tuned);
 *  - the accumulator, adding k_i = 1 terms, agrees too.
 *
 * Input: c, mode, then 65 bytes for the decoder, then terms of 33 bytes:
 * a flag byte and 32 bytes. The point of a term is j·G with j the 32
 * bytes mod n (1 if that is 0), unless the flags say: the previous point
 * again (bit 0) or its negation (bit 1). Its scalar is the 32 bytes with
 * every byte xor 0x5c, mod n, unless: only the low 128 bits (bit 2), the
 * previous scalar negated (bit 3, so the pair cancels with bit 0), or the
 * last byte alone (bit 4).
 */
#include <string.h>

#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "fuzz_common.h"
#include "p256.h"

#define MAX_TERMS 40
#define TERM_BYTES 33

static EC_GROUP *group;
static BN_CTX *bn;

__attribute__((destructor)) static void free_group(void)
{
	EC_GROUP_free(group);
	BN_CTX_free(bn);
}

static void ec_bytes(uint8_t out[TV_POINT_BYTES], const EC_POINT *p)
{
	FUZZ_CHECK(EC_POINT_point2oct(group, p, POINT_CONVERSION_UNCOMPRESSED, out,
	                              TV_POINT_BYTES, bn) == TV_POINT_BYTES);
}

static void check_decode(const uint8_t in[TV_POINT_BYTES])
{
	tv__p256_affine a;
	uint8_t again[TV_POINT_BYTES];
	int ok = tv__p256_decode(&a, in);

	FUZZ_CHECK(ok == (tv_fuzz_oracle_point(in, TV_POINT_BYTES) == TV_OK));
	if (ok) {
		tv__p256_encode(again, &a);
		FUZZ_CHECK(memcmp(again, in, TV_POINT_BYTES) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv__p256_affine points[MAX_TERMS];
	tv__sc scalars[MAX_TERMS];
	EC_POINT *want, *p, *t;
	BIGNUM *k;
	uint8_t want_b[TV_POINT_BYTES], got_b[TV_POINT_BYTES];
	unsigned c, affine_sel;
	size_t n = 0;
	int want_inf, got_inf;
	tv__p256_acc acc;

	if (group == NULL) {
		group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
		bn = BN_CTX_new();
		FUZZ_CHECK(group != NULL && bn != NULL);
	}
	if (size < 2 + TV_POINT_BYTES)
		return 0;
	c = 2 + data[0] % 11; /* 2..12: wider windows only cost memory here */
	affine_sel = data[1] % 2;
	check_decode(data + 2);
	data += 2 + TV_POINT_BYTES;
	size -= 2 + TV_POINT_BYTES;

	want = EC_POINT_new(group);
	p = EC_POINT_new(group);
	t = EC_POINT_new(group);
	k = BN_new();
	FUZZ_CHECK(want && p && t && k);
	FUZZ_CHECK(EC_POINT_set_to_infinity(group, want) == 1);
	tv__p256_acc_init(&acc);

	for (; size >= TERM_BYTES && n < MAX_TERMS; data += TERM_BYTES, size -= TERM_BYTES, n++) {
		uint8_t flags = data[0], sb[32], pb[TV_POINT_BYTES];

		/* the point */
		if (n > 0 && (flags & 3) != 0) {
			tv__p256_encode(pb, &points[n - 1]);
			FUZZ_CHECK(EC_POINT_oct2point(group, p, pb, sizeof(pb), bn) == 1);
			if (flags & 2)
				FUZZ_CHECK(EC_POINT_invert(group, p, bn) == 1);
		} else {
			tv__sc j;

			tv__sc_reduce32(&j, data + 1);
			if (tv__sc_is_zero(&j))
				tv__sc_set_u32(&j, 1);
			tv__sc_store(sb, &j);
			FUZZ_CHECK(BN_bin2bn(sb, 32, k) != NULL);
			FUZZ_CHECK(EC_POINT_mul(group, p, k, NULL, NULL, bn) == 1);
		}
		ec_bytes(pb, p);
		FUZZ_CHECK(tv__p256_decode(&points[n], pb) == 1);
		tv__p256_acc_add(&acc, &points[n]);

		/* the scalar */
		if (n > 0 && (flags & 8)) {
			tv__sc_neg(&scalars[n], &scalars[n - 1]);
		} else if (flags & 16) {
			tv__sc_set_u32(&scalars[n], data[32]);
		} else {
			for (int i = 0; i < 32; i++)
				sb[i] = data[1 + i] ^ 0x5c;
			tv__sc_reduce32(&scalars[n], sb);
			if (flags & 4) {
				scalars[n].d[2] = 0;
				scalars[n].d[3] = 0;
			}
		}
		tv__sc_store(sb, &scalars[n]);
		FUZZ_CHECK(BN_bin2bn(sb, 32, k) != NULL);
		FUZZ_CHECK(EC_POINT_mul(group, t, NULL, p, k, bn) == 1);
		FUZZ_CHECK(EC_POINT_add(group, want, want, t, bn) == 1);
	}

	want_inf = EC_POINT_is_at_infinity(group, want);
	if (!want_inf)
		ec_bytes(want_b, want);

	got_inf = -1;
	FUZZ_CHECK(tv__p256_msm(ctx, &got_inf, got_b, points, scalars, n) == TV_OK);
	FUZZ_CHECK(got_inf == want_inf);
	FUZZ_CHECK(want_inf || memcmp(got_b, want_b, sizeof(got_b)) == 0);

	got_inf = -1;
	FUZZ_CHECK(tv__p256_msm_tuned(ctx, &got_inf, got_b, points, scalars, n, c,
	                              (int)affine_sel) == TV_OK);
	FUZZ_CHECK(got_inf == want_inf);
	FUZZ_CHECK(want_inf || memcmp(got_b, want_b, sizeof(got_b)) == 0);

	/* the accumulator: Σ P_i against the same MSM with every scalar 1 */
	for (size_t i = 0; i < n; i++)
		tv__sc_set_u32(&scalars[i], 1);
	FUZZ_CHECK(tv__p256_msm(ctx, &want_inf, want_b, points, scalars, n) == TV_OK);
	FUZZ_CHECK(tv__p256_acc_get(got_b, &acc) == !want_inf);
	FUZZ_CHECK(want_inf || memcmp(got_b, want_b, sizeof(got_b)) == 0);

	EC_POINT_free(want);
	EC_POINT_free(p);
	EC_POINT_free(t);
	BN_free(k);
	return 0;
}
