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

void tv__ceremony_reader_init(tv__jr *r, tv_ctx *ctx, const char *kind,
                              size_t position, size_t count)
{
	if (count == 0)
		tv__jr_init(r, ctx, TV_ERR_CEREMONY_INVALID, "%s message", kind);
	else
		tv__jr_init(r, ctx, TV_ERR_CEREMONY_INVALID, "%s message %zu of %zu", kind,
		            position, count);
}

void tv__ceremony_reader_trustee(tv__jr *r, tv_ctx *ctx, const char *kind, uint32_t index)
{
	tv__jr_init(r, ctx, TV_ERR_CEREMONY_INVALID, "trustee %u's %s message", index, kind);
}

/* SPEC §12.5.0 step 1: at most 65536 bytes of JSON, an object */
static json_t *load(tv__jr *r, tv_status *status, const char *text)
{
	json_t *root;

	if (text == NULL) {
		*status = tv__fail(r->ctx, TV_ERR_INVALID_ARGUMENT, "%s is NULL", r->what);
		return NULL;
	}
	root = tv__jr_load(r, status, text, strlen(text), TV_CEREMONY_MESSAGE_MAX);
	if (root != NULL && !json_is_object(root)) {
		*status = tv__jr_fail(r, NULL, "must be an object, not %s",
		                      tv__json_type_name(root));
		json_decref(root);
		root = NULL;
	}
	return root;
}

