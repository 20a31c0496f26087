/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.3-§17.6: the counting rules, result.json, the declaration and
 * EML. Every rule at its exact boundary on both sides, rounding half up,
 * the largest figures, every inconsistency refused, result.json round trip
 * and every tampered field refused by the strict reader, the declaration's
 * bytes, EML well-formed and carrying the figures, allocation failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "helpers.h"
#include "internal.h"
#include "tenantvote/count.h"

/* ---- fixtures ---- */

/* a two-option bilingual majority ballot on every channel, blanks allowed */
static tv_manifest_options majority_options(void)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;

	o.election_id = "tref-2028";
	o.council = "Cyngor Tref / Town Council";
	o.landlord = "Cartrefi Cymunedol";
	o.title.en = "Ballot on the transfer of your home";
	o.title.cy = "Pleidlais ar drosglwyddo eich cartref";
	o.question.en = "Are you in favour of the transfer?";
	o.question.cy = "Ydych chi o blaid y trosglwyddiad?";
	o.option_count = 2;
	o.options[0].en = "Yes";
	o.options[0].cy = "Ydw";
	o.options[1].en = "No";
	o.options[1].cy = "Nac ydw";
	o.transfer_option = 1;
	o.rule = TV_RULE_MAJORITY;
	o.allow_blank = 1;
	o.opens = 1800000000;
	o.closes = 1800086400;
	o.channels = TV_CHANNEL_ALL;
	o.revote = TV_REVOTE_LAST;
	o.trustees = 3;
	o.threshold = 2;
	return o;
}

/* three options, English only, plurality, option 3 means transfer */
static tv_manifest_options plurality_options(void)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;

	o.election_id = "three-way";
	o.council = "Borough Council";
	o.landlord = "Community Mutual";
	o.title.en = "Which landlord?";
	o.question.en = "Who should own your home?";
	o.option_count = 3;
	o.options[0].en = "Stay with the council";
	o.options[1].en = "Housing association";
	o.options[2].en = "Community mutual";
	o.transfer_option = 3;
	o.rule = TV_RULE_PLURALITY;
	o.opens = 1800000000;
	o.closes = 1800086400;
	o.channels = TV_CHANNEL_ONLINE | TV_CHANNEL_POSTAL;
	o.revote = TV_REVOTE_LAST;
	o.trustees = 1;
	o.threshold = 1;
	return o;
}

static tv_manifest *make_manifest(tv_ctx *ctx, const tv_manifest_options *o)
{
	tv_manifest *m = NULL;

	assert_ok(ctx, tv_manifest_new(ctx, &m, o));
	return m;
}

/*
 * Figures with every valid vote, blank and rejected paper received online
 * (plus @p extra more online papers counted nowhere, to make them disagree).
 */
typedef struct figures {
	tv_count_input in;
	uint64_t votes[TV_MAX_OPTIONS];
} figures;

static figures simple(uint64_t electorate, uint32_t m, const uint64_t *votes)
{
	figures f;
	tv_count_input init = TV_COUNT_INPUT_INIT;

	memset(&f, 0, sizeof(f));
	f.in = init;
	f.in.electorate = electorate;
	f.in.options = m;
	for (uint32_t i = 0; i < m; i++) {
		f.votes[i] = votes[i];
		f.in.by_channel[0] += votes[i];
	}
	f.in.votes = f.votes;
	return f;
}

static tv_result *count_ok(tv_ctx *ctx, const tv_manifest *m, figures *f)
{
	tv_result *r = NULL;

	f->in.votes = f->votes;
	assert_ok(ctx, tv_count(ctx, &r, m, &f->in));
	assert_non_null(r);
	return r;
}

static void assert_message_has(tv_ctx *ctx, const char *what)
{
	if (strstr(tv_ctx_last_error(ctx), what) == NULL)
		fail_msg("message \"%s\" does not name \"%s\"", tv_ctx_last_error(ctx), what);
}

static void assert_has(const char *text, const char *what)
{
	if (strstr(text, what) == NULL)
		fail_msg("\"%s\" not found in:\n%s", what, text);
}

static void assert_lacks(const char *text, const char *what)
{
	if (strstr(text, what) != NULL)
		fail_msg("\"%s\" unexpectedly found in:\n%s", what, text);
}

/* the outcome of votes (all valid, all online) under manifest @p o */
static void outcome_of(const tv_manifest_options *o, uint64_t electorate,
                       const uint64_t *votes, tv_decision decision, uint32_t winner)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = make_manifest(ctx, o);
	figures f = simple(electorate, (uint32_t)o->option_count, votes);
	tv_result *r = count_ok(ctx, m, &f);

	if (tv_result_decision(r) != decision || tv_result_winner(r) != winner)
		fail_msg("votes %llu/%llu...: got %s winner %u, want %s winner %u",
		         (unsigned long long)votes[0], (unsigned long long)votes[1],
		         tv_decision_name(tv_result_decision(r)), tv_result_winner(r),
		         tv_decision_name(decision), winner);
	tv_result_free(r);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

/* ---- the rules (SPEC §17.3) ---- */

static void majority_carried_and_not(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = majority_options();
	tv_manifest *m = make_manifest(ctx, &o);
	figures f = simple(1000, 2, (const uint64_t[]){ 300, 200 });
	tv_result *r;
	(void)state;

	f.in.by_channel[0] = 250;
	f.in.by_channel[1] = 100;
	f.in.by_channel[2] = 150;
	f.in.by_channel[3] = 12;
	f.in.blank = 7;
	f.in.rejected[TV_SPOILT_NO_OFFICIAL_MARK - 1] = 1;
	f.in.rejected[TV_SPOILT_MORE_THAN_ONE_ANSWER - 1] = 2;
	f.in.rejected[TV_SPOILT_UNMARKED_OR_VOID - 1] = 2;
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_electorate(r), 1000);
	assert_int_equal(tv_result_ballots(r), 512);
	assert_int_equal(tv_result_by_channel(r, TV_CHANNEL_ONLINE), 250);
	assert_int_equal(tv_result_by_channel(r, TV_CHANNEL_PHONE), 100);
	assert_int_equal(tv_result_by_channel(r, TV_CHANNEL_POSTAL), 150);
	assert_int_equal(tv_result_by_channel(r, TV_CHANNEL_IN_PERSON), 12);
	assert_int_equal(tv_result_by_channel(r, 3), 0);
	assert_int_equal(tv_result_blank(r), 7);
	assert_int_equal(tv_result_rejected(r, TV_SPOILT_NO_OFFICIAL_MARK), 1);
	assert_int_equal(tv_result_rejected(r, TV_SPOILT_MORE_THAN_ONE_ANSWER), 2);
	assert_int_equal(tv_result_rejected(r, TV_SPOILT_IDENTIFIES_VOTER), 0);
	assert_int_equal(tv_result_rejected(r, TV_SPOILT_UNMARKED_OR_VOID), 2);
	assert_int_equal(tv_result_rejected(r, (tv_spoilt_reason)5), 0);
	assert_int_equal(tv_result_rejected_total(r), 5);
	assert_int_equal(tv_result_valid(r), 500);
	/* blank and spoilt count in turnout, never in shares */
	assert_int_equal(tv_result_turnout_tenths(r), 512);
	assert_int_equal(tv_result_pct_tenths(r, 1), 600);
	assert_int_equal(tv_result_pct_tenths(r, 2), 400);
	assert_int_equal(tv_result_pct_tenths(r, 3), 0);
	assert_int_equal(tv_result_votes(r, 0), 0);
	assert_int_equal(tv_result_option_count(r), 2);
	assert_string_equal(tv_result_election_id(r), "tref-2028");
	assert_int_equal(tv_result_decision(r), TV_DECISION_CARRIED);
	assert_int_equal(tv_result_winner(r), 1);
	tv_result_free(r);

	outcome_of(&o, 1000, (const uint64_t[]){ 301, 300 }, TV_DECISION_CARRIED, 1);
	outcome_of(&o, 1000, (const uint64_t[]){ 200, 300 }, TV_DECISION_NOT_CARRIED, 2);
	outcome_of(&o, 1000, (const uint64_t[]){ 300, 301 }, TV_DECISION_NOT_CARRIED, 2);
	/* exactly half is a tie, and a tie does not carry */
	outcome_of(&o, 1000, (const uint64_t[]){ 250, 250 }, TV_DECISION_TIE, 0);
	outcome_of(&o, 1000, (const uint64_t[]){ 1, 1 }, TV_DECISION_TIE, 0);
	outcome_of(&o, 1000, (const uint64_t[]){ 1, 0 }, TV_DECISION_CARRIED, 1);
	outcome_of(&o, 1000, (const uint64_t[]){ 0, 1 }, TV_DECISION_NOT_CARRIED, 2);
	/* the transfer option need not be the first */
	o.transfer_option = 2;
	outcome_of(&o, 1000, (const uint64_t[]){ 200, 300 }, TV_DECISION_CARRIED, 2);
	outcome_of(&o, 1000, (const uint64_t[]){ 300, 200 }, TV_DECISION_NOT_CARRIED, 1);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

static void majority_three_options(void **state)
{
	tv_manifest_options o = plurality_options();
	(void)state;

	o.rule = TV_RULE_MAJORITY;
	o.transfer_option = 1;
	/* most votes but not more than half: not carried, no winner */
	outcome_of(&o, 1000, (const uint64_t[]){ 40, 35, 25 }, TV_DECISION_NOT_CARRIED, 0);
	outcome_of(&o, 1000, (const uint64_t[]){ 51, 25, 24 }, TV_DECISION_CARRIED, 1);
	outcome_of(&o, 1000, (const uint64_t[]){ 50, 30, 20 }, TV_DECISION_TIE, 0);
	/* another option with more than half is the winner */
	outcome_of(&o, 1000, (const uint64_t[]){ 20, 61, 19 }, TV_DECISION_NOT_CARRIED, 2);
	outcome_of(&o, 1000, (const uint64_t[]){ 25, 25, 50 }, TV_DECISION_NOT_CARRIED, 0);
}

