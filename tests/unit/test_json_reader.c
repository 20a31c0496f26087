/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one typed JSON reader: every failure names the object and the path. */
#include <string.h>

#include "helpers.h"
#include "json_util.h"

#define G_HEX                                                                  \
	"046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2"     \
	"964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"

/* the message names every one of @p words */
static void assert_names(tv_ctx *ctx, const char *a, const char *b)
{
	const char *msg = tv_ctx_last_error(ctx);

	if (strstr(msg, a) == NULL || (b != NULL && strstr(msg, b) == NULL))
		fail_msg("message \"%s\" does not name \"%s\" and \"%s\"", msg, a, b ? b : "");
}

static json_t *load(tv__jr *r, const char *text)
{
	tv_status status;
	json_t *root = tv__jr_load(r, &status, text, strlen(text), 4096);

	assert_int_equal(status, TV_OK);
	assert_non_null(root);
	return root;
}

static void reads_typed_fields(void **state)
{
	static const char *const keys[] = { "format", "n", "h", "p", "s", "t", "list" };
	tv_ctx *ctx = test_ctx_new();
	tv__jr r;
	json_t *root, *list;
	uint64_t n;
	uint8_t h[2];
	tv_point p;
	tv_scalar s;
	const char *t;
	size_t len;
	char path[TV_JR_PATH_BYTES];
	(void)state;

	tv__jr_init(&r, ctx, TV_OK, "thing");
	root = load(&r, "{\"format\":\"x/1\",\"n\":7,\"h\":\"0aff\",\"p\":\"" G_HEX "\","
	                "\"s\":\"" "0000000000000000000000000000000000000000000000000000000000000002"
	                "\",\"t\":\"T\xc5\xb7 Gwyn\",\"list\":[1,2,3]}");
	assert_ok(ctx, tv__jr_keys(&r, root, NULL, keys, 7, 1));
	assert_ok(ctx, tv__jr_format(&r, root, NULL, "x/1"));
	assert_ok(ctx, tv__jr_uint(&r, &n, root, "n", NULL, 0, 10));
	assert_int_equal(n, 7);
	assert_ok(ctx, tv__jr_hex(&r, h, 2, root, "h", NULL));
	assert_int_equal(h[0], 0x0a);
	assert_int_equal(h[1], 0xff);
	assert_ok(ctx, tv__jr_point(&r, &p, root, "p", NULL));
	assert_ok(ctx, tv__jr_scalar(&r, &s, root, "s", NULL));
	assert_int_equal(s.bytes[31], 2);
	assert_ok(ctx, tv__jr_text(&r, &t, &len, root, "t", NULL, 64));
	assert_int_equal(len, strlen("T\xc5\xb7 Gwyn"));
	assert_ok(ctx, tv__jr_array(&r, &list, root, "list", NULL, 3, 3));
	/* an item is read with no key, by its own path */
	assert_ok(ctx, tv__jr_uint(&r, &n, json_array_get(list, 2), NULL,
	                           tv__jr_item(path, "list", 2), 3, 3));
	json_decref(root);
	tv_ctx_free(ctx);
}

static void names_the_path_of_what_is_wrong(void **state)
{
	static const char *const keys[] = { "b" };
	static const struct {
		const char *json;
		tv_status status;
		const char *names, *also;
	} bad[] = {
		{ "{\"a\":{\"b\":\"zz\"}}", TV_ERR_ENCODING, "a.b", "hex" },
		{ "{\"a\":{\"b\":7}}", TV_ERR_ENCODING, "a.b", "a string" },
		{ "{\"a\":{\"b\":\"000\"}}", TV_ERR_ENCODING, "a.b", "2 hex characters" },
		{ "{\"a\":{}}", TV_ERR_ENCODING, "a.b", "missing" },
		{ "{\"a\":{\"b\":\"0a\",\"c\":1}}", TV_ERR_ENCODING, "a", "\"c\"" },
		{ "{\"a\":[]}", TV_ERR_ENCODING, "a", "an object" },
	};
	tv_ctx *ctx = test_ctx_new();
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tv__jr r;
		json_t *root, *a;
		uint8_t out[1];
		tv_status st;

		tv__jr_init(&r, ctx, TV_OK, "thing %zu", i);
		root = load(&r, bad[i].json);
		st = tv__jr_object(&r, &a, root, "a", NULL, keys, 1, 1);
		if (st == TV_OK)
			st = tv__jr_hex(&r, out, 1, a, "b", "a");
		assert_status(ctx, st, bad[i].status);
		assert_names(ctx, "thing", bad[i].names);
		assert_names(ctx, bad[i].also, NULL);
		json_decref(root);
	}
	tv_ctx_free(ctx);
}

