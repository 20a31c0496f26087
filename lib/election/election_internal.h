/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal declarations of the protocol layer (lib/election/), shared with
 * the layers above it. Nothing here is part of the API.
 */
#ifndef TV_ELECTION_INTERNAL_H
#define TV_ELECTION_INTERNAL_H

#include <stdio.h>

#include "internal.h"
#include "tenantvote/paper.h"

/* ---- text (lib/election/text.c), SPEC §9.1 ---- */

/*
 * TV_OK when @p text (len bytes, no NUL needed) is valid UTF-8 without
 * control characters; TV_ERR_UTF8 naming @p what and the byte otherwise.
 */
tv_status tv__utf8_check(tv_ctx *ctx, const char *text, size_t len,
                         const char *what);

/* ---- Unicode (lib/election/unicode.c), SPEC §9.1 rule 3, §9.3 check 8 ---- */

/* 1 when @p cp is one of §9.1's invisible characters (a fixed table) */
int tv__invisible(uint32_t cp);
/*
 * tv__utf8_check(), then no invisible character: TV_ERR_UTF8 naming
 * @p what, the character (U+XXXX and its name), its byte and character
 * position
 */
tv_status tv__visible_check(tv_ctx *ctx, const char *text, size_t len, const char *what);
/*
 * *equal = 1 when the NUL-terminated texts @p a and @p b (valid UTF-8, at
 * most TV_MANIFEST_TEXT_MAX bytes each) are the same after NFC
 * normalisation, else 0. TV_ERR_INTERNAL if ICU fails.
 */
tv_status tv__nfc_equal(tv_ctx *ctx, int *equal, const char *a, const char *b);

/* ---- codes (lib/election/credential.c), SPEC §11.1 ---- */

extern const char tv__base32_alphabet[33];
/* the Luhn mod 32 check symbol of @p count symbol values */
uint8_t tv__luhn32_check(const uint8_t *v, size_t count);
/* symbols in groups of four joined by '-', NUL-terminated */
void tv__base32_groups(char *out, const uint8_t *v, size_t count);
/* a short tracking code (§15.1.1) as typed: its 16 symbol values, or -1
 * when it is not 16 symbols (spaces and '-' skipped, any case, O = 0,
 * I = L = 1); the check symbol is not checked here */
int tv__tracking_code_read(uint8_t v[16], const char *code, size_t len);
/* exactly @p n symbols as typed, read as a code is: 0, or -1 when a
 * character is not a symbol (tv__symbols_bad_at says which, from 1), -2
 * when there are not @p n of them */
int tv__symbols_read(uint8_t *v, size_t n, const char *code, size_t len);
size_t tv__symbols_bad_at(const char *code, size_t len);

/* ---- register (lib/election/register.c) ---- */

/*
 * tv_register_parse() with a lower row limit, for the unit tests, which
 * cannot feed a million rows quickly.
 */
tv_status tv__register_parse_limited(tv_ctx *ctx, tv_register **out,
                                     const uint8_t *csv, size_t len,
                                     const char *source_name,
                                     tv_register_problem_fn problem,
                                     void *payload, size_t max_rows);

/* ---- ballots (lib/election/ballot.c) ---- */

/* tests only: put another credential on a ballot and sign it */
tv_status tv__ballot_resign(tv_ctx *ctx, tv_ballot *ballot, const tv_scalar *secret);
/* tests only: new proofs for an opened ballot's ciphertexts from its nonces,
 * then signed with @p secret (an insider casting an opened vote) */
tv_status tv__ballot_reprove(tv_ctx *ctx, tv_ballot *ballot, uint32_t choice,
                             const tv_scalar nonce[TV_MAX_OPTIONS], const tv_point *election_key,
                             const tv_scalar *secret);

/* an opened ballot's compact JSON (§15.1.5), tv__alloc'd: the one form the
 * box stores and the record holds */
tv_status tv__opened_to_json(tv_ctx *ctx, char **out, const tv_ballot *ballot, uint32_t choice,
                             const tv_scalar nonce[TV_MAX_OPTIONS]);
