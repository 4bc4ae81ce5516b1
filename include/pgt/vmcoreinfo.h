/* VMCOREINFO: "KEY=value" lines the kernel leaves for dump tools. */
#ifndef PGT_VMCOREINFO_H
#define PGT_VMCOREINFO_H

#include <stdint.h>

/* Looks up KEY; returns a pointer to its value (up to the newline) or NULL. */
const char *pgt_vmci_get(const char *text, const char *key, char *buf, unsigned buflen);
/* Numeric lookups: SYMBOL() and KERNELOFFSET are hex, NUMBER()/OFFSET()/SIZE() decimal. */
int pgt_vmci_hex(const char *text, const char *key, uint64_t *out);
int pgt_vmci_dec(const char *text, const char *key, int64_t *out);

#endif
