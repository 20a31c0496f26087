/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file context.h
 * @brief The library context: allocator, OpenSSL state and error detail.
 *
 * There is no global state and no initialisation function: every operation
 * takes a ::tv_ctx. A context holds its own OpenSSL library context (so the
 * machine's openssl.cnf cannot change which algorithms are used), the P-256
 * group, the allocator and the message of the last failure.
 *
 * A context is used by one thread at a time. Threads that work in parallel
 * each create their own; contexts share nothing.
 */
#ifndef TENANTVOTE_CONTEXT_H
#define TENANTVOTE_CONTEXT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque library context. */
typedef struct tv_ctx tv_ctx;

/** The version of ::tv_ctx_options this header describes. */
#define TV_CTX_OPTIONS_VERSION 1

/**
 * Options for tv_ctx_new(). Initialise with TV_CTX_OPTIONS_INIT, then set
 * the fields you need; fields added later are zero in old callers' structs
 * and keep their old meaning.
 */
typedef struct tv_ctx_options {
	unsigned int version; /**< TV_CTX_OPTIONS_VERSION */
	/**
	 * Allocator for the library's own memory (OpenSSL keeps its own).
	 * Either all three are set or none (then malloc, realloc and free).
	 */
	void *(*alloc)(size_t size, void *payload);
	void *(*realloc)(void *ptr, size_t size, void *payload); /**< with alloc */
	void (*free)(void *ptr, void *payload); /**< with alloc */
	void *alloc_payload; /**< passed last to the three functions */
} tv_ctx_options;

/** The default options: no allocator (malloc, realloc and free). */
#define TV_CTX_OPTIONS_INIT { TV_CTX_OPTIONS_VERSION, NULL, NULL, NULL, NULL }

/**
 * Create a context.
 *
 * @param[out] out     the new context, owned by the caller (tv_ctx_free());
 *                     set to NULL on failure
 * @param      options NULL for the defaults
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL @p out, an unknown options
 *         version, a partial allocator); TV_ERR_NOMEM; TV_ERR_INTERNAL
 *         (OpenSSL could not provide SHA-256, P-256 or Ed25519).
 *         There is no context to hold a message on failure.
 */
TV_API TV_WARN_UNUSED tv_status tv_ctx_new(tv_ctx **out,
                                           const tv_ctx_options *options);

/** Free a context and wipe what it holds. NULL is accepted. */
TV_API void tv_ctx_free(tv_ctx *ctx);

/**
 * The message describing the most recent failure on @p ctx: what was wrong
 * and where. Calls that succeed leave it as it was, so read it right after
 * the failing call. Borrowed: valid until the next call on @p ctx. "" when
 * nothing has failed yet, and for a NULL @p ctx.
 */
TV_API const char *tv_ctx_last_error(const tv_ctx *ctx);

/**
 * Free memory that the library allocated and handed to the caller (a
 * string or buffer returned through an `out` argument). NULL is accepted.
 */
TV_API void tv_free(tv_ctx *ctx, void *ptr);

/** The status of the most recent failure on @p ctx (TV_OK if none). */
TV_API tv_status tv_ctx_last_status(const tv_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
