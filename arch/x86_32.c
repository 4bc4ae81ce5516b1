/* x86 32-bit paging: PAE (3 levels of 64-bit entries) and classic 2-level
 * (32-bit entries), decoded the way Linux 6.1 reads them (asm/pgtable.h,
 * pgtable_types.h, pgtable-3level*.h, pgtable-2level*.h, page_32_types.h).
 *
 * Both share the x86 flag bits.  Differences that matter here:
 * - PAE: NX at bit 63; non-present non-zero entries keep their frame
 *   inverted (L1TF); A/D-only values still count as empty; the PDPT holds
 *   only P, PWT, PCD, the address and software bits.
 * - 2-level: no NX, no inversion, and only an all-zero entry is empty.
 * 32-bit kernels have no soft-dirty, uffd-wp, devmap or swap-exclusive bits
 * (all are 64-bit only in 6.1), so those flags are never reported. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/arch.h"
#include "pgt/dump.h"
#include "pgt/endian.h"
#include "pgt/vmcoreinfo.h"

#define B(n) (1ull << (n))
#define E_P        B(0)
#define E_RW       B(1)
#define E_US       B(2)
#define E_PWT      B(3)
#define E_PCD      B(4)
#define E_A        B(5)
#define E_D        B(6)
#define E_PSE      B(7)   /* PAT on a 4 KiB pte */
#define E_G        B(8)
#define E_PROTNONE E_G    /* bit 8 means PROT_NONE when P is clear */
#define E_SW1      B(9)   /* _PAGE_SPECIAL on a pte */
#define E_SW2      B(10)
#define E_SW3      B(11)
#define E_PAT_LG   B(12)  /* PAT of a PSE page */
#define E_NX       B(63)  /* PAE only */

/* PAE: __PHYSICAL_MASK_SHIFT is 52 so that inverted frames keep all their
 * bits; PTE_PFN_MASK and PHYSICAL_PMD_PAGE_MASK below follow from it. */
#define PAE_PFN_MASK    0x000ffffffffff000ull
#define PAE_PMD_PG_MASK 0x000fffffffe00000ull
#define PAE_KNL_ERRATUM (E_A | E_D)
/* PGD_ALLOWED_BITS: all else is reserved in a PDPT entry. */
#define PAE_PGD_ALLOWED (PAE_PFN_MASK | E_P | E_PWT | E_PCD | E_SW1 | E_SW2 | E_SW3)
/* pmd_bad(): the flags of a table entry, USER and A aside. */
#define TABLE_FLAGS     (E_P | E_RW | E_D)

#define L2_PFN_MASK     0xfffff000u
#define L2_PSE_MASK     0xffc00000u
#define L2_PSE36_MASK   0x001fe000u /* bits 13..20: PA bits 32..39 for the MMU */

/* Swap entries: 5 type bits; the generic swp_entry_t of a 32-bit kernel keeps
 * BITS_PER_XA_VALUE - 5 = 26 offset bits (include/linux/swapops.h). */
#define SWP_TYPE_BITS    5
#define SWP_OFFSET_BITS  26
#define SWP_OFFSET_FIRST 9  /* _PAGE_BIT_PROTNONE + 1 */

/* pg->aux[] of PAE dumps, set by setup() from swapper's PTI user copy. */
#define AUX_PTI     0  /* PTI_UNKNOWN, PTI_OFF or PTI_ON */
#define AUX_LDT_IDX 1  /* PMD index of LDT_BASE_ADDR + 1 (0: unknown) */
enum { PTI_UNKNOWN = 0, PTI_OFF, PTI_ON };

/* pt_bytes: mm->pgtables_bytes counts every PMD page (preallocate_pmds()
 * calls mm_inc_nr_pmds() for all 4 PDPT slots, the kernel slot's copy
 * included when the kernel PMD is not shared, and under PTI also for the
 * PMD of each kernel slot of the user-mode copy, which mm->pgd does not
 * reach) and every PTE page; the PDPT itself is not counted. */
static const struct pgt_level pae_levels[] = {
	{"pgd", 30, 4, 8, 0, 0},   /* the PDPT: 4 entries, 32 bytes */
	{"pmd", 21, 512, 8, 0, 4096},
	{"pte", 12, 512, 8, 0, 4096},
};

static const struct pgt_level l2_levels[] = {
	{"pgd", 22, 1024, 4, 0, 0},
	{"pte", 12, 1024, 4, 0, 4096},
};

/* ---- pure decoders ---------------------------------------------------- */

