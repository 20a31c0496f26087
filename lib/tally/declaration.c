/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §17.5: the declaration of result, in English and, when the manifest
 * is bilingual, in Welsh (tv_result_declaration()).
 */
#include <inttypes.h>

#include "result_internal.h"

/* ---- the declaration (SPEC §17.5) ---- */

const lang tv__english = {
	0, "DECLARATION OF RESULT", "Question", "Electorate", "Ballot papers received",
	{ "Online", "Phone", "Postal", "In person" },
	"Turnout", "Blank ballot papers", "Rejected ballot papers",
	{ "Want of official mark", "Voting for more than one answer",
	  "Writing or mark by which the voter could be identified",
	  "Unmarked or void for uncertainty" },
	"Valid votes", "vote", "votes",
};

const lang tv__welsh = {
	1, "DATGANIAD O\u2019R CANLYNIAD", "Cwestiwn", "Etholwyr",
	"Papurau pleidleisio a dderbyniwyd",
	{ "Ar-lein", "Ff\u00f4n", "Post", "Yn bersonol" },
	"Nifer a bleidleisiodd", "Papurau gwag", "Papurau a wrthodwyd",
	{ "Heb farc swyddogol", "Pleidleisio dros fwy nag un ateb",
	  "Ysgrifen neu farc y gellid adnabod y pleidleisiwr wrtho",
	  "Heb ei farcio neu\u2019n ddi-rym oherwydd ansicrwydd" },
	/* Welsh keeps the singular noun after a numeral */
	"Pleidleisiau dilys", "pleidlais", "pleidlais",
};

static const char *text_in(const tv_text *t, int welsh_text)
{
	return welsh_text && t->cy[0] != '\0' ? t->cy : t->en;
}

/* “label” of option @p id */
static void put_label(text_buf *b, const tv_result *r, uint32_t id, int welsh_text)
{
	tv__buf_puts(b, "\u201c");
	tv__buf_puts(b, text_in(&r->labels[id - 1], welsh_text));
	tv__buf_puts(b, "\u201d");
}

static void put_pct(text_buf *b, uint32_t tenths)
{
	tv__buf_put_tenths(b, tenths);
	tv__buf_puts(b, "%");
}

/* the options tied for the most votes: “A”, “B” and “C” */
static void put_tied(text_buf *b, const tv_result *r, const lang *L)
{
	uint64_t top = 0;
	uint32_t i, count = 0, done = 0;

	for (i = 0; i < r->options; i++)
		top = r->votes[i] > top ? r->votes[i] : top;
	for (i = 0; i < r->options; i++)
		count += r->votes[i] == top;
	for (i = 1; i <= r->options; i++) {
		if (r->votes[i - 1] != top)
			continue;
		if (done > 0)
			tv__buf_puts(b, done + 1 == count ? (L->welsh ? " a " : " and ") : ", ");
		put_label(b, r, i, L->welsh);
		done++;
	}
}

