/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file paper.h
 * @brief Pre-encrypted ballot papers (SPEC §15.8).
 *
 * The credential authority makes one paper per credential once the
 * election key is known: an identifier and, beside each answer, a short
 * code derived from that answer's encryption. The box gets the papers
 * sealed under their identifiers (it can open one only when the paper, or
 * a phone call, hands it the identifier), and intake records only the
 * identifier and the code beside the mark (intake.h, header `paper,code`).
 * After close the authority opens every paper not cast, so that anyone can
 * check its codes were honest encryptions of its answers.
 */
#ifndef TENANTVOTE_PAPER_H
#define TENANTVOTE_PAPER_H

#include "authority.h"
#include "box.h"
#include "common.h"
#include "context.h"
#include "group.h"
#include "manifest.h"
#include "spoilt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A paper identifier as printed: 20 symbols in five groups of four. */
#define TV_PAPER_ID_TEXT_LEN 24
/** A short code: 4 symbols. */
#define TV_PAPER_CODE_LEN 4
/** The authority's paper seed, serialized: ASCII TVPS0001, F, the seed. */
#define TV_PAPER_SEED_BYTES 72

/** One paper as the printer needs it, in the issue file's order. */
typedef struct tv_paper_print {
	size_t number;                              /**< 1, 2, … (issue order) */
	char id[TV_PAPER_ID_TEXT_LEN + 1];          /**< "ABCD-EFGH-JKMN-PQRS-TVWX" */
	uint32_t answers;                           /**< k: m, or m + 1 with blank */
	uint32_t answer[TV_MAX_OPTIONS + 1];        /**< 1..m, then 0 (blank) */
	char code[TV_MAX_OPTIONS + 1][TV_PAPER_CODE_LEN + 1]; /**< beside answer[i] */
} tv_paper_print;

/** Called once per paper, in order; return 0 to go on. Holds secrets. */
typedef int (*tv_paper_print_fn)(const tv_paper_print *paper, void *payload);
/** Called with each LF-ended line of the box's paper file; 0 when written. */
typedef int (*tv_paper_line_fn)(const char *line, size_t len, void *payload);

/**
 * A new paper seed for election @p m (SPEC §15.8.6), from the context's
 * random generator, serialized into @p out (secret: seal it, §13).
 */
TV_API TV_WARN_UNUSED tv_status tv_paper_seed_new(tv_ctx *ctx,
                                                  uint8_t out[TV_PAPER_SEED_BYTES],
                                                  const tv_manifest *m);

/**
 * Make the papers (SPEC §15.8.1 to §15.8.3): one for each credential of
 * the authority's issue file @p issue_json, in its order, encrypted under
 * @p election_key (the key the trustees announced). @p print gets each
 * paper's identifier and codes; @p line gets the box's paper file, line
 * by line (its header first: the list is signed before any paper line is
 * written, so the papers are made twice over: once to sign, once to
 * write; memory stays flat).
 * @return TV_OK; TV_ERR_WRONG_ELECTION (the seed, authority or issue file
 *         of another election); TV_ERR_ENCODING (the issue file);
 *         TV_ERR_IO (a callback stopped); TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_authority_make_papers(
	tv_ctx *ctx, const tv_authority *authority, const uint8_t seed[TV_PAPER_SEED_BYTES],
	const tv_manifest *m, const tv_point *election_key, const char *issue_json, size_t len,
	tv_paper_print_fn print, tv_paper_line_fn line, void *payload);

/**
 * After close: the openings of every paper not cast on the board of the
 * record folder @p record_dir (SPEC §15.8.6), as the JSON the box imports
 * (tv_box_import_openings), into @p out (tv_free it).
 * @param[out] opened NULL, or the number of papers opened
 * @return TV_OK; TV_ERR_WRONG_ELECTION; TV_ERR_ENCODING; TV_ERR_IO;
 *         TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_authority_open_papers(
	tv_ctx *ctx, char **out, size_t *opened, const tv_authority *authority,
	const uint8_t seed[TV_PAPER_SEED_BYTES], const tv_manifest *m,
	const tv_point *election_key, const char *issue_json, size_t len,
	const char *record_dir);

/**
 * Import the authority's paper file @p path (SPEC §15.8.3) into the box:
 * in set-up, after the credentials and the election key, before voting
 * opens. All of it or nothing.
 * @param[out] papers NULL, or the number imported
 * @return TV_OK; TV_ERR_ENCODING (naming the line and field);
 *         TV_ERR_WRONG_ELECTION; TV_ERR_SIGNATURE_INVALID;
 *         TV_ERR_PROOF_INVALID; TV_ERR_STATE; TV_ERR_IO; TV_ERR_DATABASE.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_import_papers(tv_ctx *ctx, size_t *papers,
                                                     tv_box *box, const char *path);

/**
 * Import the authority's openings (SPEC §15.8.6) once voting is closed:
 * each must open a paper of the box that was not cast. All or none.
 * @param[out] opened NULL, or the number imported
 * @return TV_OK; TV_ERR_ENCODING; TV_ERR_WRONG_ELECTION;
 *         TV_ERR_PROOF_INVALID (naming the opening); TV_ERR_STATE;
 *         TV_ERR_DATABASE.
 */
