/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §12: the trustees' key ceremony. Whole ceremonies of several sizes
 * agree on one key that any k trustees can use and k − 1 cannot; a bad
 * share is caught, attributed to its sender and provable to anyone; every
 * malformed, mismatched, missing or replayed message is refused naming the
 * trustee and the field; the secret state round-trips and refuses
 * tampering; a deterministic 2-of-3 ceremony gives the SPEC's vector; and
 * the ceremony kit (§12.12) round-trips and refuses every inconsistency.
 *
 * Messages are tampered with and re-signed here by an independent
 * implementation of the SPEC §12.2 digests, so a tampered message fails
 * the check under test and not merely its signature.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "election_internal.h"
#include "helpers.h"
#include "internal.h"

static const uint8_t fingerprint[32] = "ceremony test election, 32 byte";
static const uint8_t other_fingerprint[32] = "another election entirely, 32 b";

#define MAXT TV_CEREMONY_MAX_TRUSTEES

/* ---- running a ceremony ---- */

typedef struct ceremony {
	tv_ctx *ctx;
	uint32_t n, k;
	tv_trustee *t[MAXT];
	char *commit[MAXT];
	char *reveal[MAXT];
	char *result[MAXT];
} ceremony;

#define MSGS(a) ((const char *const *)(a))

static void ceremony_new(ceremony *c, tv_ctx *ctx, uint32_t n, uint32_t k)
{
	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	c->n = n;
	c->k = k;
	for (uint32_t i = 0; i < n; i++) {
		assert_ok(ctx, tv_trustee_new(ctx, &c->t[i], fingerprint, i + 1, n, k));
		assert_int_equal(tv_trustee_index(c->t[i]), i + 1);
		assert_int_equal(tv_trustee_get_stage(c->t[i]), TV_TRUSTEE_KEYS_MADE);
	}
}

static void ceremony_commit(ceremony *c)
{
	for (uint32_t i = 0; i < c->n; i++)
		assert_ok(c->ctx, tv_trustee_commit(c->ctx, &c->commit[i], c->t[i]));
}

static void ceremony_reveal(ceremony *c)
{
	for (uint32_t i = 0; i < c->n; i++) {
		assert_ok(c->ctx, tv_trustee_reveal(c->ctx, &c->reveal[i], c->t[i],
		                                    MSGS(c->commit), c->n));
		assert_int_equal(tv_trustee_get_stage(c->t[i]), TV_TRUSTEE_REVEALED);
	}
}

static void ceremony_combine(ceremony *c)
{
	for (uint32_t i = 0; i < c->n; i++) {
		char *complaint = (char *)"untouched";

		assert_ok(c->ctx, tv_trustee_combine(c->ctx, &c->result[i], &complaint, c->t[i],
		                                     MSGS(c->commit), c->n, MSGS(c->reveal),
		                                     c->n));
		assert_null(complaint);
		assert_int_equal(tv_trustee_get_stage(c->t[i]), TV_TRUSTEE_COMBINED);
	}
}

static void ceremony_run(ceremony *c, tv_ctx *ctx, uint32_t n, uint32_t k)
{
	ceremony_new(c, ctx, n, k);
	ceremony_commit(c);
	ceremony_reveal(c);
	ceremony_combine(c);
}

static void ceremony_free(ceremony *c)
{
	for (uint32_t i = 0; i < MAXT; i++) {
		tv_trustee_free(c->t[i]);
		tv_free(c->ctx, c->commit[i]);
		tv_free(c->ctx, c->reveal[i]);
		tv_free(c->ctx, c->result[i]);
	}
	memset(c, 0, sizeof(*c));
}

static void ceremony_verify(ceremony *c, tv_election_key *key)
{
	assert_ok(c->ctx, tv_ceremony_verify(c->ctx, key, fingerprint, c->n, c->k,
	                                     MSGS(c->commit), c->n, MSGS(c->reveal), c->n,
	                                     MSGS(c->result), c->n));
}

/* the context's message contains every one of the NULL-terminated words */
static void assert_message(tv_ctx *ctx, const char *first, ...)
{
	const char *msg = tv_ctx_last_error(ctx);
	va_list ap;

	if (getenv("TV_PRINT_MESSAGES") != NULL)
		printf("# %s\n", msg);
	va_start(ap, first);
	for (const char *w = first; w != NULL; w = va_arg(ap, const char *))
		if (strstr(msg, w) == NULL)
			fail_msg("message \"%s\" does not contain \"%s\"", msg, w);
	va_end(ap);
}

/* ---- scalar and point arithmetic for the checks (internal API) ---- */

static void bn_of(BIGNUM *out, const tv_scalar *s)
{
	assert_non_null(BN_bin2bn(s->bytes, 32, out));
}

/* Σ λ_l·x_l over @p set, times G, compared with K */
static int lagrange_gives_key(ceremony *c, const uint32_t *set, size_t count,
                              const tv_point *K)
{
	tv_ctx *ctx = c->ctx;
	BIGNUM *sum = BN_new(), *a = BN_new(), *b = BN_new();
	tv_scalar total, lambda, share;
	tv_point P;
	int equal;

	assert_non_null(sum);
	assert_non_null(a);
	assert_non_null(b);
	BN_zero(sum);
	for (size_t m = 0; m < count; m++) {
		assert_ok(ctx, tv_ceremony_lagrange(ctx, &lambda, set[m], set, count));
		assert_ok(ctx, tv_trustee_share(ctx, &share, NULL, NULL, c->t[set[m] - 1]));
		bn_of(a, &lambda);
		bn_of(b, &share);
		assert_true(BN_mod_mul(a, a, b, ctx->order, ctx->bn));
		assert_true(BN_mod_add(sum, sum, a, ctx->order, ctx->bn));
		tv_scalar_wipe(&share);
	}
	assert_ok(ctx, tv__bn_to_scalar(ctx, &total, sum));
	assert_ok(ctx, tv_point_base_mul(ctx, &P, &total));
	equal = tv_point_equal(&P, K);
	BN_clear_free(sum);
	BN_clear_free(a);
	BN_clear_free(b);
	return equal;
}

/* every trustee agrees on K; the observer agrees; X_l = x_l·G */
static void check_agreement(ceremony *c, tv_election_key *key)
{
	ceremony_verify(c, key);
	assert_int_equal(key->trustees, c->n);
	assert_int_equal(key->threshold, c->k);
	for (uint32_t i = 0; i < c->n; i++) {
		tv_scalar share;
		tv_point X, K;

		assert_ok(c->ctx, tv_trustee_share(c->ctx, &share, &X, &K, c->t[i]));
		assert_true(tv_point_equal(&K, &key->key));
		assert_true(tv_point_equal(&X, &key->verification_key[i]));
		tv_scalar_wipe(&share);
	}
	for (uint32_t i = c->n; i < MAXT; i++)
		for (size_t b = 0; b < TV_POINT_BYTES; b++)
			assert_int_equal(key->verification_key[i].bytes[b], 0);
}

/* every subset of size @p size of 1..n, through @p check */
static void each_subset(ceremony *c, uint32_t size, const tv_point *K, int expect)
{
	uint32_t n = c->n;

	for (uint32_t mask = 1; mask < (1u << n); mask++) {
		uint32_t set[MAXT];
		size_t count = 0;

		if ((uint32_t)__builtin_popcount(mask) != size)
			continue;
		for (uint32_t i = 0; i < n; i++)
			if (mask & (1u << i))
				set[count++] = i + 1;
		assert_int_equal(lagrange_gives_key(c, set, count, K), expect);
	}
}

/* ---- whole ceremonies ---- */

static void full_ceremony(uint32_t n, uint32_t k)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	tv_election_key key;

	ceremony_run(&c, ctx, n, k);
	check_agreement(&c, &key);
	each_subset(&c, k, &key.key, 1);
	if (k > 1)
		each_subset(&c, k - 1, &key.key, 0);
	if (k < n)
		each_subset(&c, n, &key.key, 1);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

static void ceremony_3_of_5(void **state)
{
	(void)state;
	full_ceremony(5, 3);
}

static void ceremony_1_of_1(void **state)
{
	(void)state;
	full_ceremony(1, 1);
}

static void ceremony_5_of_5(void **state)
{
	(void)state;
	full_ceremony(5, 5);
}

static void ceremony_1_of_3_and_2_of_2(void **state)
{
	(void)state;
	full_ceremony(3, 1);
	full_ceremony(2, 2);
}

/* ElGamal under K, decrypted by k trustees' partial decryptions x_l·alpha */
static void threshold_decryption(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	static const uint32_t sets[][3] = { { 1, 2, 3 }, { 2, 4, 5 }, { 5, 1, 3 } };
	ceremony c;
	tv_election_key key;
	tv_ciphertext ct;
	tv_scalar nonce, seven = { { 0 } };
	tv_point expected;

	(void)state;
	ceremony_run(&c, ctx, 5, 3);
	ceremony_verify(&c, &key);
	assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &nonce, &key.key, 7));
	tv_scalar_wipe(&nonce);
	seven.bytes[31] = 7;
	assert_ok(ctx, tv_point_base_mul(ctx, &expected, &seven));

	for (size_t s = 0; s < 3; s++) {
		EC_POINT *alpha = EC_POINT_new(ctx->group), *M = EC_POINT_new(ctx->group);
		EC_POINT *D = EC_POINT_new(ctx->group);
		BIGNUM *x = BN_new(), *lambda = BN_new();
		tv_point out;

		assert_non_null(alpha);
		assert_non_null(M);
		assert_non_null(D);
		assert_ok(ctx, tv__point_to_ec(ctx, alpha, &ct.alpha, "alpha"));
		assert_ok(ctx, tv__point_to_ec(ctx, M, &ct.beta, "beta"));
		for (size_t m = 0; m < 3; m++) {
			tv_scalar share, l;
			tv_point X;

			/* each trustee alone: D_l = x_l·alpha */
			assert_ok(ctx, tv_trustee_share(ctx, &share, &X, NULL, c.t[sets[s][m] - 1]));
			assert_true(tv_point_equal(&X, &key.verification_key[sets[s][m] - 1]));
			bn_of(x, &share);
			tv_scalar_wipe(&share);
			assert_true(EC_POINT_mul(ctx->group, D, NULL, alpha, x, ctx->bn));
			/* combined: M = beta − Σ λ_l·D_l */
			assert_ok(ctx, tv_ceremony_lagrange(ctx, &l, sets[s][m], sets[s], 3));
			bn_of(lambda, &l);
			assert_true(EC_POINT_mul(ctx->group, D, NULL, D, lambda, ctx->bn));
			assert_true(EC_POINT_invert(ctx->group, D, ctx->bn));
			assert_true(EC_POINT_add(ctx->group, M, M, D, ctx->bn));
		}
		assert_ok(ctx, tv__ec_to_point(ctx, &out, M, "plaintext"));
		assert_true(tv_point_equal(&out, &expected));
		EC_POINT_free(alpha);
		EC_POINT_free(M);
		EC_POINT_free(D);
		BN_clear_free(x);
		BN_free(lambda);
	}
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* ---- an independent implementation of the SPEC §12.2 digests ---- */

static json_t *jparse(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &err);

	if (j == NULL)
		fail_msg("test JSON: %s", err.text);
	return j;
}

