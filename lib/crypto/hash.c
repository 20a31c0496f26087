/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §3: H(tag; f1, ..., fk) = SHA-256(enc(tag) || enc(f1) || ... ||
 * enc(fk)), enc(x) = u32be(len(x)) || x, tag = "tenantvote/v1/" purpose.
 * The length prefixes make the field boundaries part of the hash, so no two
 * different field lists hash the same bytes; the tag keeps each use apart.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

#define TV_FIELD_MAX 0xffffffffu

static void put_u32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

/* hand the gathered bytes to SHA-256 */
static void flush(tv__hash *h)
{
	if (h->status == TV_OK && h->used > 0 && !EVP_DigestUpdate(h->md, h->buf, h->used))
		h->status = tv__fail(h->ctx, TV_ERR_INTERNAL, "SHA-256 update failed");
	h->used = 0;
}

/* @p len bytes into the hash: gathered when they fit, else given as they are */
static void put(tv__hash *h, const void *data, size_t len)
{
	if (h->status != TV_OK || len == 0)
		return;
	if (h->used + len > sizeof(h->buf))
		flush(h);
	if (len <= sizeof(h->buf)) {
		memcpy(h->buf + h->used, data, len);
		h->used += len;
	} else if (h->status == TV_OK && !EVP_DigestUpdate(h->md, data, len)) {
		h->status = tv__fail(h->ctx, TV_ERR_INTERNAL, "SHA-256 update failed");
	}
}

tv_status tv__hash_begin(tv__hash *h, tv_ctx *ctx, const char *purpose)
{
	uint8_t len[4];
	size_t plen = strlen(purpose);
	size_t prefix = sizeof(TV_TAG_PREFIX) - 1;

	h->ctx = ctx;
	h->status = TV_OK;
	h->used = 0;
	/* the context's spare, if no other hash holds it: a new EVP_MD_CTX
	 * for every hash costs more than hashing a short field list */
	h->md = ctx->spare_md != NULL ? ctx->spare_md : EVP_MD_CTX_new();
	ctx->spare_md = NULL;
	if (h->md == NULL)
		return h->status = tv__fail(ctx, TV_ERR_NOMEM, "cannot start SHA-256");
	if (!EVP_DigestInit_ex2(h->md, ctx->sha256, NULL)) {
		EVP_MD_CTX_free(h->md);
		h->md = NULL;
		return h->status = tv__fail(ctx, TV_ERR_INTERNAL, "cannot start SHA-256");
	}
	put_u32(len, (uint32_t)(prefix + plen));
	put(h, len, 4);
	put(h, TV_TAG_PREFIX, prefix);
	put(h, purpose, plen);
	return h->status;
}

void tv__hash_field(tv__hash *h, const void *data, size_t len)
{
	uint8_t prefix[4];

	if (h->status != TV_OK)
		return;
	if (len > TV_FIELD_MAX || (data == NULL && len != 0)) {
		h->status = tv__fail(h->ctx, TV_ERR_INVALID_ARGUMENT,
		                     "hash field of %zu bytes cannot be encoded", len);
		return;
	}
	put_u32(prefix, (uint32_t)len);
	put(h, prefix, 4);
	put(h, data, len);
}

void tv__hash_u32(tv__hash *h, uint32_t value)
{
	uint8_t b[4];

	put_u32(b, value);
	tv__hash_field(h, b, 4);
}

void tv__hash_u64(tv__hash *h, uint64_t value)
{
	uint8_t b[8];

	put_u32(b, (uint32_t)(value >> 32));
	put_u32(b + 4, (uint32_t)value);
	tv__hash_field(h, b, 8);
}

void tv__hash_point(tv__hash *h, const tv_point *p)
{
	tv__hash_field(h, p->bytes, TV_POINT_BYTES);
}

void tv__hash_scalar(tv__hash *h, const tv_scalar *s)
{
	tv__hash_field(h, s->bytes, TV_SCALAR_BYTES);
}

tv_status tv__hash_final(tv__hash *h, uint8_t out[TV_HASH_BYTES])
{
	unsigned int len = 0;
	tv_status status;

	flush(h);
	status = h->status;
	if (status == TV_OK &&
	    (!EVP_DigestFinal_ex(h->md, out, &len) || len != TV_HASH_BYTES))
		status = tv__fail(h->ctx, TV_ERR_INTERNAL, "SHA-256 final failed");
	tv__hash_abort(h);
	return status;
}

tv_status tv__hash_final_scalar(tv__hash *h, BIGNUM *out)
{
	uint8_t digest[TV_HASH_BYTES];
	tv_status status = tv__hash_final(h, digest);

	if (status != TV_OK)
		return status;
	/* bias of a 256-bit digest mod n is below 2^-32: fine for challenges */
	if (BN_bin2bn(digest, sizeof(digest), out) == NULL ||
	    !BN_nnmod(out, out, h->ctx->order, h->ctx->bn))
		return tv__fail(h->ctx, TV_ERR_INTERNAL, "cannot reduce digest mod n");
	return TV_OK;
}

tv_status tv__hash_final_sc(tv__hash *h, tv__sc *out)
{
	uint8_t digest[TV_HASH_BYTES];
	tv_status status = tv__hash_final(h, digest);

	if (status == TV_OK)
		tv__sc_reduce32(out, digest);
	tv__memzero(digest, sizeof(digest));
	return status;
}

void tv__hash_abort(tv__hash *h)
{
	/* a hash may be of secrets: neither the gathered bytes nor the
	 * SHA-256 state outlive it (the reset wipes the state) */
	OPENSSL_cleanse(h->buf, sizeof(h->buf));
	h->used = 0;
	if (h->md != NULL && h->ctx != NULL && h->ctx->spare_md == NULL &&
	    EVP_MD_CTX_reset(h->md) == 1)
		h->ctx->spare_md = h->md;
	else
		EVP_MD_CTX_free(h->md);
	h->md = NULL;
	if (h->status == TV_OK)
		h->status = TV_ERR_INVALID_ARGUMENT; /* finished: no more use */
}
