/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §9: the election manifest. Built from options and from JSON, the
 * JSON form round-trips, the fingerprint covers every field and matches
 * the test vector of §9.7, Welsh text is kept byte for byte, and every
 * rule of §9.3 / §9.4 refuses with the right status and names the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <unicode/uchar.h>

#include "helpers.h"
#include "internal.h"
#include "election_internal.h"

/* ---- fixtures ---- */

/* the minimal manifest of SPEC §9.7.1 */
static tv_manifest_options vector_options(void)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;

	o.election_id = "test-1";
	o.council = "Council";
	o.landlord = "Mutual";
	o.title.en = "Title";
	o.question.en = "Question?";
	o.option_count = 2;
	o.options[0].en = "Yes";
	o.options[1].en = "No";
	o.transfer_option = 1;
	o.rule = TV_RULE_MAJORITY;
	o.opens = 1800000000;  /* 2027-01-15T08:00:00Z */
	o.closes = 1800086400; /* a day later */
	o.channels = TV_CHANNEL_ONLINE | TV_CHANNEL_POSTAL;
	o.revote = TV_REVOTE_LAST;
	o.trustees = 3;
	o.threshold = 2;
	return o;
}

/* SPEC §9.7.1 */
static const char vector_fingerprint_hex[] =
	"6ce1afeb3b8a44fb2c437675e1f38d916f3096acd64edb7b55ae8f1e9e90a254";
/* SPEC §9.7.2: examples/manifest-example.json */
static const char example_fingerprint_hex[] =
	"a322b92666bf6583d211ed69c7bcd6df26f3c4ef33fd438885ddbb91f8bf2ce6";

/* a bilingual manifest with Welsh letters, several options, every feature */
static const char welsh_title_cy[] = "Pleidlais ar ddyfodol eich tŷ a’ch cartref";
static const char welsh_question_cy[] =
	"Ydych chi o blaid trosglwyddo’r cartrefi i Gymdeithas Dŵr a Thŷ Môn?";

static tv_manifest_options welsh_options(void)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;

	o.election_id = "mon-2028";
	o.council = "Cyngor Sir Ynys Môn / Isle of Anglesey County Council";
	o.landlord = "Cymdeithas Dŵr a Thŷ Môn";
	o.title.en = "Ballot on the future of your home";
	o.title.cy = welsh_title_cy;
	o.question.en = "Which landlord do you prefer?";
	o.question.cy = welsh_question_cy;
	o.option_count = 3;
	o.options[0].en = "Stay with the Council";
	o.options[0].cy = "Aros gyda’r Cyngor";
	o.options[1].en = "Move to the housing association";
	o.options[1].cy = "Symud i’r gymdeithas dai";
	o.options[2].en = "Move to the community mutual \xf0\x9f\x8f\xa0"; /* U+1F3E0 */
	o.options[2].cy = "Symud i’r gydfuddiannol gymunedol — ŵ ŷ â ê î ô û";
	o.transfer_option = 3;
	o.rule = TV_RULE_PLURALITY;
	o.min_turnout_tenths = 333;
	o.supermajority_tenths = 667;
	o.allow_blank = 1;
	o.opens = 1835000000;
	o.closes = 1836000000;
	o.channels = TV_CHANNEL_ALL;
	o.revote = TV_REVOTE_FIRST;
	o.trustees = 5;
	o.threshold = 3;
	return o;
}

static char *read_source_file(const char *rel, size_t *len)
{
	const char *root = getenv("TV_SOURCE_ROOT");
	char path[4096];
	FILE *f;
	char *buf;
	long size;

	if (root == NULL)
		fail_msg("TV_SOURCE_ROOT is not set (meson test sets it)");
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static void hex_of(char *out, const uint8_t *in, size_t len)
{
	tv__hex_encode(out, in, len);
	out[2 * len] = '\0';
}

static void assert_message_has(tv_ctx *ctx, const char *what)
{
	if (strstr(tv_ctx_last_error(ctx), what) == NULL)
		fail_msg("message \"%s\" does not name \"%s\"", tv_ctx_last_error(ctx), what);
}

static void fingerprint_of(tv_ctx *ctx, uint8_t out[32], const tv_manifest_options *o)
{
	tv_manifest *m = NULL;

	assert_ok(ctx, tv_manifest_new(ctx, &m, o));
	tv_manifest_fingerprint(out, m);
	tv_manifest_free(m);
}

/* ---- building ---- */

static void builds_from_options(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = welsh_options(), back;
	tv_manifest *m = NULL;
	tv_text t;
	char mutable_title[64];
	(void)state;

	/* the manifest keeps its own copies */
	snprintf(mutable_title, sizeof(mutable_title), "%s", o.title.en);
	o.title.en = mutable_title;
	assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
	memset(mutable_title, 'x', strlen(mutable_title));

	assert_string_equal(tv_manifest_election_id(m), "mon-2028");
	assert_string_equal(tv_manifest_council(m), o.council);
	assert_string_equal(tv_manifest_landlord(m), o.landlord);
	t = tv_manifest_title(m);
	assert_string_equal(t.en, "Ballot on the future of your home");
	assert_string_equal(t.cy, welsh_title_cy);
	t = tv_manifest_question(m);
	assert_string_equal(t.en, o.question.en);
	assert_string_equal(t.cy, welsh_question_cy);
	assert_int_equal(tv_manifest_option_count(m), 3);
	for (uint32_t id = 1; id <= 3; id++) {
		t = tv_manifest_option(m, id);
		assert_string_equal(t.en, o.options[id - 1].en);
		assert_string_equal(t.cy, o.options[id - 1].cy);
	}
	t = tv_manifest_option(m, 0);
	assert_null(t.en);
	assert_null(t.cy);
	t = tv_manifest_option(m, 4);
	assert_null(t.en);
	/* one language at a time, for a binding that cannot take a tv_text */
	assert_string_equal(tv_manifest_title_in(m, "en"), "Ballot on the future of your home");
	assert_string_equal(tv_manifest_title_in(m, "cy"), welsh_title_cy);
	assert_string_equal(tv_manifest_question_in(m, "en"), o.question.en);
	assert_string_equal(tv_manifest_question_in(m, "cy"), welsh_question_cy);
	assert_string_equal(tv_manifest_option_in(m, 3, "cy"), o.options[2].cy);
	assert_string_equal(tv_manifest_option_in(m, 1, "en"), o.options[0].en);
	assert_null(tv_manifest_option_in(m, 4, "en"));
	assert_null(tv_manifest_option_in(m, 0, "cy"));
	assert_null(tv_manifest_title_in(m, "fr"));
	assert_null(tv_manifest_title_in(m, "EN"));
	assert_null(tv_manifest_question_in(m, NULL));
	assert_int_equal(tv_manifest_transfer_option(m), 3);
	assert_int_equal(tv_manifest_rule(m), TV_RULE_PLURALITY);
	assert_int_equal(tv_manifest_min_turnout_tenths(m), 333);
	assert_int_equal(tv_manifest_supermajority_tenths(m), 667);
	assert_int_equal(tv_manifest_allow_blank(m), 1);
	assert_int_equal(tv_manifest_opens(m), 1835000000);
	assert_int_equal(tv_manifest_closes(m), 1836000000);
	assert_int_equal(tv_manifest_channels(m), TV_CHANNEL_ALL);
	assert_int_equal(tv_manifest_revote(m), TV_REVOTE_FIRST);
	assert_int_equal(tv_manifest_trustees(m), 5);
	assert_int_equal(tv_manifest_threshold(m), 3);

	/* get_options gives back what was given, and the same fingerprint */
	{
		uint8_t a[32], b[32];

		tv_manifest_get_options(&back, m);
		assert_int_equal(back.version, TV_MANIFEST_OPTIONS_VERSION);
		assert_string_equal(back.title.en, "Ballot on the future of your home");
		tv_manifest_fingerprint(a, m);
		fingerprint_of(ctx, b, &back);
		assert_memory_equal(a, b, 32);
	}
	tv_manifest_free(m);

	/* NULL and "" for "no text" are the same manifest; non-zero allow_blank is 1 */
	{
		tv_manifest_options p = vector_options(), q = vector_options();
		uint8_t a[32], b[32];

		p.landlord = "Mutual";
		q.title.cy = "";
		q.question.cy = NULL;
		q.options[0].cy = "";
		fingerprint_of(ctx, a, &p);
		fingerprint_of(ctx, b, &q);
		assert_memory_equal(a, b, 32);
		p.allow_blank = 1;
		q.allow_blank = 42;
		fingerprint_of(ctx, a, &p);
		fingerprint_of(ctx, b, &q);
		assert_memory_equal(a, b, 32);
		/* entries past option_count are ignored */
		q.allow_blank = 1;
		q.options[5].en = "ignored";
		fingerprint_of(ctx, b, &q);
		assert_memory_equal(a, b, 32);
	}
	/* no landlord and no transfer option: a plain plurality ballot */
	{
		tv_manifest_options p = vector_options();

		p.landlord = NULL;
		p.transfer_option = 0;
		p.rule = TV_RULE_PLURALITY;
		assert_ok(ctx, tv_manifest_new(ctx, &m, &p));
		assert_string_equal(tv_manifest_landlord(m), "");
		assert_string_equal(tv_manifest_title(m).cy, "");
		assert_string_equal(tv_manifest_title_in(m, "cy"), "");
		assert_string_equal(tv_manifest_question_in(m, "cy"), ""); /* cy NULL */
		assert_int_equal(tv_manifest_transfer_option(m), 0);
		tv_manifest_free(m);
	}
	tv_ctx_free(ctx);
}

static void null_arguments(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = vector_options(), back;
	tv_manifest *m = (tv_manifest *)&o; /* must be reset to NULL */
	char *json = (char *)"x";
	uint8_t fp[32], zero[32] = { 0 };
	size_t len = 9;
	(void)state;

	assert_status(ctx, tv_manifest_new(ctx, &m, NULL), TV_ERR_INVALID_ARGUMENT);
	assert_null(m);
	assert_status(ctx, tv_manifest_new(ctx, NULL, &o), TV_ERR_INVALID_ARGUMENT);
	assert_int_equal(tv_manifest_new(NULL, &m, &o), TV_ERR_INVALID_ARGUMENT);
	o.version = 2;
	assert_status(ctx, tv_manifest_new(ctx, &m, &o), TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "version");
	m = (tv_manifest *)&o;
	assert_status(ctx, tv_manifest_from_json(ctx, &m, NULL, 5), TV_ERR_INVALID_ARGUMENT);
	assert_null(m);
	assert_status(ctx, tv_manifest_from_json(ctx, NULL, "{}", 2), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_manifest_to_json(ctx, &json, &len, NULL), TV_ERR_INVALID_ARGUMENT);
	assert_null(json);
	assert_int_equal(len, 0);

	/* accessors and free accept NULL */
	tv_manifest_free(NULL);
	assert_null(tv_manifest_election_id(NULL));
	assert_null(tv_manifest_council(NULL));
	assert_null(tv_manifest_landlord(NULL));
	assert_null(tv_manifest_title(NULL).en);
	assert_null(tv_manifest_question(NULL).cy);
	assert_null(tv_manifest_option(NULL, 1).en);
	assert_null(tv_manifest_title_in(NULL, "en"));
	assert_null(tv_manifest_option_in(NULL, 1, "cy"));
	assert_int_equal(tv_manifest_option_count(NULL), 0);
	assert_int_equal(tv_manifest_rule(NULL), 0);
	assert_int_equal(tv_manifest_revote(NULL), 0);
	assert_int_equal(tv_manifest_trustees(NULL), 0);
	assert_int_equal(tv_manifest_threshold(NULL), 0);
	assert_int_equal(tv_manifest_opens(NULL), 0);
	memset(fp, 0xaa, sizeof(fp));
	tv_manifest_fingerprint(fp, NULL);
	assert_memory_equal(fp, zero, 32);
	tv_manifest_get_options(&back, NULL);
	assert_int_equal(back.version, TV_MANIFEST_OPTIONS_VERSION);
	assert_null(back.election_id);
	tv_ctx_free(ctx);
}

/* ---- the fingerprint (SPEC §9.5) ---- */

typedef struct preimage {
	uint8_t bytes[4096];
	size_t len;
} preimage;

static void pre_field(preimage *p, const void *data, size_t len)
{
	assert_true(p->len + 4 + len <= sizeof(p->bytes));
	p->bytes[p->len++] = (uint8_t)(len >> 24);
	p->bytes[p->len++] = (uint8_t)(len >> 16);
	p->bytes[p->len++] = (uint8_t)(len >> 8);
	p->bytes[p->len++] = (uint8_t)len;
	memcpy(p->bytes + p->len, data, len);
	p->len += len;
}

static void pre_text(preimage *p, const char *s)
{
	pre_field(p, s, strlen(s));
}

static void pre_u32(preimage *p, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
	                 (uint8_t)v };

	pre_field(p, b, 4);
}

static void pre_u64(preimage *p, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	pre_field(p, b, 8);
}

