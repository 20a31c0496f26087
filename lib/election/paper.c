/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pre-encrypted ballot papers (SPEC §15.8): the derivations from a paper's
 * opening, the paper list and its signature, the locks the box opens with
 * a paper's identifier, the two board entries a paper becomes, and the
 * credential authority's making and opening of papers.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "ballot_internal.h"
#include "json_util.h"
#include "tenantvote/paper.h"

#define SEED_MAGIC "TVPS0001"

/* ------------------------------------------------------------ derivations */

tv_status tv__paper_id_from_opening(tv_ctx *ctx, char id[TV__PAPER_SYMBOLS + 1],
                                    const uint8_t f[32], const uint8_t o[32])
{
	uint8_t d[TV_HASH_BYTES], v[TV__PAPER_SYMBOLS];
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "paper-id")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, o, 32);
	if ((status = tv__hash_final(&h, d)) != TV_OK)
		return status;
	/* 19 symbols of 5 bits from the first 95 bits, most significant first */
	for (size_t i = 0; i < TV__PAPER_SYMBOLS - 1; i++) {
		size_t bit = 5 * i;
		unsigned w = ((unsigned)d[bit / 8] << 8) | d[bit / 8 + 1];

		v[i] = (uint8_t)((w >> (11 - bit % 8)) & 31);
	}
	v[TV__PAPER_SYMBOLS - 1] = tv__luhn32_check(v, TV__PAPER_SYMBOLS - 1);
	for (size_t i = 0; i < TV__PAPER_SYMBOLS; i++)
		id[i] = tv__base32_alphabet[v[i]];
	id[TV__PAPER_SYMBOLS] = '\0';
	OPENSSL_cleanse(d, sizeof(d));
	OPENSSL_cleanse(v, sizeof(v));
	return TV_OK;
}

tv_status tv__paper_handle(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                           const char id[TV__PAPER_SYMBOLS])
{
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "paper")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, id, TV__PAPER_SYMBOLS);
	return tv__hash_final(&h, out);
}

void tv__paper_id_print(char out[TV_PAPER_ID_TEXT_LEN + 1], const char id[TV__PAPER_SYMBOLS])
{
	size_t o = 0;

	for (size_t i = 0; i < TV__PAPER_SYMBOLS; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = id[i];
	}
	out[o] = '\0';
}

tv_status tv_paper_id_read(tv_ctx *ctx, char printed[TV_PAPER_ID_TEXT_LEN + 1],
                           uint8_t handle[32], const char *typed, size_t len,
                           const uint8_t fingerprint[32])
{
	uint8_t v[TV__PAPER_SYMBOLS];
	char id[TV__PAPER_SYMBOLS];
	int n;

	if (ctx == NULL || printed == NULL || handle == NULL || typed == NULL ||
	    fingerprint == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_paper_id_read: NULL argument");
	if ((n = tv__symbols_read(v, TV__PAPER_SYMBOLS, typed, len)) < 0)
		return tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
		                n == -1 ? "paper identifier: character %zu is not one of its letters "
		                          "and digits"
		                        : "paper identifier: it needs %zu letters and digits",
		                n == -1 ? tv__symbols_bad_at(typed, len) : (size_t)TV__PAPER_SYMBOLS);
	if (tv__luhn32_check(v, TV__PAPER_SYMBOLS - 1) != v[TV__PAPER_SYMBOLS - 1])
		return tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
		                "paper identifier: the check character does not match; a character "
		                "was mistyped");
	for (size_t i = 0; i < TV__PAPER_SYMBOLS; i++)
		id[i] = tv__base32_alphabet[v[i]];
	tv__paper_id_print(printed, id);
	return tv__paper_handle(ctx, handle, fingerprint, id);
}

/* r_a,i = the first int(H("paper-nonce"; F, o, a, i, j)) with 1 <= r < n */
tv_status tv__paper_nonce(tv_ctx *ctx, tv_scalar *out, const uint8_t f[32],
                          const uint8_t o[32], uint32_t a, uint32_t i)
{
	uint8_t d[TV_HASH_BYTES];
	tv__sc r;
	tv_status status = TV_OK;
	uint32_t j;

	tv__sc_set_u32(&r, 0);
	for (j = 0; j < 64; j++) {
		tv__hash h;

		if ((status = tv__hash_begin(&h, ctx, "paper-nonce")) != TV_OK) {
			tv__hash_abort(&h);
			break;
		}
		tv__hash_field(&h, f, 32);
		tv__hash_field(&h, o, 32);
		tv__hash_u32(&h, a);
		tv__hash_u32(&h, i);
		tv__hash_u32(&h, j);
		if ((status = tv__hash_final(&h, d)) != TV_OK)
			break;
		if (tv__ct_reveal(tv__sc_load(&r, d) & ~tv__sc_is_zero(&r)))
			break;
	}
	if (status == TV_OK && j == 64)
		status = tv__fail(ctx, TV_ERR_INTERNAL, "no paper nonce found");
	tv__sc_to_scalar(out, &r);
	OPENSSL_cleanse(d, sizeof(d));
	OPENSSL_cleanse(&r, sizeof(r));
	return status;
}

tv_status tv__paper_vector_digest(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                  uint32_t m, const tv_ciphertext *vote)
{
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "paper-vector")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_u32(&h, m);
	for (uint32_t i = 0; i < m; i++) {
		tv__hash_point(&h, &vote[i].alpha);
		tv__hash_point(&h, &vote[i].beta);
	}
	return tv__hash_final(&h, out);
}

void tv__paper_short_code(char out[TV_PAPER_CODE_LEN + 1], const uint8_t e[32])
{
	uint32_t w = ((uint32_t)e[0] << 16) | ((uint32_t)e[1] << 8) | e[2];

	for (int i = 0; i < TV_PAPER_CODE_LEN; i++)
		out[i] = tv__base32_alphabet[(w >> (19 - 5 * i)) & 31];
	out[TV_PAPER_CODE_LEN] = '\0';
}

