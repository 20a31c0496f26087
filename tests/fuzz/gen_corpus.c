/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writes the fuzz targets' seed corpus:
 *
 *   fuzz_gen_corpus OUTDIR      (OUTDIR/fuzz_<target>/<seed> files)
 *
 * for fuzz_point_decode, fuzz_scalar_decode, fuzz_hex, fuzz_utf8,
 * fuzz_credential, fuzz_ciphertext_add, fuzz_proof_verify and the ballot
 * papers' targets (fuzz_papers, fuzz_paper_id, fuzz_paper_lock and
 * fuzz_paper_file); it empties those directories first. It also writes the
 * papers' seeds of fuzz_intake, fuzz_board_scan and fuzz_record_files (the
 * files named paper*), leaving their other seeds alone.
 * Deterministic (the SPEC §7 generator with a fixed seed), so running it
 * again gives the same files. Seeds are small, named for what they hold,
 * and cover the boundaries: p-1, p, n-1, n, zero, the generator, infinity,
 * compressed and hybrid forms, wrong lengths, honest and tampered proofs.
 * No seed given to a raw-mode verifier is a valid proof: acceptance there
 * is a bug the target aborts on.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>

#include "fuzz_common.h"
#include "internal.h"

static const char *outdir;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_gen_corpus: %s\n", what);
	exit(1);
}

#define MUST(x)                                                                \
	do {                                                                   \
		if (!(x))                                                      \
			die(#x);                                               \
	} while (0)

static void make_dir(const char *target)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", outdir, target);
	if (mkdir(outdir, 0755) != 0 && errno != EEXIST)
		die("cannot create the output directory");
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("cannot create a target directory");
}

/*
 * Empty the directories of the targets seeded here (and only those: other
 * targets' seeds under OUTDIR are not ours), so a renamed seed leaves
 * nothing stale behind.
 */
static void clear_own_dirs(void)
{
	static const char *const own[] = {
		"fuzz_point_decode", "fuzz_scalar_decode", "fuzz_hex", "fuzz_utf8",
		"fuzz_credential", "fuzz_ciphertext_add", "fuzz_proof_verify",
		"fuzz_papers", "fuzz_paper_id", "fuzz_paper_lock", "fuzz_paper_file",
	};
	char dir[4096], path[8192];
	size_t i;

	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		DIR *d;
		struct dirent *e;

		snprintf(dir, sizeof(dir), "%s/%s", outdir, own[i]);
		if ((d = opendir(dir)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (unlink(path) != 0)
				die(path);
		}
		closedir(d);
	}
}

