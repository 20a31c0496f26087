/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC "Secret files": sealing under a passphrase, every check of the
 * parser with its status and message, the test vector, and the files
 * (mode 0600, atomic, no overwrite, refusals on reading).
 *
 * All but one test use scrypt log2 N = 10 (1 MiB, about a millisecond);
 * default_cost uses the default 15 once.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "internal.h"

#define FAST 10
static const char pass[] = "correct horse battery staple";
#define PASS_LEN (sizeof(pass) - 1)

static void from_hex(uint8_t *out, const char *hex)
{
	size_t i, len = strlen(hex) / 2;

	for (i = 0; i < len; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void assert_message_has(tv_ctx *ctx, const char *what)
{
	const char *msg = tv_ctx_last_error(ctx);

	if (strstr(msg, what) == NULL)
		fail_msg("message \"%s\" does not mention \"%s\"", msg, what);
}

static tv_secretfile_options fast_options(void)
{
	tv_secretfile_options opts = TV_SECRETFILE_OPTIONS_INIT;

	opts.kdf_log2_n = FAST;
	return opts;
}

static void seal_fast(tv_ctx *ctx, uint8_t **out, size_t *out_len, const uint8_t *pt,
                      size_t len)
{
	tv_secretfile_options opts = fast_options();

	assert_ok(ctx, tv_secretfile_seal(ctx, out, out_len, pt, len, pass, PASS_LEN, &opts));
}

/* open @p sealed and expect @p want (and, when it fails, @p what in the message) */
static void expect_open(tv_ctx *ctx, const uint8_t *sealed, size_t len, tv_status want,
                        const char *what)
{
	uint8_t *pt = (uint8_t *)&pt;
	size_t pt_len = 99;

	assert_status(ctx, tv_secretfile_open(ctx, &pt, &pt_len, sealed, len, pass, PASS_LEN),
	              want);
	if (want == TV_OK) {
		tv_secret_free(ctx, pt, pt_len);
		return;
	}
	assert_null(pt);
	assert_int_equal(pt_len, 0);
	if (what != NULL)
		assert_message_has(ctx, what);
}

/* ---- sealing in memory ---- */

static void round_trip(void **state)
{
	static const size_t lengths[] = { 0, 1, 32, 1000 };
	tv_ctx *ctx = test_ctx_new();
	uint8_t secret[1000];
	(void)state;

	for (size_t i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)test_rand();
	for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
		uint8_t *a = NULL, *b = NULL, *pt = NULL;
		size_t a_len, b_len, pt_len;

		seal_fast(ctx, &a, &a_len, secret, lengths[k]);
		seal_fast(ctx, &b, &b_len, secret, lengths[k]);
		assert_int_equal(a_len, lengths[k] + TV_SECRETFILE_OVERHEAD);
		assert_int_equal(b_len, a_len);
		assert_memory_equal(a, "TVSECRET\x01\x01\x0a\x08\x01", 13);
		/* fresh salt and nonce each time */
		assert_memory_not_equal(a + 13, b + 13, 28);
		assert_ok(ctx, tv_secretfile_open(ctx, &pt, &pt_len, a, a_len, pass, PASS_LEN));
		assert_non_null(pt);
		assert_int_equal(pt_len, lengths[k]);
		if (pt_len > 0)
			assert_memory_equal(pt, secret, pt_len);
		tv_secret_free(ctx, pt, pt_len);
		expect_open(ctx, b, b_len, TV_OK, NULL);
		tv_free(ctx, a);
		tv_free(ctx, b);
	}
	tv_ctx_free(ctx);
}

/* SPEC "Secret files", test vector: also reproduced by an independent script */
static void test_vector(void **state)
{
	static const char seed[] = "tenantvote/v1/vectors/secretfile";
	static const char plaintext[] = "example trustee share";
	static const char want_hex[] =
		"545653454352455401010a0801"
		"542906ecac5dc087e4c058f6ac0c1d3e"
		"de6f7389d125a7a42d9d13f2"
		"63637c41445a9d8c75fa2df8d0743a3d43249e7634"
		"8c8add22e54e0fde29c826e59dc9a791";
	static const char want_empty_hex[] =
		"545653454352455401010a0801"
		"9413fb76ad51ca70bd2f97b02e9eea55"
		"693352cda28b58b93325d2a0"
		"786e672133f9595d90cc6d4149d9b2f1";
	uint8_t want[78], want_empty[57];
	tv_ctx *ctx = test_ctx_new();
	uint8_t *sealed = NULL, *pt = NULL;
	size_t len, pt_len;
	(void)state;

	from_hex(want, want_hex);
	from_hex(want_empty, want_empty_hex);
	assert_ok(ctx, tv__ctx_set_deterministic(ctx, (const uint8_t *)seed, strlen(seed)));
	seal_fast(ctx, &sealed, &len, (const uint8_t *)plaintext, strlen(plaintext));
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(sealed, want, sizeof(want));
	tv_free(ctx, sealed);
	/* the second sealing takes the next block of the generator */
	seal_fast(ctx, &sealed, &len, NULL, 0);
	assert_int_equal(len, sizeof(want_empty));
	assert_memory_equal(sealed, want_empty, sizeof(want_empty));
	tv_free(ctx, sealed);

	assert_ok(ctx, tv_secretfile_open(ctx, &pt, &pt_len, want, sizeof(want), pass, PASS_LEN));
	assert_int_equal(pt_len, strlen(plaintext));
	assert_memory_equal(pt, plaintext, pt_len);
	tv_secret_free(ctx, pt, pt_len);
	assert_ok(ctx, tv_secretfile_open(ctx, &pt, &pt_len, want_empty, sizeof(want_empty),
	                                  pass, PASS_LEN));
	assert_int_equal(pt_len, 0);
	assert_non_null(pt);
	tv_secret_free(ctx, pt, pt_len);
	tv_ctx_free(ctx);
}

static void default_cost(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t *sealed = NULL;
	size_t len;
	(void)state;

	assert_ok(ctx, tv_secretfile_seal(ctx, &sealed, &len, (const uint8_t *)"s", 1, pass,
	                                  PASS_LEN, NULL));
	assert_int_equal(sealed[10], TV_SECRETFILE_KDF_LOG2_N_DEFAULT);
	expect_open(ctx, sealed, len, TV_OK, NULL);
	tv_free(ctx, sealed);
	tv_ctx_free(ctx);
}

static void wrong_passphrase(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t *sealed = NULL, *pt = (uint8_t *)&pt;
	size_t len, pt_len = 5;
	/* one byte off, a prefix, one byte more, another case */
	static const char *const wrong[] = {
		"correct horse battery stapla", "correct horse battery stapl",
		"correct horse battery staple\n", "Correct horse battery staple",
	};
	(void)state;

	seal_fast(ctx, &sealed, &len, (const uint8_t *)"share", 5);
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		assert_status(ctx, tv_secretfile_open(ctx, &pt, &pt_len, sealed, len, wrong[i],
		                                      strlen(wrong[i])),
		              TV_ERR_PASSPHRASE);
		assert_null(pt);
		assert_int_equal(pt_len, 0);
		assert_message_has(ctx, "wrong passphrase, or the file was altered");
		assert_true(tv_status_is_rejection(TV_ERR_PASSPHRASE));
	}
	tv_free(ctx, sealed);
	tv_ctx_free(ctx);
}

