/* `pagemap` and `dump`: pagemap entries as raw bytes, readable runs or JSON. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/cli.h"
#include "pgt/endian.h"
#include "pgt/pagemap.h"
#include "pgt/u64set.h"

int pgt_load_task_mm(struct pgt_cli *c, struct pgt_dump *d, struct pgt_task *t, struct pgt_mm *mm);

static const char *kind_of(uint64_t e)
{
	return e & PM_PRESENT ? "present" : e & PM_SWAP ? "swap" : "none";
}

static void flag_words(uint64_t e, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", e & PM_MMAP_EXCLUSIVE ? " exclusive" : "",
		 e & PM_FILE ? " file" : "", e & PM_SOFT_DIRTY ? " soft-dirty" : "",
		 e & PM_UFFD_WP ? " uffd-wp" : "");
}

static void print_run(struct pgt_cli *c, const struct pgt_dump *d, uint64_t va, uint64_t n,
		      uint64_t first, int *nruns)
{
	const uint64_t ps = d->page_size;
	char fl[64];
	uint64_t frame = first & PM_PFN_MASK;
	unsigned tb = d->pg.swp_type_bits;
	flag_words(first, fl, sizeof fl);
	if (c->json) {
		fprintf(c->out, "%s{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\",\"pages\":%" PRIu64
				",\"kind\":\"%s\",\"entry\":\"0x%016" PRIx64 "\"",
			(*nruns)++ ? "," : "", va, va + n * ps, n, kind_of(first), first);
		if (first & PM_PRESENT)
			fprintf(c->out, ",\"pfn\":\"0x%" PRIx64 "\"", frame);
		else if (first & PM_SWAP)
			fprintf(c->out, ",\"swap_type\":%" PRIu64 ",\"swap_offset\":\"0x%" PRIx64 "\"",
				(uint64_t)(frame & ((1ull << tb) - 1)), frame >> tb);
		fprintf(c->out, ",\"exclusive\":%s,\"file\":%s,\"soft_dirty\":%s,\"uffd_wp\":%s}",
			first & PM_MMAP_EXCLUSIVE ? "true" : "false", first & PM_FILE ? "true" : "false",
			first & PM_SOFT_DIRTY ? "true" : "false", first & PM_UFFD_WP ? "true" : "false");
		return;
	}
	fprintf(c->out, "  %012" PRIx64 "-%012" PRIx64 " %6" PRIu64 " %-7s", va, va + n * ps, n, kind_of(first));
	if (first & PM_PRESENT) {
		if (n > 1)
			fprintf(c->out, " pfn 0x%" PRIx64 "-0x%" PRIx64, frame, frame + n - 1);
		else
			fprintf(c->out, " pfn 0x%" PRIx64, frame);
	} else if (first & PM_SWAP) {
		uint64_t type = frame & ((1ull << tb) - 1);
		const struct pgt_paging *pg = &d->pg;
		/* name the special swap types (include/linux/swap.h) */
		const char *what = type >= pg->migration_first && type < pg->migration_first + pg->migration_count
					   ? " (migration)"
				   : pg->pte_marker_type && type == pg->pte_marker_type ? " (pte marker)"
				   : type >= pg->pfn_swap_first && type < pg->migration_first ? " (hwpoison)"
				   : type >= pg->swp_first_special ? " (special)" : "";
		fprintf(c->out, " type %" PRIu64 "%s offset 0x%" PRIx64, type, what, frame >> tb);
	}
	fprintf(c->out, "%s\n", fl);
}

static void print_runs(struct pgt_cli *c, const struct pgt_pagemap *pm, const struct pgt_pm_seg *g,
		       int *nruns)
{
	uint64_t va = g->start, first = 0;
	while (va < g->end) {
		uint64_t n = pgt_pm_run(pm, g, va, &first);
		print_run(c, pm->d, va, n, first, nruns);
		va += n * pm->d->page_size;
	}
}

static void warn_problems(const struct pgt_dump *d, int pid, const struct pgt_pagemap *pm)
{
	if (pm->unknown_pages)
		fprintf(stderr, "pgtinspect: %s: pid %d: %" PRIu64 " pages unknown (%s); reported as not present\n",
			d->path, pid, pm->unknown_pages, pm->first_problem);
	if (pm->memmap_misses)
		fprintf(stderr,
			"pgtinspect: %s: pid %d: struct page unreadable for %" PRIu64
			" lookups (%s): exclusive/file bits guessed from the VMA\n",
			d->path, pid, pm->memmap_misses, pm->first_problem);
}

static int write_raw(struct pgt_cli *c, const struct pgt_pagemap *pm, const struct pgt_pm_seg *g)
{
	const uint64_t ps = pm->d->page_size;
	uint64_t buf[4096];
	uint8_t b[8 * 4096];
	/* in chunks: a raw read of a huge range is long, never big in memory */
	for (uint64_t va = g->start; va < g->end;) {
		uint64_t n = (g->end - va) / ps;
		if (n > 4096)
			n = 4096;
		pgt_pm_read(pm, g, va, n, buf);
		for (uint64_t i = 0; i < n; i++)
			pgt_st64(b + 8 * i, buf[i], pm->d->pg.big_endian);
		if (fwrite(b, 8, n, c->out) != n)
			return -1;
		va += n * ps;
	}
	return 0;
}

