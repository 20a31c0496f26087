/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC "Secret files": a trustee's share at rest, sealed under a
 * passphrase with scrypt and AES-256-GCM, and written to disk atomically
 * with mode 0600 (DESIGN §3).
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "internal.h"
#include "tenantvote/secretfile.h"

#define TV_PROPQ "provider=default"

/* the layout of the header (SPEC "Secret files", format) */
#define MAGIC "TVSECRET"
#define MAGIC_BYTES 8
#define FORMAT_VERSION 1
#define KDF_SCRYPT 1
#define SCRYPT_R 8
#define SCRYPT_P 1
#define SALT_BYTES 16
#define NONCE_BYTES 12
#define KEY_BYTES 32
#define OFF_VERSION 8
#define OFF_KDF 9
#define OFF_LOG2_N 10
#define OFF_R 11
#define OFF_P 12
#define OFF_SALT 13
#define OFF_NONCE (OFF_SALT + SALT_BYTES)

_Static_assert(OFF_NONCE + NONCE_BYTES == TV_SECRETFILE_HEADER_BYTES,
               "the header is magic to nonce");
_Static_assert(TV_SECRETFILE_MAX_SEALED < (size_t)INT32_MAX,
               "EVP lengths are int");

/* ---- arguments ---- */

static tv_status check_passphrase(tv_ctx *ctx, const char *passphrase,
                                  size_t passphrase_len, const char *fn)
{
	if (passphrase == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "%s: NULL passphrase", fn);
	/* an empty passphrase would seal the share under a key anyone can derive */
	if (passphrase_len == 0)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "%s: the passphrase is empty; a trustee's share needs one", fn);
	if (passphrase_len > TV_SECRETFILE_MAX_PASSPHRASE)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "%s: the passphrase is %zu bytes, more than the %d allowed", fn,
		                passphrase_len, TV_SECRETFILE_MAX_PASSPHRASE);
	return TV_OK;
}

/* the scrypt cost wanted by @p opts (NULL: the default) */
static tv_status check_options(tv_ctx *ctx, const tv_secretfile_options *opts,
                               unsigned int *log2_n, const char *fn)
{
	*log2_n = TV_SECRETFILE_KDF_LOG2_N_DEFAULT;
	if (opts == NULL)
		return TV_OK;
	if (opts->version != TV_SECRETFILE_OPTIONS_VERSION)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "%s: options version %u is not %d (use TV_SECRETFILE_OPTIONS_INIT)",
		                fn, opts->version, TV_SECRETFILE_OPTIONS_VERSION);
	if (opts->kdf_log2_n == 0)
		return TV_OK;
	if (opts->kdf_log2_n < TV_SECRETFILE_KDF_LOG2_N_MIN ||
	    opts->kdf_log2_n > TV_SECRETFILE_KDF_LOG2_N_MAX)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "%s: kdf_log2_n %u is outside %d..%d", fn, opts->kdf_log2_n,
		                TV_SECRETFILE_KDF_LOG2_N_MIN, TV_SECRETFILE_KDF_LOG2_N_MAX);
	*log2_n = opts->kdf_log2_n;
	return TV_OK;
}

/* ---- the key and the cipher ---- */

/*
 * key = scrypt(passphrase, salt, N = 2^log2_n, r = 8, p = 1, 32 bytes)
 * (RFC 7914). OpenSSL refuses to allocate more than maxmem; its default
 * (1 GiB) would refuse log2 N = 20 and up, so we allow exactly what these
 * parameters need: 128·r·p for B and 128·r·(N + 2) for V, X and T.
 */
