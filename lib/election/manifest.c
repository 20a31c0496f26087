/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §9: the election manifest. One validation (§9.3) serves both ways in
 * (options struct and JSON); the JSON reader (§9.4) only checks the shape of
 * untrusted input and translates it to the options struct. The fingerprint
 * (§9.5) is computed once, when the manifest is made, so reading it cannot
 * fail.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "json_util.h"

#define FORMAT_VERSION 1u
#define PATH_MAX_LEN 96

struct tv_manifest {
	/* the allocator, so tv_manifest_free() needs no context */
	void (*free_fn)(void *, void *);
	void *free_payload;
	/* every string points into text[]; every cy is "" when empty */
	tv_manifest_options f;
	uint8_t fingerprint[TV_MANIFEST_FINGERPRINT_BYTES];
	char text[];
};

/* ---- messages ---- */

/* JSON path of a field of option index i (0-based), and its id */
static const char *option_path(char out[PATH_MAX_LEN], size_t i, const char *tail)
{
	snprintf(out, PATH_MAX_LEN, "options[%zu]%s (option %zu)", i, tail, i + 1);
	return out;
}

/* ---- spellings (SPEC §9.6) ---- */

static const struct {
	uint32_t bit;
	const char *name;
} channel_names[] = {
	{ TV_CHANNEL_ONLINE, "online" },
	{ TV_CHANNEL_PHONE, "phone" },
	{ TV_CHANNEL_POSTAL, "postal" },
	{ TV_CHANNEL_IN_PERSON, "in_person" },
};
#define CHANNEL_COUNT (sizeof(channel_names) / sizeof(channel_names[0]))

static int name_is(const char *s, size_t len, const char *name)
{
	return len == strlen(name) && memcmp(s, name, len) == 0;
}

const char *tv_rule_name(tv_rule rule)
{
	switch (rule) {
	case TV_RULE_MAJORITY: return "majority";
	case TV_RULE_PLURALITY: return "plurality";
	}
	return NULL;
}

const char *tv_revote_name(tv_revote revote)
{
	switch (revote) {
	case TV_REVOTE_LAST: return "last";
	case TV_REVOTE_FIRST: return "first";
	}
	return NULL;
}

const char *tv_channel_name(uint32_t channel)
{
	for (size_t i = 0; i < CHANNEL_COUNT; i++)
		if (channel_names[i].bit == channel)
			return channel_names[i].name;
	return NULL;
}

static tv_status parse_rule(tv_ctx *ctx, tv_rule *out, const char *s, size_t len,
                            const char *what)
{
	char q[TV_QUOTE_BYTES];

	if (name_is(s, len, "majority"))
		*out = TV_RULE_MAJORITY;
	else if (name_is(s, len, "plurality"))
		*out = TV_RULE_PLURALITY;
	else
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: \"%s\" is not a counting rule (majority or plurality)",
		                what, tv__quote(q, s, len));
	return TV_OK;
}

static tv_status parse_revote(tv_ctx *ctx, tv_revote *out, const char *s,
                              size_t len, const char *what)
{
	char q[TV_QUOTE_BYTES];

	if (name_is(s, len, "last"))
		*out = TV_REVOTE_LAST;
	else if (name_is(s, len, "first"))
		*out = TV_REVOTE_FIRST;
	else
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: \"%s\" is not a revote policy (last or first)", what,
		                tv__quote(q, s, len));
	return TV_OK;
}

static tv_status parse_channel(tv_ctx *ctx, uint32_t *out, const char *s,
                               size_t len, const char *what)
{
	char q[TV_QUOTE_BYTES];

	for (size_t i = 0; i < CHANNEL_COUNT; i++) {
		if (name_is(s, len, channel_names[i].name)) {
			*out = channel_names[i].bit;
			return TV_OK;
		}
	}
	return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
	                "%s: \"%s\" is not a channel (online, phone, postal or in_person)",
	                what, tv__quote(q, s, len));
}

