/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.2–§15.4: casting into the box, receipts, revoting, challenges
 * and close, on a box set up for real (register, credentials, ceremony).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "helpers.h"
#include "internal.h"
#include "json_util.h"

#define OPENS 1800000000
#define CLOSES 1801000000
#define NOW (OPENS + 3600)

static char dir[256];

typedef struct fixture {
	tv_ctx *ctx;
	tv_box *box;
	tv_ed25519_secret_key box_key;
	tv_election_key key;
	char codes[3][TV_CREDENTIAL_TEXT_LEN + 1];
	int ncodes;
} fixture;

static int on_letter(const tv_tenant *t, const char *code, void *payload)
{
	fixture *fx = payload;

	if (t != NULL && fx->ncodes < 3)
		snprintf(fx->codes[fx->ncodes++], sizeof(fx->codes[0]), "%s", code);
	return 0;
}

static int board_rows(void)
{
	char path[300];
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, TV_BOX_FILE);
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM board", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

static int setup(void **state)
{
	fixture *fx = test_calloc(1, sizeof(*fx));
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;
	tv_register *reg = NULL;
	tv_trustee *t[2] = { NULL };
	char *commits[2], *reveals[2], *results[2];
	const char *csv = "tenancy_ref,name,address,tenancy_type\n"
	                  "T1,Siân Ellis,1 Heol y Bont,secure\n"
	                  "T1,Gareth Ellis,1 Heol y Bont,secure\n"
	                  "T2,Ann Smith,2 Mill Lane,secure\n";
	uint8_t f[32], c[32];
	int i;

	snprintf(dir, sizeof(dir), "/tmp/tv-test-board-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	fx->ctx = test_ctx_new();
	test_yes_no_options(&o, "board-test", OPENS, CLOSES);
	o.trustees = 2;
	o.threshold = 2;
	assert_ok(fx->ctx, tv_manifest_new(fx->ctx, &m, &o));
	assert_ok(fx->ctx, tv_box_create(fx->ctx, &fx->box, dir, m));
	assert_ok(fx->ctx, tv_register_parse(fx->ctx, &reg, (const uint8_t *)csv, strlen(csv), "r.csv",
	                                     NULL, NULL));
	assert_ok(fx->ctx, tv_box_import_register(fx->ctx, fx->box, reg, "r.csv"));
	assert_ok(fx->ctx, tv_box_issue_credentials(fx->ctx, fx->box, on_letter, fx));
	tv_manifest_fingerprint(f, m);
	assert_ok(fx->ctx, tv_box_ceremony_context(fx->ctx, c, fx->box));
	for (i = 0; i < 2; i++) {
		assert_ok(fx->ctx, tv_trustee_new(fx->ctx, &t[i], c, (uint32_t)i + 1, 2, 2));
		assert_ok(fx->ctx, tv_trustee_commit(fx->ctx, &commits[i], t[i]));
	}
	for (i = 0; i < 2; i++)
		assert_ok(fx->ctx, tv_trustee_reveal(fx->ctx, &reveals[i], t[i], (const char *const *)commits, 2));
	for (i = 0; i < 2; i++)
		assert_ok(fx->ctx, tv_trustee_combine(fx->ctx, &results[i], NULL, t[i],
		                                      (const char *const *)commits, 2,
		                                      (const char *const *)reveals, 2));
	assert_ok(fx->ctx, tv_box_set_election_key(fx->ctx, fx->box, (const char *const *)commits,
	                                           (const char *const *)reveals,
	                                           (const char *const *)results, 2));
	assert_ok(fx->ctx, tv_box_election_key(fx->ctx, &fx->key, fx->box));
	for (i = 0; i < 2; i++) {
		tv_free(fx->ctx, commits[i]);
		tv_free(fx->ctx, reveals[i]);
		tv_free(fx->ctx, results[i]);
		tv_trustee_free(t[i]);
	}
	tv_register_free(reg);
	tv_manifest_free(m);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	char cmd[300];

	tv_box_free(fx->box);
	tv_ctx_free(fx->ctx);
	test_free(fx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static tv_ballot *ballot_for(fixture *fx, const char *code, uint32_t choice)
{
	tv_ballot *b = NULL;

	assert_ok(fx->ctx, tv_ballot_encrypt(fx->ctx, &b, NULL, tv_box_manifest(fx->box), &fx->key.key,
	                                     code, strlen(code), choice));
	return b;
}

static void nothing_before_open(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = ballot_for(fx, fx->codes[0], 1);
	tv_receipt r;
	tv_ed25519_secret_key none;

	memset(&none, 7, sizeof(none));
	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, b, TV_CHANNEL_ONLINE, &none, NOW),
	              TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "not opened"));
	assert_int_equal(board_rows(), 0);
	{
		tv_ed25519_public_key pk;

		assert_ok(fx->ctx, tv_ed25519_keygen(fx->ctx, &fx->box_key, &pk));
	}
	assert_ok(fx->ctx, tv_box_open_voting(fx->ctx, fx->box, &fx->box_key));
	assert_status(fx->ctx, tv_box_open_voting(fx->ctx, fx->box, &none), TV_ERR_STATE);
	tv_ballot_free(b);
}

