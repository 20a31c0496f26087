/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one typed reader of untrusted JSON (SPEC §9): the manifest, ballots,
 * spoilt papers, receipts, the ceremony's messages, the tally, result.json
 * and the record's files are all read through it, so every reader has the
 * same limits (exact keys, integers in range, hex of the right length,
 * points on the curve, scalars below n, strings by the UTF-8 rules of
 * §9.1) and every failure names the object and the path of the field:
 *   "ballot: proofs[1].commitments[0]: must be a string, not an integer"
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json_util.h"

void tv__jr_init(tv__jr *r, tv_ctx *ctx, tv_status status, const char *fmt, ...)
{
	va_list ap;

	r->ctx = ctx;
	r->status = status;
	va_start(ap, fmt);
	vsnprintf(r->what, sizeof(r->what), fmt, ap);
	va_end(ap);
}

const char *tv__jr_path(char out[TV_JR_PATH_BYTES], const char *parent, const char *key)
{
	if (parent == NULL || parent[0] == '\0')
		snprintf(out, TV_JR_PATH_BYTES, "%s", key != NULL ? key : "");
	else if (key == NULL)
		snprintf(out, TV_JR_PATH_BYTES, "%s", parent);
	else
		snprintf(out, TV_JR_PATH_BYTES, "%s.%s", parent, key);
	return out;
}

const char *tv__jr_item(char out[TV_JR_PATH_BYTES], const char *parent, size_t index)
{
	snprintf(out, TV_JR_PATH_BYTES, "%s[%zu]", parent != NULL ? parent : "", index);
	return out;
}

static tv_status vfail(tv__jr *r, tv_status status, const char *path, const char *fmt,
                       va_list ap)
{
	char detail[TV_ERROR_MAX];

	vsnprintf(detail, sizeof(detail), fmt, ap);
	if (r->status != TV_OK && tv_status_is_rejection(status))
		status = r->status;
	if (path == NULL || path[0] == '\0')
		return tv__fail(r->ctx, status, "%s: %s", r->what, detail);
	return tv__fail(r->ctx, status, "%s: %s: %s", r->what, path, detail);
}

tv_status tv__jr_fail(tv__jr *r, const char *path, const char *fmt, ...)
{
	va_list ap;
	tv_status status;

	va_start(ap, fmt);
	status = vfail(r, TV_ERR_ENCODING, path, fmt, ap);
	va_end(ap);
	return status;
}

/* a lower layer's rejection, its words kept after the path */
static tv_status lower(tv__jr *r, const char *path, tv_status status)
{
	char detail[TV_ERROR_MAX];

	if (status == TV_OK || !tv_status_is_rejection(status))
		return status;
	snprintf(detail, sizeof(detail), "%s", tv_ctx_last_error(r->ctx));
	if (r->status != TV_OK)
		status = r->status;
	if (path == NULL || path[0] == '\0')
		return tv__fail(r->ctx, status, "%s: %s", r->what, detail);
	return tv__fail(r->ctx, status, "%s: %s: %s", r->what, path, detail);
}

json_t *tv__jr_load(tv__jr *r, tv_status *status, const char *text, size_t len, size_t max)
{
	char why[TV_QUOTE_BYTES];
	json_error_t err;
	json_t *root;

	if (text == NULL && len != 0) {
		*status = tv__fail(r->ctx, TV_ERR_INVALID_ARGUMENT, "%s: NULL text", r->what);
		return NULL;
	}
	if (len > max) {
		*status = tv__jr_fail(r, NULL, "%zu bytes is over the %zu-byte limit", len, max);
		return NULL;
	}
	root = json_loadb(text != NULL ? text : "", len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		if (json_error_code(&err) == json_error_out_of_memory)
			*status = tv__fail(r->ctx, TV_ERR_NOMEM, "%s: out of memory reading JSON",
			                   r->what);
		else
			*status = tv__jr_fail(r, NULL, "not valid JSON at line %d column %d: %s",
			                      err.line, err.column,
			                      tv__quote(why, err.text, strlen(err.text)));
		return NULL;
	}
	*status = TV_OK;
	return root;
}