/*
 * The SHA-256 input of SPEC §9.5, assembled here byte by byte and hashed
 * with OpenSSL directly, not with the library's hashing code.
 */
static void independent_fingerprint(uint8_t out[32], const tv_manifest_options *o)
{
	preimage p = { { 0 }, 0 };
	unsigned int len = 0;

	pre_text(&p, "tenantvote/v1/manifest");
	pre_u32(&p, 1);
	pre_text(&p, o->election_id);
	pre_text(&p, o->council);
	pre_text(&p, o->landlord ? o->landlord : "");
	pre_text(&p, o->title.en);
	pre_text(&p, o->title.cy ? o->title.cy : "");
	pre_text(&p, o->question.en);
	pre_text(&p, o->question.cy ? o->question.cy : "");
	pre_u32(&p, (uint32_t)o->option_count);
	for (size_t i = 0; i < o->option_count; i++) {
		pre_text(&p, o->options[i].en);
		pre_text(&p, o->options[i].cy ? o->options[i].cy : "");
	}
	pre_u32(&p, o->transfer_option);
	pre_u32(&p, (uint32_t)o->rule);
	pre_u32(&p, o->min_turnout_tenths);
	pre_u32(&p, o->supermajority_tenths);
	pre_u32(&p, o->allow_blank ? 1 : 0);
	pre_u64(&p, (uint64_t)o->opens);
	pre_u64(&p, (uint64_t)o->closes);
	pre_u32(&p, o->channels);
	pre_u32(&p, (uint32_t)o->revote);
	pre_u32(&p, o->trustees);
	pre_u32(&p, o->threshold);
	assert_int_equal(EVP_Digest(p.bytes, p.len, out, &len, EVP_sha256(), NULL), 1);
	assert_int_equal(len, 32);
}

static void fingerprint_test_vector(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = vector_options(), w = welsh_options();
	uint8_t fp[32], want[32];
	char hex[65];
	(void)state;

	fingerprint_of(ctx, fp, &o);
	hex_of(hex, fp, 32);
	assert_string_equal(hex, vector_fingerprint_hex);
	independent_fingerprint(want, &o);
	assert_memory_equal(fp, want, 32);

	/* times before 1970 hash as two's complement */
	o.opens = -1;
	o.closes = 0;
	fingerprint_of(ctx, fp, &o);
	independent_fingerprint(want, &o);
	assert_memory_equal(fp, want, 32);

	fingerprint_of(ctx, fp, &w);
	independent_fingerprint(want, &w);
	assert_memory_equal(fp, want, 32);
	tv_ctx_free(ctx);
}

/* each changes exactly one field of welsh_options() and stays valid */
#define MUT(name, body) \
	static void name(tv_manifest_options *o) { body; }
MUT(ch_id, o->election_id = "mon-2029")
MUT(ch_council, o->council = "Isle of Anglesey County Council")
MUT(ch_landlord, o->landlord = "Cymdeithas Dŵr a Thŷ Môn Cyf.")
MUT(ch_title_en, o->title.en = "Ballot on the future of your homes")
MUT(ch_title_cy, o->title.cy = "Pleidlais ar ddyfodol eich tŷ")
MUT(ch_question_en, o->question.en = "Which landlord do you want?")
MUT(ch_question_cy, o->question.cy = "Pa landlord ydych chi’n ei ddewis?")
MUT(ch_more_options, o->option_count = 4; o->options[3].en = "Other";
    o->options[3].cy = "Arall")
MUT(ch_fewer_options, o->option_count = 2; o->transfer_option = 2)
MUT(ch_opt1_en, o->options[0].en = "Stay with the council")
MUT(ch_opt1_cy, o->options[0].cy = "Aros gyda’r cyngor")
MUT(ch_opt2_en, o->options[1].en = "Move to a housing association")
MUT(ch_opt2_cy, o->options[1].cy = "Symud i gymdeithas dai")
MUT(ch_opt3_en, o->options[2].en = "Move to the community mutual")
MUT(ch_opt3_cy, o->options[2].cy = "Symud i’r gydfuddiannol")
MUT(ch_swap_options, tv_text t = o->options[0]; o->options[0] = o->options[1];
    o->options[1] = t)
MUT(ch_transfer, o->transfer_option = 2)
MUT(ch_no_transfer, o->transfer_option = 0)
MUT(ch_rule, o->rule = TV_RULE_MAJORITY)
MUT(ch_turnout, o->min_turnout_tenths = 334)
MUT(ch_turnout_none, o->min_turnout_tenths = 0)
MUT(ch_super, o->supermajority_tenths = 668)
MUT(ch_super_none, o->supermajority_tenths = 0)
MUT(ch_blank, o->allow_blank = 0)
MUT(ch_opens, o->opens += 1)
MUT(ch_closes, o->closes += 1)
MUT(ch_no_online, o->channels &= ~(uint32_t)TV_CHANNEL_ONLINE)
MUT(ch_no_phone, o->channels &= ~(uint32_t)TV_CHANNEL_PHONE)
MUT(ch_no_postal, o->channels &= ~(uint32_t)TV_CHANNEL_POSTAL)
MUT(ch_no_in_person, o->channels &= ~(uint32_t)TV_CHANNEL_IN_PERSON)
MUT(ch_revote, o->revote = TV_REVOTE_LAST)
MUT(ch_trustees, o->trustees = 6)
MUT(ch_threshold, o->threshold = 2)
/* the same bytes split differently between two fields (length prefixes) */
MUT(ch_split, o->council = "Cyngor Sir Ynys Môn / Isle of Anglesey County";
    o->landlord = "Council Cymdeithas Dŵr a Thŷ Môn")

static void fingerprint_covers_every_field(void **state)
{
	static void (*const changes[])(tv_manifest_options *) = {
		ch_id, ch_council, ch_landlord, ch_title_en, ch_title_cy,
		ch_question_en, ch_question_cy, ch_more_options, ch_fewer_options,
		ch_opt1_en, ch_opt1_cy, ch_opt2_en, ch_opt2_cy, ch_opt3_en,
		ch_opt3_cy, ch_swap_options, ch_transfer, ch_no_transfer, ch_rule,
		ch_turnout, ch_turnout_none, ch_super, ch_super_none, ch_blank,
		ch_opens, ch_closes, ch_no_online, ch_no_phone, ch_no_postal,
		ch_no_in_person, ch_revote, ch_trustees, ch_threshold, ch_split,
	};
	enum { N = sizeof(changes) / sizeof(changes[0]) };
	tv_ctx *ctx = test_ctx_new();
	uint8_t fp[N + 1][32], again[32];
	tv_manifest_options base = welsh_options();
	(void)state;

	fingerprint_of(ctx, fp[N], &base);
	/* stable: the same options give the same fingerprint */
	fingerprint_of(ctx, again, &base);
	assert_memory_equal(fp[N], again, 32);
	for (size_t i = 0; i < N; i++) {
		tv_manifest_options o = welsh_options();

		changes[i](&o);
		fingerprint_of(ctx, fp[i], &o);
		independent_fingerprint(again, &o);
		assert_memory_equal(fp[i], again, 32);
	}
	/* every change, and the base, give pairwise different fingerprints */
	for (size_t i = 0; i <= N; i++)
		for (size_t j = 0; j < i; j++)
			if (memcmp(fp[i], fp[j], 32) == 0)
				fail_msg("changes %zu and %zu give the same fingerprint", i, j);
	tv_ctx_free(ctx);
}

/* ---- JSON form (SPEC §9.4) ---- */

static void example_file(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = NULL;
	size_t len, out_len;
	char *text = read_source_file("examples/manifest-example.json", &len);
	char *out = NULL, hex[65];
	uint8_t fp[32];
	tv_manifest_options o;
	(void)state;

	assert_ok(ctx, tv_manifest_from_json(ctx, &m, text, len));
	assert_string_equal(tv_manifest_election_id(m), "enghraifft-stock-transfer-2027");
	assert_string_equal(tv_manifest_council(m),
	                    "Cyngor Sir Enghraifft / Example County Council");
	assert_int_equal(tv_manifest_option_count(m), 2);
	assert_string_equal(tv_manifest_option(m, 1).en, "Yes, I am in favour of the transfer");
	assert_string_equal(tv_manifest_option(m, 2).cy, "Nac ydw, nid wyf o blaid y trosglwyddiad");
	assert_int_equal(tv_manifest_transfer_option(m), 1);
	assert_int_equal(tv_manifest_rule(m), TV_RULE_MAJORITY);
	assert_int_equal(tv_manifest_min_turnout_tenths(m), 0);
	assert_int_equal(tv_manifest_supermajority_tenths(m), 0);
	assert_int_equal(tv_manifest_allow_blank(m), 0);
	assert_int_equal(tv_manifest_opens(m), 1803891600);  /* 2027-03-01T09:00:00Z */
	assert_int_equal(tv_manifest_closes(m), 1806336000); /* 2027-03-29T16:00:00Z */
	assert_int_equal(tv_manifest_channels(m),
	                 TV_CHANNEL_ONLINE | TV_CHANNEL_PHONE | TV_CHANNEL_POSTAL);
	assert_int_equal(tv_manifest_revote(m), TV_REVOTE_LAST);
	assert_int_equal(tv_manifest_trustees(m), 5);
	assert_int_equal(tv_manifest_threshold(m), 3);
	tv_manifest_fingerprint(fp, m);
	hex_of(hex, fp, 32);
	assert_string_equal(hex, example_fingerprint_hex);
	tv_manifest_get_options(&o, m);
	{
		uint8_t want[32];

		independent_fingerprint(want, &o);
		assert_memory_equal(fp, want, 32);
	}

	/* the example is written in the canonical form: to_json gives it back */
	assert_ok(ctx, tv_manifest_to_json(ctx, &out, &out_len, m));
	assert_int_equal(out_len, len);
	assert_int_equal(strlen(out), out_len);
	assert_string_equal(out, text);
	tv_free(ctx, out);
	tv_manifest_free(m);
	free(text);
	tv_ctx_free(ctx);
}

static void round_trip(tv_ctx *ctx, const tv_manifest_options *o)
{
	tv_manifest *m = NULL, *back = NULL;
	char *json = NULL, *json2 = NULL;
	size_t len = 0, len2 = 0;
	uint8_t a[32], b[32];

	assert_ok(ctx, tv_manifest_new(ctx, &m, o));
	assert_ok(ctx, tv_manifest_to_json(ctx, &json, &len, m));
	assert_int_equal(strlen(json), len);
	assert_int_equal(json[len - 1], '\n');
	assert_ok(ctx, tv_manifest_from_json(ctx, &back, json, len));
	tv_manifest_fingerprint(a, m);
	tv_manifest_fingerprint(b, back);
	assert_memory_equal(a, b, 32);
	/* stable bytes */
	assert_ok(ctx, tv_manifest_to_json(ctx, &json2, NULL, back));
	len2 = strlen(json2);
	assert_int_equal(len, len2);
	assert_memory_equal(json, json2, len);
	/* not NUL-terminated input works too: the length is what counts */
	tv_manifest_free(back);
	back = NULL;
	json2[len2 - 1] = 'X'; /* the final newline; the object ends before it */
	assert_ok(ctx, tv_manifest_from_json(ctx, &back, json2, len2 - 1));
	tv_manifest_free(back);
	tv_free(ctx, json);
	tv_free(ctx, json2);
	tv_manifest_free(m);
}

static void json_round_trips(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = vector_options();
	(void)state;

	round_trip(ctx, &o);
	o = welsh_options();
	round_trip(ctx, &o);
	o.transfer_option = 0;
	o.landlord = "";
	o.supermajority_tenths = 0;
	round_trip(ctx, &o);
	o = vector_options();
	o.opens = TV_TIME_MIN;
	o.closes = TV_TIME_MAX;
	round_trip(ctx, &o);
	o.option_count = TV_MAX_OPTIONS;
	{
		static char labels[TV_MAX_OPTIONS][16];

		for (int i = 0; i < TV_MAX_OPTIONS; i++) {
			snprintf(labels[i], sizeof(labels[i]), "Option %d", i + 1);
			o.options[i].en = labels[i];
		}
		o.trustees = o.threshold = TV_MAX_TRUSTEES;
		round_trip(ctx, &o);
	}
	tv_ctx_free(ctx);
}

