/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §10: the tenant register, read from the council's CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "election_internal.h"

#define HEADER "tenancy_ref,name,address,tenancy_type\n"
#define HEADER_EX "tenancy_ref,name,address,tenancy_type,email,phone,language\n"

/* ---- problems reported through the callback ---- */

#define SEEN_MAX (TV_REGISTER_PROBLEMS_MAX + 1)

typedef struct seen {
	size_t n;
	uint32_t line[SEEN_MAX];
	char message[SEEN_MAX][600];
} seen;

static seen problems;

static void collect(uint32_t line, const char *message, void *payload)
{
	seen *s = payload;

	assert_true(s->n < SEEN_MAX);
	s->line[s->n] = line;
	snprintf(s->message[s->n], sizeof(s->message[s->n]), "%s", message);
	s->n++;
}

static tv_status parse(tv_ctx *ctx, tv_register **out, const char *csv)
{
	memset(&problems, 0, sizeof(problems));
	return tv_register_parse(ctx, out, (const uint8_t *)csv, strlen(csv),
	                         "register.csv", collect, &problems);
}

static tv_register *parse_ok(tv_ctx *ctx, const char *csv)
{
	tv_register *reg = NULL;

	assert_ok(ctx, parse(ctx, &reg, csv));
	assert_non_null(reg);
	assert_int_equal(problems.n, 0);
	return reg;
}

static tv_tenant tenant_at(const tv_register *reg, size_t i)
{
	tv_tenant t;

	memset(&t, 0, sizeof(t));
	assert_int_equal(tv_register_tenant(&t, reg, i), TV_OK);
	return t;
}

static void assert_contains(const char *text, const char *part)
{
	if (strstr(text, part) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", text, part);
}

/*
 * Parse @p csv expecting it refused: no register, TV_ERR_REGISTER_INVALID,
 * @p count problems, and the context's message giving the count and the
 * first problem with its line.
 */
static void expect_refused(const char *csv, size_t count)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = (tv_register *)&reg; /* not NULL: must be reset */
	char want[64];

	assert_status(ctx, parse(ctx, &reg, csv), TV_ERR_REGISTER_INVALID);
	assert_null(reg);
	assert_int_equal(tv_ctx_last_status(ctx), TV_ERR_REGISTER_INVALID);
	if (problems.n != count) {
		for (size_t i = 0; i < problems.n; i++)
			print_message("problem %zu: line %u: %s\n", i, (unsigned)problems.line[i],
			              problems.message[i]);
		fail_msg("%zu problems, want %zu", problems.n, count);
	}
	snprintf(want, sizeof(want), "register.csv: %zu problem%s; line %u: ", count,
	         count == 1 ? "" : "s", (unsigned)problems.line[0]);
	assert_contains(tv_ctx_last_error(ctx), want);
	assert_contains(tv_ctx_last_error(ctx), problems.message[0]);
	tv_ctx_free(ctx);
}

/* problem @p i is on @p line and its message contains @p a and @p b */
static void expect_problem(size_t i, uint32_t line, const char *a, const char *b)
{
	assert_true(i < problems.n);
	if (problems.line[i] != line)
		fail_msg("problem %zu (%s) on line %u, want %u", i, problems.message[i],
		         (unsigned)problems.line[i], (unsigned)line);
	assert_contains(problems.message[i], a);
	if (b != NULL)
		assert_contains(problems.message[i], b);
}

/* ---- accepted registers ---- */

static void parses_columns_in_any_order(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx,
		"address,tenancy_type,name,email,tenancy_ref,language,phone\n"
		"1 High Street,secure,Alice Jones,alice@example.org,H001,en,01970 111111\n"
		"2 High Street,introductory,Bob Price,,H002,,\n"
		"3 High Street,secure,Carys Huws,,H003,cy,01970 333333\n");
	tv_tenant t;
	(void)state;

	assert_int_equal(tv_register_count(reg), 3);
	t = tenant_at(reg, 0);
	assert_string_equal(t.tenancy_ref, "H001");
	assert_string_equal(t.name, "Alice Jones");
	assert_string_equal(t.address, "1 High Street");
	assert_int_equal(t.tenancy_type, TV_TENANCY_SECURE);
	assert_string_equal(t.email, "alice@example.org");
	assert_string_equal(t.phone, "01970 111111");
	assert_string_equal(t.language, "en");
	assert_int_equal(t.line, 2);
	t = tenant_at(reg, 1);
	assert_string_equal(t.tenancy_ref, "H002");
	assert_int_equal(t.tenancy_type, TV_TENANCY_INTRODUCTORY);
	assert_string_equal(t.email, "");
	assert_string_equal(t.phone, "");
	assert_string_equal(t.language, "en"); /* empty means en */
	assert_int_equal(t.line, 3);
	t = tenant_at(reg, 2);
	assert_string_equal(t.name, "Carys Huws");
	assert_string_equal(t.language, "cy");
	assert_int_equal(t.line, 4);
	tv_register_free(reg);
	tv_ctx_free(ctx);
}

