/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ballot-pack letters as one PDF for the mailing house (SPEC §11.9):
 * one letter per tenant, in the language the manifest and the register
 * say, written page by page as the credentials are made, so memory stays
 * flat however many tenants there are.
 */
#ifndef TV_CLI_LETTERS_H
#define TV_CLI_LETTERS_H

#include <stdbool.h>

#include "tenantvote/tenantvote.h"

typedef struct cli_pdf_letters cli_pdf_letters;

/* make the new file @p path (0600, refused if it exists) for the letters of
 * election @p m; @p large: the large-print letters (body 16 pt). A CLI_*
 * code, the message printed. */
int cli_pdf_letters_open(cli_pdf_letters **out, const char *path, const tv_manifest *m,
                         bool large);
/* one tenant's letter; 0, or -1 (errno set) */
int cli_pdf_letters_add(cli_pdf_letters *p, const tv_tenant *t, const char *code,
                        const char *check_code);
/* finish the file and make it durable; a CLI_* code, the message printed.
 * @p p is freed. */
int cli_pdf_letters_close(cli_pdf_letters *p);
/* after a failure: the file removed, @p p freed; NULL accepted */
void cli_pdf_letters_abort(cli_pdf_letters *p);

#endif
