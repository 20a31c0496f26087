/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §9: the election manifest. One validation (§9.3) serves both ways in
 * (options struct and JSON, manifest_json.c). The fingerprint (§9.5) is
 * computed once, when the manifest is made, so reading it cannot fail.
 * The spellings of its values (§9.6) are in spelling.c.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "json_util.h"
#include "manifest_internal.h"

/* the fingerprint's field-list version: 2 with contact details, 3 with the
 * offer document too (§9.5) */
#define FORMAT_VERSION 1u
#define FORMAT_VERSION_CONTACT 2u
#define FORMAT_VERSION_OFFER 3u
#define PATH_MAX_LEN 96

/* ---- messages ---- */

/* JSON path of a field of option index i (0-based), and its id */
static const char *option_path(char out[PATH_MAX_LEN], size_t i, const char *tail)
{
	snprintf(out, PATH_MAX_LEN, "options[%zu]%s (option %zu)", i, tail, i + 1);
	return out;
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
	return tv__visible_check(ctx, s, len, path);
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
	/*
	 * Two options with the same label could not be told apart on paper;
	 * nor could two that differ only in how a letter is encoded (ŵ as one
	 * code point or as w and a combining circumflex), so labels are
	 * compared after NFC normalisation.
	 */
	for (j = 1; j < m; j++) {
		for (i = 0; i < j; i++) {
			int same, bytes;

			if ((status = tv__nfc_equal(ctx, &same, o->options[i].en,
			                            o->options[j].en)) != TV_OK)
				return status;
			bytes = strcmp(o->options[i].en, o->options[j].en) == 0;
			if (same)
				return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
				                "%s: the same text as option %zu%s",
				                option_path(path, j, ".label.en"), i + 1,
				                bytes ? "" : " (once Unicode-normalised, NFC)");
			if (empty(o->options[j].cy) || empty(o->options[i].cy))
				continue;
			if ((status = tv__nfc_equal(ctx, &same, o->options[i].cy,
			                            o->options[j].cy)) != TV_OK)
				return status;
			bytes = strcmp(o->options[i].cy, o->options[j].cy) == 0;
			if (same)
				return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
				                "%s: the same text as option %zu%s",
				                option_path(path, j, ".label.cy"), i + 1,
				                bytes ? "" : " (once Unicode-normalised, NFC)");
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

		tv__format_time(t1, o->opens);
		tv__format_time(t2, o->closes);
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

/* ---- contact details (SPEC §9.2.1) ---- */

/* printable ASCII, no space, at most @p max bytes; "" passes */
static tv_status check_ascii(tv_ctx *ctx, const char *s, size_t max, const char *path)
{
	size_t len = strlen(s);

	if (len > max)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: %zu bytes, more than the %zu allowed", path, len, max);
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
			                "%s: has a space or a character that is not printable "
			                "ASCII at position %zu", path, i + 1);
	return TV_OK;
}

static tv_status check_url(tv_ctx *ctx, const char *s, int board, const char *path)
{
	tv_status status;
	size_t len = strlen(s);

	if (len == 0)
		return TV_OK;
	if ((status = check_ascii(ctx, s, TV_CONTACT_URL_MAX, path)) != TV_OK)
		return status;
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: must start with https:// (or http://)", path);
	if (strchr(s, '#') != NULL)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: must not hold '#' (the check page's code follows it)",
		                path);
	if (board && s[len - 1] != '/')
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "%s: must end with '/' (the site's folder)", path);
	return TV_OK;
}

static tv_status check_phone(tv_ctx *ctx, const char *s, const char *path)
{
	size_t len = strlen(s), digits = 0;

	if (len > TV_CONTACT_PHONE_MAX)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "contact.%s: %zu bytes, more than the %d allowed", path, len,
		                TV_CONTACT_PHONE_MAX);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			digits++;
		else if (!(c == ' ' || c == '+' || c == '(' || c == ')' || c == '-'))
			return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
			                "contact.%s: has a character other than digits, spaces, "
			                "'+', '(', ')' or '-' at position %zu", path, i + 1);
	}
	if (len > 0 && digits < 3)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "contact.%s: is not a telephone number", path);
	return TV_OK;
}