static void optional_columns_may_be_absent(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx, HEADER "H1,Ann,1 Road,secure\n");
	tv_tenant t = tenant_at(reg, 0);
	(void)state;

	assert_string_equal(t.email, "");
	assert_string_equal(t.phone, "");
	assert_string_equal(t.language, "en");
	tv_register_free(reg);
	tv_ctx_free(ctx);
}

static void header_names_trimmed_and_case_insensitive(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx,
		" Tenancy_Ref ,NAME,\"Address \", tenancy_TYPE,Language\n"
		"H1,Ann,1 Road,SECURE,English\n"
		"H2,Bet,2 Road,Introductory,WELSH\n"
		"H3,Cai,3 Road,secure,Cymraeg\n"
		"H4,Dai,4 Road,secure,CY\n"
		"H5,Eli,5 Road,secure,EN\n");
	(void)state;

	assert_int_equal(tv_register_count(reg), 5);
	assert_int_equal(tenant_at(reg, 0).tenancy_type, TV_TENANCY_SECURE);
	assert_string_equal(tenant_at(reg, 0).language, "en");
	assert_int_equal(tenant_at(reg, 1).tenancy_type, TV_TENANCY_INTRODUCTORY);
	assert_string_equal(tenant_at(reg, 1).language, "cy");
	assert_string_equal(tenant_at(reg, 2).language, "cy");
	assert_string_equal(tenant_at(reg, 3).language, "cy");
	assert_string_equal(tenant_at(reg, 4).language, "en");
	tv_register_free(reg);
	tv_ctx_free(ctx);
}

static void fields_are_trimmed(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx,
		"tenancy_ref,name,address,tenancy_type,email\n"
		"  H1  ,  Ann Lewis ,\"  1 Road  \" ,  secure  ,\" a@b.example \"\n");
	tv_tenant t = tenant_at(reg, 0);
	(void)state;

	assert_string_equal(t.tenancy_ref, "H1");
	assert_string_equal(t.name, "Ann Lewis");
	assert_string_equal(t.address, "1 Road");
	assert_string_equal(t.email, "a@b.example");
	tv_register_free(reg);
	tv_ctx_free(ctx);
}

static void skips_byte_order_mark(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx, "\xef\xbb\xbf" HEADER "H1,Ann,1 Road,secure\n");
	tv_tenant t = tenant_at(reg, 0);
	(void)state;

	assert_string_equal(t.tenancy_ref, "H1");
	assert_int_equal(t.line, 2);
	tv_register_free(reg);
	tv_ctx_free(ctx);
}

static void accepts_crlf_and_cr_line_ends(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx,
		"tenancy_ref,name,address,tenancy_type\r\n"
		"H1,Ann,1 Road,secure\r\n"
		"H2,Bet,\"2 Road\r\nTown\",secure\r\n"
		"H3,Cai,3 Road,secure\r\n");
	(void)state;

	assert_int_equal(tv_register_count(reg), 3);
	assert_string_equal(tenant_at(reg, 0).address, "1 Road");
	assert_string_equal(tenant_at(reg, 0).tenancy_type == TV_TENANCY_SECURE ? "ok" : "",
	                    "ok");
	assert_string_equal(tenant_at(reg, 1).address, "2 Road, Town");
	assert_int_equal(tenant_at(reg, 1).line, 3);
	assert_int_equal(tenant_at(reg, 2).line, 5);
	tv_register_free(reg);

	/* old Mac line ends: a lone CR ends a line too */
	reg = parse_ok(ctx, "tenancy_ref,name,address,tenancy_type\rH1,Ann,1 Road,secure\r"
	                    "H2,Bet,2 Road,secure");
	assert_int_equal(tv_register_count(reg), 2);
	assert_int_equal(tenant_at(reg, 1).line, 3);
	assert_string_equal(tenant_at(reg, 1).tenancy_ref, "H2");
	tv_register_free(reg);
	tv_ctx_free(ctx);
}

static void quoted_commas_and_newlines(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx,
		HEADER
		"H1,\"Jones, Ann\",\"Flat 1, 2 Road\",secure\n"      /* line 2 */
		"H2,Bet,\"Flat 2\n2 Road\nTown\",secure\n"          /* lines 3-5 */
		"\n"                                                /* line 6 */
		"H3,\"Cai \"\"Bach\"\" Evans\",\"\n3 Road,\n\n  Town\n\",secure\n" /* 7-11 */
		"H4,Dai,4 Road,secure\n");                          /* line 12 */
	(void)state;

	assert_int_equal(tv_register_count(reg), 4);
	assert_string_equal(tenant_at(reg, 0).name, "Jones, Ann");
	assert_string_equal(tenant_at(reg, 0).address, "Flat 1, 2 Road");
	assert_int_equal(tenant_at(reg, 0).line, 2);
	assert_string_equal(tenant_at(reg, 1).address, "Flat 2, 2 Road, Town");
	assert_int_equal(tenant_at(reg, 1).line, 3);
	assert_string_equal(tenant_at(reg, 2).name, "Cai \"Bach\" Evans");
	/* after a comma a line break becomes one space; breaks at the ends go */
	assert_string_equal(tenant_at(reg, 2).address, "3 Road, Town");
	assert_int_equal(tenant_at(reg, 2).line, 7);
	assert_int_equal(tenant_at(reg, 3).line, 12);
	tv_register_free(reg);

	/* and a problem after them is reported on its own line */
	reg = (tv_register *)&reg;
	assert_status(ctx, parse(ctx, &reg,
		HEADER "H1,Bet,\"Flat 2\r\n2 Road\r\nTown\",secure\r\n\r\nH2,,2 Road,secure\r\n"),
		TV_ERR_REGISTER_INVALID);
	assert_null(reg);
	assert_int_equal(problems.n, 1);
	expect_problem(0, 6, "name is empty", NULL);
	tv_ctx_free(ctx);
}

