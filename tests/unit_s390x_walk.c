/* s390x through the generic walker, on a small big-endian ELF core written
 * here: processes of 2 (segment-table ASCE: 31-bit compat on older kernels;
 * 6.1 starts every mm at 3), 3, 4 and 5 levels with hand-made
 * region, segment and page tables, and the anomalies the TT/TF/TL bits
 * exist to catch.  Every expected address below follows from the tables
 * built in build_tables(), not from the decoder.  Also: the early hook
 * finds VMCOREINFO through the absolute lowcore when the core has none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pgt/dump.h"
#include "pgt/walk.h"
#include "unit.h"
#include "corefile.h"

extern const struct pgt_arch_ops pgt_arch_s390x;

enum { R1T, R2T, R3T, SGT, PTE };

#define RAM 0x400000u          /* 4 MiB of "physical memory" */
static uint8_t mem[RAM];

static void put64(uint64_t pa, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		mem[pa + (unsigned)i] = (uint8_t)(v >> (56 - 8 * i));
}

static void put32(uint64_t pa, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		mem[pa + (unsigned)i] = (uint8_t)(v >> (24 - 8 * i));
}

/* Region/segment entries as pgalloc.h populates them: table origin | TT |
 * TL 3 (TF 0); a segment entry is the page table's origin alone. */
#define R1E(o) ((o) | 0x0cu | 3u)
#define R2E(o) ((o) | 0x08u | 3u)
#define R3E(o) ((o) | 0x04u | 3u)
#define SGE(o) ((uint64_t)(o))
/* present | young | dirty | read | write | noexec */
#define PTEV(pa) ((pa) | 0x13du)

/* Tables are handed out in order: crst tables (16 KiB, 2048 entries)
 * from 0x100000, 2 KiB page-table fragments from 0x180000. */
static uint64_t next_crst, next_pte;

static uint64_t crst(unsigned level)
{
	static const uint64_t empty[] = {0x2c, 0x28, 0x24, 0x20};  /* TT | invalid */
	uint64_t pa = next_crst;
	next_crst += 0x4000;
	for (unsigned i = 0; i < 2048; i++)
		put64(pa + 8 * i, empty[level]);
	return pa;
}

static uint64_t ptt(void)
{
	uint64_t pa = next_pte;
	next_pte += 0x800;
	for (unsigned i = 0; i < 256; i++)
		put64(pa + 8 * i, 0x400);  /* pte_none: _PAGE_INVALID */
	return pa;
}

/* Roots and tables the assertions name. */
static struct {
	uint64_t s2, t3, t4, t5;           /* tops */
	uint64_t pte_a, pte_b;             /* 2-level */
	uint64_t s3b, s3c, pte_d;          /* 3-level windows */
	uint64_t pte_i;                    /* 5-level, above 8 PB */
	/* Decoys: a full chain r2t -> r3t -> sgt -> pte ending at frame
	 * DECOY, pointed to only by entries that must not be followed. */
	uint64_t d_r2t, d_r3t, d_sgt, d_pte;
} T;
#define DECOY 0x207000u

