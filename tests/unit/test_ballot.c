/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §15.1: ballots, their checks, their JSON, and the Benaloh challenge. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "helpers.h"
#include "batch.h"
#include "election_internal.h"
#include "fixed_base.h"

typedef struct fixture {
	tv_ctx *ctx;
	tv_manifest *m, *m_no_blank, *other;
	tv_scalar x;
	tv_point key;
	tv_credential_code code, code2;
	uint8_t f[32];
} fixture;

static tv_manifest *manifest(tv_ctx *ctx, const char *id, int blank, size_t options)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;
	static const char *const labels[] = { "Stay with the council", "Housing association",
	                                      "Community mutual" };

	o.election_id = id;
	o.council = "Testshire Council";
	o.landlord = "Testshire Mutual";
	o.title.en = "Stock transfer ballot";
	o.question.en = "Who should be your landlord?";
	o.option_count = options;
	for (size_t i = 0; i < options; i++)
		o.options[i].en = labels[i];
	o.rule = TV_RULE_PLURALITY;
	o.transfer_option = 3;
	o.allow_blank = blank;
	o.opens = 1800000000;
	o.closes = 1801000000;
	o.trustees = 1;
	o.threshold = 1;
	assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
	return m;
}

static int setup(void **state)
{
	fixture *fx = test_calloc(1, sizeof(*fx));
	tv_point unused;

	fx->ctx = test_ctx_new();
	fx->m = manifest(fx->ctx, "testshire-2027", 1, 3);
	fx->m_no_blank = manifest(fx->ctx, "testshire-2027b", 0, 3);
	fx->other = manifest(fx->ctx, "otherton-2027", 1, 3);
	tv_manifest_fingerprint(fx->f, fx->m);
	assert_ok(fx->ctx, tv_scalar_random(fx->ctx, &fx->x));
	assert_ok(fx->ctx, tv_point_base_mul(fx->ctx, &fx->key, &fx->x));
	assert_ok(fx->ctx, tv_credential_generate(fx->ctx, &fx->code, &unused, fx->f));
	assert_ok(fx->ctx, tv_credential_generate(fx->ctx, &fx->code2, &unused, fx->f));
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;

	tv_manifest_free(fx->m);
	tv_manifest_free(fx->m_no_blank);
	tv_manifest_free(fx->other);
	tv_ctx_free(fx->ctx);
	test_free(fx);
	return 0;
}

static tv_ballot *make(fixture *fx, const tv_manifest *m, uint32_t choice)
{
	tv_ballot *b = NULL;

	assert_ok(fx->ctx, tv_ballot_encrypt(fx->ctx, &b, NULL, m, &fx->key, fx->code.text,
	                                     strlen(fx->code.text), choice));
	return b;
}

static void every_choice_verifies_and_decrypts(void **state)
{
	fixture *fx = *state;

	for (uint32_t choice = 0; choice <= 3; choice++) {
		tv_ballot *b = make(fx, fx->m, choice), *again = NULL;
		char *json = NULL;
		size_t len = 0;
		uint8_t t1[32], t2[32];
		tv_point pub;

		assert_ok(fx->ctx, tv_ballot_verify(fx->ctx, b, fx->m, &fx->key));
		assert_int_equal(tv_ballot_option_count(b), 3);
		assert_ok(fx->ctx, tv_credential_derive(fx->ctx, NULL, &pub, fx->code.text,
		                                        strlen(fx->code.text), fx->f));
		assert_true(tv_point_equal(&pub, tv_ballot_credential(b)));
		for (uint32_t id = 1; id <= 3; id++) {
			uint32_t v = 99;

			assert_ok(fx->ctx, tv_elgamal_decrypt(fx->ctx, &v, tv_ballot_ciphertext(b, id), &fx->x, 1));
			assert_int_equal(v, choice == id);
		}
		assert_null(tv_ballot_ciphertext(b, 0));
		assert_null(tv_ballot_ciphertext(b, 4));
		/* JSON round trip: same ballot, same tracking code */
		assert_ok(fx->ctx, tv_ballot_to_json(fx->ctx, &json, &len, b));
		assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &again, json, len));
		assert_ok(fx->ctx, tv_ballot_verify(fx->ctx, again, fx->m, &fx->key));
		tv_ballot_tracking(t1, b);
		tv_ballot_tracking(t2, again);
		assert_memory_equal(t1, t2, 32);
		tv_free(fx->ctx, json);
		tv_ballot_free(again);
		tv_ballot_free(b);
	}
}

