/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The credential authority, apart from the ballot box (SPEC §11.5):
 *   credentials make    on the authority's own machine, from the manifest
 *                       and the register alone: OUT/letters.csv (0600),
 *                       OUT/credentials-issue.json for the box, and
 *                       OUT/authority.secret, its key sealed (0600)
 *   credentials import  into the ballot box: the signed issue file
 *   credentials replace, late   on the authority's machine: new letters
 *                       and a signed change file (SPEC §11.7)
 *   credentials apply   into the ballot box, while voting is open
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "cli.h"
#include "letters.h"

int cli_check_code(tv_ctx *ctx, char out[TV_CHECK_CODE_LEN + 1], const char *code,
                   const uint8_t fingerprint[32])
{
	tv_point pub;

	if (tv_credential_derive(ctx, NULL, &pub, code, strlen(code), fingerprint) != TV_OK ||
	    tv_credential_check_code(ctx, out, &pub) != TV_OK)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------- make */

void cli_credentials_make_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote credentials make --manifest M.json --register R.csv\n"
	        "                                   --out DIR [--passphrase-file F] [--json]\n"
	        "\n"
	        "For the credential authority, on its own machine: no ballot box there.\n"
	        "From the election's manifest (DIR/manifest.json of the officer's election\n"
	        "folder) and the same register the officer imported, makes one secret\n"
	        "credential code per tenant and writes, in the new folder DIR:\n"
	        "\n"
	        "  letters.csv               the letters for the mailing house: tenancy_ref,\n"
	        "                            name, address, language, code and check_code\n"
	        "                            (mode 0600; delete it once printed)\n"
	        "  credentials-issue.json    the public credentials, signed with the\n"
	        "                            authority's key: give it to the officer, who\n"
	        "                            runs 'tenantvote credentials import'\n"
	        "  authority.secret          the authority's key, sealed under the passphrase\n"
	        "                            (mode 0600), for later changes to the list\n"
	        "\n"
	        "The codes exist nowhere else. The authority's public key, the list's\n"
	        "digest and the ceremony fingerprint are printed: publish them; every\n"
	        "trustee's keygen must show the same ceremony fingerprint (the trustees'\n"
	        "key ceremony is bound to the election and this signed list).\n"
	        "\n"
	        "  --manifest M.json    the election's manifest\n"
	        "  --register R.csv     the tenant register (the same file the officer used)\n"
	        "  --out DIR            the folder to make (must not exist)\n"
	        "  --passphrase-file F  the passphrase for authority.secret (else\n"
	        "                       TENANTVOTE_PASSPHRASE, else asked twice)\n"
	        "  --letters-pdf FILE   also write the letters as one PDF for the mailing\n"
	        "                       house (mode 0600, must not exist): one letter per\n"
	        "                       tenant, in the language the manifest and register\n"
	        "                       say, in English only when the manifest has no Welsh\n"
	        "                       (SPEC §11.9)\n"
	        "  --large-print        the PDF's letters in large print (body 16 pt)\n"
	        "  --json               print the result as JSON\n"
	        "  -h, --help           this help\n");
}

typedef struct ca_letters {
	FILE *f;
	int fd;
	unsigned long count;
	cli_secret_file sf;
	cli_pdf_letters *pdf; /* --letters-pdf, or NULL */
	unsigned long total;  /* tenants on the register, for the progress line */
} ca_letters;

static int put_field(FILE *f, const char *text, bool last)
{
	if (csv_fwrite(f, text, strlen(text)) != 0)
		return -1;
	return fputc(last ? '\n' : ',', f) == EOF ? -1 : 0;
}

static int ca_letter(const tv_tenant *t, const char *code, const char *check, void *payload)
{
	ca_letters *w = payload;

	if (t == NULL) {
		if (fflush(w->f) != 0 || fsync(w->fd) != 0)
			return -1;
		cli_progress_end();
		return 0;
	}
	if (put_field(w->f, t->tenancy_ref, false) || put_field(w->f, t->name, false) ||
	    put_field(w->f, t->address, false) || put_field(w->f, t->language, false) ||
	    put_field(w->f, code, false) || put_field(w->f, check, true) ||
	    (w->pdf != NULL && cli_pdf_letters_add(w->pdf, t, code, check) != 0))
		return -1;
	if (++w->count % 256 == 0 || w->count == w->total)
		cli_progress("making credentials", w->count, w->total);
	return 0;
}

static void print_problem(uint32_t line, const char *message, void *payload)
{
	cli_error("%s line %u: %s", (const char *)payload, line, message);
}

