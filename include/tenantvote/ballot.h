/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file ballot.h
 * @brief Encrypted ballots, built on a tenant's device or at an intake
 *        station, and the Benaloh challenge (SPEC §15.1).
 *
 * A ballot holds, for each option of the manifest, an ElGamal encryption
 * of 1 (chosen) or 0 under the election key with a proof that it is 0 or
 * 1; a proof that the total is 1 (or 0 or 1 when blank ballots are
 * allowed); the tenant's public credential; and a Schnorr signature by the
 * credential over all of it and the election fingerprint. Every proof
 * binds the election and the credential, so a ballot can be neither moved
 * to another election nor re-signed under another credential.
 *
 * Cast or challenge: a device that has prepared a ballot may instead open
 * it (tv_ballot_challenge()): the nonces are revealed so anyone can check
 * that it encrypts the choice the device showed, and that ballot is then
 * never cast (it is marked challenged, and the box refuses a challenged
 * ballot it has been shown).
 */
#ifndef TENANTVOTE_BALLOT_H
#define TENANTVOTE_BALLOT_H

#include "common.h"
#include "context.h"
#include "elgamal.h"
#include "group.h"
#include "manifest.h"
#include "proof.h"
#include "signature.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An encrypted, proven, signed ballot (opaque). */
typedef struct tv_ballot tv_ballot;

/** What a device keeps to open its ballot on challenge (opaque, secret). */
typedef struct tv_ballot_secrets tv_ballot_secrets;

/** The choice meaning "no option chosen" (a blank ballot). */
#define TV_BALLOT_BLANK 0

/** Characters of the short tracking code, "ABCD-EFGH-JKMN-PQRS". */
#define TV_TRACKING_TEXT_LEN 19

/** The longest ballot JSON accepted, in bytes. */
#define TV_BALLOT_JSON_MAX 262144

/**
 * Prepare a ballot: encrypt @p choice (an option id 1..m, or
 * TV_BALLOT_BLANK) for the tenant whose credential code is @p code, under
 * the election key, with every proof, but unsigned. Its tracking code
 * (tv_ballot_tracking_text()) is final: signing does not change it. The
 * tenant then casts it (tv_ballot_sign(), then the box) or challenges it
 * (tv_ballot_challenge()). Constant time as tv_ballot_encrypt().
 *
 * @param[out] out     the unsigned ballot (tv_ballot_free()); NULL on failure
 * @param[out] secrets NULL, or what tv_ballot_challenge() needs to open the
 *                     ballot (tv_ballot_secrets_free(), which wipes it)
 * @return TV_OK; TV_ERR_CREDENTIAL_INVALID (the code is mistyped);
 *         TV_ERR_RANGE_INVALID (no such option, or blank not allowed);
 *         TV_ERR_POINT_INVALID (bad key); TV_ERR_RANDOM;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ballot_prepare(
	tv_ctx *ctx, tv_ballot **out, tv_ballot_secrets **secrets,
	const tv_manifest *manifest, const tv_point *election_key,
	const char *code, size_t code_len, uint32_t choice);

/**
 * Cast a prepared ballot: sign its tracking code with the credential whose
 * code is @p code (SPEC §15.1.1). A challenged ballot is never signed.
 * Constant time in the symbols of @p code and the credential key.
 * @return TV_OK; TV_ERR_STATE (the ballot was challenged, or is signed
 *         already); TV_ERR_CREDENTIAL_INVALID (the code is mistyped, or is
 *         not the credential the ballot was prepared for); TV_ERR_RANDOM;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ballot_sign(tv_ctx *ctx, tv_ballot *ballot,
                                               const char *code, size_t code_len);

/**
 * tv_ballot_prepare() then tv_ballot_sign() in one call, for a ballot that
 * is cast at once and never challenged (an intake station's). Constant
 * time in @p choice, in the symbols of @p code and in every secret derived
 * from them (the credential key, the nonces and the proofs' draws);
 * revealed are the ballot, whether the choice is allowed and whether the
 * code is well formed (the errors), and the code's layout.
 *
 * @param[out] out     the signed ballot (tv_ballot_free()); NULL on failure
 * @param[out] secrets must be NULL: a signed ballot can never be opened
 *                     (use tv_ballot_prepare() to keep the secrets)
 * @return TV_OK; TV_ERR_CREDENTIAL_INVALID (the code is mistyped);
 *         TV_ERR_RANGE_INVALID (no such option, or blank not allowed);
 *         TV_ERR_POINT_INVALID (bad key); TV_ERR_RANDOM;
 *         TV_ERR_INVALID_ARGUMENT (NULL, or @p secrets is not NULL);
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ballot_encrypt(
	tv_ctx *ctx, tv_ballot **out, tv_ballot_secrets **secrets,
	const tv_manifest *manifest, const tv_point *election_key,
	const char *code, size_t code_len, uint32_t choice);

/**
 * Check a cast ballot against the election: its fingerprint, the number of
 * options, the signature and every proof. It does not check that the
 * credential is on the election's list: the ballot box does that.
 * @return TV_OK; TV_ERR_WRONG_ELECTION; TV_ERR_ENCODING (wrong number of
 *         options or total range); TV_ERR_SIGNATURE_INVALID (also for an
 *         unsigned ballot);
 *         TV_ERR_PROOF_INVALID (the message names the option);
 *         TV_ERR_POINT_INVALID; TV_ERR_SCALAR_RANGE;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ballot_verify(tv_ctx *ctx,
                                                 const tv_ballot *ballot,
                                                 const tv_manifest *manifest,
                                                 const tv_point *election_key);

/**
 * The ballot's canonical JSON (SPEC §15.1.4), library-allocated (tv_free()).
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_ballot_to_json(tv_ctx *ctx, char **out,
                                                  size_t *len,
                                                  const tv_ballot *ballot);

/**
 * Read a ballot from JSON, signed or prepared (unsigned: no "signature"
 * key), as tv_ballot_to_json() writes it (untrusted input: every field's
 * type, length and encoding is checked; it is not verified: call
 * tv_ballot_verify()).
 * @return TV_OK; TV_ERR_ENCODING (naming the field); TV_ERR_POINT_INVALID;
 *         TV_ERR_SCALAR_RANGE; TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_ballot_from_json(tv_ctx *ctx,
                                                    tv_ballot **out,
                                                    const char *json,
                                                    size_t len);

/** The ballot's tracking code: 32 bytes naming it on the board, the same
 *  before and after it is signed. */