/*
 * Intake's ballots (SPEC §15.7): made with the election key's fixed-base
 * table for the encryption and for every proof, they are byte for byte the
 * ballots made without it from the same randomness, for every choice, and
 * they verify; a prover given a table for another key refuses.
 */
static void fixed_base_ballot_is_the_plain_one(void **state)
{
	fixture *fx = *state;
	tv_ctx *a = test_ctx_new(), *b = test_ctx_new();
	tv__fixed_base *fb = NULL, *wrong = NULL;
	tv_range_branch branch[2];
	tv_ciphertext ct;
	tv_scalar y, r;
	tv_point other;
	uint8_t context[32] = { 1 };
	size_t len = strlen(fx->code.text);

	assert_ok(a, tv__fixed_base_new(a, &fb, &fx->key));
	for (uint32_t choice = 0; choice <= 3; choice++) {
		tv_ballot *with = NULL, *without = NULL;
		char *j1 = NULL, *j2 = NULL;
		size_t n1, n2;
		uint8_t seed[8] = { 'i', 'n', 't', 'a', 'k', 'e', 0, (uint8_t)choice };

		assert_ok(a, tv__ctx_set_deterministic(a, seed, sizeof(seed)));
		assert_ok(b, tv__ctx_set_deterministic(b, seed, sizeof(seed)));
		assert_ok(a, tv__ballot_encrypt_fixed(a, &with, fx->m, fb, fx->code.text, len, choice));
		assert_ok(b, tv_ballot_encrypt(b, &without, NULL, fx->m, &fx->key, fx->code.text, len,
		                               choice));
		assert_ok(a, tv_ballot_to_json(a, &j1, &n1, with));
		assert_ok(b, tv_ballot_to_json(b, &j2, &n2, without));
		assert_int_equal(n1, n2);
		assert_string_equal(j1, j2);
		assert_ok(a, tv_ballot_verify(a, with, fx->m, &fx->key));
		tv_free(a, j1);
		tv_free(b, j2);
		tv_ballot_free(with);
		tv_ballot_free(without);
	}
	assert_ok(a, tv_scalar_random(a, &y));
	assert_ok(a, tv_point_base_mul(a, &other, &y));
	assert_ok(a, tv__fixed_base_new(a, &wrong, &other));
	assert_ok(a, tv_elgamal_encrypt(a, &ct, &r, &fx->key, 1));
	assert_status(a, tv__range_prove_in(a, branch, 2, &ct, &fx->key, wrong, 0, 1, 1, &r, context,
	                                    sizeof(context)),
	              TV_ERR_INVALID_ARGUMENT);
	assert_ok(a, tv__range_prove_in(a, branch, 2, &ct, &fx->key, fb, 0, 1, 1, &r, context,
	                                sizeof(context)));
	assert_ok(a, tv__range_verify_in(a, branch, 2, &ct, &fx->key, 0, 1, context,
	                                 sizeof(context)));
	tv__fixed_base_free(fb);
	tv__fixed_base_free(wrong);
	tv_ctx_free(a);
	tv_ctx_free(b);
}

static void refused_at_the_device(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = NULL;
	char typo[TV_CREDENTIAL_TEXT_LEN + 1];

	assert_status(fx->ctx, tv_ballot_encrypt(fx->ctx, &b, NULL, fx->m_no_blank, &fx->key,
	                                         fx->code.text, strlen(fx->code.text), 0),
	              TV_ERR_RANGE_INVALID);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "blank"));
	assert_status(fx->ctx, tv_ballot_encrypt(fx->ctx, &b, NULL, fx->m, &fx->key, fx->code.text,
	                                         strlen(fx->code.text), 4),
	              TV_ERR_RANGE_INVALID);
	memcpy(typo, fx->code.text, sizeof(typo));
	typo[0] = typo[0] == 'A' ? 'B' : 'A';
	assert_status(fx->ctx, tv_ballot_encrypt(fx->ctx, &b, NULL, fx->m, &fx->key, typo,
	                                         strlen(typo), 1),
	              TV_ERR_CREDENTIAL_INVALID);
	assert_null(b);
}