static void cast_receipt_and_revote(void **state)
{
	fixture *fx = *state;
	tv_ballot *first = ballot_for(fx, fx->codes[0], 1), *second = ballot_for(fx, fx->codes[0], 2);
	tv_receipt r1, r2, back;
	char *json = NULL;
	int counts = -1;

	assert_ok(fx->ctx, tv_box_cast(fx->ctx, &r1, fx->box, first, TV_CHANNEL_ONLINE, &fx->box_key, NOW));
	assert_int_equal(r1.position, 1);
	assert_ok(fx->ctx, tv_box_check_receipt(fx->ctx, &counts, fx->box, &r1));
	assert_int_equal(counts, 1);
	/* replaying the same ballot is refused and stores nothing */
	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r2, fx->box, first, TV_CHANNEL_POSTAL, &fx->box_key,
	                                   NOW + 1),
	              TV_ERR_REPLAY);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "position 1"));
	assert_int_equal(board_rows(), 1);
	/* a revote by post: the last ballot counts, both stay on the board */
	assert_ok(fx->ctx, tv_box_cast(fx->ctx, &r2, fx->box, second, TV_CHANNEL_POSTAL, &fx->box_key,
	                               NOW + 2));
	assert_int_equal(r2.position, 2);
	assert_memory_equal(r2.prev_head, r1.head, 32); /* the chain */
	/* the accessors a binding uses read the same fields */
	{
		uint8_t bytes[32];

		assert_int_equal(tv_receipt_size(), sizeof(tv_receipt));
		assert_int_equal(tv_receipt_position(&r2), 2);
		assert_int_equal(tv_receipt_time(&r2), NOW + 2);
		assert_int_equal(tv_receipt_channel(&r2), TV_CHANNEL_POSTAL);
		tv_receipt_tracking(bytes, &r2);
		assert_memory_equal(bytes, r2.tracking, 32);
		tv_receipt_election(bytes, &r2);
		assert_memory_equal(bytes, r2.election, 32);
		tv_receipt_head(bytes, &r2);
		assert_memory_equal(bytes, r2.head, 32);
		tv_receipt_head(bytes, &r1);
		assert_memory_equal(bytes, r2.prev_head, 32);
		assert_int_equal(tv_receipt_position(&r1), 1);
	}
	assert_ok(fx->ctx, tv_box_check_receipt(fx->ctx, &counts, fx->box, &r1));
	assert_int_equal(counts, 0);
	assert_ok(fx->ctx, tv_box_check_receipt(fx->ctx, &counts, fx->box, &r2));
	assert_int_equal(counts, 1);
	/* the receipt's JSON form round-trips; any change breaks its signature */
	assert_ok(fx->ctx, tv_receipt_to_json(fx->ctx, &json, &r2));
	assert_ok(fx->ctx, tv_receipt_from_json(fx->ctx, &back, json, strlen(json)));
	assert_memory_equal(&back, &r2, sizeof(back));
	back.position = 1;
	assert_status(fx->ctx, tv_box_check_receipt(fx->ctx, &counts, fx->box, &back),
	              TV_ERR_SIGNATURE_INVALID);
	back = r2;
	back.channel = TV_CHANNEL_ONLINE;
	assert_status(fx->ctx, tv_box_check_receipt(fx->ctx, &counts, fx->box, &back),
	              TV_ERR_SIGNATURE_INVALID);
	assert_status(fx->ctx, tv_receipt_from_json(fx->ctx, &back, "{\"format\":1}", 12), TV_ERR_ENCODING);
	/* a channel is one of 1, 2, 4, 8 (SPEC §15.3): the others are refused */
	for (unsigned c = 0; c <= 9; c++) {
		char *text = strdup(json), *at = strstr(text, "\"channel\":");
		tv_status want = c == 1 || c == 2 || c == 4 || c == 8 ? TV_OK : TV_ERR_ENCODING;

		assert_non_null(at);
		at[10] = (char)('0' + c);
		assert_status(fx->ctx, tv_receipt_from_json(fx->ctx, &back, text, strlen(text)), want);
		if (want != TV_OK)
			assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "channel"));
		free(text);
	}
	tv_free(fx->ctx, json);
	tv_ballot_free(first);
	tv_ballot_free(second);
}

static void refusals_store_nothing(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = ballot_for(fx, fx->codes[2], 2), *stranger = NULL;
	tv_credential_code code;
	tv_point pub;
	tv_receipt r;
	uint8_t f[32];
	int before = board_rows();

	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, b, TV_CHANNEL_ONLINE, &fx->box_key,
	                                   OPENS - 1),
	              TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "outside the voting window"));
	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, b, TV_CHANNEL_ONLINE, &fx->box_key,
	                                   CLOSES),
	              TV_ERR_STATE);
	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, b, TV_CHANNEL_PHONE, &fx->box_key, NOW),
	              TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "channel"));
	/* a key that is not the box's: its receipt would never check */
	{
		tv_ed25519_secret_key wrong;
		tv_ed25519_public_key unused;

		assert_ok(fx->ctx, tv_ed25519_keygen(fx->ctx, &wrong, &unused));
		assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, b, TV_CHANNEL_ONLINE, &wrong, NOW),
		              TV_ERR_INVALID_ARGUMENT);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "not this ballot box's key"));
	}
	/* a code that was never issued: not on the list */
	tv_manifest_fingerprint(f, tv_box_manifest(fx->box));
	assert_ok(fx->ctx, tv_credential_generate(fx->ctx, &code, &pub, f));
	stranger = ballot_for(fx, code.text, 1);
	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, stranger, TV_CHANNEL_ONLINE,
	                                   &fx->box_key, NOW),
	              TV_ERR_CREDENTIAL_INVALID);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "not on this election's list"));
	assert_int_equal(board_rows(), before);
	tv_ballot_free(stranger);
	tv_ballot_free(b);
}

static void challenged_ballot_is_never_cast(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = NULL;
	tv_ballot_secrets *s = NULL;
	char *opened = NULL;
	tv_receipt r;

	assert_ok(fx->ctx, tv_ballot_prepare(fx->ctx, &b, &s, tv_box_manifest(fx->box), &fx->key.key,
	                                     fx->codes[1], strlen(fx->codes[1]), 1));
	assert_ok(fx->ctx, tv_ballot_challenge(fx->ctx, &opened, b, s));
	/* the old call records nothing: an opening goes on the board */
	assert_status(fx->ctx, tv_box_record_challenge(fx->ctx, fx->box, opened, strlen(opened)),
	              TV_ERR_STATE);
	assert_ok(fx->ctx, tv_box_challenge(fx->ctx, &r, fx->box, opened, strlen(opened),
	                                    TV_CHANNEL_ONLINE, &fx->box_key, NOW));
	assert_int_equal(r.position, board_rows());
	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, b, TV_CHANNEL_ONLINE, &fx->box_key, NOW),
	              TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "challenged"));
	/* published once: a second time is a replay */
	assert_status(fx->ctx, tv_box_challenge(fx->ctx, &r, fx->box, opened, strlen(opened),
	                                        TV_CHANNEL_ONLINE, &fx->box_key, NOW),
	              TV_ERR_REPLAY);
	tv_free(fx->ctx, opened);
	tv_ballot_free(b);
}

