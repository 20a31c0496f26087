/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §5: every proof accepts honest instances and rejects each tampered
 * part: each commitment, challenge and response, each statement element,
 * and a different context.
 */
#include <string.h>

#include "helpers.h"

static const uint8_t fingerprint[32] = "election fingerprint, 32 bytes!";

/* a proof under test, its statement, and where its fields sit */
typedef struct subject {
	const char *name;
	uint8_t proof[sizeof(tv_range_proof)];
	size_t proof_size;
	tv_point statement[6];
	size_t statement_count;
	size_t point_at[2 * TV_RANGE_MAX_VALUES + 2]; /* offsets in proof */
	size_t point_count;
	size_t scalar_at[2 * TV_RANGE_MAX_VALUES + 2];
	size_t scalar_count;
	uint8_t context[64];
	size_t context_len;
	tv_status (*verify)(tv_ctx *ctx, const struct subject *s);
	uint32_t min, max; /* range proofs */
} subject;

/* the statement of each kind, in order */
static tv_status verify_pok(tv_ctx *ctx, const subject *s)
{
	return tv_schnorr_verify(ctx, (const tv_schnorr_proof *)s->proof,
	                         &s->statement[0], s->context, s->context_len);
}

static tv_status verify_cp(tv_ctx *ctx, const subject *s)
{
	return tv_cp_verify(ctx, (const tv_cp_proof *)s->proof, &s->statement[0],
	                    &s->statement[1], &s->statement[2], &s->statement[3],
	                    s->context, s->context_len);
}

static tv_status verify_bit(tv_ctx *ctx, const subject *s)
{
	tv_ciphertext ct = { s->statement[1], s->statement[2] };

	return tv_bit_verify(ctx, (const tv_bit_proof *)s->proof, &ct,
	                     &s->statement[0], s->context, s->context_len);
}

static tv_status verify_sig(tv_ctx *ctx, const subject *s)
{
	/* the "context" is the signed message */
	return tv_schnorr_signature_verify(ctx, (const tv_schnorr_signature *)s->proof,
	                                   &s->statement[0], s->context,
	                                   s->context_len);
}

/* statement: K, alpha, beta */
static tv_status verify_range_args(tv_ctx *ctx, const subject *s)
{
	tv_ciphertext ct = { s->statement[1], s->statement[2] };

	return tv_range_verify(ctx, (const tv_range_proof *)s->proof, &ct,
	                       &s->statement[0], s->min, s->max, s->context,
	                       s->context_len);
}

static void set_context(subject *s)
{
	memcpy(s->context, fingerprint, 32);
	memcpy(s->context + 32, "credential", 10);
	s->context_len = 42;
}

static void add_branch_offsets(subject *s, size_t branches)
{
	for (size_t j = 0; j < branches; j++) {
		size_t base = j * sizeof(tv_range_branch);

		s->point_at[s->point_count++] = base + offsetof(tv_range_branch, a);
		s->point_at[s->point_count++] = base + offsetof(tv_range_branch, b);
		s->scalar_at[s->scalar_count++] = base + offsetof(tv_range_branch, challenge);
		s->scalar_at[s->scalar_count++] = base + offsetof(tv_range_branch, response);
	}
}

static void make_pok(tv_ctx *ctx, subject *s)
{
	tv_scalar x;
	tv_schnorr_proof p;

	memset(s, 0, sizeof(*s));
	s->name = "Schnorr proof of knowledge";
	set_context(s);
	assert_ok(ctx, tv_scalar_random(ctx, &x));
	assert_ok(ctx, tv_schnorr_prove(ctx, &p, &s->statement[0], &x, s->context, s->context_len));
	memcpy(s->proof, &p, sizeof(p));
	s->proof_size = sizeof(p);
	s->statement_count = 1;
	s->point_at[s->point_count++] = offsetof(tv_schnorr_proof, commitment);
	s->scalar_at[s->scalar_count++] = offsetof(tv_schnorr_proof, response);
	s->verify = verify_pok;
	tv_scalar_wipe(&x);
}

