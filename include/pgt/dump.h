/* An opened dump: source + kernel profile + paging format, and the kernel
 * virtual memory reader built on them. */
#ifndef PGT_DUMP_H
#define PGT_DUMP_H

#include <stdint.h>
#include "pgt/arch.h"
#include "pgt/err.h"
#include "pgt/profile.h"
#include "pgt/source.h"

struct pgt_open_opts {
	const char *dump_path;
	const char *vmlinux;     /* -k; NULL: search */
	const char *profile;     /* --profile; NULL: cache or vmlinux */
	int no_cache;            /* do not read or write the profile cache */
	int verbose;
};

struct pgt_dump {
	const char *path;
	struct pgt_source *src;
	const struct pgt_source_info *si;
	struct pgt_profile prof;
	struct pgt_paging pg;
	uint64_t kaslr;          /* KERNELOFFSET, added to link-time symbols */
	char kaslr_how[96];      /* where the offset came from */
	char profile_how[320];   /* where the types came from */
	unsigned page_size;
	/* struct page array */
	uint64_t vmemmap;        /* virtual address of struct page for pfn 0 (0: unknown) */
	uint64_t memmap_pfn0;    /* flat mem_map: first pfn it covers */
	uint64_t max_pfn;
	uint64_t zero_pfn;       /* pfn of the zero page (empty_zero_page) */
	uint64_t huge_zero_pfn;  /* ~0 if none */
	int memmap_warned;
	/* last translations of kernel pages that needed a walk (vmemmap,
	 * vmalloc): struct page reads hit the same few pages again and again */
#define PGT_KTLB 64
	uint64_t ktlb_va[PGT_KTLB], ktlb_pa[PGT_KTLB];
	int verbose;
};

pgt_status pgt_dump_open(struct pgt_dump **out, const struct pgt_open_opts *o, struct pgt_err *err);
void pgt_dump_close(struct pgt_dump *d);

/* Relocated address of a symbol (0 if unknown). */
uint64_t pgt_sym(const struct pgt_dump *d, enum pgt_ksym_id id);

pgt_status pgt_read_pa(struct pgt_dump *d, uint64_t pa, void *buf, size_t len, struct pgt_err *err);
pgt_status pgt_kva_to_pa(struct pgt_dump *d, uint64_t va, uint64_t *pa, struct pgt_err *err);
pgt_status pgt_read_kva(struct pgt_dump *d, uint64_t va, void *buf, size_t len, struct pgt_err *err);
/* Reads an unsigned integer of the target's pointer size / of n bytes. */
pgt_status pgt_read_ptr(struct pgt_dump *d, uint64_t va, uint64_t *out, struct pgt_err *err);
pgt_status pgt_read_uint(struct pgt_dump *d, uint64_t va, unsigned n, uint64_t *out, struct pgt_err *err);
/* Reads member f of the object at va (sizes 1..8; larger members: first 8 bytes). */
pgt_status pgt_read_field(struct pgt_dump *d, uint64_t va, enum pgt_kfield_id f, uint64_t *out,
			  struct pgt_err *err);
/* Reads a NUL-terminated string of at most len-1 bytes. */
pgt_status pgt_read_str(struct pgt_dump *d, uint64_t va, char *buf, size_t len, struct pgt_err *err);

static inline uint64_t pgt_field_off(const struct pgt_dump *d, enum pgt_kfield_id f)
{
	return (uint64_t)d->prof.field[f].off;
}

#endif
