/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The tenantvote command: shared declarations of the verb files. */
#ifndef TV_CLI_H
#define TV_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include "tenantvote/tenantvote.h"

/* exit codes, stable for returning officers' scripts */
#define CLI_OK 0
#define CLI_FAILED 1   /* the work was done and something is wrong/rejected */
#define CLI_USAGE 2    /* the command line is wrong */
#define CLI_ERROR 3    /* could not do the work (files, memory, library) */

typedef struct cli_verb {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*help)(FILE *out);
} cli_verb;

/* cli/util.c */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* control characters in @p s (from a file) made harmless, in place */
void cli_safe_text(char *s);
/* report a library failure: what we were doing, the status and detail */
int cli_lib_error(tv_ctx *ctx, const char *doing, tv_status status);
bool cli_is_help(const char *arg);
/* strerror(), but ENOSPC and EDQUOT say "the disk is full" and what to do */
const char *cli_strerror(int err);
/* print and free a JSON value (stdout) */
void cli_print_json(json_t *value);
/* lowercase hex of @p len bytes into @p out (2 * len + 1 bytes) */
void cli_hex(char *out, const uint8_t *in, size_t len);
/* the 32 symbols of a voting code and a check code, SPEC §11.1's */
extern const char cli_code_alphabet[33];
/* --threads N: 1 to 32, else a message and -1 */
int cli_parse_threads(unsigned *out, const char *arg);
/* progress on stderr: a line on a terminal (count, total, rate, time
 * left), or with cli_progress_json one JSON object a line anywhere;
 * @p total 0 when not known */
extern int cli_progress_json;
void cli_progress(const char *what, unsigned long done, unsigned long total);
void cli_progress_end(void);
/* make a private temporary folder; returns a malloc'd path or NULL */
char *cli_make_temp_dir(void);
/* a whole file of at most @p max bytes, NUL-terminated (malloc'd), or NULL;
 * no copy of its bytes is left behind (it may hold codes) */
char *cli_read_file(const char *path, size_t *len, size_t max);
/* wipe @p len bytes of @p buf, then free it; NULL accepted */
void cli_free_wiped(char *buf, size_t len);
/* a stdio stream for a file of secrets (letters, passphrases) whose
 * buffer is wiped when it is closed */
typedef struct cli_secret_file {
	FILE *f;
	char buf[8192];
} cli_secret_file;
int cli_secret_fdopen(cli_secret_file *s, int fd);
int cli_secret_fclose(cli_secret_file *s);
/* SPEC §15.1.2: a ballot's check address, board_url "check.html#" its short
 * tracking code, into @p out; "" when the manifest names no board */
void cli_check_address(char *out, size_t size, const tv_manifest *m, const char *tracking_text);
/* the manifest file @p path (JSON, SPEC §9.4) into *@p out; a CLI_* code,
 * the message (naming the file and the field) printed */
int cli_load_manifest(tv_ctx *ctx, tv_manifest **out, const char *path);
/*
 * SHA-256 of the file @p path, byte for byte, to @p out (the offer document
 * of SPEC §9.2.2); an empty file is refused, naming @p flag. CLI_OK, or
 * CLI_FAILED (missing or empty) / CLI_ERROR (unreadable) with a message.
 */
int cli_hash_file(uint8_t out[32], const char *path, const char *flag);
/* fsync the folder holding @p path, so a rename or link in it is durable;
 * 0, or -1 with errno */
int cli_sync_parent(const char *path);
/* A file written whole or not at all: cli_new_temp() makes the new file
 * @p path ".tmp-XXXXXX" beside @p path (its name in @p tmp) with @p mode,
 * and gives its descriptor, or -1 (said); once it is written and synced,
 * cli_link_new() gives it the name @p path, never replacing a file there
 * (CLI_FAILED, said), syncs the folder and removes the temporary name
 * whatever happened. A CLI_* code. */
int cli_new_temp(char *tmp, size_t size, const char *path, mode_t mode);
int cli_link_new(const char *tmp, const char *path);
/* @p text to the new file @p path (refused if it exists), synced */
int cli_write_new(const char *path, const char *text, mode_t mode);
/* a context and the ballot box of the election folder @p dir */
int cli_open_box(tv_ctx **ctx, tv_box **box, const char *dir);
/* DIR/tally.json, as `tenantvote tally` wrote it */
int cli_load_tally(tv_ctx *ctx, tv_tally **t, const char *dir);

/* cli/passphrase.c: file, else $TENANTVOTE_PASSPHRASE, else a prompt;
 * @p who names whose passphrase it is; free with cli_passphrase_free */
char *cli_passphrase(const char *file, const char *who, bool confirm);
/* the same, with another environment variable */
char *cli_passphrase_from(const char *file, const char *env_name, const char *who, bool confirm);
/* a new passphrase (one that a secret file will be encrypted under), from
 * @p file, else @p env_name, else asked twice; refused with a message that
 * states the rule when it is weak (cli_passphrase_weakness) */
char *cli_passphrase_new(const char *file, const char *env_name, const char *who);
/* set when cli_passphrase_new refused a weak passphrase (exit CLI_FAILED) */
extern bool cli_passphrase_refused;
/* NULL when @p passphrase meets the strength rule of tenantvote(1), else
 * what it lacks */
