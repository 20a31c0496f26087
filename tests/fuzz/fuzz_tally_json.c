/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The readers of the count's JSON (SPEC §17.1, §17.2): tv_tally_from_json()
 * (tally.json's "tally") and the partial-decryption reader inside
 * tv_tally_combine() (tally.json's "decryptions", one per trustee).
 *
 * Once per process, on the deterministic generator of SPEC §7 (seed
 * "tenantvote/v1/fuzz/tally"): a three-option plurality election with
 * blank ballots, 2 of 3 trustees, an honest key ceremony; an honest tally
 * (sums encrypting 2, 1 and 0 votes, 4 ballots and 1 spoilt paper) and
 * each trustee's honest decryption of it. Seeds refer to them.
 *
 * Input: byte 0 = operation (b mod 3) and slot (b / 3 mod 3); the rest is
 * the JSON text.
 *
 *   0  tv_tally_from_json() of the text; if it reads and is of this
 *      election with 3 options and at most 64 ballots (tv_tally_combine's
 *      search for a total is linear in the ballots), combined with the
 *      honest decryptions of trustees 1 and 2, and decrypted again by
 *      trustees 1 and 2 and combined
 *   1  the text (NUL-terminated, as the API takes it) as the decryption in
 *      slot (mod 2) of {trustee 1's, trustee 2's}, combined with the
 *      honest tally
 *   2  the same in slot of {trustee 1's, trustee 2's, trustee 3's}
 *
 * Properties, for every input:
 *  - the status is TV_OK or a rejection the API documents for untrusted
 *    input, recorded on the context with a message; a refusal leaves the
 *    output NULL. For a decryption, a share or proof element that does not
 *    decode gives §2's status (POINT_INVALID, SCALAR_RANGE), as every
 *    reader of points and scalars does (tally.h lists ENCODING only);
 *  - an accepted tally keeps its invariants (2..16 sums of valid points,
 *    every count at most TV_COUNT_MAX, ballots + spoilt = by_channel) and
 *    round-trips: to_json -> from_json -> to_json gives the same bytes;
 *  - a decryption proof does not move to another ciphertext: a tally
 *    whose alphas are not the honest ones never combines with the honest
 *    decryptions (TV_ERR_PROOF_INVALID); with the honest sums, the totals
 *    are the honest ones and the result is tv_count() of the tally's
 *    figures;
 *  - forging a decryption is infeasible: whatever set of decryptions
 *    combines gives exactly the honest totals and result; a decrypted
 *    total is never out of range with honest proofs;
 *  - honest trustees' decryptions of any valid tally of the election
 *    always pass their proofs.
 *
 * Writing the seed corpus: TV_FUZZ_TALLY_CORPUS=DIR fuzz_tally_json
 * --iterations 0 writes the files of tests/fuzz/corpus/fuzz_tally_json
 * into DIR (made from the same fixture).
 */
#include <string.h>

#include <jansson.h>

#include "fuzz_common.h"
#include "tally_internal.h"
#include "tenantvote/tally.h"

#define TRUSTEES 3
#define THRESHOLD 2
#define OPTIONS 3
#define MAX_COMBINED_BALLOTS 64

static const char seed[] = "tenantvote/v1/fuzz/tally";
static const uint64_t honest_votes[OPTIONS] = { 2, 1, 0 };

static struct {
	int ready;
	tv_manifest *m;
	uint8_t f[32];
	tv_election_key key;
	tv_trustee *trustee[TRUSTEES];
	tv_tally *tally;
	tv_tally_info info;
	char *tally_json;              /* tv_tally_to_json() of the honest tally */
	char *decryption[TRUSTEES];    /* trustee l's at [l - 1] */
	char *result_json;             /* the honest result */
} fx;

static char *copy_text(tv_ctx *ctx, char *text)
{
	size_t len = strlen(text) + 1;
	char *copy = malloc(len);

	FUZZ_CHECK(copy != NULL);
	memcpy(copy, text, len);
	tv_free(ctx, text);
	return copy;
}

static void free_fixture(void)
{
	for (int i = 0; i < TRUSTEES; i++) {
		tv_trustee_free(fx.trustee[i]);
		free(fx.decryption[i]);
	}
	tv_tally_free(fx.tally);
	tv_manifest_free(fx.m);
	free(fx.tally_json);
	free(fx.result_json);
	memset(&fx, 0, sizeof(fx));
}

static void make_manifest(tv_ctx *ctx)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;

	o.election_id = "fuzz-tally";
	o.council = "Fuzzshire Council";
	o.landlord = "Fuzzshire Mutual";
	o.title.en = "Ballot";
	o.question.en = "Who should own the homes?";
	o.option_count = OPTIONS;
	o.options[0].en = "Council";
	o.options[1].en = "Association";
	o.options[2].en = "Mutual";
	o.transfer_option = 3;
	o.rule = TV_RULE_PLURALITY;
	o.allow_blank = 1;
	o.channels = TV_CHANNEL_ONLINE | TV_CHANNEL_POSTAL;
	o.opens = 1800000000;
	o.closes = 1801000000;
	o.trustees = TRUSTEES;
	o.threshold = THRESHOLD;
	FUZZ_CHECK(tv_manifest_new(ctx, &fx.m, &o) == TV_OK);
	tv_manifest_fingerprint(fx.f, fx.m);
}

static void run_ceremony(tv_ctx *ctx)
{
	char *commit[TRUSTEES], *reveal[TRUSTEES], *result[TRUSTEES];
	int i;

	for (i = 0; i < TRUSTEES; i++)
		FUZZ_CHECK(tv_trustee_new(ctx, &fx.trustee[i], fx.f, (uint32_t)i + 1, TRUSTEES,
		                          THRESHOLD) == TV_OK);
	for (i = 0; i < TRUSTEES; i++)
		FUZZ_CHECK(tv_trustee_commit(ctx, &commit[i], fx.trustee[i]) == TV_OK);
	for (i = 0; i < TRUSTEES; i++)
		FUZZ_CHECK(tv_trustee_reveal(ctx, &reveal[i], fx.trustee[i],
		                             (const char *const *)commit, TRUSTEES) == TV_OK);
	for (i = 0; i < TRUSTEES; i++)
		FUZZ_CHECK(tv_trustee_combine(ctx, &result[i], NULL, fx.trustee[i],
		                              (const char *const *)commit, TRUSTEES,
		                              (const char *const *)reveal, TRUSTEES) == TV_OK);
	FUZZ_CHECK(tv_ceremony_verify(ctx, &fx.key, fx.f, TRUSTEES, THRESHOLD,
	                              (const char *const *)commit, TRUSTEES,
	                              (const char *const *)reveal, TRUSTEES,
	                              (const char *const *)result, TRUSTEES) == TV_OK);
	for (i = 0; i < TRUSTEES; i++) {
		tv_free(ctx, commit[i]);
		tv_free(ctx, reveal[i]);
		tv_free(ctx, result[i]);
	}
}

static json_t *hex_json(const uint8_t *b, size_t len)
{
	char buf[2 * TV_POINT_BYTES + 1];

	tv__hex_encode(buf, b, len);
	return json_string(buf);
}

/* the honest tally, written out by hand and read back */
static void make_tally(tv_ctx *ctx)
{
	uint8_t head[32];
	json_t *sums = json_array(), *root;
	char *text;
	tv_tally *t = NULL;

	FUZZ_CHECK(tv__random_bytes(ctx, head, sizeof(head)) == TV_OK);
	for (int i = 0; i < OPTIONS; i++) {
		tv_ciphertext ct;
		tv_scalar r;

		FUZZ_CHECK(tv_elgamal_encrypt(ctx, &ct, &r, &fx.key.key,
		                              (uint32_t)honest_votes[i]) == TV_OK);
		tv_scalar_wipe(&r);
		json_array_append_new(sums, json_pack("{s:o, s:o}", "alpha",
		                                      hex_json(ct.alpha.bytes, TV_POINT_BYTES), "beta",
		                                      hex_json(ct.beta.bytes, TV_POINT_BYTES)));
	}
	/* 4 ballots (one blank) and a spoilt paper from 10 electors, 6 entries */
	root = json_pack("{s:s, s:o, s:o, s:i, s:i, s:i, "
	                 "s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i, s:i}, s:o}",
	                 "format", "tenantvote-tally/1", "election", hex_json(fx.f, 32), "head",
	                 hex_json(head, 32), "entries", 6, "electorate", 10, "ballots", 4,
	                 "spoilt", "no-official-mark", 1, "more-than-one-answer", 0,
	                 "identifies-voter", 0, "unmarked-or-void", 0,
	                 "by_channel", "online", 3, "phone", 0, "postal", 2, "in_person", 0,
	                 "sums", sums);
	FUZZ_CHECK(root != NULL);
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	FUZZ_CHECK(text != NULL);
	FUZZ_CHECK(tv_tally_from_json(ctx, &t, text, strlen(text)) == TV_OK);
	free(text);
	json_decref(root);
	fx.tally = t;
	tv_tally_get_info(&fx.info, t);
	FUZZ_CHECK(tv_tally_to_json(ctx, &text, t) == TV_OK);
	fx.tally_json = copy_text(ctx, text);
}

static void setup(tv_ctx *ctx)
{
	tv_result *r = NULL;
	uint64_t totals[OPTIONS];
	char *text;

	FUZZ_CHECK(tv__ctx_set_deterministic(ctx, (const uint8_t *)seed, sizeof(seed) - 1) == TV_OK);
	make_manifest(ctx);
	run_ceremony(ctx);
	make_tally(ctx);
	/* as if added up from a checked record (tv_record_tally): the fuzzer
	 * exercises the decryptions' reader and combine, not the record */
	tv__tally_mark_verified(fx.tally, fx.f, &fx.key);
	for (int i = 0; i < TRUSTEES; i++) {
		FUZZ_CHECK(tv_tally_decrypt(ctx, &text, fx.tally, fx.trustee[i], fx.f) == TV_OK);
		fx.decryption[i] = copy_text(ctx, text);
	}
	FUZZ_CHECK(tv_tally_combine(ctx, &r, totals, fx.tally, fx.m, &fx.key,
	                            (const char *const *)fx.decryption, THRESHOLD) == TV_OK);
	FUZZ_CHECK(memcmp(totals, honest_votes, sizeof(totals)) == 0);
	FUZZ_CHECK(tv_result_to_json(ctx, &text, NULL, r) == TV_OK);
	fx.result_json = copy_text(ctx, text);
	tv_result_free(r);
	FUZZ_CHECK(atexit(free_fixture) == 0);
	fx.ready = 1;
}

/* ------------------------------------------------------------ properties */

static int is_tally_status(tv_status st)
{
	return st == TV_OK || st == TV_ERR_ENCODING || st == TV_ERR_POINT_INVALID;
}

/* what tv_tally_combine may answer for untrusted decryptions or tally */
static int is_combine_status(tv_status st)
{
	return st == TV_OK || st == TV_ERR_PROOF_INVALID || st == TV_ERR_ENCODING ||
	       st == TV_ERR_WRONG_ELECTION || st == TV_ERR_INVALID_ARGUMENT ||
	       st == TV_ERR_RANGE_INVALID || st == TV_ERR_POINT_INVALID ||
	       st == TV_ERR_SCALAR_RANGE;
}

/* tv_tally_combine, with the status checked and recorded; *out NULL on failure */
static tv_status combine(tv_ctx *ctx, tv_result **out, uint64_t totals[OPTIONS],
                         const tv_tally *t, const char *const *decryptions, size_t count)
{
	tv_status st;

	*out = (tv_result *)out; /* not NULL: the call must set it */
	tv_fuzz_clear_error(ctx);
	st = tv_tally_combine(ctx, out, totals, t, fx.m, &fx.key, decryptions, count);
	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_combine_status(st));
	FUZZ_CHECK((st == TV_OK) == (*out != NULL));
	return st;
}

static void check_result_is_honest(tv_ctx *ctx, const tv_result *r, const uint64_t *totals)
{
	char *json = NULL;

	FUZZ_CHECK(memcmp(totals, honest_votes, sizeof(honest_votes)) == 0);
	FUZZ_CHECK(tv_result_to_json(ctx, &json, NULL, r) == TV_OK);
	FUZZ_CHECK(strcmp(json, fx.result_json) == 0);
	tv_free(ctx, json);
}

/* the tally's figures with the honest totals, counted directly */
static tv_status count_directly(tv_ctx *ctx, tv_result **out, const tv_tally_info *info)
{
	tv_count_input in = TV_COUNT_INPUT_INIT;
	uint64_t votes[OPTIONS], sum = 0;

	memcpy(votes, honest_votes, sizeof(votes));
	for (int i = 0; i < OPTIONS; i++)
		sum += votes[i];
	in.electorate = info->electorate;
	for (int c = 0; c < 4; c++)
		in.by_channel[c] = info->by_channel[c];
	in.blank = info->ballots - sum;
	for (int r = 0; r < TV_SPOILT_REASONS; r++)
		in.rejected[r] = info->spoilt[r];
	in.options = OPTIONS;
	in.votes = votes;
	return tv_count(ctx, out, fx.m, &in);
}

/* an accepted tally of this election with 3 options and few ballots */
static void combine_tally(tv_ctx *ctx, const tv_tally *t, const tv_tally_info *info)
{
	uint64_t totals[OPTIONS];
	tv_result *r = NULL, *direct = NULL;
	char *mine[THRESHOLD] = { NULL, NULL };
	int same_alpha = 1, same_beta = 1, clean = 1;
	tv_status st;

	/*
	 * Options are decrypted in order. Before the first one whose alpha is
	 * not the honest one, an option with a changed beta, or with more
	 * honest votes than the tally's ballots, may stop the search first
	 * (TV_ERR_RANGE_INVALID); "clean" says none did.
	 */
	for (uint32_t i = 1; i <= OPTIONS; i++) {
		const tv_ciphertext *a = tv_tally_sum(t, i), *b = tv_tally_sum(fx.tally, i);
		int alpha = tv_point_equal(&a->alpha, &b->alpha);
		int beta = tv_point_equal(&a->beta, &b->beta);

		if (same_alpha && alpha && (!beta || honest_votes[i - 1] > info->ballots))
			clean = 0;
		same_alpha &= alpha;
		same_beta &= beta;
	}
	st = combine(ctx, &r, totals, t, (const char *const *)fx.decryption, THRESHOLD);
	if (!same_alpha) {
		/* the honest proofs are about the honest alphas */
		FUZZ_CHECK(st == TV_ERR_PROOF_INVALID || (!clean && st == TV_ERR_RANGE_INVALID));
		if (clean)
			FUZZ_CHECK(st == TV_ERR_PROOF_INVALID);
	} else if (same_beta) {
		/* the honest totals (3 votes in all, 2 for option 1) need 3 ballots */
		if (info->ballots < 3) {
			FUZZ_CHECK(st == TV_ERR_RANGE_INVALID);
		} else {
			tv_status want = count_directly(ctx, &direct, info);
			char *a = NULL, *b = NULL;

			FUZZ_CHECK(st == want);
			if (st == TV_OK) {
				FUZZ_CHECK(memcmp(totals, honest_votes, sizeof(totals)) == 0);
				FUZZ_CHECK(tv_result_to_json(ctx, &a, NULL, r) == TV_OK);
				FUZZ_CHECK(tv_result_to_json(ctx, &b, NULL, direct) == TV_OK);
				FUZZ_CHECK(strcmp(a, b) == 0);
			}
			tv_free(ctx, a);
			tv_free(ctx, b);
		}
	} else {
		FUZZ_CHECK(st == TV_OK || st == TV_ERR_RANGE_INVALID || st == TV_ERR_INVALID_ARGUMENT);
	}
	tv_result_free(r);
	tv_result_free(direct);
	r = NULL;
	direct = NULL;

	/* honest trustees decrypt it: their proofs always pass (the tally is
	 * taken as one they added up themselves; see setup) */
	tv__tally_mark_verified((tv_tally *)t, fx.f, &fx.key);
	for (int i = 0; i < THRESHOLD; i++) {
		char *text = NULL;

		tv_fuzz_clear_error(ctx);
		FUZZ_CHECK(tv_tally_decrypt(ctx, &text, t, fx.trustee[i], fx.f) == TV_OK);
		mine[i] = copy_text(ctx, text);
	}
	st = combine(ctx, &r, totals, t, (const char *const *)mine, THRESHOLD);
	FUZZ_CHECK(st == TV_OK || st == TV_ERR_RANGE_INVALID || st == TV_ERR_INVALID_ARGUMENT);
	if (same_alpha && same_beta && info->ballots >= 3)
		FUZZ_CHECK(st == count_directly(ctx, &direct, info));
	if (st == TV_OK && same_alpha && same_beta)
		FUZZ_CHECK(memcmp(totals, honest_votes, sizeof(totals)) == 0);
	tv_result_free(r);
	tv_result_free(direct);
	free(mine[0]);
	free(mine[1]);
}

static void op_tally(tv_ctx *ctx, const uint8_t *data, size_t size)
{
	tv_tally *t = (tv_tally *)&t, *again = NULL;
	tv_tally_info info, info2;
	char *json = NULL, *json2 = NULL;
	uint64_t total = 0, spoilt = 0;
	tv_status st;

	tv_fuzz_clear_error(ctx);
	st = tv_tally_from_json(ctx, &t, (const char *)data, size);
	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(is_tally_status(st));
	if (st != TV_OK) {
		FUZZ_CHECK(t == NULL);
		return;
	}
	FUZZ_CHECK(t != NULL && size <= TV_TALLY_JSON_MAX);
	{
		/* a tally read from JSON is never decrypted with a share (SPEC §16.3) */
		char *none = NULL;

		tv_fuzz_clear_error(ctx);
		FUZZ_CHECK(tv_tally_decrypt(ctx, &none, t, fx.trustee[0], fx.f) == TV_ERR_STATE &&
		           none == NULL);
	}
	tv_tally_get_info(&info, t);
	FUZZ_CHECK(info.options >= 2 && info.options <= TV_MAX_OPTIONS);
	FUZZ_CHECK(info.entries <= TV_COUNT_MAX && info.electorate <= TV_COUNT_MAX &&
	           info.ballots <= TV_COUNT_MAX);
	for (int c = 0; c < 4; c++) {
		FUZZ_CHECK(info.by_channel[c] <= TV_COUNT_MAX);
		total += info.by_channel[c];
	}
	for (int r = 0; r < TV_SPOILT_REASONS; r++) {
		FUZZ_CHECK(info.spoilt[r] <= TV_COUNT_MAX);
		spoilt += info.spoilt[r];
	}
	FUZZ_CHECK(spoilt <= total && total - spoilt == info.ballots);
	FUZZ_CHECK(tv_tally_sum(t, 0) == NULL && tv_tally_sum(t, info.options + 1) == NULL);
	for (uint32_t i = 1; i <= info.options; i++) {
		const tv_ciphertext *s = tv_tally_sum(t, i);

		FUZZ_CHECK(s != NULL);
		FUZZ_CHECK(tv_point_check(ctx, &s->alpha) == TV_OK);
		FUZZ_CHECK(tv_point_check(ctx, &s->beta) == TV_OK);
	}

	/* canonical bytes, stable through a second reading */
	FUZZ_CHECK(tv_tally_to_json(ctx, &json, t) == TV_OK);
	FUZZ_CHECK(tv_tally_from_json(ctx, &again, json, strlen(json)) == TV_OK);
	tv_tally_get_info(&info2, again);
	FUZZ_CHECK(memcmp(&info, &info2, sizeof(info)) == 0);
	for (uint32_t i = 1; i <= info.options; i++)
		FUZZ_CHECK(memcmp(tv_tally_sum(t, i), tv_tally_sum(again, i), sizeof(tv_ciphertext)) == 0);
	FUZZ_CHECK(tv_tally_to_json(ctx, &json2, again) == TV_OK);
	FUZZ_CHECK(strcmp(json, json2) == 0);
	if (strcmp(json, fx.tally_json) == 0)
		FUZZ_CHECK(memcmp(&info, &fx.info, sizeof(info)) == 0);

	if (memcmp(info.election, fx.f, 32) == 0 && info.options == OPTIONS &&
	    info.ballots <= MAX_COMBINED_BALLOTS)
		combine_tally(ctx, t, &info);
	tv_free(ctx, json);
	tv_free(ctx, json2);
	tv_tally_free(again);
	tv_tally_free(t);
}

static void op_decryption(tv_ctx *ctx, const char *text, size_t count, int slot)
{
	const char *decs[TRUSTEES];
	uint64_t totals[OPTIONS];
	tv_result *r = NULL;
	int honest = -1, distinct = 1;
	tv_status st;

	for (size_t i = 0; i < count; i++)
		decs[i] = i == (size_t)slot ? text : fx.decryption[i];
	for (int i = 0; i < TRUSTEES; i++)
		if (strcmp(text, fx.decryption[i]) == 0)
			honest = i;
	for (size_t i = 0; i < count; i++)
		if (honest >= 0 && i != (size_t)slot && honest == (int)i)
			distinct = 0;
	st = combine(ctx, &r, totals, fx.tally, (const char *const *)decs, count);
	/* with every proof passing, the totals are the honest ones: never out of range */
	FUZZ_CHECK(st != TV_ERR_RANGE_INVALID);
	if (st == TV_OK)
		check_result_is_honest(ctx, r, totals);
	/* an honest decryption in a set of distinct trustees combines */
	if (honest >= 0)
		FUZZ_CHECK((st == TV_OK) == distinct);
	tv_result_free(r);
}

static void write_corpus(const char *dir);

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("TV_FUZZ_TALLY_CORPUS");

	(void)argc;
	(void)argv;
	if (dir != NULL) {
		setup(tv_fuzz_ctx());
		write_corpus(dir);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	char *text;
	int op, slot;

	if (!fx.ready)
		setup(ctx);
	if (size == 0)
		return 0;
	op = data[0] % 3;
	slot = data[0] / 3 % TRUSTEES;
	if (op == 0) {
		op_tally(ctx, data + 1, size - 1);
		return 0;
	}
	text = malloc(size);
	FUZZ_CHECK(text != NULL);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (op == 1)
		op_decryption(ctx, text, THRESHOLD, slot % THRESHOLD);
	else
		op_decryption(ctx, text, TRUSTEES, slot);
	free(text);
	return 0;
}

/* ---- the seed corpus ---- */

static void put_text(const char *dir, const char *name, int op, int slot, const char *text)
{
	char path[512];
	uint8_t head = (uint8_t)(op + 3 * slot);
	size_t len = strlen(text);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fwrite(&head, 1, 1, f) == 1);
	FUZZ_CHECK(len == 0 || fwrite(text, 1, len, f) == len);
	FUZZ_CHECK(fclose(f) == 0);
}