int tv__paper_code_read(char out[TV_PAPER_CODE_LEN + 1], const char *typed, size_t len)
{
	uint8_t v[TV_PAPER_CODE_LEN];

	if (tv__symbols_read(v, TV_PAPER_CODE_LEN, typed, len) != 0)
		return -1;
	for (int i = 0; i < TV_PAPER_CODE_LEN; i++)
		out[i] = tv__base32_alphabet[v[i]];
	out[TV_PAPER_CODE_LEN] = '\0';
	return 0;
}

static int cmp_digest(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

tv_status tv__paper_commit(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                           const uint8_t handle[32], const tv_point *credential, uint32_t k,
                           const uint8_t (*digests)[32])
{
	uint8_t sorted[TV__PAPER_ANSWERS_MAX][32];
	tv__hash h;
	tv_status status;

	if (k < 2 || k > TV__PAPER_ANSWERS_MAX)
		return tv__fail(ctx, TV_ERR_INTERNAL, "a paper of %" PRIu32 " answers", k);
	memcpy(sorted, digests, (size_t)k * 32);
	qsort(sorted, k, 32, cmp_digest);
	if ((status = tv__hash_begin(&h, ctx, "paper-commit")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, handle, 32);
	tv__hash_point(&h, credential);
	tv__hash_u32(&h, k);
	for (uint32_t i = 0; i < k; i++)
		tv__hash_field(&h, sorted[i], 32);
	return tv__hash_final(&h, out);
}

uint32_t tv__paper_answers(const tv_manifest *m, uint32_t answer[TV__PAPER_ANSWERS_MAX])
{
	uint32_t k = 0, options = (uint32_t)tv_manifest_option_count(m);

	for (uint32_t a = 1; a <= options; a++)
		answer[k++] = a;
	if (tv_manifest_allow_blank(m))
		answer[k++] = TV_BALLOT_BLANK;
	return k;
}

tv_status tv__paper_from_opening(tv_ctx *ctx, tv__paper *p, const uint8_t f[32],
                                 const tv_manifest *m, const tv_point *election_key,
                                 const uint8_t o[32])
{
	uint32_t options = (uint32_t)tv_manifest_option_count(m);
	tv_status status;

	memset(p, 0, sizeof(*p));
	memcpy(p->opening, o, 32);
	if ((status = tv__paper_id_from_opening(ctx, p->id, f, o)) != TV_OK ||
	    (status = tv__paper_handle(ctx, p->handle, f, p->id)) != TV_OK)
		return status;
	p->answers = tv__paper_answers(m, p->answer);
	p->distinct = 1;
	for (uint32_t k = 0; k < p->answers; k++) {
		tv_ciphertext vote[TV_MAX_OPTIONS];

		for (uint32_t i = 0; i < options; i++) {
			tv_scalar r;

			status = tv__paper_nonce(ctx, &r, f, o, p->answer[k], i + 1);
			if (status == TV_OK)
				status = tv_elgamal_encrypt_with_nonce(ctx, &vote[i], election_key,
				                                       p->answer[k] == i + 1, &r);
			tv_scalar_wipe(&r);
			if (status != TV_OK)
				return status;
		}
		if ((status = tv__paper_vector_digest(ctx, p->digest[k], f, options, vote)) != TV_OK)
			return status;
		tv__paper_short_code(p->code[k], p->digest[k]);
		for (uint32_t j = 0; j < k; j++)
			if (strcmp(p->code[j], p->code[k]) == 0)
				p->distinct = 0;
	}
	return TV_OK;
}

tv_status tv__paper_ballots(tv_ctx *ctx, tv_ballot **out, const tv__paper *p,
                            const uint8_t f[32], const tv_manifest *m,
                            const tv_point *election_key, const tv_point *credential)
{
	uint32_t options = (uint32_t)tv_manifest_option_count(m);
	tv_status status = TV_OK;

	for (uint32_t k = 0; k < p->answers; k++)
		out[k] = NULL;
	for (uint32_t k = 0; k < p->answers && status == TV_OK; k++) {
		tv_scalar r[TV_MAX_OPTIONS];

		for (uint32_t i = 0; i < options && status == TV_OK; i++)
			status = tv__paper_nonce(ctx, &r[i], f, p->opening, p->answer[k], i + 1);
		if (status == TV_OK)
			status = tv__ballot_with_nonces(ctx, &out[k], m, election_key, credential,
			                                p->answer[k], r);
		OPENSSL_cleanse(r, sizeof(r));
	}
	if (status != TV_OK)
		for (uint32_t k = 0; k < p->answers; k++) {
			tv_ballot_free(out[k]);
			out[k] = NULL;
		}
	return status;
}

/* ------------------------------------------------------- list and chain */

tv_status tv__paper_list_begin(tv__hash *h, tv_ctx *ctx, const uint8_t f[32],
                               const uint8_t authority[32], const uint8_t list[32],
                               uint64_t count)
{
	tv_status status;

	if ((status = tv__hash_begin(h, ctx, "paper-list")) != TV_OK) {
		tv__hash_abort(h);
		return status;
	}
	tv__hash_field(h, f, 32);
	tv__hash_field(h, authority, 32);
	tv__hash_field(h, list, 32);
	tv__hash_u64(h, count);
	return TV_OK;
}

void tv__paper_list_add(tv__hash *h, const uint8_t handle[32], const tv_point *credential,
                        const uint8_t commit[32])
{
	tv__hash_field(h, handle, 32);
	tv__hash_point(h, credential);
	tv__hash_field(h, commit, 32);
}

tv_status tv__paper_start_head(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                               const uint8_t list[32])
{
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "board-start-papers")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, list, 32);
	return tv__hash_final(&h, out);
}

tv_status tv__paper_spoilt_tracking(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                    const uint8_t handle[32], uint32_t reason)
{
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "paper-spoilt-tracking")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, handle, 32);
	tv__hash_u32(&h, reason);
	return tv__hash_final(&h, out);
}