static void json_layout(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = vector_options();
	tv_manifest *m = NULL;
	char *json = NULL;
	size_t len;
	static const char want[] =
		"{\n"
		"  \"format\": \"tenantvote-manifest/1\",\n"
		"  \"election_id\": \"test-1\",\n"
		"  \"council\": \"Council\",\n"
		"  \"landlord\": \"Mutual\",\n"
		"  \"title\": {\n"
		"    \"en\": \"Title\",\n"
		"    \"cy\": \"\"\n"
		"  },\n"
		"  \"question\": {\n"
		"    \"en\": \"Question?\",\n"
		"    \"cy\": \"\"\n"
		"  },\n"
		"  \"options\": [\n"
		"    {\n"
		"      \"id\": 1,\n"
		"      \"label\": {\n"
		"        \"en\": \"Yes\",\n"
		"        \"cy\": \"\"\n"
		"      }\n"
		"    },\n"
		"    {\n"
		"      \"id\": 2,\n"
		"      \"label\": {\n"
		"        \"en\": \"No\",\n"
		"        \"cy\": \"\"\n"
		"      }\n"
		"    }\n"
		"  ],\n"
		"  \"transfer_option\": 1,\n"
		"  \"rule\": \"majority\",\n"
		"  \"min_turnout_pct\": \"0.0\",\n"
		"  \"supermajority_pct\": null,\n"
		"  \"allow_blank\": false,\n"
		"  \"opens\": \"2027-01-15T08:00:00Z\",\n"
		"  \"closes\": \"2027-01-16T08:00:00Z\",\n"
		"  \"channels\": [\n"
		"    \"online\",\n"
		"    \"postal\"\n"
		"  ],\n"
		"  \"revote\": \"last\",\n"
		"  \"trustees\": 3,\n"
		"  \"threshold\": 2\n"
		"}\n";
	(void)state;

	assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
	assert_ok(ctx, tv_manifest_to_json(ctx, &json, &len, m));
	assert_string_equal(json, want);
	tv_free(ctx, json);
	tv_manifest_free(m);

	/* the "cy" keys may be left out; leaving them out changes nothing */
	{
		static const char *const drop[] = { "\n    \"cy\": \"\"", "\n        \"cy\": \"\"" };
		char buf[sizeof(want)], *p;
		tv_manifest *a = NULL, *b = NULL;
		uint8_t fa[32], fb[32];

		memcpy(buf, want, sizeof(want));
		for (int k = 0; k < 2; k++) {
			while ((p = strstr(buf, drop[k])) != NULL) {
				/* drop the comma before it too */
				size_t cut = strlen(drop[k]);

				assert_int_equal(p[-1], ',');
				memmove(p - 1, p + cut, strlen(p + cut) + 1);
			}
		}
		assert_null(strstr(buf, "\"cy\""));
		assert_ok(ctx, tv_manifest_from_json(ctx, &a, buf, strlen(buf)));
		assert_ok(ctx, tv_manifest_from_json(ctx, &b, want, strlen(want)));
		tv_manifest_fingerprint(fa, a);
		tv_manifest_fingerprint(fb, b);
		assert_memory_equal(fa, fb, 32);
		tv_manifest_free(a);
		tv_manifest_free(b);
	}
	/* whitespace and key order are free */
	{
		static const char compact[] =
			"{\"threshold\":2,\"trustees\":3,\"revote\":\"last\","
			"\"channels\":[\"postal\",\"online\"],"
			"\"closes\":\"2027-01-16T08:00:00Z\",\"opens\":\"2027-01-15T08:00:00Z\","
			"\"allow_blank\":false,\"supermajority_pct\":null,"
			"\"min_turnout_pct\":\"0.0\",\"rule\":\"majority\",\"transfer_option\":1,"
			"\"options\":[{\"label\":{\"en\":\"Yes\"},\"id\":1},{\"id\":2,\"label\":"
			"{\"cy\":\"\",\"en\":\"No\"}}],\"question\":{\"en\":\"Question?\"},"
			"\"title\":{\"en\":\"Title\"},\"landlord\":\"Mutual\",\"council\":\"Council\","
			"\"election_id\":\"test-1\",\"format\":\"tenantvote-manifest/1\"}";
		tv_manifest *a = NULL;
		uint8_t fa[32];
		char hex[65];

		assert_ok(ctx, tv_manifest_from_json(ctx, &a, compact, strlen(compact)));
		tv_manifest_fingerprint(fa, a);
		hex_of(hex, fa, 32);
		assert_string_equal(hex, vector_fingerprint_hex);
		tv_manifest_free(a);
	}
	tv_ctx_free(ctx);
}

/* ---- Welsh, byte for byte (SPEC §9.1) ---- */

static void welsh_is_byte_exact(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = welsh_options();
	tv_manifest *m = NULL, *back = NULL;
	char *json = NULL, *ascii = NULL;
	json_t *root;
	size_t len;
	uint8_t a[32], b[32];
	(void)state;

	assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
	assert_ok(ctx, tv_manifest_to_json(ctx, &json, &len, m));
	/* written as UTF-8, never as \u escapes */
	assert_null(strstr(json, "\\u"));
	assert_non_null(strstr(json, "ŵ ŷ â ê î ô û"));
	assert_non_null(strstr(json, "Thŷ Môn"));
	assert_non_null(strstr(json, "\xf0\x9f\x8f\xa0"));
	assert_ok(ctx, tv_manifest_from_json(ctx, &back, json, len));
	assert_memory_equal(tv_manifest_title(back).cy, welsh_title_cy, sizeof(welsh_title_cy));
	assert_memory_equal(tv_manifest_option(back, 3).cy, o.options[2].cy,
	                    strlen(o.options[2].cy) + 1);
	tv_manifest_fingerprint(a, m);
	tv_manifest_fingerprint(b, back);
	assert_memory_equal(a, b, 32);
	tv_manifest_free(back);
	back = NULL;

	/* the same text written with \u escapes is the same manifest */
	root = json_loads(json, 0, NULL);
	assert_non_null(root);
	ascii = json_dumps(root, JSON_ENSURE_ASCII | JSON_INDENT(1));
	json_decref(root);
	assert_non_null(ascii);
	assert_non_null(strstr(ascii, "\\u0175")); /* ŵ */
	assert_non_null(strstr(ascii, "\\uD83C\\uDFE0")); /* U+1F3E0, a surrogate pair */
	assert_ok(ctx, tv_manifest_from_json(ctx, &back, ascii, strlen(ascii)));
	tv_manifest_fingerprint(b, back);
	assert_memory_equal(a, b, 32);
	assert_string_equal(tv_manifest_title(back).cy, welsh_title_cy);
	free(ascii);
	tv_manifest_free(back);
	tv_free(ctx, json);
	tv_manifest_free(m);

	/* no normalisation: ŵ precomposed (U+0175) and w + U+0302 differ */
	{
		tv_manifest_options nfc = vector_options(), nfd = vector_options();

		nfc.council = "Cyngor \xc5\xb5";
		nfd.council = "Cyngor w\xcc\x82";
		fingerprint_of(ctx, a, &nfc);
		fingerprint_of(ctx, b, &nfd);
		assert_memory_not_equal(a, b, 32);
		assert_ok(ctx, tv_manifest_new(ctx, &m, &nfd));
		assert_ok(ctx, tv_manifest_to_json(ctx, &json, &len, m));
		assert_ok(ctx, tv_manifest_from_json(ctx, &back, json, len));
		assert_string_equal(tv_manifest_council(back), "Cyngor w\xcc\x82");
		tv_free(ctx, json);
		tv_manifest_free(back);
		tv_manifest_free(m);
	}
	tv_ctx_free(ctx);
}

/* ---- validation (SPEC §9.3), from the options struct ---- */

static char long_text[TV_MANIFEST_TEXT_MAX + 2];
static char max_text[TV_MANIFEST_TEXT_MAX + 1];
static char long_id[TV_ELECTION_ID_MAX + 2];
static char max_id[TV_ELECTION_ID_MAX + 1];

MUT(bad_id_null, o->election_id = NULL)
MUT(bad_id_empty, o->election_id = "")
MUT(bad_id_dash, o->election_id = "-mon-2028")
MUT(bad_id_upper, o->election_id = "Mon-2028")
MUT(bad_id_underscore, o->election_id = "mon_2028")
MUT(bad_id_space, o->election_id = "mon 2028")
MUT(bad_id_accent, o->election_id = "m\xc3\xb4n-2028")
MUT(bad_id_long, o->election_id = long_id)
MUT(bad_council_null, o->council = NULL)
MUT(bad_council_empty, o->council = "")
MUT(bad_council_long, o->council = long_text)
MUT(bad_council_latin1, o->council = "Cyngor M\xf4n")
MUT(bad_council_newline, o->council = "Cyngor\nMôn")
MUT(bad_landlord_utf8, o->landlord = "T\xc5")
MUT(bad_title_en, o->title.en = NULL)
MUT(bad_title_cy_utf8, o->title.cy = "\xed\xa0\x80") /* a surrogate */
MUT(bad_question_en, o->question.en = "")
MUT(bad_question_cy_tab, o->question.cy = "Ydych\tchi?")
MUT(bad_question_long, o->question.en = long_text)
MUT(bad_options_1, o->option_count = 1; o->transfer_option = 1)
MUT(bad_options_0, o->option_count = 0; o->transfer_option = 0)
MUT(bad_options_17, o->option_count = 17)
MUT(bad_option_en_null, o->options[1].en = NULL)
MUT(bad_option_en_empty, o->options[2].en = "")
MUT(bad_option_cy_utf8, o->options[1].cy = "Symud \xc0\xaf")
MUT(bad_option_cy_long, o->options[0].cy = long_text)
MUT(bad_option_dup_en, o->options[2].en = o->options[0].en)
MUT(bad_option_dup_cy, o->options[2].cy = o->options[1].cy)
/* invisible characters (SPEC §9.1 rule 3), in every text field */
MUT(bad_option_zwsp, o->options[2].en = "Stay with the Council\xe2\x80\x8b") /* U+200B */
MUT(bad_council_bom, o->council = "\xef\xbb\xbf" "Cyngor") /* U+FEFF */
MUT(bad_landlord_shy, o->landlord = "Cymdeithas\xc2\xad Tai") /* U+00AD */
MUT(bad_title_cy_zwj, o->title.cy = "Pleidlais\xe2\x80\x8d") /* U+200D */
MUT(bad_question_en_zwnj, o->question.en = "Which\xe2\x80\x8c landlord?") /* U+200C */
MUT(bad_option_cy_filler, o->options[1].cy = "Symud\xe3\x85\xa4") /* U+3164 */
MUT(bad_question_cy_lrm, o->question.cy = "\xe2\x80\x8e" "Ydych chi?") /* U+200E */
MUT(bad_option_en_tag, o->options[0].en = "Stay\xf3\xa0\x81\x81") /* U+E0041 */
MUT(bad_option_en_wj, o->options[1].en = "Move\xe2\x81\xa0") /* U+2060 */
MUT(bad_option_en_ls, o->options[1].en = "Move\xe2\x80\xa8 on") /* U+2028 */
/* the same label once normalised (NFC): precomposed and decomposed ŵ */
MUT(bad_option_nfc_en, o->options[0].en = "Aros \xc5\xb5";
    o->options[1].en = "Aros w\xcc\x82")
MUT(bad_option_nfc_cy, o->options[1].cy = "Symud i\xe2\x80\x99r gydfuddiannol gymunedol \xe2\x80\x94 "
    "w\xcc\x82 \xc5\xb7 \xc3\xa2 \xc3\xaa \xc3\xae \xc3\xb4 \xc3\xbb")
MUT(bad_welsh_question, o->question.cy = NULL)
MUT(bad_welsh_option, o->options[2].cy = "")
MUT(bad_welsh_title, o->title.cy = "")
MUT(bad_transfer_range, o->transfer_option = 4)
MUT(bad_rule_0, o->rule = (tv_rule)0)
MUT(bad_rule_3, o->rule = (tv_rule)3)
MUT(bad_majority_no_transfer, o->rule = TV_RULE_MAJORITY; o->transfer_option = 0)
MUT(bad_transfer_no_landlord, o->landlord = "")
MUT(bad_transfer_null_landlord, o->landlord = NULL)
MUT(bad_turnout, o->min_turnout_tenths = 1001)
MUT(bad_super_500, o->supermajority_tenths = 500)
MUT(bad_super_1, o->supermajority_tenths = 1)
MUT(bad_super_1001, o->supermajority_tenths = 1001)
MUT(bad_opens_low, o->opens = TV_TIME_MIN - 1)
MUT(bad_closes_high, o->closes = TV_TIME_MAX + 1)
MUT(bad_closes_equal, o->closes = o->opens)
MUT(bad_closes_before, o->closes = o->opens - 3600)
MUT(bad_channels_none, o->channels = 0)
MUT(bad_channels_unknown, o->channels = TV_CHANNEL_ONLINE | 16)
MUT(bad_revote_0, o->revote = (tv_revote)0)
MUT(bad_revote_3, o->revote = (tv_revote)3)
MUT(bad_trustees_0, o->trustees = 0; o->threshold = 0)
MUT(bad_trustees_17, o->trustees = 17)
MUT(bad_threshold_0, o->threshold = 0)
MUT(bad_threshold_high, o->threshold = 6)

