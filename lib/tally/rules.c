/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.3: the result and its copy of the manifest, the counting rules,
 * the decision names and the accessors. Pure arithmetic on public figures:
 * no database, no randomness, no floating point. Every figure is at most
 * TV_COUNT_MAX (10^15), so every product below (at most 2000·10^15 +
 * 10^15) fits in 64 bits.
 *
 * One function (tv__count_figures) checks the figures and applies the
 * rules; tv_count() calls it on the caller's figures, tv_result_from_json()
 * (result_json.c) on a file's raw counts, and then compares every derived
 * figure of the file with what it computed, so that the file cannot state
 * an outcome its own counts do not give.
 */
#include <inttypes.h>
#include <string.h>

#include "result_internal.h"

/* ---- names ---- */

const char *const tv__channel_keys[TV_COUNT_CHANNELS] = {
	"online", "phone", "postal", "in_person",
};

/* tv_spoilt_reason_name() of 1..4 (SPEC §15.6), the keys of "rejected" */
const char *const tv__reason_slugs[TV_SPOILT_REASONS] = {
	"no-official-mark", "more-than-one-answer", "identifies-voter",
	"unmarked-or-void",
};

const char *const tv__decision_names[] = {
	NULL, "carried", "not_carried", "tie", "no_majority", "turnout_not_met",
};

const char *tv_decision_name(tv_decision decision)
{
	if ((int)decision < 1 || (int)decision > TV__DECISION_MAX)
		return NULL;
	return tv__decision_names[decision];
}

/* ---- the result and its copy of the manifest ---- */

static const char *put_text(char **cursor, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = *cursor;

	memcpy(p, s, len);
	*cursor += len;
	return p;
}

