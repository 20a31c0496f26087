/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * P-256 on public data (p256.h): a reference implementation on OpenSSL's
 * EC_POINT, which keeps the interface honest until our own arithmetic
 * replaces it. Slow; correct.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "p256.h"

static EC_GROUP *group;
static pthread_once_t group_once = PTHREAD_ONCE_INIT;

static void group_init(void)
{
	group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
}

static const EC_GROUP *the_group(void)
{
	pthread_once(&group_once, group_init);
	return group;
}

int tv__p256_decode(tv__p256_affine *out, const uint8_t in[TV_POINT_BYTES])
{
	const EC_GROUP *g = the_group();
	EC_POINT *p = g ? EC_POINT_new(g) : NULL;
	int ok = p != NULL && in[0] == 0x04 &&
	         EC_POINT_oct2point(g, p, in, TV_POINT_BYTES, NULL) == 1;

	EC_POINT_free(p);
	if (ok) {
		memcpy(out->x, in + 1, 32);
		memcpy(out->y, in + 33, 32);
	}
	return ok;
}

void tv__p256_encode(uint8_t out[TV_POINT_BYTES], const tv__p256_affine *p)
{
	out[0] = 0x04;
	memcpy(out + 1, p->x, 32);
	memcpy(out + 33, p->y, 32);
}

void tv__p256_generator(tv__p256_affine *out)
{
	tv_point g;

	tv_point_generator(&g);
	(void)tv__p256_decode(out, g.bytes);
}

static int to_ec(const EC_GROUP *g, EC_POINT *p, const tv__p256_affine *a)
{
	uint8_t b[TV_POINT_BYTES];

	tv__p256_encode(b, a);
	return EC_POINT_oct2point(g, p, b, sizeof(b), NULL) == 1;
}

tv_status tv__p256_msm(tv_ctx *ctx, int *is_infinity, uint8_t sum[TV_POINT_BYTES],
                       const tv__p256_affine *points, const tv__sc *scalars, size_t n)
{
	const EC_GROUP *g = the_group();
	EC_POINT *acc = EC_POINT_new(g), *t = EC_POINT_new(g), *p = EC_POINT_new(g);
	BIGNUM *k = BN_new();
	BN_CTX *bn = BN_CTX_new();
	tv_status status = TV_OK;
	int ok = acc && t && p && k && bn && EC_POINT_set_to_infinity(g, acc);

	for (size_t i = 0; ok && i < n; i++) {
		uint8_t kb[32];

		tv__sc_store(kb, &scalars[i]);
		ok = BN_bin2bn(kb, 32, k) != NULL && to_ec(g, p, &points[i]) &&
		     EC_POINT_mul(g, t, NULL, p, k, bn) && EC_POINT_add(g, acc, acc, t, bn);
	}
	if (!ok) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "multi-scalar multiplication failed");
	} else {
		*is_infinity = EC_POINT_is_at_infinity(g, acc);
		if (!*is_infinity && sum != NULL &&
		    EC_POINT_point2oct(g, acc, POINT_CONVERSION_UNCOMPRESSED, sum, TV_POINT_BYTES,
		                       bn) != TV_POINT_BYTES)
			status = tv__fail(ctx, TV_ERR_INTERNAL, "cannot encode a point");
	}
	EC_POINT_free(acc);
	EC_POINT_free(t);
	EC_POINT_free(p);
	BN_free(k);
	BN_CTX_free(bn);
	return status;
}