static void seed(const char *target, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	make_dir(target);
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
	f = fopen(path, "wb");
	if (f == NULL || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		die(path);
}

/* buffer builder */
typedef struct buf {
	uint8_t b[8192];
	size_t n;
} buf;

static void add(buf *o, const void *p, size_t len)
{
	MUST(o->n + len <= sizeof(o->b));
	memcpy(o->b + o->n, p, len);
	o->n += len;
}

static void add_byte(buf *o, uint8_t v)
{
	add(o, &v, 1);
}

static void add_u32be(buf *o, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	add(o, b, 4);
}

static void hex_of(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
}

static void be32_from_hex(uint8_t out[32], const char *hex)
{
	BIGNUM *bn = NULL;

	MUST(BN_hex2bn(&bn, hex) && BN_bn2binpad(bn, out, 32) == 32);
	BN_free(bn);
}

/* big-endian 32-byte add/sub of a small value (wrapping; callers avoid it) */
static void be32_add_small(uint8_t v[32], int delta)
{
	int i, carry = delta;

	for (i = 31; i >= 0 && carry != 0; i--) {
		int s = v[i] + carry;

		v[i] = (uint8_t)(s & 0xff);
		carry = s < 0 ? -1 : s >> 8;
	}
}

static const char P_HEX[] = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
static const char N_HEX[] = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
static const char B_HEX[] = "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b";

/* the point with the smallest x >= 0 on P-256 (so x + p still fits) */
static void small_x_point(uint8_t out[65])
{
	BIGNUM *p = NULL, *b = NULL, *x = BN_new(), *r = BN_new(), *t = BN_new(), *y = BN_new();
	BN_CTX *bn = BN_CTX_new();

	MUST(BN_hex2bn(&p, P_HEX) && BN_hex2bn(&b, B_HEX) && x && r && t && y && bn);
	BN_zero(x);
	for (;;) {
		/* r = x^3 - 3x + b mod p */
		MUST(BN_mod_sqr(r, x, p, bn) && BN_mod_mul(r, r, x, p, bn));
		MUST(BN_set_word(t, 3) && BN_mod_mul(t, t, x, p, bn));
		MUST(BN_mod_sub(r, r, t, p, bn) && BN_mod_add(r, r, b, p, bn));
		if (BN_mod_sqrt(y, r, p, bn) != NULL)
			break;
		ERR_clear_error();
		MUST(BN_add_word(x, 1));
	}
	out[0] = 0x04;
	MUST(BN_bn2binpad(x, out + 1, 32) == 32 && BN_bn2binpad(y, out + 33, 32) == 32);
	BN_free(p);
	BN_free(b);
	BN_free(x);
	BN_free(r);
	BN_free(t);
	BN_free(y);
	BN_CTX_free(bn);
}

static void point_seeds(tv_ctx *ctx)
{
	const char *T = "fuzz_point_decode";
	uint8_t p[32], enc[66], cmp[33];
	tv_point G, P2, R;
	tv_scalar k;

	tv_point_generator(&G);
	be32_from_hex(p, P_HEX);
	memset(k.bytes, 0, 32);
	k.bytes[31] = 2;
	MUST(tv_point_base_mul(ctx, &P2, &k) == TV_OK);
	MUST(tv_scalar_random(ctx, &k) == TV_OK);
	MUST(tv_point_base_mul(ctx, &R, &k) == TV_OK);

	seed(T, "generator", G.bytes, 65);
	seed(T, "two_g", P2.bytes, 65);
	seed(T, "random_point", R.bytes, 65);
	seed(T, "empty", "", 0);
	seed(T, "infinity_00", "\x00", 1);
	memset(enc, 0, sizeof(enc));
	seed(T, "zero_65", enc, 65);
	/* compressed forms of G (y of G is odd: 03 is the right one) */
	cmp[0] = 0x03;
	memcpy(cmp + 1, G.bytes + 1, 32);
	seed(T, "compressed_03_g", cmp, 33);
	cmp[0] = 0x02;
	seed(T, "compressed_02_g", cmp, 33);
	/* hybrid forms */
	memcpy(enc, G.bytes, 65);
	enc[0] = 0x07;
	seed(T, "hybrid_07_g", enc, 65);
	enc[0] = 0x06;
	seed(T, "hybrid_06_g", enc, 65);
	/* wrong lengths */
	seed(T, "generator_truncated", G.bytes, 64);
	memcpy(enc, G.bytes, 65);
	enc[65] = 0x00;
	seed(T, "generator_trailing_00", enc, 66);
	/* off the curve */
	memcpy(enc, G.bytes, 65);
	enc[64] ^= 0x01;
	seed(T, "generator_y_flipped", enc, 65);
	/* coordinates at the field prime: p and p - 1 */
	memcpy(enc, G.bytes, 65);
	memcpy(enc + 1, p, 32);
	seed(T, "x_is_p", enc, 65);
	memcpy(enc, G.bytes, 65);
	memcpy(enc + 33, p, 32);
	seed(T, "y_is_p", enc, 65);
	be32_add_small(enc + 33, -1);
	seed(T, "y_is_p_minus_1", enc, 65);
	memset(enc + 1, 0xff, 64);
	seed(T, "xy_all_ff", enc, 65);
	/* a point with small x, and the same x plus p (non-canonical) */
	small_x_point(enc);
	seed(T, "small_x_point", enc, 65);
	{
		BIGNUM *x = NULL, *pp = NULL;

		MUST(BN_hex2bn(&pp, P_HEX) && (x = BN_bin2bn(enc + 1, 32, NULL)) != NULL);
		MUST(BN_add(x, x, pp) && BN_num_bytes(x) <= 32 && BN_bn2binpad(x, enc + 1, 32) == 32);
		BN_free(x);
		BN_free(pp);
	}
	seed(T, "small_x_plus_p", enc, 65);
}

static void scalar_seeds(tv_ctx *ctx)
{
	const char *T = "fuzz_scalar_decode";
	uint8_t v[33];
	tv_scalar k;

	memset(v, 0, sizeof(v));
	seed(T, "zero", v, 32);
	v[31] = 1;
	seed(T, "one", v, 32);
	be32_from_hex(v, N_HEX);
	seed(T, "n", v, 32);
	be32_add_small(v, -1);
	seed(T, "n_minus_1", v, 32);
	be32_add_small(v, 2);
	seed(T, "n_plus_1", v, 32);
	be32_from_hex(v, P_HEX);
	seed(T, "p", v, 32);
	be32_add_small(v, -1);
	seed(T, "p_minus_1", v, 32);
	memset(v, 0xff, 32);
	seed(T, "all_ff", v, 32);
	memset(v, 0, 32);
	v[0] = 0x80;
	seed(T, "two_to_255", v, 32);
	MUST(tv_scalar_random(ctx, &k) == TV_OK);
	seed(T, "random", k.bytes, 32);
	seed(T, "length_31", k.bytes, 31);
	memcpy(v, k.bytes, 32);
	v[32] = 0;
	seed(T, "length_33", v, 33);
	seed(T, "empty", "", 0);
}

static void hex_seeds(void)
{
	const char *T = "fuzz_hex";
	char text[140];
	uint8_t v[32];
	tv_point G;
	size_t i;

	tv_point_generator(&G);
	hex_of(text, G.bytes, 65);
	seed(T, "point_generator", text, 130);
	seed(T, "point_generator_short", text, 129);
	text[130] = '\n';
	seed(T, "point_generator_newline", text, 131);
	hex_of(text, G.bytes, 33);
	text[1] = '3';
	seed(T, "point_compressed", text, 66);
	hex_of(text, G.bytes, 65);
	for (i = 0; i < 130; i++)
		if (text[i] >= 'a')
			text[i] = (char)(text[i] - 'a' + 'A');
	seed(T, "point_generator_upper", text, 130);
	hex_of(text, G.bytes, 65);
	text[77] = 'g';
	seed(T, "point_bad_char", text, 130);

	be32_from_hex(v, N_HEX);
	be32_add_small(v, -1);
	hex_of(text, v, 32);
	seed(T, "scalar_n_minus_1", text, 64);
	be32_add_small(v, 1);
	hex_of(text, v, 32);
	seed(T, "scalar_n", text, 64);
	memset(v, 0, 32);
	hex_of(text, v, 32);
	seed(T, "scalar_zero", text, 64);
	memcpy(text + 64, "", 1);
	seed(T, "scalar_zero_nul", text, 65);
	text[0] = '0';
	text[1] = 'x';
	seed(T, "scalar_0x", text, 64);
	/* raw bytes, for the bytes-as-hex direction */
	seed(T, "raw_generator", G.bytes, 65);
	be32_from_hex(v, N_HEX);
	seed(T, "raw_n", v, 32);
	seed(T, "empty", "", 0);
}

static void utf8_seeds(void)
{
	static const struct {
		const char *name, *text;
	} seeds[] = {
		{ "ascii", "Flat 3, 12 Heol y Bont" },
		{ "welsh", "Tŷ Gwyn, Ffordd yr Eglwys, Llanfair P\xc3\xbbll" },
		{ "all_lengths", "a \xc2\xa0 \xe2\x82\xac \xf0\x9f\x8f\xa0 \xf4\x8f\xbf\xbf" },
		{ "c1_control", "x\xc2\x85y" },
		{ "c0_tab", "a\tb" },
		{ "del", "a\x7f" },
		{ "overlong_slash", "\xc0\xaf" },
		{ "overlong_e0", "\xe0\x80\xaf" },
		{ "overlong_f0", "\xf0\x80\x80\xaf" },
		{ "surrogate", "\xed\xa0\x80" },
		{ "above_10ffff", "\xf4\x90\x80\x80" },
		{ "f5_lead", "\xf5\x80\x80\x80" },
		{ "truncated", "ok \xe2\x82" },
		{ "lone_continuation", "\x80" },
		{ "max_bmp", "\xef\xbf\xbf" },
		{ "bom", "\xef\xbb\xbftext" },
	};
	size_t i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		seed("fuzz_utf8", seeds[i].name, seeds[i].text, strlen(seeds[i].text));
	seed("fuzz_utf8", "nul_inside", "a\0b", 3);
	seed("fuzz_utf8", "empty", "", 0);
}

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* the printed form of 23 data symbols and their Luhn mod 32 check symbol */
static void credential_text(char *out, const uint8_t data[23])
{
	unsigned sum = 0, factor = 2;
	size_t i, o = 0;
	int k;

	for (k = 22; k >= 0; k--) {
		unsigned addend = factor * data[k];

		sum += addend / 32 + addend % 32;
		factor = 3 - factor;
	}
	for (i = 0; i < 24; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = crockford[i < 23 ? data[i] : (32 - sum % 32) % 32];
	}
	out[o] = '\0';
}

static void credential_seeds(tv_ctx *ctx)
{
	const char *T = "fuzz_credential";
	static const uint8_t fingerprint[32] = { 0x11 };
	tv_credential_code code;
	tv_point pub;
	uint8_t data[23];
	char text[64];
	size_t i, n;

	MUST(tv_credential_generate(ctx, &code, &pub, fingerprint) == TV_OK);
	seed(T, "printed", code.text, strlen(code.text));
	strcpy(text, code.text);
	for (i = 0; text[i]; i++) {
		if (text[i] >= 'A' && text[i] <= 'Z')
			text[i] = (char)(text[i] - 'A' + 'a');
		if (text[i] == '-')
			text[i] = ' ';
	}
	seed(T, "lowercase_spaces", text, strlen(text));
	for (i = n = 0; code.text[i]; i++)
		if (code.text[i] != '-')
			text[n++] = code.text[i];
	seed(T, "run_together", text, n);
	seed(T, "23_symbols", text, n - 1);
	text[n] = 'A';
	seed(T, "25_symbols", text, n + 1);
	text[5] = text[5] == 'Z' ? 'Y' : 'Z';
	seed(T, "typo", text, n);
	/* every alias: O for 0, I and L for 1, in both cases */
	for (i = 0; i < 23; i++)
		data[i] = (uint8_t)(i % 2);
	credential_text(text, data);
	seed(T, "zeros_ones", text, strlen(text));
	for (i = 0; text[i]; i++)
		if (text[i] == '0')
			text[i] = (i % 3) ? 'O' : 'o';
		else if (text[i] == '1')
			text[i] = "IiLl"[i % 4];
	seed(T, "aliases", text, strlen(text));
	for (i = 0; i < 23; i++)
		data[i] = (uint8_t)(31 - i);
	credential_text(text, data);
	seed(T, "high_symbols", text, strlen(text));
	text[0] = 'U';
	seed(T, "letter_u", text, strlen(text));
	credential_text(text, data);
	text[4] = '\t';
	seed(T, "tab", text, strlen(text));
	credential_text(text, data);
	{
		char t = text[1];

		text[1] = text[2];
		text[2] = t;
	}
	seed(T, "transposed", text, strlen(text));
	seed(T, "non_ascii", "\xc3\x96" "BCD-EFGH", 10);
	seed(T, "empty", "", 0);
	tv_credential_code_wipe(&code);
}

static void add_ct(buf *o, const tv_ciphertext *ct)
{
	add(o, ct->alpha.bytes, 65);
	add(o, ct->beta.bytes, 65);
}

static void ciphertext_seeds(tv_ctx *ctx, const tv_point *K)
{
	const char *T = "fuzz_ciphertext_add";
	tv_ciphertext a, b, c, neg;
	tv_scalar r, k[4], negr, scratch;
	buf o;
	BIGNUM *n = NULL, *x = NULL;
	int i;

	MUST(tv_elgamal_encrypt(ctx, &a, &r, K, 1) == TV_OK);
	MUST(tv_elgamal_encrypt(ctx, &b, &scratch, K, 0) == TV_OK);
	MUST(tv_elgamal_encrypt(ctx, &c, &scratch, K, 1) == TV_OK);
	/* neg = the encryption of 0 with nonce n - r: (-r·G, -r·K) */
	MUST(BN_hex2bn(&n, N_HEX) && (x = BN_bin2bn(r.bytes, 32, NULL)) != NULL);
	MUST(BN_sub(x, n, x) && BN_bn2binpad(x, negr.bytes, 32) == 32);
	MUST(tv_elgamal_encrypt_with_nonce(ctx, &neg, K, 0, &negr) == TV_OK);
	BN_free(x);
	BN_free(n);

	o.n = 0;
	add_byte(&o, 0x00);
	add_ct(&o, &a);
	add_ct(&o, &b);
	seed(T, "raw_two_valid", o.b, o.n);
	add_ct(&o, &c);
	seed(T, "raw_three_valid", o.b, o.n);
	o.n = 0;
	add_byte(&o, 0x00);
	add_ct(&o, &a);
	add_ct(&o, &a);
	seed(T, "raw_doubling", o.b, o.n);
	/* (r·G, r·K) + (-r·G, -r·K) is (infinity, infinity) */
	o.n = 0;
	add_byte(&o, 0x00);
	MUST(tv_elgamal_encrypt_with_nonce(ctx, &a, K, 0, &r) == TV_OK);
	add_ct(&o, &a);
	add_ct(&o, &neg);
	seed(T, "raw_sum_infinity", o.b, o.n);
	o.n = 0;
	add_byte(&o, 0x00);
	add_ct(&o, &a);
	o.b[1 + 65 + 64] ^= 1;
	add_ct(&o, &b);
	seed(T, "raw_bad_beta", o.b, o.n);
	seed(T, "raw_short", o.b, 100);

	for (i = 0; i < 4; i++)
		MUST(tv_scalar_random(ctx, &k[i]) == TV_OK);
	o.n = 0;
	add_byte(&o, 0x01);
	for (i = 0; i < 4; i++)
		add(&o, k[i].bytes, 32);
	seed(T, "scalars_random", o.b, o.n);
	/* k2 = n - k0: alpha sums to infinity */
	{
		BIGNUM *nn = NULL, *kk = BN_bin2bn(k[0].bytes, 32, NULL);

		MUST(BN_hex2bn(&nn, N_HEX) && kk && BN_sub(kk, nn, kk));
		MUST(BN_bn2binpad(kk, o.b + 1 + 64, 32) == 32);
		BN_free(nn);
		BN_free(kk);
	}
	seed(T, "scalars_alpha_infinity", o.b, o.n);
	memcpy(o.b + 1 + 64, k[0].bytes, 32);
	seed(T, "scalars_alpha_doubling", o.b, o.n);
	memset(o.b + 1 + 32, 0, 32);
	seed(T, "scalars_zero", o.b, o.n);
	be32_from_hex(o.b + 1 + 32, N_HEX);
	seed(T, "scalars_n", o.b, o.n);
	seed(T, "empty", "", 0);
}

enum { K_POK, K_CP, K_BIT, K_RANGE, K_SIG, K_ED25519, K_CP_SWAPPED, K_COUNT };

/* tamper mode: the delta only; raw mode: a whole (wrong) record */
static void proof_seeds(tv_ctx *ctx, const tv_point *K)
{
	const char *T = "fuzz_proof_verify";
	static const uint8_t context[] = "tenantvote/fuzz seed election 11aa";
	size_t clen = sizeof(context) - 1;
	tv_scalar x, r;
	tv_point G, X;
	tv_ciphertext ct;
	tv_schnorr_proof pok;
	tv_cp_proof cp;
	tv_bit_proof bit;
	static tv_range_proof range;
	tv_schnorr_signature sig;
	tv_ed25519_secret_key edsk;
	tv_ed25519_public_key edpk;
	tv_ed25519_signature edsig;
	static buf o;
	int k;

	tv_point_generator(&G);
	MUST(tv_scalar_random(ctx, &x) == TV_OK);
	MUST(tv_scalar_random(ctx, &r) == TV_OK);

	/* tamper mode: nothing changed (must verify), and small changes */
	for (k = K_POK; k < K_COUNT; k++) {
		/* last byte of the first response (S for Ed25519): the
		 * challenge hash does not cover it, so the equations are reached */
		static const size_t response_at[] = {
			[K_POK] = 65 + 65,
			[K_CP] = 4 * 65 + 2 * 65,
			[K_BIT] = 65 + 130 + 2 * 65 + 32,
			[K_RANGE] = 8 + 65 + 130 + 2 * 65 + 32,
			[K_SIG] = 65 + 65,
			[K_ED25519] = 32 + 32,
			[K_CP_SWAPPED] = 4 * 65 + 2 * 65,
		};
		char name[64];

		memset(o.b, 0, 1 + 512);
		o.b[0] = (uint8_t)(0x80 | k);
		snprintf(name, sizeof(name), "tamper_%d_none", k);
		seed(T, name, o.b, 1);
		o.b[1 + 70] = 0x01; /* byte 70: a point, or S for Ed25519 */
		snprintf(name, sizeof(name), "tamper_%d_byte70", k);
		seed(T, name, o.b, 1 + 71);
		o.b[1 + 70] = 0;
		o.b[1 + response_at[k] + 31] = 0x01;
		snprintf(name, sizeof(name), "tamper_%d_response", k);
		seed(T, name, o.b, 1 + response_at[k] + 32);
	}
	/* range: a flip in an unused branch (12 - 5 + 1 = 8 used): still valid */
	memset(o.b, 0, 1 + 8 + 65 + 130 + 9 * sizeof(tv_range_branch));
	o.b[0] = 0x80 | K_RANGE;
	o.b[1 + 8 + 65 + 130 + 8 * sizeof(tv_range_branch) + 3] = 0x40;
	seed(T, "tamper_3_unused_branch", o.b, 1 + 8 + 65 + 130 + 9 * sizeof(tv_range_branch));
	/* range: max changed from 12 to 13 */
	memset(o.b + 1, 0, 8);
	o.b[1 + 7] = 12 ^ 13;
	seed(T, "tamper_3_max", o.b, 9);
	/* a longer context (zero bytes appended): must be refused */
	memset(o.b, 0, 1 + 162 + 200);
	o.b[0] = 0x80 | K_SIG;
	seed(T, "tamper_4_longer_message", o.b, 1 + 162 + 200);

	/* raw mode: honest records made wrong by one change */
	MUST(tv_schnorr_prove(ctx, &pok, &X, &x, context, clen) == TV_OK);
	pok.response.bytes[31] ^= 1;
	o.n = 0;
	add_byte(&o, K_POK);
	add(&o, &X, 65);
	add(&o, &pok, sizeof(pok));
	add(&o, context, clen);
	seed(T, "raw_0_pok_bad_response", o.b, o.n);

	MUST(tv_elgamal_encrypt_with_nonce(ctx, &ct, K, 0, &r) == TV_OK);
	MUST(tv_cp_prove(ctx, &cp, &r, &G, &ct.alpha, K, &ct.beta, context, clen) == TV_OK);
	o.n = 0;
	add_byte(&o, K_CP);
	add(&o, &G, 65);
	add(&o, &ct.alpha, 65);
	add(&o, K, 65);
	add(&o, &ct.beta, 65);
	add(&o, &cp, sizeof(cp));
	add(&o, context, clen - 1); /* context cut short */
	seed(T, "raw_1_cp_short_context", o.b, o.n);

	MUST(tv_elgamal_encrypt_with_nonce(ctx, &ct, K, 0, &r) == TV_OK);
	MUST(tv_bit_prove(ctx, &bit, &ct, K, 0, &r, context, clen) == TV_OK);
	bit.branch[1].challenge.bytes[0] ^= 0x01;
	o.n = 0;
	add_byte(&o, K_BIT);
	add(&o, K, 65);
	add(&o, &ct, sizeof(ct));
	add(&o, &bit, sizeof(bit));
	add(&o, context, clen);
	seed(T, "raw_2_bit_bad_challenge", o.b, o.n);

	MUST(tv_elgamal_encrypt_with_nonce(ctx, &ct, K, 3, &r) == TV_OK);
	MUST(tv_range_prove(ctx, &range, &ct, K, 1, 4, 3, &r, context, clen) == TV_OK);
	o.n = 0;
	add_byte(&o, K_RANGE);
	add_u32be(&o, 1);
	add_u32be(&o, 4);
	add(&o, K, 65);
	add(&o, &ct, sizeof(ct));
	add(&o, &range, 4 * sizeof(tv_range_branch));
	/* the context does not follow the whole record: it is the zero
	 * padding and the proof is checked with the wrong context */
	seed(T, "raw_3_range_1_4_short", o.b, o.n);
	o.b[1 + 3] = 0; /* min 0: one more branch than the proof has */
	seed(T, "raw_3_range_0_4", o.b, o.n);
	o.b[1 + 3] = 5; /* min > max */
	seed(T, "raw_3_range_min_above_max", o.b, o.n);
	o.b[1 + 3] = 0;
	o.b[1 + 7] = 32; /* 33 values */
	seed(T, "raw_3_range_33_values", o.b, 9 + 65 + 130);

	MUST(tv_schnorr_sign(ctx, &sig, &x, context, clen) == TV_OK);
	o.n = 0;
	add_byte(&o, K_SIG);
	add(&o, &X, 65);
	add(&o, &sig, sizeof(sig));
	add(&o, context, clen - 1);
	add_byte(&o, 'X');
	seed(T, "raw_4_sig_other_message", o.b, o.n);
	/* R replaced by the generator */
	memcpy(o.b + 1 + 65, G.bytes, 65);
	seed(T, "raw_4_sig_r_is_g", o.b, o.n);

	MUST(tv_ed25519_keygen(ctx, &edsk, &edpk) == TV_OK);
	MUST(tv_ed25519_sign(ctx, &edsig, &edsk, context, clen) == TV_OK);
	o.n = 0;
	add_byte(&o, K_ED25519);
	add(&o, &edpk, sizeof(edpk));
	edsig.bytes[63] ^= 0x10; /* S >= L territory */
	add(&o, &edsig, sizeof(edsig));
	add(&o, context, clen);
	seed(T, "raw_5_ed25519_bad_s", o.b, o.n);
	/*
	 * Ed25519 forgeries that OpenSSL alone accepts, under weak keys the
	 * library must refuse (SPEC §6.2): regression seeds
	 */
	{
		static const uint8_t order8_y[32] = {
			0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
			0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
			0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
		};
		/* "Taming the many EdDSAs", vector 0 (S = 0, A and R small) */
		static const uint8_t taming0_msg[32] = {
			0x8c, 0x93, 0x25, 0x5d, 0x71, 0xdc, 0xab, 0x10, 0xe8, 0xf3, 0x79,
			0xc2, 0x62, 0x00, 0xf3, 0xc7, 0xbd, 0x5f, 0x09, 0xd9, 0xbc, 0x30,
			0x68, 0xd3, 0xef, 0x4e, 0xde, 0xb4, 0x85, 0x30, 0x22, 0xb6,
		};
		uint8_t key[32], rs[64];

		/* A = R = identity (y = 1), S = 0: passes for every message */
		memset(key, 0, 32);
		key[0] = 0x01;
		memset(rs, 0, 64);
		rs[0] = 0x01;
		o.n = 0;
		add_byte(&o, K_ED25519);
		add(&o, key, 32);
		add(&o, rs, 64);
		add(&o, "vote", 4);
		seed(T, "raw_5_ed25519_identity_key", o.b, o.n);
		/* the same with A's y = p + 1, a non-canonical identity */
		memset(key, 0xff, 32);
		key[0] = 0xee;
		key[31] = 0x7f;
		memcpy(o.b + 1, key, 32);
		seed(T, "raw_5_ed25519_noncanonical_identity_key", o.b, o.n);
		/* A = R = 00..00 (y = 0, order 4), S = 0: passes for message 09 */
		o.n = 0;
		add_byte(&o, K_ED25519);
		memset(rs, 0, 64);
		add(&o, rs, 32);
		add(&o, rs, 64);
		add_byte(&o, 0x09);
		seed(T, "raw_5_ed25519_order4_key", o.b, o.n);
		/* order 8 */
		o.n = 0;
		add_byte(&o, K_ED25519);
		memcpy(key, order8_y, 32);
		key[31] |= 0x80;
		add(&o, key, 32);
		add(&o, order8_y, 32);
		add(&o, rs, 32);
		add(&o, taming0_msg, 32);
		seed(T, "raw_5_ed25519_order8_key", o.b, o.n);
	}
	/* a record of zeros */
	for (k = K_POK; k < K_COUNT; k++) {
		char name[64];
		uint8_t b = (uint8_t)k;

		snprintf(name, sizeof(name), "raw_%d_zero", k);
		seed(T, name, &b, 1);
	}
	tv_scalar_wipe(&x);
	tv_scalar_wipe(&r);
	tv_ed25519_secret_wipe(&edsk);
}

/* ---- ballot papers (SPEC §15.8) ---- */

static void seed_text(const char *target, const char *name, const char *text)
{
	seed(target, name, text, strlen(text));
}

/* @p reader's byte, then @p len bytes of @p text */
static void seed_with_byte(const char *target, const char *name, uint8_t reader,
                           const void *text, size_t len)
{
	static uint8_t o[65536];

	MUST(len < sizeof(o));
	o[0] = reader;
	memcpy(o + 1, text, len);
	seed(target, name, o, len + 1);
}

/* a whole file into a NUL-terminated heap string */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long n;

	MUST(f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	     fseek(f, 0, SEEK_SET) == 0);
	MUST((text = malloc((size_t)n + 1)) != NULL);
	MUST(fread(text, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	text[n] = '\0';
	*len = (size_t)n;
	return text;
}

/* line @p i (from 0) of @p text, without its LF */
static void line_of(const char *text, size_t i, const char **at, size_t *len)
{
	const char *p = text, *end;

	while (i-- > 0)
		MUST((p = strchr(p, '\n')) != NULL && *++p != '\0');
	end = strchr(p, '\n');
	*at = p;
	*len = end != NULL ? (size_t)(end - p) : strlen(p);
}

/* the paper file with each lock cut to its first @p keep bytes */
static size_t cut_locks(char *out, size_t cap, const tv_fuzz_papers *e, size_t keep)
{
	const char *p = e->file, *end = e->file + e->file_len;
	size_t n = 0;

	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p)), *lock = strstr(p, "\"lock\":\"");
		size_t len = (size_t)(lf - p) + 1;

		MUST(lf != NULL);
		if (lock != NULL && lock < lf) {
			size_t head = (size_t)(lock - p) + 8;

			MUST(n + head + 2 * keep + 3 <= cap);
			memcpy(out + n, p, head + 2 * keep);
			n += head + 2 * keep;
			memcpy(out + n, "\"}\n", 3);
			n += 3;
		} else {
			MUST(n + len <= cap);
			memcpy(out + n, p, len);
			n += len;
		}
		p = lf + 1;
	}
	return n;
}