static tv_status derive_key(tv_ctx *ctx, uint8_t key[KEY_BYTES],
                            const char *passphrase, size_t passphrase_len,
                            const uint8_t salt[SALT_BYTES], unsigned int log2_n)
{
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *kctx = NULL;
	OSSL_PARAM params[7];
	uint64_t n = (uint64_t)1 << log2_n;
	uint32_t r = SCRYPT_R, p = SCRYPT_P;
	uint64_t maxmem = 128u * (uint64_t)r * p + 128u * (uint64_t)r * (n + 2);
	tv_status status = TV_OK;

	kdf = EVP_KDF_fetch(ctx->libctx, "SCRYPT", TV_PROPQ);
	if (kdf == NULL || (kctx = EVP_KDF_CTX_new(kdf)) == NULL) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "OpenSSL has no scrypt");
		goto out;
	}
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
	                                              (void *)passphrase, passphrase_len);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	                                              (void *)salt, SALT_BYTES);
	params[2] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
	params[3] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
	params[4] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p);
	params[5] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem);
	params[6] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(kctx, key, KEY_BYTES, params) != 1) {
		if (ERR_GET_REASON(ERR_peek_last_error()) == ERR_R_MALLOC_FAILURE)
			status = tv__fail(ctx, TV_ERR_NOMEM,
			                  "scrypt with N = 2^%u needs %llu MiB of memory, "
			                  "which could not be allocated",
			                  log2_n, (unsigned long long)(maxmem >> 20));
		else
			status = tv__fail(ctx, TV_ERR_INTERNAL, "scrypt failed");
	}
out:
	/* the KDF context holds a copy of the passphrase; freeing wipes it */
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	if (status != TV_OK)
		tv__memzero(key, KEY_BYTES);
	return status;
}

/*
 * AES-256-GCM with a 12-byte nonce; the whole header is the additional
 * data, so the KDF parameters, salt and nonce are authenticated too.
 * Encrypting writes @p len bytes to @p out and the tag to @p tag; decrypting
 * checks @p tag and returns TV_ERR_PASSPHRASE (no message) on a mismatch,
 * leaving the unauthenticated plaintext in @p out for the caller to wipe.
 */
static tv_status gcm(tv_ctx *ctx, int encrypt, uint8_t *out, const uint8_t *in,
                     size_t len, const uint8_t key[KEY_BYTES],
                     const uint8_t header[TV_SECRETFILE_HEADER_BYTES],
                     uint8_t tag[TV_SECRETFILE_TAG_BYTES])
{
	return tv__aes_gcm(ctx, encrypt, out, in, len, key, header + OFF_NONCE, header,
	                   TV_SECRETFILE_HEADER_BYTES, tag);
}

/* ---- sealing and opening ---- */

tv_status tv_secretfile_seal(tv_ctx *ctx, uint8_t **out, size_t *out_len,
                             const uint8_t *plaintext, size_t len,
                             const char *passphrase, size_t passphrase_len,
                             const tv_secretfile_options *opts)
{
	static const char fn[] = "tv_secretfile_seal";
	uint8_t key[KEY_BYTES];
	uint8_t *sealed = NULL;
	unsigned int log2_n;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (ctx == NULL || out == NULL || out_len == NULL || (plaintext == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "%s: NULL argument", fn);
	if (len > TV_SECRETFILE_MAX_PLAINTEXT)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "%s: the secret is %zu bytes, more than the %zu allowed", fn,
		                len, TV_SECRETFILE_MAX_PLAINTEXT);
	if ((status = check_passphrase(ctx, passphrase, passphrase_len, fn)) != TV_OK ||
	    (status = check_options(ctx, opts, &log2_n, fn)) != TV_OK)
		return status;

	sealed = tv__alloc(ctx, len + TV_SECRETFILE_OVERHEAD);
	if (sealed == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "%s: cannot allocate %zu bytes", fn,
		                len + TV_SECRETFILE_OVERHEAD);
	memcpy(sealed, MAGIC, MAGIC_BYTES);
	sealed[OFF_VERSION] = FORMAT_VERSION;
	sealed[OFF_KDF] = KDF_SCRYPT;
	sealed[OFF_LOG2_N] = (uint8_t)log2_n;
	sealed[OFF_R] = SCRYPT_R;
	sealed[OFF_P] = SCRYPT_P;
	/* SPEC: one raw draw of 28 bytes, salt then nonce (fresh for every seal) */
	status = tv__random_bytes(ctx, sealed + OFF_SALT, SALT_BYTES + NONCE_BYTES);
	if (status != TV_OK)
		goto out;
	status = derive_key(ctx, key, passphrase, passphrase_len, sealed + OFF_SALT, log2_n);
	if (status != TV_OK)
		goto out;
	status = gcm(ctx, 1, sealed + TV_SECRETFILE_HEADER_BYTES, plaintext, len, key,
	             sealed, sealed + TV_SECRETFILE_HEADER_BYTES + len);
	if (status != TV_OK)
		goto out;
	*out = sealed;
	*out_len = len + TV_SECRETFILE_OVERHEAD;
	sealed = NULL;
out:
	tv__memzero(key, sizeof(key));
	if (sealed != NULL) {
		/* may hold part of the ciphertext: harmless, but leave nothing */
		tv__memzero(sealed, len + TV_SECRETFILE_OVERHEAD);
		tv__free(ctx, sealed);
	}
	return status;
}

