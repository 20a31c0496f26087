/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §9.1: UTF-8 text, Welsh included, no control characters. */
#include <string.h>

#include "helpers.h"
#include "election_internal.h"

static void accepts_welsh_and_other_scripts(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	static const char *const good[] = {
		"Cyngor Sir Ynys M\xc3\xb4n",                   /* ô */
		"Tŷ Gwyn, Heol y Pont, Aberystwyth",
		"Ŵyr, ŷ, â, ê, î, ô, û",
		"Ffion O\u2019Connor",                 /* ’ */
		"\xf0\x9f\x8f\xa0 house",                       /* U+1F3E0 */
		"",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_ok(ctx, tv__utf8_check(ctx, good[i], strlen(good[i]), "name"));
	tv_ctx_free(ctx);
}

static void refuses_bad_utf8_and_controls(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	static const struct {
		const char *text;
		size_t len;
	} bad[] = {
		{ "caf\xe9", 4 },               /* Latin-1 é */
		{ "\xc0\xaf", 2 },              /* overlong '/' */
		{ "\xe0\x80\xaf", 3 },          /* overlong */
		{ "\xed\xa0\x80", 3 },          /* surrogate U+D800 */
		{ "\xf4\x90\x80\x80", 4 },      /* above U+10FFFF */
		{ "\xe2\x80", 2 },              /* truncated */
		{ "\x80", 1 },                  /* lone continuation */
		{ "a\nb", 3 },                  /* newline */
		{ "a\tb", 3 },                  /* tab */
		{ "a\0b", 3 },                  /* NUL inside */
		{ "\x7f", 1 },                  /* DEL */
		{ "\xc2\x85", 2 },              /* C1 control NEL */
		{ "a\u202Eb", 5 },     /* U+202E right-to-left override */
		{ "\xe2\x81\xa6x", 4 },          /* U+2066 left-to-right isolate */
	};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_status(ctx, tv__utf8_check(ctx, bad[i].text, bad[i].len, "address"),
		              TV_ERR_UTF8);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "address"));
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_welsh_and_other_scripts),
		cmocka_unit_test(refuses_bad_utf8_and_controls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
