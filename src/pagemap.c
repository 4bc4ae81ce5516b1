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
		pm->seg[pm->nseg].start = s;
		pm->seg[pm->nseg].end = e;
		pm->nseg++;
	}
	return PGT_OK;
}

void pgt_pagemap_fini(struct pgt_pagemap *pm)
{
	for (unsigned i = 0; i < pm->nseg; i++) {
		for (size_t b = 0; b < pm->seg[i].nblk; b++)
			free(pm->seg[i].blk[b]);
		free(pm->seg[i].blk);
	}
	free(pm->seg);
	pm->seg = NULL;
	pm->nseg = 0;
}

static uint64_t block_span(const struct pgt_pagemap *pm)
{
	return (uint64_t)PGT_PM_BLOCK * pm->d->page_size;
}

/* Index of the first block of g ending after va. */
static size_t block_after(const struct pgt_pagemap *pm, const struct pgt_pm_seg *g, uint64_t va)
{
	size_t lo = 0, hi = g->nblk;
	const uint64_t span = block_span(pm);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (g->blk[mid]->va + span <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entry slot of page va, making its block (with hole values) if new;
 * NULL on allocation failure. */
static uint64_t *slot(struct pgt_pagemap *pm, struct pgt_pm_seg *g, uint64_t va)
{
	const uint64_t span = block_span(pm), base = va & ~(span - 1), ps = pm->d->page_size;
	size_t at = g->nblk && g->blk[g->nblk - 1]->va == base ? g->nblk - 1 : block_after(pm, g, va);
	if (at == g->nblk || g->blk[at]->va != base) {
		struct pgt_pm_block *b = malloc(sizeof *b);
		if (!b)
			return NULL;
		if (g->nblk == g->capblk) {
			size_t ncap = g->capblk ? g->capblk * 2 : 16;
			struct pgt_pm_block **nb = realloc(g->blk, ncap * sizeof *nb);
			if (!nb) {
				free(b);
				return NULL;
			}
			g->blk = nb;
			g->capblk = ncap;
		}
		b->va = base;
		for (unsigned k = 0; k < PGT_PM_BLOCK; k++)
			b->ent[k] = hole_value(pgt_mm_find_vma(pm->mm, base + k * ps));
		memmove(g->blk + at + 1, g->blk + at, (g->nblk - at) * sizeof *g->blk);
		g->blk[at] = b;
		g->nblk++;
	}
	return &g->blk[at]->ent[(va - base) / ps];
}

void pgt_pm_read(const struct pgt_pagemap *pm, const struct pgt_pm_seg *g, uint64_t va, uint64_t n,
		 uint64_t *out)
{
	const uint64_t ps = pm->d->page_size, span = block_span(pm);
	size_t b = block_after(pm, g, va);
	for (uint64_t i = 0; i < n; i++, va += ps) {
		while (b < g->nblk && g->blk[b]->va + span <= va)
			b++;
		out[i] = b < g->nblk && g->blk[b]->va <= va ? g->blk[b]->ent[(va - g->blk[b]->va) / ps]
							     : hole_value(pgt_mm_find_vma(pm->mm, va));
	}
}

/* Two neighbouring pages continue one run: same kind and flags, and for
 * present or swapped pages the next frame. */
static int continues(const struct pgt_pagemap *pm, uint64_t prev, uint64_t cur)
{
	if ((prev & ~PM_PFN_MASK) != (cur & ~PM_PFN_MASK))
		return 0;
	if (cur & PM_PRESENT)
		return (cur & PM_PFN_MASK) == (prev & PM_PFN_MASK) + 1;
	if (cur & PM_SWAP)
		return (cur & PM_PFN_MASK) == (prev & PM_PFN_MASK) + (1ull << pm->d->pg.swp_type_bits);
	return 1;
}

uint64_t pgt_pm_run(const struct pgt_pagemap *pm, const struct pgt_pm_seg *g, uint64_t va, uint64_t *first)
{
	const uint64_t ps = pm->d->page_size, span = block_span(pm);
	size_t b = block_after(pm, g, va);
	uint64_t n = 0, prev = 0;
	while (va < g->end) {
		if (b < g->nblk && g->blk[b]->va <= va) {
			/* inside a block: page by page */
			const struct pgt_pm_block *blk = g->blk[b];
			uint64_t stop = blk->va + span < g->end ? blk->va + span : g->end;
			for (; va < stop; va += ps) {
				uint64_t v = blk->ent[(va - blk->va) / ps];
				if (n && !continues(pm, prev, v))
					return n;
				if (!n)
					*first = v;
				prev = v;
				n++;
			}
			b++;
			continue;
		}
		/* between blocks: hole values, constant within one VMA or gap */
		uint64_t stop = b < g->nblk && g->blk[b]->va < g->end ? g->blk[b]->va : g->end;
		const struct pgt_vma *v = pgt_mm_find_vma(pm->mm, va);
		uint64_t hv = hole_value(v);
		if (v && v->end < stop)
			stop = v->end;
		else if (!v)
			for (unsigned i = 0; i < pm->mm->nvmas; i++)
				if (pm->mm->vmas[i].start > va) {
					if (pm->mm->vmas[i].start < stop)
						stop = pm->mm->vmas[i].start;
					break;
				}
		if (n && !continues(pm, prev, hv))
			return n;
		if (!n)
			*first = hv;
		prev = hv;
		n += (stop - va) / ps;
		va = stop;
	}
	return n;
}

pgt_status pgt_pm_dense(const struct pgt_pagemap *pm, unsigned k, uint64_t **out, struct pgt_err *err)
{
	const struct pgt_pm_seg *g = &pm->seg[k];
	uint64_t n = (g->end - g->start) / pm->d->page_size;
	if (n > (1ull << 31))
		return pgt_fail(err, PGT_EUSAGE, "range 0x%llx-0x%llx is too large to hold whole",
				(unsigned long long)g->start, (unsigned long long)g->end);
	*out = malloc((n ? n : 1) * sizeof **out);
	if (!*out)
		return pgt_fail(err, PGT_ENOMEM, "out of memory for %llu pagemap entries", (unsigned long long)n);
	pgt_pm_read(pm, g, g->start, n, *out);
	return PGT_OK;
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
		 const struct pgt_vma *v, struct pgt_pm_seg *g, uint64_t va, uint64_t stop)
{
	const struct pgt_paging *pg = &pm->d->pg;
	const uint64_t ps = pm->d->page_size;
	const unsigned pshift = pg->page_shift;
	const int huge = s->level != pg->nlevels - 1;
	uint64_t flags = hole_value(v), frame = 0, step = 0;

	if (e->kind == PGT_E_LEAF && (e->flags & PGT_F_PM_HOLE)) {
		/* pagemap_pmd_range(): a huge entry that is not pmd_present()
		 * (and no migration entry) gives the VMA's hole value */
	} else if (e->kind == PGT_E_LEAF) {
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
	for (; va < stop; va += ps, frame += step) {
		uint64_t *p = slot(pm, g, va);
		if (!p) {
			note(pm, "out of memory for pagemap entries");
			pm->unknown_pages += (stop - va) / ps;
			return;
		}
		*p = flags | (frame & PM_PFN_MASK);
	}
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
			fill(pm, s, e, v, g, va, stop);
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
