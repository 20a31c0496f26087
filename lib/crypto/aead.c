/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * AES-256-GCM with a 12-byte IV and a 16-byte tag, for the sealed secret
 * files (SPEC §13) and the locks of ballot papers (§15.8.3).
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "internal.h"

#define TV_PROPQ "provider=default"

tv_status tv__aes_gcm(tv_ctx *ctx, int encrypt, uint8_t *out, const uint8_t *in, size_t len,
                      const uint8_t key[32], const uint8_t iv[12], const uint8_t *aad,
                      size_t aad_len, uint8_t tag[16])
{
	EVP_CIPHER *cipher = NULL;
	EVP_CIPHER_CTX *c = NULL;
	tv_status status = TV_ERR_INTERNAL;
	int n = 0;

	if (len > INT32_MAX || aad_len > INT32_MAX)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "AES-256-GCM: too long");
	cipher = EVP_CIPHER_fetch(ctx->libctx, "AES-256-GCM", TV_PROPQ);
	c = EVP_CIPHER_CTX_new();
	if (cipher == NULL || c == NULL) {
		tv__fail(ctx, TV_ERR_INTERNAL, "OpenSSL has no AES-256-GCM");
		goto out;
	}
	if (EVP_CipherInit_ex2(c, cipher, NULL, NULL, encrypt, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) != 1 ||
	    EVP_CipherInit_ex2(c, NULL, key, iv, encrypt, NULL) != 1 ||
	    (aad_len > 0 && EVP_CipherUpdate(c, NULL, &n, aad, (int)aad_len) != 1) ||
	    (len > 0 && EVP_CipherUpdate(c, out, &n, in, (int)len) != 1) ||
	    (!encrypt && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, tag) != 1)) {
		tv__fail(ctx, TV_ERR_INTERNAL, "AES-256-GCM failed");
		goto out;
	}
	/* GCM buffers nothing: the final call only computes or checks the tag */
	if (EVP_CipherFinal_ex(c, out + len, &n) != 1) {
		if (encrypt) {
			tv__fail(ctx, TV_ERR_INTERNAL, "AES-256-GCM failed");
			goto out;
		}
		ERR_clear_error();
		status = TV_ERR_PASSPHRASE;
		goto out;
	}
	if (encrypt && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, tag) != 1) {
		tv__fail(ctx, TV_ERR_INTERNAL, "AES-256-GCM: cannot read the tag");
		goto out;
	}
	status = TV_OK;
out:
	/* freeing the cipher context wipes the expanded key */
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_free(cipher);
	return status;
}