/*
 * SPEC "Secret files", checks 1-9, in order: everything that can be
 * checked without the passphrase, before any key is derived. @p where
 * starts each message ("secret file", or the path).
 */
static tv_status parse_header(tv_ctx *ctx, const uint8_t *in, size_t len,
                              const char *where)
{
	if (len < MAGIC_BYTES || memcmp(in, MAGIC, MAGIC_BYTES) != 0)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: not a tenantvote secret file (magic: it does not start "
		                "with \"TVSECRET\")", where);
	if (len < OFF_VERSION + 1)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: truncated after the magic (format version missing)", where);
	if (in[OFF_VERSION] != FORMAT_VERSION)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: format version %u is not supported (this library reads "
		                "version %d)", where, in[OFF_VERSION], FORMAT_VERSION);
	if (len < TV_SECRETFILE_HEADER_BYTES)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: truncated in the header (%zu bytes, the header is %d)",
		                where, len, TV_SECRETFILE_HEADER_BYTES);
	if (in[OFF_KDF] != KDF_SCRYPT)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: KDF id %u is unknown (1 = scrypt)", where, in[OFF_KDF]);
	/*
	 * The cost is bounded before anything is derived: a file must not make
	 * the reader allocate more than 1 GiB (log2 N = 20, r = 8).
	 */
	if (in[OFF_LOG2_N] < TV_SECRETFILE_KDF_LOG2_N_MIN ||
	    in[OFF_LOG2_N] > TV_SECRETFILE_KDF_LOG2_N_MAX)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: scrypt cost log2 N = %u is outside %d..%d", where,
		                in[OFF_LOG2_N], TV_SECRETFILE_KDF_LOG2_N_MIN,
		                TV_SECRETFILE_KDF_LOG2_N_MAX);
	if (in[OFF_R] != SCRYPT_R)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: scrypt block size r = %u, version 1 requires %d", where,
		                in[OFF_R], SCRYPT_R);
	if (in[OFF_P] != SCRYPT_P)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: scrypt parallelism p = %u, version 1 requires %d", where,
		                in[OFF_P], SCRYPT_P);
	if (len < TV_SECRETFILE_OVERHEAD)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: truncated (%zu bytes, at least %d are needed for the "
		                "header and the authentication tag)", where, len,
		                TV_SECRETFILE_OVERHEAD);
	if (len > TV_SECRETFILE_MAX_SEALED)
		return tv__fail(ctx, TV_ERR_ENCODING,
		                "%s: too long (%zu bytes, at most %zu)", where, len,
		                TV_SECRETFILE_MAX_SEALED);
	return TV_OK;
}

