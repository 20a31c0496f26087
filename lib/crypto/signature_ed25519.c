/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SPEC §6.2: Ed25519 (RFC 8032) through OpenSSL's EVP interface. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "internal.h"

#define TV_PROPQ "provider=default"

/*
 * SPEC §6.2: public keys a verifier refuses. OpenSSL accepts any 32 bytes
 * as a key; with the identity as key, R = identity and S = 0 "verify" for
 * every message, so a receipt under such a key would prove nothing. We
 * refuse non-canonical encodings (y >= p) and the points of small order
 * (their y, sign bit cleared: 0, 1, p - 1 and the two order-8 values).
 */
static const uint8_t small_order_y[5][32] = {
	{ 0 },
	{ 0x01 },
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
	{ 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
	  0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
	  0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05 },
	{ 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
	  0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
	  0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a },
};

static const char *weak_public_key(const tv_ed25519_public_key *pub)
{
	uint8_t y[32];
	int i;

	memcpy(y, pub->bytes, 32);
	y[31] &= 0x7f;
	/* y >= p = 2^255 - 19: little-endian, so compare from the top byte */
	if (y[31] == 0x7f) {
		for (i = 30; i > 0 && y[i] == 0xff; i--)
			;
		if (i == 0 && y[0] >= 0xed)
			return "the public key is not a canonical encoding";
	}
	for (i = 0; i < 5; i++)
		if (memcmp(y, small_order_y[i], 32) == 0)
			return "the public key is a point of small order";
	return NULL;
}

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
	const char *weak;
	int rc;

	if (ctx == NULL || sig == NULL || pub == NULL || (msg == NULL && msg_len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "Ed25519: NULL argument");
	if ((weak = weak_public_key(pub)) != NULL)
		return tv__fail(ctx, TV_ERR_SIGNATURE_INVALID, "Ed25519: %s", weak);
	pkey = EVP_PKEY_new_raw_public_key_ex(ctx->libctx, "ED25519", TV_PROPQ,
	                                      pub->bytes, TV_ED25519_PUBLIC_BYTES);
	md = EVP_MD_CTX_new();
	if (pkey == NULL || md == NULL) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "Ed25519: cannot load the public key");
		goto out;
	}
	if (EVP_DigestVerifyInit_ex(md, NULL, NULL, ctx->libctx, TV_PROPQ, pkey, NULL) != 1) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "Ed25519: cannot start verification");
		goto out;
	}
	rc = EVP_DigestVerify(md, sig->bytes, TV_ED25519_SIGNATURE_BYTES, msg, msg_len);
	/*
	 * 1 is valid. OpenSSL answers 0 for a wrong signature and may answer
	 * a negative value for a malformed one (R encoding, S >= L): both are
	 * rejections, never a pass, unless memory ran out.
	 */
	if (rc != 1) {
		if (ERR_GET_REASON(ERR_peek_last_error()) == ERR_R_MALLOC_FAILURE)
			status = tv__fail(ctx, TV_ERR_NOMEM, "Ed25519: out of memory");
		else
			status = tv__fail(ctx, TV_ERR_SIGNATURE_INVALID,
			                  "Ed25519 signature does not verify");
	}
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
