/* Forensic checks, fed by the same walk as pagemap:
 *  - leaked-table: a table whose whole span holds no VMA of its mm
 *  - empty-table (info): a table inside a VMA with no entry left
 *  - kernel-entry-*: kernel-half slots that differ from the kernel's table
 *  - pgtables-bytes: reachable table bytes != mm->pgtables_bytes
 *  - structural: bad entries, loops, addresses past RAM, unreadable tables,
 *    windows (s390 TF/TL), hardware/Linux PTE disagreement
 *  - orphan-table (whole dump): PageTable pages no page table reaches */
#ifndef PGT_CHECK_H
#define PGT_CHECK_H

#include <stdint.h>
#include "pgt/kmodel.h"
#include "pgt/u64set.h"
#include "pgt/walk.h"

struct pgt_finding {
	const char *severity;  /* "error", "warning" or "info" */
	const char *check;
	int pid;               /* -1: not about one process */
	const char *comm;
	uint64_t mm;
	const char *level;     /* level name of the table or entry, or "" */
	uint64_t va, end;      /* virtual range (end 0: top of the address space) */
	uint64_t table_pa;     /* table concerned (or holding the entry) */
	uint64_t raw[2];       /* entries: the process's, then the kernel's */
	unsigned nraw;
	char msg[320];
};

typedef void (*pgt_finding_fn)(void *arg, const struct pgt_finding *f);

struct pgt_checker {
	struct pgt_dump *d;
	const struct pgt_mm *mm;
	int pid;
	const char *comm;
	int verbose;
	int kernel_mm;                  /* an mm of the kernel's own (no VMAs by design) */
	pgt_finding_fn report;
	void *report_arg;
	struct pgt_u64set *reached;   /* may be NULL */
	/* state of one walk */
	uint64_t leak_va, leak_end;     /* inside a reported leak: do not repeat */
	int in_leak;
	uint64_t counted_bytes;         /* table bytes pgtables_bytes should hold */
	uint64_t findings;
	const uint8_t *ktop;            /* the kernel's top table (entries), or NULL */
	/* A kernel-half top slot the process holds its own copy of (kernel_slot()
	 * returned 3): the kernel's table below it, compared entry by entry. */
	int kcopy;                      /* kcopy_buf holds that table */
	unsigned kcopy_level;           /* its level */
	uint64_t kcopy_pa;              /* the process's own table there */
	const uint8_t *kcopy_tbl;       /* its entry 0 inside kcopy_buf */
	uint8_t kcopy_buf[16384];
	uint64_t own_va, own_end;       /* kernel-half slot holding the mm's own tables */
	uint64_t huge_table;            /* pmd table whose huge leaves are being counted */
	unsigned huge_leaves;
	int deposits_done;              /* mm-wide deposit list already read */
};

struct pgt_visitor pgt_check_visitor(struct pgt_checker *c);
/* After the walk: per-mm totals (pgtables_bytes). */
void pgt_check_mm_done(struct pgt_checker *c);
/* Whole dump: PageTable pages not in reached.  Returns findings count. */
pgt_status pgt_check_orphans(struct pgt_dump *d, const struct pgt_u64set *reached,
			     pgt_finding_fn report, void *arg, uint64_t *nfound, struct pgt_err *err);
/* Adds every table of the kernel's own page table to reached. */
pgt_status pgt_reach_kernel_tables(struct pgt_dump *d, struct pgt_u64set *reached,
				   struct pgt_err *err);

#endif