static void build_tables(void)
{
	uint64_t s, r, q;

	memset(mem, 0, sizeof mem);
	next_crst = 0x100000;
	next_pte = 0x180000;

	T.d_r2t = crst(R2T);
	T.d_r3t = crst(R3T);
	T.d_sgt = crst(SGT);
	T.d_pte = ptt();
	put64(T.d_r2t, R2E(T.d_r3t));
	put64(T.d_r3t, R3E(T.d_sgt));
	put64(T.d_sgt, SGE(T.d_pte));
	put64(T.d_pte, PTEV(DECOY));

	/* 2 levels (segment-table ASCE, asce_limit 2 GB) */
	T.s2 = crst(SGT);
	T.pte_a = ptt();                                 /* lower half of 0x180000 */
	T.pte_b = ptt();                                 /* upper half */
	put64(T.s2 + 0, SGE(T.pte_a));
	put64(T.pte_a + 0, PTEV(0x200000));
	put64(T.pte_a + 8, PTEV(0x201000));
	put64(T.pte_a + 8 * 255, 0x123460c);             /* mk_swap_pte(3, 0x1234) */
	put64(T.s2 + 8, SGE(T.pte_b));
	put64(T.pte_b + 8 * 16, 0x20260f);               /* PROT_NONE: invalid, no read */
	put64(T.s2 + 16, R3E(T.d_pte));                  /* region-third entry in a segment table */
	put64(T.s2 + 24, SGE(0x500000));                 /* page table past the end of RAM */

	/* 3 levels (region-third ASCE, 4 TB) */
	T.t3 = crst(R3T);
	s = crst(SGT);
	put64(T.t3 + 0, R3E(s));
	q = ptt();
	put64(s + 0, SGE(q));
	put64(q + 8 * 5, PTEV(0x205000));
	/* [1]: TL 0, the segment table holds entries 0..511 only */
	T.s3b = crst(SGT);
	put64(T.t3 + 8, T.s3b | 0x04u | 0u);
	T.pte_d = ptt();
	put64(T.s3b + 8 * 5, SGE(T.pte_d));
	put64(T.pte_d, PTEV(0x206000));
	put64(T.s3b + 8 * 600, SGE(T.d_pte));            /* beyond TL: must not be used */
	/* [2]: TF 1, entries 512..2047 */
	T.s3c = crst(SGT);
	put64(T.t3 + 16, T.s3c | (1u << 6) | 0x04u | 3u);
	put64(T.s3c + 8 * 3, SGE(T.d_pte));              /* below TF: must not be used */
	q = ptt();
	put64(T.s3c + 8 * 700, SGE(q));
	put64(q + 8, PTEV(0x208000));
	/* [3]: TF 2 > TL 1; [4]: a segment entry (TT 00) in the region-third table */
	put64(T.t3 + 24, T.d_sgt | (2u << 6) | 0x04u | 1u);
	put64(T.t3 + 32, SGE(T.d_sgt));

	/* 4 levels (region-second ASCE, 8 PB) */
	T.t4 = crst(R2T);
	r = crst(R3T);
	s = crst(SGT);
	q = ptt();
	put64(T.t4, R2E(r));
	put64(r, R3E(s));
	put64(s, SGE(q));
	put64(q, PTEV(0x209000));
	put64(T.t4 + 8, R3E(T.d_r3t));                   /* region-third entry in the r2t */
	put64(T.t4 + 16, R2E(T.t4));                     /* points back at the top table */

	/* 5 levels (region-first ASCE, TASK_SIZE_MAX) */
	T.t5 = crst(R1T);
	q = crst(R2T);
	r = crst(R3T);
	s = crst(SGT);
	put64(T.t5, R1E(q));
	put64(q, R2E(r));
	put64(r, R3E(s));
	uint64_t p = ptt();
	put64(s, SGE(p));
	put64(p + 16, PTEV(0x20a000));
	/* 0x30000000000000 = r1t[1], r2t[1024], r3t[0], sgt[0], pte[0] */
	q = crst(R2T);
	r = crst(R3T);
	s = crst(SGT);
	put64(T.t5 + 8, R1E(q));
	put64(q + 8 * 1024, R2E(r));
	put64(r, R3E(s));
	T.pte_i = ptt();
	put64(s, SGE(T.pte_i));
	put64(T.pte_i, PTEV(0x20b000));
	put64(T.pte_i + 8, PTEV(0x7fff000));             /* a frame past the end of RAM */
	put64(T.t5 + 16, R2E(T.d_r2t));                  /* region-second entry in the r1t */

	/* lowcore: the VMCOREINFO note's address at absolute 0xe0c */
	static const char vi[] = "OSRELEASE=6.1.0-synthetic\nPAGESIZE=4096\nKERNELOFFSET=0\n"
				 "SYMBOL(high_memory)=4000\n";
	put64(0xe0c, 0x3000);
	put32(0x3000, 11);                               /* namesz */
	put32(0x3004, sizeof vi - 1);                    /* descsz */
	put32(0x3008, 0);
	memcpy(mem + 0x300c, "VMCOREINFO", 11);
	memcpy(mem + 0x3018, vi, sizeof vi - 1);
	put64(0x4000, RAM);                              /* high_memory */
}

