/* Paging formats known to pgtinspect, grouped by the machine that libkdumpfile
 * reports.  Formats of one machine are tried in order; each one's setup()
 * decides from the dump's facts whether it applies. */
#include <string.h>
#include "pgt/arch.h"

extern const struct pgt_arch_ops pgt_arch_x86_64;
extern const struct pgt_arch_ops pgt_arch_arm_lpae, pgt_arch_arm_classic;
extern const struct pgt_arch_ops pgt_arch_x86_pae, pgt_arch_x86_2level;
extern const struct pgt_arch_ops pgt_arch_s390x;

static const struct pgt_arch_ops *const all_formats[] = {
	&pgt_arch_x86_64,
	&pgt_arch_x86_pae,
	&pgt_arch_x86_2level,
	&pgt_arch_s390x,
	&pgt_arch_arm_lpae,
	&pgt_arch_arm_classic,
	NULL,
};

const struct pgt_arch_ops *const *pgt_arch_candidates(const char *kdump_arch)
{
	static const struct pgt_arch_ops *list[sizeof(all_formats) / sizeof(all_formats[0])];
	unsigned n = 0;
	for (unsigned i = 0; all_formats[i]; i++)
		if (!strcmp(all_formats[i]->kdump_arch, kdump_arch))
			list[n++] = all_formats[i];
	list[n] = NULL;
	return list;
}

const struct pgt_arch_ops *pgt_arch_by_name(const char *name)
{
	for (unsigned i = 0; all_formats[i]; i++)
		if (!strcmp(all_formats[i]->name, name))
			return all_formats[i];
	return NULL;
}
