/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote-bench: what each cryptographic operation costs on this machine,
 * in microseconds and in units of OpenSSL's own ECDSA-P256 verify measured
 * in the same run (DESIGN §6). Microseconds depend on the machine; the
 * ECDSA-verify units mostly do not, so they are the figures to compare
 * across machines and to hold the performance model to.
 *
 * Only the public tenantvote API is used, plus OpenSSL for the yardstick
 * and for the comparisons the design asks for (compressed point decoding).
 * The ballot box row casts into a real box in a temporary folder under
 * /tmp: each cast is one fsync'd SQLite transaction, so it times the disk
 * as well as the processor.
 * Every call is checked: a benchmark that times failing calls measures
 * nothing, so any failure stops the run with the library's error message.
 */
/* nftw(), to remove the record's folder tree */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <tenantvote/tenantvote.h>

#include "bench-election.h"

/* seconds of work per row: enough batches long enough to dwarf timer noise */
#define TARGET_SECONDS_FULL 0.2
/* --quick (CI smoke test): just enough to run every path once or more */
#define TARGET_SECONDS_QUICK 0.01
/* an upper bound, so a call the compiler or library made free cannot spin */
#define MAX_ITERATIONS 100000000ull
/* passes over the table: each row gets one batch per pass, the fastest counts */
#define PASSES 5

#define BALLOT_MAX_OPTIONS 5
#define FINGERPRINT_BYTES 32
/* a ballot's proof context: election fingerprint || credential public key */
#define BALLOT_CONTEXT_BYTES (FINGERPRINT_BYTES + TV_POINT_BYTES)

/* the ballot box row: ballots cast (each once: the box refuses a replay) */
#define BOX_CASTS_FULL 200
#define BOX_CASTS_QUICK 20
/* tenants on the bench election's register; with the revote policy "last"
 * each may cast again and again, so the casts cycle through them */
#define BOX_TENANTS 24
#define BOX_TRUSTEES 2
/* group commit: ballots per tv_box_cast_batch(), ballots per process, and
 * the casting processes that run at once into the same box */
#define BOX_BATCH 64
#define BOX_GROUP_FULL 1280
#define BOX_GROUP_QUICK 128
#define BOX_PROCESSES 2
/*
 * The record rows: tenants, each casting one ballot by intake; a council's
 * 20,000. On a quiet 2-core machine 10,000 took 22 s to make (intake, and
 * the trustees' checking tally) and the whole bench 59 s, so 20,000 is
 * about 45 s and 95 s; on a busy one it can near 3 minutes: --ballots N
 * for a smaller record (the rows are per ballot).
 */
#define RECORD_BALLOTS_FULL 20000
#define RECORD_BALLOTS_QUICK 64
#define RECORD_BALLOTS_MAX 1000000 /* TV_INTAKE_ROWS_MAX: one intake file */
/* verifications of the record on each thread count; the fastest counts */
#define RECORD_RUNS_FULL 2
#define RECORD_RUNS_QUICK 1
/* the throughput rows after the box row: group commit on 1 and on
 * BOX_PROCESSES processes, intake, verify on 1 and on 2 threads */
#define DERIVED_ROWS 5
#define BOX_OPENS 1800000000  /* 2027-01-15T08:00:00Z */
#define BOX_CLOSES 1801000000 /* every `now` passed lies before this */

/* One ballot as the bench casts it (not the library's ballot format). */
struct ballot {
	size_t options;
	tv_ciphertext choice[BALLOT_MAX_OPTIONS]; /* 1 for the chosen option */
	tv_bit_proof choice_proof[BALLOT_MAX_OPTIONS];
	tv_range_proof total_proof; /* the sum is 0 or 1: one choice at most */
	tv_schnorr_signature signature; /* by the credential key */
};

/* Every input and output of the operations timed, set up once. */
struct bench {
	tv_ctx *ctx;

	/* the OpenSSL yardstick and comparisons (default library context) */
	EVP_PKEY *ecdsa_key;
	EVP_PKEY_CTX *ecdsa_sign_ctx;
	EVP_PKEY_CTX *ecdsa_verify_ctx;
	uint8_t ecdsa_digest[32];
	uint8_t ecdsa_sig[128];
	size_t ecdsa_sig_len;
	EC_GROUP *ossl_group;
	EC_POINT *ossl_point;
	BN_CTX *ossl_bn;
	uint8_t compressed[33];
	BIGNUM *order; /* n, for the nonce sums the public API cannot do */

	/* tenantvote fixtures */
	uint8_t fingerprint[FINGERPRINT_BYTES];
	tv_scalar joint_secret;
	tv_point joint_key;
	tv_scalar scalar_out;
	tv_point point_out;
	tv_ciphertext ct_out;
	tv_scalar nonce_out;
	tv_ciphertext ct_zero; /* encrypts 0: the Chaum–Pedersen statement */
	tv_scalar ct_zero_nonce;
	tv_ciphertext ct_one; /* encrypts 1: bit proof and range [0,1] */
	tv_scalar ct_one_nonce;
	tv_ciphertext ct_two; /* encrypts 2: range [0,3] */
	tv_scalar ct_two_nonce;
	tv_scalar pok_secret;
	tv_point pok_key;
	tv_schnorr_proof pok;
	tv_cp_proof cp;
	tv_bit_proof bit;
	tv_range_proof range01;
	tv_range_proof range03;
	tv_scalar signer_secret;
	tv_point signer_key;
	tv_schnorr_signature signature;
	tv_ed25519_secret_key ed_secret;
	tv_ed25519_public_key ed_key;
	tv_ed25519_signature ed_signature;

	/* ballots: credential key pair and the context that binds it */
	tv_scalar credential_secret;
	tv_point credential_key;
	uint8_t ballot_context[BALLOT_CONTEXT_BYTES];
	struct ballot ballot[3]; /* 2, 3 and 5 options */

	/* the ballot box: a real election, open for voting, in box_dir */
	tv_box *box;
	tv_ed25519_secret_key box_key;
	tv_ballot **box_ballots; /* box_ballot_count of them, library ballots */
	size_t box_ballot_count;
	size_t box_single;       /* the first of them, for the single-cast row */
	size_t box_cast;         /* how many of those are on the board */
	char box_codes[BOX_TENANTS][TV_CREDENTIAL_TEXT_LEN + 1];
	size_t box_codes_issued;
};

typedef void bench_op(struct bench *b, size_t arg);

struct row_spec {
	const char *section; /* printed above the row when it changes */
	const char *name;
	bench_op *op;
	size_t arg;
};

struct row_result {
	const char *section;
	const char *name;
	uint64_t batch_size;  /* calls per timed batch */
	uint64_t iterations;  /* calls timed, over every pass */
	double best_us;       /* per call, in the fastest batch: the figure */
	double worst_us;      /* per call, in the slowest batch: the noise */
	int single;           /* timed once: no spread to give */
	double per_second;    /* throughput rows: calls per second, else 0 */
};

static const size_t ballot_sizes[3] = { 2, 3, 5 };

/*
 * The box's temporary folder, removed at exit however the run ends (die()
 * exits): a failed bench must not leave a register's worth of files in /tmp.
 */
static char box_dir[64];

