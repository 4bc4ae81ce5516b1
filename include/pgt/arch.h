/* Paging formats described as data plus pure entry decoders.
 *
 * One pgt_arch_ops per paging format (x86_64, x86 PAE, x86 2-level, ARM LPAE,
 * ARM classic, s390x).  A format lists its levels from the top-most possible
 * table to the page table; the generic walker (walk.h) is the only loop over
 * tables.  decode() looks at bits only: no I/O, so it is unit-tested from
 * hand-written values.  setup()/mm_root() may read the dump. */
#ifndef PGT_ARCH_H
#define PGT_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include "pgt/err.h"

struct pgt_dump;

enum pgt_ekind {
	PGT_E_NONE = 0, /* empty slot (pte_none / pmd_none ...): a hole */
	PGT_E_TABLE,    /* points to a next-level table */
	PGT_E_LEAF,     /* maps memory: present in the Linux sense (hw valid or PROT_NONE) */
	PGT_E_SWAP,     /* not present but not none: swap, migration, marker ... */
	PGT_E_BAD,      /* malformed for its level: reported, never followed */
};

/* Entry flags, in Linux terms (what pte_write(), pte_soft_dirty() ... say). */
#define PGT_F_HWVALID     (1u << 0)  /* the MMU would translate through it */
#define PGT_F_WRITE       (1u << 1)
#define PGT_F_USER        (1u << 2)
#define PGT_F_NX          (1u << 3)
#define PGT_F_DIRTY       (1u << 4)
#define PGT_F_ACCESSED    (1u << 5)
#define PGT_F_SOFT_DIRTY  (1u << 6)  /* pte_soft_dirty / pte_swp_soft_dirty */
#define PGT_F_UFFD_WP     (1u << 7)  /* pte_uffd_wp / pte_swp_uffd_wp */
#define PGT_F_SPECIAL     (1u << 8)  /* pte_special: no struct page */
#define PGT_F_PROTNONE    (1u << 9)  /* PROT_NONE: present for Linux, invalid for the MMU */
#define PGT_F_DEVMAP      (1u << 10)
#define PGT_F_GLOBAL      (1u << 11)
#define PGT_F_SWP_EXCL    (1u << 12) /* swap entry of an exclusive anon page */
#define PGT_F_HUGE        (1u << 13) /* leaf above the page-table level */
#define PGT_F_SWAPPER     (1u << 14) /* ARM LPAE L_PGD_SWAPPER on a pgd entry */
#define PGT_F_RDONLY      (1u << 15) /* arch has an explicit read-only bit set */
#define PGT_F_YOUNG       PGT_F_ACCESSED
#define PGT_F_HW_MISMATCH (1u << 16) /* ARM classic: hardware PTE disagrees with Linux PTE */
#define PGT_F_INVALID_HW  (1u << 17) /* s390: hardware invalid bit set on a present pte */
#define PGT_F_PM_HOLE     (1u << 18) /* a leaf the kernel's pXd_present() calls absent: pagemap reads a hole */

struct pgt_entry {
	enum pgt_ekind kind;
	uint64_t raw;        /* the entry as the kernel stores it (native value) */
	uint64_t raw_hw;     /* ARM classic: hardware PTE beside the Linux PTE */
	uint32_t flags;      /* PGT_F_* */
	uint64_t pa;         /* TABLE: next table; LEAF: first byte mapped by the entry */
	unsigned next_level; /* TABLE: level index of the table it points to */
	unsigned next_lo;    /* TABLE: first valid index of that table (s390 TF) */
	unsigned next_hi;    /* TABLE: last valid index of that table (s390 TL) */
	unsigned swp_type;   /* SWAP: swp_type() */
	uint64_t swp_offset; /* SWAP: swp_offset() */
	const char *bad;     /* BAD: one phrase saying what is wrong */
};