/* A big-endian ELF64 core, EM_S390, one PT_LOAD of all of mem at paddr 0,
 * no notes (as a dump without VMCOREINFO in the container). */
static int write_core(char *path)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return write_core_file(path, 1, 1, 22 /* EM_S390 */, 0, 0, mem, RAM, NULL);
}

/* What a walk reported. */
#define MAXREC 64
struct rec {
	unsigned nleaf, nanom, ntab;
	struct { uint64_t va, end, pa; unsigned level, kind; uint32_t flags; } leaf[MAXREC];
	struct { unsigned kind, level, index; uint64_t table, va, end; char msg[256]; } an[MAXREC];
	uint64_t tab[MAXREC];
};

static int v_table(void *arg, const struct pgt_slot *parent, const struct pgt_entry *pe, uint64_t tpa,
		   unsigned level, uint64_t va, uint64_t end)
{
	struct rec *r = arg;
	if (r->ntab < MAXREC)
		r->tab[r->ntab++] = tpa;
	return 0;
}

static void v_leaf(void *arg, const struct pgt_slot *s, const struct pgt_entry *e, uint64_t va, uint64_t end)
{
	struct rec *r = arg;
	if (r->nleaf >= MAXREC)
		return;
	r->leaf[r->nleaf].va = va;
	r->leaf[r->nleaf].end = end;
	r->leaf[r->nleaf].pa = e->kind == PGT_E_LEAF ? e->pa : e->swp_offset;
	r->leaf[r->nleaf].level = s->level;
	r->leaf[r->nleaf].kind = e->kind;
	r->leaf[r->nleaf].flags = e->flags;
	r->nleaf++;
}

static void v_anomaly(void *arg, const struct pgt_anomaly *a)
{
	struct rec *r = arg;
	if (r->nanom >= MAXREC)
		return;
	r->an[r->nanom].kind = a->kind;
	r->an[r->nanom].level = a->slot.level;
	r->an[r->nanom].index = a->slot.index;
	r->an[r->nanom].table = a->slot.table_pa;
	r->an[r->nanom].va = a->va;
	r->an[r->nanom].end = a->end;
	snprintf(r->an[r->nanom].msg, sizeof r->an[0].msg, "%s", a->msg);
	r->nanom++;
}

static struct pgt_dump d;

/* No decoy table is offered to the visitors, no decoy frame mapped. */
static void no_decoy(const struct rec *r)
{
	for (unsigned i = 0; i < r->ntab; i++)
		CHECK(r->tab[i] != T.d_r2t && r->tab[i] != T.d_r3t && r->tab[i] != T.d_sgt &&
		      r->tab[i] != T.d_pte);
	for (unsigned i = 0; i < r->nleaf; i++)
		CHECK(r->leaf[i].pa != DECOY);
}

static void walk(uint64_t asce, uint64_t limit, uint64_t start, uint64_t end, struct rec *r,
		 struct pgt_root *root)
{
	struct pgt_mm_regs regs = {.asce = asce, .asce_limit = limit, .has_asce = 1};
	struct pgt_visitor v = {.table = v_table, .leaf = v_leaf, .anomaly = v_anomaly, .arg = r};
	struct pgt_err err = {0};
	memset(r, 0, sizeof *r);
	CHECK_EQ(pgt_arch_s390x.mm_root(&d.pg, &regs, root, &err), PGT_OK);
	CHECK_EQ(pgt_walk(&d, root, start, end, &v, 1, NULL, &err), PGT_OK);
	no_decoy(r);
}

static int visited(const struct rec *r, uint64_t tpa)
{
	for (unsigned i = 0; i < r->ntab; i++)
		if (r->tab[i] == tpa)
			return 1;
	return 0;
}