static void make_cp(tv_ctx *ctx, subject *s)
{
	tv_scalar x, y;
	tv_cp_proof p;

	memset(s, 0, sizeof(*s));
	s->name = "Chaum-Pedersen";
	set_context(s);
	/* the partial-decryption shape: g1 = G, h1 = x·G, g2 = y·G, h2 = x·g2 */
	assert_ok(ctx, tv_scalar_random(ctx, &x));
	assert_ok(ctx, tv_scalar_random(ctx, &y));
	tv_point_generator(&s->statement[0]);
	assert_ok(ctx, tv_point_base_mul(ctx, &s->statement[1], &x));
	assert_ok(ctx, tv_point_base_mul(ctx, &s->statement[2], &y));
	{
		tv_ciphertext ct;

		/* h2 = x·g2: the beta of an encryption of 0 under g2, nonce x */
		assert_ok(ctx, tv_elgamal_encrypt_with_nonce(ctx, &ct, &s->statement[2], 0, &x));
		s->statement[3] = ct.beta;
	}
	assert_ok(ctx, tv_cp_prove(ctx, &p, &x, &s->statement[0], &s->statement[1],
	                           &s->statement[2], &s->statement[3], s->context,
	                           s->context_len));
	memcpy(s->proof, &p, sizeof(p));
	s->proof_size = sizeof(p);
	s->statement_count = 4;
	s->point_at[s->point_count++] = offsetof(tv_cp_proof, commitment1);
	s->point_at[s->point_count++] = offsetof(tv_cp_proof, commitment2);
	s->scalar_at[s->scalar_count++] = offsetof(tv_cp_proof, response);
	s->verify = verify_cp;
	tv_scalar_wipe(&x);
	tv_scalar_wipe(&y);
}

static void make_range(tv_ctx *ctx, subject *s, uint32_t min, uint32_t max,
                       uint32_t value, int bit)
{
	tv_scalar x, r;
	tv_ciphertext ct;

	memset(s, 0, sizeof(*s));
	s->name = bit ? "bit proof" : "range proof";
	set_context(s);
	assert_ok(ctx, tv_scalar_random(ctx, &x));
	assert_ok(ctx, tv_point_base_mul(ctx, &s->statement[0], &x));
	assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &s->statement[0], value));
	s->statement[1] = ct.alpha;
	s->statement[2] = ct.beta;
	s->statement_count = 3;
	s->min = min;
	s->max = max;
	if (bit) {
		tv_bit_proof p;

		assert_ok(ctx, tv_bit_prove(ctx, &p, &ct, &s->statement[0], value, &r,
		                            s->context, s->context_len));
		memcpy(s->proof, &p, sizeof(p));
		s->proof_size = sizeof(p);
		s->verify = verify_bit;
	} else {
		tv_range_proof p;

		assert_ok(ctx, tv_range_prove(ctx, &p, &ct, &s->statement[0], min, max,
		                              value, &r, s->context, s->context_len));
		memcpy(s->proof, &p, sizeof(p));
		s->proof_size = sizeof(p);
		s->verify = verify_range_args;
	}
	add_branch_offsets(s, max - min + 1);
	tv_scalar_wipe(&x);
	tv_scalar_wipe(&r);
}

static void make_sig(tv_ctx *ctx, subject *s)
{
	tv_scalar x;
	tv_schnorr_signature sig;

	memset(s, 0, sizeof(*s));
	s->name = "Schnorr signature";
	set_context(s);
	assert_ok(ctx, tv_scalar_random(ctx, &x));
	assert_ok(ctx, tv_point_base_mul(ctx, &s->statement[0], &x));
	assert_ok(ctx, tv_schnorr_sign(ctx, &sig, &x, s->context, s->context_len));
	memcpy(s->proof, &sig, sizeof(sig));
	s->proof_size = sizeof(sig);
	s->statement_count = 1;
	s->point_at[s->point_count++] = offsetof(tv_schnorr_signature, commitment);
	s->scalar_at[s->scalar_count++] = offsetof(tv_schnorr_signature, response);
	s->verify = verify_sig;
	tv_scalar_wipe(&x);
}

