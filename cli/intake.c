/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote intake: a batch of postal or phone papers (SPEC §15.7). The
 * library checks every row before casting any and hands each receipt back
 * once its batch is on disk; this file only keeps the receipts file: one
 * JSON receipt per line, appended and synced batch by batch. A re-run
 * after an interruption appends only the receipts the file lacks.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"

void cli_intake_help(FILE *out)
{
	fprintf(out,
	        "Usage: tenantvote intake FILE.csv --channel postal|phone|in_person\n"
	        "                         [--receipts OUT.jsonl] [-d DIR] [--passphrase-file F]\n"
	        "                         [--json]\n"
	        "\n"
	        "Casts a batch of papers entered at an intake station. FILE.csv has the\n"
	        "header 'code,choice' and one row per paper: the credential code printed\n"
	        "on it, and the choice: an option number, 'blank', or 'rejected:REASON'\n"
	        "for a spoilt paper, REASON one of no-official-mark, more-than-one-answer,\n"
	        "identifies-voter, unmarked-or-void.\n"
	        "\n"
	        "Or, for pre-encrypted ballot papers (tenantvote papers), the header\n"
	        "'paper,code' and one row per paper: the paper's identifier and the short\n"
	        "code printed beside the mark (from the paper, or keyed in by a phone\n"
	        "voter), or 'rejected:REASON'. The box never sees a credential code.\n"
	        "\n"
	        "Every row is checked first (codes, choices, the same tenant twice, codes\n"
	        "not issued for this election); if any row is wrong, each problem is\n"
	        "listed by line and nothing is cast. Then the papers are cast in batches,\n"
	        "each batch on disk before its receipts are written.\n"
	        "\n"
	        "If an intake is interrupted, run the same command again: rows already\n"
	        "cast from this file are recognised and not cast twice, and only the\n"
	        "receipts missing from OUT.jsonl are added.\n"
	        "\n"
	        "  --channel C           postal, phone or in_person (required)\n"
	        "  --receipts OUT.jsonl  append one JSON receipt per line\n"
	        "  --passphrase-file F   the box passphrase (else TENANTVOTE_BOX_PASSPHRASE)\n"
	        "  -d, --dir DIR         the election folder (default .)\n"
	        "  --json                print the totals as JSON\n"
	        "  -h, --help            this help\n");
}

typedef struct receipts_file {
	const char *path;
	int fd;
	uint64_t *have;     /* positions already in the file, sorted */
	size_t nhave;
	tv_ctx *ctx;
	unsigned long written;
	int failed;
} receipts_file;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Open OUT.jsonl for appending and learn which receipts it holds. A last
 * line without its newline was cut off by a crash: it is removed (its
 * receipt is written again).
 */
