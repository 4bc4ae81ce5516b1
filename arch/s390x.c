/* s390x (z/Architecture DAT) paging, decoded as Linux 6.1 reads it:
 * arch/s390/include/asm/pgtable.h, pgalloc.h, mmu_context.h, page.h and
 * arch/s390/mm/pgalloc.c, hugetlbpage.c.
 *
 * The depth is chosen per process: the ASCE's designation type (DT) names
 * the top table (region-first, -second, -third or segment).  Every region
 * and segment entry repeats the type of the table it sits in (TT), and a
 * region entry bounds the next table with an offset/length (TF/TL, in
 * quarters of 512 entries).  We check TT at every step and hand the walker
 * the TF/TL window, so it never indexes outside a table the way a
 * fixed-depth pgd++ loop does on s390.
 *
 * Entries are big-endian 64-bit words.  In 6.1 the kernel's virtual
 * addresses of the identity map equal physical ones (__pa(x) == x).
 *
 * pg->aux[] use: see S390_AUX_* below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/arch.h"
#include "pgt/dump.h"
#include "pgt/endian.h"
#include "pgt/vmcoreinfo.h"

/* ASCE (control registers 1/7/13, mm->context.asce) */
#define A_ORIGIN      (~0xfffull)
#define A_USER_BITS   0x1c0ull      /* space-switch, private space, alteration event */
#define A_REAL        0x020ull      /* real space: no tables at all */
#define A_DT          0x00cull
#define A_TL          0x003ull

/* Region- and segment-table entries */
#define R_ORIGIN      (~0xfffull)   /* next region/segment table */
#define S_ORIGIN      (~0x7ffull)   /* page table: 2 KiB fragment */
#define S_ORIGIN_1M   (~0xfffffull) /* large segment (FC=1) frame */
#define R3_ORIGIN_2G  (~0x7fffffffull)
#define E_LARGE       0x400ull      /* FC: r3t / sgt entry maps a frame */
#define E_PROTECT     0x200ull
#define E_NOEXEC      0x100ull
#define E_TF          0x0c0ull
#define E_INVALID     0x020ull
#define E_TT          0x00cull
#define E_TL          0x003ull
/* Software bits of large entries.  hugetlbpage.c converts both 1 MB and
 * 2 GB leaves with the _SEGMENT_ENTRY_* positions (read 0x1, write 0x2),
 * which is how huge_ptep_get() and so pagemap read them. */
#define L_SOFT_DIRTY  0x4000ull
#define L_DIRTY       0x2000ull
#define L_YOUNG       0x1000ull
#define L_WRITE       0x0002ull
#define L_READ        0x0001ull

/* Page-table entries */
#define P_PRESENT     0x001ull      /* software: pte_present() */
#define P_SOFT_DIRTY  0x002ull      /* CONFIG_MEM_SOFT_DIRTY; never set otherwise */
#define P_YOUNG       0x004ull
#define P_DIRTY       0x008ull
#define P_READ        0x010ull
#define P_WRITE       0x020ull
#define P_SPECIAL     0x040ull
#define P_UNUSED      0x080ull
#define P_NOEXEC      0x100ull      /* hardware */
#define P_PROTECT     0x200ull      /* hardware */
#define P_INVALID     0x400ull      /* hardware; also the whole of an empty pte */
#define P_LARGE       0x800ull      /* in a swap pte: _PAGE_SWP_EXCLUSIVE */
#define P_ORIGIN      (~0xfffull)
#define SWP_TYPE_SHIFT   2
#define SWP_TYPE_MASK    0x1full
#define SWP_OFFSET_SHIFT 12
#define SWP_OFFSET_MASK  ((1ull << 52) - 1)

/* 6.1 asce_limit values (mmu_context.h, pgalloc.c crst_table_upgrade()) */
#define LIMIT_2LEVEL  (1ull << 31)
#define LIMIT_3LEVEL  (1ull << 42)
#define LIMIT_4LEVEL  (1ull << 53)
#define TASK_SIZE_MAX (0ull - 4096) /* -PAGE_SIZE: the 5-level limit */