tv_status tv__paper_openings_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                     const uint8_t authority[32], const uint8_t list[32],
                                     uint64_t entries, const uint8_t head[32],
                                     const uint8_t (*openings)[32], size_t count)
{
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "paper-openings")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, authority, 32);
	tv__hash_field(&h, list, 32);
	tv__hash_u64(&h, entries);
	tv__hash_field(&h, head, 32);
	tv__hash_u64(&h, count);
	for (size_t i = 0; i < count; i++)
		tv__hash_field(&h, openings[i], 32);
	return tv__hash_final(&h, out);
}

tv_status tv__paper_openings_verify(tv_ctx *ctx, const uint8_t f[32],
                                    const uint8_t authority[32], const uint8_t list[32],
                                    const tv__openings_seal *seal,
                                    const uint8_t (*openings)[32], size_t count)
{
	tv_ed25519_public_key a;
	tv_ed25519_signature sig;
	uint8_t msg[32];
	tv_status status;

	if ((status = tv__paper_openings_message(ctx, msg, f, authority, list, seal->entries,
	                                         seal->head, openings, count)) != TV_OK)
		return status;
	memcpy(a.bytes, authority, 32);
	memcpy(sig.bytes, seal->signature, 64);
	if (tv_ed25519_verify(ctx, &sig, &a, msg, 32) != TV_OK)
		return tv__fail(ctx, TV_ERR_SIGNATURE_INVALID, "the openings are not signed by the "
		                "credential authority over this list of papers");
	return TV_OK;
}

/* ---------------------------------------------------------------- locks */

static tv_status lock_key(tv_ctx *ctx, uint8_t key[32], const uint8_t f[32],
                          const char id[TV__PAPER_SYMBOLS])
{
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "paper-lock")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, id, TV__PAPER_SYMBOLS);
	return tv__hash_final(&h, key);
}

/* the lock of @p p's ballots, sorted by their digests (§15.8.3) */
static tv_status lock_seal(tv_ctx *ctx, uint8_t **out, size_t *out_len, const tv__paper *p,
                           const uint8_t f[32], tv_ballot *const *ballots)
{
	uint32_t order[TV__PAPER_ANSWERS_MAX], k = p->answers;
	char *json[TV__PAPER_ANSWERS_MAX] = { 0 };
	size_t jlen[TV__PAPER_ANSWERS_MAX], total = 0;
	uint8_t key[32], *plain = NULL, *lock = NULL;
	tv_status status = TV_OK;

	for (uint32_t i = 0; i < k; i++)
		order[i] = i;
	for (uint32_t i = 1; i < k; i++) /* insertion sort by digest: k <= 17 */
		for (uint32_t j = i; j > 0 && memcmp(p->digest[order[j - 1]], p->digest[order[j]], 32) > 0;
		     j--) {
			uint32_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (uint32_t i = 0; i < k && status == TV_OK; i++) {
		status = tv_ballot_to_json(ctx, &json[i], &jlen[i], ballots[order[i]]);
		total += jlen[i] + 1;
	}
	if (status == TV_OK && ((plain = tv__alloc(ctx, total)) == NULL ||
	                        (lock = tv__alloc(ctx, 12 + total - 1 + 16)) == NULL))
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a paper's lock");
	if (status == TV_OK) {
		size_t at = 0;

		for (uint32_t i = 0; i < k; i++) {
			memcpy(plain + at, json[i], jlen[i]);
			at += jlen[i];
			if (i + 1 < k)
				plain[at++] = '\n';
		}
		/* a fresh IV: making the papers again gives the key another plaintext */
		if ((status = lock_key(ctx, key, f, p->id)) == TV_OK &&
		    (status = tv__random_bytes(ctx, lock, 12)) == TV_OK &&
		    (status = tv__aes_gcm(ctx, 1, lock + 12, plain, at, key, lock, p->handle, 32,
		                          lock + 12 + at)) == TV_OK) {
			*out = lock;
			*out_len = 12 + at + 16;
			lock = NULL;
		}
		OPENSSL_cleanse(key, sizeof(key));
		OPENSSL_cleanse(plain, total);
	}
	for (uint32_t i = 0; i < k; i++)
		tv_free(ctx, json[i]);
	tv__free(ctx, plain);
	tv__free(ctx, lock);
	return status;
}

tv_status tv__paper_unlock(tv_ctx *ctx, tv_ballot **ballots, uint8_t (*digests)[32],
                           const uint8_t f[32], const tv_manifest *m,
                           const char id[TV__PAPER_SYMBOLS], const uint8_t handle[32],
                           const tv_point *credential, const uint8_t commit[32],
                           const uint8_t *lock, size_t len)
{
	uint32_t answer[TV__PAPER_ANSWERS_MAX], k = tv__paper_answers(m, answer), n = 0;
	uint32_t options = (uint32_t)tv_manifest_option_count(m);
	uint8_t key[32], c[32], *plain = NULL;
	size_t plain_len, at = 0;
	tv_status status;

	for (uint32_t i = 0; i < k; i++)
		ballots[i] = NULL;
	if (len < 28 || (plain = tv__alloc(ctx, len - 28 + 1)) == NULL)
		return len < 28 ? tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's lock is cut short")
		                : tv__fail(ctx, TV_ERR_NOMEM, "cannot open a paper's lock");
	plain_len = len - 28;
	if ((status = lock_key(ctx, key, f, id)) == TV_OK) {
		uint8_t tag[16];

		memcpy(tag, lock + 12 + plain_len, 16);
		status = tv__aes_gcm(ctx, 0, plain, lock + 12, plain_len, key, lock, handle, 32, tag);
		if (status == TV_ERR_PASSPHRASE)
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's lock does not open "
			                  "with its identifier: the credential authority's file is "
			                  "damaged");
	}
	OPENSSL_cleanse(key, sizeof(key));
	while (status == TV_OK && at <= plain_len) {
		const uint8_t *lf = memchr(plain + at, '\n', plain_len - at);
		size_t end = lf != NULL ? (size_t)(lf - plain) : plain_len;

		if (n == k) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's lock holds more than "
			                  "its %" PRIu32 " ballots", k);
			break;
		}
		if ((status = tv_ballot_from_json(ctx, &ballots[n], (const char *)plain + at,
		                                  end - at)) != TV_OK) {
			/* the authority's file is damaged: a problem on the row, as any */
			if (status != TV_ERR_NOMEM)
				status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's ballot %" PRIu32
				                  " does not read (%s): the credential authority's file is "
				                  "damaged", n + 1, tv_ctx_last_error(ctx));
			break;
		}
		if (tv_ballot_is_signed(ballots[n]) || ballots[n]->options != options ||
		    memcmp(ballots[n]->credential.bytes, credential->bytes, TV_POINT_BYTES) != 0) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's ballot %" PRIu32
			                  " is not an unsigned ballot for its credential", n + 1);
			break;
		}
		if ((status = tv__paper_vector_digest(ctx, digests[n], f, options,
		                                      ballots[n]->vote)) != TV_OK)
			break;
		n++;
		at = end + 1;
	}
	if (status == TV_OK && n != k)
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's lock holds %" PRIu32
		                  " ballots, not %" PRIu32, n, k);
	if (status == TV_OK &&
	    (status = tv__paper_commit(ctx, c, f, handle, credential, k,
	                               (const uint8_t (*)[32])digests)) == TV_OK &&
	    memcmp(c, commit, 32) != 0)
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's contents are not what the "
		                  "credential authority committed");
	OPENSSL_cleanse(plain, len - 28 + 1);
	tv__free(ctx, plain);
	if (status != TV_OK)
		for (uint32_t i = 0; i < k; i++) {
			tv_ballot_free(ballots[i]);
			ballots[i] = NULL;
		}
	return status;
}

