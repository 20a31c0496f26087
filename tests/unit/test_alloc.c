/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fail each allocation in turn on the paths that allocate through the
 * context: every failure must give TV_ERR_NOMEM (or no context), leak
 * nothing (cmocka checks), and never crash.
 */
#include <string.h>

#include "helpers.h"

static void ctx_new_survives_each_failure(void **state)
{
	long n, count;
	(void)state;

	for (n = 0;; n++) {
		tv_ctx *ctx = test_ctx_new_failing(n, &count);

		if (ctx != NULL) {
			tv_ctx_free(ctx);
			break;
		}
		assert_true(n < 100);
	}
	assert_true(n >= 1); /* at least the context itself was allocated */
}

static void range_prove_survives_each_failure(void **state)
{
	tv_ctx *setup = test_ctx_new();
	tv_scalar x, r;
	tv_point K;
	tv_ciphertext ct;
	tv_range_proof proof;
	long n, count, failures = 0;
	(void)state;

	assert_ok(setup, tv_scalar_random(setup, &x));
	assert_ok(setup, tv_point_base_mul(setup, &K, &x));
	assert_ok(setup, tv_elgamal_encrypt(setup, &ct, &r, &K, 1));
	for (n = 1;; n++) {
		/* the context takes one allocation; the prover the next ones */
		tv_ctx *ctx = test_ctx_new_failing(n, &count);
		tv_status st;

		assert_non_null(ctx);
		st = tv_range_prove(ctx, &proof, &ct, &K, 0, 3, 1, &r, NULL, 0);
		tv_ctx_free(ctx);
		if (st == TV_OK)
			break;
		assert_int_equal(st, TV_ERR_NOMEM);
		failures++;
		assert_true(n < 100);
	}
	assert_true(failures >= 1);
	assert_ok(setup, tv_range_verify(setup, &proof, &ct, &K, 0, 3, NULL, 0));
	tv_ctx_free(setup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ctx_new_survives_each_failure),
		cmocka_unit_test(range_prove_survives_each_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
