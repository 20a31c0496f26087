/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file count.h
 * @brief The counting rules, result.json, the declaration and EML
 *        (SPEC §17.3 to §17.6).
 *
 * Once the trustees have decrypted the totals, the count is plain
 * arithmetic on public figures: how many tenants are on the register, how
 * many ballot papers came in by each channel, how many were blank, how many
 * were rejected and why, and how many votes each option got. tv_count()
 * checks that those figures agree with each other and with the manifest,
 * and applies the manifest's counting rule (majority or plurality, minimum
 * turnout, supermajority) to give a ::tv_result: the figures, every
 * percentage and the outcome.
 *
 * Everything is exact integer arithmetic. Percentages are tenths of a
 * percent rounded half up (SPEC §17.3.2); thresholds are compared on the
 * exact fractions, never on rounded percentages. Ties are reported as
 * ties, never broken.
 *
 * A result is written as result.json (canonical bytes, SPEC §17.4), read
 * back strictly by tv_result_from_json(), which recomputes every derived
 * figure and refuses a file whose figures or outcome do not follow from its
 * counts; as the declaration a returning officer reads out, in English and
 * Welsh (SPEC §17.5); and as OASIS EML 510 and 520 messages (SPEC §17.6).
 *
 * A result owns copies of the manifest texts it needs (titles, labels) and
 * does not borrow the manifest. It is immutable and may be read from
 * several threads at once. Nothing here is secret and nothing is constant
 * time.
 */
#ifndef TENANTVOTE_COUNT_H
#define TENANTVOTE_COUNT_H

#include "common.h"
#include "context.h"
#include "manifest.h"
#include "spoilt.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The largest figure a count takes (10^15): an electorate, a number of
 * ballots or votes. Every product the rules compute then fits in 64 bits,
 * and every figure is exact in a JSON reader that uses binary doubles.
 */
#define TV_COUNT_MAX UINT64_C(1000000000000000)

/** Channels in ::tv_count_input: index i is the channel bit (1 << i). */
#define TV_COUNT_CHANNELS 4

/** Bytes of JSON that tv_result_from_json() reads at most (256 KiB). */
#define TV_RESULT_JSON_MAX 262144

/** The value of the "format" key of result.json (SPEC §17.4). */
#define TV_RESULT_FORMAT "tenantvote-result/1"

/** The outcome of a count (SPEC §17.3.4). The values are stable. */
typedef enum tv_decision {
	/** the transfer option (or, with none, the winning option) is carried */
	TV_DECISION_CARRIED = 1,
	/** the transfer option is not carried; another option may have won */
	TV_DECISION_NOT_CARRIED = 2,
	/** equal votes decide nothing: nothing is carried */
	TV_DECISION_TIE = 3,
	/** no option reached the share required (or there are no valid votes) */
	TV_DECISION_NO_MAJORITY = 4,
	/** fewer ballots than the minimum turnout: nothing is carried */
	TV_DECISION_TURNOUT_NOT_MET = 5
} tv_decision;

/**
 * "carried", "not_carried", "tie", "no_majority" or "turnout_not_met"
 * (static); NULL for any other value.
 */
TV_API const char *tv_decision_name(tv_decision decision);

/** The version of ::tv_count_input this header describes. */
#define TV_COUNT_INPUT_VERSION 1

/**
 * The decrypted, public figures of a ballot. Initialise with
 * TV_COUNT_INPUT_INIT, then set the fields. Every figure is at most
 * TV_COUNT_MAX.
 */
