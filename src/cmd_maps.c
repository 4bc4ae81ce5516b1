/* `maps`: one process's VMAs exactly as /proc/PID/maps prints them. */
#include <inttypes.h>
#include "pgt/cli.h"
#include "pgt/kmodel.h"

int pgt_load_task_mm(struct pgt_cli *c, struct pgt_dump *d, struct pgt_task *t, struct pgt_mm *mm);

int pgt_load_task_mm(struct pgt_cli *c, struct pgt_dump *d, struct pgt_task *t, struct pgt_mm *mm)
{
	struct pgt_err err = {0};
	if (pgt_find_task(d, c->pid, t, &err))
		return pgt_fail_exit(&err);
	if (!t->mm) {
		fprintf(stderr, "pgtinspect: %s: pid %d (%s) is a kernel thread: it has no mm\n", d->path,
			t->pid, t->comm);
		return PGT_EXIT_INPUT;
	}
	if (pgt_mm_load(d, t->mm, mm, &err))
		return pgt_fail_exit(&err);
	if (mm->vma_note[0])
		fprintf(stderr, "pgtinspect: %s: pid %d: %s\n", d->path, t->pid, mm->vma_note);
	return PGT_EXIT_OK;
}

int pgt_cmd_maps(struct pgt_cli *c, struct pgt_dump *d)
{
	struct pgt_task t;
	struct pgt_mm mm;
	char line[PGT_NAME_MAX + 128];
	int rc = pgt_load_task_mm(c, d, &t, &mm);
	if (rc)
		return rc;
	struct pgt_vma gate = {0};
	const struct pgt_paging *pg = &d->pg;
	unsigned n = mm.nvmas;
	if (c->json)
		fprintf(c->out, "{\"pid\":%d,\"mm\":\"0x%" PRIx64 "\",\"vmas\":[", t.pid, mm.addr);
	/* show_map() lists the gate VMA (get_gate_vma()) after the mm's own. */
	if (pg->gate_end > pg->gate_start) {
		gate.start = pg->gate_start;
		gate.end = pg->gate_end;
		gate.flags = pg->gate_flags;
		snprintf(gate.name, sizeof gate.name, "%s", pg->gate_name ? pg->gate_name : "");
		n++;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct pgt_vma *v = i < mm.nvmas ? &mm.vmas[i] : &gate;
		if (c->json) {
			char perms[5] = {v->flags & PGT_VM_READ ? 'r' : '-', v->flags & PGT_VM_WRITE ? 'w' : '-',
					 v->flags & PGT_VM_EXEC ? 'x' : '-', v->flags & PGT_VM_MAYSHARE ? 's' : 'p', 0};
			fprintf(c->out, "%s{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\",\"flags\":\"0x%" PRIx64
					"\",\"perms\":\"%s\",\"pgoff\":\"0x%" PRIx64 "\",\"dev\":\"%02x:%02x\",\"inode\":%" PRIu64
					",\"name\":",
				i ? "," : "", v->start, v->end, v->flags, perms,
				v->file ? v->pgoff * d->page_size : 0, v->dev >> 20, v->dev & 0xfffff,
				v->file ? v->ino : 0);
			pgt_json_str(c->out, v->name);
			fputc('}', c->out);
		} else {
			pgt_format_maps_line(d, v, line, sizeof line);
			fputs(line, c->out);
		}
	}
	if (c->json)
		fprintf(c->out, "]}\n");
	pgt_mm_free(&mm);
	return PGT_EXIT_OK;
}