static void refused_by_any_checker(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = make(fx, fx->m, 2), *c = NULL;
	tv_point other_key;
	tv_scalar y;

	/* another election, another key */
	assert_status(fx->ctx, tv_ballot_verify(fx->ctx, b, fx->other, &fx->key), TV_ERR_WRONG_ELECTION);
	assert_ok(fx->ctx, tv_scalar_random(fx->ctx, &y));
	assert_ok(fx->ctx, tv_point_base_mul(fx->ctx, &other_key, &y));
	assert_status(fx->ctx, tv_ballot_verify(fx->ctx, b, fx->m, &other_key), TV_ERR_PROOF_INVALID);
	/* a blank-allowing ballot offered where blanks are not: wrong range */
	assert_status(fx->ctx, tv_ballot_verify(fx->ctx, b, fx->m_no_blank, &fx->key),
	              TV_ERR_WRONG_ELECTION);
	/* copied under another credential: re-signed, but the proofs bind the first */
	{
		char *json = NULL;
		size_t len;

		assert_ok(fx->ctx, tv_ballot_to_json(fx->ctx, &json, &len, b));
		assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &c, json, len));
		tv_free(fx->ctx, json);
	}
	assert_ok(fx->ctx, tv__ballot_resign(fx->ctx, c, &y));
	assert_status(fx->ctx, tv_ballot_verify(fx->ctx, c, fx->m, &fx->key), TV_ERR_PROOF_INVALID);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "option 1"));
	tv_ballot_free(c);
	tv_ballot_free(b);
}

/* change one field of the JSON and expect a status */
static void json_tampering(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = make(fx, fx->m, 1), *t = NULL;
	char *json = NULL;
	size_t len;
	json_t *root;

	assert_ok(fx->ctx, tv_ballot_to_json(fx->ctx, &json, &len, b));
	root = json_loadb(json, len, 0, NULL);
	assert_non_null(root);
	/* swapping two options, proofs and all: the signature no longer holds */
	{
		json_t *r = json_deep_copy(root), *sel = json_object_get(r, "selections");
		json_t *first = json_incref(json_array_get(sel, 0));
		char *text;

		json_array_set(sel, 0, json_array_get(sel, 1));
		json_array_set_new(sel, 1, first);
		text = json_dumps(r, JSON_COMPACT);
		assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &t, text, strlen(text)));
		assert_status(fx->ctx, tv_ballot_verify(fx->ctx, t, fx->m, &fx->key),
		              TV_ERR_SIGNATURE_INVALID);
		tv_ballot_free(t);
		free(text);
		json_decref(r);
	}
	/* malformed: each refused at reading with the field named */
	{
		static const struct {
			const char *path, *value, *needle;
		} cases[] = {
			{ "format", "\"tenantvote-ballot/2\"", "format" },
			{ "election", "\"00\"", "election" },
			{ "credential", "\"04\"", "credential" },
			{ "total.min", "5", "ballot: total.min: is 5, not from 0 to 1" },
			{ "signature.response", "\"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\"",
			  "signature.response" },
			{ "extra", "1", "ballot: has an unknown field \"extra\"" },
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			json_t *r = json_deep_copy(root), *v = json_loads(cases[i].value, JSON_DECODE_ANY, NULL);
			char *text;
			const char *dot = strchr(cases[i].path, '.');

			if (dot) {
				char head[32];

				snprintf(head, sizeof(head), "%.*s", (int)(dot - cases[i].path), cases[i].path);
				json_object_set_new(json_object_get(r, head), dot + 1, v);
			} else {
				json_object_set_new(r, cases[i].path, v);
			}
			text = json_dumps(r, JSON_COMPACT);
			assert_true(tv_status_is_rejection(tv_ballot_from_json(fx->ctx, &t, text, strlen(text))));
			assert_null(t);
			if (strstr(tv_ctx_last_error(fx->ctx), cases[i].needle) == NULL)
				fail_msg("case %s: message '%s' lacks '%s'", cases[i].path,
				         tv_ctx_last_error(fx->ctx), cases[i].needle);
			free(text);
			json_decref(r);
		}
	}
	assert_status(fx->ctx, tv_ballot_from_json(fx->ctx, &t, "{\"format\":", 10), TV_ERR_ENCODING);
	assert_status(fx->ctx, tv_ballot_from_json(fx->ctx, &t, json, len - 1), TV_ERR_ENCODING);
	json_decref(root);
	tv_free(fx->ctx, json);
	tv_ballot_free(b);
}