static tv_status open_sealed(tv_ctx *ctx, uint8_t **plaintext, size_t *len,
                             const uint8_t *sealed, size_t sealed_len,
                             const char *passphrase, size_t passphrase_len,
                             const char *where)
{
	uint8_t key[KEY_BYTES];
	uint8_t tag[TV_SECRETFILE_TAG_BYTES];
	uint8_t *out = NULL;
	size_t out_len;
	tv_status status;

	if ((status = parse_header(ctx, sealed, sealed_len, where)) != TV_OK)
		return status;
	out_len = sealed_len - TV_SECRETFILE_OVERHEAD;
	out = tv__alloc(ctx, out_len);
	if (out == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "%s: cannot allocate %zu bytes", where,
		                out_len);
	/* a copy: EVP's "set tag" takes a non-const pointer */
	memcpy(tag, sealed + sealed_len - TV_SECRETFILE_TAG_BYTES, sizeof(tag));
	status = derive_key(ctx, key, passphrase, passphrase_len, sealed + OFF_SALT,
	                    sealed[OFF_LOG2_N]);
	if (status != TV_OK)
		goto out;
	status = gcm(ctx, 0, out, sealed + TV_SECRETFILE_HEADER_BYTES, out_len, key,
	             sealed, tag);
	if (status == TV_ERR_PASSPHRASE)
		tv__fail(ctx, TV_ERR_PASSPHRASE,
		         "%s: wrong passphrase, or the file was altered (the authentication "
		         "tag does not match)", where);
	if (status != TV_OK)
		goto out;
	*plaintext = out;
	*len = out_len;
	out = NULL;
out:
	tv__memzero(key, sizeof(key));
	/* unauthenticated plaintext is wiped like the real thing */
	tv_secret_free(ctx, out, out_len);
	return status;
}

tv_status tv_secretfile_open(tv_ctx *ctx, uint8_t **plaintext, size_t *len,
                             const uint8_t *sealed, size_t sealed_len,
                             const char *passphrase, size_t passphrase_len)
{
	static const char fn[] = "tv_secretfile_open";
	tv_status status;

	if (plaintext != NULL)
		*plaintext = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL || plaintext == NULL || len == NULL || (sealed == NULL && sealed_len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "%s: NULL argument", fn);
	if ((status = check_passphrase(ctx, passphrase, passphrase_len, fn)) != TV_OK)
		return status;
	return open_sealed(ctx, plaintext, len, sealed, sealed_len, passphrase,
	                   passphrase_len, "secret file");
}

void tv_secret_free(tv_ctx *ctx, void *ptr, size_t len)
{
	if (ptr == NULL)
		return;
	tv__memzero(ptr, len);
	if (ctx != NULL)
		tv__free(ctx, ptr);
}

/* ---- files ---- */

/*
 * TV_ERR_IO naming the path, what we were doing (and on what, @p what may
 * be NULL) and the system's reason (@p err is the errno), with a hint
 * where the reason alone is cryptic.
 */
static tv_status io_fail(tv_ctx *ctx, int err, const char *path, const char *doing,
                         const char *what)
{
	char reason[128];
	const char *hint = "";

	if (strerror_r(err, reason, sizeof(reason)) != 0)
		snprintf(reason, sizeof(reason), "error %d", err);
	if (err == ENOSPC || err == EDQUOT)
		snprintf(reason, sizeof(reason), "the disk is full; nothing was stored");
	else if (err == ENOENT && what != NULL)
		hint = " (does the folder exist?)";
	return tv__fail(ctx, TV_ERR_IO, "%s: %s%s%s: %s%s", path, doing,
	                what != NULL ? " " : "", what != NULL ? what : "", reason, hint);
}

/* write all @p len bytes, retrying after signals and short writes */
static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Sync the folder that holds a new name, so the rename survives a crash.
 * File systems that cannot sync a folder say EINVAL (or ENOTSUP): there is
 * nothing more to do on those.
 */
