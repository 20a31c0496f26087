/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The key ceremony's parsers of untrusted input (SPEC §12): the COMMIT,
 * REVEAL, RESULT and COMPLAINT messages, and a trustee's secret state.
 *
 * Once per process an honest 2-of-3 ceremony is run on the deterministic
 * generator of SPEC §7 (seed "tenantvote/v1/fuzz/ceremony"), so its
 * messages are the same in every run and the seed corpus refers to them.
 *
 * Input: byte 0 = operation (b mod 7) and slot (b / 7 mod 3, a trustee
 * 1..3); the rest is the message text (a NUL is appended; an embedded NUL
 * ends it early) or, for the state, raw bytes.
 *
 *   0  commit of the slot's trustee replaced, tv_ceremony_verify()
 *   1  reveal replaced, tv_ceremony_verify()
 *   2  result replaced, tv_ceremony_verify()
 *   3  the input as a complaint, tv_ceremony_check_complaint() against
 *      the honest transcript
 *   4  commit replaced, tv_trustee_reveal() by trustee 1 (fresh from its
 *      saved state)
 *   5  tv_trustee_deserialize() of the input
 *   6  reveal replaced, tv_trustee_combine() by the slot's trustee (from
 *      its saved state after revealing)
 *
 * Properties, for every input:
 *  - the status is TV_OK or the rejection the API documents
 *    (TV_ERR_CEREMONY_INVALID; TV_ERR_ENCODING for the state; TV_ERR_STATE
 *    only where a trustee misses a message), never "could not check", and
 *    a failure leaves that status and a message on the context;
 *  - forgery is infeasible, so whatever is accepted means what the honest
 *    message meant: verify gives exactly the honest election key, a reveal
 *    names exactly the honest commits, a combine gives exactly the honest
 *    share and key;
 *  - nobody in the honest transcript is guilty: a complaint never passes;
 *  - a state that is accepted serializes back to the same bytes.
 *
 * Writing the seed corpus: TV_FUZZ_CEREMONY_CORPUS=DIR fuzz_ceremony
 * --iterations 0 writes the files of tests/fuzz/corpus/fuzz_ceremony into
 * DIR (made from the same honest ceremony).
 */
#include <string.h>

#include <jansson.h>

#include "fuzz_common.h"

#define TRUSTEES 3
#define THRESHOLD 2

static const char seed[] = "tenantvote/v1/fuzz/ceremony";

static struct {
	int ready;
	uint8_t fingerprint[32];
	char *commit[TRUSTEES], *reveal[TRUSTEES], *result[TRUSTEES]; /* malloc'd copies */
	uint8_t state1[TRUSTEES][TV_TRUSTEE_STATE_MAX]; /* after tv_trustee_new() */
	uint8_t state2[TRUSTEES][TV_TRUSTEE_STATE_MAX]; /* after revealing */
	size_t state_len;
	tv_election_key key;
	tv_scalar share[TRUSTEES];
	char commits_digest[2 * 32 + 1];
} honest;

static char *copy_text(tv_ctx *ctx, char *text)
{
	size_t len = strlen(text) + 1;
	char *copy = malloc(len);

	FUZZ_CHECK(copy != NULL);
	memcpy(copy, text, len);
	tv_free(ctx, text);
	return copy;
}

__attribute__((destructor)) static void free_honest(void)
{
	for (int i = 0; i < TRUSTEES; i++) {
		free(honest.commit[i]);
		free(honest.reveal[i]);
		free(honest.result[i]);
	}
	memset(&honest, 0, sizeof(honest));
}

static void save(tv_ctx *ctx, uint8_t *out, tv_trustee *t)
{
	size_t len;

	FUZZ_CHECK(tv_trustee_serialize(ctx, out, TV_TRUSTEE_STATE_MAX, &len, t) == TV_OK);
	FUZZ_CHECK(len == TV_TRUSTEE_STATE_BYTES(THRESHOLD));
	honest.state_len = len;
}

