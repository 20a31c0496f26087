/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §19: the universal verifier. Every check is numbered; each failure
 * is reported with its check, the board position where there is one, and
 * what is wrong. Every file is read once. The board is read line by line,
 * a block at a time: every entry and the chain are checked (ballot proofs
 * by worker threads), and each credential's counted entry is kept as it
 * is found: it is added to running sums at once, so the sums are of
 * exactly the entries that were checked. Memory (SPEC §19.5) holds, per
 * credential, a 12-byte keyed fingerprint of its point (never the point
 * or the list's text: credentials.json is read a piece at a time), the
 * counted entry's position and byte offset in board.jsonl, and its first
 * entry's offset: what is needed of an earlier entry again (its tracking
 * code, to find a repeat; its ciphertexts, to take it out of the sums
 * when a revote or a revocation replaces it) is read again from its line
 * by its offset, which only revotes and revocations need. A repeated
 * entry carries the same credential as the first copy (the credential is
 * inside what is signed), so only later entries of a credential already
 * seen (revotes, spoilt papers) need their tracking codes kept to find
 * repeats: memory grows with the electorate and the revotes, not with
 * the ballots.
 * An opened (challenged) ballot on the board is never counted, and no
 * ballot may hold one of its ciphertexts (check 8): each ballot is
 * compared with the opened ciphertexts seen so far as the board is read,
 * and at the end each counted ballot from before the last opening is read
 * again and compared with all of them, so only the opened ciphertexts
 * (few) are kept, never every ballot's.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ballot_internal.h"
#include "batch.h"
#include "tally_internal.h"
#include "tenantvote/record.h"

/*
 * A block is the lines the threads check at once: SHARE per thread, each
 * thread's share one batch (SPEC §5.5), and at most BLOCK_BYTES of line
 * text whatever the lines' lengths, so a record of huge lines cannot take
 * memory. Reading and settling a block is the main thread's; checking it
 * is shared with a pool of workers started once per reading of the board,
 * and the main thread's reading and settling overlap the workers' checking
 * (check_board's pipeline).
 */
#define SHARE 512
/* a thread's share is at most this: the calling thread's is made smaller
 * than SHARE by its serial work, and the others' larger (own_share) */
#define SHARE_MAX (2 * SHARE)
#define BLOCK_BYTES (8u << 20)
#define READ_CHUNK (1u << 20)

static const char *const check_names[TV_VERIFY_CHECKS + 1] = {
	NULL,
	"record.json: format and election",
	"manifest.json: the manifest and its fingerprint",
	"trustees.json: the key ceremony transcript",
	"credentials.json: the credential list",
	"board.jsonl: each entry well formed, for this election, channel and time allowed",
	"board.jsonl: each entry's credential on the list",
	"board.jsonl: each entry's signature and proofs",
	"board.jsonl: no entry twice",
	"board.jsonl: the hash chain",
	"close.json: the signed close",
	"tally.json: the sums of the counted entries",
	"tally.json: each trustee's partial decryption",
	"tally.json: the totals from the decryptions",
	"result.json: the counting rule",
	"declaration.txt: the declaration",
};

const char *tv_verify_check_name(uint32_t check)
{
	return check >= 1 && check <= TV_VERIFY_CHECKS ? check_names[check] : NULL;
}

/* accessors for bindings that cannot see the struct (record.h) */
uint32_t tv_verify_event_check(const tv_verify_event *event)
{
	return event->check;
}

const char *tv_verify_event_name(const tv_verify_event *event)
{
	return event->name;
}

tv_status tv_verify_event_status(const tv_verify_event *event)
{
	return event->status;
}

uint64_t tv_verify_event_position(const tv_verify_event *event)
{
	return event->position;
}

const char *tv_verify_event_message(const tv_verify_event *event)
{
	return event->message;
}

typedef struct entry {
	uint64_t position;
	int kind; /* TV_ENTRY_*: 1 ballot, 2 spoilt, 3 opened */
	uint32_t choice;                 /* an opened ballot's */
	tv_scalar nonce[TV_MAX_OPTIONS]; /* an opened ballot's */
	uint32_t channel;
	int64_t time;
	uint8_t prev_head[32], head[32], tracking[32];
	tv_ballot *ballot;
	tv_spoilt *spoilt;
	const tv_point *credential;
	tv_point change_credential; /* a credential change's (§11.7) */
	uint8_t change_signature[64];
	uint8_t paper[32];  /* a paper's entry (§15.8.4): its handle */
	uint32_t others;    /* a paper's ballot: its paper's other digests */
	uint8_t other[TV__PAPER_ANSWERS_MAX - 1][32];
	int bad;           /* failed check 5: nothing more is checked */
	tv_status bad_status;
	uint64_t bad_position;
	char bad_message[256];
	tv_status status;  /* check 7's outcome */
	char message[256];
	uint64_t lineno;
	uint64_t offset;   /* of the line in board.jsonl */
	char *line;        /* the line without its LF, until it is parsed */
	size_t len;
	int too_long, cut; /* too_long: 1, or NO_MEMORY for its copy */
} entry;

#define NO_MEMORY 2

/* a credential's flags (vstate.flags) */
#define CRED_REVOKED 1u   /* counted[] holds the revocation's position */
#define CRED_SPOILT 2u    /* the counted entry is a spoilt paper */
#define CRED_UNADDABLE 4u /* the counted entry is not in the sums: it cannot be added */
#define CRED_HAS_FIRST 8u /* first_tag holds its first entry's */

/*
 * A credential's fingerprint: 12 bytes of a keyed hash (§19.5). With the
 * key drawn for each run, no one can aim a point at a listed credential's
 * fingerprint, and two of a million listed credentials share one with a
 * chance of about 2^-57.
 */
#define FP_BYTES 12

/* a listed credential, found by a keyed fingerprint of its point (§19.5) */
typedef struct cred_key {
	uint8_t fp[FP_BYTES];
	uint32_t index; /* its place on the list */
} cred_key;

/* an opened ballot's ciphertext, alpha || beta, and its position (0: free) */
typedef struct opened_ct {
	uint8_t ct[2 * TV_POINT_BYTES];
	uint64_t position;
} opened_ct;

/*
 * A worker's allocator: blocks of the few sizes a worker asks for again
 * and again (a parsed ballot, 1.7 KB at two options, a batch's scratch) are kept
 * when freed and handed out again, instead of going back to malloc. With
 * malloc, a block's ballots, made by a worker and freed by the main thread
 * when the block is settled, went back to the system each time and came
 * back as fresh pages: three times the page faults, and the threads
 * waiting on each other in the kernel. The main thread frees a block's
 * ballots while the workers make the next block's (the pipeline, below),
 * so each recycler has a lock; it is taken for a few instructions.
 */
#define RECYCLE_BINS 16
#define RECYCLE_MIN 1024  /* smaller blocks go to malloc and back */
#define RECYCLE_KEEP 2048 /* blocks kept of one size */

typedef struct recycler {
	pthread_mutex_t mu;
	struct bin {
		size_t size;
		size_t count;
		void **spare;
	} bin[RECYCLE_BINS];
} recycler;

/* each block carries its size in front of it, 16 bytes for alignment */
#define RECYCLE_HEAD 16

static struct bin *bin_of(recycler *r, size_t size, int make)
{
	for (unsigned i = 0; i < RECYCLE_BINS; i++) {
		if (r->bin[i].size == size)
			return &r->bin[i];
		if (r->bin[i].size == 0) {
			if (!make || (r->bin[i].spare = malloc(RECYCLE_KEEP * sizeof(void *))) == NULL)
				return NULL;
			r->bin[i].size = size;
			return &r->bin[i];
		}
	}
	return NULL;
}

static void *recycle_alloc(size_t size, void *payload)
{
	recycler *r = payload;
	struct bin *b;
	char *p = NULL;

	if (size >= RECYCLE_MIN) {
		pthread_mutex_lock(&r->mu);
		if ((b = bin_of(r, size, 0)) != NULL && b->count > 0)
			p = b->spare[--b->count];
		pthread_mutex_unlock(&r->mu);
		if (p != NULL)
			return p;
	}
	if (size > SIZE_MAX - RECYCLE_HEAD || (p = malloc(size + RECYCLE_HEAD)) == NULL)
		return NULL;
	memcpy(p, &size, sizeof(size));
	return p + RECYCLE_HEAD;
}

static void recycle_free(void *ptr, void *payload)
{
	struct bin *b;
	size_t size;

	if (ptr == NULL)
		return;
	memcpy(&size, (char *)ptr - RECYCLE_HEAD, sizeof(size));
	if (size >= RECYCLE_MIN) {
		recycler *r = payload;
		int kept = 0;

		pthread_mutex_lock(&r->mu);
		if ((b = bin_of(r, size, 1)) != NULL && b->count < RECYCLE_KEEP) {
			b->spare[b->count++] = ptr;
			kept = 1;
		}
		pthread_mutex_unlock(&r->mu);
		if (kept)
			return;
	}
	free((char *)ptr - RECYCLE_HEAD);
}

static void *recycle_realloc(void *ptr, size_t size, void *payload)
{
	size_t old;
	void *p;

	if (ptr == NULL)
		return recycle_alloc(size, payload);
	memcpy(&old, (char *)ptr - RECYCLE_HEAD, sizeof(old));
	if ((p = recycle_alloc(size, payload)) == NULL)
		return NULL;
	memcpy(p, ptr, old < size ? old : size);
	recycle_free(ptr, payload);
	return p;
}

/* a new recycler, or NULL */
static recycler *recycler_new(void)
{
	recycler *r = calloc(1, sizeof(*r));

	if (r != NULL && pthread_mutex_init(&r->mu, NULL) != 0) {
		free(r);
		r = NULL;
	}
	return r;
}

static void recycler_free(recycler *r)
{
	if (r != NULL)
		pthread_mutex_destroy(&r->mu);
	for (unsigned i = 0; r != NULL && i < RECYCLE_BINS; i++) {
		for (size_t k = 0; k < r->bin[i].count; k++)
			free((char *)r->bin[i].spare[k] - RECYCLE_HEAD);
		free(r->bin[i].spare);
	}
	free(r);
}

typedef struct vstate {
	tv_ctx *ctx;
	const char *dir;
	tv_verify_fn fn;
	void *payload;
	tv_progress_fn progress;
	void *progress_payload;
	tv_verify_summary sum;
	double line_mine, line_theirs; /* seconds a line, for own_share() */
	int failed[TV_VERIFY_CHECKS + 1];
	int undone[TV_VERIFY_CHECKS + 1];
	uint8_t f[32], box_key[32], last_head[32];
	/* check 9: positions ahead of (or behind) line numbers since a line
	 * that held another position than expected, which was reported once */
	int64_t shift;
	uint8_t context[32]; /* C of §11.6, from the signed credential list */
	const tv_point *expected_key; /* NULL, or the key the trustees announced */
	int have_record, have_key, have_context;
	/*
	 * Check 4 is done before check 3, which needs its context C, but its
	 * events are held back and given after check 3's, so that callers see
	 * the checks in their order.
	 */
	uint32_t deferring;
	struct {
		tv_status status;
		char message[512];
	} deferred[8];
	unsigned ndeferred;
	tv_manifest *m;
	tv_election_key key;
	/*
	 * The list's credentials by fingerprint, sorted for a binary search:
	 * fp = first 12 bytes of H("verifier-credential-index"; key, pt(X)),
	 * with a key drawn for each run, so that no one can make a point whose
	 * fingerprint is a listed credential's, nor two listed credentials
	 * with one fingerprint.
	 */
	cred_key *index;
	size_t index_cap;
	uint8_t index_key[32];
	size_t ncred;
	/*
	 * The credential authority's changes (§11.7): credentials added on the
	 * board take the indices ncred, ncred + 1, ...; a revoked credential's
	 * entries do not count, wherever they are. The per-credential arrays
	 * below have room for v->cap credentials.
	 */
	uint8_t authority[32], list_digest[32];
	uint8_t (*added)[FP_BYTES]; /* the added credentials' fingerprints */
	size_t nadded, nrevoked, cap;
	uint32_t *added_slot; /* open addressing: 1 + index into added, 0 empty */
	size_t added_slots;   /* a power of two, at least twice nadded */
	/*
	 * Per credential (37 bytes, with 16 of the index: SPEC §19.5): its
	 * counted entry's position (line number) and byte offset in
	 * board.jsonl, and a keyed tag of it (§19.5) by which it is known
	 * again when its line is read again, or, once it is revoked, the
	 * revocation's position; the first 8 bytes of its first entry's
	 * tracking code; and its flags (CRED_*). What a counted entry brings
	 * to the count is added to @c agg as it is found, and taken out again,
	 * read from its line, when a later entry or a revocation replaces it.
	 */
	uint32_t *counted;  /* the counted entry's position, or 0 */
	uint64_t *counted_off;
	uint8_t (*counted_tag)[16];
	uint8_t (*first_tag)[8];
	uint8_t *flags;
	tv__aggregate agg;  /* the running sums, while agg_open */
	int agg_open;
	int sums_broken;    /* an entry could not be taken out, or added part-way */
	uint32_t options;   /* m, the manifest's */
	int board_fd;       /* board.jsonl, for lines read again (pread), or -1 */
	char *reread_buf;   /* TV_RECORD_LINE_MAX + 1 bytes */
	uint64_t last_opened; /* the last opened ballot's position */
	int64_t last_time;  /* the last good entry's time (check 9) */
	int have_time;
	uint8_t (*seen)[32]; /* later entries' tracking codes: open addressing */
	size_t seen_cap, seen_count;
	struct opened_ct *opened; /* opened ballots' ciphertexts: open addressing */
	size_t opened_cap, opened_count;
	uint64_t entries;
	uint64_t first_bad_entry; /* the first board position failing checks 5 to 9, or 0 */
	int last_head_failed;     /* the line before's head is not its entry's (check 9) */
	unsigned threads;
	tv_ctx **worker_ctx;
	recycler **recyclers; /* thread t's allocator */
	tv_result *result;
	uint8_t mf[32]; /* the manifest's fingerprint, for the batches */
	struct pool *pool; /* while the board is read */
	/*
	 * Ballot papers (§15.8), from papers.json when it is there: sorted by
	 * handle; each paper's board position once it is cast, and whether
	 * that entry is its ballot; the openings, checked after the board.
	 */
	int have_papers, have_paper_list;
	uint8_t paper_list[32]; /* P */
	struct vpaper {
		uint8_t handle[32], commit[32];
		tv_point credential;
		uint64_t cast;   /* the board position of its entry, or 0 */
		int ballot;      /* that entry is its ballot (kind paper) */
		int opened;
		/* what tv_record_papers() shows: a cast ballot's code, a rejected
		 * paper's reason, an opened paper's identifier and codes */
		char code[TV_PAPER_CODE_LEN + 1];
		uint8_t reason;
		char id[TV__PAPER_SYMBOLS + 1];
		uint8_t answers;
		char codes[TV__PAPER_ANSWERS_MAX][TV_PAPER_CODE_LEN + 1];
	} *papers;
	size_t npapers;
	uint8_t (*openings)[32];
	size_t nopenings;
	int has_seal;
	tv__openings_seal seal; /* the authority's, over the openings and the board */
	int openings_pending; /* the authority's run: papers may be unopened yet */
} vstate;

static void report(vstate *v, uint32_t check, uint64_t position, tv_status status,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(vstate *v, uint32_t check, uint64_t position, tv_status status,
                   const char *fmt, ...)
{
	tv_verify_event ev;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->failed[check] = 1;
	v->sum.failures++;
	if (check >= 5 && check <= 9 && position != 0 &&
	    (v->first_bad_entry == 0 || position < v->first_bad_entry))
		v->first_bad_entry = position;
	if (check == v->deferring) {
		if (v->ndeferred < sizeof(v->deferred) / sizeof(v->deferred[0])) {
			v->deferred[v->ndeferred].status = status;
			memcpy(v->deferred[v->ndeferred++].message, msg, sizeof(msg));
		}
		return;
	}
	ev.check = check;
	ev.name = check_names[check];
	ev.status = status;
	ev.position = position;
	ev.message = msg;
	if (v->fn != NULL)
		v->fn(&ev, v->payload);
}

/* a check cannot be done because what it needs failed */
static void undone(vstate *v, uint32_t check, const char *why)
{
	v->undone[check] = 1;
	report(v, check, 0, TV_ERR_STATE, "not done: %s", why);
}

static void end_check(vstate *v, uint32_t check)
{
	tv_verify_event ev = { check, check_names[check], TV_OK, 0, "" };

	if (v->failed[check]) {
		v->sum.failed++;
		return;
	}
	v->sum.passed++;
	if (v->fn != NULL)
		v->fn(&ev, v->payload);
}

/* a whole small file (at most @p max bytes), NUL-terminated; NULL if not */
/*
 * DIR/@p name for reading, if it is a plain file (a pipe would block the
 * verifier, or give each reading different bytes); its status in @p st
 */
static FILE *open_plain(vstate *v, uint32_t check, const char *name, struct stat *st)
{
	char path[4096];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", v->dir, name);
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		report(v, check, 0, TV_ERR_IO, "cannot read %s: %s", name, strerror(errno));
		return NULL;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		report(v, check, 0, TV_ERR_IO, "%s is not a plain file", name);
		close(fd);
		return NULL;
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		report(v, check, 0, TV_ERR_NOMEM, "cannot read %s: %s", name, strerror(errno));
		close(fd);
	}
	return f;
}

