/* x86 32-bit decoders (PAE and 2-level), roots, linear map, the mode choice
 * of setup(), the VMCOREINFO KASLR offset (src/kaslr.c) and the check hooks.
 *
 * Expected values are worked out by hand from the Linux 6.1 macros
 * (pgtable_types.h, pgtable.h, pgtable-3level.h, pgtable-2level.h,
 * pgtable-invert.h, swapops.h); the formula is next to each literal. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pgt/arch.h"
#include "pgt/check.h"
#include "pgt/dump.h"
#include "pgt/kaslr.h"
#include "pgt/source.h"
#include "pgt/walk.h"
#include "unit.h"
#include "corefile.h"

extern const struct pgt_arch_ops pgt_arch_x86_pae, pgt_arch_x86_2level;

static struct pgt_paging pg_pae = {.ops = &pgt_arch_x86_pae};
static struct pgt_paging pg_l2 = {.ops = &pgt_arch_x86_2level};

static struct pgt_entry pae(unsigned level, uint64_t v)
{
	uint8_t b[8];
	struct pgt_entry e;
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	pgt_arch_x86_pae.decode(&pg_pae, level, b, 0, &e);
	return e;
}

static struct pgt_entry l2(unsigned level, uint32_t v)
{
	uint8_t b[4];
	struct pgt_entry e;
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	pgt_arch_x86_2level.decode(&pg_l2, level, b, 0, &e);
	return e;
}

static int has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		fprintf(stderr, "  \"%s\" lacks \"%s\"\n", hay, needle);
		return 0;
	}
	return 1;
}

#define F_PRESENT_RW_USER_AD (PGT_F_HWVALID | PGT_F_WRITE | PGT_F_USER | PGT_F_ACCESSED | PGT_F_DIRTY)

static void test_pae_pte(void)
{
	struct pgt_entry e;
	char d[256];

	/* pte_none(): zero, or only _PAGE_KNL_ERRATUM_MASK (A 0x20 | D 0x40). */
	CHECK_EQ(pae(2, 0).kind, PGT_E_NONE);
	CHECK_EQ(pae(2, 0x60).kind, PGT_E_NONE);
	CHECK_EQ(pae(2, 0x20).kind, PGT_E_NONE);
	CHECK_EQ(pae(2, 0x40).kind, PGT_E_NONE);
	e = pae(2, 0x60);
	pgt_arch_x86_pae.describe(&pg_pae, 2, &e, d, sizeof d);
	CHECK(!strcmp(d, "(ignored bits 0x60)"));
	e = pae(2, 0);
	pgt_arch_x86_pae.describe(&pg_pae, 2, &e, d, sizeof d);
	CHECK(!strcmp(d, ""));

	/* PAGE_SHARED-like user page: P|RW|US|A|D = 0x67, NX bit 63, frame 0x12345. */
	e = pae(2, 0x8000000012345067ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x12345000);
	CHECK_EQ(e.flags, F_PRESENT_RW_USER_AD | PGT_F_NX);
	CHECK_EQ(e.raw, 0x8000000012345067ull);
	pgt_arch_x86_pae.describe(&pg_pae, 2, &e, d, sizeof d);
	CHECK(!strcmp(d, "P RW US A D NX"));

	/* Frame above 4 GiB (36-bit PA), P|US|A = 0x25, executable. */
	e = pae(2, 0x0000000ffffff025ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0xffffff000ull);
	CHECK_EQ(e.flags, PGT_F_HWVALID | PGT_F_USER | PGT_F_ACCESSED);

	/* __PAGE_KERNEL: P|RW|A|D|G = 0x163 plus NX. */
	e = pae(2, 0x8000000001000163ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x1000000);
	CHECK_EQ(e.flags, PGT_F_HWVALID | PGT_F_WRITE | PGT_F_ACCESSED | PGT_F_DIRTY | PGT_F_GLOBAL |
			  PGT_F_NX);

	/* pte_special(): bit 9.  P|US|A|SPECIAL = 0x225. */
	e = pae(2, 0x8000000000abc225ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0xabc000);
	CHECK_EQ(e.flags, PGT_F_HWVALID | PGT_F_USER | PGT_F_ACCESSED | PGT_F_SPECIAL | PGT_F_NX);
	pgt_arch_x86_pae.describe(&pg_pae, 2, &e, d, sizeof d);
	CHECK(has(d, "SPECIAL"));

	/* Bits 10/11 are uffd-wp / soft-dirty only on 64-bit: never reported here. */
	e = pae(2, 0x0000000012345c67ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.flags, F_PRESENT_RW_USER_AD);

	/* PROT_NONE from pfn_pte(0x2345, PAGE_NONE): PAGE_NONE = A|G = 0x120;
	 * frame ^ ~0 masked with PTE_PFN_MASK 0x000ffffffffff000 = 0x000ffffffdcba000. */
	e = pae(2, 0x000ffffffdcba120ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x2345000);
	CHECK_EQ(e.flags, PGT_F_PROTNONE | PGT_F_ACCESSED);
	pgt_arch_x86_pae.describe(&pg_pae, 2, &e, d, sizeof d);
	CHECK(!strcmp(d, "A PROTNONE (frame stored inverted)"));

	/* mprotect(PROT_NONE) of 0x8000000012345067: pte_modify keeps
	 * _PAGE_CHG_MASK (frame, A, D), adds A|G, drops NX and RW/US, then
	 * flip_protnone_guard inverts the frame: ~0x12345000 & PFN mask. */
	e = pae(2, 0x000fffffedcba160ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x12345000);
	CHECK_EQ(e.flags, PGT_F_PROTNONE | PGT_F_ACCESSED | PGT_F_DIRTY);
	CHECK(!(e.flags & PGT_F_HWVALID));
	CHECK(!(e.flags & PGT_F_GLOBAL));

	/* Swap: __swp_pteval_entry(type, off) = (~off << 14 >> 5) | type << 59.
	 * type 3, offset 0x1234: ~0x1234 << 9 = 0xffffffffffdb9600, top 5 bits
	 * cleared, | 3 << 59 = 0x1fffffffffdb9600. */
	e = pae(2, 0x1fffffffffdb9600ull);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 3);
	CHECK_EQ(e.swp_offset, 0x1234);
	CHECK_EQ(e.flags, 0);
	pgt_arch_x86_pae.describe(&pg_pae, 2, &e, d, sizeof d);
	CHECK(has(d, "swap type 3 offset 0x1234"));

	/* Largest type and 26-bit offset: (~0x3ffffff << 9) >> 5 leaves bits 35..58
	 * set: 0x07fffff800000000 | 31 << 59 = 0xfffffff800000000. */
	e = pae(2, 0xfffffff800000000ull);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 31);
	CHECK_EQ(e.swp_offset, 0x3ffffff);

	/* Migration entry (type 29 = MAX_SWAPFILES 27 + hwpoison 1 + 1) for pfn 0x2cc0:
	 * ~0x2cc0 << 9 = 0xffffffffffa67e00 -> 0x07ffffffffa67e00 | 29 << 59. */
	e = pae(2, 0xefffffffffa67e00ull);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 29);
	CHECK_EQ(e.swp_offset, 0x2cc0);

	/* Type 0, offset 0: all offset bits inverted = 0x07fffffffffffe00. */
	e = pae(2, 0x07fffffffffffe00ull);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 0);
	CHECK_EQ(e.swp_offset, 0);

	/* Not none (NX is not an A/D bit), not present: is_swap_pte() holds.
	 * type = bit 63..59 = 16, offset = ~v bits 9..34 = all ones. */
	e = pae(2, 0x8000000000000000ull);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 16);
	CHECK_EQ(e.swp_offset, 0x3ffffff);
	/* RW alone: still a (nonsense) swap entry for Linux, no soft-dirty on 32-bit. */
	e = pae(2, 0x2);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.flags & PGT_F_SOFT_DIRTY, 0);

	/* Decoding by index inside a table. */
	uint8_t tbl[16] = {0};
	uint64_t v = 0x8000000012345067ull;
	for (int i = 0; i < 8; i++)
		tbl[8 + i] = (uint8_t)(v >> (8 * i));
	pgt_arch_x86_pae.decode(&pg_pae, 2, tbl, 1, &e);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x12345000);
	pgt_arch_x86_pae.decode(&pg_pae, 2, tbl, 0, &e);
	CHECK_EQ(e.kind, PGT_E_NONE);
}

