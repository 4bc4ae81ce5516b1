/* 32-bit ARM paging, both formats Linux 6.1 uses:
 *
 * arm-lpae: the long-descriptor format (CONFIG_ARM_LPAE).  pgd 4 x 8 bytes
 *   (1 GiB each), pmd and pte tables 512 x 8 bytes.  Linux keeps its
 *   software bits (dirty, special, PROT_NONE, read-only) in the upper
 *   ignored bits of the same descriptor the MMU reads.
 *
 * arm-classic: the short-descriptor format.  Linux sees 2048 pgd entries of
 *   8 bytes (a pair of 1 MiB first-level descriptors) and one 4 KiB page per
 *   pte table: 512 Linux PTEs at +0, then the two 256-entry hardware tables
 *   at +2048 and +3072.  The pgd pair points at the hardware tables.
 *
 * Bit layouts are those of arch/arm/include/asm/pgtable{,-2level,-3level}*.h
 * in 6.1; swap entries follow the 6.1 __swp_type/__swp_offset, which read
 * the low 32 bits of a pte only (swp_entry_t is an unsigned long). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/arch.h"
#include "pgt/dump.h"
#include "pgt/endian.h"
#include "pgt/pagemap.h"
#include "pgt/vmcoreinfo.h"

#define SZ_1M  0x100000ull
#define SZ_2M  0x200000ull
#define SZ_16M 0x1000000ull
#define VA_END 0x100000000ull

/* ---- LPAE (pgtable-3level.h, pgtable-3level-hwdef.h) ---- */
#define LP_VALID      (1ull << 0)
#define LP_TABLE      (1ull << 1)   /* table at levels 1-2, page at level 3 */
#define LP_USER       (1ull << 6)   /* AP[1] */
#define LP_AP2        (1ull << 7)   /* hardware read-only */
#define LP_AF         (1ull << 10)  /* L_PTE_YOUNG */
#define LP_NG         (1ull << 11)
#define LP_PXN        (1ull << 53)
#define LP_XN         (1ull << 54)
#define LP_DIRTY      (1ull << 55)  /* L_PTE_DIRTY, L_PMD_SECT_DIRTY */
#define LP_SPECIAL    (1ull << 56)
#define LP_NONE       (1ull << 57)  /* PROT_NONE: L_PTE_NONE, L_PMD_SECT_NONE */
#define LP_RDONLY     (1ull << 58)
#define LP_PGD_SWAPPER (1ull << 55) /* on pgd entries: table belongs to swapper_pg_dir */
#define LP_PHYS_MASK  ((1ull << 40) - 1)
#define LP_PAGE_ADDR  (LP_PHYS_MASK & ~0xfffull)
#define LP_SECT_ADDR  (LP_PHYS_MASK & ~(SZ_2M - 1))

/* ---- classic (pgtable-2level.h, pgtable-2level-hwdef.h) ---- */
#define CL_PRESENT    (1u << 0)
#define CL_YOUNG      (1u << 1)
#define CL_DIRTY      (1u << 6)
#define CL_RDONLY     (1u << 7)
#define CL_USER       (1u << 8)
#define CL_XN         (1u << 9)
#define CL_SHARED     (1u << 10)
#define CL_NONE       (1u << 11)
#define CL_HWTABLE_OFF 2048u        /* PTE_HWTABLE_OFF: hardware PTEs follow the Linux ones */
/* first-level descriptors */
#define CL_PMD_TYPE_MASK 3u
#define CL_PMD_TYPE_TABLE 1u
#define CL_PMD_SECT_BIT  2u         /* pmd_leaf(): bit 0 may be PXN on v7 */
#define CL_SECT_XN       (1u << 4)
#define CL_SECT_AP_WRITE (1u << 10) /* AP[0] */
#define CL_SECT_AP_READ  (1u << 11) /* AP[1]: user access */
#define CL_SECT_APX      (1u << 15)
#define CL_SECT_NG       (1u << 17)
#define CL_SECT_SUPER    (1u << 18)
/* second-level (hardware) small page */
#define CL_HW_TYPE_MASK  3u

/* swap layout shared by both formats (pgtable.h) */
#define SWP_TYPE_SHIFT 2
#define SWP_TYPE_MASK  0x1fu
#define SWP_OFFSET_SHIFT 7

static const struct pgt_level lpae_levels[] = {
	{"pgd", 30, 4, 8, 0, 0},
	{"pmd", 21, 512, 8, 0, 4096},
	{"pte", 12, 512, 8, 0, 4096},
};

/* The pte level reads the whole 4 KiB page so decode() sees both the Linux
 * PTE (+4*i) and the hardware PTE (+2048+4*i). */
static const struct pgt_level classic_levels[] = {
	{"pgd", 21, 2048, 8, 0, 0},
	{"pte", 12, 512, 4, 4096, 2048},
};

static void set_swap(struct pgt_entry *e, uint32_t low)
{
	e->kind = PGT_E_SWAP;
	e->swp_type = (low >> SWP_TYPE_SHIFT) & SWP_TYPE_MASK;
	e->swp_offset = low >> SWP_OFFSET_SHIFT;
}

/* ================= LPAE decode ================= */