static char *read_file(vstate *v, uint32_t check, const char *name, size_t max, size_t *len)
{
	char *buf = NULL;
	struct stat st;
	FILE *f;
	long n;

	if ((f = open_plain(v, check, name, &st)) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || (size_t)n > max ||
	    fseek(f, 0, SEEK_SET) != 0) {
		report(v, check, 0, TV_ERR_IO, "%s is missing, unreadable or over %zu bytes", name, max);
		fclose(f);
		return NULL;
	}
	if ((buf = malloc((size_t)n + 1)) == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		report(v, check, 0, TV_ERR_IO, "cannot read %s", name);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* ------------------------------------------------------- checks 1 to 4 */

static void check_record(vstate *v)
{
	size_t len;
	char *text = read_file(v, 1, "record.json", 4096, &len);

	if (text != NULL && tv__record_header_from_json(v->ctx, v->f, v->box_key, text, len) != TV_OK)
		report(v, 1, 0, TV_ERR_ENCODING, "record.json is not a %s record header (format, "
		       "election, box_key)", TV_RECORD_FORMAT);
	v->have_record = !v->failed[1];
	free(text);
	end_check(v, 1);
}
static void check_manifest(vstate *v)
{
	uint8_t f[32];
	size_t len;
	char *text = read_file(v, 2, "manifest.json", TV_MANIFEST_JSON_MAX, &len);
	tv_status st;

	if (text != NULL) {
		if ((st = tv_manifest_from_json(v->ctx, &v->m, text, len)) != TV_OK)
			report(v, 2, 0, st, "%s", tv_ctx_last_error(v->ctx));
		else if (tv_manifest_fingerprint(f, v->m), v->have_record && memcmp(f, v->f, 32) != 0)
			report(v, 2, 0, TV_ERR_WRONG_ELECTION,
			       "the manifest's fingerprint is not the record's election");
	}
	if (v->failed[2]) {
		tv_manifest_free(v->m);
		v->m = NULL;
	}
	free(text);
	end_check(v, 2);
}

static void check_trustees(vstate *v)
{
	tv__transcript_lists t;
	size_t len;
	char *text;
	tv_status st;

	if (v->m == NULL) {
		undone(v, 3, "needs the manifest (check 2)");
		end_check(v, 3);
		return;
	}
	if (!v->have_context) {
		undone(v, 3, "needs the credential authority's signed list, which the ceremony is "
		       "bound to (check 4)");
		end_check(v, 3);
		return;
	}
	text = read_file(v, 3, "trustees.json", 16u << 20, &len);
	if (text == NULL)
		;
	else if ((st = tv__transcript_from_json(v->ctx, &t, text, len)) != TV_OK)
		report(v, 3, 0, st == TV_ERR_NOMEM ? st : TV_ERR_ENCODING, t.lists_bad
		       ? "trustees.json lacks commits, reveals or results"
		       : "trustees.json is not a " TV_RECORD_TRANSCRIPT " key ceremony transcript");
	else if ((st = tv_ceremony_verify(v->ctx, &v->key, v->context, tv_manifest_trustees(v->m),
	                                  tv_manifest_threshold(v->m),
	                                  (const char *const *)t.commits, t.ncommits,
	                                  (const char *const *)t.reveals, t.nreveals,
	                                  (const char *const *)t.results, t.nresults)) != TV_OK)
		report(v, 3, 0, st, "%s (the ceremony is bound to the election and to the credential "
		       "authority's signed list: a list or authority other than the trustees' fails "
		       "here)", tv_ctx_last_error(v->ctx));
	else
		v->have_key = 1;
	/* §16.3: whose ceremony it is, against the trustees' word */
	if (v->have_key && v->expected_key != NULL && !tv_point_equal(&v->key.key, v->expected_key))
		report(v, 3, 0, TV_ERR_WRONG_ELECTION, "the record's election key is NOT the one the "
		       "trustees announced: its key ceremony is not theirs");
	if (text != NULL)
		tv__transcript_lists_free(v->ctx, &t);
	free(text);
	end_check(v, 3);
}
/* the keyed fingerprint of a credential's point (vstate.index) */
static void fingerprint(const vstate *v, uint8_t out[FP_BYTES], const uint8_t *point)
{
	uint8_t d[TV_HASH_BYTES];
	tv__hash h;

	/* SHA-256 cannot fail here but for a broken OpenSSL: then every
	 * point has one fingerprint, which the index reports (two alike) */
	memset(d, 0, sizeof(d));
	if (tv__hash_begin(&h, v->ctx, "verifier-credential-index") != TV_OK) {
		tv__hash_abort(&h);
	} else {
		tv__hash_field(&h, v->index_key, sizeof(v->index_key));
		tv__hash_field(&h, point, TV_POINT_BYTES);
		if (tv__hash_final(&h, d) != TV_OK)
			memset(d, 0, sizeof(d));
	}
	memcpy(out, d, FP_BYTES);
}

/* the list's item @p i (in the list's order) put in the index */
static tv_status index_point(const uint8_t point[TV_POINT_BYTES], size_t i, void *payload)
{
	vstate *v = payload;

	if (i >= v->index_cap) {
		size_t cap = v->index_cap ? 2 * v->index_cap : 1024;
		cred_key *grown = i < UINT32_MAX ? realloc(v->index, cap * sizeof(*grown)) : NULL;

		if (grown == NULL)
			return tv__fail(v->ctx, TV_ERR_NOMEM, "out of memory for the credentials");
		v->index = grown;
		v->index_cap = cap;
	}
	fingerprint(v, v->index[i].fp, point);
	v->index[i].index = (uint32_t)i;
	return TV_OK;
}

static int cmp_key(const void *a, const void *b)
{
	return memcmp(((const cred_key *)a)->fp, ((const cred_key *)b)->fp, FP_BYTES);
}

/* the per-credential state for v->ncred credentials, and the index sorted */
static void credential_state(vstate *v)
{
	v->cap = v->ncred + 1;
	v->counted = calloc(v->cap, sizeof(*v->counted));
	v->counted_off = calloc(v->cap, sizeof(*v->counted_off));
	v->counted_tag = calloc(v->cap, sizeof(*v->counted_tag));
	v->first_tag = calloc(v->cap, sizeof(*v->first_tag));
	v->flags = calloc(v->cap, 1);
	if (v->counted == NULL || v->counted_off == NULL || v->counted_tag == NULL ||
	    v->first_tag == NULL || v->flags == NULL) {
		report(v, 4, 0, TV_ERR_NOMEM, "out of memory for %zu credentials", v->ncred);
		v->ncred = 0;
	}
}

static void sort_index(vstate *v)
{
	if (v->failed[4] || v->ncred == 0)
		return;
	/* the doubling's slack given back: up to 10 bytes a credential */
	if (v->index_cap > v->ncred) {
		cred_key *fit = realloc(v->index, v->ncred * sizeof(*fit));

		if (fit != NULL) {
			v->index = fit;
			v->index_cap = v->ncred;
		}
	}
	qsort(v->index, v->ncred, sizeof(*v->index), cmp_key);
	for (size_t i = 1; i < v->ncred; i++)
		if (memcmp(v->index[i - 1].fp, v->index[i].fp, FP_BYTES) == 0) {
			report(v, 4, 0, TV_ERR_INTERNAL, "credentials %u and %u have one fingerprint in "
			       "the verifier's index: run it again", v->index[i - 1].index + 1,
			       v->index[i].index + 1);
			return;
		}
}

/* §11.5: the list is the one the credential authority signed; C (§11.6) */
static void list_signed(vstate *v, tv_status st)
{
	if (st != TV_OK)
		report(v, 4, 0, st, "%s", tv_ctx_last_error(v->ctx));
	else if ((st = tv__ceremony_context(v->ctx, v->context, v->f, v->authority,
	                                    v->list_digest)) != TV_OK)
		report(v, 4, 0, st, "%s", tv_ctx_last_error(v->ctx));
	else
		v->have_context = 1;
}

/*
 * credentials.json read whole, as it always could be: for a file not in
 * the writer's exact form, which tv__credentials_stream leaves to it
 */
static void load_credentials_whole(vstate *v)
{
	tv__credential_list list;
	size_t len;
	char *text;
	tv_status st;

	text = read_file(v, 4, "credentials.json", 512u << 20, &len);
	memset(&list, 0, sizeof(list));
	if (text != NULL && (st = tv__credentials_from_json(v->ctx, &list, text, len)) != TV_OK) {
		report(v, 4, 0, st == TV_ERR_NOMEM ? st : TV_ERR_ENCODING,
		       st == TV_ERR_NOMEM ? "out of memory for the credentials"
		                          : "credentials.json is not a credential list");
	} else if (text != NULL) {
		v->ncred = list.count;
		if ((int64_t)v->ncred != list.electorate)
			report(v, 4, 0, TV_ERR_PROOF_INVALID, "%zu credentials for an electorate of %lld",
			       v->ncred, (long long)list.electorate);
		memcpy(v->authority, list.authority, 32);
		credential_state(v);
		for (size_t i = 0; i < list.valid && i < v->ncred; i++)
			if (index_point(list.points[i], i, v) != TV_OK) {
				report(v, 4, 0, TV_ERR_NOMEM, "out of memory for %zu credentials", v->ncred);
				v->ncred = 0;
				break;
			}
		if ((st = tv__credential_list_order(v->ctx, (const uint8_t (*)[TV_POINT_BYTES])list.points,
		                                    list.valid, v->ncred)) != TV_OK)
			report(v, 4, 0, st, "%s", tv_ctx_last_error(v->ctx));
		if (!v->failed[4] && v->have_record)
			list_signed(v, tv__credential_list_verify(v->ctx, v->list_digest, v->f,
			                                          list.authority, list.signature,
			                                          (const uint8_t (*)[TV_POINT_BYTES])
			                                                  list.points, v->ncred));
		else if (!v->failed[4])
			undone(v, 4, "needs the record's election (check 1) for the authority's signature");
		sort_index(v);
	}
	tv__credential_list_free(v->ctx, &list);
	free(text);
}

/*
 * Check 4's work, its events held back (see vstate.deferring). The list
 * is read a piece at a time (SPEC §19.5): only each credential's
 * fingerprint is kept, and the order and the list digest L are had as it
 * is read. A file not in the writer's exact form is read whole instead,
 * which gives the same verdicts for it as ever.
 */
static void load_credentials(vstate *v)
{
	tv__credential_stream cs;
	struct stat st;
	FILE *f;
	tv_status status;

	v->deferring = 4;
	if (tv__random_bytes(v->ctx, v->index_key, sizeof(v->index_key)) != TV_OK) {
		report(v, 4, 0, TV_ERR_INTERNAL, "no randomness for the verifier's index");
	} else if ((f = open_plain(v, 4, "credentials.json", &st)) == NULL) {
		;
	} else if ((uint64_t)st.st_size > (512u << 20)) {
		report(v, 4, 0, TV_ERR_IO, "%s is missing, unreadable or over %zu bytes",
		       "credentials.json", (size_t)512u << 20);
		fclose(f);
	} else {
		status = tv__credentials_stream(v->ctx, &cs, f, v->have_record ? v->f : NULL,
		                                index_point, v);
		fclose(f);
		if (status == TV_ERR_ENCODING) {
			free(v->index);
			v->index = NULL;
			v->index_cap = 0;
			load_credentials_whole(v);
		} else if (status != TV_OK) {
			report(v, 4, 0, status == TV_ERR_NOMEM ? status : TV_ERR_IO,
			       status == TV_ERR_NOMEM ? "out of memory for the credentials"
			                              : "cannot read credentials.json");
		} else {
			v->ncred = cs.count;
			if ((int64_t)v->ncred != cs.electorate)
				report(v, 4, 0, TV_ERR_PROOF_INVALID, "%zu credentials for an electorate "
				       "of %lld", v->ncred, (long long)cs.electorate);
			memcpy(v->authority, cs.authority, 32);
			credential_state(v);
			if (cs.order != TV_OK)
				report(v, 4, 0, cs.order, "%s", cs.order_message);
			if (!v->failed[4] && v->have_record) {
				memcpy(v->list_digest, cs.digest, 32);
				list_signed(v, tv__credential_digest_verify(v->ctx, v->f, cs.authority,
				                                            cs.signature, cs.digest,
				                                            v->ncred));
			} else if (!v->failed[4]) {
				undone(v, 4, "needs the record's election (check 1) for the authority's "
				       "signature");
			}
			sort_index(v);
		}
	}
	if (v->failed[4])
		v->ncred = 0;
	v->deferring = 0;
}

/* check 4's events, after check 3's */
static void check_credentials(vstate *v)
{
	for (unsigned i = 0; i < v->ndeferred; i++) {
		tv_verify_event ev = { 4, check_names[4], v->deferred[i].status, 0,
		                       v->deferred[i].message };

		if (v->fn != NULL)
			v->fn(&ev, v->payload);
	}
	v->ndeferred = 0;
	end_check(v, 4);
}
/* ------------------------------------------------------------- the board */

/* where a fingerprint's slot search starts: it is uniform throughout */
static size_t slot_of_fp(const uint8_t fp[FP_BYTES], size_t slots)
{
	uint64_t h;

	memcpy(&h, fp, sizeof(h));
	return (size_t)h & (slots - 1);
}

/* the index of @p p on the list or among the credentials added so far
 * (a hash table: the authority could add many), or -1 */
static int cred_index(const vstate *v, const tv_point *p)
{
	uint8_t fp[FP_BYTES];
	size_t lo = 0, hi = v->ncred;

	if (v->ncred == 0 && v->nadded == 0)
		return -1;
	fingerprint(v, fp, p->bytes);
	if (v->nadded > 0)
		for (size_t s = slot_of_fp(fp, v->added_slots);; s = (s + 1) & (v->added_slots - 1)) {
			uint32_t j = v->added_slot[s];

			if (j == 0)
				break;
			if (memcmp(v->added[j - 1], fp, FP_BYTES) == 0)
				return (int)(v->ncred + j - 1);
		}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = memcmp(v->index[mid].fp, fp, FP_BYTES);

		if (c == 0)
			return (int)v->index[mid].index;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* 1 if @p t was seen already among later entries; else remember it */
static int seen_before(vstate *v, const uint8_t t[32])
{
	size_t i;

	if (2 * (v->seen_count + 1) > v->seen_cap) {
		size_t cap = v->seen_cap ? 2 * v->seen_cap : 1024;
		uint8_t (*grown)[32] = calloc(cap, 32);
		static const uint8_t zero[32];

		if (grown == NULL)
			return -1;
		for (size_t k = 0; k < v->seen_cap; k++)
			if (memcmp(v->seen[k], zero, 32) != 0) {
				uint64_t h;

				memcpy(&h, v->seen[k], 8);
				for (i = h % cap; memcmp(grown[i], zero, 32) != 0; i = (i + 1) % cap)
					;
				memcpy(grown[i], v->seen[k], 32);
			}
		free(v->seen);
		v->seen = grown;
		v->seen_cap = cap;
	}
	{
		static const uint8_t zero[32];
		uint64_t h;

		memcpy(&h, t, 8);
		for (i = h % v->seen_cap; memcmp(v->seen[i], zero, 32) != 0; i = (i + 1) % v->seen_cap)
			if (memcmp(v->seen[i], t, 32) == 0)
				return 1;
		memcpy(v->seen[i], t, 32);
		v->seen_count++;
	}
	return 0;
}

static void ciphertext_bytes(uint8_t out[2 * TV_POINT_BYTES], const tv_ciphertext *c)
{
	memcpy(out, c->alpha.bytes, TV_POINT_BYTES);
	memcpy(out + TV_POINT_BYTES, c->beta.bytes, TV_POINT_BYTES);
}

/* the slot of @p ct in the opened table: its own, or the free one it would take */
static size_t opened_slot(const opened_ct *table, size_t cap, const uint8_t *ct)
{
	uint64_t h;
	size_t i;

	memcpy(&h, ct + 1, 8); /* alpha's x: a hash already */
	for (i = h % cap; table[i].position != 0 && memcmp(table[i].ct, ct, sizeof(table[i].ct)) != 0;
	     i = (i + 1) % cap)
		;
	return i;
}

/* the position of the opened ballot that holds @p ct, or 0 */
static uint64_t opened_find(const vstate *v, const uint8_t *ct)
{
	return v->opened_cap == 0 ? 0 : v->opened[opened_slot(v->opened, v->opened_cap, ct)].position;
}

/* remember @p ct of the opened ballot at @p position: -1 without memory */
static int opened_add(vstate *v, const uint8_t *ct, uint64_t position)
{
	size_t i;

	if (2 * (v->opened_count + 1) > v->opened_cap) {
		size_t cap = v->opened_cap ? 2 * v->opened_cap : 64;
		opened_ct *grown = calloc(cap, sizeof(*grown));

		if (grown == NULL)
			return -1;
		for (size_t k = 0; k < v->opened_cap; k++)
			if (v->opened[k].position != 0)
				grown[opened_slot(grown, cap, v->opened[k].ct)] = v->opened[k];
		free(v->opened);
		v->opened = grown;
		v->opened_cap = cap;
	}
	i = opened_slot(v->opened, v->opened_cap, ct);
	if (v->opened[i].position == 0) {
		memcpy(v->opened[i].ct, ct, sizeof(v->opened[i].ct));
		v->opened[i].position = position;
		v->opened_count++;
	}
	return 0;
}

/*
 * board.jsonl read a megabyte at a time, its lines found with memchr:
 * the verifier's main thread reads while the workers wait, and a receipt
 * check reads the whole board, so this is kept cheap.
 */
typedef struct line_reader {
	FILE *f;
	char *buf;
	size_t pos, len;
	uint64_t offset; /* of buf[pos] in the file */
} line_reader;

/* a reader of @p f, its buffer malloc'd (NULL when out of memory) */
static line_reader reader_of(FILE *f)
{
	line_reader r = { f, malloc(READ_CHUNK), 0, 0, 0 };

	return r;
}

/*
 * The next line of @p r into @p out, which holds TV_RECORD_LINE_MAX + 1
 * bytes: at most TV_RECORD_LINE_MAX of it are kept, NUL-terminated, so one
 * huge line cannot take memory. Returns the bytes kept (the LF included,
 * if the line has one), or 0 at the end of the file; *too_long is set when
 * the line was longer (it is then read to its end and dropped). *at, if
 * @p at is not NULL, is set to the line's offset in the file.
 */
static size_t reader_line(line_reader *r, char *out, int *too_long, uint64_t *at)
{
	size_t n = 0, kept = 0;

	*too_long = 0;
	if (at != NULL)
		*at = r->offset;
	for (;;) {
		char *lf;
		size_t take, avail;

		if (r->pos == r->len) {
			r->pos = 0;
			r->len = fread(r->buf, 1, READ_CHUNK, r->f);
			if (r->len == 0)
				break;
		}
		avail = r->len - r->pos;
		lf = memchr(r->buf + r->pos, '\n', avail);
		take = lf != NULL ? (size_t)(lf - (r->buf + r->pos)) + 1 : avail;
		if (kept < TV_RECORD_LINE_MAX) {
			size_t room = TV_RECORD_LINE_MAX - kept;
			size_t copy = take < room ? take : room;

			memcpy(out + kept, r->buf + r->pos, copy);
			kept += copy;
		}
		n += take;
		r->pos += take;
		r->offset += take;
		if (lf != NULL)
			break;
	}
	out[kept] = '\0';
	*too_long = n > TV_RECORD_LINE_MAX;
	return kept;
}

/* a check-5 failure of @p e, kept for the main thread to report */
static void entry_bad(entry *e, uint64_t position, tv_status status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void entry_bad(entry *e, uint64_t position, tv_status status, const char *fmt, ...)
{
	va_list ap;

	e->bad = 1;
	e->bad_position = position;
	e->bad_status = status;
	va_start(ap, fmt);
	vsnprintf(e->bad_message, sizeof(e->bad_message), fmt, ap);
	va_end(ap);
}

static int is_change(const entry *e)
{
	return e->kind == TV_ENTRY_CREDENTIAL_ADDED || e->kind == TV_ENTRY_CREDENTIAL_REVOKED;
}

/*
 * Check 5 on the line held by @p e (SPEC §19.3): the envelope and the
 * entry by the protocol layer's reader, then the manifest's channels and
 * window. Run by any thread with its own @p ctx: nothing is reported
 * here; a failure is kept in @p e (e->bad).
 */
static int parse_line(const vstate *v, tv_ctx *ctx, entry *e, uint64_t lineno)
{
	tv__board_entry be;
	tv_status st;

	st = tv__board_line_from_json(ctx, &be, &e->ballot, &e->spoilt, e->line, e->len, lineno);
	e->position = be.position;
	if (st != TV_OK) {
		entry_bad(e, e->position, st, "%s", tv_ctx_last_error(ctx));
		return 0;
	}
	e->kind = be.kind;
	e->channel = be.channel;
	e->time = be.time;
	memcpy(e->prev_head, be.prev_head, 32);
	memcpy(e->head, be.head, 32);
	memcpy(e->tracking, be.tracking, 32);
	e->credential = be.credential;
	if (is_change(e)) {
		e->change_credential = be.change.credential;
		memcpy(e->change_signature, be.change.signature, 64);
		e->credential = &e->change_credential;
	}
	e->choice = be.choice;
	memcpy(e->nonce, be.nonce, sizeof(e->nonce));
	memcpy(e->paper, be.paper, 32);
	e->others = be.others;
	memcpy(e->other, be.other, sizeof(e->other));
	if (v->m != NULL) {
		if (is_change(e) && e->channel != 0)
			entry_bad(e, e->position, TV_ERR_PROOF_INVALID, "a credential change has channel "
			          "%u, not 0", e->channel);
		else if (!is_change(e) && ((e->channel & tv_manifest_channels(v->m)) == 0 ||
		                           (e->channel & (e->channel - 1)) != 0))
			entry_bad(e, e->position, TV_ERR_PROOF_INVALID, "channel %u is not allowed",
			          e->channel);
		else if (e->time < tv_manifest_opens(v->m) || e->time >= tv_manifest_closes(v->m))
			entry_bad(e, e->position, TV_ERR_PROOF_INVALID,
			          "received at %lld, outside the voting window", (long long)e->time);
	}
	return !e->bad;
}

typedef struct work {
	vstate *v;
	entry *entries;
	size_t first, count; /* the share: entries [first, first + count) */
	tv_ctx *ctx;
	tv__batch *batch;    /* NULL: every entry checked on its own */
	size_t items[SHARE_MAX]; /* the entry of each batch item */
	uint8_t bad[SHARE_MAX];
	/* the share's cast ballots, and their totals (tv__ballot_totals) */
	const tv_ballot *cast[SHARE_MAX];
	size_t cast_entry[SHARE_MAX];
	tv_ciphertext totals[SHARE_MAX];
	uint8_t total_ok[SHARE_MAX];
	double busy;         /* seconds the share took */
} work;

static int cmp_vpaper_sort(const void *a, const void *b)
{
	return memcmp(((const struct vpaper *)a)->handle, ((const struct vpaper *)b)->handle, 32);
}

static int cmp_vpaper(const void *key, const void *item)
{
	return memcmp(key, ((const struct vpaper *)item)->handle, 32);
}

static struct vpaper *paper_find(const vstate *v, const uint8_t handle[32])
{
	return v->npapers == 0 ? NULL
	                       : bsearch(handle, v->papers, v->npapers, sizeof(*v->papers), cmp_vpaper);
}

/*
 * Check 7 for a paper's entry (§15.8.4): a ballot's proofs (it is not
 * signed), and its encryption one of those the paper committed, with k
 * different codes; a rejected paper's election. Whether the paper is
 * listed, and its credential's, is check 6's (settle_block).
 */
static tv_status check_paper_entry(const vstate *v, tv_ctx *ctx, const entry *e)
{
	uint8_t d[TV__PAPER_ANSWERS_MAX][32], c[32];
	char code[TV__PAPER_ANSWERS_MAX][TV_PAPER_CODE_LEN + 1];
	const struct vpaper *p;
	tv_status status;
	uint32_t k = e->others + 1;

	if (e->kind == TV_ENTRY_PAPER_SPOILT)
		return memcmp(e->spoilt->fingerprint, v->f, 32) == 0
		       ? TV_OK
		       : tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the rejected paper is another "
		                  "election's");
	if ((status = tv__ballot_verify_unsigned(ctx, e->ballot, v->m, &v->key.key)) != TV_OK)
		return status;
	{
		uint32_t answer[TV__PAPER_ANSWERS_MAX];

		if (e->others + 1 != tv__paper_answers(v->m, answer))
			return tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's entry names %u other "
			                "answers; the election's papers have %u", e->others,
			                tv__paper_answers(v->m, answer) - 1);
	}
	for (uint32_t i = 1; i < e->others; i++)
		if (memcmp(e->other[i - 1], e->other[i], 32) >= 0)
			return tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's other digests are not in "
			                "ascending order");
	if ((p = paper_find(v, e->paper)) == NULL)
		return TV_OK;
	if ((status = tv__paper_vector_digest(ctx, d[0], v->f, tv_ballot_option_count(e->ballot),
	                                      e->ballot->vote)) != TV_OK)
		return status;
	memcpy(d + 1, e->other, (size_t)e->others * 32);
	for (uint32_t i = 0; i < k; i++) {
		tv__paper_short_code(code[i], d[i]);
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(code[i], code[j]) == 0)
				return tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper has two answers with "
				                "one code, %s", code[i]);
	}
	if ((status = tv__paper_commit(ctx, c, v->f, e->paper, &p->credential, k,
	                               (const uint8_t (*)[32])d)) != TV_OK)
		return status;
	if (memcmp(c, p->commit, 32) != 0)
		return tv__fail(ctx, TV_ERR_PROOF_INVALID, "the paper's ballot (code %s) is not one of "
		                "the encryptions the credential authority committed for the paper",
		                code[0]);
	return TV_OK;
}