static void setup(tv_ctx *ctx)
{
	tv_trustee *t[TRUSTEES];
	char *text;
	json_t *j;
	int i;

	FUZZ_CHECK(tv__ctx_set_deterministic(ctx, (const uint8_t *)seed,
	                                     sizeof(seed) - 1) == TV_OK);
	FUZZ_CHECK(tv__random_bytes(ctx, honest.fingerprint, 32) == TV_OK);
	for (i = 0; i < TRUSTEES; i++) {
		FUZZ_CHECK(tv_trustee_new(ctx, &t[i], honest.fingerprint, (uint32_t)i + 1,
		                          TRUSTEES, THRESHOLD) == TV_OK);
		save(ctx, honest.state1[i], t[i]);
	}
	for (i = 0; i < TRUSTEES; i++) {
		FUZZ_CHECK(tv_trustee_commit(ctx, &text, t[i]) == TV_OK);
		honest.commit[i] = copy_text(ctx, text);
	}
	for (i = 0; i < TRUSTEES; i++) {
		FUZZ_CHECK(tv_trustee_reveal(ctx, &text, t[i], (const char *const *)honest.commit,
		                             TRUSTEES) == TV_OK);
		honest.reveal[i] = copy_text(ctx, text);
		save(ctx, honest.state2[i], t[i]);
	}
	for (i = 0; i < TRUSTEES; i++) {
		FUZZ_CHECK(tv_trustee_combine(ctx, &text, NULL, t[i],
		                              (const char *const *)honest.commit, TRUSTEES,
		                              (const char *const *)honest.reveal, TRUSTEES) == TV_OK);
		honest.result[i] = copy_text(ctx, text);
		FUZZ_CHECK(tv_trustee_share(ctx, &honest.share[i], NULL, NULL, t[i]) == TV_OK);
		tv_trustee_free(t[i]);
	}
	FUZZ_CHECK(tv_ceremony_verify(ctx, &honest.key, honest.fingerprint, TRUSTEES, THRESHOLD,
	                              (const char *const *)honest.commit, TRUSTEES,
	                              (const char *const *)honest.reveal, TRUSTEES,
	                              (const char *const *)honest.result, TRUSTEES) == TV_OK);
	j = json_loads(honest.reveal[0], 0, NULL);
	FUZZ_CHECK(j != NULL && json_is_string(json_object_get(j, "commits")));
	FUZZ_CHECK(strlen(json_string_value(json_object_get(j, "commits"))) == 64);
	memcpy(honest.commits_digest, json_string_value(json_object_get(j, "commits")), 65);
	json_decref(j);
	honest.ready = 1;
}

/* the honest messages of one kind with the slot's replaced */
static void with_slot(const char **out, char *const *messages, int slot, const char *text)
{
	for (int i = 0; i < TRUSTEES; i++)
		out[i] = i == slot ? text : messages[i];
}

static void check_failure(tv_ctx *ctx, tv_status status, tv_status allowed)
{
	tv_fuzz_check_status_recorded(ctx, status);
	if (status != TV_OK)
		FUZZ_CHECK(status == TV_ERR_CEREMONY_INVALID || status == allowed);
}

static void op_verify(tv_ctx *ctx, int which, int slot, const char *text)
{
	const char *msgs[3][TRUSTEES];
	tv_election_key key;
	tv_status status;

	with_slot(msgs[0], honest.commit, which == 0 ? slot : -1, text);
	with_slot(msgs[1], honest.reveal, which == 1 ? slot : -1, text);
	with_slot(msgs[2], honest.result, which == 2 ? slot : -1, text);
	status = tv_ceremony_verify(ctx, &key, honest.fingerprint, TRUSTEES, THRESHOLD,
	                            msgs[0], TRUSTEES, msgs[1], TRUSTEES, msgs[2], TRUSTEES);
	check_failure(ctx, status, TV_ERR_CEREMONY_INVALID);
	if (status == TV_OK)
		FUZZ_CHECK(memcmp(&key, &honest.key, sizeof(key)) == 0);
	else
		FUZZ_CHECK(tv_fuzz_all_zero((const uint8_t *)&key, sizeof(key)));
}

