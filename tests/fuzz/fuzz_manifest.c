/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_manifest_from_json() on untrusted bytes (SPEC §9.4), and the spelling
 * helpers of §9.6 on short inputs. Checked for every input:
 *  - a refusal is TV_ERR_MANIFEST_INVALID or TV_ERR_UTF8, recorded on the
 *    context with a message, and leaves *out NULL;
 *  - an accepted manifest keeps every rule of §9.3 (checked here again,
 *    field by field, against the accessors);
 *  - it round-trips: to_json -> from_json gives the same fingerprint, and
 *    to_json of that gives the same bytes; get_options -> tv_manifest_new
 *    gives the same fingerprint too;
 *  - a parsed time formats back to the same text; a parsed percentage is
 *    at most 100.0 and survives format -> parse; split bilingual text has
 *    English, no '|', no spaces at either end, and valid UTF-8.
 */
#include <string.h>

#include "fuzz_common.h"

static int slug_ok(const char *id)
{
	size_t len = strlen(id);

	if (len < 1 || len > TV_ELECTION_ID_MAX || id[0] == '-')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') ||
		      id[i] == '-'))
			return 0;
	return 1;
}

static int text_ok(tv_ctx *ctx, const char *s, int required)
{
	size_t len;

	if (s == NULL)
		return 0;
	len = strlen(s);
	if ((required && len == 0) || len > TV_MANIFEST_TEXT_MAX)
		return 0;
	/* valid UTF-8, no control and no invisible character (SPEC §9.1) */
	return tv__visible_check(ctx, s, len, "fuzz") == TV_OK;
}

static void check_rules(tv_ctx *ctx, const tv_manifest *m)
{
	size_t count = tv_manifest_option_count(m);
	tv_text title = tv_manifest_title(m), question = tv_manifest_question(m);
	int bilingual = title.cy[0] != '\0';
	uint32_t k = tv_manifest_threshold(m), n = tv_manifest_trustees(m);
	uint32_t super = tv_manifest_supermajority_tenths(m);

	FUZZ_CHECK(slug_ok(tv_manifest_election_id(m)));
	FUZZ_CHECK(text_ok(ctx, tv_manifest_council(m), 1));
	FUZZ_CHECK(text_ok(ctx, tv_manifest_landlord(m), 0));
	FUZZ_CHECK(text_ok(ctx, title.en, 1) && text_ok(ctx, title.cy, 0));
	FUZZ_CHECK(text_ok(ctx, question.en, 1) && text_ok(ctx, question.cy, 0));
	FUZZ_CHECK((question.cy[0] != '\0') == bilingual);
	FUZZ_CHECK(count >= 2 && count <= TV_MAX_OPTIONS);
	for (uint32_t id = 1; id <= count; id++) {
		tv_text t = tv_manifest_option(m, id);

		FUZZ_CHECK(text_ok(ctx, t.en, 1) && text_ok(ctx, t.cy, 0));
		FUZZ_CHECK((t.cy[0] != '\0') == bilingual);
		for (uint32_t j = 1; j < id; j++) {
			int same = 1;

			/* no two labels equal under NFC (SPEC §9.3 check 8) */
			FUZZ_CHECK(tv__nfc_equal(ctx, &same, tv_manifest_option(m, j).en, t.en) ==
			           TV_OK && !same);
			if (t.cy[0] != '\0')
				FUZZ_CHECK(tv__nfc_equal(ctx, &same, tv_manifest_option(m, j).cy,
				                         t.cy) == TV_OK && !same);
		}
	}
	FUZZ_CHECK(tv_manifest_option(m, 0).en == NULL);
	FUZZ_CHECK(tv_manifest_option(m, (uint32_t)count + 1).en == NULL);
	FUZZ_CHECK(tv_manifest_transfer_option(m) <= count);
	FUZZ_CHECK(tv_manifest_rule(m) == TV_RULE_MAJORITY ||
	           tv_manifest_rule(m) == TV_RULE_PLURALITY);
	if (tv_manifest_rule(m) == TV_RULE_MAJORITY)
		FUZZ_CHECK(tv_manifest_transfer_option(m) != 0);
	if (tv_manifest_transfer_option(m) != 0)
		FUZZ_CHECK(tv_manifest_landlord(m)[0] != '\0');
	FUZZ_CHECK(tv_manifest_min_turnout_tenths(m) <= 1000);
	FUZZ_CHECK(super == 0 || (super > 500 && super <= 1000));
	FUZZ_CHECK(tv_manifest_allow_blank(m) == 0 || tv_manifest_allow_blank(m) == 1);
	FUZZ_CHECK(tv_manifest_opens(m) >= TV_TIME_MIN);
	FUZZ_CHECK(tv_manifest_opens(m) < tv_manifest_closes(m));
	FUZZ_CHECK(tv_manifest_closes(m) <= TV_TIME_MAX);
	FUZZ_CHECK(tv_manifest_channels(m) != 0 &&
	           (tv_manifest_channels(m) & ~(uint32_t)TV_CHANNEL_ALL) == 0);
	FUZZ_CHECK(tv_manifest_revote(m) == TV_REVOTE_LAST ||
	           tv_manifest_revote(m) == TV_REVOTE_FIRST);
	FUZZ_CHECK(n >= 1 && n <= TV_MAX_TRUSTEES && k >= 1 && k <= n);
}

