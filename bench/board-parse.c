/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cost of reading board.jsonl lines (issue 14), per line:
 *   json  the JSON reader alone (tv__board_line_read_json, Jansson)
 *   scan  the strict scanner alone (tv__board_line_scan)
 *   read  what the verifier calls (tv__board_line_from_json: scan, then
 *         the JSON reader for any line the scanner declines)
 * and, to show where the scanner's time goes, the checks it must share
 * with the JSON reader: tv_point_check per point and the ballot digests.
 *
 *   board-parse BOARD.JSONL [MAX_LINES] [ROUNDS]
 *
 * Lines are read into memory first; the figures are the best of ROUNDS
 * (default 3) passes over them, the readers taking turns, in µs of this
 * thread's CPU time per line.
 * Not installed, not built by default: ninja -C build bench/board-parse
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ballot_internal.h"

typedef tv_status (*reader_fn)(tv_ctx *, tv__board_entry *, tv_ballot **, tv_spoilt **,
                               const char *, size_t, uint64_t);

static double now(void)
{
	struct timespec ts;

	/* CPU time of this thread: the machine is shared, and wall time
	 * would count the other processes too */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static tv_status scan_only(tv_ctx *ctx, tv__board_entry *e, tv_ballot **b, tv_spoilt **p,
                           const char *line, size_t len, uint64_t lineno)
{
	(void)lineno;
	return tv__board_line_scan(ctx, e, b, p, line, len) ? TV_OK : TV_ERR_ENCODING;
}

/* one pass of @p fn over the lines: µs per line; *bad counts lines not read */
static double time_pass(tv_ctx *ctx, reader_fn fn, char **lines, size_t *lens, size_t n,
                        size_t *bad)
{
	double t0 = now();

	*bad = 0;
	for (size_t i = 0; i < n; i++) {
		tv__board_entry e;
		tv_ballot *b;
		tv_spoilt *p;

		if (fn(ctx, &e, &b, &p, lines[i], lens[i], i + 1) != TV_OK)
			(*bad)++;
		tv_ballot_free(b);
		tv_spoilt_free(p);
	}
	return (now() - t0) / (double)n * 1e6;
}

int main(int argc, char **argv)
{
	size_t max = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000, n = 0, cap = 0;
	int rounds = argc > 3 ? atoi(argv[3]) : 3;
	char **lines = NULL, *buf = NULL;
	size_t *lens = NULL, bytes = 0, bufcap = 0;
	ssize_t got;
	tv_ctx *ctx = NULL;
	FILE *f;

	if (argc < 2 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: board-parse BOARD.JSONL [MAX_LINES] [ROUNDS]\n");
		return 2;
	}
	while (n < max && (got = getline(&buf, &bufcap, f)) > 0) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			lines = realloc(lines, cap * sizeof(*lines));
			lens = realloc(lens, cap * sizeof(*lens));
			if (lines == NULL || lens == NULL)
				return 1;
		}
		if (buf[got - 1] == '\n')
			got--;
		lines[n] = malloc((size_t)got);
		if (lines[n] == NULL)
			return 1;
		memcpy(lines[n], buf, (size_t)got);
		lens[n++] = (size_t)got;
		bytes += (size_t)got;
	}
	fclose(f);
	free(buf);
	if (n == 0 || tv_ctx_new(&ctx, NULL) != TV_OK)
		return 1;
	printf("%zu lines, %.0f bytes a line on average, best of %d\n", n, (double)bytes / n,
	       rounds);
	{
		/* the readers take turns, round by round, so that a busy spell
		 * of the machine falls on all of them alike */
		static const char *const names[3] = { "json", "scan", "read" };
		reader_fn fns[3] = { tv__board_line_read_json, scan_only, tv__board_line_from_json };
		double best[3] = { 1e30, 1e30, 1e30 };
		size_t bads[3] = { 0, 0, 0 };

		for (int r = 0; r < rounds; r++)
			for (int k = 0; k < 3; k++) {
				double t = time_pass(ctx, fns[k], lines, lens, n, &bads[k]);

				if (t < best[k])
					best[k] = t;
			}
		for (int k = 0; k < 3; k++)
			printf("%s  %8.2f us/line  (%zu %s)\n", names[k], best[k], bads[k],
			       k == 1 ? "declined" : "refused");
	}

	/* the shared floor: a line's points checked, its digests computed */
	{
		tv__board_entry e;
		tv_ballot *b = NULL;
		tv_spoilt *p = NULL;
		const int reps = 20000;
		double t0, pt, dg;
		int sink = 0;

		for (size_t i = 0; i < n && b == NULL; i++) {
			if (tv__board_line_scan(ctx, &e, &b, &p, lines[i], lens[i]) && b == NULL) {
				tv_spoilt_free(p);
				p = NULL;
			}
		}
		if (b != NULL) {
			t0 = now();
			for (int r = 0; r < reps; r++)
				sink += tv_point_check(ctx, &b->vote[r & 1].alpha) == TV_OK;
			pt = (now() - t0) / reps * 1e6;
			t0 = now();
			for (int r = 0; r < reps; r++)
				sink += tv__ballot_digests(ctx, b) == TV_OK;
			dg = (now() - t0) / reps * 1e6;
			printf("floor: tv_point_check %.3f us (x %u points a %u-option ballot = %.2f us), "
			       "digests D and T %.2f us (%d)\n", pt,
			       1 + b->options * 6 + 2 * (b->max - b->min + 1) + 1, b->options,
			       pt * (1 + b->options * 6 + 2 * (b->max - b->min + 1) + 1), dg,
			       sink > 0);
			tv_ballot_free(b);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(lens);
	tv_ctx_free(ctx);
	return 0;
}
