/* Forensic checks as a walk visitor, plus the whole-dump orphan scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/check.h"
#include "pgt/endian.h"
#include "pgt/pagemap.h"

/* ---- per-mm visitor ---- */

static void reach_deposits(struct pgt_checker *c, uint64_t pmd_table_pa);

static void emit(struct pgt_checker *c, const char *sev, const char *check, unsigned level, uint64_t va,
		 uint64_t end, uint64_t table_pa, const uint64_t *raw, unsigned nraw, const char *msg)
{
	struct pgt_finding f;
	if (!strcmp(sev, "info") && !c->verbose)
		return;
	memset(&f, 0, sizeof f);
	f.severity = sev;
	f.check = check;
	f.pid = c->pid;
	f.comm = c->comm;
	f.mm = c->mm ? c->mm->addr : 0;
	f.level = level < c->d->pg.nlevels ? c->d->pg.levels[level].name : "";
	f.va = va;
	f.end = end;
	f.table_pa = table_pa;
	for (unsigned i = 0; i < nraw && i < 2; i++)
		f.raw[i] = raw[i];
	f.nraw = nraw;
	snprintf(f.msg, sizeof f.msg, "%s", msg);
	if (strcmp(sev, "info"))
		c->findings++;
	c->report(c->report_arg, &f);
}

