/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One Ed25519 secret key, loaded once for many signatures. Loading a raw
 * private key into OpenSSL derives its public key (a scalar multiplication
 * on Ed25519), which is half the cost of tv_ed25519_sign; a box that signs
 * a batch of receipts loads its key once. The signatures are
 * tv_ed25519_sign's (Ed25519 is deterministic). One thread at a time.
 */
#ifndef TV_ED25519_SIGNER_H
#define TV_ED25519_SIGNER_H

#include "internal.h"

typedef struct tv__ed25519_signer tv__ed25519_signer;

/* TV_ERR_NOMEM, TV_ERR_INTERNAL */
tv_status tv__ed25519_signer_new(tv_ctx *ctx, tv__ed25519_signer **out,
                                 const tv_ed25519_secret_key *secret);
void tv__ed25519_signer_free(tv__ed25519_signer *s);

/* the key's public half, derived once when it was loaded */
const tv_ed25519_public_key *tv__ed25519_signer_public(const tv__ed25519_signer *s);

tv_status tv__ed25519_signer_sign(tv_ctx *ctx, tv__ed25519_signer *s, tv_ed25519_signature *out,
                                  const uint8_t *msg, size_t msg_len);

#endif
