/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote papers: pre-encrypted ballot papers (SPEC §15.8).
 *
 *   papers make     on the credential authority's machine, once the
 *                   trustees have announced the election key: the papers
 *                   for the printer (CSV, PDF), the file for the box, the
 *                   sealed seed
 *   papers import   into the ballot box, before voting opens
 *   papers open     on the authority's machine, after close: the openings
 *                   of the papers not cast as ballots
 *   papers openings into the ballot box, before the record is exported
 *   papers find     a tenant's paper in a public record, by its identifier
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "papers_pdf.h"

void cli_papers_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote papers make --manifest M.json --authority DIR\n"
	        "                              --election-key K --out NEW [--papers-pdf FILE\n"
	        "                              [--large-print]] [--passphrase-file F] [--json]\n"
	        "       tenantvote papers import FILE [-d DIR] [--json]\n"
	        "       tenantvote papers open --manifest M.json --authority DIR --papers PDIR\n"
	        "                              --election-key K --record R --out FILE\n"
	        "                              [--passphrase-file F] [--json]\n"
	        "       tenantvote papers openings FILE [-d DIR] [--json]\n"
	        "       tenantvote papers find ID --record R [--json]\n"
	        "\n"
	        "Pre-encrypted ballot papers (SPEC 15.8), so that postal and phone voters\n"
	        "can check their vote and the ballot box never holds their credential\n"
	        "code. Each paper has an identifier and, beside each answer, a short code;\n"
	        "intake records the identifier and the code beside the mark (a CSV with\n"
	        "the header 'paper,code'), and the tenant finds that code on the bulletin\n"
	        "board.\n"
	        "\n"
	        "make (the credential authority, on its own machine, after the key\n"
	        "ceremony): makes one paper for each credential of DIR/credentials-issue.json,\n"
	        "encrypted under K, the election key the trustees announced. NEW gets\n"
	        "papers.csv (for the printer: each paper's identifier and codes; secret,\n"
	        "mode 0600), papers-box.jsonl (for the ballot box: the papers locked, and\n"
	        "the authority's signed list) and papers.secret (the seed that opens the\n"
	        "papers after close, sealed with the authority's passphrase). Destroy\n"
	        "papers.csv and the PDF once printed.\n"
	        "\n"
	        "import (the returning officer, before voting opens): the ballot box\n"
	        "takes papers-box.jsonl; all of it or nothing.\n"
	        "\n"
	        "open (the authority, after close): given R, a record of the closed board\n"
	        "('tenantvote export --record R --for-trustees'), writes FILE with the\n"
	        "openings of every paper not cast as a ballot, so that anyone can check\n"
	        "its codes were honest. Then destroy papers.secret.\n"
	        "\n"
	        "openings (the returning officer, after close, before exporting the\n"
	        "record for the trustees): the box takes FILE.\n"
	        "\n"
	        "find (anyone): what record R shows of paper ID: the code of the ballot\n"
	        "cast from it and whether it counts, its rejection, or, for a paper not\n"
	        "cast, each answer's code.\n"
	        "\n"
	        "  --passphrase-file F  the authority's passphrase (else TENANTVOTE_PASSPHRASE)\n"
	        "  -d, --dir DIR        the election folder (default .)\n"
	        "  --json               print the outcome as JSON\n"
	        "  -h, --help           this help\n");
}

/* ------------------------------------------------------------------ make */

typedef struct printer {
	cli_secret_file csv;
	int fd;
	FILE *box;
	cli_pdf_papers *pdf;
	const tv_manifest *m;
	size_t done, total;
	int failed;
} printer;

static int print_paper(const tv_paper_print *p, void *payload)
{
	printer *w = payload;

	if (fprintf(w->csv.f, "%zu,%s", p->number, p->id) < 0)
		return w->failed = -1;
	for (uint32_t i = 0; i < p->answers; i++)
		if (fprintf(w->csv.f, ",%s", p->code[i]) < 0)
			return w->failed = -1;
	if (fputc('\n', w->csv.f) == EOF)
		return w->failed = -1;
	if (w->pdf != NULL && cli_pdf_papers_add(w->pdf, p) != 0)
		return w->failed = -1;
	w->done++;
	cli_progress("making the papers", (unsigned long)w->done, (unsigned long)w->total);
	return 0;
}

static int box_line(const char *line, size_t len, void *payload)
{
	printer *w = payload;

	return fwrite(line, 1, len, w->box) == len ? 0 : -1;
}

