/* Pagemap as a walk visitor.  Values follow 6.1's fs/proc/task_mmu.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/pagemap.h"

static uint64_t hole_value(const struct pgt_vma *v)
{
	return v && (v->flags & PGT_VM_SOFTDIRTY) ? PM_SOFT_DIRTY : 0;
}

/* pagemap_read() walks up to mm->task_size only: the file ends there. */
static uint64_t pagemap_end(struct pgt_dump *d, const struct pgt_mm *mm)
{
	struct pgt_err e = {0};
	uint64_t ts = 0;
	if (pgt_has_field(&d->prof, F_mm_task_size) &&
	    pgt_read_field(d, mm->addr, F_mm_task_size, &ts, &e) == PGT_OK && ts)
		return ts;
	return d->pg.user_end ? d->pg.user_end : ~0ull;
}

pgt_status pgt_pagemap_init(struct pgt_pagemap *pm, struct pgt_dump *d, const struct pgt_mm *mm,
			    const uint64_t (*ranges)[2], unsigned nranges, struct pgt_err *err)
{
	const uint64_t ps = d->page_size;
	const uint64_t limit = pagemap_end(d, mm);
	uint64_t total = 0;
	memset(pm, 0, sizeof *pm);
	pm->d = d;
	pm->mm = mm;
	unsigned n = ranges ? nranges : mm->nvmas;
	pm->seg = calloc(n ? n : 1, sizeof *pm->seg);
	if (!pm->seg)
		return pgt_fail(err, PGT_ENOMEM, "out of memory");
	for (unsigned i = 0; i < n; i++) {
		uint64_t s = ranges ? ranges[i][0] : mm->vmas[i].start;
		uint64_t e = ranges ? ranges[i][1] : mm->vmas[i].end;
		s &= ~(ps - 1);
		e = (e + ps - 1) & ~(ps - 1);
		if (e > limit)
			e = limit;
		if (e <= s)
			continue;
		if (pm->nseg && s < pm->seg[pm->nseg - 1].end) {
			pgt_pagemap_fini(pm);
			return pgt_fail(err, PGT_EUSAGE, "pagemap ranges overlap or are not sorted at 0x%llx",
					(unsigned long long)s);
		}
		total += (e - s) / ps;
		if (total > (1ull << 31)) {
			pgt_pagemap_fini(pm);
			return pgt_fail(err, PGT_EUSAGE, "range 0x%llx-0x%llx is too large for one pagemap read",
					(unsigned long long)s, (unsigned long long)e);
		}
		struct pgt_pm_seg *g = &pm->seg[pm->nseg++];
		g->start = s;
		g->end = e;
		g->out = calloc((e - s) / ps, sizeof *g->out);
		if (!g->out) {
			pgt_pagemap_fini(pm);
			return pgt_fail(err, PGT_ENOMEM, "out of memory for pagemap entries");
		}
		/* pagemap_pte_hole(): inside a VMA only VM_SOFTDIRTY shows. */
		for (uint64_t a = s; a < e; a += ps) {
			const struct pgt_vma *v = pgt_mm_find_vma(mm, a);
			g->out[(a - s) / ps] = hole_value(v);
		}
	}
	return PGT_OK;
}

void pgt_pagemap_fini(struct pgt_pagemap *pm)
{
	for (unsigned i = 0; i < pm->nseg; i++)
		free(pm->seg[i].out);
	free(pm->seg);
	pm->seg = NULL;
	pm->nseg = 0;
}

