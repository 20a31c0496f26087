/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Loads the committed vectors (SPEC §8) and checks the library against
 * them: every case gives its expected status, and every honest value that
 * can be recomputed (public keys, ciphertexts, sums, digests, k·G) is.
 * The directory comes from the TV_VECTORS_DIR environment variable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "election_internal.h"
#include "tenantvote/authority.h"

static tv_ctx *ctx;

static json_t *load(const char *name)
{
	char path[4096];
	json_error_t err;
	json_t *root;
	const char *dir = getenv("TV_VECTORS_DIR");

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	root = json_load_file(path, 0, &err);
	if (root == NULL)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	return root;
}

static const char *str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	if (s == NULL)
		fail_msg("vector field '%s' missing or not a string", key);
	return s;
}

static tv_status expect_of(json_t *c)
{
	static const struct {
		const char *name;
		tv_status status;
	} map[] = {
		{ "ok", TV_OK },
		{ "encoding", TV_ERR_ENCODING },
		{ "point_invalid", TV_ERR_POINT_INVALID },
		{ "scalar_range", TV_ERR_SCALAR_RANGE },
		{ "proof_invalid", TV_ERR_PROOF_INVALID },
		{ "signature_invalid", TV_ERR_SIGNATURE_INVALID },
		{ "range_invalid", TV_ERR_RANGE_INVALID },
		{ "wrong_election", TV_ERR_WRONG_ELECTION },
	};
	const char *e = str(c, "expect");

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, e) == 0)
			return map[i].status;
	fail_msg("unknown expect '%s'", e);
	return TV_ERR_INTERNAL;
}

/* raw bytes of any length; the vectors' own encodings are checked apart */
static size_t bytes(json_t *obj, const char *key, uint8_t *out, size_t max)
{
	const char *h = str(obj, key);
	size_t len = strlen(h) / 2;

	assert_true(strlen(h) % 2 == 0 && len <= max);
	for (size_t i = 0; i < len; i++) {
		unsigned v;

		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return len;
}

/* a point or scalar field copied as raw bytes (it may be tampered) */
static void raw_point(json_t *obj, const char *key, tv_point *p)
{
	memset(p, 0, sizeof(*p));
	assert_int_equal(bytes(obj, key, p->bytes, sizeof(p->bytes)), TV_POINT_BYTES);
}

static void raw_scalar(json_t *obj, const char *key, tv_scalar *s)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(bytes(obj, key, s->bytes, sizeof(s->bytes)), TV_SCALAR_BYTES);
}

static void check_status(json_t *c, tv_status got)
{
	tv_status want = expect_of(c);

	if (got != want)
		fail_msg("case '%s': got %s, want %s: %s", str(c, "name"),
		         tv_status_str(got), tv_status_str(want), tv_ctx_last_error(ctx));
}

static void hash_vectors(void **state)
{
	json_t *root = load("hash.json"), *c;
	size_t i;
	(void)state;

	json_array_foreach(json_object_get(root, "cases"), i, c) {
		uint8_t pre[512], want[32], got[32], field[256];
		unsigned int dlen = 0;
		size_t plen = bytes(c, "preimage", pre, sizeof(pre)), j;
		json_t *f;
		tv__hash h;
		tv_scalar s, want_s;
		BIGNUM *bn = BN_new();

		bytes(c, "digest", want, 32);
		/* the preimage is SHA-256'd as given */
		assert_true(EVP_Digest(pre, plen, got, &dlen, EVP_sha256(), NULL));
		assert_memory_equal(got, want, 32);
		/* and our hasher gets the same from the fields */
		assert_int_equal(tv__hash_begin(&h, ctx, str(c, "purpose")), TV_OK);
		json_array_foreach(json_object_get(c, "fields"), j, f) {
			const char *hx = json_string_value(f);
			size_t flen = strlen(hx) / 2;

			assert_int_equal(tv__hex_decode(ctx, field, flen, hx, strlen(hx), "field"), TV_OK);
			tv__hash_field(&h, field, flen);
		}
		assert_int_equal(tv__hash_final_scalar(&h, bn), TV_OK);
		assert_int_equal(tv__bn_to_scalar(ctx, &s, bn), TV_OK);
		raw_scalar(c, "digest_mod_n", &want_s);
		assert_memory_equal(&s, &want_s, sizeof(s));
		BN_free(bn);
	}
	json_decref(root);
}

