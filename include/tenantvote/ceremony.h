/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file ceremony.h
 * @brief The trustees' threshold key ceremony (SPEC §12): k-of-n Feldman
 *        verifiable secret sharing with proofs of knowledge.
 *
 * The election key K is made jointly by n trustees so that any k of them
 * can decrypt the count and no k − 1 of them (the returning officer, who
 * is not a trustee, included) can decrypt anything. No trustee can choose
 * or bias K: every trustee commits to its contribution before any is
 * revealed.
 *
 * Trustees are different people on different machines who exchange files,
 * so each step is one call that reads messages (JSON text) and writes one:
 *
 *  1. tv_trustee_new() makes trustee i's secrets; tv_trustee_commit()
 *     writes its COMMIT message (keys and a hash of its coefficient
 *     commitments, nothing that reveals them).
 *  2. With all n COMMIT messages, tv_trustee_reveal() writes trustee i's
 *     REVEAL message: the coefficient commitments with a proof of
 *     knowledge of each, and every other trustee's share encrypted to that
 *     trustee's transport key. It refuses until every trustee has
 *     committed.
 *  3. With all n REVEAL messages, tv_trustee_combine() checks every
 *     commitment, proof and share, keeps trustee i's share of the secret
 *     key, and writes its RESULT message (the election key and its
 *     verification key, with a proof that it holds its share). A share
 *     that does not match its sender's commitments fails the call naming
 *     the sender, and gives a COMPLAINT message that anyone can check with
 *     tv_ceremony_check_complaint().
 *  4. Anyone (an observer, the ballot box) checks the whole public
 *     transcript (all COMMIT, REVEAL and RESULT messages) with
 *     tv_ceremony_verify() and gets the ::tv_election_key.
 *
 * A trustee's secret state is saved between the steps with
 * tv_trustee_serialize() and read back with tv_trustee_deserialize(); it
 * must be encrypted at rest (tv_secretfile_seal() and friends).
 *
 * Every message is untrusted input: at most TV_CEREMONY_MESSAGE_MAX
 * bytes, duplicate or unknown keys refused, every field checked. Every
 * rejection is TV_ERR_CEREMONY_INVALID with a message naming the trustee
 * at fault (or the message's position when it names none) and the field.
 *
 * Constant time: the trustee's secrets (coefficients, transport and
 * signing keys, shares received and the combined share) are combined only
 * with the library's fixed-width arithmetic mod n (polynomial evaluation,
 * the sum of shares) and reach OpenSSL only in its constant-time scalar
 * multiplication and SHA-256. What is revealed is the messages and whether
 * a received share is bad (the complaint). Parsing and verification take
 * public inputs.
 */
#ifndef TENANTVOTE_CEREMONY_H
#define TENANTVOTE_CEREMONY_H

#include "common.h"
#include "context.h"
#include "group.h"
#include "manifest.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Trustees in a ceremony: 1 <= threshold <= trustees <= this. */
#define TV_CEREMONY_MAX_TRUSTEES 16
/** The longest message accepted, in bytes before the terminating NUL. */
#define TV_CEREMONY_MESSAGE_MAX 65536
/** Bytes of the election fingerprint every message is bound to. */
#define TV_CEREMONY_FINGERPRINT_BYTES 32
/** Bytes of a trustee's serialized secret state with threshold @p k. */
#define TV_TRUSTEE_STATE_BYTES(k) (378 + 129 * (size_t)(k))
/** The largest serialized secret state (threshold 16): 2442 bytes. */
#define TV_TRUSTEE_STATE_MAX TV_TRUSTEE_STATE_BYTES(TV_CEREMONY_MAX_TRUSTEES)

/** The "format" value of each message (SPEC §12.4). */
#define TV_CEREMONY_COMMIT_FORMAT "tenantvote-ceremony-commit/1" /**< a commitment */
#define TV_CEREMONY_REVEAL_FORMAT "tenantvote-ceremony-reveal/1" /**< a reveal */
#define TV_CEREMONY_RESULT_FORMAT "tenantvote-ceremony-result/1" /**< a result */
#define TV_CEREMONY_COMPLAINT_FORMAT "tenantvote-ceremony-complaint/1" /**< a complaint */

/** One trustee's secret state in the ceremony: opaque, holds secrets. */
typedef struct tv_trustee tv_trustee;

/** How far a trustee has come; each step is allowed only in order. */
typedef enum tv_trustee_stage {
	TV_TRUSTEE_KEYS_MADE = 1, /**< after tv_trustee_new(): may commit */
	TV_TRUSTEE_REVEALED = 2,  /**< has revealed to one set of commits */
	TV_TRUSTEE_COMBINED = 3   /**< holds its share of the election key */
} tv_trustee_stage;

