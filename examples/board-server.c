/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Example: a receipt-check and bulletin-board web server on libmicrohttpd,
 * for a council that would rather run a server than publish static files.
 *
 *   tenantvote-board-server --record DIR [--site DIR] [--bind ADDR] [--port N]
 *
 * At start it verifies the public record in DIR once, every check of SPEC
 * §19 (tv_record_verify()), and refuses to serve a record that does not
 * verify: a council must never show tenants a board that anyone could
 * show to be wrong. Then it reads the board once (tv_record_list_board())
 * into an index of the tracking codes in memory, and serves:
 *
 *   GET /api/check?code=CODE  what the board says of one tracking code, as
 *                             JSON with the message for the tenant in
 *                             English and Welsh (SPEC §15.1.2): CODE is the
 *                             short code of a receipt, XXXX-XXXX-XXXX-XXXX
 *                             (case, spaces and hyphens do not matter), or
 *                             the whole tracking code T in 64 hex digits
 *   GET /api/board?page=N     one page of the board: position, short code
 *                             and whether the entry counts
 *   GET anything else         the files of --site DIR (the bulletin board
 *                             as published), never outside it: each name
 *                             is opened with O_NOFOLLOW, so a symbolic
 *                             link planted in the site is never followed
 *
 * It speaks plain HTTP: beyond the machine it runs on, put it behind a
 * TLS proxy (which must not log query strings either, see below).
 *
 * The record's folder must not change while the server runs: it is read
 * twice at start (verified, then listed) and the number of entries must
 * agree, but nothing more ties the two readings together.
 *
 * Tracking codes and logs. The static site's check page (check.html)
 * keeps the code in the URL's fragment, check.html#CODE, which a browser
 * never sends to a server, so no server ever sees which ballot a tenant
 * looked up (SPEC §15.1.2). /api/check cannot work that way: the code is
 * in its query string, so whoever runs this server must never log query
 * strings, here or in a proxy in front of it. This server logs no
 * requests at all, and libmicrohttpd's own error log (which may quote a
 * request) is left off.
 *
 * Bounded: at most 64 connections (16 from one address), 10 seconds of
 * idleness, 32 KiB of memory for one connection's request, two threads;
 * a response is at most one page of the board, or a file sent from disk.
 * Nothing is allocated per request beyond that.
 *
 * Build against an installed library:
 *   cc board-server.c $(pkg-config --cflags --libs tenantvote libmicrohttpd jansson)
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <tenantvote/tenantvote.h>

#define PAGE_ENTRIES 500      /* board entries on one page of /api/board */
#define MAX_CONNECTIONS 64
#define MAX_PER_ADDRESS 16
#define IDLE_SECONDS 10
#define REQUEST_MEMORY (32 * 1024)
#define THREADS 2
#define CODE_MAX 256          /* longer than any way of typing a code */
#define PATH_MAX_BYTES 1024   /* a site's path, after percent-decoding */
#define MANIFEST_MAX 262144   /* SPEC §9.4.1 */
#define CONTACT_MAX 4096      /* the officer's details, in one language */
#define MESSAGE_MAX 8192

/* What a tracking code is, as far as the board is concerned. */
typedef enum code_status {
	CODE_COUNTS, CODE_REPLACED, CODE_REVOKED, CODE_OPENED, CODE_CHANGE,
	CODE_NOT_FOUND, CODE_MISTYPED, CODE_MALFORMED
} code_status;

static const char *const code_status_name[] = {
	"counts", "replaced", "revoked", "opened", "change", "not_found", "mistyped", "malformed"
};

/*
 * What the tenant is told, in English and Welsh, in the words of the
 * published site's check page. {P} is the position, {CODE} the code as
 * normalised, {C} the returning officer's details.
 */
typedef struct words {
	const char *en, *cy;
} words;