/* One leaf: the 4 KiB page at va maps pa (or a swap offset) from level. */
static void leaf_is(const struct rec *r, unsigned i, uint64_t va, uint64_t pa, unsigned kind)
{
	if (i >= r->nleaf) {
		CHECK(!"missing leaf");
		return;
	}
	CHECK_EQ(r->leaf[i].va, va);
	CHECK_EQ(r->leaf[i].end, va + 0x1000);
	CHECK_EQ(r->leaf[i].pa, pa);
	CHECK_EQ(r->leaf[i].level, PTE);
	CHECK_EQ(r->leaf[i].kind, kind);
}

/* Index of the anomaly of kind at va, or -1. */
static int anomaly_at(const struct rec *r, unsigned kind, uint64_t va)
{
	for (unsigned i = 0; i < r->nanom; i++)
		if (r->an[i].kind == kind && r->an[i].va == va)
			return (int)i;
	return -1;
}

/* pgt_translate agrees with the walk: depth levels down to pa. */
static void translate_is(const struct pgt_root *root, uint64_t va, unsigned depth, uint64_t pa)
{
	struct pgt_trace tr;
	struct pgt_err err = {0};
	uint64_t got = 0;
	CHECK_EQ(pgt_translate(&d, root, va, &got, &tr, &err), PGT_OK);
	CHECK_EQ(got, pa);
	CHECK_EQ(tr.n, depth);
	CHECK_EQ(tr.slot[0].level, PTE + 1 - depth);
	CHECK_EQ(tr.slot[tr.n - 1].level, PTE);
}

static void test_2level(void)
{
	struct rec r;
	struct pgt_root root;
	int a;

	/* _ASCE_USER_BITS | DT segment (0) | TL 3; asce_limit _REGION3_SIZE */
	walk(T.s2 | 0x1c3, 1ull << 31, 0, 1ull << 31, &r, &root);
	CHECK_EQ(root.level, SGT);
	CHECK_EQ(r.nleaf, 4);
	leaf_is(&r, 0, 0x0, 0x200000, PGT_E_LEAF);
	leaf_is(&r, 1, 0x1000, 0x201000, PGT_E_LEAF);
	leaf_is(&r, 2, 0xff000, 0x1234, PGT_E_SWAP);
	leaf_is(&r, 3, 0x110000, 0x202000, PGT_E_LEAF);
	CHECK(r.leaf[0].flags & PGT_F_HWVALID);
	CHECK(r.leaf[3].flags & PGT_F_PROTNONE);
	CHECK(r.leaf[3].flags & PGT_F_INVALID_HW);
	/* sgt[2] holds a region-third entry: reported, never followed */
	CHECK(r.nanom == 2);
	a = anomaly_at(&r, PGT_A_BAD_ENTRY, 0x200000);
	CHECK(a >= 0);
	if (a >= 0) {
		CHECK_EQ(r.an[a].level, SGT);
		CHECK_EQ(r.an[a].index, 2);
		CHECK_EQ(r.an[a].table, T.s2);
		CHECK_EQ(r.an[a].end, 0x300000);
		CHECK(strstr(r.an[a].msg, "TT") != NULL);
	}
	/* sgt[3] names a page table past the end of RAM */
	a = anomaly_at(&r, PGT_A_OUT_OF_RANGE, 0x300000);
	CHECK(a >= 0);
	if (a >= 0)
		CHECK_EQ(r.an[a].end, 0x400000);
	translate_is(&root, 0x1234, 2, 0x201234);
	/* the ASCE covers 2 GB: above is outside this address space */
	struct pgt_err err = {0};
	uint64_t pa;
	CHECK_EQ(pgt_translate(&d, &root, 1ull << 31, &pa, NULL, &err), PGT_ENOMAP);
}