static void welsh_text_kept_byte_for_byte(void **state)
{
	static const char name[] = "Si\xc3\xa2n Ellis-J\xc3\xb4ns";              /* Siân Ellis-Jôns */
	static const char address[] = "T\xc5\xb7 Coch, Heol yr Ysgol, Llanfair"; /* Tŷ Coch */
	static const char name2[] = "Gwenllian ap Rhys \xe2\x80\x99Ŵyn";
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx,
		"tenancy_ref,name,address,tenancy_type,language\n"
		"W1,Si\xc3\xa2n Ellis-J\xc3\xb4ns,\"T\xc5\xb7 Coch, Heol yr Ysgol, Llanfair\",secure,Cymraeg\n"
		"W1,\"Gwenllian ap Rhys \xe2\x80\x99Ŵyn\",\"T\xc5\xb7 Coch\nHeol yr Ysgol\nLlanfair\",secure,cy\n");
	tv_tenant t = tenant_at(reg, 0);
	(void)state;

	assert_int_equal(strlen(t.name), sizeof(name) - 1);
	assert_memory_equal(t.name, name, sizeof(name));
	assert_memory_equal(t.address, address, sizeof(address));
	assert_string_equal(t.language, "cy");
	t = tenant_at(reg, 1);
	assert_memory_equal(t.name, name2, sizeof(name2));
	assert_memory_equal(t.address, address, sizeof(address));
	tv_register_free(reg);
	tv_ctx_free(ctx);
}

static void joint_tenants_each_vote(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx,
		HEADER
		"J7,Ann Lewis,7 Road,secure\n"
		"J7,Huw Lewis,7 Road,secure\n"
		"J8,Ann Lewis,8 Road,secure\n"); /* same name, another tenancy */
	(void)state;

	assert_int_equal(tv_register_count(reg), 3);
	assert_string_equal(tenant_at(reg, 0).tenancy_ref, "J7");
	assert_string_equal(tenant_at(reg, 1).tenancy_ref, "J7");
	assert_string_equal(tenant_at(reg, 1).name, "Huw Lewis");
	tv_register_free(reg);
	tv_ctx_free(ctx);
}

static void blank_lines_and_no_final_newline(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = parse_ok(ctx, "\n  \n" HEADER "\n\nH1,Ann,1 Road,secure\n \nH2,Bet,2 Road,secure");
	(void)state;

	assert_int_equal(tv_register_count(reg), 2);
	assert_int_equal(tenant_at(reg, 0).line, 6);
	assert_int_equal(tenant_at(reg, 1).line, 8);
	tv_register_free(reg);
	tv_ctx_free(ctx);
}

static void field_of_exactly_the_limit(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	char *csv = test_malloc(TV_REGISTER_FIELD_MAX + 100);
	tv_register *reg;
	int n;
	(void)state;

	n = snprintf(csv, 64, "%s", HEADER "H1,Ann,");
	memset(csv + n, 'a', TV_REGISTER_FIELD_MAX);
	strcpy(csv + n + TV_REGISTER_FIELD_MAX, ",secure\n");
	reg = parse_ok(ctx, csv);
	assert_int_equal(strlen(tenant_at(reg, 0).address), TV_REGISTER_FIELD_MAX);
	tv_register_free(reg);
	test_free(csv);
	tv_ctx_free(ctx);
}

/* ---- problems, each with its line and column ---- */

static void empty_required_field(void **state)
{
	(void)state;
	expect_refused(HEADER "H1,Ann,1 Road,secure\nH2,,2 Road,secure\n", 1);
	expect_problem(0, 3, "name is empty", NULL);
	expect_refused(HEADER "H1,Ann,\"   \",secure\n", 1);
	expect_problem(0, 2, "address is empty", NULL);
	expect_refused(HEADER ",Ann,1 Road,\n", 2);
	expect_problem(0, 2, "tenancy_ref is empty", NULL);
	expect_problem(1, 2, "tenancy_type is empty", NULL);
}