/* ---- failure: stop the run, never time a failing call ---- */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("tenantvote-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/*
 * Stop on anything but TV_OK: for a verifier that includes rejections,
 * since every proof the bench verifies was made honestly and must pass.
 */
static void check(struct bench *b, tv_status status, const char *what)
{
	if (status != TV_OK)
		die("%s failed: %s (%s)", what, tv_status_str(status),
		    tv_ctx_last_error(b->ctx));
}

static void check_openssl(int ok, const char *what)
{
	if (!ok) {
		fflush(stdout);
		ERR_print_errors_fp(stderr);
		die("OpenSSL: %s failed", what);
	}
}

/* ---- timing ---- */

static double now_seconds(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		die("clock_gettime(CLOCK_MONOTONIC) failed");
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the OpenSSL yardstick and comparisons ---- */

static void op_ecdsa_verify(struct bench *b, size_t arg)
{
	(void)arg;
	/* 1 is valid; 0 and negative are failures (OpenSSL's tri-state) */
	if (EVP_PKEY_verify(b->ecdsa_verify_ctx, b->ecdsa_sig, b->ecdsa_sig_len,
	                    b->ecdsa_digest, sizeof(b->ecdsa_digest)) != 1)
		check_openssl(0, "ECDSA verify of a valid signature");
}

static void op_ecdsa_sign(struct bench *b, size_t arg)
{
	uint8_t sig[sizeof(b->ecdsa_sig)];
	size_t len = sizeof(sig);

	(void)arg;
	check_openssl(EVP_PKEY_sign(b->ecdsa_sign_ctx, sig, &len, b->ecdsa_digest,
	                            sizeof(b->ecdsa_digest)) == 1,
	              "ECDSA sign");
}

static void op_openssl_decode_compressed(struct bench *b, size_t arg)
{
	(void)arg;
	/* the y coordinate comes back by a square root mod p: the cost at issue */
	check_openssl(EC_POINT_oct2point(b->ossl_group, b->ossl_point, b->compressed,
	                                 sizeof(b->compressed), b->ossl_bn),
	              "compressed point decode");
}

static void op_openssl_decode_uncompressed(struct bench *b, size_t arg)
{
	(void)arg;
	check_openssl(EC_POINT_oct2point(b->ossl_group, b->ossl_point,
	                                 b->joint_key.bytes, TV_POINT_BYTES, b->ossl_bn),
	              "uncompressed point decode");
}

/* ---- tenantvote primitives ---- */

static void op_point_decode(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_point_decode(b->ctx, &b->point_out, b->joint_key.bytes,
	                         TV_POINT_BYTES),
	      "tv_point_decode");
}

static void op_scalar_random(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_scalar_random(b->ctx, &b->scalar_out), "tv_scalar_random");
}

static void op_base_mul(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_point_base_mul(b->ctx, &b->point_out, &b->joint_secret),
	      "tv_point_base_mul");
}

static void op_encrypt(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_elgamal_encrypt(b->ctx, &b->ct_out, &b->nonce_out,
	                            &b->joint_key, 1),
	      "tv_elgamal_encrypt");
}

static void op_ciphertext_add(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_ciphertext_add(b->ctx, &b->ct_out, &b->ct_zero, &b->ct_one),
	      "tv_ciphertext_add");
}

static void op_pok_prove(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_schnorr_prove(b->ctx, &b->pok, NULL, &b->pok_secret,
	                          b->fingerprint, sizeof(b->fingerprint)),
	      "tv_schnorr_prove");
}

static void op_pok_verify(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_schnorr_verify(b->ctx, &b->pok, &b->pok_key, b->fingerprint,
	                           sizeof(b->fingerprint)),
	      "tv_schnorr_verify");
}

/*
 * The statement log_G alpha = log_K beta for an encryption of 0: the same
 * two-base shape as a trustee's partial decryption, built from the public
 * API alone (it has no general point multiplication).
 */
static void op_cp_prove(struct bench *b, size_t arg)
{
	tv_point g;

	(void)arg;
	tv_point_generator(&g);
	check(b, tv_cp_prove(b->ctx, &b->cp, &b->ct_zero_nonce, &g, &b->ct_zero.alpha,
	                     &b->joint_key, &b->ct_zero.beta, b->fingerprint,
	                     sizeof(b->fingerprint)),
	      "tv_cp_prove");
}

static void op_cp_verify(struct bench *b, size_t arg)
{
	tv_point g;

	(void)arg;
	tv_point_generator(&g);
	check(b, tv_cp_verify(b->ctx, &b->cp, &g, &b->ct_zero.alpha, &b->joint_key,
	                      &b->ct_zero.beta, b->fingerprint, sizeof(b->fingerprint)),
	      "tv_cp_verify");
}

static void op_bit_prove(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_bit_prove(b->ctx, &b->bit, &b->ct_one, &b->joint_key, 1,
	                      &b->ct_one_nonce, b->fingerprint, sizeof(b->fingerprint)),
	      "tv_bit_prove");
}

static void op_bit_verify(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_bit_verify(b->ctx, &b->bit, &b->ct_one, &b->joint_key,
	                       b->fingerprint, sizeof(b->fingerprint)),
	      "tv_bit_verify");
}

/* arg is the range's max: 1 proves ct_one in [0,1], 3 proves ct_two in [0,3] */
static void op_range_prove(struct bench *b, size_t arg)
{
	int wide = arg == 3;

	check(b, tv_range_prove(b->ctx, wide ? &b->range03 : &b->range01,
	                        wide ? &b->ct_two : &b->ct_one, &b->joint_key, 0,
	                        (uint32_t)arg, wide ? 2 : 1,
	                        wide ? &b->ct_two_nonce : &b->ct_one_nonce,
	                        b->fingerprint, sizeof(b->fingerprint)),
	      "tv_range_prove");
}

static void op_range_verify(struct bench *b, size_t arg)
{
	int wide = arg == 3;

	check(b, tv_range_verify(b->ctx, wide ? &b->range03 : &b->range01,
	                         wide ? &b->ct_two : &b->ct_one, &b->joint_key, 0,
	                         (uint32_t)arg, b->fingerprint, sizeof(b->fingerprint)),
	      "tv_range_verify");
}

static void op_schnorr_sign(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_schnorr_sign(b->ctx, &b->signature, &b->signer_secret,
	                         b->ecdsa_digest, sizeof(b->ecdsa_digest)),
	      "tv_schnorr_sign");
}

static void op_schnorr_verify(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_schnorr_signature_verify(b->ctx, &b->signature, &b->signer_key,
	                                     b->ecdsa_digest, sizeof(b->ecdsa_digest)),
	      "tv_schnorr_signature_verify");
}

static void op_ed25519_sign(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_ed25519_sign(b->ctx, &b->ed_signature, &b->ed_secret,
	                         b->ecdsa_digest, sizeof(b->ecdsa_digest)),
	      "tv_ed25519_sign");
}

static void op_ed25519_verify(struct bench *b, size_t arg)
{
	(void)arg;
	check(b, tv_ed25519_verify(b->ctx, &b->ed_signature, &b->ed_key,
	                           b->ecdsa_digest, sizeof(b->ecdsa_digest)),
	      "tv_ed25519_verify");
}

/* ---- one ballot ---- */

/* What the credential signs: SHA-256 of the ciphertexts, alpha || beta each. */
static void ballot_digest(const struct ballot *ballot, uint8_t out[32])
{
	uint8_t bytes[BALLOT_MAX_OPTIONS * 2 * TV_POINT_BYTES];
	size_t i, len = 0;

	for (i = 0; i < ballot->options; i++) {
		memcpy(bytes + len, ballot->choice[i].alpha.bytes, TV_POINT_BYTES);
		len += TV_POINT_BYTES;
		memcpy(bytes + len, ballot->choice[i].beta.bytes, TV_POINT_BYTES);
		len += TV_POINT_BYTES;
	}
	check_openssl(EVP_Digest(bytes, len, out, NULL, EVP_sha256(), NULL),
	              "SHA-256 of the ballot");
}

/* The ciphertext of the total: the homomorphic sum of every option's. */
static void ballot_total(struct bench *b, tv_ciphertext *total,
                         const struct ballot *ballot)
{
	size_t i;

	*total = ballot->choice[0];
	for (i = 1; i < ballot->options; i++)
		check(b, tv_ciphertext_add(b->ctx, total, total, &ballot->choice[i]),
		      "tv_ciphertext_add (ballot total)");
}

/*
 * The total's nonce is the sum of the options' nonces mod n. The public API
 * has no scalar arithmetic, so OpenSSL's BIGNUM does it here.
 */
static void nonce_sum(struct bench *b, tv_scalar *out, const tv_scalar *nonce,
                      size_t count)
{
	BIGNUM *sum = BN_secure_new(), *term = BN_secure_new();
	size_t i;

	check_openssl(sum != NULL && term != NULL, "BN_secure_new");
	BN_set_flags(sum, BN_FLG_CONSTTIME);
	BN_set_flags(term, BN_FLG_CONSTTIME);
	BN_zero(sum);
	for (i = 0; i < count; i++)
		check_openssl(BN_bin2bn(nonce[i].bytes, TV_SCALAR_BYTES, term) != NULL &&
		              BN_mod_add(sum, sum, term, b->order, b->ossl_bn),
		              "nonce sum");
	check_openssl(BN_bn2binpad(sum, out->bytes, TV_SCALAR_BYTES) == TV_SCALAR_BYTES,
	              "nonce sum encoding");
	BN_clear_free(sum);
	BN_clear_free(term);
}