static void challenge_opens_and_catches_a_lying_device(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = NULL, *other = NULL;
	tv_ballot_secrets *s = NULL, *s2 = NULL;
	char *opened = NULL;
	uint32_t choice = 99;
	json_t *root;

	assert_ok(fx->ctx, tv_ballot_prepare(fx->ctx, &b, &s, fx->m, &fx->key, fx->code.text,
	                                     strlen(fx->code.text), 3));
	assert_ok(fx->ctx, tv_ballot_prepare(fx->ctx, &other, &s2, fx->m, &fx->key, fx->code2.text,
	                                     strlen(fx->code2.text), 1));
	/* another ballot's secrets are refused (and consumed) */
	assert_status(fx->ctx, tv_ballot_challenge(fx->ctx, &opened, b, s2), TV_ERR_INVALID_ARGUMENT);
	assert_false(tv_ballot_is_challenged(b));
	assert_ok(fx->ctx, tv_ballot_challenge(fx->ctx, &opened, b, s));
	assert_true(tv_ballot_is_challenged(b));
	assert_ok(fx->ctx, tv_ballot_check_challenge(fx->ctx, &choice, opened, strlen(opened), fx->m,
	                                             &fx->key));
	assert_int_equal(choice, 3);
	/* a device that shows "1" but encrypted "3" is caught */
	root = json_loads(opened, 0, NULL);
	json_object_set_new(root, "choice", json_integer(1));
	{
		char *lie = json_dumps(root, JSON_COMPACT);

		assert_status(fx->ctx, tv_ballot_check_challenge(fx->ctx, &choice, lie, strlen(lie), fx->m,
		                                                 &fx->key),
		              TV_ERR_PROOF_INVALID);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "does not hold the choice"));
		free(lie);
	}
	/* a wrong nonce, too */
	json_object_set_new(root, "choice", json_integer(3));
	json_array_set_new(json_object_get(root, "nonces"), 0,
	                   json_string("0000000000000000000000000000000000000000000000000000000000000001"));
	{
		char *bad = json_dumps(root, JSON_COMPACT);

		assert_status(fx->ctx, tv_ballot_check_challenge(fx->ctx, &choice, bad, strlen(bad), fx->m,
		                                                 &fx->key),
		              TV_ERR_PROOF_INVALID);
		free(bad);
	}
	/* a nonce that is not hex, and a fault inside the ballot, named by their paths */
	json_array_set_new(json_object_get(root, "nonces"), 0, json_string(""));
	{
		char *bad = json_dumps(root, JSON_COMPACT);

		assert_status(fx->ctx, tv_ballot_check_challenge(fx->ctx, &choice, bad, strlen(bad), fx->m,
		                                                 &fx->key),
		              TV_ERR_ENCODING);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "challenged ballot: nonces[0]: "));
		free(bad);
	}
	json_object_set_new(json_object_get(root, "ballot"), "credential", json_string("04"));
	{
		char *bad = json_dumps(root, JSON_COMPACT);

		assert_status(fx->ctx, tv_ballot_check_challenge(fx->ctx, &choice, bad, strlen(bad), fx->m,
		                                                 &fx->key),
		              TV_ERR_ENCODING);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx),
		                       "challenged ballot: ballot.credential: must be 130 hex"));
		free(bad);
	}
	json_decref(root);
	tv_free(fx->ctx, opened);
	tv_ballot_free(b);
	tv_ballot_free(other);
}