/* lowcore.h (6.1): kernel_asce in a CPU's lowcore; vmcore_info in the
 * absolute lowcore, the physical address of the VMCOREINFO ELF note. */
#define LC_KERNEL_ASCE 0x388
#define ABS_LC_VMCORE_INFO 0xe0c

enum { L_R1T, L_R2T, L_R3T, L_SGT, L_PTE };

enum {
	S390_AUX_KASCE = 0,   /* kernel ASCE (init_mm.context.asce), 0 if unknown */
	S390_AUX_KASCE_FROM,  /* 1: init_mm.context.asce, 2: lowcore kernel_asce */
};

static const struct pgt_level levels[] = {
	{"r1t", 53, 2048, 8, 0, 0},
	{"r2t", 42, 2048, 8, 0, 0},
	{"r3t", 31, 2048, 8, 0, 16384},
	{"sgt", 20, 2048, 8, 0, 16384},
	{"pte", 12, 256, 8, 0, 2048},
};

/* Table type of a region/segment level as TT and DT encode it. */
static unsigned level_tt(unsigned level)
{
	return 3 - level;
}

static const char *tt_name(unsigned tt)
{
	static const char *const n[] = {"sgt", "r3t", "r2t", "r1t"};
	return n[tt & 3];
}

/* Sizes such as asce_limit, as "4T" when exact. */
static void fmt_size(char *buf, size_t len, uint64_t v)
{
	static const char suf[] = "KMGTPE";
	if (v == 0) {
		snprintf(buf, len, "16E");
		return;
	}
	for (int i = 5; i >= 0; i--) {
		unsigned sh = 10 * (unsigned)(i + 1);
		if (!(v & ((1ull << sh) - 1))) {
			snprintf(buf, len, "%llu%c", (unsigned long long)(v >> sh), suf[i]);
			return;
		}
	}
	snprintf(buf, len, "0x%llx", (unsigned long long)v);
}

static void decode_pte(uint64_t v, struct pgt_entry *e)
{
	if (v == P_INVALID) {          /* pte_none(): exactly _PAGE_INVALID */
		e->kind = PGT_E_NONE;
		return;
	}
	if (v & P_PRESENT) {
		e->kind = PGT_E_LEAF;
		e->pa = v & P_ORIGIN;
		if (v & P_INVALID)
			e->flags |= PGT_F_INVALID_HW; /* old (young emulation) or PROT_NONE */
		else
			e->flags |= PGT_F_HWVALID;
		if (!(v & P_READ))
			e->flags |= PGT_F_PROTNONE;   /* pte_protnone() */
		if (v & P_WRITE) e->flags |= PGT_F_WRITE;
		if (v & P_PROTECT) e->flags |= PGT_F_RDONLY;
		if (v & P_NOEXEC) e->flags |= PGT_F_NX;
		if (v & P_DIRTY) e->flags |= PGT_F_DIRTY;
		if (v & P_YOUNG) e->flags |= PGT_F_YOUNG;
		if (v & P_SOFT_DIRTY) e->flags |= PGT_F_SOFT_DIRTY;
		if (v & P_SPECIAL) e->flags |= PGT_F_SPECIAL;
		return;
	}
	/* Not present, not none: the swap layout, if it is one. */
	e->swp_type = (unsigned)((v >> SWP_TYPE_SHIFT) & SWP_TYPE_MASK);
	e->swp_offset = (v >> SWP_OFFSET_SHIFT) & SWP_OFFSET_MASK;
	if (v & P_SOFT_DIRTY) e->flags |= PGT_F_SOFT_DIRTY;
	if (v & P_LARGE) e->flags |= PGT_F_SWP_EXCL;
	if ((v & (P_PROTECT | P_PRESENT)) != P_PROTECT) {
		e->kind = PGT_E_BAD;
		e->bad = (v & P_INVALID) ? "pte neither present, none (0x400) nor swap (protect bit clear)"
					 : "pte neither present, none nor swap, and hardware-valid";
		return;
	}
	if (!(v & P_INVALID)) {
		/* mk_swap_pte() always sets _PAGE_INVALID; without it the MMU maps it. */
		e->kind = PGT_E_BAD;
		e->bad = "swap pte without the invalid bit: the MMU would map it read-only";
		return;
	}
	e->kind = PGT_E_SWAP;
}