/* Flags of a valid or PROT_NONE leaf (block or page), Linux's reading. */
static uint32_t lpae_leaf_flags(uint64_t v, int page_level)
{
	uint32_t f = 0;
	if (v & LP_USER)
		f |= PGT_F_USER;
	if (v & LP_RDONLY)
		f |= PGT_F_RDONLY;
	else
		f |= PGT_F_WRITE;
	if (v & LP_XN)
		f |= PGT_F_NX;
	if (v & LP_DIRTY)
		f |= PGT_F_DIRTY;
	if (v & LP_AF)
		f |= PGT_F_ACCESSED;
	if (!(v & LP_NG))
		f |= PGT_F_GLOBAL;
	if (page_level && (v & LP_SPECIAL)) /* 6.1 has no pmd_special on ARM */
		f |= PGT_F_SPECIAL;
	return f;
}

static void lpae_decode(const struct pgt_paging *pg, unsigned level, const uint8_t *tbl,
			unsigned idx, struct pgt_entry *e)
{
	uint64_t v = pgt_ld64(tbl + (size_t)idx * 8, pg->big_endian);
	unsigned type = (unsigned)(v & 3);

	e->raw = v;
	if (!v) {
		e->kind = PGT_E_NONE;
		return;
	}
	switch (level) {
	case 0: /* pgd (= pud, folded) */
		if (v & LP_PGD_SWAPPER)
			e->flags |= PGT_F_SWAPPER;
		if (type != 3) {
			e->kind = PGT_E_BAD;
			e->bad = type == 1 ? "1 GiB block: Linux never maps these (pud_bad)"
					   : type == 2 ? "table bit without the valid bit"
						       : "non-zero pgd entry without the valid bit";
			return;
		}
		e->kind = PGT_E_TABLE;
		e->pa = v & LP_PAGE_ADDR; /* bit 55 (L_PGD_SWAPPER) lies outside */
		e->next_level = 1;
		e->next_hi = 511;
		return;
	case 1: /* pmd */
		if (type == 3) {
			e->kind = PGT_E_TABLE;
			e->pa = v & LP_PAGE_ADDR;
			e->next_level = 2;
			e->next_hi = 511;
			return;
		}
		if (type == 1) {
			e->kind = PGT_E_LEAF;
			e->pa = v & LP_SECT_ADDR;
			e->flags |= PGT_F_HUGE | PGT_F_HWVALID | lpae_leaf_flags(v, 0);
			if (v & LP_NONE) /* set_pmd_at clears VALID for PROT_NONE */
				e->flags |= PGT_F_HW_MISMATCH;
			return;
		}
		if (type == 0 && (v & LP_NONE)) {
			/* PROT_NONE THP: it maps its page (rss, deposit, mprotect
			 * back), but 6.1's pmd_present() tests only the valid bit,
			 * so pagemap reports the block as a hole. */
			e->kind = PGT_E_LEAF;
			e->pa = v & LP_SECT_ADDR;
			e->flags |= PGT_F_HUGE | PGT_F_PROTNONE | PGT_F_PM_HOLE | lpae_leaf_flags(v, 0);
			return;
		}
		e->kind = PGT_E_BAD;
		e->bad = type == 2 ? "table bit without the valid bit"
				   : "invalid pmd with bits set and no PROT_NONE bit (invalidated or corrupt)";
		return;
	default: /* pte */
		if (type == 0) {
			/* !pte_present, !pte_none: a swap entry as Linux reads it */
			set_swap(e, (uint32_t)v);
			return;
		}
		if (type == 1) {
			e->kind = PGT_E_BAD;
			e->bad = "page descriptor type 01 is reserved at level 3";
			return;
		}
		e->kind = PGT_E_LEAF;
		e->pa = v & LP_PAGE_ADDR;
		e->flags |= lpae_leaf_flags(v, 1);
		if (type == 3)
			e->flags |= PGT_F_HWVALID;
		if (v & LP_NONE) {
			e->flags |= PGT_F_PROTNONE;
			/* cpu_v7_set_pte_ext clears VALID on PROT_NONE ptes */
			if (type == 3)
				e->flags |= PGT_F_HW_MISMATCH;
		} else if (type == 2) {
			/* present for Linux, invalid for the MMU, yet not PROT_NONE */
			e->flags |= PGT_F_HW_MISMATCH;
		}
		return;
	}
}

/* ================= classic decode ================= */

static uint32_t cl_sect_flags(uint32_t d)
{
	uint32_t f = PGT_F_HWVALID;
	unsigned ap = (d >> 10) & 3;
	if (ap & 2)
		f |= PGT_F_USER;
	if (d & CL_SECT_APX)
		f |= PGT_F_RDONLY;
	else if (ap == 1 || ap == 3) /* writable at the level that may access it */
		f |= PGT_F_WRITE;
	if (d & CL_SECT_XN)
		f |= PGT_F_NX;
	if (!(d & CL_SECT_NG))
		f |= PGT_F_GLOBAL;
	return f;
}

/* Base of a section or supersection descriptor. */
static uint64_t cl_sect_base(uint32_t d)
{
	if (d & CL_SECT_SUPER)
		return (uint64_t)(d & 0xff000000u) | ((uint64_t)((d >> 20) & 0xf) << 32) |
		       ((uint64_t)((d >> 5) & 0xf) << 36);
	return d & 0xfff00000u;
}

