/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §12.3 steps 2 and 3, §12.7: the key ceremony's Feldman arithmetic.
 * Sealing and opening shares, checking them against the coefficient
 * commitments, combining them into a trustee's share and the election key;
 * and the Lagrange coefficients of threshold decryption.
 */
#include <string.h>

#include <jansson.h>

#include "ceremony_internal.h"

/*
 * Compare @p expected with Σ_{i in senders} Σ_j C_ij·x^j (Feldman): TV_OK
 * when equal, TV_ERR_PROOF_INVALID (no message set) when not. x ≤ 16 and
 * j ≤ 15, so x^j < 2^64 needs no reduction.
 */
tv_status tv__ceremony_feldman_check(tv_ctx *ctx, const EC_POINT *expected,
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
 * (secret, the caller wipes it) when TV_OK. Constant time in s: the range
 * check reveals only its answer, and s reaches OpenSSL only in
 * EC_POINT_mul. s·G is public, since the sender's commitments give it: it
 * is declassified (encoded, then decoded afresh) before the Feldman check
 * compares it.
 */
tv_status tv__ceremony_share_open(tv_ctx *ctx, tv__sc *share, const params *p,
                                  const reveal_msg *sender, uint32_t l,
                                  const tv_point *S)
{
	uint8_t pad[TV_HASH_BYTES], plain[TV_SCALAR_BYTES];
	EC_POINT *sG = EC_POINT_new(ctx->group), *pub = EC_POINT_new(ctx->group);
	BIGNUM *bs = tv__bn_secret_new();
	const share_msg *sh = &sender->share[l - 1];
	tv_point enc;
	size_t b;
	tv_status status;

	if (sG == NULL || pub == NULL || bs == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a point");
		goto out;
	}
	if ((status = tv__ceremony_share_pad(ctx, pad, p, sender->index, l, &sh->ephemeral, S)) != TV_OK)
		goto out;
	for (b = 0; b < TV_SCALAR_BYTES; b++)
		plain[b] = sh->ciphertext[b] ^ pad[b];
	/* a value >= n is not a share at all: the sender's fault */
	if (!tv__ct_reveal(tv__sc_load(share, plain))) {
		status = TV_ERR_PROOF_INVALID;
		goto out;
	}
	/* s = 0 gives infinity (public too), which the comparison handles */
	if (tv__ct_reveal(tv__sc_is_zero(share))) {
		if (!EC_POINT_set_to_infinity(ctx->group, pub)) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "EC arithmetic failed");
			goto out;
		}
	} else if ((status = tv__sc_to_bn(ctx, bs, share)) != TV_OK ||
	           (status = tv__ec_base_mul_secret(ctx, sG, bs)) != TV_OK ||
	           (status = tv__ec_to_public_point(ctx, &enc, sG, "s·G")) != TV_OK ||
	           (status = tv__point_to_ec(ctx, pub, &enc, "s·G")) != TV_OK) {
		goto out;
	}
	status = tv__ceremony_feldman_check(ctx, pub, sender, 1, p->k, l);
out:
	tv__memzero(pad, sizeof(pad));
	tv__memzero(plain, sizeof(plain));
	EC_POINT_clear_free(sG);
	EC_POINT_free(pub);
	BN_clear_free(bs);
	return status;
}

/* K = Σ_i C_i0 */
tv_status tv__ceremony_election_key(tv_ctx *ctx, tv_point *out, const transcript *t)
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

/*
 * f_i(x) = Σ_j a_ij·x^j mod n by Horner's rule, constant time in the
 * coefficients (tv__sc arithmetic; x and k are public)
 */