/* check 7 on @p e alone: its signature and proofs, with their messages */
static void check_single(const vstate *v, tv_ctx *ctx, entry *e)
{
	if (e->kind == TV_ENTRY_PAPER || e->kind == TV_ENTRY_PAPER_SPOILT) {
		if ((e->status = check_paper_entry(v, ctx, e)) != TV_OK)
			snprintf(e->message, sizeof(e->message), "%s", tv_ctx_last_error(ctx));
		return;
	}
	/* an opened ballot: its proofs, and its nonces give its ciphertexts (§15.1.5) */
	e->status = e->kind == TV_ENTRY_OPENED
	                    ? tv__opened_verify(ctx, e->ballot, e->choice, e->nonce, v->m, &v->key.key)
	            : e->ballot ? tv_ballot_verify(ctx, e->ballot, v->m, &v->key.key)
	                        : tv_spoilt_verify(ctx, e->spoilt, v->m);
	if (e->status != TV_OK)
		snprintf(e->message, sizeof(e->message), "%s", tv_ctx_last_error(ctx));
}

/* seconds on the monotonic clock */
static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * A worker's share of a block: parse (check 5), then check 7. The share's
 * cast ballots and spoilt papers are checked as one batch (SPEC §5.5); those the batch
 * finds bad, and every other entry, on their own.
 */
static void work_share(work *w)
{
	const vstate *v = w->v;
	size_t nitems = 0, nbad = 0, ncast = 0, next = 0;
	int batching = w->batch != NULL && tv__batch_start(w->batch) == TV_OK;

	for (size_t i = w->first; i < w->first + w->count; i++) {
		entry *e = &w->entries[i];

		if (e->too_long || e->cut || !parse_line(v, w->ctx, e, e->lineno))
			continue;
		/* the text is no longer needed: the block's memory is its entries */
		free(e->line);
		e->line = NULL;
		if (batching && e->kind == TV_ENTRY_BALLOT && e->ballot != NULL) {
			w->cast[ncast] = e->ballot;
			w->cast_entry[ncast++] = i;
		}
	}
	/* the cast ballots' totals, one inversion for the share */
	if (ncast > 0 && tv__ballot_totals(w->ctx, w->totals, w->total_ok, w->cast, ncast) != TV_OK)
		memset(w->total_ok, 0, ncast);
	for (size_t i = w->first; i < w->first + w->count; i++) {
		entry *e = &w->entries[i];
		const tv_ciphertext *total = NULL;

		if (e->too_long || e->cut || e->bad)
			continue;
		if (next < ncast && w->cast_entry[next] == i) {
			total = w->total_ok[next] ? &w->totals[next] : NULL;
			next++;
		}
		if (is_change(e)) {
			/* §11.7: signed by the list's authority, over the list's digest */
			e->status = v->have_context
			                    ? tv__credential_change_verify(w->ctx, v->f, v->authority,
			                                                   v->list_digest, e->kind,
			                                                   &e->change_credential,
			                                                   e->change_signature)
			                    : TV_ERR_STATE;
			if (e->status != TV_OK)
				snprintf(e->message, sizeof(e->message), "%s", e->status == TV_ERR_STATE
				         ? "not checked: needs the signed credential list (check 4)"
				         : tv_ctx_last_error(w->ctx));
			continue;
		}
		if (!v->have_key || v->m == NULL)
			continue;
		if (batching && ((e->kind == TV_ENTRY_BALLOT && e->ballot != NULL &&
		                  tv__ballot_batch_add(w->ctx, w->batch, e->ballot, v->mf, v->m,
		                                       total) == TV_OK) ||
		                 (e->kind == TV_ENTRY_SPOILT && e->spoilt != NULL &&
		                  tv__spoilt_batch_add(w->ctx, w->batch, e->spoilt, v->mf) == TV_OK))) {
			w->items[nitems++] = i;
			e->status = TV_OK;
			continue;
		}
		check_single(v, w->ctx, e);
	}
	if (nitems == 0)
		return;
	if (tv__batch_check(w->batch, w->bad, &nbad) != TV_OK) {
		/* no verdict from the batch (out of memory): each on its own */
		memset(w->bad, 1, nitems);
		nbad = nitems;
	}
	for (size_t k = 0; nbad > 0 && k < nitems; k++)
		if (w->bad[k])
			check_single(v, w->ctx, &w->entries[w->items[k]]);
}

/* a share, timed for own_share() */
static void work_some(work *w)
{
	double start = seconds();

	work_share(w);
	w->busy = seconds() - start;
}

/*
 * The pool: threads 1 .. threads−1 wait for a block, check their shares
 * and say when done; thread 0 is the caller's, which checks its own share
 * meanwhile. Started once per reading of the board, so a block costs two
 * wake-ups, not a thread's creation.
 */
typedef struct pool {
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	pthread_t tid[32];
	int started[32];
	uint64_t generation;
	unsigned pending;
	int quit;
	work w[32];
	struct worker_arg {
		struct pool *pool;
		unsigned t;
	} arg[32];
} pool;

