/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * @file secretfile.h
 * @brief Secrets encrypted at rest under a passphrase: the trustees' key
 *        shares (SPEC "Secret files").
 *
 * A trustee's share of the election key must survive on a laptop or a USB
 * stick between the key ceremony and the count, without anyone who copies
 * the file learning it. A sealed secret is a self-describing byte string:
 *
 *     "TVSECRET" | version 1 | KDF 1 (scrypt) | log2 N | r = 8 | p = 1
 *     | salt (16) | nonce (12) | AES-256-GCM ciphertext | tag (16)
 *
 * The key is scrypt(passphrase, salt, N, r, p) and the whole 41-byte header
 * is authenticated with the ciphertext, so neither the cost parameters nor
 * any other byte can be changed without the tag failing. A wrong passphrase
 * and an altered file are told apart from a malformed one
 * (TV_ERR_PASSPHRASE against TV_ERR_ENCODING) but not from each other: the
 * tag cannot say which.
 *
 * Files are written atomically with mode 0600 and refused on reading when
 * anyone but the owner may read or write them.
 *
 * Passphrases are bytes (@p passphrase_len of them; NUL bytes are allowed
 * and nothing is normalised): pass exactly the bytes the trustee typed,
 * without a trailing newline.
 *
 * Cost: the KDF needs 2^(log2 N + 10) bytes of memory, and time in
 * proportion: 32 MiB and about 0.4 s at the default log2 N = 15 on a small
 * 2-core machine; each step up doubles both. That is the point: every guess
 * at a passphrase costs an attacker as much. Nothing here is constant time
 * in the passphrase beyond what scrypt gives; the tag comparison is
 * OpenSSL's (constant time).
 */
#ifndef TENANTVOTE_SECRETFILE_H
#define TENANTVOTE_SECRETFILE_H

#include "common.h"
#include "context.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of the header (magic to nonce), all of it authenticated. */
#define TV_SECRETFILE_HEADER_BYTES 41
/** Bytes of the AES-GCM authentication tag at the end. */
#define TV_SECRETFILE_TAG_BYTES 16
/** A sealed secret is exactly this many bytes longer than the plaintext. */
#define TV_SECRETFILE_OVERHEAD (TV_SECRETFILE_HEADER_BYTES + TV_SECRETFILE_TAG_BYTES)
/** The largest plaintext that can be sealed (1 MiB). */
#define TV_SECRETFILE_MAX_PLAINTEXT ((size_t)1 << 20)
/** The largest sealed secret, and so the largest secret file, accepted. */
#define TV_SECRETFILE_MAX_SEALED (TV_SECRETFILE_MAX_PLAINTEXT + TV_SECRETFILE_OVERHEAD)
/** The longest passphrase accepted, in bytes. */
#define TV_SECRETFILE_MAX_PASSPHRASE 1024
/** scrypt cost: N = 2^log2_n; the default and the range accepted. */
#define TV_SECRETFILE_KDF_LOG2_N_DEFAULT 15
#define TV_SECRETFILE_KDF_LOG2_N_MIN 10 /**< the least accepted */
#define TV_SECRETFILE_KDF_LOG2_N_MAX 20 /**< the most accepted */

/** The version of ::tv_secretfile_options this header describes. */
#define TV_SECRETFILE_OPTIONS_VERSION 1

/**
 * Options for sealing and writing. Initialise with
 * TV_SECRETFILE_OPTIONS_INIT, then set the fields you need. A NULL options
 * pointer means the defaults.
 */
typedef struct tv_secretfile_options {
	unsigned int version; /**< TV_SECRETFILE_OPTIONS_VERSION */
	/**
	 * scrypt cost N = 2^kdf_log2_n, from TV_SECRETFILE_KDF_LOG2_N_MIN (10)
	 * to TV_SECRETFILE_KDF_LOG2_N_MAX (20); 0 means the default (15).
	 * Memory needed: 2^(kdf_log2_n + 10) bytes, to seal and to open. Values
	 * below the default are for tests.
	 */
	unsigned int kdf_log2_n;
	/** tv_secretfile_write(): non-zero to replace an existing file. */
	int overwrite;
} tv_secretfile_options;

/** The default options. */
#define TV_SECRETFILE_OPTIONS_INIT { TV_SECRETFILE_OPTIONS_VERSION, 0, 0 }