static void test_pae_pmd(void)
{
	struct pgt_entry e;
	char d[256];

	/* pmd_none(): low word only, A/D ignored. */
	CHECK_EQ(pae(1, 0).kind, PGT_E_NONE);
	CHECK_EQ(pae(1, 0x60).kind, PGT_E_NONE);
	CHECK_EQ(pae(1, 0x0000000100000000ull).kind, PGT_E_NONE);

	/* _PAGE_TABLE = P|RW|US|A|D = 0x67. */
	e = pae(1, 0x0000000002cc1067ull);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x2cc1000);
	CHECK_EQ(e.next_level, 2);
	CHECK_EQ(e.next_lo, 0);
	CHECK_EQ(e.next_hi, 511);
	/* _KERNPG_TABLE = 0x63; a table above 4 GiB. */
	e = pae(1, 0x0000000501e9a063ull);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x501e9a000ull);
	/* pmd_bad() ignores US and A: P|RW|D = 0x43 is a plain table. */
	e = pae(1, 0x2cc1043);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	pgt_arch_x86_pae.describe(&pg_pae, 1, &e, d, sizeof d);
	CHECK(!strstr(d, "pmd_bad"));
	/* PTI sets G on the PMDs it shares (cpu_entry_area): 0x167 as found in
	 * the real dump.  pmd_bad() would say yes; the CPU follows it. */
	e = pae(1, 0x1ffd8167);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x1ffd8000);
	CHECK(e.flags & PGT_F_GLOBAL);
	pgt_arch_x86_pae.describe(&pg_pae, 1, &e, d, sizeof d);
	CHECK(has(d, "P RW US A D G"));
	CHECK(!strstr(d, "pmd_bad"));
	/* No RW / no D / NX: still walked by the CPU, named by describe(). */
	e = pae(1, 0x2cc1065);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.flags & PGT_F_WRITE, 0);
	pgt_arch_x86_pae.describe(&pg_pae, 1, &e, d, sizeof d);
	CHECK(has(d, "pmd_bad"));
	CHECK_EQ(pae(1, 0x2cc1027).kind, PGT_E_TABLE);
	e = pae(1, 0x8000000002cc1067ull);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x2cc1000);
	CHECK(e.flags & PGT_F_NX);
	/* PROTNONE without PSE or P: pmd_present() yet no table for the CPU. */
	e = pae(1, 0x2cc1100);
	CHECK_EQ(e.kind, PGT_E_BAD);
	CHECK(e.bad != NULL);

	/* THP: P|RW|US|A|D|PSE = 0xe7, NX, 2 MiB frame 0x20a00000. */
	e = pae(1, 0x8000000020a000e7ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x20a00000);
	CHECK_EQ(e.flags, F_PRESENT_RW_USER_AD | PGT_F_NX | PGT_F_HUGE);
	pgt_arch_x86_pae.describe(&pg_pae, 1, &e, d, sizeof d);
	CHECK(!strcmp(d, "P RW US A D PSE NX"));
	/* _PAGE_PAT_LARGE (bit 12) is a flag on a PSE entry, not address. */
	e = pae(1, 0x20a010e7);
	CHECK_EQ(e.pa, 0x20a00000);
	/* __PAGE_KERNEL_LARGE: P|RW|A|D|PSE|G = 0x1e3, NX. */
	e = pae(1, 0x80000000004001e3ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x400000);
	CHECK_EQ(e.flags, PGT_F_HWVALID | PGT_F_WRITE | PGT_F_ACCESSED | PGT_F_DIRTY | PGT_F_GLOBAL |
			  PGT_F_NX | PGT_F_HUGE);

	/* pmd_modify(THP above, PAGE_NONE): keep _HPAGE_CHG_MASK (frame, PSE, A,
	 * D) = 0x20a000e0, | A|G (0x120) = 0x20a001e0, then invert the frame with
	 * PHYSICAL_PMD_PAGE_MASK 0x000fffffffe00000: ~0x20a00000 -> 0x000fffffdf400000. */
	e = pae(1, 0x000fffffdf4001e0ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x20a00000);
	CHECK_EQ(e.flags, PGT_F_PROTNONE | PGT_F_ACCESSED | PGT_F_DIRTY | PGT_F_HUGE);

	/* pmd_mkinvalid() of the THP (split in progress): flags lose P and
	 * PROTNONE (0x...e6), pfn_pmd() inverts the frame since P is clear.
	 * pmd_present() still holds through PSE. */
	e = pae(1, 0x800fffffdf4000e6ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x20a00000);
	CHECK_EQ(e.flags, PGT_F_WRITE | PGT_F_USER | PGT_F_ACCESSED | PGT_F_DIRTY | PGT_F_NX |
			  PGT_F_HUGE);

	/* hugetlb hwpoison entry (type 27 = MAX_SWAPFILES) for pfn 0x20a00,
	 * in the pte swap layout: ~0x20a00 << 9 = 0xfffffffffbebfe00, top 5 bits
	 * cleared, | 27 << 59. */
	e = pae(1, 0xdffffffffbebfe00ull);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 27);
	CHECK_EQ(e.swp_offset, 0x20a00);
	CHECK(e.flags & PGT_F_HUGE);
}