typedef struct tv_count_input {
	unsigned int version;   /**< TV_COUNT_INPUT_VERSION */
	uint64_t electorate;    /**< tenants on the register, 1..TV_COUNT_MAX */
	/** ballot papers received, by channel: [0] online, [1] phone,
	    [2] postal, [3] in person (blank and rejected ones included) */
	uint64_t by_channel[TV_COUNT_CHANNELS];
	uint64_t blank;         /**< ballots that chose no option */
	/** rejected (spoilt) papers by ::tv_spoilt_reason:
	    rejected[reason - 1] */
	uint64_t rejected[TV_SPOILT_REASONS];
	uint32_t options;       /**< m, the number of entries of @c votes;
	                             must be the manifest's */
	const uint64_t *votes;  /**< votes[i - 1]: the votes for option i */
} tv_count_input;

/** Everything zero, votes NULL. */
#define TV_COUNT_INPUT_INIT                                                    \
	{ TV_COUNT_INPUT_VERSION, 0, { 0, 0, 0, 0 }, 0, { 0, 0, 0, 0 }, 0, NULL }

/** The EML messages tv_result_eml() writes. */
typedef enum tv_eml_message {
	TV_EML_COUNT = 510,  /**< EML 510: the count */
	TV_EML_RESULT = 520  /**< EML 520: the result */
} tv_eml_message;

/** A counted result: opaque, immutable. */
typedef struct tv_result tv_result;

/**
 * Check @p in against itself and the manifest, and apply the counting
 * rule (SPEC §17.3).
 *
 * @param[out] out the result, owned by the caller (tv_result_free());
 *                 NULL on failure
 * @param      m   the manifest (only read during the call)
 * @param      in  the figures (only read during the call)
 * @return TV_OK;
 *         TV_ERR_INVALID_ARGUMENT: NULL argument, unknown @c in->version,
 *         or figures that disagree (SPEC §17.3.1: electorate 0 or above
 *         TV_COUNT_MAX, @c options not the manifest's, a figure above
 *         TV_COUNT_MAX, ballots in a channel or blank ballots the
 *         manifest does not allow, more ballots than electors, more blank
 *         and rejected than ballots, or votes that do not add up); the
 *         message names the figures;
 *         TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_count(tv_ctx *ctx, tv_result **out,
                                         const tv_manifest *m,
                                         const tv_count_input *in);

/**
 * Read result.json (SPEC §17.4) for the election of @p m: untrusted input.
 * The shape is checked strictly, then the counts are recounted with the
 * rules of tv_count(), and every derived figure in the file must equal the
 * recomputed one. This is what a verifier uses.
 *
 * @param[out] out  the result, owned by the caller; NULL on failure
 * @param      m    the election's manifest
 * @param      json @p len bytes of UTF-8 JSON (need not be NUL-terminated)
 * @return TV_OK;
 *         TV_ERR_ENCODING (over TV_RESULT_JSON_MAX bytes, not JSON, a
 *         duplicate, unknown or missing key, a wrong type, a figure out of
 *         range, a malformed percentage, a wrong format or option count;
 *         the message names the field);
 *         TV_ERR_WRONG_ELECTION (the file's fingerprint is not @p m's);
 *         TV_ERR_PROOF_INVALID (a figure copied from the manifest differs
 *         from it, the counts do not add up, or a derived figure —
 *         ballots, rejected_total, valid, turnout_pct, a pct, the outcome
 *         — is not what the counts give; the message names the field and
 *         both values);
 *         TV_ERR_INVALID_ARGUMENT (NULL argument); TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_result_from_json(tv_ctx *ctx,
                                                    tv_result **out,
                                                    const tv_manifest *m,
                                                    const char *json,
                                                    size_t len);

/**
 * result.json (SPEC §17.4): keys in a fixed order, indented by two
 * spaces, UTF-8 written as is, ending with one newline. The same result
 * always gives the same bytes.
 *
 * @param[out] out the NUL-terminated text, owned by the caller (tv_free());
 *                 NULL on failure
 * @param[out] len its length without the NUL; may be NULL
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL @p ctx, @p out or @p r);
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL (Jansson failed).
 */
TV_API TV_WARN_UNUSED tv_status tv_result_to_json(tv_ctx *ctx, char **out,
                                                  size_t *len,
                                                  const tv_result *r);

