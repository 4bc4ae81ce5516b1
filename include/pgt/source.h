/* Physical memory of a dump, whatever the container (ELF vmcore, kdump-
 * compressed, /proc/kcore).  Nothing above this layer knows the format. */
#ifndef PGT_SOURCE_H
#define PGT_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include "pgt/err.h"

struct pgt_source;

struct pgt_source_info {
	char format[32];    /* "elf", "kdump", "kcore", ... */
	char arch[16];      /* libkdumpfile names: "x86_64", "ia32", "arm", "s390x" */
	int big_endian;
	unsigned ptr_size;
	unsigned page_size; /* 0 if the container does not say */
	uint64_t max_pa;    /* end of the highest physical range held */
	const char *vmcoreinfo; /* NUL-terminated note text, or NULL */
	int elf_vaddr_segments; /* ELF PT_LOADs carry kernel virtual addresses */
};

pgt_status pgt_source_open(struct pgt_source **out, const char *path, struct pgt_err *err);
void pgt_source_close(struct pgt_source *s);
const struct pgt_source_info *pgt_source_info(const struct pgt_source *s);

/* Reads len bytes at physical address pa.  PGT_EFILTERED when the dump
 * excluded the page, PGT_ENOMAP when no segment holds it. */
pgt_status pgt_source_read(struct pgt_source *s, uint64_t pa, void *buf, size_t len,
			   struct pgt_err *err);

/* Supplies VMCOREINFO found elsewhere (s390 lowcore, /sys/kernel/vmcoreinfo). */
void pgt_source_set_vmcoreinfo(struct pgt_source *s, const char *text);

#endif
