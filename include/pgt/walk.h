/* The generic range walker: the only loop over page tables.
 *
 * pgt_walk() covers [start, end) of one root.  It reads each table once,
 * passes a run of empty slots as one hole, and calls every visitor for every
 * table, leaf, hole and anomaly, so pagemap, leak detection and the
 * kernel-half check all consume the same walk. */
#ifndef PGT_WALK_H
#define PGT_WALK_H

#include "pgt/arch.h"

struct pgt_dump;

/* Where an entry sits. */
struct pgt_slot {
	uint64_t table_pa;  /* table holding the entry */
	unsigned level;     /* its level index */
	unsigned index;     /* entry index in the table */
	uint64_t va;        /* first address the entry covers */
	uint64_t size;      /* bytes it covers (1 << level shift) */
};

enum pgt_anomaly_kind {
	PGT_A_BAD_ENTRY,    /* decoder said PGT_E_BAD */
	PGT_A_UNREADABLE,   /* table not in the dump, or filtered out */
	PGT_A_LOOP,         /* table reached twice in one walk */
	PGT_A_OUT_OF_RANGE, /* table or leaf past the end of physical memory */
	PGT_A_WINDOW,       /* range needs indexes outside a table's TF/TL window */
};

struct pgt_anomaly {
	enum pgt_anomaly_kind kind;
	struct pgt_slot slot;     /* the entry that led there */
	struct pgt_entry entry;   /* its decoding */
	uint64_t va, end;         /* addresses affected */
	char msg[256];
};

struct pgt_visitor {
	/* A table about to be walked; return non-zero to skip it (prune).
	 * parent/pe: the entry pointing to it (NULL for the root); the table's
	 * whole span is parent->va .. parent->va + parent->size. */
	int (*table)(void *arg, const struct pgt_slot *parent, const struct pgt_entry *pe,
		     uint64_t table_pa, unsigned level, uint64_t va, uint64_t end);
	/* After a table's slots inside the range were visited. used: non-none
	 * slots seen (of the whole table when the range covered it all). */
	void (*table_done)(void *arg, const struct pgt_slot *parent, uint64_t table_pa,
			   unsigned level, uint64_t va, uint64_t end, unsigned used);
	/* A LEAF or SWAP entry; va..va+size is clipped to the walk range. */
	void (*leaf)(void *arg, const struct pgt_slot *s, const struct pgt_entry *e,
		     uint64_t va, uint64_t end);
	/* [va, end) maps nothing at level (a none entry or run of them). */
	void (*hole)(void *arg, unsigned level, uint64_t va, uint64_t end);
	void (*anomaly)(void *arg, const struct pgt_anomaly *a);
	void *arg;
};

struct pgt_walk_stats {
	uint64_t tables, entries, leaves, holes, anomalies, bytes_read;
};

/* Walks [start, end) below root.  Fails only on errors that stop the whole
 * walk (out of memory); per-table problems go to the anomaly visitor. */
pgt_status pgt_walk(struct pgt_dump *d, const struct pgt_root *root, uint64_t start,
		    uint64_t end, const struct pgt_visitor *vis, unsigned nvis,
		    struct pgt_walk_stats *stats, struct pgt_err *err);

/* Translates one address through root, recording each level in trace
 * (up to PGT_MAX_LEVELS).  Returns PGT_OK with *pa set, PGT_ENOMAP when the
 * walk ends on a none/swap/bad entry (trace still filled). */
#define PGT_MAX_LEVELS 6
struct pgt_trace {
	unsigned n;
	struct pgt_slot slot[PGT_MAX_LEVELS];
	struct pgt_entry entry[PGT_MAX_LEVELS];
};
pgt_status pgt_translate(struct pgt_dump *d, const struct pgt_root *root, uint64_t va,
			 uint64_t *pa, struct pgt_trace *trace, struct pgt_err *err);

#endif
