/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §14.1, §15.2: the ballot box under stress, on a box set up for real.
 *
 * concurrent_casts: several processes, each with its own context and its
 * own connection, cast into one box at once. BEGIN IMMEDIATE and the
 * 10-second busy timeout must serialise them: every cast succeeds, the
 * board is one unbroken chain 1..N and every receipt matches it.
 *
 * killed_while_casting: a process casting in a loop is SIGKILLed at a
 * pseudo-random instant, over and over. After each kill the box is opened
 * as it is (no repair step): the board must verify and every receipt
 * handed out so far must still check, since a receipt exists only for a
 * ballot that is on disk.
 *
 * The parent never keeps a connection open across fork(): SQLite's lock
 * bookkeeping is per process and must not be inherited.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define OPENS 1800000000
#define CLOSES 1801000000
#define TENANTS 12

/* concurrent_casts: each child casts its own three tenants, revotes one of
 * them and revotes a neighbour's tenant, so two processes revote one
 * credential */
#define CHILDREN 4
#define CASTS_PER_CHILD 5

/* killed_while_casting */
#define KILL_ROUNDS 40
/* the kill lands 0..20 ms after the child is ready (40 under a sanitizer: casts are slower) */
#if defined(__SANITIZE_ADDRESS__)
#define KILL_DELAY_MAX_US 40000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILL_DELAY_MAX_US 40000
#endif
#endif
#ifndef KILL_DELAY_MAX_US
#define KILL_DELAY_MAX_US 20000
#endif
#define POOL_BALLOTS 480        /* prepared once; a round uses what it casts */

/*
 * SQLite's unix VFS takes the WAL write lock (held from BEGIN IMMEDIATE to
 * COMMIT or ROLLBACK) as an fcntl lock on this byte of the -shm file:
 * (22 + SQLITE_SHM_NLOCK) * 4 + WAL_WRITE_LOCK.
 */
#define SHM_WRITE_LOCK_BYTE 120

typedef struct fixture {
	char dir[64];
	tv_ctx *ctx;
	tv_box *box; /* open only while no child runs */
	tv_manifest *manifest;
	tv_ed25519_secret_key box_key;
	tv_election_key key;
	char codes[TENANTS][TV_CREDENTIAL_TEXT_LEN + 1];
	int ncodes;
} fixture;

static int on_letter(const tv_tenant *t, const char *code, void *payload)
{
	fixture *fx = payload;

	if (t != NULL && fx->ncodes < TENANTS)
		snprintf(fx->codes[fx->ncodes++], sizeof(fx->codes[0]), "%s", code);
	return 0;
}

