/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Messages, progress and files for every verb. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "cli.h"

/*
 * Text from a record or any file may hold terminal control sequences: turn
 * every control character but newline and tab, and the C1 controls as
 * UTF-8, into '?', in place.
 */
void cli_safe_text(char *s)
{
	unsigned char *p = (unsigned char *)s;

	for (; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			p[0] = p[1] = '?';
	}
}

void cli_error(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_safe_text(msg);
	fprintf(stderr, "tenantvote: %s\n", msg);
}

int cli_lib_error(tv_ctx *ctx, const char *doing, tv_status status)
{
	const char *detail = tv_ctx_last_error(ctx);

	cli_error("%s: %s%s%s", doing, tv_status_str(status), *detail ? ": " : "", detail);
	/* refused (wrong input, wrong stage, already there) vs could not work */
	return tv_status_is_rejection(status) || status == TV_ERR_STATE || status == TV_ERR_EXISTS
	               ? CLI_FAILED
	               : CLI_ERROR;
}

const char *cli_strerror(int err)
{
	/* the officer's words: what happened, and that it is the disk, not the file */
	if (err == ENOSPC || err == EDQUOT)
		return "the disk is full: free some space on it and run the same command again";
	return strerror(err);
}

bool cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* progress goes to stderr, and only to a terminal: logs stay clean */
int cli_parse_threads(unsigned *out, const char *arg)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || n == 0 || n > 32) {
		cli_error("--threads takes a number from 1 to 32");
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

const char cli_code_alphabet[33] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* --progress json (cli_progress_mode), else a line on a terminal only */
int cli_progress_json;

static struct {
	char what[96];
	double start, last;
	int shown;
} prog;

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress(const char *what, unsigned long done, unsigned long total)
{
	double now = now_seconds(), rate, left;
	int saved_errno = errno;
	int terminal = isatty(STDERR_FILENO);

	/* isatty() sets errno (ENOTTY): a caller's failed write must still
	 * report its own cause, not "Inappropriate ioctl for device" */
	errno = saved_errno;
	if (!cli_progress_json && !terminal)
		return;
	/* a total passed is never below the count: shown as not known then */
	if (total > 0 && done > total)
		total = 0;
	/* a new step starts its own clock */
	if (strncmp(prog.what, what, sizeof(prog.what) - 1) != 0) {
		snprintf(prog.what, sizeof(prog.what), "%s", what);
		prog.start = now;
		prog.last = 0;
		prog.shown = 0;
	}
	/* at most ten lines a second, and always the last */
	if (prog.shown && now - prog.last < 0.1 && !(total > 0 && done >= total))
		return;
	prog.last = now;
	prog.shown = 1;
	rate = now > prog.start ? (double)done / (now - prog.start) : 0;
	left = rate > 0 && total > done ? (double)(total - done) / rate : 0;
	if (cli_progress_json) {
		/* one JSON object a line, for programs; "total" 0 when unknown */
		fprintf(stderr, "{\"progress\":\"%s\",\"done\":%lu,\"total\":%lu,\"per_second\":%.1f,"
		        "\"seconds_left\":%.0f}\n", what, done, total, rate, left);
	} else if (total > 0) {
		unsigned long secs = (unsigned long)(left + 0.5);

		fprintf(stderr, "\r\033[K%s: %lu of %lu (%lu%%)", what, done, total,
		        (unsigned long)(100.0 * (double)done / (double)total));
		/* the rate once there is one to tell */
		if (rate > 0 && done < total)
			fprintf(stderr, ", %.0f a second, about %lu:%02lu left", rate, secs / 60, secs % 60);
	} else {
		fprintf(stderr, "\r\033[K%s: %lu so far, %.0f a second", what, done, rate);
	}
	fflush(stderr);
	errno = saved_errno;
}

void cli_progress_end(void)
{
	int saved_errno = errno;

	prog.what[0] = '\0';
	if (!cli_progress_json && isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	errno = saved_errno;
}

char *cli_make_temp_dir(void)
{
	const char *base = getenv("TMPDIR");
	char *path;
	size_t len;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	len = strlen(base) + sizeof("/tenantvote-demo-XXXXXX");
	path = malloc(len);
	if (path == NULL)
		return NULL;
	snprintf(path, len, "%s/tenantvote-demo-XXXXXX", base);
	if (mkdtemp(path) == NULL) {
		free(path);
		return NULL;
	}
	return path;
}

void cli_hex(char *out, const uint8_t *in, size_t len)
{
	for (size_t i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", in[i]);
}

void cli_print_json(json_t *value)
{
	if (value == NULL) {
		cli_error("out of memory building JSON output");
		return;
	}
	/* UTF-8 as is (Welsh stays readable); keys in the order built */
	json_dumpf(value, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(value);
}

void cli_check_address(char *out, size_t size, const tv_manifest *m, const char *tracking_text)
{
	const char *board = tv_manifest_contact(m).board_url;

	out[0] = '\0';
	if (board[0] != '\0')
		snprintf(out, size, "%scheck.html#%s", board, tracking_text);
}

int cli_load_manifest(tv_ctx *ctx, tv_manifest **out, const char *path)
{
	size_t len;
	char *text = cli_read_file(path, &len, 1 << 20);
	tv_status st;

	*out = NULL;
	if (text == NULL)
		return CLI_ERROR;
	st = tv_manifest_from_json(ctx, out, text, len);
	free(text);
	if (st != TV_OK) {
		cli_error("%s: %s", path, tv_ctx_last_error(ctx));
		return tv_status_is_rejection(st) ? CLI_FAILED : CLI_ERROR;
	}
	return CLI_OK;
}

int cli_hash_file(uint8_t out[32], const char *path, const char *flag)
{
	unsigned char buf[65536];
	EVP_MD_CTX *md = NULL;
	FILE *f = fopen(path, "rb");
	uint64_t total = 0;
	size_t n;
	int rc = CLI_ERROR;

	if (f == NULL) {
		cli_error("%s %s: cannot open it: %s", flag, path, strerror(errno));
		return errno == ENOENT ? CLI_FAILED : CLI_ERROR;
	}
	if ((md = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		cli_error("%s: cannot start SHA-256", flag);
		goto out;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (EVP_DigestUpdate(md, buf, n) != 1) {
			cli_error("%s: SHA-256 failed", flag);
			goto out;
		}
		total += n;
	}
	if (ferror(f)) {
		cli_error("%s %s: cannot read it: %s", flag, path, strerror(errno));
		goto out;
	}
	if (total == 0) {
		cli_error("%s %s: the file is empty; give the offer document as published "
		          "(the PDF or text file tenants read)", flag, path);
		rc = CLI_FAILED;
		goto out;
	}
	if (EVP_DigestFinal_ex(md, out, NULL) != 1) {
		cli_error("%s: SHA-256 failed", flag);
		goto out;
	}
	rc = CLI_OK;
out:
	EVP_MD_CTX_free(md);
	fclose(f);
	return rc;
}

/* write @p text to a new file @p path (refused if it exists), synced */
int cli_write_new(const char *path, const char *text, mode_t mode)
{
	size_t n = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0) {
		cli_error("cannot create %s: %s", path,
		          errno == EEXIST ? "it already exists" : cli_strerror(errno));
		return errno == EEXIST ? CLI_FAILED : CLI_ERROR;
	}
	if (write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		close(fd);
		unlink(path);
		return CLI_ERROR;
	}
	close(fd);
	return CLI_OK;
}

int cli_sync_parent(const char *path)
{
	char dir[4096];
	char *slash;
	int fd, rc;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int cli_new_temp(char *tmp, size_t size, const char *path, mode_t mode)
{
	int fd;

	if ((size_t)snprintf(tmp, size, "%s.tmp-XXXXXX", path) >= size) {
		cli_error("cannot write %s: the name is too long", path);
		return -1;
	}
	/* mkstemp makes it 0600: owner-only from the first byte */
	if ((fd = mkstemp(tmp)) < 0) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		return -1;
	}
	if (mode != 0600 && fchmod(fd, mode) != 0) {
		cli_error("cannot write %s: %s", path, cli_strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	return fd;
}

int cli_link_new(const char *tmp, const char *path)
{
	/* link(), unlike rename(), never replaces a file that is there */
	int rc = link(tmp, path) == 0 ? CLI_OK : errno == EEXIST ? CLI_FAILED : CLI_ERROR;

	if (rc != CLI_OK)
		cli_error("cannot write %s: %s", path,
		          rc == CLI_FAILED ? "it already exists" : cli_strerror(errno));
	unlink(tmp);
	if (rc == CLI_OK && cli_sync_parent(path) != 0) {
		cli_error("%s is written but its folder could not be synced: %s", path, cli_strerror(errno));
		rc = CLI_ERROR;
	}
	return rc;
}

/* @p old's first @p used bytes in a new buffer of @p cap + 1, @p old wiped and freed */
static char *grow_wiped(char *old, size_t used, size_t cap)
{
	char *bigger = malloc(cap + 1);

	if (bigger != NULL && used > 0)
		memcpy(bigger, old, used);
	if (old != NULL) {
		OPENSSL_cleanse(old, used);
		free(old);
	}
	return bigger;
}

/*
 * Read with read(2) into one buffer that is grown by copying and wiping,
 * never with realloc or through a stdio buffer: the file may hold
 * credential codes (an intake batch), and no copy of them may be left in
 * freed memory.
 */
char *cli_read_file(const char *path, size_t *len, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	size_t cap = 0, used = 0;
	struct stat sb;

	if (fd < 0) {
		cli_error("cannot read %s: %s", path, cli_strerror(errno));
		return NULL;
	}
	/* a plain file's size is known: one buffer, no growing */
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size <= max)
		cap = (size_t)sb.st_size + 1;
	for (;;) {
		ssize_t got;

		if (used == cap || buf == NULL) {
			size_t want = cap == 0 ? 65536 : used == cap ? cap * 2 : cap;

			if (want > max + 1)
				want = max + 1;
			if ((buf = grow_wiped(buf, used, want)) == NULL) {
				cli_error("out of memory reading %s", path);
				goto fail;
			}
			cap = want;
		}
		got = read(fd, buf + used, cap - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			cli_error("cannot read %s: %s", path, cli_strerror(errno));
			goto fail;
		}
		used += (size_t)got;
		if (used > max) {
			cli_error("%s is larger than %zu bytes", path, max);
			goto fail;
		}
		if (got == 0)
			break;
	}
	close(fd);
	buf[used] = '\0';
	*len = used;
	return buf;
fail:
	close(fd);
	cli_free_wiped(buf, used);
	return NULL;
}

void cli_free_wiped(char *buf, size_t len)
{
	if (buf != NULL) {
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
}

int cli_secret_fdopen(cli_secret_file *s, int fd)
{
	memset(s, 0, sizeof(*s));
	if ((s->f = fdopen(fd, "w")) == NULL)
		return -1;
	/* before any output: the stream's buffer is ours, to wipe */
	if (setvbuf(s->f, s->buf, _IOFBF, sizeof(s->buf)) != 0) {
		fclose(s->f);
		s->f = NULL;
		return -1;
	}
	return 0;
}

int cli_secret_fclose(cli_secret_file *s)
{
	int rc = 0;

	if (s->f != NULL)
		rc = fclose(s->f);
	s->f = NULL;
	OPENSSL_cleanse(s->buf, sizeof(s->buf));
	return rc;
}

int cli_open_box(tv_ctx **ctx, tv_box **box, const char *dir)
{
	tv_status st;

	*box = NULL;
	if ((st = tv_ctx_new(ctx, NULL)) != TV_OK) {
		cli_error("cannot start the library: %s", tv_status_str(st));
		return CLI_ERROR;
	}
	if ((st = tv_box_open(*ctx, box, dir)) != TV_OK)
		return cli_lib_error(*ctx, "opening the election", st);
	return CLI_OK;
}

int cli_load_tally(tv_ctx *ctx, tv_tally **t, const char *dir)
{
	char path[4096], *text;
	size_t len;
	tv_status st;

	snprintf(path, sizeof(path), "%s/tally.json", dir);
	if ((text = cli_read_file(path, &len, TV_TALLY_JSON_MAX)) == NULL) {
		cli_error("run 'tenantvote tally -d %s' first", dir);
		return CLI_FAILED;
	}
	st = tv_tally_from_json(ctx, t, text, len);
	free(text);
	return st == TV_OK ? CLI_OK : cli_lib_error(ctx, path, st);
}
