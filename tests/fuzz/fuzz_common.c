/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the fuzz targets: see fuzz_common.h. */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "fuzz_common.h"

static void papers_free(void);

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
	papers_free();
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

static void put_field(EVP_MD_CTX *md, const void *data, size_t len)
{
	uint8_t be[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
		          (uint8_t)len };

	ORACLE_OK(EVP_DigestUpdate(md, be, 4) && (len == 0 || EVP_DigestUpdate(md, data, len)));
}

void tv_fuzz_spec_hash(uint8_t out[32], const char *purpose, size_t fields, ...)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char tag[128];
	unsigned int n = 0;
	va_list ap;

	ORACLE_OK(md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL));
	snprintf(tag, sizeof(tag), "tenantvote/v1/%s", purpose);
	put_field(md, tag, strlen(tag));
	va_start(ap, fields);
	for (size_t i = 0; i < fields; i++) {
		const void *data = va_arg(ap, const void *);
		size_t len = va_arg(ap, size_t);

		put_field(md, data, len);
	}
	va_end(ap);
	ORACLE_OK(EVP_DigestFinal_ex(md, out, &n) && n == 32);
	EVP_MD_CTX_free(md);
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

/* ------------------------------------------- an election with papers */

static tv_fuzz_papers *papers;

#define PAPERS_MUST(x)                                                         \
	do {                                                                   \
		if (!(x)) {                                                    \
			fprintf(stderr, "fuzz papers fixture: %s failed: %s\n", #x,   \
			        papers != NULL && papers->ctx != NULL              \
			                ? tv_ctx_last_error(papers->ctx)           \
			                : "");                                     \
			abort();                                               \
		}                                                              \
	} while (0)

/* every file of folder @p from (flat: a box's folder has no subfolders)
 * copied into @p to, which is made if need be; with @p clear, the files
 * of @p to not in @p from are removed first (a -wal or -shm left over) */
static void copy_dir(const char *from, const char *to, int clear)
{
	char a[512], b[512];
	struct dirent *d;
	DIR *dir;

	if (clear && (dir = opendir(to)) != NULL) {
		while ((d = readdir(dir)) != NULL)
			if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0) {
				snprintf(b, sizeof(b), "%s/%s", to, d->d_name);
				PAPERS_MUST(unlink(b) == 0);
			}
		closedir(dir);
	}
	PAPERS_MUST(mkdir(to, 0700) == 0 || access(to, F_OK) == 0);
	PAPERS_MUST((dir = opendir(from)) != NULL);
	while ((d = readdir(dir)) != NULL) {
		FILE *in, *out;
		char buf[65536];
		size_t n;

		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(a, sizeof(a), "%s/%s", from, d->d_name);
		snprintf(b, sizeof(b), "%s/%s", to, d->d_name);
		PAPERS_MUST((in = fopen(a, "rb")) != NULL && (out = fopen(b, "wb")) != NULL);
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			PAPERS_MUST(fwrite(buf, 1, n, out) == n);
		PAPERS_MUST(!ferror(in) && fclose(out) == 0);
		fclose(in);
	}
	closedir(dir);
}

