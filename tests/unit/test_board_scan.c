/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The strict scanner of board lines (lib/election/board_scan.c, SPEC §19.2):
 * the box's own spelling of each kind of entry is scanned, to exactly what
 * the JSON reader makes of it; any other spelling, and any canonical
 * spelling of a value the JSON reader refuses, is declined, and the line
 * then reads through tv__board_line_from_json as it did before the scanner
 * (the same values, or the same status and message).
 *
 * The lines are the fuzz target's seeds (tests/fuzz/corpus/fuzz_board_scan/):
 * real lines of a record (tests/fuzz/gen_corpus.c, a 20,000-ballot record's
 * spoilt paper) and credential changes spelled as lib/box/changes.c does.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballot_internal.h"
#include "helpers.h"

typedef struct reading {
	tv__board_entry e;
	tv_ballot *b;
	tv_spoilt *p;
} reading;

static void reading_free(reading *r)
{
	tv_ballot_free(r->b);
	tv_spoilt_free(r->p);
	r->b = NULL;
	r->p = NULL;
}

static char *seed(const char *name, size_t *len)
{
	const char *root = getenv("TV_SOURCE_ROOT");
	char path[512];
	char *text;
	FILE *f;
	long n;

	if (root == NULL)
		fail_msg("TV_SOURCE_ROOT is not set (meson test sets it)");
	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/fuzz_board_scan/%s", root, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return text;
}

/* @p line with @p drop bytes at @p at replaced by @p insert (malloc) */
static char *splice(const char *line, size_t at, size_t drop, const char *insert)
{
	size_t len = strlen(line), n = strlen(insert);
	char *out = malloc(len - drop + n + 1);

	assert_non_null(out);
	memcpy(out, line, at);
	memcpy(out + at, insert, n);
	memcpy(out + at + n, line + at + drop, len - at - drop + 1);
	return out;
}

/* the offset of the first byte after the first @p key in @p line */
static size_t after(const char *line, const char *key)
{
	const char *at = strstr(line, key);

	assert_non_null(at);
	return (size_t)(at - line) + strlen(key);
}

static const tv_point *own_credential(const reading *r)
{
	if (r->e.kind == TV_ENTRY_CREDENTIAL_ADDED || r->e.kind == TV_ENTRY_CREDENTIAL_REVOKED)
		return &r->e.change.credential;
	return r->b != NULL ? &r->b->credential : &r->p->credential;
}

/* the same entry, field by field, and the same ballot or paper, byte by byte */
static void assert_same(const reading *x, const reading *y)
{
	assert_int_equal(x->e.position, y->e.position);
	assert_int_equal(x->e.kind, y->e.kind);
	assert_int_equal(x->e.channel, y->e.channel);
	assert_int_equal(x->e.time, y->e.time);
	assert_int_equal(x->e.choice, y->e.choice);
	assert_memory_equal(x->e.prev_head, y->e.prev_head, 32);
	assert_memory_equal(x->e.head, y->e.head, 32);
	assert_memory_equal(x->e.tracking, y->e.tracking, 32);
	assert_memory_equal(x->e.nonce, y->e.nonce, sizeof(x->e.nonce));
	assert_memory_equal(&x->e.change, &y->e.change, sizeof(x->e.change));
	assert_ptr_equal(x->e.credential, own_credential(x));
	assert_ptr_equal(y->e.credential, own_credential(y));
	assert_int_equal(x->b == NULL, y->b == NULL);
	assert_int_equal(x->p == NULL, y->p == NULL);
	if (x->b != NULL)
		assert_true(tv__ballot_same(x->b, y->b));
	if (x->p != NULL)
		assert_memory_equal(x->p, y->p, sizeof(*x->p));
}

/* @p line is scanned, and reads the same through the JSON reader */
static void assert_scans(tv_ctx *ctx, const char *line, size_t len, reading *out)
{
	reading j = { 0 };

	assert_int_equal(tv__board_line_scan(ctx, &out->e, &out->b, &out->p, line, len), 1);
	assert_ok(ctx, tv__board_line_read_json(ctx, &j.e, &j.b, &j.p, line, len, 7));
	assert_same(out, &j);
	reading_free(&j);
}

static const char *const canonical[] = {
	"ballot", "ballot_no_blank", "ballot_three_options", "opened", "spoilt",
	"credential-added", "credential-revoked",
};

