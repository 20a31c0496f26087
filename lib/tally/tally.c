/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.1–§17.2: the tally (the encrypted totals, which
 *   aggregate.c adds up), its JSON, and the trustees' decryption of it.
 *   partial decryption of each sum: §16.1, context F || u32be(l)
 */
#include <string.h>

#include <jansson.h>

#include "json_util.h"
#include "tally_internal.h"
#include "tenantvote/tally.h"

#define TALLY_FORMAT "tenantvote-tally/1"
#define DECRYPTION_FORMAT "tenantvote-decryption/1"

static const char *const channel_keys[4] = { "online", "phone", "postal", "in_person" };

tv_tally *tv__tally_new(tv_ctx *ctx)
{
	tv_tally *t = tv__calloc(ctx, 1, sizeof(*t));

	if (t != NULL)
		t->ctx = ctx;
	return t;
}

void tv_tally_free(tv_tally *tally)
{
	if (tally != NULL)
		tv__free(tally->ctx, tally);
}

void tv_tally_get_info(tv_tally_info *out, const tv_tally *tally)
{
	*out = tally->info;
}

const tv_ciphertext *tv_tally_sum(const tv_tally *tally, uint32_t id)
{
	if (tally == NULL || id < 1 || id > tally->info.options || !tally->have_sum[id - 1])
		return NULL;
	return &tally->sum[id - 1];
}

int tv__channel_index(uint32_t channel)
{
	for (int c = 0; c < 4; c++)
		if (channel == (1u << c))
			return c;
	return -1;
}

/* ------------------------------------------------------------------ JSON */

tv_status tv_tally_to_json(tv_ctx *ctx, char **out, const tv_tally *t)
{
	json_t *root, *spoilt, *channels, *sums;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || t == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_tally_to_json: NULL argument");
	spoilt = json_object();
	channels = json_object();
	sums = json_array();
	for (int r = 1; r <= TV_SPOILT_REASONS; r++)
		json_object_set_new(spoilt, tv_spoilt_reason_name((tv_spoilt_reason)r),
		                    json_integer((json_int_t)t->info.spoilt[r - 1]));
	for (int c = 0; c < 4; c++)
		json_object_set_new(channels, channel_keys[c],
		                    json_integer((json_int_t)t->info.by_channel[c]));
	for (uint32_t i = 0; i < t->info.options; i++)
		json_array_append_new(sums, json_pack("{s:o, s:o}", "alpha",
		                                      tv__json_hex(t->sum[i].alpha.bytes, TV_POINT_BYTES),
		                                      "beta",
		                                      tv__json_hex(t->sum[i].beta.bytes, TV_POINT_BYTES)));
	root = json_pack("{s:s, s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:o}", "format", TALLY_FORMAT,
	                 "election", tv__json_hex(t->info.election, 32), "head", tv__json_hex(t->info.head, 32),
	                 "entries", (json_int_t)t->info.entries, "electorate",
	                 (json_int_t)t->info.electorate, "ballots", (json_int_t)t->info.ballots,
	                 "spoilt", spoilt, "by_channel", channels, "sums", sums);
	return tv__json_dump(ctx, out, NULL, root, JSON_COMPACT | JSON_PRESERVE_ORDER, 0, "the tally");
}

static tv_status get_hex(tv_ctx *ctx, uint8_t *out, size_t len, json_t *obj, const char *key,
                         const char *what)
{
	char w[160];

	snprintf(w, sizeof(w), "%s: %s", what, key);
	return tv__json_get_hex(ctx, out, len, json_object_get(obj, key), w);
}

static tv_status get_point(tv_ctx *ctx, tv_point *out, json_t *obj, const char *key,
                           const char *what)
{
	char w[160];

	snprintf(w, sizeof(w), "%s: %s", what, key);
	return tv__json_get_point(ctx, out, json_object_get(obj, key), w);
}

static tv_status get_scalar(tv_ctx *ctx, tv_scalar *out, json_t *obj, const char *key,
                            const char *what)
{
	char w[160];

	snprintf(w, sizeof(w), "%s: %s", what, key);
	return tv__json_get_scalar(ctx, out, json_object_get(obj, key), w);
}

