/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.1: ballots.
 *   bit proof of option i:  context = F || pt(X) || u32be(i)      (101 bytes)
 *   total proof:            context = F || pt(X) || "total"       (102 bytes)
 *   digest  D = H("ballot"; F, pt(X), u32be(m), for each option: pt(alpha),
 *               pt(beta), its two branches (pt(a), pt(b), sc(c), sc(v));
 *               u32be(min), u32be(max), the total's branches)
 *   tracking code T = H("ballot-tracking"; D)
 *   signature: Schnorr (§6.1) by the credential over the 32 bytes T,
 *              added only when the tenant casts (tv_ballot_sign)
 * Binding F and X in every proof context stops a proof being moved to
 * another election or re-signed under another credential; binding i stops
 * the votes of two options being swapped with their proofs.
 * A prepared ballot is unsigned, and the tenant sees its tracking code
 * before choosing to cast (sign) or challenge (open) it. Opening never
 * signs, and a signed ballot is never opened (§15.1.5): so no opened
 * ballot carries the tenant's signature, and a box that saw one cannot
 * cast it in the tenant's name.
 */
#include <string.h>

#include <jansson.h>

#include "batch.h"
#include "ballot_internal.h"
#include "fixed_base.h"
#include "json_util.h"
#include "tenantvote/ballot.h"

#define BALLOT_FORMAT "tenantvote-ballot/1"
#define CHALLENGE_FORMAT "tenantvote-challenged-ballot/1"
#define CONTEXT_LEN (32 + TV_POINT_BYTES + 5)

/* what a reader wants of a ballot's signature */
#define SIG_EITHER 0    /* tv_ballot_from_json: a prepared or a signed ballot */
#define SIG_REQUIRED 1  /* a ballot on the board */
#define SIG_FORBIDDEN 2 /* an opened ballot (§15.1.5) */

struct tv_ballot_secrets {
	tv_ctx *ctx;
	uint8_t tracking[32];
	uint32_t choice;
	uint32_t options;
	tv_scalar nonce[TV_MAX_OPTIONS];
};

static size_t option_context(uint8_t *out, const uint8_t *fingerprint,
                             const tv_point *credential, uint32_t i)
{
	memcpy(out, fingerprint, 32);
	memcpy(out + 32, credential->bytes, TV_POINT_BYTES);
	out[97] = (uint8_t)(i >> 24);
	out[98] = (uint8_t)(i >> 16);
	out[99] = (uint8_t)(i >> 8);
	out[100] = (uint8_t)i;
	return 101;
}

static size_t total_context(uint8_t *out, const uint8_t *fingerprint,
                            const tv_point *credential)
{
	memcpy(out, fingerprint, 32);
	memcpy(out + 32, credential->bytes, TV_POINT_BYTES);
	memcpy(out + 97, "total", 5);
	return 102;
}

static void hash_branch(tv__hash *h, const tv_range_branch *b)
{
	tv__hash_point(h, &b->a);
	tv__hash_point(h, &b->b);
	tv__hash_scalar(h, &b->challenge);
	tv__hash_scalar(h, &b->response);
}

/* D and T, from the ballot's content: never from its signature (§15.1.1) */
tv_status tv__ballot_digests(tv_ctx *ctx, tv_ballot *b)
{
	tv__hash h;
	tv_status status;
	uint32_t i, j;

	if ((status = tv__hash_begin(&h, ctx, "ballot")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, b->fingerprint, 32);
	tv__hash_point(&h, &b->credential);
	tv__hash_u32(&h, b->options);
	for (i = 0; i < b->options; i++) {
		tv__hash_point(&h, &b->vote[i].alpha);
		tv__hash_point(&h, &b->vote[i].beta);
		for (j = 0; j < 2; j++)
			hash_branch(&h, &b->bit[i].branch[j]);
	}
	tv__hash_u32(&h, b->min);
	tv__hash_u32(&h, b->max);
	for (j = 0; j <= b->max - b->min; j++)
		hash_branch(&h, &b->total[j]);
	if ((status = tv__hash_final(&h, b->digest)) != TV_OK)
		return status;
	if ((status = tv__hash_begin(&h, ctx, "ballot-tracking")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, b->digest, 32);
	return tv__hash_final(&h, b->tracking);
}

static void total_range(const tv_manifest *m, uint32_t *min, uint32_t *max)
{
	*min = tv_manifest_allow_blank(m) ? 0 : 1;
	*max = 1;
}

/*
 * The unsigned ballot and its secrets; the credential secret in @p x for a
 * caller that signs at once (tv_ballot_encrypt), which wipes it.
 */
static tv_status prepare(tv_ctx *ctx, tv_ballot **out, tv_ballot_secrets **secrets, tv_scalar *x,
                         const tv_manifest *manifest, const tv_point *election_key,
                         const tv__fixed_base *fb, const char *code, size_t code_len,
                         uint32_t choice, const char *fn)
{
	tv_ballot *b = NULL;
	tv_ballot_secrets *s = NULL;
	tv_scalar total_nonce;
	uint8_t context[CONTEXT_LEN];
	tv_ciphertext total;
	tv_status status;
	uint32_t i;

	memset(&total_nonce, 0, sizeof(total_nonce));
	if (out != NULL)
		*out = NULL;
	if (secrets != NULL)
		*secrets = NULL;
	if (ctx == NULL || out == NULL || manifest == NULL || election_key == NULL || code == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "%s: NULL argument", fn);
	/* the choice is secret: only whether it is allowed is revealed (an error) */
	if (!tv__ct_reveal(tv__ct_le_u32(choice, (uint32_t)tv_manifest_option_count(manifest))))
		return tv__fail(ctx, TV_ERR_RANGE_INVALID, "there is no option %u (options are 1 to %zu)",
		                choice, tv_manifest_option_count(manifest));
	if (tv__ct_reveal(tv__ct_eq_u32(choice, TV_BALLOT_BLANK) &
	                  (tv_manifest_allow_blank(manifest) ? 0 : ~UINT64_C(0))))
		return tv__fail(ctx, TV_ERR_RANGE_INVALID,
		                "this ballot does not allow blank votes: choose an option");
	b = tv__ballot_alloc(ctx, (uint32_t)tv_manifest_option_count(manifest));
	s = tv__calloc(ctx, 1, sizeof(*s));
	if (b == NULL || s == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a ballot");
		goto out;
	}
	s->ctx = ctx;
	tv_manifest_fingerprint(b->fingerprint, manifest);
	total_range(manifest, &b->min, &b->max);
	s->choice = choice;
	s->options = b->options;
	if ((status = tv_credential_derive(ctx, x, &b->credential, code, code_len,
	                                   b->fingerprint)) != TV_OK)
		goto out;
	for (i = 0; i < b->options; i++) {
		uint32_t v = (uint32_t)(tv__ct_eq_u32(choice, i + 1) & 1);

		option_context(context, b->fingerprint, &b->credential, i + 1);
		/* with the key's table when the caller has one: r·K as fast as r·G */
		status = fb != NULL ? tv__elgamal_encrypt_fixed(ctx, &b->vote[i], &s->nonce[i], fb, v)
		                    : tv_elgamal_encrypt(ctx, &b->vote[i], &s->nonce[i], election_key, v);
		/* the bit proof with the key's table too: the test ct-valgrind runs
		 * this path with the choice and the nonces secret */
		if (status != TV_OK ||
		    (status = tv__range_prove_in(ctx, b->bit[i].branch, 2, &b->vote[i], election_key,
		                                 fb, 0, 1, v, &s->nonce[i], context, 101)) != TV_OK)
			goto out;
	}
	total = b->vote[0];
	total_nonce = s->nonce[0];
	for (i = 1; i < b->options; i++)
		if ((status = tv_ciphertext_add(ctx, &total, &total, &b->vote[i])) != TV_OK ||
		    (status = tv_scalar_add(ctx, &total_nonce, &total_nonce, &s->nonce[i])) != TV_OK)
			goto out;
	total_context(context, b->fingerprint, &b->credential);
	if ((status = tv__range_prove_in(ctx, b->total, TV__TOTAL_BRANCHES, &total, election_key,
	                                 fb, b->min, b->max,
	                                 (uint32_t)(~tv__ct_eq_u32(choice, TV_BALLOT_BLANK) & 1),
	                                 &total_nonce, context, 102)) != TV_OK ||
	    (status = tv__ballot_digests(ctx, b)) != TV_OK)
		goto out;
	memcpy(s->tracking, b->tracking, 32);
	*out = b;
	b = NULL;
	if (secrets != NULL) {
		*secrets = s;
		s = NULL;
	}
out:
	tv_scalar_wipe(&total_nonce);
	if (b != NULL) {
		b->ctx = ctx;
		tv_ballot_free(b);
	}
	if (s != NULL) {
		s->ctx = ctx;
		tv_ballot_secrets_free(s);
	}
	return status;
}

/*
 * The unsigned ballot for @p credential and @p choice with the given
 * nonces, its proofs drawn fresh: a paper's ballot (SPEC §15.8.1), made by
 * the credential authority, which holds no credential secret. The choice
 * is the paper's secret: it is handled as prepare() handles it.
 */
tv_status tv__ballot_with_nonces(tv_ctx *ctx, tv_ballot **out, const tv_manifest *manifest,
                                 const tv_point *election_key, const tv_point *credential,
                                 uint32_t choice, const tv_scalar *nonce)
{
	uint8_t context[CONTEXT_LEN];
	tv_ciphertext total;
	tv_scalar total_nonce;
	tv_ballot *b;
	tv_status status;
	uint32_t i;

	*out = NULL;
	if ((b = tv__ballot_alloc(ctx, (uint32_t)tv_manifest_option_count(manifest))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a ballot");
	tv_manifest_fingerprint(b->fingerprint, manifest);
	total_range(manifest, &b->min, &b->max);
	b->credential = *credential;
	memset(&total_nonce, 0, sizeof(total_nonce));
	for (i = 0; i < b->options; i++) {
		uint32_t v = (uint32_t)(tv__ct_eq_u32(choice, i + 1) & 1);

		option_context(context, b->fingerprint, &b->credential, i + 1);
		if ((status = tv_elgamal_encrypt_with_nonce(ctx, &b->vote[i], election_key, v,
		                                            &nonce[i])) != TV_OK ||
		    (status = tv__range_prove_in(ctx, b->bit[i].branch, 2, &b->vote[i], election_key,
		                                 NULL, 0, 1, v, &nonce[i], context, 101)) != TV_OK)
			goto out;
	}
	total = b->vote[0];
	total_nonce = nonce[0];
	for (i = 1; i < b->options; i++)
		if ((status = tv_ciphertext_add(ctx, &total, &total, &b->vote[i])) != TV_OK ||
		    (status = tv_scalar_add(ctx, &total_nonce, &total_nonce, &nonce[i])) != TV_OK)
			goto out;
	total_context(context, b->fingerprint, &b->credential);
	if ((status = tv__range_prove_in(ctx, b->total, TV__TOTAL_BRANCHES, &total, election_key,
	                                 NULL, b->min, b->max,
	                                 (uint32_t)(~tv__ct_eq_u32(choice, TV_BALLOT_BLANK) & 1),
	                                 &total_nonce, context, 102)) != TV_OK ||
	    (status = tv__ballot_digests(ctx, b)) != TV_OK)
		goto out;
	*out = b;
	b = NULL;
out:
	tv_scalar_wipe(&total_nonce);
	tv_ballot_free(b);
	return status;
}

static tv_status verify_content(tv_ctx *ctx, const tv_ballot *ballot,
                                const tv_manifest *manifest, const tv_point *election_key);

/* §15.1.3 but its step 3, for an unsigned ballot: a paper's (§15.8.4) */
tv_status tv__ballot_verify_unsigned(tv_ctx *ctx, const tv_ballot *ballot,
                                     const tv_manifest *manifest, const tv_point *election_key)
{
	return verify_content(ctx, ballot, manifest, election_key);
}

/* sign T with the credential secret: the one act of casting (§15.1.1) */
static tv_status sign_tracking(tv_ctx *ctx, tv_ballot *b, const tv_scalar *x)
{
	tv_status status;

	if ((status = tv_schnorr_sign(ctx, &b->signature, x, b->tracking, 32)) != TV_OK)
		return status;
	b->is_signed = 1;
	return TV_OK;
}

tv_status tv_ballot_prepare(tv_ctx *ctx, tv_ballot **out, tv_ballot_secrets **secrets,
                            const tv_manifest *manifest, const tv_point *election_key,
                            const char *code, size_t code_len, uint32_t choice)
{
	tv_scalar x;
	tv_status status;

	memset(&x, 0, sizeof(x));
	status = prepare(ctx, out, secrets, &x, manifest, election_key, NULL, code, code_len, choice,
	                 "tv_ballot_prepare");
	tv_scalar_wipe(&x);
	return status;
}

/* tv_ballot_encrypt, with the election key's table when @p fb is not NULL */
static tv_status encrypt_signed(tv_ctx *ctx, tv_ballot **out, tv_ballot_secrets **secrets,
                                const tv_manifest *manifest, const tv_point *election_key,
                                const tv__fixed_base *fb, const char *code, size_t code_len,
                                uint32_t choice)
{
	tv_scalar x;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (secrets != NULL) {
		*secrets = NULL;
		/* a signed ballot can never be opened: no secrets to open it with */
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_ballot_encrypt signs the ballot, and a signed ballot can never be "
		                "challenged: use tv_ballot_prepare to keep the secrets");
	}
	memset(&x, 0, sizeof(x));
	if ((status = prepare(ctx, out, NULL, &x, manifest, election_key, fb, code, code_len, choice,
	                      "tv_ballot_encrypt")) == TV_OK &&
	    (status = sign_tracking(ctx, *out, &x)) != TV_OK) {
		tv_ballot_free(*out);
		*out = NULL;
	}
	tv_scalar_wipe(&x);
	return status;
}

tv_status tv_ballot_encrypt(tv_ctx *ctx, tv_ballot **out, tv_ballot_secrets **secrets,
                            const tv_manifest *manifest, const tv_point *election_key,
                            const char *code, size_t code_len, uint32_t choice)
{
	return encrypt_signed(ctx, out, secrets, manifest, election_key, NULL, code, code_len,
	                      choice);
}

tv_status tv__ballot_encrypt_fixed(tv_ctx *ctx, tv_ballot **out, const tv_manifest *manifest,
                                   const tv__fixed_base *fb, const char *code, size_t code_len,
                                   uint32_t choice)
{
	if (fb == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv__ballot_encrypt_fixed: NULL table");
	return encrypt_signed(ctx, out, NULL, manifest, tv__fixed_base_point(fb), fb, code,
	                      code_len, choice);
}

tv_status tv_ballot_sign(tv_ctx *ctx, tv_ballot *ballot, const char *code, size_t code_len)
{
	tv_scalar x;
	tv_point X;
	tv_status status;

	if (ctx == NULL || ballot == NULL || code == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ballot_sign: NULL argument");
	/* SPEC §15.1.5: an opened ballot is never cast */
	if (ballot->challenged)
		return tv__fail(ctx, TV_ERR_STATE,
		                "this ballot was challenged (opened): it can never be signed or cast");
	if (ballot->is_signed)
		return tv__fail(ctx, TV_ERR_STATE, "this ballot is signed already");
	memset(&x, 0, sizeof(x));
	if ((status = tv_credential_derive(ctx, &x, &X, code, code_len, ballot->fingerprint)) == TV_OK) {
		if (memcmp(X.bytes, ballot->credential.bytes, TV_POINT_BYTES) != 0)
			status = tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID,
			                  "this code is not the credential the ballot was prepared for");
		else
			status = sign_tracking(ctx, ballot, &x);
	}
	tv_scalar_wipe(&x);
	return status;
}

/* §15.1.3 checks 1, 2, 4 and 5: everything but the signature */
static tv_status verify_content(tv_ctx *ctx, const tv_ballot *ballot, const tv_manifest *manifest,
                                const tv_point *election_key)
{
	uint8_t f[32], context[CONTEXT_LEN];
	tv_ciphertext total;
	uint32_t i, min, max;
	tv_status status;

	tv_manifest_fingerprint(f, manifest);
	if (memcmp(f, ballot->fingerprint, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION,
		                "the ballot was made for another election (its fingerprint differs)");
	total_range(manifest, &min, &max);
	if (ballot->options != tv_manifest_option_count(manifest))
		return tv__fail(ctx, TV_ERR_ENCODING, "the ballot has %u options, the election %zu",
		                ballot->options, tv_manifest_option_count(manifest));
	if (ballot->min != min || ballot->max != max)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "the ballot's total range %u..%u is not this election's %u..%u",
		                ballot->min, ballot->max, min, max);
	total = ballot->vote[0];
	for (i = 0; i < ballot->options; i++) {
		option_context(context, ballot->fingerprint, &ballot->credential, i + 1);
		status = tv_bit_verify(ctx, &ballot->bit[i], &ballot->vote[i], election_key, context, 101);
		if (status == TV_ERR_PROOF_INVALID)
			return tv__fail(ctx, status, "option %u: the proof that the vote is 0 or 1 fails",
			                i + 1);
		if (status != TV_OK)
			return status;
		if (i > 0 && (status = tv_ciphertext_add(ctx, &total, &total, &ballot->vote[i])) != TV_OK)
			return status;
	}
	total_context(context, ballot->fingerprint, &ballot->credential);
	status = tv__range_verify_in(ctx, ballot->total, TV__TOTAL_BRANCHES, &total, election_key,
	                             min, max, context, 102);
	if (status == TV_ERR_PROOF_INVALID)
		return tv__fail(ctx, status, "the proof that at most one option is chosen fails");
	return status;
}

tv_status tv_ballot_verify(tv_ctx *ctx, const tv_ballot *ballot, const tv_manifest *manifest,
                           const tv_point *election_key)
{
	uint8_t f[32];
	uint32_t min, max;
	tv_ballot copy;
	tv_status status;

	if (ctx == NULL || ballot == NULL || manifest == NULL || election_key == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ballot_verify: NULL argument");
	tv_manifest_fingerprint(f, manifest);
	if (memcmp(f, ballot->fingerprint, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION,
		                "the ballot was made for another election (its fingerprint differs)");
	total_range(manifest, &min, &max);
	if (ballot->options != tv_manifest_option_count(manifest))
		return tv__fail(ctx, TV_ERR_ENCODING, "the ballot has %u options, the election %zu",
		                ballot->options, tv_manifest_option_count(manifest));
	if (ballot->min != min || ballot->max != max)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "the ballot's total range %u..%u is not this election's %u..%u",
		                ballot->min, ballot->max, min, max);
	if (!ballot->is_signed)
		return tv__fail(ctx, TV_ERR_SIGNATURE_INVALID,
		                "the ballot is not signed: only a ballot its tenant signed is cast");
	/* T is recomputed from the content, never trusted from the input */
	copy = *ballot;
	if ((status = tv__ballot_digests(ctx, &copy)) != TV_OK)
		return status;
	if ((status = tv_schnorr_signature_verify(ctx, &ballot->signature, &ballot->credential,
	                                          copy.tracking, 32)) != TV_OK)
		return status;
	return verify_content(ctx, ballot, manifest, election_key);
}

/* ------------------------------------------------------------------ JSON */

static json_t *branches_json(const tv_range_branch *b, uint32_t count)
{
	json_t *arr = json_array();

	for (uint32_t j = 0; arr && j < count; j++)
		json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:o}",
		                                     "a", tv__json_hex(b[j].a.bytes, TV_POINT_BYTES),
		                                     "b", tv__json_hex(b[j].b.bytes, TV_POINT_BYTES),
		                                     "challenge", tv__json_hex(b[j].challenge.bytes, 32),
		                                     "response", tv__json_hex(b[j].response.bytes, 32)));
	return arr;
}

static json_t *ballot_json(const tv_ballot *b)
{
	json_t *sel = json_array(), *root;

	for (uint32_t i = 0; sel && i < b->options; i++)
		json_array_append_new(sel, json_pack("{s:o, s:o, s:o}",
		                                     "alpha", tv__json_hex(b->vote[i].alpha.bytes, TV_POINT_BYTES),
		                                     "beta", tv__json_hex(b->vote[i].beta.bytes, TV_POINT_BYTES),
		                                     "proof", branches_json(b->bit[i].branch, 2)));
	root = json_pack("{s:s, s:o, s:o, s:o, s:{s:i, s:i, s:o}}",
	                 "format", BALLOT_FORMAT,
	                 "election", tv__json_hex(b->fingerprint, 32),
	                 "credential", tv__json_hex(b->credential.bytes, TV_POINT_BYTES),
	                 "selections", sel,
	                 "total", "min", (int)b->min, "max", (int)b->max,
	                 "proof", branches_json(b->total, b->max - b->min + 1));
	/* a prepared (or opened) ballot has no signature key at all (§15.1.4) */
	if (root != NULL && b->is_signed &&
	    json_object_set_new(root, "signature",
	                        json_pack("{s:o, s:o}", "commitment",
	                                  tv__json_hex(b->signature.commitment.bytes, TV_POINT_BYTES),
	                                  "response",
	                                  tv__json_hex(b->signature.response.bytes, 32))) != 0) {
		json_decref(root);
		root = NULL;
	}
	return root;
}

tv_status tv_ballot_to_json(tv_ctx *ctx, char **out, size_t *len, const tv_ballot *ballot)
{
	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || ballot == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ballot_to_json: NULL argument");
	return tv__json_dump(ctx, out, len, ballot_json(ballot), JSON_COMPACT | JSON_PRESERVE_ORDER, 0,
	                     "ballot JSON");
}

static tv_status get_branches(tv__jr *r, tv_range_branch *out, uint32_t count, json_t *obj,
                              const char *key, const char *parent)
{
	static const char *const keys[] = { "a", "b", "challenge", "response" };
	char path[TV_JR_PATH_BYTES], item[TV_JR_PATH_BYTES];
	json_t *arr, *b;
	tv_status status;

	if ((status = tv__jr_array(r, &arr, obj, key, parent, count, count)) != TV_OK)
		return status;
	tv__jr_path(path, parent, key);
	for (uint32_t j = 0; j < count; j++) {
		tv__jr_item(item, path, j);
		if ((status = tv__jr_object(r, &b, json_array_get(arr, j), NULL, item, keys, 4,
		                            1)) != TV_OK ||
		    (status = tv__jr_point(r, &out[j].a, b, "a", item)) != TV_OK ||
		    (status = tv__jr_point(r, &out[j].b, b, "b", item)) != TV_OK ||
		    (status = tv__jr_scalar(r, &out[j].challenge, b, "challenge", item)) != TV_OK ||
		    (status = tv__jr_scalar(r, &out[j].response, b, "response", item)) != TV_OK)
			return status;
	}
	return TV_OK;
}

/* the ballot @p root, at @p at (NULL: the whole text), into a new *out;
 * @p sig is SIG_* */
static tv_status ballot_from(tv__jr *r, tv_ballot **out, json_t *root, const char *at, int sig)
{
	static const char *const top[] = { "format", "election", "credential", "selections",
	                                   "total", "signature" };
	static const char *const sel_keys[] = { "alpha", "beta", "proof" };
	static const char *const total_keys[] = { "min", "max", "proof" };
	static const char *const sig_keys[] = { "commitment", "response" };
	char path[TV_JR_PATH_BYTES], w[TV_JR_PATH_BYTES];
	uint8_t fingerprint[32];
	tv_point credential;
	json_t *sel, *total, *v;
	int64_t min, max;
	tv_ballot *b;
	tv_status status;

	*out = NULL;
	/* every key but the signature is required; that one as @p sig says */
	if ((status = tv__jr_keys(r, root, at, top, 6, 0)) != TV_OK)
		return status;
	for (size_t k = 0; k < 5; k++)
		if (json_object_get(root, top[k]) == NULL)
			return tv__jr_fail(r, tv__jr_path(path, at, top[k]), "is missing");
	if (sig == SIG_REQUIRED && json_object_get(root, "signature") == NULL)
		return tv__jr_fail(r, tv__jr_path(path, at, "signature"), "is missing");
	if (sig == SIG_FORBIDDEN && json_object_get(root, "signature") != NULL)
		return tv__jr_fail(r, tv__jr_path(path, at, "signature"),
		                   "must not be there: an opened ballot is never signed");
	if ((status = tv__jr_format(r, root, at, BALLOT_FORMAT)) != TV_OK ||
	    (status = tv__jr_hex(r, fingerprint, 32, root, "election", at)) != TV_OK ||
	    (status = tv__jr_point(r, &credential, root, "credential", at)) != TV_OK ||
	    (status = tv__jr_array(r, &sel, root, "selections", at, 2, TV_MAX_OPTIONS)) != TV_OK)
		return status;
	if ((b = tv__ballot_alloc(r->ctx, (uint32_t)json_array_size(sel))) == NULL)
		return tv__fail(r->ctx, TV_ERR_NOMEM, "cannot allocate a ballot");
	memcpy(b->fingerprint, fingerprint, 32);
	b->credential = credential;
	tv__jr_path(path, at, "selections");
	for (uint32_t i = 0; i < b->options; i++) {
		tv__jr_item(w, path, i);
		if ((status = tv__jr_object(r, &v, json_array_get(sel, i), NULL, w, sel_keys, 3,
		                            1)) != TV_OK ||
		    (status = tv__jr_point(r, &b->vote[i].alpha, v, "alpha", w)) != TV_OK ||
		    (status = tv__jr_point(r, &b->vote[i].beta, v, "beta", w)) != TV_OK ||
		    (status = get_branches(r, b->bit[i].branch, 2, v, "proof", w)) != TV_OK)
			goto out;
	}
	tv__jr_path(path, at, "total");
	/* 0 <= min <= max <= 1 */
	if ((status = tv__jr_object(r, &total, root, "total", at, total_keys, 3, 1)) != TV_OK ||
	    (status = tv__jr_int(r, &min, total, "min", path, 0, 1)) != TV_OK ||
	    (status = tv__jr_int(r, &max, total, "max", path, min, 1)) != TV_OK)
		goto out;
	b->min = (uint32_t)min;
	b->max = (uint32_t)max;
	if ((status = get_branches(r, b->total, b->max - b->min + 1, total, "proof", path)) !=
	    TV_OK)
		goto out;
	if (json_object_get(root, "signature") != NULL) {
		tv__jr_path(path, at, "signature");
		if ((status = tv__jr_object(r, &v, root, "signature", at, sig_keys, 2, 1)) != TV_OK ||
		    (status = tv__jr_point(r, &b->signature.commitment, v, "commitment", path)) != TV_OK ||
		    (status = tv__jr_scalar(r, &b->signature.response, v, "response", path)) != TV_OK)
			goto out;
		b->is_signed = 1;
	}
	if ((status = tv__ballot_digests(r->ctx, b)) == TV_OK) {
		*out = b;
		b = NULL;
	}
out:
	tv_ballot_free(b);
	return status;
}

tv_status tv_ballot_from_json(tv_ctx *ctx, tv_ballot **out, const char *json, size_t len)
{
	tv_ballot *b = NULL;
	json_t *root = NULL;
	tv__jr r;
	tv_status status = TV_OK;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ballot_from_json: NULL argument");
	tv__jr_init(&r, ctx, TV_OK, "ballot");
	if ((root = tv__jr_load(&r, &status, json, len, TV_BALLOT_JSON_MAX)) == NULL)
		return status;
	if ((status = ballot_from(&r, &b, root, NULL, SIG_EITHER)) == TV_OK)
		*out = b;
	json_decref(root);
	return status;
}

/* a paper's ballot on the board (§15.8.4): never signed */
tv_status tv__ballot_from_value_unsigned(tv_ctx *ctx, tv_ballot **out, json_t *root)
{
	tv__jr r;

	tv__jr_init(&r, ctx, TV_OK, "paper's ballot");
	return ballot_from(&r, out, root, "entry.ballot", SIG_FORBIDDEN);
}

tv_status tv__ballot_from_value(tv_ctx *ctx, tv_ballot **out, json_t *root)
{
	tv__jr r;

	tv__jr_init(&r, ctx, TV_OK, "ballot");
	return ballot_from(&r, out, root, NULL, SIG_REQUIRED);
}

/* ----------------------------------------------------------- accessors */

void tv_ballot_tracking(uint8_t out[32], const tv_ballot *ballot)
{
	memcpy(out, ballot->tracking, 32);
}

void tv_tracking_text(char out[TV_TRACKING_TEXT_LEN + 1], const uint8_t tracking[32])
{
	uint8_t v[16];

	/* the first 75 bits of T as 15 symbols, then the check symbol of §11.1 */
	for (unsigned i = 0; i < 15; i++) {
		unsigned bit = i * 5, byte = bit / 8, shift = bit % 8;
		unsigned word = (unsigned)tracking[byte] << 8 | tracking[byte + 1];

		v[i] = (uint8_t)((word >> (11 - shift)) & 31);
	}
	v[15] = tv__luhn32_check(v, 15);
	tv__base32_groups(out, v, 16);
}

void tv_ballot_tracking_text(char out[TV_TRACKING_TEXT_LEN + 1], const tv_ballot *ballot)
{
	tv_tracking_text(out, ballot->tracking);
}

const tv_point *tv_ballot_credential(const tv_ballot *ballot)
{
	return ballot == NULL ? NULL : &ballot->credential;
}

uint32_t tv_ballot_option_count(const tv_ballot *ballot)
{
	return ballot == NULL ? 0 : ballot->options;
}

const tv_ciphertext *tv_ballot_ciphertext(const tv_ballot *ballot, uint32_t id)
{
	if (ballot == NULL || id < 1 || id > ballot->options)
		return NULL;
	return &ballot->vote[id - 1];
}

int tv_ballot_is_challenged(const tv_ballot *ballot)
{
	return ballot != NULL && ballot->challenged;
}

int tv_ballot_is_signed(const tv_ballot *ballot)
{
	return ballot != NULL && ballot->is_signed;
}

/* ----------------------------------------------------------- challenge */

tv_status tv_ballot_challenge(tv_ctx *ctx, char **out, tv_ballot *ballot,
                              tv_ballot_secrets *secrets)
{
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || ballot == NULL || secrets == NULL) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ballot_challenge: NULL argument");
		goto out;
	}
	/* SPEC §15.1.5: a signed ballot is the tenant's cast vote; its opening
	 * would be a cast ballot with its vote shown, which anyone could replay */
	if (ballot->is_signed) {
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "this ballot is signed (cast): a signed ballot can never be challenged");
		goto out;
	}
	if (memcmp(secrets->tracking, ballot->tracking, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                  "these secrets belong to another ballot");
		goto out;
	}
	/* from here on the ballot can never be signed, so never cast */
	ballot->challenged = 1;
	status = tv__opened_to_json(ctx, out, ballot, secrets->choice, secrets->nonce);
out:
	tv_ballot_secrets_free(secrets);
	return status;
}

