/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writes the test vectors of SPEC §8 (the JSON files beside this one), or with
 * --check compares freshly generated vectors with the committed files.
 *
 * Every random value comes from the deterministic generator of SPEC §7,
 * seeded with the file's "seed" string, so the files are reproducible here
 * and by an independent implementation. The expected status of each
 * tampered case is set by the kind of change made, and the generator
 * refuses to write a case the library disagrees with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "election_internal.h"
#include "tenantvote/authority.h"

#define SEED_PREFIX "tenantvote/v1/vectors/"

static const uint8_t n_bytes[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
	0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

static void die(tv_ctx *ctx, const char *what, tv_status st)
{
	fprintf(stderr, "gen-vectors: %s: %s: %s\n", what, tv_status_str(st),
	        ctx ? tv_ctx_last_error(ctx) : "");
	exit(1);
}

#define CHECK(ctx, expr)                                   \
	do {                                               \
		tv_status st_ = (expr);                    \
		if (st_ != TV_OK)                          \
			die(ctx, #expr, st_);              \
	} while (0)

static const char *expect_name(tv_status st)
{
	switch (st) {
	case TV_OK: return "ok";
	case TV_ERR_ENCODING: return "encoding";
	case TV_ERR_POINT_INVALID: return "point_invalid";
	case TV_ERR_SCALAR_RANGE: return "scalar_range";
	case TV_ERR_PROOF_INVALID: return "proof_invalid";
	case TV_ERR_SIGNATURE_INVALID: return "signature_invalid";
	case TV_ERR_RANGE_INVALID: return "range_invalid";
	case TV_ERR_WRONG_ELECTION: return "wrong_election";
	default: return "?";
	}
}

static json_t *jhex(const void *data, size_t len)
{
	char *buf = malloc(2 * len + 1);
	json_t *s;

	if (buf == NULL)
		abort();
	tv__hex_encode(buf, data, len);
	s = json_string(buf);
	free(buf);
	return s;
}

#define JP(p) jhex((p)->bytes, TV_POINT_BYTES)
#define JS(s) jhex((s)->bytes, TV_SCALAR_BYTES)

static void agree(tv_ctx *ctx, const char *file, const char *name,
                  tv_status want, tv_status got)
{
	if (want != got) {
		fprintf(stderr, "gen-vectors: %s case '%s': expected %s, library says %s: %s\n",
		        file, name, expect_name(want), expect_name(got),
		        tv_ctx_last_error(ctx));
		exit(1);
	}
}

static tv_ctx *seeded_ctx(const char *seed)
{
	tv_ctx *ctx = NULL;

	CHECK(NULL, tv_ctx_new(&ctx, NULL));
	CHECK(ctx, tv__ctx_set_deterministic(ctx, (const uint8_t *)seed, strlen(seed)));
	return ctx;
}

static json_t *file_header(const char *kind, const char *section, const char *seed,
                           const char *description)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "spec", "tenantvote SPEC v1",
	                 "section", section, "kind", kind, "seed", seed,
	                 "description", description);
}

/* p + G, another valid point */
static void other_point(tv_ctx *ctx, tv_point *out, const tv_point *p)
{
	tv_ciphertext a = { *p, *p }, b, sum;

	tv_point_generator(&b.alpha);
	b.beta = b.alpha;
	CHECK(ctx, tv_ciphertext_add(ctx, &sum, &a, &b));
	*out = sum.alpha;
}

static void plus_one(tv_scalar *s)
{
	int i;

	for (i = 31; i >= 0; i--)
		if (++s->bytes[i] != 0)
			break;
	if (memcmp(s->bytes, n_bytes, 32) == 0)
		memset(s->bytes, 0, 32);
}

/* ---------------------------------------------------------------- hash */

static json_t *hash_case(tv_ctx *ctx, const char *purpose, const char **fields,
                         const size_t *lens, size_t count)
{
	tv__hash h;
	uint8_t digest[TV_HASH_BYTES];
	BIGNUM *bn = BN_new();
	tv_scalar s;
	json_t *jf = json_array(), *c;
	size_t i, pre_len = 4 + strlen(TV_TAG_PREFIX) + strlen(purpose);
	uint8_t *pre, *w;

	for (i = 0; i < count; i++)
		pre_len += 4 + lens[i];
	pre = malloc(pre_len);
	if (pre == NULL || bn == NULL)
		abort();
	/* the preimage, written out independently of lib/crypto/hash.c */
	w = pre;
	{
		size_t tl = strlen(TV_TAG_PREFIX) + strlen(purpose);

		*w++ = (uint8_t)(tl >> 24), *w++ = (uint8_t)(tl >> 16);
		*w++ = (uint8_t)(tl >> 8), *w++ = (uint8_t)tl;
		memcpy(w, TV_TAG_PREFIX, strlen(TV_TAG_PREFIX));
		w += strlen(TV_TAG_PREFIX);
		memcpy(w, purpose, strlen(purpose));
		w += strlen(purpose);
	}
	CHECK(ctx, tv__hash_begin(&h, ctx, purpose));
	for (i = 0; i < count; i++) {
		tv__hash_field(&h, fields[i], lens[i]);
		json_array_append_new(jf, jhex(fields[i], lens[i]));
		*w++ = (uint8_t)(lens[i] >> 24), *w++ = (uint8_t)(lens[i] >> 16);
		*w++ = (uint8_t)(lens[i] >> 8), *w++ = (uint8_t)lens[i];
		memcpy(w, fields[i], lens[i]);
		w += lens[i];
	}
	CHECK(ctx, tv__hash_final(&h, digest));
	if (BN_bin2bn(digest, 32, bn) == NULL || !BN_nnmod(bn, bn, ctx->order, ctx->bn))
		abort();
	CHECK(ctx, tv__bn_to_scalar(ctx, &s, bn));
	c = json_pack("{s:s, s:o, s:o, s:o, s:o}", "purpose", purpose, "fields", jf,
	              "preimage", jhex(pre, pre_len), "digest", jhex(digest, 32),
	              "digest_mod_n", JS(&s));
	free(pre);
	BN_free(bn);
	return c;
}

static json_t *gen_hash(void)
{
	const char *seed = SEED_PREFIX "hash";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("hash", "§3", seed,
	                           "H(tag; fields) and Hs = H mod n. fields are hex; preimage is the exact SHA-256 input.");
	json_t *cases = json_array();
	static const char ff[32] = {
		'\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff',
		'\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff',
		'\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff',
		'\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff',
	};
	const char *f1[] = { "" };
	size_t l1[] = { 0 };
	const char *f2[] = { "ab", "c" };
	size_t l2[] = { 2, 1 };
	const char *f3[] = { "a", "bc" };
	size_t l3[] = { 1, 2 };
	const char *f4[] = { "Pleidlais trosglwyddo stoc \xe2\x80\x94 Cyngor", ff };
	size_t l4[] = { strlen(f4[0]), sizeof(ff) };
	/*
	 * A digest >= n, so that Hs = H - n differs from H: the field is
	 * u64be(i) for i = 10740018832, found by trying i = 0, 1, ... with
	 * SHA-256 (about 2^32 tries: the digest must start with ffffffff).
	 */
	static const char big_i[8] = { 0, 0, 0, 0x02, '\x80', 0x27, '\xae', '\x90' };
	const char *f5[] = { big_i };
	size_t l5[] = { sizeof(big_i) };

	json_array_append_new(cases, hash_case(ctx, "pok", NULL, NULL, 0));
	json_array_append_new(cases, hash_case(ctx, "pok", f1, l1, 1));
	json_array_append_new(cases, hash_case(ctx, "cp", f2, l2, 2));
	json_array_append_new(cases, hash_case(ctx, "cp", f3, l3, 2));
	json_array_append_new(cases, hash_case(ctx, "range", f4, l4, 2));
	json_array_append_new(cases, hash_case(ctx, "pok", f5, l5, 1));
	json_object_set_new(root, "cases", cases);
	tv_ctx_free(ctx);
	return root;
}

/* --------------------------------------------------------------- group */

