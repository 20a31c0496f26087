/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * p256-bench: what our multi-scalar multiplication (lib/crypto/p256_msm.c)
 * costs per point and per ballot, in units of one OpenSSL ECDSA-P256
 * verify measured in the same run (issue 14: verification must cost at
 * most 2 such units per two-option ballot on one thread).
 *
 * The inputs follow a batch of ballots (SPEC §5.5): of every 18 points, 5
 * carry full-width scalars and 13 carry 128-bit ones. Not a test: timings
 * depend on the machine and its load.
 *
 *   p256-bench            n = 18, 1000, 18000 with the library's choices
 *   p256-bench --sweep    also every window width and bucket mode per n
 *   p256-bench N...       those sizes instead
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "internal.h"
#include "p256.h"

#define MIN_SECONDS 0.3
#define PASSES 5

static double now(void)
{
	struct timespec ts;

	/*
	 * the thread's CPU time, not the wall clock: the machines this runs
	 * on are shared, and time spent waiting for a core is not our cost
	 */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	fprintf(stderr, "p256-bench: %s\n", what);
	exit(1);
}

/* seconds per ECDSA-P256 verify (EVP_PKEY_verify on a SHA-256 digest) */
static double ecdsa_verify_seconds(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	EVP_PKEY_CTX *sctx = key ? EVP_PKEY_CTX_new(key, NULL) : NULL;
	EVP_PKEY_CTX *vctx = key ? EVP_PKEY_CTX_new(key, NULL) : NULL;
	uint8_t digest[32], sig[128];
	size_t siglen = sizeof(sig);
	double best = 1e9;

	memset(digest, 0x5a, sizeof(digest));
	if (sctx == NULL || vctx == NULL || EVP_PKEY_sign_init(sctx) != 1 ||
	    EVP_PKEY_sign(sctx, sig, &siglen, digest, sizeof(digest)) != 1 ||
	    EVP_PKEY_verify_init(vctx) != 1)
		die("cannot set up ECDSA");
	for (int pass = 0; pass < PASSES; pass++) {
		double t0 = now(), t;
		long iters = 0;

		do {
			for (int i = 0; i < 100; i++)
				if (EVP_PKEY_verify(vctx, sig, siglen, digest, sizeof(digest)) != 1)
					die("ECDSA verify failed");
			iters += 100;
			t = now() - t0;
		} while (t < MIN_SECONDS);
		if (t / (double)iters < best)
			best = t / (double)iters;
	}
	EVP_PKEY_CTX_free(sctx);
	EVP_PKEY_CTX_free(vctx);
	EVP_PKEY_free(key);
	return best;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Dull;
}

/* n points k·G and the ballot mix of scalars */
static void make_inputs(tv__p256_affine *points, tv__sc *scalars, size_t n)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *p = g ? EC_POINT_new(g) : NULL;
	BIGNUM *k = BN_new();
	uint8_t b[TV_POINT_BYTES], kb[32];

	if (p == NULL || k == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		for (int j = 0; j < 32; j++)
			kb[j] = (uint8_t)next();
		tv__sc_reduce32(&scalars[i], kb);
		if (BN_bin2bn(kb, 32, k) == NULL || EC_POINT_mul(g, p, k, NULL, NULL, NULL) != 1 ||
		    EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, b, sizeof(b), NULL) !=
		            sizeof(b) ||
		    !tv__p256_decode(&points[i], b))
			die("cannot make a point");
		if (i % 18 >= 5) {
			scalars[i].d[2] = 0;
			scalars[i].d[3] = 0;
		}
	}
	BN_free(k);
	EC_POINT_free(p);
	EC_GROUP_free(g);
}

static double msm_seconds(tv_ctx *ctx, const tv__p256_affine *points, const tv__sc *scalars,
                          size_t n, unsigned c, int affine)
{
	double best = 1e9;
	int inf;

	/* once untimed: the allocator's first large blocks fault their pages in */
	if (tv__p256_msm_tuned(ctx, &inf, NULL, points, scalars, n, c, affine) != TV_OK)
		die(tv_ctx_last_error(ctx));
	for (int pass = 0; pass < PASSES; pass++) {
		double t0 = now(), t;
		long iters = 0;

		do {
			if (tv__p256_msm_tuned(ctx, &inf, NULL, points, scalars, n, c, affine) !=
			    TV_OK)
				die(tv_ctx_last_error(ctx));
			iters++;
			t = now() - t0;
		} while (t < MIN_SECONDS);
		if (t / (double)iters < best)
			best = t / (double)iters;
	}
	return best;
}

int main(int argc, char **argv)
{
	size_t sizes[32] = { 18, 1000, 18000 };
	size_t nsizes = 3, maxn = 0;
	int sweep = 0;
	tv_ctx *ctx = NULL;
	tv__p256_affine *points;
	tv__sc *scalars;
	double u;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--sweep") == 0) {
			sweep = 1;
		} else {
			if (nsizes == 3 && sizes[0] == 18 && i == 1 + sweep)
				nsizes = 0;
			if (nsizes == 32)
				die("too many sizes");
			sizes[nsizes++] = strtoull(argv[i], NULL, 10);
		}
	}
	for (size_t i = 0; i < nsizes; i++)
		if (sizes[i] > maxn)
			maxn = sizes[i];
	if (tv_ctx_new(&ctx, NULL) != TV_OK)
		die("cannot make a context");
	points = malloc(maxn * sizeof(*points) + 1);
	scalars = malloc(maxn * sizeof(*scalars) + 1);
	if (points == NULL || scalars == NULL)
		die("out of memory");
	make_inputs(points, scalars, maxn);

	u = ecdsa_verify_seconds();
	printf("one OpenSSL ECDSA-P256 verify (u): %.1f us\n", u * 1e6);
	printf("%8s %4s %7s %12s %10s %12s\n", "n", "c", "buckets", "us/msm", "u/point",
	       "u/ballot(18)");
	for (size_t s = 0; s < nsizes; s++) {
		size_t n = sizes[s];
		double t = msm_seconds(ctx, points, scalars, n, 0, -1);

		printf("%8zu %4s %7s %12.1f %10.4f %12.3f\n", n, "auto", "auto", t * 1e6,
		       t / u / (double)n, t / u / (double)n * 18);
		if (!sweep)
			continue;
		for (int affine = n < 256 ? 0 : 1; affine <= 1; affine++)
			for (unsigned c = 3; c <= 14; c++) {
				if (n < 8 && c > 6)
					continue;
				t = msm_seconds(ctx, points, scalars, n, c, affine);
				printf("%8zu %4u %7s %12.1f %10.4f %12.3f\n", n, c,
				       affine ? "affine" : "jac", t * 1e6, t / u / (double)n,
				       t / u / (double)n * 18);
			}
	}
	free(points);
	free(scalars);
	tv_ctx_free(ctx);
	return 0;
}
