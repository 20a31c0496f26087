/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §12.4: the key ceremony's messages. Reading one from untrusted JSON,
 * field by field (§12.5.0), and a set of them by trustee (§12.5.1); writing
 * one as JSON text.
 */
#include <string.h>

#include <jansson.h>

#include "ceremony_internal.h"

/* ---- reading untrusted messages ---- */

void tv__ceremony_reader_init(reader *r, tv_ctx *ctx, const char *kind,
                              size_t position, size_t count)
{
	r->ctx = ctx;
	if (count == 0)
		snprintf(r->who, sizeof(r->who), "%s message", kind);
	else
		snprintf(r->who, sizeof(r->who), "%s message %zu of %zu", kind,
		         position, count);
}

void tv__ceremony_reader_trustee(reader *r, const char *kind, uint32_t index)
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

tv_status tv__ceremony_rfail(reader *r, const char *field, const char *fmt, ...)
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
tv_status tv__ceremony_rlower(reader *r, const char *field, tv_status status)
{
	char detail[TV_ERROR_MAX];

	if (!tv_status_is_rejection(status))
		return status;
	snprintf(detail, sizeof(detail), "%s", tv_ctx_last_error(r->ctx));
	return tv__ceremony_rfail(r, field, "%s", detail);
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
		return tv__ceremony_rfail(r, NULL, "longer than %d bytes", TV_CEREMONY_MESSAGE_MAX);
	*out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (*out == NULL) {
		if (json_error_code(&err) == json_error_out_of_memory)
			return tv__fail(r->ctx, TV_ERR_NOMEM, "%s: out of memory parsing JSON",
			                r->who);
		printable(why, sizeof(why), err.text);
		return tv__ceremony_rfail(r, NULL, "not valid JSON: %s (line %d, column %d)", why,
		                          err.line, err.column);
	}
	if (!json_is_object(*out))
		return tv__ceremony_rfail(r, NULL, "not a JSON object");
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
			return tv__ceremony_rfail(r, path, "unknown field \"%s\"", name);
		}
	}
	return TV_OK;
}

static tv_status get_member(reader *r, json_t **out, json_t *obj,
                            const char *key, const char *path)
{
	*out = json_object_get(obj, key);
	if (*out == NULL)
		return tv__ceremony_rfail(r, path, "is missing");
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
		return tv__ceremony_rfail(r, path, "must be an object");
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
		return tv__ceremony_rfail(r, path, "must be a string");
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
	return tv__ceremony_rlower(r, path, tv_point_from_hex(r->ctx, out, s, len));
}