int cli_credentials_make(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "manifest", required_argument, NULL, 'm' },
		{ "register", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "letters-pdf", required_argument, NULL, 'P' },
		{ "large-print", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *manifest_file = NULL, *register_file = NULL, *out = NULL, *pass_file = NULL;
	const char *pdf_file = NULL;
	bool json = false, made_dir = false, large = false, pdf_done = false;
	tv_ctx *ctx = NULL;
	tv_manifest *m = NULL;
	tv_register *reg = NULL;
	tv_authority *a = NULL;
	ca_letters w = { NULL, -1, 0, { NULL, { 0 } }, NULL, 0 };
	char *text = NULL, *issue = NULL, *passphrase = NULL;
	char letters[4096], issue_path[4096], secret[4096], authority[65];
	uint8_t state[TV_AUTHORITY_STATE_BYTES], l[32], c[32];
	char lhex[65], chex[65];
	tv_secretfile_options so = TV_SECRETFILE_OPTIONS_INIT;
	size_t len;
	tv_status st;
	int rc = CLI_ERROR, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': manifest_file = optarg; break;
		case 'r': register_file = optarg; break;
		case 'o': out = optarg; break;
		case 'p': pass_file = optarg; break;
		case 'j': json = true; break;
		case 'P': pdf_file = optarg; break;
		case 'L': large = true; break;
		case 'h': cli_credentials_make_help(stdout); return CLI_OK;
		default: cli_credentials_make_help(stderr); return CLI_USAGE;
		}
	}
	if (manifest_file == NULL || register_file == NULL || out == NULL || optind != argc) {
		cli_error("credentials make needs --manifest M.json, --register R.csv and --out DIR");
		return CLI_USAGE;
	}
	if (large && pdf_file == NULL) {
		cli_error("--large-print is for the PDF letters: give --letters-pdf FILE too");
		return CLI_USAGE;
	}
	if (tv_ctx_new(&ctx, NULL) != TV_OK) {
		cli_error("cannot start the library (out of memory?)");
		return CLI_ERROR;
	}
	if ((rc = cli_load_manifest(ctx, &m, manifest_file)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if ((text = cli_read_file(register_file, &len, (size_t)1 << 30)) == NULL)
		goto out;
	if ((st = tv_register_parse(ctx, &reg, (const uint8_t *)text, len, register_file,
	                            print_problem, (void *)register_file)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the register", st);
		goto out;
	}
	w.total = (unsigned long)tv_register_count(reg);
	/* owner-only folder: it will hold the codes and the sealed key */
	if (mkdir(out, 0700) != 0) {
		cli_error(errno == EEXIST ? "%s already exists; choose a new folder (it may hold "
		                            "codes already made)" : "cannot make %s: %s",
		          out, cli_strerror(errno));
		rc = errno == EEXIST ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	made_dir = true;
	if ((passphrase = cli_passphrase_new(pass_file, "TENANTVOTE_PASSPHRASE",
	                                     "the credential authority's key")) == NULL) {
		if (cli_passphrase_refused)
			rc = CLI_FAILED;
		goto fail;
	}
	snprintf(letters, sizeof(letters), "%s/letters.csv", out);
	snprintf(issue_path, sizeof(issue_path), "%s/credentials-issue.json", out);
	snprintf(secret, sizeof(secret), "%s/authority.secret", out);
	if ((st = tv_authority_new(ctx, &a, m)) != TV_OK) {
		rc = cli_lib_error(ctx, "making the authority's key", st);
		goto fail;
	}
	/* the key is safe before any code exists */
	if ((st = tv_authority_serialize(ctx, state, a)) != TV_OK ||
	    (st = tv_secretfile_write(ctx, secret, state, sizeof(state), passphrase,
	                              strlen(passphrase), &so)) != TV_OK) {
		OPENSSL_cleanse(state, sizeof(state));
		rc = cli_lib_error(ctx, "saving the authority's key", st);
		goto fail;
	}
	OPENSSL_cleanse(state, sizeof(state));
	if ((w.fd = open(letters, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600)) < 0 ||
	    cli_secret_fdopen(&w.sf, w.fd) != 0 || (w.f = w.sf.f) == NULL ||
	    fputs("tenancy_ref,name,address,language,code,check_code\n", w.f) == EOF) {
		cli_error("cannot write %s: %s", letters, cli_strerror(errno));
		goto fail;
	}
	if (pdf_file != NULL && (rc = cli_pdf_letters_open(&w.pdf, pdf_file, m, large)) != CLI_OK)
		goto fail;
	rc = CLI_ERROR;
	st = tv_authority_issue(ctx, &issue, a, reg, ca_letter, &w);
	cli_progress_end();
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "making the credentials", st);
		goto fail;
	}
	if (cli_secret_fclose(&w.sf) != 0) {
		w.f = NULL;
		cli_error("closing %s: %s", letters, cli_strerror(errno));
		goto fail;
	}
	w.f = NULL;
	if (w.pdf != NULL) {
		cli_pdf_letters *pdf = w.pdf;

		w.pdf = NULL;
		if ((rc = cli_pdf_letters_close(pdf)) != CLI_OK)
			goto fail;
		pdf_done = true;
	}
	if ((rc = cli_write_new(issue_path, issue, 0644)) != CLI_OK)
		goto fail;
	{
		tv_ed25519_public_key pub;

		tv_authority_public_key(&pub, a);
		cli_hex(authority, pub.bytes, sizeof(pub.bytes));
	}
	if ((st = tv_authority_issue_digest(ctx, issue, strlen(issue), l, c)) != TV_OK) {
		rc = cli_lib_error(ctx, "checking the list just signed", st);
		goto fail;
	}
	cli_hex(lhex, l, 32);
	cli_hex(chex, c, 32);
	if (json)
		cli_print_json(json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:s, s:s}", "credentials",
		                         (json_int_t)w.count, "letters", letters, "letters_pdf",
		                         pdf_file, "issue", issue_path,
		                         "authority_secret", secret, "authority", authority,
		                         "list_digest", lhex, "ceremony_fingerprint", chex));
	else
		printf("Made %lu credentials for election %s.\n"
		       "  Letters (readable by you only): %s\n"
		       "  For the ballot box:             %s\n"
		       "  The authority's key, sealed:    %s\n"
		       "Authority key:        %s\n"
		       "List digest:          %s\n"
		       "Ceremony fingerprint: %s\n"
		       "Publish these: every trustee's keygen must show the same ceremony\n"
		       "fingerprint, or the ceremony is bound to another list.\n",
		       w.count, tv_manifest_election_id(m), letters, issue_path, secret, authority,
		       lhex, chex);
	rc = CLI_OK;
	goto out;
