/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §14: the ballot box, one SQLite database per election folder.
 * Every change is a single IMMEDIATE transaction in WAL mode with
 * synchronous=FULL, so it is durable when the call returns, and a crash at
 * any instant leaves either the old state or the new one.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "box_internal.h"
#include "tenantvote/box.h"

#define SCHEMA_VERSION 8


/* Schema migrations: migrations[v] takes a box from version v to v + 1. */
static const char *const migrations[SCHEMA_VERSION] = {
	/* 0 -> 1 */
	"CREATE TABLE election ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  manifest_json TEXT NOT NULL,"
	"  fingerprint BLOB NOT NULL CHECK (length(fingerprint) = 32),"
	"  phase INTEGER NOT NULL CHECK (phase IN (1, 2, 3)),"
	"  created_at TEXT NOT NULL,"
	"  credentials_issued_at TEXT,"
	"  joint_key BLOB CHECK (joint_key IS NULL OR length(joint_key) = 65),"
	"  ceremony_transcript TEXT);"
	"CREATE TABLE register_info ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  source TEXT NOT NULL,"
	"  digest BLOB NOT NULL CHECK (length(digest) = 32),"
	"  tenants INTEGER NOT NULL,"
	"  imported_at TEXT NOT NULL);"
	"CREATE TABLE tenant ("
	"  id INTEGER PRIMARY KEY,"
	"  tenancy_ref TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  tenancy_type INTEGER NOT NULL,"
	"  email TEXT NOT NULL,"
	"  phone TEXT NOT NULL,"
	"  language TEXT NOT NULL,"
	"  source_line INTEGER NOT NULL);"
	/* the public credential of each tenant; the code is never stored */
	"CREATE TABLE credential ("
	"  tenant_id INTEGER PRIMARY KEY REFERENCES tenant(id),"
	"  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 65));"
	"CREATE TABLE trustee_key ("
	"  trustee INTEGER PRIMARY KEY CHECK (trustee >= 1),"
	"  verification_key BLOB NOT NULL CHECK (length(verification_key) = 65));"
	/* who did what when: never how anyone voted */
	"CREATE TABLE audit_log ("
	"  seq INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  event TEXT NOT NULL,"
	"  detail TEXT NOT NULL);",
	/* 1 -> 2: voting (SPEC §15.2) */
	"ALTER TABLE election ADD COLUMN box_key BLOB"
	"  CHECK (box_key IS NULL OR length(box_key) = 32);"
	"ALTER TABLE election ADD COLUMN close_signature BLOB;"
	"CREATE TABLE board ("
	"  position INTEGER PRIMARY KEY CHECK (position >= 1),"
	"  tracking BLOB NOT NULL UNIQUE CHECK (length(tracking) = 32),"
	"  credential BLOB NOT NULL REFERENCES credential(public_key),"
	"  ballot_json TEXT NOT NULL,"
	"  channel INTEGER NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  prev_head BLOB NOT NULL CHECK (length(prev_head) = 32),"
	"  head BLOB NOT NULL CHECK (length(head) = 32));"
	"CREATE INDEX board_by_credential ON board(credential, position);"
	"CREATE TABLE challenged ("
	"  tracking BLOB PRIMARY KEY CHECK (length(tracking) = 32));",
	/* 2 -> 3: spoilt papers and intake batches (SPEC §15.6, §15.7) */
	"ALTER TABLE board ADD COLUMN kind INTEGER NOT NULL DEFAULT 1 CHECK (kind IN (1, 2));"
	"CREATE TABLE intake_row ("
	"  source BLOB PRIMARY KEY CHECK (length(source) = 32),"
	"  position INTEGER NOT NULL UNIQUE REFERENCES board(position));",
	/* 3 -> 4: the credential authority's signed list (SPEC §11.5) */
	"CREATE TABLE credential_authority ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	"  signature BLOB NOT NULL CHECK (length(signature) = 64),"
	"  list_digest BLOB NOT NULL CHECK (length(list_digest) = 32),"
	"  ceremony_context BLOB NOT NULL CHECK (length(ceremony_context) = 32));",
	/*
	 * 4 -> 5: opened (challenged) ballots on the board, kind 3 (SPEC
	 * §15.1.5). A CHECK cannot be altered: board and intake_row, which
	 * refers to it, are made again and their rows copied. Renaming board
	 * first makes intake_row refer to the old table, so nothing refers
	 * to a missing one at any step, with foreign keys on.
	 */
	"ALTER TABLE board RENAME TO board_v3;"
	"ALTER TABLE intake_row RENAME TO intake_row_v3;"
	"DROP INDEX board_by_credential;"
	"CREATE TABLE board ("
	"  position INTEGER PRIMARY KEY CHECK (position >= 1),"
	"  tracking BLOB NOT NULL UNIQUE CHECK (length(tracking) = 32),"
	"  credential BLOB NOT NULL REFERENCES credential(public_key),"
	"  ballot_json TEXT NOT NULL,"
	"  channel INTEGER NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  prev_head BLOB NOT NULL CHECK (length(prev_head) = 32),"
	"  head BLOB NOT NULL CHECK (length(head) = 32),"
	"  kind INTEGER NOT NULL DEFAULT 1 CHECK (kind IN (1, 2, 3)));"
	"CREATE INDEX board_by_credential ON board(credential, position);"
	"INSERT INTO board (position, tracking, credential, ballot_json, channel, received_at,"
	"  prev_head, head, kind) SELECT position, tracking, credential, ballot_json, channel,"
	"  received_at, prev_head, head, kind FROM board_v3;"
	"CREATE TABLE intake_row ("
	"  source BLOB PRIMARY KEY CHECK (length(source) = 32),"
	"  position INTEGER NOT NULL UNIQUE REFERENCES board(position));"
	"INSERT INTO intake_row (source, position) SELECT source, position FROM intake_row_v3;"
	"DROP TABLE intake_row_v3;"
	"DROP TABLE board_v3;"
	/* each opened ballot's ciphertexts: a ballot holding one is never cast */
	"CREATE TABLE opened_ciphertext ("
	"  ciphertext BLOB PRIMARY KEY CHECK (length(ciphertext) = 130),"
	"  position INTEGER NOT NULL REFERENCES board(position));",
	/* 5 -> 6: when voting closed and why, under the close's signature (SPEC §15.4) */
	"ALTER TABLE election ADD COLUMN closed_at INTEGER;"
	"ALTER TABLE election ADD COLUMN close_reason TEXT;",
	/*
	 * 6 -> 7: the credential authority's changes to the list (SPEC §11.7):
	 * board kinds 4 and 5; a tenant may hold more than one credential (a
	 * replacement), each added or revoked at a board position; a late
	 * tenant's row is marked. The four tables that refer to one another
	 * are made again, in the way of 4 -> 5, and their rows copied.
	 */
	"ALTER TABLE opened_ciphertext RENAME TO opened_ciphertext_v5;"
	"ALTER TABLE intake_row RENAME TO intake_row_v5;"
	"ALTER TABLE board RENAME TO board_v5;"
	"ALTER TABLE credential RENAME TO credential_v5;"
	"DROP INDEX board_by_credential;"
	"CREATE TABLE credential ("
	"  id INTEGER PRIMARY KEY,"
	"  tenant_id INTEGER NOT NULL REFERENCES tenant(id),"
	"  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 65),"
	"  added_at INTEGER,"
	"  revoked_at INTEGER);"
	"CREATE INDEX credential_by_tenant ON credential(tenant_id);"
	"INSERT INTO credential (id, tenant_id, public_key) SELECT tenant_id, tenant_id,"
	"  public_key FROM credential_v5;"
	"CREATE TABLE board ("
	"  position INTEGER PRIMARY KEY CHECK (position >= 1),"
	"  tracking BLOB NOT NULL UNIQUE CHECK (length(tracking) = 32),"
	"  credential BLOB NOT NULL REFERENCES credential(public_key),"
	"  ballot_json TEXT NOT NULL,"
	"  channel INTEGER NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  prev_head BLOB NOT NULL CHECK (length(prev_head) = 32),"
	"  head BLOB NOT NULL CHECK (length(head) = 32),"
	"  kind INTEGER NOT NULL DEFAULT 1 CHECK (kind IN (1, 2, 3, 4, 5)));"
	"CREATE INDEX board_by_credential ON board(credential, position);"
	"INSERT INTO board (position, tracking, credential, ballot_json, channel, received_at,"
	"  prev_head, head, kind) SELECT position, tracking, credential, ballot_json, channel,"
	"  received_at, prev_head, head, kind FROM board_v5;"
	"CREATE TABLE intake_row ("
	"  source BLOB PRIMARY KEY CHECK (length(source) = 32),"
	"  position INTEGER NOT NULL UNIQUE REFERENCES board(position));"
	"INSERT INTO intake_row (source, position) SELECT source, position FROM intake_row_v5;"
	"CREATE TABLE opened_ciphertext ("
	"  ciphertext BLOB PRIMARY KEY CHECK (length(ciphertext) = 130),"
	"  position INTEGER NOT NULL REFERENCES board(position));"
	"INSERT INTO opened_ciphertext (ciphertext, position) SELECT ciphertext, position"
	"  FROM opened_ciphertext_v5;"
	"DROP TABLE opened_ciphertext_v5;"
	"DROP TABLE intake_row_v5;"
	"DROP TABLE board_v5;"
	"DROP TABLE credential_v5;"
	"ALTER TABLE tenant ADD COLUMN late INTEGER NOT NULL DEFAULT 0;",
	/*
	 * 7 -> 8: ballot papers (SPEC §15.8): board kinds 6 and 7, the signed
	 * paper list and each paper's commitment and lock, when it was cast
	 * and its opening. board and the two tables that refer to it are made
	 * again, in the way of 4 -> 5.
	 */
	"ALTER TABLE opened_ciphertext RENAME TO opened_ciphertext_v7;"
	"ALTER TABLE intake_row RENAME TO intake_row_v7;"
	"ALTER TABLE board RENAME TO board_v7;"
	"DROP INDEX board_by_credential;"
	"CREATE TABLE board ("
	"  position INTEGER PRIMARY KEY CHECK (position >= 1),"
	"  tracking BLOB NOT NULL UNIQUE CHECK (length(tracking) = 32),"
	"  credential BLOB NOT NULL REFERENCES credential(public_key),"
	"  ballot_json TEXT NOT NULL,"
	"  channel INTEGER NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  prev_head BLOB NOT NULL CHECK (length(prev_head) = 32),"
	"  head BLOB NOT NULL CHECK (length(head) = 32),"
	"  kind INTEGER NOT NULL DEFAULT 1 CHECK (kind IN (1, 2, 3, 4, 5, 6, 7)));"
	"CREATE INDEX board_by_credential ON board(credential, position);"
	"INSERT INTO board (position, tracking, credential, ballot_json, channel, received_at,"
	"  prev_head, head, kind) SELECT position, tracking, credential, ballot_json, channel,"
	"  received_at, prev_head, head, kind FROM board_v7;"
	"CREATE TABLE intake_row ("
	"  source BLOB PRIMARY KEY CHECK (length(source) = 32),"
	"  position INTEGER NOT NULL UNIQUE REFERENCES board(position));"
	"INSERT INTO intake_row (source, position) SELECT source, position FROM intake_row_v7;"
	"CREATE TABLE opened_ciphertext ("
	"  ciphertext BLOB PRIMARY KEY CHECK (length(ciphertext) = 130),"
	"  position INTEGER NOT NULL REFERENCES board(position));"
	"INSERT INTO opened_ciphertext (ciphertext, position) SELECT ciphertext, position"
	"  FROM opened_ciphertext_v7;"
	"DROP TABLE opened_ciphertext_v7;"
	"DROP TABLE intake_row_v7;"
	"DROP TABLE board_v7;"
	"CREATE TABLE paper_list ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  digest BLOB NOT NULL CHECK (length(digest) = 32),"
	"  signature BLOB NOT NULL CHECK (length(signature) = 64),"
	"  papers INTEGER NOT NULL CHECK (papers >= 1),"
	"  opened_entries INTEGER,"
	"  opened_head BLOB CHECK (opened_head IS NULL OR length(opened_head) = 32),"
	"  opened_signature BLOB CHECK (opened_signature IS NULL OR "
	"    length(opened_signature) = 64));"
	"CREATE TABLE paper ("
	"  handle BLOB PRIMARY KEY CHECK (length(handle) = 32),"
	"  credential BLOB NOT NULL UNIQUE REFERENCES credential(public_key),"
	"  commitment BLOB NOT NULL CHECK (length(commitment) = 32),"
	"  lock BLOB NOT NULL,"
	"  cast_at INTEGER UNIQUE REFERENCES board(position),"
	"  opening BLOB CHECK (opening IS NULL OR length(opening) = 32));",
};

