/* /proc/PID/pagemap entries computed from a walk, following 6.1's
 * fs/proc/task_mmu.c (pte_to_pagemap_entry, pagemap_pmd_range,
 * pagemap_hugetlb_range, pagemap_pte_hole). */
#ifndef PGT_PAGEMAP_H
#define PGT_PAGEMAP_H

#include <stdint.h>
#include "pgt/kmodel.h"
#include "pgt/walk.h"

#define PM_PFN_MASK        ((1ull << 55) - 1)
#define PM_SOFT_DIRTY      (1ull << 55)
#define PM_MMAP_EXCLUSIVE  (1ull << 56)
#define PM_UFFD_WP         (1ull << 57)
#define PM_FILE            (1ull << 61)
#define PM_SWAP            (1ull << 62)
#define PM_PRESENT         (1ull << 63)

/* Entries of one address range, kept sparse: only the 2 MiB-aligned blocks
 * a leaf touched hold values (in walk order, so sorted); every other page
 * has the hole value of its VMA.  A 128 TiB reservation costs nothing. */
#define PGT_PM_BLOCK 512u
struct pgt_pm_block {
	uint64_t va;                    /* first page of the block */
	uint64_t ent[PGT_PM_BLOCK];
};

struct pgt_pm_seg {
	uint64_t start, end;
	struct pgt_pm_block **blk;
	size_t nblk, capblk;
};

/* A pagemap visitor filling sorted, non-overlapping segments: one walk
 * serves every VMA of an mm, and tables between segments are skipped. */
struct pgt_pagemap {
	struct pgt_dump *d;
	const struct pgt_mm *mm;
	struct pgt_pm_seg *seg;
	unsigned nseg;
	uint64_t unknown_pages;  /* pages whose table the dump lacks */
	uint64_t memmap_misses;  /* struct page reads that failed */
	char first_problem[320];
};

/* Prepares pm for ranges (page-aligned, sorted, non-overlapping; NULL: every
 * VMA of mm up to the task size). */
pgt_status pgt_pagemap_init(struct pgt_pagemap *pm, struct pgt_dump *d, const struct pgt_mm *mm,
			    const uint64_t (*ranges)[2], unsigned nranges, struct pgt_err *err);
void pgt_pagemap_fini(struct pgt_pagemap *pm);
/* The visitor that fills pm from a walk. */
struct pgt_visitor pgt_pagemap_visitor(struct pgt_pagemap *pm);
/* Convenience: one walk of mm over the segments' span, filling pm. */
pgt_status pgt_pagemap_fill(struct pgt_pagemap *pm, struct pgt_walk_stats *stats, struct pgt_err *err);

/* Reading the result. */
/* Entries of pages [va, va + n*page) of segment g into out. */
void pgt_pm_read(const struct pgt_pagemap *pm, const struct pgt_pm_seg *g, uint64_t va, uint64_t n,
		 uint64_t *out);
/* The run starting at va: pages whose entries continue one another (same
 * flags; frames stepping by one page or one swap slot).  Returns its length
 * in pages (at least 1, at most to the segment's end); *first = its entry. */
uint64_t pgt_pm_run(const struct pgt_pagemap *pm, const struct pgt_pm_seg *g, uint64_t va, uint64_t *first);
/* A malloc'ed dense copy of segment k's entries. */
pgt_status pgt_pm_dense(const struct pgt_pagemap *pm, unsigned k, uint64_t **out, struct pgt_err *err);

/* struct page facts used by pagemap (src/page.c). */
struct pgt_pageinfo {
	int ok;            /* struct page was readable */
	int anon;          /* PageAnon() */
	int mapcount;      /* page_mapcount() */
};
pgt_status pgt_page_info(struct pgt_dump *d, uint64_t pfn, struct pgt_pageinfo *pi, struct pgt_err *err);
/* pfn of the struct page at virtual address page. */
pgt_status pgt_page_to_pfn(struct pgt_dump *d, uint64_t page, uint64_t *pfn, struct pgt_err *err);
/* Virtual address of the struct page of pfn. */
pgt_status pgt_pfn_to_page(struct pgt_dump *d, uint64_t pfn, uint64_t *page, struct pgt_err *err);

#endif