/* the authority's key, its issue file and the announced election key */
static int authority_inputs(tv_ctx *ctx, const tv_manifest *m, const char *adir,
                            const char *pass_file, const char *key_hex, tv_authority **a,
                            char **issue, size_t *issue_len, tv_point *key, char **passphrase)
{
	char path[4096];
	uint8_t *state = NULL;
	size_t state_len = 0;
	tv_status st;

	if (tv_point_from_hex(ctx, key, key_hex, strlen(key_hex)) != TV_OK) {
		cli_error("--election-key: not an election key (130 hex characters): %s",
		          tv_ctx_last_error(ctx));
		return CLI_USAGE;
	}
	snprintf(path, sizeof(path), "%s/credentials-issue.json", adir);
	if ((*issue = cli_read_file(path, issue_len, (size_t)1 << 30)) == NULL)
		return CLI_ERROR;
	if ((*passphrase = cli_passphrase(pass_file, "the credential authority's key", false)) ==
	    NULL)
		return CLI_ERROR;
	snprintf(path, sizeof(path), "%s/authority.secret", adir);
	if ((st = tv_secretfile_read(ctx, &state, &state_len, path, *passphrase,
	                             strlen(*passphrase))) != TV_OK ||
	    (st = tv_authority_deserialize(ctx, a, state, state_len, m)) != TV_OK) {
		if (state != NULL)
			OPENSSL_cleanse(state, state_len);
		free(state);
		return st == TV_ERR_PASSPHRASE || st == TV_ERR_WRONG_ELECTION
		       ? (cli_lib_error(ctx, "opening the authority's key", st), CLI_FAILED)
		       : cli_lib_error(ctx, "opening the authority's key", st);
	}
	OPENSSL_cleanse(state, state_len);
	free(state);
	return CLI_OK;
}

