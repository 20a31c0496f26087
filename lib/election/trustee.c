/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §12.3, §12.6: the trustee of the key ceremony. Its secrets, its
 * steps (commit, reveal, and the complaint of §12.4.4) and its saved
 * secret state.
 */
#include <string.h>

#include <jansson.h>

#include "ceremony_internal.h"

/* ---- the trustee ---- */

/* constant time in the bytes (secrets among them); the answer is revealed */
static bool bytes_are_zero(const uint8_t *b, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= b[i];
	return tv__ct_reveal(tv__ct_eq_u32(acc, 0));
}

bool tv__ceremony_scalar_is_zero(const tv_scalar *s)
{
	return bytes_are_zero(s->bytes, TV_SCALAR_BYTES);
}

tv_status tv__ceremony_check_sizes(tv_ctx *ctx, uint32_t trustees, uint32_t threshold)
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
	return tv__ceremony_commit_digest(ctx, c, &t->p);
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
	if ((status = tv__ceremony_check_sizes(ctx, trustees, threshold)) != TV_OK)
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
		tv__ceremony_context_coefficient(&pc, &t->p, index, j);
		if ((status = tv_schnorr_prove(ctx, &t->coefficient_proof[j],
		                               &t->commitment[j], &t->coefficient[j],
		                               pc.bytes, pc.len)) != TV_OK)
			goto out;
	}
	tv__ceremony_context_transport(&pc, &t->p, index);
	if ((status = tv_schnorr_prove(ctx, &t->transport_proof, &t->transport_key,
	                               &t->transport_secret, pc.bytes, pc.len)) != TV_OK ||
	    (status = tv_point_base_mul(ctx, &t->signing_key, &t->signing_secret)) != TV_OK)
		goto out;
	status = tv__ceremony_commitment_hash(ctx, t->commitment_hash, &t->p, index, t->commitment,
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
	root = tv__ceremony_header_object(KIND_COMMIT, &trustee->p, trustee->index);
	if (root != NULL &&
	    (!tv__ceremony_set(root, "transport_key", tv__ceremony_hex_string(c.transport_key.bytes, TV_POINT_BYTES)) ||
	     !tv__ceremony_set(root, "transport_proof", tv__ceremony_pair_object(&c.transport_proof.commitment,
	                                                                         &c.transport_proof.response)) ||
	     !tv__ceremony_set(root, "signing_key", tv__ceremony_hex_string(c.signing_key.bytes, TV_POINT_BYTES)) ||
	     !tv__ceremony_set(root, "commitment_hash", tv__ceremony_hex_string(c.commitment_hash, TV_HASH_BYTES)) ||
	     !tv__ceremony_set(root, "signature", tv__ceremony_pair_object(&c.signature.commitment,
	                                                                   &c.signature.response)))) {
		json_decref(root);
		root = NULL;
	}
	return tv__ceremony_emit(ctx, out, root);
}

