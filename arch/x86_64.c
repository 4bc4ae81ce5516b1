/* x86_64 paging (4 or 5 levels), decoded as Linux 6.1 reads it:
 * arch/x86/include/asm/pgtable_types.h, pgtable_64.h, pgtable.h. */
#include <stdio.h>
#include <string.h>
#include "pgt/arch.h"
#include "pgt/arch_x86_64.h"
#include "pgt/dump.h"
#include "pgt/endian.h"
#include "pgt/vmcoreinfo.h"

#define B(n) (1ull << (n))
#define X_PRESENT   B(0)
#define X_RW        B(1)
#define X_USER      B(2)
#define X_PWT       B(3)
#define X_PCD       B(4)
#define X_ACCESSED  B(5)
#define X_DIRTY     B(6)
#define X_PSE       B(7)
#define X_GLOBAL    B(8)
#define X_PROTNONE  X_GLOBAL   /* only meaningful when not present */
#define X_SPECIAL   B(9)
#define X_UFFD_WP   B(10)
#define X_SOFT_DIRTY B(11)
#define X_DEVMAP    B(58)
#define X_NX        B(63)
#define X_SWP_SOFT_DIRTY X_RW
#define X_SWP_UFFD_WP    X_USER
#define X_SWP_EXCLUSIVE  X_PWT
#define X_PA_MASK   (B(52) - 1)          /* __PHYSICAL_MASK without SME */
#define X_PFN_MASK  (X_PA_MASK & ~0xfffull)
#define X_KNL_ERRATUM (X_DIRTY | X_ACCESSED) /* A/D alone still mean "none" */
#define SWP_TYPE_BITS 5
#define SWP_OFFSET_SHIFT 14              /* first offset bit (9) + type bits */

#define START_KERNEL_MAP 0xffffffff80000000ull
#define KERNEL_IMAGE_SPAN 0x40000000ull  /* KERNEL_IMAGE_SIZE with KASLR: 1 GiB */

/* pgtables_bytes counts pud, pmd and pte tables (mm_inc_nr_puds/pmds/ptes). */
static const struct pgt_level levels5[] = {
	{"pgd", 48, 512, 8, 0, 0}, {"p4d", 39, 512, 8, 0, 0}, {"pud", 30, 512, 8, 0, 4096},
	{"pmd", 21, 512, 8, 0, 4096}, {"pte", 12, 512, 8, 0, 4096},
};
static const struct pgt_level levels4[] = {
	{"pgd", 39, 512, 8, 0, 0}, {"pud", 30, 512, 8, 0, 4096}, {"pmd", 21, 512, 8, 0, 4096},
	{"pte", 12, 512, 8, 0, 4096},
};

/* L1TF: a non-present, non-zero entry stores its frame inverted. */
static uint64_t uninvert(uint64_t v)
{
	return (v && !(v & X_PRESENT)) ? ~v : v;
}

static void flags_of(uint64_t v, uint32_t *f)
{
	if (v & X_PRESENT) *f |= PGT_F_HWVALID;
	if (v & X_RW) *f |= PGT_F_WRITE;
	if (v & X_USER) *f |= PGT_F_USER;
	if (v & X_NX) *f |= PGT_F_NX;
	if (v & X_DIRTY) *f |= PGT_F_DIRTY;
	if (v & X_ACCESSED) *f |= PGT_F_ACCESSED;
	if (v & X_SOFT_DIRTY) *f |= PGT_F_SOFT_DIRTY;
	if (v & X_UFFD_WP) *f |= PGT_F_UFFD_WP;
	if ((v & X_PRESENT) && (v & X_GLOBAL)) *f |= PGT_F_GLOBAL;
	if (!(v & X_PRESENT) && (v & X_PROTNONE)) *f |= PGT_F_PROTNONE;
	if (v & X_DEVMAP) *f |= PGT_F_DEVMAP;
}

static void decode_swap(uint64_t v, struct pgt_entry *e)
{
	e->kind = PGT_E_SWAP;
	e->swp_type = (unsigned)(v >> (64 - SWP_TYPE_BITS));
	e->swp_offset = (~v << SWP_TYPE_BITS) >> SWP_OFFSET_SHIFT;
	if (v & X_SWP_SOFT_DIRTY) e->flags |= PGT_F_SOFT_DIRTY;
	if (v & X_SWP_UFFD_WP) e->flags |= PGT_F_UFFD_WP;
	if (v & X_SWP_EXCLUSIVE) e->flags |= PGT_F_SWP_EXCL;
}

