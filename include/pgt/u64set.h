/* A set of 64-bit values (table addresses, mm addresses): open addressing,
 * grown as needed. */
#ifndef PGT_U64SET_H
#define PGT_U64SET_H

#include <stddef.h>
#include <stdint.h>

struct pgt_u64set {
	uint64_t *v;   /* value | 1 in use, 0 free (values are even: addresses) */
	size_t cap, n;
	int oom;       /* an insertion failed for lack of memory */
};

/* 1 if v was new, 0 if already there, -1 on ENOMEM.  v must be even. */
int pgt_u64set_add(struct pgt_u64set *s, uint64_t v);
int pgt_u64set_has(const struct pgt_u64set *s, uint64_t v);
void pgt_u64set_free(struct pgt_u64set *s);

#endif
