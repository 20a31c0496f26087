/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §14.5: a consistent copy of the ballot box while voting goes on,
 * by SQLite's online backup API, checked before it gets its name.
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
#include "tenantvote/board.h"
#include "tenantvote/box.h"

#define PAGES_PER_STEP 256
#define BUSY_TRIES 400 /* 400 × 25 ms: 10 s, as the box's busy timeout */

static void pause_briefly(void)
{
	struct timespec ts = { 0, 25 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* the temporary copy and SQLite's files beside it */
static void remove_copy(const char *tmp)
{
	static const char *const ends[] = { "", "-wal", "-shm", "-journal" };
	char path[4200];

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", tmp, ends[i]);
		(void)unlink(path);
	}
}

static tv_status copy_fail(tv_ctx *ctx, int rc, const char *out, sqlite3 *dest)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return tv__fail(ctx, TV_ERR_IO, "backup %s: the disk is full; nothing was written",
		                out);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return tv__fail(ctx, TV_ERR_IO, "backup %s: cannot write it (%s); nothing was written",
		                out, dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
	case SQLITE_NOMEM:
		return tv__fail(ctx, TV_ERR_NOMEM, "backup %s: out of memory", out);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return tv__fail(ctx, TV_ERR_DATABASE, "backup %s: the ballot box stayed busy in "
		                "another process; try again", out);
	default:
		return tv__fail(ctx, TV_ERR_DATABASE, "backup %s: %s", out,
		                dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
	}
}

/* SQLite's own check of the copy: "ok", or the first problem */
static tv_status integrity(tv_ctx *ctx, sqlite3 *db, const char *out)
{
	sqlite3_stmt *st = NULL;
	tv_status status = TV_OK;
	int rc;

	if ((rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL)) != SQLITE_OK)
		return copy_fail(ctx, rc, out, db);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		status = copy_fail(ctx, rc, out, db);
	else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		status = tv__fail(ctx, TV_ERR_DATABASE, "backup %s: the copy fails SQLite's "
		                  "integrity check: %s", out, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return status;
}

/* the copy opens as a box of this election, and its board verifies */
static tv_status check_copy(tv_ctx *ctx, uint64_t *entries, const tv_box *box, const char *tmp,
                            const char *out)
{
	tv_box *copy = NULL;
	tv_status status;

	if ((status = tv__box_open_file(ctx, &copy, tmp)) != TV_OK) {
		status = tv__fail(ctx, TV_ERR_DATABASE, "backup %s: the copy does not open as a "
		                  "ballot box: %s", out, tv_ctx_last_error(ctx));
		goto out;
	}
	if (memcmp(copy->fingerprint, box->fingerprint, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_DATABASE, "backup %s: the copy is of another election",
		                  out);
		goto out;
	}
	if ((status = tv_box_verify_board(ctx, entries, NULL, copy)) != TV_OK)
		status = tv__fail(ctx, TV_ERR_DATABASE, "backup %s: the copy's board does not "
		                  "verify: %s", out, tv_ctx_last_error(ctx));
out:
	tv_box_free(copy);
	return status;
}

tv_status tv_box_backup(tv_ctx *ctx, uint64_t *entries, tv_box *box, const char *out,
                        tv_backup_progress_fn progress, void *payload)
{
	sqlite3 *dest = NULL;
	sqlite3_backup *bk = NULL;
	char *tmp = NULL;
	size_t len;
	int fd = -1, rc, busy = 0, made = 0;
	uint64_t n = 0;
	tv_status status = TV_OK;

	if (ctx == NULL || box == NULL || out == NULL || out[0] == '\0')
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_backup: NULL argument");
	box->ctx = ctx;
	{
		struct stat sb;

		if (lstat(out, &sb) == 0)
			return tv__fail(ctx, TV_ERR_EXISTS, "backup %s: it already exists; a backup "
			                "never replaces a file", out);
	}
	len = strlen(out) + sizeof(".tmp-XXXXXX");
	if ((tmp = tv__alloc(ctx, len)) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
	snprintf(tmp, len, "%s.tmp-XXXXXX", out);
	if ((fd = mkstemp(tmp)) < 0) {
		status = tv__fail(ctx, TV_ERR_IO, "backup %s: cannot make a file there: %s", out,
		                  strerror(errno));
		goto out;
	}
	made = 1;
	if (fchmod(fd, 0600) != 0) {
		status = tv__fail(ctx, TV_ERR_IO, "backup %s: %s", out, strerror(errno));
		goto out;
	}
	if ((rc = sqlite3_open_v2(tmp, &dest, SQLITE_OPEN_READWRITE, NULL)) != SQLITE_OK) {
		status = copy_fail(ctx, rc, out, dest);
		goto out;
	}
	sqlite3_extended_result_codes(dest, 1);
	if ((bk = sqlite3_backup_init(dest, "main", box->db, "main")) == NULL) {
		status = copy_fail(ctx, sqlite3_extended_errcode(dest), out, dest);
		goto out;
	}
	/* step by step, so voting goes on between steps; a write in between
	 * makes SQLite start again, so the copy is of one instant */
	for (int restarts = 0, last = -1;;) {
		/* a big box under steady voting could restart for ever: after a few
		 * restarts, the rest in one step (a WAL reader blocks no writer) */
		rc = sqlite3_backup_step(bk, restarts < 3 ? PAGES_PER_STEP : -1);
		if (last >= 0 && sqlite3_backup_remaining(bk) > last)
			restarts++;
		last = sqlite3_backup_remaining(bk);
		if (progress != NULL)
			progress((uint64_t)(sqlite3_backup_pagecount(bk) - sqlite3_backup_remaining(bk)),
			         (uint64_t)sqlite3_backup_pagecount(bk), payload);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_OK)
			continue;
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++busy < BUSY_TRIES) {
			pause_briefly();
			continue;
		}
		break;
	}
	rc = sqlite3_backup_finish(bk);
	bk = NULL;
	if (rc != SQLITE_OK) {
		status = copy_fail(ctx, rc, out, dest);
		goto out;
	}
	if ((status = integrity(ctx, dest, out)) != TV_OK)
		goto out;
	sqlite3_close(dest);
	dest = NULL;
	if ((status = check_copy(ctx, &n, box, tmp, out)) != TV_OK)
		goto out;
	box->ctx = ctx;
	if (fsync(fd) != 0) {
		status = tv__fail(ctx, TV_ERR_IO, "backup %s: cannot sync it: %s", out,
		                  strerror(errno));
		goto out;
	}
	/* the name, never over an existing file: link() fails with EEXIST */
	if (link(tmp, out) != 0) {
		status = errno == EEXIST
		                 ? tv__fail(ctx, TV_ERR_EXISTS, "backup %s: it appeared while the "
		                            "copy was made; a backup never replaces a file", out)
		                 : tv__fail(ctx, TV_ERR_IO, "backup %s: %s", out, strerror(errno));
		goto out;
	}
	{
		/* the folder, so the new name survives a crash */
		char *dir = tv__alloc(ctx, strlen(out) + 2);
		char *slash;
		int dfd;

		if (dir != NULL) {
			strcpy(dir, out);
			slash = strrchr(dir, '/');
			if (slash == NULL)
				strcpy(dir, ".");
			else if (slash == dir)
				dir[1] = '\0';
			else
				*slash = '\0';
			if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
				(void)fsync(dfd);
				close(dfd);
			}
			tv__free(ctx, dir);
		}
	}
	if (entries != NULL)
		*entries = n;
out:
	if (bk != NULL)
		sqlite3_backup_finish(bk);
	sqlite3_close(dest);
	if (fd >= 0)
		close(fd);
	if (made)
		remove_copy(tmp);
	tv__free(ctx, tmp);
	return status;
}
