/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A main() for the fuzz targets when no fuzzing engine is configured
 * (STYLE §12; dav1d and libgit2 do the same), so every target runs under
 * `meson test --suite fuzz`:
 *
 *   fuzz_<target> [--iterations N] [--seed S] [--max-len N] [PATH...]
 *
 * 1. Every file named, and every file under every directory named
 *    (recursively, in sorted order, dot-files skipped), is fed to
 *    LLVMFuzzerTestOneInput once, in a heap block of exactly its size.
 * 2. Then N (default 2000) more inputs, from a xorshift64* generator seeded
 *    with S (printed; default fixed, so a run is reproducible): mostly
 *    mutations of those files (bit flips, interesting bytes, inserts,
 *    erases, truncation, splices), some plain random bytes.
 *
 * A failing input is written to crash-<target>-<seed>-<iteration> in the
 * current directory before the process dies, whether by a FUZZ_CHECK
 * abort or a sanitizer report; rerun with that file as the only argument
 * and --iterations 0 to reproduce it.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* optional, as with libFuzzer */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* present when built with a sanitizer */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

#define DEFAULT_ITERATIONS 2000
#define DEFAULT_SEED UINT64_C(0x7e4a9c1d5b3f2086)
#define DEFAULT_MAX_LEN 8192

typedef struct input {
	char *path;
	uint8_t *data;
	size_t size;
} input;

static struct {
	input *files;
	size_t count, cap;
	uint64_t state;
	uint64_t seed;
	/* what is running now, for the crash handler */
	const uint8_t *cur_data;
	size_t cur_size;
	const char *cur_path; /* NULL for a generated input */
	unsigned long cur_iteration;
	const char *argv0;
} replay;

/* ---- the input that killed us ---- */

static void put_str(int fd, const char *s)
{
	ssize_t unused = write(fd, s, strlen(s));

	(void)unused;
}

/* async-signal-safe decimal / hex formatting */
static char *fmt_u64(char *end, uint64_t v, unsigned base)
{
	*--end = '\0';
	do {
		*--end = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	return end;
}

static void dump_current_input(void)
{
	char name[256], seed[24], iteration[24];
	const char *base, *parts[7];
	size_t used = 0, len;
	int fd, i;

	if (replay.cur_data == NULL)
		return;
	if (replay.cur_path != NULL) {
		put_str(2, "\nreplay: failed on file ");
		put_str(2, replay.cur_path);
		put_str(2, "\n");
		replay.cur_data = NULL;
		return;
	}
	base = strrchr(replay.argv0, '/');
	base = base ? base + 1 : replay.argv0;
	parts[0] = "crash-";
	parts[1] = base;
	parts[2] = "-";
	parts[3] = fmt_u64(seed + sizeof(seed), replay.seed, 16);
	parts[4] = "-";
	parts[5] = fmt_u64(iteration + sizeof(iteration), replay.cur_iteration, 10);
	parts[6] = NULL;
	for (i = 0; parts[i] != NULL; i++) {
		len = strlen(parts[i]);
		if (len > sizeof(name) - 1 - used)
			len = sizeof(name) - 1 - used;
		memcpy(name + used, parts[i], len);
		used += len;
	}
	name[used] = '\0';
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		const uint8_t *p = replay.cur_data;
		size_t left = replay.cur_size;

		while (left > 0) {
			ssize_t n = write(fd, p, left);

			if (n <= 0)
				break;
			p += n;
			left -= (size_t)n;
		}
		close(fd);
		put_str(2, "\nreplay: failing input written to ");
		put_str(2, name);
		put_str(2, "\n");
	}
	replay.cur_data = NULL;
}

