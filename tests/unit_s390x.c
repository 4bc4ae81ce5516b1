/* s390x decoder tests from hand-built entries.  Every expected value below
 * is worked out by hand from Linux 6.1's arch/s390/include/asm/pgtable.h
 * (named in the comments), not from the decoder's own constants. */
#include <string.h>
#include "pgt/arch.h"
#include "pgt/err.h"
#include "unit.h"

extern const struct pgt_arch_ops pgt_arch_s390x;

enum { R1T, R2T, R3T, SGT, PTE };

static uint8_t tbl[2048 * 8];
static struct pgt_paging pg;

/* Stores v big-endian at slot idx, byte by byte (no shared helper). */
static void put(unsigned idx, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		tbl[8 * idx + (unsigned)i] = (uint8_t)(v >> (56 - 8 * i));
}

static struct pgt_entry dec(unsigned level, uint64_t v)
{
	struct pgt_entry e;
	unsigned idx = level == PTE ? 255 : 2047; /* last slot: catches size mistakes */
	memset(tbl, 0xee, sizeof tbl);
	put(idx, v);
	memset(&e, 0x5a, sizeof e);
	pgt_arch_s390x.decode(&pg, level, tbl, idx, &e);
	CHECK_EQ(e.raw, v);
	CHECK(!(e.flags & PGT_F_UFFD_WP)); /* s390 6.1 has no uffd-wp bit */
	return e;
}

#define HAS(e, f) (((e).flags & (f)) != 0)

static void test_byte_order(void)
{
	struct pgt_entry e;
	/* 0x400 (_PAGE_INVALID) stored big-endian is 00 .. 00 04 00. */
	memset(tbl, 0, sizeof tbl);
	tbl[8 * 7 + 6] = 0x04;
	pgt_arch_s390x.decode(&pg, PTE, tbl, 7, &e);
	CHECK_EQ(e.raw, 0x400);
	CHECK_EQ(e.kind, PGT_E_NONE);
}

static void test_region_empty(void)
{
	/* _REGIONn_ENTRY_EMPTY = TT | _REGION_ENTRY_INVALID (0x20) */
	CHECK_EQ(dec(R1T, 0x2c).kind, PGT_E_NONE);   /* TT r1 0x0c */
	CHECK_EQ(dec(R2T, 0x28).kind, PGT_E_NONE);   /* TT r2 0x08 */
	CHECK_EQ(dec(R3T, 0x24).kind, PGT_E_NONE);   /* TT r3 0x04 */
	CHECK_EQ(dec(SGT, 0x20).kind, PGT_E_NONE);   /* _SEGMENT_ENTRY_EMPTY */
	/* pgd_none() only tests the invalid bit... */
	CHECK_EQ(dec(R1T, 0x1230002c).kind, PGT_E_NONE);
	/* ...p4d_none()/pud_none()/pmd_none() compare with the empty value. */
	CHECK_EQ(dec(R2T, 0x12300028).kind, PGT_E_BAD);
	CHECK_EQ(dec(R3T, 0x12300024).kind, PGT_E_BAD);
	CHECK_EQ(dec(SGT, 0x12300020).kind, PGT_E_BAD);
	/* An all-zero slot is no empty entry on s390. */
	CHECK_EQ(dec(R3T, 0).kind, PGT_E_BAD);
}

static void test_region_tables(void)
{
	struct pgt_entry e;

	/* pgd_populate(): _REGION1_ENTRY (0x0c | 0x03) | origin; from the real dump. */
	e = dec(R1T, 0x2bf400f);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x2bf4000);
	CHECK_EQ(e.next_level, R2T);
	CHECK_EQ(e.next_lo, 0);
	CHECK_EQ(e.next_hi, 2047);
	CHECK(HAS(e, PGT_F_HWVALID));

	e = dec(R2T, 0x2bd000b);  /* _REGION2_ENTRY 0x0b */
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x2bd0000);
	CHECK_EQ(e.next_level, R3T);
	CHECK_EQ(e.next_hi, 2047);

	e = dec(R3T, 0x1f5c007);  /* _REGION3_ENTRY 0x07 */
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x1f5c000);
	CHECK_EQ(e.next_level, SGT);
	CHECK_EQ(e.next_lo, 0);
	CHECK_EQ(e.next_hi, 2047);

	/* pmd_populate(): page-table origin only (2 KiB fragments: upper half here). */
	e = dec(SGT, 0x2b3c800);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.pa, 0x2b3c800);
	CHECK_EQ(e.next_level, PTE);
	CHECK_EQ(e.next_lo, 0);
	CHECK_EQ(e.next_hi, 255);

	/* DAT protection on a table pointer */
	e = dec(R3T, 0x1f5c207);
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK(HAS(e, PGT_F_RDONLY));

	/* origin 0 with the invalid bit clear */
	CHECK_EQ(dec(R3T, 0x7).kind, PGT_E_BAD);
	CHECK_EQ(dec(SGT, 0x0).kind, PGT_E_BAD);
}