/**
 * The declaration of the result as a returning officer reads it out
 * (SPEC §17.5): English, then, when the manifest has Welsh text, Welsh.
 * UTF-8 text, LF line ends, ending with one newline.
 *
 * @param[out] out the NUL-terminated text, owned by the caller (tv_free());
 *                 NULL on failure
 * @param[out] len its length without the NUL; may be NULL
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_result_declaration(tv_ctx *ctx, char **out,
                                                      size_t *len,
                                                      const tv_result *r);

/**
 * The result as an OASIS EML 5.0 message (SPEC §17.6) in English: 510, the
 * count, or 520, the result. UTF-8 XML, every text escaped, ending with
 * one newline; both validate against the OASIS EML 5.0 schemas.
 * tv_result_eml_lang() with "en".
 *
 * @param[out] out   the NUL-terminated XML, owned by the caller (tv_free());
 *                   NULL on failure
 * @param[out] len   its length without the NUL; may be NULL
 * @param      which TV_EML_COUNT or TV_EML_RESULT
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL, or another @p which);
 *         TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_result_eml(tv_ctx *ctx, char **out,
                                              size_t *len, const tv_result *r,
                                              tv_eml_message which);

/**
 * tv_result_eml() in a given language. EML 5.0's names (ElectionName,
 * ContestName, ReferendumOptionIdentifier) hold one text each, so a
 * bilingual election gives each message twice, once per language, and
 * each says its language in the EML header's MessageLanguage.
 *
 * @param language "en" (English) or "cy" (Welsh: the manifest's Welsh
 *                 texts and the Welsh reasons for rejected papers)
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL, another @p which, another
 *         language, or "cy" when the manifest has no Welsh); TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_result_eml_lang(tv_ctx *ctx, char **out,
                                                   size_t *len, const tv_result *r,
                                                   tv_eml_message which,
                                                   const char *language);

/** Free @p r. NULL is accepted. */
TV_API void tv_result_free(tv_result *r);

/*
 * Accessors. A NULL result gives 0 (NULL for a string); an out-of-range
 * option id, channel or reason gives 0.
 */

/** The election id (the manifest's slug), borrowed from @p r. */
TV_API const char *tv_result_election_id(const tv_result *r);
/** Tenants on the register. */
TV_API uint64_t tv_result_electorate(const tv_result *r);
/** Ballot papers received: the sum over the channels. */
TV_API uint64_t tv_result_ballots(const tv_result *r);
/** Ballot papers received by one channel, a single TV_CHANNEL_* bit. */
TV_API uint64_t tv_result_by_channel(const tv_result *r, uint32_t channel);
/** Blank ballots (no option chosen). */
TV_API uint64_t tv_result_blank(const tv_result *r);
/** Rejected papers for @p reason. */
TV_API uint64_t tv_result_rejected(const tv_result *r, tv_spoilt_reason reason);
/** Rejected papers, all reasons. */
TV_API uint64_t tv_result_rejected_total(const tv_result *r);
/** Valid votes: the sum of every option's votes. */
TV_API uint64_t tv_result_valid(const tv_result *r);
/** Turnout, ballots over electorate, in tenths of a percent (half up). */
TV_API uint32_t tv_result_turnout_tenths(const tv_result *r);
/** The number of options m. */
TV_API uint32_t tv_result_option_count(const tv_result *r);
/** Votes for option @p id (1..m). */
TV_API uint64_t tv_result_votes(const tv_result *r, uint32_t id);
/** Option @p id's share of the valid votes in tenths of a percent. */
TV_API uint32_t tv_result_pct_tenths(const tv_result *r, uint32_t id);
/** The outcome (0 for a NULL result). */
TV_API tv_decision tv_result_decision(const tv_result *r);
/** The winning option's id, or 0 for none. */
TV_API uint32_t tv_result_winner(const tv_result *r);

#ifdef __cplusplus
}
#endif

#endif
