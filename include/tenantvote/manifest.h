/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file manifest.h
 * @brief The election manifest: what is being voted on and how it is
 *        counted (SPEC §9).
 *
 * The manifest is the first thing made for an election and never changes
 * afterwards. It names the election, the council and the proposed new
 * landlord, gives the title, the question and the options in English and
 * (optionally) Welsh, says which option means "transfer", and fixes the
 * counting rule, minimum turnout, supermajority, blank ballots, the voting
 * window, the channels, the revote policy and the trustee threshold.
 *
 * Its **fingerprint** (SPEC §9.5) is the SHA-256 hash of every one of those
 * fields; the later stages bind every proof, signature and record entry to
 * it, so that nothing made for one election can be moved to another or
 * survive a change to the rules.
 *
 * A ::tv_manifest is made either from a ::tv_manifest_options struct (council
 * software, the CLI's flags) or from its JSON form (SPEC §9.4, the record's
 * manifest.json). Both go through the same validation (SPEC §9.3). Every
 * rejection gives TV_ERR_MANIFEST_INVALID (or TV_ERR_UTF8 for bad text)
 * with a message on the context that names the field by its JSON path
 * (e.g. "options[1].label.cy (option 2)") and says what is wrong.
 *
 * Text is UTF-8 and is kept byte for byte (SPEC §9.1): no Unicode
 * normalisation, no trimming. Welsh ŵ, ŷ, â written precomposed and
 * written decomposed are different bytes and give different fingerprints;
 * but two option labels equal after NFC normalisation are the same answer
 * twice and are refused. Invisible characters (zero-width space, joiner
 * and non-joiner, BOM, soft hyphen, direction marks: Unicode's Cf, Zl, Zp
 * and default-ignorable code points, SPEC §9.1 rule 3) are refused in
 * every text field with TV_ERR_UTF8, naming the field, the character and
 * its position.
 *
 * A manifest is immutable and owns copies of all its text; strings returned
 * by the accessors are borrowed and live as long as the manifest. A manifest
 * may be read from several threads at once.
 *
 * Nothing here is secret and nothing is constant time.
 */
#ifndef TENANTVOTE_MANIFEST_H
#define TENANTVOTE_MANIFEST_H

#include "common.h"
#include "context.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options on a ballot: at least 2, at most this many (ids 1..m). */
#define TV_MAX_OPTIONS 16
/** Trustees: at least 1, at most this many. */
#define TV_MAX_TRUSTEES 16
/** Characters of an election id (the slug [a-z0-9][a-z0-9-]*). */
#define TV_ELECTION_ID_MAX 64
/** Bytes of UTF-8 in any one text field of the manifest. */
#define TV_MANIFEST_TEXT_MAX 1000
/** Bytes of JSON that tv_manifest_from_json() reads at most (256 KiB). */
#define TV_MANIFEST_JSON_MAX 262144
/** Bytes of a manifest fingerprint (SHA-256). */
#define TV_MANIFEST_FINGERPRINT_BYTES 32
/** The value of the "format" key of the JSON form (SPEC §9.4). */
#define TV_MANIFEST_FORMAT "tenantvote-manifest/1"
/** The JSON format of a manifest with contact details (SPEC §9.2.1). */
#define TV_MANIFEST_FORMAT_CONTACT "tenantvote-manifest/2"
/** The longest address (vote_url, board_url) or telephone number kept. */
#define TV_CONTACT_URL_MAX 1000
#define TV_CONTACT_PHONE_MAX 40   /**< the longest telephone number kept */
#define TV_CONTACT_EMAIL_MAX 254  /**< the longest e-mail address kept */

/** The counting rule (SPEC §9.2; DESIGN §5). The values are hashed. */
typedef enum tv_rule {
	/** the transfer option needs more than half of the valid votes */
	TV_RULE_MAJORITY = 1,
	/** the option with the most votes wins; ties are reported as ties */
	TV_RULE_PLURALITY = 2
} tv_rule;