/**
 * The election's public key and what the count needs to check partial
 * decryptions: a plain value, made by tv_ceremony_verify().
 */
typedef struct tv_election_key {
	tv_point key;        /**< K, the joint ElGamal public key */
	uint32_t trustees;   /**< n */
	uint32_t threshold;  /**< k: any k trustees can decrypt */
	/** X_l = x_l·G for trustee l at [l − 1]; entries past n are zero */
	tv_point verification_key[TV_CEREMONY_MAX_TRUSTEES];
} tv_election_key;

/**
 * Make trustee @p index's secrets for a ceremony of @p trustees with
 * threshold @p threshold: a random polynomial of degree threshold − 1, a
 * transport key pair for receiving shares, a signing key pair, and a proof
 * of knowledge for each (SPEC §12.3 step 1).
 *
 * @param[out] out         the trustee, owned by the caller
 *                         (tv_trustee_free()); NULL on failure. It keeps
 *                         @p ctx, which must outlive it
 * @param      fingerprint the ceremony context (tv_ceremony_kit_context())
 * @param      index       this trustee's number i, 1 <= i <= trustees
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL argument, or not
 *         1 <= threshold <= trustees <= TV_CEREMONY_MAX_TRUSTEES, or
 *         index not in 1..trustees); TV_ERR_RANDOM; TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_trustee_new(
	tv_ctx *ctx, tv_trustee **out,
	const uint8_t fingerprint[TV_CEREMONY_FINGERPRINT_BYTES], uint32_t index,
	uint32_t trustees, uint32_t threshold);

/** Wipe every secret of @p trustee and free it. NULL is accepted. */
TV_API void tv_trustee_free(tv_trustee *trustee);

/** The trustee's number i (1..n); 0 for NULL. */
TV_API uint32_t tv_trustee_index(const tv_trustee *trustee);

/** The trustee's stage; 0 for NULL. */
TV_API tv_trustee_stage tv_trustee_get_stage(const tv_trustee *trustee);

/**
 * Write the trustee's COMMIT message (SPEC §12.4.1). Allowed at every
 * stage; each call signs afresh, so the text differs between calls but
 * the content that counts (its digest) does not.
 *
 * @param[out] out the NUL-terminated JSON text, owned by the caller
 *                 (tv_free()); NULL on failure
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL argument); TV_ERR_RANDOM;
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_trustee_commit(tv_ctx *ctx, char **out,
                                                  const tv_trustee *trustee);

/**
 * Check every trustee's COMMIT message and write this trustee's REVEAL
 * message, with each other trustee's share encrypted to it (SPEC §12.3
 * step 2). The first reveal binds the trustee to this set of commits: it
 * will never encrypt its shares to another set's keys.
 *
 * @param[out] out     the NUL-terminated JSON text, owned by the caller
 *                     (tv_free()); NULL on failure. Each call encrypts
 *                     afresh: publish exactly one of them
 * @param      commits @p count COMMIT messages, NUL-terminated, in any
 *                     order, one from every trustee (this one included)
 * @return TV_OK;
 *         TV_ERR_STATE (a trustee's commit message is missing, so it is
 *         too early to reveal; or this trustee has already revealed to a
 *         different set of commit messages);
 *         TV_ERR_CEREMONY_INVALID (a message is malformed, for another
 *         election or ceremony size, duplicated, or its proof or signature
 *         does not verify, naming the trustee and field; or this
 *         trustee's own commit message is not the one it made);
 *         TV_ERR_INVALID_ARGUMENT (NULL argument or message);
 *         TV_ERR_RANDOM; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_trustee_reveal(tv_ctx *ctx, char **out,
                                                  tv_trustee *trustee,
                                                  const char *const *commits,
                                                  size_t count);

/**
 * Check every REVEAL message against its COMMIT message, decrypt and check
 * this trustee's shares, and keep its share of the election secret key
 * (SPEC §12.3 step 3).
 *
 * @param[out] result    the NUL-terminated RESULT message, owned by the
 *                       caller (tv_free()); NULL on failure
 * @param[out] complaint NULL, or where to put a COMPLAINT message (owned
 *                       by the caller, tv_free()) when a share does not
 *                       match its sender's commitments; set to NULL
 *                       otherwise and on every other failure
 * @param      commits   the @p commit_count COMMIT messages (as revealed to)
 * @param      reveals   the @p reveal_count REVEAL messages, any order,
 *                       one from every trustee (this one included)
 * @return TV_OK;
 *         TV_ERR_STATE (the trustee has not revealed yet; a reveal or
 *         commit message is missing; or it has already combined a
 *         different transcript);
 *         TV_ERR_CEREMONY_INVALID (a message is malformed, duplicated or
 *         fails a check, naming the trustee and field; a reveal does not
 *         match its sender's commitment; the commit messages are not those
 *         this trustee revealed to; or a share does not match its sender's
 *         commitments: the message names the sender and @p complaint is
 *         set);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_RANDOM; TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_trustee_combine(
	tv_ctx *ctx, char **result, char **complaint, tv_trustee *trustee,
	const char *const *commits, size_t commit_count,
	const char *const *reveals, size_t reveal_count);

/**
 * The trustee's share x_l of the election secret key, for partial
 * decryption, with its verification key X_l = x_l·G and the election key
 * K (either may be NULL).
 *
 * @param[out] share the secret share; wipe it (tv_scalar_wipe()) after use
 * @return TV_OK; TV_ERR_STATE (the trustee has not combined);
 *         TV_ERR_INVALID_ARGUMENT (NULL @p ctx, @p share or @p trustee);
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_trustee_share(tv_ctx *ctx, tv_scalar *share,
                                                 tv_point *verification_key,
                                                 tv_point *election_key,
                                                 const tv_trustee *trustee);

/**
 * Write the trustee's secret state as bytes (SPEC §12.6), for the caller
 * to encrypt at rest. The bytes are secret: wipe @p out after use.
 *
 * @param[out] out      a buffer of @p out_size bytes; at least
 *                      TV_TRUSTEE_STATE_BYTES(threshold), which
 *                      TV_TRUSTEE_STATE_MAX always is
 * @param[out] out_len  the number of bytes written
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL argument, or @p out_size
 *         too small).
 */