static void group_vectors(void **state)
{
	json_t *root = load("group.json"), *c;
	size_t i;
	(void)state;

	json_array_foreach(json_object_get(root, "points"), i, c) {
		uint8_t buf[80];
		size_t len = bytes(c, "encoding", buf, sizeof(buf));
		tv_point p;

		check_status(c, tv_point_decode(ctx, &p, buf, len));
	}
	json_array_foreach(json_object_get(root, "scalars"), i, c) {
		uint8_t buf[80];
		size_t len = bytes(c, "encoding", buf, sizeof(buf));
		tv_scalar s;

		check_status(c, tv_scalar_decode(ctx, &s, buf, len));
	}
	json_array_foreach(json_object_get(root, "base_mul"), i, c) {
		tv_scalar k;
		tv_point want, got;

		raw_scalar(c, "k", &k);
		raw_point(c, "point", &want);
		assert_int_equal(tv_point_base_mul(ctx, &got, &k), TV_OK);
		assert_true(tv_point_equal(&got, &want));
	}
	json_decref(root);
}

static void ciphertext(json_t *obj, tv_ciphertext *ct)
{
	raw_point(obj, "alpha", &ct->alpha);
	raw_point(obj, "beta", &ct->beta);
}

static void elgamal_vectors(void **state)
{
	json_t *root = load("elgamal.json"), *c, *of;
	tv_scalar x, r;
	tv_point K, K2;
	tv_ciphertext cts[8], got, want;
	size_t i, j, n = 0;
	(void)state;

	raw_scalar(root, "secret_key", &x);
	raw_point(root, "public_key", &K);
	assert_int_equal(tv_point_base_mul(ctx, &K2, &x), TV_OK);
	assert_true(tv_point_equal(&K, &K2));
	json_array_foreach(json_object_get(root, "encryptions"), i, c) {
		uint32_t v = (uint32_t)json_integer_value(json_object_get(c, "value")), dec;

		raw_scalar(c, "nonce", &r);
		ciphertext(json_object_get(c, "ciphertext"), &want);
		assert_int_equal(tv_elgamal_encrypt_with_nonce(ctx, &got, &K, v, &r), TV_OK);
		assert_memory_equal(&got, &want, sizeof(got));
		assert_int_equal(tv_elgamal_decrypt(ctx, &dec, &want, &x, 100), TV_OK);
		assert_int_equal(dec, v);
		assert_true(n < 8);
		cts[n++] = want;
	}
	json_array_foreach(json_object_get(root, "sums"), i, c) {
		json_t *idx;

		ciphertext(json_object_get(c, "sum"), &want);
		of = json_object_get(c, "of");
		got = cts[json_integer_value(json_array_get(of, 0))];
		json_array_foreach(of, j, idx) {
			if (j > 0)
				assert_int_equal(tv_ciphertext_add(ctx, &got, &got,
				                                   &cts[json_integer_value(idx)]), TV_OK);
		}
		assert_memory_equal(&got, &want, sizeof(got));
	}
	json_decref(root);
}

static void pok_vectors(void **state)
{
	json_t *root = load("schnorr_proof.json"), *c;
	size_t i, honest = 0;
	(void)state;

	json_array_foreach(json_object_get(root, "cases"), i, c) {
		tv_schnorr_proof p;
		tv_point X;
		uint8_t context[256];
		size_t clen = bytes(c, "context", context, sizeof(context));
		json_t *jp = json_object_get(c, "proof");

		raw_point(c, "public_key", &X);
		raw_point(jp, "commitment", &p.commitment);
		raw_scalar(jp, "response", &p.response);
		check_status(c, tv_schnorr_verify(ctx, &p, &X, context, clen));
		if (json_object_get(c, "secret")) {
			tv_scalar x;
			tv_point X2;

			raw_scalar(c, "secret", &x);
			assert_int_equal(tv_point_base_mul(ctx, &X2, &x), TV_OK);
			assert_true(tv_point_equal(&X, &X2));
			honest++;
		}
	}
	assert_true(honest >= 1 && i > honest);
	json_decref(root);
}

static void cp_vectors(void **state)
{
	json_t *root = load("cp_proof.json"), *c;
	size_t i;
	(void)state;

	json_array_foreach(json_object_get(root, "cases"), i, c) {
		tv_cp_proof p;
		tv_point g1, h1, g2, h2;
		uint8_t context[256];
		size_t clen = bytes(c, "context", context, sizeof(context));
		json_t *jp = json_object_get(c, "proof");

		raw_point(c, "g1", &g1);
		raw_point(c, "h1", &h1);
		raw_point(c, "g2", &g2);
		raw_point(c, "h2", &h2);
		raw_point(jp, "commitment1", &p.commitment1);
		raw_point(jp, "commitment2", &p.commitment2);
		raw_scalar(jp, "response", &p.response);
		check_status(c, tv_cp_verify(ctx, &p, &g1, &h1, &g2, &h2, context, clen));
	}
	json_decref(root);
}

