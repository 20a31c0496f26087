/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §9.4: the manifest as JSON. The reader only checks the shape of
 * untrusted input (through the typed reader) and translates it to the
 * options struct, which the one validation of §9.3 then checks
 * (manifest.c); the writer gives the canonical bytes the fingerprint and
 * the record use.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "json_util.h"
#include "manifest_internal.h"

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
	const char *names[TV__CHANNEL_COUNT];
	char path[TV_JR_PATH_BYTES];
	json_t *arr, *item;
	uint32_t mask = 0;
	size_t i, which;
	tv_status status;

	for (i = 0; i < TV__CHANNEL_COUNT; i++)
		names[i] = tv__channel_names[i].name;
	if ((status = tv__jr_array(r, &arr, root, "channels", NULL, 0, SIZE_MAX)) != TV_OK)
		return status;
	json_array_foreach(arr, i, item) {
		tv__jr_item(path, "channels", i);
		if ((status = tv__jr_enum(r, &which, item, NULL, path, names, TV__CHANNEL_COUNT)) != TV_OK)
			return status;
		if (mask & tv__channel_names[which].bit)
			return tv__jr_fail(r, path, "\"%s\" given twice", names[which]);
		mask |= tv__channel_names[which].bit;
	}
	*out = mask;
	return TV_OK;
}

/* format 2's "contact" object and "letters" (§9.2.1), into @p c */
static tv_status read_contact(tv__jr *r, tv_contact *c, tv_letters *letters, json_t *root)
{
	static const char *const keys[] = {
		"officer", "address", "phone", "email", "vote_url", "vote_phone", "board_url",
	};
	static const char *const ways[] = { "register", "bilingual" };
	const char **field[] = {
		&c->officer, &c->address, &c->phone, &c->email, &c->vote_url, &c->vote_phone,
		&c->board_url,
	};
	json_t *obj;
	size_t len, way;
	tv_status status;

	if ((status = tv__jr_object(r, &obj, root, "contact", NULL, keys, 7, 1)) != TV_OK)
		return status;
	for (size_t i = 0; i < 7; i++)
		if ((status = tv__jr_string(r, field[i], &len, obj, keys[i], "contact",
		                            SIZE_MAX)) != TV_OK)
			return status;
	if ((status = tv__jr_enum(r, &way, root, "letters", NULL, ways, 2)) != TV_OK)
		return status;
	*letters = (tv_letters)(way + 1);
	return TV_OK;
}

/* a SHA-256 in 64 lowercase hex digits, or "" when @p optional, into @p out */
static tv_status read_digest(tv__jr *r, uint8_t out[TV_OFFER_DIGEST_BYTES], int *given,
                             json_t *obj, const char *key, int optional)
{
	char path[TV_JR_PATH_BYTES];
	const char *hex;
	size_t len;
	tv_status status;

	if ((status = tv__jr_string(r, &hex, &len, obj, key, "offer", SIZE_MAX)) != TV_OK)
		return status;
	*given = len != 0;
	if (len == 0 && optional)
		return TV_OK;
	tv__jr_path(path, "offer", key);
	if (len != 2 * TV_OFFER_DIGEST_BYTES ||
	    tv__hex_decode(NULL, out, TV_OFFER_DIGEST_BYTES, hex, len, key) != TV_OK)
		return tv__jr_fail(r, path, "is not a SHA-256 in 64 lower-case hex digits%s",
		                   optional ? " (or \"\" for none)" : "");
	return TV_OK;
}

/* format 3's "offer" object (§9.2.2), into @p of (strings borrowed) */
static tv_status read_offer(tv__jr *r, tv_offer *of, json_t *root)
{
	static const char *const keys[] = { "sha256", "sha256_cy", "url", "url_cy" };
	json_t *obj;
	size_t len;
	int given;
	tv_status status;

	if ((status = tv__jr_object(r, &obj, root, "offer", NULL, keys, 4, 1)) != TV_OK ||
	    (status = read_digest(r, of->sha256, &given, obj, "sha256", 0)) != TV_OK ||
	    (status = read_digest(r, of->sha256_cy, &of->has_cy, obj, "sha256_cy", 1)) != TV_OK ||
	    (status = tv__jr_string(r, &of->url, &len, obj, "url", "offer", SIZE_MAX)) != TV_OK ||
	    (status = tv__jr_string(r, &of->url_cy, &len, obj, "url_cy", "offer", SIZE_MAX)) != TV_OK)
		return status;
	return TV_OK;
}

/* the shape of §9.4, into @p o (strings borrowed from @p root); @p c too,
 * and *has_contact set, for format 2 and 3; @p of and *has_offer for 3 */
