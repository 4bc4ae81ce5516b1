/* Error convention: every fallible call returns a pgt_status and, on failure,
 * fills a caller-owned message buffer that names the file, the address and
 * what was expected, so it can be printed as is. */
#ifndef PGT_ERR_H
#define PGT_ERR_H

#include <stdarg.h>

typedef enum pgt_status {
	PGT_OK = 0,
	PGT_EUSAGE = 1,     /* bad command line */
	PGT_EINPUT = 2,     /* unreadable, corrupt or mismatched input */
	PGT_EFILTERED = 3,  /* page excluded from the dump (makedumpfile -d) */
	PGT_ENOMEM = 4,
	PGT_ENOTFOUND = 5,  /* symbol, type or member absent */
	PGT_ENOMAP = 6,     /* address not mapped */
} pgt_status;

#define PGT_ERRMSG_MAX 512

struct pgt_err {
	pgt_status status;
	char msg[PGT_ERRMSG_MAX];
};

/* Records status and a formatted message; returns status for `return pgt_fail(...)`. */
pgt_status pgt_fail(struct pgt_err *err, pgt_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the current message with more context ("reading mm of pid 12: ..."). */
pgt_status pgt_wrap(struct pgt_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
