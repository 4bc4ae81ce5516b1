/* The kernel model: tasks, their mm and VMAs, read with the profile's
 * offsets.  It never decodes page-table bits. */
#ifndef PGT_KMODEL_H
#define PGT_KMODEL_H

#include <stdint.h>
#include "pgt/dump.h"

#define PGT_NAME_MAX 512

struct pgt_task {
	uint64_t addr;       /* task_struct */
	int pid, tgid;
	char comm[17];
	uint64_t state;      /* __state */
	uint64_t exit_state;
	uint64_t flags;
	uint64_t mm;         /* 0 for kernel threads */
};

struct pgt_vma {
	uint64_t addr;       /* vm_area_struct */
	uint64_t start, end, flags, pgoff;
	uint64_t file;       /* struct file *, 0 if anonymous */
	uint32_t dev;        /* kernel dev_t of the file's superblock */
	uint64_t ino;
	char name[PGT_NAME_MAX]; /* path, [heap], [stack], [vdso] ... or "" */
};

struct pgt_mm {
	uint64_t addr;
	uint64_t pgd_va, pgd_pa;
	uint64_t start_brk, brk, start_stack;
	int64_t pgtables_bytes;  /* -1 if the kernel has no counter */
	struct pgt_mm_regs regs;
	struct pgt_root root;
	struct pgt_vma *vmas;    /* sorted by start */
	unsigned nvmas;
	int map_count;
	char vma_note[256];      /* non-empty if the VMA list looked damaged */
};

/* All tasks (threads included), in init_task.tasks order, each group leader
 * followed by its other threads.  init_task itself comes first. */
pgt_status pgt_tasks(struct pgt_dump *d, struct pgt_task **out, unsigned *n, struct pgt_err *err);

/* Reads an mm: pgd, root of translation and its VMAs (with names). */
pgt_status pgt_mm_load(struct pgt_dump *d, uint64_t mm, struct pgt_mm *out, struct pgt_err *err);
void pgt_mm_free(struct pgt_mm *mm);

/* The VMA holding addr, or NULL. */
const struct pgt_vma *pgt_mm_find_vma(const struct pgt_mm *mm, uint64_t addr);

/* Formats one /proc/PID/maps line (with newline) into buf. */
void pgt_format_maps_line(const struct pgt_dump *d, const struct pgt_vma *v, char *buf, size_t len);

/* VM_* flags of 6.1 used by pagemap and maps. */
#define PGT_VM_READ        0x1ull
#define PGT_VM_WRITE       0x2ull
#define PGT_VM_EXEC        0x4ull
#define PGT_VM_SHARED      0x8ull
#define PGT_VM_MAYSHARE    0x80ull
#define PGT_VM_PFNMAP      0x400ull
#define PGT_VM_MIXEDMAP    0x10000000ull
#define PGT_VM_HUGETLB     0x400000ull
#define PGT_VM_SOFTDIRTY   0x8000000ull

#endif
