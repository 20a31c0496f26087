/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.3-§17.6: the counting rules, result.json, the declaration and
 * EML. Pure arithmetic on public figures: no database, no randomness, no
 * floating point. Every figure is at most TV_COUNT_MAX (10^15), so every
 * product below (at most 2000·10^15 + 10^15) fits in 64 bits.
 *
 * One function (count_figures) checks the figures and applies the rules;
 * tv_count() calls it on the caller's figures, tv_result_from_json() on a
 * file's raw counts, and then compares every derived figure of the file
 * with what it computed, so that the file cannot state an outcome its own
 * counts do not give.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "json_util.h"
#include "tenantvote/count.h"

struct tv_result {
	/* the allocator, so tv_result_free() needs no context */
	void (*free_fn)(void *, void *);
	void *free_payload;

	/* from the manifest; every string points into text[] */
	uint8_t fingerprint[TV_MANIFEST_FINGERPRINT_BYTES];
	const char *election_id;
	const char *council;
	tv_text title, question;
	tv_text labels[TV_MAX_OPTIONS];
	tv_rule rule;
	uint32_t transfer_option;  /* 0: none */
	uint32_t min_turnout_tenths;
	uint32_t supermajority_tenths; /* 0: none */
	uint32_t channels;
	int allow_blank;
	int bilingual;             /* title.cy is not empty (then every cy is) */
	uint32_t options;

	/* the counts, raw */
	uint64_t electorate;
	uint64_t by_channel[TV_COUNT_CHANNELS];
	uint64_t blank;
	uint64_t rejected[TV_SPOILT_REASONS];
	uint64_t votes[TV_MAX_OPTIONS];

	/* derived (SPEC §17.3.2-§17.3.4) */
	uint64_t ballots, rejected_total, valid;
	uint32_t turnout_tenths;
	uint32_t pct[TV_MAX_OPTIONS];
	tv_decision decision;
	uint32_t winner;

	char text[];
};

/* ---- names ---- */

static const char *const channel_keys[TV_COUNT_CHANNELS] = {
	"online", "phone", "postal", "in_person",
};

/* tv_spoilt_reason_name() of 1..4 (SPEC §15.6), the keys of "rejected" */
static const char *const reason_slugs[TV_SPOILT_REASONS] = {
	"no-official-mark", "more-than-one-answer", "identifies-voter",
	"unmarked-or-void",
};

static const char *const decision_names[] = {
	NULL, "carried", "not_carried", "tie", "no_majority", "turnout_not_met",
};
#define DECISION_MAX 5

