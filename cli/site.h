/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bulletin board's longer texts, in English and Welsh (cli/site_text.c). */
#ifndef TV_CLI_SITE_H
#define TV_CLI_SITE_H

#include <stddef.h>

#include "tenantvote/record.h"
#include "tenantvote/spoilt.h"

typedef struct site_words {
	const char *en;
	const char *cy;
} site_words;

/* what each check of SPEC §19 shows, in words a tenant understands */
extern const site_words site_check_words[TV_VERIFY_CHECKS];
/* the paragraphs of the "about the maths" page: each is a heading when
 * it begins with '#', else a paragraph; HTML-escaped when written */
extern const site_words site_maths[];
extern const size_t site_maths_count;
/* the same, about ballot papers: only on the site of a record with papers */
extern const site_words site_maths_papers[];
extern const size_t site_maths_papers_count;
/* why a paper was rejected (SPEC §15.6), 1..4 at 0..3: the declaration's
 * words for them, which the home page shows */
extern const site_words site_reason_words[TV_SPOILT_REASONS];

/* the embedded stylesheet and script (cli/site/, by cli/site/embed.py) */
extern const char cli_site_css[];
extern const unsigned long cli_site_css_len;
extern const char cli_site_js[];
extern const unsigned long cli_site_js_len;

#endif