/* §15.1.5's check of an opened ballot: its proofs (§15.1.3 checks 1, 2, 4,
 * 5), and each option re-encrypted with its nonce gives its ciphertext */
tv_status tv__opened_verify(tv_ctx *ctx, const tv_ballot *ballot, uint32_t choice,
                            const tv_scalar nonce[TV_MAX_OPTIONS], const tv_manifest *manifest,
                            const tv_point *election_key);

/*
 * tv_ballot_encrypt under the key of the table @p fb (lib/crypto/fixed_base.h):
 * the same ballot, byte for byte from the same randomness, with every
 * multiple of K (each option's r·K, and the proofs' commitments) from the
 * table. For the box, which encrypts many papers under one key (intake).
 */
struct tv__fixed_base;
tv_status tv__ballot_encrypt_fixed(tv_ctx *ctx, tv_ballot **out, const tv_manifest *manifest,
                                   const struct tv__fixed_base *fb, const char *code,
                                   size_t code_len, uint32_t choice);

/*
 * §5.5: a cast ballot's checks into @p b as one item: every check of
 * tv_ballot_verify that is not a group equation is done here, against
 * the election of fingerprint @p f, and the equations of its signature
 * and proofs become the item's terms. TV_ERR_PROOF_INVALID when a check
 * fails here (no message: tv_ballot_verify names it); the item is then
 * dropped. The batch's key must be the election key. @p total is the sum
 * of the ballot's ciphertexts if the caller has it (tv__ballot_totals),
 * else NULL.
 */
struct tv__batch;
tv_status tv__ballot_batch_add(tv_ctx *ctx, struct tv__batch *b, const tv_ballot *ballot,
                               const uint8_t f[32], const tv_manifest *manifest,
                               const tv_ciphertext *total);
/*
 * The sum of each ballot's ciphertexts (the total its range proof is on,
 * §15.1.3), for @p total above: for many ballots at once, one field
 * inversion between them. ok[k] is 0 when ballot k's points are not all
 * on the curve or its sum is at infinity (the single check names it).
 */
tv_status tv__ballot_totals(tv_ctx *ctx, tv_ciphertext *out, uint8_t *ok,
                           const tv_ballot *const *ballots, size_t n);
/* the same for a spoilt paper (§15.6): its election, then its signature */
tv_status tv__spoilt_batch_add(tv_ctx *ctx, struct tv__batch *b, const tv_spoilt *spoilt,
                               const uint8_t f[32]);

/* ---- board entries (SPEC §15.1, §15.6) ---- */

/* an entry's kind: board.kind in the box (schema version 3) */
#define TV_ENTRY_BALLOT 1
#define TV_ENTRY_SPOILT 2
#define TV_ENTRY_OPENED 3 /* an opened (challenged) ballot, §15.1.5: never counted */
/* the credential authority's changes to the list (§11.7): in the record
 * only, never counted */
#define TV_ENTRY_CREDENTIAL_ADDED 4
#define TV_ENTRY_CREDENTIAL_REVOKED 5
/* a ballot paper's (§15.8.4): its ballot, or its rejection; counted as a
 * ballot or a spoilt paper of the paper's credential */
#define TV_ENTRY_PAPER 6
#define TV_ENTRY_PAPER_SPOILT 7
/* a paper identifier's symbols (§15.8.1); a paper's answers at most */
#define TV__PAPER_SYMBOLS 20
#define TV__PAPER_ANSWERS_MAX (TV_MAX_OPTIONS + 1)

