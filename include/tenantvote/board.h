/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file board.h
 * @brief Voting into the ballot box: the hash-chained board, signed
 *        receipts, revoting and close (SPEC §15.2–§15.4).
 *
 * Each accepted ballot is appended to the board, and the board's head
 * moves on: head_p = H("board"; head_{p-1}, u64be(p), T, u32be(channel),
 * u64be(time)). The append is one SQLite transaction, on disk before the
 * receipt is made: a receipt exists only for a durable ballot. The receipt
 * is signed with the ballot box's Ed25519 key and names the ballot's
 * tracking code, its position, the heads before and after it, the time and
 * the channel. Every ballot stays on the board; which one of a credential
 * counts follows the manifest's revote policy and is derivable by anyone.
 */
#ifndef TENANTVOTE_BOARD_H
#define TENANTVOTE_BOARD_H

#include "ballot.h"
#include "box.h"
#include "common.h"
#include "context.h"
#include "register.h"
#include "signature.h"
#include "spoilt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A signed receipt for a ballot on the board. */
typedef struct tv_receipt {
	uint8_t election[32];   /**< F */
	uint8_t tracking[32];   /**< T of the ballot */
	uint64_t position;      /**< 1, 2, ... on the board */
	uint8_t prev_head[32];  /**< the board's head before the ballot */
	uint8_t head[32];       /**< the board's head after it */
	int64_t time;           /**< when it was received, seconds since 1970 UTC */
	uint32_t channel;       /**< one TV_CHANNEL_* bit */
	tv_ed25519_signature signature; /**< by the box key, over SPEC §15.3's M */
} tv_receipt;

/**
 * Open voting with @p box_key as the ballot box's signing key (made with
 * tv_ed25519_keygen() and stored, encrypted, by the caller first: the
 * library keeps no copy): record its public half and move the election to
 * the open phase.
 * @return TV_OK; TV_ERR_STATE (not in set-up, no credentials issued, or no
 *         election key); TV_ERR_DATABASE; TV_ERR_IO;
 *         TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_open_voting(
	tv_ctx *ctx, tv_box *box, const tv_ed25519_secret_key *box_key);

/**
 * Check and append a ballot, then sign its receipt. Checked in order: the
 * election is open and @p now is within the voting window; @p channel is
 * allowed; the ballot is not one this process challenged, and verifies
 * (tv_ballot_verify(): it is signed); its credential is on the list; it
 * is not on the board already, nor a challenged ballot, nor holds an
 * opened ballot's ciphertext (TV_ERR_REPLAY); under
 * the "first" revote policy, its credential has not voted. The ballot is
 * on disk before this returns TV_OK.
 * @return TV_OK; TV_ERR_STATE (not open, outside the window, channel not
 *         allowed, or a challenged ballot); TV_ERR_WRONG_ELECTION;
 *         TV_ERR_SIGNATURE_INVALID; TV_ERR_PROOF_INVALID;
 *         TV_ERR_CREDENTIAL_INVALID (not on the list); TV_ERR_REPLAY
 *         (already on the board); TV_ERR_ALREADY_VOTED; TV_ERR_ENCODING;
 *         TV_ERR_DATABASE; TV_ERR_IO (disk full); TV_ERR_INVALID_ARGUMENT
 *         (NULL, or @p box_key is not this box's key). Nothing is stored on
 *         any failure, with one exception: if the receipt cannot be signed
 *         after the ballot is stored (only when memory runs out), the call
 *         fails with the ballot on the board; casting it again then gives
 *         TV_ERR_REPLAY naming its position.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_cast(
	tv_ctx *ctx, tv_receipt *receipt, tv_box *box, const tv_ballot *ballot,
	uint32_t channel, const tv_ed25519_secret_key *box_key, int64_t now);

/** Room for an item's failure message, NUL included. */
#define TV_CAST_MESSAGE_BYTES 256

/**
 * One entry of a batch for tv_box_cast_batch(): a ballot or a spoilt paper
 * (exactly one), or, with a source, only a question ("was this intake row
 * cast?"). The library fills the fields marked out.
 */
typedef struct tv_cast_item {
	const tv_ballot *ballot;   /**< the ballot, or NULL */
	const tv_spoilt *spoilt;   /**< the spoilt paper, or NULL */
	uint32_t channel;          /**< one TV_CHANNEL_* bit */
	int has_source;            /**< non-zero when @c source is set */
	uint8_t source[32];        /**< where the entry came from, e.g. an intake
	                                file's row (SPEC §15.7): an item whose
	                                source is already recorded is not cast
	                                again; its receipt is issued again */
	tv_status status;          /**< out: TV_OK, or why this item was refused */
	int already;               /**< out: its source was cast before */
	tv_receipt receipt;        /**< out, when @c status is TV_OK */
	char message[TV_CAST_MESSAGE_BYTES]; /**< out: what is wrong, if it is */
} tv_cast_item;

