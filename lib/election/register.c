/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §10: the tenant register, read from the council's CSV with libcsv.
 *
 * The bytes are fed to libcsv one physical line at a time, so that the
 * line where each record starts is known exactly even when a quoted field
 * (an address, typically) spans several lines: CSV_REPALL_NL makes libcsv
 * end a row at every unquoted line break, blank lines included, so the
 * next record always starts on the line after the last row's end.
 *
 * Memory: the current record is normalised into one reusable buffer, and
 * every kept string goes into a string arena: blocks that double in size
 * (up to a limit) and never move, so tenants point into them and nothing is
 * copied as the register grows. So the allocations are a few dozen at
 * most, never one per field, and all go through the context's allocator.
 * Fixed values ("", "en", "cy") are not stored at all. The one exception
 * is libcsv's own field buffer: its allocation hooks take no payload, so it
 * cannot reach the context's allocator without global state; it holds one
 * field at a time and is freed before tv_register_parse() returns.
 *
 * All or nothing: problems are collected while reading (the first
 * TV_REGISTER_PROBLEMS_MAX in full, the rest counted), duplicates are
 * found once the whole file is read, and only a file without any problem
 * gives a register.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "election_internal.h"
#include "tenantvote/register.h"

/* libcsv's buffer holds the last field read (a name, an address): wiped
 * before it is freed */
static void csv_free_wiped(struct csv_parser *csv)
{
	if (csv->entry_buf != NULL)
		tv__memzero(csv->entry_buf, csv->entry_size);
	csv_free(csv);
}

/* the columns, in the order of the digest (SPEC §10.8) */
enum column {
	COL_TENANCY_REF,
	COL_NAME,
	COL_ADDRESS,
	COL_TENANCY_TYPE,
	COL_EMAIL,
	COL_PHONE,
	COL_LANGUAGE,
	COL_COUNT
};

/* columns below this one are required */
#define COL_REQUIRED 4
#define COL_NONE (-1)
#define NO_FIELD SIZE_MAX

static const char *const column_names[COL_COUNT] = {
	"tenancy_ref", "name", "address", "tenancy_type", "email", "phone", "language",
};

#define EXPECTED_COLUMNS                                                       \
	"expected: tenancy_ref, name, address, tenancy_type, and optionally "  \
	"email, phone, language"

/* the longest problem text kept, quoted values included */
#define PROBLEM_TEXT_MAX 512
/* how much of a value a message quotes */
#define QUOTE_MAX 48
/* a quoted value: every byte may become \xNN, plus quotes and "..." */
#define QUOTED_MAX (QUOTE_MAX * 4 + 8)

/* the arena's blocks: the first is ARENA_FIRST bytes, each next one twice
 * the last, up to ARENA_MAX (a field never needs more than 1025 bytes) */
#define ARENA_FIRST (16 * 1024)
#define ARENA_MAX (1024 * 1024)

typedef struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
} arena_block;

typedef struct stored_tenant {
	const char *value[COL_COUNT]; /* NUL-terminated, in the arena or static */
	uint32_t line;
	tv_tenancy_type type;
} stored_tenant;

struct tv_register {
	tv_ctx *ctx;
	stored_tenant *tenants;
	size_t count;
	arena_block *arena; /* newest first */
	uint8_t digest[TV_REGISTER_DIGEST_BYTES];
};

/* a field of the current record in parser.rec */
typedef struct field_span {
	size_t off;
	size_t len;  /* bytes kept: at most TV_REGISTER_FIELD_MAX + 1 */
	size_t full; /* the normalised field's whole length */
} field_span;

typedef struct row_problem {
	uint32_t line;
	char text[PROBLEM_TEXT_MAX];
} row_problem;

typedef struct dup_problem {
	uint32_t line;       /* the later row */
	uint32_t first_line; /* the first row of the same person */
	size_t tenant;       /* the later row's tenant */
} dup_problem;