static void check_round_trip(tv_ctx *ctx, const tv_manifest *m)
{
	uint8_t fp[TV_MANIFEST_FINGERPRINT_BYTES], fp2[TV_MANIFEST_FINGERPRINT_BYTES];
	tv_manifest_options o;
	tv_contact contact;
	tv_offer offer;
	tv_manifest *back = NULL, *again = NULL;
	char *json = NULL, *json2 = NULL;
	size_t len = 0, len2 = 0;

	tv_manifest_fingerprint(fp, m);
	FUZZ_CHECK(tv_manifest_to_json(ctx, &json, &len, m) == TV_OK);
	FUZZ_CHECK(len > 0 && strlen(json) == len && json[len - 1] == '\n');
	FUZZ_CHECK(tv_manifest_from_json(ctx, &back, json, len) == TV_OK);
	tv_manifest_fingerprint(fp2, back);
	FUZZ_CHECK(memcmp(fp, fp2, sizeof(fp)) == 0);
	FUZZ_CHECK(tv_manifest_to_json(ctx, &json2, &len2, back) == TV_OK);
	FUZZ_CHECK(len2 == len && memcmp(json, json2, len) == 0);

	/* the same fields through the constructor of the manifest's format */
	tv_manifest_get_options(&o, m);
	contact = tv_manifest_contact(m);
	if (tv_manifest_offer(m, &offer))
		FUZZ_CHECK(tv_manifest_new_offer(ctx, &again, &o, &contact, tv_manifest_letters(m),
		                                 &offer) == TV_OK);
	else if (contact.officer[0] != '\0')
		FUZZ_CHECK(tv_manifest_new_contact(ctx, &again, &o, &contact,
		                                   tv_manifest_letters(m)) == TV_OK);
	else
		FUZZ_CHECK(tv_manifest_new(ctx, &again, &o) == TV_OK);
	tv_manifest_fingerprint(fp2, again);
	FUZZ_CHECK(memcmp(fp, fp2, sizeof(fp)) == 0);

	tv_free(ctx, json);
	tv_free(ctx, json2);
	tv_manifest_free(back);
	tv_manifest_free(again);
}