static const words said[] = {
	[CODE_COUNTS] = {
		"Your ballot is on the board at position {P} and is the one that counts.",
		"Mae eich pleidlais ar y bwrdd yn safle {P} a dyma'r un sy'n cyfrif." },
	[CODE_REPLACED] = {
		"Your ballot is on the board at position {P}, but it was replaced by a later "
		"ballot: only the last ballot with your voting code counts.",
		"Mae eich pleidlais ar y bwrdd yn safle {P}, ond cafodd ei disodli gan bleidlais "
		"ddiweddarach: dim ond y bleidlais olaf gyda'ch cod pleidleisio sy'n cyfrif." },
	[CODE_REVOKED] = {
		"Your ballot is on the board at position {P}, but it does not count: its voting "
		"code was cancelled. Contact the returning officer: {C}",
		"Mae eich pleidlais ar y bwrdd yn safle {P}, ond nid yw'n cyfrif: cafodd ei chod "
		"pleidleisio ei ganslo. Cysylltwch â'r swyddog canlyniadau: {C}" },
	[CODE_OPENED] = {
		"This code is of a ballot that was opened to be checked (challenged) at position "
		"{P}: it was not cast and does not count. A ballot you cast has its own code.",
		"Mae'r cod hwn yn perthyn i bleidlais a agorwyd i'w gwirio (a heriwyd) yn safle "
		"{P}: ni chafodd ei bwrw ac nid yw'n cyfrif. Mae gan bleidlais a fwriwyd gennych "
		"ei chod ei hun." },
	[CODE_CHANGE] = {
		"This code is of a change to the list of voting codes (position {P}), not of a "
		"ballot.",
		"Mae'r cod hwn yn perthyn i newid i'r rhestr o godau pleidleisio (safle {P}), nid "
		"i bleidlais." },
	[CODE_NOT_FOUND] = {
		"Not found — no ballot on this board has the code {CODE}. Check it against your "
		"receipt; if your receipt is for another ballot, check it on that ballot's board. "
		"Otherwise contact the returning officer: {C}",
		"Heb ei chanfod — nid oes gan yr un bleidlais ar y bwrdd hwn y cod {CODE}. Gwiriwch "
		"ef yn erbyn eich derbynneb; os yw eich derbynneb ar gyfer pleidlais arall, gwiriwch "
		"hi ar fwrdd y bleidlais honno. Fel arall, cysylltwch â'r swyddog canlyniadau: {C}" },
	[CODE_MISTYPED] = {
		"One of the characters is mistyped: the last character does not match the others. "
		"Check the code on your receipt.",
		"Mae un o'r nodau wedi'i gamdeipio: nid yw'r nod olaf yn cyfateb i'r lleill. "
		"Gwiriwch y cod ar eich derbynneb." },
	[CODE_MALFORMED] = {
		"That is not a tracking code: a tracking code has 16 letters and digits, like "
		"ABCD-EFGH-JKMN-PQRS, as printed on your receipt (or 64 in the long form).",
		"Nid cod olrhain yw hwnnw: mae gan god olrhain 16 o lythrennau a rhifau, fel "
		"ABCD-EFGH-JKMN-PQRS, fel y'i hargraffwyd ar eich derbynneb (neu 64 yn y ffurf "
		"hir)." },
};

/* under revote "first" a later ballot is refused, so one that does not count
 * lost to an earlier one (SPEC §17.1.1) */
static const words said_replaced_first = {
	"Your ballot is on the board at position {P}, but it does not count: an earlier "
	"ballot with your voting code counts, as only the first one does.",
	"Mae eich pleidlais ar y bwrdd yn safle {P}, ond nid yw'n cyfrif: mae pleidlais "
	"gynharach gyda'ch cod pleidleisio yn cyfrif, gan mai dim ond y gyntaf sy'n cyfrif."
};

/* The server's state: read-only once it serves, so its threads share it. */
typedef struct board_server {
	tv_board_listing *board; /* board order: board[i].position == i + 1 */
	size_t entries, cap;
	const tv_board_listing **by_code; /* the same, sorted by tracking code */
	const words *replaced;
	char contact_en[CONTACT_MAX], contact_cy[CONTACT_MAX];
	int site;                /* the site's folder, or -1 */
	int nomem;
} board_server;

/* ------------------------------------------------------------ start-up */

static void usage(FILE *out)
{
	fputs("Usage: tenantvote-board-server --record DIR [--site DIR] [--bind ADDR] [--port N]\n"
	      "\n"
	      "Verifies the public record in DIR (every check of SPEC 19; a record that\n"
	      "does not verify is never served), indexes its board's tracking codes and\n"
	      "serves, until SIGINT or SIGTERM:\n"
	      "  GET /api/check?code=CODE  a tracking code looked up, as JSON for tenants\n"
	      "  GET /api/board?page=N     one page of the board, as JSON\n"
	      "  GET /...                  the files of --site DIR (the published board)\n"
	      "Prints one line, 'listening on http://ADDR:PORT/', once it is listening.\n"
	      "It logs no requests: /api/check's query string holds a tenant's code.\n"
	      "\n"
	      "  --record DIR  the public record (tenantvote export --record)\n"
	      "  --site DIR    the static site to serve (default: none)\n"
	      "  --bind ADDR   the IPv4 or IPv6 address to listen on (default 127.0.0.1)\n"
	      "  --port N      the TCP port (default 8080; 0: any free port)\n"
	      "  -h, --help    this help\n"
	      "\n"
	      "Exit status: 0 stopped by a signal, 1 the record does not verify or the\n"
	      "server could not start, 2 bad command line.\n",
	      out);
}