/**
 * Seal @p plaintext under @p passphrase: draw a fresh salt and nonce,
 * derive the key with scrypt, encrypt with AES-256-GCM.
 *
 * @param      ctx            the context
 * @param[out] out            the sealed bytes, allocated by the library;
 *                            free with tv_free(). NULL on failure
 * @param[out] out_len        their length: @p len + TV_SECRETFILE_OVERHEAD;
 *                            0 on failure
 * @param      plaintext      the secret (may be NULL when @p len is 0)
 * @param      len            at most TV_SECRETFILE_MAX_PLAINTEXT
 * @param      passphrase     1 to TV_SECRETFILE_MAX_PASSPHRASE bytes
 * @param      passphrase_len its length in bytes
 * @param      opts           NULL for the defaults
 * @return TV_OK; TV_ERR_INVALID_ARGUMENT (NULL argument, empty or too long
 *         passphrase, plaintext too long, unknown options version,
 *         kdf_log2_n out of range); TV_ERR_RANDOM; TV_ERR_NOMEM (also when
 *         scrypt cannot have its memory); TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_secretfile_seal(
	tv_ctx *ctx, uint8_t **out, size_t *out_len, const uint8_t *plaintext,
	size_t len, const char *passphrase, size_t passphrase_len,
	const tv_secretfile_options *opts);

/**
 * Open a sealed secret. The header is checked field by field before any
 * key is derived, so a malformed input costs no scrypt work; a header that
 * asks for more than 2^22 scrypt iterations is refused.
 *
 * @param      ctx            the context
 * @param[out] plaintext      the secret, allocated by the library; free it
 *                            with tv_secret_free() (which wipes it). Never
 *                            NULL on success, even for an empty secret;
 *                            NULL on failure
 * @param[out] len            its length; 0 on failure
 * @param      sealed         what tv_secretfile_seal() made
 * @param      sealed_len     its length
 * @param      passphrase     1 to TV_SECRETFILE_MAX_PASSPHRASE bytes
 * @param      passphrase_len its length in bytes
 * @return TV_OK;
 *         TV_ERR_ENCODING (not a secret file, truncated, too long, an
 *         unknown version or KDF, a cost parameter out of range; the
 *         message names the field);
 *         TV_ERR_PASSPHRASE (wrong passphrase, or the bytes were altered);
 *         TV_ERR_INVALID_ARGUMENT (NULL argument, empty or too long
 *         passphrase); TV_ERR_NOMEM; TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_secretfile_open(
	tv_ctx *ctx, uint8_t **plaintext, size_t *len, const uint8_t *sealed,
	size_t sealed_len, const char *passphrase, size_t passphrase_len);

/**
 * Seal @p plaintext and write it to @p path atomically: a temporary file
 * in the same folder (created exclusively, mode 0600) is written, synced,
 * then moved into place and the folder synced. On failure nothing is left
 * behind and an existing file at @p path is untouched; the one exception
 * is a failure of the final folder sync, when the new file is in place but
 * might not survive a crash.
 *
 * Without @p opts->overwrite an existing @p path is refused, before any
 * key is derived and again atomically at the end (a hard link, so a file
 * that appears meanwhile is not replaced; on file systems without hard
 * links, such as FAT, the check is made just before the move).
 *
 * The file gets mode 0600 whatever the umask. On file systems without Unix
 * permissions (FAT, some network shares) the mode cannot be kept and
 * tv_secretfile_read() may then refuse the file: mount those with
 * umask=077.
 *
 * @param ctx            the context
 * @param path           where to write; its folder must exist
 * @param plaintext      the secret (may be NULL when @p len is 0)
 * @param len            at most TV_SECRETFILE_MAX_PLAINTEXT
 * @param passphrase     1 to TV_SECRETFILE_MAX_PASSPHRASE bytes
 * @param passphrase_len its length in bytes
 * @param opts           NULL for the defaults (no overwrite)
 * @return TV_OK; TV_ERR_EXISTS (@p path exists and overwrite is off);
 *         TV_ERR_IO (the message gives the path, the step and the
 *         system's reason, e.g. a missing folder or a full disk);
 *         TV_ERR_INVALID_ARGUMENT (as tv_secretfile_seal(), and an empty
 *         path or one ending in '/'); TV_ERR_RANDOM; TV_ERR_NOMEM;
 *         TV_ERR_INTERNAL.
 */
TV_API TV_WARN_UNUSED tv_status tv_secretfile_write(
	tv_ctx *ctx, const char *path, const uint8_t *plaintext, size_t len,
	const char *passphrase, size_t passphrase_len,
	const tv_secretfile_options *opts);

/**
 * Read the secret file at @p path and open it. Symbolic links are
 * followed; the file itself must be a regular file that neither its group
 * nor others may read, write or execute (mode 0600 or 0400), else it is
 * refused unread: a share that others could read may already be copied,
 * and the message says to run chmod 600.
 *
 * @param      ctx            the context
 * @param[out] plaintext      as tv_secretfile_open(): free with
 *                            tv_secret_free()
 * @param[out] len            its length
 * @param      path           the file
 * @param      passphrase     1 to TV_SECRETFILE_MAX_PASSPHRASE bytes
 * @param      passphrase_len its length in bytes
 * @return TV_OK; TV_ERR_IO (cannot open or read the file, not a regular
 *         file, group or others have access; the message names the path);
 *         TV_ERR_ENCODING (as tv_secretfile_open(), and a file larger than
 *         TV_SECRETFILE_MAX_SEALED); TV_ERR_PASSPHRASE;
 *         TV_ERR_INVALID_ARGUMENT; TV_ERR_NOMEM; TV_ERR_INTERNAL. Every
 *         message starts with the path.
 */
TV_API TV_WARN_UNUSED tv_status tv_secretfile_read(
	tv_ctx *ctx, uint8_t **plaintext, size_t *len, const char *path,
	const char *passphrase, size_t passphrase_len);

/**
 * Wipe @p len bytes at @p ptr and free it: for the plaintext that
 * tv_secretfile_open() and tv_secretfile_read() hand out. A NULL @p ptr is
 * accepted and does nothing; with a NULL @p ctx the bytes are wiped but
 * cannot be freed.
 */
TV_API void tv_secret_free(tv_ctx *ctx, void *ptr, size_t len);

#ifdef __cplusplus
}
#endif

#endif