static void supermajority_boundaries(void **state)
{
	tv_manifest_options o = majority_options();
	(void)state;

	/* at least 60.0%: 600 of 1000 carries, 599 does not */
	o.supermajority_tenths = 600;
	outcome_of(&o, 5000, (const uint64_t[]){ 600, 400 }, TV_DECISION_CARRIED, 1);
	outcome_of(&o, 5000, (const uint64_t[]){ 599, 401 }, TV_DECISION_NOT_CARRIED, 0);
	/* with a supermajority, half is not a tie: the test has one threshold */
	outcome_of(&o, 5000, (const uint64_t[]){ 500, 500 }, TV_DECISION_NOT_CARRIED, 0);
	outcome_of(&o, 5000, (const uint64_t[]){ 300, 700 }, TV_DECISION_NOT_CARRIED, 2);

	/*
	 * 66.7%: the exact fraction decides, not the rounded share. 2001 of
	 * 3000 is 66.7% exactly; 2000 of 3000 is 66.666...% and shows as
	 * 66.7 too, yet does not carry.
	 */
	o.supermajority_tenths = 667;
	outcome_of(&o, 5000, (const uint64_t[]){ 2001, 999 }, TV_DECISION_CARRIED, 1);
	outcome_of(&o, 5000, (const uint64_t[]){ 2000, 1000 }, TV_DECISION_NOT_CARRIED, 0);
	{
		tv_ctx *ctx = test_ctx_new();
		tv_manifest *m = make_manifest(ctx, &o);
		figures f = simple(5000, 2, (const uint64_t[]){ 2000, 1000 });
		tv_result *r = count_ok(ctx, m, &f);

		assert_int_equal(tv_result_pct_tenths(r, 1), 667);
		assert_int_equal(tv_result_decision(r), TV_DECISION_NOT_CARRIED);
		tv_result_free(r);
		tv_manifest_free(m);
		tv_ctx_free(ctx);
	}
	/* 100.0%: every valid vote */
	o.supermajority_tenths = 1000;
	outcome_of(&o, 5000, (const uint64_t[]){ 10, 0 }, TV_DECISION_CARRIED, 1);
	outcome_of(&o, 5000, (const uint64_t[]){ 10, 1 }, TV_DECISION_NOT_CARRIED, 0);
}

static void min_turnout_boundaries(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = majority_options();
	tv_manifest *m;
	figures f;
	tv_result *r;
	(void)state;

	o.min_turnout_tenths = 250;
	outcome_of(&o, 1000, (const uint64_t[]){ 200, 50 }, TV_DECISION_CARRIED, 1);
	outcome_of(&o, 1000, (const uint64_t[]){ 199, 50 }, TV_DECISION_TURNOUT_NOT_MET, 0);
	outcome_of(&o, 1000, (const uint64_t[]){ 50, 200 }, TV_DECISION_NOT_CARRIED, 2);
	outcome_of(&o, 1000, (const uint64_t[]){ 50, 199 }, TV_DECISION_TURNOUT_NOT_MET, 0);

	/* 500 of 2001 is 24.99%, shown as 25.0%, and not enough */
	m = make_manifest(ctx, &o);
	f = simple(2001, 2, (const uint64_t[]){ 400, 100 });
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_turnout_tenths(r), 250);
	assert_int_equal(tv_result_decision(r), TV_DECISION_TURNOUT_NOT_MET);
	assert_int_equal(tv_result_winner(r), 0);
	/* the counts are still reported */
	assert_int_equal(tv_result_votes(r, 1), 400);
	assert_int_equal(tv_result_pct_tenths(r, 1), 800);
	tv_result_free(r);

	/* blank and spoilt papers count towards the minimum turnout */
	f = simple(1000, 2, (const uint64_t[]){ 100, 50 });
	f.in.blank = 60;
	f.in.rejected[TV_SPOILT_IDENTIFIES_VOTER - 1] = 40;
	f.in.by_channel[0] += 100;
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_turnout_tenths(r), 250);
	assert_int_equal(tv_result_decision(r), TV_DECISION_CARRIED);
	tv_result_free(r);
	tv_manifest_free(m);

	/* 100%: every elector */
	o.min_turnout_tenths = 1000;
	outcome_of(&o, 3, (const uint64_t[]){ 2, 1 }, TV_DECISION_CARRIED, 1);
	outcome_of(&o, 4, (const uint64_t[]){ 2, 1 }, TV_DECISION_TURNOUT_NOT_MET, 0);
	tv_ctx_free(ctx);
}

static void plurality(void **state)
{
	tv_manifest_options o = plurality_options();
	(void)state;

	outcome_of(&o, 1000, (const uint64_t[]){ 100, 200, 300 }, TV_DECISION_CARRIED, 3);
	outcome_of(&o, 1000, (const uint64_t[]){ 100, 300, 200 }, TV_DECISION_NOT_CARRIED, 2);
	outcome_of(&o, 1000, (const uint64_t[]){ 301, 300, 300 }, TV_DECISION_NOT_CARRIED, 1);
	/* a tie for first is reported, never broken */
	outcome_of(&o, 1000, (const uint64_t[]){ 300, 100, 300 }, TV_DECISION_TIE, 0);
	outcome_of(&o, 1000, (const uint64_t[]){ 300, 300, 100 }, TV_DECISION_TIE, 0);
	outcome_of(&o, 1000, (const uint64_t[]){ 7, 7, 7 }, TV_DECISION_TIE, 0);
	/* a tie below first is no tie */
	outcome_of(&o, 1000, (const uint64_t[]){ 100, 100, 300 }, TV_DECISION_CARRIED, 3);

	/* a supermajority: the winner needs at least S% */
	o.supermajority_tenths = 600;
	outcome_of(&o, 1000, (const uint64_t[]){ 200, 200, 600 }, TV_DECISION_CARRIED, 3);
	outcome_of(&o, 1000, (const uint64_t[]){ 201, 200, 599 }, TV_DECISION_NO_MAJORITY, 0);
	outcome_of(&o, 1000, (const uint64_t[]){ 600, 200, 200 }, TV_DECISION_NOT_CARRIED, 1);
	outcome_of(&o, 1000, (const uint64_t[]){ 500, 500, 0 }, TV_DECISION_TIE, 0);

	/* no option means transfer: the winner is carried */
	o.supermajority_tenths = 0;
	o.transfer_option = 0;
	o.landlord = "";
	outcome_of(&o, 1000, (const uint64_t[]){ 100, 300, 200 }, TV_DECISION_CARRIED, 2);
	outcome_of(&o, 1000, (const uint64_t[]){ 300, 300, 200 }, TV_DECISION_TIE, 0);
}

static void no_valid_votes(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = majority_options(), p = plurality_options();
	tv_manifest *m = make_manifest(ctx, &o), *pm;
	figures f = simple(100, 2, (const uint64_t[]){ 0, 0 });
	tv_result *r;
	(void)state;

	f.in.blank = 3;
	f.in.by_channel[3] = 3;
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_valid(r), 0);
	assert_int_equal(tv_result_ballots(r), 3);
	assert_int_equal(tv_result_turnout_tenths(r), 30);
	assert_int_equal(tv_result_pct_tenths(r, 1), 0);
	assert_int_equal(tv_result_pct_tenths(r, 2), 0);
	assert_int_equal(tv_result_decision(r), TV_DECISION_NO_MAJORITY);
	assert_int_equal(tv_result_winner(r), 0);
	tv_result_free(r);

	/* not even a ballot */
	f = simple(100, 2, (const uint64_t[]){ 0, 0 });
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_turnout_tenths(r), 0);
	assert_int_equal(tv_result_decision(r), TV_DECISION_NO_MAJORITY);
	tv_result_free(r);

	/* a minimum turnout is checked first */
	o.min_turnout_tenths = 1;
	tv_manifest_free(m);
	m = make_manifest(ctx, &o);
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_decision(r), TV_DECISION_TURNOUT_NOT_MET);
	tv_result_free(r);

	/* plurality: a three-way tie at zero is no majority, not a tie */
	pm = make_manifest(ctx, &p);
	f = simple(100, 3, (const uint64_t[]){ 0, 0, 0 });
	f.in.rejected[0] = 2;
	f.in.by_channel[2] = 2;
	r = count_ok(ctx, pm, &f);
	assert_int_equal(tv_result_decision(r), TV_DECISION_NO_MAJORITY);
	assert_int_equal(tv_result_winner(r), 0);
	tv_result_free(r);
	tv_manifest_free(pm);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

static void rounding_half_up(void **state)
{
	static const struct {
		uint64_t a, b;
		uint32_t tenths;
	} cases[] = {
		{ 1, 8, 125 },      /* 12.5 exactly */
		{ 1, 16, 63 },      /* 6.25 -> 6.3 */
		{ 2, 3, 667 },      /* 66.666... -> 66.7 */
		{ 1, 3, 333 },      /* 33.333... -> 33.3 */
		{ 1, 2000, 1 },     /* 0.05 -> 0.1 */
		{ 1, 2001, 0 },     /* 0.0499... -> 0.0 */
		{ 1999, 2000, 1000 }, /* 99.95 -> 100.0 */
		{ 3, 16, 188 },     /* 18.75 -> 18.8 */
		{ 5, 16, 313 },     /* 31.25 -> 31.3 */
		{ 1, 1, 1000 },
		{ 0, 7, 0 },
	};
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = majority_options();
	tv_manifest *m = make_manifest(ctx, &o);
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* as a share of the valid votes */
		figures f = simple(1000000, 2,
		                   (const uint64_t[]){ cases[i].a, cases[i].b - cases[i].a });
		tv_result *r = count_ok(ctx, m, &f);

		if (tv_result_pct_tenths(r, 1) != cases[i].tenths)
			fail_msg("%llu/%llu: pct %u, want %u", (unsigned long long)cases[i].a,
			         (unsigned long long)cases[i].b, tv_result_pct_tenths(r, 1),
			         cases[i].tenths);
		tv_result_free(r);

		/* as a turnout */
		f = simple(cases[i].b, 2, (const uint64_t[]){ cases[i].a, 0 });
		r = count_ok(ctx, m, &f);
		if (tv_result_turnout_tenths(r) != cases[i].tenths)
			fail_msg("%llu/%llu: turnout %u, want %u", (unsigned long long)cases[i].a,
			         (unsigned long long)cases[i].b, tv_result_turnout_tenths(r),
			         cases[i].tenths);
		tv_result_free(r);
	}
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