static void refuses_each_invalid_field(void **state)
{
	static const struct {
		void (*mutate)(tv_manifest_options *);
		tv_status status;
		const char *names;
	} cases[] = {
		{ bad_id_null, TV_ERR_MANIFEST_INVALID, "election_id: missing" },
		{ bad_id_empty, TV_ERR_MANIFEST_INVALID, "election_id: missing or empty" },
		{ bad_id_dash, TV_ERR_MANIFEST_INVALID, "election_id: \"-mon-2028\" must start" },
		{ bad_id_upper, TV_ERR_MANIFEST_INVALID, "election_id: \"Mon-2028\" has a character" },
		{ bad_id_underscore, TV_ERR_MANIFEST_INVALID, "at position 4" },
		{ bad_id_space, TV_ERR_MANIFEST_INVALID, "election_id" },
		{ bad_id_accent, TV_ERR_MANIFEST_INVALID, "m\\xc3\\xb4n-2028" },
		{ bad_id_long, TV_ERR_MANIFEST_INVALID, "election_id: 65 characters" },
		{ bad_council_null, TV_ERR_MANIFEST_INVALID, "council: missing" },
		{ bad_council_empty, TV_ERR_MANIFEST_INVALID, "council: missing or empty" },
		{ bad_council_long, TV_ERR_MANIFEST_INVALID, "council: 1001 bytes" },
		{ bad_council_latin1, TV_ERR_UTF8, "council: " },
		{ bad_council_newline, TV_ERR_UTF8, "council: control character 0x0a" },
		{ bad_landlord_utf8, TV_ERR_UTF8, "landlord: truncated" },
		{ bad_title_en, TV_ERR_MANIFEST_INVALID, "title.en: missing" },
		{ bad_title_cy_utf8, TV_ERR_UTF8, "title.cy: " },
		{ bad_question_en, TV_ERR_MANIFEST_INVALID, "question.en: missing or empty" },
		{ bad_question_cy_tab, TV_ERR_UTF8, "question.cy: control character 0x09" },
		{ bad_question_long, TV_ERR_MANIFEST_INVALID, "question.en: 1001 bytes" },
		{ bad_options_1, TV_ERR_MANIFEST_INVALID, "options: 1 given" },
		{ bad_options_0, TV_ERR_MANIFEST_INVALID, "options: 0 given" },
		{ bad_options_17, TV_ERR_MANIFEST_INVALID, "options: 17 given, there must be 2 to 16" },
		{ bad_option_en_null, TV_ERR_MANIFEST_INVALID,
		  "options[1].label.en (option 2): missing" },
		{ bad_option_en_empty, TV_ERR_MANIFEST_INVALID,
		  "options[2].label.en (option 3): missing or empty" },
		{ bad_option_cy_utf8, TV_ERR_UTF8, "options[1].label.cy (option 2): " },
		{ bad_option_cy_long, TV_ERR_MANIFEST_INVALID,
		  "options[0].label.cy (option 1): 1001 bytes" },
		{ bad_option_dup_en, TV_ERR_MANIFEST_INVALID,
		  "options[2].label.en (option 3): the same text as option 1" },
		{ bad_option_dup_cy, TV_ERR_MANIFEST_INVALID,
		  "options[2].label.cy (option 3): the same text as option 2" },
		{ bad_option_zwsp, TV_ERR_UTF8,
		  "options[2].label.en (option 3): invisible or formatting character U+200B "
		  "(ZERO WIDTH SPACE) at byte 22 (character 22)" },
		{ bad_council_bom, TV_ERR_UTF8,
		  "council: invisible or formatting character U+FEFF (ZERO WIDTH NO-BREAK SPACE) "
		  "at byte 1 (character 1)" },
		{ bad_landlord_shy, TV_ERR_UTF8, "landlord: invisible or formatting character U+00AD "
		  "(SOFT HYPHEN) at byte 11 (character 11)" },
		{ bad_title_cy_zwj, TV_ERR_UTF8, "title.cy: invisible or formatting character U+200D" },
		{ bad_question_en_zwnj, TV_ERR_UTF8,
		  "question.en: invisible or formatting character U+200C (ZERO WIDTH NON-JOINER)" },
		{ bad_option_cy_filler, TV_ERR_UTF8,
		  "options[1].label.cy (option 2): invisible or formatting character U+3164 "
		  "(HANGUL FILLER) at byte 6" },
		{ bad_question_cy_lrm, TV_ERR_UTF8,
		  "question.cy: invisible or formatting character U+200E (LEFT-TO-RIGHT MARK)" },
		{ bad_option_en_tag, TV_ERR_UTF8,
		  "options[0].label.en (option 1): invisible or formatting character U+E0041" },
		{ bad_option_en_wj, TV_ERR_UTF8, "U+2060 (WORD JOINER) at byte 5 (character 5)" },
		{ bad_option_en_ls, TV_ERR_UTF8, "U+2028 (LINE SEPARATOR)" },
		{ bad_option_nfc_en, TV_ERR_MANIFEST_INVALID,
		  "options[1].label.en (option 2): the same text as option 1 (once "
		  "Unicode-normalised, NFC)" },
		{ bad_option_nfc_cy, TV_ERR_MANIFEST_INVALID,
		  "options[2].label.cy (option 3): the same text as option 2 (once "
		  "Unicode-normalised, NFC)" },
		{ bad_welsh_question, TV_ERR_MANIFEST_INVALID,
		  "question.cy: missing but title.cy is given" },
		{ bad_welsh_option, TV_ERR_MANIFEST_INVALID,
		  "options[2].label.cy (option 3): missing but title.cy is given" },
		{ bad_welsh_title, TV_ERR_MANIFEST_INVALID,
		  "question.cy: given but title.cy is empty" },
		{ bad_transfer_range, TV_ERR_MANIFEST_INVALID,
		  "transfer_option: 4, but there are only 3 options" },
		{ bad_rule_0, TV_ERR_MANIFEST_INVALID, "rule: 0 is not a counting rule" },
		{ bad_rule_3, TV_ERR_MANIFEST_INVALID, "rule: 3 is not a counting rule" },
		{ bad_majority_no_transfer, TV_ERR_MANIFEST_INVALID,
		  "transfer_option: missing; the majority rule" },
		{ bad_transfer_no_landlord, TV_ERR_MANIFEST_INVALID,
		  "landlord: missing or empty, but option 3 means transfer" },
		{ bad_transfer_null_landlord, TV_ERR_MANIFEST_INVALID, "landlord: missing" },
		{ bad_turnout, TV_ERR_MANIFEST_INVALID, "min_turnout_pct: 100.1 is above 100.0" },
		{ bad_super_500, TV_ERR_MANIFEST_INVALID,
		  "supermajority_pct: 50.0 is not from 50.1 to 100.0" },
		{ bad_super_1, TV_ERR_MANIFEST_INVALID, "supermajority_pct: 0.1" },
		{ bad_super_1001, TV_ERR_MANIFEST_INVALID, "supermajority_pct: 100.1" },
		{ bad_opens_low, TV_ERR_MANIFEST_INVALID, "opens: -62167219201 is outside" },
		{ bad_closes_high, TV_ERR_MANIFEST_INVALID, "closes: 253402300800 is outside" },
		{ bad_closes_equal, TV_ERR_MANIFEST_INVALID,
		  "closes: 2028-02-24T10:13:20Z is not after opens 2028-02-24T10:13:20Z" },
		{ bad_closes_before, TV_ERR_MANIFEST_INVALID, "closes: 2028-02-24T09:13:20Z" },
		{ bad_channels_none, TV_ERR_MANIFEST_INVALID, "channels: none given" },
		{ bad_channels_unknown, TV_ERR_MANIFEST_INVALID, "channels: unknown channel bits 0x10" },
		{ bad_revote_0, TV_ERR_MANIFEST_INVALID, "revote: 0 is not a revote policy" },
		{ bad_revote_3, TV_ERR_MANIFEST_INVALID, "revote: 3" },
		{ bad_trustees_0, TV_ERR_MANIFEST_INVALID, "trustees: 0, there must be 1 to 16" },
		{ bad_trustees_17, TV_ERR_MANIFEST_INVALID, "trustees: 17" },
		{ bad_threshold_0, TV_ERR_MANIFEST_INVALID,
		  "threshold: 0, it must be from 1 to trustees (5)" },
		{ bad_threshold_high, TV_ERR_MANIFEST_INVALID, "threshold: 6" },
	};
	tv_ctx *ctx = test_ctx_new();
	(void)state;

	memset(long_text, 'a', sizeof(long_text) - 1);
	memset(long_id, 'a', sizeof(long_id) - 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tv_manifest_options o = welsh_options();
		tv_manifest *m = (tv_manifest *)&o;
		tv_status st;

		cases[i].mutate(&o);
		st = tv_manifest_new(ctx, &m, &o);
		if (st != cases[i].status || strstr(tv_ctx_last_error(ctx), cases[i].names) == NULL)
			fail_msg("case %zu: got %s \"%s\", want %s naming \"%s\"", i,
			         tv_status_str(st), tv_ctx_last_error(ctx),
			         tv_status_str(cases[i].status), cases[i].names);
		assert_null(m);
		assert_int_equal(tv_ctx_last_status(ctx), cases[i].status);
	}
	tv_ctx_free(ctx);
}

static void accepts_the_limits(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest *m = NULL;
	static const char *const ids[] = { "a", "0", "9-", "a--b", max_id };
	(void)state;

	memset(max_text, 'b', sizeof(max_text) - 1);
	memset(max_id, 'z', sizeof(max_id) - 1);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		tv_manifest_options o = vector_options();

		o.election_id = ids[i];
		assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
		tv_manifest_free(m);
	}
	{
		tv_manifest_options o = welsh_options();

		o.council = o.landlord = o.title.en = o.title.cy = max_text;
		o.question.en = o.question.cy = o.options[0].cy = max_text;
		o.min_turnout_tenths = 1000;
		o.supermajority_tenths = 501;
		o.threshold = 1;
		o.trustees = 1;
		o.opens = TV_TIME_MIN;
		o.closes = TV_TIME_MIN + 1;
		assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
		tv_manifest_free(m);
		o.supermajority_tenths = 1000;
		o.trustees = o.threshold = 16;
		o.opens = TV_TIME_MAX - 1;
		o.closes = TV_TIME_MAX;
		o.channels = TV_CHANNEL_IN_PERSON;
		assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
		tv_manifest_free(m);
	}
	tv_ctx_free(ctx);
}

/* ---- the JSON reader on bad input (SPEC §9.4) ---- */

/*
 * A copy of @p base with the member at @p path ("title.en", "options.1.id")
 * set to the JSON @p value, or removed when @p value is NULL.
 */
static char *json_edit(const char *base, const char *path, const char *value)
{
	json_t *root = json_loads(base, 0, NULL), *cur = root, *v = NULL;
	char buf[128], *tok, *next, *out;

	assert_non_null(root);
	if (value != NULL) {
		v = json_loads(value, JSON_DECODE_ANY, NULL);
		if (v == NULL)
			fail_msg("bad test value %s", value);
	}
	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = buf;; tok = next) {
		int last;

		next = strchr(tok, '.');
		last = next == NULL;
		if (!last)
			*next++ = '\0';
		if (json_is_array(cur)) {
			size_t i = (size_t)strtoul(tok, NULL, 10);

			if (last) {
				if (v)
					assert_int_equal(json_array_set_new(cur, i, v), 0);
				else
					assert_int_equal(json_array_remove(cur, i), 0);
				break;
			}
			cur = json_array_get(cur, i);
		} else {
			if (last) {
				if (v)
					assert_int_equal(json_object_set_new(cur, tok, v), 0);
				else
					assert_int_equal(json_object_del(cur, tok), 0);
				break;
			}
			cur = json_object_get(cur, tok);
		}
		assert_non_null(cur);
	}
	out = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	assert_non_null(out);
	return out;
}

