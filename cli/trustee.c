/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The trustees' key ceremony (SPEC §12), one trustee at a time:
 *   trustee keygen  -> trustees/trustee-I.secret (encrypted), ceremony/commit-I.json
 *   trustee share   -> ceremony/reveal-I.json   (needs every commit)
 *   trustee combine -> ceremony/result-I.json   (needs every reveal);
 *                      the last one records the election key in the box
 * and `tenantvote ceremony`, which runs all of it for a demo or a test.
 * Trustees on different machines exchange the ceremony/ files; secrets
 * never leave trustees/, and only encrypted.
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
} ceremony_files;

static void files_free(ceremony_files *f)
{
	for (int i = 0; i < TV_MAX_TRUSTEES; i++) {
		free(f->commits[i]);
		free(f->reveals[i]);
		free(f->results[i]);
	}
	memset(f, 0, sizeof(*f));
}

static void path_of(char *out, size_t size, const char *dir, const char *kind, uint32_t i)
{
	if (strcmp(kind, "secret") == 0)
		snprintf(out, size, "%s/trustees/trustee-%u.secret", dir, i);
	else
		snprintf(out, size, "%s/ceremony/%s-%u.json", dir, kind, i);
}

static int ensure_dirs(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/trustees", dir);
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		cli_error("cannot make %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/ceremony", dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		cli_error("cannot make %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* fsync the folder holding @p path, so a rename or link in it is durable */
static int sync_parent(const char *path)
{
	char dir[4096];
	char *slash;
	int fd, rc;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
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
		cli_error("cannot write %s: %s", path, strerror(errno));
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
		if (link(tmp, path) != 0) {
			if (errno == EEXIST)
				cli_error("%s already exists", path);
			else
				cli_error("cannot write %s: %s", path, strerror(errno));
			unlink(tmp);
			return -1;
		}
		unlink(tmp);
	}
	if (sync_parent(path) != 0) {
		cli_error("%s is written but its folder could not be synced: %s", path, strerror(errno));
		return -1;
	}
	return 0;
fail:
	cli_error("cannot write %s: %s", path, errno == ENOSPC ? "the disk is full" : strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

/* load every trustee's message of @p kind; list the missing ones */
static int load_messages(char **out, const char *dir, const char *kind, uint32_t n,
                         const char *waiting_for)
{
	char missing[256] = "";
	size_t used = 0;
	int count = 0;

	for (uint32_t i = 1; i <= n; i++) {
		char path[4096];
		size_t len;

		path_of(path, sizeof(path), dir, kind, i);
		if (access(path, F_OK) != 0) {
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
		cli_error("%s: no %s message yet from trustee%s %s (looked in %s/ceremony/)",
		          waiting_for, kind, strchr(missing, ',') ? "s" : "", missing, dir);
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

/* ----------------------------------------------------------------- steps */

static int step_keygen(tv_ctx *ctx, tv_box *box, const char *dir, uint32_t index,
                       const char *passphrase)
{
	const tv_manifest *m = tv_box_manifest(box);
	uint8_t f[32];
	tv_trustee *t = NULL;
	char *commit = NULL, path[4096];
	tv_box_status s;
	tv_status st;
	int rc = CLI_ERROR;

	if ((st = tv_box_get_status(ctx, &s, box)) != TV_OK)
		return cli_lib_error(ctx, "reading the election", st);
	if (s.election_key_ready || s.phase != TV_PHASE_SETUP) {
		cli_error("the election key already exists: the key ceremony is over");
		return CLI_FAILED;
	}
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
			if ((rc = load_state(ctx, &t, dir, index, passphrase)) != CLI_OK)
				goto out;
			rc = CLI_ERROR;
			goto publish;
		}
	}
	/* bound to the election and the credential authority's signed list */
	if ((st = tv_box_ceremony_context(ctx, f, box)) != TV_OK) {
		rc = cli_lib_error(ctx, "the credential list the ceremony is bound to", st);
		goto out;
	}
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

static int step_share(tv_ctx *ctx, tv_box *box, const char *dir, uint32_t index,
                      const char *passphrase)
{
	uint32_t n = tv_manifest_trustees(tv_box_manifest(box));
	ceremony_files files = { { NULL } };
	tv_trustee *t = NULL;
	char *reveal = NULL, path[4096];
	tv_status st;
	int rc;

	path_of(path, sizeof(path), dir, "reveal", index);
	if ((rc = load_state(ctx, &t, dir, index, passphrase)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if ((rc = load_messages(files.commits, dir, "commit", n, "cannot share yet")) != 0) {
		rc = rc == -2 ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
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

static int finish(tv_ctx *ctx, tv_box *box, const char *dir, bool *done);

static int step_combine(tv_ctx *ctx, tv_box *box, const char *dir, uint32_t index,
                        const char *passphrase, bool *key_ready)
{
	uint32_t n = tv_manifest_trustees(tv_box_manifest(box));
	ceremony_files files = { { NULL } };
	tv_trustee *t = NULL;
	char *result = NULL, *complaint = NULL, path[4096];
	tv_status st;
	int rc;

	if ((rc = load_state(ctx, &t, dir, index, passphrase)) != CLI_OK)
		goto out;
	rc = CLI_ERROR;
	if ((rc = load_messages(files.commits, dir, "commit", n, "cannot combine")) != 0 ||
	    (rc = load_messages(files.reveals, dir, "reveal", n, "cannot combine yet")) != 0) {
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
	if (write_public(path, result, true) != 0) {
		rc = CLI_ERROR;
		goto out;
	}
	rc = finish(ctx, box, dir, key_ready);
out:
	tv_free(ctx, result);
	tv_free(ctx, complaint);
	tv_trustee_free(t);
	files_free(&files);
	return rc;
}

/* when every result is in, the box verifies the transcript and records the key */
static int finish(tv_ctx *ctx, tv_box *box, const char *dir, bool *done)
{
	uint32_t n = tv_manifest_trustees(tv_box_manifest(box)), i;
	ceremony_files files = { { NULL } };
	char path[4096];
	tv_box_status s;
	tv_status st;
	int rc = CLI_ERROR;

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
	if (load_messages(files.commits, dir, "commit", n, "finishing") != 0 ||
	    load_messages(files.reveals, dir, "reveal", n, "finishing") != 0 ||
	    load_messages(files.results, dir, "result", n, "finishing") != 0)
		goto out;
	if ((st = tv_box_set_election_key(ctx, box, (const char *const *)files.commits,
	                                  (const char *const *)files.reveals,
	                                  (const char *const *)files.results, n)) != TV_OK) {
		rc = cli_lib_error(ctx, "recording the election key", st);
		goto out;
	}
	*done = true;
	rc = CLI_OK;
out:
	files_free(&files);
	return rc;
}

/* ------------------------------------------------------------------ verbs */

void cli_trustee_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote trustee keygen  --trustee I [-d DIR] [--passphrase-file F]\n"
	        "       tenantvote trustee share   --trustee I [-d DIR] [--passphrase-file F]\n"
	        "       tenantvote trustee combine --trustee I [-d DIR] [--passphrase-file F]\n"
	        "       tenantvote trustee decrypt --trustee I --record R [-d DIR]\n"
	        "                                  [--passphrase-file F]\n"
	        "\n"
	        "The trustees' key ceremony, run by each trustee in turn. Together the\n"
	        "trustees make the election key so that any K of the N of them can\n"
	        "decrypt the count, and fewer cannot; nobody, the returning officer\n"
	        "included, can decrypt a ballot alone.\n"
	        "\n"
	        "  keygen   make this trustee's secret (saved encrypted under the trustee's\n"
	        "           passphrase in DIR/trustees/trustee-I.secret, mode 0600) and\n"
	        "           publish its commitment, DIR/ceremony/commit-I.json\n"
	        "  share    once every trustee's commit file is in DIR/ceremony/: check\n"
	        "           them and publish the encrypted shares, reveal-I.json\n"
	        "  combine  once every reveal file is in: check every share against its\n"
	        "           sender's commitments, keep this trustee's share of the key\n"
	        "           and publish result-I.json. A bad share is blamed on its sender\n"
	        "           with a complaint anyone can check (complaint-I.json). When\n"
	        "           every result is in, the election key is recorded.\n"
	        "\n"
	        "  decrypt  after close: check the board the officer published for the\n"
	        "           trustees (R, from 'tenantvote export --for-trustees'), add up its\n"
	        "           sums here, and write this trustee's partial decryption of them,\n"
	        "           with proofs, to DIR/decryptions/trustee-I.json. It never decrypts\n"
	        "           a tally it is handed: that could be one tenant's ballot. It\n"
	        "           decrypts one closed board only (DIR/decryptions/trustee-I.board\n"
	        "           remembers which), and only a board of the credential list its\n"
	        "           key ceremony was bound to.\n"
	        "\n"
	        "Trustees on other machines copy the ceremony/ files between them; the\n"
	        "secret files never leave their owner.\n"
	        "\n"
	        "  --trustee I           this trustee's number, 1..N\n"
	        "  --record R            (decrypt) the record to check and count from\n"
	        "  --passphrase-file F   read the passphrase from F (else the\n"
	        "                        TENANTVOTE_PASSPHRASE variable, else a prompt)\n"
	        "  -d, --dir DIR         the election folder (default .)\n"
	        "  -h, --help            this help\n");
}

int cli_trustee(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "trustee", required_argument, NULL, 't' },
		{ "record", required_argument, NULL, 'r' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *pass_file = NULL, *action, *record = NULL;
	char *passphrase = NULL, who[64], *end;
	unsigned long index = 0;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	bool key_ready = false;
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
		case 'p': pass_file = optarg; break;
		case 'r': record = optarg; break;
		case 'd': dir = optarg; break;
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
	if (record != NULL) {
		/* a trustee's own machine: no ballot box, only the record */
		snprintf(who, sizeof(who), "trustee %lu", index);
		if ((passphrase = cli_passphrase(pass_file, who, false)) == NULL)
			return CLI_USAGE;
		if (tv_ctx_new(&ctx, NULL) != TV_OK) {
			cli_error("cannot start the library");
			rc = CLI_ERROR;
		} else {
			rc = cli_trustee_decrypt(ctx, record, dir, (uint32_t)index, passphrase);
		}
		goto out;
	}
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	if (index > tv_manifest_trustees(tv_box_manifest(box))) {
		cli_error("this election has %u trustees; there is no trustee %lu",
		          tv_manifest_trustees(tv_box_manifest(box)), index);
		rc = CLI_USAGE;
		goto out;
	}
	snprintf(who, sizeof(who), "trustee %lu", index);
	passphrase = cli_passphrase(pass_file, who, strcmp(action, "keygen") == 0);
	if (passphrase == NULL) {
		rc = CLI_USAGE;
		goto out;
	}
	if (strcmp(action, "keygen") == 0) {
		rc = step_keygen(ctx, box, dir, (uint32_t)index, passphrase);
		if (rc == CLI_OK)
			printf("Trustee %lu: keys made; commitment published in %s/ceremony/commit-%lu.json\n",
			       index, dir, index);
	} else if (strcmp(action, "share") == 0) {
		rc = step_share(ctx, box, dir, (uint32_t)index, passphrase);
		if (rc == CLI_OK)
			printf("Trustee %lu: encrypted shares published in %s/ceremony/reveal-%lu.json\n",
			       index, dir, index);
	} else {
		rc = step_combine(ctx, box, dir, (uint32_t)index, passphrase, &key_ready);
		if (rc == CLI_OK)
			printf("Trustee %lu: shares checked; key share kept.%s\n", index,
			       key_ready ? " Every trustee is done: the election key is recorded." : "");
	}
out:
	cli_passphrase_free(passphrase);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}

int cli_ceremony_run(tv_ctx *ctx, tv_box *box, const char *dir,
                     const char *const *passphrases, bool *key_ready)
{
	uint32_t n = tv_manifest_trustees(tv_box_manifest(box)), i;
	int rc = CLI_OK;

	*key_ready = false;
	for (i = 1; i <= n && rc == CLI_OK; i++) {
		cli_progress("key ceremony: making keys", i, n);
		rc = step_keygen(ctx, box, dir, i, passphrases[i - 1]);
	}
	for (i = 1; i <= n && rc == CLI_OK; i++) {
		cli_progress("key ceremony: sharing", i, n);
		rc = step_share(ctx, box, dir, i, passphrases[i - 1]);
	}
	for (i = 1; i <= n && rc == CLI_OK; i++) {
		cli_progress("key ceremony: combining", i, n);
		rc = step_combine(ctx, box, dir, i, passphrases[i - 1], key_ready);
	}
	cli_progress_end();
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
	char path[4096], want[128], have[129], head[65];
	ssize_t n;
	int fd;

	cli_hex(head, info->head, 32);
	snprintf(want, sizeof(want), "%s %llu\n", head, (unsigned long long)info->entries);
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
		cli_error("cannot read %s: %s", path, strerror(errno));
		return CLI_ERROR;
	}
	return cli_write_new(path, want, 0644);
}

int cli_trustee_decrypt(tv_ctx *ctx, const char *record, const char *dir, uint32_t index,
                        const char *passphrase)
{
	tv_trustee *trustee = NULL;
	tv_tally *t = NULL;
	tv_tally_info info;
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
		cli_error("cannot create %s: %s", path, strerror(errno));
		rc = CLI_ERROR;
		goto out;
	}
	if ((rc = decrypt_once(dir, index, &info)) != CLI_OK)
		goto out;
	if ((st = tv_tally_decrypt(ctx, &text, t, trustee, info.election)) != TV_OK) {
		rc = cli_lib_error(ctx, "decrypting the totals", st);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/decryptions/trustee-%u.json", dir, index);
	if ((rc = cli_write_new(path, text, 0644)) == CLI_OK)
		printf("Trustee %u: the record checks (%llu entries, %llu counted ballots); its sums "
		       "were added up here and decrypted, with proofs, in %s\n", index,
		       (unsigned long long)info.entries, (unsigned long long)info.ballots, path);
out:
	tv_free(ctx, text);
	tv_trustee_free(trustee);
	tv_tally_free(t);
	return rc;
}

void cli_ceremony_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote ceremony [-d DIR] [--passphrase-file F ...]\n"
	        "\n"
	        "Runs the whole key ceremony, every trustee's keygen, share and combine,\n"
	        "on this machine: for demonstrations and tests. In a real ballot each\n"
	        "trustee runs 'tenantvote trustee' on their own machine.\n"
	        "\n"
	        "  --passphrase-file F   give once for all trustees, or once per trustee in\n"
	        "                        order; without it TENANTVOTE_PASSPHRASE is used\n"
	        "  -d, --dir DIR         the election folder (default .)\n"
	        "  --json                print the election key as JSON\n"
	        "  -h, --help            this help\n");
}

int cli_ceremony(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *pass_files[MAX_PASSPHRASE_FILES];
	char *passphrases[TV_MAX_TRUSTEES] = { NULL };
	size_t npass = 0;
	bool json = false, key_ready = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	uint32_t n, i;
	int rc, opt;

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
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_ceremony_help(stdout); return CLI_OK;
		default: cli_ceremony_help(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		cli_error("ceremony takes no argument '%s'", argv[optind]);
		return CLI_USAGE;
	}
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
		passphrases[i] = cli_passphrase(npass == 0 ? NULL : pass_files[npass == 1 ? 0 : i],
		                                 who, false);
		if (passphrases[i] == NULL) {
			rc = CLI_USAGE;
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
	{
		tv_election_key key;
		char hex[TV_POINT_HEX_LEN + 1];
		tv_status st = tv_box_election_key(ctx, &key, box);

		if (st != TV_OK) {
			rc = cli_lib_error(ctx, "reading the election key", st);
			goto out;
		}
		tv_point_to_hex(hex, &key.key);
		if (json)
			cli_print_json(json_pack("{s:s, s:I, s:I}", "election_key", hex, "trustees",
			                         (json_int_t)n, "threshold",
			                         (json_int_t)tv_manifest_threshold(tv_box_manifest(box))));
		else
			printf("Key ceremony done: %u trustees, any %u can decrypt the count.\n"
			       "Election key: %s\n", n, tv_manifest_threshold(tv_box_manifest(box)), hex);
	}
out:
	for (i = 0; i < TV_MAX_TRUSTEES; i++)
		cli_passphrase_free(passphrases[i]);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}