static void test_3level(void)
{
	struct rec r;
	struct pgt_root root;
	struct pgt_trace tr;
	struct pgt_err err = {0};
	uint64_t pa;
	int a;

	walk(T.t3 | 0x1c7, 1ull << 42, 0, 1ull << 42, &r, &root);
	CHECK_EQ(root.level, R3T);
	CHECK_EQ(r.nleaf, 3);
	leaf_is(&r, 0, 0x5000, 0x205000, PGT_E_LEAF);
	leaf_is(&r, 1, (1ull << 31) + (5ull << 20), 0x206000, PGT_E_LEAF);
	leaf_is(&r, 2, (2ull << 31) + (700ull << 20) + 0x1000, 0x208000, PGT_E_LEAF);
	/* the decoys behind slots outside TF/TL are never reached (no_decoy) */
	CHECK(visited(&r, T.pte_d));
	/* r3t[1] (TL 0): the range needs segment slots 0..2047, the table has 0..511 */
	a = anomaly_at(&r, PGT_A_WINDOW, 1ull << 31);
	CHECK(a >= 0);
	if (a >= 0) {
		CHECK_EQ(r.an[a].end, 2ull << 31);
		CHECK_EQ(r.an[a].level, R3T);   /* the entry that led there */
		CHECK_EQ(r.an[a].index, 1);
		CHECK(strstr(r.an[a].msg, "0..511") != NULL);
	}
	/* r3t[2] (TF 1): slots 512..2047 only */
	a = anomaly_at(&r, PGT_A_WINDOW, 2ull << 31);
	CHECK(a >= 0);
	if (a >= 0)
		CHECK(strstr(r.an[a].msg, "512..2047") != NULL);
	/* r3t[3] TL < TF and r3t[4] with a segment TT: bad, not followed */
	a = anomaly_at(&r, PGT_A_BAD_ENTRY, 3ull << 31);
	CHECK(a >= 0);
	if (a >= 0) {
		CHECK_EQ(r.an[a].index, 3);
		CHECK(strstr(r.an[a].msg, "TL") != NULL);
	}
	a = anomaly_at(&r, PGT_A_BAD_ENTRY, 4ull << 31);
	CHECK(a >= 0);
	if (a >= 0) {
		CHECK_EQ(r.an[a].index, 4);
		CHECK_EQ(r.an[a].end, 5ull << 31);
		CHECK(strstr(r.an[a].msg, "TT") != NULL);
	}
	CHECK_EQ(r.nanom, 4);

	translate_is(&root, (1ull << 31) + (5ull << 20) + 0x10, 3, 0x206010);
	/* vtop of an address beyond TL stops at the segment table */
	CHECK_EQ(pgt_translate(&d, &root, (1ull << 31) + (600ull << 20), &pa, &tr, &err), PGT_ENOMAP);
	CHECK_EQ(tr.n, 2);
	CHECK_EQ(tr.entry[1].kind, PGT_E_BAD);
	CHECK_EQ(tr.slot[1].index, 600);
	CHECK_EQ(tr.slot[1].table_pa, T.s3b);
	/* and below TF */
	CHECK_EQ(pgt_translate(&d, &root, (2ull << 31) + (3ull << 20), &pa, &tr, &err), PGT_ENOMAP);
	CHECK_EQ(tr.n, 2);
	CHECK_EQ(tr.entry[1].kind, PGT_E_BAD);
	/* above 4 TB: beyond asce_limit, no table is read */
	CHECK_EQ(pgt_translate(&d, &root, 1ull << 42, &pa, &tr, &err), PGT_ENOMAP);
	CHECK_EQ(tr.n, 0);

	/* a range inside the window: no window anomaly */
	walk(T.t3 | 0x1c7, 1ull << 42, 1ull << 31, (1ull << 31) + (512ull << 20), &r, &root);
	CHECK_EQ(r.nanom, 0);
	CHECK_EQ(r.nleaf, 1);
}

