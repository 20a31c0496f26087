/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.6: spoilt papers.
 *   S = H("spoilt"; F, pt(X), u32be(reason))
 *   signature: Schnorr (§6.1) by the credential over the 32 bytes S
 *   tracking code T = H("spoilt-tracking"; S, pt(R), sc(s))
 */
#include <string.h>

#include <jansson.h>

#include "batch.h"
#include "json_util.h"
#include "tenantvote/spoilt.h"

#define SPOILT_FORMAT "tenantvote-spoilt/1"

struct tv_spoilt {
	tv_ctx *ctx;
	uint8_t fingerprint[32];
	tv_point credential;
	tv_spoilt_reason reason;
	tv_schnorr_signature signature;
	uint8_t digest[32];
	uint8_t tracking[32];
};

static const char *const reason_names[TV_SPOILT_REASONS] = {
	"no-official-mark", "more-than-one-answer", "identifies-voter", "unmarked-or-void",
};

const char *tv_spoilt_reason_name(tv_spoilt_reason reason)
{
	if (reason < 1 || reason > TV_SPOILT_REASONS)
		return NULL;
	return reason_names[reason - 1];
}

tv_status tv_spoilt_reason_parse(tv_ctx *ctx, tv_spoilt_reason *out, const char *slug)
{
	if (ctx == NULL || out == NULL || slug == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_spoilt_reason_parse: NULL argument");
	for (int i = 0; i < TV_SPOILT_REASONS; i++)
		if (strcmp(slug, reason_names[i]) == 0) {
			*out = (tv_spoilt_reason)(i + 1);
			return TV_OK;
		}
	return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
	                "'%.40s' is not a reason for rejecting a paper (no-official-mark, "
	                "more-than-one-answer, identifies-voter, unmarked-or-void)", slug);
}

