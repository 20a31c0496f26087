/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tenantvote-castbench: the ballot box's casting and intake rates alone,
 * without the rest of tenantvote-bench's table (issue 14, item 6), so that
 * the box can be profiled and measured on its own:
 *
 *   tenantvote-castbench cast N P    N ballots cast into one box by P
 *                                    processes at once, in batches of 64
 *                                    (tv_box_cast_batch), each its own handle
 *   tenantvote-castbench intake N    an N-row postal intake file, parsed
 *                                    and cast by tv_box_intake
 *
 * Each prints ballots (rows) per second of wall time. The box lives in a
 * folder under /tmp with the box's own fsync rules (WAL, synchronous=FULL).
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tenantvote/tenantvote.h"

#include "bench-election.h"

#define TRUSTEES 2
#define BATCH 64
#define MAX_PROCESSES 8
#define OPENS 1800000000  /* 2027-01-15T08:00:00Z */
#define CLOSES 1801000000

static char box_dir[64];
static tv_ctx *ctx;
static tv_box *box;
static tv_ed25519_secret_key box_key;
static char (*codes)[64];
static size_t tenants, issued;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "tenantvote-castbench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void check(tv_status status, const char *what)
{
	if (status != TV_OK)
		die("%s: %s", what, tv_ctx_last_error(ctx));
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) so far of @p who: RUSAGE_SELF, or
 * RUSAGE_CHILDREN for the waited-for children */
static double cpu_seconds(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru) != 0)
		return 0.0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void remove_box_dir(void)
{
	char cmd[128];

	if (box_dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", box_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "tenantvote-castbench: could not remove %s\n", box_dir);
	}
}

static int letter(const tv_tenant *tenant, const char *code, void *payload)
{
	(void)payload;
	if (tenant == NULL)
		return 0;
	if (issued == tenants)
		return 1;
	snprintf(codes[issued++], sizeof(codes[0]), "%s", code);
	return 0;
}

/* a two-option election open for voting online and by post, revote "last" */
static void setup(size_t n_tenants, tv_election_key *key)
{
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *manifest = NULL;
	tv_register *reg = NULL;
	tv_trustee *trustee[TRUSTEES] = { NULL };
	char *commit[TRUSTEES], *reveal[TRUSTEES], *result[TRUSTEES];
	tv_ed25519_public_key box_public;
	uint8_t fingerprint[32];
	char *csv;
	size_t len = 0, i;

	tenants = n_tenants;
	codes = calloc(tenants, sizeof(*codes));
	if (codes == NULL || !bench_register(&csv, &len, tenants, 'B'))
		die("out of memory");
	if (atexit(remove_box_dir) != 0)
		die("atexit failed");
	snprintf(box_dir, sizeof(box_dir), "/tmp/tenantvote-castbench-XXXXXX");
	if (mkdtemp(box_dir) == NULL) {
		box_dir[0] = '\0';
		die("cannot make a folder under /tmp");
	}
	bench_election(&o, "castbench", OPENS, CLOSES, TRUSTEES);
	o.channels = TV_CHANNEL_ONLINE | TV_CHANNEL_POSTAL;
	o.revote = TV_REVOTE_LAST;
	check(tv_manifest_new(ctx, &manifest, &o), "tv_manifest_new");
	check(tv_box_create(ctx, &box, box_dir, manifest), "tv_box_create");
	tv_manifest_fingerprint(fingerprint, manifest);
	tv_manifest_free(manifest);

	check(tv_register_parse(ctx, &reg, (const uint8_t *)csv, len, "bench.csv", NULL, NULL),
	      "tv_register_parse");
	free(csv);
	check(tv_box_import_register(ctx, box, reg, "bench.csv"), "tv_box_import_register");
	tv_register_free(reg);
	check(tv_box_issue_credentials(ctx, box, letter, NULL), "tv_box_issue_credentials");
	if (issued != tenants)
		die("%zu credentials issued for %zu tenants", issued, tenants);
	check(tv_box_ceremony_context(ctx, fingerprint, box), "tv_box_ceremony_context");
	for (i = 0; i < TRUSTEES; i++) {
		check(tv_trustee_new(ctx, &trustee[i], fingerprint, (uint32_t)i + 1, TRUSTEES,
		                     TRUSTEES), "tv_trustee_new");
		check(tv_trustee_commit(ctx, &commit[i], trustee[i]), "tv_trustee_commit");
	}
	for (i = 0; i < TRUSTEES; i++)
		check(tv_trustee_reveal(ctx, &reveal[i], trustee[i], (const char *const *)commit,
		                        TRUSTEES), "tv_trustee_reveal");
	for (i = 0; i < TRUSTEES; i++)
		check(tv_trustee_combine(ctx, &result[i], NULL, trustee[i],
		                         (const char *const *)commit, TRUSTEES,
		                         (const char *const *)reveal, TRUSTEES), "tv_trustee_combine");
	check(tv_box_set_election_key(ctx, box, (const char *const *)commit,
	                              (const char *const *)reveal, (const char *const *)result,
	                              TRUSTEES), "tv_box_set_election_key");
	for (i = 0; i < TRUSTEES; i++) {
		tv_free(ctx, commit[i]);
		tv_free(ctx, reveal[i]);
		tv_free(ctx, result[i]);
		tv_trustee_free(trustee[i]);
	}
	check(tv_box_election_key(ctx, key, box), "tv_box_election_key");
	check(tv_ed25519_keygen(ctx, &box_key, &box_public), "tv_ed25519_keygen");
	check(tv_box_open_voting(ctx, box, &box_key), "tv_box_open_voting");
}