static void large_counts(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = majority_options();
	tv_manifest *m;
	figures f;
	tv_result *r;
	(void)state;

	o.supermajority_tenths = 667;
	o.min_turnout_tenths = 333;
	m = make_manifest(ctx, &o);

	/* an electorate of 10^12, the supermajority at its exact boundary */
	f = simple(UINT64_C(1000000000000), 2,
	           (const uint64_t[]){ UINT64_C(400200000000), UINT64_C(199800000000) });
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_turnout_tenths(r), 600);
	assert_int_equal(tv_result_pct_tenths(r, 1), 667);
	assert_int_equal(tv_result_decision(r), TV_DECISION_CARRIED);
	tv_result_free(r);
	f.votes[0]--;
	f.votes[1]++;
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_decision(r), TV_DECISION_NOT_CARRIED);
	tv_result_free(r);

	/* TV_COUNT_MAX everywhere: every product still fits */
	f = simple(TV_COUNT_MAX, 2, (const uint64_t[]){ TV_COUNT_MAX - 1, 1 });
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_ballots(r), TV_COUNT_MAX);
	assert_int_equal(tv_result_turnout_tenths(r), 1000);
	assert_int_equal(tv_result_pct_tenths(r, 1), 1000);
	assert_int_equal(tv_result_pct_tenths(r, 2), 0);
	assert_int_equal(tv_result_decision(r), TV_DECISION_CARRIED);
	tv_result_free(r);

	/* the minimum turnout, exact at 10^15: 333 * 10^15 / 1000 */
	f = simple(TV_COUNT_MAX, 2,
	           (const uint64_t[]){ UINT64_C(333000000000000), 0 });
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_decision(r), TV_DECISION_CARRIED);
	tv_result_free(r);
	f = simple(TV_COUNT_MAX, 2,
	           (const uint64_t[]){ UINT64_C(333000000000000) - 1, 0 });
	r = count_ok(ctx, m, &f);
	assert_int_equal(tv_result_turnout_tenths(r), 333);
	assert_int_equal(tv_result_decision(r), TV_DECISION_TURNOUT_NOT_MET);
	tv_result_free(r);

	/* one above the limit is refused */
	f = simple(TV_COUNT_MAX + 1, 2, (const uint64_t[]){ 1, 1 });
	f.in.votes = f.votes;
	r = NULL;
	assert_status(ctx, tv_count(ctx, &r, m, &f.in), TV_ERR_INVALID_ARGUMENT);
	assert_null(r);
	assert_message_has(ctx, "electorate");
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