int pgt_cmd_pagemap(struct pgt_cli *c, struct pgt_dump *d)
{
	struct pgt_task t;
	struct pgt_mm mm;
	struct pgt_err err = {0};
	int rc = pgt_load_task_mm(c, d, &t, &mm), nruns = 0;
	if (rc)
		return rc;
	if (c->json)
		fprintf(c->out, "{\"pid\":%d,\"page_size\":%u,\"runs\":[", t.pid, d->page_size);
	/* Each --range is read on its own, in the order given, as pread() would. */
	unsigned nreq = c->nranges ? c->nranges : 1;
	for (unsigned r = 0; r < nreq && !rc; r++) {
		struct pgt_pagemap pm;
		if (pgt_pagemap_init(&pm, d, &mm, c->nranges ? &c->ranges[r] : NULL, c->nranges ? 1 : 0, &err) ||
		    pgt_pagemap_fill(&pm, NULL, &err)) {
			rc = pgt_fail_exit(&err);
			pgt_pagemap_fini(&pm);
			break;
		}
		warn_problems(d, t.pid, &pm);
		for (unsigned i = 0; i < pm.nseg; i++) {
			if (c->raw) {
				if (write_raw(c, &pm, &pm.seg[i])) {
					fprintf(stderr, "pgtinspect: write failed\n");
					rc = PGT_EXIT_INPUT;
				}
			} else
				print_runs(c, &pm, &pm.seg[i], &nruns);
		}
		pgt_pagemap_fini(&pm);
	}
	if (c->json)
		fprintf(c->out, "]}\n");
	pgt_mm_free(&mm);
	return rc;
}

int pgt_cmd_dump(struct pgt_cli *c, struct pgt_dump *d)
{
	struct pgt_task *t;
	unsigned n;
	struct pgt_err err = {0};
	struct pgt_u64set mms = {0};
	int rc = PGT_EXIT_OK, first = 1;

	if (pgt_tasks(d, &t, &n, &err))
		return pgt_fail_exit(&err);
	if (c->json)
		fprintf(c->out, "{\"dump\":"), pgt_json_str(c->out, d->path),
			fprintf(c->out, ",\"paging\":"), pgt_json_str(c->out, d->pg.desc), fprintf(c->out, ",\"processes\":[");
	else
		fprintf(c->out, "# %s: %s\n", d->path, d->pg.desc);
	for (unsigned i = 0; i < n; i++) {
		struct pgt_mm mm;
		if (!pgt_first_of_mm(&t[i], c->pid, &mms))
			continue;   /* threads share their leader's mm */
		if (pgt_mm_load(d, t[i].mm, &mm, &err)) {
			fprintf(stderr, "pgtinspect: pid %d: %s\n", t[i].pid, err.msg);
			rc = PGT_EXIT_INPUT;
			continue;
		}
		struct pgt_pagemap pm;
		if (pgt_pagemap_init(&pm, d, &mm, NULL, 0, &err) || pgt_pagemap_fill(&pm, NULL, &err)) {
			fprintf(stderr, "pgtinspect: pid %d: %s\n", t[i].pid, err.msg);
			pgt_pagemap_fini(&pm);
			pgt_mm_free(&mm);
			rc = PGT_EXIT_INPUT;
			continue;
		}
		warn_problems(d, t[i].pid, &pm);
		if (c->json) {
			fprintf(c->out, "%s{\"pid\":%d,\"comm\":", first ? "" : ",", t[i].pid);
			pgt_json_str(c->out, t[i].comm);
			fprintf(c->out, ",\"mm\":\"0x%" PRIx64 "\",\"pgd_pa\":\"0x%" PRIx64 "\",\"root\":", mm.addr, mm.pgd_pa);
			pgt_json_str(c->out, mm.root.desc);
			fprintf(c->out, ",\"vmas\":[");
		} else
			fprintf(c->out, "\n== pid %d (%s) mm 0x%" PRIx64 " pgd 0x%" PRIx64 " (phys 0x%" PRIx64 ") %s, %u VMAs\n",
				t[i].pid, t[i].comm, mm.addr, mm.pgd_va, mm.pgd_pa, mm.root.desc, mm.nvmas);
		first = 0;
		for (unsigned v = 0; v < pm.nseg; v++) {
			const struct pgt_vma *vm = pgt_mm_find_vma(&mm, pm.seg[v].start);
			char line[PGT_NAME_MAX + 128];
			int nruns = 0;
			if (c->json) {
				fprintf(c->out, "%s{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\",\"name\":",
					v ? "," : "", pm.seg[v].start, pm.seg[v].end);
				pgt_json_str(c->out, vm ? vm->name : "");
				fprintf(c->out, ",\"runs\":[");
				print_runs(c, &pm, &pm.seg[v], &nruns);
				fprintf(c->out, "]}");
			} else {
				if (vm) {
					pgt_format_maps_line(d, vm, line, sizeof line);
					fputs(line, c->out);
				}
				print_runs(c, &pm, &pm.seg[v], &nruns);
			}
		}
		if (c->json)
			fprintf(c->out, "]}");
		pgt_pagemap_fini(&pm);
		pgt_mm_free(&mm);
	}
	if (c->json)
		fprintf(c->out, "]}\n");
	pgt_u64set_free(&mms);
	free(t);
	return rc;
}