static json_t *reveal_object(const tv_trustee *t, const reveal_msg *rv)
{
	json_t *root = tv__ceremony_header_object(KIND_REVEAL, &t->p, t->index);
	json_t *coefficients = json_array(), *shares = json_array();
	bool ok = root != NULL && coefficients != NULL && shares != NULL;
	uint32_t j, l;

	for (j = 0; ok && j < t->p.k; j++) {
		json_t *item = json_object();

		ok = item != NULL &&
		     tv__ceremony_set(item, "commitment", tv__ceremony_hex_string(rv->coefficient[j].bytes, TV_POINT_BYTES)) &&
		     tv__ceremony_set(item, "proof", tv__ceremony_pair_object(&rv->proof[j].commitment,
		                                                              &rv->proof[j].response));
		ok = json_array_append_new(coefficients, item) == 0 && ok;
	}
	for (l = 1; ok && l <= t->p.n; l++) {
		json_t *item;

		if (l == t->index)
			continue;
		item = json_object();
		ok = item != NULL && tv__ceremony_set(item, "recipient", json_integer(l)) &&
		     tv__ceremony_set(item, "ephemeral", tv__ceremony_hex_string(rv->share[l - 1].ephemeral.bytes,
		                                                                 TV_POINT_BYTES)) &&
		     tv__ceremony_set(item, "ciphertext", tv__ceremony_hex_string(rv->share[l - 1].ciphertext,
		                                                                  TV_SCALAR_BYTES));
		ok = json_array_append_new(shares, item) == 0 && ok;
	}
	ok = ok && tv__ceremony_set(root, "commits", tv__ceremony_hex_string(rv->commits, TV_HASH_BYTES));
	ok = ok && tv__ceremony_set(root, "coefficients", json_incref(coefficients));
	ok = ok && tv__ceremony_set(root, "shares", json_incref(shares));
	ok = ok && tv__ceremony_set(root, "signature", tv__ceremony_pair_object(&rv->signature.commitment,
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
	if ((status = tv__ceremony_parse_set(ctx, tr, KIND_COMMIT, commits, count, TV_ERR_STATE)) != TV_OK ||
	    (status = tv__ceremony_check_commits(ctx, tr)) != TV_OK ||
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
		if ((status = tv__ceremony_share_seal(ctx, &rv->share[l - 1], trustee, l,
		                                      &tr->commit[l - 1].transport_key)) != TV_OK)
			goto out;
	}
	if ((status = tv__ceremony_reveal_digest(ctx, rv, &trustee->p)) != TV_OK ||
	    (status = tv_schnorr_sign(ctx, &rv->signature, &trustee->signing_secret,
	                              rv->digest, TV_HASH_BYTES)) != TV_OK ||
	    (status = tv__ceremony_emit(ctx, out, reveal_object(trustee, rv))) != TV_OK)
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

/* SPEC §12.4.4: the complaint of trustee t about every sender in @p bad */
tv_status tv__ceremony_make_complaint(tv_ctx *ctx, char **out, const tv_trustee *t,
                                      const transcript *tr, const bool *bad,
                                      const tv_point *secrets)
{
	json_t *root = tv__ceremony_header_object(KIND_COMPLAINT, &t->p, t->index);
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
		tv__ceremony_context_complaint(&pc, &t->p, t->index, i);
		status = tv_cp_prove(ctx, &proof, &t->transport_secret, &g, &t->transport_key,
		                     &tr->reveal[i - 1].share[t->index - 1].ephemeral,
		                     &secrets[i - 1], pc.bytes, pc.len);
		if (status != TV_OK)
			goto out;
		item = json_object();
		po = json_object();
		ok = item != NULL && po != NULL &&
		     tv__ceremony_set(po, "commitment1", tv__ceremony_hex_string(proof.commitment1.bytes, TV_POINT_BYTES)) &&
		     tv__ceremony_set(po, "commitment2", tv__ceremony_hex_string(proof.commitment2.bytes, TV_POINT_BYTES)) &&
		     tv__ceremony_set(po, "response", tv__ceremony_hex_string(proof.response.bytes, TV_SCALAR_BYTES)) &&
		     tv__ceremony_set(item, "accused", json_integer(i)) &&
		     tv__ceremony_set(item, "shared_secret", tv__ceremony_hex_string(secrets[i - 1].bytes, TV_POINT_BYTES)) &&
		     tv__ceremony_set(item, "proof", json_incref(po));
		json_decref(po);
		ok = json_array_append_new(items, item) == 0 && ok;
	}
	ok = ok && tv__ceremony_set(root, "accusations", json_incref(items));
	if (!ok) {
		json_decref(root);
		root = NULL;
	}
	status = tv__ceremony_emit(ctx, out, root);
	root = NULL;
out:
	json_decref(root);
	json_decref(items);
	return status;
}

/* ---- the secret state (SPEC §12.6) ---- */

#define STATE_MAGIC "TVTS"
#define STATE_VERSION 1
#define STATE_HEADER 56

static uint32_t get_u32(const uint8_t in[4])
{
	return (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 |
	       (uint32_t)in[3];
}

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
	tv__ceremony_put_u32(p, STATE_VERSION), p += 4;
	memcpy(p, trustee->p.fingerprint, FPB), p += FPB;
	tv__ceremony_put_u32(p, trustee->index), p += 4;
	tv__ceremony_put_u32(p, trustee->p.n), p += 4;
	tv__ceremony_put_u32(p, trustee->p.k), p += 4;
	tv__ceremony_put_u32(p, (uint32_t)trustee->stage), p += 4;
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
	if (tv__ceremony_scalar_is_zero(out))
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
	tv__ceremony_context_transport(&pc, &t->p, i);
	if ((status = state_fail(ctx, "transport proof", 120,
	                         tv_schnorr_verify(ctx, &t->transport_proof, &t->transport_key,
	                                           pc.bytes, pc.len))) != TV_OK)
		goto out;
	for (j = 0; j < k; j++) {
		if ((status = tv_point_base_mul(ctx, &t->commitment[j], &t->coefficient[j])) != TV_OK)
			goto out;
		tv__ceremony_context_coefficient(&pc, &t->p, i, j);
		snprintf(field, sizeof(field), "proof of coefficient %u", j);
		if ((status = state_fail(ctx, field, STATE_HEADER + 161 + 129 * (size_t)j + 32,
		                         tv_schnorr_verify(ctx, &t->coefficient_proof[j],
		                                           &t->commitment[j], pc.bytes,
		                                           pc.len))) != TV_OK)
			goto out;
	}
	status = tv__ceremony_commitment_hash(ctx, t->commitment_hash, &t->p, i, t->commitment,
	                                      t->coefficient_proof);
out:
	if (status != TV_OK) {
		tv_trustee_free(t);
		return status;
	}
	*out = t;
	return TV_OK;
}

const uint8_t *tv__trustee_context(const tv_trustee *trustee)
{
	return trustee->p.fingerprint;
}

void tv_trustee_fingerprint(uint8_t out[TV_CEREMONY_FINGERPRINT_BYTES], const tv_trustee *trustee)
{
	memcpy(out, trustee->p.fingerprint, TV_CEREMONY_FINGERPRINT_BYTES);
}