/* the first occurrence of @p from in @p text (of @p len bytes) replaced */
static size_t replace_once(char *out, size_t cap, const char *text, size_t len, const char *from,
                           const char *to)
{
	const char *at = strstr(text, from);
	size_t head, n;

	MUST(at != NULL && (size_t)(at - text) < len);
	head = (size_t)(at - text);
	n = len - strlen(from) + strlen(to);
	MUST(n <= cap);
	memcpy(out, text, head);
	memcpy(out + head, to, strlen(to));
	memcpy(out + head + strlen(to), at + strlen(from), len - head - strlen(from));
	return n;
}

static void paper_problem(uint32_t line, const char *message, void *payload)
{
	(void)payload;
	fprintf(stderr, "fuzz_gen_corpus: intake line %u: %s\n", line, message);
}

/* the code printed beside @p answer on paper @p p */
static const char *code_beside(const tv_paper_print *p, uint32_t answer)
{
	for (uint32_t i = 0; i < p->answers; i++)
		if (p->answer[i] == answer)
			return p->code[i];
	die("no such answer on a paper");
	return NULL;
}

/* the papers of the box's file, in its order (paper lines 0 and 1) */
static const tv_paper_print *paper_print(const tv_fuzz_papers *e, size_t line)
{
	return &e->print[e->line[line].number];
}