static void test_4level(void)
{
	struct rec r;
	struct pgt_root root;
	int a;

	walk(T.t4 | 0x1cb, 1ull << 53, 0, 1ull << 53, &r, &root);
	CHECK_EQ(root.level, R2T);
	CHECK_EQ(r.nleaf, 1);
	leaf_is(&r, 0, 0x0, 0x209000, PGT_E_LEAF);
	a = anomaly_at(&r, PGT_A_BAD_ENTRY, 1ull << 42);
	CHECK(a >= 0);
	if (a >= 0) {
		CHECK_EQ(r.an[a].level, R2T);
		CHECK_EQ(r.an[a].index, 1);
		CHECK(strstr(r.an[a].msg, "TT") != NULL);
	}
	/* r2t[2] points back at the r2t itself: a loop, not followed twice */
	a = anomaly_at(&r, PGT_A_LOOP, 2ull << 42);
	CHECK(a >= 0);
	CHECK_EQ(r.nanom, 2);
	translate_is(&root, 0x123, 4, 0x209123);
}

static void test_5level(void)
{
	struct rec r;
	struct pgt_root root;
	int a;

	/* TASK_SIZE_MAX: the region-first table covers all 64 bits */
	walk(T.t5 | 0x1cf, 0ull - 4096, 0, 0, &r, &root);
	CHECK_EQ(root.level, R1T);
	CHECK_EQ(root.va_limit, 0);
	CHECK_EQ(r.nleaf, 3);
	leaf_is(&r, 0, 0x2000, 0x20a000, PGT_E_LEAF);
	leaf_is(&r, 1, 0x30000000000000ull, 0x20b000, PGT_E_LEAF);
	leaf_is(&r, 2, 0x30000000001000ull, 0x7fff000, PGT_E_LEAF);
	a = anomaly_at(&r, PGT_A_OUT_OF_RANGE, 0x30000000001000ull);
	CHECK(a >= 0);
	if (a >= 0) {
		CHECK_EQ(r.an[a].level, PTE);
		CHECK_EQ(r.an[a].table, T.pte_i);
	}
	a = anomaly_at(&r, PGT_A_BAD_ENTRY, 2ull << 53);
	CHECK(a >= 0);
	if (a >= 0) {
		CHECK_EQ(r.an[a].level, R1T);
		CHECK_EQ(r.an[a].end, 3ull << 53);
	}
	CHECK_EQ(r.nanom, 2);
	translate_is(&root, 0x30000000000008ull, 5, 0x20b008);
	translate_is(&root, 0x2fff, 5, 0x20afff);
}

int main(void)
{
	char path[] = "/tmp/pgt_unit_s390x_walk_XXXXXX";
	struct pgt_err err = {0};

	build_tables();
	if (write_core(path)) {
		CHECK(!"cannot write the test core");
		return t_done();
	}
	memset(&d, 0, sizeof d);
	for (unsigned i = 0; i < S__COUNT; i++)
		d.prof.struct_size[i] = PGT_ABSENT;
	d.path = path;
	d.page_size = 4096;
	CHECK_EQ(pgt_source_open(&d.src, path, &err), PGT_OK);
	unlink(path);
	if (!d.src) {
		fprintf(stderr, "%s\n", err.msg);
		return t_done();
	}
	d.si = pgt_source_info(d.src);
	CHECK(!strcmp(d.si->arch, "s390x"));
	CHECK(d.si->big_endian);

	/* early(): no note in the core, so the lowcore's pointer is used */
	CHECK(d.si->vmcoreinfo == NULL);
	pgt_arch_s390x.early(&d);
	CHECK(d.si->vmcoreinfo && strstr(d.si->vmcoreinfo, "OSRELEASE=6.1.0-synthetic"));

	d.pg.ops = &pgt_arch_s390x;
	CHECK_EQ(pgt_arch_s390x.setup(&d.pg, &d, &err), PGT_OK);
	CHECK(strstr(d.pg.desc, "VMCOREINFO from lowcore -> 0x3000") != NULL);
	CHECK_EQ(d.pg.lowmem_end, RAM);   /* high_memory named by that VMCOREINFO */
	CHECK_EQ(d.pg.nlevels, 5);
	CHECK_EQ(d.pg.max_pa, RAM);

	test_2level();
	test_3level();
	test_4level();
	test_5level();
	pgt_source_close(d.src);
	return t_done();
}