/* cast @p n ballots from @p ballots in batches through a handle of its own */
static int cast_batches(tv_ballot **ballots, size_t n, int64_t now)
{
	tv_cast_item items[BATCH];
	tv_ctx *c = NULL;
	tv_box *b = NULL;
	int rc = 1;

	if (tv_ctx_new(&c, NULL) != TV_OK || tv_box_open(c, &b, box_dir) != TV_OK)
		goto out;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < BATCH ? n - done : BATCH;

		memset(items, 0, sizeof(items));
		for (size_t i = 0; i < k; i++) {
			items[i].ballot = ballots[done + i];
			items[i].channel = TV_CHANNEL_ONLINE;
		}
		if (tv_box_cast_batch(c, b, items, k, &box_key, now) != TV_OK) {
			fprintf(stderr, "tv_box_cast_batch: %s\n", tv_ctx_last_error(c));
			goto out;
		}
		for (size_t i = 0; i < k; i++)
			if (items[i].status != TV_OK) {
				fprintf(stderr, "item: %s\n", items[i].message);
				goto out;
			}
		done += k;
	}
	rc = 0;
out:
	tv_box_free(b);
	tv_ctx_free(c);
	return rc;
}

static void run_cast(size_t n, int processes)
{
	tv_election_key key;
	tv_ballot **ballots;
	pid_t pid[MAX_PROCESSES];
	size_t per = n / (size_t)processes;
	double start, t, cpu0, cpu;
	int p, status, failed = 0;

	setup(64, &key);
	if ((ballots = calloc(n, sizeof(*ballots))) == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *code = codes[i % tenants];

		check(tv_ballot_encrypt(ctx, &ballots[i], NULL, tv_box_manifest(box), &key.key, code,
		                        strlen(code), 1 + (uint32_t)(i % 2)), "tv_ballot_encrypt");
	}
	fflush(NULL);
	cpu0 = cpu_seconds(RUSAGE_CHILDREN);
	start = now_seconds();
	for (p = 0; p < processes; p++) {
		if ((pid[p] = fork()) < 0)
			die("fork failed");
		if (pid[p] == 0)
			_exit(cast_batches(ballots + (size_t)p * per, per, OPENS + 100 + p));
	}
	for (p = 0; p < processes; p++)
		if (waitpid(pid[p], &status, 0) != pid[p] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			failed = 1;
	t = now_seconds() - start;
	cpu = cpu_seconds(RUSAGE_CHILDREN) - cpu0;
	if (failed)
		die("a casting process failed");
	/* the machine may be shared: CPU time says what the casting cost */
	printf("cast: %zu ballots, %d process%s, batches of %d: wall %.3f s, %.0f ballots/s; "
	       "CPU %.3f s, %.0f ballots per CPU second\n",
	       per * (size_t)processes, processes, processes == 1 ? "" : "es", BATCH, t,
	       (double)(per * (size_t)processes) / t, cpu,
	       (double)(per * (size_t)processes) / cpu);
	for (size_t i = 0; i < n; i++)
		tv_ballot_free(ballots[i]);
	free(ballots);
}

static void run_intake(size_t n)
{
	tv_election_key key;
	tv_intake *in = NULL;
	tv_intake_summary sum;
	char *csv;
	size_t len, cap = 32 + n * 80;
	double start, t_parse, t, cpu0, cpu;

	setup(n, &key);
	if ((csv = malloc(cap)) == NULL)
		die("out of memory");
	len = (size_t)snprintf(csv, cap, "code,choice\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(csv + len, cap - len, "%s,%zu\n", codes[i], 1 + i % 2);
	cpu0 = cpu_seconds(RUSAGE_SELF);
	start = now_seconds();
	check(tv_intake_parse(ctx, &in, csv, len, tv_box_manifest(box), "bench-intake.csv",
	                      NULL, NULL), "tv_intake_parse");
	t_parse = now_seconds() - start;
	check(tv_box_intake(ctx, box, in, TV_CHANNEL_POSTAL, &box_key, OPENS + 50, NULL, NULL,
	                    NULL, NULL, &sum), "tv_box_intake");
	t = now_seconds() - start;
	cpu = cpu_seconds(RUSAGE_SELF) - cpu0;
	if (sum.cast != n)
		die("%zu rows cast of %zu", sum.cast, n);
	printf("intake: %zu rows: parse %.3f s; all: wall %.3f s, %.0f rows/s; CPU %.3f s, "
	       "%.0f rows per CPU second\n", n, t_parse, t, (double)n / t, cpu, (double)n / cpu);
	tv_intake_free(in);
	free(csv);
}

int main(int argc, char **argv)
{
	if (tv_ctx_new(&ctx, NULL) != TV_OK)
		die("tv_ctx_new failed");
	if (argc == 4 && strcmp(argv[1], "cast") == 0) {
		size_t n = strtoul(argv[2], NULL, 10);
		int p = atoi(argv[3]);

		if (n == 0 || p < 1 || p > MAX_PROCESSES)
			die("cast N P: N > 0, 1 <= P <= %d", MAX_PROCESSES);
		run_cast(n, p);
	} else if (argc == 3 && strcmp(argv[1], "intake") == 0) {
		size_t n = strtoul(argv[2], NULL, 10);

		if (n == 0)
			die("intake N: N > 0");
		run_intake(n);
	} else {
		fprintf(stderr, "usage: tenantvote-castbench cast N PROCESSES | intake N\n");
		return 2;
	}
	tv_box_free(box);
	tv_ed25519_secret_wipe(&box_key);
	free(codes);
	tv_ctx_free(ctx);
	return 0;
}