tv_status tv_rule_parse(tv_ctx *ctx, tv_rule *out, const char *name)
{
	if (ctx == NULL || out == NULL || name == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_rule_parse: NULL argument");
	return parse_rule(ctx, out, name, strlen(name), "rule");
}

tv_status tv_revote_parse(tv_ctx *ctx, tv_revote *out, const char *name)
{
	if (ctx == NULL || out == NULL || name == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_revote_parse: NULL argument");
	return parse_revote(ctx, out, name, strlen(name), "revote");
}

tv_status tv_channel_parse(tv_ctx *ctx, uint32_t *out, const char *name)
{
	if (ctx == NULL || out == NULL || name == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_channel_parse: NULL argument");
	return parse_channel(ctx, out, name, strlen(name), "channel");
}

tv_status tv_channels_parse(tv_ctx *ctx, uint32_t *out, const char *list)
{
	uint32_t mask = 0, bit = 0;
	const char *p, *comma;
	char q[TV_QUOTE_BYTES];
	tv_status status;

	if (ctx == NULL || out == NULL || list == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_channels_parse: NULL argument");
	p = list;
	for (;;) {
		size_t len;

		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0)
			return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
			                "channels \"%s\": empty channel name", tv__quote(q, list, strlen(list)));
		if ((status = parse_channel(ctx, &bit, p, len, "channels")) != TV_OK)
			return status;
		if (mask & bit)
			return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
			                "channels: \"%s\" given twice", tv_channel_name(bit));
		mask |= bit;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*out = mask;
	return TV_OK;
}

/*
 * Percentages (SPEC §9.6.2): 1-3 digits, optionally '.' and one digit, at
 * most 100.0, kept as an integer number of tenths so no rounding ever
 * happens. The JSON form also wants tv_percent_format's one spelling
 * (tv__jr_percent), so that equal values are equal text.
 */
static tv_status parse_percent(tv_ctx *ctx, uint32_t *out, const char *s,
                               size_t len, const char *what)
{
	uint32_t value = 0;
	size_t i = 0, digits = 0;
	char q[TV_QUOTE_BYTES];

	while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
		value = value * 10 + (uint32_t)(s[i] - '0');
		i++, digits++;
	}
	value *= 10;
	if (digits >= 1 && digits <= 3 && i + 2 == len && s[i] == '.' &&
	    s[i + 1] >= '0' && s[i + 1] <= '9') {
		value += (uint32_t)(s[i + 1] - '0');
		i += 2;
	}
	if (digits == 0 || digits > 3 || i != len)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: \"%s\" is not a percentage with at most one decimal "
		                "(e.g. \"25\" or \"33.3\")", what, tv__quote(q, s, len));
	if (value > 1000)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID, "%s: \"%s\" is above 100",
		                what, tv__quote(q, s, len));
	*out = value;
	return TV_OK;
}

tv_status tv_percent_parse(tv_ctx *ctx, uint32_t *tenths, const char *text)
{
	if (ctx == NULL || tenths == NULL || text == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_percent_parse: NULL argument");
	return parse_percent(ctx, tenths, text, strlen(text), "percentage");
}

void tv_percent_format(char out[TV_PERCENT_FORMAT_BYTES], uint32_t tenths)
{
	snprintf(out, TV_PERCENT_FORMAT_BYTES, "%u.%u", (unsigned)(tenths / 10),
	         (unsigned)(tenths % 10));
}

/* ---- times (SPEC §9.6.3): proleptic Gregorian, UTC, no leap seconds ---- */

/* days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil) */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30,
	                                       31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

static int digits_at(const char *s, size_t at, size_t n, unsigned *out)
{
	unsigned v = 0;

	for (size_t i = at; i < at + n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 1;
}

static tv_status parse_time(tv_ctx *ctx, int64_t *out, const char *s, size_t len,
                            const char *what)
{
	unsigned y, mo, d, h, mi, sec;
	char q[TV_QUOTE_BYTES];

	tv__quote(q, s, len);
	/* YYYY-MM-DDTHH:MM:SSZ, 20 bytes exactly */
	if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z' || !digits_at(s, 0, 4, &y) ||
	    !digits_at(s, 5, 2, &mo) || !digits_at(s, 8, 2, &d) ||
	    !digits_at(s, 11, 2, &h) || !digits_at(s, 14, 2, &mi) ||
	    !digits_at(s, 17, 2, &sec))
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: \"%s\" is not a UTC time of the form "
		                "YYYY-MM-DDTHH:MM:SSZ", what, q);
	if (mo < 1 || mo > 12)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID, "%s: \"%s\": no month %02u",
		                what, q, mo);
	if (d < 1 || d > days_in_month(y, mo))
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: \"%s\": %04u-%02u has no day %02u", what, q, y, mo, d);
	/* 24:00:00 and leap seconds (:60) have no POSIX time of their own */
	if (h > 23 || mi > 59 || sec > 59)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: \"%s\": %02u:%02u:%02u is not a time of day "
		                "(00:00:00 to 23:59:59)", what, q, h, mi, sec);
	*out = days_from_civil(y, mo, d) * 86400 + (int64_t)(h * 3600 + mi * 60 + sec);
	return TV_OK;
}