static void cl_decode_pgd(uint32_t lo, uint32_t hi, unsigned idx, struct pgt_entry *e)
{
	unsigned tlo = lo & CL_PMD_TYPE_MASK, thi = hi & CL_PMD_TYPE_MASK;

	if (!lo && !hi) {
		e->kind = PGT_E_NONE;
		return;
	}
	if (tlo == CL_PMD_TYPE_TABLE && thi == CL_PMD_TYPE_TABLE) {
		/* __pmd_populate: lo = page + 2048 | prot, hi = lo + 1024 */
		if ((lo & 0xc00u) != CL_HWTABLE_OFF || hi != lo + 1024u) {
			e->kind = PGT_E_BAD;
			e->bad = "table pair is not the two hardware tables at +2048/+3072 of one page";
			return;
		}
		e->kind = PGT_E_TABLE;
		e->pa = lo & 0xfffff000u; /* the Linux PTEs start the page */
		e->next_level = 1;
		e->next_hi = 511;
		return;
	}
	if ((lo & CL_PMD_SECT_BIT) && (hi & CL_PMD_SECT_BIT)) {
		int slo = !!(lo & CL_SECT_SUPER), shi = !!(hi & CL_SECT_SUPER);
		uint64_t blo = cl_sect_base(lo), bhi = cl_sect_base(hi);
		if (slo && shi) {
			/* a supersection is 16 identical descriptors: 8 pairs */
			if (lo != hi) {
				e->kind = PGT_E_BAD;
				e->bad = "supersection pair with differing halves";
				return;
			}
			e->kind = PGT_E_LEAF;
			e->pa = blo + ((uint64_t)(idx & 7) << 21);
			e->flags |= PGT_F_HUGE | cl_sect_flags(lo);
			return;
		}
		if (slo || shi) {
			e->kind = PGT_E_BAD;
			e->bad = "section paired with a supersection";
			return;
		}
		if (bhi != blo + SZ_1M) {
			e->kind = PGT_E_BAD;
			e->bad = "1 MiB sections of the pair are not physically contiguous";
			return;
		}
		/* One leaf for 2 MiB.  Halves may differ in permissions (kernel
		 * RWX is applied per 1 MiB): keep the stricter of each. */
		uint32_t fl = cl_sect_flags(lo), fh = cl_sect_flags(hi);
		const uint32_t both = PGT_F_HWVALID | PGT_F_USER | PGT_F_WRITE | PGT_F_GLOBAL;
		e->kind = PGT_E_LEAF;
		e->pa = blo;
		e->flags |= PGT_F_HUGE | ((fl & fh) & both) | ((fl | fh) & ~both);
		return;
	}
	e->kind = PGT_E_BAD;
	if (!lo || !hi)
		e->bad = (lo | hi) & CL_PMD_SECT_BIT ? "only one 1 MiB half of the pair is a section"
						     : "only one half of the pair is populated";
	else if (((lo | hi) & CL_PMD_TYPE_MASK) == 0 || tlo == 0 || thi == 0)
		e->bad = "fault descriptor with non-zero bits";
	else
		e->bad = "pair mixes a section and a page table";
}

/* What set_pte_ext leaves in the hardware table for a Linux PTE: a valid
 * entry only when the page is present and young (an old page is mapped
 * invalid so the next access faults and sets young).  v6/v7 also clear it
 * for PROT_NONE; v4/v5 map PROT_NONE kernel-only, so both are accepted. */
static int cl_hw_mismatch(uint32_t lx, uint32_t hw)
{
	int hw_valid = (hw & CL_HW_TYPE_MASK) != 0;
	if (!(lx & CL_PRESENT) || !(lx & CL_YOUNG))
		return hw != 0;
	if (!hw_valid)
		return !(lx & CL_NONE);
	return (hw & 0xfffff000u) != (lx & 0xfffff000u);
}

static void cl_decode_pte(uint32_t lx, uint32_t hw, struct pgt_entry *e)
{
	int mismatch = cl_hw_mismatch(lx, hw);

	e->raw = lx;
	e->raw_hw = hw;
	if (mismatch)
		e->flags |= PGT_F_HW_MISMATCH;
	if (!lx) {
		if (hw) {
			e->kind = PGT_E_BAD;
			e->bad = "hardware PTE maps a page where the Linux PTE is empty";
		} else
			e->kind = PGT_E_NONE;
		return;
	}
	if (!(lx & CL_PRESENT)) {
		set_swap(e, lx);
		return;
	}
	e->kind = PGT_E_LEAF;
	e->pa = lx & 0xfffff000u;
	if (hw & CL_HW_TYPE_MASK)
		e->flags |= PGT_F_HWVALID;
	if (lx & CL_YOUNG)
		e->flags |= PGT_F_ACCESSED;
	if (lx & CL_DIRTY)
		e->flags |= PGT_F_DIRTY;
	if (lx & CL_RDONLY)
		e->flags |= PGT_F_RDONLY;
	else
		e->flags |= PGT_F_WRITE;
	if (lx & CL_USER)
		e->flags |= PGT_F_USER;
	if (lx & CL_XN)
		e->flags |= PGT_F_NX;
	if (lx & CL_NONE)
		e->flags |= PGT_F_PROTNONE;
}

