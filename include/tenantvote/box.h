/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file box.h
 * @brief The ballot box: one SQLite database in the election folder (SPEC §14).
 *
 * The election folder holds `election.db`, the ballot box. It keeps the
 * manifest, the tenant register, the public credentials (never the codes),
 * the election key from the trustees' ceremony, the board of ballots and an
 * audit log of every change. Its schema carries a version and is migrated
 * forward on open; a box made by a newer tenantvote is refused.
 *
 * Every change is one SQLite transaction (WAL journal, synchronous=FULL):
 * it happens completely or not at all, and is on disk when the call
 * returns. Each operation checks that the election is at a stage where it
 * makes sense and refuses with TV_ERR_STATE, saying why, when it is not.
 *
 * Several processes may open the same box; SQLite serialises their writes.
 * A ::tv_box is used by one thread at a time.
 */
#ifndef TENANTVOTE_BOX_H
#define TENANTVOTE_BOX_H

#include "common.h"
#include "context.h"
#include "ceremony.h"
#include "group.h"
#include "manifest.h"
#include "register.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open ballot box. */
typedef struct tv_box tv_box;

/** The file name of the ballot box inside the election folder. */
#define TV_BOX_FILE "election.db"

/** The stage of an election. */
typedef enum tv_phase {
	TV_PHASE_SETUP = 1,  /**< manifest, register, credentials, key ceremony */
	TV_PHASE_OPEN = 2,   /**< voting */
	TV_PHASE_CLOSED = 3, /**< the board is closed; the count may start */
} tv_phase;

/** What tv_box_get_status() reports. */
typedef struct tv_box_status {
	tv_phase phase;             /**< the stage of the election */
	uint32_t electorate;        /**< tenants on the register */
	int register_imported;      /**< non-zero once a register is in */
	int credentials_issued;     /**< non-zero once credentials are issued */
	int election_key_ready;     /**< non-zero once the ceremony is recorded */
	uint32_t schema_version;    /**< of the database */
	uint64_t ballots;           /**< ballots on the board, revotes included */
	uint64_t voters;            /**< credentials with at least one ballot */
	uint64_t by_channel[4];     /**< ballots: online, phone, postal, in person */
} tv_box_status;

/**
 * Make a new election in folder @p dir (created with mode 0700 if missing)
 * from @p manifest.
 * @param[out] out the open box (tv_box_free()); NULL on failure
 * @return TV_OK; TV_ERR_EXISTS (the folder already holds an election);
 *         TV_ERR_IO (the folder cannot be made or written); TV_ERR_DATABASE;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM. On failure nothing is left
 *         behind in @p dir.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_create(tv_ctx *ctx, tv_box **out,
                                              const char *dir,
                                              const tv_manifest *manifest);

/**
 * Open the election in folder @p dir, migrating its schema if older.
 * @return TV_OK; TV_ERR_IO (no election there: the message says how to make
 *         one); TV_ERR_DATABASE (damaged, not a ballot box, made by a newer
 *         tenantvote, or busy); TV_ERR_MANIFEST_INVALID (the stored manifest
 *         does not check); TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_open(tv_ctx *ctx, tv_box **out,
                                            const char *dir);

/** Close the box. NULL accepted. */
TV_API void tv_box_free(tv_box *box);

/** The election's manifest, borrowed from the box. */
TV_API const tv_manifest *tv_box_manifest(const tv_box *box);

/**
 * The election's state and counts.
 * @return TV_OK; TV_ERR_DATABASE; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_get_status(tv_ctx *ctx,
                                                  tv_box_status *out,
                                                  tv_box *box);

/**
 * Put @p reg in the box, replacing any register imported before.
 * @param source_name the file it came from, for the audit log
 * @return TV_OK; TV_ERR_STATE (credentials already issued, or voting has
 *         started); TV_ERR_DATABASE; TV_ERR_IO (disk full);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM. Nothing changes on failure.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_import_register(tv_ctx *ctx,
                                                       tv_box *box,
                                                       const tv_register *reg,
                                                       const char *source_name);

/**
 * Called once per tenant with the tenant's new credential code, to print
 * the letter; then once with @p tenant NULL and @p code NULL to say that
 * all letters are written (flush and sync them now). Return 0 to go on,
 * non-zero to stop: then nothing is stored.
 */