/* --------------------------------------------------------- board entries */

tv_status tv__paper_entry_to_json(tv_ctx *ctx, char **out, size_t *len,
                                  const uint8_t handle[32], const tv_ballot *ballot,
                                  const uint8_t (*others)[32], uint32_t count)
{
	json_t *root, *list, *b = NULL;
	char *bj = NULL;
	size_t blen;
	tv_status status;

	if ((status = tv_ballot_to_json(ctx, &bj, &blen, ballot)) != TV_OK)
		return status;
	b = json_loadb(bj, blen, 0, NULL);
	tv_free(ctx, bj);
	list = json_array();
	for (uint32_t i = 0; list != NULL && i < count; i++)
		json_array_append_new(list, tv__json_hex(others[i], 32));
	root = json_pack("{s:s, s:o, s:o, s:o}", "format", TV_PAPER_BALLOT_FORMAT, "paper",
	                 tv__json_hex(handle, 32), "ballot", b, "others", list);
	return tv__json_dump(ctx, out, len, root, JSON_COMPACT | JSON_PRESERVE_ORDER, 0,
	                     "a paper's board entry");
}

tv_status tv__paper_spoilt_to_json(tv_ctx *ctx, char **out, size_t *len, const uint8_t f[32],
                                   const char id[TV__PAPER_SYMBOLS], const tv_point *credential,
                                   tv_spoilt_reason reason)
{
	return tv__json_dump(ctx, out, len,
	                     json_pack("{s:s, s:o, s:s#, s:o, s:s}", "format",
	                               TV_PAPER_SPOILT_FORMAT, "election", tv__json_hex(f, 32),
	                               "paper", id, (int)TV__PAPER_SYMBOLS, "credential",
	                               tv__json_hex(credential->bytes, TV_POINT_BYTES), "reason",
	                               tv__spoilt_reason_names[reason - 1]),
	                     JSON_COMPACT | JSON_PRESERVE_ORDER, 0, "a rejected paper's board entry");
}