static tv_status get_scalar(reader *r, tv_scalar *out, json_t *obj,
                            const char *key, const char *path)
{
	const char *s;
	size_t len;
	tv_status status = get_string(r, &s, &len, obj, key, path);

	if (status != TV_OK)
		return status;
	return tv__ceremony_rlower(r, path, tv_scalar_from_hex(r->ctx, out, s, len));
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
	return tv__ceremony_rlower(r, path, tv__hex_decode(r->ctx, out, 32, s, len, "hex"));
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
		return tv__ceremony_rfail(r, path, "must be an integer");
	value = json_integer_value(v);
	if (value < 1 || value > (json_int_t)max)
		return tv__ceremony_rfail(r, path, "is %lld, not from 1 to %u", (long long)value, max);
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
		return tv__ceremony_rfail(r, path, "must be an array");
	size = json_array_size(*out);
	if (size < min || size > max) {
		if (min == max)
			return tv__ceremony_rfail(r, path, "has %zu entries, not %zu", size, min);
		return tv__ceremony_rfail(r, path, "has %zu entries, not from %zu to %zu", size, min, max);
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
static tv_status parse_header(reader *r, json_t *root, tv__ceremony_kind kd, const params *p,
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
		tv__ceremony_reader_trustee(r, kind_name[kd], (uint32_t)json_integer_value(v));

	if ((status = get_string(r, &s, &len, root, "format", "format")) != TV_OK)
		return status;
	if (len != strlen(kind_format[kd]) || memcmp(s, kind_format[kd], len) != 0)
		return tv__ceremony_rfail(r, "format", "is not \"%s\"", kind_format[kd]);
	if ((status = check_keys(r, root, NULL, allowed[kd].keys, allowed[kd].count)) != TV_OK ||
	    (status = get_bytes32(r, fingerprint, root, "election", "election")) != TV_OK)
		return status;
	if (memcmp(fingerprint, p->fingerprint, FPB) != 0)
		return tv__ceremony_rfail(r, "election", "is another election's fingerprint");
	if ((status = get_member(r, &v, root, "trustees", "trustees")) != TV_OK)
		return status;
	if (!json_is_integer(v) || json_integer_value(v) != (json_int_t)p->n)
		return tv__ceremony_rfail(r, "trustees", "must be %u, the number of trustees", p->n);
	if ((status = get_member(r, &v, root, "threshold", "threshold")) != TV_OK)
		return status;
	if (!json_is_integer(v) || json_integer_value(v) != (json_int_t)p->k)
		return tv__ceremony_rfail(r, "threshold", "must be %u, the threshold", p->k);
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
	status = tv__ceremony_commit_digest(r->ctx, c, p);
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
			status = tv__ceremony_rfail(r, path, "must be an object");
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
			status = tv__ceremony_rfail(r, path, "must be an object");
			goto out;
		}
		snprintf(sub, sizeof(sub), "%s.recipient", path);
		if ((status = check_keys(r, item, path, share_keys, 3)) != TV_OK ||
		    (status = get_index(r, &l, item, "recipient", sub, p->n)) != TV_OK)
			goto out;
		if (l != expected) {
			status = tv__ceremony_rfail(r, sub,
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
	    (status = tv__ceremony_commitment_hash(r->ctx, rv->commitment_hash, p, rv->index,
	                                           rv->coefficient, rv->proof)) != TV_OK)
		goto out;
	status = tv__ceremony_reveal_digest(r->ctx, rv, p);
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
tv_status tv__ceremony_parse_complaint(reader *r, complaint_msg *cm, const params *p,
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
		status = tv__ceremony_rfail(r, "accusations", "a ceremony of one trustee has no shares to accuse");
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
			status = tv__ceremony_rfail(r, path, "must be an object");
			goto out;
		}
		snprintf(sub, sizeof(sub), "%s.accused", path);
		if ((status = check_keys(r, item, path, item_keys, 3)) != TV_OK ||
		    (status = get_index(r, &a->accused, item, "accused", sub, p->n)) != TV_OK)
			goto out;
		if (a->accused == cm->accuser) {
			status = tv__ceremony_rfail(r, sub, "a trustee cannot accuse itself");
			goto out;
		}
		if (m > 0 && a->accused <= cm->item[m - 1].accused) {
			status = tv__ceremony_rfail(r, sub, "accused trustees must be in increasing order, each once");
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
tv_status tv__ceremony_parse_set(tv_ctx *ctx, transcript *t, tv__ceremony_kind kd,
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

		tv__ceremony_reader_init(&r, ctx, kind_name[kd], pos + 1, count);
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

/* ---- writing messages ---- */

json_t *tv__ceremony_hex_string(const uint8_t *bytes, size_t len)
{
	char buf[2 * TV_POINT_BYTES + 1];

	tv__hex_encode(buf, bytes, len);
	return json_string(buf);
}

bool tv__ceremony_set(json_t *obj, const char *key, json_t *value)
{
	return json_object_set_new(obj, key, value) == 0;
}

json_t *tv__ceremony_pair_object(const tv_point *commitment, const tv_scalar *response)
{
	json_t *o = json_object();

	if (o != NULL &&
	    (!tv__ceremony_set(o, "commitment", tv__ceremony_hex_string(commitment->bytes, TV_POINT_BYTES)) ||
	     !tv__ceremony_set(o, "response", tv__ceremony_hex_string(response->bytes, TV_SCALAR_BYTES)))) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* the fields every message starts with, in the order of SPEC §12.4 */
json_t *tv__ceremony_header_object(tv__ceremony_kind kd, const params *p, uint32_t index)
{
	json_t *o = json_object();

	if (o != NULL &&
	    (!tv__ceremony_set(o, "format", json_string(kind_format[kd])) ||
	     !tv__ceremony_set(o, "election", tv__ceremony_hex_string(p->fingerprint, FPB)) ||
	     !tv__ceremony_set(o, "trustee", json_integer(index)) ||
	     !tv__ceremony_set(o, "trustees", json_integer(p->n)) ||
	     !tv__ceremony_set(o, "threshold", json_integer(p->k)))) {
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
tv_status tv__ceremony_emit(tv_ctx *ctx, char **out, json_t *root)
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
