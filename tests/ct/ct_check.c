/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The constant-time check: run every operation that handles secrets with
 * the secrets marked undefined for valgrind's memcheck
 * (VALGRIND_MAKE_MEM_UNDEFINED). memcheck then reports each branch and
 * each memory index that depends on a secret. Run under
 * `valgrind --error-exitcode=1` with ct.supp (tests/ct/meson.build), any
 * such report in our code fails the test.
 *
 * The secrets marked: the vote and the choice, nonces and keys given as
 * arguments, credential codes, and every random byte (the deterministic
 * generator of SPEC §7.3 with its seed key marked undefined), so every
 * nonce, key, coefficient and share drawn inside the library is secret
 * too. The library declassifies, through tv__ct_declassify (defined here),
 * only what it publishes (commitments, proofs, signatures, ciphertexts,
 * public keys, encrypted shares) and the answers of rejection sampling and
 * input checks. Secret outputs (a nonce, a credential key) are marked
 * defined here before they are compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "fixed_base.h"
#include "tally_internal.h"
#include "tenantvote/tenantvote.h"

/* the library's hook: what it declassifies becomes defined for memcheck */
void tv__ct_declassify(const void *ptr, size_t len)
{
	(void)VALGRIND_MAKE_MEM_DEFINED(ptr, len);
}

#define SECRET(p, len) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (len)))
#define PUBLIC(p, len) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (len)))

static int failures;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "ct-check: %s:%d: %s is false\n", __FILE__, \
			        __LINE__, #cond);                                \
			failures++;                                              \
		}                                                                \
	} while (0)

#define CHECK_OK(ctx, expr)                                                      \
	do {                                                                     \
		tv_status st_ = (expr);                                          \
		if (st_ != TV_OK) {                                              \
			fprintf(stderr, "ct-check: %s:%d: %s: %s: %s\n", __FILE__,  \
			        __LINE__, #expr, tv_status_str(st_),             \
			        tv_ctx_last_error(ctx));                         \
			failures++;                                              \
		}                                                                \
	} while (0)

static const uint8_t F[32] = "fingerprint of the ct check....";

/*
 * Whether memcheck holds any bit of the @p len bytes undefined (without
 * reporting anything): a secret output must be, or the check tests nothing.
 */
static int is_secret(const void *p, size_t len)
{
	unsigned char vbits[64];

	if (len > sizeof(vbits) || VALGRIND_GET_VBITS(p, vbits, len) != 1)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (vbits[i] != 0)
			return 1;
	return 0;
}

/* a context whose random bytes are all secret (SPEC §7.3, seed undefined) */
static tv_ctx *secret_random_ctx(const char *seed)
{
	tv_ctx *ctx = NULL;

	if (tv_ctx_new(&ctx, NULL) != TV_OK ||
	    tv__ctx_set_deterministic(ctx, (const uint8_t *)seed, strlen(seed)) != TV_OK) {
		fprintf(stderr, "ct-check: cannot make a context\n");
		exit(1);
	}
	SECRET(ctx->drbg_seed, sizeof(ctx->drbg_seed));
	return ctx;
}

/* a public scalar: 1 + H(label) mod n, never zero in practice */
static void public_scalar(tv_scalar *out, uint8_t label)
{
	uint8_t b[32];
	tv__sc s;

	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(label * 31 + i * 7 + 1);
	tv__sc_reduce32(&s, b);
	tv__sc_to_scalar(out, &s);
}

static void elgamal(tv_ctx *ctx, const tv_point *K, const tv_scalar *k_secret)
{
	for (uint32_t v = 0; v <= 1; v++) {
		tv_ciphertext ct, again;
		tv_scalar r, r2;
		uint32_t value = v, got = 99;

		/* a fresh nonce (drawn secret) and the vote (marked secret) */
		SECRET(&value, sizeof(value));
		CHECK_OK(ctx, tv_elgamal_encrypt(ctx, &ct, &r, K, value));
		CHECK(is_secret(&r, sizeof(r)));
		CHECK(!is_secret(&ct, sizeof(ct)));
		/* a given secret nonce */
		r2 = r;
		value = v;
		SECRET(&value, sizeof(value));
		CHECK_OK(ctx, tv_elgamal_encrypt_with_nonce(ctx, &again, K, value, &r2));
		CHECK(memcmp(&again, &ct, sizeof(ct)) == 0);
		/* the outputs' meaning, checked in public */
		PUBLIC(&r, sizeof(r));
		CHECK_OK(ctx, tv_elgamal_encrypt_with_nonce(ctx, &again, K, v, &r));
		CHECK(memcmp(&again, &ct, sizeof(ct)) == 0);
		CHECK_OK(ctx, tv_elgamal_decrypt(ctx, &got, &ct, k_secret, 1));
		CHECK(got == v);
	}
}