static void unknown_tenancy_type(void **state)
{
	(void)state;
	expect_refused(HEADER "H1,Ann,1 Road,secure\nH2,Bet,2 Road,weekly\n", 1);
	expect_problem(0, 3, "tenancy_type \"weekly\"", "allowed: secure, introductory");
}

static void unknown_language(void **state)
{
	(void)state;
	expect_refused("tenancy_ref,name,address,tenancy_type,language\n"
	               "H1,Ann,1 Road,secure,fr\n", 1);
	expect_problem(0, 2, "language \"fr\"", "allowed: en, cy, English, Welsh, Cymraeg");
}

static void same_person_twice(void **state)
{
	(void)state;
	expect_refused(HEADER
	               "H1,Ann Lewis,1 Road,secure\n"          /* 2 */
	               "H2,Bet Price,2 Road,secure\n"          /* 3 */
	               "h1,ann   LEWIS,1 Road,introductory\n"  /* 4: same as 2 */
	               "H2,Bet Price,\"2\nRoad\",secure\n"     /* 5: same as 3 */
	               "H1,Ann  Lewis,1 Road,secure\n",        /* 7: same as 2 */
	               3);
	expect_problem(0, 4, "same person as on line 2", "name \"ann   LEWIS\"");
	expect_problem(1, 5, "same person as on line 3", "tenancy_ref \"H2\"");
	expect_problem(2, 7, "same person as on line 2", NULL);
}

static void invalid_utf8_and_control_characters(void **state)
{
	(void)state;
	expect_refused(HEADER "H1,Ann \xff,1 Road,secure\n", 1);
	expect_problem(0, 2, "name", "UTF-8");
	expect_refused(HEADER "H1,\"Ann\tLewis\",1 Road,secure\n", 1);
	expect_problem(0, 2, "name", "control character 0x09");
	expect_refused(HEADER "H1,\"Ann\nLewis\",1 Road,secure\nH2,Bet,2 Road,secure\n", 1);
	expect_problem(0, 2, "name", "control character 0x0a");
	expect_refused("tenancy_ref,name,address,tenancy_type,email\n"
	               "H1,Ann,1 Road,secure,\"a\x01@b\"\n", 1);
	expect_problem(0, 2, "email", "control character 0x01");
	expect_refused(HEADER "H1,Ann,\"1 Ro\xc0\xaf" "d\",secure\n", 1);
	expect_problem(0, 2, "address", "UTF-8");
}

static void wrong_number_of_fields(void **state)
{
	(void)state;
	expect_refused(HEADER "H1,Ann,1 Road\nH2,Bet,2 Road,secure,extra\n", 2);
	expect_problem(0, 2, "the row has 3 fields; the header has 4", NULL);
	expect_problem(1, 3, "the row has 5 fields; the header has 4", NULL);
}

static void field_over_the_limit(void **state)
{
	char *csv = test_malloc(TV_REGISTER_FIELD_MAX + 100);
	int n;
	(void)state;

	n = snprintf(csv, 64, "%s", HEADER "H1,Ann,1 Road,secure\nH2,");
	memset(csv + n, 'b', TV_REGISTER_FIELD_MAX + 1);
	strcpy(csv + n + TV_REGISTER_FIELD_MAX + 1, ",2 Road,secure\n");
	expect_refused(csv, 1);
	expect_problem(0, 3, "name is 1025 bytes long", "limit is 1024");
	test_free(csv);
}

static void too_many_rows(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = NULL;
	const char *csv = HEADER "H1,A,1,secure\nH2,B,2,secure\nH3,C,3,secure\nH4,D,4,secure\n";
	(void)state;

	memset(&problems, 0, sizeof(problems));
	assert_ok(ctx, tv__register_parse_limited(ctx, &reg, (const uint8_t *)csv, strlen(csv),
	                                          "r.csv", collect, &problems, 4));
	tv_register_free(reg);
	assert_status(ctx, tv__register_parse_limited(ctx, &reg, (const uint8_t *)csv,
	                                              strlen(csv), "r.csv", collect,
	                                              &problems, 3),
	              TV_ERR_REGISTER_INVALID);
	assert_null(reg);
	assert_int_equal(problems.n, 1);
	expect_problem(0, 5, "more than 3 tenant rows", "limit is 3");

	/* counted with its problems; the limit is what is said of the last */
	csv = HEADER "H1,,1,secure\nH2,B\"x,2,secure\nH3,C,3,x\nH4,\"D\"x,4,secure\nH5,E,5,secure\n";
	memset(&problems, 0, sizeof(problems));
	assert_status(ctx, tv__register_parse_limited(ctx, &reg, (const uint8_t *)csv,
	                                              strlen(csv), "r.csv", collect,
	                                              &problems, 3),
	              TV_ERR_REGISTER_INVALID);
	assert_int_equal(problems.n, 4);
	expect_problem(0, 2, "name is empty", NULL);
	expect_problem(1, 3, "name: stray quote", NULL);
	expect_problem(2, 4, "tenancy_type \"x\"", NULL);
	expect_problem(3, 5, "more than 3 tenant rows", NULL);
	tv_ctx_free(ctx);
}

