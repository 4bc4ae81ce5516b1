/* `vtop`: every level of one translation, decoded. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/cli.h"
#include "pgt/kmodel.h"
#include "pgt/walk.h"

int pgt_load_task_mm(struct pgt_cli *c, struct pgt_dump *d, struct pgt_task *t, struct pgt_mm *mm);

static const char *kind_name(enum pgt_ekind k)
{
	static const char *n[] = {"none", "table", "leaf", "swap", "bad"};
	return k <= PGT_E_BAD ? n[k] : "?";
}

int pgt_cmd_vtop(struct pgt_cli *c, struct pgt_dump *d)
{
	struct pgt_task t;
	struct pgt_mm mm;
	struct pgt_root root;
	struct pgt_trace tr;
	struct pgt_err err = {0};
	char *end;
	uint64_t va = strtoull(c->arg2, &end, 16), pa = 0;
	int rc;

	if (*end || end == c->arg2) {
		fprintf(stderr, "pgtinspect: bad address '%s' (hex expected)\n", c->arg2);
		return PGT_EXIT_USAGE;
	}
	memset(&mm, 0, sizeof mm);
	if (c->pid == 0) {
		root = d->pg.kroot;
		fprintf(c->out, "kernel (init_mm) root 0x%" PRIx64 " %s\n", root.pa, root.desc);
	} else {
		if ((rc = pgt_load_task_mm(c, d, &t, &mm)))
			return rc;
		root = mm.root;
		fprintf(c->out, "pid %d (%s) mm 0x%" PRIx64 " pgd 0x%" PRIx64 " phys 0x%" PRIx64 " %s\n", t.pid, t.comm,
			mm.addr, mm.pgd_va, mm.pgd_pa, root.desc);
	}
	pgt_status st = pgt_translate(d, &root, va, &pa, &tr, &err);
	for (unsigned i = 0; i < tr.n; i++) {
		const struct pgt_slot *s = &tr.slot[i];
		const struct pgt_entry *e = &tr.entry[i];
		char desc[256] = "";
		if (d->pg.ops->describe)
			d->pg.ops->describe(&d->pg, s->level, e, desc, sizeof desc);
		fprintf(c->out, "  %-4s table 0x%010" PRIx64 " [%3u] entry 0x%016" PRIx64 " %-5s", d->pg.levels[s->level].name,
			s->table_pa, s->index, e->raw, kind_name(e->kind));
		if (e->kind == PGT_E_TABLE)
			fprintf(c->out, " -> 0x%" PRIx64, e->pa);
		else if (e->kind == PGT_E_LEAF)
			fprintf(c->out, " maps 0x%" PRIx64 " (%" PRIu64 " KiB)", e->pa, s->size >> 10);
		else if (e->kind == PGT_E_BAD)
			fprintf(c->out, " (%s)", e->bad ? e->bad : "malformed");
		fprintf(c->out, "  %s\n", desc);
	}
	if (st == PGT_OK)
		fprintf(c->out, "0x%" PRIx64 " -> physical 0x%" PRIx64 "\n", va, pa);
	else
		fprintf(c->out, "0x%" PRIx64 ": %s\n", va, err.msg);
	if (c->pid)
		pgt_mm_free(&mm);
	return st == PGT_OK || st == PGT_ENOMAP ? PGT_EXIT_OK : PGT_EXIT_INPUT;
}
