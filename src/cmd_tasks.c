/* `tasks`: every task with its mm, pgd and VMA count. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/cli.h"
#include "pgt/kmodel.h"

struct mminfo {
	uint64_t mm;
	struct pgt_mm m;
	int ok;
	char err[PGT_ERRMSG_MAX];
};

int pgt_cmd_tasks(struct pgt_cli *c, struct pgt_dump *d)
{
	struct pgt_task *t;
	unsigned n, nmm = 0;
	struct pgt_err err = {0};
	FILE *f = c->out;

	if (pgt_tasks(d, &t, &n, &err))
		return pgt_fail_exit(&err);
	struct mminfo *mi = calloc(n ? n : 1, sizeof *mi);
	if (!mi) {
		free(t);
		return PGT_EXIT_INPUT;
	}
	if (c->json)
		fprintf(f, "{\"dump\":"), pgt_json_str(f, d->path),
			fprintf(f, ",\"paging\":"), pgt_json_str(f, d->pg.desc),
			fprintf(f, ",\"kaslr_offset\":\"0x%" PRIx64 "\",\"tasks\":[", d->kaslr);
	else
		fprintf(f, "%7s %7s %s %-16s %-18s %-18s %-12s %5s  %s\n", "PID", "TGID", "ST", "COMM", "MM",
			"PGD", "PGD_PA", "VMAS", "PAGING");
	for (unsigned i = 0; i < n; i++) {
		if (c->pid >= 0 && t[i].pid != c->pid && t[i].tgid != c->pid)
			continue;
		struct mminfo *m = NULL;
		if (t[i].mm) {
			for (unsigned j = 0; j < nmm; j++)
				if (mi[j].mm == t[i].mm)
					m = &mi[j];
			if (!m) {
				m = &mi[nmm++];
				m->mm = t[i].mm;
				struct pgt_err e = {0};
				m->ok = pgt_mm_load(d, t[i].mm, &m->m, &e) == PGT_OK;
				if (!m->ok)
					snprintf(m->err, sizeof m->err, "%s", e.msg);
			}
		}
		if (c->json) {
			fprintf(f, "%s{\"pid\":%d,\"tgid\":%d,\"comm\":", i ? "," : "", t[i].pid, t[i].tgid);
			pgt_json_str(f, t[i].comm);
			fprintf(f, ",\"state\":\"%c\",\"task\":\"0x%" PRIx64 "\"", pgt_task_state_char(&t[i]), t[i].addr);
			if (!m)
				fprintf(f, ",\"mm\":null,\"kernel_thread\":true}");
			else if (!m->ok) {
				fprintf(f, ",\"mm\":\"0x%" PRIx64 "\",\"kernel_thread\":false,\"error\":", m->mm);
				pgt_json_str(f, m->err);
				fputc('}', f);
			} else {
				fprintf(f, ",\"mm\":\"0x%" PRIx64 "\",\"kernel_thread\":false,\"pgd\":\"0x%" PRIx64
					   "\",\"pgd_pa\":\"0x%" PRIx64 "\",\"vmas\":%u,\"root\":",
					m->mm, m->m.pgd_va, m->m.pgd_pa, m->m.nvmas);
				pgt_json_str(f, m->m.root.desc);
				fputc('}', f);
			}
			continue;
		}
		fprintf(f, "%7d %7d  %c %-16s ", t[i].pid, t[i].tgid, pgt_task_state_char(&t[i]), t[i].comm);
		if (!m)
			fprintf(f, "%-18s %-18s %-12s %5s  %s\n", "-", "-", "-", "-", "kernel thread");
		else if (!m->ok)
			fprintf(f, "0x%016" PRIx64 " error: %s\n", m->mm, m->err);
		else
			fprintf(f, "0x%016" PRIx64 " 0x%016" PRIx64 " 0x%010" PRIx64 " %5u  %s\n", m->mm,
				m->m.pgd_va, m->m.pgd_pa, m->m.nvmas, m->m.root.desc);
	}
	if (c->json)
		fprintf(f, "]}\n");
	for (unsigned j = 0; j < nmm; j++)
		pgt_mm_free(&mi[j].m);
	free(mi);
	free(t);
	return PGT_EXIT_OK;
}