static void refuses_inconsistent_figures(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = majority_options();
	tv_manifest *m = make_manifest(ctx, &o), *strict;
	tv_result *r = (tv_result *)&r;
	figures f;
	(void)state;

#define REFUSED(what)                                                            \
	do {                                                                     \
		f.in.votes = f.votes;                                            \
		r = (tv_result *)&r;                                             \
		assert_status(ctx, tv_count(ctx, &r, m, &f.in),                  \
		              TV_ERR_INVALID_ARGUMENT);                          \
		assert_null(r);                                                  \
		assert_message_has(ctx, what);                                   \
	} while (0)

	/* more blank and rejected papers than ballots */
	f = simple(1000, 2, (const uint64_t[]){ 0, 0 });
	f.in.blank = 2;
	f.in.rejected[1] = 1;
	f.in.by_channel[0] = 2;
	REFUSED("blank 2 + rejected 1 = 3 are more than the ballots 2");
	/* votes that do not add up, both ways */
	f = simple(1000, 2, (const uint64_t[]){ 10, 10 });
	f.in.by_channel[1] = 1;
	REFUSED("the votes add up to 20, but ballots 21");
	f = simple(1000, 2, (const uint64_t[]){ 10, 10 });
	f.in.blank = 1;
	REFUSED("blank 1 - rejected 0 = 19");
	/* more ballots than electors */
	f = simple(19, 2, (const uint64_t[]){ 10, 10 });
	REFUSED("more than the electorate 19");
	/* no electorate */
	f = simple(0, 2, (const uint64_t[]){ 0, 0 });
	REFUSED("electorate is 0");
	/* the wrong number of options */
	f = simple(1000, 3, (const uint64_t[]){ 1, 1, 1 });
	REFUSED("3 options counted, the manifest has 2");
	/* a figure above the limit (checked before any sum can overflow) */
	f = simple(1000, 2, (const uint64_t[]){ 1, 1 });
	f.votes[1] = UINT64_MAX;
	REFUSED("option 2");
	f = simple(1000, 2, (const uint64_t[]){ 1, 1 });
	f.in.by_channel[3] = UINT64_MAX - 1;
	REFUSED("by_channel.in_person");
	f = simple(1000, 2, (const uint64_t[]){ 1, 1 });
	f.in.rejected[2] = TV_COUNT_MAX + 1;
	REFUSED("rejected.identifies-voter");

	/* a channel, or blank ballots, the manifest does not allow */
	o.channels = TV_CHANNEL_ONLINE | TV_CHANNEL_POSTAL;
	o.allow_blank = 0;
	strict = make_manifest(ctx, &o);
	tv_manifest_free(m);
	m = strict;
	f = simple(1000, 2, (const uint64_t[]){ 1, 1 });
	f.in.by_channel[0] = 1;
	f.in.by_channel[1] = 1;
	REFUSED("by_channel.phone is 1, but the manifest does not allow");
	f = simple(1000, 2, (const uint64_t[]){ 1, 1 });
	f.in.blank = 1;
	f.in.by_channel[0] = 3;
	REFUSED("blank is 1, but the manifest does not allow blank ballots");
	/* spoilt papers are fine without blanks */
	f = simple(1000, 2, (const uint64_t[]){ 1, 1 });
	f.in.rejected[3] = 1;
	f.in.by_channel[2] = 1;
	f.in.votes = f.votes;
	assert_ok(ctx, tv_count(ctx, &r, m, &f.in));
	tv_result_free(r);

	/* NULL and version */
	f = simple(1000, 2, (const uint64_t[]){ 1, 1 });
	f.in.votes = f.votes;
	assert_status(ctx, tv_count(NULL, &r, m, &f.in), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_count(ctx, NULL, m, &f.in), TV_ERR_INVALID_ARGUMENT);
	r = (tv_result *)&r;
	assert_status(ctx, tv_count(ctx, &r, NULL, &f.in), TV_ERR_INVALID_ARGUMENT);
	assert_null(r);
	assert_status(ctx, tv_count(ctx, &r, m, NULL), TV_ERR_INVALID_ARGUMENT);
	f.in.votes = NULL;
	assert_status(ctx, tv_count(ctx, &r, m, &f.in), TV_ERR_INVALID_ARGUMENT);
	f.in.votes = f.votes;
	f.in.version = 2;
	assert_status(ctx, tv_count(ctx, &r, m, &f.in), TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "version 2");
#undef REFUSED
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

static void names(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_spoilt_reason reason;
	(void)state;

	assert_string_equal(tv_decision_name(TV_DECISION_CARRIED), "carried");
	assert_string_equal(tv_decision_name(TV_DECISION_NOT_CARRIED), "not_carried");
	assert_string_equal(tv_decision_name(TV_DECISION_TIE), "tie");
	assert_string_equal(tv_decision_name(TV_DECISION_NO_MAJORITY), "no_majority");
	assert_string_equal(tv_decision_name(TV_DECISION_TURNOUT_NOT_MET), "turnout_not_met");
	assert_null(tv_decision_name((tv_decision)0));
	assert_null(tv_decision_name((tv_decision)6));
	/* the keys of result.json's "rejected" are the spoilt paper slugs */
	assert_ok(ctx, tv_spoilt_reason_parse(ctx, &reason, "no-official-mark"));
	assert_int_equal(reason, TV_SPOILT_NO_OFFICIAL_MARK);
	assert_ok(ctx, tv_spoilt_reason_parse(ctx, &reason, "unmarked-or-void"));
	assert_int_equal(reason, TV_SPOILT_UNMARKED_OR_VOID);
	assert_string_equal(tv_spoilt_reason_name(TV_SPOILT_MORE_THAN_ONE_ANSWER),
	                    "more-than-one-answer");
	assert_string_equal(tv_spoilt_reason_name(TV_SPOILT_IDENTIFIES_VOTER),
	                    "identifies-voter");
	/* accessors of NULL */
	assert_null(tv_result_election_id(NULL));
	assert_int_equal(tv_result_ballots(NULL), 0);
	assert_int_equal(tv_result_decision(NULL), 0);
	assert_int_equal(tv_result_winner(NULL), 0);
	assert_int_equal(tv_result_votes(NULL, 1), 0);
	tv_result_free(NULL);
	tv_ctx_free(ctx);
}

/*
 * Random figures under random rules: the outcome is what SPEC §17.3.4
 * says, computed here with 128-bit products and no shortcuts, and the
 * result survives result.json. The seed is printed.
 */
static void random_counts(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	(void)state;

	for (int round = 0; round < 400; round++) {
		tv_manifest_options o = plurality_options();
		uint32_t n = 2 + (uint32_t)(test_rand() % 4), t, winner = 0, leaders = 0,
		         leader = 0;
		uint64_t scale = test_rand() % 3 == 0 ? UINT64_C(1000000000) : 20, best = 0;
		uint64_t V = 0, B;
		tv_manifest *m;
		tv_result *r, *back = NULL;
		figures f;
		tv_decision want;
		char *json = NULL;
		size_t len;
		static const char *const labels[] = { "A", "B", "C", "D", "E" };

		o.option_count = n;
		for (uint32_t i = 0; i < n; i++)
			o.options[i].en = labels[i];
		o.rule = test_rand() % 2 ? TV_RULE_MAJORITY : TV_RULE_PLURALITY;
		t = (uint32_t)(test_rand() % (n + 1));
		if (o.rule == TV_RULE_MAJORITY && t == 0)
			t = 1;
		o.transfer_option = t;
		o.landlord = t ? "Mutual" : "";
		o.min_turnout_tenths = test_rand() % 3 ? 0 : (uint32_t)(test_rand() % 1001);
		o.supermajority_tenths = test_rand() % 3 ? 0 : 501 + (uint32_t)(test_rand() % 500);
		o.allow_blank = 1;
		o.channels = TV_CHANNEL_ALL;
		m = make_manifest(ctx, &o);

		memset(&f, 0, sizeof(f));
		f.in.version = TV_COUNT_INPUT_VERSION;
		f.in.options = n;
		for (uint32_t i = 0; i < n; i++) {
			/* small ranges make ties and exact boundaries common */
			f.votes[i] = test_rand() % scale;
			V += f.votes[i];
		}
		f.in.blank = test_rand() % scale;
		f.in.rejected[test_rand() % 4] = test_rand() % scale;
		B = V + f.in.blank + f.in.rejected[0] + f.in.rejected[1] + f.in.rejected[2] +
		    f.in.rejected[3];
		f.in.by_channel[test_rand() % 4] = B / 2;
		f.in.by_channel[test_rand() % 4] += B - B / 2;
		f.in.electorate = B + test_rand() % (scale * 4) + 1;
		r = count_ok(ctx, m, &f);

		for (uint32_t i = 0; i < n; i++)
			best = f.votes[i] > best ? f.votes[i] : best;
		for (uint32_t i = 0; i < n; i++)
			if (f.votes[i] == best) {
				leaders++;
				leader = i + 1;
			}
		if ((unsigned __int128)B * 1000 <
		    (unsigned __int128)o.min_turnout_tenths * f.in.electorate) {
			want = TV_DECISION_TURNOUT_NOT_MET;
		} else if (V == 0) {
			want = TV_DECISION_NO_MAJORITY;
		} else if (o.rule == TV_RULE_MAJORITY) {
			unsigned __int128 vt = f.votes[t - 1];

			if (o.supermajority_tenths
			        ? vt * 1000 >= (unsigned __int128)o.supermajority_tenths * V
			        : vt * 2 > V) {
				want = TV_DECISION_CARRIED;
				winner = t;
			} else if (!o.supermajority_tenths && vt * 2 == V) {
				want = TV_DECISION_TIE;
			} else {
				want = TV_DECISION_NOT_CARRIED;
				if (leader != t && (unsigned __int128)best * 2 > V)
					winner = leader;
			}
		} else if (leaders > 1) {
			want = TV_DECISION_TIE;
		} else if (o.supermajority_tenths &&
		           (unsigned __int128)best * 1000 <
		               (unsigned __int128)o.supermajority_tenths * V) {
			want = TV_DECISION_NO_MAJORITY;
		} else {
			winner = leader;
			want = t == 0 || leader == t ? TV_DECISION_CARRIED : TV_DECISION_NOT_CARRIED;
		}
		if (tv_result_decision(r) != want || tv_result_winner(r) != winner)
			fail_msg("round %d: got %s/%u, want %s/%u", round,
			         tv_decision_name(tv_result_decision(r)), tv_result_winner(r),
			         tv_decision_name(want), winner);
		assert_int_equal(tv_result_turnout_tenths(r),
		                 (uint32_t)((2000 * (unsigned __int128)B + f.in.electorate) /
		                            (2 * (unsigned __int128)f.in.electorate)));
		for (uint32_t i = 1; i <= n; i++)
			assert_int_equal(tv_result_pct_tenths(r, i),
			                 V ? (uint32_t)((2000 * (unsigned __int128)f.votes[i - 1] + V) /
			                                (2 * (unsigned __int128)V))
			                   : 0);
		assert_ok(ctx, tv_result_to_json(ctx, &json, &len, r));
		assert_ok(ctx, tv_result_from_json(ctx, &back, m, json, len));
		assert_int_equal(tv_result_decision(back), want);
		tv_free(ctx, json);
		tv_result_free(back);
		tv_result_free(r);
		tv_manifest_free(m);
	}
	tv_ctx_free(ctx);
}

/* ---- result.json (SPEC §17.4) ---- */

/* the result of SPEC §17.4.3 and §17.5.3 */
static tv_result *example_result(tv_ctx *ctx, tv_manifest **m)
{
	tv_manifest_options o = majority_options();
	figures f = simple(1000, 2, (const uint64_t[]){ 300, 112 });

	*m = make_manifest(ctx, &o);
	f.in.by_channel[0] = 300;
	f.in.by_channel[1] = 20;
	f.in.by_channel[2] = 90;
	f.in.by_channel[3] = 10;
	f.in.blank = 5;
	f.in.rejected[0] = 1;
	f.in.rejected[1] = 1;
	f.in.rejected[3] = 1;
	return count_ok(ctx, *m, &f);
}

static const char example_json_head[] =
	"{\n"
	"  \"format\": \"tenantvote-result/1\",\n"
	"  \"election\": \"";

static const char example_json_tail[] =
	"\",\n"
	"  \"election_id\": \"tref-2028\",\n"
	"  \"rule\": \"majority\",\n"
	"  \"transfer_option\": 1,\n"
	"  \"min_turnout_pct\": \"0.0\",\n"
	"  \"supermajority_pct\": null,\n"
	"  \"electorate\": 1000,\n"
	"  \"ballots\": 420,\n"
	"  \"by_channel\": {\n"
	"    \"online\": 300,\n"
	"    \"phone\": 20,\n"
	"    \"postal\": 90,\n"
	"    \"in_person\": 10\n"
	"  },\n"
	"  \"blank\": 5,\n"
	"  \"rejected\": {\n"
	"    \"no-official-mark\": 1,\n"
	"    \"more-than-one-answer\": 1,\n"
	"    \"identifies-voter\": 0,\n"
	"    \"unmarked-or-void\": 1\n"
	"  },\n"
	"  \"rejected_total\": 3,\n"
	"  \"valid\": 412,\n"
	"  \"turnout_pct\": \"42.0\",\n"
	"  \"options\": [\n"
	"    {\n"
	"      \"id\": 1,\n"
	"      \"label\": {\n"
	"        \"en\": \"Yes\",\n"
	"        \"cy\": \"Ydw\"\n"
	"      },\n"
	"      \"votes\": 300,\n"
	"      \"pct\": \"72.8\"\n"
	"    },\n"
	"    {\n"
	"      \"id\": 2,\n"
	"      \"label\": {\n"
	"        \"en\": \"No\",\n"
	"        \"cy\": \"Nac ydw\"\n"
	"      },\n"
	"      \"votes\": 112,\n"
	"      \"pct\": \"27.2\"\n"
	"    }\n"
	"  ],\n"
	"  \"outcome\": {\n"
	"    \"decision\": \"carried\",\n"
	"    \"winner\": 1\n"
	"  }\n"
	"}\n";

static void json_exact_bytes_and_round_trip(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = NULL;
	tv_result *r = example_result(ctx, &m), *back = NULL;
	uint8_t fp[TV_MANIFEST_FINGERPRINT_BYTES];
	char hex[65], *json = NULL, *again = NULL, *want;
	size_t len = 0, len2 = 0;
	(void)state;

	assert_ok(ctx, tv_result_to_json(ctx, &json, &len, r));
	assert_int_equal(strlen(json), len);
	tv_manifest_fingerprint(fp, m);
	tv__hex_encode(hex, fp, sizeof(fp));
	/* the manifest of the SPEC §17.4.3 example */
	assert_string_equal(hex, "1248eabb52f642c7b5c15b65a6ad7193c22ff4a4480d0364a89d1e71c306b21b");
	want = malloc(strlen(example_json_head) + 64 + strlen(example_json_tail) + 1);
	assert_non_null(want);
	sprintf(want, "%s%s%s", example_json_head, hex, example_json_tail);
	assert_string_equal(json, want);
	free(want);

	assert_ok(ctx, tv_result_from_json(ctx, &back, m, json, len));
	assert_int_equal(tv_result_valid(back), 412);
	assert_int_equal(tv_result_decision(back), TV_DECISION_CARRIED);
	assert_ok(ctx, tv_result_to_json(ctx, &again, &len2, back));
	assert_int_equal(len2, len);
	assert_memory_equal(json, again, len);
	tv_free(ctx, again);
	tv_result_free(back);

	/* whitespace and key order are free when reading */
	{
		json_t *root = json_loadb(json, len, 0, NULL);
		char *compact;

		assert_non_null(root);
		compact = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
		assert_non_null(compact);
		assert_ok(ctx, tv_result_from_json(ctx, &back, m, compact, strlen(compact)));
		assert_int_equal(tv_result_winner(back), 1);
		tv_result_free(back);
		free(compact);
		json_decref(root);
	}

	assert_status(ctx, tv_result_to_json(ctx, NULL, NULL, r), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_result_to_json(ctx, &again, NULL, NULL), TV_ERR_INVALID_ARGUMENT);
	assert_null(again);
	assert_status(ctx, tv_result_from_json(ctx, &back, NULL, json, len),
	              TV_ERR_INVALID_ARGUMENT);
	tv_free(ctx, json);
	tv_result_free(r);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

/* every decision, both rules, survives the round trip */
static void json_round_trips_every_outcome(void **state)
{
	static const struct {
		int plurality;
		uint32_t super, min;
		uint64_t votes[3];
	} cases[] = {
		{ 0, 0, 0, { 300, 200, 0 } },   { 0, 0, 0, { 200, 300, 0 } },
		{ 0, 0, 0, { 250, 250, 0 } },   { 0, 0, 0, { 0, 0, 0 } },
		{ 0, 0, 500, { 1, 1, 0 } },     { 0, 667, 0, { 2000, 1000, 0 } },
		{ 1, 0, 0, { 1, 2, 3 } },       { 1, 0, 0, { 3, 2, 1 } },
		{ 1, 0, 0, { 3, 3, 1 } },       { 1, 600, 0, { 3, 3, 4 } },
	};
	tv_ctx *ctx = test_ctx_new();
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tv_manifest_options o = cases[i].plurality ? plurality_options()
		                                           : majority_options();
		uint32_t n = cases[i].plurality ? 3 : 2;
		tv_manifest *m;
		tv_result *r, *back = NULL;
		figures f = simple(10000, n, cases[i].votes);
		char *json = NULL, *again = NULL;
		size_t len, len2;

		o.supermajority_tenths = cases[i].super;
		o.min_turnout_tenths = cases[i].min;
		m = make_manifest(ctx, &o);
		r = count_ok(ctx, m, &f);
		assert_ok(ctx, tv_result_to_json(ctx, &json, &len, r));
		assert_ok(ctx, tv_result_from_json(ctx, &back, m, json, len));
		assert_int_equal(tv_result_decision(back), tv_result_decision(r));
		assert_int_equal(tv_result_winner(back), tv_result_winner(r));
		assert_ok(ctx, tv_result_to_json(ctx, &again, &len2, back));
		assert_int_equal(len, len2);
		assert_memory_equal(json, again, len);
		tv_free(ctx, json);
		tv_free(ctx, again);
		tv_result_free(back);
		tv_result_free(r);
		tv_manifest_free(m);
	}
	tv_ctx_free(ctx);
}

/* @p json with the value at @p path ("a.b", "options.0.pct") replaced */
static char *tampered(const char *json, const char *path, json_t *value)
{
	json_t *root = json_loads(json, 0, NULL), *obj;
	char buf[128], *dot, *key, *out;

	assert_non_null(root);
	snprintf(buf, sizeof(buf), "%s", path);
	obj = root;
	key = buf;
	while ((dot = strchr(key, '.')) != NULL) {
		*dot = '\0';
		obj = json_is_array(obj) ? json_array_get(obj, (size_t)atoi(key))
		                         : json_object_get(obj, key);
		assert_non_null(obj);
		key = dot + 1;
	}
	if (value == NULL)
		assert_int_equal(json_object_del(obj, key), 0);
	else if (json_is_array(obj))
		assert_int_equal(json_array_set_new(obj, (size_t)atoi(key), value), 0);
	else
		assert_int_equal(json_object_set_new(obj, key, value), 0);
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(out);
	json_decref(root);
	return out;
}

static void refused_with(tv_ctx *ctx, const tv_manifest *m, const char *json,
                         tv_status status, const char *names)
{
	tv_result *r = (tv_result *)&r;
	tv_status got = tv_result_from_json(ctx, &r, m, json, strlen(json));

	if (got != status)
		fail_msg("got %s, want %s (%s): %s", tv_status_str(got), tv_status_str(status),
		         names, tv_ctx_last_error(ctx));
	assert_null(r);
	assert_message_has(ctx, names);
}

static void json_refuses_every_tampered_field(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = NULL;
	tv_result *r = example_result(ctx, &m);
	char *json = NULL, *bad;
	size_t len;
	static const struct {
		const char *path;
		const char *value; /* JSON text */
		tv_status status;
		const char *names;
	} cases[] = {
		/* derived figures */
		{ "ballots", "421", TV_ERR_PROOF_INVALID, "ballots: 421 in the file, the counts give 420" },
		{ "rejected_total", "2", TV_ERR_PROOF_INVALID, "rejected_total: 2 in the file" },
		{ "valid", "413", TV_ERR_PROOF_INVALID, "valid: 413 in the file, the counts give 412" },
		{ "turnout_pct", "\"42.1\"", TV_ERR_PROOF_INVALID, "turnout_pct: \"42.1\" in the file, the counts give \"42.0\"" },
		{ "options.0.pct", "\"72.9\"", TV_ERR_PROOF_INVALID, "options[0].pct (option 1)" },
		{ "options.1.pct", "\"27.1\"", TV_ERR_PROOF_INVALID, "options[1].pct (option 2)" },
		{ "outcome.decision", "\"not_carried\"", TV_ERR_PROOF_INVALID, "outcome.decision: \"not_carried\" in the file, the counts give \"carried\"" },
		{ "outcome.decision", "\"tie\"", TV_ERR_PROOF_INVALID, "outcome.decision" },
		{ "outcome.winner", "2", TV_ERR_PROOF_INVALID, "outcome.winner: 2 in the file, the counts give 1" },
		{ "outcome.winner", "null", TV_ERR_PROOF_INVALID, "outcome.winner: null in the file" },
		/* raw counts that no longer add up */
		{ "blank", "6", TV_ERR_PROOF_INVALID, "the votes add up to 412, but ballots 420" },
		{ "options.0.votes", "301", TV_ERR_PROOF_INVALID, "the votes add up to 413" },
		{ "by_channel.phone", "21", TV_ERR_PROOF_INVALID, "the votes add up to 412, but ballots 421" },
		{ "rejected.identifies-voter", "1", TV_ERR_PROOF_INVALID, "rejected 4" },
		{ "electorate", "419", TV_ERR_PROOF_INVALID, "more than the electorate 419" },
		{ "electorate", "0", TV_ERR_PROOF_INVALID, "electorate is 0" },
		/* copies of the manifest */
		{ "election_id", "\"other\"", TV_ERR_PROOF_INVALID, "election_id: \"other\" is not the manifest's \"tref-2028\"" },
		{ "rule", "\"plurality\"", TV_ERR_PROOF_INVALID, "rule: \"plurality\" is not the manifest's \"majority\"" },
		{ "transfer_option", "2", TV_ERR_PROOF_INVALID, "transfer_option" },
		{ "transfer_option", "null", TV_ERR_PROOF_INVALID, "transfer_option" },
		{ "min_turnout_pct", "\"10.0\"", TV_ERR_PROOF_INVALID, "min_turnout_pct" },
		{ "supermajority_pct", "\"60.0\"", TV_ERR_PROOF_INVALID, "supermajority_pct" },
		{ "options.0.label.en", "\"Yes!\"", TV_ERR_PROOF_INVALID, "options[0].label.en (option 1): not the manifest's text" },
		{ "options.1.label.cy", "\"Na\"", TV_ERR_PROOF_INVALID, "options[1].label.cy (option 2)" },
		/* another election */
		{ "election", "\"0000000000000000000000000000000000000000000000000000000000000000\"", TV_ERR_WRONG_ELECTION, "is not this manifest's fingerprint" },
		/* shape */
		{ "format", "\"tenantvote-result/2\"", TV_ERR_ENCODING, "format" },
		{ "election", "\"00\"", TV_ERR_ENCODING, "election" },
		{ "election", "\"ABCDEF0000000000000000000000000000000000000000000000000000000000\"", TV_ERR_ENCODING, "not lowercase hex" },
		{ "rule", "\"majoritarian\"", TV_ERR_ENCODING, "rule: is \"majoritarian\", not majority or plurality" },
		{ "transfer_option", "0", TV_ERR_ENCODING, "transfer_option: is 0, not from 1 to 16" },
		{ "transfer_option", "17", TV_ERR_ENCODING, "transfer_option: is 17, not from 1 to 16" },
		{ "supermajority_pct", "\"0.0\"", TV_ERR_ENCODING, "supermajority_pct" },
		{ "min_turnout_pct", "null", TV_ERR_ENCODING, "min_turnout_pct: must be a string" },
		{ "electorate", "-1", TV_ERR_ENCODING, "electorate: is -1, not from 0 to 1000000000000000" },
		{ "electorate", "1000000000000001", TV_ERR_ENCODING, "electorate: is 1000000000000001, not from 0" },
		{ "electorate", "1000.0", TV_ERR_ENCODING, "electorate: must be a whole number, not a number with a fraction" },
		{ "electorate", "\"1000\"", TV_ERR_ENCODING, "electorate: must be a whole number, not a string" },
		{ "blank", "true", TV_ERR_ENCODING, "blank: must be a whole number, not a boolean" },
		{ "by_channel", "[]", TV_ERR_ENCODING, "by_channel: must be an object, not an array" },
		{ "rejected", "null", TV_ERR_ENCODING, "rejected: must be an object, not null" },
		{ "turnout_pct", "\"42\"", TV_ERR_ENCODING, "turnout_pct: is \"42\", which must be written \"42.0\"" },
		{ "turnout_pct", "\"042.0\"", TV_ERR_ENCODING, "turnout_pct" },
		{ "turnout_pct", "\"42.00\"", TV_ERR_ENCODING, "turnout_pct" },
		{ "turnout_pct", "\"100.1\"", TV_ERR_ENCODING, "turnout_pct" },
		{ "turnout_pct", "42.0", TV_ERR_ENCODING, "turnout_pct: must be a string" },
		{ "options.0.pct", "\".5\"", TV_ERR_ENCODING, "options[0].pct: is \".5\", not a percentage" },
		{ "options.0.id", "2", TV_ERR_ENCODING, "options[0].id: is 2; options are numbered 1, 2" },
		{ "options.1.votes", "null", TV_ERR_ENCODING, "options[1].votes: must be a whole number, not null" },
		{ "options.1.label", "\"No\"", TV_ERR_ENCODING, "options[1].label: must be an object, not a string" },
		{ "options.1", "[]", TV_ERR_ENCODING, "options[1]: must be an object, not an array" },
		{ "options", "{}", TV_ERR_ENCODING, "options: must be an array" },
		{ "outcome.decision", "\"won\"", TV_ERR_ENCODING, "outcome.decision: is \"won\", not carried, not_carried" },
		{ "outcome.winner", "0", TV_ERR_ENCODING, "outcome.winner: is 0, not from 1 to 2" },
		{ "outcome.winner", "3", TV_ERR_ENCODING, "outcome.winner: is 3, not from 1 to 2" },
		{ "outcome", "\"carried\"", TV_ERR_ENCODING, "outcome: must be an object" },
		/* unknown keys, at every level */
		{ "colour", "1", TV_ERR_ENCODING, "result.json: has an unknown field \"colour\"" },
		{ "by_channel.email", "1", TV_ERR_ENCODING, "by_channel: has an unknown field \"email\"" },
		{ "rejected.torn", "1", TV_ERR_ENCODING, "rejected: has an unknown field \"torn\"" },
		{ "options.0.colour", "1", TV_ERR_ENCODING, "options[0]: has an unknown field \"colour\"" },
		{ "options.0.label.fr", "\"Oui\"", TV_ERR_ENCODING, "options[0].label: has an unknown field \"fr\"" },
		{ "outcome.margin", "1", TV_ERR_ENCODING, "outcome: has an unknown field \"margin\"" },
	};
	static const struct {
		const char *path;
		const char *names;
	} missing[] = {
		{ "format", "format: is missing" },
		{ "election", "election: is missing" },
		{ "election_id", "election_id: is missing" },
		{ "rule", "rule: is missing" },
		{ "transfer_option", "transfer_option: is missing" },
		{ "min_turnout_pct", "min_turnout_pct: is missing" },
		{ "supermajority_pct", "supermajority_pct: is missing" },
		{ "electorate", "electorate: is missing" },
		{ "ballots", "ballots: is missing" },
		{ "by_channel", "by_channel: is missing" },
		{ "by_channel.postal", "by_channel.postal: is missing" },
		{ "blank", "blank: is missing" },
		{ "rejected", "rejected: is missing" },
		{ "rejected.unmarked-or-void", "rejected.unmarked-or-void: is missing" },
		{ "rejected_total", "rejected_total: is missing" },
		{ "valid", "valid: is missing" },
		{ "turnout_pct", "turnout_pct: is missing" },
		{ "options", "options: is missing" },
		{ "options.1.id", "options[1].id: is missing" },
		{ "options.1.label", "options[1].label: is missing" },
		{ "options.1.label.cy", "options[1].label.cy: is missing" },
		{ "options.1.votes", "options[1].votes: is missing" },
		{ "options.1.pct", "options[1].pct: is missing" },
		{ "outcome", "outcome: is missing" },
		{ "outcome.decision", "outcome.decision: is missing" },
		{ "outcome.winner", "outcome.winner: is missing" },
	};
	(void)state;

	assert_ok(ctx, tv_result_to_json(ctx, &json, &len, r));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_error_t err;
		json_t *v = json_loads(cases[i].value, JSON_DECODE_ANY, &err);

		assert_non_null(v);
		bad = tampered(json, cases[i].path, v);
		refused_with(ctx, m, bad, cases[i].status, cases[i].names);
		free(bad);
	}
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		bad = tampered(json, missing[i].path, NULL);
		refused_with(ctx, m, bad, TV_ERR_ENCODING, missing[i].names);
		free(bad);
	}
	/* an option too many or too few */
	{
		json_t *root = json_loads(json, 0, NULL);

		assert_non_null(root);
		assert_int_equal(json_array_remove(json_object_get(root, "options"), 1), 0);
		bad = json_dumps(root, 0);
		refused_with(ctx, m, bad, TV_ERR_ENCODING, "options: 1 given, the manifest has 2");
		free(bad);
		json_decref(root);
	}
	/* not JSON, duplicate keys, trailing bytes, too long */
	refused_with(ctx, m, "", TV_ERR_ENCODING, "result.json: not valid JSON at line 1");
	refused_with(ctx, m, "[1, 2]", TV_ERR_ENCODING, "result.json: must be an object, not an array");
	refused_with(ctx, m, "{\"format\": 1, \"format\": 2}", TV_ERR_ENCODING, "duplicate");
	bad = malloc(len + 3);
	assert_non_null(bad);
	memcpy(bad, json, len);
	memcpy(bad + len, "{}", 3);
	refused_with(ctx, m, bad, TV_ERR_ENCODING, "result.json: not valid JSON at line");
	free(bad);
	{
		tv_result *out = (tv_result *)&out;

		assert_status(ctx, tv_result_from_json(ctx, &out, m, json, TV_RESULT_JSON_MAX + 1),
		              TV_ERR_ENCODING);
		assert_null(out);
		assert_message_has(ctx, "262145 bytes is over the 262144-byte limit");
	}
	/* another manifest: the fingerprint binds every field of it */
	{
		tv_manifest_options o = majority_options();
		tv_manifest *other;

		o.closes++;
		other = make_manifest(ctx, &o);
		refused_with(ctx, other, json, TV_ERR_WRONG_ELECTION, "election: ");
		tv_manifest_free(other);
	}
	tv_free(ctx, json);
	tv_result_free(r);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