fail:
	if (w.f != NULL)
		cli_secret_fclose(&w.sf);
	else if (w.fd >= 0)
		close(w.fd);
	cli_pdf_letters_abort(w.pdf);
	if (pdf_done)
		unlink(pdf_file); /* its codes are of credentials never issued */
	if (made_dir) {
		unlink(letters);
		unlink(issue_path);
		unlink(secret);
		rmdir(out);
	}
	if (rc == CLI_OK)
		rc = CLI_ERROR;
out:
	cli_passphrase_free(passphrase);
	tv_free(ctx, issue);
	if (text != NULL) {
		OPENSSL_cleanse(text, len);
		free(text);
	}
	tv_authority_free(a);
	tv_register_free(reg);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
	return rc;
}

/* ----------------------------------------------------------------- import */

void cli_credentials_import_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote credentials import FILE [-d DIR] [--json]\n"
	        "\n"
	        "Takes the credential authority's signed issue file (credentials-issue.json\n"
	        "from 'tenantvote credentials make') into the ballot box. It must be for\n"
	        "this election and this register, with one valid credential per tenant,\n"
	        "and carry the authority's valid signature; otherwise nothing is stored.\n"
	        "The trustees' key ceremony, which comes next, is bound to this list.\n"
	        "\n"
	        "  -d, --dir DIR   the election folder (default .)\n"
	        "  --json          print the result as JSON\n"
	        "  -h, --help      this help\n");
}