static json_t *gen_group(void)
{
	const char *seed = SEED_PREFIX "group";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("group", "§2", seed,
	                           "Point and scalar encodings with the status a decoder must give, and k·G.");
	json_t *points = json_array(), *scalars = json_array(), *mul = json_array();
	tv_point g, p;
	tv_scalar k;
	uint8_t buf[65];
	static const uint8_t prime[32] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	int i;

#define POINT(name, bytes, len, want)                                          \
	do {                                                                   \
		tv_status got_ = tv_point_decode(ctx, &p, bytes, len);         \
		agree(ctx, "group", name, want, got_);                         \
		json_array_append_new(points,                                  \
			json_pack("{s:s, s:o, s:s}", "name", name, "encoding", \
			          jhex(bytes, len), "expect", expect_name(want))); \
	} while (0)

	tv_point_generator(&g);
	POINT("generator G", g.bytes, 65, TV_OK);
	for (i = 0; i < 3; i++) {
		CHECK(ctx, tv_scalar_random(ctx, &k));
		CHECK(ctx, tv_point_base_mul(ctx, &p, &k));
		memcpy(buf, p.bytes, 65);
		POINT("random point", buf, 65, TV_OK);
	}
	memcpy(buf, g.bytes, 65);
	buf[0] = 0x03;
	POINT("G compressed (refused: uncompressed only)", buf, 33, TV_ERR_ENCODING);
	POINT("G with prefix 03 and 65 bytes", buf, 65, TV_ERR_ENCODING);
	buf[0] = 0x07;
	POINT("G in hybrid form", buf, 65, TV_ERR_ENCODING);
	buf[0] = 0x00;
	POINT("infinity (single 00 byte)", buf, 1, TV_ERR_ENCODING);
	POINT("empty", buf, 0, TV_ERR_ENCODING);
	memcpy(buf, g.bytes, 65);
	POINT("G truncated to 64 bytes", buf, 64, TV_ERR_ENCODING);
	buf[64] ^= 1;
	POINT("G with y + 1 (off the curve)", buf, 65, TV_ERR_POINT_INVALID);
	memset(buf + 1, 0, 64);
	POINT("(0, 0)", buf, 65, TV_ERR_POINT_INVALID);
	memcpy(buf, g.bytes, 65);
	memcpy(buf + 1, prime, 32);
	POINT("x = p", buf, 65, TV_ERR_POINT_INVALID);
	memcpy(buf, g.bytes, 65);
	memcpy(buf + 33, prime, 32);
	POINT("y = p", buf, 65, TV_ERR_POINT_INVALID);
#undef POINT

#define SCALAR(name, bytes, len, want)                                          \
	do {                                                                    \
		tv_status got_ = tv_scalar_decode(ctx, &k, bytes, len);         \
		agree(ctx, "group", name, want, got_);                          \
		json_array_append_new(scalars,                                  \
			json_pack("{s:s, s:o, s:s}", "name", name, "encoding",  \
			          jhex(bytes, len), "expect", expect_name(want))); \
	} while (0)

	memset(buf, 0, 32);
	SCALAR("zero", buf, 32, TV_OK);
	buf[31] = 1;
	SCALAR("one", buf, 32, TV_OK);
	memcpy(buf, n_bytes, 32);
	buf[31]--;
	SCALAR("n - 1", buf, 32, TV_OK);
	buf[31]++;
	SCALAR("n", buf, 32, TV_ERR_SCALAR_RANGE);
	memset(buf, 0xff, 32);
	SCALAR("2^256 - 1", buf, 32, TV_ERR_SCALAR_RANGE);
	SCALAR("31 bytes", buf, 31, TV_ERR_ENCODING);
	SCALAR("33 bytes", buf, 33, TV_ERR_ENCODING);
#undef SCALAR

	for (i = 0; i < 4; i++) {
		memset(k.bytes, 0, 32);
		if (i < 2) {
			k.bytes[31] = (uint8_t)(i + 1);
		} else if (i == 2) {
			memcpy(k.bytes, n_bytes, 32);
			k.bytes[31]--;
		} else {
			CHECK(ctx, tv_scalar_random(ctx, &k));
		}
		CHECK(ctx, tv_point_base_mul(ctx, &p, &k));
		json_array_append_new(mul, json_pack("{s:o, s:o}", "k", JS(&k), "point", JP(&p)));
	}
	json_object_set_new(root, "points", points);
	json_object_set_new(root, "scalars", scalars);
	json_object_set_new(root, "base_mul", mul);
	tv_ctx_free(ctx);
	return root;
}

/* ------------------------------------------------------------- elgamal */

static json_t *jct(const tv_ciphertext *ct)
{
	return json_pack("{s:o, s:o}", "alpha", JP(&ct->alpha), "beta", JP(&ct->beta));
}

static json_t *gen_elgamal(void)
{
	const char *seed = SEED_PREFIX "elgamal";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("elgamal", "§4", seed,
	                           "Encryptions with their nonce, and homomorphic sums.");
	json_t *enc = json_array(), *sums = json_array();
	tv_scalar x, r[3];
	tv_point K;
	tv_ciphertext ct[3], sum;
	uint32_t values[3] = { 0, 1, 5 };
	int i;

	CHECK(ctx, tv_scalar_random(ctx, &x));
	CHECK(ctx, tv_point_base_mul(ctx, &K, &x));
	json_object_set_new(root, "secret_key", JS(&x));
	json_object_set_new(root, "public_key", JP(&K));
	for (i = 0; i < 3; i++) {
		CHECK(ctx, tv_elgamal_encrypt(ctx, &ct[i], &r[i], &K, values[i]));
		json_array_append_new(enc, json_pack("{s:i, s:o, s:o}", "value", (int)values[i],
		                                     "nonce", JS(&r[i]), "ciphertext", jct(&ct[i])));
	}
	CHECK(ctx, tv_ciphertext_add(ctx, &sum, &ct[0], &ct[1]));
	json_array_append_new(sums, json_pack("{s:[i,i], s:o}", "of", 0, 1, "sum", jct(&sum)));
	CHECK(ctx, tv_ciphertext_add(ctx, &sum, &sum, &ct[2]));
	json_array_append_new(sums, json_pack("{s:[i,i,i], s:o}", "of", 0, 1, 2, "sum", jct(&sum)));
	json_object_set_new(root, "encryptions", enc);
	json_object_set_new(root, "sums", sums);
	tv_ctx_free(ctx);
	return root;
}

/* -------------------------------------------------- proofs, generically */

/*
 * A proof case: the proof's points and scalars as pointers into a copy,
 * the statement's points, and the context. tamper_cases() makes every
 * single-part change and the status each must give.
 */
typedef struct pcase {
	const char *name;
	tv_status expect;
	tv_point *proof_points[2 * TV_RANGE_MAX_VALUES];
	const char *proof_point_names[2 * TV_RANGE_MAX_VALUES];
	size_t npp;
	tv_scalar *proof_scalars[2 * TV_RANGE_MAX_VALUES];
	const char *proof_scalar_names[2 * TV_RANGE_MAX_VALUES];
	size_t nps;
	tv_point *statement[4];
	const char *statement_names[4];
	size_t nst;
	uint8_t *context;
	size_t *context_len;
} pcase;

typedef tv_status (*verify_fn)(tv_ctx *ctx, void *obj);
typedef json_t *(*emit_fn)(void *obj, const char *name, tv_status expect);
typedef void (*bind_fn)(pcase *pc, void *obj);