/**
 * Cast a batch in one transaction, so that one fsync makes them all
 * durable (group commit). Each item is checked as tv_box_cast() checks a
 * ballot (a spoilt paper with tv_spoilt_verify() instead of the proofs);
 * a refused item gets its own status and message and does not stop the
 * others. The receipts are signed only after the commit.
 * @return TV_OK when the batch ran (look at each item's status); otherwise
 *         the whole batch failed and nothing was stored: TV_ERR_STATE (not
 *         open, outside the window); TV_ERR_INVALID_ARGUMENT (NULL, an item
 *         with neither or both of a ballot and a spoilt paper, or not this
 *         box's key); TV_ERR_DATABASE; TV_ERR_IO (disk full); TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_cast_batch(
	tv_ctx *ctx, tv_box *box, tv_cast_item *items, size_t count,
	const tv_ed25519_secret_key *box_key, int64_t now);

/**
 * Sign again the receipt of the entry at @p position (the receipt is the
 * same, byte for byte: Ed25519 signatures are deterministic). For an
 * intake station that lost a receipt, or a cast whose signing failed.
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (no such position, or not this
 *         box's key); TV_ERR_STATE (voting never opened); TV_ERR_DATABASE.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_receipt(
	tv_ctx *ctx, tv_receipt *receipt, tv_box *box, uint64_t position,
	const tv_ed25519_secret_key *box_key);

/**
 * Publish a challenged (opened) ballot (SPEC §15.1.5): checked as
 * tv_ballot_check_challenge() does, then appended to the board as an
 * opened entry, chained like every entry, and its receipt signed (§15.3).
 * It is never counted, and neither it nor any ballot holding one of its
 * ciphertexts can be cast afterwards. Checked in order, as tv_box_cast():
 * the election is open and @p now is within the voting window; @p channel
 * is allowed; the credential is on the list; the ballot is not on the
 * board already. The entry is on disk before this returns TV_OK.
 * @param[out] receipt the signed receipt of the opened entry
 * @return TV_OK; the statuses of tv_ballot_check_challenge(); TV_ERR_STATE
 *         (not open, outside the window, channel not allowed);
 *         TV_ERR_CREDENTIAL_INVALID; TV_ERR_REPLAY (that ballot is on the
 *         board already); TV_ERR_DATABASE; TV_ERR_IO;
 *         TV_ERR_INVALID_ARGUMENT (NULL, or @p box_key is not this box's).
 */
TV_API TV_WARN_UNUSED tv_status tv_box_challenge(
	tv_ctx *ctx, tv_receipt *receipt, tv_box *box, const char *opened,
	size_t len, uint32_t channel, const tv_ed25519_secret_key *box_key,
	int64_t now);

/** tv_box_apply_credential_changes(): a revocation may void a counted entry */
#define TV_CHANGE_VOID_COUNTED 1u

/** One change to the credential list, made by the credential authority
 *  (tv_authority_change(), SPEC §11.7), for tv_box_apply_credential_changes(). */
typedef struct tv_credential_change {
	int revoke;             /**< 0 an addition, 1 a revocation */
	const char *entry;      /**< the authority's signed entry (JSON) */
	size_t len;             /**< its bytes */
	/** an addition: the tenant (1, 2, ... as in the box) the new credential
	 *  belongs to, whose every other credential is revoked (a replacement
	 *  for a lost letter); or 0 for a late tenant, given in @p late.
	 *  A revocation: 0 */
	uint32_t tenant;
	/** an addition with @p tenant 0: the late tenant's register fields,
	 *  stored in the box (for the marked register) and never published */
	const tv_tenant *late;
} tv_credential_change;