static void canonical_lines_scan(void **state)
{
	tv_ctx *ctx = test_ctx_new();

	(void)state;
	for (size_t i = 0; i < sizeof(canonical) / sizeof(canonical[0]); i++) {
		size_t len;
		char *line = seed(canonical[i], &len);
		reading s = { 0 }, f = { 0 };

		assert_scans(ctx, line, len, &s);
		/* and through the caller's door, the same */
		assert_ok(ctx, tv__board_line_from_json(ctx, &f.e, &f.b, &f.p, line, len, 7));
		assert_same(&f, &s);
		if (strncmp(canonical[i], "credential-", 11) == 0) {
			assert_null(s.b);
			assert_null(s.p);
		} else {
			assert_true((s.b != NULL) != (s.p != NULL));
		}
		reading_free(&s);
		reading_free(&f);
		free(line);
	}
	tv_ctx_free(ctx);
}

/* @p line (NUL-terminated) is declined by the scanner and read by the JSON
 * reader to what @p want (the canonical line's scan) holds */
static void assert_reads_same(tv_ctx *ctx, const char *line, const reading *want,
                              const char *what)
{
	reading s = { 0 }, f = { 0 };
	size_t len = strlen(line);

	if (tv__board_line_scan(ctx, &s.e, &s.b, &s.p, line, len) != 0)
		fail_msg("%s: the scanner took a spelling that is not the box's", what);
	assert_null(s.b);
	assert_null(s.p);
	assert_ok(ctx, tv__board_line_from_json(ctx, &f.e, &f.b, &f.p, line, len, 7));
	assert_same(&f, want);
	reading_free(&f);
}

static void other_spellings_fall_back_to_the_same_values(void **state)
{
	static const struct {
		const char *what, *from, *to;
	} cases[] = {
		{ "a space", "\"kind\":\"ballot\"", "\"kind\": \"ballot\"" },
		{ "a newline between members", ",\"time\":", ",\n\"time\":" },
		{ "a reordered key", "{\"position\":1,\"kind\":\"ballot\",",
		  "{\"kind\":\"ballot\",\"position\":1," },
		{ "reordered keys in the entry", "\"min\":0,\"max\":1,", "\"max\":1,\"min\":0," },
		{ "an escape in the kind", "\"kind\":\"ballot\"", "\"kind\":\"ballo\\u0074\"" },
		{ "an escaped slash", "\"tenantvote-ballot/1\"", "\"tenantvote-ballot\\/1\"" },
		{ "an escaped hex digit", "\"head\":\"", NULL },
	};
	tv_ctx *ctx = test_ctx_new();
	size_t len;
	char *line = seed("ballot", &len), *other;
	reading want = { 0 };

	(void)state;
	assert_scans(ctx, line, len, &want);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].to == NULL) {
			/* the head's first character spelled \u00XX */
			size_t at = after(line, cases[i].from);
			char to[8];

			snprintf(to, sizeof(to), "\\u%04x", (unsigned char)line[at]);
			other = splice(line, at, 1, to);
		} else {
			other = test_replace(line, cases[i].from, cases[i].to, NULL);
		}
		assert_reads_same(ctx, other, &want, cases[i].what);
		free(other);
	}
	/* whitespace after the line (a CR of a CRLF file, say) */
	other = malloc(len + 3);
	assert_non_null(other);
	memcpy(other, line, len);
	memcpy(other + len, " \r", 3);
	assert_reads_same(ctx, other, &want, "trailing whitespace");
	free(other);
	reading_free(&want);
	free(line);
	tv_ctx_free(ctx);
}

/* the scanner declines @p line, and tv__board_line_from_json then fails as
 * the JSON reader does: status @p status and the same message */
static void assert_fails_same(tv_ctx *ctx, const char *line, tv_status status,
                              const char *what)
{
	reading s = { 0 }, j = { 0 }, f = { 0 };
	size_t len = strlen(line);
	char message[TV_ERROR_MAX];

	if (tv__board_line_scan(ctx, &s.e, &s.b, &s.p, line, len) != 0)
		fail_msg("%s: the scanner took a line the JSON reader refuses", what);
	assert_status(ctx, tv__board_line_read_json(ctx, &j.e, &j.b, &j.p, line, len, 7), status);
	snprintf(message, sizeof(message), "%s", tv_ctx_last_error(ctx));
	assert_status(ctx, tv__board_line_from_json(ctx, &f.e, &f.b, &f.p, line, len, 7), status);
	assert_string_equal(tv_ctx_last_error(ctx), message);
	assert_null(f.b);
	assert_null(f.p);
}

