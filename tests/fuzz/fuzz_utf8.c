/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv__utf8_check() (SPEC §9.1), the gate for every name, address and
 * label, on the input as text of exactly `size` bytes with no NUL after it.
 * Checked against an oracle written from the table of well-formed byte
 * sequences (Unicode §3.9, table 3-7) rather than by computing code points
 * as the library does: accepted iff well-formed UTF-8 without C0 controls,
 * DEL, C1 controls or bidirectional controls; refused with TV_ERR_UTF8 and a message otherwise.
 */
#include <string.h>

#include "fuzz_common.h"

/* length of the well-formed, allowed character at s[0..len), or 0 */
static size_t oracle_char(const uint8_t *s, size_t len)
{
	uint8_t lo = 0x80, hi = 0xbf;
	size_t need, k;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 2;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 3;
	else
		return 0;
	/* the second byte's range depends on the first (table 3-7) */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	else if (s[0] == 0xc2)
		lo = 0xa0; /* C2 80..C2 9F are the C1 controls */
	if (len < need + 1 || s[1] < lo || s[1] > hi)
		return 0;
	for (k = 2; k <= need; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	/* bidirectional embeddings, overrides and isolates: U+202A..202E
	 * (E2 80 AA..AE) and U+2066..2069 (E2 81 A6..A9) */
	if (s[0] == 0xe2 && ((s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
	                     (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)))
		return 0;
	return need + 1;
}

static int oracle_valid(const uint8_t *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		n = oracle_char(s + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_status status;
	int valid = oracle_valid(data, size);

	tv_fuzz_clear_error(ctx);
	status = tv__utf8_check(ctx, (const char *)data, size, "fuzz text");
	tv_fuzz_check_status_recorded(ctx, status);
	FUZZ_CHECK(status == (valid ? TV_OK : TV_ERR_UTF8));
	if (status != TV_OK)
		FUZZ_CHECK(strstr(tv_ctx_last_error(ctx), "fuzz text") != NULL);
	/* a valid text stays valid cut at any character boundary */
	if (valid && size > 0) {
		size_t cut = data[0] % (size + 1);

		while (cut > 0 && cut < size && (data[cut] & 0xc0) == 0x80)
			cut--;
		FUZZ_CHECK(tv__utf8_check(ctx, (const char *)data, cut, "prefix") == TV_OK);
		FUZZ_CHECK(tv__utf8_check(ctx, (const char *)data + cut, size - cut, "suffix") ==
		           TV_OK);
	}
	return 0;
}