/* every byte of the header, altered: the status its field calls for */
static void header_tampering(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t *sealed = NULL, *bad;
	size_t len;
	(void)state;

	seal_fast(ctx, &sealed, &len, (const uint8_t *)"share", 5);
	bad = test_malloc(len);
	for (size_t i = 0; i < TV_SECRETFILE_HEADER_BYTES; i++) {
		tv_status want = TV_ERR_ENCODING;
		const char *what;

		memcpy(bad, sealed, len);
		bad[i] ^= 0x01;
		if (i < 8)
			what = "magic";
		else if (i == 8)
			what = "format version 0";
		else if (i == 9)
			what = "KDF id 0";
		else if (i == 10) /* 10 ^ 1 = 11: a valid cost, but authenticated */
			what = NULL, want = TV_ERR_PASSPHRASE;
		else if (i == 11)
			what = "r = 9";
		else if (i == 12)
			what = "p = 0";
		else /* salt and nonce */
			what = NULL, want = TV_ERR_PASSPHRASE;
		expect_open(ctx, bad, len, want, what);
	}

	/* the cost, out of range either way: refused before any derivation */
	{
		static const uint8_t costs[] = { 0, 9, 21, 22, 23, 64, 255 };

		for (size_t k = 0; k < sizeof(costs); k++) {
			memcpy(bad, sealed, len);
			bad[10] = costs[k];
			expect_open(ctx, bad, len, TV_ERR_ENCODING, "log2 N");
		}
	}
	memcpy(bad, sealed, len);
	bad[8] = 2;
	expect_open(ctx, bad, len, TV_ERR_ENCODING, "format version 2 is not supported");
	memcpy(bad, sealed, len);
	bad[9] = 2;
	expect_open(ctx, bad, len, TV_ERR_ENCODING, "KDF id 2");
	memcpy(bad, sealed, len);
	bad[11] = 1;
	expect_open(ctx, bad, len, TV_ERR_ENCODING, "block size r = 1");
	memcpy(bad, sealed, len);
	bad[12] = 2;
	expect_open(ctx, bad, len, TV_ERR_ENCODING, "parallelism p = 2");
	memcpy(bad, sealed, len);
	memcpy(bad, "tvsecret", 8);
	expect_open(ctx, bad, len, TV_ERR_ENCODING, "not a tenantvote secret file");

	test_free(bad);
	tv_free(ctx, sealed);
	tv_ctx_free(ctx);
}