static void refused_lines_fail_as_before(void **state)
{
	/* n, the group order: not a scalar */
	static const char n_hex[] =
		"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
	static const struct {
		const char *what, *from, *to;
		tv_status status;
	} cases[] = {
		{ "uppercase hex in a head", "\"head\":\"", "\"head\":\"", TV_ERR_ENCODING },
		{ "uppercase hex in a point", "\"credential\":\"04", "\"credential\":\"04",
		  TV_ERR_ENCODING },
		{ "an extra key", "{\"position\":1,", "{\"position\":1,\"note\":1,", TV_ERR_ENCODING },
		{ "an extra key in the entry", "{\"format\":\"tenantvote-ballot/1\",",
		  "{\"note\":1,\"format\":\"tenantvote-ballot/1\",", TV_ERR_ENCODING },
		{ "a leading zero", "\"channel\":1,", "\"channel\":01,", TV_ERR_ENCODING },
		{ "a plus sign", "\"channel\":1,", "\"channel\":+1,", TV_ERR_ENCODING },
		{ "a fraction", "\"channel\":1,", "\"channel\":1.0,", TV_ERR_ENCODING },
		{ "a channel over 32 bits", "\"channel\":1,", "\"channel\":4294967296,",
		  TV_ERR_ENCODING },
		{ "a total out of range", "\"min\":0,\"max\":1,", "\"min\":2,\"max\":1,",
		  TV_ERR_ENCODING },
		{ "an unknown kind", "\"kind\":\"ballot\"", "\"kind\":\"ballots\"", TV_ERR_ENCODING },
		{ "a kind of another entry", "\"kind\":\"ballot\"", "\"kind\":\"spoilt\"",
		  TV_ERR_ENCODING },
		{ "no signature", ",\"signature\":{", ",\"signature_\":{", TV_ERR_ENCODING },
		{ "something after the line", "}}}", "}}}x", TV_ERR_ENCODING },
		{ "a point off the curve", "\"credential\":\"04", "", TV_ERR_POINT_INVALID },
		{ "a scalar not below n", "\"challenge\":\"", NULL, TV_ERR_SCALAR_RANGE },
	};
	tv_ctx *ctx = test_ctx_new();
	size_t len;
	char *line = seed("ballot", &len);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *other;
		tv_status status = cases[i].status;

		if (cases[i].to == NULL) {
			/* the first challenge's 64 digits replaced by n's */
			other = splice(line, after(line, cases[i].from), 64, n_hex);
		} else if (strcmp(cases[i].from, cases[i].to) == 0) {
			/* uppercase: the first letter after the key */
			size_t at = after(line, cases[i].from);
			char up[2] = { 0, 0 };

			while (line[at] < 'a' || line[at] > 'f')
				at++;
			up[0] = (char)(line[at] - 'a' + 'A');
			other = splice(line, at, 1, up);
		} else if (strcmp(cases[i].what, "a point off the curve") == 0) {
			/* (0, 0x1111...): the right length and prefix, on no curve
			 * point; the verdict must be the JSON reader's */
			char xy[129];

			memset(xy, '0', 64);
			memset(xy + 64, '1', 64);
			xy[128] = '\0';
			other = splice(line, after(line, cases[i].from), 128, xy);
		} else {
			other = test_replace(line, cases[i].from, cases[i].to, NULL);
		}
		assert_fails_same(ctx, other, status, cases[i].what);
		free(other);
	}
	free(line);
	tv_ctx_free(ctx);
}

/* a failed allocation in the scanner is not a verdict: the JSON reader
 * reads the line (and fails for want of memory itself, or succeeds) */
static void allocation_failures_fall_back(void **state)
{
	size_t len;
	char *line = seed("ballot", &len);

	(void)state;
	for (long n = 0; n < 8; n++) {
		long allocations = 0;
		tv_ctx *ctx = test_ctx_new_failing(n, &allocations);
		reading f = { 0 };
		tv_status st;

		if (ctx == NULL)
			continue;
		st = tv__board_line_from_json(ctx, &f.e, &f.b, &f.p, line, len, 7);
		assert_true(st == TV_OK || st == TV_ERR_NOMEM);
		if (st == TV_OK)
			assert_non_null(f.b);
		else
			assert_null(f.b);
		reading_free(&f);
		tv_ctx_free(ctx);
	}
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_lines_scan),
		cmocka_unit_test(other_spellings_fall_back_to_the_same_values),
		cmocka_unit_test(refused_lines_fail_as_before),
		cmocka_unit_test(allocation_failures_fall_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
