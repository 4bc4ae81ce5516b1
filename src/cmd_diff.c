/* `diff A B`: two pagemap sources of one process, page by page. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pgt/cli.h"
#include "pgt/pmsource.h"

static const char *kind_name(enum pgt_pms_kind k)
{
	switch (k) {
	case PGT_PMS_DUMP: return "dump";
	case PGT_PMS_FILE: return "file";
	case PGT_PMS_DIR: return "folder";
	default: return "live";
	}
}

static int cmp_pair(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;
	return a[0] < b[0] ? -1 : a[0] > b[0];
}

/* --range values must be page-aligned and apart from one another. */
static int check_ranges(const struct pgt_cli *c, unsigned ps)
{
	uint64_t (*r)[2] = malloc((c->nranges ? c->nranges : 1) * sizeof *r);
	int bad = 0;
	if (!r)
		return -1;
	memcpy(r, c->ranges, c->nranges * sizeof *r);
	qsort(r, c->nranges, sizeof *r, cmp_pair);
	for (unsigned i = 0; i < c->nranges && !bad; i++) {
		if ((r[i][0] | r[i][1]) & (ps - 1)) {
			fprintf(stderr, "pgtinspect: diff: --range %" PRIx64 "-%" PRIx64 " is not page-aligned (%u bytes)\n",
				r[i][0], r[i][1], ps);
			bad = 1;
		} else if (i && r[i][0] < r[i - 1][1]) {
			fprintf(stderr, "pgtinspect: diff: --range %" PRIx64 "-%" PRIx64 " overlaps %" PRIx64 "-%" PRIx64 "\n",
				r[i][0], r[i][1], r[i - 1][0], r[i - 1][1]);
			bad = 1;
		}
	}
	free(r);
	return bad ? -1 : 0;
}

static void describe(FILE *f, const char *side, const struct pgt_pms *s, int pid, int json)
{
	if (json) {
		fprintf(f, "\"%s\":{\"path\":", side);
		pgt_json_str(f, s->path);
		fprintf(f, ",\"kind\":\"%s\"", kind_name(s->kind));
		if (s->kind == PGT_PMS_DUMP)
			fprintf(f, ",\"pid\":%d", pid);
		fprintf(f, ",\"ranges\":%u,\"pages\":%" PRIu64 "}", s->n, s->pages);
		return;
	}
	fprintf(f, "# %s: %s (%s", side, s->path, kind_name(s->kind));
	if (s->kind == PGT_PMS_DUMP)
		fprintf(f, ", pid %d", pid);
	fprintf(f, "): %u ranges, %" PRIu64 " pages\n", s->n, s->pages);
}

static void print_json(FILE *f, const struct pgt_pms *a, const struct pgt_pms *b, int pid, int big,
		       unsigned ignore, const struct pgt_pmdiff *df)
{
	char da[160], db[160];
	fputc('{', f);
	describe(f, "a", a, pid, 1);
	fputc(',', f);
	describe(f, "b", b, pid, 1);
	fprintf(f, ",\"page_size\":%u,\"raw_byte_order\":\"%s\",\"ignore\":[", a->page_size, big ? "big" : "little");
	for (unsigned k = 0, n = 0; k < PGT_PMF_COUNT; k++)
		if (ignore & (1u << k))
			fprintf(f, "%s\"%s\"", n++ ? "," : "", pgt_pmf_name[k]);
	fprintf(f, "],\"groups\":[");
	for (size_t i = 0; i < df->ng; i++) {
		const struct pgt_pmdiff_group *g = &df->g[i];
		pgt_pm_decode(g->a, da, sizeof da);
		pgt_pm_decode(g->b, db, sizeof db);
		fprintf(f, "%s{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\",\"pages\":%" PRIu64 ",\"fields\":[",
			i ? "," : "", g->start, g->end, (g->end - g->start) / a->page_size);
		for (unsigned k = 0, n = 0; k < PGT_PMF_COUNT; k++)
			if (g->fields & (1u << k))
				fprintf(f, "%s\"%s\"", n++ ? "," : "", pgt_pmf_name[k]);
		fprintf(f, "],\"a\":\"0x%016" PRIx64 "\",\"b\":\"0x%016" PRIx64 "\",\"a_decoded\":\"%s\",\"b_decoded\":\"%s\"}",
			g->a, g->b, da, db);
	}
	fprintf(f, "],\"totals\":{");
	for (unsigned k = 0; k < PGT_PMF_COUNT; k++)
		fprintf(f, "%s\"%s\":%" PRIu64, k ? "," : "", pgt_pmf_name[k], df->per_field[k]);
	fprintf(f, "},\"compared\":%" PRIu64 ",\"differ\":%" PRIu64 ",\"only_a\":%" PRIu64 ",\"only_b\":%" PRIu64 "}\n",
		df->compared, df->differ, df->only_a, df->only_b);
}