static void test_tt_mismatch(void)
{
	struct pgt_entry e;
	/* A region-third entry (TT 01) where a region-second entry (TT 10) belongs. */
	e = dec(R2T, 0x1f5c007);
	CHECK_EQ(e.kind, PGT_E_BAD);
	CHECK(e.bad && *e.bad);
	CHECK_EQ(dec(R3T, 0x2bd000b).kind, PGT_E_BAD);  /* r2 entry in an r3 table */
	CHECK_EQ(dec(R1T, 0x2bd000b).kind, PGT_E_BAD);  /* r2 entry in an r1 table */
	CHECK_EQ(dec(R3T, 0x2b3c800).kind, PGT_E_BAD);  /* segment entry in an r3 table */
	CHECK_EQ(dec(SGT, 0x1f5c007).kind, PGT_E_BAD);  /* r3 entry in a segment table */
	/* even empty entries must carry their table's type */
	CHECK_EQ(dec(SGT, 0x24).kind, PGT_E_BAD);
	CHECK_EQ(dec(R1T, 0x28).kind, PGT_E_BAD);
	CHECK_EQ(dec(R2T, 0x2c).kind, PGT_E_BAD);
}

static void test_tf_tl(void)
{
	struct pgt_entry e;
	/* TF = bits 0xc0 (>> 6), TL = bits 0x03, both in 512-entry quarters. */
	e = dec(R1T, 0x5000000 | (1 << 6) | 0x0c | 2);   /* TF 1, TL 2 */
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.next_lo, 512);
	CHECK_EQ(e.next_hi, 1535);
	e = dec(R2T, 0x5000000 | (3 << 6) | 0x08 | 3);   /* TF 3, TL 3 */
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.next_lo, 1536);
	CHECK_EQ(e.next_hi, 2047);
	e = dec(R3T, 0x5000000 | 0x04 | 0);              /* TF 0, TL 0 */
	CHECK_EQ(e.kind, PGT_E_TABLE);
	CHECK_EQ(e.next_lo, 0);
	CHECK_EQ(e.next_hi, 511);
	e = dec(R3T, 0x5000000 | (2 << 6) | 0x04 | 1);   /* TF 2 > TL 1 */
	CHECK_EQ(e.kind, PGT_E_BAD);
}

static void test_large(void)
{
	struct pgt_entry e;

	/* 1 MB, read-write dirty young soft-dirty no-exec (__pte_to_rste()):
	 * origin 0x12300000 | _SEGMENT_ENTRY_LARGE 0x400 | READ 0x1 | WRITE 0x2 |
	 * DIRTY 0x2000 | YOUNG 0x1000 | SOFT_DIRTY 0x4000 | NOEXEC 0x100 */
	e = dec(SGT, 0x12307503);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x12300000);
	CHECK(HAS(e, PGT_F_HUGE));
	CHECK(HAS(e, PGT_F_HWVALID));
	CHECK(!HAS(e, PGT_F_INVALID_HW));
	CHECK(HAS(e, PGT_F_WRITE));
	CHECK(HAS(e, PGT_F_DIRTY));
	CHECK(HAS(e, PGT_F_YOUNG));
	CHECK(HAS(e, PGT_F_SOFT_DIRTY));
	CHECK(HAS(e, PGT_F_NX));
	CHECK(!HAS(e, PGT_F_PROTNONE));
	CHECK(!HAS(e, PGT_F_RDONLY));

	/* 1 MB read-only clean old: LARGE | READ | PROTECT 0x200 | INVALID 0x20 */
	e = dec(SGT, 0x12300621);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(HAS(e, PGT_F_INVALID_HW));
	CHECK(!HAS(e, PGT_F_HWVALID));
	CHECK(HAS(e, PGT_F_RDONLY));
	CHECK(!HAS(e, PGT_F_WRITE));
	CHECK(!HAS(e, PGT_F_PROTNONE));

	/* 1 MB prot-none: SEGMENT_NONE (INVALID | PROTECT) | LARGE, no READ */
	e = dec(SGT, 0x12300620);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(HAS(e, PGT_F_PROTNONE));
	CHECK(HAS(e, PGT_F_INVALID_HW));

	/* 2 GB region-third leaf: origin 0x80000000 | TT r3 0x04 |
	 * _REGION3_ENTRY_LARGE 0x400 | YOUNG 0x1000 | DIRTY 0x2000 | read 0x1 | write 0x2
	 * (hugetlb's segment positions) */
	e = dec(R3T, 0x80003407);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x80000000);
	CHECK(HAS(e, PGT_F_HUGE));
	CHECK(HAS(e, PGT_F_WRITE));
	CHECK(HAS(e, PGT_F_DIRTY));
	CHECK(HAS(e, PGT_F_YOUNG));
	CHECK(HAS(e, PGT_F_HWVALID));
	/* 2 GB old: + _REGION_ENTRY_INVALID 0x20, still a leaf */
	e = dec(R3T, 0x80003427);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(HAS(e, PGT_F_INVALID_HW));

	/* FC bit in a region-second entry: no 4 TB pages */
	CHECK_EQ(dec(R2T, 0x500040b).kind, PGT_E_BAD);
}

