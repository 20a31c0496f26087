/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §6.2: Ed25519 (RFC 8032) through OpenSSL's EVP interface. */
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"

#define TV_PROPQ "provider=default"

tv_status tv_ed25519_public_from_secret(tv_ctx *ctx, tv_ed25519_public_key *pub,
                                        const tv_ed25519_secret_key *secret)
{
	EVP_PKEY *pkey = NULL;
	size_t len = TV_ED25519_PUBLIC_BYTES;
	tv_status status = TV_OK;

	if (ctx == NULL || pub == NULL || secret == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "Ed25519: NULL argument");
	pkey = EVP_PKEY_new_raw_private_key_ex(ctx->libctx, "ED25519", TV_PROPQ,
	                                       secret->bytes, TV_ED25519_SECRET_BYTES);
	if (pkey == NULL || !EVP_PKEY_get_raw_public_key(pkey, pub->bytes, &len) ||
	    len != TV_ED25519_PUBLIC_BYTES)
		status = tv__fail(ctx, TV_ERR_INTERNAL, "Ed25519: cannot derive the public key");
	EVP_PKEY_free(pkey);
	return status;
}

tv_status tv_ed25519_keygen(tv_ctx *ctx, tv_ed25519_secret_key *secret,
                            tv_ed25519_public_key *pub)
{
	tv_ed25519_secret_key sk;
	tv_status status;

	if (ctx == NULL || secret == NULL || pub == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "Ed25519: NULL argument");
	status = tv__random_bytes(ctx, sk.bytes, sizeof(sk.bytes));
	if (status == TV_OK)
		status = tv_ed25519_public_from_secret(ctx, pub, &sk);
	if (status == TV_OK)
		*secret = sk;
	tv_ed25519_secret_wipe(&sk);
	return status;
}

tv_status tv_ed25519_sign(tv_ctx *ctx, tv_ed25519_signature *out,
                          const tv_ed25519_secret_key *secret,
                          const uint8_t *msg, size_t msg_len)
{
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *md = NULL;
	size_t len = TV_ED25519_SIGNATURE_BYTES;
	tv_status status = TV_OK;

	if (ctx == NULL || out == NULL || secret == NULL || (msg == NULL && msg_len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "Ed25519: NULL argument");
	pkey = EVP_PKEY_new_raw_private_key_ex(ctx->libctx, "ED25519", TV_PROPQ,
	                                       secret->bytes, TV_ED25519_SECRET_BYTES);
	md = EVP_MD_CTX_new();
	if (pkey == NULL || md == NULL ||
	    EVP_DigestSignInit_ex(md, NULL, NULL, ctx->libctx, TV_PROPQ, pkey, NULL) != 1 ||
	    EVP_DigestSign(md, out->bytes, &len, msg, msg_len) != 1 ||
	    len != TV_ED25519_SIGNATURE_BYTES)
		status = tv__fail(ctx, TV_ERR_INTERNAL, "Ed25519: signing failed");
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pkey);
	return status;
}

tv_status tv_ed25519_verify(tv_ctx *ctx, const tv_ed25519_signature *sig,
                            const tv_ed25519_public_key *pub,
                            const uint8_t *msg, size_t msg_len)
{
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *md = NULL;
	tv_status status = TV_OK;
	int rc;

	if (ctx == NULL || sig == NULL || pub == NULL || (msg == NULL && msg_len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "Ed25519: NULL argument");
	pkey = EVP_PKEY_new_raw_public_key_ex(ctx->libctx, "ED25519", TV_PROPQ,
	                                      pub->bytes, TV_ED25519_PUBLIC_BYTES);
	md = EVP_MD_CTX_new();
	if (pkey == NULL || md == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "Ed25519: cannot allocate");
		goto out;
	}
	if (EVP_DigestVerifyInit_ex(md, NULL, NULL, ctx->libctx, TV_PROPQ, pkey, NULL) != 1) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "Ed25519: cannot start verification");
		goto out;
	}
	rc = EVP_DigestVerify(md, sig->bytes, TV_ED25519_SIGNATURE_BYTES, msg, msg_len);
	/*
	 * 1 is valid. OpenSSL answers 0 for a wrong signature and may answer
	 * a negative value for a malformed one (bad key or R encoding, S >= L):
	 * both are rejections, never a pass.
	 */
	if (rc != 1)
		status = tv__fail(ctx, TV_ERR_SIGNATURE_INVALID,
		                  "Ed25519 signature does not verify");
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pkey);
	return status;
}

void tv_ed25519_secret_wipe(tv_ed25519_secret_key *secret)
{
	if (secret != NULL)
		OPENSSL_cleanse(secret->bytes, sizeof(secret->bytes));
}