/* run every tampering of @p s; @p invalid is PROOF_ or SIGNATURE_INVALID */
static void tamper_everything(tv_ctx *ctx, const subject *honest, tv_status invalid)
{
	subject s;
	size_t i;
	static const uint8_t n_bytes[32] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
		0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
	};

	assert_ok(ctx, honest->verify(ctx, honest));

	for (i = 0; i < honest->point_count; i++) {
		tv_point *pt;

		s = *honest; /* another valid point: the equations fail */
		pt = (tv_point *)(s.proof + s.point_at[i]);
		test_other_point(ctx, pt, pt);
		assert_status(ctx, s.verify(ctx, &s), invalid);
		s = *honest; /* one flipped bit: no longer on the curve */
		pt = (tv_point *)(s.proof + s.point_at[i]);
		pt->bytes[40] ^= 0x10;
		assert_status(ctx, s.verify(ctx, &s), TV_ERR_POINT_INVALID);
		pt->bytes[40] ^= 0x10;
		pt->bytes[0] = 0x02; /* a compressed prefix */
		assert_status(ctx, s.verify(ctx, &s), TV_ERR_ENCODING);
	}
	for (i = 0; i < honest->scalar_count; i++) {
		tv_scalar *sc;

		s = *honest;
		sc = (tv_scalar *)(s.proof + s.scalar_at[i]);
		test_scalar_plus_one(sc, sc);
		assert_status(ctx, s.verify(ctx, &s), invalid);
		s = *honest;
		sc = (tv_scalar *)(s.proof + s.scalar_at[i]);
		memcpy(sc->bytes, n_bytes, 32); /* n itself: not canonical */
		assert_status(ctx, s.verify(ctx, &s), TV_ERR_SCALAR_RANGE);
	}
	for (i = 0; i < honest->statement_count; i++) {
		s = *honest;
		test_other_point(ctx, &s.statement[i], &s.statement[i]);
		assert_status(ctx, s.verify(ctx, &s), invalid);
		s = *honest;
		s.statement[i].bytes[64] ^= 1;
		assert_status(ctx, s.verify(ctx, &s), TV_ERR_POINT_INVALID);
	}
	/* another context: another election, another credential, or none */
	s = *honest;
	s.context[3] ^= 1;
	assert_status(ctx, s.verify(ctx, &s), invalid);
	s = *honest;
	s.context[s.context_len - 1] ^= 0x80;
	assert_status(ctx, s.verify(ctx, &s), invalid);
	s = *honest;
	s.context_len++;
	assert_status(ctx, s.verify(ctx, &s), invalid);
	s = *honest;
	s.context_len = 0;
	assert_status(ctx, s.verify(ctx, &s), invalid);
	/* the untouched proof still passes: nothing above changed it */
	assert_ok(ctx, honest->verify(ctx, honest));
}

static void schnorr_pok(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	subject s;
	(void)state;

	make_pok(ctx, &s);
	tamper_everything(ctx, &s, TV_ERR_PROOF_INVALID);
	tv_ctx_free(ctx);
}

static void schnorr_pok_refuses_zero_secret(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_scalar zero = { { 0 } };
	tv_schnorr_proof p;
	(void)state;

	assert_status(ctx, tv_schnorr_prove(ctx, &p, NULL, &zero, NULL, 0), TV_ERR_SCALAR_RANGE);
	assert_status(ctx, tv_schnorr_prove(ctx, &p, NULL, &zero, NULL, 1), TV_ERR_INVALID_ARGUMENT);
	tv_ctx_free(ctx);
}

