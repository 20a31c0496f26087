/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §18: writing the public record from the ballot box, each file
 * through the protocol layers' encoders (lib/election/record_files.c,
 * board_entry.c, close.c; lib/tally/tally_record.c). Written into
 * DIR.partial, each file synced, then renamed to DIR: a record is there
 * complete or not at all. The board is streamed row by row.
 */
#define _GNU_SOURCE /* renameat2 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "box_internal.h"
#include "tally_internal.h"
#include "tenantvote/record.h"

/*
 * The folder being written, DIR.partial, held open: every file is made and
 * removed relative to it, never through a path that a link planted in the
 * meantime could send elsewhere.
 */
typedef struct out_dir {
	int fd;
	const char *path;
} out_dir;

typedef struct out_file {
	FILE *f;
	char path[4200];
} out_file;

/* the record's files: the only names an export makes, or removes */
static const char *const record_files[] = { "record.json", "manifest.json", "trustees.json",
                                            "credentials.json", "papers.json", "board.jsonl",
                                            "close.json", "tally.json", "result.json",
                                            "declaration.txt" };

static tv_status file_open(tv_ctx *ctx, out_file *o, const out_dir *d, const char *name)
{
	int fd;

	if (snprintf(o->path, sizeof(o->path), "%s/%s", d->path, name) >= (int)sizeof(o->path))
		return tv__fail(ctx, TV_ERR_IO, "record: the path is too long");
	fd = openat(d->fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || (o->f = fdopen(fd, "w")) == NULL) {
		tv_status status = tv__fail(ctx, TV_ERR_IO, "record: cannot create %s: %s", o->path,
		                            errno == ENOSPC ? "the disk is full" : strerror(errno));

		if (fd >= 0)
			close(fd);
		return status;
	}
	return TV_OK;
}

static tv_status file_close(tv_ctx *ctx, out_file *o)
{
	int bad = ferror(o->f) || fflush(o->f) != 0 || fsync(fileno(o->f)) != 0;

	bad |= fclose(o->f) != 0;
	o->f = NULL;
	if (bad)
		return tv__fail(ctx, TV_ERR_IO, "record: cannot write %s: %s", o->path,
		                errno == ENOSPC ? "the disk is full" : strerror(errno));
	return TV_OK;
}

static tv_status write_text(tv_ctx *ctx, const out_dir *dir, const char *name, const char *text,
                            int newline)
{
	out_file o;
	tv_status status;

	if ((status = file_open(ctx, &o, dir, name)) != TV_OK)
		return status;
	fputs(text, o.f);
	if (newline)
		fputc('\n', o.f);
	return file_close(ctx, &o);
}

/* a tv__write_fn into an open out_file */
static int file_write(const char *text, size_t len, void *payload)
{
	out_file *o = payload;

	return fwrite(text, 1, len, o->f) == len ? 0 : -1;
}

static tv_status write_credentials(tv_box *box, const out_dir *dir)
{
	tv_ctx *ctx = box->ctx;
	sqlite3_stmt *st = NULL;
	uint8_t (*list)[TV_POINT_BYTES] = NULL;
	uint8_t authority[32], signature[64], digest[32], context[32];
	int64_t n = 0;
	size_t i = 0;
	out_file o = { NULL, "" };
	tv_status status;
	int rc;

	if ((status = tv__box_authority(box, authority, signature, digest, context)) != TV_OK ||
	    (status = tv__box_query_int(box, "SELECT count(*) FROM credential "
	                                          "WHERE added_at IS NULL", &n)) != TV_OK)
		return status;
	if ((list = tv__calloc(ctx, (size_t)n + 1, TV_POINT_BYTES)) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "record: cannot hold %lld credentials", (long long)n);
	if ((status = tv__box_prepare(box, &st, "SELECT public_key FROM credential "
	                                         "WHERE added_at IS NULL")) != TV_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < (size_t)n)
		if (sqlite3_column_bytes(st, 0) == TV_POINT_BYTES)
			memcpy(list[i++], sqlite3_column_blob(st, 0), TV_POINT_BYTES);
	if (rc != SQLITE_DONE || i != (size_t)n) {
		status = tv__box_db_fail(box, box->db, rc, "reading the credentials");
		goto out;
	}
	if ((status = file_open(ctx, &o, dir, "credentials.json")) != TV_OK ||
	    (status = tv__credentials_write(ctx, file_write, &o, list, i, authority,
	                                         signature)) != TV_OK)
		goto out;
	status = file_close(ctx, &o);
out:
	if (o.f != NULL)
		fclose(o.f);
	sqlite3_finalize(st);
	tv__free(ctx, list);
	return status;
}

