/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SPEC §18.8: what a record's close.json says about when voting closed and
 * why, read as written, for a verifier's or a declaration's words. Whether
 * it is signed is check 10 of tv_record_verify(), not this.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_util.h"
#include "tenantvote/record.h"

/* the whole plain file DIR/NAME of at most @p max bytes, NUL-terminated (free()) */
static tv_status read_small(tv_ctx *ctx, char **out, size_t *len, const char *dir,
                            const char *name, size_t max)
{
	char path[4096];
	struct stat st;
	ssize_t got;
	char *buf;
	int fd;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return tv__fail(ctx, TV_ERR_IO, "cannot read %s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		return tv__fail(ctx, TV_ERR_IO, "%s is not a plain file of at most %zu bytes", path,
		                max);
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return tv__fail(ctx, TV_ERR_NOMEM, "cannot read %s", path);
	}
	got = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (got != (ssize_t)st.st_size) {
		free(buf);
		return tv__fail(ctx, TV_ERR_IO, "cannot read %s", path);
	}
	buf[got] = '\0';
	*out = buf;
	*len = (size_t)got;
	return TV_OK;
}

tv_status tv_record_read_close(tv_ctx *ctx, tv_record_close *out, const char *dir)
{
	tv_manifest *m = NULL;
	char *text = NULL;
	size_t len = 0;
	tv__close c;
	tv_status status;

	if (ctx == NULL || out == NULL || dir == NULL)
		return tv__fail(ctx, TV_ERR_INVALID_ARGUMENT, "tv_record_read_close: NULL argument");
	memset(out, 0, sizeof(*out));
	if ((status = read_small(ctx, &text, &len, dir, "manifest.json", TV_MANIFEST_JSON_MAX)) !=
	            TV_OK ||
	    (status = tv_manifest_from_json(ctx, &m, text, len)) != TV_OK)
		goto out;
	free(text);
	text = NULL;
	if ((status = read_small(ctx, &text, &len, dir, "close.json", 4096)) != TV_OK ||
	    (status = tv__close_read(ctx, &c, text, len)) != TV_OK)
		goto out;
	out->format = (uint32_t)c.version;
	out->entries = c.entries;
	out->advertised = tv_manifest_closes(m);
	if (c.version == 2) {
		out->has_time = 1;
		out->closed = c.closed;
		out->early = c.closed < out->advertised;
		memcpy(out->reason, c.reason, c.reason_len + 1);
	}
out:
	free(text);
	tv_manifest_free(m);
	return status;
}
