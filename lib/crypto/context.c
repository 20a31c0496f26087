/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library context: OpenSSL state fetched once, allocator, errors. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/obj_mac.h>

#include "internal.h"

/*
 * Fixed property query: the default provider's implementations, whatever
 * the machine's openssl.cnf says (our library context never loads it).
 */
#define TV_PROPQ "provider=default"

static void *default_alloc(size_t size, void *payload)
{
	(void)payload;
	return malloc(size);
}

static void *default_realloc(void *ptr, size_t size, void *payload)
{
	(void)payload;
	return realloc(ptr, size);
}

static void default_free(void *ptr, void *payload)
{
	(void)payload;
	free(ptr);
}

tv_status tv_ctx_new(tv_ctx **out, const tv_ctx_options *options)
{
	tv_ctx *ctx = NULL;
	tv_ctx_options defaults = TV_CTX_OPTIONS_INIT;
	tv_status status = TV_ERR_INTERNAL;

	if (out == NULL)
		return TV_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if (options == NULL)
		options = &defaults;
	if (options->version != TV_CTX_OPTIONS_VERSION)
		return TV_ERR_INVALID_ARGUMENT;
	if (!((options->alloc && options->realloc && options->free) ||
	      (!options->alloc && !options->realloc && !options->free)))
		return TV_ERR_INVALID_ARGUMENT;
	if (options->alloc == NULL) {
		defaults.alloc = default_alloc;
		defaults.realloc = default_realloc;
		defaults.free = default_free;
		defaults.alloc_payload = NULL;
	} else {
		defaults = *options;
	}

	ctx = defaults.alloc(sizeof(*ctx), defaults.alloc_payload);
	if (ctx == NULL)
		return TV_ERR_NOMEM;
	memset(ctx, 0, sizeof(*ctx));
	ctx->alloc = defaults.alloc;
	ctx->realloc = defaults.realloc;
	ctx->free = defaults.free;
	ctx->alloc_payload = defaults.alloc_payload;

	ctx->libctx = OSSL_LIB_CTX_new();
	if (ctx->libctx == NULL)
		goto out;
	ctx->sha256 = EVP_MD_fetch(ctx->libctx, "SHA2-256", TV_PROPQ);
	if (ctx->sha256 == NULL)
		goto out;
	ctx->group = EC_GROUP_new_by_curve_name_ex(ctx->libctx, TV_PROPQ,
	                                           NID_X9_62_prime256v1);
	if (ctx->group == NULL)
		goto out;
	ctx->order = EC_GROUP_get0_order(ctx->group);
	ctx->prime = BN_new();
	ctx->bn = BN_CTX_new_ex(ctx->libctx);
	if (ctx->prime == NULL || ctx->bn == NULL ||
	    !EC_GROUP_get_curve(ctx->group, ctx->prime, NULL, NULL, ctx->bn))
		goto out;
	status = TV_OK;
out:
	if (status != TV_OK) {
		tv_ctx_free(ctx);
		return status;
	}
	*out = ctx;
	return TV_OK;
}

void tv_ctx_free(tv_ctx *ctx)
{
	void (*free_fn)(void *, void *);
	void *payload;

	if (ctx == NULL)
		return;
	BN_CTX_free(ctx->bn);
	BN_free(ctx->prime);
	EC_GROUP_free(ctx->group);
	EVP_MD_CTX_free(ctx->spare_md);
	EVP_MD_free(ctx->sha256);
	OSSL_LIB_CTX_free(ctx->libctx);
	free_fn = ctx->free;
	payload = ctx->alloc_payload;
	tv__memzero(ctx, sizeof(*ctx));
	free_fn(ctx, payload);
}

const char *tv_ctx_last_error(const tv_ctx *ctx)
{
	return ctx == NULL ? "" : ctx->last_error;
}

tv_status tv_ctx_last_status(const tv_ctx *ctx)
{
	return ctx == NULL ? TV_OK : ctx->last_status;
}

void *tv__alloc(tv_ctx *ctx, size_t size)
{
	return ctx->alloc(size == 0 ? 1 : size, ctx->alloc_payload);
}

void *tv__calloc(tv_ctx *ctx, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	p = tv__alloc(ctx, n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

void *tv__realloc(tv_ctx *ctx, void *ptr, size_t size)
{
	return ctx->realloc(ptr, size == 0 ? 1 : size, ctx->alloc_payload);
}

void tv__free(tv_ctx *ctx, void *ptr)
{
	if (ptr != NULL)
		ctx->free(ptr, ctx->alloc_payload);
}

void tv_free(tv_ctx *ctx, void *ptr)
{
	if (ctx != NULL)
		tv__free(ctx, ptr);
}

void tv__memzero(void *ptr, size_t len)
{
	if (ptr != NULL && len != 0)
		OPENSSL_cleanse(ptr, len);
}

tv_status tv__ctx_set_deterministic(tv_ctx *ctx, const uint8_t *seed, size_t len)
{
	tv__hash h;
	tv_status status;

	/* seed key = H("test-drbg-seed"; seed): any seed length, 32 bytes kept */
	ctx->deterministic = false;
	if ((status = tv__hash_begin(&h, ctx, "test-drbg-seed")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, seed, len);
	if ((status = tv__hash_final(&h, ctx->drbg_seed)) != TV_OK)
		return status;
	ctx->drbg_counter = 0;
	ctx->deterministic = true;
	return TV_OK;
}
