/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The trustees' key ceremony (SPEC §12), one trustee at a time, each in a
 * folder of its own (TDIR) on its own machine, from the public ceremony
 * kit the returning officer hands out (SPEC §12.12; no tenant data):
 *   ceremony kit    -> KIT, for every trustee (the officer, from the box)
 *   trustee keygen  -> TDIR/trustees/trustee-I.secret (encrypted),
 *                      TDIR/ceremony/commit-I.json
 *   trustee share   -> TDIR/ceremony/reveal-I.json (needs every commit)
 *   trustee combine -> TDIR/ceremony/result-I.json (needs every reveal)
 *   ceremony import -> the box checks the collected messages and records
 *                      the election key (the officer)
 * Trustees copy each other's message files into their own ceremony/
 * folder; secrets never leave trustees/, and only encrypted. Without
 * --kit, a trustee works in the election folder itself and the kit is made
 * from its box: the same steps, and the last combine records the key.
 * `tenantvote ceremony` runs all of it on one machine, for a demo or a test.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "cli.h"

#define MAX_PASSPHRASE_FILES TV_MAX_TRUSTEES

typedef struct ceremony_files {
	char *commits[TV_MAX_TRUSTEES];
	char *reveals[TV_MAX_TRUSTEES];
	char *results[TV_MAX_TRUSTEES];
	char *complaints[TV_MAX_TRUSTEES];
} ceremony_files;

static void files_free(ceremony_files *f)
{
	for (int i = 0; i < TV_MAX_TRUSTEES; i++) {
		free(f->commits[i]);
		free(f->reveals[i]);
		free(f->results[i]);
		free(f->complaints[i]);
	}
	memset(f, 0, sizeof(*f));
}

/* FOLDER/KIND-I.json: trustee I's message of one kind, in a folder of them */
static void message_path(char *out, size_t size, const char *folder, const char *kind,
                         uint32_t i)
{
	snprintf(out, size, "%s/%s-%u.json", folder, kind, i);
}

/* a trustee's folder: DIR/trustees/trustee-I.secret, DIR/ceremony/KIND-I.json */
static void path_of(char *out, size_t size, const char *dir, const char *kind, uint32_t i)
{
	if (strcmp(kind, "secret") == 0)
		snprintf(out, size, "%s/trustees/trustee-%u.secret", dir, i);
	else
		snprintf(out, size, "%s/ceremony/%s-%u.json", dir, kind, i);
}

/* the trustee's folder itself (a new one is private: it will hold the
 * secret), then its trustees/ and ceremony/ */