/** Which ballot of a tenant who votes more than once counts. Hashed. */
typedef enum tv_revote {
	TV_REVOTE_LAST = 1,  /**< the last one cast (the usual policy) */
	TV_REVOTE_FIRST = 2  /**< the first one; later ones are refused */
} tv_revote;

/** Voting channels, a bitmask. The values are hashed. */
enum {
	TV_CHANNEL_ONLINE = 1,
	TV_CHANNEL_PHONE = 2,
	TV_CHANNEL_POSTAL = 4,
	TV_CHANNEL_IN_PERSON = 8,
	/** every channel above */
	TV_CHANNEL_ALL = 15
};

/**
 * A text in English and Welsh. @c en is required wherever a text is; @c cy
 * NULL or "" means no Welsh text. Both are NUL-terminated UTF-8.
 */
typedef struct tv_text {
	const char *en; /**< English */
	const char *cy; /**< Cymraeg (Welsh); NULL or "" for none */
} tv_text;

/** The version of ::tv_manifest_options this header describes. */
#define TV_MANIFEST_OPTIONS_VERSION 1

/**
 * What tv_manifest_new() builds a manifest from. Initialise with
 * TV_MANIFEST_OPTIONS_INIT, then set the fields. The strings are borrowed
 * for the duration of the call only (the manifest copies them).
 * Every field is described, with its limits, in SPEC §9.2.
 */
typedef struct tv_manifest_options {
	unsigned int version;       /**< TV_MANIFEST_OPTIONS_VERSION */
	const char *election_id;    /**< 1-64 of [a-z0-9-], first not '-' */
	const char *council;        /**< the landlord council, required */
	const char *landlord;       /**< the proposed new landlord; NULL or ""
	                                 only when @c transfer_option is 0 */
	tv_text title;              /**< a short heading; en required */
	tv_text question;           /**< the question on the ballot; en required */
	size_t option_count;        /**< 2..TV_MAX_OPTIONS */
	tv_text options[TV_MAX_OPTIONS]; /**< option id i is options[i - 1] */
	uint32_t transfer_option;   /**< 1..option_count, or 0 for none
	                                 (required by TV_RULE_MAJORITY) */
	tv_rule rule;               /**< counting rule */
	uint32_t min_turnout_tenths; /**< 0..1000 (tenths of a percent);
	                                  0 = no minimum turnout */
	uint32_t supermajority_tenths; /**< 0 = none, else 501..1000 */
	int allow_blank;            /**< non-zero: blank ballots may be cast */
	int64_t opens;              /**< voting opens, seconds since the epoch */
	int64_t closes;             /**< voting closes, after @c opens */
	uint32_t channels;          /**< non-empty set of TV_CHANNEL_* bits */
	tv_revote revote;           /**< revote policy */
	uint32_t trustees;          /**< n, 1..TV_MAX_TRUSTEES */
	uint32_t threshold;         /**< k, 1..n: trustees needed to decrypt */
} tv_manifest_options;

/**
 * Defaults: majority rule, no minimum turnout, no supermajority, no blank
 * ballots, every channel, the last ballot counts. Everything else is empty
 * or zero and must be set (trustees and threshold included).
 */
#define TV_MANIFEST_OPTIONS_INIT                                               \
	{ TV_MANIFEST_OPTIONS_VERSION, NULL, NULL, NULL, { NULL, NULL },       \
	  { NULL, NULL }, 0, { { NULL, NULL } }, 0, TV_RULE_MAJORITY, 0, 0, 0, \
	  0, 0, TV_CHANNEL_ALL, TV_REVOTE_LAST, 0, 0 }

/** How the ballot-pack letters are written (SPEC §9.2.1). */
typedef enum tv_letters {
	/** each tenant's letter in the language the register gives for them */
	TV_LETTERS_REGISTER = 1,
	/** every letter in Welsh and English side by side */
	TV_LETTERS_BILINGUAL = 2
} tv_letters;