/* papers.json (SPEC §18.7a), only when the election has papers: streamed */
static tv_status write_papers(tv_box *box, const out_dir *dir)
{
	tv_ctx *ctx = box->ctx;
	sqlite3_stmt *st = NULL;
	out_file o = { NULL, "" };
	uint8_t authority[32], signature[64], digest[32];
	char piece[512];
	int has, first = 1, rc, n;
	tv_status status;

	if ((status = tv__box_paper_list(box, &has, digest, signature)) != TV_OK || !has)
		return status;
	if ((status = tv__box_authority(box, authority, NULL, NULL, NULL)) != TV_OK ||
	    (status = file_open(ctx, &o, dir, "papers.json")) != TV_OK)
		return status;
	n = tv__papers_json_begin(piece, sizeof(piece), authority, signature);
	if (fwrite(piece, 1, (size_t)n, o.f) != (size_t)n)
		goto io;
	if ((status = tv__box_prepare(box, &st, "SELECT handle, credential, commitment FROM paper "
	                                         "ORDER BY handle")) != TV_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tv_point x;

		if (sqlite3_column_bytes(st, 0) != 32 || sqlite3_column_bytes(st, 1) != TV_POINT_BYTES ||
		    sqlite3_column_bytes(st, 2) != 32) {
			status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: damaged paper");
			goto out;
		}
		memcpy(x.bytes, sqlite3_column_blob(st, 1), TV_POINT_BYTES);
		n = tv__papers_json_paper(piece, sizeof(piece), first, sqlite3_column_blob(st, 0), &x,
		                          sqlite3_column_blob(st, 2));
		first = 0;
		if (fwrite(piece, 1, (size_t)n, o.f) != (size_t)n)
			goto io;
	}
	if (rc != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "reading the papers");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((status = tv__box_prepare(box, &st, "SELECT opening FROM paper WHERE opening IS NOT "
	                                         "NULL ORDER BY handle")) != TV_OK)
		goto out;
	first = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != 32) {
			status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: damaged paper opening");
			goto out;
		}
		n = tv__papers_json_opening(piece, sizeof(piece), first, sqlite3_column_blob(st, 0));
		first = 0;
		if (fwrite(piece, 1, (size_t)n, o.f) != (size_t)n)
			goto io;
	}
	if (rc != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "reading the paper openings");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	{
		/* the authority's seal of the openings, once the box has it */
		tv__openings_seal seal;
		int sealed = 0;

		if ((status = tv__box_prepare(box, &st, "SELECT opened_entries, opened_head, "
		                                         "opened_signature FROM paper_list WHERE "
		                                         "id = 1 AND opened_signature IS NOT "
		                                         "NULL")) != TV_OK)
			goto out;
		if ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32 &&
		    sqlite3_column_bytes(st, 2) == 64) {
			seal.entries = (uint64_t)sqlite3_column_int64(st, 0);
			memcpy(seal.head, sqlite3_column_blob(st, 1), 32);
			memcpy(seal.signature, sqlite3_column_blob(st, 2), 64);
			sealed = 1;
		} else if (rc != SQLITE_DONE) {
			status = tv__box_db_fail(box, box->db, rc, "reading the openings' seal");
			goto out;
		}
		n = tv__papers_json_end(piece, sizeof(piece), !first, sealed ? &seal : NULL);
		if (fwrite(piece, 1, (size_t)n, o.f) != (size_t)n)
			goto io;
	}
	sqlite3_finalize(st);
	return file_close(ctx, &o);
io:
	status = file_close(ctx, &o);
	if (status == TV_OK)
		status = tv__fail(ctx, TV_ERR_IO, "record: cannot write papers.json");
out:
	if (o.f != NULL)
		fclose(o.f);
	sqlite3_finalize(st);
	return status;
}