/* (a) an opened ballot, even re-read from its JSON, re-proved from its
 * nonces and signed by its own credential, is never cast by the box */
static void opened_vote_is_never_cast(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = NULL, *again = NULL;
	tv_ballot_secrets *s = NULL;
	tv_scalar nonce[TV_MAX_OPTIONS], x;
	uint32_t choice = 0;
	char *opened = NULL, *inner = NULL;
	json_t *root;
	tv_receipt r;
	uint8_t f[32];
	int64_t before;

	assert_ok(fx->ctx, tv_ballot_prepare(fx->ctx, &b, &s, tv_box_manifest(fx->box), &fx->key.key,
	                                     fx->codes[2], strlen(fx->codes[2]), 2));
	assert_ok(fx->ctx, tv_ballot_challenge(fx->ctx, &opened, b, s));
	assert_ok(fx->ctx, tv_box_challenge(fx->ctx, &r, fx->box, opened, strlen(opened),
	                                    TV_CHANNEL_ONLINE, &fx->box_key, NOW));
	root = json_loads(opened, 0, NULL);
	assert_ok(fx->ctx, tv__opened_from_value(fx->ctx, &again, &choice, nonce, root));
	tv_ballot_free(again);
	again = NULL;
	/* the ballot inside, read back as a fresh object and signed: same T, refused */
	inner = json_dumps(json_object_get(root, "ballot"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &again, inner, strlen(inner)));
	assert_ok(fx->ctx, tv_ballot_sign(fx->ctx, again, fx->codes[2], strlen(fx->codes[2])));
	before = board_rows();
	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, again, TV_CHANNEL_ONLINE,
	                                   &fx->box_key, NOW),
	              TV_ERR_REPLAY);
	/* re-proved from the revealed nonces: a new T, the same encrypted vote, refused */
	tv_manifest_fingerprint(f, tv_box_manifest(fx->box));
	assert_ok(fx->ctx, tv_credential_derive(fx->ctx, &x, NULL, fx->codes[2], strlen(fx->codes[2]),
	                                        f));
	assert_ok(fx->ctx, tv__ballot_reprove(fx->ctx, again, choice, nonce, &fx->key.key, &x));
	assert_ok(fx->ctx, tv_ballot_verify(fx->ctx, again, tv_box_manifest(fx->box), &fx->key.key));
	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, again, TV_CHANNEL_ONLINE,
	                                   &fx->box_key, NOW),
	              TV_ERR_REPLAY);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "opened"));
	assert_int_equal(board_rows(), before);
	free(inner);
	json_decref(root);
	tv_free(fx->ctx, opened);
	tv_ballot_free(again);
	tv_ballot_free(b);
}

/*
 * The other way round: a ballot cast, then an "opening" of it whose
 * proofs were made again from the nonces (a new tracking code, the same
 * encryption), as a device that kept the nonces could publish. The box
 * refuses it: on the board it would fail the whole record at check 8.
 */
static void cast_vote_is_never_opened(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = NULL, *again = NULL;
	tv_ballot_secrets *s = NULL;
	tv_scalar nonce[TV_MAX_OPTIONS], x;
	uint32_t choice = 0;
	char *opened = NULL, *inner = NULL, *reopened = NULL, *text;
	json_t *root, *redo;
	tv_receipt r;
	uint8_t f[32];
	int64_t before;

	assert_ok(fx->ctx, tv_ballot_prepare(fx->ctx, &b, &s, tv_box_manifest(fx->box), &fx->key.key,
	                                     fx->codes[0], strlen(fx->codes[0]), 1));
	/* the device opens it for itself, but casts it: the box never saw the opening */
	assert_ok(fx->ctx, tv_ballot_challenge(fx->ctx, &opened, b, s));
	root = json_loads(opened, 0, NULL);
	assert_ok(fx->ctx, tv__opened_from_value(fx->ctx, &again, &choice, nonce, root));
	tv_ballot_free(again);
	inner = json_dumps(json_object_get(root, "ballot"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &again, inner, strlen(inner)));
	assert_ok(fx->ctx, tv_ballot_sign(fx->ctx, again, fx->codes[0], strlen(fx->codes[0])));
	assert_ok(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, again, TV_CHANNEL_ONLINE, &fx->box_key,
	                               NOW));
	/* the same encryption proved again, unsigned, and handed in as opened */
	tv_manifest_fingerprint(f, tv_box_manifest(fx->box));
	assert_ok(fx->ctx, tv_credential_derive(fx->ctx, &x, NULL, fx->codes[0], strlen(fx->codes[0]),
	                                        f));
	assert_ok(fx->ctx, tv__ballot_reprove(fx->ctx, again, choice, nonce, &fx->key.key, &x));
	tv_scalar_wipe(&x);
	assert_ok(fx->ctx, tv__opened_to_json(fx->ctx, &reopened, again, choice, nonce));
	redo = json_loads(reopened, 0, NULL);
	json_object_del(json_object_get(redo, "ballot"), "signature");
	text = json_dumps(redo, JSON_COMPACT | JSON_PRESERVE_ORDER);
	before = board_rows();
	assert_status(fx->ctx, tv_box_challenge(fx->ctx, &r, fx->box, text, strlen(text),
	                                        TV_CHANNEL_ONLINE, &fx->box_key, NOW),
	              TV_ERR_REPLAY);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "it was cast"));
	assert_int_equal(board_rows(), before);
	free(text);
	json_decref(redo);
	tv_free(fx->ctx, reopened);
	free(inner);
	json_decref(root);
	tv_free(fx->ctx, opened);
	tv_ballot_free(again);
	tv_ballot_free(b);
}

typedef struct marked_rows {
	int count;
	char first_name[64];
	uint32_t first_ballots, first_channels;
} marked_rows;