/* ---- the declaration (SPEC §17.5) ---- */

static const char example_declaration[] =
	"DECLARATION OF RESULT\n"
	"Cyngor Tref / Town Council\n"
	"Ballot on the transfer of your home\n"
	"Question: Are you in favour of the transfer?\n"
	"\n"
	"Electorate: 1000\n"
	"Ballot papers received: 420\n"
	"  Online: 300\n"
	"  Phone: 20\n"
	"  Postal: 90\n"
	"  In person: 10\n"
	"Turnout: 42.0% of the electorate; no minimum turnout was set\n"
	"Blank ballot papers: 5\n"
	"Rejected ballot papers: 3\n"
	"  Want of official mark: 1\n"
	"  Voting for more than one answer: 1\n"
	"  Writing or mark by which the voter could be identified: 0\n"
	"  Unmarked or void for uncertainty: 1\n"
	"Valid votes: 412\n"
	"\n"
	"Yes: 300 votes (72.8% of valid votes)\n"
	"No: 112 votes (27.2% of valid votes)\n"
	"\n"
	"\u201cYes\u201d received more than half of the valid votes.\n"
	"The proposal to transfer is CARRIED.\n"
	"\n"
	"DATGANIAD O\u2019R CANLYNIAD\n"
	"Cyngor Tref / Town Council\n"
	"Pleidlais ar drosglwyddo eich cartref\n"
	"Cwestiwn: Ydych chi o blaid y trosglwyddiad?\n"
	"\n"
	"Etholwyr: 1000\n"
	"Papurau pleidleisio a dderbyniwyd: 420\n"
	"  Ar-lein: 300\n"
	"  Ff\u00f4n: 20\n"
	"  Post: 90\n"
	"  Yn bersonol: 10\n"
	"Nifer a bleidleisiodd: 42.0% o\u2019r etholwyr; ni osodwyd isafswm\n"
	"Papurau gwag: 5\n"
	"Papurau a wrthodwyd: 3\n"
	"  Heb farc swyddogol: 1\n"
	"  Pleidleisio dros fwy nag un ateb: 1\n"
	"  Ysgrifen neu farc y gellid adnabod y pleidleisiwr wrtho: 0\n"
	"  Heb ei farcio neu\u2019n ddi-rym oherwydd ansicrwydd: 1\n"
	"Pleidleisiau dilys: 412\n"
	"\n"
	"Ydw: 300 pleidlais (72.8% o\u2019r pleidleisiau dilys)\n"
	"Nac ydw: 112 pleidlais (27.2% o\u2019r pleidleisiau dilys)\n"
	"\n"
	"Cafodd \u201cYdw\u201d fwy na hanner y pleidleisiau dilys.\n"
	"Mae\u2019r cynnig i drosglwyddo WEDI\u2019I DDERBYN.\n";