/* ---------------------------------------------------------------- errors */

tv_status tv__box_db_fail(tv_box *box, sqlite3 *db, int rc, const char *doing)
{
	tv_ctx *ctx = box ? box->ctx : NULL;
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_FULL:
		return tv__fail(ctx, TV_ERR_IO, "ballot box: %s: the disk is full; nothing of it was "
		                "stored: free some space and run the same command again", doing);
	case SQLITE_IOERR:
		/* a write or fsync that ran out of space is reported as an I/O error */
		if (db != NULL && (sqlite3_system_errno(db) == ENOSPC || sqlite3_system_errno(db) == EDQUOT))
			return tv__fail(ctx, TV_ERR_IO, "ballot box: %s: the disk is full; nothing of "
			                "it was stored: free some space and run the same command again",
			                doing);
		/* fall through */
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return tv__fail(ctx, TV_ERR_IO, "ballot box: %s: %s", doing, msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return tv__fail(ctx, TV_ERR_DATABASE,
		                "ballot box: %s: the box is busy in another process; try again", doing);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return tv__fail(ctx, TV_ERR_DATABASE,
		                "ballot box: %s: the file is damaged or not a tenantvote ballot box (%s)",
		                doing, msg);
	case SQLITE_NOMEM:
		return tv__fail(ctx, TV_ERR_NOMEM, "ballot box: %s: out of memory", doing);
	default:
		return tv__fail(ctx, TV_ERR_DATABASE, "ballot box: %s: %s", doing, msg);
	}
}

