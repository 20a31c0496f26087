/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A strict scanner for board.jsonl lines in the one spelling the box
 * writes (SPEC §18.7 envelope; §15.1.4 ballot, §15.6 spoilt paper,
 * §15.1.5 opened ballot, §11.7 credential change, each as Jansson's
 * compact output or changes.c's printf): keys in that order, no
 * whitespace, lowercase hex of the exact length, whole numbers without
 * sign or leading zero, no escapes.
 *
 * It is only a faster road to the same answer (issue 14: Jansson costs
 * ~40 us a ballot line, most of a verify). So it never decides anything:
 * on any byte it does not expect, and on any value the JSON reader would
 * refuse (a point off the curve, a scalar not below n, a number out of
 * range), it declines, and the caller reads the line with the JSON reader
 * (board_entry.c), whose verdict and message stand. What it accepts it
 * reads to exactly the structs that reader makes: the same fields, the
 * same checks through the same functions (tv_point_check, the one behind
 * tv_point_decode; tv_scalar_decode), the same digests.
 */
#include <string.h>

#include "ballot_internal.h"

typedef struct scan {
	const char *p, *end;
	tv_ctx *ctx;
} scan;

/* the literal @p s next: a string constant, so its length is known */
#define LIT(c, s) lit((c), (s), sizeof(s) - 1)

static int lit(scan *c, const char *s, size_t n)
{
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

/* the value of '0'-'9' and 'a'-'f' (the only hex §9 allows); 0xf0 for
 * any other byte, whose high bits then mark the text bad */
#define X 0xf0
static const uint8_t hex_of[256] = {
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, 10, 11, 12, 13, 14, 15, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
	X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
};
#undef X

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES UINT64_C(0x0101010101010101)

/*
 * 8 hex characters (little-endian in @p w) into 4 bytes at @p out, eight
 * at a time, as a table would: *bad gets a bit when one is not '0'-'9' or
 * 'a'-'f'. For a byte c below 0x80, c + (0x80 - k) has its top bit set
 * exactly when c >= k, and never carries into the next byte.
 */
static void hex8(uint8_t *out, uint64_t w, uint64_t *bad)
{
	uint64_t high = w & (ONES * 0x80), c = w & ~(ONES * 0x80);
	uint64_t ge30 = c + ONES * (0x80 - 0x30), ge3a = c + ONES * (0x80 - 0x3a);
	uint64_t ge61 = c + ONES * (0x80 - 0x61), ge67 = c + ONES * (0x80 - 0x67);
	uint64_t digit = ge30 & ~ge3a & ONES * 0x80, letter = ge61 & ~ge67 & ONES * 0x80;
	uint64_t v = (c & ONES * 0x0f) + (letter >> 7) * 9;
	uint32_t x32;

	*bad |= high | ((digit | letter) ^ ONES * 0x80);
	/* each pair of characters (first the high nibble) into the low byte
	 * of its 16 bits, then the four bytes together */
	v = ((v << 4) | (v >> 8)) & UINT64_C(0x00ff00ff00ff00ff);
	v = (v | (v >> 8)) & UINT64_C(0x0000ffff0000ffff);
	x32 = (uint32_t)(v | (v >> 16));
	memcpy(out, &x32, 4);
}
#endif

/* "<2n lowercase hex>" into @p out, decoded once; one test for the
 * whole text, not a branch on each character */
static int hex(scan *c, uint8_t *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)c->p;
	unsigned bad = 0, bad_words = 0;
	size_t i = 0;

	if ((size_t)(c->end - c->p) < 2 * n + 2 || s[0] != '"' || s[2 * n + 1] != '"')
		return 0;
	s++;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	{
		uint64_t bad8 = 0, w;

		for (; i + 4 <= n; i += 4) {
			memcpy(&w, s + 2 * i, 8);
			hex8(out + i, w, &bad8);
		}
		bad_words = bad8 != 0;
	}
#endif
	for (; i < n; i++) {
		unsigned hi = hex_of[s[2 * i]], lo = hex_of[s[2 * i + 1]];

		bad |= hi | lo;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	if ((bad & 0xf0) || bad_words)
		return 0;
	c->p += 2 * n + 2;
	return 1;
}

/* a point as tv__jr_point reads it: its verdict is tv_point_decode's,
 * which is tv_point_check's on the same bytes */
static int point(scan *c, tv_point *out)
{
	return hex(c, out->bytes, TV_POINT_BYTES) && tv_point_check(c->ctx, out) == TV_OK;
}

static int scalar(scan *c, tv_scalar *out)
{
	uint8_t raw[TV_SCALAR_BYTES];

	return hex(c, raw, sizeof(raw)) && tv_scalar_decode(c->ctx, out, raw, sizeof(raw)) == TV_OK;
}

/*
 * A whole number as the box prints it: "0" or digits from 1 to 9 first,
 * at most 18 of them, so that it is below INT64_MAX and Jansson reads it
 * as the same integer. A sign, a fraction or an exponent is declined.
 */
static int number(scan *c, uint64_t *out)
{
	const char *s = c->p;
	uint64_t v = 0;
	size_t n = 0;

	while (s + n < c->end && s[n] >= '0' && s[n] <= '9' && n <= 18)
		v = v * 10 + (uint64_t)(s[n++] - '0');
	if (n == 0 || n > 18 || (n > 1 && s[0] == '0'))
		return 0;
	c->p += n;
	*out = v;
	return 1;
}

/* {"a":pt,"b":pt,"challenge":sc,"response":sc} */
static int branch(scan *c, tv_range_branch *b)
{
	return LIT(c, "{\"a\":") && point(c, &b->a) && LIT(c, ",\"b\":") && point(c, &b->b) &&
	       LIT(c, ",\"challenge\":") && scalar(c, &b->challenge) &&
	       LIT(c, ",\"response\":") && scalar(c, &b->response) && LIT(c, "}");
}

/* exactly @p count branches in an array */
static int branches(scan *c, tv_range_branch *b, uint32_t count)
{
	if (!LIT(c, "["))
		return 0;
	for (uint32_t j = 0; j < count; j++)
		if ((j > 0 && !LIT(c, ",")) || !branch(c, &b[j]))
			return 0;
	return LIT(c, "]");
}

/* a ballot object (§15.1.4) into a new *out (which the caller frees, on
 * failure too), with its signature when @p signed_ (a board entry) and
 * without (an opened ballot); the selections are read here first, and the
 * ballot made at their number's size */
static int ballot(scan *c, tv_ballot **out, int signed_)
{
	tv_ciphertext vote[TV_MAX_OPTIONS];
	tv_bit_proof bit[TV_MAX_OPTIONS];
	uint8_t fingerprint[32];
	tv_point credential;
	uint64_t min, max;
	uint32_t i;
	tv_ballot *b;

	if (!LIT(c, "{\"format\":\"tenantvote-ballot/1\",\"election\":") ||
	    !hex(c, fingerprint, 32) || !LIT(c, ",\"credential\":") || !point(c, &credential) ||
	    !LIT(c, ",\"selections\":["))
		return 0;
	for (i = 0; i == 0 || LIT(c, ","); i++) {
		if (i == TV_MAX_OPTIONS || !LIT(c, "{\"alpha\":") || !point(c, &vote[i].alpha) ||
		    !LIT(c, ",\"beta\":") || !point(c, &vote[i].beta) ||
		    !LIT(c, ",\"proof\":") || !branches(c, bit[i].branch, 2) || !LIT(c, "}"))
			return 0;
	}
	/* the reader wants 2 to TV_MAX_OPTIONS selections, 0 <= min <= max <= 1 */
	if (i < 2 || !LIT(c, "],\"total\":{\"min\":") || !number(c, &min) || min > 1 ||
	    !LIT(c, ",\"max\":") || !number(c, &max) || max < min || max > 1 ||
	    !LIT(c, ",\"proof\":") || (*out = b = tv__ballot_alloc(c->ctx, i)) == NULL)
		return 0;
	memcpy(b->fingerprint, fingerprint, 32);
	b->credential = credential;
	memcpy(b->vote, vote, i * sizeof(vote[0]));
	memcpy(b->bit, bit, i * sizeof(bit[0]));
	b->min = (uint32_t)min;
	b->max = (uint32_t)max;
	if (!branches(c, b->total, b->max - b->min + 1) || !LIT(c, "}"))
		return 0;
	if (signed_) {
		if (!LIT(c, ",\"signature\":{\"commitment\":") ||
		    !point(c, &b->signature.commitment) || !LIT(c, ",\"response\":") ||
		    !scalar(c, &b->signature.response) || !LIT(c, "}"))
			return 0;
		b->is_signed = 1;
	}
	return LIT(c, "}") && tv__ballot_digests(c->ctx, b) == TV_OK;
}

/* {"format":...,"ballot":{...},"choice":k,"nonces":[sc,...]} (§15.1.5) */
static int opened(scan *c, tv_ballot **out, tv__board_entry *e)
{
	uint64_t choice;
	tv_ballot *b;

	if (!LIT(c, "{\"format\":\"tenantvote-challenged-ballot/1\",\"ballot\":") ||
	    !ballot(c, out, 0))
		return 0;
	b = *out;
	if (!LIT(c, ",\"choice\":") || !number(c, &choice) ||
	    choice > b->options || !LIT(c, ",\"nonces\":["))
		return 0;
	for (uint32_t i = 0; i < b->options; i++)
		if ((i > 0 && !LIT(c, ",")) || !scalar(c, &e->nonce[i]))
			return 0;
	if (!LIT(c, "]}"))
		return 0;
	b->challenged = 1;
	e->choice = (uint32_t)choice;
	return 1;
}

/* {"format":...,"election":h,"credential":pt,"reason":"slug","signature":{...}} */
static int spoilt(scan *c, tv_spoilt *p)
{
	size_t r;

	if (!LIT(c, "{\"format\":\"tenantvote-spoilt/1\",\"election\":") ||
	    !hex(c, p->fingerprint, 32) || !LIT(c, ",\"credential\":") ||
	    !point(c, &p->credential) || !LIT(c, ",\"reason\":\""))
		return 0;
	for (r = 0; r < TV_SPOILT_REASONS; r++) {
		const char *name = tv__spoilt_reason_names[r];

		if (lit(c, name, strlen(name)))
			break;
	}
	if (r == TV_SPOILT_REASONS || !LIT(c, "\",\"signature\":{\"commitment\":") ||
	    !point(c, &p->signature.commitment) || !LIT(c, ",\"response\":") ||
	    !scalar(c, &p->signature.response) || !LIT(c, "}}"))
		return 0;
	p->reason = (tv_spoilt_reason)(r + 1);
	return tv__spoilt_digests(c->ctx, p) == TV_OK;
}

/* {"credential":pt,"signature":"<64 bytes>"} (§11.7, lib/box/changes.c) */
static int change(scan *c, tv__board_entry *e)
{
	if (!LIT(c, "{\"credential\":") || !point(c, &e->change.credential) ||
	    !LIT(c, ",\"signature\":") || !hex(c, e->change.signature, 64) || !LIT(c, "}"))
		return 0;
	if (tv__credential_change_tracking(c->ctx, e->tracking, e->kind, &e->change.credential,
	                                   e->change.signature) != TV_OK)
		return 0;
	e->credential = &e->change.credential;
	return 1;
}

static const struct {
	const char *name;
	size_t len;
	int kind;
} kinds[] = {
	{ "ballot\"", 7, TV_ENTRY_BALLOT },
	{ "spoilt\"", 7, TV_ENTRY_SPOILT },
	{ "opened\"", 7, TV_ENTRY_OPENED },
	{ "credential-added\"", 17, TV_ENTRY_CREDENTIAL_ADDED },
	{ "credential-revoked\"", 19, TV_ENTRY_CREDENTIAL_REVOKED },
};

int tv__board_line_scan(tv_ctx *ctx, tv__board_entry *e, tv_ballot **ballot_out,
                        tv_spoilt **spoilt_out, const char *line, size_t len)
{
	scan c = { line, line + len, ctx };
	tv_ballot *b = NULL;
	tv_spoilt *p = NULL;
	uint64_t position, channel, time;
	size_t k;
	int ok = 0;

	*ballot_out = NULL;
	*spoilt_out = NULL;
	memset(e, 0, sizeof(*e));
	if (line == NULL || !LIT(&c, "{\"position\":") || !number(&c, &position) ||
	    !LIT(&c, ",\"kind\":\""))
		goto out;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (lit(&c, kinds[k].name, kinds[k].len))
			break;
	/* the JSON reader refuses a channel above UINT32_MAX: decline it */
	if (k == sizeof(kinds) / sizeof(kinds[0]) || !LIT(&c, ",\"channel\":") ||
	    !number(&c, &channel) || channel > UINT32_MAX || !LIT(&c, ",\"time\":") ||
	    !number(&c, &time) || !LIT(&c, ",\"prev_head\":") || !hex(&c, e->prev_head, 32) ||
	    !LIT(&c, ",\"head\":") || !hex(&c, e->head, 32) || !LIT(&c, ",\"entry\":"))
		goto out;
	e->position = position;
	e->kind = kinds[k].kind;
	e->channel = (uint32_t)channel;
	e->time = (int64_t)time;
	switch (e->kind) {
	case TV_ENTRY_BALLOT:
	case TV_ENTRY_OPENED:
		/* no message on failure: the JSON reader, which reads next, gives it */
		if (e->kind == TV_ENTRY_BALLOT ? !ballot(&c, &b, 1) : !opened(&c, &b, e))
			goto out;
		e->credential = &b->credential;
		memcpy(e->tracking, b->tracking, 32);
		break;
	case TV_ENTRY_SPOILT:
		if ((p = tv__calloc(ctx, 1, sizeof(*p))) == NULL)
			goto out;
		p->ctx = ctx;
		if (!spoilt(&c, p))
			goto out;
		e->credential = &p->credential;
		memcpy(e->tracking, p->tracking, 32);
		break;
	default:
		if (!change(&c, e))
			goto out;
		break;
	}
	/* the envelope's closing brace ends the line: nothing may follow */
	ok = LIT(&c, "}") && c.p == c.end;
out:
	if (!ok) {
		tv_ballot_free(b);
		tv_spoilt_free(p);
		memset(e, 0, sizeof(*e));
		return 0;
	}
	*ballot_out = b;
	*spoilt_out = p;
	return 1;
}