static tv_status digests(tv_ctx *ctx, tv_spoilt *p, int with_tracking)
{
	tv__hash h;
	tv_status status;

	if ((status = tv__hash_begin(&h, ctx, "spoilt")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, p->fingerprint, 32);
	tv__hash_point(&h, &p->credential);
	tv__hash_u32(&h, (uint32_t)p->reason);
	if ((status = tv__hash_final(&h, p->digest)) != TV_OK || !with_tracking)
		return status;
	if ((status = tv__hash_begin(&h, ctx, "spoilt-tracking")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, p->digest, 32);
	tv__hash_point(&h, &p->signature.commitment);
	tv__hash_scalar(&h, &p->signature.response);
	return tv__hash_final(&h, p->tracking);
}

tv_status tv_spoilt_make(tv_ctx *ctx, tv_spoilt **out, const tv_manifest *manifest,
                         const char *code, size_t code_len, tv_spoilt_reason reason)
{
	tv_spoilt *p;
	tv_scalar x;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || manifest == NULL || code == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_spoilt_make: NULL argument");
	if (tv_spoilt_reason_name(reason) == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "unknown reason %d for a spoilt paper",
		                (int)reason);
	if ((p = tv__calloc(ctx, 1, sizeof(*p))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a spoilt paper");
	p->ctx = ctx;
	p->reason = reason;
	memset(&x, 0, sizeof(x));
	tv_manifest_fingerprint(p->fingerprint, manifest);
	if ((status = tv_credential_derive(ctx, &x, &p->credential, code, code_len,
	                                   p->fingerprint)) != TV_OK ||
	    (status = digests(ctx, p, 0)) != TV_OK ||
	    (status = tv_schnorr_sign(ctx, &p->signature, &x, p->digest, 32)) != TV_OK ||
	    (status = digests(ctx, p, 1)) != TV_OK) {
		tv_spoilt_free(p);
		p = NULL;
	}
	tv_scalar_wipe(&x);
	*out = p;
	return status;
}

tv_status tv_spoilt_verify(tv_ctx *ctx, const tv_spoilt *spoilt, const tv_manifest *manifest)
{
	uint8_t f[32];
	tv_spoilt copy;
	tv_status status;

	if (ctx == NULL || spoilt == NULL || manifest == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_spoilt_verify: NULL argument");
	tv_manifest_fingerprint(f, manifest);
	if (memcmp(f, spoilt->fingerprint, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION,
		                "the spoilt paper was recorded for another election");
	copy = *spoilt;
	if ((status = digests(ctx, &copy, 0)) != TV_OK)
		return status;
	status = tv_schnorr_signature_verify(ctx, &spoilt->signature, &spoilt->credential,
	                                     copy.digest, 32);
	if (status == TV_ERR_SIGNATURE_INVALID)
		return tv__fail(ctx, status, "the spoilt paper's credential signature does not verify");
	return status;
}

tv_status tv__spoilt_batch_add(tv_ctx *ctx, tv__batch *b, const tv_spoilt *spoilt,
                               const uint8_t f[32])
{
	tv_spoilt copy;
	tv_status status;

	if (memcmp(f, spoilt->fingerprint, 32) != 0)
		return TV_ERR_PROOF_INVALID;
	copy = *spoilt;
	if ((status = digests(ctx, &copy, 0)) != TV_OK)
		return status;
	tv__batch_item_begin(b);
	status = tv__schnorr_batch(ctx, b, &spoilt->signature, &spoilt->credential, copy.digest, 32);
	if (status == TV_OK)
		tv__batch_item_end(b);
	else
		tv__batch_item_drop(b);
	return status;
}

tv_status tv_spoilt_to_json(tv_ctx *ctx, char **out, size_t *len, const tv_spoilt *spoilt)
{
	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || spoilt == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_spoilt_to_json: NULL argument");
	return tv__json_dump(ctx, out, len,
	                     json_pack("{s:s, s:o, s:o, s:s, s:{s:o, s:o}}", "format", SPOILT_FORMAT,
	                               "election", tv__json_hex(spoilt->fingerprint, 32),
	                               "credential", tv__json_hex(spoilt->credential.bytes, TV_POINT_BYTES),
	                               "reason", tv_spoilt_reason_name(spoilt->reason), "signature",
	                               "commitment",
	                               tv__json_hex(spoilt->signature.commitment.bytes, TV_POINT_BYTES),
	                               "response", tv__json_hex(spoilt->signature.response.bytes, 32)),
	                     JSON_COMPACT | JSON_PRESERVE_ORDER, 0, "the spoilt paper");
}

static tv_status spoilt_from(tv__jr *r, tv_spoilt *p, json_t *root)
{
	static const char *const top[] = { "format", "election", "credential", "reason",
	                                   "signature" };
	static const char *const sig[] = { "commitment", "response" };
	json_t *v;
	size_t reason;
	tv_status status;

	if ((status = tv__jr_keys(r, root, NULL, top, 5, 1)) != TV_OK ||
	    (status = tv__jr_format(r, root, NULL, SPOILT_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(r, p->fingerprint, 32, root, "election", NULL)) != TV_OK ||
	    (status = tv__jr_point(r, &p->credential, root, "credential", NULL)) != TV_OK ||
	    (status = tv__jr_enum(r, &reason, root, "reason", NULL, reason_names,
	                          TV_SPOILT_REASONS)) != TV_OK)
		return status;
	p->reason = (tv_spoilt_reason)(reason + 1);
	if ((status = tv__jr_object(r, &v, root, "signature", NULL, sig, 2, 1)) != TV_OK ||
	    (status = tv__jr_point(r, &p->signature.commitment, v, "commitment", "signature")) != TV_OK ||
	    (status = tv__jr_scalar(r, &p->signature.response, v, "response", "signature")) != TV_OK)
		return status;
	return digests(r->ctx, p, 1);
}

tv_status tv_spoilt_from_json(tv_ctx *ctx, tv_spoilt **out, const char *json, size_t len)
{
	json_t *root;
	tv_spoilt *p;
	tv__jr r;
	tv_status status = TV_OK;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_spoilt_from_json: NULL argument");
	tv__jr_init(&r, ctx, TV_OK, "spoilt paper");
	if ((root = tv__jr_load(&r, &status, json, len, TV_SPOILT_JSON_MAX)) == NULL)
		return status;
	if ((p = tv__calloc(ctx, 1, sizeof(*p))) == NULL) {
		json_decref(root);
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a spoilt paper");
	}
	p->ctx = ctx;
	status = spoilt_from(&r, p, root);
	json_decref(root);
	if (status != TV_OK) {
		tv_spoilt_free(p);
		return status;
	}
	*out = p;
	return TV_OK;
}

tv_status tv__spoilt_from_value(tv_ctx *ctx, tv_spoilt **out, json_t *root)
{
	tv_spoilt *p = tv__calloc(ctx, 1, sizeof(*p));
	tv__jr r;
	tv_status status;

	*out = NULL;
	if (p == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a spoilt paper");
	p->ctx = ctx;
	tv__jr_init(&r, ctx, TV_OK, "spoilt paper");
	if ((status = spoilt_from(&r, p, root)) != TV_OK) {
		tv_spoilt_free(p);
		return status;
	}
	*out = p;
	return TV_OK;
}

void tv_spoilt_tracking(uint8_t out[32], const tv_spoilt *spoilt)
{
	memcpy(out, spoilt->tracking, 32);
}

const tv_point *tv_spoilt_credential(const tv_spoilt *spoilt)
{
	return &spoilt->credential;
}

tv_spoilt_reason tv_spoilt_get_reason(const tv_spoilt *spoilt)
{
	return spoilt->reason;
}

void tv_spoilt_free(tv_spoilt *spoilt)
{
	if (spoilt != NULL)
		tv__free(spoilt->ctx, spoilt);
}
