/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the fuzz targets: see fuzz_common.h. */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include "fuzz_common.h"

/* P-256 (SEC 2 §2.4.2), written out here rather than taken from the
 * library, so the oracles do not share the library's constants */
static const char p256_p_hex[] =
	"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
static const char p256_b_hex[] =
	"5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b";
static const char p256_n_hex[] =
	"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

static struct {
	tv_ctx *ctx;
	BN_CTX *bn;
	BIGNUM *p, *b, *n;
} fuzz;

void tv_fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz property violated: %s\n", file, line, what);
	if (fuzz.ctx != NULL)
		fprintf(stderr, "  last status %d (%s), last error: \"%s\"\n",
		        (int)tv_ctx_last_status(fuzz.ctx),
		        tv_status_str(tv_ctx_last_status(fuzz.ctx)),
		        tv_ctx_last_error(fuzz.ctx));
	fflush(stderr);
	abort();
}

/*
 * Free at exit. OpenSSL is initialised without its own atexit handler (see
 * tv_fuzz_ctx) so that its global state is still alive here, and is then
 * cleaned up last.
 */
__attribute__((destructor)) static void fuzz_teardown(void)
{
	if (fuzz.ctx == NULL)
		return;
	tv_ctx_free(fuzz.ctx);
	BN_CTX_free(fuzz.bn);
	BN_free(fuzz.p);
	BN_free(fuzz.b);
	BN_free(fuzz.n);
	memset(&fuzz, 0, sizeof(fuzz));
	OPENSSL_cleanup();
}

tv_ctx *tv_fuzz_ctx(void)
{
	tv_status status;

	if (fuzz.ctx != NULL)
		return fuzz.ctx;
	/*
	 * Our destructor runs after every atexit handler registered once main
	 * has started, and so after OpenSSL's own OPENSSL_cleanup: freeing the
	 * context then would touch freed global state. Take over the cleanup.
	 */
	if (!OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL)) {
		fprintf(stderr, "fuzz: OPENSSL_init_crypto failed\n");
		abort();
	}
	status = tv_ctx_new(&fuzz.ctx, NULL);
	if (status != TV_OK) {
		fprintf(stderr, "fuzz: tv_ctx_new: %s\n", tv_status_str(status));
		abort();
	}
	fuzz.bn = BN_CTX_new();
	if (fuzz.bn == NULL || !BN_hex2bn(&fuzz.p, p256_p_hex) ||
	    !BN_hex2bn(&fuzz.b, p256_b_hex) || !BN_hex2bn(&fuzz.n, p256_n_hex)) {
		fprintf(stderr, "fuzz: cannot set up the oracle's constants\n");
		abort();
	}
	return fuzz.ctx;
}

void tv_fuzz_clear_error(tv_ctx *ctx)
{
	ctx->last_status = TV_OK;
	ctx->last_error[0] = '\0';
}

void tv_fuzz_check_status_recorded(tv_ctx *ctx, tv_status status)
{
	if (status == TV_OK) {
		FUZZ_CHECK(tv_ctx_last_status(ctx) == TV_OK);
		return;
	}
	FUZZ_CHECK(tv_ctx_last_status(ctx) == status);
	FUZZ_CHECK(tv_ctx_last_error(ctx)[0] != '\0');
	FUZZ_CHECK(strlen(tv_ctx_last_error(ctx)) < TV_ERROR_MAX);
}

#define ORACLE_OK(x)                                                           \
	do {                                                                   \
		if (!(x)) {                                                    \
			fprintf(stderr, "fuzz oracle: BIGNUM failure\n");      \
			abort();                                               \
		}                                                              \
	} while (0)