TV_API TV_WARN_UNUSED tv_status tv_box_import_openings(tv_ctx *ctx, size_t *opened,
                                                       tv_box *box, const char *json,
                                                       size_t len);

/** The box's number of papers (0 in an election without them). */
TV_API TV_WARN_UNUSED tv_status tv_box_paper_count(tv_ctx *ctx, size_t *count, tv_box *box);

/**
 * Read a typed paper identifier as SPEC §15.8.1 reads it, into its
 * printed form, and its handle h.
 * @return TV_OK; TV_ERR_CREDENTIAL_INVALID (naming what is wrong).
 */
TV_API TV_WARN_UNUSED tv_status tv_paper_id_read(tv_ctx *ctx,
                                                 char printed[TV_PAPER_ID_TEXT_LEN + 1],
                                                 uint8_t handle[32], const char *typed,
                                                 size_t len, const uint8_t fingerprint[32]);

/** What the record shows of one paper (SPEC §15.8.5). */
typedef enum tv_paper_state {
	TV_PAPER_CAST = 1,     /**< its ballot is on the board */
	TV_PAPER_REJECTED = 2, /**< rejected by the officer; opened too */
	TV_PAPER_OPENED = 3,   /**< not cast: opened after close */
	TV_PAPER_NOT_CAST = 4  /**< neither cast nor opened (the record fails check 7) */
} tv_paper_state;

/** One paper of a record. */
typedef struct tv_paper_info {
	uint8_t handle[32];                   /**< h */
	tv_paper_state state;                 /**< cast, rejected, opened or neither */
	uint64_t position;                    /**< cast or rejected: its board entry */
	int counts;                           /**< that entry counts for its tenant */
	char code[TV_PAPER_CODE_LEN + 1];     /**< cast: the short code of its ballot */
	tv_spoilt_reason reason;              /**< rejected: why */
	char id[TV_PAPER_ID_TEXT_LEN + 1];    /**< rejected or opened: its identifier, else "" */
	uint32_t answers;                     /**< opened: k, the number of answers */
	uint32_t answer[TV_MAX_OPTIONS + 1];  /**< opened: 1..m, then 0 (blank) */
	char answer_code[TV_MAX_OPTIONS + 1][TV_PAPER_CODE_LEN + 1]; /**< opened: each one's code */
} tv_paper_info;

/** Called for each paper of a record, in ascending order of handles. */
typedef int (*tv_paper_info_fn)(const tv_paper_info *paper, void *payload);

/**
 * Every paper of the record in @p dir, once the record is checked up to
 * its close (checks 1 to 10, as tv_record_tally() does): a paper's state,
 * its board entry and short code, or its opening's codes.
 * @return TV_OK; TV_ERR_STATE (a record without papers);
 *         TV_ERR_PROOF_INVALID (the record fails a check: the message
 *         names it); TV_ERR_IO; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_record_papers(tv_ctx *ctx, const char *dir,
                                                 unsigned threads, tv_paper_info_fn fn,
                                                 void *payload);

/**
 * The paper whose identifier a tenant typed, in the record in @p dir:
 * tv_record_papers() for that one paper.
 * @return TV_OK; TV_ERR_CREDENTIAL_INVALID (a mistyped identifier);
 *         TV_ERR_PROOF_INVALID (no such paper in this election, or the
 *         record fails a check); the statuses of tv_record_papers().
 */
TV_API TV_WARN_UNUSED tv_status tv_record_find_paper(tv_ctx *ctx, tv_paper_info *out,
                                                     const char *dir, const char *typed,
                                                     size_t len);

#ifdef __cplusplus
}
#endif

#endif
