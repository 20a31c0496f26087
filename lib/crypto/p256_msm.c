/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Multi-scalar multiplication on public data (p256.h, SPEC §5.5):
 * Pippenger's bucket method with signed digits. Nothing here is constant
 * time; scalars and points are public (batch weights are drawn after the
 * proofs are fixed, and revealing them gives nothing away).
 *
 * Each scalar is cut into windows of c bits, recoded so that every digit
 * d lies in (-2^(c-1), 2^(c-1)]: a point with digit d goes into bucket |d|
 * (negated when d < 0), which halves the buckets. Per window the buckets'
 * weighted sum Σ k·B_k is the running sum of running sums, and the
 * windows are joined by c doublings each, from the top.
 *
 * Buckets are filled with affine additions whose inversions are shared:
 * up to `batch` independent additions (each to a different bucket, of
 * any window: all windows' buckets are filled in one pass) wait in a
 * batch, then one batch inversion (Montgomery's trick) finishes them all,
 * about 6 multiplications each against 11 for a Jacobian mixed addition.
 * A point for a bucket already waiting in the batch is deferred to the
 * next batch, once; colliding again, it goes to the overflow. An addition whose x equals the bucket's (the same
 * point, or its negation) cannot be done affinely; it goes into the
 * bucket's Jacobian overflow, which handles every case, and the bucket's
 * value is the affine part plus the overflow.
 *
 * A scalar below 2^128 has zero digits above its top window, and a zero
 * digit costs nothing, so short batch weights cost half a full scalar.
 * (Jacobian-only buckets remain, for tv__p256_msm_tuned: measured, they
 * lost at every size.)
 *
 * All state is in the call's own allocations (thread-safe).
 */
#include <stdlib.h>
#include <string.h>

#include "p256.h"
#include "p256_point.h"

/* a point waiting to go into a bucket */
struct entry {
	size_t idx;       /* into points[] */
	uint32_t bucket;  /* |digit| - 1 */
	uint32_t negate;  /* digit < 0 */
};

/*
 * One bucket's state together, so that a point going into it touches one
 * cache line or two, not four arrays.
 */
struct bucket {
	tv__p256_affine a;  /* the affine part, when filled */
	uint64_t busy;      /* == epoch: waiting in the current batch */
	uint32_t filled;
	uint32_t has_overflow;
};

struct msm {
	const tv__p256_affine *points;
	size_t n;
	unsigned c, windows;
	size_t buckets;
	int affine;                /* batched-affine buckets, else Jacobian only */
	int16_t *digits;           /* n × windows, point-major (c <= 15) */
	/* each window's buckets side by side: windows × buckets of each */
	struct bucket *bucket;
	tv__p256_jac *overflow;    /* Jacobian part, set when has_overflow */
	uint64_t epoch;
	size_t batch, count;       /* capacity and fill of the batch */
	struct entry *pending;     /* the batch */
	tv__fe *den, *scratch;
	struct entry *deferred, *retry; /* capacity `batch` each */
	size_t ndeferred;
};

/* bits [pos, pos + c) of a scalar, zero beyond bit 255 */
static unsigned scalar_bits(const tv__sc *k, unsigned pos, unsigned c)
{
	unsigned limb = pos / 64, shift = pos % 64;
	uint64_t v;

	if (limb >= 4)
		return 0;
	v = k->d[limb] >> shift;
	/* shift + c > 64 implies shift > 0, so 64 - shift is below 64 */
	if (shift + c > 64 && limb + 1 < 4)
		v |= k->d[limb + 1] << (64 - shift);
	return (unsigned)(v & ((1u << c) - 1));
}

static void recode(struct msm *m, const tv__sc *scalars)
{
	unsigned half = 1u << (m->c - 1);

	for (size_t i = 0; i < m->n; i++) {
		unsigned carry = 0;

		for (unsigned w = 0; w < m->windows; w++) {
			unsigned v = scalar_bits(&scalars[i], w * m->c, m->c) + carry;
			int32_t d;

			/* the top window never exceeds half: windows = 256/c + 1 */
			if (v > half) {
				d = (int32_t)v - (int32_t)(1u << m->c);
				carry = 1;
			} else {
				d = (int32_t)v;
				carry = 0;
			}
			m->digits[i * m->windows + w] = (int16_t)d;
		}
	}
}

static void point_y(uint64_t y[4], const struct msm *m, const struct entry *e)
{
	if (e->negate)
		tv__fe_neg(y, m->points[e->idx].y);
	else
		tv__fe_copy(y, m->points[e->idx].y);
}

static void to_overflow(struct msm *m, const struct entry *e)
{
	uint64_t y[4];

	/*
	 * The overflow array is not cleared up front: most of it is never
	 * used, and left untouched its pages are never even faulted in.
	 */
	if (!m->bucket[e->bucket].has_overflow) {
		memset(&m->overflow[e->bucket], 0, sizeof(m->overflow[e->bucket]));
		m->bucket[e->bucket].has_overflow = 1;
	}
	point_y(y, m, e);
	tv__jac_add_affine(&m->overflow[e->bucket], &m->overflow[e->bucket],
	                   m->points[e->idx].x, y);
}

/* finish every addition in the batch with one inversion */
static void flush(struct msm *m)
{
	m->epoch++;
	if (m->count == 0)
		return;
	tv__fe_batch_inv(m->den, m->den, m->scratch, m->count);
	for (size_t k = 0; k < m->count; k++) {
		const struct entry *e = &m->pending[k];
		tv__p256_affine *a = &m->bucket[e->bucket].a;
		const uint64_t *x2 = m->points[e->idx].x;
		uint64_t y2[4], lambda[4], x3[4], t[4];

		point_y(y2, m, e);
		tv__fe_sub(t, y2, a->y);
		tv__fe_mul(lambda, t, m->den[k]);
		tv__fe_sqr(x3, lambda);
		tv__fe_sub(x3, x3, a->x);
		tv__fe_sub(x3, x3, x2);
		tv__fe_sub(t, a->x, x3);
		tv__fe_mul(t, lambda, t);
		tv__fe_sub(a->y, t, a->y);
		tv__fe_copy(a->x, x3);
	}
	m->count = 0;
}

/*
 * bucket += point: now, in this batch, deferred to the next batch (once,
 * when @p may_defer), or else in the bucket's Jacobian overflow
 */
static void place(struct msm *m, const struct entry *e, int may_defer)
{
	struct bucket *bk = &m->bucket[e->bucket];
	tv__p256_affine *a = &bk->a;
	const uint64_t *x2 = m->points[e->idx].x;

	if (!m->affine) {
		to_overflow(m, e);
		return;
	}
	if (!bk->filled) {
		tv__fe_copy(a->x, x2);
		point_y(a->y, m, e);
		bk->filled = 1;
		return;
	}
	if (bk->busy == m->epoch) {
		if (may_defer)
			m->deferred[m->ndeferred++] = *e;
		else
			to_overflow(m, e);
		return;
	}
	if (tv__fe_equal(a->x, x2)) {
		/* ±the bucket's own point: no affine slope exists */
		to_overflow(m, e);
		return;
	}
	bk->busy = m->epoch;
	m->pending[m->count] = *e;
	tv__fe_sub(m->den[m->count], x2, a->x);
	if (++m->count == m->batch)
		flush(m);
}

/*
 * Finish the batch and give every deferred point its second try. One
 * that collides again goes to the overflow, which bounds the deferred
 * list and keeps a run of points for one bucket from going round forever.
 */
static void flush_and_retry(struct msm *m)
{
	size_t n = m->ndeferred;
	struct entry *t = m->retry;

	flush(m);
	m->retry = m->deferred;
	m->deferred = t;
	m->ndeferred = 0;
	for (size_t k = 0; k < n; k++)
		place(m, &m->retry[k], 0);
}

/* every point into its bucket of every window */
static void fill_buckets(struct msm *m)
{
	for (size_t i = 0; i < m->n; i++) {
		const int16_t *digits = m->digits + i * m->windows;

		/*
		 * The buckets are spread over a megabyte or more: ask for the
		 * next point's ones now, so they are in cache when it comes.
		 */
		if (i + 1 < m->n) {
			const int16_t *next = digits + m->windows;

			for (unsigned w = 0; w < m->windows; w++)
				if (next[w] != 0)
					__builtin_prefetch(&m->bucket[(size_t)w * m->buckets +
					                              (size_t)abs(next[w]) - 1]);
		}

		for (unsigned w = 0; w < m->windows; w++) {
			struct entry e;

			if (digits[w] == 0)
				continue;
			e.idx = i;
			e.negate = digits[w] < 0;
			e.bucket = (uint32_t)(w * m->buckets) +
			           (uint32_t)(e.negate ? -digits[w] : digits[w]) - 1;
			place(m, &e, 1);
			if (m->ndeferred == m->batch)
				flush_and_retry(m);
		}
	}
	flush_and_retry(m);
	flush(m);
}

/* Σ k·B_k over window @p w's buckets = Σ_k (B_top + ... + B_k) */
static void window_sum(const struct msm *m, unsigned w, tv__p256_jac *sum)
{
	size_t first = (size_t)w * m->buckets;
	tv__p256_jac running;

	memset(&running, 0, sizeof(running));
	memset(sum, 0, sizeof(*sum));
	for (size_t b = first + m->buckets; b-- > first;) {
		if (m->bucket[b].filled)
			tv__jac_add_affine(&running, &running, m->bucket[b].a.x, m->bucket[b].a.y);
		if (m->bucket[b].has_overflow)
			tv__jac_add(&running, &running, &m->overflow[b]);
		if (!tv__fe_is_zero(running.z))
			tv__jac_add(sum, sum, &running);
	}
}

/*
 * Window width and bucket mode by size, measured with bench/p256.c on the
 * ballot mix (5 full-width and 13 128-bit scalars in 18).
 */
static void choose(struct msm *m, unsigned c, int affine)
{
	size_t n = m->n;

	/*
	 * Measured (p256-bench --sweep, ballot mix, thread CPU time): best
	 * c = 3 at n = 18, 4-5 at 64, 6 at 200, 7-8 at 1000, 10 at 18000;
	 * and 10 at the verifier's shares of 512 ballots (9218 points: 3%
	 * less time for the whole verifier than 9, 7% less than 11).
	 * Batched-affine buckets won at every size, even 18 points with
	 * c = 3 (386 µs against 425 µs Jacobian).
	 */
	if (n < 32)
		m->c = 3;
	else if (n < 96)
		m->c = 4;
	else if (n < 160)
		m->c = 5;
	else if (n < 500)
		m->c = 6;
	else if (n < 2000)
		m->c = 7;
	else if (n < 6000)
		m->c = 8;
	else if (n < 8000)
		m->c = 9;
	else if (n < 48000)
		m->c = 10;
	else if (n < 150000)
		m->c = 11;
	else
		m->c = 12;
	m->affine = 1;
	if (c >= 2 && c <= 15) /* digits up to 2^14 fit int16_t */
		m->c = c;
	if (affine >= 0)
		m->affine = affine;
	m->windows = 256 / m->c + 1;
	m->buckets = (size_t)1 << (m->c - 1);
	/*
	 * The batch spans every window's buckets, so it can be long without
	 * many collisions; its inversion then costs little per addition.
	 */
	m->batch = 512;
}

static void release(tv_ctx *ctx, struct msm *m)
{
	tv__free(ctx, m->digits);
	tv__free(ctx, m->bucket);
	tv__free(ctx, m->overflow);
	tv__free(ctx, m->pending);
	tv__free(ctx, m->den);
	tv__free(ctx, m->scratch);
	tv__free(ctx, m->deferred);
	tv__free(ctx, m->retry);
}

tv_status tv__p256_msm(tv_ctx *ctx, int *is_infinity, uint8_t sum[TV_POINT_BYTES],
                       const tv__p256_affine *points, const tv__sc *scalars, size_t n)
{
	return tv__p256_msm_tuned(ctx, is_infinity, sum, points, scalars, n, 0, -1);
}

tv_status tv__p256_msm_tuned(tv_ctx *ctx, int *is_infinity, uint8_t sum[TV_POINT_BYTES],
                             const tv__p256_affine *points, const tv__sc *scalars, size_t n,
                             unsigned c, int affine)
{
	struct msm m;
	tv__p256_jac acc, s;
	size_t all;
	tv_status status = TV_OK;

	*is_infinity = 1;
	if (n == 0)
		return TV_OK;
	memset(&m, 0, sizeof(m));
	m.points = points;
	m.n = n;
	choose(&m, c, affine);
	m.digits = tv__calloc(ctx, n, m.windows * sizeof(*m.digits));
	all = m.buckets * m.windows;
	m.bucket = tv__calloc(ctx, all, sizeof(*m.bucket));
	m.overflow = all <= SIZE_MAX / sizeof(*m.overflow) ?
	                     tv__alloc(ctx, all * sizeof(*m.overflow)) : NULL;
	m.pending = tv__calloc(ctx, m.batch, sizeof(*m.pending));
	m.den = tv__calloc(ctx, m.batch, sizeof(*m.den));
	m.scratch = tv__calloc(ctx, m.batch, sizeof(*m.scratch));
	m.deferred = tv__calloc(ctx, m.batch, sizeof(*m.deferred));
	m.retry = tv__calloc(ctx, m.batch, sizeof(*m.retry));
	if (m.digits == NULL || m.bucket == NULL || m.overflow == NULL ||
	    m.pending == NULL || m.den == NULL ||
	    m.scratch == NULL || m.deferred == NULL || m.retry == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM,
		                  "out of memory for a multi-scalar multiplication of %zu points", n);
		/* no answer: never "infinity", which a careless caller would take
		 * for a batch that holds */
		*is_infinity = 0;
		goto out;
	}
	m.epoch = 1;
	recode(&m, scalars);
	fill_buckets(&m);

	memset(&acc, 0, sizeof(acc));
	for (unsigned w = m.windows; w-- > 0;) {
		if (!tv__fe_is_zero(acc.z))
			for (unsigned i = 0; i < m.c; i++)
				tv__jac_dbl(&acc, &acc);
		window_sum(&m, w, &s);
		tv__jac_add(&acc, &acc, &s);
	}
	if (sum != NULL)
		*is_infinity = !tv__jac_to_bytes(sum, &acc);
	else
		*is_infinity = tv__fe_is_zero(acc.z);
out:
	release(ctx, &m);
	return status;
}
