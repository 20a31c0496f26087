/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Ballot papers in the box (SPEC §15.8): the authority's signed list and
 * the papers' locks imported before voting opens, a paper opened with its
 * identifier when it is cast, and the openings of the papers not cast
 * imported after close.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <jansson.h>

#include "box_internal.h"
#include "json_util.h"
#include "tenantvote/paper.h"

/* the longest line of the paper file: 17 ballots of 16 options, in hex */
#define PAPER_LINE_MAX ((size_t)1 << 20)

tv_status tv__box_paper_list(tv_box *box, int *has, uint8_t digest[32], uint8_t signature[64])
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	*has = 0;
	if ((status = tv__box_prepare(box, &st, "SELECT digest, signature FROM paper_list "
	                                         "WHERE id = 1")) != TV_OK)
		return status;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != 32 || sqlite3_column_bytes(st, 1) != 64) {
			status = tv__fail(box->ctx, TV_ERR_DATABASE, "ballot box: damaged paper list");
		} else {
			*has = 1;
			memcpy(digest, sqlite3_column_blob(st, 0), 32);
			if (signature != NULL)
				memcpy(signature, sqlite3_column_blob(st, 1), 64);
		}
	} else if (rc != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "reading the paper list");
	}
	sqlite3_finalize(st);
	return status;
}

tv_status tv__box_start_head(tv_box *box, uint8_t head[32])
{
	uint8_t list[32];
	int has;
	tv_status status;

	if ((status = tv__box_paper_list(box, &has, list, NULL)) != TV_OK)
		return status;
	return has ? tv__paper_start_head(box->ctx, head, box->fingerprint, list)
	           : tv__board_start_head(box->ctx, head, box->fingerprint);
}

tv_status tv_box_paper_count(tv_ctx *ctx, size_t *count, tv_box *box)
{
	int64_t n = 0;
	tv_status status;

	if (ctx == NULL || count == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_paper_count: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_query_int(box, "SELECT count(*) FROM paper", &n)) == TV_OK)
		*count = (size_t)n;
	return status;
}

/* ------------------------------------------------------------- import */

typedef struct header {
	uint8_t election[32], authority[32], signature[64];
	uint64_t papers;
} header;

static tv_status read_header(tv_ctx *ctx, header *h, const char *line, size_t len)
{
	static const char *const keys[] = { "format", "election", "authority", "papers",
	                                    "signature" };
	json_t *root;
	tv__jr r;
	tv_status status;

	tv__jr_init(&r, ctx, TV_OK, "paper file line 1");
	if ((root = tv__jr_load(&r, &status, line, len, PAPER_LINE_MAX)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 5, 1)) == TV_OK &&
	    (status = tv__jr_format(&r, root, NULL, TV_PAPER_BOX_FORMAT)) == TV_OK &&
	    (status = tv__jr_hex(&r, h->election, 32, root, "election", NULL)) == TV_OK &&
	    (status = tv__jr_hex(&r, h->authority, 32, root, "authority", NULL)) == TV_OK &&
	    (status = tv__jr_uint(&r, &h->papers, root, "papers", NULL, 1, 1000000)) == TV_OK)
		status = tv__jr_hex(&r, h->signature, 64, root, "signature", NULL);
	json_decref(root);
	return status;
}

typedef struct paper_row {
	uint8_t handle[32], commit[32];
	tv_point credential;
	uint8_t *lock;
	size_t lock_len;
} paper_row;