TV_API TV_WARN_UNUSED tv_status tv_trustee_serialize(tv_ctx *ctx, uint8_t *out,
                                                     size_t out_size,
                                                     size_t *out_len,
                                                     const tv_trustee *trustee);

/**
 * Read a trustee's secret state written by tv_trustee_serialize(). Every
 * field is checked, every proof of knowledge is verified against the
 * secrets, so altered bytes are refused even if they reach here.
 *
 * @param[out] out the trustee, owned by the caller (tv_trustee_free());
 *                 NULL on failure. It keeps @p ctx
 * @return TV_OK; TV_ERR_ENCODING (wrong magic, version or length, a field
 *         out of range, a proof that does not verify, or stage data that
 *         does not fit the stage; the message names the field);
 *         TV_ERR_INVALID_ARGUMENT (NULL argument); TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_trustee_deserialize(tv_ctx *ctx,
                                                       tv_trustee **out,
                                                       const uint8_t *in,
                                                       size_t len);

/**
 * Check the public transcript of a ceremony (SPEC §12.5): every COMMIT,
 * REVEAL and RESULT message, every proof and signature, that each reveal
 * matches its commitment, that every trustee combined the same transcript,
 * and that each trustee's verification key and the election key follow
 * from the commitments. Only then is @p out filled.
 *
 * @param[out] out         the election key; zeroed on failure
 * @param      fingerprint the ceremony context (tv_ceremony_kit_context())
 * @param      trustees    n, from the manifest
 * @param      threshold   k, from the manifest
 * @param      commits     @p commit_count COMMIT messages, any order
 * @param      reveals     @p reveal_count REVEAL messages, any order
 * @param      results     @p result_count RESULT messages, any order
 * @return TV_OK;
 *         TV_ERR_CEREMONY_INVALID (a message is missing, duplicated,
 *         malformed, for another election or size, or fails a check; the
 *         message names the trustee and the field);
 *         TV_ERR_INVALID_ARGUMENT (NULL argument, a NULL message, or an
 *         impossible @p trustees / @p threshold); TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ceremony_verify(
	tv_ctx *ctx, tv_election_key *out,
	const uint8_t fingerprint[TV_CEREMONY_FINGERPRINT_BYTES],
	uint32_t trustees, uint32_t threshold,
	const char *const *commits, size_t commit_count,
	const char *const *reveals, size_t reveal_count,
	const char *const *results, size_t result_count);

/**
 * Check a COMPLAINT message against the commits and reveals it is about
 * (SPEC §12.3 step 3, §12.4.4). The accuser publishes the Diffie–Hellman
 * value of each share it accuses, with a proof that it is right, so anyone
 * can decrypt those shares and see whether they match their sender's
 * commitments.
 *
 * @param[out] guilty      NULL, or bit (i − 1) set for each accused trustee
 *                         i found guilty (set on TV_OK, 0 otherwise)
 * @return TV_OK (every accused trustee sent a bad share: they are guilty);
 *         TV_ERR_CEREMONY_INVALID (the complaint is false: its proof does
 *         not verify or an accused share is good, and the message names
 *         the accuser; or the complaint, a commit or a reveal is
 *         malformed, missing or fails a check, naming whom);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ceremony_check_complaint(
	tv_ctx *ctx, uint32_t *guilty,
	const uint8_t fingerprint[TV_CEREMONY_FINGERPRINT_BYTES],
	uint32_t trustees, uint32_t threshold, const char *complaint,
	const char *const *commits, size_t commit_count,
	const char *const *reveals, size_t reveal_count);

/**
 * The Lagrange coefficient of trustee @p index for the set @p indices at
 * zero: λ = Π_{m in S, m ≠ index} m / (m − index) mod n (SPEC §12.7), so
 * that Σ_{l in S} λ_l·x_l is the election secret for any k trustees S.
 *
 * @param[out] out     λ
 * @param      index   a member of @p indices
 * @param      indices @p count distinct trustee numbers, each 1..16
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL argument, @p count 0 or over
 *         TV_CEREMONY_MAX_TRUSTEES, a number out of range or repeated, or
 *         @p index not in the set); TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ceremony_lagrange(tv_ctx *ctx,
                                                     tv_scalar *out,
                                                     uint32_t index,
                                                     const uint32_t *indices,
                                                     size_t count);

/* ---- the public ceremony kit (SPEC §12.12) ---- */