/* A large r3t/sgt entry: present for Linux unless it is the empty value. */
static void decode_large(unsigned level, uint64_t v, struct pgt_entry *e)
{
	e->kind = PGT_E_LEAF;
	e->flags |= PGT_F_HUGE;
	e->pa = v & (level == L_R3T ? R3_ORIGIN_2G : S_ORIGIN_1M);
	if (v & E_INVALID)
		e->flags |= PGT_F_INVALID_HW;
	else
		e->flags |= PGT_F_HWVALID;
	if (!(v & L_READ))
		e->flags |= PGT_F_PROTNONE;      /* pmd_protnone() */
	if (v & L_WRITE) e->flags |= PGT_F_WRITE;
	if (v & E_PROTECT) e->flags |= PGT_F_RDONLY;
	if (v & E_NOEXEC) e->flags |= PGT_F_NX;
	if (v & L_DIRTY) e->flags |= PGT_F_DIRTY;
	if (v & L_YOUNG) e->flags |= PGT_F_YOUNG;
	if (v & L_SOFT_DIRTY) e->flags |= PGT_F_SOFT_DIRTY;
}

static void decode_crst(unsigned level, uint64_t v, struct pgt_entry *e)
{
	unsigned tt = (unsigned)((v & E_TT) >> 2);
	uint64_t empty = ((uint64_t)level_tt(level) << 2) | E_INVALID;

	if (tt != level_tt(level)) {
		/* Never follow: the entry belongs to another kind of table. */
		e->kind = PGT_E_BAD;
		e->bad = "table type (TT) does not match the table the entry sits in";
		return;
	}
	if (v & E_INVALID) {
		/* pgd_none() tests the bit; p4d/pud/pmd_none() want the exact value. */
		if (level == L_R1T || v == empty) {
			e->kind = PGT_E_NONE;
			return;
		}
		if (!((level == L_R3T || level == L_SGT) && (v & E_LARGE))) {
			e->kind = PGT_E_BAD;
			e->bad = "invalid entry that is not the empty value (Linux would still follow it)";
			return;
		}
		/* large and invalid: an old or PROT_NONE huge page */
	}
	if (v & E_LARGE) {
		if (level == L_R1T || level == L_R2T) {
			e->kind = PGT_E_BAD;
			e->bad = "large (FC) bit in a region-first/second entry";
			return;
		}
		decode_large(level, v, e);
		return;
	}
	e->flags |= PGT_F_HWVALID;
	if (v & E_PROTECT) e->flags |= PGT_F_RDONLY;
	if (v & E_NOEXEC) e->flags |= PGT_F_NX;
	e->next_level = level + 1;
	if (level == L_SGT) {
		e->pa = v & S_ORIGIN;
		e->next_lo = 0;
		e->next_hi = levels[L_PTE].entries - 1;
	} else {
		unsigned tf = (unsigned)((v & E_TF) >> 6), tl = (unsigned)(v & E_TL);
		e->pa = v & R_ORIGIN;
		e->next_lo = tf * 512;
		e->next_hi = tl * 512 + 511;
		if (tl < tf) {
			e->kind = PGT_E_BAD;
			e->bad = "table length (TL) below table offset (TF): empty next table";
			return;
		}
	}
	if (!e->pa) {
		e->kind = PGT_E_BAD;
		e->bad = "table origin 0 (the lowcore), not a page table";
		return;
	}
	e->kind = PGT_E_TABLE;
}

static void decode(const struct pgt_paging *pg, unsigned level, const uint8_t *tbl, unsigned idx,
		   struct pgt_entry *e)
{
	uint64_t v = pgt_ld64(tbl + 8ull * idx, 1);