/* the rows the box takes in paper_record_seeds: paper 0 cast by post with
 * the code beside Yes, paper 1 rejected */
static void paper_rows(char *out, size_t cap, const tv_fuzz_papers *e)
{
	snprintf(out, cap, "paper,code\n%s,%s\n%s,rejected:no-official-mark\n",
	         paper_print(e, 0)->id, code_beside(paper_print(e, 0), 1), paper_print(e, 1)->id);
}

/* fuzz_intake: those rows, and rows it must refuse (in CRLF, with a BOM) */
static void paper_intake_seeds(void)
{
	tv_fuzz_papers *e = tv_fuzz_papers_get();
	const tv_paper_print *p0 = paper_print(e, 0), *p1 = paper_print(e, 1);
	char rows[512], bad_id[64];

	paper_rows(rows, sizeof(rows), e);
	seed_text("fuzz_intake", "paper_good", rows);
	/* a blank (no code), the same paper twice, a mistyped identifier */
	snprintf(bad_id, sizeof(bad_id), "%s", p1->id);
	bad_id[3] = bad_id[3] == '0' ? '1' : '0';
	snprintf(rows, sizeof(rows), "\xef\xbb\xbfpaper,code\r\n %s , %s\r\n\"%s\",blank\r\n"
	         "%s,%s\r\n%s,rejected:torn\r\n", p0->id, p0->code[0], p1->id, p0->id, p0->code[1],
	         bad_id);
	seed_text("fuzz_intake", "paper_problems", rows);
}