static void test_pae_pdpt(void)
{
	struct pgt_entry e;
	char d[256];

	CHECK_EQ(pae(0, 0).kind, PGT_E_NONE);
	/* pud_populate(): __pa(pmd) | _PAGE_PRESENT. */
	e = pae(0, 0x0000000002cc0001ull);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x2cc0000);
	CHECK_EQ(e.next_level, 1);
	CHECK_EQ(e.next_hi, 511);
	pgt_arch_x86_pae.describe(&pg_pae, 0, &e, d, sizeof d);
	CHECK(!strcmp(d, "P"));
	/* A and D are outside PGD_ALLOWED_BITS: native_pgd_val() sees 0. */
	CHECK_EQ(pae(0, 0x60).kind, PGT_E_NONE);
	/* pud_bad(): PWT is allowed in a PDPTE but not a Linux table flag; the
	 * CPU uses the table anyway. */
	e = pae(0, 0x2cc0009);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	pgt_arch_x86_pae.describe(&pg_pae, 0, &e, d, sizeof d);
	CHECK(has(d, "PWT"));
	CHECK(has(d, "pud_bad"));
	/* Bits outside PGD_ALLOWED_BITS are dropped by native_pgd_val(): A as
	 * found in a real dump (0x21), RW, NX. */
	e = pae(0, 0x2cc0021);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x2cc0000);
	pgt_arch_x86_pae.describe(&pg_pae, 0, &e, d, sizeof d);
	CHECK(has(d, "ignored bits 0x20"));
	e = pae(0, 0x8000000002cc0003ull);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x2cc0000);
	/* Bits 52..62 are outside the frame mask too. */
	e = pae(0, 0x7ff0000002cc0001ull);
	CHECK_EQ(e.pa, 0x2cc0000);
	/* ...but a PWT-only value survives the mask: not present, not empty. */
	CHECK_EQ(pae(0, 0x8).kind, PGT_E_BAD);
	/* Frame without P. */
	CHECK_EQ(pae(0, 0x2cc0000).kind, PGT_E_BAD);
}

static void test_l2(void)
{
	struct pgt_entry e;
	char d[256];

	/* pgd (the folded pmd): only 0 is none without PAE. */
	CHECK_EQ(l2(0, 0).kind, PGT_E_NONE);
	/* A|D alone: swap layout, type (0x60 >> 1) & 31 = 16, offset 0. */
	e = l2(0, 0x60);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 16);
	CHECK_EQ(e.swp_offset, 0);
	e = l2(0, 0x01234067);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x01234000);
	CHECK_EQ(e.next_level, 1);
	CHECK_EQ(e.next_hi, 1023);
	e = l2(0, 0x01234065); /* no RW: pmd_bad(), but a table for the CPU */
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.flags & PGT_F_WRITE, 0);
	/* PROTNONE alone (bit 8, P clear, no PSE): not a table. */
	CHECK_EQ(l2(0, 0x01234100).kind, PGT_E_BAD);

	/* 4 MiB page: P|RW|A|D|PSE = 0xe3, frame bits 22..31. */
	e = l2(0, 0x004000e3);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x400000);
	CHECK_EQ(e.flags, PGT_F_HWVALID | PGT_F_WRITE | PGT_F_ACCESSED | PGT_F_DIRTY | PGT_F_HUGE);
	pgt_arch_x86_2level.describe(&pg_l2, 0, &e, d, sizeof d);
	CHECK(!strcmp(d, "P RW A D PSE"));
	e = l2(0, 0x00c001e3);
	CHECK_EQ(e.flags & PGT_F_GLOBAL, PGT_F_GLOBAL);
	CHECK_EQ(e.flags & PGT_F_NX, 0);
	/* PAT_LARGE (bit 12) is a flag. */
	e = l2(0, 0x00c010e3);
	CHECK_EQ(e.pa, 0xc00000);
	CHECK_EQ(e.flags & PGT_F_HW_MISMATCH, 0);
	/* PSE-36: bit 13 is PA bit 32 for the MMU; Linux's pmd_pfn() masks it
	 * off (32-bit phys_addr_t), so the Linux address stays 0xc00000. */
	e = l2(0, 0x00c020e3);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0xc00000);
	CHECK(e.flags & PGT_F_HW_MISMATCH);
	pgt_arch_x86_2level.describe(&pg_l2, 0, &e, d, sizeof d);
	CHECK(has(d, "0x100c00000"));
	/* bits 13..20 = 0xff -> PA bits 32..39 = 0xff. */
	e = l2(0, 0x005fe0e3);
	CHECK_EQ(e.pa, 0x400000);
	pgt_arch_x86_2level.describe(&pg_l2, 0, &e, d, sizeof d);
	CHECK(has(d, "0xff00400000"));
	/* PROT_NONE 4 MiB page: no inversion on 2-level. */
	e = l2(0, 0x00c001e0);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0xc00000);
	CHECK_EQ(e.flags, PGT_F_PROTNONE | PGT_F_ACCESSED | PGT_F_DIRTY | PGT_F_HUGE);

	/* pte level */
	CHECK_EQ(l2(1, 0).kind, PGT_E_NONE);
	e = l2(1, 0x60);
	CHECK_EQ(e.kind, PGT_E_SWAP); /* _PAGE_KNL_ERRATUM_MASK is 0 here */
	e = l2(1, 0x12345067);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x12345000);
	CHECK_EQ(e.flags, F_PRESENT_RW_USER_AD);
	pgt_arch_x86_2level.describe(&pg_l2, 1, &e, d, sizeof d);
	CHECK(!strcmp(d, "P RW US A D"));
	e = l2(1, 0x01000163);
	CHECK_EQ(e.flags, PGT_F_HWVALID | PGT_F_WRITE | PGT_F_ACCESSED | PGT_F_DIRTY | PGT_F_GLOBAL);
	e = l2(1, 0x00abc225);
	CHECK_EQ(e.flags, PGT_F_HWVALID | PGT_F_USER | PGT_F_ACCESSED | PGT_F_SPECIAL);
	/* pte_modify(0x12345067, PAGE_NONE) = 0x12345060 | 0x120; no flip. */
	e = l2(1, 0x12345160);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x12345000);
	CHECK_EQ(e.flags, PGT_F_PROTNONE | PGT_F_ACCESSED | PGT_F_DIRTY);
	/* __swp_entry(3, 0x1234) = 3 << 1 | 0x1234 << 9 = 0x246806. */
	e = l2(1, 0x00246806);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 3);
	CHECK_EQ(e.swp_offset, 0x1234);
	/* __swp_entry(31, 0x7fffff) = 0x3e | 0xfffffe00. */
	e = l2(1, 0xfffffe3e);
	CHECK_EQ(e.swp_type, 31);
	CHECK_EQ(e.swp_offset, 0x7fffff);
	pgt_arch_x86_2level.describe(&pg_l2, 1, &e, d, sizeof d);
	CHECK(has(d, "swap type 31 offset 0x7fffff"));
}