static void *pool_thread(void *arg)
{
	struct worker_arg *a = arg;
	pool *p = a->pool;
	uint64_t seen = 0;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->generation == seen && !p->quit)
			pthread_cond_wait(&p->go, &p->mu);
		if (p->quit)
			break;
		seen = p->generation;
		pthread_mutex_unlock(&p->mu);
		work_some(&p->w[a->t]);
		pthread_mutex_lock(&p->mu);
		if (--p->pending == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void pool_stop(vstate *v)
{
	pool *p = v->pool;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (unsigned t = 1; t < v->threads; t++)
		if (p->started[t])
			pthread_join(p->tid[t], NULL);
	for (unsigned t = 0; t < v->threads; t++)
		tv__batch_free(p->w[t].batch);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	free(p);
	v->pool = NULL;
}

/* the pool, and each thread's batch (without one, ballots are checked
 * singly: the same verdicts, more slowly); 0 without memory */
static int pool_start(vstate *v)
{
	pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return 0;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	v->pool = p;
	for (unsigned t = 0; t < v->threads; t++) {
		p->w[t].v = v;
		p->w[t].ctx = v->worker_ctx[t];
		if (v->have_key && v->m != NULL &&
		    tv__batch_new(v->worker_ctx[t], &p->w[t].batch, &v->key.key) != TV_OK)
			p->w[t].batch = NULL;
	}
	for (unsigned t = 1; t < v->threads; t++) {
		p->arg[t] = (struct worker_arg){ p, t };
		p->started[t] = pthread_create(&p->tid[t], NULL, pool_thread, &p->arg[t]) == 0;
	}
	return 1;
}

/*
 * The block's lines shared among the threads, a contiguous share each:
 * the calling thread's, the first @p own of them, and the rest evenly
 * among the others, whose threads start on theirs at once.
 */
static void work_start(vstate *v, entry *entries, size_t count, size_t own)
{
	pool *p = v->pool;
	unsigned t, running = 0, others = v->threads - 1;

	p->w[0].entries = entries;
	p->w[0].first = 0;
	p->w[0].count = others == 0 ? count : own;
	for (t = 1; t < v->threads; t++) {
		size_t rest = count - own;

		p->w[t].entries = entries;
		p->w[t].first = own + rest * (t - 1) / others;
		p->w[t].count = own + rest * t / others - p->w[t].first;
		running += p->started[t];
	}
	pthread_mutex_lock(&p->mu);
	p->pending = running;
	p->generation++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
}

/* the calling thread's share, any share whose thread could not start, and
 * then the wait for the others */
static void work_finish(vstate *v)
{
	pool *p = v->pool;

	work_some(&p->w[0]);
	for (unsigned t = 1; t < v->threads; t++)
		if (!p->started[t])
			work_some(&p->w[t]);
	pthread_mutex_lock(&p->mu);
	while (p->pending > 0)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

static void clear_block(entry *entries, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		tv_ballot_free(entries[i].ballot);
		tv_spoilt_free(entries[i].spoilt);
		free(entries[i].line);
		memset(&entries[i], 0, sizeof(entries[i]));
	}
}

/*
 * Up to SHARE lines a thread, and at most about BLOCK_BYTES
 * of their text, of @p r into @p block, each copied (at most
 * TV_RECORD_LINE_MAX bytes kept); a line without its LF ends the board.
 * Returns the number read; *end is set at the end of the board.
 */
static size_t read_block(const vstate *v, line_reader *r, char *buf, entry *block,
                         uint64_t *lineno, int *end)
{
	size_t n = 0, len, bytes = 0, max = (size_t)SHARE * v->threads;
	uint64_t at;
	int too_long;

	*end = 0;
	while (n < max && bytes < BLOCK_BYTES) {
		entry *e;

		if ((len = reader_line(r, buf, &too_long, &at)) == 0) {
			*end = 1;
			return n;
		}
		e = &block[n++];
		e->lineno = ++*lineno;
		e->position = e->lineno;
		e->offset = at;
		bytes += len;
		if (too_long) {
			e->too_long = 1;
		} else if (buf[len - 1] != '\n') {
			e->cut = 1;
			*end = 1;
			return n;
		} else if ((e->line = malloc(len)) == NULL) {
			/* counts for nothing, and is reported in its turn */
			e->too_long = NO_MEMORY;
		} else {
			memcpy(e->line, buf, len - 1);
			e->line[len - 1] = '\0';
			e->len = len - 1;
		}
	}
	return n;
}

/* the position of credential @p idx's counted entry, or 0 */
static uint64_t counted_at(const vstate *v, int idx)
{
	return v->flags[idx] & CRED_REVOKED ? 0 : v->counted[idx];
}

/*
 * What a counted entry is known by when its line is read again: the first
 * 16 bytes of H("verifier-entry"; key, T, u32be(channel), u64be(position)),
 * with the run's key (vstate.index_key). T binds the ballot's ciphertexts
 * or the spoilt paper's reason (§15.1, §15.4); the channel and the
 * position are the rest of what the count takes from it. Keyed, so no one
 * can make two lines with one tag before the run.
 */
static void entry_tag(const vstate *v, uint8_t out[16], const entry *e, uint64_t position)
{
	uint8_t d[TV_HASH_BYTES];
	tv__hash h;

	memset(d, 0, sizeof(d));
	if (tv__hash_begin(&h, v->ctx, "verifier-entry") != TV_OK) {
		tv__hash_abort(&h);
	} else {
		tv__hash_field(&h, v->index_key, sizeof(v->index_key));
		tv__hash_field(&h, e->tracking, 32);
		tv__hash_u32(&h, e->channel);
		tv__hash_u64(&h, position);
		if (tv__hash_final(&h, d) != TV_OK)
			memset(d, 0, sizeof(d));
	}
	memcpy(out, d, 16);
}

/*
 * The line of board.jsonl at byte @p offset read again (pread: the board
 * is being read on the same file) and parsed into @p e, as check 5 did:
 * 1, or 0 if it cannot be or is not credential @p idx's counted entry (its
 * tag), reported under @p check (the file changed while it was read). The
 * caller frees e->ballot and e->spoilt.
 */
static int reread_counted(vstate *v, uint32_t check, int idx, entry *e)
{
	uint64_t offset = v->counted_off[idx], position = v->counted[idx];
	size_t have = 0, want = 16384;
	char *lf = NULL;

	memset(e, 0, sizeof(*e));
	while (v->board_fd >= 0 && v->reread_buf != NULL && lf == NULL &&
	       have <= TV_RECORD_LINE_MAX) {
		ssize_t n;

		if (want > TV_RECORD_LINE_MAX + 1 - have)
			want = TV_RECORD_LINE_MAX + 1 - have;
		n = pread(v->board_fd, v->reread_buf + have, want, (off_t)(offset + have));
		if (n <= 0)
			break;
		lf = memchr(v->reread_buf + have, '\n', (size_t)n);
		have += (size_t)n;
		want *= 4;
	}
	if (lf != NULL) {
		uint8_t tag[16];

		*lf = '\0';
		e->line = v->reread_buf;
		e->len = (size_t)(lf - v->reread_buf);
		if (parse_line(v, v->ctx, e, position) && !is_change(e) &&
		    (entry_tag(v, tag, e, position), memcmp(tag, v->counted_tag[idx], 16) == 0)) {
			e->line = NULL;
			return 1;
		}
	}
	tv_ballot_free(e->ballot);
	tv_spoilt_free(e->spoilt);
	memset(e, 0, sizeof(*e));
	report(v, check, position, TV_ERR_IO, "board.jsonl changed while it was read: line %llu "
	       "is not the entry checked there", (unsigned long long)position);
	return 0;
}

/* credential @p idx's counted entry taken out of the sums: read again */
static void uncount(vstate *v, int idx)
{
	entry old;
	tv_status st;

	if (counted_at(v, idx) == 0)
		return;
	if ((v->flags[idx] & CRED_UNADDABLE) || !v->agg_open)
		return; /* never added */
	if (!reread_counted(v, 5, idx, &old)) {
		v->sums_broken = 1;
		return;
	}
	if (old.spoilt != NULL) {
		st = tv__aggregate_remove_spoilt(&v->agg, old.channel,
		                                 tv_spoilt_get_reason(old.spoilt));
	} else {
		tv_ciphertext cts[TV_MAX_OPTIONS];
		uint32_t k = tv_ballot_option_count(old.ballot);

		for (uint32_t i = 0; i < k && i < TV_MAX_OPTIONS; i++)
			cts[i] = *tv_ballot_ciphertext(old.ballot, i + 1);
		st = tv__aggregate_remove_ballot(&v->agg, old.channel, cts, k);
	}
	if (st != TV_OK)
		v->sums_broken = 1;
	tv_ballot_free(old.ballot);
	tv_spoilt_free(old.spoilt);
}

/*
 * Entry @p e, now the counted one of credential @p idx: the one it
 * replaces taken out of the sums, and it added. One that cannot be added
 * (a ballot with the wrong number of answers) is marked, and reported
 * under check 11 if it is still counted at the end, as a sum of the
 * counted entries would report it.
 */
static void keep_counted(vstate *v, int idx, uint64_t position, const entry *e)
{
	tv_status st = TV_OK;

	uncount(v, idx);
	if (position > UINT32_MAX) {
		/* 4 billion lines, terabytes: the positions kept are 32 bits */
		report(v, 5, position, TV_ERR_NOMEM, "board.jsonl has too many lines to count");
		v->sums_broken = 1;
		return;
	}
	v->counted[idx] = (uint32_t)position;
	v->counted_off[idx] = e->offset;
	entry_tag(v, v->counted_tag[idx], e, position);
	v->flags[idx] &= (uint8_t)~(CRED_SPOILT | CRED_UNADDABLE);
	if (e->spoilt != NULL)
		v->flags[idx] |= CRED_SPOILT;
	if (!v->agg_open)
		return;
	st = e->spoilt != NULL
	             ? tv__aggregate_add_spoilt(&v->agg, e->channel, tv_spoilt_get_reason(e->spoilt))
	             : tv__aggregate_add(&v->agg, e->channel, e->ballot, NULL);
	if (st != TV_OK) {
		v->flags[idx] |= CRED_UNADDABLE;
		/* its checks come first: any other failure left the sums part-way */
		if (st != TV_ERR_ENCODING)
			v->sums_broken = 1;
	}
}

/* room for one more credential in every per-credential array; 0 if none */
static int grow(vstate *v)
{
	size_t cap = v->cap * 2;
	void *p;

	if (v->ncred + v->nadded + 1 < v->cap)
		return 1;
#define GROW(field, size)                                                        \
	do {                                                                     \
		if ((p = realloc(v->field, cap * (size))) == NULL)                \
			return 0;                                                \
		memset((char *)p + v->cap * (size), 0, (cap - v->cap) * (size)); \
		v->field = p;                                                    \
	} while (0)
	GROW(counted, sizeof(*v->counted));
	GROW(counted_off, sizeof(*v->counted_off));
	GROW(counted_tag, sizeof(*v->counted_tag));
	GROW(first_tag, sizeof(*v->first_tag));
	GROW(flags, 1);
	GROW(added, FP_BYTES);
#undef GROW
	v->cap = cap;
	return 1;
}

/* @p point appended to the added credentials and to their hash table */
static int add_slot(vstate *v, const uint8_t *point)
{
	if (2 * (v->nadded + 1) > v->added_slots) {
		size_t slots = v->added_slots ? 2 * v->added_slots : 64;
		uint32_t *table = calloc(slots, sizeof(*table));

		if (table == NULL)
			return 0;
		for (size_t j = 0; j < v->nadded; j++) {
			size_t s = slot_of_fp(v->added[j], slots);

			while (table[s] != 0)
				s = (s + 1) & (slots - 1);
			table[s] = (uint32_t)j + 1;
		}
		free(v->added_slot);
		v->added_slot = table;
		v->added_slots = slots;
	}
	fingerprint(v, v->added[v->nadded], point);
	{
		size_t s = slot_of_fp(v->added[v->nadded], v->added_slots);

		while (v->added_slot[s] != 0)
			s = (s + 1) & (v->added_slots - 1);
		v->added_slot[s] = (uint32_t)++v->nadded;
	}
	return 1;
}

/*
 * A credential change at @p position (SPEC §11.7): check 7 (its signature,
 * found by a worker), check 8 (never twice) and check 6 (an addition of a
 * credential not yet on the list, a revocation of one that is and was not
 * revoked). Only a change whose signature holds takes effect.
 */
static void settle_change(vstate *v, entry *e, uint64_t position)
{
	int idx, dup;

	if (e->status != TV_OK) {
		report(v, 7, position, e->status, "%s", e->message);
		return;
	}
	if ((dup = seen_before(v, e->tracking)) != 0) {
		report(v, 8, position, dup < 0 ? TV_ERR_NOMEM : TV_ERR_REPLAY,
		       dup < 0 ? "out of memory" : "the same entry is on the board before");
		return;
	}
	if (v->undone[6] || v->failed[4])
		return;
	idx = cred_index(v, e->credential);
	if (e->kind == TV_ENTRY_CREDENTIAL_ADDED) {
		if (idx >= 0) {
			report(v, 6, position, TV_ERR_CREDENTIAL_INVALID, "the credential added is on "
			       "the list already");
			return;
		}
		if (!grow(v)) {
			report(v, 6, position, TV_ERR_NOMEM, "out of memory for the credential added");
			return;
		}
		if (!add_slot(v, e->credential->bytes)) {
			report(v, 6, position, TV_ERR_NOMEM, "out of memory for the credential added");
			return;
		}
		return;
	}
	if (idx < 0) {
		report(v, 6, position, TV_ERR_CREDENTIAL_INVALID, "the credential revoked is not on "
		       "the list");
		return;
	}
	if (v->flags[idx] & CRED_REVOKED) {
		report(v, 6, position, TV_ERR_CREDENTIAL_INVALID, "the credential revoked was revoked "
		       "already at position %llu", (unsigned long long)v->counted[idx]);
		return;
	}
	/* none of its entries counts, before or after (SPEC §11.7) */
	uncount(v, idx);
	v->flags[idx] |= CRED_REVOKED;
	v->counted[idx] = position > UINT32_MAX ? UINT32_MAX : (uint32_t)position;
	v->nrevoked++;
}

/* a checked block, in board order: checks 5, 9, 7, 8 and 6, and what
 * counts; then its entries are freed */
static void settle_block(vstate *v, entry *entries, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		entry *e = &entries[i];
		uint64_t expect = v->entries + 1, want;
		uint8_t again[32];
		int idx, dup, resync, linked;

		/* check 5 */
		if (e->cut) {
			report(v, 5, e->lineno, TV_ERR_ENCODING, "the last line is cut off");
			break;
		}
		if (e->too_long == NO_MEMORY) {
			report(v, 5, e->lineno, TV_ERR_NOMEM, "out of memory");
			e->bad = 1;
		} else if (e->too_long) {
			report(v, 5, e->lineno, TV_ERR_ENCODING, "line %llu is too long",
			       (unsigned long long)e->lineno);
			e->bad = 1;
		} else if (e->bad) {
			report(v, 5, e->bad_position, e->bad_status, "%s", e->bad_message);
		}
		v->entries = expect;
		/*
		 * check 9: the chain, with the position the line holds. A line
		 * holding another position than the one expected is reported once,
		 * with what it means; the lines after it are then expected to go on
		 * from the position it holds, so one missing or extra line is one
		 * failure, not one for every line after it (§19.3).
		 */
		want = (uint64_t)((int64_t)expect + v->shift);
		resync = e->position != want;
		linked = 1;
		if (resync) {
			report(v, 9, expect, TV_ERR_PROOF_INVALID, "line %llu holds position %llu, not "
			       "%llu: %s", (unsigned long long)expect, (unsigned long long)e->position,
			       (unsigned long long)want,
			       e->position > want ? "entries are missing before it"
			                          : "an entry before it is extra, or out of order");
			v->shift = (int64_t)e->position - (int64_t)expect;
		} else if (!e->bad && memcmp(e->prev_head, v->last_head, 32) != 0) {
			/* one broken link is one failure: a wrong head before this line
			 * is named as the cause, and this line's own head is then
			 * accepted from its own prev_head too (step 2) */
			linked = 0;
			if (v->last_head_failed)
				report(v, 9, expect, TV_ERR_PROOF_INVALID, "prev_head is not the head before "
				       "it, which fails above: this follows from that entry");
			else
				report(v, 9, expect, TV_ERR_PROOF_INVALID,
				       "prev_head is not the head before it");
		}
		v->last_head_failed = 0;
		if (!e->bad) {
			/* where the chain was cut, the line is checked against its own
			 * prev_head: its head must still be its own entry's */
			int head_ok = tv__board_next_head(v->ctx, again,
			                                  resync ? e->prev_head : v->last_head,
			                                  resync ? e->position : want, e->tracking,
			                                  e->channel, e->time) == TV_OK &&
			              memcmp(again, e->head, 32) == 0;

			/* a broken link already named: the head may go on from either
			 * side of it (the running head, or the line's own prev_head) */
			if (!head_ok && !linked)
				head_ok = tv__board_next_head(v->ctx, again, e->prev_head, want, e->tracking,
				                              e->channel, e->time) == TV_OK &&
				          memcmp(again, e->head, 32) == 0;
			if (!head_ok) {
				report(v, 9, expect, TV_ERR_PROOF_INVALID,
				       "head is not the hash of the entry and the head before it");
				v->last_head_failed = 1;
			}
			memcpy(v->last_head, e->head, 32);
			/* the box appends in the order it receives: time never goes back */
			if (v->have_time && e->time < v->last_time)
				report(v, 9, expect, TV_ERR_PROOF_INVALID,
				       "received at %lld, before the entry before it (%lld)",
				       (long long)e->time, (long long)v->last_time);
			v->last_time = e->time;
			v->have_time = 1;
		}
		if (e->bad)
			continue;
		if (is_change(e)) {
			settle_change(v, e, expect);
			continue;
		}
		if (!v->have_key || v->m == NULL)
			;
		else if (e->status != TV_OK)
			report(v, 7, expect, e->status, "%s", e->message);
		/* check 8: a credential's first entry is kept per credential */
		idx = cred_index(v, e->credential);
		if (idx >= 0 && !(v->flags[idx] & CRED_HAS_FIRST)) {
			memcpy(v->first_tag[idx], e->tracking, sizeof(v->first_tag[idx]));
			v->flags[idx] |= CRED_HAS_FIRST;
			dup = 0;
		} else if (idx >= 0 && memcmp(v->first_tag[idx], e->tracking,
		                              sizeof(v->first_tag[idx])) == 0) {
			dup = 1;
		} else {
			dup = seen_before(v, e->tracking);
		}
		/* an opened ballot's ciphertexts: kept; a ballot's: never one of them */
		for (uint32_t k = 1; e->ballot != NULL && k <= tv_ballot_option_count(e->ballot); k++) {
			uint8_t ct[2 * TV_POINT_BYTES];
			uint64_t at;

			ciphertext_bytes(ct, tv_ballot_ciphertext(e->ballot, k));
			if (e->kind == TV_ENTRY_OPENED && opened_add(v, ct, expect) < 0 && dup == 0)
				dup = -1;
			if (e->kind == TV_ENTRY_OPENED)
				v->last_opened = expect;
			if ((e->kind == TV_ENTRY_BALLOT || e->kind == TV_ENTRY_PAPER) && dup == 0 &&
			    (at = opened_find(v, ct)) != 0) {
				report(v, 8, expect, TV_ERR_REPLAY, "option %u's encrypted vote is the opened "
				       "ballot's at position %llu: an opened ballot is never cast", k,
				       (unsigned long long)at);
				dup = 2; /* reported */
				break;
			}
		}
		if (dup == 1 || dup < 0)
			report(v, 8, expect, dup < 0 ? TV_ERR_NOMEM : TV_ERR_REPLAY,
			       dup < 0 ? "out of memory" : "the same entry is on the board before");
		else if (dup == 0 && e->kind != TV_ENTRY_OPENED && idx >= 0 && v->m != NULL &&
		         tv_manifest_revote(v->m) == TV_REVOTE_FIRST && counted_at(v, idx) != 0)
			/* the box refuses these under "first" (SPEC §15.2): one is a box at fault */
			report(v, 8, expect, TV_ERR_ALREADY_VOTED,
			       "a second entry of the credential whose entry at position %llu counts: "
			       "only a tenant's first ballot counts in this election, and the box "
			       "refuses any other", (unsigned long long)counted_at(v, idx));
		if (e->kind == TV_ENTRY_PAPER || e->kind == TV_ENTRY_PAPER_SPOILT) {
			/* §15.8: a listed paper, of its credential, cast once */
			struct vpaper *p = paper_find(v, e->paper);

			if (p == NULL) {
				report(v, 6, expect, TV_ERR_CREDENTIAL_INVALID, v->have_papers
				       ? "the paper is not on the credential authority's list of papers"
				       : "a paper's entry, in a record without papers.json");
				continue;
			}
			if (memcmp(p->credential.bytes, e->credential->bytes, TV_POINT_BYTES) != 0) {
				report(v, 6, expect, TV_ERR_CREDENTIAL_INVALID, "the entry's credential is "
				       "not the one the paper was made for");
				continue;
			}
			if (p->cast != 0) {
				report(v, 8, expect, TV_ERR_REPLAY, "the paper was cast before, at position "
				       "%llu: a paper is cast once", (unsigned long long)p->cast);
			} else {
				p->cast = expect;
				p->ballot = e->kind == TV_ENTRY_PAPER;
				if (p->ballot) {
					uint8_t d[32];

					if (tv__paper_vector_digest(v->ctx, d, v->f,
					                            tv_ballot_option_count(e->ballot),
					                            e->ballot->vote) == TV_OK)
						tv__paper_short_code(p->code, d);
				} else {
					p->reason = (uint8_t)tv_spoilt_get_reason(e->spoilt);
				}
			}
		}
		if (idx < 0) {
			if (!v->undone[6])
				report(v, 6, expect, TV_ERR_CREDENTIAL_INVALID,
				       "the credential is not on the list");
			continue;
		}
		/* §15.8.4: a paper never replaces its tenant's vote (under "first"
		 * the second entry is found above) */
		if ((e->kind == TV_ENTRY_PAPER || e->kind == TV_ENTRY_PAPER_SPOILT) && dup == 0 &&
		    v->m != NULL && tv_manifest_revote(v->m) != TV_REVOTE_FIRST &&
		    counted_at(v, idx) != 0)
			report(v, 8, expect, TV_ERR_ALREADY_VOTED, "a paper cast after its tenant's vote "
			       "at position %llu: a paper never replaces a vote, and the box refuses it",
			       (unsigned long long)counted_at(v, idx));
		if (v->flags[idx] & CRED_REVOKED) {
			report(v, 6, expect, TV_ERR_CREDENTIAL_INVALID, "the credential was revoked by "
			       "the credential authority at position %llu",
			       (unsigned long long)v->counted[idx]);
			continue;
		}
		/* an opened ballot is never counted (§17.1.1) */
		if (e->kind != TV_ENTRY_OPENED && v->m != NULL &&
		    (tv_manifest_revote(v->m) != TV_REVOTE_FIRST || counted_at(v, idx) == 0))
			keep_counted(v, idx, expect, e);
	}
	clear_block(entries, count);
}