/* fuzz_paper_id: both printed identifiers and codes, typed as a tenant might */
static void paper_id_seeds(void)
{
	tv_fuzz_papers *e = tv_fuzz_papers_get();
	const tv_paper_print *p0 = paper_print(e, 0), *p1 = paper_print(e, 1);
	char t[64];
	size_t i;

	seed_text("fuzz_paper_id", "id_printed", p0->id);
	snprintf(t, sizeof(t), "%s", p1->id);
	for (i = 0; t[i] != '\0'; i++) {
		if (t[i] >= 'A' && t[i] <= 'Z')
			t[i] = (char)(t[i] - 'A' + 'a');
		if (t[i] == '-')
			t[i] = ' ';
		if (t[i] == '0')
			t[i] = 'o';
		if (t[i] == '1')
			t[i] = 'l';
	}
	seed_text("fuzz_paper_id", "id_lowercase_spaces", t);
	snprintf(t, sizeof(t), "%s", p0->id);
	t[0] = t[0] == 'Z' ? 'Y' : 'Z';
	seed_text("fuzz_paper_id", "id_typo", t);
	snprintf(t, sizeof(t), "%s", p0->id);
	t[strlen(t) - 1] = '\0';
	seed_text("fuzz_paper_id", "id_short", t);
	seed_text("fuzz_paper_id", "code", p0->code[0]);
	snprintf(t, sizeof(t), "%c%c-%c %c",
	         p1->code[1][0] >= 'A' ? p1->code[1][0] - 'A' + 'a' : p1->code[1][0],
	         p1->code[1][1], p1->code[1][2], p1->code[1][3]);
	seed_text("fuzz_paper_id", "code_spelt", t);
	seed_text("fuzz_paper_id", "code_u", "U7K2");
}