static void classic_decode(const struct pgt_paging *pg, unsigned level, const uint8_t *tbl,
			   unsigned idx, struct pgt_entry *e)
{
	if (level == 0) {
		uint32_t lo = pgt_ld32(tbl + (size_t)idx * 8, pg->big_endian);
		uint32_t hi = pgt_ld32(tbl + (size_t)idx * 8 + 4, pg->big_endian);
		e->raw = (uint64_t)lo | ((uint64_t)hi << 32);
		cl_decode_pgd(lo, hi, idx, e);
		return;
	}
	cl_decode_pte(pgt_ld32(tbl + (size_t)idx * 4, pg->big_endian),
		      pgt_ld32(tbl + CL_HWTABLE_OFF + (size_t)idx * 4, pg->big_endian), e);
}

/* ================= setup ================= */

/* Which format the dump's kernel was built for: 1 LPAE, 0 classic. */
static pgt_status arm_format(struct pgt_dump *d, int *lpae, const char **how, struct pgt_err *err)
{
	const char *vi = d->si->vmcoreinfo;
	char buf[16];
	int from_vi = -1, from_pte = -1, from_pmd = -1;
	int64_t pte_sz = d->prof.struct_size[S_pte_t], pmd_sz = d->prof.struct_size[S_pmd_t];

	/* arch_crash_save_vmcoreinfo() writes CONFIG_ARM_LPAE=y on LPAE
	 * builds only; a kernel-written note always has OSRELEASE. */
	if (vi && pgt_vmci_get(vi, "CONFIG_ARM_LPAE", buf, sizeof buf))
		from_vi = buf[0] == 'y';
	else if (vi && pgt_vmci_get(vi, "OSRELEASE", buf, sizeof buf))
		from_vi = 0;
	if (pte_sz == 8 || pte_sz == 4)
		from_pte = pte_sz == 8;
	if (pmd_sz == 8 || pmd_sz == 4)
		from_pmd = pmd_sz == 8;

	int v = from_vi >= 0 ? from_vi : from_pte >= 0 ? from_pte : from_pmd;
	if (v < 0)
		return pgt_fail(err, PGT_EINPUT,
				"%s: cannot tell ARM LPAE from classic paging: no VMCOREINFO and no "
				"pte_t/pmd_t sizes in the kernel types",
				d->path);
	if ((from_pte >= 0 && from_pte != v) || (from_pmd >= 0 && from_pmd != v))
		return pgt_fail(err, PGT_EINPUT,
				"%s: ARM paging facts disagree: VMCOREINFO %s, pte_t %lld bytes, pmd_t %lld bytes",
				d->path, from_vi < 0 ? "absent" : from_vi ? "has CONFIG_ARM_LPAE=y" : "lacks CONFIG_ARM_LPAE",
				(long long)pte_sz, (long long)pmd_sz);
	*lpae = v;
	*how = from_vi >= 0 ? (v ? "VMCOREINFO has CONFIG_ARM_LPAE=y" : "VMCOREINFO lacks CONFIG_ARM_LPAE")
	       : from_pte >= 0 ? "from sizeof(pte_t)" : "from sizeof(pmd_t)";
	return PGT_OK;
}

/* A kernel symbol: profile first, else the dump's VMCOREINFO. */
static uint64_t arm_sym(struct pgt_dump *d, enum pgt_ksym_id id, const char *name)
{
	uint64_t v = pgt_sym(d, id);
	char key[96];
	if (!v && d->si->vmcoreinfo) {
		snprintf(key, sizeof key, "SYMBOL(%s)", name);
		pgt_vmci_hex(d->si->vmcoreinfo, key, &v);
	}
	return v;
}

static int vmci_num(const char *vi, const char *key, uint64_t *out)
{
	char buf[64], *end;
	if (!vi || !pgt_vmci_get(vi, key, buf, sizeof buf))
		return 0;
	*out = strtoull(buf, &end, 0);
	return end != buf;
}

struct arm_probe {
	uint64_t page_offset;
	uint64_t swapper;          /* swapper_pg_dir VA */
	uint64_t init_mm, mm_pgd_off;
	uint64_t banner;           /* linux_banner VA */
	uint64_t uts_release;      /* VA of init_uts_ns.name.release */
	char release[128];
	unsigned checks;
};

static pgt_status read_u32_pa(struct pgt_dump *d, uint64_t pa, uint32_t *out)
{
	uint8_t b[4];
	struct pgt_err e = {0};
	if (pgt_read_pa(d, pa, b, 4, &e) != PGT_OK)
		return e.status ? e.status : PGT_ENOMAP;
	*out = pgt_ld32(b, d->si->big_endian);
	return PGT_OK;
}

/* Does lowmem starting at physical phys hold this kernel?  Every check that
 * the dump allows must pass: init_mm.pgd points at swapper_pg_dir, and the
 * banner / utsname carry the release. */
static int phys_offset_fits(struct pgt_dump *d, const struct arm_probe *p, uint64_t phys)
{
	struct pgt_err e = {0};
	char s[160];
	uint32_t w;
	unsigned done = 0;

#define PA(va) ((va) - p->page_offset + phys)
	if (p->init_mm && p->mm_pgd_off != (uint64_t)PGT_ABSENT) {
		if (read_u32_pa(d, PA(p->init_mm + p->mm_pgd_off), &w) || w != p->swapper)
			return 0;
		done++;
	}
	if (p->banner) {
		size_t n = strlen("Linux version ");
		if (pgt_read_pa(d, PA(p->banner), s, sizeof s - 1, &e))
			return 0;
		s[sizeof s - 1] = 0;
		if (strncmp(s, "Linux version ", n))
			return 0;
		if (p->release[0] && (strncmp(s + n, p->release, strlen(p->release)) ||
				      s[n + strlen(p->release)] != ' '))
			return 0;
		done++;
	}
	if (p->uts_release && p->release[0]) {
		size_t n = strlen(p->release);
		if (pgt_read_pa(d, PA(p->uts_release), s, n + 1, &e) || memcmp(s, p->release, n + 1))
			return 0;
		done++;
	}
#undef PA
	return done > 0;
}

