/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §15.7: intake batches.
 *   the file: header "code,choice", then one row per paper
 *   digest  = SHA-256 of the file's bytes
 *   source  = H("intake-row"; F, digest, u32be(line))
 * Each physical line is one record: codes and choices hold no quotes or
 * line breaks, so a line is handed to libcsv whole and a quoted field
 * running over a line end is reported as a problem on that line.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <openssl/sha.h>

#include "box_internal.h"
#include "fixed_base.h"
#include "tenantvote/intake.h"

#define CODE_MAX 64

typedef struct row {
	uint32_t line;
	uint32_t choice;
	tv_spoilt_reason reason;
	tv_point credential;
	char code[CODE_MAX + 1];
	size_t code_len;
	/* a paper's row (§15.8.4): its identifier, handle and short code */
	char id[TV__PAPER_SYMBOLS + 1];
	uint8_t handle[32];
	char short_code[TV_PAPER_CODE_LEN + 1];
} row;

struct tv_intake {
	tv_ctx *ctx;
	uint8_t fingerprint[32];
	uint8_t digest[32];
	row *rows;
	size_t count;
	int papers; /* the header was paper,code */
};

typedef struct problem {
	uint32_t line;
	char text[200];
} problem;

typedef struct problems {
	tv_ctx *ctx;
	problem list[TV_INTAKE_PROBLEMS_MAX];
	size_t count;  /* all of them, also those not kept */
	const char *source;
} problems;

static void add_problem(problems *p, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_problem(problems *p, uint32_t line, const char *fmt, ...)
{
	va_list ap;

	if (p->count < TV_INTAKE_PROBLEMS_MAX) {
		p->list[p->count].line = line;
		va_start(ap, fmt);
		vsnprintf(p->list[p->count].text, sizeof(p->list[p->count].text), fmt, ap);
		va_end(ap);
	}
	p->count++;
}

/* report the problems, in line order, and fail with the first */
static tv_status report(problems *p, tv_register_problem_fn fn, void *payload)
{
	size_t kept = p->count < TV_INTAKE_PROBLEMS_MAX ? p->count : TV_INTAKE_PROBLEMS_MAX;
	char more[64];

	/* stable insertion sort: rows were read in order, pairs may not be */
	for (size_t i = 1; i < kept; i++) {
		problem t = p->list[i];
		size_t j = i;

		for (; j > 0 && p->list[j - 1].line > t.line; j--)
			p->list[j] = p->list[j - 1];
		p->list[j] = t;
	}
	for (size_t i = 0; fn != NULL && i < kept; i++)
		fn(p->list[i].line, p->list[i].text, payload);
	if (p->count > kept && fn != NULL) {
		snprintf(more, sizeof(more), "%zu more problems", p->count - kept);
		fn(0, more, payload);
	}
	return tv__fail(p->ctx, TV_ERR_INTAKE_INVALID, "%s: %zu problem%s; line %u: %s", p->source,
	                p->count, p->count == 1 ? "" : "s", p->list[0].line, p->list[0].text);
}

/* ----------------------------------------------------------------- CSV */

typedef struct fields {
	char text[2][CODE_MAX + 1];
	size_t len[2];
	size_t count;
	int too_long;
	int rows;
} fields;

static void on_field(void *data, size_t len, void *payload)
{
	fields *f = payload;

	if (f->count < 2) {
		if (len > CODE_MAX) {
			f->too_long = 1;
			len = CODE_MAX;
		}
		memcpy(f->text[f->count], data, len);
		f->text[f->count][len] = '\0';
		f->len[f->count] = len;
	}
	f->count++;
}

static void on_row(int c, void *payload)
{
	(void)c;
	((fields *)payload)->rows++;
}

static void trim(char *s, size_t *len)
{
	size_t a = 0, b = *len;

	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	memmove(s, s + a, b - a);
	s[b - a] = '\0';
	*len = b - a;
}

/* one physical line into at most two fields; 0 on a CSV error */
static int split_line(tv_ctx *ctx, fields *f, const char *line, size_t len, tv_status *status)
{
	struct csv_parser csv;
	int ok;

	memset(f, 0, sizeof(*f));
	if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		*status = tv__fail(ctx, TV_ERR_NOMEM, "cannot start the CSV reader");
		return 0;
	}
	/* one block for the whole line: libcsv never reallocates a buffer
	 * holding a code, and the one it has is wiped before it is freed */
	csv_set_blk_size(&csv, len + 2);
	ok = csv_parse(&csv, line, len, on_field, on_row, f) == len &&
	     csv_fini(&csv, on_field, on_row, f) == 0;
	if (csv.entry_buf != NULL)
		tv__memzero(csv.entry_buf, csv.entry_size);
	csv_free(&csv);
	for (size_t i = 0; i < f->count && i < 2; i++)
		trim(f->text[i], &f->len[i]);
	return ok;
}

