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

/* all ones when lo <= c <= hi, without a branch */
static uint64_t in_range(uint32_t c, uint32_t lo, uint32_t hi)
{
	return tv__ct_le_u32(lo, c) & tv__ct_le_u32(c, hi);
}

/*
 * Symbol value of a typed character, with Crockford's aliases; @p valid
 * gets all ones when it is a symbol. Constant time in the character: the
 * code is secret.
 */
static uint8_t symbol_value(char ch, uint64_t *valid)
{
	uint32_t c = (uint8_t)ch, v = 0, k;
	uint64_t found = 0;

	c -= (uint32_t)(('a' - 'A') & in_range(c, 'a', 'z'));
	c ^= (uint32_t)(('O' ^ '0') & tv__ct_eq_u32(c, 'O'));
	c ^= (uint32_t)(('I' ^ '1') & tv__ct_eq_u32(c, 'I'));
	c ^= (uint32_t)(('L' ^ '1') & tv__ct_eq_u32(c, 'L'));
	for (k = 0; k < 32; k++) {
		uint64_t m = tv__ct_eq_u32(c, (uint8_t)tv__base32_alphabet[k]);

		v |= k & (uint32_t)m;
		found |= m;
	}
	*valid = found;
	return (uint8_t)v;
}

/* the symbol of value @p v < 32, read without a secret index */
static char symbol_of(uint8_t v)
{
	uint32_t c = 0, k;

	for (k = 0; k < 32; k++)
		c |= (uint8_t)tv__base32_alphabet[k] & (uint32_t)tv__ct_eq_u32(k, v);
	return (char)c;
}

/*
 * Luhn mod N (N = 32) over values, from the rightmost: every second value
 * from the right, starting with the rightmost, is doubled (as its base-32
 * digit sum). Generation appends the value that makes the total 0 mod 32.
 * Constant time in the values (/ and % by 32 are shifts and masks).
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

/* constant time in the symbols (a credential code is secret) */
void tv__base32_groups(char *out, const uint8_t *v, size_t count)
{
	size_t o = 0;

	for (size_t i = 0; i < count; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = symbol_of(v[i]);
	}
	out[o] = '\0';
}

/*
 * x from the canonical 24 symbols; X = x·G. Constant time in the code and
 * x: each candidate is checked (1 <= x < n) with tv__sc masks and only the
 * answer is revealed; x reaches OpenSSL only in SHA-256 and
 * tv_point_base_mul.
 */
static tv_status derive_key(tv_ctx *ctx, tv_scalar *secret, tv_point *public_key,
                            const uint8_t v[TV_CREDENTIAL_SYMBOLS],
                            const uint8_t fingerprint[32])
{
	char canonical[TV_CREDENTIAL_SYMBOLS];
	uint8_t digest[TV_HASH_BYTES];
	tv__sc xs;
	tv_scalar x;
	tv_status status = TV_OK;
	uint32_t i;

	tv__sc_set_u32(&xs, 0);
	for (i = 0; i < TV_CREDENTIAL_SYMBOLS; i++)
		canonical[i] = symbol_of(v[i]);
	for (i = 0; i < 64; i++) {
		tv__hash h;
		uint64_t below;

		if ((status = tv__hash_begin(&h, ctx, "credential")) != TV_OK) {
			tv__hash_abort(&h);
			break;
		}
		tv__hash_field(&h, fingerprint, 32);
		tv__hash_field(&h, canonical, sizeof(canonical));
		tv__hash_u32(&h, i);
		if ((status = tv__hash_final(&h, digest)) != TV_OK)
			break;
		/* accept 1 <= x < n */
		below = tv__sc_load(&xs, digest);
		if (tv__ct_reveal(below & ~tv__sc_is_zero(&xs)))
			break;
	}
	if (status == TV_OK && i == 64)
		status = tv__fail(ctx, TV_ERR_INTERNAL, "no credential key found");
	tv__sc_to_scalar(&x, &xs);
	if (status == TV_OK && public_key != NULL)
		status = tv_point_base_mul(ctx, public_key, &x);
	if (status == TV_OK && secret != NULL)
		*secret = x;
	tv__memzero(canonical, sizeof(canonical));
	tv__memzero(digest, sizeof(digest));
	tv__sc_wipe(&xs);
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
	/*
	 * Constant time in the symbols. The layout is not secret: where the
	 * separators are, and which character (if any) is not a symbol, are
	 * revealed, as is whether the check symbol matches.
	 */
	for (size_t i = 0; i < len; i++) {
		uint64_t valid;
		uint8_t value;

		if (tv__ct_reveal(tv__ct_eq_u32((uint8_t)code[i], '-') |
		                  tv__ct_eq_u32((uint8_t)code[i], ' ')))
			continue;
		value = symbol_value(code[i], &valid);
		if (!tv__ct_reveal(valid)) {
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
		v[count++] = value;
	}
	if (count != TV_CREDENTIAL_SYMBOLS) {
		status = tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
		                  "credential code: %zu letters and digits, a code has %d", count,
		                  TV_CREDENTIAL_SYMBOLS);
		goto out;
	}
	if (!tv__ct_reveal(tv__ct_eq_u32(luhn_sum(v, TV_CREDENTIAL_SYMBOLS, 1) % 32, 0))) {
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

/* symbols as typed, read as a code is (§11.1): not secret (a tracking
 * code, a paper's identifier or short code) */
int tv__symbols_read(uint8_t *v, size_t want, const char *code, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = code[i];
		const char *at;

		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		c = c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c;
		if (c == '\0' || (at = strchr(tv__base32_alphabet, c)) == NULL)
			return -1;
		if (n == want)
			return -2;
		v[n++] = (uint8_t)(at - tv__base32_alphabet);
	}
	return n == want ? 0 : -2;
}

size_t tv__symbols_bad_at(const char *code, size_t len)
{
	uint8_t v;

	for (size_t i = 0; i < len; i++)
		if (code[i] != '-' && code[i] != ' ' && tv__symbols_read(&v, 1, code + i, 1) == -1)
			return i + 1;
	return 0;
}

/* §15.1.1: a short tracking code as typed, read as a code is (§11.1) */
int tv__tracking_code_read(uint8_t v[16], const char *code, size_t len)
{
	return tv__symbols_read(v, 16, code, len) == 0 ? 0 : -1;
}