	memset(e, 0, sizeof *e);
	e->raw = v;
	if (level == L_PTE)
		decode_pte(v, e);
	else if (level < L_PTE)
		decode_crst(level, v, e);
	else {
		e->kind = PGT_E_BAD;
		e->bad = "no such s390x table level";
	}
}

/* 6.1: identity map, __pa(x) == x, up to high_memory.  vmalloc, modules and
 * vmemmap lie above it and go through the kernel's tables. */
static int kva_linear(const struct pgt_paging *pg, uint64_t va, uint64_t *pa)
{
	uint64_t end = pg->lowmem_end ? pg->lowmem_end : pg->max_pa;
	if (va < end) {
		*pa = va;
		return 1;
	}
	return 0;
}

static uint64_t expected_limit(unsigned dt)
{
	static const uint64_t lim[] = {LIMIT_2LEVEL, LIMIT_3LEVEL, LIMIT_4LEVEL, TASK_SIZE_MAX};
	return lim[dt & 3];
}

static pgt_status mm_root(const struct pgt_paging *pg, const struct pgt_mm_regs *regs,
			  struct pgt_root *root, struct pgt_err *err)
{
	uint64_t asce, limit;
	const char *src = "asce";
	int kernel = 0;
	char lbuf[24], cbuf[24], how[48];

	memset(root, 0, sizeof *root);
	if (regs->has_asce) {
		asce = regs->asce;
		limit = regs->asce_limit;
	} else if (pg->aux[S390_AUX_KASCE] && regs->pgd_pa == pg->kernel_root_pa) {
		asce = pg->aux[S390_AUX_KASCE];
		limit = 0;
		src = pg->aux[S390_AUX_KASCE_FROM] == 2 ? "lowcore kernel_asce" : "kernel asce";
		kernel = 1;
	} else
		return pgt_fail(err, PGT_EINPUT,
				"s390x: no ASCE for the page table at 0x%llx: the depth is in "
				"mm->context.asce, not in the table",
				(unsigned long long)regs->pgd_pa);

	if (asce & A_REAL)
		return pgt_fail(err, PGT_EINPUT, "s390x: ASCE 0x%llx is a real-space designation (no tables)",
				(unsigned long long)asce);
	unsigned dt = (unsigned)((asce & A_DT) >> 2), tl = (unsigned)(asce & A_TL);
	unsigned level = level_tt(dt);
	uint64_t origin = asce & A_ORIGIN;
	if (!origin)
		return pgt_fail(err, PGT_EINPUT, "s390x: ASCE 0x%llx has table origin 0",
				(unsigned long long)asce);
	if (regs->pgd_pa && regs->pgd_pa != origin)
		return pgt_fail(err, PGT_EINPUT,
				"s390x: ASCE 0x%llx designates a table at 0x%llx but mm->pgd is at 0x%llx",
				(unsigned long long)asce, (unsigned long long)origin,
				(unsigned long long)regs->pgd_pa);
	/* Kernel ASCEs (init_mm) carry no user bits and leave asce_limit 0. */
	if (!(asce & A_USER_BITS) || (pg->kernel_root_pa && origin == pg->kernel_root_pa))
		kernel = 1;

	uint64_t want = expected_limit(dt);
	if (limit == 0 && kernel)
		snprintf(how, sizeof how, "kernel, asce_limit unset");
	else if (limit == want || (dt == 3 && limit == ~0ull)) {
		fmt_size(lbuf, sizeof lbuf, limit);
		snprintf(how, sizeof how, "limit %s", dt == 3 ? "TASK_SIZE_MAX" : lbuf);
	} else {
		static const char *const longname[] = {"segment", "region-third", "region-second",
						       "region-first"};
		fmt_size(lbuf, sizeof lbuf, want);
		return pgt_fail(err, PGT_EINPUT,
				"s390x: ASCE 0x%llx designates a %s table (%u levels) but asce_limit is "
				"0x%llx, not %s: depth unknown, not guessed%s",
				(unsigned long long)asce, longname[dt], 5 - level,
				(unsigned long long)limit, dt == 3 ? "TASK_SIZE_MAX" : lbuf,
				limit ? " (a dump taken inside crst_table_upgrade() can show this)"
				      : " (user ASCE with asce_limit 0)");
	}