static void refuses_bad_json_fields(void **state)
{
	static const struct {
		const char *path, *value;
		tv_status status;
		const char *names;
	} cases[] = {
		{ "format", "\"tenantvote-manifest/4\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: format: is \"tenantvote-manifest/4\", not \"tenantvote-manifest/1\"" },
		{ "format", NULL, TV_ERR_MANIFEST_INVALID, "manifest: format: is missing" },
		{ "format", "1", TV_ERR_MANIFEST_INVALID,
		  "manifest: format: is an integer, not \"tenantvote-manifest/1\"" },
		{ "election_id", "5", TV_ERR_MANIFEST_INVALID,
		  "manifest: election_id: must be a string, not an integer" },
		{ "election_id", NULL, TV_ERR_MANIFEST_INVALID,
		  "manifest: election_id: is missing" },
		{ "election_id", "\"Enghraifft\"", TV_ERR_MANIFEST_INVALID,
		  "election_id: \"Enghraifft\"" },
		{ "council", "null", TV_ERR_MANIFEST_INVALID,
		  "manifest: council: must be a string, not null" },
		{ "council", "\"\"", TV_ERR_MANIFEST_INVALID, "council: missing or empty" },
		{ "landlord", NULL, TV_ERR_MANIFEST_INVALID, "manifest: landlord: is missing" },
		{ "landlord", "\"\"", TV_ERR_MANIFEST_INVALID,
		  "landlord: missing or empty, but option 1 means transfer" },
		{ "landlord", "false", TV_ERR_MANIFEST_INVALID,
		  "manifest: landlord: must be a string, not a boolean" },
		{ "title", "\"Ballot\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: title: must be an object, not a string" },
		{ "title", NULL, TV_ERR_MANIFEST_INVALID, "manifest: title: is missing" },
		{ "title.en", NULL, TV_ERR_MANIFEST_INVALID, "manifest: title.en: is missing" },
		{ "title.en", "\"\"", TV_ERR_MANIFEST_INVALID, "title.en: missing or empty" },
		{ "title.fr", "\"Scrutin\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: title: has an unknown field \"fr\"" },
		{ "title.cy", "1", TV_ERR_MANIFEST_INVALID,
		  "manifest: title.cy: must be a string, not an integer" },
		{ "title.cy", "\"\"", TV_ERR_MANIFEST_INVALID,
		  "question.cy: given but title.cy is empty" },
		{ "question.en", "[]", TV_ERR_MANIFEST_INVALID,
		  "manifest: question.en: must be a string, not an array" },
		{ "question.cy", "\"a\\u0001b\"", TV_ERR_UTF8,
		  "question.cy: control character 0x01 at byte 2" },
		{ "question.cy", "\"a\\u0085b\"", TV_ERR_UTF8,
		  "question.cy: control character U+0085" },
		{ "options", "{}", TV_ERR_MANIFEST_INVALID,
		  "manifest: options: must be an array, not an object" },
		{ "options", "[]", TV_ERR_MANIFEST_INVALID, "options: 0 given" },
		{ "options", NULL, TV_ERR_MANIFEST_INVALID, "manifest: options: is missing" },
		{ "options.1", "\"No\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1]: must be an object, not a string" },
		{ "options.1.id", "3", TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1].id: is 3; options are numbered 1, 2, ... in order" },
		{ "options.0.id", "0", TV_ERR_MANIFEST_INVALID, "manifest: options[0].id: is 0" },
		{ "options.1.id", "\"2\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1].id: must be a whole number, not a string" },
		{ "options.1.id", "2.0", TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1].id: must be a whole number, not a number with a fraction" },
		{ "options.1.id", NULL, TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1].id: is missing" },
		{ "options.0.colour", "\"green\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: options[0]: has an unknown field \"colour\"" },
		{ "options.1.label", NULL, TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1].label: is missing" },
		{ "options.1.label", "\"No\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1].label: must be an object, not a string" },
		{ "options.1.label.en", NULL, TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1].label.en: is missing" },
		{ "options.1.label.cy", "null", TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1].label.cy: must be a string, not null" },
		{ "options.1.label.cy", NULL, TV_ERR_MANIFEST_INVALID,
		  "options[1].label.cy (option 2): missing but title.cy is given" },
		{ "options.1.label.fr", "\"Non\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: options[1].label: has an unknown field \"fr\"" },
		{ "options.1.label.en", "\"Yes, I am in favour of the transfer\"",
		  TV_ERR_MANIFEST_INVALID,
		  "options[1].label.en (option 2): the same text as option 1" },
		{ "transfer_option", "0", TV_ERR_MANIFEST_INVALID,
		  "manifest: transfer_option: is 0, not an option; write null" },
		{ "transfer_option", "-1", TV_ERR_MANIFEST_INVALID,
		  "manifest: transfer_option: is -1, not from 0 to 4294967295" },
		{ "transfer_option", "3", TV_ERR_MANIFEST_INVALID,
		  "transfer_option: 3, but there are only 2 options" },
		{ "transfer_option", "\"1\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: transfer_option: must be a whole number or null, not a string" },
		{ "transfer_option", "null", TV_ERR_MANIFEST_INVALID,
		  "transfer_option: missing; the majority rule" },
		{ "transfer_option", NULL, TV_ERR_MANIFEST_INVALID,
		  "manifest: transfer_option: is missing" },
		{ "rule", "\"Majority\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: rule: is \"Majority\", not majority or plurality" },
		{ "rule", "1", TV_ERR_MANIFEST_INVALID, "manifest: rule: must be a string" },
		{ "min_turnout_pct", "25", TV_ERR_MANIFEST_INVALID,
		  "manifest: min_turnout_pct: must be a string such as \"25.0\", not an integer" },
		{ "min_turnout_pct", "25.0", TV_ERR_MANIFEST_INVALID,
		  "manifest: min_turnout_pct: must be a string such as \"25.0\", not a number" },
		{ "min_turnout_pct", "\"25\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: min_turnout_pct: is \"25\", which must be written \"25.0\"" },
		{ "min_turnout_pct", "\"025.0\"", TV_ERR_MANIFEST_INVALID,
		  "must be written \"25.0\"" },
		{ "min_turnout_pct", "\"100.1\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: min_turnout_pct: is \"100.1\", not a percentage from \"0.0\" to \"100.0\"" },
		{ "min_turnout_pct", "\"25.05\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: min_turnout_pct: is \"25.05\", not a percentage" },
		{ "min_turnout_pct", "\"-1.0\"", TV_ERR_MANIFEST_INVALID, "not a percentage" },
		{ "min_turnout_pct", "null", TV_ERR_MANIFEST_INVALID,
		  "manifest: min_turnout_pct: must be a string" },
		{ "supermajority_pct", "\"0.0\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: supermajority_pct: is \"0.0\"; write null for none" },
		{ "supermajority_pct", "\"50.0\"", TV_ERR_MANIFEST_INVALID,
		  "supermajority_pct: 50.0 is not from 50.1 to 100.0" },
		{ "supermajority_pct", "66.7", TV_ERR_MANIFEST_INVALID,
		  "manifest: supermajority_pct: must be a string such as \"66.7\", or null" },
		{ "supermajority_pct", NULL, TV_ERR_MANIFEST_INVALID,
		  "manifest: supermajority_pct: is missing" },
		{ "allow_blank", "0", TV_ERR_MANIFEST_INVALID,
		  "manifest: allow_blank: must be true or false, not an integer" },
		{ "allow_blank", "\"false\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: allow_blank: must be true or false" },
		{ "opens", "\"2027-03-01 09:00:00Z\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: opens: time: \"2027-03-01 09:00:00Z\" is not a UTC time of the form" },
		{ "opens", "\"2027-03-01T09:00:00+00:00\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: opens: " },
		{ "opens", "1803891600", TV_ERR_MANIFEST_INVALID,
		  "manifest: opens: must be a string, not an integer" },
		{ "closes", "\"2027-03-01T09:00:00Z\"", TV_ERR_MANIFEST_INVALID,
		  "closes: 2027-03-01T09:00:00Z is not after opens 2027-03-01T09:00:00Z" },
		{ "closes", "\"2027-02-29T09:00:00Z\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: closes: time: \"2027-02-29T09:00:00Z\": 2027-02 has no day 29" },
		{ "closes", NULL, TV_ERR_MANIFEST_INVALID, "manifest: closes: is missing" },
		{ "channels", "[]", TV_ERR_MANIFEST_INVALID, "channels: none given" },
		{ "channels", "\"online\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: channels: must be an array" },
		{ "channels", "[\"online\", \"online\"]", TV_ERR_MANIFEST_INVALID,
		  "manifest: channels[1]: \"online\" given twice" },
		{ "channels", "[\"email\"]", TV_ERR_MANIFEST_INVALID,
		  "manifest: channels[0]: is \"email\", not online, phone, postal or in_person" },
		{ "channels", "[\"online\", 1]", TV_ERR_MANIFEST_INVALID,
		  "manifest: channels[1]: must be a string, not an integer" },
		{ "revote", "\"latest\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: revote: is \"latest\", not last or first" },
		{ "revote", "true", TV_ERR_MANIFEST_INVALID,
		  "manifest: revote: must be a string, not a boolean" },
		{ "trustees", "\"5\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: trustees: must be a whole number, not a string" },
		{ "trustees", "0", TV_ERR_MANIFEST_INVALID, "trustees: 0, there must be 1 to 16" },
		{ "trustees", "17", TV_ERR_MANIFEST_INVALID, "trustees: 17" },
		{ "trustees", "4294967296", TV_ERR_MANIFEST_INVALID,
		  "manifest: trustees: is 4294967296, not from 0 to 4294967295" },
		{ "trustees", "5.5", TV_ERR_MANIFEST_INVALID,
		  "manifest: trustees: must be a whole number" },
		{ "threshold", "6", TV_ERR_MANIFEST_INVALID,
		  "threshold: 6, it must be from 1 to trustees (5)" },
		{ "threshold", "0", TV_ERR_MANIFEST_INVALID, "threshold: 0" },
		{ "threshold", NULL, TV_ERR_MANIFEST_INVALID, "manifest: threshold: is missing" },
		{ "colour", "\"red\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: has an unknown field \"colour\"" },
		{ "Format", "\"x\"", TV_ERR_MANIFEST_INVALID,
		  "manifest: has an unknown field \"Format\"" },
		{ "we\\ird", "1", TV_ERR_MANIFEST_INVALID,
		  "manifest: has an unknown field \"we\\\\ird\"" },
	};
	tv_ctx *ctx = test_ctx_new();
	size_t len;
	char *base = read_source_file("examples/manifest-example.json", &len);
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *json = json_edit(base, cases[i].path, cases[i].value);
		tv_manifest *m = NULL;
		tv_status st = tv_manifest_from_json(ctx, &m, json, strlen(json));

		if (st != cases[i].status || strstr(tv_ctx_last_error(ctx), cases[i].names) == NULL)
			fail_msg("case %zu (%s = %s): got %s \"%s\", want %s naming \"%s\"", i,
			         cases[i].path, cases[i].value ? cases[i].value : "(removed)",
			         tv_status_str(st), tv_ctx_last_error(ctx),
			         tv_status_str(cases[i].status), cases[i].names);
		assert_null(m);
		free(json);
	}
	free(base);
	tv_ctx_free(ctx);
}

static void expect_json(tv_ctx *ctx, const char *json, size_t len, tv_status want,
                        const char *names)
{
	tv_manifest *m = NULL;
	tv_status st = tv_manifest_from_json(ctx, &m, json, len);

	if (st != want || strstr(tv_ctx_last_error(ctx), names) == NULL)
		fail_msg("got %s \"%s\", want %s naming \"%s\"", tv_status_str(st),
		         tv_ctx_last_error(ctx), tv_status_str(want), names);
	assert_null(m);
}

