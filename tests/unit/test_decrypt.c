/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §16.2: threshold decryption after a real 3-of-5 key ceremony: any
 * three trustees decrypt, two cannot, and a wrong partial decryption is
 * caught and named.
 */
#include <string.h>

#include "helpers.h"
#include "tally_internal.h"
#include "tenantvote/decrypt.h"

#define N 5
#define K 3

static const uint8_t F[32] = "fingerprint of the test ballot.";
static const uint8_t other_F[32] = "fingerprint of another ballot..";

typedef struct fixture {
	tv_ctx *ctx;
	tv_trustee *t[N];
	tv_election_key key;
} fixture;

static int ceremony(void **state)
{
	fixture *fx = test_calloc(1, sizeof(*fx));
	char *commits[N] = { NULL }, *reveals[N] = { NULL }, *results[N] = { NULL };
	int i;

	fx->ctx = test_ctx_new();
	for (i = 0; i < N; i++) {
		assert_ok(fx->ctx, tv_trustee_new(fx->ctx, &fx->t[i], F, (uint32_t)i + 1, N, K));
		assert_ok(fx->ctx, tv_trustee_commit(fx->ctx, &commits[i], fx->t[i]));
	}
	for (i = 0; i < N; i++)
		assert_ok(fx->ctx, tv_trustee_reveal(fx->ctx, &reveals[i], fx->t[i],
		                                     (const char *const *)commits, N));
	for (i = 0; i < N; i++)
		assert_ok(fx->ctx, tv_trustee_combine(fx->ctx, &results[i], NULL, fx->t[i],
		                                      (const char *const *)commits, N,
		                                      (const char *const *)reveals, N));
	assert_ok(fx->ctx, tv_ceremony_verify(fx->ctx, &fx->key, F, N, K,
	                                      (const char *const *)commits, N,
	                                      (const char *const *)reveals, N,
	                                      (const char *const *)results, N));
	for (i = 0; i < N; i++) {
		tv_free(fx->ctx, commits[i]);
		tv_free(fx->ctx, reveals[i]);
		tv_free(fx->ctx, results[i]);
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;

	for (int i = 0; i < N; i++)
		tv_trustee_free(fx->t[i]);
	tv_ctx_free(fx->ctx);
	test_free(fx);
	return 0;
}

static void parts_for(fixture *fx, tv_partial_decryption *out, const tv_ciphertext *ct,
                      const int *who, int count)
{
	for (int i = 0; i < count; i++) {
		assert_ok(fx->ctx, tv__partial_decrypt(fx->ctx, &out[i], fx->t[who[i] - 1], ct, F));
		assert_int_equal(out[i].trustee, (uint32_t)who[i]);
		assert_ok(fx->ctx, tv_partial_verify(fx->ctx, &out[i],
		                                     &fx->key.verification_key[who[i] - 1], ct, F));
	}
}

static void any_three_decrypt(void **state)
{
	fixture *fx = *state;
	tv_ciphertext ct;
	tv_scalar r;
	int sets = 0;

	assert_ok(fx->ctx, tv_elgamal_encrypt(fx->ctx, &ct, &r, &fx->key.key, 7));
	for (int a = 1; a <= N; a++)
		for (int b = a + 1; b <= N; b++)
			for (int c = b + 1; c <= N; c++) {
				int who[3] = { c, a, b }; /* any order */
				tv_partial_decryption parts[3];
				uint32_t v = 0;

				parts_for(fx, parts, &ct, who, 3);
				assert_ok(fx->ctx, tv_decrypt_combine(fx->ctx, &v, &ct, parts, 3, &fx->key, F, 100));
				assert_int_equal(v, 7);
				sets++;
			}
	assert_int_equal(sets, 10);
	/* all five work too */
	{
		int who[5] = { 1, 2, 3, 4, 5 };
		tv_partial_decryption parts[5];
		uint32_t v = 0;

		parts_for(fx, parts, &ct, who, 5);
		assert_ok(fx->ctx, tv_decrypt_combine(fx->ctx, &v, &ct, parts, 5, &fx->key, F, 100));
		assert_int_equal(v, 7);
	}
}

/* k - 1 trustees cannot decrypt, even if told the threshold is k - 1 */
static void two_cannot(void **state)
{
	fixture *fx = *state;
	tv_ciphertext ct;
	tv_scalar r;
	int who[2] = { 2, 4 };
	tv_partial_decryption parts[2];
	uint32_t v = 0;

	assert_ok(fx->ctx, tv_elgamal_encrypt(fx->ctx, &ct, &r, &fx->key.key, 1));
	parts_for(fx, parts, &ct, who, 2);
	assert_status(fx->ctx, tv_decrypt_combine(fx->ctx, &v, &ct, parts, 2, &fx->key, F, 1000),
	              TV_ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "at least 3"));
	/* the arithmetic itself: two shares interpolate to the wrong secret */
	assert_status(fx->ctx, tv__decrypt_combine_unchecked(fx->ctx, &v, &ct, parts, 2, 2, 100000),
	              TV_ERR_RANGE_INVALID);
}