/** The "format" of a ceremony kit. */
#define TV_CEREMONY_KIT_FORMAT "tenantvote-ceremony-kit/1"
/** The longest ceremony kit accepted, in bytes. */
#define TV_CEREMONY_KIT_MAX 1048576

/**
 * What a trustee needs to take part in the ceremony on its own machine,
 * and nothing more: the manifest, and the 32 bytes every ceremony message
 * is bound to (SPEC §12.12). It holds no tenant data. Opaque; made from
 * its JSON form with tv_ceremony_kit_from_json(). The ballot box writes
 * one with tv_box_ceremony_kit().
 */
typedef struct tv_ceremony_kit tv_ceremony_kit;

/**
 * Read a ceremony kit (SPEC §12.12): untrusted input. At most
 * TV_CEREMONY_KIT_MAX bytes; duplicate, unknown or missing keys and wrong
 * types are refused; the manifest is read as tv_manifest_from_json() reads
 * it; then the kit's election fingerprint, trustees, threshold and
 * ceremony context must be the ones its manifest gives.
 *
 * @param[out] out  the kit, owned by the caller (tv_ceremony_kit_free());
 *                  NULL on failure. It keeps @p ctx, which must outlive it
 * @param      json @p len bytes of UTF-8 JSON (need not be NUL-terminated)
 * @return TV_OK;
 *         TV_ERR_CEREMONY_INVALID (too long, not JSON, a field missing, of
 *         the wrong type or not the one the manifest gives; the message
 *         names the field: "ceremony kit: ceremony: ...");
 *         TV_ERR_MANIFEST_INVALID, TV_ERR_UTF8 (the manifest in it is
 *         refused, "ceremony kit: manifest: ...", or the kit is not UTF-8);
 *         TV_ERR_INVALID_ARGUMENT (NULL argument); TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_ceremony_kit_from_json(tv_ctx *ctx,
                                                          tv_ceremony_kit **out,
                                                          const char *json,
                                                          size_t len);

/**
 * The ceremony context @p trustee was made with (tv_trustee_new()'s
 * fingerprint), to compare with a kit's (tv_ceremony_kit_context()).
 */
TV_API void tv_trustee_fingerprint(uint8_t out[TV_CEREMONY_FINGERPRINT_BYTES],
                                   const tv_trustee *trustee);

/** Free @p kit. NULL is accepted. */
TV_API void tv_ceremony_kit_free(tv_ceremony_kit *kit);

/**
 * The kit's manifest, borrowed from @p kit (valid while it lives); its
 * trustees and threshold are the ceremony's n and k. NULL for NULL.
 */
TV_API const tv_manifest *tv_ceremony_kit_manifest(const tv_ceremony_kit *kit);

/**
 * The ceremony context: the 32 bytes every message of this ceremony is
 * bound to (SPEC §12.1 `F`), to give tv_trustee_new(),
 * tv_ceremony_verify() and tv_ceremony_check_complaint(). Zero bytes for
 * a NULL @p kit.
 */
TV_API void tv_ceremony_kit_context(uint8_t out[TV_CEREMONY_FINGERPRINT_BYTES],
                                    const tv_ceremony_kit *kit);

/**
 * The credential authority's signed list the ceremony is bound to (SPEC
 * §11.5, §11.6): its public key into @p authority and its list digest into
 * @p list_digest (either may be NULL). A trustee compares the key with the
 * one the authority published before running keygen.
 * @return the number of credentials on the list; 0 for a NULL @p kit.
 */
TV_API uint64_t tv_ceremony_kit_credentials(const tv_ceremony_kit *kit,
                                            uint8_t authority[32], uint8_t list_digest[32]);

#ifdef __cplusplus
}
#endif

#endif