static void put_json(const char *dir, const char *name, int op, int slot, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	FUZZ_CHECK(text != NULL);
	put_text(dir, name, op, slot, text);
	free(text);
	json_decref(j);
}

static json_t *load(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	FUZZ_CHECK(j != NULL);
	return j;
}

static void write_corpus(const char *dir)
{
	json_t *j, *sums, *parts;

	/* tallies */
	put_text(dir, "tally_honest", 0, 0, fx.tally_json);
	j = load(fx.tally_json);
	sums = json_object_get(j, "sums");
	json_array_insert(sums, 0, json_array_get(sums, 1));
	json_array_remove(sums, 2); /* options 1 and 2 swapped */
	put_json(dir, "tally_sums_swapped", 0, 0, j);
	j = load(fx.tally_json);
	sums = json_object_get(j, "sums");
	json_object_set(json_array_get(sums, 0), "beta",
	                json_object_get(json_array_get(sums, 2), "beta"));
	put_json(dir, "tally_beta_of_option_3", 0, 0, j);
	j = load(fx.tally_json);
	json_object_set_new(j, "ballots", json_integer(2));
	json_object_set_new(json_object_get(j, "by_channel"), "online", json_integer(1));
	put_json(dir, "tally_2_ballots", 0, 0, j);
	j = load(fx.tally_json);
	json_object_set_new(json_object_get(j, "by_channel"), "phone", json_integer(1));
	json_object_set_new(json_object_get(j, "by_channel"), "online", json_integer(2));
	put_json(dir, "tally_phone_not_allowed", 0, 0, j);
	j = load(fx.tally_json);
	json_array_remove(json_object_get(j, "sums"), 2);
	put_json(dir, "tally_2_options", 0, 0, j);
	j = load(fx.tally_json);
	json_object_set_new(j, "extra", json_true());
	put_json(dir, "tally_unknown_field", 0, 0, j);
	j = load(fx.tally_json);
	json_object_set_new(j, "ballots", json_integer(5));
	put_json(dir, "tally_does_not_add_up", 0, 0, j);
	put_text(dir, "tally_not_json", 0, 0, "{\"format\":\"tenantvote-tally/1\",");
	put_text(dir, "tally_empty", 0, 0, "");

	/* decryptions, in slot of 2 */
	put_text(dir, "decryption_1_of_2", 1, 0, fx.decryption[0]);
	put_text(dir, "decryption_2_of_2", 1, 1, fx.decryption[1]);
	put_text(dir, "decryption_3_for_1", 1, 0, fx.decryption[2]);
	put_text(dir, "decryption_2_twice", 1, 0, fx.decryption[1]);
	j = load(fx.decryption[0]);
	json_object_set_new(j, "trustee", json_integer(3));
	put_json(dir, "decryption_1_claimed_by_3", 1, 0, j);
	j = load(fx.decryption[1]);
	json_object_set_new(j, "trustee", json_integer(17));
	put_json(dir, "decryption_trustee_17", 1, 1, j);
	j = load(fx.decryption[0]);
	parts = json_object_get(j, "parts");
	json_array_append(parts, json_array_get(parts, 0));
	json_array_remove(parts, 0); /* parts of options 1, 2, 3 as 2, 3, 1 */
	put_json(dir, "decryption_parts_rotated", 1, 0, j);
	j = load(fx.decryption[0]);
	json_array_remove(json_object_get(j, "parts"), 2);
	put_json(dir, "decryption_2_parts", 1, 0, j);
	j = load(fx.decryption[1]);
	json_object_set_new(j, "election", json_string("00000000000000000000000000000000"
	                                               "00000000000000000000000000000000"));
	put_json(dir, "decryption_other_election", 1, 1, j);
	j = load(fx.decryption[0]);
	json_object_set(json_object_get(json_array_get(json_object_get(j, "parts"), 1), "proof"),
	                "response", json_string("ffffffffffffffffffffffffffffffff"
	                                        "ffffffffffffffffffffffffffffffff"));
	put_json(dir, "decryption_response_above_n", 1, 0, j);
	j = load(fx.decryption[0]);
	json_object_set(json_array_get(json_object_get(j, "parts"), 0), "share",
	                json_object_get(json_array_get(json_object_get(j, "parts"), 1), "share"));
	put_json(dir, "decryption_share_of_option_2", 1, 0, j);
	put_text(dir, "decryption_empty", 1, 0, "");

	/* decryptions, in slot of 3 */
	put_text(dir, "decryption_3_of_3", 2, 2, fx.decryption[2]);
	put_text(dir, "decryption_1_twice_of_3", 2, 2, fx.decryption[0]);
}
