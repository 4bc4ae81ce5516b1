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

/* Entries of one address range. */
struct pgt_pm_seg {
	uint64_t start, end;
	uint64_t *out;           /* (end - start) / page_size entries */
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
 * VMA of mm); entries start as the kernel's hole value. */
pgt_status pgt_pagemap_init(struct pgt_pagemap *pm, struct pgt_dump *d, const struct pgt_mm *mm,
			    const uint64_t (*ranges)[2], unsigned nranges, struct pgt_err *err);
void pgt_pagemap_fini(struct pgt_pagemap *pm);
/* The visitor that fills pm from a walk. */
struct pgt_visitor pgt_pagemap_visitor(struct pgt_pagemap *pm);
/* Convenience: one walk of mm over the segments' span, filling pm. */
pgt_status pgt_pagemap_fill(struct pgt_pagemap *pm, struct pgt_walk_stats *stats, struct pgt_err *err);

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
