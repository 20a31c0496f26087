/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_register_parse() on raw bytes (SPEC §10). Checked for every input:
 *  - the answer is TV_OK or TV_ERR_REGISTER_INVALID, recorded on the
 *    context; a refusal returns no register and reports its problems
 *    through the callback: as many calls as the message counts (up to the
 *    cap, then one "more" call with line 0), lines from 1 and in order,
 *    every message non-empty UTF-8 without control characters;
 *  - an accepted register keeps SPEC §10's promises for every tenant
 *    (valid, trimmed, bounded text; required fields present; the type and
 *    language spelled as allowed; lines increasing; no person twice, by an
 *    oracle written here);
 *  - written back out as CSV (libcsv's writer, every field quoted, columns
 *    reversed, CRLF) it parses to the same tenants and the same digest.
 */
#include <string.h>

#include <csv.h>

#include "fuzz_common.h"

#define MAX_CALLS (TV_REGISTER_PROBLEMS_MAX + 1)

typedef struct calls {
	size_t n;
	uint32_t last_line;
	int saw_more;
} calls;

static void on_problem(uint32_t line, const char *message, void *payload)
{
	calls *c = payload;

	FUZZ_CHECK(c->n < MAX_CALLS);
	FUZZ_CHECK(!c->saw_more); /* the "more" call is the last */
	FUZZ_CHECK(message != NULL && message[0] != '\0');
	FUZZ_CHECK(tv__utf8_check(NULL, message, strlen(message), "message") == TV_OK);
	if (line == 0) {
		c->saw_more = 1;
		FUZZ_CHECK(c->n == TV_REGISTER_PROBLEMS_MAX);
		FUZZ_CHECK(strstr(message, "more problem") != NULL);
	} else {
		FUZZ_CHECK(line >= c->last_line);
		c->last_line = line;
	}
	c->n++;
}

/* the duplicate key of SPEC §10.6, built independently */
static size_t person_key(char *out, const char *ref, const char *name)
{
	const char *parts[2] = { ref, name };
	size_t n = 0;

	for (int k = 0; k < 2; k++) {
		const char *s = parts[k];

		for (; *s; s++) {
			char c = *s;

			if (c == ' ' && n > 0 && out[n - 1] == ' ')
				continue;
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		}
		out[n++] = '\0';
	}
	return n;
}

static void check_text(const char *s, int required)
{
	size_t len = strlen(s);

	FUZZ_CHECK(len <= TV_REGISTER_FIELD_MAX);
	FUZZ_CHECK(!required || len > 0);
	FUZZ_CHECK(tv__utf8_check(NULL, s, len, "field") == TV_OK);
	FUZZ_CHECK(len == 0 || (s[0] != ' ' && s[len - 1] != ' '));
}

/* a quoted CSV field, written by libcsv, then the separator */
static size_t put_field(char *out, const char *s, const char *sep)
{
	size_t len = strlen(s);
	size_t n = csv_write(out, 2 * len + 2, s, len);

	FUZZ_CHECK(n <= 2 * len + 2);
	memcpy(out + n, sep, strlen(sep));
	return n + strlen(sep);
}

