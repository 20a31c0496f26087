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

/*
 * Untrusted JSON text: at most @p max bytes, valid, no duplicate keys.
 * NULL with *status set (TV_ERR_ENCODING "WHAT: ...") on failure.
 */
json_t *tv__json_load(tv_ctx *ctx, const char *json, size_t len, size_t max, const char *what,
                      tv_status *status);

/*
 * @p obj is an object with exactly @p keys: TV_ERR_ENCODING "WHAT: WHERE
 * is not an object", "WHAT: WHERE has an unknown field 'K'" or "WHAT:
 * WHERE.K is missing".
 */
tv_status tv__json_exact_keys(tv_ctx *ctx, json_t *obj, const char *what, const char *where,
                              const char *const *keys, size_t count);

/* the JSON string @p v as exactly @p len bytes of hex; @p name in messages */
tv_status tv__json_get_hex(tv_ctx *ctx, uint8_t *out, size_t len, json_t *v, const char *name);

/* the JSON string @p v as a point (§2.2) or a scalar below n; @p name in messages */
tv_status tv__json_get_point(tv_ctx *ctx, tv_point *out, json_t *v, const char *name);
tv_status tv__json_get_scalar(tv_ctx *ctx, tv_scalar *out, json_t *v, const char *name);
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

/* a ballot (SPEC §15.1.4) or a spoilt paper (§15.6) from an already parsed
 * object, as tv_ballot_from_json() and tv_spoilt_from_json() read it */
tv_status tv__ballot_from_value(tv_ctx *ctx, tv_ballot **out, json_t *root);
tv_status tv__spoilt_from_value(tv_ctx *ctx, tv_spoilt **out, json_t *root);

#endif
