/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.6: the result as OASIS EML messages, 510 (the count) and 520
 * (the result) (tv_result_eml()).
 */
#include <inttypes.h>
#include <string.h>

#include <openssl/evp.h>

#include "result_internal.h"

/* ---- EML (SPEC §17.6) ---- */

/* XML character data or attribute value: & < > " ' escaped */
static void put_xml(text_buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = NULL;

		switch (*s) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&apos;"; break;
		}
		if (esc != NULL) {
			tv__buf_put(b, run, (size_t)(s - run));
			tv__buf_puts(b, esc);
			run = s + 1;
		}
	}
	tv__buf_put(b, run, (size_t)(s - run));
}

/* the text in the message's language: Welsh only in a Welsh message */
static const char *in_lang(const tv_text *t, int welsh)
{
	return welsh ? t->cy : t->en;
}

static void eml_head(text_buf *b, const tv_result *r, int id, int welsh)
{
	tv__buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	tv__buf_putf(b, "<EML xmlns=\"urn:oasis:names:tc:evs:schema:eml\" Id=\"%d\" "
	                "SchemaVersion=\"5.0\">\n", id);
	tv__buf_puts(b, "  <TransactionId>");
	put_xml(b, r->election_id);
	tv__buf_putf(b, "-%d</TransactionId>\n", id);
	/* EML's names hold one text each: the message says which language */
	tv__buf_puts(b, welsh ? "  <MessageLanguage>cy</MessageLanguage>\n"
	                      : "  <MessageLanguage>en</MessageLanguage>\n");
}

/*
 * The offer document (SPEC §9.2.2) as an XML Signature Reference: the
 * document's address and its SHA-256 (base64, as XML-DSig writes digests).
 * ElectionIdentifier takes elements of other namespaces, checked strictly,
 * and EML 5.0 imports the XML-DSig schema, so this validates.
 */
static void eml_offer(text_buf *b, const char *indent, const char *id, const char *url,
                      const uint8_t digest[TV_OFFER_DIGEST_BYTES])
{
	unsigned char b64[4 * ((TV_OFFER_DIGEST_BYTES + 2) / 3) + 1];

	EVP_EncodeBlock(b64, digest, TV_OFFER_DIGEST_BYTES);
	tv__buf_puts(b, indent);
	tv__buf_putf(b, "  <ds:Reference xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"%s\"",
	             id);
	if (url[0] != '\0') {
		tv__buf_puts(b, " URI=\"");
		put_xml(b, url);
		tv__buf_puts(b, "\"");
	}
	tv__buf_puts(b, ">\n");
	tv__buf_puts(b, indent);
	tv__buf_puts(b, "    <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>\n");
	tv__buf_puts(b, indent);
	tv__buf_putf(b, "    <ds:DigestValue>%s</ds:DigestValue>\n", (const char *)b64);
	tv__buf_puts(b, indent);
	tv__buf_puts(b, "  </ds:Reference>\n");
}

static void eml_identifiers(text_buf *b, const tv_result *r, const char *indent, int welsh)
{
	tv__buf_puts(b, indent);
	tv__buf_puts(b, "<ElectionIdentifier Id=\"");
	put_xml(b, r->election_id);
	tv__buf_puts(b, "\">\n");
	tv__buf_puts(b, indent);
	tv__buf_puts(b, "  <ElectionName>");
	put_xml(b, in_lang(&r->title, welsh));
	tv__buf_puts(b, "</ElectionName>\n");
	if (r->has_offer) {
		eml_offer(b, indent, "offer", r->offer.url, r->offer.sha256);
		if (r->offer.has_cy)
			eml_offer(b, indent, "offer-cy", r->offer.url_cy, r->offer.sha256_cy);
	}
	tv__buf_puts(b, indent);
	tv__buf_puts(b, "</ElectionIdentifier>\n");
}

static void eml_contest_id(text_buf *b, const tv_result *r, const char *indent, int welsh)
{
	tv__buf_puts(b, indent);
	tv__buf_puts(b, "<ContestIdentifier Id=\"1\">\n");
	tv__buf_puts(b, indent);
	tv__buf_puts(b, "  <ContestName>");
	put_xml(b, in_lang(&r->question, welsh));
	tv__buf_puts(b, "</ContestName>\n");
	tv__buf_puts(b, indent);
	tv__buf_puts(b, "</ContestIdentifier>\n");
}

static void eml_option(text_buf *b, const tv_result *r, uint32_t id, const char *indent,
                       int welsh)
{
	tv__buf_puts(b, indent);
	tv__buf_putf(b, "<ReferendumOptionIdentifier Id=\"%" PRIu32 "\">", id);
	put_xml(b, in_lang(&r->labels[id - 1], welsh));
	tv__buf_puts(b, "</ReferendumOptionIdentifier>\n");
}