static int ensure_dirs(const char *dir)
{
	char path[4096];

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		cli_error("cannot make the trustee's folder %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/trustees", dir);
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		cli_error("cannot make %s: %s", path, cli_strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/ceremony", dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		cli_error("cannot make %s: %s", path, cli_strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Write a public message atomically: a temp file, fsync, then link() (never
 * replacing a message already there) or rename() (replacing), then fsync
 * the folder.
 */
static int write_public(const char *path, const char *text, bool replace)
{
	char tmp[4200];
	size_t len = strlen(text), done = 0;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0644) != 0)
		goto fail;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (write(fd, "\n", 1) != 1 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (replace) {
		if (rename(tmp, path) != 0)
			goto fail;
	} else {
		return cli_link_new(tmp, path) == CLI_OK ? 0 : -1;
	}
	if (cli_sync_parent(path) != 0) {
		cli_error("%s is written but its folder could not be synced: %s", path, cli_strerror(errno));
		return -1;
	}
	return 0;
fail:
	cli_error("cannot write %s: %s", path, cli_strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

/*
 * Load every trustee's message of @p kind from @p folder. 0; -2 when some
 * are missing (said, naming them); -1 when a file could not be read (said).
 */
static int load_messages(char **out, const char *folder, const char *kind, uint32_t n,
                         const char *waiting_for)
{
	char missing[256] = "", first[4096] = "";
	size_t used = 0;
	int count = 0;

	for (uint32_t i = 1; i <= n; i++) {
		char path[4096];
		size_t len;

		message_path(path, sizeof(path), folder, kind, i);
		if (access(path, F_OK) != 0) {
			if (used == 0)
				snprintf(first, sizeof(first), "%s", path);
			used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%u",
			                         used ? ", " : "", i);
			if (used >= sizeof(missing))
				used = sizeof(missing) - 1;
			continue;
		}
		out[i - 1] = cli_read_file(path, &len, TV_CEREMONY_MESSAGE_MAX);
		if (out[i - 1] == NULL)
			return -1;
		count++;
	}
	if ((uint32_t)count != n) {
		if (strchr(missing, ',') == NULL)
			cli_error("%s: no %s message yet from trustee %s (%s is missing)", waiting_for,
			          kind, missing, first);
		else
			cli_error("%s: no %s message yet from trustees %s (looked for %s/%s-I.json)",
			          waiting_for, kind, missing, folder, kind);
		return -2;
	}
	return 0;
}

static int save_state(tv_ctx *ctx, const tv_trustee *t, const char *dir,
                      const char *passphrase, bool replace)
{
	uint8_t buf[TV_TRUSTEE_STATE_MAX];
	size_t len = 0;
	char path[4096];
	tv_secretfile_options o = TV_SECRETFILE_OPTIONS_INIT;
	tv_status st;
	int rc = 0;

	o.overwrite = replace;
	path_of(path, sizeof(path), dir, "secret", tv_trustee_index(t));
	if ((st = tv_trustee_serialize(ctx, buf, sizeof(buf), &len, t)) != TV_OK ||
	    (st = tv_secretfile_write(ctx, path, buf, len, passphrase, strlen(passphrase), &o)) != TV_OK)
		rc = cli_lib_error(ctx, "saving the trustee's secret file", st);
	/* OPENSSL_cleanse: a plain memset before return is optimised away */
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

static int load_state(tv_ctx *ctx, tv_trustee **t, const char *dir, uint32_t index,
                      const char *passphrase)
{
	char path[4096];
	uint8_t *plain = NULL;
	size_t len = 0;
	tv_status st;

	path_of(path, sizeof(path), dir, "secret", index);
	st = tv_secretfile_read(ctx, &plain, &len, path, passphrase, strlen(passphrase));
	if (st == TV_ERR_PASSPHRASE) {
		cli_error("trustee %u: wrong passphrase for %s (or the file was altered)", index, path);
		return CLI_FAILED;
	}
	if (st != TV_OK)
		return cli_lib_error(ctx, "reading the trustee's secret file", st);
	st = tv_trustee_deserialize(ctx, t, plain, len);
	tv_secret_free(ctx, plain, len);
	if (st != TV_OK)
		return cli_lib_error(ctx, "reading the trustee's secret file", st);
	return CLI_OK;
}

/*
 * The secret state, and its ceremony the kit's: a trustee handed a second
 * kit must not go on, or publish again, under the first one's context
 * while being shown the second's.
 */
static int load_state_for_kit(tv_ctx *ctx, tv_trustee **t, const char *dir, uint32_t index,
                              const char *passphrase, const tv_ceremony_kit *kit)
{
	uint8_t mine[TV_CEREMONY_FINGERPRINT_BYTES], theirs[TV_CEREMONY_FINGERPRINT_BYTES];
	char a[65], b[65];
	int rc;

	if ((rc = load_state(ctx, t, dir, index, passphrase)) != CLI_OK)
		return rc;
	tv_trustee_fingerprint(mine, *t);
	tv_ceremony_kit_context(theirs, kit);
	if (memcmp(mine, theirs, sizeof(mine)) != 0) {
		cli_hex(a, mine, sizeof(mine));
		cli_hex(b, theirs, sizeof(theirs));
		cli_error("trustee %u's keys in %s were made for another ceremony (%s) than this "
		          "kit's (%s): they are not used with it. If this kit is the right one, ask "
		          "in public why another was handed out first.", index, dir, a, b);
		tv_trustee_free(*t);
		*t = NULL;
		return CLI_FAILED;
	}
	return CLI_OK;
}

/* ------------------------------------------------------------------- kit */

/* the ceremony kit from the file a trustee was handed (SPEC §12.12) */
static int kit_from_file(tv_ctx *ctx, tv_ceremony_kit **kit, const char *path)
{
	char *text, doing[4200];
	size_t len;
	tv_status st;

	if ((text = cli_read_file(path, &len, TV_CEREMONY_KIT_MAX)) == NULL)
		return CLI_ERROR;
	st = tv_ceremony_kit_from_json(ctx, kit, text, len);
	free(text);
	if (st != TV_OK) {
		snprintf(doing, sizeof(doing), "reading the ceremony kit %s", path);
		return cli_lib_error(ctx, doing, st);
	}
	return CLI_OK;
}

/* the same kit, made from the election's box: the one-machine ceremony */
static int kit_from_box(tv_ctx *ctx, tv_ceremony_kit **kit, tv_box *box)
{
	char *text = NULL;
	size_t len = 0;
	tv_status st;

	if ((st = tv_box_ceremony_kit(ctx, &text, &len, box)) != TV_OK ||
	    (st = tv_ceremony_kit_from_json(ctx, kit, text, len)) != TV_OK) {
		tv_free(ctx, text);
		return cli_lib_error(ctx, "making the ceremony kit", st);
	}
	tv_free(ctx, text);
	return CLI_OK;
}

static uint32_t kit_trustees(const tv_ceremony_kit *kit)
{
	return tv_manifest_trustees(tv_ceremony_kit_manifest(kit));
}

/* ----------------------------------------------------------------- steps */

/* each step works in the trustee's folder @p dir, from the kit alone */

static int step_keygen(tv_ctx *ctx, const tv_ceremony_kit *kit, const char *dir,
                       uint32_t index, const char *passphrase)
{
	const tv_manifest *m = tv_ceremony_kit_manifest(kit);
	uint8_t f[TV_CEREMONY_FINGERPRINT_BYTES];
	tv_trustee *t = NULL;
	char *commit = NULL, path[4096];
	tv_status st;
	int rc = CLI_ERROR;

	if (ensure_dirs(dir) != 0)
		return CLI_ERROR;
	path_of(path, sizeof(path), dir, "commit", index);
	if (access(path, F_OK) == 0) {
		cli_error("trustee %u has already made keys (%s exists)", index, path);
		return CLI_FAILED;
	}
	{
		/* keys saved but the commit never published (a crash between
		 * the two): publish it from the saved secret */
		char secret[4096];

		path_of(secret, sizeof(secret), dir, "secret", index);
		if (access(secret, F_OK) == 0) {
			if ((rc = load_state_for_kit(ctx, &t, dir, index, passphrase, kit)) != CLI_OK)
				goto out;
			rc = CLI_ERROR;
			goto publish;
		}
	}
	/* SPEC §12.12: every message is bound to the kit's ceremony context */
	tv_ceremony_kit_context(f, kit);
	if ((st = tv_trustee_new(ctx, &t, f, index, tv_manifest_trustees(m),
	                         tv_manifest_threshold(m))) != TV_OK) {
		rc = cli_lib_error(ctx, "making the trustee's keys", st);
		goto out;
	}
	/* the secret is safely stored before anything is published */
	if ((rc = save_state(ctx, t, dir, passphrase, false)) != 0)
		goto out;
	rc = CLI_ERROR;
publish:
	if ((st = tv_trustee_commit(ctx, &commit, t)) != TV_OK) {
		rc = cli_lib_error(ctx, "writing the commit message", st);
		goto out;
	}
	if (write_public(path, commit, false) != 0)
		goto out;
	rc = CLI_OK;
out:
	tv_free(ctx, commit);
	tv_trustee_free(t);
	return rc;
}

static int step_share(tv_ctx *ctx, const tv_ceremony_kit *kit, const char *dir,
                      uint32_t index, const char *passphrase)
{
	uint32_t n = kit_trustees(kit);
	ceremony_files files = { { NULL } };
	tv_trustee *t = NULL;
	char *reveal = NULL, path[4096], folder[4096];
	tv_status st;
	int rc;

	snprintf(folder, sizeof(folder), "%s/ceremony", dir);
	path_of(path, sizeof(path), dir, "reveal", index);
	if ((rc = load_state_for_kit(ctx, &t, dir, index, passphrase, kit)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if ((rc = load_messages(files.commits, folder, "commit", n, "cannot share yet")) != 0) {
		rc = rc == -2 ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	/* checks each commit, its election field against the context included */
	if ((st = tv_trustee_reveal(ctx, &reveal, t, (const char *const *)files.commits, n)) != TV_OK) {
		rc = cli_lib_error(ctx, "checking the commit messages", st);
		goto out;
	}
	/* the state now binds to these commits: store it before publishing */
	if ((rc = save_state(ctx, t, dir, passphrase, true)) != 0)
		goto out;
	rc = write_public(path, reveal, true) == 0 ? CLI_OK : CLI_ERROR;
out:
	tv_free(ctx, reveal);
	tv_trustee_free(t);
	files_free(&files);
	return rc;
}

static int step_combine(tv_ctx *ctx, const tv_ceremony_kit *kit, const char *dir,
                        uint32_t index, const char *passphrase, tv_point *election_key)
{
	uint32_t n = kit_trustees(kit);
	ceremony_files files = { { NULL } };
	tv_trustee *t = NULL;
	char *result = NULL, *complaint = NULL, path[4096], folder[4096];
	tv_status st;
	int rc;

	snprintf(folder, sizeof(folder), "%s/ceremony", dir);
	if ((rc = load_state_for_kit(ctx, &t, dir, index, passphrase, kit)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if ((rc = load_messages(files.commits, folder, "commit", n, "cannot combine")) != 0 ||
	    (rc = load_messages(files.reveals, folder, "reveal", n, "cannot combine yet")) != 0) {
		rc = rc == -2 ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	st = tv_trustee_combine(ctx, &result, &complaint, t, (const char *const *)files.commits, n,
	                        (const char *const *)files.reveals, n);
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "checking the shares", st);
		if (complaint != NULL) {
			path_of(path, sizeof(path), dir, "complaint", index);
			if (write_public(path, complaint, true) == 0)
				cli_error("trustee %u's complaint, which anyone can check, is in %s",
				          index, path);
		}
		goto out;
	}
	if ((rc = save_state(ctx, t, dir, passphrase, true)) != 0)
		goto out;
	path_of(path, sizeof(path), dir, "result", index);
	rc = write_public(path, result, true) == 0 ? CLI_OK : CLI_ERROR;
	/* the key this ceremony made, for the trustee to announce */
	if (rc == CLI_OK && election_key != NULL) {
		tv_scalar share;

		st = tv_trustee_share(ctx, &share, NULL, election_key, t);
		tv_scalar_wipe(&share);
		if (st != TV_OK)
			rc = cli_lib_error(ctx, "reading the election key", st);
	}
out:
	tv_free(ctx, result);
	tv_free(ctx, complaint);
	tv_trustee_free(t);
	files_free(&files);
	return rc;
}

/* ---------------------------------------------------------------- import */

/*
 * Whose file the library's words are about. SPEC §12.5 names a message
 * "trustee I's KIND message", or "KIND message P of N" before its sender
 * is known; messages are given in file order, and a file's sender is its
 * name's (check_senders), so either names FOLDER/KIND-I.json.
 */
static bool blamed_file(char *out, size_t size, const char *folder, const char *detail)
{
	char kind[16];
	unsigned i, of;

	if ((sscanf(detail, "trustee %u's %15[a-z] message", &i, kind) == 2 ||
	     sscanf(detail, "%15[a-z] message %u of %u", kind, &i, &of) == 3) &&
	    i >= 1 && i <= TV_MAX_TRUSTEES) {
		message_path(out, size, folder, kind, i);
		return true;
	}
	return false;
}

/* each file is from the trustee its name says (the library checks the rest) */
static int check_senders(char *const *msgs, const char *folder, const char *kind, uint32_t n)
{
	for (uint32_t i = 1; i <= n; i++) {
		json_t *root = msgs[i - 1] != NULL ? json_loads(msgs[i - 1], 0, NULL) : NULL;
		json_t *from = json_object_get(root, "trustee");
		char path[4096];

		if (json_is_integer(from) && json_integer_value(from) != (json_int_t)i) {
			message_path(path, sizeof(path), folder, kind, i);
			cli_error("%s: is a message from trustee %lld, not from trustee %u; each "
			          "trustee's file is named after it. Nothing was recorded.",
			          path, (long long)json_integer_value(from), i);
			json_decref(root);
			return CLI_FAILED;
		}
		json_decref(root);
	}
	return CLI_OK;
}

/* with results missing, a complaint says why: check each one found */
static void report_complaints(tv_ctx *ctx, const tv_ceremony_kit *kit, const char *folder,
                              const ceremony_files *files)
{
	const tv_manifest *m = tv_ceremony_kit_manifest(kit);
	uint32_t n = tv_manifest_trustees(m), l;
	uint8_t f[TV_CEREMONY_FINGERPRINT_BYTES];

	tv_ceremony_kit_context(f, kit);
	for (l = 1; l <= n; l++) {
		char path[4096], *text;
		uint32_t guilty = 0;
		size_t len;
		tv_status st;

		message_path(path, sizeof(path), folder, "complaint", l);
		if (access(path, F_OK) != 0 || (text = cli_read_file(path, &len, TV_CEREMONY_MESSAGE_MAX)) == NULL)
			continue;
		st = tv_ceremony_check_complaint(ctx, &guilty, f, n, tv_manifest_threshold(m), text,
		                                 (const char *const *)files->commits, n,
		                                 (const char *const *)files->reveals, n);
		free(text);
		if (st == TV_OK) {
			for (uint32_t i = 1; i <= n; i++)
				if (guilty & (1u << (i - 1)))
					cli_error("%s: trustee %u's complaint holds: trustee %u sent it a share "
					          "that does not match its commitments", path, l, i);
		} else {
			cli_error("%s: %s: %s", path, tv_status_str(st), tv_ctx_last_error(ctx));
		}
	}
}

/*
 * The box checks the whole transcript in @p folder (FOLDER/commit-I.json,
 * reveal-I.json, result-I.json) and records the election key; on any
 * failure nothing is stored, and the error names the file.
 */
static int import_folder(tv_ctx *ctx, tv_box *box, const tv_ceremony_kit *kit,
                         const char *folder)
{
	uint32_t n = kit_trustees(kit);
	ceremony_files files = { { NULL } };
	char path[4096];
	tv_status st;
	int rc;

	if ((rc = load_messages(files.commits, folder, "commit", n, "cannot record the key")) != 0 ||
	    (rc = load_messages(files.reveals, folder, "reveal", n, "cannot record the key")) != 0) {
		rc = rc == -2 ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	if ((rc = load_messages(files.results, folder, "result", n, "cannot record the key")) != 0) {
		if (rc == -2)
			report_complaints(ctx, kit, folder, &files);
		rc = rc == -2 ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	if ((rc = check_senders(files.commits, folder, "commit", n)) != CLI_OK ||
	    (rc = check_senders(files.reveals, folder, "reveal", n)) != CLI_OK ||
	    (rc = check_senders(files.results, folder, "result", n)) != CLI_OK)
		goto out;
	st = tv_box_set_election_key(ctx, box, (const char *const *)files.commits,
	                             (const char *const *)files.reveals,
	                             (const char *const *)files.results, n);
	if (st != TV_OK) {
		const char *detail = tv_ctx_last_error(ctx);

		if (st == TV_ERR_CEREMONY_INVALID && blamed_file(path, sizeof(path), folder, detail)) {
			cli_error("%s: %s. Nothing was recorded.", path, detail);
			rc = CLI_FAILED;
		} else {
			rc = cli_lib_error(ctx, "recording the election key", st);
		}
		goto out;
	}
	rc = CLI_OK;
out:
	files_free(&files);
	return rc;
}

/* one folder: when every result is in, record the key (or it already is) */
static int finish(tv_ctx *ctx, tv_box *box, const tv_ceremony_kit *kit, const char *dir,
                  bool *done)
{
	uint32_t n = kit_trustees(kit), i;
	char path[4096], folder[4096];
	tv_box_status s;
	tv_status st;
	int rc;

	*done = false;
	for (i = 1; i <= n; i++) {
		path_of(path, sizeof(path), dir, "result", i);
		if (access(path, F_OK) != 0)
			return CLI_OK; /* others still to combine */
	}
	if ((st = tv_box_get_status(ctx, &s, box)) != TV_OK)
		return cli_lib_error(ctx, "reading the election", st);
	if (s.election_key_ready) {
		*done = true;
		return CLI_OK;
	}
	snprintf(folder, sizeof(folder), "%s/ceremony", dir);
	if ((rc = import_folder(ctx, box, kit, folder)) == CLI_OK)
		*done = true;
	return rc;
}

/* ------------------------------------------------------------------ verbs */

void cli_trustee_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote trustee keygen  --trustee I --kit KIT [-d TDIR] [--passphrase-file F]\n"
	        "       tenantvote trustee share   --trustee I --kit KIT [-d TDIR] [--passphrase-file F]\n"
	        "       tenantvote trustee combine --trustee I --kit KIT [-d TDIR] [--passphrase-file F]\n"
	        "       tenantvote trustee keygen|share|combine --trustee I [-d DIR] [--passphrase-file F]\n"
	        "       tenantvote trustee decrypt --trustee I --record R [-d TDIR]\n"
	        "                                  [--passphrase-file F]\n"
	        "\n"
	        "The trustees' key ceremony, run by each trustee in turn. Together the\n"
	        "trustees make the election key so that any K of the N of them can\n"
	        "decrypt the count, and fewer cannot; nobody, the returning officer\n"
	        "included, can decrypt a ballot alone.\n"
	        "\n"
	        "Each trustee works in a folder of its own, TDIR, on its own machine,\n"
	        "from the ceremony kit KIT the returning officer made with 'tenantvote\n"
	        "ceremony kit': the election's manifest and ceremony fingerprint, and\n"
	        "nothing about any tenant. The trustee never needs election.db.\n"
	        "\n"
	        "  keygen   make this trustee's secret (saved encrypted under the trustee's\n"
	        "           passphrase in TDIR/trustees/trustee-I.secret, mode 0600) and\n"
	        "           publish its commitment, TDIR/ceremony/commit-I.json\n"
	        "  share    once every trustee's commit file is copied into TDIR/ceremony/:\n"
	        "           check them and publish the encrypted shares, reveal-I.json\n"
	        "  combine  once every reveal file is in: check every share against its\n"
	        "           sender's commitments, keep this trustee's share of the key\n"
	        "           and publish result-I.json. A bad share is blamed on its sender\n"
	        "           with a complaint anyone can check (complaint-I.json).\n"
	        "\n"
	        "Every message must be bound to the kit's ceremony fingerprint. The\n"
	        "trustees copy each other's commit and reveal files into their own\n"
	        "ceremony/ folders; the returning officer collects every commit, reveal\n"
	        "and result file and runs 'tenantvote ceremony import'. The secret files\n"
	        "never leave their owner.\n"
	        "\n"
	        "Without --kit, DIR is the election folder itself (one machine): the kit\n"
	        "is made from its box, and the last combine records the election key.\n"
	        "\n"
	        "  decrypt  after close: check the board the officer published for the\n"
	        "           trustees (R, from 'tenantvote export --for-trustees'), add up its\n"
	        "           sums here, and write this trustee's partial decryption of them,\n"
	        "           with proofs, to TDIR/decryptions/trustee-I.json. It never\n"
	        "           decrypts a tally it is handed: that could be one tenant's ballot.\n"
	        "           It decrypts one closed board only (TDIR/decryptions/\n"
	        "           trustee-I.board remembers which), and only a board of the\n"
	        "           credential list its key ceremony was bound to.\n"
	        "\n"
	        "  --trustee I           this trustee's number, 1..N\n"
	        "  --kit KIT             (keygen, share, combine) the ceremony kit\n"
	        "  --record R            (decrypt) the record to check and count from\n"
	        "  --passphrase-file F   read the passphrase from F (else the\n"
	        "                        TENANTVOTE_PASSPHRASE variable, else a prompt)\n"
	        "  -d, --dir DIR         the trustee's folder, or without --kit the\n"
	        "                        election folder (default .)\n"
	        "  --json                print what the step wrote as JSON\n"
	        "  -h, --help            this help\n");
}

int cli_trustee(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "trustee", required_argument, NULL, 't' },
		{ "kit", required_argument, NULL, 'k' },
		{ "record", required_argument, NULL, 'r' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *pass_file = NULL, *action, *record = NULL, *kit_path = NULL;
	char published[4096];
	bool json = false;
	char *passphrase = NULL, who[64], *end;
	unsigned long index = 0;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_ceremony_kit *kit = NULL;
	bool key_ready = false;
	tv_point announced;
	int rc, opt;

	if (argc >= 2 && cli_is_help(argv[1])) {
		cli_trustee_help(stdout);
		return CLI_OK;
	}
	if (argc < 2 || (strcmp(argv[1], "keygen") != 0 && strcmp(argv[1], "share") != 0 &&
	                 strcmp(argv[1], "combine") != 0 && strcmp(argv[1], "decrypt") != 0)) {
		cli_error("trustee: the action is keygen, share, combine or decrypt; see 'tenantvote "
		          "trustee --help'");
		return CLI_USAGE;
	}
	action = argv[1];
	argc--, argv++;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			errno = 0;
			index = strtoul(optarg, &end, 10);
			if (errno || *end || optarg[0] == '-' || index == 0 || index > TV_MAX_TRUSTEES) {
				cli_error("--trustee takes a number from 1 to %d, not '%s'", TV_MAX_TRUSTEES, optarg);
				return CLI_USAGE;
			}
			break;
		case 'k': kit_path = optarg; break;
		case 'p': pass_file = optarg; break;
		case 'r': record = optarg; break;
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_trustee_help(stdout); return CLI_OK;
		default: cli_trustee_help(stderr); return CLI_USAGE;
		}
	}
	if (index == 0 || optind != argc) {
		cli_error("trustee %s needs --trustee I and nothing else", action);
		return CLI_USAGE;
	}
	if ((strcmp(action, "decrypt") == 0) != (record != NULL)) {
		cli_error(record != NULL ? "--record goes with trustee decrypt only"
		                         : "trustee decrypt needs --record R: the board published for "
		                           "the trustees ('tenantvote export --for-trustees'), which "
		                           "it checks and counts itself");
		return CLI_USAGE;
	}
	if (record != NULL && kit_path != NULL) {
		cli_error("--kit goes with keygen, share and combine: decrypt needs only the record");
		return CLI_USAGE;
	}
	if (record != NULL) {
		/* a trustee's own machine: no ballot box, only the record */
		snprintf(who, sizeof(who), "trustee %lu", index);
		if ((passphrase = cli_passphrase(pass_file, who, false)) == NULL)
			return CLI_USAGE;
		if (tv_ctx_new(&ctx, NULL) != TV_OK) {
			cli_error("cannot start the library");
			rc = CLI_ERROR;
		} else {
			rc = cli_trustee_decrypt(ctx, record, dir, (uint32_t)index, passphrase, json);
		}
		goto out;
	}
	if (kit_path != NULL) {
		/* a trustee's own machine: the public kit, never the box */
		if (tv_ctx_new(&ctx, NULL) != TV_OK) {
			cli_error("cannot start the library");
			rc = CLI_ERROR;
			goto out;
		}
		if ((rc = kit_from_file(ctx, &kit, kit_path)) != CLI_OK)
			goto out;
	} else if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK ||
	           (rc = kit_from_box(ctx, &kit, box)) != CLI_OK) {
		goto out;
	}
	if (index > kit_trustees(kit)) {
		cli_error("this election has %u trustees; there is no trustee %lu", kit_trustees(kit),
		          index);
		rc = CLI_USAGE;
		goto out;
	}
	snprintf(who, sizeof(who), "trustee %lu", index);
	/* keygen makes the trustee's secret file: its passphrase must be strong */
	passphrase = strcmp(action, "keygen") == 0
	                     ? cli_passphrase_new(pass_file, "TENANTVOTE_PASSPHRASE", who)
	                     : cli_passphrase(pass_file, who, false);
	if (passphrase == NULL) {
		rc = cli_passphrase_refused ? CLI_FAILED : CLI_USAGE;
		goto out;
	}
	if (strcmp(action, "keygen") == 0) {
		rc = step_keygen(ctx, kit, dir, (uint32_t)index, passphrase);
		if (rc == CLI_OK) {
			uint8_t f[TV_CEREMONY_FINGERPRINT_BYTES];
			char hex[2 * TV_CEREMONY_FINGERPRINT_BYTES + 1];

			uint8_t a[32], l[32];
			char ahex[65], lhex[65];

			(void)tv_ceremony_kit_credentials(kit, a, l);
			tv_ceremony_kit_context(f, kit);
			cli_hex(hex, f, sizeof(f));
			cli_hex(ahex, a, sizeof(a));
			cli_hex(lhex, l, sizeof(l));
			snprintf(published, sizeof(published), "%s/ceremony/commit-%lu.json", dir, index);
			if (json)
				cli_print_json(json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "trustee",
				                         (int)index, "step", "keygen", "published",
				                         published, "ceremony_fingerprint", hex,
				                         "authority_key", ahex, "list_digest", lhex));
			else
				printf("Trustee %lu: keys made; commitment published in %s\n"
				       "Ceremony fingerprint: %s\n"
				       "  It must be the one the credential authority published, and every\n"
				       "  other trustee's: else this ceremony is bound to another list.\n"
				       "Credential authority's key: %s\n"
				       "Its list's digest:          %s\n",
				       index, published, hex, ahex, lhex);
		}
	} else if (strcmp(action, "share") == 0) {
		rc = step_share(ctx, kit, dir, (uint32_t)index, passphrase);
		snprintf(published, sizeof(published), "%s/ceremony/reveal-%lu.json", dir, index);
		if (rc == CLI_OK && json)
			cli_print_json(json_pack("{s:i, s:s, s:s}", "trustee", (int)index, "step", "share",
			                         "published", published));
		else if (rc == CLI_OK)
			printf("Trustee %lu: encrypted shares published in %s\n", index, published);
	} else {
		rc = step_combine(ctx, kit, dir, (uint32_t)index, passphrase, &announced);
		if (rc == CLI_OK && box != NULL)
			rc = finish(ctx, box, kit, dir, &key_ready);
		snprintf(published, sizeof(published), "%s/ceremony/result-%lu.json", dir, index);
		if (rc == CLI_OK && json) {
			char hex[2 * TV_POINT_BYTES + 1];

			tv_point_to_hex(hex, &announced);
			cli_print_json(json_pack("{s:i, s:s, s:s, s:b, s:s}", "trustee", (int)index,
			                         "step", "combine", "published", published,
			                         "election_key_recorded", key_ready, "election_key", hex));
		} else if (rc == CLI_OK && box != NULL)
			printf("Trustee %lu: shares checked; key share kept.%s\n", index,
			       key_ready ? " Every trustee is done: the election key is recorded." : "");
		else if (rc == CLI_OK)
			printf("Trustee %lu: shares checked; key share kept. Give %s/ceremony/result-%lu.json "
			       "to the returning officer.\n", index, dir, index);
		if (rc == CLI_OK && !json) {
			char hex[2 * TV_POINT_BYTES + 1];

			tv_point_to_hex(hex, &announced);
			printf("Election key (announce it: the published record must hold this one):\n"
			       "%s\n", hex);
		}
	}
out:
	cli_passphrase_free(passphrase);
	tv_ceremony_kit_free(kit);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

int cli_ceremony_run(tv_ctx *ctx, tv_box *box, const char *dir,
                     const char *const *passphrases, bool *key_ready)
{
	tv_ceremony_kit *kit = NULL;
	uint32_t n, i;
	int rc;

	*key_ready = false;
	/* the steps trustees run on their own machines, from the same kit */
	if ((rc = kit_from_box(ctx, &kit, box)) != CLI_OK)
		return rc;
	n = kit_trustees(kit);
	for (i = 1; i <= n && rc == CLI_OK; i++) {
		cli_progress("key ceremony: making keys", i, n);
		rc = step_keygen(ctx, kit, dir, i, passphrases[i - 1]);
	}
	for (i = 1; i <= n && rc == CLI_OK; i++) {
		cli_progress("key ceremony: sharing", i, n);
		rc = step_share(ctx, kit, dir, i, passphrases[i - 1]);
	}
	for (i = 1; i <= n && rc == CLI_OK; i++) {
		cli_progress("key ceremony: combining", i, n);
		rc = step_combine(ctx, kit, dir, i, passphrases[i - 1], NULL);
	}
	cli_progress_end();
	if (rc == CLI_OK)
		rc = finish(ctx, box, kit, dir, key_ready);
	tv_ceremony_kit_free(kit);
	return rc;
}

int cli_trustee_load(tv_ctx *ctx, tv_trustee **t, const char *dir, uint32_t index,
                     const char *passphrase)
{
	return load_state(ctx, t, dir, index, passphrase);
}

static void count_progress(const char *what, uint64_t done, uint64_t total, void *payload)
{
	(void)payload;
	cli_progress(what, (unsigned long)done, (unsigned long)total);
}

/*
 * A trustee decrypts the count of one board only (SPEC §16.3): the first
 * decryption writes DIR/decryptions/trustee-I.board, the closed board's
 * head and size, before anything is decrypted. A second record of the same
 * election with another board is refused: counting a board that holds one
 * tenant's ballot and few others is how that vote would be revealed.
 */
static int decrypt_once(const char *dir, uint32_t index, const tv_tally_info *info)
{
	char path[4096], want[192], have[193], head[65], election[65];
	ssize_t n;
	int fd;

	cli_hex(head, info->head, 32);
	cli_hex(election, info->election, 32);
	snprintf(want, sizeof(want), "%s %s %llu\n", election, head,
	         (unsigned long long)info->entries);
	snprintf(path, sizeof(path), "%s/decryptions/trustee-%u.board", dir, index);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		n = read(fd, have, sizeof(have) - 1);
		close(fd);
		have[n > 0 ? n : 0] = '\0';
		if (strcmp(have, want) == 0)
			return CLI_OK; /* the same board again: the same sums */
		cli_error("trustee %u has already decrypted the count of another board of this "
		          "election (%s): a trustee decrypts one closed board only, because counting "
		          "a second board with few ballots on it would reveal how those tenants "
		          "voted. If the officer says the first was a mistake, ask why in public.",
		          index, path);
		return CLI_FAILED;
	}
	if (errno != ENOENT) {
		cli_error("cannot read %s: %s", path, cli_strerror(errno));
		return CLI_ERROR;
	}
	return cli_write_new(path, want, 0644);
}

int cli_trustee_decrypt(tv_ctx *ctx, const char *record, const char *dir, uint32_t index,
                        const char *passphrase, bool json)
{
	tv_trustee *trustee = NULL;
	tv_tally *t = NULL;
	tv_tally_info info;
	uint64_t spoilt = 0;
	char path[4096], *text = NULL;
	tv_status st;
	int rc;

	/* the trustee's own check of the board, and its own sums (SPEC §16.3) */
	st = tv_record_tally(ctx, &t, record, 0, NULL, NULL, count_progress, NULL);
	cli_progress_end();
	if (st != TV_OK) {
		rc = cli_lib_error(ctx, "checking the record before decrypting", st);
		goto out;
	}
	if ((rc = cli_trustee_load(ctx, &trustee, dir, index, passphrase)) != CLI_OK)
		goto out;
	tv_tally_get_info(&info, t);
	snprintf(path, sizeof(path), "%s/decryptions", dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		cli_error("cannot create %s: %s", path, cli_strerror(errno));
		rc = CLI_ERROR;
		goto out;
	}
	/* the library's checks first (this trustee's ceremony and list), so a
	 * record of another ceremony cannot use up the one board */
	if ((st = tv_tally_decrypt(ctx, &text, t, trustee, info.election)) != TV_OK) {
		rc = cli_lib_error(ctx, "decrypting the totals", st);
		goto out;
	}
	if ((rc = decrypt_once(dir, index, &info)) != CLI_OK)
		goto out;
	snprintf(path, sizeof(path), "%s/decryptions/trustee-%u.json", dir, index);
	for (size_t i = 0; i < TV_SPOILT_REASONS; i++)
		spoilt += info.spoilt[i];
	if ((rc = cli_write_new(path, text, 0644)) != CLI_OK)
		goto out;
	if (json)
		cli_print_json(json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I}", "trustee", (int)index,
		                         "step", "decrypt", "decryption", path, "entries",
		                         (json_int_t)info.entries, "counted",
		                         (json_int_t)(info.ballots + spoilt), "ballots",
		                         (json_int_t)info.ballots, "spoilt", (json_int_t)spoilt));
	else
		printf("Trustee %u: the record checks (%llu board entries, %llu counted: %llu "
		       "ballots and %llu spoilt papers); its sums were added up here and decrypted, "
		       "with proofs, in %s\n", index, (unsigned long long)info.entries,
		       (unsigned long long)(info.ballots + spoilt), (unsigned long long)info.ballots,
		       (unsigned long long)spoilt, path);
out:
	tv_free(ctx, text);
	tv_trustee_free(trustee);
	tv_tally_free(t);
	return rc;
}