tv_status tv_time_parse(tv_ctx *ctx, int64_t *out, const char *text)
{
	if (ctx == NULL || out == NULL || text == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_time_parse: NULL argument");
	return parse_time(ctx, out, text, strlen(text), "time");
}

static void put_digits(char *out, int n, unsigned v)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

/* the caller has checked TV_TIME_MIN <= t <= TV_TIME_MAX */
static void format_time(char out[TV_TIME_FORMAT_BYTES], int64_t t)
{
	int64_t days = t / 86400, rem = t % 86400, y;
	unsigned m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	memcpy(out, "0000-00-00T00:00:00Z", TV_TIME_FORMAT_BYTES);
	put_digits(out, 4, (unsigned)y);
	put_digits(out + 5, 2, m);
	put_digits(out + 8, 2, d);
	put_digits(out + 11, 2, (unsigned)(rem / 3600));
	put_digits(out + 14, 2, (unsigned)(rem / 60 % 60));
	put_digits(out + 17, 2, (unsigned)(rem % 60));
}

tv_status tv_time_format(tv_ctx *ctx, char out[TV_TIME_FORMAT_BYTES], int64_t t)
{
	if (ctx == NULL || out == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_time_format: NULL argument");
	if (t < TV_TIME_MIN || t > TV_TIME_MAX)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "time %lld is outside the years 0000 to 9999", (long long)t);
	format_time(out, t);
	return TV_OK;
}

/* ---- bilingual text "English|Cymraeg" (SPEC §9.6.1) ---- */

static void trim_spaces(const char **s, size_t *len)
{
	while (*len > 0 && (*s)[0] == ' ')
		(*s)++, (*len)--;
	while (*len > 0 && (*s)[*len - 1] == ' ')
		(*len)--;
}

static char *dup_bytes(tv_ctx *ctx, const char *s, size_t len)
{
	char *p = tv__alloc(ctx, len + 1);

	if (p != NULL) {
		if (len)
			memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

tv_status tv_text_parse(tv_ctx *ctx, char **en, char **cy, const char *text)
{
	const char *bar, *e, *c = "";
	size_t elen, clen = 0;
	char *en_out = NULL, *cy_out = NULL;
	tv_status status = TV_OK;

	if (en != NULL)
		*en = NULL;
	if (cy != NULL)
		*cy = NULL;
	if (ctx == NULL || en == NULL || cy == NULL || text == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_text_parse: NULL argument");
	e = text;
	bar = strchr(text, '|');
	if (bar != NULL) {
		if (strchr(bar + 1, '|') != NULL)
			return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
			                "bilingual text: more than one '|' (write \"English|Cymraeg\")");
		elen = (size_t)(bar - text);
		c = bar + 1;
		clen = strlen(c);
	} else {
		elen = strlen(text);
	}
	trim_spaces(&e, &elen);
	trim_spaces(&c, &clen);
	if (elen == 0)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                bar ? "bilingual text: no English before the '|'"
		                    : "bilingual text: empty");
	if ((status = tv__utf8_check(ctx, e, elen, "bilingual text, English part")) != TV_OK ||
	    (status = tv__utf8_check(ctx, c, clen, "bilingual text, Welsh part")) != TV_OK)
		goto out;
	en_out = dup_bytes(ctx, e, elen);
	cy_out = dup_bytes(ctx, c, clen);
	if (en_out == NULL || cy_out == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate bilingual text");
		goto out;
	}
	*en = en_out;
	*cy = cy_out;
	en_out = cy_out = NULL;
out:
	tv__free(ctx, en_out);
	tv__free(ctx, cy_out);
	return status;
}

/* ---- validation (SPEC §9.3) ---- */

/* a text field: @p required means it must not be empty */
static tv_status check_text(tv_ctx *ctx, const char *s, int required,
                            const char *path)
{
	size_t len;

	if (s == NULL || s[0] == '\0') {
		if (required)
			return tv__fail(ctx, TV_ERR_MANIFEST_INVALID, "%s: missing or empty", path);
		return TV_OK;
	}
	len = strlen(s);
	if (len > TV_MANIFEST_TEXT_MAX)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: %zu bytes, more than the %d allowed", path, len,
		                TV_MANIFEST_TEXT_MAX);
	return tv__utf8_check(ctx, s, len, path);
}

static tv_status check_election_id(tv_ctx *ctx, const char *id)
{
	size_t len;
	char q[TV_QUOTE_BYTES];

	if (id == NULL || id[0] == '\0')
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID, "election_id: missing or empty");
	len = strlen(id);
	if (len > TV_ELECTION_ID_MAX)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "election_id: %zu characters, more than the %d allowed", len,
		                TV_ELECTION_ID_MAX);
	for (size_t i = 0; i < len; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
			                "election_id: \"%s\" has a character other than a-z, "
			                "0-9 or '-' at position %zu", tv__quote(q, id, len), i + 1);
	}
	if (id[0] == '-')
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "election_id: \"%s\" must start with a letter or a digit",
		                tv__quote(q, id, len));
	return TV_OK;
}

