/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_result_from_json() (SPEC §17.4.2) on arbitrary bytes, against two
 * fixed elections: a bilingual majority ballot and a three-option
 * plurality ballot with a minimum turnout and a supermajority. Checked for
 * every input:
 *  - the status is one the API documents for untrusted bytes (ENCODING,
 *    WRONG_ELECTION, PROOF_INVALID), recorded with a printable message,
 *    and a refusal leaves *out NULL;
 *  - an accepted result keeps the count's invariants (ballots = blank +
 *    rejected + valid <= electorate, shares of at most 100.0%) and its
 *    outcome is the one an independent reading of SPEC §17.3.4 gives;
 *  - it round-trips: to_json -> from_json -> to_json gives the same bytes,
 *    and tv_count() of its raw figures gives the same bytes again;
 *  - the declaration and both EML messages can be written from it.
 */
#include <string.h>

#include "fuzz_common.h"
#include "tenantvote/count.h"

static tv_manifest *manifests[2];

static void free_fixture(void)
{
	tv_manifest_free(manifests[0]);
	tv_manifest_free(manifests[1]);
}

/* election 0: majority, bilingual; election 1: plurality, 33.3%, 60.0% */
static void fuzz_result_manifests(tv_ctx *ctx, tv_manifest *out[2])
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;

	o.election_id = "fuzz-result";
	o.council = "Fuzzshire Council";
	o.landlord = "Fuzzshire Mutual";
	o.title.en = "Ballot";
	o.title.cy = "Pleidlais";
	o.question.en = "Transfer?";
	o.question.cy = "Trosglwyddo?";
	o.option_count = 2;
	o.options[0].en = "Yes";
	o.options[0].cy = "Ydw";
	o.options[1].en = "No";
	o.options[1].cy = "Nac ydw";
	o.transfer_option = 1;
	o.allow_blank = 1;
	o.opens = 1800000000;
	o.closes = 1801000000;
	o.trustees = 1;
	o.threshold = 1;
	FUZZ_CHECK(tv_manifest_new(ctx, &out[0], &o) == TV_OK);

	o.election_id = "fuzz-plurality";
	o.title.cy = o.question.cy = o.options[0].cy = o.options[1].cy = NULL;
	o.option_count = 3;
	o.options[0].en = "Council";
	o.options[1].en = "Association";
	o.options[2].en = "Mutual";
	o.transfer_option = 3;
	o.rule = TV_RULE_PLURALITY;
	o.min_turnout_tenths = 333;
	o.supermajority_tenths = 600;
	o.allow_blank = 0;
	o.channels = TV_CHANNEL_ONLINE | TV_CHANNEL_POSTAL;
	FUZZ_CHECK(tv_manifest_new(ctx, &out[1], &o) == TV_OK);
}

/* SPEC §17.3.4 read again, independently of lib/tally/rules.c */
static void check_outcome(const tv_result *r, const tv_manifest *m)
{
	uint32_t n = tv_result_option_count(r), t = tv_manifest_transfer_option(m);
	uint64_t V = tv_result_valid(r), B = tv_result_ballots(r), E = tv_result_electorate(r);
	uint64_t S = tv_manifest_supermajority_tenths(m), best = 0;
	tv_decision want;
	uint32_t winner = 0, leaders = 0, leader = 0;

	for (uint32_t i = 1; i <= n; i++)
		best = tv_result_votes(r, i) > best ? tv_result_votes(r, i) : best;
	for (uint32_t i = 1; i <= n; i++)
		if (tv_result_votes(r, i) == best) {
			leaders++;
			leader = i;
		}
	if ((unsigned __int128)B * 1000 <
	    (unsigned __int128)tv_manifest_min_turnout_tenths(m) * E) {
		want = TV_DECISION_TURNOUT_NOT_MET;
	} else if (V == 0) {
		want = TV_DECISION_NO_MAJORITY;
	} else if (tv_manifest_rule(m) == TV_RULE_MAJORITY) {
		uint64_t vt = tv_result_votes(r, t);

		if (S ? vt * 1000 >= S * V : 2 * vt > V) {
			want = TV_DECISION_CARRIED;
			winner = t;
		} else if (!S && 2 * vt == V) {
			want = TV_DECISION_TIE;
		} else {
			want = TV_DECISION_NOT_CARRIED;
			if (leader != t && 2 * best > V)
				winner = leader;
		}
	} else if (leaders > 1) {
		want = TV_DECISION_TIE;
	} else if (S && best * 1000 < S * V) {
		want = TV_DECISION_NO_MAJORITY;
	} else {
		winner = leader;
		want = t == 0 || leader == t ? TV_DECISION_CARRIED : TV_DECISION_NOT_CARRIED;
	}
	FUZZ_CHECK(tv_result_decision(r) == want);
	FUZZ_CHECK(tv_result_winner(r) == winner);
}

