/* Pure x86_64 entry decoder, exposed for unit tests. */
#ifndef PGT_ARCH_X86_64_H
#define PGT_ARCH_X86_64_H
#include "pgt/arch.h"
void pgt_x86_64_decode(unsigned nlevels, unsigned level, uint64_t v, struct pgt_entry *e);
#endif