static void signature(tv_ctx *ctx)
{
	static const uint8_t msg[] = "a message to sign";
	tv_schnorr_signature sig;
	tv_scalar x;
	tv_point X;

	public_scalar(&x, 1);
	CHECK_OK(ctx, tv_point_base_mul(ctx, &X, &x));
	SECRET(&x, sizeof(x));
	CHECK_OK(ctx, tv_schnorr_sign(ctx, &sig, &x, msg, sizeof(msg)));
	PUBLIC(&sig, sizeof(sig));
	CHECK_OK(ctx, tv_schnorr_signature_verify(ctx, &sig, &X, msg, sizeof(msg)));
}

static void range_proofs(tv_ctx *ctx, const tv_point *K)
{
	static const uint8_t context[] = "ct check context";

	for (uint32_t v = 0; v <= 1; v++) {
		tv_ciphertext ct;
		tv_bit_proof bit;
		tv_scalar r;
		uint32_t value = v;

		SECRET(&value, sizeof(value));
		CHECK_OK(ctx, tv_elgamal_encrypt(ctx, &ct, &r, K, value));
		/* r stays secret */
		CHECK_OK(ctx, tv_bit_prove(ctx, &bit, &ct, K, value, &r, context, sizeof(context)));
		PUBLIC(&bit, sizeof(bit));
		CHECK_OK(ctx, tv_bit_verify(ctx, &bit, &ct, K, context, sizeof(context)));
	}
	{
		tv_range_proof proof;
		tv_ciphertext ct;
		tv_scalar r;
		uint32_t value = 2;

		SECRET(&value, sizeof(value));
		CHECK_OK(ctx, tv_elgamal_encrypt(ctx, &ct, &r, K, value));
		CHECK_OK(ctx, tv_range_prove(ctx, &proof, &ct, K, 1, 4, value, &r, context,
		                             sizeof(context)));
		PUBLIC(&proof, sizeof(proof));
		CHECK_OK(ctx, tv_range_verify(ctx, &proof, &ct, K, 1, 4, context, sizeof(context)));
	}
}

static void pok_and_cp(tv_ctx *ctx)
{
	static const uint8_t context[] = "ct check proofs";
	tv_scalar x, y;
	tv__sc xs, ys;
	tv_point G, X, Y, XY, X_out;
	tv_schnorr_proof pok;
	tv_cp_proof cp;

	public_scalar(&x, 2);
	public_scalar(&y, 3);
	tv_point_generator(&G);
	CHECK_OK(ctx, tv_point_base_mul(ctx, &X, &x));
	CHECK_OK(ctx, tv_point_base_mul(ctx, &Y, &y));
	/* XY = x·Y = (x·y)·G */
	(void)tv__sc_from_scalar(&xs, &x);
	(void)tv__sc_from_scalar(&ys, &y);
	tv__sc_mul(&ys, &ys, &xs);
	tv__sc_to_scalar(&y, &ys);
	CHECK_OK(ctx, tv_point_base_mul(ctx, &XY, &y));

	SECRET(&x, sizeof(x));
	CHECK_OK(ctx, tv_schnorr_prove(ctx, &pok, &X_out, &x, context, sizeof(context)));
	PUBLIC(&pok, sizeof(pok));
	PUBLIC(&X_out, sizeof(X_out));
	CHECK(tv_point_equal(&X_out, &X));
	CHECK_OK(ctx, tv_schnorr_verify(ctx, &pok, &X, context, sizeof(context)));

	CHECK_OK(ctx, tv_cp_prove(ctx, &cp, &x, &G, &X, &Y, &XY, context, sizeof(context)));
	PUBLIC(&cp, sizeof(cp));
	CHECK_OK(ctx, tv_cp_verify(ctx, &cp, &G, &X, &Y, &XY, context, sizeof(context)));
}

