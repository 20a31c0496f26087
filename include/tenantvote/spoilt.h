/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file spoilt.h
 * @brief Spoilt (rejected) postal and phone papers (SPEC §15.6).
 *
 * A paper the returning officer rejects at intake (no official mark, more
 * than one answer, marks identifying the voter, unmarked or void for
 * uncertainty) still goes on the board, so it counts in turnout and is
 * reported by reason. It is a statement signed with the tenant's
 * credential, made by the intake station from the code printed on the
 * paper: the ballot box cannot invent spoilt papers any more than ballots,
 * and a spoilt paper follows the revote policy like any ballot.
 */
#ifndef TENANTVOTE_SPOILT_H
#define TENANTVOTE_SPOILT_H

#include "common.h"
#include "context.h"
#include "group.h"
#include "manifest.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Why a paper was rejected: the statutory heads, in this order. */
typedef enum tv_spoilt_reason {
	TV_SPOILT_NO_OFFICIAL_MARK = 1,     /**< "no-official-mark" */
	TV_SPOILT_MORE_THAN_ONE_ANSWER = 2, /**< "more-than-one-answer" */
	TV_SPOILT_IDENTIFIES_VOTER = 3,     /**< "identifies-voter" */
	TV_SPOILT_UNMARKED_OR_VOID = 4      /**< "unmarked-or-void" */
} tv_spoilt_reason;

/** The number of reasons; they are 1..TV_SPOILT_REASONS. */
#define TV_SPOILT_REASONS 4

/** The longest spoilt paper JSON accepted, in bytes. */
#define TV_SPOILT_JSON_MAX 4096

/** A signed spoilt paper (opaque). */
typedef struct tv_spoilt tv_spoilt;

/** The reason's slug ("no-official-mark", ...); NULL if unknown. */
TV_API const char *tv_spoilt_reason_name(tv_spoilt_reason reason);

/**
 * A reason from its slug (exact, lowercase).
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT naming the slug and the valid ones.
 */
TV_API TV_WARN_UNUSED tv_status tv_spoilt_reason_parse(tv_ctx *ctx,
                                                       tv_spoilt_reason *out,
                                                       const char *slug);

/**
 * Make the signed statement that the paper of the tenant whose credential
 * code is @p code was rejected for @p reason.
 * @return TV_OK; TV_ERR_CREDENTIAL_INVALID (the code is mistyped);
 *         TV_ERR_INVALID_ARGUMENT (NULL, or an unknown reason);
 *         TV_ERR_RANDOM; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_spoilt_make(tv_ctx *ctx, tv_spoilt **out,
                                               const tv_manifest *manifest,
                                               const char *code,
                                               size_t code_len,
                                               tv_spoilt_reason reason);

/**
 * Check a spoilt paper against the election: its fingerprint and the
 * credential's signature. Whether the credential is on the list is the
 * ballot box's check.
 * @return TV_OK; TV_ERR_WRONG_ELECTION; TV_ERR_SIGNATURE_INVALID;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_spoilt_verify(tv_ctx *ctx,
                                                 const tv_spoilt *spoilt,
                                                 const tv_manifest *manifest);

/** Its canonical JSON (SPEC §15.6), library-allocated (tv_free()). */
TV_API TV_WARN_UNUSED tv_status tv_spoilt_to_json(tv_ctx *ctx, char **out,
                                                  size_t *len,
                                                  const tv_spoilt *spoilt);

/**
 * Read a spoilt paper from JSON (untrusted input; not verified: call
 * tv_spoilt_verify()).
 * @return TV_OK; TV_ERR_ENCODING (naming the field); TV_ERR_POINT_INVALID;
 *         TV_ERR_SCALAR_RANGE; TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_spoilt_from_json(tv_ctx *ctx,
                                                    tv_spoilt **out,
                                                    const char *json,
                                                    size_t len);

/** Its tracking code (32 bytes), naming it on the board like a ballot's. */
TV_API void tv_spoilt_tracking(uint8_t out[32], const tv_spoilt *spoilt);

/** The credential that signed it (borrowed). */
TV_API const tv_point *tv_spoilt_credential(const tv_spoilt *spoilt);

/** The reason. */
TV_API tv_spoilt_reason tv_spoilt_get_reason(const tv_spoilt *spoilt);

/** Free a spoilt paper. NULL accepted. */
TV_API void tv_spoilt_free(tv_spoilt *spoilt);

#ifdef __cplusplus
}
#endif

#endif