static void eml_510(text_buf *b, const tv_result *r, int welsh)
{
	const lang *L = welsh ? &tv__welsh : &tv__english;
	uint32_t i;

	eml_head(b, r, 510, welsh);
	tv__buf_puts(b, "  <Count>\n    <EventIdentifier Id=\"");
	put_xml(b, r->election_id);
	tv__buf_puts(b, "\"/>\n    <Election>\n");
	eml_identifiers(b, r, "      ", welsh);
	tv__buf_puts(b, "      <Contests>\n        <Contest>\n");
	eml_contest_id(b, r, "          ", welsh);
	tv__buf_puts(b, "          <TotalVotes>\n");
	/* EML 5.0's TotalVotes: its CountMetric elements first, then the votes */
	tv__buf_putf(b, "            <CountMetric Id=\"electorate\" Type=\"Electorate\">%" PRIu64
	                "</CountMetric>\n", r->electorate);
	tv__buf_puts(b, "            <CountMetric Id=\"turnout\" Type=\"TurnoutPercentage\">");
	tv__buf_put_tenths(b, r->turnout_tenths);
	tv__buf_puts(b, "</CountMetric>\n");
	for (i = 0; i < TV_COUNT_CHANNELS; i++)
		tv__buf_putf(b, "            <CountMetric Id=\"%s\" Type=\"BallotsReceived\">%" PRIu64
		                "</CountMetric>\n", tv__channel_keys[i], r->by_channel[i]);
	for (i = 1; i <= r->options; i++) {
		tv__buf_puts(b, "            <Selection>\n");
		eml_option(b, r, i, "              ", welsh);
		tv__buf_putf(b, "              <ValidVotes>%" PRIu64 "</ValidVotes>\n", r->votes[i - 1]);
		tv__buf_puts(b, "            </Selection>\n");
	}
	tv__buf_putf(b, "            <Cast>%" PRIu64 "</Cast>\n", r->ballots);
	tv__buf_putf(b, "            <TotalCounted>%" PRIu64 "</TotalCounted>\n", r->ballots);
	for (i = 0; i < TV_SPOILT_REASONS; i++) {
		tv__buf_puts(b, "            <RejectedVotes ReasonCode=\"");
		tv__buf_puts(b, tv__reason_slugs[i]);
		tv__buf_puts(b, "\" Reason=\"");
		tv__buf_puts(b, L->reasons[i]);
		tv__buf_putf(b, "\">%" PRIu64 "</RejectedVotes>\n", r->rejected[i]);
	}
	tv__buf_putf(b, "            <RejectedVotes ReasonCode=\"blank\" Reason=\"%s\">%" PRIu64
	                "</RejectedVotes>\n", welsh ? "Papur pleidleisio gwag" : "Blank ballot paper",
	             r->blank);
	tv__buf_puts(b, "          </TotalVotes>\n        </Contest>\n      </Contests>\n"
	                "    </Election>\n  </Count>\n</EML>\n");
}

static void eml_520(text_buf *b, const tv_result *r, int welsh)
{
	uint32_t i;

	eml_head(b, r, 520, welsh);
	tv__buf_puts(b, "  <Result>\n    <Election>\n");
	eml_identifiers(b, r, "      ", welsh);
	tv__buf_puts(b, "      <Contest>\n");
	eml_contest_id(b, r, "        ", welsh);
	for (i = 1; i <= r->options; i++) {
		tv__buf_puts(b, "        <Selection>\n");
		eml_option(b, r, i, "          ", welsh);
		/* EML 5.0's Votes is a positiveInteger: an option with none leaves it out */
		if (r->votes[i - 1] > 0)
			tv__buf_putf(b, "          <Votes>%" PRIu64 "</Votes>\n", r->votes[i - 1]);
		tv__buf_puts(b, i == r->winner ? "          <Elected>yes</Elected>\n"
		                               : "          <Elected>no</Elected>\n");
		tv__buf_puts(b, "        </Selection>\n");
	}
	tv__buf_puts(b, "      </Contest>\n    </Election>\n  </Result>\n</EML>\n");
}

tv_status tv_result_eml_lang(tv_ctx *ctx, char **out, size_t *len, const tv_result *r,
                             tv_eml_message which, const char *language)
{
	text_buf b = { ctx, NULL, 0, 0, 0 };
	int welsh;

	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL || out == NULL || r == NULL || language == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_result_eml: NULL argument");
	if (strcmp(language, "en") != 0 && strcmp(language, "cy") != 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_result_eml: language must be en or cy");
	welsh = language[0] == 'c';
	if (welsh && !r->bilingual)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_result_eml: the manifest has no Welsh texts");
	if (which == TV_EML_COUNT)
		eml_510(&b, r, welsh);
	else if (which == TV_EML_RESULT)
		eml_520(&b, r, welsh);
	else
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_result_eml: message %d is not 510 or 520", (int)which);
	return tv__buf_finish(&b, out, len, "EML message");
}

tv_status tv_result_eml(tv_ctx *ctx, char **out, size_t *len, const tv_result *r,
                        tv_eml_message which)
{
	return tv_result_eml_lang(ctx, out, len, r, which, "en");
}