/* {"commitment": point, "response": scalar}: a Schnorr proof or signature */
static tv_status read_pair(tv__jr *r, tv_point *commitment, tv_scalar *response,
                           json_t *obj, const char *key, const char *parent)
{
	static const char *const keys[] = { "commitment", "response" };
	char path[TV_JR_PATH_BYTES];
	json_t *o;
	tv_status status;

	tv__jr_path(path, parent, key);
	if ((status = tv__jr_object(r, &o, obj, key, parent, keys, 2, 0)) != TV_OK ||
	    (status = tv__jr_point(r, commitment, o, "commitment", path)) != TV_OK)
		return status;
	return tv__jr_scalar(r, response, o, "response", path);
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
static tv_status parse_header(tv__jr *r, json_t *root, tv__ceremony_kind kd, const params *p,
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
	int64_t n, k;
	uint64_t i;
	json_t *v;
	tv_status status;

	/* name the message after its trustee as soon as that can be read */
	v = json_object_get(root, "trustee");
	if (json_is_integer(v) && json_integer_value(v) >= 1 &&
	    json_integer_value(v) <= (json_int_t)p->n)
		tv__ceremony_reader_trustee(r, r->ctx, kind_name[kd],
		                            (uint32_t)json_integer_value(v));

	if ((status = tv__jr_format(r, root, NULL, kind_format[kd])) != TV_OK ||
	    (status = tv__jr_keys(r, root, NULL, allowed[kd].keys, allowed[kd].count,
	                          0)) != TV_OK ||
	    (status = tv__jr_hex(r, fingerprint, FPB, root, "election", NULL)) != TV_OK)
		return status;
	if (memcmp(fingerprint, p->fingerprint, FPB) != 0)
		return tv__jr_fail(r, "election", "is another election's fingerprint");
	if ((status = tv__jr_int(r, &n, root, "trustees", NULL, INT64_MIN, INT64_MAX)) != TV_OK)
		return status;
	if (n != (int64_t)p->n)
		return tv__jr_fail(r, "trustees", "must be %u, the number of trustees", p->n);
	if ((status = tv__jr_int(r, &k, root, "threshold", NULL, INT64_MIN, INT64_MAX)) != TV_OK)
		return status;
	if (k != (int64_t)p->k)
		return tv__jr_fail(r, "threshold", "must be %u, the threshold", p->k);
	if ((status = tv__jr_uint(r, &i, root, "trustee", NULL, 1, p->n)) != TV_OK)
		return status;
	*index = (uint32_t)i;
	return TV_OK;
}

/* SPEC §12.4.1 */
static tv_status parse_commit(tv__jr *r, commit_msg *c, const params *p,
                              const char *text)
{
	json_t *root;
	tv_status status;

	memset(c, 0, sizeof(*c));
	if ((root = load(r, &status, text)) == NULL)
		return status;
	if ((status = parse_header(r, root, KIND_COMMIT, p, &c->index)) != TV_OK ||
	    (status = tv__jr_point(r, &c->transport_key, root, "transport_key", NULL)) != TV_OK ||
	    (status = read_pair(r, &c->transport_proof.commitment, &c->transport_proof.response,
	                        root, "transport_proof", NULL)) != TV_OK ||
	    (status = tv__jr_point(r, &c->signing_key, root, "signing_key", NULL)) != TV_OK ||
	    (status = tv__jr_hex(r, c->commitment_hash, TV_HASH_BYTES, root, "commitment_hash",
	                         NULL)) != TV_OK ||
	    (status = read_pair(r, &c->signature.commitment, &c->signature.response, root,
	                        "signature", NULL)) != TV_OK)
		goto out;
	status = tv__ceremony_commit_digest(r->ctx, c, p);
out:
	json_decref(root);
	return status;
}

/* SPEC §12.4.2 */
static tv_status parse_reveal(tv__jr *r, reveal_msg *rv, const params *p,
                              const char *text)
{
	static const char *const coefficient_keys[] = { "commitment", "proof" };
	static const char *const share_keys[] = { "recipient", "ephemeral", "ciphertext" };
	json_t *root, *array, *item;
	char path[TV_JR_PATH_BYTES], sub[TV_JR_PATH_BYTES];
	uint32_t j, expected;
	uint64_t l;
	size_t m;
	tv_status status;

	memset(rv, 0, sizeof(*rv));
	if ((root = load(r, &status, text)) == NULL)
		return status;
	if ((status = parse_header(r, root, KIND_REVEAL, p, &rv->index)) != TV_OK ||
	    (status = tv__jr_hex(r, rv->commits, TV_HASH_BYTES, root, "commits", NULL)) != TV_OK ||
	    (status = tv__jr_array(r, &array, root, "coefficients", NULL, p->k, p->k)) != TV_OK)
		goto out;
	for (j = 0; j < p->k; j++) {
		tv__jr_item(path, "coefficients", j);
		if ((status = tv__jr_object(r, &item, json_array_get(array, j), NULL, path,
		                            coefficient_keys, 2, 0)) != TV_OK ||
		    (status = tv__jr_point(r, &rv->coefficient[j], item, "commitment",
		                           path)) != TV_OK ||
		    (status = read_pair(r, &rv->proof[j].commitment, &rv->proof[j].response, item,
		                        "proof", path)) != TV_OK)
			goto out;
	}
	if ((status = tv__jr_array(r, &array, root, "shares", NULL, p->n - 1, p->n - 1)) != TV_OK)
		goto out;
	/* one share per other trustee, in increasing order of recipient */
	for (m = 0, expected = 1; m < p->n - 1; m++, expected++) {
		if (expected == rv->index)
			expected++;
		tv__jr_item(path, "shares", m);
		if ((status = tv__jr_object(r, &item, json_array_get(array, m), NULL, path,
		                            share_keys, 3, 0)) != TV_OK ||
		    (status = tv__jr_uint(r, &l, item, "recipient", path, 1, p->n)) != TV_OK)
			goto out;
		if (l != expected) {
			status = tv__jr_fail(r, tv__jr_path(sub, path, "recipient"),
			                     "is %u, not %u (one share for each other trustee, in order)",
			                     (uint32_t)l, expected);
			goto out;
		}
		if ((status = tv__jr_point(r, &rv->share[l - 1].ephemeral, item, "ephemeral",
		                           path)) != TV_OK ||
		    (status = tv__jr_hex(r, rv->share[l - 1].ciphertext, TV_SCALAR_BYTES, item,
		                         "ciphertext", path)) != TV_OK)
			goto out;
	}
	if ((status = read_pair(r, &rv->signature.commitment, &rv->signature.response, root,
	                        "signature", NULL)) != TV_OK ||
	    (status = tv__ceremony_commitment_hash(r->ctx, rv->commitment_hash, p, rv->index,
	                                           rv->coefficient, rv->proof)) != TV_OK)
		goto out;
	status = tv__ceremony_reveal_digest(r->ctx, rv, p);
out:
	json_decref(root);
	return status;
}

/* SPEC §12.4.3 */
static tv_status parse_result(tv__jr *r, result_msg *res, const params *p,
                              const char *text)
{
	json_t *root;
	tv_status status;

	memset(res, 0, sizeof(*res));
	if ((root = load(r, &status, text)) == NULL)
		return status;
	if ((status = parse_header(r, root, KIND_RESULT, p, &res->index)) != TV_OK ||
	    (status = tv__jr_hex(r, res->transcript, TV_HASH_BYTES, root, "transcript",
	                         NULL)) != TV_OK ||
	    (status = tv__jr_point(r, &res->election_key, root, "election_key", NULL)) != TV_OK ||
	    (status = tv__jr_point(r, &res->verification_key, root, "verification_key",
	                           NULL)) != TV_OK)
		goto out;
	status = read_pair(r, &res->share_proof.commitment, &res->share_proof.response, root,
	                   "share_proof", NULL);
out:
	json_decref(root);
	return status;
}

/* SPEC §12.4.4 */
tv_status tv__ceremony_parse_complaint(tv__jr *r, complaint_msg *cm, const params *p,
                                       const char *text)
{
	static const char *const item_keys[] = { "accused", "shared_secret", "proof" };
	static const char *const proof_keys[] = { "commitment1", "commitment2", "response" };
	json_t *root, *array, *item, *proof;
	char path[TV_JR_PATH_BYTES], sub[TV_JR_PATH_BYTES];
	uint64_t accused;
	size_t m;
	tv_status status;

	memset(cm, 0, sizeof(*cm));
	if ((root = load(r, &status, text)) == NULL)
		return status;
	if ((status = parse_header(r, root, KIND_COMPLAINT, p, &cm->accuser)) != TV_OK)
		goto out;
	if (p->n == 1) {
		status = tv__jr_fail(r, "accusations",
		                     "a ceremony of one trustee has no shares to accuse");
		goto out;
	}
	if ((status = tv__jr_array(r, &array, root, "accusations", NULL, 1, p->n - 1)) != TV_OK)
		goto out;
	cm->count = json_array_size(array);
	for (m = 0; m < cm->count; m++) {
		accusation *a = &cm->item[m];

		tv__jr_item(path, "accusations", m);
		tv__jr_path(sub, path, "accused");
		if ((status = tv__jr_object(r, &item, json_array_get(array, m), NULL, path, item_keys,
		                            3, 0)) != TV_OK ||
		    (status = tv__jr_uint(r, &accused, item, "accused", path, 1, p->n)) != TV_OK)
			goto out;
		a->accused = (uint32_t)accused;
		if (a->accused == cm->accuser) {
			status = tv__jr_fail(r, sub, "a trustee cannot accuse itself");
			goto out;
		}
		if (m > 0 && a->accused <= cm->item[m - 1].accused) {
			status = tv__jr_fail(r, sub,
			                     "accused trustees must be in increasing order, each once");
			goto out;
		}
		tv__jr_path(sub, path, "proof");
		if ((status = tv__jr_point(r, &a->shared_secret, item, "shared_secret",
		                           path)) != TV_OK ||
		    (status = tv__jr_object(r, &proof, item, "proof", path, proof_keys, 3,
		                            0)) != TV_OK ||
		    (status = tv__jr_point(r, &a->proof.commitment1, proof, "commitment1",
		                           sub)) != TV_OK ||
		    (status = tv__jr_point(r, &a->proof.commitment2, proof, "commitment2",
		                           sub)) != TV_OK ||
		    (status = tv__jr_scalar(r, &a->proof.response, proof, "response", sub)) != TV_OK)
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
		tv__jr r;

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