static tv_status validate_contact(tv_ctx *ctx, const tv_contact *c, tv_letters letters)
{
	const char *at;
	tv_status status;

	if ((status = check_text(ctx, c->officer, 1, "contact.officer")) != TV_OK ||
	    (status = check_text(ctx, c->address, 1, "contact.address")) != TV_OK ||
	    (status = check_phone(ctx, c->phone, "phone")) != TV_OK ||
	    (status = check_ascii(ctx, c->email, TV_CONTACT_EMAIL_MAX, "contact.email")) != TV_OK ||
	    (status = check_url(ctx, c->vote_url, 0, "contact.vote_url")) != TV_OK ||
	    (status = check_phone(ctx, c->vote_phone, "vote_phone")) != TV_OK ||
	    (status = check_url(ctx, c->board_url, 1, "contact.board_url")) != TV_OK)
		return status;
	at = strchr(c->email, '@');
	if (c->email[0] != '\0' && (at == NULL || at == c->email || at[1] == '\0' ||
	                            strchr(at + 1, '@') != NULL))
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "contact.email: is not an e-mail address (one '@' between a name "
		                "and a domain)");
	if (letters != TV_LETTERS_REGISTER && letters != TV_LETTERS_BILINGUAL)
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "letters: %d is not a way to write letters (register or bilingual)",
		                (int)letters);
	return TV_OK;
}

/* ---- the offer document (SPEC §9.2.2) ---- */

static tv_status validate_offer(tv_ctx *ctx, const tv_offer *o, const tv_manifest_options *f)
{
	tv_status status;

	if ((status = check_url(ctx, o->url, 0, "offer.url")) != TV_OK ||
	    (status = check_url(ctx, o->url_cy, 0, "offer.url_cy")) != TV_OK)
		return status;
	if (o->has_cy && empty(f->title.cy))
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "offer.sha256_cy: given but the manifest has no Welsh texts");
	if (!o->has_cy && o->url_cy[0] != '\0')
		return tv__fail(ctx, TV_ERR_MANIFEST_INVALID,
		                "offer.url_cy: given but there is no Welsh offer document "
		                "(offer.sha256_cy)");
	return TV_OK;
}

/* ---- fingerprint (SPEC §9.5) ---- */

static void hash_text(tv__hash *h, const char *s)
{
	tv__hash_field(h, s, strlen(s));
}

static tv_status compute_fingerprint(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
                                     const tv_manifest *m)
{
	const tv_manifest_options *f = &m->f;
	const tv_contact *c = &m->contact;
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "manifest")) != TV_OK)
		return status;
	tv__hash_u32(&h, m->has_offer     ? FORMAT_VERSION_OFFER
	                 : m->has_contact ? FORMAT_VERSION_CONTACT
	                                  : FORMAT_VERSION);
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
	if (m->has_contact) {
		hash_text(&h, c->officer);
		hash_text(&h, c->address);
		hash_text(&h, c->phone);
		hash_text(&h, c->email);
		hash_text(&h, c->vote_url);
		hash_text(&h, c->vote_phone);
		hash_text(&h, c->board_url);
		tv__hash_u32(&h, (uint32_t)m->letters);
	}
	if (m->has_offer) {
		tv__hash_field(&h, m->offer.sha256, TV_OFFER_DIGEST_BYTES);
		/* no Welsh document: the empty field */
		tv__hash_field(&h, m->offer.sha256_cy, m->offer.has_cy ? TV_OFFER_DIGEST_BYTES : 0);
		hash_text(&h, m->offer.url);
		hash_text(&h, m->offer.url_cy);
	}
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