	root->pa = origin;
	root->level = level;
	root->lo = 0;
	root->hi = tl * 512 + 511;
	/* What the top table covers: (TL+1) quarters of 512 entries. */
	unsigned sh = levels[level].shift + 9;
	uint64_t quarters = tl + 1ull;
	root->va_limit = sh + 2 >= 64 && quarters == 4 ? 0 : quarters << sh;
	fmt_size(cbuf, sizeof cbuf, root->va_limit);
	snprintf(root->desc, sizeof root->desc, "%s %s tl=%u (%u levels, covers %s, %s)", src,
		 tt_name(dt), tl, 5 - level, cbuf, how);
	return PGT_OK;
}

static pgt_status read_be64(struct pgt_dump *d, uint64_t pa, uint64_t *out, struct pgt_err *err)
{
	uint8_t b[8];
	pgt_status st = pgt_read_pa(d, pa, b, 8, err);
	if (st == PGT_OK)
		*out = pgt_ld64(b, 1);
	return st;
}

/* The kernel's ASCE: init_mm.context.asce, else CPU 0's lowcore. */
static void find_kernel_asce(struct pgt_paging *pg, struct pgt_dump *d)
{
	struct pgt_err e2;
	const char *vi = d->si->vmcoreinfo;
	uint64_t v = 0, mm = pgt_sym(d, Y_init_mm), lcp = pgt_sym(d, Y_lowcore_ptr), lc = 0;

	if (mm && pgt_has_field(&d->prof, F_mm_ctx_asce) &&
	    read_be64(d, mm + pgt_field_off(d, F_mm_ctx_asce), &v, &e2) == PGT_OK && v) {
		pg->aux[S390_AUX_KASCE] = v;
		pg->aux[S390_AUX_KASCE_FROM] = 1;
		return;
	}
	if (!lcp && vi)
		pgt_vmci_hex(vi, "SYMBOL(lowcore_ptr)", &lcp);
	if (lcp && read_be64(d, lcp, &lc, &e2) == PGT_OK && lc &&
	    read_be64(d, lc + LC_KERNEL_ASCE, &v, &e2) == PGT_OK && v) {
		pg->aux[S390_AUX_KASCE] = v;
		pg->aux[S390_AUX_KASCE_FROM] = 2;
	}
}

/* struct page array for the core, if nobody found it yet.  s390 6.1 keeps
 * vmemmap in a boot variable that VMCOREINFO does not name, but with
 * SPARSEMEM_VMEMMAP each present section's section_mem_map holds
 * sparse_encode_mem_map() = vmemmap itself, plus flag bits.  VMCOREINFO's
 * SYMBOL(mem_section) is the root array (SPARSEMEM_EXTREME). */
static void find_vmemmap(struct pgt_dump *d, const char *vi, char *note, size_t len)
{
	struct pgt_err e2;
	uint64_t ms, root0, map, base = 0;
	int64_t size = 0, off = 0;

	if (d->vmemmap || !vi || !pgt_vmci_hex(vi, "SYMBOL(mem_section)", &ms) ||
	    !pgt_vmci_dec(vi, "SIZE(mem_section)", &size) || size <= 0 || size > 4096)
		return;
	pgt_vmci_dec(vi, "OFFSET(mem_section.section_mem_map)", &off);
	if (read_be64(d, ms, &root0, &e2) != PGT_OK || !root0 || (root0 & 7))
		return;
	for (unsigned i = 0; i < 16; i++) {
		if (read_be64(d, root0 + i * (uint64_t)size + (uint64_t)off, &map, &e2) != PGT_OK)
			return;
		if ((map & 3) != 3)  /* SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP */
			continue;
		if (base && (map & ~0xfffull) != base) {
			snprintf(note, len, " (sections disagree on vmemmap)");
			return;
		}
		base = map & ~0xfffull;
	}
	d->vmemmap = base;
}