static void keeps_lower_statuses_or_its_own(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv__jr r;
	json_t *root;
	tv_point p;
	tv_scalar s;
	int64_t x;
	const char *t;
	size_t len;
	(void)state;

	tv__jr_init(&r, ctx, TV_OK, "thing");
	/* G with its last byte changed: not on the curve */
	root = load(&r, "{\"p\":\"" "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2"
	                "964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f6\","
	                "\"s\":\"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\","
	                "\"n\":-1,\"t\":\"a\\u0007b\",\"f\":\"x/2\"}");
	assert_status(ctx, tv__jr_point(&r, &p, root, "p", NULL), TV_ERR_POINT_INVALID);
	assert_names(ctx, "thing: p", NULL);
	assert_status(ctx, tv__jr_scalar(&r, &s, root, "s", NULL), TV_ERR_SCALAR_RANGE);
	assert_names(ctx, "thing: s", NULL);
	assert_status(ctx, tv__jr_int(&r, &x, root, "n", NULL, 0, 5), TV_ERR_ENCODING);
	assert_names(ctx, "thing: n", "-1");
	assert_status(ctx, tv__jr_text(&r, &t, &len, root, "t", NULL, 10), TV_ERR_UTF8);
	assert_names(ctx, "thing: t", NULL);
	assert_status(ctx, tv__jr_format(&r, root, NULL, "x/1"), TV_ERR_ENCODING);
	assert_names(ctx, "format", "missing");
	/* a reader with a status of its own gives it to every rejection */
	tv__jr_init(&r, ctx, TV_ERR_CEREMONY_INVALID, "trustee %u's commit message", 2u);
	assert_status(ctx, tv__jr_point(&r, &p, root, "p", NULL), TV_ERR_CEREMONY_INVALID);
	assert_names(ctx, "trustee 2's commit message: p", NULL);
	json_decref(root);
	tv_ctx_free(ctx);
}

static void reads_names_flags_nulls_percentages_and_times(void **state)
{
	static const char *const names[] = { "last", "first" };
	tv_ctx *ctx = test_ctx_new();
	tv__jr r;
	json_t *root;
	size_t which;
	uint64_t n;
	uint32_t tenths;
	int64_t t;
	int b, is_null;
	(void)state;

	tv__jr_init(&r, ctx, TV_OK, "thing");
	root = load(&r, "{\"b\":true,\"e\":\"first\",\"n\":null,\"m\":3,\"p\":\"33.3\","
	                "\"q\":null,\"t\":\"2000-02-29T00:00:00Z\",\"in\":{\"format\":\"x/1\"}}");
	assert_ok(ctx, tv__jr_bool(&r, &b, root, "b", NULL));
	assert_int_equal(b, 1);
	assert_ok(ctx, tv__jr_enum(&r, &which, root, "e", NULL, names, 2));
	assert_int_equal(which, 1);
	assert_ok(ctx, tv__jr_uint_or_null(&r, &n, &is_null, root, "n", NULL, 1, 5));
	assert_true(is_null);
	assert_int_equal(n, 0);
	assert_ok(ctx, tv__jr_uint_or_null(&r, &n, &is_null, root, "m", NULL, 1, 5));
	assert_false(is_null);
	assert_int_equal(n, 3);
	assert_ok(ctx, tv__jr_percent(&r, &tenths, root, "p", NULL));
	assert_int_equal(tenths, 333);
	assert_ok(ctx, tv__jr_percent_or_null(&r, &tenths, &is_null, root, "q", NULL));
	assert_true(is_null);
	assert_ok(ctx, tv__jr_percent_or_null(&r, &tenths, &is_null, root, "p", NULL));
	assert_false(is_null);
	assert_int_equal(tenths, 333);
	assert_ok(ctx, tv__jr_time(&r, &t, root, "t", NULL));
	assert_int_equal(t, 951782400);
	/* an inner object's format is named by its path */
	assert_ok(ctx, tv__jr_format(&r, json_object_get(root, "in"), "in", "x/1"));
	assert_status(ctx, tv__jr_format(&r, json_object_get(root, "in"), "in", "x/2"),
	              TV_ERR_ENCODING);
	assert_names(ctx, "thing: in.format: is \"x/1\", not \"x/2\"", NULL);
	json_decref(root);
	tv_ctx_free(ctx);
}