static void refuses_bad_json_text(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	size_t len, n;
	char *base = read_source_file("examples/manifest-example.json", &len);
	char *j;
	(void)state;

	/* a duplicate key could mean one thing to us and another to a reader */
	j = test_replace(base, "\"trustees\": 5,", "\"trustees\": 5,\n  \"trustees\": 9,", &n);
	expect_json(ctx, j, n, TV_ERR_MANIFEST_INVALID, "duplicate object key");
	expect_json(ctx, j, n, TV_ERR_MANIFEST_INVALID, "line 44");
	free(j);
	j = test_replace(base, "\"en\": \"Yes,", "\"en\": \"Yes\", \"en\": \"Yes,", &n);
	expect_json(ctx, j, n, TV_ERR_MANIFEST_INVALID, "duplicate object key");
	free(j);

	/* invalid UTF-8 inside a string: Jansson refuses it, and we say so */
	j = test_replace(base, "Tai Cymunedol Enghraifft /", "Tai Cymun\xe9" "dol Enghraifft /", &n);
	expect_json(ctx, j, n, TV_ERR_UTF8, "invalid UTF-8");
	expect_json(ctx, j, n, TV_ERR_UTF8, "line 5");
	free(j);
	j = test_replace(base, "Ydw,", "Yd\xc0\xaf,", &n); /* overlong */
	expect_json(ctx, j, n, TV_ERR_UTF8, "invalid UTF-8");
	free(j);
	j = test_replace(base, "Ydw,", "Yd\xed\xa0\x80,", &n); /* surrogate */
	expect_json(ctx, j, n, TV_ERR_UTF8, "invalid UTF-8");
	free(j);
	/* and outside a string */
	j = test_replace(base, "{", "{\xff", &n);
	expect_json(ctx, j, n, TV_ERR_UTF8, "invalid UTF-8");
	free(j);
	/* a lone surrogate escape, and \u0000, are refused by Jansson */
	j = test_replace(base, "Ydw,", "Yd\\ud800,", &n);
	expect_json(ctx, j, n, TV_ERR_MANIFEST_INVALID, "line 19");
	free(j);
	j = test_replace(base, "Ydw,", "Yd\\u0000,", &n);
	expect_json(ctx, j, n, TV_ERR_MANIFEST_INVALID, "\\u0000");
	free(j);
	/* a raw control character in a string */
	j = test_replace(base, "Ydw,", "Yd\tw,", &n);
	expect_json(ctx, j, n, TV_ERR_MANIFEST_INVALID, "control character");
	free(j);
	/* an integer too big for Jansson */
	j = test_replace(base, "\"trustees\": 5", "\"trustees\": 99999999999999999999", &n);
	expect_json(ctx, j, n, TV_ERR_MANIFEST_INVALID, "too big");
	free(j);

	/* trailing bytes after the object */
	j = test_replace(base, "\"threshold\": 3\n}\n", "\"threshold\": 3\n}\n{}", &n);
	expect_json(ctx, j, n, TV_ERR_MANIFEST_INVALID, "end of file expected");
	free(j);
	j = test_replace(base, "\"threshold\": 3\n}\n", "\"threshold\": 3\n}\nx", &n);
	expect_json(ctx, j, n, TV_ERR_MANIFEST_INVALID, "end of file expected");
	free(j);
	/* a NUL byte after the object counts: the length is what is read */
	expect_json(ctx, base, len + 1, TV_ERR_MANIFEST_INVALID, "manifest: not valid JSON at line");
	/* ... and a truncated object is refused */
	expect_json(ctx, base, len - 3, TV_ERR_MANIFEST_INVALID, "manifest: not valid JSON at line");

	/* more than 16 options: refused before any is read */
	{
		char value[2048], *json;
		size_t o = 0;

		o += (size_t)snprintf(value + o, sizeof(value) - o, "[");
		for (int i = 1; i <= 17; i++)
			o += (size_t)snprintf(value + o, sizeof(value) - o,
			                      "%s{\"id\": %d, \"label\": {\"en\": \"O%d\"}}",
			                      i > 1 ? "," : "", i, i);
		snprintf(value + o, sizeof(value) - o, "]");
		json = json_edit(base, "options", value);
		expect_json(ctx, json, strlen(json), TV_ERR_MANIFEST_INVALID,
		            "manifest: options: has 17 entries, more than 16");
		free(json);
	}

	/* bytes of the input quoted in a message are made safe for a terminal */
	expect_json(ctx, "{\x1b[2J}", 6, TV_ERR_MANIFEST_INVALID, "near '\\x1b'");
	assert_null(strchr(tv_ctx_last_error(ctx), 0x1b));

	/* not a manifest at all */
	expect_json(ctx, "", 0, TV_ERR_MANIFEST_INVALID, "manifest: not valid JSON at line");
	expect_json(ctx, NULL, 0, TV_ERR_MANIFEST_INVALID, "manifest: not valid JSON at line");
	expect_json(ctx, "hello", 5, TV_ERR_MANIFEST_INVALID, "manifest: not valid JSON at line 1 ");
	expect_json(ctx, "[]", 2, TV_ERR_MANIFEST_INVALID, "manifest: must be an object, not an array");
	expect_json(ctx, "{}", 2, TV_ERR_MANIFEST_INVALID, "manifest: format: is missing");
	expect_json(ctx, "\"x\"", 3, TV_ERR_MANIFEST_INVALID, "manifest: not valid JSON at line 1 ");
	{
		static char deep[4000];

		memset(deep, '[', sizeof(deep));
		expect_json(ctx, deep, sizeof(deep), TV_ERR_MANIFEST_INVALID,
		            "manifest: not valid JSON at line 1 ");
	}

	/* huge input: refused before parsing; exactly the limit is read */
	{
		char *huge = malloc(TV_MANIFEST_JSON_MAX + 1);
		tv_manifest *m = NULL;

		assert_non_null(huge);
		memset(huge, ' ', TV_MANIFEST_JSON_MAX + 1);
		memcpy(huge, base, len);
		expect_json(ctx, huge, TV_MANIFEST_JSON_MAX + 1, TV_ERR_MANIFEST_INVALID,
		            "manifest: 262145 bytes is over the 262144-byte limit");
		assert_ok(ctx, tv_manifest_from_json(ctx, &m, huge, TV_MANIFEST_JSON_MAX));
		tv_manifest_free(m);
		free(huge);
	}
	free(base);
	tv_ctx_free(ctx);
}

/* ---- helpers (SPEC §9.6) ---- */

static void times_rfc3339(void **state)
{
	static const struct {
		const char *text;
		int64_t t;
	} good[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "2000-02-29T00:00:00Z", 951782400 },   /* 2000 is a leap year */
		{ "2024-02-29T12:00:00Z", 1709208000 },
		{ "2000-12-31T23:59:59Z", 978307199 },
		{ "2027-01-15T08:00:00Z", 1800000000 },
		{ "2027-03-29T16:00:00Z", 1806336000 },
		{ "0000-01-01T00:00:00Z", TV_TIME_MIN },
		{ "0000-02-29T00:00:00Z", TV_TIME_MIN + 59 * 86400 }, /* year 0 is leap */
		{ "9999-12-31T23:59:59Z", TV_TIME_MAX },
	};
	static const char *const bad[] = {
		"2023-02-29T00:00:00Z", /* not a leap year */
		"1900-02-29T00:00:00Z", /* divisible by 100 but not 400 */
		"2100-02-29T00:00:00Z",
		"2027-04-31T00:00:00Z",
		"2027-13-01T00:00:00Z",
		"2027-00-10T00:00:00Z",
		"2027-01-00T00:00:00Z",
		"2027-01-32T00:00:00Z",
		"2027-01-15T24:00:00Z", /* end-of-day 24:00 */
		"2027-01-15T08:60:00Z",
		"2016-12-31T23:59:60Z", /* a real leap second: no POSIX time */
		"2027-01-15T08:00:00+01:00",
		"2027-01-15T08:00:00+00:00",
		"2027-01-15T08:00:00-00:00",
		"2027-01-15T08:00:00z",
		"2027-01-15t08:00:00Z",
		"2027-01-15 08:00:00Z",
		"2027-01-15T08:00:00.5Z",
		"2027-01-15T08:00:00",
		"2027-01-15T08:00Z",
		"2027-1-15T08:00:00Z",
		" 2027-01-15T08:00:00Z",
		"2027-01-15T08:00:00Z ",
		"+2027-01-15T08:00:00Z",
		"2027-01-15",
		"",
		"2027-01-15T08:0a:00Z",
	};
	tv_ctx *ctx = test_ctx_new();
	char out[TV_TIME_FORMAT_BYTES];
	int64_t t;
	(void)state;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_ok(ctx, tv_time_parse(ctx, &t, good[i].text));
		assert_int_equal(t, good[i].t);
		assert_ok(ctx, tv_time_format(ctx, out, good[i].t));
		assert_string_equal(out, good[i].text);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = 12345;
		if (tv_time_parse(ctx, &t, bad[i]) != TV_ERR_MANIFEST_INVALID)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_int_equal(t, 12345);
		assert_message_has(ctx, "time: \"");
	}
	assert_status(ctx, tv_time_parse(ctx, &t, "2023-02-29T00:00:00Z"), TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "2023-02 has no day 29");
	assert_status(ctx, tv_time_parse(ctx, &t, "2027-01-15T24:00:00Z"), TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "24:00:00 is not a time of day");
	assert_status(ctx, tv_time_parse(ctx, &t, "2027-01-15T08:00:00\x1b[2J"),
	              TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "\\x1b[2J"); /* control bytes are escaped in messages */

	assert_status(ctx, tv_time_format(ctx, out, TV_TIME_MAX + 1), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_time_format(ctx, out, TV_TIME_MIN - 1), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_time_format(ctx, out, INT64_MIN), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_time_parse(ctx, NULL, "x"), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_time_parse(ctx, &t, NULL), TV_ERR_INVALID_ARGUMENT);

	/* every time in range formats and parses back to itself */
	for (int i = 0; i < 20000; i++) {
		int64_t x = TV_TIME_MIN + (int64_t)(test_rand() % (uint64_t)(TV_TIME_MAX - TV_TIME_MIN + 1));

		assert_ok(ctx, tv_time_format(ctx, out, x));
		assert_ok(ctx, tv_time_parse(ctx, &t, out));
		assert_int_equal(t, x);
	}
	tv_ctx_free(ctx);
}

static void percentages(void **state)
{
	static const struct {
		const char *text;
		uint32_t tenths;
	} good[] = {
		{ "0", 0 }, { "0.0", 0 }, { "0.5", 5 }, { "25", 250 }, { "25.0", 250 },
		{ "33.3", 333 }, { "66.7", 667 }, { "100", 1000 }, { "100.0", 1000 },
		{ "050", 500 }, { "7", 70 },
	};
	static const char *const bad[] = {
		"", ".5", "5.", "100.1", "101", "1000", "0100", "25.55", "-5", "+5",
		"25%", " 25", "25 ", "2 5", "1e2", "25,5", "abc",
	};
	tv_ctx *ctx = test_ctx_new();
	char out[TV_PERCENT_FORMAT_BYTES];
	uint32_t v;
	(void)state;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_ok(ctx, tv_percent_parse(ctx, &v, good[i].text));
		assert_int_equal(v, good[i].tenths);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 77;
		if (tv_percent_parse(ctx, &v, bad[i]) != TV_ERR_MANIFEST_INVALID)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_int_equal(v, 77);
		assert_message_has(ctx, "percentage: \"");
	}
	tv_percent_format(out, 0);
	assert_string_equal(out, "0.0");
	tv_percent_format(out, 5);
	assert_string_equal(out, "0.5");
	tv_percent_format(out, 333);
	assert_string_equal(out, "33.3");
	tv_percent_format(out, 1000);
	assert_string_equal(out, "100.0");
	tv_percent_format(out, UINT32_MAX);
	assert_string_equal(out, "429496729.5");
	for (uint32_t t = 0; t <= 1000; t++) {
		tv_percent_format(out, t);
		assert_ok(ctx, tv_percent_parse(ctx, &v, out));
		assert_int_equal(v, t);
	}
	assert_status(ctx, tv_percent_parse(ctx, NULL, "5"), TV_ERR_INVALID_ARGUMENT);
	tv_ctx_free(ctx);
}

static void names_of_rules_revotes_channels(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_rule rule;
	tv_revote revote;
	uint32_t bits;
	(void)state;

	assert_ok(ctx, tv_rule_parse(ctx, &rule, "majority"));
	assert_int_equal(rule, TV_RULE_MAJORITY);
	assert_ok(ctx, tv_rule_parse(ctx, &rule, "plurality"));
	assert_int_equal(rule, TV_RULE_PLURALITY);
	assert_status(ctx, tv_rule_parse(ctx, &rule, "Majority"), TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "rule: \"Majority\" is not a counting rule");
	assert_status(ctx, tv_rule_parse(ctx, &rule, "majority "), TV_ERR_MANIFEST_INVALID);
	assert_status(ctx, tv_rule_parse(ctx, &rule, ""), TV_ERR_MANIFEST_INVALID);
	assert_string_equal(tv_rule_name(TV_RULE_MAJORITY), "majority");
	assert_string_equal(tv_rule_name(TV_RULE_PLURALITY), "plurality");
	assert_null(tv_rule_name((tv_rule)0));

	assert_ok(ctx, tv_revote_parse(ctx, &revote, "last"));
	assert_int_equal(revote, TV_REVOTE_LAST);
	assert_ok(ctx, tv_revote_parse(ctx, &revote, "first"));
	assert_int_equal(revote, TV_REVOTE_FIRST);
	assert_status(ctx, tv_revote_parse(ctx, &revote, "latest"), TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "revote: \"latest\"");
	assert_string_equal(tv_revote_name(TV_REVOTE_LAST), "last");
	assert_null(tv_revote_name((tv_revote)3));

	assert_ok(ctx, tv_channel_parse(ctx, &bits, "in_person"));
	assert_int_equal(bits, TV_CHANNEL_IN_PERSON);
	assert_status(ctx, tv_channel_parse(ctx, &bits, "in-person"), TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "channel: \"in-person\" is not a channel");
	assert_string_equal(tv_channel_name(TV_CHANNEL_ONLINE), "online");
	assert_string_equal(tv_channel_name(TV_CHANNEL_PHONE), "phone");
	assert_string_equal(tv_channel_name(TV_CHANNEL_POSTAL), "postal");
	assert_string_equal(tv_channel_name(TV_CHANNEL_IN_PERSON), "in_person");
	assert_null(tv_channel_name(3));
	assert_null(tv_channel_name(0));
	assert_null(tv_channel_name(16));

	assert_ok(ctx, tv_channels_parse(ctx, &bits, "online,postal"));
	assert_int_equal(bits, TV_CHANNEL_ONLINE | TV_CHANNEL_POSTAL);
	assert_ok(ctx, tv_channels_parse(ctx, &bits, "in_person,phone,postal,online"));
	assert_int_equal(bits, TV_CHANNEL_ALL);
	{
		static const char *const bad[] = {
			"", ",", "online,", ",online", "online,,postal", "online, postal", "email",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			bits = 99;
			if (tv_channels_parse(ctx, &bits, bad[i]) != TV_ERR_MANIFEST_INVALID)
				fail_msg("\"%s\" accepted", bad[i]);
			assert_int_equal(bits, 99);
			assert_message_has(ctx, "channels");
		}
	}
	assert_status(ctx, tv_channels_parse(ctx, &bits, "postal,online,postal"),
	              TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "channels: \"postal\" given twice");
	assert_status(ctx, tv_channels_parse(ctx, NULL, "online"), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_rule_parse(ctx, &rule, NULL), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_revote_parse(ctx, NULL, "last"), TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_channel_parse(ctx, &bits, NULL), TV_ERR_INVALID_ARGUMENT);
	tv_ctx_free(ctx);
}