int cli_credentials_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *file;
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_box_status s;
	char *text = NULL;
	uint8_t c[32];
	char hex[65];
	size_t len;
	tv_status st;
	int rc = CLI_ERROR, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_credentials_import_help(stdout); return CLI_OK;
		default: cli_credentials_import_help(stderr); return CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_error("credentials import needs one file: the authority's credentials-issue.json");
		return CLI_USAGE;
	}
	file = argv[optind];
	if ((text = cli_read_file(file, &len, (size_t)1 << 30)) == NULL)
		return CLI_ERROR;
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	if ((st = tv_box_import_credentials(ctx, box, text, len)) != TV_OK) {
		cli_error("%s: %s", file, tv_ctx_last_error(ctx));
		rc = tv_status_is_rejection(st) || st == TV_ERR_STATE ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	if ((st = tv_box_get_status(ctx, &s, box)) != TV_OK ||
	    (st = tv_box_ceremony_context(ctx, c, box)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the election", st);
		goto out;
	}
	cli_hex(hex, c, 32);
	if (json)
		cli_print_json(json_pack("{s:I, s:s}", "credentials", (json_int_t)s.electorate,
		                         "ceremony_context", hex));
	else
		printf("Imported %llu credentials, signed by the credential authority.\n"
		       "The trustees' ceremony will be bound to: %s\n"
		       "Next: the key ceremony (tenantvote trustee ... or tenantvote ceremony -d %s)\n",
		       (unsigned long long)s.electorate, hex, dir);
	rc = CLI_OK;
out:
	free(text);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

/* ------------------------------------------------------------------ codes */

void cli_credentials_codes_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote credentials codes --record R [--find XXXX-XXXX] [--json]\n"
	        "\n"
	        "Lists the check code (SPEC 11.8) of every credential on the published\n"
	        "list of record R (R/credentials.json, with the credentials the board\n"
	        "added and less those it revoked), in order, so that a bulletin board\n"
	        "can show them and each tenant can find the check code printed on their\n"
	        "letter. With --find, says only whether that check code is on the list\n"
	        "(exit 0 if it is, 1 if not). Whether the list is the one the credential\n"
	        "authority signed, and the one the trustees' ceremony is bound to, is\n"
	        "checked by 'tenantvote verify' (checks 3 and 4).\n"
	        "\n"
	        "  --record R         the public record\n"
	        "  --find XXXX-XXXX   the check code to look for\n"
	        "  --json             print as JSON\n"
	        "  -h, --help         this help\n");
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

int cli_record_check_codes(tv_ctx *ctx, char (**out)[TV_CHECK_CODE_LEN + 1], size_t *count,
                           const char *record)
{
	char path[4096], *text = NULL;
	char (*codes)[TV_CHECK_CODE_LEN + 1] = NULL;
	json_t *root = NULL, *list;
	size_t len, n;
	int rc = CLI_ERROR;

	*out = NULL;
	*count = 0;
	snprintf(path, sizeof(path), "%s/credentials.json", record);
	if ((text = cli_read_file(path, &len, (size_t)512 << 20)) == NULL)
		return CLI_ERROR;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	list = json_object_get(root, "credentials");
	if (!json_is_array(list)) {
		cli_error("%s is not a credential list (run 'tenantvote verify %s')", path, record);
		rc = CLI_FAILED;
		goto out;
	}
	if ((codes = calloc(json_array_size(list) + 1, sizeof(*codes))) == NULL) {
		cli_error("out of memory");
		goto out;
	}
	for (n = 0; n < json_array_size(list); n++) {
		const char *hex = json_string_value(json_array_get(list, n));
		tv_point p;

		if (hex == NULL || tv_point_from_hex(ctx, &p, hex, strlen(hex)) != TV_OK ||
		    tv_credential_check_code(ctx, codes[n], &p) != TV_OK) {
			cli_error("%s: credential %zu is not a valid point (run 'tenantvote verify %s')",
			          path, n + 1, record);
			rc = CLI_FAILED;
			goto out;
		}
	}
	/* the list as the board changed it (SPEC §11.7): a late tenant's or a
	 * replacement's code is found, a revoked one is not; the changes'
	 * signatures are checked by 'tenantvote verify' (check 7) */
	snprintf(path, sizeof(path), "%s/board.jsonl", record);
	{
		FILE *f = fopen(path, "r");
		char *line = NULL;
		size_t cap = 0, have = json_array_size(list) + 1;
		ssize_t got;

		while (f != NULL && (got = getline(&line, &cap, f)) > 0) {
			json_t *l = json_loadb(line, (size_t)got, 0, NULL);
			const char *kind = json_string_value(json_object_get(l, "kind"));
			const char *hex = json_string_value(
				json_object_get(json_object_get(l, "entry"), "credential"));
			char code[TV_CHECK_CODE_LEN + 1];
			tv_point p;
			int added = kind != NULL && strcmp(kind, "credential-added") == 0;
			int revoked = kind != NULL && strcmp(kind, "credential-revoked") == 0;

			if ((added || revoked) && hex != NULL &&
			    tv_point_from_hex(ctx, &p, hex, strlen(hex)) == TV_OK &&
			    tv_credential_check_code(ctx, code, &p) == TV_OK) {
				if (added && n + 1 >= have) {
					void *more = realloc(codes, (have *= 2) * sizeof(*codes));

					if (more == NULL) {
						json_decref(l);
						free(line);
						fclose(f);
						cli_error("out of memory");
						goto out;
					}
					codes = more;
				}
				if (added)
					memcpy(codes[n++], code, sizeof(code));
				for (size_t i = 0; revoked && i < n; i++)
					if (strcmp(codes[i], code) == 0) {
						memmove(codes[i], codes[n - 1], sizeof(*codes));
						n--;
						break;
					}
			}
			json_decref(l);
		}
		free(line);
		if (f != NULL)
			fclose(f);
	}
	qsort(codes, n, sizeof(*codes), cmp_code);
	*out = codes;
	*count = n;
	codes = NULL;
	rc = CLI_OK;
out:
	json_decref(root);
	free(codes);
	free(text);
	return rc;
}

int cli_credentials_codes(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "find", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *record = NULL, *find = NULL;
	bool json = false;
	tv_ctx *ctx = NULL;
	char want[TV_CHECK_CODE_LEN + 1] = "";
	char (*codes)[TV_CHECK_CODE_LEN + 1] = NULL;
	size_t n = 0;
	int rc = CLI_ERROR, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r': record = optarg; break;
		case 'f': find = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_credentials_codes_help(stdout); return CLI_OK;
		default: cli_credentials_codes_help(stderr); return CLI_USAGE;
		}
	}
	if (record == NULL || optind != argc) {
		cli_error("credentials codes needs --record R and nothing else");
		return CLI_USAGE;
	}
	if (find != NULL) {
		/* as a tenant might type it: case, spaces and the hyphen do not matter */
		size_t k = 0, symbols = 0;

		for (const char *p = find; *p != '\0'; p++) {
			if (*p == ' ' || *p == '-')
				continue;
			if (++symbols > 8)
				break;
			want[k++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
			if (k == 4)
				want[k++] = '-';
		}
		want[k < sizeof(want) ? k : sizeof(want) - 1] = '\0';
		if (symbols != 8 || k != TV_CHECK_CODE_LEN) {
			cli_error("--find: a check code is 8 letters and digits, as XXXX-XXXX");
			return CLI_USAGE;
		}
	}
	if (tv_ctx_new(&ctx, NULL) != TV_OK) {
		cli_error("cannot start the library (out of memory?)");
		goto out;
	}
	if ((rc = cli_record_check_codes(ctx, &codes, &n, record)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if (find != NULL) {
		bool found = bsearch(want, codes, n, sizeof(*codes), cmp_code) != NULL;

		if (json)
			cli_print_json(json_pack("{s:s, s:b}", "check_code", want, "on_the_list", found));
		else
			printf(found ? "%s is on the published list of %zu credentials.\n"
			             : "%s is NOT on the published list of %zu credentials: ask the "
			               "returning officer why.\n", want, n);
		rc = found ? CLI_OK : CLI_FAILED;
		goto out;
	}
	if (json) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_string(codes[i]));
		cli_print_json(json_pack("{s:I, s:o}", "credentials", (json_int_t)n, "check_codes",
		                         arr));
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", codes[i]);
	}
	rc = CLI_OK;
out:
	free(codes);
	tv_ctx_free(ctx);
	return rc;
}