/* SPEC §15.1.1: the tracking code is over the unsigned ballot, and the
 * signature, added at cast, covers it */
static void prepared_ballot_is_signed_only_at_cast(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = NULL, *back = NULL;
	tv_ballot_secrets *s = NULL;
	uint8_t before[32], after[32];
	char *json = NULL;
	size_t len;

	assert_ok(fx->ctx, tv_ballot_prepare(fx->ctx, &b, NULL, fx->m, &fx->key, fx->code.text,
	                                     strlen(fx->code.text), 2));
	assert_false(tv_ballot_is_signed(b));
	/* an unsigned ballot is not a cast one */
	assert_status(fx->ctx, tv_ballot_verify(fx->ctx, b, fx->m, &fx->key), TV_ERR_SIGNATURE_INVALID);
	assert_ok(fx->ctx, tv_ballot_to_json(fx->ctx, &json, &len, b));
	assert_null(strstr(json, "\"signature\""));
	assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &back, json, len));
	assert_false(tv_ballot_is_signed(back));
	tv_ballot_tracking(before, b);
	tv_ballot_tracking(after, back);
	assert_memory_equal(before, after, 32);
	tv_ballot_free(back);
	tv_free(fx->ctx, json);
	/* only the credential it was prepared for signs it */
	assert_status(fx->ctx, tv_ballot_sign(fx->ctx, b, fx->code2.text, strlen(fx->code2.text)),
	              TV_ERR_CREDENTIAL_INVALID);
	assert_ok(fx->ctx, tv_ballot_sign(fx->ctx, b, fx->code.text, strlen(fx->code.text)));
	assert_true(tv_ballot_is_signed(b));
	tv_ballot_tracking(after, b);
	assert_memory_equal(before, after, 32); /* what the tenant saw is what is cast */
	assert_ok(fx->ctx, tv_ballot_verify(fx->ctx, b, fx->m, &fx->key));
	assert_status(fx->ctx, tv_ballot_sign(fx->ctx, b, fx->code.text, strlen(fx->code.text)),
	              TV_ERR_STATE);
	/* (b) a signed ballot is never challenged: its secrets are refused (and wiped) */
	tv_ballot_free(b);
	b = NULL;
	assert_ok(fx->ctx, tv_ballot_prepare(fx->ctx, &b, &s, fx->m, &fx->key, fx->code.text,
	                                     strlen(fx->code.text), 1));
	assert_ok(fx->ctx, tv_ballot_sign(fx->ctx, b, fx->code.text, strlen(fx->code.text)));
	assert_status(fx->ctx, tv_ballot_challenge(fx->ctx, &json, b, s), TV_ERR_STATE);
	assert_null(json);
	assert_false(tv_ballot_is_challenged(b));
	tv_ballot_free(b);
	/* tv_ballot_encrypt signs: it hands out no secrets to open with */
	s = (tv_ballot_secrets *)1;
	assert_status(fx->ctx, tv_ballot_encrypt(fx->ctx, &b, &s, fx->m, &fx->key, fx->code.text,
	                                         strlen(fx->code.text), 1),
	              TV_ERR_INVALID_ARGUMENT);
	assert_null(b);
	assert_null(s);
}

/* (a) a challenged ballot is never signed, so never cast; an opened
 * ballot that carries a signature is refused */