typedef struct parser {
	tv_ctx *ctx;
	tv_status fatal; /* could not check (NOMEM, INTERNAL): nothing reported */
	bool stop;       /* a problem after which nothing more can be read */
	size_t max_rows;
	struct csv_parser csv;

	uint32_t line;        /* the physical line being fed to libcsv */
	uint32_t record_line; /* where the current record started */
	size_t fields_seen;   /* fields of the current record so far */
	char *rec;            /* the current record's normalised fields */
	size_t rec_len, rec_cap;
	field_span *fields;
	size_t fields_cap;

	bool have_header;
	uint32_t header_line;
	size_t ncols;
	int *col_kind;             /* per header field: enum column or COL_NONE */
	size_t col_index[COL_COUNT]; /* per column: its header field, or NO_FIELD */
	size_t rows;               /* data rows seen */

	stored_tenant *tenants;
	size_t count, tenants_cap;
	arena_block *arena;

	row_problem *problems; /* the first TV_REGISTER_PROBLEMS_MAX, in line order */
	size_t nproblems, problems_cap;
	size_t total_problems; /* all found while reading, duplicates excluded */
} parser;

/* ---- small helpers ---- */

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive comparison of s (len bytes) with the word w */
static bool equal_word(const char *s, size_t len, const char *w)
{
	size_t i;

	if (strlen(w) != len)
		return false;
	for (i = 0; i < len; i++)
		if (ascii_lower((unsigned char)s[i]) != (unsigned char)w[i])
			return false;
	return true;
}

/*
 * Grow *buf (element size @p size) to hold at least @p need elements,
 * doubling, so that n appends cost O(log n) allocations.
 */
static bool grow(parser *p, void **buf, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return true;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			goto nomem;
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		goto nomem;
	q = tv__realloc(p->ctx, *buf, n * size);
	if (q == NULL)
		goto nomem;
	*buf = q;
	*cap = n;
	return true;
nomem:
	if (p->fatal == TV_OK)
		p->fatal = tv__fail(p->ctx, TV_ERR_NOMEM, "register: out of memory");
	return false;
}

/*
 * A value for a message: in double quotes, at most QUOTE_MAX bytes (cut at
 * a character boundary, then "..."). Valid UTF-8 is shown as it is; in
 * anything else every byte outside printable ASCII is shown as \xNN, so a
 * message never carries invalid UTF-8 or a control character.
 */
static void quote_value(char *out, size_t out_size, const char *s, size_t len)
{
	bool valid = tv__utf8_check(NULL, s, len, "value") == TV_OK;
	size_t show = len, i, n = 0;

	if (show > QUOTE_MAX) {
		show = QUOTE_MAX;
		while (valid && show > 0 && ((unsigned char)s[show] & 0xc0) == 0x80)
			show--;
	}
	n += (size_t)snprintf(out + n, out_size - n, "\"");
	for (i = 0; i < show && n < out_size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, out_size - n, "\\%c", c);
		else if (valid || (c >= 0x20 && c < 0x7f))
			n += (size_t)snprintf(out + n, out_size - n, "%c", c);
		else
			n += (size_t)snprintf(out + n, out_size - n, "\\x%02x", c);
	}
	if (n < out_size)
		snprintf(out + n, out_size - n, "%s\"", show < len ? "..." : "");
}