/* CONFIG_KUSER_HELPERS: the vectors page is the gate VMA of every mm
 * (kernel/process.c), named "[vectors]" by arch_vma_name().  The symbol
 * exists only with that option; its fields are set by an initcall. */
static void arm_gate(struct pgt_paging *pg, struct pgt_dump *d)
{
	struct pgt_err e = {0};
	uint64_t va = pgt_sym(d, Y_gate_vma), start, end, flags;
	if (!va || pgt_read_field(d, va, F_vma_start, &start, &e) ||
	    pgt_read_field(d, va, F_vma_end, &end, &e) || pgt_read_field(d, va, F_vma_flags, &flags, &e))
		return;
	if (end <= start || end > VA_END || start < pg->user_end)
		return;
	pg->gate_start = start;
	pg->gate_end = end;
	pg->gate_flags = flags;
	pg->gate_name = "[vectors]";
}

static pgt_status arm_setup(struct pgt_paging *pg, struct pgt_dump *d, int want_lpae,
			    struct pgt_err *err)
{
	const char *vi = d->si->vmcoreinfo;
	struct arm_probe p;
	const char *how = "", *phys_how = "", *po_how = "swapper_pg_dir";
	int lpae = 0;
	uint64_t phys = 0, v;
	pgt_status st;

	st = arm_format(d, &lpae, &how, err);
	if (st)
		return st;
	if (lpae != want_lpae)
		return pgt_fail(err, PGT_ENOTFOUND, "%s: kernel uses ARM %s paging (%s)", d->path,
				lpae ? "LPAE" : "classic", how);

	memset(&p, 0, sizeof p);
	p.swapper = arm_sym(d, Y_swapper_pg_dir, "swapper_pg_dir");
	if (!p.swapper)
		return pgt_fail(err, PGT_EINPUT,
				"%s: swapper_pg_dir unknown (not in the kernel types nor in VMCOREINFO)",
				d->path);

	/* PAGE_OFFSET: head.S puts swapper_pg_dir at PAGE_OFFSET + TEXT_OFFSET -
	 * PG_DIR_SIZE, with TEXT_OFFSET < 16 MiB and PAGE_OFFSET a multiple
	 * of 16 MiB (every VMSPLIT choice is).  VMCOREINFO wins if it says. */
	if (vmci_num(vi, "NUMBER(PAGE_OFFSET)", &v)) {
		p.page_offset = v;
		po_how = "VMCOREINFO";
	} else
		p.page_offset = p.swapper & ~(SZ_16M - 1);
	if (p.page_offset >= VA_END || p.swapper < p.page_offset)
		return pgt_fail(err, PGT_EINPUT, "%s: PAGE_OFFSET 0x%llx does not fit swapper_pg_dir 0x%llx",
				d->path, (unsigned long long)p.page_offset, (unsigned long long)p.swapper);

	/* PHYS_OFFSET: VMCOREINFO if it says; else the one 2 MiB step (the
	 * granule of __pv_offset, phys2virt.S) at which the dump's lowmem
	 * holds this kernel's data where its symbols say. */
	if (vmci_num(vi, "NUMBER(PHYS_OFFSET)", &v)) {
		phys = v;
		phys_how = "VMCOREINFO";
	} else {
		uint64_t found[2] = {0, 0};
		unsigned nfound = 0;
		uint64_t limit = d->si->max_pa ? d->si->max_pa : VA_END;
		p.init_mm = arm_sym(d, Y_init_mm, "init_mm");
		p.mm_pgd_off = pgt_has_field(&d->prof, F_mm_pgd) ? pgt_field_off(d, F_mm_pgd)
								 : (uint64_t)PGT_ABSENT;
		p.banner = arm_sym(d, Y_linux_banner, "linux_banner");
		if (!vi || !pgt_vmci_get(vi, "OSRELEASE", p.release, sizeof p.release))
			snprintf(p.release, sizeof p.release, "%s", d->prof.osrelease);
		int64_t uts_name;
		uint64_t uts = arm_sym(d, Y_init_uts_ns, "init_uts_ns");
		/* struct new_utsname: sysname[65], nodename[65], release[65] */
		if (uts && pgt_vmci_dec(vi, "OFFSET(uts_namespace.name)", &uts_name))
			p.uts_release = uts + (uint64_t)uts_name + 2 * 65;
		for (uint64_t c = 0; c < limit && nfound < 2; c += SZ_2M)
			if (phys_offset_fits(d, &p, c))
				found[nfound++] = c;
		if (nfound != 1)
			return pgt_fail(err, PGT_EINPUT,
					nfound ? "%s: PHYS_OFFSET ambiguous: kernel data fits both 0x%llx and 0x%llx"
					       : "%s: PHYS_OFFSET not found: no 2 MiB step of physical memory below "
						 "0x%llx holds init_mm/linux_banner where PAGE_OFFSET 0x%llx puts them",
					d->path, nfound ? (unsigned long long)found[0] : (unsigned long long)limit,
					nfound ? (unsigned long long)found[1] : (unsigned long long)p.page_offset);
		phys = found[0];
		phys_how = "kernel data";
	}

