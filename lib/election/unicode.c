/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §9.1 rule 3 and §9.3 check 8: the Unicode a manifest's text needs
 * beyond UTF-8. Invisible characters are refused from a fixed table (so
 * that every reader of a record, whatever Unicode library it has, refuses
 * the same texts); two labels are compared after NFC normalisation, and
 * refused characters are named, with ICU.
 */
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "election_internal.h"
#include "tenantvote/manifest.h"

/*
 * Unicode 15.0: every code point of general category Cf (format), Zl (line
 * separator) or Zp (paragraph separator), or with the property
 * Default_Ignorable_Code_Point. They draw nothing, or nothing a reader can
 * tell apart, yet make two texts that look the same different bytes: "Yes"
 * and "Yes" + ZERO WIDTH SPACE, a name with a soft hyphen, a BOM, a
 * HANGUL FILLER standing in for a space. The C0 and C1 controls and the
 * bidirectional controls are refused before this, by tv__utf8_check().
 */
static const struct {
	uint32_t lo, hi;
} invisible[] = {
	{ 0x00AD, 0x00AD },   { 0x034F, 0x034F },   { 0x0600, 0x0605 },
	{ 0x061C, 0x061C },   { 0x06DD, 0x06DD },   { 0x070F, 0x070F },
	{ 0x0890, 0x0891 },   { 0x08E2, 0x08E2 },   { 0x115F, 0x1160 },
	{ 0x17B4, 0x17B5 },   { 0x180B, 0x180F },   { 0x200B, 0x200F },
	{ 0x2028, 0x202E },   { 0x2060, 0x206F },   { 0x3164, 0x3164 },
	{ 0xFE00, 0xFE0F },   { 0xFEFF, 0xFEFF },   { 0xFFA0, 0xFFA0 },
	{ 0xFFF0, 0xFFFB },   { 0x110BD, 0x110BD }, { 0x110CD, 0x110CD },
	{ 0x13430, 0x1343F }, { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A },
	{ 0xE0000, 0xE0FFF },
};

int tv__invisible(uint32_t cp)
{
	for (size_t i = 0; i < sizeof(invisible) / sizeof(invisible[0]); i++)
		if (cp >= invisible[i].lo && cp <= invisible[i].hi)
			return 1;
	return 0;
}

/* the code point starting at s[*i] of valid UTF-8; *i moves past it */
static uint32_t next_cp(const unsigned char *s, size_t *i)
{
	unsigned c = s[*i];
	size_t need = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
	uint32_t cp = need == 0 ? c : c & (0x3fu >> need);

	for (size_t k = 1; k <= need; k++)
		cp = cp << 6 | (s[*i + k] & 0x3fu);
	*i += need + 1;
	return cp;
}

tv_status tv__visible_check(tv_ctx *ctx, const char *text, size_t len, const char *what)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, chars = 0;
	tv_status status;

	if ((status = tv__utf8_check(ctx, text, len, what)) != TV_OK)
		return status;
	while (i < len) {
		size_t at = i;
		uint32_t cp = next_cp(s, &i);

		chars++;
		if (tv__invisible(cp)) {
			char name[96];
			UErrorCode err = U_ZERO_ERROR;
			int32_t n = u_charName((UChar32)cp, U_UNICODE_CHAR_NAME, name, sizeof(name), &err);

			if (U_FAILURE(err) || n <= 0 || n >= (int32_t)sizeof(name))
				strcpy(name, "unnamed");
			return tv__fail(ctx, TV_ERR_UTF8,
			                "%s: invisible or formatting character U+%04X (%s) at byte %zu "
			                "(character %zu); type the text without it",
			                what, (unsigned)cp, name, at + 1, chars);
		}
	}
	return TV_OK;
}

/* @p s as NFC in UTF-16, its length to *n; 0 on success */
static int to_nfc(UChar *out, int32_t cap, int32_t *n, const char *s)
{
	UChar u16[TV_MANIFEST_TEXT_MAX + 1];
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	int32_t len16 = 0;

	if (U_FAILURE(err))
		return -1;
	u_strFromUTF8(u16, TV_MANIFEST_TEXT_MAX + 1, &len16, s, -1, &err);
	if (U_FAILURE(err))
		return -1;
	*n = unorm2_normalize(nfc, u16, len16, out, cap, &err);
	return U_FAILURE(err) ? -1 : 0;
}

tv_status tv__nfc_equal(tv_ctx *ctx, int *equal, const char *a, const char *b)
{
	/* NFC is at most three times as long as its input (UAX #15 §13) */
	UChar na[3 * TV_MANIFEST_TEXT_MAX + 1], nb[3 * TV_MANIFEST_TEXT_MAX + 1];
	int32_t la = 0, lb = 0;

	*equal = strcmp(a, b) == 0;
	if (*equal)
		return TV_OK;
	if (strlen(a) > TV_MANIFEST_TEXT_MAX || strlen(b) > TV_MANIFEST_TEXT_MAX)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv__nfc_equal: text too long");
	if (to_nfc(na, 3 * TV_MANIFEST_TEXT_MAX + 1, &la, a) != 0 ||
	    to_nfc(nb, 3 * TV_MANIFEST_TEXT_MAX + 1, &lb, b) != 0)
		return tv__fail(ctx, TV_ERR_INTERNAL, "Unicode normalisation (NFC) failed");
	*equal = la == lb && memcmp(na, nb, (size_t)la * sizeof(UChar)) == 0;
	return TV_OK;
}