static tv_status sync_folder(tv_ctx *ctx, const char *path, const char *folder)
{
	int fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return io_fail(ctx, errno, path, "cannot open its folder", folder);
	if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP) {
		int err = errno;

		close(fd);
		return io_fail(ctx, err, path, "cannot sync its folder", folder);
	}
	close(fd);
	return TV_OK;
}

tv_status tv_secretfile_write(tv_ctx *ctx, const char *path, const uint8_t *plaintext,
                              size_t len, const char *passphrase, size_t passphrase_len,
                              const tv_secretfile_options *opts)
{
	static const char fn[] = "tv_secretfile_write";
	static const char suffix[] = ".XXXXXX";
	uint8_t *sealed = NULL;
	size_t sealed_len = 0, path_len, dir_len;
	char *folder = NULL, *tmp = NULL;
	const char *base;
	struct stat st;
	unsigned int log2_n;
	int fd = -1, overwrite, tmp_exists = 0;
	tv_status status;

	if (ctx == NULL || path == NULL || (plaintext == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "%s: NULL argument", fn);
	path_len = strlen(path);
	if (path_len == 0 || path[path_len - 1] == '/')
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT,
		                "%s: \"%s\" does not name a file", fn, path);
	if ((status = check_passphrase(ctx, passphrase, passphrase_len, fn)) != TV_OK ||
	    (status = check_options(ctx, opts, &log2_n, fn)) != TV_OK)
		return status;
	overwrite = opts != NULL && opts->overwrite;

	/* refuse early, before seconds of scrypt; checked again atomically below */
	if (!overwrite && lstat(path, &st) == 0)
		return tv__fail(ctx, TV_ERR_EXISTS,
		                "%s: already exists; not replacing a secret file", path);

	/* the folder, and a temporary name in it: rename is atomic only within one */
	base = strrchr(path, '/');
	base = base == NULL ? path : base + 1;
	dir_len = (size_t)(base - path);
	folder = tv__alloc(ctx, dir_len + 2);
	tmp = tv__alloc(ctx, path_len + 1 + sizeof(suffix));
	if (folder == NULL || tmp == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "%s: cannot allocate", fn);
		goto out;
	}
	if (dir_len == 0)
		strcpy(folder, ".");
	else if (dir_len == 1)
		strcpy(folder, "/");
	else {
		memcpy(folder, path, dir_len - 1);
		folder[dir_len - 1] = '\0';
	}
	memcpy(tmp, path, dir_len);
	tmp[dir_len] = '.';
	memcpy(tmp + dir_len + 1, base, path_len - dir_len);
	memcpy(tmp + path_len + 1, suffix, sizeof(suffix));

	status = tv_secretfile_seal(ctx, &sealed, &sealed_len, plaintext, len, passphrase,
	                            passphrase_len, opts);
	if (status != TV_OK)
		goto out;

	/* mkstemp: O_CREAT | O_EXCL, mode 0600 */
	fd = mkstemp(tmp);
	if (fd < 0) {
		status = io_fail(ctx, errno, path, "cannot create a temporary file in", folder);
		goto out;
	}
	tmp_exists = 1;
	/* exactly 0600 whatever the umask (a umask of 0277 would leave 0400) */
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
		status = io_fail(ctx, errno, path, "cannot set mode 0600 on", tmp);
		goto out;
	}
	if (write_all(fd, sealed, sealed_len) != 0) {
		status = io_fail(ctx, errno, path, "cannot write the temporary file", tmp);
		goto out;
	}
	if (fsync(fd) != 0) {
		status = io_fail(ctx, errno, path, "cannot sync the temporary file", tmp);
		goto out;
	}
	/* close reports deferred write errors on network file systems */
	if (close(fd) != 0) {
		fd = -1;
		status = io_fail(ctx, errno, path, "cannot close the temporary file", tmp);
		goto out;
	}
	fd = -1;

	if (overwrite) {
		if (rename(tmp, path) != 0) {
			status = io_fail(ctx, errno, path, "cannot rename the temporary file", tmp);
			goto out;
		}
		tmp_exists = 0;
	} else if (link(tmp, path) == 0) {
		/* link never replaces: a file that appeared meanwhile stays */
		(void)unlink(tmp);
		tmp_exists = 0;
	} else if (errno == EEXIST) {
		status = tv__fail(ctx, TV_ERR_EXISTS,
		                  "%s: already exists; not replacing a secret file", path);
		goto out;
	} else if (errno == EPERM || errno == ENOTSUP || errno == EMLINK ||
	           errno == ENOSYS) {
		/* no hard links here (FAT, some shares): check, then rename */
		if (lstat(path, &st) == 0) {
			status = tv__fail(ctx, TV_ERR_EXISTS,
			                  "%s: already exists; not replacing a secret file", path);
			goto out;
		}
		if (rename(tmp, path) != 0) {
			status = io_fail(ctx, errno, path, "cannot rename the temporary file", tmp);
			goto out;
		}
		tmp_exists = 0;
	} else {
		status = io_fail(ctx, errno, path, "cannot link the temporary file", tmp);
		goto out;
	}
	status = sync_folder(ctx, path, folder);