static void check_helpers(tv_ctx *ctx, const char *s)
{
	char buf[TV_TIME_FORMAT_BYTES > TV_PERCENT_FORMAT_BYTES ? TV_TIME_FORMAT_BYTES
	                                                        : TV_PERCENT_FORMAT_BYTES];
	char *en = NULL, *cy = NULL;
	int64_t t;
	uint32_t v, v2;
	tv_status status;

	tv_fuzz_clear_error(ctx);
	status = tv_time_parse(ctx, &t, s);
	tv_fuzz_check_status_recorded(ctx, status);
	FUZZ_CHECK(status == TV_OK || status == TV_ERR_MANIFEST_INVALID);
	if (status == TV_OK) {
		FUZZ_CHECK(t >= TV_TIME_MIN && t <= TV_TIME_MAX);
		FUZZ_CHECK(tv_time_format(ctx, buf, t) == TV_OK);
		FUZZ_CHECK(strcmp(buf, s) == 0);
	}

	tv_fuzz_clear_error(ctx);
	status = tv_percent_parse(ctx, &v, s);
	tv_fuzz_check_status_recorded(ctx, status);
	FUZZ_CHECK(status == TV_OK || status == TV_ERR_MANIFEST_INVALID);
	if (status == TV_OK) {
		FUZZ_CHECK(v <= 1000);
		tv_percent_format(buf, v);
		FUZZ_CHECK(tv_percent_parse(ctx, &v2, buf) == TV_OK && v2 == v);
	}

	tv_fuzz_clear_error(ctx);
	status = tv_channels_parse(ctx, &v, s);
	tv_fuzz_check_status_recorded(ctx, status);
	FUZZ_CHECK(status == TV_OK || status == TV_ERR_MANIFEST_INVALID);
	if (status == TV_OK)
		FUZZ_CHECK(v != 0 && (v & ~(uint32_t)TV_CHANNEL_ALL) == 0);

	tv_fuzz_clear_error(ctx);
	status = tv_text_parse(ctx, &en, &cy, s);
	tv_fuzz_check_status_recorded(ctx, status);
	FUZZ_CHECK(status == TV_OK || status == TV_ERR_MANIFEST_INVALID ||
	           status == TV_ERR_UTF8);
	if (status == TV_OK) {
		size_t el = strlen(en), cl = strlen(cy);

		FUZZ_CHECK(el > 0 && en[0] != ' ' && en[el - 1] != ' ');
		FUZZ_CHECK(cl == 0 || (cy[0] != ' ' && cy[cl - 1] != ' '));
		FUZZ_CHECK(strchr(en, '|') == NULL && strchr(cy, '|') == NULL);
		FUZZ_CHECK(tv__utf8_check(ctx, en, el, "en") == TV_OK);
		FUZZ_CHECK(tv__utf8_check(ctx, cy, cl, "cy") == TV_OK);
	} else {
		FUZZ_CHECK(en == NULL && cy == NULL);
	}
	tv_free(ctx, en);
	tv_free(ctx, cy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_manifest *m = NULL;
	tv_status status;

	tv_fuzz_clear_error(ctx);
	status = tv_manifest_from_json(ctx, &m, (const char *)data, size);
	tv_fuzz_check_status_recorded(ctx, status);
	if (status != TV_OK) {
		/* nothing from the input reaches a terminal unescaped (SPEC §9.1) */
		for (const char *p = tv_ctx_last_error(ctx); *p; p++)
			FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
		FUZZ_CHECK(m == NULL);
		FUZZ_CHECK(status == TV_ERR_MANIFEST_INVALID || status == TV_ERR_UTF8);
		if (size > TV_MANIFEST_JSON_MAX)
			FUZZ_CHECK(status == TV_ERR_MANIFEST_INVALID);
	} else {
		FUZZ_CHECK(m != NULL);
		check_rules(ctx, m);
		check_round_trip(ctx, m);
		tv_manifest_free(m);
	}

	/* the CLI's spellings, on inputs short enough to be one */
	if (size <= 64 && (size == 0 || memchr(data, '\0', size) == NULL)) {
		char s[65];

		if (size != 0)
			memcpy(s, data, size);
		s[size] = '\0';
		check_helpers(ctx, s);
	}
	return 0;
}
