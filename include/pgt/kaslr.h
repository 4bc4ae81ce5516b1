/* KASLR offset from VMCOREINFO: KERNELOFFSET when the kernel states it
 * (x86_64, arm64, s390), else the runtime SYMBOL() values against the
 * profile's link-time addresses (x86 32-bit writes no KERNELOFFSET). */
#ifndef PGT_KASLR_H
#define PGT_KASLR_H

#include <stddef.h>
#include <stdint.h>
#include "pgt/err.h"
#include "pgt/profile.h"

/* Pure: reads only its arguments.  KERNELOFFSET=hex wins when present;
 * otherwise every SYMBOL(name)=hex line whose name the profile knows must
 * give the same runtime - link difference.  The offset is that difference
 * modulo 2^64, as pgt_sym() adds it back in 64 bits; with prof->ptr_size 4
 * both addresses are first cut to 32 bits, so a kernel loaded below its
 * link address gives a "negative" offset and link + offset is still the
 * runtime address.  On PGT_OK *offset is set and, if how is given, it says
 * where the value came from.  PGT_ENOTFOUND: neither source (the caller
 * decides what to assume); PGT_EINPUT: the symbols disagree (the message
 * names two of them). */
pgt_status pgt_kaslr_from_vmcoreinfo(const char *vmcoreinfo, const struct pgt_profile *prof,
				     uint64_t *offset, char *how, size_t howlen, struct pgt_err *err);

#endif