static int on_marked(const tv_marked_tenant *mk, void *payload)
{
	marked_rows *m = payload;

	if (m->count++ == 0) {
		snprintf(m->first_name, sizeof(m->first_name), "%s", mk->tenant->name);
		m->first_ballots = mk->ballots;
		m->first_channels = mk->channels;
	}
	return 0;
}

static int audit_rows(const char *event)
{
	char path[300], sql[200];
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, TV_BOX_FILE);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE event = '%s'", event);
	if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

/* who voted and how they voted are apart: the marked register has the first */
static void marked_register_lists_voters_only(void **state)
{
	fixture *fx = *state;
	marked_rows m = { 0 };

	assert_status(fx->ctx, tv_box_marked_register(fx->ctx, fx->box, "", on_marked, &m),
	              TV_ERR_INVALID_ARGUMENT);
	assert_ok(fx->ctx, tv_box_marked_register(fx->ctx, fx->box, "returning officer's count check",
	                                          on_marked, &m));
	assert_int_equal(m.count, 1);                 /* only Siân has voted so far */
	assert_string_equal(m.first_name, "Siân Ellis");
	assert_int_equal(m.first_ballots, 3);          /* a vote and two revotes */
	assert_int_equal(m.first_channels, TV_CHANNEL_ONLINE | TV_CHANNEL_POSTAL);
	assert_int_equal(audit_rows("marked-register-exported"), 1);
}

/* SPEC §15.6: a spoilt paper is signed by its credential; any change shows */
static void spoilt_paper_is_signed(void **state)
{
	fixture *fx = *state;
	const tv_manifest *m = tv_box_manifest(fx->box);
	tv_spoilt *p = NULL, *back = NULL;
	tv_spoilt_reason reason;
	uint8_t t1[32], t2[32];
	char *json = NULL, *bad;
	size_t len;

	assert_ok(fx->ctx, tv_spoilt_reason_parse(fx->ctx, &reason, "identifies-voter"));
	assert_int_equal(reason, TV_SPOILT_IDENTIFIES_VOTER);
	assert_status(fx->ctx, tv_spoilt_reason_parse(fx->ctx, &reason, "torn"), TV_ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "'torn'"));
	assert_status(fx->ctx, tv_spoilt_make(fx->ctx, &p, m, "not a code", 10, reason),
	              TV_ERR_CREDENTIAL_INVALID);
	assert_ok(fx->ctx, tv_spoilt_make(fx->ctx, &p, m, fx->codes[1], strlen(fx->codes[1]), reason));
	assert_ok(fx->ctx, tv_spoilt_verify(fx->ctx, p, m));
	assert_ok(fx->ctx, tv_spoilt_to_json(fx->ctx, &json, &len, p));
	assert_ok(fx->ctx, tv_spoilt_from_json(fx->ctx, &back, json, len));
	tv_spoilt_tracking(t1, p);
	tv_spoilt_tracking(t2, back);
	assert_memory_equal(t1, t2, 32);
	assert_ok(fx->ctx, tv_spoilt_verify(fx->ctx, back, m));
	tv_spoilt_free(back);
	back = NULL;
	/* another reason under the same signature */
	bad = test_replace(json, "identifies-voter", "no-official-mark", NULL);
	assert_ok(fx->ctx, tv_spoilt_from_json(fx->ctx, &back, bad, strlen(bad)));
	assert_status(fx->ctx, tv_spoilt_verify(fx->ctx, back, m), TV_ERR_SIGNATURE_INVALID);
	tv_spoilt_free(back);
	back = NULL;
	free(bad);
	bad = test_replace(json, "identifies-voter", "smudged", NULL);
	assert_status(fx->ctx, tv_spoilt_from_json(fx->ctx, &back, bad, strlen(bad)), TV_ERR_ENCODING);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "reason"));
	free(bad);
	bad = test_replace(json, "\"reason\"", "\"reasons\"", NULL);
	assert_status(fx->ctx, tv_spoilt_from_json(fx->ctx, &back, bad, strlen(bad)), TV_ERR_ENCODING);
	free(bad);
	/* a paper recorded for another election */
	{
		tv_manifest_options o;
		tv_manifest *other = NULL;

		tv_manifest_get_options(&o, m);
		o.election_id = "another-ballot";
		assert_ok(fx->ctx, tv_manifest_new(fx->ctx, &other, &o));
		assert_status(fx->ctx, tv_spoilt_verify(fx->ctx, p, other), TV_ERR_WRONG_ELECTION);
		tv_manifest_free(other);
	}
	tv_free(fx->ctx, json);
	tv_spoilt_free(p);
}