static void add_problem(parser *p, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_problem(parser *p, uint32_t line, const char *fmt, ...)
{
	va_list ap;
	row_problem *pr;

	p->total_problems++;
	if (p->nproblems >= TV_REGISTER_PROBLEMS_MAX)
		return; /* counted only */
	if (!grow(p, (void **)&p->problems, &p->problems_cap, p->nproblems + 1,
	          sizeof(*p->problems)))
		return;
	pr = &p->problems[p->nproblems++];
	pr->line = line;
	va_start(ap, fmt);
	vsnprintf(pr->text, sizeof(pr->text), fmt, ap);
	va_end(ap);
}

/* "name", or "field 9" for a field outside the known columns */
static void field_label(char *out, size_t size, const parser *p, size_t index)
{
	if (p->have_header && index < p->ncols && p->col_kind[index] != COL_NONE)
		snprintf(out, size, "%s", column_names[p->col_kind[index]]);
	else
		snprintf(out, size, "%s field %zu", p->have_header ? "row" : "header",
		         index + 1);
}

/*
 * SPEC §10.3. Trim spaces (and, in the address, line breaks) from both
 * ends; in the address, write each run of spaces and line breaks that
 * holds a line break as ", " (as " " after a comma). Writes at most @p cap
 * bytes and returns the whole normalised length.
 */
static size_t normalise(char *out, size_t cap, const unsigned char *in,
                        size_t len, bool address)
{
	size_t start = 0, end = len, n = 0, i;
#define IS_GAP(c) ((c) == ' ' || (address && ((c) == '\r' || (c) == '\n')))
#define EMIT(c)                                                                \
	do {                                                                   \
		if (n < cap)                                                   \
			out[n] = (char)(c);                                    \
		n++;                                                           \
	} while (0)

	while (start < end && IS_GAP(in[start]))
		start++;
	while (end > start && IS_GAP(in[end - 1]))
		end--;
	for (i = start; i < end;) {
		size_t j = i;
		bool line_break = false;

		if (!IS_GAP(in[i])) {
			EMIT(in[i]);
			i++;
			continue;
		}
		while (j < end && IS_GAP(in[j])) {
			line_break |= in[j] != ' ';
			j++;
		}
		if (line_break) {
			/* i > start: a trimmed value never starts with a gap */
			if (in[i - 1] != ',')
				EMIT(',');
			EMIT(' ');
		} else {
			for (; i < j; i++)
				EMIT(' ');
		}
		i = j;
	}
	return n;
#undef IS_GAP
#undef EMIT
}

/* ---- libcsv callbacks ---- */

static void on_field(void *data, size_t len, void *payload)
{
	parser *p = payload;
	size_t index = p->fields_seen++;
	size_t want;
	int kind = COL_NONE;
	field_span *f;

	if (p->fatal != TV_OK || p->stop)
		return;
	if (p->have_header) {
		if (index >= p->ncols)
			return; /* the row has too many fields: reported at its end */
		kind = p->col_kind[index];
	}
	if (!grow(p, (void **)&p->fields, &p->fields_cap, index + 1, sizeof(*p->fields)))
		return;
	f = &p->fields[index];
	memset(f, 0, sizeof(*f));
	if (p->have_header && kind == COL_NONE)
		return; /* an unknown or repeated column: reported once, in the header */
	/* a line break can grow to ", ": at most twice the bytes */
	want = len > TV_REGISTER_FIELD_MAX ? TV_REGISTER_FIELD_MAX + 1 : 2 * len;
	if (want > TV_REGISTER_FIELD_MAX + 1)
		want = TV_REGISTER_FIELD_MAX + 1;
	/* + 1: never a NULL buffer, even when every field so far is empty */
	if (!grow(p, (void **)&p->rec, &p->rec_cap, p->rec_len + want + 1, 1))
		return;
	f->off = p->rec_len;
	f->full = normalise(p->rec + p->rec_len, want, data, len, kind == COL_ADDRESS);
	f->len = f->full < want ? f->full : want;
	p->rec_len += f->len;
}

static void read_header(parser *p)
{
	size_t i;
	int k;

	p->have_header = true;
	p->header_line = p->record_line;
	p->ncols = p->fields_seen;
	p->col_kind = tv__calloc(p->ctx, p->ncols, sizeof(*p->col_kind));
	if (p->col_kind == NULL) {
		p->fatal = tv__fail(p->ctx, TV_ERR_NOMEM, "register: out of memory");
		return;
	}
	for (i = 0; i < p->ncols; i++) {
		const char *name = p->rec + p->fields[i].off;
		size_t len = p->fields[i].len;
		char quoted[QUOTED_MAX];

		p->col_kind[i] = COL_NONE;
		for (k = 0; k < COL_COUNT; k++)
			if (equal_word(name, len, column_names[k]))
				break;
		if (k == COL_COUNT) {
			quote_value(quoted, sizeof(quoted), name, len);
			if (len == 0)
				add_problem(p, p->header_line,
				            "header field %zu has no column name (" EXPECTED_COLUMNS ")",
				            i + 1);
			else
				add_problem(p, p->header_line, "unknown column %s in header field %zu (" EXPECTED_COLUMNS ")",
				            quoted, i + 1);
		} else if (p->col_index[k] != NO_FIELD) {
			add_problem(p, p->header_line,
			            "column \"%s\" appears twice, in header fields %zu and %zu (" EXPECTED_COLUMNS ")",
			            column_names[k], p->col_index[k] + 1, i + 1);
		} else {
			p->col_index[k] = i;
			p->col_kind[i] = k;
		}
	}
	for (k = 0; k < COL_REQUIRED; k++)
		if (p->col_index[k] == NO_FIELD)
			add_problem(p, p->header_line,
			            "missing required column \"%s\" (" EXPECTED_COLUMNS ")",
			            column_names[k]);
}

/* a copy of the string in the arena (static strings are kept as they
 * are); NULL when out of memory */
static const char *arena_add(parser *p, const char *s, size_t len, bool is_static)
{
	arena_block *b = p->arena;
	char *copy;

	if (is_static)
		return s;
	if (len == 0)
		return "";
	if (b == NULL || b->size - b->used < len + 1) {
		size_t size = b == NULL ? ARENA_FIRST : 2 * b->size;

		if (size > ARENA_MAX)
			size = ARENA_MAX;
		if (size < len + 1)
			size = len + 1;
		b = tv__alloc(p->ctx, sizeof(*b) + size);
		if (b == NULL) {
			if (p->fatal == TV_OK)
				p->fatal = tv__fail(p->ctx, TV_ERR_NOMEM, "register: out of memory");
			return NULL;
		}
		b->next = p->arena;
		b->used = 0;
		b->size = size;
		p->arena = b;
	}
	copy = b->data + b->used;
	if (len != 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	b->used += len + 1;
	return copy;
}

/* wipe (the tenants' personal data) and free every block */
static void arena_free(tv_ctx *ctx, arena_block *b)
{
	while (b != NULL) {
		arena_block *next = b->next;

		tv__memzero(b->data, b->used);
		tv__free(ctx, b);
		b = next;
	}
}

/*
 * SPEC §10.5: every record after the header is a row, problems or not;
 * the one past the limit is reported instead of anything else about it,
 * and reading stops there.
 */
static bool count_row(parser *p, uint32_t line)
{
	if (++p->rows <= p->max_rows)
		return true;
	add_problem(p, line, "more than %zu tenant rows; the limit is %zu",
	            p->max_rows, p->max_rows);
	p->stop = true;
	return false;
}

static void read_row(parser *p)
{
	uint32_t line = p->record_line;
	const char *value[COL_COUNT];
	size_t vlen[COL_COUNT];
	bool fixed[COL_COUNT]; /* a static string, not a field of the record */
	tv_tenancy_type type = TV_TENANCY_SECURE;
	stored_tenant *t;
	int k;

	if (!count_row(p, line))
		return;
	if (p->fields_seen != p->ncols) {
		add_problem(p, line, "the row has %zu field%s; the header has %zu",
		            p->fields_seen, p->fields_seen == 1 ? "" : "s", p->ncols);
		return;
	}
	for (k = 0; k < COL_COUNT; k++) {
		const field_span *f;
		char quoted[QUOTED_MAX];

		value[k] = "";
		vlen[k] = 0;
		fixed[k] = true;
		if (p->col_index[k] == NO_FIELD)
			continue; /* absent column: optional, or reported in the header */
		f = &p->fields[p->col_index[k]];
		if (f->full > TV_REGISTER_FIELD_MAX) {
			add_problem(p, line, "%s is %zu bytes long; the limit is %d bytes",
			            column_names[k], f->full, TV_REGISTER_FIELD_MAX);
			continue;
		}
		if (tv__utf8_check(p->ctx, p->rec + f->off, f->len, column_names[k]) != TV_OK) {
			add_problem(p, line, "%s", tv_ctx_last_error(p->ctx));
			continue;
		}
		if (k < COL_REQUIRED && f->len == 0) {
			add_problem(p, line, "%s is empty", column_names[k]);
			continue;
		}
		value[k] = p->rec + f->off;
		vlen[k] = f->len;
		/* the type and language become constants below */
		fixed[k] = k == COL_TENANCY_TYPE || k == COL_LANGUAGE;
		if (k == COL_TENANCY_TYPE) {
			if (equal_word(value[k], vlen[k], "secure")) {
				type = TV_TENANCY_SECURE;
				value[k] = "secure";
			} else if (equal_word(value[k], vlen[k], "introductory")) {
				type = TV_TENANCY_INTRODUCTORY;
				value[k] = "introductory";
			} else {
				quote_value(quoted, sizeof(quoted), value[k], vlen[k]);
				add_problem(p, line,
				            "tenancy_type %s is not a tenancy type (allowed: secure, introductory)",
				            quoted);
				value[k] = "";
			}
			vlen[k] = strlen(value[k]);
		} else if (k == COL_LANGUAGE) {
			if (vlen[k] == 0 || equal_word(value[k], vlen[k], "en") ||
			    equal_word(value[k], vlen[k], "english")) {
				value[k] = "en";
			} else if (equal_word(value[k], vlen[k], "cy") ||
			           equal_word(value[k], vlen[k], "welsh") ||
			           equal_word(value[k], vlen[k], "cymraeg")) {
				value[k] = "cy";
			} else {
				quote_value(quoted, sizeof(quoted), value[k], vlen[k]);
				add_problem(p, line,
				            "language %s is not a language of the ballot (allowed: en, cy, English, Welsh, Cymraeg; empty means en)",
				            quoted);
				value[k] = "";
			}
			vlen[k] = strlen(value[k]);
		}
	}
	if (p->col_index[COL_LANGUAGE] == NO_FIELD) {
		value[COL_LANGUAGE] = "en";
		vlen[COL_LANGUAGE] = 2;
	}
	/*
	 * Kept even when the row has problems: the duplicate check needs every
	 * row's reference and name (a bad value is kept as "").
	 */
	if (!grow(p, (void **)&p->tenants, &p->tenants_cap, p->count + 1,
	          sizeof(*p->tenants)))
		return;
	t = &p->tenants[p->count];
	for (k = 0; k < COL_COUNT; k++)
		if ((t->value[k] = arena_add(p, value[k], vlen[k], fixed[k])) == NULL)
			return;
	t->line = line;
	t->type = type;
	p->count++;
}

static void end_record(parser *p)
{
	p->fields_seen = 0;
	p->rec_len = 0;
	/* every record ends at the end of a line (or of the file) */
	p->record_line = p->line + 1;
}

static void on_row(int terminator, void *payload)
{
	parser *p = payload;

	(void)terminator;
	if (p->fatal == TV_OK && !p->stop && p->fields_seen != 0) {
		if (!p->have_header)
			read_header(p);
		else
			read_row(p);
	}
	/* no fields: a blank line, skipped */
	end_record(p);
}

/*
 * libcsv refused the record (strict mode): a quote inside an unquoted
 * field, or text after a closing quote. The rest of the line is skipped
 * and reading starts again on the next line.
 */
static void stray_quote(parser *p)
{
	char label[48], where[48] = "";

	field_label(label, sizeof(label), p, p->fields_seen);
	if (p->line != p->record_line)
		snprintf(where, sizeof(where), " (on line %u)", (unsigned)p->line);
	if (!p->have_header || count_row(p, p->record_line))
		add_problem(p, p->record_line,
		            "%s: stray quote%s: a quote inside an unquoted field, or text after a closing quote (quote the whole field and double each quote inside it)",
		            label, where);
	if (!p->have_header)
		p->stop = true; /* without a header, no row can be read */
	csv_free_wiped(&p->csv);
	if (csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0 &&
	    p->fatal == TV_OK)
		p->fatal = tv__fail(p->ctx, TV_ERR_INTERNAL, "register: csv_init failed");
	end_record(p);
}

/* ---- duplicates (SPEC §10.6) ---- */

typedef struct person_key {
	const char *ref, *name;
	uint32_t line;
	size_t tenant;
} person_key;

/* compare with ASCII letters folded to lower case and runs of spaces as one */
static int key_compare(const char *a, const char *b)
{
	for (;;) {
		unsigned char ca = ascii_lower((unsigned char)*a);
		unsigned char cb = ascii_lower((unsigned char)*b);

		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca == '\0')
			return 0;
		if (ca == ' ') {
			while (a[1] == ' ')
				a++;
			while (b[1] == ' ')
				b++;
		}
		a++;
		b++;
	}
}

static int person_compare(const void *x, const void *y)
{
	const person_key *a = x, *b = y;
	int c = key_compare(a->ref, b->ref);

	if (c == 0)
		c = key_compare(a->name, b->name);
	if (c == 0)
		c = a->line < b->line ? -1 : a->line > b->line;
	return c;
}

static int dup_compare(const void *x, const void *y)
{
	const dup_problem *a = x, *b = y;

	return a->line < b->line ? -1 : a->line > b->line;
}

/*
 * Sorting rather than hashing: O(n log n) whatever the names, so a crafted
 * file cannot make the check quadratic.
 */
static tv_status find_duplicates(parser *p, dup_problem **out, size_t *nout)
{
	person_key *keys = NULL;
	dup_problem *dups = NULL;
	size_t n = 0, ndups = 0, i, first = 0;
	tv_status status = TV_OK;

	*out = NULL;
	*nout = 0;
	if (p->count < 2)
		goto out;
	keys = tv__calloc(p->ctx, p->count, sizeof(*keys));
	dups = tv__calloc(p->ctx, p->count, sizeof(*dups));
	if (keys == NULL || dups == NULL) {
		status = tv__fail(p->ctx, TV_ERR_NOMEM, "register: out of memory");
		goto out;
	}
	for (i = 0; i < p->count; i++) {
		const stored_tenant *t = &p->tenants[i];
		const char *ref = t->value[COL_TENANCY_REF];
		const char *name = t->value[COL_NAME];

		if (*ref == '\0' || *name == '\0')
			continue; /* already a problem of its own */
		keys[n].ref = ref;
		keys[n].name = name;
		keys[n].line = t->line;
		keys[n].tenant = i;
		n++;
	}
	qsort(keys, n, sizeof(*keys), person_compare);
	for (i = 1; i < n; i++) {
		if (key_compare(keys[i].ref, keys[first].ref) != 0 ||
		    key_compare(keys[i].name, keys[first].name) != 0) {
			first = i;
			continue;
		}
		dups[ndups].line = keys[i].line;
		dups[ndups].first_line = keys[first].line;
		dups[ndups].tenant = keys[i].tenant;
		ndups++;
	}
	qsort(dups, ndups, sizeof(*dups), dup_compare);
	*out = dups;
	*nout = ndups;
	dups = NULL;
out:
	tv__free(p->ctx, keys);
	tv__free(p->ctx, dups);
	return status;
}

/* ---- reporting ---- */

static void dup_text(char *out, size_t size, const parser *p, const dup_problem *d)
{
	const stored_tenant *t = &p->tenants[d->tenant];
	const char *ref = t->value[COL_TENANCY_REF];
	const char *name = t->value[COL_NAME];
	char qref[QUOTED_MAX], qname[QUOTED_MAX];

	quote_value(qref, sizeof(qref), ref, strlen(ref));
	quote_value(qname, sizeof(qname), name, strlen(name));
	snprintf(out, size,
	         "the same person as on line %u: tenancy_ref %s and name %s (compared ignoring case and repeated spaces)",
	         (unsigned)d->first_line, qref, qname);
}

/*
 * Deliver the problems in line order: the ones found while reading (kept
 * in line order) merged with the duplicates (sorted by line). Both lists
 * hold at least the first TV_REGISTER_PROBLEMS_MAX of their kind, so the
 * first TV_REGISTER_PROBLEMS_MAX of the merge are exact.
 */
static tv_status report(parser *p, const dup_problem *dups, size_t ndups,
                        const char *source_name, tv_register_problem_fn problem,
                        void *payload)
{
	size_t total = p->total_problems + ndups, shown = 0, i = 0, j = 0;
	char text[PROBLEM_TEXT_MAX], first[PROBLEM_TEXT_MAX] = "";
	uint32_t first_line = 0;

	while (shown < TV_REGISTER_PROBLEMS_MAX && (i < p->nproblems || j < ndups)) {
		uint32_t line;

		if (i < p->nproblems && (j >= ndups || p->problems[i].line <= dups[j].line)) {
			line = p->problems[i].line;
			snprintf(text, sizeof(text), "%s", p->problems[i].text);
			i++;
		} else {
			line = dups[j].line;
			dup_text(text, sizeof(text), p, &dups[j]);
			j++;
		}
		if (shown == 0) {
			first_line = line;
			memcpy(first, text, sizeof(first));
		}
		if (problem != NULL)
			problem(line, text, payload);
		shown++;
	}
	if (total > shown && problem != NULL) {
		snprintf(text, sizeof(text), "%zu more problem%s not listed",
		         total - shown, total - shown == 1 ? "" : "s");
		problem(0, text, payload);
	}
	return tv__fail(p->ctx, TV_ERR_REGISTER_INVALID, "%s: %zu problem%s; line %u: %s",
	                source_name, total, total == 1 ? "" : "s",
	                (unsigned)first_line, first);
}

/* ---- the digest (SPEC §10.8) ---- */

static tv_status register_digest(tv_ctx *ctx, tv_register *reg)
{
	static const char *const type_names[] = { "", "secure", "introductory" };
	tv__hash h;
	tv_status status;
	size_t i;
	int k;

	if ((status = tv__hash_begin(&h, ctx, "register")) != TV_OK)
		return status;
	tv__hash_u32(&h, (uint32_t)reg->count);
	for (i = 0; i < reg->count; i++) {
		const stored_tenant *t = &reg->tenants[i];

		for (k = 0; k < COL_COUNT; k++) {
			const char *s = k == COL_TENANCY_TYPE ? type_names[t->type] : t->value[k];

			tv__hash_field(&h, s, strlen(s));
		}
	}
	return tv__hash_final(&h, reg->digest);
}

/* ---- parsing ---- */

static void parser_free(parser *p)
{
	/* personal data: wiped, not just freed */
	if (p->rec != NULL)
		tv__memzero(p->rec, p->rec_cap);
	if (p->problems != NULL)
		tv__memzero(p->problems, p->problems_cap * sizeof(*p->problems));
	tv__free(p->ctx, p->rec);
	tv__free(p->ctx, p->fields);
	tv__free(p->ctx, p->col_kind);
	tv__free(p->ctx, p->tenants); /* pointers only: the text is in the arena */
	arena_free(p->ctx, p->arena);
	tv__free(p->ctx, p->problems);
}

/* read every line; problems are collected, not reported */
static void read_lines(parser *p, const uint8_t *csv, size_t len)
{
	size_t pos = 0;

	/* a UTF-8 byte order mark, as spreadsheets write, is not data */
	if (len >= 3 && csv[0] == 0xef && csv[1] == 0xbb && csv[2] == 0xbf)
		pos = 3;
	while (pos < len && p->fatal == TV_OK && !p->stop) {
		size_t end = pos, fed;
		bool line_end = false;

		/* SPEC §10.1: a line ends at LF, CR LF, or a CR not before LF */
		while (end < len && csv[end] != '\n' && csv[end] != '\r')
			end++;
		if (end < len) {
			line_end = true;
			end += csv[end] == '\r' && end + 1 < len && csv[end + 1] == '\n' ? 2 : 1;
		}
		fed = csv_parse(&p->csv, csv + pos, end - pos, on_field, on_row, p);
		if (fed != end - pos && p->fatal == TV_OK) {
			if (csv_error(&p->csv) == CSV_EPARSE)
				stray_quote(p);
			else
				p->fatal = tv__fail(p->ctx, TV_ERR_NOMEM,
				                    "register: libcsv: %s",
				                    csv_strerror(csv_error(&p->csv)));
		}
		if (line_end)
			p->line++;
		pos = end;
	}
	if (p->fatal != TV_OK || p->stop)
		return;
	/* the last record, when the file does not end with a line break */
	if (csv_fini(&p->csv, on_field, on_row, p) != 0) {
		char label[48];

		field_label(label, sizeof(label), p, p->fields_seen);
		if (!p->have_header || count_row(p, p->record_line))
			add_problem(p, p->record_line,
			            "%s: a quoted field is not closed: its closing quote is missing before the end of the file",
			            label);
		if (!p->have_header)
			p->stop = true;
	}
	if (p->fatal != TV_OK || p->stop)
		return;
	if (!p->have_header)
		add_problem(p, 1, "no tenants: the file is empty (no header row)");
	else if (p->rows == 0)
		add_problem(p, p->header_line,
		            "no tenants: the file has a header row but no tenant rows");
}

tv_status tv__register_parse_limited(tv_ctx *ctx, tv_register **out,
                                     const uint8_t *csv, size_t len,
                                     const char *source_name,
                                     tv_register_problem_fn problem,
                                     void *payload, size_t max_rows)
{
	parser p;
	tv_register *reg = NULL;
	dup_problem *dups = NULL;
	size_t ndups = 0;
	bool csv_ready = false;
	tv_status status;
	int k;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL || out == NULL || (csv == NULL && len != 0))
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_register_parse: NULL argument");
	if (source_name == NULL)
		source_name = "register";
	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	p.max_rows = max_rows;
	p.line = 1;
	p.record_line = 1;
	for (k = 0; k < COL_COUNT; k++)
		p.col_index[k] = NO_FIELD;

	if (len >= UINT32_MAX) {
		/* line numbers are 32-bit (SPEC §10.1) */
		add_problem(&p, 1, "the file is %zu bytes long; the limit is %u bytes", len,
		            (unsigned)(UINT32_MAX - 1));
	} else {
		/*
		 * Strict: a stray quote is a problem rather than text, since
		 * guessing where a field ends could shift a tenant's columns.
		 * REPALL_NL: blank lines end a (empty) row, for line counting.
		 */
		if (csv_init(&p.csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
			status = tv__fail(ctx, TV_ERR_INTERNAL, "register: csv_init failed");
			goto out;
		}
		csv_ready = true;
		csv_set_blk_size(&p.csv, 2 * TV_REGISTER_FIELD_MAX);
		/*
		 * A first guess at the number of rows (real rows are longer than
		 * 64 bytes), so that the tenants are rarely copied as they grow.
		 */
		if (!grow(&p, (void **)&p.tenants, &p.tenants_cap, len / 64 + 1,
		          sizeof(*p.tenants))) {
			status = p.fatal;
			goto out;
		}
		read_lines(&p, csv, len);
		csv_free_wiped(&p.csv);
		csv_ready = false;
	}
	if (p.fatal != TV_OK) {
		status = p.fatal;
		goto out;
	}
	if ((status = find_duplicates(&p, &dups, &ndups)) != TV_OK)
		goto out;
	if (p.total_problems + ndups != 0) {
		status = report(&p, dups, ndups, source_name, problem, payload);
		goto out;
	}

	reg = tv__calloc(ctx, 1, sizeof(*reg));
	if (reg == NULL) {
		status = tv__fail(ctx, TV_ERR_NOMEM, "register: out of memory");
		goto out;
	}
	reg->ctx = ctx;
	reg->tenants = p.tenants;
	reg->count = p.count;
	reg->arena = p.arena;
	p.tenants = NULL;
	p.arena = NULL;
	if ((status = register_digest(ctx, reg)) != TV_OK)
		goto out;
	*out = reg;
	reg = NULL;
out:
	if (csv_ready)
		csv_free_wiped(&p.csv);
	tv_register_free(reg);
	tv__free(ctx, dups);
	parser_free(&p);
	return status;
}

tv_status tv_register_parse(tv_ctx *ctx, tv_register **out, const uint8_t *csv,
                            size_t len, const char *source_name,
                            tv_register_problem_fn problem, void *payload)
{
	return tv__register_parse_limited(ctx, out, csv, len, source_name, problem,
	                                  payload, TV_REGISTER_ROWS_MAX);
}

size_t tv_register_count(const tv_register *reg)
{
	return reg == NULL ? 0 : reg->count;
}

tv_status tv_register_tenant(tv_tenant *out, const tv_register *reg, size_t index)
{
	const stored_tenant *t;

	if (out == NULL || reg == NULL)
		return tv__fail(reg ? reg->ctx : NULL, TV_ERR_INVALID_ARGUMENT,
		                "tv_register_tenant: NULL argument");
	if (index >= reg->count)
		return tv__fail(reg->ctx, TV_ERR_INVALID_ARGUMENT,
		                "tv_register_tenant: index %zu out of range (the register has %zu tenants)",
		                index, reg->count);
	t = &reg->tenants[index];
	out->tenancy_ref = t->value[COL_TENANCY_REF];
	out->name = t->value[COL_NAME];
	out->address = t->value[COL_ADDRESS];
	out->email = t->value[COL_EMAIL];
	out->phone = t->value[COL_PHONE];
	out->language = t->value[COL_LANGUAGE];
	out->tenancy_type = t->type;
	out->line = t->line;
	return TV_OK;
}

void tv_register_digest(uint8_t out[TV_REGISTER_DIGEST_BYTES], const tv_register *reg)
{
	if (out == NULL)
		return;
	if (reg == NULL)
		memset(out, 0, TV_REGISTER_DIGEST_BYTES);
	else
		memcpy(out, reg->digest, TV_REGISTER_DIGEST_BYTES);
}

void tv_register_free(tv_register *reg)
{
	tv_ctx *ctx;

	if (reg == NULL)
		return;
	ctx = reg->ctx;
	tv__free(ctx, reg->tenants);
	/* names and addresses are personal data: arena_free wipes them */
	arena_free(ctx, reg->arena);
	tv__memzero(reg, sizeof(*reg));
	tv__free(ctx, reg);
}