static tv_status poly_eval(tv_ctx *ctx, tv__sc *out, const tv_trustee *t, uint32_t x)
{
	tv__sc a, xs;
	uint32_t j;
	tv_status status = TV_OK;

	tv__sc_set_u32(&xs, x);
	tv__sc_set_u32(out, 0);
	for (j = t->p.k; j-- > 0;) {
		/* only the range check's answer is revealed (an error) */
		if (!tv__ct_reveal(tv__sc_from_scalar(&a, &t->coefficient[j]))) {
			status = tv__fail(ctx, TV_ERR_SCALAR_RANGE,
			                  "coefficient: scalar is not below the group order n");
			break;
		}
		tv__sc_mul(out, out, &xs);
		tv__sc_add(out, out, &a);
	}
	tv__sc_wipe(&a);
	return status;
}

/*
 * Encrypt f_i(l) to trustee l's transport key T_l (SPEC §12.3 step 2):
 * E = e·G, S = e·T_l, ciphertext = f_i(l) XOR H("ceremony-share-pad"; ...).
 */
tv_status tv__ceremony_share_seal(tv_ctx *ctx, share_msg *out, const tv_trustee *t,
                                  uint32_t l, const tv_point *transport_key)
{
	BIGNUM *e = tv__bn_secret_new();
	EC_POINT *T = EC_POINT_new(ctx->group), *p = EC_POINT_new(ctx->group);
	uint8_t pad[TV_HASH_BYTES], plain[TV_SCALAR_BYTES];
	tv__sc s;
	tv_point S;
	size_t b;
	tv_status status;

	tv__sc_set_u32(&s, 0);
	if (e == NULL || T == NULL || p == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate");
		goto out;
	}
	if ((status = tv__random_bn(ctx, e)) != TV_OK ||
	    (status = tv__ec_base_mul_secret(ctx, p, e)) != TV_OK ||
	    (status = tv__ec_to_public_point(ctx, &out->ephemeral, p, "ephemeral key")) != TV_OK ||
	    (status = tv__point_to_ec(ctx, T, transport_key, "transport key")) != TV_OK ||
	    (status = tv__ec_mul_secret(ctx, p, T, e)) != TV_OK ||
	    (status = tv__ec_to_point(ctx, &S, p, "shared secret")) != TV_OK ||
	    (status = tv__ceremony_share_pad(ctx, pad, &t->p, t->index, l, &out->ephemeral, &S)) != TV_OK ||
	    (status = poly_eval(ctx, &s, t, l)) != TV_OK)
		goto out;
	tv__sc_store(plain, &s);
	for (b = 0; b < TV_SCALAR_BYTES; b++)
		out->ciphertext[b] = plain[b] ^ pad[b];
	/* the encrypted share is published */
	tv__ct_declassify(out->ciphertext, TV_SCALAR_BYTES);
out:
	tv__memzero(pad, sizeof(pad));
	tv__memzero(plain, sizeof(plain));
	tv__memzero(&S, sizeof(S));
	tv__sc_wipe(&s);
	BN_clear_free(e);
	EC_POINT_free(T);
	EC_POINT_clear_free(p);
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

tv_status tv_trustee_combine(tv_ctx *ctx, char **result, char **complaint,
                             tv_trustee *trustee, const char *const *commits,
                             size_t commit_count, const char *const *reveals,
                             size_t reveal_count)
{
	transcript *tr = NULL;
	tv__sc x, s;
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
	tv__sc_set_u32(&x, 0);
	tv__sc_set_u32(&s, 0);
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
	if (tr == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a transcript");
		goto out;
	}
	tr->p = trustee->p;
	if ((status = tv__ceremony_parse_set(ctx, tr, KIND_COMMIT, commits, commit_count,
	                                     TV_ERR_STATE)) != TV_OK ||
	    (status = tv__ceremony_parse_set(ctx, tr, KIND_REVEAL, reveals, reveal_count,
	                                     TV_ERR_STATE)) != TV_OK ||
	    (status = tv__ceremony_check_commits(ctx, tr)) != TV_OK)
		goto out;
	if (memcmp(tr->commits_digest, trustee->commits_digest, TV_HASH_BYTES) != 0) {
		status = tv__fail(ctx, TV_ERR_CEREMONY_INVALID,
		                  "these commit messages are not the ones trustee %u revealed to", l);
		goto out;
	}
	if ((status = tv__ceremony_check_reveals(ctx, tr)) != TV_OK)
		goto out;
	if (trustee->stage == TV_TRUSTEE_COMBINED &&
	    memcmp(tr->hash, trustee->transcript, TV_HASH_BYTES) != 0) {
		status = tv__fail(ctx, TV_ERR_STATE,
		                  "trustee %u has already combined a different transcript", l);
		goto out;
	}
	/* x_l = f_l(l) + Σ_{i ≠ l} s_il, each s_il checked against C_i (Feldman) */
	if ((status = poly_eval(ctx, &x, trustee, l)) != TV_OK)
		goto out;
	for (i = 1; i <= trustee->p.n; i++) {
		if (i == l)
			continue;
		if ((status = shared_secret(ctx, &secrets[i - 1], trustee,
		                            &tr->reveal[i - 1].share[l - 1].ephemeral)) != TV_OK)
			goto out;
		status = tv__ceremony_share_open(ctx, &s, &trustee->p, &tr->reveal[i - 1], l, &secrets[i - 1]);
		if (status == TV_ERR_PROOF_INVALID) {
			bad[i - 1] = true;
			if (bad_count++ == 0)
				first_bad = i;
			continue;
		}
		if (status != TV_OK)
			goto out;
		tv__sc_add(&x, &x, &s);
	}
	if (bad_count > 0) {
		if (complaint != NULL &&
		    (status = tv__ceremony_make_complaint(ctx, complaint, trustee, tr, bad, secrets)) != TV_OK)
			goto out;
		status = tv__fail(ctx, TV_ERR_CEREMONY_INVALID,
		                  "trustee %u sent trustee %u a share that does not match its "
		                  "commitments%s%s",
		                  first_bad, l,
		                  bad_count > 1 ? " (and so did other trustees)" : "",
		                  complaint != NULL ? "; the complaint message proves it" : "");
		goto out;
	}
	tv__sc_to_scalar(&share, &x);
	if (tv__ceremony_scalar_is_zero(&share)) {
		/* only if the shares cancel (never by chance): start again */
		status = tv__fail(ctx, TV_ERR_CEREMONY_INVALID,
		                  "trustee %u's shares add up to zero", l);
		goto out;
	}
	if ((status = tv__ceremony_election_key(ctx, &K, tr)) != TV_OK)
		goto out;
	tv__ceremony_context_share(&pc, &trustee->p, l, tr->hash);
	if ((status = tv_schnorr_prove(ctx, &proof, &X, &share, pc.bytes, pc.len)) != TV_OK)
		goto out;
	root = tv__ceremony_header_object(KIND_RESULT, &trustee->p, l);
	if (root != NULL &&
	    (!tv__ceremony_set(root, "transcript", tv__ceremony_hex_string(tr->hash, TV_HASH_BYTES)) ||
	     !tv__ceremony_set(root, "election_key", tv__ceremony_hex_string(K.bytes, TV_POINT_BYTES)) ||
	     !tv__ceremony_set(root, "verification_key", tv__ceremony_hex_string(X.bytes, TV_POINT_BYTES)) ||
	     !tv__ceremony_set(root, "share_proof", tv__ceremony_pair_object(&proof.commitment, &proof.response)))) {
		json_decref(root);
		root = NULL;
	}
	if ((status = tv__ceremony_emit(ctx, result, root)) != TV_OK)
		goto out;
	trustee->share = share;
	trustee->election_key = K;
	memcpy(trustee->transcript, tr->hash, TV_HASH_BYTES);
	trustee->stage = TV_TRUSTEE_COMBINED;
out:
	tv__memzero(secrets, sizeof(secrets));
	tv__memzero(&share, sizeof(share));
	tv__sc_wipe(&x);
	tv__sc_wipe(&s);
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