const char *tv_decision_name(tv_decision decision)
{
	if ((int)decision < 1 || (int)decision > DECISION_MAX)
		return NULL;
	return decision_names[decision];
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
static tv_status result_new(tv_ctx *ctx, tv_result **out, const tv_manifest *m)
{
	tv_manifest_options o;
	tv_result *r;
	size_t total, i;
	char *cursor;

	tv_manifest_get_options(&o, m);
	/* the manifest's texts: at most 37 of 1000 bytes (SPEC §9.2) */
	total = strlen(o.election_id) + strlen(o.council) + strlen(o.title.en) +
	        strlen(o.title.cy) + strlen(o.question.en) + strlen(o.question.cy) + 6;
	for (i = 0; i < o.option_count; i++)
		total += strlen(o.options[i].en) + strlen(o.options[i].cy) + 2;
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
static tv_status count_figures(tv_ctx *ctx, tv_result *r, const tv_count_input *in,
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
			                PRIu64, who, channel_keys[i], in->by_channel[i], TV_COUNT_MAX);
	if (in->blank > TV_COUNT_MAX)
		return tv__fail(ctx, bad, "%s: blank %" PRIu64 " is above the limit %" PRIu64,
		                who, in->blank, TV_COUNT_MAX);
	for (i = 0; i < TV_SPOILT_REASONS; i++)
		if (in->rejected[i] > TV_COUNT_MAX)
			return tv__fail(ctx, bad, "%s: rejected.%s %" PRIu64 " is above the limit %"
			                PRIu64, who, reason_slugs[i], in->rejected[i], TV_COUNT_MAX);
	for (i = 0; i < r->options; i++)
		if (in->votes[i] > TV_COUNT_MAX)
			return tv__fail(ctx, bad, "%s: the votes for option %" PRIu32 ", %" PRIu64
			                ", are above the limit %" PRIu64, who, i + 1, in->votes[i],
			                TV_COUNT_MAX);
	/* the box takes no ballot by a channel the manifest does not allow */
	for (i = 0; i < TV_COUNT_CHANNELS; i++)
		if (in->by_channel[i] != 0 && !(r->channels & (1u << i)))
			return tv__fail(ctx, bad, "%s: by_channel.%s is %" PRIu64 ", but the manifest "
			                "does not allow the channel %s", who, channel_keys[i],
			                in->by_channel[i], channel_keys[i]);
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
	if ((status = result_new(ctx, &r, m)) != TV_OK)
		return status;
	if ((status = count_figures(ctx, r, in, TV_ERR_INVALID_ARGUMENT, "tv_count")) != TV_OK) {
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

/* ---- result.json, writing (SPEC §17.4) ---- */

static json_t *count_json(uint64_t v)
{
	/* at most 10^15: exact in json_int_t */
	return json_integer((json_int_t)v);
}

static json_t *pct_json(uint32_t tenths)
{
	char s[TV_PERCENT_FORMAT_BYTES];

	tv_percent_format(s, tenths);
	return json_string(s);
}

static json_t *result_json(const tv_result *r)
{
	char hex[2 * TV_MANIFEST_FINGERPRINT_BYTES + 1];
	json_t *root = json_object(), *channels = json_object(), *rejected = json_object(),
	       *options = json_array(), *outcome = json_object();
	int bad = root == NULL || channels == NULL || rejected == NULL || options == NULL ||
	          outcome == NULL;
	uint32_t i;

	/* json_object_set_new and json_array_append_new take the value even on failure */
	for (i = 0; !bad && i < TV_COUNT_CHANNELS; i++)
		bad |= json_object_set_new(channels, channel_keys[i],
		                           count_json(r->by_channel[i])) != 0;
	for (i = 0; !bad && i < TV_SPOILT_REASONS; i++)
		bad |= json_object_set_new(rejected, reason_slugs[i],
		                           count_json(r->rejected[i])) != 0;
	for (i = 0; !bad && i < r->options; i++) {
		json_t *opt = json_object(), *label = json_object();

		bad |= json_object_set_new(label, "en", json_string(r->labels[i].en)) != 0;
		bad |= json_object_set_new(label, "cy", json_string(r->labels[i].cy)) != 0;
		bad |= json_object_set_new(opt, "id", json_integer((json_int_t)i + 1)) != 0;
		bad |= json_object_set_new(opt, "label", label) != 0;
		bad |= json_object_set_new(opt, "votes", count_json(r->votes[i])) != 0;
		bad |= json_object_set_new(opt, "pct", pct_json(r->pct[i])) != 0;
		bad |= json_array_append_new(options, opt) != 0;
	}
	bad |= json_object_set_new(outcome, "decision",
	                           json_string(tv_decision_name(r->decision))) != 0;
	bad |= json_object_set_new(outcome, "winner",
	                           r->winner ? json_integer((json_int_t)r->winner)
	                                     : json_null()) != 0;

	tv__hex_encode(hex, r->fingerprint, TV_MANIFEST_FINGERPRINT_BYTES);
	bad |= json_object_set_new(root, "format", json_string(TV_RESULT_FORMAT)) != 0;
	bad |= json_object_set_new(root, "election", json_string(hex)) != 0;
	bad |= json_object_set_new(root, "election_id", json_string(r->election_id)) != 0;
	bad |= json_object_set_new(root, "rule", json_string(tv_rule_name(r->rule))) != 0;
	bad |= json_object_set_new(root, "transfer_option",
	                           r->transfer_option
	                               ? json_integer((json_int_t)r->transfer_option)
	                               : json_null()) != 0;
	bad |= json_object_set_new(root, "min_turnout_pct",
	                           pct_json(r->min_turnout_tenths)) != 0;
	bad |= json_object_set_new(root, "supermajority_pct",
	                           r->supermajority_tenths ? pct_json(r->supermajority_tenths)
	                                                   : json_null()) != 0;
	bad |= json_object_set_new(root, "electorate", count_json(r->electorate)) != 0;
	bad |= json_object_set_new(root, "ballots", count_json(r->ballots)) != 0;
	bad |= json_object_set_new(root, "by_channel", json_incref(channels)) != 0;
	bad |= json_object_set_new(root, "blank", count_json(r->blank)) != 0;
	bad |= json_object_set_new(root, "rejected", json_incref(rejected)) != 0;
	bad |= json_object_set_new(root, "rejected_total", count_json(r->rejected_total)) != 0;
	bad |= json_object_set_new(root, "valid", count_json(r->valid)) != 0;
	bad |= json_object_set_new(root, "turnout_pct", pct_json(r->turnout_tenths)) != 0;
	bad |= json_object_set_new(root, "options", json_incref(options)) != 0;
	bad |= json_object_set_new(root, "outcome", json_incref(outcome)) != 0;
	json_decref(channels);
	json_decref(rejected);
	json_decref(options);
	json_decref(outcome);
	if (bad) {
		json_decref(root);
		return NULL;
	}
	return root;
}

tv_status tv_result_to_json(tv_ctx *ctx, char **out, size_t *len, const tv_result *r)
{
	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL || out == NULL || r == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_result_to_json: NULL argument");
	/* no JSON_ENSURE_ASCII: Welsh is written as the same UTF-8 bytes */
	return tv__json_dump(ctx, out, len, result_json(r), JSON_INDENT(2) | JSON_PRESERVE_ORDER, 1,
	                     "result.json");
}

/* ---- result.json, reading (SPEC §17.4.2) ---- */

#define PATH_BYTES 96

static tv_status wrong_type(tv_ctx *ctx, const char *path, const char *want,
                            const json_t *v)
{
	return tv__fail(ctx, TV_ERR_ENCODING, "result.json: %s: must be %s, not %s", path,
	                want, tv__json_type_name(v));
}

/* @p obj is an object holding no key outside @p keys (NULL-terminated) */
static tv_status object_with(tv_ctx *ctx, json_t *obj, const char *const *keys,
                             const char *path)
{
	const char *key;
	json_t *value;
	char q[TV_QUOTE_BYTES];

	if (!json_is_object(obj))
		return wrong_type(ctx, path, "an object", obj);
	json_object_foreach(obj, key, value) {
		size_t i;

		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (keys[i] == NULL)
			return tv__fail(ctx, TV_ERR_ENCODING, "result.json: %s: unknown key \"%s\"",
			                path, tv__quote(q, key, strlen(key)));
	}
	return TV_OK;
}

static tv_status member(tv_ctx *ctx, json_t **out, json_t *obj, const char *key,
                        const char *path)
{
	*out = json_object_get(obj, key);
	if (*out == NULL)
		return tv__fail(ctx, TV_ERR_ENCODING, "result.json: %s: missing", path);
	return TV_OK;
}

static tv_status get_string(tv_ctx *ctx, const char **out, size_t *len, json_t *obj,
                            const char *key, const char *path)
{
	json_t *v;
	tv_status status;

	if ((status = member(ctx, &v, obj, key, path)) != TV_OK)
		return status;
	if (!json_is_string(v))
		return wrong_type(ctx, path, "a string", v);
	*out = json_string_value(v);
	*len = json_string_length(v);
	return TV_OK;
}

/* an integer 0..@p max; with @p nullable, null gives 0 */
static tv_status get_uint(tv_ctx *ctx, uint64_t *out, json_t *obj, const char *key,
                          const char *path, uint64_t max, int nullable)
{
	json_t *v;
	json_int_t x;
	tv_status status;

	if ((status = member(ctx, &v, obj, key, path)) != TV_OK)
		return status;
	if (nullable && json_is_null(v)) {
		*out = 0;
		return TV_OK;
	}
	if (!json_is_integer(v))
		return wrong_type(ctx, path, nullable ? "an integer or null" : "an integer", v);
	x = json_integer_value(v);
	if (x < 0 || (uint64_t)x > max || (nullable && x == 0))
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "result.json: %s: %lld is out of range (%d to %" PRIu64 "%s)", path,
		                (long long)x, nullable ? 1 : 0, max, nullable ? ", or null" : "");
	*out = (uint64_t)x;
	return TV_OK;
}

/* SPEC §9.6.2's canonical spelling: "0.0" to "100.0" */
static int parse_pct(uint32_t *out, const char *s, size_t len)
{
	uint32_t v = 0;
	size_t digits = len - 2;

	if (len < 3 || len > 5 || s[len - 2] != '.' || s[len - 1] < '0' || s[len - 1] > '9')
		return 0;
	if (digits > 1 && s[0] == '0')
		return 0;
	for (size_t i = 0; i < digits; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	v = v * 10 + (uint32_t)(s[len - 1] - '0');
	if (v > 1000)
		return 0;
	*out = v;
	return 1;
}

/* a percentage string; with @p nullable, null gives 0 and "0.0" is refused */
static tv_status get_pct(tv_ctx *ctx, uint32_t *out, json_t *obj, const char *key,
                         const char *path, int nullable)
{
	json_t *v;
	char q[TV_QUOTE_BYTES];
	tv_status status;

	if ((status = member(ctx, &v, obj, key, path)) != TV_OK)
		return status;
	if (nullable && json_is_null(v)) {
		*out = 0;
		return TV_OK;
	}
	if (!json_is_string(v))
		return wrong_type(ctx, path, nullable ? "a string such as \"66.7\", or null"
		                                      : "a string such as \"25.0\"", v);
	if (!parse_pct(out, json_string_value(v), json_string_length(v)) ||
	    (nullable && *out == 0))
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "result.json: %s: \"%s\" is not a percentage written "
		                "\"D.D\" (0.0 to 100.0, no leading zero%s)", path,
		                tv__quote(q, json_string_value(v), json_string_length(v)),
		                nullable ? "; null for none" : "");
	return TV_OK;
}

/* what the file says; counts go to @p in, the rest here */
typedef struct file_result {
	uint8_t fingerprint[TV_MANIFEST_FINGERPRINT_BYTES];
	const char *election_id;
	size_t election_id_len;
	tv_rule rule;
	uint64_t transfer_option;
	uint32_t min_turnout_tenths, supermajority_tenths;
	uint64_t ballots, rejected_total, valid;
	uint32_t turnout_tenths;
	uint32_t options;
	tv_text labels[TV_MAX_OPTIONS];
	size_t label_len[TV_MAX_OPTIONS][2];
	uint32_t pct[TV_MAX_OPTIONS];
	tv_decision decision;
	uint64_t winner;
} file_result;

static const char *option_path(char out[PATH_BYTES], uint32_t i, const char *tail)
{
	snprintf(out, PATH_BYTES, "options[%" PRIu32 "]%s (option %" PRIu32 ")", i, tail,
	         i + 1);
	return out;
}

static tv_status read_options(tv_ctx *ctx, file_result *f, tv_count_input *in,
                              uint64_t *votes, json_t *root, uint32_t m)
{
	static const char *const keys[] = { "id", "label", "votes", "pct", NULL };
	static const char *const label_keys[] = { "en", "cy", NULL };
	char path[PATH_BYTES];
	json_t *arr, *item, *label;
	uint64_t id;
	size_t i;
	tv_status status;

	if ((status = member(ctx, &arr, root, "options", "options")) != TV_OK)
		return status;
	if (!json_is_array(arr))
		return wrong_type(ctx, "options", "an array", arr);
	if (json_array_size(arr) != m)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "result.json: options: %zu given, the manifest has %" PRIu32,
		                json_array_size(arr), m);
	json_array_foreach(arr, i, item) {
		uint32_t k = (uint32_t)i;

		if ((status = object_with(ctx, item, keys, option_path(path, k, ""))) != TV_OK ||
		    (status = get_uint(ctx, &id, item, "id", option_path(path, k, ".id"),
		                       UINT32_MAX, 0)) != TV_OK)
			return status;
		if (id != i + 1)
			return tv__fail(ctx, TV_ERR_ENCODING,
			                "result.json: %s: is %" PRIu64 "; options are numbered 1, 2, "
			                "... in order", path, id);
		if ((status = member(ctx, &label, item, "label",
		                     option_path(path, k, ".label"))) != TV_OK ||
		    (status = object_with(ctx, label, label_keys, path)) != TV_OK ||
		    (status = get_string(ctx, &f->labels[i].en, &f->label_len[i][0], label, "en",
		                         option_path(path, k, ".label.en"))) != TV_OK ||
		    (status = get_string(ctx, &f->labels[i].cy, &f->label_len[i][1], label, "cy",
		                         option_path(path, k, ".label.cy"))) != TV_OK ||
		    (status = get_uint(ctx, &votes[i], item, "votes",
		                       option_path(path, k, ".votes"), TV_COUNT_MAX, 0)) != TV_OK ||
		    (status = get_pct(ctx, &f->pct[i], item, "pct", option_path(path, k, ".pct"),
		                      0)) != TV_OK)
			return status;
	}
	f->options = m;
	in->options = m;
	in->votes = votes;
	return TV_OK;
}

/* SPEC §17.4.2 step 3: the shape (and the fingerprint), into @p f and @p in */
static tv_status read_result(tv_ctx *ctx, file_result *f, tv_count_input *in,
                             uint64_t *votes, json_t *root, const tv_result *r)
{
	static const char *const keys[] = {
		"format", "election", "election_id", "rule", "transfer_option",
		"min_turnout_pct", "supermajority_pct", "electorate", "ballots",
		"by_channel", "blank", "rejected", "rejected_total", "valid",
		"turnout_pct", "options", "outcome", NULL,
	};
	static const char *const channel_list[] = {
		"online", "phone", "postal", "in_person", NULL,
	};
	static const char *const reason_list[] = {
		"no-official-mark", "more-than-one-answer", "identifies-voter",
		"unmarked-or-void", NULL,
	};
	static const char *const outcome_keys[] = { "decision", "winner", NULL };
	char path[PATH_BYTES], q[TV_QUOTE_BYTES];
	const char *s;
	size_t len;
	json_t *obj;
	int i;
	tv_status status;

	if ((status = object_with(ctx, root, keys, "result")) != TV_OK ||
	    (status = get_string(ctx, &s, &len, root, "format", "format")) != TV_OK)
		return status;
	if (len != strlen(TV_RESULT_FORMAT) || memcmp(s, TV_RESULT_FORMAT, len) != 0)
		return tv__fail(ctx, TV_ERR_ENCODING, "result.json: format: \"%s\" is not \"%s\"",
		                tv__quote(q, s, len), TV_RESULT_FORMAT);
	if ((status = get_string(ctx, &s, &len, root, "election", "election")) != TV_OK ||
	    (status = tv__hex_decode(ctx, f->fingerprint, sizeof(f->fingerprint), s, len,
	                             "result.json: election")) != TV_OK)
		return status;
	/* another election's result: say so before anything else differs */
	if (memcmp(f->fingerprint, r->fingerprint, sizeof(f->fingerprint)) != 0) {
		char got[2 * TV_MANIFEST_FINGERPRINT_BYTES + 1], want[sizeof(got)];

		tv__hex_encode(got, f->fingerprint, sizeof(f->fingerprint));
		tv__hex_encode(want, r->fingerprint, sizeof(r->fingerprint));
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION,
		                "result.json: election: %s is not this manifest's fingerprint %s",
		                got, want);
	}
	if ((status = get_string(ctx, &f->election_id, &f->election_id_len, root,
	                         "election_id", "election_id")) != TV_OK ||
	    (status = get_string(ctx, &s, &len, root, "rule", "rule")) != TV_OK)
		return status;
	if (len == 8 && memcmp(s, "majority", 8) == 0)
		f->rule = TV_RULE_MAJORITY;
	else if (len == 9 && memcmp(s, "plurality", 9) == 0)
		f->rule = TV_RULE_PLURALITY;
	else
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "result.json: rule: \"%s\" is not a counting rule (majority or "
		                "plurality)", tv__quote(q, s, len));
	if ((status = get_uint(ctx, &f->transfer_option, root, "transfer_option",
	                       "transfer_option", TV_MAX_OPTIONS, 1)) != TV_OK ||
	    (status = get_pct(ctx, &f->min_turnout_tenths, root, "min_turnout_pct",
	                      "min_turnout_pct", 0)) != TV_OK ||
	    (status = get_pct(ctx, &f->supermajority_tenths, root, "supermajority_pct",
	                      "supermajority_pct", 1)) != TV_OK ||
	    (status = get_uint(ctx, &in->electorate, root, "electorate", "electorate",
	                       TV_COUNT_MAX, 0)) != TV_OK ||
	    (status = get_uint(ctx, &f->ballots, root, "ballots", "ballots", TV_COUNT_MAX,
	                       0)) != TV_OK ||
	    (status = member(ctx, &obj, root, "by_channel", "by_channel")) != TV_OK ||
	    (status = object_with(ctx, obj, channel_list, "by_channel")) != TV_OK)
		return status;
	for (i = 0; i < TV_COUNT_CHANNELS; i++) {
		snprintf(path, sizeof(path), "by_channel.%s", channel_keys[i]);
		if ((status = get_uint(ctx, &in->by_channel[i], obj, channel_keys[i], path,
		                       TV_COUNT_MAX, 0)) != TV_OK)
			return status;
	}
	if ((status = get_uint(ctx, &in->blank, root, "blank", "blank", TV_COUNT_MAX, 0)) != TV_OK ||
	    (status = member(ctx, &obj, root, "rejected", "rejected")) != TV_OK ||
	    (status = object_with(ctx, obj, reason_list, "rejected")) != TV_OK)
		return status;
	for (i = 0; i < TV_SPOILT_REASONS; i++) {
		snprintf(path, sizeof(path), "rejected.%s", reason_slugs[i]);
		if ((status = get_uint(ctx, &in->rejected[i], obj, reason_slugs[i], path,
		                       TV_COUNT_MAX, 0)) != TV_OK)
			return status;
	}
	if ((status = get_uint(ctx, &f->rejected_total, root, "rejected_total",
	                       "rejected_total", TV_COUNT_MAX, 0)) != TV_OK ||
	    (status = get_uint(ctx, &f->valid, root, "valid", "valid", TV_COUNT_MAX,
	                       0)) != TV_OK ||
	    (status = get_pct(ctx, &f->turnout_tenths, root, "turnout_pct", "turnout_pct",
	                      0)) != TV_OK ||
	    (status = read_options(ctx, f, in, votes, root, r->options)) != TV_OK ||
	    (status = member(ctx, &obj, root, "outcome", "outcome")) != TV_OK ||
	    (status = object_with(ctx, obj, outcome_keys, "outcome")) != TV_OK ||
	    (status = get_string(ctx, &s, &len, obj, "decision", "outcome.decision")) != TV_OK)
		return status;
	f->decision = 0;
	for (i = 1; i <= DECISION_MAX; i++)
		if (len == strlen(decision_names[i]) && memcmp(s, decision_names[i], len) == 0)
			f->decision = (tv_decision)i;
	if (f->decision == 0)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "result.json: outcome.decision: \"%s\" is not a decision (carried, "
		                "not_carried, tie, no_majority or turnout_not_met)", tv__quote(q, s, len));
	return get_uint(ctx, &f->winner, obj, "winner", "outcome.winner", r->options, 1);
}