/**
 * Append the credential authority's changes to the list (SPEC §11.7) to
 * the board, all of them or none, in one transaction: each a
 * "credential-added" or "credential-revoked" entry, chained like a ballot
 * (channel 0, time @p now), with one audit log row each. Checked, in
 * order, for each change (the first failure refuses them all and stores
 * nothing): the entry reads; voting is open and @p now is within the
 * voting window and not before the board's last entry; the signature
 * holds under the authority's key over the election and the list the box
 * imported; an addition's credential is not on the list (nor added nor
 * revoked), and its tenant exists and holds no credential that is not
 * revoked (or it is a late tenant); a revocation's credential is on the
 * list and not revoked yet, and has no counted entry (a ballot or spoilt
 * paper) unless @p flags has TV_CHANGE_VOID_COUNTED: a revocation voids
 * every entry of its credential.
 * @param[out] positions the board position of each change (may be NULL)
 * @return TV_OK; TV_ERR_ENCODING, TV_ERR_POINT_INVALID (the entry);
 *         TV_ERR_STATE (not open, outside the window, a counted entry
 *         without the flag, a tenant that still holds a credential or is
 *         not on the register); TV_ERR_SIGNATURE_INVALID (not signed by
 *         this election's credential authority over its list: another
 *         authority's, another election's, or altered);
 *         TV_ERR_CREDENTIAL_INVALID (an addition of a credential on the
 *         list, a revocation of one not on it or revoked already);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_DATABASE; TV_ERR_IO; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_apply_credential_changes(
	tv_ctx *ctx, uint64_t *positions, tv_box *box,
	const tv_credential_change *changes, size_t count, unsigned flags,
	int64_t now);

/**
 * Apply the credential authority's change file (SPEC §11.7): its format
 * read, its election and authority compared with the box's, then every
 * change applied as tv_box_apply_credential_changes() does, all or none.
 * @param[out] count the number of changes applied (may be NULL)
 * @param[out] first the board position of the first (may be NULL)
 * @return TV_OK; TV_ERR_ENCODING (not a change file, naming the field);
 *         TV_ERR_WRONG_ELECTION (another election's, or another
 *         authority's); the statuses of tv_box_apply_credential_changes().
 */
TV_API TV_WARN_UNUSED tv_status tv_box_apply_change_file(
	tv_ctx *ctx, size_t *count, uint64_t *first, tv_box *box, const char *text,
	size_t len, unsigned flags, int64_t now);

/**
 * Obsolete: an opened ballot now goes on the board, which needs a channel,
 * a time and the box key: use tv_box_challenge(). Kept for the ABI.
 * @return TV_ERR_STATE, always.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_record_challenge(tv_ctx *ctx,
                                                        tv_box *box,
                                                        const char *opened,
                                                        size_t len);

/**
 * Check a receipt's signature against the box's public key.
 * @return TV_OK; TV_ERR_SIGNATURE_INVALID; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_receipt_verify(
	tv_ctx *ctx, const tv_receipt *receipt,
	const tv_ed25519_public_key *box_public_key);

/**
 * Check a receipt against the box: signed by this box's key, for this
 * election, and its ballot is on the board at its position with the heads
 * it names. @p counts is set to 1 when that ballot is the one that counts
 * for its credential under the revote policy, else 0.
 * @return TV_OK; TV_ERR_SIGNATURE_INVALID; TV_ERR_WRONG_ELECTION;
 *         TV_ERR_STATE (voting never
 *         opened); TV_ERR_PROOF_INVALID (not on the board as the receipt
 *         says: the message says what differs); TV_ERR_DATABASE.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_check_receipt(tv_ctx *ctx,
                                                     int *counts,
                                                     tv_box *box,
                                                     const tv_receipt *receipt);

/** The longest reason for closing early, in bytes (SPEC §15.4). */
#define TV_CLOSE_REASON_MAX 500

/**
 * Close voting at the time @p now: nothing is accepted afterwards. The
 * box signs H("close-at"; F, u64be(ballots), final head, u64be(now),
 * reason) (SPEC §15.4) and records it; the record's close.json
 * (tenantvote-close/2) shows when voting closed and why, and the verifier
 * checks both against the signature.
 *
 * Before the manifest's advertised end (tv_manifest_closes()) a close is
 * early and needs @p reason: the officer's words, for the record and the
 * audit log. A reason is at most ::TV_CLOSE_REASON_MAX bytes of UTF-8
 * with no control characters (SPEC §9.1), and not only spaces. At or
 * after the end, @p reason may be NULL (recorded as "").
 * @param now     the close time, seconds since 1970 UTC: not before the
 *                board's last entry
 * @param reason  NUL-terminated, or NULL
 * @param[out] ballots  NULL, or the number of entries on the board
 * @param[out] head     NULL, or the final head (32 bytes)
 * @return TV_OK; TV_ERR_STATE (not open; or early with no reason: the
 *         message says when voting closes); TV_ERR_INVALID_ARGUMENT (NULL,
 *         not this box's key, @p now before the board's last entry, a
 *         reason too long or only spaces); TV_ERR_UTF8 (a reason that is
 *         not UTF-8 or holds a control character); TV_ERR_DATABASE;
 *         TV_ERR_IO. Nothing changes on failure.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_close_voting_at(
	tv_ctx *ctx, uint64_t *ballots, uint8_t head[32], tv_box *box,
	const tv_ed25519_secret_key *box_key, int64_t now, const char *reason);

/**
 * tv_box_close_voting_at() at the current time with no reason: refused
 * (TV_ERR_STATE) before the manifest's advertised end.
 * @param[out] ballots  NULL, or the number of ballots on the board
 * @param[out] head     NULL, or the final head (32 bytes)
 * @return as tv_box_close_voting_at().
 */