static int parse_choice(const char *s, uint32_t m, int allow_blank, uint32_t *choice,
                        tv_spoilt_reason *reason, char *why, size_t why_len)
{
	*choice = 0;
	*reason = 0;
	if (strcmp(s, "blank") == 0) {
		if (!allow_blank) {
			snprintf(why, why_len, "choice 'blank': this ballot does not allow blank votes");
			return 0;
		}
		*choice = TV_BALLOT_BLANK;
		return 1;
	}
	if (strncmp(s, "rejected:", 9) == 0) {
		for (int i = 1; i <= TV_SPOILT_REASONS; i++)
			if (strcmp(s + 9, tv_spoilt_reason_name((tv_spoilt_reason)i)) == 0) {
				*reason = (tv_spoilt_reason)i;
				return 1;
			}
		snprintf(why, why_len, "choice: the reason after 'rejected:' must be "
		         "no-official-mark, more-than-one-answer, identifies-voter or "
		         "unmarked-or-void");
		return 0;
	}
	if (s[0] >= '1' && s[0] <= '9' && strlen(s) <= 2) {
		uint32_t v = (uint32_t)(s[0] - '0');

		if (s[1] != '\0') {
			if (s[1] < '0' || s[1] > '9')
				goto bad;
			v = v * 10 + (uint32_t)(s[1] - '0');
		}
		if (v >= 1 && v <= m) {
			*choice = v;
			return 1;
		}
		snprintf(why, why_len, "choice %u: there are only options 1 to %u", v, m);
		return 0;
	}
bad:
	/* not quoted: it may be a code typed in the wrong column */
	snprintf(why, why_len, "choice: not an option number, 'blank' or 'rejected:REASON' "
	         "(what it holds is not repeated here, in case it is a code)");
	return 0;
}

/* a paper row's code: its short code or a rejection (§15.8.4) */
static int parse_paper_code(const char *s, size_t len, row *r, char *why, size_t why_len)
{
	uint32_t choice;

	if (strncmp(s, "rejected:", 9) == 0)
		return parse_choice(s, 1, 0, &choice, &r->reason, why, why_len);
	if (tv__paper_code_read(r->short_code, s, len) != 0) {
		snprintf(why, why_len, "code: not the code beside a mark (4 letters and digits) or "
		         "'rejected:REASON'");
		return 0;
	}
	return 1;
}

