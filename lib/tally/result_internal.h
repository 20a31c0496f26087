/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared between the result's files (SPEC §17.3-§17.6): rules.c (the
 * result and the counting rules), result_json.c (result.json),
 * declaration.c (the declaration), eml.c (EML) and text_buf.c (the text
 * buffer the last two write with).
 */
#ifndef TV_RESULT_INTERNAL_H
#define TV_RESULT_INTERNAL_H

#include "tally_internal.h"
#include "tenantvote/count.h"

struct tv_result {
	/* the allocator, so tv_result_free() needs no context */
	void (*free_fn)(void *, void *);
	void *free_payload;

	/* from the manifest; every string points into text[] */
	uint8_t fingerprint[TV_MANIFEST_FINGERPRINT_BYTES];
	const char *election_id;
	const char *council;
	tv_text title, question;
	tv_text labels[TV_MAX_OPTIONS];
	tv_rule rule;
	uint32_t transfer_option;  /* 0: none */
	uint32_t min_turnout_tenths;
	uint32_t supermajority_tenths; /* 0: none */
	uint32_t channels;
	int allow_blank;
	int bilingual;             /* title.cy is not empty (then every cy is) */
	int has_offer;             /* the manifest names the offer document (§9.2.2) */
	tv_offer offer;            /* its urls point into text[] */
	uint32_t options;

	/* the counts, raw */
	uint64_t electorate;
	uint64_t by_channel[TV_COUNT_CHANNELS];
	uint64_t blank;
	uint64_t rejected[TV_SPOILT_REASONS];
	uint64_t votes[TV_MAX_OPTIONS];

	/* derived (SPEC §17.3.2-§17.3.4) */
	uint64_t ballots, rejected_total, valid;
	uint32_t turnout_tenths;
	uint32_t pct[TV_MAX_OPTIONS];
	tv_decision decision;
	uint32_t winner;

	char text[];
};

/* ---- names (rules.c) ---- */

/* the keys of "by_channel": channel bit (1 << i) */
extern const char *const tv__channel_keys[TV_COUNT_CHANNELS];
/* the keys of "rejected": tv_spoilt_reason i + 1 */
extern const char *const tv__reason_slugs[TV_SPOILT_REASONS];
/* tv_decision_name() of 1..TV__DECISION_MAX; [0] is NULL */
#define TV__DECISION_MAX 5
extern const char *const tv__decision_names[TV__DECISION_MAX + 1];

/* ---- the result (rules.c) ---- */

/* a result holding @p m's texts and rules, with no counts yet */
tv_status tv__result_new(tv_ctx *ctx, tv_result **out, const tv_manifest *m);
/*
 * SPEC §17.3.1: check @p in, fill the counts of @p r, the derived figures
 * and the outcome; figures that disagree give @p bad, the message starting
 * with @p who
 */
tv_status tv__count_figures(tv_ctx *ctx, tv_result *r, const tv_count_input *in,
                            tv_status bad, const char *who);

/* ---- text output (text_buf.c) ---- */

/*
 * A growing NUL-terminated text. A failed allocation sets failed, after
 * which writes do nothing; tv__buf_finish() reports it.
 */
typedef struct text_buf {
	tv_ctx *ctx;
	char *p;
	size_t len, cap;
	int failed;
} text_buf;

void tv__buf_put(text_buf *b, const char *s, size_t n);
void tv__buf_puts(text_buf *b, const char *s);
void tv__buf_putf(text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* a percentage in tenths, written "D.D" (tv_percent_format()) */
void tv__buf_put_tenths(text_buf *b, uint32_t tenths);
/*
 * The text to *out (and its length to *len, if not NULL), or, if a write
 * failed, the buffer freed and TV_ERR_NOMEM "cannot allocate the WHAT"
 */
tv_status tv__buf_finish(text_buf *b, char **out, size_t *len, const char *what);

/* ---- the declaration's words (declaration.c) ---- */

/* the words of the declaration in one language (SPEC §17.5) */
typedef struct lang {
	int welsh;
	const char *heading, *question, *electorate, *received;
	const char *channels[TV_COUNT_CHANNELS];
	const char *turnout, *blank, *rejected;
	const char *reasons[TV_SPOILT_REASONS];
	const char *valid, *vote, *votes;
} lang;

/* the English and Welsh words; EML (eml.c) takes the reasons' names from here */
extern const lang tv__english;
extern const lang tv__welsh;

#endif
