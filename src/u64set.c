/* Open-addressing set of even 64-bit values. */
#include <stdlib.h>
#include <string.h>
#include "pgt/u64set.h"

static size_t slot_of(uint64_t k, size_t cap)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

int pgt_u64set_add(struct pgt_u64set *s, uint64_t v)
{
	uint64_t key = v | 1;
	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 1024;
		uint64_t *n = calloc(ncap, sizeof *n);
		if (!n) {
			s->oom = 1;
			return -1;
		}
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i]) {
				size_t h = slot_of(s->v[i], ncap);
				while (n[h])
					h = (h + 1) & (ncap - 1);
				n[h] = s->v[i];
			}
		free(s->v);
		s->v = n;
		s->cap = ncap;
	}
	size_t h = slot_of(key, s->cap);
	while (s->v[h]) {
		if (s->v[h] == key)
			return 0;
		h = (h + 1) & (s->cap - 1);
	}
	s->v[h] = key;
	s->n++;
	return 1;
}

int pgt_u64set_has(const struct pgt_u64set *s, uint64_t v)
{
	uint64_t key = v | 1;
	if (!s->cap)
		return 0;
	for (size_t h = slot_of(key, s->cap); s->v[h]; h = (h + 1) & (s->cap - 1))
		if (s->v[h] == key)
			return 1;
	return 0;
}

void pgt_u64set_free(struct pgt_u64set *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}