/* Flags of an entry that is present for Linux (pte/pmd level). */
static uint32_t leaf_flags(uint64_t v, int at_pte)
{
	uint32_t f = 0;
	if (v & E_P) f |= PGT_F_HWVALID;
	if (v & E_RW) f |= PGT_F_WRITE;
	if (v & E_US) f |= PGT_F_USER;
	if (v & E_D) f |= PGT_F_DIRTY;
	if (v & E_A) f |= PGT_F_ACCESSED;
	if (v & E_NX) f |= PGT_F_NX;
	if (v & E_G) f |= (v & E_P) ? PGT_F_GLOBAL : PGT_F_PROTNONE;
	/* 32-bit x86 has pte_special() only; no pmd_special() in 6.1. */
	if (at_pte && (v & E_SW1)) f |= PGT_F_SPECIAL;
	return f;
}

/* pgtable-3level.h: type in bits 59..63, offset inverted in bits 9..58,
 * narrowed to the 26 bits a 32-bit swp_entry_t holds. */
static void pae_swap(uint64_t v, struct pgt_entry *e)
{
	e->kind = PGT_E_SWAP;
	e->swp_type = (unsigned)(v >> (64 - SWP_TYPE_BITS));
	e->swp_offset = (~v >> SWP_OFFSET_FIRST) & (B(SWP_OFFSET_BITS) - 1);
}

/* pgtable-2level.h: type in bits 1..5, offset from bit 9 up. */
static void l2_swap(uint32_t v, struct pgt_entry *e)
{
	e->kind = PGT_E_SWAP;
	e->swp_type = (v >> 1) & ((1u << SWP_TYPE_BITS) - 1);
	e->swp_offset = (uint64_t)(v >> SWP_OFFSET_FIRST) & (B(SWP_OFFSET_BITS) - 1);
}

static void pae_pdpt(uint64_t raw, struct pgt_entry *e)
{
	uint64_t v = raw & PAE_PGD_ALLOWED; /* native_pgd_val() */
	if (!v) {
		e->kind = PGT_E_NONE;
		return;
	}
	if (!(v & E_P)) {
		e->kind = PGT_E_BAD;
		e->bad = "PDPT entry not present but not empty";
		return;
	}
	/* PWT/PCD/software bits make pud_bad() true, but the CPU still uses the
	 * table: follow it; describe() names the bits. */
	e->kind = PGT_E_TABLE;
	e->flags = PGT_F_HWVALID;
	e->pa = v & PAE_PFN_MASK;
	e->next_level = 1;
	e->next_lo = 0;
	e->next_hi = 511;
}

/* A page-directory entry: PAE pmd or 2-level pgd (which Linux reads as its
 * folded pmd).  pmd_present() counts P, PROTNONE and PSE (a THP being split
 * has P clear, PSE set).  A present non-PSE entry is followed even when
 * pmd_bad() would object: PTI sets G on the PMDs it shares with the user
 * copy (pti_clone_pgtable), and the CPU walks such tables all the same. */
static void pd_entry(uint64_t v, int pae, unsigned level, struct pgt_entry *e)
{
	if (!(v & (E_P | E_PROTNONE | E_PSE))) {
		/* Not present, not none: only hugetlb puts swap-format entries
		 * (hwpoison) here on 32-bit; they use the pte layout. */
		if (pae)
			pae_swap(v, e);
		else
			l2_swap((uint32_t)v, e);
		e->flags |= PGT_F_HUGE;
		return;
	}
	if (v & E_PSE) {
		e->kind = PGT_E_LEAF;
		e->flags = leaf_flags(v, 0) | PGT_F_HUGE;
		if (pae) {
			/* pmd_pfn(): frames of non-present entries are inverted. */
			e->pa = ((v & E_P) ? v : ~v) & PAE_PMD_PG_MASK;
		} else {
			/* phys_addr_t is 32 bits without PAE: pmd_pfn() drops the
			 * PSE-36 bits, while a PSE-36 CPU would use them. */
			e->pa = v & L2_PSE_MASK;
			if (v & L2_PSE36_MASK)
				e->flags |= PGT_F_HW_MISMATCH;
		}
		return;
	}
	if (!(v & E_P)) {
		e->kind = PGT_E_BAD;
		e->bad = "PROT_NONE bit on a page-table entry (pmd_bad)";
		return;
	}
	e->kind = PGT_E_TABLE;
	e->flags = leaf_flags(v, 0);
	e->pa = v & (pae ? PAE_PFN_MASK : L2_PFN_MASK);
	e->next_level = level + 1;
	e->next_lo = 0;
	e->next_hi = pae ? 511 : 1023;
}

