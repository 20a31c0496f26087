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

/*
 * An election with ballot papers (SPEC §15.8) on tv_fuzz_manifest()'s
 * election, made once per process with the deterministic generator (§7)
 * from a fixed seed, so every process makes the same one and gen_corpus's
 * seeds fit it: TV_FUZZ_PAPERS tenants' credentials imported into a box in
 * set-up, the one-trustee key ceremony done, and the authority's papers
 * made for them (what the printer gets, and the box's paper file) but not
 * imported. The box's folder is a fresh temporary one, removed at exit.
 */
#define TV_FUZZ_PAPERS 2

typedef struct tv_fuzz_paper_line {
	uint8_t handle[32], commit[32];
	tv_point credential;
	uint8_t *lock;                  /* its bytes, tv__free'd with the fixture */
	size_t lock_len;
	char id[TV__PAPER_SYMBOLS + 1]; /* its identifier, canonical */
	size_t number;                  /* its paper in the printer's order, from 0 */
} tv_fuzz_paper_line;

typedef struct tv_fuzz_papers {
	tv_ctx *ctx;                    /* deterministic: made everything below */
	tv_manifest *manifest;
	uint8_t f[32];
	char dir[64];                   /* the temporary folder */
	char box_dir[96];               /* dir/box: the box's folder */
	tv_box *box;                    /* in set-up, no papers imported */
	tv_authority *authority;
	char *issue;                    /* the authority's issue file (§11.5) */
	tv_election_key key;
	uint8_t seed[TV_PAPER_SEED_BYTES];
	tv_paper_print print[TV_FUZZ_PAPERS];  /* in issue order */
	char *file;                     /* the box's paper file (§15.8.3) */
	size_t file_len;
	tv_fuzz_paper_line line[TV_FUZZ_PAPERS]; /* its paper lines, in file order */
} tv_fuzz_papers;

/* The election above, made on first use; aborts if it cannot be made. */
tv_fuzz_papers *tv_fuzz_papers_get(void);

/*
 * Put the box back as tv_fuzz_papers_get() made it (after papers were
 * imported into it): closed, its folder copied back from the copy taken
 * when it was made, and opened again.
 */
void tv_fuzz_papers_reset_box(tv_fuzz_papers *e);

/*
 * H(purpose; fields) as SPEC §4 writes it, with OpenSSL's SHA-256 and not
 * the library's hash: u32be(len) ‖ "tenantvote/v1/" ‖ purpose, then each
 * field as u32be(len) ‖ bytes. After @p fields come that many pairs
 * (const void *data, size_t len).
 */
void tv_fuzz_spec_hash(uint8_t out[32], const char *purpose, size_t fields, ...);

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