static void range_vectors(void **state)
{
	json_t *root = load("range_proof.json"), *c, *b;
	size_t i, j;
	(void)state;

	json_array_foreach(json_object_get(root, "cases"), i, c) {
		tv_range_proof p;
		tv_point K;
		tv_ciphertext ct;
		uint8_t context[256];
		size_t clen = bytes(c, "context", context, sizeof(context));
		uint32_t min = (uint32_t)json_integer_value(json_object_get(c, "min"));
		uint32_t max = (uint32_t)json_integer_value(json_object_get(c, "max"));

		memset(&p, 0, sizeof(p));
		raw_point(c, "public_key", &K);
		ciphertext(json_object_get(c, "ciphertext"), &ct);
		json_array_foreach(json_object_get(json_object_get(c, "proof"), "branches"), j, b) {
			assert_true(j < TV_RANGE_MAX_VALUES);
			raw_point(b, "a", &p.branch[j].a);
			raw_point(b, "b", &p.branch[j].b);
			raw_scalar(b, "challenge", &p.branch[j].challenge);
			raw_scalar(b, "response", &p.branch[j].response);
		}
		check_status(c, tv_range_verify(ctx, &p, &ct, &K, min, max, context, clen));
		if (min == 0 && max == 1) {
			tv_bit_proof bp;

			memcpy(bp.branch, p.branch, sizeof(bp.branch));
			check_status(c, tv_bit_verify(ctx, &bp, &ct, &K, context, clen));
		}
		if (json_object_get(c, "nonce")) {
			tv_scalar r;
			tv_ciphertext again;
			uint32_t v = (uint32_t)json_integer_value(json_object_get(c, "value"));

			raw_scalar(c, "nonce", &r);
			assert_int_equal(tv_elgamal_encrypt_with_nonce(ctx, &again, &K, v, &r), TV_OK);
			assert_memory_equal(&again, &ct, sizeof(ct));
		}
	}
	json_decref(root);
}

static void signature_vectors(void **state)
{
	json_t *root = load("schnorr_signature.json"), *c;
	size_t i;
	(void)state;

	json_array_foreach(json_object_get(root, "cases"), i, c) {
		tv_schnorr_signature s;
		tv_point X;
		uint8_t msg[256];
		size_t mlen = bytes(c, "message", msg, sizeof(msg));
		json_t *js = json_object_get(c, "signature");

		raw_point(c, "public_key", &X);
		raw_point(js, "commitment", &s.commitment);
		raw_scalar(js, "response", &s.response);
		check_status(c, tv_schnorr_signature_verify(ctx, &s, &X, msg, mlen));
	}
	json_decref(root);
}

static void ed25519_vectors(void **state)
{
	json_t *root = load("ed25519.json"), *c;
	size_t i;
	(void)state;

	json_array_foreach(json_object_get(root, "cases"), i, c) {
		tv_ed25519_signature s;
		tv_ed25519_public_key pk;
		uint8_t msg[256];
		size_t mlen = bytes(c, "message", msg, sizeof(msg));

		assert_int_equal(bytes(c, "public_key", pk.bytes, 32), 32);
		assert_int_equal(bytes(c, "signature", s.bytes, 64), 64);
		check_status(c, tv_ed25519_verify(ctx, &s, &pk, msg, mlen));
		if (json_object_get(c, "secret")) {
			tv_ed25519_secret_key sk;
			tv_ed25519_signature again;

			assert_int_equal(bytes(c, "secret", sk.bytes, 32), 32);
			assert_int_equal(tv_ed25519_sign(ctx, &again, &sk, msg, mlen), TV_OK);
			assert_memory_equal(&again, &s, sizeof(s)); /* Ed25519 is deterministic */
		}
	}
	json_decref(root);
}