static tv_status write_board(tv_box *box, const out_dir *dir, uint64_t *entries,
                             tv_progress_fn progress, void *payload)
{
	tv_ctx *ctx = box->ctx;
	sqlite3_stmt *st = NULL;
	out_file o = { NULL, "" };
	int64_t total = 0;
	uint64_t n = 0;
	tv_status status;
	int rc;

	if ((status = tv__box_query_int(box, "SELECT count(*) FROM board", &total)) != TV_OK ||
	    (status = tv__box_prepare(box, &st, "SELECT position, kind, channel, received_at, "
	                                         "prev_head, head, ballot_json FROM board "
	                                         "ORDER BY position")) != TV_OK ||
	    (status = file_open(ctx, &o, dir, "board.jsonl")) != TV_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tv__board_entry e;
		char *line = NULL;
		size_t len = 0;
		int bad;

		if (sqlite3_column_bytes(st, 4) != 32 || sqlite3_column_bytes(st, 5) != 32) {
			status = tv__fail(ctx, TV_ERR_DATABASE, "ballot box: damaged board row");
			goto out;
		}
		memset(&e, 0, sizeof(e));
		e.position = (uint64_t)sqlite3_column_int64(st, 0);
		e.kind = sqlite3_column_int(st, 1);
		e.channel = (uint32_t)sqlite3_column_int(st, 2);
		e.time = sqlite3_column_int64(st, 3);
		memcpy(e.prev_head, sqlite3_column_blob(st, 4), 32);
		memcpy(e.head, sqlite3_column_blob(st, 5), 32);
		/* the entry's own canonical JSON, byte for byte */
		if ((status = tv__board_line_to_json(ctx, &line, &len, &e,
		                                     (const char *)sqlite3_column_text(st, 6),
		                                     (size_t)sqlite3_column_bytes(st, 6))) != TV_OK)
			goto out;
		bad = fwrite(line, 1, len, o.f) != len;
		tv__free(ctx, line);
		if (bad) {
			status = file_close(ctx, &o);
			goto out;
		}
		if (++n % 1000 == 0 && progress != NULL)
			progress("writing the board", n, (uint64_t)total, payload);
	}
	if (rc != SQLITE_DONE) {
		status = tv__box_db_fail(box, box->db, rc, "reading the board");
		goto out;
	}
	status = file_close(ctx, &o);
	*entries = n;
out:
	if (o.f != NULL)
		fclose(o.f);
	sqlite3_finalize(st);
	return status;
}

/* the box key, the close (close/1 for a box closed before close times were
 * kept, SPEC §14.2 version 6) and the ceremony transcript */
static tv_status election_blobs(tv_box *box, uint8_t box_key[32], tv__close *closing,
                                char **transcript)
{
	sqlite3_stmt *st = NULL;
	tv_status status;
	int rc;

	if ((status = tv__box_prepare(box, &st, "SELECT box_key, close_signature, "
	                                         "ceremony_transcript, closed_at, close_reason "
	                                         "FROM election WHERE id = 1")) != TV_OK)
		return status;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW || sqlite3_column_bytes(st, 0) != 32 ||
	    sqlite3_column_bytes(st, 1) != 64 || sqlite3_column_text(st, 2) == NULL) {
		status = rc == SQLITE_ROW ? tv__fail(box->ctx, TV_ERR_STATE, "the election is not closed")
		                          : tv__box_db_fail(box, box->db, rc, "reading the election");
	} else {
		size_t n = (size_t)sqlite3_column_bytes(st, 2);

		memcpy(box_key, sqlite3_column_blob(st, 0), 32);
		memcpy(closing->signature, sqlite3_column_blob(st, 1), 64);
		closing->version = sqlite3_column_type(st, 3) == SQLITE_NULL ? 1 : 2;
		if (closing->version == 2) {
			size_t r = (size_t)sqlite3_column_bytes(st, 4);

			closing->closed = sqlite3_column_int64(st, 3);
			closing->reason_len = r <= TV_CLOSE_REASON_MAX ? r : TV_CLOSE_REASON_MAX;
			if (r > 0)
				memcpy(closing->reason, sqlite3_column_text(st, 4), closing->reason_len);
			closing->reason[closing->reason_len] = '\0';
		}
		if ((*transcript = tv__alloc(box->ctx, n + 1)) == NULL)
			status = tv__fail(box->ctx, TV_ERR_NOMEM, "cannot copy the transcript");
		else
			memcpy(*transcript, sqlite3_column_text(st, 2), n + 1);
	}
	sqlite3_finalize(st);
	return status;
}

/* @p name from *text, which an encoder made with status @p made (freed here) */
static tv_status write_file(tv_ctx *ctx, const out_dir *dir, const char *name, tv_status made,
                            char **text)
{
	tv_status status = made == TV_OK ? write_text(ctx, dir, name, *text, 0) : made;

	tv_free(ctx, *text);
	*text = NULL;
	return status;
}