static void tamper_cases(tv_ctx *ctx, const char *file, json_t *cases,
                         const void *honest, size_t size, bind_fn bind,
                         verify_fn verify, emit_fn emit, tv_status invalid)
{
	void *obj = malloc(size);
	pcase pc;
	char name[160];
	size_t i;

	if (obj == NULL)
		abort();
#define RUN(want)                                                        \
	do {                                                             \
		agree(ctx, file, name, want, verify(ctx, obj));          \
		json_array_append_new(cases, emit(obj, name, want));     \
	} while (0)

	memcpy(obj, honest, size);
	bind(&pc, obj);
	for (i = 0; i < pc.npp; i++) {
		memcpy(obj, honest, size);
		other_point(ctx, pc.proof_points[i], pc.proof_points[i]);
		snprintf(name, sizeof(name), "%s replaced by another valid point", pc.proof_point_names[i]);
		RUN(invalid);
		memcpy(obj, honest, size);
		pc.proof_points[i]->bytes[64] ^= 1;
		snprintf(name, sizeof(name), "%s off the curve", pc.proof_point_names[i]);
		RUN(TV_ERR_POINT_INVALID);
	}
	for (i = 0; i < pc.nps; i++) {
		memcpy(obj, honest, size);
		plus_one(pc.proof_scalars[i]);
		snprintf(name, sizeof(name), "%s plus one", pc.proof_scalar_names[i]);
		RUN(invalid);
		memcpy(obj, honest, size);
		memcpy(pc.proof_scalars[i]->bytes, n_bytes, 32);
		snprintf(name, sizeof(name), "%s set to n", pc.proof_scalar_names[i]);
		RUN(TV_ERR_SCALAR_RANGE);
	}
	for (i = 0; i < pc.nst; i++) {
		memcpy(obj, honest, size);
		other_point(ctx, pc.statement[i], pc.statement[i]);
		snprintf(name, sizeof(name), "statement %s replaced by another valid point",
		         pc.statement_names[i]);
		RUN(invalid);
	}
	memcpy(obj, honest, size);
	pc.context[0] ^= 1;
	snprintf(name, sizeof(name), "context changed in its first byte");
	RUN(invalid);
	memcpy(obj, honest, size);
	(*pc.context_len)--;
	snprintf(name, sizeof(name), "context one byte shorter");
	RUN(invalid);
	memcpy(obj, honest, size);
	memcpy(obj, honest, size);
	free(obj);
#undef RUN
}

#define CONTEXT_MAX 128

static size_t make_context(tv_ctx *ctx, uint8_t *out, const char *label)
{
	/* a stand-in election fingerprint, then a label */
	CHECK(ctx, tv__random_bytes(ctx, out, 32));
	memcpy(out + 32, label, strlen(label));
	return 32 + strlen(label);
}

/* ---------------------------------------------------------------- pok */

typedef struct pok_obj {
	tv_point public_key;
	uint8_t context[CONTEXT_MAX];
	size_t context_len;
	tv_schnorr_proof proof;
	tv_scalar secret; /* honest cases only */
	int has_secret;
} pok_obj;

static void pok_bind(pcase *pc, void *o)
{
	pok_obj *p = o;

	memset(pc, 0, sizeof(*pc));
	pc->proof_points[0] = &p->proof.commitment;
	pc->proof_point_names[0] = "commitment";
	pc->npp = 1;
	pc->proof_scalars[0] = &p->proof.response;
	pc->proof_scalar_names[0] = "response";
	pc->nps = 1;
	pc->statement[0] = &p->public_key;
	pc->statement_names[0] = "public_key";
	pc->nst = 1;
	pc->context = p->context;
	pc->context_len = &p->context_len;
}

static tv_status pok_verify(tv_ctx *ctx, void *o)
{
	pok_obj *p = o;

	return tv_schnorr_verify(ctx, &p->proof, &p->public_key, p->context, p->context_len);
}

static json_t *pok_emit(void *o, const char *name, tv_status expect)
{
	pok_obj *p = o;
	json_t *c = json_pack("{s:s, s:s}", "name", name, "expect", expect_name(expect));

	if (p->has_secret && expect == TV_OK)
		json_object_set_new(c, "secret", JS(&p->secret));
	json_object_set_new(c, "public_key", JP(&p->public_key));
	json_object_set_new(c, "context", jhex(p->context, p->context_len));
	json_object_set_new(c, "proof", json_pack("{s:o, s:o}", "commitment",
	                                          JP(&p->proof.commitment), "response",
	                                          JS(&p->proof.response)));
	return c;
}

static json_t *gen_pok(void)
{
	const char *seed = SEED_PREFIX "schnorr_proof";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("schnorr_proof", "§5.1", seed,
	                           "Schnorr proofs of knowledge: honest, then every single-part change.");
	json_t *cases = json_array();
	pok_obj o;
	int i;

	for (i = 0; i < 2; i++) {
		memset(&o, 0, sizeof(o));
		o.context_len = make_context(ctx, o.context, i ? "trustee 2 coefficient 0" : "");
		CHECK(ctx, tv_scalar_random(ctx, &o.secret));
		o.has_secret = 1;
		CHECK(ctx, tv_schnorr_prove(ctx, &o.proof, &o.public_key, &o.secret,
		                            o.context, o.context_len));
		agree(ctx, "schnorr_proof", "honest", TV_OK, pok_verify(ctx, &o));
		json_array_append_new(cases, pok_emit(&o, "honest", TV_OK));
	}
	o.has_secret = 0;
	tamper_cases(ctx, "schnorr_proof", cases, &o, sizeof(o), pok_bind, pok_verify,
	             pok_emit, TV_ERR_PROOF_INVALID);
	json_object_set_new(root, "cases", cases);
	tv_ctx_free(ctx);
	return root;
}

/* ----------------------------------------------------------------- cp */

typedef struct cp_obj {
	tv_point st[4]; /* g1, h1, g2, h2 */
	uint8_t context[CONTEXT_MAX];
	size_t context_len;
	tv_cp_proof proof;
	tv_scalar secret;
	int has_secret;
} cp_obj;

static const char *const cp_names[4] = { "g1", "h1", "g2", "h2" };

static void cp_bind(pcase *pc, void *o)
{
	cp_obj *p = o;
	int i;

	memset(pc, 0, sizeof(*pc));
	pc->proof_points[0] = &p->proof.commitment1;
	pc->proof_point_names[0] = "commitment1";
	pc->proof_points[1] = &p->proof.commitment2;
	pc->proof_point_names[1] = "commitment2";
	pc->npp = 2;
	pc->proof_scalars[0] = &p->proof.response;
	pc->proof_scalar_names[0] = "response";
	pc->nps = 1;
	for (i = 0; i < 4; i++) {
		pc->statement[i] = &p->st[i];
		pc->statement_names[i] = cp_names[i];
	}
	pc->nst = 4;
	pc->context = p->context;
	pc->context_len = &p->context_len;
}

static tv_status cp_verify(tv_ctx *ctx, void *o)
{
	cp_obj *p = o;

	return tv_cp_verify(ctx, &p->proof, &p->st[0], &p->st[1], &p->st[2], &p->st[3],
	                    p->context, p->context_len);
}

static json_t *cp_emit(void *o, const char *name, tv_status expect)
{
	cp_obj *p = o;
	json_t *c = json_pack("{s:s, s:s}", "name", name, "expect", expect_name(expect));
	int i;

	if (p->has_secret && expect == TV_OK)
		json_object_set_new(c, "secret", JS(&p->secret));
	for (i = 0; i < 4; i++)
		json_object_set_new(c, cp_names[i], JP(&p->st[i]));
	json_object_set_new(c, "context", jhex(p->context, p->context_len));
	json_object_set_new(c, "proof", json_pack("{s:o, s:o, s:o}", "commitment1",
	                                          JP(&p->proof.commitment1), "commitment2",
	                                          JP(&p->proof.commitment2), "response",
	                                          JS(&p->proof.response)));
	return c;
}

static json_t *gen_cp(void)
{
	const char *seed = SEED_PREFIX "cp_proof";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("cp_proof", "§5.2", seed,
	                           "Chaum-Pedersen proofs (partial-decryption shape: g1 = G, g2 = an aggregate alpha).");
	json_t *cases = json_array();
	cp_obj o;
	tv_scalar y;
	tv_ciphertext ct;

	memset(&o, 0, sizeof(o));
	o.context_len = make_context(ctx, o.context, "trustee 1 partial decryption");
	CHECK(ctx, tv_scalar_random(ctx, &o.secret));
	CHECK(ctx, tv_scalar_random(ctx, &y));
	o.has_secret = 1;
	tv_point_generator(&o.st[0]);
	CHECK(ctx, tv_point_base_mul(ctx, &o.st[1], &o.secret));
	CHECK(ctx, tv_point_base_mul(ctx, &o.st[2], &y));
	/* h2 = x·g2: the beta of an encryption of 0 under g2 with nonce x */
	CHECK(ctx, tv_elgamal_encrypt_with_nonce(ctx, &ct, &o.st[2], 0, &o.secret));
	o.st[3] = ct.beta;
	CHECK(ctx, tv_cp_prove(ctx, &o.proof, &o.secret, &o.st[0], &o.st[1], &o.st[2],
	                       &o.st[3], o.context, o.context_len));
	agree(ctx, "cp_proof", "honest", TV_OK, cp_verify(ctx, &o));
	json_array_append_new(cases, cp_emit(&o, "honest", TV_OK));
	o.has_secret = 0;
	tamper_cases(ctx, "cp_proof", cases, &o, sizeof(o), cp_bind, cp_verify, cp_emit,
	             TV_ERR_PROOF_INVALID);
	json_object_set_new(root, "cases", cases);
	tv_ctx_free(ctx);
	return root;
}

