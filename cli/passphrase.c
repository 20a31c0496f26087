/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Secrets the tool is given: trustees' and the box's passphrases (from
 * --passphrase-file, else an environment variable, else a prompt on the
 * terminal with echo off), and a tenant's credential code and choice (from
 * a file, standard input or such a prompt). Never from the command line,
 * where every user of the machine could read them in the process list.
 * They are read with read(2) into buffers that are wiped, never through a
 * stdio buffer that would be freed with a copy in it.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"

#define PASSPHRASE_MAX 1024

/*
 * One line from @p fd into @p buf (NUL-terminated, without its line end),
 * a byte at a time so nothing after the line is consumed: 0, or -1 at the
 * end with nothing read, or -2 if the line does not fit.
 */
static int read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;
	int too_long = 0;

	for (;;) {
		char c;
		ssize_t got = read(fd, &c, 1);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (len == 0 && !too_long) {
				buf[0] = '\0';
				return -1;
			}
			break;
		}
		if (c == '\n')
			break;
		if (len + 1 < size)
			buf[len++] = c;
		else
			too_long = 1;
	}
	while (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return too_long ? -2 : 0;
}

/* echo off on the terminal at @p fd, or -1 if it is not one */
static int echo_off(int fd, struct termios *old)
{
	struct termios quiet;

	if (!isatty(fd) || tcgetattr(fd, old) != 0)
		return -1;
	quiet = *old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	return tcsetattr(fd, TCSAFLUSH, &quiet);
}

/* @p prompt on standard error, then a line of standard input without echo */
static int prompt_line(const char *prompt, char *buf, size_t size)
{
	struct termios old;
	int rc;

	if (echo_off(STDIN_FILENO, &old) != 0)
		return -3;
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	rc = read_line(STDIN_FILENO, buf, size);
	fputc('\n', stderr);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

/*
 * The strength rule for a new passphrase (tenantvote(1), PASSPHRASES): at
 * least 16 characters, or at least 12 with two of the four kinds
 * (lower-case letters, capitals, digits, anything else: spaces,
 * punctuation, letters beyond ASCII), and in every case at least 6
 * different characters. A character is a UTF-8 sequence, not a byte. At
 * the weakest (12 characters from 36 or more symbols) that is a crude
 * upper estimate of 62 bits; 4 random words (16 characters or more) from
 * a list of 2048 give 44 bits, which the key files' memory-hard KDF
 * (scrypt) makes slow to guess. NULL when @p p meets the rule, else what
 * it lacks.
 */
const char *cli_passphrase_weakness(const char *p)
{
	uint32_t seen[256] = { 0 };
	size_t chars = 0, distinct = 0;
	int lower = 0, upper = 0, digit = 0, other = 0;

	for (const unsigned char *c = (const unsigned char *)p; *c != '\0'; c++) {
		if ((*c & 0xc0) == 0x80)
			continue; /* a continuation byte: the same character */
		chars++;
		if (seen[*c]++ == 0)
			distinct++;
		if (*c >= 'a' && *c <= 'z')
			lower = 1;
		else if (*c >= 'A' && *c <= 'Z')
			upper = 1;
		else if (*c >= '0' && *c <= '9')
			digit = 1;
		else
			other = 1;
	}
	if (chars < 12)
		return "it is shorter than 12 characters";
	if (chars < 16 && lower + upper + digit + other < 2)
		return "it is shorter than 16 characters and uses only one kind of character";
	if (distinct < 6)
		return "it uses fewer than 6 different characters";
	return NULL;
}

bool cli_passphrase_refused;

char *cli_passphrase_new(const char *file, const char *env_name, const char *who)
{
	char *p = cli_passphrase_from(file, env_name, who, true);
	const char *weak;

	if (p != NULL && (weak = cli_passphrase_weakness(p)) != NULL) {
		cli_error("the new passphrase for %s is too weak: %s. A passphrase needs at least 16 "
		          "characters, or at least 12 mixing two kinds (small letters, capitals, "
		          "digits, others such as spaces), and at least 6 different characters; "
		          "four or more random words make a good one", who, weak);
		cli_passphrase_free(p);
		cli_passphrase_refused = true;
		return NULL;
	}
	return p;
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
		int fd = open(file, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			cli_error("cannot read the passphrase file %s: %s", file, cli_strerror(errno));
			goto fail;
		}
		rc = read_line(fd, buf, PASSPHRASE_MAX);
		close(fd);
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
		char prompt[160];

		if (!isatty(STDIN_FILENO)) {
			cli_error("%s needs a passphrase: give --passphrase-file FILE or set "
			          "%s (there is no terminal to ask on)", who, env_name);
			goto fail;
		}
		snprintf(prompt, sizeof(prompt), "Passphrase for %s: ", who);
		rc = prompt_line(prompt, buf, PASSPHRASE_MAX);
		if (rc == 0 && confirm) {
			again = malloc(PASSPHRASE_MAX);
			rc = again == NULL ? -1 : prompt_line("Again, to confirm: ", again,
			                                      PASSPHRASE_MAX);
			if (rc == 0 && strcmp(buf, again) != 0)
				rc = -4;
		}
		if (rc != 0) {
			cli_error("%s", rc == -4 ? "the two passphrases differ"
			                : rc == -2 ? "the passphrase is longer than 1023 bytes"
			                           : "no passphrase read");
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

int cli_vote_input(const char *file, char *code, size_t code_size, char *choice,
                   size_t choice_size)
{
	int fd = STDIN_FILENO, rc;

	if (file == NULL && isatty(STDIN_FILENO)) {
		/* no echo: someone looking over the shoulder sees neither */
		if ((rc = prompt_line("Credential code (from the letter): ", code, code_size)) != 0 ||
		    (rc = prompt_line("Your choice (the option's number, or blank): ", choice,
		                      choice_size)) != 0) {
			cli_error("no %s read", code[0] == '\0' ? "credential code" : "choice");
			return CLI_USAGE;
		}
		return CLI_OK;
	}
	if (file != NULL && strcmp(file, "-") != 0 &&
	    (fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		cli_error("cannot read %s: %s", file, cli_strerror(errno));
		return CLI_ERROR;
	}
	rc = read_line(fd, code, code_size);
	if (rc == 0)
		rc = read_line(fd, choice, choice_size);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc != 0) {
		cli_error("%s: %s", file != NULL && strcmp(file, "-") != 0 ? file : "standard input",
		          rc == -2 ? "a line is too long (the code, then the choice, one per line)"
		                   : "give the credential code on the first line and the choice "
		                     "(an option number, or blank) on the second");
		return CLI_USAGE;
	}
	return CLI_OK;
}