static void check_result(tv_ctx *ctx, const tv_result *r, const tv_manifest *m)
{
	tv_count_input in = TV_COUNT_INPUT_INIT;
	uint64_t votes[TV_MAX_OPTIONS], sum = 0, rejected = 0;
	tv_result *back = NULL, *recount = NULL;
	char *json = NULL, *json2 = NULL, *text = NULL;
	size_t len = 0, len2 = 0;
	uint32_t n = tv_result_option_count(r);

	FUZZ_CHECK(n == tv_manifest_option_count(m));
	for (uint32_t i = 1; i <= n; i++) {
		votes[i - 1] = tv_result_votes(r, i);
		sum += votes[i - 1];
		FUZZ_CHECK(tv_result_pct_tenths(r, i) <= 1000);
	}
	for (int i = 1; i <= TV_SPOILT_REASONS; i++)
		rejected += tv_result_rejected(r, (tv_spoilt_reason)i);
	FUZZ_CHECK(sum == tv_result_valid(r));
	FUZZ_CHECK(rejected == tv_result_rejected_total(r));
	FUZZ_CHECK(tv_result_ballots(r) ==
	           tv_result_blank(r) + tv_result_rejected_total(r) + tv_result_valid(r));
	FUZZ_CHECK(tv_result_electorate(r) >= 1 && tv_result_electorate(r) <= TV_COUNT_MAX);
	FUZZ_CHECK(tv_result_ballots(r) <= tv_result_electorate(r));
	FUZZ_CHECK(tv_result_turnout_tenths(r) <= 1000);
	check_outcome(r, m);

	/* canonical bytes, stable through a second reading */
	FUZZ_CHECK(tv_result_to_json(ctx, &json, &len, r) == TV_OK);
	FUZZ_CHECK(len > 0 && strlen(json) == len && json[len - 1] == '\n');
	FUZZ_CHECK(tv_result_from_json(ctx, &back, m, json, len) == TV_OK);
	FUZZ_CHECK(tv_result_to_json(ctx, &json2, &len2, back) == TV_OK);
	FUZZ_CHECK(len2 == len && memcmp(json, json2, len) == 0);
	tv_free(ctx, json2);
	json2 = NULL;

	/* the same figures through tv_count */
	in.electorate = tv_result_electorate(r);
	for (uint32_t i = 0; i < TV_COUNT_CHANNELS; i++)
		in.by_channel[i] = tv_result_by_channel(r, 1u << i);
	in.blank = tv_result_blank(r);
	for (int i = 1; i <= TV_SPOILT_REASONS; i++)
		in.rejected[i - 1] = tv_result_rejected(r, (tv_spoilt_reason)i);
	in.options = n;
	in.votes = votes;
	FUZZ_CHECK(tv_count(ctx, &recount, m, &in) == TV_OK);
	FUZZ_CHECK(tv_result_to_json(ctx, &json2, &len2, recount) == TV_OK);
	FUZZ_CHECK(len2 == len && memcmp(json, json2, len) == 0);

	FUZZ_CHECK(tv_result_declaration(ctx, &text, &len2, r) == TV_OK);
	FUZZ_CHECK(len2 > 0 && text[len2 - 1] == '\n');
	tv_free(ctx, text);
	text = NULL;
	FUZZ_CHECK(tv_result_eml(ctx, &text, &len2, r, TV_EML_COUNT) == TV_OK);
	FUZZ_CHECK(len2 > 0 && strstr(text, "</EML>\n") != NULL);
	tv_free(ctx, text);
	text = NULL;
	FUZZ_CHECK(tv_result_eml(ctx, &text, &len2, r, TV_EML_RESULT) == TV_OK);
	FUZZ_CHECK(len2 > 0 && strstr(text, "</EML>\n") != NULL);

	tv_free(ctx, text);
	tv_free(ctx, json);
	tv_free(ctx, json2);
	tv_result_free(back);
	tv_result_free(recount);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();

	if (manifests[0] == NULL) {
		fuzz_result_manifests(ctx, manifests);
		FUZZ_CHECK(atexit(free_fixture) == 0);
	}
	for (int e = 0; e < 2; e++) {
		tv_result *r = (tv_result *)&r;
		tv_status st;

		tv_fuzz_clear_error(ctx);
		st = tv_result_from_json(ctx, &r, manifests[e], (const char *)data, size);
		tv_fuzz_check_status_recorded(ctx, st);
		if (st != TV_OK) {
			/* nothing from the input reaches a terminal unescaped (§9.1) */
			for (const char *p = tv_ctx_last_error(ctx); *p; p++)
				FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
			FUZZ_CHECK(r == NULL);
			FUZZ_CHECK(st == TV_ERR_ENCODING || st == TV_ERR_WRONG_ELECTION ||
			           st == TV_ERR_PROOF_INVALID);
			if (size > TV_RESULT_JSON_MAX)
				FUZZ_CHECK(st == TV_ERR_ENCODING);
			continue;
		}
		FUZZ_CHECK(r != NULL);
		check_result(ctx, r, manifests[e]);
		tv_result_free(r);
	}
	return 0;
}
