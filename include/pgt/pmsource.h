/* Pagemap sources for `diff`: entries of one process from a dump, a raw
 * capture file, a folder of captures or a live /proc/PID/pagemap, as sorted
 * ranges of host-order 64-bit entries; and the comparison of two of them. */
#ifndef PGT_PMSOURCE_H
#define PGT_PMSOURCE_H

#include <stddef.h>
#include <stdint.h>
#include "pgt/dump.h"
#include "pgt/err.h"

enum pgt_pms_kind { PGT_PMS_DUMP, PGT_PMS_FILE, PGT_PMS_DIR, PGT_PMS_LIVE };

/* One covered address range: (end - start) / page_size entries, or, when
 * e is NULL, that many copies of fill (big reserved but untouched VMAs cost
 * nothing that way). */
struct pgt_pms_range {
	uint64_t start, end;
	uint64_t *e;
	uint64_t fill;
};

static inline uint64_t pgt_pms_entry(const struct pgt_pms_range *r, uint64_t i)
{
	return r->e ? r->e[i] : r->fill;
}

struct pgt_pms {
	enum pgt_pms_kind kind;
	const char *path;
	unsigned page_size;
	struct pgt_pms_range *r;   /* sorted, non-overlapping */
	unsigned n, cap;
	uint64_t pages;            /* pages covered */
	char note[320];            /* non-empty: something the user should know */
};

/* What a command-line argument names: a folder, a live pagemap (procfs), a
 * dump (ELF, kdump, flattened, /proc/kcore) or else a raw capture. */
enum pgt_pms_kind pgt_pms_guess(const char *path);

/* "<start>-<end>.bin" (hex), the name of a capture file; 0 if not. */
int pgt_pms_name_range(const char *name, uint64_t *start, uint64_t *end);

/* A raw file of 8-byte entries in the given byte order.  Its pages start at
 * the start in its name; otherwise ranges (in the order given) say where its
 * entries belong: one range: [start, start + size/8 pages); several: the file
 * is those ranges one after another, as `pagemap --raw` writes them. */
pgt_status pgt_pms_load_file(struct pgt_pms *s, const char *path, unsigned page_size, int big_endian,
			     const uint64_t (*ranges)[2], unsigned nranges, struct pgt_err *err);
/* Every <start>-<end>.bin file of a folder. */
pgt_status pgt_pms_load_dir(struct pgt_pms *s, const char *path, unsigned page_size, int big_endian,
			    struct pgt_err *err);
/* A live /proc/PID/pagemap: the VMAs of the maps file next to it (their
 * parts inside the ranges, if any).  Host byte order. */
pgt_status pgt_pms_load_live(struct pgt_pms *s, const char *path, unsigned page_size,
			     const uint64_t (*ranges)[2], unsigned nranges, struct pgt_err *err);
/* pgtinspect's own pagemap of pid in dump d: the given ranges, else every VMA. */
pgt_status pgt_pms_load_dump(struct pgt_pms *s, struct pgt_dump *d, int pid, const uint64_t (*ranges)[2],
			     unsigned nranges, struct pgt_err *err);
/* Adds a range of entries (copied); ranges may come in any order.  A range
 * whose entries are all alike is kept as a fill. */
pgt_status pgt_pms_add(struct pgt_pms *s, uint64_t start, const uint64_t *e, uint64_t n, struct pgt_err *err);
/* Sorts the ranges, refuses overlaps, keeps only what lies inside ranges (if any). */
pgt_status pgt_pms_finish(struct pgt_pms *s, const uint64_t (*ranges)[2], unsigned nranges, struct pgt_err *err);
void pgt_pms_free(struct pgt_pms *s);

/* Fields of a pagemap entry, as compared. */
enum pgt_pmf {
	PGT_PMF_PRESENT, PGT_PMF_PFN, PGT_PMF_SWAP, PGT_PMF_SOFT_DIRTY, PGT_PMF_EXCLUSIVE,
	PGT_PMF_UFFD_WP, PGT_PMF_FILE, PGT_PMF_OTHER, PGT_PMF_COUNT
};
extern const char *const pgt_pmf_name[PGT_PMF_COUNT];
/* The bits of each field (PGT_PMF_OTHER: 58-60, unused by 6.1). */
uint64_t pgt_pmf_bits(enum pgt_pmf f);
/* Bit set (1 << PGT_PMF_x) of the fields in which a and b differ. */
unsigned pgt_pm_fields(uint64_t a, uint64_t b);
/* Parses "pfn,exclusive" into a field set; -1 and the bad word in bad. */
int pgt_pm_parse_fields(const char *list, unsigned *set, char *bad, size_t badlen);
/* "pfn,exclusive" ("-" when empty). */
void pgt_pm_fields_str(unsigned set, char *buf, size_t len);
/* One entry as a single word: "present,pfn=0x1a2b,exclusive",
 * "swap,type=1,offset=0x40", "none" (flags follow the kind). */
void pgt_pm_decode(uint64_t e, char *buf, size_t len);

/* Consecutive pages differing in the same fields; a and b are the first page's. */
struct pgt_pmdiff_group {
	uint64_t start, end;
	unsigned fields;
	uint64_t a, b;
};

struct pgt_pmdiff {
	uint64_t compared, differ, only_a, only_b;
	uint64_t per_field[PGT_PMF_COUNT];
	struct pgt_pmdiff_group *g;
	size_t ng, cap;
};

/* Compares a and b over the pages both cover, fields in ignore masked. */
pgt_status pgt_pmdiff_run(const struct pgt_pms *a, const struct pgt_pms *b, unsigned ignore,
			  struct pgt_pmdiff *out, struct pgt_err *err);
void pgt_pmdiff_free(struct pgt_pmdiff *df);

#endif