static void op_complaint(tv_ctx *ctx, const char *text)
{
	uint32_t guilty = 12345;
	tv_status status;

	status = tv_ceremony_check_complaint(ctx, &guilty, honest.fingerprint, TRUSTEES,
	                                     THRESHOLD, text,
	                                     (const char *const *)honest.commit, TRUSTEES,
	                                     (const char *const *)honest.reveal, TRUSTEES);
	check_failure(ctx, status, TV_ERR_CEREMONY_INVALID);
	/* every share of the honest transcript is good: no complaint can pass */
	FUZZ_CHECK(status != TV_OK);
	FUZZ_CHECK(guilty == 0);
}

static void op_reveal(tv_ctx *ctx, int slot, const char *text)
{
	const char *msgs[TRUSTEES];
	tv_trustee *t = NULL;
	char *out = NULL;
	tv_status status;

	FUZZ_CHECK(tv_trustee_deserialize(ctx, &t, honest.state1[0], honest.state_len) == TV_OK);
	with_slot(msgs, honest.commit, slot, text);
	status = tv_trustee_reveal(ctx, &out, t, msgs, TRUSTEES);
	check_failure(ctx, status, TV_ERR_STATE);
	if (status == TV_OK) {
		json_t *j = json_loads(out, 0, NULL);

		FUZZ_CHECK(j != NULL);
		FUZZ_CHECK(strcmp(json_string_value(json_object_get(j, "commits")),
		                  honest.commits_digest) == 0);
		FUZZ_CHECK(tv_trustee_get_stage(t) == TV_TRUSTEE_REVEALED);
		json_decref(j);
	} else {
		FUZZ_CHECK(out == NULL);
		FUZZ_CHECK(tv_trustee_get_stage(t) == TV_TRUSTEE_KEYS_MADE);
	}
	tv_free(ctx, out);
	tv_trustee_free(t);
}

static void op_combine(tv_ctx *ctx, int slot, const char *text)
{
	const char *msgs[TRUSTEES];
	tv_trustee *t = NULL;
	char *result = NULL, *complaint = NULL;
	tv_status status;

	FUZZ_CHECK(tv_trustee_deserialize(ctx, &t, honest.state2[slot], honest.state_len) ==
	           TV_OK);
	/* the slot's trustee combines, with another trustee's reveal replaced */
	with_slot(msgs, honest.reveal, (slot + 1) % TRUSTEES, text);
	status = tv_trustee_combine(ctx, &result, &complaint, t,
	                            (const char *const *)honest.commit, TRUSTEES, msgs, TRUSTEES);
	check_failure(ctx, status, TV_ERR_STATE);
	if (status == TV_OK) {
		tv_scalar share;
		tv_point key;

		FUZZ_CHECK(complaint == NULL);
		FUZZ_CHECK(tv_trustee_share(ctx, &share, NULL, &key, t) == TV_OK);
		FUZZ_CHECK(memcmp(&share, &honest.share[slot], sizeof(share)) == 0);
		FUZZ_CHECK(tv_point_equal(&key, &honest.key.key));
	} else {
		FUZZ_CHECK(result == NULL);
		/* a complaint comes only with a bad share, and then it holds */
		if (complaint != NULL)
			FUZZ_CHECK(tv_ceremony_check_complaint(ctx, NULL, honest.fingerprint,
			                                       TRUSTEES, THRESHOLD, complaint,
			                                       (const char *const *)honest.commit,
			                                       TRUSTEES, msgs, TRUSTEES) == TV_OK);
	}
	tv_free(ctx, result);
	tv_free(ctx, complaint);
	tv_trustee_free(t);
}