void cli_ceremony_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote ceremony kit --out KIT [-d DIR]\n"
	        "       tenantvote ceremony import --from FOLDER [-d DIR] [--json]\n"
	        "       tenantvote ceremony [-d DIR] [--passphrase-file F ...] [--json]\n"
	        "\n"
	        "The trustees' key ceremony, as the returning officer sees it.\n"
	        "\n"
	        "  kit      write the public ceremony kit to the new file KIT: the\n"
	        "           election's manifest and the ceremony fingerprint every\n"
	        "           trustee's message is bound to, and nothing about any tenant.\n"
	        "           Give a copy to each trustee ('tenantvote trustee ... --kit KIT').\n"
	        "  import   once every trustee has combined: check the whole transcript,\n"
	        "           FOLDER/commit-I.json, reveal-I.json and result-I.json for every\n"
	        "           trustee I, and record the election key. A missing or bad file\n"
	        "           is named, and nothing is recorded; a complaint-I.json is\n"
	        "           checked and its verdict shown.\n"
	        "\n"
	        "With no action, runs the whole ceremony, every trustee's keygen, share\n"
	        "and combine, on this machine, in DIR: for demonstrations and tests.\n"
	        "\n"
	        "  --out KIT             (kit) the file to write; never overwritten\n"
	        "  --from FOLDER         (import) the folder of collected message files\n"
	        "  --passphrase-file F   give once for all trustees, or once per trustee in\n"
	        "                        order; without it TENANTVOTE_PASSPHRASE is used\n"
	        "  -d, --dir DIR         the election folder (default .)\n"
	        "  --json                print the election key as JSON\n"
	        "  -h, --help            this help\n");
}