tv_status tv__manifest_make(tv_ctx *ctx, tv_manifest **out, const tv_manifest_options *opts,
                            const tv_contact *contact, tv_letters letters,
                            const tv_offer *offer)
{
	tv_manifest_options o = *opts;
	tv_contact c = { "", "", "", "", "", "", "" };
	tv_offer of;
	tv_manifest *m = NULL;
	size_t total = 0, i;
	char *cursor;
	tv_status status;

	if (contact != NULL) {
		c.officer = or_empty(contact->officer);
		c.address = or_empty(contact->address);
		c.phone = or_empty(contact->phone);
		c.email = or_empty(contact->email);
		c.vote_url = or_empty(contact->vote_url);
		c.vote_phone = or_empty(contact->vote_phone);
		c.board_url = or_empty(contact->board_url);
	} else {
		letters = TV_LETTERS_REGISTER;
	}
	memset(&of, 0, sizeof(of));
	of.url = of.url_cy = "";
	if (offer != NULL) {
		memcpy(of.sha256, offer->sha256, TV_OFFER_DIGEST_BYTES);
		of.has_cy = offer->has_cy != 0;
		if (of.has_cy)
			memcpy(of.sha256_cy, offer->sha256_cy, TV_OFFER_DIGEST_BYTES);
		of.url = or_empty(offer->url);
		of.url_cy = or_empty(offer->url_cy);
	}
	if ((status = validate(ctx, &o)) != TV_OK ||
	    (contact != NULL && (status = validate_contact(ctx, &c, letters)) != TV_OK) ||
	    (offer != NULL && (status = validate_offer(ctx, &of, &o)) != TV_OK))
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
	total += strlen(c.officer) + strlen(c.address) + strlen(c.phone) + strlen(c.email) +
	         strlen(c.vote_url) + strlen(c.vote_phone) + strlen(c.board_url) + 7;
	total += strlen(of.url) + strlen(of.url_cy) + 2;
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
	m->has_contact = contact != NULL;
	m->letters = letters;
	m->contact.officer = put_text(&cursor, c.officer);
	m->contact.address = put_text(&cursor, c.address);
	m->contact.phone = put_text(&cursor, c.phone);
	m->contact.email = put_text(&cursor, c.email);
	m->contact.vote_url = put_text(&cursor, c.vote_url);
	m->contact.vote_phone = put_text(&cursor, c.vote_phone);
	m->contact.board_url = put_text(&cursor, c.board_url);
	m->has_offer = offer != NULL;
	m->offer = of;
	m->offer.url = put_text(&cursor, of.url);
	m->offer.url_cy = put_text(&cursor, of.url_cy);
	if ((status = compute_fingerprint(ctx, m->fingerprint, m)) != TV_OK) {
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
	return tv__manifest_make(ctx, out, opts, NULL, TV_LETTERS_REGISTER, NULL);
}

tv_status tv_manifest_new_contact(tv_ctx *ctx, tv_manifest **out, const tv_manifest_options *opts,
                                  const tv_contact *contact, tv_letters letters)
{
	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || opts == NULL || contact == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_manifest_new_contact: NULL argument");
	if (opts->version != TV_MANIFEST_OPTIONS_VERSION)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_manifest_new_contact: options version %u, this library knows %d",
		                opts->version, TV_MANIFEST_OPTIONS_VERSION);
	return tv__manifest_make(ctx, out, opts, contact, letters, NULL);
}

tv_status tv_manifest_new_offer(tv_ctx *ctx, tv_manifest **out, const tv_manifest_options *opts,
                                const tv_contact *contact, tv_letters letters,
                                const tv_offer *offer)
{
	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || opts == NULL || contact == NULL || offer == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_manifest_new_offer: NULL argument");
	if (opts->version != TV_MANIFEST_OPTIONS_VERSION)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_manifest_new_offer: options version %u, this library knows %d",
		                opts->version, TV_MANIFEST_OPTIONS_VERSION);
	return tv__manifest_make(ctx, out, opts, contact, letters, offer);
}

void tv_manifest_free(tv_manifest *m)
{
	if (m == NULL)
		return;
	m->free_fn(m, m->free_payload);
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

tv_contact tv_manifest_contact(const tv_manifest *m)
{
	static const tv_contact none = { "", "", "", "", "", "", "" };

	return m ? m->contact : none;
}

int tv_manifest_offer(const tv_manifest *m, tv_offer *out)
{
	if (out != NULL) {
		memset(out, 0, sizeof(*out));
		out->url = out->url_cy = "";
		if (m != NULL && m->has_offer)
			*out = m->offer;
	}
	return m != NULL && m->has_offer;
}

tv_letters tv_manifest_letters(const tv_manifest *m)
{
	return m ? m->letters : TV_LETTERS_REGISTER;
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

/* one language of a text; NULL for another language (manifest.h) */
static const char *text_in(tv_text t, const char *lang)
{
	if (lang == NULL)
		return NULL;
	if (strcmp(lang, "en") == 0)
		return t.en;
	if (strcmp(lang, "cy") == 0)
		return t.en == NULL ? NULL : t.cy != NULL ? t.cy : "";
	return NULL;
}

const char *tv_manifest_title_in(const tv_manifest *m, const char *lang)
{
	return text_in(tv_manifest_title(m), lang);
}

const char *tv_manifest_question_in(const tv_manifest *m, const char *lang)
{
	return text_in(tv_manifest_question(m), lang);
}

const char *tv_manifest_option_in(const tv_manifest *m, uint32_t id, const char *lang)
{
	return text_in(tv_manifest_option(m, id), lang);
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
