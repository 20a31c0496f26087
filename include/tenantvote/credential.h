/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file credential.h
 * @brief Tenants' voting credentials (SPEC §11).
 *
 * Each eligible tenant gets a secret credential code, printed in the ballot
 * pack letter, such as `7K3Q-FM2X-WA9P-Z4DH-T6RB-QN5C`: 23 random symbols
 * of Crockford's base 32 (115 bits) and a Luhn mod 32 check symbol that
 * catches any single mistyped symbol. The credential key pair is derived
 * from the code and the election fingerprint, so the same code means
 * nothing in another election. Only the public key goes to the ballot box
 * and the public record; a ballot must be signed with a listed credential,
 * so the box cannot add ballots of its own.
 *
 * Codes are secrets: wipe them with tv_credential_code_wipe().
 */
#ifndef TENANTVOTE_CREDENTIAL_H
#define TENANTVOTE_CREDENTIAL_H

#include "common.h"
#include "context.h"
#include "group.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Symbols in a code, the check symbol included. */
#define TV_CREDENTIAL_SYMBOLS 24
/** Characters of the printed form: six groups of four, joined by '-'. */
#define TV_CREDENTIAL_TEXT_LEN 29

/** A credential code in its printed form (NUL-terminated). Secret. */
typedef struct tv_credential_code {
	char text[TV_CREDENTIAL_TEXT_LEN + 1]; /**< the code and its NUL */
} tv_credential_code;

/**
 * Make a new random code and its public credential for the election with
 * fingerprint @p fingerprint. Constant time in the code and its key.
 * @return TV_OK; TV_ERR_RANDOM; TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_credential_generate(
	tv_ctx *ctx, tv_credential_code *code, tv_point *public_key,
	const uint8_t fingerprint[32]);

/**
 * Read a code as a tenant typed it and derive the credential key pair.
 * Case, spaces and hyphens do not matter; O reads as 0 and I, L as 1.
 * Constant time in the code's symbols and in the key x: only the layout
 * (length, where the spaces and hyphens are) and the errors (which
 * character is not a symbol, whether the check symbol matches) are
 * revealed.
 * @param[out] secret     the credential's secret scalar (wipe it), or NULL
 * @param[out] public_key the public credential, or NULL
 * @return TV_OK; TV_ERR_CREDENTIAL_INVALID (wrong length, a character that
 *         is not in the alphabet, or the check symbol does not match: a
 *         typo); TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_credential_derive(
	tv_ctx *ctx, tv_scalar *secret, tv_point *public_key, const char *code,
	size_t len, const uint8_t fingerprint[32]);

/** Overwrite a code with zeros. NULL accepted. */
TV_API void tv_credential_code_wipe(tv_credential_code *code);

#ifdef __cplusplus
}
#endif

#endif
