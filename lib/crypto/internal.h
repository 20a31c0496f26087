/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal declarations of the primitives layer (lib/crypto/), which every
 * other layer builds on: the context, errors, memory, hashing, randomness
 * and group helpers. Nothing here is part of the API; names are tv__ and
 * are never exported (hidden visibility and the version script).
 */
#ifndef TV_INTERNAL_H
#define TV_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "tenantvote/tenantvote.h"

#define TV_ERROR_MAX 1024

struct tv_ctx {
	OSSL_LIB_CTX *libctx;
	EVP_MD *sha256;
	EC_GROUP *group;
	const BIGNUM *order; /* borrowed from group */
	BIGNUM *prime;
	BN_CTX *bn;
	/* allocator for our own memory */
	void *(*alloc)(size_t, void *);
	void *(*realloc)(void *, size_t, void *);
	void (*free)(void *, void *);
	void *alloc_payload;
	/* error detail (STYLE §4) */
	tv_status last_status;
	char last_error[TV_ERROR_MAX];
	/* SPEC §7: deterministic randomness, for test vectors only */
	bool deterministic;
	uint8_t drbg_seed[32];
	uint64_t drbg_counter;
	/* a SHA-256 context kept for the next tv__hash_begin (lib/crypto/hash.c) */
	EVP_MD_CTX *spare_md;
};

/* ---- errors (lib/crypto/error.c) ---- */

/*
 * Record @p status and a message on @p ctx and return @p status. For
 * TV_ERR_INTERNAL the OpenSSL error queue is appended; for every status the
 * queue is drained so a stale entry never shows in a later message.
 */