/* fuzz_paper_lock: paper line 0's lock as made, and its plaintext */
static void paper_lock_seeds(void)
{
	tv_fuzz_papers *e = tv_fuzz_papers_get();
	const tv_fuzz_paper_line *l = &e->line[0];
	uint8_t key[32], tag[16], *plain, *last;
	size_t n = l->lock_len - 12 - 16;

	/* raw: one byte short of an IV and a tag, and the lock's first 40
	 * bytes (the whole lock, 10 KB, would only ever open as itself: the
	 * target knows it) */
	seed_with_byte("fuzz_paper_lock", "lock_27", 0, l->lock, 27);
	seed_with_byte("fuzz_paper_lock", "lock_40", 0, l->lock, 40);
	/* the plaintext: IV ‖ AES-256-GCM(key, IV, AAD = h, plaintext) ‖ tag */
	tv_fuzz_spec_hash(key, "paper-lock", 2, e->f, (size_t)32, l->id, (size_t)TV__PAPER_SYMBOLS);
	MUST((plain = malloc(n)) != NULL);
	memcpy(tag, l->lock + 12 + n, 16);
	MUST(tv__aes_gcm(e->ctx, 0, plain, l->lock + 12, n, key, l->lock, l->handle, 32, tag) ==
	     TV_OK);
	seed_with_byte("fuzz_paper_lock", "plain", 1, plain, n);
	/* the last ballot left out; and then with the LF before it kept */
	for (last = plain + n; last > plain && last[-1] != '\n'; last--)
		;
	n = (size_t)(last - plain);
	seed_with_byte("fuzz_paper_lock", "plain_two_ballots", 1, plain, n - 1);
	seed_with_byte("fuzz_paper_lock", "plain_two_ballots_lf", 1, plain, n);
	free(plain);
}