static void check_round_trip(tv_ctx *ctx, const tv_register *reg)
{
	static const char header[] = "language,phone,email,tenancy_type,address,name,tenancy_ref\r\n";
	size_t count = tv_register_count(reg), cap = sizeof(header), n, i;
	tv_register *again = NULL;
	uint8_t d1[TV_REGISTER_DIGEST_BYTES], d2[TV_REGISTER_DIGEST_BYTES];
	char *out;

	for (i = 0; i < count; i++) {
		tv_tenant t;

		FUZZ_CHECK(tv_register_tenant(&t, reg, i) == TV_OK);
		cap += 2 * (strlen(t.tenancy_ref) + strlen(t.name) + strlen(t.address) +
		            strlen(t.email) + strlen(t.phone)) + 64;
	}
	out = malloc(cap);
	FUZZ_CHECK(out != NULL);
	memcpy(out, header, sizeof(header) - 1);
	n = sizeof(header) - 1;
	for (i = 0; i < count; i++) {
		tv_tenant t;

		FUZZ_CHECK(tv_register_tenant(&t, reg, i) == TV_OK);
		n += put_field(out + n, t.language, ",");
		n += put_field(out + n, t.phone, ",");
		n += put_field(out + n, t.email, ",");
		n += put_field(out + n, t.tenancy_type == TV_TENANCY_SECURE ? "Secure" : "INTRODUCTORY", ",");
		n += put_field(out + n, t.address, ",");
		n += put_field(out + n, t.name, ",");
		n += put_field(out + n, t.tenancy_ref, "\r\n");
	}
	FUZZ_CHECK(n <= cap);
	FUZZ_CHECK(tv_register_parse(ctx, &again, (const uint8_t *)out, n, "again.csv", NULL,
	                             NULL) == TV_OK);
	FUZZ_CHECK(tv_register_count(again) == count);
	for (i = 0; i < count; i++) {
		tv_tenant a, b;

		FUZZ_CHECK(tv_register_tenant(&a, reg, i) == TV_OK);
		FUZZ_CHECK(tv_register_tenant(&b, again, i) == TV_OK);
		FUZZ_CHECK(strcmp(a.tenancy_ref, b.tenancy_ref) == 0);
		FUZZ_CHECK(strcmp(a.name, b.name) == 0);
		FUZZ_CHECK(strcmp(a.address, b.address) == 0);
		FUZZ_CHECK(strcmp(a.email, b.email) == 0);
		FUZZ_CHECK(strcmp(a.phone, b.phone) == 0);
		FUZZ_CHECK(strcmp(a.language, b.language) == 0);
		FUZZ_CHECK(a.tenancy_type == b.tenancy_type);
		FUZZ_CHECK(b.line == i + 2); /* one line per row: nothing spans lines */
	}
	tv_register_digest(d1, reg);
	tv_register_digest(d2, again);
	FUZZ_CHECK(memcmp(d1, d2, sizeof(d1)) == 0);
	tv_register_free(again);
	free(out);
}

static void check_register(tv_ctx *ctx, const tv_register *reg)
{
	size_t count = tv_register_count(reg), i, j;
	char (*keys)[2 * (TV_REGISTER_FIELD_MAX + 1)];
	uint32_t last = 1;

	FUZZ_CHECK(count >= 1);
	keys = malloc(count * sizeof(*keys));
	FUZZ_CHECK(keys != NULL);
	for (i = 0; i < count; i++) {
		tv_tenant t;

		FUZZ_CHECK(tv_register_tenant(&t, reg, i) == TV_OK);
		check_text(t.tenancy_ref, 1);
		check_text(t.name, 1);
		check_text(t.address, 1);
		check_text(t.email, 0);
		check_text(t.phone, 0);
		FUZZ_CHECK(strcmp(t.language, "en") == 0 || strcmp(t.language, "cy") == 0);
		FUZZ_CHECK(t.tenancy_type == TV_TENANCY_SECURE ||
		           t.tenancy_type == TV_TENANCY_INTRODUCTORY);
		FUZZ_CHECK(t.line > last);
		last = t.line;
		person_key(keys[i], t.tenancy_ref, t.name);
		for (j = 0; j < i; j++) {
			tv_tenant u;

			FUZZ_CHECK(tv_register_tenant(&u, reg, j) == TV_OK);
			FUZZ_CHECK(strcmp(keys[i], keys[j]) != 0 ||
			           strcmp(keys[i] + strlen(keys[i]) + 1,
			                  keys[j] + strlen(keys[j]) + 1) != 0);
		}
	}
	FUZZ_CHECK(tv_register_tenant(&(tv_tenant){ 0 }, reg, count) == TV_ERR_INVALID_ARGUMENT);
	free(keys);
	check_round_trip(ctx, reg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_register *reg = (tv_register *)&ctx; /* must be reset */
	calls c = { 0, 0, 0 };
	tv_status status;

	tv_fuzz_clear_error(ctx);
	status = tv_register_parse(ctx, &reg, data, size, "fuzz.csv", on_problem, &c);
	tv_fuzz_check_status_recorded(ctx, status);
	FUZZ_CHECK(status == TV_OK || status == TV_ERR_REGISTER_INVALID);
	if (status != TV_OK) {
		const char *msg = tv_ctx_last_error(ctx);
		unsigned long total;

		FUZZ_CHECK(reg == NULL);
		FUZZ_CHECK(strncmp(msg, "fuzz.csv: ", 10) == 0);
		total = strtoul(msg + 10, NULL, 10);
		FUZZ_CHECK(total >= 1);
		FUZZ_CHECK(c.n == (total > TV_REGISTER_PROBLEMS_MAX ? TV_REGISTER_PROBLEMS_MAX + 1
		                                                     : total));
		FUZZ_CHECK(c.saw_more == (total > TV_REGISTER_PROBLEMS_MAX));
		FUZZ_CHECK(c.last_line >= 1);
		return 0;
	}
	FUZZ_CHECK(c.n == 0);
	check_register(ctx, reg);
	tv_register_free(reg);
	return 0;
}
