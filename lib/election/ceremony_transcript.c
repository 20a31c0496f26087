/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §12.5: checking a parsed transcript of the key ceremony, the commit
 * and reveal checks (§12.5.1, §12.5.2), and the observers' calls of §12.5.3:
 * tv_ceremony_verify and tv_ceremony_check_complaint.
 */
#include <string.h>

#include "ceremony_internal.h"

/* ---- checking a parsed transcript (SPEC §12.5) ---- */

/* every trustee's transport proof and commit signature; then Dcs */
tv_status tv__ceremony_check_commits(tv_ctx *ctx, transcript *t)
{
	uint32_t i;
	tv_status status;

	for (i = 1; i <= t->p.n; i++) {
		const commit_msg *c = &t->commit[i - 1];
		proof_context pc;
		tv__jr r;

		tv__ceremony_reader_trustee(&r, ctx, "commit", i);
		tv__ceremony_context_transport(&pc, &t->p, i);
		status = tv_schnorr_verify(ctx, &c->transport_proof, &c->transport_key,
		                           pc.bytes, pc.len);
		if (status != TV_OK)
			return tv__jr_lower(&r, "transport_proof", status);
		status = tv_schnorr_signature_verify(ctx, &c->signature, &c->signing_key,
		                                     c->digest, TV_HASH_BYTES);
		if (status != TV_OK)
			return tv__jr_lower(&r, "signature", status);
	}
	return tv__ceremony_commits_digest(ctx, t->commits_digest, &t->p, t->commit);
}

/*
 * Every reveal: signed by its trustee's signing key, made for these
 * commits, matching its commitment hash, every proof of knowledge
 * verifying. Then the transcript hash.
 */
