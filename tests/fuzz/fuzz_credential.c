/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_credential_derive() on a code as a tenant might type it (SPEC §11,
 * credential.h): the input is the typed text, exactly `size` bytes with no
 * NUL after it. Checked:
 *  - accepted iff, ignoring spaces and hyphens, it is 24 symbols of
 *    Crockford's base 32 (any case; O = 0, I = L = 1) whose Luhn mod 32
 *    check holds (the oracle below); refused with
 *    TV_ERR_CREDENTIAL_INVALID and a message otherwise;
 *  - an accepted code gives X = x·G, the same keys however it is spelled
 *    (canonical form, lowercase), other keys in another election, and
 *    every single-symbol typo of it is refused (the check symbol's job).
 */
#include <string.h>

#include "fuzz_common.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* the election fingerprints the codes are read in */
static const uint8_t election_a[32] = {
	0x2f, 0x1c, 0x9e, 0x07, 0x11, 0xaa, 0x52, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};
static const uint8_t election_b[32] = {
	0x2f, 0x1c, 0x9e, 0x07, 0x11, 0xaa, 0x52, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
};

static int oracle_symbol(uint8_t c)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (uint8_t)(c - 'a' + 'A');
	if (c == 'O')
		c = '0';
	else if (c == 'I' || c == 'L')
		c = '1';
	if (c == '\0')
		return -1;
	p = strchr(alphabet, c);
	return p ? (int)(p - alphabet) : -1;
}

/* Luhn mod N validation, N = 32, the check symbol rightmost */
static int luhn_mod32_valid(const uint8_t v[TV_CREDENTIAL_SYMBOLS])
{
	unsigned sum = 0, factor = 1;
	int i;

	for (i = TV_CREDENTIAL_SYMBOLS - 1; i >= 0; i--) {
		unsigned addend = factor * v[i];

		sum += addend / 32 + addend % 32;
		factor = 3 - factor;
	}
	return sum % 32 == 0;
}

/* symbol values into v; returns 1 when the text is a well-formed code */
static int oracle_code(const uint8_t *s, size_t len, uint8_t v[TV_CREDENTIAL_SYMBOLS])
{
	size_t i, count = 0;

	for (i = 0; i < len; i++) {
		int value;

		if (s[i] == ' ' || s[i] == '-')
			continue;
		value = oracle_symbol(s[i]);
		if (value < 0 || count == TV_CREDENTIAL_SYMBOLS)
			return 0;
		v[count++] = (uint8_t)value;
	}
	return count == TV_CREDENTIAL_SYMBOLS && luhn_mod32_valid(v);
}

static void spell(char *out, const uint8_t v[TV_CREDENTIAL_SYMBOLS], int lower,
                  int hyphens)
{
	size_t i, o = 0;

	for (i = 0; i < TV_CREDENTIAL_SYMBOLS; i++) {
		char c = alphabet[v[i]];

		if (hyphens && i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = lower && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[o] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	uint8_t v[TV_CREDENTIAL_SYMBOLS];
	char text[TV_CREDENTIAL_TEXT_LEN + 1];
	tv_scalar x, x2;
	tv_point X, X2, xG;
	tv_status status;
	int valid = oracle_code(data, size, v);
	size_t pos;

	tv_fuzz_clear_error(ctx);
	status = tv_credential_derive(ctx, &x, &X, (const char *)data, size, election_a);
	tv_fuzz_check_status_recorded(ctx, status);
	FUZZ_CHECK(status == (valid ? TV_OK : TV_ERR_CREDENTIAL_INVALID));
	if (!valid)
		return 0;

	/* X = x·G, and the secret is a usable key */
	FUZZ_CHECK(tv_fuzz_oracle_scalar(x.bytes, TV_SCALAR_BYTES) == TV_OK);
	FUZZ_CHECK(!tv_fuzz_all_zero(x.bytes, TV_SCALAR_BYTES));
	FUZZ_CHECK(tv_point_base_mul(ctx, &xG, &x) == TV_OK);
	FUZZ_CHECK(tv_point_equal(&xG, &X));

	/* the printed form and a lowercase run-together form mean the same */
	spell(text, v, 0, 1);
	FUZZ_CHECK(strlen(text) == TV_CREDENTIAL_TEXT_LEN);
	FUZZ_CHECK(tv_credential_derive(ctx, &x2, &X2, text, strlen(text), election_a) == TV_OK);
	FUZZ_CHECK(memcmp(&x, &x2, sizeof(x)) == 0 && tv_point_equal(&X, &X2));
	spell(text, v, 1, 0);
	FUZZ_CHECK(tv_credential_derive(ctx, NULL, &X2, text, strlen(text), election_a) == TV_OK);
	FUZZ_CHECK(tv_point_equal(&X, &X2));

	/* another election, another key */
	FUZZ_CHECK(tv_credential_derive(ctx, &x2, &X2, text, strlen(text), election_b) == TV_OK);
	FUZZ_CHECK(!tv_point_equal(&X, &X2));

	/* one mistyped symbol, at a position and to a symbol picked by the input */
	spell(text, v, 0, 0);
	pos = data[0] % TV_CREDENTIAL_SYMBOLS;
	text[pos] = alphabet[(v[pos] + 1 + data[size - 1] % 31) % 32];
	FUZZ_CHECK(tv_credential_derive(ctx, &x2, NULL, text, TV_CREDENTIAL_SYMBOLS, election_a) ==
	           TV_ERR_CREDENTIAL_INVALID);

	tv_scalar_wipe(&x);
	tv_scalar_wipe(&x2);
	return 0;
}
