/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A short tracking code as a tenant might type it (SPEC §15.1.1, §19.6;
 * tv__tracking_code_read): exactly `size` bytes with no NUL after them.
 * Checked: accepted iff, skipping spaces and hyphens, it is 16 symbols of
 * Crockford's base 32 (any case; O = 0, I = L = 1), by an oracle written
 * here; an accepted code's values are the oracle's; printed back in
 * groups of four, it reads to the same values.
 */
#include <string.h>

#include "fuzz_common.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t v[16], want[16], again[16];
	char printed[20];
	size_t n = 0;
	int ok = 1, got;

	for (size_t i = 0; i < size && ok; i++) {
		int s;

		if (data[i] == ' ' || data[i] == '-')
			continue;
		if ((s = oracle_symbol(data[i])) < 0 || n == 16)
			ok = 0;
		else
			want[n++] = (uint8_t)s;
	}
	ok = ok && n == 16;
	got = tv__tracking_code_read(v, (const char *)data, size);
	FUZZ_CHECK((got == 0) == ok);
	if (!ok)
		return 0;
	FUZZ_CHECK(memcmp(v, want, 16) == 0);
	tv__base32_groups(printed, v, 16);
	FUZZ_CHECK(strlen(printed) == 19);
	FUZZ_CHECK(tv__tracking_code_read(again, printed, strlen(printed)) == 0);
	FUZZ_CHECK(memcmp(again, v, 16) == 0);
	return 0;
}
