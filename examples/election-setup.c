/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The returning officer's set-up, through the public API only (see
 * election-setup.h). The order is the election's: manifest, register,
 * credentials, key ceremony, the box key on disk, then voting opens.
 */
/* mkdtemp(), nftw() */
#define _XOPEN_SOURCE 700

#include "election-setup.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

int example_fail(tv_ctx *ctx, const char *doing, tv_status st)
{
	/* tv_status_str() is the kind of failure; tv_ctx_last_error() says
	 * what was wrong and where */
	fprintf(stderr, "%s: %s: %s\n", doing, tv_status_str(st), tv_ctx_last_error(ctx));
	return 1;
}

int example_wrong(const char *what)
{
	fprintf(stderr, "FAILED: %s\n", what);
	return 1;
}

/* the letter printer: called once per tenant, then once with NULLs to say
 * every letter is written (a real one flushes and syncs its file then) */
static int keep_letter(const tv_tenant *tenant, const char *code, void *payload)
{
	example_election *e = payload;

	if (tenant == NULL)
		return 0;
	if (e->letters >= EXAMPLE_TENANTS)
		return 1; /* non-zero stops the issue: nothing is stored */
	snprintf(e->codes[e->letters++], sizeof(e->codes[0]), "%s", code);
	return 0;
}

static void print_problem(uint32_t line, const char *message, void *payload)
{
	(void)payload;
	fprintf(stderr, "register line %u: %s\n", line, message);
}

/* a one-trustee key ceremony (SPEC §12): in real life each trustee runs
 * tv_trustee_new/commit/reveal/combine on their own machine from the
 * ceremony kit, and the officer records the transcript */
static int key_ceremony(example_election *e)
{
	uint8_t context[32];
	tv_trustee *t = NULL;
	char *commit = NULL, *reveal = NULL, *result = NULL;
	tv_status st;
	int rc = 1;

	if ((st = tv_box_ceremony_context(e->ctx, context, e->box)) != TV_OK ||
	    (st = tv_trustee_new(e->ctx, &t, context, 1, 1, 1)) != TV_OK ||
	    (st = tv_trustee_commit(e->ctx, &commit, t)) != TV_OK ||
	    (st = tv_trustee_reveal(e->ctx, &reveal, t, (const char *const *)&commit, 1)) != TV_OK ||
	    (st = tv_trustee_combine(e->ctx, &result, NULL, t, (const char *const *)&commit, 1,
	                             (const char *const *)&reveal, 1)) != TV_OK ||
	    (st = tv_box_set_election_key(e->ctx, e->box, (const char *const *)&commit,
	                                  (const char *const *)&reveal,
	                                  (const char *const *)&result, 1)) != TV_OK ||
	    (st = tv_box_election_key(e->ctx, &e->key, e->box)) != TV_OK)
		example_fail(e->ctx, "the key ceremony", st);
	else
		rc = 0;
	tv_free(e->ctx, commit);
	tv_free(e->ctx, reveal);
	tv_free(e->ctx, result);
	tv_trustee_free(t); /* wipes the trustee's secrets */
	return rc;
}