static tv_status read_paper(tv_ctx *ctx, paper_row *p, const char *line, size_t len,
                            uint64_t lineno)
{
	static const char *const keys[] = { "paper", "credential", "commit", "lock" };
	const char *hex;
	size_t hex_len;
	json_t *root;
	tv__jr r;
	tv_status status;

	p->lock = NULL;
	tv__jr_init(&r, ctx, TV_OK, "paper file line %" PRIu64, lineno);
	if ((root = tv__jr_load(&r, &status, line, len, PAPER_LINE_MAX)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 4, 1)) == TV_OK &&
	    (status = tv__jr_hex(&r, p->handle, 32, root, "paper", NULL)) == TV_OK &&
	    (status = tv__jr_point(&r, &p->credential, root, "credential", NULL)) == TV_OK &&
	    (status = tv__jr_hex(&r, p->commit, 32, root, "commit", NULL)) == TV_OK &&
	    (status = tv__jr_string(&r, &hex, &hex_len, root, "lock", NULL, PAPER_LINE_MAX)) ==
	            TV_OK) {
		if (hex_len % 2 != 0 || hex_len < 2 * 17)
			status = tv__fail(ctx, TV_ERR_ENCODING, "paper file line %" PRIu64 ": lock is "
			                  "not a lock", lineno);
		else if ((p->lock = tv__alloc(ctx, hex_len / 2)) == NULL)
			status = tv__fail(ctx, TV_ERR_NOMEM, "cannot hold a paper's lock");
		else if ((status = tv__hex_decode(ctx, p->lock, hex_len / 2, hex, hex_len,
		                                  "lock")) == TV_OK)
			p->lock_len = hex_len / 2;
		else if (status != TV_ERR_NOMEM)
			status = tv__fail(ctx, TV_ERR_ENCODING, "paper file line %" PRIu64 ": %s", lineno,
			                  tv_ctx_last_error(ctx));
	}
	if (status != TV_OK) {
		tv__free(ctx, p->lock);
		p->lock = NULL;
	}
	json_decref(root);
	return status;
}