static int lib_fail(tv_ctx *ctx, const char *doing, tv_status st)
{
	fprintf(stderr, "tenantvote-board-server: %s: %s: %s\n", doing, tv_status_str(st),
	        tv_ctx_last_error(ctx));
	return 1;
}

/* the first failure tv_record_verify() reports, kept to name it */
typedef struct first_failure {
	uint32_t check;
	const char *name;
	uint64_t position;
	char message[512];
} first_failure;

static void on_check(const tv_verify_event *ev, void *payload)
{
	first_failure *f = payload;

	if (ev->status == TV_OK || f->check != 0)
		return;
	f->check = ev->check;
	f->name = ev->name;
	f->position = ev->position;
	snprintf(f->message, sizeof(f->message), "%s",
	         ev->message != NULL && *ev->message ? ev->message : tv_status_str(ev->status));
	/* bytes of the record never reach the terminal raw */
	for (char *c = f->message; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

static int verify_record(tv_ctx *ctx, const char *dir, uint64_t *entries)
{
	first_failure f = { 0, NULL, 0, "" };
	tv_verify_summary sum;
	tv_status st;

	memset(&sum, 0, sizeof(sum));
	st = tv_record_verify(ctx, dir, 0, on_check, &f, NULL, NULL, &sum);
	if (st == TV_ERR_PROOF_INVALID) {
		fprintf(stderr, "tenantvote-board-server: the record %s does NOT verify: check %" PRIu32
		        " (%s) failed", dir, f.check, f.name != NULL ? f.name : "?");
		if (f.position != 0)
			fprintf(stderr, " at board position %" PRIu64, f.position);
		fprintf(stderr, ": %s (%" PRIu32 " of %d checks failed); refusing to serve it\n",
		        f.message, sum.failed, TV_VERIFY_CHECKS);
		return 1;
	}
	if (st != TV_OK)
		return lib_fail(ctx, "verifying the record", st);
	*entries = sum.entries;
	return 0;
}

static void keep_entry(const tv_board_listing *entry, void *payload)
{
	board_server *s = payload;

	if (s->nomem)
		return;
	if (s->entries == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		tv_board_listing *board = realloc(s->board, cap * sizeof(*board));

		if (board == NULL) {
			s->nomem = 1;
			return;
		}
		s->board = board;
		s->cap = cap;
	}
	s->board[s->entries++] = *entry;
}

/* by tracking code, then (for a short code's sake) by position */
static int by_tracking(const void *a, const void *b)
{
	const tv_board_listing *x = *(const tv_board_listing *const *)a;
	const tv_board_listing *y = *(const tv_board_listing *const *)b;
	int c = memcmp(x->tracking, y->tracking, 32);

	return c != 0 ? c : (x->position > y->position) - (x->position < y->position);
}

static int index_board(board_server *s, tv_ctx *ctx, const char *dir, uint64_t verified)
{
	tv_status st;

	if ((st = tv_record_list_board(ctx, dir, keep_entry, s)) != TV_OK)
		return lib_fail(ctx, "reading the board", st);
	if (s->nomem) {
		fputs("tenantvote-board-server: out of memory reading the board\n", stderr);
		return 1;
	}
	if (s->entries != verified) {
		fprintf(stderr, "tenantvote-board-server: the board of %s changed while it was read "
		        "(%" PRIu64 " entries verified, %zu listed); refusing to serve it\n", dir,
		        verified, s->entries);
		return 1;
	}
	for (size_t i = 0; i < s->entries; i++)
		if (s->board[i].position != i + 1) {
			fprintf(stderr, "tenantvote-board-server: the board lists position %" PRIu64
			        " at line %zu\n", s->board[i].position, i + 1);
			return 1;
		}
	if ((s->by_code = calloc(s->entries + 1, sizeof(*s->by_code))) == NULL) {
		fputs("tenantvote-board-server: out of memory indexing the board\n", stderr);
		return 1;
	}
	for (size_t i = 0; i < s->entries; i++)
		s->by_code[i] = &s->board[i];
	qsort(s->by_code, s->entries, sizeof(*s->by_code), by_tracking);
	return 0;
}

static char *read_small_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;

	if (f == NULL)
		return NULL;
	if ((buf = malloc(max + 1)) != NULL) {
		n = fread(buf, 1, max + 1, f);
		if (ferror(f) || n > max) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = n;
		}
	}
	fclose(f);
	return buf;
}

