/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file common.h
 * @brief Status codes, export and attribute macros shared by every header.
 *
 * Every function that can fail returns a ::tv_status. TV_OK is zero; every
 * other value is explicit and never reused, so a value seen in a log today
 * means the same thing in every later release.
 *
 * Statuses fall into two families that callers must never confuse:
 *  - "checked and rejected": the input was examined and is wrong
 *    (TV_ERR_ENCODING, TV_ERR_POINT_INVALID, TV_ERR_PROOF_INVALID, ...);
 *  - "could not check": the library could not do its work
 *    (TV_ERR_NOMEM, TV_ERR_INTERNAL, TV_ERR_RANDOM, ...).
 * tv_status_is_rejection() tells them apart.
 */
#ifndef TENANTVOTE_COMMON_H
#define TENANTVOTE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(TV_BUILDING_LIBRARY) && defined(__GNUC__)
#define TV_API __attribute__((visibility("default")))
#else
#define TV_API
#endif

#if defined(__GNUC__)
#define TV_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define TV_WARN_UNUSED
#endif

/** Library version, also available at run time from tv_version(). */
#define TV_VERSION_MAJOR 0 /**< incompatible changes */
#define TV_VERSION_MINOR 1 /**< compatible additions */
#define TV_VERSION_PATCH 0 /**< fixes */
#define TV_VERSION_STRING "0.1.0" /**< "MAJOR.MINOR.PATCH" */

/** Status returned by every function that can fail. */
typedef enum tv_status {
	TV_OK = 0,

	/* could not check: the caller or the environment is at fault */
	TV_ERR_INVALID_ARGUMENT = 1, /**< NULL pointer, size out of range, misuse */
	TV_ERR_NOMEM = 2,            /**< an allocation failed */
	TV_ERR_INTERNAL = 3,         /**< OpenSSL or another dependency failed */
	TV_ERR_RANDOM = 4,           /**< the randomness source failed */
	TV_ERR_IO = 5,               /**< a file could not be read or written
	                                  (missing, permissions, disk full) */
	TV_ERR_DATABASE = 6,         /**< the ballot box database failed */
	TV_ERR_STATE = 7,            /**< not allowed in the election's current
	                                  state (e.g. register after voting opened) */
	TV_ERR_EXISTS = 8,           /**< would overwrite something that exists */

	/* checked and rejected: the input is wrong */
	TV_ERR_ENCODING = 20,          /**< malformed bytes: length, prefix, hex */
	TV_ERR_POINT_INVALID = 21,     /**< not on P-256, infinity or non-canonical */
	TV_ERR_SCALAR_RANGE = 22,      /**< scalar not below the group order */
	TV_ERR_PROOF_INVALID = 23,     /**< a zero-knowledge proof does not verify */
	TV_ERR_SIGNATURE_INVALID = 24, /**< a signature does not verify */
	TV_ERR_RANGE_INVALID = 25,     /**< a value range that cannot be proven */
	TV_ERR_MANIFEST_INVALID = 30,  /**< a manifest field is missing or wrong */
	TV_ERR_REGISTER_INVALID = 31,  /**< the tenant register has bad rows */
	TV_ERR_CREDENTIAL_INVALID = 32, /**< a credential code is mistyped or
	                                    malformed, or not on the list */
	TV_ERR_PASSPHRASE = 33,        /**< wrong passphrase, or the secret file
	                                    was altered */
	TV_ERR_CEREMONY_INVALID = 34,  /**< a key-ceremony message is invalid; the
	                                    message names the trustee at fault */
	TV_ERR_UTF8 = 35,              /**< text is not valid UTF-8, or holds
	                                    control characters */
	TV_ERR_WRONG_ELECTION = 36,    /**< the object belongs to another election */
	TV_ERR_REPLAY = 37,            /**< this ballot is already on the board */
	TV_ERR_ALREADY_VOTED = 38,     /**< the credential has voted and only the
	                                    first ballot counts */
	TV_ERR_INTAKE_INVALID = 39     /**< an intake batch has problems, each
	                                    reported by line */
} tv_status;

/**
 * A short constant English description of @p status (never NULL; unknown
 * values give "unknown status"). The string is static: do not free it.
 */
TV_API const char *tv_status_str(tv_status status);

/**
 * Non-zero when @p status means the input was checked and found wrong,
 * zero for TV_OK and for every "could not check" status.
 */
TV_API int tv_status_is_rejection(tv_status status);

/** Called now and then during long work; @p total may be 0 if unknown. */
typedef void (*tv_progress_fn)(const char *what, uint64_t done, uint64_t total,
                               void *payload);

/** The library's version as "MAJOR.MINOR.PATCH" (static, never NULL). */
TV_API const char *tv_version(void);

#ifdef __cplusplus
}
#endif

#endif