static void on_abort(int sig)
{
	dump_current_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---- xorshift64* ---- */

static uint64_t rnd(void)
{
	uint64_t x = replay.state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	replay.state = x;
	return x * UINT64_C(0x2545f4914f6cdd1d);
}

/* uniform enough in [0, n) for n > 0 */
static size_t rnd_below(size_t n)
{
	return (size_t)(rnd() % n);
}

/* ---- collecting the corpus ---- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL) {
		fprintf(stderr, "replay: out of memory\n");
		exit(2);
	}
	return q;
}

static int read_file(const char *path, input *out)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (size == cap) {
			cap = cap ? 2 * cap : 4096;
			data = xrealloc(data, cap);
		}
		n = fread(data + size, 1, cap - size, f);
		size += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	out->data = data;
	out->size = size;
	out->path = xrealloc(NULL, strlen(path) + 1);
	strcpy(out->path, path);
	return 0;
}

static int add_file(const char *path)
{
	input in;

	if (read_file(path, &in) != 0)
		return -1;
	if (replay.count == replay.cap) {
		replay.cap = replay.cap ? 2 * replay.cap : 64;
		replay.files = xrealloc(replay.files, replay.cap * sizeof(*replay.files));
	}
	replay.files[replay.count++] = in;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_path(const char *path);

static int add_dir(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (dir == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n] = xrealloc(NULL, strlen(path) + strlen(e->d_name) + 2);
		sprintf(names[n], "%s/%s", path, e->d_name);
		n++;
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if (rc == 0 && add_path(names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static int add_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return S_ISDIR(st.st_mode) ? add_dir(path) : add_file(path);
}

/* ---- running ---- */

/* in a heap block of exactly @p size, so an over-read is caught */
static void run_one(const uint8_t *data, size_t size, const char *path,
                    unsigned long iteration)
{
	uint8_t *copy = malloc(size == 0 ? 1 : size);

	if (copy == NULL) {
		fprintf(stderr, "replay: out of memory\n");
		exit(2);
	}
	if (size)
		memcpy(copy, data, size);
	replay.cur_data = copy;
	replay.cur_size = size;
	replay.cur_path = path;
	replay.cur_iteration = iteration;
	(void)LLVMFuzzerTestOneInput(copy, size);
	replay.cur_data = NULL;
	free(copy);
}

static const uint8_t interesting[] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x1f, 0x20,
	0x30, 0x39, 0x41, 0x46, 0x61, 0x66, 0x67, 0x7f, 0x80, 0x81, 0xfe, 0xff,
};

/* one mutation of buf[0..*size) in place, within @p cap bytes */
static void mutate_once(uint8_t *buf, size_t *size, size_t cap)
{
	size_t n = *size, i, j, len;

	switch (rnd_below(n ? 11 : 2)) {
	case 0: /* insert a byte */
		if (n < cap) {
			i = rnd_below(n + 1);
			memmove(buf + i + 1, buf + i, n - i);
			buf[i] = (uint8_t)rnd();
			n++;
		}
		break;
	case 1: /* append a few random bytes */
		len = 1 + rnd_below(16);
		for (j = 0; j < len && n < cap; j++)
			buf[n++] = (uint8_t)rnd();
		break;
	case 2: /* flip a bit */
		buf[rnd_below(n)] ^= (uint8_t)(1u << rnd_below(8));
		break;
	case 3: /* a random byte */
		buf[rnd_below(n)] = (uint8_t)rnd();
		break;
	case 4: /* an interesting byte */
		buf[rnd_below(n)] = interesting[rnd_below(sizeof(interesting))];
		break;
	case 5: /* erase a run */
		i = rnd_below(n);
		len = 1 + rnd_below(n - i);
		if (len > 8 && rnd_below(2))
			len = 1 + rnd_below(8);
		memmove(buf + i, buf + i + len, n - i - len);
		n -= len;
		break;
	case 6: /* truncate */
		n = rnd_below(n);
		break;
	case 7: /* a run of 00 or ff (zero and maximal fields) */
		i = rnd_below(n);
		len = 1 + rnd_below(n - i < 32 ? n - i : 32);
		memset(buf + i, rnd_below(2) ? 0xff : 0x00, len);
		break;
	case 8: /* copy a chunk within */
		i = rnd_below(n);
		j = rnd_below(n);
		len = 1 + rnd_below(n - (i > j ? i : j));
		memmove(buf + j, buf + i, len);
		break;
	case 9: /* add or subtract a little (carries into a value) */
		i = rnd_below(n);
		buf[i] = (uint8_t)(buf[i] + (rnd_below(2) ? 1 : 0xff));
		break;
	case 10: /* splice in the tail of another corpus file */
		if (replay.count > 0) {
			const input *o = &replay.files[rnd_below(replay.count)];

			if (o->size > 0) {
				i = rnd_below(n + 1);
				j = rnd_below(o->size);
				len = o->size - j;
				if (i + len > cap)
					len = cap - i;
				memcpy(buf + i, o->data + j, len);
				n = i + len;
			}
		}
		break;
	}
	*size = n;
}

