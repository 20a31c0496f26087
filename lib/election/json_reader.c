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

tv_status tv__jr_lower(tv__jr *r, const char *path, tv_status status)
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

static json_t *load(tv__jr *r, tv_status *status, const char *text, size_t len, size_t max,
                    int utf8)
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
		tv__quote(why, err.text, strlen(err.text));
		if (json_error_code(&err) == json_error_out_of_memory)
			*status = tv__fail(r->ctx, TV_ERR_NOMEM, "%s: out of memory reading JSON",
			                   r->what);
		else if (utf8 && json_error_code(&err) == json_error_invalid_utf8)
			/* the reader's own status does not hide it: see json_util.h */
			*status = tv__fail(r->ctx, TV_ERR_UTF8,
			                   "%s: invalid UTF-8 at line %d column %d: %s", r->what,
			                   err.line, err.column, why);
		else
			*status = tv__jr_fail(r, NULL, "not valid JSON at line %d column %d: %s",
			                      err.line, err.column, why);
		return NULL;
	}
	*status = TV_OK;
	return root;
}

json_t *tv__jr_load(tv__jr *r, tv_status *status, const char *text, size_t len, size_t max)
{
	return load(r, status, text, len, max, 0);
}

json_t *tv__jr_load_utf8(tv__jr *r, tv_status *status, const char *text, size_t len,
                         size_t max)
{
	return load(r, status, text, len, max, 1);
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
		if (min == 0)
			return tv__jr_fail(r, path, "has %zu entries, more than %zu", n, max);
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
	return tv__jr_lower(r, tv__jr_path(path, parent, key),
	             tv__utf8_check(r->ctx, *s, *len, "the text"));
}