const char *cli_passphrase_weakness(const char *passphrase);
void cli_passphrase_free(char *passphrase);
/* wipe and free a passphrase that did not come from cli_passphrase */
void cli_passphrase_free_plain(char *passphrase);
/* a tenant's code and choice, one per line, from @p file ("-" or NULL:
 * standard input), or prompted for without echo when NULL and standard
 * input is a terminal; the caller wipes both buffers */
int cli_vote_input(const char *file, char *code, size_t code_size, char *choice,
                   size_t choice_size);

/* cli/setup.c */
/* problems of a CSV file, printed as "FILE line N: ..." (tv_register_problem_fn) */
typedef struct cli_problem_report {
	const char *file;
	unsigned long count;
} cli_problem_report;
void cli_print_problem(uint32_t line, const char *message, void *payload);
int cli_init(int argc, char **argv);
void cli_init_help(FILE *out);
int cli_register(int argc, char **argv);
void cli_register_help(FILE *out);
int cli_credentials(int argc, char **argv);
/* the credential authority's own machine, and the box's import (authority.c) */
int cli_credentials_make(int argc, char **argv);
int cli_credentials_import(int argc, char **argv);
int cli_credentials_codes(int argc, char **argv);
int cli_credentials_change(int argc, char **argv, bool late);
int cli_credentials_apply(int argc, char **argv);
void cli_credentials_replace_help(FILE *out);
void cli_credentials_apply_help(FILE *out);
void cli_credentials_codes_help(FILE *out);
/* the check codes (SPEC §11.8) of every credential on the list of the
 * record @p record, sorted, into *@p out (free()) */
int cli_record_check_codes(tv_ctx *ctx, char (**out)[TV_CHECK_CODE_LEN + 1], size_t *count,
                           const char *record);
/* a letter's check code for @p code (SPEC §11.8), or -1 */
int cli_check_code(tv_ctx *ctx, char out[TV_CHECK_CODE_LEN + 1], const char *code,
                   const uint8_t fingerprint[32]);
void cli_credentials_help(FILE *out);
void cli_credentials_make_help(FILE *out);
void cli_credentials_import_help(FILE *out);
int cli_status(int argc, char **argv);
void cli_status_help(FILE *out);
/* cli/show.c */
int cli_show(int argc, char **argv);
void cli_show_help(FILE *out);
/* every setting of @p m, in English and Welsh, on stdout */
void cli_show_manifest(tv_ctx *ctx, const tv_manifest *m);

/* cli/trustee.c */
int cli_trustee(int argc, char **argv);
void cli_trustee_help(FILE *out);
int cli_ceremony(int argc, char **argv);
void cli_ceremony_help(FILE *out);
/* every trustee's three steps, passphrases[i] for trustee i + 1 */
int cli_ceremony_run(tv_ctx *ctx, tv_box *box, const char *dir,
                     const char *const *passphrases, bool *key_ready);
/* a trustee's secret state from its encrypted file */
int cli_trustee_load(tv_ctx *ctx, tv_trustee **t, const char *dir, uint32_t index,
                     const char *passphrase);
/* trustee @p index's partial decryption of the sums of @p record, which
 * it checks and adds up itself, into DIR/decryptions/trustee-I.json */
int cli_trustee_decrypt(tv_ctx *ctx, const char *record, const char *dir, uint32_t index,
                        const char *passphrase, bool json);

/* cli/voting.c */
/* CLI_OK when @p now is inside the election's voting window; else says,
 * in words, when it opens or when it closed, and gives CLI_FAILED */
int cli_window_check(tv_ctx *ctx, tv_box *box, int64_t now);
/* the ballot box's signing key from DIR/box-key.secret */
int cli_load_box_key(tv_ctx *ctx, tv_ed25519_secret_key *key, const char *dir,
                     const char *pass_file);
/* cli/count.c */
int cli_tally(int argc, char **argv);
void cli_tally_help(FILE *out);
int cli_declare(int argc, char **argv);
void cli_declare_help(FILE *out);
int cli_export(int argc, char **argv);
void cli_export_help(FILE *out);
int cli_verify(int argc, char **argv);
void cli_verify_help(FILE *out);
/* cli/intake.c */
int cli_intake(int argc, char **argv);
int cli_papers(int argc, char **argv);
void cli_papers_help(FILE *out);
void cli_intake_help(FILE *out);
int cli_open(int argc, char **argv);
void cli_open_help(FILE *out);
int cli_vote(int argc, char **argv);
void cli_vote_help(FILE *out);
int cli_close(int argc, char **argv);
void cli_close_help(FILE *out);
int cli_receipt(int argc, char **argv);
void cli_receipt_help(FILE *out);
int cli_marked(int argc, char **argv);
void cli_marked_help(FILE *out);

/* cli/upkeep.c */
int cli_log(int argc, char **argv);
void cli_log_help(FILE *out);
int cli_backup(int argc, char **argv);
void cli_backup_help(FILE *out);

/* cli/site.c */
int cli_publish(int argc, char **argv);
void cli_publish_help(FILE *out);
/* the bulletin board of the verified record @p record into the new folder
 * @p out; @p quiet: nothing on standard output */
int cli_publish_site(const char *out, const char *record, unsigned threads, bool force,
                     bool quiet);

/* cli/demo.c */
int cli_demo(int argc, char **argv);
void cli_demo_help(FILE *out);

#endif