/* ----------------------------------------------------------- small helpers */

tv_status tv__box_exec(tv_box *box, const char *sql, const char *doing)
{
	int rc = sqlite3_exec(box->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? TV_OK : tv__box_db_fail(box, box->db, rc, doing);
}

tv_status tv__box_prepare(tv_box *box, sqlite3_stmt **st, const char *sql)
{
	int rc = sqlite3_prepare_v2(box->db, sql, -1, st, NULL);

	return rc == SQLITE_OK ? TV_OK : tv__box_db_fail(box, box->db, rc, "preparing a query");
}

tv_status tv__box_cached(tv_box *box, sqlite3_stmt **st, const char *sql)
{
	size_t i;
	tv_status status;

	for (i = 0; i < TV_BOX_CACHED && box->cached_sql[i] != NULL; i++)
		if (box->cached_sql[i] == sql || strcmp(box->cached_sql[i], sql) == 0) {
			sqlite3_reset(box->cached[i]);
			sqlite3_clear_bindings(box->cached[i]);
			*st = box->cached[i];
			return TV_OK;
		}
	/* the queries kept are a fixed few (board.c): more is a bug */
	if (i == TV_BOX_CACHED)
		return tv__fail(box->ctx, TV_ERR_INTERNAL, "ballot box: too many kept queries");
	if ((status = tv__box_prepare(box, &box->cached[i], sql)) != TV_OK)
		return status;
	box->cached_sql[i] = sql;
	*st = box->cached[i];
	return TV_OK;
}

void tv__box_now_utc(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

tv_status tv__box_begin(tv_box *box)
{
	/* IMMEDIATE: take the write lock now, so the checks below see the
	 * state the change will be made on */
	return tv__box_exec(box, "BEGIN IMMEDIATE", "starting a change");
}

void tv__box_rollback(tv_box *box)
{
	if (box->db != NULL && !sqlite3_get_autocommit(box->db))
		sqlite3_exec(box->db, "ROLLBACK", NULL, NULL, NULL);
}

tv_status tv__box_commit(tv_box *box)
{
	tv_status status = tv__box_exec(box, "COMMIT", "saving the change");

	if (status != TV_OK)
		tv__box_rollback(box);
	return status;
}

tv_status tv__box_audit(tv_box *box, const char *event, const char *detail)
{
	sqlite3_stmt *st = NULL;
	char at[32];
	tv_status status;
	int rc;

	tv__box_now_utc(at);
	if ((status = tv__box_prepare(box, &st, "INSERT INTO audit_log (at, event, detail) VALUES (?, ?, ?)")) != TV_OK)
		return status;
	sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, detail, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? TV_OK : tv__box_db_fail(box, box->db, rc, "writing the audit log");
}

/* one integer from a query with no parameters */
tv_status tv__box_query_int(tv_box *box, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	if ((status = tv__box_prepare(box, &st, sql)) != TV_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		status = tv__box_db_fail(box, box->db, rc, "reading the ballot box");
	sqlite3_finalize(st);
	return status;
}


tv_status tv__box_read_state(tv_box *box, box_state *s)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	if ((status = tv__box_prepare(box, &st, "SELECT phase, credentials_issued_at IS NOT NULL, "
	                                 "joint_key IS NOT NULL, (SELECT count(*) FROM tenant) "
	                                 "FROM election WHERE id = 1")) != TV_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->phase = (tv_phase)sqlite3_column_int(st, 0);
		s->credentials_issued = sqlite3_column_int(st, 1);
		s->key_ready = sqlite3_column_int(st, 2);
		s->tenants = sqlite3_column_int64(st, 3);
	} else if (rc == SQLITE_DONE) {
		status = tv__fail(box->ctx, TV_ERR_DATABASE, "ballot box: no election record in it");
	} else {
		status = tv__box_db_fail(box, box->db, rc, "reading the election's state");
	}
	sqlite3_finalize(st);
	return status;
}

/* ------------------------------------------------------------ open/create */

static tv_status configure(tv_box *box)
{
	tv_status status;

	sqlite3_busy_timeout(box->db, 10000);
	sqlite3_extended_result_codes(box->db, 1);
	/* WAL + FULL: a committed change survives a crash or power loss */
	if ((status = tv__box_exec(box, "PRAGMA journal_mode = WAL", "setting the journal")) != TV_OK ||
	    (status = tv__box_exec(box, "PRAGMA synchronous = FULL", "setting durability")) != TV_OK ||
	    (status = tv__box_exec(box, "PRAGMA foreign_keys = ON", "setting foreign keys")) != TV_OK)
		return status;
	return TV_OK;
}

static tv_status migrate(tv_box *box)
{
	int64_t version = 0;
	tv_status status;

	if ((status = tv__box_query_int(box, "PRAGMA user_version", &version)) != TV_OK)
		return status;
	if (version > SCHEMA_VERSION)
		return tv__fail(box->ctx, TV_ERR_DATABASE,
		                "ballot box: schema version %lld was made by a newer tenantvote "
		                "(this one knows up to %d); use that version",
		                (long long)version, SCHEMA_VERSION);
	while (version < SCHEMA_VERSION) {
		char sql[64];

		if ((status = tv__box_begin(box)) != TV_OK)
			return status;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld", (long long)version + 1);
		if ((status = tv__box_exec(box, migrations[version], "upgrading the ballot box")) != TV_OK ||
		    (status = tv__box_exec(box, sql, "upgrading the ballot box")) != TV_OK ||
		    (status = tv__box_commit(box)) != TV_OK) {
			tv__box_rollback(box);
			return status;
		}
		version++;
	}
	return TV_OK;
}

static char *box_path(tv_ctx *ctx, const char *dir)
{
	size_t len = strlen(dir) + sizeof("/" TV_BOX_FILE);
	char *path = tv__alloc(ctx, len);

	if (path != NULL)
		snprintf(path, len, "%s/%s", dir, TV_BOX_FILE);
	return path;
}

static tv_box *box_alloc(tv_ctx *ctx)
{
	tv_box *box = tv__calloc(ctx, 1, sizeof(*box));

	if (box != NULL)
		box->ctx = ctx;
	return box;
}

tv_status tv_box_create(tv_ctx *ctx, tv_box **out, const char *dir,
                        const tv_manifest *manifest)
{
	tv_box *box = NULL;
	char *path = NULL, *json = NULL;
	size_t json_len = 0;
	sqlite3_stmt *st = NULL;
	char at[32];
	tv_status status;
	int rc, fd, made_file = 0;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || dir == NULL || manifest == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_create: NULL argument");
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return tv__fail(ctx, TV_ERR_IO, "cannot make the election folder %s: %s", dir,
		                strerror(errno));
	if ((path = box_path(ctx, dir)) == NULL || (box = box_alloc(ctx)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
		goto out;
	}
	/*
	 * Make the file ourselves, exclusively and owner-only (it holds the
	 * tenants' names and addresses): a concurrent init in the same folder
	 * then fails here, and on failure we remove only the file we made.
	 */
	fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		status = errno == EEXIST
		                 ? tv__fail(ctx, TV_ERR_EXISTS,
		                            "%s already holds an election (%s); use another folder", dir, path)
		                 : tv__fail(ctx, TV_ERR_IO, "cannot make %s: %s", path, strerror(errno));
		goto out;
	}
	close(fd);
	made_file = 1;
	/* the box keeps its own copy of the manifest, through its JSON form */
	if ((status = tv_manifest_to_json(ctx, &json, &json_len, manifest)) != TV_OK ||
	    (status = tv_manifest_from_json(ctx, &box->manifest, json, json_len)) != TV_OK)
		goto out;
	tv_manifest_fingerprint(box->fingerprint, box->manifest);

	rc = sqlite3_open_v2(path, &box->db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		status = tv__box_db_fail(box, box->db, rc, "creating the ballot box");
		goto out;
	}
	if ((status = configure(box)) != TV_OK || (status = migrate(box)) != TV_OK ||
	    (status = tv__box_begin(box)) != TV_OK)
		goto out;
	tv__box_now_utc(at);
	if ((status = tv__box_prepare(box, &st, "INSERT INTO election (id, manifest_json, fingerprint, "
	                                 "phase, created_at) VALUES (1, ?, ?, ?, ?)")) != TV_OK)
		goto out;
	sqlite3_bind_text(st, 1, json, (int)json_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, box->fingerprint, 32, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, TV_PHASE_SETUP);
	sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "storing the manifest");
		goto out;
	}
	if ((status = tv__box_audit(box, "init", tv_manifest_election_id(box->manifest))) != TV_OK ||
	    (status = tv__box_commit(box)) != TV_OK)
		goto out;
	*out = box;
	box = NULL;
out:
	sqlite3_finalize(st);
	if (box != NULL) {
		tv__box_rollback(box);
		tv_box_free(box);
		if (made_file) {
			/* nothing half-made stays behind */
			char side[4200];

			unlink(path);
			snprintf(side, sizeof(side), "%s-wal", path);
			unlink(side);
			snprintf(side, sizeof(side), "%s-shm", path);
			unlink(side);
		}
	}
	tv__free(ctx, path);
	tv_free(ctx, json);
	return status;
}