/* print the recorded election key, as text or JSON */
static int print_key(tv_ctx *ctx, tv_box *box, bool json, const char *intro)
{
	const tv_manifest *m = tv_box_manifest(box);
	tv_election_key key;
	char hex[TV_POINT_HEX_LEN + 1];
	tv_status st = tv_box_election_key(ctx, &key, box);

	if (st != TV_OK)
		return cli_lib_error(ctx, "reading the election key", st);
	tv_point_to_hex(hex, &key.key);
	if (json)
		cli_print_json(json_pack("{s:s, s:I, s:I}", "election_key", hex, "trustees",
		                         (json_int_t)tv_manifest_trustees(m), "threshold",
		                         (json_int_t)tv_manifest_threshold(m)));
	else
		printf("%s: %u trustees, any %u can decrypt the count.\nElection key: %s\n", intro,
		       tv_manifest_trustees(m), tv_manifest_threshold(m), hex);
	return CLI_OK;
}

static int ceremony_kit(const char *dir, const char *out)
{
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_ceremony_kit *kit = NULL;
	char *text = NULL, hex[2 * TV_CEREMONY_FINGERPRINT_BYTES + 1];
	uint8_t f[TV_CEREMONY_FINGERPRINT_BYTES];
	size_t len = 0;
	tv_status st;
	int rc;

	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	if ((st = tv_box_ceremony_kit(ctx, &text, &len, box)) != TV_OK ||
	    (st = tv_ceremony_kit_from_json(ctx, &kit, text, len)) != TV_OK) {
		rc = cli_lib_error(ctx, "making the ceremony kit", st);
		goto out;
	}
	if ((rc = cli_write_new(out, text, 0644)) != CLI_OK)
		goto out;
	tv_ceremony_kit_context(f, kit);
	cli_hex(hex, f, sizeof(f));
	printf("Ceremony kit for %s written to %s: give a copy to each of the %u trustees.\n"
	       "Ceremony fingerprint (each trustee should see the same): %s\n",
	       tv_manifest_election_id(tv_box_manifest(box)), out, kit_trustees(kit), hex);
out:
	tv_free(ctx, text);
	tv_ceremony_kit_free(kit);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

static int ceremony_import(const char *dir, const char *from, bool json)
{
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_ceremony_kit *kit = NULL;
	int rc;

	/* the kit refuses when the key is already recorded */
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK ||
	    (rc = kit_from_box(ctx, &kit, box)) != CLI_OK ||
	    (rc = import_folder(ctx, box, kit, from)) != CLI_OK)
		goto out;
	rc = print_key(ctx, box, json, "Election key recorded from the trustees' messages");
out:
	tv_ceremony_kit_free(kit);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

int cli_ceremony(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, 'f' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *pass_files[MAX_PASSPHRASE_FILES], *action = NULL;
	const char *out_path = NULL, *from = NULL;
	char *passphrases[TV_MAX_TRUSTEES] = { NULL };
	size_t npass = 0;
	bool json = false, key_ready = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	uint32_t n, i;
	int rc, opt;

	if (argc >= 2 && (strcmp(argv[1], "kit") == 0 || strcmp(argv[1], "import") == 0)) {
		action = argv[1];
		argc--, argv++;
	}
	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (npass == MAX_PASSPHRASE_FILES) {
				cli_error("at most %d --passphrase-file", MAX_PASSPHRASE_FILES);
				return CLI_USAGE;
			}
			pass_files[npass++] = optarg;
			break;
		case 'o': out_path = optarg; break;
		case 'f': from = optarg; break;
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_ceremony_help(stdout); return CLI_OK;
		default: cli_ceremony_help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		cli_error("ceremony takes no argument '%s'; the actions are kit and import",
		          argv[optind]);
		return CLI_USAGE;
	}
	if ((out_path != NULL) != (action != NULL && strcmp(action, "kit") == 0) ||
	    (from != NULL) != (action != NULL && strcmp(action, "import") == 0) ||
	    (action != NULL && npass > 0) || (action != NULL && strcmp(action, "kit") == 0 && json)) {
		cli_error("ceremony kit needs --out KIT, ceremony import needs --from FOLDER, and "
		          "--passphrase-file goes with the whole ceremony only; see 'tenantvote "
		          "ceremony --help'");
		return CLI_USAGE;
	}
	if (action != NULL && strcmp(action, "kit") == 0)
		return ceremony_kit(dir, out_path);
	if (action != NULL)
		return ceremony_import(dir, from, json);
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	n = tv_manifest_trustees(tv_box_manifest(box));
	if (npass > 1 && npass != n) {
		cli_error("give one --passphrase-file for all trustees, or %u (one each), not %zu", n, npass);
		rc = CLI_USAGE;
		goto out;
	}
	for (i = 0; i < n; i++) {
		char who[64];

		snprintf(who, sizeof(who), "trustee %u", i + 1);
		passphrases[i] = cli_passphrase_new(npass == 0 ? NULL
		                                               : pass_files[npass == 1 ? 0 : i],
		                                     "TENANTVOTE_PASSPHRASE", who);
		if (passphrases[i] == NULL) {
			rc = cli_passphrase_refused ? CLI_FAILED : CLI_USAGE;
			goto out;
		}
	}
	rc = cli_ceremony_run(ctx, box, dir, (const char *const *)passphrases, &key_ready);
	if (rc != CLI_OK)
		goto out;
	if (!key_ready) {
		cli_error("the ceremony finished but no election key was recorded");
		rc = CLI_ERROR;
		goto out;
	}
	rc = print_key(ctx, box, json, "Key ceremony done");
out:
	for (i = 0; i < TV_MAX_TRUSTEES; i++)
		cli_passphrase_free(passphrases[i]);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}
