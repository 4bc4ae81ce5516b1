/* Target byte order helpers: dumps may be big-endian (s390x). */
#ifndef PGT_ENDIAN_H
#define PGT_ENDIAN_H

#include <stdint.h>
#include <string.h>

static inline uint64_t pgt_ld64(const void *p, int big)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return big ? __builtin_bswap64(v) : v;
}

static inline uint32_t pgt_ld32(const void *p, int big)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return big ? __builtin_bswap32(v) : v;
}

static inline uint16_t pgt_ld16(const void *p, int big)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return big ? __builtin_bswap16(v) : v;
}

/* Loads an unsigned integer of 1, 2, 4 or 8 bytes. */
static inline uint64_t pgt_ldn(const void *p, unsigned size, int big)
{
	switch (size) {
	case 1: return *(const uint8_t *)p;
	case 2: return pgt_ld16(p, big);
	case 4: return pgt_ld32(p, big);
	default: return pgt_ld64(p, big);
	}
}

static inline void pgt_st64(void *p, uint64_t v, int big)
{
	if (big)
		v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
}

#endif