/*
 * SPEC §9.1 rule 3's table is fixed (Unicode 15.0) so that every reader
 * refuses the same texts; it must be exactly Unicode's set: Cf, Zl, Zp and
 * Default_Ignorable_Code_Point, for every code point assigned by 15.0 (and
 * the unassigned default-ignorable ones, which the property covers too).
 */
static void invisible_table_is_unicode_15(void **state)
{
	UVersionInfo age, v15 = { 15, 0, 0, 0 };
	size_t in_table = 0;
	(void)state;

	for (UChar32 c = 0xa0; c <= 0x10ffff; c++) {
		int t = u_charType(c);
		int want = t == U_FORMAT_CHAR || t == U_LINE_SEPARATOR ||
		           t == U_PARAGRAPH_SEPARATOR ||
		           u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);

		u_charAge(c, age);
		/* a later Unicode's new characters are not in the fixed table */
		if (memcmp(age, v15, sizeof(age)) > 0)
			continue;
		if (tv__invisible((uint32_t)c) != want)
			fail_msg("U+%04X: the table says %d, Unicode %d", (unsigned)c,
			         tv__invisible((uint32_t)c), want);
		in_table += (size_t)want;
	}
	assert_true(in_table > 4000); /* the tags and variation selectors block */
	/* what a ballot needs stays: letters, Welsh accents, punctuation, emoji */
	assert_false(tv__invisible(0x0175)); /* ŵ */
	assert_false(tv__invisible(0x2019)); /* ’ */
	assert_false(tv__invisible(0x0020));
	assert_false(tv__invisible(0x00a0)); /* no-break space: visible as a space */
	assert_false(tv__invisible(0x1f3e0));
	assert_true(tv__invisible(0x200b));
	assert_true(tv__invisible(0xfeff));
}

/* the NFC comparison itself, and what it does not merge */
static void labels_compare_under_nfc(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = welsh_options();
	tv_manifest *m = NULL;
	int same = -1;
	(void)state;

	assert_ok(ctx, tv__nfc_equal(ctx, &same, "T\xc5\xb7", "Ty\xcc\x82")); /* Tŷ */
	assert_int_equal(same, 1);
	assert_ok(ctx, tv__nfc_equal(ctx, &same, "Ty", "T\xc5\xb7"));
	assert_int_equal(same, 0);
	/* NFC, not NFKC: the ligature ﬁ and "fi" are different labels */
	assert_ok(ctx, tv__nfc_equal(ctx, &same, "\xef\xac\x81", "fi"));
	assert_int_equal(same, 0);
	assert_ok(ctx, tv__nfc_equal(ctx, &same, "Yes", "yes"));
	assert_int_equal(same, 0);
	/* labels that differ after NFC are accepted, and kept byte for byte */
	o.options[0].en = "Aros w\xcc\x82";
	o.options[1].en = "Aros w";
	assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
	assert_string_equal(tv_manifest_option(m, 1).en, "Aros w\xcc\x82");
	tv_manifest_free(m);
	/* and from JSON: an escaped zero-width space is refused like a raw one */
	{
		static const char *const keys[] = { "\"Move to the housing association\"" };
		char *json = NULL, *bad;
		size_t len;
		const char *at;

		o = welsh_options();
		assert_ok(ctx, tv_manifest_new(ctx, &m, &o));
		assert_ok(ctx, tv_manifest_to_json(ctx, &json, &len, m));
		at = strstr(json, keys[0]);
		assert_non_null(at);
		bad = malloc(len + 16);
		assert_non_null(bad);
		memcpy(bad, json, (size_t)(at - json) + 5);
		strcpy(bad + (at - json) + 5, "\\u200b");
		strcat(bad, at + 5);
		tv_manifest_free(m);
		m = (tv_manifest *)&o;
		assert_status(ctx, tv_manifest_from_json(ctx, &m, bad, strlen(bad)), TV_ERR_UTF8);
		assert_null(m);
		assert_message_has(ctx, "options[1].label.en (option 2): invisible or formatting "
		                        "character U+200B (ZERO WIDTH SPACE) at byte 5 (character 5)");
		free(bad);
		tv_free(ctx, json);
	}
	tv_ctx_free(ctx);
}

static void bilingual_text(void **state)
{
	static const struct {
		const char *text, *en, *cy;
	} good[] = {
		{ "Yes|Ydw", "Yes", "Ydw" },
		{ "  Yes  |  Ydw ", "Yes", "Ydw" },
		{ "Yes", "Yes", "" },
		{ "Yes|", "Yes", "" },
		{ "Yes |  ", "Yes", "" },
		{ "Stay with the council|Aros gyda’r cyngor", "Stay with the council",
		  "Aros gyda’r cyngor" },
		{ "Tŷ|Tŷ", "Tŷ", "Tŷ" },
		{ "a  b|c  d", "a  b", "c  d" }, /* inner spaces are kept */
	};
	static const struct {
		const char *text;
		tv_status status;
		const char *names;
	} bad[] = {
		{ "", TV_ERR_MANIFEST_INVALID, "bilingual text: empty" },
		{ "   ", TV_ERR_MANIFEST_INVALID, "bilingual text: empty" },
		{ "|Ydw", TV_ERR_MANIFEST_INVALID, "no English before the '|'" },
		{ " | Ydw", TV_ERR_MANIFEST_INVALID, "no English before the '|'" },
		{ "Yes|Ydw|Oui", TV_ERR_MANIFEST_INVALID, "more than one '|'" },
		{ "Yes|Yd\xe9", TV_ERR_UTF8, "bilingual text, Welsh part" },
		{ "Y\x1b" "es|Ydw", TV_ERR_UTF8,
		  "bilingual text, English part: control character" },
		{ "Yes\t|Ydw", TV_ERR_UTF8, "English part" },
		{ "Yes|Ydw\xe2\x80\x8b", TV_ERR_UTF8,
		  "bilingual text, Welsh part: invisible or formatting character U+200B" },
	};
	tv_ctx *ctx = test_ctx_new();
	char *en, *cy;
	(void)state;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_ok(ctx, tv_text_parse(ctx, &en, &cy, good[i].text));
		assert_string_equal(en, good[i].en);
		assert_string_equal(cy, good[i].cy);
		tv_free(ctx, en);
		tv_free(ctx, cy);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		en = cy = (char *)"set";
		if (tv_text_parse(ctx, &en, &cy, bad[i].text) != bad[i].status ||
		    strstr(tv_ctx_last_error(ctx), bad[i].names) == NULL)
			fail_msg("case %zu: got \"%s\", want %s naming \"%s\"", i,
			         tv_ctx_last_error(ctx), tv_status_str(bad[i].status), bad[i].names);
		assert_null(en);
		assert_null(cy);
	}
	assert_status(ctx, tv_text_parse(ctx, &en, NULL, "x"), TV_ERR_INVALID_ARGUMENT);
	assert_null(en);
	tv_ctx_free(ctx);
}

/* ---- allocation failures ---- */

static void survives_each_allocation_failure(void **state)
{
	tv_ctx *setup = test_ctx_new();
	tv_manifest_options o = welsh_options();
	tv_manifest *ref = NULL;
	char *json = NULL;
	size_t len;
	long n, count;
	(void)state;

	assert_ok(setup, tv_manifest_new(setup, &ref, &o));
	assert_ok(setup, tv_manifest_to_json(setup, &json, &len, ref));
	for (int which = 0; which < 4; which++) {
		long failures = 0;

		for (n = 1;; n++) {
			/* the context takes the first allocation */
			tv_ctx *ctx = test_ctx_new_failing(n, &count);
			tv_manifest *m = NULL;
			char *out = NULL, *en = NULL, *cy = NULL;
			tv_status st = TV_OK;

			assert_non_null(ctx);
			switch (which) {
			case 0: st = tv_manifest_new(ctx, &m, &o); break;
			case 1: st = tv_manifest_from_json(ctx, &m, json, len); break;
			case 2: st = tv_manifest_to_json(ctx, &out, NULL, ref); break;
			case 3: st = tv_text_parse(ctx, &en, &cy, "Yes|Ydw"); break;
			}
			tv_manifest_free(m);
			tv_free(ctx, out);
			tv_free(ctx, en);
			tv_free(ctx, cy);
			tv_ctx_free(ctx);
			if (st == TV_OK)
				break;
			assert_int_equal(st, TV_ERR_NOMEM);
			failures++;
			assert_true(n < 100);
		}
		assert_true(failures >= 1);
	}
	tv_free(setup, json);
	tv_manifest_free(ref);
	tv_ctx_free(setup);
}

/* ---- contact details, format 2 (SPEC §9.2.1, §9.7.3) ---- */

static tv_contact vector_contact(void)
{
	tv_contact c = {
		"Returning Officer", "Civic Centre, Example Street, Exampletown EX1 1AA",
		"01234 567890", "ballot@example.org", "https://vote.example.org/",
		"0800 123 4567", "https://board.example.org/2027/",
	};

	return c;
}

static const char contact_fingerprint_hex[] =
	"bac7af7336ed4a93d13f961c11f74c417414e0d6fa5cfee64d5a4754fa659b70";

static void contact_details(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = vector_options();
	tv_contact c = vector_contact(), got;
	tv_manifest *m = NULL, *back = NULL, *plain = NULL;
	uint8_t fp[32], fp_back[32], fp_plain[32];
	char hex[65], *json = NULL, *plain_json = NULL;
	size_t len;

	(void)state;
	assert_ok(ctx, tv_manifest_new_contact(ctx, &m, &o, &c, TV_LETTERS_BILINGUAL));
	tv_manifest_fingerprint(fp, m);
	hex_of(hex, fp, 32);
	assert_string_equal(hex, contact_fingerprint_hex);
	got = tv_manifest_contact(m);
	assert_string_equal(got.board_url, c.board_url);
	assert_string_equal(got.officer, c.officer);
	assert_int_equal(tv_manifest_letters(m), TV_LETTERS_BILINGUAL);
	/* JSON format 2 round-trips to the same fingerprint */
	assert_ok(ctx, tv_manifest_to_json(ctx, &json, &len, m));
	assert_non_null(strstr(json, "\"format\": \"tenantvote-manifest/2\""));
	assert_non_null(strstr(json, "\"letters\": \"bilingual\""));
	assert_ok(ctx, tv_manifest_from_json(ctx, &back, json, len));
	tv_manifest_fingerprint(fp_back, back);
	assert_memory_equal(fp, fp_back, 32);
	/* without contact details: format 1, its own fingerprint, "" details */
	assert_ok(ctx, tv_manifest_new(ctx, &plain, &o));
	tv_manifest_fingerprint(fp_plain, plain);
	hex_of(hex, fp_plain, 32);
	assert_string_equal(hex, vector_fingerprint_hex);
	assert_string_equal(tv_manifest_contact(plain).board_url, "");
	assert_int_equal(tv_manifest_letters(plain), TV_LETTERS_REGISTER);
	assert_ok(ctx, tv_manifest_to_json(ctx, &plain_json, &len, plain));
	assert_null(strstr(plain_json, "contact"));
	/* every detail is in the fingerprint: pointing tenants elsewhere shows */
	for (int field = 0; field < 8; field++) {
		tv_contact d = vector_contact();
		tv_letters letters = TV_LETTERS_BILINGUAL;
		const char **s[] = { &d.officer, &d.address, &d.phone, &d.email, &d.vote_url,
		                     &d.vote_phone, &d.board_url };
		tv_manifest *x = NULL;
		uint8_t fx[32];

		if (field < 7)
			*s[field] = field == 2 || field == 5 ? "01234 567891" :
			            field == 3 ? "other@example.org" :
			            field == 4 || field == 6 ? "https://elsewhere.example/" : "Someone else";
		else
			letters = TV_LETTERS_REGISTER;
		assert_ok(ctx, tv_manifest_new_contact(ctx, &x, &o, &d, letters));
		tv_manifest_fingerprint(fx, x);
		assert_memory_not_equal(fx, fp, 32);
		tv_manifest_free(x);
	}
	tv_free(ctx, json);
	tv_free(ctx, plain_json);
	tv_manifest_free(m);
	tv_manifest_free(back);
	tv_manifest_free(plain);
	tv_ctx_free(ctx);
}

/* SPEC §9.2.2, §9.7.4: the offer document's hash, format 3 */
static const char offer_fingerprint_hex[] =
	"17a325d50ee471c6d1451d60023c8812cdd0191f06889420cc5d54c738d25fb6";

static tv_offer vector_offer(void)
{
	tv_offer of;

	memset(&of, 0, sizeof(of));
	/* SHA-256("abc") */
	assert_int_equal(EVP_Digest("abc", 3, of.sha256, NULL, EVP_sha256(), NULL), 1);
	of.url = "https://council.example.org/offer.pdf";
	of.url_cy = "";
	return of;
}