/**
 * Who tenants contact and where they vote and check (SPEC §9.2.1). Part of
 * the manifest and of its fingerprint, so that the letters, the receipts'
 * QR codes and the bulletin board all send tenants to the places the
 * trustees' ceremony bound, and nobody can quietly point them elsewhere.
 * Every string is "" when not given.
 */
typedef struct tv_contact {
	const char *officer;    /**< the returning officer (name or office); required */
	const char *address;    /**< postal address, lines joined by ", "; postal
	                             ballots go back here; required */
	const char *phone;      /**< the officer's telephone number */
	const char *email;      /**< the officer's e-mail address */
	const char *vote_url;   /**< where tenants vote online (https:// or http://) */
	const char *vote_phone; /**< the number tenants ring to vote by phone */
	const char *board_url;  /**< the public bulletin board, ending in '/'; a
	                             receipt's check page is board_url "check.html#" code */
} tv_contact;

/** The JSON format of a manifest with the offer document's hash (SPEC §9.2.2). */
#define TV_MANIFEST_FORMAT_OFFER "tenantvote-manifest/3"
/** Bytes of an offer document's hash (SHA-256). */
#define TV_OFFER_DIGEST_BYTES 32

/**
 * The landlord's offer document that tenants vote on (SPEC §9.2.2): the
 * SHA-256 of its file, byte for byte as published, in English (or the one
 * bilingual document) and, optionally, in Welsh, and where to read each.
 * Part of the manifest and its fingerprint, so the record shows which
 * document the ballot was about and nobody can swap it afterwards.
 */
typedef struct tv_offer {
	uint8_t sha256[TV_OFFER_DIGEST_BYTES];    /**< the offer document */
	int has_cy;                               /**< non-zero: a Welsh document too */
	uint8_t sha256_cy[TV_OFFER_DIGEST_BYTES]; /**< the Welsh document, if has_cy */
	const char *url;    /**< where to read it (https:// or http://); NULL or "" none */
	const char *url_cy; /**< where to read the Welsh one; NULL or "" none */
} tv_offer;

/** An election manifest: opaque, immutable, validated. */
typedef struct tv_manifest tv_manifest;

/**
 * Validate @p opts (SPEC §9.3) and make a manifest from them.
 *
 * @param[out] out  the manifest, owned by the caller (tv_manifest_free());
 *                  set to NULL on failure
 * @param      opts the fields; the strings are copied
 * @return TV_OK;
 *         TV_ERR_MANIFEST_INVALID (a field is missing, out of range or
 *         inconsistent with another; the message names it);
 *         TV_ERR_UTF8 (a text is not valid UTF-8 or holds a control
 *         character; the message names the field and the byte);
 *         TV_ERR_INVALID_ARGUMENT (NULL @p ctx, @p out or @p opts, or an
 *         unknown @c opts->version);
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL (SHA-256 failed).
 */
TV_API TV_WARN_UNUSED tv_status tv_manifest_new(tv_ctx *ctx, tv_manifest **out,
                                                const tv_manifest_options *opts);

/**
 * tv_manifest_new() for a manifest that also carries the returning
 * officer's contact details and where tenants vote and check (SPEC
 * §9.2.1; JSON format TV_MANIFEST_FORMAT_CONTACT, fingerprint version 2).
 * @p contact's officer and address are required; the other strings may be
 * NULL or "".
 * @return TV_OK; TV_ERR_MANIFEST_INVALID (the message names the field);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_manifest_new_contact(tv_ctx *ctx, tv_manifest **out,
                                                        const tv_manifest_options *opts,
                                                        const tv_contact *contact,
                                                        tv_letters letters);

/**
 * tv_manifest_new_contact() for a manifest that also names the offer
 * document (SPEC §9.2.2; JSON format TV_MANIFEST_FORMAT_OFFER, fingerprint
 * version 3). A Welsh document (@c has_cy) needs a bilingual manifest; a
 * @c url_cy needs a Welsh document; the addresses follow the rules of
 * contact.vote_url.
 * @return TV_OK; TV_ERR_MANIFEST_INVALID (the message names the field);
 *         TV_ERR_INVALID_ARGUMENT (a NULL argument); TV_ERR_NOMEM.
 */