static void op_state(tv_ctx *ctx, const uint8_t *data, size_t size)
{
	tv_trustee *t = NULL;
	uint8_t again[TV_TRUSTEE_STATE_MAX];
	size_t len = 0;
	tv_status status = tv_trustee_deserialize(ctx, &t, data, size);

	tv_fuzz_check_status_recorded(ctx, status);
	if (status != TV_OK) {
		FUZZ_CHECK(status == TV_ERR_ENCODING);
		FUZZ_CHECK(t == NULL);
		return;
	}
	FUZZ_CHECK(tv_trustee_serialize(ctx, again, sizeof(again), &len, t) == TV_OK);
	FUZZ_CHECK(len == size);
	FUZZ_CHECK(memcmp(again, data, size) == 0);
	tv_trustee_free(t);
}

static void write_corpus(tv_ctx *ctx, const char *dir);

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("TV_FUZZ_CEREMONY_CORPUS");

	(void)argc;
	(void)argv;
	if (dir != NULL) {
		setup(tv_fuzz_ctx());
		write_corpus(tv_fuzz_ctx(), dir);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	char *text;
	int op, slot;

	if (!honest.ready)
		setup(ctx);
	if (size == 0)
		return 0;
	op = data[0] % 7;
	slot = data[0] / 7 % TRUSTEES;
	tv_fuzz_clear_error(ctx);
	if (op == 5) {
		op_state(ctx, data + 1, size - 1);
		return 0;
	}
	text = malloc(size);
	FUZZ_CHECK(text != NULL);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (op) {
	case 0:
	case 1:
	case 2:
		op_verify(ctx, op, slot, text);
		break;
	case 3:
		op_complaint(ctx, text);
		break;
	case 4:
		op_reveal(ctx, slot, text);
		break;
	default:
		op_combine(ctx, slot, text);
		break;
	}
	free(text);
	return 0;
}

/* ---- the seed corpus ---- */

static void put_file(const char *dir, const char *name, int op, int slot,
                     const void *body, size_t len)
{
	char path[512];
	uint8_t head = (uint8_t)(op + 7 * slot);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fwrite(&head, 1, 1, f) == 1);
	FUZZ_CHECK(len == 0 || fwrite(body, 1, len, f) == len);
	FUZZ_CHECK(fclose(f) == 0);
}

static void put_text(const char *dir, const char *name, int op, int slot, const char *text)
{
	put_file(dir, name, op, slot, text, strlen(text));
}

static void put_json(const char *dir, const char *name, int op, int slot, json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2));

	FUZZ_CHECK(text != NULL);
	put_text(dir, name, op, slot, text);
	free(text);
}

static json_t *hex_json(const uint8_t *b, size_t len)
{
	char buf[2 * TV_POINT_BYTES + 1];

	tv__hex_encode(buf, b, len);
	return json_string(buf);
}

/*
 * A complaint by trustee 2 against trustee 1 with the true shared secret
 * and a valid proof: well-formed to the end, and false (the share is good).
 */
