/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §3: H(tag; fields). The expected digests were computed with an
 * independent implementation of the SPEC (Python's hashlib), not with this
 * library.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "internal.h"

static void digest_hex(char out[65], const uint8_t d[32])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(tv_ctx *ctx, tv__hash *h, const char *want)
{
	uint8_t d[TV_HASH_BYTES];
	char hex[65];

	assert_ok(ctx, tv__hash_final(h, d));
	digest_hex(hex, d);
	assert_string_equal(hex, want);
}

static void known_answers(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv__hash h;
	(void)state;

	assert_ok(ctx, tv__hash_begin(&h, ctx, "test"));
	check(ctx, &h, "fc817937a7c5f2113e683482b5f5125d6d52709f3b2d6e0266ebc197f18f6df1");

	assert_ok(ctx, tv__hash_begin(&h, ctx, "test"));
	tv__hash_field(&h, "", 0);
	check(ctx, &h, "a1aa95f57cf980b80690dad36935495376e769cafd6274431dde171ab15e63d1");

	assert_ok(ctx, tv__hash_begin(&h, ctx, "test"));
	tv__hash_field(&h, "ab", 2);
	tv__hash_field(&h, "c", 1);
	check(ctx, &h, "ff3adbe17dd5290c70403a2bcf160c27853145fea054dea77a121c13c2ef6cb1");

	/* same bytes, other boundaries: a different digest */
	assert_ok(ctx, tv__hash_begin(&h, ctx, "test"));
	tv__hash_field(&h, "a", 1);
	tv__hash_field(&h, "bc", 2);
	check(ctx, &h, "8d8a2e8a7736c9af1534e872425c25c527bf3f32cab360370e48515d09715435");

	assert_ok(ctx, tv__hash_begin(&h, ctx, "test"));
	tv__hash_u32(&h, 7);
	tv__hash_u64(&h, (UINT64_C(1) << 40) + 5);
	check(ctx, &h, "39f698c84a58f52b40a7b328aabfd7a5b3e2017f99c05934c27fa78ebd1aa883");
	tv_ctx_free(ctx);
}

static void errors_are_sticky(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t d[TV_HASH_BYTES];
	tv__hash h;
	(void)state;

	assert_ok(ctx, tv__hash_begin(&h, ctx, "test"));
	tv__hash_field(&h, NULL, 3); /* a NULL field with a length */
	tv__hash_field(&h, "x", 1);
	assert_status(ctx, tv__hash_final(&h, d), TV_ERR_INVALID_ARGUMENT);
	tv_ctx_free(ctx);
}

static void deterministic_generator_repeats(void **state)
{
	tv_ctx *a = test_ctx_new(), *b = test_ctx_new();
	tv_scalar sa, sb, sc;
	(void)state;

	assert_ok(a, tv__ctx_set_deterministic(a, (const uint8_t *)"seed", 4));
	assert_ok(b, tv__ctx_set_deterministic(b, (const uint8_t *)"seed", 4));
	assert_ok(a, tv_scalar_random(a, &sa));
	assert_ok(b, tv_scalar_random(b, &sb));
	assert_memory_equal(&sa, &sb, sizeof(sa));
	assert_ok(a, tv_scalar_random(a, &sc));
	assert_memory_not_equal(&sa, &sc, sizeof(sa));
	assert_ok(b, tv__ctx_set_deterministic(b, (const uint8_t *)"other", 5));
	assert_ok(b, tv_scalar_random(b, &sb));
	assert_memory_not_equal(&sa, &sb, sizeof(sa));
	tv_ctx_free(a);
	tv_ctx_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_answers),
		cmocka_unit_test(errors_are_sticky),
		cmocka_unit_test(deterministic_generator_repeats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