struct pgt_level {
	const char *name;     /* "pgd", "pud", "pmd", "pte", "r3t", "sgt" ... */
	unsigned shift;       /* log2 of the bytes one entry maps */
	unsigned entries;     /* entries in a full table */
	unsigned entry_size;  /* 4 or 8 bytes */
	/* Bytes read for a table: 0 means entries * entry_size starting at the
	 * table address.  Non-zero: the naturally aligned block of that size
	 * holding the table is read, and decode() gets a pointer to the table's
	 * first entry inside it (ARM classic reads the whole PTE page). */
	unsigned read_block;
	/* Bytes a table of this level adds to mm->pgtables_bytes (0: not counted,
	 * as the kernel counts only pud, pmd and pte tables). */
	unsigned pt_bytes;
};

/* Where an mm's translation starts. */
struct pgt_root {
	uint64_t pa;        /* top table */
	unsigned level;     /* index into paging->levels */
	unsigned lo, hi;    /* valid index window of the top table */
	uint64_t va_limit;  /* first address not covered (0: all of the levels' span) */
	char desc[128];     /* how it was chosen, e.g. "asce r3 tl=3 (3 levels)" */
};

/* What mm_root() may use: raw values read from mm_struct. */
struct pgt_mm_regs {
	uint64_t pgd_va;     /* mm->pgd */
	uint64_t pgd_pa;     /* its physical address */
	uint64_t asce;       /* s390: mm->context.asce */
	uint64_t asce_limit; /* s390: mm->context.asce_limit */
	int has_asce;
};

struct pgt_paging;

struct pgt_arch_ops {
	const char *name;  /* "x86_64", "x86-pae", "x86-2level", "arm-lpae", "arm-classic", "s390x" */
	const char *kdump_arch; /* libkdumpfile arch name it serves: "x86_64", "ia32", "arm", "s390x" */
	/* Optional, before types and KASLR are known: find what the container
	 * lacks from the dump itself (s390: VMCOREINFO through the lowcore),
	 * e.g. with pgt_source_set_vmcoreinfo(d->src, text). */
	void (*early)(struct pgt_dump *d);
	/* Decides whether this format fits the dump (from profile/VMCOREINFO
	 * facts, never version guesses) and fills pg.  Returns PGT_ENOTFOUND if
	 * the dump is another format of the same machine. */
	pgt_status (*setup)(struct pgt_paging *pg, struct pgt_dump *d, struct pgt_err *err);
	/* Classify entry idx of a table at level; tbl points to entry 0. */
	void (*decode)(const struct pgt_paging *pg, unsigned level, const uint8_t *tbl,
		       unsigned idx, struct pgt_entry *e);
	/* The root of an mm (or of the kernel, for init_mm). */
	pgt_status (*mm_root)(const struct pgt_paging *pg, const struct pgt_mm_regs *regs,
			      struct pgt_root *root, struct pgt_err *err);
	/* Linear kernel mappings (direct map, kernel image) translated without a
	 * walk; returns 1 and sets *pa when va lies in one, else 0. */
	int (*kva_linear)(const struct pgt_paging *pg, uint64_t va, uint64_t *pa);
	/* Forensic hooks, all optional. */
	/* A reason when a table whose span holds no VMA exists by design
	 * (preallocated PMDs, a modules PMD ...), else NULL. */
	const char *(*table_by_design)(const struct pgt_paging *pg, unsigned level, uint64_t va,
				       uint64_t end);
	/* Kernel-half comparison of one top-level (or copied) slot against the
	 * kernel's own table.  Returns 0 when the core's generic rules apply;
	 * otherwise sets *check (a name), *severity and msg and returns 1 (a
	 * finding), or returns 2 for "fine by design", 3 for "compare the
	 * next level": the process holds its own copy of the kernel's table,
	 * and 4 for "the process's own tables by design" (x86's LDT remap):
	 * walked, reached and counted like user tables, compared with nothing. */
	int (*kernel_slot)(const struct pgt_paging *pg, unsigned level, unsigned index,
			   const struct pgt_entry *proc, const struct pgt_entry *kern,
			   const char **check, const char **severity, char *msg, size_t len);
	/* PTI copies of the top table (x86 PAE): the user-mode table beside
	 * root whose kernel slots hold tables of the mm's own.  1 and *copy
	 * set when there is one. */
	int (*user_copy)(const struct pgt_paging *pg, const struct pgt_root *root, struct pgt_root *copy);
	/* One line describing an entry's bits for vtop (optional). */
	void (*describe)(const struct pgt_paging *pg, unsigned level,
			 const struct pgt_entry *e, char *buf, size_t len);
};