static json_t *false_complaint(tv_ctx *ctx)
{
	json_t *reveal = json_loads(honest.reveal[0], 0, NULL), *c, *item, *proof;
	EC_POINT *P = EC_POINT_new(ctx->group);
	BIGNUM *t = BN_new();
	tv_scalar t2;
	tv_point g, T2, E, S;
	tv_cp_proof cp;
	uint8_t context[32 + 18 + 8];
	const char *e_hex;

	FUZZ_CHECK(reveal != NULL && P != NULL && t != NULL);
	memcpy(t2.bytes, honest.state1[1] + 88, 32); /* SPEC §12.6: transport secret */
	FUZZ_CHECK(tv_point_base_mul(ctx, &T2, &t2) == TV_OK);
	e_hex = json_string_value(json_object_get(
		json_array_get(json_object_get(reveal, "shares"), 0), "ephemeral"));
	FUZZ_CHECK(e_hex != NULL && tv_point_from_hex(ctx, &E, e_hex, strlen(e_hex)) == TV_OK);
	FUZZ_CHECK(tv__point_to_ec(ctx, P, &E, "E") == TV_OK);
	FUZZ_CHECK(BN_bin2bn(t2.bytes, 32, t) != NULL);
	FUZZ_CHECK(EC_POINT_mul(ctx->group, P, NULL, P, t, ctx->bn));
	FUZZ_CHECK(tv__ec_to_point(ctx, &S, P, "S") == TV_OK);
	memcpy(context, honest.fingerprint, 32);
	memcpy(context + 32, "ceremony-complaint", 18);
	memcpy(context + 50, "\0\0\0\2\0\0\0\1", 8);
	tv_point_generator(&g);
	FUZZ_CHECK(tv_cp_prove(ctx, &cp, &t2, &g, &T2, &E, &S, context, sizeof(context)) == TV_OK);
	c = json_object();
	item = json_object();
	proof = json_object();
	json_object_set_new(c, "format", json_string(TV_CEREMONY_COMPLAINT_FORMAT));
	json_object_set_new(c, "election", hex_json(honest.fingerprint, 32));
	json_object_set_new(c, "trustee", json_integer(2));
	json_object_set_new(c, "trustees", json_integer(TRUSTEES));
	json_object_set_new(c, "threshold", json_integer(THRESHOLD));
	json_object_set_new(proof, "commitment1", hex_json(cp.commitment1.bytes, 65));
	json_object_set_new(proof, "commitment2", hex_json(cp.commitment2.bytes, 65));
	json_object_set_new(proof, "response", hex_json(cp.response.bytes, 32));
	json_object_set_new(item, "accused", json_integer(1));
	json_object_set_new(item, "shared_secret", hex_json(S.bytes, 65));
	json_object_set_new(item, "proof", proof);
	json_object_set_new(c, "accusations", json_pack("[o]", item));
	json_decref(reveal);
	EC_POINT_free(P);
	BN_clear_free(t);
	tv_scalar_wipe(&t2);
	return c;
}

static void write_corpus(tv_ctx *ctx, const char *dir)
{
	json_t *j;

	put_text(dir, "verify_commit_1", 0, 0, honest.commit[0]);
	put_text(dir, "verify_reveal_2", 1, 1, honest.reveal[1]);
	put_text(dir, "verify_result_3", 2, 2, honest.result[2]);
	put_text(dir, "verify_commit_as_result", 2, 0, honest.commit[0]);
	put_text(dir, "reveal_with_commit_2", 4, 1, honest.commit[1]);
	put_text(dir, "reveal_own_commit_1", 4, 0, honest.commit[0]);
	put_text(dir, "combine_reveal_3_by_2", 6, 1, honest.reveal[2]);
	put_text(dir, "verify_empty", 0, 0, "");
	put_text(dir, "verify_not_json", 1, 0, "{\"format\": ");
	put_file(dir, "state_keys_made_1", 5, 0, honest.state1[0], honest.state_len);
	put_file(dir, "state_revealed_3", 5, 0, honest.state2[2], honest.state_len);
	put_file(dir, "state_short", 5, 0, honest.state1[0], 56);

	j = false_complaint(ctx);
	put_json(dir, "complaint_false", 3, 0, j);
	json_object_set_new(j, "trustee", json_integer(3));
	put_json(dir, "complaint_bad_proof", 3, 0, j);
	json_decref(j);

	j = json_loads(honest.commit[1], 0, NULL);
	FUZZ_CHECK(j != NULL);
	json_object_set_new(j, "extra", json_true());
	put_json(dir, "verify_commit_unknown_field", 0, 1, j);
	json_decref(j);

	j = json_loads(honest.reveal[0], 0, NULL);
	FUZZ_CHECK(j != NULL);
	json_array_remove(json_object_get(j, "shares"), 0);
	put_json(dir, "verify_reveal_one_share", 1, 0, j);
	json_decref(j);
}