static void run_generated(unsigned long iterations, size_t max_len)
{
	uint8_t *buf = xrealloc(NULL, max_len);
	unsigned long it;

	for (it = 0; it < iterations; it++) {
		size_t size, k, rounds;

		if (replay.count > 0 && rnd_below(8) != 0) {
			const input *src = &replay.files[rnd_below(replay.count)];

			size = src->size < max_len ? src->size : max_len;
			memcpy(buf, src->data, size);
			rounds = 1 + rnd_below(rnd_below(4) ? 2 : 8);
			for (k = 0; k < rounds; k++)
				mutate_once(buf, &size, max_len);
		} else {
			/* short inputs most of the time: the records are short */
			size = rnd_below(rnd_below(4) ? 300 : max_len + 1);
			for (k = 0; k < size; k++)
				buf[k] = (uint8_t)rnd();
		}
		run_one(buf, size, NULL, it);
	}
	free(buf);
}

static void usage(const char *argv0)
{
	fprintf(stderr,
	        "usage: %s [--iterations N] [--seed S] [--max-len N] [FILE|DIR...]\n"
	        "Replays every FILE and every file under DIR through the fuzz\n"
	        "target, then N (default %d) generated inputs from seed S.\n",
	        argv0, DEFAULT_ITERATIONS);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno != 0 || *s == '\0' || *end != '\0' || *s == '-' ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long iterations = DEFAULT_ITERATIONS;
	size_t max_len = DEFAULT_MAX_LEN;
	uint64_t v;
	size_t i;
	int a;

	replay.argv0 = argv[0];
	replay.seed = DEFAULT_SEED;
	if (LLVMFuzzerInitialize != NULL)
		(void)LLVMFuzzerInitialize(&argc, &argv);

	for (a = 1; a < argc; a++) {
		const char *arg = argv[a];

		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			usage(argv[0]);
			return 0;
		} else if (strcmp(arg, "--iterations") == 0 || strcmp(arg, "--seed") == 0 ||
		           strcmp(arg, "--max-len") == 0) {
			if (a + 1 >= argc || parse_u64(argv[a + 1], &v) != 0) {
				usage(argv[0]);
				return 2;
			}
			if (arg[2] == 'i')
				iterations = (unsigned long)v;
			else if (arg[2] == 's')
				replay.seed = v;
			else if (v == 0 || v > (64u << 20)) {
				fprintf(stderr, "replay: --max-len must be 1 to %u\n", 64u << 20);
				return 2;
			} else
				max_len = (size_t)v;
			a++;
		} else if (strcmp(arg, "--") == 0) {
			for (a++; a < argc; a++)
				if (add_path(argv[a]) != 0)
					return 2;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			usage(argv[0]);
			return 2;
		} else if (add_path(arg) != 0) {
			return 2;
		}
	}

	signal(SIGABRT, on_abort);
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(dump_current_input);
	/* xorshift must not start from 0 */
	replay.state = replay.seed ? replay.seed : DEFAULT_SEED;
	printf("replay: %zu corpus file(s), then %lu generated input(s), seed 0x%016" PRIx64 "\n",
	       replay.count, iterations, replay.seed);
	fflush(stdout);

	for (i = 0; i < replay.count; i++)
		run_one(replay.files[i].data, replay.files[i].size, replay.files[i].path, 0);
	run_generated(iterations, max_len);

	printf("replay: ok\n");
	for (i = 0; i < replay.count; i++) {
		free(replay.files[i].data);
		free(replay.files[i].path);
	}
	free(replay.files);
	return 0;
}