static int setup(void **state)
{
	fixture *fx = test_calloc(1, sizeof(*fx));
	tv_manifest_options o = TV_MANIFEST_OPTIONS_INIT;
	tv_manifest *m = NULL;
	tv_register *reg = NULL;
	tv_trustee *t[2] = { NULL };
	tv_ed25519_public_key box_public;
	char *commits[2], *reveals[2], *results[2];
	char csv[2048];
	size_t len;
	uint8_t f[32], c[32];
	int i;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/tv-test-box-stress-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		test_free(fx);
		return -1;
	}
	fx->ctx = test_ctx_new();
	len = (size_t)snprintf(csv, sizeof(csv), "tenancy_ref,name,address,tenancy_type\n");
	for (i = 0; i < TENANTS; i++)
		len += (size_t)snprintf(csv + len, sizeof(csv) - len,
		                        "T%d,Tenant %d,%d Mill Lane,secure\n", i + 1, i + 1, i + 1);
	test_yes_no_options(&o, "box-stress-test", OPENS, CLOSES);
	o.revote = TV_REVOTE_LAST;
	o.trustees = 2;
	o.threshold = 2;
	assert_ok(fx->ctx, tv_manifest_new(fx->ctx, &m, &o));
	assert_ok(fx->ctx, tv_box_create(fx->ctx, &fx->box, fx->dir, m));
	assert_ok(fx->ctx, tv_register_parse(fx->ctx, &reg, (const uint8_t *)csv, len, "r.csv",
	                                     NULL, NULL));
	assert_ok(fx->ctx, tv_box_import_register(fx->ctx, fx->box, reg, "r.csv"));
	assert_ok(fx->ctx, tv_box_issue_credentials(fx->ctx, fx->box, on_letter, fx));
	assert_int_equal(fx->ncodes, TENANTS);
	tv_manifest_fingerprint(f, m);
	assert_ok(fx->ctx, tv_box_ceremony_context(fx->ctx, c, fx->box));
	for (i = 0; i < 2; i++) {
		assert_ok(fx->ctx, tv_trustee_new(fx->ctx, &t[i], c, (uint32_t)i + 1, 2, 2));
		assert_ok(fx->ctx, tv_trustee_commit(fx->ctx, &commits[i], t[i]));
	}
	for (i = 0; i < 2; i++)
		assert_ok(fx->ctx, tv_trustee_reveal(fx->ctx, &reveals[i], t[i],
		                                     (const char *const *)commits, 2));
	for (i = 0; i < 2; i++)
		assert_ok(fx->ctx, tv_trustee_combine(fx->ctx, &results[i], NULL, t[i],
		                                      (const char *const *)commits, 2,
		                                      (const char *const *)reveals, 2));
	assert_ok(fx->ctx, tv_box_set_election_key(fx->ctx, fx->box, (const char *const *)commits,
	                                           (const char *const *)reveals,
	                                           (const char *const *)results, 2));
	assert_ok(fx->ctx, tv_box_election_key(fx->ctx, &fx->key, fx->box));
	for (i = 0; i < 2; i++) {
		tv_free(fx->ctx, commits[i]);
		tv_free(fx->ctx, reveals[i]);
		tv_free(fx->ctx, results[i]);
		tv_trustee_free(t[i]);
	}
	assert_ok(fx->ctx, tv_ed25519_keygen(fx->ctx, &fx->box_key, &box_public));
	assert_ok(fx->ctx, tv_box_open_voting(fx->ctx, fx->box, &fx->box_key));
	tv_register_free(reg);
	fx->manifest = m;
	/* no connection may cross a fork() */
	tv_box_free(fx->box);
	fx->box = NULL;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	char cmd[128];

	tv_box_free(fx->box);
	tv_manifest_free(fx->manifest);
	tv_ed25519_secret_wipe(&fx->box_key);
	tv_ctx_free(fx->ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	test_free(fx);
	return system(cmd) == 0 ? 0 : -1;
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- in a child: report and leave without running atexit handlers ---- */

static void child_fail(tv_ctx *ctx, const char *what, tv_status status) __attribute__((noreturn));

static void child_fail(tv_ctx *ctx, const char *what, tv_status status)
{
	fprintf(stderr, "child %ld: %s: %s (%d): %s\n", (long)getpid(), what,
	        tv_status_str(status), (int)status, ctx ? tv_ctx_last_error(ctx) : "");
	_exit(1);
}

/* one receipt as one JSON line, in a single write() so a line is whole or torn at its end */
static void child_write_receipt(tv_ctx *ctx, int fd, const tv_receipt *r, int sync)
{
	char *json = NULL;
	char line[1024];
	size_t n;
	tv_status status;

	if ((status = tv_receipt_to_json(ctx, &json, r)) != TV_OK)
		child_fail(ctx, "tv_receipt_to_json", status);
	n = (size_t)snprintf(line, sizeof(line), "%s\n", json);
	tv_free(ctx, json);
	if (n >= sizeof(line) || write(fd, line, n) != (ssize_t)n || (sync && fsync(fd) != 0)) {
		fprintf(stderr, "child %ld: writing a receipt: %s\n", (long)getpid(),
		        strerror(errno));
		_exit(1);
	}
}

/* ---- in the parent: receipts files and checks ---- */

typedef struct receipt_list {
	tv_receipt *items;
	size_t count, cap;
	size_t torn; /* an unterminated last line that did not parse */
} receipt_list;

static tv_receipt *receipt_list_add(receipt_list *list)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		tv_receipt *more = test_realloc(list->items, cap * sizeof(*more));

		assert_non_null(more);
		list->items = more;
		list->cap = cap;
	}
	return &list->items[list->count++];
}

/*
 * Read every receipt line of @p path into @p list. An unterminated last
 * line is a write cut short by a kill: if it does not parse it is counted
 * as torn and ignored (and, if @p fix_tail, cut off so the next writer
 * starts on a fresh line); if it does, only its newline was lost, and it
 * is a receipt like the others. Any other line that does not parse fails
 * the test.
 */