/* @p obj's member @p key (or @p obj itself when @p key is NULL) */
static tv_status member(tv__jr *r, json_t **out, json_t *obj, const char *key,
                        const char *parent)
{
	char path[TV_JR_PATH_BYTES];

	*out = key == NULL ? obj : json_object_get(obj, key);
	if (*out == NULL)
		return tv__jr_fail(r, tv__jr_path(path, parent, key), "is missing");
	return TV_OK;
}

static tv_status wrong_type(tv__jr *r, const char *parent, const char *key, const char *want,
                            const json_t *v)
{
	char path[TV_JR_PATH_BYTES];

	return tv__jr_fail(r, tv__jr_path(path, parent, key), "must be %s, not %s", want,
	                   tv__json_type_name(v));
}

tv_status tv__jr_keys(tv__jr *r, json_t *obj, const char *path, const char *const *keys,
                      size_t count, int exact)
{
	char q[TV_QUOTE_BYTES], sub[TV_JR_PATH_BYTES];
	const char *key;
	json_t *value;

	if (!json_is_object(obj))
		return wrong_type(r, path, NULL, "an object", obj);
	json_object_foreach(obj, key, value) {
		size_t i;

		(void)value;
		for (i = 0; i < count && strcmp(key, keys[i]) != 0; i++)
			;
		if (i == count)
			return tv__jr_fail(r, path, "has an unknown field \"%s\"",
			                   tv__quote(q, key, strlen(key)));
	}
	for (size_t i = 0; exact && i < count; i++)
		if (json_object_get(obj, keys[i]) == NULL)
			return tv__jr_fail(r, tv__jr_path(sub, path, keys[i]), "is missing");
	return TV_OK;
}

tv_status tv__jr_object(tv__jr *r, json_t **out, json_t *obj, const char *key,
                        const char *parent, const char *const *keys, size_t count, int exact)
{
	char path[TV_JR_PATH_BYTES];
	tv_status status;

	if ((status = member(r, out, obj, key, parent)) != TV_OK)
		return status;
	return tv__jr_keys(r, *out, tv__jr_path(path, parent, key), keys, count, exact);
}

tv_status tv__jr_array(tv__jr *r, json_t **out, json_t *obj, const char *key,
                       const char *parent, size_t min, size_t max)
{
	char path[TV_JR_PATH_BYTES];
	size_t n;
	tv_status status;

	if ((status = member(r, out, obj, key, parent)) != TV_OK)
		return status;
	if (!json_is_array(*out))
		return wrong_type(r, parent, key, "an array", *out);
	n = json_array_size(*out);
	if (n < min || n > max) {
		tv__jr_path(path, parent, key);
		if (min == max)
			return tv__jr_fail(r, path, "has %zu entries, not %zu", n, min);
		return tv__jr_fail(r, path, "has %zu entries, not from %zu to %zu", n, min, max);
	}
	return TV_OK;
}

tv_status tv__jr_string(tv__jr *r, const char **s, size_t *len, json_t *obj, const char *key,
                        const char *parent, size_t max)
{
	char path[TV_JR_PATH_BYTES];
	json_t *v;
	tv_status status;

	if ((status = member(r, &v, obj, key, parent)) != TV_OK)
		return status;
	if (!json_is_string(v))
		return wrong_type(r, parent, key, "a string", v);
	tv__jr_path(path, parent, key);
	if (json_string_length(v) > max)
		return tv__jr_fail(r, path, "is longer than %zu bytes", max);
	*s = json_string_value(v);
	*len = json_string_length(v);
	return TV_OK;
}