TV_API TV_WARN_UNUSED tv_status tv_manifest_new_offer(tv_ctx *ctx, tv_manifest **out,
                                                      const tv_manifest_options *opts,
                                                      const tv_contact *contact,
                                                      tv_letters letters,
                                                      const tv_offer *offer);

/**
 * Read a manifest from its JSON form (SPEC §9.4): untrusted input. At most
 * TV_MANIFEST_JSON_MAX bytes; duplicate keys, unknown keys, missing keys,
 * wrong types and trailing bytes after the object are refused; then the
 * same validation as tv_manifest_new().
 *
 * @param[out] out  the manifest, owned by the caller; NULL on failure
 * @param      json @p len bytes of UTF-8 JSON (need not be NUL-terminated)
 * @return TV_OK;
 *         TV_ERR_MANIFEST_INVALID (too long, not JSON, or any field
 *         missing, of the wrong type or invalid; the message gives the line
 *         and column, or the field's JSON path);
 *         TV_ERR_UTF8 (the JSON is not valid UTF-8, or a text field holds a
 *         control character, e.g. written as a \\u escape);
 *         TV_ERR_INVALID_ARGUMENT (NULL argument); TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_manifest_from_json(tv_ctx *ctx,
                                                      tv_manifest **out,
                                                      const char *json,
                                                      size_t len);

/**
 * The JSON form of @p m (SPEC §9.4): keys in a fixed order, indented by two
 * spaces, UTF-8 written as is (not \\u-escaped), ending with one newline.
 * The same manifest always gives the same bytes, and
 * tv_manifest_from_json() of them gives a manifest with the same
 * fingerprint.
 *
 * @param[out] out the NUL-terminated text, owned by the caller
 *                 (tv_free()); NULL on failure
 * @param[out] len its length without the NUL; may be NULL
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL @p ctx, @p out or @p m);
 *         TV_ERR_NOMEM; TV_ERR_INTERNAL (Jansson failed).
 */
TV_API TV_WARN_UNUSED tv_status tv_manifest_to_json(tv_ctx *ctx, char **out,
                                                    size_t *len,
                                                    const tv_manifest *m);

/**
 * The manifest's fingerprint, H("manifest"; ...) of SPEC §9.5, computed
 * when the manifest was made. Every field is in it.
 */
TV_API void tv_manifest_fingerprint(uint8_t out[TV_MANIFEST_FINGERPRINT_BYTES],
                                    const tv_manifest *m);

/**
 * Fill @p out with the manifest's fields, the strings borrowed from @p m
 * (valid while @p m lives; every @c cy is "" rather than NULL when there is
 * no Welsh). tv_manifest_new() of the result gives the same fingerprint
 * for a format-1 manifest; for format 2 and 3 give tv_manifest_contact(),
 * tv_manifest_letters() and tv_manifest_offer() to tv_manifest_new_contact()
 * or tv_manifest_new_offer(). Change a field first to derive a new
 * manifest from an old one.
 */
TV_API void tv_manifest_get_options(tv_manifest_options *out,
                                    const tv_manifest *m);

/** Free @p m. NULL is accepted. */
TV_API void tv_manifest_free(tv_manifest *m);

/*
 * Accessors. Strings are borrowed from the manifest, never NULL ("" when
 * empty), and a NULL manifest gives NULL / zero.
 */

/** The election id (the slug). */
TV_API const char *tv_manifest_election_id(const tv_manifest *m);
/**
 * The contact details (SPEC §9.2.1), borrowed from the manifest; every
 * string "" when the manifest has none (format 1).
 */
TV_API tv_contact tv_manifest_contact(const tv_manifest *m);
/**
 * The offer document (SPEC §9.2.2): 1 and @p out filled (its strings
 * borrowed from the manifest, "" when none) when the manifest names one,
 * else 0 and @p out zeroed with "" strings. @p out may be NULL.
 */