/* the record's files in the folder open as @p fd: links themselves, never what they name */
static void remove_files(int fd)
{
	for (size_t i = 0; i < sizeof(record_files) / sizeof(record_files[0]); i++)
		(void)unlinkat(fd, record_files[i], 0);
}

/*
 * What an interrupted export left at @p partial: only a real folder is
 * cleared, of the record's own file names only, and then removed. Anything
 * else there (a link, a file, a folder holding other files) is refused and
 * left alone: an export deletes nothing it did not make.
 */
static tv_status clear_partial(tv_ctx *ctx, const char *partial)
{
	struct stat sb;
	int fd;

	if (lstat(partial, &sb) != 0)
		return errno == ENOENT ? TV_OK
		                       : tv__fail(ctx, TV_ERR_IO, "cannot look at %s: %s", partial,
		                                  strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return tv__fail(ctx, TV_ERR_EXISTS, "%s is in the way and is not a folder an export "
		                "left: move it away, then export again", partial);
	if ((fd = open(partial, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return tv__fail(ctx, TV_ERR_IO, "cannot open %s: %s", partial, strerror(errno));
	remove_files(fd);
	close(fd);
	if (rmdir(partial) != 0)
		return tv__fail(ctx, TV_ERR_EXISTS, "%s, left by an earlier export, holds files that "
		                "are not the record's: look at them, move them away, then export again",
		                partial);
	return TV_OK;
}

/* the folder's entries to disk */
static tv_status sync_dir(tv_ctx *ctx, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) != 0) {
		tv_status status = tv__fail(ctx, TV_ERR_IO, "cannot sync the folder %s: %s", path,
		                            strerror(errno));

		if (fd >= 0)
			close(fd);
		return status;
	}
	close(fd);
	return TV_OK;
}

tv_status tv_box_export_record(tv_ctx *ctx, tv_box *box, const char *dir, const tv_tally *tally,
                               const char *const *decryptions, size_t count,
                               const tv_result *result, tv_progress_fn progress, void *payload)
{
	char where[4096], partial[4096], *text = NULL, *transcript = NULL;
	out_dir out = { -1, NULL };
	int renamed = 0;
	uint8_t box_key[32];
	tv__close closing;
	uint8_t head[32];
	tv_tally_info info;
	uint64_t entries = 0, last = 0;
	struct stat sb;
	box_state s;
	tv_status status;
	/* before the count: the board for the trustees to check and add up */
	int before_count = tally == NULL && result == NULL && count == 0;

	if (ctx == NULL || box == NULL || dir == NULL ||
	    (!before_count && (tally == NULL || result == NULL)) ||
	    (decryptions == NULL && count != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_export_record: NULL argument");
	box->ctx = ctx;
	/* "OUT/" names the folder OUT: DIR.partial must sit beside it */
	if (snprintf(where, sizeof(where), "%s", dir) >= (int)sizeof(where))
		return tv__fail(ctx, TV_ERR_IO, "record: the path is too long");
	for (size_t n = strlen(where); n > 1 && where[n - 1] == '/'; n--)
		where[n - 1] = '\0';
	dir = where;
	if (lstat(dir, &sb) == 0)
		return tv__fail(ctx, TV_ERR_EXISTS, "%s already exists: the record goes to a new folder",
		                dir);
	if (snprintf(partial, sizeof(partial), "%s.partial", dir) >= (int)sizeof(partial))
		return tv__fail(ctx, TV_ERR_IO, "record: the path is too long");
	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		return status;
	if (s.phase != TV_PHASE_CLOSED)
		return tv__fail(ctx, TV_ERR_STATE, "the record is written after voting closes");
	memset(&info, 0, sizeof(info));
	if (!before_count) {
		tv_tally_get_info(&info, tally);
		if (memcmp(info.election, box->fingerprint, 32) != 0)
			return tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the tally is of another election");
	}
	/* the final head the box signed when it closed (§15.4) */
	if ((status = tv__board_tip(box, &last, head)) != TV_OK)
		return status;
	if (!before_count && memcmp(info.head, head, 32) != 0)
		return tv__fail(ctx, TV_ERR_STATE, "the tally is not of this board's final head: "
		                "count again");
	memset(&closing, 0, sizeof(closing));
	if ((status = election_blobs(box, box_key, &closing, &transcript)) != TV_OK)
		return status;
	if ((status = clear_partial(ctx, partial)) != TV_OK) {
		tv__free(ctx, transcript);
		return status;
	}
	if (mkdir(partial, 0755) != 0 ||
	    (out.fd = open(partial, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		status = tv__fail(ctx, TV_ERR_IO, "cannot create %s: %s", partial, strerror(errno));
		if (errno != EEXIST)
			(void)rmdir(partial);
		tv__free(ctx, transcript);
		return status;
	}
	out.path = partial;
	if ((status = write_file(ctx, &out, "record.json",
	                         tv__record_header_to_json(ctx, &text, box->fingerprint, box_key),
	                         &text)) != TV_OK ||
	    (status = write_file(ctx, &out, "manifest.json",
	                         tv_manifest_to_json(ctx, &text, NULL, box->manifest),
	                         &text)) != TV_OK ||
	    (status = write_text(ctx, &out, "trustees.json", transcript, 1)) != TV_OK ||
	    (status = write_credentials(box, &out)) != TV_OK ||
	    (status = write_papers(box, &out)) != TV_OK ||
	    (status = write_board(box, &out, &entries, progress, payload)) != TV_OK ||
	    (status = write_file(ctx, &out, "close.json",
	                         closing.version == 2
	                                 ? (closing.entries = entries, memcpy(closing.head, head, 32),
	                                    tv__close2_to_json(ctx, &text, &closing))
	                                 : tv__close_to_json(ctx, &text, entries, head,
	                                                     closing.signature),
	                         &text)) != TV_OK)
		goto out;
	if (!before_count &&
	    ((status = write_file(ctx, &out, "tally.json",
	                          tv__record_tally_to_json(ctx, &text, tally, decryptions, count),
	                          &text)) != TV_OK ||
	     (status = write_file(ctx, &out, "result.json",
	                          tv_result_to_json(ctx, &text, NULL, result), &text)) != TV_OK ||
	     (status = write_file(ctx, &out, "declaration.txt",
	                          tv_result_declaration(ctx, &text, NULL, result), &text)) != TV_OK))
		goto out;
	if (!before_count && info.entries != entries) {
		status = tv__fail(ctx, TV_ERR_STATE, "the tally counts %llu entries, the board has %llu: "
		                  "count again", (unsigned long long)info.entries,
		                  (unsigned long long)entries);
		goto out;
	}
	if (fsync(out.fd) != 0) {
		status = tv__fail(ctx, TV_ERR_IO, "cannot sync the folder %s: %s", partial,
		                  strerror(errno));
		goto out;
	}
	/* the folder renamed is the one written, and nothing that appeared at
	 * DIR meanwhile is replaced */
	{
		struct stat ours, there;

		if (fstat(out.fd, &ours) != 0 || lstat(partial, &there) != 0 ||
		    ours.st_dev != there.st_dev || ours.st_ino != there.st_ino) {
			status = tv__fail(ctx, TV_ERR_EXISTS, "%s was replaced while the record was "
			                  "written: look at it, move it away, then export again",
			                  partial);
			goto out;
		}
	}
	if (renameat2(AT_FDCWD, partial, AT_FDCWD, dir, RENAME_NOREPLACE) != 0) {
		status = errno == EEXIST
		                 ? tv__fail(ctx, TV_ERR_EXISTS, "%s appeared while the record was "
		                            "written: the record goes to a new folder", dir)
		                 : tv__fail(ctx, TV_ERR_IO, "cannot rename %s to %s: %s", partial,
		                            dir, strerror(errno));
		goto out;
	}
	renamed = 1;
	/* the rename itself is on disk once the parent folder is */
	{
		char parent[4096];
		char *slash;

		snprintf(parent, sizeof(parent), "%s", dir);
		while ((slash = strrchr(parent, '/')) != NULL && slash[1] == '\0' && slash != parent)
			*slash = '\0'; /* "out/" is "out" */
		slash = strrchr(parent, '/');
		if (slash == NULL)
			snprintf(parent, sizeof(parent), ".");
		else
			slash[slash == parent ? 1 : 0] = '\0';
		status = sync_dir(ctx, parent);
	}
out:
	tv_free(ctx, text);
	tv__free(ctx, transcript);
	/* once renamed, the folder is the record: a failed last sync keeps it */
	if (status != TV_OK && out.fd >= 0 && !renamed) {
		remove_files(out.fd);
		(void)rmdir(partial);
	}
	if (out.fd >= 0)
		close(out.fd);
	return status;
}