	pg->levels = lpae ? lpae_levels : classic_levels;
	pg->nlevels = lpae ? 3 : 2;
	pg->page_shift = 12;
	pg->va_bits = 32;
	pg->page_offset = p.page_offset;
	pg->phys_offset = phys;
	pg->user_end = p.page_offset - SZ_16M; /* TASK_SIZE = MODULES_VADDR (memory.h, no KASAN/Thumb-2) */
	/* The kernel half, as compared with swapper_pg_dir, starts at the
	 * modules area: classic copies its pgd entries at pgd_alloc(); LPAE
	 * keeps it in the process's own PMD of that GiB. */
	pg->kernel_start = pg->user_end;
	pg->first_user_address = 2 * 4096; /* FIRST_USER_ADDRESS (pgtable.h) */
	pg->kernel_root_pa = p.swapper - p.page_offset + phys;
	/* 6.1 swap types on 32-bit ARM: MAX_SWAPFILES_SHIFT 5; with
	 * CONFIG_MIGRATION three migration types follow 28 real ones, then
	 * SWP_SWAPIN_ERROR (no device-private, hwpoison or pte markers here). */
	pg->swp_type_bits = 5;
	pg->swp_first_special = 28;
	pg->migration_first = 28;
	pg->migration_count = 3;

	/* FLATMEM's mem_map starts at ARCH_PFN_OFFSET, which ARM defines as
	 * PHYS_PFN_OFFSET (memory.h), not at pfn 0. */
	d->memmap_pfn0 = phys >> 12;

	/* lowmem ends at high_memory; without it every kernel address is
	 * walked through swapper_pg_dir instead. */
	uint64_t hm_va = arm_sym(d, Y_high_memory, "high_memory");
	uint32_t hm = 0;
	pg->lowmem_end = p.page_offset;
	if (hm_va && hm_va >= p.page_offset &&
	    read_u32_pa(d, hm_va - p.page_offset + phys, &hm) == PGT_OK && hm > p.page_offset)
		pg->lowmem_end = hm;

	arm_gate(pg, d);

	/* Only LPAE selects ARCH_HAS_PTE_SPECIAL: on classic, vm_normal_page()
	 * tells the zero page by its pfn.  ZERO_PAGE() is a struct page
	 * pointer here (mm/mmu.c), not the page itself. */
	pg->has_pte_special = lpae;
	uint64_t zp_va = pgt_sym(d, Y_empty_zero_page), zp = 0, zpfn;
	struct pgt_err e2 = {0};
	if (zp_va && pgt_read_ptr(d, zp_va, &zp, &e2) == PGT_OK && zp &&
	    pgt_page_to_pfn(d, zp, &zpfn, &e2) == PGT_OK)
		d->zero_pfn = zpfn;

	int n = snprintf(pg->desc, sizeof pg->desc, "arm-%s: PAGE_OFFSET 0x%x from %s, PHYS_OFFSET 0x%llx from %s",
			 lpae ? "lpae" : "classic", (unsigned)p.page_offset, po_how,
			 (unsigned long long)phys, phys_how);
	if (n > 0 && (size_t)n < sizeof pg->desc) {
		if (pg->lowmem_end > p.page_offset)
			snprintf(pg->desc + n, sizeof pg->desc - (size_t)n, ", lowmem to 0x%x",
				 (unsigned)pg->lowmem_end);
		else
			snprintf(pg->desc + n, sizeof pg->desc - (size_t)n, ", high_memory unknown");
	}
	return PGT_OK;
}

static pgt_status lpae_setup(struct pgt_paging *pg, struct pgt_dump *d, struct pgt_err *err)
{
	return arm_setup(pg, d, 1, err);
}

static pgt_status classic_setup(struct pgt_paging *pg, struct pgt_dump *d, struct pgt_err *err)
{
	return arm_setup(pg, d, 0, err);
}

/* ================= forensic hooks ================= */

#define MODULES_VADDR(pg) ((pg)->page_offset - SZ_16M)

/* pgd slots of LPAE kernels (arch/arm/mm/pgd.c, fault.c).  From
 * PAGE_OFFSET >> 30 up, pgd_alloc() copies swapper's entries, each with
 * L_PGD_SWAPPER so that pgd_free() leaves those PMDs alone; the slot of
 * MODULES_VADDR is the process's own PMD (pgd_free() frees it), whose
 * modules/pkmap entries do_translation_fault() copies from init_mm when
 * the kernel first touches them in this mm. */
