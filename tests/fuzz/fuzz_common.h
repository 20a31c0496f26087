/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the fuzz targets (STYLE §12): one library context per process,
 * the check macro, and oracles that decide validity independently of the
 * library's own code (plain BIGNUM arithmetic, no EC_POINT), so a target
 * checks the library against something other than itself.
 *
 * Every target is one file defining LLVMFuzzerTestOneInput. Built with
 * -Dfuzzing_engine=libfuzzer it links libFuzzer's main; otherwise it links
 * replay_main.c and runs under `meson test --suite fuzz`.
 */
#ifndef TV_FUZZ_COMMON_H
#define TV_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "election_internal.h"

/* the libFuzzer entry point, defined once by each target */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A property the library must keep for every input. A failure aborts, so
 * libFuzzer and the replay main both keep the input that caused it.
 */
#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond))                                                   \
			tv_fuzz_fail(__FILE__, __LINE__, #cond);               \
	} while (0)

__attribute__((noreturn)) void tv_fuzz_fail(const char *file, int line,
                                            const char *what);

/*
 * The process's context, created on first use and freed by a destructor
 * at exit (so LeakSanitizer sees nothing outstanding). Never NULL: failing
 * to create it aborts, since no property can be checked without it.
 */
tv_ctx *tv_fuzz_ctx(void);

/*
 * Forget the last failure on the context, so that a check that a failing
 * call left a message sees that call's message, not an older one.
 */
void tv_fuzz_clear_error(tv_ctx *ctx);

/*
 * After a call that returned @p status: a failure must be recorded on the
 * context with the same status and a non-empty message; a success must not
 * have touched the recorded status.
 */
void tv_fuzz_check_status_recorded(tv_ctx *ctx, tv_status status);

/*
 * What tv_point_decode() must answer for these bytes, worked out with the
 * curve equation y^2 = x^3 - 3x + b (mod p) in BIGNUMs: TV_OK,
 * TV_ERR_ENCODING (length or prefix) or TV_ERR_POINT_INVALID.
 */
tv_status tv_fuzz_oracle_point(const uint8_t *in, size_t len);

/* What tv_scalar_decode() must answer: TV_OK, ENCODING or SCALAR_RANGE. */
tv_status tv_fuzz_oracle_scalar(const uint8_t *in, size_t len);

/* A fixed two-option election ("fuzzshire", blank allowed), for targets
 * that need a manifest (tv_manifest_free() it). */
tv_manifest *tv_fuzz_manifest(tv_ctx *ctx);

/* Non-zero when all @p len bytes are zero. */
int tv_fuzz_all_zero(const uint8_t *p, size_t len);

/*
 * (a + b) mod n on 32-byte big-endian scalars (inputs below n); returns
 * non-zero when the sum is zero.
 */
int tv_fuzz_scalar_add(uint8_t out[TV_SCALAR_BYTES],
                       const uint8_t a[TV_SCALAR_BYTES],
                       const uint8_t b[TV_SCALAR_BYTES]);

/* n - k for 0 < k < n (the negation mod n). */
void tv_fuzz_scalar_neg(uint8_t out[TV_SCALAR_BYTES],
                        const uint8_t k[TV_SCALAR_BYTES]);

#endif