/* --------------------------------------------------- replace, late, apply */

void cli_credentials_replace_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote credentials replace --tenant N --register R.csv AUTHORITY-OPTIONS\n"
	        "       tenantvote credentials late --late LATE.csv AUTHORITY-OPTIONS\n"
	        "  AUTHORITY-OPTIONS: --manifest M.json --authority DIR --out NEW\n"
	        "                     [--old-credential HEX] [--passphrase-file F]\n"
	        "                     [--letters-pdf FILE [--large-print]] [--json]\n"
	        "\n"
	        "For the credential authority, on its own machine, after 'credentials make'\n"
	        "(SPEC §11.7). Makes, in the new folder NEW (mode 0700):\n"
	        "\n"
	        "  letters.csv    the new letter(s): tenancy_ref, name, address, language,\n"
	        "                 code and check_code (mode 0600; delete it once printed)\n"
	        "  change.json    the signed change file for the ballot box (mode 0600):\n"
	        "                 give it to the officer, who runs 'tenantvote credentials\n"
	        "                 apply NEW/change.json' while voting is open\n"
	        "\n"
	        "replace  a lost letter: tenant N (the row, from 1, of the register the\n"
	        "         list was made from) gets a new code; the change revokes the old\n"
	        "         credential and adds the new one. If the old credential has a\n"
	        "         counted ballot, the box refuses it unless the officer says that\n"
	        "         ballot is void.\n"
	        "late     a tenant not on the register: each row of LATE.csv (the register's\n"
	        "         columns) gets a code; the change adds the credentials. The box\n"
	        "         keeps the rows for the marked register; they are never published.\n"
	        "\n"
	        "Every change is a public line of the board, signed by the authority, and\n"
	        "counted in the electorate. The codes exist nowhere else.\n"
	        "\n"
	        "  --manifest M.json    the election's manifest\n"
	        "  --authority DIR      the folder 'credentials make' made (its\n"
	        "                       credentials-issue.json and authority.secret)\n"
	        "  --out NEW            the folder to make (must not exist)\n"
	        "  --tenant N           replace: the tenant's row on the register, from 1\n"
	        "  --register R.csv     replace: the register the list was made from\n"
	        "                       (another register is refused)\n"
	        "  --old-credential HEX replace: the credential to revoke, when it is not\n"
	        "                       the one of the issue file (a second replacement)\n"
	        "  --late LATE.csv      late: the late tenants, as register rows\n"
	        "  --passphrase-file F  the passphrase of authority.secret (else\n"
	        "                       TENANTVOTE_PASSPHRASE, else asked)\n"
	        "  --letters-pdf FILE   also the letters as a PDF (mode 0600, must not exist)\n"
	        "  --large-print        the PDF's letters in large print\n"
	        "  --json               print the result as JSON\n"
	        "  -h, --help           this help\n");
}

/* the credential of row @p n (from 1) of an issue file, in register order */
static int issue_credential(tv_ctx *ctx, tv_point *out, const char *issue, size_t len,
                            unsigned long n)
{
	json_t *root = json_loadb(issue, len, JSON_REJECT_DUPLICATES, NULL);
	const char *hex = json_string_value(json_array_get(json_object_get(root, "credentials"),
	                                                   n - 1));
	int rc = hex != NULL && tv_point_from_hex(ctx, out, hex, strlen(hex)) == TV_OK ? 0 : -1;

	json_decref(root);
	return rc;
}

static int add_change(tv_ctx *ctx, json_t *changes, const tv_authority *a, const char *issue,
                      size_t len, int revoke, const tv_point *x, json_t *extra_key,
                      const char *extra_name)
{
	char *entry = NULL;
	json_t *c, *e;
	tv_status st;

	if ((st = tv_authority_change(ctx, &entry, a, issue, len, revoke, x)) != TV_OK) {
		json_decref(extra_key);
		return cli_lib_error(ctx, "signing the change", st);
	}
	e = json_loads(entry, 0, NULL);
	tv_free(ctx, entry);
	c = json_pack("{s:s}", "op", revoke ? "revoked" : "added");
	if (e == NULL || c == NULL) {
		json_decref(e);
		json_decref(c);
		json_decref(extra_key);
		cli_error("out of memory");
		return CLI_ERROR;
	}
	if (extra_key != NULL)
		json_object_set_new(c, extra_name, extra_key);
	json_object_set_new(c, "entry", e);
	json_array_append_new(changes, c);
	return CLI_OK;
}

static int change_letter(tv_ctx *ctx, ca_letters *w, const tv_tenant *t, const uint8_t f[32],
                         tv_point *x)
{
	tv_credential_code code;
	char check[TV_CHECK_CODE_LEN + 1];
	int bad;

	if (tv_credential_generate(ctx, &code, x, f) != TV_OK ||
	    tv_credential_check_code(ctx, check, x) != TV_OK)
		return cli_lib_error(ctx, "making a code", tv_ctx_last_status(ctx));
	bad = ca_letter(t, code.text, check, w);
	tv_credential_code_wipe(&code);
	if (bad) {
		cli_error("cannot write the letter: %s", strerror(errno));
		return CLI_ERROR;
	}
	return CLI_OK;
}

