/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Status strings and the error detail kept on the context. */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "internal.h"

const char *tv_status_str(tv_status status)
{
	switch (status) {
	case TV_OK: return "success";
	case TV_ERR_INVALID_ARGUMENT: return "invalid argument";
	case TV_ERR_NOMEM: return "out of memory";
	case TV_ERR_INTERNAL: return "internal error";
	case TV_ERR_RANDOM: return "randomness source failed";
	case TV_ERR_IO: return "file error";
	case TV_ERR_DATABASE: return "ballot box database error";
	case TV_ERR_STATE: return "not allowed at this stage of the election";
	case TV_ERR_EXISTS: return "already exists";
	case TV_ERR_ENCODING: return "malformed encoding";
	case TV_ERR_POINT_INVALID: return "invalid curve point";
	case TV_ERR_SCALAR_RANGE: return "scalar out of range";
	case TV_ERR_PROOF_INVALID: return "proof does not verify";
	case TV_ERR_SIGNATURE_INVALID: return "signature does not verify";
	case TV_ERR_RANGE_INVALID: return "value outside the allowed range";
	case TV_ERR_MANIFEST_INVALID: return "invalid manifest";
	case TV_ERR_REGISTER_INVALID: return "invalid tenant register";
	case TV_ERR_CREDENTIAL_INVALID: return "invalid credential";
	case TV_ERR_PASSPHRASE: return "wrong passphrase or altered secret file";
	case TV_ERR_CEREMONY_INVALID: return "invalid key ceremony message";
	case TV_ERR_UTF8: return "invalid text encoding";
	case TV_ERR_WRONG_ELECTION: return "belongs to another election";
	case TV_ERR_REPLAY: return "ballot already on the board";
	case TV_ERR_ALREADY_VOTED: return "this credential has already voted";
	case TV_ERR_INTAKE_INVALID: return "invalid intake batch";
	}
	return "unknown status";
}

int tv_status_is_rejection(tv_status status)
{
	switch (status) {
	case TV_ERR_ENCODING:
	case TV_ERR_POINT_INVALID:
	case TV_ERR_SCALAR_RANGE:
	case TV_ERR_PROOF_INVALID:
	case TV_ERR_SIGNATURE_INVALID:
	case TV_ERR_RANGE_INVALID:
	case TV_ERR_MANIFEST_INVALID:
	case TV_ERR_REGISTER_INVALID:
	case TV_ERR_CREDENTIAL_INVALID:
	case TV_ERR_PASSPHRASE:
	case TV_ERR_CEREMONY_INVALID:
	case TV_ERR_UTF8:
	case TV_ERR_WRONG_ELECTION:
	case TV_ERR_REPLAY:
	case TV_ERR_ALREADY_VOTED:
	case TV_ERR_INTAKE_INVALID:
		return 1;
	default:
		return 0;
	}
}

const char *tv_version(void)
{
	return TV_VERSION_STRING;
}

tv_status tv__fail(tv_ctx *ctx, tv_status status, const char *fmt, ...)
{
	char message[TV_ERROR_MAX];
	va_list ap;
	size_t used;
	unsigned long code;
	const char *func = NULL, *data = NULL;
	int flags = 0;

	if (ctx == NULL) {
		ERR_clear_error();
		return status;
	}
	ctx->last_status = status;
	/* formatted apart first: a caller may pass the last message itself,
	 * to add to it (vsnprintf into its own argument is undefined) */
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	memcpy(ctx->last_error, message, sizeof(ctx->last_error));
	used = strlen(ctx->last_error);
	/* drain OpenSSL's queue; only an internal failure shows it */
	while ((code = ERR_get_error_all(NULL, NULL, &func, &data, &flags)) != 0) {
		char reason[256];

		if (status != TV_ERR_INTERNAL || used + 4 >= sizeof(ctx->last_error))
			continue;
		ERR_error_string_n(code, reason, sizeof(reason));
		snprintf(ctx->last_error + used, sizeof(ctx->last_error) - used,
		         " [OpenSSL: %s%s%s]", reason,
		         (flags & ERR_TXT_STRING) && data && *data ? ": " : "",
		         (flags & ERR_TXT_STRING) && data ? data : "");
		used = strlen(ctx->last_error);
	}
	return status;
}