/* one transaction for many: refused items are refused alone */
static void batch_cast_and_receipts_again(void **state)
{
	fixture *fx = *state;
	const tv_manifest *m = tv_box_manifest(fx->box);
	tv_ballot *b = ballot_for(fx, fx->codes[1], 2), *replay = ballot_for(fx, fx->codes[2], 1);
	tv_spoilt *p = NULL;
	tv_cast_item items[4];
	tv_receipt again, first;
	int before, counts = -1;

	assert_ok(fx->ctx, tv_box_cast(fx->ctx, &first, fx->box, replay, TV_CHANNEL_ONLINE,
	                               &fx->box_key, NOW));
	before = board_rows();
	assert_ok(fx->ctx, tv_spoilt_make(fx->ctx, &p, m, fx->codes[2], strlen(fx->codes[2]),
	                                  TV_SPOILT_MORE_THAN_ONE_ANSWER));
	memset(items, 0, sizeof(items));
	items[0].ballot = b;
	items[0].channel = TV_CHANNEL_POSTAL;
	items[1].ballot = replay;
	items[1].channel = TV_CHANNEL_POSTAL;
	items[2].spoilt = p;
	items[2].channel = TV_CHANNEL_POSTAL;
	items[3].ballot = b; /* the same ballot twice in one batch */
	items[3].channel = TV_CHANNEL_POSTAL;
	assert_ok(fx->ctx, tv_box_cast_batch(fx->ctx, fx->box, items, 4, &fx->box_key, NOW + 10));
	assert_int_equal(items[0].status, TV_OK);
	assert_int_equal(items[1].status, TV_ERR_REPLAY);
	assert_non_null(strstr(items[1].message, "already on the board"));
	assert_int_equal(items[2].status, TV_OK);
	assert_int_equal(items[3].status, TV_ERR_REPLAY);
	assert_int_equal(board_rows(), before + 2);
	assert_int_equal(items[2].receipt.position, items[0].receipt.position + 1);
	assert_memory_equal(items[2].receipt.prev_head, items[0].receipt.head, 32);
	/* the spoilt paper counts for its credential now (revote policy last) */
	assert_ok(fx->ctx, tv_box_check_receipt(fx->ctx, &counts, fx->box, &items[2].receipt));
	assert_int_equal(counts, 1);
	assert_ok(fx->ctx, tv_box_check_receipt(fx->ctx, &counts, fx->box, &first));
	assert_int_equal(counts, 0);
	/* a receipt signed again is the same receipt */
	assert_ok(fx->ctx, tv_box_receipt(fx->ctx, &again, fx->box, items[2].receipt.position,
	                                  &fx->box_key));
	assert_memory_equal(&again, &items[2].receipt, sizeof(again));
	assert_status(fx->ctx, tv_box_receipt(fx->ctx, &again, fx->box, 999, &fx->box_key),
	              TV_ERR_INVALID_ARGUMENT);
	/* the board with a spoilt paper on it still checks */
	assert_ok(fx->ctx, tv_box_verify_board(fx->ctx, NULL, NULL, fx->box));
	/* a whole-batch refusal stores nothing */
	memset(items, 0, sizeof(items));
	items[0].ballot = ballot_for(fx, fx->codes[0], 1);
	items[0].channel = TV_CHANNEL_ONLINE;
	assert_status(fx->ctx, tv_box_cast_batch(fx->ctx, fx->box, items, 1, &fx->box_key, CLOSES),
	              TV_ERR_STATE);
	assert_int_equal(items[0].status, TV_ERR_STATE);
	assert_int_equal(board_rows(), before + 2);
	tv_ballot_free((tv_ballot *)items[0].ballot);
	tv_spoilt_free(p);
	tv_ballot_free(b);
	tv_ballot_free(replay);
}

/*
 * A batch's ballots are checked together (SPEC §5.5), but a bad one among
 * good ones is refused alone, with the status and message its own check
 * gives, and the good ones around it are cast.
 */
static void batch_refuses_bad_ballots_alone(void **state)
{
	fixture *fx = *state;
	const tv_manifest *m = tv_box_manifest(fx->box);
	tv_ballot *good1 = ballot_for(fx, fx->codes[0], 1), *good2 = ballot_for(fx, fx->codes[1], 2);
	tv_ballot *unsigned_b = NULL, *bad = NULL, *prepared = NULL;
	tv_ballot_secrets *s = NULL;
	tv_cast_item items[5];
	char *json = NULL, *at, want_proof[sizeof(items[0].message)];
	char want_sig[sizeof(items[0].message)];
	int before;

	/* a proof made wrong by one digit of a response, then signed by its tenant */
	assert_ok(fx->ctx, tv_ballot_prepare(fx->ctx, &prepared, &s, m, &fx->key.key, fx->codes[2],
	                                     strlen(fx->codes[2]), 2));
	assert_ok(fx->ctx, tv_ballot_to_json(fx->ctx, &json, NULL, prepared));
	at = strstr(json, "\"response\":\"");
	assert_non_null(at);
	at += strlen("\"response\":\"") + 63;
	*at = *at == '0' ? '1' : '0';
	assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &bad, json, strlen(json)));
	assert_ok(fx->ctx, tv_ballot_sign(fx->ctx, bad, fx->codes[2], strlen(fx->codes[2])));
	assert_status(fx->ctx, tv_ballot_verify(fx->ctx, bad, m, &fx->key.key), TV_ERR_PROOF_INVALID);
	snprintf(want_proof, sizeof(want_proof), "%s", tv_ctx_last_error(fx->ctx));
	/* a ballot never signed */
	assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &unsigned_b, json, strlen(json)));
	tv_free(fx->ctx, json);
	json = NULL;
	assert_ok(fx->ctx, tv_ballot_to_json(fx->ctx, &json, NULL, prepared));
	tv_ballot_free(unsigned_b);
	unsigned_b = NULL;
	assert_ok(fx->ctx, tv_ballot_from_json(fx->ctx, &unsigned_b, json, strlen(json)));
	assert_status(fx->ctx, tv_ballot_verify(fx->ctx, unsigned_b, m, &fx->key.key),
	              TV_ERR_SIGNATURE_INVALID);
	snprintf(want_sig, sizeof(want_sig), "%s", tv_ctx_last_error(fx->ctx));

	before = board_rows();
	memset(items, 0, sizeof(items));
	items[0].ballot = good1;
	items[1].ballot = bad;
	items[2].ballot = unsigned_b;
	items[3].ballot = bad;
	items[4].ballot = good2;
	for (int i = 0; i < 5; i++)
		items[i].channel = TV_CHANNEL_POSTAL;
	assert_ok(fx->ctx, tv_box_cast_batch(fx->ctx, fx->box, items, 5, &fx->box_key, NOW + 20));
	assert_int_equal(items[0].status, TV_OK);
	assert_int_equal(items[1].status, TV_ERR_PROOF_INVALID);
	assert_string_equal(items[1].message, want_proof);
	assert_int_equal(items[2].status, TV_ERR_SIGNATURE_INVALID);
	assert_string_equal(items[2].message, want_sig);
	assert_int_equal(items[3].status, TV_ERR_PROOF_INVALID);
	assert_string_equal(items[3].message, want_proof);
	assert_int_equal(items[4].status, TV_OK);
	assert_int_equal(board_rows(), before + 2);
	assert_int_equal(items[4].receipt.position, items[0].receipt.position + 1);
	/* two good ballots alone: both cast */
	tv_ballot_free(good1);
	tv_ballot_free(good2);
	good1 = ballot_for(fx, fx->codes[0], 2);
	good2 = ballot_for(fx, fx->codes[1], 1);
	memset(items, 0, sizeof(items));
	items[0].ballot = good1;
	items[1].ballot = good2;
	items[0].channel = items[1].channel = TV_CHANNEL_ONLINE;
	assert_ok(fx->ctx, tv_box_cast_batch(fx->ctx, fx->box, items, 2, &fx->box_key, NOW + 21));
	assert_int_equal(items[0].status, TV_OK);
	assert_int_equal(items[1].status, TV_OK);
	assert_int_equal(board_rows(), before + 4);
	assert_ok(fx->ctx, tv_box_verify_board(fx->ctx, NULL, NULL, fx->box));
	tv_free(fx->ctx, json);
	tv_ballot_secrets_free(s);
	tv_ballot_free(prepared);
	tv_ballot_free(bad);
	tv_ballot_free(unsigned_b);
	tv_ballot_free(good1);
	tv_ballot_free(good2);
}