tv_status tv__fail(tv_ctx *ctx, tv_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- memory (lib/crypto/context.c) ---- */

void *tv__alloc(tv_ctx *ctx, size_t size);
void *tv__calloc(tv_ctx *ctx, size_t n, size_t size);
void *tv__realloc(tv_ctx *ctx, void *ptr, size_t size);
void tv__free(tv_ctx *ctx, void *ptr);
void tv__memzero(void *ptr, size_t len);

/*
 * Switch @p ctx to the deterministic generator of SPEC §7 (test vectors).
 * Never use outside tests: every secret then follows from @p seed.
 */
tv_status tv__ctx_set_deterministic(tv_ctx *ctx, const uint8_t *seed, size_t len);

/* ---- hashing (lib/crypto/hash.c), SPEC §3 ---- */

#define TV_HASH_BYTES 32
#define TV_TAG_PREFIX "tenantvote/v1/"

/*
 * H(tag; f1, ..., fk): SHA-256 over length-prefixed fields. Errors are
 * sticky: field calls after a failure do nothing and final reports it.
 */
typedef struct tv__hash {
	tv_ctx *ctx;
	EVP_MD_CTX *md;
	tv_status status;
	/* small fields are gathered here and given to SHA-256 together: a
	 * ballot's digest is some 40 fields, each a call of its own otherwise */
	size_t used;
	uint8_t buf[512];
} tv__hash;

tv_status tv__hash_begin(tv__hash *h, tv_ctx *ctx, const char *purpose);
void tv__hash_field(tv__hash *h, const void *data, size_t len);
void tv__hash_u32(tv__hash *h, uint32_t value);
void tv__hash_u64(tv__hash *h, uint64_t value);
void tv__hash_point(tv__hash *h, const tv_point *p);
void tv__hash_scalar(tv__hash *h, const tv_scalar *s);
tv_status tv__hash_final(tv__hash *h, uint8_t out[TV_HASH_BYTES]);
/* Hs: the digest as a big-endian integer, reduced mod n. */
tv_status tv__hash_final_scalar(tv__hash *h, BIGNUM *out);
/* Hs into a constant-time scalar (tv__sc, below), for provers and signers */
struct tv__sc;
tv_status tv__hash_final_sc(tv__hash *h, struct tv__sc *out);
void tv__hash_abort(tv__hash *h);

/* ---- randomness (lib/crypto/random.c), SPEC §7 ---- */

/* AES-256-GCM (lib/crypto/aead.c): @p len bytes of @p in to @p out; the
 * 16-byte tag written when encrypting, checked when decrypting:
 * TV_ERR_PASSPHRASE (no message) when it does not match, the
 * unauthenticated output left for the caller to wipe */
tv_status tv__aes_gcm(tv_ctx *ctx, int encrypt, uint8_t *out, const uint8_t *in, size_t len,
                      const uint8_t key[32], const uint8_t iv[12], const uint8_t *aad,
                      size_t aad_len, uint8_t tag[16]);
tv_status tv__random_bytes(tv_ctx *ctx, uint8_t *out, size_t len);
/* uniform in [1, n-1] by rejection sampling; BN_FLG_CONSTTIME set */
tv_status tv__random_bn(tv_ctx *ctx, BIGNUM *out);
/* the same draw (SPEC §7.2) as a constant-time scalar */
tv_status tv__random_sc(tv_ctx *ctx, struct tv__sc *out);

/* ---- group helpers (lib/crypto/group.c), SPEC §2 ---- */

/* decode and validate; @p what names the value in the error message */
tv_status tv__point_to_ec(tv_ctx *ctx, EC_POINT *out, const tv_point *in,
                          const char *what);
/* ---- P-256 on public data: the types (functions in lib/crypto/p256.h) ---- */

/*
 * A point of P-256 other than the point at infinity, in affine
 * coordinates. The limbs' form (Montgomery or not) is p256.c's own.
 */
typedef struct tv__p256_affine {
	uint64_t x[4], y[4];
} tv__p256_affine;

/*
 * A point in Jacobian coordinates (X/Z^2, Y/Z^3), the point at infinity
 * when Z = 0; limbs in p256.c's form.
 */
typedef struct tv__p256_jac {
	uint64_t x[4], y[4], z[4];
} tv__p256_jac;

/*
 * A running sum of points (for adding up ciphertexts and the like): kept
 * in Jacobian coordinates, so each add or sub costs about 11
 * multiplications and no inversion; only tv__p256_acc_get() inverts.
 * Every case is handled: the sum may pass through infinity, and a point
 * may be added to a sum equal to it or to its negation.
 */
typedef struct tv__p256_acc {
	tv__p256_jac j;
} tv__p256_acc;

/*
 * As tv__point_to_ec, for a public point, into our own affine form
 * (lib/crypto/p256.h), with the same statuses and messages.
 */
tv_status tv__point_to_affine(tv_ctx *ctx, tv__p256_affine *out, const tv_point *in,
                              const char *what);
/* SPEC §17.1.2: a running sum of ciphertexts from (h·G, h·K),
 * h = Hs("tally-start"; F, head_N), kept as points (in Jacobian
 * coordinates, lib/crypto/p256.h: public data only) */
typedef struct tv__ct_sum {
	tv__p256_acc a, b;
} tv__ct_sum;
tv_status tv__ct_sum_start(tv_ctx *ctx, tv__ct_sum *s, const tv_point *key,
                           const uint8_t fingerprint[32], const uint8_t head[32]);
tv_status tv__ct_sum_add(tv_ctx *ctx, tv__ct_sum *s, const tv_ciphertext *ct);
/* a sum from the point at infinity, its start added at the end (below) */
tv_status tv__ct_sum_zero(tv_ctx *ctx, tv__ct_sum *s);
tv_status tv__ct_sum_add_start(tv_ctx *ctx, tv__ct_sum *s, const tv_point *key,
                               const uint8_t fingerprint[32], const uint8_t head[32]);
/* @p ct, added before, taken out again */
tv_status tv__ct_sum_sub(tv_ctx *ctx, tv__ct_sum *s, const tv_ciphertext *ct);
/* TV_ERR_POINT_INVALID if the sum is the point at infinity */
tv_status tv__ct_sum_get(tv_ctx *ctx, tv_ciphertext *out, const tv__ct_sum *s);
void tv__ct_sum_free(tv__ct_sum *s);
/* SPEC §4.4: the least v in [0, max] with v·G = target; TV_ERR_RANGE_INVALID if none */
/* tv_range_prove and tv_range_verify on @p count branches (not a whole
 * tv_range_proof), for a proof kept at the size its range needs; the
 * prover multiplies the key by secrets with the table @p fb (fixed_base.h)
 * when it is not NULL, which must be the table for @p public_key */
struct tv__fixed_base;
tv_status tv__range_prove_in(tv_ctx *ctx, tv_range_branch *out, size_t count,
                             const tv_ciphertext *ct, const tv_point *public_key,
                             const struct tv__fixed_base *fb, uint32_t min, uint32_t max,
                             uint32_t value, const tv_scalar *nonce, const uint8_t *context,
                             size_t context_len);
tv_status tv__range_verify_in(tv_ctx *ctx, const tv_range_branch *branch, size_t count,
                              const tv_ciphertext *ct, const tv_point *public_key, uint32_t min,
                              uint32_t max, const uint8_t *context, size_t context_len);
tv_status tv__ec_dlog(tv_ctx *ctx, uint32_t *value, const EC_POINT *target, uint32_t max);
tv_status tv__ec_to_point(tv_ctx *ctx, tv_point *out, const EC_POINT *in,
                          const char *what);
/* the same for a point the protocol publishes (a commitment, a public key,
 * a ciphertext): its encoding is declassified (tv__ct_declassify) */
tv_status tv__ec_to_public_point(tv_ctx *ctx, tv_point *out, const EC_POINT *in,
                                 const char *what);
/* the range check is constant time (only its answer is revealed); the value
 * then goes through BN_bin2bn. For secrets, prefer tv__sc_ and tv__sc_to_bn */
tv_status tv__scalar_to_bn(tv_ctx *ctx, BIGNUM *out, const tv_scalar *in,
                           const char *what);
/* variable time (BN_cmp, BN_bn2binpad): public values only */
tv_status tv__bn_to_scalar(tv_ctx *ctx, tv_scalar *out, const BIGNUM *in);
/* a fresh secret BIGNUM (constant-time flag set), or NULL */
BIGNUM *tv__bn_secret_new(void);
/* r = a·G + b·P for public a, b (variable time; verifiers only) */
tv_status tv__ec_mul2_public(tv_ctx *ctx, EC_POINT *r, const BIGNUM *a,
                             const EC_POINT *p, const BIGNUM *b);
/* r = k·P, constant time in k (k may be zero: then r is infinity) */
tv_status tv__ec_mul_secret(tv_ctx *ctx, EC_POINT *r, const EC_POINT *p,
                            const BIGNUM *k);
/* r = k·G, constant time in k */
tv_status tv__ec_base_mul_secret(tv_ctx *ctx, EC_POINT *r, const BIGNUM *k);
/* r = a + b and p = -p for points computed from secrets (OpenSSL's
 * EC_POINT_add and EC_POINT_invert); r may alias a or b */
tv_status tv__ec_add_secret(tv_ctx *ctx, EC_POINT *r, const EC_POINT *a,
                            const EC_POINT *b);
tv_status tv__ec_neg_secret(tv_ctx *ctx, EC_POINT *p);

/*
 * For public values only: compare @p expected with g·G + sum s[i]·P[i]
 * (g may be NULL). Returns TV_OK when equal, TV_ERR_PROOF_INVALID (no
 * message set: the caller names the failed equation) when not.
 */
tv_status tv__ec_check_linear(tv_ctx *ctx, const EC_POINT *expected,
                              const BIGNUM *g, size_t n,
                              const EC_POINT *const *points,
                              const BIGNUM *const *scalars);

/* r = -a mod n for 0 <= a < n (r may be a); variable time: public a only */
tv_status tv__bn_neg(tv_ctx *ctx, BIGNUM *r, const BIGNUM *a);

/* check that the context bytes are present when a length is given */
tv_status tv__check_context(tv_ctx *ctx, const uint8_t *context, size_t len);

/* ---- constant-time scalars mod n (lib/crypto/scalar_ct.c) ---- */

/*
 * A scalar mod n for secrets: four 64-bit limbs, least significant first,
 * always below n. Every tv__sc_ function is constant time in every input:
 * no branch or memory index depends on a value, loops have fixed counts.
 * Results may alias inputs. A mask is 0 or all ones (~0). Wipe secrets
 * with tv__sc_wipe().
 */
typedef struct tv__sc {
	uint64_t d[4];
} tv__sc;

/* all ones when the 32 big-endian bytes are below n */
uint64_t tv__sc_bytes_below_n(const uint8_t in[32]);
/* r = in mod n (32 big-endian bytes); returns the mask "in < n" */
uint64_t tv__sc_load(tv__sc *r, const uint8_t in[32]);
void tv__sc_store(uint8_t out[32], const tv__sc *a);
uint64_t tv__sc_from_scalar(tv__sc *r, const tv_scalar *in);
void tv__sc_to_scalar(tv_scalar *out, const tv__sc *a);
void tv__sc_set_u32(tv__sc *r, uint32_t v);
/* a hash output as a big-endian integer, reduced mod n */
void tv__sc_reduce32(tv__sc *r, const uint8_t in[32]);
void tv__sc_reduce64(tv__sc *r, const uint8_t in[64]);
void tv__sc_add(tv__sc *r, const tv__sc *a, const tv__sc *b);
void tv__sc_sub(tv__sc *r, const tv__sc *a, const tv__sc *b);
void tv__sc_neg(tv__sc *r, const tv__sc *a);
void tv__sc_mul(tv__sc *r, const tv__sc *a, const tv__sc *b);
/* all ones when a = 0 */
uint64_t tv__sc_is_zero(const tv__sc *a);
/* r = mask ? a : b */
void tv__sc_select(tv__sc *r, uint64_t mask, const tv__sc *a, const tv__sc *b);
void tv__sc_wipe(tv__sc *a);
/* all ones when the @p len bytes are equal; constant time in the bytes */
uint64_t tv__ct_bytes_equal(const void *a, const void *b, size_t len);
/* all ones when a == b, resp. a <= b; constant time in a and b */
uint64_t tv__ct_eq_u32(uint32_t a, uint32_t b);
uint64_t tv__ct_le_u32(uint32_t a, uint32_t b);
/*
 * A secret BIGNUM (BN_FLG_CONSTTIME) of @p a, for OpenSSL's scalar
 * multiplication (tv__ec_mul_secret, tv__ec_base_mul_secret). The value
 * passes through BN_bin2bn, OpenSSL's and not ours.
 */
tv_status tv__sc_to_bn(tv_ctx *ctx, BIGNUM *out, const tv__sc *a);

/*
 * Declare @p len bytes at @p ptr no longer secret: a value the protocol
 * publishes (a commitment, a public key) or a decision that is revealed
 * anyway (a rejection-sampling try, an input check that fails with an
 * error). Does nothing in the library; the constant-time check
 * (tests/ct) links its own definition, which tells valgrind.
 */
void tv__ct_declassify(const void *ptr, size_t len);

/* the branch a secret mask decides, once it may be revealed */
static inline bool tv__ct_reveal(uint64_t mask)
{
	tv__ct_declassify(&mask, sizeof(mask));
	return mask != 0;
}

/* ---- hex (lib/crypto/hex.c) ---- */

/* exactly 2*len lowercase hex characters into len bytes */
tv_status tv__hex_decode(tv_ctx *ctx, uint8_t *out, size_t out_len,
                         const char *hex, size_t hex_len, const char *what);
void tv__hex_encode(char *out, const uint8_t *in, size_t len);

#endif