static void test_roots_and_linear(void)
{
	struct pgt_root r;
	struct pgt_err err = {0};
	struct pgt_mm_regs regs = {0};

	/* Without PTI the PAE pgd is a 32-byte slab object. */
	regs.pgd_pa = 0x2cc0020;
	CHECK_EQ(pgt_arch_x86_pae.mm_root(&pg_pae, &regs, &r, &err), PGT_OK);
	CHECK_EQ(r.pa, 0x2cc0020);
	CHECK_EQ(r.level, 0);
	CHECK_EQ(r.lo, 0);
	CHECK_EQ(r.hi, 3);
	CHECK_EQ(r.va_limit, 0x100000000ull);
	CHECK(has(r.desc, "PAE"));
	regs.pgd_pa = 0x2cc0010;
	CHECK_EQ(pgt_arch_x86_pae.mm_root(&pg_pae, &regs, &r, &err), PGT_EINPUT);
	regs.pgd_pa = 0x100000000ull;
	CHECK_EQ(pgt_arch_x86_pae.mm_root(&pg_pae, &regs, &r, &err), PGT_EINPUT);

	regs.pgd_pa = 0x2cc0000;
	CHECK_EQ(pgt_arch_x86_2level.mm_root(&pg_l2, &regs, &r, &err), PGT_OK);
	CHECK_EQ(r.hi, 1023);
	CHECK_EQ(r.va_limit, 0x100000000ull);
	CHECK(has(r.desc, "2-level"));
	regs.pgd_pa = 0x2cc0020;
	CHECK_EQ(pgt_arch_x86_2level.mm_root(&pg_l2, &regs, &r, &err), PGT_EINPUT);

	struct pgt_paging pg = {.ops = &pgt_arch_x86_pae, .page_offset = 0xc0000000,
				.lowmem_end = 0xe0000000};
	uint64_t pa = 0;
	CHECK_EQ(pgt_arch_x86_pae.kva_linear(&pg, 0xc1e98000, &pa), 1);
	CHECK_EQ(pa, 0x1e98000);
	CHECK_EQ(pgt_arch_x86_pae.kva_linear(&pg, 0xdfffffff, &pa), 1);
	CHECK_EQ(pa, 0x1fffffff);
	CHECK_EQ(pgt_arch_x86_pae.kva_linear(&pg, 0xe0000000, &pa), 0); /* vmalloc: walked */
	CHECK_EQ(pgt_arch_x86_pae.kva_linear(&pg, 0xbffff000, &pa), 0); /* user */
	CHECK_EQ(pgt_arch_x86_pae.kva_linear(&pg, 0xffa00000, &pa), 0); /* pkmap/fixmap */
}

/* setup() chooses the mode from facts before touching memory, so the
 * "other mode" answers need no dump. */
static void test_mode_choice(void)
{
	struct pgt_source_info si = {0};
	struct pgt_dump d;
	struct pgt_paging pg;
	struct pgt_err err = {0};

	memset(&d, 0, sizeof d);
	for (unsigned i = 0; i < S__COUNT; i++)
		d.prof.struct_size[i] = PGT_ABSENT;
	d.si = &si;
	d.path = "test";

	d.prof.struct_size[S_pte_t] = 4;
	CHECK_EQ(pgt_arch_x86_pae.setup(&pg, &d, &err), PGT_ENOTFOUND);
	d.prof.struct_size[S_pte_t] = 8;
	CHECK_EQ(pgt_arch_x86_2level.setup(&pg, &d, &err), PGT_ENOTFOUND);

	d.prof.struct_size[S_pte_t] = PGT_ABSENT;
	si.vmcoreinfo = "OSRELEASE=6.1.0-50-686-pae\nPAGESIZE=4096\nCONFIG_X86_PAE=y\n";
	CHECK_EQ(pgt_arch_x86_2level.setup(&pg, &d, &err), PGT_ENOTFOUND);
	si.vmcoreinfo = "OSRELEASE=6.1.0-50-686\nPAGESIZE=4096\n";
	CHECK_EQ(pgt_arch_x86_pae.setup(&pg, &d, &err), PGT_ENOTFOUND);

	/* DWARF and VMCOREINFO disagree: the profile is not this kernel's. */
	d.prof.struct_size[S_pte_t] = 8;
	CHECK_EQ(pgt_arch_x86_pae.setup(&pg, &d, &err), PGT_EINPUT);
	CHECK(has(err.msg, "CONFIG_X86_PAE"));

	/* No fact at all. */
	d.prof.struct_size[S_pte_t] = PGT_ABSENT;
	si.vmcoreinfo = NULL;
	CHECK_EQ(pgt_arch_x86_pae.setup(&pg, &d, &err), PGT_EINPUT);
	CHECK_EQ(pgt_arch_x86_2level.setup(&pg, &d, &err), PGT_EINPUT);
}