static void test_pte(void)
{
	struct pgt_entry e;

	/* pte_none(): == _PAGE_INVALID (0x400); zero is not none */
	CHECK_EQ(dec(PTE, 0x400).kind, PGT_E_NONE);
	e = dec(PTE, 0);
	CHECK_EQ(e.kind, PGT_E_BAD);
	CHECK(e.bad && *e.bad);

	/* present rw young dirty: PRESENT 0x1 | SOFT_DIRTY 0x2 | YOUNG 0x4 |
	 * DIRTY 0x8 | READ 0x10 | WRITE 0x20 | NOEXEC 0x100 */
	e = dec(PTE, 0x2b3c13f);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x2b3c000);
	CHECK(HAS(e, PGT_F_HWVALID));
	CHECK(!HAS(e, PGT_F_INVALID_HW));
	CHECK(HAS(e, PGT_F_WRITE));
	CHECK(HAS(e, PGT_F_DIRTY));
	CHECK(HAS(e, PGT_F_YOUNG));
	CHECK(HAS(e, PGT_F_SOFT_DIRTY));
	CHECK(HAS(e, PGT_F_NX));
	CHECK(!HAS(e, PGT_F_RDONLY));
	CHECK(!HAS(e, PGT_F_PROTNONE));
	CHECK(!HAS(e, PGT_F_SPECIAL));
	CHECK(!HAS(e, PGT_F_HUGE));

	/* A child's pte after fork (from the dump): 0x71b = INVALID | PROTECT |
	 * NOEXEC | READ | DIRTY | SOFT_DIRTY | PRESENT, old (no YOUNG) */
	e = dec(PTE, 0x2c1071b);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK_EQ(e.pa, 0x2c10000);
	CHECK(HAS(e, PGT_F_INVALID_HW));
	CHECK(!HAS(e, PGT_F_HWVALID));
	CHECK(HAS(e, PGT_F_RDONLY));
	CHECK(!HAS(e, PGT_F_YOUNG));
	CHECK(HAS(e, PGT_F_DIRTY));
	CHECK(!HAS(e, PGT_F_PROTNONE));

	/* PROT_NONE (from the dump): 0x60f = INVALID | PROTECT | DIRTY | YOUNG |
	 * SOFT_DIRTY | PRESENT, no READ */
	e = dec(PTE, 0x2c1060f);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(HAS(e, PGT_F_PROTNONE));
	CHECK(HAS(e, PGT_F_INVALID_HW));
	CHECK(HAS(e, PGT_F_SOFT_DIRTY));

	/* read-only young (PAGE_RO made young): PRESENT | READ | NOEXEC | PROTECT | YOUNG */
	e = dec(PTE, 0x7000315);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(HAS(e, PGT_F_RDONLY));
	CHECK(HAS(e, PGT_F_HWVALID));
	CHECK(!HAS(e, PGT_F_WRITE));
	CHECK(!HAS(e, PGT_F_SOFT_DIRTY));

	/* special: PRESENT | YOUNG | READ | SPECIAL 0x40 | PROTECT */
	e = dec(PTE, 0x7000255);
	CHECK_EQ(e.kind, PGT_E_LEAF);
	CHECK(HAS(e, PGT_F_SPECIAL));
	CHECK(!HAS(e, PGT_F_SOFT_DIRTY));

	/* a frame above 4 GB keeps all its bits */
	CHECK_EQ(dec(PTE, 0x3fff12345011ull).pa, 0x3fff12345000ull);
}

