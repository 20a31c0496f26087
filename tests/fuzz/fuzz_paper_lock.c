/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A paper's lock opened with its identifier (tv__paper_unlock, SPEC
 * §15.8.3), as the box opens it when a paper row is cast, for paper 0 of
 * the box's file in tv_fuzz_papers_get()'s election (its identifier,
 * handle, credential and commitment fixed). The first byte picks:
 *  - even: the rest is the lock. It must open only when it is that paper's
 *    own lock, byte for byte (AES-256-GCM's tag): anything else is
 *    TV_ERR_PROOF_INVALID;
 *  - odd: the rest is a plaintext, sealed here as SPEC §15.8.3 says (key
 *    H("paper-lock"; F, id) by OpenSSL's SHA-256, AAD h; the lock is the
 *    IV, here 12 fixed bytes, then the ciphertext and the tag), so the
 *    reader behind the tag is reached. It opens only when it holds k = 3
 *    unsigned ballots of the paper's credential whose digests are the
 *    paper's (its commitment c): then the ballots and digests given back
 *    are those, each digest the SPEC's H("paper-vector"; …) of its ballot.
 * Always: a refusal is recorded with a message, leaves no ballot behind,
 * and its status is TV_ERR_PROOF_INVALID (election_internal.h says so, and
 * the box's intake reports only that status as the row's problem: any
 * other stops the whole intake).
 * At start-up, the paper's lock as the authority made it must open under
 * the key derived here: the lock is the SPEC's.
 *
 * The seed plain_two_ballots_lf holds a plaintext line the ballot reader
 * refuses (an empty one after a trailing LF), which once gave that
 * reader's own status and stopped a whole intake.
 */
#include <string.h>

#include "ballot_internal.h"
#include "fuzz_common.h"

/* the IV of a lock sealed here (the authority draws a fresh one) */
static const uint8_t iv[12] = { 'f', 'u', 'z', 'z', '-', 'p', 'a', 'p', 'e', 'r', 'i', 'v' };

static struct {
	const tv_fuzz_paper_line *l;
	uint8_t key[32];
	uint8_t sorted[TV__PAPER_ANSWERS_MAX][32]; /* the paper's digests, ascending */
	uint32_t k;
	uint8_t *sealed; /* room for a sealed input */
	size_t cap;
} fx;

static int cmp32(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/* H("paper-vector"; F, u32be(m), pt(α_1), pt(β_1), pt(α_2), pt(β_2)) by the
 * SPEC: the fixture's election has m = 2 options */
static void vector_digest(uint8_t out[32], const uint8_t f[32], const tv_ballot *b)
{
	static const uint8_t two[4] = { 0, 0, 0, 2 };

	FUZZ_CHECK(b->options == 2);
	tv_fuzz_spec_hash(out, "paper-vector", 6, f, (size_t)32, two, (size_t)4,
	                  b->vote[0].alpha.bytes, (size_t)TV_POINT_BYTES, b->vote[0].beta.bytes,
	                  (size_t)TV_POINT_BYTES, b->vote[1].alpha.bytes, (size_t)TV_POINT_BYTES,
	                  b->vote[1].beta.bytes, (size_t)TV_POINT_BYTES);
}

static void setup(void)
{
	tv_fuzz_papers *e = tv_fuzz_papers_get();
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_ballot *ballots[TV__PAPER_ANSWERS_MAX];
	uint8_t digests[TV__PAPER_ANSWERS_MAX][32], tag[16], *plain;
	const tv_fuzz_paper_line *l = &e->line[0];

	fx.l = l;
	tv_fuzz_spec_hash(fx.key, "paper-lock", 2, e->f, (size_t)32, l->id,
	                  (size_t)TV__PAPER_SYMBOLS);
	/* the authority's lock is sealed under the SPEC's key, IV and AAD */
	FUZZ_CHECK(l->lock_len > 12 + 16 && (plain = malloc(l->lock_len)) != NULL);
	memcpy(tag, l->lock + l->lock_len - 16, 16);
	FUZZ_CHECK(tv__aes_gcm(ctx, 0, plain, l->lock + 12, l->lock_len - 12 - 16, fx.key, l->lock,
	                       l->handle, 32, tag) == TV_OK);
	free(plain);
	/* and opens, to the paper's k ballots */
	fx.k = tv__paper_answers(e->manifest, (uint32_t[TV__PAPER_ANSWERS_MAX]){ 0 });
	FUZZ_CHECK(fx.k == 3);
	FUZZ_CHECK(tv__paper_unlock(ctx, ballots, digests, e->f, e->manifest, l->id, l->handle,
	                            &l->credential, l->commit, l->lock, l->lock_len) == TV_OK);
	for (uint32_t i = 0; i < fx.k; i++) {
		memcpy(fx.sorted[i], digests[i], 32);
		tv_ballot_free(ballots[i]);
	}
	qsort(fx.sorted, fx.k, 32, cmp32);
}

static void check_opened(const tv_fuzz_papers *e, tv_ballot **ballots, uint8_t (*digests)[32])
{
	uint8_t sorted[TV__PAPER_ANSWERS_MAX][32], d[32];

	for (uint32_t i = 0; i < fx.k; i++) {
		FUZZ_CHECK(ballots[i] != NULL && !tv_ballot_is_signed(ballots[i]));
		FUZZ_CHECK(memcmp(ballots[i]->credential.bytes, fx.l->credential.bytes,
		                  TV_POINT_BYTES) == 0);
		vector_digest(d, e->f, ballots[i]);
		FUZZ_CHECK(memcmp(d, digests[i], 32) == 0);
		memcpy(sorted[i], digests[i], 32);
	}
	qsort(sorted, fx.k, 32, cmp32);
	FUZZ_CHECK(memcmp(sorted, fx.sorted, (size_t)fx.k * 32) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_fuzz_papers *e = tv_fuzz_papers_get();
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_ballot *ballots[TV__PAPER_ANSWERS_MAX];
	uint8_t digests[TV__PAPER_ANSWERS_MAX][32];
	const uint8_t *lock;
	size_t len;
	tv_status st;
	int genuine;

	if (fx.l == NULL)
		setup();
	if (size == 0)
		return 0;
	if (data[0] % 2 == 0) {
		lock = data + 1;
		len = size - 1;
		genuine = len == fx.l->lock_len && memcmp(lock, fx.l->lock, len) == 0;
	} else {
		len = 12 + size - 1 + 16;
		if (len > fx.cap) {
			free(fx.sealed);
			FUZZ_CHECK((fx.sealed = malloc(len)) != NULL);
			fx.cap = len;
		}
		memcpy(fx.sealed, iv, 12);
		FUZZ_CHECK(tv__aes_gcm(ctx, 1, fx.sealed + 12, data + 1, size - 1, fx.key, iv,
		                       fx.l->handle, 32, fx.sealed + 12 + size - 1) == TV_OK);
		lock = fx.sealed;
		genuine = -1; /* decided by what it holds */
	}
	memset(ballots, 0x5a, sizeof(ballots));
	tv_fuzz_clear_error(ctx);
	st = tv__paper_unlock(ctx, ballots, digests, e->f, e->manifest, fx.l->id, fx.l->handle,
	                      &fx.l->credential, fx.l->commit, lock, len);
	tv_fuzz_check_status_recorded(ctx, st);
	if (genuine >= 0)
		FUZZ_CHECK((st == TV_OK) == genuine);
	if (st != TV_OK) {
		FUZZ_CHECK(st == TV_ERR_PROOF_INVALID || st == TV_ERR_NOMEM);
		for (uint32_t i = 0; i < fx.k; i++)
			FUZZ_CHECK(ballots[i] == NULL);
		return 0;
	}
	check_opened(e, ballots, digests);
	for (uint32_t i = 0; i < fx.k; i++)
		tv_ballot_free(ballots[i]);
	return 0;
}

__attribute__((destructor)) static void free_sealed(void)
{
	free(fx.sealed);
}