/* SPEC §15.1: ballots against the file's manifest and key */
static void ballot_vectors(void **state)
{
	json_t *root = load("ballot.json"), *c;
	tv_manifest *m = NULL;
	tv_point K;
	uint8_t f[32], want_f[32];
	char *mtext = json_dumps(json_object_get(root, "manifest"), JSON_COMPACT);
	size_t i;
	(void)state;

	assert_non_null(mtext);
	assert_int_equal(tv_manifest_from_json(ctx, &m, mtext, strlen(mtext)), TV_OK);
	free(mtext);
	tv_manifest_fingerprint(f, m);
	assert_int_equal(bytes(root, "fingerprint", want_f, 32), 32);
	assert_memory_equal(f, want_f, 32);
	raw_point(root, "election_key", &K);
	json_array_foreach(json_object_get(root, "cases"), i, c) {
		char *text = json_dumps(json_object_get(c, "ballot"), JSON_COMPACT | JSON_PRESERVE_ORDER);
		tv_ballot *b = NULL;
		tv_status st;

		assert_non_null(text);
		st = tv_ballot_from_json(ctx, &b, text, strlen(text));
		if (st == TV_OK)
			st = tv_ballot_verify(ctx, b, m, &K);
		check_status(c, st);
		if (json_object_get(c, "tracking") != NULL) {
			uint8_t t[32], want[32];
			char short_code[TV_TRACKING_TEXT_LEN + 1];

			assert_int_equal(bytes(c, "tracking", want, 32), 32);
			tv_ballot_tracking(t, b);
			assert_memory_equal(t, want, 32);
			tv_ballot_tracking_text(short_code, b);
			assert_string_equal(short_code, str(c, "tracking_text"));
		}
		tv_ballot_free(b);
		free(text);
	}
	{
		char *opened = json_dumps(json_object_get(root, "challenged"), JSON_COMPACT | JSON_PRESERVE_ORDER);
		uint32_t choice = 0;

		assert_non_null(opened);
		assert_int_equal(tv_ballot_check_challenge(ctx, &choice, opened, strlen(opened), m, &K), TV_OK);
		assert_int_equal(choice, 2);
		free(opened);
	}
	tv_manifest_free(m);
	json_decref(root);
}

/* a credentials.json list (§18.6) checked as §19.3 check 4 does, given F */
static tv_status list_check(const uint8_t f[32], json_t *list, uint8_t l[32])
{
	char *text = json_dumps(list, JSON_COMPACT | JSON_PRESERVE_ORDER);
	tv__credential_list cl;
	tv_status st;

	assert_non_null(text);
	if ((st = tv__credentials_from_json(ctx, &cl, text, strlen(text))) != TV_OK)
		st = st == TV_ERR_NOMEM ? st : TV_ERR_ENCODING;
	else if ((int64_t)cl.count != cl.electorate)
		st = TV_ERR_PROOF_INVALID;
	else if ((st = tv__credential_list_order(ctx, (const uint8_t (*)[TV_POINT_BYTES])cl.points,
	                                         cl.valid, cl.count)) == TV_OK)
		st = tv__credential_list_verify(ctx, l, f, cl.authority, cl.signature,
		                                (const uint8_t (*)[TV_POINT_BYTES])cl.points, cl.count);
	tv__credential_list_free(ctx, &cl);
	free(text);
	return st;
}

static int cmp_point65(const void *a, const void *b)
{
	return memcmp(a, b, TV_POINT_BYTES);
}