static void outcome_en(text_buf *b, const tv_result *r)
{
	const uint32_t t = r->transfer_option, S = r->supermajority_tenths;
	const uint32_t w = r->winner;

	if (r->decision == TV_DECISION_TURNOUT_NOT_MET) {
		tv__buf_puts(b, "The turnout of ");
		put_pct(b, r->turnout_tenths);
		tv__buf_puts(b, " of the electorate is below the minimum turnout of ");
		put_pct(b, r->min_turnout_tenths);
		tv__buf_puts(b, ", so the ballot does not decide the question.\n");
	} else if (r->valid == 0) {
		tv__buf_puts(b, "There are no valid votes.\n");
	} else if (r->rule == TV_RULE_MAJORITY) {
		put_label(b, r, t, 0);
		if (r->decision == TV_DECISION_CARRIED && S == 0) {
			tv__buf_puts(b, " received more than half of the valid votes.\n");
		} else if (r->decision == TV_DECISION_CARRIED) {
			tv__buf_puts(b, " received at least ");
			put_pct(b, S);
			tv__buf_puts(b, " of the valid votes, the share required.\n");
		} else if (r->decision == TV_DECISION_TIE) {
			tv__buf_puts(b, " received exactly half of the valid votes: the vote is TIED, "
			                "and a tie does not carry the transfer.\n");
		} else if (S == 0) {
			tv__buf_puts(b, " did not receive more than half of the valid votes.\n");
		} else {
			tv__buf_puts(b, " did not receive the ");
			put_pct(b, S);
			tv__buf_puts(b, " of the valid votes required.\n");
		}
		if (w != 0 && w != t) {
			put_label(b, r, w, 0);
			tv__buf_puts(b, " received more than half of the valid votes.\n");
		}
	} else if (r->decision == TV_DECISION_TIE) {
		put_tied(b, r, &tv__english);
		tv__buf_puts(b, " received the same, highest number of votes: the vote is TIED, "
		                "and a tie is not broken.\n");
	} else if (r->decision == TV_DECISION_NO_MAJORITY) {
		uint32_t top = 1;

		for (uint32_t i = 2; i <= r->options; i++)
			top = r->votes[i - 1] > r->votes[top - 1] ? i : top;
		put_label(b, r, top, 0);
		tv__buf_puts(b, " received the most votes but not the ");
		put_pct(b, S);
		tv__buf_puts(b, " of the valid votes required.\n");
	} else {
		put_label(b, r, w, 0);
		if (S == 0) {
			tv__buf_puts(b, " received the most votes.\n");
		} else {
			tv__buf_puts(b, " received the most votes and at least ");
			put_pct(b, S);
			tv__buf_puts(b, " of the valid votes, the share required.\n");
		}
	}
	if (t != 0) {
		tv__buf_puts(b, r->decision == TV_DECISION_CARRIED
		                    ? "The proposal to transfer is CARRIED.\n"
		                    : "The proposal to transfer is NOT CARRIED.\n");
	} else if (r->decision == TV_DECISION_CARRIED) {
		put_label(b, r, w, 0);
		tv__buf_puts(b, " is CARRIED.\n");
	} else {
		tv__buf_puts(b, "No option is carried.\n");
	}
}