/*
 * Check 8, at the end of the board: a counted ballot that holds an opened
 * ballot's ciphertext, where the opening came after it (one before it was
 * found as the board was read). In the order of the credential list. Only
 * counted ballots before the last opening can, and only those are read
 * again from their lines: none when nothing was opened.
 */
static void counted_not_opened(vstate *v)
{
	if (v->opened_count == 0 || v->m == NULL)
		return;
	for (size_t idx = 0; idx < v->ncred; idx++) {
		uint64_t pos = counted_at(v, (int)idx);
		entry e;

		if (pos == 0 || pos > v->last_opened || (v->flags[idx] & CRED_SPOILT))
			continue;
		if (!reread_counted(v, 5, (int)idx, &e))
			continue;
		for (uint32_t k = 0; e.ballot != NULL && k < tv_ballot_option_count(e.ballot) &&
		                     k < v->options; k++) {
			uint8_t ct[2 * TV_POINT_BYTES];
			uint64_t at;

			ciphertext_bytes(ct, tv_ballot_ciphertext(e.ballot, k + 1));
			if ((at = opened_find(v, ct)) > pos) {
				report(v, 8, pos, TV_ERR_REPLAY, "option %u's encrypted vote is "
				       "the opened ballot's at position %llu: an opened ballot is never "
				       "counted", k + 1, (unsigned long long)at);
				break;
			}
		}
		tv_ballot_free(e.ballot);
		tv_spoilt_free(e.spoilt);
	}
}

/* board.jsonl: a plain file (a pipe would block; SPEC §19.2), read once */
static FILE *open_board(vstate *v, uint32_t check)
{
	struct stat st;

	return open_plain(v, check, "board.jsonl", &st);
}

/* a read error is not the end of the board */
static void board_read_error(vstate *v, FILE *f, uint32_t check, uint64_t lineno)
{
	if (ferror(f))
		report(v, check, lineno, TV_ERR_IO, "cannot read board.jsonl after line %llu",
		       (unsigned long long)lineno);
}

/*
 * The calling thread's share of the next block of @p count lines, given
 * that its serial work (settling the block before, reading the block
 * after) took @p serial seconds, so that it ends its share when the others
 * end theirs (SPEC §19.5): from the last block's time per line on the
 * calling thread and on the others, each half the last estimate and half
 * the one before. No share is more than SHARE_MAX.
 */
static size_t own_share(vstate *v, size_t count, double serial)
{
	pool *p = v->pool;
	double others = (double)(v->threads - 1), mine = 0, theirs = 0, own;
	size_t least, most = count < SHARE_MAX ? count : SHARE_MAX, n = 0;

	if (v->threads == 1)
		return count;
	least = count > SHARE_MAX * (v->threads - 1) ? count - SHARE_MAX * (v->threads - 1) : 0;
	if (p->w[0].count > 0)
		mine = p->w[0].busy / (double)p->w[0].count;
	for (unsigned t = 1; t < v->threads; t++)
		if (p->w[t].count > 0) {
			theirs += p->w[t].busy / (double)p->w[t].count;
			n++;
		}
	if (mine > 0 && n > 0) {
		theirs /= (double)n;
		v->line_mine = v->line_mine > 0 ? (v->line_mine + mine) / 2 : mine;
		v->line_theirs = v->line_theirs > 0 ? (v->line_theirs + theirs) / 2 : theirs;
	}
	if (v->line_mine <= 0 || v->line_theirs <= 0)
		own = (double)(count / v->threads);
	else
		/* serial + own·mine = (count − own)·theirs / others */
		own = ((double)count * v->line_theirs / others - serial) /
		      (v->line_mine + v->line_theirs / others);
	if (own <= (double)least)
		return least;
	return own >= (double)most ? most : (size_t)own;
}

/*
 * Check 7, after the board (§15.8.6): each opening opens a listed paper
 * not cast as a ballot, to the encryptions of its answers the paper
 * committed, with k different codes; and every paper is cast as a ballot
 * or opened.
 */
static void check_openings(vstate *v)
{
	size_t unopened = 0;
	uint8_t prev[32];

	if (!v->have_papers || !v->have_key || v->m == NULL)
		return;
	/* the openings are the authority's, made against this closed board */
	if (!v->openings_pending && v->has_seal) {
		if (tv__paper_openings_verify(v->ctx, v->f, v->authority, v->paper_list, &v->seal,
		                              (const uint8_t (*)[32])v->openings, v->nopenings) !=
		    TV_OK)
			report(v, 7, 0, TV_ERR_SIGNATURE_INVALID, "the openings are not signed by the "
			       "credential authority over this list of papers");
		else if (v->seal.entries != v->entries || memcmp(v->seal.head, v->last_head, 32) != 0)
			report(v, 7, 0, TV_ERR_PROOF_INVALID, "the openings were made against another "
			       "board (%llu entries) than this record's (%llu): the board the authority "
			       "was shown is not the one published",
			       (unsigned long long)v->seal.entries, (unsigned long long)v->entries);
	} else if (!v->openings_pending && v->nopenings > 0) {
		report(v, 7, 0, TV_ERR_SIGNATURE_INVALID, "the openings carry no seal of the "
		       "credential authority");
	}
	for (size_t i = 0; i < v->nopenings; i++) {
		struct vpaper *p;
		tv__paper q;
		uint8_t c[32];
		char printed[TV_PAPER_ID_TEXT_LEN + 1];

		if (tv__paper_from_opening(v->ctx, &q, v->f, v->m, &v->key.key, v->openings[i]) !=
		    TV_OK) {
			report(v, 7, 0, tv_ctx_last_status(v->ctx), "opening %zu: %s", i + 1,
			       tv_ctx_last_error(v->ctx));
			continue;
		}
		tv__paper_id_print(printed, q.id);
		if (i > 0 && memcmp(prev, q.handle, 32) > 0)
			report(v, 7, 0, TV_ERR_PROOF_INVALID, "opening %zu (paper %s) is out of order: "
			       "the openings are in ascending order of their papers' handles", i + 1,
			       printed);
		memcpy(prev, q.handle, 32);
		if ((p = paper_find(v, q.handle)) == NULL) {
			report(v, 7, 0, TV_ERR_PROOF_INVALID, "opening %zu is of paper %s, which is not "
			       "on the list of papers", i + 1, printed);
			continue;
		}
		if (p->ballot) {
			report(v, 7, p->cast, TV_ERR_PROOF_INVALID, "opening %zu is of paper %s, whose "
			       "ballot was cast at position %llu: opening it shows that vote", i + 1,
			       printed, (unsigned long long)p->cast);
			continue;
		}
		if (p->opened) {
			report(v, 7, 0, TV_ERR_PROOF_INVALID, "paper %s is opened twice", printed);
			continue;
		}
		p->opened = 1;
		memcpy(p->id, q.id, sizeof(p->id));
		p->answers = (uint8_t)q.answers;
		memcpy(p->codes, q.code, sizeof(p->codes));
		if (tv__paper_commit(v->ctx, c, v->f, q.handle, &p->credential, q.answers,
		                     (const uint8_t (*)[32])q.digest) != TV_OK ||
		    memcmp(c, p->commit, 32) != 0)
			report(v, 7, 0, TV_ERR_PROOF_INVALID, "paper %s: its answers' encryptions, made "
			       "again from its opening, are not what the credential authority "
			       "committed: its codes were not honest", printed);
		else if (!q.distinct)
			report(v, 7, 0, TV_ERR_PROOF_INVALID, "paper %s has two answers with one code",
			       printed);
	}
	for (size_t i = 0; i < v->npapers && !v->openings_pending; i++)
		if (!v->papers[i].ballot && !v->papers[i].opened && unopened++ < 10) {
			char h[65];

			tv__hex_encode(h, v->papers[i].handle, 32);
			report(v, 7, v->papers[i].cast, TV_ERR_PROOF_INVALID, "the paper with handle "
			       "%.16s… was neither cast nor opened: its codes cannot be checked", h);
		}
	if (unopened > 10)
		report(v, 7, 0, TV_ERR_PROOF_INVALID, "and %zu more papers were neither cast nor "
		       "opened", unopened - 10);
}

static int cmp_handle_at(const void *a, const void *b)
{
	return memcmp(((const struct vpaper *)a)->credential.bytes,
	              ((const struct vpaper *)b)->credential.bytes, TV_POINT_BYTES);
}

/*
 * papers.json, when it is there (§18.7a), under check 4: the list's form,
 * its order, each credential on the signed list once, and the
 * authority's signature on P. P starts the board (check 9) even when the
 * list fails, so that a record cannot drop its papers unseen.
 */
static void load_papers(vstate *v)
{
	tv__papers_record r;
	struct stat st;
	char path[4096];
	size_t len;
	char *text;
	tv_status status;
	tv__hash h;

	snprintf(path, sizeof(path), "%s/papers.json", v->dir);
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return;
	v->have_papers = 1;
	v->deferring = 4;
	if ((text = read_file(v, 4, "papers.json", 512u << 20, &len)) == NULL)
		goto out;
	if ((status = tv__papers_json_read(v->ctx, &r, text, len)) != TV_OK) {
		report(v, 4, 0, status, "%s", tv_ctx_last_error(v->ctx));
		free(text);
		goto out;
	}
	free(text);
	v->npapers = r.count;
	v->nopenings = r.nopened;
	v->openings = malloc((r.nopened + 1) * 32);
	v->papers = calloc(r.count + 1, sizeof(*v->papers));
	if (v->papers == NULL || v->openings == NULL) {
		report(v, 4, 0, TV_ERR_NOMEM, "out of memory for %zu papers", r.count);
		v->npapers = v->nopenings = 0;
		tv__papers_record_free(v->ctx, &r);
		goto out;
	}
	memcpy(v->openings, r.opened, r.nopened * 32);
	v->has_seal = r.has_seal;
	v->seal = r.seal;
	for (size_t i = 0; i < r.count; i++) {
		memcpy(v->papers[i].handle, r.papers[i].handle, 32);
		memcpy(v->papers[i].commit, r.papers[i].commit, 32);
		v->papers[i].credential = r.papers[i].credential;
	}
	if (memcmp(r.authority, v->authority, 32) != 0)
		report(v, 4, 0, TV_ERR_SIGNATURE_INVALID, "papers.json is signed by another authority "
		       "than credentials.json");
	for (size_t i = 1; i < r.count; i++)
		if (memcmp(r.papers[i - 1].handle, r.papers[i].handle, 32) >= 0) {
			report(v, 4, 0, TV_ERR_PROOF_INVALID, "papers.json: paper %zu is listed twice or "
			       "out of order (the list is sorted by handle)", i + 1);
			break;
		}
	for (size_t i = 0; i < r.count && !v->failed[4]; i++)
		if (cred_index(v, &r.papers[i].credential) < 0 ||
		    cred_index(v, &r.papers[i].credential) >= (int)v->ncred)
			report(v, 4, 0, TV_ERR_PROOF_INVALID, "papers.json: paper %zu's credential is not "
			       "on the signed credential list", i + 1);
	{
		/* one paper a credential */
		struct vpaper *by = malloc((r.count + 1) * sizeof(*by));

		if (by != NULL) {
			memcpy(by, v->papers, r.count * sizeof(*by));
			qsort(by, r.count, sizeof(*by), cmp_handle_at);
			for (size_t i = 1; i < r.count; i++)
				if (memcmp(by[i - 1].credential.bytes, by[i].credential.bytes,
				           TV_POINT_BYTES) == 0) {
					report(v, 4, 0, TV_ERR_PROOF_INVALID, "papers.json: two papers for one "
					       "credential");
					break;
				}
			free(by);
		}
	}
	if (tv__paper_list_begin(&h, v->ctx, v->f, r.authority, v->list_digest, r.count) == TV_OK) {
		for (size_t i = 0; i < r.count; i++)
			tv__paper_list_add(&h, r.papers[i].handle, &r.papers[i].credential,
			                   r.papers[i].commit);
		if (tv__hash_final(&h, v->paper_list) == TV_OK) {
			tv_ed25519_public_key a;
			tv_ed25519_signature sig;

			v->have_paper_list = 1;
			memcpy(a.bytes, r.authority, 32);
			memcpy(sig.bytes, r.signature, 64);
			if (!v->have_context)
				undone(v, 4, "needs the signed credential list for the papers' signature");
			else if (tv_ed25519_verify(v->ctx, &sig, &a, v->paper_list, 32) != TV_OK)
				report(v, 4, 0, TV_ERR_SIGNATURE_INVALID, "the credential authority's "
				       "signature on the list of %zu papers does not verify", r.count);
		}
	}
	/* the list sorted for paper_find, whatever its order in the file */
	qsort(v->papers, v->npapers, sizeof(*v->papers), cmp_vpaper_sort);
	tv__papers_record_free(v->ctx, &r);
out:
	v->deferring = 0;
}