tv_status tv__jr_text(tv__jr *r, const char **s, size_t *len, json_t *obj, const char *key,
                      const char *parent, size_t max)
{
	char path[TV_JR_PATH_BYTES];
	tv_status status;

	if ((status = tv__jr_string(r, s, len, obj, key, parent, max)) != TV_OK)
		return status;
	return lower(r, tv__jr_path(path, parent, key),
	             tv__utf8_check(r->ctx, *s, *len, "the text"));
}

tv_status tv__jr_format(tv__jr *r, json_t *obj, const char *format)
{
	char q[TV_QUOTE_BYTES];
	json_t *v = json_object_get(obj, "format");

	if (v == NULL)
		return tv__jr_fail(r, "format", "is missing");
	if (!json_is_string(v) || strcmp(json_string_value(v), format) != 0)
		return tv__jr_fail(r, "format", "is %s, not \"%s\"",
		                   json_is_string(v) ? tv__quote(q, json_string_value(v),
		                                                 json_string_length(v))
		                                     : tv__json_type_name(v),
		                   format);
	return TV_OK;
}

tv_status tv__jr_int(tv__jr *r, int64_t *out, json_t *obj, const char *key, const char *parent,
                     int64_t min, int64_t max)
{
	char path[TV_JR_PATH_BYTES];
	json_t *v;
	json_int_t x;
	tv_status status;

	if ((status = member(r, &v, obj, key, parent)) != TV_OK)
		return status;
	if (!json_is_integer(v))
		return wrong_type(r, parent, key, "a whole number", v);
	x = json_integer_value(v);
	if (x < min || x > max)
		return tv__jr_fail(r, tv__jr_path(path, parent, key),
		                   "is %" PRId64 ", not from %" PRId64 " to %" PRId64, (int64_t)x, min,
		                   max);
	*out = x;
	return TV_OK;
}

tv_status tv__jr_uint(tv__jr *r, uint64_t *out, json_t *obj, const char *key,
                      const char *parent, uint64_t min, uint64_t max)
{
	int64_t x;
	tv_status status;

	/* JSON integers here are at most INT64_MAX: Jansson's json_int_t */
	if (max > INT64_MAX)
		max = INT64_MAX;
	if ((status = tv__jr_int(r, &x, obj, key, parent, (int64_t)min, (int64_t)max)) != TV_OK)
		return status;
	*out = (uint64_t)x;
	return TV_OK;
}

tv_status tv__jr_hex(tv__jr *r, uint8_t *out, size_t len, json_t *obj, const char *key,
                     const char *parent)
{
	char path[TV_JR_PATH_BYTES];
	const char *s;
	size_t n;
	tv_status status;

	if ((status = tv__jr_string(r, &s, &n, obj, key, parent, SIZE_MAX)) != TV_OK)
		return status;
	tv__jr_path(path, parent, key);
	if (n != 2 * len)
		return tv__jr_fail(r, path, "must be %zu hex characters, not %zu", 2 * len, n);
	return lower(r, path, tv__hex_decode(r->ctx, out, len, s, n, "the hex"));
}

tv_status tv__jr_point(tv__jr *r, tv_point *out, json_t *obj, const char *key,
                       const char *parent)
{
	char path[TV_JR_PATH_BYTES];
	uint8_t raw[TV_POINT_BYTES];
	tv_status status;

	if ((status = tv__jr_hex(r, raw, sizeof(raw), obj, key, parent)) != TV_OK)
		return status;
	return lower(r, tv__jr_path(path, parent, key),
	             tv_point_decode(r->ctx, out, raw, sizeof(raw)));
}

tv_status tv__jr_scalar(tv__jr *r, tv_scalar *out, json_t *obj, const char *key,
                        const char *parent)
{
	char path[TV_JR_PATH_BYTES];
	uint8_t raw[TV_SCALAR_BYTES];
	tv_status status;

	if ((status = tv__jr_hex(r, raw, sizeof(raw), obj, key, parent)) != TV_OK)
		return status;
	return lower(r, tv__jr_path(path, parent, key),
	             tv_scalar_decode(r->ctx, out, raw, sizeof(raw)));
}