TV_API void tv_ballot_tracking(uint8_t out[32], const tv_ballot *ballot);

/** The short, typeable form of the tracking code, with a check symbol. */
TV_API void tv_ballot_tracking_text(char out[TV_TRACKING_TEXT_LEN + 1],
                                    const tv_ballot *ballot);

/**
 * The short, typeable form (SPEC §15.1.1) of the 32-byte tracking code
 * @p tracking, as tv_ballot_tracking_text() writes it for a ballot.
 */
TV_API void tv_tracking_text(char out[TV_TRACKING_TEXT_LEN + 1], const uint8_t tracking[32]);

/** The credential that signed the ballot (borrowed). */
TV_API const tv_point *tv_ballot_credential(const tv_ballot *ballot);

/** The number of options m. */
TV_API uint32_t tv_ballot_option_count(const tv_ballot *ballot);

/** The encrypted vote for option @p id (1..m), borrowed; NULL if none. */
TV_API const tv_ciphertext *tv_ballot_ciphertext(const tv_ballot *ballot,
                                                 uint32_t id);

/** Non-zero once tv_ballot_challenge() has opened this ballot. */
TV_API int tv_ballot_is_challenged(const tv_ballot *ballot);

/** Non-zero once the ballot is signed (cast, or read with a signature). */
TV_API int tv_ballot_is_signed(const tv_ballot *ballot);

/**
 * Open (challenge) a prepared ballot: the JSON of SPEC §15.1.5 with the
 * unsigned ballot, the choice and every nonce, for anyone to check with
 * tv_ballot_check_challenge(). The ballot is marked challenged, so it can
 * never be signed, and @p secrets is wiped and freed, whatever the outcome.
 * @return TV_OK; TV_ERR_STATE (the ballot is signed: a cast ballot is never
 *         opened); TV_ERR_INVALID_ARGUMENT (NULL, or the secrets belong to
 *         another ballot); TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_ballot_challenge(tv_ctx *ctx, char **out,
                                                    tv_ballot *ballot,
                                                    tv_ballot_secrets *secrets);

/**
 * Check an opened ballot: the ballot inside is unsigned and its proofs
 * verify, and each ciphertext is the encryption of 1 for the shown choice
 * and 0 otherwise with the shown nonce. On TV_OK, @p choice is the choice
 * (TV_BALLOT_BLANK for blank).
 * @return TV_OK; TV_ERR_PROOF_INVALID (a ciphertext does not open to the
 *         shown choice: the device lied); the statuses of
 *         tv_ballot_from_json() and tv_ballot_verify().
 */
TV_API TV_WARN_UNUSED tv_status tv_ballot_check_challenge(
	tv_ctx *ctx, uint32_t *choice, const char *json, size_t len,
	const tv_manifest *manifest, const tv_point *election_key);

/** Free a ballot. NULL accepted. */
TV_API void tv_ballot_free(tv_ballot *ballot);

/** Wipe and free ballot secrets. NULL accepted. */
TV_API void tv_ballot_secrets_free(tv_ballot_secrets *secrets);

#ifdef __cplusplus
}
#endif

#endif
