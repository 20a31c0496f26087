/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §11: credential codes and keys.
 *   symbols: Crockford base 32, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
 *   code = d_1 .. d_23 || c, c the Luhn mod 32 check symbol of d_1..d_23
 *   x = first H("credential"; F, code (24 ASCII bytes), u32(i)) in [1, n-1]
 *       for i = 0, 1, ...;  X = x·G
 */
#include <string.h>

#include <openssl/crypto.h>

#include "election_internal.h"

#define DATA_SYMBOLS (TV_CREDENTIAL_SYMBOLS - 1)

/* SPEC §11.1: Crockford's base 32, shared with the ballot tracking code */
const char tv__base32_alphabet[33] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* symbol value of a typed character, -1 if none; Crockford's aliases */
static int symbol_value(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		c = '0';
	if (c == 'I' || c == 'L')
		c = '1';
	for (int v = 0; v < 32; v++)
		if (tv__base32_alphabet[v] == c)
			return v;
	return -1;
}

/*
 * Luhn mod N (N = 32) over values, from the rightmost: every second value
 * from the right, starting with the rightmost, is doubled (as its base-32
 * digit sum). Generation appends the value that makes the total 0 mod 32.
 */
static unsigned luhn_sum(const uint8_t *v, size_t count, unsigned factor)
{
	unsigned sum = 0;

	for (size_t i = count; i-- > 0;) {
		unsigned addend = factor * v[i];

		factor = factor == 2 ? 1 : 2;
		sum += addend / 32 + addend % 32;
	}
	return sum;
}

uint8_t tv__luhn32_check(const uint8_t *v, size_t count)
{
	return (uint8_t)((32 - luhn_sum(v, count, 2) % 32) % 32);
}

void tv__base32_groups(char *out, const uint8_t *v, size_t count)
{
	size_t o = 0;

	for (size_t i = 0; i < count; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = tv__base32_alphabet[v[i]];
	}
	out[o] = '\0';
}

/* x from the canonical 24 symbols; X = x·G */
static tv_status derive_key(tv_ctx *ctx, tv_scalar *secret, tv_point *public_key,
                            const uint8_t v[TV_CREDENTIAL_SYMBOLS],
                            const uint8_t fingerprint[32])
{
	char canonical[TV_CREDENTIAL_SYMBOLS];
	uint8_t digest[TV_HASH_BYTES];
	tv_scalar x;
	tv_status status = TV_OK;
	uint32_t i;

	for (i = 0; i < TV_CREDENTIAL_SYMBOLS; i++)
		canonical[i] = tv__base32_alphabet[v[i]];
	for (i = 0; i < 64; i++) {
		tv__hash h;

		if ((status = tv__hash_begin(&h, ctx, "credential")) != TV_OK) {
			tv__hash_abort(&h);
			break;
		}
		tv__hash_field(&h, fingerprint, 32);
		tv__hash_field(&h, canonical, sizeof(canonical));
		tv__hash_u32(&h, i);
		if ((status = tv__hash_final(&h, digest)) != TV_OK)
			break;
		/* accept 1 <= x < n; tv_scalar_decode checks the upper bound */
		if (tv_scalar_decode(ctx, &x, digest, sizeof(digest)) == TV_OK &&
		    CRYPTO_memcmp(digest, (const uint8_t[32]){ 0 }, 32) != 0)
			break;
	}
	if (status == TV_OK && i == 64)
		status = tv__fail(ctx, TV_ERR_INTERNAL, "no credential key found");
	if (status == TV_OK && public_key != NULL)
		status = tv_point_base_mul(ctx, public_key, &x);
	if (status == TV_OK && secret != NULL)
		*secret = x;
	tv__memzero(canonical, sizeof(canonical));
	tv__memzero(digest, sizeof(digest));
	tv_scalar_wipe(&x);
	return status;
}

tv_status tv_credential_generate(tv_ctx *ctx, tv_credential_code *code,
                                 tv_point *public_key, const uint8_t fingerprint[32])
{
	uint8_t v[TV_CREDENTIAL_SYMBOLS];
	tv_credential_code text;
	tv_point pub;
	tv_status status;

	if (ctx == NULL || code == NULL || public_key == NULL || fingerprint == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_credential_generate: NULL argument");
	/* 256 is a multiple of 32: the low 5 bits of a random byte are uniform */
	status = tv__random_bytes(ctx, v, DATA_SYMBOLS);
	if (status == TV_OK) {
		for (size_t i = 0; i < DATA_SYMBOLS; i++)
			v[i] &= 31;
		v[DATA_SYMBOLS] = tv__luhn32_check(v, DATA_SYMBOLS);
		tv__base32_groups(text.text, v, TV_CREDENTIAL_SYMBOLS);
		status = derive_key(ctx, NULL, &pub, v, fingerprint);
	}
	if (status == TV_OK) {
		*code = text;
		*public_key = pub;
	}
	tv__memzero(v, sizeof(v));
	tv_credential_code_wipe(&text);
	return status;
}

tv_status tv_credential_derive(tv_ctx *ctx, tv_scalar *secret, tv_point *public_key,
                               const char *code, size_t len,
                               const uint8_t fingerprint[32])
{
	uint8_t v[TV_CREDENTIAL_SYMBOLS];
	size_t count = 0;
	tv_status status = TV_OK;

	if (ctx == NULL || code == NULL || fingerprint == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_credential_derive: NULL argument");
	for (size_t i = 0; i < len; i++) {
		int value;

		if (code[i] == '-' || code[i] == ' ')
			continue;
		value = symbol_value(code[i]);
		if (value < 0) {
			status = tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
			                  "credential code: character %zu is not one of the code's letters and digits",
			                  i + 1);
			goto out;
		}
		if (count == TV_CREDENTIAL_SYMBOLS) {
			status = tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
			                  "credential code: too long (a code has %d letters and digits)",
			                  TV_CREDENTIAL_SYMBOLS);
			goto out;
		}
		v[count++] = (uint8_t)value;
	}
	if (count != TV_CREDENTIAL_SYMBOLS) {
		status = tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
		                  "credential code: %zu letters and digits, a code has %d", count,
		                  TV_CREDENTIAL_SYMBOLS);
		goto out;
	}
	if (luhn_sum(v, TV_CREDENTIAL_SYMBOLS, 1) % 32 != 0) {
		status = tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
		                  "credential code: the check character does not match; a character was mistyped");
		goto out;
	}
	status = derive_key(ctx, secret, public_key, v, fingerprint);
out:
	tv__memzero(v, sizeof(v));
	return status;
}

void tv_credential_code_wipe(tv_credential_code *code)
{
	if (code != NULL)
		OPENSSL_cleanse(code->text, sizeof(code->text));
}