typedef struct collected {
	char text[8][200];
	uint32_t line[8];
	int count;
} collected;

static void on_problem(uint32_t line, const char *message, void *payload)
{
	collected *c = payload;

	if (c->count < 8) {
		c->line[c->count] = line;
		snprintf(c->text[c->count], sizeof(c->text[0]), "%s", message);
	}
	c->count++;
}

typedef struct receipts {
	tv_receipt r[8];
	uint32_t line[8];
	int already[8];
	int count;
} receipts;

/* a receipts file that fills after its first receipt */
static int on_receipt_then_full(const tv_intake_event *ev, void *payload)
{
	int *handed = payload;

	(void)ev;
	return (*handed)++ >= 1;
}

static int on_receipt(const tv_intake_event *ev, void *payload)
{
	receipts *rs = payload;

	if (rs->count < 8) {
		rs->r[rs->count] = *ev->receipt;
		rs->line[rs->count] = ev->line;
		rs->already[rs->count] = ev->already;
	}
	rs->count++;
	return 0;
}

/* SPEC §15.7: every row checked first; a second run casts nothing twice */
static void intake_checks_first_and_runs_again(void **state)
{
	fixture *fx = *state;
	const tv_manifest *m = tv_box_manifest(fx->box);
	tv_intake *in = NULL;
	tv_intake_summary sum;
	tv_intake_row row;
	collected c;
	receipts first, second;
	char csv[1024], typo[TV_CREDENTIAL_TEXT_LEN + 1];
	int before = board_rows();

	/* a code with one symbol changed fails its check symbol */
	snprintf(typo, sizeof(typo), "%s", fx->codes[1]);
	typo[0] = typo[0] == 'A' ? 'B' : 'A';
	snprintf(csv, sizeof(csv),
	         "code,choice\n%s,3\n%s,1\n%s,rejected:torn\n%s,2\n\n%s,blank\n", fx->codes[0],
	         typo, fx->codes[1], fx->codes[2], fx->codes[2]);
	memset(&c, 0, sizeof(c));
	assert_status(fx->ctx, tv_intake_parse(fx->ctx, &in, csv, strlen(csv), m, "post.csv",
	                                       on_problem, &c),
	              TV_ERR_INTAKE_INVALID);
	assert_null(in);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.line[0], 2);
	assert_non_null(strstr(c.text[0], "only options 1 to 2"));
	assert_int_equal(c.line[1], 3);
	assert_non_null(strstr(c.text[1], "code"));
	assert_int_equal(c.line[2], 4);
	assert_non_null(strstr(c.text[2], "no-official-mark"));
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "post.csv: 3 problems; line 2"));
	/* the columns swapped: a code in the choice column is refused but never
	 * repeated in a message, which reaches logs and terminals */
	snprintf(csv, sizeof(csv), "code,choice\n1,%s\n", fx->codes[0]);
	memset(&c, 0, sizeof(c));
	assert_status(fx->ctx, tv_intake_parse(fx->ctx, &in, csv, strlen(csv), m, "swapped.csv",
	                                       on_problem, &c),
	              TV_ERR_INTAKE_INVALID);
	assert_int_equal(c.count, 1);
	assert_non_null(strstr(c.text[0], "choice"));
	{
		/* not the code, nor its first four symbols */
		char head[5];

		memcpy(head, fx->codes[0], 4);
		head[4] = '\0';
		assert_null(strstr(c.text[0], head));
		assert_null(strstr(tv_ctx_last_error(fx->ctx), head));
	}
	/* the same tenant twice (after the first problems are fixed) */
	snprintf(csv, sizeof(csv), "code,choice\n%s,2\n\n%s,blank\n", fx->codes[2], fx->codes[2]);
	memset(&c, 0, sizeof(c));
	assert_status(fx->ctx, tv_intake_parse(fx->ctx, &in, csv, strlen(csv), m, NULL, on_problem, &c),
	              TV_ERR_INTAKE_INVALID);
	assert_int_equal(c.count, 1);
	assert_int_equal(c.line[0], 4);
	assert_non_null(strstr(c.text[0], "same credential as line 2"));
	/* a header that is not code,choice */
	assert_status(fx->ctx, tv_intake_parse(fx->ctx, &in, "ref,vote\n", 9, m, NULL, NULL, NULL),
	              TV_ERR_INTAKE_INVALID);
	assert_status(fx->ctx, tv_intake_parse(fx->ctx, &in, "", 0, m, NULL, NULL, NULL),
	              TV_ERR_INTAKE_INVALID);

	/* a good file: a vote, a spoilt paper and a blank, CRLF and a BOM */
	snprintf(csv, sizeof(csv), "\xEF\xBB\xBF" "code,choice\r\n%s,2\r\n%s,rejected:unmarked-or-void\r\n"
	         "%s , blank\r\n", fx->codes[0], fx->codes[1], fx->codes[2]);
	assert_ok(fx->ctx, tv_intake_parse(fx->ctx, &in, csv, strlen(csv), m, NULL, NULL, NULL));
	assert_int_equal(tv_intake_count(in), 3);
	assert_ok(fx->ctx, tv_intake_get_row(&row, in, 1));
	assert_int_equal(row.line, 3);
	assert_int_equal(row.reason, TV_SPOILT_UNMARKED_OR_VOID);
	assert_int_equal(tv_intake_get_row(&row, in, 3), TV_ERR_INVALID_ARGUMENT);
	/* a channel the election does not allow: nothing cast */
	assert_status(fx->ctx, tv_box_intake(fx->ctx, fx->box, in, TV_CHANNEL_PHONE, &fx->box_key,
	                                     NOW + 20, on_receipt, &first, NULL, NULL, &sum),
	              TV_ERR_STATE);
	assert_int_equal(board_rows(), before);
	/* online, though the election allows it: papers only, nothing cast */
	assert_status(fx->ctx, tv_box_intake(fx->ctx, fx->box, in, TV_CHANNEL_ONLINE, &fx->box_key,
	                                     NOW + 20, on_receipt, &first, NULL, NULL, &sum),
	              TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "not an intake channel"));
	assert_int_equal(board_rows(), before);
	memset(&first, 0, sizeof(first));
	assert_ok(fx->ctx, tv_box_intake(fx->ctx, fx->box, in, TV_CHANNEL_POSTAL, &fx->box_key,
	                                 NOW + 20, on_receipt, &first, NULL, NULL, &sum));
	assert_int_equal(sum.rows, 3);
	assert_int_equal(sum.cast, 3);
	assert_int_equal(sum.already, 0);
	assert_int_equal(sum.spoilt, 1);
	assert_int_equal(first.count, 3);
	assert_int_equal(board_rows(), before + 3);
	assert_int_equal(first.line[2], 4);
	/* run again (as after a crash): nothing is cast, the same receipts come back */
	memset(&second, 0, sizeof(second));
	assert_ok(fx->ctx, tv_box_intake(fx->ctx, fx->box, in, TV_CHANNEL_POSTAL, &fx->box_key,
	                                 NOW + 30, on_receipt, &second, NULL, NULL, &sum));
	assert_int_equal(sum.cast, 0);
	assert_int_equal(sum.already, 3);
	assert_int_equal(board_rows(), before + 3);
	for (int i = 0; i < 3; i++) {
		assert_true(second.already[i]);
		assert_memory_equal(&second.r[i], &first.r[i], sizeof(tv_receipt));
	}
	/* a receipt that cannot be kept stops the intake, and the totals still
	 * count every row of the batch on the board, not only those handed on */
	{
		int handed = 0;

		assert_status(fx->ctx, tv_box_intake(fx->ctx, fx->box, in, TV_CHANNEL_POSTAL,
		                                     &fx->box_key, NOW + 30, on_receipt_then_full,
		                                     &handed, NULL, NULL, &sum),
		              TV_ERR_IO);
		assert_int_equal(handed, 2);
		assert_int_equal(sum.rows, 3);
		assert_int_equal(sum.cast + sum.already, 3);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "line 3: the receipt could not be kept"));
		assert_int_equal(board_rows(), before + 3);
	}
	tv_intake_free(in);
	in = NULL;
	/* a code that was never issued is a problem before anything is cast */
	{
		tv_credential_code code;
		tv_point pub;
		uint8_t f[32];

		tv_manifest_fingerprint(f, m);
		assert_ok(fx->ctx, tv_credential_generate(fx->ctx, &code, &pub, f));
		snprintf(csv, sizeof(csv), "code,choice\n%s,1\n%s,1\n", fx->codes[0], code.text);
		assert_ok(fx->ctx, tv_intake_parse(fx->ctx, &in, csv, strlen(csv), m, NULL, NULL, NULL));
		memset(&c, 0, sizeof(c));
		assert_status(fx->ctx, tv_box_intake(fx->ctx, fx->box, in, TV_CHANNEL_POSTAL,
		                                     &fx->box_key, NOW + 40, NULL, NULL, on_problem, &c,
		                                     &sum),
		              TV_ERR_INTAKE_INVALID);
		assert_int_equal(c.count, 1);
		assert_int_equal(c.line[0], 3);
		assert_non_null(strstr(c.text[0], "not one issued"));
		assert_int_equal(sum.cast, 0);
		assert_int_equal(board_rows(), before + 3);
		tv_intake_free(in);
	}
	assert_ok(fx->ctx, tv_box_verify_board(fx->ctx, NULL, NULL, fx->box));
}