/* cut at every length: malformed below the minimum, unauthenticated above */
static void truncation(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t *sealed = NULL, *cut;
	size_t len;
	(void)state;

	seal_fast(ctx, &sealed, &len, (const uint8_t *)"a trustee share", 15);
	for (size_t n = 0; n < len; n++) {
		const char *what;

		cut = test_malloc(n == 0 ? 1 : n);
		memcpy(cut, sealed, n);
		if (n < 8)
			what = "magic";
		else if (n == 8)
			what = "format version missing";
		else if (n < TV_SECRETFILE_HEADER_BYTES)
			what = "truncated in the header";
		else if (n < TV_SECRETFILE_OVERHEAD)
			what = "authentication tag";
		else
			what = NULL;
		expect_open(ctx, cut, n, what != NULL ? TV_ERR_ENCODING : TV_ERR_PASSPHRASE, what);
		test_free(cut);
	}
	/* NULL with length 0 is an empty input, not a misuse */
	expect_open(ctx, NULL, 0, TV_ERR_ENCODING, "magic");

	/* one byte more is also an altered file */
	cut = test_malloc(len + 1);
	memcpy(cut, sealed, len);
	cut[len] = 0;
	expect_open(ctx, cut, len + 1, TV_ERR_PASSPHRASE, "wrong passphrase");
	test_free(cut);
	tv_free(ctx, sealed);
	tv_ctx_free(ctx);
}

/*
 * Bit flips in the ciphertext and the tag: every byte (the bit moving
 * along), and every bit of the first ciphertext byte and of the last tag
 * byte. Each costs a key derivation, hence not all 8 bits of every byte.
 */
static void body_bit_flips(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t *sealed = NULL, *bad;
	size_t len;
	(void)state;

	seal_fast(ctx, &sealed, &len, (const uint8_t *)"share!", 6);
	bad = test_malloc(len);
	for (size_t i = TV_SECRETFILE_HEADER_BYTES; i < len; i++) {
		for (unsigned bit = 0; bit < 8; bit++) {
			if (i != TV_SECRETFILE_HEADER_BYTES && i != len - 1 && bit != i % 8)
				continue;
			memcpy(bad, sealed, len);
			bad[i] ^= (uint8_t)(1u << bit);
			expect_open(ctx, bad, len, TV_ERR_PASSPHRASE, "altered");
		}
	}
	test_free(bad);
	tv_free(ctx, sealed);
	tv_ctx_free(ctx);
}

