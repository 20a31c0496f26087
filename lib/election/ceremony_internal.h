/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §12: the trustees' threshold key ceremony. Feldman VSS, every
 * trustee a dealer (Pedersen's joint generation), hardened:
 *
 *  - commit before reveal: the COMMIT message holds only a hash of the
 *    coefficient commitments, so no trustee sees another's contribution
 *    before its own is fixed, and none can choose or bias the key;
 *  - a Schnorr proof of knowledge for every coefficient commitment, bound
 *    to the election, the trustee and the slot, so no trustee can cancel
 *    another's contribution (rogue key) or replay a proof;
 *  - shares travel encrypted (ECDH to the recipient's transport key) inside
 *    REVEAL messages signed with the sender's signing key, so a bad share
 *    is attributable: the recipient publishes the ECDH value with a
 *    Chaum–Pedersen proof and anyone can decrypt the share and see it fail
 *    the sender's commitments;
 *  - every reveal names the set of commits it was made for, every result
 *    proves knowledge of its share under a context that names the whole
 *    transcript, and every trustee checks its own commit is in the set it
 *    reveals to: a transcript that all n results accept is the one every
 *    trustee saw, with no out-of-band channel needed.
 *
 * Everything from the messages is untrusted: one JSON object each, checked
 * field by field; every rejection is TV_ERR_CEREMONY_INVALID naming the
 * trustee (or the message's position) and the field.
 */

/*
 * Shared between the ceremony's files: ceremony_hash.c (contexts and
 * hashes, SPEC §12.2), ceremony_message.c (reading and writing messages,
 * §12.4), ceremony_transcript.c (checks and observers, §12.5),
 * ceremony_combine.c (the Feldman arithmetic, §12.3, §12.7) and trustee.c
 * (the trustee and its secret state, §12.3, §12.6). Nothing here is part
 * of the API; names are tv__ceremony_ and are never exported.
 */
#ifndef TV_CEREMONY_INTERNAL_H
#define TV_CEREMONY_INTERNAL_H

#include <jansson.h>

#include "json_util.h"

#define MAXT TV_CEREMONY_MAX_TRUSTEES

/* a manifest's trustees (SPEC §9) must fit a ceremony */
_Static_assert(TV_CEREMONY_MAX_TRUSTEES == TV_MAX_TRUSTEES,
               "the ceremony and the manifest disagree on the most trustees");
#define FPB TV_CEREMONY_FINGERPRINT_BYTES

/* ---- the parsed forms of the messages (SPEC §12.4) ---- */

/* what every message of one ceremony shares */
typedef struct params {
	uint8_t fingerprint[FPB];
	uint32_t n, k;
} params;

typedef struct commit_msg {
	uint32_t index;
	tv_point transport_key;
	tv_schnorr_proof transport_proof;
	tv_point signing_key;
	uint8_t commitment_hash[TV_HASH_BYTES];
	tv_schnorr_signature signature;
	uint8_t digest[TV_HASH_BYTES]; /* Dc_i, what the signature signs */
} commit_msg;

typedef struct share_msg {
	tv_point ephemeral;                   /* E = e·G */
	uint8_t ciphertext[TV_SCALAR_BYTES];  /* s XOR pad */
} share_msg;

typedef struct reveal_msg {
	uint32_t index;
	uint8_t commits[TV_HASH_BYTES]; /* Dcs of the commits it was made for */
	tv_point coefficient[MAXT];     /* C_ij */
	tv_schnorr_proof proof[MAXT];   /* PoK of a_ij */
	share_msg share[MAXT];          /* [l − 1] for each recipient l ≠ i */
	tv_schnorr_signature signature;
	uint8_t commitment_hash[TV_HASH_BYTES]; /* recomputed from the above */
	uint8_t digest[TV_HASH_BYTES];          /* Dr_i */
} reveal_msg;

typedef struct result_msg {
	uint32_t index;
	uint8_t transcript[TV_HASH_BYTES];
	tv_point election_key;
	tv_point verification_key;
	tv_schnorr_proof share_proof;
} result_msg;

typedef struct accusation {
	uint32_t accused;
	tv_point shared_secret; /* S = t_l·E */
	tv_cp_proof proof;
} accusation;

typedef struct complaint_msg {
	uint32_t accuser;
	size_t count;
	accusation item[MAXT - 1];
} complaint_msg;

/* a whole ceremony's messages, in trustee order ([i − 1]) */
typedef struct transcript {
	params p;
	commit_msg commit[MAXT];
	reveal_msg reveal[MAXT];
	result_msg result[MAXT];
	uint8_t commits_digest[TV_HASH_BYTES]; /* Dcs */
	uint8_t hash[TV_HASH_BYTES];           /* the transcript hash */
} transcript;

struct tv_trustee {
	tv_ctx *ctx;
	params p;
	uint32_t index;
	tv_trustee_stage stage;
	tv_scalar signing_secret;
	tv_scalar transport_secret;
	tv_schnorr_proof transport_proof;
	tv_scalar coefficient[MAXT];
	tv_schnorr_proof coefficient_proof[MAXT];
	uint8_t commits_digest[TV_HASH_BYTES]; /* from TV_TRUSTEE_REVEALED */
	uint8_t transcript[TV_HASH_BYTES];     /* from TV_TRUSTEE_COMBINED */
	tv_scalar share;                       /* x_l, from COMBINED */
	tv_point election_key;                 /* K, from COMBINED */
	/* public values, derived from the secrets above */
	tv_point signing_key;
	tv_point transport_key;
	tv_point commitment[MAXT];
	uint8_t commitment_hash[TV_HASH_BYTES];
};

/* ---- proof contexts (SPEC §12.2, ceremony_hash.c): F || label || fields ---- */

typedef struct proof_context {
	uint8_t bytes[FPB + 32 + 8 + TV_HASH_BYTES];
	size_t len;
} proof_context;

/* u32be() of SPEC §1 */
void tv__ceremony_put_u32(uint8_t out[4], uint32_t v);
void tv__ceremony_context_coefficient(proof_context *c, const params *p, uint32_t i,
                                      uint32_t j);
void tv__ceremony_context_transport(proof_context *c, const params *p, uint32_t i);
void tv__ceremony_context_share(proof_context *c, const params *p, uint32_t l,
                                const uint8_t transcript_hash[TV_HASH_BYTES]);
void tv__ceremony_context_complaint(proof_context *c, const params *p, uint32_t l,
                                    uint32_t i);

/* ---- hashes (SPEC §12.2, ceremony_hash.c) ---- */

tv_status tv__ceremony_commitment_hash(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
                                       const params *p, uint32_t i,
                                       const tv_point *commitment,
                                       const tv_schnorr_proof *proof);
/* sets c->digest */
tv_status tv__ceremony_commit_digest(tv_ctx *ctx, commit_msg *c, const params *p);
tv_status tv__ceremony_commits_digest(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
                                      const params *p, const commit_msg *commit);
/* secret: the caller wipes @p out */
tv_status tv__ceremony_share_pad(tv_ctx *ctx, uint8_t out[TV_HASH_BYTES],
                                 const params *p, uint32_t i, uint32_t l,
                                 const tv_point *E, const tv_point *S);
/* sets r->digest */
tv_status tv__ceremony_reveal_digest(tv_ctx *ctx, reveal_msg *r, const params *p);
/* sets t->hash */
tv_status tv__ceremony_transcript_hash(tv_ctx *ctx, transcript *t);

/* ---- reading untrusted messages (ceremony_message.c) ---- */

/*
 * Messages are read by the typed reader (json_util.h) with the status
 * TV_ERR_CEREMONY_INVALID for every rejection, and the checks after
 * reading name their field through it too: tv__jr_fail(r, "commits", ...)
 * or tv__jr_lower(r, "signature", status).
 */
typedef enum tv__ceremony_kind {
	KIND_COMMIT, KIND_REVEAL, KIND_RESULT, KIND_COMPLAINT
} tv__ceremony_kind;

/* a reader for message @p position of @p count of a kind ("commit"), or
 * for the only one ("complaint message") when @p count is 0 */
void tv__ceremony_reader_init(tv__jr *r, tv_ctx *ctx, const char *kind,
                              size_t position, size_t count);
/* a reader for trustee @p index's message of a kind */
void tv__ceremony_reader_trustee(tv__jr *r, tv_ctx *ctx, const char *kind, uint32_t index);
tv_status tv__ceremony_parse_complaint(tv__jr *r, complaint_msg *cm, const params *p,
                                       const char *text);
/* SPEC §12.5 step 1: a set of messages of one kind into @p t, by trustee */
tv_status tv__ceremony_parse_set(tv_ctx *ctx, transcript *t, tv__ceremony_kind kd,
                                 const char *const *msgs, size_t count,
                                 tv_status missing);

/* ---- writing messages (ceremony_message.c) ---- */

json_t *tv__ceremony_hex_string(const uint8_t *bytes, size_t len);
/* json_object_set_new(), true when it succeeded */
bool tv__ceremony_set(json_t *obj, const char *key, json_t *value);
json_t *tv__ceremony_pair_object(const tv_point *commitment, const tv_scalar *response);
json_t *tv__ceremony_header_object(tv__ceremony_kind kd, const params *p,
                                   uint32_t index);
/* @p root as JSON text, freed with tv_free(); takes @p root (NULL: no memory) */
tv_status tv__ceremony_emit(tv_ctx *ctx, char **out, json_t *root);

/* ---- checking a parsed transcript (SPEC §12.5, ceremony_transcript.c) ---- */

/* sets t->commits_digest */
tv_status tv__ceremony_check_commits(tv_ctx *ctx, transcript *t);
/* sets t->hash; needs tv__ceremony_check_commits() first */
tv_status tv__ceremony_check_reveals(tv_ctx *ctx, transcript *t);

/* ---- the Feldman arithmetic (ceremony_combine.c) ---- */

/* TV_ERR_PROOF_INVALID (no message set) when @p expected is not Σ_i Σ_j C_ij·x^j */
tv_status tv__ceremony_feldman_check(tv_ctx *ctx, const EC_POINT *expected,
                                     const reveal_msg *reveals, uint32_t senders,
                                     uint32_t k, uint32_t x);
/* TV_ERR_PROOF_INVALID (no message set) when the share is bad; constant
 * time in the share (only whether it is bad is revealed) */
tv_status tv__ceremony_share_open(tv_ctx *ctx, tv__sc *share, const params *p,
                                  const reveal_msg *sender, uint32_t l,
                                  const tv_point *S);
tv_status tv__ceremony_election_key(tv_ctx *ctx, tv_point *out, const transcript *t);
tv_status tv__ceremony_share_seal(tv_ctx *ctx, share_msg *out, const tv_trustee *t,
                                  uint32_t l, const tv_point *transport_key);

/* ---- the trustee (trustee.c) ---- */

/* constant time in @p s; the answer is revealed (a zero secret is an error) */
bool tv__ceremony_scalar_is_zero(const tv_scalar *s);
tv_status tv__ceremony_check_sizes(tv_ctx *ctx, uint32_t trustees, uint32_t threshold);
tv_status tv__ceremony_make_complaint(tv_ctx *ctx, char **out, const tv_trustee *t,
                                      const transcript *tr, const bool *bad,
                                      const tv_point *secrets);

#endif