/* fuzz_paper_file: the authority's file, its locks cut short, and damaged */
static void paper_file_seeds(void)
{
	static char big[65536], big2[65536];
	tv_fuzz_papers *e = tv_fuzz_papers_get();
	const char *line, *l1, *l2;
	size_t len, n, n1, n2;
	char *at;

	/* the box does not open a lock when it imports it: still accepted */
	n = cut_locks(big, sizeof(big), e, 20);
	seed("fuzz_paper_file", "locks_cut", big, n);
	line_of(big, 0, &line, &len);
	seed("fuzz_paper_file", "header_only", line, len + 1);
	line_of(big, 1, &l1, &n1);
	line_of(big, 2, &l2, &n2);
	memcpy(big2, big, len + 1);
	memcpy(big2 + len + 1, l2, n2 + 1);
	memcpy(big2 + len + 1 + n2 + 1, l1, n1 + 1);
	seed("fuzz_paper_file", "papers_swapped", big2, n);
	seed("fuzz_paper_file", "papers_3", big2,
	     replace_once(big2, sizeof(big2), big, n, "\"papers\":2", "\"papers\":3"));
	seed("fuzz_paper_file", "signature_changed", big2,
	     replace_once(big2, sizeof(big2), big, n, "\"signature\":\"", "\"signature\":\"0"));
	seed("fuzz_paper_file", "credential_compressed", big2,
	     replace_once(big2, sizeof(big2), big, n, "\"credential\":\"04", "\"credential\":\"02"));
	/* the first paper's credential off the curve (y's last digit) */
	memcpy(big2, big, n);
	MUST((at = strstr(big2 + len + 1, "\"credential\":\"")) != NULL);
	at += 14 + TV_POINT_HEX_LEN - 1;
	*at = *at == '0' ? '1' : '0';
	seed("fuzz_paper_file", "credential_off_curve", big2, n);
	/* a lock in upper case */
	memcpy(big2, big, n);
	MUST((at = strstr(big2 + len + 1, "\"lock\":\"")) != NULL);
	for (at += 8; *at != '"'; at++)
		if (*at >= 'a' && *at <= 'f')
			*at = (char)(*at - 'a' + 'A');
	seed("fuzz_paper_file", "lock_upper_case", big2, n);
}

/*
 * The fixture's election run on: its papers imported, the rows of
 * paper_rows cast by post, voting closed, the papers not cast as ballots
 * opened, and the record exported. Its files are the seeds of fuzz_papers,
 * and of fuzz_board_scan and fuzz_record_files (the papers' board lines).
 * Last: it imports the papers into the fixture's box.
 */