static int empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static tv_status validate(tv_ctx *ctx, const tv_manifest_options *o)
{
	char path[PATH_MAX_LEN], p1[TV_PERCENT_FORMAT_BYTES];
	const char *first_welsh;
	int bilingual;
	tv_status status;
	size_t m, i, j;

	if ((status = check_election_id(ctx, o->election_id)) != TV_OK ||
	    (status = check_text(ctx, o->council, 1, "council")) != TV_OK ||
	    (status = check_text(ctx, o->landlord, 0, "landlord")) != TV_OK ||
	    (status = check_text(ctx, o->title.en, 1, "title.en")) != TV_OK ||
	    (status = check_text(ctx, o->title.cy, 0, "title.cy")) != TV_OK ||
	    (status = check_text(ctx, o->question.en, 1, "question.en")) != TV_OK ||
	    (status = check_text(ctx, o->question.cy, 0, "question.cy")) != TV_OK)
		return status;

	m = o->option_count;
	if (m < 2 || m > TV_MAX_OPTIONS)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "options: %zu given, there must be 2 to %d", m, TV_MAX_OPTIONS);
	for (i = 0; i < m; i++) {
		if ((status = check_text(ctx, o->options[i].en, 1,
		                         option_path(path, i, ".label.en"))) != TV_OK ||
		    (status = check_text(ctx, o->options[i].cy, 0,
		                         option_path(path, i, ".label.cy"))) != TV_OK)
			return status;
	}
	/* two options with the same label could not be told apart on paper */
	for (j = 1; j < m; j++) {
		for (i = 0; i < j; i++) {
			if (strcmp(o->options[i].en, o->options[j].en) == 0)
				return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
				                "%s: the same text as option %zu",
				                option_path(path, j, ".label.en"), i + 1);
			if (!empty(o->options[j].cy) && !empty(o->options[i].cy) &&
			    strcmp(o->options[i].cy, o->options[j].cy) == 0)
				return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
				                "%s: the same text as option %zu",
				                option_path(path, j, ".label.cy"), i + 1);
		}
	}
	/*
	 * Welsh for every text or for none: a bilingual ballot paper and
	 * declaration with one text missing in Welsh is a mistake, not a choice.
	 */
	bilingual = !empty(o->title.cy);
	first_welsh = bilingual ? "title.cy is given" : "title.cy is empty";
	if (empty(o->question.cy) == bilingual)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "question.cy: %s but %s (give Welsh for every text or for none)",
		                bilingual ? "missing" : "given", first_welsh);
	for (i = 0; i < m; i++)
		if (empty(o->options[i].cy) == bilingual)
			return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
			                "%s: %s but %s (give Welsh for every text or for none)",
			                option_path(path, i, ".label.cy"),
			                bilingual ? "missing" : "given", first_welsh);

	if (o->transfer_option > m)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "transfer_option: %u, but there are only %zu options",
		                (unsigned)o->transfer_option, m);
	if (o->rule != TV_RULE_MAJORITY && o->rule != TV_RULE_PLURALITY)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "rule: %d is not a counting rule (majority or plurality)",
		                (int)o->rule);
	if (o->rule == TV_RULE_MAJORITY && o->transfer_option == 0)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "transfer_option: missing; the majority rule counts the votes "
		                "for the option that means transfer");
	if (o->transfer_option != 0 && empty(o->landlord))
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "landlord: missing or empty, but option %u means transfer "
		                "(name the proposed new landlord)", (unsigned)o->transfer_option);
	if (o->min_turnout_tenths > 1000) {
		tv_percent_format(p1, o->min_turnout_tenths);
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "min_turnout_pct: %s is above 100.0", p1);
	}
	if (o->supermajority_tenths != 0 &&
	    (o->supermajority_tenths <= 500 || o->supermajority_tenths > 1000)) {
		tv_percent_format(p1, o->supermajority_tenths);
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "supermajority_pct: %s is not from 50.1 to 100.0 "
		                "(none is written as 0 in the options, null in JSON)", p1);
	}
	if (o->opens < TV_TIME_MIN || o->opens > TV_TIME_MAX)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "opens: %lld is outside the years 0000 to 9999", (long long)o->opens);
	if (o->closes < TV_TIME_MIN || o->closes > TV_TIME_MAX)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "closes: %lld is outside the years 0000 to 9999",
		                (long long)o->closes);
	if (o->closes <= o->opens) {
		char t1[TV_TIME_FORMAT_BYTES], t2[TV_TIME_FORMAT_BYTES];

		format_time(t1, o->opens);
		format_time(t2, o->closes);
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "closes: %s is not after opens %s", t2, t1);
	}
	if (o->channels == 0)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID, "channels: none given");
	if (o->channels & ~(uint32_t)TV_CHANNEL_ALL)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "channels: unknown channel bits 0x%x",
		                (unsigned)(o->channels & ~(uint32_t)TV_CHANNEL_ALL));
	if (o->revote != TV_REVOTE_LAST && o->revote != TV_REVOTE_FIRST)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "revote: %d is not a revote policy (last or first)", (int)o->revote);
	if (o->trustees < 1 || o->trustees > TV_MAX_TRUSTEES)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "trustees: %u, there must be 1 to %d", (unsigned)o->trustees,
		                TV_MAX_TRUSTEES);
	if (o->threshold < 1 || o->threshold > o->trustees)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "threshold: %u, it must be from 1 to trustees (%u)",
		                (unsigned)o->threshold, (unsigned)o->trustees);
	return TV_OK;
}

/* ---- fingerprint (SPEC §9.5) ---- */

