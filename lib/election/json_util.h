/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * JSON helpers shared by the readers and writers of protocol objects
 * (ballots, spoilt papers, receipts, tallies, the record). Every message
 * names the object (@p what, e.g. "ballot") and the field.
 */
#ifndef TV_JSON_UTIL_H
#define TV_JSON_UTIL_H

#include <jansson.h>

#include "election_internal.h"

/* lowercase hex of @p len bytes as a new JSON string (NULL on failure) */
json_t *tv__json_hex(const uint8_t *data, size_t len);

/*
 * @p root (taken: it is freed) written with Jansson @p flags into a new
 * tv__alloc'd NUL-terminated string, with a final LF when @p newline.
 * Failures: TV_ERR_NOMEM "cannot build WHAT" (root NULL) or "cannot
 * allocate WHAT"; TV_ERR_INTERNAL "cannot write WHAT".
 */
tv_status tv__json_dump(tv_ctx *ctx, char **out, size_t *len, json_t *root, size_t flags,
                        int newline, const char *what);

/* "an object", "a string", ...: what @p v is, for messages */
const char *tv__json_type_name(const json_t *v);

/* untrusted bytes made safe for a message (SPEC §9.1): escaped, cut at
 * @p max input bytes with "..." */
#define TV_QUOTE_MAX 48
#define TV_QUOTE_BYTES (4 * TV_QUOTE_MAX + 4)
const char *tv__quote_n(char *out, size_t cap, const char *s, size_t len, size_t max,
                        int escape_quotes);
/* the usual form: at most TV_QUOTE_MAX bytes, '"' and '\' escaped */
const char *tv__quote(char out[TV_QUOTE_BYTES], const char *s, size_t len);

/* ---- the typed reader (lib/election/json_reader.c) ---- */

/*
 * The one reader of untrusted JSON. Every getter reads @p obj's member
 * @p key, or @p obj itself when @p key is NULL (an array's item), and
 * names the field by @p parent's path and @p key in any failure:
 * "WHAT: PATH: what is wrong". A failure's status is TV_ERR_ENCODING for a
 * malformed value, or the lower layer's (TV_ERR_POINT_INVALID,
 * TV_ERR_SCALAR_RANGE, TV_ERR_UTF8, ...) for a value that does not decode;
 * a reader made with a status of its own (e.g. TV_ERR_CEREMONY_INVALID)
 * gives that to every rejection. "Could not check" statuses (no memory)
 * pass through unchanged.
 */
#define TV_JR_PATH_BYTES 128

typedef struct tv__jr {
	tv_ctx *ctx;
	tv_status status; /* TV_OK: each failure's own status */
	char what[96];    /* the object read: "ballot", "result.json", ... */
} tv__jr;