static void print_text(FILE *f, const struct pgt_pms *a, const struct pgt_pms *b, int pid, unsigned ignore,
		       const struct pgt_pmdiff *df)
{
	char da[160], db[160], fl[96];
	describe(f, "A", a, pid, 0);
	describe(f, "B", b, pid, 0);
	for (size_t i = 0; i < df->ng; i++) {
		const struct pgt_pmdiff_group *g = &df->g[i];
		pgt_pm_decode(g->a, da, sizeof da);
		pgt_pm_decode(g->b, db, sizeof db);
		pgt_pm_fields_str(g->fields, fl, sizeof fl);
		fprintf(f, "0x%012" PRIx64 " - 0x%012" PRIx64 "  %" PRIu64 " pages  fields: %s  A=%s B=%s\n", g->start,
			g->end, (g->end - g->start) / a->page_size, fl, da, db);
	}
	fprintf(f, "totals:");
	for (unsigned k = 0; k < PGT_PMF_COUNT; k++) {
		if (k == PGT_PMF_OTHER && !df->per_field[k] && !(ignore & (1u << k)))
			continue;   /* bits 58-60: only worth a word when they differ */
		if (ignore & (1u << k))
			fprintf(f, "%s %s ignored", k ? "," : "", pgt_pmf_name[k]);
		else
			fprintf(f, "%s %s %" PRIu64, k ? "," : "", pgt_pmf_name[k], df->per_field[k]);
	}
	fprintf(f, "\n%" PRIu64 " pages only in A, %" PRIu64 " pages only in B\n", df->only_a, df->only_b);
	fprintf(f, "%" PRIu64 " pages compared, %" PRIu64 " differ\n", df->compared, df->differ);
}

static int load_side(struct pgt_cli *c, const char *path, enum pgt_pms_kind kind, struct pgt_dump *d,
		     unsigned ps, int big, struct pgt_pms *s)
{
	struct pgt_err err = {0};
	pgt_status st;
	switch (kind) {
	case PGT_PMS_DUMP:
		st = pgt_pms_load_dump(s, d, c->pid, (const uint64_t (*)[2])c->ranges, c->nranges, &err);
		break;
	case PGT_PMS_DIR:
		st = pgt_pms_load_dir(s, path, ps, big, &err);
		if (!st && c->nranges)
			st = pgt_pms_finish(s, (const uint64_t (*)[2])c->ranges, c->nranges, &err);
		break;
	case PGT_PMS_LIVE:
		st = pgt_pms_load_live(s, path, ps, (const uint64_t (*)[2])c->ranges, c->nranges, &err);
		break;
	default:
		st = pgt_pms_load_file(s, path, ps, big, (const uint64_t (*)[2])c->ranges, c->nranges, &err);
		break;
	}
	if (st)
		return pgt_fail_exit(&err);
	if (s->note[0])
		fprintf(stderr, "pgtinspect: %s: %s\n", path, s->note);
	return PGT_EXIT_OK;
}