static void pae_entry(unsigned level, uint64_t v, struct pgt_entry *e)
{
	memset(e, 0, sizeof *e);
	e->raw = v;
	switch (level) {
	case 0:
		pae_pdpt(v, e);
		return;
	case 1:
		/* pmd_none() looks at the low word only. */
		if (!((uint32_t)v & ~(uint32_t)PAE_KNL_ERRATUM)) {
			e->kind = PGT_E_NONE;
			return;
		}
		pd_entry(v, 1, level, e);
		return;
	case 2:
		if (!(v & ~PAE_KNL_ERRATUM)) {
			e->kind = PGT_E_NONE;
			return;
		}
		if (v & (E_P | E_PROTNONE)) {
			e->kind = PGT_E_LEAF;
			e->flags = leaf_flags(v, 1);
			e->pa = ((v & E_P) ? v : ~v) & PAE_PFN_MASK;
			return;
		}
		pae_swap(v, e);
		return;
	default:
		e->kind = PGT_E_BAD;
		e->bad = "no such PAE level";
	}
}

static void l2_entry(unsigned level, uint32_t v, struct pgt_entry *e)
{
	memset(e, 0, sizeof *e);
	e->raw = v;
	if (!v) { /* _PAGE_KNL_ERRATUM_MASK is 0 without PAE */
		e->kind = PGT_E_NONE;
		return;
	}
	switch (level) {
	case 0:
		pd_entry(v, 0, level, e);
		return;
	case 1:
		if (v & (E_P | E_PROTNONE)) {
			e->kind = PGT_E_LEAF;
			e->flags = leaf_flags(v, 1);
			e->pa = v & L2_PFN_MASK;
			return;
		}
		l2_swap(v, e);
		return;
	default:
		e->kind = PGT_E_BAD;
		e->bad = "no such 2-level level";
	}
}

static void pae_decode(const struct pgt_paging *pg, unsigned level, const uint8_t *tbl,
		       unsigned idx, struct pgt_entry *e)
{
	pae_entry(level, pgt_ld64(tbl + (size_t)idx * 8, 0), e);
}

static void l2_decode(const struct pgt_paging *pg, unsigned level, const uint8_t *tbl,
		      unsigned idx, struct pgt_entry *e)
{
	l2_entry(level, pgt_ld32(tbl + (size_t)idx * 4, 0), e);
}

/* ---- describe --------------------------------------------------------- */

struct sbuf {
	char *p;
	size_t len, used;
};

