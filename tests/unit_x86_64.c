/* x86_64 entry decoder: every entry kind from hand-written values.
 * Expected values follow 6.1's pgtable_types.h / pgtable_64.h by hand. */
#include <string.h>
#include "pgt/arch_x86_64.h"
#include "unit.h"

static struct pgt_entry dec(unsigned nlevels, unsigned level, uint64_t v)
{
	struct pgt_entry e;
	memset(&e, 0, sizeof e);
	pgt_x86_64_decode(nlevels, level, v, &e);
	return e;
}

int main(void)
{
	struct pgt_entry e;
	/* 4-level: pgd 0, pud 1, pmd 2, pte 3 */

	/* none: zero, and A/D-only (KNL erratum) */
	CHECK_EQ(dec(4, 3, 0).kind, PGT_E_NONE);
	CHECK_EQ(dec(4, 3, 0x60).kind, PGT_E_NONE);
	CHECK_EQ(dec(4, 0, 0x20).kind, PGT_E_NONE);

	/* table entry at pgd: P|RW|US|A = 0x27, next table 0x1234000 */
	e = dec(4, 0, 0x1234027);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x1234000);
	CHECK_EQ(e.next_level, 1);
	/* NX on a table entry (PTI kernel copy) keeps it a table, address masked */
	e = dec(4, 0, 0x8000000001234067ull);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x1234000);

	/* present 4K pte: P|RW|US|A|D = 0x67, pfn 0x2a3c, NX */
	e = dec(4, 3, 0x8000000002a3c067ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x2a3c000);
	CHECK(e.flags & PGT_F_HWVALID);
	CHECK(e.flags & PGT_F_WRITE);
	CHECK(e.flags & PGT_F_USER);
	CHECK(e.flags & PGT_F_DIRTY);
	CHECK(e.flags & PGT_F_NX);
	CHECK(!(e.flags & PGT_F_SOFT_DIRTY));
	CHECK(!(e.flags & PGT_F_SPECIAL));

	/* soft-dirty bit 11, uffd-wp bit 10, special bit 9 */
	e = dec(4, 3, 0x2a3c025ull | (1ull << 11) | (1ull << 10) | (1ull << 9));
	CHECK(e.flags & PGT_F_SOFT_DIRTY);
	CHECK(e.flags & PGT_F_UFFD_WP);
	CHECK(e.flags & PGT_F_SPECIAL);
	CHECK(!(e.flags & PGT_F_WRITE));

	/* PROT_NONE pte: P=0, PROTNONE (bit 8) set, pfn stored inverted.
	 * pfn 0x29e1 -> ~(0x29e1000) & PFN mask, plus flags US|A|D|PROTNONE */
	uint64_t inv = (~0x29e1000ull & 0x000ffffffffff000ull) | 0x164ull;
	e = dec(4, 3, inv);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(e.flags & PGT_F_PROTNONE);
	CHECK(!(e.flags & PGT_F_HWVALID));
	CHECK_EQ(e.pa, 0x29e1000);

	/* swap entry: type 3, offset 0x1234; __swp_entry() encodes
	 * (~offset << 14 >> 5) | type << 59 */
	uint64_t sw = ((~0x1234ull << 14) >> 5) | (3ull << 59);
	sw &= ~0x1ffull; /* low bits below the offset field are not part of it */
	e = dec(4, 3, sw);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 3);
	CHECK_EQ(e.swp_offset, 0x1234);
	CHECK(!(e.flags & PGT_F_SOFT_DIRTY));
	/* swap soft-dirty = RW (bit 1), uffd-wp = USER (bit 2), exclusive = PWT (bit 3) */
	e = dec(4, 3, sw | 0x2 | 0x4 | 0x8);
	CHECK(e.flags & PGT_F_SOFT_DIRTY);
	CHECK(e.flags & PGT_F_UFFD_WP);
	CHECK(e.flags & PGT_F_SWP_EXCL);
	CHECK_EQ(e.swp_offset, 0x1234);

	/* 2 MiB pmd leaf: PSE (bit 7), pa 0x40200000 */
	e = dec(4, 2, 0x402000e7ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(e.flags & PGT_F_HUGE);
	CHECK_EQ(e.pa, 0x40200000);
	/* PAT_LARGE (bit 12) is not an address bit of a 2 MiB leaf */
	e = dec(4, 2, 0x402010e7ull);
	CHECK_EQ(e.pa, 0x40200000);
	/* split-in-progress huge pmd: PSE without P still present */
	e = dec(4, 2, 0x40200080ull | (~0x40200000ull & 0x000fffffffe00000ull));
	CHECK_EQ(e.kind, PGT_E_LEAF);
	/* 1 GiB pud leaf */
	e = dec(4, 1, 0x1c00000e7ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x1c0000000ull);

	/* non-present pmd that is not none: THP migration entry */
	e = dec(4, 2, sw);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 3);

	/* non-present garbage at pgd/pud level is bad, never followed */
	e = dec(4, 0, 0x1234000);
	CHECK_EQ(e.kind, PGT_E_BAD);
	CHECK(e.bad != NULL);

	/* 5-level: p4d exists; pte is level 4, pmd 3, pud 2 */
	e = dec(5, 1, 0x5555027);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.next_level, 2);
	e = dec(5, 3, 0x402000e7ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(e.flags & PGT_F_HUGE);
	e = dec(5, 4, 0x8000000002a3c067ull);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(!(e.flags & PGT_F_HUGE));

	/* address bits above 51 are not part of the frame */
	e = dec(4, 3, 0x7ff0000002a3c067ull);
	CHECK_EQ(e.pa, 0x2a3c000);
	return t_done();
}