static void challenged_ballot_cannot_be_signed(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = NULL;
	tv_ballot_secrets *s = NULL;
	char *opened = NULL;
	uint32_t choice = 0;
	json_t *root;

	assert_ok(fx->ctx, tv_ballot_prepare(fx->ctx, &b, &s, fx->m, &fx->key, fx->code.text,
	                                     strlen(fx->code.text), 2));
	assert_ok(fx->ctx, tv_ballot_challenge(fx->ctx, &opened, b, s));
	assert_status(fx->ctx, tv_ballot_sign(fx->ctx, b, fx->code.text, strlen(fx->code.text)),
	              TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "challenged"));
	assert_false(tv_ballot_is_signed(b));
	assert_status(fx->ctx, tv_ballot_verify(fx->ctx, b, fx->m, &fx->key), TV_ERR_SIGNATURE_INVALID);
	assert_ok(fx->ctx, tv_ballot_check_challenge(fx->ctx, &choice, opened, strlen(opened), fx->m,
	                                             &fx->key));
	assert_int_equal(choice, 2);
	assert_null(strstr(opened, "\"signature\""));
	/* a signature put into an opened ballot makes it no opened ballot */
	root = json_loads(opened, 0, NULL);
	json_object_set_new(json_object_get(root, "ballot"), "signature",
	                    json_pack("{s:s, s:s}", "commitment", "04", "response", "00"));
	{
		char *bad = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);

		assert_status(fx->ctx, tv_ballot_check_challenge(fx->ctx, &choice, bad, strlen(bad), fx->m,
		                                                 &fx->key),
		              TV_ERR_ENCODING);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "ballot.signature: must not be there"));
		free(bad);
	}
	json_decref(root);
	tv_free(fx->ctx, opened);
	tv_ballot_free(b);
}

static void tracking_text_is_typeable(void **state)
{
	fixture *fx = *state;
	tv_ballot *a = make(fx, fx->m, 1), *b = make(fx, fx->m, 1);
	char ta[TV_TRACKING_TEXT_LEN + 1], tb[TV_TRACKING_TEXT_LEN + 1];

	tv_ballot_tracking_text(ta, a);
	tv_ballot_tracking_text(tb, b);
	assert_int_equal(strlen(ta), TV_TRACKING_TEXT_LEN);
	assert_true(ta[4] == '-' && ta[9] == '-' && ta[14] == '-');
	assert_string_not_equal(ta, tb); /* same choice, fresh randomness */
	/* the last symbol is a Luhn mod 32 check over the other fifteen */
	{
		static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
		unsigned sum = 0, factor = 1;

		for (int i = TV_TRACKING_TEXT_LEN - 1; i >= 0; i--) {
			unsigned add;

			if (ta[i] == '-')
				continue;
			add = factor * (unsigned)(strchr(alphabet, ta[i]) - alphabet);
			sum += add / 32 + add % 32;
			factor = factor == 2 ? 1 : 2;
		}
		assert_int_equal(sum % 32, 0);
	}
	tv_ballot_free(a);
	tv_ballot_free(b);
}

/* @p b's JSON with the string at @p path (a.b.c, numbers index arrays)
 * replaced by @p hex, read back: tracking code recomputed, signature kept */
static tv_ballot *altered(fixture *fx, const tv_ballot *b, const char *const *path, size_t depth,
                          const char *hex)
{
	tv_ballot *t = NULL;
	char *json = NULL, *text;
	size_t len;
	json_t *root, *at, *parent = NULL;

	assert_ok(fx->ctx, tv_ballot_to_json(fx->ctx, &json, &len, b));
	root = json_loadb(json, len, 0, NULL);
	at = root;
	for (size_t i = 0; i < depth; i++) {
		parent = at;
		at = json_is_array(at) ? json_array_get(at, (size_t)atoi(path[i]))
		                       : json_object_get(at, path[i]);
		assert_non_null(at);
	}
	if (json_is_array(parent))
		json_array_set_new(parent, (size_t)atoi(path[depth - 1]), json_string(hex));
	else
		json_object_set_new(parent, path[depth - 1], json_string(hex));
	text = json_dumps(root, JSON_COMPACT);
	assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &t, text, strlen(text)));
	free(text);
	json_decref(root);
	tv_free(fx->ctx, json);
	return t;
}

/*
 * SPEC §5.5: a batch of ballots is checked as one multi-scalar
 * multiplication; a ballot whose equations fail is found by bisection,
 * and only those; a ballot failing a check that is not an equation is
 * refused before it joins. The batch's verdict on every ballot is the
 * single check's.
 */