static void credentials(tv_ctx *ctx, tv_credential_code *code_out)
{
	tv_credential_code code, copy;
	tv_point pub, X, X_ref;
	tv_scalar x, x_ref;
	size_t len;

	/* a new code: its symbols come from the (secret) random bytes */
	CHECK_OK(ctx, tv_credential_generate(ctx, &code, &pub, F));
	*code_out = code;
	/* the same key, derived in public and with the code marked secret */
	copy = code;
	PUBLIC(&copy, sizeof(copy));
	len = strlen(copy.text);
	CHECK_OK(ctx, tv_credential_derive(ctx, &x_ref, &X_ref, copy.text, len, F));
	PUBLIC(&x_ref, sizeof(x_ref));
	SECRET(copy.text, len);
	CHECK_OK(ctx, tv_credential_derive(ctx, &x, &X, copy.text, len, F));
	CHECK(is_secret(&x, sizeof(x)));
	PUBLIC(&x, sizeof(x));
	CHECK(memcmp(&x, &x_ref, sizeof(x)) == 0);
	CHECK(tv_point_equal(&X, &X_ref));
	CHECK(tv_point_equal(&pub, &X_ref));
	tv_scalar_wipe(&x);
	tv_scalar_wipe(&x_ref);
	tv_credential_code_wipe(&copy);
}

static tv_manifest *manifest(tv_ctx *ctx)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;

	o.election_id = "ct-check-2027";
	o.council = "Testshire Council";
	o.landlord = "Testshire Mutual";
	o.title.en = "Stock transfer ballot";
	o.question.en = "Do you support the transfer?";
	o.option_count = 2;
	o.options[0].en = "Yes";
	o.options[1].en = "No";
	o.transfer_option = 1;
	o.allow_blank = 1;
	o.opens = 1800000000;
	o.closes = 1801000000;
	o.trustees = 1;
	o.threshold = 1;
	CHECK_OK(ctx, tv_manifest_new(ctx, &m, &o));
	return m;
}

static void ballots(tv_ctx *ctx, const tv_point *K, const tv_credential_code *code)
{
	tv_manifest *m = manifest(ctx);
	tv_credential_code copy = *code;
	size_t len;

	if (m == NULL)
		return;
	/* the code's length is public (its layout), its symbols are not */
	PUBLIC(&copy, sizeof(copy));
	len = strlen(copy.text);
	tv_credential_code_wipe(&copy);
	for (uint32_t c = 0; c <= 2; c++) {
		tv_credential_code typed = *code;
		tv_ballot *b = NULL;
		tv_ballot_secrets *s = NULL;
		uint32_t choice = c;

		SECRET(typed.text, len);
		SECRET(&choice, sizeof(choice));
		/* prepared with the secrets a challenge would open, then signed at cast */
		CHECK_OK(ctx, tv_ballot_prepare(ctx, &b, &s, m, K, typed.text, len, choice));
		if (b != NULL)
			CHECK_OK(ctx, tv_ballot_sign(ctx, b, typed.text, len));
		if (b != NULL)
			CHECK_OK(ctx, tv_ballot_verify(ctx, b, m, K));
		tv_ballot_free(b);
		tv_ballot_secrets_free(s);
		tv_credential_code_wipe(&typed);
	}
	tv_manifest_free(m);
}

/*
 * Encryption with the election key's fixed-base table (intake): secret
 * nonce and vote, the same ciphertext as tv_elgamal_encrypt_with_nonce, and
 * a whole ballot made with the table from a secret code and choice.
 */
