/* KASLR offset from VMCOREINFO (see kaslr.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pgt/kaslr.h"
#include "pgt/vmcoreinfo.h"

/* A whole hex value: "c1000000" yes, "zz" or "12zz" no (a malformed line
 * must not vote). */
static int whole_hex(const char *vi, const char *key, uint64_t *out)
{
	char buf[40], *end;
	if (!pgt_vmci_get(vi, key, buf, sizeof buf) || !buf[0])
		return 0;
	*out = strtoull(buf, &end, 16);
	return *end == 0;
}

pgt_status pgt_kaslr_from_vmcoreinfo(const char *vi, const struct pgt_profile *prof, uint64_t *offset,
				     char *how, size_t howlen, struct pgt_err *err)
{
	/* 32-bit kernels print 32-bit addresses; cutting both sides keeps a
	 * sign-extended value from either source from skewing the difference. */
	const uint64_t mask = prof->ptr_size == 4 ? 0xffffffffull : ~0ull;
	uint64_t off = 0, first_off = 0, rt;
	const char *first = NULL;
	char names[160] = "", key[96];
	size_t nlen = 0;
	unsigned n = 0;

	if (vi && whole_hex(vi, "KERNELOFFSET", &off)) {
		*offset = off;
		if (how && howlen)
			snprintf(how, howlen, "KERNELOFFSET in VMCOREINFO");
		return PGT_OK;
	}
	for (unsigned i = 0; vi && i < Y__COUNT; i++) {
		if (!pgt_ksym_name[i] || !prof->sym[i])
			continue;
		snprintf(key, sizeof key, "SYMBOL(%s)", pgt_ksym_name[i]);
		if (!whole_hex(vi, key, &rt))
			continue;
		/* modulo 2^64: pgt_sym() adds it back to the link address */
		off = (rt & mask) - (prof->sym[i] & mask);
		if (!first) {
			first = pgt_ksym_name[i];
			first_off = off;
		} else if (off != first_off) {
			return pgt_fail(err, PGT_EINPUT,
					"KASLR offset: VMCOREINFO symbols disagree: %s gives 0x%llx but %s gives 0x%llx "
					"(vmlinux 0x%llx, VMCOREINFO 0x%llx)",
					first, (unsigned long long)first_off, pgt_ksym_name[i], (unsigned long long)off,
					(unsigned long long)prof->sym[i], (unsigned long long)rt);
		}
		n++;
		if (nlen < sizeof names) {
			int w = snprintf(names + nlen, sizeof names - nlen, "%s%s", nlen ? " " : "", pgt_ksym_name[i]);
			if (w > 0)
				nlen += (size_t)w;
		}
	}
	if (!first)
		return pgt_fail(err, PGT_ENOTFOUND,
				"KASLR offset: VMCOREINFO has no KERNELOFFSET and no SYMBOL() entry names a symbol the "
				"kernel types know");
	*offset = first_off;
	if (how && howlen)
		snprintf(how, howlen, "VMCOREINFO SYMBOL() of %u symbol%s agree (%s)", n, n == 1 ? "" : "s", names);
	return PGT_OK;
}