TV_API int tv_manifest_offer(const tv_manifest *m, tv_offer *out);
/** How the letters are written; TV_LETTERS_REGISTER when the manifest does not say. */
TV_API tv_letters tv_manifest_letters(const tv_manifest *m);
/** The landlord council. */
TV_API const char *tv_manifest_council(const tv_manifest *m);
/** The proposed new landlord ("" when none). */
TV_API const char *tv_manifest_landlord(const tv_manifest *m);
/** The title; @c cy is "" when there is no Welsh. */
TV_API tv_text tv_manifest_title(const tv_manifest *m);
/** The question; @c cy is "" when there is no Welsh. */
TV_API tv_text tv_manifest_question(const tv_manifest *m);
/** The number of options m, 2..TV_MAX_OPTIONS. */
TV_API size_t tv_manifest_option_count(const tv_manifest *m);
/**
 * The label of option @p id (1..m); {NULL, NULL} when @p id is out of
 * range.
 */
TV_API tv_text tv_manifest_option(const tv_manifest *m, uint32_t id);
/** The option that means transfer (1..m), or 0 when none does. */
TV_API uint32_t tv_manifest_transfer_option(const tv_manifest *m);
/** The counting rule (0 for a NULL manifest). */
TV_API tv_rule tv_manifest_rule(const tv_manifest *m);
/** The minimum turnout in tenths of a percent (0: none). */
TV_API uint32_t tv_manifest_min_turnout_tenths(const tv_manifest *m);
/** The supermajority in tenths of a percent (0: none, else 501..1000). */
TV_API uint32_t tv_manifest_supermajority_tenths(const tv_manifest *m);
/** 1 when blank ballots may be cast, else 0. */
TV_API int tv_manifest_allow_blank(const tv_manifest *m);
/** When voting opens, seconds since 1970-01-01T00:00:00Z. */
TV_API int64_t tv_manifest_opens(const tv_manifest *m);
/** When voting closes, seconds since 1970-01-01T00:00:00Z. */
TV_API int64_t tv_manifest_closes(const tv_manifest *m);
/** The channels allowed, TV_CHANNEL_* bits. */
TV_API uint32_t tv_manifest_channels(const tv_manifest *m);
/** The revote policy (0 for a NULL manifest). */
TV_API tv_revote tv_manifest_revote(const tv_manifest *m);
/** The number of trustees n. */
TV_API uint32_t tv_manifest_trustees(const tv_manifest *m);
/** The number of trustees k needed to decrypt. */
TV_API uint32_t tv_manifest_threshold(const tv_manifest *m);

/*
 * The title, question and option labels in one language, for a program
 * that cannot take a ::tv_text by value (a binding for another language).
 * @p lang is "en" or "cy"; anything else, or a NULL manifest, gives NULL.
 * The Welsh is "" when there is none. Borrowed from the manifest.
 */
/** The title in @p lang. */
TV_API const char *tv_manifest_title_in(const tv_manifest *m, const char *lang);
/** The question in @p lang. */
TV_API const char *tv_manifest_question_in(const tv_manifest *m, const char *lang);
/** The label of option @p id (1..m) in @p lang; NULL when out of range. */
TV_API const char *tv_manifest_option_in(const tv_manifest *m, uint32_t id,
                                         const char *lang);

/*
 * Helpers for the spellings of SPEC §9.6, public because council software
 * that builds a manifest from its own forms needs them as much as the CLI.
 * Every parser refuses with TV_ERR_MANIFEST_INVALID (naming the input) and
 * TV_ERR_INVALID_ARGUMENT for NULL arguments.
 */

/**
 * Split bilingual text "English|Cymraeg" (the CLI's --title, --question,
 * --option) at its one '|', dropping ASCII spaces around each part. With no
 * '|' the whole text is English and @p cy is "".
 *
 * @param[out] en the English part, owned by the caller (tv_free())
 * @param[out] cy the Welsh part ("" when none), owned by the caller
 * @return TV_OK; TV_ERR_MANIFEST_INVALID (more than one '|', or no English
 *         text); TV_ERR_UTF8 (invalid UTF-8 or a control character);
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM.
 *         On failure both outputs are NULL.
 */
