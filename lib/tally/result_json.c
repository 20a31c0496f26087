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
		snprintf(path, sizeof(path), "by_channel.%s", tv__channel_keys[i]);
		if ((status = get_uint(ctx, &in->by_channel[i], obj, tv__channel_keys[i], path,
		                       TV_COUNT_MAX, 0)) != TV_OK)
			return status;
	}
	if ((status = get_uint(ctx, &in->blank, root, "blank", "blank", TV_COUNT_MAX, 0)) != TV_OK ||
	    (status = member(ctx, &obj, root, "rejected", "rejected")) != TV_OK ||
	    (status = object_with(ctx, obj, reason_list, "rejected")) != TV_OK)
		return status;
	for (i = 0; i < TV_SPOILT_REASONS; i++) {
		snprintf(path, sizeof(path), "rejected.%s", tv__reason_slugs[i]);
		if ((status = get_uint(ctx, &in->rejected[i], obj, tv__reason_slugs[i], path,
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
	for (i = 1; i <= TV__DECISION_MAX; i++)
		if (len == strlen(tv__decision_names[i]) && memcmp(s, tv__decision_names[i], len) == 0)
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
	if ((status = tv__result_new(ctx, &r, m)) != TV_OK ||
	    (status = read_result(ctx, &f, &in, votes, root, r)) != TV_OK ||
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