/* a result holding @p m's texts and rules, with no counts yet */
tv_status tv__result_new(tv_ctx *ctx, tv_result **out, const tv_manifest *m)
{
	tv_manifest_options o;
	tv_offer of;
	tv_result *r;
	size_t total, i;
	char *cursor;
	int has_offer;

	tv_manifest_get_options(&o, m);
	has_offer = tv_manifest_offer(m, &of);
	/* the manifest's texts: at most 37 of 1000 bytes (SPEC §9.2) */
	total = strlen(o.election_id) + strlen(o.council) + strlen(o.title.en) +
	        strlen(o.title.cy) + strlen(o.question.en) + strlen(o.question.cy) + 6;
	for (i = 0; i < o.option_count; i++)
		total += strlen(o.options[i].en) + strlen(o.options[i].cy) + 2;
	total += strlen(of.url) + strlen(of.url_cy) + 2;
	r = tv__alloc(ctx, sizeof(*r) + total);
	if (r == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate the result");
	memset(r, 0, sizeof(*r));
	r->free_fn = ctx->free;
	r->free_payload = ctx->alloc_payload;
	tv_manifest_fingerprint(r->fingerprint, m);
	cursor = r->text;
	r->election_id = put_text(&cursor, o.election_id);
	r->council = put_text(&cursor, o.council);
	r->title.en = put_text(&cursor, o.title.en);
	r->title.cy = put_text(&cursor, o.title.cy);
	r->question.en = put_text(&cursor, o.question.en);
	r->question.cy = put_text(&cursor, o.question.cy);
	for (i = 0; i < o.option_count; i++) {
		r->labels[i].en = put_text(&cursor, o.options[i].en);
		r->labels[i].cy = put_text(&cursor, o.options[i].cy);
	}
	r->has_offer = has_offer;
	r->offer = of;
	r->offer.url = put_text(&cursor, of.url);
	r->offer.url_cy = put_text(&cursor, of.url_cy);
	r->rule = o.rule;
	r->transfer_option = o.transfer_option;
	r->min_turnout_tenths = o.min_turnout_tenths;
	r->supermajority_tenths = o.supermajority_tenths;
	r->channels = o.channels;
	r->allow_blank = o.allow_blank != 0;
	r->bilingual = o.title.cy[0] != '\0';
	r->options = (uint32_t)o.option_count;
	*out = r;
	return TV_OK;
}

void tv_result_free(tv_result *r)
{
	if (r == NULL)
		return;
	r->free_fn(r, r->free_payload);
}

/* ---- the rules (SPEC §17.3) ---- */

/*
 * SPEC §17.3.2: a/b in tenths of a percent, rounded half up:
 * floor((2000·a + b) / (2·b)). Callers keep a <= b <= TV_COUNT_MAX, so
 * nothing overflows; b = 0 gives 0.
 */
static uint32_t share_tenths(uint64_t a, uint64_t b)
{
	if (b == 0)
		return 0;
	return (uint32_t)((2000 * a + b) / (2 * b));
}

/* SPEC §17.3.4: the outcome of figures already checked by §17.3.1 */
static void apply_rule(tv_result *r)
{
	const uint64_t V = r->valid, S = r->supermajority_tenths;
	const uint32_t t = r->transfer_option;
	uint32_t i, top = 0, at_top = 0;

	r->winner = 0;
	/* the exact fraction: ballots/electorate >= min/1000 */
	if (r->ballots * 1000 < (uint64_t)r->min_turnout_tenths * r->electorate) {
		r->decision = TV_DECISION_TURNOUT_NOT_MET;
		return;
	}
	if (V == 0) {
		r->decision = TV_DECISION_NO_MAJORITY;
		return;
	}
	if (r->rule == TV_RULE_MAJORITY) {
		uint64_t vt = r->votes[t - 1];

		if (S != 0 ? vt * 1000 >= S * V : vt * 2 > V) {
			r->decision = TV_DECISION_CARRIED;
			r->winner = t;
			return;
		}
		if (S == 0 && vt * 2 == V) {
			r->decision = TV_DECISION_TIE;
			return;
		}
		r->decision = TV_DECISION_NOT_CARRIED;
		/* another option with more than half: at most one can have it */
		for (i = 1; i <= r->options; i++)
			if (i != t && r->votes[i - 1] * 2 > V)
				r->winner = i;
		return;
	}
	/* plurality */
	for (i = 1; i <= r->options; i++) {
		if (top == 0 || r->votes[i - 1] > r->votes[top - 1]) {
			top = i;
			at_top = 1;
		} else if (r->votes[i - 1] == r->votes[top - 1]) {
			at_top++;
		}
	}
	if (at_top > 1) {
		r->decision = TV_DECISION_TIE;
		return;
	}
	if (S != 0 && r->votes[top - 1] * 1000 < S * V) {
		r->decision = TV_DECISION_NO_MAJORITY;
		return;
	}
	r->winner = top;
	r->decision = t == 0 || top == t ? TV_DECISION_CARRIED : TV_DECISION_NOT_CARRIED;
}

/*
 * SPEC §17.3.1: check @p in and fill the counts of @p r, then the derived
 * figures and the outcome. Figures that disagree give @p bad
 * (TV_ERR_INVALID_ARGUMENT from tv_count, TV_ERR_PROOF_INVALID from a
 * file), the message starting with @p who.
 */
tv_status tv__count_figures(tv_ctx *ctx, tv_result *r, const tv_count_input *in,
                            tv_status bad, const char *who)
{
	uint64_t sum;
	uint32_t i;

	if (in->electorate == 0)
		return tv__fail(ctx, bad, "%s: electorate is 0; there is no one to count for",
		                who);
	if (in->electorate > TV_COUNT_MAX)
		return tv__fail(ctx, bad, "%s: electorate %" PRIu64 " is above the limit %" PRIu64,
		                who, in->electorate, TV_COUNT_MAX);
	if (in->options != r->options)
		return tv__fail(ctx, bad, "%s: %" PRIu32 " options counted, the manifest has %" PRIu32,
		                who, in->options, r->options);
	for (i = 0; i < TV_COUNT_CHANNELS; i++)
		if (in->by_channel[i] > TV_COUNT_MAX)
			return tv__fail(ctx, bad, "%s: by_channel.%s %" PRIu64 " is above the limit %"
			                PRIu64, who, tv__channel_keys[i], in->by_channel[i], TV_COUNT_MAX);
	if (in->blank > TV_COUNT_MAX)
		return tv__fail(ctx, bad, "%s: blank %" PRIu64 " is above the limit %" PRIu64,
		                who, in->blank, TV_COUNT_MAX);
	for (i = 0; i < TV_SPOILT_REASONS; i++)
		if (in->rejected[i] > TV_COUNT_MAX)
			return tv__fail(ctx, bad, "%s: rejected.%s %" PRIu64 " is above the limit %"
			                PRIu64, who, tv__reason_slugs[i], in->rejected[i], TV_COUNT_MAX);
	for (i = 0; i < r->options; i++)
		if (in->votes[i] > TV_COUNT_MAX)
			return tv__fail(ctx, bad, "%s: the votes for option %" PRIu32 ", %" PRIu64
			                ", are above the limit %" PRIu64, who, i + 1, in->votes[i],
			                TV_COUNT_MAX);
	/* the box takes no ballot by a channel the manifest does not allow */
	for (i = 0; i < TV_COUNT_CHANNELS; i++)
		if (in->by_channel[i] != 0 && !(r->channels & (1u << i)))
			return tv__fail(ctx, bad, "%s: by_channel.%s is %" PRIu64 ", but the manifest "
			                "does not allow the channel %s", who, tv__channel_keys[i],
			                in->by_channel[i], tv__channel_keys[i]);
	/* a blank ballot cannot prove its total unless blanks are allowed (§15.1) */
	if (in->blank != 0 && !r->allow_blank)
		return tv__fail(ctx, bad, "%s: blank is %" PRIu64 ", but the manifest does not "
		                "allow blank ballots", who, in->blank);

	/* each term is at most 10^15: no sum below overflows */
	r->electorate = in->electorate;
	r->ballots = 0;
	for (i = 0; i < TV_COUNT_CHANNELS; i++) {
		r->by_channel[i] = in->by_channel[i];
		r->ballots += in->by_channel[i];
	}
	r->blank = in->blank;
	r->rejected_total = 0;
	for (i = 0; i < TV_SPOILT_REASONS; i++) {
		r->rejected[i] = in->rejected[i];
		r->rejected_total += in->rejected[i];
	}
	r->valid = 0;
	for (i = 0; i < r->options; i++) {
		r->votes[i] = in->votes[i];
		r->valid += in->votes[i];
	}
	if (r->ballots > r->electorate)
		return tv__fail(ctx, bad, "%s: ballots %" PRIu64 " (the sum of by_channel) are "
		                "more than the electorate %" PRIu64, who, r->ballots, r->electorate);
	sum = r->blank + r->rejected_total;
	if (sum > r->ballots)
		return tv__fail(ctx, bad, "%s: blank %" PRIu64 " + rejected %" PRIu64 " = %" PRIu64
		                " are more than the ballots %" PRIu64 " (the sum of by_channel)",
		                who, r->blank, r->rejected_total, sum, r->ballots);
	if (r->valid != r->ballots - sum)
		return tv__fail(ctx, bad, "%s: the votes add up to %" PRIu64 ", but ballots %"
		                PRIu64 " (the sum of by_channel) - blank %" PRIu64
		                " - rejected %" PRIu64 " = %" PRIu64, who, r->valid, r->ballots,
		                r->blank, r->rejected_total, r->ballots - sum);

	r->turnout_tenths = share_tenths(r->ballots, r->electorate);
	for (i = 0; i < r->options; i++)
		r->pct[i] = share_tenths(r->votes[i], r->valid);
	apply_rule(r);
	return TV_OK;
}

tv_status tv_count(tv_ctx *ctx, tv_result **out, const tv_manifest *m,
                   const tv_count_input *in)
{
	tv_result *r = NULL;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || m == NULL || in == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_count: NULL argument");
	if (in->version != TV_COUNT_INPUT_VERSION)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_count: input version %u, this library knows %d", in->version,
		                TV_COUNT_INPUT_VERSION);
	if (in->votes == NULL && in->options != 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_count: NULL votes");
	if ((status = tv__result_new(ctx, &r, m)) != TV_OK)
		return status;
	if ((status = tv__count_figures(ctx, r, in, TV_ERR_INVALID_ARGUMENT, "tv_count")) != TV_OK) {
		tv_result_free(r);
		return status;
	}
	*out = r;
	return TV_OK;
}

/* ---- accessors ---- */

const char *tv_result_election_id(const tv_result *r)
{
	return r ? r->election_id : NULL;
}

uint64_t tv_result_electorate(const tv_result *r)
{
	return r ? r->electorate : 0;
}

uint64_t tv_result_ballots(const tv_result *r)
{
	return r ? r->ballots : 0;
}

uint64_t tv_result_by_channel(const tv_result *r, uint32_t channel)
{
	if (r == NULL)
		return 0;
	for (uint32_t i = 0; i < TV_COUNT_CHANNELS; i++)
		if (channel == (1u << i))
			return r->by_channel[i];
	return 0;
}

uint64_t tv_result_blank(const tv_result *r)
{
	return r ? r->blank : 0;
}

uint64_t tv_result_rejected(const tv_result *r, tv_spoilt_reason reason)
{
	if (r == NULL || (int)reason < 1 || (int)reason > TV_SPOILT_REASONS)
		return 0;
	return r->rejected[reason - 1];
}

uint64_t tv_result_rejected_total(const tv_result *r)
{
	return r ? r->rejected_total : 0;
}

uint64_t tv_result_valid(const tv_result *r)
{
	return r ? r->valid : 0;
}

uint32_t tv_result_turnout_tenths(const tv_result *r)
{
	return r ? r->turnout_tenths : 0;
}

uint32_t tv_result_option_count(const tv_result *r)
{
	return r ? r->options : 0;
}

uint64_t tv_result_votes(const tv_result *r, uint32_t id)
{
	if (r == NULL || id < 1 || id > r->options)
		return 0;
	return r->votes[id - 1];
}

uint32_t tv_result_pct_tenths(const tv_result *r, uint32_t id)
{
	if (r == NULL || id < 1 || id > r->options)
		return 0;
	return r->pct[id - 1];
}

tv_decision tv_result_decision(const tv_result *r)
{
	return r ? r->decision : (tv_decision)0;
}

uint32_t tv_result_winner(const tv_result *r)
{
	return r ? r->winner : 0;
}
