/* Minimal assertion helpers for unit tests: print every failure, count them,
 * and end with the plain "N passed, N failed" line. */
#ifndef PGT_TEST_UNIT_H
#define PGT_TEST_UNIT_H

#include <inttypes.h>
#include <stdio.h>

static int t_pass, t_fail;

#define CHECK(cond) do { \
	if (cond) t_pass++; \
	else { t_fail++; fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_EQ(a, b) do { \
	uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b); \
	if (_a == _b) t_pass++; \
	else { t_fail++; fprintf(stderr, "%s:%d: FAIL: %s == %s (0x%" PRIx64 " != 0x%" PRIx64 ")\n", \
				 __FILE__, __LINE__, #a, #b, _a, _b); } \
} while (0)

static inline int t_done(void)
{
	printf("%d passed, %d failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}

#endif