tv_status tv__ceremony_check_reveals(tv_ctx *ctx, transcript *t)
{
	uint32_t i, j;
	tv_status status;

	for (i = 1; i <= t->p.n; i++) {
		const reveal_msg *rv = &t->reveal[i - 1];
		const commit_msg *c = &t->commit[i - 1];
		tv__jr r;

		tv__ceremony_reader_trustee(&r, ctx, "reveal", i);
		/* first the signature: only then is the content trustee i's doing */
		status = tv_schnorr_signature_verify(ctx, &rv->signature, &c->signing_key,
		                                     rv->digest, TV_HASH_BYTES);
		if (status != TV_OK)
			return tv__jr_lower(&r, "signature", status);
		if (memcmp(rv->commits, t->commits_digest, TV_HASH_BYTES) != 0)
			return tv__jr_fail(&r, "commits",
			                   "was made for a different set of commit messages than these");
		if (memcmp(rv->commitment_hash, c->commitment_hash, TV_HASH_BYTES) != 0)
			return tv__jr_fail(&r, NULL,
			                   "does not match its commitment: its coefficients and proofs do "
			                   "not hash to the commitment_hash of trustee %u's commit message",
			                   i);
		for (j = 0; j < t->p.k; j++) {
			proof_context pc;
			char field[48];

			tv__ceremony_context_coefficient(&pc, &t->p, i, j);
			status = tv_schnorr_verify(ctx, &rv->proof[j], &rv->coefficient[j],
			                           pc.bytes, pc.len);
			if (status != TV_OK) {
				snprintf(field, sizeof(field), "coefficients[%u].proof", j);
				return tv__jr_lower(&r, field, status);
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
					tv__jr r;

					if (l2 == i2 || !tv_point_equal(e, &t->reveal[i2 - 1].share[l2 - 1].ephemeral))
						continue;
					tv__ceremony_reader_trustee(&r, ctx, "reveal", i2);
					return tv__jr_fail(&r, "shares",
					                   "reuses the ephemeral key of trustee %u's share for trustee %u; "
					                   "refused, as a complaint about it could reveal that share",
					                   i, l);
				}
			}
		}
	}
	return tv__ceremony_transcript_hash(ctx, t);
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
		tv__jr r;

		tv__ceremony_reader_trustee(&r, ctx, "result", l);
		if (memcmp(res->transcript, t->hash, TV_HASH_BYTES) != 0) {
			status = tv__jr_fail(&r, "transcript",
			                     "names another transcript: trustee %u combined other "
			                     "commit or reveal messages than these", l);
			goto out;
		}
		if (!tv_point_equal(&res->election_key, K)) {
			status = tv__jr_fail(&r, "election_key",
			                     "is not the sum of the trustees' coefficients[0].commitment");
			goto out;
		}
		if ((status = tv__point_to_ec(ctx, X, &res->verification_key,
		                              "verification key")) != TV_OK)
			goto out;
		status = tv__ceremony_feldman_check(ctx, X, t->reveal, t->p.n, t->p.k, l);
		if (status == TV_ERR_PROOF_INVALID) {
			status = tv__jr_fail(&r, "verification_key",
			                     "does not follow from the coefficient commitments");
			goto out;
		}
		if (status != TV_OK)
			goto out;
		tv__ceremony_context_share(&pc, &t->p, l, t->hash);
		status = tv_schnorr_verify(ctx, &res->share_proof, &res->verification_key,
		                           pc.bytes, pc.len);
		if (status != TV_OK) {
			status = tv__jr_lower(&r, "share_proof", status);
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
	if ((status = tv__ceremony_check_sizes(ctx, trustees, threshold)) != TV_OK)
		return status;
	tr = tv__calloc(ctx, 1, sizeof(*tr));
	if (tr == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a transcript");
	memcpy(tr->p.fingerprint, fingerprint, FPB);
	tr->p.n = trustees;
	tr->p.k = threshold;
	/* SPEC §12.5: every message well-formed before any proof is checked */
	if ((status = tv__ceremony_parse_set(ctx, tr, KIND_COMMIT, commits, commit_count,
	                                     TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = tv__ceremony_parse_set(ctx, tr, KIND_REVEAL, reveals, reveal_count,
	                                     TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = tv__ceremony_parse_set(ctx, tr, KIND_RESULT, results, result_count,
	                                     TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = tv__ceremony_check_commits(ctx, tr)) != TV_OK ||
	    (status = tv__ceremony_check_reveals(ctx, tr)) != TV_OK ||
	    (status = tv__ceremony_election_key(ctx, &K, tr)) != TV_OK ||
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
	tv__sc s;
	uint32_t found = 0;
	tv_point g;
	size_t m;
	tv__jr r;
	tv_status status;

	if (guilty != NULL)
		*guilty = 0;
	if (ctx == NULL || fingerprint == NULL || complaint == NULL) {
		status = tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                  "tv_ceremony_check_complaint: NULL argument");
		goto out;
	}
	if ((status = tv__ceremony_check_sizes(ctx, trustees, threshold)) != TV_OK)
		goto out;
	tr = tv__calloc(ctx, 1, sizeof(*tr));
	cm = tv__calloc(ctx, 1, sizeof(*cm));
	if (tr == NULL || cm == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate a transcript");
		goto out;
	}
	memcpy(tr->p.fingerprint, fingerprint, FPB);
	tr->p.n = trustees;
	tr->p.k = threshold;
	tv__ceremony_reader_init(&r, ctx, "complaint", 0, 0);
	if ((status = tv__ceremony_parse_set(ctx, tr, KIND_COMMIT, commits, commit_count,
	                                     TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = tv__ceremony_parse_set(ctx, tr, KIND_REVEAL, reveals, reveal_count,
	                                     TV_ERR_CEREMONY_INVALID)) != TV_OK ||
	    (status = tv__ceremony_parse_complaint(&r, cm, &tr->p, complaint)) != TV_OK ||
	    (status = tv__ceremony_check_commits(ctx, tr)) != TV_OK ||
	    (status = tv__ceremony_check_reveals(ctx, tr)) != TV_OK)
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
		tv__ceremony_context_complaint(&pc, &tr->p, l, a->accused);
		status = tv_cp_verify(ctx, &a->proof, &g, &tr->commit[l - 1].transport_key,
		                      &sender->share[l - 1].ephemeral, &a->shared_secret,
		                      pc.bytes, pc.len);
		if (tv_status_is_rejection(status)) {
			char detail[TV_ERROR_MAX];

			snprintf(detail, sizeof(detail), "%s", tv_ctx_last_error(ctx));
			status = tv__jr_fail(&r, field,
			                     "the complaint against trustee %u is false: the proof of "
			                     "the shared secret does not verify (%s)",
			                     a->accused, detail);
			goto out;
		}
		if (status != TV_OK)
			goto out;
		status = tv__ceremony_share_open(ctx, &s, &tr->p, sender, l, &a->shared_secret);
		if (status == TV_OK) {
			status = tv__jr_fail(&r, field,
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
	tv__sc_wipe(&s);
	tv__free(ctx, tr);
	tv__free(ctx, cm);
	return status;
}