int pgt_cmd_diff(struct pgt_cli *c)
{
	const char *path[2] = {c->dump, c->arg2};
	enum pgt_pms_kind kind[2];
	struct pgt_dump *d[2] = {NULL, NULL};
	struct pgt_pms s[2];
	struct pgt_pmdiff df = {0};
	struct pgt_err err = {0};
	unsigned ignore = 0, ps = 0;
	int rc = PGT_EXIT_OK, big;
	char bad[64];

	memset(s, 0, sizeof s);
	if (!c->arg2) {
		fprintf(stderr, "pgtinspect: diff needs two pagemap sources A and B\n");
		return PGT_EXIT_USAGE;
	}
	if (c->ignore && pgt_pm_parse_fields(c->ignore, &ignore, bad, sizeof bad)) {
		fprintf(stderr, "pgtinspect: diff: --ignore: unknown field '%s' (present, pfn, swap, soft-dirty, "
				"exclusive, uffd-wp, file, other)\n", bad);
		return PGT_EXIT_USAGE;
	}
	for (int i = 0; i < 2; i++) {
		kind[i] = pgt_pms_guess(path[i]);
		if (kind[i] == PGT_PMS_DUMP && c->pid < 0) {
			fprintf(stderr, "pgtinspect: diff: %s is a dump: give --pid PID\n", path[i]);
			return PGT_EXIT_USAGE;
		}
	}
	for (int i = 0; i < 2; i++) {
		if (kind[i] != PGT_PMS_DUMP)
			continue;
		struct pgt_open_opts o = c->open;
		o.dump_path = path[i];
		if (pgt_dump_open(&d[i], &o, &err) != PGT_OK) {
			rc = pgt_fail_exit(&err);
			goto out;
		}
		if (c->verbose)
			fprintf(stderr, "pgtinspect: %s: %s; types from %s; KASLR offset 0x%llx (%s)\n", path[i],
				d[i]->pg.desc, d[i]->profile_how, (unsigned long long)d[i]->kaslr, d[i]->kaslr_how);
		if (ps && ps != d[i]->page_size) {
			fprintf(stderr, "pgtinspect: diff: %s and %s have different page sizes\n", path[0], path[1]);
			rc = PGT_EXIT_INPUT;
			goto out;
		}
		ps = d[i]->page_size;
	}
	/* A raw file has no header: its byte order is the dump's it is compared
	 * with, else the host's, unless forced. */
	const struct pgt_dump *od = d[0] ? d[0] : d[1];
	if (c->byte_order)
		big = c->byte_order == 2;
	else if (od)
		big = od->pg.big_endian;
	else
		big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	if (!ps)
		ps = (unsigned)sysconf(_SC_PAGESIZE);
	if (check_ranges(c, ps)) {
		rc = PGT_EXIT_USAGE;
		goto out;
	}
	for (int i = 0; i < 2 && !rc; i++)
		rc = load_side(c, path[i], kind[i], d[i], ps, big, &s[i]);
	if (rc)
		goto out;
	if (pgt_pmdiff_run(&s[0], &s[1], ignore, &df, &err)) {
		rc = pgt_fail_exit(&err);
		goto out;
	}
	if (!df.compared) {
		fprintf(stderr, "pgtinspect: diff: %s (%" PRIu64 " pages) and %s (%" PRIu64 " pages) have no page in common\n",
			path[0], s[0].pages, path[1], s[1].pages);
		rc = PGT_EXIT_INPUT;
		goto out;
	}
	if (c->json)
		print_json(c->out, &s[0], &s[1], c->pid, big, ignore, &df);
	else
		print_text(c->out, &s[0], &s[1], c->pid, ignore, &df);
	rc = df.differ ? PGT_EXIT_FOUND : PGT_EXIT_OK;
out:
	pgt_pmdiff_free(&df);
	for (int i = 0; i < 2; i++) {
		pgt_pms_free(&s[i]);
		pgt_dump_close(d[i]);
	}
	return rc;
}
