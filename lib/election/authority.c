/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §11.5 to §11.8: the credential authority, its signed list and the
 * ceremony context that binds the trustees to that list.
 *   L = H("credential-list"; F, u64be(E), pt(X_1), ..., pt(X_E))   (sorted)
 *   S = H("credential-authority"; F, A, L)      signed by A (Ed25519)
 *   C = H("ceremony-context"; F, A, L)          the trustees' context
 *   check code = the first 40 bits of H("credential-check"; pt(X)), base 32
 * The issue file, for the box, lists the credentials in register order:
 *   {"format":"tenantvote-credential-issue/1","election":F,"register":D,
 *    "electorate":E,"authority":A,"signature":sig,"credentials":[...]}
 */
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "tenantvote/authority.h"

#define STATE_MAGIC "TVCA0001"

struct tv_authority {
	tv_ctx *ctx;
	uint8_t election[32];
	tv_ed25519_secret_key secret;
	tv_ed25519_public_key pub;
};

const uint8_t *tv__authority_public(const tv_authority *a)
{
	return a->pub.bytes;
}

tv_status tv__authority_sign(tv_ctx *ctx, tv_ed25519_signature *out, const tv_authority *a,
                             const uint8_t *msg, size_t len)
{
	return tv_ed25519_sign(ctx, out, &a->secret, msg, len);
}

/* --------------------------------------------------------------- hashes */

static int cmp_point(const void *a, const void *b)
{
	return memcmp(a, b, TV_POINT_BYTES);
}


tv_status tv__credential_list_digest(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                     const uint8_t (*sorted)[TV_POINT_BYTES], size_t count)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "credential-list");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_u64(&h, count);
	for (size_t i = 0; i < count; i++)
		tv__hash_field(&h, sorted[i], TV_POINT_BYTES);
	return tv__hash_final(&h, out);
}

static tv_status hash3(tv_ctx *ctx, uint8_t out[32], const char *purpose, const uint8_t f[32],
                       const uint8_t authority[32], const uint8_t list[32])
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, purpose);

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, authority, 32);
	tv__hash_field(&h, list, 32);
	return tv__hash_final(&h, out);
}

tv_status tv__credential_change_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                        const uint8_t authority[32], const uint8_t list[32],
                                        int op, const tv_point *credential)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "credential-change");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, f, 32);
	tv__hash_field(&h, authority, 32);
	tv__hash_field(&h, list, 32);
	tv__hash_u32(&h, (uint32_t)op);
	tv__hash_field(&h, credential->bytes, TV_POINT_BYTES);
	return tv__hash_final(&h, out);
}

tv_status tv__credential_change_tracking(tv_ctx *ctx, uint8_t out[32], int op,
                                         const tv_point *credential,
                                         const uint8_t signature[64])
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "credential-change-tracking");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_u32(&h, (uint32_t)op);
	tv__hash_field(&h, credential->bytes, TV_POINT_BYTES);
	tv__hash_field(&h, signature, 64);
	return tv__hash_final(&h, out);
}

tv_status tv__credential_change_verify(tv_ctx *ctx, const uint8_t f[32],
                                       const uint8_t authority[32], const uint8_t list[32],
                                       int op, const tv_point *credential,
                                       const uint8_t signature[64])
{
	tv_ed25519_public_key pub;
	tv_ed25519_signature sig;
	uint8_t m[32];
	tv_status status;

	if ((status = tv__credential_change_message(ctx, m, f, authority, list, op, credential)) !=
	    TV_OK)
		return status;
	memcpy(pub.bytes, authority, 32);
	memcpy(sig.bytes, signature, 64);
	status = tv_ed25519_verify(ctx, &sig, &pub, m, sizeof(m));
	if (status == TV_ERR_SIGNATURE_INVALID)
		status = tv__fail(ctx, status, "the credential %s is not signed by the credential "
		                  "authority of the list", op == TV_ENTRY_CREDENTIAL_ADDED
		                  ? "addition" : "revocation");
	return status;
}

/*
 * An issue file's list as signed (§11.5): its credentials sorted, none
 * twice (TV_ERR_PROOF_INVALID), the authority's signature over S (TV_ERR_
 * SIGNATURE_INVALID); then its digest L and the ceremony context C.
 */