static void chaum_pedersen(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	subject s;
	(void)state;

	make_cp(ctx, &s);
	tamper_everything(ctx, &s, TV_ERR_PROOF_INVALID);
	tv_ctx_free(ctx);
}

static void chaum_pedersen_refuses_false_statement(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_scalar x, y;
	tv_point g, h1, g2, h2;
	tv_cp_proof p;
	(void)state;

	assert_ok(ctx, tv_scalar_random(ctx, &x));
	assert_ok(ctx, tv_scalar_random(ctx, &y));
	tv_point_generator(&g);
	assert_ok(ctx, tv_point_base_mul(ctx, &h1, &x));
	assert_ok(ctx, tv_point_base_mul(ctx, &g2, &y));
	assert_ok(ctx, tv_point_base_mul(ctx, &h2, &y)); /* log_g2 h2 = 1, not x */
	assert_status(ctx, tv_cp_prove(ctx, &p, &x, &g, &h1, &g2, &h2, NULL, 0),
	              TV_ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "h2 is not x·g2"));
	tv_ctx_free(ctx);
}

static void bit_proof_of_zero_and_one(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	subject s;
	(void)state;

	make_range(ctx, &s, 0, 1, 0, 1);
	tamper_everything(ctx, &s, TV_ERR_PROOF_INVALID);
	make_range(ctx, &s, 0, 1, 1, 1);
	tamper_everything(ctx, &s, TV_ERR_PROOF_INVALID);
	tv_ctx_free(ctx);
}

static void range_proofs(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	subject s;
	(void)state;

	make_range(ctx, &s, 0, 1, 0, 0);
	tamper_everything(ctx, &s, TV_ERR_PROOF_INVALID);
	make_range(ctx, &s, 1, 1, 1, 0); /* exactly one choice */
	tamper_everything(ctx, &s, TV_ERR_PROOF_INVALID);
	make_range(ctx, &s, 2, 5, 4, 0);
	tamper_everything(ctx, &s, TV_ERR_PROOF_INVALID);
	make_range(ctx, &s, 0, TV_RANGE_MAX_VALUES - 1, 17, 0);
	assert_ok(ctx, s.verify(ctx, &s));
	tv_ctx_free(ctx);
}

static void range_proof_is_bound_to_its_range(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	subject s;
	tv_ciphertext ct;
	(void)state;

	make_range(ctx, &s, 0, 2, 1, 0);
	ct.alpha = s.statement[1];
	ct.beta = s.statement[2];
	assert_ok(ctx, s.verify(ctx, &s));
	s.max = 3; /* same proof offered for a wider range: no branch 3 */
	assert_status(ctx, s.verify(ctx, &s), TV_ERR_ENCODING);
	s.max = 1; /* or a narrower one */
	assert_status(ctx, s.verify(ctx, &s), TV_ERR_PROOF_INVALID);
	s.min = 1;
	s.max = 3; /* a shifted range of the same width */
	assert_status(ctx, s.verify(ctx, &s), TV_ERR_PROOF_INVALID);
	s.min = 3;
	s.max = 2;
	assert_status(ctx, s.verify(ctx, &s), TV_ERR_RANGE_INVALID);
	s.min = 0;
	s.max = TV_RANGE_MAX_VALUES;
	assert_status(ctx, s.verify(ctx, &s), TV_ERR_RANGE_INVALID);
	(void)ct;
	tv_ctx_free(ctx);
}

/* the challenges may not be moved between branches, even keeping the sum */
static void range_proof_challenge_split_is_checked(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	subject s;
	tv_bit_proof *p;
	tv_scalar tmp;
	(void)state;

	make_range(ctx, &s, 0, 1, 1, 1);
	p = (tv_bit_proof *)s.proof;
	tmp = p->branch[0].challenge;
	p->branch[0].challenge = p->branch[1].challenge;
	p->branch[1].challenge = tmp;
	assert_status(ctx, s.verify(ctx, &s), TV_ERR_PROOF_INVALID);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "branch"));
	make_range(ctx, &s, 0, 1, 0, 1);
	p = (tv_bit_proof *)s.proof;
	{
		tv_range_branch b = p->branch[0]; /* swap whole branches */
		p->branch[0] = p->branch[1];
		p->branch[1] = b;
	}
	assert_status(ctx, s.verify(ctx, &s), TV_ERR_PROOF_INVALID);
	tv_ctx_free(ctx);
}

