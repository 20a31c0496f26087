/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"

typedef struct alloc_state {
	long fail_after;   /* < 0: never fail */
	long *allocations; /* successful allocations so far, or NULL */
} alloc_state;

/* one state per process is enough: the tests are single-threaded */
static alloc_state state_plain = { -1, NULL };
static alloc_state state_failing;

static int should_fail(alloc_state *st)
{
	long done = st->allocations ? *st->allocations : 0;

	return st->fail_after >= 0 && done >= st->fail_after;
}

static void *t_alloc(size_t size, void *payload)
{
	alloc_state *st = payload;
	void *p;

	if (should_fail(st))
		return NULL;
	p = test_malloc(size);
	if (p != NULL && st->allocations)
		(*st->allocations)++;
	return p;
}

static void *t_realloc(void *ptr, size_t size, void *payload)
{
	alloc_state *st = payload;
	void *p;

	if (should_fail(st))
		return NULL;
	p = test_realloc(ptr, size);
	if (p != NULL && st->allocations)
		(*st->allocations)++;
	return p;
}

static void t_free(void *ptr, void *payload)
{
	(void)payload;
	test_free(ptr);
}

static tv_ctx *ctx_with(alloc_state *st)
{
	tv_ctx_options opts = TV_CTX_OPTIONS_INIT;
	tv_ctx *ctx = NULL;

	opts.alloc = t_alloc;
	opts.realloc = t_realloc;
	opts.free = t_free;
	opts.alloc_payload = st;
	if (tv_ctx_new(&ctx, &opts) != TV_OK)
		return NULL;
	return ctx;
}

tv_ctx *test_ctx_new(void)
{
	tv_ctx *ctx = ctx_with(&state_plain);

	assert_non_null(ctx);
	return ctx;
}

tv_ctx *test_ctx_new_failing(long fail_after, long *allocations)
{
	state_failing.fail_after = fail_after;
	state_failing.allocations = allocations;
	*allocations = 0;
	return ctx_with(&state_failing);
}

static uint64_t rng_state;

uint64_t test_seed(void)
{
	static int printed;

	if (!printed) {
		const char *env = getenv("TV_TEST_SEED");

		rng_state = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
		if (rng_state == 0)
			rng_state = 1;
		printf("# test PRNG seed: %llu (set TV_TEST_SEED to repeat)\n",
		       (unsigned long long)rng_state);
		printed = 1;
	}
	return rng_state;
}

uint64_t test_rand(void)
{
	(void)test_seed();
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

void test_other_point(tv_ctx *ctx, tv_point *out, const tv_point *p)
{
	tv_point g;
	tv_ciphertext a, b, sum;

	/* reuse ciphertext addition to add G: (p, p) + (G, G) */
	tv_point_generator(&g);
	a.alpha = *p;
	a.beta = *p;
	b.alpha = g;
	b.beta = g;
	assert_ok(ctx, tv_ciphertext_add(ctx, &sum, &a, &b));
	*out = sum.alpha;
}

void test_scalar_plus_one(tv_scalar *out, const tv_scalar *s)
{
	static const uint8_t n_minus_1[32] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
		0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x50,
	};
	int i;

	if (memcmp(s->bytes, n_minus_1, 32) == 0) {
		memset(out->bytes, 0, 32);
		return;
	}
	*out = *s;
	for (i = 31; i >= 0; i--)
		if (++out->bytes[i] != 0)
			break;
}

char *test_replace(const char *base, const char *from, const char *to, size_t *len)
{
	const char *at = strstr(base, from);
	size_t blen = strlen(base), flen = strlen(from), tlen = strlen(to);
	char *out;

	assert_non_null(at);
	out = malloc(blen - flen + tlen + 1);
	assert_non_null(out);
	memcpy(out, base, (size_t)(at - base));
	memcpy(out + (at - base), to, tlen);
	memcpy(out + (at - base) + tlen, at + flen, blen - (size_t)(at - base) - flen + 1);
	if (len != NULL)
		*len = blen - flen + tlen;
	return out;
}

void test_yes_no_options(tv_manifest_options *o, const char *election_id, int64_t opens,
                         int64_t closes)
{
	o->election_id = election_id;
	o->council = "Testshire Council";
	o->landlord = "Testshire Mutual";
	o->title.en = "Stock transfer ballot";
	o->question.en = "Do you support the transfer?";
	o->option_count = 2;
	o->options[0].en = "Yes";
	o->options[1].en = "No";
	o->transfer_option = 1;
	o->allow_blank = 1;
	o->opens = opens;
	o->closes = closes;
	o->channels = TV_CHANNEL_ONLINE | TV_CHANNEL_POSTAL;
}