tv_status tv__opened_to_json(tv_ctx *ctx, char **out, const tv_ballot *ballot, uint32_t choice,
                             const tv_scalar nonce[TV_MAX_OPTIONS])
{
	json_t *root, *nonces = json_array();

	for (uint32_t i = 0; nonces && i < ballot->options; i++)
		json_array_append_new(nonces, tv__json_hex(nonce[i].bytes, 32));
	root = json_pack("{s:s, s:o, s:i, s:o}", "format", CHALLENGE_FORMAT, "ballot",
	                 ballot_json(ballot), "choice", (int)choice, "nonces", nonces);
	return tv__json_dump(ctx, out, NULL, root, JSON_COMPACT | JSON_PRESERVE_ORDER, 0,
	                     "ballot JSON");
}

/* the opened ballot @p root (§15.1.5), read with @p r */
static tv_status opened_from(tv__jr *r, tv_ballot **out, uint32_t *choice,
                             tv_scalar nonce[TV_MAX_OPTIONS], json_t *root)
{
	static const char *const keys[] = { "format", "ballot", "choice", "nonces" };
	json_t *nonces;
	tv_ballot *b = NULL;
	int64_t shown;
	tv_status status;

	*out = NULL;
	if ((status = tv__jr_keys(r, root, NULL, keys, 4, 1)) != TV_OK ||
	    (status = tv__jr_format(r, root, NULL, CHALLENGE_FORMAT)) != TV_OK)
		return status;
	if ((status = ballot_from(r, &b, json_object_get(root, "ballot"), "ballot",
	                          SIG_FORBIDDEN)) != TV_OK ||
	    (status = tv__jr_int(r, &shown, root, "choice", NULL, 0, b->options)) != TV_OK ||
	    (status = tv__jr_array(r, &nonces, root, "nonces", NULL, b->options,
	                           b->options)) != TV_OK)
		goto out;
	for (uint32_t i = 0; i < b->options; i++) {
		char path[TV_JR_PATH_BYTES];

		if ((status = tv__jr_scalar(r, &nonce[i], json_array_get(nonces, i), NULL,
		                            tv__jr_item(path, "nonces", i))) != TV_OK)
			goto out;
	}
	b->challenged = 1;
	*choice = (uint32_t)shown;
	*out = b;
	b = NULL;
out:
	tv_ballot_free(b);
	return status;
}