static tv_status get_count(tv_ctx *ctx, uint64_t *out, json_t *obj, const char *key,
                           const char *what)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > TV_COUNT_MAX)
		return tv__fail(ctx, TV_ERR_ENCODING, "%s: %s must be a count from 0", what, key);
	*out = (uint64_t)json_integer_value(v);
	return TV_OK;
}

static tv_status check_format(tv_ctx *ctx, json_t *root, const char *format, const char *what)
{
	json_t *v = json_object_get(root, "format");

	if (!json_is_string(v) || strcmp(json_string_value(v), format) != 0)
		return tv__fail(ctx, TV_ERR_ENCODING, "%s: format is not \"%s\"", what, format);
	return TV_OK;
}

tv_status tv_tally_from_json(tv_ctx *ctx, tv_tally **out, const char *json, size_t len)
{
	static const char *const keys[] = { "format", "election", "head", "entries", "electorate",
	                                    "ballots", "spoilt", "by_channel", "sums" };
	static const char *const sum_keys[] = { "alpha", "beta" };
	static const char *w = "tally";
	tv_tally *t = NULL;
	json_t *root, *v;
	tv_status status = TV_OK;
	uint64_t total = 0, spoilt = 0;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_tally_from_json: NULL argument");
	if ((root = tv__json_load(ctx, json, len, TV_TALLY_JSON_MAX, w, &status)) == NULL)
		return status;
	if ((t = tv__tally_new(ctx)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a tally");
		goto out;
	}
	if ((status = tv__json_exact_keys(ctx, root, w, "the tally", keys, 9)) != TV_OK ||
	    (status = check_format(ctx, root, TALLY_FORMAT, w)) != TV_OK ||
	    (status = get_hex(ctx, t->info.election, 32, root, "election", w)) != TV_OK ||
	    (status = get_hex(ctx, t->info.head, 32, root, "head", w)) != TV_OK ||
	    (status = get_count(ctx, &t->info.entries, root, "entries", w)) != TV_OK ||
	    (status = get_count(ctx, &t->info.electorate, root, "electorate", w)) != TV_OK ||
	    (status = get_count(ctx, &t->info.ballots, root, "ballots", w)) != TV_OK)
		goto out;
	v = json_object_get(root, "spoilt");
	{
		const char *names[TV_SPOILT_REASONS];

		for (int r = 0; r < TV_SPOILT_REASONS; r++)
			names[r] = tv_spoilt_reason_name((tv_spoilt_reason)(r + 1));
		if ((status = tv__json_exact_keys(ctx, v, w, "spoilt", names, TV_SPOILT_REASONS)) != TV_OK)
			goto out;
		for (int r = 0; r < TV_SPOILT_REASONS; r++)
			if ((status = get_count(ctx, &t->info.spoilt[r], v, names[r], "tally: spoilt")) != TV_OK)
				goto out;
	}
	v = json_object_get(root, "by_channel");
	if ((status = tv__json_exact_keys(ctx, v, w, "by_channel", channel_keys, 4)) != TV_OK)
		goto out;
	for (int c = 0; c < 4; c++) {
		if ((status = get_count(ctx, &t->info.by_channel[c], v, channel_keys[c],
		                        "tally: by_channel")) != TV_OK)
			goto out;
		total += t->info.by_channel[c];
	}
	for (int r = 0; r < TV_SPOILT_REASONS; r++)
		spoilt += t->info.spoilt[r];
	if (spoilt > total || total - spoilt != t->info.ballots) {
		status = tv__fail(ctx, TV_ERR_ENCODING,
		                  "tally: ballots and spoilt papers do not add up to by_channel");
		goto out;
	}
	v = json_object_get(root, "sums");
	if (!json_is_array(v) || json_array_size(v) < 2 || json_array_size(v) > TV_MAX_OPTIONS) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "tally: sums must list 2 to %d options",
		                  TV_MAX_OPTIONS);
		goto out;
	}
	t->info.options = (uint32_t)json_array_size(v);
	for (uint32_t i = 0; i < t->info.options; i++) {
		json_t *s = json_array_get(v, i);
		char name[24], where[40];

		snprintf(name, sizeof(name), "sums[%u]", i);
		snprintf(where, sizeof(where), "tally: %s", name);
		if ((status = tv__json_exact_keys(ctx, s, w, name, sum_keys, 2)) != TV_OK ||
		    (status = get_point(ctx, &t->sum[i].alpha, s, "alpha", where)) != TV_OK ||
		    (status = get_point(ctx, &t->sum[i].beta, s, "beta", where)) != TV_OK)
			goto out;
		t->have_sum[i] = 1;
	}
	*out = t;
	t = NULL;
