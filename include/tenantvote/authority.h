/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file authority.h
 * @brief The credential authority, apart from the ballot box (SPEC §11.5).
 *
 * The credential authority makes every tenant's credential code on its own
 * machine, from the manifest and the register alone: no ballot box there.
 * It hands each code to the caller once, for the letter, and writes one
 * issue file for the box: the public credentials in register order, signed
 * with the authority's own Ed25519 key. The box imports that file
 * (tv_box_import_credentials()); the record publishes the list and the
 * signature; the trustees' key ceremony is bound to the list's digest and
 * the authority's key (the ceremony context, §11.6), so the box cannot
 * change the list afterwards without the record showing it.
 *
 * The authority's key is a secret: keep it sealed (tv_authority_serialize()
 * and tv_secretfile_write()) for later changes to the list (§11.7).
 */
#ifndef TENANTVOTE_AUTHORITY_H
#define TENANTVOTE_AUTHORITY_H

#include "common.h"
#include "context.h"
#include "group.h"
#include "manifest.h"
#include "register.h"
#include "signature.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Characters of a credential's check code, "XXXX-XXXX" (SPEC §11.8). */
#define TV_CHECK_CODE_LEN 9
/** Bytes of tv_authority_serialize()'s output. */
#define TV_AUTHORITY_STATE_BYTES 72

/** A credential authority's signing key for one election (opaque). */
typedef struct tv_authority tv_authority;

/**
 * A new credential authority for the election of manifest @p m, with a new
 * Ed25519 key from RAND_priv_bytes.
 * @return TV_OK; TV_ERR_RANDOM; TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_authority_new(tv_ctx *ctx, tv_authority **out,
                                                 const tv_manifest *m);

/** Free and wipe. NULL accepted. */
TV_API void tv_authority_free(tv_authority *authority);

/** The authority's public key, named in the record (SPEC §18.6). */
TV_API void tv_authority_public_key(tv_ed25519_public_key *out,
                                    const tv_authority *authority);

/**
 * The authority's secret state, TV_AUTHORITY_STATE_BYTES bytes: seal it
 * (tv_secretfile_write()) and wipe @p out.
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_authority_serialize(tv_ctx *ctx, uint8_t *out,
                                                       const tv_authority *authority);

/**
 * Read a state written by tv_authority_serialize(), for the election of
 * manifest @p m.
 * @return TV_OK; TV_ERR_ENCODING (not an authority state);
 *         TV_ERR_WRONG_ELECTION; TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_authority_deserialize(tv_ctx *ctx, tv_authority **out,
                                                         const uint8_t *in, size_t len,
                                                         const tv_manifest *m);

/**
 * Called once per tenant, in register order, with the tenant's new code
 * and its check code (both for the letter); then once with every argument
 * but @p payload NULL to say all letters are written (flush and sync them
 * now). Return 0 to go on, non-zero to stop: then no issue file is made.
 */
typedef int (*tv_authority_letter_fn)(const tv_tenant *tenant, const char *code,
                                      const char *check_code, void *payload);

/**
 * Make one credential per tenant on @p reg and the signed issue file for
 * the ballot box (SPEC §11.5), into @p out (tv_free()). The codes are
 * passed to @p letter and kept nowhere else.
 * @return TV_OK; TV_ERR_IO (@p letter refused); TV_ERR_RANDOM;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_authority_issue(tv_ctx *ctx, char **out,
                                                   const tv_authority *authority,
                                                   const tv_register *reg,
                                                   tv_authority_letter_fn letter,
                                                   void *payload);

/**
 * Read an issue file (SPEC §11.5), check the authority's signature on its
 * list, and give the list digest L and the ceremony context C (§11.6)
 * that the trustees' ceremony will be bound to: the authority publishes C
 * so that every trustee can compare it with the kit's.
 * @return TV_OK; TV_ERR_ENCODING; TV_ERR_POINT_INVALID;
 *         TV_ERR_PROOF_INVALID (a credential twice); TV_ERR_SIGNATURE_INVALID;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_authority_issue_digest(tv_ctx *ctx, const char *issue_json,
                                                          size_t len, uint8_t list_digest[32],
                                                          uint8_t context[32]);

/**
 * A change to the list the authority signed (SPEC §11.7): the addition of
 * a new credential (a late addition to the register, or a replacement for
 * a lost letter: make its code with tv_credential_generate()), or the
 * revocation of one, as the entry of a "credential-added" or
 * "credential-revoked" board line, signed over the election, the
 * authority's key and the list's digest. @p issue_json is the issue file
 * this authority made (its list digest is recomputed and checked).
 * @param[out] out the entry JSON, compact, no LF (tv_free())
 * @return TV_OK; TV_ERR_WRONG_ELECTION (another authority's or election's
 *         issue file); TV_ERR_ENCODING; TV_ERR_POINT_INVALID;
 *         TV_ERR_PROOF_INVALID (the issue file lists a credential twice);
 *         TV_ERR_SIGNATURE_INVALID (the issue file's own signature);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_authority_change(tv_ctx *ctx, char **out,
                                                    const tv_authority *authority,
                                                    const char *issue_json, size_t len,
                                                    int revoke,
                                                    const tv_point *credential);

/**
 * The check code of a public credential (SPEC §11.8), printed on the
 * tenant's letter so the tenant can find their credential on the
 * published list: "XXXX-XXXX", NUL-terminated.
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_credential_check_code(
	tv_ctx *ctx, char out[TV_CHECK_CODE_LEN + 1], const tv_point *credential);

#ifdef __cplusplus
}
#endif

#endif
