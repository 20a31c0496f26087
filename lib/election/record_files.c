/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §18.3, §18.5, §18.6: the record's small files, written and read.
 *   record.json       {"format":"tenantvote-record/1","election":F,"box_key":K}
 *   trustees.json     {"format":"tenantvote-ceremony-transcript/1","commits":[...],
 *                      "reveals":[...],"results":[...]}
 *   credentials.json  {"format":"tenantvote-credentials/2","electorate":E,
 *                      "authority":A,"signature":sig,"credentials":[sorted points]}
 * The ballot box writes them (lib/box/export.c, box.c); the verifier reads
 * them (lib/record/verify.c). Writers give exactly the bytes of §18;
 * readers read values (§18.2) through the one JSON reader.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"

/* ------------------------------------------------------------ record.json */

tv_status tv__record_header_to_json(tv_ctx *ctx, char **out, const uint8_t election[32],
                                    const uint8_t box_key[32])
{
	return tv__json_dump(ctx, out, NULL,
	                     json_pack("{s:s, s:o, s:o}", "format", TV_RECORD_FORMAT, "election",
	                               tv__json_hex(election, 32), "box_key",
	                               tv__json_hex(box_key, 32)),
	                     JSON_COMPACT | JSON_PRESERVE_ORDER, 1, "record.json");
}

tv_status tv__record_header_from_json(tv_ctx *ctx, uint8_t election[32], uint8_t box_key[32],
                                      const char *text, size_t len)
{
	static const char *const keys[] = { "format", "election", "box_key" };
	tv__jr r;
	json_t *root;
	tv_status status;

	tv__jr_init(&r, ctx, TV_OK, "record.json");
	if ((root = tv__jr_load(&r, &status, text, len, len)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 3, 1)) == TV_OK &&
	    (status = tv__jr_format(&r, root, NULL, TV_RECORD_FORMAT)) == TV_OK &&
	    (status = tv__jr_hex(&r, election, 32, root, "election", NULL)) == TV_OK)
		status = tv__jr_hex(&r, box_key, 32, root, "box_key", NULL);
	json_decref(root);
	return status;
}

/* ---------------------------------------------------------- trustees.json */

