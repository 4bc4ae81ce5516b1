/* struct page lookups: where a pfn's struct page is, and the few facts
 * pagemap needs from it (PageAnon, page_mapcount as 6.1 and 6.12 compute them). */
#include <string.h>
#include "pgt/pagemap.h"
#include "pgt/endian.h"
#include "pgt/vmcoreinfo.h"

pgt_status pgt_pfn_to_page(struct pgt_dump *d, uint64_t pfn, uint64_t *page, struct pgt_err *err)
{
	int64_t sz = d->prof.struct_size[S_page];
	uint64_t mm;
	if (sz <= 0)
		return pgt_fail(err, PGT_EINPUT, "%s: size of struct page unknown", d->prof.source);
	if (d->vmemmap) {
		*page = d->vmemmap + pfn * (uint64_t)sz;
		return PGT_OK;
	}
	if (pgt_sym(d, Y_mem_map)) {
		/* FLATMEM: mem_map points at the struct page of the first pfn. */
		pgt_status st = pgt_read_ptr(d, pgt_sym(d, Y_mem_map), &mm, err);
		if (st)
			return st;
		if (pfn < d->memmap_pfn0)
			return pgt_fail(err, PGT_ENOMAP, "pfn 0x%llx below the memory map", (unsigned long long)pfn);
		*page = mm + (pfn - d->memmap_pfn0) * (uint64_t)sz;
		return PGT_OK;
	}
	return pgt_fail(err, PGT_ENOTFOUND, "%s: no way to find struct page (no vmemmap, no mem_map)", d->path);
}

pgt_status pgt_page_to_pfn(struct pgt_dump *d, uint64_t page, uint64_t *pfn, struct pgt_err *err)
{
	int64_t sz = d->prof.struct_size[S_page];
	uint64_t base;
	if (sz <= 0)
		return pgt_fail(err, PGT_EINPUT, "%s: size of struct page unknown", d->prof.source);
	if (d->vmemmap)
		base = d->vmemmap;
	else if (pgt_sym(d, Y_mem_map)) {
		pgt_status st = pgt_read_ptr(d, pgt_sym(d, Y_mem_map), &base, err);
		if (st)
			return st;
	} else
		return pgt_fail(err, PGT_ENOTFOUND, "%s: no way to find struct page", d->path);
	if (page < base || (page - base) % (uint64_t)sz)
		return pgt_fail(err, PGT_EINPUT, "0x%llx is not a struct page address", (unsigned long long)page);
	*pfn = (page - base) / (uint64_t)sz + (d->vmemmap ? 0 : d->memmap_pfn0);
	return PGT_OK;
}

struct rawpage {
	uint64_t flags, mapping, compound_head;
	int32_t mapcount, compound_mapcount;
	uint32_t compound_dtor;
};

static pgt_status read_page(struct pgt_dump *d, uint64_t page, struct rawpage *r, struct pgt_err *err)
{
	const struct pgt_profile *p = &d->prof;
	uint8_t buf[256];
	uint64_t sz = (uint64_t)p->struct_size[S_page];
	unsigned ps = d->si->ptr_size ? d->si->ptr_size : 8;
	int be = d->pg.big_endian;
	if (sz > sizeof buf)
		return pgt_fail(err, PGT_EINPUT, "struct page larger than expected");
	pgt_status st = pgt_read_kva(d, page, buf, sz, err);
	if (st)
		return st;
	memset(r, 0, sizeof *r);
#define LD(f, n) (pgt_has_field(p, f) ? pgt_ldn(buf + p->field[f].off, (n), be) : 0)
	r->flags = LD(F_page_flags, ps);
	r->mapping = LD(F_page_mapping, ps);
	r->compound_head = LD(F_page_compound_head, ps);
	r->mapcount = (int32_t)LD(F_page_mapcount, 4);
	r->compound_mapcount = (int32_t)LD(F_page_compound_mapcount, 4);
	r->compound_dtor = (uint32_t)LD(F_page_compound_dtor, 1);
#undef LD
	return PGT_OK;
}

static int test_flag(const struct pgt_dump *d, uint64_t flags, enum pgt_kenum_id e)
{
	return d->prof.has_enum[e] && (flags >> d->prof.enumval[e]) & 1;
}

pgt_status pgt_page_info(struct pgt_dump *d, uint64_t pfn, struct pgt_pageinfo *pi, struct pgt_err *err)
{
	struct rawpage pg, head, tail1;
	uint64_t addr, headaddr;
	int64_t sz = d->prof.struct_size[S_page];
	pgt_status st;

	memset(pi, 0, sizeof *pi);
	if ((st = pgt_pfn_to_page(d, pfn, &addr, err)) || (st = read_page(d, addr, &pg, err)))
		return st;
	headaddr = (pg.compound_head & 1) ? pg.compound_head - 1 : addr;
	int compound = test_flag(d, pg.flags, E_PG_head) || (pg.compound_head & 1);
	if (headaddr != addr) {
		if ((st = read_page(d, headaddr, &head, err)))
			return st;
	} else
		head = pg;
	pi->anon = head.mapping & 1;   /* PAGE_MAPPING_ANON, read on the folio */
	pi->mapcount = pg.mapcount + 1;
	if (pgt_has_field(&d->prof, F_folio_entire_mapcount)) {
		/* 6.12 folio_precise_page_mapcount(): the page's own count (0 while
		 * _mapcount holds a page type, as on a hugetlb head) plus the
		 * folio's PMD or hugetlb mappings.  For hugetlb, 6.12 asks
		 * _large_mapcount instead, which moves together with it. */
		uint64_t v;
		if (pg.mapcount < (int32_t)0xff000000)   /* page_mapcount_is_type() */
			pi->mapcount = 0;
		if (compound) {
			uint64_t off = (uint64_t)d->prof.field[F_folio_entire_mapcount].off;
			if ((st = pgt_read_uint(d, headaddr + off, 4, &v, err)))
				return st;
			pi->mapcount += (int32_t)(uint32_t)v + 1;
		}
	} else if (compound) {
		/* __page_mapcount(): file THP keep the total in _mapcount. */
		if ((st = read_page(d, headaddr + (uint64_t)sz, &tail1, err)))
			return st;
		int huge = d->prof.has_enum[E_HUGETLB_PAGE_DTOR] &&
			   tail1.compound_dtor == (uint32_t)d->prof.enumval[E_HUGETLB_PAGE_DTOR];
		if (pi->anon || huge) {
			pi->mapcount += tail1.compound_mapcount + 1;
			enum pgt_kenum_id dm = d->prof.has_enum[E_PG_double_map] ? E_PG_double_map : E_PG_workingset;
			if (test_flag(d, tail1.flags, dm))
				pi->mapcount--;
		}
	}
	pi->ok = 1;
	return PGT_OK;
}