/* A tiny ELF core: 2 MiB of "physical memory" holding a kernel page table
 * in which swapper_pg_dir (physical 0x100000) maps itself at
 * page_offset + 0x100000, and high_memory (physical 0x103000) = page_offset
 * + 2 MiB.  setup() must find the split from the tables alone. */
#define MEM_SIZE 0x200000u
static uint8_t mem[MEM_SIZE];

static void put64(uint64_t pa, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		mem[pa + i] = (uint8_t)(v >> (8 * i));
}

static void put32(uint64_t pa, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		mem[pa + i] = (uint8_t)(v >> (8 * i));
}

static int write_core(char *path)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return write_core_file(path, 1, 0, EM_386, 0, 0, mem, MEM_SIZE, NULL);
}

static void setup_on(int pae, uint64_t page_offset, const char *vmcoreinfo)
{
	char path[] = "/tmp/pgt_unit_x86_32_XXXXXX";
	struct pgt_dump d;
	struct pgt_paging pg;
	struct pgt_err err = {0};
	const struct pgt_arch_ops *ops = pae ? &pgt_arch_x86_pae : &pgt_arch_x86_2level;
	uint64_t swapper = page_offset + 0x100000;

	memset(mem, 0, sizeof mem);
	if (pae) {
		/* PDPT -> pmd at 0x101000 -> pte at 0x102000 -> 0x100000. */
		put64(0x100000 + 8 * (swapper >> 30), 0x101001);
		put64(0x101000 + 8 * ((swapper >> 21) & 511), 0x102063);
		put64(0x102000 + 8 * ((swapper >> 12) & 511), 0x8000000000100163ull);
	} else {
		/* One 4 MiB page at physical 0 covers the whole image. */
		put32(0x100000 + 4 * (uint32_t)(swapper >> 22), 0x000001e3);
	}
	put32(0x103000, (uint32_t)(page_offset + MEM_SIZE)); /* high_memory */
	if (write_core(path)) {
		CHECK(!"cannot write the test core");
		return;
	}
	memset(&d, 0, sizeof d);
	memset(&pg, 0, sizeof pg);
	for (unsigned i = 0; i < S__COUNT; i++)
		d.prof.struct_size[i] = PGT_ABSENT;
	d.path = path;
	CHECK_EQ(pgt_source_open(&d.src, path, &err), PGT_OK);
	unlink(path);
	if (!d.src)
		return;
	pgt_source_set_vmcoreinfo(d.src, vmcoreinfo);
	d.si = pgt_source_info(d.src);
	d.prof.sym[Y_high_memory] = page_offset + 0x103000;
	pg.ops = ops;

	CHECK_EQ(ops->setup(&pg, &d, &err), PGT_OK);
	CHECK_EQ(pg.page_offset, page_offset);
	CHECK_EQ(pg.user_end, page_offset);
	CHECK_EQ(pg.kernel_start, page_offset);
	CHECK_EQ(pg.kernel_root_pa, 0x100000);
	CHECK_EQ(pg.lowmem_end, page_offset + MEM_SIZE);
	CHECK_EQ(pg.nlevels, pae ? 3 : 2);
	CHECK_EQ(pg.va_bits, 32);
	CHECK_EQ(pg.swp_first_special, 27); /* 32 - hwpoison - 3 migration - swapin error */
	CHECK_EQ(pg.migration_first, 28);
	CHECK(has(pg.desc, pae ? "PAE" : "2-level"));
	/* The other format declines. */
	const struct pgt_arch_ops *other = pae ? &pgt_arch_x86_2level : &pgt_arch_x86_pae;
	struct pgt_paging pg2 = {.ops = other};
	CHECK_EQ(other->setup(&pg2, &d, &err), PGT_ENOTFOUND);

	/* Without high_memory nothing is linear: lowmem is walked. */
	d.prof.sym[Y_high_memory] = 0;
	CHECK_EQ(ops->setup(&pg, &d, &err), PGT_OK);
	CHECK_EQ(pg.lowmem_end, page_offset);

	/* A swapper_pg_dir that maps nothing: no split fits. */
	memset(&pg, 0, sizeof pg);
	pg.ops = ops;
	d.prof.sym[Y_high_memory] = page_offset + 0x103000;
	char vi2[256];
	snprintf(vi2, sizeof vi2, "OSRELEASE=6.1.0\nSYMBOL(swapper_pg_dir)=%llx\n%s",
		 (unsigned long long)(page_offset + 0x104000), pae ? "CONFIG_X86_PAE=y\n" : "");
	pgt_source_set_vmcoreinfo(d.src, vi2);
	CHECK_EQ(ops->setup(&pg, &d, &err), PGT_EINPUT);
	CHECK(has(err.msg, "does not map itself"));
	pgt_source_close(d.src);
}

static void test_setup_synthetic(void)
{
	setup_on(1, 0xc0000000,
		 "OSRELEASE=6.1.0-50-686-pae\nSYMBOL(swapper_pg_dir)=c0100000\n"
		 "NUMBER(PG_hwpoison)=23\nCONFIG_X86_PAE=y\n");
	/* VMSPLIT_2G: PAGE_OFFSET 0x80000000. */
	setup_on(1, 0x80000000,
		 "OSRELEASE=6.1.0\nSYMBOL(swapper_pg_dir)=80100000\nNUMBER(PG_hwpoison)=23\n"
		 "CONFIG_X86_PAE=y\n");
	setup_on(0, 0xc0000000,
		 "OSRELEASE=6.1.0-50-686\nSYMBOL(swapper_pg_dir)=c0100000\nNUMBER(PG_hwpoison)=23\n");
	/* VMSPLIT_3G_OPT: 0xb0000000. */
	setup_on(0, 0xb0000000,
		 "OSRELEASE=6.1.0\nSYMBOL(swapper_pg_dir)=b0100000\nNUMBER(PG_hwpoison)=23\n");
}

/* ---- the checker on synthetic cores --------------------------------- */

/* Findings of one checker run. */
static struct {
	const char *check, *sev, *level;
	uint64_t va, end, table;
} fnd[16];
static unsigned nfnd;

static void collect(void *arg, const struct pgt_finding *f)
{
	if (nfnd < 16) {
		fnd[nfnd].check = f->check;
		fnd[nfnd].sev = f->severity;
		fnd[nfnd].level = f->level;
		fnd[nfnd].va = f->va;
		fnd[nfnd].end = f->end;
		fnd[nfnd].table = f->table_pa;
	}
	nfnd++;
}

