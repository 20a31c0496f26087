/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §14: the ballot box's set-up state: manifest, register, credentials, key. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "helpers.h"
#include "tenantvote/box.h"

static char dir[256];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tv-test-box-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int remove_dir(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static tv_manifest *demo_manifest(tv_ctx *ctx)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;

	o.election_id = "testshire-2027";
	o.council = "Testshire Council";
	o.landlord = "Testshire Tenants' Mutual";
	o.title.en = "Stock transfer ballot";
	o.title.cy = "Pleidlais trosglwyddo stoc";
	o.question.en = "Do you support the transfer?";
	o.question.cy = "A ydych chi o blaid y trosglwyddo?";
	o.option_count = 2;
	o.options[0].en = "Yes";
	o.options[0].cy = "Ydw";
	o.options[1].en = "No";
	o.options[1].cy = "Nac ydw";
	o.transfer_option = 1;
	o.opens = 1800000000;
	o.closes = 1801000000;
	o.trustees = 3;
	o.threshold = 2;
	assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
	return m;
}

static tv_register *parse_register(tv_ctx *ctx, const char *csv)
{
	tv_register *reg = NULL;

	assert_ok(ctx, tv_register_parse(ctx, &reg, (const uint8_t *)csv, strlen(csv),
	                                 "test.csv", NULL, NULL));
	return reg;
}

static const char *register_a =
	"tenancy_ref,name,address,tenancy_type\n"
	"T001,Siân Ellis,\"1 Heol y Bont, Llanfair\",secure\n"
	"T001,Gareth Ellis,\"1 Heol y Bont, Llanfair\",secure\n"
	"T002,Ann Smith,2 Mill Lane,introductory\n";

static const char *register_b =
	"name,tenancy_ref,tenancy_type,address\n"
	"Bob Jones,T009,secure,9 High Street\n";

typedef struct letters {
	int count;
	int fail_at;   /* fail on this letter (1-based), 0 never, -1 the final call */
	int finished;
	char codes[8][TV_CREDENTIAL_TEXT_LEN + 1];
	char names[8][64];
} letters;

static int on_letter(const tv_tenant *tenant, const char *code, void *payload)
{
	letters *l = payload;

	if (tenant == NULL)
		return l->fail_at == -1 ? 1 : (l->finished = 1, 0);
	l->count++;
	if (l->count == l->fail_at)
		return 1;
	if (l->count <= 8) {
		snprintf(l->codes[l->count - 1], sizeof(l->codes[0]), "%s", code);
		snprintf(l->names[l->count - 1], sizeof(l->names[0]), "%s", tenant->name);
	}
	return 0;
}

typedef struct creds {
	int count;
	tv_point keys[8];
} creds;

static int on_credential(uint32_t index, const tv_point *credential, void *payload)
{
	creds *c = payload;

	if (index < 8)
		c->keys[index] = *credential;
	c->count++;
	return 0;
}

static void create_open_and_refuse_twice(void **state)
{
	chmod(dir, 0755);
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = demo_manifest(ctx);
	tv_box *box = NULL, *again = NULL;
	tv_box_status st;
	uint8_t f1[32], f2[32];
	struct stat sb;
	char path[300];
	(void)state;

	assert_ok(ctx, tv_box_create(ctx, &box, dir, m));
	assert_ok(ctx, tv_box_get_status(ctx, &st, box));
	assert_int_equal(st.phase, TV_PHASE_SETUP);
	assert_int_equal(st.electorate, 0);
	assert_false(st.register_imported || st.credentials_issued || st.election_key_ready);
	assert_int_equal(st.schema_version, 8);
	tv_box_free(box);

	assert_status(ctx, tv_box_create(ctx, &box, dir, m), TV_ERR_EXISTS);
	assert_null(box);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "already holds an election"));

	assert_ok(ctx, tv_box_open(ctx, &again, dir));
	tv_manifest_fingerprint(f1, m);
	tv_manifest_fingerprint(f2, tv_box_manifest(again));
	assert_memory_equal(f1, f2, 32);
	tv_box_free(again);
	snprintf(path, sizeof(path), "%s/%s", dir, TV_BOX_FILE);
	assert_int_equal(stat(path, &sb), 0);
	/* owner-only, even in a folder others can read: it holds the register */
	assert_int_equal(sb.st_mode & 0777, 0600);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