static void too_many_rows_at_the_real_limit(void **state)
{
	/* 1,000,001 one-field rows: each is also a problem of its own */
	size_t rows = TV_REGISTER_ROWS_MAX + 1, len = strlen(HEADER) + 2 * rows + 1;
	char *csv = malloc(len); /* not through cmocka: 2 MB */
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = NULL;
	(void)state;

	assert_non_null(csv);
	strcpy(csv, HEADER);
	for (size_t i = 0; i < rows; i++)
		memcpy(csv + strlen(HEADER) + 2 * i, "x\n", 2);
	csv[len - 1] = '\0';
	memset(&problems, 0, sizeof(problems));
	assert_status(ctx, tv_register_parse(ctx, &reg, (const uint8_t *)csv, len - 1, "r.csv",
	                                     collect, &problems),
	              TV_ERR_REGISTER_INVALID);
	assert_null(reg);
	assert_contains(tv_ctx_last_error(ctx), "r.csv: 1000001 problems; line 2: ");
	assert_int_equal(problems.n, TV_REGISTER_PROBLEMS_MAX + 1);
	assert_int_equal(problems.line[TV_REGISTER_PROBLEMS_MAX], 0);
	assert_string_equal(problems.message[TV_REGISTER_PROBLEMS_MAX],
	                    "999001 more problems not listed");
	free(csv);
	tv_ctx_free(ctx);
}

static void header_problems(void **state)
{
	(void)state;
	expect_refused("tenancy_ref,name,Name,address,tenancy_type\nH1,A,B,1 Road,secure\n", 1);
	expect_problem(0, 1, "column \"name\" appears twice, in header fields 2 and 3",
	               "expected: tenancy_ref, name, address, tenancy_type");
	expect_refused("tenancy_ref,name,tenancy_type\nH1,Ann,secure\n", 1);
	expect_problem(0, 1, "missing required column \"address\"",
	               "expected: tenancy_ref, name, address, tenancy_type, and optionally email, phone, language");
	expect_refused("tenancy_ref,name,address,tenancy_type,mobile\nH1,Ann,1 Road,secure,07\n", 1);
	expect_problem(0, 1, "unknown column \"mobile\" in header field 5",
	               "expected: tenancy_ref, name, address, tenancy_type, and optionally email, phone, language");
	expect_refused("tenancy_ref,name,,address,tenancy_type\nH1,Ann,x,1 Road,secure\n", 1);
	expect_problem(0, 1, "header field 3 has no column name", "expected: tenancy_ref");
	/* several at once, all on the header's line; the rows are still read */
	expect_refused("name,name,addr,tenancy_type\nAnn,Ann,1 Road,secure\nBet,Bet,2 Road,weekly\n", 5);
	expect_problem(0, 1, "column \"name\" appears twice", NULL);
	expect_problem(1, 1, "unknown column \"addr\"", NULL);
	expect_problem(2, 1, "missing required column \"tenancy_ref\"", NULL);
	expect_problem(3, 1, "missing required column \"address\"", NULL);
	expect_problem(4, 3, "tenancy_type \"weekly\"", NULL);
}

static void no_tenants(void **state)
{
	(void)state;
	expect_refused("", 1);
	expect_problem(0, 1, "no tenants", "empty");
	expect_refused("\xef\xbb\xbf", 1);
	expect_problem(0, 1, "no tenants", "empty");
	expect_refused("\n \r\n\n", 1);
	expect_problem(0, 1, "no tenants", "empty");
	expect_refused(HEADER, 1);
	expect_problem(0, 1, "no tenants", "header row but no tenant rows");
	expect_refused(HEADER "\n\n", 1);
	expect_problem(0, 1, "no tenants", NULL);
}

static void stray_and_unclosed_quotes(void **state)
{
	(void)state;
	expect_refused(HEADER "H1,Ann \"Nan\" Lewis,1 Road,secure\nH2,Bet,2 Road,secure\nH3,,3,secure\n", 2);
	expect_problem(0, 2, "name: stray quote", NULL);
	expect_problem(1, 4, "name is empty", NULL); /* reading went on */
	expect_refused(HEADER "H1,Ann,\"1 Road\nTown\"x,secure\n", 1);
	expect_problem(0, 2, "address: stray quote (on line 3)", NULL);
	expect_refused(HEADER "H1,Ann,1 Road,secure\nH2,Bet,\"2 Road,secure\nH3,Cai,3 Road,secure\n", 1);
	expect_problem(0, 3, "address: a quoted field is not closed", NULL);
	expect_refused("tenancy_ref,\"name\"x,address,tenancy_type\nH1,Ann,1 Road,secure\n", 1);
	expect_problem(0, 1, "header field 2: stray quote", NULL);
}

