/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §12: the trustees' threshold key ceremony. Feldman VSS, every
 * trustee a dealer (Pedersen's joint generation), hardened:
 *
 *  - commit before reveal: the COMMIT message holds only a hash of the
 *    coefficient commitments, so no trustee sees another's contribution
 *    before its own is fixed, and none can choose or bias the key;
 *  - a Schnorr proof of knowledge for every coefficient commitment, bound
 *    to the election, the trustee and the slot, so no trustee can cancel
 *    another's contribution (rogue key) or replay a proof;
 *  - shares travel encrypted (ECDH to the recipient's transport key) inside
 *    REVEAL messages signed with the sender's signing key, so a bad share
 *    is attributable: the recipient publishes the ECDH value with a
 *    Chaum–Pedersen proof and anyone can decrypt the share and see it fail
 *    the sender's commitments;
 *  - every reveal names the set of commits it was made for, every result
 *    proves knowledge of its share under a context that names the whole
 *    transcript, and every trustee checks its own commit is in the set it
 *    reveals to: a transcript that all n results accept is the one every
 *    trustee saw, with no out-of-band channel needed.
 *
 * Everything from the messages is untrusted: one JSON object each, checked
 * field by field; every rejection is TV_ERR_CEREMONY_INVALID naming the
 * trustee (or the message's position) and the field.
 */
#include <string.h>

#include <jansson.h>

#include "internal.h"

#define MAXT TV_CEREMONY_MAX_TRUSTEES

/* a manifest's trustees (SPEC §9) must fit a ceremony */
_Static_assert(TV_CEREMONY_MAX_TRUSTEES == TV_MAX_TRUSTEES,
               "the ceremony and the manifest disagree on the most trustees");
#define FPB TV_CEREMONY_FINGERPRINT_BYTES

/* ---- the parsed forms of the messages (SPEC §12.4) ---- */

/* what every message of one ceremony shares */
typedef struct params {
	uint8_t fingerprint[FPB];
	uint32_t n, k;
} params;

typedef struct commit_msg {
	uint32_t index;
	tv_point transport_key;
	tv_schnorr_proof transport_proof;
	tv_point signing_key;
	uint8_t commitment_hash[TV_HASH_BYTES];
	tv_schnorr_signature signature;
	uint8_t digest[TV_HASH_BYTES]; /* Dc_i, what the signature signs */
} commit_msg;

typedef struct share_msg {
	tv_point ephemeral;                   /* E = e·G */
	uint8_t ciphertext[TV_SCALAR_BYTES];  /* s XOR pad */
} share_msg;

typedef struct reveal_msg {
	uint32_t index;
	uint8_t commits[TV_HASH_BYTES]; /* Dcs of the commits it was made for */
	tv_point coefficient[MAXT];     /* C_ij */
	tv_schnorr_proof proof[MAXT];   /* PoK of a_ij */
	share_msg share[MAXT];          /* [l − 1] for each recipient l ≠ i */
	tv_schnorr_signature signature;
	uint8_t commitment_hash[TV_HASH_BYTES]; /* recomputed from the above */
	uint8_t digest[TV_HASH_BYTES];          /* Dr_i */
} reveal_msg;

typedef struct result_msg {
	uint32_t index;
	uint8_t transcript[TV_HASH_BYTES];
	tv_point election_key;
	tv_point verification_key;
	tv_schnorr_proof share_proof;
} result_msg;

typedef struct accusation {
	uint32_t accused;
	tv_point shared_secret; /* S = t_l·E */
	tv_cp_proof proof;
} accusation;

typedef struct complaint_msg {
	uint32_t accuser;
	size_t count;
	accusation item[MAXT - 1];
} complaint_msg;

/* a whole ceremony's messages, in trustee order ([i − 1]) */
typedef struct transcript {
	params p;
	commit_msg commit[MAXT];
	reveal_msg reveal[MAXT];
	result_msg result[MAXT];
	uint8_t commits_digest[TV_HASH_BYTES]; /* Dcs */
	uint8_t hash[TV_HASH_BYTES];           /* the transcript hash */
} transcript;

struct tv_trustee {
	tv_ctx *ctx;
	params p;
	uint32_t index;
	tv_trustee_stage stage;
	tv_scalar signing_secret;
	tv_scalar transport_secret;
	tv_schnorr_proof transport_proof;
	tv_scalar coefficient[MAXT];
	tv_schnorr_proof coefficient_proof[MAXT];
	uint8_t commits_digest[TV_HASH_BYTES]; /* from TV_TRUSTEE_REVEALED */
	uint8_t transcript[TV_HASH_BYTES];     /* from TV_TRUSTEE_COMBINED */
	tv_scalar share;                       /* x_l, from COMBINED */
	tv_point election_key;                 /* K, from COMBINED */
	/* public values, derived from the secrets above */
	tv_point signing_key;
	tv_point transport_key;
	tv_point commitment[MAXT];
	uint8_t commitment_hash[TV_HASH_BYTES];
};

/* ---- proof contexts (SPEC §12.2): F || label || fields ---- */

typedef struct proof_context {
	uint8_t bytes[FPB + 32 + 8 + TV_HASH_BYTES];
	size_t len;
} proof_context;

static void put_u32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

static uint32_t get_u32(const uint8_t in[4])
{
	return (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 |
	       (uint32_t)in[3];
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
	put_u32(c->bytes + c->len, v);
	c->len += 4;
}

/* SPEC §12.2: PoK of a_ij */
static void context_coefficient(proof_context *c, const params *p, uint32_t i,
                                uint32_t j)
{
	context_begin(c, p, "ceremony-coefficient");
	context_u32(c, i);
	context_u32(c, j);
}

/* PoK of the transport secret t_i */
static void context_transport(proof_context *c, const params *p, uint32_t i)
{
	context_begin(c, p, "ceremony-transport");
	context_u32(c, i);
}

/* PoK of the share x_l, bound to the transcript it was combined from */
static void context_share(proof_context *c, const params *p, uint32_t l,
                          const uint8_t transcript_hash[TV_HASH_BYTES])
{
	context_begin(c, p, "ceremony-share");
	context_u32(c, l);
	memcpy(c->bytes + c->len, transcript_hash, TV_HASH_BYTES);
	c->len += TV_HASH_BYTES;
}

/* the accuser l's proof about the share from trustee i */
static void context_complaint(proof_context *c, const params *p, uint32_t l,
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
static tv_status commitment_hash(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
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
static tv_status commit_digest(tv_ctx *ctx, commit_msg *c, const params *p)
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
static tv_status commits_digest(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
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
static tv_status share_pad(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
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
static tv_status reveal_digest(tv_ctx *ctx, reveal_msg *r, const params *p)
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
static tv_status transcript_hash(tv_ctx *ctx, transcript *t)
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

/* ---- reading untrusted messages ---- */

/* who a message is, for error messages: its trustee once known */
typedef struct reader {
	tv_ctx *ctx;
	char who[96];
} reader;

static void reader_init(reader *r, tv_ctx *ctx, const char *kind,
                        size_t position, size_t count)
{
	r->ctx = ctx;
	if (count == 0)
		snprintf(r->who, sizeof(r->who), "%s message", kind);
	else
		snprintf(r->who, sizeof(r->who), "%s message %zu of %zu", kind,
		         position, count);
}

static void reader_trustee(reader *r, const char *kind, uint32_t index)
{
	snprintf(r->who, sizeof(r->who), "trustee %u's %s message", index, kind);
}

/* copy untrusted text for an error message: printable ASCII only */
static void printable(char *out, size_t out_size, const char *in)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < out_size; i++)
		out[i] = (in[i] >= 0x20 && in[i] < 0x7f) ? in[i] : '?';
	out[i] = '\0';
}

static tv_status rfail(reader *r, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tv_status rfail(reader *r, const char *field, const char *fmt, ...)
{
	char detail[TV_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (field != NULL)
		return tv__fail(r->ctx, TV_ERR_CEREMONY_INVALID, "%s: field \"%s\": %s",
		                r->who, field, detail);
	return tv__fail(r->ctx, TV_ERR_CEREMONY_INVALID, "%s: %s", r->who, detail);
}

/*
 * A rejection from a lower layer (a point that does not decode, a proof
 * that does not verify) becomes TV_ERR_CEREMONY_INVALID naming the
 * message and field, keeping the lower layer's words; "could not check"
 * statuses pass through unchanged.
 */
static tv_status rlower(reader *r, const char *field, tv_status status)
{
	char detail[TV_ERROR_MAX];

	if (!tv_status_is_rejection(status))
		return status;
	snprintf(detail, sizeof(detail), "%s", tv_ctx_last_error(r->ctx));
	return rfail(r, field, "%s", detail);
}

static tv_status load_json(reader *r, json_t **out, const char *text)
{
	json_error_t err;
	char why[160];
	size_t len = 0;

	*out = NULL;
	if (text == NULL)
		return tv__fail(r->ctx, TV_ERR_INVALID_ARGUMENT, "%s is NULL", r->who);
	while (len <= TV_CEREMONY_MESSAGE_MAX && text[len] != '\0')
		len++;
	if (len > TV_CEREMONY_MESSAGE_MAX)
		return rfail(r, NULL, "longer than %d bytes", TV_CEREMONY_MESSAGE_MAX);
	*out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (*out == NULL) {
		if (json_error_code(&err) == json_error_out_of_memory)
			return tv__fail(r->ctx, TV_ERR_NOMEM, "%s: out of memory parsing JSON",
			                r->who);
		printable(why, sizeof(why), err.text);
		return rfail(r, NULL, "not valid JSON: %s (line %d, column %d)", why,
		             err.line, err.column);
	}
	if (!json_is_object(*out))
		return rfail(r, NULL, "not a JSON object");
	return TV_OK;
}

/* every key of @p obj is one of @p keys */
static tv_status check_keys(reader *r, json_t *obj, const char *path,
                            const char *const *keys, size_t count)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		size_t i;

		for (i = 0; i < count; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (i == count) {
			char name[40];

			printable(name, sizeof(name), key);
			return rfail(r, path, "unknown field \"%s\"", name);
		}
	}
	return TV_OK;
}

static tv_status get_member(reader *r, json_t **out, json_t *obj,
                            const char *key, const char *path)
{
	*out = json_object_get(obj, key);
	if (*out == NULL)
		return rfail(r, path, "is missing");
	return TV_OK;
}

static tv_status get_object(reader *r, json_t **out, json_t *obj,
                            const char *key, const char *path,
                            const char *const *keys, size_t count)
{
	tv_status status = get_member(r, out, obj, key, path);

	if (status != TV_OK)
		return status;
	if (!json_is_object(*out))
		return rfail(r, path, "must be an object");
	return check_keys(r, *out, path, keys, count);
}

static tv_status get_string(reader *r, const char **s, size_t *len,
                            json_t *obj, const char *key, const char *path)
{
	json_t *v;
	tv_status status = get_member(r, &v, obj, key, path);

	if (status != TV_OK)
		return status;
	if (!json_is_string(v))
		return rfail(r, path, "must be a string");
	*s = json_string_value(v);
	*len = json_string_length(v);
	return TV_OK;
}

static tv_status get_point(reader *r, tv_point *out, json_t *obj,
                           const char *key, const char *path)
{
	const char *s;
	size_t len;
	tv_status status = get_string(r, &s, &len, obj, key, path);

	if (status != TV_OK)
		return status;
	return rlower(r, path, tv_point_from_hex(r->ctx, out, s, len));
}

static tv_status get_scalar(reader *r, tv_scalar *out, json_t *obj,
                            const char *key, const char *path)
{
	const char *s;
	size_t len;
	tv_status status = get_string(r, &s, &len, obj, key, path);

	if (status != TV_OK)
		return status;
	return rlower(r, path, tv_scalar_from_hex(r->ctx, out, s, len));
}

/* exactly 32 bytes in 64 lowercase hex characters */
static tv_status get_bytes32(reader *r, uint8_t out[32], json_t *obj,
                             const char *key, const char *path)
{
	const char *s;
	size_t len;
	tv_status status = get_string(r, &s, &len, obj, key, path);

	if (status != TV_OK)
		return status;
	return rlower(r, path, tv__hex_decode(r->ctx, out, 32, s, len, "hex"));
}

/* an integer in [1, max] */
static tv_status get_index(reader *r, uint32_t *out, json_t *obj,
                           const char *key, const char *path, uint32_t max)
{
	json_t *v;
	json_int_t value;
	tv_status status = get_member(r, &v, obj, key, path);

	if (status != TV_OK)
		return status;
	if (!json_is_integer(v))
		return rfail(r, path, "must be an integer");
	value = json_integer_value(v);
	if (value < 1 || value > (json_int_t)max)
		return rfail(r, path, "is %lld, not from 1 to %u", (long long)value, max);
	*out = (uint32_t)value;
	return TV_OK;
}

static tv_status get_array(reader *r, json_t **out, json_t *obj,
                           const char *key, const char *path, size_t min,
                           size_t max)
{
	tv_status status = get_member(r, out, obj, key, path);
	size_t size;

	if (status != TV_OK)
		return status;
	if (!json_is_array(*out))
		return rfail(r, path, "must be an array");
	size = json_array_size(*out);
	if (size < min || size > max) {
		if (min == max)
			return rfail(r, path, "has %zu entries, not %zu", size, min);
		return rfail(r, path, "has %zu entries, not from %zu to %zu", size, min, max);
	}
	return TV_OK;
}

/* {"commitment": point, "response": scalar}: a Schnorr proof or signature */
static tv_status get_pair(reader *r, tv_point *commitment, tv_scalar *response,
                          json_t *obj, const char *key, const char *path)
{
	static const char *const keys[] = { "commitment", "response" };
	char sub[96];
	json_t *o;
	tv_status status = get_object(r, &o, obj, key, path, keys, 2);

	if (status != TV_OK)
		return status;
	snprintf(sub, sizeof(sub), "%s.commitment", path);
	if ((status = get_point(r, commitment, o, "commitment", sub)) != TV_OK)
		return status;
	snprintf(sub, sizeof(sub), "%s.response", path);
	return get_scalar(r, response, o, "response", sub);
}

typedef enum kind { KIND_COMMIT, KIND_REVEAL, KIND_RESULT, KIND_COMPLAINT } kind;

static const char *const kind_name[] = { "commit", "reveal", "result", "complaint" };
static const char *const kind_format[] = {
	TV_CEREMONY_COMMIT_FORMAT, TV_CEREMONY_REVEAL_FORMAT,
	TV_CEREMONY_RESULT_FORMAT, TV_CEREMONY_COMPLAINT_FORMAT,
};

static const char *const commit_keys[] = {
	"format", "election", "trustee", "trustees", "threshold", "transport_key",
	"transport_proof", "signing_key", "commitment_hash", "signature",
};
static const char *const reveal_keys[] = {
	"format", "election", "trustee", "trustees", "threshold", "commits",
	"coefficients", "shares", "signature",
};
static const char *const result_keys[] = {
	"format", "election", "trustee", "trustees", "threshold", "transcript",
	"election_key", "verification_key", "share_proof",
};
static const char *const complaint_keys[] = {
	"format", "election", "trustee", "trustees", "threshold", "accusations",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * SPEC §12.4: the fields every message starts with, checked in this order:
 * format, unknown keys, election, trustees, threshold, trustee.
 */
static tv_status parse_header(reader *r, json_t *root, kind kd, const params *p,
                              uint32_t *index)
{
	static const struct {
		const char *const *keys;
		size_t count;
	} allowed[] = {
		{ commit_keys, COUNT(commit_keys) },
		{ reveal_keys, COUNT(reveal_keys) },
		{ result_keys, COUNT(result_keys) },
		{ complaint_keys, COUNT(complaint_keys) },
	};
	uint8_t fingerprint[FPB];
	const char *s;
	size_t len;
	json_t *v;
	tv_status status;

	/* name the message after its trustee as soon as that can be read */
	v = json_object_get(root, "trustee");
	if (json_is_integer(v) && json_integer_value(v) >= 1 &&
	    json_integer_value(v) <= (json_int_t)p->n)
		reader_trustee(r, kind_name[kd], (uint32_t)json_integer_value(v));

	if ((status = get_string(r, &s, &len, root, "format", "format")) != TV_OK)
		return status;
	if (len != strlen(kind_format[kd]) || memcmp(s, kind_format[kd], len) != 0)
		return rfail(r, "format", "is not \"%s\"", kind_format[kd]);
	if ((status = check_keys(r, root, NULL, allowed[kd].keys, allowed[kd].count)) != TV_OK ||
	    (status = get_bytes32(r, fingerprint, root, "election", "election")) != TV_OK)
		return status;
	if (memcmp(fingerprint, p->fingerprint, FPB) != 0)
		return rfail(r, "election", "is another election's fingerprint");
	if ((status = get_member(r, &v, root, "trustees", "trustees")) != TV_OK)
		return status;
	if (!json_is_integer(v) || json_integer_value(v) != (json_int_t)p->n)
		return rfail(r, "trustees", "must be %u, the number of trustees", p->n);
	if ((status = get_member(r, &v, root, "threshold", "threshold")) != TV_OK)
		return status;
	if (!json_is_integer(v) || json_integer_value(v) != (json_int_t)p->k)
		return rfail(r, "threshold", "must be %u, the threshold", p->k);
	return get_index(r, index, root, "trustee", "trustee", p->n);
}

/* SPEC §12.4.1 */
static tv_status parse_commit(reader *r, commit_msg *c, const params *p,
                              const char *text)
{
	json_t *root = NULL;
	tv_status status;

	memset(c, 0, sizeof(*c));
	if ((status = load_json(r, &root, text)) != TV_OK ||
	    (status = parse_header(r, root, KIND_COMMIT, p, &c->index)) != TV_OK ||
	    (status = get_point(r, &c->transport_key, root, "transport_key",
	                        "transport_key")) != TV_OK ||
	    (status = get_pair(r, &c->transport_proof.commitment,
	                       &c->transport_proof.response, root, "transport_proof",
	                       "transport_proof")) != TV_OK ||
	    (status = get_point(r, &c->signing_key, root, "signing_key", "signing_key")) != TV_OK ||
	    (status = get_bytes32(r, c->commitment_hash, root, "commitment_hash",
	                          "commitment_hash")) != TV_OK ||
	    (status = get_pair(r, &c->signature.commitment, &c->signature.response,
	                       root, "signature", "signature")) != TV_OK)
		goto out;
	status = commit_digest(r->ctx, c, p);
out:
	json_decref(root);
	return status;
}

/* SPEC §12.4.2 */
static tv_status parse_reveal(reader *r, reveal_msg *rv, const params *p,
                              const char *text)
{
	static const char *const coefficient_keys[] = { "commitment", "proof" };
	static const char *const share_keys[] = { "recipient", "ephemeral", "ciphertext" };
	json_t *root = NULL, *array, *item;
	char path[64], sub[96];
	uint32_t j, l, expected;
	size_t m;
	tv_status status;

	memset(rv, 0, sizeof(*rv));
	if ((status = load_json(r, &root, text)) != TV_OK ||
	    (status = parse_header(r, root, KIND_REVEAL, p, &rv->index)) != TV_OK ||
	    (status = get_bytes32(r, rv->commits, root, "commits", "commits")) != TV_OK ||
	    (status = get_array(r, &array, root, "coefficients", "coefficients", p->k,
	                        p->k)) != TV_OK)
		goto out;
	for (j = 0; j < p->k; j++) {
		snprintf(path, sizeof(path), "coefficients[%u]", j);
		item = json_array_get(array, j);
		if (!json_is_object(item)) {
			status = rfail(r, path, "must be an object");
			goto out;
		}
		snprintf(sub, sizeof(sub), "%s.commitment", path);
		if ((status = check_keys(r, item, path, coefficient_keys, 2)) != TV_OK ||
		    (status = get_point(r, &rv->coefficient[j], item, "commitment", sub)) != TV_OK)
			goto out;
		snprintf(sub, sizeof(sub), "%s.proof", path);
		if ((status = get_pair(r, &rv->proof[j].commitment, &rv->proof[j].response,
		                       item, "proof", sub)) != TV_OK)
			goto out;
	}
	if ((status = get_array(r, &array, root, "shares", "shares", p->n - 1,
	                        p->n - 1)) != TV_OK)
		goto out;
	/* one share per other trustee, in increasing order of recipient */
	for (m = 0, expected = 1; m < p->n - 1; m++, expected++) {
		if (expected == rv->index)
			expected++;
		snprintf(path, sizeof(path), "shares[%zu]", m);
		item = json_array_get(array, m);
		if (!json_is_object(item)) {
			status = rfail(r, path, "must be an object");
			goto out;
		}
		snprintf(sub, sizeof(sub), "%s.recipient", path);
		if ((status = check_keys(r, item, path, share_keys, 3)) != TV_OK ||
		    (status = get_index(r, &l, item, "recipient", sub, p->n)) != TV_OK)
			goto out;
		if (l != expected) {
			status = rfail(r, sub,
			               "is %u, not %u (one share for each other trustee, in order)",
			               l, expected);
			goto out;
		}
		snprintf(sub, sizeof(sub), "%s.ephemeral", path);
		if ((status = get_point(r, &rv->share[l - 1].ephemeral, item, "ephemeral",
		                        sub)) != TV_OK)
			goto out;
		snprintf(sub, sizeof(sub), "%s.ciphertext", path);
		if ((status = get_bytes32(r, rv->share[l - 1].ciphertext, item, "ciphertext",
		                          sub)) != TV_OK)
			goto out;
	}
	if ((status = get_pair(r, &rv->signature.commitment, &rv->signature.response,
	                       root, "signature", "signature")) != TV_OK ||
	    (status = commitment_hash(r->ctx, rv->commitment_hash, p, rv->index,
	                              rv->coefficient, rv->proof)) != TV_OK)
		goto out;
	status = reveal_digest(r->ctx, rv, p);
out:
	json_decref(root);
	return status;
}

/* SPEC §12.4.3 */
static tv_status parse_result(reader *r, result_msg *res, const params *p,
                              const char *text)
{
	json_t *root = NULL;
	tv_status status;

	memset(res, 0, sizeof(*res));
	if ((status = load_json(r, &root, text)) != TV_OK ||
	    (status = parse_header(r, root, KIND_RESULT, p, &res->index)) != TV_OK ||
	    (status = get_bytes32(r, res->transcript, root, "transcript", "transcript")) != TV_OK ||
	    (status = get_point(r, &res->election_key, root, "election_key",
	                        "election_key")) != TV_OK ||
	    (status = get_point(r, &res->verification_key, root, "verification_key",
	                        "verification_key")) != TV_OK)
		goto out;
	status = get_pair(r, &res->share_proof.commitment, &res->share_proof.response,
	                  root, "share_proof", "share_proof");
out:
	json_decref(root);
	return status;
}

/* SPEC §12.4.4 */
static tv_status parse_complaint(reader *r, complaint_msg *cm, const params *p,
                                 const char *text)
{
	static const char *const item_keys[] = { "accused", "shared_secret", "proof" };
	static const char *const proof_keys[] = { "commitment1", "commitment2", "response" };
	json_t *root = NULL, *array, *item, *proof;
	char path[64], sub[96];
	size_t m;
	tv_status status;

	memset(cm, 0, sizeof(*cm));
	if ((status = load_json(r, &root, text)) != TV_OK ||
	    (status = parse_header(r, root, KIND_COMPLAINT, p, &cm->accuser)) != TV_OK)
		goto out;
	if (p->n == 1) {
		status = rfail(r, "accusations", "a ceremony of one trustee has no shares to accuse");
		goto out;
	}
	if ((status = get_array(r, &array, root, "accusations", "accusations", 1,
	                        p->n - 1)) != TV_OK)
		goto out;
	cm->count = json_array_size(array);
	for (m = 0; m < cm->count; m++) {
		accusation *a = &cm->item[m];

		snprintf(path, sizeof(path), "accusations[%zu]", m);
		item = json_array_get(array, m);
		if (!json_is_object(item)) {
			status = rfail(r, path, "must be an object");
			goto out;
		}
		snprintf(sub, sizeof(sub), "%s.accused", path);
		if ((status = check_keys(r, item, path, item_keys, 3)) != TV_OK ||
		    (status = get_index(r, &a->accused, item, "accused", sub, p->n)) != TV_OK)
			goto out;
		if (a->accused == cm->accuser) {
			status = rfail(r, sub, "a trustee cannot accuse itself");
			goto out;
		}
		if (m > 0 && a->accused <= cm->item[m - 1].accused) {
			status = rfail(r, sub, "accused trustees must be in increasing order, each once");
			goto out;
		}
		snprintf(sub, sizeof(sub), "%s.shared_secret", path);
		if ((status = get_point(r, &a->shared_secret, item, "shared_secret", sub)) != TV_OK)
			goto out;
		snprintf(sub, sizeof(sub), "%s.proof", path);
		if ((status = get_object(r, &proof, item, "proof", sub, proof_keys, 3)) != TV_OK)
			goto out;
		snprintf(sub, sizeof(sub), "%s.proof.commitment1", path);
		if ((status = get_point(r, &a->proof.commitment1, proof, "commitment1", sub)) != TV_OK)
			goto out;
		snprintf(sub, sizeof(sub), "%s.proof.commitment2", path);
		if ((status = get_point(r, &a->proof.commitment2, proof, "commitment2", sub)) != TV_OK)
			goto out;
		snprintf(sub, sizeof(sub), "%s.proof.response", path);
		if ((status = get_scalar(r, &a->proof.response, proof, "response", sub)) != TV_OK)
			goto out;
	}
out:
	json_decref(root);
	return status;
}

/*
 * SPEC §12.5 step 1: parse @p count messages of one kind, in any order,
 * into @p t by trustee: each well-formed, each trustee once. A trustee
 * with no message gives @p missing (TV_ERR_STATE for a trustee, which is
 * early; TV_ERR_CEREMONY_INVALID for an observer, whose transcript is
 * short).
 */
static tv_status parse_set(tv_ctx *ctx, transcript *t, kind kd,
                           const char *const *msgs, size_t count,
                           tv_status missing)
{
	union {
		commit_msg c;
		reveal_msg r;
		result_msg s;
	} *tmp = NULL;
	size_t where[MAXT];
	bool seen[MAXT] = { false };
	size_t pos;
	uint32_t i, index = 0;
	tv_status status = TV_OK;

	if (msgs == NULL && count != 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "the %s messages are NULL",
		                kind_name[kd]);
	tmp = tv__alloc(ctx, sizeof(*tmp));
	if (tmp == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a %s message", kind_name[kd]);
	for (pos = 0; pos < count; pos++) {
		reader r;

		reader_init(&r, ctx, kind_name[kd], pos + 1, count);
		if (kd == KIND_COMMIT) {
			status = parse_commit(&r, &tmp->c, &t->p, msgs[pos]);
			index = tmp->c.index;
		} else if (kd == KIND_REVEAL) {
			status = parse_reveal(&r, &tmp->r, &t->p, msgs[pos]);
			index = tmp->r.index;
		} else {
			status = parse_result(&r, &tmp->s, &t->p, msgs[pos]);
			index = tmp->s.index;
		}
		if (status != TV_OK)
			goto out;
		if (seen[index - 1]) {
			status = tv__fail(ctx, TV_ERR_CEREMONY_INVALID,
			                  "%s messages %zu and %zu of %zu are both from trustee %u",
			                  kind_name[kd], where[index - 1] + 1, pos + 1, count, index);
			goto out;
		}
		seen[index - 1] = true;
		where[index - 1] = pos;
		if (kd == KIND_COMMIT)
			t->commit[index - 1] = tmp->c;
		else if (kd == KIND_REVEAL)
			t->reveal[index - 1] = tmp->r;
		else
			t->result[index - 1] = tmp->s;
	}
	for (i = 0; i < t->p.n; i++)
		if (!seen[i]) {
			status = tv__fail(ctx, missing, "no %s message from trustee %u%s",
			                  kind_name[kd], i + 1,
			                  missing == TV_ERR_STATE ? " yet" : "");
			goto out;
		}
out:
	tv__free(ctx, tmp);
	return status;
}

/* ---- checking a parsed transcript (SPEC §12.5) ---- */

/* every trustee's transport proof and commit signature; then Dcs */
static tv_status check_commits(tv_ctx *ctx, transcript *t)
{
	uint32_t i;
	tv_status status;

	for (i = 1; i <= t->p.n; i++) {
		const commit_msg *c = &t->commit[i - 1];
		proof_context pc;
		reader r = { ctx, "" };

		reader_trustee(&r, "commit", i);
		context_transport(&pc, &t->p, i);
		status = tv_schnorr_verify(ctx, &c->transport_proof, &c->transport_key,
		                           pc.bytes, pc.len);
		if (status != TV_OK)
			return rlower(&r, "transport_proof", status);
		status = tv_schnorr_signature_verify(ctx, &c->signature, &c->signing_key,
		                                     c->digest, TV_HASH_BYTES);
		if (status != TV_OK)
			return rlower(&r, "signature", status);
	}
	return commits_digest(ctx, t->commits_digest, &t->p, t->commit);
}

/*
 * Every reveal: signed by its trustee's signing key, made for these
 * commits, matching its commitment hash, every proof of knowledge
 * verifying. Then the transcript hash.
 */
static tv_status check_reveals(tv_ctx *ctx, transcript *t)
{
	uint32_t i, j;
	tv_status status;

	for (i = 1; i <= t->p.n; i++) {
		const reveal_msg *rv = &t->reveal[i - 1];
		const commit_msg *c = &t->commit[i - 1];
		reader r = { ctx, "" };

		reader_trustee(&r, "reveal", i);
		/* first the signature: only then is the content trustee i's doing */
		status = tv_schnorr_signature_verify(ctx, &rv->signature, &c->signing_key,
		                                     rv->digest, TV_HASH_BYTES);
		if (status != TV_OK)
			return rlower(&r, "signature", status);
		if (memcmp(rv->commits, t->commits_digest, TV_HASH_BYTES) != 0)
			return rfail(&r, "commits",
			             "was made for a different set of commit messages than these");
		if (memcmp(rv->commitment_hash, c->commitment_hash, TV_HASH_BYTES) != 0)
			return rfail(&r, NULL,
			             "does not match its commitment: its coefficients and proofs do "
			             "not hash to the commitment_hash of trustee %u's commit message",
			             i);
		for (j = 0; j < t->p.k; j++) {
			proof_context pc;
			char field[48];

			context_coefficient(&pc, &t->p, i, j);
			status = tv_schnorr_verify(ctx, &rv->proof[j], &rv->coefficient[j],
			                           pc.bytes, pc.len);
			if (status != TV_OK) {
				snprintf(field, sizeof(field), "coefficients[%u].proof", j);
				return rlower(&r, field, status);
			}
		}
	}
	/*
	 * Every share's ephemeral key is distinct. A dealer who copied another
	 * dealer's E into a bad share of its own would make the recipient's
	 * complaint publish S = t_l·E, decrypting the honest dealer's share.
	 */
	for (i = 1; i <= t->p.n; i++) {
		for (uint32_t l = 1; l <= t->p.n; l++) {
			const tv_point *e = &t->reveal[i - 1].share[l - 1].ephemeral;

			if (l == i)
				continue;
			for (uint32_t i2 = i; i2 <= t->p.n; i2++) {
				for (uint32_t l2 = i2 == i ? l + 1 : 1; l2 <= t->p.n; l2++) {
					reader r = { ctx, "" };

					if (l2 == i2 || !tv_point_equal(e, &t->reveal[i2 - 1].share[l2 - 1].ephemeral))
						continue;
					reader_trustee(&r, "reveal", i2);
					return rfail(&r, "shares",
					             "reuses the ephemeral key of trustee %u's share for trustee %u; "
					             "refused, as a complaint about it could reveal that share",
					             i, l);
				}
			}
		}
	}
	return transcript_hash(ctx, t);
}

/*
 * Compare @p expected with Σ_{i in senders} Σ_j C_ij·x^j (Feldman): TV_OK
 * when equal, TV_ERR_PROOF_INVALID (no message set) when not. x ≤ 16 and
 * j ≤ 15, so x^j < 2^64 needs no reduction.
 */
static tv_status feldman_check(tv_ctx *ctx, const EC_POINT *expected,
                               const reveal_msg *reveals, uint32_t senders,
                               uint32_t k, uint32_t x)
{
	EC_POINT *points[MAXT * MAXT] = { NULL };
	BIGNUM *powers[MAXT] = { NULL };
	const BIGNUM *scalars[MAXT * MAXT];
	uint64_t power = 1;
	size_t count = (size_t)senders * k, m;
	uint32_t i, j;
	tv_status status = TV_OK;

	for (j = 0; j < k; j++, power *= x) {
		powers[j] = BN_new();
		if (powers[j] == NULL || !BN_set_word(powers[j], power)) {
			status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
			goto out;
		}
	}
	for (i = 0, m = 0; i < senders; i++)
		for (j = 0; j < k; j++, m++) {
			points[m] = EC_POINT_new(ctx->group);
			if (points[m] == NULL) {
				status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a point");
				goto out;
			}
			status = tv__point_to_ec(ctx, points[m], &reveals[i].coefficient[j],
			                         "coefficient commitment");
			if (status != TV_OK)
				goto out;
			scalars[m] = powers[j];
		}
	status = tv__ec_check_linear(ctx, expected, NULL, count,
	                             (const EC_POINT *const *)points, scalars);
out:
	for (m = 0; m < count; m++)
		EC_POINT_free(points[m]);
	for (j = 0; j < k; j++)
		BN_free(powers[j]);
	return status;
}

/*
 * Decrypt the share from trustee i to trustee l with the ECDH value S,
 * and check it: TV_OK when it is a scalar s < n with s·G = Σ_j C_ij·l^j,
 * TV_ERR_PROOF_INVALID (no message) when it is not. @p share gets s
 * (secret, the caller wipes it) when TV_OK.
 */
static tv_status share_open(tv_ctx *ctx, BIGNUM *share, const params *p,
                            const reveal_msg *sender, uint32_t l,
                            const tv_point *S)
{
	uint8_t pad[TV_HASH_BYTES], plain[TV_SCALAR_BYTES];
	EC_POINT *sG = EC_POINT_new(ctx->group);
	const share_msg *sh = &sender->share[l - 1];
	size_t b;
	tv_status status;

	if (sG == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a point");
		goto out;
	}
	if ((status = share_pad(ctx, pad, p, sender->index, l, &sh->ephemeral, S)) != TV_OK)
		goto out;
	for (b = 0; b < TV_SCALAR_BYTES; b++)
		plain[b] = sh->ciphertext[b] ^ pad[b];
	if (BN_bin2bn(plain, TV_SCALAR_BYTES, share) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot convert a share");
		goto out;
	}
	/* a value >= n is not a share at all: the sender's fault */
	if (BN_cmp(share, ctx->order) >= 0) {
		status = TV_ERR_PROOF_INVALID;
		goto out;
	}
	/* s = 0 gives infinity, which the comparison handles */
	if ((status = tv__ec_base_mul_secret(ctx, sG, share)) != TV_OK)
		goto out;
	status = feldman_check(ctx, sG, sender, 1, p->k, l);
out:
	tv__memzero(pad, sizeof(pad));
	tv__memzero(plain, sizeof(plain));
	EC_POINT_free(sG);
	return status;
}

/* K = Σ_i C_i0 */
static tv_status election_key(tv_ctx *ctx, tv_point *out, const transcript *t)
{
	EC_POINT *sum = EC_POINT_new(ctx->group), *term = EC_POINT_new(ctx->group);
	uint32_t i;
	tv_status status = TV_OK;

	if (sum == NULL || term == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a point");
		goto out;
	}
	if (!EC_POINT_set_to_infinity(ctx->group, sum)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "EC arithmetic failed");
		goto out;
	}
	for (i = 0; i < t->p.n; i++) {
		if ((status = tv__point_to_ec(ctx, term, &t->reveal[i].coefficient[0],
		                              "coefficient commitment")) != TV_OK)
			goto out;
		if (!EC_POINT_add(ctx->group, sum, sum, term, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "EC addition failed");
			goto out;
		}
	}
	if (EC_POINT_is_at_infinity(ctx->group, sum)) {
		/* only if the trustees' first coefficients cancel: start again */
		status = tv__fail(ctx, TV_ERR_CEREMONY_INVALID,
		                  "the election key (the sum of every trustee's "
		                  "coefficients[0].commitment) is the point at infinity");
		goto out;
	}
	status = tv__ec_to_point(ctx, out, sum, "election key");
out:
	EC_POINT_free(sum);
	EC_POINT_free(term);
	return status;
}

/* ---- writing messages ---- */

static json_t *hex_string(const uint8_t *bytes, size_t len)
{
	char buf[2 * TV_POINT_BYTES + 1];

	tv__hex_encode(buf, bytes, len);
	return json_string(buf);
}

static bool set(json_t *obj, const char *key, json_t *value)
{
	return json_object_set_new(obj, key, value) == 0;
}

static json_t *pair_object(const tv_point *commitment, const tv_scalar *response)
{
	json_t *o = json_object();

	if (o != NULL &&
	    (!set(o, "commitment", hex_string(commitment->bytes, TV_POINT_BYTES)) ||
	     !set(o, "response", hex_string(response->bytes, TV_SCALAR_BYTES)))) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* the fields every message starts with, in the order of SPEC §12.4 */
static json_t *header_object(kind kd, const params *p, uint32_t index)
{
	json_t *o = json_object();

	if (o != NULL &&
	    (!set(o, "format", json_string(kind_format[kd])) ||
	     !set(o, "election", hex_string(p->fingerprint, FPB)) ||
	     !set(o, "trustee", json_integer(index)) ||
	     !set(o, "trustees", json_integer(p->n)) ||
	     !set(o, "threshold", json_integer(p->k)))) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

typedef struct text_buffer {
	tv_ctx *ctx;
	char *data;
	size_t len, cap;
	bool failed;
} text_buffer;

static int text_append(const char *buffer, size_t size, void *payload)
{
	text_buffer *b = payload;

	if (b->failed)
		return -1;
	if (size + 2 > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		char *data;

		while (size + 2 > cap - b->len)
			cap *= 2;
		data = tv__realloc(b->ctx, b->data, cap);
		if (data == NULL) {
			b->failed = true;
			return -1;
		}
		b->data = data;
		b->cap = cap;
	}
	memcpy(b->data + b->len, buffer, size);
	b->len += size;
	return 0;
}

/*
 * @p root as text (two-space indent, one newline at the end) in memory
 * from the context's allocator, so the caller frees it with tv_free().
 * Takes @p root (may be NULL after a failed build: out of memory).
 */
static tv_status emit(tv_ctx *ctx, char **out, json_t *root)
{
	text_buffer b = { ctx, NULL, 0, 0, false };
	tv_status status = TV_OK;

	if (root == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot build a JSON message");
	if (json_dump_callback(root, text_append, &b, JSON_INDENT(2)) != 0 ||
	    b.data == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot write a JSON message");
		tv__free(ctx, b.data);
	} else {
		b.data[b.len++] = '\n';
		b.data[b.len] = '\0';
		*out = b.data;
	}
	json_decref(root);
	return status;
}

/* ---- the trustee ---- */

static bool scalar_is_zero(const tv_scalar *s)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < TV_SCALAR_BYTES; i++)
		acc |= s->bytes[i];
	return acc == 0;
}

static bool bytes_are_zero(const uint8_t *b, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= b[i];
	return acc == 0;
}

static tv_status check_sizes(tv_ctx *ctx, uint32_t trustees, uint32_t threshold)
{
	if (threshold < 1 || threshold > trustees || trustees > MAXT)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "a ceremony needs 1 <= threshold (%u) <= trustees (%u) <= %d",
		                threshold, trustees, MAXT);
	return TV_OK;
}

/* this trustee's own commit message, as parse_commit() would read it */
static tv_status own_commit(tv_ctx *ctx, commit_msg *c, const tv_trustee *t)
{
	memset(c, 0, sizeof(*c));
	c->index = t->index;
	c->transport_key = t->transport_key;
	c->transport_proof = t->transport_proof;
	c->signing_key = t->signing_key;
	memcpy(c->commitment_hash, t->commitment_hash, TV_HASH_BYTES);
	return commit_digest(ctx, c, &t->p);
}

tv_status tv_trustee_new(tv_ctx *ctx, tv_trustee **out,
                         const uint8_t fingerprint[TV_CEREMONY_FINGERPRINT_BYTES],
                         uint32_t index, uint32_t trustees, uint32_t threshold)
{
	tv_trustee *t = NULL;
	proof_context pc;
	uint32_t j;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || fingerprint == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_trustee_new: NULL argument");
	if ((status = check_sizes(ctx, trustees, threshold)) != TV_OK)
		return status;
	if (index < 1 || index > trustees)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "trustee number %u is not from 1 to %u", index, trustees);
	t = tv__calloc(ctx, 1, sizeof(*t));
	if (t == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a trustee");
	t->ctx = ctx;
	memcpy(t->p.fingerprint, fingerprint, FPB);
	t->p.n = trustees;
	t->p.k = threshold;
	t->index = index;
	t->stage = TV_TRUSTEE_KEYS_MADE;
	/* SPEC §12.3 step 1, draws in this order (§12.8) */
	for (j = 0; j < threshold; j++)
		if ((status = tv_scalar_random(ctx, &t->coefficient[j])) != TV_OK)
			goto out;
	if ((status = tv_scalar_random(ctx, &t->transport_secret)) != TV_OK ||
	    (status = tv_scalar_random(ctx, &t->signing_secret)) != TV_OK)
		goto out;
	for (j = 0; j < threshold; j++) {
		context_coefficient(&pc, &t->p, index, j);
		if ((status = tv_schnorr_prove(ctx, &t->coefficient_proof[j],
		                               &t->commitment[j], &t->coefficient[j],
		                               pc.bytes, pc.len)) != TV_OK)
			goto out;
	}
	context_transport(&pc, &t->p, index);
	if ((status = tv_schnorr_prove(ctx, &t->transport_proof, &t->transport_key,
	                               &t->transport_secret, pc.bytes, pc.len)) != TV_OK ||
	    (status = tv_point_base_mul(ctx, &t->signing_key, &t->signing_secret)) != TV_OK)
		goto out;
	status = commitment_hash(ctx, t->commitment_hash, &t->p, index, t->commitment,
	                         t->coefficient_proof);
out:
	if (status != TV_OK) {
		tv_trustee_free(t);
		return status;
	}
	*out = t;
	return TV_OK;
}

void tv_trustee_free(tv_trustee *trustee)
{
	tv_ctx *ctx;

	if (trustee == NULL)
		return;
	ctx = trustee->ctx;
	tv__memzero(trustee, sizeof(*trustee));
	tv__free(ctx, trustee);
}

uint32_t tv_trustee_index(const tv_trustee *trustee)
{
	return trustee == NULL ? 0 : trustee->index;
}

tv_trustee_stage tv_trustee_get_stage(const tv_trustee *trustee)
{
	return trustee == NULL ? (tv_trustee_stage)0 : trustee->stage;
}

tv_status tv_trustee_commit(tv_ctx *ctx, char **out, const tv_trustee *trustee)
{
	commit_msg c;
	json_t *root;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || trustee == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_trustee_commit: NULL argument");
	if ((status = own_commit(ctx, &c, trustee)) != TV_OK ||
	    (status = tv_schnorr_sign(ctx, &c.signature, &trustee->signing_secret,
	                              c.digest, TV_HASH_BYTES)) != TV_OK)
		return status;
	root = header_object(KIND_COMMIT, &trustee->p, trustee->index);
	if (root != NULL &&
	    (!set(root, "transport_key", hex_string(c.transport_key.bytes, TV_POINT_BYTES)) ||
	     !set(root, "transport_proof", pair_object(&c.transport_proof.commitment,
	                                               &c.transport_proof.response)) ||
	     !set(root, "signing_key", hex_string(c.signing_key.bytes, TV_POINT_BYTES)) ||
	     !set(root, "commitment_hash", hex_string(c.commitment_hash, TV_HASH_BYTES)) ||
	     !set(root, "signature", pair_object(&c.signature.commitment,
	                                         &c.signature.response)))) {
		json_decref(root);
		root = NULL;
	}
	return emit(ctx, out, root);
}

/* f_i(x) = Σ_j a_ij·x^j mod n by Horner's rule, in constant-time BIGNUMs */
static tv_status poly_eval(tv_ctx *ctx, BIGNUM *out, const tv_trustee *t, uint32_t x)
{
	BIGNUM *a = tv__bn_secret_new(), *xb = BN_new();
	uint32_t j;
	tv_status status = TV_OK;

	if (a == NULL || xb == NULL || !BN_set_word(xb, x)) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	BN_zero(out);
	for (j = t->p.k; j-- > 0;) {
		if ((status = tv__scalar_to_bn(ctx, a, &t->coefficient[j], "coefficient")) != TV_OK)
			goto out;
		if (!BN_mod_mul(out, out, xb, ctx->order, ctx->bn) ||
		    !BN_mod_add(out, out, a, ctx->order, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
			goto out;
		}
	}
out:
	BN_clear_free(a);
	BN_free(xb);
	return status;
}

/*
 * Encrypt f_i(l) to trustee l's transport key T_l (SPEC §12.3 step 2):
 * E = e·G, S = e·T_l, ciphertext = f_i(l) XOR H("ceremony-share-pad"; ...).
 */
static tv_status share_seal(tv_ctx *ctx, share_msg *out, const tv_trustee *t,
                            uint32_t l, const tv_point *transport_key)
{
	BIGNUM *e = tv__bn_secret_new(), *s = tv__bn_secret_new();
	EC_POINT *T = EC_POINT_new(ctx->group), *p = EC_POINT_new(ctx->group);
	uint8_t pad[TV_HASH_BYTES], plain[TV_SCALAR_BYTES];
	tv_point S;
	size_t b;
	tv_status status;

	if (e == NULL || s == NULL || T == NULL || p == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__random_bn(ctx, e)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, p, e)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &out->ephemeral, p, "ephemeral key")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, T, transport_key, "transport key")) != TV_OK ||
	    (status = tv__ec_mul_secret(ctx, p, T, e)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &S, p, "shared secret")) != TV_OK ||
	    (status = share_pad(ctx, pad, &t->p, t->index, l, &out->ephemeral, &S)) != TV_OK ||
	    (status = poly_eval(ctx, s, t, l)) != TV_OK)
		goto out;
	if (BN_bn2binpad(s, plain, TV_SCALAR_BYTES) != TV_SCALAR_BYTES) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "cannot encode a share");
		goto out;
	}
	for (b = 0; b < TV_SCALAR_BYTES; b++)
		out->ciphertext[b] = plain[b] ^ pad[b];
out:
	tv__memzero(pad, sizeof(pad));
	tv__memzero(plain, sizeof(plain));
	tv__memzero(&S, sizeof(S));
	BN_clear_free(e);
	BN_clear_free(s);
	EC_POINT_free(T);
	EC_POINT_clear_free(p);
	return status;
}

static json_t *reveal_object(const tv_trustee *t, const reveal_msg *rv)
{
	json_t *root = header_object(KIND_REVEAL, &t->p, t->index);
	json_t *coefficients = json_array(), *shares = json_array();
	bool ok = root != NULL && coefficients != NULL && shares != NULL;
	uint32_t j, l;

	for (j = 0; ok && j < t->p.k; j++) {
		json_t *item = json_object();

		ok = item != NULL &&
		     set(item, "commitment", hex_string(rv->coefficient[j].bytes, TV_POINT_BYTES)) &&
		     set(item, "proof", pair_object(&rv->proof[j].commitment,
		                                    &rv->proof[j].response));
		ok = json_array_append_new(coefficients, item) == 0 && ok;
	}
	for (l = 1; ok && l <= t->p.n; l++) {
		json_t *item;

		if (l == t->index)
			continue;
		item = json_object();
		ok = item != NULL && set(item, "recipient", json_integer(l)) &&
		     set(item, "ephemeral", hex_string(rv->share[l - 1].ephemeral.bytes,
		                                       TV_POINT_BYTES)) &&
		     set(item, "ciphertext", hex_string(rv->share[l - 1].ciphertext,
		                                        TV_SCALAR_BYTES));
		ok = json_array_append_new(shares, item) == 0 && ok;
	}
	ok = ok && set(root, "commits", hex_string(rv->commits, TV_HASH_BYTES));
	ok = ok && set(root, "coefficients", json_incref(coefficients));
	ok = ok && set(root, "shares", json_incref(shares));
	ok = ok && set(root, "signature", pair_object(&rv->signature.commitment,
	                                              &rv->signature.response));
	json_decref(coefficients);
	json_decref(shares);
	if (!ok) {
		json_decref(root);
		root = NULL;
	}
	return root;
}

tv_status tv_trustee_reveal(tv_ctx *ctx, char **out, tv_trustee *trustee,
                            const char *const *commits, size_t count)
{
	transcript *tr = NULL;
	reveal_msg *rv = NULL;
	commit_msg mine;
	uint32_t l, j;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || trustee == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_trustee_reveal: NULL argument");
	tr = tv__calloc(ctx, 1, sizeof(*tr));
	rv = tv__calloc(ctx, 1, sizeof(*rv));
	if (tr == NULL || rv == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a transcript");
		goto out;
	}
	tr->p = trustee->p;
	/* commit before reveal: nothing is revealed until every trustee has committed */
	if ((status = parse_set(ctx, tr, KIND_COMMIT, commits, count, TV_ERR_STATE)) != TV_OK ||
	    (status = check_commits(ctx, tr)) != TV_OK ||
	    (status = own_commit(ctx, &mine, trustee)) != TV_OK)
		goto out;
	/*
	 * Our own commit must be in the set: then a set that every trustee
	 * reveals to holds every trustee's real commit, and a relay that
	 * swaps messages is caught by the commits digest of the reveals.
	 */
	if (memcmp(mine.digest, tr->commit[trustee->index - 1].digest, TV_HASH_BYTES) != 0) {
		status = tv__fail(ctx, TV_ERR_CEREMONY_INVALID,
		                  "trustee %u's commit message in this set is not the one "
		                  "trustee %u made",
		                  trustee->index, trustee->index);
		goto out;
	}
	/* never encrypt this polynomial's shares to a second set of keys */
	if (trustee->stage != TV_TRUSTEE_KEYS_MADE &&
	    memcmp(trustee->commits_digest, tr->commits_digest, TV_HASH_BYTES) != 0) {
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "trustee %u has already revealed its shares to a different set "
		                  "of commit messages; a new ceremony needs new trustee secrets",
		                  trustee->index);
		goto out;
	}
	rv->index = trustee->index;
	memcpy(rv->commits, tr->commits_digest, TV_HASH_BYTES);
	for (j = 0; j < trustee->p.k; j++) {
		rv->coefficient[j] = trustee->commitment[j];
		rv->proof[j] = trustee->coefficient_proof[j];
	}
	memcpy(rv->commitment_hash, trustee->commitment_hash, TV_HASH_BYTES);
	for (l = 1; l <= trustee->p.n; l++) {
		if (l == trustee->index)
			continue;
		if ((status = share_seal(ctx, &rv->share[l - 1], trustee, l,
		                         &tr->commit[l - 1].transport_key)) != TV_OK)
			goto out;
	}
	if ((status = reveal_digest(ctx, rv, &trustee->p)) != TV_OK ||
	    (status = tv_schnorr_sign(ctx, &rv->signature, &trustee->signing_secret,
	                              rv->digest, TV_HASH_BYTES)) != TV_OK ||
	    (status = emit(ctx, out, reveal_object(trustee, rv))) != TV_OK)
		goto out;
	if (trustee->stage == TV_TRUSTEE_KEYS_MADE) {
		memcpy(trustee->commits_digest, tr->commits_digest, TV_HASH_BYTES);
		trustee->stage = TV_TRUSTEE_REVEALED;
	}
out:
	tv__free(ctx, tr);
	tv__free(ctx, rv);
	return status;
}

/* S = t_l·E: the ECDH value of the share sent to this trustee */
static tv_status shared_secret(tv_ctx *ctx, tv_point *out, const tv_trustee *t,
                               const tv_point *ephemeral)
{
	BIGNUM *secret = tv__bn_secret_new();
	EC_POINT *E = EC_POINT_new(ctx->group), *S = EC_POINT_new(ctx->group);
	tv_status status;

	if (secret == NULL || E == NULL || S == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__scalar_to_bn(ctx, secret, &t->transport_secret,
	                               "transport secret")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, E, ephemeral, "ephemeral key")) != TV_OK ||
	    (status = tv__ec_mul_secret(ctx, S, E, secret)) != TV_OK)
		goto out;
	status = tv__ec_to_point(ctx, out, S, "shared secret");