static void hash_text(tv__hash *h, const char *s)
{
	tv__hash_field(h, s, strlen(s));
}

static tv_status compute_fingerprint(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
                                     const tv_manifest_options *f)
{
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "manifest")) != TV_OK)
		return status;
	tv__hash_u32(&h, FORMAT_VERSION);
	hash_text(&h, f->election_id);
	hash_text(&h, f->council);
	hash_text(&h, f->landlord);
	hash_text(&h, f->title.en);
	hash_text(&h, f->title.cy);
	hash_text(&h, f->question.en);
	hash_text(&h, f->question.cy);
	tv__hash_u32(&h, (uint32_t)f->option_count);
	for (size_t i = 0; i < f->option_count; i++) {
		hash_text(&h, f->options[i].en);
		hash_text(&h, f->options[i].cy);
	}
	tv__hash_u32(&h, f->transfer_option);
	tv__hash_u32(&h, (uint32_t)f->rule);
	tv__hash_u32(&h, f->min_turnout_tenths);
	tv__hash_u32(&h, f->supermajority_tenths);
	tv__hash_u32(&h, (uint32_t)f->allow_blank);
	/* two's complement, so times before 1970 hash too */
	tv__hash_u64(&h, (uint64_t)f->opens);
	tv__hash_u64(&h, (uint64_t)f->closes);
	tv__hash_u32(&h, f->channels);
	tv__hash_u32(&h, (uint32_t)f->revote);
	tv__hash_u32(&h, f->trustees);
	tv__hash_u32(&h, f->threshold);
	return tv__hash_final(&h, out);
}

/* ---- construction ---- */

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* copy @p s to *cursor and advance it */
static const char *put_text(char **cursor, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = *cursor;

	memcpy(p, s, len);
	*cursor += len;
	return p;
}

static tv_status manifest_make(tv_ctx *ctx, tv_manifest **out,
                               const tv_manifest_options *opts)
{
	tv_manifest_options o = *opts;
	tv_manifest *m = NULL;
	size_t total = 0, i;
	char *cursor;
	tv_status status;

	if ((status = validate(ctx, &o)) != TV_OK)
		return status;
	/* one spelling of "no text": "" (what is hashed and what accessors give) */
	o.landlord = or_empty(o.landlord);
	o.title.cy = or_empty(o.title.cy);
	o.question.cy = or_empty(o.question.cy);
	for (i = 0; i < o.option_count; i++)
		o.options[i].cy = or_empty(o.options[i].cy);
	for (i = o.option_count; i < TV_MAX_OPTIONS; i++)
		o.options[i].en = o.options[i].cy = NULL;
	o.allow_blank = o.allow_blank != 0;

	/* bounded by validation: at most 37 texts of 1000 bytes */
	total += strlen(o.election_id) + strlen(o.council) + strlen(o.landlord) +
	         strlen(o.title.en) + strlen(o.title.cy) + strlen(o.question.en) +
	         strlen(o.question.cy) + 7;
	for (i = 0; i < o.option_count; i++)
		total += strlen(o.options[i].en) + strlen(o.options[i].cy) + 2;
	m = tv__alloc(ctx, sizeof(*m) + total);
	if (m == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate the manifest");
	m->free_fn = ctx->free;
	m->free_payload = ctx->alloc_payload;
	m->f = o;
	cursor = m->text;
	m->f.election_id = put_text(&cursor, o.election_id);
	m->f.council = put_text(&cursor, o.council);
	m->f.landlord = put_text(&cursor, o.landlord);
	m->f.title.en = put_text(&cursor, o.title.en);
	m->f.title.cy = put_text(&cursor, o.title.cy);
	m->f.question.en = put_text(&cursor, o.question.en);
	m->f.question.cy = put_text(&cursor, o.question.cy);
	for (i = 0; i < o.option_count; i++) {
		m->f.options[i].en = put_text(&cursor, o.options[i].en);
		m->f.options[i].cy = put_text(&cursor, o.options[i].cy);
	}
	if ((status = compute_fingerprint(ctx, m->fingerprint, &m->f)) != TV_OK) {
		tv_manifest_free(m);
		return status;
	}
	*out = m;
	return TV_OK;
}

tv_status tv_manifest_new(tv_ctx *ctx, tv_manifest **out,
                          const tv_manifest_options *opts)
{
	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || opts == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_manifest_new: NULL argument");
	if (opts->version != TV_MANIFEST_OPTIONS_VERSION)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_manifest_new: options version %u, this library knows %d",
		                opts->version, TV_MANIFEST_OPTIONS_VERSION);
	return manifest_make(ctx, out, opts);
}

void tv_manifest_free(tv_manifest *m)
{
	if (m == NULL)
		return;
	m->free_fn(m, m->free_payload);
}

/* ---- reading JSON (SPEC §9.4) ---- */