static void check_board(vstate *v)
{
	size_t most = (size_t)SHARE * v->threads; /* read_block()'s */
	entry *blocks[2] = { calloc(most, sizeof(entry)), calloc(most, sizeof(entry)) };
	size_t n[2] = { 0, 0 }, own;
	double serial, t0;
	int cur = 0, settled = 1;
	char *line = malloc(TV_RECORD_LINE_MAX + 1);
	line_reader reader = reader_of(NULL);
	uint64_t lineno = 0;
	int end = 0;
	FILE *f = NULL;

	if ((v->have_paper_list ? tv__paper_start_head(v->ctx, v->last_head, v->f, v->paper_list)
	                        : tv__board_start_head(v->ctx, v->last_head, v->f)) != TV_OK)
		report(v, 9, 0, TV_ERR_INTERNAL, "cannot hash the start of the board");
	if (!v->have_key || v->m == NULL)
		undone(v, 7, "needs the manifest and the election key (checks 2, 3)");
	if (v->failed[4])
		undone(v, 6, "needs the credential list (check 4)");
	/* the running sums of the counted entries (§19.5) */
	if (v->m != NULL)
		v->options = tv_manifest_option_count(v->m);
	if (v->m != NULL && v->ncred > 0) {
		v->agg_open = tv__aggregate_open(v->ctx, &v->agg, v->m) == TV_OK;
		if (!v->agg_open)
			report(v, 5, 0, TV_ERR_NOMEM, "out of memory for %zu credentials' ballots",
			       v->ncred);
	}
	if (v->m != NULL)
		tv_manifest_fingerprint(v->mf, v->m);
	v->reread_buf = malloc(TV_RECORD_LINE_MAX + 1);
	if (blocks[0] == NULL || blocks[1] == NULL || line == NULL || reader.buf == NULL ||
	    v->reread_buf == NULL || !pool_start(v)) {
		report(v, 5, 0, TV_ERR_NOMEM, "out of memory");
	} else if ((f = open_board(v, 5)) == NULL) {
		for (uint32_t c = 6; c <= 9; c++)
			if (!v->undone[c])
				undone(v, c, "board.jsonl cannot be read (check 5)");
	}
	if (f == NULL) {
		pool_stop(v);
		free(blocks[0]);
		free(blocks[1]);
		free(line);
		free(reader.buf);
		return;
	}
	reader.f = f;
	/* earlier lines are read again from the same file (pread leaves the
	 * reading where it is) */
	v->board_fd = fileno(f);
	/*
	 * A pipeline (SPEC §19.5): while the other threads check block k, the
	 * calling thread settles block k-1 and reads block k+1, then checks its
	 * own share of block k, made smaller by the time the rest took.
	 */
	n[cur] = read_block(v, &reader, line, blocks[cur], &lineno, &end);
	own = own_share(v, n[cur], 0);
	for (;;) {
		int next = !cur, more = !end;

		work_start(v, blocks[cur], n[cur], own);
		t0 = seconds();
		if (!settled) {
			settle_block(v, blocks[next], n[next]);
			if (v->progress != NULL)
				v->progress("checking the board", lineno - n[cur], 0,
				            v->progress_payload);
		}
		n[next] = more ? read_block(v, &reader, line, blocks[next], &lineno, &end) : 0;
		serial = seconds() - t0;
		work_finish(v);
		settled = 0;
		if (!more)
			break;
		own = own_share(v, n[next], serial);
		cur = next;
	}
	settle_block(v, blocks[cur], n[cur]);
	if (v->progress != NULL)
		v->progress("checking the board", lineno, 0, v->progress_payload);
	pool_stop(v);
	board_read_error(v, f, 5, lineno);
	counted_not_opened(v);
	check_openings(v);
	/* the lines of the counted entries that cannot be added, for recount */
	v->board_fd = dup(fileno(f));
	free(line);
	free(reader.buf);
	free(blocks[0]);
	free(blocks[1]);
	fclose(f);
}

/* ---------------------------------------------------------------- close */

static void check_close(vstate *v)
{
	size_t len;
	char *text = read_file(v, 10, "close.json", 4096, &len);
	uint8_t msg[32];
	tv_ed25519_signature sig;
	tv_ed25519_public_key pk;
	tv__close c;
	tv_status st = TV_ERR_INTERNAL;

	if (text != NULL && tv__close_read(v->ctx, &c, text, len) != TV_OK) {
		report(v, 10, 0, TV_ERR_ENCODING, "close.json is not a signed close");
	} else if (text != NULL) {
		if (c.entries != v->entries)
			report(v, 10, 0, TV_ERR_PROOF_INVALID, "the close counts %llu entries, the board "
			       "has %llu", (unsigned long long)c.entries, (unsigned long long)v->entries);
		if (memcmp(c.head, v->last_head, 32) != 0)
			report(v, 10, 0, TV_ERR_PROOF_INVALID, "the close's head is not the board's last");
		/* close/2 (SPEC §19.3 check 10): the time and the reason are signed */
		if (c.version == 2 && v->have_time && c.closed < v->last_time)
			report(v, 10, 0, TV_ERR_PROOF_INVALID, "the close at %lld is before the board's "
			       "last entry at %lld", (long long)c.closed, (long long)v->last_time);
		if (c.version == 2 && v->m != NULL && c.closed < tv_manifest_closes(v->m) &&
		    tv__close_reason_check(v->ctx, c.reason, c.reason_len, 1) != TV_OK)
			report(v, 10, 0, TV_ERR_PROOF_INVALID, "voting was closed early (at %lld, before "
			       "the manifest's close at %lld) and the close gives no reason",
			       (long long)c.closed, (long long)tv_manifest_closes(v->m));
		memcpy(pk.bytes, v->box_key, 32);
		memcpy(sig.bytes, c.signature, 64);
		st = c.version == 2 ? tv__close_at_message(v->ctx, msg, v->f, c.entries, c.head,
		                                           c.closed, c.reason, c.reason_len)
		                    : tv__close_message(v->ctx, msg, v->f, c.entries, c.head);
		if (st != TV_OK || tv_ed25519_verify(v->ctx, &sig, &pk, msg, 32) != TV_OK)
			report(v, 10, 0, TV_ERR_SIGNATURE_INVALID,
			       "the close is not signed by the record's box key");
	}
	free(text);
	end_check(v, 10);
}
/* ---------------------------------------------------------------- count */

/* SPEC §11.7: the list, with the credentials added, less those revoked */
static uint64_t electorate(const vstate *v)
{
	return (uint64_t)(v->ncred + v->nadded - v->nrevoked);
}

/*
 * The counted entries' sums, added up as the board was read (§19.5) by
 * the tally layer: the same aggregation as the box's tally
 * (lib/tally/aggregate.c), finished here with the start of §17.1.2, which
 * needs the final head. NULL when the sums could not be had (reported
 * under check 11): as when they are added up in the list's order at the
 * end, the first counted entry in that order that cannot be added is
 * named, with why, and the entries up to it are the ones counted.
 */
static tv_tally *recount(vstate *v)
{
	tv_tally *mine = NULL;
	tv_status st = TV_OK;

	if (!v->agg_open) {
		report(v, 11, 0, TV_ERR_NOMEM, "out of memory: the counted entries were not kept");
		return NULL;
	}
	for (size_t idx = 0; idx < v->ncred + v->nadded && st == TV_OK; idx++) {
		entry e;

		if (counted_at(v, (int)idx) == 0)
			continue;
		v->sum.counted++;
		if (!(v->flags[idx] & CRED_UNADDABLE))
			continue;
		/* why, from its line: adding it again fails as it did, changing nothing */
		if (!reread_counted(v, 11, (int)idx, &e))
			st = TV_ERR_IO;
		else if ((st = e.spoilt != NULL
		                       ? tv__aggregate_add_spoilt(&v->agg, e.channel,
		                                                  tv_spoilt_get_reason(e.spoilt))
		                       : tv__aggregate_add(&v->agg, e.channel, e.ballot, NULL)) == TV_OK)
			st = tv__fail(v->ctx, TV_ERR_INTERNAL, "it was not added when it was read");
		if (st != TV_ERR_IO)
			report(v, 11, v->counted[idx], TV_ERR_PROOF_INVALID, "cannot add the entry up: %s",
			       tv_ctx_last_error(v->ctx));
		tv_ballot_free(e.ballot);
		tv_spoilt_free(e.spoilt);
	}
	if (st == TV_OK && v->sums_broken) {
		report(v, 11, 0, TV_ERR_IO, "the counted entries could not be added up: an entry "
		       "replaced by a later one could not be taken out of the sums");
		st = TV_ERR_IO;
	}
	/* SPEC §17.1.2: each sum starts from (h·G, h·K), h from F and the
	 * final head */
	if (st == TV_OK && tv__aggregate_close(&v->agg, &v->key.key, v->f, v->last_head, v->entries,
	                                       electorate(v)) != TV_OK) {
		report(v, 11, 0, TV_ERR_INTERNAL, "cannot start the sums: %s",
		       tv_ctx_last_error(v->ctx));
		st = TV_ERR_INTERNAL;
	}
	/* a sum at infinity cannot be the tally's */
	if (st == TV_OK && tv__aggregate_finish(&v->agg, &mine) != TV_OK)
		report(v, 11, 0, TV_ERR_PROOF_INVALID, "%s", tv_ctx_last_error(v->ctx));
	tv__aggregate_free(&v->agg);
	v->agg_open = 0;
	return mine;
}

static void check_count(vstate *v)
{
	tv_tally_info mine, theirs;
	tv_tally *tally = NULL, *recounted = NULL;
	uint64_t totals[TV_MAX_OPTIONS];
	char *text, *inner = NULL, **dec = NULL;
	size_t len, ndec = 0;
	tv_status st;

	text = read_file(v, 11, "tally.json", 64u << 20, &len);
	if (text != NULL && (st = tv__record_tally_from_json(v->ctx, &inner, &dec, &ndec, text,
	                                                     len)) != TV_OK) {
		report(v, 11, 0, st == TV_ERR_NOMEM ? st : TV_ERR_ENCODING,
		       "tally.json is not a record tally");
	} else if (text != NULL && (st = tv_tally_from_json(v->ctx, &tally, inner, strlen(inner))) != TV_OK) {
		report(v, 11, 0, st, "%s", tv_ctx_last_error(v->ctx));
	} else if (text != NULL) {
		if (v->m == NULL || v->ncred == 0 || !v->have_key) {
			undone(v, 11, "needs the manifest, the election key and the credentials "
			       "(checks 2, 3, 4)");
		} else {
			/* SPEC §19.3: a board entry that failed a check is the likely
			 * root cause of sums that differ; say so once, here */
			char cause[160] = "";

			if (v->first_bad_entry != 0)
				snprintf(cause, sizeof(cause), "; the board entry at position %llu fails a "
				         "check above, and a changed entry changes the sums",
				         (unsigned long long)v->first_bad_entry);
			recounted = recount(v);
			tv_tally_get_info(&theirs, tally);
			if (memcmp(theirs.election, v->f, 32) != 0 || memcmp(theirs.head, v->last_head, 32) != 0 ||
			    theirs.entries != v->entries || theirs.electorate != electorate(v))
				report(v, 11, 0, TV_ERR_PROOF_INVALID, "the tally's election, head, entries or "
				       "electorate is not the record's");
			if (recounted != NULL) {
				tv_tally_get_info(&mine, recounted);
				if (theirs.ballots != mine.ballots ||
				    memcmp(theirs.spoilt, mine.spoilt, sizeof(mine.spoilt)) != 0 ||
				    memcmp(theirs.by_channel, mine.by_channel, sizeof(mine.by_channel)) != 0)
					report(v, 11, 0, TV_ERR_PROOF_INVALID, "the tally counts %llu ballots, "
					       "the board's counted entries %llu (or spoilt papers or channels "
					       "differ)%s", (unsigned long long)theirs.ballots,
					       (unsigned long long)mine.ballots, cause);
				for (uint32_t i = 0; i < theirs.options; i++) {
					const tv_ciphertext *t = tv_tally_sum(tally, i + 1);
					const tv_ciphertext *c = tv_tally_sum(recounted, i + 1);

					if (c == NULL || memcmp(t, c, sizeof(*c)) != 0) {
						report(v, 11, 0, TV_ERR_PROOF_INVALID, "option %u: the sum is "
						       "not the sum of the counted ballots%s", i + 1, cause);
						break;
					}
				}
			}
		}
	}
	end_check(v, 11);
	free(text);
	/* checks 12 and 13: the decryptions, then the totals */
	if (tally == NULL || !v->have_key || v->m == NULL || v->failed[11]) {
		undone(v, 12, "needs the tally and the election key (checks 3, 11)");
		undone(v, 13, "needs the decryptions (check 12)");
	} else if ((st = tv_tally_combine(v->ctx, &v->result, totals, tally, v->m, &v->key,
	                                  (const char *const *)dec, ndec)) != TV_OK) {
		if (st == TV_ERR_RANGE_INVALID) {
			report(v, 13, 0, st, "%s", tv_ctx_last_error(v->ctx));
		} else {
			/* too few decryptions, or one twice, is the record's fault */
			report(v, 12, 0, st == TV_ERR_INVALID_ARGUMENT ? TV_ERR_PROOF_INVALID : st,
			       "%s", tv_ctx_last_error(v->ctx));
			undone(v, 13, "needs the decryptions (check 12)");
		}
	}
	end_check(v, 12);
	end_check(v, 13);
	tv__members_free(v->ctx, dec, ndec);
	tv__free(v->ctx, inner);
	tv_tally_free(tally);
	tv_tally_free(recounted);
}

static void check_result(vstate *v)
{
	tv_result *r = NULL;
	char *text, *decl = NULL, *mine = NULL;
	size_t len, dlen;
	tv_status st;

	if (v->m == NULL) {
		undone(v, 14, "needs the manifest (check 2)");
		undone(v, 15, "needs the result (check 14)");
		end_check(v, 14);
		end_check(v, 15);
		return;
	}
	text = read_file(v, 14, "result.json", 1u << 20, &len);
	if (text != NULL && (st = tv_result_from_json(v->ctx, &r, v->m, text, len)) != TV_OK) {
		report(v, 14, 0, st, "%s", tv_ctx_last_error(v->ctx));
	} else if (text != NULL && v->result != NULL) {
		const tv_result *a = r, *b = v->result;
		int same = tv_result_electorate(a) == tv_result_electorate(b) &&
		           tv_result_blank(a) == tv_result_blank(b) &&
		           tv_result_option_count(a) == tv_result_option_count(b);

		for (uint32_t c = 0; c < 4 && same; c++)
			same = tv_result_by_channel(a, 1u << c) == tv_result_by_channel(b, 1u << c);
		for (int k = 1; k <= TV_SPOILT_REASONS && same; k++)
			same = tv_result_rejected(a, (tv_spoilt_reason)k) == tv_result_rejected(b, (tv_spoilt_reason)k);
		for (uint32_t i = 1; i <= tv_result_option_count(a) && same; i++)
			same = tv_result_votes(a, i) == tv_result_votes(b, i);
		if (!same)
			report(v, 14, 0, TV_ERR_PROOF_INVALID, "result.json's figures are not the ones the "
			       "decrypted totals and the board give");
	} else if (text != NULL) {
		undone(v, 14, "the totals could not be had (checks 11 to 13): only the rule was checked");
	}
	free(text);
	end_check(v, 14);
	if (r == NULL) {
		undone(v, 15, "needs the result (check 14)");
	} else if ((decl = read_file(v, 15, "declaration.txt", 1u << 20, &dlen)) != NULL) {
		if (tv_result_declaration(v->ctx, &mine, NULL, r) != TV_OK)
			report(v, 15, 0, TV_ERR_NOMEM, "cannot write the declaration");
		else if (strlen(mine) != dlen || memcmp(mine, decl, dlen) != 0)
			report(v, 15, 0, TV_ERR_PROOF_INVALID,
			       "declaration.txt is not the declaration of result.json");
	}
	tv_free(v->ctx, mine);
	free(decl);
	tv_result_free(r);
	end_check(v, 15);
}