tv_status tv__opened_from_value(tv_ctx *ctx, tv_ballot **ballot, uint32_t *choice,
                                tv_scalar nonce[TV_MAX_OPTIONS], json_t *root)
{
	tv__jr r;

	tv__jr_init(&r, ctx, TV_OK, "opened ballot");
	return opened_from(&r, ballot, choice, nonce, root);
}

tv_status tv__opened_verify(tv_ctx *ctx, const tv_ballot *b, uint32_t choice,
                            const tv_scalar nonce[TV_MAX_OPTIONS], const tv_manifest *manifest,
                            const tv_point *election_key)
{
	tv_status status;

	if ((status = verify_content(ctx, b, manifest, election_key)) != TV_OK)
		return status;
	for (uint32_t i = 0; i < b->options; i++) {
		tv_ciphertext again;

		if ((status = tv_elgamal_encrypt_with_nonce(ctx, &again, election_key, choice == i + 1,
		                                            &nonce[i])) != TV_OK)
			return status;
		if (memcmp(&again, &b->vote[i], sizeof(again)) != 0)
			return tv__fail(ctx, TV_ERR_PROOF_INVALID,
			                "option %u is not an encryption of %d with the shown nonce: the "
			                "ballot does not hold the choice shown",
			                i + 1, choice == i + 1);
	}
	return TV_OK;
}