static char *jdump(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2));

	assert_non_null(s);
	return s;
}

static void jhex(uint8_t *out, size_t len, json_t *j)
{
	const char *s = json_string_value(j);

	assert_non_null(s);
	assert_int_equal(strlen(s), 2 * len);
	for (size_t i = 0; i < len; i++) {
		unsigned v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static json_t *jstr_hex(const uint8_t *b, size_t len)
{
	char buf[2 * TV_POINT_BYTES + 1];

	tv__hex_encode(buf, b, len);
	return json_string(buf);
}

static void hash_hex_field(tv__hash *h, json_t *j, size_t len)
{
	uint8_t buf[TV_POINT_BYTES];

	jhex(buf, len, j);
	tv__hash_field(h, buf, len);
}

static uint32_t jint(json_t *obj, const char *key)
{
	return (uint32_t)json_integer_value(json_object_get(obj, key));
}

static void hash_head(tv__hash *h, json_t *msg, int with_index)
{
	hash_hex_field(h, json_object_get(msg, "election"), 32);
	if (with_index)
		tv__hash_u32(h, jint(msg, "trustee"));
	tv__hash_u32(h, jint(msg, "trustees"));
	tv__hash_u32(h, jint(msg, "threshold"));
}

/* H("ceremony-commit"; F, i, n, k, C..., (A, v)...) from a reveal */
static void t_commitment_hash(tv_ctx *ctx, uint8_t out[32], json_t *reveal)
{
	json_t *co = json_object_get(reveal, "coefficients");
	tv__hash h;

	assert_ok(ctx, tv__hash_begin(&h, ctx, "ceremony-commit"));
	hash_head(&h, reveal, 1);
	for (size_t j = 0; j < json_array_size(co); j++)
		hash_hex_field(&h, json_object_get(json_array_get(co, j), "commitment"), 65);
	for (size_t j = 0; j < json_array_size(co); j++) {
		json_t *p = json_object_get(json_array_get(co, j), "proof");

		hash_hex_field(&h, json_object_get(p, "commitment"), 65);
		hash_hex_field(&h, json_object_get(p, "response"), 32);
	}
	assert_ok(ctx, tv__hash_final(&h, out));
}

static void t_commit_digest(tv_ctx *ctx, uint8_t out[32], json_t *commit)
{
	json_t *tp = json_object_get(commit, "transport_proof");
	tv__hash h;

	assert_ok(ctx, tv__hash_begin(&h, ctx, "ceremony-commit-message"));
	hash_head(&h, commit, 1);
	hash_hex_field(&h, json_object_get(commit, "transport_key"), 65);
	hash_hex_field(&h, json_object_get(tp, "commitment"), 65);
	hash_hex_field(&h, json_object_get(tp, "response"), 32);
	hash_hex_field(&h, json_object_get(commit, "signing_key"), 65);
	hash_hex_field(&h, json_object_get(commit, "commitment_hash"), 32);
	assert_ok(ctx, tv__hash_final(&h, out));
}

/* Dcs over commit texts given in trustee order */
static void t_commits_digest(tv_ctx *ctx, uint8_t out[32], char *const *commits,
                             uint32_t n)
{
	tv__hash h;
	json_t *first = jparse(commits[0]);

	assert_ok(ctx, tv__hash_begin(&h, ctx, "ceremony-commits"));
	hash_head(&h, first, 0);
	json_decref(first);
	for (uint32_t i = 0; i < n; i++) {
		json_t *c = jparse(commits[i]);
		uint8_t d[32];

		assert_int_equal(jint(c, "trustee"), i + 1);
		t_commit_digest(ctx, d, c);
		tv__hash_field(&h, d, 32);
		json_decref(c);
	}
	assert_ok(ctx, tv__hash_final(&h, out));
}

static void t_reveal_digest(tv_ctx *ctx, uint8_t out[32], json_t *reveal)
{
	json_t *shares = json_object_get(reveal, "shares");
	uint8_t ch[32];
	tv__hash h;

	t_commitment_hash(ctx, ch, reveal);
	assert_ok(ctx, tv__hash_begin(&h, ctx, "ceremony-reveal-message"));
	hash_head(&h, reveal, 1);
	hash_hex_field(&h, json_object_get(reveal, "commits"), 32);
	tv__hash_field(&h, ch, 32);
	for (size_t m = 0; m < json_array_size(shares); m++) {
		json_t *s = json_array_get(shares, m);

		tv__hash_u32(&h, jint(s, "recipient"));
		hash_hex_field(&h, json_object_get(s, "ephemeral"), 65);
		hash_hex_field(&h, json_object_get(s, "ciphertext"), 32);
	}
	assert_ok(ctx, tv__hash_final(&h, out));
}

/* a secret from trustee @p t's serialized state (SPEC §12.6) */
#define STATE_SIGNING 56
#define STATE_TRANSPORT 88
#define STATE_COEFFICIENTS 217

static void state_scalar(tv_ctx *ctx, tv_scalar *out, const tv_trustee *t, size_t at)
{
	uint8_t buf[TV_TRUSTEE_STATE_MAX];
	size_t len;

	assert_ok(ctx, tv_trustee_serialize(ctx, buf, sizeof(buf), &len, t));
	assert_true(at + 32 <= len);
	memcpy(out->bytes, buf + at, 32);
	tv__memzero(buf, sizeof(buf));
}

static void sign_into(tv_ctx *ctx, json_t *msg, const tv_trustee *t, const uint8_t digest[32])
{
	tv_scalar u;
	tv_schnorr_signature sig;
	json_t *o = json_object();

	state_scalar(ctx, &u, t, STATE_SIGNING);
	assert_ok(ctx, tv_schnorr_sign(ctx, &sig, &u, digest, 32));
	tv_scalar_wipe(&u);
	json_object_set_new(o, "commitment", jstr_hex(sig.commitment.bytes, 65));
	json_object_set_new(o, "response", jstr_hex(sig.response.bytes, 32));
	json_object_set_new(msg, "signature", o);
}

/* re-sign a (tampered) reveal as its trustee @p t: text owned by the caller (free()) */
static char *resign_reveal(tv_ctx *ctx, json_t *reveal, const tv_trustee *t)
{
	uint8_t d[32];

	t_reveal_digest(ctx, d, reveal);
	sign_into(ctx, reveal, t, d);
	return jdump(reveal);
}

static char *resign_commit(tv_ctx *ctx, json_t *commit, const tv_trustee *t)
{
	uint8_t d[32];

	t_commit_digest(ctx, d, commit);
	sign_into(ctx, commit, t, d);
	return jdump(commit);
}

/* a JSON string field (hex) replaced: another valid point, or a scalar + 1 */
static void bump_point(tv_ctx *ctx, json_t *obj, const char *key)
{
	tv_point p, q;

	jhex(p.bytes, 65, json_object_get(obj, key));
	test_other_point(ctx, &q, &p);
	json_object_set_new(obj, key, jstr_hex(q.bytes, 65));
}

static void bump_scalar(json_t *obj, const char *key)
{
	tv_scalar s, t;

	jhex(s.bytes, 32, json_object_get(obj, key));
	test_scalar_plus_one(&t, &s);
	json_object_set_new(obj, key, jstr_hex(t.bytes, 32));
}

/* the test's digests are the library's: a re-signed honest reveal still verifies */
static void independent_digests_agree(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	tv_election_key key;
	json_t *j;
	char *again;
	uint8_t dcs[32], stated[32];

	(void)state;
	ceremony_run(&c, ctx, 3, 2);
	t_commits_digest(ctx, dcs, c.commit, 3);
	j = jparse(c.reveal[1]);
	jhex(stated, 32, json_object_get(j, "commits"));
	assert_memory_equal(dcs, stated, 32);
	again = resign_reveal(ctx, j, c.t[1]);
	json_decref(j);
	tv_free(ctx, c.reveal[1]);
	c.reveal[1] = NULL;
	{
		const char *reveals[3] = { c.reveal[0], again, c.reveal[2] };

		/* same content, new signature: the transcript and results still hold */
		assert_ok(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
		                                  reveals, 3, MSGS(c.result), 3));
	}
	free(again);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* ---- a cheating dealer, and complaints ---- */

/* trustee 1 sends trustee 3 a wrong share, signed as its own */
static char *cheating_reveal(tv_ctx *ctx, ceremony *c, uint32_t cheater, uint32_t victim)
{
	json_t *j = jparse(c->reveal[cheater - 1]);
	json_t *shares = json_object_get(j, "shares");
	char *text;

	for (size_t m = 0; m < json_array_size(shares); m++) {
		json_t *s = json_array_get(shares, m);
		uint8_t ct[32];

		if (jint(s, "recipient") != victim)
			continue;
		jhex(ct, 32, json_object_get(s, "ciphertext"));
		ct[31] ^= 1; /* the share plus or minus one: a wrong share */
		json_object_set_new(s, "ciphertext", jstr_hex(ct, 32));
	}
	text = resign_reveal(ctx, j, c->t[cheater - 1]);
	json_decref(j);
	return text;
}

static void cheating_dealer_is_caught_and_proven(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	const char *reveals[5];
	char *bad, *result = NULL, *complaint = NULL;
	uint32_t guilty = 99;

	(void)state;
	ceremony_new(&c, ctx, 5, 3);
	ceremony_commit(&c);
	ceremony_reveal(&c);
	bad = cheating_reveal(ctx, &c, 2, 4);
	for (int i = 0; i < 5; i++)
		reveals[i] = i == 1 ? bad : c.reveal[i];

	/* the victim's combine fails, names the cheater, and complains */
	assert_status(ctx, tv_trustee_combine(ctx, &result, &complaint, c.t[3], MSGS(c.commit),
	                                      5, reveals, 5),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2 sent trustee 4 a share that does not match", NULL);
	assert_null(result);
	assert_non_null(complaint);
	assert_int_equal(tv_trustee_get_stage(c.t[3]), TV_TRUSTEE_REVEALED);

	/* anyone can check it: trustee 2 is guilty */
	assert_ok(ctx, tv_ceremony_check_complaint(ctx, &guilty, fingerprint, 5, 3, complaint,
	                                           MSGS(c.commit), 5, reveals, 5));
	assert_int_equal(guilty, 1u << 1);

	/* the same complaint against the honest reveal is false, naming the accuser */
	assert_status(ctx, tv_ceremony_check_complaint(ctx, &guilty, fingerprint, 5, 3,
	                                               complaint, MSGS(c.commit), 5,
	                                               MSGS(c.reveal), 5),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 4's complaint message", "against trustee 2 is false",
	               "matches its commitments", NULL);
	assert_int_equal(guilty, 0);

	/* without asking for a complaint, the failure is the same */
	assert_status(ctx, tv_trustee_combine(ctx, &result, NULL, c.t[3], MSGS(c.commit), 5,
	                                      reveals, 5),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2 sent trustee 4", NULL);

	/* other recipients got good shares and combine */
	assert_ok(ctx, tv_trustee_combine(ctx, &result, NULL,
	                                  c.t[0], MSGS(c.commit), 5, reveals, 5));
	tv_free(ctx, result);

	/* a complaint altered: its shared secret replaced, the proof fails: false */
	{
		json_t *j = jparse(complaint);
		json_t *a = json_array_get(json_object_get(j, "accusations"), 0);
		char *text;

		bump_point(ctx, a, "shared_secret");
		text = jdump(j);
		assert_status(ctx, tv_ceremony_check_complaint(ctx, &guilty, fingerprint, 5, 3, text,
		                                               MSGS(c.commit), 5, reveals, 5),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, "trustee 4's complaint message",
		               "accusations[0]: ", "against trustee 2 is false",
		               "does not verify", NULL);
		free(text);
		/* accusing another trustee with the same proof: false too */
		bump_point(ctx, a, "shared_secret");
		json_object_set_new(a, "accused", json_integer(3));
		text = jdump(j);
		assert_status(ctx, tv_ceremony_check_complaint(ctx, &guilty, fingerprint, 5, 3, text,
		                                               MSGS(c.commit), 5, reveals, 5),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, "trustee 4's complaint message", "against trustee 3 is false", NULL);
		free(text);
		/* accusing oneself is malformed */
		json_object_set_new(a, "accused", json_integer(4));
		text = jdump(j);
		assert_status(ctx, tv_ceremony_check_complaint(ctx, &guilty, fingerprint, 5, 3, text,
		                                               MSGS(c.commit), 5, reveals, 5),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, "accusations[0].accused", "cannot accuse itself", NULL);
		free(text);
		json_decref(j);
	}
	tv_free(ctx, complaint);
	free(bad);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* two cheaters: one complaint accuses both */
/*
 * A dealer copies an honest dealer's ephemeral key into its own (bad) share
 * for the same recipient: the recipient's complaint would publish
 * S = t_l·E and so decrypt the honest share. Refused before anything is
 * decrypted or published, naming the copier's reveal.
 */
static void copied_ephemeral_is_refused(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	const char *reveals[3];
	char *bad, *result = NULL, *complaint = NULL;
	json_t *honest, *copier, *e = NULL;
	tv_election_key key;

	(void)state;
	ceremony_new(&c, ctx, 3, 2);
	ceremony_commit(&c);
	ceremony_reveal(&c);
	honest = jparse(c.reveal[0]);  /* trustee 1's share for trustee 3 */
	copier = jparse(c.reveal[1]);  /* trustee 2 copies its E */
	for (size_t m = 0; m < json_array_size(json_object_get(honest, "shares")); m++) {
		json_t *sh = json_array_get(json_object_get(honest, "shares"), m);

		if (jint(sh, "recipient") == 3)
			e = json_object_get(sh, "ephemeral");
	}
	assert_non_null(e);
	for (size_t m = 0; m < json_array_size(json_object_get(copier, "shares")); m++) {
		json_t *sh = json_array_get(json_object_get(copier, "shares"), m);

		if (jint(sh, "recipient") == 3)
			json_object_set(sh, "ephemeral", e);
	}
	bad = resign_reveal(ctx, copier, c.t[1]);
	reveals[0] = c.reveal[0];
	reveals[1] = bad;
	reveals[2] = c.reveal[2];
	assert_status(ctx, tv_trustee_combine(ctx, &result, &complaint, c.t[2], MSGS(c.commit), 3,
	                                      reveals, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "reuses the ephemeral key of trustee 1's share for trustee 3", NULL);
	assert_null(complaint);
	assert_null(result);
	/* an observer refuses such a transcript too */
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      reveals, 3, MSGS(c.reveal), 3),
	              TV_ERR_CEREMONY_INVALID);
	json_decref(honest);
	json_decref(copier);
	free(bad);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

static void two_cheaters_one_complaint(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	const char *reveals[4];
	char *bad1, *bad3, *result = NULL, *complaint = NULL;
	uint32_t guilty = 0;

	(void)state;
	ceremony_new(&c, ctx, 4, 2);
	ceremony_commit(&c);
	ceremony_reveal(&c);
	bad1 = cheating_reveal(ctx, &c, 1, 2);
	bad3 = cheating_reveal(ctx, &c, 3, 2);
	reveals[0] = bad1;
	reveals[1] = c.reveal[1];
	reveals[2] = bad3;
	reveals[3] = c.reveal[3];
	assert_status(ctx, tv_trustee_combine(ctx, &result, &complaint, c.t[1], MSGS(c.commit),
	                                      4, reveals, 4),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 1 sent trustee 2", "so did other trustees", NULL);
	assert_ok(ctx, tv_ceremony_check_complaint(ctx, &guilty, fingerprint, 4, 2, complaint,
	                                           MSGS(c.commit), 4, reveals, 4));
	assert_int_equal(guilty, (1u << 0) | (1u << 2));
	tv_free(ctx, complaint);
	free(bad1);
	free(bad3);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* a complaint made by hand, with the true shared secret of an honest share */
static void false_complaint_is_detected(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	json_t *rv, *cm, *items, *item, *po;
	tv_scalar t2;
	tv_point g, T2, E, S;
	tv_cp_proof proof;
	uint8_t context[32 + 18 + 8];
	char *text;
	uint32_t guilty = 7;

	(void)state;
	ceremony_run(&c, ctx, 3, 2);
	/* trustee 2 accuses trustee 1 with S = t_2·E, honestly proven */
	state_scalar(ctx, &t2, c.t[1], STATE_TRANSPORT);
	assert_ok(ctx, tv_point_base_mul(ctx, &T2, &t2));
	rv = jparse(c.reveal[0]);
	jhex(E.bytes, 65, json_object_get(json_array_get(json_object_get(rv, "shares"), 0),
	                                  "ephemeral"));
	assert_int_equal(jint(json_array_get(json_object_get(rv, "shares"), 0), "recipient"), 2);
	{
		EC_POINT *P = EC_POINT_new(ctx->group);
		BIGNUM *x = BN_new();

		assert_ok(ctx, tv__point_to_ec(ctx, P, &E, "E"));
		bn_of(x, &t2);
		assert_true(EC_POINT_mul(ctx->group, P, NULL, P, x, ctx->bn));
		assert_ok(ctx, tv__ec_to_point(ctx, &S, P, "S"));
		EC_POINT_free(P);
		BN_clear_free(x);
	}
	memcpy(context, fingerprint, 32);
	memcpy(context + 32, "ceremony-complaint", 18);
	memcpy(context + 50, "\0\0\0\2\0\0\0\1", 8);
	tv_point_generator(&g);
	assert_ok(ctx, tv_cp_prove(ctx, &proof, &t2, &g, &T2, &E, &S, context, sizeof(context)));
	tv_scalar_wipe(&t2);

	cm = json_object();
	json_object_set_new(cm, "format", json_string(TV_CEREMONY_COMPLAINT_FORMAT));
	json_object_set_new(cm, "election", jstr_hex(fingerprint, 32));
	json_object_set_new(cm, "trustee", json_integer(2));
	json_object_set_new(cm, "trustees", json_integer(3));
	json_object_set_new(cm, "threshold", json_integer(2));
	items = json_array();
	item = json_object();
	po = json_object();
	json_object_set_new(po, "commitment1", jstr_hex(proof.commitment1.bytes, 65));
	json_object_set_new(po, "commitment2", jstr_hex(proof.commitment2.bytes, 65));
	json_object_set_new(po, "response", jstr_hex(proof.response.bytes, 32));
	json_object_set_new(item, "accused", json_integer(1));
	json_object_set_new(item, "shared_secret", jstr_hex(S.bytes, 65));
	json_object_set_new(item, "proof", po);
	json_array_append_new(items, item);
	json_object_set_new(cm, "accusations", items);
	text = jdump(cm);
	assert_status(ctx, tv_ceremony_check_complaint(ctx, &guilty, fingerprint, 3, 2, text,
	                                               MSGS(c.commit), 3, MSGS(c.reveal), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's complaint message", "against trustee 1 is false",
	               "matches its commitments", NULL);
	assert_int_equal(guilty, 0);
	free(text);

	/* the proof made under another accuser's name does not verify */
	json_object_set_new(cm, "trustee", json_integer(3));
	text = jdump(cm);
	assert_status(ctx, tv_ceremony_check_complaint(ctx, &guilty, fingerprint, 3, 2, text,
	                                               MSGS(c.commit), 3, MSGS(c.reveal), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 3's complaint message", "does not verify", NULL);
	free(text);

	/* malformed complaints */
	json_object_set_new(cm, "trustee", json_integer(2));
	json_object_set_new(cm, "accusations", json_array());
	text = jdump(cm);
	assert_status(ctx, tv_ceremony_check_complaint(ctx, NULL, fingerprint, 3, 2, text,
	                                               MSGS(c.commit), 3, MSGS(c.reveal), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's complaint message", "accusations: ",
	               "0 entries", NULL);
	free(text);
	assert_status(ctx, tv_ceremony_check_complaint(ctx, NULL, fingerprint, 3, 2,
	                                               c.result[0], MSGS(c.commit), 3,
	                                               MSGS(c.reveal), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "complaint message", "format: ", NULL);
	json_decref(cm);
	json_decref(rv);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* ---- reveals that do not match, bad proofs ---- */

static void reveal_must_match_commitment(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	tv_election_key key;
	const char *reveals[3];
	char *bad, *result = NULL, *complaint = NULL;
	json_t *j;

	(void)state;
	ceremony_run(&c, ctx, 3, 2);
	reveals[0] = c.reveal[0];
	reveals[2] = c.reveal[2];

	/* another coefficient commitment, signed by its trustee */
	j = jparse(c.reveal[1]);
	bump_point(ctx, json_array_get(json_object_get(j, "coefficients"), 1), "commitment");
	bad = resign_reveal(ctx, j, c.t[1]);
	reveals[1] = bad;
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      reveals, 3, MSGS(c.result), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's reveal message: does not match its commitment", NULL);
	{
		/* so does a trustee combining it */
		assert_status(ctx, tv_trustee_combine(ctx, &result, &complaint, c.t[0],
		                                      MSGS(c.commit), 3, reveals, 3),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, "trustee 2's reveal message: does not match its commitment", NULL);
		assert_null(complaint);
	}
	free(bad);

	/* a proof response changed: the commitment hash no longer matches either */
	json_decref(j);
	j = jparse(c.reveal[1]);
	bump_scalar(json_object_get(json_array_get(json_object_get(j, "coefficients"), 0),
	                            "proof"),
	            "response");
	bad = resign_reveal(ctx, j, c.t[1]);
	reveals[1] = bad;
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      reveals, 3, MSGS(c.result), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's reveal message: does not match its commitment", NULL);
	free(bad);

	/* changed without the trustee's signature: not trustee 2's doing */
	json_decref(j);
	j = jparse(c.reveal[1]);
	bump_point(ctx, json_array_get(json_object_get(j, "shares"), 0), "ephemeral");
	bad = jdump(j);
	reveals[1] = bad;
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      reveals, 3, MSGS(c.result), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's reveal message: signature: ", NULL);
	free(bad);

	/* re-signed, but made for other commit messages */
	json_decref(j);
	j = jparse(c.reveal[1]);
	json_object_set_new(j, "commits", jstr_hex(fingerprint, 32));
	bad = resign_reveal(ctx, j, c.t[1]);
	reveals[1] = bad;
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      reveals, 3, MSGS(c.result), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's reveal message: commits: ",
	               "different set of commit messages", NULL);
	free(bad);
	json_decref(j);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/*
 * Trustee 2 commits to a proof of knowledge that does not verify: its
 * commit carries the matching commitment hash and its reveal is signed,
 * so the proof itself is what fails, naming the trustee and coefficient.
 */
static void bad_proof_of_knowledge(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	json_t *rv, *cm;
	char *commits[3], *bad_commit, *bad_reveal, *template = NULL, *result = NULL;
	const char *reveals[3];
	uint8_t ch[32], dcs[32];

	(void)state;
	ceremony_new(&c, ctx, 3, 2);
	ceremony_commit(&c);
	/* trustee 2's honest reveal, as a template for the one it will sign */
	assert_ok(ctx, tv_trustee_reveal(ctx, &template, c.t[1], MSGS(c.commit), 3));
	rv = jparse(template);
	bump_scalar(json_object_get(json_array_get(json_object_get(rv, "coefficients"), 1),
	                            "proof"),
	            "response");
	/* its commit carries the hash of the bad proof, signed */
	t_commitment_hash(ctx, ch, rv);
	cm = jparse(c.commit[1]);
	json_object_set_new(cm, "commitment_hash", jstr_hex(ch, 32));
	bad_commit = resign_commit(ctx, cm, c.t[1]);
	commits[0] = c.commit[0];
	commits[1] = bad_commit;
	commits[2] = c.commit[2];
	/* and its reveal names that set of commits, signed */
	t_commits_digest(ctx, dcs, commits, 3);
	json_object_set_new(rv, "commits", jstr_hex(dcs, 32));
	bad_reveal = resign_reveal(ctx, rv, c.t[1]);

	/* the others reveal to that set; trustee 1's combine names the bad proof */
	assert_ok(ctx, tv_trustee_reveal(ctx, &c.reveal[0], c.t[0], MSGS(commits), 3));
	assert_ok(ctx, tv_trustee_reveal(ctx, &c.reveal[2], c.t[2], MSGS(commits), 3));
	reveals[0] = c.reveal[0];
	reveals[1] = bad_reveal;
	reveals[2] = c.reveal[2];
	assert_status(ctx, tv_trustee_combine(ctx, &result, NULL, c.t[0], MSGS(commits), 3,
	                                      reveals, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's reveal message", "coefficients[1].proof: ",
	               "proof of knowledge", NULL);
	assert_null(result);
	json_decref(cm);
	json_decref(rv);
	free(bad_commit);
	free(bad_reveal);
	tv_free(ctx, template);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* a commit whose transport proof or signature fails is refused before revealing */
static void bad_commit_proofs(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	const char *commits[3];
	char *bad, *out = NULL;
	json_t *j;

	(void)state;
	ceremony_new(&c, ctx, 3, 2);
	ceremony_commit(&c);
	commits[0] = c.commit[0];
	commits[2] = c.commit[2];

	j = jparse(c.commit[1]);
	bump_scalar(json_object_get(j, "transport_proof"), "response");
	bad = resign_commit(ctx, j, c.t[1]);
	commits[1] = bad;
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's commit message", "transport_proof: ", NULL);
	assert_null(out);
	assert_int_equal(tv_trustee_get_stage(c.t[0]), TV_TRUSTEE_KEYS_MADE);
	free(bad);
	json_decref(j);

	/* the transport key of another trustee: its proof is bound to the index */
	j = jparse(c.commit[1]);
	{
		json_t *other = jparse(c.commit[2]);

		json_object_set(j, "transport_key", json_object_get(other, "transport_key"));
		json_object_set(j, "transport_proof", json_object_get(other, "transport_proof"));
		json_decref(other);
	}
	bad = resign_commit(ctx, j, c.t[1]);
	commits[1] = bad;
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's commit message", "transport_proof: ", NULL);
	free(bad);
	json_decref(j);

	/* changed without re-signing */
	j = jparse(c.commit[1]);
	json_object_set_new(j, "commitment_hash", jstr_hex(other_fingerprint, 32));
	bad = jdump(j);
	commits[1] = bad;
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's commit message", "signature: ", NULL);
	free(bad);
	json_decref(j);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* ---- messages from the wrong ceremony, duplicated, missing ---- */

static void wrong_ceremony_messages(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	tv_trustee *stranger = NULL;
	char *foreign = NULL, *out = NULL;
	const char *commits[4];
	tv_election_key key;

	(void)state;
	ceremony_new(&c, ctx, 3, 2);
	ceremony_commit(&c);
	commits[0] = c.commit[0];
	commits[2] = c.commit[2];

	/* another election */
	assert_ok(ctx, tv_trustee_new(ctx, &stranger, other_fingerprint, 2, 3, 2));
	assert_ok(ctx, tv_trustee_commit(ctx, &foreign, stranger));
	commits[1] = foreign;
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's commit message: election: ",
	               "another election", NULL);
	tv_free(ctx, foreign);
	tv_trustee_free(stranger);

	/* another number of trustees */
	assert_ok(ctx, tv_trustee_new(ctx, &stranger, fingerprint, 2, 4, 2));
	assert_ok(ctx, tv_trustee_commit(ctx, &foreign, stranger));
	commits[1] = foreign;
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's commit message: trustees: ", "must be 3", NULL);
	tv_free(ctx, foreign);
	tv_trustee_free(stranger);

	/* another threshold */
	assert_ok(ctx, tv_trustee_new(ctx, &stranger, fingerprint, 2, 3, 3));
	assert_ok(ctx, tv_trustee_commit(ctx, &foreign, stranger));
	commits[1] = foreign;
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's commit message: threshold: ", "must be 2", NULL);
	tv_free(ctx, foreign);
	tv_trustee_free(stranger);

	/* a trustee number beyond n (from a 4-trustee ceremony, 3 expected) */
	assert_ok(ctx, tv_trustee_new(ctx, &stranger, fingerprint, 4, 4, 2));
	assert_ok(ctx, tv_trustee_commit(ctx, &foreign, stranger));
	commits[1] = foreign;
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "commit message 2 of 3", "trustees: ", NULL);
	tv_free(ctx, foreign);
	tv_trustee_free(stranger);

	/* a duplicated trustee, and one trustee's commit twice */
	commits[1] = c.commit[2];
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "commit messages 2 and 3 of 3 are both from trustee 3", NULL);
	commits[1] = c.commit[1];
	commits[3] = c.commit[1];
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 4),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "commit messages 2 and 4 of 4 are both from trustee 2", NULL);

	/* reveal before every trustee has committed: refused */
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 2), TV_ERR_STATE);
	assert_message(ctx, "no commit message from trustee 3 yet", NULL);
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 0), TV_ERR_STATE);
	assert_message(ctx, "no commit message from trustee 1 yet", NULL);
	assert_int_equal(tv_trustee_get_stage(c.t[0]), TV_TRUSTEE_KEYS_MADE);

	/* combine before revealing */
	assert_status(ctx, tv_trustee_combine(ctx, &out, NULL, c.t[0], commits, 3, commits, 3),
	              TV_ERR_STATE);
	assert_message(ctx, "trustee 1 has not revealed yet", NULL);

	/* the messages in any order are fine; missing reveals are early */
	{
		const char *shuffled[3] = { c.commit[2], c.commit[0], c.commit[1] };
		char *result = NULL;

		ceremony_reveal(&c);
		tv_free(ctx, c.reveal[0]);
		assert_ok(ctx, tv_trustee_reveal(ctx, &c.reveal[0], c.t[0], shuffled, 3));
		assert_status(ctx, tv_trustee_combine(ctx, &result, NULL, c.t[0], shuffled, 3,
		                                      MSGS(c.reveal), 2),
		              TV_ERR_STATE);
		assert_message(ctx, "no reveal message from trustee 3 yet", NULL);
		ceremony_combine(&c);
	}
	/* an observer's transcript with a message missing is invalid */
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      MSGS(c.reveal), 2, MSGS(c.result), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "no reveal message from trustee 3", NULL);
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      MSGS(c.reveal), 3, MSGS(c.result), 1),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "no result message from trustee 2", NULL);
	/* or with the wrong election or size */
	assert_status(ctx, tv_ceremony_verify(ctx, &key, other_fingerprint, 3, 2,
	                                      MSGS(c.commit), 3, MSGS(c.reveal), 3,
	                                      MSGS(c.result), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "commit message: election: is another election's fingerprint", NULL);
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 3, MSGS(c.commit), 3,
	                                      MSGS(c.reveal), 3, MSGS(c.result), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 1's commit message: threshold: ", NULL);
	/* kinds swapped */
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.reveal), 3,
	                                      MSGS(c.commit), 3, MSGS(c.result), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 1's commit message: format: ",
	               TV_CEREMONY_COMMIT_FORMAT, NULL);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* the fields of a message: types, lengths, unknown keys, JSON itself */
static void malformed_messages(void **state)
{
	static const struct {
		const char *path; /* "key" or "key.sub" */
		const char *json; /* replacement value; NULL deletes */
		const char *expect;
	} cases[] = {
		{ "transport_key", NULL, "transport_key: is missing" },
		{ "transport_key", "7", "transport_key: must be a string" },
		{ "transport_key", "\"04\"", "transport_key: must be 130 hex characters, not 2" },
		/* G with the last bit of y flipped: off the curve */
		{ "signing_key",
		  "\"046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
		  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f4\"",
		  "signing_key: point: not a point on P-256" },
		{ "commitment_hash", "\"AB\"", "commitment_hash: must be 64 hex characters, not 2" },
		/* n itself */
		{ "transport_proof.response",
		  "\"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551\"",
		  "transport_proof.response: scalar is not below the group order" },
		{ "transport_proof.extra", "1", "transport_proof: has an unknown field \"extra\"" },
		{ "signature", "[]", "signature: must be an object" },
		{ "extra", "null", "unknown field \"extra\"" },
		{ "trustee", "1.0", "trustee: must be a whole number, not a number" },
		{ "trustee", "0", "trustee: is 0, not from 1 to 3" },
		{ "trustees", "\"3\"", "trustees: must be a whole number, not a string" },
		{ "format", "\"tenantvote-ceremony-commit/2\"",
		  "format: is \"tenantvote-ceremony-commit/2\", not" },
		{ "election", "\"00\"", "election: must be 64 hex characters, not 2" },
	};
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	const char *commits[3];
	char *out = NULL;

	(void)state;
	ceremony_new(&c, ctx, 3, 2);
	ceremony_commit(&c);
	commits[0] = c.commit[0];
	commits[2] = c.commit[2];
	for (size_t m = 0; m < sizeof(cases) / sizeof(cases[0]); m++) {
		json_t *j = jparse(c.commit[1]), *target = j;
		char key[64], *dot, *text;

		snprintf(key, sizeof(key), "%s", cases[m].path);
		dot = strchr(key, '.');
		if (dot != NULL) {
			*dot = '\0';
			target = json_object_get(j, key);
			memmove(key, dot + 1, strlen(dot + 1) + 1);
		}
		if (cases[m].json == NULL)
			json_object_del(target, key);
		else
			json_object_set_new(target, key, json_loads(cases[m].json, JSON_DECODE_ANY, NULL));
		text = jdump(j);
		commits[1] = text;
		assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, cases[m].expect, NULL);
		free(text);
		json_decref(j);
	}
	/* whole-message faults, named by position */
	{
		static const char *const texts[] = {
			"", "[]", "{\"format\": 1", "{} trailing",
			"{\"format\": \"a\", \"format\": \"b\"}",
		};
		static const char *const expect[] = {
			"commit message 2 of 3: not valid JSON",
			"commit message 2 of 3: must be an object, not an array",
			"commit message 2 of 3: not valid JSON",
			"commit message 2 of 3: not valid JSON",
			"commit message 2 of 3: not valid JSON at line 1 column 24: duplicate object key",
		};

		for (size_t m = 0; m < 5; m++) {
			commits[1] = texts[m];
			assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
			              TV_ERR_CEREMONY_INVALID);
			assert_message(ctx, expect[m], NULL);
		}
		commits[1] = "7";
		assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
		              TV_ERR_CEREMONY_INVALID);
		commits[1] = NULL;
		assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
		              TV_ERR_INVALID_ARGUMENT);
		assert_message(ctx, "commit message 2 of 3 is NULL", NULL);
	}
	/* over the size limit: refused before parsing */
	{
		char *big = malloc(TV_CEREMONY_MESSAGE_MAX + 2);

		assert_non_null(big);
		memset(big, ' ', TV_CEREMONY_MESSAGE_MAX + 1);
		big[TV_CEREMONY_MESSAGE_MAX + 1] = '\0';
		commits[1] = big;
		assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, "commit message 2 of 3: 65537 bytes is over the 65536-byte limit",
		               NULL);
		free(big);
	}
	/* the reveal's shares: one per other trustee, in order */
	ceremony_reveal(&c);
	{
		json_t *j = jparse(c.reveal[1]);
		json_t *shares = json_object_get(j, "shares");
		const char *reveals[3] = { c.reveal[0], NULL, c.reveal[2] };
		char *text;

		json_array_append(shares, json_array_get(shares, 0));
		json_array_remove(shares, 0);
		text = jdump(j);
		reveals[1] = text;
		assert_status(ctx, tv_trustee_combine(ctx, &out, NULL, c.t[0], MSGS(c.commit), 3,
		                                      reveals, 3),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, "trustee 2's reveal message: shares[0].recipient: ",
		               "is 3, not 1", NULL);
		free(text);
		json_array_remove(shares, 0);
		text = jdump(j);
		reveals[1] = text;
		assert_status(ctx, tv_trustee_combine(ctx, &out, NULL, c.t[0], MSGS(c.commit), 3,
		                                      reveals, 3),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, "trustee 2's reveal message: shares: ",
		               "has 1 entries, not 2", NULL);
		free(text);
		json_decref(j);
		j = jparse(c.reveal[1]);
		json_array_remove(json_object_get(j, "coefficients"), 1);
		text = jdump(j);
		reveals[1] = text;
		assert_status(ctx, tv_trustee_combine(ctx, &out, NULL, c.t[0], MSGS(c.commit), 3,
		                                      reveals, 3),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, "trustee 2's reveal message: coefficients: ",
		               "has 1 entries, not 2", NULL);
		free(text);
		json_decref(j);
	}
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* ---- binding: own commit, one set of commits, one transcript ---- */