/* the messages of one kind as a JSON array of objects, or NULL */
static json_t *messages_json(const char *const *msgs, size_t count)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr != NULL && i < count; i++) {
		json_t *one = json_loads(msgs[i], 0, NULL);

		if (one == NULL || json_array_append_new(arr, one) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

tv_status tv__transcript_to_json(tv_ctx *ctx, char **out, const char *const *commits,
                                 const char *const *reveals, const char *const *results,
                                 size_t count)
{
	json_t *c = messages_json(commits, count);
	json_t *r = messages_json(reveals, count);
	json_t *s = messages_json(results, count);

	if (c == NULL || r == NULL || s == NULL) {
		json_decref(c);
		json_decref(r);
		json_decref(s);
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot build the ceremony transcript");
	}
	/* without its LF: the box stores it so, the exporter adds one (§18.5) */
	return tv__json_dump(ctx, out, NULL,
	                     json_pack("{s:s, s:o, s:o, s:o}", "format", TV_RECORD_TRANSCRIPT,
	                               "commits", c, "reveals", r, "results", s),
	                     JSON_COMPACT | JSON_PRESERVE_ORDER, 0, "the ceremony transcript");
}

void tv__members_free(tv_ctx *ctx, char **list, size_t count)
{
	for (size_t i = 0; list != NULL && i < count; i++)
		tv__free(ctx, list[i]);
	tv__free(ctx, list);
}

/* an array's items, each written again as compact JSON (§19.2) */
static tv_status members(tv__jr *r, char ***out, size_t *count, json_t *arr, const char *key)
{
	char path[TV_JR_PATH_BYTES];
	size_t n = json_array_size(arr);
	char **list;
	tv_status status = TV_OK;

	*out = NULL;
	*count = 0;
	if ((list = tv__calloc(r->ctx, n + 1, sizeof(*list))) == NULL)
		return tv__fail(r->ctx, TV_ERR_NOMEM, "%s: out of memory", r->what);
	for (size_t i = 0; i < n && status == TV_OK; i++) {
		char *one = json_dumps(json_array_get(arr, i),
		                       JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		size_t len = one != NULL ? strlen(one) : 0;

		if (one == NULL)
			status = tv__jr_fail(r, tv__jr_item(path, key, i), "cannot be written again");
		else if ((list[i] = tv__alloc(r->ctx, len + 1)) == NULL)
			status = tv__fail(r->ctx, TV_ERR_NOMEM, "%s: out of memory", r->what);
		else
			memcpy(list[i], one, len + 1);
		free(one);
	}
	if (status != TV_OK) {
		tv__members_free(r->ctx, list, n);
		return status;
	}
	*out = list;
	*count = n;
	return TV_OK;
}

tv_status tv__transcript_from_json(tv_ctx *ctx, tv__transcript_lists *out, const char *text,
                                   size_t len)
{
	static const char *const keys[] = { "format", "commits", "reveals", "results" };
	tv__jr r;
	json_t *root, *c, *v, *s;
	tv_status status;

	memset(out, 0, sizeof(*out));
	tv__jr_init(&r, ctx, TV_OK, "trustees.json");
	if ((root = tv__jr_load(&r, &status, text, len, len)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 4, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, TV_RECORD_TRANSCRIPT)) != TV_OK)
		goto out;
	/* the lists: non-empty arrays (their messages are read by the ceremony) */
	if ((status = tv__jr_array(&r, &c, root, "commits", NULL, 1, SIZE_MAX)) != TV_OK ||
	    (status = tv__jr_array(&r, &v, root, "reveals", NULL, 1, SIZE_MAX)) != TV_OK ||
	    (status = tv__jr_array(&r, &s, root, "results", NULL, 1, SIZE_MAX)) != TV_OK) {
		out->lists_bad = 1;
		goto out;
	}
	if ((status = members(&r, &out->commits, &out->ncommits, c, "commits")) != TV_OK ||
	    (status = members(&r, &out->reveals, &out->nreveals, v, "reveals")) != TV_OK ||
	    (status = members(&r, &out->results, &out->nresults, s, "results")) != TV_OK)
		tv__transcript_lists_free(ctx, out);
out:
	json_decref(root);
	return status;
}

void tv__transcript_lists_free(tv_ctx *ctx, tv__transcript_lists *t)
{
	tv__members_free(ctx, t->commits, t->ncommits);
	tv__members_free(ctx, t->reveals, t->nreveals);
	tv__members_free(ctx, t->results, t->nresults);
	t->commits = t->reveals = t->results = NULL;
	t->ncommits = t->nreveals = t->nresults = 0;
}

/* ------------------------------------------------------- credentials.json */

static int cmp_point(const void *a, const void *b)
{
	return memcmp(a, b, TV_POINT_BYTES);
}

tv_status tv__credentials_write(tv_ctx *ctx, tv__write_fn write, void *payload,
                                uint8_t (*list)[TV_POINT_BYTES], size_t count,
                                const uint8_t authority[32], const uint8_t signature[64])
{
	char buf[2 * TV_POINT_BYTES + 8], a[65], sig[129];
	int n;

	/* sorted, so the list says nothing of the register's order */
	qsort(list, count, TV_POINT_BYTES, cmp_point);
	n = snprintf(buf, sizeof(buf), "{\"format\":\"%s\",\"electorate\":", TV_RECORD_CREDENTIALS);
	if (write(buf, (size_t)n, payload) != 0)
		return tv__fail(ctx, TV_ERR_IO, "cannot write credentials.json");
	n = snprintf(buf, sizeof(buf), "%llu,\"authority\":\"", (unsigned long long)count);
	tv__hex_encode(a, authority, 32);
	tv__hex_encode(sig, signature, 64);
	if (write(buf, (size_t)n, payload) != 0 || write(a, 64, payload) != 0 ||
	    write("\",\"signature\":\"", 15, payload) != 0 || write(sig, 128, payload) != 0 ||
	    write("\",\"credentials\":[", 17, payload) != 0)
		return tv__fail(ctx, TV_ERR_IO, "cannot write credentials.json");
	for (size_t k = 0; k < count; k++) {
		size_t at = 0;

		if (k > 0)
			buf[at++] = ',';
		buf[at++] = '"';
		tv__hex_encode(buf + at, list[k], TV_POINT_BYTES);
		at += 2 * TV_POINT_BYTES;
		buf[at++] = '"';
		if (write(buf, at, payload) != 0)
			return tv__fail(ctx, TV_ERR_IO, "cannot write credentials.json");
	}
	if (write("]}\n", 3, payload) != 0)
		return tv__fail(ctx, TV_ERR_IO, "cannot write credentials.json");
	return TV_OK;
}

tv_status tv__credentials_from_json(tv_ctx *ctx, tv__credential_list *out, const char *text,
                                    size_t len)
{
	static const char *const keys[] = { "format", "electorate", "authority", "signature",
	                                    "credentials" };
	tv__jr r;
	json_t *root, *list;
	tv_status status;

	memset(out, 0, sizeof(*out));
	tv__jr_init(&r, ctx, TV_OK, "credentials.json");
	if ((root = tv__jr_load(&r, &status, text, len, len)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 5, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, TV_RECORD_CREDENTIALS)) != TV_OK ||
	    (status = tv__jr_int(&r, &out->electorate, root, "electorate", NULL, INT64_MIN,
	                         INT64_MAX)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->authority, 32, root, "authority", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->signature, 64, root, "signature", NULL)) != TV_OK ||
	    (status = tv__jr_array(&r, &list, root, "credentials", NULL, 0, SIZE_MAX)) != TV_OK)
		goto out;
	out->count = json_array_size(list);
	if ((out->points = tv__calloc(ctx, out->count + 1, TV_POINT_BYTES)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu credentials", out->count);
		out->count = 0;
		goto out;
	}
	/*
	 * Each a point (§2.2.2), up to the first that is not. Where the points
	 * end is a verdict for the verifier (§19.3 check 4), not a failure to
	 * read: the context's error detail is left as it was.
	 */
	{
		tv_status saved_status = ctx->last_status;
		char saved_error[TV_ERROR_MAX];

		memcpy(saved_error, ctx->last_error, sizeof(saved_error));
		for (out->valid = 0; out->valid < out->count; out->valid++) {
			char path[TV_JR_PATH_BYTES];
			tv_point p;

			if (tv__jr_point(&r, &p, json_array_get(list, out->valid), NULL,
			                 tv__jr_item(path, "credentials", out->valid)) != TV_OK)
				break;
			memcpy(out->points[out->valid], p.bytes, TV_POINT_BYTES);
		}
		ctx->last_status = saved_status;
		memcpy(ctx->last_error, saved_error, sizeof(saved_error));
	}
out:
	json_decref(root);
	return status;
}

void tv__credential_list_free(tv_ctx *ctx, tv__credential_list *list)
{
	tv__free(ctx, list->points);
	list->points = NULL;
	list->count = list->valid = 0;
}

/*
 * credentials.json read a piece at a time (the verifier, SPEC §19.5): a
 * list of a million credentials is 130 MB of text, which is never held.
 * Only the writer's exact form (tv__credentials_write) is read here; any
 * other bytes, however valid as JSON, give TV_ERR_ENCODING and the caller
 * reads the file whole with tv__credentials_from_json, so the verdicts
 * are that reader's whatever the file holds.
 */
static int expect_text(FILE *f, const char *text)
{
	for (; *text != '\0'; text++)
		if (getc_unlocked(f) != (unsigned char)*text)
			return 0;
	return 1;
}

/* @p len bytes as 2 * len characters and a closing quote; 0 if not */
static int stream_hex(tv_ctx *ctx, uint8_t *out, size_t len, FILE *f, int *is_hex)
{
	char hex[2 * TV_POINT_BYTES];
	tv_status saved_status = ctx->last_status;
	char saved_error[TV_ERROR_MAX];

	for (size_t i = 0; i < 2 * len; i++) {
		int c = getc_unlocked(f);

		/* anything but lowercase hex (an escape, a byte that is not
		 * UTF-8, ...) is the JSON reader's to judge */
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
		hex[i] = (char)c;
	}
	if (getc_unlocked(f) != '"')
		return 0;
	memcpy(saved_error, ctx->last_error, sizeof(saved_error));
	*is_hex = tv__hex_decode(ctx, out, len, hex, 2 * len, "the hex") == TV_OK;
	ctx->last_status = saved_status;
	memcpy(ctx->last_error, saved_error, sizeof(saved_error));
	return 1;
}

tv_status tv__credentials_stream(tv_ctx *ctx, tv__credential_stream *out, FILE *f,
                                 const uint8_t election[32], tv__credential_fn each,
                                 void *payload)
{
	uint8_t prev[TV_POINT_BYTES], point[TV_POINT_BYTES];
	tv__hash h;
	int c, is_hex, digits = 0;
	uint64_t e = 0;
	tv_status status = TV_OK;

	memset(out, 0, sizeof(*out));
	out->order = TV_OK;
	if (!expect_text(f, "{\"format\":\"" TV_RECORD_CREDENTIALS "\",\"electorate\":"))
		return TV_ERR_ENCODING;
	/* JSON's integer: no sign, no leading zero, within int64 */
	while ((c = getc_unlocked(f)) >= '0' && c <= '9') {
		if ((digits > 0 && e == 0) || e > (uint64_t)(INT64_MAX - (c - '0')) / 10)
			return TV_ERR_ENCODING;
		e = e * 10 + (uint64_t)(c - '0');
		digits++;
	}
	if (digits == 0 || c != ',' || !expect_text(f, "\"authority\":\"") ||
	    !stream_hex(ctx, out->authority, 32, f, &is_hex) || !is_hex ||
	    !expect_text(f, ",\"signature\":\"") ||
	    !stream_hex(ctx, out->signature, 64, f, &is_hex) || !is_hex ||
	    !expect_text(f, ",\"credentials\":["))
		return TV_ERR_ENCODING;
	out->electorate = (int64_t)e;
	/* L (§11.5) hashes E before the points: the file's electorate is taken,
	 * and a count that differs fails check 4 before L is used */
	if (election != NULL) {
		if ((status = tv__hash_begin(&h, ctx, "credential-list")) != TV_OK) {
			tv__hash_abort(&h);
			return status;
		}
		tv__hash_field(&h, election, 32);
		tv__hash_u64(&h, e);
	}
	c = getc_unlocked(f);
	while (c == '"') {
		size_t i = out->count;

		if (!stream_hex(ctx, point, TV_POINT_BYTES, f, &is_hex)) {
			status = TV_ERR_ENCODING;
			break;
		}
		out->count++;
		if (out->order == TV_OK) {
			tv_point p;

			/* each a point, in strictly ascending order (§19.3 check 4) */
			if (!is_hex || tv_point_decode(ctx, &p, point, TV_POINT_BYTES) != TV_OK)
				out->order = tv__credential_order_item(ctx, NULL, point, 0, i);
			else
				out->order = tv__credential_order_item(ctx, i > 0 ? prev : NULL, point, 1,
				                                       i);
			if (out->order != TV_OK)
				snprintf(out->order_message, sizeof(out->order_message), "%s",
				         tv_ctx_last_error(ctx));
		}
		if (out->order == TV_OK) {
			if (election != NULL)
				tv__hash_field(&h, point, TV_POINT_BYTES);
			if (each != NULL && (status = each(point, i, payload)) != TV_OK)
				break;
			memcpy(prev, point, TV_POINT_BYTES);
		}
		if ((c = getc_unlocked(f)) == ',')
			c = getc_unlocked(f);
		else if (c != ']')
			c = EOF;
	}
	if (status == TV_OK && (c != ']' || !expect_text(f, "}") ||
	                        ((c = getc_unlocked(f)) != EOF && (c != '\n' || getc_unlocked(f) != EOF))))
		status = ferror(f) ? tv__fail(ctx, TV_ERR_IO, "cannot read credentials.json")
		                   : TV_ERR_ENCODING;
	if (election != NULL) {
		if (status == TV_OK && (status = tv__hash_final(&h, out->digest)) == TV_OK)
			out->have_digest = 1;
		else if (status != TV_OK)
			tv__hash_abort(&h);
	}
	return status;
}