out:
	json_decref(root);
	tv_tally_free(t);
	return status;
}

/* ------------------------------------------------------------ decryption */

tv_status tv_tally_decrypt(tv_ctx *ctx, char **out, const tv_tally *t, const tv_trustee *trustee,
                           const uint8_t fingerprint[32])
{
	json_t *parts, *root;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || t == NULL || trustee == NULL || fingerprint == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_tally_decrypt: NULL argument");
	if (memcmp(fingerprint, t->info.election, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the tally is of another election");
	if ((parts = json_array()) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot write the decryption");
	for (uint32_t i = 0; i < t->info.options; i++) {
		tv_partial_decryption pd;

		if ((status = tv_partial_decrypt(ctx, &pd, trustee, &t->sum[i], fingerprint)) != TV_OK) {
			json_decref(parts);
			return status;
		}
		json_array_append_new(parts, json_pack("{s:o, s:{s:o, s:o, s:o}}", "share",
		                                       tv__json_hex(pd.share.bytes, TV_POINT_BYTES), "proof",
		                                       "a1", tv__json_hex(pd.proof.commitment1.bytes, TV_POINT_BYTES),
		                                       "a2", tv__json_hex(pd.proof.commitment2.bytes, TV_POINT_BYTES),
		                                       "response", tv__json_hex(pd.proof.response.bytes, 32)));
	}
	root = json_pack("{s:s, s:o, s:I, s:o}", "format", DECRYPTION_FORMAT, "election",
	                 tv__json_hex(fingerprint, 32), "trustee", (json_int_t)tv_trustee_index(trustee),
	                 "parts", parts);
	return tv__json_dump(ctx, out, NULL, root, JSON_COMPACT | JSON_PRESERVE_ORDER, 0,
	                     "the decryption");
}

/* one trustee's decryption: parts[i] for option i + 1 */
static tv_status read_decryption(tv_ctx *ctx, tv_partial_decryption *parts, uint32_t options,
                                 const uint8_t f[32], const char *json, size_t index)
{
	static const char *const keys[] = { "format", "election", "trustee", "parts" };
	static const char *const part_keys[] = { "share", "proof" };
	static const char *const proof_keys[] = { "a1", "a2", "response" };
	uint8_t election[32];
	json_t *root, *v;
	char w[64];
	tv_status status = TV_OK;
	json_int_t l;

	snprintf(w, sizeof(w), "decryption %zu", index + 1);
	if ((root = tv__json_load(ctx, json, strlen(json), TV_TALLY_JSON_MAX, w, &status)) == NULL)
		return status;
	if ((status = tv__json_exact_keys(ctx, root, w, "the decryption", keys, 4)) != TV_OK ||
	    (status = check_format(ctx, root, DECRYPTION_FORMAT, w)) != TV_OK ||
	    (status = get_hex(ctx, election, 32, root, "election", w)) != TV_OK)
		goto out;
	if (memcmp(election, f, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "%s is for another election", w);
		goto out;
	}
	v = json_object_get(root, "trustee");
	if (!json_is_integer(v) || (l = json_integer_value(v)) < 1 || l > TV_CEREMONY_MAX_TRUSTEES) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "%s: trustee must be 1 to %d", w,
		                  TV_CEREMONY_MAX_TRUSTEES);
		goto out;
	}
	snprintf(w, sizeof(w), "trustee %lld's decryption", (long long)l);
	v = json_object_get(root, "parts");
	if (!json_is_array(v) || json_array_size(v) != options) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "%s must have %u parts, one per option", w,
		                  options);
		goto out;
	}
	for (uint32_t i = 0; i < options; i++) {
		json_t *p = json_array_get(v, i), *proof;
		char pw[96];

		snprintf(pw, sizeof(pw), "%s, part %u", w, i + 1);
		parts[i].trustee = (uint32_t)l;
		if ((status = tv__json_exact_keys(ctx, p, pw, "the part", part_keys, 2)) != TV_OK ||
		    (status = get_point(ctx, &parts[i].share, p, "share", pw)) != TV_OK)
			goto out;
		proof = json_object_get(p, "proof");
		if ((status = tv__json_exact_keys(ctx, proof, pw, "proof", proof_keys, 3)) != TV_OK ||
		    (status = get_point(ctx, &parts[i].proof.commitment1, proof, "a1", pw)) != TV_OK ||
		    (status = get_point(ctx, &parts[i].proof.commitment2, proof, "a2", pw)) != TV_OK ||
		    (status = get_scalar(ctx, &parts[i].proof.response, proof, "response", pw)) != TV_OK)
			goto out;
	}
