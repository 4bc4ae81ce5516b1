/* `profile VMLINUX -o FILE`: resolve the kernel's types once, save them. */
#include <stdio.h>
#include "pgt/cli.h"

int pgt_cmd_profile(struct pgt_cli *c)
{
	struct pgt_profile p;
	struct pgt_err err = {0};
	pgt_profile_init(&p);
	if (pgt_profile_from_vmlinux(&p, c->dump, &err))
		return pgt_fail_exit(&err);
	if (c->output) {
		if (pgt_profile_save(&p, c->output, &err))
			return pgt_fail_exit(&err);
	} else if (pgt_profile_write(&p, stdout))
		return PGT_EXIT_INPUT;
	return PGT_EXIT_OK;
}