static void too_long(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	uint8_t *sealed = NULL, *big;
	size_t len;
	(void)state;

	seal_fast(ctx, &sealed, &len, (const uint8_t *)"x", 1);
	big = test_calloc(1, TV_SECRETFILE_MAX_SEALED + 1);
	memcpy(big, sealed, TV_SECRETFILE_HEADER_BYTES);
	expect_open(ctx, big, TV_SECRETFILE_MAX_SEALED + 1, TV_ERR_ENCODING, "too long");
	/* the largest size is parsed (and then fails the tag) */
	expect_open(ctx, big, TV_SECRETFILE_MAX_SEALED, TV_ERR_PASSPHRASE, "wrong passphrase");
	test_free(big);
	tv_free(ctx, sealed);
	tv_ctx_free(ctx);
}

static void argument_checks(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_secretfile_options opts = fast_options();
	uint8_t *out = (uint8_t *)&out, *sealed = NULL;
	size_t out_len = 7, len;
	char long_pass[TV_SECRETFILE_MAX_PASSPHRASE + 1];
	(void)state;

	memset(long_pass, 'p', sizeof(long_pass));
	seal_fast(ctx, &sealed, &len, (const uint8_t *)"x", 1);

	/* an empty passphrase is refused everywhere */
	assert_status(ctx, tv_secretfile_seal(ctx, &out, &out_len, (const uint8_t *)"x", 1,
	                                      "", 0, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_null(out);
	assert_int_equal(out_len, 0);
	assert_message_has(ctx, "passphrase is empty");
	assert_status(ctx, tv_secretfile_open(ctx, &out, &out_len, sealed, len, "", 0),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "passphrase is empty");
	assert_status(ctx, tv_secretfile_write(ctx, "/nonexistent/x", (const uint8_t *)"x", 1,
	                                       "", 0, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "passphrase is empty");
	assert_status(ctx, tv_secretfile_read(ctx, &out, &out_len, "/nonexistent/x", "", 0),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "passphrase is empty");

	/* the longest passphrase works, one more byte does not */
	tv_free(ctx, sealed);
	assert_ok(ctx, tv_secretfile_seal(ctx, &sealed, &len, (const uint8_t *)"x", 1,
	                                  long_pass, TV_SECRETFILE_MAX_PASSPHRASE, &opts));
	assert_ok(ctx, tv_secretfile_open(ctx, &out, &out_len, sealed, len, long_pass,
	                                  TV_SECRETFILE_MAX_PASSPHRASE));
	tv_secret_free(ctx, out, out_len);
	assert_status(ctx, tv_secretfile_open(ctx, &out, &out_len, sealed, len, long_pass,
	                                      sizeof(long_pass)),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "more than the 1024 allowed");
	/* NUL bytes are passphrase bytes like any other */
	tv_free(ctx, sealed);
	assert_ok(ctx, tv_secretfile_seal(ctx, &sealed, &len, (const uint8_t *)"x", 1,
	                                  "a\0b", 3, &opts));
	assert_status(ctx, tv_secretfile_open(ctx, &out, &out_len, sealed, len, "a\0c", 3),
	              TV_ERR_PASSPHRASE);
	assert_ok(ctx, tv_secretfile_open(ctx, &out, &out_len, sealed, len, "a\0b", 3));
	tv_secret_free(ctx, out, out_len);

	/* NULLs */
	assert_status(ctx, tv_secretfile_seal(ctx, NULL, &out_len, (const uint8_t *)"x", 1,
	                                      pass, PASS_LEN, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "tv_secretfile_seal: NULL argument");
	assert_status(ctx, tv_secretfile_seal(ctx, &out, &out_len, NULL, 1, pass, PASS_LEN,
	                                      &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_secretfile_seal(ctx, &out, &out_len, (const uint8_t *)"x", 1,
	                                      NULL, 3, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "NULL passphrase");
	assert_status(ctx, tv_secretfile_open(ctx, &out, &out_len, NULL, 3, pass, PASS_LEN),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_secretfile_open(ctx, &out, NULL, sealed, len, pass, PASS_LEN),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_secretfile_write(ctx, NULL, (const uint8_t *)"x", 1, pass,
	                                       PASS_LEN, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_secretfile_read(ctx, &out, &out_len, NULL, pass, PASS_LEN),
	              TV_ERR_INVALID_ARGUMENT);
	assert_int_equal(tv_secretfile_seal(NULL, &out, &out_len, (const uint8_t *)"x", 1,
	                                    pass, PASS_LEN, &opts),
	                 TV_ERR_INVALID_ARGUMENT);
	assert_int_equal(tv_secretfile_open(NULL, &out, &out_len, sealed, len, pass, PASS_LEN),
	                 TV_ERR_INVALID_ARGUMENT);

	/* options */
	opts.kdf_log2_n = 9;
	assert_status(ctx, tv_secretfile_seal(ctx, &out, &out_len, (const uint8_t *)"x", 1,
	                                      pass, PASS_LEN, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "kdf_log2_n 9 is outside 10..20");
	opts.kdf_log2_n = 21;
	assert_status(ctx, tv_secretfile_seal(ctx, &out, &out_len, (const uint8_t *)"x", 1,
	                                      pass, PASS_LEN, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "kdf_log2_n 21");
	opts = fast_options();
	opts.version = 2;
	assert_status(ctx, tv_secretfile_seal(ctx, &out, &out_len, (const uint8_t *)"x", 1,
	                                      pass, PASS_LEN, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "options version 2");

	/* a secret over 1 MiB (never read: the size is checked first) */
	opts = fast_options();
	assert_status(ctx, tv_secretfile_seal(ctx, &out, &out_len, (const uint8_t *)"x",
	                                      TV_SECRETFILE_MAX_PLAINTEXT + 1, pass, PASS_LEN,
	                                      &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "more than the 1048576 allowed");
	assert_null(out);

	/* paths that name no file */
	assert_status(ctx, tv_secretfile_write(ctx, "", (const uint8_t *)"x", 1, pass,
	                                       PASS_LEN, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_status(ctx, tv_secretfile_write(ctx, "/tmp/", (const uint8_t *)"x", 1, pass,
	                                       PASS_LEN, &opts),
	              TV_ERR_INVALID_ARGUMENT);
	assert_message_has(ctx, "\"/tmp/\" does not name a file");

	tv_secret_free(ctx, NULL, 10);
	tv_secret_free(NULL, NULL, 0);
	tv_free(ctx, sealed);
	tv_ctx_free(ctx);
}

/* every allocation failing in turn: TV_ERR_NOMEM, nothing leaked (cmocka) */
static void allocation_failures(void **state)
{
	tv_secretfile_options opts = fast_options();
	uint8_t *sealed = NULL, *pt;
	size_t len, pt_len;
	tv_ctx *ok = test_ctx_new();
	(void)state;

	seal_fast(ok, &sealed, &len, (const uint8_t *)"share", 5);
	for (long fail = 0;; fail++) {
		long allocations;
		tv_ctx *ctx = test_ctx_new_failing(fail, &allocations);
		uint8_t *out = NULL;
		size_t out_len;
		tv_status s1, s2;

		if (ctx == NULL)
			continue; /* the context itself needs the first allocations */
		s1 = tv_secretfile_seal(ctx, &out, &out_len, (const uint8_t *)"share", 5, pass,
		                        PASS_LEN, &opts);
		tv_free(ctx, out);
		s2 = tv_secretfile_open(ctx, &pt, &pt_len, sealed, len, pass, PASS_LEN);
		if (s2 == TV_OK)
			tv_secret_free(ctx, pt, pt_len);
		tv_ctx_free(ctx);
		assert_true(s1 == TV_OK || s1 == TV_ERR_NOMEM);
		assert_true(s2 == TV_OK || s2 == TV_ERR_NOMEM);
		if (s1 == TV_OK && s2 == TV_OK)
			break;
		assert_true(fail < 100);
	}
	tv_free(ok, sealed);
	tv_ctx_free(ok);
}

/* ---- files ---- */

static char dir[256];

static int make_dir(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tv-secretfile-XXXXXX",
	         base != NULL && *base != '\0' ? base : "/tmp");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int remove_dir(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	(void)state;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) != 0)
			rmdir(path);
	}
	closedir(d);
	return rmdir(dir);
}

/* the names in the test folder, so that no temporary file is left over */
static size_t entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void in_dir(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static void file_round_trip_and_mode(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_secretfile_options opts = fast_options();
	char path[512];
	struct stat st;
	uint8_t *pt = NULL, *sealed = NULL;
	size_t pt_len, sealed_len;
	mode_t old_umask;
	(void)state;

	/* mode 0600 whatever the umask: none, and one that removes owner write */
	old_umask = umask(0);
	in_dir(path, sizeof(path), "share-1.tvsecret");
	assert_ok(ctx, tv_secretfile_write(ctx, path, (const uint8_t *)"share one", 9, pass,
	                                   PASS_LEN, &opts));
	umask(0277);
	in_dir(path, sizeof(path), "share-2.tvsecret");
	assert_ok(ctx, tv_secretfile_write(ctx, path, (const uint8_t *)"share two", 9, pass,
	                                   PASS_LEN, &opts));
	umask(old_umask);
	for (int i = 1; i <= 2; i++) {
		char name[32];

		snprintf(name, sizeof(name), "share-%d.tvsecret", i);
		in_dir(path, sizeof(path), name);
		assert_int_equal(stat(path, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		assert_int_equal(st.st_mode & 07777, 0600);
		assert_int_equal(st.st_size, 9 + TV_SECRETFILE_OVERHEAD);
		assert_ok(ctx, tv_secretfile_read(ctx, &pt, &pt_len, path, pass, PASS_LEN));
		assert_int_equal(pt_len, 9);
		assert_memory_equal(pt, i == 1 ? "share one" : "share two", 9);
		tv_secret_free(ctx, pt, pt_len);
	}
	/* only the two files: no temporary file left beside them */
	assert_int_equal(entries(), 2);

	/* a file sealed in memory and written by hand reads the same (mode 0400 too) */
	seal_fast(ctx, &sealed, &sealed_len, (const uint8_t *)"by hand", 7);
	in_dir(path, sizeof(path), "by-hand");
	{
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(sealed, 1, sealed_len, f), sealed_len);
		assert_int_equal(fclose(f), 0);
	}
	assert_int_equal(chmod(path, 0400), 0);
	assert_ok(ctx, tv_secretfile_read(ctx, &pt, &pt_len, path, pass, PASS_LEN));
	assert_memory_equal(pt, "by hand", 7);
	tv_secret_free(ctx, pt, pt_len);
	tv_free(ctx, sealed);

	/* a wrong passphrase, named with the path */
	assert_status(ctx, tv_secretfile_read(ctx, &pt, &pt_len, path, "wrong", 5),
	              TV_ERR_PASSPHRASE);
	assert_null(pt);
	assert_message_has(ctx, path);
	assert_message_has(ctx, "wrong passphrase");
	unlink(path);
	in_dir(path, sizeof(path), "share-1.tvsecret");
	unlink(path);
	in_dir(path, sizeof(path), "share-2.tvsecret");
	unlink(path);
	tv_ctx_free(ctx);
}

static void file_exists(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_secretfile_options opts = fast_options();
	char path[512];
	uint8_t *pt = NULL;
	size_t pt_len;
	(void)state;

	in_dir(path, sizeof(path), "share");
	assert_ok(ctx, tv_secretfile_write(ctx, path, (const uint8_t *)"first", 5, pass,
	                                   PASS_LEN, &opts));
	assert_status(ctx, tv_secretfile_write(ctx, path, (const uint8_t *)"second", 6, pass,
	                                       PASS_LEN, &opts),
	              TV_ERR_EXISTS);
	assert_message_has(ctx, path);
	assert_message_has(ctx, "already exists");
	assert_ok(ctx, tv_secretfile_read(ctx, &pt, &pt_len, path, pass, PASS_LEN));
	assert_int_equal(pt_len, 5);
	assert_memory_equal(pt, "first", 5);
	tv_secret_free(ctx, pt, pt_len);

	/* also a name that is taken by something else, e.g. a dangling link */
	{
		char link_path[512];

		in_dir(link_path, sizeof(link_path), "dangling");
		assert_int_equal(symlink("nowhere", link_path), 0);
		assert_status(ctx, tv_secretfile_write(ctx, link_path, (const uint8_t *)"x", 1,
		                                       pass, PASS_LEN, &opts),
		              TV_ERR_EXISTS);
		unlink(link_path);
	}

	opts.overwrite = 1;
	assert_ok(ctx, tv_secretfile_write(ctx, path, (const uint8_t *)"second", 6, pass,
	                                   PASS_LEN, &opts));
	assert_ok(ctx, tv_secretfile_read(ctx, &pt, &pt_len, path, pass, PASS_LEN));
	assert_int_equal(pt_len, 6);
	assert_memory_equal(pt, "second", 6);
	tv_secret_free(ctx, pt, pt_len);
	assert_int_equal(entries(), 1);
	unlink(path);
	tv_ctx_free(ctx);
}

static void file_refused_on_read(void **state)
{
	static const mode_t modes[] = { 0640, 0604, 0610, 0620, 0601, 0666, 0700 | 0070 };
	tv_ctx *ctx = test_ctx_new();
	tv_secretfile_options opts = fast_options();
	char path[512], fifo[512];
	uint8_t *pt = (uint8_t *)&pt;
	size_t pt_len = 3;
	(void)state;

	in_dir(path, sizeof(path), "share");
	assert_ok(ctx, tv_secretfile_write(ctx, path, (const uint8_t *)"share", 5, pass,
	                                   PASS_LEN, &opts));
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char mode[16];

		assert_int_equal(chmod(path, modes[i]), 0);
		assert_status(ctx, tv_secretfile_read(ctx, &pt, &pt_len, path, pass, PASS_LEN),
		              TV_ERR_IO);
		assert_null(pt);
		assert_int_equal(pt_len, 0);
		snprintf(mode, sizeof(mode), "mode %04o", (unsigned)modes[i]);
		assert_message_has(ctx, mode);
		assert_message_has(ctx, "chmod 600");
		assert_message_has(ctx, path);
	}
	assert_int_equal(chmod(path, 0600), 0);

	/* a missing file */
	in_dir(fifo, sizeof(fifo), "missing");
	assert_status(ctx, tv_secretfile_read(ctx, &pt, &pt_len, fifo, pass, PASS_LEN),
	              TV_ERR_IO);
	assert_message_has(ctx, fifo);
	assert_message_has(ctx, "cannot open");

	/* not a regular file: a folder, a FIFO (opening must not block) */
	assert_status(ctx, tv_secretfile_read(ctx, &pt, &pt_len, dir, pass, PASS_LEN),
	              TV_ERR_IO);
	assert_message_has(ctx, "not a regular file");
	in_dir(fifo, sizeof(fifo), "fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_status(ctx, tv_secretfile_read(ctx, &pt, &pt_len, fifo, pass, PASS_LEN),
	              TV_ERR_IO);
	assert_message_has(ctx, "not a regular file");
	unlink(fifo);

	/* too large a file */
	{
		FILE *f = fopen(path, "r+b");

		assert_non_null(f);
		assert_int_equal(fseek(f, (long)TV_SECRETFILE_MAX_SEALED, SEEK_SET), 0);
		assert_int_equal(fputc(0, f), 0);
		assert_int_equal(fclose(f), 0);
	}
	assert_status(ctx, tv_secretfile_read(ctx, &pt, &pt_len, path, pass, PASS_LEN),
	              TV_ERR_ENCODING);
	assert_message_has(ctx, "too large");
	assert_message_has(ctx, path);

	/* not a secret file at all: the path leads the message */
	assert_int_equal(truncate(path, 3), 0);
	assert_status(ctx, tv_secretfile_read(ctx, &pt, &pt_len, path, pass, PASS_LEN),
	              TV_ERR_ENCODING);
	assert_message_has(ctx, path);
	assert_message_has(ctx, "not a tenantvote secret file");
	unlink(path);
	tv_ctx_free(ctx);
}

static void file_write_failures(void **state)
{
	tv_ctx *ctx = test_ctx_new();
	tv_secretfile_options opts = fast_options();
	char path[512];
	uint8_t big[4096];
	struct rlimit old, small;
	tv_status status;
	(void)state;

	/* into a folder that does not exist */
	in_dir(path, sizeof(path), "no-such-folder/share");
	assert_status(ctx, tv_secretfile_write(ctx, path, (const uint8_t *)"x", 1, pass,
	                                       PASS_LEN, &opts),
	              TV_ERR_IO);
	assert_message_has(ctx, path);
	assert_message_has(ctx, strerror(ENOENT));
	assert_message_has(ctx, "does the folder exist?");

	/*
	 * A write that fails halfway (a file-size limit stands in for a full
	 * disk): TV_ERR_IO, and neither the target nor a temporary file left.
	 */
	memset(big, 0x5a, sizeof(big));
	in_dir(path, sizeof(path), "share");
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 100;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	status = tv_secretfile_write(ctx, path, big, sizeof(big), pass, PASS_LEN, &opts);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_status(ctx, status, TV_ERR_IO);
	assert_message_has(ctx, path);
	assert_message_has(ctx, "cannot write the temporary file");
	assert_message_has(ctx, strerror(EFBIG));
	assert_int_equal(entries(), 0);

	/* the same write with room succeeds */
	assert_ok(ctx, tv_secretfile_write(ctx, path, big, sizeof(big), pass, PASS_LEN, &opts));
	assert_int_equal(entries(), 1);
	unlink(path);

	/* relative paths: the temporary file goes to the current folder */
	{
		char cwd[512];
		uint8_t *pt = NULL;
		size_t pt_len;

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(dir), 0);
		assert_ok(ctx, tv_secretfile_write(ctx, "relative", (const uint8_t *)"r", 1, pass,
		                                   PASS_LEN, &opts));
		assert_ok(ctx, tv_secretfile_read(ctx, &pt, &pt_len, "relative", pass, PASS_LEN));
		tv_secret_free(ctx, pt, pt_len);
		assert_int_equal(entries(), 1);
		unlink("relative");
		assert_int_equal(chdir(cwd), 0);
	}
	tv_ctx_free(ctx);
}

/* the file functions with every allocation failing in turn */
static void file_allocation_failures(void **state)
{
	tv_secretfile_options opts = fast_options();
	char path[512];
	(void)state;

	in_dir(path, sizeof(path), "share");
	opts.overwrite = 1;
	for (long fail = 0;; fail++) {
		long allocations;
		tv_ctx *ctx = test_ctx_new_failing(fail, &allocations);
		uint8_t *pt = NULL;
		size_t pt_len = 0;
		tv_status s1, s2;

		if (ctx == NULL)
			continue;
		s1 = tv_secretfile_write(ctx, path, (const uint8_t *)"share", 5, pass, PASS_LEN,
		                         &opts);
		/* a failed write leaves nothing: not the file, not a temporary */
		assert_int_equal(entries(), s1 == TV_OK ? 1 : 0);
		s2 = s1 == TV_OK ? tv_secretfile_read(ctx, &pt, &pt_len, path, pass, PASS_LEN)
		                 : TV_ERR_NOMEM;
		if (s2 == TV_OK) {
			assert_memory_equal(pt, "share", 5);
			tv_secret_free(ctx, pt, pt_len);
		}
		tv_ctx_free(ctx);
		assert_true(s1 == TV_OK || s1 == TV_ERR_NOMEM);
		assert_true(s2 == TV_OK || s2 == TV_ERR_NOMEM);
		if (s1 == TV_OK && s2 == TV_OK)
			break;
		unlink(path);
		assert_true(fail < 100);
	}
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(test_vector),
		cmocka_unit_test(default_cost),
		cmocka_unit_test(wrong_passphrase),
		cmocka_unit_test(header_tampering),
		cmocka_unit_test(truncation),
		cmocka_unit_test(body_bit_flips),
		cmocka_unit_test(too_long),
		cmocka_unit_test(argument_checks),
		cmocka_unit_test(allocation_failures),
		cmocka_unit_test_setup_teardown(file_round_trip_and_mode, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(file_exists, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(file_refused_on_read, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(file_write_failures, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(file_allocation_failures, make_dir, remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