static void fixed_base(tv_ctx *ctx, const tv_point *K, const tv_credential_code *code)
{
	tv__fixed_base *fb = NULL;
	tv_manifest *m;
	tv_credential_code copy = *code;
	size_t len;

	CHECK_OK(ctx, tv__fixed_base_new(ctx, &fb, K));
	if (fb == NULL)
		return;
#if defined(__x86_64__)
	/* OpenSSL's P-256 method here is ecp_nistz256, with the table for K */
	CHECK(tv__fixed_base_precomputed(fb));
#endif
	for (uint32_t v = 0; v <= 1; v++) {
		tv_ciphertext ct, again;
		tv_scalar r;
		uint32_t value = v;

		SECRET(&value, sizeof(value));
		CHECK_OK(ctx, tv__elgamal_encrypt_fixed(ctx, &ct, &r, fb, value));
		CHECK(is_secret(&r, sizeof(r)));
		CHECK(!is_secret(&ct, sizeof(ct)));
		PUBLIC(&r, sizeof(r));
		CHECK_OK(ctx, tv_elgamal_encrypt_with_nonce(ctx, &again, K, v, &r));
		CHECK(memcmp(&again, &ct, sizeof(ct)) == 0);
	}
	m = manifest(ctx);
	PUBLIC(&copy, sizeof(copy));
	len = strlen(copy.text);
	tv_credential_code_wipe(&copy);
	for (uint32_t c = 1; m != NULL && c <= 2; c++) {
		tv_credential_code typed = *code;
		tv_ballot *b = NULL;
		uint32_t choice = c;

		SECRET(typed.text, len);
		SECRET(&choice, sizeof(choice));
		CHECK_OK(ctx, tv__ballot_encrypt_fixed(ctx, &b, m, fb, typed.text, len, choice));
		if (b != NULL)
			CHECK_OK(ctx, tv_ballot_verify(ctx, b, m, K));
		tv_ballot_free(b);
		tv_credential_code_wipe(&typed);
	}
	tv_manifest_free(m);
	tv__fixed_base_free(fb);
}

/* a 2-of-2 key ceremony, then a partial decryption by each trustee */
static void ceremony_and_decryption(tv_ctx *ctx)
{
	enum { N = 2 };
	tv_trustee *t[N] = { NULL };
	char *commits[N] = { NULL }, *reveals[N] = { NULL }, *results[N] = { NULL };
	tv_election_key key;
	tv_ciphertext ct;
	tv_scalar r;
	int i;

	for (i = 0; i < N; i++) {
		CHECK_OK(ctx, tv_trustee_new(ctx, &t[i], F, (uint32_t)i + 1, N, N));
		if (t[i] == NULL)
			goto out;
		CHECK_OK(ctx, tv_trustee_commit(ctx, &commits[i], t[i]));
	}
	for (i = 0; i < N; i++)
		CHECK_OK(ctx, tv_trustee_reveal(ctx, &reveals[i], t[i],
		                                (const char *const *)commits, N));
	for (i = 0; i < N; i++)
		CHECK_OK(ctx, tv_trustee_combine(ctx, &results[i], NULL, t[i],
		                                 (const char *const *)commits, N,
		                                 (const char *const *)reveals, N));
	if (failures > 0)
		goto out;
	CHECK_OK(ctx, tv_ceremony_verify(ctx, &key, F, N, N, (const char *const *)commits, N,
	                                 (const char *const *)reveals, N,
	                                 (const char *const *)results, N));
	CHECK_OK(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &key.key, 1));
	{
		tv_partial_decryption parts[N];
		uint32_t value = 99;

		for (i = 0; i < N; i++) {
			CHECK_OK(ctx, tv__partial_decrypt(ctx, &parts[i], t[i], &ct, F));
			PUBLIC(&parts[i], sizeof(parts[i]));
		}
		CHECK_OK(ctx, tv_decrypt_combine(ctx, &value, &ct, parts, N, &key, F, 1));
		CHECK(value == 1);
	}
out:
	for (i = 0; i < N; i++) {
		tv_trustee_free(t[i]);
		tv_free(ctx, commits[i]);
		tv_free(ctx, reveals[i]);
		tv_free(ctx, results[i]);
	}
}

int main(void)
{
	tv_ctx *ctx;
	tv_credential_code code;
	tv_scalar k;
	tv_point K;

	if (!RUNNING_ON_VALGRIND) {
		fprintf(stderr, "ct-check: this check means something only under valgrind "
		                "(memcheck): run it through meson test\n");
		return 1;
	}
	ctx = secret_random_ctx("tenantvote constant-time check");
	public_scalar(&k, 9);
	CHECK_OK(ctx, tv_point_base_mul(ctx, &K, &k));

	elgamal(ctx, &K, &k);
	signature(ctx);
	range_proofs(ctx, &K);
	pok_and_cp(ctx);
	credentials(ctx, &code);
	ballots(ctx, &K, &code);
	fixed_base(ctx, &K, &code);
	ceremony_and_decryption(ctx);

	tv_credential_code_wipe(&code);
	tv_ctx_free(ctx);
	if (failures > 0) {
		fprintf(stderr, "ct-check: %d check(s) failed\n", failures);
		return 1;
	}
	printf("ct-check: every operation ran with its secrets marked undefined\n");
	return 0;
}
