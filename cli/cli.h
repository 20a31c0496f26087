/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The tenantvote command: shared declarations of the verb files. */
#ifndef TV_CLI_H
#define TV_CLI_H

#include <stdbool.h>
#include <stdio.h>

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
/* report a library failure: what we were doing, the status and detail */
int cli_lib_error(tv_ctx *ctx, const char *doing, tv_status status);
bool cli_is_help(const char *arg);
void cli_progress(const char *what, unsigned long done, unsigned long total);
void cli_progress_end(void);
/* make a private temporary folder; returns a malloc'd path or NULL */
char *cli_make_temp_dir(void);

/* cli/demo.c */
int cli_demo(int argc, char **argv);
void cli_demo_help(FILE *out);

#endif