tv_status tv__credential_issue_check(tv_ctx *ctx, const tv__credential_issue *issue,
                                     uint8_t list_digest[32], uint8_t context[32])
{
	uint8_t (*sorted)[TV_POINT_BYTES];
	uint8_t l[32];
	tv_status status = TV_OK;

	if ((sorted = tv__calloc(ctx, issue->count, TV_POINT_BYTES)) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu credentials", issue->count);
	memcpy(sorted, issue->points, issue->count * TV_POINT_BYTES);
	qsort(sorted, issue->count, TV_POINT_BYTES, cmp_point);
	for (size_t i = 1; i < issue->count && status == TV_OK; i++)
		if (memcmp(sorted[i - 1], sorted[i], TV_POINT_BYTES) == 0)
			status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the credential issue file lists "
			                  "one credential twice");
	if (status == TV_OK)
		status = tv__credential_list_verify(ctx, l, issue->election, issue->authority,
		                                    issue->signature,
		                                    (const uint8_t (*)[TV_POINT_BYTES])sorted,
		                                    issue->count);
	tv__free(ctx, sorted);
	if (status == TV_OK &&
	    (status = tv__ceremony_context(ctx, context, issue->election, issue->authority, l)) ==
	            TV_OK)
		memcpy(list_digest, l, 32);
	return status;
}

tv_status tv_authority_change(tv_ctx *ctx, char **out, const tv_authority *a,
                              const char *issue_json, size_t len, int revoke,
                              const tv_point *credential)
{
	tv__credential_issue issue;
	uint8_t l[32], c[32], m[32];
	tv_ed25519_signature sig;
	int op = revoke ? TV_ENTRY_CREDENTIAL_REVOKED : TV_ENTRY_CREDENTIAL_ADDED;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || a == NULL || issue_json == NULL || credential == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_authority_change: NULL argument");
	if ((status = tv_point_check(ctx, credential)) != TV_OK)
		return status;
	/* the list this authority signed: its digest L binds the change */
	if ((status = tv__credential_issue_from_json(ctx, &issue, issue_json, len)) != TV_OK)
		return status;
	if (memcmp(issue.election, a->election, 32) != 0 ||
	    memcmp(issue.authority, a->pub.bytes, 32) != 0) {
		tv__credential_issue_free(ctx, &issue);
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the issue file was not made by this "
		                "credential authority for this election");
	}
	status = tv__credential_issue_check(ctx, &issue, l, c);
	tv__credential_issue_free(ctx, &issue);
	if (status != TV_OK ||
	    (status = tv__credential_change_message(ctx, m, a->election, a->pub.bytes, l, op,
	                                            credential)) != TV_OK ||
	    (status = tv_ed25519_sign(ctx, &sig, &a->secret, m, sizeof(m))) != TV_OK)
		return status;
	return tv__json_dump(ctx, out, NULL,
	                     json_pack("{s:o, s:o}", "credential",
	                               tv__json_hex(credential->bytes, TV_POINT_BYTES),
	                               "signature", tv__json_hex(sig.bytes, 64)),
	                     JSON_COMPACT | JSON_PRESERVE_ORDER, 0, "the credential change");
}

