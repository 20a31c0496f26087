/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §12.2: the key ceremony's proof contexts and hashes, which bind every
 * proof, signature and share to the election, the trustees and the messages.
 */
#include <string.h>

#include "ceremony_internal.h"

/* ---- proof contexts (SPEC §12.2): F || label || fields ---- */

void tv__ceremony_put_u32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

static void context_begin(proof_context *c, const params *p, const char *label)
{
	size_t len = strlen(label);

	memcpy(c->bytes, p->fingerprint, FPB);
	memcpy(c->bytes + FPB, label, len);
	c->len = FPB + len;
}

static void context_u32(proof_context *c, uint32_t v)
{
	tv__ceremony_put_u32(c->bytes + c->len, v);
	c->len += 4;
}

/* SPEC §12.2: PoK of a_ij */
void tv__ceremony_context_coefficient(proof_context *c, const params *p, uint32_t i,
                                      uint32_t j)
{
	context_begin(c, p, "ceremony-coefficient");
	context_u32(c, i);
	context_u32(c, j);
}

/* PoK of the transport secret t_i */
void tv__ceremony_context_transport(proof_context *c, const params *p, uint32_t i)
{
	context_begin(c, p, "ceremony-transport");
	context_u32(c, i);
}

/* PoK of the share x_l, bound to the transcript it was combined from */
void tv__ceremony_context_share(proof_context *c, const params *p, uint32_t l,
                                const uint8_t transcript_hash[TV_HASH_BYTES])
{
	context_begin(c, p, "ceremony-share");
	context_u32(c, l);
	memcpy(c->bytes + c->len, transcript_hash, TV_HASH_BYTES);
	c->len += TV_HASH_BYTES;
}

/* the accuser l's proof about the share from trustee i */
void tv__ceremony_context_complaint(proof_context *c, const params *p, uint32_t l,
                                    uint32_t i)
{
	context_begin(c, p, "ceremony-complaint");
	context_u32(c, l);
	context_u32(c, i);
}

/* ---- hashes (SPEC §12.2) ---- */

static void hash_params(tv__hash *h, const params *p, uint32_t index, bool with_index)
{
	tv__hash_field(h, p->fingerprint, FPB);
	if (with_index)
		tv__hash_u32(h, index);
	tv__hash_u32(h, p->n);
	tv__hash_u32(h, p->k);
}

/* H("ceremony-commit"; F, i, n, k, C_i0..C_i,k−1, A_i0, v_i0, ...) */
tv_status tv__ceremony_commitment_hash(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
                                       const params *p, uint32_t i,
                                       const tv_point *commitment,
                                       const tv_schnorr_proof *proof)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "ceremony-commit");
	uint32_t j;

	if (status != TV_OK)
		return status;
	hash_params(&h, p, i, true);
	for (j = 0; j < p->k; j++)
		tv__hash_point(&h, &commitment[j]);
	for (j = 0; j < p->k; j++) {
		tv__hash_point(&h, &proof[j].commitment);
		tv__hash_scalar(&h, &proof[j].response);
	}
	return tv__hash_final(&h, out);
}

/* Dc_i = H("ceremony-commit-message"; F, i, n, k, T, A_T, v_T, U, hash) */
tv_status tv__ceremony_commit_digest(tv_ctx *ctx, commit_msg *c, const params *p)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "ceremony-commit-message");

	if (status != TV_OK)
		return status;
	hash_params(&h, p, c->index, true);
	tv__hash_point(&h, &c->transport_key);
	tv__hash_point(&h, &c->transport_proof.commitment);
	tv__hash_scalar(&h, &c->transport_proof.response);
	tv__hash_point(&h, &c->signing_key);
	tv__hash_field(&h, c->commitment_hash, TV_HASH_BYTES);
	return tv__hash_final(&h, c->digest);
}

/* Dcs = H("ceremony-commits"; F, n, k, Dc_1, ..., Dc_n) */
tv_status tv__ceremony_commits_digest(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
                                      const params *p, const commit_msg *commit)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "ceremony-commits");
	uint32_t i;

	if (status != TV_OK)
		return status;
	hash_params(&h, p, 0, false);
	for (i = 0; i < p->n; i++)
		tv__hash_field(&h, commit[i].digest, TV_HASH_BYTES);
	return tv__hash_final(&h, out);
}

/* pad = H("ceremony-share-pad"; F, i, l, E, S): secret, wipe after use */
tv_status tv__ceremony_share_pad(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
                                 const params *p, uint32_t i, uint32_t l,
                                 const tv_point *E, const tv_point *S)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "ceremony-share-pad");

	if (status != TV_OK)
		return status;
	tv__hash_field(&h, p->fingerprint, FPB);
	tv__hash_u32(&h, i);
	tv__hash_u32(&h, l);
	tv__hash_point(&h, E);
	tv__hash_point(&h, S);
	return tv__hash_final(&h, out);
}

/* Dr_i = H("ceremony-reveal-message"; F, i, n, k, Dcs, hash, (l, E, ct)...) */
tv_status tv__ceremony_reveal_digest(tv_ctx *ctx, reveal_msg *r, const params *p)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "ceremony-reveal-message");
	uint32_t l;

	if (status != TV_OK)
		return status;
	hash_params(&h, p, r->index, true);
	tv__hash_field(&h, r->commits, TV_HASH_BYTES);
	tv__hash_field(&h, r->commitment_hash, TV_HASH_BYTES);
	for (l = 1; l <= p->n; l++) {
		if (l == r->index)
			continue;
		tv__hash_u32(&h, l);
		tv__hash_point(&h, &r->share[l - 1].ephemeral);
		tv__hash_field(&h, r->share[l - 1].ciphertext, TV_SCALAR_BYTES);
	}
	return tv__hash_final(&h, r->digest);
}

/* H("ceremony-transcript"; F, n, k, Dcs, Dr_1, ..., Dr_n) */
tv_status tv__ceremony_transcript_hash(tv_ctx *ctx, transcript *t)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "ceremony-transcript");
	uint32_t i;

	if (status != TV_OK)
		return status;
	hash_params(&h, &t->p, 0, false);
	tv__hash_field(&h, t->commits_digest, TV_HASH_BYTES);
	for (i = 0; i < t->p.n; i++)
		tv__hash_field(&h, t->reveal[i].digest, TV_HASH_BYTES);
	return tv__hash_final(&h, t->hash);
}