tv_status tv_box_import_papers(tv_ctx *ctx, size_t *papers, tv_box *box, const char *path)
{
	uint8_t authority[32], list[32], want[32], prev[32];
	sqlite3_stmt *ins = NULL, *cred = NULL;
	char *line = NULL, detail[128];
	size_t cap = 0;
	uint64_t lineno = 0, n = 0;
	header h;
	tv__hash ph;
	int hashing = 0, has;
	box_state s;
	ssize_t got;
	tv_status status;
	FILE *in = NULL;
	int rc;

	if (ctx == NULL || box == NULL || path == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_import_papers: NULL argument");
	box->ctx = ctx;
	if ((in = fopen(path, "re")) == NULL)
		return tv__fail(ctx, TV_ERR_IO, "cannot read %s: %s", path, strerror(errno));
	if ((status = tv__box_begin(box)) != TV_OK)
		goto done;
	if ((status = tv__box_read_state(box, &s)) != TV_OK ||
	    (status = tv__box_paper_list(box, &has, want, NULL)) != TV_OK)
		goto out;
	if (s.phase != TV_PHASE_SETUP || !s.credentials_issued || !s.key_ready || has) {
		status = tv__fail(ctx, TV_ERR_STATE, s.phase != TV_PHASE_SETUP
		                  ? "voting has opened: papers are imported only before it opens"
		                  : has ? "papers were imported already"
		                        : "papers are imported after the credentials and the "
		                          "election key, before voting opens");
		goto out;
	}
	if ((status = tv__box_authority(box, authority, NULL, list, NULL)) != TV_OK)
		goto out;
	if ((got = getline(&line, &cap, in)) <= 0 || line[got - 1] != '\n') {
		status = tv__fail(ctx, TV_ERR_ENCODING, "%s: the first line is missing or cut off",
		                  path);
		goto out;
	}
	if ((status = read_header(ctx, &h, line, (size_t)got - 1)) != TV_OK)
		goto out;
	lineno = 1;
	if (memcmp(h.election, box->fingerprint, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "%s is another election's papers", path);
		goto out;
	}
	if (memcmp(h.authority, authority, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_SIGNATURE_INVALID, "%s was made by another credential "
		                  "authority than the one whose list the box holds", path);
		goto out;
	}
	if ((status = tv__paper_list_begin(&ph, ctx, box->fingerprint, authority, list,
	                                   h.papers)) != TV_OK)
		goto out;
	hashing = 1;
	if ((status = tv__box_prepare(box, &ins, "INSERT INTO paper (handle, credential, "
	                                         "commitment, lock) VALUES (?, ?, ?, ?)")) != TV_OK ||
	    (status = tv__box_prepare(box, &cred, "SELECT (SELECT count(*) FROM credential WHERE "
	                                          "public_key = ?1 AND added_at IS NULL), "
	                                          "(SELECT count(*) FROM paper WHERE "
	                                          "credential = ?1)")) != TV_OK)
		goto out;
	while ((got = getline(&line, &cap, in)) > 0) {
		paper_row p;

		lineno++;
		if (line[got - 1] != '\n') {
			status = tv__fail(ctx, TV_ERR_ENCODING, "%s line %" PRIu64 " is cut off", path,
			                  lineno);
			goto out;
		}
		if ((size_t)got > PAPER_LINE_MAX) {
			status = tv__fail(ctx, TV_ERR_ENCODING, "%s line %" PRIu64 " is over 1 MiB", path,
			                  lineno);
			goto out;
		}
		if (n == h.papers) {
			status = tv__fail(ctx, TV_ERR_ENCODING, "%s has more than the %" PRIu64
			                  " papers its first line says", path, h.papers);
			goto out;
		}
		if ((status = read_paper(ctx, &p, line, (size_t)got - 1, lineno)) != TV_OK)
			goto out;
		if (n > 0 && memcmp(prev, p.handle, 32) >= 0) {
			tv__free(ctx, p.lock);
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "%s line %" PRIu64 ": the papers are "
			                  "not in ascending order of their handles", path, lineno);
			goto out;
		}
		memcpy(prev, p.handle, 32);
		sqlite3_reset(cred);
		sqlite3_bind_blob(cred, 1, p.credential.bytes, TV_POINT_BYTES, SQLITE_TRANSIENT);
		if ((rc = sqlite3_step(cred)) != SQLITE_ROW) {
			tv__free(ctx, p.lock);
			status = tv__box_db_fail(box, box->db, rc, "checking a paper's credential");
			goto out;
		}
		if (sqlite3_column_int(cred, 0) != 1 || sqlite3_column_int(cred, 1) != 0) {
			tv__free(ctx, p.lock);
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "%s line %" PRIu64 ": %s", path,
			                  lineno, sqlite3_column_int(cred, 0) != 1
			                  ? "the paper's credential is not on the authority's signed list"
			                  : "a second paper for one credential");
			goto out;
		}
		tv__paper_list_add(&ph, p.handle, &p.credential, p.commit);
		sqlite3_reset(ins);
		sqlite3_bind_blob(ins, 1, p.handle, 32, SQLITE_TRANSIENT);
		sqlite3_bind_blob(ins, 2, p.credential.bytes, TV_POINT_BYTES, SQLITE_TRANSIENT);
		sqlite3_bind_blob(ins, 3, p.commit, 32, SQLITE_TRANSIENT);
		sqlite3_bind_blob(ins, 4, p.lock, (int)p.lock_len, SQLITE_TRANSIENT);
		rc = sqlite3_step(ins);
		tv__free(ctx, p.lock);
		if (rc != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "storing a paper");
			goto out;
		}
		n++;
	}
	if (ferror(in)) {
		status = tv__fail(ctx, TV_ERR_IO, "cannot read %s", path);
		goto out;
	}
	if (n != h.papers) {
		status = tv__fail(ctx, TV_ERR_ENCODING, "%s has %" PRIu64 " papers, not the %" PRIu64
		                  " its first line says", path, n, h.papers);
		goto out;
	}
	hashing = 0;
	if ((status = tv__hash_final(&ph, want)) != TV_OK)
		goto out;
	{
		tv_ed25519_public_key a;
		tv_ed25519_signature sig;

		memcpy(a.bytes, authority, 32);
		memcpy(sig.bytes, h.signature, 64);
		if (tv_ed25519_verify(ctx, &sig, &a, want, 32) != TV_OK) {
			status = tv__fail(ctx, TV_ERR_SIGNATURE_INVALID, "%s: the credential authority's "
			                  "signature on the list of %" PRIu64 " papers does not verify",
			                  path, n);
			goto out;
		}
	}
	sqlite3_finalize(ins);
	ins = NULL;
	if ((status = tv__box_prepare(box, &ins, "INSERT INTO paper_list (id, digest, signature, "
	                                         "papers) VALUES (1, ?, ?, ?)")) != TV_OK)
		goto out;
	sqlite3_bind_blob(ins, 1, want, 32, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 2, h.signature, 64, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 3, (sqlite3_int64)n);
	if ((rc = sqlite3_step(ins)) != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "storing the paper list");
		goto out;
	}
	snprintf(detail, sizeof(detail), "%" PRIu64 " ballot papers", n);
	if ((status = tv__box_audit(box, "papers-imported", detail)) != TV_OK)
		goto out;
	sqlite3_finalize(ins);
	sqlite3_finalize(cred);
	ins = cred = NULL;
	if ((status = tv__box_commit(box)) == TV_OK && papers != NULL)
		*papers = (size_t)n;
	goto done;