static tv_status read_manifest(tv__jr *r, tv_manifest_options *o, json_t *root,
                               int *has_contact, tv_contact *c, tv_letters *letters,
                               int *has_offer, tv_offer *of)
{
	static const char *const keys[] = {
		"format", "election_id", "council", "landlord", "title", "question",
		"options", "transfer_option", "rule", "min_turnout_pct",
		"supermajority_pct", "allow_blank", "opens", "closes", "channels",
		"revote", "trustees", "threshold", "contact", "letters", "offer",
	};
	json_t *format = json_object_get(root, "format");
	static const char *const rules[] = { "majority", "plurality" };
	static const char *const revotes[] = { "last", "first" };
	size_t len, rule, revote;
	uint64_t transfer, trustees, threshold;
	int is_null;
	tv_status status;

	/*
	 * Format 2 is format 1 with "contact" and "letters" (§9.2.1); format 1
	 * knows neither key. Every key is known; a missing one is found when
	 * its turn comes.
	 */
	*has_offer = json_is_string(format) &&
	             strcmp(json_string_value(format), TV_MANIFEST_FORMAT_OFFER) == 0;
	*has_contact = *has_offer ||
	               (json_is_string(format) &&
	                strcmp(json_string_value(format), TV_MANIFEST_FORMAT_CONTACT) == 0);
	if ((status = tv__jr_keys(r, root, NULL, keys,
	                          sizeof(keys) / sizeof(keys[0]) -
	                              (*has_offer ? 0 : *has_contact ? 1 : 3),
	                          0)) != TV_OK ||
	    (!*has_contact &&
	     (status = tv__jr_format(r, root, NULL, TV_MANIFEST_FORMAT)) != TV_OK) ||
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
	if (*has_contact && (status = read_contact(r, c, letters, root)) != TV_OK)
		return status;
	return *has_offer ? read_offer(r, of, root) : TV_OK;
}

tv_status tv_manifest_from_json(tv_ctx *ctx, tv_manifest **out, const char *json,
                                size_t len)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_contact c;
	tv_letters letters = TV_LETTERS_REGISTER;
	tv_offer of;
	json_t *root = NULL;
	int has_contact = 0, has_offer = 0;
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
	memset(&of, 0, sizeof(of));
	if ((status = read_manifest(&r, &o, root, &has_contact, &c, &letters, &has_offer,
	                            &of)) != TV_OK)
		goto out;
	status = tv__manifest_make(ctx, out, &o, has_contact ? &c : NULL, letters,
	                           has_offer ? &of : NULL);
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
	for (i = 0; !bad && i < TV__CHANNEL_COUNT; i++)
		if (f->channels & tv__channel_names[i].bit)
			bad |= json_array_append_new(channels,
			                             json_string(tv__channel_names[i].name)) != 0;
	tv__format_time(opens, f->opens);
	tv__format_time(closes, f->closes);
	tv_percent_format(pct, f->min_turnout_tenths);
	bad |= json_object_set_new(root, "format",
	                           json_string(m->has_offer     ? TV_MANIFEST_FORMAT_OFFER
	                                       : m->has_contact ? TV_MANIFEST_FORMAT_CONTACT
	                                                        : TV_MANIFEST_FORMAT)) != 0;
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
	if (m->has_contact) {
		const tv_contact *c = &m->contact;
		json_t *contact = json_object();

		bad |= json_object_set_new(contact, "officer", json_string(c->officer)) != 0;
		bad |= json_object_set_new(contact, "address", json_string(c->address)) != 0;
		bad |= json_object_set_new(contact, "phone", json_string(c->phone)) != 0;
		bad |= json_object_set_new(contact, "email", json_string(c->email)) != 0;
		bad |= json_object_set_new(contact, "vote_url", json_string(c->vote_url)) != 0;
		bad |= json_object_set_new(contact, "vote_phone", json_string(c->vote_phone)) != 0;
		bad |= json_object_set_new(contact, "board_url", json_string(c->board_url)) != 0;
		bad |= json_object_set_new(root, "contact", contact) != 0;
		bad |= json_object_set_new(root, "letters",
		                           json_string(m->letters == TV_LETTERS_BILINGUAL
		                                           ? "bilingual" : "register")) != 0;
	}
	if (m->has_offer) {
		char hex[2 * TV_OFFER_DIGEST_BYTES + 1], hex_cy[2 * TV_OFFER_DIGEST_BYTES + 1];
		json_t *offer = json_object();

		tv__hex_encode(hex, m->offer.sha256, TV_OFFER_DIGEST_BYTES);
		hex_cy[0] = '\0';
		if (m->offer.has_cy)
			tv__hex_encode(hex_cy, m->offer.sha256_cy, TV_OFFER_DIGEST_BYTES);
		bad |= json_object_set_new(offer, "sha256", json_string(hex)) != 0;
		bad |= json_object_set_new(offer, "sha256_cy", json_string(hex_cy)) != 0;
		bad |= json_object_set_new(offer, "url", json_string(m->offer.url)) != 0;
		bad |= json_object_set_new(offer, "url_cy", json_string(m->offer.url_cy)) != 0;
		bad |= json_object_set_new(root, "offer", offer) != 0;
	}
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