out:
	BN_clear_free(secret);
	EC_POINT_free(E);
	EC_POINT_clear_free(S);
	return status;
}

/* SPEC §12.4.4: the complaint of trustee t about every sender in @p bad */
static tv_status make_complaint(tv_ctx *ctx, char **out, const tv_trustee *t,
                                const transcript *tr, const bool *bad,
                                const tv_point *secrets)
{
	json_t *root = header_object(KIND_COMPLAINT, &t->p, t->index);
	json_t *items = json_array();
	bool ok = root != NULL && items != NULL;
	tv_point g;
	uint32_t i;
	tv_status status = TV_OK;

	tv_point_generator(&g);
	for (i = 1; ok && i <= t->p.n; i++) {
		proof_context pc;
		tv_cp_proof proof;
		json_t *item, *po;

		if (!bad[i - 1])
			continue;
		context_complaint(&pc, &t->p, t->index, i);
		status = tv_cp_prove(ctx, &proof, &t->transport_secret, &g, &t->transport_key,
		                     &tr->reveal[i - 1].share[t->index - 1].ephemeral,
		                     &secrets[i - 1], pc.bytes, pc.len);
		if (status != TV_OK)
			goto out;
		item = json_object();
		po = json_object();
		ok = item != NULL && po != NULL &&
		     set(po, "commitment1", hex_string(proof.commitment1.bytes, TV_POINT_BYTES)) &&
		     set(po, "commitment2", hex_string(proof.commitment2.bytes, TV_POINT_BYTES)) &&
		     set(po, "response", hex_string(proof.response.bytes, TV_SCALAR_BYTES)) &&
		     set(item, "accused", json_integer(i)) &&
		     set(item, "shared_secret", hex_string(secrets[i - 1].bytes, TV_POINT_BYTES)) &&
		     set(item, "proof", json_incref(po));
		json_decref(po);
		ok = json_array_append_new(items, item) == 0 && ok;
	}
	ok = ok && set(root, "accusations", json_incref(items));
	if (!ok) {
		json_decref(root);
		root = NULL;
	}
	status = emit(ctx, out, root);
	root = NULL;
out:
	json_decref(root);
	json_decref(items);
	return status;
}