static int is_finding(unsigned i, const char *check, const char *sev, const char *level, uint64_t va,
		      uint64_t end, uint64_t table)
{
	if (i >= nfnd || i >= 16)
		return 0;
	if (strcmp(fnd[i].check, check) || strcmp(fnd[i].sev, sev) || strcmp(fnd[i].level, level) ||
	    fnd[i].va != va || fnd[i].end != end || fnd[i].table != table) {
		fprintf(stderr, "  finding %u: %s %s %s 0x%llx-0x%llx table 0x%llx\n", i, fnd[i].sev, fnd[i].check,
			fnd[i].level, (unsigned long long)fnd[i].va, (unsigned long long)fnd[i].end,
			(unsigned long long)fnd[i].table);
		return 0;
	}
	return 1;
}

/* Writes mem[] as a core with this VMCOREINFO and runs setup() of ops on
 * it; 0 (after a failed CHECK) when that cannot be done. */
static int open_synthetic(struct pgt_dump *d, const struct pgt_arch_ops *ops, const char *vmcoreinfo)
{
	static char path[64];
	struct pgt_err err = {0};

	snprintf(path, sizeof path, "/tmp/pgt_unit_x86_32_XXXXXX");
	memset(d, 0, sizeof *d);
	for (unsigned i = 0; i < S__COUNT; i++)
		d->prof.struct_size[i] = PGT_ABSENT;
	if (write_core(path)) {
		CHECK(!"cannot write the test core");
		return 0;
	}
	d->path = path;
	CHECK_EQ(pgt_source_open(&d->src, path, &err), PGT_OK);
	unlink(path);
	if (!d->src)
		return 0;
	pgt_source_set_vmcoreinfo(d->src, vmcoreinfo);
	d->si = pgt_source_info(d->src);
	d->page_size = 4096;
	d->prof.sym[Y_high_memory] = 0xc0103000;
	d->pg.ops = ops;
	d->pg.page_shift = 12;
	d->pg.has_pte_special = 1;
	if (ops->setup(&d->pg, d, &err) != PGT_OK) {
		fprintf(stderr, "  setup: %s\n", err.msg);
		CHECK(!"setup of the synthetic core");
		pgt_source_close(d->src);
		return 0;
	}
	return 1;
}

/* One process (pgd at pgd_pa, one VMA 0x10000-0x20000) through the
 * checker: user half, then kernel half against the kernel's top table, as
 * the check command does.  Returns the bytes the walk counted. */
static uint64_t run_checker(struct pgt_dump *d, uint64_t pgd_pa)
{
	struct pgt_err err = {0};
	struct pgt_vma vma = {.start = 0x10000, .end = 0x20000, .flags = 3};
	struct pgt_mm_regs regs = {.pgd_pa = pgd_pa};
	const struct pgt_level *top = &d->pg.levels[0];
	uint8_t ktop[4096];
	struct pgt_mm mm;
	struct pgt_checker *ck = calloc(1, sizeof *ck);
	uint64_t counted;

	memset(&mm, 0, sizeof mm);
	if (!ck || d->pg.ops->mm_root(&d->pg, &regs, &mm.root, &err) != PGT_OK ||
	    pgt_read_pa(d, d->pg.kroot.pa ? d->pg.kroot.pa : d->pg.kernel_root_pa, ktop,
			(size_t)top->entries * top->entry_size, &err) != PGT_OK) {
		CHECK(!"checker set-up");
		free(ck);
		return 0;
	}
	mm.vmas = &vma;
	mm.nvmas = 1;
	mm.pgtables_bytes = -1;
	ck->d = d;
	ck->mm = &mm;
	ck->pid = 1;
	ck->comm = "unit";
	ck->verbose = 1;
	ck->report = collect;
	ck->ktop = ktop;
	struct pgt_visitor v = pgt_check_visitor(ck);
	nfnd = 0;
	CHECK_EQ(pgt_walk(d, &mm.root, 0, d->pg.user_end, &v, 1, NULL, &err), PGT_OK);
	CHECK_EQ(pgt_walk(d, &mm.root, d->pg.kernel_start, 0, &v, 1, NULL, &err), PGT_OK);
	counted = ck->counted_bytes;
	free(ck);
	return counted;
}

#define SW_PDPT   0x100000u /* swapper_pg_dir */
#define SW_UPDPT  0x101000u /* its PTI user copy (head_32.S: the next page) */
#define SW_PTE    0x102000u /* maps the kernel image page holding swapper */
#define SW_KPMD   0x104000u /* swapper's PMD of the kernel slot */
#define SW_UPMD   0x105000u /* the PMD of swapper's user copy (PTI clones) */
#define P_PGD     0x110000u /* the process: kernel PDPT, user copy at +4 KiB */
#define P_PMD0    0x112000u /* its user PMDs 0x112000..0x114000 */
#define P_KPMD    0x115000u /* its copy of swapper's kernel PMD */
#define P_UPMD    0x119000u /* its PTI user PMD */
#define PMD_VA(i) (0xc0000000u + (uint64_t)(i) * 0x200000u)

/* A PAE kernel with PTI: swapper's kernel PMD, the PTI user copy whose top
 * run of entries (506-507) is the cpu_entry_area (LDT slot 505 below it),
 * and a process whose kernel PMD copy differs from swapper's at 300 (points
 * elsewhere) and 301 (missing); its LDT entry 505 and the G that
 * pti_clone_pgtable() set on swapper's 506 after the copy are by design. */
