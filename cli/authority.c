/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The credential authority, apart from the ballot box (SPEC §11.5):
 *   credentials make    on the authority's own machine, from the manifest
 *                       and the register alone: OUT/letters.csv (0600),
 *                       OUT/credentials-issue.json for the box, and
 *                       OUT/authority.secret, its key sealed (0600)
 *   credentials import  into the ballot box: the signed issue file
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	if ((passphrase = cli_passphrase(pass_file, "the credential authority's key", true)) == NULL)
		goto fail;
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
	        "list of record R (R/credentials.json), in order, so that a bulletin board\n"
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