out:
	if (hashing)
		tv__hash_abort(&ph);
	sqlite3_finalize(ins);
	sqlite3_finalize(cred);
	tv__box_rollback(box);
done:
	free(line);
	if (in != NULL)
		fclose(in);
	return status;
}

/* ------------------------------------------------------------ casting */

tv_status tv__box_paper_unlock(tv_box *box, tv__box_paper *out, const char id[TV__PAPER_SYMBOLS],
                               const uint8_t handle[32])
{
	tv_ctx *ctx = box->ctx;
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	memset(out, 0, sizeof(*out));
	memcpy(out->handle, handle, 32);
	memcpy(out->id, id, TV__PAPER_SYMBOLS);
	if ((status = tv__box_prepare(box, &st, "SELECT credential, commitment, lock, "
	                                        "coalesce(cast_at, 0), opening IS NOT NULL "
	                                        "FROM paper WHERE handle = ?")) != TV_OK)
		return status;
	sqlite3_bind_blob(st, 1, handle, 32, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		out->found = 0;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		status = tv__box_db_fail(box, box->db, rc, "reading a paper");
		goto out;
	}
	if (sqlite3_column_bytes(st, 0) != TV_POINT_BYTES || sqlite3_column_bytes(st, 1) != 32) {
		status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: damaged paper");
		goto out;
	}
	out->found = 1;
	memcpy(out->credential.bytes, sqlite3_column_blob(st, 0), TV_POINT_BYTES);
	out->cast_at = sqlite3_column_int64(st, 3);
	out->opened = sqlite3_column_int(st, 4);
	if (out->cast_at != 0 || out->opened)
		goto out;
	{
		uint32_t answer[TV__PAPER_ANSWERS_MAX];

		out->answers = tv__paper_answers(box->manifest, answer);
	}
	status = tv__paper_unlock(ctx, out->ballots, out->digests, box->fingerprint, box->manifest,
	                          id, handle, &out->credential, sqlite3_column_blob(st, 1),
	                          sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2));
	if (status == TV_OK)
		for (uint32_t k = 0; k < out->answers; k++)
			tv__paper_short_code(out->code[k], out->digests[k]);
out:
	sqlite3_finalize(st);
	return status;
}

void tv__box_paper_clear(tv__box_paper *p)
{
	for (uint32_t k = 0; k < TV__PAPER_ANSWERS_MAX; k++) {
		tv_ballot_free(p->ballots[k]);
		p->ballots[k] = NULL;
	}
}

/* ------------------------------------------------------------ openings */