int example_election_make(example_election *e, tv_ctx *ctx)
{
	static const char register_csv[] =
		"tenancy_ref,name,address,tenancy_type\n"
		"HT001,Siân Ellis,1 Heol y Bont,secure\n"
		"HT002,Gareth Jones,2 Heol y Bont,secure\n"
		"HT003,Ann Davies,3 Stryd Fawr,secure\n"
		"HT004,John Evans,4 Stryd Fawr,introductory\n";
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;
	tv_register *reg = NULL;
	tv_ed25519_secret_key box_key;
	tv_ed25519_public_key box_public;
	const char *tmp = getenv("TMPDIR");
	int64_t now = (int64_t)time(NULL);
	tv_status st;
	int rc = 1;

	memset(e, 0, sizeof(*e));
	e->ctx = ctx;
	snprintf(e->root, sizeof(e->root), "%s/tenantvote-example-XXXXXX",
	         tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(e->root) == NULL) {
		e->root[0] = '\0';
		return example_wrong("cannot make a temporary folder");
	}
	snprintf(e->dir, sizeof(e->dir), "%s/election", e->root);
	snprintf(e->key_file, sizeof(e->key_file), "%s/box-key.secret", e->dir);

	/* 1. the manifest: what is asked, how it is counted, when, by whom */
	o.election_id = "example-transfer-2027";
	o.council = "Example County Council";
	o.landlord = "Example Community Homes";
	o.title.en = "Ballot on the transfer of your home";
	o.title.cy = "Pleidlais ar drosglwyddo eich cartref";
	o.question.en = "Are you in favour of the transfer?";
	o.question.cy = "Ydych chi o blaid y trosglwyddiad?";
	o.option_count = 2;
	o.options[0].en = "Yes";
	o.options[0].cy = "Ydw";
	o.options[1].en = "No";
	o.options[1].cy = "Nac ydw";
	o.transfer_option = 1;
	o.allow_blank = 1;
	o.opens = now - 3600;
	o.closes = now + 7 * 86400;
	o.trustees = 1;
	o.threshold = 1;
	if ((st = tv_manifest_new(ctx, &m, &o)) != TV_OK ||
	    (st = tv_box_create(ctx, &e->box, e->dir, m)) != TV_OK) {
		example_fail(ctx, "making the election", st);
		goto out;
	}
	e->manifest = tv_box_manifest(e->box);

	/* 2. the register, 3. a credential per tenant (the letters) */
	if ((st = tv_register_parse(ctx, &reg, (const uint8_t *)register_csv,
	                            strlen(register_csv), "register.csv", print_problem,
	                            NULL)) != TV_OK ||
	    (st = tv_box_import_register(ctx, e->box, reg, "register.csv")) != TV_OK ||
	    (st = tv_box_issue_credentials(ctx, e->box, keep_letter, e)) != TV_OK) {
		example_fail(ctx, "the register and credentials", st);
		goto out;
	}
	if (e->letters != EXAMPLE_TENANTS) {
		example_wrong("one letter per tenant");
		goto out;
	}

	/* 4. the key ceremony */
	if (key_ceremony(e) != 0)
		goto out;

	/* 5. the box key: on disk, encrypted, before the box depends on it */
	if ((st = tv_ed25519_keygen(ctx, &box_key, &box_public)) != TV_OK ||
	    (st = tv_secretfile_write(ctx, e->key_file, box_key.bytes, sizeof(box_key.bytes),
	                              EXAMPLE_BOX_PASSPHRASE, strlen(EXAMPLE_BOX_PASSPHRASE),
	                              NULL)) != TV_OK ||
	    (st = tv_box_open_voting(ctx, e->box, &box_key)) != TV_OK) {
		example_fail(ctx, "opening voting", st);
		tv_ed25519_secret_wipe(&box_key);
		goto out;
	}
	tv_ed25519_secret_wipe(&box_key);
	rc = 0;
out:
	tv_register_free(reg);
	tv_manifest_free(m); /* the box keeps its own copy */
	return rc;
}

int example_load_box_key(example_election *e, tv_ed25519_secret_key *key)
{
	uint8_t *plain = NULL;
	size_t len = 0;
	tv_status st;

	st = tv_secretfile_read(e->ctx, &plain, &len, e->key_file, EXAMPLE_BOX_PASSPHRASE,
	                        strlen(EXAMPLE_BOX_PASSPHRASE));
	if (st != TV_OK)
		return example_fail(e->ctx, "reading the ballot box key", st);
	/* SPEC §13.5.1: exactly the 32-byte Ed25519 seed */
	if (len != sizeof(key->bytes)) {
		tv_secret_free(e->ctx, plain, len);
		return example_wrong("box-key.secret holds a 32-byte key");
	}
	memcpy(key->bytes, plain, len);
	tv_secret_free(e->ctx, plain, len); /* wipes, then frees */
	return 0;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void example_election_free(example_election *e)
{
	tv_box_free(e->box);
	e->box = NULL;
	OPENSSL_cleanse(e->codes, sizeof(e->codes));
	if (e->root[0] != '\0')
		nftw(e->root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	e->root[0] = '\0';
}
