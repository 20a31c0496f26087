/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The credential authority's change file (SPEC §11.7), read by the box
 * (tv__change_file_read, as tv_box_apply_change_file does first) on
 * arbitrary bytes. Properties: the status is TV_OK or TV_ERR_ENCODING
 * (never a crash or another status for bad input) and is recorded with a
 * message; an accepted file has 1 to 1000 changes, each with an entry
 * (compact JSON of its stated length); a revocation names no tenant; an
 * addition names exactly one of a tenant (>= 1) or a late tenant, whose
 * reference, name and address are not empty and whose language is en or
 * cy; a refused file leaves nothing allocated (LeakSanitizer).
 */
#include <string.h>

#include "box_internal.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv__change_file f;
	tv_status st;

	tv_fuzz_clear_error(ctx);
	st = tv__change_file_read(ctx, &f, (const char *)data, size);
	tv_fuzz_check_status_recorded(ctx, st);
	FUZZ_CHECK(st == TV_OK || st == TV_ERR_ENCODING);
	if (st != TV_OK) {
		FUZZ_CHECK(f.changes == NULL && f.entries == NULL && f.count == 0);
		return 0;
	}
	FUZZ_CHECK(f.count >= 1 && f.count <= TV_CHANGE_FILE_MAX);
	for (size_t i = 0; i < f.count; i++) {
		const tv_credential_change *c = &f.changes[i];

		FUZZ_CHECK(c->entry != NULL && c->entry == f.entries[i] &&
		           strlen(c->entry) == c->len && c->entry[0] == '{');
		if (c->revoke) {
			FUZZ_CHECK(c->tenant == 0 && c->late == NULL);
			continue;
		}
		FUZZ_CHECK((c->tenant >= 1) != (c->late != NULL));
		if (c->late != NULL)
			FUZZ_CHECK(c->late->tenancy_ref[0] != '\0' && c->late->name[0] != '\0' &&
			           c->late->address[0] != '\0' &&
			           (strcmp(c->late->language, "en") == 0 ||
			            strcmp(c->late->language, "cy") == 0) &&
			           c->late->email != NULL && c->late->phone != NULL);
	}
	tv__change_file_free(ctx, &f);
	return 0;
}
