/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An Ed25519 key loaded once for many signatures (ed25519_signer.h). */
#include <openssl/evp.h>

#include "ed25519_signer.h"

/* the provider tv_ed25519_sign asks for (signature_ed25519.c) */
#define SIGNER_PROPQ "provider=default"

struct tv__ed25519_signer {
	tv_ctx *ctx;
	EVP_PKEY *pkey;
	EVP_MD_CTX *md;
	tv_ed25519_public_key pub;
};

tv_status tv__ed25519_signer_new(tv_ctx *ctx, tv__ed25519_signer **out,
                                 const tv_ed25519_secret_key *secret)
{
	tv__ed25519_signer *s;
	size_t len = TV_ED25519_PUBLIC_BYTES;

	*out = NULL;
	if ((s = tv__calloc(ctx, 1, sizeof(*s))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate an Ed25519 signer");
	s->ctx = ctx;
	s->pkey = EVP_PKEY_new_raw_private_key_ex(ctx->libctx, "ED25519", SIGNER_PROPQ,
	                                          secret->bytes, TV_ED25519_SECRET_BYTES);
	s->md = EVP_MD_CTX_new();
	if (s->pkey == NULL || s->md == NULL ||
	    EVP_PKEY_get_raw_public_key(s->pkey, s->pub.bytes, &len) != 1 ||
	    len != TV_ED25519_PUBLIC_BYTES) {
		tv__ed25519_signer_free(s);
		return tv__fail(ctx, TV_ERR_INTERNAL, "Ed25519: cannot load the key");
	}
	*out = s;
	return TV_OK;
}

void tv__ed25519_signer_free(tv__ed25519_signer *s)
{
	if (s == NULL)
		return;
	EVP_MD_CTX_free(s->md);
	EVP_PKEY_free(s->pkey); /* OpenSSL wipes the key it held */
	tv__memzero(&s->pub, sizeof(s->pub));
	tv__free(s->ctx, s);
}

const tv_ed25519_public_key *tv__ed25519_signer_public(const tv__ed25519_signer *s)
{
	return &s->pub;
}

tv_status tv__ed25519_signer_sign(tv_ctx *ctx, tv__ed25519_signer *s, tv_ed25519_signature *out,
                                  const uint8_t *msg, size_t msg_len)
{
	size_t len = TV_ED25519_SIGNATURE_BYTES;

	/* a fresh init per message: EVP_DigestSign is one-shot for Ed25519 */
	if (EVP_MD_CTX_reset(s->md) != 1 ||
	    EVP_DigestSignInit_ex(s->md, NULL, NULL, ctx->libctx, SIGNER_PROPQ, s->pkey, NULL) != 1 ||
	    EVP_DigestSign(s->md, out->bytes, &len, msg, msg_len) != 1 ||
	    len != TV_ED25519_SIGNATURE_BYTES)
		return tv__fail(ctx, TV_ERR_INTERNAL, "Ed25519: signing failed");
	return TV_OK;
}