/* First segment ending after va, or NULL. */
static struct pgt_pm_seg *seg_after(const struct pgt_pagemap *pm, uint64_t va)
{
	unsigned lo = 0, hi = pm->nseg;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (pm->seg[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pm->nseg ? &pm->seg[lo] : NULL;
}

static void note(struct pgt_pagemap *pm, const char *msg)
{
	if (!pm->first_problem[0])
		snprintf(pm->first_problem, sizeof pm->first_problem, "%s", msg);
}

/* PM_FILE and PM_MMAP_EXCLUSIVE from struct page; if memmap is missing,
 * the most likely values: file bit for file VMAs, exclusive for private ones. */
static uint64_t page_bits(struct pgt_pagemap *pm, const struct pgt_vma *v, uint64_t pfn, int migration)
{
	struct pgt_pageinfo pi;
	struct pgt_err e = {0};
	uint64_t f = 0;
	if (pgt_page_info(pm->d, pfn, &pi, &e) != PGT_OK) {
		pm->memmap_misses++;
		note(pm, e.msg);
		if (v->file)
			f |= PM_FILE;
		if (!migration && !(v->flags & PGT_VM_MAYSHARE))
			f |= PM_MMAP_EXCLUSIVE;
		return f;
	}
	if (!pi.anon)
		f |= PM_FILE;
	if (!migration && pi.mapcount == 1)
		f |= PM_MMAP_EXCLUSIVE;
	return f;
}

/* vm_normal_page(): which present ptes have a struct page behind them. */
static int normal_page(struct pgt_pagemap *pm, const struct pgt_vma *v, uint64_t addr,
		       const struct pgt_entry *e, uint64_t pfn)
{
	const struct pgt_dump *d = pm->d;
	if (d->pg.has_pte_special) {
		if (e->flags & PGT_F_SPECIAL)
			return 0;
	} else {
		if (v->flags & (PGT_VM_PFNMAP | PGT_VM_MIXEDMAP)) {
			if (!(v->flags & PGT_VM_MIXEDMAP)) {
				uint64_t off = (addr - v->start) / d->page_size;
				int cow = (v->flags & (PGT_VM_SHARED | PGT_VM_MAYSHARE)) == 0 &&
					  (v->flags & 0x20 /* VM_MAYWRITE */);
				if (pfn == v->pgoff + off || !cow)
					return 0;
			}
		}
		if (pfn == d->zero_pfn)
			return 0;
	}
	if (d->max_pfn && pfn > d->max_pfn)
		return 0;  /* beyond highest_memmap_pfn */
	return 1;
}

static int in_types(unsigned t, unsigned first, unsigned count)
{
	return t >= first && t < first + count;
}

/* The entry's value for the pages [va, stop) of VMA v; va is in the entry. */
static void fill(struct pgt_pagemap *pm, const struct pgt_slot *s, const struct pgt_entry *e,
		 const struct pgt_vma *v, uint64_t *out, uint64_t va, uint64_t stop)
{
	const struct pgt_paging *pg = &pm->d->pg;
	const uint64_t ps = pm->d->page_size;
	const unsigned pshift = pg->page_shift;
	const int huge = s->level != pg->nlevels - 1;
	uint64_t flags = hole_value(v), frame = 0, step = 0;

	if (e->kind == PGT_E_LEAF) {
		uint64_t pfn0 = e->pa >> pshift;   /* first pfn of the entry */
		flags |= PM_PRESENT;
		if (e->flags & PGT_F_SOFT_DIRTY)
			flags |= PM_SOFT_DIRTY;
		if (e->flags & PGT_F_UFFD_WP)
			flags |= PM_UFFD_WP;
		/* ptes: vm_normal_page(); THP and hugetlb: the head page decides. */
		if (huge || normal_page(pm, v, va, e, pfn0))
			flags |= page_bits(pm, v, pfn0, 0);
		frame = pfn0 + ((va - s->va) >> pshift);
		step = 1;
	} else if (v->flags & PGT_VM_HUGETLB) {
		if (e->flags & PGT_F_UFFD_WP)   /* hugetlb swap entries: only uffd-wp shows */
			flags |= PM_UFFD_WP;
	} else {
		int migration = in_types(e->swp_type, pg->migration_first, pg->migration_count);
		uint64_t off = e->swp_offset + (huge ? (va - s->va) >> pshift : 0);
		flags |= PM_SWAP;
		if (e->flags & PGT_F_SOFT_DIRTY)
			flags |= PM_SOFT_DIRTY;
		if (e->flags & PGT_F_UFFD_WP)
			flags |= PM_UFFD_WP;
		frame = (uint64_t)e->swp_type | (off << pg->swp_type_bits);
		step = 1ull << pg->swp_type_bits;
		if (in_types(e->swp_type, pg->pfn_swap_first, pg->pfn_swap_count))
			flags |= page_bits(pm, v, e->swp_offset, migration);
		/* pte_marker_entry_uffd_wp(): PTE_MARKER_UFFD_WP is bit 0 of the offset */
		if (pg->pte_marker_type && e->swp_type == pg->pte_marker_type && (e->swp_offset & 1))
			flags |= PM_UFFD_WP;
	}
	for (; va < stop; va += ps, frame += step)
		*out++ = flags | (frame & PM_PFN_MASK);
}

static void pm_leaf(void *arg, const struct pgt_slot *s, const struct pgt_entry *e, uint64_t va,
		    uint64_t end)
{
	struct pgt_pagemap *pm = arg;
	if (end == 0)
		end = ~0ull;
	while (va < end) {
		struct pgt_pm_seg *g = seg_after(pm, va);
		if (!g || g->start >= end)
			return;
		if (va < g->start)
			va = g->start;
		uint64_t segstop = g->end < end ? g->end : end;
		const struct pgt_vma *v = pgt_mm_find_vma(pm->mm, va);
		if (!v) {
			/* Outside every VMA the kernel reports nothing. */
			const struct pgt_vma *nx = NULL;
			for (unsigned i = 0; i < pm->mm->nvmas; i++)
				if (pm->mm->vmas[i].start > va) {
					nx = &pm->mm->vmas[i];
					break;
				}
			va = nx && nx->start < segstop ? nx->start : segstop;
			continue;
		}
		uint64_t stop = v->end < segstop ? v->end : segstop;
		/* walk_page_test() hands a VM_PFNMAP VMA to pagemap_pte_hole():
		 * its pages keep the hole value whatever maps them. */
		if (!(v->flags & PGT_VM_PFNMAP))
			fill(pm, s, e, v, g->out + (va - g->start) / pm->d->page_size, va, stop);
		va = stop;
	}
}

static int pm_table(void *arg, const struct pgt_slot *parent, const struct pgt_entry *pe,
		    uint64_t table_pa, unsigned level, uint64_t va, uint64_t end)
{
	struct pgt_pagemap *pm = arg;
	struct pgt_pm_seg *g = seg_after(pm, va);
	return !g || (end && g->start >= end);   /* skip tables no segment needs */
}

static void pm_anomaly(void *arg, const struct pgt_anomaly *a)
{
	struct pgt_pagemap *pm = arg;
	if (a->kind == PGT_A_OUT_OF_RANGE && a->entry.kind == PGT_E_LEAF)
		return;  /* the pfn is still what the kernel would report */
	uint64_t end = a->end ? a->end : ~0ull;
	for (struct pgt_pm_seg *g = seg_after(pm, a->va); g && g < pm->seg + pm->nseg && g->start < end; g++) {
		uint64_t lo = a->va < g->start ? g->start : a->va;
		uint64_t hi = end > g->end ? g->end : end;
		if (hi > lo)
			pm->unknown_pages += (hi - lo) / pm->d->page_size;
	}
	note(pm, a->msg);
}

struct pgt_visitor pgt_pagemap_visitor(struct pgt_pagemap *pm)
{
	struct pgt_visitor v = {0};
	v.table = pm_table;
	v.leaf = pm_leaf;
	v.anomaly = pm_anomaly;
	v.arg = pm;
	return v;
}

pgt_status pgt_pagemap_fill(struct pgt_pagemap *pm, struct pgt_walk_stats *stats, struct pgt_err *err)
{
	struct pgt_visitor v = pgt_pagemap_visitor(pm);
	if (!pm->nseg)
		return PGT_OK;
	return pgt_walk(pm->d, &pm->mm->root, pm->seg[0].start, pm->seg[pm->nseg - 1].end, &v, 1,
			stats, err);
}