/* arg indexes ballot_sizes; the vote is for the first option */
static void op_ballot_cast(struct bench *b, size_t arg)
{
	struct ballot *ballot = &b->ballot[arg];
	tv_scalar nonce[BALLOT_MAX_OPTIONS], total_nonce;
	tv_ciphertext total;
	uint8_t digest[32];
	size_t i;

	ballot->options = ballot_sizes[arg];
	for (i = 0; i < ballot->options; i++) {
		uint32_t value = i == 0;

		check(b, tv_elgamal_encrypt(b->ctx, &ballot->choice[i], &nonce[i],
		                            &b->joint_key, value),
		      "tv_elgamal_encrypt (ballot)");
		check(b, tv_bit_prove(b->ctx, &ballot->choice_proof[i], &ballot->choice[i],
		                      &b->joint_key, value, &nonce[i], b->ballot_context,
		                      sizeof(b->ballot_context)),
		      "tv_bit_prove (ballot)");
	}
	ballot_total(b, &total, ballot);
	nonce_sum(b, &total_nonce, nonce, ballot->options);
	check(b, tv_range_prove(b->ctx, &ballot->total_proof, &total, &b->joint_key,
	                        0, 1, 1, &total_nonce, b->ballot_context,
	                        sizeof(b->ballot_context)),
	      "tv_range_prove (ballot total)");
	ballot_digest(ballot, digest);
	check(b, tv_schnorr_sign(b->ctx, &ballot->signature, &b->credential_secret,
	                         digest, sizeof(digest)),
	      "tv_schnorr_sign (ballot)");
	for (i = 0; i < ballot->options; i++)
		tv_scalar_wipe(&nonce[i]);
	tv_scalar_wipe(&total_nonce);
}

/* A verifier trusts nothing derived: it recomputes the total and the digest. */
static void op_ballot_verify(struct bench *b, size_t arg)
{
	const struct ballot *ballot = &b->ballot[arg];
	tv_ciphertext total;
	uint8_t digest[32];
	size_t i;

	ballot_total(b, &total, ballot);
	for (i = 0; i < ballot->options; i++)
		check(b, tv_bit_verify(b->ctx, &ballot->choice_proof[i], &ballot->choice[i],
		                       &b->joint_key, b->ballot_context,
		                       sizeof(b->ballot_context)),
		      "tv_bit_verify (ballot)");
	check(b, tv_range_verify(b->ctx, &ballot->total_proof, &total, &b->joint_key,
	                         0, 1, b->ballot_context, sizeof(b->ballot_context)),
	      "tv_range_verify (ballot total)");
	ballot_digest(ballot, digest);
	check(b, tv_schnorr_signature_verify(b->ctx, &ballot->signature,
	                                     &b->credential_key, digest, sizeof(digest)),
	      "tv_schnorr_signature_verify (ballot)");
}

/* ---- the ballot box ---- */

/*
 * One prepared ballot into the box: the ballot's checks, the box's checks
 * and the append in one BEGIN IMMEDIATE transaction, its COMMIT (WAL,
 * synchronous=FULL: an fsync), and the signed receipt. A ballot is cast
 * once: the box refuses a replay, so each call takes the next one.
 */
static void op_box_cast(struct bench *b, size_t arg)
{
	tv_receipt receipt;

	(void)arg;
	if (b->box_cast == b->box_single)
		die("the ballot box ran out of prepared ballots");
	/* a distinct `now` per cast, inside the voting window */
	check(b, tv_box_cast(b->ctx, &receipt, b->box, b->box_ballots[b->box_cast],
	                     TV_CHANNEL_ONLINE, &b->box_key,
	                     BOX_OPENS + 1 + (int64_t)b->box_cast),
	      "tv_box_cast");
	b->box_cast++;
}

/* timed apart from the table below: it consumes its inputs (measure_box()) */
static const struct row_spec box_row = {
	"ballot box", "cast into the box (m=2)", op_box_cast, 0
};

/* ---- the rows, in the order printed ---- */

static const struct row_spec rows[] = {
	{ "yardstick (OpenSSL)", "ECDSA-P256 verify", op_ecdsa_verify, 0 },
	{ "yardstick (OpenSSL)", "ECDSA-P256 sign", op_ecdsa_sign, 0 },
	{ "points", "tv_point_decode, 65 B uncompressed", op_point_decode, 0 },
	{ "points", "OpenSSL decode, 33 B compressed", op_openssl_decode_compressed, 0 },
	{ "points", "OpenSSL decode, 65 B uncompressed", op_openssl_decode_uncompressed, 0 },
	{ "group", "scalar random", op_scalar_random, 0 },
	{ "group", "base mul k*G", op_base_mul, 0 },
	{ "ElGamal", "encrypt", op_encrypt, 0 },
	{ "ElGamal", "ciphertext add", op_ciphertext_add, 0 },
	{ "proofs", "Schnorr PoK prove", op_pok_prove, 0 },
	{ "proofs", "Schnorr PoK verify", op_pok_verify, 0 },
	{ "proofs", "Chaum-Pedersen prove", op_cp_prove, 0 },
	{ "proofs", "Chaum-Pedersen verify", op_cp_verify, 0 },
	{ "proofs", "bit (0/1) prove", op_bit_prove, 0 },
	{ "proofs", "bit (0/1) verify", op_bit_verify, 0 },
	{ "proofs", "range [0,1] prove", op_range_prove, 1 },
	{ "proofs", "range [0,1] verify", op_range_verify, 1 },
	{ "proofs", "range [0,3] prove", op_range_prove, 3 },
	{ "proofs", "range [0,3] verify", op_range_verify, 3 },
	{ "signatures", "Schnorr sign", op_schnorr_sign, 0 },
	{ "signatures", "Schnorr verify", op_schnorr_verify, 0 },
	{ "signatures", "Ed25519 sign", op_ed25519_sign, 0 },
	{ "signatures", "Ed25519 verify", op_ed25519_verify, 0 },
	{ "ballot", "ballot m=2 encrypt+prove", op_ballot_cast, 0 },
	{ "ballot", "ballot m=2 verify", op_ballot_verify, 0 },
	{ "ballot", "ballot m=3 encrypt+prove", op_ballot_cast, 1 },
	{ "ballot", "ballot m=3 verify", op_ballot_verify, 1 },
	{ "ballot", "ballot m=5 encrypt+prove", op_ballot_cast, 2 },
	{ "ballot", "ballot m=5 verify", op_ballot_verify, 2 },
};

#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

/* ---- measurement ---- */

/* time @p n calls of @p spec's operation, in seconds */
static double time_batch(struct bench *b, const struct row_spec *spec, uint64_t n)
{
	double start = now_seconds();
	uint64_t i;

	for (i = 0; i < n; i++)
		spec->op(b, spec->arg);
	return now_seconds() - start;
}

static void record_batch(struct row_result *result, double elapsed)
{
	double us = elapsed * 1e6 / (double)result->batch_size;

	result->iterations += result->batch_size;
	if (result->best_us == 0 || us < result->best_us)
		result->best_us = us;
	if (us > result->worst_us)
		result->worst_us = us;
}

/*
 * First pass for one row: find how many calls take @p batch_target
 * seconds, predicting each size from the last. The batch that ends the
 * search counts as the row's first timed batch.
 */
static struct row_result calibrate(struct bench *b, const struct row_spec *spec,
                                   double batch_target)
{
	struct row_result result = { spec->section, spec->name, 1, 0, 0.0, 0.0 };
	double elapsed;

	spec->op(b, spec->arg); /* warm-up, and a first check that it works */
	for (;;) {
		double next;

		elapsed = time_batch(b, spec, result.batch_size);
		if (elapsed >= batch_target || result.batch_size >= MAX_ITERATIONS)
			break;
		/* aim 10% past the target, growing at most 100-fold per batch */
		next = (double)result.batch_size *
		       (elapsed > 0 ? batch_target * 1.1 / elapsed : 100.0);
		if (next > (double)result.batch_size * 100)
			next = (double)result.batch_size * 100;
		if (next < (double)result.batch_size + 1)
			next = (double)result.batch_size + 1;
		result.batch_size = next > (double)MAX_ITERATIONS ? MAX_ITERATIONS
		                                                  : (uint64_t)next;
	}
	record_batch(&result, elapsed);
	return result;
}