/* a verification's state, its worker contexts made; TV_OK or why not */
static tv_status vstate_begin(vstate *v, tv_ctx *ctx, const char *dir, unsigned threads,
                              tv_verify_fn fn, void *payload, tv_progress_fn progress,
                              void *progress_payload)
{
	struct stat st;

	memset(v, 0, sizeof(*v));
	v->board_fd = -1;
	v->ctx = ctx;
	v->dir = dir;
	v->fn = fn;
	v->payload = payload;
	v->progress = progress;
	v->progress_payload = progress_payload;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		threads = n > 0 ? (unsigned)n : 1;
	}
	threads = threads > 32 ? 32 : threads;
	if (stat(dir, &st) != 0)
		return tv__fail(ctx, TV_ERR_IO, "cannot read the record folder %s: %s", dir,
		                strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return tv__fail(ctx, TV_ERR_IO, "%s is not a folder (a record is a folder)", dir);
	if ((v->worker_ctx = calloc(threads, sizeof(*v->worker_ctx))) == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
	/* only now: vstate_end() frees v->threads - 1 worker contexts */
	v->threads = threads;
	v->worker_ctx[0] = ctx;
	if ((v->recyclers = calloc(threads + 1, sizeof(*v->recyclers))) == NULL) {
		v->threads = 1;
		return TV_OK;
	}
	/* each thread's share, the calling thread's too, has a context of its
	 * own whose allocator recycles (malloc would hand each block's ballots
	 * back to the system and fault them in again); without one, the
	 * calling thread's share uses the caller's context */
	for (unsigned t = 0; t < v->threads; t++) {
		tv_ctx_options o = TV_CTX_OPTIONS_INIT;

		o.alloc = recycle_alloc;
		o.realloc = recycle_realloc;
		o.free = recycle_free;
		o.alloc_payload = v->recyclers[t] = recycler_new();
		if (o.alloc_payload == NULL || tv_ctx_new(&v->worker_ctx[t], &o) != TV_OK) {
			v->worker_ctx[t] = t == 0 ? ctx : NULL;
			v->threads = t == 0 ? 1 : t;
			break;
		}
	}
	return TV_OK;
}

static void vstate_end(vstate *v)
{
	for (unsigned t = 0; v->worker_ctx != NULL && t < v->threads; t++)
		if (v->worker_ctx[t] != v->ctx)
			tv_ctx_free(v->worker_ctx[t]);
	/* after the contexts, whose frees the recyclers take */
	for (unsigned t = 0; v->recyclers != NULL && t <= v->threads && t < 32; t++)
		recycler_free(v->recyclers[t]);
	free(v->recyclers);
	free(v->worker_ctx);
	tv_result_free(v->result);
	tv_manifest_free(v->m);
	free(v->index);
	free(v->added);
	free(v->added_slot);
	free(v->counted);
	free(v->counted_off);
	free(v->counted_tag);
	free(v->first_tag);
	free(v->flags);
	if (v->agg_open)
		tv__aggregate_free(&v->agg);
	if (v->board_fd >= 0)
		close(v->board_fd);
	free(v->reread_buf);
	free(v->seen);
	free(v->opened);
	free(v->papers);
	free(v->openings);
}

/* checks 1 to 10: everything up to and including the signed close */
static void check_until_close(vstate *v)
{
	check_record(v);
	check_manifest(v);
	/* the ceremony is bound to the signed list (§11.6): check 4's work first */
	load_credentials(v);
	load_papers(v);
	check_trustees(v);
	check_credentials(v);
	check_board(v);
	for (uint32_t c = 5; c <= 9; c++)
		end_check(v, c);
	check_close(v);
}

tv_status tv_record_verify(tv_ctx *ctx, const char *dir, unsigned threads, tv_verify_fn fn,
                           void *payload, tv_progress_fn progress, void *progress_payload,
                           tv_verify_summary *summary)
{
	return tv_record_verify_key(ctx, dir, threads, fn, payload, progress, progress_payload,
	                            summary, NULL);
}

tv_status tv_record_verify_key(tv_ctx *ctx, const char *dir, unsigned threads, tv_verify_fn fn,
                               void *payload, tv_progress_fn progress, void *progress_payload,
                               tv_verify_summary *summary, const tv_point *election_key)
{
	vstate v;
	tv_status status = TV_OK;

	if (summary != NULL)
		memset(summary, 0, sizeof(*summary));
	if (ctx == NULL || dir == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_record_verify: NULL argument");
	if ((status = vstate_begin(&v, ctx, dir, threads, fn, payload, progress,
	                           progress_payload)) != TV_OK) {
		vstate_end(&v);
		return status;
	}
	v.expected_key = election_key;
	check_until_close(&v);
	check_count(&v);
	check_result(&v);
	if (summary != NULL) {
		v.sum.entries = v.entries;
		*summary = v.sum;
	}
	if (v.sum.failed > 0)
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the record does not verify: %u of %d "
		                  "checks failed", v.sum.failed, TV_VERIFY_CHECKS);
	vstate_end(&v);
	return status;
}

/* the first failure of a check, kept for tv_record_tally's message */
typedef struct first_failure {
	tv_verify_fn fn;
	void *payload;
	uint32_t check;
	char message[512];
} first_failure;

static void keep_first_failure(const tv_verify_event *ev, void *payload)
{
	first_failure *f = payload;

	if (ev->status != TV_OK && f->check == 0) {
		f->check = ev->check;
		snprintf(f->message, sizeof(f->message), "%s", ev->message);
	}
	if (f->fn != NULL)
		f->fn(ev, f->payload);
}

tv_status tv_record_tally(tv_ctx *ctx, tv_tally **out, const char *dir, unsigned threads,
                          tv_verify_fn fn, void *payload, tv_progress_fn progress,
                          void *progress_payload)
{
	first_failure first = { fn, payload, 0, "" };
	tv_tally *tally = NULL;
	vstate v;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || dir == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_record_tally: NULL argument");
	if ((status = vstate_begin(&v, ctx, dir, threads, keep_first_failure, &first, progress,
	                           progress_payload)) != TV_OK) {
		vstate_end(&v);
		return status;
	}
	check_until_close(&v);
	if (v.sum.failed > 0) {
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the record does not verify up to its "
		                  "close, so its sums are not decrypted: check %u (%s): %s",
		                  first.check, tv_verify_check_name(first.check), first.message);
	} else if (v.ncred == 0) {
		status = tv__fail(ctx, TV_ERR_STATE, "the record has no credential list");
	} else if ((tally = recount(&v)) == NULL) {
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the counted entries cannot be added "
		                  "up: %s", first.check ? first.message : "out of memory");
	} else {
		/* the one kind of tally a trustee's share decrypts (§16.3) */
		tv__tally_mark_verified(tally, v.context, &v.key);
		*out = tally;
	}
	vstate_end(&v);
	return status;
}

/* the record's header and manifest, as the receipt checks need them */
static tv_status open_record(vstate *v, tv_ctx *ctx, const char *dir)
{
	memset(v, 0, sizeof(*v));
	v->ctx = ctx;
	v->dir = dir;
	check_record(v);
	check_manifest(v);
	if (!v->have_record || v->m == NULL) {
		tv_manifest_free(v->m);
		v->m = NULL;
		return tv__fail(ctx, TV_ERR_IO, "%s is not a readable tenantvote record", dir);
	}
	return TV_OK;
}