tv_status tv_trustee_combine(tv_ctx *ctx, char **result, char **complaint,
                             tv_trustee *trustee, const char *const *commits,
                             size_t commit_count, const char *const *reveals,
                             size_t reveal_count)
{
	transcript *tr = NULL;
	BIGNUM *x = tv__bn_secret_new(), *s = tv__bn_secret_new();
	tv_point secrets[MAXT];
	bool bad[MAXT] = { false };
	uint32_t i, l, first_bad = 0, bad_count = 0;
	tv_scalar share;
	tv_point K, X;
	tv_schnorr_proof proof;
	proof_context pc;
	json_t *root;
	tv_status status;

	memset(secrets, 0, sizeof(secrets));
	memset(&share, 0, sizeof(share));
	if (result != NULL)
		*result = NULL;
	if (complaint != NULL)
		*complaint = NULL;
	if (ctx == NULL || result == NULL || trustee == NULL) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_trustee_combine: NULL argument");
		goto out;
	}
	l = trustee->index;
	if (trustee->stage == TV_TRUSTEE_KEYS_MADE) {
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "trustee %u has not revealed yet: reveal before combining", l);
		goto out;
	}
	tr = tv__calloc(ctx, 1, sizeof(*tr));
	if (tr == NULL || x == NULL || s == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a transcript");
		goto out;
	}
	tr->p = trustee->p;
	if ((status = parse_set(ctx, tr, KIND_COMMIT, commits, commit_count,
	                        TV_ERR_STATE)) != TV_OK ||
	    (status = parse_set(ctx, tr, KIND_REVEAL, reveals, reveal_count,
	                        TV_ERR_STATE)) != TV_OK ||
	    (status = check_commits(ctx, tr)) != TV_OK)
		goto out;
	if (memcmp(tr->commits_digest, trustee->commits_digest, TV_HASH_BYTES) != 0) {
		status = tv__fail(ctx, TV_ERR_CEREMONY_INVALID,
		                  "these commit messages are not the ones trustee %u revealed to", l);
		goto out;
	}
	if ((status = check_reveals(ctx, tr)) != TV_OK)
		goto out;
	if (trustee->stage == TV_TRUSTEE_COMBINED &&
	    memcmp(tr->hash, trustee->transcript, TV_HASH_BYTES) != 0) {
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "trustee %u has already combined a different transcript", l);
		goto out;
	}
	/* x_l = f_l(l) + Σ_{i ≠ l} s_il, each s_il checked against C_i (Feldman) */
	if ((status = poly_eval(ctx, x, trustee, l)) != TV_OK)
		goto out;
	for (i = 1; i <= trustee->p.n; i++) {
		if (i == l)
			continue;
		if ((status = shared_secret(ctx, &secrets[i - 1], trustee,
		                            &tr->reveal[i - 1].share[l - 1].ephemeral)) != TV_OK)
			goto out;
		status = share_open(ctx, s, &trustee->p, &tr->reveal[i - 1], l, &secrets[i - 1]);
		if (status == TV_ERR_PROOF_INVALID) {
			bad[i - 1] = true;
			if (bad_count++ == 0)
				first_bad = i;
			continue;
		}
		if (status != TV_OK)
			goto out;
		if (!BN_mod_add(x, x, s, ctx->order, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
			goto out;
		}
	}
	if (bad_count > 0) {
		if (complaint != NULL &&
		    (status = make_complaint(ctx, complaint, trustee, tr, bad, secrets)) != TV_OK)
			goto out;
		status = tv__fail(ctx, TV_ERR_CEREMONY_INVALID,
		                  "trustee %u sent trustee %u a share that does not match its "
		                  "commitments%s%s",
		                  first_bad, l,
		                  bad_count > 1 ? " (and so did other trustees)" : "",
		                  complaint != NULL ? "; the complaint message proves it" : "");
		goto out;
	}
	if ((status = tv__bn_to_scalar(ctx, &share, x)) != TV_OK)
		goto out;
	if (scalar_is_zero(&share)) {
		/* only if the shares cancel (never by chance): start again */
		status = tv__fail(ctx, TV_ERR_CEREMONY_INVALID,
		                  "trustee %u's shares add up to zero", l);
		goto out;
	}
	if ((status = election_key(ctx, &K, tr)) != TV_OK)
		goto out;
	context_share(&pc, &trustee->p, l, tr->hash);
	if ((status = tv_schnorr_prove(ctx, &proof, &X, &share, pc.bytes, pc.len)) != TV_OK)
		goto out;
	root = header_object(KIND_RESULT, &trustee->p, l);
	if (root != NULL &&
	    (!set(root, "transcript", hex_string(tr->hash, TV_HASH_BYTES)) ||
	     !set(root, "election_key", hex_string(K.bytes, TV_POINT_BYTES)) ||
	     !set(root, "verification_key", hex_string(X.bytes, TV_POINT_BYTES)) ||
	     !set(root, "share_proof", pair_object(&proof.commitment, &proof.response)))) {
		json_decref(root);
		root = NULL;
	}
	if ((status = emit(ctx, result, root)) != TV_OK)
		goto out;
	trustee->share = share;
	trustee->election_key = K;
	memcpy(trustee->transcript, tr->hash, TV_HASH_BYTES);
	trustee->stage = TV_TRUSTEE_COMBINED;
out:
	tv__memzero(secrets, sizeof(secrets));
	tv__memzero(&share, sizeof(share));
	BN_clear_free(x);
	BN_clear_free(s);
	tv__free(ctx, tr);
	return status;
}