/*
 * Time every row in PASSES passes over the whole table, one batch per row
 * per pass, and keep each row's fastest batch. Other processes only ever
 * add time, so the minimum is the estimate least disturbed by them, and
 * spreading a row's batches over the run means a burst of someone else's
 * work cannot hit all of them (on a shared 2-core machine a compiler on
 * the other core moved single measurements by a factor of two).
 */
static void measure_all(struct bench *b, struct row_result *result,
                        size_t count, double target)
{
	double batch_target = target / PASSES;
	size_t r;
	int pass;

	/*
	 * Every row is divided by the first, so it must not pay for a cold
	 * start (page faults, lazy binding, a low clock): a discarded run first.
	 */
	(void)calibrate(b, &rows[0], batch_target);
	for (r = 0; r < count; r++)
		result[r] = calibrate(b, &rows[r], batch_target);
	for (pass = 1; pass < PASSES; pass++)
		for (r = 0; r < count; r++)
			record_batch(&result[r],
			             time_batch(b, &rows[r], result[r].batch_size));
}

/* What the ballot box row measured, for the derived ballots per second. */
struct box_figures {
	uint64_t casts;  /* timed casts */
	double seconds;  /* all of them, back to back */
	uint64_t group;  /* ballots per process in the group-commit runs */
	double group_one;   /* seconds: one process, batches of BOX_BATCH */
	double group_many;  /* seconds: BOX_PROCESSES processes at once */
};

/*
 * Cast @p n prepared ballots from @p first in batches of BOX_BATCH through
 * a box handle of its own (as a separate process would); 0 on success.
 */
static int cast_batches(struct bench *b, size_t first, size_t n, int64_t now)
{
	tv_cast_item items[BOX_BATCH];
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	int rc = 1;

	if (tv_ctx_new(&ctx, NULL) != TV_OK || tv_box_open(ctx, &box, box_dir) != TV_OK)
		goto out;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < BOX_BATCH ? n - done : BOX_BATCH;

		memset(items, 0, sizeof(items));
		for (size_t i = 0; i < k; i++) {
			items[i].ballot = b->box_ballots[first + done + i];
			items[i].channel = TV_CHANNEL_ONLINE;
		}
		if (tv_box_cast_batch(ctx, box, items, k, &b->box_key, now) != TV_OK) {
			fprintf(stderr, "tenantvote-bench: tv_box_cast_batch: %s\n",
			        tv_ctx_last_error(ctx));
			goto out;
		}
		for (size_t i = 0; i < k; i++)
			if (items[i].status != TV_OK) {
				fprintf(stderr, "tenantvote-bench: batch item: %s\n", items[i].message);
				goto out;
			}
		done += k;
	}
	rc = 0;
out:
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/*
 * Group commit: BOX_PROCESSES processes (forked, each with its own box
 * handle) cast @p per ballots each, all at once; the wall time in seconds.
 */
static double measure_group(struct bench *b, size_t first, size_t per, int processes)
{
	pid_t pid[BOX_PROCESSES];
	double start = now_seconds();
	int p, status, failed = 0;

	fflush(NULL);
	for (p = 0; p < processes; p++) {
		if ((pid[p] = fork()) < 0)
			die("fork failed");
		if (pid[p] == 0)
			_exit(cast_batches(b, first + (size_t)p * per, per,
			                   BOX_OPENS + 100000 + p));
	}
	for (p = 0; p < processes; p++)
		if (waitpid(pid[p], &status, 0) != pid[p] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			failed = 1;
	if (failed)
		die("a casting process failed");
	return now_seconds() - start;
}

/*
 * The box row: the prepared ballots (but one, the warm-up) cast in PASSES
 * equal batches, the fastest batch reported as for every other row. It
 * cannot calibrate like the others: a cast consumes its ballot, so the
 * number of ballots prepared fixes the work, and --quick prepares few.
 */
static struct row_result measure_box(struct bench *b, struct box_figures *figures)
{
	struct row_result result = { box_row.section, box_row.name, 0, 0, 0.0, 0.0 };
	int pass;

	box_row.op(b, box_row.arg); /* warm-up, and a first check that it works */
	result.batch_size = (b->box_single - b->box_cast) / PASSES;
	if (result.batch_size == 0)
		die("too few ballots prepared for the ballot box row");
	figures->casts = 0;
	figures->seconds = 0.0;
	for (pass = 0; pass < PASSES; pass++) {
		double elapsed = time_batch(b, &box_row, result.batch_size);

		record_batch(&result, elapsed);
		figures->casts += result.batch_size;
		figures->seconds += elapsed;
	}
	return result;
}

/* ---- a whole record: intake, export, and the universal verifier ---- */

/*
 * The record rows time a real election end to end through the public API,
 * as the CLI's intake, export and verify do, in a temporary folder of its
 * own: --ballots tenants (RECORD_BALLOTS_FULL unless told), each casting
 * one two-option ballot by an intake file, then the close, the trustees' tally, the record, and
 * tv_record_verify() over it on one thread and on two.
 */
static char record_root[64];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) != 0; /* the walk is depth-first: files first */
}