/* -------------------------------------------------------------- range */

typedef struct range_obj {
	tv_point st[3]; /* K, alpha, beta */
	uint32_t min, max;
	uint8_t context[CONTEXT_MAX];
	size_t context_len;
	tv_range_proof proof;
	uint32_t value;
	tv_scalar nonce;
	int has_secret;
} range_obj;

static const char *const range_names[3] = { "public_key", "alpha", "beta" };
static char branch_names[TV_RANGE_MAX_VALUES][2][24];
static char branch_snames[TV_RANGE_MAX_VALUES][2][32];

static void range_bind(pcase *pc, void *o)
{
	range_obj *p = o;
	uint32_t j;
	int i;

	memset(pc, 0, sizeof(*pc));
	for (j = 0; j <= p->max - p->min; j++) {
		snprintf(branch_names[j][0], sizeof(branch_names[j][0]), "branch %u a", j);
		snprintf(branch_names[j][1], sizeof(branch_names[j][1]), "branch %u b", j);
		snprintf(branch_snames[j][0], sizeof(branch_snames[j][0]), "branch %u challenge", j);
		snprintf(branch_snames[j][1], sizeof(branch_snames[j][1]), "branch %u response", j);
		pc->proof_points[pc->npp] = &p->proof.branch[j].a;
		pc->proof_point_names[pc->npp++] = branch_names[j][0];
		pc->proof_points[pc->npp] = &p->proof.branch[j].b;
		pc->proof_point_names[pc->npp++] = branch_names[j][1];
		pc->proof_scalars[pc->nps] = &p->proof.branch[j].challenge;
		pc->proof_scalar_names[pc->nps++] = branch_snames[j][0];
		pc->proof_scalars[pc->nps] = &p->proof.branch[j].response;
		pc->proof_scalar_names[pc->nps++] = branch_snames[j][1];
	}
	for (i = 0; i < 3; i++) {
		pc->statement[i] = &p->st[i];
		pc->statement_names[i] = range_names[i];
	}
	pc->nst = 3;
	pc->context = p->context;
	pc->context_len = &p->context_len;
}

static tv_status range_verify(tv_ctx *ctx, void *o)
{
	range_obj *p = o;
	tv_ciphertext ct = { p->st[1], p->st[2] };

	return tv_range_verify(ctx, &p->proof, &ct, &p->st[0], p->min, p->max,
	                       p->context, p->context_len);
}

static json_t *range_emit(void *o, const char *name, tv_status expect)
{
	range_obj *p = o;
	json_t *c = json_pack("{s:s, s:s}", "name", name, "expect", expect_name(expect));
	json_t *br = json_array();
	uint32_t j, L = p->max >= p->min ? p->max - p->min + 1 : 0;

	if (p->has_secret && expect == TV_OK) {
		json_object_set_new(c, "value", json_integer(p->value));
		json_object_set_new(c, "nonce", JS(&p->nonce));
	}
	json_object_set_new(c, "public_key", JP(&p->st[0]));
	json_object_set_new(c, "ciphertext", json_pack("{s:o, s:o}", "alpha", JP(&p->st[1]),
	                                               "beta", JP(&p->st[2])));
	json_object_set_new(c, "min", json_integer(p->min));
	json_object_set_new(c, "max", json_integer(p->max));
	json_object_set_new(c, "context", jhex(p->context, p->context_len));
	if (L > TV_RANGE_MAX_VALUES)
		L = 2;
	for (j = 0; j < L; j++)
		json_array_append_new(br, json_pack("{s:o, s:o, s:o, s:o}",
		                                    "a", JP(&p->proof.branch[j].a),
		                                    "b", JP(&p->proof.branch[j].b),
		                                    "challenge", JS(&p->proof.branch[j].challenge),
		                                    "response", JS(&p->proof.branch[j].response)));
	json_object_set_new(c, "proof", json_pack("{s:o}", "branches", br));
	return c;
}

static void range_honest(tv_ctx *ctx, json_t *cases, range_obj *o, uint32_t min,
                         uint32_t max, uint32_t value, const char *label)
{
	tv_ciphertext ct;
	tv_scalar x;

	memset(o, 0, sizeof(*o));
	o->context_len = make_context(ctx, o->context, label);
	CHECK(ctx, tv_scalar_random(ctx, &x));
	CHECK(ctx, tv_point_base_mul(ctx, &o->st[0], &x));
	CHECK(ctx, tv_elgamal_encrypt(ctx, &ct, &o->nonce, &o->st[0], value));
	o->st[1] = ct.alpha;
	o->st[2] = ct.beta;
	o->min = min;
	o->max = max;
	o->value = value;
	o->has_secret = 1;
	CHECK(ctx, tv_range_prove(ctx, &o->proof, &ct, &o->st[0], min, max, value,
	                          &o->nonce, o->context, o->context_len));
	agree(ctx, "range_proof", "honest", TV_OK, range_verify(ctx, o));
	json_array_append_new(cases, range_emit(o, "honest", TV_OK));
}

static json_t *gen_range(void)
{
	const char *seed = SEED_PREFIX "range_proof";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("range_proof", "§5.3", seed,
	                           "Disjunctive range proofs; [0,1] is the 0/1 (bit) proof of every option.");
	json_t *cases = json_array();
	range_obj o;
	char name[64];

	range_honest(ctx, cases, &o, 0, 1, 1, "option 2 of credential X");
	range_honest(ctx, cases, &o, 1, 3, 2, "selection total");
	range_honest(ctx, cases, &o, 0, 1, 0, "option 1 of credential X");
	o.has_secret = 0;
	tamper_cases(ctx, "range_proof", cases, &o, sizeof(o), range_bind, range_verify,
	             range_emit, TV_ERR_PROOF_INVALID);
	/* the statement's range itself */
	o.max = 2;
	snprintf(name, sizeof(name), "range widened to [0, 2] (no branch 2)");
	agree(ctx, "range_proof", name, TV_ERR_ENCODING, range_verify(ctx, &o));
	json_array_append_new(cases, range_emit(&o, name, TV_ERR_ENCODING));
	o.max = 0;
	snprintf(name, sizeof(name), "range narrowed to [0, 0]");
	agree(ctx, "range_proof", name, TV_ERR_PROOF_INVALID, range_verify(ctx, &o));
	json_array_append_new(cases, range_emit(&o, name, TV_ERR_PROOF_INVALID));
	o.min = 1;
	o.max = 0;
	snprintf(name, sizeof(name), "min above max");
	agree(ctx, "range_proof", name, TV_ERR_RANGE_INVALID, range_verify(ctx, &o));
	json_array_append_new(cases, range_emit(&o, name, TV_ERR_RANGE_INVALID));
	o.min = 0;
	o.max = 1;
	{
		tv_range_branch b = o.proof.branch[0];

		o.proof.branch[0] = o.proof.branch[1];
		o.proof.branch[1] = b;
	}
	snprintf(name, sizeof(name), "branches swapped");
	agree(ctx, "range_proof", name, TV_ERR_PROOF_INVALID, range_verify(ctx, &o));
	json_array_append_new(cases, range_emit(&o, name, TV_ERR_PROOF_INVALID));
	json_object_set_new(root, "cases", cases);
	tv_ctx_free(ctx);
	return root;
}

/* ------------------------------------------------------------ signature */

typedef struct sig_obj {
	tv_point public_key;
	uint8_t context[CONTEXT_MAX]; /* the message */
	size_t context_len;
	tv_schnorr_signature sig;
	tv_scalar secret;
	int has_secret;
} sig_obj;