TV_API TV_WARN_UNUSED tv_status tv_box_close_voting(
	tv_ctx *ctx, uint64_t *ballots, uint8_t head[32], tv_box *box,
	const tv_ed25519_secret_key *box_key);

/**
 * Re-check the whole board against itself: positions 1..N without a gap,
 * every head recomputed from the previous one (§15.2), every tracking code
 * recomputed from its stored ballot, every credential on the list.
 * @param[out] ballots  NULL, or N (every entry, opened ballots included)
 * @param[out] by_channel NULL, or the entries that are votes (ballots and
 *                      spoilt papers, not opened ballots) per channel:
 *                      [0] online, [1] phone, [2] postal, [3] in person
 * @return TV_OK; TV_ERR_PROOF_INVALID (the message names the position and
 *         what is wrong); TV_ERR_DATABASE; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_verify_board(tv_ctx *ctx,
                                                    uint64_t *ballots,
                                                    uint64_t by_channel[4],
                                                    tv_box *box);

/** One line of the marked register: a tenant who voted, never how. */
typedef struct tv_marked_tenant {
	const tv_tenant *tenant;  /**< borrowed for the call */
	uint32_t ballots;         /**< ballots on the board, revotes included */
	uint32_t channels;        /**< TV_CHANNEL_* bits of those ballots */
} tv_marked_tenant;

/** Called once per tenant who voted, in register order; 0 to go on. */
typedef int (*tv_marked_fn)(const tv_marked_tenant *marked, void *payload);

/**
 * The marked register (SPEC §15.5): who has voted and by which channels,
 * never how. Each export is recorded in the audit log with @p purpose, as
 * a marked register is personal data released for a stated reason.
 * @param purpose  why it is exported (for the audit log), not empty
 * @return TV_OK; TV_ERR_STATE (voting never opened); TV_ERR_IO (@p fn
 *         stopped); TV_ERR_DATABASE; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_marked_register(tv_ctx *ctx,
                                                       tv_box *box,
                                                       const char *purpose,
                                                       tv_marked_fn fn,
                                                       void *payload);

/** The receipt as JSON (SPEC §15.3), library-allocated (tv_free()). */
TV_API TV_WARN_UNUSED tv_status tv_receipt_to_json(tv_ctx *ctx, char **out,
                                                   const tv_receipt *receipt);

/**
 * A receipt from its JSON (untrusted input).
 * @return TV_OK; TV_ERR_ENCODING naming the field; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_receipt_from_json(tv_ctx *ctx,
                                                     tv_receipt *out,
                                                     const char *json,
                                                     size_t len);

/*
 * Accessors for a program that cannot see struct tv_receipt's layout (a
 * binding for another language): it allocates tv_receipt_size() bytes,
 * fills them with tv_receipt_from_json() (or tv_box_cast()) and reads the
 * fields with these. Each accepts only a receipt, never NULL.
 */
/** sizeof(tv_receipt): the bytes to allocate for one receipt. */
TV_API size_t tv_receipt_size(void);
/** The receipt's position on the board (1, 2, ...). */
TV_API uint64_t tv_receipt_position(const tv_receipt *receipt);
/** When the ballot was received, seconds since 1970 UTC. */
TV_API int64_t tv_receipt_time(const tv_receipt *receipt);
/** The channel it came by: one TV_CHANNEL_* bit. */
TV_API uint32_t tv_receipt_channel(const tv_receipt *receipt);
/** The ballot's 32-byte tracking code T (tv_tracking_text() shortens it). */
TV_API void tv_receipt_tracking(uint8_t out[32], const tv_receipt *receipt);
/** The election fingerprint F the receipt is for (32 bytes). */
TV_API void tv_receipt_election(uint8_t out[32], const tv_receipt *receipt);
/** The board's head after the ballot (32 bytes). */
TV_API void tv_receipt_head(uint8_t out[32], const tv_receipt *receipt);

#ifdef __cplusplus
}
#endif

#endif
