/* Small helpers shared by the commands. */
#include <stdio.h>
#include <stdlib.h>
#include "pgt/cli.h"
#include "pgt/kmodel.h"
#include "pgt/u64set.h"

int pgt_first_of_mm(const struct pgt_task *t, int pid, struct pgt_u64set *seen)
{
	if (!t->mm || (pid >= 0 && t->tgid != pid && t->pid != pid))
		return 0;
	return pgt_u64set_add(seen, t->mm) == 1;
}

int pgt_fail_exit(const struct pgt_err *err)
{
	fprintf(stderr, "pgtinspect: %s\n", err->msg[0] ? err->msg : "failed");
	return err->status == PGT_EUSAGE ? PGT_EXIT_USAGE : PGT_EXIT_INPUT;
}

/* Like ps: from 6.1's __state and exit_state bits. */
char pgt_task_state_char(const struct pgt_task *t)
{
	if (t->exit_state & 0x20)
		return 'Z';
	if (t->exit_state & 0x10)
		return 'X';
	uint64_t s = t->state;
	if (s == 0)
		return 'R';
	if ((s & 0x402) == 0x402)
		return 'I';   /* TASK_IDLE */
	if (s & 0x1)
		return 'S';
	if (s & 0x2)
		return 'D';
	if (s & 0x4)
		return 'T';
	if (s & 0x8)
		return 't';
	if (s & 0x40)
		return 'P';
	return '?';
}

int pgt_find_task(struct pgt_dump *d, int pid, struct pgt_task *out, struct pgt_err *err)
{
	struct pgt_task *t;
	unsigned n;
	if (pgt_tasks(d, &t, &n, err) != PGT_OK)
		return -1;
	for (unsigned i = 0; i < n; i++)
		if (t[i].pid == pid) {
			*out = t[i];
			free(t);
			return 0;
		}
	free(t);
	pgt_fail(err, PGT_EINPUT, "%s: no task with pid %d", d->path, pid);
	return -1;
}

void pgt_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}
