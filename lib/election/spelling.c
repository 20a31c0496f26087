/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §9.6: the one spelling of each value a manifest, a result and the
 * command line write as text: counting rules, revote policies, channels,
 * percentages, UTC times and bilingual "English|Cymraeg" text.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "json_util.h"
#include "manifest_internal.h"

/* ---- spellings (SPEC §9.6) ---- */

const tv__channel_spelling tv__channel_names[TV__CHANNEL_COUNT] = {
	{ TV_CHANNEL_ONLINE, "online" },
	{ TV_CHANNEL_PHONE, "phone" },
	{ TV_CHANNEL_POSTAL, "postal" },
	{ TV_CHANNEL_IN_PERSON, "in_person" },
};

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
	for (size_t i = 0; i < TV__CHANNEL_COUNT; i++)
		if (tv__channel_names[i].bit == channel)
			return tv__channel_names[i].name;
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

	for (size_t i = 0; i < TV__CHANNEL_COUNT; i++) {
		if (name_is(s, len, tv__channel_names[i].name)) {
			*out = tv__channel_names[i].bit;
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
void tv__format_time(char out[TV_TIME_FORMAT_BYTES], int64_t t)
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
	tv__format_time(out, t);
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
	if ((status = tv__visible_check(ctx, e, elen, "bilingual text, English part")) != TV_OK ||
	    (status = tv__visible_check(ctx, c, clen, "bilingual text, Welsh part")) != TV_OK)
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
