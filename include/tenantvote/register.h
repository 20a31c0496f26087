/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file register.h
 * @brief The tenant register: the council's CSV of eligible tenants,
 *        SPEC §10.
 *
 * The council exports its tenancies as CSV: a header row, then one row per
 * tenant. Joint tenants are separate rows sharing a tenancy reference, and
 * each of them is a voter. tv_register_parse() checks every row and either
 * returns the whole register or nothing: a register with some rows left
 * out would silently disenfranchise the tenants on them. Every problem is
 * reported with the physical line of the file where its row starts, so
 * that the returning officer can fix the file and import it again.
 *
 * Text is UTF-8 and kept byte for byte (Welsh ŵ, ŷ, â included); the only
 * changes are trimming spaces around each field, lowercasing the tenancy
 * type, spelling the language as "en" or "cy", and writing line breaks
 * inside a quoted address as ", " (SPEC §10.3).
 */
#ifndef TENANTVOTE_REGISTER_H
#define TENANTVOTE_REGISTER_H

#include "common.h"
#include "context.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The longest field kept, in bytes (after trimming, SPEC §10.3). */
#define TV_REGISTER_FIELD_MAX 1024
/** The most tenant rows a register may have (SPEC §10.5). */
#define TV_REGISTER_ROWS_MAX 1000000
/** The most problems passed to the problem callback one by one. */
#define TV_REGISTER_PROBLEMS_MAX 1000
/** The length of tv_register_digest()'s output. */
#define TV_REGISTER_DIGEST_BYTES 32

/** The kind of tenancy, from the `tenancy_type` column. */
typedef enum tv_tenancy_type {
	TV_TENANCY_SECURE = 1,      /**< "secure" */
	TV_TENANCY_INTRODUCTORY = 2 /**< "introductory" */
} tv_tenancy_type;

/** A parsed tenant register (opaque). */
typedef struct tv_register tv_register;

/**
 * One tenant: views into the register, valid until tv_register_free().
 * Every string is NUL-terminated UTF-8 without control characters, at most
 * TV_REGISTER_FIELD_MAX bytes, with no space at either end.
 */
typedef struct tv_tenant {
	const char *tenancy_ref;  /**< never empty; shared by joint tenants */
	const char *name;         /**< never empty */
	const char *address;      /**< never empty; line breaks became ", " */
	const char *email;        /**< "" when absent */
	const char *phone;        /**< "" when absent */
	const char *language;     /**< "en" or "cy" */
	tv_tenancy_type tenancy_type; /**< the kind of tenancy */
	uint32_t line;            /**< the line of the file where the row starts */
} tv_tenant;

/**
 * Called once per problem found in a register.
 *
 * @param line    the physical line (from 1) where the row with the problem
 *                starts; 0 only for the final "N more problems" call
 * @param message what is wrong, naming the column, without the file name
 *                or line (e.g. "name is empty"); borrowed for the call
 * @param payload as given to tv_register_parse()
 */
typedef void (*tv_register_problem_fn)(uint32_t line, const char *message,
                                       void *payload);

/**
 * Parse and check a tenant register (SPEC §10) from the CSV bytes @p csv.
 *
 * Either every row is good and the whole register is returned, or no
 * register is. All problems are collected, not just the first: once the
 * whole file has been read, @p problem is called for each, in line order
 * (within a row: tenancy_ref, name, address, tenancy_type, email, phone,
 * language, then a duplicate person), at most TV_REGISTER_PROBLEMS_MAX
 * times, then, if there were more, once with line 0 and a message saying
 * how many more. The context's message then reads
 * "SOURCE: N problems; line L: FIRST PROBLEM". SPEC §10.7 lists the
 * problems.
 *
 * @param      ctx         the context; it must outlive the register
 * @param[out] out         the register, owned by the caller
 *                         (tv_register_free()); NULL on failure
 * @param      csv         the file's bytes (need not be NUL-terminated)
 * @param      len         their length
 * @param      source_name the file's name for messages; NULL for "register"
 * @param      problem     called for each problem; may be NULL
 * @param      payload     passed last to @p problem
 * @return TV_OK; TV_ERR_REGISTER_INVALID (one or more problems, each
 *         reported through @p problem; the context's message counts them
 *         and gives the first); TV_ERR_INVALID_ARGUMENT (NULL @p ctx, @p out,
 *         or @p csv with a non-zero @p len); TV_ERR_NOMEM (then @p problem
 *         is not called); TV_ERR_INTERNAL (libcsv or SHA-256 failed).
 */
TV_API TV_WARN_UNUSED tv_status tv_register_parse(
	tv_ctx *ctx, tv_register **out, const uint8_t *csv, size_t len,
	const char *source_name, tv_register_problem_fn problem, void *payload);

/** The number of tenants (at least 1); 0 for a NULL @p reg. */
TV_API size_t tv_register_count(const tv_register *reg);

/**
 * The tenant at @p index (0-based, in file order).
 *
 * @param[out] out   the tenant; its strings are borrowed from @p reg
 * @param      reg   the register
 * @param      index less than tv_register_count()
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL @p out or @p reg, or
 *         @p index out of range; the message is on the register's
 *         context).
 */
TV_API TV_WARN_UNUSED tv_status tv_register_tenant(tv_tenant *out,
                                                   const tv_register *reg,
                                                   size_t index);

/**
 * The register's digest (SPEC §10.8): H("register"; u32be(count), then per
 * tenant in file order tenancy_ref, name, address, tenancy type, email,
 * phone, language), so that later layers can bind to exactly this list of
 * tenants. It depends on the content only, not on the column order, line
 * ends, quoting or blank lines of the file.
 *
 * @param[out] out the 32-byte digest
 * @param      reg the register (not NULL)
 */
TV_API void tv_register_digest(uint8_t out[TV_REGISTER_DIGEST_BYTES],
                               const tv_register *reg);

/**
 * Free a register, wiping the tenants' personal data first. NULL is
 * accepted.
 */
TV_API void tv_register_free(tv_register *reg);

#ifdef __cplusplus
}
#endif

#endif
