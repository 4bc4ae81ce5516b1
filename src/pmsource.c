/* Pagemap sources and their comparison (the `diff` command's engine). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "pgt/endian.h"
#include "pgt/kmodel.h"
#include "pgt/pagemap.h"
#include "pgt/pmsource.h"
#include "pgt/walk.h"

#define PROCFS_MAGIC 0x9fa0
#define SWP_TYPE_BITS 5   /* MAX_SWAPFILES_SHIFT: how 6.1 packs a swap entry's frame */
#define CHUNK (1u << 18)   /* entries read or computed at a time (2 MiB) */

const char *const pgt_pmf_name[PGT_PMF_COUNT] = {
	"present", "pfn", "swap", "soft-dirty", "exclusive", "uffd-wp", "file", "other",
};

uint64_t pgt_pmf_bits(enum pgt_pmf f)
{
	switch (f) {
	case PGT_PMF_PRESENT: return PM_PRESENT;
	case PGT_PMF_PFN: return PM_PFN_MASK;
	case PGT_PMF_SWAP: return PM_SWAP;
	case PGT_PMF_SOFT_DIRTY: return PM_SOFT_DIRTY;
	case PGT_PMF_EXCLUSIVE: return PM_MMAP_EXCLUSIVE;
	case PGT_PMF_UFFD_WP: return PM_UFFD_WP;
	case PGT_PMF_FILE: return PM_FILE;
	case PGT_PMF_OTHER: return 7ull << 58;
	default: return 0;
	}
}

unsigned pgt_pm_fields(uint64_t a, uint64_t b)
{
	uint64_t x = a ^ b;
	unsigned set = 0;
	for (unsigned f = 0; x && f < PGT_PMF_COUNT; f++)
		if (x & pgt_pmf_bits((enum pgt_pmf)f))
			set |= 1u << f;
	return set;
}