/* the revote rule and the officer's details, from the record's manifest */
static int read_manifest(board_server *s, tv_ctx *ctx, const char *dir)
{
	char path[4096];
	char *json;
	size_t len = 0;
	tv_manifest *m = NULL;
	tv_contact c;
	tv_status st;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	if ((json = read_small_file(path, MANIFEST_MAX, &len)) == NULL) {
		fprintf(stderr, "tenantvote-board-server: cannot read %s\n", path);
		return 1;
	}
	st = tv_manifest_from_json(ctx, &m, json, len);
	free(json);
	if (st != TV_OK)
		return lib_fail(ctx, "reading the manifest", st);
	s->replaced = tv_manifest_revote(m) == TV_REVOTE_FIRST ? &said_replaced_first
	                                                         : &said[CODE_REPLACED];
	c = tv_manifest_contact(m);
	if (c.officer == NULL || *c.officer == '\0') {
		snprintf(s->contact_en, CONTACT_MAX, "the returning officer of %s",
		         tv_manifest_council(m));
		snprintf(s->contact_cy, CONTACT_MAX, "swyddog canlyniadau %s",
		         tv_manifest_council(m));
	} else {
		const char *phone = c.phone != NULL ? c.phone : "";
		const char *email = c.email != NULL ? c.email : "";

		/* at most 1000 + 1000 + 40 + 254 bytes (SPEC §9.2.1): no cut */
		snprintf(s->contact_en, CONTACT_MAX, "%s, %s%s%s%s%s", c.officer, c.address,
		         *phone ? ", phone " : "", phone, *email ? ", " : "", email);
		snprintf(s->contact_cy, CONTACT_MAX, "%s, %s%s%s%s%s", c.officer, c.address,
		         *phone ? ", ffôn " : "", phone, *email ? ", " : "", email);
	}
	tv_manifest_free(m);
	return 0;
}

/* ------------------------------------------------------ tracking codes */

static const char symbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* SPEC §11.1 */
static const char hex_digits[] = "0123456789ABCDEF";

/*
 * Read a typed tracking code: the 16 symbols of SPEC §15.1.2, read as
 * §11.1 reads a typed code (spaces and '-' skipped, lower case as upper,
 * O as 0, I and L as 1), or the whole T in 64 hex digits. The library
 * reads a short code only while looking it up in a record's files, so
 * the reading is done here; the check symbol is the library's own, from
 * tv_tracking_text() of a T that begins with the 75 bits typed.
 *
 * @p t gets the 75 bits (the rest zero) or the whole T; @p whole says which;
 * @p normal the code as typed, in the form a receipt prints it (for the
 * whole T, its short form).
 */
static code_status read_code(uint8_t t[32], bool *whole, char normal[TV_TRACKING_TEXT_LEN + 1],
                             const char *text, size_t len)
{
	char sym[65], check[TV_TRACKING_TEXT_LEN + 1];
	size_t n = 0, o = 0;

	*whole = false;
	memset(t, 0, 32);
	normal[0] = '\0';
	if (len > CODE_MAX)
		return CODE_MALFORMED;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];

		if (ch == ' ' || ch == '-')
			continue;
		if (n == 64)
			return CODE_MALFORMED;
		sym[n++] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
	}
	if (n == 64) {
		for (size_t i = 0; i < 64; i++) {
			const char *at = sym[i] != '\0' ? strchr(hex_digits, sym[i]) : NULL;

			if (at == NULL)
				return CODE_MALFORMED;
			t[i / 2] |= (uint8_t)((at - hex_digits) << (i % 2 ? 0 : 4));
		}
		*whole = true;
		tv_tracking_text(normal, t);
		return CODE_NOT_FOUND; /* well formed; the board says the rest */
	}
	if (n != 16)
		return CODE_MALFORMED;
	for (size_t k = 0; k < 16; k++) {
		char ch = sym[k] == 'O' ? '0' : sym[k] == 'I' || sym[k] == 'L' ? '1' : sym[k];
		const char *at = ch != '\0' ? strchr(symbols, ch) : NULL;
		unsigned v;

		if (at == NULL)
			return CODE_MALFORMED;
		if (k > 0 && k % 4 == 0)
			normal[o++] = '-';
		normal[o++] = ch;
		v = (unsigned)(at - symbols);
		for (unsigned b = 0; k < 15 && b < 5; b++) /* the first 75 bits, MSB first */
			if (v >> (4 - b) & 1)
				t[(5 * k + b) / 8] |= (uint8_t)(0x80 >> (5 * k + b) % 8);
	}
	normal[o] = '\0';
	/* the library's short form of t ends with the check symbol of the
	 * first 15 symbols typed: the 16th typed must be the same */
	tv_tracking_text(check, t);
	return check[TV_TRACKING_TEXT_LEN - 1] == normal[TV_TRACKING_TEXT_LEN - 1] ? CODE_NOT_FOUND
	                                                                           : CODE_MISTYPED;
}