/* a board entry's place in the chain (lib/election/board_entry.c, §18.7) */
typedef struct tv__board_entry {
	uint64_t position;
	int kind;                  /* TV_ENTRY_* */
	uint32_t channel;
	int64_t time;
	uint8_t prev_head[32], head[32];
	uint8_t tracking[32];      /* read: T, from the entry */
	const tv_point *credential; /* read: borrowed from the entry, or change.credential */
	uint32_t choice;           /* read, an opened ballot: the choice shown */
	tv_scalar nonce[TV_MAX_OPTIONS]; /* read, an opened ballot: its nonces */
	uint8_t paper[32];          /* read, a paper's entry: its handle h */
	char paper_id[TV__PAPER_SYMBOLS + 1]; /* read, a rejected paper: its identifier */
	uint32_t others;            /* read, a paper's ballot: its other digests */
	uint8_t other[TV__PAPER_ANSWERS_MAX - 1][32];
	struct {                    /* read, a credential change (§11.7) */
		tv_point credential;
		uint8_t signature[64];
	} change;
} tv__board_entry;

/* the board.jsonl line of @p e and its stored @p entry JSON, LF-ended,
 * into a new tv__alloc'd string */
tv_status tv__board_line_to_json(tv_ctx *ctx, char **out, size_t *len,
                                 const tv__board_entry *e, const char *entry,
                                 size_t entry_len);
/*
 * A board.jsonl line (without its LF) read by SPEC §19.3 check 5 steps 3
 * to 5: exactly one of *ballot and *spoilt is set on success (the
 * caller's); an opened entry (e->kind TV_ENTRY_OPENED) sets *ballot, the
 * unsigned ballot, and e->choice and e->nonce. On failure the message is
 * the check's, and e->position is the line's own position once it could
 * be read, else @p lineno.
 */
tv_status tv__board_line_from_json(tv_ctx *ctx, tv__board_entry *e, tv_ballot **ballot,
                                   tv_spoilt **spoilt, const char *line, size_t len,
                                   uint64_t lineno);
/* the same, by the JSON reader alone (Jansson): the one that decides */
tv_status tv__board_line_read_json(tv_ctx *ctx, tv__board_entry *e, tv_ballot **ballot,
                                   tv_spoilt **spoilt, const char *line, size_t len,
                                   uint64_t lineno);
/*
 * (lib/election/board_scan.c) The line in the box's own canonical
 * spelling only, read without Jansson: 1 with *e, *ballot and *spoilt
 * exactly as tv__board_line_read_json() sets them; 0 ("not canonical",
 * or a value that reader refuses, or no memory) with *e zeroed, both
 * NULL and nothing to free, when the caller must read it with
 * tv__board_line_read_json(), whose verdict and message stand. SPEC
 * §19.2: values, not spellings, decide.
 */
int tv__board_line_scan(tv_ctx *ctx, tv__board_entry *e, tv_ballot **ballot,
                        tv_spoilt **spoilt, const char *line, size_t len);

/* ---- the board's chain link (lib/election/chain.c, SPEC §15.2) ---- */

/* head_0 = H("board-start"; F) */
tv_status tv__board_start_head(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32]);
/* head_p = H("board"; head_{p-1}, u64be(p), T, u32be(channel), u64be(time)) */
tv_status tv__board_next_head(tv_ctx *ctx, uint8_t out[32], const uint8_t prev[32],
                              uint64_t position, const uint8_t tracking[32], uint32_t channel,
                              int64_t time);
/* ---- the close statement (lib/election/close.c, SPEC §15.4) ---- */

/* C = H("close"; F, u64be(entries), head) */
tv_status tv__close_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32], uint64_t entries,
                            const uint8_t head[32]);
/* close.json (§18.8), LF-ended, and read back (TV_ERR_ENCODING naming the field) */
tv_status tv__close_to_json(tv_ctx *ctx, char **out, uint64_t entries, const uint8_t head[32],
                            const uint8_t signature[64]);
tv_status tv__close_from_json(tv_ctx *ctx, uint64_t *entries, uint8_t head[32],
                              uint8_t signature[64], const char *text, size_t len);

/* close/2 (§15.4, §18.8): when voting closed and, if before the manifest's
 * advertised end, why; both under the box's signature */
