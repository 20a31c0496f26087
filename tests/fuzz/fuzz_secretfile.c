/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_secretfile_open() on raw bytes with the fixed passphrase
 * "fuzz passphrase" (SPEC "Secret files"). Checked for every input:
 *
 *  - the header is judged as an oracle written here from the SPEC's list
 *    of checks decides: TV_ERR_ENCODING, in the SPEC's order, with a
 *    message naming the same field; outputs NULL and 0 on every failure;
 *  - a header that passes, with log2 N = 10, gives TV_OK exactly when an
 *    independent decryption (OpenSSL's EVP_PBE_scrypt_ex and the legacy
 *    EVP_aes_256_gcm, not the library's fetched EVP_KDF / EVP_CIPHER)
 *    authenticates, and then the same plaintext; otherwise
 *    TV_ERR_PASSPHRASE. A forged tag being infeasible, TV_OK can only come
 *    from a real sealing;
 *  - an opened secret seals again and opens to the same bytes.
 *
 * For speed, inputs whose valid header asks for more than 2^10 scrypt
 * iterations are only parsed by the oracle, not opened (2^22 would take a
 * minute and 4 GiB). Memory-hungry costs above 2^22 are parse failures and
 * are opened.
 *
 * Seed corpus (tests/fuzz/corpus/fuzz_secretfile/): sealings of "", a
 * 32-byte share and 200 bytes under the passphrase above at log2 N = 10
 * (deterministic generator seeded "tenantvote/v1/fuzz/secretfile"), one
 * at log2 N = 11, and corruptions of the share's sealing: each header
 * field wrong, truncations. Few seeds pass the header on purpose: each
 * input that does costs a key derivation (about 2 ms, 5 ms under ASan).
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "fuzz_common.h"
#include "tenantvote/secretfile.h"

static const char pass[] = "fuzz passphrase";
#define PASS_LEN (sizeof(pass) - 1)
#define FUZZ_LOG2_N 10

/*
 * The SPEC's checks 1-9 from the bytes alone: TV_OK when the header
 * passes, else TV_ERR_ENCODING and a word the message must contain.
 */
static tv_status oracle_header(const uint8_t *in, size_t len, const char **word)
{
	*word = NULL;
	if (len < 8 || memcmp(in, "TVSECRET", 8) != 0)
		*word = "magic";
	else if (len < 9)
		*word = "format version missing";
	else if (in[8] != 1)
		*word = "format version";
	else if (len < 41)
		*word = "truncated in the header";
	else if (in[9] != 1)
		*word = "KDF id";
	else if (in[10] < 10 || in[10] > 22)
		*word = "log2 N";
	else if (in[11] != 8)
		*word = "block size r";
	else if (in[12] != 1)
		*word = "parallelism p";
	else if (len < 57)
		*word = "authentication tag";
	else if (len > TV_SECRETFILE_MAX_SEALED)
		*word = "too long";
	return *word == NULL ? TV_OK : TV_ERR_ENCODING;
}

/* scrypt keys by salt: mutations mostly keep the salt, so this saves time */
static struct {
	uint8_t salt[16];
	uint8_t key[32];
	int used;
} cache[8];
static unsigned cache_next;

static void oracle_key(uint8_t key[32], const uint8_t salt[16])
{
	unsigned i;

	for (i = 0; i < 8; i++) {
		if (cache[i].used && memcmp(cache[i].salt, salt, 16) == 0) {
			memcpy(key, cache[i].key, 32);
			return;
		}
	}
	if (EVP_PBE_scrypt_ex(pass, PASS_LEN, salt, 16, (uint64_t)1 << FUZZ_LOG2_N, 8, 1,
	                      (uint64_t)64 << 20, key, 32, NULL, NULL) != 1) {
		fprintf(stderr, "fuzz oracle: scrypt failed\n");
		abort();
	}
	i = cache_next++ % 8;
	memcpy(cache[i].salt, salt, 16);
	memcpy(cache[i].key, key, 32);
	cache[i].used = 1;
}

/* 1 and the plaintext in @p out (len - 57 bytes) when the tag verifies */
static int oracle_decrypt(const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t key[32], tag[16];
	size_t body = len - 57;
	int n, ok;

	if (c == NULL)
		abort();
	oracle_key(key, in + 13);
	memcpy(tag, in + len - 16, 16);
	ok = EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1 &&
	     EVP_DecryptInit_ex(c, NULL, NULL, key, in + 29) == 1 &&
	     EVP_DecryptUpdate(c, NULL, &n, in, 41) == 1 &&
	     (body == 0 || EVP_DecryptUpdate(c, out, &n, in + 41, (int)body) == 1) &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1;
	if (!ok)
		abort();
	ok = EVP_DecryptFinal_ex(c, out + body, &n) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	uint8_t *pt = (uint8_t *)&pt, *expected = NULL;
	size_t pt_len = 1;
	const char *word;
	tv_status want, status;

	want = oracle_header(data, size, &word);
	if (want == TV_OK && data[10] != FUZZ_LOG2_N)
		return 0; /* a valid but slow cost: parsed by the oracle only */

	tv_fuzz_clear_error(ctx);
	status = tv_secretfile_open(ctx, &pt, &pt_len, data, size, pass, PASS_LEN);
	tv_fuzz_check_status_recorded(ctx, status);
	if (want == TV_ERR_ENCODING) {
		FUZZ_CHECK(status == TV_ERR_ENCODING);
		FUZZ_CHECK(strstr(tv_ctx_last_error(ctx), word) != NULL);
		FUZZ_CHECK(pt == NULL && pt_len == 0);
		return 0;
	}

	expected = malloc(size - TV_SECRETFILE_OVERHEAD + 1);
	FUZZ_CHECK(expected != NULL);
	if (!oracle_decrypt(data, size, expected)) {
		FUZZ_CHECK(status == TV_ERR_PASSPHRASE);
		FUZZ_CHECK(strstr(tv_ctx_last_error(ctx), "wrong passphrase") != NULL);
		FUZZ_CHECK(pt == NULL && pt_len == 0);
		free(expected);
		return 0;
	}

	FUZZ_CHECK(status == TV_OK);
	FUZZ_CHECK(pt != NULL);
	FUZZ_CHECK(pt_len == size - TV_SECRETFILE_OVERHEAD);
	FUZZ_CHECK(pt_len == 0 || memcmp(pt, expected, pt_len) == 0);
	/* and back: sealed again (fresh salt and nonce), it opens to the same */
	{
		tv_secretfile_options opts = TV_SECRETFILE_OPTIONS_INIT;
		uint8_t *again = NULL, *pt2 = NULL;
		size_t again_len = 0, pt2_len = 0;

		opts.kdf_log2_n = FUZZ_LOG2_N;
		FUZZ_CHECK(tv_secretfile_seal(ctx, &again, &again_len, pt, pt_len, pass, PASS_LEN,
		                              &opts) == TV_OK);
		FUZZ_CHECK(again_len == size);
		FUZZ_CHECK(memcmp(again + 13, data + 13, 28) != 0);
		FUZZ_CHECK(tv_secretfile_open(ctx, &pt2, &pt2_len, again, again_len, pass,
		                              PASS_LEN) == TV_OK);
		FUZZ_CHECK(pt2_len == pt_len && (pt_len == 0 || memcmp(pt2, pt, pt_len) == 0));
		tv_secret_free(ctx, pt2, pt2_len);
		tv_free(ctx, again);
	}
	tv_secret_free(ctx, pt, pt_len);
	free(expected);
	return 0;
}