static int text_is(const char *s, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(s, want, len) == 0;
}

/* SPEC §17.4.2 step 4: what the file copies from the manifest */
static tv_status check_copies(tv_ctx *ctx, const file_result *f, const tv_result *r)
{
	char path[PATH_BYTES], q[TV_QUOTE_BYTES], a[TV_PERCENT_FORMAT_BYTES],
		b[TV_PERCENT_FORMAT_BYTES];
	uint32_t i;

	if (!text_is(f->election_id, f->election_id_len, r->election_id))
		return tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                "result.json: election_id: \"%s\" is not the manifest's \"%s\"",
		                tv__quote(q, f->election_id, f->election_id_len), r->election_id);
	if (f->rule != r->rule)
		return tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                "result.json: rule: \"%s\" is not the manifest's \"%s\"",
		                tv_rule_name(f->rule), tv_rule_name(r->rule));
	if (f->transfer_option != r->transfer_option)
		return tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                "result.json: transfer_option: %" PRIu64 " is not the manifest's %"
		                PRIu32 " (0: null)", f->transfer_option, r->transfer_option);
	if (f->min_turnout_tenths != r->min_turnout_tenths) {
		tv_percent_format(a, f->min_turnout_tenths);
		tv_percent_format(b, r->min_turnout_tenths);
		return tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                "result.json: min_turnout_pct: \"%s\" is not the manifest's \"%s\"",
		                a, b);
	}
	if (f->supermajority_tenths != r->supermajority_tenths) {
		tv_percent_format(a, f->supermajority_tenths);
		tv_percent_format(b, r->supermajority_tenths);
		return tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                "result.json: supermajority_pct: %s is not the manifest's %s "
		                "(0.0: null)", a, b);
	}
	for (i = 0; i < r->options; i++) {
		if (!text_is(f->labels[i].en, f->label_len[i][0], r->labels[i].en))
			return tv__fail(ctx, TV_ERR_PROOF_INVALID,
			                "result.json: %s: not the manifest's text",
			                option_path(path, i, ".label.en"));
		if (!text_is(f->labels[i].cy, f->label_len[i][1], r->labels[i].cy))
			return tv__fail(ctx, TV_ERR_PROOF_INVALID,
			                "result.json: %s: not the manifest's text",
			                option_path(path, i, ".label.cy"));
	}
	return TV_OK;
}