/* compare the first 75 bits of two tracking codes */
static int prefix_cmp(const uint8_t *a, const uint8_t *b)
{
	int c = memcmp(a, b, 9);

	return c != 0 ? c : (int)(a[9] & 0xe0) - (int)(b[9] & 0xe0);
}

/*
 * The entry a code names, or NULL. A short code names the first entry in
 * board order whose T begins with its 75 bits, a ballot before a change to
 * the credential list, as tv_record_find_tracking() finds it.
 */
static const tv_board_listing *find_code(const board_server *s, const uint8_t t[32], bool whole)
{
	const tv_board_listing *best = NULL;
	size_t lo = 0, hi = s->entries;

	while (lo < hi) { /* the first entry at or after t */
		size_t mid = lo + (hi - lo) / 2;
		const uint8_t *m = s->by_code[mid]->tracking;

		if ((whole ? memcmp(m, t, 32) : prefix_cmp(m, t)) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->entries; lo++) {
		const tv_board_listing *e = s->by_code[lo];

		if (whole ? memcmp(e->tracking, t, 32) != 0 : prefix_cmp(e->tracking, t) != 0)
			break;
		if (best == NULL ||
		    (best->state == TV_BOARD_CHANGE) > (e->state == TV_BOARD_CHANGE) ||
		    ((best->state == TV_BOARD_CHANGE) == (e->state == TV_BOARD_CHANGE) &&
		     e->position < best->position))
			best = e;
	}
	return best;
}

static code_status status_of(tv_board_state state)
{
	switch (state) {
	case TV_BOARD_COUNTS:
		return CODE_COUNTS;
	case TV_BOARD_REPLACED:
		return CODE_REPLACED;
	case TV_BOARD_REVOKED:
		return CODE_REVOKED;
	case TV_BOARD_OPENED:
		return CODE_OPENED;
	case TV_BOARD_CHANGE:
		break;
	}
	return CODE_CHANGE;
}

/* @p tmpl with {P}, {CODE} and {C} filled in; if it must be cut short,
 * at a whole character, so that what is sent is still UTF-8 */
static void fill(char *out, size_t size, const char *tmpl, uint64_t position, const char *code,
                 const char *contact)
{
	char pos[24];
	size_t o = 0;

	snprintf(pos, sizeof(pos), "%" PRIu64, position);
	while (*tmpl) {
		const char *with = NULL;
		size_t skip = 1, n;

		if (strncmp(tmpl, "{P}", 3) == 0)
			with = pos, skip = 3;
		else if (strncmp(tmpl, "{CODE}", 6) == 0)
			with = code, skip = 6;
		else if (strncmp(tmpl, "{C}", 3) == 0)
			with = contact, skip = 3;
		n = with != NULL ? strlen(with) : 1;
		if (o + n >= size) {
			while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
				o--;
			if (o > 0 && ((unsigned char)out[o - 1] & 0x80))
				o--;
			break;
		}
		memcpy(out + o, with != NULL ? with : tmpl, n);
		o += n;
		tmpl += skip;
	}
	out[o] = '\0';
}

/* ----------------------------------------------------------- responses */

/* every response: no sniffing, nothing but this server's own resources,
 * never in another site's frame, no address passed on */
static void common_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy",
	                        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result send_response(struct MHD_Connection *c, unsigned status,
                                     struct MHD_Response *r)
{
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO; /* out of memory: the connection is closed */
	common_headers(r);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
	                                                         MHD_RESPMEM_PERSISTENT);

	if (r != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	return send_response(c, status, r);
}

static void free_json_text(void *text)
{
	free(text); /* Jansson's default allocator is malloc */
}

/* @p value (taken) as the JSON response, never cached: it may name a ballot */
static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *value)
{
	struct MHD_Response *r = NULL;
	char *text = value != NULL ? json_dumps(value, JSON_COMPACT) : NULL;

	json_decref(value);
	if (text == NULL)
		return send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Out of memory\n");
	r = MHD_create_response_from_buffer_with_free_callback(strlen(text), text, free_json_text);
	if (r == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return send_response(c, status, r);
}

/* GET /api/check?code=CODE. Nothing of the code is logged or kept. */
static enum MHD_Result api_check(const board_server *s, struct MHD_Connection *c)
{
	const char *code = NULL;
	size_t len = 0;
	uint8_t t[32];
	bool whole;
	char normal[TV_TRACKING_TEXT_LEN + 1], en[MESSAGE_MAX], cy[MESSAGE_MAX];
	const tv_board_listing *e = NULL;
	const words *w;
	code_status st;
	json_t *out;

	if (MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, "code", 4, &code, &len) !=
	    MHD_YES || code == NULL)
		code = "", len = 0;
	st = read_code(t, &whole, normal, code, len);
	if (st == CODE_NOT_FOUND && (e = find_code(s, t, whole)) != NULL)
		st = status_of(e->state);
	w = st == CODE_REPLACED ? s->replaced : &said[st];
	fill(en, sizeof(en), w->en, e != NULL ? e->position : 0, normal, s->contact_en);
	fill(cy, sizeof(cy), w->cy, e != NULL ? e->position : 0, normal, s->contact_cy);
	out = json_pack("{s:s, s:{s:s, s:s}}", "status", code_status_name[st], "message", "en", en,
	                "cy", cy);
	if (out != NULL && st != CODE_MALFORMED)
		json_object_set_new(out, "code", json_string(normal));
	if (out != NULL && e != NULL) {
		char hex[65];

		for (size_t i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", e->tracking[i]);
		json_object_set_new(out, "position", json_integer((json_int_t)e->position));
		json_object_set_new(out, "tracking", json_string(hex));
	}
	return send_json(c, st == CODE_MISTYPED || st == CODE_MALFORMED ? MHD_HTTP_BAD_REQUEST
	                                                                  : MHD_HTTP_OK, out);
}

static const char *state_name(tv_board_state state)
{
	return code_status_name[status_of(state)];
}

/* GET /api/board?page=N: N from 1, PAGE_ENTRIES entries a page */
static enum MHD_Result api_board(const board_server *s, struct MHD_Connection *c)
{
	const char *arg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "page");
	size_t pages = s->entries == 0 ? 1 : (s->entries + PAGE_ENTRIES - 1) / PAGE_ENTRIES;
	size_t page = 0;
	json_t *out, *list;

	if (arg == NULL || *arg == '\0')
		page = 1;
	else
		for (const char *p = arg; *p; p++) {
			if (*p < '0' || *p > '9' || p - arg >= 18)
				return send_json(c, MHD_HTTP_BAD_REQUEST,
				                 json_pack("{s:s}", "status", "malformed"));
			page = 10 * page + (size_t)(*p - '0');
		}
	if (page < 1 || page > pages)
		return send_json(c, MHD_HTTP_NOT_FOUND,
		                 json_pack("{s:s, s:I}", "status", "no_such_page", "pages",
		                           (json_int_t)pages));
	list = json_array();
	out = json_pack("{s:I, s:I, s:I, s:I, s:o}", "page", (json_int_t)page, "pages",
	                (json_int_t)pages, "entries", (json_int_t)s->entries, "per_page",
	                (json_int_t)PAGE_ENTRIES, "board", list);
	for (size_t i = (page - 1) * PAGE_ENTRIES;
	     out != NULL && i < s->entries && i < page * PAGE_ENTRIES; i++) {
		const tv_board_listing *e = &s->board[i];
		char code[TV_TRACKING_TEXT_LEN + 1];

		tv_tracking_text(code, e->tracking);
		if (json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "position",
		                                          (json_int_t)e->position, "code", code,
		                                          "state", state_name(e->state))) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return send_json(c, MHD_HTTP_OK, out);
}

