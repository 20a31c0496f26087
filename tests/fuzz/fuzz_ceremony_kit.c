/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tv_ceremony_kit_from_json() on untrusted bytes (SPEC §12.12): the file a
 * trustee is handed. Checked for every input:
 *  - a refusal is TV_ERR_CEREMONY_INVALID, or the manifest's own
 *    TV_ERR_MANIFEST_INVALID or TV_ERR_UTF8, recorded on the context with a
 *    message free of control characters, and leaves *out NULL;
 *  - an accepted kit is consistent: its context is the one computed from
 *    its manifest, and the kit written again for that manifest reads back
 *    to the same context.
 * Seeds: a kit written by the library (valid), and malformed ones.
 */
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tv_ctx *ctx = tv_fuzz_ctx();
	tv_ceremony_kit *kit = NULL, *again = NULL;
	uint8_t c[32], c2[32], want[32], f[32], a[32], l[32];
	uint64_t e;
	char *text = NULL;
	size_t len = 0;
	tv_status status;

	tv_fuzz_clear_error(ctx);
	status = tv_ceremony_kit_from_json(ctx, &kit, (const char *)data, size);
	tv_fuzz_check_status_recorded(ctx, status);
	if (status != TV_OK) {
		for (const char *p = tv_ctx_last_error(ctx); *p; p++)
			FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
		FUZZ_CHECK(kit == NULL);
		FUZZ_CHECK(status == TV_ERR_CEREMONY_INVALID || status == TV_ERR_MANIFEST_INVALID ||
		           status == TV_ERR_UTF8);
		return 0;
	}
	FUZZ_CHECK(kit != NULL);
	tv_ceremony_kit_context(c, kit);
	e = tv_ceremony_kit_credentials(kit, a, l);
	FUZZ_CHECK(e >= 1);
	tv_manifest_fingerprint(f, tv_ceremony_kit_manifest(kit));
	FUZZ_CHECK(tv__ceremony_context(ctx, want, f, a, l) == TV_OK);
	FUZZ_CHECK(memcmp(c, want, 32) == 0);
	FUZZ_CHECK(tv__ceremony_kit_to_json(ctx, &text, &len, tv_ceremony_kit_manifest(kit), a, e,
	                                    l) == TV_OK);
	FUZZ_CHECK(tv_ceremony_kit_from_json(ctx, &again, text, len) == TV_OK);
	tv_ceremony_kit_context(c2, again);
	FUZZ_CHECK(memcmp(c, c2, 32) == 0);
	tv_ceremony_kit_free(again);
	tv_free(ctx, text);
	tv_ceremony_kit_free(kit);
	return 0;
}