tv_status tv_trustee_share(tv_ctx *ctx, tv_scalar *share, tv_point *verification_key,
                           tv_point *election_key_out, const tv_trustee *trustee)
{
	tv_status status;

	if (ctx == NULL || share == NULL || trustee == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_trustee_share: NULL argument");
	if (trustee->stage != TV_TRUSTEE_COMBINED)
		return tv__fail(ctx, TV_ERR_STATE,
		                "trustee %u has no share yet: the ceremony is not combined",
		                trustee->index);
	if (verification_key != NULL &&
	    (status = tv_point_base_mul(ctx, verification_key, &trustee->share)) != TV_OK)
		return status;
	if (election_key_out != NULL)
		*election_key_out = trustee->election_key;
	*share = trustee->share;
	return TV_OK;
}

/* ---- the secret state (SPEC §12.6) ---- */

#define STATE_MAGIC "TVTS"
#define STATE_VERSION 1
#define STATE_HEADER 56

tv_status tv_trustee_serialize(tv_ctx *ctx, uint8_t *out, size_t out_size,
                               size_t *out_len, const tv_trustee *trustee)
{
	uint8_t *p = out;
	size_t need;
	uint32_t j;

	if (out_len != NULL)
		*out_len = 0;
	if (ctx == NULL || out == NULL || out_len == NULL || trustee == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_trustee_serialize: NULL argument");
	need = TV_TRUSTEE_STATE_BYTES(trustee->p.k);
	if (out_size < need)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "the buffer holds %zu bytes; the trustee state needs %zu",
		                out_size, need);
	memcpy(p, STATE_MAGIC, 4), p += 4;
	put_u32(p, STATE_VERSION), p += 4;
	memcpy(p, trustee->p.fingerprint, FPB), p += FPB;
	put_u32(p, trustee->index), p += 4;
	put_u32(p, trustee->p.n), p += 4;
	put_u32(p, trustee->p.k), p += 4;
	put_u32(p, (uint32_t)trustee->stage), p += 4;
	memcpy(p, trustee->signing_secret.bytes, 32), p += 32;
	memcpy(p, trustee->transport_secret.bytes, 32), p += 32;
	memcpy(p, trustee->transport_proof.commitment.bytes, 65), p += 65;
	memcpy(p, trustee->transport_proof.response.bytes, 32), p += 32;
	for (j = 0; j < trustee->p.k; j++) {
		memcpy(p, trustee->coefficient[j].bytes, 32), p += 32;
		memcpy(p, trustee->coefficient_proof[j].commitment.bytes, 65), p += 65;
		memcpy(p, trustee->coefficient_proof[j].response.bytes, 32), p += 32;
	}
	/* stage data; zero bytes before the stage that sets it */
	memset(p, 0, 32 + 32 + 32 + 65);
	if (trustee->stage >= TV_TRUSTEE_REVEALED)
		memcpy(p, trustee->commits_digest, 32);
	p += 32;
	if (trustee->stage == TV_TRUSTEE_COMBINED) {
		memcpy(p, trustee->transcript, 32);
		memcpy(p + 32, trustee->share.bytes, 32);
		memcpy(p + 64, trustee->election_key.bytes, 65);
	}
	p += 32 + 32 + 65;
	*out_len = (size_t)(p - out);
	return TV_OK;
}

/* a rejection while reading the state: TV_ERR_ENCODING naming the field */
static tv_status state_fail(tv_ctx *ctx, const char *field, size_t offset,
                            tv_status status)
{
	char detail[TV_ERROR_MAX];

	if (!tv_status_is_rejection(status))
		return status;
	snprintf(detail, sizeof(detail), "%s", tv_ctx_last_error(ctx));
	return tv__fail(ctx, TV_ERR_ENCODING, "trustee state: %s (byte %zu): %s", field,
	                offset, detail);
}

/* a secret scalar: below n and not zero */
static tv_status state_secret(tv_ctx *ctx, tv_scalar *out, const uint8_t *in,
                              size_t offset, const char *field)
{
	tv_status status = tv_scalar_decode(ctx, out, in, TV_SCALAR_BYTES);

	if (status != TV_OK)
		return state_fail(ctx, field, offset, status);
	if (scalar_is_zero(out))
		return tv__fail(ctx, TV_ERR_ENCODING, "trustee state: %s (byte %zu) is zero",
		                field, offset);
	return TV_OK;
}

static tv_status state_proof(tv_ctx *ctx, tv_schnorr_proof *out, const uint8_t *in,
                             size_t offset, const char *field)
{
	tv_status status = tv_point_decode(ctx, &out->commitment, in, TV_POINT_BYTES);

	if (status == TV_OK)
		status = tv_scalar_decode(ctx, &out->response, in + 65, TV_SCALAR_BYTES);
	return state_fail(ctx, field, offset, status);
}

tv_status tv_trustee_deserialize(tv_ctx *ctx, tv_trustee **out, const uint8_t *in,
                                 size_t len)
{
	tv_trustee *t = NULL;
	const uint8_t *p = in;
	proof_context pc;
	uint32_t version, i, n, k, stage, j;
	char field[48];
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || (in == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_trustee_deserialize: NULL argument");
	if (len < STATE_HEADER)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "trustee state: %zu bytes, shorter than its %d-byte header", len,
		                STATE_HEADER);
	if (memcmp(in, STATE_MAGIC, 4) != 0)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "trustee state: does not start with \"" STATE_MAGIC "\"");
	version = get_u32(in + 4);
	if (version != STATE_VERSION)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "trustee state: version %u is not the version %d this library reads",
		                version, STATE_VERSION);
	i = get_u32(in + 40);
	n = get_u32(in + 44);
	k = get_u32(in + 48);
	stage = get_u32(in + 52);
	if (k < 1 || k > n || n > MAXT)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "trustee state: trustees %u and threshold %u (bytes 44-51) are not "
		                "1 <= threshold <= trustees <= %d",
		                n, k, MAXT);
	if (i < 1 || i > n)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "trustee state: trustee number %u (byte 40) is not from 1 to %u", i, n);
	if (stage < TV_TRUSTEE_KEYS_MADE || stage > TV_TRUSTEE_COMBINED)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "trustee state: stage %u (byte 52) is not 1, 2 or 3", stage);
	if (len != TV_TRUSTEE_STATE_BYTES(k))
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "trustee state: %zu bytes, not the %zu of threshold %u", len,
		                TV_TRUSTEE_STATE_BYTES(k), k);
	t = tv__calloc(ctx, 1, sizeof(*t));
	if (t == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a trustee");
	t->ctx = ctx;
	memcpy(t->p.fingerprint, in + 8, FPB);
	t->p.n = n;
	t->p.k = k;
	t->index = i;
	t->stage = (tv_trustee_stage)stage;
	p = in + STATE_HEADER;
	if ((status = state_secret(ctx, &t->signing_secret, p, 56, "signing secret")) != TV_OK ||
	    (status = state_secret(ctx, &t->transport_secret, p + 32, 88,
	                           "transport secret")) != TV_OK ||
	    (status = state_proof(ctx, &t->transport_proof, p + 64, 120,
	                          "transport proof")) != TV_OK)
		goto out;
	p += 161;
	for (j = 0; j < k; j++, p += 129) {
		size_t at = (size_t)(p - in);

		snprintf(field, sizeof(field), "coefficient %u", j);
		if ((status = state_secret(ctx, &t->coefficient[j], p, at, field)) != TV_OK)
			goto out;
		snprintf(field, sizeof(field), "proof of coefficient %u", j);
		if ((status = state_proof(ctx, &t->coefficient_proof[j], p + 32, at + 32,
		                          field)) != TV_OK)
			goto out;
	}
	/* stage data: each field is set by exactly one stage, zero before it */
	memcpy(t->commits_digest, p, 32);
	memcpy(t->transcript, p + 32, 32);
	if (stage < TV_TRUSTEE_REVEALED && !bytes_are_zero(p, 32)) {
		status = tv__fail(ctx, TV_ERR_ENCODING,
		                  "trustee state: commits digest (byte %zu) is set before the "
		                  "trustee has revealed", (size_t)(p - in));
		goto out;
	}
	if (stage < TV_TRUSTEE_COMBINED) {
		if (!bytes_are_zero(p + 32, 32 + 32 + 65)) {
			status = tv__fail(ctx, TV_ERR_ENCODING,
			                  "trustee state: transcript, share or election key (bytes "
			                  "%zu-%zu) set before the trustee has combined",
			                  (size_t)(p - in) + 32, len - 1);
			goto out;
		}
	} else if ((status = state_secret(ctx, &t->share, p + 64, (size_t)(p - in) + 64,
	                                  "share")) != TV_OK ||
	           (status = state_fail(ctx, "election key", (size_t)(p - in) + 96,
	                                tv_point_decode(ctx, &t->election_key, p + 96,
	                                                TV_POINT_BYTES))) != TV_OK) {
		goto out;
	}
	/* the public values, and the stored proofs checked against them */
	if ((status = tv_point_base_mul(ctx, &t->signing_key, &t->signing_secret)) != TV_OK ||
	    (status = tv_point_base_mul(ctx, &t->transport_key, &t->transport_secret)) != TV_OK)
		goto out;
	context_transport(&pc, &t->p, i);
	if ((status = state_fail(ctx, "transport proof", 120,
	                         tv_schnorr_verify(ctx, &t->transport_proof, &t->transport_key,
	                                           pc.bytes, pc.len))) != TV_OK)
		goto out;
	for (j = 0; j < k; j++) {
		if ((status = tv_point_base_mul(ctx, &t->commitment[j], &t->coefficient[j])) != TV_OK)
			goto out;
		context_coefficient(&pc, &t->p, i, j);
		snprintf(field, sizeof(field), "proof of coefficient %u", j);
		if ((status = state_fail(ctx, field, STATE_HEADER + 161 + 129 * (size_t)j + 32,
		                         tv_schnorr_verify(ctx, &t->coefficient_proof[j],
		                                           &t->commitment[j], pc.bytes,
		                                           pc.len))) != TV_OK)
			goto out;
	}
	status = commitment_hash(ctx, t->commitment_hash, &t->p, i, t->commitment,
	                         t->coefficient_proof);
out:
	if (status != TV_OK) {
		tv_trustee_free(t);
		return status;
	}
	*out = t;
	return TV_OK;
}

