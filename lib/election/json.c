/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON helpers shared by the protocol objects' readers and writers. */
#include <stdio.h>
#include <string.h>

#include "json_util.h"

json_t *tv__json_hex(const uint8_t *data, size_t len)
{
	char buf[2 * TV_POINT_BYTES + 1];

	if (len > TV_POINT_BYTES)
		return NULL;
	tv__hex_encode(buf, data, len);
	return json_string(buf);
}

tv_status tv__json_dump(tv_ctx *ctx, char **out, size_t *len, json_t *root, size_t flags,
                        int newline, const char *what)
{
	tv_status status = TV_OK;
	char *buf = NULL;
	size_t size;

	if (root == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot build %s", what);
	/* into our own buffer, so the caller frees it with tv_free() */
	if ((size = json_dumpb(root, NULL, 0, flags)) == 0) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "cannot write %s", what);
		goto out;
	}
	if ((buf = tv__alloc(ctx, size + 2)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate %s", what);
		goto out;
	}
	if (json_dumpb(root, buf, size, flags) != size) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "cannot write %s", what);
		goto out;
	}
	if (newline)
		buf[size++] = '\n';
	buf[size] = '\0';
	*out = buf;
	if (len != NULL)
		*len = size;
	buf = NULL;
out:
	tv__free(ctx, buf);
	json_decref(root);
	return status;
}

const char *tv__json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number with a fraction or exponent";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

/*
 * Copy untrusted bytes into a message: printable ASCII as is, '"' and '\'
 * escaped (if @p escape_quotes), anything else as \xNN, at most @p max
 * input bytes (then "..."). A message ends up on a terminal; a control
 * character there could hide or rewrite text (SPEC §9.1).
 */
const char *tv__quote_n(char *out, size_t cap, const char *s, size_t len, size_t max,
                        int escape_quotes)
{
	size_t o = 0, i;

	for (i = 0; i < len && i < max && o + 8 <= cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (escape_quotes && (c == '"' || c == '\\')) {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c >= 0x20 && c < 0x7f) {
			out[o++] = (char)c;
		} else {
			o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
		}
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

const char *tv__quote(char out[TV_QUOTE_BYTES], const char *s, size_t len)
{
	return tv__quote_n(out, TV_QUOTE_BYTES, s, len, TV_QUOTE_MAX, 1);
}
