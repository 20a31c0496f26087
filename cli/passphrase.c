/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Trustees' passphrases: from --passphrase-file, else the
 * TENANTVOTE_PASSPHRASE environment variable, else a prompt on the
 * terminal with echo off. Never from the command line, where other users
 * of the machine could read it in the process list.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"

#define PASSPHRASE_MAX 1024

static int read_line(FILE *f, char *buf, size_t size)
{
	size_t len;

	if (fgets(buf, (int)size, f) == NULL)
		return -1;
	len = strlen(buf);
	if (len == size - 1 && buf[len - 1] != '\n')
		return -2; /* too long */
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

char *cli_passphrase(const char *file, const char *who, bool confirm)
{
	return cli_passphrase_from(file, "TENANTVOTE_PASSPHRASE", who, confirm);
}

char *cli_passphrase_from(const char *file, const char *env_name, const char *who, bool confirm)
{
	char *buf = malloc(PASSPHRASE_MAX), *again = NULL;
	const char *env = getenv(env_name);
	int rc;

	if (buf == NULL) {
		cli_error("out of memory");
		return NULL;
	}
	if (file != NULL) {
		FILE *f = fopen(file, "r");

		if (f == NULL) {
			cli_error("cannot read the passphrase file %s: %s", file, strerror(errno));
			goto fail;
		}
		rc = read_line(f, buf, PASSPHRASE_MAX);
		fclose(f);
		if (rc != 0) {
			cli_error("passphrase file %s: %s", file,
			          rc == -2 ? "the passphrase is longer than 1023 bytes" : "it is empty");
			goto fail;
		}
	} else if (env != NULL) {
		if (strlen(env) >= PASSPHRASE_MAX) {
			cli_error("%s is longer than 1023 bytes", env_name);
			goto fail;
		}
		strcpy(buf, env);
	} else {
		struct termios old, quiet;

		if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) != 0) {
			cli_error("%s needs a passphrase: give --passphrase-file FILE or set "
			          "%s (there is no terminal to ask on)", who, env_name);
			goto fail;
		}
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fprintf(stderr, "Passphrase for %s: ", who);
		fflush(stderr);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		rc = read_line(stdin, buf, PASSPHRASE_MAX);
		fputc('\n', stderr);
		if (rc == 0 && confirm) {
			again = malloc(PASSPHRASE_MAX);
			fprintf(stderr, "Again, to confirm: ");
			fflush(stderr);
			rc = again == NULL ? -1 : read_line(stdin, again, PASSPHRASE_MAX);
			fputc('\n', stderr);
			if (rc == 0 && strcmp(buf, again) != 0)
				rc = -3;
		}
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		if (rc != 0) {
			cli_error("%s", rc == -3 ? "the two passphrases differ" : "no passphrase read");
			goto fail;
		}
	}
	if (buf[0] == '\0') {
		cli_error("the passphrase for %s is empty", who);
		goto fail;
	}
	if (again != NULL) {
		OPENSSL_cleanse(again, PASSPHRASE_MAX);
		free(again);
	}
	return buf;
fail:
	OPENSSL_cleanse(buf, PASSPHRASE_MAX);
	free(buf);
	if (again != NULL) {
		OPENSSL_cleanse(again, PASSPHRASE_MAX);
		free(again);
	}
	return NULL;
}

void cli_passphrase_free(char *passphrase)
{
	if (passphrase != NULL) {
		OPENSSL_cleanse(passphrase, PASSPHRASE_MAX);
		free(passphrase);
	}
}

void cli_passphrase_free_plain(char *passphrase)
{
	if (passphrase != NULL) {
		OPENSSL_cleanse(passphrase, strlen(passphrase));
		free(passphrase);
	}
}