tv_status tv_box_import_openings(tv_ctx *ctx, size_t *opened, tv_box *box, const char *json,
                                 size_t len)
{
	uint8_t (*list)[32] = NULL, authority[32], plist[32], head[32];
	sqlite3_stmt *st = NULL, *up = NULL;
	tv_election_key key;
	tv__openings_seal seal;
	uint64_t entries;
	size_t count = 0;
	char detail[128];
	box_state s;
	int has;
	int64_t sealed = 0;
	tv_status status;
	int rc;

	if (ctx == NULL || box == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_import_openings: NULL argument");
	box->ctx = ctx;
	if ((status = tv__paper_openings_from_json(ctx, &list, &count, &seal, box->fingerprint, json,
	                                           len)) != TV_OK ||
	    (status = tv_box_election_key(ctx, &key, box)) != TV_OK)
		goto done;
	if ((status = tv__box_begin(box)) != TV_OK)
		goto done;
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		goto out;
	if (s.phase != TV_PHASE_CLOSED) {
		status = tv__fail(ctx, TV_ERR_STATE, "papers are opened only once voting is closed");
		goto out;
	}
	/* the authority's signature, over the openings and the closed board it
	 * checked: that board must be this one (§15.8.6) */
	if ((status = tv__box_paper_list(box, &has, plist, NULL)) != TV_OK ||
	    (status = tv__box_authority(box, authority, NULL, NULL, NULL)) != TV_OK ||
	    (status = tv__board_tip(box, &entries, head)) != TV_OK ||
	    (status = tv__box_query_int(box, "SELECT count(*) FROM paper_list WHERE "
	                                     "opened_signature IS NOT NULL", &sealed)) != TV_OK)
		goto out;
	if (!has) {
		status = tv__fail(ctx, TV_ERR_STATE, "this election has no ballot papers");
		goto out;
	}
	if (sealed != 0) {
		status = tv__fail(ctx, TV_ERR_STATE, "the openings were imported already: the "
		                  "authority opens the papers once");
		goto out;
	}
	if (seal.entries != entries || memcmp(seal.head, head, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the openings were made against another "
		                  "board (%llu entries) than this closed one (%llu entries): nothing "
		                  "is opened", (unsigned long long)seal.entries,
		                  (unsigned long long)entries);
		goto out;
	}
	if ((status = tv__paper_openings_verify(ctx, box->fingerprint, authority, plist, &seal,
	                                        (const uint8_t (*)[32])list, count)) != TV_OK)
		goto out;
	/* a paper cast as a ballot is never opened: a rejected one is (§15.8.6) */
	if ((status = tv__box_prepare(box, &st, "SELECT p.credential, p.commitment, "
	                                        "coalesce((SELECT b.position FROM board b WHERE "
	                                        "b.position = p.cast_at AND b.kind = 6), 0), "
	                                        "p.opening IS NOT NULL "
	                                        "FROM paper p WHERE p.handle = ?")) != TV_OK ||
	    (status = tv__box_prepare(box, &up, "UPDATE paper SET opening = ? WHERE handle = ?")) !=
	            TV_OK)
		goto out;
	for (size_t i = 0; i < count; i++) {
		tv__paper p;
		tv_point x;
		uint8_t c[32];
		char printed[TV_PAPER_ID_TEXT_LEN + 1];

		if ((status = tv__paper_from_opening(ctx, &p, box->fingerprint, box->manifest, &key.key,
		                                     list[i])) != TV_OK)
			goto out;
		tv__paper_id_print(printed, p.id);
		sqlite3_reset(st);
		sqlite3_bind_blob(st, 1, p.handle, 32, SQLITE_TRANSIENT);
		if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "opening %zu is of paper %s, which "
			                  "this election did not issue", i + 1, printed);
			goto out;
		}
		if (rc != SQLITE_ROW) {
			status = tv__box_db_fail(box, box->db, rc, "reading a paper");
			goto out;
		}
		if (sqlite3_column_int64(st, 2) != 0) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "opening %zu is of paper %s, which "
			                  "was cast at position %lld: a cast paper is never opened",
			                  i + 1, printed, (long long)sqlite3_column_int64(st, 2));
			goto out;
		}
		if (sqlite3_column_int(st, 3)) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "opening %zu: paper %s is opened "
			                  "already", i + 1, printed);
			goto out;
		}
		memcpy(x.bytes, sqlite3_column_blob(st, 0), TV_POINT_BYTES);
		if ((status = tv__paper_commit(ctx, c, box->fingerprint, p.handle, &x, p.answers,
		                               (const uint8_t (*)[32])p.digest)) != TV_OK)
			goto out;
		if (memcmp(c, sqlite3_column_blob(st, 1), 32) != 0 || !p.distinct) {
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "opening %zu: paper %s's answers "
			                  "are not what the credential authority committed", i + 1,
			                  printed);
			goto out;
		}
		sqlite3_reset(up);
		sqlite3_bind_blob(up, 1, list[i], 32, SQLITE_TRANSIENT);
		sqlite3_bind_blob(up, 2, p.handle, 32, SQLITE_TRANSIENT);
		if ((rc = sqlite3_step(up)) != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "storing an opening");
			goto out;
		}
	}
	sqlite3_finalize(up);
	up = NULL;
	if ((status = tv__box_prepare(box, &up, "UPDATE paper_list SET opened_entries = ?, "
	                                        "opened_head = ?, opened_signature = ? "
	                                        "WHERE id = 1")) != TV_OK)
		goto out;
	sqlite3_bind_int64(up, 1, (sqlite3_int64)seal.entries);
	sqlite3_bind_blob(up, 2, seal.head, 32, SQLITE_STATIC);
	sqlite3_bind_blob(up, 3, seal.signature, 64, SQLITE_STATIC);
	if ((rc = sqlite3_step(up)) != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "storing the authority's seal");
		goto out;
	}
	snprintf(detail, sizeof(detail), "%zu papers not cast opened", count);
	if ((status = tv__box_audit(box, "papers-opened", detail)) != TV_OK)
		goto out;
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	st = up = NULL;
	if ((status = tv__box_commit(box)) == TV_OK && opened != NULL)
		*opened = count;
	goto done;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	tv__box_rollback(box);
done:
	tv__free(ctx, list);
	return status;
}