static int span_has_vma(const struct pgt_mm *mm, uint64_t va, uint64_t end)
{
	unsigned lo = 0, hi = mm->nvmas;
	while (lo < hi) {   /* first VMA ending after va */
		unsigned mid = (lo + hi) / 2;
		if (mm->vmas[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < mm->nvmas && (end == 0 || mm->vmas[lo].start < end);
}

static int in_kernel_half(const struct pgt_checker *c, uint64_t va)
{
	return c->d->pg.kernel_start && va >= c->d->pg.kernel_start;
}

/* The kernel's entry at (level, index): from its top table, or from the
 * table below the copied slot being walked. */
static int kernel_entry(const struct pgt_checker *c, unsigned level, unsigned index, struct pgt_entry *e)
{
	const uint8_t *tbl = level == c->mm->root.level ? c->ktop
			     : c->kcopy && level == c->kcopy_level ? c->kcopy_tbl : NULL;
	memset(e, 0, sizeof *e);
	if (!tbl)
		return 0;
	c->d->pg.ops->decode(&c->d->pg, level, tbl, index, e);
	return 1;
}

/* Reads the kernel's table below a slot the process keeps its own copy of,
 * so that its entries are compared one by one.  0 if it cannot be read. */
static int load_kcopy(struct pgt_checker *c, const struct pgt_entry *proc, const struct pgt_entry *kern)
{
	const struct pgt_paging *pg = &c->d->pg;
	struct pgt_err err = {0};
	if (proc->kind != PGT_E_TABLE || kern->kind != PGT_E_TABLE || kern->next_level != proc->next_level ||
	    kern->next_level >= pg->nlevels)
		return 0;
	const struct pgt_level *lv = &pg->levels[kern->next_level];
	uint64_t base = kern->pa;
	size_t len = (size_t)lv->entries * lv->entry_size;
	if (lv->read_block) {
		base = kern->pa & ~(uint64_t)(lv->read_block - 1);
		len = lv->read_block;
	}
	if (len > sizeof c->kcopy_buf || pgt_read_pa(c->d, base, c->kcopy_buf, len, &err) != PGT_OK)
		return 0;
	c->kcopy = 1;
	c->kcopy_level = kern->next_level;
	c->kcopy_pa = proc->pa;
	c->kcopy_tbl = c->kcopy_buf + (kern->pa - base);
	return 1;
}

/* Compares one kernel-half slot.  Returns 1 when the walk should descend
 * (the process holds its own copy of the kernel's table). */
static int compare_slot(struct pgt_checker *c, unsigned level, unsigned index, uint64_t va,
			uint64_t table_pa, const struct pgt_entry *proc)
{
	const struct pgt_paging *pg = &c->d->pg;
	struct pgt_entry kern;
	const char *check = NULL, *sev = "error";
	char msg[320] = "";
	uint64_t raw[2];
	uint64_t end = va + ((uint64_t)1 << pg->levels[level].shift);

	if (level == c->mm->root.level)
		c->kcopy = 0;   /* a new top slot: the last copy is done */
	if (!kernel_entry(c, level, index, &kern))
		return 0;
	raw[0] = proc->raw;
	raw[1] = kern.raw;
	if (pg->ops->kernel_slot) {
		int r = pg->ops->kernel_slot(pg, level, index, proc, &kern, &check, &sev, msg, sizeof msg);
		if (r == 1) {
			emit(c, sev, check, level, va, end, table_pa, raw, 2, msg);
			return 0;
		}
		if (r == 2)
			return 0;
		if (r == 4)
			return proc->kind == PGT_E_TABLE ? 4 : 0;
		if (r == 3 && level == c->mm->root.level) {
			if (!load_kcopy(c, proc, &kern)) {
				snprintf(msg, sizeof msg,
					 "kernel-half %s slot %u: the kernel's table below it (0x%llx) is unreadable; its entries are not compared",
					 pg->levels[level].name, index, (unsigned long long)kern.pa);
				emit(c, "warning", "kernel-table-unreadable", level, va, end, table_pa, raw, 2, msg);
			}
			return 1;
		}
	}
	if (proc->kind == PGT_E_NONE && kern.kind == PGT_E_NONE)
		return 0;
	if (proc->kind == PGT_E_NONE) {
		check = "kernel-entry-unsynced";
		sev = "warning";
		snprintf(msg, sizeof msg,
			 "kernel-half %s slot %u is empty here but set in the kernel's table: not yet synced (filled lazily on fault)",
			 pg->levels[level].name, index);
	} else if (kern.kind == PGT_E_NONE) {
		check = "kernel-entry-extra";
		snprintf(msg, sizeof msg, "kernel-half %s slot %u is set here but empty in the kernel's table",
			 pg->levels[level].name, index);
	} else if (proc->kind != kern.kind || proc->pa != kern.pa) {
		check = "kernel-entry-mismatch";
		snprintf(msg, sizeof msg,
			 "kernel-half %s slot %u points to 0x%llx, the kernel's table to 0x%llx: corrupt or stale",
			 pg->levels[level].name, index, (unsigned long long)proc->pa, (unsigned long long)kern.pa);
	} else if (proc->raw != kern.raw) {
		check = "kernel-entry-flags";
		sev = "warning";
		snprintf(msg, sizeof msg, "kernel-half %s slot %u has the same target as the kernel's but other flags",
			 pg->levels[level].name, index);
	}
	if (check)
		emit(c, sev, check, level, va, end, table_pa, raw, 2, msg);
	return 0;
}

static int ck_table(void *arg, const struct pgt_slot *parent, const struct pgt_entry *pe, uint64_t tpa,
		    unsigned level, uint64_t va, uint64_t end)
{
	struct pgt_checker *c = arg;
	const struct pgt_paging *pg = &c->d->pg;
	char msg[320];

	if (!parent) {   /* the root */
		if (c->reached)
			pgt_u64set_add(c->reached, tpa);
		return 0;
	}
	uint64_t sva = parent->va, send = parent->va + parent->size;
	/* The walk's own start (va) says which half it is in: a top slot may
	 * hold both (ARM LPAE's modules PMD serves user space below TASK_SIZE). */
	if (in_kernel_half(c, va)) {
		if (c->own_end && sva >= c->own_va && send <= c->own_end) {
			/* below a slot of the process's own (LDT remap) */
			if (c->reached)
				pgt_u64set_add(c->reached, tpa);
			c->counted_bytes += pg->levels[level].pt_bytes;
			return 0;
		}
		if (parent->level == c->mm->root.level) {
			int r = compare_slot(c, parent->level, parent->index, sva, parent->table_pa, pe);
			if (r == 4) {
				c->own_va = sva;
				c->own_end = send;
				if (c->reached)
					pgt_u64set_add(c->reached, tpa);
				c->counted_bytes += pg->levels[level].pt_bytes;
				return 0;
			}
			if (!r) {
				/* shared with the kernel, or a mismatch just reported:
				 * either way reached, so not an orphan as well */
				if (c->reached)
					pgt_u64set_add(c->reached, tpa);
				return 1;
			}
			/* the process's own copy: counted once, by the user walk
			 * if the slot began there */
			if (c->reached)
				pgt_u64set_add(c->reached, tpa);
			if (sva >= pg->user_end)
				c->counted_bytes += pg->levels[level].pt_bytes;
			return 0;
		}
		if (c->kcopy && parent->level == c->kcopy_level)
			compare_slot(c, parent->level, parent->index, sva, parent->table_pa, pe);
		return 1;   /* below a copied entry: the kernel's own tables */
	}
	if (c->reached)
		pgt_u64set_add(c->reached, tpa);
	c->counted_bytes += pg->levels[level].pt_bytes;
	if (sva >= pg->user_end || c->kernel_mm)
		return 0;
	if (c->in_leak && sva >= c->leak_va && (c->leak_end == 0 || send <= c->leak_end))
		return 0;
	c->in_leak = 0;
	if (span_has_vma(c->mm, sva, send))
		return 0;
	if (pg->first_user_address && sva < pg->first_user_address)
		return 0;   /* free_pgtables() never frees below FIRST_USER_ADDRESS */
	if (pg->ops->table_by_design && pg->ops->table_by_design(pg, level, sva, send))
		return 0;
	snprintf(msg, sizeof msg,
		 "%s table at 0x%llx covers 0x%llx-0x%llx where this mm has no VMA: free_pgtables() should have freed it",
		 pg->levels[level].name, (unsigned long long)tpa, (unsigned long long)sva,
		 (unsigned long long)send);
	emit(c, "error", "leaked-table", level, sva, send, tpa, &pe->raw, 1, msg);
	c->in_leak = 1;
	c->leak_va = sva;
	c->leak_end = send;
	return 0;   /* keep walking: its tables are reached too */
}

static void ck_table_done(void *arg, const struct pgt_slot *parent, uint64_t tpa, unsigned level,
			  uint64_t va, uint64_t end, unsigned used)
{
	struct pgt_checker *c = arg;
	char msg[200];
	if (c->huge_leaves && c->huge_table == tpa) {
		reach_deposits(c, tpa);
		c->huge_leaves = 0;
	}
	if (c->kcopy && parent && parent->level == c->mm->root.level && tpa == c->kcopy_pa)
		c->kcopy = 0;
	if (!parent || used || in_kernel_half(c, va) || parent->va >= c->d->pg.user_end)
		return;
	if (va != parent->va || end != parent->va + parent->size)
		return;   /* only part of the table was walked */
	if (!span_has_vma(c->mm, parent->va, parent->va + parent->size))
		return;   /* reported as a leak */
	snprintf(msg, sizeof msg, "%s table at 0x%llx has no entry left (after MADV_DONTNEED or munmap of part of a VMA)",
		 c->d->pg.levels[level].name, (unsigned long long)tpa);
	emit(c, "info", "empty-table", level, parent->va, parent->va + parent->size, tpa, NULL, 0, msg);
}

/* Each PMD-mapped THP keeps a preallocated PTE table aside (deposited) for
 * a later split: counted in pgtables_bytes, marked PageTable, reached
 * through the pmd table's struct page (split pmd locks) or the mm. */
static void reach_deposits(struct pgt_checker *c, uint64_t pmd_table_pa)
{
	struct pgt_dump *d = c->d;
	const struct pgt_profile *p = &d->prof;
	struct pgt_err e = {0};
	uint64_t head = 0, page, pfn;
	if (pgt_has_field(p, F_mm_pmd_huge_pte)) {
		if (c->deposits_done)
			return;
		c->deposits_done = 1;
		pgt_read_field(d, c->mm->addr, F_mm_pmd_huge_pte, &head, &e);
	} else if (pgt_has_field(p, F_page_pmd_huge_pte) || pgt_has_field(p, F_ptdesc_pmd_huge_pte)) {
		/* struct ptdesc (newer kernels) overlays the table's struct page */
		enum pgt_kfield_id f = pgt_has_field(p, F_page_pmd_huge_pte) ? F_page_pmd_huge_pte
									      : F_ptdesc_pmd_huge_pte;
		if (pgt_pfn_to_page(d, pmd_table_pa >> d->pg.page_shift, &page, &e) ||
		    pgt_read_field(d, page, f, &head, &e))
			return;
	}
	if (!head || !pgt_has_field(p, F_page_lru))
		return;
	uint64_t lru = (uint64_t)p->field[F_page_lru].off, cur = head;
	for (unsigned n = 0; n < 4096; n++) {
		uint64_t next;
		if (pgt_page_to_pfn(d, cur, &pfn, &e))
			return;
		if (c->reached)
			pgt_u64set_add(c->reached, pfn << d->pg.page_shift);
		c->counted_bytes += d->pg.levels[d->pg.nlevels - 1].pt_bytes;
		if (pgt_read_ptr(d, cur + lru, &next, &e))
			return;
		cur = next - lru;
		if (cur == head)
			return;
	}
}

static void ck_hole(void *arg, unsigned level, uint64_t va, uint64_t end)
{
	struct pgt_checker *c = arg;
	const struct pgt_level *lv = &c->d->pg.levels[level];
	const uint64_t lim = c->mm->root.va_limit;
	struct pgt_entry none = {0};
	uint64_t tpa = c->mm->root.pa;
	if (!in_kernel_half(c, va))
		return;
	if (level != c->mm->root.level) {
		if (!c->kcopy || level != c->kcopy_level)
			return;
		tpa = c->kcopy_pa;
	}
	/* past the root's reach (32-bit tables in a 64-bit walk): no slots */
	if (lim && va >= lim)
		return;
	if (lim && (end == 0 || end > lim))
		end = lim;
	uint64_t last = end ? end - 1 : ~0ull;
	for (uint64_t a = va; a <= last && a >= va; a += (uint64_t)1 << lv->shift) {
		unsigned idx = (unsigned)((a >> lv->shift) & (lv->entries - 1));
		compare_slot(c, level, idx, a & ~(((uint64_t)1 << lv->shift) - 1), tpa, &none);
		if (a + ((uint64_t)1 << lv->shift) < a)
			break;
	}
}

static void ck_leaf(void *arg, const struct pgt_slot *s, const struct pgt_entry *e, uint64_t va, uint64_t end)
{
	struct pgt_checker *c = arg;
	if (in_kernel_half(c, va) &&
	    (s->level == c->mm->root.level || (c->kcopy && s->level == c->kcopy_level)))
		compare_slot(c, s->level, s->index, s->va, s->table_pa, e);
	if ((e->flags & PGT_F_HUGE) && e->kind == PGT_E_LEAF && s->level == c->d->pg.nlevels - 2 &&
	    s->va < c->d->pg.user_end) {
		if (c->huge_table != s->table_pa)
			c->huge_leaves = 0;
		c->huge_table = s->table_pa;
		c->huge_leaves++;
	}
	if (e->flags & PGT_F_HW_MISMATCH) {
		uint64_t raw[2] = {e->raw, e->raw_hw};
		emit(c, "warning", "hw-pte-mismatch", s->level, s->va, s->va + s->size, s->table_pa, raw, 2,
		     "the hardware entry does not agree with the Linux entry beside it");
	}
}

static void ck_anomaly(void *arg, const struct pgt_anomaly *a)
{
	struct pgt_checker *c = arg;
	static const char *names[] = {"bad-entry", "unreadable-table", "table-loop", "past-ram", "table-window"};
	const char *sev = a->kind == PGT_A_UNREADABLE ? "warning" : "error";
	emit(c, sev, names[a->kind], a->slot.level, a->va, a->end, a->slot.table_pa, &a->entry.raw, 1, a->msg);
}

struct pgt_visitor pgt_check_visitor(struct pgt_checker *c)
{
	struct pgt_visitor v = {0};
	v.table = ck_table;
	v.table_done = ck_table_done;
	v.hole = ck_hole;
	v.leaf = ck_leaf;
	v.anomaly = ck_anomaly;
	v.arg = c;
	return v;
}

void pgt_check_mm_done(struct pgt_checker *c)
{
	char msg[200];
	if (c->mm->pgtables_bytes < 0 || (uint64_t)c->mm->pgtables_bytes == c->counted_bytes)
		return;
	if (c->own_end) {
		/* The LDT remap's tables: how the kernel counts them is not
		 * settled here (real dumps show two pages fewer than they hold). */
		snprintf(msg, sizeof msg,
			 "pgtables_bytes not compared: this mm has an LDT remap (%lld counted by the kernel, %llu reached)",
			 (long long)c->mm->pgtables_bytes, (unsigned long long)c->counted_bytes);
		emit(c, "info", "pgtables-bytes-skipped", c->mm->root.level, c->own_va, c->own_end, c->mm->root.pa,
		     NULL, 0, msg);
		return;
	}
	uint64_t raw[2] = {(uint64_t)c->mm->pgtables_bytes, c->counted_bytes};
	snprintf(msg, sizeof msg, "mm->pgtables_bytes is %lld but the tables this mm reaches hold %llu bytes",
		 (long long)c->mm->pgtables_bytes, (unsigned long long)c->counted_bytes);
	emit(c, "warning", "pgtables-bytes", c->mm->root.level, 0, c->d->pg.user_end, c->mm->root.pa, raw, 2, msg);
}

/* ---- whole dump ---- */

static int reach_table(void *arg, const struct pgt_slot *parent, const struct pgt_entry *pe, uint64_t tpa,
		       unsigned level, uint64_t va, uint64_t end)
{
	pgt_u64set_add(arg, tpa);
	return 0;
}

pgt_status pgt_reach_kernel_tables(struct pgt_dump *d, struct pgt_u64set *reached, struct pgt_err *err)
{
	struct pgt_visitor v = {0};
	v.table = reach_table;
	v.arg = reached;
	if (!d->pg.kroot.pa)
		return PGT_OK;
	return pgt_walk(d, &d->pg.kroot, 0, 0, &v, 1, NULL, err);
}

static void orphan_finding(void *arg, pgt_finding_fn report, const char *check, uint64_t pa,
			   const char *msg)
{
	struct pgt_finding f;
	memset(&f, 0, sizeof f);
	f.severity = "error";
	f.check = check;
	f.pid = -1;
	f.comm = "";
	f.level = "";
	f.table_pa = pa;
	snprintf(f.msg, sizeof f.msg, "%s", msg);
	report(arg, &f);
}

/* A fragment no walk reached but whose content is not page-table entries:
 * with PGSTEs (KVM hosts) a 4 KiB table has both fragment bits set and its
 * upper half holds the PGSTEs, which are no PTEs (zero included). */
static int not_a_table(struct pgt_dump *d, uint64_t pa, uint64_t len)
{
	const struct pgt_level *lv = &d->pg.levels[d->pg.nlevels - 1];
	uint8_t t[4096];
	struct pgt_err e = {0};
	struct pgt_entry ent;
	if (len > sizeof t || pgt_read_pa(d, pa, t, (size_t)len, &e) != PGT_OK)
		return 0;
	for (unsigned i = 0; i < lv->entries; i++) {
		d->pg.ops->decode(&d->pg, d->pg.nlevels - 1, t, i, &ent);
		if (ent.kind == PGT_E_BAD)
			return 1;
	}
	return 0;
}

/* Page-table fragments of one PageTable page (s390 6.1, arch/s390/mm/
 * pgalloc.c): the upper byte of _refcount holds AA bits 0x01 (lower half
 * allocated) and 0x02 (upper), and PP bits 0x10/0x20 (that half is
 * waiting for its RCU free).  A crst (segment table) page leaves the byte
 * 0.  Returns -1 when the page holds no fragments (the caller judges the
 * whole page), else the number of findings reported. */
static int check_fragments(struct pgt_dump *d, uint64_t pfn, uint64_t page, uint32_t mask, uint64_t frag,
			   const struct pgt_u64set *reached, pgt_finding_fn report, void *arg,
			   uint64_t *found)
{
	const uint64_t pa = pfn * d->page_size;
	char msg[320];
	int n = 0;
	if (!mask || (mask & ~0x33u) || (mask & (mask >> 4) & 3))
		return -1;   /* no fragments, or bits pgalloc.c never writes */
	for (unsigned h = 0; h < 2; h++) {
		uint64_t fa = pa + h * frag;
		int alloc = mask >> h & 1, pending = mask >> (4 + h) & 1, hit = pgt_u64set_has(reached, fa);
		const char *half = h ? "upper" : "lower";
		if (alloc && !hit) {
			if (mask == 3 && pgt_u64set_has(reached, pa + (1 - h) * frag) && not_a_table(d, fa, frag))
				continue;   /* one 4 KiB table with PGSTEs */
			snprintf(msg, sizeof msg,
				 "page-table fragment 0x%llx (%s half of page 0x%llx, struct page 0x%llx, fragment "
				 "bits 0x%02x) is allocated but no page table of any task or of the kernel reaches it",
				 (unsigned long long)fa, half, (unsigned long long)pa, (unsigned long long)page, mask);
			orphan_finding(arg, report, "orphan-table", fa, msg);
			n++;
		} else if (!alloc && hit) {
			snprintf(msg, sizeof msg,
				 "page-table fragment 0x%llx (%s half of page 0x%llx, struct page 0x%llx, fragment "
				 "bits 0x%02x) is in use but the kernel %s: use after free",
				 (unsigned long long)fa, half, (unsigned long long)pa, (unsigned long long)page, mask,
				 pending ? "is freeing it (RCU pending)" : "counts it as free");
			orphan_finding(arg, report, "freed-table-in-use", fa, msg);
			n++;
		}
	}
	*found += (uint64_t)n;
	return n;
}

pgt_status pgt_check_orphans(struct pgt_dump *d, const struct pgt_u64set *reached, pgt_finding_fn report,
			     void *arg, uint64_t *nfound, struct pgt_err *err)
{
	const struct pgt_profile *p = &d->prof;
	const int64_t sz = p->struct_size[S_page];
	const uint64_t ps = d->page_size;
	uint8_t buf[1 << 12];
	uint64_t found = 0, unreadable = 0;
	/* Half-page PTE tables addressed directly (s390: 256 x 8 bytes, two to
	 * a page): each half is checked on its own against the page's fragment
	 * bits.  Formats with page-sized tables (or a read_block) never enter. */
	const struct pgt_level *ptl = &d->pg.levels[d->pg.nlevels - 1];
	const uint64_t frag = (uint64_t)ptl->entries * ptl->entry_size;
	const int frags = !ptl->read_block && frag * 2 == ps && pgt_has_field(p, F_page_refcount);

	*nfound = 0;
	if (sz <= 0 || (uint64_t)sz > sizeof buf || !pgt_has_field(p, F_page_page_type) || !d->max_pfn)
		return pgt_fail(err, PGT_ENOTFOUND, "%s: orphan scan needs struct page's page_type and max_pfn",
				d->path);
	for (uint64_t pfn = 0; pfn < d->max_pfn; pfn++) {
		uint64_t page;
		uint32_t type;
		if (pgt_pfn_to_page(d, pfn, &page, err) != PGT_OK)
			return PGT_OK;  /* below the memory map: nothing to scan */
		if (pgt_read_kva(d, page, buf, (size_t)sz, err) != PGT_OK) {
			unreadable++;
			continue;
		}
		type = (uint32_t)pgt_ldn(buf + p->field[F_page_page_type].off, 4, d->pg.big_endian);
		/* PageTable(): 6.12 keeps the type in the top byte (PGTY_table);
		 * 6.1 clears PG_table below PAGE_TYPE_BASE. */
		if (p->has_enum[E_PGTY_table] ? type >> 24 != (uint32_t)p->enumval[E_PGTY_table]
					      : (type & (0xf0000000u | 0x200u)) != 0xf0000000u)
			continue;
		uint64_t pa = pfn * ps;
		int hit = 0;
		if (frags) {
			uint32_t rc = (uint32_t)pgt_ldn(buf + p->field[F_page_refcount].off, 4, d->pg.big_endian);
			int r = check_fragments(d, pfn, page, rc >> 24, frag, reached, report, arg, &found);
			if (r >= 0)
				continue;
		}
		/* Tables smaller than a page without fragment bits to read (ARM
		 * classic's hardware tables, s390 with an unknown _refcount):
		 * any reached 1 KiB step counts for the page. */
		for (uint64_t off = 0; off < ps && !hit; off += 1024)
			hit = pgt_u64set_has(reached, pa + off);
		if (hit)
			continue;
		struct pgt_finding f;
		memset(&f, 0, sizeof f);
		f.severity = "error";
		f.check = "orphan-table";
		f.pid = -1;
		f.comm = "";
		f.level = "";
		f.table_pa = pa;
		snprintf(f.msg, sizeof f.msg,
			 "page 0x%llx is marked as a page table (struct page 0x%llx) but no page table of any task or of the kernel reaches it",
			 (unsigned long long)pa, (unsigned long long)page);
		report(arg, &f);
		found++;
	}
	if (unreadable)
		fprintf(stderr, "pgtinspect: %s: %llu struct pages unreadable during the orphan scan\n", d->path,
			(unsigned long long)unreadable);
	*nfound = found;
	return PGT_OK;
}