static void batch_agrees_with_single_checks(void **state)
{
	fixture *fx = *state;
	enum { COUNT = 23 };
	tv_ballot *b[COUNT];
	tv__batch *batch = NULL;
	uint8_t bad[COUNT];
	size_t nbad, added = 0;
	char hex[65];
	static const char *const response[] = { "selections", "1", "proof", "0", "response" };
	static const char *const sig_s[] = { "signature", "response" };
	static const char *const challenge[] = { "total", "proof", "1", "challenge" };
	tv_scalar one = { { 0 } };

	one.bytes[31] = 1;
	for (size_t i = 0; i < COUNT; i++)
		b[i] = make(fx, fx->m, (uint32_t)(i % 4));
	assert_ok(fx->ctx, tv__batch_new(fx->ctx, &batch, &fx->key));
	/* the totals of many ballots at once are each ballot's sum */
	{
		tv_ciphertext totals[COUNT], one_by_one;
		uint8_t ok[COUNT];

		assert_ok(fx->ctx, tv__ballot_totals(fx->ctx, totals, ok, (const tv_ballot *const *)b,
		                                     COUNT));
		for (size_t i = 0; i < COUNT; i++) {
			one_by_one = *tv_ballot_ciphertext(b[i], 1);
			for (uint32_t k = 2; k <= tv_ballot_option_count(b[i]); k++)
				assert_ok(fx->ctx, tv_ciphertext_add(fx->ctx, &one_by_one, &one_by_one,
				                                     tv_ballot_ciphertext(b[i], k)));
			assert_int_equal(ok[i], 1);
			assert_memory_equal(&totals[i], &one_by_one, sizeof(one_by_one));
		}
		/* every ballot good: one sum, no bad one, with the totals given */
		assert_ok(fx->ctx, tv__batch_start(batch));
		for (size_t i = 0; i < COUNT; i++)
			assert_ok(fx->ctx, tv__ballot_batch_add(fx->ctx, batch, b[i], fx->f, fx->m,
			                                        &totals[i]));
		assert_ok(fx->ctx, tv__batch_check(batch, bad, &nbad));
		assert_int_equal(nbad, 0);
	}
	/* and without */
	assert_ok(fx->ctx, tv__batch_start(batch));
	for (size_t i = 0; i < COUNT; i++)
		assert_ok(fx->ctx, tv__ballot_batch_add(fx->ctx, batch, b[i], fx->f, fx->m, NULL));
	assert_int_equal(tv__batch_items(batch), COUNT);
	assert_ok(fx->ctx, tv__batch_check(batch, bad, &nbad));
	assert_int_equal(nbad, 0);
	/* three ballots whose equations fail: a proof's response, the
	 * signature's response (both hashed into T, so the signature fails
	 * too), and a signature whose s is one more */
	{
		tv_ballot *t;

		tv_scalar_to_hex(hex, &one);
		t = altered(fx, b[3], response, 5, hex);
		tv_ballot_free(b[3]);
		b[3] = t;
		t = altered(fx, b[12], sig_s, 2, hex);
		tv_ballot_free(b[12]);
		b[12] = t;
		t = altered(fx, b[22], sig_s, 2, hex);
		tv_ballot_free(b[22]);
		b[22] = t;
	}
	/* and one failing a check that is no equation: a branch challenge
	 * changed, so the challenges no longer add up */
	{
		tv_ballot *t = altered(fx, b[7], challenge, 4, hex);

		tv_ballot_free(b[7]);
		b[7] = t;
	}
	assert_ok(fx->ctx, tv__batch_start(batch));
	for (size_t i = 0; i < COUNT; i++) {
		tv_status st = tv__ballot_batch_add(fx->ctx, batch, b[i], fx->f, fx->m, NULL);

		assert_int_equal(st, i == 7 ? TV_ERR_PROOF_INVALID : TV_OK);
		added += st == TV_OK;
	}
	assert_int_equal(tv__batch_items(batch), COUNT - 1);
	assert_ok(fx->ctx, tv__batch_check(batch, bad, &nbad));
	assert_int_equal(nbad, 3);
	for (size_t i = 0, item = 0; i < COUNT; i++) {
		tv_status single = tv_ballot_verify(fx->ctx, b[i], fx->m, &fx->key);

		if (i == 7) {
			/* T covers the challenge too: the signature fails first */
			assert_int_equal(single, TV_ERR_SIGNATURE_INVALID);
			continue;
		}
		if ((single == TV_OK) != !bad[item])
			fail_msg("ballot %zu: single %s, batch %s", i, tv_status_str(single),
			         bad[item] ? "bad" : "good");
		item++;
	}
	/* a batch of one bad ballot alone */
	assert_ok(fx->ctx, tv__batch_start(batch));
	assert_ok(fx->ctx, tv__ballot_batch_add(fx->ctx, batch, b[12], fx->f, fx->m, NULL));
	assert_ok(fx->ctx, tv__batch_check(batch, bad, &nbad));
	assert_int_equal(nbad, 1);
	/* another election's manifest: refused before joining */
	{
		uint8_t other[32];

		tv_manifest_fingerprint(other, fx->other);
		assert_int_equal(tv__ballot_batch_add(fx->ctx, batch, b[0], other, fx->other, NULL),
		                 TV_ERR_PROOF_INVALID);
	}
	/* a spoilt paper's signature joins a batch too, and a forged one is found */
	{
		tv_spoilt *sp = NULL, *forged = NULL;
		char *json = NULL, *text;
		size_t len;

		assert_ok(fx->ctx, tv_spoilt_make(fx->ctx, &sp, fx->m, fx->code.text,
		                                  strlen(fx->code.text), TV_SPOILT_MORE_THAN_ONE_ANSWER));
		assert_ok(fx->ctx, tv_spoilt_to_json(fx->ctx, &json, &len, sp));
		text = test_replace(json, "\"more-than-one-answer\"", "\"identifies-voter\"", &len);
		assert_ok(fx->ctx, tv_spoilt_from_json(fx->ctx, &forged, text, len));
		assert_ok(fx->ctx, tv__batch_start(batch));
		assert_ok(fx->ctx, tv__ballot_batch_add(fx->ctx, batch, b[0], fx->f, fx->m, NULL));
		assert_ok(fx->ctx, tv__spoilt_batch_add(fx->ctx, batch, sp, fx->f));
		assert_ok(fx->ctx, tv__spoilt_batch_add(fx->ctx, batch, forged, fx->f));
		assert_ok(fx->ctx, tv__ballot_batch_add(fx->ctx, batch, b[1], fx->f, fx->m, NULL));
		assert_ok(fx->ctx, tv__batch_check(batch, bad, &nbad));
		assert_int_equal(nbad, 1);
		assert_int_equal(bad[2], 1);
		assert_status(fx->ctx, tv_spoilt_verify(fx->ctx, forged, fx->m), TV_ERR_SIGNATURE_INVALID);
		assert_ok(fx->ctx, tv_spoilt_verify(fx->ctx, sp, fx->m));
		free(text);
		tv_free(fx->ctx, json);
		tv_spoilt_free(sp);
		tv_spoilt_free(forged);
	}
	(void)added;
	tv__batch_free(batch);
	for (size_t i = 0; i < COUNT; i++)
		tv_ballot_free(b[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_choice_verifies_and_decrypts),
		cmocka_unit_test(fixed_base_ballot_is_the_plain_one),
		cmocka_unit_test(refused_at_the_device),
		cmocka_unit_test(refused_by_any_checker),
		cmocka_unit_test(json_tampering),
		cmocka_unit_test(challenge_opens_and_catches_a_lying_device),
		cmocka_unit_test(prepared_ballot_is_signed_only_at_cast),
		cmocka_unit_test(challenged_ballot_cannot_be_signed),
		cmocka_unit_test(tracking_text_is_typeable),
		cmocka_unit_test(batch_agrees_with_single_checks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
