/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file record.h
 * @brief The public record: export, universal verification, and a
 *        tenant's receipt checked against it (SPEC §18, §19).
 *
 * The record is a folder of JSON files, the board as JSON Lines, written
 * and read streaming: memory does not grow with the number of ballots.
 */
#ifndef TENANTVOTE_RECORD_H
#define TENANTVOTE_RECORD_H

#include "board.h"
#include "box.h"
#include "common.h"
#include "context.h"
#include "count.h"
#include "tally.h"

#ifdef __cplusplus
extern "C" {
#endif

/* tv_progress_fn is declared in common.h */

/**
 * Write the public record of the closed, counted election in @p box to the
 * new folder @p dir (SPEC §18): from the box, the manifest, the ceremony
 * transcript, the credential list, the board and the signed close; and
 * @p tally, the trustees' @p decryptions and @p result. The record is
 * written into DIR.partial and renamed to @p dir only when complete.
 *
 * Before the count, with @p tally and @p result NULL and @p count 0, it
 * writes the record up to the close only, for the trustees: each checks it
 * and adds up its sums itself (tv_record_tally()) before decrypting them.
 * @return TV_OK; TV_ERR_EXISTS (@p dir exists); TV_ERR_STATE (voting not
 *         closed); TV_ERR_WRONG_ELECTION (the tally is of another
 *         election); TV_ERR_IO; TV_ERR_DATABASE; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_export_record(
	tv_ctx *ctx, tv_box *box, const char *dir, const tv_tally *tally,
	const char *const *decryptions, size_t count, const tv_result *result,
	tv_progress_fn progress, void *payload);

/** The number of checks of SPEC §19, numbered 1..TV_VERIFY_CHECKS. */
#define TV_VERIFY_CHECKS 15

/** One check's outcome, or one failure within a check. */
typedef struct tv_verify_event {
	uint32_t check;       /**< 1..TV_VERIFY_CHECKS */
	const char *name;     /**< what the check checks (static) */
	tv_status status;     /**< TV_OK: the check passed, as a whole */
	uint64_t position;    /**< the board position at fault, or 0 */
	const char *message;  /**< what is wrong (borrowed), or "" */
} tv_verify_event;

/**
 * Called for each failure as found (status not TV_OK), and once for each
 * check that passed, when it ends (status TV_OK): a check that failed has
 * no closing call.
 */
typedef void (*tv_verify_fn)(const tv_verify_event *event, void *payload);

/** Totals of a verification. */
typedef struct tv_verify_summary {
	uint32_t passed;      /**< checks that passed */
	uint32_t failed;      /**< checks that failed or could not be done */
	uint64_t failures;    /**< failures reported, all checks together */
	uint64_t entries;     /**< board entries read */
	uint64_t counted;     /**< entries that count */
} tv_verify_summary;

/** The name of check @p check (static), or NULL. */
TV_API const char *tv_verify_check_name(uint32_t check);

/*
 * Accessors for a program that cannot see struct tv_verify_event's layout
 * (a binding for another language), to read the event its ::tv_verify_fn
 * is handed. Each accepts only an event, never NULL.
 */
/** The event's check, 1..TV_VERIFY_CHECKS. */
TV_API uint32_t tv_verify_event_check(const tv_verify_event *event);
/** What the check checks (static). */
TV_API const char *tv_verify_event_name(const tv_verify_event *event);
/** TV_OK when the check passed as a whole, else what is wrong. */
TV_API tv_status tv_verify_event_status(const tv_verify_event *event);
/** The board position at fault, or 0. */
TV_API uint64_t tv_verify_event_position(const tv_verify_event *event);
/** What is wrong, or "" (borrowed for the call). */
TV_API const char *tv_verify_event_message(const tv_verify_event *event);

/**
 * Check the record in @p dir (SPEC §19), every check, streaming the board.
 * A check that fails does not stop the others when they can still be done
 * (a later check that needs what failed is reported as not done).
 * @param threads how many threads verify ballots (0: one per core)
 * @return TV_OK (every check passed); TV_ERR_PROOF_INVALID (some check
 *         failed: @p fn was told which); TV_ERR_IO (the folder cannot be
 *         read); TV_ERR_NOMEM; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_record_verify(
	tv_ctx *ctx, const char *dir, unsigned threads, tv_verify_fn fn,
	void *payload, tv_progress_fn progress, void *progress_payload,
	tv_verify_summary *summary);

/**
 * tv_record_verify(), and check 3 also fails (TV_ERR_WRONG_ELECTION, "the
 * record's election key is NOT the one the trustees announced") unless the
 * record's election key is @p election_key (NULL: no such check). The
 * record alone cannot show whose key ceremony it holds (SPEC §16.3): an
 * observer gives the key the trustees announced, and the comparison is
 * made in the same reading of the record as every other check.
 */
TV_API TV_WARN_UNUSED tv_status tv_record_verify_key(
	tv_ctx *ctx, const char *dir, unsigned threads, tv_verify_fn fn, void *payload,
	tv_progress_fn progress, void *progress_payload, tv_verify_summary *summary,
	const tv_point *election_key);

/**
 * The encrypted totals of the record in @p dir, computed from the record
 * itself after checking it: checks 1 to 10 of SPEC §19 (the manifest, the
 * key ceremony, the credential list, every board entry, the chain and the
 * signed close) must all pass; then each credential's counted entry is
 * added up (§17.1), as the verifier does. This is the only tally that
 * tv_tally_decrypt() decrypts with a trustee's share (§16.3): a trustee
 * decrypts sums it computed from a board it checked, never ciphertexts
 * someone hands it. The record need not hold the count yet (tally.json,
 * result.json and declaration.txt are not read).
 * @param[out] out  the tally (tv_tally_free()); NULL on failure
 * @param fn        NULL, or told each check's outcome as tv_record_verify()
 *                  tells it, for checks 1 to 10
 * @return TV_OK; TV_ERR_PROOF_INVALID (a check failed: the message names
 *         the first); TV_ERR_STATE (no credential list); TV_ERR_IO (the
 *         folder cannot be read); TV_ERR_NOMEM; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_record_tally(
	tv_ctx *ctx, tv_tally **out, const char *dir, unsigned threads, tv_verify_fn fn,
	void *payload, tv_progress_fn progress, void *progress_payload);

/** When voting closed and why, as a record's close.json says (SPEC §18.8). */
typedef struct tv_record_close {
	uint32_t format;      /**< 1 (tenantvote-close/1, no time) or 2 */
	uint64_t entries;     /**< board entries at the close */
	int64_t advertised;   /**< the manifest's close time */
	int has_time;         /**< non-zero for format 2: the fields below are set */
	int64_t closed;       /**< when voting closed, seconds since 1970 UTC */
	int early;            /**< non-zero when @c closed is before @c advertised */
	char reason[TV_CLOSE_REASON_MAX + 1]; /**< the officer's reason, or "" */
} tv_record_close;

/**
 * Read the close of the record in @p dir (its manifest.json and
 * close.json) as written, to say when and why voting closed. This checks
 * neither signature nor board: tv_record_verify() (check 10) does; read it
 * only from a record that verifies.
 * @return TV_OK; TV_ERR_IO (a file missing or unreadable);
 *         TV_ERR_ENCODING (close.json malformed, naming the field);
 *         TV_ERR_MANIFEST_INVALID; TV_ERR_UTF8; TV_ERR_NOMEM;
 *         TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_record_read_close(tv_ctx *ctx, tv_record_close *out,
                                                     const char *dir);

/** What tv_record_check_receipts() found for one receipt. */
typedef struct tv_receipt_verdict {
	tv_status status; /**< TV_OK: on the board as the receipt says;
	                       TV_ERR_WRONG_ELECTION; TV_ERR_SIGNATURE_INVALID (not
	                       the record's box key); TV_ERR_PROOF_INVALID (the
	                       board has no such entry at that position) */
	int counts;       /**< 1: the entry is the one that counts for its credential */
	int opened;       /**< 1: the entry is an opened (challenged) ballot */
} tv_receipt_verdict;

/**
 * Check @p count receipts against the record in @p dir in one reading of
 * its board (SPEC §19.6): for each, what tv_record_check_receipt() says of
 * it, into @p out[i]. Memory grows with the receipts and the credentials
 * on the board, not with the board.
 * @return TV_OK (each receipt's verdict is in @p out); TV_ERR_IO;
 *         TV_ERR_ENCODING (a malformed board line); TV_ERR_INVALID_ARGUMENT;
 *         TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_record_check_receipts(tv_ctx *ctx, tv_receipt_verdict *out,
                                                         const char *dir,
                                                         const tv_receipt *receipts,
                                                         size_t count);

/** Where a board entry stands (tv_record_list_board()). */
typedef enum tv_board_state {
	TV_BOARD_COUNTS = 1,   /**< a ballot, and the one that counts for its credential */
	TV_BOARD_REPLACED = 2, /**< a ballot whose credential has another that counts
	                            (a later one, under revote "last") */
	TV_BOARD_REVOKED = 3,  /**< a ballot of a credential later revoked: never counts */
	TV_BOARD_OPENED = 4,   /**< an opened (challenged) ballot, never cast */
	TV_BOARD_CHANGE = 5    /**< a change to the credential list, not a ballot */
} tv_board_state;

/** One board entry as tv_record_list_board() tells it. */
typedef struct tv_board_listing {
	uint64_t position;     /**< 1-based line of board.jsonl */
	tv_board_state state;  /**< whether it counts, and why not */
	uint32_t channel;      /**< TV_CHANNEL_* bit the entry came by; 0 for a change */
	int64_t time;          /**< the entry's time, seconds since the epoch */
	uint8_t tracking[32];  /**< the entry's tracking code T (SPEC §15.1) */
} tv_board_listing;

/** Called once per board entry, in board order. */
typedef void (*tv_board_listing_fn)(const tv_board_listing *entry, void *payload);

/**
 * Tell @p fn of every entry on the board of the record in @p dir, with
 * whether it counts (SPEC §17.1.1, §11.7), after one reading of the board.
 * Each line is read as check 5 reads it; nothing is verified beyond that:
 * run tv_record_verify() for the checks. Memory grows with the board
 * (about 100 bytes an entry).
 * @return TV_OK; TV_ERR_ENCODING (a malformed line: the message names it);
 *         TV_ERR_IO; TV_ERR_NOMEM; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_record_list_board(tv_ctx *ctx, const char *dir,
                                                     tv_board_listing_fn fn, void *payload);

/**
 * Look up a short tracking code (SPEC §15.1.1, as a receipt prints it:
 * XXXX-XXXX-XXXX-XXXX; case, spaces and hyphens do not matter) on the
 * board of the record in @p dir. @p out->status is TV_OK and @p position
 * set when an entry's tracking code begins so; TV_ERR_PROOF_INVALID when
 * none does. @p out->counts and @p out->opened as for a receipt.
 * @return TV_OK (the verdict is in @p out); TV_ERR_ENCODING (not 16
 *         symbols); TV_ERR_CREDENTIAL_INVALID (a typo: the check symbol
 *         does not match); TV_ERR_IO; TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_record_find_tracking(tv_ctx *ctx, tv_receipt_verdict *out,
                                                        uint64_t *position, const char *dir,
                                                        const char *code, size_t len);

/**
 * Check a tenant's receipt against the record in @p dir: signed by the
 * record's box key, for its election, and the board holds that entry at
 * its position with its heads, channel and time. @p counts is set to 1
 * when that entry is the one that counts for its credential.
 * @return TV_OK; TV_ERR_WRONG_ELECTION; TV_ERR_SIGNATURE_INVALID;
 *         TV_ERR_PROOF_INVALID (the board differs: the message says how);
 *         TV_ERR_IO; TV_ERR_ENCODING (a malformed record file).
 */
TV_API TV_WARN_UNUSED tv_status tv_record_check_receipt(
	tv_ctx *ctx, int *counts, const char *dir, const tv_receipt *receipt);

#ifdef __cplusplus
}
#endif

#endif