tv_status tv__jr_format(tv__jr *r, json_t *obj, const char *parent, const char *format)
{
	char q[TV_QUOTE_BYTES], path[TV_JR_PATH_BYTES];
	json_t *v = json_object_get(obj, "format");

	tv__jr_path(path, parent, "format");
	if (v == NULL)
		return tv__jr_fail(r, path, "is missing");
	if (!json_is_string(v))
		return tv__jr_fail(r, path, "is %s, not \"%s\"", tv__json_type_name(v), format);
	if (strcmp(json_string_value(v), format) != 0)
		return tv__jr_fail(r, path, "is \"%s\", not \"%s\"",
		                   tv__quote(q, json_string_value(v), json_string_length(v)),
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
	return tv__jr_lower(r, path, tv__hex_decode(r->ctx, out, len, s, n, "the hex"));
}

tv_status tv__jr_point(tv__jr *r, tv_point *out, json_t *obj, const char *key,
                       const char *parent)
{
	char path[TV_JR_PATH_BYTES];
	uint8_t raw[TV_POINT_BYTES];
	tv_status status;

	if ((status = tv__jr_hex(r, raw, sizeof(raw), obj, key, parent)) != TV_OK)
		return status;
	return tv__jr_lower(r, tv__jr_path(path, parent, key),
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
	return tv__jr_lower(r, tv__jr_path(path, parent, key),
	             tv_scalar_decode(r->ctx, out, raw, sizeof(raw)));
}

tv_status tv__jr_bool(tv__jr *r, int *out, json_t *obj, const char *key, const char *parent)
{
	json_t *v;
	tv_status status;

	if ((status = member(r, &v, obj, key, parent)) != TV_OK)
		return status;
	if (!json_is_boolean(v))
		return wrong_type(r, parent, key, "true or false", v);
	*out = json_is_true(v);
	return TV_OK;
}

tv_status tv__jr_enum(tv__jr *r, size_t *index, json_t *obj, const char *key,
                      const char *parent, const char *const *names, size_t count)
{
	char path[TV_JR_PATH_BYTES], q[TV_QUOTE_BYTES], list[TV_ERROR_MAX / 2];
	const char *s;
	size_t len, used = 0;
	tv_status status;

	if ((status = tv__jr_string(r, &s, &len, obj, key, parent, SIZE_MAX)) != TV_OK)
		return status;
	for (size_t i = 0; i < count; i++) {
		if (strlen(names[i]) == len && memcmp(s, names[i], len) == 0) {
			*index = i;
			return TV_OK;
		}
	}
	list[0] = '\0';
	for (size_t i = 0; i < count && used < sizeof(list); i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s",
		                 i == 0 ? "" : i + 1 == count ? " or " : ", ", names[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	return tv__jr_fail(r, tv__jr_path(path, parent, key), "is \"%s\", not %s",
	                   tv__quote(q, s, len), list);
}

/* @p obj's member @p key is there; *is_null says whether it is null */
static tv_status null_or(tv__jr *r, int *is_null, json_t *obj, const char *key,
                         const char *parent)
{
	json_t *v;
	tv_status status;

	if ((status = member(r, &v, obj, key, parent)) != TV_OK)
		return status;
	*is_null = json_is_null(v);
	return TV_OK;
}

tv_status tv__jr_uint_or_null(tv__jr *r, uint64_t *out, int *is_null, json_t *obj,
                              const char *key, const char *parent, uint64_t min, uint64_t max)
{
	json_t *v;
	tv_status status;

	if ((status = null_or(r, is_null, obj, key, parent)) != TV_OK)
		return status;
	if (*is_null) {
		*out = 0;
		return TV_OK;
	}
	v = key == NULL ? obj : json_object_get(obj, key);
	if (!json_is_integer(v))
		return wrong_type(r, parent, key, "a whole number or null", v);
	return tv__jr_uint(r, out, obj, key, parent, min, max);
}

/* a rejection of a lower layer in the reader's status, its words kept */
static tv_status reword(tv__jr *r, const char *path, tv_status status)
{
	char detail[TV_ERROR_MAX];

	if (status == TV_OK || !tv_status_is_rejection(status))
		return status;
	snprintf(detail, sizeof(detail), "%s", tv_ctx_last_error(r->ctx));
	return tv__jr_fail(r, path, "%s", detail);
}

static tv_status percent(tv__jr *r, uint32_t *tenths, json_t *obj, const char *key,
                         const char *parent, const char *want)
{
	char path[TV_JR_PATH_BYTES], q[TV_QUOTE_BYTES], again[TV_PERCENT_FORMAT_BYTES];
	json_t *v = key == NULL ? obj : json_object_get(obj, key);
	const char *s;
	size_t len;
	uint32_t t;

	if (!json_is_string(v))
		return wrong_type(r, parent, key, want, v);
	s = json_string_value(v);
	len = json_string_length(v);
	tv__jr_path(path, parent, key);
	tv__quote(q, s, len);
	/* a NUL inside would hide the rest from the parser */
	if (strlen(s) != len || tv_percent_parse(r->ctx, &t, s) != TV_OK)
		return tv__jr_fail(r, path, "is \"%s\", not a percentage from \"0.0\" to "
		                   "\"100.0\" with one decimal", q);
	/* one spelling for one value, so that equal values are equal text */
	tv_percent_format(again, t);
	if (strcmp(s, again) != 0)
		return tv__jr_fail(r, path, "is \"%s\", which must be written \"%s\"", q, again);
	*tenths = t;
	return TV_OK;
}

tv_status tv__jr_percent(tv__jr *r, uint32_t *tenths, json_t *obj, const char *key,
                         const char *parent)
{
	json_t *v;
	tv_status status;

	if ((status = member(r, &v, obj, key, parent)) != TV_OK)
		return status;
	return percent(r, tenths, obj, key, parent, "a string such as \"25.0\"");
}

tv_status tv__jr_percent_or_null(tv__jr *r, uint32_t *tenths, int *is_null, json_t *obj,
                                 const char *key, const char *parent)
{
	tv_status status;

	if ((status = null_or(r, is_null, obj, key, parent)) != TV_OK)
		return status;
	if (*is_null) {
		*tenths = 0;
		return TV_OK;
	}
	return percent(r, tenths, obj, key, parent, "a string such as \"66.7\", or null");
}

tv_status tv__jr_time(tv__jr *r, int64_t *out, json_t *obj, const char *key,
                      const char *parent)
{
	char path[TV_JR_PATH_BYTES], q[TV_QUOTE_BYTES];
	const char *s;
	size_t len;
	tv_status status;

	if ((status = tv__jr_string(r, &s, &len, obj, key, parent, SIZE_MAX)) != TV_OK)
		return status;
	tv__jr_path(path, parent, key);
	if (strlen(s) != len)
		return tv__jr_fail(r, path, "\"%s\" is not a UTC time of the form "
		                   "YYYY-MM-DDTHH:MM:SSZ", tv__quote(q, s, len));
	return reword(r, path, tv_time_parse(r->ctx, out, s));
}
