/* Error recording: see include/pgt/err.h. */
#include <stdio.h>
#include <string.h>
#include "pgt/err.h"

pgt_status pgt_fail(struct pgt_err *err, pgt_status status, const char *fmt, ...)
{
	if (!err)
		return status;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->status = status;
	return status;
}

pgt_status pgt_wrap(struct pgt_err *err, const char *fmt, ...)
{
	if (!err)
		return PGT_EINPUT;
	char out[PGT_ERRMSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	size_t used = n < 0 ? 0 : (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1;
	/* Append ": old message", truncated to what is left. */
	size_t old = strnlen(err->msg, sizeof(err->msg) - 1);
	if (old && used + 2 < sizeof(out)) {
		memcpy(out + used, ": ", 2);
		used += 2;
		size_t take = old < sizeof(out) - 1 - used ? old : sizeof(out) - 1 - used;
		memcpy(out + used, err->msg, take);
		used += take;
	}
	out[used] = '\0';
	memcpy(err->msg, out, used + 1);
	/* A wrap without an earlier failure still reports an error. */
	if (err->status == PGT_OK)
		err->status = PGT_EINPUT;
	return err->status;
}