int cli_credentials_change(int argc, char **argv, bool late)
{
	static const struct option longopts[] = {
		{ "manifest", required_argument, NULL, 'm' },
		{ "authority", required_argument, NULL, 'a' },
		{ "out", required_argument, NULL, 'o' },
		{ "tenant", required_argument, NULL, 't' },
		{ "register", required_argument, NULL, 'r' },
		{ "old-credential", required_argument, NULL, 'x' },
		{ "late", required_argument, NULL, 'l' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "letters-pdf", required_argument, NULL, 'P' },
		{ "large-print", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *manifest_file = NULL, *adir = NULL, *out = NULL, *tenant_arg = NULL;
	const char *register_file = NULL, *old_hex = NULL, *late_file = NULL, *pass_file = NULL;
	const char *pdf_file = NULL;
	bool json = false, large = false, made_dir = false, pdf_done = false;
	tv_ctx *ctx = NULL;
	tv_manifest *m = NULL;
	tv_register *reg = NULL;
	tv_authority *a = NULL;
	ca_letters w = { NULL, -1, 0, { NULL, { 0 } }, NULL };
	char *issue = NULL, *text = NULL, *passphrase = NULL, *file = NULL;
	uint8_t *state = NULL, f[32];
	size_t issue_len = 0, len = 0, state_len = 0;
	char path[4096], letters[4096], change_path[4096], hex[65];
	json_t *changes = NULL;
	unsigned long tenant = 0;
	tv_status st;
	int rc = CLI_ERROR, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm': manifest_file = optarg; break;
		case 'a': adir = optarg; break;
		case 'o': out = optarg; break;
		case 't': tenant_arg = optarg; break;
		case 'r': register_file = optarg; break;
		case 'x': old_hex = optarg; break;
		case 'l': late_file = optarg; break;
		case 'p': pass_file = optarg; break;
		case 'P': pdf_file = optarg; break;
		case 'L': large = true; break;
		case 'j': json = true; break;
		case 'h': cli_credentials_replace_help(stdout); return CLI_OK;
		default: cli_credentials_replace_help(stderr); return CLI_USAGE;
		}
	}
	if (manifest_file == NULL || adir == NULL || out == NULL || optind != argc ||
	    (late ? late_file == NULL || tenant_arg != NULL || register_file != NULL ||
	                    old_hex != NULL
	          : tenant_arg == NULL || register_file == NULL || late_file != NULL)) {
		cli_error(late ? "credentials late needs --late LATE.csv, --manifest M.json, "
		                 "--authority DIR and --out NEW"
		               : "credentials replace needs --tenant N, --register R.csv, "
		                 "--manifest M.json, --authority DIR and --out NEW");
		return CLI_USAGE;
	}
	if (!late) {
		char *end;

		errno = 0;
		tenant = strtoul(tenant_arg, &end, 10);
		if (errno != 0 || *end != '\0' || tenant_arg[0] < '1' || tenant_arg[0] > '9' ||
		    tenant > TV_REGISTER_ROWS_MAX) {
			cli_error("--tenant: '%s' is not a row of the register (1, 2, ...)", tenant_arg);
			return CLI_USAGE;
		}
	}
	if (large && pdf_file == NULL) {
		cli_error("--large-print is for the PDF letters: give --letters-pdf FILE too");
		return CLI_USAGE;
	}
	if (tv_ctx_new(&ctx, NULL) != TV_OK) {
		cli_error("cannot start the library (out of memory?)");
		return CLI_ERROR;
	}
	if ((rc = cli_load_manifest(ctx, &m, manifest_file)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	tv_manifest_fingerprint(f, m);
	snprintf(path, sizeof(path), "%s/credentials-issue.json", adir);
	if ((issue = cli_read_file(path, &issue_len, (size_t)1 << 30)) == NULL)
		goto out;
	file = late ? (char *)late_file : (char *)register_file;
	if ((text = cli_read_file(file, &len, (size_t)1 << 30)) == NULL)
		goto out;
	if ((st = tv_register_parse(ctx, &reg, (const uint8_t *)text, len, file, print_problem,
	                            (void *)file)) != TV_OK) {
		rc = cli_lib_error(ctx, late ? "reading the late tenants" : "reading the register", st);
		goto out;
	}
	if (!late) {
		/* the row numbers are those of the register the list was made from */
		uint8_t digest[TV_REGISTER_DIGEST_BYTES];
		char dhex[2 * TV_REGISTER_DIGEST_BYTES + 1];
		json_t *iroot = json_loadb(issue, issue_len, JSON_REJECT_DUPLICATES, NULL);
		const char *want = json_string_value(json_object_get(iroot, "register"));
		bool same;

		tv_register_digest(digest, reg);
		cli_hex(dhex, digest, sizeof(digest));
		same = want != NULL && strcmp(want, dhex) == 0;
		json_decref(iroot);
		if (!same) {
			cli_error("%s is not the register the credential list was made from: tenant "
			          "%lu would be another person", register_file, tenant);
			rc = CLI_FAILED;
			goto out;
		}
	}
	if (!late && tenant > tv_register_count(reg)) {
		cli_error("--tenant %lu: the register has %zu tenants", tenant, tv_register_count(reg));
		rc = CLI_USAGE;
		goto out;
	}
	if ((passphrase = cli_passphrase(pass_file, "the credential authority's key", false)) ==
	    NULL)
		goto out;
	snprintf(path, sizeof(path), "%s/authority.secret", adir);
	if ((st = tv_secretfile_read(ctx, &state, &state_len, path, passphrase,
	                             strlen(passphrase))) != TV_OK ||
	    (st = tv_authority_deserialize(ctx, &a, state, state_len, m)) != TV_OK) {
		rc = cli_lib_error(ctx, "opening the authority's key", st);
		if (st == TV_ERR_PASSPHRASE || st == TV_ERR_WRONG_ELECTION)
			rc = CLI_FAILED;
		goto out;
	}
	if (mkdir(out, 0700) != 0) {
		cli_error(errno == EEXIST ? "%s already exists; choose a new folder (it may hold "
		                            "codes already made)" : "cannot make %s: %s",
		          out, strerror(errno));
		rc = errno == EEXIST ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	made_dir = true;
	snprintf(letters, sizeof(letters), "%s/letters.csv", out);
	snprintf(change_path, sizeof(change_path), "%s/change.json", out);
	if ((w.fd = open(letters, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600)) < 0 ||
	    cli_secret_fdopen(&w.sf, w.fd) != 0 || (w.f = w.sf.f) == NULL ||
	    fputs("tenancy_ref,name,address,language,code,check_code\n", w.f) == EOF) {
		cli_error("cannot write %s: %s", letters, strerror(errno));
		goto fail;
	}
	if (pdf_file != NULL && (rc = cli_pdf_letters_open(&w.pdf, pdf_file, m, large)) != CLI_OK)
		goto fail;
	rc = CLI_ERROR;
	if ((changes = json_array()) == NULL)
		goto fail;
	if (!late) {
		tv_tenant t;
		tv_point old, x;

		if (old_hex != NULL ? tv_point_from_hex(ctx, &old, old_hex, strlen(old_hex)) != TV_OK
		                    : issue_credential(ctx, &old, issue, issue_len, tenant) != 0) {
			cli_error(old_hex != NULL ? "--old-credential is not a credential (130 hex)"
			                          : "%s/credentials-issue.json has no credential %lu",
			          adir, tenant);
			rc = CLI_FAILED;
			goto fail;
		}
		if (tv_register_tenant(&t, reg, tenant - 1) != TV_OK ||
		    (rc = change_letter(ctx, &w, &t, f, &x)) != CLI_OK ||
		    (rc = add_change(ctx, changes, a, issue, issue_len, 1, &old, NULL, NULL)) !=
		            CLI_OK ||
		    (rc = add_change(ctx, changes, a, issue, issue_len, 0, &x,
		                     json_integer((json_int_t)tenant), "tenant")) != CLI_OK)
			goto fail;
	} else {
		for (size_t i = 0; i < tv_register_count(reg); i++) {
			tv_tenant t;
			tv_point x;
			json_t *row;

			if (tv_register_tenant(&t, reg, i) != TV_OK ||
			    (rc = change_letter(ctx, &w, &t, f, &x)) != CLI_OK)
				goto fail;
			row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "tenancy_ref",
			                t.tenancy_ref, "name", t.name, "address", t.address,
			                "tenancy_type", t.tenancy_type == TV_TENANCY_SECURE
			                                        ? "secure" : "introductory",
			                "email", t.email, "phone", t.phone, "language", t.language);
			if ((rc = add_change(ctx, changes, a, issue, issue_len, 0, &x, row, "late")) !=
			    CLI_OK)
				goto fail;
		}
	}
	rc = CLI_ERROR;
	/* the letters are whole and durable before the change exists */
	if (ca_letter(NULL, NULL, NULL, &w) != 0 || cli_secret_fclose(&w.sf) != 0) {
		w.f = NULL;
		cli_error("closing %s: %s", letters, strerror(errno));
		goto fail;
	}
	w.f = NULL;
	if (w.pdf != NULL) {
		cli_pdf_letters *pdf = w.pdf;

		w.pdf = NULL;
		if ((rc = cli_pdf_letters_close(pdf)) != CLI_OK)
			goto fail;
		pdf_done = true;
	}
	{
		tv_ed25519_public_key pub;
		json_t *root;
		char *dumped;
		size_t n = json_array_size(changes);

		tv_authority_public_key(&pub, a);
		cli_hex(hex, pub.bytes, 32);
		{
			char fhex[65];

			cli_hex(fhex, f, 32);
			root = json_pack("{s:s, s:s, s:s, s:O}", "format",
			                 "tenantvote-credential-change/1", "election", fhex, "authority",
			                 hex, "changes", changes);
		}
		dumped = root != NULL ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(root);
		if (dumped == NULL) {
			cli_error("out of memory");
			goto fail;
		}
		{
			size_t dl = strlen(dumped);
			char *withlf = malloc(dl + 2);

			if (withlf == NULL) {
				free(dumped);
				cli_error("out of memory");
				goto fail;
			}
			memcpy(withlf, dumped, dl);
			memcpy(withlf + dl, "\n", 2);
			free(dumped);
			/* a late tenant's row is personal data */
			rc = cli_write_new(change_path, withlf, 0600);
			free(withlf);
		}
		if (rc != CLI_OK)
			goto fail;
		if (json)
			cli_print_json(json_pack("{s:s, s:I, s:s, s:s?, s:s, s:s}", "action",
			                         late ? "late" : "replace", "changes", (json_int_t)n,
			                         "letters", letters, "letters_pdf", pdf_file, "change",
			                         change_path, "authority", hex));
		else
			printf("%s: %lu new letter%s and %zu signed change%s.\n"
			       "  Letters (readable by you only): %s\n"
			       "  For the ballot box:             %s\n"
			       "The officer applies it while voting is open: 'tenantvote credentials "
			       "apply %s -d DIR'.\n",
			       late ? "Late tenants" : "Replacement", w.count, w.count == 1 ? "" : "s",
			       n, n == 1 ? "" : "s", letters, change_path, change_path);
	}
	rc = CLI_OK;
	goto out;
fail:
	if (w.f != NULL)
		cli_secret_fclose(&w.sf);
	else if (w.fd >= 0)
		close(w.fd);
	cli_pdf_letters_abort(w.pdf);
	if (pdf_done)
		unlink(pdf_file);
	if (made_dir) {
		unlink(letters);
		unlink(change_path);
		rmdir(out);
	}
	if (rc == CLI_OK)
		rc = CLI_ERROR;
out:
	json_decref(changes);
	cli_passphrase_free(passphrase);
	tv_secret_free(ctx, state, state_len);
	free(issue);
	if (text != NULL) {
		OPENSSL_cleanse(text, len);
		free(text);
	}
	tv_authority_free(a);
	tv_register_free(reg);
	tv_manifest_free(m);
	tv_ctx_free(ctx);
	return rc;
}

void cli_credentials_apply_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote credentials apply FILE [-d DIR] [--void-counted-ballot] [--json]\n"
	        "\n"
	        "Puts the credential authority's signed change file (change.json from\n"
	        "'tenantvote credentials replace' or 'credentials late') on the board, while\n"
	        "voting is open (SPEC §11.7): each revocation and addition becomes a public\n"
	        "line of the board and of the record, and the electorate changes by them.\n"
	        "All of the file or none of it: nothing is stored if any change fails its\n"
	        "checks (the authority's signature, this election, a credential not on the\n"
	        "list already, a revocation of a credential on the list and not revoked).\n"
	        "\n"
	        "A revocation of a credential that has a counted ballot voids that ballot.\n"
	        "It is refused unless you give --void-counted-ballot; then the void is\n"
	        "written in the box's audit log, the record shows the revocation after the\n"
	        "ballot, and the tenant's receipt check says it no longer counts.\n"
	        "\n"
	        "  -d, --dir DIR          the election folder (default .)\n"
	        "  --void-counted-ballot  allow a revocation to void a counted ballot\n"
	        "  --json                 print the result as JSON\n"
	        "  -h, --help             this help\n");
}