static void put(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	if (s->used >= s->len)
		return;
	if (!s->used && fmt[0] == ' ')
		fmt++; /* no separator before the first word */
	va_start(ap, fmt);
	int n = vsnprintf(s->p + s->used, s->len - s->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->used += (size_t)n;
}

/* Names the bits of a present / table entry. */
static void put_bits(struct sbuf *s, uint64_t v, int pae, int at_pte)
{
	if (v & E_P) put(s, " P");
	if (v & E_RW) put(s, " RW");
	if (v & E_US) put(s, " US");
	if (v & E_PWT) put(s, " PWT");
	if (v & E_PCD) put(s, " PCD");
	if (v & E_A) put(s, " A");
	if (v & E_D) put(s, " D");
	if (v & E_PSE) put(s, at_pte ? " PAT" : " PSE");
	if (v & E_G) put(s, (v & E_P) ? " G" : " PROTNONE");
	if (v & E_SW1) put(s, at_pte ? " SPECIAL" : " SW1");
	if (v & E_SW2) put(s, " SW2");
	if (v & E_SW3) put(s, " SW3");
	if (!at_pte && (v & E_PSE) && (v & E_PAT_LG)) put(s, " PATL");
	if (pae && (v & E_NX)) put(s, " NX");
	if (pae && (v & 0x7ff0000000000000ull))
		put(s, " hi=0x%llx", (unsigned long long)((v >> 52) & 0x7ff));
}

/* The caller prints the raw value, the kind and the target; this names the
 * bits and says what is unusual. */
static void describe_common(struct sbuf *s, unsigned level, const struct pgt_entry *e, int pae)
{
	uint64_t v = e->raw;
	int at_pte = level == (pae ? 2u : 1u);

	switch (e->kind) {
	case PGT_E_NONE:
		if (v)
			put(s, "(ignored bits 0x%llx)", (unsigned long long)v);
		return;
	case PGT_E_TABLE:
		if (pae && level == 0) {
			put_bits(s, v & PAE_PGD_ALLOWED, 1, 0);
			if (v & (E_PWT | E_PCD | E_SW1 | E_SW2 | E_SW3))
				put(s, " (pud_bad() flags)");
			/* native_pgd_val() ignores the rest; the CPU may set A
			 * here (seen in dumps taken under QEMU TCG). */
			if (v & ~PAE_PGD_ALLOWED)
				put(s, " (ignored bits 0x%llx)", (unsigned long long)(v & ~PAE_PGD_ALLOWED));
			return;
		}
		put_bits(s, v, pae, 0);
		/* pmd_flags() that pmd_bad() rejects; G aside, which PTI sets. */
		if (((v & (pae ? ~PAE_PFN_MASK : (uint64_t)~L2_PFN_MASK)) & ~(E_US | E_A | E_G)) !=
		    TABLE_FLAGS)
			put(s, " (pmd_bad() flags)");
		return;
	case PGT_E_LEAF:
		put_bits(s, v, pae, at_pte);
		if (!(v & E_P) && !(v & E_G))
			put(s, " (not present: huge page being split)");
		if (pae && !(v & E_P))
			put(s, " (frame stored inverted)");
		if (e->flags & PGT_F_HW_MISMATCH)
			put(s, " (PSE-36 bits: the MMU maps 0x%llx, Linux ignores them)",
			    (unsigned long long)(e->pa | (uint64_t)((v & L2_PSE36_MASK) >> 13) << 32));
		return;
	case PGT_E_SWAP:
		put(s, "swap type %u offset 0x%llx%s", e->swp_type, (unsigned long long)e->swp_offset,
		    (e->flags & PGT_F_HUGE) ? " (huge)" : "");
		/* Swap code writes the offset inverted with all upper bits set. */
		if (pae && (~v & 0x07fffff800000000ull))
			put(s, " (offset bits above 26 not all set: not written by swap code)");
		return;
	case PGT_E_BAD:
		put_bits(s, v, pae, at_pte);
		if (pae && level == 0 && (v & ~PAE_PGD_ALLOWED))
			put(s, " (ignored bits 0x%llx)", (unsigned long long)(v & ~PAE_PGD_ALLOWED));
		return;
	}
}

static void pae_describe(const struct pgt_paging *pg, unsigned level, const struct pgt_entry *e,
			 char *buf, size_t len)
{
	struct sbuf s = {buf, len, 0};
	if (len)
		buf[0] = 0;
	describe_common(&s, level, e, 1);
}

static void l2_describe(const struct pgt_paging *pg, unsigned level, const struct pgt_entry *e,
			char *buf, size_t len)
{
	struct sbuf s = {buf, len, 0};
	if (len)
		buf[0] = 0;
	describe_common(&s, level, e, 0);
}

/* ---- roots and linear map --------------------------------------------- */

static pgt_status pae_mm_root(const struct pgt_paging *pg, const struct pgt_mm_regs *regs,
			      struct pgt_root *root, struct pgt_err *err)
{
	/* CR3 holds a 32-byte aligned PDPT below 4 GiB */
	return pgt_root_table(regs->pgd_pa, 32, B(32), B(32), 4, "PAE PDPT", root, err);
}

static pgt_status l2_mm_root(const struct pgt_paging *pg, const struct pgt_mm_regs *regs,
			     struct pgt_root *root, struct pgt_err *err)
{
	return pgt_root_table(regs->pgd_pa, 4096, B(32), B(32), 1024, "2-level pgd", root, err);
}

/* Lowmem is the only linear range; vmalloc, pkmap and fixmap are walked. */
static int x86_32_kva_linear(const struct pgt_paging *pg, uint64_t va, uint64_t *pa)
{
	if (va >= pg->page_offset && va < pg->lowmem_end) {
		*pa = va - pg->page_offset + pg->phys_offset;
		return 1;
	}
	return 0;
}

/* ---- setup ------------------------------------------------------------ */

/* Which paging the kernel was built for: sizeof(pte_t) from DWARF, else the
 * CONFIG_X86_PAE=y line that 32-bit x86 kernels put in VMCOREINFO. */
static pgt_status find_mode(struct pgt_dump *d, int *pae, const char **how, struct pgt_err *err)
{
	const char *vi = d->si ? d->si->vmcoreinfo : NULL;
	int vi_mode = -1, dw_mode = -1;
	char buf[16];

	if (vi && pgt_vmci_get(vi, "OSRELEASE", buf, sizeof buf)) {
		const char *c = pgt_vmci_get(vi, "CONFIG_X86_PAE", buf, sizeof buf);
		vi_mode = c && !strcmp(c, "y");
	}
	if (d->prof.struct_size[S_pte_t] == 8)
		dw_mode = 1;
	else if (d->prof.struct_size[S_pte_t] == 4)
		dw_mode = 0;
	if (dw_mode >= 0 && vi_mode >= 0 && dw_mode != vi_mode)
		return pgt_fail(err, PGT_EINPUT,
				"%s: kernel types say sizeof(pte_t) = %d but VMCOREINFO %s CONFIG_X86_PAE=y: "
				"profile and dump do not match",
				d->path ? d->path : "dump", (int)d->prof.struct_size[S_pte_t],
				vi_mode ? "has" : "lacks");
	if (dw_mode >= 0) {
		*pae = dw_mode;
		*how = dw_mode ? "sizeof(pte_t) = 8" : "sizeof(pte_t) = 4";
		return PGT_OK;
	}
	if (vi_mode >= 0) {
		*pae = vi_mode;
		*how = vi_mode ? "VMCOREINFO CONFIG_X86_PAE=y" : "VMCOREINFO without CONFIG_X86_PAE";
		return PGT_OK;
	}
	return pgt_fail(err, PGT_EINPUT,
			"%s: cannot tell PAE from 2-level paging: the kernel types lack pte_t and the "
			"dump has no VMCOREINFO",
			d->path ? d->path : "dump");
}

/* Translates va below the table at root_pa with the decoders above. */
static int probe_translate(struct pgt_dump *d, int pae, uint64_t root_pa, uint64_t va, uint64_t *pa)
{
	const struct pgt_level *lv = pae ? pae_levels : l2_levels;
	unsigned n = pae ? 3 : 2, level = 0;
	uint64_t table = root_pa;
	struct pgt_err e2;
	struct pgt_entry e;
	uint8_t b[8];

	while (level < n) {
		unsigned idx = (unsigned)(va >> lv[level].shift) & (lv[level].entries - 1);
		memset(&e2, 0, sizeof e2);
		if (pgt_read_pa(d, table + (uint64_t)idx * lv[level].entry_size, b, lv[level].entry_size,
				&e2) != PGT_OK)
			return 0;
		if (pae)
			pae_entry(level, pgt_ld64(b, 0), &e);
		else
			l2_entry(level, pgt_ld32(b, 0), &e);
		if (e.kind == PGT_E_LEAF && (e.flags & PGT_F_HWVALID)) {
			*pa = e.pa + (va & (pgt_level_span(&lv[level]) - 1));
			return 1;
		}
		if (e.kind != PGT_E_TABLE)
			return 0;
		table = e.pa;
		level = e.next_level;
	}
	return 0;
}

/* The PAGE_OFFSETs a 6.1 kernel can be built with (VMSPLIT_* choices). */
static const uint64_t page_offsets[] = {
	0xc0000000, 0xb0000000, 0x80000000, 0x78000000, 0x40000000,
};

/* Swap types that are not swap devices (include/linux/swap.h).  On 32-bit
 * x86 DEVICE_PRIVATE and PTE_MARKER cannot be configured (both need 64-bit
 * only features); MEMORY_FAILURE shows as NUMBER(PG_hwpoison) in VMCOREINFO
 * (assumed on without VMCOREINFO, as distribution kernels have it);
 * MIGRATION is assumed (it follows from COMPACTION, on by default). */
static void set_swap_types(struct pgt_paging *pg, const char *vi)
{
	int64_t dummy;
	unsigned hwpoison = !vi || pgt_vmci_dec(vi, "NUMBER(PG_hwpoison)", &dummy) ? 1 : 0;
	unsigned migration = 3, swapin_error = 1;
	unsigned max_swapfiles = (1u << SWP_TYPE_BITS) - migration - hwpoison - swapin_error;

	pg->swp_type_bits = SWP_TYPE_BITS;
	pg->swp_first_special = max_swapfiles;
	pg->migration_first = max_swapfiles + hwpoison;
	pg->migration_count = migration;
}

/* PTI on PAE (arch/x86/kernel/head_32.S, mm/pti.c): swapper_pg_dir is
 * followed by its user-mode PDPT, which pti_init() fills; the kernel slots
 * there point to PMDs holding only what user mode may see, the highest run
 * of entries being the cpu_entry_area (pti_clone_user_shared()).  Without
 * PTI that page stays zero.  LDT_BASE_ADDR is the PMD just below
 * CPU_ENTRY_AREA_BASE (pgtable_32_areas.h); init_mm never maps an LDT. */
static void pti_probe(struct pgt_paging *pg, struct pgt_dump *d)
{
	const unsigned first_kslot = (unsigned)(pg->page_offset >> 30);
	uint8_t pdpt[32], ku[8], pmd[4096], kpmd[4096];
	struct pgt_err e = {0};
	struct pgt_entry ue, ke, x;
	unsigned i, top, base;

	pg->aux[AUX_PTI] = PTI_UNKNOWN;
	pg->aux[AUX_LDT_IDX] = 0;
	if (pgt_read_pa(d, pg->kernel_root_pa + 4096, pdpt, sizeof pdpt, &e) != PGT_OK)
		return;
	for (i = 0; i < 32 && !pdpt[i]; i++)
		;
	if (i == 32) {
		pg->aux[AUX_PTI] = PTI_OFF;
		return;
	}
	/* Anything else must look like a user PDPT: no user slots, the last
	 * kernel slot a table other than swapper's own PMD there. */
	for (i = 0; i < first_kslot; i++) {
		pae_entry(0, pgt_ld64(pdpt + 8 * i, 0), &ue);
		if (ue.kind != PGT_E_NONE)
			return;
	}
	pae_entry(0, pgt_ld64(pdpt + 24, 0), &ue);
	if (pgt_read_pa(d, pg->kernel_root_pa + 24, ku, 8, &e) != PGT_OK)
		return;
	pae_entry(0, pgt_ld64(ku, 0), &ke);
	if (ue.kind != PGT_E_TABLE || ke.kind != PGT_E_TABLE || ue.pa == ke.pa)
		return;
	pg->aux[AUX_PTI] = PTI_ON;
	if (pgt_read_pa(d, ue.pa, pmd, sizeof pmd, &e) != PGT_OK ||
	    pgt_read_pa(d, ke.pa, kpmd, sizeof kpmd, &e) != PGT_OK)
		return;
	for (top = 512; top > 0; top--) {
		pae_entry(1, pgt_ld64(pmd + 8 * (top - 1), 0), &x);
		if (x.kind != PGT_E_NONE)
			break;
	}
	if (!top)
		return;
	for (base = top - 1; base > 0; base--) {
		pae_entry(1, pgt_ld64(pmd + 8 * (base - 1), 0), &x);
		if (x.kind == PGT_E_NONE)
			break;
	}
	if (!base)
		return;
	pae_entry(1, pgt_ld64(kpmd + 8 * (base - 1), 0), &x);
	if (x.kind == PGT_E_NONE)
		pg->aux[AUX_LDT_IDX] = base; /* index base - 1, stored + 1 */
}

static pgt_status x86_32_setup(struct pgt_paging *pg, struct pgt_dump *d, int want_pae,
			       struct pgt_err *err)
{
	const char *how = "", *vi = d->si ? d->si->vmcoreinfo : NULL;
	uint64_t swapper = 0, off = 0, pa = 0, hm = 0;
	int pae = 0;
	pgt_status st;

	st = find_mode(d, &pae, &how, err);
	if (st)
		return st;
	if (pae != want_pae)
		return PGT_ENOTFOUND;

	/* The runtime address from VMCOREINFO needs no KASLR offset. */
	if (!vi || !pgt_vmci_hex(vi, "SYMBOL(swapper_pg_dir)", &swapper))
		swapper = pgt_sym(d, Y_swapper_pg_dir);
	if (!swapper)
		return pgt_fail(err, PGT_EINPUT, "%s: swapper_pg_dir is in neither VMCOREINFO nor the kernel types",
				d->path ? d->path : "dump");

	/* PAGE_OFFSET is the split under which swapper_pg_dir maps itself:
	 * the kernel image lies in lowmem at PAGE_OFFSET + its physical address. */
	unsigned i;
	for (i = 0; i < sizeof page_offsets / sizeof page_offsets[0]; i++) {
		off = page_offsets[i];
		if (swapper < off || (d->si && d->si->max_pa && swapper - off >= d->si->max_pa))
			continue;
		if (probe_translate(d, pae, swapper - off, swapper, &pa) && pa == swapper - off)
			break;
	}
	if (i == sizeof page_offsets / sizeof page_offsets[0])
		return pgt_fail(err, PGT_EINPUT,
				"%s: swapper_pg_dir at 0x%llx does not map itself under any 32-bit "
				"PAGE_OFFSET (0xc0000000, 0xb0000000, 0x80000000, 0x78000000, 0x40000000)",
				d->path ? d->path : "dump", (unsigned long long)swapper);

	pg->levels = pae ? pae_levels : l2_levels;
	pg->nlevels = pae ? 3 : 2;
	pg->big_endian = 0;
	pg->page_shift = 12;
	pg->va_bits = 32;
	pg->page_offset = off;
	pg->phys_offset = 0;
	pg->user_end = off;       /* TASK_SIZE */
	pg->kernel_start = off;   /* KERNEL_PGD_BOUNDARY = pgd_index(PAGE_OFFSET) */
	pg->first_user_address = 0; /* FIRST_USER_ADDRESS is 0 on x86 */
	pg->kernel_root_pa = swapper - off;
	if (d->si)
		pg->max_pa = d->si->max_pa;
	set_swap_types(pg, vi);

	/* high_memory: end of lowmem.  Read through the physical address of the
	 * variable (it lies in the kernel image).  Without it, no linear range is
	 * assumed and lowmem is translated by walking swapper_pg_dir. */
	uint64_t hm_va = pgt_sym(d, Y_high_memory);
	uint8_t b[4];
	struct pgt_err e2 = {0};
	int hm_ok = 0;
	if (hm_va >= off && pgt_read_pa(d, hm_va - off, b, 4, &e2) == PGT_OK) {
		hm = pgt_ld32(b, 0);
		hm_ok = hm > off && (!pg->max_pa || hm - off <= pg->max_pa);
	}
	pg->lowmem_end = hm_ok ? hm : off;
	if (pae)
		pti_probe(pg, d);

	snprintf(pg->desc, sizeof pg->desc, "x86 %s (%s), page_offset 0x%llx, lowmem end %s0x%llx%s",
		 pae ? "PAE 3-level" : "2-level", how, (unsigned long long)off,
		 hm_ok ? "" : "unknown, walked: ", (unsigned long long)pg->lowmem_end,
		 !pae ? "" : pg->aux[AUX_PTI] == PTI_ON ? ", PTI" : pg->aux[AUX_PTI] == PTI_OFF ? ", no PTI" : "");
	return PGT_OK;
}

static pgt_status pae_setup(struct pgt_paging *pg, struct pgt_dump *d, struct pgt_err *err)
{
	return x86_32_setup(pg, d, 1, err);
}

static pgt_status l2_setup(struct pgt_paging *pg, struct pgt_dump *d, struct pgt_err *err)
{
	return x86_32_setup(pg, d, 0, err);
}

/* ---- forensic hooks --------------------------------------------------- */

/* Bits the MMU changes in one copy of a kernel entry and not in the
 * others: it sets A (and D on pages) in the copy it walks. */
#define COPY_DRIFT_BITS (E_A | E_D)

/* Both entries the same table or page, differing at most in bits. */
static int same_but(const struct pgt_entry *p, const struct pgt_entry *k, uint64_t bits)
{
	return p->kind == k->kind && p->kind != PGT_E_NONE && p->pa == k->pa &&
	       ((p->raw ^ k->raw) & ~bits) == 0;
}

static int pae_kernel_slot(const struct pgt_paging *pg, unsigned level, unsigned index,
			   const struct pgt_entry *proc, const struct pgt_entry *kern, const char **check,
			   const char **severity, char *msg, size_t len)
{
	const uint64_t pti = pg->aux[AUX_PTI];

	if (level == 0) {
		/* pgd_prepopulate_pmd() fills all 4 PDPT entries at pgd_alloc():
		 * nothing fills an empty one later. */
		if (proc->kind == PGT_E_NONE && kern->kind == PGT_E_TABLE) {
			*check = "kernel-entry-unsynced";
			*severity = "error";
			snprintf(msg, len,
				 "kernel PDPT slot %u is empty here but swapper_pg_dir has PMD 0x%llx: pgd_alloc() fills "
				 "all 4 PAE slots and none is synced later, so this mm cannot run kernel code",
				 index, (unsigned long long)kern->pa);
			return 1;
		}
		if (proc->kind != PGT_E_TABLE || kern->kind != PGT_E_TABLE)
			return 0;
		if (proc->pa == kern->pa) {
			if (pti == PTI_ON) {
				*check = "kernel-pmd-shared";
				*severity = "error";
				snprintf(msg, len,
					 "kernel PDPT slot %u uses swapper's PMD 0x%llx, but with PTI (SHARED_KERNEL_PMD "
					 "0) pgd_alloc() gives every pgd its own copy and pgd_free() frees it: the kernel's "
					 "PMD would be freed",
					 index, (unsigned long long)kern->pa);
				return 1;
			}
			/* Shared kernel PMD: only the bits native_pgd_val() keeps count. */
			return ((proc->raw ^ kern->raw) & PAE_PGD_ALLOWED) ? 0 : 2;
		}
		/* A PMD of its own: the copy pgd_prepopulate_pmd() made, unless the
		 * kernel shares its PMD (PTI off), where that is corruption. */
		return pti == PTI_OFF ? 0 : 3;
	}
	if (level != 1)
		return 0;
	/* An entry of the process's copy of a kernel PMD.  The LDT slot is
	 * known by its index in the last PDPT slot; with a 2 GiB split the
	 * same index of slot 2 is lowmem, which swapper always maps. */
	if (pg->aux[AUX_LDT_IDX] && index == pg->aux[AUX_LDT_IDX] - 1 && proc->kind == PGT_E_TABLE &&
	    kern->kind == PGT_E_NONE) {
		snprintf(msg, len, "LDT remap of this mm (map_ldt_struct(), PTI): per process by design");
		return 2;
	}
	/* pti_clone_pgtable() sets G on swapper's PMD entries in place at
	 * pti_finalize(), late in boot: copies taken before (poking_mm) lack it. */
	if (same_but(proc, kern, COPY_DRIFT_BITS | E_G)) {
		snprintf(msg, len, "%s", ((proc->raw ^ kern->raw) & E_G)
					       ? "_PAGE_GLOBAL set on swapper's entry by pti_clone_pgtable() after this copy"
					       : "accessed/dirty set by the MMU in one copy");
		return 2;
	}
	return 0;
}

/* 2-level: pgd_ctor() copies swapper's kernel entries; the generic rules
 * judge the rest (an entry not yet copied is "kernel-entry-unsynced"). */
static int l2_kernel_slot(const struct pgt_paging *pg, unsigned level, unsigned index,
			  const struct pgt_entry *proc, const struct pgt_entry *kern, const char **check,
			  const char **severity, char *msg, size_t len)
{
	if (level == 0 && same_but(proc, kern, COPY_DRIFT_BITS)) {
		snprintf(msg, len, "accessed/dirty set by the MMU in one copy");
		return 2;
	}
	return 0;
}

/* PAE reloads PDPT entries only with CR3, so pgd_alloc() preallocates the
 * PMD of every user slot; only pgd_free() frees them. */
static const char *pae_table_by_design(const struct pgt_paging *pg, unsigned level, uint64_t va,
				       uint64_t end)
{
	/* PAGE_OFFSET is GiB-aligned with PAE (the _OPT splits need 2-level). */
	if (level == 1 && end && end <= pg->user_end)
		return "pgd_alloc() preallocates the PMDs of all PAE PDPT slots";
	return NULL;
}

static int pae_user_copy(const struct pgt_paging *pg, const struct pgt_root *root, struct pgt_root *copy)
{
	if (pg->aux[AUX_PTI] != PTI_ON)
		return 0;
	*copy = *root;
	copy->pa = root->pa + 4096; /* kernel_to_user_pgdp() */
	snprintf(copy->desc, sizeof copy->desc, "PTI user PDPT at 0x%llx", (unsigned long long)copy->pa);
	return 1;
}

const struct pgt_arch_ops pgt_arch_x86_pae = {
	.user_copy = pae_user_copy,
	.name = "x86-pae",
	.kdump_arch = "ia32",
	.setup = pae_setup,
	.decode = pae_decode,
	.mm_root = pae_mm_root,
	.kva_linear = x86_32_kva_linear,
	.table_by_design = pae_table_by_design,
	.kernel_slot = pae_kernel_slot,
	.describe = pae_describe,
};

const struct pgt_arch_ops pgt_arch_x86_2level = {
	.name = "x86-2level",
	.kdump_arch = "ia32",
	.setup = l2_setup,
	.decode = l2_decode,
	.mm_root = l2_mm_root,
	.kva_linear = x86_32_kva_linear,
	.kernel_slot = l2_kernel_slot,
	.describe = l2_describe,
};