static void offer_document(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = vector_options(), w = welsh_options();
	tv_contact c = vector_contact();
	tv_offer of = vector_offer(), got;
	tv_manifest *m = NULL, *back = NULL, *plain = NULL;
	uint8_t fp[32], fp_back[32];
	char hex[65], *json = NULL, *again = NULL;
	size_t len, len2;
	(void)state;

	assert_ok(ctx, tv_manifest_new_offer(ctx, &m, &o, &c, TV_LETTERS_BILINGUAL, &of));
	tv_manifest_fingerprint(fp, m);
	hex_of(hex, fp, 32);
	assert_string_equal(hex, offer_fingerprint_hex);
	assert_int_equal(tv_manifest_offer(m, &got), 1);
	assert_memory_equal(got.sha256, of.sha256, 32);
	assert_int_equal(got.has_cy, 0);
	assert_string_equal(got.url, of.url);
	assert_string_equal(got.url_cy, "");
	assert_string_equal(tv_manifest_contact(m).officer, c.officer);
	/* JSON format 3 round-trips to the same fingerprint and the same bytes */
	assert_ok(ctx, tv_manifest_to_json(ctx, &json, &len, m));
	assert_non_null(strstr(json, "\"format\": \"tenantvote-manifest/3\""));
	assert_non_null(strstr(json, "\"offer\": {\n    \"sha256\": "
	                             "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\n"
	                             "    \"sha256_cy\": \"\",\n"
	                             "    \"url\": \"https://council.example.org/offer.pdf\",\n"
	                             "    \"url_cy\": \"\"\n  }\n}\n"));
	assert_ok(ctx, tv_manifest_from_json(ctx, &back, json, len));
	tv_manifest_fingerprint(fp_back, back);
	assert_memory_equal(fp, fp_back, 32);
	assert_ok(ctx, tv_manifest_to_json(ctx, &again, &len2, back));
	assert_string_equal(again, json);
	tv_free(ctx, again);
	again = NULL;
	tv_manifest_free(back);
	back = NULL;
	/* a manifest without one says so; earlier formats are unchanged */
	assert_ok(ctx, tv_manifest_new_contact(ctx, &plain, &o, &c, TV_LETTERS_BILINGUAL));
	assert_int_equal(tv_manifest_offer(plain, &got), 0);
	assert_string_equal(got.url, "");
	assert_int_equal(tv_manifest_offer(NULL, NULL), 0);
	tv_manifest_fingerprint(fp_back, plain);
	hex_of(hex, fp_back, 32);
	assert_string_equal(hex, contact_fingerprint_hex);
	tv_manifest_free(plain);
	/* every field of the offer is in the fingerprint */
	for (int field = 0; field < 4; field++) {
		tv_offer d = vector_offer();
		tv_manifest *x = NULL;
		uint8_t fx[32];

		if (field == 0)
			d.sha256[31] ^= 1;
		else if (field == 1)
			d.url = "https://council.example.org/other.pdf";
		else if (field == 2)
			d.url = "";
		if (field == 3) {
			/* a Welsh document, in a bilingual manifest */
			tv_offer e = vector_offer();
			uint8_t fy[32];

			e.has_cy = 1;
			assert_ok(ctx, tv_manifest_new_offer(ctx, &x, &w, &c, TV_LETTERS_BILINGUAL, &e));
			tv_manifest_fingerprint(fx, x);
			tv_manifest_free(x);
			e.sha256_cy[0] = 1;
			e.url_cy = "https://council.example.org/cynnig.pdf";
			assert_ok(ctx, tv_manifest_new_offer(ctx, &x, &w, &c, TV_LETTERS_BILINGUAL, &e));
			tv_manifest_fingerprint(fy, x);
			assert_memory_not_equal(fx, fy, 32);
			assert_ok(ctx, tv_manifest_to_json(ctx, &again, &len2, x));
			assert_non_null(strstr(again, "\"sha256_cy\": \"0100000000"));
			tv_manifest_free(x);
			assert_ok(ctx, tv_manifest_from_json(ctx, &x, again, len2));
			tv_manifest_fingerprint(fx, x);
			assert_memory_equal(fx, fy, 32);
			tv_free(ctx, again);
			again = NULL;
		} else {
			assert_ok(ctx, tv_manifest_new_offer(ctx, &x, &o, &c, TV_LETTERS_BILINGUAL, &d));
			tv_manifest_fingerprint(fx, x);
			assert_memory_not_equal(fx, fp, 32);
		}
		tv_manifest_free(x);
	}
	tv_free(ctx, json);
	tv_free(ctx, again);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
}

static void offer_document_refused(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = vector_options();
	tv_contact c = vector_contact();
	tv_offer of = vector_offer();
	tv_manifest *m = NULL, *good = NULL;
	char *json = NULL, *bad;
	size_t len;
	static const struct {
		const char *from, *to, *message;
	} edits[] = {
		{ "\"sha256\": \"ba", "\"sha256\": \"BA",
		  "manifest: offer.sha256: is not a SHA-256 in 64 lower-case hex digits" },
		{ "\"sha256\": \"ba7816bf", "\"sha256\": \"", "offer.sha256: is not a SHA-256" },
		{ "\"sha256_cy\": \"\"", "\"sha256_cy\": \"00\"",
		  "offer.sha256_cy: is not a SHA-256 in 64 lower-case hex digits (or \"\" for none)" },
		{ "\"url_cy\": \"\"", "\"url_cy\": 5", "offer.url_cy: must be a string" },
		{ ".pdf\",\n    \"url_cy\": \"\"", ".pdf\"", "offer.url_cy: is missing" },
		{ "\"url\": \"https", "\"url\": \"ftp", "offer.url: must start with https://" },
		{ "tenantvote-manifest/3", "tenantvote-manifest/2", "has an unknown field \"offer\"" },
	};
	(void)state;

	of.url = "https://council.example.org/offer.pdf#page=2";
	assert_status(ctx, tv_manifest_new_offer(ctx, &m, &o, &c, TV_LETTERS_REGISTER, &of),
	              TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "offer.url: must not hold '#'");
	of = vector_offer();
	of.has_cy = 1;
	assert_status(ctx, tv_manifest_new_offer(ctx, &m, &o, &c, TV_LETTERS_REGISTER, &of),
	              TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "offer.sha256_cy: given but the manifest has no Welsh texts");
	of = vector_offer();
	of.url_cy = "https://council.example.org/cynnig.pdf";
	assert_status(ctx, tv_manifest_new_offer(ctx, &m, &o, &c, TV_LETTERS_REGISTER, &of),
	              TV_ERR_MANIFEST_INVALID);
	assert_message_has(ctx, "offer.url_cy: given but there is no Welsh offer document");
	assert_null(m);
	assert_status(ctx, tv_manifest_new_offer(ctx, &m, &o, &c, TV_LETTERS_REGISTER, NULL),
	              TV_ERR_INVALID_ARGUMENT);

	of = vector_offer();
	assert_ok(ctx, tv_manifest_new_offer(ctx, &good, &o, &c, TV_LETTERS_REGISTER, &of));
	assert_ok(ctx, tv_manifest_to_json(ctx, &json, &len, good));
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		const char *at = strstr(json, edits[i].from);
		size_t head;

		assert_non_null(at);
		head = (size_t)(at - json);
		bad = malloc(len + 64);
		assert_non_null(bad);
		memcpy(bad, json, head);
		strcpy(bad + head, edits[i].to);
		strcat(bad, at + strlen(edits[i].from));
		m = (tv_manifest *)&o;
		if (tv_manifest_from_json(ctx, &m, bad, strlen(bad)) != TV_ERR_MANIFEST_INVALID ||
		    strstr(tv_ctx_last_error(ctx), edits[i].message) == NULL)
			fail_msg("edit %zu: \"%s\"", i, tv_ctx_last_error(ctx));
		assert_null(m);
		free(bad);
	}
	tv_free(ctx, json);
	tv_manifest_free(good);
	tv_ctx_free(ctx);
}

static void contact_details_refused(void **state)
{
	static const struct {
		int field;
		const char *value;
		const char *message;
	} cases[] = {
		{ 0, "", "contact.officer: missing or empty" },
		{ 1, "", "contact.address: missing or empty" },
		{ 2, "01234 5678x0", "contact.phone: has a character other than digits" },
		{ 2, "+-", "contact.phone: is not a telephone number" },
		{ 3, "ballot.example.org", "contact.email: is not an e-mail address" },
		{ 3, "a@b@c", "contact.email: is not an e-mail address" },
		{ 3, "ballot @example.org", "contact.email: has a space" },
		{ 4, "ftp://vote.example.org/", "contact.vote_url: must start with https://" },
		{ 4, "https://vote.example.org/#x", "contact.vote_url: must not hold '#'" },
		{ 5, "0800 123 4567 ext 9", "contact.vote_phone: has a character other than digits" },
		{ 6, "https://board.example.org/2027", "contact.board_url: must end with '/'" },
		{ 6, "https://board.example.org/a b/", "contact.board_url: has a space" },
	};
	tv_ctx *ctx = test_ctx_new();
	tv_manifest_options o = vector_options();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tv_contact d = vector_contact();
		const char **s[] = { &d.officer, &d.address, &d.phone, &d.email, &d.vote_url,
		                     &d.vote_phone, &d.board_url };
		tv_manifest *x = NULL;

		*s[cases[i].field] = cases[i].value;
		assert_status(ctx, tv_manifest_new_contact(ctx, &x, &o, &d, TV_LETTERS_REGISTER),
		              TV_ERR_MANIFEST_INVALID);
		assert_message_has(ctx, cases[i].message);
		assert_null(x);
	}
	{
		tv_contact d = vector_contact();
		tv_manifest *x = NULL;

		assert_status(ctx, tv_manifest_new_contact(ctx, &x, &o, &d, (tv_letters)3),
		              TV_ERR_MANIFEST_INVALID);
		assert_message_has(ctx, "letters:");
		assert_status(ctx, tv_manifest_new_contact(ctx, &x, &o, NULL, TV_LETTERS_REGISTER),
		              TV_ERR_INVALID_ARGUMENT);
	}
	/* format 1 knows no contact details; format 2 needs all of them */
	{
		static const char *const bad[][2] = {
			{ "\"format\": \"tenantvote-manifest/1\"", "has an unknown field \"contact\"" },
			{ "\"board_url\": \"https://board.example.org/2027/\"",
			  "contact.board_url: is missing" },
			{ "\"letters\": \"bilingual\"", "letters: is missing" },
		};
		tv_contact d = vector_contact();
		tv_manifest *m = NULL;
		char *json = NULL;
		size_t len;

		assert_ok(ctx, tv_manifest_new_contact(ctx, &m, &o, &d, TV_LETTERS_BILINGUAL));
		assert_ok(ctx, tv_manifest_to_json(ctx, &json, &len, m));
		for (size_t i = 0; i < 3; i++) {
			char *text = malloc(len + 1), *at;

			assert_non_null(text);
			memcpy(text, json, len + 1);
			at = strstr(text, i == 0 ? "\"format\"" : bad[i][0]);
			tv_manifest *x = NULL;

			assert_non_null(at);
			if (i == 0) {
				memcpy(strstr(at, "/2"), "/1", 2);
			} else {
				/* the member goes, with its comma (it is not the last) */
				char *end = strchr(at, '\n');

				if (end[-1] != ',') { /* the last member: drop the comma before it */
					char *comma = at;

					while (*comma != ',')
						comma--;
					*comma = ' ';
				}
				memset(at, ' ', (size_t)(end - at));
			}
			assert_status(ctx, tv_manifest_from_json(ctx, &x, text, strlen(text)),
			              TV_ERR_MANIFEST_INVALID);
			assert_message_has(ctx, bad[i][1]);
			free(text);
		}
		tv_free(ctx, json);
		tv_manifest_free(m);
	}
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builds_from_options),
		cmocka_unit_test(null_arguments),
		cmocka_unit_test(fingerprint_test_vector),
		cmocka_unit_test(fingerprint_covers_every_field),
		cmocka_unit_test(example_file),
		cmocka_unit_test(json_round_trips),
		cmocka_unit_test(json_layout),
		cmocka_unit_test(welsh_is_byte_exact),
		cmocka_unit_test(refuses_each_invalid_field),
		cmocka_unit_test(accepts_the_limits),
		cmocka_unit_test(refuses_bad_json_fields),
		cmocka_unit_test(refuses_bad_json_text),
		cmocka_unit_test(times_rfc3339),
		cmocka_unit_test(percentages),
		cmocka_unit_test(names_of_rules_revotes_channels),
		cmocka_unit_test(bilingual_text),
		cmocka_unit_test(invisible_table_is_unicode_15),
		cmocka_unit_test(offer_document),
		cmocka_unit_test(offer_document_refused),
		cmocka_unit_test(labels_compare_under_nfc),
		cmocka_unit_test(survives_each_allocation_failure),
		cmocka_unit_test(contact_details),
		cmocka_unit_test(contact_details_refused),
	};

	(void)test_seed();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