static void read_receipts(tv_ctx *ctx, receipt_list *list, const char *path, int fix_tail)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, start = 0, i;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	text = test_malloc((size_t)size + 1);
	len = fread(text, 1, (size_t)size, f);
	assert_int_equal(len, (size_t)size);
	fclose(f);
	text[len] = '\0';
	for (i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		assert_ok(ctx, tv_receipt_from_json(ctx, receipt_list_add(list), text + start,
		                                    i - start));
		start = i + 1;
	}
	if (start < len) {
		tv_receipt r;

		if (tv_receipt_from_json(ctx, &r, text + start, len - start) == TV_OK) {
			*receipt_list_add(list) = r;
			if (fix_tail) {
				int fd = open(path, O_WRONLY | O_APPEND);

				assert_true(fd >= 0);
				assert_int_equal(write(fd, "\n", 1), 1);
				close(fd);
			}
		} else {
			list->torn++;
			if (fix_tail)
				assert_int_equal(truncate(path, (off_t)start), 0);
		}
	}
	test_free(text);
}

static void receipt_list_free(receipt_list *list)
{
	test_free(list->items);
	memset(list, 0, sizeof(*list));
}

static int by_position(const void *a, const void *b)
{
	const tv_receipt *x = a, *y = b;

	return x->position < y->position ? -1 : x->position > y->position;
}

/* ---- concurrent casts ---- */

typedef struct cast_plan {
	int tenant;
	uint32_t choice;
	uint32_t channel;
} cast_plan;

static void plan_for_child(cast_plan plan[CASTS_PER_CHILD], int child)
{
	int own = child * (TENANTS / CHILDREN);
	int neighbour = ((child + 1) % CHILDREN) * (TENANTS / CHILDREN);

	plan[0] = (cast_plan){ own, 1, TV_CHANNEL_ONLINE };
	plan[1] = (cast_plan){ own + 1, 2, TV_CHANNEL_POSTAL };
	plan[2] = (cast_plan){ own + 2, TV_BALLOT_BLANK, TV_CHANNEL_ONLINE };
	plan[3] = (cast_plan){ own, 2, TV_CHANNEL_POSTAL };       /* a revote */
	plan[4] = (cast_plan){ neighbour, 1, TV_CHANNEL_ONLINE }; /* another process's tenant */
}

static void concurrent_child(fixture *fx, int child, int ready_fd, int go_fd, const char *out_path)
{
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_ballot *ballots[CASTS_PER_CHILD] = { NULL };
	cast_plan plan[CASTS_PER_CHILD];
	tv_status status;
	char byte = 'r';
	int fd, i;

	plan_for_child(plan, child);
	if ((status = tv_ctx_new(&ctx, NULL)) != TV_OK)
		child_fail(NULL, "tv_ctx_new", status);
	for (i = 0; i < CASTS_PER_CHILD; i++) {
		const char *code = fx->codes[plan[i].tenant];

		if ((status = tv_ballot_encrypt(ctx, &ballots[i], NULL, fx->manifest, &fx->key.key,
		                                code, strlen(code), plan[i].choice)) != TV_OK)
			child_fail(ctx, "tv_ballot_encrypt", status);
	}
	/* even children open the box before the start, odd ones after it, so
	 * that opening (journal mode, migration check) races with casting too */
	if (child % 2 == 0 && (status = tv_box_open(ctx, &box, fx->dir)) != TV_OK)
		child_fail(ctx, "tv_box_open", status);
	fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		_exit(1);
	/* ready, then wait until every child is: the casts start together */
	if (write(ready_fd, &byte, 1) != 1)
		_exit(1);
	close(ready_fd);
	while (read(go_fd, &byte, 1) < 0 && errno == EINTR)
		;
	if (child % 2 == 1 && (status = tv_box_open(ctx, &box, fx->dir)) != TV_OK)
		child_fail(ctx, "tv_box_open", status);
	for (i = 0; i < CASTS_PER_CHILD; i++) {
		tv_receipt r;
		int64_t now = OPENS + 100 + child * 10 + i; /* distinct in every cast */

		if ((status = tv_box_cast(ctx, &r, box, ballots[i], plan[i].channel, &fx->box_key,
		                          now)) != TV_OK)
			child_fail(ctx, "tv_box_cast", status);
		child_write_receipt(ctx, fd, &r, 0);
	}
	close(fd);
	for (i = 0; i < CASTS_PER_CHILD; i++)
		tv_ballot_free(ballots[i]);
	tv_box_free(box);
	tv_ctx_free(ctx);
	_exit(0);
}