tv_status tv_fuzz_oracle_point(const uint8_t *in, size_t len)
{
	BIGNUM *x, *y, *lhs, *rhs, *t;
	tv_status expected;

	if (len != TV_POINT_BYTES || in[0] != 0x04)
		return TV_ERR_ENCODING;
	(void)tv_fuzz_ctx();
	BN_CTX_start(fuzz.bn);
	x = BN_CTX_get(fuzz.bn);
	y = BN_CTX_get(fuzz.bn);
	lhs = BN_CTX_get(fuzz.bn);
	rhs = BN_CTX_get(fuzz.bn);
	t = BN_CTX_get(fuzz.bn);
	ORACLE_OK(t != NULL);
	ORACLE_OK(BN_bin2bn(in + 1, 32, x) && BN_bin2bn(in + 33, 32, y));
	if (BN_cmp(x, fuzz.p) >= 0 || BN_cmp(y, fuzz.p) >= 0) {
		expected = TV_ERR_POINT_INVALID;
	} else {
		/* y^2 == x^3 - 3x + b (mod p); infinity has no 04 encoding */
		ORACLE_OK(BN_mod_sqr(lhs, y, fuzz.p, fuzz.bn));
		ORACLE_OK(BN_mod_sqr(rhs, x, fuzz.p, fuzz.bn));
		ORACLE_OK(BN_mod_mul(rhs, rhs, x, fuzz.p, fuzz.bn));
		ORACLE_OK(BN_set_word(t, 3));
		ORACLE_OK(BN_mod_mul(t, t, x, fuzz.p, fuzz.bn));
		ORACLE_OK(BN_mod_sub(rhs, rhs, t, fuzz.p, fuzz.bn));
		ORACLE_OK(BN_mod_add(rhs, rhs, fuzz.b, fuzz.p, fuzz.bn));
		expected = BN_cmp(lhs, rhs) == 0 ? TV_OK : TV_ERR_POINT_INVALID;
	}
	BN_CTX_end(fuzz.bn);
	return expected;
}

tv_status tv_fuzz_oracle_scalar(const uint8_t *in, size_t len)
{
	BIGNUM *k;
	tv_status expected;

	if (len != TV_SCALAR_BYTES)
		return TV_ERR_ENCODING;
	(void)tv_fuzz_ctx();
	BN_CTX_start(fuzz.bn);
	k = BN_CTX_get(fuzz.bn);
	ORACLE_OK(k != NULL && BN_bin2bn(in, TV_SCALAR_BYTES, k));
	expected = BN_cmp(k, fuzz.n) < 0 ? TV_OK : TV_ERR_SCALAR_RANGE;
	BN_CTX_end(fuzz.bn);
	return expected;
}

int tv_fuzz_all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

int tv_fuzz_scalar_add(uint8_t out[TV_SCALAR_BYTES],
                       const uint8_t a[TV_SCALAR_BYTES],
                       const uint8_t b[TV_SCALAR_BYTES])
{
	BIGNUM *x, *y;
	int zero;

	(void)tv_fuzz_ctx();
	BN_CTX_start(fuzz.bn);
	x = BN_CTX_get(fuzz.bn);
	y = BN_CTX_get(fuzz.bn);
	ORACLE_OK(y != NULL && BN_bin2bn(a, TV_SCALAR_BYTES, x) &&
	          BN_bin2bn(b, TV_SCALAR_BYTES, y));
	ORACLE_OK(BN_mod_add(x, x, y, fuzz.n, fuzz.bn));
	ORACLE_OK(BN_bn2binpad(x, out, TV_SCALAR_BYTES) == TV_SCALAR_BYTES);
	zero = BN_is_zero(x);
	BN_CTX_end(fuzz.bn);
	return zero;
}

void tv_fuzz_scalar_neg(uint8_t out[TV_SCALAR_BYTES],
                        const uint8_t k[TV_SCALAR_BYTES])
{
	BIGNUM *x;

	(void)tv_fuzz_ctx();
	BN_CTX_start(fuzz.bn);
	x = BN_CTX_get(fuzz.bn);
	ORACLE_OK(x != NULL && BN_bin2bn(k, TV_SCALAR_BYTES, x));
	ORACLE_OK(BN_sub(x, fuzz.n, x));
	ORACLE_OK(BN_bn2binpad(x, out, TV_SCALAR_BYTES) == TV_SCALAR_BYTES);
	BN_CTX_end(fuzz.bn);
}

/*
 * Sanitizer defaults for every target: stop at the first report (UBSan
 * otherwise prints and carries on, and the test would pass) and show the
 * stack. Options in the environment still override these.
 */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

__attribute__((used, visibility("default")))
const char *__asan_default_options(void)
{
	return "detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1";
}

__attribute__((used, visibility("default")))
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

tv_manifest *tv_fuzz_manifest(tv_ctx *ctx)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;

	o.election_id = "fuzzshire";
	o.council = "Fuzzshire Council";
	o.landlord = "Fuzzshire Mutual";
	o.title.en = "Ballot";
	o.question.en = "Transfer?";
	o.option_count = 2;
	o.options[0].en = "Yes";
	o.options[1].en = "No";
	o.transfer_option = 1;
	o.allow_blank = 1;
	o.opens = 1800000000;
	o.closes = 1801000000;
	o.trustees = 1;
	o.threshold = 1;
	FUZZ_CHECK(tv_manifest_new(ctx, &m, &o) == TV_OK);
	return m;
}