static void close_ends_voting(void **state)
{
	fixture *fx = *state;
	tv_ballot *b = ballot_for(fx, fx->codes[2], 1);
	tv_ed25519_secret_key wrong;
	tv_ed25519_public_key unused;
	tv_receipt r;
	uint64_t n = 0;
	uint8_t head[32];

	char long_reason[TV_CLOSE_REASON_MAX + 2];

	assert_ok(fx->ctx, tv_ed25519_keygen(fx->ctx, &wrong, &unused));
	assert_status(fx->ctx, tv_box_close_voting_at(fx->ctx, &n, head, fx->box, &wrong, CLOSES,
	                                              NULL), TV_ERR_INVALID_ARGUMENT);
	/* SPEC §15.4: before the advertised end, only with a reason; the old
	 * call gives none, and the clock is before this election's window */
	assert_status(fx->ctx, tv_box_close_voting(fx->ctx, &n, head, fx->box, &fx->box_key),
	              TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "advertised to close"));
	assert_status(fx->ctx, tv_box_close_voting_at(fx->ctx, &n, head, fx->box, &fx->box_key,
	                                              NOW + 50, ""), TV_ERR_STATE);
	assert_status(fx->ctx, tv_box_close_voting_at(fx->ctx, &n, head, fx->box, &fx->box_key,
	                                              NOW + 50, "bad\x01reason"), TV_ERR_UTF8);
	memset(long_reason, 'x', sizeof(long_reason) - 1);
	long_reason[sizeof(long_reason) - 1] = '\0';
	assert_status(fx->ctx, tv_box_close_voting_at(fx->ctx, &n, head, fx->box, &fx->box_key,
	                                              NOW + 50, long_reason),
	              TV_ERR_INVALID_ARGUMENT);
	/* the clock gone back before the board's last entry */
	assert_status(fx->ctx, tv_box_close_voting_at(fx->ctx, &n, head, fx->box, &fx->box_key,
	                                              OPENS, "clock wrong"), TV_ERR_INVALID_ARGUMENT);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "before the board's last entry"));
	assert_ok(fx->ctx, tv_box_close_voting_at(fx->ctx, &n, head, fx->box, &fx->box_key,
	                                          NOW + 50, "Flooding closed the estate office"));
	{
		char path[300];
		sqlite3 *db;
		sqlite3_stmt *st;

		snprintf(path, sizeof(path), "%s/%s", dir, TV_BOX_FILE);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT closed_at, close_reason, (SELECT detail "
		                                        "FROM audit_log WHERE event = 'voting-closed') "
		                                        "FROM election", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int64(st, 0), NOW + 50);
		assert_string_equal((const char *)sqlite3_column_text(st, 1),
		                    "Flooding closed the estate office");
		assert_string_equal((const char *)sqlite3_column_text(st, 2),
		                    "15 board entries; closed early; reason: Flooding closed the estate office");
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	/* 3 cast singly, 2 opened ballots, then 1 + 2 in a batch, 2 + 2 in batches with
	 * bad ballots among them, then 3 by intake */
	assert_int_equal(n, 15);
	assert_status(fx->ctx, tv_box_cast(fx->ctx, &r, fx->box, b, TV_CHANNEL_ONLINE, &fx->box_key, NOW),
	              TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "closed"));
	assert_status(fx->ctx, tv_box_close_voting_at(fx->ctx, &n, head, fx->box, &fx->box_key,
	                                              CLOSES, NULL), TV_ERR_STATE);
	assert_int_equal(board_rows(), 15);
	/* SPEC §14.5: a checked copy, 0600, never over a file */
	{
		char copy[400];
		struct stat sb;
		uint64_t entries = 0;

		snprintf(copy, sizeof(copy), "%s/copy.db", dir);
		assert_ok(fx->ctx, tv_box_backup(fx->ctx, &entries, fx->box, copy, NULL, NULL));
		assert_int_equal(entries, 15);
		assert_int_equal(stat(copy, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		assert_status(fx->ctx, tv_box_backup(fx->ctx, &entries, fx->box, copy, NULL, NULL),
		              TV_ERR_EXISTS);
		unlink(copy);
	}
	{
		uint64_t count = 0, by_channel[4];

		assert_ok(fx->ctx, tv_box_verify_board(fx->ctx, &count, by_channel, fx->box));
		assert_int_equal(count, 15);
		assert_int_equal(by_channel[0], 5); /* online: the opened ballots are no votes */
		assert_int_equal(by_channel[2], 8); /* postal */
	}
	tv_ballot_free(b);
}

/* any change to a stored board entry is found, with its position */
static void tampered_board_is_found(void **state)
{
	fixture *fx = *state;
	static const char *const edits[] = {
		"UPDATE board SET channel = 2 WHERE position = 1",
		"UPDATE board SET received_at = received_at + 1 WHERE position = 2",
		"UPDATE board SET head = zeroblob(32) WHERE position = 1",
		"UPDATE board SET ballot_json = replace(ballot_json, '\"alpha\":\"04', '\"alpha\":\"04') "
		"WHERE position = 1", /* a no-op: must still verify */
		"UPDATE board SET kind = 1 WHERE kind = 2", /* a spoilt paper read as a ballot */
		"DELETE FROM board WHERE position = 1",
	};
	char path[300];

	snprintf(path, sizeof(path), "%s/%s", dir, TV_BOX_FILE);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		sqlite3 *db;
		uint64_t count;

		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, edits[i], NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
		if (i == 3)
			assert_ok(fx->ctx, tv_box_verify_board(fx->ctx, &count, NULL, fx->box));
		else
			assert_status(fx->ctx, tv_box_verify_board(fx->ctx, &count, NULL, fx->box),
			              TV_ERR_PROOF_INVALID);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "position"));
		/* undo for the next case: restore from the values kept in prev_head */
		sqlite3_close(db);
		if (i == 5)
			break;
		/* reverse the edit */
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		if (i == 0)
			sqlite3_exec(db, "UPDATE board SET channel = 1 WHERE position = 1", NULL, NULL, NULL);
		if (i == 1)
			sqlite3_exec(db, "UPDATE board SET received_at = received_at - 1 WHERE position = 2",
			             NULL, NULL, NULL);
		if (i == 4)
			sqlite3_exec(db, "UPDATE board SET kind = 2 WHERE ballot_json LIKE '%tenantvote-spoilt%'",
			             NULL, NULL, NULL);
		if (i == 2)
			sqlite3_exec(db, "UPDATE board SET head = (SELECT prev_head FROM board WHERE position = 2) "
			                 "WHERE position = 1", NULL, NULL, NULL);
		sqlite3_close(db);
	}
	/* SPEC §14.5: a backup of a box whose board does not verify is refused,
	 * and nothing is left behind */
	{
		char copy[400], cmd[600];
		struct stat sb;

		snprintf(copy, sizeof(copy), "%s/broken-copy.db", dir);
		assert_status(fx->ctx, tv_box_backup(fx->ctx, NULL, fx->box, copy, NULL, NULL),
		              TV_ERR_DATABASE);
		assert_non_null(strstr(tv_ctx_last_error(fx->ctx), "board does not verify"));
		assert_int_not_equal(stat(copy, &sb), 0);
		snprintf(cmd, sizeof(cmd), "ls '%s' | grep -q 'broken-copy'", dir);
		assert_int_not_equal(system(cmd), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_before_open),
		cmocka_unit_test(cast_receipt_and_revote),
		cmocka_unit_test(refusals_store_nothing),
		cmocka_unit_test(challenged_ballot_is_never_cast),
		cmocka_unit_test(opened_vote_is_never_cast),
		cmocka_unit_test(cast_vote_is_never_opened),
		cmocka_unit_test(marked_register_lists_voters_only),
		cmocka_unit_test(spoilt_paper_is_signed),
		cmocka_unit_test(batch_cast_and_receipts_again),
		cmocka_unit_test(batch_refuses_bad_ballots_alone),
		cmocka_unit_test(intake_checks_first_and_runs_again),
		cmocka_unit_test(close_ends_voting),
		cmocka_unit_test(tampered_board_is_found),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