void pgt_x86_64_decode(unsigned nlevels, unsigned level, uint64_t v, struct pgt_entry *e)
{
	const unsigned pte = nlevels - 1, pmd = nlevels - 2, pud = nlevels - 3;

	e->raw = v;
	if (!(v & ~X_KNL_ERRATUM)) {
		e->kind = PGT_E_NONE;
		return;
	}
	if (level == pte) {
		/* pte_present(): PRESENT or PROTNONE */
		if (!(v & (X_PRESENT | X_PROTNONE))) {
			decode_swap(v, e);
			return;
		}
		e->kind = PGT_E_LEAF;
		flags_of(v, &e->flags);
		if (v & X_SPECIAL) e->flags |= PGT_F_SPECIAL;
		e->pa = uninvert(v) & X_PFN_MASK;
		return;
	}
	if ((level == pmd || level == pud) && (v & X_PSE)) {
		/* pmd_present() also accepts PSE alone (a huge pmd being split). */
		uint64_t mask = level == pmd ? (X_PA_MASK & ~(B(21) - 1)) : (X_PA_MASK & ~(B(30) - 1));
		e->kind = PGT_E_LEAF;
		flags_of(v, &e->flags);
		e->flags |= PGT_F_HUGE;
		e->pa = uninvert(v) & mask;
		return;
	}
	if (level == pmd && !(v & (X_PRESENT | X_PROTNONE))) {
		/* A non-present pmd that is not none: a THP migration entry. */
		decode_swap(v, e);
		e->flags |= PGT_F_HUGE;
		return;
	}
	if (!(v & X_PRESENT)) {
		e->kind = PGT_E_BAD;
		e->bad = "non-empty entry without the present bit above the pmd level";
		e->flags |= v & X_PROTNONE ? PGT_F_PROTNONE : 0;
		return;
	}
	e->kind = PGT_E_TABLE;
	flags_of(v, &e->flags);
	e->pa = v & X_PFN_MASK;
	e->next_level = level + 1;
}

static void decode(const struct pgt_paging *pg, unsigned level, const uint8_t *tbl, unsigned idx,
		   struct pgt_entry *e)
{
	pgt_x86_64_decode(pg->nlevels, level, pgt_ld64(tbl + 8ull * idx, 0), e);
}

static int kva_linear(const struct pgt_paging *pg, uint64_t va, uint64_t *pa)
{
	if (va >= START_KERNEL_MAP && va < START_KERNEL_MAP + KERNEL_IMAGE_SPAN) {
		*pa = va - START_KERNEL_MAP + pg->phys_base;
		return 1;
	}
	if (pg->page_offset && va >= pg->page_offset && pg->max_pa &&
	    va - pg->page_offset < pg->max_pa) {
		*pa = va - pg->page_offset;
		return 1;
	}
	return 0;
}

static pgt_status mm_root(const struct pgt_paging *pg, const struct pgt_mm_regs *regs,
			  struct pgt_root *root, struct pgt_err *err)
{
	return pgt_root_table(regs->pgd_pa, 4096, 0, 0, 512, pg->nlevels == 5 ? "5-level pgd" : "4-level pgd",
			      root, err);
}

static pgt_status setup(struct pgt_paging *pg, struct pgt_dump *d, struct pgt_err *err)
{
	const char *vi = d->si->vmcoreinfo;
	int64_t n;
	uint64_t v;
	int l5 = 0;

	/* LA57 is chosen at boot: VMCOREINFO says which, else the kernel variable. */
	if (vi && pgt_vmci_dec(vi, "NUMBER(pgtable_l5_enabled)", &n))
		l5 = n != 0;
	pg->phys_base = 0;
	if (vi && pgt_vmci_dec(vi, "NUMBER(phys_base)", &n))
		pg->phys_base = (uint64_t)n;
	else if (pgt_sym(d, Y_phys_base)) {
		/* phys_base itself lives in the image: read it assuming it is 0, then fix. */
		if (pgt_read_uint(d, pgt_sym(d, Y_phys_base), 8, &v, err) == PGT_OK)
			pg->phys_base = v;
	}
	pg->kimage_va = START_KERNEL_MAP;
	if (!vi || !pgt_vmci_dec(vi, "NUMBER(pgtable_l5_enabled)", &n)) {
		if (pgt_sym(d, Y_pgtable_l5_enabled) &&
		    pgt_read_uint(d, pgt_sym(d, Y_pgtable_l5_enabled), 4, &v, err) == PGT_OK)
			l5 = v != 0;
	}
	pg->levels = l5 ? levels5 : levels4;
	pg->nlevels = l5 ? 5 : 4;
	pg->va_bits = l5 ? 57 : 48;
	pg->user_end = l5 ? B(56) - 4096 : B(47) - 4096;
	pg->kernel_start = l5 ? 0xff00000000000000ull : 0xffff800000000000ull;

	if (pgt_sym(d, Y_page_offset_base)) {
		pgt_status st = pgt_read_uint(d, pgt_sym(d, Y_page_offset_base), 8, &v, err);
		if (st)
			return pgt_wrap(err, "reading page_offset_base");
		pg->page_offset = v;
	} else
		pg->page_offset = l5 ? 0xff11000000000000ull : 0xffff888000000000ull;

	uint64_t pgd = 0;
	if (vi)
		pgt_vmci_hex(vi, "SYMBOL(init_top_pgt)", &pgd);
	if (!pgd)
		pgd = pgt_sym(d, Y_init_top_pgt) ? pgt_sym(d, Y_init_top_pgt) : pgt_sym(d, Y_swapper_pg_dir);
	if (!pgd || !kva_linear(pg, pgd, &pg->kernel_root_pa))
		return pgt_fail(err, PGT_EINPUT, "%s: cannot find the kernel's top page table (init_top_pgt)",
				d->path);
	/* swap types (include/linux/swap.h) with Debian's 6.1 amd64 config: no
	 * device private, 1 hwpoison (26), 3 migration (27-29), pte marker (30),
	 * swapin error (31); hwpoison and migration entries hold a pfn. */
	pg->swp_first_special = 26;
	pg->migration_first = 27;
	pg->migration_count = 3;
	pg->pfn_swap_first = 26;
	pg->pfn_swap_count = 4;
	pg->pte_marker_type = 30;
	if (pgt_sym(d, Y_vmemmap_base) &&
	    pgt_read_uint(d, pgt_sym(d, Y_vmemmap_base), 8, &v, err) == PGT_OK)
		d->vmemmap = v;
	snprintf(pg->desc, sizeof pg->desc, "x86_64 %d-level, direct map at 0x%llx, phys_base 0x%llx",
		 pg->nlevels, (unsigned long long)pg->page_offset, (unsigned long long)pg->phys_base);
	return PGT_OK;
}