typedef struct tv__close {
	int version;       /* 1 or 2 */
	uint64_t entries;
	uint8_t head[32];
	int64_t closed;    /* close/2 only: seconds since 1970 UTC */
	char reason[TV_CLOSE_REASON_MAX + 1]; /* close/2 only; "" when none */
	size_t reason_len;
	uint8_t signature[64];
} tv__close;
/* C2 = H("close-at"; F, u64be(entries), head, u64be(closed), reason) */
tv_status tv__close_at_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                               uint64_t entries, const uint8_t head[32], int64_t closed,
                               const char *reason, size_t reason_len);
/* TV_OK when @p reason (len bytes) is a close reason §15.4 allows: at most
 * TV_CLOSE_REASON_MAX bytes of §9.1 text, and, when @p required, not empty
 * or only spaces; else TV_ERR_INVALID_ARGUMENT (TV_ERR_UTF8 for the text)
 * saying which */
tv_status tv__close_reason_check(tv_ctx *ctx, const char *reason, size_t len, int required);
/* close.json of either format (TV_ERR_ENCODING naming the field) */
tv_status tv__close_read(tv_ctx *ctx, tv__close *out, const char *text, size_t len);
/* close/2's JSON, LF-ended */
tv_status tv__close2_to_json(tv_ctx *ctx, char **out, const tv__close *c);

/* ---- receipts (lib/election/receipt.c, SPEC §15.3) ---- */

/* sign M of @p r (all but its signature filled in) into r->signature */
tv_status tv__receipt_sign(tv_ctx *ctx, tv_receipt *r, const tv_ed25519_secret_key *key);
/* the same, with a key loaded once for a batch of receipts */
struct tv__ed25519_signer;
tv_status tv__receipt_sign_with(tv_ctx *ctx, tv_receipt *r, struct tv__ed25519_signer *signer);

/* ---- the ceremony kit (lib/election/ceremony_kit.c, SPEC §12.12) ---- */

/*
 * The 32 bytes every ceremony message is bound to (SPEC §12.1 F) are the
 * ceremony context C of §11.6, tv__ceremony_context() below: the one place
 * they are computed, for the trustees (through the kit), the box and the
 * verifier.
 */
/* the kit's JSON text for @p m and the authority's list (A, E, L), LF-ended */
tv_status tv__ceremony_kit_to_json(tv_ctx *ctx, char **out, size_t *len, const tv_manifest *m,
                                   const uint8_t authority[32], uint64_t electorate,
                                   const uint8_t list_digest[32]);

/* ---- the record's files (SPEC §18) ---- */

#define TV_RECORD_FORMAT "tenantvote-record/1"
#define TV_RECORD_CREDENTIALS "tenantvote-credentials/2"
#define TV_CREDENTIAL_ISSUE "tenantvote-credential-issue/1"
#define TV_RECORD_CLOSE "tenantvote-close/1"
#define TV_RECORD_CLOSE2 "tenantvote-close/2"
#define TV_RECORD_TALLY "tenantvote-record-tally/1"
#define TV_RECORD_TRANSCRIPT "tenantvote-ceremony-transcript/1"
/* the longest board.jsonl line: a ballot and its envelope */
#define TV_RECORD_LINE_MAX (TV_BALLOT_JSON_MAX + 1024)

/* (lib/election/record_files.c) */

/* a writer of bytes: 0 when they were written */
typedef int (*tv__write_fn)(const char *text, size_t len, void *payload);

/* record.json (§18.3), LF-ended, and read back */
tv_status tv__record_header_to_json(tv_ctx *ctx, char **out, const uint8_t election[32],
                                    const uint8_t box_key[32]);
tv_status tv__record_header_from_json(tv_ctx *ctx, uint8_t election[32], uint8_t box_key[32],
                                      const char *text, size_t len);

/* trustees.json (§18.5) without its LF, from the checked messages */
tv_status tv__transcript_to_json(tv_ctx *ctx, char **out, const char *const *commits,
                                 const char *const *reveals, const char *const *results,
                                 size_t count);
/* trustees.json read: each message written again compactly (§19.2) */
typedef struct tv__transcript_lists {
	char **commits, **reveals, **results;
	size_t ncommits, nreveals, nresults;
	int lists_bad; /* the format was right but a list is not a non-empty array */
} tv__transcript_lists;
tv_status tv__transcript_from_json(tv_ctx *ctx, tv__transcript_lists *out, const char *text,
                                   size_t len);
