/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared test helpers: contexts whose allocations go through cmocka. */
#ifndef TV_TEST_HELPERS_H
#define TV_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tenantvote/tenantvote.h"

/*
 * A context whose own allocations go through cmocka's test_malloc, so a
 * leak fails the test. If @p fail_after >= 0, the allocation after that
 * many successful ones (and every later one) fails.
 */
tv_ctx *test_ctx_new(void);
tv_ctx *test_ctx_new_failing(long fail_after, long *allocations);

/* assert a status, printing the context's message when it differs */
#define assert_status(ctx, expr, expected)                                    \
	do {                                                                  \
		tv_status got_ = (expr);                                      \
		if (got_ != (expected))                                       \
			fail_msg("%s: got %s (%d), want %s (%d): %s", #expr,  \
			         tv_status_str(got_), (int)got_,              \
			         tv_status_str(expected), (int)(expected),    \
			         tv_ctx_last_error(ctx));                     \
	} while (0)

#define assert_ok(ctx, expr) assert_status(ctx, expr, TV_OK)

/* a reproducible PRNG for test inputs; the seed is printed */
uint64_t test_seed(void);
uint64_t test_rand(void);

/* a point other than @p p (p + G), valid on the curve */
void test_other_point(tv_ctx *ctx, tv_point *out, const tv_point *p);
/* @p base with the first @p from replaced by @p to (malloc); @p len may be NULL */
char *test_replace(const char *base, const char *from, const char *to, size_t *len);
/* s + 1 mod n */
void test_scalar_plus_one(tv_scalar *out, const tv_scalar *s);

/*
 * The test elections' usual manifest: Testshire, a yes/no transfer
 * question with blank allowed, open from @p opens to @p closes online and
 * by post. The caller sets the trustees and anything else it needs.
 */
void test_yes_no_options(tv_manifest_options *o, const char *election_id, int64_t opens,
                         int64_t closes);

#endif
