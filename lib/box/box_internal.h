/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared between the ballot box's files: box.c (the database), setup.c,
 * board.c (voting), intake.c, marked_register.c, box_tally.c, export.c.
 */
#ifndef TV_BOX_INTERNAL_H
#define TV_BOX_INTERNAL_H

#include <sqlite3.h>

#include "election_internal.h"
#include "tenantvote/board.h"

/* the per-ballot queries of casting, kept prepared (tv__box_cached) */
#define TV_BOX_CACHED 8

struct tv_box {
	tv_ctx *ctx;
	sqlite3 *db;
	tv_manifest *manifest;
	uint8_t fingerprint[32];
	sqlite3_stmt *cached[TV_BOX_CACHED];
	const char *cached_sql[TV_BOX_CACHED];
};

typedef struct box_state {
	tv_phase phase;
	int credentials_issued;
	int key_ready;
	int64_t tenants;
} box_state;

/* map an SQLite failure to a status and a message saying what we were doing */
tv_status tv__box_db_fail(tv_box *box, sqlite3 *db, int rc, const char *doing);
tv_status tv__box_exec(tv_box *box, const char *sql, const char *doing);
tv_status tv__box_prepare(tv_box *box, sqlite3_stmt **st, const char *sql);
/*
 * A statement for @p sql (a string that lives as long as the program)
 * prepared once per box and kept until tv_box_free(): casting runs the
 * same few queries for every ballot. Reset and without bindings; the
 * caller resets it after its steps and never finalizes it.
 */
tv_status tv__box_cached(tv_box *box, sqlite3_stmt **st, const char *sql);
void tv__box_now_utc(char out[32]);
/* BEGIN IMMEDIATE: the write lock first, so checks see the state changed */
tv_status tv__box_begin(tv_box *box);
void tv__box_rollback(tv_box *box);
tv_status tv__box_commit(tv_box *box);
tv_status tv__box_audit(tv_box *box, const char *event, const char *detail);
tv_status tv__box_query_int(tv_box *box, const char *sql, int64_t *out);
tv_status tv__box_read_state(tv_box *box, box_state *s);
/* the credential authority's row (§11.5): TV_ERR_STATE before the import;
 * any output may be NULL */
tv_status tv__box_authority(tv_box *box, uint8_t authority[32], uint8_t signature[64],
                            uint8_t list_digest[32], uint8_t context[32]);

/* open the ballot box in the file @p path (tv_box_open() of its folder) */
tv_status tv__box_open_file(tv_ctx *ctx, tv_box **out, const char *path);

/* the board's last position and head, or 0 and head_0 (SPEC §15.2) */
tv_status tv__board_tip(tv_box *box, uint64_t *position, uint8_t head[32]);
/* the time of the board's last entry, or 0 for an empty board */
tv_status tv__board_last_time(tv_box *box, int64_t *at);

/*
 * A change file (SPEC §11.7), read: its election F, authority A, and
 * changes, each a tv_credential_change whose entry and late tenant are
 * held here (tv__change_file_free()).
 */
typedef struct tv__change_file {
	uint8_t election[32], authority[32];
	size_t count;
	tv_credential_change *changes;
	tv_tenant *late;   /* count of them; used where changes[i].late points */
	char **entries;    /* each change's entry, compact */
	void *root;        /* the JSON the late tenants' strings are borrowed from */
} tv__change_file;

#define TV_CHANGE_FILE_FORMAT "tenantvote-credential-change/1"
#define TV_CHANGE_FILE_MAX 1000

tv_status tv__change_file_read(tv_ctx *ctx, tv__change_file *out, const char *text, size_t len);
void tv__change_file_free(tv_ctx *ctx, tv__change_file *f);

/* ---- ballot papers (papers.c, SPEC §15.8) ---- */

/* the paper list's digest P and signature: *has 0 when there is none */
tv_status tv__box_paper_list(tv_box *box, int *has, uint8_t digest[32], uint8_t signature[64]);
/* head_0 of this box's board: §15.8.2's when it has papers, else §15.2's */
tv_status tv__box_start_head(tv_box *box, uint8_t head[32]);

/* a paper of the box, looked up by its handle and opened with its id */
typedef struct tv__box_paper {
	int found;                 /* the box issued it */
	int opened;                /* opened after close */
	int64_t cast_at;           /* its board position, 0 when not cast */
	uint8_t handle[32];
	char id[TV__PAPER_SYMBOLS + 1];
	tv_point credential;
	uint32_t answers;          /* k; what follows only when found and not cast */
	tv_ballot *ballots[TV__PAPER_ANSWERS_MAX];   /* ascending digests */
	uint8_t digests[TV__PAPER_ANSWERS_MAX][32];
	char code[TV__PAPER_ANSWERS_MAX][TV_PAPER_CODE_LEN + 1];
} tv__box_paper;
/* TV_OK with out->found 0 when there is no such paper; a lock that does
 * not open or holds other than its commitment is TV_ERR_PROOF_INVALID */
tv_status tv__box_paper_unlock(tv_box *box, tv__box_paper *out, const char id[TV__PAPER_SYMBOLS],
                               const uint8_t handle[32]);
void tv__box_paper_clear(tv__box_paper *p);

/* what makes a cast item a paper's entry (§15.8.4) */
typedef struct tv__paper_cast {
	int kind;                  /* 0 (not a paper), TV_ENTRY_PAPER or _PAPER_SPOILT */
	uint8_t handle[32];
	char id[TV__PAPER_SYMBOLS + 1];
	tv_point credential;       /* the paper's */
	tv_spoilt_reason reason;   /* a rejected paper's */
	uint32_t others;           /* a paper's ballot: the other digests */
	uint8_t other[TV__PAPER_ANSWERS_MAX - 1][32];
	int checked;               /* its ballot's proofs were checked already */
} tv__paper_cast;
/* tv_box_cast_batch() with, when @p papers is not NULL, items that are
 * papers' entries: papers[i].kind set, and a paper's ballot (unsigned) in
 * items[i].ballot or, for a rejected paper, no ballot and no spoilt paper */
tv_status tv__box_cast_batch(tv_ctx *ctx, tv_box *box, tv_cast_item *items,
                             const tv__paper_cast *papers, size_t count,
                             const tv_ed25519_secret_key *box_key, int64_t now);

#endif