static void wrong_parts_are_caught(void **state)
{
	fixture *fx = *state;
	tv_ciphertext ct, other;
	tv_scalar r;
	int who[3] = { 1, 2, 3 };
	tv_partial_decryption parts[3], bad;
	uint32_t v = 0;

	assert_ok(fx->ctx, tv_elgamal_encrypt(fx->ctx, &ct, &r, &fx->key.key, 4));
	assert_ok(fx->ctx, tv_elgamal_encrypt(fx->ctx, &other, &r, &fx->key.key, 4));
	parts_for(fx, parts, &ct, who, 3);

	/* another point as the share: the proof fails and names trustee 2 */
	bad = parts[1];
	test_other_point(fx->ctx, &bad.share, &bad.share);
	assert_status(fx->ctx, tv_partial_verify(fx->ctx, &bad, &fx->key.verification_key[1], &ct, F),
	              TV_ERR_PROOF_INVALID);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "trustee 2"));
	/*
	 * Used anyway, it would move the total to another plausible value
	 * (here 4 + 3: trustee 2's coefficient for {1, 2, 3} is -3), which is
	 * why combining checks every part first and names the culprit.
	 */
	{
		tv_partial_decryption mixed[3] = { parts[0], bad, parts[2] };

		assert_ok(fx->ctx, tv__decrypt_combine_unchecked(fx->ctx, &v, &ct, mixed, 3, K, 1000));
		assert_int_equal(v, 7);
		assert_status(fx->ctx, tv_decrypt_combine(fx->ctx, &v, &ct, mixed, 3, &fx->key, F, 1000),
		              TV_ERR_PROOF_INVALID);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "trustee 2"));
	}
	/* a part for another ciphertext, another election, another trustee's key */
	assert_status(fx->ctx, tv_partial_verify(fx->ctx, &parts[0], &fx->key.verification_key[0],
	                                         &other, F), TV_ERR_PROOF_INVALID);
	assert_status(fx->ctx, tv_partial_verify(fx->ctx, &parts[0], &fx->key.verification_key[0],
	                                         &ct, other_F), TV_ERR_PROOF_INVALID);
	assert_status(fx->ctx, tv_partial_verify(fx->ctx, &parts[0], &fx->key.verification_key[1],
	                                         &ct, F), TV_ERR_PROOF_INVALID);
	/* claimed by another trustee: the proof binds the number */
	bad = parts[0];
	bad.trustee = 2;
	assert_status(fx->ctx, tv_partial_verify(fx->ctx, &bad, &fx->key.verification_key[0], &ct, F),
	              TV_ERR_PROOF_INVALID);
	/* the same trustee twice */
	{
		tv_partial_decryption twice[3] = { parts[0], parts[0], parts[2] };

		assert_status(fx->ctx, tv_decrypt_combine(fx->ctx, &v, &ct, twice, 3, &fx->key, F, 1000),
		              TV_ERR_INVALID_ARGUMENT);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "twice"));
	}
}