static void open_refuses_what_is_not_a_box(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_box *box = NULL;
	char sub[300], path[400];
	FILE *f;
	sqlite3 *db;
	(void)state;

	snprintf(sub, sizeof(sub), "%s/empty", dir);
	mkdir(sub, 0700);
	assert_status(ctx, tv_box_open(ctx, &box, sub), TV_ERR_IO);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "tenantvote init"));

	/* garbage where the box should be */
	snprintf(path, sizeof(path), "%s/%s", sub, TV_BOX_FILE);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not a database, it is a shopping list: milk, bread, tea\n", f);
	fclose(f);
	assert_status(ctx, tv_box_open(ctx, &box, sub), TV_ERR_DATABASE);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "not a tenantvote ballot box"));
	unlink(path);

	/* a box from a newer tenantvote */
	{
		tv_manifest *m = demo_manifest(ctx);

		assert_ok(ctx, tv_box_create(ctx, &box, sub, m));
		tv_box_free(box);
		tv_manifest_free(m);
	}
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_status(ctx, tv_box_open(ctx, &box, sub), TV_ERR_DATABASE);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "newer tenantvote"));
	assert_null(box);
	tv_ctx_free(ctx);
}

static void register_then_credentials(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_box *box = NULL;
	tv_register *a = parse_register(ctx, register_a), *b = parse_register(ctx, register_b);
	tv_box_status st;
	letters l = { 0 };
	creds c = { 0 };
	uint8_t f[32];
	(void)state;

	assert_ok(ctx, tv_box_open(ctx, &box, dir));
	/* no register yet: no credentials */
	assert_status(ctx, tv_box_issue_credentials(ctx, box, on_letter, &l), TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "register import"));
	assert_status(ctx, tv_box_each_credential(ctx, box, on_credential, &c), TV_ERR_STATE);

	assert_ok(ctx, tv_box_import_register(ctx, box, b, "b.csv"));
	assert_ok(ctx, tv_box_get_status(ctx, &st, box));
	assert_int_equal(st.electorate, 1);
	/* re-import before credentials replaces it */
	assert_ok(ctx, tv_box_import_register(ctx, box, a, "a.csv"));
	assert_ok(ctx, tv_box_get_status(ctx, &st, box));
	assert_int_equal(st.electorate, 3);
	assert_true(st.register_imported);

	/* a letter that cannot be written: nothing is issued */
	l.fail_at = 2;
	assert_status(ctx, tv_box_issue_credentials(ctx, box, on_letter, &l), TV_ERR_IO);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "no credentials were issued"));
	assert_ok(ctx, tv_box_get_status(ctx, &st, box));
	assert_false(st.credentials_issued);
	/* the final flush failing: nothing either */
	memset(&l, 0, sizeof(l));
	l.fail_at = -1;
	assert_status(ctx, tv_box_issue_credentials(ctx, box, on_letter, &l), TV_ERR_IO);
	assert_status(ctx, tv_box_each_credential(ctx, box, on_credential, &c), TV_ERR_STATE);

	memset(&l, 0, sizeof(l));
	assert_ok(ctx, tv_box_issue_credentials(ctx, box, on_letter, &l));
	assert_int_equal(l.count, 3);
	assert_true(l.finished);
	assert_string_equal(l.names[0], "Siân Ellis"); /* Welsh text byte for byte */
	assert_ok(ctx, tv_box_each_credential(ctx, box, on_credential, &c));
	assert_int_equal(c.count, 3);
	/* each letter's code derives the credential the box holds, in order */
	tv_manifest_fingerprint(f, tv_box_manifest(box));
	for (int i = 0; i < 3; i++) {
		tv_point pub;

		assert_ok(ctx, tv_credential_derive(ctx, NULL, &pub, l.codes[i],
		                                    strlen(l.codes[i]), f));
		assert_true(tv_point_equal(&pub, &c.keys[i]));
	}
	/* after issue: no new register, no second issue */
	assert_status(ctx, tv_box_import_register(ctx, box, b, "b.csv"), TV_ERR_STATE);
	assert_non_null(strstr(tv_ctx_last_error(ctx), "credentials have been issued"));
	assert_status(ctx, tv_box_issue_credentials(ctx, box, on_letter, &l), TV_ERR_STATE);
	assert_ok(ctx, tv_box_get_status(ctx, &st, box));
	assert_int_equal(st.electorate, 3);
	assert_true(st.credentials_issued);
	tv_box_free(box);
	tv_register_free(a);
	tv_register_free(b);
	tv_ctx_free(ctx);
}