static void every_problem_is_reported(void **state)
{
	(void)state;
	expect_refused("tenancy_ref,name,address,tenancy_type,language\n" /* 1 */
	               "H1,Ann,1 Road,secure,en\n"                       /* 2 */
	               "H2,,2 Road,weekly,fr\n"                          /* 3: three */
	               "H1,ANN,\"1\nRoad\",secure,\n"                    /* 4: dup of 2 */
	               "H5,Eve,5 Road\n"                                 /* 6 */
	               "H6,Fay,\"6 Road\",secure,cy\n",                  /* 7: fine */
	               5);
	/* SPEC §10.9 vector 3: the lines, the order and the whole messages */
	expect_problem(0, 3, "name is empty", NULL);
	expect_problem(1, 3, "tenancy_type \"weekly\"", NULL);
	expect_problem(2, 3, "language \"fr\"", NULL);
	expect_problem(3, 4, "same person as on line 2", NULL);
	expect_problem(4, 6, "the row has 3 fields", NULL);
	assert_string_equal(problems.message[0], "name is empty");
	assert_string_equal(problems.message[1],
	                    "tenancy_type \"weekly\" is not a tenancy type (allowed: secure, introductory)");
	assert_string_equal(problems.message[2],
	                    "language \"fr\" is not a language of the ballot (allowed: en, cy, English, Welsh, Cymraeg; empty means en)");
	assert_string_equal(problems.message[3],
	                    "the same person as on line 2: tenancy_ref \"H1\" and name \"ANN\" (compared ignoring case and repeated spaces)");
	assert_string_equal(problems.message[4], "the row has 3 fields; the header has 5");
}

static void problems_capped(void **state)
{
	size_t rows = 1500, i;
	char *csv = test_malloc(strlen(HEADER) + rows * 16 + 1), *w;
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = NULL;
	(void)state;

	w = csv + sprintf(csv, "%s", HEADER);
	for (i = 0; i < rows; i++)
		w += sprintf(w, "R%zu,,1 Road,x\n", i); /* two problems each */
	memset(&problems, 0, sizeof(problems));
	assert_status(ctx, tv_register_parse(ctx, &reg, (const uint8_t *)csv, strlen(csv),
	                                     NULL, collect, &problems),
	              TV_ERR_REGISTER_INVALID);
	assert_null(reg);
	assert_int_equal(problems.n, TV_REGISTER_PROBLEMS_MAX + 1);
	for (i = 0; i < TV_REGISTER_PROBLEMS_MAX; i++)
		assert_int_equal(problems.line[i], 2 + i / 2);
	assert_int_equal(problems.line[TV_REGISTER_PROBLEMS_MAX], 0);
	assert_string_equal(problems.message[TV_REGISTER_PROBLEMS_MAX],
	                    "2000 more problems not listed");
	assert_string_equal(tv_ctx_last_error(ctx),
	                    "register: 3000 problems; line 2: name is empty");
	test_free(csv);

	/* without a callback: counted and summarised all the same */
	assert_status(ctx, tv_register_parse(ctx, &reg, (const uint8_t *)HEADER, strlen(HEADER),
	                                     "r.csv", NULL, NULL),
	              TV_ERR_REGISTER_INVALID);
	assert_contains(tv_ctx_last_error(ctx), "r.csv: 1 problem; line 1: no tenants");
	tv_ctx_free(ctx);
}

static void messages_quote_values_safely(void **state)
{
	(void)state;
	expect_refused("tenancy_ref,name,address,tenancy_type,\"b\xff\x1b[2J\"\n"
	               "H1,Ann,1 Road,secure,x\n", 1);
	expect_problem(0, 1, "unknown column \"b\\xff\\x1b[2J\" in header field 5", NULL);
	expect_refused(HEADER "H1,Ann,1 Road,\"se\"\"cure and a very long text that goes on and on and on\"\n", 1);
	expect_problem(0, 2, "tenancy_type \"se\\\"cure and a very long text that goes on and on...\"",
	               NULL);
}

/* ---- the digest ---- */

static const char vector_csv[] =
	"tenancy_ref,name,address,tenancy_type,email,phone,language\n"
	"W1,Si\xc3\xa2n Ellis-J\xc3\xb4ns,\"T\xc5\xb7 Coch\nHeol yr Ysgol\nLlanfair\",secure,"
	"sian@example.org,01970 000000,Cymraeg\n"
	"W2,Bob Smith,\"1 High Street, Aberystwyth\",introductory,,,\n";

/* SPEC §10.9, vector 2 */
static const char vector_digest[] =
	"3da62bc14fba0eac1ef5d7d3b875853be2fbc614eaf52f9e43054ceece866de1";

static void digest_of(tv_ctx *ctx, const char *csv, uint8_t out[32])
{
	tv_register *reg = parse_ok(ctx, csv);

	tv_register_digest(out, reg);
	tv_register_free(reg);
}

static void digest_vector(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t d[32];
	char hex[65];
	(void)state;

	digest_of(ctx, vector_csv, d);
	tv__hex_encode(hex, d, 32);
	assert_string_equal(hex, vector_digest);
	/* SPEC §10.9 vector 1, the one-tenant example with its preimage written out */
	digest_of(ctx, HEADER "H1,Ann,1 Road,secure\n", d);
	tv__hex_encode(hex, d, 32);
	assert_string_equal(hex, "7e5deef4f4b7004f2cbf1d95e64af4065254090216a1c77959fd27192b9c4908");
	tv_ctx_free(ctx);
}