static void homomorphic_total_decrypts(void **state)
{
	fixture *fx = *state;
	tv_ciphertext sum, ct;
	tv_scalar r;
	int who[3] = { 5, 3, 1 };
	tv_partial_decryption parts[3];
	uint32_t v = 0, total = 0;

	assert_ok(fx->ctx, tv_elgamal_encrypt(fx->ctx, &sum, &r, &fx->key.key, 0));
	for (int i = 0; i < 40; i++) {
		uint32_t vote = (uint32_t)(test_rand() % 2);

		assert_ok(fx->ctx, tv_elgamal_encrypt(fx->ctx, &ct, &r, &fx->key.key, vote));
		assert_ok(fx->ctx, tv_ciphertext_add(fx->ctx, &sum, &sum, &ct));
		total += vote;
	}
	parts_for(fx, parts, &sum, who, 3);
	assert_ok(fx->ctx, tv_decrypt_combine(fx->ctx, &v, &sum, parts, 3, &fx->key, F, 40));
	assert_int_equal(v, total);
}

/*
 * The verifier's running sums (SPEC §19.5): from the point at infinity,
 * an entry taken out again when a revote or a revocation replaces it, the
 * start (h·G, h·K) added at the end: the same sums as adding up only the
 * entries that stay, from the start, and they decrypt to their total.
 */
static void running_sum_with_entries_taken_out(void **state)
{
	fixture *fx = *state;
	static const uint8_t head[32] = "the board's final head, for h..";
	tv__ct_sum once, running;
	tv_ciphertext ct[6], a, b;
	tv_scalar r;
	int who[3] = { 1, 2, 4 };
	tv_partial_decryption parts[3];
	uint32_t v = 0, total = 0;

	for (int i = 0; i < 6; i++)
		assert_ok(fx->ctx, tv_elgamal_encrypt(fx->ctx, &ct[i], &r, &fx->key.key,
		                                      (uint32_t)i % 2));
	/* entries 1 and 4 are replaced: the rest are counted */
	assert_ok(fx->ctx, tv__ct_sum_start(fx->ctx, &once, &fx->key.key, F, head));
	for (int i = 0; i < 6; i++)
		if (i != 1 && i != 4) {
			assert_ok(fx->ctx, tv__ct_sum_add(fx->ctx, &once, &ct[i]));
			total += (uint32_t)i % 2;
		}
	assert_ok(fx->ctx, tv__ct_sum_zero(fx->ctx, &running));
	/* through the point at infinity: one entry in, and out again */
	assert_ok(fx->ctx, tv__ct_sum_add(fx->ctx, &running, &ct[1]));
	assert_ok(fx->ctx, tv__ct_sum_sub(fx->ctx, &running, &ct[1]));
	for (int i = 0; i < 6; i++)
		assert_ok(fx->ctx, tv__ct_sum_add(fx->ctx, &running, &ct[i]));
	assert_ok(fx->ctx, tv__ct_sum_sub(fx->ctx, &running, &ct[4]));
	assert_ok(fx->ctx, tv__ct_sum_sub(fx->ctx, &running, &ct[1]));
	assert_ok(fx->ctx, tv__ct_sum_add_start(fx->ctx, &running, &fx->key.key, F, head));
	assert_ok(fx->ctx, tv__ct_sum_get(fx->ctx, &a, &once));
	assert_ok(fx->ctx, tv__ct_sum_get(fx->ctx, &b, &running));
	assert_memory_equal(&a, &b, sizeof(a));
	/* one entry more taken out: another sum, so the comparison can fail */
	assert_ok(fx->ctx, tv__ct_sum_sub(fx->ctx, &running, &ct[0]));
	assert_ok(fx->ctx, tv__ct_sum_get(fx->ctx, &b, &running));
	assert_memory_not_equal(&a, &b, sizeof(a));
	parts_for(fx, parts, &a, who, 3);
	assert_ok(fx->ctx, tv_decrypt_combine(fx->ctx, &v, &a, parts, 3, &fx->key, F, 6));
	assert_int_equal(v, total);
	tv__ct_sum_free(&once);
	tv__ct_sum_free(&running);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(any_three_decrypt),
		cmocka_unit_test(two_cannot),
		cmocka_unit_test(wrong_parts_are_caught),
		cmocka_unit_test(homomorphic_total_decrypts),
		cmocka_unit_test(running_sum_with_entries_taken_out),
	};

	return cmocka_run_group_tests(tests, ceremony, teardown);
}
