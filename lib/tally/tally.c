/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.1–§17.2: the tally (the encrypted totals, which
 *   aggregate.c adds up), its JSON, and the trustees' decryption of it.
 *   partial decryption of each sum: §16.1, context F || u32be(l)
 */
#include <string.h>

#include <jansson.h>

#include "json_util.h"
#include "result_internal.h"
#include "tally_internal.h"
#include "tenantvote/tally.h"

#define TALLY_FORMAT "tenantvote-tally/1"
#define DECRYPTION_FORMAT "tenantvote-decryption/1"


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

void tv__tally_mark_verified(tv_tally *t, const uint8_t context[32], const tv_election_key *key)
{
	t->verified = 1;
	memcpy(t->context, context, 32);
	t->key = *key;
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
		json_object_set_new(channels, tv__channel_keys[c],
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

tv_status tv_tally_from_json(tv_ctx *ctx, tv_tally **out, const char *json, size_t len)
{
	static const char *const keys[] = { "format", "election", "head", "entries", "electorate",
	                                    "ballots", "spoilt", "by_channel", "sums" };
	static const char *const sum_keys[] = { "alpha", "beta" };
	const char *names[TV_SPOILT_REASONS];
	tv_tally *t = NULL;
	tv__jr r;
	json_t *root, *v;
	char path[TV_JR_PATH_BYTES];
	tv_status status = TV_OK;
	uint64_t total = 0, spoilt = 0;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_tally_from_json: NULL argument");
	tv__jr_init(&r, ctx, TV_OK, "tally");
	if ((root = tv__jr_load(&r, &status, json, len, TV_TALLY_JSON_MAX)) == NULL)
		return status;
	if ((t = tv__tally_new(ctx)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a tally");
		goto out;
	}
	if ((status = tv__jr_keys(&r, root, NULL, keys, 9, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, TALLY_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(&r, t->info.election, 32, root, "election", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, t->info.head, 32, root, "head", NULL)) != TV_OK ||
	    (status = tv__jr_uint(&r, &t->info.entries, root, "entries", NULL, 0,
	                          TV_COUNT_MAX)) != TV_OK ||
	    (status = tv__jr_uint(&r, &t->info.electorate, root, "electorate", NULL, 0,
	                          TV_COUNT_MAX)) != TV_OK ||
	    (status = tv__jr_uint(&r, &t->info.ballots, root, "ballots", NULL, 0,
	                          TV_COUNT_MAX)) != TV_OK)
		goto out;
	for (int i = 0; i < TV_SPOILT_REASONS; i++)
		names[i] = tv_spoilt_reason_name((tv_spoilt_reason)(i + 1));
	if ((status = tv__jr_object(&r, &v, root, "spoilt", NULL, names, TV_SPOILT_REASONS,
	                            1)) != TV_OK)
		goto out;
	for (int i = 0; i < TV_SPOILT_REASONS; i++)
		if ((status = tv__jr_uint(&r, &t->info.spoilt[i], v, names[i], "spoilt", 0,
		                          TV_COUNT_MAX)) != TV_OK)
			goto out;
	if ((status = tv__jr_object(&r, &v, root, "by_channel", NULL, tv__channel_keys, TV_COUNT_CHANNELS, 1)) != TV_OK)
		goto out;
	for (int c = 0; c < 4; c++) {
		if ((status = tv__jr_uint(&r, &t->info.by_channel[c], v, tv__channel_keys[c], "by_channel",
		                          0, TV_COUNT_MAX)) != TV_OK)
			goto out;
		total += t->info.by_channel[c];
	}
	for (int i = 0; i < TV_SPOILT_REASONS; i++)
		spoilt += t->info.spoilt[i];
	if (spoilt > total || total - spoilt != t->info.ballots) {
		status = tv__jr_fail(&r, NULL, "ballots and spoilt papers do not add up to by_channel");
		goto out;
	}
	if ((status = tv__jr_array(&r, &v, root, "sums", NULL, 2, TV_MAX_OPTIONS)) != TV_OK)
		goto out;
	t->info.options = (uint32_t)json_array_size(v);
	for (uint32_t i = 0; i < t->info.options; i++) {
		json_t *sum;

		tv__jr_item(path, "sums", i);
		if ((status = tv__jr_object(&r, &sum, json_array_get(v, i), NULL, path, sum_keys, 2,
		                            1)) != TV_OK ||
		    (status = tv__jr_point(&r, &t->sum[i].alpha, sum, "alpha", path)) != TV_OK ||
		    (status = tv__jr_point(&r, &t->sum[i].beta, sum, "beta", path)) != TV_OK)
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
	/* SPEC §16.3: never sums someone else computed, from the box or a file */
	if (!t->verified)
		return tv__fail(ctx, TV_ERR_STATE, "a trustee decrypts only the sums of a record it "
		                "has checked itself (tv_record_tally), not a tally it was given");
	if (memcmp(fingerprint, t->info.election, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the tally is of another election");
	/* §11.6: the list and authority this trustee's ceremony endorsed */
	if (memcmp(tv__trustee_context(trustee), t->context, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the record's credential list is not the "
		                "one this trustee's key ceremony was bound to: it was changed or "
		                "replaced after the ceremony, so its sums are not decrypted");
	/* §16.3: the record's ceremony is the one this trustee took part in,
	 * not one run by others with the same context */
	{
		uint32_t l = tv_trustee_index(trustee);
		tv_scalar share;
		tv_point mine, k;

		status = tv_trustee_share(ctx, &share, &mine, &k, trustee);
		tv_scalar_wipe(&share);
		if (status != TV_OK)
			return status;
		if (l < 1 || l > t->key.trustees || !tv_point_equal(&k, &t->key.key) ||
		    !tv_point_equal(&mine, &t->key.verification_key[l - 1]))
			return tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the record's key ceremony is not the "
			                "one trustee %u took part in: its election key or its verification "
			                "key for trustee %u is not this trustee's, so its sums are not "
			                "decrypted", l, l);
	}
	if ((parts = json_array()) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot write the decryption");
	for (uint32_t i = 0; i < t->info.options; i++) {
		tv_partial_decryption pd;

		if ((status = tv__partial_decrypt(ctx, &pd, trustee, &t->sum[i], fingerprint)) != TV_OK) {
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
	tv__jr r;
	json_t *root, *v;
	tv_status status = TV_OK;
	uint64_t l;

	tv__jr_init(&r, ctx, TV_OK, "decryption %zu", index + 1);
	if ((root = tv__jr_load(&r, &status, json, strlen(json), TV_TALLY_JSON_MAX)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 4, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, DECRYPTION_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(&r, election, 32, root, "election", NULL)) != TV_OK)
		goto out;
	if (memcmp(election, f, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "%s is for another election", r.what);
		goto out;
	}
	if ((status = tv__jr_uint(&r, &l, root, "trustee", NULL, 1,
	                          TV_CEREMONY_MAX_TRUSTEES)) != TV_OK)
		goto out;
	/* from here on the decryption speaks for its trustee */
	tv__jr_init(&r, ctx, TV_OK, "trustee %u's decryption", (unsigned)l);
	if ((status = tv__jr_array(&r, &v, root, "parts", NULL, options, options)) != TV_OK)
		goto out;
	for (uint32_t i = 0; i < options; i++) {
		char path[TV_JR_PATH_BYTES], sub[TV_JR_PATH_BYTES];
		json_t *p, *proof;

		tv__jr_item(path, "parts", i);
		tv__jr_path(sub, path, "proof");
		parts[i].trustee = (uint32_t)l;
		if ((status = tv__jr_object(&r, &p, json_array_get(v, i), NULL, path, part_keys, 2,
		                            1)) != TV_OK ||
		    (status = tv__jr_point(&r, &parts[i].share, p, "share", path)) != TV_OK ||
		    (status = tv__jr_object(&r, &proof, p, "proof", path, proof_keys, 3, 1)) != TV_OK ||
		    (status = tv__jr_point(&r, &parts[i].proof.commitment1, proof, "a1",
		                           sub)) != TV_OK ||
		    (status = tv__jr_point(&r, &parts[i].proof.commitment2, proof, "a2",
		                           sub)) != TV_OK ||
		    (status = tv__jr_scalar(&r, &parts[i].proof.response, proof, "response",
		                            sub)) != TV_OK)
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
	/* the cheap checks before any decryption is read or proof verified */
	if (count > key->trustees)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "%zu trustees' decryptions, but the election has %u trustees", count,
		                key->trustees);
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
		if (parts[j * m].trustee > key->trustees) {
			status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
			                  "a partial decryption from trustee %u, of %u trustees",
			                  parts[j * m].trustee, key->trustees);
			goto out;
		}
		for (size_t i = 0; i < j; i++)
			if (parts[i * m].trustee == parts[j * m].trustee) {
				status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
				                  "trustee %u's partial decryption is given twice",
				                  parts[j * m].trustee);
				goto out;
			}
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