static void test_swap(void)
{
	struct pgt_entry e;

	/* mk_swap_pte(3, 0x1234) = INVALID | PROTECT | 0x1234 << 12 | 3 << 2 */
	e = dec(PTE, 0x123460c);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 3);
	CHECK_EQ(e.swp_offset, 0x1234);
	CHECK(!HAS(e, PGT_F_SOFT_DIRTY));
	CHECK(!HAS(e, PGT_F_SWP_EXCL));

	/* + soft-dirty 0x2 + _PAGE_SWP_EXCLUSIVE (_PAGE_LARGE 0x800) */
	e = dec(PTE, 0x1234e0e);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 3);
	CHECK_EQ(e.swp_offset, 0x1234);
	CHECK(HAS(e, PGT_F_SOFT_DIRTY));
	CHECK(HAS(e, PGT_F_SWP_EXCL));

	/* mk_swap_pte(31, (1 << 52) - 1) */
	e = dec(PTE, 0xfffffffffffff67cull);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 31);
	CHECK_EQ(e.swp_offset, 0xfffffffffffffull);

	/* migration entry: type 28 (first migration type on s390 6.1), pfn 0x2b3c */
	e = dec(PTE, 0x2b3c670);
	CHECK_EQ(e.kind, PGT_E_SWAP);
	CHECK_EQ(e.swp_type, 28);
	CHECK_EQ(e.swp_offset, 0x2b3c);

	/* swap pattern ((pte & 0x201) == 0x200) without INVALID: MMU-valid */
	CHECK_EQ(dec(PTE, 0x123420c).kind, PGT_E_BAD);
	/* invalid, not present, no protect bit: neither none nor swap */
	CHECK_EQ(dec(PTE, 0x404).kind, PGT_E_BAD);
}

static void test_mm_root(void)
{
	struct pgt_root r;
	struct pgt_err err;
	struct pgt_mm_regs m;

	/* 3 levels (pid 1 of the real dump): _ASCE_USER_BITS 0x1c0 | R3 0x04 | TL 3 */
	m = (struct pgt_mm_regs){.asce = 0x2bf81c7, .asce_limit = 1ull << 42, .has_asce = 1,
				 .pgd_pa = 0x2bf8000};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_OK);
	CHECK_EQ(r.pa, 0x2bf8000);
	CHECK_EQ(r.level, R3T);
	CHECK_EQ(r.lo, 0);
	CHECK_EQ(r.hi, 2047);
	CHECK_EQ(r.va_limit, 1ull << 42);
	CHECK(strstr(r.desc, "r3t") && strstr(r.desc, "3 levels") && strstr(r.desc, "4T"));

	/* 4 levels: R2 0x08, limit _REGION1_SIZE */
	m = (struct pgt_mm_regs){.asce = 0x2bdc1cb, .asce_limit = 1ull << 53, .has_asce = 1};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_OK);
	CHECK_EQ(r.pa, 0x2bdc000);
	CHECK_EQ(r.level, R2T);
	CHECK_EQ(r.va_limit, 1ull << 53);
	CHECK(strstr(r.desc, "4 levels") != NULL);

	/* 5 levels: R1 0x0c, limit TASK_SIZE_MAX = -PAGE_SIZE; covers all 2^64 */
	m = (struct pgt_mm_regs){.asce = 0x2c081cf, .asce_limit = 0xfffffffffffff000ull, .has_asce = 1};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_OK);
	CHECK_EQ(r.pa, 0x2c08000);
	CHECK_EQ(r.level, R1T);
	CHECK_EQ(r.hi, 2047);
	CHECK_EQ(r.va_limit, 0);
	CHECK(strstr(r.desc, "5 levels") != NULL);

	/* 2 levels: segment table designation, limit _REGION3_SIZE */
	m = (struct pgt_mm_regs){.asce = 0x30001c3, .asce_limit = 1ull << 31, .has_asce = 1};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_OK);
	CHECK_EQ(r.level, SGT);
	CHECK_EQ(r.va_limit, 1ull << 31);
	CHECK(strstr(r.desc, "2 levels") != NULL);

	/* short top table: TL 1 -> entries 0..1023, 2 TB */
	m = (struct pgt_mm_regs){.asce = 0x2bf81c5, .asce_limit = 1ull << 42, .has_asce = 1};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_OK);
	CHECK_EQ(r.hi, 1023);
	CHECK_EQ(r.va_limit, 1ull << 41);

	/* DT says 4 levels, asce_limit says 3: refused */
	m = (struct pgt_mm_regs){.asce = 0x2bdc1cb, .asce_limit = 1ull << 42, .has_asce = 1};
	err.msg[0] = 0;
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_EINPUT);
	CHECK(strstr(err.msg, "asce_limit") != NULL);
	/* DT 5 levels, limit 8 PB */
	m = (struct pgt_mm_regs){.asce = 0x2c081cf, .asce_limit = 1ull << 53, .has_asce = 1};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_EINPUT);
	/* user ASCE with asce_limit 0 */
	m = (struct pgt_mm_regs){.asce = 0x2bf81c7, .asce_limit = 0, .has_asce = 1};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_EINPUT);
	/* ASCE origin disagrees with mm->pgd */
	m = (struct pgt_mm_regs){.asce = 0x2bf81c7, .asce_limit = 1ull << 42, .has_asce = 1,
				 .pgd_pa = 0x2bfc000};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_EINPUT);
	/* real-space designation (_ASCE_REAL_SPACE 0x20) */
	m = (struct pgt_mm_regs){.asce = 0x2bf81e7, .asce_limit = 1ull << 42, .has_asce = 1};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_EINPUT);

	/* kernel: init_mm.context.asce = swapper_pg_dir | R3 | TL, asce_limit never set */
	m = (struct pgt_mm_regs){.asce = 0x1290007, .asce_limit = 0, .has_asce = 1};
	CHECK_EQ(pgt_arch_s390x.mm_root(&pg, &m, &r, &err), PGT_OK);
	CHECK_EQ(r.pa, 0x1290000);
	CHECK_EQ(r.level, R3T);

	/* kernel root given only as pgd_pa: the ASCE setup() stored in aux[0] */
	struct pgt_paging kpg = pg;
	kpg.kernel_root_pa = 0x1290000;
	kpg.aux[0] = 0x1290007;
	m = (struct pgt_mm_regs){.pgd_pa = 0x1290000};
	CHECK_EQ(pgt_arch_s390x.mm_root(&kpg, &m, &r, &err), PGT_OK);
	CHECK_EQ(r.pa, 0x1290000);
	CHECK_EQ(r.level, R3T);
	/* any other table without its ASCE: the depth is not guessed */
	m = (struct pgt_mm_regs){.pgd_pa = 0x2bf8000};
	CHECK_EQ(pgt_arch_s390x.mm_root(&kpg, &m, &r, &err), PGT_EINPUT);
}