/* SPEC §11.5, §11.6, §11.8: the authority's signed list, C and check codes */
static void credential_list_vectors(void **state)
{
	json_t *root = load("credential_list.json"), *c;
	char *mtext = json_dumps(json_object_get(root, "manifest"), JSON_COMPACT);
	tv_manifest *m = NULL;
	tv_authority *a = NULL;
	tv_ed25519_secret_key sk;
	tv_ed25519_public_key pk, want_pk;
	uint8_t f[32], want_f[32], st_bytes[TV_AUTHORITY_STATE_BYTES];
	size_t i;
	(void)state;

	assert_non_null(mtext);
	assert_int_equal(tv_manifest_from_json(ctx, &m, mtext, strlen(mtext)), TV_OK);
	free(mtext);
	tv_manifest_fingerprint(f, m);
	assert_int_equal(bytes(root, "election", want_f, 32), 32);
	assert_memory_equal(f, want_f, 32);
	/* the authority's key from its seed, directly and through its state */
	assert_int_equal(bytes(root, "authority_secret", sk.bytes, 32), 32);
	assert_int_equal(bytes(root, "authority", want_pk.bytes, 32), 32);
	assert_int_equal(tv_ed25519_public_from_secret(ctx, &pk, &sk), TV_OK);
	assert_memory_equal(pk.bytes, want_pk.bytes, 32);
	memcpy(st_bytes, "TVCA0001", 8);
	memcpy(st_bytes + 8, f, 32);
	memcpy(st_bytes + 40, sk.bytes, 32);
	assert_int_equal(tv_authority_deserialize(ctx, &a, st_bytes, sizeof(st_bytes), m), TV_OK);
	tv_authority_public_key(&pk, a);
	assert_memory_equal(pk.bytes, want_pk.bytes, 32);
	tv_authority_free(a);

	json_array_foreach(json_object_get(root, "cases"), i, c) {
		json_t *list = json_object_get(c, "list"), *letters, *issue_j, *lc;
		uint8_t l[32], want[32], s[32], cc[32];
		uint8_t (*sorted)[TV_POINT_BYTES];
		tv__credential_issue issue;
		tv_ed25519_signature sig, again;
		char *text;
		size_t j, n;
		tv__hash h;

		assert_non_null(list);
		check_status(c, list_check(f, list, l));
		if ((letters = json_object_get(c, "letters")) == NULL)
			continue;
		/* L, S, the signature (deterministic) and C */
		assert_int_equal(bytes(c, "list_digest", want, 32), 32);
		assert_memory_equal(l, want, 32);
		assert_int_equal(tv__hash_begin(&h, ctx, "credential-authority"), TV_OK);
		tv__hash_field(&h, f, 32);
		tv__hash_field(&h, want_pk.bytes, 32);
		tv__hash_field(&h, l, 32);
		assert_int_equal(tv__hash_final(&h, s), TV_OK);
		assert_int_equal(bytes(c, "signed_digest", want, 32), 32);
		assert_memory_equal(s, want, 32);
		assert_int_equal(bytes(list, "signature", sig.bytes, 64), 64);
		assert_int_equal(tv_ed25519_sign(ctx, &again, &sk, s, 32), TV_OK);
		assert_memory_equal(again.bytes, sig.bytes, 64);
		assert_int_equal(tv__ceremony_context(ctx, cc, f, want_pk.bytes, l), TV_OK);
		assert_int_equal(bytes(c, "ceremony_context", want, 32), 32);
		assert_memory_equal(cc, want, 32);
		/* the issue file, in register order, read as the box reads it */
		issue_j = json_object_get(c, "issue");
		text = json_dumps(issue_j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		assert_non_null(text);
		assert_int_equal(tv__credential_issue_from_json(ctx, &issue, text, strlen(text)), TV_OK);
		free(text);
		n = json_array_size(letters);
		assert_int_equal(issue.count, n);
		assert_memory_equal(issue.election, f, 32);
		assert_memory_equal(issue.authority, want_pk.bytes, 32);
		assert_memory_equal(issue.signature, sig.bytes, 64);
		sorted = malloc(n * TV_POINT_BYTES);
		assert_non_null(sorted);
		memcpy(sorted, issue.points, n * TV_POINT_BYTES);
		qsort(sorted, n, TV_POINT_BYTES, cmp_point65);
		lc = json_object_get(list, "credentials");
		assert_int_equal(json_array_size(lc), n);
		for (j = 0; j < n; j++) { /* the record's list is the issue's, sorted */
			char hex[2 * TV_POINT_BYTES + 1];

			tv__hex_encode(hex, sorted[j], TV_POINT_BYTES);
			assert_string_equal(hex, json_string_value(json_array_get(lc, j)));
		}
		assert_int_equal(tv__credential_list_verify(ctx, l, f, issue.authority, issue.signature,
		                                            (const uint8_t (*)[TV_POINT_BYTES])sorted,
		                                            n), TV_OK);
		/* each letter: the code gives the credential (§11.2), and its check code */
		json_array_foreach(letters, j, lc) {
			const char *code = str(lc, "code");
			char check[TV_CHECK_CODE_LEN + 1];
			tv_point x, want_x;

			raw_point(lc, "credential", &want_x);
			assert_int_equal(tv_credential_derive(ctx, NULL, &x, code, strlen(code), f), TV_OK);
			assert_memory_equal(x.bytes, want_x.bytes, TV_POINT_BYTES);
			assert_memory_equal(issue.points[j], want_x.bytes, TV_POINT_BYTES);
			assert_int_equal(tv_credential_check_code(ctx, check, &x), TV_OK);
			assert_string_equal(check, str(lc, "check_code"));
		}
		free(sorted);
		tv__credential_issue_free(ctx, &issue);
	}
	tv_ed25519_secret_wipe(&sk);
	tv_manifest_free(m);
	json_decref(root);
}

static int setup(void **state)
{
	(void)state;
	return tv_ctx_new(&ctx, NULL) == TV_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	tv_ctx_free(ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_vectors),
		cmocka_unit_test(group_vectors),
		cmocka_unit_test(elgamal_vectors),
		cmocka_unit_test(pok_vectors),
		cmocka_unit_test(cp_vectors),
		cmocka_unit_test(range_vectors),
		cmocka_unit_test(signature_vectors),
		cmocka_unit_test(ed25519_vectors),
		cmocka_unit_test(ballot_vectors),
		cmocka_unit_test(credential_list_vectors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