/* a real 2-of-3 ceremony for the box's election */
static void run_ceremony(tv_ctx *ctx, const uint8_t f[32], char *commits[3], char *reveals[3],
                         char *results[3])
{
	tv_trustee *t[3] = { NULL };
	int i;

	for (i = 0; i < 3; i++) {
		assert_ok(ctx, tv_trustee_new(ctx, &t[i], f, (uint32_t)i + 1, 3, 2));
		assert_ok(ctx, tv_trustee_commit(ctx, &commits[i], t[i]));
	}
	for (i = 0; i < 3; i++)
		assert_ok(ctx, tv_trustee_reveal(ctx, &reveals[i], t[i], (const char *const *)commits, 3));
	for (i = 0; i < 3; i++)
		assert_ok(ctx, tv_trustee_combine(ctx, &results[i], NULL, t[i],
		                                  (const char *const *)commits, 3,
		                                  (const char *const *)reveals, 3));
	for (i = 0; i < 3; i++)
		tv_trustee_free(t[i]);
}

static void election_key_once(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_box *box = NULL;
	char *commits[3], *reveals[3], *results[3], *swapped[3];
	tv_election_key got, direct;
	tv_box_status st;
	uint8_t f[32];
	(void)state;

	assert_ok(ctx, tv_box_open(ctx, &box, dir));
	assert_status(ctx, tv_box_election_key(ctx, &got, box), TV_ERR_STATE);
	assert_status(ctx, tv_box_election_key_point(ctx, &got.key, box), TV_ERR_STATE);
	/* bound to the credential authority's signed list (SPEC §11.6) */
	assert_ok(ctx, tv_box_ceremony_context(ctx, f, box));
	run_ceremony(ctx, f, commits, reveals, results);
	/* a transcript that does not verify is refused and changes nothing:
	 * trustee 2's result twice, trustee 1's missing */
	swapped[0] = results[1];
	swapped[1] = results[1];
	swapped[2] = results[2];
	assert_status(ctx, tv_box_set_election_key(ctx, box, (const char *const *)commits,
	                                           (const char *const *)reveals,
	                                           (const char *const *)swapped, 3),
	              TV_ERR_CEREMONY_INVALID);
	assert_status(ctx, tv_box_set_election_key(ctx, box, (const char *const *)commits,
	                                           (const char *const *)reveals,
	                                           (const char *const *)results, 2),
	              TV_ERR_CEREMONY_INVALID);
	assert_ok(ctx, tv_box_get_status(ctx, &st, box));
	assert_false(st.election_key_ready);
	/* the verified one is recorded: the key the transcript proves */
	assert_ok(ctx, tv_box_set_election_key(ctx, box, (const char *const *)commits,
	                                       (const char *const *)reveals,
	                                       (const char *const *)results, 3));
	assert_ok(ctx, tv_ceremony_verify(ctx, &direct, f, 3, 2, (const char *const *)commits, 3,
	                                  (const char *const *)reveals, 3,
	                                  (const char *const *)results, 3));
	assert_ok(ctx, tv_box_election_key(ctx, &got, box));
	assert_true(tv_point_equal(&got.key, &direct.key));
	{
		tv_point k;

		memset(&k, 0, sizeof(k));
		assert_ok(ctx, tv_box_election_key_point(ctx, &k, box));
		assert_true(tv_point_equal(&k, &direct.key));
		assert_status(ctx, tv_box_election_key_point(ctx, NULL, box),
		              TV_ERR_INVALID_ARGUMENT);
	}
	assert_int_equal(got.trustees, 3);
	assert_int_equal(got.threshold, 2);
	for (int i = 0; i < 3; i++)
		assert_true(tv_point_equal(&got.verification_key[i], &direct.verification_key[i]));
	assert_status(ctx, tv_box_set_election_key(ctx, box, (const char *const *)commits,
	                                           (const char *const *)reveals,
	                                           (const char *const *)results, 3),
	              TV_ERR_STATE);
	assert_ok(ctx, tv_box_get_status(ctx, &st, box));
	assert_true(st.election_key_ready);
	for (int i = 0; i < 3; i++) {
		tv_free(ctx, commits[i]);
		tv_free(ctx, reveals[i]);
		tv_free(ctx, results[i]);
	}
	tv_box_free(box);
	tv_ctx_free(ctx);
}