static tv_status derived_differs(tv_ctx *ctx, const char *path, uint64_t file,
                                 uint64_t counted, const char *how)
{
	return tv__fail(ctx, TV_ERR_PROOF_INVALID,
	                "result.json: %s: %" PRIu64 " in the file, the counts give %" PRIu64 "%s",
	                path, file, counted, how);
}

static tv_status pct_differs(tv_ctx *ctx, const char *path, uint32_t file, uint32_t counted)
{
	char a[TV_PERCENT_FORMAT_BYTES], b[TV_PERCENT_FORMAT_BYTES];

	tv_percent_format(a, file);
	tv_percent_format(b, counted);
	return tv__fail(ctx, TV_ERR_PROOF_INVALID,
	                "result.json: %s: \"%s\" in the file, the counts give \"%s\"", path, a, b);
}

/* SPEC §17.4.2 step 6: every derived figure, in the file's order */
static tv_status check_derived(tv_ctx *ctx, const file_result *f, const tv_result *r)
{
	char path[PATH_BYTES];
	uint32_t i;

	if (f->ballots != r->ballots)
		return derived_differs(ctx, "ballots", f->ballots, r->ballots,
		                       " (the sum of by_channel)");
	if (f->rejected_total != r->rejected_total)
		return derived_differs(ctx, "rejected_total", f->rejected_total,
		                       r->rejected_total, " (the sum of rejected)");
	if (f->valid != r->valid)
		return derived_differs(ctx, "valid", f->valid, r->valid,
		                       " (the sum of the options' votes)");
	if (f->turnout_tenths != r->turnout_tenths)
		return pct_differs(ctx, "turnout_pct", f->turnout_tenths, r->turnout_tenths);
	for (i = 0; i < r->options; i++)
		if (f->pct[i] != r->pct[i])
			return pct_differs(ctx, option_path(path, i, ".pct"), f->pct[i], r->pct[i]);
	if (f->decision != r->decision)
		return tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                "result.json: outcome.decision: \"%s\" in the file, the counts "
		                "give \"%s\"", tv_decision_name(f->decision),
		                tv_decision_name(r->decision));
	if (f->winner != r->winner) {
		char a[24], b[24];

		snprintf(a, sizeof(a), f->winner ? "%" PRIu64 : "null", f->winner);
		snprintf(b, sizeof(b), r->winner ? "%" PRIu32 : "null", r->winner);
		return tv__fail(ctx, TV_ERR_PROOF_INVALID,
		                "result.json: outcome.winner: %s in the file, the counts give %s",
		                a, b);
	}
	return TV_OK;
}