static int by_credential(const void *a, const void *b)
{
	const row *x = *(const row *const *)a, *y = *(const row *const *)b;
	int c = x->id[0] != '\0' ? memcmp(x->handle, y->handle, 32)
	                          : memcmp(x->credential.bytes, y->credential.bytes, TV_POINT_BYTES);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

tv_status tv_intake_parse(tv_ctx *ctx, tv_intake **out, const char *csv, size_t len,
                          const tv_manifest *manifest, const char *source_name,
                          tv_register_problem_fn problem_fn, void *payload)
{
	tv_intake *in = NULL;
	problems *pr = NULL;
	size_t pos = 0, cap = 0;
	uint32_t line = 0;
	int have_header = 0;
	uint32_t m;
	fields f;
	tv_status status = TV_OK;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || manifest == NULL || (csv == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_intake_parse: NULL argument");
	if (source_name == NULL)
		source_name = "intake";
	if (len > TV_INTAKE_BYTES_MAX)
		return tv__fail(ctx, TV_ERR_INTAKE_INVALID, "%s: %zu bytes is over the %u-byte limit",
		                source_name, len, TV_INTAKE_BYTES_MAX);
	in = tv__calloc(ctx, 1, sizeof(*in));
	pr = tv__calloc(ctx, 1, sizeof(*pr));
	if (in == NULL || pr == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate an intake");
		goto out;
	}
	in->ctx = ctx;
	pr->ctx = ctx;
	pr->source = source_name;
	tv_manifest_fingerprint(in->fingerprint, manifest);
	if (SHA256((const unsigned char *)(len ? csv : ""), len, in->digest) == NULL) {
		status = tv__fail(ctx, TV_ERR_INTERNAL, "SHA-256 failed");
		goto out;
	}
	m = (uint32_t)tv_manifest_option_count(manifest);
	if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *start = csv + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		char why[160];
		row *r;

		/* the last row's fields, a code among them, never outlive it */
		tv__memzero(&f, sizeof(f));
		pos += n + (nl != NULL);
		line++;
		if (n > 0 && start[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		if (memchr(start, '\0', n) != NULL || memchr(start, '\r', n) != NULL) {
			add_problem(pr, line, "the line holds a NUL or a stray carriage return");
			continue;
		}
		if (!split_line(ctx, &f, start, n, &status)) {
			if (status != TV_OK)
				goto out;
			add_problem(pr, line, "not a CSV row (a quote is not closed, or text follows "
			                      "a closing quote)");
			continue;
		}
		if (f.count == 0)
			continue;
		if (!have_header) {
			have_header = 1;
			in->papers = f.count == 2 && strcmp(f.text[0], "paper") == 0 &&
			             strcmp(f.text[1], "code") == 0;
			if (!in->papers && (f.count != 2 || strcmp(f.text[0], "code") != 0 ||
			                    strcmp(f.text[1], "choice") != 0))
				add_problem(pr, line, "the header must be exactly 'code,choice' (credential "
				            "codes) or 'paper,code' (ballot papers)");
			continue;
		}
		if (f.count != 2 || f.too_long) {
			add_problem(pr, line, f.too_long ? "a field is too long"
			                                 : "the row has %zu fields; it needs %s",
			            f.count, in->papers ? "paper,code" : "code,choice");
			continue;
		}
		if (in->count == TV_INTAKE_ROWS_MAX) {
			add_problem(pr, line, "more than %u rows", TV_INTAKE_ROWS_MAX);
			break;
		}
		if (in->count == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			row *grown = tv__calloc(ctx, ncap, sizeof(*grown));

			if (grown == NULL) {
				status = tv__fail(ctx, TV_ERR_NOMEM, "cannot hold %zu intake rows", ncap);
				goto out;
			}
			if (cap)
				memcpy(grown, in->rows, cap * sizeof(*grown));
			tv__memzero(in->rows, cap * sizeof(*grown));
			tv__free(ctx, in->rows);
			in->rows = grown;
			cap = ncap;
		}
		r = &in->rows[in->count];
		memset(r, 0, sizeof(*r));
		r->line = line;
		if (in->papers) {
			char printed[TV_PAPER_ID_TEXT_LEN + 1];

			if (!parse_paper_code(f.text[1], f.len[1], r, why, sizeof(why))) {
				add_problem(pr, line, "%s", why);
				continue;
			}
			status = tv_paper_id_read(ctx, printed, r->handle, f.text[0], f.len[0],
			                          in->fingerprint);
			if (status == TV_ERR_CREDENTIAL_INVALID) {
				add_problem(pr, line, "%s", tv_ctx_last_error(ctx));
				status = TV_OK;
				continue;
			}
			if (status != TV_OK)
				goto out;
			for (size_t i = 0, o = 0; printed[i] != '\0'; i++)
				if (printed[i] != '-')
					r->id[o++] = printed[i];
			in->count++;
			continue;
		}
		if (!parse_choice(f.text[1], m, tv_manifest_allow_blank(manifest), &r->choice,
		                  &r->reason, why, sizeof(why))) {
			add_problem(pr, line, "%s", why);
			tv__memzero(&f, sizeof(f));
			continue;
		}
		status = tv_credential_derive(ctx, NULL, &r->credential, f.text[0], f.len[0],
		                              in->fingerprint);
		if (status == TV_ERR_CREDENTIAL_INVALID) {
			add_problem(pr, line, "code: %s", tv_ctx_last_error(ctx));
			status = TV_OK;
			tv__memzero(&f, sizeof(f));
			continue;
		}
		if (status != TV_OK) {
			tv__memzero(&f, sizeof(f));
			goto out;
		}
		memcpy(r->code, f.text[0], f.len[0] + 1);
		r->code_len = f.len[0];
		tv__memzero(&f, sizeof(f));
		in->count++;
	}
	if (!have_header)
		add_problem(pr, 1, "the file is empty: it needs the header 'code,choice'");
	/* the same paper entered twice, or two papers of one tenant: both lines named */
	if (pr->count == 0 && in->count > 1) {
		const row **by = tv__calloc(ctx, in->count, sizeof(*by));

		if (by == NULL) {
			status = tv__fail(ctx, TV_ERR_NOMEM, "cannot sort %zu intake rows", in->count);
			goto out;
		}
		for (size_t i = 0; i < in->count; i++)
			by[i] = &in->rows[i];
		qsort(by, in->count, sizeof(*by), by_credential);
		for (size_t i = 1; i < in->count; i++)
			if (in->papers ? memcmp(by[i]->handle, by[i - 1]->handle, 32) == 0
			               : memcmp(by[i]->credential.bytes, by[i - 1]->credential.bytes,
			                        TV_POINT_BYTES) == 0)
				add_problem(pr, by[i]->line, in->papers ? "the same paper as line %u"
				                                        : "the same credential as line %u",
				            by[i - 1]->line);
		tv__free(ctx, by);
	}
	if (pr->count > 0) {
		status = report(pr, problem_fn, payload);
		goto out;
	}
	*out = in;
	in = NULL;
out:
	tv__memzero(&f, sizeof(f));
	tv__free(ctx, pr);
	tv_intake_free(in);
	return status;
}

size_t tv_intake_count(const tv_intake *intake)
{
	return intake != NULL ? intake->count : 0;
}

tv_status tv_intake_get_row(tv_intake_row *out, const tv_intake *intake, size_t index)
{
	const row *r;

	if (out == NULL || intake == NULL || index >= intake->count)
		return TV_ERR_INVALID_ARGUMENT;
	r = &intake->rows[index];
	out->line = r->line;
	out->choice = r->choice;
	out->reason = r->reason;
	/* a paper's row names no credential: the box looks it up */
	out->credential = intake->papers ? NULL : &r->credential;
	return TV_OK;
}

void tv_intake_free(tv_intake *intake)
{
	if (intake == NULL)
		return;
	if (intake->rows != NULL) {
		tv__memzero(intake->rows, intake->count * sizeof(*intake->rows));
		tv__free(intake->ctx, intake->rows);
	}
	tv__free(intake->ctx, intake);
}

/* ----------------------------------------------------------- casting */

static tv_status row_source(tv_ctx *ctx, uint8_t out[32], const tv_intake *in, uint32_t line)
{
	tv__hash h;
	tv_status status = tv__hash_begin(&h, ctx, "intake-row");

	if (status != TV_OK) {
		tv__hash_abort(&h);
		return status;
	}
	tv__hash_field(&h, in->fingerprint, 32);
	tv__hash_field(&h, in->digest, 32);
	tv__hash_u32(&h, line);
	return tv__hash_final(&h, out);
}

/* the index of a paper's ballot with short code @p code, or -1 */
static int paper_find(const tv__box_paper *p, const char *code)
{
	for (uint32_t k = 0; k < p->answers; k++)
		if (strcmp(p->code[k], code) == 0)
			return (int)k;
	return -1;
}

/*
 * One paper row against the box (§15.8.4): the paper issued and not cast,
 * its lock opening to what the authority committed, the code one of its
 * codes and that ballot's proofs good; then its credential not revoked
 * and, under "first", without an entry. Each failure a problem.
 */
static tv_status paper_precheck(tv_box *box, const row *r, problems *pr, sqlite3_stmt *cred,
                                sqlite3_stmt *voted)
{
	tv_ctx *ctx = box->ctx;
	char printed[TV_PAPER_ID_TEXT_LEN + 1];
	tv__box_paper p;
	tv_election_key key;
	tv_status status;
	int k, rc;

	tv__paper_id_print(printed, r->id);
	if ((status = tv__box_paper_unlock(box, &p, r->id, r->handle)) != TV_OK) {
		if (status != TV_ERR_PROOF_INVALID)
			return status;
		add_problem(pr, r->line, "paper %s: %s", printed, tv_ctx_last_error(ctx));
		return TV_OK;
	}
	if (!p.found) {
		add_problem(pr, r->line, "paper %s is not one this election issued", printed);
		goto out;
	}
	if (p.cast_at != 0) {
		add_problem(pr, r->line, "paper %s was cast already, at board position %lld",
		            printed, (long long)p.cast_at);
		goto out;
	}
	if (r->reason == 0) {
		if ((k = paper_find(&p, r->short_code)) < 0) {
			add_problem(pr, r->line, "code %s is not on paper %s: a code of another paper, "
			            "or mistyped", r->short_code, printed);
			goto out;
		}
		if ((status = tv_box_election_key(ctx, &key, box)) != TV_OK)
			goto out;
		if ((status = tv__ballot_verify_unsigned(ctx, p.ballots[k], box->manifest,
		                                         &key.key)) != TV_OK) {
			if (!tv_status_is_rejection(status))
				goto out;
			add_problem(pr, r->line, "paper %s, code %s: %s", printed, r->short_code,
			            tv_ctx_last_error(ctx));
			status = TV_OK;
			goto out;
		}
	}
	sqlite3_reset(cred);
	sqlite3_bind_blob(cred, 1, p.credential.bytes, TV_POINT_BYTES, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(cred)) == SQLITE_DONE) {
		add_problem(pr, r->line, "paper %s: its tenant's credential was revoked by the "
		            "credential authority", printed);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		status = tv__box_db_fail(box, box->db, rc, "checking the intake against the board");
		goto out;
	}
	/* whatever the revote policy: a paper never replaces a vote (§15.8.4) */
	sqlite3_reset(voted);
	sqlite3_bind_blob(voted, 1, p.credential.bytes, TV_POINT_BYTES, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(voted)) == SQLITE_ROW)
		add_problem(pr, r->line, "paper %s: this tenant has already voted (board position "
		            "%lld), and a paper never replaces a vote", printed,
		            (long long)sqlite3_column_int64(voted, 0));
	else if (rc != SQLITE_DONE)
		status = tv__box_db_fail(box, box->db, rc, "checking the intake against the board");
out:
	tv__box_paper_clear(&p);
	return status;
}

/* a paper row made ready to cast: its ballot taken from the lock */
static tv_status paper_item(tv_box *box, const row *r, tv_cast_item *it, tv__paper_cast *pc)
{
	tv__box_paper p;
	tv_status status;
	int k;

	memset(pc, 0, sizeof(*pc));
	if ((status = tv__box_paper_unlock(box, &p, r->id, r->handle)) != TV_OK)
		return status;
	memcpy(pc->handle, r->handle, 32);
	memcpy(pc->id, r->id, sizeof(pc->id));
	pc->credential = p.credential;
	pc->checked = 1; /* its proofs were checked before anything was cast */
	if (!p.found || p.cast_at != 0) {
		/* cast meanwhile, by another station: refused here, naming where */
		it->status = TV_ERR_REPLAY;
		status = tv__fail(box->ctx, TV_ERR_REPLAY, "line %u: the paper was cast meanwhile, at "
		                  "board position %lld", r->line, (long long)p.cast_at);
	} else if (r->reason != 0) {
		pc->kind = TV_ENTRY_PAPER_SPOILT;
		pc->reason = r->reason;
	} else if ((k = paper_find(&p, r->short_code)) < 0) {
		status = tv__fail(box->ctx, TV_ERR_INTERNAL, "a paper's code disappeared");
	} else {
		pc->kind = TV_ENTRY_PAPER;
		it->ballot = p.ballots[k];
		p.ballots[k] = NULL;
		for (uint32_t j = 0; j < p.answers; j++)
			if (j != (uint32_t)k)
				memcpy(pc->other[pc->others++], p.digests[j], 32);
	}
	tv__box_paper_clear(&p);
	return status;
}

/*
 * Every row against the box, before anything is cast. Each row's source
 * goes to @p sources, and @p cast_before[i] says whether an earlier run
 * cast row i (casting checks the source again, inside its transaction).
 */
static tv_status precheck(tv_box *box, const tv_intake *in, uint32_t channel, int64_t now,
                          problems *pr, uint8_t (*sources)[32], unsigned char *cast_before)
{
	tv_ctx *ctx = box->ctx;
	const tv_manifest *m = box->manifest;
	sqlite3_stmt *src = NULL, *cred = NULL, *voted = NULL;
	box_state s;
	tv_status status;
	int rc;

	if ((status = tv__box_read_state(box, &s)) != TV_OK)
		return status;
	if (s.phase != TV_PHASE_OPEN)
		return tv__fail(ctx, TV_ERR_STATE, s.phase == TV_PHASE_SETUP
		                ? "voting has not opened yet: nothing can be cast"
		                : "voting is closed: nothing can be cast");
	if (now < tv_manifest_opens(m) || now >= tv_manifest_closes(m))
		return tv__fail(ctx, TV_ERR_STATE, "now is outside the voting window");
	if (channel == 0 || (channel & (channel - 1)) != 0 || (channel & tv_manifest_channels(m)) == 0)
		return tv__fail(ctx, TV_ERR_STATE, "channel %s is not one this election allows",
		                tv_channel_name(channel) ? tv_channel_name(channel) : "?");
	/* online ballots are encrypted on the tenant's own device, never typed in by a clerk */
	if (channel == TV_CHANNEL_ONLINE)
		return tv__fail(ctx, TV_ERR_STATE, "channel online is not an intake channel: intake "
		                "is for papers (postal, phone, in_person); online ballots are cast "
		                "from the tenant's own device");
	if ((status = tv__box_prepare(box, &src, "SELECT 1 FROM intake_row WHERE source = ?")) != TV_OK ||
	    (status = tv__box_prepare(box, &cred, "SELECT 1 FROM credential WHERE public_key = ? "
	                                          "AND revoked_at IS NULL")) != TV_OK ||
	    (status = tv__box_prepare(box, &voted, "SELECT position FROM board WHERE credential = ? "
	                                            "AND kind IN (1, 2, 6, 7) LIMIT 1")) != TV_OK)
		goto out;
	for (size_t i = 0; i < in->count; i++) {
		const row *r = &in->rows[i];

		if ((status = row_source(ctx, sources[i], in, r->line)) != TV_OK)
			goto out;
		sqlite3_reset(src);
		sqlite3_bind_blob(src, 1, sources[i], 32, SQLITE_STATIC);
		if ((rc = sqlite3_step(src)) == SQLITE_ROW) {
			cast_before[i] = 1;
			continue;
		}
		if (rc != SQLITE_DONE)
			goto db;
		if (in->papers) {
			if ((status = paper_precheck(box, r, pr, cred, voted)) != TV_OK)
				goto out;
			continue;
		}
		sqlite3_reset(cred);
		sqlite3_bind_blob(cred, 1, r->credential.bytes, TV_POINT_BYTES, SQLITE_STATIC);
		if ((rc = sqlite3_step(cred)) == SQLITE_DONE) {
			add_problem(pr, r->line, "the code is not one issued for this election");
			continue;
		}
		if (rc != SQLITE_ROW)
			goto db;
		if (tv_manifest_revote(m) != TV_REVOTE_FIRST)
			continue;
		sqlite3_reset(voted);
		sqlite3_bind_blob(voted, 1, r->credential.bytes, TV_POINT_BYTES, SQLITE_STATIC);
		if ((rc = sqlite3_step(voted)) == SQLITE_ROW)
			add_problem(pr, r->line, "this tenant has already voted (board position %lld), "
			                         "and only a first ballot counts",
			            (long long)sqlite3_column_int64(voted, 0));
		else if (rc != SQLITE_DONE)
			goto db;
	}
	goto out;
db:
	status = tv__box_db_fail(box, box->db, rc, "checking the intake against the board");
out:
	sqlite3_finalize(src);
	sqlite3_finalize(cred);
	sqlite3_finalize(voted);
	return status;
}

tv_status tv_box_intake(tv_ctx *ctx, tv_box *box, const tv_intake *in, uint32_t channel,
                        const tv_ed25519_secret_key *box_key, int64_t now, tv_intake_fn fn,
                        void *payload, tv_register_problem_fn problem_fn, void *problem_payload,
                        tv_intake_summary *summary)
{
	tv_intake_summary sum = { 0 };
	tv_cast_item *items = NULL;
	tv__paper_cast *papers = NULL;
	uint8_t (*sources)[32] = NULL;
	unsigned char *cast_before = NULL;
	tv_election_key key;
	tv__fixed_base *fb = NULL;
	problems *pr = NULL;
	uint8_t f[32];
	tv_status status;

	if (ctx == NULL || box == NULL || in == NULL || box_key == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_box_intake: NULL argument");
	box->ctx = ctx;
	sum.rows = in->count;
	tv_manifest_fingerprint(f, box->manifest);
	if (memcmp(f, in->fingerprint, 32) != 0) {
		status = tv__fail(ctx, TV_ERR_WRONG_ELECTION, "the intake was read for another election");
		goto out;
	}
	if ((pr = tv__calloc(ctx, 1, sizeof(*pr))) == NULL ||
	    (items = tv__calloc(ctx, TV_INTAKE_BATCH, sizeof(*items))) == NULL ||
	    (in->papers && (papers = tv__calloc(ctx, TV_INTAKE_BATCH, sizeof(*papers))) == NULL) ||
	    (sources = tv__calloc(ctx, in->count + 1, sizeof(*sources))) == NULL ||
	    (cast_before = tv__calloc(ctx, in->count + 1, 1)) == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "cannot allocate an intake batch");
		goto out;
	}
	pr->ctx = ctx;
	pr->source = "intake";
	if ((status = tv_box_election_key(ctx, &key, box)) != TV_OK ||
	    (status = precheck(box, in, channel, now, pr, sources, cast_before)) != TV_OK)
		goto out;
	if (pr->count > 0) {
		status = report(pr, problem_fn, problem_payload);
		goto out;
	}
	/*
	 * Every row is encrypted under K: its table once (a few tens of ms),
	 * each r·K then as cheap as r·G. A file of a few rows is not worth it.
	 */
	if (!in->papers && in->count >= TV_INTAKE_BATCH &&
	    (status = tv__fixed_base_new(ctx, &fb, &key.key)) != TV_OK)
		goto out;
	for (size_t first = 0; first < in->count; first += TV_INTAKE_BATCH) {
		size_t n = in->count - first < TV_INTAKE_BATCH ? in->count - first : TV_INTAKE_BATCH;
		size_t failed = n, refused = 0;

		memset(items, 0, n * sizeof(*items));
		if (papers != NULL)
			memset(papers, 0, n * sizeof(*papers));
		for (size_t i = 0; i < n; i++) {
			const row *r = &in->rows[first + i];
			tv_cast_item *it = &items[i];

			it->channel = channel;
			it->has_source = 1;
			memcpy(it->source, sources[first + i], 32);
			/* a row an earlier run cast is not encrypted again: its receipt is re-issued */
			if (cast_before[first + i])
				continue;
			if (in->papers)
				status = paper_item(box, r, it, &papers[i]);
			else if (r->reason != 0)
				status = tv_spoilt_make(ctx, (tv_spoilt **)&it->spoilt, box->manifest,
				                        r->code, r->code_len, r->reason);
			else
				status = fb != NULL
				         ? tv__ballot_encrypt_fixed(ctx, (tv_ballot **)&it->ballot,
				                                    box->manifest, fb, r->code,
				                                    r->code_len, r->choice)
				         : tv_ballot_encrypt(ctx, (tv_ballot **)&it->ballot, NULL,
				                             box->manifest, &key.key, r->code,
				                             r->code_len, r->choice);
			if (status != TV_OK)
				goto free_items;
		}
		if ((status = tv__box_cast_batch(ctx, box, items, papers, n, box_key, now)) != TV_OK)
			goto free_items;
		/* the batch is committed: count every row it holds before any
		 * receipt is handed on, so the totals stay true if one cannot be kept */
		for (size_t i = 0; i < n; i++) {
			const tv_cast_item *it = &items[i];

			if (it->status != TV_OK) {
				refused++;
				if (failed == n)
					failed = i;
			} else if (it->already) {
				sum.already++;
			} else {
				sum.cast++;
				sum.spoilt += it->spoilt != NULL ||
				              (papers != NULL && papers[i].kind == TV_ENTRY_PAPER_SPOILT);
			}
		}
		for (size_t i = 0; i < n; i++) {
			tv_cast_item *it = &items[i];
			tv_intake_event ev;

			if (it->status != TV_OK)
				continue;
			ev.line = in->rows[first + i].line;
			ev.already = it->already;
			ev.receipt = &it->receipt;
			ev.done = first + i + 1;
			ev.total = in->count;
			ev.batch_end = i + 1 == n;
			if (fn != NULL && fn(&ev, payload) != 0) {
				status = tv__fail(ctx, TV_ERR_IO, "line %u: the receipt could not be kept; the "
				                  "row is cast: run the intake again to issue it again", ev.line);
				goto free_items;
			}
		}
		if (failed < n) {
			/* SPEC §15.7: the rest of its batch is cast, later batches are not */
			status = tv__fail(ctx, items[failed].status, "line %u: %s%s; the other rows of "
			                  "its batch (lines %u to %u) are cast, later rows are not",
			                  in->rows[first + failed].line, items[failed].message,
			                  refused > 1 ? " (and other rows of its batch were refused too)"
			                              : "",
			                  in->rows[first].line, in->rows[first + n - 1].line);
			goto free_items;
		}
free_items:
		for (size_t i = 0; i < n; i++) {
			tv_ballot_free((tv_ballot *)items[i].ballot);
			tv_spoilt_free((tv_spoilt *)items[i].spoilt);
			items[i].ballot = NULL;
			items[i].spoilt = NULL;
		}
		if (status != TV_OK)
			goto out;
	}
out:
	tv__fixed_base_free(fb);
	tv__free(ctx, items);
	tv__free(ctx, papers);
	tv__free(ctx, pr);
	tv__free(ctx, sources);
	tv__free(ctx, cast_before);
	if (summary != NULL)
		*summary = sum;
	return status;
}