int cli_credentials_apply(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "void-counted-ballot", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *file;
	bool json = false, void_counted = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_box_status s;
	char *text = NULL;
	size_t len, count = 0;
	uint64_t first = 0;
	tv_status st;
	int rc = CLI_ERROR, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'v': void_counted = true; break;
		case 'j': json = true; break;
		case 'h': cli_credentials_apply_help(stdout); return CLI_OK;
		default: cli_credentials_apply_help(stderr); return CLI_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_error("credentials apply needs one file: the authority's change.json");
		return CLI_USAGE;
	}
	file = argv[optind];
	if ((text = cli_read_file(file, &len, (size_t)1 << 20)) == NULL)
		return CLI_ERROR;
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	if ((st = tv_box_apply_change_file(ctx, &count, &first, box, text, len,
	                                   void_counted ? TV_CHANGE_VOID_COUNTED : 0,
	                                   (int64_t)time(NULL))) != TV_OK) {
		cli_error("%s: %s; nothing was stored", file, tv_ctx_last_error(ctx));
		rc = tv_status_is_rejection(st) || st == TV_ERR_STATE || st == TV_ERR_ENCODING ||
		                     st == TV_ERR_WRONG_ELECTION
		             ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	if ((st = tv_box_get_status(ctx, &s, box)) != TV_OK) {
		rc = cli_lib_error(ctx, "reading the election", st);
		goto out;
	}
	if (json)
		cli_print_json(json_pack("{s:I, s:I, s:I}", "changes", (json_int_t)count, "first",
		                         (json_int_t)first, "electorate", (json_int_t)s.electorate));
	else
		printf("Applied %zu credential change%s, at board positions %llu to %llu.\n"
		       "The electorate is now %u.\n",
		       count, count == 1 ? "" : "s", (unsigned long long)first,
		       (unsigned long long)(first + count - 1), s.electorate);
	rc = CLI_OK;
out:
	if (text != NULL) {
		OPENSSL_cleanse(text, len);
		free(text);
	}
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}