static void provers_refuse_false_statements(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_scalar x, r, r2;
	tv_point K;
	tv_ciphertext ct;
	tv_bit_proof bp;
	tv_range_proof rp;
	(void)state;

	assert_ok(ctx, tv_scalar_random(ctx, &x));
	assert_ok(ctx, tv_point_base_mul(ctx, &K, &x));
	assert_ok(ctx, tv_elgamal_encrypt(ctx, &ct, &r, &K, 2));
	/* a 2 cannot be proven to be a bit */
	assert_status(ctx, tv_bit_prove(ctx, &bp, &ct, &K, 2, &r, NULL, 0), TV_ERR_RANGE_INVALID);
	/* claiming 1 for an encryption of 2 */
	assert_status(ctx, tv_bit_prove(ctx, &bp, &ct, &K, 1, &r, NULL, 0), TV_ERR_INVALID_ARGUMENT);
	/* the wrong nonce */
	assert_ok(ctx, tv_scalar_random(ctx, &r2));
	assert_status(ctx, tv_range_prove(ctx, &rp, &ct, &K, 0, 3, 2, &r2, NULL, 0),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_range_prove(ctx, &rp, &ct, &K, 3, 0, 2, &r, NULL, 0),
	              TV_ERR_RANGE_INVALID);
	assert_status(ctx, tv_range_prove(ctx, &rp, &ct, &K, 0, 40, 2, &r, NULL, 0),
	              TV_ERR_RANGE_INVALID);
	/* zero secrets are refused as out of range, not computed with */
	{
		tv_scalar zero = { { 0 } };
		tv_cp_proof cp;
		tv_point g;
		uint32_t v;

		tv_point_generator(&g);
		assert_status(ctx, tv_range_prove(ctx, &rp, &ct, &K, 0, 3, 2, &zero, NULL, 0),
		              TV_ERR_SCALAR_RANGE);
		assert_status(ctx, tv_cp_prove(ctx, &cp, &zero, &g, &K, &g, &K, NULL, 0),
		              TV_ERR_SCALAR_RANGE);
		assert_status(ctx, tv_elgamal_decrypt(ctx, &v, &ct, &zero, 5), TV_ERR_SCALAR_RANGE);
	}
	/*
	 * A cheat: prove 2 in [0, 2] and offer the first two branches as a
	 * bit proof. The challenges no longer add up.
	 */
	assert_ok(ctx, tv_range_prove(ctx, &rp, &ct, &K, 0, 2, 2, &r, NULL, 0));
	memcpy(bp.branch, rp.branch, sizeof(bp.branch));
	assert_status(ctx, tv_bit_verify(ctx, &bp, &ct, &K, NULL, 0), TV_ERR_PROOF_INVALID);
	tv_ctx_free(ctx);
}

static void schnorr_signature(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	subject s;
	(void)state;

	make_sig(ctx, &s);
	tamper_everything(ctx, &s, TV_ERR_SIGNATURE_INVALID);
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(schnorr_pok),
		cmocka_unit_test(schnorr_pok_refuses_zero_secret),
		cmocka_unit_test(chaum_pedersen),
		cmocka_unit_test(chaum_pedersen_refuses_false_statement),
		cmocka_unit_test(bit_proof_of_zero_and_one),
		cmocka_unit_test(range_proofs),
		cmocka_unit_test(range_proof_is_bound_to_its_range),
		cmocka_unit_test(range_proof_challenge_split_is_checked),
		cmocka_unit_test(provers_refuse_false_statements),
		cmocka_unit_test(schnorr_signature),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