static void concurrent_casts(void **state)
{
	fixture *fx = *state;
	pid_t pids[CHILDREN];
	char paths[CHILDREN][96];
	int ready[2], go[2], c, ready_count = 0;
	receipt_list all = { 0 };
	uint64_t board = 0, i;
	size_t counting = 0;
	int owner[CHILDREN * CASTS_PER_CHILD] = { 0 }, switches = 0;
	double started = seconds_now();
	char byte;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	fflush(stdout);
	fflush(stderr);
	for (c = 0; c < CHILDREN; c++) {
		snprintf(paths[c], sizeof(paths[c]), "%s/receipts-%d.jsonl", fx->dir, c);
		pids[c] = fork();
		assert_true(pids[c] >= 0);
		if (pids[c] == 0) {
			close(ready[0]);
			close(go[1]); /* else the go pipe never reaches EOF */
			concurrent_child(fx, c, ready[1], go[0], paths[c]);
		}
	}
	close(ready[1]);
	close(go[0]);
	/* every child has its ballots ready (or died: then EOF) */
	while (ready_count < CHILDREN && read(ready[0], &byte, 1) == 1)
		ready_count++;
	close(ready[0]);
	close(go[1]); /* EOF on go: every child starts casting */
	for (c = 0; c < CHILDREN; c++) {
		int st = 0;

		assert_int_equal(waitpid(pids[c], &st, 0), pids[c]);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fail_msg("child %d (pid %ld) failed: %s %d (its message is on stderr)", c,
			         (long)pids[c], WIFEXITED(st) ? "exit" : "signal",
			         WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
	assert_int_equal(ready_count, CHILDREN);

	assert_ok(fx->ctx, tv_box_open(fx->ctx, &fx->box, fx->dir));
	for (c = 0; c < CHILDREN; c++)
		read_receipts(fx->ctx, &all, paths[c], 0);
	assert_int_equal(all.torn, 0);
	assert_int_equal(all.count, CHILDREN * CASTS_PER_CHILD);
	assert_ok(fx->ctx, tv_box_verify_board(fx->ctx, &board, NULL, fx->box));
	assert_int_equal(board, all.count);
	/* which child cast each position: how often the board switches between
	 * processes shows how far the casts really interleaved */
	for (i = 0; i < all.count; i++)
		if (all.items[i].position >= 1 && all.items[i].position <= all.count)
			owner[all.items[i].position - 1] = (int)(i / CASTS_PER_CHILD);
	for (i = 1; i < all.count; i++)
		switches += owner[i] != owner[i - 1];
	qsort(all.items, all.count, sizeof(all.items[0]), by_position);
	for (i = 0; i < all.count; i++) {
		int counts = -1;

		assert_int_equal(all.items[i].position, i + 1); /* exactly 1..N */
		if (i > 0) /* and chained in that order */
			assert_memory_equal(all.items[i].prev_head, all.items[i - 1].head, 32);
		assert_ok(fx->ctx, tv_box_check_receipt(fx->ctx, &counts, fx->box, &all.items[i]));
		counting += (size_t)counts;
	}
	/* under "last", exactly one ballot counts per tenant who voted: all of them */
	assert_int_equal(counting, TENANTS);
	printf("# concurrent_casts: %d processes, %zu ballots, %d switches between processes along "
	       "the board, %.2f s\n", CHILDREN, all.count, switches, seconds_now() - started);
	receipt_list_free(&all);
	tv_box_free(fx->box);
	fx->box = NULL;
}

/* ---- killed while casting ---- */

/* where the child is, in memory shared with the parent */
enum { STAGE_PREPARING, STAGE_CASTING, STAGE_RECEIPT, STAGE_DONE_ONE, STAGE_OUT_OF_BALLOTS };

typedef struct crash_shared {
	volatile int stage;
	volatile int next; /* the pool index of the next ballot to cast */
} crash_shared;

static void crash_child(fixture *fx, crash_shared *shared, tv_ballot *const *pool, int ready_fd,
                        const char *receipts_path)
{
	tv_ctx *ctx = NULL;
	tv_box *box = NULL;
	tv_election_key key;
	tv_ed25519_signature sig;
	tv_status status;
	char byte = 'r';
	int fd;

	if ((status = tv_ctx_new(&ctx, NULL)) != TV_OK)
		child_fail(NULL, "tv_ctx_new", status);
	if ((status = tv_box_open(ctx, &box, fx->dir)) != TV_OK)
		child_fail(ctx, "tv_box_open", status);
	/* warm up what a fresh context does once (algorithm fetches, tables),
	 * so the kills land in steady casting */
	if ((status = tv_box_election_key(ctx, &key, box)) != TV_OK)
		child_fail(ctx, "tv_box_election_key", status);
	if ((status = tv_ballot_verify(ctx, pool[0], tv_box_manifest(box), &key.key)) != TV_OK)
		child_fail(ctx, "tv_ballot_verify", status);
	if ((status = tv_ed25519_sign(ctx, &sig, &fx->box_key, key.key.bytes, 32)) != TV_OK)
		child_fail(ctx, "tv_ed25519_sign", status);
	fd = open(receipts_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0)
		_exit(1);
	if (write(ready_fd, &byte, 1) != 1)
		_exit(1);
	close(ready_fd);
	for (;;) {
		tv_receipt r;
		int i = shared->next;

		if (i >= POOL_BALLOTS) {
			shared->stage = STAGE_OUT_OF_BALLOTS;
			for (;;)
				pause();
		}
		/* taken before casting: a ballot cut off mid-cast is never reused */
		shared->next = i + 1;
		shared->stage = STAGE_CASTING;
		status = tv_box_cast(ctx, &r, box, pool[i],
		                     i % 3 == 0 ? TV_CHANNEL_POSTAL : TV_CHANNEL_ONLINE,
		                     &fx->box_key, OPENS + 1000 + i);
		if (status != TV_OK)
			child_fail(ctx, "tv_box_cast", status);
		shared->stage = STAGE_RECEIPT;
		child_write_receipt(ctx, fd, &r, 1);
		shared->stage = STAGE_DONE_ONE;
	}
}

/* the pid holding the box's WAL write lock (inside BEGIN IMMEDIATE..COMMIT), or 0 */
static pid_t write_lock_holder(const char *dir)
{
	char path[128];
	struct flock lk;
	int fd;

	snprintf(path, sizeof(path), "%s/%s-shm", dir, TV_BOX_FILE);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	memset(&lk, 0, sizeof(lk));
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = SHM_WRITE_LOCK_BYTE;
	lk.l_len = 1;
	if (fcntl(fd, F_GETLK, &lk) != 0)
		lk.l_type = F_UNLCK;
	close(fd); /* safe: this process holds no SQLite connection now */
	return lk.l_type == F_UNLCK ? 0 : lk.l_pid;
}

static void killed_while_casting(void **state)
{
	fixture *fx = *state;
	crash_shared *shared;
	tv_ballot **pool;
	char receipts_path[96], shared_path[96];
	int shared_fd;
	uint64_t seed = test_seed(), board = 0, unreceipted = 0;
	int round, i;
	/* where the kills landed */
	int in_transaction = 0, in_commit = 0, before_begin = 0, after_commit = 0;
	int in_receipt = 0, between = 0, idle = 0;
	int grew_without_receipt = 0, torn_lines = 0;
	double started = seconds_now(), prepared;

	snprintf(receipts_path, sizeof(receipts_path), "%s/receipts.jsonl", fx->dir);
	/* a shared file mapping (MAP_ANONYMOUS is not POSIX.1-2008) */
	snprintf(shared_path, sizeof(shared_path), "%s/stage", fx->dir);
	shared_fd = open(shared_path, O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(shared_fd >= 0);
	assert_int_equal(ftruncate(shared_fd, (off_t)sizeof(*shared)), 0);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED, shared_fd, 0);
	assert_true(shared != MAP_FAILED);
	close(shared_fd);
	memset(shared, 0, sizeof(*shared));
	/* every ballot prepared first, so the kills land in casting, not in encryption */
	pool = test_calloc(POOL_BALLOTS, sizeof(*pool));
	for (i = 0; i < POOL_BALLOTS; i++) {
		const char *code = fx->codes[i % TENANTS];

		assert_ok(fx->ctx, tv_ballot_encrypt(fx->ctx, &pool[i], NULL, fx->manifest,
		                                     &fx->key.key, code, strlen(code),
		                                     1 + (uint32_t)i % 2));
	}
	prepared = seconds_now();

	for (round = 0; round < KILL_ROUNDS; round++) {
		receipt_list got = { 0 };
		uint64_t new_unreceipted;
		int ready[2], st = 0;
		long delay_us = (long)(test_rand() % KILL_DELAY_MAX_US);
		struct timespec pause_for = { 0, delay_us * 1000 };
		char byte;
		pid_t pid, holder;
		size_t r;
		int stage, grew;

		assert_int_equal(pipe(ready), 0);
		fflush(stdout);
		fflush(stderr);
		shared->stage = STAGE_PREPARING;
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(ready[0]);
			crash_child(fx, shared, pool, ready[1], receipts_path);
		}
		close(ready[1]);
		if (read(ready[0], &byte, 1) != 1) {
			waitpid(pid, &st, 0);
			fail_msg("round %d: the child died before casting (see stderr)", round);
		}
		close(ready[0]);
		while (nanosleep(&pause_for, &pause_for) != 0 && errno == EINTR)
			;
		/* freeze it, see where it is, then kill it there */
		assert_int_equal(kill(pid, SIGSTOP), 0);
		assert_int_equal(waitpid(pid, &st, WUNTRACED), pid);
		if (!WIFSTOPPED(st))
			fail_msg("round %d: the child ended by itself (%s %d; its message is on "
			         "stderr)", round, WIFEXITED(st) ? "exit" : "signal",
			         WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		holder = write_lock_holder(fx->dir);
		stage = shared->stage;
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

		/* open the box as the kill left it: no repair step */
		assert_ok(fx->ctx, tv_box_open(fx->ctx, &fx->box, fx->dir));
		assert_ok(fx->ctx, tv_box_verify_board(fx->ctx, &board, NULL, fx->box));
		read_receipts(fx->ctx, &got, receipts_path, 1);
		torn_lines += (int)got.torn;
		for (r = 0; r < got.count; r++) {
			int counts = -1;

			if (tv_box_check_receipt(fx->ctx, &counts, fx->box, &got.items[r]) != TV_OK)
				fail_msg("round %d (seed %llu): receipt %zu of %zu (position %llu) "
				         "no longer checks: %s", round, (unsigned long long)seed,
				         r + 1, got.count,
				         (unsigned long long)got.items[r].position,
				         tv_ctx_last_error(fx->ctx));
		}
		/* at most one ballot per kill is on the board without its receipt:
		 * the one cut off between COMMIT and the receipt's fsync */
		assert_true(board >= got.count);
		new_unreceipted = board - got.count;
		assert_true(new_unreceipted == unreceipted || new_unreceipted == unreceipted + 1);
		grew = new_unreceipted > unreceipted;
		grew_without_receipt += grew;
		unreceipted = new_unreceipted;
		if (stage == STAGE_CASTING && holder == pid)
			*(grew ? &in_commit : &in_transaction) += 1;
		else if (stage == STAGE_CASTING)
			*(grew ? &after_commit : &before_begin) += 1;
		else if (stage == STAGE_RECEIPT)
			in_receipt++;
		else if (stage == STAGE_OUT_OF_BALLOTS)
			idle++;
		else
			between++;
		receipt_list_free(&got);
		tv_box_free(fx->box);
		fx->box = NULL;
	}

	printf("# killed_while_casting: seed %llu, %d kills after 0..%d us, %llu ballots on the "
	       "board, %llu without a receipt\n",
	       (unsigned long long)seed, KILL_ROUNDS, KILL_DELAY_MAX_US, (unsigned long long)board,
	       (unsigned long long)unreceipted);
	printf("# kills landed: %d inside BEGIN IMMEDIATE..COMMIT with the WAL write lock held "
	       "(%d rolled back, %d with the commit frame already written), "
	       "%d in tv_box_cast before it (verifying), %d in tv_box_cast after COMMIT (signing), "
	       "%d writing the receipt, %d between casts, %d idle (pool used up)\n",
	       in_transaction + in_commit, in_transaction, in_commit, before_begin, after_commit,
	       in_receipt, between, idle);
	printf("# rounds where the board grew past the receipts: %d; torn receipt lines: %d\n",
	       grew_without_receipt, torn_lines);
	printf("# %.2f s preparing %d ballots, %.2f s killing\n", prepared - started, POOL_BALLOTS,
	       seconds_now() - prepared);
	for (i = 0; i < POOL_BALLOTS; i++)
		tv_ballot_free(pool[i]);
	test_free(pool);
	munmap(shared, sizeof(*shared));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(concurrent_casts, setup, teardown),
		cmocka_unit_test_setup_teardown(killed_while_casting, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