static void pae_tables(int pti, uint64_t proc_kslot)
{
	memset(mem, 0, sizeof mem);
	put64(SW_PDPT + 24, SW_KPMD | 0x1);
	put64(SW_KPMD + 8 * 0, SW_PTE | 0x63);
	put64(SW_PTE + 8 * 0x100, 0x8000000000100163ull);  /* swapper's own page */
	put64(SW_KPMD + 8 * 300, 0x106063);                 /* vmalloc PTE tables */
	put64(SW_KPMD + 8 * 301, 0x107063);
	put64(SW_KPMD + 8 * 302, 0x108063);
	put64(SW_KPMD + 8 * 506, 0x10a167);                 /* cpu_entry_area, G by PTI */
	put64(SW_KPMD + 8 * 507, 0x10b167);
	if (pti) {
		put64(SW_UPDPT + 24, SW_UPMD | 0x1);
		put64(SW_UPMD + 8 * 506, 0x10a167);
		put64(SW_UPMD + 8 * 507, 0x10b167);
	}
	put32(0x103000, 0xc0000000u + MEM_SIZE); /* high_memory */

	/* the process: 4 preallocated PMDs; one VMA page at 0x10000 */
	for (unsigned i = 0; i < 3; i++) {
		put64(P_PGD + 8 * i, (P_PMD0 + 0x1000u * i) | 0x1);
		put64(P_PGD + 4096 + 8 * i, (P_PMD0 + 0x1000u * i) | 0x1);
	}
	put64(P_PGD + 24, proc_kslot | 0x21); /* the CPU may set A: ignored */
	put64(P_PGD + 4096 + 24, P_UPMD | 0x1);
	put64(P_PMD0, 0x116067);
	put64(0x116000 + 8 * 0x10, 0x8000000000117067ull);
	memcpy(mem + P_KPMD, mem + SW_KPMD, 4096);
	put64(P_KPMD + 8 * 300, 0x109063);  /* points elsewhere */
	put64(P_KPMD + 8 * 301, 0);         /* missing */
	put64(P_KPMD + 8 * 505, 0x118067);  /* LDT remap (map_ldt_struct) */
	put64(P_KPMD + 8 * 506, 0x10a067);  /* copied before pti_clone_pgtable() set G */
	memcpy(mem + P_UPMD, mem + SW_UPMD, 4096);
}

static const char pae_vi[] = "OSRELEASE=6.1.0-unit-686-pae\nSYMBOL(swapper_pg_dir)=c0100000\n"
			     "NUMBER(PG_hwpoison)=23\nCONFIG_X86_PAE=y\n";

static void test_check_pae(void)
{
	struct pgt_dump d;
	uint64_t counted;

	/* PTI: the kernel slot holds the process's own PMD, compared entry by entry. */
	pae_tables(1, P_KPMD);
	if (!open_synthetic(&d, &pgt_arch_x86_pae, pae_vi))
		return;
	CHECK(has(d.pg.desc, ", PTI"));
	counted = run_checker(&d, P_PGD);
	CHECK_EQ(nfnd, 2);
	CHECK(is_finding(0, "kernel-entry-mismatch", "error", "pmd", PMD_VA(300), PMD_VA(301), P_KPMD));
	CHECK(is_finding(1, "kernel-entry-unsynced", "warning", "pmd", PMD_VA(301), PMD_VA(302), P_KPMD));
	/* no leak for the preallocated PMDs of 0x40000000-0xbfffffff; counted:
	 * user PMDs 3, PTE 1 and the kernel PMD copy, as preallocate_pmds()
	 * and mm_inc_nr_ptes() count them.  The kernel adds the PTI user PMD,
	 * which mm->pgd does not reach. */
	CHECK_EQ(counted, 5 * 4096);
	pgt_source_close(d.src);

	/* PTI, but the process uses swapper's PMD itself: pgd_free() would free it. */
	pae_tables(1, SW_KPMD);
	if (!open_synthetic(&d, &pgt_arch_x86_pae, pae_vi))
		return;
	run_checker(&d, P_PGD);
	CHECK_EQ(nfnd, 1);
	CHECK(is_finding(0, "kernel-pmd-shared", "error", "pgd", 0xc0000000u, 0x100000000ull, P_PGD));
	pgt_source_close(d.src);

	/* No PTI (SHARED_KERNEL_PMD 1): the shared PMD is not the process's... */
	pae_tables(0, SW_KPMD);
	if (!open_synthetic(&d, &pgt_arch_x86_pae, pae_vi))
		return;
	CHECK(has(d.pg.desc, ", no PTI"));
	counted = run_checker(&d, P_PGD);
	CHECK_EQ(nfnd, 0);
	CHECK_EQ(counted, 4 * 4096);
	pgt_source_close(d.src);
	/* ...and a PMD of its own there is corruption, not a copy. */
	pae_tables(0, P_KPMD);
	if (!open_synthetic(&d, &pgt_arch_x86_pae, pae_vi))
		return;
	run_checker(&d, P_PGD);
	CHECK_EQ(nfnd, 1);
	CHECK(is_finding(0, "kernel-entry-mismatch", "error", "pgd", 0xc0000000u, 0x100000000ull, P_PGD));
	pgt_source_close(d.src);
}

#define L2_SW   0x100000u /* swapper_pg_dir */
#define L2_PGD  0x110000u
#define PGD_VA(i) ((uint64_t)(i) << 22)

/* 2-level: the process's kernel pgd entries are copies of swapper's made at
 * pgd_alloc(); entry 900 was set in swapper later and has not reached this
 * pgd (the lazy vmalloc sync of seed 002), entry 901 points elsewhere. */
static void test_check_2level(void)
{
	struct pgt_dump d;
	uint64_t counted;

	memset(mem, 0, sizeof mem);
	put32(L2_SW + 4 * 768, 0x000001e3);    /* lowmem 0-4 MiB, PSE */
	put32(L2_SW + 4 * 900, 0x104063);
	put32(L2_SW + 4 * 901, 0x105063);
	put32(L2_SW + 4 * 902, 0x106063);
	put32(0x103000, 0xc0000000u + MEM_SIZE);
	put32(L2_PGD, 0x111067);
	put32(0x111000 + 4 * 0x10, 0x00117067);
	memcpy(mem + L2_PGD + 3072, mem + L2_SW + 3072, 1024);
	put32(L2_PGD + 4 * 900, 0);
	put32(L2_PGD + 4 * 901, 0x107063);
	put32(L2_PGD + 4 * 902, 0x106043);    /* A cleared: the MMU's, not a finding */
	if (!open_synthetic(&d, &pgt_arch_x86_2level,
			    "OSRELEASE=6.1.0-unit-686\nSYMBOL(swapper_pg_dir)=c0100000\nNUMBER(PG_hwpoison)=23\n"))
		return;
	CHECK_EQ(d.pg.kernel_start, 0xc0000000u);
	CHECK_EQ(d.pg.first_user_address, 0);
	counted = run_checker(&d, L2_PGD);
	CHECK_EQ(nfnd, 2);
	CHECK(is_finding(0, "kernel-entry-unsynced", "warning", "pgd", PGD_VA(900), PGD_VA(901), L2_PGD));
	CHECK(is_finding(1, "kernel-entry-mismatch", "error", "pgd", PGD_VA(901), PGD_VA(902), L2_PGD));
	CHECK_EQ(counted, 4096); /* one PTE table; the pgd is not counted */
	pgt_source_close(d.src);
}