/* atexit: the record's folder, its box, the record and the trustees' copy */
static void remove_record_root(void)
{
	if (record_root[0] == '\0')
		return;
	if (nftw(record_root, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "tenantvote-bench: cannot remove %s\n", record_root);
	record_root[0] = '\0';
}

/* What the record's letters give: every tenant's code, in register order. */
struct record_codes {
	char (*code)[TV_CREDENTIAL_TEXT_LEN + 1];
	size_t count, capacity;
};

static int record_letter(const tv_tenant *tenant, const char *code, void *payload)
{
	struct record_codes *c = payload;

	if (tenant == NULL)
		return 0;
	if (c->count == c->capacity)
		return 1;
	snprintf(c->code[c->count++], sizeof(c->code[0]), "%s", code);
	return 0;
}

/*
 * The key ceremony, BOX_TRUSTEES trustees all in this one process, bound to
 * the signed credential list; the trustees are handed back in @p keep (to
 * decrypt) or, if it is NULL, freed.
 */
static void run_ceremony(struct bench *b, tv_box *box, tv_trustee **keep)
{
	const size_t count = BOX_TRUSTEES;
	tv_trustee *trustee[BOX_TRUSTEES] = { NULL };
	char *commit[BOX_TRUSTEES], *reveal[BOX_TRUSTEES], *result[BOX_TRUSTEES];
	uint8_t context[FINGERPRINT_BYTES];
	size_t i;

	check(b, tv_box_ceremony_context(b->ctx, context, box), "tv_box_ceremony_context");
	for (i = 0; i < count; i++) {
		check(b, tv_trustee_new(b->ctx, &trustee[i], context, (uint32_t)i + 1,
		                        (uint32_t)count, (uint32_t)count),
		      "tv_trustee_new");
		check(b, tv_trustee_commit(b->ctx, &commit[i], trustee[i]),
		      "tv_trustee_commit");
	}
	for (i = 0; i < count; i++)
		check(b, tv_trustee_reveal(b->ctx, &reveal[i], trustee[i],
		                           (const char *const *)commit, count),
		      "tv_trustee_reveal");
	for (i = 0; i < count; i++)
		check(b, tv_trustee_combine(b->ctx, &result[i], NULL, trustee[i],
		                            (const char *const *)commit, count,
		                            (const char *const *)reveal, count),
		      "tv_trustee_combine");
	check(b, tv_box_set_election_key(b->ctx, box, (const char *const *)commit,
	                                 (const char *const *)reveal,
	                                 (const char *const *)result, count),
	      "tv_box_set_election_key");
	for (i = 0; i < count; i++) {
		tv_free(b->ctx, commit[i]);
		tv_free(b->ctx, reveal[i]);
		tv_free(b->ctx, result[i]);
		if (keep != NULL)
			keep[i] = trustee[i];
		else
			tv_trustee_free(trustee[i]);
	}
}

/* What the record rows measured. */
struct record_figures {
	size_t ballots;       /* tenants, each one ballot by intake */
	uint64_t entries;     /* board entries the verifier read */
	double setup_seconds; /* the whole making of the record, intake included */
	double intake_seconds; /* tv_intake_parse() and tv_box_intake() */
	double verify_seconds[2]; /* fastest run on 1 and on 2 threads */
	double verify_worst[2];   /* slowest: the noise */
	int verify_runs;      /* runs of each */
};

static void record_verify_check(struct bench *b, const char *dir, unsigned threads,
                                uint64_t *entries)
{
	tv_verify_summary summary;

	memset(&summary, 0, sizeof(summary));
	check(b, tv_record_verify(b->ctx, dir, threads, NULL, NULL, NULL, NULL, &summary),
	      "tv_record_verify");
	if (summary.failed != 0 || summary.failures != 0 ||
	    summary.passed != TV_VERIFY_CHECKS)
		die("the bench's record did not verify: %u checks failed", summary.failed);
	*entries = summary.entries;
}

/*
 * Make the record of @p ballots tenants and time its intake and its
 * verification; @p runs verifications on each thread count, alternating,
 * the fastest kept (as the table's rows keep their fastest batch).
 */
static void measure_record(struct bench *b, size_t ballots, int runs,
                           struct record_figures *fig)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *manifest = NULL;
	tv_register *reg = NULL;
	tv_box *box = NULL;
	tv_intake *intake = NULL;
	tv_intake_summary summary;
	tv_trustee *trustee[BOX_TRUSTEES] = { NULL };
	char *dec[BOX_TRUSTEES] = { NULL };
	tv_tally *tally = NULL, *checked = NULL;
	tv_result *result = NULL;
	tv_election_key key;
	tv_ed25519_secret_key box_key;
	tv_ed25519_public_key box_public;
	struct record_codes codes = { NULL, 0, ballots };
	uint8_t fingerprint[FINGERPRINT_BYTES];
	char boxdir[128], record[128], for_trustees[128], *csv;
	size_t cap, len, i;
	double start = now_seconds(), t;
	uint64_t entries;
	int run;
	unsigned k;

	memset(fig, 0, sizeof(*fig));
	fig->ballots = ballots;
	fig->verify_runs = runs;
	if (atexit(remove_record_root) != 0)
		die("atexit failed");
	snprintf(record_root, sizeof(record_root), "/tmp/tenantvote-bench-record-XXXXXX");
	if (mkdtemp(record_root) == NULL) {
		record_root[0] = '\0';
		die("cannot make a temporary folder under /tmp for the record");
	}
	snprintf(boxdir, sizeof(boxdir), "%s/box", record_root);
	snprintf(record, sizeof(record), "%s/record", record_root);
	snprintf(for_trustees, sizeof(for_trustees), "%s/for-trustees", record_root);

	bench_election(&o, "bench-record", BOX_OPENS, BOX_CLOSES, BOX_TRUSTEES);
	o.channels = TV_CHANNEL_POSTAL;
	check(b, tv_manifest_new(b->ctx, &manifest, &o), "tv_manifest_new");
	check(b, tv_box_create(b->ctx, &box, boxdir, manifest), "tv_box_create");
	tv_manifest_fingerprint(fingerprint, manifest);

	if (!bench_register(&csv, &len, ballots, 'R'))
		die("out of memory");
	check(b, tv_register_parse(b->ctx, &reg, (const uint8_t *)csv, len, "record.csv",
	                           NULL, NULL),
	      "tv_register_parse");
	check(b, tv_box_import_register(b->ctx, box, reg, "record.csv"),
	      "tv_box_import_register");
	tv_register_free(reg);
	if ((codes.code = calloc(ballots, sizeof(codes.code[0]))) == NULL)
		die("out of memory");
	check(b, tv_box_issue_credentials(b->ctx, box, record_letter, &codes),
	      "tv_box_issue_credentials");
	if (codes.count != ballots)
		die("%zu credentials issued for %zu tenants", codes.count, ballots);
	run_ceremony(b, box, trustee);
	check(b, tv_box_election_key(b->ctx, &key, box), "tv_box_election_key");
	check(b, tv_ed25519_keygen(b->ctx, &box_key, &box_public), "tv_ed25519_keygen");
	check(b, tv_box_open_voting(b->ctx, box, &box_key), "tv_box_open_voting");

	/* the intake file, every tenant's paper: 11 Yes to 9 No */
	free(csv);
	cap = 64 + ballots * 64;
	if ((csv = malloc(cap)) == NULL)
		die("out of memory");
	len = (size_t)snprintf(csv, cap, "code,choice\n");
	for (i = 0; i < ballots; i++)
		len += (size_t)snprintf(csv + len, cap - len, "%s,%d\n", codes.code[i],
		                        i % 20 < 11 ? 1 : 2);
	if (len >= cap)
		die("the intake file does not fit its buffer");
	OPENSSL_cleanse(codes.code, ballots * sizeof(codes.code[0]));
	free(codes.code);

	t = now_seconds();
	check(b, tv_intake_parse(b->ctx, &intake, csv, len, tv_box_manifest(box), "bench",
	                         NULL, NULL),
	      "tv_intake_parse");
	check(b, tv_box_intake(b->ctx, box, intake, TV_CHANNEL_POSTAL, &box_key,
	                       BOX_OPENS + 1, NULL, NULL, NULL, NULL, &summary),
	      "tv_box_intake");
	fig->intake_seconds = now_seconds() - t;
	if (summary.cast != ballots)
		die("the intake cast %zu of %zu rows", summary.cast, ballots);
	tv_intake_free(intake);
	OPENSSL_cleanse(csv, len);
	free(csv);

	/* close, and the trustees' way to a declaration (SPEC §16.3) */
	check(b, tv_box_close_voting_at(b->ctx, NULL, NULL, box, &box_key, BOX_OPENS + 2,
	                                "Benchmark ballot: closed once the papers are in"),
	      "tv_box_close_voting_at");
	check(b, tv_box_tally(b->ctx, &tally, box), "tv_box_tally");
	check(b, tv_box_export_record(b->ctx, box, for_trustees, NULL, NULL, 0, NULL, NULL,
	                              NULL),
	      "tv_box_export_record (for the trustees)");
	check(b, tv_record_tally(b->ctx, &checked, for_trustees, 2, NULL, NULL, NULL, NULL),
	      "tv_record_tally");
	for (i = 0; i < BOX_TRUSTEES; i++)
		check(b, tv_tally_decrypt(b->ctx, &dec[i], checked, trustee[i], fingerprint),
		      "tv_tally_decrypt");
	check(b, tv_tally_combine(b->ctx, &result, NULL, tally, manifest, &key,
	                          (const char *const *)dec, BOX_TRUSTEES),
	      "tv_tally_combine");
	check(b, tv_box_export_record(b->ctx, box, record, tally, (const char *const *)dec,
	                              BOX_TRUSTEES, result, NULL, NULL),
	      "tv_box_export_record");
	for (i = 0; i < BOX_TRUSTEES; i++) {
		tv_free(b->ctx, dec[i]);
		tv_trustee_free(trustee[i]);
	}
	tv_result_free(result);
	tv_tally_free(checked);
	tv_tally_free(tally);
	tv_box_free(box);
	tv_manifest_free(manifest);
	tv_ed25519_secret_wipe(&box_key);
	fig->setup_seconds = now_seconds() - start;

	for (run = 0; run < runs; run++)
		for (k = 0; k < 2; k++) {
			t = now_seconds();
			record_verify_check(b, record, k + 1, &entries);
			t = now_seconds() - t;
			if (fig->verify_seconds[k] == 0 || t < fig->verify_seconds[k])
				fig->verify_seconds[k] = t;
			if (t > fig->verify_worst[k])
				fig->verify_worst[k] = t;
			/* one entry a tenant: else the rows divide by the wrong count */
			if (entries != ballots)
				die("the record has %" PRIu64 " board entries for %zu ballots",
				    entries, ballots);
			fig->entries = entries;
		}
	remove_record_root();
}


/* the throughput rows' names, with their sizes in them */
static char derived_name[DERIVED_ROWS][48];

/*
 * The per-ballot rows, in the table's units: the group-commit runs of the
 * box (ballots prepared beforehand, so casting alone), the intake (each row
 * encrypted by the intake station, then cast), and the verifier over the
 * whole record, each divided by the ballots or board entries it handled.
 */