/* Dumps written from outside the guest (QEMU kdump) carry no VMCOREINFO;
 * the kernel leaves its note's physical address in the absolute lowcore.
 * Reads physical memory only: it runs before types and KASLR are known.
 * Returns 1 and sets *note if the text was found and handed to the source. */
static int lowcore_vmcoreinfo(struct pgt_dump *d, uint64_t *note, uint32_t *size)
{
	struct pgt_err e2;
	uint8_t h[24];
	char *text;

	if (read_be64(d, ABS_LC_VMCORE_INFO, note, &e2) != PGT_OK || !*note ||
	    pgt_read_pa(d, *note, h, sizeof h, &e2) != PGT_OK)
		return 0;
	/* Elf64_Nhdr: 32-bit namesz, descsz, type; name padded to 4 bytes */
	uint32_t namesz = pgt_ld32(h, 1), descsz = pgt_ld32(h + 4, 1);
	if (namesz != 11 || memcmp(h + 12, "VMCOREINFO", 11) || !descsz || descsz > 65536)
		return 0;
	text = malloc(descsz + 1ull);
	if (!text)
		return 0;
	if (pgt_read_pa(d, *note + 24, text, descsz, &e2) != PGT_OK) {
		free(text);
		return 0;
	}
	text[descsz] = 0;
	pgt_source_set_vmcoreinfo(d->src, text);
	free(text);
	*size = descsz;
	return d->si->vmcoreinfo != NULL;
}

/* Which open the lowcore text was supplied to, so that setup() can say
 * where VMCOREINFO came from: the dump and its text pointer, both live
 * until the dump is closed.  setup() consumes it. */
static struct {
	const struct pgt_dump *d;
	const char *text;
	uint64_t note;
} from_lowcore;

/* Before the profile and KASLR: the kdump container of a QEMU dump has no
 * VMCOREINFO, and without it neither the build-id (profile lookup) nor
 * KERNELOFFSET is known. */
static void early(struct pgt_dump *d)
{
	uint64_t note = 0;
	uint32_t size = 0;

	memset(&from_lowcore, 0, sizeof from_lowcore);
	if (d->si->vmcoreinfo || strcmp(d->si->arch, "s390x"))
		return;
	if (!lowcore_vmcoreinfo(d, &note, &size)) {
		if (d->verbose)
			fprintf(stderr, "pgtinspect: %s: no VMCOREINFO in the container, and none at the "
					"address the absolute lowcore (0x%x) names\n", d->path, ABS_LC_VMCORE_INFO);
		return;
	}
	from_lowcore.d = d;
	from_lowcore.text = d->si->vmcoreinfo;
	from_lowcore.note = note;
	if (d->verbose)
		fprintf(stderr, "pgtinspect: %s: VMCOREINFO from the kernel's note at physical 0x%llx "
				"(%u bytes), named by the absolute lowcore at 0x%x; the container has none\n",
			d->path, (unsigned long long)note, size, ABS_LC_VMCORE_INFO);
}