static void outcome_cy(text_buf *b, const tv_result *r)
{
	const uint32_t t = r->transfer_option, S = r->supermajority_tenths;
	const uint32_t w = r->winner;

	if (r->decision == TV_DECISION_TURNOUT_NOT_MET) {
		tv__buf_puts(b, "Mae\u2019r nifer a bleidleisiodd, ");
		put_pct(b, r->turnout_tenths);
		tv__buf_puts(b, " o\u2019r etholwyr, yn is na\u2019r isafswm o ");
		put_pct(b, r->min_turnout_tenths);
		tv__buf_puts(b, ", felly nid yw\u2019r bleidlais yn penderfynu\u2019r cwestiwn.\n");
	} else if (r->valid == 0) {
		tv__buf_puts(b, "Nid oes unrhyw bleidleisiau dilys.\n");
	} else if (r->rule == TV_RULE_MAJORITY) {
		if (r->decision == TV_DECISION_CARRIED && S == 0) {
			tv__buf_puts(b, "Cafodd ");
			put_label(b, r, t, 1);
			tv__buf_puts(b, " fwy na hanner y pleidleisiau dilys.\n");
		} else if (r->decision == TV_DECISION_CARRIED) {
			tv__buf_puts(b, "Cafodd ");
			put_label(b, r, t, 1);
			tv__buf_puts(b, " o leiaf ");
			put_pct(b, S);
			tv__buf_puts(b, " o\u2019r pleidleisiau dilys, y gyfran sy\u2019n ofynnol.\n");
		} else if (r->decision == TV_DECISION_TIE) {
			tv__buf_puts(b, "Cafodd ");
			put_label(b, r, t, 1);
			tv__buf_puts(b, " union hanner y pleidleisiau dilys: mae\u2019r bleidlais yn "
			                "GYFARTAL, ac nid yw pleidlais gyfartal yn cymeradwyo\u2019r "
			                "trosglwyddiad.\n");
		} else if (S == 0) {
			tv__buf_puts(b, "Ni chafodd ");
			put_label(b, r, t, 1);
			tv__buf_puts(b, " fwy na hanner y pleidleisiau dilys.\n");
		} else {
			tv__buf_puts(b, "Ni chafodd ");
			put_label(b, r, t, 1);
			tv__buf_puts(b, " y ");
			put_pct(b, S);
			tv__buf_puts(b, " o\u2019r pleidleisiau dilys sy\u2019n ofynnol.\n");
		}
		if (w != 0 && w != t) {
			tv__buf_puts(b, "Cafodd ");
			put_label(b, r, w, 1);
			tv__buf_puts(b, " fwy na hanner y pleidleisiau dilys.\n");
		}
	} else if (r->decision == TV_DECISION_TIE) {
		tv__buf_puts(b, "Cafodd ");
		put_tied(b, r, &tv__welsh);
		tv__buf_puts(b, " yr un nifer uchaf o bleidleisiau: mae\u2019r bleidlais yn GYFARTAL, "
		                "ac ni chaiff y cyfartaledd ei dorri.\n");
	} else if (r->decision == TV_DECISION_NO_MAJORITY) {
		uint32_t top = 1;

		for (uint32_t i = 2; i <= r->options; i++)
			top = r->votes[i - 1] > r->votes[top - 1] ? i : top;
		tv__buf_puts(b, "Cafodd ");
		put_label(b, r, top, 1);
		tv__buf_puts(b, " y nifer fwyaf o bleidleisiau, ond nid y ");
		put_pct(b, S);
		tv__buf_puts(b, " o\u2019r pleidleisiau dilys sy\u2019n ofynnol.\n");
	} else {
		tv__buf_puts(b, "Cafodd ");
		put_label(b, r, w, 1);
		if (S == 0) {
			tv__buf_puts(b, " y nifer fwyaf o bleidleisiau.\n");
		} else {
			tv__buf_puts(b, " y nifer fwyaf o bleidleisiau, ac o leiaf ");
			put_pct(b, S);
			tv__buf_puts(b, " o\u2019r pleidleisiau dilys, y gyfran sy\u2019n ofynnol.\n");
		}
	}
	if (t != 0) {
		tv__buf_puts(b, r->decision == TV_DECISION_CARRIED
		                    ? "Mae\u2019r cynnig i drosglwyddo WEDI\u2019I DDERBYN.\n"
		                    : "Mae\u2019r cynnig i drosglwyddo HEB EI DDERBYN.\n");
	} else if (r->decision == TV_DECISION_CARRIED) {
		tv__buf_puts(b, "Mae ");
		put_label(b, r, w, 1);
		tv__buf_puts(b, " WEDI\u2019I DDERBYN.\n");
	} else {
		tv__buf_puts(b, "Nid oes unrhyw ddewis wedi\u2019i dderbyn.\n");
	}
}