/* {"en": ..., "cy": ...}; "cy" may be left out (no Welsh) */
static tv_status read_text(tv__jr *r, tv_text *out, json_t *obj, const char *key,
                           const char *parent)
{
	static const char *const keys[] = { "en", "cy" };
	char path[TV_JR_PATH_BYTES];
	json_t *t;
	size_t len;
	tv_status status;

	tv__jr_path(path, parent, key);
	if ((status = tv__jr_object(r, &t, obj, key, parent, keys, 2, 0)) != TV_OK ||
	    (status = tv__jr_string(r, &out->en, &len, t, "en", path, SIZE_MAX)) != TV_OK)
		return status;
	out->cy = "";
	if (json_object_get(t, "cy") != NULL)
		return tv__jr_string(r, &out->cy, &len, t, "cy", path, SIZE_MAX);
	return TV_OK;
}

static tv_status read_options(tv__jr *r, tv_manifest_options *o, json_t *root)
{
	static const char *const keys[] = { "id", "label" };
	char path[TV_JR_PATH_BYTES], sub[TV_JR_PATH_BYTES];
	json_t *arr, *item, *opt;
	size_t i;
	uint64_t id;
	tv_status status;

	/* more than 16 is refused before any is read; fewer than 2 by §9.3 */
	if ((status = tv__jr_array(r, &arr, root, "options", NULL, 0, TV_MAX_OPTIONS)) != TV_OK)
		return status;
	json_array_foreach(arr, i, item) {
		tv__jr_item(path, "options", i);
		if ((status = tv__jr_object(r, &opt, item, NULL, path, keys, 2, 0)) != TV_OK ||
		    (status = tv__jr_uint(r, &id, opt, "id", path, 0, UINT32_MAX)) != TV_OK)
			return status;
		if (id != i + 1)
			return tv__jr_fail(r, tv__jr_path(sub, path, "id"),
			                   "is %u; options are numbered 1, 2, ... in order",
			                   (unsigned)id);
		if ((status = read_text(r, &o->options[i], opt, "label", path)) != TV_OK)
			return status;
	}
	o->option_count = json_array_size(arr);
	return TV_OK;
}

static tv_status read_channels(tv__jr *r, uint32_t *out, json_t *root)
{
	const char *names[CHANNEL_COUNT];
	char path[TV_JR_PATH_BYTES];
	json_t *arr, *item;
	uint32_t mask = 0;
	size_t i, which;
	tv_status status;

	for (i = 0; i < CHANNEL_COUNT; i++)
		names[i] = channel_names[i].name;
	if ((status = tv__jr_array(r, &arr, root, "channels", NULL, 0, SIZE_MAX)) != TV_OK)
		return status;
	json_array_foreach(arr, i, item) {
		tv__jr_item(path, "channels", i);
		if ((status = tv__jr_enum(r, &which, item, NULL, path, names, CHANNEL_COUNT)) != TV_OK)
			return status;
		if (mask & channel_names[which].bit)
			return tv__jr_fail(r, path, "\"%s\" given twice", names[which]);
		mask |= channel_names[which].bit;
	}
	*out = mask;
	return TV_OK;
}

/* the shape of §9.4, into @p o (strings borrowed from @p root) */
static tv_status read_manifest(tv__jr *r, tv_manifest_options *o, json_t *root)
{
	static const char *const keys[] = {
		"format", "election_id", "council", "landlord", "title", "question",
		"options", "transfer_option", "rule", "min_turnout_pct",
		"supermajority_pct", "allow_blank", "opens", "closes", "channels",
		"revote", "trustees", "threshold",
	};
	static const char *const rules[] = { "majority", "plurality" };
	static const char *const revotes[] = { "last", "first" };
	size_t len, rule, revote;
	uint64_t transfer, trustees, threshold;
	int is_null;
	tv_status status;

	/* every key is known; a missing one is found when its turn comes */
	if ((status = tv__jr_keys(r, root, NULL, keys, sizeof(keys) / sizeof(keys[0]),
	                          0)) != TV_OK ||
	    (status = tv__jr_format(r, root, NULL, TV_MANIFEST_FORMAT)) != TV_OK ||
	    (status = tv__jr_string(r, &o->election_id, &len, root, "election_id", NULL,
	                            SIZE_MAX)) != TV_OK ||
	    (status = tv__jr_string(r, &o->council, &len, root, "council", NULL,
	                            SIZE_MAX)) != TV_OK ||
	    (status = tv__jr_string(r, &o->landlord, &len, root, "landlord", NULL,
	                            SIZE_MAX)) != TV_OK ||
	    (status = read_text(r, &o->title, root, "title", NULL)) != TV_OK ||
	    (status = read_text(r, &o->question, root, "question", NULL)) != TV_OK ||
	    (status = read_options(r, o, root)) != TV_OK ||
	    (status = tv__jr_uint_or_null(r, &transfer, &is_null, root, "transfer_option", NULL, 0,
	                                  UINT32_MAX)) != TV_OK)
		return status;
	/* "no option means transfer" has one spelling, null */
	if (!is_null && transfer == 0)
		return tv__jr_fail(r, "transfer_option", "is 0, not an option; write null when no "
		                   "option means transfer");
	o->transfer_option = (uint32_t)transfer;
	if ((status = tv__jr_enum(r, &rule, root, "rule", NULL, rules, 2)) != TV_OK ||
	    (status = tv__jr_percent(r, &o->min_turnout_tenths, root, "min_turnout_pct",
	                             NULL)) != TV_OK ||
	    (status = tv__jr_percent_or_null(r, &o->supermajority_tenths, &is_null, root,
	                                     "supermajority_pct", NULL)) != TV_OK)
		return status;
	o->rule = (tv_rule)(rule + 1);
	/* "none" has one spelling, null; "0.0" would be a second one */
	if (!is_null && o->supermajority_tenths == 0)
		return tv__jr_fail(r, "supermajority_pct", "is \"0.0\"; write null for none");
	if ((status = tv__jr_bool(r, &o->allow_blank, root, "allow_blank", NULL)) != TV_OK ||
	    (status = tv__jr_time(r, &o->opens, root, "opens", NULL)) != TV_OK ||
	    (status = tv__jr_time(r, &o->closes, root, "closes", NULL)) != TV_OK ||
	    (status = read_channels(r, &o->channels, root)) != TV_OK ||
	    (status = tv__jr_enum(r, &revote, root, "revote", NULL, revotes, 2)) != TV_OK ||
	    (status = tv__jr_uint(r, &trustees, root, "trustees", NULL, 0, UINT32_MAX)) != TV_OK ||
	    (status = tv__jr_uint(r, &threshold, root, "threshold", NULL, 0, UINT32_MAX)) != TV_OK)
		return status;
	o->revote = (tv_revote)(revote + 1);
	o->trustees = (uint32_t)trustees;
	o->threshold = (uint32_t)threshold;
	return TV_OK;
}

