/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17-§19, end to end through the public API only: a small election
 * (2-of-3 trustees, a revote, a spoilt paper, a blank ballot, an
 * abstainer) is tallied, decrypted by two trustees, counted and exported;
 * the universal verifier passes every check on it. Then the tally's JSON
 * and the trustees' decryptions are attacked, and the record is tampered
 * with in ways that need the crypto (a validly signed and proven ballot
 * from a credential not on the list, a revote's order swapped, a partial
 * decryption made with another trustee's share), each with the hash chain
 * re-made, and once more with the close re-signed by the box key itself:
 * the verifier must name exactly the checks that fail.
 *
 * The board's heads and the close message are recomputed here from their
 * definitions in SPEC §3.1, §15.2 and §15.4 with OpenSSL's SHA-256, since
 * the library does not export them; the test first checks that its own
 * computation gives the honest record's heads byte for byte.
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>
#include <openssl/evp.h>

#include "helpers.h"
#include "json_util.h"
#include "tally_internal.h"
#include "tenantvote/tenantvote.h"

#define OPENS 1800000000
#define CLOSES 1801000000
#define NOW (OPENS + 3600)
/* the fixture's close: early, at CLOSED_AT, with CLOSE_REASON (§15.4) */
#define CLOSED_AT (NOW + 100)
#define CLOSE_REASON "The landlord withdrew its offer; the ballot is void – dim pleidlais"
#define TENANTS 6
#define ALL_CHECKS (((1u << TV_VERIFY_CHECKS) - 1) << 1) /* bits 1..15 */
#define BIT(c) (1u << (c))
/* SPEC §19.3 check 5: the longest board line (lib/record/record_internal.h) */
#define TV_RECORD_LINE_MAX_FOR_TEST (TV_BALLOT_JSON_MAX + 1024)

/* ---- the election, built once ---- */

typedef struct election {
	tv_ctx *ctx;                 /* owns the trustees and the tally */
	char root[256];              /* the temporary folder */
	char record[300];            /* the honest record */
	uint8_t f[32], c[32]; /* the election; the ceremony context */
	tv_manifest *manifest;
	tv_election_key key;
	tv_ed25519_secret_key box_key;
	tv_trustee *t[3];
	tv_tally *tally;
	char *dec[3];                /* trustee l's decryption at [l - 1] */
	char codes[TENANTS][TV_CREDENTIAL_TEXT_LEN + 1];
	int ncodes;
	tv_receipt first_a, revote_a; /* tenant A's ballot and revote */
	tv_receipt last;             /* the last entry's, E's */
	tv_authority *authority;     /* the credential authority, kept for §11.7 */
	char *issue;                 /* its issue file */
} election;

static election *E;

/* a non-NULL pointer to put in an out-parameter that a failure must reset */
static char sentinel;

static int on_letter(const tv_tenant *t, const char *code, void *payload)
{
	election *e = payload;

	if (t != NULL && e->ncodes < TENANTS)
		snprintf(e->codes[e->ncodes++], sizeof(e->codes[0]), "%s", code);
	return 0;
}

static int on_authority_letter(const tv_tenant *t, const char *code, const char *check,
                               void *payload)
{
	(void)check;
	return on_letter(t, code, payload);
}

static int count_letter(const tv_tenant *t, const char *code, const char *check, void *payload)
{
	(void)t;
	(void)code;
	(void)check;
	++*(size_t *)payload;
	return 0;
}

/* three trustees' 2-of-3 ceremony bound to @p context: their messages */
static void run_trustees(tv_ctx *ctx, tv_trustee *t[3], const uint8_t context[32],
                         char *commits[3], char *reveals[3], char *results[3])
{
	for (int i = 0; i < 3; i++) {
		assert_ok(ctx, tv_trustee_new(ctx, &t[i], context, (uint32_t)i + 1, 3, 2));
		assert_ok(ctx, tv_trustee_commit(ctx, &commits[i], t[i]));
	}
	for (int i = 0; i < 3; i++)
		assert_ok(ctx, tv_trustee_reveal(ctx, &reveals[i], t[i], (const char *const *)commits,
		                                 3));
	for (int i = 0; i < 3; i++)
		assert_ok(ctx, tv_trustee_combine(ctx, &results[i], NULL, t[i],
		                                  (const char *const *)commits, 3,
		                                  (const char *const *)reveals, 3));
}

static void free_messages(tv_ctx *ctx, char *commits[3], char *reveals[3], char *results[3])
{
	for (int i = 0; i < 3; i++) {
		tv_free(ctx, commits[i]);
		tv_free(ctx, reveals[i]);
		tv_free(ctx, results[i]);
	}
}

static void ceremony(election *e, tv_box *box)
{
	char *commits[3], *reveals[3], *results[3];

	/* bound to the signed credential list (SPEC §11.6) */
	assert_ok(e->ctx, tv_box_ceremony_context(e->ctx, e->c, box));
	run_trustees(e->ctx, e->t, e->c, commits, reveals, results);
	assert_ok(e->ctx, tv_box_set_election_key(e->ctx, box, (const char *const *)commits,
	                                          (const char *const *)reveals,
	                                          (const char *const *)results, 3));
	assert_ok(e->ctx, tv_box_election_key(e->ctx, &e->key, box));
	free_messages(e->ctx, commits, reveals, results);
}

/* the last progress call's done and total, and how many calls */
static void tally_progress(const char *what, uint64_t done, uint64_t total, void *payload)
{
	uint64_t *last = payload;

	assert_non_null(strstr(what, "counted"));
	assert_true(done >= last[0]);
	last[0] = done;
	last[1] = total;
	last[2]++;
}

static void cast(election *e, tv_receipt *r, tv_box *box, int tenant, uint32_t choice,
                 uint32_t channel, uint64_t position)
{
	tv_ballot *b = NULL;
	tv_receipt unused;

	assert_ok(e->ctx, tv_ballot_encrypt(e->ctx, &b, NULL, e->manifest, &e->key.key,
	                                    e->codes[tenant], strlen(e->codes[tenant]), choice));
	assert_ok(e->ctx, tv_box_cast(e->ctx, r ? r : &unused, box, b, channel, &e->box_key,
	                              NOW + (int64_t)position));
	assert_int_equal((r ? r : &unused)->position, position);
	tv_ballot_free(b);
}

/*
 * Tenants A..F (codes 0..5). The board:
 *   1 A No (online)   2 B No (online)   3 C blank (online)
 *   4 D spoilt, more than one answer (postal)
 *   5 A Yes (postal): A's revote, which counts under "last"
 *   6 E Yes (online)                    F abstains
 * Counted: A Yes, B No, C blank, D spoilt, E Yes: Yes 2, No 1.
 */
static int setup(void **state)
{
	election *e = test_calloc(1, sizeof(*e));
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_register *reg = NULL;
	tv_box *box = NULL;
	tv_spoilt *spoilt = NULL;
	tv_cast_item item;
	tv_ed25519_public_key pk;
	tv_result *result = NULL;
	tv_tally *checked = NULL;
	char boxdir[300], for_trustees[300];
	const char *csv = "tenancy_ref,name,address,tenancy_type\n"
	                  "T1,Siân Ellis,1 Heol y Bont,secure\n"
	                  "T2,Ann Smith,2 Mill Lane,secure\n"
	                  "T3,Bob Jones,3 Mill Lane,introductory\n"
	                  "T4,Carys Owen,4 Mill Lane,secure\n"
	                  "T5,Dai Price,5 Mill Lane,secure\n"
	                  "T6,Eve Hughes,6 Mill Lane,secure\n";

	snprintf(e->root, sizeof(e->root), "/tmp/tv-test-record-XXXXXX");
	if (mkdtemp(e->root) == NULL)
		return -1;
	snprintf(boxdir, sizeof(boxdir), "%s/box", e->root);
	snprintf(e->record, sizeof(e->record), "%s/record", e->root);
	e->ctx = test_ctx_new();
	test_yes_no_options(&o, "record-test", OPENS, CLOSES);
	o.rule = TV_RULE_MAJORITY;
	o.revote = TV_REVOTE_LAST;
	o.trustees = 3;
	o.threshold = 2;
	assert_ok(e->ctx, tv_manifest_new(e->ctx, &e->manifest, &o));
	tv_manifest_fingerprint(e->f, e->manifest);
	assert_ok(e->ctx, tv_box_create(e->ctx, &box, boxdir, e->manifest));
	assert_ok(e->ctx, tv_register_parse(e->ctx, &reg, (const uint8_t *)csv, strlen(csv), "r.csv",
	                                    NULL, NULL));
	assert_ok(e->ctx, tv_box_import_register(e->ctx, box, reg, "r.csv"));
	tv_register_free(reg);
	/* the credential authority, apart from the box, kept for §11.7 */
	assert_ok(e->ctx, tv_authority_new(e->ctx, &e->authority, e->manifest));
	assert_ok(e->ctx, tv_register_parse(e->ctx, &reg, (const uint8_t *)csv, strlen(csv), "r.csv",
	                                    NULL, NULL));
	assert_ok(e->ctx, tv_authority_issue(e->ctx, &e->issue, e->authority, reg,
	                                     on_authority_letter, e));
	tv_register_free(reg);
	assert_ok(e->ctx, tv_box_import_credentials(e->ctx, box, e->issue, strlen(e->issue)));
	assert_int_equal(e->ncodes, TENANTS);
	ceremony(e, box);
	assert_ok(e->ctx, tv_ed25519_keygen(e->ctx, &e->box_key, &pk));
	assert_ok(e->ctx, tv_box_open_voting(e->ctx, box, &e->box_key));

	cast(e, &e->first_a, box, 0, 2, TV_CHANNEL_ONLINE, 1);
	cast(e, NULL, box, 1, 2, TV_CHANNEL_ONLINE, 2);
	cast(e, NULL, box, 2, TV_BALLOT_BLANK, TV_CHANNEL_ONLINE, 3);
	assert_ok(e->ctx, tv_spoilt_make(e->ctx, &spoilt, e->manifest, e->codes[3],
	                                 strlen(e->codes[3]), TV_SPOILT_MORE_THAN_ONE_ANSWER));
	memset(&item, 0, sizeof(item));
	item.spoilt = spoilt;
	item.channel = TV_CHANNEL_POSTAL;
	assert_ok(e->ctx, tv_box_cast_batch(e->ctx, box, &item, 1, &e->box_key, NOW + 4));
	assert_int_equal(item.status, TV_OK);
	assert_int_equal(item.receipt.position, 4);
	tv_spoilt_free(spoilt);
	cast(e, &e->revote_a, box, 0, 1, TV_CHANNEL_POSTAL, 5);
	cast(e, &e->last, box, 4, 1, TV_CHANNEL_ONLINE, 6);
	/* before the advertised end: refused without a reason (SPEC §15.4) */
	assert_status(e->ctx, tv_box_close_voting_at(e->ctx, NULL, NULL, box, &e->box_key,
	                                             CLOSED_AT, NULL), TV_ERR_STATE);
	assert_status(e->ctx, tv_box_close_voting_at(e->ctx, NULL, NULL, box, &e->box_key,
	                                             CLOSED_AT, "   "), TV_ERR_STATE);
	assert_ok(e->ctx, tv_box_close_voting_at(e->ctx, NULL, NULL, box, &e->box_key, CLOSED_AT,
	                                         CLOSE_REASON));

	{
		/* the same tally, telling its progress: it ends at the number counted */
		tv_tally *again = NULL;
		tv_tally_info info;
		uint64_t last[3] = { 0, 0, 0 };

		assert_ok(e->ctx, tv_box_tally_progress(e->ctx, &again, box, tally_progress, last));
		tv_tally_get_info(&info, again);
		assert_int_equal(last[2], 1);
		assert_int_equal(last[0], last[1]);
		assert_int_equal(last[1], info.ballots + info.spoilt[0] + info.spoilt[1] +
		                          info.spoilt[2] + info.spoilt[3]);
		tv_tally_free(again);
	}
	assert_ok(e->ctx, tv_box_tally(e->ctx, &e->tally, box));
	/* the trustees' way (SPEC §16.3): the board up to the close, checked and
	 * added up by each trustee's own software, then decrypted */
	snprintf(for_trustees, sizeof(for_trustees), "%s/for-trustees", e->root);
	assert_ok(e->ctx, tv_box_export_record(e->ctx, box, for_trustees, NULL, NULL, 0, NULL, NULL,
	                                       NULL));
	assert_ok(e->ctx, tv_record_tally(e->ctx, &checked, for_trustees, 2, NULL, NULL, NULL, NULL));
	for (int i = 0; i < 3; i++)
		assert_ok(e->ctx, tv_tally_decrypt(e->ctx, &e->dec[i], checked, e->t[i], e->f));
	/* the box's sums are the ones the trustees computed from its board */
	for (uint32_t i = 1; i <= 2; i++)
		assert_memory_equal(tv_tally_sum(checked, i), tv_tally_sum(e->tally, i),
		                    sizeof(tv_ciphertext));
	tv_tally_free(checked);
	assert_ok(e->ctx, tv_tally_combine(e->ctx, &result, NULL, e->tally, e->manifest, &e->key,
	                                   (const char *const *)e->dec, 2));
	assert_ok(e->ctx, tv_box_export_record(e->ctx, box, e->record, e->tally,
	                                       (const char *const *)e->dec, 2, result, NULL, NULL));
	tv_result_free(result);
	tv_box_free(box);
	/* the forging tests below decrypt this tally directly, as a trustee
	 * who had added it up from the board would */
	tv__tally_mark_verified(e->tally, e->c, &e->key);
	E = e;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	election *e = *state;
	char cmd[300];
	int rc;

	for (int i = 0; i < 3; i++) {
		tv_free(e->ctx, e->dec[i]);
		tv_trustee_free(e->t[i]);
	}
	tv_tally_free(e->tally);
	tv_manifest_free(e->manifest);
	tv_authority_free(e->authority);
	tv_free(e->ctx, e->issue);
	tv_ed25519_secret_wipe(&e->box_key);
	tv_ctx_free(e->ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->root);
	rc = system(cmd);
	test_free(e);
	return rc == 0 ? 0 : -1;
}

/* ---- small tools: hex, files, JSON ---- */

static void to_hex(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static void from_hex(uint8_t *out, size_t len, const char *hex)
{
	assert_non_null(hex);
	assert_int_equal(strlen(hex), 2 * len);
	for (size_t i = 0; i < len; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static json_t *hex_json(const uint8_t *in, size_t len)
{
	char buf[2 * 65 + 1];

	assert_true(len <= 65);
	to_hex(buf, in, len);
	return json_string(buf);
}

static void path_in(char *out, size_t size, const char *dir, const char *name)
{
	assert_true(snprintf(out, size, "%s/%s", dir, name) < (int)size);
}

static json_t *load_json(const char *dir, const char *name)
{
	char path[400];
	json_error_t err;
	json_t *root;

	path_in(path, sizeof(path), dir, name);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		fail_msg("%s: %s", path, err.text);
	return root;
}

/* compact, keys in order, one line: as the record writes its files */
/* @p root into @p dir/@p name, laid out as Jansson's @p flags say */
static void save_json_as(const char *dir, const char *name, json_t *root, size_t flags)
{
	char path[400], *text = json_dumps(root, flags | JSON_PRESERVE_ORDER);
	FILE *f;

	assert_non_null(text);
	path_in(path, sizeof(path), dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", text);
	assert_int_equal(fclose(f), 0);
	free(text);
}

static void save_json(const char *dir, const char *name, json_t *root)
{
	save_json_as(dir, name, root, JSON_COMPACT);
}

/* a fresh copy of the honest record to tamper with */
static void copy_record(char *out, size_t size, const char *name)
{
	char cmd[800];

	assert_true(snprintf(out, size, "%s/%s", E->root, name) < (int)size);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s'", out, E->record, out);
	assert_int_equal(system(cmd), 0);
}

/* ---- SPEC §3.1: H(purpose; f1, ..., fk), recomputed with OpenSSL ---- */

typedef struct spec_hash {
	EVP_MD_CTX *md;
} spec_hash;

static void sh_field(spec_hash *h, const void *data, size_t len)
{
	uint8_t prefix[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
	                      (uint8_t)len };

	assert_int_equal(EVP_DigestUpdate(h->md, prefix, 4), 1);
	if (len != 0)
		assert_int_equal(EVP_DigestUpdate(h->md, data, len), 1);
}

static void sh_begin(spec_hash *h, const char *purpose)
{
	char tag[64];

	snprintf(tag, sizeof(tag), "tenantvote/v1/%s", purpose);
	h->md = EVP_MD_CTX_new();
	assert_non_null(h->md);
	assert_int_equal(EVP_DigestInit_ex(h->md, EVP_sha256(), NULL), 1);
	sh_field(h, tag, strlen(tag));
}

static void sh_u32(spec_hash *h, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	sh_field(h, b, 4);
}

static void sh_u64(spec_hash *h, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	sh_field(h, b, 8);
}

static void sh_final(spec_hash *h, uint8_t out[32])
{
	unsigned int len = 0;

	assert_int_equal(EVP_DigestFinal_ex(h->md, out, &len), 1);
	assert_int_equal(len, 32);
	EVP_MD_CTX_free(h->md);
}

/* §15.2: head_0 = H("board-start"; F) */
static void board_start(uint8_t out[32], const uint8_t f[32])
{
	spec_hash h;

	sh_begin(&h, "board-start");
	sh_field(&h, f, 32);
	sh_final(&h, out);
}

/* §15.2: head_p = H("board"; head_{p-1}, u64be(p), T_p, u32be(c_p), u64be(t_p)) */
static void board_next(uint8_t out[32], const uint8_t prev[32], uint64_t p,
                       const uint8_t tracking[32], uint32_t channel, int64_t time)
{
	spec_hash h;

	sh_begin(&h, "board");
	sh_field(&h, prev, 32);
	sh_u64(&h, p);
	sh_field(&h, tracking, 32);
	sh_u32(&h, channel);
	sh_u64(&h, (uint64_t)time);
	sh_final(&h, out);
}

/* §15.4: C = H("close"; F, u64be(N), head_N), the close/1 statement */
static void close1_message(uint8_t out[32], const uint8_t f[32], uint64_t n,
                           const uint8_t head[32])
{
	spec_hash h;

	sh_begin(&h, "close");
	sh_field(&h, f, 32);
	sh_u64(&h, n);
	sh_field(&h, head, 32);
	sh_final(&h, out);
}


/* §15.4: C2 = H("close-at"; F, u64be(N), head_N, u64be(closed), reason) */
static void close_at_message(uint8_t out[32], const uint8_t f[32], uint64_t n,
                             const uint8_t head[32], int64_t closed, const char *reason)
{
	spec_hash h;

	sh_begin(&h, "close-at");
	sh_field(&h, f, 32);
	sh_u64(&h, n);
	sh_field(&h, head, 32);
	sh_u64(&h, (uint64_t)closed);
	sh_field(&h, reason, strlen(reason));
	sh_final(&h, out);
}

/* close.json's close/2 statement, from its own fields */
static void close_message(uint8_t out[32], const uint8_t f[32], uint64_t n, const uint8_t head[32])
{
	close_at_message(out, f, n, head, CLOSED_AT, CLOSE_REASON);
}

/* ---- the board as a JSON array of its lines ---- */

static json_t *load_board(const char *dir)
{
	char path[400], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	json_t *lines = json_array();
	FILE *f;

	path_in(path, sizeof(path), dir, "board.jsonl");
	f = fopen(path, "r");
	assert_non_null(f);
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t err;
		json_t *x = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &err);

		if (x == NULL)
			fail_msg("board.jsonl: %s", err.text);
		json_array_append_new(lines, x);
	}
	free(line);
	fclose(f);
	return lines;
}

static void save_board(const char *dir, json_t *lines)
{
	char path[400];
	size_t i;
	json_t *x;
	FILE *f;

	path_in(path, sizeof(path), dir, "board.jsonl");
	f = fopen(path, "w");
	assert_non_null(f);
	json_array_foreach(lines, i, x) {
		char *text = json_dumps(x, JSON_COMPACT | JSON_PRESERVE_ORDER);

		assert_non_null(text);
		fprintf(f, "%s\n", text);
		free(text);
	}
	assert_int_equal(fclose(f), 0);
}

/* the tracking code T of a board line's entry, read through the public API */
static void line_tracking(tv_ctx *ctx, uint8_t out[32], json_t *line)
{
	const char *kind = json_string_value(json_object_get(line, "kind"));
	char *entry = json_dumps(json_object_get(line, "entry"), JSON_COMPACT | JSON_PRESERVE_ORDER);

	assert_non_null(kind);
	assert_non_null(entry);
	if (strcmp(kind, "ballot") == 0) {
		tv_ballot *b = NULL;

		assert_ok(ctx, tv_ballot_from_json(ctx, &b, entry, strlen(entry)));
		tv_ballot_tracking(out, b);
		tv_ballot_free(b);
	} else if (strncmp(kind, "credential-", 11) == 0) {
		/* SPEC §11.7: T = H("credential-change-tracking"; u32be(op), pt(X), sig) */
		json_t *ch = json_object_get(line, "entry");
		uint8_t x[TV_POINT_BYTES], sig[64];
		spec_hash h;

		from_hex(x, sizeof(x), json_string_value(json_object_get(ch, "credential")));
		from_hex(sig, sizeof(sig), json_string_value(json_object_get(ch, "signature")));
		sh_begin(&h, "credential-change-tracking");
		sh_u32(&h, strcmp(kind, "credential-added") == 0 ? 4 : 5);
		sh_field(&h, x, sizeof(x));
		sh_field(&h, sig, sizeof(sig));
		sh_final(&h, out);
	} else if (strcmp(kind, "paper") == 0 || strcmp(kind, "paper-spoilt") == 0) {
		/* §15.8.4: a paper's ballot's T, or a rejected paper's */
		tv__board_entry be;
		tv_ballot *b = NULL;
		tv_spoilt *sp = NULL;

		assert_ok(ctx, tv__paper_stored_read(ctx, strcmp(kind, "paper") == 0
		                                          ? TV_ENTRY_PAPER : TV_ENTRY_PAPER_SPOILT,
		                                     entry, strlen(entry), &be, &b, &sp));
		if (b != NULL)
			tv_ballot_tracking(out, b);
		else
			tv_spoilt_tracking(out, sp);
		tv_ballot_free(b);
		tv_spoilt_free(sp);
	} else if (strcmp(kind, "opened") == 0) {
		/* §18.7: an opened entry's T is the T of the unsigned ballot inside */
		tv_ballot *b = NULL;
		char *inner = json_dumps(json_object_get(json_object_get(line, "entry"), "ballot"),
		                         JSON_COMPACT | JSON_PRESERVE_ORDER);

		assert_non_null(inner);
		assert_ok(ctx, tv_ballot_from_json(ctx, &b, inner, strlen(inner)));
		tv_ballot_tracking(out, b);
		tv_ballot_free(b);
		free(inner);
	} else {
		tv_spoilt *s = NULL;

		assert_string_equal(kind, "spoilt");
		assert_ok(ctx, tv_spoilt_from_json(ctx, &s, entry, strlen(entry)));
		tv_spoilt_tracking(out, s);
		tv_spoilt_free(s);
	}
	free(entry);
}

/*
 * Number the lines 1..N and recompute every prev_head and head from
 * head_0 (§15.2). With @p check set, assert that nothing changes: the
 * test's own hashing agrees with the library's.
 */
static void rechain_from(tv_ctx *ctx, json_t *lines, uint8_t last[32], int check,
                         const uint8_t start[32])
{
	uint8_t head[32], next[32], tracking[32];
	size_t i;
	json_t *x;

	memcpy(head, start, 32);
	json_array_foreach(lines, i, x) {
		uint64_t p = (uint64_t)i + 1;
		uint32_t channel = (uint32_t)json_integer_value(json_object_get(x, "channel"));
		int64_t time = json_integer_value(json_object_get(x, "time"));

		line_tracking(ctx, tracking, x);
		board_next(next, head, p, tracking, channel, time);
		if (check) {
			uint8_t stored[32];

			assert_int_equal(json_integer_value(json_object_get(x, "position")), (json_int_t)p);
			from_hex(stored, 32, json_string_value(json_object_get(x, "prev_head")));
			assert_memory_equal(stored, head, 32);
			from_hex(stored, 32, json_string_value(json_object_get(x, "head")));
			assert_memory_equal(stored, next, 32);
		}
		json_object_set_new(x, "position", json_integer((json_int_t)p));
		json_object_set_new(x, "prev_head", hex_json(head, 32));
		json_object_set_new(x, "head", hex_json(next, 32));
		memcpy(head, next, 32);
	}
	memcpy(last, head, 32);
}

static void rechain(tv_ctx *ctx, json_t *lines, uint8_t last[32], int check)
{
	uint8_t start[32];

	board_start(start, E->f);
	rechain_from(ctx, lines, last, check, start);
}

/*
 * What an insider holding the box key does after changing the board:
 * sign a new close for the new board, and bring tally.json's head and
 * entry count in line (the tally is not signed; its sums are left alone).
 */
static void reclose_with_box_key(tv_ctx *ctx, const char *dir, uint64_t entries,
                                 const uint8_t head[32])
{
	json_t *close = load_json(dir, "close.json"), *tally = load_json(dir, "tally.json");
	json_t *inner = json_object_get(tally, "tally");
	tv_ed25519_signature sig;
	uint8_t msg[32];

	/* close/2: the same time and reason, signed again over the new board */
	close_at_message(msg, E->f, entries, head,
	                 (int64_t)json_integer_value(json_object_get(close, "closed")),
	                 json_string_value(json_object_get(close, "reason")));
	assert_ok(ctx, tv_ed25519_sign(ctx, &sig, &E->box_key, msg, 32));
	json_object_set_new(close, "entries", json_integer((json_int_t)entries));
	json_object_set_new(close, "head", hex_json(head, 32));
	json_object_set_new(close, "signature", hex_json(sig.bytes, 64));
	save_json(dir, "close.json", close);
	assert_non_null(inner);
	json_object_set_new(inner, "head", hex_json(head, 32));
	json_object_set_new(inner, "entries", json_integer((json_int_t)entries));
	save_json(dir, "tally.json", tally);
	json_decref(close);
	json_decref(tally);
}

/* ---- the verifier's verdict, gathered silently ---- */

typedef struct verdict {
	uint32_t failed;  /* BIT(c): a failure of check c was reported */
	uint32_t passed;  /* BIT(c): check c ended passed */
	char message[TV_VERIFY_CHECKS + 1][512]; /* the first failure of each */
	uint64_t position[TV_VERIFY_CHECKS + 1];
	unsigned failures[TV_VERIFY_CHECKS + 1]; /* how many each reported */
} verdict;

static void on_event(const tv_verify_event *ev, void *payload)
{
	verdict *v = payload;

	assert_true(ev->check >= 1 && ev->check <= TV_VERIFY_CHECKS);
	assert_string_equal(ev->name, tv_verify_check_name(ev->check));
	/* the accessors a binding uses read the same fields */
	assert_int_equal(tv_verify_event_check(ev), ev->check);
	assert_ptr_equal(tv_verify_event_name(ev), ev->name);
	assert_int_equal(tv_verify_event_status(ev), ev->status);
	assert_int_equal(tv_verify_event_position(ev), ev->position);
	assert_ptr_equal(tv_verify_event_message(ev), ev->message);
	if (ev->status == TV_OK) {
		assert_false(v->passed & BIT(ev->check)); /* once per check */
		v->passed |= BIT(ev->check);
		return;
	}
	if (!(v->failed & BIT(ev->check))) {
		snprintf(v->message[ev->check], sizeof(v->message[0]), "%s", ev->message);
		v->position[ev->check] = ev->position;
	}
	v->failed |= BIT(ev->check);
	v->failures[ev->check]++;
}

static int popcount(uint32_t x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static void mask_text(char *out, size_t size, uint32_t mask)
{
	size_t used = 0;

	out[0] = '\0';
	for (uint32_t c = 1; c <= TV_VERIFY_CHECKS; c++)
		if (mask & BIT(c))
			used += (size_t)snprintf(out + used, size - used, "%s%u", used ? "," : "", c);
}

/* verify @p dir; exactly the checks in @p expect fail, every other passes */
static void verify_expect(tv_ctx *ctx, const char *dir, uint32_t expect, verdict *v,
                          tv_verify_summary *sum)
{
	tv_status st;

	memset(v, 0, sizeof(*v));
	memset(sum, 0, sizeof(*sum));
	st = tv_record_verify(ctx, dir, 2, on_event, v, NULL, NULL, sum);
	if (v->failed != expect || v->passed != (ALL_CHECKS & ~expect)) {
		char want[64], got[64], passed[64], why[2048] = "";
		size_t used = 0;

		mask_text(want, sizeof(want), expect);
		mask_text(got, sizeof(got), v->failed);
		mask_text(passed, sizeof(passed), v->passed);
		for (uint32_t c = 1; c <= TV_VERIFY_CHECKS; c++)
			if (v->failed & BIT(c))
				used += (size_t)snprintf(why + used, sizeof(why) - used, "\n  %u: %s", c,
				                         v->message[c]);
		fail_msg("%s: want checks {%s} to fail, got {%s} failing and {%s} passing:%s", dir,
		         want, got, passed, why);
	}
	assert_int_equal(st, expect ? TV_ERR_PROOF_INVALID : TV_OK);
	assert_int_equal(sum->failed, (uint32_t)popcount(expect));
	assert_int_equal(sum->passed, TV_VERIFY_CHECKS - (uint32_t)popcount(expect));
	assert_true(expect == 0 ? sum->failures == 0 : sum->failures >= (uint64_t)popcount(expect));
}

static void assert_has(const char *text, const char *what)
{
	if (strstr(text, what) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", text, what);
}

/*
 * SPEC §19.5: credentials.json in its writer's form is read a piece at a
 * time, any other form whole; both give the same verdicts. The honest
 * list laid out with spaces still verifies, with the same counts; in
 * either form, two credentials swapped fail check 4 with one message.
 */
static void credential_list_read_either_way(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	static const char *const name[2] = { "list-canonical-swapped", "list-spaced-swapped" };
	char dir[400];
	tv_verify_summary sum, honest;
	verdict v;
	json_t *cl, *list, *first;

	verify_expect(ctx, e->record, 0, &v, &honest);
	copy_record(dir, sizeof(dir), "list-spaced");
	cl = load_json(dir, "credentials.json");
	save_json_as(dir, "credentials.json", cl, JSON_INDENT(2));
	verify_expect(ctx, dir, 0, &v, &sum);
	assert_int_equal(sum.counted, honest.counted);
	assert_int_equal(sum.entries, honest.entries);

	list = json_object_get(cl, "credentials");
	first = json_incref(json_array_get(list, 0));
	json_array_remove(list, 0);
	json_array_insert_new(list, 1, first);
	for (int spaced = 0; spaced < 2; spaced++) {
		copy_record(dir, sizeof(dir), name[spaced]);
		save_json_as(dir, "credentials.json", cl, spaced ? JSON_INDENT(1) : JSON_COMPACT);
		verify_expect(ctx, dir, BIT(3) | BIT(4) | BIT(6) | BIT(7) | BIT(11) | BIT(12) |
		              BIT(13) | BIT(14), &v, &sum);
		assert_has(v.message[4], "credential 2 is out of order (the list is sorted)");
	}
	json_decref(cl);
	tv_ctx_free(ctx);
}

/* ---- opened (challenged) ballots on the board, SPEC §15.1.5 ---- */

/* tenant F (who abstained) prepares a ballot for Yes and opens it: its
 * §15.1.5 JSON, parsed */
static json_t *opened_for_f(tv_ctx *ctx)
{
	tv_ballot *b = NULL;
	tv_ballot_secrets *s = NULL;
	char *opened = NULL;
	json_t *root;

	assert_ok(ctx, tv_ballot_prepare(ctx, &b, &s, E->manifest, &E->key.key, E->codes[5],
	                                 strlen(E->codes[5]), 1));
	assert_ok(ctx, tv_ballot_challenge(ctx, &opened, b, s));
	root = json_loads(opened, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(root);
	tv_free(ctx, opened);
	tv_ballot_free(b);
	return root;
}

/* the insider's forgery: the opened ballot's encrypted vote, proved again
 * from its revealed nonces and signed by F's credential, so its tracking
 * code is new and its proofs and signature verify */
static json_t *cast_of_opened(tv_ctx *ctx, json_t *opened)
{
	tv_ballot *b = NULL;
	tv_scalar nonce[TV_MAX_OPTIONS], x;
	uint32_t choice;
	uint8_t t1[32], t2[32];
	char *text = NULL;
	json_t *entry;

	assert_ok(ctx, tv__opened_from_value(ctx, &b, &choice, nonce, opened));
	tv_ballot_tracking(t1, b);
	assert_ok(ctx, tv_credential_derive(ctx, &x, NULL, E->codes[5], strlen(E->codes[5]), E->f));
	assert_ok(ctx, tv__ballot_reprove(ctx, b, choice, nonce, &E->key.key, &x));
	assert_ok(ctx, tv_ballot_verify(ctx, b, E->manifest, &E->key.key));
	tv_ballot_tracking(t2, b);
	assert_memory_not_equal(t1, t2, 32);
	assert_ok(ctx, tv_ballot_to_json(ctx, &text, NULL, b));
	entry = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(entry);
	tv_free(ctx, text);
	tv_ballot_free(b);
	return entry;
}

/* a board line of @p kind at the end of @p lines; the chain is redone later */
static void append_line(json_t *lines, const char *kind, json_t *entry, int64_t time)
{
	json_array_append_new(lines, json_pack("{s:i, s:s, s:i, s:I, s:s, s:s, s:o}", "position", 0,
	                                       "kind", kind, "channel", TV_CHANNEL_ONLINE, "time",
	                                       (json_int_t)time, "prev_head", "", "head", "",
	                                       "entry", entry));
}

/* rechain @p lines into @p dir's board and sign a close for it with the box key */
static void save_forged_board(tv_ctx *ctx, const char *dir, json_t *lines)
{
	uint8_t last[32];

	rechain(ctx, lines, last, 0);
	save_board(dir, lines);
	reclose_with_box_key(ctx, dir, json_array_size(lines), last);
}

/*
 * What an honest box does for a board with an opened entry added: the
 * tally's sums start from the final head (§17.1.2), so the trustees
 * recount the record (tv_record_tally) and decrypt, and tally.json is
 * written again. The counts, so result.json, stay the same.
 */
static void retally(tv_ctx *ctx, const char *dir)
{
	tv_tally *checked = NULL;
	char *dec[2] = { NULL, NULL }, *text = NULL, path[400];
	FILE *f;

	assert_ok(ctx, tv_record_tally(ctx, &checked, dir, 2, NULL, NULL, NULL, NULL));
	for (int i = 0; i < 2; i++)
		assert_ok(ctx, tv_tally_decrypt(ctx, &dec[i], checked, E->t[i], E->f));
	assert_ok(ctx, tv__record_tally_to_json(ctx, &text, checked, (const char *const *)dec, 2));
	path_in(path, sizeof(path), dir, "tally.json");
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	tv_free(ctx, text);
	for (int i = 0; i < 2; i++)
		tv_free(ctx, dec[i]);
	tv_tally_free(checked);
}

/* the honest record with F's opened ballot published after it, as a box would */
static void record_with_opened(tv_ctx *ctx, char *dir, size_t size, const char *name,
                               json_t *opened)
{
	json_t *lines;

	copy_record(dir, size, name);
	lines = load_board(dir);
	append_line(lines, "opened", json_incref(opened), NOW + 7);
	save_forged_board(ctx, dir, lines);
	retally(ctx, dir);
	json_decref(lines);
}

/* (e) an opened entry, as the box publishes it, verifies and is not counted;
 * the trustees' recount agrees */
static void opened_entry_verifies(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	json_t *opened = opened_for_f(ctx);
	tv_tally *mine = NULL;
	tv_verify_summary sum;
	char dir[400];
	verdict v;
	int counts = -1;

	(void)e;
	record_with_opened(ctx, dir, sizeof(dir), "opened-honest", opened);
	verify_expect(ctx, dir, 0, &v, &sum);
	assert_int_equal(sum.entries, 7);
	assert_int_equal(sum.counted, 5); /* F's opened ballot is no vote */
	assert_ok(ctx, tv_record_tally(ctx, &mine, dir, 2, NULL, NULL, NULL, NULL));
	{
		tv_tally_info info;

		tv_tally_get_info(&info, mine);
		assert_int_equal(info.entries, 7);
		assert_int_equal(info.ballots, 4);
	}
	tv_tally_free(mine);
	/* A's revote still counts with an opened entry after it */
	assert_ok(ctx, tv_record_check_receipt(ctx, &counts, dir, &E->revote_a));
	assert_int_equal(counts, 1);
	json_decref(opened);
	tv_ctx_free(ctx);
}

/* (d) an opened entry whose nonces do not give its ciphertexts fails check 7
 * (alone: the nonces are not in T, so the chain and the sums still hold) */
static void opened_entry_with_wrong_nonce_fails_check_7(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	json_t *lines, *opened = opened_for_f(ctx), *last;
	tv_verify_summary sum;
	char dir[400];
	verdict v;

	(void)state;
	record_with_opened(ctx, dir, sizeof(dir), "opened-wrong-nonce", opened);
	lines = load_board(dir);
	last = json_object_get(json_array_get(lines, json_array_size(lines) - 1), "entry");
	json_array_set_new(json_object_get(last, "nonces"), 1,
	                   json_string("0000000000000000000000000000000000000000000000000000000000000001"));
	save_board(dir, lines);
	verify_expect(ctx, dir, BIT(7), &v, &sum);
	assert_int_equal(v.position[7], 7);
	assert_has(v.message[7], "does not hold the choice shown");
	json_decref(lines);
	json_decref(opened);
	tv_ctx_free(ctx);
}

/*
 * (c) an insider appends an opened ballot's encrypted vote as a cast
 * ballot (re-proved, so a new tracking code; signed by the credential):
 * check 8 fails it, whether the opening comes before the cast or after
 * it. The trustees' recount refuses such a board, naming check 8, so the
 * forged vote is never decrypted (the sums of tally.json, left alone,
 * fail check 11 and what follows).
 */
static void opened_vote_cast_fails_check_8(void **state)
{
	static const char *const name[2] = { "opened-then-cast", "cast-then-opened" };
	tv_ctx *ctx = test_ctx_new();

	(void)state;
	for (int order = 0; order < 2; order++) {
		json_t *lines, *opened = opened_for_f(ctx), *forged = cast_of_opened(ctx, opened);
		tv_tally *mine = NULL;
		tv_verify_summary sum;
		char dir[400];
		verdict v;

		copy_record(dir, sizeof(dir), name[order]);
		lines = load_board(dir);
		append_line(lines, order == 0 ? "opened" : "ballot",
		            json_incref(order == 0 ? opened : forged), NOW + 7);
		append_line(lines, order == 0 ? "ballot" : "opened",
		            json_incref(order == 0 ? forged : opened), NOW + 8);
		save_forged_board(ctx, dir, lines);
		verify_expect(ctx, dir, BIT(8) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
		/* the forged ballot's position: 8 when it follows the opening, 7 before it */
		assert_int_equal(v.position[8], order == 0 ? 8 : 7);
		assert_has(v.message[8], "is the opened ballot's at position");
		assert_status(ctx, tv_record_tally(ctx, &mine, dir, 2, NULL, NULL, NULL, NULL),
		              TV_ERR_PROOF_INVALID);
		assert_null(mine);
		assert_has(tv_ctx_last_error(ctx), "check 8");
		json_decref(lines);
		json_decref(forged);
		json_decref(opened);
	}
	tv_ctx_free(ctx);
}

/* ---- 1. the honest record ---- */

static void honest_record_verifies(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_tally_info info;
	tv_result *result = NULL;
	uint64_t totals[2] = { 0, 0 };
	tv_verify_summary sum;
	verdict v;
	int counts = -1;

	tv_tally_get_info(&info, e->tally);
	assert_memory_equal(info.election, e->f, 32);
	assert_int_equal(info.entries, 6);
	assert_int_equal(info.electorate, TENANTS);
	assert_int_equal(info.ballots, 4); /* A's revote, B, C's blank, E */
	assert_int_equal(info.spoilt[TV_SPOILT_MORE_THAN_ONE_ANSWER - 1], 1);
	assert_int_equal(info.spoilt[TV_SPOILT_NO_OFFICIAL_MARK - 1], 0);
	assert_int_equal(info.by_channel[0], 3); /* online: B, C, E */
	assert_int_equal(info.by_channel[2], 2); /* postal: D's spoilt paper, A's revote */
	assert_int_equal(info.options, 2);
	assert_memory_equal(info.head, e->last.head, 32); /* the final head */

	assert_ok(ctx, tv_tally_combine(ctx, &result, totals, e->tally, e->manifest, &e->key,
	                                (const char *const *)e->dec, 2));
	assert_int_equal(totals[0], 2);
	assert_int_equal(totals[1], 1);
	assert_int_equal(tv_result_blank(result), 1);
	assert_int_equal(tv_result_rejected(result, TV_SPOILT_MORE_THAN_ONE_ANSWER), 1);
	assert_int_equal(tv_result_decision(result), TV_DECISION_CARRIED);
	tv_result_free(result);

	verify_expect(ctx, e->record, 0, &v, &sum);
	assert_int_equal(sum.passed, TV_VERIFY_CHECKS);
	assert_int_equal(sum.failed, 0);
	assert_int_equal(sum.failures, 0);
	assert_int_equal(sum.entries, 6);
	assert_int_equal(sum.counted, 5); /* F abstained; A's first ballot does not count */

	/* one thread or many: the same verdict */
	{
		tv_verify_summary one;

		assert_ok(ctx, tv_record_verify(ctx, e->record, 1, NULL, NULL, NULL, NULL, &one));
		assert_memory_equal(&one, &sum, sizeof(sum));
	}

	/* the receipts check against the record; only the revote counts */
	assert_ok(ctx, tv_record_check_receipt(ctx, &counts, e->record, &e->revote_a));
	assert_int_equal(counts, 1);
	assert_ok(ctx, tv_record_check_receipt(ctx, &counts, e->record, &e->first_a));
	assert_int_equal(counts, 0);

	/* the test's own SPEC hashing gives the record's heads byte for byte */
	{
		json_t *lines = load_board(e->record), *close = load_json(e->record, "close.json");
		uint8_t last[32], head[32], msg[32];
		tv_ed25519_public_key pk;
		tv_ed25519_signature sig;
		json_t *rec = load_json(e->record, "record.json");

		rechain(ctx, lines, last, 1);
		assert_int_equal(json_array_size(lines), 6);
		from_hex(head, 32, json_string_value(json_object_get(close, "head")));
		assert_memory_equal(head, last, 32);
		assert_string_equal(json_string_value(json_object_get(close, "format")),
		                    "tenantvote-close/2");
		assert_int_equal(json_integer_value(json_object_get(close, "closed")), CLOSED_AT);
		assert_string_equal(json_string_value(json_object_get(close, "reason")), CLOSE_REASON);
		close_message(msg, e->f, 6, last);
		from_hex(sig.bytes, 64, json_string_value(json_object_get(close, "signature")));
		from_hex(pk.bytes, 32, json_string_value(json_object_get(rec, "box_key")));
		assert_ok(ctx, tv_ed25519_verify(ctx, &sig, &pk, msg, 32));
		json_decref(rec);
		json_decref(close);
		json_decref(lines);
	}
	tv_ctx_free(ctx);
}

/*
 * SPEC §15.4, §19.3 check 10: an early close shows its time and reason
 * under the box's signature. Changed by hand, the signature fails; signed
 * again by an insider holding the box key, an early close with no reason,
 * or a close before the board's last entry, still fails check 10; a
 * close/1 record (no time) still verifies as it always did.
 */
static void close_time_and_reason_are_signed(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_verify_summary sum;
	tv_record_close rc;
	char dir[400];
	verdict v;
	uint8_t head[32], msg[32];
	tv_ed25519_signature sig;
	json_t *close;

	E = e;
	/* what the record says, read back for the verifier's words */
	assert_ok(ctx, tv_record_read_close(ctx, &rc, e->record));
	assert_int_equal(rc.format, 2);
	assert_true(rc.has_time && rc.early);
	assert_int_equal(rc.closed, CLOSED_AT);
	assert_int_equal(rc.advertised, CLOSES);
	assert_string_equal(rc.reason, CLOSE_REASON);

	/* the reason edited: the signature no longer covers it */
	copy_record(dir, sizeof(dir), "close-reason-edited");
	close = load_json(dir, "close.json");
	json_object_set_new(close, "reason", json_string("Turnout was high enough"));
	save_json(dir, "close.json", close);
	json_decref(close);
	verify_expect(ctx, dir, BIT(10), &v, &sum);
	assert_has(v.message[10], "not signed by the record's box key");

	/* the time moved to the advertised end, reason dropped: signature fails */
	copy_record(dir, sizeof(dir), "close-time-edited");
	close = load_json(dir, "close.json");
	json_object_set_new(close, "closed", json_integer(CLOSES));
	json_object_set_new(close, "reason", json_string(""));
	save_json(dir, "close.json", close);
	json_decref(close);
	verify_expect(ctx, dir, BIT(10), &v, &sum);
	assert_has(v.message[10], "not signed by the record's box key");

	/* the reason dropped, signed again with the box key: still an early close */
	copy_record(dir, sizeof(dir), "close-reason-dropped");
	close = load_json(dir, "close.json");
	from_hex(head, 32, json_string_value(json_object_get(close, "head")));
	close_at_message(msg, e->f, 6, head, CLOSED_AT, "");
	assert_ok(ctx, tv_ed25519_sign(ctx, &sig, &e->box_key, msg, 32));
	json_object_set_new(close, "reason", json_string(""));
	json_object_set_new(close, "signature", hex_json(sig.bytes, 64));
	save_json(dir, "close.json", close);
	json_decref(close);
	verify_expect(ctx, dir, BIT(10), &v, &sum);
	assert_has(v.message[10], "closed early");
	assert_has(v.message[10], "gives no reason");

	/* a close dated before the board's last entry, signed again */
	copy_record(dir, sizeof(dir), "close-before-last-entry");
	close = load_json(dir, "close.json");
	close_at_message(msg, e->f, 6, head, NOW + 2, CLOSE_REASON);
	assert_ok(ctx, tv_ed25519_sign(ctx, &sig, &e->box_key, msg, 32));
	json_object_set_new(close, "closed", json_integer(NOW + 2));
	json_object_set_new(close, "signature", hex_json(sig.bytes, 64));
	save_json(dir, "close.json", close);
	json_decref(close);
	verify_expect(ctx, dir, BIT(10), &v, &sum);
	assert_has(v.message[10], "before the board's last entry");

	/* a control character in the reason: not a close (§9.1 text) */
	copy_record(dir, sizeof(dir), "close-reason-control");
	close = load_json(dir, "close.json");
	json_object_set_new(close, "reason", json_string("line\nbreak"));
	save_json(dir, "close.json", close);
	json_decref(close);
	verify_expect(ctx, dir, BIT(10), &v, &sum);
	assert_has(v.message[10], "not a signed close");

	/* close/1, as records made before close times were kept: still verifies */
	copy_record(dir, sizeof(dir), "close-1");
	close = load_json(dir, "close.json");
	close1_message(msg, e->f, 6, head);
	assert_ok(ctx, tv_ed25519_sign(ctx, &sig, &e->box_key, msg, 32));
	json_object_set_new(close, "format", json_string("tenantvote-close/1"));
	json_object_del(close, "closed");
	json_object_del(close, "reason");
	json_object_set_new(close, "signature", hex_json(sig.bytes, 64));
	save_json(dir, "close.json", close);
	json_decref(close);
	verify_expect(ctx, dir, 0, &v, &sum);
	assert_ok(ctx, tv_record_read_close(ctx, &rc, dir));
	assert_int_equal(rc.format, 1);
	assert_false(rc.has_time);
	/* close/1 with close/2's fields is neither */
	close = load_json(dir, "close.json");
	json_object_set_new(close, "reason", json_string(CLOSE_REASON));
	save_json(dir, "close.json", close);
	json_decref(close);
	verify_expect(ctx, dir, BIT(10), &v, &sum);
	assert_has(v.message[10], "not a signed close");

	/* a box closed before schema 6 (no close time, a close/1 signature)
	 * still exports a record that verifies, with a close/1 close.json */
	{
		char boxdir[400], cmd[1600], dbpath[500], out[400];
		tv_box *box = NULL;
		tv_result *result = NULL;
		sqlite3 *db;
		sqlite3_stmt *st;

		snprintf(boxdir, sizeof(boxdir), "%s/box-closed-v5", e->root);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s/box' '%s'", boxdir, e->root,
		         boxdir);
		assert_int_equal(system(cmd), 0);
		close1_message(msg, e->f, 6, head);
		assert_ok(ctx, tv_ed25519_sign(ctx, &sig, &e->box_key, msg, 32));
		snprintf(dbpath, sizeof(dbpath), "%s/%s", boxdir, TV_BOX_FILE);
		assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "UPDATE election SET closed_at = NULL, "
		                                        "close_reason = NULL, close_signature = ?",
		                                    -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_blob(st, 1, sig.bytes, 64, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		sqlite3_close(db);
		assert_ok(ctx, tv_box_open(ctx, &box, boxdir));
		assert_ok(ctx, tv_tally_combine(ctx, &result, NULL, e->tally, e->manifest, &e->key,
		                                (const char *const *)e->dec, 2));
		snprintf(out, sizeof(out), "%s/record-closed-v5", e->root);
		assert_ok(ctx, tv_box_export_record(ctx, box, out, e->tally,
		                                    (const char *const *)e->dec, 2, result, NULL,
		                                    NULL));
		tv_result_free(result);
		tv_box_free(box);
		verify_expect(ctx, out, 0, &v, &sum);
		assert_ok(ctx, tv_record_read_close(ctx, &rc, out));
		assert_int_equal(rc.format, 1);
	}
	tv_ctx_free(ctx);
}

/* any k trustees' decryptions make a record that verifies, in any order */
static void other_trustees_decryptions_verify(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	static const int sets[3][3] = { { 3, 1, 0 }, { 2, 3, 0 }, { 1, 2, 3 } };
	char dir[400];
	tv_verify_summary sum;
	verdict v;

	for (int s = 0; s < 3; s++) {
		json_t *tally, *list = json_array();
		json_error_t err;

		copy_record(dir, sizeof(dir), "any-k");
		tally = load_json(dir, "tally.json");
		for (int i = 0; i < 3 && sets[s][i] != 0; i++)
			json_array_append_new(list, json_loads(e->dec[sets[s][i] - 1], 0, &err));
		json_object_set_new(tally, "decryptions", list);
		save_json(dir, "tally.json", tally);
		json_decref(tally);
		verify_expect(ctx, dir, 0, &v, &sum);
	}
	tv_ctx_free(ctx);
}

/* ---- 2. the tally and the trustees' decryptions ---- */

static void tally_json_round_trip(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_tally *back = NULL;
	tv_tally_info a, b;
	char *json = NULL, *again = NULL;

	assert_ok(ctx, tv_tally_to_json(ctx, &json, e->tally));
	assert_ok(ctx, tv_tally_from_json(ctx, &back, json, strlen(json)));
	assert_ok(ctx, tv_tally_to_json(ctx, &again, back));
	assert_string_equal(json, again);
	tv_tally_get_info(&a, e->tally);
	tv_tally_get_info(&b, back);
	assert_memory_equal(&a, &b, sizeof(a));
	for (uint32_t i = 1; i <= 2; i++)
		assert_memory_equal(tv_tally_sum(back, i), tv_tally_sum(e->tally, i),
		                    sizeof(tv_ciphertext));
	assert_null(tv_tally_sum(back, 0));
	assert_null(tv_tally_sum(back, 3));
	/* a tally read back is never decrypted with a share (SPEC §16.3: it
	 * could hold anything), but the trustees' decryptions combine with it */
	{
		char *d = NULL;
		const char *two[2];
		uint64_t totals[2];
		tv_result *r = NULL;

		assert_status(ctx, tv_tally_decrypt(ctx, &d, back, e->t[2], e->f), TV_ERR_STATE);
		assert_null(d);
		two[0] = e->dec[0];
		two[1] = e->dec[2];
		assert_ok(ctx, tv_tally_combine(ctx, &r, totals, back, e->manifest, &e->key, two, 2));
		assert_int_equal(totals[0], 2);
		assert_int_equal(totals[1], 1);
		tv_result_free(r);
		tv_free(ctx, d);
	}
	/* the record holds the same tally, byte for byte */
	{
		json_t *t = load_json(e->record, "tally.json");
		char *inner = json_dumps(json_object_get(t, "tally"), JSON_COMPACT | JSON_PRESERVE_ORDER);

		assert_string_equal(inner, json);
		free(inner);
		json_decref(t);
	}
	tv_free(ctx, json);
	tv_free(ctx, again);
	tv_tally_free(back);
	tv_ctx_free(ctx);
}

/* @p json changed by @p edit (a jansson edit of the tally object) */
typedef void (*tally_edit)(json_t *root);

static void edit_format(json_t *r) { json_object_set_new(r, "format", json_string("tenantvote-tally/2")); }
static void edit_drop_electorate(json_t *r) { json_object_del(r, "electorate"); }
static void edit_extra_key(json_t *r) { json_object_set_new(r, "note", json_string("recounted")); }
static void edit_head_not_hex(json_t *r)
{
	char h[65];

	snprintf(h, sizeof(h), "%s", json_string_value(json_object_get(r, "head")));
	h[10] = 'g';
	json_object_set_new(r, "head", json_string(h));
}
static void edit_head_short(json_t *r)
{
	char h[65];

	snprintf(h, sizeof(h), "%s", json_string_value(json_object_get(r, "head")));
	h[62] = '\0';
	json_object_set_new(r, "head", json_string(h));
}
static void edit_head_upper(json_t *r)
{
	char h[65];

	snprintf(h, sizeof(h), "%s", json_string_value(json_object_get(r, "head")));
	for (char *c = h; *c; c++)
		if (*c >= 'a' && *c <= 'f') {
			*c = (char)(*c - 'a' + 'A');
			break;
		}
	json_object_set_new(r, "head", json_string(h));
}
static void edit_alpha_not_hex(json_t *r)
{
	json_t *s = json_array_get(json_object_get(r, "sums"), 1);
	char h[2 * TV_POINT_BYTES + 1];

	snprintf(h, sizeof(h), "%s", json_string_value(json_object_get(s, "alpha")));
	h[7] = 'x';
	json_object_set_new(s, "alpha", json_string(h));
}
static void edit_alpha_off_curve(json_t *r)
{
	json_t *s = json_array_get(json_object_get(r, "sums"), 0);
	char h[2 * TV_POINT_BYTES + 1];

	snprintf(h, sizeof(h), "%s", json_string_value(json_object_get(s, "alpha")));
	h[2 * TV_POINT_BYTES - 1] = h[2 * TV_POINT_BYTES - 1] == '0' ? '1' : '0';
	json_object_set_new(s, "alpha", json_string(h));
}
static void edit_sum_extra_key(json_t *r)
{
	json_object_set_new(json_array_get(json_object_get(r, "sums"), 0), "gamma", json_string("00"));
}
static void edit_one_sum(json_t *r) { json_array_remove(json_object_get(r, "sums"), 1); }
static void edit_ballots(json_t *r) { json_object_set_new(r, "ballots", json_integer(5)); }
static void edit_negative(json_t *r)
{
	json_object_set_new(json_object_get(r, "spoilt"), "identifies-voter", json_integer(-1));
}
static void edit_count_string(json_t *r) { json_object_set_new(r, "entries", json_string("6")); }
static void edit_channel_missing(json_t *r) { json_object_del(json_object_get(r, "by_channel"), "phone"); }
static void edit_not_object(json_t *r) { json_object_set_new(r, "spoilt", json_array()); }

static void tally_from_json_refuses_malformed(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	static const struct {
		const char *what;
		tally_edit edit;
		tv_status want;
		const char *names;
	} cases[] = {
		{ "wrong format", edit_format, TV_ERR_ENCODING,
		  "tally: format: is \"tenantvote-tally/2\", not \"tenantvote-tally/1\"" },
		{ "missing key", edit_drop_electorate, TV_ERR_ENCODING, "tally: electorate: is missing" },
		{ "extra key", edit_extra_key, TV_ERR_ENCODING, "tally: has an unknown field \"note\"" },
		{ "head not hex", edit_head_not_hex, TV_ERR_ENCODING, "tally: head: " },
		{ "head too short", edit_head_short, TV_ERR_ENCODING,
		  "tally: head: must be 64 hex characters, not 62" },
		{ "head in upper case", edit_head_upper, TV_ERR_ENCODING, "not lowercase hex" },
		{ "a sum not hex", edit_alpha_not_hex, TV_ERR_ENCODING, "tally: sums[1].alpha: " },
		{ "a sum off the curve", edit_alpha_off_curve, TV_ERR_POINT_INVALID,
		  "tally: sums[0].alpha: " },
		{ "a sum with an extra key", edit_sum_extra_key, TV_ERR_ENCODING,
		  "tally: sums[0]: has an unknown field \"gamma\"" },
		{ "one option only", edit_one_sum, TV_ERR_ENCODING,
		  "tally: sums: has 1 entries, not from 2 to 16" },
		{ "ballots that do not add up", edit_ballots, TV_ERR_ENCODING,
		  "tally: ballots and spoilt papers do not add up to by_channel" },
		{ "a negative count", edit_negative, TV_ERR_ENCODING,
		  "tally: spoilt.identifies-voter: is -1, not from 0 to 1000000000000000" },
		{ "a count as a string", edit_count_string, TV_ERR_ENCODING,
		  "tally: entries: must be a whole number, not a string" },
		{ "a channel missing", edit_channel_missing, TV_ERR_ENCODING,
		  "tally: by_channel.phone: is missing" },
		{ "spoilt not an object", edit_not_object, TV_ERR_ENCODING,
		  "tally: spoilt: must be an object, not an array" },
	};
	static const char *const raw[] = {
		"", "not json", "[]", "{}", "{\"format\":\"tenantvote-tally/1\"}", "null",
	};
	char *json = NULL;
	json_error_t err;

	assert_ok(ctx, tv_tally_to_json(ctx, &json, e->tally));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *root = json_loads(json, 0, &err);
		char *bad;
		tv_tally *t = (tv_tally *)(void *)&sentinel;
		tv_status st;

		assert_non_null(root);
		cases[i].edit(root);
		bad = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(root);
		assert_non_null(bad);
		st = tv_tally_from_json(ctx, &t, bad, strlen(bad));
		if (st != cases[i].want)
			fail_msg("%s: got %s, want %s: %s", cases[i].what, tv_status_str(st),
			         tv_status_str(cases[i].want), tv_ctx_last_error(ctx));
		assert_has(tv_ctx_last_error(ctx), cases[i].names);
		assert_true(tv_status_is_rejection(st));
		assert_null(t);
		free(bad);
	}
	/* a duplicate key, spelt by hand (jansson would merge it) */
	{
		size_t len;
		char *dup = test_replace(json, "\"ballots\":", "\"ballots\":4,\"ballots\":", &len);
		tv_tally *t = NULL;

		assert_status(ctx, tv_tally_from_json(ctx, &t, dup, len), TV_ERR_ENCODING);
		assert_null(t);
		free(dup);
	}
	for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		tv_tally *t = NULL;
		tv_status st = tv_tally_from_json(ctx, &t, raw[i], strlen(raw[i]));

		if (!tv_status_is_rejection(st))
			fail_msg("\"%s\": got %s", raw[i], tv_status_str(st));
		assert_null(t);
	}
	/* too long to be a tally */
	{
		size_t n = TV_TALLY_JSON_MAX + 1;
		char *big = malloc(n + 1);
		tv_tally *t = NULL;

		assert_non_null(big);
		memset(big, ' ', n);
		memcpy(big, json, strlen(json));
		big[n] = '\0';
		assert_true(tv_status_is_rejection(tv_tally_from_json(ctx, &t, big, n)));
		assert_null(t);
		free(big);
	}
	tv_free(ctx, json);
	tv_ctx_free(ctx);
}

/* the decryption @p dec, parts and all, relabelled as trustee @p as's */
static char *relabel(const char *dec, int as)
{
	json_error_t err;
	json_t *root = json_loads(dec, 0, &err);
	char *out;

	assert_non_null(root);
	json_object_set_new(root, "trustee", json_integer(as));
	out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	assert_non_null(out);
	return out;
}

/*
 * Trustee @p as's decryption, as a trustee holding another share @p from
 * would make it to pass for @p as: every part is M = x_from·alpha, with a
 * Chaum-Pedersen proof that is valid for x_from, bound to trustee @p as's
 * context (F || u32be(as)). Only the verification key the verifier takes
 * from the ceremony (X_as, never anything in the decryption) catches it.
 */
static char *forge_with_share(tv_ctx *ctx, const tv_tally *tally, int from, int as)
{
	json_error_t err;
	json_t *root = json_loads(E->dec[as - 1], 0, &err), *parts;
	tv_scalar x;
	tv_point X, G;
	uint8_t context[36];
	char *out;

	assert_non_null(root);
	parts = json_object_get(root, "parts");
	assert_ok(ctx, tv_trustee_share(ctx, &x, &X, NULL, E->t[from - 1]));
	tv_point_generator(&G);
	memcpy(context, E->f, 32);
	context[32] = 0;
	context[33] = 0;
	context[34] = 0;
	context[35] = (uint8_t)as;
	for (uint32_t i = 0; i < 2; i++) {
		const tv_ciphertext *ct = tv_tally_sum(tally, i + 1);
		tv_partial_decryption pd;
		tv_cp_proof proof;
		char a1[TV_POINT_HEX_LEN + 1], a2[TV_POINT_HEX_LEN + 1], m[TV_POINT_HEX_LEN + 1],
			resp[TV_SCALAR_HEX_LEN + 1];
		json_t *part = json_array_get(parts, i);

		/* M = x_from·alpha, as trustee @p from's own partial decryption */
		assert_ok(ctx, tv__partial_decrypt(ctx, &pd, E->t[from - 1], ct, E->f));
		assert_ok(ctx, tv_cp_prove(ctx, &proof, &x, &G, &X, &ct->alpha, &pd.share, context, 36));
		assert_ok(ctx, tv_cp_verify(ctx, &proof, &G, &X, &ct->alpha, &pd.share, context, 36));
		tv_point_to_hex(m, &pd.share);
		tv_point_to_hex(a1, &proof.commitment1);
		tv_point_to_hex(a2, &proof.commitment2);
		tv_scalar_to_hex(resp, &proof.response);
		json_object_set_new(part, "share", json_string(m));
		json_object_set_new(part, "proof", json_pack("{s:s, s:s, s:s}", "a1", a1, "a2", a2,
		                                             "response", resp));
	}
	tv_scalar_wipe(&x);
	out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	assert_non_null(out);
	return out;
}

static void combine_refuses(tv_ctx *ctx, const char *a, const char *b, tv_status want,
                            const char *named)
{
	const char *two[2] = { a, b };
	tv_result *r = (tv_result *)(void *)&sentinel;
	uint64_t totals[2];

	assert_status(ctx, tv_tally_combine(ctx, &r, totals, E->tally, E->manifest, &E->key, two, 2),
	              want);
	assert_null(r);
	if (named != NULL)
		assert_has(tv_ctx_last_error(ctx), named);
}

static void decryption_with_wrong_share_is_named(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	char *relabelled = relabel(e->dec[2], 2), *forged = forge_with_share(ctx, e->tally, 3, 2);

	/* trustee 3's decryption passed off as trustee 2's, either order */
	combine_refuses(ctx, e->dec[0], relabelled, TV_ERR_PROOF_INVALID, "trustee 2");
	combine_refuses(ctx, relabelled, e->dec[0], TV_ERR_PROOF_INVALID, "trustee 2");
	/* made with trustee 3's share, its proof valid for that share and
	 * bound to trustee 2: still trustee 2's key does not match */
	combine_refuses(ctx, e->dec[0], forged, TV_ERR_PROOF_INVALID, "trustee 2");
	combine_refuses(ctx, forged, e->dec[2], TV_ERR_PROOF_INVALID, "trustee 2");
	free(relabelled);
	free(forged);
	/* the honest forms of the same work */
	{
		const char *two[2] = { e->dec[2], e->dec[1] };
		tv_result *r = NULL;
		uint64_t totals[2];

		assert_ok(ctx, tv_tally_combine(ctx, &r, totals, e->tally, e->manifest, &e->key, two, 2));
		assert_int_equal(totals[0], 2);
		assert_int_equal(totals[1], 1);
		tv_result_free(r);
	}
	tv_ctx_free(ctx);
}

/* trustee 2's decryption with part @p part's field @p field replaced */
static char *tamper_part(const char *dec, size_t part, const char *field, const char *proof_field,
                         const char *value)
{
	json_error_t err;
	json_t *root = json_loads(dec, 0, &err), *p;
	char *out;

	assert_non_null(root);
	p = json_array_get(json_object_get(root, "parts"), part);
	if (proof_field != NULL)
		p = json_object_get(p, "proof");
	assert_non_null(p);
	json_object_set_new(p, proof_field ? proof_field : field, json_string(value));
	out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	return out;
}

static const char *part_field(json_t *root, size_t part, const char *proof_field,
                              const char *field)
{
	json_t *p = json_array_get(json_object_get(root, "parts"), part);

	return json_string_value(json_object_get(proof_field ? json_object_get(p, "proof") : p,
	                                         proof_field ? proof_field : field));
}

static void tampered_share_or_proof_is_named(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	json_error_t err;
	json_t *root = json_loads(e->dec[1], 0, &err);
	tv_point share, moved;
	tv_scalar resp, bumped;
	char hex[TV_POINT_HEX_LEN + 1], shex[TV_SCALAR_HEX_LEN + 1], *bad;

	assert_non_null(root);
	/* M + G: a valid point that would move option 1's total by one vote */
	assert_ok(ctx, tv_point_from_hex(ctx, &share, part_field(root, 0, NULL, "share"),
	                                 TV_POINT_HEX_LEN));
	test_other_point(ctx, &moved, &share);
	tv_point_to_hex(hex, &moved);
	bad = tamper_part(e->dec[1], 0, "share", NULL, hex);
	combine_refuses(ctx, e->dec[0], bad, TV_ERR_PROOF_INVALID, "trustee 2");
	free(bad);
	/* option 2's share given for option 1 */
	bad = tamper_part(e->dec[1], 0, "share", NULL, part_field(root, 1, NULL, "share"));
	combine_refuses(ctx, e->dec[0], bad, TV_ERR_PROOF_INVALID, "trustee 2");
	free(bad);
	/* the proof's response + 1, on option 2 */
	assert_ok(ctx, tv_scalar_from_hex(ctx, &resp, part_field(root, 1, "response", NULL),
	                                  TV_SCALAR_HEX_LEN));
	test_scalar_plus_one(&bumped, &resp);
	tv_scalar_to_hex(shex, &bumped);
	bad = tamper_part(e->dec[1], 1, NULL, "response", shex);
	combine_refuses(ctx, bad, e->dec[0], TV_ERR_PROOF_INVALID, "trustee 2");
	free(bad);
	/* the proof's commitments swapped */
	bad = tamper_part(e->dec[1], 0, NULL, "a1", part_field(root, 0, "a2", NULL));
	combine_refuses(ctx, e->dec[0], bad, TV_ERR_PROOF_INVALID, "trustee 2");
	free(bad);
	/* a proof taken from trustee 3's decryption of the same sum */
	{
		json_t *other = json_loads(e->dec[2], 0, &err);

		bad = tamper_part(e->dec[1], 0, NULL, "a2", part_field(other, 0, "a2", NULL));
		combine_refuses(ctx, e->dec[0], bad, TV_ERR_PROOF_INVALID, "trustee 2");
		free(bad);
		json_decref(other);
	}
	/* a share that is not a point: malformed, not a failed proof */
	bad = tamper_part(e->dec[1], 0, "share", NULL, "04zz");
	combine_refuses(ctx, e->dec[0], bad, TV_ERR_ENCODING,
	                "trustee 2's decryption: parts[0].share: must be 130 hex characters");
	free(bad);
	/* a response that is not a scalar below n */
	bad = tamper_part(e->dec[1], 1, NULL, "response",
	                  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
	combine_refuses(ctx, e->dec[0], bad, TV_ERR_SCALAR_RANGE,
	                "trustee 2's decryption: parts[1].proof.response: ");
	free(bad);
	/* a trustee that cannot be, and parts that are not one per option */
	json_object_set_new(root, "trustee", json_integer(17));
	bad = json_dumps(root, JSON_COMPACT);
	combine_refuses(ctx, e->dec[0], bad, TV_ERR_ENCODING,
	                "decryption 2: trustee: is 17, not from 1 to 16");
	free(bad);
	json_object_set_new(root, "trustee", json_integer(2));
	json_array_remove(json_object_get(root, "parts"), 1);
	bad = json_dumps(root, JSON_COMPACT);
	combine_refuses(ctx, e->dec[0], bad, TV_ERR_ENCODING,
	                "trustee 2's decryption: parts: has 1 entries, not 2");
	free(bad);
	json_decref(root);
	tv_ctx_free(ctx);
}

static void fewer_than_k_refused(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	const char *one[1] = { e->dec[1] };
	tv_result *r = NULL;
	uint64_t totals[2];

	assert_status(ctx, tv_tally_combine(ctx, &r, totals, e->tally, e->manifest, &e->key, one, 1),
	              TV_ERR_INVALID_ARGUMENT);
	assert_has(tv_ctx_last_error(ctx), "at least 2");
	assert_null(r);
	assert_status(ctx, tv_tally_combine(ctx, &r, totals, e->tally, e->manifest, &e->key, NULL, 0),
	              TV_ERR_INVALID_ARGUMENT);
	/* two, but the same trustee twice */
	combine_refuses(ctx, e->dec[1], e->dec[1], TV_ERR_INVALID_ARGUMENT, "twice");
	/* ... found before any proof is verified: the second's proof would fail */
	{
		char *again = relabel(e->dec[2], 2);

		combine_refuses(ctx, e->dec[1], again, TV_ERR_INVALID_ARGUMENT, "twice");
		free(again);
	}
	/* more decryptions than trustees: refused before any is read */
	{
		enum { COPIES = 55000 };
		const char **many = calloc(COPIES, sizeof(*many));

		assert_non_null(many);
		for (size_t i = 0; i < COPIES; i++)
			many[i] = i == 0 ? e->dec[0] : "not even JSON";
		assert_status(ctx, tv_tally_combine(ctx, &r, totals, e->tally, e->manifest, &e->key,
		                                    many, COPIES),
		              TV_ERR_INVALID_ARGUMENT);
		assert_has(tv_ctx_last_error(ctx), "55000 trustees' decryptions, but the election has 3");
		free(many);
	}
	/* a trustee the ceremony does not have */
	{
		char *four = relabel(e->dec[2], 4);

		combine_refuses(ctx, e->dec[0], four, TV_ERR_INVALID_ARGUMENT, "trustee 4");
		free(four);
	}
	/* a decryption for another election */
	{
		uint8_t other[32];
		char *d = NULL;

		memcpy(other, e->f, 32);
		other[0] ^= 1;
		assert_status(ctx, tv_tally_decrypt(ctx, &d, e->tally, e->t[0], other),
		              TV_ERR_WRONG_ELECTION);
		assert_null(d);
	}
	tv_ctx_free(ctx);
}

/* ---- 3. the record tampered with, needing the crypto ---- */

static json_t *line_like(const char *kind, const char *entry_json, int64_t time,
                         uint32_t channel)
{
	json_error_t err;
	json_t *entry = json_loads(entry_json, JSON_REJECT_DUPLICATES, &err);

	assert_non_null(entry);
	/* position and heads are filled in by rechain() */
	return json_pack("{s:i, s:s, s:i, s:I, s:s, s:s, s:o}", "position", 0, "kind", kind,
	                 "channel", (int)channel, "time", (json_int_t)time, "prev_head", "",
	                 "head", "", "entry", entry);
}

/*
 * (a) A ballot inserted at position 4, validly signed and proven, by a
 * credential made for this election but never issued (not on the list),
 * the chain re-made from there on.
 */
static void inserted_ballot_of_unlisted_credential(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_credential_code code;
	tv_point pub;
	tv_ballot *b = NULL;
	char *bj = NULL, dir[400];
	size_t blen;
	uint8_t last[32];
	json_t *lines;
	tv_verify_summary sum;
	verdict v;

	assert_ok(ctx, tv_credential_generate(ctx, &code, &pub, e->f));
	assert_ok(ctx, tv_ballot_encrypt(ctx, &b, NULL, e->manifest, &e->key.key, code.text,
	                                 strlen(code.text), 2));
	tv_credential_code_wipe(&code);
	/* a good ballot in itself: only the list can refuse it */
	assert_ok(ctx, tv_ballot_verify(ctx, b, e->manifest, &e->key.key));
	assert_ok(ctx, tv_ballot_to_json(ctx, &bj, &blen, b));

	copy_record(dir, sizeof(dir), "inserted");
	lines = load_board(dir);
	json_array_insert_new(lines, 3, line_like("ballot", bj, NOW + 3, TV_CHANNEL_ONLINE));
	rechain(ctx, lines, last, 0);
	save_board(dir, lines);
	/*
	 * Without the box key, close.json cannot be re-made: it signs 6
	 * entries and the old head, so check 10 fails too (7 entries, another
	 * head), and the tally's head and entry count (check 11) no longer
	 * match the board; checks 12 and 13 need check 11, and 14 needs the
	 * totals, so they are reported not done. The board itself is sound
	 * but for check 6: the entry is well formed (5), signed and proven
	 * (7), new (8) and chained (9).
	 */
	verify_expect(ctx, dir, BIT(6) | BIT(10) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_int_equal(v.position[6], 4);
	assert_has(v.message[6], "not on the list");
	assert_int_equal(sum.entries, 7);
	assert_int_equal(sum.counted, 5); /* the stranger's ballot is not counted */

	/*
	 * The insider who holds the box key signs a new close and mends the
	 * tally's head and count. Of the board's checks, only check 6 stands
	 * between the box and a stuffed board. The sums start from a term
	 * bound to the final head (SPEC §17.1.2), so they no longer match
	 * (11), and the trustees' decryptions of the old sums cannot be
	 * carried over (12 to 14 need 11): a new head needs the trustees anew.
	 */
	reclose_with_box_key(ctx, dir, 7, last);
	verify_expect(ctx, dir, BIT(6) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_int_equal(v.position[6], 4);
	assert_has(v.message[11], "option 1: the sum is not the sum of the counted ballots");
	/* SPEC §19.4: check 11 names the entry that is the likely root cause */
	assert_has(v.message[11], "the board entry at position 4 fails a check above");
	assert_int_equal(sum.entries, 7);
	assert_int_equal(sum.counted, 5);
	/* the tenants' receipts from position 4 on no longer match the board */
	{
		int counts = -1;

		assert_status(ctx, tv_record_check_receipt(ctx, &counts, dir, &e->revote_a),
		              TV_ERR_PROOF_INVALID);
	}
	json_decref(lines);
	tv_free(ctx, bj);
	tv_ballot_free(b);
	tv_ctx_free(ctx);
}

/*
 * (b) Tenant A's ballot (No, position 1) and revote (Yes, position 5)
 * swapped, each position keeping its channel and time, the chain re-made:
 * under "last" the No would now count.
 */
static void revote_order_swapped(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	char dir[400];
	uint8_t last[32];
	json_t *lines, *l1, *l5, *entry1, *entry5;
	tv_verify_summary sum;
	verdict v;
	int counts = -1;

	copy_record(dir, sizeof(dir), "swapped");
	lines = load_board(dir);
	l1 = json_array_get(lines, 0);
	l5 = json_array_get(lines, 4);
	assert_string_equal(json_string_value(json_object_get(l1, "kind")), "ballot");
	assert_string_equal(json_string_value(json_object_get(l5, "kind")), "ballot");
	/* the same credential: a revote */
	assert_string_equal(json_string_value(json_object_get(json_object_get(l1, "entry"), "credential")),
	                    json_string_value(json_object_get(json_object_get(l5, "entry"), "credential")));
	entry1 = json_incref(json_object_get(l1, "entry"));
	entry5 = json_incref(json_object_get(l5, "entry"));
	json_object_set_new(l1, "entry", entry5);
	json_object_set_new(l5, "entry", entry1);
	rechain(ctx, lines, last, 0);
	save_board(dir, lines);
	/*
	 * The board alone is consistent (5 to 9 pass): nothing in it says
	 * which of a credential's ballots came first but the order. The close
	 * signs the old head (check 10), and the counted ballot of A is now
	 * the No, so the tally's head and its sums (check 11) are not the
	 * board's; 12 and 13 need 11, 14 needs the totals.
	 */
	verify_expect(ctx, dir, BIT(10) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_int_equal(sum.entries, 6);
	assert_int_equal(sum.counted, 5);

	/*
	 * With the close re-signed by the box key and the tally's head mended,
	 * the encrypted sums still give it away: they are not the sums of the
	 * ballots that now count (check 11). (Only a tally re-made from the
	 * swapped board and decrypted by k trustees would hide it from the
	 * verifier; then tenant A's receipt for position 5 is what catches it.)
	 */
	reclose_with_box_key(ctx, dir, 6, last);
	verify_expect(ctx, dir, BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_has(v.message[11], "option 1: the sum is not the sum of the counted ballots");
	/* no board entry failed a check: check 11 blames none */
	assert_null(strstr(v.message[11], "fails a check above"));
	assert_status(ctx, tv_record_check_receipt(ctx, &counts, dir, &e->revote_a),
	              TV_ERR_PROOF_INVALID);
	assert_has(tv_ctx_last_error(ctx), "position 5");
	json_decref(lines);
	tv_ctx_free(ctx);
}

/*
 * (c) Trustee 2's partial decryption in tally.json replaced by one made
 * with trustee 3's share (relabelled, or with a proof forged for trustee
 * 2's context): check 12 names trustee 2; 13 and 14 need it.
 */
static void record_decryption_with_other_share(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	char dir[400], *swapped[2];
	tv_verify_summary sum;
	verdict v;

	swapped[0] = relabel(e->dec[2], 2);
	swapped[1] = forge_with_share(ctx, e->tally, 3, 2);
	for (int i = 0; i < 2; i++) {
		json_t *tally, *list;
		json_error_t err;

		copy_record(dir, sizeof(dir), "decryption");
		tally = load_json(dir, "tally.json");
		list = json_object_get(tally, "decryptions");
		assert_int_equal(json_array_size(list), 2);
		assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "trustee")), 2);
		json_array_set_new(list, 1, json_loads(swapped[i], 0, &err));
		save_json(dir, "tally.json", tally);
		json_decref(tally);
		verify_expect(ctx, dir, BIT(12) | BIT(13) | BIT(14), &v, &sum);
		assert_has(v.message[12], "trustee 2");
		assert_int_equal(sum.entries, 6);
		free(swapped[i]);
	}
	tv_ctx_free(ctx);
}

/* ---- the board and the folder: unreadable, huge, out of range ---- */

/* rewrite board.jsonl line @p n (from 1) through @p edit */
static void edit_board_line(const char *dir, int n, void (*edit)(FILE *out, const char *line))
{
	char path[400], tmp[420], *line = NULL;
	size_t cap = 0;
	int at = 0;
	FILE *in, *out;

	path_in(path, sizeof(path), dir, "board.jsonl");
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	assert_non_null(in = fopen(path, "r"));
	assert_non_null(out = fopen(tmp, "w"));
	while (getline(&line, &cap, in) > 0) {
		if (++at == n)
			edit(out, line);
		else
			fputs(line, out);
	}
	free(line);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(rename(tmp, path), 0);
}

/* a line longer than any board line may be, before the line itself */
static void put_huge_line(FILE *out, const char *line)
{
	for (size_t i = 0; i < TV_RECORD_LINE_MAX_FOR_TEST + 10; i++)
		fputc('x', out);
	fputc('\n', out);
	fputs(line, out);
}

/* the channel (online, 1) plus 2^32: the same as 1 if cut to 32 bits */
static void put_wide_channel(FILE *out, const char *line)
{
	const char *at = strstr(line, "\"channel\":1,");

	assert_non_null(at);
	fprintf(out, "%.*s\"channel\":4294967297,%s", (int)(at - line), line,
	        at + strlen("\"channel\":1,"));
}

static void board_faults_are_found(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	char dir[400], path[420];
	tv_verify_summary sum;
	verdict v;
	tv_status st;
	(void)state;

	/* no record folder at all: could not check, and nothing reported */
	snprintf(dir, sizeof(dir), "%s/no-such-record", E->root);
	memset(&v, 0, sizeof(v));
	st = tv_record_verify(ctx, dir, 1, on_event, &v, NULL, NULL, &sum);
	assert_int_equal(st, TV_ERR_IO);
	assert_has(tv_ctx_last_error(ctx), "no-such-record");
	assert_int_equal(v.failed | v.passed, 0);
	assert_int_equal(sum.passed + sum.failed, 0);

	/* no board: 5 fails, 6 to 9 are not done, and what needs the board fails */
	copy_record(dir, sizeof(dir), "no-board");
	path_in(path, sizeof(path), dir, "board.jsonl");
	assert_int_equal(unlink(path), 0);
	verify_expect(ctx, dir, BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(9) | BIT(10) | BIT(11) |
	                                BIT(12) | BIT(13) | BIT(14), &v, &sum);
	for (uint32_t c = 6; c <= 9; c++)
		assert_has(v.message[c], "not done");

	/*
	 * the board a pipe: it could give the second pass other lines than the
	 * first checked; refused as not a plain file, without waiting on it
	 */
	copy_record(dir, sizeof(dir), "board-pipe");
	path_in(path, sizeof(path), dir, "board.jsonl");
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	verify_expect(ctx, dir, BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(9) | BIT(10) | BIT(11) |
	                                BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_has(v.message[5], "not a plain file");

	/*
	 * a huge line before line 2: too long (5, at line 2), then every later
	 * line sits one below its position (9), the close counts one entry
	 * fewer (10), and the sums, hence 12 to 14, cannot follow
	 */
	copy_record(dir, sizeof(dir), "huge-line");
	edit_board_line(dir, 2, put_huge_line);
	verify_expect(ctx, dir, BIT(5) | BIT(9) | BIT(10) | BIT(11) | BIT(12) | BIT(13) | BIT(14),
	              &v, &sum);
	assert_has(v.message[5], "too long");
	assert_int_equal(v.position[5], 2);

	/*
	 * line 2 (a counted ballot) with a channel past 32 bits: it is refused
	 * (5), the chain breaks after it (9), and it no longer counts (11 on)
	 */
	copy_record(dir, sizeof(dir), "wide-channel");
	edit_board_line(dir, 2, put_wide_channel);
	verify_expect(ctx, dir, BIT(5) | BIT(9) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_has(v.message[5], "not a channel");
	assert_int_equal(v.position[5], 2);
	tv_ctx_free(ctx);
}

/* every event of a verification, one line each: check, position, status, message */
typedef struct event_log {
	char *text;
	size_t len, cap, count;
} event_log;

static void log_event(const tv_verify_event *ev, void *payload)
{
	event_log *l = payload;
	char line[700];
	int n = snprintf(line, sizeof(line), "%u %llu %d %s\n", ev->check,
	                 (unsigned long long)ev->position, (int)ev->status, ev->message);

	assert_true(n > 0 && (size_t)n < sizeof(line));
	if (l->len + (size_t)n + 1 > l->cap) {
		l->cap = 2 * (l->len + (size_t)n + 1);
		l->text = realloc(l->text, l->cap);
		assert_non_null(l->text);
	}
	memcpy(l->text + l->len, line, (size_t)n + 1);
	l->len += (size_t)n;
	l->count++;
}

/* a board line's signature response with its last hex digit changed */
static void spoil_signature(json_t *line)
{
	json_t *sig = json_object_get(json_object_get(line, "entry"), "signature");
	char hex[65];

	assert_non_null(sig);
	snprintf(hex, sizeof(hex), "%s", json_string_value(json_object_get(sig, "response")));
	hex[63] = hex[63] == '0' ? '1' : '0';
	json_object_set_new(sig, "response", json_string(hex));
}

/*
 * SPEC §19.5: a board of many blocks, with faults scattered among them,
 * gives the same events in the same order on 1, 2, 3 and 5 threads,
 * however the pipeline cuts the calling thread's share. The board is the
 * record's six entries over and over, chained again (so every copy is a
 * replay, check 8), with bad signatures in lines the batches must find by
 * bisection (check 7), two of them side by side, and a line that is not
 * an entry (check 5, then the chain, check 9).
 */
static void events_do_not_depend_on_threads(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	json_t *lines = load_board(e->record), *big = json_array();
	static const size_t spoilt[] = { 701, 702, 1501, 2551 };
	static const unsigned threads[] = { 2, 3, 5 };
	event_log one = { NULL, 0, 0, 0 };
	size_t n = json_array_size(lines);
	uint8_t last[32];
	char dir[400];

	for (size_t i = 0; i < 2600; i++)
		json_array_append_new(big, json_deep_copy(json_array_get(lines, i % n)));
	for (size_t k = 0; k < sizeof(spoilt) / sizeof(spoilt[0]); k++) {
		/* a ballot's line (the fourth of each six is a spoilt paper) */
		assert_string_equal(json_string_value(json_object_get(json_array_get(big, spoilt[k] - 1),
		                                                      "kind")), "ballot");
		spoil_signature(json_array_get(big, spoilt[k] - 1));
	}
	rechain(ctx, big, last, 0);
	json_array_set_new(big, 2099, json_pack("{s:s}", "not", "an entry"));
	copy_record(dir, sizeof(dir), "many-blocks");
	save_board(dir, big);

	tv_status st = tv_record_verify(ctx, dir, 1, log_event, &one, NULL, NULL, NULL);

	for (size_t k = 0; k < sizeof(spoilt) / sizeof(spoilt[0]); k++) {
		char want[64];

		snprintf(want, sizeof(want), "\n7 %zu ", spoilt[k]);
		assert_has(one.text, want);
	}
	assert_has(one.text, "\n5 2100 ");
	assert_true(one.count > 2000); /* the replays */
	for (size_t k = 0; k < sizeof(threads) / sizeof(threads[0]); k++) {
		event_log many = { NULL, 0, 0, 0 };

		assert_int_equal(tv_record_verify(ctx, dir, threads[k], log_event, &many, NULL, NULL,
		                                  NULL), st);
		assert_int_equal(many.count, one.count);
		assert_string_equal(many.text, one.text);
		free(many.text);
	}
	free(one.text);
	json_decref(lines);
	json_decref(big);
	tv_ctx_free(ctx);
}

/*
 * SPEC §16.3: a trustee's share decrypts only sums its own software added
 * up from a record that checks. The officer cannot aim it at one tenant's
 * ballot: not with the box's tally, nor a tally.json whose "sums" are one
 * ballot's ciphertexts, nor a board cut down to that ballot.
 */
static void trustees_decrypt_only_checked_sums(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_tally *given = NULL, *checked = NULL;
	tv_partial_decryption pd;
	tv_ballot *b = NULL;
	char *text = NULL, *json = NULL, dir[400];
	json_t *tally, *sums, *lines;
	uint8_t last[32];

	/* a tally.json whose sums are tenant A's own ballot (board line 1) */
	lines = load_board(e->record);
	{
		json_t *entry = json_object_get(json_array_get(lines, 0), "entry");
		char *bj = json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER);

		assert_ok(ctx, tv_ballot_from_json(ctx, &b, bj, strlen(bj)));
		free(bj);
	}
	assert_ok(ctx, tv_tally_to_json(ctx, &text, e->tally));
	assert_non_null(tally = json_loads(text, 0, NULL));
	sums = json_object_get(tally, "sums");
	for (uint32_t i = 0; i < 2; i++) {
		json_t *sum = json_array_get(sums, i);

		json_object_set_new(sum, "alpha", hex_json(tv_ballot_ciphertext(b, i + 1)->alpha.bytes,
		                                           TV_POINT_BYTES));
		json_object_set_new(sum, "beta", hex_json(tv_ballot_ciphertext(b, i + 1)->beta.bytes,
		                                          TV_POINT_BYTES));
	}
	json = json_dumps(tally, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_ok(ctx, tv_tally_from_json(ctx, &given, json, strlen(json)));
	tv_free(ctx, text);
	text = NULL;
	assert_status(ctx, tv_tally_decrypt(ctx, &text, given, e->t[0], e->f), TV_ERR_STATE);
	assert_null(text);
	assert_has(tv_ctx_last_error(ctx), "tv_record_tally");
	/* nor one ciphertext at a time */
	assert_status(ctx, tv_partial_decrypt(ctx, &pd, e->t[0], tv_ballot_ciphertext(b, 1), e->f),
	              TV_ERR_STATE);

	/* the board cut down to that ballot: it fails the close (check 10) */
	copy_record(dir, sizeof(dir), "aimed-board");
	while (json_array_size(lines) > 1)
		json_array_remove(lines, 1);
	rechain(ctx, lines, last, 0);
	save_board(dir, lines);
	assert_status(ctx, tv_record_tally(ctx, &checked, dir, 1, NULL, NULL, NULL, NULL),
	              TV_ERR_PROOF_INVALID);
	assert_null(checked);
	assert_has(tv_ctx_last_error(ctx), "check 10");

	/* the honest record: its sums are the tally's, and they decrypt */
	assert_ok(ctx, tv_record_tally(ctx, &checked, e->record, 1, NULL, NULL, NULL, NULL));
	assert_memory_equal(tv_tally_sum(checked, 1), tv_tally_sum(e->tally, 1), sizeof(tv_ciphertext));
	assert_ok(ctx, tv_tally_decrypt(ctx, &text, checked, e->t[0], e->f));
	json_decref(lines);
	json_decref(tally);
	free(json);
	tv_free(ctx, text);
	tv_ballot_free(b);
	tv_tally_free(given);
	tv_tally_free(checked);
	tv_ctx_free(ctx);
}

/* ---- the credential list bound before voting (SPEC §11.5, §11.6) ---- */

/*
 * The insider's ballot stuffing: tenant 6, who did not vote, has their
 * credential swapped for one whose code the box holds; the list is signed
 * again with a key the box made (the authority named in credentials.json
 * swapped with it), the box's ballot added and chained, and the close
 * signed again with the box key. Every signature in the record is good;
 * the trustees' ceremony, bound to the real authority and list, is not.
 */
static void credential_list_swapped_and_signed_again(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_credential_code code;
	tv_point mine, theirs;
	tv_ed25519_secret_key ask;
	tv_ed25519_public_key apk;
	tv_ed25519_signature sig;
	tv_ballot *b = NULL;
	tv_tally *checked = NULL;
	char *bj = NULL, *text = NULL, dir[400], hex[2 * TV_POINT_BYTES + 1];
	size_t blen, n;
	uint8_t last[32], l[32], msg[32], other[32];
	json_t *cl, *list, *sorted, *lines;
	spec_hash h;
	tv_verify_summary sum;
	verdict v;

	assert_ok(ctx, tv_credential_generate(ctx, &code, &mine, e->f));
	assert_ok(ctx, tv_credential_derive(ctx, NULL, &theirs, e->codes[5], strlen(e->codes[5]),
	                                    e->f));
	assert_ok(ctx, tv_ballot_encrypt(ctx, &b, NULL, e->manifest, &e->key.key, code.text,
	                                 strlen(code.text), 2));
	tv_credential_code_wipe(&code);
	assert_ok(ctx, tv_ballot_to_json(ctx, &bj, &blen, b));

	copy_record(dir, sizeof(dir), "list-swapped");
	cl = load_json(dir, "credentials.json");
	list = json_object_get(cl, "credentials");
	to_hex(hex, theirs.bytes, TV_POINT_BYTES);
	sorted = json_array();
	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *x = json_string_value(json_array_get(list, i));

		if (strcmp(x, hex) != 0)
			json_array_append_new(sorted, json_string(x));
	}
	assert_int_equal(json_array_size(sorted), TENANTS - 1);
	to_hex(hex, mine.bytes, TV_POINT_BYTES);
	for (n = 0; n < json_array_size(sorted) &&
	            strcmp(json_string_value(json_array_get(sorted, n)), hex) < 0; n++)
		;
	json_array_insert_new(sorted, n, json_string(hex));
	/* L and S recomputed from SPEC §11.5, signed with the box's own key */
	sh_begin(&h, "credential-list");
	sh_field(&h, e->f, 32);
	sh_u64(&h, TENANTS);
	for (size_t i = 0; i < TENANTS; i++) {
		uint8_t p[TV_POINT_BYTES];

		from_hex(p, TV_POINT_BYTES, json_string_value(json_array_get(sorted, i)));
		sh_field(&h, p, TV_POINT_BYTES);
	}
	sh_final(&h, l);
	assert_ok(ctx, tv_ed25519_keygen(ctx, &ask, &apk));
	sh_begin(&h, "credential-authority");
	sh_field(&h, e->f, 32);
	sh_field(&h, apk.bytes, 32);
	sh_field(&h, l, 32);
	sh_final(&h, msg);
	assert_ok(ctx, tv_ed25519_sign(ctx, &sig, &ask, msg, 32));
	json_object_set_new(cl, "authority", hex_json(apk.bytes, 32));
	json_object_set_new(cl, "signature", hex_json(sig.bytes, 64));
	json_object_set_new(cl, "credentials", sorted);
	save_json(dir, "credentials.json", cl);

	lines = load_board(dir);
	json_array_append_new(lines, line_like("ballot", bj, NOW + 7, TV_CHANNEL_ONLINE));
	rechain(ctx, lines, last, 0);
	save_board(dir, lines);
	reclose_with_box_key(ctx, dir, 7, last);

	/*
	 * The list's own signature is good (4 passes) and the box's ballot is
	 * on it (6 passes), but the ceremony is not bound to this list (3).
	 * Without the election key from check 3, the proofs (7) and the count
	 * (11 to 14) cannot be checked.
	 */
	memset(&v, 0, sizeof(v));
	memset(&sum, 0, sizeof(sum));
	assert_status(ctx, tv_record_verify(ctx, dir, 2, on_event, &v, NULL, NULL, &sum),
	              TV_ERR_PROOF_INVALID);
	assert_true(v.failed & BIT(3));
	assert_true(v.passed & BIT(4));
	assert_true(v.passed & BIT(6));
	assert_has(v.message[3], "credential authority's signed list");
	/* the trustees' software refuses to count it */
	assert_status(ctx, tv_record_tally(ctx, &checked, dir, 1, NULL, NULL, NULL, NULL),
	              TV_ERR_PROOF_INVALID);
	assert_null(checked);
	assert_has(tv_ctx_last_error(ctx), "check 3");

	/* and a trustee's share decrypts only sums of its own ceremony's list */
	assert_ok(ctx, tv_record_tally(ctx, &checked, e->record, 1, NULL, NULL, NULL, NULL));
	memcpy(other, e->c, 32);
	other[0] ^= 1;
	tv__tally_mark_verified(checked, other, &e->key);
	assert_status(ctx, tv_tally_decrypt(ctx, &text, checked, e->t[0], e->f),
	              TV_ERR_WRONG_ELECTION);
	assert_null(text);
	assert_has(tv_ctx_last_error(ctx), "credential list");
	tv__tally_mark_verified(checked, e->c, &e->key);
	assert_ok(ctx, tv_tally_decrypt(ctx, &text, checked, e->t[0], e->f));
	tv_free(ctx, text);
	text = NULL;

	/*
	 * The context C is public: the officer can run a whole ceremony of its
	 * own bound to it, and publish a record whose trustees.json is that
	 * ceremony (it verifies, with an empty board). A real trustee's share
	 * refuses a tally of it: the record's keys are not the ones this
	 * trustee's ceremony made.
	 */
	{
		tv_trustee *fake[3];
		char *commits[3], *reveals[3], *results[3];
		tv_election_key key2;

		run_trustees(ctx, fake, e->c, commits, reveals, results);
		assert_ok(ctx, tv_ceremony_verify(ctx, &key2, e->c, 3, 2, (const char *const *)commits,
		                                  3, (const char *const *)reveals, 3,
		                                  (const char *const *)results, 3));
		tv__tally_mark_verified(checked, e->c, &key2);
		assert_status(ctx, tv_tally_decrypt(ctx, &text, checked, e->t[0], e->f),
		              TV_ERR_WRONG_ELECTION);
		assert_null(text);
		assert_has(tv_ctx_last_error(ctx), "not the one trustee 1 took part in");
		free_messages(ctx, commits, reveals, results);
		for (int i = 0; i < 3; i++)
			tv_trustee_free(fake[i]);
	}

	tv_ed25519_secret_wipe(&ask);
	json_decref(cl);
	json_decref(lines);
	tv_free(ctx, bj);
	tv_free(ctx, text);
	tv_ballot_free(b);
	tv_tally_free(checked);
	tv_ctx_free(ctx);
}

/* the box takes only a list its authority signed, for its register */
static void credential_import_refuses_bad_lists(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;
	tv_register *reg = NULL, *reg2 = NULL;
	tv_authority *a = NULL;
	tv_box *box = NULL;
	tv_box_status st;
	char boxdir[400], *issue = NULL, *bad;
	const char *csv = "tenancy_ref,name,address,tenancy_type\nA1,N1,1 Lane,secure\n"
	                  "A2,N2,2 Lane,secure\n";
	const char *csv2 = "tenancy_ref,name,address,tenancy_type\nA1,N1,1 Lane,secure\n"
	                   "A2,N2,3 Lane,secure\n";
	uint8_t buf[TV_AUTHORITY_STATE_BYTES];
	size_t letters = 0;

	test_yes_no_options(&o, "import-test", OPENS, CLOSES);
	o.trustees = 3;
	o.threshold = 2;
	assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
	snprintf(boxdir, sizeof(boxdir), "%s/import-box", e->root);
	assert_ok(ctx, tv_box_create(ctx, &box, boxdir, m));
	assert_ok(ctx, tv_register_parse(ctx, &reg, (const uint8_t *)csv, strlen(csv), "r.csv",
	                                 NULL, NULL));
	assert_ok(ctx, tv_register_parse(ctx, &reg2, (const uint8_t *)csv2, strlen(csv2), "r.csv",
	                                 NULL, NULL));
	assert_ok(ctx, tv_box_import_register(ctx, box, reg, "r.csv"));
	assert_ok(ctx, tv_authority_new(ctx, &a, m));
	/* the authority's key survives sealing: the same public key back */
	{
		tv_authority *back = NULL;
		tv_ed25519_public_key p1, p2;

		assert_ok(ctx, tv_authority_serialize(ctx, buf, a));
		assert_ok(ctx, tv_authority_deserialize(ctx, &back, buf, sizeof(buf), m));
		tv_authority_public_key(&p1, a);
		tv_authority_public_key(&p2, back);
		assert_memory_equal(p1.bytes, p2.bytes, 32);
		tv_authority_free(back);
		assert_status(ctx, tv_authority_deserialize(ctx, &back, buf, sizeof(buf), e->manifest),
		              TV_ERR_WRONG_ELECTION);
		OPENSSL_cleanse(buf, sizeof(buf));
	}

	/* made from another register: refused, nothing stored */
	assert_ok(ctx, tv_authority_issue(ctx, &issue, a, reg2, count_letter, &letters));
	assert_status(ctx, tv_box_import_credentials(ctx, box, issue, strlen(issue)),
	              TV_ERR_WRONG_ELECTION);
	assert_has(tv_ctx_last_error(ctx), "another register");
	tv_free(ctx, issue);
	/* the right register, a credential changed after signing: refused */
	letters = 0;
	assert_ok(ctx, tv_authority_issue(ctx, &issue, a, reg, count_letter, &letters));
	assert_int_equal(letters, 3); /* two letters and the final call */
	bad = strdup(issue);
	{
		char *c = strstr(bad, "\"credentials\":[\"04") + 20;

		*c = *c == 'a' ? 'b' : 'a';
	}
	assert_int_not_equal(tv_box_import_credentials(ctx, box, bad, strlen(bad)), TV_OK);
	free(bad);
	/* the signature changed: refused */
	bad = strdup(issue);
	{
		char *c = strstr(bad, "\"signature\":\"") + 13;

		*c = *c == '0' ? '1' : '0';
	}
	assert_status(ctx, tv_box_import_credentials(ctx, box, bad, strlen(bad)),
	              TV_ERR_SIGNATURE_INVALID);
	free(bad);
	assert_ok(ctx, tv_box_get_status(ctx, &st, box));
	assert_false(st.credentials_issued);
	/* for another election: refused */
	{
		tv_authority *a2 = NULL;
		char *other = NULL;

		assert_ok(ctx, tv_authority_new(ctx, &a2, e->manifest));
		assert_ok(ctx, tv_authority_issue(ctx, &other, a2, reg, count_letter, &letters));
		assert_status(ctx, tv_box_import_credentials(ctx, box, other, strlen(other)),
		              TV_ERR_WRONG_ELECTION);
		tv_free(ctx, other);
		tv_authority_free(a2);
	}
	/* the real one: imported once */
	assert_ok(ctx, tv_box_import_credentials(ctx, box, issue, strlen(issue)));
	assert_status(ctx, tv_box_import_credentials(ctx, box, issue, strlen(issue)), TV_ERR_STATE);
	assert_ok(ctx, tv_box_get_status(ctx, &st, box));
	assert_true(st.credentials_issued);
	tv_free(ctx, issue);
	tv_authority_free(a);
	tv_register_free(reg);
	tv_register_free(reg2);
	tv_box_free(box);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

/* ---- the credential authority's changes to the list (SPEC §11.7) ---- */

/* a change entry as the credential authority signs it, as a board line */
static json_t *change_line(election *e, tv_ctx *ctx, int revoke, const tv_point *x,
                           int64_t time)
{
	char *entry = NULL;
	json_t *line;

	assert_ok(ctx, tv_authority_change(ctx, &entry, e->authority, e->issue, strlen(e->issue),
	                                   revoke, x));
	line = line_like(revoke ? "credential-revoked" : "credential-added", entry, time, 0);
	tv_free(ctx, entry);
	return line;
}

/* the board with @p lines chained and closed with the box key, then
 * checked and added up as a trustee would (checks 1 to 10 and the sums) */
static tv_status record_with(tv_ctx *ctx, const char *name, json_t *lines, char *dir,
                             size_t size, tv_tally **out)
{
	uint8_t last[32];

	copy_record(dir, size, name);
	rechain(ctx, lines, last, 0);
	save_board(dir, lines);
	reclose_with_box_key(ctx, dir, json_array_size(lines), last);
	return tv_record_tally(ctx, out, dir, 2, NULL, NULL, NULL, NULL);
}

static void credential_changes_are_honoured(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_credential_code code;
	tv_point a, x;
	tv_ballot *b = NULL;
	tv_tally *t = NULL;
	tv_tally_info info;
	char *bj = NULL, dir[400];
	size_t blen;
	json_t *lines;
	verdict v;
	tv_verify_summary sum;
	int counts = -1;

	assert_ok(ctx, tv_credential_derive(ctx, NULL, &a, e->codes[0], strlen(e->codes[0]), e->f));
	/* the honest record: 6 credentials, 5 counted entries */
	assert_ok(ctx, tv_record_tally(ctx, &t, e->record, 2, NULL, NULL, NULL, NULL));
	tv_tally_get_info(&info, t);
	assert_int_equal(info.electorate, TENANTS);
	assert_int_equal(info.ballots + info.spoilt[TV_SPOILT_MORE_THAN_ONE_ANSWER - 1], 5);
	tv_tally_free(t);

	/* (a) tenant A's credential revoked after A voted (a stolen letter):
	 * none of A's entries counts, the electorate is one less, and A's
	 * receipt no longer counts */
	lines = load_board(e->record);
	json_array_append_new(lines, change_line(e, ctx, 1, &a, NOW + 7));
	assert_ok(ctx, record_with(ctx, "revoked", lines, dir, sizeof(dir), &t));
	tv_tally_get_info(&info, t);
	assert_int_equal(info.electorate, TENANTS - 1);
	assert_int_equal(info.entries, 7);
	assert_int_equal(info.ballots + info.spoilt[TV_SPOILT_MORE_THAN_ONE_ANSWER - 1], 4);
	tv_tally_free(t);
	t = NULL;
	assert_ok(ctx, tv_record_check_receipt(ctx, &counts, dir, &e->revote_a));
	assert_int_equal(counts, 0);
	/* the box's tally (6 tenants, 5 counted) is not this record's */
	verify_expect(ctx, dir, BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_int_equal(sum.counted, 4);

	/* ...and a ballot of A after the revocation: the box should have
	 * refused it (check 6) */
	{
		json_t *again = json_deep_copy(json_array_get(lines, 4));

		json_object_set_new(again, "time", json_integer(NOW + 8));
		json_array_append_new(lines, again);
	}
	assert_status(ctx, record_with(ctx, "revoked-then-cast", lines, dir, sizeof(dir), &t),
	              TV_ERR_PROOF_INVALID);
	verify_expect(ctx, dir, BIT(6) | BIT(8) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_has(v.message[6], "revoked by the credential authority at position 7");
	json_decref(lines);

	/* (b) a credential added (a late addition to the register), then its
	 * ballot: on the list from its addition on, the electorate one more */
	assert_ok(ctx, tv_credential_generate(ctx, &code, &x, e->f));
	assert_ok(ctx, tv_ballot_encrypt(ctx, &b, NULL, e->manifest, &e->key.key, code.text,
	                                 strlen(code.text), 1));
	tv_credential_code_wipe(&code);
	assert_ok(ctx, tv_ballot_to_json(ctx, &bj, &blen, b));
	lines = load_board(e->record);
	json_array_append_new(lines, change_line(e, ctx, 0, &x, NOW + 7));
	json_array_append_new(lines, line_like("ballot", bj, NOW + 8, TV_CHANNEL_ONLINE));
	assert_ok(ctx, record_with(ctx, "added", lines, dir, sizeof(dir), &t));
	tv_tally_get_info(&info, t);
	assert_int_equal(info.electorate, TENANTS + 1);
	assert_int_equal(info.ballots + info.spoilt[TV_SPOILT_MORE_THAN_ONE_ANSWER - 1], 6);
	tv_tally_free(t);
	t = NULL;
	/* its ballot before its addition: not on the list then (check 6) */
	{
		json_t *ballot = json_incref(json_array_get(lines, 7));

		json_array_remove(lines, 7);
		json_array_insert_new(lines, 6, ballot);
		json_object_set_new(json_array_get(lines, 6), "time", json_integer(NOW + 7));
	}
	assert_status(ctx, record_with(ctx, "cast-before-added", lines, dir, sizeof(dir), &t),
	              TV_ERR_PROOF_INVALID);
	verify_expect(ctx, dir, BIT(6) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_has(v.message[6], "not on the list");
	json_decref(lines);

	/* (c) a change the authority did not sign: the box's own key */
	lines = load_board(e->record);
	{
		json_t *c = change_line(e, ctx, 0, &x, NOW + 7);
		tv_ed25519_signature sig;
		uint8_t m[32];

		memset(m, 7, sizeof(m));
		assert_ok(ctx, tv_ed25519_sign(ctx, &sig, &e->box_key, m, 32));
		json_object_set_new(json_object_get(c, "entry"), "signature", hex_json(sig.bytes, 64));
		json_array_append_new(lines, c);
	}
	assert_status(ctx, record_with(ctx, "unsigned-change", lines, dir, sizeof(dir), &t),
	              TV_ERR_PROOF_INVALID);
	verify_expect(ctx, dir, BIT(7) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_has(v.message[7], "not signed by the credential authority");
	json_decref(lines);

	/* (d) a listed credential added again, an unlisted one revoked, the
	 * same revocation twice, a change with a channel */
	{
		static const struct {
			int revoke, which, times;
			uint32_t channel;
			uint32_t check;
			const char *words;
		} cases[] = {
			{ 0, 0, 1, 0, 6, "on the list already" },
			{ 1, 1, 1, 0, 6, "not on the list" },
			{ 1, 0, 2, 0, 8, "before" },
			{ 1, 0, 1, TV_CHANNEL_ONLINE, 5, "channel" },
			{ 1, 0, -1, 0, 5, "outside the voting window" },
		};

		for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			lines = load_board(e->record);
			for (int n = 0; n < (cases[k].times < 0 ? 1 : cases[k].times); n++) {
				/* times -1: dated after the close of voting */
				json_t *c = change_line(e, ctx, cases[k].revoke, cases[k].which ? &x : &a,
				                        cases[k].times < 0 ? CLOSES + 86400 : NOW + 7 + n);

				json_object_set_new(c, "channel", json_integer(cases[k].channel));
				json_array_append_new(lines, c);
			}
			assert_status(ctx, record_with(ctx, "bad-change", lines, dir, sizeof(dir), &t),
			              TV_ERR_PROOF_INVALID);
			memset(&v, 0, sizeof(v));
			assert_status(ctx, tv_record_verify(ctx, dir, 2, on_event, &v, NULL, NULL, &sum),
			              TV_ERR_PROOF_INVALID);
			assert_true(v.failed & BIT(cases[k].check));
			for (uint32_t c = 5; c < cases[k].check; c++)
				assert_false(v.failed & BIT(c));
			assert_has(v.message[cases[k].check], cases[k].words);
			json_decref(lines);
		}
	}
	tv_free(ctx, bj);
	tv_ballot_free(b);
	tv_ctx_free(ctx);
}

/* ---- receipts in bulk (SPEC §19.6): one reading, the same verdicts ---- */

static void receipts_checked_in_one_pass(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_receipt rs[6];
	tv_receipt_verdict out[6];
	int counts;

	rs[0] = e->first_a;   /* replaced by A's revote */
	rs[1] = e->revote_a;  /* counts */
	rs[2] = e->last;      /* counts */
	rs[3] = e->revote_a;  /* a changed head: the box's signature no longer holds */
	rs[3].head[0] ^= 1;
	rs[4] = e->last;      /* another election */
	rs[4].election[0] ^= 1;
	rs[5] = e->first_a;   /* the signature broken */
	rs[5].signature.bytes[5] ^= 1;
	assert_ok(ctx, tv_record_check_receipts(ctx, out, e->record, rs, 6));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(out[i].status, TV_OK);
		assert_ok(ctx, tv_record_check_receipt(ctx, &counts, e->record, &rs[i]));
		assert_int_equal(out[i].counts, counts);
		assert_false(out[i].opened);
	}
	assert_int_equal(out[0].counts, 0);
	assert_int_equal(out[1].counts, 1);
	assert_int_equal(out[2].counts, 1);
	assert_int_equal(out[3].status, TV_ERR_SIGNATURE_INVALID);
	assert_int_equal(out[4].status, TV_ERR_WRONG_ELECTION);
	assert_int_equal(out[5].status, TV_ERR_SIGNATURE_INVALID);
	/* a record whose board lost its last line: E's receipt is not on it */
	{
		char dir[400];
		json_t *lines;

		copy_record(dir, sizeof(dir), "bulk-cut");
		lines = load_board(dir);
		json_array_remove(lines, json_array_size(lines) - 1);
		save_board(dir, lines);
		json_decref(lines);
		assert_ok(ctx, tv_record_check_receipts(ctx, out, dir, rs, 3));
		assert_int_equal(out[0].status, TV_OK);
		assert_int_equal(out[1].status, TV_OK);
		assert_int_equal(out[2].status, TV_ERR_PROOF_INVALID);
	}
	/* none is fine too, and a folder that is not a record is refused */
	assert_ok(ctx, tv_record_check_receipts(ctx, NULL, e->record, NULL, 0));
	assert_status(ctx, tv_record_check_receipts(ctx, out, e->root, rs, 1), TV_ERR_IO);
	tv_ctx_free(ctx);
}

/* SPEC §15.1.1: the short code of T, recomputed here */
static void short_code(char out[20], const uint8_t t[32])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint8_t v[16];
	unsigned sum = 0, factor = 2, k = 0;

	for (unsigned i = 0; i < 15; i++) {
		unsigned bit = i * 5, word = (unsigned)t[bit / 8] << 8 | t[bit / 8 + 1];

		v[i] = (uint8_t)((word >> (11 - bit % 8)) & 31);
	}
	for (int i = 14; i >= 0; i--) {
		unsigned a = factor * v[i];

		sum += a / 32 + a % 32;
		factor = 3 - factor;
	}
	v[15] = (uint8_t)((32 - sum % 32) % 32);
	for (unsigned i = 0; i < 16; i++) {
		if (i > 0 && i % 4 == 0)
			out[k++] = '-';
		out[k++] = alphabet[v[i]];
	}
	out[k] = '\0';
}

static void tracking_code_looked_up(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_receipt_verdict v;
	uint64_t position = 0;
	char code[20];

	short_code(code, e->revote_a.tracking);
	assert_ok(ctx, tv_record_find_tracking(ctx, &v, &position, e->record, code, strlen(code)));
	assert_int_equal(v.status, TV_OK);
	assert_int_equal(position, e->revote_a.position);
	assert_int_equal(v.counts, 1);
	short_code(code, e->first_a.tracking);
	for (char *p = code; *p; p++)  /* as a tenant might type it */
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p == '-' ? ' ' : *p);
	assert_ok(ctx, tv_record_find_tracking(ctx, &v, &position, e->record, code, strlen(code)));
	assert_int_equal(v.status, TV_OK);
	assert_int_equal(position, e->first_a.position);
	assert_int_equal(v.counts, 0);
	/* one symbol changed: the check symbol catches it */
	short_code(code, e->last.tracking);
	code[2] = code[2] == 'A' ? 'B' : 'A';
	assert_status(ctx, tv_record_find_tracking(ctx, &v, &position, e->record, code,
	                                           strlen(code)),
	              TV_ERR_CREDENTIAL_INVALID);
	assert_has(tv_ctx_last_error(ctx), "mistyped");
	assert_status(ctx, tv_record_find_tracking(ctx, &v, &position, e->record, "ABCD-EFGH",
	                                           9),
	              TV_ERR_ENCODING);
	/* a well-formed code of no entry */
	{
		uint8_t t[32];

		memset(t, 0x5a, sizeof(t));
		short_code(code, t);
		assert_ok(ctx, tv_record_find_tracking(ctx, &v, &position, e->record, code,
		                                       strlen(code)));
		assert_int_equal(v.status, TV_ERR_PROOF_INVALID);
	}
	tv_ctx_free(ctx);
}

/* ---- every entry listed with where it stands ---- */

typedef struct listing_seen {
	uint64_t entries, last_position;
	int in_order;
	tv_board_state first_a, revote_a, last;
	int codes_match;
	const election *e;
} listing_seen;

static void on_listing(const tv_board_listing *l, void *payload)
{
	listing_seen *s = payload;
	char want[20], got[TV_TRACKING_TEXT_LEN + 1];

	s->entries++;
	s->in_order &= l->position == s->last_position + 1;
	s->last_position = l->position;
	short_code(want, l->tracking);
	tv_tracking_text(got, l->tracking);
	s->codes_match &= strcmp(want, got) == 0;
	if (l->position == s->e->first_a.position)
		s->first_a = l->state;
	if (l->position == s->e->revote_a.position)
		s->revote_a = l->state;
	if (l->position == s->e->last.position)
		s->last = l->state;
}

static void board_listed(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	listing_seen s = { 0, 0, 1, 0, 0, 0, 1, e };

	assert_ok(ctx, tv_record_list_board(ctx, e->record, on_listing, &s));
	assert_int_equal(s.entries, e->last.position);
	assert_true(s.in_order);
	assert_true(s.codes_match);
	/* tenant A's first ballot was replaced by the revote, which counts */
	assert_int_equal(s.first_a, TV_BOARD_REPLACED);
	assert_int_equal(s.revote_a, TV_BOARD_COUNTS);
	assert_int_equal(s.last, TV_BOARD_COUNTS);
	/* a malformed line is named, and a folder that is not a record refused */
	{
		char dir[400];
		json_t *lines;

		copy_record(dir, sizeof(dir), "listing-bad");
		lines = load_board(dir);
		json_array_set_new(lines, 1, json_object());
		save_board(dir, lines);
		json_decref(lines);
		memset(&s, 0, sizeof(s));
		s.e = e;
		assert_status(ctx, tv_record_list_board(ctx, dir, on_listing, &s), TV_ERR_ENCODING);
		assert_has(tv_ctx_last_error(ctx), "line 2");
	}
	assert_status(ctx, tv_record_list_board(ctx, e->root, on_listing, &s), TV_ERR_IO);
	tv_ctx_free(ctx);
}

/* a folder that is not there, or a file, is TV_ERR_IO (it crashed the
 * verifier, which freed worker contexts it had not made) */
static void missing_record_folder(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_tally *tally = NULL;
	char dir[400];

	snprintf(dir, sizeof(dir), "%s/no-such-record", e->root);
	assert_status(ctx, tv_record_verify(ctx, dir, 4, NULL, NULL, NULL, NULL, NULL), TV_ERR_IO);
	assert_has(tv_ctx_last_error(ctx), "no-such-record");
	assert_status(ctx, tv_record_tally(ctx, &tally, dir, 4, NULL, NULL, NULL, NULL), TV_ERR_IO);
	assert_null(tally);
	snprintf(dir, sizeof(dir), "%s/record/board.jsonl", e->root);
	assert_status(ctx, tv_record_verify(ctx, dir, 4, NULL, NULL, NULL, NULL, NULL), TV_ERR_IO);
	tv_ctx_free(ctx);
}

/* ---- the board read once (SPEC §19.5) ---- */

typedef struct patcher {
	char path[500];
	int patched;
} patcher;

/*
 * As a publisher serving the record from storage it controls would: once
 * the verifier has read the board, the line of a counted ballot (E's, line
 * 6) is blanked in place, same size, the modification time put back.
 */
static void patch_after_reading(const char *what, uint64_t done, uint64_t total, void *payload)
{
	patcher *p = payload;
	struct stat sb;
	struct timespec times[2];
	char *text;
	size_t len, at = 0;
	FILE *f;
	int line = 1;
	(void)done;
	(void)total;

	if (p->patched || strcmp(what, "checking the board") != 0)
		return;
	assert_int_equal(stat(p->path, &sb), 0);
	assert_non_null(f = fopen(p->path, "r+"));
	len = (size_t)sb.st_size;
	text = test_malloc(len);
	assert_int_equal(fread(text, 1, len, f), len);
	while (line < 6 && at < len)
		if (text[at++] == '\n')
			line++;
	for (size_t k = at; k < len && text[k] != '\n'; k++)
		text[k] = ' ';
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	test_free(text);
	times[0] = sb.st_atim;
	times[1] = sb.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, p->path, times, 0), 0);
	p->patched = 1;
}

static void board_changed_while_verified(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_verify_summary sum;
	verdict v;
	patcher p;
	char dir[400];
	tv_status st;

	copy_record(dir, sizeof(dir), "patched-while-read");
	memset(&p, 0, sizeof(p));
	snprintf(p.path, sizeof(p.path), "%s/board.jsonl", dir);
	memset(&v, 0, sizeof(v));
	st = tv_record_verify(ctx, dir, 2, on_event, &v, patch_after_reading, &p, &sum);
	assert_true(p.patched);
	/* what was checked is what was counted: the outcome cannot change */
	if (st != TV_OK || v.failed != 0)
		fail_msg("a board changed after it was read changed the verdict: check %u: %s",
		         v.failed ? (uint32_t)__builtin_ctz(v.failed) : 0,
		         v.failed ? v.message[__builtin_ctz(v.failed)] : "");
	assert_int_equal(sum.counted, 5);
	assert_int_equal(sum.entries, 6);
	(void)e;
	tv_ctx_free(ctx);
}

/* the box appends as it receives: an entry dated before the one before it is
 * a board put in another order, even with the chain and close made again */
static void board_time_goes_back(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_verify_summary sum;
	verdict v;
	uint8_t last[32];
	json_t *lines;
	char dir[400];

	copy_record(dir, sizeof(dir), "time-back");
	lines = load_board(dir);
	json_object_set_new(json_array_get(lines, 4), "time", json_integer(NOW + 1));
	rechain(ctx, lines, last, 0);
	save_board(dir, lines);
	json_decref(lines);
	reclose_with_box_key(ctx, dir, 6, last);
	/* the sums start from the final head (§17.1.2): a board put in another
	 * order has another head, so the tally and its decryptions no longer
	 * fit either; but the order itself is what check 9 names */
	verify_expect(ctx, dir, BIT(9) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_int_equal(v.position[9], 5);
	assert_has(v.message[9], "before the entry before it");
	(void)e;
	tv_ctx_free(ctx);
}

/* one line taken out of the board is one failure of check 9, at the gap,
 * not one for every line after it (SPEC §19.3 check 9's shift) */
static void board_line_taken_out_is_named_once(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	tv_verify_summary sum;
	verdict v;
	json_t *lines;
	char dir[400];

	copy_record(dir, sizeof(dir), "line-out");
	lines = load_board(dir);
	assert_true(json_array_size(lines) >= 5);
	json_array_remove(lines, 2);
	save_board(dir, lines);
	json_decref(lines);
	verify_expect(ctx, dir, BIT(9) | BIT(10) | BIT(11) | BIT(12) | BIT(13) | BIT(14), &v, &sum);
	assert_int_equal(v.failures[9], 1);
	assert_int_equal(v.position[9], 3);
	assert_has(v.message[9], "line 3 holds position 4, not 3: entries are missing before it");
	/* a line whose position alone is changed is still named */
	copy_record(dir, sizeof(dir), "position-changed");
	lines = load_board(dir);
	json_object_set_new(json_array_get(lines, 3), "position", json_integer(9));
	save_board(dir, lines);
	json_decref(lines);
	verify_expect(ctx, dir, BIT(9), &v, &sum);
	assert_int_equal(v.position[9], 4);
	assert_has(v.message[9], "line 4 holds position 9, not 4");
	/* one wrong head: named at its line, and the next line's prev_head
	 * named as following from it; that line's own head is sound (2, not 3) */
	copy_record(dir, sizeof(dir), "head-changed");
	lines = load_board(dir);
	json_object_set_new(json_array_get(lines, 1), "head", json_string(
		"0000000000000000000000000000000000000000000000000000000000000000"));
	save_board(dir, lines);
	json_decref(lines);
	verify_expect(ctx, dir, BIT(9), &v, &sum);
	assert_int_equal(v.failures[9], 2);
	assert_int_equal(v.position[9], 2);
	assert_has(v.message[9], "head is not the hash of the entry");
	(void)e;
	tv_ctx_free(ctx);
}

/*
 * Under revote "first" the box refuses a credential's second entry
 * (SPEC §15.2). An insider who puts one on the board anyway (here, after
 * the count, with the box key to sign the close again) is named by check
 * 8, even though the entry would not count.
 */
static void second_entry_under_first(void **state)
{
	election *saved = *state, *e = test_calloc(1, sizeof(*e));
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_register *reg = NULL;
	tv_box *box = NULL;
	tv_ballot *b = NULL;
	tv_result *result = NULL;
	tv_ed25519_public_key pk;
	tv_verify_summary sum;
	verdict v;
	uint8_t last[32];
	json_t *lines;
	char boxdir[400], *bj = NULL;
	size_t blen;
	const char *csv = "tenancy_ref,name,address,tenancy_type\n"
	                  "F1,Ann Smith,1 Mill Lane,secure\n"
	                  "F2,Bob Jones,2 Mill Lane,secure\n";

	e->ctx = saved->ctx;
	snprintf(e->root, sizeof(e->root), "%s", saved->root);
	snprintf(boxdir, sizeof(boxdir), "%s/box-first", e->root);
	snprintf(e->record, sizeof(e->record), "%s/record-first", e->root);
	test_yes_no_options(&o, "record-test-first", OPENS, CLOSES);
	o.rule = TV_RULE_MAJORITY;
	o.revote = TV_REVOTE_FIRST;
	o.trustees = 3;
	o.threshold = 2;
	assert_ok(e->ctx, tv_manifest_new(e->ctx, &e->manifest, &o));
	tv_manifest_fingerprint(e->f, e->manifest);
	assert_ok(e->ctx, tv_box_create(e->ctx, &box, boxdir, e->manifest));
	assert_ok(e->ctx, tv_register_parse(e->ctx, &reg, (const uint8_t *)csv, strlen(csv),
	                                    "f.csv", NULL, NULL));
	assert_ok(e->ctx, tv_box_import_register(e->ctx, box, reg, "f.csv"));
	tv_register_free(reg);
	assert_ok(e->ctx, tv_box_issue_credentials(e->ctx, box, on_letter, e));
	ceremony(e, box);
	assert_ok(e->ctx, tv_ed25519_keygen(e->ctx, &e->box_key, &pk));
	assert_ok(e->ctx, tv_box_open_voting(e->ctx, box, &e->box_key));
	cast(e, NULL, box, 0, 1, TV_CHANNEL_ONLINE, 1);
	cast(e, NULL, box, 1, 2, TV_CHANNEL_ONLINE, 2);
	assert_ok(e->ctx, tv_box_close_voting_at(e->ctx, NULL, NULL, box, &e->box_key, CLOSES, NULL));
	assert_ok(e->ctx, tv_box_tally(e->ctx, &e->tally, box));
	tv__tally_mark_verified(e->tally, e->c, &e->key); /* as the setup shows the trustees' way */
	for (int i = 0; i < 2; i++)
		assert_ok(e->ctx, tv_tally_decrypt(e->ctx, &e->dec[i], e->tally, e->t[i], e->f));
	assert_ok(e->ctx, tv_tally_combine(e->ctx, &result, NULL, e->tally, e->manifest, &e->key,
	                                   (const char *const *)e->dec, 2));
	assert_ok(e->ctx, tv_box_export_record(e->ctx, box, e->record, e->tally,
	                                       (const char *const *)e->dec, 2, result, NULL, NULL));
	tv_result_free(result);
	tv_box_free(box);
	E = e; /* rechain and reclose work on the election in E */
	verify_expect(e->ctx, e->record, 0, &v, &sum);

	/* Ann's second ballot, appended after the close, chained and closed again */
	assert_ok(e->ctx, tv_ballot_encrypt(e->ctx, &b, NULL, e->manifest, &e->key.key, e->codes[0],
	                                    strlen(e->codes[0]), 2));
	assert_ok(e->ctx, tv_ballot_to_json(e->ctx, &bj, &blen, b));
	lines = load_board(e->record);
	json_array_append_new(lines, line_like("ballot", bj, NOW + 3, TV_CHANNEL_ONLINE));
	rechain(e->ctx, lines, last, 0);
	save_board(e->record, lines);
	json_decref(lines);
	reclose_with_box_key(e->ctx, e->record, 3, last);
	memset(&v, 0, sizeof(v));
	assert_status(e->ctx, tv_record_verify(e->ctx, e->record, 1, on_event, &v, NULL, NULL, &sum),
	              TV_ERR_PROOF_INVALID);
	E = saved;
	assert_true(v.failed & BIT(8));
	assert_int_equal(v.position[8], 3);
	assert_has(v.message[8], "only a tenant's first ballot counts");
	/* the chain, the list and the ballot itself are sound: only the rule */
	assert_false(v.failed & (BIT(5) | BIT(6) | BIT(7) | BIT(9)));
	tv_free(e->ctx, bj);
	tv_ballot_free(b);
	for (int i = 0; i < 3; i++) {
		tv_free(e->ctx, e->dec[i]);
		tv_trustee_free(e->t[i]);
	}
	tv_tally_free(e->tally);
	tv_manifest_free(e->manifest);
	tv_ed25519_secret_wipe(&e->box_key);
	test_free(e);
}

/* SPEC §18.12: an export makes and removes only files of its own. A link
 * planted at OUT.partial (by anyone who can write beside OUT) must not
 * lead it to delete or write what the link names. */
static void export_never_follows_a_planted_link(void **state)
{
	election *e = *state;
	tv_box *box = NULL;
	tv_result *result = NULL;
	char boxdir[300], victim[400], precious[450], out[400], partial[420], path[500];
	struct stat sb;
	FILE *f;

	snprintf(boxdir, sizeof(boxdir), "%s/box", e->root);
	assert_ok(e->ctx, tv_box_open(e->ctx, &box, boxdir));
	assert_ok(e->ctx, tv_tally_combine(e->ctx, &result, NULL, e->tally, e->manifest, &e->key,
	                                   (const char *const *)e->dec, 2));
	snprintf(victim, sizeof(victim), "%s/victim", e->root);
	assert_int_equal(mkdir(victim, 0755), 0);
	snprintf(precious, sizeof(precious), "%s/record.json", victim);
	assert_non_null(f = fopen(precious, "w"));
	fputs("precious\n", f);
	fclose(f);

	/* a link at OUT.partial: refused, and nothing behind it touched */
	snprintf(out, sizeof(out), "%s/out-link", e->root);
	snprintf(partial, sizeof(partial), "%s.partial", out);
	assert_int_equal(symlink(victim, partial), 0);
	assert_status(e->ctx, tv_box_export_record(e->ctx, box, out, e->tally,
	                                           (const char *const *)e->dec, 2, result, NULL,
	                                           NULL),
	              TV_ERR_EXISTS);
	assert_has(tv_ctx_last_error(e->ctx), "out-link.partial");
	assert_int_equal(stat(precious, &sb), 0);
	assert_int_equal(lstat(partial, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_int_not_equal(lstat(out, &sb), 0);

	/* a leftover folder holding a file that is not the record's: refused, kept */
	snprintf(out, sizeof(out), "%s/out-foreign", e->root);
	snprintf(partial, sizeof(partial), "%s.partial", out);
	assert_int_equal(mkdir(partial, 0755), 0);
	snprintf(path, sizeof(path), "%s/notes.txt", partial);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	assert_status(e->ctx, tv_box_export_record(e->ctx, box, out, e->tally,
	                                           (const char *const *)e->dec, 2, result, NULL,
	                                           NULL),
	              TV_ERR_EXISTS);
	assert_int_equal(stat(path, &sb), 0);

	/* a link where the record would go counts as something in the way */
	snprintf(out, sizeof(out), "%s/out-dangling", e->root);
	assert_int_equal(symlink("/nonexistent/tenantvote", out), 0);
	assert_status(e->ctx, tv_box_export_record(e->ctx, box, out, e->tally,
	                                           (const char *const *)e->dec, 2, result, NULL,
	                                           NULL),
	              TV_ERR_EXISTS);

	/* an interrupted export's own leftovers are cleared, and it succeeds */
	snprintf(out, sizeof(out), "%s/out-resumed", e->root);
	snprintf(partial, sizeof(partial), "%s.partial", out);
	assert_int_equal(mkdir(partial, 0755), 0);
	snprintf(path, sizeof(path), "%s/board.jsonl", partial);
	assert_non_null(f = fopen(path, "w"));
	fputs("{\"cut", f);
	fclose(f);
	assert_ok(e->ctx, tv_box_export_record(e->ctx, box, out, e->tally,
	                                       (const char *const *)e->dec, 2, result, NULL, NULL));
	assert_int_not_equal(lstat(partial, &sb), 0);
	snprintf(path, sizeof(path), "%s/declaration.txt", out);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(stat(precious, &sb), 0);
	tv_result_free(result);
	tv_box_free(box);
}

/* ---- the box applies the authority's changes, SPEC §11.7 ---- */

static int count_marked(const tv_marked_tenant *mk, void *payload)
{
	int *seen = payload;

	/* T3's replacement votes once, as T3; the late tenant is line 0 */
	if (strcmp(mk->tenant->tenancy_ref, "T3") == 0 && mk->ballots == 1)
		seen[0]++;
	if (strcmp(mk->tenant->tenancy_ref, "L9") == 0 && mk->tenant->line == 0)
		seen[1]++;
	if (strcmp(mk->tenant->tenancy_ref, "T1") == 0)
		seen[2]++; /* voided: never listed */
	return 0;
}

static void board_size(const char *boxdir, int64_t *entries, int64_t *audit)
{
	char cmd[600], out[64] = "";
	FILE *f;

	snprintf(cmd, sizeof(cmd), "sqlite3 '%s/election.db' 'SELECT (SELECT count(*) FROM board) "
	         "|| \" \" || (SELECT count(*) FROM audit_log)'", boxdir);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(out, sizeof(out), f));
	pclose(f);
	assert_int_equal(sscanf(out, "%" SCNd64 " %" SCNd64, entries, audit), 2);
}

static void box_changes_applied(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	const char *csv = "tenancy_ref,name,address,tenancy_type\n"
	                  "T1,Siân Ellis,1 Heol y Bont,secure\n"
	                  "T2,Ann Smith,2 Mill Lane,secure\n"
	                  "T3,Bob Jones,3 Mill Lane,introductory\n";
	char boxdir[400], recdir[400], *issue = NULL, *other_issue = NULL, *dec[3] = { 0 };
	char *commits[3], *reveals[3], *results[3], *entry[8] = { 0 };
	election local;
	tv_register *reg = NULL;
	tv_box *box = NULL;
	tv_authority *auth = NULL, *other = NULL, *elsewhere = NULL;
	tv_manifest *m2 = NULL;
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_trustee *t[3];
	tv_ed25519_public_key pk;
	tv_credential_code newcode, latecode;
	tv_point xs[3], xnew, xlate;
	tv_receipt r0, rnew, rlate, unused;
	tv_ballot *b = NULL;
	tv_tally *tally = NULL, *checked = NULL;
	tv_tally_info info;
	tv_result *result = NULL;
	tv_box_status bs;
	verdict v;
	tv_verify_summary sum;
	uint64_t pos[2];
	int64_t n0, a0, n1, a1;
	int counts = -1, seen[3] = { 0 };
	tv_tenant late = { "L9", "Gwen Late", "9 Mill Lane", "", "", "cy", TV_TENANCY_SECURE, 0 };
	tv_credential_change ch[2];

	memset(&local, 0, sizeof(local));
	local.ctx = ctx;
	local.manifest = e->manifest;
	memcpy(local.f, e->f, 32);
	snprintf(boxdir, sizeof(boxdir), "%s/changes-box", e->root);
	snprintf(recdir, sizeof(recdir), "%s/changes-record", e->root);
	assert_ok(ctx, tv_box_create(ctx, &box, boxdir, e->manifest));
	assert_ok(ctx, tv_register_parse(ctx, &reg, (const uint8_t *)csv, strlen(csv), "r.csv", NULL,
	                                 NULL));
	assert_ok(ctx, tv_box_import_register(ctx, box, reg, "r.csv"));
	assert_ok(ctx, tv_authority_new(ctx, &auth, e->manifest));
	assert_ok(ctx, tv_authority_issue(ctx, &issue, auth, reg, on_authority_letter, &local));
	/* another authority of this election, and one of another election */
	assert_ok(ctx, tv_authority_new(ctx, &other, e->manifest));
	assert_ok(ctx, tv_authority_issue(ctx, &other_issue, other, reg, count_letter,
	                                  &(size_t){ 0 }));
	test_yes_no_options(&o, "another-election", OPENS, CLOSES);
	o.trustees = 3;
	o.threshold = 2;
	assert_ok(ctx, tv_manifest_new(ctx, &m2, &o));
	assert_ok(ctx, tv_authority_new(ctx, &elsewhere, m2));
	tv_register_free(reg);
	assert_ok(ctx, tv_box_import_credentials(ctx, box, issue, strlen(issue)));
	for (int i = 0; i < 3; i++)
		assert_ok(ctx, tv_credential_derive(ctx, NULL, &xs[i], local.codes[i],
		                                    strlen(local.codes[i]), e->f));

	/* tenant 3 lost the letter: revoke the old, add the new */
	assert_ok(ctx, tv_credential_generate(ctx, &newcode, &xnew, e->f));
	assert_ok(ctx, tv_credential_generate(ctx, &latecode, &xlate, e->f));
	assert_ok(ctx, tv_authority_change(ctx, &entry[0], auth, issue, strlen(issue), 1, &xs[2]));
	assert_ok(ctx, tv_authority_change(ctx, &entry[1], auth, issue, strlen(issue), 0, &xnew));
	assert_ok(ctx, tv_authority_change(ctx, &entry[2], auth, issue, strlen(issue), 0, &xlate));
	assert_ok(ctx, tv_authority_change(ctx, &entry[3], auth, issue, strlen(issue), 1, &xs[0]));
	/* signed by another authority of this election, over its own list */
	assert_ok(ctx, tv_authority_change(ctx, &entry[4], other, other_issue, strlen(other_issue),
	                                   1, &xs[1]));
	memset(ch, 0, sizeof(ch));
	ch[0] = (tv_credential_change){ 1, entry[0], strlen(entry[0]), 0, NULL };
	ch[1] = (tv_credential_change){ 0, entry[1], strlen(entry[1]), 3, NULL };

	/* before voting opens: refused (its time would be outside the window) */
	assert_status(ctx, tv_box_apply_credential_changes(ctx, pos, box, ch, 2, 0, NOW),
	              TV_ERR_STATE);
	assert_has(tv_ctx_last_error(ctx), "not opened");

	local.t[0] = NULL;
	assert_ok(ctx, tv_box_ceremony_context(ctx, local.c, box));
	run_trustees(ctx, t, local.c, commits, reveals, results);
	assert_ok(ctx, tv_box_set_election_key(ctx, box, (const char *const *)commits,
	                                       (const char *const *)reveals,
	                                       (const char *const *)results, 3));
	free_messages(ctx, commits, reveals, results);
	assert_ok(ctx, tv_box_election_key(ctx, &local.key, box));
	assert_ok(ctx, tv_ed25519_keygen(ctx, &local.box_key, &pk));
	assert_ok(ctx, tv_box_open_voting(ctx, box, &local.box_key));
	cast(&local, &r0, box, 0, 1, TV_CHANNEL_ONLINE, 1);
	cast(&local, NULL, box, 1, 2, TV_CHANNEL_ONLINE, 2);

	/* refused, each storing nothing */
	board_size(boxdir, &n0, &a0);
	{
		char *garbled = test_replace(entry[0], "\"signature\"", "\"sig\"", NULL);
		tv_credential_change bad[] = {
			{ 1, entry[4], strlen(entry[4]), 0, NULL },   /* another authority */
			{ 1, garbled, strlen(garbled), 0, NULL },     /* not an entry */
			{ 0, entry[0], strlen(entry[0]), 3, NULL },   /* a revocation as an addition */
			{ 0, entry[1], strlen(entry[1]), 2, NULL },   /* tenant 2 still holds one */
			{ 0, entry[1], strlen(entry[1]), 0, NULL },   /* no tenant, no late tenant */
		};
		static const tv_status want[] = { TV_ERR_SIGNATURE_INVALID, TV_ERR_ENCODING,
			                          TV_ERR_SIGNATURE_INVALID, TV_ERR_STATE,
			                          TV_ERR_INVALID_ARGUMENT };
		char *foreign = NULL;
		tv_credential_change f;

		for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
			assert_status(ctx, tv_box_apply_credential_changes(ctx, pos, box, &bad[k], 1, 0,
			                                                   NOW + 3), want[k]);
		/* another election's authority signs over its own F: refused */
		{
			char *m2issue = NULL;

			assert_ok(ctx, tv_register_parse(ctx, &reg, (const uint8_t *)csv, strlen(csv),
			                                 "r.csv", NULL, NULL));
			assert_ok(ctx, tv_authority_issue(ctx, &m2issue, elsewhere, reg, count_letter,
			                                  &(size_t){ 0 }));
			tv_register_free(reg);
			assert_ok(ctx, tv_authority_change(ctx, &foreign, elsewhere, m2issue,
			                                   strlen(m2issue), 0, &xlate));
			tv_free(ctx, m2issue);
		}
		f = (tv_credential_change){ 0, foreign, strlen(foreign), 0, &late };
		assert_status(ctx, tv_box_apply_credential_changes(ctx, pos, box, &f, 1, 0, NOW + 3),
		              TV_ERR_SIGNATURE_INVALID);
		assert_has(tv_ctx_last_error(ctx), "not signed by this election's credential authority");
		tv_free(ctx, foreign);
		free(garbled);
		/* outside the window; and a good change with a bad one: none stored */
		assert_status(ctx, tv_box_apply_credential_changes(ctx, pos, box, ch, 2, 0, CLOSES),
		              TV_ERR_STATE);
		bad[0] = ch[0];
		bad[1] = (tv_credential_change){ 0, entry[1], strlen(entry[1]), 2, NULL };
		assert_status(ctx, tv_box_apply_credential_changes(ctx, pos, box, bad, 2, 0, NOW + 3),
		              TV_ERR_STATE);
		/* tenant 1's credential has a counted ballot: not without the flag */
		f = (tv_credential_change){ 1, entry[3], strlen(entry[3]), 0, NULL };
		assert_status(ctx, tv_box_apply_credential_changes(ctx, pos, box, &f, 1, 0, NOW + 3),
		              TV_ERR_STATE);
		assert_has(tv_ctx_last_error(ctx), "counted entry at position 1");
	}
	board_size(boxdir, &n1, &a1);
	assert_int_equal(n1, n0);
	assert_int_equal(a1, a0);

	/* the replacement: old code refused afterwards, new code votes */
	assert_ok(ctx, tv_box_apply_credential_changes(ctx, pos, box, ch, 2, 0, NOW + 3));
	assert_int_equal(pos[0], 3);
	assert_int_equal(pos[1], 4);
	assert_ok(ctx, tv_ballot_encrypt(ctx, &b, NULL, e->manifest, &local.key.key, local.codes[2],
	                                 strlen(local.codes[2]), 1));
	assert_status(ctx, tv_box_cast(ctx, &unused, box, b, TV_CHANNEL_ONLINE, &local.box_key,
	                               NOW + 5), TV_ERR_CREDENTIAL_INVALID);
	assert_has(tv_ctx_last_error(ctx), "revoked by the credential authority at position 3");
	tv_ballot_free(b);
	snprintf(local.codes[2], sizeof(local.codes[2]), "%s", newcode.text);
	cast(&local, &rnew, box, 2, 1, TV_CHANNEL_ONLINE, 5);
	/* again: a duplicate addition, a revocation twice */
	assert_status(ctx, tv_box_apply_credential_changes(ctx, pos, box, &ch[1], 1, 0, NOW + 6),
	              TV_ERR_CREDENTIAL_INVALID);
	assert_has(tv_ctx_last_error(ctx), "on the list already");
	assert_status(ctx, tv_box_apply_credential_changes(ctx, pos, box, ch, 1, 0, NOW + 6),
	              TV_ERR_CREDENTIAL_INVALID);
	assert_has(tv_ctx_last_error(ctx), "revoked already at position 3");

	/* a late tenant */
	ch[0] = (tv_credential_change){ 0, entry[2], strlen(entry[2]), 0, &late };
	assert_ok(ctx, tv_box_apply_credential_changes(ctx, pos, box, ch, 1, 0, NOW + 6));
	assert_int_equal(pos[0], 6);
	snprintf(local.codes[0], sizeof(local.codes[0]), "%s", latecode.text);
	cast(&local, &rlate, box, 0, 2, TV_CHANNEL_ONLINE, 7);
	tv_credential_code_wipe(&newcode);
	tv_credential_code_wipe(&latecode);

	/* tenant 1's counted ballot voided, as the officer said */
	ch[0] = (tv_credential_change){ 1, entry[3], strlen(entry[3]), 0, NULL };
	assert_ok(ctx, tv_box_apply_credential_changes(ctx, pos, box, ch, 1, TV_CHANGE_VOID_COUNTED,
	                                               NOW + 8));
	assert_int_equal(pos[0], 8);
	{
		char cmd[600], out[256] = "";
		FILE *f;

		snprintf(cmd, sizeof(cmd), "sqlite3 '%s/election.db' \"SELECT detail FROM audit_log "
		         "WHERE event = 'credential-revoked' ORDER BY seq DESC LIMIT 1\"", boxdir);
		assert_non_null(f = popen(cmd, "r"));
		assert_non_null(fgets(out, sizeof(out), f));
		pclose(f);
		assert_has(out, "VOIDS the counted entry at position 1");
	}
	/* the box's own receipt check agrees: the voided ballot no longer counts */
	assert_ok(ctx, tv_box_check_receipt(ctx, &counts, box, &r0));
	assert_int_equal(counts, 0);
	assert_ok(ctx, tv_box_check_receipt(ctx, &counts, box, &rnew));
	assert_int_equal(counts, 1);
	/* electorate: 3 issued, + 2 added, - 2 revoked */
	assert_ok(ctx, tv_box_get_status(ctx, &bs, box));
	assert_int_equal(bs.electorate, 3);
	assert_ok(ctx, tv_box_verify_board(ctx, NULL, NULL, box));
	assert_ok(ctx, tv_box_marked_register(ctx, box, "test", count_marked, seen));
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 1);
	assert_int_equal(seen[2], 0);
	assert_ok(ctx, tv_box_close_voting_at(ctx, NULL, NULL, box, &local.box_key, CLOSES, NULL));
	assert_ok(ctx, tv_box_tally(ctx, &tally, box));
	tv_tally_get_info(&info, tally);
	assert_int_equal(info.electorate, 3);
	assert_int_equal(info.entries, 8);
	assert_int_equal(info.ballots, 3); /* tenant 2, tenant 3's new, the late tenant */

	/* the record verifies, and the verifier agrees */
	{
		char for_trustees[420];

		snprintf(for_trustees, sizeof(for_trustees), "%s-for-trustees", recdir);
		assert_ok(ctx, tv_box_export_record(ctx, box, for_trustees, NULL, NULL, 0, NULL, NULL,
		                                    NULL));
		assert_ok(ctx, tv_record_tally(ctx, &checked, for_trustees, 2, NULL, NULL, NULL,
		                               NULL));
	}
	for (int i = 0; i < 3; i++)
		assert_ok(ctx, tv_tally_decrypt(ctx, &dec[i], checked, t[i], e->f));
	tv_tally_free(checked);
	assert_ok(ctx, tv_tally_combine(ctx, &result, NULL, tally, e->manifest, &local.key,
	                                (const char *const *)dec, 2));
	assert_ok(ctx, tv_box_export_record(ctx, box, recdir, tally, (const char *const *)dec, 2,
	                                    result, NULL, NULL));
	verify_expect(ctx, recdir, 0, &v, &sum);
	assert_int_equal(sum.counted, 3);
	assert_ok(ctx, tv_record_check_receipt(ctx, &counts, recdir, &r0));
	assert_int_equal(counts, 0);
	assert_ok(ctx, tv_record_check_receipt(ctx, &counts, recdir, &rnew));
	assert_int_equal(counts, 1);
	assert_ok(ctx, tv_record_check_receipt(ctx, &counts, recdir, &rlate));
	assert_int_equal(counts, 1);

	tv_result_free(result);
	tv_tally_free(tally);
	for (int i = 0; i < 3; i++) {
		tv_free(ctx, dec[i]);
		tv_trustee_free(t[i]);
	}
	for (int i = 0; i < 8; i++)
		tv_free(ctx, entry[i]);
	tv_free(ctx, issue);
	tv_free(ctx, other_issue);
	tv_authority_free(auth);
	tv_authority_free(other);
	tv_authority_free(elsewhere);
	tv_manifest_free(m2);
	tv_ed25519_secret_wipe(&local.box_key);
	tv_box_free(box);
	tv_ctx_free(ctx);
}

/* ---- ballot papers (SPEC §15.8) ---- */

typedef struct paper_run {
	tv_paper_print p[8];
	size_t n;
	FILE *box;
	char problems[8][256];
	size_t nproblems;
} paper_run;

static int keep_paper(const tv_paper_print *pp, void *payload)
{
	paper_run *w = payload;

	assert_true(w->n < 8);
	w->p[w->n++] = *pp;
	return 0;
}

static int paper_line(const char *line, size_t len, void *payload)
{
	return fwrite(line, 1, len, ((paper_run *)payload)->box) == len ? 0 : -1;
}

static void paper_problem(uint32_t line, const char *message, void *payload)
{
	paper_run *w = payload;

	if (w->nproblems < 8)
		snprintf(w->problems[w->nproblems++], sizeof(w->problems[0]), "line %u: %s", line,
		         message);
}

/* the code printed beside @p answer on paper @p p */
static const char *code_beside(const tv_paper_print *p, uint32_t answer)
{
	for (uint32_t i = 0; i < p->answers; i++)
		if (p->answer[i] == answer)
			return p->code[i];
	fail_msg("no answer %u", answer);
	return NULL;
}

/* intake @p csv on the postal channel: its status, problems in @p w */
static tv_status paper_intake(tv_ctx *ctx, tv_box *box, const tv_manifest *m, const char *csv,
                              const tv_ed25519_secret_key *key, int64_t now, paper_run *w,
                              tv_intake_summary *sum)
{
	tv_intake *in = NULL;
	tv_status st;

	w->nproblems = 0;
	st = tv_intake_parse(ctx, &in, csv, strlen(csv), m, "papers.csv", paper_problem, w);
	if (st == TV_OK)
		st = tv_box_intake(ctx, box, in, TV_CHANNEL_POSTAL, key, now, NULL, NULL,
		                   paper_problem, w, sum);
	tv_intake_free(in);
	return st;
}

static void assert_problem(const paper_run *w, const char *what)
{
	for (size_t i = 0; i < w->nproblems; i++)
		if (strstr(w->problems[i], what) != NULL)
			return;
	fail_msg("no problem says \"%s\" (%zu problems, the first: %s)", what, w->nproblems,
	         w->nproblems ? w->problems[0] : "none");
}

/* SPEC §15.8.7: the paper of a fixed opening, recomputed by the
 * independent checker (tests/vectors/independent/check_papers.py) */
static void paper_vector(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	static const char *const want_e[3] = {
		"ea52498ec463a82654d583ee2b4744712aa50067b56aaa26b8b7a167f9df2d2d",
		"45e60a046991c1dd9fa3493f77178be30c95cb7f902a2522869e34f1637b6a5b",
		"81ecd64784b6db270772aa7c06c60dbf9c97418fc2c625911dfa4502a2185c92",
	};
	static const char *const want_code[3] = { "X994", "8QK0", "G7PD" };
	uint8_t f[32] = { 0 }, o[32], c[32], two[32] = { 0 };
	char hex[65], printed[TV_PAPER_ID_TEXT_LEN + 1];
	tv_scalar k2;
	tv_point K, X;
	tv__paper p;

	for (int i = 0; i < 32; i++)
		o[i] = (uint8_t)i;
	two[31] = 2;
	assert_ok(ctx, tv_scalar_decode(ctx, &k2, two, 32));
	assert_ok(ctx, tv_point_base_mul(ctx, &K, &k2));
	tv_point_generator(&X);
	assert_ok(ctx, tv__paper_from_opening(ctx, &p, f, e->manifest, &K, o));
	tv__paper_id_print(printed, p.id);
	assert_string_equal(printed, "PD7C-FG7T-SN9J-SNYB-QFYZ");
	to_hex(hex, p.handle, 32);
	assert_string_equal(hex, "884ee22d3025ebd4cbd780b88f5841e7bdd1e9afd44dad1bc665d99d856fc2be");
	assert_int_equal(p.answers, 3);
	for (int a = 0; a < 3; a++) {
		to_hex(hex, p.digest[a], 32);
		assert_string_equal(hex, want_e[a]);
		assert_string_equal(p.code[a], want_code[a]);
	}
	assert_true(p.distinct);
	assert_ok(ctx, tv__paper_commit(ctx, c, f, p.handle, &X, 3, (const uint8_t (*)[32])p.digest));
	to_hex(hex, c, 32);
	assert_string_equal(hex, "6ef92348331b2ccb65a9c00b63171a2cc054ed121d331b77a74c8d9bdb97f9b2");
	tv_ctx_free(ctx);
}

/* P of §15.8.2 for the record in @p dir, from its papers.json and the
 * authority's list digest */
static void record_paper_list(tv_ctx *ctx, uint8_t out[32], const char *dir,
                              const tv_authority *auth, const char *issue, const uint8_t f[32])
{
	json_t *p = load_json(dir, "papers.json"), *papers = json_object_get(p, "papers"), *x;
	uint8_t l[32], c[32], h32[32], cc[32];
	tv__hash h;
	size_t i;

	assert_ok(ctx, tv_authority_issue_digest(ctx, issue, strlen(issue), l, c));
	assert_ok(ctx, tv__paper_list_begin(&h, ctx, f, tv__authority_public(auth), l,
	                                    json_array_size(papers)));
	json_array_foreach(papers, i, x) {
		tv_point pt;

		from_hex(h32, 32, json_string_value(json_object_get(x, "paper")));
		from_hex(pt.bytes, TV_POINT_BYTES, json_string_value(json_object_get(x, "credential")));
		from_hex(cc, 32, json_string_value(json_object_get(x, "commit")));
		tv__paper_list_add(&h, h32, &pt, cc);
	}
	assert_ok(ctx, tv__hash_final(&h, out));
	json_decref(p);
}

/*
 * papers.json's seal made again over its openings as they now are, with
 * the authority's key: the officer and the authority together, so that
 * the verifier's other checks of the openings are reached
 */
static void reseal_openings(tv_ctx *ctx, const char *dir, const tv_authority *auth,
                            const uint8_t f[32], const uint8_t list[32])
{
	json_t *p = load_json(dir, "papers.json"), *seal = json_object_get(p, "seal");
	json_t *opened = json_object_get(p, "opened");
	uint8_t (*all)[32] = calloc(json_array_size(opened) + 1, 32), head[32], msg[32];
	tv_ed25519_signature sig;

	assert_non_null(all);
	assert_non_null(seal);
	for (size_t i = 0; i < json_array_size(opened); i++)
		from_hex(all[i], 32, json_string_value(json_array_get(opened, i)));
	from_hex(head, 32, json_string_value(json_object_get(seal, "head")));
	assert_ok(ctx, tv__paper_openings_message(
		               ctx, msg, f, tv__authority_public(auth), list,
		               (uint64_t)json_integer_value(json_object_get(seal, "entries")), head,
		               (const uint8_t (*)[32])all, json_array_size(opened)));
	assert_ok(ctx, tv__authority_sign(ctx, &sig, auth, msg, 32));
	json_object_set_new(seal, "signature", hex_json(sig.bytes, 64));
	save_json(dir, "papers.json", p);
	json_decref(p);
	free(all);
}

/*
 * Four tenants with papers: paper 0 marked Yes and paper 2 blank come back
 * by post, paper 1 is rejected, tenant 3 votes online and never returns
 * paper 3. The box never sees a credential code of the papers; each bad
 * row is refused with nothing stored; after close the papers not cast as
 * ballots (1 and 3) are opened; the record verifies, and each tampering
 * fails the check that owns it.
 */
static void papers_cast_checked_and_opened(void **state)
{
	election *e = *state;
	tv_ctx *ctx = test_ctx_new();
	const char *csv = "tenancy_ref,name,address,tenancy_type\n"
	                  "T1,Siân Ellis,1 Heol y Bont,secure\n"
	                  "T2,Ann Smith,2 Mill Lane,secure\n"
	                  "T3,Bob Jones,3 Mill Lane,introductory\n"
	                  "T4,Cai Rees,4 Mill Lane,secure\n";
	char boxdir[400], recdir[400], trusteedir[420], boxfile[420], bad[420], rows[2048];
	char *issue = NULL, *commits[3], *reveals[3], *results[3], *openings = NULL;
	char *dec[3] = { 0 }, cmd[2400], fake[TV_PAPER_ID_TEXT_LEN + 1], other[8];
	uint8_t seed[TV_PAPER_SEED_BYTES], o[32], handle[32];
	election local;
	paper_run w;
	tv_register *reg = NULL;
	tv_box *box = NULL;
	tv_authority *auth = NULL;
	tv_trustee *t[3];
	tv_ed25519_public_key pk;
	tv_intake_summary sum;
	tv_tally *tally = NULL, *checked = NULL;
	tv_tally_info info;
	tv_result *result = NULL;
	tv_verify_summary vs;
	verdict v;
	size_t count = 0, opened = 0;
	int64_t n0, a0, n1, a1;
	uint8_t cast_opening[32];
	int cast_opening_known = 0;

	memset(&local, 0, sizeof(local));
	memset(&w, 0, sizeof(w));
	local.ctx = ctx;
	local.manifest = e->manifest;
	memcpy(local.f, e->f, 32);
	snprintf(boxdir, sizeof(boxdir), "%s/papers-box", e->root);
	snprintf(recdir, sizeof(recdir), "%s/papers-record", e->root);
	snprintf(trusteedir, sizeof(trusteedir), "%s-for-trustees", recdir);
	snprintf(boxfile, sizeof(boxfile), "%s/papers-box.jsonl", e->root);
	assert_ok(ctx, tv_box_create(ctx, &box, boxdir, e->manifest));
	assert_ok(ctx, tv_register_parse(ctx, &reg, (const uint8_t *)csv, strlen(csv), "r.csv", NULL,
	                                 NULL));
	assert_ok(ctx, tv_box_import_register(ctx, box, reg, "r.csv"));
	assert_ok(ctx, tv_authority_new(ctx, &auth, e->manifest));
	assert_ok(ctx, tv_authority_issue(ctx, &issue, auth, reg, on_authority_letter, &local));
	tv_register_free(reg);
	assert_ok(ctx, tv_box_import_credentials(ctx, box, issue, strlen(issue)));
	assert_ok(ctx, tv_box_ceremony_context(ctx, local.c, box));
	run_trustees(ctx, t, local.c, commits, reveals, results);
	assert_ok(ctx, tv_box_set_election_key(ctx, box, (const char *const *)commits,
	                                       (const char *const *)reveals,
	                                       (const char *const *)results, 3));
	free_messages(ctx, commits, reveals, results);
	assert_ok(ctx, tv_box_election_key(ctx, &local.key, box));

	/* the authority makes the papers once the key is known */
	assert_ok(ctx, tv_paper_seed_new(ctx, seed, e->manifest));
	assert_non_null(w.box = fopen(boxfile, "wb"));
	assert_ok(ctx, tv_authority_make_papers(ctx, auth, seed, e->manifest, &local.key.key, issue,
	                                        strlen(issue), keep_paper, paper_line, &w));
	fclose(w.box);
	assert_int_equal(w.n, 4);
	for (size_t i = 0; i < w.n; i++) {
		assert_int_equal(w.p[i].number, i + 1);
		assert_int_equal(strlen(w.p[i].id), TV_PAPER_ID_TEXT_LEN);
		assert_int_equal(w.p[i].answers, 3); /* Yes, No, blank */
		assert_int_equal(w.p[i].answer[2], TV_BALLOT_BLANK);
	}
	/* SPEC §15.8.6 and §15.8.1 recomputed: o_1, its identifier */
	{
		spec_hash h;
		tv__paper q;
		char printed[TV_PAPER_ID_TEXT_LEN + 1];

		/* the first j whose paper has three different codes */
		for (uint32_t j = 0; !cast_opening_known; j++) {
			sh_begin(&h, "paper-seed");
			sh_field(&h, seed + 40, 32);
			sh_u32(&h, 1);
			sh_u32(&h, j);
			sh_final(&h, o);
			assert_ok(ctx, tv__paper_from_opening(ctx, &q, e->f, e->manifest, &local.key.key,
			                                      o));
			if (q.distinct) {
				tv__paper_id_print(printed, q.id);
				assert_string_equal(printed, w.p[0].id);
				memcpy(cast_opening, o, 32);
				cast_opening_known = 1;
			}
		}
	}
	/* a changed commitment: the authority's signature no longer verifies */
	snprintf(bad, sizeof(bad), "%s/papers-bad.jsonl", e->root);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", boxfile, bad);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "sed -i '2{s/\"commit\":\"0/\"commit\":\"X/;"
	         "s/\"commit\":\"[1-9a-f]/\"commit\":\"0/;s/\"commit\":\"X/\"commit\":\"1/}' '%s'",
	         bad);
	assert_int_equal(system(cmd), 0);
	assert_status(ctx, tv_box_import_papers(ctx, &count, box, bad), TV_ERR_SIGNATURE_INVALID);
	assert_ok(ctx, tv_box_paper_count(ctx, &count, box));
	assert_int_equal(count, 0);
	assert_ok(ctx, tv_box_import_papers(ctx, &count, box, boxfile));
	assert_int_equal(count, 4);
	assert_status(ctx, tv_box_import_papers(ctx, &count, box, boxfile), TV_ERR_STATE);
	/* opened with its identifier, a paper's lock holds its ballots in
	 * ascending order of their digests: nothing says which is which answer */
	{
		tv_ballot *lb[TV__PAPER_ANSWERS_MAX];
		uint8_t ld[TV__PAPER_ANSWERS_MAX][32], h0[32];
		char printed[TV_PAPER_ID_TEXT_LEN + 1], id[TV__PAPER_SYMBOLS + 1];
		sqlite3_stmt *st;
		sqlite3 *db;
		char dbpath[500];

		assert_ok(ctx, tv_paper_id_read(ctx, printed, h0, w.p[0].id, strlen(w.p[0].id), e->f));
		for (size_t i = 0, n = 0; printed[i] != '\0'; i++)
			if (printed[i] != '-')
				id[n++] = printed[i];
		id[TV__PAPER_SYMBOLS] = '\0';
		snprintf(dbpath, sizeof(dbpath), "%s/election.db", boxdir);
		assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT credential, commitment, lock FROM "
		                                        "paper WHERE handle = ?", -1, &st, NULL),
		                 SQLITE_OK);
		sqlite3_bind_blob(st, 1, h0, 32, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		{
			tv_point x;

			memcpy(x.bytes, sqlite3_column_blob(st, 0), TV_POINT_BYTES);
			assert_ok(ctx, tv__paper_unlock(ctx, lb, ld, e->f, e->manifest, id, h0, &x,
			                                sqlite3_column_blob(st, 1),
			                                sqlite3_column_blob(st, 2),
			                                (size_t)sqlite3_column_bytes(st, 2)));
			for (int k = 0; k < 3; k++) {
				char code[TV_PAPER_CODE_LEN + 1];

				tv__paper_short_code(code, ld[k]);
				assert_true(strcmp(code, w.p[0].code[0]) == 0 ||
				            strcmp(code, w.p[0].code[1]) == 0 ||
				            strcmp(code, w.p[0].code[2]) == 0);
				if (k > 0)
					assert_true(memcmp(ld[k - 1], ld[k], 32) < 0);
				tv_ballot_free(lb[k]);
			}
			/* with another identifier it does not open */
			id[3] = id[3] == 'A' ? 'B' : 'A';
			assert_status(ctx, tv__paper_unlock(ctx, lb, ld, e->f, e->manifest, id, h0, &x,
			                                    sqlite3_column_blob(st, 1),
			                                    sqlite3_column_blob(st, 2),
			                                    (size_t)sqlite3_column_bytes(st, 2)),
			              TV_ERR_PROOF_INVALID);
		}
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	assert_ok(ctx, tv_ed25519_keygen(ctx, &local.box_key, &pk));
	assert_ok(ctx, tv_box_open_voting(ctx, box, &local.box_key));

	/* bad rows: each its own problem, nothing stored */
	board_size(boxdir, &n0, &a0);
	memset(o, 7, sizeof(o));
	{
		char id[TV__PAPER_SYMBOLS + 1];

		assert_ok(ctx, tv__paper_id_from_opening(ctx, id, e->f, o));
		tv__paper_id_print(fake, id);
	}
	/* a code of paper 1 that is none of paper 0's */
	other[0] = '\0';
	for (uint32_t i = 0; i < 3 && other[0] == '\0'; i++) {
		int mine = 0;

		for (uint32_t j = 0; j < 3; j++)
			mine |= strcmp(w.p[1].code[i], w.p[0].code[j]) == 0;
		if (!mine)
			snprintf(other, sizeof(other), "%s", w.p[1].code[i]);
	}
	snprintf(rows, sizeof(rows),
	         "paper,code\n%s,%s\n%s,%s\n%s,%s\n%s,%s\n",
	         fake, w.p[0].code[0],          /* not issued */
	         w.p[0].id, other,              /* another paper's code */
	         w.p[2].id, "rejected:no-official-mark",
	         w.p[2].id, w.p[2].code[0]);    /* the same paper twice */
	assert_status(ctx, paper_intake(ctx, box, e->manifest, rows, &local.box_key, NOW, &w, &sum),
	              TV_ERR_INTAKE_INVALID);
	assert_problem(&w, "the same paper as line 4");
	snprintf(rows, sizeof(rows), "paper,code\n%s,%s\n%s,%s\n%s,YES1\n", fake, w.p[0].code[0],
	         w.p[0].id, other, w.p[1].id);
	assert_status(ctx, paper_intake(ctx, box, e->manifest, rows, &local.box_key, NOW, &w, &sum),
	              TV_ERR_INTAKE_INVALID);
	assert_problem(&w, "line 2: paper ");
	assert_problem(&w, "is not one this election issued");
	assert_problem(&w, "is not on paper");
	assert_problem(&w, "line 4: code");
	/* a mistyped identifier: its check character */
	snprintf(rows, sizeof(rows), "paper,code\n%s,%s\n", w.p[0].id, w.p[0].code[0]);
	rows[11] = rows[11] == '0' ? '1' : '0';
	assert_status(ctx, paper_intake(ctx, box, e->manifest, rows, &local.box_key, NOW, &w, &sum),
	              TV_ERR_INTAKE_INVALID);
	assert_problem(&w, "paper identifier");
	board_size(boxdir, &n1, &a1);
	assert_int_equal(n1, n0);

	/* the papers come back: Yes on paper 0, rejected paper 1, blank on paper 2 */
	snprintf(rows, sizeof(rows), "paper,code\n%s,%s\n%s,rejected:no-official-mark\n%s,%s\n",
	         w.p[0].id, code_beside(&w.p[0], 1), w.p[1].id, w.p[2].id,
	         code_beside(&w.p[2], TV_BALLOT_BLANK));
	assert_ok(ctx, paper_intake(ctx, box, e->manifest, rows, &local.box_key, NOW, &w, &sum));
	assert_int_equal(sum.cast, 3);
	assert_int_equal(sum.spoilt, 1);
	/* run again: nothing cast twice */
	assert_ok(ctx, paper_intake(ctx, box, e->manifest, rows, &local.box_key, NOW + 1, &w, &sum));
	assert_int_equal(sum.cast, 0);
	assert_int_equal(sum.already, 3);
	/* the same paper in another file: cast already */
	snprintf(rows, sizeof(rows), "paper,code\n%s,%s\n", w.p[0].id, code_beside(&w.p[0], 2));
	assert_status(ctx, paper_intake(ctx, box, e->manifest, rows, &local.box_key, NOW + 2, &w,
	                                &sum), TV_ERR_INTAKE_INVALID);
	assert_problem(&w, "was cast already, at board position 1");
	/* no credential code of a paper reached the box */
	for (int i = 0; i < 4; i++) {
		snprintf(cmd, sizeof(cmd), "grep -c '%s' '%s/election.db' > /dev/null", local.codes[i],
		         boxdir);
		assert_int_not_equal(system(cmd), 0);
	}
	/*
	 * Whoever holds a cast paper's opening (the authority's seed) cannot
	 * publish its answers' encryptions as a challenged ballot: the cast
	 * one's, or another answer's, which would tell how it was voted.
	 */
	{
		tv__paper q;
		tv_ballot *pb[TV__PAPER_ANSWERS_MAX];
		tv_point x0;
		tv_receipt unused;

		assert_true(cast_opening_known);
		assert_ok(ctx, tv__paper_from_opening(ctx, &q, e->f, e->manifest, &local.key.key,
		                                      cast_opening));
		assert_ok(ctx, tv_credential_derive(ctx, NULL, &x0, local.codes[0],
		                                    strlen(local.codes[0]), e->f));
		assert_ok(ctx, tv__paper_ballots(ctx, pb, &q, e->f, e->manifest, &local.key.key, &x0));
		for (uint32_t k = 0; k < 2; k++) { /* answer 1 was cast; answer 2 was not */
			tv_scalar nonce[TV_MAX_OPTIONS];
			char *opened_json = NULL;

			for (uint32_t i = 0; i < 2; i++)
				assert_ok(ctx, tv__paper_nonce(ctx, &nonce[i], e->f, cast_opening, k + 1,
				                               i + 1));
			assert_ok(ctx, tv__opened_to_json(ctx, &opened_json, pb[k], k + 1, nonce));
			assert_status(ctx, tv_box_challenge(ctx, &unused, box, opened_json,
			                                    strlen(opened_json), TV_CHANNEL_ONLINE,
			                                    &local.box_key, NOW + 3),
			              TV_ERR_REPLAY);
			assert_has(tv_ctx_last_error(ctx), k == 0 ? "it was cast, so it cannot be opened"
			                                          : "would show how that paper was voted");
			tv_free(ctx, opened_json);
		}
		for (uint32_t k = 0; k < q.answers; k++)
			tv_ballot_free(pb[k]);
	}
	/* tenant 3 votes online; paper 3 never comes back; tenant 1 votes
	 * online after their paper: an online revote replaces it */
	cast(&local, NULL, box, 3, 2, TV_CHANNEL_ONLINE, 4);
	cast(&local, NULL, box, 0, 2, TV_CHANNEL_ONLINE, 5);
	assert_ok(ctx, tv_box_verify_board(ctx, NULL, NULL, box));
	assert_ok(ctx, tv_box_close_voting_at(ctx, NULL, NULL, box, &local.box_key, CLOSES, NULL));
	snprintf(rows, sizeof(rows), "paper,code\n%s,%s\n", w.p[3].id, code_beside(&w.p[3], 1));
	assert_status(ctx, paper_intake(ctx, box, e->manifest, rows, &local.box_key, CLOSES + 5, &w,
	                                &sum), TV_ERR_STATE);
	assert_has(tv_ctx_last_error(ctx), "voting is closed");
	assert_ok(ctx, tv_box_tally(ctx, &tally, box));
	tv_tally_get_info(&info, tally);
	assert_int_equal(info.entries, 5);
	assert_int_equal(info.ballots, 3);

	/* after close: the papers not cast as ballots are opened */
	{
		/* the authority reads the cast papers off a record of the closed board */
		char board[440];

		snprintf(board, sizeof(board), "%s-board", recdir);
		assert_ok(ctx, tv_box_export_record(ctx, box, board, NULL, NULL, 0, NULL, NULL, NULL));
		assert_ok(ctx, tv_authority_open_papers(ctx, &openings, &opened, auth, seed,
		                                        e->manifest, &local.key.key, issue,
		                                        strlen(issue), board));
		/* the officer cannot have a cast paper opened: a board with the
		 * paper's line taken out, or not closed, is refused, nothing opened */
		{
			char cut[480], *none = NULL;
			json_t *lines;

			snprintf(cut, sizeof(cut), "%s-cut", board);
			snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s'", cut, board, cut);
			assert_int_equal(system(cmd), 0);
			lines = load_board(cut);
			json_array_remove(lines, 0);
			save_board(cut, lines);
			json_decref(lines);
			assert_status(ctx, tv_authority_open_papers(ctx, &none, &opened, auth, seed,
			                                            e->manifest, &local.key.key, issue,
			                                            strlen(issue), cut),
			              TV_ERR_PROOF_INVALID);
			assert_null(none);
			assert_has(tv_ctx_last_error(ctx), "no paper is opened");
			snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s' && rm '%s/close.json'",
			         cut, board, cut, cut);
			assert_int_equal(system(cmd), 0);
			assert_status(ctx, tv_authority_open_papers(ctx, &none, &opened, auth, seed,
			                                            e->manifest, &local.key.key, issue,
			                                            strlen(issue), cut),
			              TV_ERR_PROOF_INVALID);
			assert_null(none);
		}
		/* it fails check 7 until the openings are in: papers not opened */
		assert_status(ctx, tv_record_tally(ctx, &checked, board, 2, NULL, NULL, NULL, NULL),
		              TV_ERR_PROOF_INVALID);
		assert_has(tv_ctx_last_error(ctx), "neither cast nor opened");
	}
	assert_int_equal(opened, 2);
	{
		/* the opening of paper 1, whose ballot was cast, even signed by the
		 * authority over this board: the box never opens it */
		json_t *doc = json_loads(openings, 0, NULL);
		uint8_t plist[32], head[32], msg[32];
		tv_ed25519_signature sig;
		char *text;
		char board[440];

		assert_non_null(doc);
		snprintf(board, sizeof(board), "%s-board", recdir);
		record_paper_list(ctx, plist, board, auth, issue, e->f);
		from_hex(head, 32, json_string_value(json_object_get(doc, "head")));
		assert_ok(ctx, tv__paper_openings_message(
			               ctx, msg, e->f, tv__authority_public(auth), plist,
			               (uint64_t)json_integer_value(json_object_get(doc, "entries")), head,
			               (const uint8_t (*)[32])cast_opening, 1));
		assert_ok(ctx, tv__authority_sign(ctx, &sig, auth, msg, 32));
		json_array_clear(json_object_get(doc, "openings"));
		json_array_append_new(json_object_get(doc, "openings"), hex_json(cast_opening, 32));
		json_object_set_new(doc, "signature", hex_json(sig.bytes, 64));
		text = json_dumps(doc, JSON_COMPACT);
		assert_status(ctx, tv_box_import_openings(ctx, &opened, box, text, strlen(text)),
		              TV_ERR_PROOF_INVALID);
		assert_has(tv_ctx_last_error(ctx), "a cast paper is never opened");
		/* the real openings with their signature changed: not the authority's */
		json_decref(doc);
		free(text);
		doc = json_loads(openings, 0, NULL);
		sig.bytes[0] ^= 1;
		from_hex(sig.bytes, 64, json_string_value(json_object_get(doc, "signature")));
		sig.bytes[5] ^= 1;
		json_object_set_new(doc, "signature", hex_json(sig.bytes, 64));
		text = json_dumps(doc, JSON_COMPACT);
		assert_status(ctx, tv_box_import_openings(ctx, &opened, box, text, strlen(text)),
		              TV_ERR_SIGNATURE_INVALID);
		json_decref(doc);
		free(text);
	}
	assert_ok(ctx, tv_box_import_openings(ctx, &opened, box, openings, strlen(openings)));
	assert_int_equal(opened, 2);
	assert_status(ctx, tv_box_import_openings(ctx, &opened, box, openings, strlen(openings)),
	              TV_ERR_STATE);
	assert_has(tv_ctx_last_error(ctx), "imported already");
	assert_ok(ctx, tv_box_export_record(ctx, box, trusteedir, NULL, NULL, 0, NULL, NULL, NULL));
	assert_ok(ctx, tv_record_tally(ctx, &checked, trusteedir, 2, NULL, NULL, NULL, NULL));
	for (int i = 0; i < 3; i++)
		assert_ok(ctx, tv_tally_decrypt(ctx, &dec[i], checked, t[i], e->f));
	tv_tally_free(checked);
	assert_ok(ctx, tv_tally_combine(ctx, &result, NULL, tally, e->manifest, &local.key,
	                                (const char *const *)dec, 2));
	assert_int_equal(tv_result_votes(result, 1), 0);
	assert_int_equal(tv_result_votes(result, 2), 2);
	assert_int_equal(tv_result_blank(result), 1);
	assert_int_equal(tv_result_rejected_total(result), 1);
	assert_ok(ctx, tv_box_export_record(ctx, box, recdir, tally, (const char *const *)dec, 2,
	                                    result, NULL, NULL));
	verify_expect(ctx, recdir, 0, &v, &vs);
	assert_int_equal(vs.counted, 4);
	/* the paper's handle from its identifier, as a tenant's check finds it */
	{
		char printed[TV_PAPER_ID_TEXT_LEN + 1], hex[65], path[700];

		assert_ok(ctx, tv_paper_id_read(ctx, printed, handle, w.p[0].id, strlen(w.p[0].id),
		                                e->f));
		to_hex(hex, handle, 32);
		snprintf(path, sizeof(path), "grep -c '\"kind\":\"paper\".*\"paper\":\"%s\"' "
		         "'%s/board.jsonl' > /dev/null", hex, recdir);
		assert_int_equal(system(path), 0);
	}

	/* tamperings, each on a copy */
	{
		char dir[500];

		/* an opening dropped: a paper neither cast nor opened */
		snprintf(dir, sizeof(dir), "%s/papers-t1", e->root);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s'", dir, recdir, dir);
		assert_int_equal(system(cmd), 0);
		{
			json_t *p = load_json(dir, "papers.json");

			json_array_remove(json_object_get(p, "opened"), 0);
			save_json(dir, "papers.json", p);
			json_decref(p);
		}
		verify_expect(ctx, dir, BIT(7), &v, &vs);
		assert_has(v.message[7], "not signed by the credential authority");
		{
			uint8_t plist[32];

			record_paper_list(ctx, plist, dir, auth, issue, e->f);
			reseal_openings(ctx, dir, auth, e->f, plist);
		}
		verify_expect(ctx, dir, BIT(7), &v, &vs);
		assert_has(v.message[7], "neither cast nor opened");
		/* an opening of another paper's value: not listed */
		{
			json_t *p = load_json(dir, "papers.json");

			json_array_append_new(json_object_get(p, "opened"), hex_json(o, 32));
			save_json(dir, "papers.json", p);
			json_decref(p);
		}
		verify_expect(ctx, dir, BIT(7), &v, &vs);
		/* the opening of a paper whose ballot was cast: that vote shown */
		if (cast_opening_known) {
			json_t *p;

			snprintf(dir, sizeof(dir), "%s/papers-t5", e->root);
			snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s'", dir, recdir, dir);
			assert_int_equal(system(cmd), 0);
			uint8_t all[8][32], hs[8][32];
			size_t n = 0;
			json_t *list;

			p = load_json(dir, "papers.json");
			list = json_object_get(p, "opened");
			for (size_t i = 0; i < json_array_size(list) && n < 7; i++)
				from_hex(all[n++], 32, json_string_value(json_array_get(list, i)));
			memcpy(all[n++], cast_opening, 32);
			/* in ascending order of handles, as the file wants them */
			for (size_t i = 0; i < n; i++) {
				char id[TV__PAPER_SYMBOLS + 1];

				assert_ok(ctx, tv__paper_id_from_opening(ctx, id, e->f, all[i]));
				assert_ok(ctx, tv__paper_handle(ctx, hs[i], e->f, id));
			}
			for (size_t i = 1; i < n; i++)
				for (size_t j = i; j > 0 && memcmp(hs[j - 1], hs[j], 32) > 0; j--) {
					uint8_t tmp[32];

					memcpy(tmp, hs[j], 32);
					memcpy(hs[j], hs[j - 1], 32);
					memcpy(hs[j - 1], tmp, 32);
					memcpy(tmp, all[j], 32);
					memcpy(all[j], all[j - 1], 32);
					memcpy(all[j - 1], tmp, 32);
				}
			json_array_clear(list);
			for (size_t i = 0; i < n; i++)
				json_array_append_new(list, hex_json(all[i], 32));
			save_json(dir, "papers.json", p);
			json_decref(p);
			{
				uint8_t plist[32];

				record_paper_list(ctx, plist, dir, auth, issue, e->f);
				reseal_openings(ctx, dir, auth, e->f, plist);
			}
			verify_expect(ctx, dir, BIT(7), &v, &vs);
			assert_has(v.message[7], "opening it shows that vote");
		}
		/* the online revote and the paper swapped, chain and close made again
		 * with the box key: a paper after its tenant's vote (check 8) */
		{
			json_t *lines, *l1, *l5, *x1, *x5;
			uint8_t start[32], last[32];

			snprintf(dir, sizeof(dir), "%s/papers-t6", e->root);
			snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s'", dir, recdir, dir);
			assert_int_equal(system(cmd), 0);
			lines = load_board(dir);
			l1 = json_array_get(lines, 0);
			l5 = json_array_get(lines, 4);
			assert_string_equal(json_string_value(json_object_get(l1, "kind")), "paper");
			assert_string_equal(json_string_value(json_object_get(l5, "kind")), "ballot");
			from_hex(start, 32, json_string_value(json_object_get(l1, "prev_head")));
			x1 = json_deep_copy(l1);
			x5 = json_deep_copy(l5);
			json_array_set_new(lines, 0, x5);
			json_array_set_new(lines, 4, x1);
			/* times stay in order: each takes the other's */
			json_object_set(x5, "time", json_object_get(x1, "time"));
			json_object_set_new(x1, "time",
			                    json_integer(json_integer_value(json_object_get(
			                            json_array_get(lines, 3), "time")) + 1));
			rechain_from(ctx, lines, last, 0, start);
			save_board(dir, lines);
			json_decref(lines);
			reclose_with_box_key(ctx, dir, 5, last);
			memset(&v, 0, sizeof(v));
			assert_status(ctx, tv_record_verify(ctx, dir, 2, on_event, &v, NULL, NULL, &vs),
			              TV_ERR_PROOF_INVALID);
			assert_true(v.failed & BIT(8));
			assert_has(v.message[8], "a paper never replaces a vote");
			assert_int_equal(v.position[8], 5);
		}
		/* a commitment changed: the authority's signature, and the list P
		 * that starts the board */
		snprintf(dir, sizeof(dir), "%s/papers-t2", e->root);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s'", dir, recdir, dir);
		assert_int_equal(system(cmd), 0);
		{
			json_t *p = load_json(dir, "papers.json");
			json_t *first = json_array_get(json_object_get(p, "papers"), 0);
			uint8_t c[32];

			from_hex(c, 32, json_string_value(json_object_get(first, "commit")));
			c[0] ^= 1;
			json_object_set_new(first, "commit", hex_json(c, 32));
			save_json(dir, "papers.json", p);
			json_decref(p);
		}
		memset(&v, 0, sizeof(v));
		assert_status(ctx, tv_record_verify(ctx, dir, 2, on_event, &v, NULL, NULL, &vs),
		              TV_ERR_PROOF_INVALID);
		assert_true(v.failed & BIT(4));
		assert_true(v.failed & BIT(9));
		/* papers.json taken away: the board no longer starts where it did,
		 * and no paper's entry is on a list */
		snprintf(dir, sizeof(dir), "%s/papers-t3", e->root);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s' && rm '%s/papers.json'", dir,
		         recdir, dir, dir);
		assert_int_equal(system(cmd), 0);
		memset(&v, 0, sizeof(v));
		assert_status(ctx, tv_record_verify(ctx, dir, 2, on_event, &v, NULL, NULL, &vs),
		              TV_ERR_PROOF_INVALID);
		assert_true(v.failed & BIT(6));
		assert_true(v.failed & BIT(9));
		/* a paper's other digests changed: not what the paper committed */
		snprintf(dir, sizeof(dir), "%s/papers-t4", e->root);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s' '%s'", dir, recdir, dir);
		assert_int_equal(system(cmd), 0);
		{
			json_t *lines = load_board(dir);
			json_t *entry = json_object_get(json_array_get(lines, 0), "entry");
			json_t *others = json_object_get(entry, "others");
			uint8_t d[32];

			assert_string_equal(json_string_value(json_object_get(json_array_get(lines, 0),
			                                                      "kind")), "paper");
			from_hex(d, 32, json_string_value(json_array_get(others, 0)));
			d[31] ^= 1;
			json_array_set_new(others, 0, hex_json(d, 32));
			save_board(dir, lines);
			json_decref(lines);
		}
		verify_expect(ctx, dir, BIT(7), &v, &vs);
		assert_has(v.message[7], "not one of the encryptions the credential authority");
		assert_int_equal(v.position[7], 1);
	}

	tv_result_free(result);
	tv_tally_free(tally);
	for (int i = 0; i < 3; i++) {
		tv_free(ctx, dec[i]);
		tv_trustee_free(t[i]);
	}
	tv_free(ctx, openings);
	tv_free(ctx, issue);
	tv_authority_free(auth);
	tv_ed25519_secret_wipe(&local.box_key);
	tv_box_free(box);
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(honest_record_verifies),
		cmocka_unit_test(credential_list_read_either_way),
		cmocka_unit_test(other_trustees_decryptions_verify),
		cmocka_unit_test(close_time_and_reason_are_signed),
		cmocka_unit_test(tally_json_round_trip),
		cmocka_unit_test(tally_from_json_refuses_malformed),
		cmocka_unit_test(decryption_with_wrong_share_is_named),
		cmocka_unit_test(tampered_share_or_proof_is_named),
		cmocka_unit_test(fewer_than_k_refused),
		cmocka_unit_test(inserted_ballot_of_unlisted_credential),
		cmocka_unit_test(revote_order_swapped),
		cmocka_unit_test(record_decryption_with_other_share),
		cmocka_unit_test(board_faults_are_found),
		cmocka_unit_test(events_do_not_depend_on_threads),
		cmocka_unit_test(export_never_follows_a_planted_link),
		cmocka_unit_test(board_changed_while_verified),
		cmocka_unit_test(board_time_goes_back),
		cmocka_unit_test(board_line_taken_out_is_named_once),
		cmocka_unit_test(opened_entry_verifies),
		cmocka_unit_test(opened_entry_with_wrong_nonce_fails_check_7),
		cmocka_unit_test(opened_vote_cast_fails_check_8),
		cmocka_unit_test(second_entry_under_first),
		cmocka_unit_test(trustees_decrypt_only_checked_sums),
		cmocka_unit_test(credential_list_swapped_and_signed_again),
		cmocka_unit_test(credential_import_refuses_bad_lists),
		cmocka_unit_test(credential_changes_are_honoured),
		cmocka_unit_test(box_changes_applied),
		cmocka_unit_test(paper_vector),
		cmocka_unit_test(papers_cast_checked_and_opened),
		cmocka_unit_test(receipts_checked_in_one_pass),
		cmocka_unit_test(tracking_code_looked_up),
		cmocka_unit_test(board_listed),
		cmocka_unit_test(missing_record_folder),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