static int papers_make(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "manifest", required_argument, NULL, 'm' },
		{ "authority", required_argument, NULL, 'a' },
		{ "election-key", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "papers-pdf", required_argument, NULL, 'P' },
		{ "large-print", no_argument, NULL, 'L' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *manifest_file = NULL, *adir = NULL, *key_hex = NULL, *out = NULL;
	const char *pdf_file = NULL, *pass_file = NULL;
	bool json = false, large = false, made_dir = false;
	tv_ctx *ctx = NULL;
	tv_manifest *m = NULL;
	tv_authority *a = NULL;
	tv_point key;
	char *issue = NULL, *passphrase = NULL;
	size_t issue_len = 0;
	uint8_t seed[TV_PAPER_SEED_BYTES];
	char csv_path[4096], box_path[4096], secret[4096];
	printer w;
	tv_secretfile_options so = TV_SECRETFILE_OPTIONS_INIT;
	tv_status st;
	int rc = CLI_ERROR, opt;

	memset(&w, 0, sizeof(w));
	w.fd = -1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': manifest_file = optarg; break;
		case 'a': adir = optarg; break;
		case 'k': key_hex = optarg; break;
		case 'o': out = optarg; break;
		case 'P': pdf_file = optarg; break;
		case 'L': large = true; break;
		case 'p': pass_file = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_papers_help(stdout); return CLI_OK;
		default: cli_papers_help(stderr); return CLI_USAGE;
		}
	}
	if (manifest_file == NULL || adir == NULL || key_hex == NULL || out == NULL ||
	    optind != argc) {
		cli_error("papers make needs --manifest M.json, --authority DIR, --election-key K "
		          "and --out NEW");
		return CLI_USAGE;
	}
	if (large && pdf_file == NULL) {
		cli_error("--large-print is for the PDF papers: give --papers-pdf FILE too");
		return CLI_USAGE;
	}
	if (tv_ctx_new(&ctx, NULL) != TV_OK) {
		cli_error("cannot start the library (out of memory?)");
		return CLI_ERROR;
	}
	if ((rc = cli_load_manifest(ctx, &m, manifest_file)) != CLI_OK ||
	    (rc = authority_inputs(ctx, m, adir, pass_file, key_hex, &a, &issue, &issue_len, &key,
	                           &passphrase)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if (mkdir(out, 0700) != 0) {
		cli_error(errno == EEXIST ? "%s already exists; choose a new folder (it may hold "
		                            "papers already made)" : "cannot make %s: %s",
		          out, cli_strerror(errno));
		rc = errno == EEXIST ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	made_dir = true;
	snprintf(csv_path, sizeof(csv_path), "%s/papers.csv", out);
	snprintf(box_path, sizeof(box_path), "%s/papers-box.jsonl", out);
	snprintf(secret, sizeof(secret), "%s/papers.secret", out);
	/* the seed is safe before any paper exists */
	if ((st = tv_paper_seed_new(ctx, seed, m)) != TV_OK ||
	    (st = tv_secretfile_write(ctx, secret, seed, sizeof(seed), passphrase,
	                              strlen(passphrase), &so)) != TV_OK) {
		rc = cli_lib_error(ctx, "saving the paper seed", st);
		goto fail;
	}
	if ((w.fd = open(csv_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600)) < 0 ||
	    cli_secret_fdopen(&w.csv, w.fd) != 0 || w.csv.f == NULL ||
	    (w.box = fopen(box_path, "wx")) == NULL) {
		cli_error("cannot write in %s: %s", out, cli_strerror(errno));
		goto fail;
	}
	w.fd = -1;
	{
		/* the header: each answer's code column named by its label */
		uint32_t nopt = (uint32_t)tv_manifest_option_count(m);

		fputs("number,paper", w.csv.f);
		for (uint32_t i = 1; i <= nopt; i++) {
			char label[TV_MANIFEST_TEXT_MAX + 1];

			snprintf(label, sizeof(label), "%s", tv_manifest_option_in(m, i, "en"));
			for (char *c = label; *c; c++)
				if (*c == ',' || *c == '"' || *c == '\n')
					*c = ' ';
			fprintf(w.csv.f, ",code %s", label);
		}
		if (tv_manifest_allow_blank(m))
			fputs(",code blank", w.csv.f);
		fputc('\n', w.csv.f);
	}
	if (pdf_file != NULL && (rc = cli_pdf_papers_open(&w.pdf, pdf_file, m, large)) != CLI_OK)
		goto fail;
	rc = CLI_ERROR;
	{
		json_t *root = json_loadb(issue, issue_len, 0, NULL);

		w.total = json_array_size(json_object_get(root, "credentials"));
		json_decref(root);
	}
	w.m = m;
	st = tv_authority_make_papers(ctx, a, seed, m, &key, issue, issue_len, print_paper,
	                              box_line, &w);
	cli_progress_end();
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "making the papers", st);
		if (st == TV_ERR_WRONG_ELECTION)
			rc = CLI_FAILED;
		goto fail;
	}
	if (cli_secret_fclose(&w.csv) != 0 || fflush(w.box) != 0 || fsync(fileno(w.box)) != 0 ||
	    fclose(w.box) != 0) {
		w.box = NULL;
		cli_error("cannot write the papers in %s: %s", out, cli_strerror(errno));
		goto fail;
	}
	w.box = NULL;
	if (w.pdf != NULL) {
		cli_pdf_papers *p = w.pdf;

		w.pdf = NULL;
		if ((rc = cli_pdf_papers_close(p)) != CLI_OK)
			goto fail;
	}
	rc = CLI_OK;
	if (json) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "papers", (json_int_t)w.done, "box",
		                      box_path, "printer", csv_path, "secret", secret);

		if (pdf_file != NULL)
			json_object_set_new(o, "pdf", json_string(pdf_file));
		cli_print_json(o); /* takes it */
	} else {
		printf("%zu ballot papers made in %s:\n", w.done, out);
		printf("  papers-box.jsonl  for the ballot box: tenantvote papers import\n");
		printf("  papers.csv        for the printer: each paper's identifier and codes\n");
		if (pdf_file != NULL)
			printf("  %s  the papers to print\n", pdf_file);
		printf("  papers.secret     opens the papers not cast, after close: keep it safe\n");
		printf("Destroy papers.csv and the PDF once the papers are printed: whoever holds\n"
		       "them, with the bulletin board, can tell how each paper was voted.\n");
	}
	goto out;
fail:
	if (w.csv.f != NULL)
		(void)cli_secret_fclose(&w.csv);
	if (w.fd >= 0)
		close(w.fd);
	if (w.box != NULL)
		fclose(w.box);
	cli_pdf_papers_abort(w.pdf);
	if (made_dir) {
		unlink(csv_path);
		unlink(box_path);
		unlink(secret);
		rmdir(out);
	}
out:
	OPENSSL_cleanse(seed, sizeof(seed));
	cli_passphrase_free(passphrase);
	free(issue);
	tv_authority_free(a);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
	return rc;
}

/* ---------------------------------------------------------------- import */

