/* diff engine: pagemap sources from crafted capture files, grouping,
 * totals, --ignore masking, byte order, decoding. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pgt/pagemap.h"
#include "pgt/pmsource.h"
#include "unit.h"

#define PS 4096u
#define P(pfn) (PM_PRESENT | (uint64_t)(pfn))
#define SWP(type, off) (PM_SWAP | ((uint64_t)(off) << 5) | (type))
#define F(x) (1u << PGT_PMF_##x)

static char dir[64];

/* Writes entries to DIR/name in the given byte order; returns the path. */
static const char *put(const char *name, const uint64_t *e, unsigned n, int big)
{
	static char path[8][128];
	static unsigned k;
	char *p = path[k++ % 8];
	snprintf(p, 128, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	for (unsigned i = 0; i < n; i++) {
		uint64_t v = big ? __builtin_bswap64(e[i]) : e[i];
		fwrite(&v, 8, 1, f);
	}
	fclose(f);
	return p;
}

static int load(struct pgt_pms *s, const char *path, int big)
{
	struct pgt_err err = {0};
	int st = pgt_pms_load_file(s, path, PS, big, NULL, 0, &err);
	if (st)
		fprintf(stderr, "load %s: %s\n", path, err.msg);
	return st;
}

static void run(const struct pgt_pms *a, const struct pgt_pms *b, unsigned ignore, struct pgt_pmdiff *df)
{
	struct pgt_err err = {0};
	CHECK_EQ(pgt_pmdiff_run(a, b, ignore, df, &err), PGT_OK);
}

static void test_equal(void)
{
	uint64_t e[4] = {P(0x100) | PM_MMAP_EXCLUSIVE, P(0x101), 0, SWP(1, 0x20)};
	struct pgt_pms a, b;
	struct pgt_pmdiff df;
	CHECK_EQ(load(&a, put("10000-14000.bin", e, 4, 0), 0), PGT_OK);
	struct pgt_err err = {0};
	/* no start in the name and no range: refused */
	CHECK_EQ(pgt_pms_load_file(&b, put("10000-14000.bin.copy", e, 4, 0), PS, 0, NULL, 0, &err), PGT_EUSAGE);
	const uint64_t r[1][2] = {{0x10000, 0x14000}};
	CHECK_EQ(pgt_pms_load_file(&b, put("copy.raw", e, 4, 0), PS, 0, r, 1, &err), PGT_OK);
	CHECK_EQ(a.n, 1);
	CHECK_EQ(a.r[0].start, 0x10000);
	CHECK_EQ(a.r[0].end, 0x14000);
	CHECK_EQ(a.pages, 4);
	run(&a, &b, 0, &df);
	CHECK_EQ(df.compared, 4);
	CHECK_EQ(df.differ, 0);
	CHECK_EQ(df.ng, 0);
	CHECK_EQ(df.only_a + df.only_b, 0);
	pgt_pmdiff_free(&df);
	pgt_pms_free(&a);
	pgt_pms_free(&b);
}

static void test_pfn_and_swap(void)
{
	uint64_t ea[6] = {P(0x100), P(0x101), P(0x102), P(0x103), P(0x104), P(0x105) | PM_SOFT_DIRTY};
	uint64_t eb[6];
	memcpy(eb, ea, sizeof eb);
	eb[1] = P(0x901);              /* one PFN changed */
	eb[3] = SWP(1, 0x20);          /* present -> swap */
	eb[4] = SWP(1, 0x21);          /* present -> swap, next page: same group */
	struct pgt_pms a, b;
	struct pgt_pmdiff df;
	load(&a, put("7f0000000000-7f0000006000.bin", ea, 6, 0), 0);
	load(&b, put("b/7f0000000000-7f0000006000.bin", eb, 6, 0), 0);
	run(&a, &b, 0, &df);
	CHECK_EQ(df.compared, 6);
	CHECK_EQ(df.differ, 3);
	CHECK_EQ(df.ng, 2);
	CHECK_EQ(df.g[0].start, 0x7f0000001000);
	CHECK_EQ(df.g[0].end, 0x7f0000002000);
	CHECK_EQ(df.g[0].fields, F(PFN));
	CHECK_EQ(df.g[0].a, P(0x101));
	CHECK_EQ(df.g[0].b, P(0x901));
	CHECK_EQ(df.g[1].start, 0x7f0000003000);
	CHECK_EQ(df.g[1].end, 0x7f0000005000);
	CHECK_EQ(df.g[1].fields, F(PRESENT) | F(PFN) | F(SWAP));
	CHECK_EQ(df.g[1].b, SWP(1, 0x20));
	CHECK_EQ(df.per_field[PGT_PMF_PFN], 3);
	CHECK_EQ(df.per_field[PGT_PMF_PRESENT], 2);
	CHECK_EQ(df.per_field[PGT_PMF_SWAP], 2);
	CHECK_EQ(df.per_field[PGT_PMF_SOFT_DIRTY], 0);
	pgt_pmdiff_free(&df);

	/* --ignore pfn: only the present->swap pages remain, still as one group */
	run(&a, &b, F(PFN), &df);
	CHECK_EQ(df.differ, 2);
	CHECK_EQ(df.ng, 1);
	CHECK_EQ(df.g[0].fields, F(PRESENT) | F(SWAP));
	CHECK_EQ(df.per_field[PGT_PMF_PFN], 0);
	pgt_pmdiff_free(&df);
	run(&a, &b, F(PFN) | F(PRESENT) | F(SWAP), &df);
	CHECK_EQ(df.differ, 0);
	CHECK_EQ(df.ng, 0);
	pgt_pmdiff_free(&df);
	pgt_pms_free(&a);
	pgt_pms_free(&b);
}

/* Neighbouring differing pages split when their fields differ or a gap lies between. */
static void test_grouping(void)
{
	uint64_t ea[5] = {P(1), P(2), P(3), P(4), P(5)};
	uint64_t eb[5] = {P(1) | PM_MMAP_EXCLUSIVE, P(2) | PM_MMAP_EXCLUSIVE, P(3) | PM_MMAP_EXCLUSIVE | PM_FILE,
			  P(4) | PM_MMAP_EXCLUSIVE, P(5)};
	struct pgt_pms a, b;
	struct pgt_pmdiff df;
	struct pgt_err err = {0};
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.page_size = b.page_size = PS;
	a.path = "a";
	b.path = "b";
	/* a: two ranges with a hole between; b: one range across it */
	pgt_pms_add(&a, 0x20000, ea + 3, 2, &err);
	pgt_pms_add(&a, 0x10000, ea, 3, &err);
	CHECK_EQ(pgt_pms_finish(&a, NULL, 0, &err), PGT_OK);
	CHECK_EQ(a.r[0].start, 0x10000);
	uint64_t wide[17] = {0};
	memcpy(wide, eb, 3 * 8);
	memcpy(wide + 16, eb + 3, 8);
	pgt_pms_add(&b, 0x10000, wide, 17, &err);
	CHECK_EQ(pgt_pms_finish(&b, NULL, 0, &err), PGT_OK);
	run(&a, &b, 0, &df);
	CHECK_EQ(df.compared, 4);     /* 0x10000-0x13000 and 0x20000 */
	CHECK_EQ(df.only_a, 1);       /* 0x21000 */
	CHECK_EQ(df.only_b, 13);
	CHECK_EQ(df.ng, 3);
	CHECK_EQ(df.g[0].start, 0x10000);
	CHECK_EQ(df.g[0].end, 0x12000);
	CHECK_EQ(df.g[0].fields, F(EXCLUSIVE));
	CHECK_EQ(df.g[1].start, 0x12000);
	CHECK_EQ(df.g[1].fields, F(EXCLUSIVE) | F(FILE));
	CHECK_EQ(df.g[2].start, 0x20000);
	CHECK_EQ(df.g[2].end, 0x21000);
	CHECK_EQ(df.per_field[PGT_PMF_EXCLUSIVE], 4);
	CHECK_EQ(df.per_field[PGT_PMF_FILE], 1);
	pgt_pmdiff_free(&df);
	/* overlapping ranges in one source are refused */
	pgt_pms_add(&b, 0x1f000, wide, 2, &err);
	CHECK_EQ(pgt_pms_finish(&b, NULL, 0, &err), PGT_EINPUT);
	pgt_pms_free(&a);
	pgt_pms_free(&b);
}

static void test_partial_overlap(void)
{
	uint64_t e[8];
	for (unsigned i = 0; i < 8; i++)
		e[i] = P(0x500 + i);
	struct pgt_pms a, b;
	struct pgt_pmdiff df;
	load(&a, put("10000-18000.bin", e, 8, 0), 0);
	load(&b, put("14000-1c000.bin", e, 8, 0), 0);   /* shifted by 4 pages: every shared page differs */
	run(&a, &b, 0, &df);
	CHECK_EQ(df.compared, 4);
	CHECK_EQ(df.only_a, 4);
	CHECK_EQ(df.only_b, 4);
	CHECK_EQ(df.differ, 4);
	CHECK_EQ(df.ng, 1);
	CHECK_EQ(df.g[0].start, 0x14000);
	CHECK_EQ(df.g[0].end, 0x18000);
	CHECK_EQ(df.g[0].a, P(0x504));
	CHECK_EQ(df.g[0].b, P(0x500));
	pgt_pmdiff_free(&df);
	/* clipped to a range: only that part counts, on both sides */
	struct pgt_err err = {0};
	const uint64_t r[1][2] = {{0x16000, 0x17000}};
	CHECK_EQ(pgt_pms_finish(&a, r, 1, &err), PGT_OK);
	CHECK_EQ(pgt_pms_finish(&b, r, 1, &err), PGT_OK);
	run(&a, &b, 0, &df);
	CHECK_EQ(df.compared, 1);
	CHECK_EQ(df.only_a + df.only_b, 0);
	CHECK_EQ(df.g[0].a, P(0x506));
	pgt_pmdiff_free(&df);
	pgt_pms_free(&a);
	pgt_pms_free(&b);
}

/* Alike entries are kept as fills; fills compare en bloc and split where needed. */
static void test_fills(void)
{
	static uint64_t za[1 << 12], zb[1 << 12];
	struct pgt_pms a, b;
	struct pgt_pmdiff df;
	struct pgt_err err = {0};
	for (unsigned i = 0; i < 1 << 12; i++)
		zb[i] = PM_SOFT_DIRTY;
	zb[100] = P(7) | PM_SOFT_DIRTY;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.page_size = b.page_size = PS;
	a.path = "a";
	b.path = "b";
	/* a: 16384 pages of 0 in four adds, merged into one fill */
	for (unsigned k = 0; k < 4; k++)
		pgt_pms_add(&a, 0x100000000 + (uint64_t)k * (PS << 12), za, 1 << 12, &err);
	CHECK_EQ(pgt_pms_finish(&a, NULL, 0, &err), PGT_OK);
	CHECK_EQ(a.n, 1);
	CHECK(a.r[0].e == NULL);
	CHECK_EQ(a.pages, 1 << 14);
	/* b: soft-dirty everywhere (a fill) but one present page in the second quarter */
	pgt_pms_add(&b, 0x100000000, zb + 200, 1 << 10, &err);
	pgt_pms_add(&b, 0x100000000 + (PS << 10), zb, 1 << 12, &err);
	CHECK_EQ(pgt_pms_finish(&b, NULL, 0, &err), PGT_OK);
	CHECK_EQ(b.n, 2);
	CHECK(b.r[0].e == NULL && b.r[1].e != NULL);
	CHECK_EQ(pgt_pms_entry(&b.r[1], 100), P(7) | PM_SOFT_DIRTY);
	run(&a, &b, 0, &df);
	CHECK_EQ(df.compared, 5 << 10);
	CHECK_EQ(df.only_a, (1 << 14) - (5 << 10));
	CHECK_EQ(df.differ, 5 << 10);
	CHECK_EQ(df.ng, 3);
	CHECK_EQ(df.g[0].start, 0x100000000);
	CHECK_EQ(df.g[0].end, 0x100000000 + (PS << 10) + 100 * PS);
	CHECK_EQ(df.g[0].fields, F(SOFT_DIRTY));
	CHECK_EQ(df.g[1].fields, F(SOFT_DIRTY) | F(PRESENT) | F(PFN));
	CHECK_EQ(df.g[2].end, 0x100000000 + (PS << 10) + (PS << 12));
	CHECK_EQ(df.per_field[PGT_PMF_SOFT_DIRTY], 5 << 10);
	CHECK_EQ(df.per_field[PGT_PMF_PFN], 1);
	pgt_pmdiff_free(&df);
	/* clipping a fill */
	const uint64_t r[1][2] = {{0x100001000, 0x100003000}};
	CHECK_EQ(pgt_pms_finish(&a, r, 1, &err), PGT_OK);
	CHECK_EQ(a.pages, 2);
	CHECK(a.r[0].e == NULL);
	pgt_pms_free(&a);
	pgt_pms_free(&b);
}

static void test_big_endian(void)
{
	uint64_t e[3] = {P(0x12345) | PM_MMAP_EXCLUSIVE, SWP(3, 0x777) | PM_SOFT_DIRTY, P(0x1) | PM_FILE | PM_UFFD_WP};
	struct pgt_pms a, b, c;
	struct pgt_pmdiff df;
	load(&a, put("3ff00000-3ff03000.bin", e, 3, 0), 0);
	const char *bigf = put("be/3ff00000-3ff03000.bin", e, 3, 1);
	load(&b, bigf, 1);
	CHECK_EQ(pgt_pms_entry(&b.r[0], 0), e[0]);
	run(&a, &b, 0, &df);
	CHECK_EQ(df.differ, 0);
	pgt_pmdiff_free(&df);
	load(&c, bigf, 0);   /* read in the wrong order: everything differs */
	run(&a, &c, 0, &df);
	CHECK_EQ(df.differ, 3);
	pgt_pmdiff_free(&df);
	pgt_pms_free(&a);
	pgt_pms_free(&b);
	pgt_pms_free(&c);
}

static void test_dir_and_ranges(void)
{
	uint64_t e[4] = {P(10), P(11), P(12), P(13)};
	struct pgt_pms s;
	struct pgt_err err = {0};
	char sub[128];
	snprintf(sub, sizeof sub, "%s/pm", dir);
	put("pm/400000-402000.bin", e, 2, 0);
	put("pm/600000-602000.bin", e + 2, 2, 0);
	put("pm/notes.txt", e, 1, 0);
	CHECK_EQ(pgt_pms_load_dir(&s, sub, PS, 0, &err), PGT_OK);
	CHECK_EQ(s.n, 2);
	CHECK_EQ(s.pages, 4);
	CHECK_EQ(s.r[1].start, 0x600000);
	CHECK_EQ(pgt_pms_entry(&s.r[1], 1), P(13));
	pgt_pms_free(&s);

	/* an unnamed file holding two ranges one after another, as pagemap --raw -o writes */
	const char *f = put("pm.out", e, 4, 0);
	const uint64_t two[2][2] = {{0x600000, 0x602000}, {0x400000, 0x402000}};
	CHECK_EQ(pgt_pms_load_file(&s, f, PS, 0, two, 2, &err), PGT_OK);
	CHECK_EQ(s.r[0].start, 0x400000);
	CHECK_EQ(pgt_pms_entry(&s.r[0], 0), P(12));
	CHECK_EQ(pgt_pms_entry(&s.r[1], 0), P(10));
	pgt_pms_free(&s);
	const uint64_t wrong[2][2] = {{0x600000, 0x603000}, {0x400000, 0x402000}};
	CHECK_EQ(pgt_pms_load_file(&s, f, PS, 0, wrong, 2, &err), PGT_EINPUT);
	CHECK(strstr(err.msg, "pm.out") != NULL);
	pgt_pms_free(&s);
	f = put("odd.bin", e, 1, 0);
	CHECK_EQ(truncate(f, 7), 0);
	CHECK_EQ(pgt_pms_load_file(&s, f, PS, 0, two, 1, &err), PGT_EINPUT);
	pgt_pms_free(&s);
	CHECK_EQ(pgt_pms_load_dir(&s, dir, PS, 0, &err), PGT_EINPUT);   /* no capture files there */
	pgt_pms_free(&s);
}

static void test_fields_and_decode(void)
{
	unsigned set;
	char bad[32], buf[160];
	CHECK_EQ(pgt_pm_parse_fields("pfn,exclusive", &set, bad, sizeof bad), 0);
	CHECK_EQ(set, F(PFN) | F(EXCLUSIVE));
	CHECK_EQ(pgt_pm_parse_fields("soft_dirty,uffd-wp,file", &set, bad, sizeof bad), 0);
	CHECK_EQ(set, F(SOFT_DIRTY) | F(UFFD_WP) | F(FILE));
	CHECK_EQ(pgt_pm_parse_fields("pfn,,file", &set, bad, sizeof bad), -1);
	CHECK_EQ(pgt_pm_parse_fields("pfn,dirty", &set, bad, sizeof bad), -1);
	CHECK(!strcmp(bad, "dirty"));
	pgt_pm_fields_str(F(PRESENT) | F(PFN) | F(SWAP), buf, sizeof buf);
	CHECK(!strcmp(buf, "present,pfn,swap"));
	pgt_pm_fields_str(0, buf, sizeof buf);
	CHECK(!strcmp(buf, "-"));
	CHECK_EQ(pgt_pm_fields(P(1) | PM_SOFT_DIRTY, P(1) | (1ull << 58)), F(SOFT_DIRTY) | F(OTHER));

	pgt_pm_decode(P(0x1a2b) | PM_SOFT_DIRTY | PM_MMAP_EXCLUSIVE, buf, sizeof buf);
	CHECK(!strcmp(buf, "present,pfn=0x1a2b,soft-dirty,exclusive"));
	pgt_pm_decode(SWP(1, 0x40) | PM_UFFD_WP, buf, sizeof buf);
	CHECK(!strcmp(buf, "swap,type=1,offset=0x40,uffd-wp"));
	pgt_pm_decode(0, buf, sizeof buf);
	CHECK(!strcmp(buf, "none"));
	pgt_pm_decode(PM_SOFT_DIRTY, buf, sizeof buf);
	CHECK(!strcmp(buf, "none,soft-dirty"));
	pgt_pm_decode(P(0) | PM_FILE | (1ull << 58), buf, sizeof buf);
	CHECK(!strcmp(buf, "present,pfn=0x0,file,other=0x1"));
}

/* The live reader on this very process: present bits need no privilege. */
static void test_live_self(void)
{
	uint8_t *m = mmap(NULL, 4 * PS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct pgt_pms s;
	struct pgt_err err = {0};
	if (m == MAP_FAILED || sysconf(_SC_PAGESIZE) != PS)
		return;
	m[0] = 1;
	m[2 * PS] = 1;
	const uint64_t r[1][2] = {{(uint64_t)(uintptr_t)m, (uint64_t)(uintptr_t)m + 4 * PS}};
	if (pgt_pms_load_live(&s, "/proc/self/pagemap", PS, r, 1, &err) != PGT_OK) {
		printf("live pagemap not readable here (%s): skipped\n", err.msg);
		return;
	}
	CHECK_EQ(s.pages, 4);
	CHECK(pgt_pms_entry(&s.r[0], 0) & PM_PRESENT);
	CHECK(!(pgt_pms_entry(&s.r[0], 1) & PM_PRESENT));
	CHECK(pgt_pms_entry(&s.r[0], 2) & PM_PRESENT);
	pgt_pms_free(&s);
#ifndef __SANITIZE_ADDRESS__
	/* without ranges it reads every mapping of /proc/self/maps (not under
	 * AddressSanitizer, whose terabytes of shadow would make it a stress test) */
	CHECK_EQ(pgt_pms_load_live(&s, "/proc/self/pagemap", PS, NULL, 0, &err), PGT_OK);
	CHECK(s.n >= 3);
	pgt_pms_free(&s);
#endif
	munmap(m, 4 * PS);
}

int main(void)
{
	char cmd[160];
	snprintf(dir, sizeof dir, "/tmp/pgt-unit-diff-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(cmd, sizeof cmd, "%s/b", dir);
	mkdir(cmd, 0700);
	snprintf(cmd, sizeof cmd, "%s/be", dir);
	mkdir(cmd, 0700);
	snprintf(cmd, sizeof cmd, "%s/pm", dir);
	mkdir(cmd, 0700);
	test_equal();
	test_pfn_and_swap();
	test_grouping();
	test_partial_overlap();
	test_fills();
	test_big_endian();
	test_dir_and_ranges();
	test_fields_and_decode();
	test_live_self();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return t_done();
}