static void derived_rows(struct row_result *out, const struct box_figures *box,
                         const struct record_figures *fig)
{
	static const char section[] = "per ballot (throughput)";
	size_t i;

	snprintf(derived_name[0], sizeof(derived_name[0]),
	         "box cast, batches of %d, 1 process", BOX_BATCH);
	snprintf(derived_name[1], sizeof(derived_name[1]),
	         "box cast, batches of %d, %d processes", BOX_BATCH, BOX_PROCESSES);
	snprintf(derived_name[2], sizeof(derived_name[2]), "intake, per row (%zu rows)",
	         fig->ballots);
	snprintf(derived_name[3], sizeof(derived_name[3]),
	         "verify record, 1 thread (%zu ballots)", fig->ballots);
	snprintf(derived_name[4], sizeof(derived_name[4]),
	         "verify record, 2 threads (%zu ballots)", fig->ballots);
	memset(out, 0, DERIVED_ROWS * sizeof(*out));
	for (i = 0; i < DERIVED_ROWS; i++) {
		out[i].section = section;
		out[i].name = derived_name[i];
		out[i].single = 1;
	}
	out[0].iterations = box->group;
	out[0].best_us = box->group_one * 1e6 / (double)box->group;
	/* wall time over every process's ballots: the box's throughput */
	out[1].iterations = box->group * BOX_PROCESSES;
	out[1].best_us = box->group_many * 1e6 / (double)out[1].iterations;
	out[2].iterations = fig->ballots;
	out[2].best_us = fig->intake_seconds * 1e6 / (double)fig->ballots;
	for (i = 0; i < 2; i++) {
		struct row_result *r = &out[3 + i];

		r->iterations = fig->entries * (uint64_t)fig->verify_runs;
		r->best_us = fig->verify_seconds[i] * 1e6 / (double)fig->entries;
		r->worst_us = fig->verify_worst[i] * 1e6 / (double)fig->entries;
		r->single = fig->verify_runs < 2;
	}
	for (i = 0; i < DERIVED_ROWS; i++) {
		if (out[i].worst_us == 0)
			out[i].worst_us = out[i].best_us;
		out[i].per_second = 1e6 / out[i].best_us;
	}
}

/* ---- setup: keys, ciphertexts and one valid proof of each kind ---- */

static void setup_openssl(struct bench *b)
{
	tv_point decoded;
	size_t len;

	b->ecdsa_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	check_openssl(b->ecdsa_key != NULL, "EVP_PKEY_Q_keygen(P-256)");
	check_openssl(EVP_Digest("tenantvote-bench", 16, b->ecdsa_digest, NULL,
	                         EVP_sha256(), NULL),
	              "SHA-256");
	b->ecdsa_sign_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, b->ecdsa_key, NULL);
	b->ecdsa_verify_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, b->ecdsa_key, NULL);
	check_openssl(b->ecdsa_sign_ctx != NULL && b->ecdsa_verify_ctx != NULL &&
	              EVP_PKEY_sign_init(b->ecdsa_sign_ctx) == 1 &&
	              EVP_PKEY_verify_init(b->ecdsa_verify_ctx) == 1,
	              "ECDSA context setup");
	b->ecdsa_sig_len = sizeof(b->ecdsa_sig);
	check_openssl(EVP_PKEY_sign(b->ecdsa_sign_ctx, b->ecdsa_sig, &b->ecdsa_sig_len,
	                            b->ecdsa_digest, sizeof(b->ecdsa_digest)) == 1,
	              "ECDSA sign");

	b->ossl_group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	b->ossl_bn = BN_CTX_new();
	check_openssl(b->ossl_group != NULL && b->ossl_bn != NULL &&
	              (b->ossl_point = EC_POINT_new(b->ossl_group)) != NULL,
	              "P-256 group setup");
	b->order = BN_dup(EC_GROUP_get0_order(b->ossl_group));
	check_openssl(b->order != NULL, "BN_dup");

	/* the compressed form of the very point tv_point_decode is timed on */
	check_openssl(EC_POINT_oct2point(b->ossl_group, b->ossl_point, b->joint_key.bytes,
	                                 TV_POINT_BYTES, b->ossl_bn),
	              "decode of the joint key");
	len = EC_POINT_point2oct(b->ossl_group, b->ossl_point,
	                         POINT_CONVERSION_COMPRESSED, b->compressed,
	                         sizeof(b->compressed), b->ossl_bn);
	check_openssl(len == sizeof(b->compressed), "compressed encoding");
	/* and it must come back to the same point, or the comparison is moot */
	op_openssl_decode_compressed(b, 0);
	check_openssl(EC_POINT_point2oct(b->ossl_group, b->ossl_point,
	                                 POINT_CONVERSION_UNCOMPRESSED, decoded.bytes,
	                                 TV_POINT_BYTES, b->ossl_bn) == TV_POINT_BYTES,
	              "uncompressed encoding");
	if (!tv_point_equal(&decoded, &b->joint_key))
		die("the compressed point does not decode to the joint key");
}

static void setup_keys(struct bench *b)
{
	check(b, tv_scalar_random(b->ctx, &b->joint_secret), "tv_scalar_random");
	check(b, tv_point_base_mul(b->ctx, &b->joint_key, &b->joint_secret),
	      "tv_point_base_mul");
	check(b, tv_scalar_random(b->ctx, &b->pok_secret), "tv_scalar_random");
	check(b, tv_schnorr_prove(b->ctx, &b->pok, &b->pok_key, &b->pok_secret,
	                          b->fingerprint, sizeof(b->fingerprint)),
	      "tv_schnorr_prove");
	check(b, tv_scalar_random(b->ctx, &b->signer_secret), "tv_scalar_random");
	check(b, tv_point_base_mul(b->ctx, &b->signer_key, &b->signer_secret),
	      "tv_point_base_mul");
	check(b, tv_ed25519_keygen(b->ctx, &b->ed_secret, &b->ed_key),
	      "tv_ed25519_keygen");
	check(b, tv_scalar_random(b->ctx, &b->credential_secret), "tv_scalar_random");
	check(b, tv_point_base_mul(b->ctx, &b->credential_key, &b->credential_secret),
	      "tv_point_base_mul");
}

static void setup_fixtures(struct bench *b)
{
	size_t i;

	/* a fake election fingerprint: any fixed bytes do */
	for (i = 0; i < FINGERPRINT_BYTES; i++)
		b->fingerprint[i] = (uint8_t)(0xa0 + i);
	memcpy(b->ballot_context, b->fingerprint, FINGERPRINT_BYTES);
	memcpy(b->ballot_context + FINGERPRINT_BYTES, b->credential_key.bytes,
	       TV_POINT_BYTES);

	check(b, tv_elgamal_encrypt(b->ctx, &b->ct_zero, &b->ct_zero_nonce,
	                            &b->joint_key, 0),
	      "tv_elgamal_encrypt");
	check(b, tv_elgamal_encrypt(b->ctx, &b->ct_one, &b->ct_one_nonce,
	                            &b->joint_key, 1),
	      "tv_elgamal_encrypt");
	check(b, tv_elgamal_encrypt(b->ctx, &b->ct_two, &b->ct_two_nonce,
	                            &b->joint_key, 2),
	      "tv_elgamal_encrypt");

	/* one valid proof of each kind, for the verify rows that may run first */
	op_cp_prove(b, 0);
	op_bit_prove(b, 0);
	op_range_prove(b, 1);
	op_range_prove(b, 3);
	op_schnorr_sign(b, 0);
	op_ed25519_sign(b, 0);
	for (i = 0; i < 3; i++)
		op_ballot_cast(b, i);
}

/* ---- setup: an election in a temporary folder, open for voting ---- */