tv_status tv__paper_entry_from_value(tv_ctx *ctx, tv__board_entry *e, tv_ballot **ballot,
                                     json_t *x)
{
	static const char *const keys[] = { "format", "paper", "ballot", "others" };
	json_t *b, *list;
	tv__jr r;
	tv_status status;

	tv__jr_init(&r, ctx, TV_OK, "paper entry");
	if ((status = tv__jr_keys(&r, x, "entry", keys, 4, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, x, "entry", TV_PAPER_BALLOT_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(&r, e->paper, 32, x, "paper", "entry")) != TV_OK ||
	    (status = tv__jr_array(&r, &list, x, "others", "entry", 1,
	                           TV__PAPER_ANSWERS_MAX - 1)) != TV_OK)
		return status;
	if (!json_is_object(b = json_object_get(x, "ballot")))
		return tv__fail(ctx, TV_ERR_ENCODING, "paper entry: entry.ballot is not an object");
	e->others = (uint32_t)json_array_size(list);
	for (size_t i = 0; i < e->others; i++) {
		char at[TV_JR_PATH_BYTES];
		const char *s;
		json_t *item = json_array_get(list, i);

		s = json_string_value(item);
		tv__jr_item(at, "entry.others", i);
		if (s == NULL)
			return tv__fail(ctx, TV_ERR_ENCODING, "paper entry: %s is not 32 bytes of "
			                "lowercase hex", at);
		if ((status = tv__hex_decode(ctx, e->other[i], 32, s, json_string_length(item),
		                             at)) != TV_OK)
			return status;
	}
	return tv__ballot_from_value_unsigned(ctx, ballot, b);
}

tv_status tv__paper_spoilt_from_value(tv_ctx *ctx, tv__board_entry *e, tv_spoilt **out,
                                      json_t *x)
{
	static const char *const keys[] = { "format", "election", "paper", "credential",
	                                    "reason" };
	tv_spoilt *p;
	const char *id;
	size_t id_len, reason;
	tv__jr r;
	tv_status status;

	*out = NULL;
	tv__jr_init(&r, ctx, TV_OK, "rejected paper entry");
	if ((p = tv__calloc(ctx, 1, sizeof(*p))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a rejected paper");
	p->ctx = ctx;
	if ((status = tv__jr_keys(&r, x, "entry", keys, 5, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, x, "entry", TV_PAPER_SPOILT_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(&r, p->fingerprint, 32, x, "election", "entry")) != TV_OK ||
	    (status = tv__jr_string(&r, &id, &id_len, x, "paper", "entry", 64)) != TV_OK ||
	    (status = tv__jr_point(&r, &p->credential, x, "credential", "entry")) != TV_OK ||
	    (status = tv__jr_enum(&r, &reason, x, "reason", "entry", tv__spoilt_reason_names,
	                          TV_SPOILT_REASONS)) != TV_OK)
		goto out;
	/* the identifier in its canonical spelling: 20 symbols of the alphabet */
	if (id_len != TV__PAPER_SYMBOLS || strspn(id, tv__base32_alphabet) != TV__PAPER_SYMBOLS) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "rejected paper entry: entry.paper is not a "
		                  "paper identifier (20 symbols)");
		goto out;
	}
	memcpy(e->paper_id, id, TV__PAPER_SYMBOLS);
	e->paper_id[TV__PAPER_SYMBOLS] = '\0';
	p->reason = (tv_spoilt_reason)(reason + 1);
	if ((status = tv__paper_handle(ctx, e->paper, p->fingerprint, id)) == TV_OK)
		status = tv__paper_spoilt_tracking(ctx, p->tracking, p->fingerprint, e->paper,
		                                   (uint32_t)p->reason);
out:
	if (status != TV_OK)
		tv__free(ctx, p);
	else
		*out = p;
	return status;
}

/* ------------------------------------------------------- the authority */

tv_status tv_paper_seed_new(tv_ctx *ctx, uint8_t out[TV_PAPER_SEED_BYTES], const tv_manifest *m)
{
	if (ctx == NULL || out == NULL || m == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_paper_seed_new: NULL argument");
	memcpy(out, SEED_MAGIC, 8);
	tv_manifest_fingerprint(out + 8, m);
	return tv__random_bytes(ctx, out + 40, 32);
}

static tv_status seed_read(tv_ctx *ctx, const uint8_t seed[TV_PAPER_SEED_BYTES],
                           const uint8_t f[32])
{
	if (memcmp(seed, SEED_MAGIC, 8) != 0)
		return tv__fail(ctx, TV_ERR_ENCODING, "this is not a paper seed");
	if (memcmp(seed + 8, f, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the paper seed is another election's");
	return TV_OK;
}

/* paper t's opening: the first j whose paper has k different codes */
static tv_status paper_t(tv_ctx *ctx, tv__paper *p, const uint8_t seed[TV_PAPER_SEED_BYTES],
                         const uint8_t f[32], const tv_manifest *m, const tv_point *key,
                         uint32_t t)
{
	tv_status status = TV_OK;

	for (uint32_t j = 0; j < 1000; j++) {
		uint8_t o[32];
		tv__hash h;

		if ((status = tv__hash_begin(&h, ctx, "paper-seed")) != TV_OK) {
			tv__hash_abort(&h);
			return status;
		}
		tv__hash_field(&h, seed + 40, 32);
		tv__hash_u32(&h, t);
		tv__hash_u32(&h, j);
		if ((status = tv__hash_final(&h, o)) == TV_OK)
			status = tv__paper_from_opening(ctx, p, f, m, key, o);
		OPENSSL_cleanse(o, sizeof(o));
		if (status != TV_OK || p->distinct)
			return status;
	}
	return tv__fail(ctx, TV_ERR_INTERNAL, "no paper with distinct codes for paper %" PRIu32, t);
}

typedef struct made {
	uint8_t handle[32];
	uint8_t commit[32];
	uint32_t t; /* 1.. in the issue file */
} made;

static int cmp_made(const void *a, const void *b)
{
	return memcmp(((const made *)a)->handle, ((const made *)b)->handle, 32);
}

/* the issue file of this authority and election, and its list digest */
static tv_status read_issue(tv_ctx *ctx, tv__credential_issue *issue, uint8_t l[32],
                            const tv_authority *a, const uint8_t f[32], const char *json,
                            size_t len)
{
	uint8_t c[32];
	tv_status status;

	if ((status = tv__credential_issue_from_json(ctx, issue, json, len)) != TV_OK)
		return status;
	if (memcmp(issue->election, f, 32) != 0 ||
	    memcmp(issue->authority, tv__authority_public(a), 32) != 0)
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the issue file was not made by this "
		                  "credential authority for this election");
	else
		status = tv__credential_issue_check(ctx, issue, l, c);
	if (status != TV_OK)
		tv__credential_issue_free(ctx, issue);
	return status;
}

static tv_status paper_line(tv_ctx *ctx, const tv__paper *p, const uint8_t f[32],
                            const tv_manifest *m, const tv_point *key, const tv_point *x,
                            const uint8_t commit[32], tv_paper_line_fn line, void *payload)
{
	tv_ballot *ballots[TV__PAPER_ANSWERS_MAX];
	uint8_t *lock = NULL;
	size_t lock_len = 0;
	char *text = NULL, hh[65], cc[65], xx[TV_POINT_HEX_LEN + 1];
	tv_status status;

	if ((status = tv__paper_ballots(ctx, ballots, p, f, m, key, x)) != TV_OK)
		return status;
	status = lock_seal(ctx, &lock, &lock_len, p, f, ballots);
	for (uint32_t k = 0; k < p->answers; k++)
		tv_ballot_free(ballots[k]);
	if (status != TV_OK)
		return status;
	if ((text = tv__alloc(ctx, 2 * lock_len + 512)) == NULL) {
		tv__free(ctx, lock);
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot write a paper's line");
	}
	tv__hex_encode(hh, p->handle, 32);
	tv__hex_encode(cc, commit, 32);
	tv_point_to_hex(xx, x);
	int n = sprintf(text, "{\"paper\":\"%s\",\"credential\":\"%s\",\"commit\":\"%s\",\"lock\":\"",
	                hh, xx, cc);
	tv__hex_encode(text + n, lock, lock_len);
	n += (int)(2 * lock_len);
	n += sprintf(text + n, "\"}\n");
	tv__free(ctx, lock);
	if (line(text, (size_t)n, payload) != 0)
		status = tv__fail(ctx, TV_ERR_IO, "the paper file could not be written");
	tv__free(ctx, text);
	return status;
}

/*
 * Every paper of the issue file again from the seed (one pass, in issue
 * order: each given to @p print when it is not NULL), then sorted by
 * handle, with the list digest P of §15.8.2: *@p out holds (h, c, t) of
 * each, for the caller to tv__free.
 */
static tv_status all_papers(tv_ctx *ctx, made **out, uint8_t list[32],
                            const tv_authority *authority, const tv__credential_issue *issue,
                            const uint8_t l[32], const uint8_t seed[TV_PAPER_SEED_BYTES],
                            const uint8_t f[32], const tv_manifest *m, const tv_point *key,
                            tv_paper_print_fn print, void *payload)
{
	made *mine;
	tv__paper p;
	tv__hash h;
	tv_status status = TV_OK;

	*out = NULL;
	if ((mine = tv__calloc(ctx, issue->count + 1, sizeof(*mine))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu papers", issue->count);
	for (size_t i = 0; i < issue->count && status == TV_OK; i++) {
		tv_paper_print pr;
		tv_point x;

		memcpy(x.bytes, issue->points[i], TV_POINT_BYTES);
		if ((status = paper_t(ctx, &p, seed, f, m, key, (uint32_t)(i + 1))) != TV_OK ||
		    (status = tv__paper_commit(ctx, mine[i].commit, f, p.handle, &x, p.answers,
		                               (const uint8_t (*)[32])p.digest)) != TV_OK)
			break;
		memcpy(mine[i].handle, p.handle, 32);
		mine[i].t = (uint32_t)(i + 1);
		if (print == NULL)
			continue;
		memset(&pr, 0, sizeof(pr));
		pr.number = i + 1;
		tv__paper_id_print(pr.id, p.id);
		pr.answers = p.answers;
		memcpy(pr.answer, p.answer, sizeof(pr.answer));
		memcpy(pr.code, p.code, sizeof(pr.code));
		if (print(&pr, payload) != 0)
			status = tv__fail(ctx, TV_ERR_IO, "the papers were not all printed");
		OPENSSL_cleanse(&pr, sizeof(pr));
	}
	OPENSSL_cleanse(&p, sizeof(p));
	if (status != TV_OK)
		goto out;
	qsort(mine, issue->count, sizeof(*mine), cmp_made);
	for (size_t i = 1; i < issue->count; i++)
		if (memcmp(mine[i - 1].handle, mine[i].handle, 32) == 0) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "two papers with one identifier");
			goto out;
		}
	if ((status = tv__paper_list_begin(&h, ctx, f, tv__authority_public(authority), l,
	                                   issue->count)) != TV_OK)
		goto out;
	for (size_t i = 0; i < issue->count; i++) {
		tv_point x;

		memcpy(x.bytes, issue->points[mine[i].t - 1], TV_POINT_BYTES);
		tv__paper_list_add(&h, mine[i].handle, &x, mine[i].commit);
	}
	status = tv__hash_final(&h, list);
out:
	if (status != TV_OK)
		tv__free(ctx, mine);
	else
		*out = mine;
	return status;
}

tv_status tv_authority_make_papers(tv_ctx *ctx, const tv_authority *authority,
                                   const uint8_t seed[TV_PAPER_SEED_BYTES], const tv_manifest *m,
                                   const tv_point *election_key, const char *issue_json,
                                   size_t len, tv_paper_print_fn print, tv_paper_line_fn line,
                                   void *payload)
{
	tv__credential_issue issue;
	uint8_t f[32], l[32], pl[32];
	made *list = NULL;
	tv__paper p;
	tv_ed25519_signature sig;
	tv_status status;
	char head[512], ah[65], sh[129], fh[65];

	if (ctx == NULL || authority == NULL || seed == NULL || m == NULL || election_key == NULL ||
	    issue_json == NULL || print == NULL || line == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_authority_make_papers: NULL argument");
	tv_manifest_fingerprint(f, m);
	if ((status = seed_read(ctx, seed, f)) != TV_OK ||
	    (status = tv_point_check(ctx, election_key)) != TV_OK ||
	    (status = read_issue(ctx, &issue, l, authority, f, issue_json, len)) != TV_OK)
		return status;
	/* once in issue order, for the printer and the signed list P */
	if ((status = all_papers(ctx, &list, pl, authority, &issue, l, seed, f, m, election_key,
	                         print, payload)) != TV_OK ||
	    (status = tv__authority_sign(ctx, &sig, authority, pl, 32)) != TV_OK)
		goto out;
	tv__hex_encode(fh, f, 32);
	tv__hex_encode(ah, tv__authority_public(authority), 32);
	tv__hex_encode(sh, sig.bytes, 64);
	snprintf(head, sizeof(head), "{\"format\":\"%s\",\"election\":\"%s\",\"authority\":\"%s\","
	         "\"papers\":%zu,\"signature\":\"%s\"}\n", TV_PAPER_BOX_FORMAT, fh, ah,
	         issue.count, sh);
	if (line(head, strlen(head), payload) != 0) {
		status = tv__fail(ctx, TV_ERR_IO, "the paper file could not be written");
		goto out;
	}
	/* again in handle order: each paper's ballots, proved, and locked */
	for (size_t i = 0; i < issue.count && status == TV_OK; i++) {
		tv_point x;

		memcpy(x.bytes, issue.points[list[i].t - 1], TV_POINT_BYTES);
		if ((status = paper_t(ctx, &p, seed, f, m, election_key, list[i].t)) == TV_OK)
			status = paper_line(ctx, &p, f, m, election_key, &x, list[i].commit, line,
			                    payload);
	}
out:
	OPENSSL_cleanse(&p, sizeof(p));
	tv__free(ctx, list);
	tv__credential_issue_free(ctx, &issue);
	return status;
}

tv_status tv__authority_openings(tv_ctx *ctx, char **out, size_t *opened, uint8_t list[32],
                                 const tv_authority *authority,
                                 const uint8_t seed[TV_PAPER_SEED_BYTES], const tv_manifest *m,
                                 const tv_point *election_key, const char *issue_json,
                                 size_t len, const uint8_t (*cast)[32], size_t ncast,
                                 uint64_t entries, const uint8_t head[32])
{
	tv__credential_issue issue;
	uint8_t f[32], l[32], (*list_o)[32] = NULL, msg[32];
	size_t nopen = 0;
	made *mine = NULL;
	tv_ed25519_signature sig;
	tv__paper p;
	json_t *openings;
	tv_status status;

	*out = NULL;
	tv_manifest_fingerprint(f, m);
	if ((status = seed_read(ctx, seed, f)) != TV_OK ||
	    (status = tv_point_check(ctx, election_key)) != TV_OK ||
	    (status = read_issue(ctx, &issue, l, authority, f, issue_json, len)) != TV_OK)
		return status;
	/* every paper again, sorted by handle, and P to compare with the record's */
	if ((status = all_papers(ctx, &mine, list, authority, &issue, l, seed, f, m, election_key,
	                         NULL, NULL)) != TV_OK)
		goto out;
	if ((openings = json_array()) == NULL ||
	    (list_o = tv__calloc(ctx, issue.count + 1, 32)) == NULL) {
		json_decref(openings);
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for the openings");
		goto out;
	}
	/* in ascending order of handles: the opening of each not cast as a ballot */
	for (size_t i = 0; i < issue.count && status == TV_OK; i++) {
		if (bsearch(mine[i].handle, cast, ncast, 32, cmp_digest) != NULL)
			continue;
		if ((status = paper_t(ctx, &p, seed, f, m, election_key, mine[i].t)) == TV_OK) {
			json_array_append_new(openings, tv__json_hex(p.opening, 32));
			memcpy(list_o[nopen++], p.opening, 32);
		}
	}
	/* signed, bound to the board they were made against (§15.8.6) */
	if (status == TV_OK &&
	    (status = tv__paper_openings_message(ctx, msg, f, tv__authority_public(authority), list,
	                                         entries, head, (const uint8_t (*)[32])list_o,
	                                         nopen)) == TV_OK)
		status = tv__authority_sign(ctx, &sig, authority, msg, 32);
	if (status != TV_OK) {
		json_decref(openings);
		goto out;
	}
	status = tv__json_dump(ctx, out, NULL,
	                       json_pack("{s:s, s:o, s:I, s:o, s:o, s:o}", "format",
	                                 TV_PAPER_OPENINGS_FORMAT, "election", tv__json_hex(f, 32),
	                                 "entries", (json_int_t)entries, "head",
	                                 tv__json_hex(head, 32), "openings", openings, "signature",
	                                 tv__json_hex(sig.bytes, 64)),
	                       JSON_COMPACT | JSON_PRESERVE_ORDER, 0, "the paper openings");
	if (status == TV_OK && opened != NULL)
		*opened = nopen;
out:
	OPENSSL_cleanse(&p, sizeof(p));
	if (list_o != NULL) {
		OPENSSL_cleanse(list_o, (issue.count + 1) * 32);
		tv__free(ctx, list_o);
	}
	tv__free(ctx, mine);
	tv__credential_issue_free(ctx, &issue);
	return status;
}

/* the openings file read (§15.8.6): each opening's 32 bytes, in order */
tv_status tv__paper_openings_from_json(tv_ctx *ctx, uint8_t (**out)[32], size_t *count,
                                       tv__openings_seal *seal, const uint8_t f[32],
                                       const char *json, size_t len)
{
	static const char *const keys[] = { "format", "election", "entries", "head", "openings",
	                                    "signature" };
	uint8_t election[32], (*list)[32] = NULL;
	json_t *root, *arr;
	tv__jr r;
	tv_status status;
	size_t n;

	*out = NULL;
	*count = 0;
	tv__jr_init(&r, ctx, TV_OK, "paper openings");
	if ((root = tv__jr_load(&r, &status, json, len, (size_t)128 << 20)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 6, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, TV_PAPER_OPENINGS_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(&r, election, 32, root, "election", NULL)) != TV_OK ||
	    (status = tv__jr_uint(&r, &seal->entries, root, "entries", NULL, 0, UINT32_MAX)) !=
	            TV_OK ||
	    (status = tv__jr_hex(&r, seal->head, 32, root, "head", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, seal->signature, 64, root, "signature", NULL)) != TV_OK ||
	    (status = tv__jr_array(&r, &arr, root, "openings", NULL, 0, 2000000)) != TV_OK)
		goto out;
	if (memcmp(election, f, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the openings are another election's");
		goto out;
	}
	n = json_array_size(arr);
	if ((list = tv__calloc(ctx, n + 1, 32)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu openings", n);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(arr, i);
		const char *s = json_string_value(item);

		char at[TV_JR_PATH_BYTES];

		tv__jr_item(at, "paper openings: openings", i);
		if (s == NULL) {
			status = tv__fail(ctx, TV_ERR_ENCODING, "%s is not 32 bytes of lowercase hex", at);
			goto out;
		}
		if ((status = tv__hex_decode(ctx, list[i], 32, s, json_string_length(item), at)) !=
		    TV_OK)
			goto out;
	}
	*out = list;
	*count = n;
	list = NULL;
out:
	tv__free(ctx, list);
	json_decref(root);
	return status;
}

/* a paper's entry as the box stores it (the entry of its board line) */
tv_status tv__paper_stored_read(tv_ctx *ctx, int kind, const char *json, size_t len,
                                tv__board_entry *e, tv_ballot **ballot, tv_spoilt **spoilt)
{
	json_t *root;
	tv_status status;

	*ballot = NULL;
	*spoilt = NULL;
	memset(e, 0, sizeof(*e));
	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return tv__fail(ctx, TV_ERR_ENCODING, "a paper's entry is not JSON");
	e->kind = kind;
	status = kind == TV_ENTRY_PAPER ? tv__paper_entry_from_value(ctx, e, ballot, root)
	                                : tv__paper_spoilt_from_value(ctx, e, spoilt, root);
	json_decref(root);
	return status;
}

/* ------------------------------------------------ papers.json (§18.7a) */

int tv__papers_json_begin(char *out, size_t cap, const uint8_t authority[32],
                          const uint8_t signature[64])
{
	char a[65], s[129];

	tv__hex_encode(a, authority, 32);
	tv__hex_encode(s, signature, 64);
	return snprintf(out, cap, "{\"format\":\"%s\",\"authority\":\"%s\",\"signature\":\"%s\","
	                "\"papers\":[", TV_RECORD_PAPERS, a, s);
}

int tv__papers_json_paper(char *out, size_t cap, int first, const uint8_t handle[32],
                          const tv_point *credential, const uint8_t commit[32])
{
	char h[65], c[65], x[TV_POINT_HEX_LEN + 1];

	tv__hex_encode(h, handle, 32);
	tv__hex_encode(c, commit, 32);
	tv_point_to_hex(x, credential);
	return snprintf(out, cap, "%s{\"paper\":\"%s\",\"credential\":\"%s\",\"commit\":\"%s\"}",
	                first ? "" : ",", h, x, c);
}

int tv__papers_json_opening(char *out, size_t cap, int first, const uint8_t opening[32])
{
	char o[65];

	tv__hex_encode(o, opening, 32);
	return snprintf(out, cap, "%s\"%s\"", first ? "],\"opened\":[" : ",", o);
}

int tv__papers_json_end(char *out, size_t cap, int any_opening, const tv__openings_seal *seal)
{
	char h[65], sg[129];

	if (seal == NULL)
		return snprintf(out, cap, "%s]}\n", any_opening ? "" : "],\"opened\":[");
	tv__hex_encode(h, seal->head, 32);
	tv__hex_encode(sg, seal->signature, 64);
	return snprintf(out, cap, "%s],\"seal\":{\"entries\":%" PRIu64 ",\"head\":\"%s\","
	                "\"signature\":\"%s\"}}\n", any_opening ? "" : "],\"opened\":[",
	                seal->entries, h, sg);
}

void tv__papers_record_free(tv_ctx *ctx, tv__papers_record *r)
{
	tv__free(ctx, r->papers);
	tv__free(ctx, r->opened);
	memset(r, 0, sizeof(*r));
}

tv_status tv__papers_json_read(tv_ctx *ctx, tv__papers_record *out, const char *text, size_t len)
{
	static const char *const keys[] = { "format", "authority", "signature", "papers",
	                                    "opened", "seal" };
	static const char *const pkeys[] = { "paper", "credential", "commit" };
	static const char *const skeys[] = { "entries", "head", "signature" };
	json_t *root, *papers, *opened;
	tv__jr r;
	tv_status status;

	memset(out, 0, sizeof(*out));
	tv__jr_init(&r, ctx, TV_OK, "papers.json");
	if ((root = tv__jr_load(&r, &status, text, len, len)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 6, 0)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, TV_RECORD_PAPERS)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->authority, 32, root, "authority", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->signature, 64, root, "signature", NULL)) != TV_OK ||
	    (status = tv__jr_array(&r, &papers, root, "papers", NULL, 1, 1000000)) != TV_OK ||
	    (status = tv__jr_array(&r, &opened, root, "opened", NULL, 0, 1000000)) != TV_OK)
		goto out;
	if (json_object_get(root, "seal") != NULL) {
		json_t *seal;

		if ((status = tv__jr_object(&r, &seal, root, "seal", NULL, skeys, 3, 1)) != TV_OK ||
		    (status = tv__jr_uint(&r, &out->seal.entries, seal, "entries", "seal", 0,
		                          UINT32_MAX)) != TV_OK ||
		    (status = tv__jr_hex(&r, out->seal.head, 32, seal, "head", "seal")) != TV_OK ||
		    (status = tv__jr_hex(&r, out->seal.signature, 64, seal, "signature", "seal")) !=
		            TV_OK)
			goto out;
		out->has_seal = 1;
	}
	out->count = json_array_size(papers);
	out->nopened = json_array_size(opened);
	if ((out->papers = tv__calloc(ctx, out->count, sizeof(*out->papers))) == NULL ||
	    (out->opened = tv__calloc(ctx, out->nopened + 1, 32)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu papers", out->count);
		goto out;
	}
	for (size_t i = 0; i < out->count; i++) {
		json_t *p = json_array_get(papers, i);
		char at[TV_JR_PATH_BYTES];

		tv__jr_item(at, "papers", i);
		if (!json_is_object(p)) {
			status = tv__fail(ctx, TV_ERR_ENCODING, "papers.json: %s is not an object", at);
			goto out;
		}
		if ((status = tv__jr_keys(&r, p, at, pkeys, 3, 1)) != TV_OK ||
		    (status = tv__jr_hex(&r, out->papers[i].handle, 32, p, "paper", at)) != TV_OK ||
		    (status = tv__jr_point(&r, &out->papers[i].credential, p, "credential", at)) !=
		            TV_OK ||
		    (status = tv__jr_hex(&r, out->papers[i].commit, 32, p, "commit", at)) != TV_OK)
			goto out;
	}
	for (size_t i = 0; i < out->nopened; i++) {
		json_t *item = json_array_get(opened, i);
		char at[TV_JR_PATH_BYTES];

		tv__jr_item(at, "papers.json: opened", i);
		if (!json_is_string(item)) {
			status = tv__fail(ctx, TV_ERR_ENCODING, "%s is not 32 bytes of lowercase hex", at);
			goto out;
		}
		if ((status = tv__hex_decode(ctx, out->opened[i], 32, json_string_value(item),
		                             json_string_length(item), at)) != TV_OK)
			goto out;
	}
out:
	if (status != TV_OK)
		tv__papers_record_free(ctx, out);
	json_decref(root);
	return status;
}