tv_status tv_authority_issue_digest(tv_ctx *ctx, const char *issue_json, size_t len,
                                    uint8_t list_digest[32], uint8_t context[32])
{
	tv__credential_issue issue;
	tv_status status;

	if (ctx == NULL || issue_json == NULL || list_digest == NULL || context == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_authority_issue_digest: NULL argument");
	if ((status = tv__credential_issue_from_json(ctx, &issue, issue_json, len)) != TV_OK)
		return status;
	status = tv__credential_issue_check(ctx, &issue, list_digest, context);
	tv__credential_issue_free(ctx, &issue);
	return status;
}

tv_status tv__ceremony_context(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                               const uint8_t authority[32], const uint8_t list[32])
{
	return hash3(ctx, out, "ceremony-context", f, authority, list);
}

tv_status tv__credential_list_verify(tv_ctx *ctx, uint8_t list_digest[32], const uint8_t f[32],
                                     const uint8_t authority[32], const uint8_t signature[64],
                                     const uint8_t (*sorted)[TV_POINT_BYTES], size_t count)
{
	tv_status status;

	if ((status = tv__credential_list_digest(ctx, list_digest, f, sorted, count)) != TV_OK)
		return status;
	return tv__credential_digest_verify(ctx, f, authority, signature, list_digest, count);
}

tv_status tv__credential_digest_verify(tv_ctx *ctx, const uint8_t f[32],
                                       const uint8_t authority[32], const uint8_t signature[64],
                                       const uint8_t list_digest[32], size_t count)
{
	tv_ed25519_public_key pub;
	tv_ed25519_signature sig;
	uint8_t s[32];
	tv_status status;

	if ((status = hash3(ctx, s, "credential-authority", f, authority, list_digest)) != TV_OK)
		return status;
	memcpy(pub.bytes, authority, 32);
	memcpy(sig.bytes, signature, 64);
	status = tv_ed25519_verify(ctx, &sig, &pub, s, sizeof(s));
	if (status == TV_ERR_SIGNATURE_INVALID)
		status = tv__fail(ctx, status, "the credential authority's signature on the list "
		                  "of %zu credentials does not verify", count);
	return status;
}

tv_status tv__credential_order_item(tv_ctx *ctx, const uint8_t *prev, const uint8_t *point,
                                    int is_point, size_t i)
{
	int c;

	if (!is_point)
		return tv__fail(ctx, TV_ERR_ENCODING, "credential %zu is not a valid point", i + 1);
	if (prev != NULL && (c = memcmp(prev, point, TV_POINT_BYTES)) >= 0)
		return tv__fail(ctx, TV_ERR_PROOF_INVALID, "credential %zu is %s", i + 1,
		                c == 0 ? "listed twice" : "out of order (the list is sorted)");
	return TV_OK;
}

tv_status tv__credential_list_order(tv_ctx *ctx, const uint8_t (*points)[TV_POINT_BYTES],
                                    size_t valid, size_t count)
{
	tv_status status = TV_OK;

	for (size_t i = 0; i < count && status == TV_OK; i++)
		status = tv__credential_order_item(ctx, i > 0 && i < valid ? points[i - 1] : NULL,
		                                   i < valid ? points[i] : NULL, i < valid, i);
	return status;
}

/* ------------------------------------------------------------ the authority */

tv_status tv_authority_new(tv_ctx *ctx, tv_authority **out, const tv_manifest *m)
{
	tv_authority *a;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || m == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_authority_new: NULL argument");
	if ((a = tv__calloc(ctx, 1, sizeof(*a))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate the credential authority");
	a->ctx = ctx;
	tv_manifest_fingerprint(a->election, m);
	if ((status = tv_ed25519_keygen(ctx, &a->secret, &a->pub)) != TV_OK) {
		tv_authority_free(a);
		return status;
	}
	*out = a;
	return TV_OK;
}

void tv_authority_free(tv_authority *authority)
{
	if (authority == NULL)
		return;
	tv_ed25519_secret_wipe(&authority->secret);
	tv__free(authority->ctx, authority);
}

void tv_authority_public_key(tv_ed25519_public_key *out, const tv_authority *authority)
{
	*out = authority->pub;
}

tv_status tv_authority_serialize(tv_ctx *ctx, uint8_t *out, const tv_authority *authority)
{
	if (ctx == NULL || out == NULL || authority == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_authority_serialize: NULL argument");
	memcpy(out, STATE_MAGIC, 8);
	memcpy(out + 8, authority->election, 32);
	memcpy(out + 40, authority->secret.bytes, 32);
	return TV_OK;
}

tv_status tv_authority_deserialize(tv_ctx *ctx, tv_authority **out, const uint8_t *in,
                                   size_t len, const tv_manifest *m)
{
	tv_authority *a;
	uint8_t f[32];
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || in == NULL || m == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_authority_deserialize: NULL argument");
	if (len != TV_AUTHORITY_STATE_BYTES || memcmp(in, STATE_MAGIC, 8) != 0)
		return tv__fail(ctx, TV_ERR_ENCODING, "not a credential authority's key "
		                "(%zu bytes; expected %d beginning %s)", len,
		                TV_AUTHORITY_STATE_BYTES, STATE_MAGIC);
	tv_manifest_fingerprint(f, m);
	if (memcmp(f, in + 8, 32) != 0)
		return tv__fail(ctx, TV_ERR_WRONG_ELECTION,
		                "this credential authority's key is for another election");
	if ((a = tv__calloc(ctx, 1, sizeof(*a))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate the credential authority");
	a->ctx = ctx;
	memcpy(a->election, f, 32);
	memcpy(a->secret.bytes, in + 40, 32);
	if ((status = tv_ed25519_public_from_secret(ctx, &a->pub, &a->secret)) != TV_OK) {
		tv_authority_free(a);
		return status;
	}
	*out = a;
	return TV_OK;
}

tv_status tv_credential_check_code(tv_ctx *ctx, char out[TV_CHECK_CODE_LEN + 1],
                                   const tv_point *credential)
{
	uint8_t d[32], v[8];
	tv__hash h;
	tv_status status;

	if (ctx == NULL || out == NULL || credential == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_credential_check_code: NULL argument");
	if ((status = tv__hash_begin(&h, ctx, "credential-check")) != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, credential->bytes, TV_POINT_BYTES);
	if ((status = tv__hash_final(&h, d)) != TV_OK)
		return status;
	/* the first 40 bits, most significant first, five at a time */
	for (int i = 0; i < 8; i++) {
		int bit = 5 * i;
		unsigned w = ((unsigned)d[bit / 8] << 8) | d[bit / 8 + 1];

		v[i] = (uint8_t)((w >> (11 - bit % 8)) & 31);
	}
	tv__base32_groups(out, v, 8);
	return TV_OK;
}

/* ------------------------------------------------------------------ issue */

typedef struct register_walk {
	const tv_register *reg;
	size_t next;
} register_walk;

static tv_status register_next(tv_tenant *t, void *it)
{
	register_walk *w = it;

	return tv_register_tenant(t, w->reg, w->next++);
}

tv_status tv_authority_issue(tv_ctx *ctx, char **out, const tv_authority *a,
                             const tv_register *reg, tv_authority_letter_fn letter,
                             void *payload)
{
	register_walk w = { reg, 0 };
	uint8_t digest[32];

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || a == NULL || reg == NULL || letter == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_authority_issue: NULL argument");
	tv_register_digest(digest, reg);
	return tv__authority_issue_each(ctx, out, a, tv_register_count(reg), digest, register_next,
	                                &w, letter, payload);
}

tv_status tv__authority_issue_each(tv_ctx *ctx, char **out, const tv_authority *a, size_t count,
                                   const uint8_t register_digest[32], tv__tenant_next_fn next,
                                   void *it, tv_authority_letter_fn letter, void *payload)
{
	uint8_t (*order)[TV_POINT_BYTES] = NULL, (*sorted)[TV_POINT_BYTES] = NULL;
	uint8_t l[32], s[32];
	tv_ed25519_signature sig;
	tv_credential_code code;
	json_t *list = NULL, *root;
	tv_status status = TV_OK;

	memset(&code, 0, sizeof(code));
	*out = NULL;
	if (count == 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "the register has no tenants");
	if ((order = tv__calloc(ctx, count, TV_POINT_BYTES)) == NULL ||
	    (sorted = tv__calloc(ctx, count, TV_POINT_BYTES)) == NULL ||
	    (list = json_array()) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu credentials", count);
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		char check[TV_CHECK_CODE_LEN + 1];
		tv_tenant t;
		tv_point pub;

		if ((status = next(&t, it)) != TV_OK ||
		    (status = tv_credential_generate(ctx, &code, &pub, a->election)) != TV_OK)
			goto out;
		memcpy(order[i], pub.bytes, TV_POINT_BYTES);
		if ((status = tv_credential_check_code(ctx, check, &pub)) != TV_OK)
			goto out;
		if (letter(&t, code.text, check, payload) != 0) {
			status = tv__fail(ctx, TV_ERR_IO, "the letter for tenancy %s could not be "
			                  "written; no credentials were issued", t.tenancy_ref);
			goto out;
		}
		tv_credential_code_wipe(&code);
		if (json_array_append_new(list, tv__json_hex(pub.bytes, TV_POINT_BYTES)) != 0) {
			status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu credentials", count);
			goto out;
		}
	}
	/* 115-bit codes never repeat; a repeat would be a broken generator */
	memcpy(sorted, order, count * TV_POINT_BYTES);
	qsort(sorted, count, TV_POINT_BYTES, cmp_point);
	for (size_t i = 1; i < count; i++)
		if (memcmp(sorted[i - 1], sorted[i], TV_POINT_BYTES) == 0) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "two credentials came out equal");
			goto out;
		}
	if ((status = tv__credential_list_digest(ctx, l, a->election,
	                                         (const uint8_t (*)[TV_POINT_BYTES])sorted,
	                                         count)) != TV_OK ||
	    (status = hash3(ctx, s, "credential-authority", a->election, a->pub.bytes, l)) != TV_OK ||
	    (status = tv_ed25519_sign(ctx, &sig, &a->secret, s, sizeof(s))) != TV_OK)
		goto out;
	/* the letters are complete and durable before the list exists */
	if (letter(NULL, NULL, NULL, payload) != 0) {
		status = tv__fail(ctx, TV_ERR_IO,
		                  "the letters could not be completed; no credentials were issued");
		goto out;
	}
	root = json_pack("{s:s, s:o, s:o, s:I, s:o, s:o, s:o}", "format", TV_CREDENTIAL_ISSUE,
	                 "election", tv__json_hex(a->election, 32), "register",
	                 tv__json_hex(register_digest, 32), "electorate", (json_int_t)count, "authority",
	                 tv__json_hex(a->pub.bytes, 32), "signature", tv__json_hex(sig.bytes, 64),
	                 "credentials", list);
	list = NULL;
	status = tv__json_dump(ctx, out, NULL, root, JSON_COMPACT | JSON_PRESERVE_ORDER, 1,
	                       "the credential issue file");
out:
	tv_credential_code_wipe(&code);
	json_decref(list);
	tv__free(ctx, order);
	tv__free(ctx, sorted);
	return status;
}

tv_status tv__credential_issue_from_json(tv_ctx *ctx, tv__credential_issue *out,
                                         const char *text, size_t len)
{
	static const char *const keys[] = { "format", "election", "register", "electorate",
	                                    "authority", "signature", "credentials" };
	tv__jr r;
	json_t *root, *list;
	uint64_t electorate;
	tv_status status;

	memset(out, 0, sizeof(*out));
	tv__jr_init(&r, ctx, TV_OK, "credential issue file");
	if ((root = tv__jr_load(&r, &status, text, len, len)) == NULL)
		return status;
	if ((status = tv__jr_keys(&r, root, NULL, keys, 7, 1)) != TV_OK ||
	    (status = tv__jr_format(&r, root, NULL, TV_CREDENTIAL_ISSUE)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->election, 32, root, "election", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->register_digest, 32, root, "register", NULL)) != TV_OK ||
	    (status = tv__jr_uint(&r, &electorate, root, "electorate", NULL, 1,
	                          TV_REGISTER_ROWS_MAX)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->authority, 32, root, "authority", NULL)) != TV_OK ||
	    (status = tv__jr_hex(&r, out->signature, 64, root, "signature", NULL)) != TV_OK ||
	    (status = tv__jr_array(&r, &list, root, "credentials", NULL, electorate,
	                           electorate)) != TV_OK)
		goto out;
	out->count = (size_t)electorate;
	if ((out->points = tv__calloc(ctx, out->count, TV_POINT_BYTES)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu credentials", out->count);
		out->count = 0;
		goto out;
	}
	for (size_t i = 0; i < out->count; i++) {
		char path[TV_JR_PATH_BYTES];
		tv_point p;

		if ((status = tv__jr_point(&r, &p, json_array_get(list, i), NULL,
		                           tv__jr_item(path, "credentials", i))) != TV_OK)
			goto out;
		memcpy(out->points[i], p.bytes, TV_POINT_BYTES);
	}
out:
	json_decref(root);
	if (status != TV_OK)
		tv__credential_issue_free(ctx, out);
	return status;
}

void tv__credential_issue_free(tv_ctx *ctx, tv__credential_issue *issue)
{
	tv__free(ctx, issue->points);
	issue->points = NULL;
	issue->count = 0;
}