static void test_kva_linear(void)
{
	struct pgt_paging k = pg;
	uint64_t pa = 0;
	k.lowmem_end = 0x20000000;   /* high_memory with 512 MiB */
	CHECK_EQ(pgt_arch_s390x.kva_linear(&k, 0x1290000, &pa), 1);
	CHECK_EQ(pa, 0x1290000);
	CHECK_EQ(pgt_arch_s390x.kva_linear(&k, 0x20000000, &pa), 0);
	CHECK_EQ(pgt_arch_s390x.kva_linear(&k, 0x3ffe0000000ull, &pa), 0); /* vmalloc */
}

static void test_describe(void)
{
	char buf[256];
	struct pgt_entry e;

	e = dec(R3T, 0x1f5c007);
	pgt_arch_s390x.describe(&pg, R3T, &e, buf, sizeof buf);
	CHECK(strstr(buf, "TT=r3t") && strstr(buf, "TL=3") && strstr(buf, "0x1f5c000"));
	e = dec(PTE, 0x2c1071b);
	pgt_arch_s390x.describe(&pg, PTE, &e, buf, sizeof buf);
	CHECK(strstr(buf, "I=1") && strstr(buf, "soft-dirty") && strstr(buf, "present"));
	e = dec(PTE, 0x123460c);
	pgt_arch_s390x.describe(&pg, PTE, &e, buf, sizeof buf);
	CHECK(strstr(buf, "type 3") && strstr(buf, "0x1234"));
	e = dec(R2T, 0x1f5c007);
	pgt_arch_s390x.describe(&pg, R2T, &e, buf, sizeof buf);
	CHECK(strstr(buf, "BAD") != NULL);
	/* a short buffer is cut, not overrun */
	char small[8];
	pgt_arch_s390x.describe(&pg, PTE, &e, small, sizeof small);
	CHECK(strlen(small) < sizeof small);
}

int main(void)
{
	memset(&pg, 0, sizeof pg);
	pg.ops = &pgt_arch_s390x;
	pg.big_endian = 1;
	pg.nlevels = 5;
	pg.page_shift = 12;
	CHECK(!strcmp(pgt_arch_s390x.name, "s390x"));
	CHECK(!strcmp(pgt_arch_s390x.kdump_arch, "s390x"));
	test_byte_order();
	test_region_empty();
	test_region_tables();
	test_tt_mismatch();
	test_tf_tl();
	test_large();
	test_pte();
	test_swap();
	test_mm_root();
	test_kva_linear();
	test_describe();
	return t_done();
}