static int papers_import(int argc, char **argv, bool openings)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".";
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	char *text = NULL;
	size_t len = 0, n = 0;
	tv_status st;
	int rc, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_papers_help(stdout); return CLI_OK;
		default: cli_papers_help(stderr); return CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_error(openings ? "papers openings needs one file: the authority's openings"
		                   : "papers import needs one file: the authority's papers-box.jsonl");
		return CLI_USAGE;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		return rc;
	if (openings) {
		if ((text = cli_read_file(argv[optind], &len, (size_t)128 << 20)) == NULL) {
			rc = CLI_ERROR;
			goto out;
		}
		st = tv_box_import_openings(ctx, &n, box, text, len);
	} else {
		st = tv_box_import_papers(ctx, &n, box, argv[optind]);
	}
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, openings ? "importing the openings" : "importing the papers",
		                   st);
		if (st != TV_ERR_IO && st != TV_ERR_NOMEM && st != TV_ERR_DATABASE)
			rc = CLI_FAILED;
		goto out;
	}
	rc = CLI_OK;
	if (json) {
		json_t *o = json_pack("{s:I}", openings ? "opened" : "papers", (json_int_t)n);

		cli_print_json(o); /* takes it */
	} else if (openings) {
		printf("%zu papers not cast are opened: export the record now.\n", n);
	} else {
		printf("%zu ballot papers imported: voting can open.\n", n);
	}
out:
	free(text);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ------------------------------------------------------------------ open */

static int papers_open(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "manifest", required_argument, NULL, 'm' },
		{ "authority", required_argument, NULL, 'a' },
		{ "papers", required_argument, NULL, 'P' },
		{ "election-key", required_argument, NULL, 'k' },
		{ "record", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *manifest_file = NULL, *adir = NULL, *pdir = NULL, *key_hex = NULL;
	const char *record = NULL, *out = NULL, *pass_file = NULL;
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_manifest *m = NULL;
	tv_authority *a = NULL;
	tv_point key;
	char *issue = NULL, *passphrase = NULL, *openings = NULL, path[4096];
	uint8_t *seed = NULL;
	size_t issue_len = 0, seed_len = 0, opened = 0;
	tv_status st;
	int rc = CLI_ERROR, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': manifest_file = optarg; break;
		case 'a': adir = optarg; break;
		case 'P': pdir = optarg; break;
		case 'k': key_hex = optarg; break;
		case 'r': record = optarg; break;
		case 'o': out = optarg; break;
		case 'p': pass_file = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_papers_help(stdout); return CLI_OK;
		default: cli_papers_help(stderr); return CLI_USAGE;
		}
	}
	if (manifest_file == NULL || adir == NULL || pdir == NULL || key_hex == NULL ||
	    record == NULL || out == NULL || optind != argc) {
		cli_error("papers open needs --manifest, --authority DIR, --papers PDIR, "
		          "--election-key K, --record R and --out FILE");
		return CLI_USAGE;
	}
	if (tv_ctx_new(&ctx, NULL) != TV_OK) {
		cli_error("cannot start the library (out of memory?)");
		return CLI_ERROR;
	}
	if ((rc = cli_load_manifest(ctx, &m, manifest_file)) != CLI_OK ||
	    (rc = authority_inputs(ctx, m, adir, pass_file, key_hex, &a, &issue, &issue_len, &key,
	                           &passphrase)) != CLI_OK)
		goto out;
	snprintf(path, sizeof(path), "%s/papers.secret", pdir);
	if ((st = tv_secretfile_read(ctx, &seed, &seed_len, path, passphrase,
	                             strlen(passphrase))) != TV_OK || seed_len != TV_PAPER_SEED_BYTES) {
		rc = st != TV_OK ? cli_lib_error(ctx, "opening the paper seed", st) : CLI_FAILED;
		if (st == TV_OK)
			cli_error("%s is not a paper seed", path);
		goto out;
	}
	st = tv_authority_open_papers(ctx, &openings, &opened, a, seed, m, &key, issue, issue_len,
	                              record);
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "opening the papers", st);
		if (st == TV_ERR_WRONG_ELECTION || st == TV_ERR_ENCODING)
			rc = CLI_FAILED;
		goto out;
	}
	if ((rc = cli_write_new(out, openings, 0644)) != CLI_OK)
		goto out;
	if (json) {
		json_t *o = json_pack("{s:I, s:s}", "opened", (json_int_t)opened, "out", out);

		cli_print_json(o); /* takes it */
	} else {
		printf("%zu papers not cast as ballots are opened in %s: give it to the returning\n"
		       "officer (tenantvote papers openings), then destroy %s.\n", opened, out, path);
	}