static pgt_status setup(struct pgt_paging *pg, struct pgt_dump *d, struct pgt_err *err)
{
	const char *vi;
	uint64_t hm = 0, swapper = 0, v;
	char note[96] = "";
	struct pgt_err e2;
	uint64_t vi_note = 0;

	if (strcmp(d->si->arch, "s390x") || (d->si->ptr_size && d->si->ptr_size != 8))
		return PGT_ENOTFOUND;
	vi = d->si->vmcoreinfo;
	if (vi && from_lowcore.d == d && from_lowcore.text == vi)
		vi_note = from_lowcore.note;
	memset(&from_lowcore, 0, sizeof from_lowcore);
	/* Callers that skip early() (tests driving setup() alone) still get
	 * the SYMBOL()s, though too late for KASLR and the profile. */
	if (!vi) {
		uint32_t size;
		if (lowcore_vmcoreinfo(d, &vi_note, &size))
			vi = d->si->vmcoreinfo;
		else
			vi_note = 0;
	}
	pg->levels = levels;
	pg->nlevels = 5;
	pg->big_endian = 1;
	pg->page_shift = 12;
	pg->va_bits = 64;
	pg->user_end = TASK_SIZE_MAX;
	pg->kernel_start = 0;           /* the kernel has its own address space */
	pg->page_offset = 0;
	pg->phys_offset = 0;
	pg->max_pa = d->si->max_pa;
	/* Swap types (include/linux/swap.h): s390 has no device-private memory,
	 * no hwpoison and no pte markers; CONFIG_MIGRATION gives 3 migration
	 * types, and one swapin-error type ends the range: 32-3-1 = 28. */
	pg->swp_type_bits = 5;
	pg->swp_first_special = 28;
	pg->migration_first = 28;
	pg->migration_count = 3;
	pg->pfn_swap_first = 28;
	pg->pfn_swap_count = 3;

	/* End of the identity map: the value of high_memory (VA == PA). */
	uint64_t hsym = pgt_sym(d, Y_high_memory);
	if (!hsym && vi)
		pgt_vmci_hex(vi, "SYMBOL(high_memory)", &hsym);
	if (hsym && read_be64(d, hsym, &v, &e2) == PGT_OK && v && !(v & 0xfff))
		hm = v;
	pg->lowmem_end = hm;

	swapper = pgt_sym(d, Y_swapper_pg_dir);
	if (!swapper && vi)
		pgt_vmci_hex(vi, "SYMBOL(swapper_pg_dir)", &swapper);
	find_kernel_asce(pg, d);
	if (pg->aux[S390_AUX_KASCE]) {
		uint64_t ka = pg->aux[S390_AUX_KASCE];
		struct pgt_mm_regs r = {.asce = ka, .asce_limit = 0, .has_asce = 1};
		pg->kernel_root_pa = ka & A_ORIGIN;
		if (swapper && swapper != pg->kernel_root_pa)
			snprintf(note, sizeof note, " (swapper_pg_dir is 0x%llx!)",
				 (unsigned long long)swapper);
		/* A bad kernel ASCE must not stop user-space work: no kroot then. */
		if (mm_root(pg, &r, &pg->kroot, &e2) != PGT_OK) {
			memset(&pg->kroot, 0, sizeof pg->kroot);
			snprintf(note, sizeof note, " (kernel ASCE unusable: no kernel walks)");
		}
	} else if (swapper) {
		/* Without the ASCE the kernel table's type is unknown: no kroot. */
		pg->kernel_root_pa = swapper;
		snprintf(note, sizeof note, " (kernel ASCE not found: no kernel walks)");
	}
	{
		size_t n = strlen(note);
		if (vi_note)
			snprintf(note + n, sizeof note - n, ", VMCOREINFO from lowcore -> 0x%llx",
				 (unsigned long long)vi_note);
		else if (vi)
			snprintf(note + n, sizeof note - n, ", VMCOREINFO from the %s container",
				 d->si->format);
		else
			snprintf(note + n, sizeof note - n, ", no VMCOREINFO");
	}
	{
		size_t n = strlen(note);
		find_vmemmap(d, vi, note + n, sizeof note - n);
	}
	/* Built apart and cut to fit: the notes are optional detail. */
	char desc[256];
	if (hm)
		snprintf(desc, sizeof desc, "s390x, depth per mm from ASCE, identity map below 0x%llx, "
			 "kernel asce 0x%llx%s", (unsigned long long)hm,
			 (unsigned long long)pg->aux[S390_AUX_KASCE], note);
	else
		snprintf(desc, sizeof desc, "s390x, depth per mm from ASCE, identity map to end of memory, "
			 "kernel asce 0x%llx%s", (unsigned long long)pg->aux[S390_AUX_KASCE], note);
	size_t dl = strlen(desc) < sizeof pg->desc - 1 ? strlen(desc) : sizeof pg->desc - 1;
	memcpy(pg->desc, desc, dl);
	pg->desc[dl] = 0;
	return PGT_OK;
}