out:
	if (fd >= 0)
		close(fd);
	/* never leave a partial or orphaned file behind */
	if (tmp_exists)
		(void)unlink(tmp);
	tv_free(ctx, sealed);
	tv__free(ctx, folder);
	tv__free(ctx, tmp);
	return status;
}

tv_status tv_secretfile_read(tv_ctx *ctx, uint8_t **plaintext, size_t *len,
                             const char *path, const char *passphrase,
                             size_t passphrase_len)
{
	static const char fn[] = "tv_secretfile_read";
	uint8_t *sealed = NULL;
	size_t size = 0, got = 0;
	struct stat st;
	int fd = -1;
	tv_status status;

	if (plaintext != NULL)
		*plaintext = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL || plaintext == NULL || len == NULL || path == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "%s: NULL argument", fn);
	if ((status = check_passphrase(ctx, passphrase, passphrase_len, fn)) != TV_OK)
		return status;

	/* O_NONBLOCK: opening a FIFO must not hang; it is refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return io_fail(ctx, errno, path, "cannot open", NULL);
	if (fstat(fd, &st) != 0) {
		status = io_fail(ctx, errno, path, "cannot stat", NULL);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		status = tv__fail(ctx, TV_ERR_IO, "%s: not a regular file", path);
		goto out;
	}
	/* like ssh with private keys: a share others could read may be copied */
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		status = tv__fail(ctx, TV_ERR_IO,
		                  "%s: the secret file may be read or changed by others "
		                  "(mode %04o); only its owner may have access: run chmod 600 %s",
		                  path, (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > TV_SECRETFILE_MAX_SEALED) {
		status = tv__fail(ctx, TV_ERR_ENCODING,
		                  "%s: %lld bytes, too large for a secret file (at most %zu)",
		                  path, (long long)st.st_size, TV_SECRETFILE_MAX_SEALED);
		goto out;
	}
	size = (size_t)st.st_size;
	sealed = tv__alloc(ctx, size);
	if (sealed == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "%s: cannot allocate %zu bytes", path, size);
		goto out;
	}
	while (got < size) {
		ssize_t n = read(fd, sealed + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			status = io_fail(ctx, errno, path, "cannot read", NULL);
			goto out;
		}
		if (n == 0) {
			status = tv__fail(ctx, TV_ERR_IO,
			                  "%s: the file shrank while being read", path);
			goto out;
		}
		got += (size_t)n;
	}
	status = open_sealed(ctx, plaintext, len, sealed, size, passphrase, passphrase_len,
	                     path);
out:
	if (fd >= 0)
		close(fd);
	tv__free(ctx, sealed);
	return status;
}