void tv__jr_init(tv__jr *r, tv_ctx *ctx, tv_status status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "parent.key" (or the one that is there) into @p out; returns @p out */
const char *tv__jr_path(char out[TV_JR_PATH_BYTES], const char *parent, const char *key);
/* "parent[index]" into @p out; returns @p out */
const char *tv__jr_item(char out[TV_JR_PATH_BYTES], const char *parent, size_t index);
/* record "WHAT: PATH: detail" (or "WHAT: detail" without a path) */
tv_status tv__jr_fail(tv__jr *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* the JSON text of at most @p max bytes, without duplicate keys, or NULL */
json_t *tv__jr_load(tv__jr *r, tv_status *status, const char *text, size_t len, size_t max);
/* the same, but bytes that are not UTF-8 are TV_ERR_UTF8 whatever the
 * reader's own status: the manifest is text (SPEC §9.4.1) */
json_t *tv__jr_load_utf8(tv__jr *r, tv_status *status, const char *text, size_t len,
                         size_t max);
/* a lower layer's rejection @p status (its message on the context) as
 * "WHAT: PATH: its words", in the reader's status if it has one; TV_OK and
 * "could not check" statuses are given back unchanged */
tv_status tv__jr_lower(tv__jr *r, const char *path, tv_status status);
/* @p obj (at @p path) is an object with no key outside @p keys; with
 * @p exact, every one of them is there too */
tv_status tv__jr_keys(tv__jr *r, json_t *obj, const char *path, const char *const *keys,
                      size_t count, int exact);
tv_status tv__jr_object(tv__jr *r, json_t **out, json_t *obj, const char *key,
                        const char *parent, const char *const *keys, size_t count, int exact);
/* an array of @p min to @p max items */
tv_status tv__jr_array(tv__jr *r, json_t **out, json_t *obj, const char *key,
                       const char *parent, size_t min, size_t max);
/* a string of at most @p max bytes, as it is (borrowed from @p obj) */
tv_status tv__jr_string(tv__jr *r, const char **s, size_t *len, json_t *obj, const char *key,
                        const char *parent, size_t max);
/* a string that is text by SPEC §9.1 (UTF-8, no control characters) */
tv_status tv__jr_text(tv__jr *r, const char **s, size_t *len, json_t *obj, const char *key,
                      const char *parent, size_t max);
/* the "format" of @p obj (at @p parent) is the string @p format */
tv_status tv__jr_format(tv__jr *r, json_t *obj, const char *parent, const char *format);
/* a whole number in [min, max] */
tv_status tv__jr_int(tv__jr *r, int64_t *out, json_t *obj, const char *key, const char *parent,
                     int64_t min, int64_t max);
tv_status tv__jr_uint(tv__jr *r, uint64_t *out, json_t *obj, const char *key,
                      const char *parent, uint64_t min, uint64_t max);
/* exactly @p len bytes as 2·len lowercase hex characters */
tv_status tv__jr_hex(tv__jr *r, uint8_t *out, size_t len, json_t *obj, const char *key,
                     const char *parent);
/* a point (SPEC §2.2: on the curve, not infinity) or a scalar below n, in hex */
tv_status tv__jr_point(tv__jr *r, tv_point *out, json_t *obj, const char *key,
                       const char *parent);
tv_status tv__jr_scalar(tv__jr *r, tv_scalar *out, json_t *obj, const char *key,
                        const char *parent);
/* true or false */
tv_status tv__jr_bool(tv__jr *r, int *out, json_t *obj, const char *key, const char *parent);
/* a string that is one of the @p count @p names: *index is which */
tv_status tv__jr_enum(tv__jr *r, size_t *index, json_t *obj, const char *key,
                      const char *parent, const char *const *names, size_t count);
/* a whole number in [min, max], or null (*is_null set, *out 0) */
tv_status tv__jr_uint_or_null(tv__jr *r, uint64_t *out, int *is_null, json_t *obj,
                              const char *key, const char *parent, uint64_t min, uint64_t max);
/* a percentage in tenths, a string in its one spelling (SPEC §9.6.2:
 * "0.0" to "100.0"); or null (*is_null set, *tenths 0) */
tv_status tv__jr_percent(tv__jr *r, uint32_t *tenths, json_t *obj, const char *key,
                         const char *parent);
tv_status tv__jr_percent_or_null(tv__jr *r, uint32_t *tenths, int *is_null, json_t *obj,
                                 const char *key, const char *parent);
/* a UTC time "YYYY-MM-DDTHH:MM:SSZ" (SPEC §9.6.3) in seconds since 1970 */
tv_status tv__jr_time(tv__jr *r, int64_t *out, json_t *obj, const char *key,
                      const char *parent);

/* a ballot (SPEC §15.1.4) or a spoilt paper (§15.6) from an already parsed
 * object, as tv_ballot_from_json() and tv_spoilt_from_json() read it, but
 * a ballot must be signed: it is a board entry, a cast ballot */
/* a paper's board entries (§15.8.4) for a board line: the handle, a
 * rejected paper's identifier and tracking code, a ballot's other digests
 * into @p e (paper.c) */
tv_status tv__paper_entry_from_value(tv_ctx *ctx, tv__board_entry *e, tv_ballot **ballot,
                                     json_t *x);
tv_status tv__paper_spoilt_from_value(tv_ctx *ctx, tv__board_entry *e, tv_spoilt **out,
                                      json_t *x);
tv_status tv__ballot_from_value_unsigned(tv_ctx *ctx, tv_ballot **out, json_t *root);
tv_status tv__ballot_from_value(tv_ctx *ctx, tv_ballot **out, json_t *root);
tv_status tv__spoilt_from_value(tv_ctx *ctx, tv_spoilt **out, json_t *root);
/* an opened ballot (SPEC §15.1.5) from its parsed JSON: the unsigned
 * ballot (marked challenged), the shown choice and the m nonces */
tv_status tv__opened_from_value(tv_ctx *ctx, tv_ballot **ballot, uint32_t *choice,
                                tv_scalar nonce[TV_MAX_OPTIONS], json_t *root);

#endif