typedef int (*tv_letter_fn)(const tv_tenant *tenant, const char *code,
                            void *payload);

/**
 * Issue one credential per tenant on the register: a new secret code for
 * the letter and its public credential for the box. The codes are passed
 * to @p letter and kept nowhere else. All or nothing: the credentials are
 * stored only after every letter was written and the final call said so.
 * @return TV_OK; TV_ERR_STATE (no register, already issued, or voting has
 *         started); TV_ERR_IO (@p letter refused: the message says so);
 *         TV_ERR_DATABASE; TV_ERR_RANDOM; TV_ERR_INVALID_ARGUMENT;
 *         TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_issue_credentials(tv_ctx *ctx,
                                                         tv_box *box,
                                                         tv_letter_fn letter,
                                                         void *payload);

/**
 * Import the credential authority's signed issue file (SPEC §11.5), made
 * on the authority's own machine by tv_authority_issue() from the same
 * register. The file must be for this election and this register, list
 * one valid, distinct credential per tenant, and carry the authority's
 * valid signature. All or nothing.
 * @return TV_OK; TV_ERR_ENCODING (not an issue file: the message names the
 *         field); TV_ERR_WRONG_ELECTION (another election or register);
 *         TV_ERR_SIGNATURE_INVALID; TV_ERR_PROOF_INVALID (a credential
 *         twice); TV_ERR_STATE (no register, already issued, or voting has
 *         started); TV_ERR_DATABASE; TV_ERR_IO; TV_ERR_INVALID_ARGUMENT;
 *         TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_import_credentials(tv_ctx *ctx,
                                                          tv_box *box,
                                                          const char *issue_json,
                                                          size_t len);

/**
 * The ceremony context C (SPEC §11.6): what the trustees' key ceremony is
 * bound to, the election and the credential authority's signed list.
 * Trustees pass it to tv_trustee_new() as the fingerprint.
 * @return TV_OK; TV_ERR_STATE (no credentials yet); TV_ERR_DATABASE;
 *         TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_ceremony_context(tv_ctx *ctx, uint8_t out[32],
                                                        tv_box *box);

/**
 * Called for each public credential in order: @p index from 0.
 * Return 0 to go on, non-zero to stop (the call then returns TV_ERR_IO).
 */
typedef int (*tv_credential_fn)(uint32_t index, const tv_point *credential,
                                void *payload);