int pgt_pm_parse_fields(const char *list, unsigned *set, char *bad, size_t badlen)
{
	*set = 0;
	const char *p = list;
	for (;;) {
		size_t n = strcspn(p, ",");
		char w[32];
		unsigned f;
		if (n == 0 || n >= sizeof w) {
			snprintf(bad, badlen, "%.*s", (int)n, p);
			return -1;
		}
		memcpy(w, p, n);
		w[n] = 0;
		for (char *q = w; *q; q++)
			if (*q == '_')
				*q = '-';   /* the JSON keys' spelling works too */
		for (f = 0; f < PGT_PMF_COUNT && strcmp(w, pgt_pmf_name[f]); f++)
			;
		if (f == PGT_PMF_COUNT) {
			snprintf(bad, badlen, "%s", w);
			return -1;
		}
		*set |= 1u << f;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

void pgt_pm_fields_str(unsigned set, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (unsigned f = 0; f < PGT_PMF_COUNT; f++)
		if (set & (1u << f) && o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "", pgt_pmf_name[f]);
	if (!buf[0])
		snprintf(buf, len, "-");
}

void pgt_pm_decode(uint64_t e, char *buf, size_t len)
{
	uint64_t frame = e & PM_PFN_MASK;
	int o;
	if (e & PM_PRESENT)
		o = snprintf(buf, len, "present%s,pfn=0x%" PRIx64, e & PM_SWAP ? ",swap" : "", frame);
	else if (e & PM_SWAP)
		o = snprintf(buf, len, "swap,type=%" PRIu64 ",offset=0x%" PRIx64,
			     frame & ((1u << SWP_TYPE_BITS) - 1), frame >> SWP_TYPE_BITS);
	else if (frame)
		o = snprintf(buf, len, "none,bits=0x%" PRIx64, frame);   /* never from a kernel; keep it visible */
	else
		o = snprintf(buf, len, "none");
	/* flags in field order, then bits 58-60 so that no bit goes unseen */
	for (unsigned f = PGT_PMF_SOFT_DIRTY; f <= PGT_PMF_FILE && o >= 0 && (size_t)o < len; f++)
		if (e & pgt_pmf_bits((enum pgt_pmf)f))
			o += snprintf(buf + o, len - (size_t)o, ",%s", pgt_pmf_name[f]);
	if (e & pgt_pmf_bits(PGT_PMF_OTHER) && o >= 0 && (size_t)o < len)
		snprintf(buf + o, len - (size_t)o, ",other=0x%" PRIx64, (e >> 58) & 7);
}

/* ---- sources ---- */

int pgt_pms_name_range(const char *name, uint64_t *start, uint64_t *end)
{
	const char *b = strrchr(name, '/');
	char *p;
	b = b ? b + 1 : name;
	if (!((*b >= '0' && *b <= '9') || (*b >= 'a' && *b <= 'f') || (*b >= 'A' && *b <= 'F')))
		return 0;
	errno = 0;
	uint64_t s = strtoull(b, &p, 16);
	if (errno || *p != '-')
		return 0;
	const char *q = p + 1;
	uint64_t e = strtoull(q, &p, 16);
	if (errno || p == q || strcmp(p, ".bin") || e <= s)
		return 0;
	*start = s;
	*end = e;
	return 1;
}

enum pgt_pms_kind pgt_pms_guess(const char *path)
{
	struct stat st;
	struct statfs sf;
	uint64_t s, e;
	char magic[12] = {0};
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	if (stat(path, &st) != 0)
		return pgt_pms_name_range(path, &s, &e) ? PGT_PMS_FILE : PGT_PMS_DUMP;
	if (S_ISDIR(st.st_mode))
		return PGT_PMS_DIR;
	if (statfs(path, &sf) == 0 && sf.f_type == PROCFS_MAGIC)
		return strcmp(b, "pagemap") ? PGT_PMS_DUMP : PGT_PMS_LIVE;
	if (pgt_pms_name_range(path, &s, &e))
		return PGT_PMS_FILE;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return PGT_PMS_DUMP;   /* the dump opener says why it cannot be read */
	ssize_t got = pread(fd, magic, sizeof magic, 0);
	close(fd);
	if (got >= 4 && !memcmp(magic, "\177ELF", 4))
		return PGT_PMS_DUMP;
	if (got >= 8 && (!memcmp(magic, "KDUMP   ", 8) || !memcmp(magic, "DISKDUMP", 8)))
		return PGT_PMS_DUMP;
	if (got >= 12 && !memcmp(magic, "makedumpfile", 12))
		return PGT_PMS_DUMP;
	return PGT_PMS_FILE;
}

static int uniform(const uint64_t *e, uint64_t n)
{
	for (uint64_t i = 1; i < n; i++)
		if (e[i] != e[0])
			return 0;
	return 1;
}

/* Appends [start, start + n pages): entries e (taken over), or n copies of
 * fill when e is NULL.  Alike entries become a fill, merged with a fill
 * just before it. */
static pgt_status add_range(struct pgt_pms *s, uint64_t start, uint64_t *e, uint64_t fill, uint64_t n,
			    struct pgt_err *err)
{
	if (!n) {
		free(e);
		return PGT_OK;
	}
	if (e && uniform(e, n)) {
		fill = e[0];
		free(e);
		e = NULL;
	}
	if (!e && s->n) {
		struct pgt_pms_range *p = &s->r[s->n - 1];
		if (!p->e && p->fill == fill && p->end == start) {
			p->end += n * s->page_size;
			return PGT_OK;
		}
	}
	if (s->n == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 16;
		struct pgt_pms_range *r = realloc(s->r, cap * sizeof *r);
		if (!r) {
			free(e);
			return pgt_fail(err, PGT_ENOMEM, "out of memory");
		}
		s->r = r;
		s->cap = cap;
	}
	s->r[s->n++] = (struct pgt_pms_range){start, start + n * s->page_size, e, e ? 0 : fill};
	return PGT_OK;
}

static pgt_status add_owned(struct pgt_pms *s, uint64_t start, uint64_t *e, uint64_t n, struct pgt_err *err)
{
	return add_range(s, start, e, 0, n, err);
}

pgt_status pgt_pms_add(struct pgt_pms *s, uint64_t start, const uint64_t *e, uint64_t n, struct pgt_err *err)
{
	if (n && uniform(e, n))
		return add_range(s, start, NULL, e[0], n, err);
	uint64_t *c = malloc((n ? n : 1) * sizeof *c);
	if (!c)
		return pgt_fail(err, PGT_ENOMEM, "out of memory");
	memcpy(c, e, n * sizeof *c);
	return add_owned(s, start, c, n, err);
}

static int cmp_range(const void *x, const void *y)
{
	const struct pgt_pms_range *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

static int cmp_pair(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;
	return a[0] < b[0] ? -1 : a[0] > b[0];
}

pgt_status pgt_pms_finish(struct pgt_pms *s, const uint64_t (*ranges)[2], unsigned nranges, struct pgt_err *err)
{
	const uint64_t ps = s->page_size;
	qsort(s->r, s->n, sizeof *s->r, cmp_range);
	for (unsigned i = 1; i < s->n; i++)
		if (s->r[i].start < s->r[i - 1].end)
			return pgt_fail(err, PGT_EINPUT, "%s: ranges 0x%" PRIx64 "-0x%" PRIx64 " and 0x%" PRIx64 "-0x%" PRIx64 " overlap",
					s->path, s->r[i - 1].start, s->r[i - 1].end, s->r[i].start, s->r[i].end);
	if (nranges) {
		/* keep only the parts inside the requested ranges */
		uint64_t (*c)[2] = malloc(nranges * sizeof *c);
		struct pgt_pms_range *old = s->r;
		unsigned nold = s->n;
		pgt_status st = PGT_OK;
		if (!c)
			return pgt_fail(err, PGT_ENOMEM, "out of memory");
		memcpy(c, ranges, nranges * sizeof *c);
		qsort(c, nranges, sizeof *c, cmp_pair);
		s->r = NULL;
		s->n = s->cap = 0;
		for (unsigned i = 0; i < nold && !st; i++)
			for (unsigned k = 0; k < nranges && !st; k++) {
				uint64_t lo = old[i].start > c[k][0] ? old[i].start : c[k][0];
				uint64_t hi = old[i].end < c[k][1] ? old[i].end : c[k][1];
				if (lo < hi && old[i].e)
					st = pgt_pms_add(s, lo, old[i].e + (lo - old[i].start) / ps, (hi - lo) / ps, err);
				else if (lo < hi)
					st = add_range(s, lo, NULL, old[i].fill, (hi - lo) / ps, err);
			}
		for (unsigned i = 0; i < nold; i++)
			free(old[i].e);
		free(old);
		free(c);
		if (st)
			return st;
	}
	s->pages = 0;
	for (unsigned i = 0; i < s->n; i++)
		s->pages += (s->r[i].end - s->r[i].start) / ps;
	return PGT_OK;
}

void pgt_pms_free(struct pgt_pms *s)
{
	for (unsigned i = 0; i < s->n; i++)
		free(s->r[i].e);
	free(s->r);
	s->r = NULL;
	s->n = s->cap = 0;
}

static pgt_status read_fully(int fd, const char *path, void *buf, size_t len, uint64_t off, size_t *got,
			     struct pgt_err *err)
{
	size_t done = 0;
	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return pgt_fail(err, PGT_EINPUT, "%s: read at offset 0x%" PRIx64 " failed: %s", path,
					off + done, strerror(errno));
		if (r == 0)
			break;
		done += (size_t)r;
	}
	*got = done;
	return PGT_OK;
}

/* One raw file's entries into s: at start (n pages each of the ranges in turn). */
static pgt_status add_file(struct pgt_pms *s, const char *path, int big_endian, const uint64_t (*ranges)[2],
			   unsigned nranges, struct pgt_err *err)
{
	const uint64_t ps = s->page_size;
	struct stat st;
	uint64_t nstart, nend;
	pgt_status rc = PGT_OK;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return pgt_fail(err, PGT_EINPUT, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pgt_fail(err, PGT_EINPUT, "%s: not a regular file", path);
	}
	uint64_t size = (uint64_t)st.st_size, total = size / 8;
	if (size % 8) {
		close(fd);
		return pgt_fail(err, PGT_EINPUT, "%s: %" PRIu64 " bytes is not a whole number of 8-byte pagemap entries",
				path, size);
	}
	uint64_t one[1][2];
	if (pgt_pms_name_range(path, &nstart, &nend)) {
		one[0][0] = nstart;
		one[0][1] = nstart + total * ps;
		ranges = one;
		nranges = 1;
	} else if (!nranges) {
		close(fd);
		return pgt_fail(err, PGT_EUSAGE,
				"%s: raw pagemap file whose name is not <start>-<end>.bin: give its address with --range START-END",
				path);
	} else if (nranges == 1) {
		one[0][0] = ranges[0][0];
		one[0][1] = ranges[0][0] + total * ps;
		ranges = one;
	} else {
		uint64_t want = 0;
		for (unsigned i = 0; i < nranges; i++)
			want += (ranges[i][1] - ranges[i][0]) / ps;
		if (want != total) {
			close(fd);
			return pgt_fail(err, PGT_EINPUT,
					"%s: holds %" PRIu64 " entries but the %u ranges given cover %" PRIu64 " pages",
					path, total, nranges, want);
		}
	}
	uint64_t off = 0;
	for (unsigned i = 0; i < nranges && !rc; i++) {
		for (uint64_t a = ranges[i][0]; a < ranges[i][1] && !rc;) {
			uint64_t n = (ranges[i][1] - a) / ps < CHUNK ? (ranges[i][1] - a) / ps : CHUNK;
			size_t got;
			if (!n)
				break;   /* a partial page at the end of an unaligned range */
			uint64_t *e = malloc(n * 8);
			if (!e) {
				rc = pgt_fail(err, PGT_ENOMEM, "%s: out of memory", path);
				break;
			}
			rc = read_fully(fd, path, e, n * 8, off, &got, err);
			if (!rc && got != n * 8)
				rc = pgt_fail(err, PGT_EINPUT, "%s: short read at offset 0x%" PRIx64, path, off + got);
			if (rc) {
				free(e);
				break;
			}
			for (uint64_t k = 0; k < n; k++)
				e[k] = pgt_ld64(&e[k], big_endian);
			rc = add_owned(s, a, e, n, err);
			off += n * 8;
			a += n * ps;
		}
	}
	close(fd);
	return rc;
}

pgt_status pgt_pms_load_file(struct pgt_pms *s, const char *path, unsigned page_size, int big_endian,
			     const uint64_t (*ranges)[2], unsigned nranges, struct pgt_err *err)
{
	memset(s, 0, sizeof *s);
	s->kind = PGT_PMS_FILE;
	s->path = path;
	s->page_size = page_size;
	pgt_status st = add_file(s, path, big_endian, ranges, nranges, err);
	if (!st)
		st = pgt_pms_finish(s, ranges, nranges, err);
	return st;
}

pgt_status pgt_pms_load_dir(struct pgt_pms *s, const char *path, unsigned page_size, int big_endian,
			    struct pgt_err *err)
{
	pgt_status st = PGT_OK;
	uint64_t a, b;
	char full[4096];
	memset(s, 0, sizeof *s);
	s->kind = PGT_PMS_DIR;
	s->path = path;
	s->page_size = page_size;
	DIR *dir = opendir(path);
	if (!dir)
		return pgt_fail(err, PGT_EINPUT, "%s: cannot open folder: %s", path, strerror(errno));
	for (struct dirent *de; !st && (de = readdir(dir));) {
		if (!pgt_pms_name_range(de->d_name, &a, &b))
			continue;
		snprintf(full, sizeof full, "%s/%s", path, de->d_name);
		st = add_file(s, full, big_endian, NULL, 0, err);
	}
	closedir(dir);
	if (!st && !s->n)
		st = pgt_fail(err, PGT_EINPUT, "%s: no <start>-<end>.bin pagemap files in this folder", path);
	if (!st)
		st = pgt_pms_finish(s, NULL, 0, err);
	return st;
}

/* The VMAs of the maps file next to a live pagemap. */
static pgt_status live_maps(const char *pmpath, uint64_t (**out)[2], unsigned *n, struct pgt_err *err)
{
	char mp[4096], line[4096];
	const char *slash = strrchr(pmpath, '/');
	unsigned cap = 0;
	snprintf(mp, sizeof mp, "%.*smaps", slash ? (int)(slash - pmpath + 1) : 0, pmpath);
	FILE *f = fopen(mp, "r");
	*out = NULL;
	*n = 0;
	if (!f)
		return pgt_fail(err, PGT_EINPUT, "%s: cannot open: %s", mp, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		unsigned long long s, e;
		if (sscanf(line, "%llx-%llx", &s, &e) != 2 || e <= s)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			void *r = realloc(*out, cap * sizeof **out);
			if (!r) {
				fclose(f);
				return pgt_fail(err, PGT_ENOMEM, "out of memory");
			}
			*out = r;
		}
		(*out)[*n][0] = s;
		(*out)[*n][1] = e;
		(*n)++;
	}
	fclose(f);
	if (!*n)
		return pgt_fail(err, PGT_EINPUT, "%s: no mappings (the process has exited, or is a kernel thread?)", mp);
	return PGT_OK;
}

pgt_status pgt_pms_load_live(struct pgt_pms *s, const char *path, unsigned page_size,
			     const uint64_t (*ranges)[2], unsigned nranges, struct pgt_err *err)
{
	const uint64_t ps = page_size;
	uint64_t (*maps)[2] = NULL;
	unsigned nmaps = 0;
	pgt_status st = PGT_OK;
	memset(s, 0, sizeof *s);
	s->kind = PGT_PMS_LIVE;
	s->path = path;
	s->page_size = page_size;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return pgt_fail(err, PGT_EINPUT, "%s: cannot open: %s", path, strerror(errno));
	if ((st = live_maps(path, &maps, &nmaps, err))) {
		close(fd);
		return st;
	}
	/* Only mapped pages are read (the rest of the file is zeros): each VMA,
	 * or its parts inside the ranges given. */
	for (unsigned v = 0; v < nmaps && !st; v++)
		for (unsigned k = 0; k < (nranges ? nranges : 1) && !st; k++) {
			uint64_t lo = maps[v][0] & ~(ps - 1), hi = (maps[v][1] + ps - 1) & ~(ps - 1);
			if (nranges) {
				lo = lo > ranges[k][0] ? lo : ranges[k][0];
				hi = hi < ranges[k][1] ? hi : ranges[k][1];
			}
			/* a chunk at a time: reserved VMAs of terabytes stay cheap as fills */
			for (uint64_t a = lo; a < hi && !st;) {
				uint64_t n = (hi - a) / ps < CHUNK ? (hi - a) / ps : CHUNK;
				size_t got;
				uint64_t *e = malloc(n * 8);
				if (!e) {
					st = pgt_fail(err, PGT_ENOMEM, "%s: out of memory", path);
					break;
				}
				/* The file ends at the task size: [vsyscall] and beyond read nothing. */
				st = read_fully(fd, path, e, n * 8, a / ps * 8, &got, err);
				if (st) {
					free(e);
					break;
				}
				st = add_owned(s, a, e, got / 8, err);
				if (got < n * 8)
					break;
				a += n * ps;
			}
		}
	close(fd);
	free(maps);
	if (!st)
		st = pgt_pms_finish(s, NULL, 0, err);
	return st;
}

/* Address intervals, kept sorted by the walk's order and merged. */
struct spans {
	uint64_t (*iv)[2];
	size_t n, cap;
	int oom;
	const uint64_t (*want)[2];   /* pieces the walk must cover, sorted */
	unsigned nwant;
};

static void spans_add(struct spans *sp, uint64_t lo, uint64_t hi)
{
	if (sp->n && lo <= sp->iv[sp->n - 1][1] && lo >= sp->iv[sp->n - 1][0]) {
		if (hi > sp->iv[sp->n - 1][1])
			sp->iv[sp->n - 1][1] = hi;
		return;
	}
	if (sp->n == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 256;
		void *r = realloc(sp->iv, cap * sizeof *sp->iv);
		if (!r) {
			sp->oom = 1;
			return;
		}
		sp->iv = r;
		sp->cap = cap;
	}
	sp->iv[sp->n][0] = lo;
	sp->iv[sp->n][1] = hi;
	sp->n++;
}

static void rec_leaf(void *arg, const struct pgt_slot *s, const struct pgt_entry *e, uint64_t va, uint64_t end)
{
	spans_add(arg, va, end ? end : ~0ull);
}

static void rec_anomaly(void *arg, const struct pgt_anomaly *a)
{
	spans_add(arg, a->va, a->end ? a->end : ~0ull);
}

static int rec_table(void *arg, const struct pgt_slot *parent, const struct pgt_entry *pe, uint64_t table_pa,
		     unsigned level, uint64_t va, uint64_t end)
{
	const struct spans *sp = arg;
	unsigned lo = 0, hi = sp->nwant;
	while (lo < hi) {   /* first piece ending after va */
		unsigned mid = (lo + hi) / 2;
		if (sp->want[mid][1] <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == sp->nwant || (end && sp->want[lo][0] >= end);   /* skip tables no piece needs */
}

/* Pagemap of the pieces (sorted) that hold entries, a batch of at most
 * CHUNK pages at a time. */
static pgt_status dump_pieces(struct pgt_pms *s, struct pgt_dump *d, const struct pgt_mm *mm,
			      uint64_t (*pc)[2], unsigned npc, uint64_t *unknown, uint64_t *misses, char *problem,
			      size_t plen, struct pgt_err *err)
{
	const uint64_t ps = d->page_size;
	struct pgt_pagemap pm;
	pgt_status st = PGT_OK;
	for (unsigned b0 = 0, nb; !st && b0 < npc; b0 += nb) {
		uint64_t pages = 0;
		for (nb = 0; b0 + nb < npc; nb++) {
			uint64_t n = (pc[b0 + nb][1] - pc[b0 + nb][0]) / ps;
			if (nb && pages + n > CHUNK)
				break;
			pages += n;
		}
		st = pgt_pagemap_init(&pm, d, mm, (const uint64_t (*)[2])&pc[b0], nb, err);
		if (st)
			break;
		st = pgt_pagemap_fill(&pm, NULL, err);
		for (unsigned k = 0; !st && k < pm.nseg; k++) {
			uint64_t *ent = NULL;
			st = pgt_pm_dense(&pm, k, &ent, err);
			if (!st)   /* the entries change hands */
				st = add_owned(s, pm.seg[k].start, ent, (pm.seg[k].end - pm.seg[k].start) / ps, err);
		}
		*unknown += pm.unknown_pages;
		*misses += pm.memmap_misses;
		if (!problem[0])
			snprintf(problem, plen, "%s", pm.first_problem);
		pgt_pagemap_fini(&pm);
	}
	return st;
}

/* What pagemap_pte_hole() reports for [lo, hi): per VMA, soft-dirty with
 * VM_SOFTDIRTY; 0 outside every VMA. */
static pgt_status add_holes(struct pgt_pms *s, const struct pgt_mm *mm, uint64_t lo, uint64_t hi,
			    struct pgt_err *err)
{
	const uint64_t ps = s->page_size;
	pgt_status st = PGT_OK;
	while (lo < hi && !st) {
		const struct pgt_vma *v = pgt_mm_find_vma(mm, lo), *nx = NULL;
		uint64_t stop = hi;
		if (v && v->end < stop)
			stop = v->end;
		if (!v) {
			for (unsigned i = 0; i < mm->nvmas && !nx; i++)
				if (mm->vmas[i].start > lo)
					nx = &mm->vmas[i];
			if (nx && nx->start < stop)
				stop = nx->start;
		}
		uint64_t fill = v && (v->flags & PGT_VM_SOFTDIRTY) ? PM_SOFT_DIRTY : 0;
		st = add_range(s, lo, NULL, fill, (stop - lo) / ps, err);
		lo = stop;
	}
	return st;
}

pgt_status pgt_pms_load_dump(struct pgt_pms *s, struct pgt_dump *d, int pid, const uint64_t (*ranges)[2],
			     unsigned nranges, struct pgt_err *err)
{
	struct pgt_task *t;
	unsigned nt;
	uint64_t mmva = 0;
	struct pgt_mm mm;
	pgt_status st;
	char comm[17] = "";
	memset(s, 0, sizeof *s);
	s->kind = PGT_PMS_DUMP;
	s->path = d->path;
	s->page_size = d->page_size;
	if ((st = pgt_tasks(d, &t, &nt, err)))
		return st;
	unsigned i;
	for (i = 0; i < nt && t[i].pid != pid; i++)
		;
	if (i < nt) {
		mmva = t[i].mm;
		snprintf(comm, sizeof comm, "%s", t[i].comm);
	}
	free(t);
	if (i == nt)
		return pgt_fail(err, PGT_EINPUT, "%s: no task with pid %d", d->path, pid);
	if (!mmva)
		return pgt_fail(err, PGT_EINPUT, "%s: pid %d (%s) is a kernel thread: it has no mm", d->path, pid, comm);
	if ((st = pgt_mm_load(d, mmva, &mm, err)))
		return st;

	/* The ranges or the VMAs, page-aligned, sorted, cut at the task size
	 * where the kernel's pagemap file ends. */
	const uint64_t ps = d->page_size;
	uint64_t limit = d->pg.user_end ? d->pg.user_end : ~0ull, ts = 0, unknown = 0, misses = 0;
	struct pgt_err e2 = {0};
	if (pgt_has_field(&d->prof, F_mm_task_size) && pgt_read_field(d, mm.addr, F_mm_task_size, &ts, &e2) == PGT_OK &&
	    ts)
		limit = ts;
	unsigned nbase = nranges ? nranges : mm.nvmas, nw = 0;
	uint64_t (*want)[2] = malloc((nbase ? nbase : 1) * sizeof *want);
	struct spans sp = {0};
	uint64_t (*pc)[2] = NULL;
	char problem[320] = "";
	if (!want) {
		pgt_mm_free(&mm);
		return pgt_fail(err, PGT_ENOMEM, "out of memory");
	}
	for (unsigned k = 0; k < nbase; k++) {
		uint64_t lo = (nranges ? ranges[k][0] : mm.vmas[k].start) & ~(ps - 1);
		uint64_t hi = ((nranges ? ranges[k][1] : mm.vmas[k].end) + ps - 1) & ~(ps - 1);
		if (hi > limit)
			hi = limit;
		if (lo < hi) {
			want[nw][0] = lo;
			want[nw][1] = hi;
			nw++;
		}
	}
	qsort(want, nw, sizeof *want, cmp_pair);

	/* One walk finds where entries are; elsewhere pages hold the hole
	 * value, so a reserved terabyte costs one fill, not a page loop. */
	if (nw) {
		struct pgt_visitor v = {0};
		sp.want = (const uint64_t (*)[2])want;
		sp.nwant = nw;
		v.table = rec_table;
		v.leaf = rec_leaf;
		v.anomaly = rec_anomaly;
		v.arg = &sp;
		st = pgt_walk(d, &mm.root, want[0][0], want[nw - 1][1], &v, 1, NULL, err);
		if (!st && sp.oom)
			st = pgt_fail(err, PGT_ENOMEM, "out of memory");
		if (!st)
			qsort(sp.iv, sp.n, sizeof *sp.iv, cmp_pair);
	}
	/* Pieces: each wanted range cut by the entry intervals (page-aligned). */
	size_t npc = 0, cpc = 0;
	for (unsigned k = 0; !st && k < nw; k++) {
		uint64_t lo = want[k][0], hi = want[k][1];
		for (size_t j = 0; !st && j < sp.n && lo < hi; j++) {
			uint64_t a = sp.iv[j][0] & ~(ps - 1), b = (sp.iv[j][1] + ps - 1) & ~(ps - 1);
			if (sp.iv[j][1] > ~0ull - ps)
				b = ~0ull & ~(ps - 1);
			if (b <= lo || a >= hi)
				continue;
			if (a < lo)
				a = lo;
			if (b > hi)
				b = hi;
			if (a > lo)
				st = add_holes(s, &mm, lo, a, err);
			for (uint64_t x = a; !st && x < b; x += (uint64_t)CHUNK * ps) {
				if (npc == cpc) {
					cpc = cpc ? cpc * 2 : 64;
					void *r = realloc(pc, cpc * sizeof *pc);
					if (!r) {
						st = pgt_fail(err, PGT_ENOMEM, "out of memory");
						break;
					}
					pc = r;
				}
				pc[npc][0] = x;
				pc[npc][1] = b - x > (uint64_t)CHUNK * ps ? x + (uint64_t)CHUNK * ps : b;
				npc++;
			}
			lo = b;
		}
		if (!st && lo < hi)
			st = add_holes(s, &mm, lo, hi, err);
	}
	if (!st)
		st = dump_pieces(s, d, &mm, pc, (unsigned)npc, &unknown, &misses, problem, sizeof problem, err);
	if (!st) {
		if (mm.vma_note[0])
			snprintf(s->note, sizeof s->note, "pid %d: %s", pid, mm.vma_note);
		else if (unknown)
			snprintf(s->note, sizeof s->note, "pid %d: %" PRIu64 " pages unknown (%s); read as not present",
				 pid, unknown, problem);
		else if (misses)
			snprintf(s->note, sizeof s->note,
				 "pid %d: struct page unreadable for %" PRIu64 " lookups (%s): exclusive/file bits guessed from the VMA",
				 pid, misses, problem);
	}
	pgt_mm_free(&mm);
	free(want);
	free(sp.iv);
	free(pc);
	if (!st)
		st = pgt_pms_finish(s, NULL, 0, err);
	return st;
}

/* ---- comparison ---- */

/* Records len bytes from va differing in fields f: extends the last group
 * when it ends at va with the same fields. */
static pgt_status add_group(struct pgt_pmdiff *df, uint64_t va, uint64_t len, unsigned f, uint64_t a, uint64_t b,
			    struct pgt_err *err)
{
	if (df->ng) {
		struct pgt_pmdiff_group *g = &df->g[df->ng - 1];
		if (g->end == va && g->fields == f) {
			g->end += len;
			return PGT_OK;
		}
	}
	if (df->ng == df->cap) {
		size_t cap = df->cap ? df->cap * 2 : 64;
		void *n = realloc(df->g, cap * sizeof *df->g);
		if (!n)
			return pgt_fail(err, PGT_ENOMEM, "out of memory");
		df->g = n;
		df->cap = cap;
	}
	df->g[df->ng++] = (struct pgt_pmdiff_group){va, va + len, f, a, b};
	return PGT_OK;
}

pgt_status pgt_pmdiff_run(const struct pgt_pms *a, const struct pgt_pms *b, unsigned ignore,
			  struct pgt_pmdiff *df, struct pgt_err *err)
{
	const uint64_t ps = a->page_size;
	memset(df, 0, sizeof *df);
	if (a->page_size != b->page_size)
		return pgt_fail(err, PGT_EUSAGE, "%s and %s have different page sizes (%u, %u)", a->path, b->path,
				a->page_size, b->page_size);
	unsigned i = 0, j = 0;
	while (i < a->n && j < b->n) {
		const struct pgt_pms_range *ra = &a->r[i], *rb = &b->r[j];
		uint64_t lo = ra->start > rb->start ? ra->start : rb->start;
		uint64_t hi = ra->end < rb->end ? ra->end : rb->end;
		/* two fills compare once for the whole overlap */
		uint64_t step = !ra->e && !rb->e ? (hi > lo ? hi - lo : ps) : ps;
		for (uint64_t va = lo; va < hi; va += step) {
			uint64_t ea = pgt_pms_entry(ra, (va - ra->start) / ps), eb = pgt_pms_entry(rb, (va - rb->start) / ps);
			uint64_t n = step / ps;
			unsigned f = pgt_pm_fields(ea, eb) & ~ignore;
			df->compared += n;
			if (!f)
				continue;
			df->differ += n;
			for (unsigned k = 0; k < PGT_PMF_COUNT; k++)
				if (f & (1u << k))
					df->per_field[k] += n;
			pgt_status st = add_group(df, va, step, f, ea, eb, err);
			if (st) {
				pgt_pmdiff_free(df);
				return st;
			}
		}
		if (ra->end <= rb->end)
			i++;
		else
			j++;
	}
	df->only_a = a->pages - df->compared;
	df->only_b = b->pages - df->compared;
	return PGT_OK;
}

void pgt_pmdiff_free(struct pgt_pmdiff *df)
{
	free(df->g);
	df->g = NULL;
	df->ng = df->cap = 0;
}