static void reveal_binds_to_one_commit_set(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	tv_trustee *impostor = NULL;
	char *fake = NULL, *out = NULL;
	const char *commits[3];

	(void)state;
	ceremony_new(&c, ctx, 3, 2);
	ceremony_commit(&c);

	/* trustee 1's commit replaced by someone else's trustee-1 commit */
	assert_ok(ctx, tv_trustee_new(ctx, &impostor, fingerprint, 1, 3, 2));
	assert_ok(ctx, tv_trustee_commit(ctx, &fake, impostor));
	commits[0] = fake;
	commits[1] = c.commit[1];
	commits[2] = c.commit[2];
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[0], commits, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 1's commit message in this set is not the one trustee 1 made",
	               NULL);

	/* trustee 2 reveals to a set with the impostor; later it refuses the real set */
	assert_ok(ctx, tv_trustee_reveal(ctx, &out, c.t[1], commits, 3));
	tv_free(ctx, out);
	assert_ok(ctx, tv_trustee_reveal(ctx, &out, c.t[1], commits, 3)); /* same set: again */
	tv_free(ctx, out);
	assert_status(ctx, tv_trustee_reveal(ctx, &out, c.t[1], MSGS(c.commit), 3), TV_ERR_STATE);
	assert_message(ctx, "trustee 2 has already revealed its shares to a different set", NULL);
	assert_null(out);

	/* and the real trustees' combine rejects it */
	assert_ok(ctx, tv_trustee_reveal(ctx, &c.reveal[0], c.t[0], MSGS(c.commit), 3));
	assert_ok(ctx, tv_trustee_reveal(ctx, &c.reveal[1], c.t[1], commits, 3));
	assert_ok(ctx, tv_trustee_reveal(ctx, &c.reveal[2], c.t[2], MSGS(c.commit), 3));
	assert_status(ctx, tv_trustee_combine(ctx, &out, NULL, c.t[0], MSGS(c.commit), 3,
	                                      MSGS(c.reveal), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's reveal message: commits: ", NULL);
	assert_status(ctx, tv_trustee_combine(ctx, &out, NULL, c.t[1], MSGS(c.commit), 3,
	                                      MSGS(c.reveal), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "not the ones trustee 2 revealed to", NULL);
	tv_free(ctx, fake);
	tv_trustee_free(impostor);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

static void combine_binds_to_one_transcript(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	char *again = NULL, *result = NULL;
	const char *reveals[3];
	tv_election_key key;

	(void)state;
	ceremony_run(&c, ctx, 3, 2);
	/* the same transcript again: the same key, a fresh result */
	assert_ok(ctx, tv_trustee_combine(ctx, &result, NULL, c.t[0], MSGS(c.commit), 3,
	                                  MSGS(c.reveal), 3));
	tv_free(ctx, c.result[0]);
	c.result[0] = result;
	ceremony_verify(&c, &key);

	/* trustee 2 encrypts again: a second, different transcript */
	assert_ok(ctx, tv_trustee_reveal(ctx, &again, c.t[1], MSGS(c.commit), 3));
	reveals[0] = c.reveal[0];
	reveals[1] = again;
	reveals[2] = c.reveal[2];
	assert_status(ctx, tv_trustee_combine(ctx, &result, NULL, c.t[0], MSGS(c.commit), 3,
	                                      reveals, 3),
	              TV_ERR_STATE);
	assert_message(ctx, "trustee 1 has already combined a different transcript", NULL);

	/* an observer given results of different transcripts refuses them */
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      reveals, 3, MSGS(c.result), 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 1's result message: transcript: ", NULL);
	tv_free(ctx, again);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

static void tampered_results(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	tv_election_key key;
	const char *results[3];
	char *bad;
	json_t *j;

	(void)state;
	ceremony_run(&c, ctx, 3, 2);
	results[0] = c.result[0];
	results[2] = c.result[2];

	j = jparse(c.result[1]);
	bump_point(ctx, j, "verification_key");
	bad = jdump(j);
	results[1] = bad;
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      MSGS(c.reveal), 3, results, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's result message: verification_key: ",
	               "does not follow from the coefficient commitments", NULL);
	assert_int_equal(key.trustees, 0);
	free(bad);
	json_decref(j);

	j = jparse(c.result[1]);
	bump_point(ctx, j, "election_key");
	bad = jdump(j);
	results[1] = bad;
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      MSGS(c.reveal), 3, results, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's result message: election_key: ", NULL);
	free(bad);
	json_decref(j);

	j = jparse(c.result[1]);
	bump_scalar(json_object_get(j, "share_proof"), "response");
	bad = jdump(j);
	results[1] = bad;
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, MSGS(c.commit), 3,
	                                      MSGS(c.reveal), 3, results, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's result message: share_proof: ", NULL);
	free(bad);
	json_decref(j);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* ---- the secret state ---- */

static tv_trustee *roundtrip(tv_ctx *ctx, tv_trustee *t)
{
	uint8_t a[TV_TRUSTEE_STATE_MAX], b[TV_TRUSTEE_STATE_MAX];
	size_t la, lb;
	tv_trustee *back = NULL;

	assert_ok(ctx, tv_trustee_serialize(ctx, a, sizeof(a), &la, t));
	assert_int_equal(la, 636);
	assert_ok(ctx, tv_trustee_deserialize(ctx, &back, a, la));
	assert_ok(ctx, tv_trustee_serialize(ctx, b, sizeof(b), &lb, back));
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_int_equal(tv_trustee_get_stage(back), tv_trustee_get_stage(t));
	tv_trustee_free(t);
	return back;
}

/* a ceremony where every trustee is saved and loaded between steps */
static void state_survives_every_step(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	tv_election_key key;

	(void)state;
	ceremony_new(&c, ctx, 3, 2);
	for (int i = 0; i < 3; i++)
		c.t[i] = roundtrip(ctx, c.t[i]);
	ceremony_commit(&c);
	for (int i = 0; i < 3; i++)
		c.t[i] = roundtrip(ctx, c.t[i]);
	ceremony_reveal(&c);
	for (int i = 0; i < 3; i++)
		c.t[i] = roundtrip(ctx, c.t[i]);
	ceremony_combine(&c);
	for (int i = 0; i < 3; i++)
		c.t[i] = roundtrip(ctx, c.t[i]);
	check_agreement(&c, &key);
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

static void tampered_state_is_refused(void **state)
{
	static const struct {
		size_t at;       /* byte to change; SIZE_MAX: truncate */
		uint8_t xor;
		const char *expect;
	} cases[] = {
		{ 0, 0x01, "does not start with \"TVTS\"" },
		{ 7, 0x03, "version 2 is not the version 1" },
		{ 43, 0x05, "trustee number" },
		{ 47, 0x10, "are not 1 <= threshold <= trustees" },
		{ 51, 0x03, "not the" },            /* threshold 1: length wrong */
		{ 55, 0x04, "stage 5 (byte 52)" },
		{ 56, 0x01, "" }, /* the signing secret: see below */
		{ 88, 0x01, "transport proof" },
		{ 121, 0x01, "transport proof" },
		{ 186, 0x01, "transport proof" },
		{ 217, 0x01, "proof of coefficient 0" },
		{ 217 + 32 + 1, 0x01, "proof of coefficient 0" },
		{ 217 + 129 + 97, 0x01, "proof of coefficient 1" },
		{ 217 + 258 + 5, 0x01, "commits digest" },
		{ 217 + 258 + 40, 0x01, "before the trustee has combined" },
		{ SIZE_MAX, 0, "bytes, not the 636 of threshold 2" },
	};
	tv_ctx *ctx = test_ctx_new();
	tv_trustee *t = NULL, *back = NULL;
	uint8_t buf[TV_TRUSTEE_STATE_MAX], bad[TV_TRUSTEE_STATE_MAX];
	size_t len;

	(void)state;
	assert_ok(ctx, tv_trustee_new(ctx, &t, fingerprint, 2, 3, 2));
	assert_ok(ctx, tv_trustee_serialize(ctx, buf, sizeof(buf), &len, t));
	assert_int_equal(len, 636);
	for (size_t m = 0; m < sizeof(cases) / sizeof(cases[0]); m++) {
		size_t blen = len;
		tv_status status;

		memcpy(bad, buf, len);
		if (cases[m].at == SIZE_MAX)
			blen--;
		else
			bad[cases[m].at] ^= cases[m].xor;
		status = tv_trustee_deserialize(ctx, &back, bad, blen);
		if (cases[m].at == 56) {
			/*
			 * The signing secret has no stored proof: a changed one is a
			 * different valid key, caught when its commit is checked.
			 */
			assert_ok(ctx, status);
			tv_trustee_free(back);
			back = NULL;
			continue;
		}
		assert_status(ctx, status, TV_ERR_ENCODING);
		assert_null(back);
		assert_message(ctx, "trustee state", cases[m].expect, NULL);
	}
	/* secrets zero or not below n */
	memcpy(bad, buf, len);
	memset(bad + 88, 0, 32);
	assert_status(ctx, tv_trustee_deserialize(ctx, &back, bad, len), TV_ERR_ENCODING);
	assert_message(ctx, "transport secret (byte 88) is zero", NULL);
	memset(bad + 88, 0xff, 32);
	assert_status(ctx, tv_trustee_deserialize(ctx, &back, bad, len), TV_ERR_ENCODING);
	assert_message(ctx, "transport secret (byte 88)", "not below the group order", NULL);
	memcpy(bad, buf, len);
	bad[120] = 0x02;
	assert_status(ctx, tv_trustee_deserialize(ctx, &back, bad, len), TV_ERR_ENCODING);
	assert_message(ctx, "transport proof (byte 120)", "must start with 04", NULL);
	/* short, empty, and arguments */
	assert_status(ctx, tv_trustee_deserialize(ctx, &back, buf, 10), TV_ERR_ENCODING);
	assert_message(ctx, "shorter than its 56-byte header", NULL);
	assert_status(ctx, tv_trustee_deserialize(ctx, &back, NULL, 0), TV_ERR_ENCODING);
	assert_status(ctx, tv_trustee_deserialize(ctx, NULL, buf, len), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_trustee_serialize(ctx, bad, len - 1, &len, t),
	              TV_ERR_INVALID_ARGUMENT);
	assert_int_equal(len, 0);
	tv__memzero(buf, sizeof(buf));
	tv__memzero(bad, sizeof(bad));
	tv_trustee_free(t);
	tv_ctx_free(ctx);
}

/* a combined trustee's stage data is checked too */
static void tampered_combined_state(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	uint8_t buf[TV_TRUSTEE_STATE_MAX], bad[TV_TRUSTEE_STATE_MAX];
	size_t len, base = 217 + 2 * 129;
	tv_trustee *back = NULL;
	tv_scalar share;

	(void)state;
	ceremony_run(&c, ctx, 3, 2);
	assert_ok(ctx, tv_trustee_serialize(ctx, buf, sizeof(buf), &len, c.t[0]));
	memcpy(bad, buf, len);
	memset(bad + base + 64, 0, 32);
	assert_status(ctx, tv_trustee_deserialize(ctx, &back, bad, len), TV_ERR_ENCODING);
	assert_message(ctx, "share (byte 539) is zero", NULL);
	memcpy(bad, buf, len);
	bad[base + 96 + 64] ^= 1;
	assert_status(ctx, tv_trustee_deserialize(ctx, &back, bad, len), TV_ERR_ENCODING);
	assert_message(ctx, "election key (byte 571)", "not a point on P-256", NULL);
	/* a stage lowered is caught by the data it should not have */
	memcpy(bad, buf, len);
	bad[55] = 2;
	assert_status(ctx, tv_trustee_deserialize(ctx, &back, bad, len), TV_ERR_ENCODING);
	assert_message(ctx, "set before the trustee has combined", NULL);
	/* a share only after combining */
	{
		tv_trustee *t = NULL;

		assert_ok(ctx, tv_trustee_new(ctx, &t, fingerprint, 1, 3, 2));
		assert_status(ctx, tv_trustee_share(ctx, &share, NULL, NULL, t), TV_ERR_STATE);
		assert_message(ctx, "trustee 1 has no share yet", NULL);
		tv_trustee_free(t);
	}
	tv__memzero(buf, sizeof(buf));
	tv__memzero(bad, sizeof(bad));
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* ---- Lagrange coefficients and arguments ---- */

static void lagrange_coefficients(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	static const uint32_t set[] = { 1, 3, 4 };
	static const uint32_t dup[] = { 1, 3, 1 };
	static const uint32_t big[] = { 1, 17 };
	tv_scalar l, expected;

	(void)state;
	/* λ_1 for {1, 2}: 2 / (2 − 1) = 2; λ_2: 1 / (1 − 2) = −1 */
	assert_ok(ctx, tv_ceremony_lagrange(ctx, &l, 1, (const uint32_t[]){ 1, 2 }, 2));
	memset(&expected, 0, sizeof(expected));
	expected.bytes[31] = 2;
	assert_memory_equal(&l, &expected, 32);
	assert_ok(ctx, tv_ceremony_lagrange(ctx, &l, 2, (const uint32_t[]){ 1, 2 }, 2));
	test_scalar_plus_one(&expected, &l);
	memset(&l, 0, sizeof(l));
	assert_memory_equal(&expected, &l, 32); /* −1 + 1 = 0 */
	/* a set of one: λ = 1 */
	assert_ok(ctx, tv_ceremony_lagrange(ctx, &l, 5, (const uint32_t[]){ 5 }, 1));
	memset(&expected, 0, sizeof(expected));
	expected.bytes[31] = 1;
	assert_memory_equal(&l, &expected, 32);

	assert_status(ctx, tv_ceremony_lagrange(ctx, &l, 2, set, 3), TV_ERR_INVALID_ARGUMENT);
	assert_message(ctx, "trustee 2 is not in the set", NULL);
	assert_status(ctx, tv_ceremony_lagrange(ctx, &l, 1, dup, 3), TV_ERR_INVALID_ARGUMENT);
	assert_message(ctx, "trustee 1 is in the set twice", NULL);
	assert_status(ctx, tv_ceremony_lagrange(ctx, &l, 1, big, 2), TV_ERR_INVALID_ARGUMENT);
	assert_message(ctx, "trustee number 17 is not from 1 to 16", NULL);
	assert_status(ctx, tv_ceremony_lagrange(ctx, &l, 1, set, 0), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_ceremony_lagrange(ctx, &l, 1, NULL, 3), TV_ERR_INVALID_ARGUMENT);
	tv_ctx_free(ctx);
}

static void argument_checks(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_trustee *t = (tv_trustee *)&t;
	tv_election_key key;
	char *out = (char *)"x";

	(void)state;
	assert_status(ctx, tv_trustee_new(ctx, &t, fingerprint, 1, 3, 4), TV_ERR_INVALID_ARGUMENT);
	assert_null(t);
	assert_message(ctx, "threshold (4) <= trustees (3)", NULL);
	assert_status(ctx, tv_trustee_new(ctx, &t, fingerprint, 1, 17, 2), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_trustee_new(ctx, &t, fingerprint, 1, 3, 0), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_trustee_new(ctx, &t, fingerprint, 0, 3, 2), TV_ERR_INVALID_ARGUMENT);
	assert_message(ctx, "trustee number 0 is not from 1 to 3", NULL);
	assert_status(ctx, tv_trustee_new(ctx, &t, fingerprint, 4, 3, 2), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_trustee_new(ctx, &t, NULL, 1, 3, 2), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_trustee_new(NULL, &t, fingerprint, 1, 3, 2), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_trustee_commit(ctx, &out, NULL), TV_ERR_INVALID_ARGUMENT);
	assert_null(out);
	assert_status(ctx, tv_trustee_reveal(ctx, &out, NULL, NULL, 0), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_trustee_combine(ctx, NULL, NULL, NULL, NULL, 0, NULL, 0),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 4, NULL, 0, NULL, 0,
	                                      NULL, 0),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_ceremony_verify(ctx, &key, fingerprint, 3, 2, NULL, 3, NULL, 0,
	                                      NULL, 0),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_ceremony_check_complaint(ctx, NULL, fingerprint, 3, 2, NULL,
	                                               NULL, 0, NULL, 0),
	              TV_ERR_INVALID_ARGUMENT);
	assert_int_equal(tv_trustee_index(NULL), 0);
	assert_int_equal(tv_trustee_get_stage(NULL), 0);
	tv_trustee_free(NULL);
	tv_ctx_free(ctx);
}

/* ---- the SPEC §12.9 test vector ---- */

static const char vector_seed[] = "tenantvote/v1/vectors/ceremony";

/* block i of the SPEC §7.3 generator, computed here from its definition */
static void drbg_block(tv_ctx *ctx, uint8_t out[32], uint64_t i)
{
	uint8_t key[32];
	tv__hash h;

	assert_ok(ctx, tv__hash_begin(&h, ctx, "test-drbg-seed"));
	tv__hash_field(&h, vector_seed, strlen(vector_seed));
	assert_ok(ctx, tv__hash_final(&h, key));
	assert_ok(ctx, tv__hash_begin(&h, ctx, "test-drbg"));
	tv__hash_field(&h, key, 32);
	tv__hash_u64(&h, i);
	assert_ok(ctx, tv__hash_final(&h, out));
}

static void hex_of(char *out, const uint8_t *b, size_t len)
{
	tv__hex_encode(out, b, len);
}

static void deterministic_vector(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	ceremony c;
	tv_election_key key;
	uint8_t F[32], block[32];
	char hex[2 * TV_POINT_BYTES + 1];
	tv_scalar a[3];
	tv_point K;

	(void)state;
	assert_ok(ctx, tv__ctx_set_deterministic(ctx, (const uint8_t *)vector_seed,
	                                         strlen(vector_seed)));
	/* F: one raw 32-byte draw (block 0), then the trustees in order */
	assert_ok(ctx, tv__random_bytes(ctx, F, 32));
	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.n = 3;
	c.k = 2;
	for (uint32_t i = 0; i < 3; i++)
		assert_ok(ctx, tv_trustee_new(ctx, &c.t[i], F, i + 1, 3, 2));
	for (uint32_t i = 0; i < 3; i++)
		assert_ok(ctx, tv_trustee_commit(ctx, &c.commit[i], c.t[i]));
	for (uint32_t i = 0; i < 3; i++)
		assert_ok(ctx, tv_trustee_reveal(ctx, &c.reveal[i], c.t[i], MSGS(c.commit), 3));
	for (uint32_t i = 0; i < 3; i++)
		assert_ok(ctx, tv_trustee_combine(ctx, &c.result[i], NULL, c.t[i],
		                                  MSGS(c.commit), 3, MSGS(c.reveal), 3));
	assert_ok(ctx, tv_ceremony_verify(ctx, &key, F, 3, 2, MSGS(c.commit), 3,
	                                  MSGS(c.reveal), 3, MSGS(c.result), 3));

	/* a_i0 is the first draw of trustee i: blocks 1, 8 and 15 (2k + 3 = 7 each) */
	drbg_block(ctx, block, 0);
	assert_memory_equal(F, block, 32);
	for (uint32_t i = 0; i < 3; i++) {
		state_scalar(ctx, &a[i], c.t[i], STATE_COEFFICIENTS);
		drbg_block(ctx, block, 1 + 7 * i);
		assert_memory_equal(a[i].bytes, block, 32);
	}
	/* K = (a_10 + a_20 + a_30)·G, by the public API */
	assert_ok(ctx, tv_scalar_add(ctx, &a[0], &a[0], &a[1]));
	assert_ok(ctx, tv_scalar_add(ctx, &a[0], &a[0], &a[2]));
	assert_ok(ctx, tv_point_base_mul(ctx, &K, &a[0]));
	assert_true(tv_point_equal(&K, &key.key));

	/* SPEC §12.9: the values, also recomputed from the SPEC alone in Python */
	{
		static const char *const x_hex[3] = {
			"be894234ff61db8855a0672eb553dfefc5a732f7a737c23299ac787c9f32b364",
			"de5b51f5b332df18fd8f9e1c7cf919b51d637fe143d9b274f89a27540452064d",
			"fe2d61b66703e2a9a57ed50a449e537a751fcccae07ba2b75787d62b69715936",
		};
		static const char *const X_hex[3] = {
			"04c4462e79b95add1578708a2c5f343a05db2d32ace8668547c21e14c5d7f97308"
			"8e96e3312054980ee8ba11f0920b6ebb1d61e0c1958f76dfafe34939d6ad3fe1",
			"04d6b09df4db3676f1755b1b0401b48d0f0539e7d675c1c68b6297d95503bbad74"
			"c467a1feea3bd696fb18a725f81ee3797fca08cd9d6be55f782964660232b84d",
			"0462f0a91367c945008a8b29a8dac50f4e5b8e62ee5303c950675c5b2f869a4f16"
			"7fc3755478904a768716d49b6250d11d3f05e49c08d937f5a31ddacb52f13d71",
		};
		json_t *commit1 = jparse(c.commit[0]), *reveal1 = jparse(c.reveal[0]);
		json_t *result1 = jparse(c.result[0]);
		json_t *share12 = json_array_get(json_object_get(reveal1, "shares"), 0);

		hex_of(hex, F, 32);
		assert_string_equal(hex, "09c5fa39b9dab3c4cbef240a081ed3ec6c88706ab769d159c69190a2820ed652");
		assert_string_equal(json_string_value(json_object_get(commit1, "commitment_hash")),
		                    "188853b1fde75d3bdc3bb29ddce47701216263c7dce6b9b97b8c4683caa855c5");
		assert_string_equal(json_string_value(json_object_get(reveal1, "commits")),
		                    "09a42101d722923ade84bcecbe4294a8f4051bfb457c1d529bf5ce5b07036621");
		assert_string_equal(json_string_value(json_object_get(share12, "ephemeral")),
		                    "04d3c877cc97c41e273764bc313ba9711e0407edfa6b41af08e3b8dbf0e5b2bb7a"
		                    "a944d2bcf8f452615393391a02f714d90fcd0a8120a1193c14de047b4485ce5e");
		assert_string_equal(json_string_value(json_object_get(share12, "ciphertext")),
		                    "520daa8f1751709d92731949ad6e0e739cf3016baa5cd9a1be3fbe2ad867e3ce");
		assert_string_equal(json_string_value(json_object_get(result1, "transcript")),
		                    "036c2a711ff2c833e37d9d3e06cbc5759f4fe74131b01c2ed7d407b1c706da15");
		/* the draws of §12.8: commit signatures use blocks 22-24, results' proofs 34-36 */
		assert_string_equal(json_string_value(json_object_get(
		                            json_object_get(commit1, "signature"), "response")),
		                    "d0b31df0f4254cd3e74e18a6ce24e8a9222316284fd63852a9e9292de6fea62e");
		assert_string_equal(json_string_value(json_object_get(
		                            json_object_get(result1, "share_proof"), "response")),
		                    "bd985e85675077ceb8c9224ebf059b682b835db2fde3cb56ec1dd7dd223afa35");
		hex_of(hex, key.key.bytes, 65);
		assert_string_equal(hex,
		                    "04593d933bccc2c4600a22c4dca658f81e9ad172143443b51ac489cf606a05417a"
		                    "0f21c080e1666fd5b48a6057d341a3e6375e807bf1231aa0dfabfa1fe4e3ee38");
		for (uint32_t i = 0; i < 3; i++) {
			tv_scalar x;

			assert_ok(ctx, tv_trustee_share(ctx, &x, NULL, NULL, c.t[i]));
			hex_of(hex, x.bytes, 32);
			assert_string_equal(hex, x_hex[i]);
			hex_of(hex, key.verification_key[i].bytes, 65);
			assert_string_equal(hex, X_hex[i]);
		}
		json_decref(commit1);
		json_decref(reveal1);
		json_decref(result1);
	}
	ceremony_free(&c);
	tv_ctx_free(ctx);
}

/* ---- out of memory at every allocation of a whole ceremony ---- */

static tv_status try_ceremony(tv_ctx *ctx)
{
	tv_trustee *t[2] = { NULL, NULL };
	char *commit[2] = { NULL, NULL }, *reveal[2] = { NULL, NULL };
	char *result[2] = { NULL, NULL };
	tv_election_key key;
	tv_status status = TV_OK;
	int i;

	for (i = 0; i < 2 && status == TV_OK; i++)
		status = tv_trustee_new(ctx, &t[i], fingerprint, (uint32_t)i + 1, 2, 2);
	for (i = 0; i < 2 && status == TV_OK; i++)
		status = tv_trustee_commit(ctx, &commit[i], t[i]);
	for (i = 0; i < 2 && status == TV_OK; i++)
		status = tv_trustee_reveal(ctx, &reveal[i], t[i], MSGS(commit), 2);
	for (i = 0; i < 2 && status == TV_OK; i++)
		status = tv_trustee_combine(ctx, &result[i], NULL, t[i], MSGS(commit), 2,
		                            MSGS(reveal), 2);
	if (status == TV_OK)
		status = tv_ceremony_verify(ctx, &key, fingerprint, 2, 2, MSGS(commit), 2,
		                            MSGS(reveal), 2, MSGS(result), 2);
	for (i = 0; i < 2; i++) {
		tv_trustee_free(t[i]);
		tv_free(ctx, commit[i]);
		tv_free(ctx, reveal[i]);
		tv_free(ctx, result[i]);
	}
	return status;
}

static void allocation_failures(void **state)
{
	long allocations = 0;

	(void)state;
	for (long fail_after = 0;; fail_after++) {
		tv_ctx *ctx = test_ctx_new_failing(fail_after, &allocations);
		tv_status status;

		if (ctx == NULL)
			continue; /* the context itself could not be made */
		status = try_ceremony(ctx);
		tv_ctx_free(ctx);
		if (status == TV_OK)
			break;
		assert_int_equal(status, TV_ERR_NOMEM);
		assert_true(fail_after < 1000);
	}
}

/* ---- the ceremony kit (SPEC §12.12) ---- */

/* an authority's key and list digest (SPEC §11.5): any 32 bytes will do */
static const uint8_t KIT_A[32] = { 0xa1, 0xa2, 0xa3 };
static const uint8_t KIT_L[32] = { 0x11, 0x12, 0x13, 0x14 };

static tv_manifest *kit_manifest(tv_ctx *ctx)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;

	test_yes_no_options(&o, "kit-2028", 1800000000, 1800086400);
	o.title.cy = "Pleidlais ar drosglwyddo eich tŷ";
	o.question.cy = "Ydych chi o blaid?";
	o.options[0].cy = "Ydw";
	o.options[1].cy = "Nac ydw";
	o.trustees = 3;
	o.threshold = 2;
	assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
	return m;
}

static void kit_round_trip(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = kit_manifest(ctx);
	tv_ceremony_kit *kit = NULL;
	uint8_t f[32], c[32], ctx_bytes[32];
	char *text = NULL;
	size_t len = 0;
	(void)state;

	assert_ok(ctx, tv__ceremony_kit_to_json(ctx, &text, &len, m, KIT_A, 3, KIT_L));
	assert_int_equal(strlen(text), len);
	assert_true(strncmp(text, "{\n  \"format\": \"tenantvote-ceremony-kit/1\",\n  \"election\": \"",
	                    58) == 0);
	assert_non_null(strstr(text, "\n  \"credentials\": {\n    \"authority\": \"a1a2a3"));
	assert_non_null(strstr(text, "\n    \"electorate\": 3,\n    \"list_digest\": \"11121314"));
	assert_non_null(strstr(text, "tŷ")); /* UTF-8 as it is */
	assert_true(len >= 2 && text[len - 2] == '}' && text[len - 1] == '\n');
	assert_ok(ctx, tv_ceremony_kit_from_json(ctx, &kit, text, len));
	tv_manifest_fingerprint(f, m);
	tv_manifest_fingerprint(c, tv_ceremony_kit_manifest(kit));
	assert_memory_equal(f, c, 32);
	/* the ceremony context binds the election and the authority's list */
	tv_ceremony_kit_context(ctx_bytes, kit);
	assert_ok(ctx, tv__ceremony_context(ctx, c, f, KIT_A, KIT_L));
	assert_memory_equal(ctx_bytes, c, 32);
	assert_memory_not_equal(ctx_bytes, f, 32);
	{
		uint8_t a[32], l[32];

		assert_int_equal(tv_ceremony_kit_credentials(kit, a, l), 3);
		assert_memory_equal(a, KIT_A, 32);
		assert_memory_equal(l, KIT_L, 32);
		assert_int_equal(tv_ceremony_kit_credentials(NULL, a, l), 0);
	}
	assert_int_equal(tv_manifest_trustees(tv_ceremony_kit_manifest(kit)), 3);
	assert_int_equal(tv_manifest_threshold(tv_ceremony_kit_manifest(kit)), 2);
	tv_ceremony_kit_free(kit);
	kit = NULL;

	/* keys in any order */
	{
		json_t *root = json_loads(text, 0, NULL);
		char *again;

		again = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
		assert_ok(ctx, tv_ceremony_kit_from_json(ctx, &kit, again, strlen(again)));
		free(again);
		json_decref(root);
		tv_ceremony_kit_free(kit);
	}
	tv_ceremony_kit_free(NULL);
	tv_ceremony_kit_context(c, NULL);
	assert_memory_equal(c, (uint8_t[32]){ 0 }, 32);
	assert_null(tv_ceremony_kit_manifest(NULL));
	tv_free(ctx, text);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

/* @p text's kit changed by @p change(root), then read: @p want and words */
static void kit_refused(tv_ctx *ctx, const char *text, void (*change)(json_t *root),
                        tv_status want, const char *word1, const char *word2)
{
	json_t *root = json_loads(text, 0, NULL);
	tv_ceremony_kit *kit = (tv_ceremony_kit *)&kit;
	char *bad;

	assert_non_null(root);
	change(root);
	bad = json_dumps(root, JSON_INDENT(2));
	assert_status(ctx, tv_ceremony_kit_from_json(ctx, &kit, bad, strlen(bad)), want);
	assert_null(kit);
	assert_message(ctx, "ceremony kit: ", word1, word2, NULL);
	free(bad);
	json_decref(root);
}

static void ch_format(json_t *r) { json_object_set_new(r, "format", json_string("tenantvote-ceremony-kit/2")); }
static void ch_unknown(json_t *r) { json_object_set_new(r, "colour", json_string("red")); }
static void ch_no_ceremony(json_t *r) { json_object_del(r, "ceremony"); }
static void ch_no_manifest(json_t *r) { json_object_del(r, "manifest"); }
static void ch_ceremony(json_t *r) { json_object_set_new(r, "ceremony", json_string("00000000000000000000000000000000000000000000000000000000000000ff")); }
static void ch_election(json_t *r) { json_object_set_new(r, "election", json_string("00000000000000000000000000000000000000000000000000000000000000ff")); }
static void ch_short_hex(json_t *r) { json_object_set_new(r, "ceremony", json_string("00ff")); }
static void ch_trustees(json_t *r) { json_object_set_new(r, "trustees", json_integer(4)); }
static void ch_threshold(json_t *r) { json_object_set_new(r, "threshold", json_integer(3)); }
static void ch_threshold_0(json_t *r) { json_object_set_new(r, "threshold", json_integer(0)); }
static void ch_trustees_str(json_t *r) { json_object_set_new(r, "trustees", json_string("3")); }
static void ch_credentials(json_t *r) { json_object_set_new(r, "credentials", json_null()); }
static void ch_no_credentials(json_t *r) { json_object_del(r, "credentials"); }
static void ch_authority(json_t *r)
{
	/* another authority's key: the context no longer matches */
	json_object_set_new(json_object_get(r, "credentials"), "authority",
	                     json_string("00000000000000000000000000000000000000000000000000000000000000ff"));
}
static void ch_list_digest(json_t *r)
{
	json_object_set_new(json_object_get(r, "credentials"), "list_digest",
	                    json_string("00000000000000000000000000000000000000000000000000000000000000ff"));
}
static void ch_manifest_str(json_t *r) { json_object_set_new(r, "manifest", json_string("{}")); }
static void ch_manifest_title(json_t *r) { json_object_del(json_object_get(r, "manifest"), "title"); }
static void ch_manifest_id(json_t *r)
{
	/* a valid manifest, but not the one the kit's fingerprints are of */
	json_object_set_new(json_object_get(r, "manifest"), "election_id", json_string("kit-2029"));
}
static void ch_manifest_k(json_t *r)
{
	json_object_set_new(json_object_get(r, "manifest"), "threshold", json_integer(3));
}

static void kit_refusals(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = kit_manifest(ctx);
	tv_ceremony_kit *kit = NULL;
	char *text = NULL, *big;
	size_t len = 0;
	(void)state;

	assert_ok(ctx, tv__ceremony_kit_to_json(ctx, &text, &len, m, KIT_A, 3, KIT_L));
	kit_refused(ctx, text, ch_format, TV_ERR_CEREMONY_INVALID, "format:", "kit/2");
	kit_refused(ctx, text, ch_unknown, TV_ERR_CEREMONY_INVALID, "unknown field", "colour");
	kit_refused(ctx, text, ch_no_ceremony, TV_ERR_CEREMONY_INVALID, "ceremony:", "is missing");
	kit_refused(ctx, text, ch_no_manifest, TV_ERR_CEREMONY_INVALID, "manifest:", "is missing");
	kit_refused(ctx, text, ch_ceremony, TV_ERR_CEREMONY_INVALID, "ceremony:",
	            "not the ceremony context");
	kit_refused(ctx, text, ch_election, TV_ERR_CEREMONY_INVALID, "election:",
	            "not the fingerprint");
	kit_refused(ctx, text, ch_short_hex, TV_ERR_CEREMONY_INVALID, "ceremony:", "");
	kit_refused(ctx, text, ch_trustees, TV_ERR_CEREMONY_INVALID, "trustees:", "has 3");
	kit_refused(ctx, text, ch_threshold, TV_ERR_CEREMONY_INVALID, "threshold:", "is 2");
	kit_refused(ctx, text, ch_threshold_0, TV_ERR_CEREMONY_INVALID, "threshold:", "");
	kit_refused(ctx, text, ch_trustees_str, TV_ERR_CEREMONY_INVALID, "trustees:", "");
	kit_refused(ctx, text, ch_credentials, TV_ERR_CEREMONY_INVALID, "credentials:", "");
	kit_refused(ctx, text, ch_no_credentials, TV_ERR_CEREMONY_INVALID, "credentials:",
	            "is missing");
	kit_refused(ctx, text, ch_authority, TV_ERR_CEREMONY_INVALID, "ceremony:",
	            "credential list");
	kit_refused(ctx, text, ch_list_digest, TV_ERR_CEREMONY_INVALID, "ceremony:",
	            "credential list");
	kit_refused(ctx, text, ch_manifest_str, TV_ERR_CEREMONY_INVALID, "manifest:",
	            "must be an object");
	kit_refused(ctx, text, ch_manifest_title, TV_ERR_MANIFEST_INVALID, "manifest: title",
	            "is missing");
	kit_refused(ctx, text, ch_manifest_id, TV_ERR_CEREMONY_INVALID, "election:",
	            "not the fingerprint");
	kit_refused(ctx, text, ch_manifest_k, TV_ERR_CEREMONY_INVALID, "", "");

	/* bytes: a duplicate key, trailing bytes, not UTF-8, too long, NULL */
	{
		char *dup = test_replace(text, "\"trustees\": 3,", "\"trustees\": 3, \"trustees\": 3,", NULL);
		char *tail = malloc(len + 3);
		char *latin1 = test_replace(text, "tŷ", "t\xfd", NULL);

		assert_status(ctx, tv_ceremony_kit_from_json(ctx, &kit, dup, strlen(dup)),
		              TV_ERR_CEREMONY_INVALID);
		assert_message(ctx, "ceremony kit", "duplicate", NULL);
		memcpy(tail, text, len);
		memcpy(tail + len, "{}", 3);
		assert_status(ctx, tv_ceremony_kit_from_json(ctx, &kit, tail, len + 2),
		              TV_ERR_CEREMONY_INVALID);
		assert_status(ctx, tv_ceremony_kit_from_json(ctx, &kit, latin1, strlen(latin1)),
		              TV_ERR_UTF8);
		free(dup);
		free(tail);
		free(latin1);
	}
	big = malloc(TV_CEREMONY_KIT_MAX + 2);
	memset(big, ' ', TV_CEREMONY_KIT_MAX + 1);
	memcpy(big, text, len);
	big[TV_CEREMONY_KIT_MAX + 1] = '\0';
	assert_status(ctx, tv_ceremony_kit_from_json(ctx, &kit, big, TV_CEREMONY_KIT_MAX + 1),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "ceremony kit", "limit", NULL);
	free(big);
	assert_status(ctx, tv_ceremony_kit_from_json(ctx, &kit, NULL, 5), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_ceremony_kit_from_json(ctx, NULL, text, len), TV_ERR_INVALID_ARGUMENT);
	assert_null(kit);
	tv_free(ctx, text);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

/* a trustee from a kit and the box agree on the context, and messages
 * bound to another context are refused */
static void kit_binds_the_ceremony(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *three = kit_manifest(ctx), *m = NULL;
	tv_ceremony_kit *kit = NULL;
	tv_trustee *a = NULL, *b = NULL;
	uint8_t c[32];
	char *text = NULL, *commits[2] = { NULL, NULL }, *reveal = NULL;
	size_t len;
	tv_manifest_options o;
	(void)state;

	/* the same election with two trustees (the options borrow from three) */
	tv_manifest_get_options(&o, three);
	o.trustees = 2;
	assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
	tv_manifest_free(three);
	assert_ok(ctx, tv__ceremony_kit_to_json(ctx, &text, &len, m, KIT_A, 3, KIT_L));
	assert_ok(ctx, tv_ceremony_kit_from_json(ctx, &kit, text, len));
	tv_ceremony_kit_context(c, kit);
	assert_ok(ctx, tv_trustee_new(ctx, &a, c, 1, 2, 2));
	/* trustee 2 was handed another election's kit */
	assert_ok(ctx, tv_trustee_new(ctx, &b, other_fingerprint, 2, 2, 2));
	assert_ok(ctx, tv_trustee_commit(ctx, &commits[0], a));
	assert_ok(ctx, tv_trustee_commit(ctx, &commits[1], b));
	assert_status(ctx, tv_trustee_reveal(ctx, &reveal, a, MSGS(commits), 2),
	              TV_ERR_CEREMONY_INVALID);
	assert_message(ctx, "trustee 2's commit message", "election", NULL);
	assert_null(reveal);
	tv_free(ctx, commits[0]);
	tv_free(ctx, commits[1]);
	tv_trustee_free(a);
	tv_trustee_free(b);
	tv_ceremony_kit_free(kit);
	tv_free(ctx, text);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

static void kit_allocation_failures(void **state)
{
	tv_ctx *setup = test_ctx_new();
	tv_manifest *m = kit_manifest(setup);
	char *text = NULL;
	size_t len;
	(void)state;

	assert_ok(setup, tv__ceremony_kit_to_json(setup, &text, &len, m, KIT_A, 3, KIT_L));
	for (int which = 0; which < 2; which++) {
		long failures = 0, count;

		for (long n = 1;; n++) {
			tv_ctx *ctx = test_ctx_new_failing(n, &count);
			tv_ceremony_kit *kit = NULL;
			char *out = NULL;
			tv_status st;

			assert_non_null(ctx);
			st = which == 0 ? tv_ceremony_kit_from_json(ctx, &kit, text, len)
			                : tv__ceremony_kit_to_json(ctx, &out, NULL, m, KIT_A, 3, KIT_L);
			tv_ceremony_kit_free(kit);
			tv_free(ctx, out);
			tv_ctx_free(ctx);
			if (st == TV_OK)
				break;
			assert_int_equal(st, TV_ERR_NOMEM);
			failures++;
			assert_true(n < 100);
		}
		assert_true(failures >= 1);
	}
	tv_free(setup, text);
	tv_manifest_free(m);
	tv_ctx_free(setup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ceremony_3_of_5),
		cmocka_unit_test(kit_round_trip),
		cmocka_unit_test(kit_refusals),
		cmocka_unit_test(kit_binds_the_ceremony),
		cmocka_unit_test(kit_allocation_failures),
		cmocka_unit_test(ceremony_1_of_1),
		cmocka_unit_test(ceremony_5_of_5),
		cmocka_unit_test(ceremony_1_of_3_and_2_of_2),
		cmocka_unit_test(threshold_decryption),
		cmocka_unit_test(independent_digests_agree),
		cmocka_unit_test(cheating_dealer_is_caught_and_proven),
		cmocka_unit_test(copied_ephemeral_is_refused),
		cmocka_unit_test(two_cheaters_one_complaint),
		cmocka_unit_test(false_complaint_is_detected),
		cmocka_unit_test(reveal_must_match_commitment),
		cmocka_unit_test(bad_proof_of_knowledge),
		cmocka_unit_test(bad_commit_proofs),
		cmocka_unit_test(wrong_ceremony_messages),
		cmocka_unit_test(malformed_messages),
		cmocka_unit_test(reveal_binds_to_one_commit_set),
		cmocka_unit_test(combine_binds_to_one_transcript),
		cmocka_unit_test(tampered_results),
		cmocka_unit_test(state_survives_every_step),
		cmocka_unit_test(tampered_state_is_refused),
		cmocka_unit_test(tampered_combined_state),
		cmocka_unit_test(lagrange_coefficients),
		cmocka_unit_test(argument_checks),
		cmocka_unit_test(deterministic_vector),
		cmocka_unit_test(allocation_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