static void paper_record_seeds(void)
{
	static char big[65536];
	tv_fuzz_papers *e = tv_fuzz_papers_get();
	tv_ctx *ctx = e->ctx;
	tv_ed25519_secret_key box_key;
	tv_ed25519_public_key box_pub;
	tv_intake *in = NULL;
	tv_intake_summary sum;
	char path[256], rows[512], record[128], board_dir[128], *openings = NULL, *text, *board;
	const char *line, *entry;
	size_t count = 0, opened = 0, len, n, board_len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/papers.jsonl", e->dir);
	MUST((f = fopen(path, "wb")) != NULL);
	MUST(fwrite(e->file, 1, e->file_len, f) == e->file_len && fclose(f) == 0);
	MUST(tv_box_import_papers(ctx, &count, e->box, path) == TV_OK && count == TV_FUZZ_PAPERS);
	MUST(tv_ed25519_keygen(ctx, &box_key, &box_pub) == TV_OK);
	MUST(tv_box_open_voting(ctx, e->box, &box_key) == TV_OK);
	paper_rows(rows, sizeof(rows), e);
	MUST(tv_intake_parse(ctx, &in, rows, strlen(rows), e->manifest, "papers.csv",
	                     paper_problem, NULL) == TV_OK);
	MUST(tv_box_intake(ctx, e->box, in, TV_CHANNEL_POSTAL, &box_key,
	                   tv_manifest_opens(e->manifest) + 60, NULL, NULL, paper_problem, NULL,
	                   &sum) == TV_OK);
	tv_intake_free(in);
	MUST(sum.cast == 2 && sum.spoilt == 1);
	MUST(tv_box_close_voting_at(ctx, NULL, NULL, e->box, &box_key,
	                            tv_manifest_closes(e->manifest), NULL) == TV_OK);
	/* the authority reads the cast papers off a record of the closed board */
	snprintf(board_dir, sizeof(board_dir), "%s/board", e->dir);
	MUST(tv_box_export_record(ctx, e->box, board_dir, NULL, NULL, 0, NULL, NULL, NULL) == TV_OK);
	MUST(tv_authority_open_papers(ctx, &openings, &opened, e->authority, e->seed, e->manifest,
	                              &e->key.key, e->issue, strlen(e->issue), board_dir) == TV_OK);
	MUST(opened == 1); /* the rejected paper */
	MUST(tv_box_import_openings(ctx, &opened, e->box, openings, strlen(openings)) == TV_OK);
	snprintf(record, sizeof(record), "%s/record", e->dir);
	MUST(tv_box_export_record(ctx, e->box, record, NULL, NULL, 0, NULL, NULL, NULL) == TV_OK);

	/* fuzz_papers: byte 0 papers.json, 1 openings, 2 a paper's entry, 3 a rejected one */
	snprintf(path, sizeof(path), "%s/papers.json", record);
	text = slurp(path, &len);
	seed_with_byte("fuzz_papers", "papers_json", 0, text, len);
	seed_with_byte("fuzz_papers", "papers_json_extra_key", 0, big,
	               replace_once(big, sizeof(big), text, len, "\"opened\":[\"",
	                            "\"opened\":[],\"x\":[\""));
	free(text);
	snprintf(path, sizeof(path), "%s/papers.json", board_dir);
	text = slurp(path, &len);
	seed_with_byte("fuzz_papers", "papers_json_before_openings", 0, text, len);
	free(text);
	seed_with_byte("fuzz_papers", "openings", 1, openings, strlen(openings));
	seed_with_byte("fuzz_papers", "openings_extra_key", 1, big,
	               replace_once(big, sizeof(big), openings, strlen(openings), "[\"",
	                            "[],\"x\":[\""));
	tv_free(ctx, openings);
	snprintf(path, sizeof(path), "%s/board.jsonl", record);
	board = slurp(path, &board_len);
	for (size_t i = 0; i < 2; i++) {
		line_of(board, i, &line, &len);
		MUST((entry = strstr(line, ",\"entry\":")) != NULL && entry < line + len);
		entry += 9;
		n = (size_t)(line + len - 1 - entry); /* less the envelope's closing brace */
		if (i == 0) {
			MUST(strstr(line, "\"kind\":\"paper\"") != NULL);
			seed_with_byte("fuzz_papers", "entry_paper", 2, entry, n);
			seed("fuzz_board_scan", "paper", line, len);
			seed_with_byte("fuzz_record_files", "board_line_paper", 2, line, len);
		} else {
			MUST(strstr(line, "\"kind\":\"paper-spoilt\"") != NULL);
			seed_with_byte("fuzz_papers", "entry_paper_spoilt", 3, entry, n);
			seed("fuzz_board_scan", "paper-spoilt", line, len);
			seed_with_byte("fuzz_record_files", "board_line_paper_spoilt", 2, line, len);
		}
	}
	free(board);
	tv_ed25519_secret_wipe(&box_key);
}

int main(int argc, char **argv)
{
	static const char drbg_seed[] = "tenantvote fuzz seed corpus v1";
	tv_ctx *ctx = NULL;
	tv_scalar y;
	tv_point K;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	MUST(tv_ctx_new(&ctx, NULL) == TV_OK);
	MUST(tv__ctx_set_deterministic(ctx, (const uint8_t *)drbg_seed,
	                               sizeof(drbg_seed) - 1) == TV_OK);

	MUST(tv_scalar_random(ctx, &y) == TV_OK);
	MUST(tv_point_base_mul(ctx, &K, &y) == TV_OK);

	clear_own_dirs();
	point_seeds(ctx);
	scalar_seeds(ctx);
	hex_seeds();
	utf8_seeds();
	credential_seeds(ctx);
	ciphertext_seeds(ctx, &K);
	proof_seeds(ctx, &K);
	paper_intake_seeds();
	paper_id_seeds();
	paper_lock_seeds();
	paper_file_seeds();
	paper_record_seeds();

	tv_ctx_free(ctx);
	return 0;
}
