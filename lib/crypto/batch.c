/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §5.5: batch verification across ballots. See batch.h.
 *
 * The weights are ChaCha20's key stream under a 32-byte seed drawn for the
 * batch after its items are fixed (they are read from a record or a
 * request before the batch is checked), each 16 bytes read as a
 * big-endian integer. A bad item survives the batch only if its weighted
 * sum cancels, with probability at most 2^-128 (§5.4's argument).
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "batch.h"

typedef struct item {
	size_t first, count; /* its terms */
	tv__sc g, k;         /* its coefficients of G and K */
} item;

struct tv__batch {
	tv_ctx *ctx;
	tv_point key_bytes;
	tv__p256_affine key, g;
	/* terms; slots 0 and 1 are for G and K when a range is checked */
	tv__p256_affine *points;
	tv__sc *scalars;
	size_t n, cap;
	item *items;
	size_t nitems, items_cap;
	item cur; /* the item being added */
	int failed; /* out of memory while adding the current item */
	EVP_CIPHER *chacha;
	EVP_CIPHER_CTX *stream;
	uint8_t buf[1024];
	size_t used;
};

static const uint8_t zeros[sizeof(((tv__batch *)0)->buf)];

tv_status tv__batch_new(tv_ctx *ctx, tv__batch **out, const tv_point *key)
{
	tv__batch *b;

	*out = NULL;
	if ((b = tv__calloc(ctx, 1, sizeof(*b))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a batch");
	b->ctx = ctx;
	b->key_bytes = *key;
	tv__p256_generator(&b->g);
	if (!tv__p256_decode(&b->key, key->bytes)) {
		tv__free(ctx, b);
		return tv__fail(ctx, TV_ERR_POINT_INVALID, "the election key is not a point");
	}
	b->chacha = EVP_CIPHER_fetch(ctx->libctx, "ChaCha20", NULL);
	b->stream = EVP_CIPHER_CTX_new();
	if (b->chacha == NULL || b->stream == NULL) {
		tv__batch_free(b);
		return tv__fail(ctx, TV_ERR_INTERNAL, "no ChaCha20 for batch weights");
	}
	*out = b;
	return TV_OK;
}

void tv__batch_free(tv__batch *b)
{
	if (b == NULL)
		return;
	tv__free(b->ctx, b->points);
	tv__free(b->ctx, b->scalars);
	tv__free(b->ctx, b->items);
	EVP_CIPHER_CTX_free(b->stream);
	EVP_CIPHER_free(b->chacha);
	tv__free(b->ctx, b);
}

tv_status tv__batch_start(tv__batch *b)
{
	uint8_t seed[32], iv[16] = { 0 };
	int ok;

	b->n = 2;
	b->nitems = 0;
	b->failed = 0;
	/* never the deterministic generator of §7.3: verifying draws nothing
	 * a test vector depends on */
	ok = RAND_bytes_ex(b->ctx->libctx, seed, sizeof(seed), 0) == 1 &&
	     EVP_EncryptInit_ex2(b->stream, b->chacha, seed, iv, NULL) == 1;
	tv__memzero(seed, sizeof(seed));
	b->used = sizeof(b->buf);
	return ok ? TV_OK : tv__fail(b->ctx, TV_ERR_RANDOM, "cannot draw batch weights");
}

void tv__batch_item_begin(tv__batch *b)
{
	memset(&b->cur, 0, sizeof(b->cur));
	b->cur.first = b->n;
	b->failed = 0;
}

void tv__batch_item_drop(tv__batch *b)
{
	b->n = b->cur.first;
}

void tv__batch_item_end(tv__batch *b)
{
	if (b->failed) {
		tv__batch_item_drop(b);
		return;
	}
	if (b->nitems == b->items_cap) {
		size_t cap = b->items_cap ? 2 * b->items_cap : 256;
		item *grown = tv__realloc(b->ctx, b->items, cap * sizeof(*grown));

		if (grown == NULL) {
			tv__batch_item_drop(b);
			b->failed = 1;
			return;
		}
		b->items = grown;
		b->items_cap = cap;
	}
	b->cur.count = b->n - b->cur.first;
	b->items[b->nitems++] = b->cur;
}

size_t tv__batch_items(const tv__batch *b)
{
	return b->nitems;
}

void tv__batch_weight(tv__batch *b, tv__sc *w)
{
	uint8_t raw[32] = { 0 };
	int len;

	if (b->used + 16 > sizeof(b->buf)) {
		/* the key stream: ChaCha20 of zeros */
		if (EVP_EncryptUpdate(b->stream, b->buf, &len, zeros, sizeof(zeros)) != 1 ||
		    len != (int)sizeof(b->buf))
			b->failed = 1;
		b->used = 0;
	}
	memcpy(raw + 16, b->buf + b->used, 16);
	b->used += 16;
	(void)tv__sc_load(w, raw); /* below 2^128 < n */
}

tv_status tv__batch_term(tv__batch *b, const tv__p256_affine *p, const tv__sc *k)
{
	if (b->n >= b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 4096;
		tv__p256_affine *pts = tv__realloc(b->ctx, b->points, cap * sizeof(*pts));
		tv__sc *sc;

		if (pts == NULL) {
			b->failed = 1;
			return tv__fail(b->ctx, TV_ERR_NOMEM, "out of memory for a batch");
		}
		b->points = pts;
		if ((sc = tv__realloc(b->ctx, b->scalars, cap * sizeof(*sc))) == NULL) {
			b->failed = 1;
			return tv__fail(b->ctx, TV_ERR_NOMEM, "out of memory for a batch");
		}
		b->scalars = sc;
		b->cap = cap;
	}
	b->points[b->n] = *p;
	b->scalars[b->n] = *k;
	b->n++;
	return TV_OK;
}

void tv__batch_add_g(tv__batch *b, const tv__sc *k)
{
	tv__sc_add(&b->cur.g, &b->cur.g, k);
}

void tv__batch_add_key(tv__batch *b, const tv__sc *k)
{
	tv__sc_add(&b->cur.k, &b->cur.k, k);
}

const tv_point *tv__batch_key(const tv__batch *b)
{
	return &b->key_bytes;
}

int tv__batch_is_key(const tv__batch *b, const tv_point *point)
{
	return memcmp(point->bytes, b->key_bytes.bytes, TV_POINT_BYTES) == 0;
}

/* whether the items [first, first + count) hold together */
static tv_status check_range(tv__batch *b, size_t first, size_t count, int *holds)
{
	const item *lo = &b->items[first], *hi = &b->items[first + count - 1];
	size_t from = lo->first, to = hi->first + hi->count, k = to - from;
	tv__p256_affine *pts;
	tv__sc *sc, g, key;
	tv_status status;
	int inf;

	tv__sc_set_u32(&g, 0);
	tv__sc_set_u32(&key, 0);
	for (size_t i = first; i < first + count; i++) {
		tv__sc_add(&g, &g, &b->items[i].g);
		tv__sc_add(&key, &key, &b->items[i].k);
	}
	if (from == 2) {
		/* from the start: G and K take the two slots kept before it */
		pts = b->points;
		sc = b->scalars;
	} else {
		if ((pts = tv__alloc(b->ctx, (k + 2) * sizeof(*pts))) == NULL ||
		    (sc = tv__alloc(b->ctx, (k + 2) * sizeof(*sc))) == NULL) {
			tv__free(b->ctx, pts);
			return tv__fail(b->ctx, TV_ERR_NOMEM, "out of memory for a batch");
		}
		memcpy(pts + 2, b->points + from, k * sizeof(*pts));
		memcpy(sc + 2, b->scalars + from, k * sizeof(*sc));
	}
	pts[0] = b->g;
	sc[0] = g;
	pts[1] = b->key;
	sc[1] = key;
	status = tv__p256_msm(b->ctx, &inf, NULL, pts, sc, k + 2);
	if (pts != b->points) {
		tv__free(b->ctx, pts);
		tv__free(b->ctx, sc);
	}
	*holds = status == TV_OK && inf;
	return status;
}

/* items [first, first + count), known to fail together: flag the bad ones */
static tv_status bisect(tv__batch *b, size_t first, size_t count, uint8_t *bad, size_t *nbad)
{
	size_t half = count / 2;
	tv_status status;
	int holds;

	if (count == 1) {
		bad[first] = 1;
		(*nbad)++;
		return TV_OK;
	}
	/* the sum is linear: when the left half holds, the right one fails */
	if ((status = check_range(b, first, half, &holds)) != TV_OK)
		return status;
	if (!holds && (status = bisect(b, first, half, bad, nbad)) != TV_OK)
		return status;
	if (holds)
		return bisect(b, first + half, count - half, bad, nbad);
	if ((status = check_range(b, first + half, count - half, &holds)) != TV_OK)
		return status;
	return holds ? TV_OK : bisect(b, first + half, count - half, bad, nbad);
}

tv_status tv__batch_check(tv__batch *b, uint8_t *bad, size_t *nbad)
{
	tv_status status;
	int holds;

	*nbad = 0;
	memset(bad, 0, b->nitems);
	if (b->nitems == 0)
		return TV_OK;
	if (b->failed)
		return tv__fail(b->ctx, TV_ERR_NOMEM, "out of memory for a batch");
	if ((status = check_range(b, 0, b->nitems, &holds)) != TV_OK || holds)
		return status;
	return bisect(b, 0, b->nitems, bad, nbad);
}