tv_status tv_manifest_from_json(tv_ctx *ctx, tv_manifest **out, const char *json,
                                size_t len)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	json_t *root = NULL;
	tv__jr r;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_manifest_from_json: NULL argument");
	/*
	 * Every refusal is TV_ERR_MANIFEST_INVALID, but bytes that are not
	 * UTF-8 (TV_ERR_UTF8). The size is bounded before Jansson starts; its
	 * default decoding refuses "\u0000" and anything after the top-level
	 * value, and a duplicate key would let two readers see two different
	 * manifests in the same bytes.
	 */
	tv__jr_init(&r, ctx, TV_ERR_MANIFEST_INVALID, "manifest");
	if ((root = tv__jr_load_utf8(&r, &status, json, len, TV_MANIFEST_JSON_MAX)) == NULL)
		return status;
	if ((status = read_manifest(&r, &o, root)) != TV_OK)
		goto out;
	status = manifest_make(ctx, out, &o);
out:
	json_decref(root);
	return status;
}

/* ---- writing JSON (SPEC §9.4) ---- */

static json_t *text_json(const tv_text *t)
{
	json_t *obj = json_object();

	/* json_object_set_new takes the value even when it fails */
	if (json_object_set_new(obj, "en", json_string(t->en)) != 0 ||
	    json_object_set_new(obj, "cy", json_string(t->cy)) != 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *manifest_json(const tv_manifest *m)
{
	const tv_manifest_options *f = &m->f;
	char pct[TV_PERCENT_FORMAT_BYTES], opens[TV_TIME_FORMAT_BYTES],
		closes[TV_TIME_FORMAT_BYTES];
	json_t *root = json_object(), *options = json_array(), *channels = json_array();
	int bad = root == NULL || options == NULL || channels == NULL;
	size_t i;

	for (i = 0; !bad && i < f->option_count; i++) {
		json_t *opt = json_object();

		bad |= json_object_set_new(opt, "id", json_integer((json_int_t)(i + 1))) != 0;
		bad |= json_object_set_new(opt, "label", text_json(&f->options[i])) != 0;
		bad |= json_array_append_new(options, opt) != 0;
	}
	for (i = 0; !bad && i < CHANNEL_COUNT; i++)
		if (f->channels & channel_names[i].bit)
			bad |= json_array_append_new(channels,
			                             json_string(channel_names[i].name)) != 0;
	format_time(opens, f->opens);
	format_time(closes, f->closes);
	tv_percent_format(pct, f->min_turnout_tenths);
	bad |= json_object_set_new(root, "format", json_string(TV_MANIFEST_FORMAT)) != 0;
	bad |= json_object_set_new(root, "election_id", json_string(f->election_id)) != 0;
	bad |= json_object_set_new(root, "council", json_string(f->council)) != 0;
	bad |= json_object_set_new(root, "landlord", json_string(f->landlord)) != 0;
	bad |= json_object_set_new(root, "title", text_json(&f->title)) != 0;
	bad |= json_object_set_new(root, "question", text_json(&f->question)) != 0;
	bad |= json_object_set_new(root, "options", json_incref(options)) != 0;
	bad |= json_object_set_new(root, "transfer_option",
	                           f->transfer_option
	                               ? json_integer((json_int_t)f->transfer_option)
	                               : json_null()) != 0;
	bad |= json_object_set_new(root, "rule", json_string(tv_rule_name(f->rule))) != 0;
	bad |= json_object_set_new(root, "min_turnout_pct", json_string(pct)) != 0;
	tv_percent_format(pct, f->supermajority_tenths);
	bad |= json_object_set_new(root, "supermajority_pct",
	                           f->supermajority_tenths ? json_string(pct)
	                                                   : json_null()) != 0;
	bad |= json_object_set_new(root, "allow_blank", json_boolean(f->allow_blank)) != 0;
	bad |= json_object_set_new(root, "opens", json_string(opens)) != 0;
	bad |= json_object_set_new(root, "closes", json_string(closes)) != 0;
	bad |= json_object_set_new(root, "channels", json_incref(channels)) != 0;
	bad |= json_object_set_new(root, "revote",
	                           json_string(tv_revote_name(f->revote))) != 0;
	bad |= json_object_set_new(root, "trustees",
	                           json_integer((json_int_t)f->trustees)) != 0;
	bad |= json_object_set_new(root, "threshold",
	                           json_integer((json_int_t)f->threshold)) != 0;
	json_decref(options);
	json_decref(channels);
	if (bad) {
		json_decref(root);
		return NULL;
	}
	return root;
}

tv_status tv_manifest_to_json(tv_ctx *ctx, char **out, size_t *len,
                              const tv_manifest *m)
{
	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL || out == NULL || m == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_manifest_to_json: NULL argument");
	/* no JSON_ENSURE_ASCII: Welsh is written as the same UTF-8 bytes */
	return tv__json_dump(ctx, out, len, manifest_json(m), JSON_INDENT(2), 1,
	                     "the manifest JSON");
}

/* ---- accessors ---- */

void tv_manifest_fingerprint(uint8_t out[TV_MANIFEST_FINGERPRINT_BYTES],
                             const tv_manifest *m)
{
	if (out == NULL)
		return;
	if (m == NULL)
		memset(out, 0, TV_MANIFEST_FINGERPRINT_BYTES);
	else
		memcpy(out, m->fingerprint, TV_MANIFEST_FINGERPRINT_BYTES);
}

void tv_manifest_get_options(tv_manifest_options *out, const tv_manifest *m)
{
	static const tv_manifest_options init = TV_MANIFEST_OPTIONS_INIT;

	if (out == NULL)
		return;
	*out = m ? m->f : init;
}

static const tv_text no_text = { NULL, NULL };

const char *tv_manifest_election_id(const tv_manifest *m)
{
	return m ? m->f.election_id : NULL;
}

const char *tv_manifest_council(const tv_manifest *m)
{
	return m ? m->f.council : NULL;
}

const char *tv_manifest_landlord(const tv_manifest *m)
{
	return m ? m->f.landlord : NULL;
}

tv_text tv_manifest_title(const tv_manifest *m)
{
	return m ? m->f.title : no_text;
}

tv_text tv_manifest_question(const tv_manifest *m)
{
	return m ? m->f.question : no_text;
}

size_t tv_manifest_option_count(const tv_manifest *m)
{
	return m ? m->f.option_count : 0;
}

tv_text tv_manifest_option(const tv_manifest *m, uint32_t id)
{
	if (m == NULL || id < 1 || id > m->f.option_count)
		return no_text;
	return m->f.options[id - 1];
}

uint32_t tv_manifest_transfer_option(const tv_manifest *m)
{
	return m ? m->f.transfer_option : 0;
}

tv_rule tv_manifest_rule(const tv_manifest *m)
{
	return m ? m->f.rule : (tv_rule)0;
}

uint32_t tv_manifest_min_turnout_tenths(const tv_manifest *m)
{
	return m ? m->f.min_turnout_tenths : 0;
}

uint32_t tv_manifest_supermajority_tenths(const tv_manifest *m)
{
	return m ? m->f.supermajority_tenths : 0;
}

int tv_manifest_allow_blank(const tv_manifest *m)
{
	return m ? m->f.allow_blank : 0;
}

int64_t tv_manifest_opens(const tv_manifest *m)
{
	return m ? m->f.opens : 0;
}

int64_t tv_manifest_closes(const tv_manifest *m)
{
	return m ? m->f.closes : 0;
}

uint32_t tv_manifest_channels(const tv_manifest *m)
{
	return m ? m->f.channels : 0;
}

tv_revote tv_manifest_revote(const tv_manifest *m)
{
	return m ? m->f.revote : (tv_revote)0;
}

uint32_t tv_manifest_trustees(const tv_manifest *m)
{
	return m ? m->f.trustees : 0;
}

uint32_t tv_manifest_threshold(const tv_manifest *m)
{
	return m ? m->f.threshold : 0;
}