static int lpae_kernel_slot(const struct pgt_paging *pg, unsigned level, unsigned index,
			    const struct pgt_entry *proc, const struct pgt_entry *kern, const char **check,
			    const char **severity, char *msg, size_t len)
{
	const unsigned mod_slot = (unsigned)(MODULES_VADDR(pg) >> 30);
	int flag = (proc->raw & LP_PGD_SWAPPER) != 0;
	int same = proc->kind == PGT_E_TABLE && kern->kind == PGT_E_TABLE && proc->pa == kern->pa;

	if (level == 1) { /* an entry of the process's modules PMD */
		if (proc->kind == PGT_E_NONE && kern->kind != PGT_E_NONE) {
			*check = "kernel-entry-unsynced";
			*severity = "info";
			snprintf(msg, len,
				 "modules/pkmap pmd entry %u not yet copied from init_mm: do_translation_fault() "
				 "fills it when the kernel first touches that address in this mm",
				 index);
			return 1;
		}
		return 0;
	}
	if (level != 0 || proc->kind != PGT_E_TABLE || kern->kind != PGT_E_TABLE)
		return 0;
	if (index == mod_slot) {
		if (!flag && !same)
			return 3;
		*check = flag && same ? "modules-pmd-shared" : "swapper-flag-mismatch";
		*severity = flag && same ? "warning" : "error";
		if (flag && same)
			snprintf(msg, len,
				 "pgd slot %u (modules) uses swapper's PMD 0x%llx instead of its own: "
				 "do_translation_fault() copied swapper's entry into an emptied slot; user "
				 "mappings of this GiB would go into the kernel's table",
				 index, (unsigned long long)kern->pa);
		else if (flag)
			snprintf(msg, len,
				 "pgd slot %u (modules) points at PMD 0x%llx but carries L_PGD_SWAPPER: pgd_free() "
				 "will not free it (leak); swapper's PMD there is 0x%llx",
				 index, (unsigned long long)proc->pa, (unsigned long long)kern->pa);
		else
			snprintf(msg, len,
				 "pgd slot %u (modules) points at swapper's PMD 0x%llx without L_PGD_SWAPPER: "
				 "pgd_free() would free the kernel's PMD",
				 index, (unsigned long long)kern->pa);
		return 1;
	}
	if (flag && same)
		return proc->raw == kern->raw ? 2 : 0;
	if (flag || same) {
		*check = "swapper-flag-mismatch";
		*severity = "error";
		if (flag)
			snprintf(msg, len,
				 "pgd slot %u carries L_PGD_SWAPPER but points at PMD 0x%llx, not swapper's 0x%llx: "
				 "pgd_free() will not free it (leak)",
				 index, (unsigned long long)proc->pa, (unsigned long long)kern->pa);
		else
			snprintf(msg, len,
				 "pgd slot %u points at swapper's PMD 0x%llx without L_PGD_SWAPPER: pgd_free() "
				 "would free the kernel's PMD (double free)",
				 index, (unsigned long long)kern->pa);
		return 1;
	}
	return 0;
}

/* The modules PMD exists from pgd_alloc() to pgd_free() whatever the VMAs. */
static const char *lpae_table_by_design(const struct pgt_paging *pg, unsigned level, uint64_t va,
					uint64_t end)
{
	uint64_t m = MODULES_VADDR(pg);
	if (level == 1 && va <= m && (end == 0 || m < end))
		return "pgd_alloc() gives each mm its own PMD for the GiB holding MODULES_VADDR";
	return NULL;
}

/* Classic kernels copy the kernel's pgd entries at pgd_alloc(); later
 * changes reach a process lazily: modules and other kernel-space entries
 * through do_translation_fault(), vmalloc ones also at switch_mm() when
 * init_mm's vmalloc_seq moved on.  An entry missing here is not wrong. */
static int classic_kernel_slot(const struct pgt_paging *pg, unsigned level, unsigned index,
			       const struct pgt_entry *proc, const struct pgt_entry *kern, const char **check,
			       const char **severity, char *msg, size_t len)
{
	if (level == 0 && proc->kind == PGT_E_NONE && kern->kind != PGT_E_NONE) {
		*check = "kernel-entry-unsynced";
		*severity = "info";
		snprintf(msg, len,
			 "kernel-half pgd entry %u is empty here but set in swapper_pg_dir: not yet copied "
			 "(do_translation_fault() or the vmalloc_seq check at switch_mm() fills it)",
			 index);
		return 1;
	}
	return 0;
}

/* ================= roots, linear map, describe ================= */

static pgt_status lpae_mm_root(const struct pgt_paging *pg, const struct pgt_mm_regs *regs,
			       struct pgt_root *root, struct pgt_err *err)
{
	/* a kmalloc'ed 32-byte array; TTBR needs 32-byte alignment */
	return pgt_root_table(regs->pgd_pa, 32, 0, VA_END, 4, "LPAE pgd", root, err);
}

static pgt_status classic_mm_root(const struct pgt_paging *pg, const struct pgt_mm_regs *regs,
				  struct pgt_root *root, struct pgt_err *err)
{
	return pgt_root_table(regs->pgd_pa, 0x4000, 0, VA_END, 2048, "classic pgd", root, err);
}

static int arm_kva_linear(const struct pgt_paging *pg, uint64_t va, uint64_t *pa)
{
	if (va < pg->page_offset || va >= pg->lowmem_end)
		return 0;
	*pa = va - pg->page_offset + pg->phys_offset;
	return 1;
}

/* Appends " name" for each set bit in the list. */
struct bitname {
	uint64_t bit;
	const char *name;
};

static void put_bits(char *buf, size_t len, uint64_t v, const struct bitname *b, unsigned n)
{
	size_t o = strlen(buf);
	for (unsigned i = 0; i < n && o < len; i++)
		if (v & b[i].bit)
			o += (size_t)snprintf(buf + o, len - o, " %s", b[i].name);
}