static void remove_dir(const char *path)
{
	char sub[512];
	struct dirent *d;
	DIR *dir;

	if ((dir = opendir(path)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		struct stat st;

		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			remove_dir(sub);
		else
			unlink(sub);
	}
	closedir(dir);
	rmdir(path);
}

static int no_letter(const tv_tenant *t, const char *code, const char *check, void *payload)
{
	(void)t;
	(void)code;
	(void)check;
	(void)payload;
	return 0;
}

static int keep_print(const tv_paper_print *p, void *payload)
{
	tv_fuzz_papers *e = payload;

	PAPERS_MUST(p->number >= 1 && p->number <= TV_FUZZ_PAPERS);
	e->print[p->number - 1] = *p;
	return 0;
}

static int keep_line(const char *line, size_t len, void *payload)
{
	tv_fuzz_papers *e = payload;
	char *grown = tv__realloc(e->ctx, e->file, e->file_len + len + 1);

	PAPERS_MUST(grown != NULL);
	memcpy(grown + e->file_len, line, len);
	e->file = grown;
	e->file_len += len;
	e->file[e->file_len] = '\0';
	return 0;
}

/* the paper lines of e->file, each with its identifier from the printer's */
static void read_lines(tv_fuzz_papers *e)
{
	const char *at = memchr(e->file, '\n', e->file_len);

	PAPERS_MUST(at != NULL);
	at++;

	for (size_t i = 0; i < TV_FUZZ_PAPERS; i++) {
		tv_fuzz_paper_line *l = &e->line[i];
		const char *end = memchr(at, '\n', e->file_len - (size_t)(at - e->file));
		json_t *root;
		const char *lock;

		PAPERS_MUST(end != NULL);
		PAPERS_MUST((root = json_loadb(at, (size_t)(end - at), 0, NULL)) != NULL);
		PAPERS_MUST(tv__hex_decode(e->ctx, l->handle, 32,
		                           json_string_value(json_object_get(root, "paper")), 64,
		                           "paper") == TV_OK);
		PAPERS_MUST(tv_point_from_hex(e->ctx, &l->credential,
		                              json_string_value(json_object_get(root, "credential")),
		                              TV_POINT_HEX_LEN) == TV_OK);
		PAPERS_MUST(tv__hex_decode(e->ctx, l->commit, 32,
		                           json_string_value(json_object_get(root, "commit")), 64,
		                           "commit") == TV_OK);
		lock = json_string_value(json_object_get(root, "lock"));
		l->lock_len = strlen(lock) / 2;
		PAPERS_MUST((l->lock = tv__alloc(e->ctx, l->lock_len)) != NULL);
		PAPERS_MUST(tv__hex_decode(e->ctx, l->lock, l->lock_len, lock, 2 * l->lock_len,
		                           "lock") == TV_OK);
		json_decref(root);
		/* which printed paper it is: the one whose identifier gives its handle */
		l->number = TV_FUZZ_PAPERS;
		for (size_t n = 0; n < TV_FUZZ_PAPERS; n++) {
			char printed[TV_PAPER_ID_TEXT_LEN + 1];
			uint8_t h[32];

			PAPERS_MUST(tv_paper_id_read(e->ctx, printed, h, e->print[n].id,
			                             strlen(e->print[n].id), e->f) == TV_OK);
			if (memcmp(h, l->handle, 32) != 0)
				continue;
			l->number = n;
			for (size_t s = 0, o = 0; printed[s] != '\0'; s++)
				if (printed[s] != '-')
					l->id[o++] = printed[s];
		}
		PAPERS_MUST(l->number < TV_FUZZ_PAPERS);
		at = end + 1;
	}
	PAPERS_MUST(at == e->file + e->file_len);
}

tv_fuzz_papers *tv_fuzz_papers_get(void)
{
	static const char drbg_seed[] = "tenantvote fuzz paper election v1";
	static const char csv[] = "tenancy_ref,name,address,tenancy_type\n"
	                          "F1,Ann Fuzz,1 Fuzz Lane,secure\n"
	                          "F2,Bryn Fuzz,2 Fuzz Lane,secure\n";
	char *commit = NULL, *reveal = NULL, *result = NULL, pristine[128];
	tv_register *reg = NULL;
	tv_trustee *t = NULL;
	uint8_t context[32];
	tv_fuzz_papers *e;

	if (papers != NULL)
		return papers;
	(void)tv_fuzz_ctx(); /* OpenSSL set up as the teardown expects */
	PAPERS_MUST((e = papers = calloc(1, sizeof(*papers))) != NULL);
	PAPERS_MUST(tv_ctx_new(&e->ctx, NULL) == TV_OK);
	PAPERS_MUST(tv__ctx_set_deterministic(e->ctx, (const uint8_t *)drbg_seed,
	                                      sizeof(drbg_seed) - 1) == TV_OK);
	e->manifest = tv_fuzz_manifest(e->ctx);
	tv_manifest_fingerprint(e->f, e->manifest);
	snprintf(e->dir, sizeof(e->dir), "/tmp/tv-fuzz-papers-XXXXXX");
	PAPERS_MUST(mkdtemp(e->dir) != NULL);
	snprintf(e->box_dir, sizeof(e->box_dir), "%s/box", e->dir);

	PAPERS_MUST(tv_box_create(e->ctx, &e->box, e->box_dir, e->manifest) == TV_OK);
	PAPERS_MUST(tv_register_parse(e->ctx, &reg, (const uint8_t *)csv, sizeof(csv) - 1, "fuzz.csv",
	                              NULL, NULL) == TV_OK);
	PAPERS_MUST(tv_box_import_register(e->ctx, e->box, reg, "fuzz.csv") == TV_OK);
	PAPERS_MUST(tv_authority_new(e->ctx, &e->authority, e->manifest) == TV_OK);
	PAPERS_MUST(tv_authority_issue(e->ctx, &e->issue, e->authority, reg, no_letter, NULL) ==
	            TV_OK);
	tv_register_free(reg);
	PAPERS_MUST(tv_box_import_credentials(e->ctx, e->box, e->issue, strlen(e->issue)) == TV_OK);
	/* the one trustee's ceremony, bound to the signed list (§11.6) */
	PAPERS_MUST(tv_box_ceremony_context(e->ctx, context, e->box) == TV_OK);
	PAPERS_MUST(tv_trustee_new(e->ctx, &t, context, 1, 1, 1) == TV_OK);
	PAPERS_MUST(tv_trustee_commit(e->ctx, &commit, t) == TV_OK);
	PAPERS_MUST(tv_trustee_reveal(e->ctx, &reveal, t, (const char *const *)&commit, 1) == TV_OK);
	PAPERS_MUST(tv_trustee_combine(e->ctx, &result, NULL, t, (const char *const *)&commit, 1,
	                               (const char *const *)&reveal, 1) == TV_OK);
	PAPERS_MUST(tv_box_set_election_key(e->ctx, e->box, (const char *const *)&commit,
	                                    (const char *const *)&reveal,
	                                    (const char *const *)&result, 1) == TV_OK);
	PAPERS_MUST(tv_box_election_key(e->ctx, &e->key, e->box) == TV_OK);
	tv_free(e->ctx, commit);
	tv_free(e->ctx, reveal);
	tv_free(e->ctx, result);
	tv_trustee_free(t);

	PAPERS_MUST(tv_paper_seed_new(e->ctx, e->seed, e->manifest) == TV_OK);
	PAPERS_MUST(tv_authority_make_papers(e->ctx, e->authority, e->seed, e->manifest, &e->key.key,
	                                     e->issue, strlen(e->issue), keep_print, keep_line,
	                                     e) == TV_OK);
	read_lines(e);
	/* a copy of the box's folder as it is now, for tv_fuzz_papers_reset_box */
	tv_box_free(e->box);
	e->box = NULL;
	snprintf(pristine, sizeof(pristine), "%s/box.pristine", e->dir);
	copy_dir(e->box_dir, pristine, 0);
	PAPERS_MUST(tv_box_open(e->ctx, &e->box, e->box_dir) == TV_OK);
	return e;
}

void tv_fuzz_papers_reset_box(tv_fuzz_papers *e)
{
	char pristine[128];

	tv_box_free(e->box);
	e->box = NULL;
	snprintf(pristine, sizeof(pristine), "%s/box.pristine", e->dir);
	copy_dir(pristine, e->box_dir, 1);
	PAPERS_MUST(tv_box_open(e->ctx, &e->box, e->box_dir) == TV_OK);
}

static void papers_free(void)
{
	tv_fuzz_papers *e = papers;

	if (e == NULL)
		return;
	tv_box_free(e->box);
	remove_dir(e->dir);
	for (size_t i = 0; i < TV_FUZZ_PAPERS; i++)
		tv__free(e->ctx, e->line[i].lock);
	tv__free(e->ctx, e->file);
	tv_free(e->ctx, e->issue);
	tv_authority_free(e->authority);
	tv_manifest_free(e->manifest);
	OPENSSL_cleanse(e->seed, sizeof(e->seed));
	tv_ctx_free(e->ctx);
	free(e);
	papers = NULL;
}