/* --------------------------------------------------------- static files */

static const struct {
	const char *ext, *type;
} content_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".jsonl", "application/jsonl; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".csv", "text/csv; charset=utf-8" },
	{ ".xml", "application/xml" },
};

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(content_types) / sizeof(content_types[0]); i++)
		if (strcmp(dot, content_types[i].ext) == 0)
			return content_types[i].type;
	return "application/octet-stream";
}

/* a name a published site uses: letters, digits, '.', '_', '-' and '~',
 * not beginning with '.' (so never "." or "..", nor a hidden file) */
static bool safe_name(const char *name, size_t len)
{
	if (len == 0 || name[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '.' || ch == '_' || ch == '-' || ch == '~'))
			return false;
	}
	return true;
}

/*
 * Open @p path (as decoded, beginning with '/') beneath the folder @p root,
 * one name at a time with O_NOFOLLOW: a symbolic link anywhere on the way
 * is refused, wherever it points. O_NONBLOCK so that a FIFO planted in the
 * site cannot hold a thread. @p path ending in '/' names a folder.
 * @return an fd, or -1 (no such file, or not one this server serves)
 */
static int open_beneath(int root, const char *path, bool *is_dir)
{
	char name[PATH_MAX_BYTES + 1];
	const char *p = path + 1;
	int dir = root, fd = -1;

	*is_dir = false;
	if (path[0] != '/' || strlen(path) > PATH_MAX_BYTES)
		return -1;
	if (*p == '\0') {
		*is_dir = true;
		return openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		bool last = slash == NULL || slash[1] == '\0';

		if (!safe_name(p, len))
			break;
		memcpy(name, p, len);
		name[len] = '\0';
		fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
		                       (last && slash == NULL ? 0 : O_DIRECTORY));
		if (dir != root)
			close(dir);
		dir = root;
		if (fd < 0 || last) {
			*is_dir = slash != NULL;
			return fd;
		}
		dir = fd;
		fd = -1;
		p = slash + 1;
	}
	if (dir != root)
		close(dir);
	return -1;
}

