/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A paper identifier and a short code as a clerk or a tenant types them
 * (SPEC §15.8.1): tv_paper_id_read() and tv__paper_code_read() on the same
 * bytes (exactly `size` of them, no NUL after). An oracle written here
 * reads them as §11.1 reads a code: spaces and '-' skipped, any case,
 * O = 0, I = L = 1, Crockford's alphabet, and for an identifier 20 symbols
 * whose last is the Luhn mod 32 check of the 19 before it. Properties:
 *  - an identifier is accepted exactly when the oracle accepts it, else
 *    TV_ERR_CREDENTIAL_INVALID recorded with a message, and a message that
 *    names "character N" names one that is not a symbol;
 *  - an accepted one is printed in the oracle's canonical groups of four,
 *    and its handle is H("paper"; F, id) (computed here with OpenSSL);
 *    the printed form reads back to the same print and handle;
 *  - any single changed symbol of an accepted identifier is refused;
 *  - a code is accepted exactly when it is 4 symbols, as the oracle's
 *    canonical symbols, which read back to themselves.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
static uint8_t election_f[32];

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

/* the symbol values of @p data, at most @p max (then -1): their count */
static int oracle_read(uint8_t *v, size_t max, const uint8_t *data, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < size; i++) {
		int s;

		if (data[i] == ' ' || data[i] == '-')
			continue;
		if ((s = oracle_symbol(data[i])) < 0 || n == max)
			return -1;
		v[n++] = (uint8_t)s;
	}
	return (int)n;
}

/* §11.1's Luhn mod 32 check symbol of @p count symbols (factor 2 on the
 * last of them, as for a credential's d_23) */
static uint8_t oracle_luhn(const uint8_t *v, size_t count)
{
	unsigned sum = 0, factor = 2;

	for (size_t k = count; k-- > 0;) {
		unsigned addend = factor * v[k];

		sum += addend / 32 + addend % 32;
		factor = 3 - factor;
	}
	return (uint8_t)((32 - sum % 32) % 32);
}

static void check_id(tv_ctx *ctx, const uint8_t *data, size_t size)
{
	char printed[TV_PAPER_ID_TEXT_LEN + 1], again[TV_PAPER_ID_TEXT_LEN + 1];
	char want[TV_PAPER_ID_TEXT_LEN + 1], id[TV__PAPER_SYMBOLS];
	uint8_t v[TV__PAPER_SYMBOLS], handle[32], handle2[32], h[32];
	const char *msg;
	size_t o = 0;
	int ok = oracle_read(v, TV__PAPER_SYMBOLS, data, size) == TV__PAPER_SYMBOLS &&
	         oracle_luhn(v, TV__PAPER_SYMBOLS - 1) == v[TV__PAPER_SYMBOLS - 1];
	tv_status st;

	tv_fuzz_clear_error(ctx);
	st = tv_paper_id_read(ctx, printed, handle, (const char *)data, size, election_f);
	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK((st == TV_OK) == ok);
	if (st != TV_OK) {
		unsigned long at;

		FUZZ_CHECK(st == TV_ERR_CREDENTIAL_INVALID);
		msg = strstr(tv_ctx_last_error(ctx), "character ");
		if (msg != NULL && sscanf(msg, "character %lu is", &at) == 1)
			FUZZ_CHECK(at >= 1 && at <= size && data[at - 1] != ' ' && data[at - 1] != '-' &&
			           oracle_symbol(data[at - 1]) < 0);
		return;
	}
	for (size_t i = 0; i < TV__PAPER_SYMBOLS; i++) {
		id[i] = alphabet[v[i]];
		if (i > 0 && i % 4 == 0)
			want[o++] = '-';
		want[o++] = id[i];
	}
	want[o] = '\0';
	FUZZ_CHECK(strcmp(printed, want) == 0);
	tv_fuzz_spec_hash(h, "paper", 2, election_f, (size_t)32, id, (size_t)TV__PAPER_SYMBOLS);
	FUZZ_CHECK(memcmp(handle, h, 32) == 0);
	FUZZ_CHECK(tv_paper_id_read(ctx, again, handle2, printed, strlen(printed), election_f) ==
	           TV_OK);
	FUZZ_CHECK(strcmp(again, printed) == 0 && memcmp(handle2, handle, 32) == 0);
	/* every single-symbol typo is caught by the check symbol */
	for (size_t i = 0; i < TV__PAPER_SYMBOLS; i++)
		for (uint8_t s = 0; s < 32; s++) {
			char typo[TV__PAPER_SYMBOLS];

			if (s == v[i])
				continue;
			memcpy(typo, id, sizeof(typo));
			typo[i] = alphabet[s];
			FUZZ_CHECK(tv_paper_id_read(ctx, again, handle2, typo, sizeof(typo),
			                            election_f) == TV_ERR_CREDENTIAL_INVALID);
		}
}

static void check_code(const uint8_t *data, size_t size)
{
	char out[TV_PAPER_CODE_LEN + 1], again[TV_PAPER_CODE_LEN + 1];
	uint8_t v[TV_PAPER_CODE_LEN];
	int ok = oracle_read(v, TV_PAPER_CODE_LEN, data, size) == TV_PAPER_CODE_LEN;
	int got = tv__paper_code_read(out, (const char *)data, size);

	FUZZ_CHECK(got == 0 || got == -1);
	FUZZ_CHECK((got == 0) == ok);
	if (!ok)
		return;
	for (size_t i = 0; i < TV_PAPER_CODE_LEN; i++)
		FUZZ_CHECK(out[i] == alphabet[v[i]]);
	FUZZ_CHECK(out[TV_PAPER_CODE_LEN] == '\0');
	FUZZ_CHECK(tv__paper_code_read(again, out, TV_PAPER_CODE_LEN) == 0 &&
	           strcmp(again, out) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();

	if (tv_fuzz_all_zero(election_f, 32)) {
		tv_manifest *m = tv_fuzz_manifest(ctx);

		tv_manifest_fingerprint(election_f, m);
		tv_manifest_free(m);
	}
	if (data == NULL) /* an empty input, from some engines */
		data = (const uint8_t *)"";
	check_id(ctx, data, size);
	check_code(data, size);
	return 0;
}