void tv__transcript_lists_free(tv_ctx *ctx, tv__transcript_lists *t);
/* @p count strings and their array, tv__alloc'd; NULL accepted */
void tv__members_free(tv_ctx *ctx, char **list, size_t count);

/* credentials.json (§18.6) through @p write; @p list is sorted in place */
tv_status tv__credentials_write(tv_ctx *ctx, tv__write_fn write, void *payload,
                                uint8_t (*list)[TV_POINT_BYTES], size_t count,
                                const uint8_t authority[32], const uint8_t signature[64]);
/* credentials.json read: the points up to the first that is not one */
typedef struct tv__credential_list {
	int64_t electorate;
	uint8_t authority[32], signature[64];
	size_t count;                      /* items in the list */
	size_t valid;                      /* the first items that are points */
	uint8_t (*points)[TV_POINT_BYTES]; /* those, in the file's order */
} tv__credential_list;
tv_status tv__credentials_from_json(tv_ctx *ctx, tv__credential_list *out, const char *text,
                                    size_t len);
void tv__credential_list_free(tv_ctx *ctx, tv__credential_list *list);

/* the fingerprint a trustee's ceremony was bound to: C of §11.6
 * (lib/election/trustee.c) */
const uint8_t *tv__trustee_context(const tv_trustee *trustee);

/* ---- the credential authority (lib/election/authority.c, §11.5-11.8) ---- */

/* L = H("credential-list"; F, u64be(E), pt(X_1), ..., pt(X_E)), sorted */
tv_status tv__credential_list_digest(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                     const uint8_t (*sorted)[TV_POINT_BYTES], size_t count);
/* L of the list, and the authority's signature on S = H("credential-
 * authority"; F, A, L) checked: TV_ERR_SIGNATURE_INVALID when it fails */
tv_status tv__credential_list_verify(tv_ctx *ctx, uint8_t list_digest[32], const uint8_t f[32],
                                     const uint8_t authority[32], const uint8_t signature[64],
                                     const uint8_t (*sorted)[TV_POINT_BYTES], size_t count);
/* §11.7: Mc = H("credential-change"; F, A, L, u32be(op), pt(X)), op 4 for an
 * addition and 5 for a revocation (the entry kinds), and the tracking code
 * T = H("credential-change-tracking"; u32be(op), pt(X), signature) */
tv_status tv__credential_change_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                        const uint8_t authority[32], const uint8_t list[32],
                                        int op, const tv_point *credential);
tv_status tv__credential_change_tracking(tv_ctx *ctx, uint8_t out[32], int op,
                                         const tv_point *credential,
                                         const uint8_t signature[64]);
/* the signature of a change entry under the list's authority: TV_OK or
 * TV_ERR_SIGNATURE_INVALID naming the change */
tv_status tv__credential_change_verify(tv_ctx *ctx, const uint8_t f[32],
                                       const uint8_t authority[32], const uint8_t list[32],
                                       int op, const tv_point *credential,
                                       const uint8_t signature[64]);
/* §19.3 check 4 step 3 on a list read by tv__credentials_from_json: the
 * first @p valid of @p count items are points, in strictly ascending order.
 * TV_ERR_ENCODING (an item not a point) or TV_ERR_PROOF_INVALID (listed
 * twice, or out of order) for the first that is not */
tv_status tv__credential_list_order(tv_ctx *ctx, const uint8_t (*points)[TV_POINT_BYTES],
                                    size_t valid, size_t count);
/* the same for item @p i (from 0) alone, @p prev the item before it (NULL
 * for the first); @p is_point 0 when the item is not a point */
tv_status tv__credential_order_item(tv_ctx *ctx, const uint8_t *prev, const uint8_t *point,
                                    int is_point, size_t i);
