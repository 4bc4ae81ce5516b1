/* The common case of mm_root(): a fixed-format top table at level 0 whose
 * address the mm gives directly (everything but s390's ASCE). */
#include <stdio.h>
#include <string.h>
#include "pgt/arch.h"

pgt_status pgt_root_table(uint64_t pa, uint64_t align, uint64_t pa_limit, uint64_t va_limit, unsigned entries,
			  const char *what, struct pgt_root *root, struct pgt_err *err)
{
	memset(root, 0, sizeof *root);
	if (!pa || (pa & (align - 1)))
		return pgt_fail(err, PGT_EINPUT, "%s at physical 0x%llx is not %llu-byte aligned", what,
				(unsigned long long)pa, (unsigned long long)align);
	if (pa_limit && pa >= pa_limit)
		return pgt_fail(err, PGT_EINPUT, "%s at physical 0x%llx lies above 0x%llx, where the MMU cannot find it",
				what, (unsigned long long)pa, (unsigned long long)pa_limit);
	root->pa = pa;
	root->level = 0;
	root->lo = 0;
	root->hi = entries - 1;
	root->va_limit = va_limit;
	snprintf(root->desc, sizeof root->desc, "%s at 0x%llx (%u entries)", what, (unsigned long long)pa, entries);
	return PGT_OK;
}