static enum MHD_Result send_file(const board_server *s, struct MHD_Connection *c, const char *url)
{
	char location[PATH_MAX_BYTES + 2];
	const char *name = url;
	struct MHD_Response *r;
	struct stat st;
	bool is_dir;
	int fd = open_beneath(s->site, url, &is_dir);

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		int dir = fd;

		if (!is_dir) {
			/* "/folder" to "/folder/", so that the page's relative links work */
			close(dir);
			snprintf(location, sizeof(location), "%s/", url); /* safe_name() checked it */
			r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
			if (r != NULL)
				MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, location);
			return send_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
		}
		fd = openat(dir, "index.html", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		close(dir);
		name = "index.html";
		if (fd >= 0 && fstat(fd, &st) != 0) {
			close(fd);
			fd = -1;
		}
	} else if (fd >= 0 && (is_dir || fstat(fd, &st) != 0)) {
		close(fd); /* "/file/" */
		fd = -1;
	}
	if (fd < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return send_text(c, MHD_HTTP_NOT_FOUND, "Not found\n");
	}
	r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd); /* it closes fd */
	if (r == NULL) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(name));
	return send_response(c, MHD_HTTP_OK, r);
}

/* ------------------------------------------------------------- serving */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
	const board_server *s = cls;
	struct MHD_Response *r;

	(void)version, (void)upload_data, (void)upload_data_size, (void)req_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		/* refused before any body is read */
		r = MHD_create_response_from_buffer(strlen("Method not allowed\n"),
		                                    (void *)"Method not allowed\n",
		                                    MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return send_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
	}
	if (strcmp(url, "/api/check") == 0)
		return api_check(s, c);
	if (strcmp(url, "/api/board") == 0)
		return api_board(s, c);
	if (strncmp(url, "/api/", 5) == 0 || s->site < 0)
		return send_text(c, MHD_HTTP_NOT_FOUND, "Not found\n");
	return send_file(s, c, url);
}