/* One paging format instantiated for a dump. */
struct pgt_paging {
	const struct pgt_arch_ops *ops;
	const struct pgt_level *levels;
	unsigned nlevels;
	int big_endian;
	unsigned page_shift;
	uint64_t user_end;     /* end of the user half (TASK_SIZE_MAX) */
	uint64_t kernel_start; /* first kernel-half address; 0 if the kernel has its own space (s390) */
	uint64_t first_user_address; /* FIRST_USER_ADDRESS: tables spanning below it are never freed */
	unsigned va_bits;      /* bits translated by the full set of levels */
	uint64_t max_pa;       /* end of physical memory, for sanity checks (0: unknown) */
	/* pagemap's swap frame layout (MAX_SWAPFILES_SHIFT) and the first
	 * swp_type() that is not a real swap device (migration, device ...). */
	unsigned swp_type_bits;
	unsigned swp_first_special;
	unsigned migration_first, migration_count; /* swap types that are migration entries */
	/* swap types whose offset is a pfn (is_pfn_swap_entry(): hwpoison,
	 * migration, device); when setup() leaves the count 0 the core takes
	 * every special type from swp_first_special to the last migration one */
	unsigned pfn_swap_first, pfn_swap_count;
	unsigned pte_marker_type;  /* SWP_PTE_MARKER, 0 when the kernel has none */
	int has_pte_special;   /* CONFIG_ARCH_HAS_PTE_SPECIAL: vm_normal_page() trusts pte_special (core sets 1) */
	/* Arch parameters, set by setup(). */
	uint64_t page_offset;  /* start of the direct map */
	uint64_t phys_offset;  /* physical address at page_offset */
	uint64_t lowmem_end;   /* end of the direct map in VA (32-bit: high_memory) */
	uint64_t kimage_va;    /* x86_64: __START_KERNEL_map */
	uint64_t phys_base;    /* x86_64: phys_base */
	uint64_t kernel_root_pa; /* swapper_pg_dir / init_mm.pgd physical */
	/* get_gate_vma(): a VMA of no mm that /proc/PID/maps lists after the
	 * mm's own (ARM [vectors]); gate_end 0: none shown. */
	uint64_t gate_start, gate_end, gate_flags;
	const char *gate_name;
	/* The kernel's translation root.  setup() may fill it; if kroot.pa is 0
	 * the core derives it with mm_root() from kernel_root_pa. */
	struct pgt_root kroot;
	uint64_t aux[8];       /* format-private values */
	char desc[128];        /* e.g. "x86_64 4-level, page_offset 0xffff888000000000" */
};

/* Registry (arch/registry.c): formats serving a libkdumpfile arch name, tried in order. */
const struct pgt_arch_ops *const *pgt_arch_candidates(const char *kdump_arch);
const struct pgt_arch_ops *pgt_arch_by_name(const char *name);

/* Helpers shared by decoders. */
/* mm_root() for a top table at level 0 given by address: checks alignment
 * (and an address limit, 0 for none), window = the whole table (arch/root.c). */
pgt_status pgt_root_table(uint64_t pa, uint64_t align, uint64_t pa_limit, uint64_t va_limit, unsigned entries,
			  const char *what, struct pgt_root *root, struct pgt_err *err);
static inline uint64_t pgt_level_span(const struct pgt_level *l)
{
	return (uint64_t)1 << l->shift;
}

#endif