/* credentials.json read a piece at a time from @p f (§19.5): @p each is
 * told each item, in order, up to the first that fails the order check
 * (out->order, with its message); out->digest is L taken with E the
 * file's electorate (only right when that is the count), if @p election
 * is not NULL. TV_ERR_ENCODING, nothing reported, when the file is not in
 * the writer's exact form: read it whole with tv__credentials_from_json */
typedef struct tv__credential_stream {
	int64_t electorate;
	uint8_t authority[32], signature[64];
	size_t count;
	tv_status order;
	char order_message[256];
	uint8_t digest[32];
	int have_digest;
} tv__credential_stream;
typedef tv_status (*tv__credential_fn)(const uint8_t point[TV_POINT_BYTES], size_t index,
                                       void *payload);
tv_status tv__credentials_stream(tv_ctx *ctx, tv__credential_stream *out, FILE *f,
                                 const uint8_t election[32], tv__credential_fn each,
                                 void *payload);
/* the authority's signature on S = H("credential-authority"; F, A, L) for
 * a list digest @p list_digest already had */
tv_status tv__credential_digest_verify(tv_ctx *ctx, const uint8_t f[32],
                                       const uint8_t authority[32], const uint8_t signature[64],
                                       const uint8_t list_digest[32], size_t count);
/* C = H("ceremony-context"; F, A, L): what the trustees' ceremony binds */
tv_status tv__ceremony_context(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                               const uint8_t authority[32], const uint8_t list[32]);
/* tv_authority_issue over tenants from @p next, called @p count times in
 * register order (the box's own register, for tv_box_issue_credentials) */
typedef tv_status (*tv__tenant_next_fn)(tv_tenant *t, void *it);
tv_status tv__authority_issue_each(tv_ctx *ctx, char **out, const tv_authority *a, size_t count,
                                   const uint8_t register_digest[32], tv__tenant_next_fn next,
                                   void *it, tv_authority_letter_fn letter, void *payload);
/* the issue file the box imports (§11.5): credentials in register order */
typedef struct tv__credential_issue {
	uint8_t election[32], register_digest[32], authority[32], signature[64];
	size_t count;
	uint8_t (*points)[TV_POINT_BYTES];
} tv__credential_issue;
tv_status tv__credential_issue_from_json(tv_ctx *ctx, tv__credential_issue *out,
                                         const char *text, size_t len);
/* its list sorted, none twice, its signature good (§11.5): L and C */
tv_status tv__credential_issue_check(tv_ctx *ctx, const tv__credential_issue *issue,
                                     uint8_t list_digest[32], uint8_t context[32]);
void tv__credential_issue_free(tv_ctx *ctx, tv__credential_issue *issue);

/* the authority's public key and a signature with its key (authority.c) */
const uint8_t *tv__authority_public(const tv_authority *a);
tv_status tv__authority_sign(tv_ctx *ctx, tv_ed25519_signature *out, const tv_authority *a,
                             const uint8_t *msg, size_t len);

/* ---- ballot papers (lib/election/paper.c, SPEC §15.8) ---- */

#define TV_PAPER_BALLOT_FORMAT "tenantvote-paper-ballot/1"
#define TV_PAPER_SPOILT_FORMAT "tenantvote-paper-spoilt/1"
#define TV_PAPER_BOX_FORMAT "tenantvote-paper-box/1"
#define TV_PAPER_OPENINGS_FORMAT "tenantvote-paper-openings/1"
#define TV_RECORD_PAPERS "tenantvote-papers/1"

/* the unsigned ballot of @p credential for @p choice with these nonces
 * (ballot.c), and §15.1.3 but step 3 for an unsigned ballot */
tv_status tv__ballot_with_nonces(tv_ctx *ctx, tv_ballot **out, const tv_manifest *manifest,
                                 const tv_point *election_key, const tv_point *credential,
                                 uint32_t choice, const tv_scalar *nonce);
tv_status tv__ballot_verify_unsigned(tv_ctx *ctx, const tv_ballot *ballot,
                                     const tv_manifest *manifest, const tv_point *election_key);