static void declare_in(text_buf *b, const tv_result *r, const lang *L)
{
	uint32_t i;

	tv__buf_puts(b, L->heading);
	tv__buf_puts(b, "\n");
	tv__buf_puts(b, r->council);
	tv__buf_puts(b, "\n");
	tv__buf_puts(b, text_in(&r->title, L->welsh));
	tv__buf_puts(b, "\n");
	tv__buf_puts(b, L->question);
	tv__buf_puts(b, ": ");
	tv__buf_puts(b, text_in(&r->question, L->welsh));
	tv__buf_puts(b, "\n");
	/* what tenants voted on: the offer document's hash (§9.2.2), if named */
	if (r->has_offer) {
		char hex[2 * TV_OFFER_DIGEST_BYTES + 1];

		tv__hex_encode(hex, r->offer.sha256, TV_OFFER_DIGEST_BYTES);
		tv__buf_puts(b, L->welsh ? "Dogfen y cynnig (SHA-256): " : "Offer document (SHA-256): ");
		tv__buf_puts(b, hex);
		tv__buf_puts(b, "\n");
		if (r->offer.has_cy) {
			tv__hex_encode(hex, r->offer.sha256_cy, TV_OFFER_DIGEST_BYTES);
			tv__buf_puts(b, L->welsh ? "Dogfen y cynnig yn Gymraeg (SHA-256): "
			                         : "Offer document in Welsh (SHA-256): ");
			tv__buf_puts(b, hex);
			tv__buf_puts(b, "\n");
		}
	}
	tv__buf_puts(b, "\n");

	tv__buf_puts(b, L->electorate);
	tv__buf_putf(b, ": %" PRIu64 "\n", r->electorate);
	tv__buf_puts(b, L->received);
	tv__buf_putf(b, ": %" PRIu64 "\n", r->ballots);
	for (i = 0; i < TV_COUNT_CHANNELS; i++) {
		if (!(r->channels & (1u << i)))
			continue;
		tv__buf_puts(b, "  ");
		tv__buf_puts(b, L->channels[i]);
		tv__buf_putf(b, ": %" PRIu64 "\n", r->by_channel[i]);
	}
	/* the turnout names its denominator, and the minimum is said met or not */
	tv__buf_puts(b, L->turnout);
	tv__buf_puts(b, ": ");
	put_pct(b, r->turnout_tenths);
	tv__buf_puts(b, L->welsh ? " o\u2019r etholwyr; " : " of the electorate; ");
	if (r->min_turnout_tenths == 0) {
		tv__buf_puts(b, L->welsh ? "ni osodwyd isafswm" : "no minimum turnout was set");
	} else {
		int met = r->decision != TV_DECISION_TURNOUT_NOT_MET;

		if (L->welsh)
			tv__buf_puts(b, met ? "cyrhaeddwyd yr isafswm o " : "ni chyrhaeddwyd yr isafswm o ");
		else
			tv__buf_puts(b, "the minimum of ");
		put_pct(b, r->min_turnout_tenths);
		if (!L->welsh)
			tv__buf_puts(b, met ? " was met" : " was not met");
	}
	tv__buf_puts(b, "\n");
	tv__buf_puts(b, L->blank);
	tv__buf_putf(b, ": %" PRIu64 "\n", r->blank);
	tv__buf_puts(b, L->rejected);
	tv__buf_putf(b, ": %" PRIu64 "\n", r->rejected_total);
	for (i = 0; i < TV_SPOILT_REASONS; i++) {
		tv__buf_puts(b, "  ");
		tv__buf_puts(b, L->reasons[i]);
		tv__buf_putf(b, ": %" PRIu64 "\n", r->rejected[i]);
	}
	tv__buf_puts(b, L->valid);
	tv__buf_putf(b, ": %" PRIu64 "\n\n", r->valid);

	for (i = 1; i <= r->options; i++) {
		tv__buf_puts(b, text_in(&r->labels[i - 1], L->welsh));
		tv__buf_putf(b, ": %" PRIu64 " ", r->votes[i - 1]);
		tv__buf_puts(b, r->votes[i - 1] == 1 ? L->vote : L->votes);
		tv__buf_puts(b, " (");
		put_pct(b, r->pct[i - 1]);
		tv__buf_puts(b, L->welsh ? " o\u2019r pleidleisiau dilys)\n" : " of valid votes)\n");
	}
	tv__buf_puts(b, "\n");
	if (L->welsh)
		outcome_cy(b, r);
	else
		outcome_en(b, r);
}

tv_status tv_result_declaration(tv_ctx *ctx, char **out, size_t *len, const tv_result *r)
{
	text_buf b = { ctx, NULL, 0, 0, 0 };

	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL || out == NULL || r == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_result_declaration: NULL argument");
	declare_in(&b, r, &tv__english);
	if (r->bilingual) {
		tv__buf_puts(&b, "\n");
		declare_in(&b, r, &tv__welsh);
	}
	return tv__buf_finish(&b, out, len, "declaration");
}