tv_status tv_result_from_json(tv_ctx *ctx, tv_result **out, const tv_manifest *m,
                              const char *json, size_t len)
{
	tv_count_input in = TV_COUNT_INPUT_INIT;
	uint64_t votes[TV_MAX_OPTIONS] = { 0 };
	file_result f;
	json_error_t err;
	json_t *root = NULL;
	tv_result *r = NULL;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || m == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_result_from_json: NULL argument");
	memset(&f, 0, sizeof(f));
	if (len > TV_RESULT_JSON_MAX)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "result.json: %zu bytes, more than the %d allowed", len,
		                TV_RESULT_JSON_MAX);
	root = json_loadb(json ? json : "", len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		char reason[TV_QUOTE_BYTES];

		if (json_error_code(&err) == json_error_out_of_memory)
			return tv__fail(ctx, TV_ERR_NOMEM, "result.json: out of memory");
		return tv__fail(ctx, TV_ERR_ENCODING, "result.json, line %d column %d: %s",
		                err.line, err.column, tv__quote(reason, err.text, strlen(err.text)));
	}
	/* the manifest's copy first: the reader checks the file against it */
	if ((status = result_new(ctx, &r, m)) != TV_OK ||
	    (status = read_result(ctx, &f, &in, votes, root, r)) != TV_OK ||
	    (status = check_copies(ctx, &f, r)) != TV_OK ||
	    (status = count_figures(ctx, r, &in, TV_ERR_PROOF_INVALID, "result.json")) != TV_OK ||
	    (status = check_derived(ctx, &f, r)) != TV_OK)
		goto out;
	*out = r;
	r = NULL;
out:
	tv_result_free(r);
	json_decref(root);
	return status;
}

/* ---- text output: a growing buffer ---- */

typedef struct text_buf {
	tv_ctx *ctx;
	char *p;
	size_t len, cap;
	int failed;
} text_buf;