/**
 * Visit the public credentials, in the order they were issued.
 * @return TV_OK; TV_ERR_STATE (not issued yet); TV_ERR_DATABASE; TV_ERR_IO.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_each_credential(tv_ctx *ctx,
                                                       tv_box *box,
                                                       tv_credential_fn fn,
                                                       void *payload);

/**
 * The public ceremony kit of this election (SPEC §12.12): what each trustee
 * needs to make, share and combine keys on its own machine, and nothing
 * about any tenant. Its JSON text, to hand to the trustees; they read it
 * with tv_ceremony_kit_from_json().
 *
 * @param[out] out the NUL-terminated text, ending with one LF, owned by the
 *                 caller (tv_free()); NULL on failure
 * @param[out] len its length without the NUL; may be NULL
 * @return TV_OK; TV_ERR_STATE (the election key is already recorded: the
 *         ceremony is over); TV_ERR_DATABASE; TV_ERR_INVALID_ARGUMENT;
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_ceremony_kit(tv_ctx *ctx, char **out,
                                                    size_t *len, tv_box *box);

/**
 * Verify a finished key ceremony's transcript (tv_ceremony_verify() with
 * this election's ceremony context, SPEC §12.12, and its trustees and
 * threshold) and record the election key it yields, with the transcript,
 * for the record. The key is never taken from the caller: it is what the
 * messages prove. Nothing is stored unless every check passes.
 * @param commits, reveals, results  @p count messages each, one per trustee
 * @return TV_OK; TV_ERR_CEREMONY_INVALID (the transcript fails a check; the
 *         message names the trustee); TV_ERR_STATE (voting has started, or
 *         a key is already recorded); TV_ERR_DATABASE; TV_ERR_IO;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_set_election_key(
	tv_ctx *ctx, tv_box *box, const char *const *commits,
	const char *const *reveals, const char *const *results, size_t count);

/**
 * The recorded election key: K, n, k and every trustee's verification key.
 * @return TV_OK; TV_ERR_STATE (no key yet); TV_ERR_DATABASE.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_election_key(tv_ctx *ctx,
                                                    tv_election_key *out,
                                                    tv_box *box);

/**
 * The recorded election key K alone, as tv_box_election_key() gives it:
 * for a program that cannot see ::tv_election_key's layout (a binding for
 * another language). A ::tv_point is its TV_POINT_BYTES bytes (SEC1).
 * @return TV_OK; TV_ERR_STATE (no key yet); TV_ERR_DATABASE;
 *         TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_election_key_point(tv_ctx *ctx, tv_point *out,
                                                          tv_box *box);

/** One row of the ballot box's audit log (SPEC §14.2). */
typedef struct tv_audit_event {
	uint64_t seq;        /**< 1, 2, … in the order they happened */
	int64_t at;          /**< when, seconds since 1970 UTC */
	const char *event;   /**< e.g. "voting-closed" (borrowed for the call) */
	const char *detail;  /**< e.g. "5 ballots" (borrowed for the call) */
} tv_audit_event;

/** Called once per audit log row; return 0 to go on, non-zero to stop. */
typedef int (*tv_audit_fn)(const tv_audit_event *event, void *payload);

/**
 * Visit the audit log (SPEC §14.2) in order: every row whose time is in
 * @p since .. @p until (both included; INT64_MIN and INT64_MAX for all)
 * and, unless @p event is NULL, whose event is @p event. Reading changes
 * nothing and is not logged.
 * @return TV_OK; TV_ERR_IO (@p fn stopped); TV_ERR_DATABASE (the box is
 *         busy, or a row is damaged); TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_audit_log(tv_ctx *ctx, tv_box *box,
                                                 int64_t since, int64_t until,
                                                 const char *event,
                                                 tv_audit_fn fn, void *payload);

/** Called as a backup goes: @p done of @p total database pages copied. */
typedef void (*tv_backup_progress_fn)(uint64_t done, uint64_t total,
                                      void *payload);

/**
 * A consistent copy of the ballot box in the new file @p out, taken with
 * SQLite's online backup while voting goes on (SPEC §14.5): copied in
 * steps of pages, each step retried while another process holds the box;
 * a write by another process in between starts the copy again, so the
 * copy is of one instant. The copy is made under a temporary name beside
 * @p out (mode 0600: it holds the register), then checked: SQLite's
 * integrity check, it opens as a ballot box of this election, and its
 * board's chain verifies to its last head (tv_box_verify_board()). Only
 * then is it synced and given the name @p out, never replacing a file.
 * It does not hold the box's signing key, which is in the election
 * folder's box-key.secret: back that file up once, when voting opens.
 * @param[out] entries  NULL, or the board entries in the copy
 * @return TV_OK; TV_ERR_EXISTS (@p out exists); TV_ERR_IO (the folder of
 *         @p out cannot be written, or the disk is full: nothing is left
 *         behind); TV_ERR_DATABASE (the copy fails a check, or the box
 *         stayed busy); TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_backup(tv_ctx *ctx, uint64_t *entries,
                                              tv_box *box, const char *out,
                                              tv_backup_progress_fn progress,
                                              void *payload);

#ifdef __cplusplus
}
#endif

#endif