static void describe(const struct pgt_paging *pg, unsigned level, const struct pgt_entry *e,
		     char *buf, size_t len)
{
	uint64_t v = e->raw;
	size_t o = 0;

#define ADD(...) do { if (o < len) o += (size_t)snprintf(buf + o, len - o, __VA_ARGS__); } while (0)
	buf[0] = 0;
	if (level == L_PTE) {
		static const struct { uint64_t bit; const char *name; } sw[] = {
			{P_PRESENT, "present"}, {P_SOFT_DIRTY, "soft-dirty"}, {P_YOUNG, "young"},
			{P_DIRTY, "dirty"}, {P_READ, "read"}, {P_WRITE, "write"},
			{P_SPECIAL, "special"}, {P_UNUSED, "unused"}, {P_LARGE, "large"},
		};
		ADD("pte 0x%llx I=%d P=%d NX=%d", (unsigned long long)v, !!(v & P_INVALID),
		    !!(v & P_PROTECT), !!(v & P_NOEXEC));
		if (e->kind == PGT_E_NONE) {
			ADD(" empty");
			return;
		}
		if (e->kind == PGT_E_SWAP) {
			/* bits 2-6 are the type here, not young/dirty/read/... */
			ADD(" swap type %u offset 0x%llx%s%s", e->swp_type,
			    (unsigned long long)e->swp_offset,
			    (v & P_SOFT_DIRTY) ? " soft-dirty" : "", (v & P_LARGE) ? " exclusive" : "");
		} else {
			ADD(" sw:");
			for (unsigned i = 0; i < sizeof sw / sizeof sw[0]; i++)
				if (v & sw[i].bit)
					ADD(" %s", sw[i].name);
		}
		if (e->kind == PGT_E_LEAF)
			ADD(" -> 0x%llx%s%s", (unsigned long long)e->pa,
			    (e->flags & PGT_F_INVALID_HW) ? " (hw-invalid)" : "",
			    (e->flags & PGT_F_PROTNONE) ? " prot-none" : "");
	} else {
		const char *lname = level < L_PTE ? levels[level].name : "?";
		ADD("%s 0x%llx TT=%s I=%d P=%d NX=%d", lname, (unsigned long long)v,
		    tt_name((unsigned)((v & E_TT) >> 2)), !!(v & E_INVALID), !!(v & E_PROTECT),
		    !!(v & E_NOEXEC));
		if (e->kind == PGT_E_NONE) {
			ADD(" empty");
			return;
		}
		if (e->kind == PGT_E_LEAF) {
			ADD(" large %s -> 0x%llx", level == L_R3T ? "2G" : "1M", (unsigned long long)e->pa);
			if (v & L_READ) ADD(" read");
			if (v & L_WRITE) ADD(" write");
			if (v & L_DIRTY) ADD(" dirty");
			if (v & L_YOUNG) ADD(" young");
			if (v & L_SOFT_DIRTY) ADD(" soft-dirty");
		} else if (level == L_SGT) {
			ADD(" origin 0x%llx", (unsigned long long)(v & S_ORIGIN));
		} else {
			ADD(" TF=%u TL=%u origin 0x%llx", (unsigned)((v & E_TF) >> 6), (unsigned)(v & E_TL),
			    (unsigned long long)(v & R_ORIGIN));
		}
		if (e->kind == PGT_E_TABLE && e->next_level < 5)
			ADD(" -> %s[%u..%u]", levels[e->next_level].name, e->next_lo, e->next_hi);
	}
	if (e->kind == PGT_E_BAD && e->bad)
		ADD(" BAD: %s", e->bad);
#undef ADD
}

const struct pgt_arch_ops pgt_arch_s390x = {
	.name = "s390x",
	.kdump_arch = "s390x",
	.early = early,
	.setup = setup,
	.decode = decode,
	.mm_root = mm_root,
	.kva_linear = kva_linear,
	.describe = describe,
};