/* SPEC §14.5: the audit log read back, filtered */
typedef struct log_seen {
	int rows;
	char events[16][32];
	int stop_after;
} log_seen;

static int on_audit(const tv_audit_event *e, void *payload)
{
	log_seen *s = payload;

	assert_true(e->at > 0);
	assert_true(e->seq >= 1);
	if (s->rows < 16)
		snprintf(s->events[s->rows], sizeof(s->events[0]), "%s", e->event);
	s->rows++;
	return s->stop_after != 0 && s->rows >= s->stop_after;
}

static void audit_log_and_backup(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_box *box = NULL, *copy_box = NULL;
	log_seen seen;
	char copy[300], sub[300], moved[400], cmd[400];
	uint64_t entries = 99;
	struct stat sb;
	(void)state;

	assert_ok(ctx, tv_box_open(ctx, &box, dir));
	memset(&seen, 0, sizeof(seen));
	assert_ok(ctx, tv_box_audit_log(ctx, box, INT64_MIN, INT64_MAX, NULL, on_audit, &seen));
	assert_true(seen.rows >= 4);
	assert_string_equal(seen.events[0], "init");
	assert_string_equal(seen.events[seen.rows - 1], "election-key");
	memset(&seen, 0, sizeof(seen));
	assert_ok(ctx, tv_box_audit_log(ctx, box, INT64_MIN, INT64_MAX, "init", on_audit, &seen));
	assert_int_equal(seen.rows, 1);
	memset(&seen, 0, sizeof(seen));
	assert_ok(ctx, tv_box_audit_log(ctx, box, INT64_MIN, 0, NULL, on_audit, &seen));
	assert_int_equal(seen.rows, 0);
	memset(&seen, 0, sizeof(seen));
	seen.stop_after = 1;
	assert_status(ctx, tv_box_audit_log(ctx, box, INT64_MIN, INT64_MAX, NULL, on_audit, &seen),
	              TV_ERR_IO);
	assert_int_equal(seen.rows, 1);

	/* a copy that opens as this election's box */
	snprintf(copy, sizeof(copy), "%s/copy.db", dir);
	assert_ok(ctx, tv_box_backup(ctx, &entries, box, copy, NULL, NULL));
	assert_int_equal(entries, 0);
	assert_int_equal(stat(copy, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(sub, sizeof(sub), "%s/restored", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(moved, sizeof(moved), "%s/%s", sub, TV_BOX_FILE);
	assert_int_equal(rename(copy, moved), 0);
	assert_ok(ctx, tv_box_open(ctx, &copy_box, sub));
	assert_memory_equal(tv_manifest_election_id(tv_box_manifest(copy_box)), "testshire-2027", 14);
	tv_box_free(copy_box);
	/* never over a file, nor a symbolic link */
	assert_status(ctx, tv_box_backup(ctx, NULL, box, moved, NULL, NULL), TV_ERR_EXISTS);
	snprintf(copy, sizeof(copy), "%s/link.db", dir);
	assert_int_equal(symlink("/nonexistent-target", copy), 0);
	assert_status(ctx, tv_box_backup(ctx, NULL, box, copy, NULL, NULL), TV_ERR_EXISTS);
	unlink(copy);
	/* a folder that does not exist: TV_ERR_IO, nothing made */
	snprintf(copy, sizeof(copy), "%s/no-such/copy.db", dir);
	assert_status(ctx, tv_box_backup(ctx, NULL, box, copy, NULL, NULL), TV_ERR_IO);
	snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -q 'tmp-'", dir);
	assert_int_not_equal(system(cmd), 0);
	tv_box_free(box);
	tv_ctx_free(ctx);
}

static void create_in_unwritable_place_leaves_nothing(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = demo_manifest(ctx);
	tv_box *box = NULL;
	char sub[300];
	(void)state;

	snprintf(sub, sizeof(sub), "%s/no/such/parent", dir);
	assert_status(ctx, tv_box_create(ctx, &box, sub, m), TV_ERR_IO);
	assert_non_null(strstr(tv_ctx_last_error(ctx), sub));
	assert_null(box);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_open_and_refuse_twice),
		cmocka_unit_test(open_refuses_what_is_not_a_box),
		cmocka_unit_test(register_then_credentials),
		cmocka_unit_test(election_key_once),
		cmocka_unit_test(audit_log_and_backup),
		cmocka_unit_test(create_in_unwritable_place_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