static void put(text_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = tv__realloc(b->ctx, b->p, cap);
		if (p == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(text_buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putf(text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(text_buf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* only numbers and short fixed words go through here */
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->failed = 1;
		return;
	}
	put(b, tmp, (size_t)n);
}

/* XML character data or attribute value: & < > " ' escaped */
static void put_xml(text_buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = NULL;

		switch (*s) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&apos;"; break;
		}
		if (esc != NULL) {
			put(b, run, (size_t)(s - run));
			puts_(b, esc);
			run = s + 1;
		}
	}
	put(b, run, (size_t)(s - run));
}

static tv_status finish(text_buf *b, char **out, size_t *len, const char *what)
{
	if (b->failed) {
		tv__free(b->ctx, b->p);
		return tv__fail(b->ctx, TV_ERR_NOMEM, "cannot allocate the %s", what);
	}
	*out = b->p;
	if (len != NULL)
		*len = b->len;
	return TV_OK;
}

/* ---- the declaration (SPEC §17.5) ---- */

typedef struct lang {
	int welsh;
	const char *heading, *question, *electorate, *received;
	const char *channels[TV_COUNT_CHANNELS];
	const char *turnout, *blank, *rejected;
	const char *reasons[TV_SPOILT_REASONS];
	const char *valid, *vote, *votes;
} lang;

static const lang english = {
	0, "DECLARATION OF RESULT", "Question", "Electorate", "Ballot papers received",
	{ "Online", "Phone", "Postal", "In person" },
	"Turnout", "Blank ballot papers", "Rejected ballot papers",
	{ "Want of official mark", "Voting for more than one answer",
	  "Writing or mark by which the voter could be identified",
	  "Unmarked or void for uncertainty" },
	"Valid votes", "vote", "votes",
};

static const lang welsh = {
	1, "DATGANIAD O\u2019R CANLYNIAD", "Cwestiwn", "Etholwyr",
	"Papurau pleidleisio a dderbyniwyd",
	{ "Ar-lein", "Ff\u00f4n", "Post", "Yn bersonol" },
	"Nifer a bleidleisiodd", "Papurau gwag", "Papurau a wrthodwyd",
	{ "Heb farc swyddogol", "Pleidleisio dros fwy nag un ateb",
	  "Ysgrifen neu farc y gellid adnabod y pleidleisiwr wrtho",
	  "Heb ei farcio neu\u2019n ddi-rym oherwydd ansicrwydd" },
	/* Welsh keeps the singular noun after a numeral */
	"Pleidleisiau dilys", "pleidlais", "pleidlais",
};

static const char *text_in(const tv_text *t, int welsh_text)
{
	return welsh_text && t->cy[0] != '\0' ? t->cy : t->en;
}

/* “label” of option @p id */
static void put_label(text_buf *b, const tv_result *r, uint32_t id, int welsh_text)
{
	puts_(b, "\u201c");
	puts_(b, text_in(&r->labels[id - 1], welsh_text));
	puts_(b, "\u201d");
}

static void put_tenths(text_buf *b, uint32_t tenths)
{
	char s[TV_PERCENT_FORMAT_BYTES];

	tv_percent_format(s, tenths);
	puts_(b, s);
}

static void put_pct(text_buf *b, uint32_t tenths)
{
	put_tenths(b, tenths);
	puts_(b, "%");
}

/* the options tied for the most votes: “A”, “B” and “C” */
static void put_tied(text_buf *b, const tv_result *r, const lang *L)
{
	uint64_t top = 0;
	uint32_t i, count = 0, done = 0;

	for (i = 0; i < r->options; i++)
		top = r->votes[i] > top ? r->votes[i] : top;
	for (i = 0; i < r->options; i++)
		count += r->votes[i] == top;
	for (i = 1; i <= r->options; i++) {
		if (r->votes[i - 1] != top)
			continue;
		if (done > 0)
			puts_(b, done + 1 == count ? (L->welsh ? " a " : " and ") : ", ");
		put_label(b, r, i, L->welsh);
		done++;
	}
}

static void outcome_en(text_buf *b, const tv_result *r)
{
	const uint32_t t = r->transfer_option, S = r->supermajority_tenths;
	const uint32_t w = r->winner;

	if (r->decision == TV_DECISION_TURNOUT_NOT_MET) {
		puts_(b, "The turnout of ");
		put_pct(b, r->turnout_tenths);
		puts_(b, " is below the minimum turnout of ");
		put_pct(b, r->min_turnout_tenths);
		puts_(b, ", so the ballot does not decide the question.\n");
	} else if (r->valid == 0) {
		puts_(b, "There are no valid votes.\n");
	} else if (r->rule == TV_RULE_MAJORITY) {
		put_label(b, r, t, 0);
		if (r->decision == TV_DECISION_CARRIED && S == 0) {
			puts_(b, " received more than half of the valid votes.\n");
		} else if (r->decision == TV_DECISION_CARRIED) {
			puts_(b, " received at least ");
			put_pct(b, S);
			puts_(b, " of the valid votes, the share required.\n");
		} else if (r->decision == TV_DECISION_TIE) {
			puts_(b, " received exactly half of the valid votes: the vote is TIED, "
			         "and a tie does not carry the transfer.\n");
		} else if (S == 0) {
			puts_(b, " did not receive more than half of the valid votes.\n");
		} else {
			puts_(b, " did not receive the ");
			put_pct(b, S);
			puts_(b, " of the valid votes required.\n");
		}
		if (w != 0 && w != t) {
			put_label(b, r, w, 0);
			puts_(b, " received more than half of the valid votes.\n");
		}
	} else if (r->decision == TV_DECISION_TIE) {
		put_tied(b, r, &english);
		puts_(b, " received the same, highest number of votes: the vote is TIED, "
		         "and a tie is not broken.\n");
	} else if (r->decision == TV_DECISION_NO_MAJORITY) {
		uint32_t top = 1;

		for (uint32_t i = 2; i <= r->options; i++)
			top = r->votes[i - 1] > r->votes[top - 1] ? i : top;
		put_label(b, r, top, 0);
		puts_(b, " received the most votes but not the ");
		put_pct(b, S);
		puts_(b, " of the valid votes required.\n");
	} else {
		put_label(b, r, w, 0);
		if (S == 0) {
			puts_(b, " received the most votes.\n");
		} else {
			puts_(b, " received the most votes and at least ");
			put_pct(b, S);
			puts_(b, " of the valid votes, the share required.\n");
		}
	}
	if (t != 0) {
		puts_(b, r->decision == TV_DECISION_CARRIED
		             ? "The proposal to transfer is CARRIED.\n"
		             : "The proposal to transfer is NOT CARRIED.\n");
	} else if (r->decision == TV_DECISION_CARRIED) {
		put_label(b, r, w, 0);
		puts_(b, " is CARRIED.\n");
	} else {
		puts_(b, "No option is carried.\n");
	}
}

static void outcome_cy(text_buf *b, const tv_result *r)
{
	const uint32_t t = r->transfer_option, S = r->supermajority_tenths;
	const uint32_t w = r->winner;

	if (r->decision == TV_DECISION_TURNOUT_NOT_MET) {
		puts_(b, "Mae\u2019r nifer a bleidleisiodd, ");
		put_pct(b, r->turnout_tenths);
		puts_(b, ", yn is na\u2019r isafswm o ");
		put_pct(b, r->min_turnout_tenths);
		puts_(b, ", felly nid yw\u2019r bleidlais yn penderfynu\u2019r cwestiwn.\n");
	} else if (r->valid == 0) {
		puts_(b, "Nid oes unrhyw bleidleisiau dilys.\n");
	} else if (r->rule == TV_RULE_MAJORITY) {
		if (r->decision == TV_DECISION_CARRIED && S == 0) {
			puts_(b, "Cafodd ");
			put_label(b, r, t, 1);
			puts_(b, " fwy na hanner y pleidleisiau dilys.\n");
		} else if (r->decision == TV_DECISION_CARRIED) {
			puts_(b, "Cafodd ");
			put_label(b, r, t, 1);
			puts_(b, " o leiaf ");
			put_pct(b, S);
			puts_(b, " o\u2019r pleidleisiau dilys, y gyfran sy\u2019n ofynnol.\n");
		} else if (r->decision == TV_DECISION_TIE) {
			puts_(b, "Cafodd ");
			put_label(b, r, t, 1);
			puts_(b, " union hanner y pleidleisiau dilys: mae\u2019r bleidlais yn "
			         "GYFARTAL, ac nid yw pleidlais gyfartal yn cymeradwyo\u2019r "
			         "trosglwyddiad.\n");
		} else if (S == 0) {
			puts_(b, "Ni chafodd ");
			put_label(b, r, t, 1);
			puts_(b, " fwy na hanner y pleidleisiau dilys.\n");
		} else {
			puts_(b, "Ni chafodd ");
			put_label(b, r, t, 1);
			puts_(b, " y ");
			put_pct(b, S);
			puts_(b, " o\u2019r pleidleisiau dilys sy\u2019n ofynnol.\n");
		}
		if (w != 0 && w != t) {
			puts_(b, "Cafodd ");
			put_label(b, r, w, 1);
			puts_(b, " fwy na hanner y pleidleisiau dilys.\n");
		}
	} else if (r->decision == TV_DECISION_TIE) {
		puts_(b, "Cafodd ");
		put_tied(b, r, &welsh);
		puts_(b, " yr un nifer uchaf o bleidleisiau: mae\u2019r bleidlais yn GYFARTAL, "
		         "ac ni chaiff y cyfartaledd ei dorri.\n");
	} else if (r->decision == TV_DECISION_NO_MAJORITY) {
		uint32_t top = 1;

		for (uint32_t i = 2; i <= r->options; i++)
			top = r->votes[i - 1] > r->votes[top - 1] ? i : top;
		puts_(b, "Cafodd ");
		put_label(b, r, top, 1);
		puts_(b, " y nifer fwyaf o bleidleisiau, ond nid y ");
		put_pct(b, S);
		puts_(b, " o\u2019r pleidleisiau dilys sy\u2019n ofynnol.\n");
	} else {
		puts_(b, "Cafodd ");
		put_label(b, r, w, 1);
		if (S == 0) {
			puts_(b, " y nifer fwyaf o bleidleisiau.\n");
		} else {
			puts_(b, " y nifer fwyaf o bleidleisiau, ac o leiaf ");
			put_pct(b, S);
			puts_(b, " o\u2019r pleidleisiau dilys, y gyfran sy\u2019n ofynnol.\n");
		}
	}
	if (t != 0) {
		puts_(b, r->decision == TV_DECISION_CARRIED
		             ? "Mae\u2019r cynnig i drosglwyddo WEDI\u2019I DDERBYN.\n"
		             : "Mae\u2019r cynnig i drosglwyddo HEB EI DDERBYN.\n");
	} else if (r->decision == TV_DECISION_CARRIED) {
		puts_(b, "Mae ");
		put_label(b, r, w, 1);
		puts_(b, " WEDI\u2019I DDERBYN.\n");
	} else {
		puts_(b, "Nid oes unrhyw ddewis wedi\u2019i dderbyn.\n");
	}
}

static void declare_in(text_buf *b, const tv_result *r, const lang *L)
{
	uint32_t i;

	puts_(b, L->heading);
	puts_(b, "\n");
	puts_(b, r->council);
	puts_(b, "\n");
	puts_(b, text_in(&r->title, L->welsh));
	puts_(b, "\n");
	puts_(b, L->question);
	puts_(b, ": ");
	puts_(b, text_in(&r->question, L->welsh));
	puts_(b, "\n\n");

	puts_(b, L->electorate);
	putf(b, ": %" PRIu64 "\n", r->electorate);
	puts_(b, L->received);
	putf(b, ": %" PRIu64 "\n", r->ballots);
	for (i = 0; i < TV_COUNT_CHANNELS; i++) {
		if (!(r->channels & (1u << i)))
			continue;
		puts_(b, "  ");
		puts_(b, L->channels[i]);
		putf(b, ": %" PRIu64 "\n", r->by_channel[i]);
	}
	puts_(b, L->turnout);
	puts_(b, ": ");
	put_pct(b, r->turnout_tenths);
	puts_(b, "\n");
	puts_(b, L->blank);
	putf(b, ": %" PRIu64 "\n", r->blank);
	puts_(b, L->rejected);
	putf(b, ": %" PRIu64 "\n", r->rejected_total);
	for (i = 0; i < TV_SPOILT_REASONS; i++) {
		puts_(b, "  ");
		puts_(b, L->reasons[i]);
		putf(b, ": %" PRIu64 "\n", r->rejected[i]);
	}
	puts_(b, L->valid);
	putf(b, ": %" PRIu64 "\n\n", r->valid);

	for (i = 1; i <= r->options; i++) {
		puts_(b, text_in(&r->labels[i - 1], L->welsh));
		putf(b, ": %" PRIu64 " ", r->votes[i - 1]);
		puts_(b, r->votes[i - 1] == 1 ? L->vote : L->votes);
		puts_(b, " (");
		put_pct(b, r->pct[i - 1]);
		puts_(b, ")\n");
	}
	puts_(b, "\n");
	if (L->welsh)
		outcome_cy(b, r);
	else
		outcome_en(b, r);
}

tv_status tv_result_declaration(tv_ctx *ctx, char **out, size_t *len, const tv_result *r)
{
	text_buf b = { ctx, NULL, 0, 0, 0 };

	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL || out == NULL || r == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_result_declaration: NULL argument");
	declare_in(&b, r, &english);
	if (r->bilingual) {
		puts_(&b, "\n");
		declare_in(&b, r, &welsh);
	}
	return finish(&b, out, len, "declaration");
}

/* ---- EML (SPEC §17.6) ---- */

static void eml_head(text_buf *b, const tv_result *r, int id)
{
	puts_(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	putf(b, "<EML xmlns=\"urn:oasis:names:tc:evs:schema:eml\" Id=\"%d\" "
	        "SchemaVersion=\"7.0\">\n", id);
	puts_(b, "  <TransactionId>");
	put_xml(b, r->election_id);
	putf(b, "-%d</TransactionId>\n", id);
}

static void eml_identifiers(text_buf *b, const tv_result *r, const char *indent)
{
	puts_(b, indent);
	puts_(b, "<ElectionIdentifier Id=\"");
	put_xml(b, r->election_id);
	puts_(b, "\">\n");
	puts_(b, indent);
	puts_(b, "  <ElectionName>");
	put_xml(b, r->title.en);
	puts_(b, "</ElectionName>\n");
	puts_(b, indent);
	puts_(b, "</ElectionIdentifier>\n");
}

static void eml_contest_id(text_buf *b, const tv_result *r, const char *indent)
{
	puts_(b, indent);
	puts_(b, "<ContestIdentifier Id=\"1\">\n");
	puts_(b, indent);
	puts_(b, "  <ContestName>");
	put_xml(b, r->question.en);
	puts_(b, "</ContestName>\n");
	puts_(b, indent);
	puts_(b, "</ContestIdentifier>\n");
}

static void eml_option(text_buf *b, const tv_result *r, uint32_t id, const char *indent)
{
	puts_(b, indent);
	putf(b, "<ReferendumOptionIdentifier Id=\"%" PRIu32 "\">", id);
	put_xml(b, r->labels[id - 1].en);
	puts_(b, "</ReferendumOptionIdentifier>\n");
}

static void eml_510(text_buf *b, const tv_result *r)
{
	uint32_t i;

	eml_head(b, r, 510);
	puts_(b, "  <Count>\n    <EventIdentifier Id=\"");
	put_xml(b, r->election_id);
	puts_(b, "\"/>\n    <Election>\n");
	eml_identifiers(b, r, "      ");
	puts_(b, "      <Contests>\n        <Contest>\n");
	eml_contest_id(b, r, "          ");
	puts_(b, "          <TotalVotes>\n");
	for (i = 1; i <= r->options; i++) {
		puts_(b, "            <Selection>\n");
		eml_option(b, r, i, "              ");
		putf(b, "              <ValidVotes>%" PRIu64 "</ValidVotes>\n", r->votes[i - 1]);
		puts_(b, "            </Selection>\n");
	}
	putf(b, "            <Cast>%" PRIu64 "</Cast>\n", r->ballots);
	putf(b, "            <TotalCounted>%" PRIu64 "</TotalCounted>\n", r->ballots);
	for (i = 0; i < TV_SPOILT_REASONS; i++) {
		puts_(b, "            <RejectedVotes ReasonCode=\"");
		puts_(b, reason_slugs[i]);
		puts_(b, "\" Reason=\"");
		puts_(b, english.reasons[i]);
		putf(b, "\">%" PRIu64 "</RejectedVotes>\n", r->rejected[i]);
	}
	putf(b, "            <RejectedVotes ReasonCode=\"blank\" Reason=\"Blank ballot "
	        "paper\">%" PRIu64 "</RejectedVotes>\n", r->blank);
	putf(b, "            <CountMetric Id=\"electorate\" Type=\"Electorate\">%" PRIu64
	        "</CountMetric>\n", r->electorate);
	puts_(b, "            <CountMetric Id=\"turnout\" Type=\"TurnoutPercentage\">");
	put_tenths(b, r->turnout_tenths);
	puts_(b, "</CountMetric>\n");
	for (i = 0; i < TV_COUNT_CHANNELS; i++)
		putf(b, "            <CountMetric Id=\"%s\" Type=\"BallotsReceived\">%" PRIu64
		        "</CountMetric>\n", channel_keys[i], r->by_channel[i]);
	puts_(b, "          </TotalVotes>\n        </Contest>\n      </Contests>\n"
	         "    </Election>\n  </Count>\n</EML>\n");
}

static void eml_520(text_buf *b, const tv_result *r)
{
	uint32_t i;

	eml_head(b, r, 520);
	puts_(b, "  <Result>\n    <Election>\n");
	eml_identifiers(b, r, "      ");
	puts_(b, "      <Contest>\n");
	eml_contest_id(b, r, "        ");
	for (i = 1; i <= r->options; i++) {
		puts_(b, "        <Selection>\n");
		eml_option(b, r, i, "          ");
		puts_(b, i == r->winner ? "          <Elected>yes</Elected>\n"
		                        : "          <Elected>no</Elected>\n");
		puts_(b, "        </Selection>\n");
	}
	puts_(b, "      </Contest>\n    </Election>\n  </Result>\n</EML>\n");
}

tv_status tv_result_eml(tv_ctx *ctx, char **out, size_t *len, const tv_result *r,
                        tv_eml_message which)
{
	text_buf b = { ctx, NULL, 0, 0, 0 };

	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL || out == NULL || r == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_result_eml: NULL argument");
	if (which == TV_EML_COUNT)
		eml_510(&b, r);
	else if (which == TV_EML_RESULT)
		eml_520(&b, r);
	else
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_result_eml: message %d is not 510 or 520", (int)which);
	return finish(&b, out, len, "EML message");
}