static void sig_bind(pcase *pc, void *o)
{
	sig_obj *p = o;

	memset(pc, 0, sizeof(*pc));
	pc->proof_points[0] = &p->sig.commitment;
	pc->proof_point_names[0] = "commitment R";
	pc->npp = 1;
	pc->proof_scalars[0] = &p->sig.response;
	pc->proof_scalar_names[0] = "response s";
	pc->nps = 1;
	pc->statement[0] = &p->public_key;
	pc->statement_names[0] = "public_key";
	pc->nst = 1;
	pc->context = p->context;
	pc->context_len = &p->context_len;
}

static tv_status sig_verify(tv_ctx *ctx, void *o)
{
	sig_obj *p = o;

	return tv_schnorr_signature_verify(ctx, &p->sig, &p->public_key, p->context,
	                                   p->context_len);
}

static json_t *sig_emit(void *o, const char *name, tv_status expect)
{
	sig_obj *p = o;
	json_t *c = json_pack("{s:s, s:s}", "name", name, "expect", expect_name(expect));
	char renamed[160];

	/* for signatures the "context" of tamper_cases is the message */
	if (strncmp(name, "context", 7) == 0) {
		snprintf(renamed, sizeof(renamed), "message%s", name + 7);
		json_object_set_new(c, "name", json_string(renamed));
	}
	if (p->has_secret && expect == TV_OK)
		json_object_set_new(c, "secret", JS(&p->secret));
	json_object_set_new(c, "public_key", JP(&p->public_key));
	json_object_set_new(c, "message", jhex(p->context, p->context_len));
	json_object_set_new(c, "signature", json_pack("{s:o, s:o}", "commitment",
	                                              JP(&p->sig.commitment), "response",
	                                              JS(&p->sig.response)));
	return c;
}

static json_t *gen_sig(void)
{
	const char *seed = SEED_PREFIX "schnorr_signature";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("schnorr_signature", "§6.1", seed,
	                           "Schnorr signatures on P-256 by credential keys.");
	json_t *cases = json_array();
	sig_obj o;

	memset(&o, 0, sizeof(o));
	o.context_len = make_context(ctx, o.context, " ballot digest");
	CHECK(ctx, tv_scalar_random(ctx, &o.secret));
	o.has_secret = 1;
	CHECK(ctx, tv_point_base_mul(ctx, &o.public_key, &o.secret));
	CHECK(ctx, tv_schnorr_sign(ctx, &o.sig, &o.secret, o.context, o.context_len));
	agree(ctx, "schnorr_signature", "honest", TV_OK, sig_verify(ctx, &o));
	json_array_append_new(cases, sig_emit(&o, "honest", TV_OK));
	o.has_secret = 0;
	tamper_cases(ctx, "schnorr_signature", cases, &o, sizeof(o), sig_bind, sig_verify,
	             sig_emit, TV_ERR_SIGNATURE_INVALID);
	json_object_set_new(root, "cases", cases);
	tv_ctx_free(ctx);
	return root;
}

/* -------------------------------------------------------------- ed25519 */

/*
 * The Ed25519 edge cases of SPEC §6.2 (§8.3). They use no randomness and no
 * key of the seeded part of the file. Building them needs Ed25519 point
 * arithmetic, which the library does not expose, so they were computed
 * offline with the pure-Python Ed25519 of
 * tests/vectors/independent/check_vectors.py (_e_add, _e_mul, _e_encode,
 * _e_decode) and are hard-coded here; agree() still checks that the library
 * gives each expected status. Throughout, k = SHA-512(R || A || M) mod L over
 * the bytes as written, M is the ASCII message shown, and
 *   a  = the clamped secret scalar of the RFC 8032 §7.1 test 1 seed
 *        9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,
 *   A  = [a]B = d75a9801...f707511a (prime order),
 *   T8 = the order-8 point with y = 26e8958f...6d53fc05 (sign bit 0),
 *   A' = A + T8 = 3b5b475c...a32af60d (mixed order: not refused by §6.2),
 *   r_i = SHA-512("tenantvote/v1/vectors/ed25519 edge r" || M || u32be(i)) mod L.
 * - weak keys: each key §6.2 refuses, with the forgery R = identity
 *   (0100...00), S = 0;
 * - "R is the identity": key A, R = 0100...00, S = k·a mod L, so
 *   [S]B - [k]A = O, whose encoding is R: verifies;
 * - "order-8 component, mixed-order key": key A', R = [r_i]B + [j]T8 and
 *   S = r_i + k·a mod L, for the first i (and j in 1, 3, 5, 7) with
 *   j = -k mod 8 (i = 1, j = 1): [S]B - [k]A' = [r_i]B - [k]T8 = R, so the
 *   cofactorless equation holds;
 * - "valid only under the cofactored equation": key A, R = [r_0]B + T8,
 *   S = r_0 + k·a mod L: [S]B - [k]A = [r_0]B differs from R by T8, which
 *   [8] removes;
 * - "R non-canonical": key A, R = a non-canonical encoding of the identity
 *   (y = p + 1, or y = 1 with the sign bit set), S = k·a mod L: the point
 *   equation holds, the byte comparison of R does not.
 */