/* ---- observers ---- */

static tv_status check_results(tv_ctx *ctx, const transcript *t, const tv_point *K)
{
	EC_POINT *X = EC_POINT_new(ctx->group);
	uint32_t l;
	tv_status status = TV_OK;

	if (X == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a point");
	for (l = 1; l <= t->p.n; l++) {
		const result_msg *res = &t->result[l - 1];
		proof_context pc;
		reader r = { ctx, "" };

		reader_trustee(&r, "result", l);
		if (memcmp(res->transcript, t->hash, TV_HASH_BYTES) != 0) {
			status = rfail(&r, "transcript",
			               "names another transcript: trustee %u combined other "
			               "commit or reveal messages than these", l);
			goto out;
		}
		if (!tv_point_equal(&res->election_key, K)) {
			status = rfail(&r, "election_key",
			               "is not the sum of the trustees' coefficients[0].commitment");
			goto out;
		}
		if ((status = tv__point_to_ec(ctx, X, &res->verification_key,
		                              "verification key")) != TV_OK)
			goto out;
		status = feldman_check(ctx, X, t->reveal, t->p.n, t->p.k, l);
		if (status == TV_ERR_PROOF_INVALID) {
			status = rfail(&r, "verification_key",
			               "does not follow from the coefficient commitments");
			goto out;
		}
		if (status != TV_OK)
			goto out;
		context_share(&pc, &t->p, l, t->hash);
		status = tv_schnorr_verify(ctx, &res->share_proof, &res->verification_key,
		                           pc.bytes, pc.len);
		if (status != TV_OK) {
			status = rlower(&r, "share_proof", status);
			goto out;
		}
	}
out:
	EC_POINT_free(X);
	return status;
}

tv_status tv_ceremony_verify(tv_ctx *ctx, tv_election_key *out,
                             const uint8_t fingerprint[TV_CEREMONY_FINGERPRINT_BYTES],
                             uint32_t trustees, uint32_t threshold,
                             const char *const *commits, size_t commit_count,
                             const char *const *reveals, size_t reveal_count,
                             const char *const *results, size_t result_count)
{
	transcript *tr = NULL;
	tv_point K;
	uint32_t l;
	tv_status status;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (ctx == NULL || out == NULL || fingerprint == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ceremony_verify: NULL argument");
	if ((status = check_sizes(ctx, trustees, threshold)) != TV_OK)
		return status;
	tr = tv__calloc(ctx, 1, sizeof(*tr));
	if (tr == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a transcript");
	memcpy(tr->p.fingerprint, fingerprint, FPB);
	tr->p.n = trustees;
	tr->p.k = threshold;
	/* SPEC §12.5: every message well-formed before any proof is checked */
	if ((status = parse_set(ctx, tr, KIND_COMMIT, commits, commit_count,
	                        TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = parse_set(ctx, tr, KIND_REVEAL, reveals, reveal_count,
	                        TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = parse_set(ctx, tr, KIND_RESULT, results, result_count,
	                        TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = check_commits(ctx, tr)) != TV_OK ||
	    (status = check_reveals(ctx, tr)) != TV_OK ||
	    (status = election_key(ctx, &K, tr)) != TV_OK ||
	    (status = check_results(ctx, tr, &K)) != TV_OK)
		goto out;
	out->key = K;
	out->trustees = trustees;
	out->threshold = threshold;
	for (l = 0; l < trustees; l++)
		out->verification_key[l] = tr->result[l].verification_key;
out:
	tv__free(ctx, tr);
	return status;
}

tv_status tv_ceremony_check_complaint(tv_ctx *ctx, uint32_t *guilty,
                                      const uint8_t fingerprint[TV_CEREMONY_FINGERPRINT_BYTES],
                                      uint32_t trustees, uint32_t threshold,
                                      const char *complaint,
                                      const char *const *commits, size_t commit_count,
                                      const char *const *reveals, size_t reveal_count)
{
	transcript *tr = NULL;
	complaint_msg *cm = NULL;
	BIGNUM *s = tv__bn_secret_new();
	uint32_t found = 0;
	tv_point g;
	size_t m;
	reader r;
	tv_status status;

	if (guilty != NULL)
		*guilty = 0;
	if (ctx == NULL || fingerprint == NULL || complaint == NULL) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                  "tv_ceremony_check_complaint: NULL argument");
		goto out;
	}
	if ((status = check_sizes(ctx, trustees, threshold)) != TV_OK)
		goto out;
	tr = tv__calloc(ctx, 1, sizeof(*tr));
	cm = tv__calloc(ctx, 1, sizeof(*cm));
	if (tr == NULL || cm == NULL || s == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a transcript");
		goto out;
	}
	memcpy(tr->p.fingerprint, fingerprint, FPB);
	tr->p.n = trustees;
	tr->p.k = threshold;
	reader_init(&r, ctx, "complaint", 0, 0);
	if ((status = parse_set(ctx, tr, KIND_COMMIT, commits, commit_count,
	                        TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = parse_set(ctx, tr, KIND_REVEAL, reveals, reveal_count,
	                        TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = parse_complaint(&r, cm, &tr->p, complaint)) != TV_OK ||
	    (status = check_commits(ctx, tr)) != TV_OK ||
	    (status = check_reveals(ctx, tr)) != TV_OK)
		goto out;
	tv_point_generator(&g);
	for (m = 0; m < cm->count; m++) {
		const accusation *a = &cm->item[m];
		const reveal_msg *sender = &tr->reveal[a->accused - 1];
		uint32_t l = cm->accuser;
		proof_context pc;
		char field[48];

		/* S = t_l·E, proven against trustee l's transport key */
		snprintf(field, sizeof(field), "accusations[%zu]", m);
		context_complaint(&pc, &tr->p, l, a->accused);
		status = tv_cp_verify(ctx, &a->proof, &g, &tr->commit[l - 1].transport_key,
		                      &sender->share[l - 1].ephemeral, &a->shared_secret,
		                      pc.bytes, pc.len);
		if (tv_status_is_rejection(status)) {
			char detail[TV_ERROR_MAX];

			snprintf(detail, sizeof(detail), "%s", tv_ctx_last_error(ctx));
			status = rfail(&r, field,
			               "the complaint against trustee %u is false: the proof of "
			               "the shared secret does not verify (%s)",
			               a->accused, detail);
			goto out;
		}
		if (status != TV_OK)
			goto out;
		status = share_open(ctx, s, &tr->p, sender, l, &a->shared_secret);
		if (status == TV_OK) {
			status = rfail(&r, field,
			               "the complaint against trustee %u is false: the share it "
			               "sent matches its commitments",
			               a->accused);
			goto out;
		}
		if (status != TV_ERR_PROOF_INVALID)
			goto out;
		status = TV_OK;
		found |= UINT32_C(1) << (a->accused - 1);
	}
	if (guilty != NULL)
		*guilty = found;
out:
	BN_clear_free(s);
	tv__free(ctx, tr);
	tv__free(ctx, cm);
	return status;
}

tv_status tv_ceremony_lagrange(tv_ctx *ctx, tv_scalar *out, uint32_t index,
                               const uint32_t *indices, size_t count)
{
	BIGNUM *num = BN_new(), *den = BN_new(), *term = BN_new();
	bool seen[MAXT] = { false }, member = false;
	size_t m;
	tv_status status = TV_OK;

	if (ctx == NULL || out == NULL || indices == NULL) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ceremony_lagrange: NULL argument");
		goto out;
	}
	if (count < 1 || count > MAXT) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                  "a set of %zu trustees is not from 1 to %d", count, MAXT);
		goto out;
	}
	for (m = 0; m < count; m++) {
		if (indices[m] < 1 || indices[m] > MAXT) {
			status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
			                  "trustee number %u is not from 1 to %d", indices[m], MAXT);
			goto out;
		}
		if (seen[indices[m] - 1]) {
			status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
			                  "trustee %u is in the set twice", indices[m]);
			goto out;
		}
		seen[indices[m] - 1] = true;
		member = member || indices[m] == index;
	}
	if (!member) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                  "trustee %u is not in the set", index);
		goto out;
	}
	if (num == NULL || den == NULL || term == NULL || !BN_one(num) || !BN_one(den)) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	/* λ = Π m / (m − index) over the others, mod n */
	for (m = 0; m < count; m++) {
		uint32_t o = indices[m];

		if (o == index)
			continue;
		if (!BN_set_word(term, o) || !BN_mod_mul(num, num, term, ctx->order, ctx->bn) ||
		    !BN_set_word(term, o > index ? o - index : index - o) ||
		    (o < index && !BN_sub(term, ctx->order, term)) ||
		    !BN_mod_mul(den, den, term, ctx->order, ctx->bn)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
			goto out;
		}
	}
	if (BN_mod_inverse(den, den, ctx->order, ctx->bn) == NULL ||
	    !BN_mod_mul(num, num, den, ctx->order, ctx->bn)) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "scalar arithmetic failed");
		goto out;
	}
	status = tv__bn_to_scalar(ctx, out, num);
out:
	BN_free(num);
	BN_free(den);
	BN_free(term);
	return status;
}