tv_status tv_ballot_check_challenge(tv_ctx *ctx, uint32_t *choice, const char *json,
                                    size_t len, const tv_manifest *manifest,
                                    const tv_point *election_key)
{
	tv_scalar nonce[TV_MAX_OPTIONS];
	json_t *root = NULL;
	tv_ballot *b = NULL;
	uint32_t shown = 0;
	tv__jr r;
	tv_status status = TV_OK;

	if (ctx == NULL || choice == NULL || manifest == NULL || election_key == NULL ||
	    (json == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_ballot_check_challenge: NULL argument");
	tv__jr_init(&r, ctx, TV_OK, "challenged ballot");
	if ((root = tv__jr_load(&r, &status, json, len, TV_BALLOT_JSON_MAX)) == NULL)
		return status;
	if ((status = opened_from(&r, &b, &shown, nonce, root)) == TV_OK &&
	    (status = tv__opened_verify(ctx, b, shown, nonce, manifest, election_key)) == TV_OK)
		*choice = shown;
	tv__memzero(nonce, sizeof(nonce));
	tv_ballot_free(b);
	json_decref(root);
	return status;
}

/* re-sign @p ballot with another credential: lets tests build the "copied
 * under another credential" attack, which the proofs must catch */
tv_status tv__ballot_resign(tv_ctx *ctx, tv_ballot *ballot, const tv_scalar *secret)
{
	tv_status status;

	if ((status = tv_point_base_mul(ctx, &ballot->credential, secret)) != TV_OK ||
	    (status = tv__ballot_digests(ctx, ballot)) != TV_OK)
		return status;
	ballot->challenged = 0;
	return sign_tracking(ctx, ballot, secret);
}

/* re-prove an opened ballot's ciphertexts with its revealed nonces and
 * sign it with @p secret: lets tests build the insider who casts an opened
 * ballot's vote under a fresh tracking code, which check 8 must catch */
tv_status tv__ballot_reprove(tv_ctx *ctx, tv_ballot *b, uint32_t choice,
                             const tv_scalar nonce[TV_MAX_OPTIONS], const tv_point *election_key,
                             const tv_scalar *secret)
{
	uint8_t context[CONTEXT_LEN];
	tv_ciphertext total;
	tv_scalar total_nonce;
	tv_status status;
	uint32_t i;

	for (i = 0; i < b->options; i++) {
		option_context(context, b->fingerprint, &b->credential, i + 1);
		if ((status = tv_bit_prove(ctx, &b->bit[i], &b->vote[i], election_key, choice == i + 1,
		                           &nonce[i], context, 101)) != TV_OK)
			return status;
	}
	total = b->vote[0];
	total_nonce = nonce[0];
	for (i = 1; i < b->options; i++)
		if ((status = tv_ciphertext_add(ctx, &total, &total, &b->vote[i])) != TV_OK ||
		    (status = tv_scalar_add(ctx, &total_nonce, &total_nonce, &nonce[i])) != TV_OK)
			return status;
	total_context(context, b->fingerprint, &b->credential);
	if ((status = tv__range_prove_in(ctx, b->total, TV__TOTAL_BRANCHES, &total, election_key,
	                                 NULL, b->min, b->max, choice != TV_BALLOT_BLANK, &total_nonce,
	                                 context, 102)) != TV_OK ||
	    (status = tv__ballot_digests(ctx, b)) != TV_OK)
		return status;
	b->challenged = 0;
	return sign_tracking(ctx, b, secret);
}

/* ---------------------------------------------------------------- free */

tv_ballot *tv__ballot_alloc(tv_ctx *ctx, uint32_t options)
{
	size_t each = sizeof(tv_ciphertext) + sizeof(tv_bit_proof);
	tv_ballot *b;

	if (options > TV_MAX_OPTIONS ||
	    (b = tv__calloc(ctx, 1, sizeof(*b) + options * each)) == NULL)
		return NULL;
	b->ctx = ctx;
	b->options = options;
	/* the struct's size is a multiple of its alignment, a pointer's, and
	 * a ciphertext and a proof are bytes */
	b->vote = (tv_ciphertext *)(b + 1);
	b->bit = (tv_bit_proof *)(b->vote + options);
	return b;
}

int tv__ballot_same(const tv_ballot *a, const tv_ballot *b)
{
	return a->options == b->options && memcmp(a->fingerprint, b->fingerprint, 32) == 0 &&
	       memcmp(&a->credential, &b->credential, sizeof(a->credential)) == 0 &&
	       memcmp(a->vote, b->vote, a->options * sizeof(*a->vote)) == 0 &&
	       memcmp(a->bit, b->bit, a->options * sizeof(*a->bit)) == 0 && a->min == b->min &&
	       a->max == b->max && memcmp(a->total, b->total, sizeof(a->total)) == 0 &&
	       a->is_signed == b->is_signed &&
	       memcmp(&a->signature, &b->signature, sizeof(a->signature)) == 0 &&
	       memcmp(a->digest, b->digest, 32) == 0 && memcmp(a->tracking, b->tracking, 32) == 0 &&
	       a->challenged == b->challenged;
}

void tv_ballot_free(tv_ballot *ballot)
{
	if (ballot != NULL)
		tv__free(ballot->ctx, ballot);
}

void tv_ballot_secrets_free(tv_ballot_secrets *secrets)
{
	tv_ctx *ctx;

	if (secrets == NULL)
		return;
	ctx = secrets->ctx;
	tv__memzero(secrets, sizeof(*secrets));
	tv__free(ctx, secrets);
}

static tv_status batch_content(tv_ctx *ctx, tv__batch *b, const tv_ballot *ballot,
                               const tv_point *key, const tv_ciphertext *sum)
{
	uint8_t context[CONTEXT_LEN];
	tv__p256_affine alpha[TV_MAX_OPTIONS], beta[TV_MAX_OPTIONS];
	tv__sc ca[TV_MAX_OPTIONS], cb[TV_MAX_OPTIONS], ta, tb;
	tv_ciphertext total;
	tv_status status;
	uint32_t i;

	if ((status = tv__schnorr_batch(ctx, b, &ballot->signature, &ballot->credential,
	                                ballot->tracking, 32)) != TV_OK)
		return status;
	total = ballot->vote[0];
	for (i = 0; i < ballot->options; i++) {
		if (!tv__p256_decode(&alpha[i], ballot->vote[i].alpha.bytes) ||
		    !tv__p256_decode(&beta[i], ballot->vote[i].beta.bytes))
			return TV_ERR_PROOF_INVALID;
		tv__sc_set_u32(&ca[i], 0);
		tv__sc_set_u32(&cb[i], 0);
		option_context(context, ballot->fingerprint, &ballot->credential, i + 1);
		if ((status = tv__range_batch(ctx, b, ballot->bit[i].branch, 2, &ballot->vote[i], key,
		                              0, 1, context, 101, &ca[i], &cb[i])) != TV_OK)
			return status;
		/* a sum at infinity cannot be had: the single check names it */
		if (sum == NULL && i > 0 &&
		    tv_ciphertext_add(ctx, &total, &total, &ballot->vote[i]) != TV_OK)
			return TV_ERR_PROOF_INVALID;
	}
	if (sum != NULL)
		total = *sum;
	/* the total's points are sums: its coefficients go to every option's */
	tv__sc_set_u32(&ta, 0);
	tv__sc_set_u32(&tb, 0);
	total_context(context, ballot->fingerprint, &ballot->credential);
	if ((status = tv__range_batch(ctx, b, ballot->total, TV__TOTAL_BRANCHES, &total, key,
	                              ballot->min, ballot->max, context, 102, &ta, &tb)) != TV_OK)
		return status;
	for (i = 0; i < ballot->options; i++) {
		tv__sc_add(&ca[i], &ca[i], &ta);
		tv__sc_add(&cb[i], &cb[i], &tb);
		if ((status = tv__batch_term(b, &alpha[i], &ca[i])) != TV_OK ||
		    (status = tv__batch_term(b, &beta[i], &cb[i])) != TV_OK)
			return status;
	}
	return TV_OK;
}

tv_status tv__ballot_totals(tv_ctx *ctx, tv_ciphertext *out, uint8_t *ok,
                           const tv_ballot *const *ballots, size_t n)
{
	tv__p256_acc *acc = tv__calloc(ctx, 2 * (n ? n : 1), sizeof(*acc));
	uint8_t (*bytes)[TV_POINT_BYTES] = tv__calloc(ctx, 2 * (n ? n : 1), TV_POINT_BYTES);
	uint8_t *got = tv__calloc(ctx, 2 * (n ? n : 1), 1);
	tv_status status = TV_OK;

	if (acc == NULL || bytes == NULL || got == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu ballots' totals", n);
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		const tv_ballot *b = ballots[k];

		ok[k] = 1;
		tv__p256_acc_init(&acc[2 * k]);
		tv__p256_acc_init(&acc[2 * k + 1]);
		for (uint32_t i = 0; i < b->options && ok[k]; i++) {
			tv__p256_affine alpha, beta;

			ok[k] = (uint8_t)(tv__p256_decode(&alpha, b->vote[i].alpha.bytes) &&
			                  tv__p256_decode(&beta, b->vote[i].beta.bytes));
			if (ok[k]) {
				tv__p256_acc_add(&acc[2 * k], &alpha);
				tv__p256_acc_add(&acc[2 * k + 1], &beta);
			}
		}
	}
	if ((status = tv__p256_acc_get_many(ctx, bytes, got, acc, 2 * n)) != TV_OK)
		goto out;
	for (size_t k = 0; k < n; k++) {
		ok[k] = (uint8_t)(ok[k] && got[2 * k] && got[2 * k + 1]);
		if (ok[k]) {
			memcpy(out[k].alpha.bytes, bytes[2 * k], TV_POINT_BYTES);
			memcpy(out[k].beta.bytes, bytes[2 * k + 1], TV_POINT_BYTES);
		}
	}
out:
	tv__free(ctx, acc);
	tv__free(ctx, bytes);
	tv__free(ctx, got);
	return status;
}

tv_status tv__ballot_batch_add(tv_ctx *ctx, tv__batch *b, const tv_ballot *ballot,
                               const uint8_t f[32], const tv_manifest *manifest,
                               const tv_ciphertext *total)
{
	uint32_t min, max;
	tv_status status;

	total_range(manifest, &min, &max);
	/* the tracking code was computed from the content when the ballot was
	 * read or made (tv__ballot_digests): the struct never takes it from input */
	if (memcmp(f, ballot->fingerprint, 32) != 0 ||
	    ballot->options != tv_manifest_option_count(manifest) || ballot->min != min ||
	    ballot->max != max || !ballot->is_signed || ballot->challenged)
		return TV_ERR_PROOF_INVALID;
	tv__batch_item_begin(b);
	status = batch_content(ctx, b, ballot, tv__batch_key(b), total);
	if (status == TV_OK)
		tv__batch_item_end(b);
	else
		tv__batch_item_drop(b);
	return status;
}