/* atexit: remove the box's folder and everything in it (SQLite's -wal, -shm) */
static void remove_box_dir(void)
{
	char path[sizeof(box_dir) + 1 + 256];
	struct dirent *entry;
	DIR *dir;

	if (box_dir[0] == '\0')
		return;
	if ((dir = opendir(box_dir)) != NULL) {
		while ((entry = readdir(dir)) != NULL) {
			if (strcmp(entry->d_name, ".") == 0 ||
			    strcmp(entry->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", box_dir, entry->d_name);
			(void)unlink(path);
		}
		closedir(dir);
	}
	if (rmdir(box_dir) != 0)
		fprintf(stderr, "tenantvote-bench: cannot remove %s\n", box_dir);
	box_dir[0] = '\0';
}

/* the letters: keep each tenant's code, to sign that tenant's ballots */
static int box_letter(const tv_tenant *tenant, const char *code, void *payload)
{
	struct bench *b = payload;

	if (tenant == NULL) /* all written: nothing to flush */
		return 0;
	if (b->box_codes_issued == BOX_TENANTS)
		return 1; /* more tenants than the register had: refuse */
	snprintf(b->box_codes[b->box_codes_issued++], sizeof(b->box_codes[0]), "%s",
	         code);
	return 0;
}

/*
 * A two-option election with BOX_TENANTS tenants, the revote policy "last"
 * (so one credential may cast again and again), a real 2-of-2 key ceremony
 * and the box open for voting; then b->box_ballot_count ballots, encrypted
 * and signed beforehand so that the row times casting alone.
 */
static void setup_box(struct bench *b)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *manifest = NULL;
	tv_register *reg = NULL;
	tv_election_key key;
	tv_ed25519_public_key box_public;
	char *csv;
	size_t len, i;

	if (atexit(remove_box_dir) != 0)
		die("atexit failed");
	snprintf(box_dir, sizeof(box_dir), "/tmp/tenantvote-bench-XXXXXX");
	if (mkdtemp(box_dir) == NULL) {
		box_dir[0] = '\0';
		die("cannot make a temporary folder under /tmp for the ballot box");
	}

	bench_election(&o, "bench", BOX_OPENS, BOX_CLOSES, BOX_TRUSTEES);
	o.channels = TV_CHANNEL_ONLINE;
	o.revote = TV_REVOTE_LAST;
	check(b, tv_manifest_new(b->ctx, &manifest, &o), "tv_manifest_new");
	check(b, tv_box_create(b->ctx, &b->box, box_dir, manifest), "tv_box_create");
	tv_manifest_free(manifest);

	if (!bench_register(&csv, &len, BOX_TENANTS, 'B'))
		die("out of memory");
	check(b, tv_register_parse(b->ctx, &reg, (const uint8_t *)csv, len, "bench.csv",
	                           NULL, NULL),
	      "tv_register_parse");
	free(csv);
	check(b, tv_box_import_register(b->ctx, b->box, reg, "bench.csv"),
	      "tv_box_import_register");
	tv_register_free(reg);
	check(b, tv_box_issue_credentials(b->ctx, b->box, box_letter, b),
	      "tv_box_issue_credentials");
	if (b->box_codes_issued != BOX_TENANTS)
		die("%zu credentials issued for %d tenants", b->box_codes_issued,
		    BOX_TENANTS);

	run_ceremony(b, b->box, NULL);
	check(b, tv_box_election_key(b->ctx, &key, b->box), "tv_box_election_key");
	check(b, tv_ed25519_keygen(b->ctx, &b->box_key, &box_public),
	      "tv_ed25519_keygen");
	check(b, tv_box_open_voting(b->ctx, b->box, &b->box_key), "tv_box_open_voting");

	b->box_ballots = calloc(b->box_ballot_count, sizeof(*b->box_ballots));
	if (b->box_ballots == NULL)
		die("out of memory");
	for (i = 0; i < b->box_ballot_count; i++) {
		const char *code = b->box_codes[i % BOX_TENANTS];

		check(b, tv_ballot_encrypt(b->ctx, &b->box_ballots[i], NULL,
		                           tv_box_manifest(b->box), &key.key, code,
		                           strlen(code), 1 + (uint32_t)(i % 2)),
		      "tv_ballot_encrypt");
	}
}

static void teardown_box(struct bench *b)
{
	size_t i;

	for (i = 0; i < b->box_ballot_count && b->box_ballots != NULL; i++)
		tv_ballot_free(b->box_ballots[i]);
	free(b->box_ballots);
	tv_box_free(b->box);
	tv_ed25519_secret_wipe(&b->box_key);
	OPENSSL_cleanse(b->box_codes, sizeof(b->box_codes));
	remove_box_dir();
}

static void teardown(struct bench *b)
{
	teardown_box(b);
	tv_scalar_wipe(&b->joint_secret);
	tv_scalar_wipe(&b->pok_secret);
	tv_scalar_wipe(&b->signer_secret);
	tv_scalar_wipe(&b->credential_secret);
	tv_scalar_wipe(&b->ct_zero_nonce);
	tv_scalar_wipe(&b->ct_one_nonce);
	tv_scalar_wipe(&b->ct_two_nonce);
	tv_scalar_wipe(&b->nonce_out);
	tv_scalar_wipe(&b->scalar_out);
	tv_ed25519_secret_wipe(&b->ed_secret);
	EVP_PKEY_CTX_free(b->ecdsa_sign_ctx);
	EVP_PKEY_CTX_free(b->ecdsa_verify_ctx);
	EVP_PKEY_free(b->ecdsa_key);
	EC_POINT_free(b->ossl_point);
	EC_GROUP_free(b->ossl_group);
	BN_free(b->order);
	BN_CTX_free(b->ossl_bn);
	tv_ctx_free(b->ctx);
}

/* ---- output ---- */

static double peak_rss_mib(void)
{
	struct rusage usage;

	if (getrusage(RUSAGE_SELF, &usage) != 0)
		return -1.0;
	return (double)usage.ru_maxrss / 1024.0; /* Linux reports KiB */
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* how far the slowest batch was above the fastest: a gauge of the noise */
static double spread_percent(const struct row_result *result)
{
	return 100.0 * (result->worst_us / result->best_us - 1.0);
}

/* one row of the table, and its section's heading when the section changes */
static void print_row(const struct row_result *r, double yardstick, const char **section)
{
	if (*section == NULL || strcmp(*section, r->section) != 0) {
		*section = r->section;
		printf("-- %s\n", *section);
	}
	printf("%-40s %10" PRIu64 " %12.2f %10.2f", r->name, r->iterations, r->best_us,
	       r->best_us / yardstick);
	if (r->single)
		printf(" %7s\n", "-");
	else
		printf(" %6.0f%%\n", spread_percent(r));
}

/*
 * @p result holds the table's ROW_COUNT rows, the box row, then the
 * DERIVED_ROWS throughput rows.
 */
static void print_table(const char *date, double target, const struct row_result *result,
                        const struct box_figures *box, const struct record_figures *fig)
{
	const struct row_result *box_result = &result[ROW_COUNT];
	const struct row_result *derived = &result[ROW_COUNT + 1];
	double yardstick = result[0].best_us;
	const char *section = NULL;
	size_t r;

	printf("# tenantvote %s bench, %s, %s\n", tv_version(),
	       OpenSSL_version(OPENSSL_VERSION), date);
	printf("# %.2f s per row, one batch in each of %d passes over the table;"
	       " the fastest batch is reported\n# unit: one OpenSSL ECDSA-P256 verify"
	       " in this run (%.2f \xc2\xb5s); spread: slowest batch over fastest\n",
	       target, PASSES, yardstick);
	/* "µs/op" is 6 bytes in 5 columns: a width of 13 lines up with 12 */
	printf("%-40s %10s %13s %10s %7s\n", "operation", "iterations",
	       "\xc2\xb5s/op", "ECDSA-vfy", "spread");
	for (r = 0; r <= ROW_COUNT; r++)
		print_row(&result[r], yardstick, &section);
	/* the box row: its derived throughput goes right under it */
	printf("# ballot box: %.0f ballots per second (fastest batch; %.0f over all"
	       " %" PRIu64 " casts);\n# each cast is one fsync'd SQLite transaction"
	       " (synchronous=FULL), so this includes the disk\n",
	       1e6 / box_result->best_us, (double)box->casts / box->seconds,
	       box->casts);
	for (r = 0; r < DERIVED_ROWS; r++)
		print_row(&derived[r], yardstick, &section);
	printf("# per ballot: the op is one ballot (one intake row, one board entry);"
	       " one timed run each\n# (verify: the fastest of %d), so no spread for"
	       " single runs; the box's runs include the disk\n", fig->verify_runs);
	printf("# group commit (tv_box_cast_batch, %d a transaction, %" PRIu64
	       " ballots a process): 1 process %.0f ballots/s,\n# %d processes at once"
	       " into one box %.0f ballots/s in all\n",
	       BOX_BATCH, box->group, derived[0].per_second, BOX_PROCESSES,
	       derived[1].per_second);
	printf("# intake (tv_intake_parse + tv_box_intake: each row encrypted, then cast):"
	       " %.0f rows/s\n", derived[2].per_second);
	printf("# record: %zu tenants, one two-option ballot each by intake, %" PRIu64
	       " board entries;\n# made in %.1f s; verify (tv_record_verify, all %d"
	       " checks): 1 thread %.0f entries/s, 2 threads %.0f\n",
	       fig->ballots, fig->entries, fig->setup_seconds, TV_VERIFY_CHECKS,
	       derived[3].per_second, derived[4].per_second);
	printf("# peak RSS: %.1f MiB\n", peak_rss_mib());
}

static void print_json_row(const struct row_result *r, double yardstick, int last)
{
	printf("    {\"section\": ");
	json_string(r->section);
	printf(", \"name\": ");
	json_string(r->name);
	printf(", \"iterations\": %" PRIu64 ", \"us_per_op\": %.3f"
	       ", \"ecdsa_verify_units\": %.3f",
	       r->iterations, r->best_us, r->best_us / yardstick);
	if (r->single)
		printf(", \"spread_percent\": null");
	else
		printf(", \"spread_percent\": %.1f", spread_percent(r));
	if (r->per_second > 0)
		printf(", \"per_second\": %.1f", r->per_second);
	printf("}%s\n", last ? "" : ",");
}

static void print_json(const char *date, double target, const struct row_result *result,
                       const struct box_figures *box, const struct record_figures *fig)
{
	const struct row_result *box_result = &result[ROW_COUNT];
	const struct row_result *derived = &result[ROW_COUNT + 1];
	double yardstick = result[0].best_us;
	size_t r, count = ROW_COUNT + 1 + DERIVED_ROWS;

	printf("{\n  \"tenantvote\": ");
	json_string(tv_version());
	printf(",\n  \"openssl\": ");
	json_string(OpenSSL_version(OPENSSL_VERSION));
	printf(",\n  \"date\": ");
	json_string(date);
	printf(",\n  \"target_seconds_per_row\": %.3f", target);
	printf(",\n  \"passes\": %d", PASSES);
	printf(",\n  \"yardstick\": \"ECDSA-P256 verify (OpenSSL)\"");
	printf(",\n  \"yardstick_us\": %.3f", yardstick);
	printf(",\n  \"rows\": [\n");
	for (r = 0; r < count; r++)
		print_json_row(&result[r], yardstick, r + 1 == count);
	printf("  ],\n  \"ballot_box\": {\"casts\": %" PRIu64
	       ", \"ballots_per_second\": %.1f, \"ballots_per_second_all_casts\": %.1f"
	       ", \"synchronous\": \"FULL\"}",
	       box->casts, 1e6 / box_result->best_us,
	       (double)box->casts / box->seconds);
	printf(",\n  \"group_commit\": {\"batch\": %d, \"ballots_per_process\": %" PRIu64
	       ", \"one_process_ballots_per_second\": %.1f"
	       ", \"one_process_ecdsa_verify_units_per_ballot\": %.3f"
	       ", \"processes\": %d, \"all_processes_ballots_per_second\": %.1f"
	       ", \"all_processes_ecdsa_verify_units_per_ballot\": %.3f}",
	       BOX_BATCH, box->group, derived[0].per_second, derived[0].best_us / yardstick,
	       BOX_PROCESSES, derived[1].per_second, derived[1].best_us / yardstick);
	printf(",\n  \"intake\": {\"rows\": %zu, \"rows_per_second\": %.1f"
	       ", \"ecdsa_verify_units_per_row\": %.3f}",
	       fig->ballots, derived[2].per_second, derived[2].best_us / yardstick);
	printf(",\n  \"record\": {\"ballots\": %zu, \"entries\": %" PRIu64
	       ", \"setup_seconds\": %.2f, \"verify_runs\": %d"
	       ", \"verify_1_thread_seconds\": %.3f, \"verify_2_threads_seconds\": %.3f"
	       ", \"verify_1_thread_ecdsa_verify_units_per_entry\": %.3f"
	       ", \"verify_2_threads_ecdsa_verify_units_per_entry\": %.3f}",
	       fig->ballots, fig->entries, fig->setup_seconds, fig->verify_runs,
	       fig->verify_seconds[0], fig->verify_seconds[1],
	       derived[3].best_us / yardstick, derived[4].best_us / yardstick);
	printf(",\n  \"peak_rss_mib\": %.1f\n}\n", peak_rss_mib());
}

static void usage(FILE *out)
{
	fprintf(out, "usage: tenantvote-bench [--quick] [--json] [--ballots N] [--help]\n"
	        "\n"
	        "Time libtenantvote's operations on this machine, in microseconds and in\n"
	        "units of OpenSSL's ECDSA-P256 verify measured in the same run (DESIGN §6).\n"
	        "The ballot box row casts into a real box in a folder under /tmp, one\n"
	        "fsync'd SQLite transaction per ballot: it times that disk too. The\n"
	        "per-ballot rows make a whole election's record under /tmp (N tenants,\n"
	        "one ballot each by intake) and time the intake and the verifier on it.\n"
	        "\n"
	        "  --quick      about 0.01 s per row instead of 0.2 s, %d casts into the\n"
	        "               ballot box instead of %d, and a record of %d ballots\n"
	        "               verified once (for CI smoke tests)\n"
	        "  --ballots N  the record's size (default %d; --quick %d; 1 to %d)\n"
	        "  --json       print the figures as one JSON object instead of a table\n"
	        "  --help       print this and exit\n",
	        BOX_CASTS_QUICK, BOX_CASTS_FULL, RECORD_BALLOTS_QUICK, RECORD_BALLOTS_FULL,
	        RECORD_BALLOTS_QUICK, RECORD_BALLOTS_MAX);
}

int main(int argc, char **argv)
{
	struct bench *b;
	/* the table, the box row, then the per-ballot rows */
	struct row_result result[ROW_COUNT + 1 + DERIVED_ROWS];
	struct box_figures box;
	struct record_figures record;
	size_t ballots = 0; /* 0: the default for the mode */
	int record_runs = RECORD_RUNS_FULL;
	double target = TARGET_SECONDS_FULL;
	size_t box_casts = BOX_CASTS_FULL, box_group = BOX_GROUP_FULL;
	int json = 0, i;
	char date[32];
	time_t t = time(NULL);
	struct tm tm;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			target = TARGET_SECONDS_QUICK;
			box_casts = BOX_CASTS_QUICK;
			box_group = BOX_GROUP_QUICK;
			record_runs = RECORD_RUNS_QUICK;
		} else if (strcmp(argv[i], "--ballots") == 0 && i + 1 < argc) {
			char *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || end == argv[i] || argv[i][0] == '-' ||
			    n < 1 || n > RECORD_BALLOTS_MAX) {
				fprintf(stderr, "tenantvote-bench: --ballots wants 1 to %d, not '%s'\n",
				        RECORD_BALLOTS_MAX, argv[i]);
				return 2;
			}
			ballots = (size_t)n;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "tenantvote-bench: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(date, sizeof(date), "unknown");

	/* calloc: the fixtures are large (range proofs) and start zeroed */
	b = calloc(1, sizeof(*b));
	if (b == NULL)
		die("out of memory");
	if (tv_ctx_new(&b->ctx, NULL) != TV_OK)
		die("tv_ctx_new failed");
	setup_keys(b);
	setup_openssl(b);
	setup_fixtures(b);
	/* one each for the single casts and a warm-up, then the group runs */
	b->box_single = box_casts + 1;
	b->box_ballot_count = b->box_single + (1 + BOX_PROCESSES) * box_group;
	setup_box(b);

	measure_all(b, result, ROW_COUNT, target);
	result[ROW_COUNT] = measure_box(b, &box);
	box.group = box_group;
	box.group_one = measure_group(b, box_casts + 1, box_group, 1);
	box.group_many = measure_group(b, box_casts + 1 + box_group, box_group, BOX_PROCESSES);
	if (ballots == 0)
		ballots = target == TARGET_SECONDS_QUICK ? RECORD_BALLOTS_QUICK
		                                         : RECORD_BALLOTS_FULL;
	measure_record(b, ballots, record_runs, &record);
	derived_rows(&result[ROW_COUNT + 1], &box, &record);
	if (json)
		print_json(date, target, result, &box, &record);
	else
		print_table(date, target, result, &box, &record);
	teardown(b);
	free(b);
	return 0;
}