static void digest_ignores_layout(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t a[32], b[32];
	(void)state;

	digest_of(ctx, vector_csv, a);
	/* columns reordered, CRLF, BOM, quoting, spaces, blank lines, spellings */
	digest_of(ctx,
	          "\xef\xbb\xbf" "language , phone,email,tenancy_type,address,name,tenancy_ref\r\n"
	          "\r\n"
	          "cy,\"01970 000000\",sian@example.org,SECURE,\"T\xc5\xb7 Coch, Heol yr Ysgol,"
	          " Llanfair\",  Si\xc3\xa2n Ellis-J\xc3\xb4ns,\"W1\"\r\n"
	          "en,,,Introductory,\"1 High Street,\r\nAberystwyth\",Bob Smith,W2",
	          b);
	assert_memory_equal(a, b, 32);
	tv_ctx_free(ctx);
}

static void digest_changes_with_every_field(void **state)
{
	static const char *const changed[] = {
		/* each differs from the base in one value, or in order */
		HEADER_EX "W3,Ann,1 Road,secure,a@b,01,en\nW2,Bob,2 Road,secure,,,cy\n",
		HEADER_EX "W1,Anne,1 Road,secure,a@b,01,en\nW2,Bob,2 Road,secure,,,cy\n",
		HEADER_EX "W1,Ann,1 Rd,secure,a@b,01,en\nW2,Bob,2 Road,secure,,,cy\n",
		HEADER_EX "W1,Ann,1 Road,introductory,a@b,01,en\nW2,Bob,2 Road,secure,,,cy\n",
		HEADER_EX "W1,Ann,1 Road,secure,a@c,01,en\nW2,Bob,2 Road,secure,,,cy\n",
		HEADER_EX "W1,Ann,1 Road,secure,a@b,02,en\nW2,Bob,2 Road,secure,,,cy\n",
		HEADER_EX "W1,Ann,1 Road,secure,a@b,01,cy\nW2,Bob,2 Road,secure,,,cy\n",
		HEADER_EX "W1,Ann,1 Road,secure,a@b,01,en\nW2,Bob,2 Road,secure,,,en\n",
		HEADER_EX "W2,Bob,2 Road,secure,,,cy\nW1,Ann,1 Road,secure,a@b,01,en\n",
		HEADER_EX "W1,Ann,1 Road,secure,a@b,01,en\n",
		HEADER_EX "W1,Ann,1 Road,secure,a@b,01,en\nW2,Bob,2 Road,secure,,,cy\nW2,Cai,2 Road,secure,,,cy\n",
		/* moving bytes between fields: the length prefixes tell */
		HEADER_EX "W1,Ann,1 Road,secure,a@b0,1,en\nW2,Bob,2 Road,secure,,,cy\n",
	};
	tv_ctx *ctx = test_ctx_new();
	uint8_t base[32], again[32], d[32];
	(void)state;

	digest_of(ctx, HEADER_EX "W1,Ann,1 Road,secure,a@b,01,en\nW2,Bob,2 Road,secure,,,cy\n", base);
	digest_of(ctx, HEADER_EX "W1,Ann,1 Road,secure,a@b,01,en\nW2,Bob,2 Road,secure,,,cy\n", again);
	assert_memory_equal(base, again, 32);
	for (size_t i = 0; i < sizeof(changed) / sizeof(changed[0]); i++) {
		digest_of(ctx, changed[i], d);
		if (memcmp(d, base, 32) == 0)
			fail_msg("change %zu left the digest as it was", i);
		for (size_t j = 0; j < i; j++) {
			uint8_t e[32];

			digest_of(ctx, changed[j], e);
			assert_memory_not_equal(d, e, 32);
		}
	}
	tv_ctx_free(ctx);
}

/* ---- scale, allocation failures, arguments ---- */

static char *make_register(size_t rows)
{
	char *csv = test_malloc(100 + rows * 120), *w = csv;

	w += sprintf(w, "tenancy_ref,name,address,tenancy_type,email,phone,language\n");
	for (size_t i = 0; i < rows; i++)
		w += sprintf(w, "HR%06zu,Tenant %zu Jones,\"%zu Heol y Bont\nAberystwyth\",%s,"
		             "t%zu@example.org,01970 %06zu,%s\n",
		             i / 2, i, i, i % 3 ? "secure" : "introductory", i, i,
		             i % 2 ? "cy" : "en");
	return csv;
}

static void twenty_thousand_rows(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	char *csv = make_register(20000);
	tv_register *reg = parse_ok(ctx, csv);
	tv_tenant t;
	(void)state;

	assert_int_equal(tv_register_count(reg), 20000);
	t = tenant_at(reg, 19999);
	assert_string_equal(t.tenancy_ref, "HR009999");
	assert_string_equal(t.name, "Tenant 19999 Jones");
	assert_string_equal(t.address, "19999 Heol y Bont, Aberystwyth");
	assert_string_equal(t.language, "cy");
	assert_int_equal(t.line, 2 + 2 * 19999);
	tv_register_free(reg);
	test_free(csv);
	tv_ctx_free(ctx);
}

