/* `check`: every forensic check over every mm, as a visitor beside the
 * pagemap visitor in one walk of each mm; then the whole-dump orphan scan. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/check.h"
#include "pgt/cli.h"
#include "pgt/pagemap.h"

struct out {
	struct pgt_cli *c;
	uint64_t n[3];   /* error, warning, info */
	int first;
};

static void print_finding(void *arg, const struct pgt_finding *f)
{
	struct out *o = arg;
	FILE *fp = o->c->out;
	o->n[!strcmp(f->severity, "error") ? 0 : !strcmp(f->severity, "warning") ? 1 : 2]++;
	if (o->c->json) {
		fprintf(fp, "%s{\"severity\":\"%s\",\"check\":\"%s\",\"pid\":%d,\"comm\":", o->first ? "" : ",",
			f->severity, f->check, f->pid);
		pgt_json_str(fp, f->comm ? f->comm : "");
		fprintf(fp, ",\"mm\":\"0x%" PRIx64 "\",\"level\":\"%s\",\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64
			    "\",\"table\":\"0x%" PRIx64 "\",\"entries\":[",
			f->mm, f->level, f->va, f->end, f->table_pa);
		for (unsigned i = 0; i < f->nraw; i++)
			fprintf(fp, "%s\"0x%016" PRIx64 "\"", i ? "," : "", f->raw[i]);
		fprintf(fp, "],\"message\":");
		pgt_json_str(fp, f->msg);
		fputc('}', fp);
		o->first = 0;
		return;
	}
	fprintf(fp, "%-7s %-22s ", f->severity, f->check);
	if (f->pid >= 0)
		fprintf(fp, "pid %d (%s) mm 0x%" PRIx64 " ", f->pid, f->comm, f->mm);
	if (f->level[0])
		fprintf(fp, "%s 0x%" PRIx64 "-0x%" PRIx64 " ", f->level, f->va, f->end);
	fprintf(fp, "table 0x%" PRIx64, f->table_pa);
	for (unsigned i = 0; i < f->nraw; i++)
		fprintf(fp, " %s 0x%016" PRIx64, i ? "kernel" : "entry", f->raw[i]);
	fprintf(fp, ": %s\n", f->msg);
}

/* One walk of one mm with pagemap and the checker; returns non-zero on errors. */
static int check_mm(struct pgt_cli *c, struct pgt_dump *d, uint64_t mmaddr, int pid, const char *comm,
		    int kernel_mm, const uint8_t *ktop, const uint8_t *uktop, struct pgt_u64set *reached, struct out *o, int *partial)
{
	struct pgt_err err = {0};
	struct pgt_mm mm;
	struct pgt_pagemap pm;
	struct pgt_checker ck;
	int rc = 0;

	if (pgt_mm_load(d, mmaddr, &mm, &err)) {
		fprintf(stderr, "pgtinspect: %s %d: %s\n", pid >= 0 ? "pid" : comm, pid, err.msg);
		return 1;
	}
	memset(&ck, 0, sizeof ck);
	ck.d = d;
	ck.mm = &mm;
	ck.pid = pid;
	ck.comm = comm;
	ck.kernel_mm = kernel_mm;
	ck.verbose = c->verbose;
	ck.report = print_finding;
	ck.report_arg = o;
	ck.reached = reached;
	ck.ktop = mm.root.level == d->pg.kroot.level && !kernel_mm ? ktop : NULL;
	if (pgt_pagemap_init(&pm, d, &mm, NULL, 0, &err) == PGT_OK) {
		struct pgt_visitor vis[2] = {pgt_pagemap_visitor(&pm), pgt_check_visitor(&ck)};
		/* one pass over the tables: the user half feeds pagemap and the
		 * leak check, the kernel half (canonical addresses) the
		 * comparison with the kernel's own table */
		if (pgt_walk(d, &mm.root, 0, d->pg.user_end, vis, 2, NULL, &err) ||
		    (d->pg.kernel_start && (ck.ktop || kernel_mm) && pgt_walk(d, &mm.root, d->pg.kernel_start, 0, vis, 2, NULL, &err))) {
			fprintf(stderr, "pgtinspect: pid %d: %s\n", pid, err.msg);
			rc = 1;
		} else {
			struct pgt_root u;
			struct pgt_visitor cv = pgt_check_visitor(&ck);
			if (d->pg.ops->user_copy && d->pg.kernel_start && d->pg.ops->user_copy(&d->pg, &mm.root, &u)) {
				ck.ktop = kernel_mm ? NULL : uktop;
				pgt_walk(d, &u, d->pg.kernel_start, 0, &cv, 1, NULL, &err);
			}
			if (!kernel_mm)
				pgt_check_mm_done(&ck);
		}
		if (pm.unknown_pages)
			*partial = 1;
	}
	pgt_pagemap_fini(&pm);
	pgt_mm_free(&mm);
	return rc;
}