out:
	if (seed != NULL)
		OPENSSL_cleanse(seed, seed_len);
	free(seed);
	tv_free(ctx, openings);
	cli_passphrase_free(passphrase);
	free(issue);
	tv_authority_free(a);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
	return rc;
}

/* ------------------------------------------------------------------ find */

static int papers_find(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const states[] = { "", "cast", "rejected", "opened", "not-cast" };
	const char *record = NULL;
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_paper_info p;
	tv_status st;
	int rc = CLI_ERROR, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r': record = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_papers_help(stdout); return CLI_OK;
		default: cli_papers_help(stderr); return CLI_USAGE;
		}
	}
	if (record == NULL || optind + 1 != argc) {
		cli_error("papers find needs the paper's identifier and --record R");
		return CLI_USAGE;
	}
	if (tv_ctx_new(&ctx, NULL) != TV_OK) {
		cli_error("cannot start the library (out of memory?)");
		return CLI_ERROR;
	}
	st = tv_record_find_paper(ctx, &p, record, argv[optind], strlen(argv[optind]));
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "finding the paper", st);
		if (st == TV_ERR_CREDENTIAL_INVALID || st == TV_ERR_PROOF_INVALID ||
		    st == TV_ERR_STATE)
			rc = CLI_FAILED;
		goto out;
	}
	rc = CLI_OK;
	if (json) {
		json_t *o = json_pack("{s:s, s:s}", "paper", p.id, "state", states[p.state]);

		if (p.state == TV_PAPER_CAST || p.state == TV_PAPER_REJECTED) {
			json_object_set_new(o, "position", json_integer((json_int_t)p.position));
			json_object_set_new(o, "counts", json_boolean(p.counts));
		}
		if (p.state == TV_PAPER_CAST)
			json_object_set_new(o, "code", json_string(p.code));
		if (p.state == TV_PAPER_REJECTED)
			json_object_set_new(o, "reason", json_string(tv_spoilt_reason_name(p.reason)));
		if (p.answers > 0) {
			json_t *codes = json_array();

			for (uint32_t i = 0; i < p.answers; i++)
				json_array_append_new(codes, json_pack("{s:I, s:s}", "answer",
				                                       (json_int_t)p.answer[i], "code",
				                                       p.answer_code[i]));
			json_object_set_new(o, "opened", codes);
		}
		cli_print_json(o); /* takes it */
	} else if (p.state == TV_PAPER_CAST) {
		printf("Paper %s was cast: board position %llu, code %s.\n", p.id,
		       (unsigned long long)p.position, p.code);
		printf("%s\n", p.counts ? "It is the vote that counts for its tenant."
		                        : "It does not count: a later vote of the same tenant does "
		                          "(or the first, in an election where only a first vote "
		                          "counts).");
		printf("Check that %s is the code beside the answer you marked.\n", p.code);
	} else if (p.state == TV_PAPER_REJECTED) {
		printf("Paper %s was rejected by the returning officer (%s): board position %llu.\n",
		       p.id, tv_spoilt_reason_name(p.reason), (unsigned long long)p.position);
	} else {
		printf("Paper %s was not cast%s.\n", p.id,
		       p.state == TV_PAPER_OPENED ? "; it was opened after close" : "");
	}
	if (!json && p.answers > 0) {
		printf("Its codes, which must be those printed on it:\n");
		for (uint32_t i = 0; i < p.answers; i++) {
			if (p.answer[i] != 0)
				printf("  option %u: %s\n", p.answer[i], p.answer_code[i]);
			else
				printf("  blank: %s\n", p.answer_code[i]);
		}
	}
out:
	tv_ctx_free(ctx);
	return rc;
}

int cli_papers(int argc, char **argv)
{
	if (argc >= 2 && cli_is_help(argv[1])) {
		cli_papers_help(stdout);
		return CLI_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "make") == 0)
		return papers_make(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return papers_import(argc - 1, argv + 1, false);
	if (argc >= 2 && strcmp(argv[1], "open") == 0)
		return papers_open(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "openings") == 0)
		return papers_import(argc - 1, argv + 1, true);
	if (argc >= 2 && strcmp(argv[1], "find") == 0)
		return papers_find(argc - 1, argv + 1);
	cli_error("papers: the action is make or open (on the credential authority's machine), "
	          "import or openings (into the ballot box), or find");
	return CLI_USAGE;
}