static void survives_each_allocation_failure(void **state)
{
	static const char *const inputs[] = {
		vector_csv,
		HEADER "H1,Ann,1 Road,weekly\nH1,Ann,1 Road,secure\nH2\n", /* problems */
	};
	(void)state;

	for (size_t k = 0; k < sizeof(inputs) / sizeof(inputs[0]); k++) {
		tv_status want = k == 0 ? TV_OK : TV_ERR_REGISTER_INVALID;
		long n, count, failures = 0;

		for (n = 1;; n++) {
			tv_ctx *ctx = test_ctx_new_failing(n, &count);
			tv_register *reg = NULL;
			tv_status st;

			assert_non_null(ctx);
			memset(&problems, 0, sizeof(problems));
			st = tv_register_parse(ctx, &reg, (const uint8_t *)inputs[k], strlen(inputs[k]),
			                       NULL, collect, &problems);
			tv_register_free(reg);
			tv_ctx_free(ctx);
			if (st == want)
				break;
			assert_int_equal(st, TV_ERR_NOMEM);
			assert_null(reg);
			assert_int_equal(problems.n, 0); /* nothing reported on NOMEM */
			failures++;
			assert_true(n < 200);
		}
		assert_true(failures >= 3);
	}
}

static void refuses_bad_arguments(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_register *reg = (tv_register *)&reg;
	tv_tenant t;
	uint8_t d[32];
	(void)state;

	assert_int_equal(tv_register_parse(NULL, &reg, (const uint8_t *)"", 0, NULL, NULL, NULL),
	                 TV_ERR_INVALID_ARGUMENT);
	assert_null(reg);
	assert_status(ctx, tv_register_parse(ctx, NULL, (const uint8_t *)"", 0, NULL, NULL, NULL),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_register_parse(ctx, &reg, NULL, 1, NULL, NULL, NULL),
	              TV_ERR_INVALID_ARGUMENT);
	assert_contains(tv_ctx_last_error(ctx), "tv_register_parse");

	reg = parse_ok(ctx, HEADER "H1,Ann,1 Road,secure\n");
	assert_status(ctx, tv_register_tenant(&t, reg, 1), TV_ERR_INVALID_ARGUMENT);
	assert_contains(tv_ctx_last_error(ctx), "index 1 out of range");
	assert_status(ctx, tv_register_tenant(NULL, reg, 0), TV_ERR_INVALID_ARGUMENT);
	assert_int_equal(tv_register_tenant(&t, NULL, 0), TV_ERR_INVALID_ARGUMENT);
	tv_register_free(reg);

	assert_int_equal(tv_register_count(NULL), 0);
	memset(d, 0xaa, sizeof(d));
	tv_register_digest(d, NULL);
	for (size_t i = 0; i < sizeof(d); i++)
		assert_int_equal(d[i], 0);
	tv_register_free(NULL);
	tv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_columns_in_any_order),
		cmocka_unit_test(optional_columns_may_be_absent),
		cmocka_unit_test(header_names_trimmed_and_case_insensitive),
		cmocka_unit_test(fields_are_trimmed),
		cmocka_unit_test(skips_byte_order_mark),
		cmocka_unit_test(accepts_crlf_and_cr_line_ends),
		cmocka_unit_test(quoted_commas_and_newlines),
		cmocka_unit_test(welsh_text_kept_byte_for_byte),
		cmocka_unit_test(joint_tenants_each_vote),
		cmocka_unit_test(blank_lines_and_no_final_newline),
		cmocka_unit_test(field_of_exactly_the_limit),
		cmocka_unit_test(empty_required_field),
		cmocka_unit_test(unknown_tenancy_type),
		cmocka_unit_test(unknown_language),
		cmocka_unit_test(same_person_twice),
		cmocka_unit_test(invalid_utf8_and_control_characters),
		cmocka_unit_test(wrong_number_of_fields),
		cmocka_unit_test(field_over_the_limit),
		cmocka_unit_test(too_many_rows),
		cmocka_unit_test(too_many_rows_at_the_real_limit),
		cmocka_unit_test(header_problems),
		cmocka_unit_test(no_tenants),
		cmocka_unit_test(stray_and_unclosed_quotes),
		cmocka_unit_test(every_problem_is_reported),
		cmocka_unit_test(problems_capped),
		cmocka_unit_test(messages_quote_values_safely),
		cmocka_unit_test(digest_vector),
		cmocka_unit_test(digest_ignores_layout),
		cmocka_unit_test(digest_changes_with_every_field),
		cmocka_unit_test(twenty_thousand_rows),
		cmocka_unit_test(survives_each_allocation_failure),
		cmocka_unit_test(refuses_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