static int receipts_open(receipts_file *rf)
{
	char *text = NULL, *line;
	size_t len = 0, cap = 0, keep;
	struct stat sb;

	rf->fd = open(rf->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (rf->fd < 0) {
		cli_error("cannot open %s: %s", rf->path, cli_strerror(errno));
		return CLI_ERROR;
	}
	if (fstat(rf->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		cli_error("%s is not a regular file", rf->path);
		return CLI_ERROR;
	}
	/* one intake at a time writes it, or two runs would write every receipt twice */
	if (flock(rf->fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			cli_error("%s is being written by another intake: let it finish, then run "
			          "this one again", rf->path);
		else
			cli_error("cannot lock %s: %s", rf->path, cli_strerror(errno));
		return CLI_FAILED;
	}
	if (sb.st_size == 0)
		return CLI_OK;
	if ((text = cli_read_file(rf->path, &len, (size_t)1 << 30)) == NULL)
		return CLI_ERROR;
	keep = len;
	while (keep > 0 && text[keep - 1] != '\n')
		keep--;
	if (keep < len) {
		fprintf(stderr, "%s: removing an incomplete last line (an earlier run was cut off)\n",
		        rf->path);
		if (ftruncate(rf->fd, (off_t)keep) != 0) {
			cli_error("cannot truncate %s: %s", rf->path, cli_strerror(errno));
			free(text);
			return CLI_ERROR;
		}
	}
	text[keep] = '\0';
	if (strlen(text) != keep) {
		cli_error("%s holds a NUL byte at offset %zu: it is not a receipts file; give "
		          "another file", rf->path, strlen(text));
		free(text);
		return CLI_FAILED;
	}
	for (line = text; *line != '\0';) {
		char *nl = strchr(line, '\n');
		tv_receipt r;
		tv_status st;

		*nl = '\0';
		st = tv_receipt_from_json(rf->ctx, &r, line, (size_t)(nl - line));
		if (st != TV_OK) {
			cli_error("%s holds a line that is not a receipt (%s); give another file",
			          rf->path, tv_ctx_last_error(rf->ctx));
			free(text);
			return CLI_FAILED;
		}
		if (rf->nhave == cap) {
			uint64_t *grown = realloc(rf->have, (cap = cap ? 2 * cap : 256) * sizeof(*grown));

			if (grown == NULL) {
				free(text);
				cli_error("out of memory");
				return CLI_ERROR;
			}
			rf->have = grown;
		}
		rf->have[rf->nhave++] = r.position;
		line = nl + 1;
	}
	free(text);
	if (rf->nhave > 1)
		qsort(rf->have, rf->nhave, sizeof(*rf->have), cmp_u64);
	return CLI_OK;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int on_receipt(const tv_intake_event *ev, void *payload)
{
	receipts_file *rf = payload;
	char *json = NULL;

	cli_progress("intake", (unsigned long)ev->done, (unsigned long)ev->total);
	if (rf->fd < 0)
		return 0;
	if (!ev->already || rf->nhave == 0 ||
	    bsearch(&ev->receipt->position, rf->have, rf->nhave, sizeof(*rf->have), cmp_u64) ==
	            NULL) {
		if (tv_receipt_to_json(rf->ctx, &json, ev->receipt) != TV_OK)
			return 1;
		if (write_all(rf->fd, json, strlen(json)) != 0 || write_all(rf->fd, "\n", 1) != 0) {
			tv_free(rf->ctx, json);
			rf->failed = errno ? errno : EIO;
			return 1;
		}
		tv_free(rf->ctx, json);
		rf->written++;
	}
	if ((ev->batch_end || ev->done == ev->total) && fsync(rf->fd) != 0) {
		rf->failed = errno;
		return 1;
	}
	return 0;
}

int cli_intake(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "channel", required_argument, NULL, 'C' },
		{ "receipts", required_argument, NULL, 'r' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *pass_file = NULL, *channel_text = NULL, *file;
	receipts_file rf = { NULL, -1, NULL, 0, NULL, 0, 0 };
	cli_problem_report report = { NULL, 0 };
	tv_intake_summary sum = { 0 };
	bool json = false;
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_intake *in = NULL;
	tv_ed25519_secret_key sk;
	uint32_t channel = 0;
	char *csv = NULL;
	size_t len = 0;
	tv_status st;
	int rc, opt;

	memset(&sk, 0, sizeof(sk));
	optind = 1;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'C': channel_text = optarg; break;
		case 'r': rf.path = optarg; break;
		case 'p': pass_file = optarg; break;
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h': cli_intake_help(stdout); return CLI_OK;
		default: cli_intake_help(stderr); return CLI_USAGE;
		}
	}
	if (optind + 1 != argc || channel_text == NULL) {
		cli_error("intake needs one file and --channel: tenantvote intake FILE.csv "
		          "--channel postal");
		return CLI_USAGE;
	}
	file = report.file = argv[optind];
	if ((rc = cli_open_box(&ctx, &box, dir)) != CLI_OK)
		goto out;
	rf.ctx = ctx;
	if ((st = tv_channel_parse(ctx, &channel, channel_text)) != TV_OK) {
		rc = cli_lib_error(ctx, "--channel", st) == CLI_FAILED ? CLI_USAGE : CLI_ERROR;
		goto out;
	}
	{
		tv_box_status s;

		/* in words, before the box key is asked for (SPEC §15.2: the window) */
		if ((st = tv_box_get_status(ctx, &s, box)) != TV_OK) {
			rc = cli_lib_error(ctx, "reading the election", st);
			goto out;
		}
		if (s.phase != TV_PHASE_OPEN) {
			cli_error("voting %s: no paper can be cast",
			          s.phase == TV_PHASE_SETUP ? "has not opened yet" : "is closed");
			rc = CLI_FAILED;
			goto out;
		}
		if ((rc = cli_window_check(ctx, box, (int64_t)time(NULL))) != CLI_OK)
			goto out;
	}
	rc = CLI_ERROR;
	if ((csv = cli_read_file(file, &len, TV_INTAKE_BYTES_MAX)) == NULL)
		goto out;
	st = tv_intake_parse(ctx, &in, csv, len, tv_box_manifest(box), file, cli_print_problem,
	                     &report);
	if (st == TV_OK) {
		if ((rc = cli_load_box_key(ctx, &sk, dir, pass_file)) != CLI_OK)
			goto out;
		if (rf.path != NULL && (rc = receipts_open(&rf)) != CLI_OK)
			goto out;
		rc = CLI_ERROR;
		st = tv_box_intake(ctx, box, in, channel, &sk, (int64_t)time(NULL), on_receipt, &rf,
		                   cli_print_problem, &report, &sum);
		cli_progress_end();
	}
	if (st != TV_OK) {
		if (rf.failed)
			cli_error("writing %s: %s", rf.path, cli_strerror(rf.failed));
		else if (report.count == 0)
			cli_error("casting the papers of %s: %s", file, tv_ctx_last_error(ctx));
		if (st == TV_ERR_INTAKE_INVALID)
			cli_error("nothing was cast: fix the problems above and run the intake again%s",
			          in == NULL ? " (then its rows are also checked against the box: "
			                       "codes issued, tenants who have voted)" : "");
		else if (sum.cast + sum.already > 0)
			cli_error("%zu of %zu rows are cast; run the same intake again to finish: rows "
			          "already cast are not cast twice", sum.cast + sum.already, sum.rows);
		rc = tv_status_is_rejection(st) || st == TV_ERR_STATE ? CLI_FAILED : CLI_ERROR;
		goto out;
	}
	if (json)
		cli_print_json(json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "file", file,
		                         "channel", tv_channel_name(channel), "rows",
		                         (json_int_t)sum.rows, "cast", (json_int_t)sum.cast,
		                         "spoilt", (json_int_t)sum.spoilt, "already_cast",
		                         (json_int_t)sum.already, "receipts_written",
		                         (json_int_t)rf.written));
	else {
		printf("%s: %zu rows by %s: %zu cast now (%zu of them spoilt papers), %zu cast by an "
		       "earlier run.\n", file, sum.rows, tv_channel_name(channel), sum.cast, sum.spoilt,
		       sum.already);
		if (rf.path != NULL)
			printf("%lu receipts added to %s.\n", rf.written, rf.path);
	}
	rc = CLI_OK;
out:
	if (rf.fd >= 0)
		close(rf.fd);
	free(rf.have);
	if (csv != NULL) {
		OPENSSL_cleanse(csv, len); /* credential codes */
		free(csv);
	}
	tv_ed25519_secret_wipe(&sk);
	tv_intake_free(in);
	tv_box_free(box);
	tv_ctx_free(ctx);
	return rc;
}