TV_API TV_WARN_UNUSED tv_status tv_text_parse(tv_ctx *ctx, char **en, char **cy,
                                              const char *text);

/** Bytes tv_percent_format() writes at most, with the NUL. */
#define TV_PERCENT_FORMAT_BYTES 16

/**
 * Parse a percentage with at most one decimal, "25", "33.3", "100.0"
 * (1-3 digits, optionally '.' and one digit, at most 100), into tenths.
 * @return TV_OK; TV_ERR_MANIFEST_INVALID; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_percent_parse(tv_ctx *ctx, uint32_t *tenths,
                                                 const char *text);

/**
 * Write @p tenths as a percentage with one decimal: 250 -> "25.0",
 * 5 -> "0.5". This is the only spelling the JSON form accepts.
 */
TV_API void tv_percent_format(char out[TV_PERCENT_FORMAT_BYTES], uint32_t tenths);

/** Bytes of "YYYY-MM-DDTHH:MM:SSZ" with the NUL. */
#define TV_TIME_FORMAT_BYTES 21
/** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range of times. */
#define TV_TIME_MIN INT64_C(-62167219200) /**< 0000-01-01T00:00:00Z */
#define TV_TIME_MAX INT64_C(253402300799) /**< 9999-12-31T23:59:59Z */

/**
 * Parse an RFC 3339 UTC instant of exactly the form "YYYY-MM-DDTHH:MM:SSZ"
 * (upper-case T and Z; no fraction, no other offset, no leap second; the
 * date must exist in the Gregorian calendar) into seconds since
 * 1970-01-01T00:00:00Z.
 * @return TV_OK; TV_ERR_MANIFEST_INVALID; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_time_parse(tv_ctx *ctx, int64_t *out,
                                              const char *text);

/**
 * Write @p t as "YYYY-MM-DDTHH:MM:SSZ".
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL, or @p t outside
 *         TV_TIME_MIN..TV_TIME_MAX).
 */
TV_API TV_WARN_UNUSED tv_status tv_time_format(tv_ctx *ctx,
                                               char out[TV_TIME_FORMAT_BYTES],
                                               int64_t t);

/**
 * "majority" or "plurality" to a ::tv_rule.
 * @return TV_OK; TV_ERR_MANIFEST_INVALID; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_rule_parse(tv_ctx *ctx, tv_rule *out,
                                              const char *name);

/** "majority" or "plurality" (static), NULL for any other value. */
TV_API const char *tv_rule_name(tv_rule rule);

/**
 * "last" or "first" to a ::tv_revote.
 * @return TV_OK; TV_ERR_MANIFEST_INVALID; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_revote_parse(tv_ctx *ctx, tv_revote *out,
                                                const char *name);

/** "last" or "first" (static), NULL for any other value. */
TV_API const char *tv_revote_name(tv_revote revote);

/**
 * One channel name, "online", "phone", "postal" or "in_person", to its
 * TV_CHANNEL_* bit.
 * @return TV_OK; TV_ERR_MANIFEST_INVALID; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_channel_parse(tv_ctx *ctx, uint32_t *out,
                                                 const char *name);

/**
 * A comma-separated list of channel names ("online,postal"; no spaces,
 * none twice, at least one) to a TV_CHANNEL_* bitmask.
 * @return TV_OK; TV_ERR_MANIFEST_INVALID; TV_ERR_INVALID_ARGUMENT.
 */
TV_API TV_WARN_UNUSED tv_status tv_channels_parse(tv_ctx *ctx, uint32_t *out,
                                                  const char *list);

/**
 * The name of one TV_CHANNEL_* bit (static); NULL unless @p channel is
 * exactly one known bit.
 */
TV_API const char *tv_channel_name(uint32_t channel);

#ifdef __cplusplus
}
#endif

#endif