tv_status tv_box_open(tv_ctx *ctx, tv_box **out, const char *dir)
{
	tv_box *box = NULL;
	char *path = NULL;
	tv_status status;
	struct stat sb;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || dir == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_open: NULL argument");
	if ((path = box_path(ctx, dir)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (stat(path, &sb) != 0) {
		status = tv__fail(ctx, TV_ERR_IO,
		                  "%s holds no election (no %s); make one with 'tenantvote init %s'",
		                  dir, TV_BOX_FILE, dir);
		goto out;
	}
	status = tv__box_open_file(ctx, out, path);
out:
	tv_box_free(box);
	tv__free(ctx, path);
	return status;
}

tv_status tv__box_open_file(tv_ctx *ctx, tv_box **out, const char *path)
{
	tv_box *box = NULL;
	sqlite3_stmt *st = NULL;
	tv_status status;
	uint8_t stored[32];
	int rc;

	*out = NULL;
	if ((box = box_alloc(ctx)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = sqlite3_open_v2(path, &box->db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		status = tv__box_db_fail(box, box->db, rc, "opening the ballot box");
		goto out;
	}
	if ((status = configure(box)) != TV_OK || (status = migrate(box)) != TV_OK)
		goto out;
	if ((status = tv__box_prepare(box, &st, "SELECT manifest_json, fingerprint FROM election WHERE id = 1")) != TV_OK)
		goto out;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		status = rc == SQLITE_DONE
		                 ? tv__fail(ctx, TV_ERR_DATABASE, "ballot box %s: no election record in it", path)
		                 : tv__box_db_fail(box, box->db, rc, "reading the manifest");
		goto out;
	}
	if (sqlite3_column_bytes(st, 1) != 32) {
		status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box %s: damaged fingerprint", path);
		goto out;
	}
	memcpy(stored, sqlite3_column_blob(st, 1), 32);
	if ((status = tv_manifest_from_json(ctx, &box->manifest,
	                                    (const char *)sqlite3_column_text(st, 0),
	                                    (size_t)sqlite3_column_bytes(st, 0))) != TV_OK)
		goto out;
	tv_manifest_fingerprint(box->fingerprint, box->manifest);
	if (memcmp(stored, box->fingerprint, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_DATABASE,
		                  "ballot box %s: the stored manifest does not match its fingerprint", path);
		goto out;
	}
	*out = box;
	box = NULL;
out:
	sqlite3_finalize(st);
	tv_box_free(box);
	return status;
}

void tv_box_free(tv_box *box)
{
	tv_ctx *ctx;

	if (box == NULL)
		return;
	ctx = box->ctx;
	for (size_t i = 0; i < TV_BOX_CACHED; i++)
		sqlite3_finalize(box->cached[i]);
	if (box->db != NULL)
		sqlite3_close_v2(box->db);
	tv_manifest_free(box->manifest);
	tv__memzero(box, sizeof(*box));
	tv__free(ctx, box);
}

const tv_manifest *tv_box_manifest(const tv_box *box)
{
	return box == NULL ? NULL : box->manifest;
}

tv_status tv_box_get_status(tv_ctx *ctx, tv_box_status *out, tv_box *box)
{
	box_state s;
	int64_t reg = 0, version = 0;
	tv_status status;

	if (ctx == NULL || out == NULL || box == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_get_status: NULL argument");
	box->ctx = ctx;
	if ((status = tv__box_read_state(box, &s)) != TV_OK ||
	    (status = tv__box_query_int(box, "SELECT count(*) FROM register_info", &reg)) != TV_OK ||
	    (status = tv__box_query_int(box, "PRAGMA user_version", &version)) != TV_OK)
		return status;
	memset(out, 0, sizeof(*out));
	out->phase = s.phase;
	out->electorate = (uint32_t)s.tenants;
	if (s.credentials_issued) {
		int64_t live = 0;

		/* the list, plus those added, less those revoked (SPEC §11.7) */
		if ((status = tv__box_query_int(box, "SELECT count(*) FROM credential "
		                                     "WHERE revoked_at IS NULL", &live)) != TV_OK)
			return status;
		out->electorate = (uint32_t)live;
	}
	out->register_imported = reg > 0;
	out->credentials_issued = s.credentials_issued;
	out->election_key_ready = s.key_ready;
	out->schema_version = (uint32_t)version;
	{
		int64_t v = 0;
		static const char *const per_channel[4] = {
			"SELECT count(*) FROM board WHERE channel = 1 AND kind IN (1, 2, 6, 7)",
			"SELECT count(*) FROM board WHERE channel = 2 AND kind IN (1, 2, 6, 7)",
			"SELECT count(*) FROM board WHERE channel = 4 AND kind IN (1, 2, 6, 7)",
			"SELECT count(*) FROM board WHERE channel = 8 AND kind IN (1, 2, 6, 7)",
		};

		/* an opened ballot (kind 3) is no one's vote, nor a change (4, 5) */
		if ((status = tv__box_query_int(box, "SELECT count(*) FROM board WHERE kind IN (1, 2, 6, 7)",
		                                &v)) != TV_OK)
			return status;
		out->ballots = (uint64_t)v;
		if ((status = tv__box_query_int(box, "SELECT count(DISTINCT credential) FROM board "
		                                     "WHERE kind IN (1, 2, 6, 7)", &v)) != TV_OK)
			return status;
		out->voters = (uint64_t)v;
		for (int c = 0; c < 4; c++) {
			if ((status = tv__box_query_int(box, per_channel[c], &v)) != TV_OK)
				return status;
			out->by_channel[c] = (uint64_t)v;
		}
	}
	return TV_OK;
}
