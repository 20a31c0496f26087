/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.4, §17.4.2: result.json. tv_result_to_json() writes the
 * canonical bytes; tv_result_from_json() reads a file strictly, recounts
 * its raw counts with the rules (rules.c) and refuses the file unless
 * every copy of the manifest and every derived figure in it is what the
 * recount gives.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "json_util.h"
#include "result_internal.h"

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
		bad |= json_object_set_new(channels, tv__channel_keys[i],
		                           count_json(r->by_channel[i])) != 0;
	for (i = 0; !bad && i < TV_SPOILT_REASONS; i++)
		bad |= json_object_set_new(rejected, tv__reason_slugs[i],
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

/* ---- result.json, reading (SPEC §17.4.2), through the typed reader ---- */

#define PATH_BYTES 96

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
/* SPEC §17.4.2 step 3, the options: exactly m, numbered 1, 2, ... in order */
static tv_status read_options(tv__jr *jr, file_result *f, tv_count_input *in, uint64_t *votes,
                              json_t *root, uint32_t m)
{
	static const char *const keys[] = { "id", "label", "votes", "pct" };
	static const char *const label_keys[] = { "en", "cy" };
	char item_path[TV_JR_PATH_BYTES], label_path[TV_JR_PATH_BYTES], path[TV_JR_PATH_BYTES];
	json_t *arr, *item, *label;
	uint64_t id;
	size_t i;
	tv_status status;

	if ((status = tv__jr_array(jr, &arr, root, "options", NULL, 0, SIZE_MAX)) != TV_OK)
		return status;
	if (json_array_size(arr) != m)
		return tv__jr_fail(jr, "options", "%zu given, the manifest has %" PRIu32,
		                   json_array_size(arr), m);
	json_array_foreach(arr, i, item) {
		tv__jr_item(item_path, "options", i);
		if ((status = tv__jr_object(jr, &item, item, NULL, item_path, keys, 4, 0)) != TV_OK ||
		    (status = tv__jr_uint(jr, &id, item, "id", item_path, 0, UINT32_MAX)) != TV_OK)
			return status;
		if (id != i + 1)
			return tv__jr_fail(jr, tv__jr_path(path, item_path, "id"),
			                   "is %" PRIu64 "; options are numbered 1, 2, ... in order", id);
		tv__jr_path(label_path, item_path, "label");
		if ((status = tv__jr_object(jr, &label, item, "label", item_path, label_keys, 2,
		                            0)) != TV_OK ||
		    (status = tv__jr_string(jr, &f->labels[i].en, &f->label_len[i][0], label, "en",
		                            label_path, SIZE_MAX)) != TV_OK ||
		    (status = tv__jr_string(jr, &f->labels[i].cy, &f->label_len[i][1], label, "cy",
		                            label_path, SIZE_MAX)) != TV_OK ||
		    (status = tv__jr_uint(jr, &votes[i], item, "votes", item_path, 0,
		                          TV_COUNT_MAX)) != TV_OK ||
		    (status = tv__jr_percent(jr, &f->pct[i], item, "pct", item_path)) != TV_OK)
			return status;
	}
	f->options = m;
	in->options = m;
	in->votes = votes;
	return TV_OK;
}

/* a count 0..TV_COUNT_MAX */
static tv_status read_count(tv__jr *jr, uint64_t *out, json_t *obj, const char *key,
                            const char *parent)
{
	return tv__jr_uint(jr, out, obj, key, parent, 0, TV_COUNT_MAX);
}

/* SPEC §17.4.2 step 3: the shape (and the fingerprint), into @p f and @p in */
static tv_status read_result(tv__jr *jr, file_result *f, tv_count_input *in, uint64_t *votes,
                             json_t *root, const tv_result *r)
{
	static const char *const keys[] = {
		"format", "election", "election_id", "rule", "transfer_option",
		"min_turnout_pct", "supermajority_pct", "electorate", "ballots",
		"by_channel", "blank", "rejected", "rejected_total", "valid",
		"turnout_pct", "options", "outcome",
	};
	static const char *const rules[] = { "majority", "plurality" };
	static const char *const outcome_keys[] = { "decision", "winner" };
	tv_ctx *ctx = jr->ctx;
	json_t *obj;
	size_t which;
	int is_null;
	int i;
	tv_status status;

	if ((status = tv__jr_keys(jr, root, NULL, keys, sizeof(keys) / sizeof(keys[0]), 0)) != TV_OK ||
	    (status = tv__jr_format(jr, root, NULL, TV_RESULT_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(jr, f->fingerprint, sizeof(f->fingerprint), root, "election",
	                         NULL)) != TV_OK)
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
	if ((status = tv__jr_string(jr, &f->election_id, &f->election_id_len, root, "election_id",
	                            NULL, SIZE_MAX)) != TV_OK ||
	    (status = tv__jr_enum(jr, &which, root, "rule", NULL, rules, 2)) != TV_OK)
		return status;
	f->rule = which == 0 ? TV_RULE_MAJORITY : TV_RULE_PLURALITY;
	/* null is the one spelling of none: 0 is refused */
	if ((status = tv__jr_uint_or_null(jr, &f->transfer_option, &is_null, root, "transfer_option",
	                                  NULL, 1, TV_MAX_OPTIONS)) != TV_OK ||
	    (status = tv__jr_percent(jr, &f->min_turnout_tenths, root, "min_turnout_pct",
	                             NULL)) != TV_OK ||
	    (status = tv__jr_percent_or_null(jr, &f->supermajority_tenths, &is_null, root,
	                                     "supermajority_pct", NULL)) != TV_OK)
		return status;
	if (!is_null && f->supermajority_tenths == 0)
		return tv__jr_fail(jr, "supermajority_pct", "\"0.0\" is no supermajority: null for none");
	if ((status = read_count(jr, &in->electorate, root, "electorate", NULL)) != TV_OK ||
	    (status = read_count(jr, &f->ballots, root, "ballots", NULL)) != TV_OK ||
	    (status = tv__jr_object(jr, &obj, root, "by_channel", NULL, tv__channel_keys,
	                            TV_COUNT_CHANNELS, 0)) != TV_OK)
		return status;
	for (i = 0; i < TV_COUNT_CHANNELS; i++)
		if ((status = read_count(jr, &in->by_channel[i], obj, tv__channel_keys[i],
		                         "by_channel")) != TV_OK)
			return status;
	if ((status = read_count(jr, &in->blank, root, "blank", NULL)) != TV_OK ||
	    (status = tv__jr_object(jr, &obj, root, "rejected", NULL, tv__reason_slugs,
	                            TV_SPOILT_REASONS, 0)) != TV_OK)
		return status;
	for (i = 0; i < TV_SPOILT_REASONS; i++)
		if ((status = read_count(jr, &in->rejected[i], obj, tv__reason_slugs[i],
		                         "rejected")) != TV_OK)
			return status;
	if ((status = read_count(jr, &f->rejected_total, root, "rejected_total", NULL)) != TV_OK ||
	    (status = read_count(jr, &f->valid, root, "valid", NULL)) != TV_OK ||
	    (status = tv__jr_percent(jr, &f->turnout_tenths, root, "turnout_pct", NULL)) != TV_OK ||
	    (status = read_options(jr, f, in, votes, root, r->options)) != TV_OK ||
	    (status = tv__jr_object(jr, &obj, root, "outcome", NULL, outcome_keys, 2, 0)) != TV_OK ||
	    (status = tv__jr_enum(jr, &which, obj, "decision", "outcome", tv__decision_names + 1,
	                          TV__DECISION_MAX)) != TV_OK)
		return status;
	f->decision = (tv_decision)(which + 1);
	return tv__jr_uint_or_null(jr, &f->winner, &is_null, obj, "winner", "outcome", 1,
	                           r->options);
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
	tv__jr jr;
	json_t *root = NULL;
	tv_result *r = NULL;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || m == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_result_from_json: NULL argument");
	memset(&f, 0, sizeof(f));
	tv__jr_init(&jr, ctx, TV_OK, "result.json");
	if ((root = tv__jr_load(&jr, &status, json, len, TV_RESULT_JSON_MAX)) == NULL)
		return status;
	/* the manifest's copy first: the reader checks the file against it */
	if ((status = tv__result_new(ctx, &r, m)) != TV_OK ||
	    (status = read_result(&jr, &f, &in, votes, root, r)) != TV_OK ||
	    (status = check_copies(ctx, &f, r)) != TV_OK ||
	    (status = tv__count_figures(ctx, r, &in, TV_ERR_PROOF_INVALID, "result.json")) != TV_OK ||
	    (status = check_derived(ctx, &f, r)) != TV_OK)
		goto out;
	*out = r;
	r = NULL;
out:
	tv_result_free(r);
	json_decref(root);
	return status;
}