static int hex_value(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0'
	       : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
	       : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/*
 * Percent-decoding of the path and of each query value. A string with a
 * malformed escape or an escaped NUL is left as it came: its '%' is then
 * in no name safe_name() accepts and in no tracking code, so it is
 * refused, where the default decoding would cut "/a.html%00.png" short.
 */
static size_t unescape_strict(void *cls, struct MHD_Connection *c, char *s)
{
	size_t r, w = 0;

	(void)cls, (void)c;
	for (r = 0; s[r]; r++)
		if (s[r] == '%') {
			int hi = hex_value(s[r + 1]), lo = hi < 0 ? -1 : hex_value(s[r + 2]);

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return strlen(s);
			r += 2;
		}
	for (r = 0; s[r]; r++, w++)
		if (s[r] == '%') {
			s[w] = (char)(hex_value(s[r + 1]) << 4 | hex_value(s[r + 2]));
			r += 2;
		} else {
			s[w] = s[r];
		}
	s[w] = '\0';
	return w;
}

static int parse_port(const char *text, unsigned *port)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v > 65535 || text[0] == '-' ||
	    text[0] == '+' || text[0] == ' ')
		return -1;
	*port = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "site", required_argument, NULL, 's' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *record = NULL, *site = NULL, *bind_text = "127.0.0.1";
	unsigned port = 8080;
	board_server s;
	tv_ctx *ctx = NULL;
	struct MHD_Daemon *daemon = NULL;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
	const struct sockaddr *addr;
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	uint64_t entries = 0;
	sigset_t stop;
	tv_status st;
	int opt, sig, rc = 1;

	memset(&s, 0, sizeof(s));
	s.site = -1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			record = optarg;
			break;
		case 's':
			site = optarg;
			break;
		case 'b':
			bind_text = optarg;
			break;
		case 'p':
			if (parse_port(optarg, &port) != 0) {
				fprintf(stderr, "tenantvote-board-server: --port: '%s' is not a port "
				        "(0 to 65535)\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || record == NULL) {
		fputs(optind != argc ? "tenantvote-board-server: unexpected argument\n"
		                     : "tenantvote-board-server: --record DIR is required\n", stderr);
		usage(stderr);
		return 2;
	}
	memset(&in4, 0, sizeof(in4));
	memset(&in6, 0, sizeof(in6));
	if (inet_pton(AF_INET, bind_text, &in4.sin_addr) == 1) {
		in4.sin_family = AF_INET;
		in4.sin_port = htons((uint16_t)port);
		addr = (const struct sockaddr *)&in4;
	} else if (inet_pton(AF_INET6, bind_text, &in6.sin6_addr) == 1) {
		in6.sin6_family = AF_INET6;
		in6.sin6_port = htons((uint16_t)port);
		addr = (const struct sockaddr *)&in6;
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "tenantvote-board-server: --bind: '%s' is not an IPv4 or IPv6 "
		        "address\n", bind_text);
		return 2;
	}

	if ((st = tv_ctx_new(&ctx, NULL)) != TV_OK) {
		fprintf(stderr, "tenantvote-board-server: tv_ctx_new: %s\n", tv_status_str(st));
		return 1;
	}
	if (verify_record(ctx, record, &entries) != 0 || index_board(&s, ctx, record, entries) != 0 ||
	    read_manifest(&s, ctx, record) != 0)
		goto out;
	if (site != NULL && (s.site = open(site, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "tenantvote-board-server: --site %s: %s\n", site, strerror(errno));
		goto out;
	}

	/* the threads libmicrohttpd starts inherit this mask: only main waits */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if ((errno = pthread_sigmask(SIG_BLOCK, &stop, NULL)) != 0) {
		fprintf(stderr, "tenantvote-board-server: pthread_sigmask: %s\n", strerror(errno));
		goto out;
	}
	/* no MHD_USE_ERROR_LOG: its messages may quote a request's URL */
	daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, &s,
	                          MHD_OPTION_SOCK_ADDR, addr,
	                          MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS,
	                          MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
	                          MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)MAX_PER_ADDRESS,
	                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
	                          MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY,
	                          MHD_OPTION_UNESCAPE_CALLBACK, unescape_strict, NULL,
	                          MHD_OPTION_STRICT_FOR_CLIENT, 1,
	                          MHD_OPTION_END);
	if (daemon == NULL) {
		fprintf(stderr, "tenantvote-board-server: cannot listen on %s port %u (in use, or "
		        "not an address of this machine?)\n", bind_text, port);
		goto out;
	}
	if ((info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT)) == NULL) {
		fputs("tenantvote-board-server: cannot tell which port it listens on\n", stderr);
		goto out;
	}
	printf(addr->sa_family == AF_INET6 ? "listening on http://[%s]:%u/\n"
	                                   : "listening on http://%s:%u/\n",
	       bind_text, (unsigned)info->port);
	fflush(stdout);

	if ((errno = sigwait(&stop, &sig)) != 0) {
		fprintf(stderr, "tenantvote-board-server: sigwait: %s\n", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (daemon != NULL)
		MHD_stop_daemon(daemon);
	if (s.site >= 0)
		close(s.site);
	free(s.board);
	free(s.by_code);
	tv_ctx_free(ctx);
	return rc;
}