/* a paper's public values from its opening (§15.8.1) */
typedef struct tv__paper {
	uint8_t opening[32];
	char id[TV__PAPER_SYMBOLS + 1];              /* canonical: no hyphens */
	uint8_t handle[32];
	uint32_t answers;                            /* k */
	uint32_t answer[TV__PAPER_ANSWERS_MAX];      /* 1..m, then 0 */
	uint8_t digest[TV__PAPER_ANSWERS_MAX][32];   /* e_a, in answer order */
	char code[TV__PAPER_ANSWERS_MAX][TV_PAPER_CODE_LEN + 1];
	int distinct;                                /* the codes all differ */
} tv__paper;
/* the answers of a paper of @p m, in order: their count k */
uint32_t tv__paper_answers(const tv_manifest *m, uint32_t answer[TV__PAPER_ANSWERS_MAX]);
tv_status tv__paper_from_opening(tv_ctx *ctx, tv__paper *p, const uint8_t f[32],
                                 const tv_manifest *m, const tv_point *election_key,
                                 const uint8_t o[32]);
/* its k ballots for @p credential, in answer order, proved */
tv_status tv__paper_ballots(tv_ctx *ctx, tv_ballot **out, const tv__paper *p,
                            const uint8_t f[32], const tv_manifest *m,
                            const tv_point *election_key, const tv_point *credential);
/* r_a,i of §15.8.1 (answer a, option i from 1) */
tv_status tv__paper_nonce(tv_ctx *ctx, tv_scalar *out, const uint8_t f[32], const uint8_t o[32],
                          uint32_t a, uint32_t i);
tv_status tv__paper_id_from_opening(tv_ctx *ctx, char id[TV__PAPER_SYMBOLS + 1],
                                    const uint8_t f[32], const uint8_t o[32]);
tv_status tv__paper_handle(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                           const char id[TV__PAPER_SYMBOLS]);
void tv__paper_id_print(char out[TV_PAPER_ID_TEXT_LEN + 1], const char id[TV__PAPER_SYMBOLS]);
tv_status tv__paper_vector_digest(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                  uint32_t m, const tv_ciphertext *vote);
void tv__paper_short_code(char out[TV_PAPER_CODE_LEN + 1], const uint8_t e[32]);
/* a typed short code in its canonical spelling, or -1 */
int tv__paper_code_read(char out[TV_PAPER_CODE_LEN + 1], const char *typed, size_t len);
/* c of §15.8.1: the digests are sorted here (a copy) */
tv_status tv__paper_commit(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                           const uint8_t handle[32], const tv_point *credential, uint32_t k,
                           const uint8_t (*digests)[32]);
/* P of §15.8.2, streamed: begin, then each paper in handle order, then final */
tv_status tv__paper_list_begin(tv__hash *h, tv_ctx *ctx, const uint8_t f[32],
                               const uint8_t authority[32], const uint8_t list[32],
                               uint64_t count);
void tv__paper_list_add(tv__hash *h, const uint8_t handle[32], const tv_point *credential,
                        const uint8_t commit[32]);
/* head_0 = H("board-start-papers"; F, P) */
tv_status tv__paper_start_head(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                               const uint8_t list[32]);
tv_status tv__paper_spoilt_tracking(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                    const uint8_t handle[32], uint32_t reason);
/* the k ballots of a paper's lock opened with its identifier, each read
 * and checked to be its credential's, with their digests, and c checked:
 * TV_ERR_PROOF_INVALID saying what is wrong */
tv_status tv__paper_unlock(tv_ctx *ctx, tv_ballot **ballots, uint8_t (*digests)[32],
                           const uint8_t f[32], const tv_manifest *m,
                           const char id[TV__PAPER_SYMBOLS], const uint8_t handle[32],
                           const tv_point *credential, const uint8_t commit[32],
                           const uint8_t *lock, size_t len);
/* the entries of §15.8.4, compact JSON */
tv_status tv__paper_entry_to_json(tv_ctx *ctx, char **out, size_t *len,
                                  const uint8_t handle[32], const tv_ballot *ballot,
                                  const uint8_t (*others)[32], uint32_t count);