tv_status tv_record_check_receipt(tv_ctx *ctx, int *counts, const char *dir,
                                  const tv_receipt *receipt)
{
	vstate v;
	tv_ed25519_public_key pk;
	char *line = NULL;
	size_t len;
	uint64_t lineno = 0;
	int too_long;
	tv_point credential;
	int found = 0, later = 0, earlier = 0, opened = 0, revoked = 0;
	line_reader r = { NULL, NULL, 0, 0, 0 };
	tv_status status;
	FILE *f;

	if (ctx == NULL || counts == NULL || dir == NULL || receipt == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_record_check_receipt: NULL argument");
	*counts = 0;
	if ((status = open_record(&v, ctx, dir)) != TV_OK)
		return status;
	if (memcmp(receipt->election, v.f, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the receipt is for another election");
		goto out;
	}
	memcpy(pk.bytes, v.box_key, 32);
	if ((status = tv_receipt_verify(ctx, receipt, &pk)) != TV_OK)
		goto out;
	if ((line = malloc(TV_RECORD_LINE_MAX + 1)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((f = open_board(&v, 5)) == NULL) {
		status = tv__fail(ctx, TV_ERR_IO, "cannot read %s/board.jsonl", dir);
		goto out;
	}
	if ((r = reader_of(f)).buf == NULL) {
		fclose(f);
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
		goto out;
	}
	while ((len = reader_line(&r, line, &too_long, NULL)) > 0) {
		entry e;

		lineno++;
		memset(&e, 0, sizeof(e));
		e.line = line;
		e.len = len - 1;
		if (too_long || line[len - 1] != '\n' || !parse_line(&v, ctx, &e, lineno)) {
			status = tv__fail(ctx, TV_ERR_ENCODING, "board.jsonl line %llu is malformed",
			                  (unsigned long long)lineno);
			break;
		}
		if (e.position == receipt->position) {
			found = 1;
			opened = e.kind == TV_ENTRY_OPENED; /* published, never counted */
			credential = *e.credential;
			if (memcmp(e.tracking, receipt->tracking, 32) != 0)
				status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "position %llu of the record "
				                  "holds another ballot than the receipt's",
				                  (unsigned long long)e.position);
			else if (memcmp(e.prev_head, receipt->prev_head, 32) != 0 ||
			         memcmp(e.head, receipt->head, 32) != 0 || e.channel != receipt->channel ||
			         e.time != receipt->time)
				status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the record at position %llu "
				                  "differs from the receipt (head, channel or time)",
				                  (unsigned long long)e.position);
		} else if (found && e.kind != TV_ENTRY_OPENED &&
		           memcmp(e.credential->bytes, credential.bytes, TV_POINT_BYTES) == 0) {
			/* a later entry of the credential, or its revocation (§11.7) */
			later = 1;
		}
		if (e.kind == TV_ENTRY_CREDENTIAL_REVOKED && found &&
		    memcmp(e.credential->bytes, credential.bytes, TV_POINT_BYTES) == 0)
			revoked = 1;
		tv_ballot_free(e.ballot);
		tv_spoilt_free(e.spoilt);
		if (status != TV_OK)
			break;
	}
	fclose(f);
	if (status == TV_OK && !found)
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the record has no entry at position %llu, "
		                  "though the box signed a receipt for it",
		                  (unsigned long long)receipt->position);
	if (status == TV_OK && tv_manifest_revote(v.m) == TV_REVOTE_FIRST) {
		/* counted when no entry of the credential comes before it */
		if ((f = open_board(&v, 5)) != NULL) {
			r.f = f;
			r.pos = r.len = 0;
			r.offset = 0;
			lineno = 0;
			while (!earlier && (len = reader_line(&r, line, &too_long, NULL)) > 0 &&
			       ++lineno < receipt->position) {
				entry e;

				memset(&e, 0, sizeof(e));
				e.line = line;
				e.len = len - 1;
				if (!too_long && line[len - 1] == '\n' && parse_line(&v, ctx, &e, lineno))
					earlier = !is_change(&e) && e.kind != TV_ENTRY_OPENED &&
					          memcmp(e.credential->bytes, credential.bytes, TV_POINT_BYTES) == 0;
				tv_ballot_free(e.ballot);
				tv_spoilt_free(e.spoilt);
			}
			fclose(f);
		}
		*counts = !earlier && !opened && !revoked;
	} else if (status == TV_OK) {
		*counts = !later && !opened;
	}
out:
	free(r.buf);
	free(line);
	tv_manifest_free(v.m);
	return status;
}

/* ------------------------------------------------------- receipts in bulk */

/* per credential on the board: its first and last entries that could
 * count, and whether it was revoked (open addressing on the credential's
 * keyed fingerprint, as the verifier's index: 24 bytes a slot, kept at
 * most three quarters full, so about 32 to 64 bytes a credential) */
typedef struct cred_seen {
	uint8_t fp[FP_BYTES];
	uint32_t first, last; /* positions: a board past 2^32 lines is refused */
	uint8_t used, revoked;
} cred_seen;

typedef struct cred_table {
	cred_seen *slot;
	size_t slots, used;
	vstate *v; /* its index_key, drawn for the walk */
} cred_table;

static cred_seen *cred_find(cred_table *t, const uint8_t *point)
{
	uint8_t fp[FP_BYTES];
	size_t s;

	if (4 * (t->used + 1) > 3 * t->slots) {
		size_t slots = t->slots ? 2 * t->slots : 1024;
		cred_seen *table = calloc(slots, sizeof(*table));

		if (table == NULL)
			return NULL;
		for (size_t i = 0; i < t->slots; i++) {
			if (!t->slot[i].used)
				continue;
			s = slot_of_fp(t->slot[i].fp, slots);
			while (table[s].used)
				s = (s + 1) & (slots - 1);
			table[s] = t->slot[i];
		}
		free(t->slot);
		t->slot = table;
		t->slots = slots;
	}
	fingerprint(t->v, fp, point);
	for (s = slot_of_fp(fp, t->slots); t->slot[s].used; s = (s + 1) & (t->slots - 1))
		if (memcmp(t->slot[s].fp, fp, FP_BYTES) == 0)
			return &t->slot[s];
	t->slot[s].used = 1;
	memcpy(t->slot[s].fp, fp, FP_BYTES);
	t->used++;
	return &t->slot[s];
}

/*
 * The board of the record in @p v, read once (§19.6): each line parsed
 * (check 5's reader), each credential's first and last entries that could
 * count and its revocation kept in @p seen, then @p fn told of the line.
 * TV_ERR_ENCODING for a malformed line, which ends the reading.
 */
typedef void (*board_line_fn)(const entry *e, void *payload);

static tv_status walk_board(vstate *v, cred_table *seen, board_line_fn fn, void *payload)
{
	tv_ctx *ctx = v->ctx;
	char *line = malloc(TV_RECORD_LINE_MAX + 1);
	line_reader r;
	uint64_t lineno = 0;
	size_t len;
	int too_long;
	tv_status status = TV_OK;
	FILE *f;

	if (line == NULL)
		return tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
	seen->v = v;
	if ((status = tv__random_bytes(ctx, v->index_key, sizeof(v->index_key))) != TV_OK) {
		free(line);
		return status;
	}
	if ((f = open_board(v, 5)) == NULL) {
		free(line);
		return tv__fail(ctx, TV_ERR_IO, "cannot read %s/board.jsonl", v->dir);
	}
	if ((r = reader_of(f)).buf == NULL) {
		fclose(f);
		free(line);
		return tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
	}
	while (status == TV_OK && (len = reader_line(&r, line, &too_long, NULL)) > 0) {
		entry e;
		cred_seen *c;

		lineno++;
		memset(&e, 0, sizeof(e));
		e.line = line;
		e.len = len - 1;
		if (too_long || line[len - 1] != '\n' || !parse_line(v, ctx, &e, lineno)) {
			status = tv__fail(ctx, TV_ERR_ENCODING, "board.jsonl line %llu is malformed",
			                  (unsigned long long)lineno);
		} else if (e.position > UINT32_MAX) {
			status = tv__fail(ctx, TV_ERR_NOMEM, "board.jsonl has too many lines to count");
		} else if ((c = cred_find(seen, e.credential->bytes)) == NULL) {
			status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
		} else {
			if (e.kind == TV_ENTRY_CREDENTIAL_REVOKED) {
				c->revoked = 1;
			} else if (e.kind != TV_ENTRY_OPENED && !is_change(&e)) {
				if (c->first == 0)
					c->first = (uint32_t)e.position;
				c->last = (uint32_t)e.position;
			}
			fn(&e, payload);
		}
		tv_ballot_free(e.ballot);
		tv_spoilt_free(e.spoilt);
	}
	if (status == TV_OK && ferror(f))
		status = tv__fail(ctx, TV_ERR_IO, "cannot read board.jsonl after line %llu",
		                  (unsigned long long)lineno);
	fclose(f);
	free(r.buf);
	free(line);
	return status;
}

/* whether the entry at @p position of credential @p point counts (SPEC
 * §17.1.1, §11.7): the credential's last entry (first, under "first"), and
 * the credential not revoked */
static int counts_of(const vstate *v, const cred_seen *c, uint64_t position)
{
	return !c->revoked &&
	       (tv_manifest_revote(v->m) == TV_REVOTE_FIRST ? c->first : c->last) == position;
}

static tv_status counts_at(vstate *v, cred_table *seen, const uint8_t *point, uint64_t position,
                           int *counts)
{
	const cred_seen *c = cred_find(seen, point);

	if (c == NULL)
		return tv__fail(v->ctx, TV_ERR_NOMEM, "out of memory");
	*counts = counts_of(v, c, position);
	return TV_OK;
}

typedef struct receipt_ref {
	uint64_t position;
	size_t index;
} receipt_ref;

static int cmp_ref(const void *a, const void *b)
{
	const receipt_ref *x = a, *y = b;

	return x->position < y->position ? -1 : x->position > y->position;
}

/* the receipts, sorted by position, against the lines as they come */
typedef struct receipt_walk {
	const tv_receipt *receipts;
	tv_receipt_verdict *out;
	receipt_ref *refs;
	size_t count, next;
	uint8_t (*whose)[TV_POINT_BYTES]; /* each found receipt's credential */
} receipt_walk;

static void match_receipts(const entry *e, void *payload)
{
	receipt_walk *w = payload;

	while (w->next < w->count && w->refs[w->next].position < e->position)
		w->next++;
	for (size_t k = w->next; k < w->count && w->refs[k].position == e->position; k++) {
		size_t i = w->refs[k].index;
		const tv_receipt *r = &w->receipts[i];

		if (w->out[i].status != TV_ERR_PROOF_INVALID)
			continue; /* its own signature or election failed */
		if (memcmp(e->tracking, r->tracking, 32) != 0 ||
		    memcmp(e->prev_head, r->prev_head, 32) != 0 ||
		    memcmp(e->head, r->head, 32) != 0 || e->channel != r->channel ||
		    e->time != r->time)
			continue; /* the board differs from the receipt */
		w->out[i].status = TV_OK;
		w->out[i].opened = e->kind == TV_ENTRY_OPENED;
		memcpy(w->whose[i], e->credential->bytes, TV_POINT_BYTES);
	}
}

tv_status tv_record_check_receipts(tv_ctx *ctx, tv_receipt_verdict *out, const char *dir,
                                   const tv_receipt *receipts, size_t count)
{
	receipt_walk w = { receipts, out, NULL, count, 0, NULL };
	cred_table seen = { NULL, 0, 0, NULL };
	tv_ed25519_public_key pk;
	vstate v;
	tv_status status;

	if (ctx == NULL || dir == NULL || (count > 0 && (out == NULL || receipts == NULL)))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_record_check_receipts: NULL argument");
	if ((status = open_record(&v, ctx, dir)) != TV_OK)
		return status;
	memcpy(pk.bytes, v.box_key, 32);
	if ((w.refs = calloc(count + 1, sizeof(*w.refs))) == NULL ||
	    (w.whose = calloc(count + 1, sizeof(*w.whose))) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu receipts", count);
		goto out;
	}
	/* each receipt on its own first: its election and the box's signature */
	for (size_t i = 0; i < count; i++) {
		tv_receipt_verdict *o = &out[i];

		memset(o, 0, sizeof(*o));
		w.refs[i].position = receipts[i].position;
		w.refs[i].index = i;
		if (memcmp(receipts[i].election, v.f, 32) != 0)
			o->status = TV_ERR_WRONG_ELECTION;
		else if (tv_receipt_verify(ctx, &receipts[i], &pk) != TV_OK)
			o->status = TV_ERR_SIGNATURE_INVALID;
		else
			o->status = TV_ERR_PROOF_INVALID; /* until its entry is found */
	}
	qsort(w.refs, count, sizeof(*w.refs), cmp_ref);
	/* the board, once: each entry against the receipts for its position */
	status = walk_board(&v, &seen, match_receipts, &w);
	for (size_t i = 0; status == TV_OK && i < count; i++)
		if (out[i].status == TV_OK && !out[i].opened)
			status = counts_at(&v, &seen, w.whose[i], receipts[i].position, &out[i].counts);
out:
	free(w.refs);
	free(w.whose);
	free(seen.slot);
	tv_manifest_free(v.m);
	return status;
}

/* ------------------------------------------------- a short tracking code */

/* the first entry (not a credential change) whose T begins with @c want */
typedef struct tracking_walk {
	uint8_t want[16];
	uint64_t at;
	int opened;
	uint8_t credential[TV_POINT_BYTES];
} tracking_walk;

static void match_tracking(const entry *e, void *payload)
{
	tracking_walk *w = payload;
	int same = 1;

	if (w->at != 0 || is_change(e))
		return;
	/* the first 75 bits of T, five at a time (§15.1.1) */
	for (unsigned i = 0; i < 15 && same; i++) {
		unsigned bit = i * 5, word = (unsigned)e->tracking[bit / 8] << 8 |
		                             e->tracking[bit / 8 + 1];

		same = ((word >> (11 - bit % 8)) & 31) == w->want[i];
	}
	if (same) {
		w->at = e->position;
		w->opened = e->kind == TV_ENTRY_OPENED;
		memcpy(w->credential, e->credential->bytes, TV_POINT_BYTES);
	}
}

tv_status tv_record_find_tracking(tv_ctx *ctx, tv_receipt_verdict *out, uint64_t *position,
                                  const char *dir, const char *code, size_t len)
{
	tracking_walk w;
	cred_table seen = { NULL, 0, 0, NULL };
	vstate v;
	tv_status status;

	if (ctx == NULL || out == NULL || position == NULL || dir == NULL || code == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_record_find_tracking: NULL argument");
	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	*position = 0;
	if (tv__tracking_code_read(w.want, code, len) != 0)
		return tv__fail(ctx, TV_ERR_ENCODING, "a tracking code is 16 letters and digits, as "
		                "XXXX-XXXX-XXXX-XXXX");
	if (tv__luhn32_check(w.want, 15) != w.want[15])
		return tv__fail(ctx, TV_ERR_CREDENTIAL_INVALID, "the tracking code is mistyped: its "
		                "last character does not match the others");
	if ((status = open_record(&v, ctx, dir)) != TV_OK)
		return status;
	if ((status = walk_board(&v, &seen, match_tracking, &w)) == TV_OK) {
		out->status = w.at != 0 ? TV_OK : TV_ERR_PROOF_INVALID; /* not on the board */
		out->opened = w.opened;
		*position = w.at;
		if (w.at != 0 && !w.opened)
			status = counts_at(&v, &seen, w.credential, w.at, &out->counts);
	}
	free(seen.slot);
	tv_manifest_free(v.m);
	return status;
}

/* ------------------------------------------------------ ballot papers */

typedef struct paper_filter {
	const uint8_t *handle; /* NULL: every paper */
	tv_paper_info *out;
	int found;
} paper_filter;

/*
 * The authority opens papers only against a record of the closed board
 * that passes checks 1 to 10 (the openings still to come aside), whose
 * paper list is the authority's own: a board cut or doctored by the
 * officer, or not closed, never gets a paper opened (SPEC §15.8.6).
 */
tv_status tv_authority_open_papers(tv_ctx *ctx, char **out, size_t *opened,
                                   const tv_authority *authority,
                                   const uint8_t seed[TV_PAPER_SEED_BYTES], const tv_manifest *m,
                                   const tv_point *election_key, const char *issue_json,
                                   size_t len, const char *record_dir)
{
	first_failure first = { NULL, NULL, 0, "" };
	uint8_t (*cast)[32] = NULL, mine[32];
	size_t ncast = 0;
	vstate v;
	tv_status status;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || authority == NULL || seed == NULL || m == NULL ||
	    election_key == NULL || issue_json == NULL || record_dir == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_authority_open_papers: NULL argument");
	if ((status = vstate_begin(&v, ctx, record_dir, 0, keep_first_failure, &first, NULL,
	                           NULL)) != TV_OK) {
		vstate_end(&v);
		return status;
	}
	v.openings_pending = 1;
	v.expected_key = election_key;
	check_until_close(&v);
	if (v.sum.failed > 0) {
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "no paper is opened: the record does not "
		                  "verify up to its close: check %u (%s): %s", first.check,
		                  tv_verify_check_name(first.check), first.message);
		goto out;
	}
	if (!v.have_papers || !v.have_paper_list) {
		status = tv__fail(ctx, TV_ERR_STATE, "no paper is opened: the record has no papers");
		goto out;
	}
	if ((cast = calloc(v.npapers + 1, 32)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory for %zu papers", v.npapers);
		goto out;
	}
	/* the papers cast as ballots, in ascending order of handles already */
	for (size_t i = 0; i < v.npapers; i++)
		if (v.papers[i].ballot)
			memcpy(cast[ncast++], v.papers[i].handle, 32);
	if ((status = tv__authority_openings(ctx, out, opened, mine, authority, seed, m,
	                                     election_key, issue_json, len,
	                                     (const uint8_t (*)[32])cast, ncast, v.entries,
	                                     v.last_head)) != TV_OK)
		goto out;
	if (memcmp(mine, v.paper_list, 32) != 0) {
		tv_free(ctx, *out);
		*out = NULL;
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "no paper is opened: the record's list of "
		                  "papers is not the one this authority made");
	}
out:
	free(cast);
	vstate_end(&v);
	return status;
}

static tv_status papers_of(tv_ctx *ctx, const char *dir, unsigned threads, tv_paper_info_fn fn,
                           void *payload)
{
	first_failure first = { NULL, NULL, 0, "" };
	vstate v;
	tv_status status = TV_OK;

	if ((status = vstate_begin(&v, ctx, dir, threads, keep_first_failure, &first, NULL,
	                           NULL)) != TV_OK) {
		vstate_end(&v);
		return status;
	}
	check_until_close(&v);
	if (v.sum.failed > 0)
		status = tv__fail(ctx, TV_ERR_PROOF_INVALID, "the record does not verify up to its "
		                  "close: check %u (%s): %s", first.check,
		                  tv_verify_check_name(first.check), first.message);
	else if (!v.have_papers)
		status = tv__fail(ctx, TV_ERR_STATE, "this election has no ballot papers");
	for (size_t i = 0; status == TV_OK && i < v.npapers; i++) {
		const struct vpaper *p = &v.papers[i];
		tv_paper_info info;

		memset(&info, 0, sizeof(info));
		memcpy(info.handle, p->handle, 32);
		info.position = p->cast;
		if (p->cast != 0) {
			int idx = cred_index(&v, &p->credential);

			info.counts = idx >= 0 && counted_at(&v, idx) == p->cast;
		}
		if (p->ballot) {
			info.state = TV_PAPER_CAST;
			memcpy(info.code, p->code, sizeof(info.code));
		} else {
			info.state = p->cast != 0 ? TV_PAPER_REJECTED
			             : p->opened ? TV_PAPER_OPENED : TV_PAPER_NOT_CAST;
			info.reason = (tv_spoilt_reason)p->reason;
		}
		if (p->opened) {
			uint32_t answer[TV__PAPER_ANSWERS_MAX];

			tv__paper_id_print(info.id, p->id);
			info.answers = tv__paper_answers(v.m, answer);
			memcpy(info.answer, answer, sizeof(info.answer));
			for (uint32_t k = 0; k < info.answers && k < p->answers; k++)
				memcpy(info.answer_code[k], p->codes[k], sizeof(info.answer_code[k]));
		}
		if (fn(&info, payload) != 0)
			break;
	}
	vstate_end(&v);
	return status;
}

tv_status tv_record_papers(tv_ctx *ctx, const char *dir, unsigned threads, tv_paper_info_fn fn,
                           void *payload)
{
	if (ctx == NULL || dir == NULL || fn == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_record_papers: NULL argument");
	return papers_of(ctx, dir, threads, fn, payload);
}

static int find_one(const tv_paper_info *p, void *payload)
{
	paper_filter *f = payload;

	if (memcmp(p->handle, f->handle, 32) != 0)
		return 0;
	*f->out = *p;
	f->found = 1;
	return 1;
}

tv_status tv_record_find_paper(tv_ctx *ctx, tv_paper_info *out, const char *dir,
                               const char *typed, size_t len)
{
	char printed[TV_PAPER_ID_TEXT_LEN + 1];
	uint8_t handle[32];
	paper_filter f;
	vstate v;
	tv_status status;

	if (ctx == NULL || out == NULL || dir == NULL || typed == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_record_find_paper: NULL argument");
	memset(out, 0, sizeof(*out));
	if ((status = open_record(&v, ctx, dir)) != TV_OK)
		return status;
	tv_manifest_free(v.m);
	if ((status = tv_paper_id_read(ctx, printed, handle, typed, len, v.f)) != TV_OK)
		return status;
	f.handle = handle;
	f.out = out;
	f.found = 0;
	if ((status = papers_of(ctx, dir, 0, find_one, &f)) != TV_OK)
		return status;
	if (!f.found)
		return tv__fail(ctx, TV_ERR_PROOF_INVALID, "paper %s is not one of this election's",
		                printed);
	/* the tenant typed it: show it as they know it */
	memcpy(out->id, printed, sizeof(out->id));
	return TV_OK;
}

/* ------------------------------------------------------- the whole board */

/* each entry as read, until the board's end tells which ones count */
typedef struct listed {
	tv_board_listing l;
	uint8_t credential[TV_POINT_BYTES];
} listed;

typedef struct listing_walk {
	listed *all;
	size_t count, cap;
	int nomem;
} listing_walk;

static void keep_listing(const entry *e, void *payload)
{
	listing_walk *w = payload;
	listed *x;

	if (w->nomem)
		return;
	if (w->count == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 1024;
		listed *all = realloc(w->all, cap * sizeof(*all));

		if (all == NULL) {
			w->nomem = 1;
			return;
		}
		w->all = all;
		w->cap = cap;
	}
	x = &w->all[w->count++];
	memset(x, 0, sizeof(*x));
	x->l.position = e->position;
	x->l.time = e->time;
	memcpy(x->l.tracking, e->tracking, 32);
	memcpy(x->credential, e->credential->bytes, TV_POINT_BYTES);
	if (is_change(e)) {
		x->l.state = TV_BOARD_CHANGE;
	} else {
		x->l.channel = e->channel;
		x->l.state = e->kind == TV_ENTRY_OPENED ? TV_BOARD_OPENED : TV_BOARD_COUNTS;
	}
}

tv_status tv_record_list_board(tv_ctx *ctx, const char *dir, tv_board_listing_fn fn,
                               void *payload)
{
	listing_walk w = { NULL, 0, 0, 0 };
	cred_table seen = { NULL, 0, 0, NULL };
	vstate v;
	tv_status status;

	if (ctx == NULL || dir == NULL || fn == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_record_list_board: NULL argument");
	if ((status = open_record(&v, ctx, dir)) != TV_OK)
		return status;
	status = walk_board(&v, &seen, keep_listing, &w);
	if (status == TV_OK && w.nomem)
		status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory listing the board");
	for (size_t i = 0; status == TV_OK && i < w.count; i++) {
		listed *x = &w.all[i];

		if (x->l.state == TV_BOARD_COUNTS) {
			const cred_seen *c = cred_find(&seen, x->credential);

			if (c == NULL) {
				status = tv__fail(ctx, TV_ERR_NOMEM, "out of memory");
				break;
			}
			if (c->revoked)
				x->l.state = TV_BOARD_REVOKED;
			else if (!counts_of(&v, c, x->l.position))
				x->l.state = TV_BOARD_REPLACED;
		}
		fn(&x->l, payload);
	}
	free(w.all);
	free(seen.slot);
	tv_manifest_free(v.m);
	return status;
}