static char *declaration_of(tv_ctx *ctx, const tv_manifest_options *o, figures f)
{
	tv_manifest *m = make_manifest(ctx, o);
	tv_result *r = count_ok(ctx, m, &f);
	char *text = NULL;
	size_t len = 0;

	assert_ok(ctx, tv_result_declaration(ctx, &text, &len, r));
	assert_int_equal(strlen(text), len);
	assert_true(len > 0 && text[len - 1] == '\n');
	tv_result_free(r);
	tv_manifest_free(m);
	return text;
}

static void declaration_text(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = NULL;
	tv_result *r = example_result(ctx, &m);
	tv_manifest_options o;
	char *text = NULL;
	size_t len = 0;
	(void)state;

	assert_ok(ctx, tv_result_declaration(ctx, &text, &len, r));
	assert_string_equal(text, example_declaration);
	assert_int_equal(len, strlen(example_declaration));
	tv_free(ctx, text);
	assert_status(ctx, tv_result_declaration(ctx, NULL, NULL, r), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_result_declaration(ctx, &text, NULL, NULL),
	              TV_ERR_INVALID_ARGUMENT);
	assert_null(text);
	tv_result_free(r);
	tv_manifest_free(m);

	/* a tie says so, in both languages, and that it does not carry */
	o = majority_options();
	text = declaration_of(ctx, &o, simple(1000, 2, (const uint64_t[]){ 250, 250 }));
	assert_has(text, "\u201cYes\u201d received exactly half of the valid votes: the vote "
	                 "is TIED, and a tie does not carry the transfer.\n"
	                 "The proposal to transfer is NOT CARRIED.\n");
	assert_has(text, "yn GYFARTAL");
	assert_has(text, "Mae\u2019r cynnig i drosglwyddo HEB EI DDERBYN.\n");
	assert_has(text, "Yes: 250 votes (50.0% of valid votes)\n");
	tv_free(ctx, text);

	/* not carried, with the other option's majority */
	text = declaration_of(ctx, &o, simple(1000, 2, (const uint64_t[]){ 1, 2 }));
	assert_has(text, "Yes: 1 vote (33.3% of valid votes)\nNo: 2 votes (66.7% of valid votes)\n");
	assert_has(text, "Ydw: 1 pleidlais (33.3% o\u2019r pleidleisiau dilys)\n");
	assert_has(text, "\u201cYes\u201d did not receive more than half of the valid votes.\n"
	                 "\u201cNo\u201d received more than half of the valid votes.\n"
	                 "The proposal to transfer is NOT CARRIED.\n");
	assert_has(text, "Ni chafodd \u201cYdw\u201d fwy na hanner");
	tv_free(ctx, text);

	/* turnout not met */
	o.min_turnout_tenths = 500;
	text = declaration_of(ctx, &o, simple(1000, 2, (const uint64_t[]){ 300, 100 }));
	assert_has(text, "Turnout: 40.0% of the electorate; the minimum of 50.0% was not met\n");
	assert_has(text, "Nifer a bleidleisiodd: 40.0% o\u2019r etholwyr; ni chyrhaeddwyd yr "
	                 "isafswm o 50.0%\n");
	assert_has(text, "The turnout of 40.0% of the electorate is below the minimum turnout of "
	                 "50.0%, so the ballot does not decide the question.\n"
	                 "The proposal to transfer is NOT CARRIED.\n");
	assert_has(text, "40.0% o\u2019r etholwyr, yn is na\u2019r isafswm o 50.0%");
	assert_lacks(text, "was met");
	assert_lacks(text, "is CARRIED");
	tv_free(ctx, text);
	/* rounded to 25.0% but below 25.0%: "not met", whatever the rounded figure says */
	o.min_turnout_tenths = 250;
	text = declaration_of(ctx, &o, simple(2001, 2, (const uint64_t[]){ 400, 100 }));
	assert_has(text, "Turnout: 25.0% of the electorate; the minimum of 25.0% was not met\n");
	tv_free(ctx, text);
	o.min_turnout_tenths = 500;
	/* the minimum met is said too, with the same exact comparison as the outcome */
	text = declaration_of(ctx, &o, simple(1000, 2, (const uint64_t[]){ 400, 100 }));
	assert_has(text, "Turnout: 50.0% of the electorate; the minimum of 50.0% was met\n");
	assert_has(text, "Nifer a bleidleisiodd: 50.0% o\u2019r etholwyr; cyrhaeddwyd yr "
	                 "isafswm o 50.0%\n");
	assert_has(text, "The proposal to transfer is CARRIED.\n");
	assert_lacks(text, "not met");
	tv_free(ctx, text);

	/* a supermajority */
	o.min_turnout_tenths = 0;
	o.supermajority_tenths = 667;
	text = declaration_of(ctx, &o, simple(1000, 2, (const uint64_t[]){ 201, 100 }));
	assert_has(text, "received at least 66.7% of the valid votes, the share required.\n"
	                 "The proposal to transfer is CARRIED.\n");
	assert_has(text, "o leiaf 66.7% o\u2019r pleidleisiau dilys");
	tv_free(ctx, text);
	/* 200 of 300 shows as 66.7% but is less than 66.7% */
	text = declaration_of(ctx, &o, simple(1000, 2, (const uint64_t[]){ 200, 100 }));
	assert_has(text, "Yes: 200 votes (66.7% of valid votes)\n");
	assert_has(text, "did not receive the 66.7% of the valid votes required.\n"
	                 "The proposal to transfer is NOT CARRIED.\n");
	tv_free(ctx, text);

	/* English only: no Welsh half; only the manifest's channels */
	o = plurality_options();
	text = declaration_of(ctx, &o, simple(1000, 3, (const uint64_t[]){ 100, 300, 300 }));
	assert_lacks(text, "DATGANIAD");
	assert_lacks(text, "Etholwyr");
	assert_has(text, "  Online: 700\n  Postal: 0\nTurnout: 70.0% of the electorate; no minimum "
	                 "turnout was set\n");
	assert_lacks(text, "Phone");
	assert_lacks(text, "In person");
	assert_has(text, "\u201cHousing association\u201d and \u201cCommunity mutual\u201d "
	                 "received the same, highest number of votes: the vote is TIED, and "
	                 "a tie is not broken.\nThe proposal to transfer is NOT CARRIED.\n");
	tv_free(ctx, text);
	text = declaration_of(ctx, &o, simple(1000, 3, (const uint64_t[]){ 100, 300, 301 }));
	assert_has(text, "\u201cCommunity mutual\u201d received the most votes.\n"
	                 "The proposal to transfer is CARRIED.\n");
	tv_free(ctx, text);
	o.supermajority_tenths = 600;
	text = declaration_of(ctx, &o, simple(1000, 3, (const uint64_t[]){ 100, 300, 301 }));
	assert_has(text, "\u201cCommunity mutual\u201d received the most votes but not the "
	                 "60.0% of the valid votes required.\nThe proposal to transfer is NOT "
	                 "CARRIED.\n");
	tv_free(ctx, text);
	o.supermajority_tenths = 0;
	o.transfer_option = 0;
	o.landlord = "";
	text = declaration_of(ctx, &o, simple(1000, 3, (const uint64_t[]){ 100, 300, 200 }));
	assert_has(text, "\u201cHousing association\u201d received the most votes.\n"
	                 "\u201cHousing association\u201d is CARRIED.\n");
	tv_free(ctx, text);
	text = declaration_of(ctx, &o, simple(1000, 3, (const uint64_t[]){ 0, 0, 0 }));
	assert_has(text, "There are no valid votes.\nNo option is carried.\n");
	tv_free(ctx, text);

	/* Welsh plurality tie, three ways */
	o = plurality_options();
	o.title.cy = "Pa landlord?";
	o.question.cy = "Pwy ddylai fod yn berchen ar eich cartref?";
	o.options[0].cy = "Aros gyda\u2019r cyngor";
	o.options[1].cy = "Cymdeithas dai";
	o.options[2].cy = "Cydfuddiannol cymunedol";
	text = declaration_of(ctx, &o, simple(1000, 3, (const uint64_t[]){ 5, 5, 5 }));
	assert_has(text, "Cafodd \u201cAros gyda\u2019r cyngor\u201d, \u201cCymdeithas dai\u201d "
	                 "a \u201cCydfuddiannol cymunedol\u201d yr un nifer uchaf o "
	                 "bleidleisiau");
	assert_has(text, "\u201cStay with the council\u201d, \u201cHousing association\u201d "
	                 "and \u201cCommunity mutual\u201d received the same");
	tv_free(ctx, text);
	tv_ctx_free(ctx);
}