static void refuses_wrong_names_flags_nulls_percentages_and_times(void **state)
{
	static const char *const names[] = { "last", "first" };
	static const struct {
		const char *json, *names, *also;
	} bad[] = {
		{ "{\"v\":1}", "thing: v: must be true or false", "an integer" },
		{ "{\"v\":\"latest\"}", "thing: v: is \"latest\"", "last or first" },
		{ "{\"v\":\"Last\"}", "thing: v: is \"Last\"", NULL },
		{ "{\"v\":\"3\"}", "thing: v: must be a whole number or null", "a string" },
		{ "{\"v\":0}", "thing: v: is 0, not from 1 to 5", NULL },
		{ "{\"v\":\"25\"}", "thing: v: is \"25\"", "written \"25.0\"" },
		{ "{\"v\":\"025.0\"}", "thing: v: is \"025.0\"", "written \"25.0\"" },
		{ "{\"v\":\"100.1\"}", "thing: v: is \"100.1\"", "not a percentage" },
		{ "{\"v\":\"5.\"}", "thing: v: is \"5.\"", "not a percentage" },
		{ "{\"v\":25.0}", "thing: v: must be a string", "a number with a fraction" },
		{ "{\"v\":\"2023-02-29T00:00:00Z\"}", "thing: v: ", "has no day 29" },
		{ "{\"v\":\"2027-01-15T08:00:00+01:00\"}", "thing: v: ", "not a UTC time" },
		{ "{}", "thing: v: is missing", NULL },
	};
	tv_ctx *ctx = test_ctx_new();
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tv__jr r;
		json_t *root;
		size_t which;
		uint64_t n;
		uint32_t tenths;
		int64_t t;
		int b, is_null;
		tv_status st;

		tv__jr_init(&r, ctx, TV_OK, "thing");
		root = load(&r, bad[i].json);
		/* each case is meant for one getter; the missing key for all */
		switch (i) {
		case 0: st = tv__jr_bool(&r, &b, root, "v", NULL); break;
		case 1:
		case 2: st = tv__jr_enum(&r, &which, root, "v", NULL, names, 2); break;
		case 3:
		case 4: st = tv__jr_uint_or_null(&r, &n, &is_null, root, "v", NULL, 1, 5); break;
		case 10:
		case 11: st = tv__jr_time(&r, &t, root, "v", NULL); break;
		case 12:
			assert_status(ctx, tv__jr_bool(&r, &b, root, "v", NULL), TV_ERR_ENCODING);
			assert_status(ctx, tv__jr_enum(&r, &which, root, "v", NULL, names, 2),
			              TV_ERR_ENCODING);
			assert_status(ctx, tv__jr_uint_or_null(&r, &n, &is_null, root, "v", NULL, 1, 5),
			              TV_ERR_ENCODING);
			assert_status(ctx, tv__jr_percent_or_null(&r, &tenths, &is_null, root, "v", NULL),
			              TV_ERR_ENCODING);
			assert_status(ctx, tv__jr_time(&r, &t, root, "v", NULL), TV_ERR_ENCODING);
			st = tv__jr_percent(&r, &tenths, root, "v", NULL);
			break;
		default: st = tv__jr_percent(&r, &tenths, root, "v", NULL); break;
		}
		assert_status(ctx, st, TV_ERR_ENCODING);
		assert_names(ctx, bad[i].names, bad[i].also);
		json_decref(root);
	}
	tv_ctx_free(ctx);
}