tv_status tv__paper_spoilt_to_json(tv_ctx *ctx, char **out, size_t *len, const uint8_t f[32],
                                   const char id[TV__PAPER_SYMBOLS], const tv_point *credential,
                                   tv_spoilt_reason reason);
/* a paper's entry as stored (kind TV_ENTRY_PAPER or TV_ENTRY_PAPER_SPOILT):
 * the ballot or the rejection, with the handle and others in @p e */
tv_status tv__paper_stored_read(tv_ctx *ctx, int kind, const char *json, size_t len,
                                tv__board_entry *e, tv_ballot **ballot, tv_spoilt **spoilt);
/* the authority's papers made again from its seed: their list digest P
 * into @p list, and into *@p out the openings file (§15.8.6) of those
 * whose handle is not in @p cast (sorted) — the caller gives it out only
 * if the record it checked holds this P */
tv_status tv__authority_openings(tv_ctx *ctx, char **out, size_t *opened, uint8_t list[32],
                                 const tv_authority *authority,
                                 const uint8_t seed[TV_PAPER_SEED_BYTES], const tv_manifest *m,
                                 const tv_point *election_key, const char *issue_json,
                                 size_t len, const uint8_t (*cast)[32], size_t ncast,
                                 uint64_t entries, const uint8_t head[32]);
/* the authority's signature binds its openings to the closed board it
 * checked (§15.8.6): O = H("paper-openings"; F, A, P, u64be(N), head_N,
 * u64be(n), o_1, ..., o_n) */
typedef struct tv__openings_seal {
	uint64_t entries;
	uint8_t head[32];
	uint8_t signature[64];
} tv__openings_seal;
tv_status tv__paper_openings_message(tv_ctx *ctx, uint8_t out[32], const uint8_t f[32],
                                     const uint8_t authority[32], const uint8_t list[32],
                                     uint64_t entries, const uint8_t head[32],
                                     const uint8_t (*openings)[32], size_t count);
/* the seal's signature checked over O under @p authority: TV_OK or
 * TV_ERR_SIGNATURE_INVALID */
tv_status tv__paper_openings_verify(tv_ctx *ctx, const uint8_t f[32],
                                    const uint8_t authority[32], const uint8_t list[32],
                                    const tv__openings_seal *seal,
                                    const uint8_t (*openings)[32], size_t count);
/* the openings of the authority's file, in its order, against election F */
tv_status tv__paper_openings_from_json(tv_ctx *ctx, uint8_t (**out)[32], size_t *count,
                                       tv__openings_seal *seal, const uint8_t f[32],
                                       const char *json, size_t len);

/* papers.json (§18.7a), written in pieces as the box streams its papers:
 * each gives the bytes written to @p out (snprintf's count) */
int tv__papers_json_begin(char *out, size_t cap, const uint8_t authority[32],
                          const uint8_t signature[64]);
int tv__papers_json_paper(char *out, size_t cap, int first, const uint8_t handle[32],
                          const tv_point *credential, const uint8_t commit[32]);
/* "],"opened":[" before the first; then the last piece, tv__papers_json_end:
 * the authority's seal of the openings when the box has it */
int tv__papers_json_opening(char *out, size_t cap, int first, const uint8_t opening[32]);
typedef struct tv__papers_record {
	uint8_t authority[32], signature[64];
	size_t count, nopened;
	struct tv__paper_listed {
		uint8_t handle[32], commit[32];
		tv_point credential;
	} *papers;
	uint8_t (*opened)[32];
	int has_seal;
	tv__openings_seal seal;
} tv__papers_record;
/* papers.json read (TV_ERR_ENCODING naming the field); order not checked */
tv_status tv__papers_json_read(tv_ctx *ctx, tv__papers_record *out, const char *text, size_t len);
int tv__papers_json_end(char *out, size_t cap, int any_opening, const tv__openings_seal *seal);
void tv__papers_record_free(tv_ctx *ctx, tv__papers_record *r);

#endif