out:
	json_decref(root);
	return status;
}

tv_status tv_tally_combine(tv_ctx *ctx, tv_result **out, uint64_t *totals, const tv_tally *t,
                           const tv_manifest *manifest, const tv_election_key *key,
                           const char *const *decryptions, size_t count)
{
	tv_partial_decryption *parts = NULL, *row = NULL;
	tv_count_input in = TV_COUNT_INPUT_INIT;
	uint64_t votes[TV_MAX_OPTIONS], sum = 0;
	uint8_t f[32];
	uint32_t m;
	tv_status status = TV_OK;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || t == NULL || manifest == NULL || key == NULL ||
	    (decryptions == NULL && count != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_tally_combine: NULL argument");
	tv_manifest_fingerprint(f, manifest);
	if (memcmp(f, t->info.election, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the tally is of another election");
	m = t->info.options;
	if (m != tv_manifest_option_count(manifest))
		return tv__fail(ctx, TV_ERR_ENCODING, "the tally has %u options, the election %zu", m,
		                tv_manifest_option_count(manifest));
	if (count < key->threshold)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "%zu trustees' decryptions; at least %u are needed", count,
		                key->threshold);
	parts = tv__calloc(ctx, count * m, sizeof(*parts));
	row = tv__calloc(ctx, count, sizeof(*row));
	if (parts == NULL || row == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot hold the decryptions");
		goto out;
	}
	for (size_t j = 0; j < count; j++) {
		if (decryptions[j] == NULL) {
			status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "decryption %zu is NULL", j + 1);
			goto out;
		}
		if ((status = read_decryption(ctx, parts + j * m, m, f, decryptions[j], j)) != TV_OK)
			goto out;
	}
	for (uint32_t i = 0; i < m; i++) {
		uint32_t v = 0;

		for (size_t j = 0; j < count; j++)
			row[j] = parts[j * m + i];
		if (t->info.ballots > UINT32_MAX) {
			status = tv__fail(ctx, TV_ERR_RANGE_INVALID, "too many ballots to decrypt");
			goto out;
		}
		if ((status = tv_decrypt_combine(ctx, &v, &t->sum[i], row, count, key, f,
		                                 (uint32_t)t->info.ballots)) != TV_OK) {
			tv__fail(ctx, status, "option %u: %s", i + 1, tv_ctx_last_error(ctx));
			goto out;
		}
		votes[i] = v;
		sum += v;
	}
	if (sum > t->info.ballots) {
		status = tv__fail(ctx, TV_ERR_RANGE_INVALID, "the totals (%llu) exceed the ballots "
		                  "counted (%llu)", (unsigned long long)sum,
		                  (unsigned long long)t->info.ballots);
		goto out;
	}
	in.electorate = t->info.electorate;
	for (int c = 0; c < 4; c++)
		in.by_channel[c] = t->info.by_channel[c];
	in.blank = t->info.ballots - sum;
	for (int r = 0; r < TV_SPOILT_REASONS; r++)
		in.rejected[r] = t->info.spoilt[r];
	in.options = m;
	in.votes = votes;
	if ((status = tv_count(ctx, out, manifest, &in)) != TV_OK)
		goto out;
	if (totals != NULL)
		memcpy(totals, votes, m * sizeof(*votes));
out:
	tv__free(ctx, parts);
	tv__free(ctx, row);
	return status;
}
