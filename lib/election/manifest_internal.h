/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared between the manifest's files: manifest.c (validation, the
 * fingerprint, construction, accessors), manifest_json.c (its JSON) and
 * spelling.c (the spellings of SPEC §9.6).
 */
#ifndef TV_MANIFEST_INTERNAL_H
#define TV_MANIFEST_INTERNAL_H

#include "election_internal.h"

struct tv_manifest {
	/* the allocator, so tv_manifest_free() needs no context */
	void (*free_fn)(void *, void *);
	void *free_payload;
	/* every string points into text[]; every cy is "" when empty */
	tv_manifest_options f;
	/* §9.2.1: has_contact is 0 for a format-1 manifest (every string "") */
	int has_contact;
	tv_contact contact;
	tv_letters letters;
	/* §9.2.2: has_offer only in a format-3 manifest (which has contact details) */
	int has_offer;
	tv_offer offer;
	uint8_t fingerprint[TV_MANIFEST_FINGERPRINT_BYTES];
	char text[];
};

/* the channels' names (SPEC §9.6), in bit order */
#define TV__CHANNEL_COUNT 4
typedef struct tv__channel_spelling {
	uint32_t bit;
	const char *name;
} tv__channel_spelling;
extern const tv__channel_spelling tv__channel_names[TV__CHANNEL_COUNT];

/* validate @p opts (SPEC §9.3) and @p contact (§9.2.1; NULL for none) and
 * make the manifest, fingerprint and all */
tv_status tv__manifest_make(tv_ctx *ctx, tv_manifest **out, const tv_manifest_options *opts,
                            const tv_contact *contact, tv_letters letters,
                            const tv_offer *offer);
/* @p t as "YYYY-MM-DDTHH:MM:SSZ" (SPEC §9.6.3), for a time known to fit */
void tv__format_time(char out[TV_TIME_FORMAT_BYTES], int64_t t);

#endif