static void passes_lower_words_and_limits_arrays(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv__jr r;
	json_t *root, *a;
	uint8_t out[1];
	(void)state;

	/* a lower layer's words after the path, in the reader's own status */
	tv__jr_init(&r, ctx, TV_ERR_MANIFEST_INVALID, "thing");
	assert_int_equal(tv__jr_lower(&r, "x", tv__hex_decode(ctx, out, 1, "0G", 2, "the hex")),
	                 TV_ERR_MANIFEST_INVALID);
	assert_names(ctx, "thing: x: the hex: character 2", NULL);
	assert_int_equal(tv__jr_lower(&r, "x", TV_ERR_NOMEM), TV_ERR_NOMEM);
	assert_int_equal(tv__jr_lower(&r, "x", TV_OK), TV_OK);
	/* an array with no least length says how many it may have at most */
	tv__jr_init(&r, ctx, TV_OK, "thing");
	root = load(&r, "{\"a\":[1,2,3]}");
	assert_status(ctx, tv__jr_array(&r, &a, root, "a", NULL, 0, 2), TV_ERR_ENCODING);
	assert_names(ctx, "thing: a: has 3 entries, more than 2", NULL);
	json_decref(root);
	tv_ctx_free(ctx);
}

static void load_refuses_bad_text(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv__jr r;
	tv_status st;
	(void)state;

	tv__jr_init(&r, ctx, TV_OK, "thing");
	assert_null(tv__jr_load(&r, &st, "{\"a\":1,\"a\":2}", 13, 100));
	assert_int_equal(st, TV_ERR_ENCODING);
	assert_null(tv__jr_load(&r, &st, "{\"a\":1}", 7, 6));
	assert_int_equal(st, TV_ERR_ENCODING);
	assert_names(ctx, "limit", NULL);
	assert_null(tv__jr_load(&r, &st, "{\"a\":\x1b", 6, 100));
	assert_int_equal(st, TV_ERR_ENCODING);
	/* the parser's words are quoted: no raw control byte reaches a terminal */
	assert_null(strchr(tv_ctx_last_error(ctx), 0x1b));
	/* bytes that are not UTF-8: an encoding fault, or TV_ERR_UTF8 for text,
	 * whatever the reader's own status */
	assert_null(tv__jr_load(&r, &st, "{\"a\":\"\xc3\"}", 8, 100));
	assert_int_equal(st, TV_ERR_ENCODING);
	tv__jr_init(&r, ctx, TV_ERR_MANIFEST_INVALID, "thing");
	assert_null(tv__jr_load_utf8(&r, &st, "{\"a\":\"\xc3\"}", 8, 100));
	assert_int_equal(st, TV_ERR_UTF8);
	assert_names(ctx, "thing: invalid UTF-8", NULL);
	assert_null(tv__jr_load_utf8(&r, &st, "{\"a\":1,\"a\":2}", 13, 100));
	assert_int_equal(st, TV_ERR_MANIFEST_INVALID);
	assert_null(tv__jr_load_utf8(&r, &st, "{}", 2, 1));
	assert_int_equal(st, TV_ERR_MANIFEST_INVALID);
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_typed_fields),
		cmocka_unit_test(names_the_path_of_what_is_wrong),
		cmocka_unit_test(keeps_lower_statuses_or_its_own),
		cmocka_unit_test(reads_names_flags_nulls_percentages_and_times),
		cmocka_unit_test(refuses_wrong_names_flags_nulls_percentages_and_times),
		cmocka_unit_test(passes_lower_words_and_limits_arrays),
		cmocka_unit_test(load_refuses_bad_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