/* The LDT remap slot (PTI) is per process by design: pgd index of
 * LDT_BASE_ADDR = -240 << PGDIR_SHIFT in both paging modes. */
#define LDT_PGD_INDEX 272
static int kernel_slot(const struct pgt_paging *pg, unsigned level, unsigned index,
		       const struct pgt_entry *proc, const struct pgt_entry *kern, const char **check,
		       const char **severity, char *msg, size_t len)
{
	/* the LDT remap slot (PTI) holds this mm's own tables */
	if (level == 0 && index == LDT_PGD_INDEX && kern->kind == PGT_E_NONE)
		return 4;
	/* pgd_ctor() copies every kernel-half entry and sync_global_pgds()
	 * pushes later ones to every pgd: nothing here is filled lazily, so an
	 * empty slot the kernel's table has is lost, not pending. */
	if (level == 0 && proc->kind == PGT_E_NONE && kern->kind != PGT_E_NONE) {
		*check = "kernel-entry-unsynced";
		*severity = "error";
		snprintf(msg, len,
			 "kernel-half pgd slot %u is empty here but set in the kernel's table; x86_64 copies these "
			 "at fork and syncs later ones to every pgd, so this one was lost",
			 index);
		return 1;
	}
	return 0;
}

static void describe(const struct pgt_paging *pg, unsigned level, const struct pgt_entry *e,
		     char *buf, size_t len)
{
	uint64_t v = e->raw;
	static const char *names[] = {"P", "RW", "US", "PWT", "PCD", "A", "D", "PSE", "G",
				      "SPECIAL", "UFFD_WP", "SOFT_DIRTY"};
	size_t o = 0;
	buf[0] = 0;
	if (e->kind == PGT_E_SWAP) {
		/* the high bits hold the inverted offset: no pte flags to name */
		snprintf(buf, len, "swap type %u offset 0x%llx%s%s%s", e->swp_type,
			 (unsigned long long)e->swp_offset, v & X_SWP_SOFT_DIRTY ? " SWP_SOFT_DIRTY" : "",
			 v & X_SWP_UFFD_WP ? " SWP_UFFD_WP" : "", v & X_SWP_EXCLUSIVE ? " SWP_EXCLUSIVE" : "");
		return;
	}
	for (unsigned b = 0; b < 12 && o < len; b++)
		if (v & B(b)) {
			const char *nm = names[b];
			if (b == 8 && !(v & X_PRESENT))
				nm = "PROTNONE";
			if (b == 7 && level == pg->nlevels - 1)
				nm = "PAT";
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? " " : "", nm);
		}
	if (o < len && (v & X_DEVMAP))
		o += (size_t)snprintf(buf + o, len - o, "%sDEVMAP", o ? " " : "");
	if (o < len && (v & X_NX))
		o += (size_t)snprintf(buf + o, len - o, "%sNX", o ? " " : "");
}

const struct pgt_arch_ops pgt_arch_x86_64 = {
	.name = "x86_64",
	.kdump_arch = "x86_64",
	.setup = setup,
	.decode = decode,
	.mm_root = mm_root,
	.kva_linear = kva_linear,
	.describe = describe,
	.kernel_slot = kernel_slot,
};