int pgt_cmd_check(struct pgt_cli *c, struct pgt_dump *d)
{
	struct pgt_task *t;
	unsigned n;
	struct pgt_err err = {0};
	struct pgt_u64set reached = {0};
	struct out o = {c, {0, 0, 0}, 1};
	uint64_t norphans = 0;
	struct pgt_u64set mms = {0};
	uint8_t *ktop = NULL, *uktop = NULL;
	int rc = PGT_EXIT_OK, partial = 0;

	if (pgt_tasks(d, &t, &n, &err))
		return pgt_fail_exit(&err);
	/* the kernel's top table, for the kernel-half comparison */
	if (d->pg.kernel_start && d->pg.kroot.pa) {
		const struct pgt_level *top = &d->pg.levels[d->pg.kroot.level];
		ktop = malloc((size_t)top->entries * top->entry_size);
		if (ktop && pgt_read_pa(d, d->pg.kroot.pa, ktop, (size_t)top->entries * top->entry_size, &err)) {
			fprintf(stderr, "pgtinspect: kernel-half check skipped: %s\n", err.msg);
			free(ktop);
			ktop = NULL;
		}
	} else if (!d->pg.kernel_start)
		fprintf(stderr, "pgtinspect: %s: %s: user page tables hold no kernel half here; "
				"the kernel-entry check does not apply\n", d->path, d->pg.ops->name);
	struct pgt_root ku;
	if (ktop && d->pg.ops->user_copy && d->pg.ops->user_copy(&d->pg, &d->pg.kroot, &ku)) {
		const struct pgt_level *top = &d->pg.levels[d->pg.kroot.level];
		uktop = malloc((size_t)top->entries * top->entry_size);
		if (uktop && pgt_read_pa(d, ku.pa, uktop, (size_t)top->entries * top->entry_size, &err)) {
			free(uktop);
			uktop = NULL;
		}
	}
	if (c->json)
		fprintf(c->out, "{\"dump\":"), pgt_json_str(c->out, d->path), fprintf(c->out, ",\"findings\":[");
	for (unsigned i = 0; i < n; i++) {
		if (!pgt_first_of_mm(&t[i], c->pid, &mms))
			continue;
		if (check_mm(c, d, t[i].mm, t[i].pid, t[i].comm, 0, ktop, uktop, &reached, &o, &partial))
			rc = PGT_EXIT_INPUT;
	}
	/* mms the kernel keeps for itself: their tables are reached too */
	if (c->pid < 0) {
		uint64_t pm = 0;
		struct pgt_err e2 = {0};
		if (pgt_sym(d, Y_poking_mm) && pgt_read_ptr(d, pgt_sym(d, Y_poking_mm), &pm, &e2) == PGT_OK && pm)
			check_mm(c, d, pm, -1, "poking_mm", 1, ktop, uktop, &reached, &o, &partial);
		if (pgt_sym(d, Y_efi_mm) && pgt_read_field(d, pgt_sym(d, Y_efi_mm), F_mm_pgd, &pm, &e2) == PGT_OK && pm)
			check_mm(c, d, pgt_sym(d, Y_efi_mm), -1, "efi_mm", 1, ktop, uktop, &reached, &o, &partial);
	}
	if (c->pid < 0) {
		if (pgt_reach_kernel_tables(d, &reached, &err) ||
		    pgt_check_orphans(d, &reached, print_finding, &o, &norphans, &err))
			fprintf(stderr, "pgtinspect: orphan-table check skipped: %s\n", err.msg);
	}
	if (c->json)
		fprintf(c->out, "],\"summary\":{\"errors\":%" PRIu64 ",\"warnings\":%" PRIu64 ",\"info\":%" PRIu64 "}}\n",
			o.n[0], o.n[1], o.n[2]);
	else
		fprintf(c->out, "# %" PRIu64 " errors, %" PRIu64 " warnings, %" PRIu64 " informational%s\n", o.n[0],
			o.n[1], o.n[2], partial ? " (some tables were not in the dump)" : "");
	pgt_u64set_free(&reached);
	free(ktop);
	free(uktop);
	pgt_u64set_free(&mms);
	free(t);
	if (rc)
		return rc;
	return o.n[0] || o.n[1] ? PGT_EXIT_FOUND : PGT_EXIT_OK;
}