static const struct {
	const char *name, *pub, *msg, *sig;
	tv_status want;
} edge_cases[] = {
	{ "weak key y = 1, the identity",
	  "0100000000000000000000000000000000000000000000000000000000000000",
	  "weak key: the trivial forgery R = identity, S = 0",
	  "0100000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  TV_ERR_SIGNATURE_INVALID },
	{ "weak key y = 1 with the sign bit set",
	  "0100000000000000000000000000000000000000000000000000000000000080",
	  "weak key: the trivial forgery R = identity, S = 0",
	  "0100000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  TV_ERR_SIGNATURE_INVALID },
	{ "weak key y = 0 (order 4)",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "weak key: the trivial forgery R = identity, S = 0",
	  "0100000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  TV_ERR_SIGNATURE_INVALID },
	{ "weak key y = p - 1 (order 2)",
	  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	  "weak key: the trivial forgery R = identity, S = 0",
	  "0100000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  TV_ERR_SIGNATURE_INVALID },
	{ "weak key y of order 8 (26e8...fc05)",
	  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
	  "weak key: the trivial forgery R = identity, S = 0",
	  "0100000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  TV_ERR_SIGNATURE_INVALID },
	{ "weak key y of order 8 (c717...037a)",
	  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
	  "weak key: the trivial forgery R = identity, S = 0",
	  "0100000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  TV_ERR_SIGNATURE_INVALID },
	{ "weak key y = p + 1 (non-canonical identity)",
	  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	  "weak key: the trivial forgery R = identity, S = 0",
	  "0100000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  TV_ERR_SIGNATURE_INVALID },
	{ "R is the identity (small order), S = k*a: verifies",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "small-order R: the identity",
	  "0100000000000000000000000000000000000000000000000000000000000000"
	  "b93f59c21801b7e94a4d2067619d23f9f3e11a371185a5e0d305b6b22b236502",
	  TV_OK },
	{ "R with an order-8 component, mixed-order key: verifies (cofactorless)",
	  "3b5b475c4b82dd1572799fc546f4c6c03e478c6654aa4c7f945b347ea32af60d",
	  "R with an order-8 component, mixed-order key",
	  "59b94b2108adf74089a0e8e7757b12a691f33c3862ea62cf090bd8de422ecf89"
	  "d7cfcc29cee548ecd05b5a32abbc2d0e9568835fa50b8acd168c5b077829c209",
	  TV_OK },
	{ "R with an order-8 component: valid only under the cofactored equation",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "cofactored only: R = [r]B + T8",
	  "01ffc74899fc466cd919d8a9c147229b07fa934ba018f8e0b0d73f480133e133"
	  "f467b5ff0b3d647ecd8b5e1839c2b2868ec125f9849508714068311fc14f490a",
	  TV_ERR_SIGNATURE_INVALID },
	{ "R non-canonical: the identity as y = p + 1",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "non-canonical R: y = p + 1",
	  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
	  "7c000fa4f8e4430bdc01bea90c9c758c42c07be8f496c4f55e999a17811c8001",
	  TV_ERR_SIGNATURE_INVALID },
	{ "R non-canonical: the identity with the sign bit set",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "non-canonical R: x = 0 with sign bit 1",
	  "0100000000000000000000000000000000000000000000000000000000000080"
	  "e516c230a5e84f21ba395e1e379679d8d8643377aef66ec78e3bb6f9fd5b530b",
	  TV_ERR_SIGNATURE_INVALID },
};

static json_t *gen_ed25519(void)
{
	const char *seed = SEED_PREFIX "ed25519";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("ed25519", "§6.2", seed,
	                           "Ed25519 (RFC 8032) as the ballot box uses it.");
	json_t *cases = json_array();
	tv_ed25519_secret_key sk;
	tv_ed25519_public_key pk, other;
	tv_ed25519_signature sig, bad;
	uint8_t msg[48];
	size_t msg_len = make_context(ctx, msg, " close head");
	static const uint8_t L[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
		0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0x10,
	};
	unsigned carry = 0;
	int i;

#define ED(name, s, p, m, mlen, want, with_secret)                                      \
	do {                                                                            \
		json_t *c_;                                                             \
		agree(ctx, "ed25519", name, want, tv_ed25519_verify(ctx, s, p, m, mlen)); \
		c_ = json_pack("{s:s, s:s}", "name", name, "expect", expect_name(want));\
		if (with_secret)                                                        \
			json_object_set_new(c_, "secret", jhex(sk.bytes, 32));          \
		json_object_set_new(c_, "public_key", jhex((p)->bytes, 32));            \
		json_object_set_new(c_, "message", jhex(m, mlen));                      \
		json_object_set_new(c_, "signature", jhex((s)->bytes, 64));             \
		json_array_append_new(cases, c_);                                       \
	} while (0)

	CHECK(ctx, tv_ed25519_keygen(ctx, &sk, &pk));
	CHECK(ctx, tv_ed25519_sign(ctx, &sig, &sk, msg, msg_len));
	ED("honest", &sig, &pk, msg, msg_len, TV_OK, 1);
	bad = sig;
	bad.bytes[0] ^= 1;
	ED("R changed", &bad, &pk, msg, msg_len, TV_ERR_SIGNATURE_INVALID, 0);
	bad = sig;
	bad.bytes[40] ^= 1;
	ED("S changed", &bad, &pk, msg, msg_len, TV_ERR_SIGNATURE_INVALID, 0);
	bad = sig;
	for (i = 0; i < 32; i++) {
		unsigned s = bad.bytes[32 + i] + L[i] + carry;

		bad.bytes[32 + i] = (uint8_t)s;
		carry = s >> 8;
	}
	if (carry == 0) /* S + L still fits in 256 bits: a non-canonical S */
		ED("S + L (non-canonical S)", &bad, &pk, msg, msg_len, TV_ERR_SIGNATURE_INVALID, 0);
	msg[3] ^= 1;
	ED("message changed", &sig, &pk, msg, msg_len, TV_ERR_SIGNATURE_INVALID, 0);
	msg[3] ^= 1;
	CHECK(ctx, tv_ed25519_keygen(ctx, &sk, &other));
	ED("another public key", &sig, &other, msg, msg_len, TV_ERR_SIGNATURE_INVALID, 0);
	/* the edge cases of SPEC §6.2: no draws, fixed bytes (edge_cases above) */
	for (i = 0; i < (int)(sizeof(edge_cases) / sizeof(edge_cases[0])); i++) {
		tv_ed25519_public_key epk;
		tv_ed25519_signature esig;
		const char *m = edge_cases[i].msg;

		CHECK(ctx, tv__hex_decode(ctx, epk.bytes, 32, edge_cases[i].pub,
		                          strlen(edge_cases[i].pub), "edge key"));
		CHECK(ctx, tv__hex_decode(ctx, esig.bytes, 64, edge_cases[i].sig,
		                          strlen(edge_cases[i].sig), "edge signature"));
		ED(edge_cases[i].name, &esig, &epk, (const uint8_t *)m, strlen(m),
		   edge_cases[i].want, 0);
	}
#undef ED
	tv_ed25519_secret_wipe(&sk);
	json_object_set_new(root, "cases", cases);
	tv_ctx_free(ctx);
	return root;
}

/* ---------------------------------------------------------------- ballot */

static json_t *jparse(const char *text)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);

	if (j == NULL)
		abort();
	return j;
}

/* the manifest of ballot.json and credential_list.json (no draws) */
static tv_manifest *vector_manifest(tv_ctx *ctx)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;

	o.election_id = "vectorshire-2027";
	o.council = "Cyngor Sir Fector / Vectorshire Council";
	o.landlord = "Vectorshire Tenants' Mutual";
	o.title.en = "Stock transfer ballot";
	o.title.cy = "Pleidlais trosglwyddo stoc";
	o.question.en = "Do you support the transfer?";
	o.question.cy = "A ydych chi o blaid y trosglwyddo?";
	o.option_count = 2;
	o.options[0].en = "Yes";
	o.options[0].cy = "Ydw";
	o.options[1].en = "No";
	o.options[1].cy = "Nac ydw";
	o.transfer_option = 1;
	o.allow_blank = 1;
	o.opens = 1803020400;
	o.closes = 1804834800;
	o.trustees = 1;
	o.threshold = 1;
	CHECK(ctx, tv_manifest_new(ctx, &m, &o));
	return m;
}

/* a ballot case: the JSON object, its verdict against the manifest and key */
static json_t *ballot_case(tv_ctx *ctx, const char *name, json_t *ballot, const tv_manifest *m,
                           const tv_point *K, tv_status want)
{
	char *text = json_dumps(ballot, JSON_COMPACT | JSON_PRESERVE_ORDER);
	tv_ballot *b = NULL;
	tv_status got;
	json_t *c;

	if (text == NULL)
		abort();
	got = tv_ballot_from_json(ctx, &b, text, strlen(text));
	if (got == TV_OK)
		got = tv_ballot_verify(ctx, b, m, K);
	agree(ctx, "ballot", name, want, got);
	c = json_pack("{s:s, s:s, s:O}", "name", name, "expect", expect_name(want), "ballot", ballot);
	tv_ballot_free(b);
	free(text);
	return c;
}

static json_t *gen_ballot(void)
{
	const char *seed = SEED_PREFIX "ballot";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("ballot", "§15.1", seed,
	                           "Ballots (§15.1.4) checked against the manifest and election key "
	                           "given here: honest ones with their choice and tracking codes, "
	                           "each single change, and an opened (challenged) ballot.");
	tv_manifest *m = vector_manifest(ctx);
	tv_scalar x, y;
	tv_point K;
	tv_credential_code code, other;
	tv_point pub;
	uint8_t f[32];
	json_t *cases = json_array(), *honest = NULL;
	char *mjson = NULL, *text = NULL, *opened = NULL;
	size_t mlen;
	uint32_t choices[2] = { 1, TV_BALLOT_BLANK };
	int i;

	CHECK(ctx, tv_manifest_to_json(ctx, &mjson, &mlen, m));
	tv_manifest_fingerprint(f, m);
	json_object_set_new(root, "manifest", jparse(mjson));
	json_object_set_new(root, "fingerprint", jhex(f, 32));
	CHECK(ctx, tv_scalar_random(ctx, &x));
	CHECK(ctx, tv_point_base_mul(ctx, &K, &x));
	json_object_set_new(root, "election_secret_key", JS(&x));
	json_object_set_new(root, "election_key", JP(&K));
	CHECK(ctx, tv_credential_generate(ctx, &code, &pub, f));
	json_object_set_new(root, "code", json_string(code.text));
	json_object_set_new(root, "credential", JP(&pub));

	for (i = 0; i < 2; i++) {
		tv_ballot *b = NULL;
		char tracking_text[TV_TRACKING_TEXT_LEN + 1];
		uint8_t t[32];
		json_t *c, *bj;

		CHECK(ctx, tv_ballot_encrypt(ctx, &b, NULL, m, &K, code.text, strlen(code.text), choices[i]));
		CHECK(ctx, tv_ballot_to_json(ctx, &text, NULL, b));
		bj = jparse(text);
		c = ballot_case(ctx, "honest", bj, m, &K, TV_OK);
		tv_ballot_tracking(t, b);
		tv_ballot_tracking_text(tracking_text, b);
		json_object_set_new(c, "choice", json_integer(choices[i]));
		json_object_set_new(c, "tracking", jhex(t, 32));
		json_object_set_new(c, "tracking_text", json_string(tracking_text));
		json_array_append_new(cases, c);
		if (honest == NULL)
			honest = json_incref(bj);
		json_decref(bj);
		tv_free(ctx, text);
		tv_ballot_free(b);
	}
	/* each single change to the first honest ballot */
	{
		json_t *t1 = json_deep_copy(honest), *sel = json_object_get(t1, "selections");
		json_t *first = json_incref(json_array_get(sel, 0));

		json_array_set(sel, 0, json_array_get(sel, 1));
		json_array_set_new(sel, 1, first);
		json_array_append_new(cases, ballot_case(ctx, "options swapped with their proofs", t1,
		                                         m, &K, TV_ERR_SIGNATURE_INVALID));
		json_decref(t1);
	}
	{
		json_t *t2 = json_deep_copy(honest);
		uint8_t g[32];

		memcpy(g, f, 32);
		g[0] ^= 1;
		json_object_set_new(t2, "election", jhex(g, 32));
		json_array_append_new(cases, ballot_case(ctx, "election fingerprint changed in its first byte",
		                                         t2, m, &K, TV_ERR_WRONG_ELECTION));
		json_decref(t2);
	}
	{
		json_t *t3 = json_deep_copy(honest);

		json_object_set_new(json_object_get(t3, "total"), "min", json_integer(1));
		json_array_remove(json_object_get(json_object_get(t3, "total"), "proof"), 0);
		json_array_append_new(cases, ballot_case(ctx, "total range 1..1 where blanks are allowed",
		                                         t3, m, &K, TV_ERR_ENCODING));
		json_decref(t3);
	}
	{
		json_t *t4 = json_deep_copy(honest), *sig = json_object_get(t4, "signature");
		tv_scalar sc;

		CHECK(ctx, tv_scalar_from_hex(ctx, &sc, json_string_value(json_object_get(sig, "response")),
		                              64));
		plus_one(&sc);
		json_object_set_new(sig, "response", JS(&sc));
		json_array_append_new(cases, ballot_case(ctx, "signature response plus one", t4, m, &K,
		                                         TV_ERR_SIGNATURE_INVALID));
		json_decref(t4);
	}
	{
		/* copied under another credential and re-signed with it */
		tv_ballot *b = NULL;
		char *ht = json_dumps(honest, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_t *t5;

		CHECK(ctx, tv_ballot_from_json(ctx, &b, ht, strlen(ht)));
		free(ht);
		CHECK(ctx, tv_credential_generate(ctx, &other, &pub, f));
		CHECK(ctx, tv_credential_derive(ctx, &y, NULL, other.text, strlen(other.text), f));
		CHECK(ctx, tv__ballot_resign(ctx, b, &y));
		CHECK(ctx, tv_ballot_to_json(ctx, &text, NULL, b));
		t5 = jparse(text);
		json_array_append_new(cases, ballot_case(ctx, "copied under another credential and re-signed",
		                                         t5, m, &K, TV_ERR_PROOF_INVALID));
		json_decref(t5);
		tv_free(ctx, text);
		tv_ballot_free(b);
	}
	json_object_set_new(root, "cases", cases);
	/* an opened (challenged) ballot for choice 2 */
	{
		tv_ballot *b = NULL;
		tv_ballot_secrets *sec = NULL;
		uint32_t seen = 0;

		CHECK(ctx, tv_ballot_prepare(ctx, &b, &sec, m, &K, code.text, strlen(code.text), 2));
		CHECK(ctx, tv_ballot_challenge(ctx, &opened, b, sec));
		CHECK(ctx, tv_ballot_check_challenge(ctx, &seen, opened, strlen(opened), m, &K));
		if (seen != 2)
			abort();
		json_object_set_new(root, "challenged", jparse(opened));
		tv_free(ctx, opened);
		tv_ballot_free(b);
	}
	json_decref(honest);
	tv_free(ctx, mjson);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
	return root;
}

/* ------------------------------------------------------- credential list */

/* the letters: code and check code, in register order */
static int cl_letter(const tv_tenant *t, const char *code, const char *check, void *payload)
{
	if (t != NULL)
		json_array_append_new(payload, json_pack("{s:s, s:s}", "code", code, "check_code", check));
	return 0;
}

typedef struct text_buf {
	char *text;
	size_t len;
} text_buf;

static int to_buf(const char *text, size_t len, void *payload)
{
	text_buf *b = payload;
	char *grown = realloc(b->text, b->len + len + 1);

	if (grown == NULL)
		return -1;
	memcpy(grown + b->len, text, len);
	b->len += len;
	grown[b->len] = '\0';
	b->text = grown;
	return 0;
}

/* S = H("credential-authority"; F, A, L) */
static void signed_digest(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32], const uint8_t a[32],
                          const uint8_t l[32])
{
	tv__hash h;

	CHECK(ctx, tv__hash_begin(&h, ctx, "credential-authority"));
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, a, 32);
	tv__hash_field(&h, l, 32);
	CHECK(ctx, tv__hash_final(&h, out));
}

/*
 * A credentials.json list (§18.6) checked as §19.3 check 4 does, given F:
 * read, as many as the electorate, points in ascending order, and the
 * authority's signature; the list digest L on success
 */
static tv_status list_check(tv_ctx *ctx, const uint8_t f[32], json_t *list, uint8_t l[32])
{
	char *text = json_dumps(list, JSON_COMPACT | JSON_PRESERVE_ORDER);
	tv__credential_list cl;
	tv_status st;

	if (text == NULL)
		abort();
	if ((st = tv__credentials_from_json(ctx, &cl, text, strlen(text))) != TV_OK)
		st = st == TV_ERR_NOMEM ? st : TV_ERR_ENCODING;
	else if ((int64_t)cl.count != cl.electorate)
		st = TV_ERR_PROOF_INVALID;
	else if ((st = tv__credential_list_order(ctx, (const uint8_t (*)[TV_POINT_BYTES])cl.points,
	                                         cl.valid, cl.count)) == TV_OK)
		st = tv__credential_list_verify(ctx, l, f, cl.authority, cl.signature,
		                                (const uint8_t (*)[TV_POINT_BYTES])cl.points, cl.count);
	tv__credential_list_free(ctx, &cl);
	free(text);
	return st;
}

static json_t *list_case(tv_ctx *ctx, const uint8_t f[32], const char *name, json_t *list,
                         tv_status want)
{
	uint8_t l[32];

	agree(ctx, "credential_list", name, want, list_check(ctx, f, list, l));
	return json_pack("{s:s, s:s, s:O}", "name", name, "expect", expect_name(want), "list", list);
}

static int cmp_hex(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* the list with credential @p i (from 0) swapped with the next, or replaced
 * by @p item, then (if @p sort) sorted again */
static json_t *list_with(json_t *list, size_t i, json_t *item, int swap_next, int sort)
{
	json_t *out = json_deep_copy(list), *creds = json_object_get(out, "credentials");
	size_t n = json_array_size(creds);

	if (swap_next) {
		json_t *a = json_incref(json_array_get(creds, i));

		json_array_set(creds, i, json_array_get(creds, i + 1));
		json_array_set_new(creds, i + 1, a);
	} else if (item != NULL) {
		json_array_set(creds, i, item);
	}
	if (sort) {
		json_t **v = malloc(n * sizeof(*v));

		if (v == NULL)
			abort();
		for (size_t k = 0; k < n; k++)
			v[k] = json_incref(json_array_get(creds, k));
		qsort(v, n, sizeof(*v), cmp_hex);
		json_array_clear(creds);
		for (size_t k = 0; k < n; k++)
			json_array_append_new(creds, v[k]);
		free(v);
	}
	return out;
}

static json_t *gen_credential_list(void)
{
	const char *seed = SEED_PREFIX "credential_list";
	tv_ctx *ctx = seeded_ctx(seed);
	json_t *root = file_header("credential_list", "§11.5", seed,
	                           "The credential authority's signed list (§11.5), the ceremony "
	                           "context (§11.6) and the check codes (§11.8): for registers of 1, "
	                           "2 and 5 tenants, the letters, the issue file for the box and the "
	                           "sorted list of credentials.json with L, S and C; then single "
	                           "changes to the last list.");
	static const size_t sizes[] = { 1, 2, 5 };
	tv_manifest *m = vector_manifest(ctx);
	tv_authority *a = NULL;
	tv_ed25519_public_key pub;
	uint8_t f[32], state[TV_AUTHORITY_STATE_BYTES];
	json_t *cases = json_array(), *last = NULL;
	char *mjson = NULL;
	size_t mlen;

	CHECK(ctx, tv_manifest_to_json(ctx, &mjson, &mlen, m));
	tv_manifest_fingerprint(f, m);
	json_object_set_new(root, "manifest", jparse(mjson));
	json_object_set_new(root, "election", jhex(f, 32));
	CHECK(ctx, tv_authority_new(ctx, &a, m));
	CHECK(ctx, tv_authority_serialize(ctx, state, a));
	tv_authority_public_key(&pub, a);
	json_object_set_new(root, "authority_secret", jhex(state + 40, 32));
	json_object_set_new(root, "authority", jhex(pub.bytes, 32));

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t count = sizes[k];
		text_buf csv = { NULL, 0 }, listed = { NULL, 0 };
		tv_register *reg = NULL;
		json_t *letters = json_array(), *issue, *list, *c, *ic;
		char *issue_text = NULL, *again, name[64];
		uint8_t (*points)[TV_POINT_BYTES];
		uint8_t l[32], l2[32], s[32], cc[32], sig[64];

		to_buf("tenancy_ref,name,address,tenancy_type\n", 38, &csv);
		for (size_t i = 1; i <= count; i++) {
			char row[128];
			int n = snprintf(row, sizeof(row), "VT-%03zu,Tenant %zu,%zu Vector Street,secure\n",
			                 i, i, i);

			to_buf(row, (size_t)n, &csv);
		}
		CHECK(ctx, tv_register_parse(ctx, &reg, (const uint8_t *)csv.text, csv.len, NULL, NULL,
		                             NULL));
		CHECK(ctx, tv_authority_issue(ctx, &issue_text, a, reg, cl_letter, letters));
		issue = jparse(issue_text);
		/* compact, keys in the order of §11.5, LF-ended */
		again = json_dumps(issue, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (again == NULL || strlen(issue_text) != strlen(again) + 1 ||
		    strncmp(issue_text, again, strlen(again)) != 0 ||
		    issue_text[strlen(again)] != '\n')
			abort();
		free(again);
		ic = json_object_get(issue, "credentials");
		points = malloc(count * TV_POINT_BYTES);
		if (points == NULL || json_array_size(ic) != count)
			abort();
		for (size_t i = 0; i < count; i++) {
			json_t *letter = json_array_get(letters, i);

			CHECK(ctx, tv__hex_decode(ctx, points[i], TV_POINT_BYTES,
			                          json_string_value(json_array_get(ic, i)),
			                          2 * TV_POINT_BYTES, "credential"));
			json_object_set(letter, "credential", json_array_get(ic, i));
		}
		CHECK(ctx, tv__hex_decode(ctx, sig, 64, json_string_value(json_object_get(issue,
		                          "signature")), 128, "signature"));
		/* credentials.json as the record writes it (sorts the points) */
		CHECK(ctx, tv__credentials_write(ctx, to_buf, &listed, points, count, pub.bytes, sig));
		list = jparse(listed.text);
		CHECK(ctx, tv__credential_list_digest(ctx, l, f, (const uint8_t (*)[TV_POINT_BYTES])points,
		                                      count));
		signed_digest(ctx, s, f, pub.bytes, l);
		CHECK(ctx, tv__ceremony_context(ctx, cc, f, pub.bytes, l));
		snprintf(name, sizeof(name), "%zu %s", count, count == 1 ? "tenant" : "tenants");
		c = list_case(ctx, f, name, list, TV_OK);
		if (list_check(ctx, f, list, l2) != TV_OK || memcmp(l, l2, 32) != 0)
			abort();
		json_object_set_new(c, "letters", letters);
		json_object_set_new(c, "issue", issue);
		json_object_set_new(c, "list_digest", jhex(l, 32));
		json_object_set_new(c, "signed_digest", jhex(s, 32));
		json_object_set_new(c, "ceremony_context", jhex(cc, 32));
		json_array_append_new(cases, c);
		json_decref(last);
		last = list;
		free(points);
		free(csv.text);
		free(listed.text);
		tv_free(ctx, issue_text);
		tv_register_free(reg);
	}
	/* single changes to the last list (5 credentials) */
	{
		json_t *t, *sigj = json_object_get(last, "signature");
		uint8_t sig[64];
		tv_credential_code code;
		tv_point other;

		CHECK(ctx, tv__hex_decode(ctx, sig, 64, json_string_value(sigj), 128, "signature"));
		for (int b = 0; b < 2; b++) {
			t = json_deep_copy(last);
			sig[b ? 40 : 0] ^= 1;
			json_object_set_new(t, "signature", jhex(sig, 64));
			sig[b ? 40 : 0] ^= 1;
			json_array_append_new(cases, list_case(ctx, f, b ? "signature byte 40 changed (in S)"
			                                                 : "signature byte 0 changed (in R)",
			                                       t, TV_ERR_SIGNATURE_INVALID));
			json_decref(t);
		}
		CHECK(ctx, tv_credential_generate(ctx, &code, &other, f));
		tv_credential_code_wipe(&code);
		sigj = JP(&other);
		t = list_with(last, 2, sigj, 0, 1);
		json_decref(sigj);
		json_array_append_new(cases, list_case(ctx, f, "credential 3 swapped for another after "
		                                       "signing (sorted again)", t,
		                                       TV_ERR_SIGNATURE_INVALID));
		json_decref(t);
		t = list_with(last, 1, NULL, 1, 0);
		json_array_append_new(cases, list_case(ctx, f, "credentials 2 and 3 swapped (the list "
		                                       "unsorted)", t, TV_ERR_PROOF_INVALID));
		json_decref(t);
		t = list_with(last, 1, json_array_get(json_object_get(last, "credentials"), 0), 0, 0);
		json_array_append_new(cases, list_case(ctx, f, "credential 2 replaced by credential 1 "
		                                       "(listed twice)", t, TV_ERR_PROOF_INVALID));
		json_decref(t);
	}
	json_object_set_new(root, "cases", cases);
	json_decref(last);
	tv_authority_free(a);
	tv__memzero(state, sizeof(state));
	tv_free(ctx, mjson);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
	return root;
}

/* ----------------------------------------------------------------- main */

static const struct {
	const char *file;
	json_t *(*gen)(void);
} outputs[] = {
	{ "hash.json", gen_hash },
	{ "group.json", gen_group },
	{ "elgamal.json", gen_elgamal },
	{ "schnorr_proof.json", gen_pok },
	{ "cp_proof.json", gen_cp },
	{ "range_proof.json", gen_range },
	{ "schnorr_signature.json", gen_sig },
	{ "ed25519.json", gen_ed25519 },
	{ "ballot.json", gen_ballot },
	{ "credential_list.json", gen_credential_list },
};

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size + 1)) != NULL) {
		*len = fread(buf, 1, (size_t)size, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	int check = 0, failures = 0;
	const char *dir;
	size_t i;

	if (argc == 3 && strcmp(argv[1], "--check") == 0) {
		check = 1;
		dir = argv[2];
	} else if (argc == 2 && argv[1][0] != '-') {
		dir = argv[1];
	} else {
		fprintf(stderr, "usage: gen-vectors DIR | --check DIR\n");
		return 2;
	}
	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		char path[4096];
		json_t *root = outputs[i].gen();
		char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		size_t text_len;

		json_decref(root);
		if (text == NULL)
			abort();
		text_len = strlen(text);
		snprintf(path, sizeof(path), "%s/%s", dir, outputs[i].file);
		if (check) {
			size_t len = 0;
			char *old = read_file(path, &len);

			/* files end with one newline after the JSON */
			if (old == NULL || len != text_len + 1 || memcmp(old, text, text_len) != 0 ||
			    old[text_len] != '\n') {
				fprintf(stderr, "%s: differs from what the code generates now\n", path);
				failures++;
			} else {
				printf("%s: reproduced\n", path);
			}
			free(old);
		} else {
			FILE *f = fopen(path, "wb");

			if (f == NULL || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0) {
				fprintf(stderr, "%s: %s\n", path, strerror(errno));
				return 1;
			}
			printf("wrote %s\n", path);
		}
		free(text);
	}
	return failures ? 1 : 0;
}
