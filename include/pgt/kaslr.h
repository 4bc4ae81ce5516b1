/* KASLR offset for kernels whose VMCOREINFO states no KERNELOFFSET (x86
 * 32-bit): the runtime SYMBOL() values of VMCOREINFO against the profile's
 * link-time addresses. */
#ifndef PGT_KASLR_H
#define PGT_KASLR_H

#include <stddef.h>
#include <stdint.h>
#include "pgt/err.h"
#include "pgt/profile.h"

/* Compares every SYMBOL(name)=hex line of vmcoreinfo with prof->sym[] for
 * the names both know.  All must give the same (runtime - link) difference,
 * taken modulo 2^32 when prof->ptr_size is 4.  On PGT_OK *offset is set and,
 * if how is given, it names the symbols compared.  PGT_ENOTFOUND: no symbol
 * in common; PGT_EINPUT: they disagree (the message names them). */
pgt_status pgt_kaslr_from_vmcoreinfo_symbols(const char *vmcoreinfo, const struct pgt_profile *prof,
					     uint64_t *offset, char *how, size_t howlen,
					     struct pgt_err *err);

#endif