static const char *kind_name(enum pgt_ekind k)
{
	switch (k) {
	case PGT_E_NONE: return "none";
	case PGT_E_TABLE: return "table";
	case PGT_E_LEAF: return "leaf";
	case PGT_E_SWAP: return "swap";
	default: return "bad";
	}
}

/* Appends the kind-specific tail (address, swap fields, why bad). */
static void put_tail(char *buf, size_t len, const struct pgt_entry *e)
{
	size_t o = strlen(buf);
	if (o >= len)
		return;
	if (e->kind == PGT_E_TABLE || e->kind == PGT_E_LEAF)
		snprintf(buf + o, len - o, " -> 0x%llx", (unsigned long long)e->pa);
	else if (e->kind == PGT_E_SWAP)
		snprintf(buf + o, len - o, " type %u offset 0x%llx", e->swp_type,
			 (unsigned long long)e->swp_offset);
	else if (e->kind == PGT_E_BAD)
		snprintf(buf + o, len - o, " (%s)", e->bad ? e->bad : "malformed");
}

static void lpae_describe(const struct pgt_paging *pg, unsigned level, const struct pgt_entry *e,
			  char *buf, size_t len)
{
	static const struct bitname pgd_bits[] = {
		{LP_VALID, "V"}, {LP_TABLE, "T"}, {LP_PGD_SWAPPER, "L_PGD_SWAPPER"},
	};
	static const struct bitname leaf_bits[] = {
		{LP_VALID, "V"}, {LP_TABLE, "T"}, {LP_USER, "USER"}, {LP_AP2, "AP2"},
		{LP_AF, "AF(young)"}, {LP_NG, "nG"}, {LP_PXN, "PXN"}, {LP_XN, "XN"},
		{LP_DIRTY, "DIRTY"}, {LP_SPECIAL, "SPECIAL"}, {LP_NONE, "NONE"}, {LP_RDONLY, "RDONLY"},
	};
	if (!len)
		return;
	snprintf(buf, len, "%s 0x%016llx %s:", pg->levels ? pg->levels[level].name : "?",
		 (unsigned long long)e->raw, kind_name(e->kind));
	if (level == 0)
		put_bits(buf, len, e->raw, pgd_bits, 3);
	else if (e->kind != PGT_E_SWAP)
		put_bits(buf, len, e->raw, leaf_bits, sizeof leaf_bits / sizeof leaf_bits[0]);
	if (level == 1 && e->kind == PGT_E_LEAF && !(e->raw & LP_VALID)) {
		size_t o = strlen(buf);
		if (o < len)
			snprintf(buf + o, len - o, " [PROT_NONE block: 6.1 pmd_present() is false]");
	}
	if (e->flags & PGT_F_HW_MISMATCH) {
		size_t o = strlen(buf);
		if (o < len)
			snprintf(buf + o, len - o, " [MMU valid bit disagrees with Linux (PROT_NONE)]");
	}
	put_tail(buf, len, e);
}

static void classic_describe(const struct pgt_paging *pg, unsigned level, const struct pgt_entry *e,
			     char *buf, size_t len)
{
	static const struct bitname lbits[] = {
		{CL_PRESENT, "PRESENT"}, {CL_YOUNG, "YOUNG"}, {CL_DIRTY, "DIRTY"},
		{CL_RDONLY, "RDONLY"}, {CL_USER, "USER"}, {CL_XN, "XN"}, {CL_SHARED, "SHARED"},
		{CL_NONE, "NONE"},
	};
	if (!len)
		return;
	if (level == 0) {
		uint32_t lo = (uint32_t)e->raw, hi = (uint32_t)(e->raw >> 32);
		static const char *const type[] = {"fault", "table", "section", "section+PXN"};
		snprintf(buf, len, "pgd pair 0x%08x %s%s / 0x%08x %s%s: %s", lo, type[lo & 3],
			 (lo & 2) && (lo & CL_SECT_SUPER) ? "(super)" : "", hi, type[hi & 3],
			 (hi & 2) && (hi & CL_SECT_SUPER) ? "(super)" : "", kind_name(e->kind));
		put_tail(buf, len, e);
		return;
	}
	snprintf(buf, len, "pte linux 0x%08x hw 0x%08x %s:", (unsigned)e->raw, (unsigned)e->raw_hw,
		 kind_name(e->kind));
	if (e->kind != PGT_E_SWAP)
		put_bits(buf, len, e->raw, lbits, sizeof lbits / sizeof lbits[0]);
	if (e->flags & PGT_F_HW_MISMATCH) {
		size_t o = strlen(buf);
		if (o < len)
			snprintf(buf + o, len - o, " [HW MISMATCH]");
	}
	put_tail(buf, len, e);
}

const struct pgt_arch_ops pgt_arch_arm_lpae = {
	.name = "arm-lpae",
	.kdump_arch = "arm",
	.setup = lpae_setup,
	.decode = lpae_decode,
	.mm_root = lpae_mm_root,
	.kva_linear = arm_kva_linear,
	.table_by_design = lpae_table_by_design,
	.kernel_slot = lpae_kernel_slot,
	.describe = lpae_describe,
};

const struct pgt_arch_ops pgt_arch_arm_classic = {
	.name = "arm-classic",
	.kdump_arch = "arm",
	.setup = classic_setup,
	.decode = classic_decode,
	.mm_root = classic_mm_root,
	.kva_linear = arm_kva_linear,
	.kernel_slot = classic_kernel_slot,
	.describe = classic_describe,
};
