/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pre-encrypted ballot papers as one PDF for the mailing house (SPEC
 * §15.8): one paper per credential, in the order the papers are made,
 * each with its identifier (and its QR code), a short code beside every
 * answer and a stub the tenant keeps; written page by page as the papers
 * are made, so memory stays flat however many there are. A paper names no
 * tenant: nothing on it but its identifier tells one paper from another.
 */
#ifndef TV_CLI_PAPERS_PDF_H
#define TV_CLI_PAPERS_PDF_H

#include <stdbool.h>

#include "tenantvote/paper.h"
#include "tenantvote/tenantvote.h"

typedef struct cli_pdf_papers cli_pdf_papers;

/* make the new file @p path (0600, refused if it exists) for the papers of
 * election @p m (borrowed until close or abort); @p large: large print
 * (body 16 pt, a paper may take two pages; every paper takes as many pages
 * as every other). A CLI_* code, the message printed. */
int cli_pdf_papers_open(cli_pdf_papers **out, const char *path, const tv_manifest *m,
                        bool large);
/* one paper, its answers those of the manifest (1..m, and 0 when blank is
 * allowed, each once, in any order: rows in that order); 0, or -1 with
 * errno (EINVAL: a paper not of this election's form; ENOMEM; a write's) */
int cli_pdf_papers_add(cli_pdf_papers *p, const tv_paper_print *paper);
/* finish the file and make it durable; a CLI_* code, the message printed.
 * @p p is freed. */
int cli_pdf_papers_close(cli_pdf_papers *p);
/* after a failure: the file removed, @p p freed; NULL accepted */
void cli_pdf_papers_abort(cli_pdf_papers *p);

#endif
