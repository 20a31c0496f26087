/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file intake.h
 * @brief Postal and phone intake in batches (SPEC §15.7).
 *
 * An intake file is a CSV with the header `code,choice` and one row per
 * paper: the credential code printed on the paper, and the choice: an
 * option number, `blank`, or `rejected:REASON` for a spoilt paper
 * (spoilt.h). Every row is checked before any is cast; then the rows are
 * cast in batches, each one transaction (group commit), and each row's
 * receipt is handed back only once its batch is durable. Each row is
 * recorded with its source, a hash of the election, the file's bytes and
 * the row's line, so an interrupted intake can simply be run again: rows
 * already cast are recognised and their receipts issued again, never cast
 * twice.
 */
#ifndef TENANTVOTE_INTAKE_H
#define TENANTVOTE_INTAKE_H

#include "board.h"
#include "box.h"
#include "common.h"
#include "context.h"
#include "manifest.h"
#include "register.h"
#include "spoilt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The largest intake file, in bytes. */
#define TV_INTAKE_BYTES_MAX (64u * 1024 * 1024)
/** The most rows in one intake file. */
#define TV_INTAKE_ROWS_MAX 1000000u
/** At most this many problems are reported one by one. */
#define TV_INTAKE_PROBLEMS_MAX 100u
/** Rows cast per transaction. */
#define TV_INTAKE_BATCH 64u

/** A checked intake file (opaque). Holds credential codes: secret. */
typedef struct tv_intake tv_intake;

/** One row, as read. */
typedef struct tv_intake_row {
	uint32_t line;              /**< the line of the file (from 1) */
	uint32_t choice;            /**< 1..m, or TV_BALLOT_BLANK; 0 if spoilt */
	tv_spoilt_reason reason;    /**< 0, or why the paper was rejected */
	const tv_point *credential; /**< the public credential of its code */
} tv_intake_row;

/**
 * Read and check an intake file for the election of @p manifest: the
 * header, each row's code (its check symbol: a mistyped code is caught
 * here) and choice, and that no credential appears on two rows. All
 * problems are collected, then @p problem is called for each in line
 * order (at most TV_INTAKE_PROBLEMS_MAX times, then once with line 0
 * saying how many more), as for tv_register_parse().
 * @param      ctx         the context; it must outlive the intake
 * @param      source_name the file's name for messages; NULL for "intake"
 * @return TV_OK; TV_ERR_INTAKE_INVALID (problems, each reported; the
 *         context's message counts them and gives the first);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_intake_parse(
	tv_ctx *ctx, tv_intake **out, const char *csv, size_t len,
	const tv_manifest *manifest, const char *source_name,
	tv_register_problem_fn problem, void *payload);

/** The number of rows. */
TV_API size_t tv_intake_count(const tv_intake *intake);

/**
 * Row @p index (0-based), borrowed from the intake.
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (out of range).
 */
TV_API TV_WARN_UNUSED tv_status tv_intake_get_row(tv_intake_row *out,
                                                  const tv_intake *intake,
                                                  size_t index);

/** Wipe the codes and free the intake. NULL accepted. */
TV_API void tv_intake_free(tv_intake *intake);

/** What happened to one row, passed to a tv_intake_fn. */
typedef struct tv_intake_event {
	uint32_t line;              /**< the row's line */
	int already;                /**< cast by an earlier run of this file */
	const tv_receipt *receipt;  /**< its receipt; the ballot is durable */
	size_t done;                /**< rows handled so far, this one included */
	size_t total;               /**< rows in the file */
	int batch_end;              /**< the last row of its batch */
} tv_intake_event;

/** Called once per row, in file order; return 0 to go on. */
typedef int (*tv_intake_fn)(const tv_intake_event *event, void *payload);

/** Totals of one intake run. */
typedef struct tv_intake_summary {
	size_t rows;      /**< rows in the file */
	size_t cast;      /**< cast by this run */
	size_t already;   /**< cast by an earlier run, skipped */
	size_t spoilt;    /**< of the rows cast by this run, spoilt papers */
} tv_intake_summary;

/**
 * Cast an intake file into the box on @p channel. First every row is
 * checked against the box (open, inside the window, channel allowed,
 * credential on the list, and under the "first" revote policy not voted
 * yet, unless the row itself was cast by an earlier run); any problem is
 * reported through @p problem and nothing is cast. Then the rows are
 * encrypted (or made spoilt papers) and cast in batches of
 * TV_INTAKE_BATCH, one transaction each; @p fn gets each row's receipt
 * once its batch is on disk.
 * @param[out] summary NULL, or the totals (also on failure: what was done)
 * @return TV_OK; TV_ERR_INTAKE_INVALID (problems before anything was
 *         cast); TV_ERR_STATE; the item status of a row refused while
 *         casting (another process cast for the same credential meanwhile:
 *         the message names the line; rows before it stay cast); TV_ERR_IO
 *         (disk full, or @p fn stopped); TV_ERR_DATABASE; TV_ERR_NOMEM;
 *         TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_intake(
	tv_ctx *ctx, tv_box *box, const tv_intake *intake, uint32_t channel,
	const tv_ed25519_secret_key *box_key, int64_t now, tv_intake_fn fn,
	void *payload, tv_register_problem_fn problem, void *problem_payload,
	tv_intake_summary *summary);

#ifdef __cplusplus
}
#endif

#endif