/* The hooks alone. */
static void test_hooks(void)
{
	struct pgt_paging pg = {.ops = &pgt_arch_x86_pae, .page_offset = 0xc0000000, .user_end = 0xc0000000};
	/* preallocated user PMDs: by design; PTE tables are not */
	CHECK(pgt_arch_x86_pae.table_by_design(&pg, 1, 0x40000000, 0x80000000) != NULL);
	CHECK(pgt_arch_x86_pae.table_by_design(&pg, 1, 0x80000000, 0xc0000000) != NULL);
	CHECK(pgt_arch_x86_pae.table_by_design(&pg, 2, 0x40000000, 0x40200000) == NULL);
	CHECK(pgt_arch_x86_pae.table_by_design(&pg, 1, 0xc0000000, 0) == NULL);
	CHECK(pgt_arch_x86_2level.table_by_design == NULL);
}

/* The KASLR offset from VMCOREINFO (src/kaslr.c), as dump.c uses it. */
static void test_kaslr(void)
{
	struct pgt_profile prof;
	struct pgt_err err = {0};
	uint64_t off = 0;
	char how[96];
	const char *vi =
		"OSRELEASE=6.1.0-50-686-pae\n"
		"PAGESIZE=4096\n"
		"SYMBOL(init_uts_ns)=c3d629c0\n"
		"SYMBOL(node_online_map)=c3d89cf4\n"
		"SYMBOL(swapper_pg_dir)=c3e98000\n"
		"SYMBOL(_stext)=c3000000\n"
		"SYMBOL(mem_map)=zz\n"
		"SYMBOL(max_pfn)=c3ee0ab8zz\n"
		"SIZE(page)=40\n"
		"CONFIG_X86_PAE=y";

	memset(&prof, 0, sizeof prof);
	prof.ptr_size = 4;
	prof.sym[Y_init_uts_ns] = 0xc1d629c0;
	prof.sym[Y_swapper_pg_dir] = 0xc1e98000;
	prof.sym[Y_stext] = 0xc1000000;
	prof.sym[Y_mem_map] = 0xc1ee0a24; /* malformed VMCOREINFO values do not vote */
	prof.sym[Y_max_pfn] = 0xc1ee0ab8;

	CHECK_EQ(pgt_kaslr_from_vmcoreinfo(vi, &prof, &off, how, sizeof how, &err), PGT_OK);
	CHECK_EQ(off, 0x2000000);
	CHECK(has(how, "3 symbols"));
	CHECK(has(how, "swapper_pg_dir"));

	/* One symbol off by a page: the error names it and both offsets. */
	prof.sym[Y_stext] = 0xc1001000;
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo(vi, &prof, &off, how, sizeof how, &err), PGT_EINPUT);
	CHECK(has(err.msg, "_stext"));
	CHECK(has(err.msg, "0x1fff000"));
	CHECK(has(err.msg, "0x2000000"));

	/* Loaded below the link address: the offset is negative modulo 2^64,
	 * so that pgt_sym()'s 64-bit link + offset is the runtime address. */
	prof.sym[Y_init_uts_ns] = 0xc3e629c0;
	prof.sym[Y_swapper_pg_dir] = 0xc3f98000;
	prof.sym[Y_stext] = 0xc3100000;
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo(vi, &prof, &off, NULL, 0, &err), PGT_OK);
	CHECK_EQ(off, (uint64_t)-0x100000);
	CHECK_EQ(prof.sym[Y_swapper_pg_dir] + off, 0xc3e98000);
	/* A sign-extended link address from a 32-bit kernel counts as its low 32 bits. */
	prof.sym[Y_stext] = 0xffffffffc3100000ull;
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo(vi, &prof, &off, NULL, 0, &err), PGT_OK);
	CHECK_EQ(off, (uint64_t)-0x100000);
	/* 64-bit: no cut (x86_64 without KERNELOFFSET, e.g. an old kernel). */
	struct pgt_profile p64;
	memset(&p64, 0, sizeof p64);
	p64.ptr_size = 8;
	p64.sym[Y_swapper_pg_dir] = 0xffffffff81e98000ull;
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo("SYMBOL(swapper_pg_dir)=ffffffff9be98000\n", &p64, &off, how,
					   sizeof how, &err), PGT_OK);
	CHECK_EQ(off, 0x1a000000);
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo("SYMBOL(swapper_pg_dir)=ffffffff80e98000\n", &p64, &off, how,
					   sizeof how, &err), PGT_OK);
	CHECK_EQ(p64.sym[Y_swapper_pg_dir] + off, 0xffffffff80e98000ull);

	/* KERNELOFFSET wins over the symbols, even when they disagree. */
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo("KERNELOFFSET=1a000000\nSYMBOL(swapper_pg_dir)=0\n", &p64, &off, how,
					   sizeof how, &err), PGT_OK);
	CHECK_EQ(off, 0x1a000000);
	CHECK(has(how, "KERNELOFFSET"));
	/* ...but a malformed one is no statement. */
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo("KERNELOFFSET=zz\nSYMBOL(swapper_pg_dir)=ffffffff81e98000\n", &p64,
					   &off, how, sizeof how, &err), PGT_OK);
	CHECK_EQ(off, 0);
	CHECK(has(how, "1 symbol "));

	/* Nothing in common. */
	memset(prof.sym, 0, sizeof prof.sym);
	prof.sym[Y_init_mm] = 0xc1d00000;
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo(vi, &prof, &off, how, sizeof how, &err), PGT_ENOTFOUND);
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo(NULL, &prof, &off, how, sizeof how, &err), PGT_ENOTFOUND);

	/* No KASLR: a single symbol is enough. */
	prof.sym[Y_swapper_pg_dir] = 0xc3e98000;
	CHECK_EQ(pgt_kaslr_from_vmcoreinfo(vi, &prof, &off, how, sizeof how, &err), PGT_OK);
	CHECK_EQ(off, 0);
	CHECK(has(how, "1 symbol "));
}

int main(void)
{
	test_pae_pte();
	test_pae_pmd();
	test_pae_pdpt();
	test_l2();
	test_roots_and_linear();
	test_mode_choice();
	test_setup_synthetic();
	test_kaslr();
	test_hooks();
	test_check_pae();
	test_check_2level();
	return t_done();
}