/* ---- EML (SPEC §17.6) ---- */

/*
 * A small XML 1.0 well-formedness check, enough for what tv_result_eml
 * writes: one XML declaration, then one root element; names, attributes
 * in double quotes, character data and attribute values with '&' only in
 * the five predefined entities or a character reference and no '<'; every
 * start tag closed in order; only whitespace after the root.
 */
static int xml_name(const char **p)
{
	const char *s = *p;

	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
	       (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.' || *s == ':')
		s++;
	*p = s;
	return 1;
}

static int xml_entity(const char **p)
{
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };

	for (size_t i = 0; i < 5; i++) {
		if (strncmp(*p, ents[i], strlen(ents[i])) == 0) {
			*p += strlen(ents[i]);
			return 1;
		}
	}
	return 0;
}

static void assert_well_formed(const char *xml)
{
	const char *p = xml, *stack[64];
	size_t len[64], depth = 0;
	int roots = 0;

	if (strncmp(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) != 0)
		fail_msg("no XML declaration");
	p += 39;
	while (*p) {
		if (*p == '<') {
			const char *name;
			int end = p[1] == '/';

			p += end ? 2 : 1;
			name = p;
			if (!xml_name(&p))
				fail_msg("bad name at %ld", (long)(p - xml));
			if (end) {
				if (depth == 0 || (size_t)(p - name) != len[depth - 1] ||
				    strncmp(name, stack[depth - 1], len[depth - 1]) != 0)
					fail_msg("mismatched end tag at %ld", (long)(name - xml));
				depth--;
				if (*p++ != '>')
					fail_msg("bad end tag at %ld", (long)(p - xml));
				continue;
			}
			if (depth == 0 && roots++ > 0)
				fail_msg("a second root element at %ld", (long)(name - xml));
			assert_true(depth < 64);
			stack[depth] = name;
			len[depth] = (size_t)(p - name);
			depth++;
			for (;;) {
				while (*p == ' ')
					p++;
				if (*p == '>') {
					p++;
					break;
				}
				if (p[0] == '/' && p[1] == '>') {
					depth--;
					p += 2;
					break;
				}
				if (!xml_name(&p) || *p++ != '=' || *p++ != '"')
					fail_msg("bad attribute at %ld", (long)(p - xml));
				while (*p != '"') {
					if (*p == '\0' || *p == '<')
						fail_msg("bad attribute value at %ld", (long)(p - xml));
					if (*p != '&')
						p++;
					else if (!xml_entity(&p))
						fail_msg("bad reference at %ld", (long)(p - xml));
				}
				p++;
			}
		} else {
			if (depth == 0 && !(*p == ' ' || *p == '\n'))
				fail_msg("text outside the root at %ld", (long)(p - xml));
			if (*p == '>')
				fail_msg("raw '>' in text at %ld", (long)(p - xml));
			if (*p != '&')
				p++;
			else if (!xml_entity(&p))
				fail_msg("bad reference at %ld", (long)(p - xml));
		}
	}
	if (depth != 0 || roots != 1)
		fail_msg("unclosed elements (%zu) or %d roots", depth, roots);
}

static const char example_510[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<EML xmlns=\"urn:oasis:names:tc:evs:schema:eml\" Id=\"510\" SchemaVersion=\"5.0\">\n"
	"  <TransactionId>tref-2028-510</TransactionId>\n"
	"  <MessageLanguage>en</MessageLanguage>\n"
	"  <Count>\n"
	"    <EventIdentifier Id=\"tref-2028\"/>\n"
	"    <Election>\n"
	"      <ElectionIdentifier Id=\"tref-2028\">\n"
	"        <ElectionName>Ballot on the transfer of your home</ElectionName>\n"
	"      </ElectionIdentifier>\n"
	"      <Contests>\n"
	"        <Contest>\n"
	"          <ContestIdentifier Id=\"1\">\n"
	"            <ContestName>Are you in favour of the transfer?</ContestName>\n"
	"          </ContestIdentifier>\n"
	"          <TotalVotes>\n"
	"            <CountMetric Id=\"electorate\" Type=\"Electorate\">1000</CountMetric>\n"
	"            <CountMetric Id=\"turnout\" Type=\"TurnoutPercentage\">42.0</CountMetric>\n"
	"            <CountMetric Id=\"online\" Type=\"BallotsReceived\">300</CountMetric>\n"
	"            <CountMetric Id=\"phone\" Type=\"BallotsReceived\">20</CountMetric>\n"
	"            <CountMetric Id=\"postal\" Type=\"BallotsReceived\">90</CountMetric>\n"
	"            <CountMetric Id=\"in_person\" Type=\"BallotsReceived\">10</CountMetric>\n"
	"            <Selection>\n"
	"              <ReferendumOptionIdentifier Id=\"1\">Yes</ReferendumOptionIdentifier>\n"
	"              <ValidVotes>300</ValidVotes>\n"
	"            </Selection>\n"
	"            <Selection>\n"
	"              <ReferendumOptionIdentifier Id=\"2\">No</ReferendumOptionIdentifier>\n"
	"              <ValidVotes>112</ValidVotes>\n"
	"            </Selection>\n"
	"            <Cast>420</Cast>\n"
	"            <TotalCounted>420</TotalCounted>\n"
	"            <RejectedVotes ReasonCode=\"no-official-mark\" Reason=\"Want of official mark\">1</RejectedVotes>\n"
	"            <RejectedVotes ReasonCode=\"more-than-one-answer\" Reason=\"Voting for more than one answer\">1</RejectedVotes>\n"
	"            <RejectedVotes ReasonCode=\"identifies-voter\" Reason=\"Writing or mark by which the voter could be identified\">0</RejectedVotes>\n"
	"            <RejectedVotes ReasonCode=\"unmarked-or-void\" Reason=\"Unmarked or void for uncertainty\">1</RejectedVotes>\n"
	"            <RejectedVotes ReasonCode=\"blank\" Reason=\"Blank ballot paper\">5</RejectedVotes>\n"
	"          </TotalVotes>\n"
	"        </Contest>\n"
	"      </Contests>\n"
	"    </Election>\n"
	"  </Count>\n"
	"</EML>\n";

static const char example_520[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<EML xmlns=\"urn:oasis:names:tc:evs:schema:eml\" Id=\"520\" SchemaVersion=\"5.0\">\n"
	"  <TransactionId>tref-2028-520</TransactionId>\n"
	"  <MessageLanguage>en</MessageLanguage>\n"
	"  <Result>\n"
	"    <Election>\n"
	"      <ElectionIdentifier Id=\"tref-2028\">\n"
	"        <ElectionName>Ballot on the transfer of your home</ElectionName>\n"
	"      </ElectionIdentifier>\n"
	"      <Contest>\n"
	"        <ContestIdentifier Id=\"1\">\n"
	"          <ContestName>Are you in favour of the transfer?</ContestName>\n"
	"        </ContestIdentifier>\n"
	"        <Selection>\n"
	"          <ReferendumOptionIdentifier Id=\"1\">Yes</ReferendumOptionIdentifier>\n"
	"          <Votes>300</Votes>\n"
	"          <Elected>yes</Elected>\n"
	"        </Selection>\n"
	"        <Selection>\n"
	"          <ReferendumOptionIdentifier Id=\"2\">No</ReferendumOptionIdentifier>\n"
	"          <Votes>112</Votes>\n"
	"          <Elected>no</Elected>\n"
	"        </Selection>\n"
	"      </Contest>\n"
	"    </Election>\n"
	"  </Result>\n"
	"</EML>\n";

static void eml_messages(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = NULL;
	tv_result *r = example_result(ctx, &m);
	tv_manifest_options o;
	char *xml = NULL;
	size_t len = 0;
	(void)state;

	assert_ok(ctx, tv_result_eml(ctx, &xml, &len, r, TV_EML_COUNT));
	assert_int_equal(strlen(xml), len);
	assert_string_equal(xml, example_510);
	assert_well_formed(xml);
	assert_has(xml, "<EML xmlns=\"urn:oasis:names:tc:evs:schema:eml\" Id=\"510\" "
	                "SchemaVersion=\"5.0\">\n");
	assert_has(xml, "<ReferendumOptionIdentifier Id=\"1\">Yes</ReferendumOptionIdentifier>\n"
	                "              <ValidVotes>300</ValidVotes>");
	assert_has(xml, "<ReferendumOptionIdentifier Id=\"2\">No</ReferendumOptionIdentifier>\n"
	                "              <ValidVotes>112</ValidVotes>");
	assert_has(xml, "<Cast>420</Cast>");
	assert_has(xml, "<TotalCounted>420</TotalCounted>");
	assert_has(xml, "<RejectedVotes ReasonCode=\"no-official-mark\" Reason=\"Want of "
	                "official mark\">1</RejectedVotes>");
	assert_has(xml, "<RejectedVotes ReasonCode=\"identifies-voter\"");
	assert_has(xml, "<RejectedVotes ReasonCode=\"blank\" Reason=\"Blank ballot paper\">5"
	                "</RejectedVotes>");
	assert_has(xml, "<CountMetric Id=\"electorate\" Type=\"Electorate\">1000</CountMetric>");
	assert_has(xml, "<CountMetric Id=\"turnout\" Type=\"TurnoutPercentage\">42.0</CountMetric>");
	assert_has(xml, "<CountMetric Id=\"postal\" Type=\"BallotsReceived\">90</CountMetric>");
	assert_has(xml, "<ElectionIdentifier Id=\"tref-2028\">");
	tv_free(ctx, xml);

	assert_ok(ctx, tv_result_eml(ctx, &xml, &len, r, TV_EML_RESULT));
	assert_string_equal(xml, example_520);
	assert_well_formed(xml);
	assert_has(xml, "Id=\"520\"");
	assert_has(xml, "<ReferendumOptionIdentifier Id=\"1\">Yes</ReferendumOptionIdentifier>\n"
	                "          <Votes>300</Votes>\n          <Elected>yes</Elected>");
	assert_has(xml, "<ReferendumOptionIdentifier Id=\"2\">No</ReferendumOptionIdentifier>\n"
	                "          <Votes>112</Votes>\n          <Elected>no</Elected>");
	tv_free(ctx, xml);

	/* the same messages in Welsh: the Welsh texts, and the message says so */
	assert_ok(ctx, tv_result_eml_lang(ctx, &xml, &len, r, TV_EML_RESULT, "en"));
	assert_string_equal(xml, example_520);
	tv_free(ctx, xml);
	for (int which = 0; which < 2; which++) {
		assert_ok(ctx, tv_result_eml_lang(ctx, &xml, &len, r,
		                                  which ? TV_EML_RESULT : TV_EML_COUNT, "cy"));
		assert_well_formed(xml);
		assert_has(xml, "  <MessageLanguage>cy</MessageLanguage>\n");
		assert_has(xml, "<ElectionName>Pleidlais ar drosglwyddo eich cartref</ElectionName>");
		assert_has(xml, "<ContestName>Ydych chi o blaid y trosglwyddiad?</ContestName>");
		assert_has(xml, "<ReferendumOptionIdentifier Id=\"1\">Ydw</ReferendumOptionIdentifier>");
		assert_has(xml, "<ReferendumOptionIdentifier Id=\"2\">Nac ydw</ReferendumOptionIdentifier>");
		assert_lacks(xml, ">Yes<");
		assert_lacks(xml, "MessageLanguage>en");
		if (!which) {
			assert_has(xml, "<RejectedVotes ReasonCode=\"no-official-mark\" Reason=\"Heb farc "
			                "swyddogol\">1</RejectedVotes>");
			assert_has(xml, "<RejectedVotes ReasonCode=\"blank\" Reason=\"Papur pleidleisio "
			                "gwag\">5</RejectedVotes>");
			assert_has(xml, "<ValidVotes>300</ValidVotes>");
		} else {
			assert_has(xml, "<Votes>300</Votes>\n          <Elected>yes</Elected>");
		}
		tv_free(ctx, xml);
	}
	xml = (char *)&xml;
	assert_status(ctx, tv_result_eml_lang(ctx, &xml, NULL, r, TV_EML_COUNT, "fr"),
	              TV_ERR_INVALID_ARGUMENT);
	assert_null(xml);
	assert_status(ctx, tv_result_eml_lang(ctx, &xml, NULL, r, TV_EML_COUNT, NULL),
	              TV_ERR_INVALID_ARGUMENT);

	xml = (char *)&xml;
	assert_status(ctx, tv_result_eml(ctx, &xml, NULL, r, (tv_eml_message)530),
	              TV_ERR_INVALID_ARGUMENT);
	assert_null(xml);
	assert_status(ctx, tv_result_eml(ctx, &xml, NULL, NULL, TV_EML_COUNT),
	              TV_ERR_INVALID_ARGUMENT);
	tv_result_free(r);
	tv_manifest_free(m);

	/* every text is escaped; a tie elects no one */
	o = plurality_options();
	o.title.en = "Tenants' <ballot> & \"vote\"";
	o.question.en = "A < B & C > D?";
	o.options[0].en = "Stay & \"keep\" the <council>";
	m = make_manifest(ctx, &o);
	{
		figures f = simple(1000, 3, (const uint64_t[]){ 4, 4, 0 });

		r = count_ok(ctx, m, &f);
	}
	for (int which = 0; which < 2; which++) {
		assert_ok(ctx, tv_result_eml(ctx, &xml, NULL, r,
		                             which ? TV_EML_RESULT : TV_EML_COUNT));
		assert_well_formed(xml);
		assert_has(xml, "<ElectionName>Tenants&apos; &lt;ballot&gt; &amp; &quot;vote&quot;"
		                "</ElectionName>");
		assert_has(xml, "<ContestName>A &lt; B &amp; C &gt; D?</ContestName>");
		assert_has(xml, ">Stay &amp; &quot;keep&quot; the &lt;council&gt;<");
		assert_lacks(xml, "<council>");
		if (which) {
			const char *third = strstr(xml, "<ReferendumOptionIdentifier Id=\"3\">");

			assert_lacks(xml, "<Elected>yes</Elected>");
			/* EML 5.0's Votes is a positive integer: none is left out, not 0 */
			assert_has(xml, "<Votes>4</Votes>");
			assert_lacks(xml, "<Votes>0</Votes>");
			assert_non_null(third);
			assert_non_null(strstr(third, "</ReferendumOptionIdentifier>\n"
			                              "          <Elected>no</Elected>"));
		}
		tv_free(ctx, xml);
	}
	/* no Welsh message of an election without Welsh */
	xml = (char *)&xml;
	assert_status(ctx, tv_result_eml_lang(ctx, &xml, NULL, r, TV_EML_RESULT, "cy"),
	              TV_ERR_INVALID_ARGUMENT);
	assert_null(xml);
	tv_result_free(r);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

/* the offer document (SPEC §9.2.2) in the declaration and both EML messages */
static void offer_in_declaration_and_eml(void **state)
{
	static const tv_contact contact = { "Returning Officer", "Civic Centre, Tref", "", "", "",
		                            "", "" };
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = majority_options();
	tv_offer of;
	tv_manifest *m = NULL;
	tv_result *r;
	figures f = simple(1000, 2, (const uint64_t[]){ 300, 0 });
	char *text = NULL, *xml = NULL;
	(void)state;

	memset(&of, 0, sizeof(of));
	for (int i = 0; i < 32; i++) {
		of.sha256[i] = (uint8_t)i;
		of.sha256_cy[i] = (uint8_t)(0xff - i);
	}
	of.has_cy = 1;
	of.url = "https://tref.example/offer.pdf?a=1&b=2";
	of.url_cy = "";
	assert_ok(ctx, tv_manifest_new_offer(ctx, &m, &o, &contact, TV_LETTERS_REGISTER, &of));
	r = count_ok(ctx, m, &f);
	assert_ok(ctx, tv_result_declaration(ctx, &text, NULL, r));
	assert_has(text, "Question: Are you in favour of the transfer?\n"
	                 "Offer document (SHA-256): "
	                 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
	                 "Offer document in Welsh (SHA-256): "
	                 "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0\n\n"
	                 "Electorate: 1000\n");
	assert_has(text, "Cwestiwn: Ydych chi o blaid y trosglwyddiad?\n"
	                 "Dogfen y cynnig (SHA-256): "
	                 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
	                 "Dogfen y cynnig yn Gymraeg (SHA-256): "
	                 "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0\n\n"
	                 "Etholwyr: 1000\n");
	tv_free(ctx, text);
	for (int which = 0; which < 4; which++) {
		assert_ok(ctx, tv_result_eml_lang(ctx, &xml, NULL, r,
		                                  which & 1 ? TV_EML_RESULT : TV_EML_COUNT,
		                                  which & 2 ? "cy" : "en"));
		assert_well_formed(xml);
		/* base64 of bytes 0..31, and the address escaped */
		assert_has(xml, "<ElectionName>");
		assert_has(xml, "<ds:Reference xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" "
		                "Id=\"offer\" URI=\"https://tref.example/offer.pdf?a=1&amp;b=2\">\n");
		assert_has(xml, "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>");
		assert_has(xml, "<ds:DigestValue>AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=</ds:DigestValue>");
		/* the Welsh document has no address: no URI */
		assert_has(xml, "Id=\"offer-cy\">\n");
		assert_has(xml, "</ds:Reference>\n");
		if (which & 1) {
			/* 520: option 2 has no votes, so no Votes element */
			assert_has(xml, "<Votes>300</Votes>");
			assert_lacks(xml, "<Votes>0</Votes>");
		}
		tv_free(ctx, xml);
	}
	tv_result_free(r);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

/* ---- allocation failures ---- */

static void survives_each_allocation_failure(void **state)
{
	tv_ctx *setup = test_ctx_new();
	tv_manifest *m = NULL;
	tv_result *ref = example_result(setup, &m);
	figures f = simple(1000, 2, (const uint64_t[]){ 300, 112 });
	char *json = NULL;
	size_t len;
	long n, count;
	(void)state;

	f.in.by_channel[0] = 412;
	f.in.votes = f.votes;
	assert_ok(setup, tv_result_to_json(setup, &json, &len, ref));
	for (int which = 0; which < 5; which++) {
		long failures = 0;

		for (n = 1;; n++) {
			/* the context takes the first allocation */
			tv_ctx *ctx = test_ctx_new_failing(n, &count);
			tv_result *r = NULL;
			char *out = NULL;
			tv_status st = TV_OK;

			assert_non_null(ctx);
			switch (which) {
			case 0: st = tv_count(ctx, &r, m, &f.in); break;
			case 1: st = tv_result_from_json(ctx, &r, m, json, len); break;
			case 2: st = tv_result_to_json(ctx, &out, NULL, ref); break;
			case 3: st = tv_result_declaration(ctx, &out, NULL, ref); break;
			case 4: st = tv_result_eml(ctx, &out, NULL, ref, TV_EML_COUNT); break;
			}
			if (st != TV_OK)
				assert_true(r == NULL && out == NULL);
			tv_result_free(r);
			tv_free(ctx, out);
			tv_ctx_free(ctx);
			if (st == TV_OK)
				break;
			assert_int_equal(st, TV_ERR_NOMEM);
			failures++;
			assert_true(n < 100);
		}
		assert_true(failures >= 1);
	}
	tv_free(setup, json);
	tv_result_free(ref);
	tv_manifest_free(m);
	tv_ctx_free(setup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(majority_carried_and_not),
		cmocka_unit_test(majority_three_options),
		cmocka_unit_test(supermajority_boundaries),
		cmocka_unit_test(min_turnout_boundaries),
		cmocka_unit_test(plurality),
		cmocka_unit_test(no_valid_votes),
		cmocka_unit_test(rounding_half_up),
		cmocka_unit_test(large_counts),
		cmocka_unit_test(refuses_inconsistent_figures),
		cmocka_unit_test(random_counts),
		cmocka_unit_test(names),
		cmocka_unit_test(json_exact_bytes_and_round_trip),
		cmocka_unit_test(json_round_trips_every_outcome),
		cmocka_unit_test(json_refuses_every_tampered_field),
		cmocka_unit_test(declaration_text),
		cmocka_unit_test(eml_messages),
		cmocka_unit_test(offer_in_declaration_and_eml),
		cmocka_unit_test(survives_each_allocation_failure),
	};

	(void)test_seed();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
